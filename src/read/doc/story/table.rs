//! Tables of a story: rows and cells collected from cell and row marks,
//! closed into their container, and built with the row's TAP merges.

use super::*;

/// A table being read: finished rows, the current row's cells and the
/// current cell's blocks.
#[derive(Default)]
pub(super) struct TableB {
    pub(super) rows: Vec<(Vec<Vec<Block>>, Option<Tap>)>,
    pub(super) cells: Vec<Vec<Block>>,
    pub(super) cur: Vec<Block>,
    /// Tracked-deleted characters in the current row.
    pub(super) deleted: u64,
}

/// Ends the innermost open table and puts it in its container.
pub(super) fn close_table(st: &mut Story, stack: &mut Vec<TableB>, out: &mut Vec<Block>) {
    let Some(mut t) = stack.pop() else {
        return;
    };
    // Cells after the last row end (a table cut short) form a last row.
    if !t.cur.is_empty() {
        t.cells.push(std::mem::take(&mut t.cur));
    }
    if !t.cells.is_empty() {
        st.count("unterminated_rows", 1);
        let cells = std::mem::take(&mut t.cells);
        t.rows.push((cells, None));
    }
    if t.rows.is_empty() {
        return;
    }
    let table = build_table(st, t.rows);
    let dest = match stack.last_mut() {
        Some(parent) => &mut parent.cur,
        None => out,
    };
    dest.push(Block::Table(table));
}

/// Grid columns from the union of every row's cell boundaries; merges from
/// the TAP flags, resolved as the DOCX reader resolves `w:hMerge`/`w:vMerge`.
pub(super) fn build_table(st: &mut Story, raw: Vec<(Vec<Vec<Block>>, Option<Tap>)>) -> Table {
    let mut grid: Vec<i32> = raw
        .iter()
        .filter_map(|(_, t)| t.as_ref())
        .flat_map(|t| t.centers.iter().copied())
        .collect();
    grid.sort_unstable();
    // Boundaries a few twips apart are one grid line: Word stores the same
    // edge with rounding differences from row to row.
    grid.dedup_by(|b, a| *b - *a <= GRID_SLACK);
    let col_of = |x: i32| grid.partition_point(|&g| g + GRID_SLACK < x);
    let mut rows: Vec<Row> = Vec::new();
    let mut open: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (ri, (cells_raw, tap)) in raw.into_iter().enumerate() {
        let tap = tap.unwrap_or_default();
        let mut cells: Vec<Cell> = Vec::new();
        let mut covered: Vec<usize> = Vec::new();
        let mut col = tap.centers.first().map_or(0, |&x| col_of(x));
        for (i, blocks) in cells_raw.into_iter().enumerate() {
            let tc = tap.cells.get(i).copied().unwrap_or_default();
            let (this_col, span) = match (tap.centers.get(i), tap.centers.get(i + 1)) {
                (Some(&l), Some(&r)) if r > l => {
                    let (a, b) = (col_of(l), col_of(r));
                    (a, b.saturating_sub(a).max(1))
                }
                (Some(&l), Some(_)) => (col_of(l).max(col), 1),
                _ => (col, 1),
            };
            col = this_col + span;
            let (paragraphs, nested) = split_blocks(blocks);
            if tc.merged
                && !tc.first_merged
                && let Some(prev) = cells.last_mut()
            {
                prev.col_span = (this_col + span)
                    .saturating_sub(prev.col)
                    .max(prev.col_span);
                append_paragraphs(prev, paragraphs, nested);
                st.count("horizontal_merges", 1);
                continue;
            }
            if tc.vert_merge && !tc.vert_restart {
                if let Some(&(orow, ocell)) = open.get(&this_col)
                    && let Some(target) = rows.get_mut(orow).and_then(|r| r.cells.get_mut(ocell))
                    && target.col_span == span
                {
                    target.row_span += 1;
                    covered.push(this_col);
                    if !paragraphs.iter().all(|p| p.text.trim().is_empty()) || !nested.is_empty() {
                        append_paragraphs(target, paragraphs, nested);
                        st.warn(
                            "merged_cell_content",
                            "content of a vertically merged (continued) cell appended to the merge's first cell"
                                .to_string(),
                        );
                    }
                    continue;
                }
                st.count("orphan_vmerge_continue", 1);
            }
            let mut cell = Cell::new(this_col, paragraphs, Default::default());
            cell.col_span = span;
            cell.blocks = nested;
            if tc.vert_merge || tc.vert_restart {
                open.insert(this_col, (ri, cells.len()));
                covered.push(this_col);
            }
            cells.push(cell);
        }
        open.retain(|c, _| covered.contains(c));
        rows.push(Row {
            cells,
            header: tap.header,
            provenance: Default::default(),
        });
    }
    Table {
        rows,
        provenance: Default::default(),
    }
}
