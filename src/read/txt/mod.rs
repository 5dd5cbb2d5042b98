//! TXT reader: text exported from Word → [`Document`].
//!
//! In: the file's bytes and its path. Out: a [`Document`] whose blocks are
//! paragraphs (one per non-blank line, as Word exports one paragraph per
//! line) and tables, each with 1-based line provenance; table rows and cells
//! also carry `table` (ordinal among the document's tables), `row`, `cell`.
//!
//! Steps: [`decode`] chooses the encoding; the text is split into lines
//! (CRLF, CR and LF alike); [`layout`] finds the tables; [`markup`] turns
//! HTML and markdown into structure. Nothing is dropped silently: removed
//! markup is counted in `counts` (`markup_*`), undecodable bytes are replaced,
//! counted (`replaced_bytes`) and reported with their first line.
//!
//! Decisions on ambiguous layouts, and why:
//!
//! * TAB rows are kept as written: one TAB line is one row, a row that lost
//!   its leading empty cells or was split by a page break stays as it is
//!   (repair is the extraction's job, which sees DOCX alike).
//! * Blank lines never end a TAB table (page breaks leave them). A non-blank
//!   line without TAB always does: in the seeds such a line is sometimes a
//!   merged section row inside one table (Ljubovija 1203, 1210, 1222, 1230)
//!   and sometimes a heading or caption between two tables of the same width
//!   (Ljubovija 795, 941, 1105, 1411); the text cannot tell them apart, and
//!   a paragraph is the reading that never glues two tables together.
//! * Markdown separator rows (`---\t---`, `|---|---|`) and rules (`---`)
//!   are markup: dropped, counted, and they neither start nor end a table
//!   (they appear after header rows, at table ends and mid-table).
//! * One cell per line (Irig): a TAB-led line opens a cell, following lines
//!   continue it; rows are rebuilt from the width the header shows, a lone
//!   cell between blank lines (`Посебни циљ 1: …`) spans the width.
//! * `<br>` is a line break inside its paragraph (`\n`), `<p>` starts a new
//!   paragraph, a `<ul>` without `<li>` (as exported: `<ul …> ✓ a ✓ b`) is
//!   split into items at its bullet glyph. Numbered lines (`1. Увод`) stay
//!   text, not ordered list items: they are as often headings, and the number
//!   belongs to the text the extraction reads.

pub mod decode;
pub mod layout;
pub mod markup;

use crate::model::{
    Block, Cell, Diagnostic, Document, Format, Level, Paragraph, Provenance, Row, Source, Table,
};
use markup::{Para, Stats};
use std::path::Path;

/// Reads text bytes into a document. Never fails and never panics:
/// undecodable bytes are replaced and counted.
pub fn read(path: &Path, bytes: &[u8]) -> Document {
    let decoded = decode::decode(bytes);
    let mut doc = Document::new(Source {
        path: path.display().to_string(),
        format: Format::Txt,
        encoding: decoded.encoding.to_string(),
        encoding_confidence: decoded.confidence,
        sha256: super::sha256_hex(bytes),
        bytes: bytes.len() as u64,
    });
    if decoded.replaced > 0 {
        let line = decoded.first_replaced_line.unwrap_or(1);
        doc.count("replaced_bytes", decoded.replaced);
        doc.diagnostics.push(
            Diagnostic::new(
                Level::Warning,
                "replaced_bytes",
                format!(
                    "{} byte(s) could not be decoded as {} and were replaced with U+FFFD; the first on line {line}",
                    decoded.replaced, decoded.encoding
                ),
            )
            .at(Provenance::lines(line, line)),
        );
    }
    if decoded.confidence < 0.8 {
        doc.diagnostics.push(Diagnostic::new(
            Level::Info,
            "encoding_guess",
            format!(
                "encoding guessed as {} with confidence {:.2}",
                decoded.encoding, decoded.confidence
            ),
        ));
    }
    let lines = split_lines(&decoded.text);
    let mut stats = Stats::default();
    let built = layout::build(&lines, &mut stats);
    doc.blocks = built.blocks;
    doc.diagnostics.extend(built.diagnostics);
    let counts = [
        ("lines", lines.len() as u64),
        ("markup_separator_rows", built.separator_rows),
        ("markup_rules", stats.rules),
        ("markup_tags", stats.tags),
        ("markup_entities", stats.entities),
        ("markup_emphasis", stats.emphasis),
        ("markup_escapes", stats.escapes),
        ("markup_bookmarks", stats.bookmarks),
        ("markup_headings", stats.headings),
        ("cell_per_line_tables", built.cell_per_line_tables),
    ];
    for (name, n) in counts {
        doc.count(name, n);
    }
    let (mut paragraphs, mut tables, mut rows, mut cells) = (0u64, 0u64, 0u64, 0u64);
    for b in &doc.blocks {
        match b {
            Block::Paragraph(_) => paragraphs += 1,
            Block::Table(t) => {
                tables += 1;
                rows += t.rows.len() as u64;
                cells += t.rows.iter().map(|r| r.cells.len() as u64).sum::<u64>();
            }
        }
    }
    doc.count("paragraphs", paragraphs);
    doc.count("tables", tables);
    doc.count("table_rows", rows);
    doc.count("table_cells", cells);
    doc
}

/// Splits on CRLF, CR or LF; line `i` of the result is line `i + 1` of the
/// document. A final line break does not make an extra empty line.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

/// A model paragraph from a parsed one.
pub(crate) fn paragraph(p: Para, provenance: Provenance) -> Paragraph {
    Paragraph {
        text: p.text,
        heading: p.heading,
        list: p.list,
        marks: p.marks,
        provenance,
        ..Paragraph::default()
    }
}

/// A cell from parsed paragraphs.
pub(crate) fn cell(col: usize, paras: Vec<Paragraph>, provenance: Provenance) -> Cell {
    Cell::new(col, paras, provenance)
}

/// Provenance of a table part.
pub(crate) fn table_prov(
    from: u32,
    to: u32,
    table: usize,
    row: Option<usize>,
    cell: Option<usize>,
) -> Provenance {
    Provenance {
        line: Some([from, to]),
        table: Some(table),
        row,
        cell,
        ..Provenance::default()
    }
}

pub(crate) fn new_table(rows: Vec<Row>, from: u32, to: u32, index: usize) -> Table {
    Table {
        rows,
        provenance: table_prov(from, to, index, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_splitting() {
        assert_eq!(split_lines("a\r\nb\rc\nd\n"), vec!["a", "b", "c", "d"]);
        assert_eq!(split_lines("a\n\n"), vec!["a", ""]);
        assert!(split_lines("").is_empty());
    }
}
