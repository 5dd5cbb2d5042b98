//! Folding keys for comparing text across scripts, spellings and case.
//!
//! In: a word or phrase in Serbian (either script, with or without
//! diacritics) or Albanian. Out: a key where `Социјална заштита`,
//! `Socijalna zaštita`, `SOCIJALNA ZASTITA` and `socijalna  zastita` are
//! equal: normalized, mixed script repaired, Cyrillic transliterated,
//! lowercased, `č ć → c`, `š → s`, `ž → z`, `đ → dj`, Albanian `ë → e`,
//! `ç → c`, any other diacritic dropped, quotes and dashes unified, spacing
//! collapsed to one space. Keys are for matching only, never for output.

use super::{repair, text, translit};
use unicode_normalization::UnicodeNormalization;

/// The folding key of `s`.
pub fn key(s: &str) -> String {
    let norm = text::normalize(s);
    let (repaired, _) = repair::mixed_script(&norm);
    let latin = translit::to_latin(&repaired);
    let mut out = String::with_capacity(latin.len());
    let mut space = false;
    for c in latin.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            'đ' => out.push_str("dj"),
            'č' | 'ć' | 'ç' => out.push('c'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'ë' => out.push('e'),
            c if c.is_ascii() => out.push(c),
            // Other diacritics: decompose and keep the base letter.
            c => out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|d| !('\u{0300}'..='\u{036F}').contains(d)),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_across_spellings() {
        let k = key("Социјална заштита");
        assert_eq!(k, "socijalna zastita");
        assert_eq!(key("Socijalna zaštita"), k);
        assert_eq!(key("SOCIJALNA  ZASTITA "), k);
        assert_eq!(key("Ђорђе"), key("Djordje"));
        assert_eq!(key("Đorđe"), "djordje");
        assert_eq!(key("Љубовија"), key("LJUBOVIJA"));
        assert_eq!(key("Pružaoци"), key("pruzaoci"));
        assert_eq!(key("Mitrovicës"), "mitrovices");
        assert_eq!(key("çështje"), "ceshtje");
        assert_eq!(key("Ћуприја"), key("Cuprija"));
        assert_eq!(key("„Лични пратилац“"), "\"licni pratilac\"");
    }
}
