//! What the two Word readers (DOCX and DOC) share once they have the same
//! content: a field's kind from its instruction, a table cell's blocks
//! split into its paragraphs and nested tables, and a paragraph's formatting
//! spans turned into marks.

use crate::model::{Block, Cell, Mark, Paragraph};

/// Formatting flags of a run of text, as both readers record them.
pub(crate) const BOLD: u8 = 1;
pub(crate) const ITALIC: u8 = 2;
pub(crate) const UNDERLINE: u8 = 4;
pub(crate) const SUPER: u8 = 8;
pub(crate) const SUB: u8 = 16;

/// A paragraph's formatting spans (`[start, end)` in characters, with their
/// flags, in text order) merged into one mark per contiguous range and
/// kind, followed by `others` (links, note references), all in order of
/// their start.
pub(crate) fn span_marks(spans: &[(usize, usize, u8)], others: &mut Vec<Mark>) -> Vec<Mark> {
    let mut out = Vec::new();
    for (bit, make) in [
        (
            BOLD,
            (|start, end| Mark::Bold { start, end }) as fn(usize, usize) -> Mark,
        ),
        (ITALIC, |start, end| Mark::Italic { start, end }),
        (UNDERLINE, |start, end| Mark::Underline { start, end }),
        (SUPER, |start, end| Mark::Superscript { start, end }),
        (SUB, |start, end| Mark::Subscript { start, end }),
    ] {
        let mut cur: Option<(usize, usize)> = None;
        for &(s, e, f) in spans {
            if f & bit == 0 {
                continue;
            }
            cur = match cur {
                Some((cs, ce)) if ce == s => Some((cs, e)),
                Some((cs, ce)) => {
                    out.push(make(cs, ce));
                    Some((s, e))
                }
                None => Some((s, e)),
            };
        }
        if let Some((cs, ce)) = cur {
            out.push(make(cs, ce));
        }
    }
    out.append(others);
    // Stable: marks starting together keep the order above.
    out.sort_by_key(Mark::start);
    out
}

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
