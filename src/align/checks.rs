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
use crate::normalize::fold;
use crate::normalize::numbers::Kind;
use std::collections::BTreeMap;

pub fn check(rec: &PlanRecord, lex: &Lexicon) -> Vec<Finding> {
    let mut out = Vec::new();
    let units = tokens::tables(rec, lex);
    for (t, u) in rec.tables.iter().zip(&units) {
        if u.toc {
            continue;
        }
        let grid = Grid::new(t, u);
        totals_in_columns(&grid, lex, &mut out);
        totals_in_rows(&grid, lex, &mut out);
        shares(&grid, &mut out);
        scale(&grid, &mut out);
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
    rows: usize,
}

impl<'a> Grid<'a> {
    fn new(t: &'a TableRecord, u: &'a tokens::TableUnits) -> Grid<'a> {
        let mut cells = BTreeMap::new();
        let mut labels = Vec::new();
        let mut headers: BTreeMap<usize, String> = BTreeMap::new();
        for (ri, row) in t.rows.iter().enumerate() {
            let mut label = String::new();
            let toks = &u.rows[ri].toks;
            for c in row {
                let mine: Vec<&Tok> = toks
                    .iter()
                    .filter(|k| k.provenance == c.provenance)
                    .collect();
                let plain = mine.len() == 1 && c.numbers.len() == 1;
                if plain {
                    cells.insert((ri, c.col), mine[0]);
                } else if !c.text.trim().is_empty() {
                    label.push_str(c.text.trim());
                    label.push(' ');
                }
                if ri < 2 && !c.text.trim().is_empty() {
                    let h = headers.entry(c.col).or_default();
                    h.push_str(c.text.trim());
                    h.push(' ');
                }
            }
            labels.push(label);
        }
        Grid {
            id: &t.id,
            cells,
            labels,
            headers,
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
        Kind::Integer | Kind::Decimal | Kind::Money | Kind::Count | Kind::Percent | Kind::Word
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

/// Total rows: each number of the row against the numbers above it in the
/// same column, back to the previous total row.
fn totals_in_columns(grid: &Grid, lex: &Lexicon, out: &mut Vec<Finding>) {
    let mut start = 0;
    for r in 0..grid.rows {
        if !lex.is_total(&grid.labels[r]) {
            continue;
        }
        let cols: Vec<usize> = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|((_, c), _)| *c)
            .collect();
        for c in cols {
            let total = grid.cells[&(r, c)];
            if !summable(total) {
                continue;
            }
            let parts: Vec<&Tok> = (start..r)
                .filter(|&q| !lex.is_total(&grid.labels[q]))
                .filter_map(|q| grid.cells.get(&(q, c)).copied())
                .filter(|t| t.class() == total.class())
                .collect();
            if parts.len() < 2 || parts.iter().any(|t| !summable(t)) {
                continue;
            }
            let sum: f64 = parts.iter().map(|t| t.value).sum();
            let max = parts.iter().map(|t| t.value).fold(0.0, f64::max);
            if (sum - total.value).abs() > tolerance(&parts, total)
                && reportable(sum, total.value, max)
            {
                out.push(total_finding(grid, total, &parts, sum, "column"));
            }
        }
        start = r + 1;
    }
}

/// Total columns: a column headed `Ukupno` against the other numbers of
/// each row to its left.
fn totals_in_rows(grid: &Grid, lex: &Lexicon, out: &mut Vec<Finding>) {
    let total_cols: Vec<usize> = grid
        .headers
        .iter()
        .filter(|(_, h)| lex.is_total(h))
        .map(|(c, _)| *c)
        .collect();
    for &tc in &total_cols {
        for r in 0..grid.rows {
            let Some(total) = grid.cells.get(&(r, tc)).copied() else {
                continue;
            };
            if !summable(total) || total.class() != 0 {
                continue;
            }
            let parts: Vec<&Tok> = grid
                .cells
                .range((r, 0)..(r, tc))
                .filter(|((_, c), _)| !total_cols.contains(c))
                .map(|(_, t)| *t)
                .collect();
            if parts.len() < 2 || parts.iter().any(|t| !summable(t) || t.class() != 0) {
                continue;
            }
            let sum: f64 = parts.iter().map(|t| t.value).sum();
            let max = parts.iter().map(|t| t.value).fold(0.0, f64::max);
            if (sum - total.value).abs() > tolerance(&parts, total)
                && reportable(sum, total.value, max)
            {
                out.push(total_finding(grid, total, &parts, sum, "row"));
            }
        }
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
        if parts.len() < 3 {
            continue;
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
                Some(sum_place(&parts, sum)),
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
}

/// Amounts about a thousand times off the median of their column.
fn scale(grid: &Grid, out: &mut Vec<Finding>) {
    let mut cols: BTreeMap<usize, Vec<&Tok>> = BTreeMap::new();
    for ((_, c), t) in &grid.cells {
        if t.kind == Kind::Money || t.kind == Kind::Integer || t.kind == Kind::Decimal {
            cols.entry(*c).or_default().push(t);
        }
    }
    for toks in cols.values() {
        let money = toks.iter().filter(|t| t.kind == Kind::Money).count();
        if toks.len() < 4 || money * 2 < toks.len() {
            continue;
        }
        let mut v: Vec<f64> = toks
            .iter()
            .map(|t| t.value)
            .filter(|v| *v > 0.0)
            .collect();
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
            if differ && first.provenance != p.provenance {
                let mut f = finding(
                    what,
                    "repeated_mismatch",
                    Some(p.clone()),
                    Some(first.clone()),
                    format!("`{}` here but `{}` earlier for the same {what}", p.raw, first.raw),
                );
                f.context = p.context.clone();
                out.push(f);
            }
        } else {
            seen.insert(key, p);
        }
    };
    for i in &rec.indicators {
        let name = fold::key(&i.name.latn);
        for v in &i.values {
            let key = format!("indicator|{name}|{:?}|{:?}", v.year, v.kind);
            let p = Place {
                raw: v.raw.clone(),
                value: v.value,
                provenance: v.provenance.clone(),
                context: shorten(&i.name.original, 240),
            };
            report(key, p, "indicator", out);
        }
    }
    for b in &rec.budgets {
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
            if r.toks.len() != 1 {
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
