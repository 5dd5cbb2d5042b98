//! Sheet names and cell text within Excel's limits.

use std::collections::HashSet;

/// Excel's limit on the characters of one cell.
pub(super) const MAX_CELL_CHARS: usize = 32_767;

/// Sheet names: at most 31 UTF-16 units, none of `[]:*?/\` or `'`, unique
/// regardless of case (as Excel compares them), made from the pair or
/// document name in the run's order, so the same run gives the same names.
#[derive(Default)]
pub(super) struct SheetNames {
    taken: HashSet<String>,
}

impl SheetNames {
    pub fn claim(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// `P ` and the pair's name, the part both documents' names share
    /// shortened first, so what tells the sides apart stays readable.
    pub fn pair(&mut self, pair: &str) -> String {
        let (a, b) = pair.split_once('+').unwrap_or((pair, ""));
        let a = clean(a);
        let b = clean(b);
        let shared: usize = a
            .chars()
            .zip(b.chars())
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum();
        // Back to the last separator, so `…_sq` and `…_sr` keep their
        // whole language tags.
        let shared = a[..shared]
            .rfind(['_', '-', ' ', '.', '+'])
            .map_or(0, |i| i + 1);
        let (common, ra, rb) = (&a[..shared], &a[shared..], &b[shared..]);
        let rest = format!("{ra}+{rb}");
        let room = 29usize;
        let body = if utf16(&rest) + 4 <= room {
            format!("{}{rest}", fit(common, room - utf16(&rest)))
        } else {
            let half = (room - 1) / 2;
            format!("{}+{}", fit(&a, half), fit(&b, room - 1 - half))
        };
        self.unique(format!("P {body}"))
    }

    pub fn check(&mut self, doc: &str) -> String {
        self.unique(format!("C {}", fit(&clean(doc), 29)))
    }

    fn unique(&mut self, name: String) -> String {
        let name = name.trim_end().to_string();
        let mut candidate = name.clone();
        let mut n = 2u64;
        while self.taken.contains(&candidate.to_lowercase()) {
            let suffix = format!("~{n}");
            candidate = format!("{}{suffix}", cut(&name, 31 - suffix.len()));
            n += 1;
        }
        self.claim(&candidate);
        candidate
    }
}

/// A name without the characters Excel forbids in sheet names (and
/// without apostrophes, which would need quoting in links).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

pub(super) fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The first `max` UTF-16 units' worth of whole characters.
pub(super) fn cut(s: &str, max: usize) -> &str {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        n += c.len_utf16();
        if n > max {
            return &s[..i];
        }
    }
    s
}

/// `s` in at most `max` UTF-16 units: its start and end around a `~`.
fn fit(s: &str, max: usize) -> String {
    if utf16(s) <= max {
        return s.to_string();
    }
    if max < 3 {
        return cut(s, max).to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let chars: Vec<char> = s.chars().collect();
    let mut end = String::new();
    let mut n = 0;
    for c in chars.iter().rev() {
        if n + c.len_utf16() > tail {
            break;
        }
        n += c.len_utf16();
        end.insert(0, *c);
    }
    format!("{}~{end}", cut(s, head))
}

/// Text within Excel's limit on one cell (counted in UTF-16 units, as
/// Excel and the writer count it).
pub(super) fn clip(s: &str) -> &str {
    // Fewer bytes than the limit: fewer units too (a unit takes at least
    // one byte), so the common case costs nothing.
    if s.len() <= MAX_CELL_CHARS {
        return s;
    }
    cut(s, MAX_CELL_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_unique_and_clean() {
        let mut n = SheetNames::default();
        n.claim("contents");
        let p = n.pair("mitrovica-south_2024-2026_sq-Latn+mitrovica-south_2024-2026_sr-Latn");
        assert!(utf16(&p) <= 31, "{p}");
        assert!(p.ends_with("_sq-Latn+sr-Latn"), "{p}");
        let c1 = n.check("a/b:c*d?[e]'f");
        assert_eq!(c1, "C a_b_c_d__e__f");
        let long = "ljubovija_2026-2028_sr-Cyrl_a_very_long_name_indeed";
        let c2 = n.check(long);
        let c3 = n.check(&long.to_uppercase());
        assert!(utf16(&c2) <= 31 && utf16(&c3) <= 31);
        assert_ne!(c2.to_lowercase(), c3.to_lowercase());
        assert!(c3.ends_with("~2"), "{c3}");
        // Non-BMP characters count two units each, as Excel counts them.
        let e = n.check(&"😀".repeat(40));
        assert!(utf16(&e) <= 31, "{e}");
    }

    #[test]
    fn long_cells_are_clipped_to_excels_limit() {
        let s = "ж".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(clip(&s).chars().count(), MAX_CELL_CHARS);
        // Characters outside the BMP count two units each.
        let e = "😀".repeat(MAX_CELL_CHARS);
        assert_eq!(utf16(clip(&e)), MAX_CELL_CHARS - 1);
    }
}
