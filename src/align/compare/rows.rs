//! Rows of two paired tables: repeated header rows set aside, rows aligned
//! as sequences, cells compared number by number, rows left alone reported.

use super::*;

/// One aligned group of rows, numbers aligned in order.
pub(super) struct RowPair<'a> {
    pub(super) ta: Vec<&'a Tok>,
    pub(super) tb: Vec<&'a Tok>,
    pub(super) steps: Vec<Step>,
    pub(super) grouped: bool,
}

/// The table without header rows repeated after a page break (a later row
/// with the text of one of the first two), so that a row split by that
/// page break joins its other half. Repeated data rows stay.
pub(super) fn without_repeats(norm: &crate::normalize::Norm, t: &TableUnits) -> TableUnits {
    let heads: Vec<String> = t
        .rows
        .iter()
        .take(2)
        .map(|r| norm.key(&r.text))
        .filter(|k| !k.is_empty())
        .collect();
    let mut t = t.clone();
    let mut i = 0;
    t.rows.retain(|r| {
        i += 1;
        i <= 2 || !heads.contains(&norm.key(&r.text))
    });
    t
}

pub(super) fn rows(norm: &crate::normalize::Norm, ta: &TableUnits, tb: &TableUnits, out: &mut Out) {
    let (ta, tb) = (&without_repeats(norm, ta), &without_repeats(norm, tb));
    let pairs = pair_rows(ta, tb, out);
    compare_pairs(&pairs, out);
}

/// Rows of the two tables aligned as sequences (a row may pair with a
/// group of rows split by a page break), the numbers of each pair aligned
/// in order; rows left alone are reported.
fn pair_rows<'t>(ta: &'t TableUnits, tb: &'t TableUnits, out: &mut Out) -> Vec<RowPair<'t>> {
    let ka: Vec<Vec<i64>> = ta.rows.iter().map(|r| sorted_keys(r.toks.iter())).collect();
    let kb: Vec<Vec<i64>> = tb.rows.iter().map(|r| sorted_keys(r.toks.iter())).collect();
    let (wa, wb) = interned(
        ta.rows.iter().map(|r| &r.keys),
        tb.rows.iter().map(|r| &r.keys),
    );
    let steps = seq::align(
        ta.rows.len(),
        tb.rows.len(),
        true,
        60,
        &mut |ra, rb| {
            let grouped = ra.len() > 1 || rb.len() > 1;
            let na: usize = ka[ra.clone()].iter().map(Vec::len).sum();
            let nb: usize = kb[rb.clone()].iter().map(Vec::len).sum();
            if na == 0 && nb == 0 {
                if grouped {
                    return None;
                }
                let sim = similarity_ids(&wa[ra.start], &wb[rb.start]);
                return Some(0.3 + 0.3 * sim);
            }
            if na == 0 || nb == 0 {
                // The same row whose numbers were all lost or garbled on
                // one side: only when the texts agree.
                let sim = similarity_ids(&wa[ra.start], &wb[rb.start]);
                return (!grouped && sim >= 0.6).then_some(0.3 + 0.5 * sim);
            }
            let (va, vb) = (merged_keys(&ka[ra.clone()]), merged_keys(&kb[rb.clone()]));
            let ov = overlap(&va, &vb);
            if grouped && ov < na.max(nb) {
                return None;
            }
            let sim = similarity_ids(&wa[ra.start], &wb[rb.start]);
            let mut s = 2.0 * ov as f64 / (na + nb) as f64 + 0.3 * sim;
            if na == nb {
                s += 0.2;
            }
            if grouped {
                s -= 0.25;
            }
            Some(s)
        },
        &|i| if ka[i].is_empty() { 0.05 } else { 0.5 },
        &|j| if kb[j].is_empty() { 0.05 } else { 0.5 },
    );
    let mut pairs = Vec::new();
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                let ta_toks: Vec<&Tok> = ta.rows[s.a.clone()]
                    .iter()
                    .flat_map(|r| r.toks.iter())
                    .collect();
                let tb_toks: Vec<&Tok> = tb.rows[s.b.clone()]
                    .iter()
                    .flat_map(|r| r.toks.iter())
                    .collect();
                let st = seq::align(
                    ta_toks.len(),
                    tb_toks.len(),
                    false,
                    1000,
                    &mut |ra, rb| {
                        let (x, y) = (ta_toks[ra.start], tb_toks[rb.start]);
                        if x.same(y) {
                            Some(1.0)
                        } else if compatible(x, y) {
                            Some(-0.1)
                        } else {
                            None
                        }
                    },
                    &|_| 0.55,
                    &|_| 0.55,
                );
                pairs.push(RowPair {
                    ta: ta_toks,
                    tb: tb_toks,
                    steps: st,
                    grouped: s.a.len() > 1 || s.b.len() > 1,
                });
            }
            (false, true) => lone_row(ta, s.a.start, true, out),
            (true, false) => lone_row(tb, s.b.start, false, out),
            (true, true) => {}
        }
    }
    pairs
}

/// The numbers of paired rows compared: the same value (moved when its
/// column offset differs from the row's, else the table's), a mismatch, or
/// left over.
fn compare_pairs(pairs: &[RowPair<'_>], out: &mut Out) {
    // The column offset most rows agree on: a column added or lost by the
    // export moves every value, a value moved by hand moves alone.
    let offset = |x: &Tok, y: &Tok| y.rel as i64 - x.rel as i64;
    let mut table_mode: BTreeMap<i64, usize> = BTreeMap::new();
    for p in pairs.iter().filter(|p| !p.grouped) {
        for s in p.steps.iter().filter(|s| s.is_match()) {
            let (x, y) = (p.ta[s.a.start], p.tb[s.b.start]);
            if x.same(y) {
                *table_mode.entry(offset(x, y)).or_insert(0) += 1;
            }
        }
    }
    let mode_of = |m: &BTreeMap<i64, usize>| -> Option<i64> {
        let best = m.values().max()?;
        let top: Vec<i64> = m
            .iter()
            .filter(|(_, n)| *n == best)
            .map(|(k, _)| *k)
            .collect();
        (top.len() == 1).then(|| top[0])
    };
    let tmode = mode_of(&table_mode);
    // A regular table (nearly every value at the same offset) lets a row
    // with a single value be judged by the table; in an irregular one
    // (merged cells exported differently row by row) only the order of the
    // non-empty cells counts.
    let total: usize = table_mode.values().sum();
    let regular = tmode.is_some_and(|m| table_mode[&m] * 10 >= total * 9);
    // Rows holding a single value are judged among themselves: in a
    // key–value table they all sit at one offset, in a matrix whose merged
    // cells the export spread differently they do not.
    let mut single_mode: BTreeMap<i64, usize> = BTreeMap::new();
    for p in pairs.iter().filter(|p| !p.grouped) {
        let same: Vec<i64> = p
            .steps
            .iter()
            .filter(|s| s.is_match())
            .map(|s| (p.ta[s.a.start], p.tb[s.b.start]))
            .filter(|(x, y)| x.same(y))
            .map(|(x, y)| offset(x, y))
            .collect();
        if let [o] = same.as_slice() {
            *single_mode.entry(*o).or_insert(0) += 1;
        }
    }
    let smode = mode_of(&single_mode);
    let singles: usize = single_mode.values().sum();
    let regular_single = singles >= 3 && smode.is_some_and(|m| single_mode[&m] * 10 >= singles * 9);
    for p in pairs {
        let mut row_mode: BTreeMap<i64, usize> = BTreeMap::new();
        for s in p.steps.iter().filter(|s| s.is_match()) {
            let (x, y) = (p.ta[s.a.start], p.tb[s.b.start]);
            if x.same(y) {
                *row_mode.entry(offset(x, y)).or_insert(0) += 1;
            }
        }
        let rmode = mode_of(&row_mode).filter(|m| row_mode[m] >= 2);
        let several = row_mode.values().sum::<usize>() >= 2;
        let is_moved = |x: &Tok, y: &Tok| -> bool {
            match rmode {
                Some(m) => offset(x, y) != m,
                None if several => {
                    offset(x, y) != tmode.unwrap_or(0) && (x.nth != y.nth || regular)
                }
                None => {
                    let m = smode.or(tmode).unwrap_or(0);
                    offset(x, y) != m && (x.nth != y.nth || regular_single)
                }
            }
        };
        let (mut la, mut lb) = (Vec::new(), Vec::new());
        for s in &p.steps {
            match (s.a.is_empty(), s.b.is_empty()) {
                (false, false) => {
                    let (x, y) = (p.ta[s.a.start], p.tb[s.b.start]);
                    if x.same(y) {
                        if !p.grouped && is_moved(x, y) {
                            moved(x, y, out);
                        } else {
                            same_value(FindingKind::TableCell, x, y, out);
                        }
                    } else {
                        mismatch(FindingKind::TableCell, x, y, out);
                    }
                }
                (false, true) => la.push(p.ta[s.a.start]),
                (true, false) => lb.push(p.tb[s.b.start]),
                (true, true) => {}
            }
        }
        leftovers(FindingKind::TableCell, la, lb, out);
    }
}

pub(super) fn lone_row(t: &TableUnits, ri: usize, in_a: bool, out: &mut Out) {
    let r = &t.rows[ri];
    if r.toks.is_empty() {
        // A text-only row: no figure is at stake.
        return;
    }

    let p = Place {
        raw: r.text.clone(),
        value: None,
        provenance: r.provenance.clone(),
        context: r.text.clone(),
    };
    let (sev, a, b) = if in_a {
        (Severity::Missing, Some(p), None)
    } else {
        (Severity::Extra, None, Some(p))
    };
    out.findings.push(finding(
        FindingKind::TableRow,
        sev,
        a,
        b,
        format!(
            "row {} of {} ({} numbers) has no counterpart in {}",
            r.index + 1,
            t.id,
            r.toks.len(),
            if in_a { "b" } else { "a" }
        ),
    ));
}
