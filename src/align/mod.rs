//! Alignment and cross-checks: plan records in, findings out.
//!
//! - [`pair`]: which records of a batch are versions of one plan;
//! - [`align`]: two versions side by side, every number compared;
//! - [`check`]: one plan's own arithmetic (totals, shares, repeats, scale);
//! - [`html`]: the side-by-side view of an alignment.
//!
//! Output types live in [`report`] (schema `plan-alignment/1`).

pub mod report;

use crate::extract::PlanRecord;
pub use report::{Alignment, Check, Finding, Pair, Pairing};

/// Groups the records of a batch into versions of one plan.
pub fn pair(records: &[&PlanRecord]) -> Pairing {
    Pairing {
        pairs: Vec::new(),
        unpaired: (0..records.len()).collect(),
    }
}

/// Aligns two versions of one plan (`a` is the first argument).
pub fn align(a: &PlanRecord, b: &PlanRecord) -> Alignment {
    Alignment::new(a, b)
}

/// Checks one plan's own arithmetic.
pub fn check(rec: &PlanRecord) -> Check {
    Check::new(rec)
}

/// A self-contained HTML page showing both plans side by side with every
/// finding highlighted and linked.
pub fn html(alignment: &Alignment, a: &PlanRecord, b: &PlanRecord) -> String {
    let _ = (a, b);
    format!(
        "<!doctype html><meta charset=utf-8><title>planrec</title><pre>{}</pre>",
        alignment.findings.len()
    )
}
