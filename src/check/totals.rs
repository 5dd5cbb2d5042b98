//! Totals: every total row and total column of every table against its
//! parts.
//!
//! Compares a cell of a row labelled as a total (`Ukupno`, `Gjithsej`,
//! `Укупно`, through `mappings/total_labels.tsv`) with the cells above it
//! in its column back to the previous total row (all of them, or the rows
//! of one kind — goals, or their measures); a cell of a column headed as a
//! total with the cells left of it in its row back to the previous total
//! column (per year, per source); a goal row heading a run of measure rows
//! with the sum of that run (nested subtotals). A table cut in two by a
//! page footnote keeps the header of its first part. Also: a whole in
//! running text broken down to "the others" ("71.909, od čega su 69.497
//! Albanci, … i 47 drugih") against its parts, and a total row that counts
//! its rows ("Ukupno 40 naseljenih mesta") against the rows it closes
//! (reported as `series`, `count_mismatch`); a total amount stated in
//! running text ("od ukupno planiranih sredstava (66,67 miliona dinara)")
//! against the grand total, or that year's total, of the budget tables.
//!
//! Never compares: a total with cells of another kind (a percentage with
//! counts, a year with amounts); a column that is not additive (a total
//! smaller than its largest part is an average or a density, unless it is
//! off by a power of ten); a line none of whose totals add up (unless its
//! one total is close to its sum or off by a power of ten); a subtotal
//! structure none of whose heads adds up (then the heads are not
//! subtotals: a goal column merged over its activities). A total that adds
//! up under any reading of the table's columns ([`super::grid`]) is right.

use super::grid::{Grid, Reading, summable};
use super::{decimals, fmt, half_unit};
use crate::align::lexicon::Lexicon;
use crate::align::report::{Finding, FindingKind, Place, Severity};
use crate::align::tokens::{self, Tok, eq, shorten};
use crate::extract::PlanRecord;
use crate::extract::record::{Budget, NumberRecord};
use crate::model::Provenance;
use crate::normalize::numbers::Kind;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[tokens::TableUnits],
    lex: &Lexicon,
    out: &mut Vec<Finding>,
) {
    let mut prev_headers: Option<(BTreeMap<usize, String>, usize)> = None;
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc {
            prev_headers = None;
            continue;
        }
        let grid = Grid::new(norm, t, u, Reading::Grid, lex, None);
        let left = Grid::new(norm, t, u, Reading::Left, lex, Some(&grid));
        let right = Grid::new(norm, t, u, Reading::Right, lex, Some(&grid));
        let mut flagged = Vec::new();
        let mut ok = HashSet::new();
        // Total columns not from the right: counted from the right, a row
        // whose total cell is empty (merged with the row above) would put
        // its last value under the total.
        // Subtotals only as the document places the columns: shifted
        // readings line a goal's figures up with other columns of its
        // measures.
        for (g, sub) in [(&grid, true), (&left, false), (&right, false)] {
            totals_in_columns(norm, g, sub, &mut flagged, &mut ok);
        }
        // A table without a header row of its own continues the table
        // before it (cut by a footnote or a page break): its total columns
        // are the ones that table's header names.
        let inherited = prev_headers
            .as_ref()
            .filter(|(_, w)| *w == u.width && headless(norm, &grid, lex))
            .map(|(h, _)| h);
        for g in [&grid, &left] {
            totals_in_rows(
                norm,
                g,
                inherited.unwrap_or(&g.headers),
                lex,
                &mut flagged,
                &mut ok,
            );
        }
        let mut seen = HashSet::new();
        for f in flagged {
            let Some(p) = f.a.as_ref().map(|p| p.provenance.clone()) else {
                continue;
            };
            if !ok.contains(&p) && seen.insert(p) {
                out.push(f);
            }
        }
        row_counts(t, &grid, out);
        prev_headers = Some((
            match inherited {
                Some(h) => h.clone(),
                None => grid.headers.clone(),
            },
            u.width,
        ));
    }
    text_breakdowns(norm, rec, out);
    text_totals(norm, rec, lex, out);
}

/// A total row that counts its rows ("Ukupno 40 naseljenih mesta", or a
/// bare 40 in a column of words) against the rows it closes: the rows
/// since the previous total row with a figure in a column where the total
/// row has one. Counts below 5 are not taken for counts of rows ("Ukupno
/// za Cilj 1"); a count more than 3 away from the rows is another count.
fn row_counts(t: &crate::extract::record::TableRecord, grid: &Grid, out: &mut Vec<Finding>) {
    let mut start = 0;
    for r in 0..grid.rows {
        if !grid.total[r] {
            continue;
        }
        let value_cols: Vec<usize> = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|((_, c), _)| *c)
            .filter(|c| (start..r).any(|q| grid.cells.contains_key(&(q, *c))))
            .collect();
        let rows = (start..r)
            .filter(|q| {
                !grid.total[*q]
                    && value_cols
                        .iter()
                        .any(|c| grid.cells.contains_key(&(*q, *c)))
            })
            .count();
        let from = start;
        start = r + 1;
        if value_cols.is_empty() || rows < 5 {
            continue;
        }
        // The count: a figure alone in a column without figures above, or
        // the first count in the row's words.
        let Some(row) = t.rows.get(r) else { continue };
        let bare = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .filter(|((_, c), _)| !(from..r).any(|q| grid.cells.contains_key(&(q, *c))))
            .map(|(_, t)| (t.raw.clone(), t.value, t.provenance.clone()))
            .next();
        let worded = || {
            row.iter()
                .filter(|c| c.numbers.len() > 1 || c.text.chars().any(char::is_alphabetic))
                .flat_map(|c| c.numbers.iter().map(move |n| (n, c)))
                .find(|(n, _)| matches!(n.kind, Kind::Count | Kind::Integer | Kind::Word))
                .and_then(|(n, c)| n.value.map(|v| (n.raw.clone(), v, c.provenance.clone())))
        };
        let Some((raw, n, prov)) = bare.or_else(worded) else {
            continue;
        };
        if n.fract() != 0.0 || n < 5.0 || n == rows as f64 || (n - rows as f64).abs() > 3.0 {
            continue;
        }
        out.push(super::finding(
            FindingKind::Series,
            Severity::CountMismatch,
            super::place(&raw, Some(n), &prov, &grid.labels[r]),
            None,
            super::Figures {
                expected: Some(rows as f64),
                found: Some(n),
                confidence: 0.7,
            },
            format!(
                "{}: the total row counts `{raw}` but the table lists {rows} rows",
                grid.id
            ),
        ));
    }
}

/// Words that close a breakdown with the rest ("i 47 drugih", "dhe 47 të
/// etnive tjera"), folded.
const OTHERS: &[&str] = &["drug", "ostal", "tjer", "other", "rest"];
/// Words joining the last item of a list.
const AND: &[&str] = &["i", "и", "dhe", "and", "te", "kao i"];

/// A whole in running text broken down into parts that end with "the
/// others" ("71.909, od čega su 69.497 Albanci, 647 Aškalije, … i 47
/// drugih"): the breakdown is complete, so its parts add up to the whole.
/// Only counts (no years, percentages or amounts), at least three parts,
/// each smaller than the whole, each a short phrase from the last, in one
/// sentence.
fn text_breakdowns(norm: &crate::normalize::Norm, rec: &PlanRecord, out: &mut Vec<Finding>) {
    let count = |n: &crate::extract::record::NumberRecord| {
        matches!(n.kind, Kind::Count | Kind::Integer) && n.value.is_some_and(|v| v > 0.0)
    };
    for p in &rec.paragraphs {
        let ns = &p.numbers;
        let gap = |a: usize, b: usize| {
            p.text
                .get(ns[a].start + ns[a].raw.len()..ns[b].start)
                .unwrap_or("")
        };
        let short = |g: &str| {
            g.chars().count() <= 40
                && !g.contains(['.', ';', ':'])
                && !g.chars().any(|c| c.is_ascii_digit())
        };
        let mut w = 0;
        while w < ns.len() {
            let (Some(whole), true) = (ns[w].value, count(&ns[w])) else {
                w += 1;
                continue;
            };
            // The list after the whole.
            let mut end = w;
            while end + 1 < ns.len() && count(&ns[end + 1]) && short(gap(end, end + 1)) {
                end += 1;
            }
            let here = w;
            w = if end >= w + 3 { end + 1 } else { w + 1 };
            let w = here;
            if end < w + 3 {
                continue;
            }
            let parts = &ns[w + 1..=end];
            if parts.iter().any(|n| n.value.is_none_or(|v| v >= whole)) {
                continue;
            }
            let last_gap = norm.key(gap(end - 1, end));
            let joined = AND.iter().any(|a| last_gap.split(' ').any(|w| w == *a));
            // The last part's own words (its noun) and what follows it.
            let tail: String = p
                .text
                .get(ns[end].start..)
                .unwrap_or("")
                .chars()
                .take(ns[end].raw.chars().count() + 30)
                .collect();
            let tail = norm.key(&tail);
            let rest = tail
                .split(' ')
                .take(5)
                .any(|w| OTHERS.iter().any(|o| w.starts_with(o)));
            if !joined || !rest {
                continue;
            }
            let sum: f64 = parts.iter().filter_map(|n| n.value).sum();
            if eq(sum, whole) {
                continue;
            }
            let sentence = tokens::sentence(&p.text, ns[w].start);
            let raws: Vec<&str> = parts.iter().map(|n| n.raw.as_str()).collect();
            out.push(super::finding(
                FindingKind::Total,
                Severity::TotalMismatch,
                super::place(&ns[w].raw, Some(whole), &p.provenance, &sentence),
                Some(super::place(
                    &raws.join(" + "),
                    Some(sum),
                    &p.provenance,
                    &sentence,
                )),
                super::Figures {
                    expected: Some(sum),
                    found: Some(whole),
                    confidence: 0.8,
                },
                format!(
                    "`{}` broken down into {} parts down to the others, which add up to {}",
                    ns[w].raw,
                    parts.len(),
                    fmt(sum)
                ),
            ));
        }
    }
}

/// How many words before an amount a total word may stand and still be
/// its own ("ukupno planiranih sredstava u Akcionom planu (66,67 …").
const TOTAL_REACH: usize = 8;

/// A total amount stated in running text against the tables' total: the
/// grand total (row and column both totals, no source, no goal) when its
/// sentence names no year, that year's total when it names one year of the
/// plan's period.
///
/// Compared only when a total word stands among the few words before the
/// amount in its sentence and nothing but years of the plan precedes it
/// there. Never compared: an amount of a year outside the plan (past
/// spending), a sentence naming several years or a goal's or measure's
/// code (a part, not the total), a share of the total (a percentage), a
/// plan whose tables state no total, amounts in different currencies. A
/// text figure that agrees with any of the tables' totals is right: tables
/// that disagree among themselves are the table checks' matter. Both
/// figures may be rounded by half a unit of their last written digit, in
/// their own scale (66,67 miliona: ±5 000).
fn text_totals(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    lex: &Lexicon,
    out: &mut Vec<Finding>,
) {
    let Some((first, last)) = rec
        .document
        .period
        .and_then(|p| Some((p.from?, p.to.or(p.from)?)))
    else {
        return;
    };
    let in_plan = |y: i32| (first..=last).contains(&y);
    let totals: Vec<&Budget> = rec
        .budgets
        .iter()
        .filter(|b| b.is_total && b.parent.is_none() && b.source.is_none() && b.amount.is_some())
        .collect();
    if totals.is_empty() {
        return;
    }
    for p in &rec.paragraphs {
        for (i, n) in p.numbers.iter().enumerate() {
            let Some(v) = n.value.filter(|_| n.kind == Kind::Money) else {
                continue;
            };
            let (from, to) = tokens::sentence_span(&p.text, n.start);
            let here = |m: &&NumberRecord| (from..to).contains(&m.start);
            let plan_year = |m: &NumberRecord| m.kind == Kind::Year && m.year.is_some_and(in_plan);
            if !p.numbers[..i].iter().filter(here).all(plan_year) {
                continue;
            }
            let years: BTreeSet<i32> = p
                .numbers
                .iter()
                .filter(here)
                .filter(|m| m.kind == Kind::Year)
                .filter_map(|m| m.year)
                .collect();
            if years.len() > 1 || years.iter().any(|y| !in_plan(*y)) {
                continue;
            }
            let before = p.text.get(from..n.start).unwrap_or("");
            if names_code(before) {
                continue;
            }
            let key = norm.key(before);
            let words: Vec<&str> = key
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let near = &words[words.len().saturating_sub(TOTAL_REACH)..];
            if !near.iter().any(|w| lex.is_total_key(w)) {
                continue;
            }
            let year = years.first().copied();
            let candidates: Vec<&Budget> = totals
                .iter()
                .filter(|b| b.year == year)
                .filter(|b| {
                    b.currency.is_none() || n.currency.is_none() || b.currency == n.currency
                })
                .copied()
                .collect();
            let slack = text_rounding(&n.raw, v);
            let agrees = |b: &Budget| {
                b.amount.is_some_and(|a| {
                    let own = half_unit(&b.raw) * f64::from(b.scale.max(1));
                    (a - v).abs() <= slack + own + 1e-9 * a.abs().max(v.abs())
                })
            };
            let Some(b) = candidates.first() else {
                continue;
            };
            if candidates.iter().any(|b| agrees(b)) {
                continue;
            }
            let Some(amount) = b.amount else {
                continue;
            };
            let sentence = tokens::sentence(&p.text, n.start);
            let when = year.map_or_else(|| "the whole plan".to_string(), |y| y.to_string());
            out.push(super::finding(
                FindingKind::Total,
                Severity::TotalMismatch,
                super::place(&n.raw, Some(v), &p.provenance, &sentence),
                Some(super::place(
                    &b.raw,
                    Some(amount),
                    &b.provenance,
                    b.label.as_deref().unwrap_or(""),
                )),
                super::Figures {
                    expected: Some(amount),
                    found: Some(v),
                    confidence: 0.8,
                },
                format!(
                    "the text states a total of {} for {when}; the table's total is {} ({} × {})",
                    fmt(v),
                    fmt(amount),
                    b.raw,
                    b.scale
                ),
            ));
        }
    }
}

/// How far a rounded amount in words may be from the exact one: half a
/// unit of its last written digit, times the scale its words give
/// ("66,67 miliona" = 66.67 × 10⁶: ±5 000).
fn text_rounding(raw: &str, value: f64) -> f64 {
    let written: String = raw
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .filter(char::is_ascii_digit)
        .collect();
    let Ok(digits) = written.parse::<f64>() else {
        return 0.0;
    };
    let dec = decimals(raw);
    let mantissa = digits / 10f64.powi(dec);
    if mantissa == 0.0 {
        return 0.0;
    }
    half_unit(raw) * (value / mantissa).abs()
}

/// Whether a text names a goal's or measure's code ("Mera 1.2", "1.2.3"):
/// a digit, a dot and a digit, the first number short.
fn names_code(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'.'
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && (i < 3 || !b[i - 3].is_ascii_digit())
    })
}

/// A table whose first rows name neither a total nor a year: no header of
/// its own.
fn headless(norm: &crate::normalize::Norm, g: &Grid, lex: &Lexicon) -> bool {
    !g.header_years.values().any(|y| *y)
        && !g.headers.values().any(|h| lex.is_total(norm, h))
        && g.cells.keys().any(|(r, _)| *r < 3)
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
    let mut f = super::finding(
        FindingKind::Total,
        Severity::TotalMismatch,
        crate::align::compare::place(total),
        Some(sum_place(parts, sum)),
        super::Figures {
            expected: Some(sum),
            found: Some(total.value),
            confidence: 0.9,
        },
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

/// A total against its candidate part lists: matched when any list adds up
/// (all parts, or the rows of one kind only — goals, or their measures).
struct Candidate<'a> {
    total: &'a Tok,
    parts: Vec<&'a Tok>,
    sum: f64,
    matched: bool,
    /// Which of the part lists it was judged by (0: all rows).
    list: usize,
    /// Its match is evidence that the line is additive: a match of all the
    /// rows, or of one kind of rows that matches in other columns too (one
    /// kind matching once among many kinds can be chance).
    evidence: bool,
}

fn judge<'a>(total: &'a Tok, lists: Vec<Vec<&'a Tok>>) -> Option<Candidate<'a>> {
    let mut best: Option<Candidate> = None;
    for (list, parts) in lists.into_iter().enumerate() {
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
                list,
                evidence: matched,
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
    // A zero that adds up to zeros says nothing about the line.
    let any_match = cands
        .iter()
        .any(|c| c.matched && c.evidence && c.total.value > 0.0);
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
fn totals_in_columns(
    norm: &crate::normalize::Norm,
    grid: &Grid,
    with_subtotals: bool,
    out: &mut Vec<Finding>,
    ok: &mut HashSet<Provenance>,
) {
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
            // In a column of percentages a total below its largest part is
            // the total row's rate ("Percent Censored"), not a sum.
            let max = lists[0].iter().map(|t| t.value).fold(0.0, f64::max);
            let percent_column = total.class() == 1
                || grid
                    .headers
                    .get(&c)
                    .is_some_and(|h| super::scales::names_percent(norm, h));
            if percent_column && total.value < max {
                continue;
            }
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
        for i in 0..cands.len() {
            if cands[i].list > 0 {
                let list = cands[i].list;
                let columns = cands
                    .iter()
                    .filter(|c| c.list == list && c.matched && c.total.value > 0.0)
                    .count();
                cands[i].evidence = cands[i].matched && columns >= 2;
            }
        }
        report_line(grid, cands, "column", out, ok);
        if with_subtotals {
            subtotals(grid, &rows, out, ok);
        }
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
            // Amounts and counts only: a goal's period is not the sum of
            // its measures' periods.
            if !summable(total) || total.class() != 0 || total.kind == Kind::Year {
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
                    list: 0,
                    evidence: matched,
                });
            } else if let Some(cand) = judge(total, vec![parts]) {
                cands.push(cand);
            }
        }
    }
    // Heads none of which adds up are not subtotals: a goal column merged
    // over its activities puts the goal's label on its first activity.
    if cands.iter().any(|c| c.matched && c.total.value > 0.0) {
        report_line(grid, cands, "subtotal", out, ok);
    }
}

/// Total columns: a column headed `Ukupno` against the other numbers of
/// each row back to the previous total column (or, for a row whose total
/// cell spans the rows below it, those rows too).
fn totals_in_rows(
    norm: &crate::normalize::Norm,
    grid: &Grid,
    headers: &BTreeMap<usize, String>,
    lex: &Lexicon,
    out: &mut Vec<Finding>,
    ok: &mut HashSet<Provenance>,
) {
    let total_cols: Vec<usize> = headers
        .iter()
        .filter(|(_, h)| lex.is_total(norm, h))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporting() {
        assert!(reportable(70156.0, 7016.0, 32260.0));
        assert!(!reportable(15000.0, 209.0, 4465.0));
        assert!(reportable(100.0, 120.0, 50.0));
    }
}
