//! Restatements: the same figure stated in two places with different
//! values, and one indicator stated with different year labels.
//!
//! Compares:
//! - an indicator's value in one table with its value in another, when the
//!   labels name the same indicator ([`stmts::same_indicator`]), both
//!   statements have the same owner (goal or measure code, or neither
//!   names one) and the value has the same kind and year; when both give a
//!   kind (baseline, target) but under disjoint years ("target 2030" here,
//!   "target 2028" there) that is its own finding, `year_label_mismatch`;
//! - an amount of a goal, measure or activity in one table with the amount
//!   of the same goal, measure or activity, source and year in another;
//! - a label–value row ("Број запослених | 18") with a row of the same label
//!   of three words or more elsewhere;
//! - an amount in running text tied to one goal or measure ("12,8 милиона
//!   динара, намењен је Мери 1.1") with the total of that goal or measure's
//!   row in a table of amounts, after the table's scale;
//! - a row of figures by year with a row of another table that gives the
//!   same figures for at least two of three common years (one of them 100
//!   or more) and a close figure, or three equal ones, for the last: the
//!   same series restated with one year different ("1203, 1128, 1084"
//!   against "1203, 1128, 1083").
//!
//! Never compares: two years, or two kinds, of one indicator; an indicator
//! of one goal with one of another goal or measure; a measure's total with
//! one of its activities (an amount keyed by an activity never meets one
//! keyed by its measure); amounts within one table (they repeat per
//! source); a sentence naming more than one figure or more than one goal.

use super::stmts::{self, Stmt};
use super::{fmt, half_unit};
use crate::align::report::{Finding, FindingKind, Place, Severity};
use crate::align::tokens::{self, TableUnits, eq, shorten};
use crate::extract::PlanRecord;
use crate::extract::record::ValueKind;
use crate::normalize::numbers::Kind;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    statements: &[Stmt],
    v: &crate::vocab::Vocab,
    out: &mut Vec<Finding>,
) {
    indicators(statements, out);
    amounts(norm, rec, units, out);
    text_amounts(norm, rec, units, v.align(), out);
    year_series(norm, rec, units, v, out);
}

/// A row of figures by year: year → its cell's token.
struct Series<'a> {
    table: usize,
    label: String,
    values: BTreeMap<i32, &'a tokens::Tok>,
}

/// The year of each column of a table, from its first two rows: a bare
/// year header covers the columns up to the next one; within a block of
/// several columns only the one headed as a total counts ("2023 | М Ж
/// Укупно"), and a block without one has no year column.
pub(super) fn year_columns(
    norm: &crate::normalize::Norm,
    t: &crate::extract::record::TableRecord,
    lex: &crate::align::lexicon::Lexicon,
    ind: &crate::extract::structure::lexicon::Lexicon,
) -> (BTreeMap<usize, i32>, usize) {
    let mut out = BTreeMap::new();
    for (ri, row) in t.rows.iter().enumerate().take(2) {
        let years: Vec<(usize, i32)> = row
            .iter()
            .filter_map(|c| {
                ind.bare_year_header(norm, c.text.trim())
                    .map(|y| (c.col, y))
            })
            .collect();
        if years.len() < 2 {
            continue;
        }
        let last_col = t
            .rows
            .iter()
            .flat_map(|r| r.iter().map(|c| c.col))
            .max()
            .unwrap_or(0);
        for (k, &(col, y)) in years.iter().enumerate() {
            let end = years.get(k + 1).map(|(c, _)| *c).unwrap_or(last_col + 1);
            if end - col <= 1 {
                out.insert(col, y);
                continue;
            }
            // Sub-headers of the block in the next row.
            let sub: Vec<usize> = t
                .rows
                .get(ri + 1)
                .map(|r| {
                    r.iter()
                        .filter(|c| c.col >= col && c.col < end && lex.is_total(norm, &c.text))
                        .map(|c| c.col)
                        .collect()
                })
                .unwrap_or_default();
            if let [c] = sub[..] {
                out.insert(c, y);
            }
        }
        let header_rows = if out.keys().any(|c| years.iter().all(|(yc, _)| yc != c)) {
            ri + 2
        } else {
            ri + 1
        };
        return (out, header_rows);
    }
    (out, 0)
}

/// One row of figures by year restated in another table with one year
/// different: at least three years in common, at least two of them equal
/// (one of them 100 or more: not a coincidence of small counts) and the
/// third within a tenth of the other, or three equal and one not.
fn year_series(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    v: &crate::vocab::Vocab,
    out: &mut Vec<Finding>,
) {
    let all = year_rows(norm, rec, units, v);
    let partners = partners_of(&all);
    for (j, b) in all.iter().enumerate() {
        // Each the other's only partner: one row elsewhere restates it, or
        // the figures say nothing about which one does.
        let [only] = partners[j][..] else { continue };
        if only > j || partners[only][..] != [j] {
            continue;
        }
        {
            let a = &all[only];
            let common: Vec<i32> = a
                .values
                .keys()
                .filter(|y| b.values.contains_key(y))
                .copied()
                .collect();
            if common.len() < 3 {
                continue;
            }
            let same: Vec<i32> = common
                .iter()
                .filter(|y| {
                    a.values[y].class() == b.values[y].class()
                        && eq(a.values[y].value, b.values[y].value)
                })
                .copied()
                .collect();
            let differ: Vec<i32> = common
                .iter()
                .filter(|y| !same.contains(y))
                .copied()
                .collect();
            let distinctive = same.iter().any(|y| a.values[y].value.abs() >= 100.0);
            let [y] = differ[..] else { continue };
            if same.len() < 2 || !distinctive || a.values[&y].class() != b.values[&y].class() {
                continue;
            }
            let (ta, tb) = (a.values[&y], b.values[&y]);
            // Two equal years of three are evidence of one series only
            // when the third is close (a slip, not another row: an
            // activity that is most of its goal shares years with it).
            let rel = (ta.value - tb.value).abs() / ta.value.abs().max(tb.value.abs()).max(1e-9);
            if same.len() < 3 && rel > 0.1 {
                continue;
            }
            let mut f = super::finding(
                FindingKind::Restatement,
                Severity::RepeatedMismatch,
                crate::align::compare::place(tb),
                Some(crate::align::compare::place(ta)),
                super::Figures {
                    expected: Some(ta.value),
                    found: Some(tb.value),
                    confidence: 0.75,
                },
                format!(
                    "`{}` for {y} here but `{}` in {}, which gives the same figures for {}",
                    tb.raw,
                    ta.raw,
                    crate::align::view::where_(&ta.provenance),
                    same.iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            f.context = if b.label.is_empty() {
                a.label.clone()
            } else {
                b.label.clone()
            };
            out.push(f);
        }
    }
}

/// The rows of at least three yearly figures of every table with year
/// columns.
fn year_rows<'a>(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &'a [TableUnits],
    v: &crate::vocab::Vocab,
) -> Vec<Series<'a>> {
    let lex = v.align();
    let mut all: Vec<Series> = Vec::new();
    for (ti, (t, u)) in rec.tables.iter().zip(units).enumerate() {
        if u.toc {
            continue;
        }
        let (cols, from) = year_columns(norm, t, lex, v.structure());
        if cols.len() < 3 {
            continue;
        }
        for (ri, row) in t.rows.iter().enumerate().skip(from) {
            let mut values = BTreeMap::new();
            for (&col, &y) in &cols {
                let Some(cell) = row.iter().find(|c| c.col == col) else {
                    continue;
                };
                let toks: Vec<&tokens::Tok> = u.rows[ri]
                    .toks
                    .iter()
                    .filter(|k| k.provenance == cell.provenance)
                    .collect();
                if let [tok] = toks[..]
                    && cell.numbers.len() == 1
                    && !matches!(
                        tok.kind,
                        Kind::Year | Kind::Period | Kind::Date | Kind::Quarter
                    )
                {
                    values.insert(y, tok);
                }
            }
            let label: String = row
                .iter()
                .filter(|c| c.numbers.is_empty())
                .map(|c| c.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            if values.len() >= 3 {
                all.push(Series {
                    table: ti,
                    label,
                    values,
                });
            }
        }
    }
    all
}

fn partners_of(all: &[Series]) -> Vec<Vec<usize>> {
    // Rows sharing a figure for a year, through an index (a table of
    // thousands of rows is not compared pair by pair): (year, figure) →
    // rows.
    let mut index: BTreeMap<(i32, i64), Vec<usize>> = BTreeMap::new();
    for (i, s) in all.iter().enumerate() {
        for (y, t) in &s.values {
            index.entry((*y, t.key())).or_default().push(i);
        }
    }
    // Each row's partners: rows of other tables sharing at least two of
    // its figures by year.
    all.iter()
        .enumerate()
        .map(|(j, b)| {
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for (y, t) in &b.values {
                for &i in index.get(&(*y, t.key())).into_iter().flatten() {
                    if i != j && all[i].table != b.table {
                        *shared.entry(i).or_default() += 1;
                    }
                }
            }
            shared
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(i, _)| i)
                .collect()
        })
        .collect()
}

fn val_place(s: &Stmt, v: &stmts::Val) -> Place {
    Place {
        raw: v.raw.clone(),
        value: v.value,
        provenance: v.provenance.clone(),
        context: shorten(&format!("{} — {}", s.label, v.header), 240),
    }
}

fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Baseline => "baseline",
        ValueKind::Target => "target",
        ValueKind::Actual => "actual",
    }
}

/// One indicator in two tables: values of the same year and kind, and the
/// year labels of each kind.
fn indicators(statements: &[Stmt], out: &mut Vec<Finding>) {
    let same = stmts::same_indicators(statements);
    for (j, b) in statements.iter().enumerate() {
        // Its first statement elsewhere, when exactly one row of that
        // table names the indicator.
        let earlier: Vec<usize> = same[j]
            .iter()
            .copied()
            .filter(|&i| i < j)
            .filter(|&i| statements[i].table != b.table && statements[i].place == b.place)
            .collect();
        let Some(&ai) = earlier.first() else { continue };
        let a = &statements[ai];
        if earlier
            .iter()
            .filter(|&&x| statements[x].table == a.table)
            .count()
            > 1
            || same[ai]
                .iter()
                .filter(|&&x| statements[x].table == b.table)
                .count()
                > 1
        {
            continue;
        }
        let mut disjoint = Vec::new();
        for kind in [ValueKind::Baseline, ValueKind::Actual, ValueKind::Target] {
            let ya: BTreeSet<i32> = a
                .values
                .iter()
                .filter(|v| v.kind == kind)
                .map(|v| v.year)
                .collect();
            let yb: BTreeSet<i32> = b
                .values
                .iter()
                .filter(|v| v.kind == kind)
                .map(|v| v.year)
                .collect();
            if ya.is_empty() || yb.is_empty() {
                continue;
            }
            if ya.is_disjoint(&yb) {
                disjoint.push((kind, ya, yb));
                continue;
            }
            for y in ya.intersection(&yb) {
                let (Some(va), Some(vb)) = (a.value(kind, *y), b.value(kind, *y)) else {
                    continue;
                };
                let (Some(x), Some(z)) = (va.value, vb.value) else {
                    continue;
                };
                if eq(x, z) {
                    continue;
                }
                let mut f = super::finding(
                    FindingKind::Restatement,
                    Severity::RepeatedMismatch,
                    val_place(b, vb),
                    Some(val_place(a, va)),
                    super::Figures {
                        expected: Some(x),
                        found: Some(z),
                        confidence: 0.9,
                    },
                    format!(
                        "`{}` here but `{}` in {} for the {} {} of the same indicator",
                        vb.raw,
                        va.raw,
                        crate::align::view::where_(&va.provenance),
                        kind_name(kind),
                        y
                    ),
                );
                f.context = b.label.clone();
                out.push(f);
            }
        }
        if let Some((kind, ya, yb)) = disjoint.first() {
            let (Some(va), Some(vb)) = (
                a.values.iter().find(|v| v.kind == *kind),
                b.values.iter().find(|v| v.kind == *kind),
            ) else {
                continue;
            };
            let years =
                |s: &BTreeSet<i32>| s.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
            let kinds: Vec<String> = disjoint
                .iter()
                .map(|(k, x, y)| format!("{} {} vs {}", kind_name(*k), years(y), years(x)))
                .collect();
            let mut f = super::finding(
                FindingKind::Restatement,
                Severity::YearLabelMismatch,
                val_place(b, vb),
                Some(val_place(a, va)),
                super::Figures {
                    expected: ya.first().map(|y| f64::from(*y)),
                    found: yb.first().map(|y| f64::from(*y)),
                    confidence: 0.8,
                },
                format!(
                    "the same indicator is stated for other years than in {}: {}",
                    crate::align::view::where_(&a.provenance),
                    kinds.join("; ")
                ),
            );
            f.context = b.label.clone();
            out.push(f);
        }
    }
}

/// Amounts of one owner stated in two tables, and label–value rows.
fn amounts(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    out: &mut Vec<Finding>,
) {
    let mut seen: BTreeMap<String, Place> = BTreeMap::new();
    let mut report = |key: String, p: Place, what: &str, out: &mut Vec<Finding>| {
        if let Some(first) = seen.get(&key) {
            let differ = match (first.value, p.value) {
                (Some(x), Some(y)) => !eq(x, y),
                _ => false,
            };
            // Amounts repeat per source within one table; only another
            // table restating them is a second place.
            let elsewhere = first.provenance.table != p.provenance.table;
            if differ && elsewhere && first.provenance != p.provenance {
                let mut f = super::finding(
                    FindingKind::Restatement,
                    Severity::RepeatedMismatch,
                    p.clone(),
                    Some(first.clone()),
                    super::Figures {
                        expected: first.value,
                        found: p.value,
                        confidence: 0.75,
                    },
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
    // An amount is keyed by everything that names its owner: its goal or
    // measure, its activity (by code, record or words) — so a measure's
    // total never meets the amount of one of its activities.
    for b in rec.budgets.iter().filter(|b| b.parent.is_some()) {
        let key = format!(
            "budget|{:?}|{:?}|{:?}|{:?}|{}|{:?}",
            b.parent,
            b.activity,
            b.activity_id,
            b.label.as_deref().map(|s| norm.key(s)),
            b.source.as_deref().map(|s| norm.key(s)).unwrap_or_default(),
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
            // Label–value rows only: a label cell, then a value cell (a
            // number before its label is the row's number in a list).
            let cells: Vec<&str> = r.text.split(" | ").collect();
            if r.toks.len() != 1 || cells.len() != 2 || cells[0].chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let label: String = r
                .text
                .split(" | ")
                .filter(|s| !s.chars().any(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(" ");
            let key = norm.key(&label);
            if key.split(' ').filter(|w| w.len() >= 3).count() < 3 {
                continue;
            }
            report(
                format!("row|{key}"),
                crate::align::compare::place(&r.toks[0]),
                "labelled figure",
                out,
            );
        }
    }
}

fn owner_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\b(mer[aeiu]|mjer[aeiu]|mas[aeë]s?|cilj[aeu]?)\s+([0-9]{1,2}(?:\.[0-9]{1,2})*)\b",
        )
        .expect("valid regex")
    })
}

/// "measure" or "goal", from the label word.
fn owner_class(word: &str) -> char {
    if word.starts_with("cilj") { 'g' } else { 'm' }
}

/// The owners (class, code) a text names.
fn owners(norm: &crate::normalize::Norm, text: &str) -> Vec<(char, String)> {
    let k = norm.key(text);
    owner_re()
        .captures_iter(&k)
        .filter_map(|c| {
            let w = c.get(1)?.as_str();
            let code = c.get(2)?.as_str().trim_end_matches('.').to_string();
            Some((owner_class(w), code))
        })
        .collect()
}

/// A sentence of running text that gives one amount for one goal or
/// measure, against that owner's total in a table of amounts.
fn text_amounts(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    lex: &crate::align::lexicon::Lexicon,
    out: &mut Vec<Finding>,
) {
    let rows = owner_rows(norm, rec, units, lex);
    for p in &rec.paragraphs {
        if !p.numbers.iter().any(|n| n.kind == Kind::Money) {
            continue;
        }
        let sents = super::sentences(&p.text, &p.numbers);
        let mut per_sentence: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, n) in p.numbers.iter().enumerate() {
            if n.kind == Kind::Money {
                *per_sentence.entry(sents[i].as_str()).or_default() += 1;
            }
        }
        for (i, n) in p.numbers.iter().enumerate() {
            if n.kind != Kind::Money {
                continue;
            }
            let Some(v) = n.value else { continue };
            let sentence = sents[i].clone();
            let money = per_sentence.get(sentence.as_str()).copied().unwrap_or(0);
            let named = owners(norm, &sentence);
            let ([owner], 1) = (&named[..], money) else {
                continue;
            };
            // The amount and the goal or measure side by side: no other
            // figure between them ("500.200 €, od čega 48% na Cilj 1" gives
            // the goal a share, not the amount).
            let Some(at) = code_at(&p.text, &owner.1, n.start) else {
                continue;
            };
            let (lo, hi) = if at < n.start {
                (at + owner.1.len(), n.start)
            } else {
                (n.start + n.raw.len(), at)
            };
            if p.numbers.iter().any(|m| m.start >= lo && m.start < hi) {
                continue;
            }
            let Some(cands) = rows.get(owner) else {
                continue;
            };
            let [(tok, scale)] = cands[..] else { continue };
            let stated = tok.value * scale;
            // The text rounds ("12,8 милиона"): half a unit of its last
            // decimal, in the text's own scale.
            let text_scale = written(&n.raw).map_or(1.0, |w| v / w.max(f64::MIN_POSITIVE));
            let tol = half_unit(&n.raw) * text_scale.max(1.0) + half_unit(&tok.raw) * scale;
            if (stated - v).abs() <= tol {
                continue;
            }
            let mut f = super::finding(
                FindingKind::Restatement,
                Severity::RepeatedMismatch,
                super::place(&n.raw, Some(v), &p.provenance, &sentence),
                Some(Place {
                    raw: tok.raw.clone(),
                    value: Some(stated),
                    provenance: tok.provenance.clone(),
                    context: shorten(&tok.context, 240),
                }),
                super::Figures {
                    expected: Some(stated),
                    found: Some(v),
                    confidence: 0.8,
                },
                format!(
                    "the text gives {} for {} {} but {} gives `{}` (= {})",
                    fmt(v),
                    if owner.0 == 'g' { "goal" } else { "measure" },
                    owner.1,
                    crate::align::view::where_(&tok.provenance),
                    tok.raw,
                    fmt(stated)
                ),
            );
            f.context = sentence.clone();
            out.push(f);
        }
    }
}

/// The table figures [`text_amounts`] holds a sentence's amount against.
fn owner_rows<'a>(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &'a [TableUnits],
    lex: &crate::align::lexicon::Lexicon,
) -> BTreeMap<(char, String), Vec<(&'a tokens::Tok, f64)>> {
    // Table rows labelled by exactly one owner, with the value under the
    // table's total column: owner → (token, scale).
    let mut rows: BTreeMap<(char, String), Vec<(&tokens::Tok, f64)>> = BTreeMap::new();
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc || t.rows.is_empty() {
            continue;
        }
        let scale = f64::from(t.scale.unwrap_or(1).max(1));
        let total_cols: Vec<usize> = t.rows[0]
            .iter()
            .filter(|c| lex.is_total(norm, &c.text))
            .map(|c| c.col)
            .collect();
        let [tc] = total_cols[..] else { continue };
        for (ri, row) in t.rows.iter().enumerate().skip(1) {
            let label: String = row
                .iter()
                .filter(|c| c.numbers.is_empty())
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let named = owners(norm, &label);
            let [owner] = &named[..] else { continue };
            let Some(cell) = row.iter().find(|c| c.col == tc) else {
                continue;
            };
            let Some(tok) = u.rows[ri]
                .toks
                .iter()
                .find(|k| k.provenance == cell.provenance)
            else {
                continue;
            };
            if matches!(
                tok.kind,
                Kind::Percent | Kind::Year | Kind::Period | Kind::Date
            ) {
                continue;
            }
            rows.entry(owner.clone()).or_default().push((tok, scale));
        }
    }
    rows
}

/// Where the code of an owner is written nearest to byte `near`.
fn code_at(text: &str, code: &str, near: usize) -> Option<usize> {
    text.match_indices(code)
        .map(|(i, _)| i)
        .filter(|&i| {
            // The code itself, not the start of a longer one ("1.1" in
            // "1.1.2") nor a digit run's tail.
            let before = text[..i].chars().next_back();
            let tail = &text[i + code.len()..];
            let digit = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
            let longer = digit(tail) || tail.strip_prefix('.').is_some_and(digit);
            !before.is_some_and(|c| c.is_ascii_digit() || c == '.') && !longer
        })
        .min_by_key(|&i| i.abs_diff(near))
}

/// The number as written at the start of `raw` ("12,8 милиона" → 12.8),
/// separators read by how many digits follow the last one.
fn written(raw: &str) -> Option<f64> {
    let lead: String = raw
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
        .filter(|c| !c.is_whitespace())
        .collect();
    let digits: String = lead.chars().filter(char::is_ascii_digit).collect();
    let n: f64 = digits.parse().ok()?;
    Some(n / 10f64.powi(super::decimals(&lead)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_numbers_and_owners() {
        let norm = crate::vocab::test_vocab().norm();
        assert_eq!(written("12,8 милиона динара"), Some(12.8));
        assert_eq!(written("1.240"), Some(1240.0));
        assert_eq!(
            owners(norm, "намењен је Мери 1.1, којом"),
            vec![('m', "1.1".to_string())]
        );
        assert_eq!(
            owners(norm, "Posebnog cilja 2 - Razvijene"),
            vec![('g', "2".to_string())]
        );
    }
}
