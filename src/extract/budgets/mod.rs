//! Money: every amount the plan ties to a goal, measure or activity.
//!
//! In: the context (tables and paragraphs in document order) and the record
//! as the structure pass left it (objectives and activities, for parent
//! codes and links). Out: the record's `budgets`, one entry per amount, per
//! source and per year, wherever the document states it (a figure repeated
//! in a summary table and in a measure's own table is two entries), plus
//! diagnostics; the cells and paragraphs used are marked placed, their
//! tables `budget`.
//!
//! Three shapes are read:
//! - budget tables: a header with year columns ("2026."), funding-source
//!   columns ("Буџетска средства Општине") or total columns ("УКУПНО"), and
//!   rows labelled with a goal, measure or activity ("Мера 1.1",
//!   "1.1.1 Запошљавање…"), a funding source, or a year. Several such
//!   sub-tables may sit in one document table, each opened by its own header
//!   rows. A header may take two rows: a money cell spanning columns (a
//!   merged "Iznos (din.)", or in a text export the label with empty cells
//!   beside it) makes the columns under it amounts, each by the year, source
//!   or total its lower header names; in a header whose other columns are
//!   sources, a column the lexicon does not know ("MFPT") is one more source
//!   when every cell below it is an amount. Rows without a label belong to
//!   the labelled row above, or to the goal or measure announced just before
//!   the table ("МЕРА 2.1:");
//! - amounts in other tables: under a money column ("Буџет", "BUXHETI",
//!   "Procenjeni troškovi (000 RSD)", with the row's funding-source cell as
//!   source) or naming a currency ("4.000.000,00 динара"), paired in order
//!   with a bulleted list of activities in the same row when there is one (a
//!   diagnostic says when the counts differ). These count only when tied to
//!   a plan element, or when they are a total row under a money column; the
//!   others are reported once per table;
//! - label–value blocks: a "Budget-label: amount" paragraph ("Budžet: 4,8
//!   miliona dinara", "Buxheti: 60 mijë €") under an activity label paragraph
//!   ("Aktivnost 3.1.1: …") is that activity's amount, with the paragraph as
//!   provenance.
//!
//! A row names its element by the most specific code among its label cells:
//! a "Br." cell "1.1.1" beside a merged goal cell, a repeated measure column,
//! or a number Word's list numbering gives the cell. Total rows and columns
//! are marked `is_total`. An amount followed by a rate word ("100 € po
//! detetu") is a price, not a budget.
//!
//! Tables of past spending (years outside the plan's period) and indicator
//! tables are never budgets. `value` is the number as written and `scale`
//! the unit: from the column's header, else the table's caption, else the
//! nearest statement before the table ("iskazani u hiljadama dinara"), times
//! a number word written with the amount ("4,8 miliona" is 4.8 × 1 000 000),
//! so value × scale is the amount. A table without any marker takes the unit
//! of the marked table that repeats its figures, else of the nearest marked
//! table above. When two tables state the same figures in different units,
//! the narrative decides ("66,67 милиона динара" confirms thousands) and a
//! diagnostic reports it. `activity_id` links an amount to its activity
//! record (the only link for activities without a code); `source_kind`
//! classifies the source across languages. Words come from
//! `mappings/money_markers.tsv` and `mappings/funding_sources.tsv`; labels
//! are read as the structure pass reads them ([`super::labels`]).

mod headers;
mod lexicon;
mod resolve;
mod rows;
mod walker;

use super::labels::{self, Label, LabelKind};
use super::record::{Budget, ObjectiveKind, Period};
use super::structure::lexicon::{Lexicon as StructureLexicon, Role as HeaderRole};
use super::{Ctx, Placed, PlanRecord};
use crate::config::Lexicons;
use crate::model::{Cell, Diagnostic, Level, Provenance, Row};
use crate::normalize::fast_hash::FastMap;
use crate::normalize::numbers::{Kind, Number};
use crate::normalize::{collapse_whitespace, fold};
use headers::*;
use lexicon::*;
use rows::*;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;
use walker::*;

/// Reads every amount of the document into `rec.budgets`, with its
/// diagnostics (see the module doc).
pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    // The plan's period as the document facts found it (read first, see
    // `extract::extract_counted`).
    let period = rec.document.period;
    let mut act_parents: HashMap<&str, Vec<&Option<String>>> = HashMap::new();
    for a in &rec.activities {
        if let Some(c) = a.code.as_deref() {
            act_parents.entry(c).or_default().push(&a.parent);
        }
    }
    let objective_codes: HashSet<&str> = rec
        .objectives
        .iter()
        .filter_map(|o| o.code.as_deref())
        .collect();
    let mut w = Walker {
        ctx,
        memo: Memo::new(ctx),
        act_parents,
        objective_codes,
        period,
        entries: Vec::new(),
        subs: Vec::new(),
        diagnostics: Vec::new(),
        context: None,
        open: None,
        block: None,
        block_source: None,
        block_entries: Vec::new(),
        unit_reported: BTreeSet::new(),
    };
    // Paragraphs and tables in document order.
    let mut events: Vec<(usize, usize, usize)> = Vec::new();
    for p in &ctx.paragraphs {
        events.push((p.block, 0, p.index));
    }
    for t in &ctx.tables {
        events.push((t.block, 1, t.index));
    }
    events.sort_unstable();
    for (_, kind, i) in events {
        if kind == 0 {
            w.paragraph(i, placed);
        } else {
            w.table(i, placed);
        }
    }
    w.resolve_parents();
    w.resolve_scales();
    w.check_totals();
    // The document's currency, read only when an amount names none.
    let doc_currency = if w.entries.iter().any(|e| e.currency.is_none()) {
        document_currency(&w.memo)
    } else {
        None
    };
    let Walker {
        entries,
        subs,
        mut diagnostics,
        ..
    } = w;
    rec.budgets = budget_records(
        ctx,
        rec,
        entries,
        &subs,
        doc_currency,
        placed,
        &mut diagnostics,
    );
    rec.diagnostics.extend(diagnostics);
}

/// The record's budgets from the settled entries, each linked to its
/// activity; an amount outside a budget table that names no plan element
/// is left to the table (one diagnostic per table).
fn budget_records(
    ctx: &Ctx,
    rec: &PlanRecord,
    entries: Vec<Entry>,
    subs: &[Sub],
    doc_currency: Option<String>,
    placed: &mut Placed,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Budget> {
    // Amounts under a money column that name no plan element, by table.
    let mut unplaced: BTreeMap<usize, (usize, Provenance)> = BTreeMap::new();
    let w_memo = Memo::new(ctx);
    let mut out = Vec::with_capacity(entries.len());
    let mut linker = Linker::new(rec);
    for e in entries {
        let sub = &subs[e.sub];
        let activity_id = linker.link(&e);
        if let Some((ti, ri, ci)) = e.loose {
            // An amount outside a budget table counts only when it belongs
            // to a plan element: a code, or an activity the structure knows.
            // Otherwise it stays in `tables`, not placed.
            if e.parent.is_none() && e.activity.is_none() && activity_id.is_none() && !e.total {
                if e.money_col {
                    unplaced.entry(ti).or_insert((0, e.provenance.clone())).0 += 1;
                }
                continue;
            }
            placed.cell(ti, ri, ci);
            if !placed.roles.contains_key(&ti) {
                placed.role(ti, crate::extract::record::TableRole::Budget);
            }
        }
        let (value, scale) = written_scale(&w_memo, &e.number, sub.scale);
        out.push(Budget {
            id: format!("b{}", out.len() + 1),
            parent: e.parent,
            activity: e.activity,
            activity_id,
            label: e.text,
            source_kind: e.source.as_deref().and_then(source_kind),
            source: e.source,
            year: e.year,
            raw: number_token(&e.number.raw),
            value,
            scale,
            currency: e.currency.or_else(|| doc_currency.clone()),
            is_total: e.total || e.total_role,
            provenance: e.provenance,
            // Filled from the whole record by `extract::sums`.
            amount: None,
            year_from: None,
            table_role: None,
            is_subtotal: false,
            parts: Vec::new(),
            restates: None,
            counted: false,
        });
    }
    for (ti, (n, at)) in unplaced {
        diagnostics.push(
            Diagnostic::new(
                Level::Info,
                "budget_unplaced",
                format!(
                    "{n} amount(s) under a money column of table t{} name no goal, measure or activity; kept in the table only",
                    ti + 1
                ),
            )
            .at(at),
        );
    }
    out
}

/// Links amounts to the activity records of the structure pass: by code
/// (under the same parent when the code repeats), by the words of a listed
/// activity, or by the table row both come from.
struct Linker {
    activities: Vec<ActivityRef>,
    /// Activities (indices, in record order) by code, by words, and by the
    /// table row they come from: every amount is linked, so the record's
    /// activities are indexed once rather than scanned per amount.
    by_code: HashMap<String, Vec<usize>>,
    by_words: HashMap<String, Vec<usize>>,
    by_row: HashMap<(usize, usize), Vec<usize>>,
    /// Activities already given to an amount by their words, so that two
    /// list items with the same words go to two activities.
    used: BTreeSet<usize>,
}

/// What the linker needs of an activity record.
struct ActivityRef {
    id: String,
    parent: Option<String>,
}

impl Linker {
    fn new(rec: &PlanRecord) -> Linker {
        let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_words: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_row: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, a) in rec.activities.iter().enumerate() {
            if let Some(c) = &a.code {
                by_code.entry(c.clone()).or_default().push(i);
            }
            by_words
                .entry(collapse_whitespace(&a.text.original))
                .or_default()
                .push(i);
            if let (Some(t), Some(r)) = (a.provenance.table, a.provenance.row) {
                by_row.entry((t, r)).or_default().push(i);
            }
        }
        Linker {
            activities: rec
                .activities
                .iter()
                .map(|a| ActivityRef {
                    id: a.id.clone(),
                    parent: a.parent.clone(),
                })
                .collect(),
            by_code,
            by_words,
            by_row,
            used: BTreeSet::new(),
        }
    }

    fn link(&mut self, e: &Entry) -> Option<String> {
        let acts = &self.activities;
        if let Some(code) = &e.activity {
            let same = self.by_code.get(code)?;
            let best = same
                .iter()
                .find(|&&i| acts[i].parent == e.parent)
                .or(same.first())?;
            return Some(acts[*best].id.clone());
        }
        if let Some(words) = &e.text {
            let words = collapse_whitespace(words);
            if let Some(i) = self.by_words.get(&words).and_then(|v| {
                v.iter()
                    .copied()
                    .find(|&i| !self.used.contains(&i) && acts[i].parent == e.parent)
            }) {
                self.used.insert(i);
                return Some(acts[i].id.clone());
            }
        }
        let (table, row) = (e.provenance.table?, e.provenance.row?);
        let on_row: &[usize] = self.by_row.get(&(table, row)).map_or(&[], Vec::as_slice);
        // Only an unambiguous row: one activity on it.
        match on_row {
            [a] if e.text.is_some() || e.own.is_none() => Some(acts[*a].id.clone()),
            _ => None,
        }
    }
}

/// The currency most amounts of the document name, if one does.
fn document_currency(memo: &Memo) -> Option<String> {
    let ctx = memo.ctx;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |s: &str| {
        for n in memo.all(s).iter() {
            if let Some(c) = &n.currency {
                *counts.entry(c.clone()).or_insert(0) += 1;
            }
        }
    };
    for p in &ctx.paragraphs {
        add(&p.paragraph.text);
    }
    for t in &ctx.tables {
        for row in &t.table.rows {
            for c in &row.cells {
                add(&c.text);
            }
        }
    }
    let best = counts.values().copied().max()?;
    let mut top = counts.iter().filter(|(_, n)| **n == best);
    let first = top.next()?;
    // A tie names no currency.
    top.next().is_none().then(|| first.0.clone())
}

#[cfg(test)]
mod tests;
