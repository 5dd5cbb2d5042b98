//! Single-plan checks: does the plan agree with itself?
//!
//! In: one record. Out: findings, each with `a` the place found wrong and
//! `b`, when there is one, the place it disagrees with:
//!
//! - `total_mismatch`: a total row (`Ukupno`, `Gjithsej`, `Укупно`) or a
//!   total column against the sum of its parts, per column or row — which
//!   covers totals per goal, measure, funding source and year wherever a
//!   table states them;
//! - `share_mismatch`: percentages of one whole that do not add to 100;
//! - `repeated_mismatch`: the same indicator, amount or labelled figure given
//!   differently in two places;
//! - `scale_inconsistent`: an amount about a thousand times off the others
//!   of its column (a figure in dinars among figures in thousands).
//!
//! Rounding is allowed for: each part may be off by half a unit of its last
//! decimal.

use super::compare::finding;
use super::lexicon::Lexicon;
use super::report::{Finding, Place};
use super::tokens::{self, Tok, eq, shorten};
use crate::extract::PlanRecord;
use crate::extract::record::TableRecord;
use crate::model::Provenance;
use crate::normalize::fold;
use crate::normalize::numbers::Kind;
use std::collections::{BTreeMap, HashSet};

pub fn check(rec: &PlanRecord, lex: &Lexicon) -> Vec<Finding> {
    let mut out = Vec::new();
    let units = tokens::tables_unlabelled(rec);
    for (t, u) in rec.tables.iter().zip(&units) {
        if u.toc {
            continue;
        }
        // Columns counted from the row's first non-empty cell and from its
        // last: a total that adds up under either reading is right (a
        // column lost or inserted by the export on one side of the row
        // shifts the other reading).
        let left = Grid::new(t, u, false, lex, None);
        // Both readings have the same row labels: fold them once.
        let right = Grid::new(t, u, true, lex, Some(&left));
        let mut flagged = Vec::new();
        let mut ok = HashSet::new();
        // Total columns only from the left: counted from the right, a row
        // whose total cell is empty (merged with the row above) would put
        // its last value under the total.
        totals_in_columns(&left, &mut flagged, &mut ok);
        totals_in_columns(&right, &mut flagged, &mut ok);
        totals_in_rows(&left, lex, &mut flagged, &mut ok);
        let mut seen = HashSet::new();
        for f in flagged {
            let Some(p) = f.a.as_ref().map(|p| p.provenance.clone()) else {
                continue;
            };
            if !ok.contains(&p) && seen.insert(p) {
                out.push(f);
            }
        }
        shares(&left, &mut out);
        scale(&left, t.scale.is_some(), lex, &mut out);
    }
    repeated(rec, &units, &mut out);
    out
}

/// A table as a grid of single numbers: `(row, grid col) → token`, only
/// cells holding exactly one comparable number.
struct Grid<'a> {
    id: &'a str,
    cells: BTreeMap<(usize, usize), &'a Tok>,
    /// Text of the row's cells without numbers (its label), per row.
    labels: Vec<String>,
    /// Header text per grid column (first two rows).
    headers: BTreeMap<usize, String>,
    /// Columns whose header names a year.
    header_years: BTreeMap<usize, bool>,
    rows: usize,
    /// Per row: its label names a total ("Ukupno"), and the label's first
    /// word (goal rows against measure rows), each folded once here rather
    /// than in every column loop.
    total: Vec<bool>,
    first: Vec<String>,
}

impl<'a> Grid<'a> {
    fn new(
        t: &'a TableRecord,
        u: &'a tokens::TableUnits,
        from_right: bool,
        lex: &Lexicon,
        same_labels: Option<&Grid>,
    ) -> Grid<'a> {
        let mut cells = BTreeMap::new();
        let mut labels = Vec::new();
        let mut headers: BTreeMap<usize, String> = BTreeMap::new();
        let mut header_years: BTreeMap<usize, bool> = BTreeMap::new();
        let width = u.width;
        for (ri, row) in t.rows.iter().enumerate() {
            let mut label = String::new();
            let toks = &u.rows[ri].toks;
            let nonempty = || row.iter().filter(|c| !c.text.trim().is_empty());
            let first = nonempty().map(|c| c.col).next().unwrap_or(0);
            let last = nonempty().map(|c| c.col).next_back().unwrap_or(0);
            for c in row {
                // The column as this reading counts it; from the right the
                // columns still grow left to right.
                let col = if from_right {
                    (width + c.col).saturating_sub(last)
                } else {
                    c.col.saturating_sub(first)
                };
                let mine: Vec<&Tok> = toks
                    .iter()
                    .filter(|k| k.provenance == c.provenance)
                    .collect();
                // A value cell is mostly its number ("1.500", "209 s/km²");
                // "Ukupno 40 naseljenih mesta" is a label with a number.
                let plain = mine.len() == 1
                    && c.numbers.len() == 1
                    && (c.numbers[0].unit.is_some()
                        || c.numbers[0].currency.is_some()
                        || !c
                            .text
                            .replacen(mine[0].raw.as_str(), "", 1)
                            .chars()
                            .any(char::is_alphabetic));
                if plain {
                    cells.insert((ri, col), mine[0]);
                } else if !c.text.trim().is_empty() {
                    label.push_str(c.text.trim());
                    label.push(' ');
                }
                if ri < 2 && !c.text.trim().is_empty() {
                    let h = headers.entry(col).or_default();
                    h.push_str(c.text.trim());
                    h.push(' ');
                    if mine.iter().any(|k| k.class() == 2) {
                        header_years.insert(col, true);
                    }
                }
            }
            labels.push(label);
        }
        let (total, first) = match same_labels {
            Some(g) if g.labels == labels => (g.total.clone(), g.first.clone()),
            _ => (
                labels.iter().map(|l| lex.is_total(l)).collect(),
                labels.iter().map(|l| first_word(l)).collect(),
            ),
        };
        Grid {
            id: &t.id,
            cells,
            total,
            first,
            labels,
            headers,
            header_years,
            rows: t.rows.len(),
        }
    }
}

fn decimals(raw: &str) -> i32 {
    // Digits after the last separator that is followed by one or two
    // digits only (a decimal part, not a thousands group).
    let digits_only: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    match digits_only.rfind(['.', ',']) {
        Some(p) => {
            let n = digits_only.len() - p - 1;
            if n > 0 && n != 3 { n as i32 } else { 0 }
        }
        None => 0,
    }
}

/// Allowed difference between a sum of rounded parts and their total.
fn tolerance(parts: &[&Tok], total: &Tok) -> f64 {
    let d = parts
        .iter()
        .map(|t| decimals(&t.raw))
        .chain(std::iter::once(decimals(&total.raw)))
        .max()
        .unwrap_or(0);
    if d == 0 {
        1e-6
    } else {
        0.5 * 10f64.powi(-d) * (parts.len() + 1) as f64
    }
}

/// Whether a total is worth reporting against its sum: a total of
/// non-negative parts is at least the largest part (else the column is an
/// average or a density), unless it is off by a power of ten (a digit
/// dropped or added).
fn reportable(sum: f64, total: f64, max_part: f64) -> bool {
    if total >= max_part - 1e-9 {
        return true;
    }
    if total <= 0.0 || sum <= 0.0 {
        return false;
    }
    let r = (sum / total).log10();
    r >= 0.9 && (r - r.round()).abs() < 0.02
}

fn summable(t: &Tok) -> bool {
    matches!(
        t.kind,
        Kind::Integer
            | Kind::Decimal
            | Kind::Money
            | Kind::Count
            | Kind::Percent
            | Kind::Word
            | Kind::Year
    ) && t.value >= 0.0
}

fn sum_place(parts: &[&Tok], sum: f64) -> Place {
    Place {
        raw: parts
            .iter()
            .map(|t| t.raw.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        value: Some(sum),
        provenance: parts[0].provenance.clone(),
        context: shorten(&parts[0].context, 240),
    }
}

fn total_finding(grid: &Grid, total: &Tok, parts: &[&Tok], sum: f64, how: &str) -> Finding {
    let mut f = finding(
        "total",
        "total_mismatch",
        Some(super::compare::place(total)),
        Some(sum_place(parts, sum)),
        format!(
            "{}: total `{}` but its {} parts ({how}) add up to {}",
            grid.id,
            total.raw,
            parts.len(),
            fmt(sum)
        ),
    );
    f.context = total.context.clone();
    f
}

fn fmt(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The first word of a row label, for telling goal rows from measure rows.
fn first_word(label: &str) -> String {
    fold::key(label)
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}

/// A total against its candidate part lists: matched when any list adds up
/// (all parts, or the rows of one kind only — goals, or their measures).
struct Candidate<'a> {
    total: &'a Tok,
    parts: Vec<&'a Tok>,
    sum: f64,
    matched: bool,
}

fn judge<'a>(total: &'a Tok, lists: Vec<Vec<&'a Tok>>) -> Option<Candidate<'a>> {
    let mut best: Option<Candidate> = None;
    for parts in lists {
        if parts.len() < 2 || parts.iter().any(|t| !summable(t)) {
            continue;
        }
        let sum: f64 = parts.iter().map(|t| t.value).sum();
        let matched = (sum - total.value).abs() <= tolerance(&parts, total);
        let closer = best.as_ref().is_none_or(|b| {
            !b.matched && (matched || (sum - total.value).abs() < (b.sum - total.value).abs())
        });
        if closer {
            best = Some(Candidate {
                total,
                parts,
                sum,
                matched,
            });
        }
    }
    best
}

/// Reports the candidates that do not add up, when the line they belong to
/// (a total row, or a total column) is additive at all: some other total of
/// it adds up, or a lone one is close or off by a power of ten.
fn report_line(
    grid: &Grid,
    cands: Vec<Candidate>,
    how: &str,
    out: &mut Vec<Finding>,
    ok: &mut HashSet<Provenance>,
) {
    let any_match = cands.iter().any(|c| c.matched);
    for c in &cands {
        if c.matched {
            ok.insert(c.total.provenance.clone());
            continue;
        }
        // Once other totals of the line add up, any that does not is
        // wrong; a lone total must at least look like a sum.
        let max = c.parts.iter().map(|t| t.value).fold(0.0, f64::max);
        if !any_match && !reportable(c.sum, c.total.value, max) {
            continue;
        }
        let rel = (c.sum - c.total.value).abs() / c.total.value.abs().max(1e-9);
        let r = (c.sum / c.total.value).abs().log10();
        let pow10 = r.is_finite() && r.abs() >= 0.9 && (r - r.round()).abs() < 0.02;
        let lone_ok = cands.len() == 1 && (rel <= 0.1 || pow10);
        if any_match || lone_ok {
            out.push(total_finding(grid, c.total, &c.parts, c.sum, how));
        }
    }
}

/// Total rows: each number of the row against the numbers above it in the
/// same column, back to the previous total row.
fn totals_in_columns(grid: &Grid, out: &mut Vec<Finding>, ok: &mut HashSet<Provenance>) {
    let mut start = 0;
    for r in 0..grid.rows {
        if !grid.total[r] {
            continue;
        }
        let cols: Vec<usize> = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|((_, c), _)| *c)
            .collect();
        let rows: Vec<usize> = (start..r).filter(|&q| !grid.total[q]).collect();
        let mut kinds: Vec<&str> = rows.iter().map(|&q| grid.first[q].as_str()).collect();
        kinds.sort();
        kinds.dedup();
        let mut cands = Vec::new();
        for c in cols {
            let total = grid.cells[&(r, c)];
            if !summable(total) {
                continue;
            }
            // "2063" inhabitants reads like a year; in a column of counts
            // it is a count.
            let in_col = |q: &usize| {
                grid.cells.get(&(*q, c)).copied().filter(|t| {
                    t.class() == total.class() || total.class() == 0 && t.kind == Kind::Year
                })
            };
            let mut lists = vec![rows.iter().filter_map(in_col).collect::<Vec<_>>()];
            if kinds.len() > 1 {
                for k in &kinds {
                    lists.push(
                        rows.iter()
                            .filter(|&&q| grid.first[q] == **k)
                            .filter_map(in_col)
                            .collect(),
                    );
                }
            }
            if let Some(c) = judge(total, lists) {
                cands.push(c);
            }
        }
        report_line(grid, cands, "column", out, ok);
        subtotals(grid, &rows, out, ok);
        start = r + 1;
    }
}

/// Goal rows inside a block: when rows of one kind ("Посебан циљ 1.")
/// each head a run of rows of another kind ("Мера 1.1", "Мера 1.2"), each
/// head is the subtotal of its run, column by column.
fn subtotals(grid: &Grid, rows: &[usize], out: &mut Vec<Finding>, ok: &mut HashSet<Provenance>) {
    let numbered: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&q| grid.cells.range((q, 0)..(q + 1, 0)).next().is_some())
        .collect();
    let Some(&first) = numbered.first() else {
        return;
    };
    let head = grid.first[first].clone();
    if head.is_empty() {
        return;
    }
    let heads: Vec<usize> = numbered
        .iter()
        .copied()
        .filter(|&q| grid.first[q] == head)
        .collect();
    if heads.len() < 2 || heads.len() == numbered.len() {
        return;
    }
    let mut cands = Vec::new();
    for (k, &h) in heads.iter().enumerate() {
        let end = heads.get(k + 1).copied().unwrap_or(usize::MAX);
        let run: Vec<usize> = numbered
            .iter()
            .copied()
            .filter(|&q| q > h && q < end)
            .collect();
        if run.is_empty() {
            continue;
        }
        for (&(_, c), &total) in grid.cells.range((h, 0)..(h + 1, 0)) {
            if !summable(total) {
                continue;
            }
            let parts: Vec<&Tok> = run
                .iter()
                .filter_map(|q| grid.cells.get(&(*q, c)).copied())
                .filter(|t| t.class() == total.class())
                .collect();
            if parts.len() == 1 {
                // One measure under its goal: the same amount.
                let matched = eq(parts[0].value, total.value);
                cands.push(Candidate {
                    total,
                    sum: parts[0].value,
                    parts,
                    matched,
                });
            } else if let Some(cand) = judge(total, vec![parts]) {
                cands.push(cand);
            }
        }
    }
    report_line(grid, cands, "subtotal", out, ok);
}

/// Total columns: a column headed `Ukupno` against the other numbers of
/// each row back to the previous total column (or, for a row whose total
/// cell spans the rows below it, those rows too).
fn totals_in_rows(
    grid: &Grid,
    lex: &Lexicon,
    out: &mut Vec<Finding>,
    ok: &mut HashSet<Provenance>,
) {
    let total_cols: Vec<usize> = grid
        .headers
        .iter()
        .filter(|(_, h)| lex.is_total(h))
        .map(|(c, _)| *c)
        .collect();
    for (k, &tc) in total_cols.iter().enumerate() {
        let from = if k == 0 { 0 } else { total_cols[k - 1] + 1 };
        let parts_of = |r: usize| -> Vec<&Tok> {
            grid.cells
                .range((r, from)..(r, tc))
                .map(|(_, t)| *t)
                .filter(|t| t.class() == 0)
                .collect()
        };
        let mut cands = Vec::new();
        for r in 0..grid.rows {
            let Some(total) = grid.cells.get(&(r, tc)).copied() else {
                continue;
            };
            if !summable(total) || total.class() != 0 {
                continue;
            }
            let own = parts_of(r);
            let mut lists = vec![own.clone()];
            // Rows below without a total of their own belong to this one.
            let mut spanned = own;
            for q in r + 1..grid.rows {
                if grid.cells.contains_key(&(q, tc)) || grid.total[q] {
                    break;
                }
                let more = parts_of(q);
                if more.is_empty() {
                    break;
                }
                spanned.extend(more);
                lists.push(spanned.clone());
            }
            if let Some(c) = judge(total, lists) {
                cands.push(c);
            }
        }
        report_line(grid, cands, "row", out, ok);
    }
}

/// Rows labelled with `%` whose percentages are shares of one whole.
fn shares(grid: &Grid, out: &mut Vec<Finding>) {
    for r in 0..grid.rows {
        if !grid.labels[r].contains('%') {
            continue;
        }
        let parts: Vec<&Tok> = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|(_, t)| *t)
            .filter(|t| t.kind == Kind::Percent || t.raw.contains('%'))
            .collect();
        // Percentages per year (a share of something each year) are not
        // shares of one whole.
        let per_year = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .filter(|((_, c), _)| grid.header_years.contains_key(c))
            .count();
        if per_year * 2 >= parts.len() {
            continue;
        }
        share_finding(grid, &parts, out);
    }
    // Columns headed with `%` ("Udeo (%)"): the rows above a total row, or
    // all rows, are shares of one whole.
    for (c, h) in &grid.headers {
        // A column with its own total row is checked against that total.
        let has_total = (0..grid.rows).any(|r| grid.total[r] && grid.cells.contains_key(&(r, *c)));
        if !h.contains('%') || has_total {
            continue;
        }
        let parts: Vec<&Tok> = (0..grid.rows)
            .filter(|&r| !grid.total[r])
            .filter_map(|r| grid.cells.get(&(r, *c)).copied())
            .filter(|t| t.kind == Kind::Percent || t.raw.contains('%') || t.class() == 0)
            .collect();
        share_finding(grid, &parts, out);
    }
}

fn share_finding(grid: &Grid, parts: &[&Tok], out: &mut Vec<Finding>) {
    if parts.len() < 3 {
        return;
    }
    let sum: f64 = parts.iter().map(|t| t.value).sum();
    let d = parts.iter().map(|t| decimals(&t.raw)).max().unwrap_or(0);
    let tol = if d == 0 {
        0.5 * parts.len() as f64
    } else {
        0.5 * 10f64.powi(-d) * parts.len() as f64
    };
    if (50.0..=150.0).contains(&sum) && (sum - 100.0).abs() > tol + 1e-9 {
        let mut f = finding(
            "shares",
            "share_mismatch",
            Some(sum_place(parts, sum)),
            None,
            format!(
                "{}: {} shares add up to {}%, not 100%",
                grid.id,
                parts.len(),
                fmt(sum)
            ),
        );
        f.context = parts[0].context.clone();
        out.push(f);
    }
}

/// Amounts about a thousand times off the median of their column (a
/// figure in dinars among figures in thousands). Columns of money only:
/// amounts by kind, or a money header in a table that states its scale.
fn scale(grid: &Grid, scaled: bool, lex: &Lexicon, out: &mut Vec<Finding>) {
    let mut cols: BTreeMap<usize, Vec<&Tok>> = BTreeMap::new();
    for ((_, c), t) in &grid.cells {
        if matches!(t.kind, Kind::Money | Kind::Integer | Kind::Decimal) {
            cols.entry(*c).or_default().push(t);
        }
    }
    for (c, toks) in &cols {
        let money = toks.iter().filter(|t| t.kind == Kind::Money).count();
        let money_header = grid
            .headers
            .get(c)
            .is_some_and(|h| lex.keys(h).contains("#money"));
        if toks.len() < 4 || !(money * 2 >= toks.len() || scaled && money_header) {
            continue;
        }
        let mut v: Vec<f64> = toks.iter().map(|t| t.value).filter(|v| *v > 0.0).collect();
        if v.len() < 4 {
            continue;
        }
        v.sort_by(f64::total_cmp);
        let median = v[v.len() / 2];
        for t in toks {
            if t.value <= 0.0 {
                continue;
            }
            let r = t.value / median;
            if !(1.0 / 300.0..=300.0).contains(&r) {
                let mut f = finding(
                    "scale",
                    "scale_inconsistent",
                    Some(super::compare::place(t)),
                    None,
                    format!(
                        "{}: `{}` is {}× the median amount of its column ({})",
                        grid.id,
                        t.raw,
                        fmt(r),
                        fmt(median)
                    ),
                );
                f.context = t.context.clone();
                out.push(f);
            }
        }
    }
}

/// The same figure given differently in two places: indicators with the
/// same name, year and kind; budget lines of the same owner, source and
/// year; table rows with the same label (of three words or more) and one
/// number each.
fn repeated(rec: &PlanRecord, units: &[tokens::TableUnits], out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<String, Place> = BTreeMap::new();
    let mut report = |key: String, p: Place, what: &str, out: &mut Vec<Finding>| {
        if let Some(first) = seen.get(&key) {
            let differ = match (first.value, p.value) {
                (Some(x), Some(y)) => !eq(x, y),
                _ => false,
            };
            // Amounts repeat per source within one table; only another
            // table restating them is a second place.
            let elsewhere = what != "amount" || first.provenance.table != p.provenance.table;
            if differ && elsewhere && first.provenance != p.provenance {
                let mut f = finding(
                    what,
                    "repeated_mismatch",
                    Some(p.clone()),
                    Some(first.clone()),
                    format!(
                        "`{}` here but `{}` earlier for the same {what}",
                        p.raw, first.raw
                    ),
                );
                f.context = p.context.clone();
                out.push(f);
            }
        } else {
            seen.insert(key, p);
        }
    };
    // One indicator may recur under another goal with other values (its own
    // targets there): the goal is part of its identity.
    for i in &rec.indicators {
        let name = fold::key(&i.name.latn);
        for v in &i.values {
            let owner = i.parent_id.as_ref().or(i.parent.as_ref());
            let key = format!("indicator|{name}|{owner:?}|{:?}|{:?}", v.year, v.kind);
            let p = Place {
                raw: v.raw.clone(),
                value: v.value,
                provenance: v.provenance.clone(),
                context: shorten(&i.name.original, 240),
            };
            report(key, p, "indicator", out);
        }
    }
    // An amount of a goal or measure, stated again in another table (a
    // summary against the measure's own table).
    for b in rec.budgets.iter().filter(|b| b.parent.is_some()) {
        let key = format!(
            "budget|{:?}|{:?}|{}|{:?}",
            b.parent,
            b.activity,
            b.source.as_deref().map(fold::key).unwrap_or_default(),
            b.year
        );
        let p = Place {
            raw: b.raw.clone(),
            value: b.value.map(|v| v * f64::from(b.scale.max(1))),
            provenance: b.provenance.clone(),
            context: format!(
                "{} {}",
                b.parent.as_deref().unwrap_or(""),
                b.activity.as_deref().unwrap_or("")
            ),
        };
        report(key, p, "amount", out);
    }
    for u in units {
        if u.toc {
            continue;
        }
        for r in &u.rows {
            // Label–value rows only: a label cell and a value cell.
            if r.toks.len() != 1 || r.text.split(" | ").count() != 2 {
                continue;
            }
            let label: String = r
                .text
                .split(" | ")
                .filter(|s| !s.chars().any(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(" ");
            let key = fold::key(&label);
            if key.split(' ').filter(|w| w.len() >= 3).count() < 3 {
                continue;
            }
            report(
                format!("row|{key}"),
                super::compare::place(&r.toks[0]),
                "labelled figure",
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_reporting() {
        assert_eq!(decimals("96.68%"), 2);
        assert_eq!(decimals("2,314"), 0);
        assert_eq!(decimals("331.01"), 2);
        assert!(reportable(70156.0, 7016.0, 32260.0));
        assert!(!reportable(15000.0, 209.0, 4465.0));
        assert!(reportable(100.0, 120.0, 50.0));
    }
}
