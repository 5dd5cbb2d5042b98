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
use super::report::{Finding, FindingKind, Place, Severity};
use super::seq::{self, Step};
use super::tokens::value_key;
use super::tokens::{ParaUnit, TableUnits, Tok};
use crate::normalize::numbers::Kind;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod text;
pub use text::paragraphs;
use text::*;

mod rows;
use rows::*;

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
    kind: FindingKind,
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
        kind,
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
fn same_value(kind: FindingKind, x: &Tok, y: &Tok, out: &mut Out) {
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

fn mismatch(kind: FindingKind, x: &Tok, y: &Tok, out: &mut Out) {
    out.findings.push(finding(
        kind,
        Severity::NumericMismatch,
        Some(place(x)),
        Some(place(y)),
        format!("`{}` against `{}`", x.raw, y.raw),
    ));
}

fn lone(kind: FindingKind, t: &Tok, in_a: bool, out: &mut Out) {
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
fn leftovers(kind: FindingKind, la: Vec<&Tok>, lb: Vec<&Tok>, out: &mut Out) {
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
        FindingKind::MovedCell,
        Severity::NumericMismatch,
        Some(place(x)),
        Some(place(y)),
        format!("`{}` sits in another cell in b", x.raw),
    ));
}

/// Pairs the tables of both versions and compares each pair.
/// `same_language`: both versions in one language (scripts may differ), so
/// that even a table of contents must agree, page numbers included.
pub fn tables(
    norm: &crate::normalize::Norm,
    a: &[TableUnits],
    b: &[TableUnits],
    same_language: bool,
    out: &mut Out,
) {
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
                rows(norm, &ta, &tb, out);
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
        FindingKind::Table,
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
            FindingKind::TableCell,
            &tok(2314.0, "2,314", 0),
            &tok(2314.0, "2.314", 0),
            &mut out,
        );
        same_value(
            FindingKind::TableCell,
            &tok(5.0, "5", 0),
            &tok(5.0, "5", 1),
            &mut out,
        );
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].severity, Severity::FormatOnly);
    }

    #[test]
    fn swapped_cells_are_one_finding() {
        let (a1, a2) = (tok(7.0, "7", 1), tok(9.0, "9", 2));
        let (b1, b2) = (tok(9.0, "9", 1), tok(7.0, "7", 2));
        let mut out = Out::default();
        leftovers(FindingKind::TableCell, vec![&a1], vec![&b2], &mut out);
        let _ = (a2, b1);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].kind, FindingKind::MovedCell);
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
