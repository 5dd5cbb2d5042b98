//! Text normalization.
//!
//! In: a string as typed (a paragraph or a table cell). Out: the same text in
//! Unicode NFC with odd spaces made plain, invisible characters removed,
//! runs of spaces and tabs collapsed, trimmed; [`normalize`] also unifies
//! quotes and dashes, [`collapse_whitespace`] keeps them as typed. Line
//! breaks are kept (a cell may hold several lines); spaces around them go.
//!
//! [`text`] bundles the original, the normalized form and the Serbian Latin
//! form used for comparisons across scripts.

use super::{Norm, lang, repair, script};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A string in its three useful forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Text {
    /// As typed.
    pub original: String,
    /// [`normalize`]d.
    pub normalized: String,
    /// Serbian Latin form of Serbian text (Cyrillic transliterated, mixed
    /// script repaired); the normalized text for anything else.
    pub latn: String,
}

/// Builds a [`Text`]; the language decides whether `latn` is transliterated.
pub fn text(norm: &Norm, s: &str) -> Text {
    let normalized = normalize(s);
    let latn = latin_form(norm, &normalized);
    Text {
        original: s.to_string(),
        normalized,
        latn,
    }
}

/// The Serbian Latin form of already normalized text.
fn latin_form(norm: &Norm, normalized: &str) -> String {
    // Without Cyrillic letters (and without a char the transliteration
    // table maps) there is nothing to repair or transliterate, whatever
    // the language: skip the detection.
    let needs = |c: char| {
        script::of_char(c) == Some(script::Script::Cyrillic) || norm.translit.is_mapped(c)
    };
    if !normalized.chars().any(needs) {
        return normalized.to_string();
    }
    let g = norm.detect(normalized);
    let has_cyrillic = g.script != script::Script::Latin && g.script != script::Script::None;
    if g.language == lang::Language::Sr || has_cyrillic {
        let (repaired, _) = repair::mixed_script(&norm.translit, normalized);
        norm.to_latin(&repaired)
    } else {
        normalized.to_string()
    }
}

/// What to do with one character.
pub(crate) enum Class {
    Keep,
    Space,
    Drop,
    Newline,
}

#[inline]
pub(crate) fn class(c: char) -> Class {
    // Printable ASCII and the Latin, Greek and Cyrillic blocks: most of any
    // text, and all Keep (pinned by a test against `class_by_table`).
    if matches!(c, '!'..='~' | '\u{00AE}'..='\u{167F}') {
        return Class::Keep;
    }
    class_by_table(c)
}

fn class_by_table(c: char) -> Class {
    match c {
        '\n' => Class::Newline,
        '\r' => Class::Drop, // CRLF → LF; a lone CR is not a line break in Word exports
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        | '\u{180E}' => Class::Drop,
        ' '
        | '\t'
        | '\u{000B}'
        | '\u{000C}'
        | '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Class::Space,
        c if c.is_control() => Class::Drop,
        _ => Class::Keep,
    }
}

/// Collapses whitespace: odd spaces → ' ', invisible characters removed,
/// space runs collapsed, spaces at line ends and the whole string trimmed.
/// Letters, quotes and dashes are kept as typed.
pub fn collapse_whitespace(s: &str) -> String {
    clean_str(s, false)
}

/// Full normalization: NFC, [`collapse_whitespace`], and quotes and dashes
/// unified (`„“”«»` → `"`, `‘’‚‹›` → `'`, `– — ‒ − ―` → `-`).
pub fn normalize(s: &str) -> String {
    let nfc = s.chars().all(nfc_starter) || unicode_normalization::is_nfc(s);
    if nfc && !s.chars().any(|c| matches!(class(c), Class::Drop)) {
        return clean_str(s, true);
    }
    // Invisible characters go before composing, so c + ZWSP + caron still
    // becomes č and a second pass changes nothing.
    let visible: String = s
        .chars()
        .filter(|&c| !matches!(class(c), Class::Drop))
        .collect();
    clean(visible.nfc(), true, visible.len())
}

#[inline]
pub(crate) fn unify(c: char) -> char {
    if c.is_ascii() && c != '`' {
        return c;
    }
    unify_by_table(c)
}

fn unify_by_table(c: char) -> char {
    match c {
        '„' | '“' | '”' | '‟' | '«' | '»' | '″' | '〃' | '＂' => '"',
        '‘' | '’' | '‚' | '‛' | '‹' | '›' | '′' | '＇' | '`' | '´' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '⁃' | '﹘' | '﹣' | '－' => {
            '-'
        }
        _ => c,
    }
}

/// [`clean`] over a string, taking runs of printable ASCII whole: for a
/// run of Keep characters only the first can be preceded by a separator.
fn clean_str(s: &str, unify_marks: bool) -> String {
    let b = s.as_bytes();
    let printable = |x: u8| (b'!'..=b'~').contains(&x);
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut pending_newlines = 0usize;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let run = if printable(b[i]) {
            while i < b.len() && printable(b[i]) {
                i += 1;
            }
            None
        } else if let Some(n) = plain_run(&s[i..], unify_marks) {
            i += n;
            None
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            match class(c) {
                Class::Drop => continue,
                Class::Space => {
                    pending_space = true;
                    continue;
                }
                Class::Newline => {
                    pending_newlines += 1;
                    pending_space = false;
                    continue;
                }
                Class::Keep => Some(c),
            }
        };
        separate(&mut out, pending_space, pending_newlines);
        pending_space = false;
        pending_newlines = 0;
        match run {
            Some(c) => out.push(if unify_marks { unify(c) } else { c }),
            None if unify_marks && s[start..i].contains('`') => {
                out.extend(s[start..i].chars().map(unify));
            }
            None => out.push_str(&s[start..i]),
        }
    }
    out
}

/// What stands between two kept characters: the pending line breaks (one
/// blank line at most), else one space; nothing at the start.
fn separate(out: &mut String, pending_space: bool, pending_newlines: usize) {
    if out.is_empty() {
        return;
    }
    if pending_newlines > 0 {
        for _ in 0..pending_newlines.min(2) {
            out.push('\n');
        }
    } else if pending_space {
        out.push(' ');
    }
}

/// The byte length of the run of non-ASCII Keep characters that `unify`
/// leaves alone (when `unify_marks`) at the start of `s`, if any.
fn plain_run(s: &str, unify_marks: bool) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        if c.is_ascii() || !matches!(class(c), Class::Keep) || (unify_marks && unify(c) != c) {
            break;
        }
        n += c.len_utf8();
    }
    (n > 0).then_some(n)
}

/// Characters of the plans' scripts that NFC leaves alone wherever they
/// stand (quick check Yes, combining class 0): a string made only of them
/// is in NFC without asking the Unicode tables.
pub(crate) fn nfc_starter(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{02FF}' | '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{04FF}' | '\u{2010}'..='\u{2027}'
    )
}

/// `capacity`: the input's length, which the output rarely exceeds.
fn clean(chars: impl Iterator<Item = char>, unify_marks: bool, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    let mut pending_newlines = 0usize;
    for c in chars {
        match class(c) {
            Class::Drop => {}
            Class::Space => pending_space = true,
            Class::Newline => {
                pending_newlines += 1;
                pending_space = false;
            }
            Class::Keep => {
                separate(&mut out, pending_space, pending_newlines);
                pending_space = false;
                pending_newlines = 0;
                out.push(if unify_marks { unify(c) } else { c });
            }
        }
    }
    out
}

/// Glyphs that open list items written inline in one paragraph. Dashes and
/// asterisks are left out: they stand inside ordinary text too.
const INLINE_BULLETS: &[char] = &[
    '•', '·', '◦', '▪', '■', '●', '○', '✓', '✔', '➢', '►', '→', '❖', '◆',
];

/// The items of a paragraph that lists them inline: it opens with a bullet
/// glyph and the same glyph, standing alone between spaces, opens at least
/// one more item ("✓ Prvo ✓ Drugo"). A `?` counts as such a glyph when it
/// opens the text and every item (a bullet an 8-bit export could not
/// encode). None when the paragraph is not such a list.
pub fn inline_items(s: &str) -> Option<Vec<&str>> {
    let t = s.trim_start();
    let g = t.chars().next()?;
    if !(INLINE_BULLETS.contains(&g) || g == '?') {
        return None;
    }
    let mut items = Vec::new();
    let mut start = g.len_utf8();
    let mut prev_space = false;
    for (i, c) in t.char_indices().skip(1) {
        if c == g && prev_space && t[i + c.len_utf8()..].starts_with(char::is_whitespace) {
            items.push(t[start..i].trim());
            start = i + c.len_utf8();
        }
        prev_space = c.is_whitespace();
    }
    items.push(t[start..].trim());
    items.retain(|i| !i.is_empty());
    // An unencodable bullet must open each item with a capital, or it is
    // just a question mark.
    if g == '?'
        && !items
            .iter()
            .all(|i| i.chars().next().is_some_and(char::is_uppercase))
    {
        return None;
    }
    (items.len() >= 2).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_written_inline() {
        assert_eq!(
            inline_items("✓ Prvo ✓ Drugo, treće ✓ Četvrto"),
            Some(vec!["Prvo", "Drugo, treće", "Četvrto"])
        );
        // A bullet lost to an 8-bit export.
        assert_eq!(inline_items("? Прво ? Друго"), Some(vec!["Прво", "Друго"]));
        assert_eq!(inline_items("? zašto ? ne"), None);
        assert_eq!(inline_items("✓ Jedno"), None);
        assert_eq!(inline_items("Gradska uprava – Odeljenje – Služba"), None);
        assert_eq!(inline_items("• a•b • c"), Some(vec!["a•b", "c"]));
    }

    #[test]
    fn spaces_and_invisibles() {
        assert_eq!(
            normalize("\u{00A0} a\u{2009}b\u{202F}c\u{2007}1\t\t2  3 \n"),
            "a b c 1 2 3"
        );
        assert_eq!(normalize("so\u{00AD}ci\u{200B}jal\u{FEFF}no"), "socijalno");
        assert_eq!(normalize("a  \n  b\r\n\n\n\nc"), "a\nb\n\nc");
    }

    #[test]
    fn nfc_quotes_dashes() {
        // c + combining caron → č
        assert_eq!(normalize("Poc\u{30C}etak"), "Početak");
        assert_eq!(
            normalize("„Лични пратилац“ – «x» — ‘y’ 3−4 ‒"),
            "\"Лични пратилац\" - \"x\" - 'y' 3-4 -"
        );
        assert_eq!(collapse_whitespace("„a“  –\u{00A0}b"), "„a“ – b");
    }

    #[test]
    fn fast_paths_agree_with_the_general_ones() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let (fast, table) = (class(c), class_by_table(c));
            assert!(
                std::mem::discriminant(&fast) == std::mem::discriminant(&table),
                "{c:?}"
            );
        }
        let pieces = [
            "a", "Ab", "`x`", "3.150,00", " ", "  ", "\t", "\n", "\r\n", "\n\n\n", "\u{00A0}",
            "\u{00AD}", "\u{200B}", "\u{0007}", "„", "“", "–", "—", "č", "Љ", "ш", "ë", "€", "²",
        ];
        for s in crate::normalize::fold::tests::generated(&pieces, 20_000, 12) {
            for unify_marks in [false, true] {
                assert_eq!(
                    clean_str(&s, unify_marks),
                    clean(s.chars(), unify_marks, 0),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn text_forms() {
        let norm = crate::normalize::norm::embedded();
        let t = text(&norm, "  Општина Љубовија ");
        assert_eq!(t.original, "  Општина Љубовија ");
        assert_eq!(t.normalized, "Општина Љубовија");
        assert_eq!(t.latn, "Opština Ljubovija");
        let t = text(&norm, "Komuna e Mitrovicës së Jugut");
        assert_eq!(t.latn, "Komuna e Mitrovicës së Jugut");
        let t = text(&norm, "Pružaoци usluga koji ne moгу");
        assert_eq!(t.latn, "Pružaoci usluga koji ne mogu");
    }
}
