//! The document model: the contract between reading and everything after it.
//!
//! In: nothing (plain data). Out: [`Document`], filled by `read::txt` and
//! `read::docx` alike and consumed by `extract`. A document is an ordered list
//! of [`Block`]s (paragraphs and tables), plus source metadata, reader
//! diagnostics and counters. Every block, row and cell carries a
//! [`Provenance`] so that any value found later can be traced back to a line
//! (text input) or a table/row/cell (DOCX).
//!
//! The reader keeps rows as the document has them: a row split by a page
//! break stays two rows, a row that lost its leading empty cells stays as
//! written. Repairing rows is the extraction's job.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One read document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub source: Source,
    /// The body, in document order.
    pub blocks: Vec<Block>,
    /// Page headers (DOCX), kept apart from the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Block>,
    /// Page footers (DOCX), kept apart from the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footers: Vec<Block>,
    /// Footnotes and endnotes, linked from the body by [`Mark::Note`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// What the reader noticed: replaced bytes, skipped parts, limits hit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// Named counters (e.g. `replaced_bytes`, `tracked_insertions`,
    /// `hidden_runs`). A map keeps the model open to new readers while
    /// staying deterministic in JSON.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
}

impl Document {
    /// A document with nothing read yet: its source's facts only.
    pub fn new(source: Source) -> Document {
        Document {
            source,
            blocks: Vec::new(),
            headers: Vec::new(),
            footers: Vec::new(),
            notes: Vec::new(),
            diagnostics: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    /// Adds `n` to the named counter.
    pub fn count(&mut self, name: &str, n: u64) {
        if n > 0 {
            *self.counts.entry(name.to_string()).or_insert(0) += n;
        }
    }

    /// Iterates over every table of the body in document order, nested
    /// tables after their parent (depth first).
    pub fn tables(&self) -> Vec<&Table> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Table>) {
            for b in blocks {
                if let Block::Table(t) = b {
                    out.push(t);
                    for row in &t.rows {
                        for cell in &row.cells {
                            walk(&cell.blocks, out);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }
}

/// Where the bytes came from and how they were decoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The path as given to the reader.
    pub path: String,
    pub format: Format,
    /// Encoding label (`UTF-8`, `UTF-16LE`, `windows-1250`, …) for text input;
    /// `UTF-8` for DOCX parts.
    pub encoding: String,
    /// Confidence of the encoding choice, 0.0–1.0 (1.0 when a BOM or the
    /// container says so).
    pub encoding_confidence: f64,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
}

// The file format of a document, in lowercase in the JSON. Inlined in the
// record's schema, where the field keeps its own description (plain
// comments on the variants, so the schema lists the names as an `enum`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum Format {
    Txt,
    Docx,
    // Word 97-2003 binary (`.doc`, `.dot`).
    Doc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Docx => "docx",
            Format::Doc => "doc",
        }
    }
}

/// A body-level (or cell-level nested) block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

impl Block {
    pub fn provenance(&self) -> &Provenance {
        match self {
            Block::Paragraph(p) => &p.provenance,
            Block::Table(t) => &t.provenance,
        }
    }
}

/// A paragraph, heading or list item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The text with markup removed; line breaks inside the paragraph
    /// (`<br>`, `w:br`) are `\n`.
    pub text: String,
    /// Heading level 1–9 when the source says this is a heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<u8>,
    /// Set when the paragraph is a list item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<ListItem>,
    /// Style name (DOCX) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// Where the paragraph lives when it is not ordinary flow text
    /// (`textbox`, `footnote`, `endnote`, `header`, `footer`; `toc` for the
    /// entries of a table of contents, which repeat the headings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Inline formatting kept as structure: character ranges over `text`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Mark>,
    pub provenance: Provenance,
}

impl Paragraph {
    /// The number a numbered list puts before the text, when it is one a
    /// reader would take as part of it: a code ("1.1.1.") or a label with
    /// its number ("Mjera 1.1:"), not a bullet. A text export writes it
    /// inline; a Word document keeps it in the numbering, so the passes
    /// read `number + text` to see both alike.
    pub fn shown_number(&self) -> Option<&str> {
        let l = self.list.as_ref()?;
        let m = l.marker.as_deref()?.trim();
        (l.ordered
            && m.chars().any(|c| c.is_ascii_digit())
            && !self.text.trim_start().starts_with(m))
        .then_some(m)
    }

    /// The text as a reader sees it: [`Paragraph::shown_number`] and the
    /// text.
    pub fn shown_text(&self) -> std::borrow::Cow<'_, str> {
        match self.shown_number() {
            Some(m) => std::borrow::Cow::Owned(format!("{m} {}", self.text)),
            None => std::borrow::Cow::Borrowed(&self.text),
        }
    }
}

/// List membership of a paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    /// 0-based nesting level.
    pub level: u8,
    /// The marker as the source shows it (`·`, `-`, `1.`, `a)`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    pub ordered: bool,
}

/// Inline formatting over a character range `[start, end)` of a paragraph's
/// text (offsets in Unicode scalar values, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mark {
    Bold {
        start: usize,
        end: usize,
    },
    Italic {
        start: usize,
        end: usize,
    },
    Underline {
        start: usize,
        end: usize,
    },
    Superscript {
        start: usize,
        end: usize,
    },
    Subscript {
        start: usize,
        end: usize,
    },
    /// A hyperlink over the range.
    Link {
        start: usize,
        end: usize,
        target: String,
    },
    /// A footnote/endnote reference at `at`, pointing to [`Note::id`].
    Note {
        at: usize,
        id: String,
    },
}

impl Mark {
    /// Where the mark begins: its range's start, or a note reference's place.
    pub fn start(&self) -> usize {
        match self {
            Mark::Bold { start, .. }
            | Mark::Italic { start, .. }
            | Mark::Underline { start, .. }
            | Mark::Superscript { start, .. }
            | Mark::Subscript { start, .. }
            | Mark::Link { start, .. } => *start,
            Mark::Note { at, .. } => *at,
        }
    }

    /// The mark moved `by` characters on (its paragraph was joined to text
    /// before it).
    pub fn shift(&mut self, by: usize) {
        match self {
            Mark::Bold { start, end }
            | Mark::Italic { start, end }
            | Mark::Underline { start, end }
            | Mark::Superscript { start, end }
            | Mark::Subscript { start, end }
            | Mark::Link { start, end, .. } => {
                *start += by;
                *end += by;
            }
            Mark::Note { at, .. } => *at += by,
        }
    }
}

/// A table: rows as the document has them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Row>,
    pub provenance: Provenance,
}

impl Table {
    /// Number of grid columns: the largest `col + col_span` of any cell.
    pub fn width(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .map(|c| c.col + c.col_span.max(1))
            .max()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// True when the source marks the row as a repeated table header.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    pub provenance: Provenance,
}

/// One cell. A grid position covered by another cell's span has no cell of
/// its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The cell's paragraphs and list items joined with `\n`.
    pub text: String,
    /// 0-based grid column.
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    /// The cell's paragraphs and list items, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<Paragraph>,
    /// Nested tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
    pub provenance: Provenance,
}

impl Cell {
    /// A cell from its paragraphs; `text` is derived from them.
    pub fn new(col: usize, paragraphs: Vec<Paragraph>, provenance: Provenance) -> Cell {
        let text = paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Cell {
            text,
            col,
            row_span: 1,
            col_span: 1,
            paragraphs,
            blocks: Vec::new(),
            provenance,
        }
    }
}

/// A footnote or endnote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    /// `footnote` or `endnote`.
    pub kind: NoteKind,
    pub blocks: Vec<Block>,
}

/// Which notes a [`Note`] is among, in lowercase in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Footnote,
    Endnote,
}

impl NoteKind {
    /// The name as the JSON writes it (also the prefix of a note's id).
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Footnote => "footnote",
            NoteKind::Endnote => "endnote",
        }
    }
}

impl std::fmt::Display for NoteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where something came from. Text input fills `line`; DOCX fills `part`,
/// `block` and, inside tables, `table`/`row`/`cell` (and `path` for nested
/// tables). Text tables fill `table`/`row`/`cell` too.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct Provenance {
    /// 1-based inclusive line range in the decoded text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<[u32; 2]>,
    /// The OOXML part, when not `word/document.xml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// 0-based index of the top-level block in its part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<usize>,
    /// 0-based index of the table among the document's top-level tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<usize>,
    /// 0-based row index within the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// 0-based index of the cell within its row (not the grid column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    /// For nested tables: the chain of `[table, row, cell]` steps from the
    /// top-level table down to the one this provenance is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<[usize; 3]>,
    /// Character position where the paragraph starts in its story, for a
    /// Word 97–2003 file (the piece table's CP): the place in the file the
    /// user holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_pos: Option<u32>,
}

impl Provenance {
    pub fn lines(from: u32, to: u32) -> Provenance {
        Provenance {
            line: Some([from, to]),
            ..Provenance::default()
        }
    }
}

/// Severity of a diagnostic.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Something a stage noticed and wants a person to know, with a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub level: Level,
    /// Stable machine-readable code, e.g. `replaced_bytes`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Diagnostic {
    pub fn new(level: Level, code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level,
            code: code.to_string(),
            message: message.into(),
            provenance: None,
        }
    }

    pub fn at(mut self, provenance: Provenance) -> Diagnostic {
        self.provenance = Some(provenance);
        self
    }
}
