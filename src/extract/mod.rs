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
//! - [`values`]: money amounts tied to goals, measures and activities, per
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
pub mod institutions;
pub mod labels;
mod memo;
pub mod metadata;
pub mod record;
pub mod structure;
pub mod sums;
pub mod tables;
pub mod work;

pub use record::PlanRecord;

use crate::model::{Block, Document, Paragraph, Table};
use crate::normalize::lang::{self, Language};
use crate::normalize::numbers::{self, Context, Number};
use memo::Memo;
use record::NumberRecord;
use std::cell::OnceCell;
use std::collections::HashSet;
use std::rc::Rc;

/// One table of the document with its place: index in document order
/// (nested tables after their parent) and the top-level block it sits in.
pub struct TableRef<'a> {
    pub index: usize,
    pub block: usize,
    pub table: &'a Table,
    /// Nesting depth (0 for a body table).
    pub depth: usize,
}

/// One body paragraph (outside tables) with its place.
pub struct ParagraphRef<'a> {
    /// Index among the body paragraphs.
    pub index: usize,
    pub block: usize,
    pub paragraph: &'a Paragraph,
}

/// The most texts each per-document memo keeps: far above a plan's distinct
/// cells, so only a pathological document ever starts a memo over.
const MEMO_CAP: usize = 1 << 18;

/// What every pass may read: the document, its tables and paragraphs in
/// order, and the number-parsing context of the whole document.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub tables: Vec<TableRef<'a>>,
    pub paragraphs: Vec<ParagraphRef<'a>>,
    pub numbers: Context,
    pub language: Language,
    pub language_confidence: f64,
    pub cyrillic: bool,
    /// Numbers of every text parsed so far, by text: the passes read the
    /// same cells and paragraphs (structure, budgets, metadata, the cell
    /// dump), and parsing is the costly part of looking at a cell.
    parsed: Memo<Rc<Vec<Number>>>,
    /// Whole-cell values ([`numbers::parse_cell`]) by text, likewise.
    cell_values: Memo<Option<Number>>,
    /// Folding keys by text: header tests, the municipality search and the
    /// title search fold the same cells and paragraphs.
    folded: Memo<Rc<str>>,
    /// The title paragraph, found once for the passes that need it.
    pub(crate) title: OnceCell<Option<usize>>,
    /// Steps of each pass, for the tests that hold every pass linear.
    pub work: work::Work,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document) -> Ctx<'a> {
        let mut tables = Vec::new();
        let mut paragraphs = Vec::new();
        fn walk<'a>(blocks: &'a [Block], block: usize, depth: usize, out: &mut Vec<TableRef<'a>>) {
            for b in blocks {
                if let Block::Table(t) = b {
                    out.push(TableRef {
                        index: out.len(),
                        block,
                        table: t,
                        depth,
                    });
                    for row in &t.rows {
                        for cell in &row.cells {
                            walk(&cell.blocks, block, depth + 1, out);
                        }
                    }
                }
            }
        }
        for (bi, b) in doc.blocks.iter().enumerate() {
            match b {
                Block::Table(_) => walk(std::slice::from_ref(b), bi, 0, &mut tables),
                Block::Paragraph(p) => {
                    if !p.text.trim().is_empty() {
                        paragraphs.push(ParagraphRef {
                            index: paragraphs.len(),
                            block: bi,
                            paragraph: p,
                        });
                    }
                }
            }
        }
        // Language and decimal convention from the whole text: a sample of
        // every paragraph and cell, bounded so a huge document stays cheap.
        let mut sample = String::new();
        let mut texts: Vec<&str> = Vec::new();
        for p in &paragraphs {
            texts.push(&p.paragraph.text);
        }
        for t in &tables {
            for row in &t.table.rows {
                for cell in &row.cells {
                    texts.push(&cell.text);
                }
            }
        }
        for t in &texts {
            if sample.len() > 200_000 {
                break;
            }
            sample.push_str(t);
            sample.push('\n');
        }
        let guess = lang::detect(&sample);
        let convention = numbers::infer_convention(texts.iter().copied());
        let cyrillic = guess.script == crate::normalize::script::Script::Cyrillic;
        Ctx {
            doc,
            tables,
            paragraphs,
            numbers: Context {
                convention,
                language: Some(guess.language),
            },
            language: guess.language,
            language_confidence: guess.confidence,
            cyrillic,
            parsed: Memo::new(MEMO_CAP),
            cell_values: Memo::new(MEMO_CAP),
            folded: Memo::new(MEMO_CAP),
            title: OnceCell::new(),
            work: work::Work::default(),
        }
    }

    /// [`crate::normalize::fold::key`] of a text, folded once per distinct
    /// text of the document.
    pub fn fold_key(&self, s: &str) -> Rc<str> {
        self.work.add(1);
        self.folded
            .get_or(s, |s| Rc::from(crate::normalize::fold::key(s)))
    }

    /// Every quantity in a piece of text ([`numbers::parse_all`] in the
    /// document's number context), parsed once per distinct text.
    pub fn numbers_of(&self, s: &str) -> Rc<Vec<Number>> {
        self.work.add(1);
        self.parsed
            .get_or(s, |s| Rc::new(numbers::parse_all(s, &self.numbers)))
    }

    /// Every quantity in a piece of text, as record numbers.
    pub fn numbers_in(&self, s: &str) -> Vec<NumberRecord> {
        self.numbers_of(s).iter().map(number_record).collect()
    }

    /// The value of a whole cell (see [`numbers::parse_cell`]), parsed once
    /// per distinct text.
    pub fn cell_number(&self, s: &str) -> Option<Number> {
        self.work.add(1);
        self.cell_values
            .get_or(s, |s| numbers::parse_cell(s, &self.numbers))
    }
}

/// A parsed number as the record writes it.
pub fn number_record(n: &Number) -> NumberRecord {
    NumberRecord {
        raw: n.raw.clone(),
        value: n.value,
        kind: n.kind,
        to: n.to,
        unit: n.unit.clone(),
        currency: n.currency.clone(),
        year: n.year,
        noun: n.noun.clone(),
        ambiguous: n.ambiguous,
        alt: n.alt,
        start: n.start,
    }
}

/// Cells and paragraphs a pass has placed in the plan structure (or
/// recognized as headers, captions, metadata), for coverage.
#[derive(Debug, Default)]
pub struct Placed {
    /// `(table index, row index, cell index)`.
    pub cells: HashSet<(usize, usize, usize)>,
    /// Body paragraph indices.
    pub paragraphs: HashSet<usize>,
    /// What a table was recognized as (`matrix`, `indicators`, `budget`,
    /// `glossary`), by table index.
    pub roles: std::collections::HashMap<usize, record::TableRole>,
}

impl Placed {
    pub fn cell(&mut self, table: usize, row: usize, cell: usize) {
        self.cells.insert((table, row, cell));
    }

    pub fn paragraph(&mut self, index: usize) {
        self.paragraphs.insert(index);
    }

    pub fn role(&mut self, table: usize, role: record::TableRole) {
        self.roles.insert(table, role);
    }

    pub fn has_cell(&self, table: usize, row: usize, cell: usize) -> bool {
        self.cells.contains(&(table, row, cell))
    }
}

/// The document facts alone — title, municipality, reference, date,
/// period, language, script — as [`extract`] records them, without the
/// plan: what a batch needs to choose a document's shard.
pub fn facts(doc: &Document) -> record::DocumentInfo {
    let ctx = Ctx::new(doc);
    let mut rec = metadata::empty_record(&ctx);
    metadata::facts(&ctx, &mut rec, &mut Placed::default());
    rec.document
}

/// Extracts the plan record of one document.
pub fn extract(doc: &Document) -> PlanRecord {
    extract_counted(doc).0
}

/// [`extract`], with the steps each pass took ([`work::PASSES`]).
pub fn extract_counted(doc: &Document) -> (PlanRecord, work::Work) {
    let mut ctx = Ctx::new(doc);
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
    institutions::expand_counted(&mut rec, w);
    (rec, std::mem::take(&mut ctx.work))
}
