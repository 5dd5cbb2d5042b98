//! Which characters of two short raw values differ: `6949` against
//! `69497` marks the trailing `7`, `3.5 – 4 %` against `3,5-4%` the
//! separators. Computed here, not in the page's script, so the marks are in
//! the HTML bytes and tests can see them.
//!
//! In: two strings. Out: one flag per character of each, set where the
//! character is outside a longest common subsequence of the two — only for
//! two figures that are mostly alike: between words (`14 serb` against
//! `243 Srba`, a translation) nearly every character would be marked,
//! which says nothing.

/// Longer values are not diffed: the table is quadratic, and a raw value
/// that long is a sentence, where a character diff helps nobody.
const MAX_CHARS: usize = 200;

/// Below this share of the shorter value in common, two values are
/// different statements rather than one figure written two ways.
const MIN_COMMON: f64 = 2.0 / 3.0;

/// Per character of `a` and of `b`: does it differ? `None` when the values
/// are equal, too long, not both figures (a digit in each), or have less
/// than `MIN_COMMON` of the shorter in common.
pub fn differing(a: &str, b: &str) -> Option<(Vec<bool>, Vec<bool>)> {
    let digit = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    if a == b || !digit(a) || !digit(b) {
        return None;
    }
    let x: Vec<char> = a.chars().collect();
    let y: Vec<char> = b.chars().collect();
    if x.len() > MAX_CHARS || y.len() > MAX_CHARS {
        return None;
    }
    let (n, m) = (x.len(), y.len());
    // lcs[i][j]: length of the longest common subsequence of x[i..], y[j..].
    let w = m + 1;
    let mut lcs = vec![0u16; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if x[i] == y[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let common = f64::from(lcs[0]);
    if common < MIN_COMMON * n.min(m) as f64 {
        return None;
    }
    let mut fx = vec![true; n];
    let mut fy = vec![true; m];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if x[i] == y[j] {
            fx[i] = false;
            fy[j] = false;
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            // Ties go to dropping from `a` first, so the result is fixed.
            i += 1;
        } else {
            j += 1;
        }
    }
    Some((fx, fy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str, f: &[bool]) -> String {
        s.chars()
            .zip(f)
            .map(|(c, &d)| if d { format!("[{c}]") } else { c.to_string() })
            .collect()
    }

    #[test]
    fn a_dropped_digit_is_the_only_difference() {
        let (a, b) = differing("6949", "69497").unwrap_or_default();
        assert_eq!(marked("6949", &a), "6949");
        assert_eq!(marked("69497", &b), "6949[7]");
    }

    #[test]
    fn decimal_separators_and_spaces_differ() {
        let (a, b) = differing("30.5%", "30,5%").unwrap_or_default();
        assert_eq!(marked("30.5%", &a), "30[.]5%");
        assert_eq!(marked("30,5%", &b), "30[,]5%");
    }

    #[test]
    fn equal_or_long_values_are_not_diffed() {
        assert!(differing("12", "12").is_none());
        let long = "1".repeat(MAX_CHARS + 1);
        assert!(differing(&long, "1").is_none());
    }

    #[test]
    fn words_and_unlike_figures_are_not_diffed() {
        assert!(differing("14 serb", "243 Srba").is_none());
        assert!(differing("pesëmbëdhjetë", "pet").is_none());
        assert!(differing("1200", "3456").is_none());
        let (a, b) = differing("1 200", "1.200,5").unwrap_or_default();
        assert_eq!(marked("1 200", &a), "1[ ]200");
        assert_eq!(marked("1.200,5", &b), "1[.]200[,][5]");
    }
}
