//! Folding keys for comparing text across scripts, spellings and case.
//!
//! In: a word or phrase in Serbian (either script, with or without
//! diacritics) or Albanian. Out: a key where `Социјална заштита`,
//! `Socijalna zaštita`, `SOCIJALNA ZASTITA` and `socijalna  zastita` are
//! equal: normalized, mixed script repaired, Cyrillic transliterated,
//! lowercased, `č ć → c`, `š → s`, `ž → z`, `đ → dj`, Albanian `ë → e`,
//! `ç → c`, any other diacritic dropped, quotes and dashes unified, spacing
//! collapsed to one space. Keys are for matching only, never for output.

use super::script::{self, Script};
use super::translit::Translit;
use super::{repair, text};
use unicode_normalization::UnicodeNormalization;

/// Whether `needle` (found by `finder`, built from the same non-empty
/// bytes) occurs in `key` as whole words: no letter or digit just before it
/// and, unless `prefix`, none just after it. Matches of UTF-8 in UTF-8 lie
/// on char boundaries, so the slices cannot fail.
pub(crate) fn has_words(
    key: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    prefix: bool,
) -> bool {
    let edge = |c: Option<char>| !c.is_some_and(super::script::is_letter_or_digit);
    finder.find_iter(key.as_bytes()).any(|at| {
        edge(key.get(..at).and_then(|k| k.chars().next_back()))
            && (prefix || edge(key.get(at + needle.len()..).and_then(|k| k.chars().next())))
    })
}

/// The folding key of `s`, transliterated with `tr`.
///
/// Not memoized here: extraction keeps each text's key in its document's
/// `Ctx` ([`crate::extract::Ctx::fold_key`]), the other stages fold few
/// enough texts to compute them.
pub fn key(tr: &Translit, s: &str) -> String {
    direct(tr, s).unwrap_or_else(|| general(tr, s))
}

/// The key in one pass over `s`, for the common case where mixed-script
/// repair has nothing to do: no word mixes Latin and Cyrillic letters and
/// no `3` stands among Cyrillic ones. `None` sends `s` down [`general`].
///
/// It reads `s` as [`text::normalize`] would (invisible characters
/// dropped, odd spaces and line breaks as word gaps, quotes and dashes
/// unified), which is only the same text when `s` is already in NFC.
fn direct(tr: &Translit, s: &str) -> Option<String> {
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    // Checked on the first character that is not obviously NFC-stable.
    let mut nfc_checked = false;
    let mut f = Folder::with_capacity(s.len());
    // Letter counts of the current word, as mixed_script words it: a run
    // of alphabetic characters and 3s.
    let (mut latin, mut cyrillic, mut three) = (0usize, 0usize, false);
    let mut dropped = false;
    for c in s.chars() {
        if !nfc_checked && !text::nfc_starter(c) {
            if is_nfc_quick(s.chars()) != IsNormalized::Yes {
                return None;
            }
            nfc_checked = true;
        }
        let c = match text::class(c) {
            text::Class::Drop => {
                dropped = true;
                continue;
            }
            // Dropping a character may bring two combining marks together,
            // which NFC would then reorder.
            text::Class::Keep if dropped && !c.is_ascii() && canonical_combining_class(c) != 0 => {
                return None;
            }
            text::Class::Space | text::Class::Newline => {
                dropped = false;
                f.space();
                latin = 0;
                cyrillic = 0;
                three = false;
                continue;
            }
            text::Class::Keep => {
                dropped = false;
                text::unify(c)
            }
        };
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                latin += 1;
            } else if c == '3' {
                three = true;
            } else {
                latin = 0;
                cyrillic = 0;
                three = false;
            }
            f.push(c);
        } else {
            match script::of_char(c) {
                Some(Script::Latin) => latin += 1,
                Some(Script::Cyrillic) => cyrillic += 1,
                _ if c.is_alphabetic() => {}
                _ => {
                    latin = 0;
                    cyrillic = 0;
                    three = false;
                }
            }
            match tr.lowered_latin_of(c) {
                None => f.push(c),
                Some(Some(lat)) => lat.chars().for_each(|x| f.push(x)),
                Some(None) => return None,
            }
        }
        if cyrillic > 0 && (latin > 0 || three) {
            return None;
        }
    }
    Some(f.out)
}

/// The reference pipeline, step by step.
fn general(tr: &Translit, s: &str) -> String {
    let norm = text::normalize(s);
    let (repaired, _) = repair::mixed_script(tr, &norm);
    let latin = tr.to_latin(&repaired);
    let mut f = Folder::with_capacity(latin.len());
    for c in latin.chars() {
        if c.is_whitespace() {
            f.space();
        } else {
            f.push(c);
        }
    }
    f.out
}

/// Lowercases, strips diacritics and collapses word gaps to one space.
struct Folder {
    out: String,
    space: bool,
}

impl Folder {
    fn with_capacity(n: usize) -> Folder {
        Folder {
            out: String::with_capacity(n),
            space: false,
        }
    }

    fn space(&mut self) {
        self.space = true;
    }

    /// Adds a character that is not whitespace.
    #[inline]
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.push_lower(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                self.push_lower(l);
            }
        }
    }

    #[inline]
    fn push_lower(&mut self, c: char) {
        // A character never lowercases to whitespace.
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        if c.is_ascii() {
            self.out.push(c);
        } else {
            self.push_other(c);
        }
    }

    fn push_other(&mut self, c: char) {
        match c {
            'đ' => self.out.push_str("dj"),
            'č' | 'ć' | 'ç' => self.out.push('c'),
            'š' => self.out.push('s'),
            'ž' => self.out.push('z'),
            'ë' => self.out.push('e'),
            // Other diacritics: decompose and keep the base letter.
            c => self.out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|d| !('\u{0300}'..='\u{036F}').contains(d)),
            ),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn whole_words_only_unless_prefix() {
        let f = |n: &str| memchr::memmem::Finder::new(n.as_bytes()).into_owned();
        let (n, fi) = ("u 000", f("u 000"));
        assert!(has_words("iznos u 000 din", n, &fi, false));
        assert!(has_words("u 000", n, &fi, false));
        assert!(!has_words("iznosu 000 din", n, &fi, false));
        assert!(!has_words("u 0001", n, &fi, false));
        // A later occurrence counts when the first is inside a word.
        assert!(has_words("bu 000 i u 000", n, &fi, false));
        let (n, fi) = ("budzet", f("budzet"));
        assert!(!has_words("budzeta opstine", n, &fi, false));
        assert!(has_words("budzeta opstine", n, &fi, true));
        assert!(!has_words("ebudzet", n, &fi, true));
        assert!(!has_words("ćbudzet x", "budzet", &fi, false));
    }

    #[test]
    fn one_key_across_spellings() {
        let tr = crate::normalize::norm::embedded().translit;
        let k = key(&tr, "Социјална заштита");
        assert_eq!(k, "socijalna zastita");
        assert_eq!(key(&tr, "Socijalna zaštita"), k);
        assert_eq!(key(&tr, "SOCIJALNA  ZASTITA "), k);
        assert_eq!(key(&tr, "Ђорђе"), key(&tr, "Djordje"));
        assert_eq!(key(&tr, "Đorđe"), "djordje");
        assert_eq!(key(&tr, "Љубовија"), key(&tr, "LJUBOVIJA"));
        assert_eq!(key(&tr, "Pružaoци"), key(&tr, "pruzaoci"));
        assert_eq!(key(&tr, "Mitrovicës"), "mitrovices");
        assert_eq!(key(&tr, "çështje"), "ceshtje");
        assert_eq!(key(&tr, "Ћуприја"), key(&tr, "Cuprija"));
        assert_eq!(key(&tr, "„Лични пратилац“"), "\"licni pratilac\"");
    }

    /// Strings drawn from `alphabet` by a fixed linear congruential
    /// generator: the same cases on every run.
    pub(crate) fn generated(alphabet: &[&str], n: usize, max_len: u64) -> Vec<String> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        (0..n)
            .map(|_| {
                let len = next() % (max_len + 1);
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    /// Pieces that exercise every branch of both paths: ASCII, Latin with
    /// diacritics (composed and not), Serbian and Russian Cyrillic with
    /// digraph letters, look-alikes, the digit 3, odd spaces, invisible
    /// characters, combining marks (some not NFC-composable), quotes,
    /// dashes and characters whose case mapping is not one to one.
    const PIECES: &[&str] = &[
        "a",
        "B",
        "z",
        "Q",
        "lj",
        "Nj",
        "dž",
        "3",
        "7",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        ".",
        ",",
        "-",
        "/",
        "%",
        "`",
        "´",
        "„",
        "“",
        "–",
        "—",
        "«",
        "\u{00A0}",
        "\u{2009}",
        "\u{00AD}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{0001}",
        "č",
        "Ć",
        "đ",
        "Đ",
        "š",
        "Ž",
        "ë",
        "Ç",
        "é",
        "Å",
        "ø",
        "ß",
        "ẞ",
        "İ",
        "\u{212A}",
        "c\u{030C}",
        "\u{0301}",
        "\u{0591}",
        "\u{0592}",
        "\u{05AE}",
        "а",
        "о",
        "р",
        "с",
        "А",
        "Р",
        "Љ",
        "љ",
        "Њ",
        "Џ",
        "џ",
        "Ђ",
        "ш",
        "Ж",
        "ћ",
        "ы",
        "Ѐ",
        "Й",
        "и\u{0306}",
        "Ω",
        "ς",
        "Σ",
        "²",
        "×",
        "中",
        "€",
    ];

    #[test]
    fn one_pass_key_equals_the_step_by_step_key() {
        let tr = crate::normalize::norm::embedded().translit;
        let words = [
            "Социјална заштита",
            "SOCIJALNA ZAŠTITA",
            "ЉУБОВИЈА",
            "Љубовија Lj",
            "Pružaoци usluga",
            "Општинa Ириг",
            "СOЦИЈAЛНА 3АШТИТА",
            "Мера 3.1",
            "Mitrovicës së Jugut",
            "„Лични пратилац“ – «x»",
            "so\u{00AD}ci\u{200B}jal\u{FEFF}no",
            "Poc\u{30C}etak",
            "a\u{0592}\u{200B}\u{0591}b",
        ];
        let mut direct_hits = 0;
        let cases = generated(PIECES, 30_000, 10);
        for s in words.iter().map(|w| w.to_string()).chain(cases) {
            let slow = general(&tr, &s);
            if let Some(fast) = direct(&tr, &s) {
                direct_hits += 1;
                assert_eq!(fast, slow, "{s:?}");
            }
            assert_eq!(key(&tr, &s), slow, "{s:?}");
        }
        // The fast path must actually be taken on most generated input.
        assert!(direct_hits > 10_000, "{direct_hits}");
        for w in [
            "Социјална заштита",
            "Mitrovicës së Jugut",
            "ЉУБОВИЈА",
            "a b",
        ] {
            assert!(
                direct(&tr, w).is_some(),
                "{w:?} should take the one-pass path"
            );
        }
    }

    #[test]
    fn nfc_starters_agree_with_the_unicode_tables() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| text::nfc_starter(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
    }

    #[test]
    fn whitespace_is_never_kept_as_a_letter() {
        // The one-pass key treats Keep characters as non-whitespace.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                assert!(!matches!(text::class(c), text::Class::Keep), "{c:?}");
            }
        }
    }
}
