//! Years and dates as plans write them: the one place that says what a
//! year, a year header, a two-year span or a dotted date looks like. The
//! number parser, the structure pass, budgets, document facts and the
//! checks all ask here.
//!
//! In: a value or a text. Out: whether it is a year, the years it names, or
//! a date as written and in ISO form. Periods as parsed quantities
//! (`2022-2027`, `2023/24`) are the number parser's ([`super::numbers`],
//! `Kind::Period`); this module only recognises the years they are made of.
//!
//! Each reader's rule is kept as it was, so the ranges differ by caller: a
//! number read in running text is a year from 1900 to 2100 ([`is_year`]);
//! years named in cells and texts are 19xx or 20xx ([`years`]); a header
//! that is only a year names one from 1990 to 2100 ([`year_header`]).

use super::Norm;
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A parsed value that reads as a year: a whole number from 1900 to 2100.
pub fn is_year(v: f64) -> bool {
    (1900.0..=2100.0).contains(&v) && v.fract() == 0.0
}

fn re_year() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?:^|[^\d])((?:19|20)\d\d)(?:[^\d]|$)").expect("static regex"))
}

/// Years 1900–2099 written in `s`, in order. A year must not touch another
/// digit of any script (`\d` is Unicode here).
pub fn years(s: &str) -> Vec<i32> {
    // Overlapping matches ("2024-2025") need a manual scan: the regex eats
    // the separator.
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(m) = re_year().captures(rest) {
        let Some(y) = m.get(1) else { break };
        if let Ok(v) = y.as_str().parse() {
            out.push(v);
        }
        rest = &rest[y.end()..];
    }
    out
}

fn re_year_ascii() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)").expect("valid regex")
    })
}

/// [`years`] where only ASCII digits count as neighbours: what the checks
/// read from indicator statements. The two differ only beside digits of
/// other scripts; they stay two so that neither reader's output changes.
pub fn years_ascii(s: &str) -> Vec<i32> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = s.get(at..).and_then(|r| re_year_ascii().captures(r)) {
        let Some(m) = c.get(1) else { break };
        if let Ok(y) = m.as_str().parse() {
            out.push(y);
        }
        at += m.end();
    }
    out
}

/// A year written alone in a header cell ("2026", "2027."): four digits
/// starting with 1 or 2, an ending dot allowed.
pub fn is_year_cell(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    t.len() == 4 && t.starts_with(['1', '2']) && t.chars().all(|c| c.is_ascii_digit())
}

/// A header cell that is only a year ("2026", "2026.", "2022*",
/// "2023. година", "Godina 2025"), the year from 1990 to 2100.
pub fn year_header(norm: &Norm, text: &str) -> Option<i32> {
    let four_digits = |s: &str| {
        s.as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit))
    };
    // Cheapest test first, on the text as it is: a header is short and a
    // year has four digits in a row (most cells tested are neither).
    if text.len() > 96 || !four_digits(text) {
        return None;
    }
    // The unit in brackets belongs to the column, not to its year
    // ("2025. (u 000 din)"); the year must be outside them.
    let t = outside_brackets(text);
    let t = t.trim();
    if t.chars().count() > 24 || !four_digits(t) {
        return None;
    }
    let key = norm.key(t);
    let mut k = key.trim_matches(|c: char| c == '*' || c == '.' || c == ' ');
    for w in ["godina", "godine", "god", "viti", "vitin"] {
        if let Some(rest) = k.strip_suffix(w) {
            k = rest.trim_matches(|c: char| c == '*' || c == '.' || c == ' ');
        }
        // "Godina 2025", "Viti 2025".
        if let Some(rest) = k.strip_prefix(w)
            && rest.starts_with([' ', '.'])
        {
            k = rest.trim_matches(|c: char| c == '*' || c == '.' || c == ' ');
        }
    }
    if k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = k.parse().ok()?;
        if (1990..=2100).contains(&y) {
            return Some(y);
        }
    }
    None
}

/// A text without its bracketed parts ("2025 (RSD)" → "2025 ").
pub fn outside_brackets(text: &str) -> Cow<'_, str> {
    if !text.contains(['(', '[']) {
        return Cow::Borrowed(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    Cow::Owned(plain)
}

/// Whether a text holds at least two year-like numbers: four digits
/// starting with 1 or 2 between non-digits (cheap, before a period's words
/// are looked for).
pub fn two_years(t: &str) -> bool {
    let b = t.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i + 4 <= b.len() {
        let w = &b[i..i + 4];
        let edge_before = i == 0 || !b[i - 1].is_ascii_digit();
        let edge_after = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if edge_before
            && edge_after
            && w.iter().all(u8::is_ascii_digit)
            && (w[0] == b'1' || w[0] == b'2')
        {
            n += 1;
            i += 4;
        } else {
            i += 1;
        }
    }
    n >= 2
}

/// A day.month.year date ("05.06.2024", "5. 6. 2024."): as written and in
/// ISO form. For dates the number reader did not take.
pub fn dotted_date(t: &str) -> Option<(String, Option<String>)> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b\.?").ok())
        .as_ref()?;
    let c = re.captures(t)?;
    let d: u32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let y: u32 = c.get(3)?.as_str().parse().ok()?;
    if !(1..=31).contains(&d) || !(1..=12).contains(&m) {
        return None;
    }
    Some((
        c.get(0)?.as_str().to_string(),
        Some(format!("{y:04}-{m:02}-{d:02}")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_as_values() {
        assert!(is_year(2024.0));
        assert!(is_year(1900.0) && is_year(2100.0));
        assert!(!is_year(1899.0) && !is_year(2101.0) && !is_year(2024.5));
    }

    #[test]
    fn years_in_texts() {
        assert_eq!(years("2024-2025"), vec![2024, 2025]);
        assert_eq!(years("период 2022–2027. године"), vec![2022, 2027]);
        assert!(years("12025").is_empty());
        assert!(years("1850 2101").is_empty());
        // The two readers differ only beside digits of other scripts.
        assert!(years("٣2024").is_empty());
        assert_eq!(years_ascii("٣2024"), vec![2024]);
        assert_eq!(years_ascii("2024/2025"), years("2024/2025"));
    }

    #[test]
    fn year_cells_and_headers() {
        let norm = crate::normalize::norm::embedded();
        assert!(is_year_cell(" 2027. "));
        assert!(!is_year_cell("2027 god"));
        assert!(!is_year_cell("3027"));
        assert_eq!(year_header(&norm, "Viti 2025"), Some(2025));
        assert_eq!(year_header(&norm, "2025. (u 000 din)"), Some(2025));
        assert_eq!(year_header(&norm, "1985."), None);
        assert_eq!(year_header(&norm, "(2025)"), None);
        assert_eq!(outside_brackets("2025 [RSD] (u 000)"), "2025  ");
    }

    #[test]
    fn two_years_and_dotted_dates() {
        assert!(two_years("za period 2022-2027"));
        assert!(!two_years("za 2022. godinu"));
        assert!(!two_years("20222 i 2027"));
        assert_eq!(
            dotted_date("usvojen 05.06.2024. godine"),
            Some(("05.06.2024.".to_string(), Some("2024-06-05".to_string())))
        );
        assert_eq!(
            dotted_date("5. 6. 2024"),
            Some(("5. 6. 2024".to_string(), Some("2024-06-05".to_string())))
        );
        assert_eq!(dotted_date("32.01.2024"), None);
    }
}
