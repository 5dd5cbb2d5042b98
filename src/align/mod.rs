//! Alignment and cross-checks: plan records in, findings out.
//!
//! In: plan records (`plan-record/1`). Out: pairings, alignments
//! (`plan-alignment/1`) and checks (`plan-check/1`), plain data for `emit`.
//!
//! - [`pair`]: which records of a batch are versions of one plan
//!   ([`pairing`]);
//! - [`align`]: two versions side by side, every number compared, coarse to
//!   fine — plan structure by code ([`structure`]), tables by caption, shape
//!   and numbers, rows, cells, then paragraphs and their numbers
//!   ([`compare`]), all through sequence alignment ([`seq`]) over the
//!   comparable numbers of each record ([`tokens`]) and the cross-language
//!   word lists of `mappings/` ([`lexicon`]);
//! - [`check`]: one plan's own consistency, kept here for callers of the
//!   alignment API; the checks live in [`crate::check`];
//! - [`html`] and [`summary`]: the side-by-side view of an alignment and
//!   the terminal summary ([`view`]).
//!
//! Output types live in [`report`] (schema `plan-alignment/1`).

pub mod chardiff;
pub mod compare;
pub mod lexicon;
pub mod pairing;
pub mod report;
pub mod seq;
pub mod structure;
pub mod tokens;
pub mod view;

use crate::extract::PlanRecord;
use crate::vocab::Vocab;
pub use report::{Alignment, Check, Finding, FindingKind, Pair, Pairing, Severity};

/// Groups the records of a batch into versions of one plan.
pub fn pair(records: &[&PlanRecord], v: &Vocab) -> Pairing {
    pairing::pair(v.norm(), records)
}

/// Aligns two versions of one plan (`a` is the first argument).
pub fn align(a: &PlanRecord, b: &PlanRecord, v: &Vocab) -> Alignment {
    let (lex, norm) = (v.align(), v.norm());
    let mut al = Alignment::new(a, b);
    let mut out = compare::Out::default();
    let (objectives, activities, indicators) = structure::align(norm, a, b, lex, &mut out);
    let structural = std::mem::take(&mut out.findings);
    let same_language = a.document.language.is_some() && a.document.language == b.document.language;
    compare::tables(
        norm,
        &tokens::tables(norm, a, lex),
        &tokens::tables(norm, b, lex),
        same_language,
        &mut out,
    );
    compare::paragraphs(
        &tokens::paragraphs(norm, a, lex),
        &tokens::paragraphs(norm, b, lex),
        &mut out,
    );
    // Indicator values and amounts read from table cells are compared cell
    // by cell with the tables, which is robust to a slot (year, kind) read
    // differently on one side; the structure's own comparison speaks only
    // for values found outside tables.
    let in_table = |f: &Finding| {
        f.a.iter()
            .chain(f.b.iter())
            .any(|p| p.provenance.cell.is_some() || p.provenance.table.is_some())
    };
    let mut findings: Vec<Finding> = structural
        .into_iter()
        .filter(|f| {
            !matches!(f.kind, FindingKind::IndicatorValue | FindingKind::Budget) || !in_table(f)
        })
        .collect();
    findings.append(&mut out.findings);
    al.aligned = report::Counts {
        objectives,
        activities,
        indicators,
        tables: out.tables,
        paragraphs: out.paragraphs,
    };
    al.table_pairs = out.table_pairs;
    al.skipped = out.skipped;
    al.summary = number(&mut findings);
    al.findings = findings;
    al
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

/// Checks one plan's own consistency ([`crate::check::check`]).
pub fn check(rec: &PlanRecord, v: &Vocab) -> Check {
    crate::check::check(rec, v)
}

/// A self-contained HTML page showing both plans side by side with every
/// finding highlighted and linked.
pub fn html(alignment: &Alignment, a: &PlanRecord, b: &PlanRecord) -> String {
    view::html(alignment, a, b)
}

/// A short plain-text summary for the terminal.
pub fn summary(alignment: &Alignment) -> String {
    view::summary(alignment)
}
