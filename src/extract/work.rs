//! Work counters of the extraction passes: how many steps each pass took
//! over the document's tables, rows, cells, paragraphs and amounts.
//!
//! Counted, not timed, so a test can tell a pass that grows faster than
//! the document (a scan of all the tables for every table) from a busy
//! machine: doubling a document must about double every pass's count. The
//! counters live in the extraction's [`super::Ctx`] (or are handed to the
//! passes that run on the finished record), never in a global, so
//! concurrent extractions do not mix their figures. They cost one add per
//! step and never reach the record.

use std::cell::Cell;

/// The passes, in the order [`super::extract`] runs them.
/// `reconcile` is the part of `sums` that searches subtotals,
/// restatements and the parts of totals, counted apart: it keeps running
/// sums per scope, year, source and table, so it is held to linear like
/// every other pass.
pub const PASSES: [&str; 8] = [
    "facts",
    "structure",
    "values",
    "glossary",
    "tables",
    "sums",
    "reconcile",
    "institutions",
];

/// Steps per pass of one extraction.
#[derive(Debug, Default)]
pub struct Work {
    steps: [Cell<u64>; PASSES.len()],
    current: Cell<usize>,
}

impl Work {
    /// Counts `n` steps for the pass running now.
    pub fn add(&self, n: usize) {
        if let Some(c) = self.steps.get(self.current.get()) {
            c.set(c.get().saturating_add(n as u64));
        }
    }

    /// From now on steps count for `pass`, one of [`PASSES`].
    pub(crate) fn enter(&self, pass: &str) {
        if let Some(i) = PASSES.iter().position(|p| *p == pass) {
            self.current.set(i);
        }
    }

    /// `(pass, steps)` for every pass, in [`PASSES`] order.
    pub fn counts(&self) -> Vec<(&'static str, u64)> {
        PASSES
            .iter()
            .zip(&self.steps)
            .map(|(name, c)| (*name, c.get()))
            .collect()
    }
}
