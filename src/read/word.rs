//! What the two Word readers (DOCX and DOC) share once they have the same
//! content: a field's kind from its instruction, and a table cell's blocks
//! split into its paragraphs and nested tables.

use crate::model::{Block, Cell, Paragraph};

/// The kind of a field, from its instruction's first word: a hyperlink's
/// result keeps its target, a table of contents' result is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Other,
    Hyperlink,
    Toc,
}

pub(crate) fn field_kind(instr: &str) -> FieldKind {
    let word = instr.split_whitespace().next().unwrap_or("");
    if word.eq_ignore_ascii_case("HYPERLINK") {
        FieldKind::Hyperlink
    } else if word.eq_ignore_ascii_case("TOC") {
        FieldKind::Toc
    } else {
        FieldKind::Other
    }
}

/// A cell's blocks as its paragraphs and its nested tables.
pub(crate) fn split_blocks(blocks: Vec<Block>) -> (Vec<Paragraph>, Vec<Block>) {
    let mut ps = Vec::new();
    let mut ts = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(p) => ps.push(p),
            t @ Block::Table(_) => ts.push(t),
        }
    }
    (ps, ts)
}

/// Adds paragraphs and nested tables to a cell; its text is its paragraphs'
/// texts, a line each.
pub(crate) fn append_paragraphs(cell: &mut Cell, paragraphs: Vec<Paragraph>, nested: Vec<Block>) {
    cell.paragraphs.extend(paragraphs);
    cell.blocks.extend(nested);
    cell.text = cell
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
}
