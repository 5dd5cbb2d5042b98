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

/// At most this many cells of the score matrix (about 10 bytes each); past
/// it the band narrows.
const MAX_CELLS: usize = 16 << 20;

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
    // Only cells near the (scaled) diagonal are computed and stored, row by
    // row, so time and memory grow with n × band, not n × m: a document with
    // tens of thousands of numbered paragraphs stays cheap.
    let half = band_half(n, m, band);
    let lo = |i: usize| -> usize {
        let diag = (i * m).checked_div(n).unwrap_or(0);
        diag.saturating_sub(half)
    };
    let hi = |i: usize| -> usize {
        let diag = (i * m).checked_div(n).unwrap_or(0);
        diag.saturating_add(half).min(m)
    };
    let mut offset = Vec::with_capacity(n + 2);
    offset.push(0usize);
    for i in 0..=n {
        let last = offset[i];
        offset.push(last + (hi(i) - lo(i) + 1));
    }
    let cells = offset[n + 1];
    let at = |i: usize, j: usize| -> Option<usize> {
        (j >= lo(i) && j <= hi(i)).then(|| offset[i] + j - lo(i))
    };
    let mut best = vec![NEG; cells];
    // Back pointer: the (di, dj) of the step that reached the cell.
    let mut back = vec![(0u8, 0u8); cells];
    let get = |best: &[f64], i: usize, j: usize| at(i, j).map_or(NEG, |k| best[k]);
    if let Some(k) = at(0, 0) {
        best[k] = 0.0;
    }
    let steps: &[(usize, usize)] = if groups { &GROUPS } else { &GROUPS[..1] };
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            if i == 0 && j == 0 {
                continue;
            }
            let mut b = NEG;
            let mut from = (0u8, 0u8);
            if i > 0 {
                let prev = get(&best, i - 1, j);
                if prev > NEG {
                    let s = prev - gap_a(i - 1);
                    if s > b {
                        b = s;
                        from = (1, 0);
                    }
                }
            }
            if j > 0 {
                let prev = get(&best, i, j - 1);
                if prev > NEG {
                    let s = prev - gap_b(j - 1);
                    if s > b {
                        b = s;
                        from = (0, 1);
                    }
                }
            }
            for &(di, dj) in steps {
                if i < di || j < dj {
                    continue;
                }
                let prev = get(&best, i - di, j - dj);
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
            if let Some(k) = at(i, j) {
                best[k] = b;
                back[k] = from;
            }
        }
    }
    trace_back(n, m, at, &back)
}

/// How far from the diagonal each row's band reaches: the requested band
/// plus the length difference, narrowed so the table stays under
/// `MAX_CELLS` but never so narrow that consecutive rows stop overlapping.
fn band_half(n: usize, m: usize, band: usize) -> usize {
    let slack = band.saturating_add(n.abs_diff(m));
    // Consecutive rows' bands must overlap, or no path crosses them.
    let min_half = m.div_ceil(n.max(1)) + 1;
    if (n + 1).saturating_mul(slack.saturating_mul(2).saturating_add(1).min(m + 1)) > MAX_CELLS {
        (MAX_CELLS / (2 * (n + 1))).max(min_half)
    } else {
        slack
    }
}

/// Follows the back pointers from (n, m) to the origin; cells outside the
/// band are left by gaps.
fn trace_back(
    n: usize,
    m: usize,
    at: impl Fn(usize, usize) -> Option<usize>,
    back: &[(u8, u8)],
) -> Vec<Step> {
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = at(i, j).map_or((0, 0), |k| back[k]);
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

    /// Every item of both sides appears in exactly one step, in order.
    fn covers(steps: &[Step], n: usize, m: usize) {
        let (mut i, mut j) = (0, 0);
        for s in steps {
            assert_eq!((s.a.start, s.b.start), (i, j), "{s:?}");
            i = s.a.end;
            j = s.b.end;
        }
        assert_eq!((i, j), (n, m));
    }

    #[test]
    fn long_sequences_stay_within_the_band() {
        // 300k × 300k would be 9e10 cells in a full matrix.
        let a: Vec<i32> = (0..300_000).collect();
        let s = run(&a, &a, false);
        assert_eq!(s.len(), a.len());
        assert!(s.iter().all(|s| s.is_match() && s.a == s.b));
        // Very unequal lengths: the band narrows past the cell bound but a
        // path still crosses every row.
        let b: Vec<i32> = (0..300_000).step_by(7).collect();
        let s = run(&a, &b, false);
        covers(&s, a.len(), b.len());
        let s = run(&b, &a, true);
        covers(&s, b.len(), a.len());
        covers(&run(&[], &[1, 2], true), 0, 2);
        covers(&run(&[1, 2], &[], true), 2, 0);
    }

    #[test]
    fn split_item_is_one_group() {
        let s = run(&[1, 5, 9], &[1, 2, 3, 9], true);
        assert!(s.contains(&Step { a: 1..2, b: 1..3 }), "{s:?}");
    }
}
