//! Writing script of a token or a block.
//!
//! In: a string. Out: [`Script`] — Latin, Cyrillic, Mixed (both present) or
//! None (no letters) — by letter counts ([`counts`]); [`tokens`] gives the
//! script of each word with its byte span, [`dominant`] the script of a
//! block that may hold a few words of the other script (an acronym, a URL).

use serde::{Deserialize, Serialize};

/// A writing script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Script {
    #[serde(rename = "Latn")]
    Latin,
    #[serde(rename = "Cyrl")]
    Cyrillic,
    #[serde(rename = "Mixed")]
    Mixed,
    /// No letters (digits, punctuation, empty).
    #[serde(rename = "Zyyy")]
    None,
}

/// `char::is_alphabetic`, with the letters of the plans' scripts (ASCII,
/// Latin-1 to Latin Extended-B, Cyrillic) answered without the Unicode
/// tables, which cost a few hundred instructions per lookup.
#[inline]
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => true,
        '\u{00C0}'..='\u{024F}' => c != '×' && c != '÷',
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric` with the fast paths of [`is_letter`].
#[inline]
pub fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_letter(c) || c.is_numeric()
    }
}

/// The script of one character, if it is a Latin or Cyrillic letter.
#[inline]
pub fn of_char(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Script::Latin);
    }
    of_other_char(c)
}

fn of_other_char(c: char) -> Option<Script> {
    match c {
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        // Blocks where every code point is a letter, answered without the
        // Unicode tables (this runs on every character of a document).
        '\u{00C0}'..='\u{00FF}' if c != '×' && c != '÷' => Some(Script::Latin),
        '\u{0100}'..='\u{024F}' => Some(Script::Latin),
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => Some(Script::Cyrillic),
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'
            if c.is_alphabetic() && c != '×' && c != '÷' =>
        {
            Some(Script::Latin)
        }
        '\u{0400}'..='\u{052F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}'
            if c.is_alphabetic() =>
        {
            Some(Script::Cyrillic)
        }
        _ => None,
    }
}

/// Letter counts by script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub latin: usize,
    pub cyrillic: usize,
}

impl Counts {
    /// The script these counts show: both present → Mixed.
    pub fn script(&self) -> Script {
        match (self.latin > 0, self.cyrillic > 0) {
            (true, true) => Script::Mixed,
            (true, false) => Script::Latin,
            (false, true) => Script::Cyrillic,
            (false, false) => Script::None,
        }
    }
}

/// Counts Latin and Cyrillic letters.
pub fn counts(s: &str) -> Counts {
    let mut k = Counts::default();
    for c in s.chars() {
        match of_char(c) {
            Some(Script::Latin) => k.latin += 1,
            Some(Script::Cyrillic) => k.cyrillic += 1,
            _ => {}
        }
    }
    k
}

/// Strict script of a string: Mixed as soon as both scripts occur.
pub fn detect(s: &str) -> Script {
    counts(s).script()
}

/// Script of a block, tolerating a minority of the other script: the
/// script of at least 90% of the letters, else Mixed.
pub fn dominant(s: &str) -> Script {
    counts(s).dominant()
}

impl Counts {
    /// The script of at least 90% of these letters, else Mixed ([`dominant`]).
    pub fn dominant(&self) -> Script {
        let k = self;
        let total = k.latin + k.cyrillic;
        if total == 0 {
            Script::None
        } else if k.latin * 10 >= total * 9 {
            Script::Latin
        } else if k.cyrillic * 10 >= total * 9 {
            Script::Cyrillic
        } else {
            Script::Mixed
        }
    }
}

/// Appends the lowercase of `c`, as [`char::to_lowercase`] gives it, with
/// ASCII and the basic Cyrillic block answered without the Unicode tables.
pub(crate) fn push_lowercase(c: char, out: &mut String) {
    let shifted = |d: u32| char::from_u32(u32::from(c) + d).unwrap_or(c);
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\0'..='\u{7F}' | '\u{0430}'..='\u{045F}' => out.push(c),
        '\u{0410}'..='\u{042F}' => out.push(shifted(0x20)),
        '\u{0400}'..='\u{040F}' => out.push(shifted(0x50)),
        _ => out.extend(c.to_lowercase()),
    }
}

/// A word with its byte span and script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub script: Script,
}

/// The script of each word (maximal run of letters and combining marks).
pub fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, Counts)> = None;
    for (i, c) in s.char_indices() {
        if c.is_alphabetic() || is_mark(c) {
            let e = cur.get_or_insert((i, Counts::default()));
            match of_char(c) {
                Some(Script::Latin) => e.1.latin += 1,
                Some(Script::Cyrillic) => e.1.cyrillic += 1,
                _ => {}
            }
        } else if let Some((start, k)) = cur.take() {
            out.push(Token {
                start,
                end: i,
                script: k.script(),
            });
        }
    }
    if let Some((start, k)) = cur {
        out.push(Token {
            start,
            end: s.len(),
            script: k.script(),
        });
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_letter_tests_agree_with_unicode_everywhere() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for c in ('\u{00C0}'..='\u{052F}').chain('\u{1E00}'..='\u{1EFF}') {
            let slow = match c {
                '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'
                    if c.is_alphabetic() && c != '×' && c != '÷' =>
                {
                    Some(Script::Latin)
                }
                '\u{0400}'..='\u{052F}' if c.is_alphabetic() => Some(Script::Cyrillic),
                _ => None,
            };
            assert_eq!(of_char(c), slow, "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn fast_lowercase_agrees_with_the_unicode_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut fast = String::new();
            push_lowercase(c, &mut fast);
            assert_eq!(fast, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn scripts() {
        assert_eq!(detect("Општина Ириг"), Script::Cyrillic);
        assert_eq!(detect("Opština Južna Mitrovica"), Script::Latin);
        assert_eq!(detect("moгу"), Script::Mixed);
        assert_eq!(detect("2022-2027 / 5%"), Script::None);
        assert_eq!(
            dominant("Анализа SWOT са много других речи у блоку текста"),
            Script::Cyrillic
        );
        let t = tokens("Pružaoци smeštaja, ЦСР");
        assert_eq!(
            t.iter().map(|t| t.script).collect::<Vec<_>>(),
            vec![Script::Mixed, Script::Latin, Script::Cyrillic]
        );
        assert_eq!(&"Pružaoци smeštaja, ЦСР"[t[2].start..t[2].end], "ЦСР");
        assert_eq!(
            serde_json::to_string(&Script::None).unwrap_or_default(),
            "\"Zyyy\""
        );
    }
}
