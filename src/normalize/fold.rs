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
///
/// Extraction asks for the keys of the same cells and headers many times
/// (each pass, each header test), so short inputs are memoized per thread.
/// The key depends only on `s` and the process-wide mappings, which are
/// fixed before any text is read. The memo is cleared when full, so its
/// memory stays bounded.
pub fn key(s: &str) -> String {
    const MAX_LEN: usize = 256;
    const MAX_ENTRIES: usize = 8192;
    thread_local! {
        static MEMO: std::cell::RefCell<super::fast_hash::HashMap<String, String>> =
            std::cell::RefCell::new(Default::default());
    }
    if s.len() > MAX_LEN {
        return compute(s);
    }
    if let Some(k) = MEMO.with(|m| m.borrow().get(s).cloned()) {
        return k;
    }
    let k = compute(s);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(s.to_string(), k.clone());
    });
    k
}

fn compute(s: &str) -> String {
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

    #[test]
    fn memoized_keys_equal_computed_ones() {
        for s in [
            "Социјална заштита",
            "Socijalna zaštita",
            "",
            "  a  b ",
            "Đorđe",
        ] {
            assert_eq!(key(s), compute(s));
            assert_eq!(key(s), compute(s), "second call, from the memo");
        }
        let long = "Социјална заштита ".repeat(40);
        assert_eq!(key(&long), compute(&long));
        // Past the bound the memo starts over and stays correct.
        for i in 0..9000 {
            let s = format!("Мера {i}");
            assert_eq!(key(&s), format!("mera {i}"));
        }
    }
}
