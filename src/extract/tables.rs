//! Every table and paragraph of the document, kept whole, and coverage.
//!
//! In: the context and what the other passes placed. Out: the record's
//! `tables` (cell by cell, with the numbers of each cell), `paragraphs`
//! (body text with its numbers) and `coverage`. This is the pass that makes
//! sure nothing is lost: whatever the plan structure did not take is still
//! here, and counted as not placed.

use super::record::{CellRecord, Coverage, ParagraphRecord, TableRecord, TableRole};
use super::{Ctx, Placed, PlanRecord};

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &Placed) {
    let mut cov = Coverage::default();
    for t in &ctx.tables {
        let caption = caption(ctx, t.block, t.depth);
        let mut rows = Vec::with_capacity(t.table.rows.len());
        for (ri, row) in t.table.rows.iter().enumerate() {
            let mut cells = Vec::with_capacity(row.cells.len());
            ctx.work.add(row.cells.len());
            for (ci, cell) in row.cells.iter().enumerate() {
                let chars = cell.text.trim().chars().count() as u64;
                if chars > 0 {
                    cov.cells_in += 1;
                    cov.chars_in += chars;
                    if placed.has_cell(t.index, ri, ci) {
                        cov.cells_placed += 1;
                        cov.chars_placed += chars;
                    }
                }
                cells.push(CellRecord {
                    text: cell.text.clone(),
                    col: cell.col,
                    row_span: cell.row_span,
                    col_span: cell.col_span,
                    numbers: ctx.numbers_in(&cell.text),
                    provenance: cell.provenance.clone(),
                });
            }
            rows.push(cells);
        }
        let scale = caption
            .as_deref()
            .and_then(|s| ctx.norm().scale_marker(s))
            .or_else(|| header_scale(ctx.norm(), t.table));
        rec.tables.push(TableRecord {
            id: format!("t{}", t.index + 1),
            caption,
            role: placed
                .roles
                .get(&t.index)
                .copied()
                .unwrap_or(TableRole::Other),
            scale,
            rows,
            provenance: t.table.provenance.clone(),
        });
    }
    ctx.work.add(ctx.paragraphs.len());
    for p in &ctx.paragraphs {
        let text = &p.paragraph.text;
        let chars = text.trim().chars().count() as u64;
        let is_placed = placed.paragraphs.contains(&p.index);
        cov.paragraphs_in += 1;
        cov.chars_in += chars;
        if is_placed {
            cov.paragraphs_placed += 1;
            cov.chars_placed += chars;
        }
        rec.paragraphs.push(ParagraphRecord {
            id: format!("p{}", p.index + 1),
            text: text.clone(),
            heading: p.paragraph.heading,
            placed: is_placed,
            numbers: ctx.numbers_in(text),
            provenance: p.paragraph.provenance.clone(),
        });
    }
    rec.coverage = cov;
}

/// The paragraph right before a body table, when it is short enough to be a
/// caption ("Табела 3: …", a heading). Nested tables have none.
fn caption(ctx: &Ctx, block: usize, depth: usize) -> Option<String> {
    if depth > 0 || block == 0 {
        return None;
    }
    let idx = ctx.paragraphs.partition_point(|p| p.block < block);
    let p = ctx.paragraphs.get(idx.checked_sub(1)?)?;
    // Only the paragraph directly above (at most one empty block between).
    if block - p.block > 2 {
        return None;
    }
    let text = crate::normalize::collapse_whitespace(&p.paragraph.text);
    (text.chars().count() <= 300).then_some(text)
}

/// A scale marker in the first two rows of a table (`(у 000)` in a header).
fn header_scale(norm: &crate::normalize::Norm, t: &crate::model::Table) -> Option<u32> {
    t.rows
        .iter()
        .take(2)
        .flat_map(|r| r.cells.iter())
        .find_map(|c| norm.scale_marker(&c.text))
}
