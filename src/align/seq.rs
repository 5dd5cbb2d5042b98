//! Order-preserving alignment of two sequences (Needleman–Wunsch with
//! grouped steps).
//!
//! In: the lengths of two sequences, a score for matching a group of one to
//! three items of `a` with a group of one to three items of `b`, and a gap
//! cost per item. Out: the best-scoring list of steps. Grouped steps are
//! what lets a table row split by a page break (one row in `a`, two in `b`)
//! or a paragraph split in two still align as one unit.

use std::ops::Range;

/// One step of an alignment: items `a` of the first sequence with items
/// `b` of the second; one side empty for a gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

impl Step {
    pub fn is_match(&self) -> bool {
        !self.a.is_empty() && !self.b.is_empty()
    }
}

/// Group sizes tried besides 1:1.
const GROUPS: [(usize, usize); 5] = [(1, 1), (1, 2), (2, 1), (1, 3), (3, 1)];

/// Aligns `n` items with `m` items. `score(a, b)` returns the gain of
/// matching the two groups, or `None` when they cannot match; `gap_a(i)` and
/// `gap_b(j)` the (non-negative) cost of leaving one item unmatched.
/// `groups` allows the grouped steps; `band` limits how far from the
/// diagonal the path may go (in items), so long sequences stay cheap.
pub fn align(
    n: usize,
    m: usize,
    groups: bool,
    band: usize,
    score: &mut dyn FnMut(Range<usize>, Range<usize>) -> Option<f64>,
    gap_a: &dyn Fn(usize) -> f64,
    gap_b: &dyn Fn(usize) -> f64,
) -> Vec<Step> {
    const NEG: f64 = f64::NEG_INFINITY;
    let w = m + 1;
    let mut best = vec![NEG; (n + 1) * w];
    // Back pointer: the (di, dj) of the step that reached the cell.
    let mut back = vec![(0u8, 0u8); (n + 1) * w];
    best[0] = 0.0;
    let steps: &[(usize, usize)] = if groups { &GROUPS } else { &GROUPS[..1] };
    let in_band = |i: usize, j: usize| -> bool {
        // The diagonal of a rectangle, scaled so unequal lengths still fit.
        let diag = (i * m).checked_div(n).unwrap_or(0);
        diag.abs_diff(j) <= band + n.abs_diff(m)
    };
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            if !in_band(i, j) {
                continue;
            }
            let mut b = NEG;
            let mut from = (0u8, 0u8);
            if i > 0 && best[(i - 1) * w + j] > NEG {
                let s = best[(i - 1) * w + j] - gap_a(i - 1);
                if s > b {
                    b = s;
                    from = (1, 0);
                }
            }
            if j > 0 && best[i * w + j - 1] > NEG {
                let s = best[i * w + j - 1] - gap_b(j - 1);
                if s > b {
                    b = s;
                    from = (0, 1);
                }
            }
            for &(di, dj) in steps {
                if i < di || j < dj {
                    continue;
                }
                let prev = best[(i - di) * w + j - dj];
                if prev == NEG {
                    continue;
                }
                if let Some(s) = score(i - di..i, j - dj..j) {
                    let s = prev + s;
                    if s > b {
                        b = s;
                        from = (di as u8, dj as u8);
                    }
                }
            }
            best[i * w + j] = b;
            back[i * w + j] = from;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = back[i * w + j];
        let (di, dj) = (di as usize, dj as usize);
        if di == 0 && dj == 0 {
            // Unreachable cell (outside the band): fall back to gaps.
            if i > 0 {
                out.push(Step {
                    a: i - 1..i,
                    b: j..j,
                });
                i -= 1;
            } else {
                out.push(Step {
                    a: i..i,
                    b: j - 1..j,
                });
                j -= 1;
            }
            continue;
        }
        out.push(Step {
            a: i - di..i,
            b: j - dj..j,
        });
        i -= di;
        j -= dj;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &[i32], b: &[i32], groups: bool) -> Vec<Step> {
        align(
            a.len(),
            b.len(),
            groups,
            50,
            &mut |ra, rb| {
                let sa: i32 = a[ra].iter().sum();
                let sb: i32 = b[rb.clone()].iter().sum();
                (sa == sb).then_some(1.0)
            },
            &|_| 0.4,
            &|_| 0.4,
        )
    }

    #[test]
    fn gaps_and_matches() {
        let s = run(&[1, 2, 3], &[1, 3], false);
        assert_eq!(s.iter().filter(|s| s.is_match()).count(), 2);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn split_item_is_one_group() {
        let s = run(&[1, 5, 9], &[1, 2, 3, 9], true);
        assert!(s.contains(&Step { a: 1..2, b: 1..3 }), "{s:?}");
    }
}
