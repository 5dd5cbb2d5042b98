//! Tables and running text of two versions, aligned coarse to fine and
//! compared number by number.
//!
//! In: the [`super::tokens`] of both records. Out: findings. Tables pair by
//! caption number, shape and number fingerprint; their rows by numbers and
//! crosswalk text (a row split by a page break joins its other half;
//! repeated header rows are cheap gaps); the numbers of a row in order,
//! measured from the row's first non-empty cell so that a column lost or
//! added by the export shifts nothing. Paragraphs pair by numbers and text;
//! their numbers match by value in any order, then by label, then by
//! place.

use super::lexicon::{interned, similarity_ids};
use super::report::{Finding, Place, Severity};
use super::seq::{self, Step};
use super::tokens::value_key;
use super::tokens::{ParaUnit, TableUnits, Tok};
use crate::normalize::numbers::Kind;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the comparison produced.
#[derive(Debug, Default)]
pub struct Out {
    pub findings: Vec<Finding>,
    pub tables: u64,
    pub paragraphs: u64,
    pub table_pairs: Vec<[String; 2]>,
    pub skipped: Vec<String>,
}

pub fn place(t: &Tok) -> Place {
    Place {
        raw: t.raw.clone(),
        value: Some(t.value),
        provenance: t.provenance.clone(),
        context: t.context.clone(),
    }
}

pub fn finding(
    kind: &str,
    severity: Severity,
    a: Option<Place>,
    b: Option<Place>,
    detail: String,
) -> Finding {
    let context = a
        .as_ref()
        .or(b.as_ref())
        .map(|p| p.context.clone())
        .unwrap_or_default();
    Finding {
        id: String::new(),
        kind: kind.to_string(),
        severity,
        context,
        a,
        b,
        detail,
        expected: None,
        found: None,
        confidence: None,
    }
}

/// Size of the common part of two sorted multisets.
pub(crate) fn overlap(a: &[i64], b: &[i64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dice similarity of two sorted multisets (0 when both are empty).
pub(crate) fn dice(a: &[i64], b: &[i64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * overlap(a, b) as f64 / (a.len() + b.len()) as f64
}

/// The sorted keys of a group of rows or paragraphs; a single one's own
/// keys are borrowed (most steps of an alignment are one to one).
fn merged_keys(k: &[Vec<i64>]) -> std::borrow::Cow<'_, [i64]> {
    match k {
        [one] => std::borrow::Cow::Borrowed(one.as_slice()),
        _ => {
            let mut v: Vec<i64> = k.iter().flatten().copied().collect();
            v.sort_unstable();
            std::borrow::Cow::Owned(v)
        }
    }
}

fn sorted_keys<'a>(toks: impl Iterator<Item = &'a Tok>) -> Vec<i64> {
    let mut v: Vec<i64> = toks.map(Tok::key).collect();
    v.sort_unstable();
    v
}

/// The digits and separators of a number as written (`2,314` → `2,314`,
/// `dvesta` → ``), to tell a format change from a translation.
fn core(raw: &str) -> String {
    let s: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    s.trim_matches(|c| c == '.' || c == ',').to_string()
}

/// Same value on both sides: a `format_only` finding when it is written
/// differently (`2,314` and `2.314`, `3150` and `3.150`, digits and words).
fn same_value(kind: &str, x: &Tok, y: &Tok, out: &mut Out) {
    let (cx, cy) = (core(&x.raw), core(&y.raw));
    let differs = match (cx.is_empty(), cy.is_empty()) {
        (false, false) => cx != cy,
        (true, true) => false,
        _ => true,
    };
    if differs {
        out.findings.push(finding(
            kind,
            Severity::FormatOnly,
            Some(place(x)),
            Some(place(y)),
            format!("same value written `{}` and `{}`", x.raw, y.raw),
        ));
    }
}

fn mismatch(kind: &str, x: &Tok, y: &Tok, out: &mut Out) {
    out.findings.push(finding(
        kind,
        Severity::NumericMismatch,
        Some(place(x)),
        Some(place(y)),
        format!("`{}` against `{}`", x.raw, y.raw),
    ));
}

fn lone(kind: &str, t: &Tok, in_a: bool, out: &mut Out) {
    let (sev, a, b, d) = if in_a {
        (
            Severity::Missing,
            Some(place(t)),
            None,
            format!("`{}` has no counterpart in b", t.raw),
        )
    } else {
        (
            Severity::Extra,
            None,
            Some(place(t)),
            format!("`{}` has no counterpart in a", t.raw),
        )
    };
    out.findings.push(finding(kind, sev, a, b, d));
}

/// Two numbers that may be one value written differently or changed: the
/// same class, or a year and a plain integer (a year with a digit changed
/// stops reading as a year, `2011` → `2111`).
fn compatible(x: &Tok, y: &Tok) -> bool {
    let (a, b) = (x.class(), y.class());
    a == b || (a.min(b) == 0 && a.max(b) == 2 && x.kind != Kind::Date && y.kind != Kind::Date)
}

/// A change a person could make to a number: a digit dropped, changed or
/// swapped, a factor of ten.
fn plausible(x: &Tok, y: &Tok) -> bool {
    if !compatible(x, y) {
        return false;
    }
    let dx: Vec<char> = x.raw.chars().filter(char::is_ascii_digit).collect();
    let dy: Vec<char> = y.raw.chars().filter(char::is_ascii_digit).collect();
    if dx.is_empty() || dy.is_empty() {
        return true;
    }
    let ratio = if y.value != 0.0 {
        (x.value / y.value).abs().log10()
    } else {
        f64::NAN
    };
    if ratio.is_finite() && (ratio - ratio.round()).abs() < 1e-9 {
        return true;
    }
    let mut sx = dx.clone();
    let mut sy = dy.clone();
    sx.sort_unstable();
    sy.sort_unstable();
    sx == sy
        || strsim::levenshtein(
            &dx.iter().collect::<String>(),
            &dy.iter().collect::<String>(),
        ) <= 2
}

/// The numbers of `l` not marked used, in order.
fn keep<'t>(l: Vec<&'t Tok>, used: &[bool]) -> Vec<&'t Tok> {
    l.into_iter()
        .zip(used)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t)
        .collect()
}

/// Numbers that kept no partner after matching: the same value on both
/// sides is one value moved; an equal number of leftovers pair in order as
/// mismatches; the rest pair when plausible, else stand alone.
fn leftovers(kind: &str, la: Vec<&Tok>, lb: Vec<&Tok>, out: &mut Out) {
    // Same value: each number of a, in order, takes the first equal one of b.
    let mut groups = ValueGroups::default();
    for (j, y) in lb.iter().enumerate() {
        groups.insert(y, (), j);
    }
    let mut used_a = vec![false; la.len()];
    let mut used_b = vec![false; lb.len()];
    for (i, x) in la.iter().enumerate() {
        if let Some(j) = groups.first(x, &(), |j| x.same(lb[j])) {
            groups.remove(lb[j], &(), j);
            used_a[i] = true;
            used_b[j] = true;
            moved(x, lb[j], out);
        }
    }
    let (la, lb) = (keep(la, &used_a), keep(lb, &used_b));
    // Label first: "5 dece … 3 starijih" against "3 starijih … 6 dece" — a
    // label that stands once on each side pairs its two numbers.
    /// How often each label stands, and where first.
    fn count<'t>(l: &[&'t Tok]) -> HashMap<&'t str, (usize, usize)> {
        let mut c: HashMap<&str, (usize, usize)> = HashMap::new();
        for (k, t) in l.iter().enumerate() {
            c.entry(t.label.as_str()).or_insert((0, k)).0 += 1;
        }
        c
    }
    let (ca, cb) = (count(&la), count(&lb));
    let mut used_a = vec![false; la.len()];
    let mut used_b = vec![false; lb.len()];
    for (i, x) in la.iter().enumerate() {
        if x.label.is_empty() || ca.get(x.label.as_str()).map(|c| c.0) != Some(1) {
            continue;
        }
        if let Some(&(1, j)) = cb.get(x.label.as_str())
            && x.class() == lb[j].class()
        {
            used_a[i] = true;
            used_b[j] = true;
            mismatch(kind, x, lb[j], out);
        }
    }
    let (la, lb) = (keep(la, &used_a), keep(lb, &used_b));
    if la.len() == lb.len() && la.iter().zip(&lb).all(|(x, y)| compatible(x, y)) {
        for (x, y) in la.iter().zip(&lb) {
            mismatch(kind, x, y, out);
        }
        return;
    }
    let steps = seq::align(
        la.len(),
        lb.len(),
        false,
        1000,
        &mut |ra, rb| plausible(la[ra.start], lb[rb.start]).then_some(1.0),
        &|_| 0.3,
        &|_| 0.3,
    );
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => mismatch(kind, la[s.a.start], lb[s.b.start], out),
            (false, true) => lone(kind, la[s.a.start], true, out),
            (true, false) => lone(kind, lb[s.b.start], false, out),
            (true, true) => {}
        }
    }
}

fn moved(x: &Tok, y: &Tok, out: &mut Out) {
    out.findings.push(finding(
        "moved_cell",
        Severity::NumericMismatch,
        Some(place(x)),
        Some(place(y)),
        format!("`{}` sits in another cell in b", x.raw),
    ));
}

/// Pairs the tables of both versions and compares each pair.
/// `same_language`: both versions in one language (scripts may differ), so
/// that even a table of contents must agree, page numbers included.
pub fn tables(a: &[TableUnits], b: &[TableUnits], same_language: bool, out: &mut Out) {
    let va: Vec<Vec<i64>> = a.iter().map(TableUnits::values).collect();
    let vb: Vec<Vec<i64>> = b.iter().map(TableUnits::values).collect();
    let steps = seq::align(
        a.len(),
        b.len(),
        true,
        1000,
        &mut |ra, rb| {
            if ra.len() == 1 && rb.len() == 1 {
                let (i, j) = (ra.start, rb.start);
                return table_score(&a[i], &b[j], &va[i], &vb[j]);
            }
            // A table split in two by a page break on one side only: the
            // halves together must carry the other table's numbers.
            if ra.len() + rb.len() > 3 {
                return None;
            }
            let (ma, mb) = (merged(&a[ra.clone()]), merged(&b[rb.clone()]));
            let (xa, xb) = (ma.values(), mb.values());
            let d = dice(&xa, &xb);
            (d >= 0.8 && !xa.is_empty())
                .then(|| table_score(&ma, &mb, &xa, &xb))
                .flatten()
                .map(|s| s - 0.2)
        },
        &|_| 0.2,
        &|_| 0.2,
    );
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                let (ta, tb) = (merged(&a[s.a.clone()]), merged(&b[s.b.clone()]));
                out.tables += 1;
                out.table_pairs.push([ta.id.clone(), tb.id.clone()]);
                if (ta.toc || tb.toc) && !same_language {
                    out.skipped
                        .push(format!("{}/{}: table of contents", ta.id, tb.id));
                    continue;
                }
                rows(&ta, &tb, out);
            }
            (false, true) => lone_table(&a[s.a.start], true, out),
            (true, false) => lone_table(&b[s.b.start], false, out),
            (true, true) => {}
        }
    }
}

/// Consecutive tables as one (the halves of a table split by a page
/// break); its id names them all (`t3+t4`).
fn merged(ts: &[TableUnits]) -> TableUnits {
    let mut t = ts[0].clone();
    for o in &ts[1..] {
        t.id = format!("{}+{}", t.id, o.id);
        t.rows.extend(o.rows.iter().cloned());
        t.width = t.width.max(o.width);
        t.toc |= o.toc;
    }
    t
}

fn table_score(ta: &TableUnits, tb: &TableUnits, va: &[i64], vb: &[i64]) -> Option<f64> {
    let mut s = dice(va, vb);
    match (ta.caption_number, tb.caption_number) {
        (Some(x), Some(y)) if x == y => s += 0.6,
        (Some(_), Some(_)) => s -= 0.6,
        _ => {}
    }
    let ratio = |x: usize, y: usize| x.min(y) as f64 / x.max(y).max(1) as f64;
    s += 0.2 * ratio(ta.rows.len(), tb.rows.len()) + 0.1 * ratio(ta.width, tb.width);
    if ta.toc != tb.toc {
        s -= 0.5;
    }
    (s >= 0.25).then_some(s)
}

fn lone_table(t: &TableUnits, in_a: bool, out: &mut Out) {
    let n: usize = t.rows.iter().map(|r| r.toks.len()).sum();
    let sev = if n == 0 || t.toc {
        Severity::Structure
    } else if in_a {
        Severity::Missing
    } else {
        Severity::Extra
    };
    let p = Place {
        raw: t.caption.clone().unwrap_or_else(|| t.id.clone()),
        value: None,
        provenance: t.provenance.clone(),
        context: t.caption.clone().unwrap_or_default(),
    };
    let (a, b) = if in_a {
        (Some(p), None)
    } else {
        (None, Some(p))
    };
    out.findings.push(finding(
        "table",
        sev,
        a,
        b,
        format!(
            "table {} ({} rows, {n} numbers) has no counterpart in {}",
            t.id,
            t.rows.len(),
            if in_a { "b" } else { "a" }
        ),
    ));
}

/// One aligned group of rows, numbers aligned in order.
struct RowPair<'a> {
    ta: Vec<&'a Tok>,
    tb: Vec<&'a Tok>,
    steps: Vec<Step>,
    grouped: bool,
}

/// The table without header rows repeated after a page break (a later row
/// with the text of one of the first two), so that a row split by that
/// page break joins its other half. Repeated data rows stay.
fn without_repeats(t: &TableUnits) -> TableUnits {
    let heads: Vec<String> = t
        .rows
        .iter()
        .take(2)
        .map(|r| crate::normalize::fold::key(&r.text))
        .filter(|k| !k.is_empty())
        .collect();
    let mut t = t.clone();
    let mut i = 0;
    t.rows.retain(|r| {
        i += 1;
        i <= 2 || !heads.contains(&crate::normalize::fold::key(&r.text))
    });
    t
}

fn rows(ta: &TableUnits, tb: &TableUnits, out: &mut Out) {
    let (ta, tb) = (&without_repeats(ta), &without_repeats(tb));
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
    for p in &pairs {
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
                            same_value("table_cell", x, y, out);
                        }
                    } else {
                        mismatch("table_cell", x, y, out);
                    }
                }
                (false, true) => la.push(p.ta[s.a.start]),
                (true, false) => lb.push(p.tb[s.b.start]),
                (true, true) => {}
            }
        }
        leftovers("table_cell", la, lb, out);
    }
}

fn lone_row(t: &TableUnits, ri: usize, in_a: bool, out: &mut Out) {
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
        "table_row",
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

/// Pairs the paragraphs that hold numbers and compares their numbers.
pub fn paragraphs(a: &[ParaUnit], b: &[ParaUnit], out: &mut Out) {
    let ka: Vec<Vec<i64>> = a.iter().map(|p| sorted_keys(p.toks.iter())).collect();
    let kb: Vec<Vec<i64>> = b.iter().map(|p| sorted_keys(p.toks.iter())).collect();
    let (wa, wb) = interned(a.iter().map(|p| &p.keys), b.iter().map(|p| &p.keys));
    let steps = seq::align(
        a.len(),
        b.len(),
        true,
        80,
        &mut |ra, rb| {
            let grouped = ra.len() > 1 || rb.len() > 1;
            let (va, vb) = (merged_keys(&ka[ra.clone()]), merged_keys(&kb[rb.clone()]));
            let ov = overlap(&va, &vb);
            // A group is as similar as its best-matching member pair (the
            // union of key sets would cost too much inside the search).
            let sim = similarity_ids(&wa[ra.start], &wb[rb.start])
                .max(similarity_ids(&wa[ra.end - 1], &wb[rb.end - 1]));
            if grouped && ov * 10 < va.len().max(vb.len()) * 8 {
                return None;
            }
            if ov == 0 && sim < 0.25 && va.len() != vb.len() {
                return None;
            }
            let mut s = 2.0 * ov as f64 / (va.len() + vb.len()) as f64 + 0.4 * sim;
            if va.len() == vb.len() {
                s += 0.15;
            }
            if grouped {
                s -= 0.25;
            }
            Some(s)
        },
        &|_| 0.5,
        &|_| 0.5,
    );
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                out.paragraphs += 1;
                let ta: Vec<&Tok> = a[s.a.clone()].iter().flat_map(|p| p.toks.iter()).collect();
                let tb: Vec<&Tok> = b[s.b.clone()].iter().flat_map(|p| p.toks.iter()).collect();
                text_numbers(&ta, &tb, out);
            }
            (false, true) => lone_para(&a[s.a.start], true, out),
            (true, false) => lone_para(&b[s.b.start], false, out),
            (true, true) => {}
        }
    }
}

/// Numbers of aligned running text: equal values pair in any order
/// (nearest place first), the rest through [`leftovers`].
fn text_numbers(ta: &[&Tok], tb: &[&Tok], out: &mut Out) {
    let mut used_a = vec![false; ta.len()];
    let mut used_b = vec![false; tb.len()];
    let core_a: Vec<String> = ta.iter().map(|x| core(&x.raw)).collect();
    let core_b: Vec<String> = tb.iter().map(|y| core(&y.raw)).collect();
    // Closest pairs first: the same value written alike with the same
    // label, then with the same label, then any same value — so that
    // "deset naselja" changed to "devet" does not take the "10 stanovnika"
    // that stands unchanged further on.
    for pass in 0..3u8 {
        // The unused numbers of b by value (and pass key), in order, so the
        // nearest one is a lookup, not a scan: a run-on paragraph holds
        // tens of thousands of numbers.
        let key = |t: &Tok, core: &str| -> (String, String) {
            match pass {
                0 => (t.label.clone(), core.to_string()),
                1 => (t.label.clone(), String::new()),
                _ => (String::new(), String::new()),
            }
        };
        let mut groups = ValueGroups::default();
        for (j, y) in tb.iter().enumerate() {
            if !used_b[j] {
                groups.insert(y, key(y, &core_b[j]), j);
            }
        }
        for (i, x) in ta.iter().enumerate() {
            if used_a[i] {
                continue;
            }
            let best = groups.nearest(x, &key(x, &core_a[i]), i, ta.len(), tb.len(), |j| {
                x.same(tb[j])
            });
            if let Some(j) = best {
                used_a[i] = true;
                used_b[j] = true;
                groups.remove(tb[j], &key(tb[j], &core_b[j]), j);
                same_value("text_number", x, tb[j], out);
            }
        }
    }
    let (la, lb) = (keep(ta.to_vec(), &used_a), keep(tb.to_vec(), &used_b));
    // Equal values were paired above in any order (a reordered list is
    // translation, not a move), so no leftover pairs up as a moved value.
    leftovers("text_number", la, lb, out);
}

/// Positions of numbers grouped by value (and a pass key), each group in
/// order. A number sits under its value and, when ambiguous, under its
/// other reading, so that [`Tok::same`]'s candidates are a few groups.
#[derive(Default)]
struct ValueGroups<K> {
    groups: HashMap<(bool, i64, Option<i64>, K), BTreeSet<usize>>,
}

impl<K: std::hash::Hash + Eq + Clone> ValueGroups<K> {
    fn keys(t: &Tok, k: &K) -> Vec<(bool, i64, Option<i64>, K)> {
        let to = t.to.map(value_key);
        let mut v = vec![(false, value_key(t.value), to, k.clone())];
        if let Some(alt) = t.alt {
            v.push((true, value_key(alt), to, k.clone()));
        }
        v
    }

    fn insert(&mut self, t: &Tok, k: K, j: usize) {
        for g in Self::keys(t, &k) {
            self.groups.entry(g).or_default().insert(j);
        }
    }

    fn remove(&mut self, t: &Tok, k: &K, j: usize) {
        for g in Self::keys(t, k) {
            if let Some(set) = self.groups.get_mut(&g) {
                set.remove(&j);
            }
        }
    }

    /// The groups that may hold a number equal to `x`: same value, `x`'s
    /// other reading, or an other reading equal to `x`.
    fn candidates<'s>(&'s self, x: &Tok, k: &K) -> impl Iterator<Item = &'s BTreeSet<usize>> {
        let to = x.to.map(value_key);
        let mut wanted = vec![(false, value_key(x.value), to, k.clone())];
        wanted.push((true, value_key(x.value), to, k.clone()));
        if let Some(alt) = x.alt {
            wanted.push((false, value_key(alt), to, k.clone()));
        }
        wanted.into_iter().filter_map(|g| self.groups.get(&g))
    }

    /// The accepted position nearest to `i`'s relative place (`i` of `na`
    /// against `j` of `nb`); on a tie the earlier one.
    fn nearest(
        &self,
        x: &Tok,
        k: &K,
        i: usize,
        na: usize,
        nb: usize,
        ok: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let rel = |p: usize, n: usize| p as f64 / n.max(1) as f64;
        let target = rel(i, na);
        let dist = |j: usize| (target - rel(j, nb)).abs();
        // First position at or past the target.
        let mut pivot = (target * nb.max(1) as f64).floor() as usize;
        while pivot > 0 && rel(pivot - 1, nb) >= target {
            pivot -= 1;
        }
        while rel(pivot, nb) < target {
            pivot += 1;
        }
        let mut best: Option<usize> = None;
        for set in self.candidates(x, k) {
            let below = set.range(..pivot).rev().copied().find(|&j| ok(j));
            let above = set.range(pivot..).copied().find(|&j| ok(j));
            for j in below.into_iter().chain(above) {
                best = match best {
                    Some(b) if (dist(b), b) <= (dist(j), j) => Some(b),
                    _ => Some(j),
                };
            }
        }
        best
    }

    /// The first accepted position in any candidate group.
    fn first(&self, x: &Tok, k: &K, ok: impl Fn(usize) -> bool) -> Option<usize> {
        self.candidates(x, k)
            .filter_map(|set| set.iter().copied().find(|&j| ok(j)))
            .min()
    }
}

fn lone_para(p: &ParaUnit, in_a: bool, out: &mut Out) {
    let first = &p.toks[0];
    let pl = Place {
        raw: p
            .toks
            .iter()
            .map(|t| t.raw.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        value: None,
        provenance: p.provenance.clone(),
        context: first.context.clone(),
    };
    let (sev, a, b) = if in_a {
        (Severity::Missing, Some(pl), None)
    } else {
        (Severity::Extra, None, Some(pl))
    };
    out.findings.push(finding(
        "paragraph",
        sev,
        a,
        b,
        format!(
            "paragraph {} ({} numbers) has no counterpart in {}",
            p.id,
            p.toks.len(),
            if in_a { "b" } else { "a" }
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provenance;

    fn tok(v: f64, raw: &str, rel: usize) -> Tok {
        Tok {
            value: v,
            to: None,
            alt: None,
            raw: raw.to_string(),
            kind: Kind::Integer,
            provenance: Provenance::lines(1, 1),
            rel,
            nth: rel,
            label: String::new(),
            context: String::new(),
        }
    }

    #[test]
    fn formats_and_changes() {
        assert_eq!(core("2,314"), "2,314");
        assert_eq!(core("dvesta"), "");
        assert!(plausible(&tok(1234.0, "1234", 0), &tok(124.0, "124", 0)));
        assert!(plausible(
            &tok(1234.0, "1234", 0),
            &tok(12340.0, "12340", 0)
        ));
        assert!(plausible(&tok(1234.0, "1234", 0), &tok(1324.0, "1324", 0)));
        assert!(!plausible(&tok(1234.0, "1234", 0), &tok(98.0, "98", 0)));
        let mut out = Out::default();
        same_value(
            "x",
            &tok(2314.0, "2,314", 0),
            &tok(2314.0, "2.314", 0),
            &mut out,
        );
        same_value("x", &tok(5.0, "5", 0), &tok(5.0, "5", 1), &mut out);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].severity, Severity::FormatOnly);
    }

    #[test]
    fn swapped_cells_are_one_finding() {
        let (a1, a2) = (tok(7.0, "7", 1), tok(9.0, "9", 2));
        let (b1, b2) = (tok(9.0, "9", 1), tok(7.0, "7", 2));
        let mut out = Out::default();
        leftovers("c", vec![&a1], vec![&b2], &mut out);
        let _ = (a2, b1);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].kind, "moved_cell");
    }

    #[test]
    fn text_numbers_pair_the_nearest_equal_value() {
        // "10 … 10 … 3" against "10 … 10 … 4": the changed number pairs with
        // the changed one, the equal ones with their nearest equal.
        let a = [tok(10.0, "10", 0), tok(10.0, "10", 0), tok(3.0, "3", 0)];
        let b = [tok(10.0, "10", 0), tok(10.0, "10,0", 0), tok(4.0, "4", 0)];
        let mut out = Out::default();
        text_numbers(
            &a.iter().collect::<Vec<_>>(),
            &b.iter().collect::<Vec<_>>(),
            &mut out,
        );
        let kinds: Vec<&str> = out.findings.iter().map(|f| f.severity.as_str()).collect();
        assert_eq!(
            kinds,
            ["format_only", "numeric_mismatch"],
            "{:?}",
            out.findings
        );
        // The second "10" of a met "10,0", its nearest place.
        assert_eq!(
            out.findings[0].b.as_ref().map(|p| p.raw.as_str()),
            Some("10,0")
        );
    }

    #[test]
    fn a_run_on_paragraph_with_many_numbers_stays_linear() {
        // 60k numbers each side, all but one equal: a pairwise scan would
        // take billions of steps.
        let a: Vec<Tok> = (0..60_000)
            .map(|i| tok(f64::from(i % 50), "n", 0))
            .collect();
        let mut b = a.clone();
        b[30_000] = tok(1234.0, "1234", 0);
        let mut out = Out::default();
        text_numbers(
            &a.iter().collect::<Vec<_>>(),
            &b.iter().collect::<Vec<_>>(),
            &mut out,
        );
        assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
        // Many leftovers on both sides, nothing equal.
        let a: Vec<Tok> = (0..40_000).map(|i| tok(f64::from(i), "n", 0)).collect();
        let b: Vec<Tok> = (0..40_000)
            .map(|i| tok(f64::from(i) + 0.5, "n", 0))
            .collect();
        let mut out = Out::default();
        text_numbers(
            &a.iter().collect::<Vec<_>>(),
            &b.iter().collect::<Vec<_>>(),
            &mut out,
        );
        assert_eq!(out.findings.len(), 40_000);
    }
}
