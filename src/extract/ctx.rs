//! What every extraction pass reads and what they mark: [`Ctx`] (the
//! document, its tables and paragraphs in order, its language and number
//! convention, the configuration, and the per-document memos) and
//! [`Placed`] (the cells and paragraphs a pass used, for coverage).

use super::labels;
use super::memo::Memo;
use super::record::{self, NumberRecord};
use super::work;
use crate::model::{Block, Document, Paragraph, Table};
use crate::normalize::lang::Language;
use crate::normalize::numbers::{self, Context, Number};
use crate::vocab::Vocab;
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
    /// The configuration: every lexicon the passes read.
    pub vocab: &'a Vocab,
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
    /// Scale markers ([`numbers::scale_marker`]) by text: budgets ask of
    /// every header and caption, a table as header and as data.
    scales: Memo<Option<u32>>,
    /// Label matches by opening text ([`labels::Seen`]).
    labels: labels::Seen,
    /// The title paragraph, found once for the passes that need it.
    pub(crate) title: OnceCell<Option<usize>>,
    /// Steps of each pass, for the tests that hold every pass linear.
    pub work: work::Work,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document, vocab: &'a Vocab) -> Ctx<'a> {
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
        let guess = vocab.norm().detect(&sample);
        let convention = numbers::infer_convention(texts.iter().copied());
        let cyrillic = guess.script == crate::normalize::script::Script::Cyrillic;
        Ctx {
            doc,
            vocab,
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
            scales: Memo::new(MEMO_CAP),
            labels: labels::Seen::default(),
            title: OnceCell::new(),
            work: work::Work::default(),
        }
    }

    /// [`crate::normalize::fold::key`] of a text, folded once per distinct
    /// text of the document.
    pub fn fold_key(&self, s: &str) -> Rc<str> {
        self.work.add(1);
        self.folded
            .get_or(s, |s| Rc::from(self.vocab.norm().key(s)))
    }

    /// Normalization's tables (the configuration's).
    pub fn norm(&self) -> &'a crate::normalize::Norm {
        self.vocab.norm()
    }

    /// The scale a text states ([`numbers::scale_marker`]: "у хиљадама
    /// динара" is 1 000), read once per distinct text of the document.
    pub fn scale_marker(&self, s: &str) -> Option<u32> {
        // The text's key comes from the document's fold memo: the passes
        // that ask for a scale have mostly folded the same text already.
        self.scales.get_or(s, |s| {
            numbers::scale_marker_in_key(self.vocab.norm(), &self.fold_key(s))
        })
    }

    /// A label reader over the document's label memo.
    pub fn labels(&self) -> labels::Reader<'_> {
        labels::Reader {
            norm: self.vocab.norm(),
            lx: self.vocab.structure(),
            words: self.vocab.labels(),
            seen: &self.labels,
        }
    }

    /// Every quantity in a piece of text ([`numbers::parse_all`] in the
    /// document's number context), parsed once per distinct text.
    pub fn numbers_of(&self, s: &str) -> Rc<Vec<Number>> {
        self.work.add(1);
        self.parsed.get_or(s, |s| {
            Rc::new(numbers::parse_all(self.vocab.norm(), s, &self.numbers))
        })
    }

    /// Every quantity in a piece of text, as record numbers.
    pub fn numbers_in(&self, s: &str) -> Vec<NumberRecord> {
        self.numbers_of(s).iter().map(number_record).collect()
    }

    /// The value of a whole cell (see [`numbers::parse_cell`]), parsed once
    /// per distinct text.
    pub fn cell_number(&self, s: &str) -> Option<Number> {
        self.work.add(1);
        self.cell_values.get_or(s, |s| {
            numbers::parse_cell(self.vocab.norm(), s, &self.numbers)
        })
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
