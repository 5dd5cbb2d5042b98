//! Extraction: a [`Document`] in, a [`PlanRecord`] (schema `plan-record/1`)
//! out.
//!
//! The passes, in reading order, all reading the same document and writing
//! parts of one record:
//!
//! - [`metadata::facts`]: the document's facts — title, municipality,
//!   reference, date, period (language, script and number convention are
//!   worked out once in [`Ctx`]);
//! - [`structure`]: the plan — layout (grids, captions, label–value
//!   blocks), column roles, hierarchy, then objectives (priorities, goals,
//!   measures), activity rows with their fields, indicator rows with their
//!   baseline/target/actual values;
//! - [`budgets`]: money amounts tied to goals, measures and activities, per
//!   source and year, from budget tables, matrix cells and label–value
//!   blocks ([`labels`] reads the goal and activity labels of their rows);
//! - [`metadata::abbreviations`]: the abbreviation glossary;
//! - [`tables`]: every table cell by cell and every paragraph with its
//!   numbers, then coverage — what the passes above did not place is kept
//!   here and counted, never dropped.
//!
//! Each pass marks the cells and paragraphs it used in [`Placed`]; nothing
//! else is shared between them but the record.

pub mod budgets;
mod ctx;
pub mod institutions;
pub mod labels;
mod memo;
pub mod metadata;
pub mod record;
pub mod structure;
pub mod sums;
pub mod tables;
pub mod work;

pub use ctx::{Ctx, ParagraphRef, Placed, TableRef, number_record};
pub use record::PlanRecord;

use crate::model::Document;
use crate::vocab::Vocab;

/// The document facts alone — title, municipality, reference, date,
/// period, language, script — as [`extract`] records them, without the
/// plan: what a batch needs to choose a document's shard.
pub fn facts(doc: &Document, vocab: &Vocab) -> record::DocumentInfo {
    let ctx = Ctx::new(doc, vocab);
    let mut rec = metadata::empty_record(&ctx);
    metadata::facts(&ctx, &mut rec, &mut Placed::default());
    rec.document
}

/// Extracts the plan record of one document.
pub fn extract(doc: &Document, vocab: &Vocab) -> PlanRecord {
    extract_counted(doc, vocab).0
}

/// [`extract`], with the steps each pass took ([`work::PASSES`]).
pub fn extract_counted(doc: &Document, vocab: &Vocab) -> (PlanRecord, work::Work) {
    let mut ctx = Ctx::new(doc, vocab);
    let mut rec = metadata::empty_record(&ctx);
    let mut placed = Placed::default();
    let w = &ctx.work;
    // Document facts, then the plan (layout, column roles, hierarchy,
    // activities and indicators), then money, then what is left: the
    // glossary and every table and paragraph with the coverage.
    w.enter("facts");
    metadata::facts(&ctx, &mut rec, &mut placed);
    w.enter("structure");
    structure::extract(&ctx, &mut rec, &mut placed);
    w.enter("values");
    budgets::extract(&ctx, &mut rec, &mut placed);
    w.enter("glossary");
    metadata::abbreviations(&ctx, &mut rec, &mut placed);
    w.enter("tables");
    tables::extract(&ctx, &mut rec, &placed);
    // Derived from the finished record: amounts a sum can trust, and
    // institutions with the plan's glossary applied.
    w.enter("sums");
    sums::derive_counted(&mut rec, w);
    w.enter("institutions");
    institutions::expand_counted(&mut rec, ctx.vocab.norm(), w);
    (rec, std::mem::take(&mut ctx.work))
}
