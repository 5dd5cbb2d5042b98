//! Periods: year labels that contradict the plan's period or each other.
//!
//! Compares:
//! - the span of years a table's caption names ("2022 – 2024") with the
//!   years its header columns give (2023, 2024, 2025);
//! - the year columns of one header row with each other (a year given to
//!   two blocks of columns: "2023 | 2023 | 2024");
//! - indicator targets and the periods of goals, measures and activities
//!   with the plan's own period (a target for 2030, a measure "од 2026. до
//!   2030." in a plan for 2026–2028).
//!
//! Never compares: years of the analysis (past figures lie before the plan
//! by nature), baselines (they precede it), a period that starts before the
//! plan (work already under way), captions naming one year or a span of
//! more than ten, header cells that are more than a year ("Ciljani
//! Rezultati -2024" next to "Aktuelni Rezultati -2024" are two kinds, not
//! one year twice). Baseline and target years that differ between two
//! statements of one indicator are restatement findings
//! ([`super::restatements`]).

use super::stmts::{Stmt, years};
use crate::align::report::{Finding, FindingKind, Severity};
use crate::align::tokens::TableUnits;
use crate::extract::PlanRecord;
use crate::extract::record::{Field, ValueKind};
use crate::extract::structure::lexicon::Lexicon as IndLexicon;
use std::collections::BTreeSet;

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    statements: &[Stmt],
    lex: &IndLexicon,
    out: &mut Vec<Finding>,
) {
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc {
            continue;
        }
        header_years(norm, t, lex, out);
    }
    let Some(period) = rec.document.period else {
        return;
    };
    let (Some(from), Some(to)) = (period.from, period.to) else {
        return;
    };
    if to < from {
        return;
    }
    // Targets beyond the plan's end: one finding per table.
    let mut tables = BTreeSet::new();
    for s in statements {
        let Some(v) = s
            .values
            .iter()
            .find(|v| v.kind == ValueKind::Target && v.year > to && v.year <= to + 20)
        else {
            continue;
        };
        if !tables.insert(s.table) {
            continue;
        }
        out.push(super::finding(
            FindingKind::Period,
            Severity::OutsidePeriod,
            super::place(&v.header, Some(f64::from(v.year)), &v.provenance, &s.label),
            None,
            super::Figures {
                expected: Some(f64::from(to)),
                found: Some(f64::from(v.year)),
                confidence: 0.7,
            },
            format!(
                "a target for {} in a plan for {from}–{to} (`{}`)",
                v.year, v.header
            ),
        ));
    }
    // Periods of goals, measures and activities ending after the plan.
    let fields = rec
        .objectives
        .iter()
        .map(|o| (&o.fields, o.code.as_deref()))
        .chain(
            rec.activities
                .iter()
                .map(|a| (&a.fields, a.code.as_deref())),
        );
    for (fs, code) in fields {
        for name in ["timeline", "deadline"] {
            let Some(
                f @ Field {
                    period: Some(p), ..
                },
            ) = fs.get(name)
            else {
                continue;
            };
            let Some(end) = p.to else { continue };
            if end <= to || end > to + 20 {
                continue;
            }
            out.push(super::finding(
                FindingKind::Period,
                Severity::OutsidePeriod,
                super::place(&f.raw, Some(f64::from(end)), &f.provenance, &f.raw),
                None,
                super::Figures {
                    expected: Some(f64::from(to)),
                    found: Some(f64::from(end)),
                    confidence: 0.75,
                },
                format!(
                    "{} `{}` ends in {end}, after the plan's period {from}–{to}",
                    code.unwrap_or("a period"),
                    f.raw.trim()
                ),
            ));
        }
    }
}

/// A table's year columns against each other (a year heading two blocks)
/// and against the span its caption names.
fn header_years(
    norm: &crate::normalize::Norm,
    t: &crate::extract::record::TableRecord,
    lex: &IndLexicon,
    out: &mut Vec<Finding>,
) {
    // Bare year headers of the first two rows, in column order.
    let mut header: Vec<(i32, &crate::extract::record::CellRecord)> = Vec::new();
    for row in t.rows.iter().take(2) {
        let here: Vec<_> = row
            .iter()
            .filter_map(|c| lex.bare_year_header(norm, c.text.trim()).map(|y| (y, c)))
            .collect();
        if here.len() >= 2 {
            header = here;
            break;
        }
    }
    if header.len() < 2 {
        return;
    }
    let distinct: BTreeSet<i32> = header.iter().map(|(y, _)| *y).collect();
    // One year given to two blocks of columns, in a run of years that
    // otherwise rises one by one.
    let consecutive = distinct
        .iter()
        .zip(distinct.iter().skip(1))
        .all(|(a, b)| b - a == 1);
    if distinct.len() < header.len() && distinct.len() >= 2 && consecutive {
        let mut seen = BTreeSet::new();
        if let Some((y, c)) = header.iter().find(|(y, _)| !seen.insert(*y)) {
            let first = header.iter().find(|(z, _)| z == y).map(|(_, c)| *c);
            out.push(super::finding(
                FindingKind::Period,
                Severity::PeriodLabelMismatch,
                super::place(&c.text, Some(f64::from(*y)), &c.provenance, &c.text),
                first.map(|f| super::place(&f.text, Some(f64::from(*y)), &f.provenance, &f.text)),
                super::Figures {
                    expected: None,
                    found: Some(f64::from(*y)),
                    confidence: 0.8,
                },
                format!("{}: the year {y} heads two blocks of columns", t.id),
            ));
        }
    }
    // The caption's span against the header's years.
    let caption = t.caption.as_deref().unwrap_or("");
    if let [from, to] = years(caption)[..]
        && from < to
        && to - from <= 10
    {
        let outside: Vec<&(i32, &crate::extract::record::CellRecord)> = header
            .iter()
            .filter(|(y, _)| *y < from || *y > to)
            .collect();
        if let Some((y, c)) = outside.first() {
            out.push(super::finding(
                FindingKind::Period,
                Severity::PeriodLabelMismatch,
                super::place(&c.text, Some(f64::from(*y)), &c.provenance, caption),
                Some(super::place(caption, None, &t.provenance, caption)),
                super::Figures {
                    expected: None,
                    found: Some(f64::from(*y)),
                    confidence: 0.8,
                },
                format!(
                    "{}: the caption names {from}–{to} but the columns give {}",
                    t.id,
                    distinct
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
}
