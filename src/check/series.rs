//! Series and aggregates: an "all users / all services" indicator against
//! the sum of its per-service indicators, a running total against its
//! yearly increments, and a running total that falls.
//!
//! Compares:
//! - an indicator whose label says "all" ("Укупан број корисника свих
//!   услуга") with the indicators of its goal or the goal's measures whose
//!   label is its head and noun plus what singles one out ("Број корисника
//!   услуге ПУК …"), year by year and kind by kind — only once one year
//!   adds up exactly (the anchor that these are all its parts);
//! - a running total ("…, кумулативно") with its baseline plus the yearly
//!   figures of the same indicator ("… годишње", its label's words a subset
//!   of the running total's), at the first year where they part;
//! - the values of a running total in year order: they never fall;
//! - a count of items by a range of a measure in running text ("deset
//!   naselja od 500 do 1.000 stanovnika po km²", "ispod 10", "preko …")
//!   with the rows of the table listing those items in that range (the
//!   table whose first header names the items, the column whose header
//!   names the measure and its unit).
//!
//! Never compares: indicators of another goal; rates and ratios (a part
//! with a non-whole value, or "per"); years a part does not state; a sum
//! whose parts never add up to the aggregate in any year (then they are not
//! its parts); range counts of a sentence none of whose counts matches the
//! table (then the sentence counts something else). Counts of rows against
//! a total row's own count ("Ukupno 40 naseljenih mesta") are checked with
//! the totals ([`super::totals`]), under this class.

use super::fmt;
use super::stmts::{Stmt, Val, stems};
use crate::align::report::{Finding, FindingKind, Place, Severity};
use crate::align::tokens::{TableUnits, eq, shorten};
use crate::extract::PlanRecord;
use crate::extract::record::ValueKind;
use crate::normalize::numbers::Kind;

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    statements: &[Stmt],
    lex: &crate::align::lexicon::Lexicon,
    out: &mut Vec<Finding>,
) {
    aggregates(norm, statements, out);
    cumulative(statements, out);
    range_counts(norm, rec, units, lex, out);
}

/// Words of "below" and "over" before a bound.
const BELOW: &[&str] = &["ispod", "nen", "under", "below"];
const OVER: &[&str] = &["preko", "mbi", "over", "above"];

/// Stems of a word for matching a noun of the text with a header.
fn stem(norm: &crate::normalize::Norm, w: &str) -> String {
    norm.key(w)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(5)
        .collect()
}

/// Counts of items by a range of a measure in running text ("deset naselja
/// od 500 do 1.000 stanovnika po km²") against the rows of the table that
/// lists those items with that measure: the table whose first header
/// names the items ("Naseljena mesta …") and the column whose header names
/// the measure and its units ("Gustina (br.stanovnika/km ²)"). Reported
/// only when another count of the same sentence matches the table (the
/// anchor that the text counts these rows by this column).
fn range_counts(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    lex: &crate::align::lexicon::Lexicon,
    out: &mut Vec<Finding>,
) {
    for p in &rec.paragraphs {
        let claims = range_claims(norm, p);
        if claims.len() < 2 {
            continue;
        }
        for (t, u) in rec.tables.iter().zip(units) {
            let Some(head) = t.rows.first() else { continue };
            let Some(first) = head.first() else { continue };
            let (noun, measure, unit) = (&claims[0].4, &claims[0].5, &claims[0].6);
            if !norm
                .key(&first.text)
                .split(' ')
                .any(|w| stem(norm, w) == *noun)
            {
                continue;
            }
            // The measure's column: its header names the measure and every
            // word of the units that follow the range in the text.
            let cols = measure_cols(norm, head, measure, unit);
            let [col] = cols[..] else { continue };
            // The column as the document places it, or counted from the
            // row's last cell (an export that lost a cell inside some rows
            // keeps the last columns in place).
            let last_head = head.iter().map(|c| c.col).max().unwrap_or(col);
            let from_right = last_head - col;
            let column = |right: bool| -> Vec<f64> {
                t.rows
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|(_, row)| !row.first().is_some_and(|c| lex.is_total(norm, &c.text)))
                    .filter_map(|(ri, row)| {
                        let at = if right {
                            let last = row
                                .iter()
                                .filter(|c| !c.text.trim().is_empty())
                                .map(|c| c.col)
                                .max()?;
                            last.checked_sub(from_right)?
                        } else {
                            col
                        };
                        let cell = row.iter().find(|c| c.col == at)?;
                        let toks: Vec<&crate::align::tokens::Tok> = u.rows[ri]
                            .toks
                            .iter()
                            .filter(|k| k.provenance == cell.provenance)
                            .collect();
                        match toks[..] {
                            [k] => Some(k.value),
                            _ => None,
                        }
                    })
                    .collect()
            };
            let count_in = |values: &[f64]| -> Vec<(usize, f64)> {
                claims
                    .iter()
                    .enumerate()
                    .map(|(i, cl)| {
                        (
                            i,
                            values.iter().filter(|v| **v >= cl.2 && **v <= cl.3).count() as f64,
                        )
                    })
                    .collect()
            };
            let anchored =
                |counted: &[(usize, f64)]| counted.iter().any(|(i, k)| eq(*k, claims[*i].1));
            let Some(counted) = [false, true]
                .into_iter()
                .map(|right| count_in(&column(right)))
                .find(|c| anchored(c))
            else {
                continue;
            };
            for (i, k) in counted {
                let (c, n, lo, hi, ..) = &claims[i];
                if eq(k, *n) {
                    continue;
                }
                let sentence = crate::align::tokens::sentence(&p.text, c.start);
                out.push(super::finding(
                    FindingKind::Series,
                    Severity::CountMismatch,
                    super::place(&c.raw, Some(*n), &p.provenance, &sentence),
                    Some(super::place(
                        &first.text,
                        Some(k),
                        &first.provenance,
                        &first.text,
                    )),
                    super::Figures {
                        expected: Some(k),
                        found: Some(*n),
                        confidence: 0.7,
                    },
                    format!(
                        "`{}` from {} to {}, but {} lists {} rows in that range",
                        c.raw,
                        fmt(*lo),
                        fmt(*hi),
                        t.id,
                        fmt(k)
                    ),
                ));
            }
            break;
        }
    }
}

/// A count right before a range of a measure.
type Claim<'p> = (
    &'p crate::extract::record::NumberRecord,
    f64,
    f64,
    f64,
    String,
    String,
    String,
);

/// A paragraph's counts of items by a range of a measure: (count, its
/// value, the range's bounds, the items' stem, the measure's stem, the
/// words after the range).
fn range_claims<'p>(
    norm: &crate::normalize::Norm,
    p: &'p crate::extract::record::ParagraphRecord,
) -> Vec<Claim<'p>> {
    // (count, range, the words after the range) triples.
    let mut claims = Vec::new();
    for w in p.numbers.windows(2) {
        let (c, r) = (&w[0], &w[1]);
        let (Some(n), Some(x)) = (c.value, r.value) else {
            continue;
        };
        if !matches!(c.kind, Kind::Word | Kind::Count) || n.fract() != 0.0 {
            continue;
        }
        let (Some(noun), Some(measure)) = (c.noun.as_deref(), r.noun.as_deref()) else {
            continue;
        };
        let gap = p.text.get(c.start + c.raw.len()..r.start).unwrap_or("");
        if gap.chars().count() > 12 {
            continue;
        }
        // "od 500 do 1.000", or "ispod 10" (below: not 10 itself), or
        // "preko 4.465" (over: from it on).
        let g = norm.key(gap);
        let has = |words: &[&str]| g.split(' ').any(|w| words.contains(&w));
        let (lo, hi) = match (r.kind, r.to) {
            (Kind::Range, Some(to)) => (x, to),
            (Kind::Count | Kind::Integer, _) if has(BELOW) => (f64::NEG_INFINITY, x - 1e-9),
            (Kind::Count | Kind::Integer, _) if has(OVER) => (x, f64::INFINITY),
            _ => continue,
        };
        let unit: String = p
            .text
            .get(r.start + r.raw.len()..)
            .unwrap_or("")
            .chars()
            .take(12)
            .collect();
        claims.push((
            c,
            n,
            lo,
            hi,
            stem(norm, noun),
            stem(norm, measure),
            norm.key(&unit),
        ));
    }
    claims
}

/// The columns of header row `head` naming the measure and the first word
/// of its units.
fn measure_cols(
    norm: &crate::normalize::Norm,
    head: &[crate::extract::record::CellRecord],
    measure: &str,
    unit: &str,
) -> Vec<usize> {
    let unit_words: Vec<&str> = unit
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 2 && !["po", "per", "za", "na", "me", "u"].contains(w))
        .take(1)
        .collect();
    let cols: Vec<usize> = head
        .iter()
        .filter(|c| {
            let k = norm.key(&c.text);
            k.split(|ch: char| !ch.is_alphanumeric())
                .any(|w| stem(norm, w) == *measure)
                && unit_words.iter().all(|w| k.contains(w))
        })
        .map(|c| c.col)
        .collect();
    cols
}

/// Words of a label saying "all of them".
const ALL: &[&str] = &["svih", "sve", "svi", "svim", "all", "gjitha"];

/// Whether code `d` is `c` or below it (2.1 under 2).
fn under(d: &Option<String>, c: &Option<String>) -> bool {
    match (d, c) {
        (Some(d), Some(c)) => d == c || d.starts_with(&format!("{c}.")),
        _ => false,
    }
}

fn vplace(s: &Stmt, v: &Val) -> Place {
    Place {
        raw: v.raw.clone(),
        value: v.value,
        provenance: v.provenance.clone(),
        context: shorten(&format!("{} — {}", s.label, v.header), 240),
    }
}

/// Head (stems before "all") and noun (the first stem after it).
fn all_head(norm: &crate::normalize::Norm, s: &Stmt) -> Option<(Vec<String>, String)> {
    let words: Vec<String> = norm
        .key(&s.label)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let at = words.iter().position(|w| ALL.contains(&w.as_str()))?;
    let head: Vec<String> = stems(norm, &words[..at].join(" "))
        .into_iter()
        .filter(|w| s.stems.contains(w))
        .collect();
    let noun = stems(norm, &words[at + 1..].join(" "))
        .into_iter()
        .find(|w| s.stems.contains(w))?;
    (!head.is_empty()).then_some((head, noun))
}

fn aggregates(norm: &crate::normalize::Norm, statements: &[Stmt], out: &mut Vec<Finding>) {
    // Each statement's head once: every aggregate looks at all the others.
    let heads: Vec<Option<(Vec<String>, String)>> =
        statements.iter().map(|s| all_head(norm, s)).collect();
    for (agg, agg_head) in statements.iter().zip(&heads) {
        let Some((head, noun)) = agg_head.clone() else {
            continue;
        };
        let parts: Vec<&Stmt> = statements
            .iter()
            .zip(&heads)
            .filter(|(p, h)| h.is_none() && under(&p.place, &agg.place))
            .map(|(p, _)| p)
            .filter(|p| p.table != agg.table || p.row != agg.row)
            .filter(|p| {
                p.stems.len() > head.len() + 1
                    && p.stems[..head.len()] == head[..]
                    && p.stems[head.len()] == noun
            })
            // Counts of users, not rates.
            .filter(|p| {
                p.values
                    .iter()
                    .all(|v| v.value.is_none_or(|x| x.fract() == 0.0) && !v.percent)
            })
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let mut sums = Vec::new();
        for v in &agg.values {
            let Some(x) = v.value else { continue };
            let got: Vec<&Val> = parts
                .iter()
                .filter_map(|p| p.value(v.kind, v.year))
                .collect();
            if got.len() != parts.len() || got.iter().any(|g| g.value.is_none()) {
                continue;
            }
            let sum: f64 = got.iter().filter_map(|g| g.value).sum();
            sums.push((v, x, sum, got));
        }
        if !sums.iter().any(|(_, x, sum, _)| eq(*x, *sum)) {
            continue;
        }
        for (v, x, sum, got) in sums {
            if eq(x, sum) {
                continue;
            }
            let raw = got
                .iter()
                .map(|g| g.raw.as_str())
                .collect::<Vec<_>>()
                .join(" + ");
            let mut b = vplace(parts[0], got[0]);
            b.raw = raw.clone();
            b.value = Some(sum);
            let mut f = super::finding(
                FindingKind::Series,
                Severity::AggregateMismatch,
                vplace(agg, v),
                Some(b),
                super::Figures {
                    expected: Some(sum),
                    found: Some(x),
                    confidence: 0.85,
                },
                format!(
                    "`{}` for all, but its {} parts give {} = {} ({})",
                    v.raw,
                    parts.len(),
                    raw,
                    fmt(sum),
                    v.header
                ),
            );
            f.context = agg.label.clone();
            out.push(f);
        }
    }
}

fn cumulative(statements: &[Stmt], out: &mut Vec<Finding>) {
    for c in statements.iter().filter(|s| s.cumulative) {
        // Never falls.
        let mut series: Vec<&Val> = c.values.iter().filter(|v| v.value.is_some()).collect();
        series.sort_by_key(|v| (v.year, v.kind != ValueKind::Baseline));
        if let Some(w) = series
            .windows(2)
            .find(|w| w[1].value.unwrap_or(0.0) < w[0].value.unwrap_or(0.0) - 1e-9)
        {
            let mut f = super::finding(
                FindingKind::Series,
                Severity::CumulativeFalls,
                vplace(c, w[1]),
                Some(vplace(c, w[0])),
                super::Figures {
                    expected: w[0].value,
                    found: w[1].value,
                    confidence: 0.8,
                },
                format!(
                    "a running total falls from `{}` to `{}`",
                    w[0].raw, w[1].raw
                ),
            );
            f.context = c.label.clone();
            out.push(f);
        }
        // Against its yearly increments.
        let Some(base) = c.values.iter().find(|v| v.kind == ValueKind::Baseline) else {
            continue;
        };
        let Some(b0) = base.value else { continue };
        for a in statements.iter().filter(|s| s.annual && !s.cumulative) {
            if a.key.len() < 2
                || !a.key.is_subset(&c.key)
                || !(a.place == c.place || under(&a.place, &c.place))
            {
                continue;
            }
            let mut targets: Vec<&Val> = c
                .values
                .iter()
                .filter(|v| v.year > base.year && v.value.is_some())
                .collect();
            targets.sort_by_key(|v| v.year);
            for t in targets {
                let steps: Option<Vec<f64>> = (base.year + 1..=t.year)
                    .map(|y| {
                        a.values
                            .iter()
                            .find(|v| v.year == y && v.kind != ValueKind::Baseline)
                            .and_then(|v| v.value)
                    })
                    .collect();
                let Some(steps) = steps else { break };
                let expected = b0 + steps.iter().sum::<f64>();
                let Some(x) = t.value else { continue };
                if eq(expected, x) {
                    continue;
                }
                let last = a
                    .values
                    .iter()
                    .find(|v| v.year == t.year && v.kind != ValueKind::Baseline)
                    .map(|v| vplace(a, v));
                let mut f = super::finding(
                    FindingKind::Series,
                    Severity::CumulativeMismatch,
                    vplace(c, t),
                    last,
                    super::Figures {
                        expected: Some(expected),
                        found: Some(x),
                        confidence: 0.8,
                    },
                    format!(
                        "running total `{}` in {} but its baseline `{}` plus the yearly figures of `{}` give {}",
                        t.raw,
                        t.year,
                        base.raw,
                        shorten(&a.label, 60),
                        fmt(expected)
                    ),
                );
                f.context = c.label.clone();
                out.push(f);
                break;
            }
        }
    }
}
