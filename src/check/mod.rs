//! Single-plan checks: does the plan agree with itself, as an auditor reads
//! it?
//!
//! In: one plan record (`plan-record/1`). Out: a [`Check`] (schema
//! `plan-check/1`): findings, each with `a` the statement found wrong and
//! `b`, when there is one, the statement it disagrees with (raw text, value
//! and provenance of both), what the other statements imply (`expected`),
//! what the plan says (`found`) and a `confidence`.
//!
//! The checks read what every record has — every table cell by cell and
//! every paragraph with its parsed numbers — and the structured fields
//! (indicators, budgets, objectives) where the extraction found them, so
//! they work whatever the extraction makes of a plan's structure.
//!
//! One module per class of finding; each states what it compares and what
//! it must never compare:
//!
//! | class (`kind`) | module | severities |
//! |---|---|---|
//! | `total` | [`totals`] | `total_mismatch` |
//! | `share` | [`shares`] | `share_mismatch` |
//! | `restatement` | [`restatements`] | `repeated_mismatch`, `year_label_mismatch` |
//! | `series` | [`series`], [`totals`] | `aggregate_mismatch`, `cumulative_mismatch`, `cumulative_falls`, `count_mismatch` |
//! | `period` | [`periods`] | `period_label_mismatch`, `outside_period` |
//! | `scale` | [`scales`] | `scale_inconsistent`, `scale_label_mismatch`, `unit_label_mismatch` |
//!
//! Precision comes first: a finding is raised only where the plan itself
//! shows that the compared statements are about the same thing (the same
//! label, place, year and kind; a total row and the rows it closes), and
//! rounding is allowed for (each figure may be off by half a unit of its
//! last decimal).

pub mod grid;
pub mod periods;
pub mod restatements;
pub mod scales;
pub mod series;
pub mod shares;
pub mod stmts;
pub mod totals;

use crate::align::report::{Check, Finding, FindingKind, Place, Severity};
use crate::align::tokens;
use crate::extract::PlanRecord;
use crate::model::Provenance;
use crate::vocab::Vocab;

/// Checks one plan's own figures.
pub fn check(rec: &PlanRecord, v: &Vocab) -> Check {
    let (lex, norm) = (v.align(), v.norm());
    let mut c = Check::new(rec);
    let units = tokens::tables_unlabelled(norm, rec);
    let statements = stmts::statements(norm, rec, &units, v.structure());
    let mut findings = Vec::new();
    totals::check(norm, rec, &units, lex, &mut findings);
    shares::check(norm, rec, &units, v, &mut findings);
    restatements::check(norm, rec, &units, &statements, v, &mut findings);
    series::check(norm, rec, &units, &statements, lex, &mut findings);
    periods::check(norm, rec, &units, &statements, v.structure(), &mut findings);
    scales::check(norm, rec, &units, &statements, lex, &mut findings);
    c.summary = number(&mut findings);
    c.findings = findings;
    c
}

/// A self-contained HTML page of a check: the findings on top, the plan
/// below twice (the statements found wrong on the left, what they disagree
/// with on the right), every place highlighted and linked.
pub fn html(check: &Check, rec: &PlanRecord) -> String {
    crate::align::view::check_html(check, rec)
}

/// Gives findings their ids and counts them by severity.
fn number(findings: &mut [Finding]) -> std::collections::BTreeMap<String, u64> {
    let mut summary = std::collections::BTreeMap::new();
    for (i, f) in findings.iter_mut().enumerate() {
        f.id = format!("f{}", i + 1);
        *summary.entry(f.severity.to_string()).or_insert(0) += 1;
    }
    summary
}

/// What a check finding states in numbers: the figure the plan's other
/// statements imply, the one it states, and how sure the check is.
pub(crate) struct Figures {
    pub expected: Option<f64>,
    pub found: Option<f64>,
    pub confidence: f64,
}

/// A finding of a check: class, severity, both sides, its figures.
pub(crate) fn finding(
    kind: FindingKind,
    severity: Severity,
    a: Place,
    b: Option<Place>,
    figures: Figures,
    detail: String,
) -> Finding {
    let mut f = crate::align::compare::finding(kind, severity, Some(a), b, detail);
    f.expected = figures.expected;
    f.found = figures.found;
    f.confidence = Some(figures.confidence);
    f
}

/// A place from a cell or paragraph: its raw text, value and provenance.
pub(crate) fn place(
    raw: &str,
    value: Option<f64>,
    provenance: &Provenance,
    context: &str,
) -> Place {
    Place {
        raw: raw.to_string(),
        value,
        provenance: provenance.clone(),
        context: tokens::shorten(context, 240),
    }
}

/// The sentence of each number of a paragraph, computed once: checks ask
/// which numbers share a sentence, and a long paragraph has many.
pub(crate) fn sentences(
    text: &str,
    numbers: &[crate::extract::record::NumberRecord],
) -> Vec<String> {
    numbers
        .iter()
        .map(|n| tokens::sentence(text, n.start))
        .collect()
}

/// A number for a person: at most four decimals, no trailing zeros.
pub(crate) fn fmt(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Digits after the decimal separator of a raw number: after the last
/// separator followed by one, two or four and more digits (three digits
/// after a separator are a thousands group).
pub(crate) fn decimals(raw: &str) -> i32 {
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

/// Half a unit of the last written decimal of `raw` (0.5 for an integer):
/// how far a rounded figure may be from the exact one.
pub(crate) fn half_unit(raw: &str) -> f64 {
    0.5 * 10f64.powi(-decimals(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_half_units() {
        assert_eq!(decimals("96.68%"), 2);
        assert_eq!(decimals("2,314"), 0);
        assert_eq!(decimals("331.01"), 2);
        assert_eq!(decimals("12,8 милиона"), 1);
        assert!((half_unit("28%") - 0.5).abs() < 1e-12);
        assert!((half_unit("61,4") - 0.05).abs() < 1e-12);
        assert_eq!(fmt(12.5), "12.5");
        assert_eq!(fmt(3.0), "3");
    }
}
