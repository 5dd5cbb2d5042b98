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
//! - the values of a running total in year order: they never fall.
//!
//! Never compares: indicators of another goal; rates and ratios (a part
//! with a non-whole value, or "per"); years a part does not state; a sum
//! whose parts never add up to the aggregate in any year (then they are not
//! its parts).

use super::fmt;
use super::stmts::{Stmt, Val, stems};
use crate::align::report::{Finding, Place};
use crate::align::tokens::{eq, shorten};
use crate::extract::record::ValueKind;
use crate::normalize::fold;

pub fn check(statements: &[Stmt], out: &mut Vec<Finding>) {
    aggregates(statements, out);
    cumulative(statements, out);
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
fn all_head(s: &Stmt) -> Option<(Vec<String>, String)> {
    let words: Vec<String> = fold::key(&s.label)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let at = words.iter().position(|w| ALL.contains(&w.as_str()))?;
    let head: Vec<String> = stems(&words[..at].join(" "))
        .into_iter()
        .filter(|w| s.stems.contains(w))
        .collect();
    let noun = stems(&words[at + 1..].join(" "))
        .into_iter()
        .find(|w| s.stems.contains(w))?;
    (!head.is_empty()).then_some((head, noun))
}

fn aggregates(statements: &[Stmt], out: &mut Vec<Finding>) {
    for agg in statements {
        let Some((head, noun)) = all_head(agg) else {
            continue;
        };
        let parts: Vec<&Stmt> = statements
            .iter()
            .filter(|p| p.table != agg.table || p.row != agg.row)
            .filter(|p| all_head(p).is_none() && under(&p.place, &agg.place))
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
                "series",
                "aggregate_mismatch",
                vplace(agg, v),
                Some(b),
                Some(sum),
                Some(x),
                0.85,
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
                "series",
                "cumulative_falls",
                vplace(c, w[1]),
                Some(vplace(c, w[0])),
                w[0].value,
                w[1].value,
                0.8,
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
                    "series",
                    "cumulative_mismatch",
                    vplace(c, t),
                    last,
                    Some(expected),
                    Some(x),
                    0.8,
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
