//! Layout recovery: lines → paragraphs and tables.
//!
//! In: the decoded lines. Out: blocks with provenance (see the module doc of
//! `read::txt` for the rules). Two table layouts are recognised:
//!
//! * TAB rows. Blank lines (page breaks) keep the table open; a non-blank
//!   line without TAB closes it; markdown separator rows are dropped.
//! * One cell per line: a run of TAB-led lines with no other TAB, at least
//!   [`MIN_CELLS`] of them, neither continuing nor followed by TAB rows
//!   (then they are TAB rows that lost their leading cells). Non-TAB lines continue
//!   the open cell; after a cell has text, a blank line followed by a
//!   non-blank non-TAB line ends the table (that is a paragraph after it).
//!   Rows are rebuilt by [`group_rows`].

use super::markup::{self, Stats};
use super::{cell, new_table, paragraph, table_prov};
use crate::model::{Block, Diagnostic, Level, Paragraph, Provenance, Row};

/// Fewest TAB-led cells that make a one-cell-per-line table.
pub const MIN_CELLS: usize = 3;
/// Widest row the one-cell-per-line grouping considers.
pub const MAX_WIDTH: usize = 16;

/// The reader's output for the body.
#[derive(Debug, Default)]
pub struct Built {
    pub blocks: Vec<Block>,
    pub diagnostics: Vec<Diagnostic>,
    pub separator_rows: u64,
    pub cell_per_line_tables: u64,
}

/// Whitespace only and no TAB (a line of TABs is a row of empty cells).
fn is_blank(line: &str) -> bool {
    !line.contains('\t') && line.trim().is_empty()
}

/// A TAB-led line with no other TAB.
fn is_lead(line: &str) -> bool {
    line.starts_with('\t') && !line[1..].contains('\t')
}

/// A markdown table separator: every cell is dashes (optionally with `:`),
/// or empty, at least one cell has dashes; TAB- or pipe-separated.
fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    let cells: Vec<&str> = if line.contains('\t') {
        line.split('\t').collect()
    } else if t.starts_with('|') && t.ends_with('|') && t.len() >= 3 {
        t[1..t.len() - 1].split('|').collect()
    } else {
        return false;
    };
    let mut dashes = 0;
    for c in cells {
        let c = c.trim().trim_matches(':');
        if c.is_empty() {
            continue;
        }
        if c.len() >= 2 && c.bytes().all(|b| b == b'-') {
            dashes += 1;
        } else {
            return false;
        }
    }
    dashes > 0
}

/// Cells of a pipe-table row `| a | b |`, if the line is one.
fn pipe_cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    if t.len() >= 3 && t.starts_with('|') && t.ends_with('|') && !line.contains('\t') {
        Some(t[1..t.len() - 1].split('|').collect())
    } else {
        None
    }
}

fn parse_paras(text: &str, prov: &Provenance, stats: &mut Stats) -> Vec<Paragraph> {
    markup::parse_line(text, stats)
        .into_iter()
        .map(|p| paragraph(p, prov.clone()))
        .collect()
}

/// Builds the body blocks from the lines.
pub fn build(lines: &[&str], stats: &mut Stats) -> Built {
    let mut out = Built::default();
    let mut table: Option<(Vec<Row>, u32, u32)> = None;
    let mut tables = 0usize;
    let close = |table: &mut Option<(Vec<Row>, u32, u32)>, out: &mut Built, tables: &mut usize| {
        if let Some((rows, from, to)) = table.take()
            && !rows.is_empty()
        {
            out.blocks
                .push(Block::Table(new_table(rows, from, to, *tables)));
            *tables += 1;
        }
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let n = (i + 1) as u32;
        if is_blank(line) {
            i += 1;
            continue;
        }
        if is_lead(line)
            && table.is_none()
            && let Some(end) = cell_run(lines, i)
        {
            let (t, diags) = cell_per_line_table(lines, i, end, tables, stats);
            out.blocks.push(Block::Table(t));
            out.diagnostics.extend(diags);
            out.cell_per_line_tables += 1;
            tables += 1;
            i = end;
            continue;
        }
        if is_separator_row(line) {
            out.separator_rows += 1;
            i += 1;
            continue;
        }
        let cells: Option<Vec<&str>> = if line.contains('\t') {
            Some(line.split('\t').collect())
        } else {
            pipe_cells(line)
        };
        if let Some(cells) = cells {
            let t = table.get_or_insert_with(|| (Vec::new(), n, n));
            let (ti, ri) = (tables, t.0.len());
            let row_cells = cells
                .iter()
                .enumerate()
                .map(|(ci, text)| {
                    let prov = table_prov(n, n, ti, Some(ri), Some(ci));
                    cell(ci, parse_paras(text, &prov, stats), prov)
                })
                .collect();
            t.0.push(Row {
                cells: row_cells,
                header: false,
                provenance: table_prov(n, n, ti, Some(ri), None),
            });
            t.2 = n;
            i += 1;
            continue;
        }
        if markup::is_rule(line) {
            // Markup, not content: it neither adds text nor ends a table.
            stats.rules += 1;
            i += 1;
            continue;
        }
        close(&mut table, &mut out, &mut tables);
        let prov = Provenance::lines(n, n);
        for p in parse_paras(line, &prov, stats) {
            out.blocks.push(Block::Paragraph(p));
        }
        i += 1;
    }
    close(&mut table, &mut out, &mut tables);
    out
}

/// If a one-cell-per-line table starts at line index `start`, returns the
/// index just after its last line.
fn cell_run(lines: &[&str], start: usize) -> Option<usize> {
    // A TAB-led line right after TAB rows (blank lines between) is a row
    // that lost its leading cells, not the start of this layout.
    if let Some(prev) = lines[..start].iter().rev().find(|l| !is_blank(l))
        && prev.contains('\t')
    {
        return None;
    }
    let mut cells = 0;
    let mut has_text = false;
    let mut blank_after_text = false;
    let mut last = start;
    for (k, line) in lines.iter().enumerate().skip(start) {
        if is_lead(line) {
            cells += 1;
            has_text = !is_blank(&line[1..]);
            blank_after_text = false;
            last = k;
        } else if line.contains('\t') {
            // TAB rows follow: these were rows that lost their leading
            // cells, the start of an ordinary TAB table.
            return None;
        } else if is_blank(line) {
            blank_after_text |= has_text;
        } else if blank_after_text {
            break;
        } else {
            has_text = true;
            last = k;
        }
    }
    (cells >= MIN_CELLS).then_some(last + 1)
}

/// One cell of the one-cell-per-line layout.
struct RawCell {
    /// 0-based line index of the TAB-led line.
    first: usize,
    /// 0-based index of the last line with text (or `first`).
    last_text: usize,
    /// The cell ends with a blank line: a possible row end.
    trailing_blank: bool,
}

fn cell_per_line_table(
    lines: &[&str],
    start: usize,
    end: usize,
    index: usize,
    stats: &mut Stats,
) -> (crate::model::Table, Vec<Diagnostic>) {
    let mut raw: Vec<RawCell> = Vec::new();
    for (k, line) in lines.iter().enumerate().take(end).skip(start) {
        if is_lead(line) {
            raw.push(RawCell {
                first: k,
                last_text: k,
                trailing_blank: false,
            });
        } else if let Some(c) = raw.last_mut() {
            if is_blank(line) {
                c.trailing_blank = true;
            } else {
                c.last_text = k;
                c.trailing_blank = false;
            }
        }
    }
    // The line after the table (blank or end of text) ends the last row.
    if let Some(c) = raw.last_mut() {
        c.trailing_blank = true;
    }
    let ends: Vec<bool> = raw.iter().map(|c| c.trailing_blank).collect();
    let (width, rows) = group_rows(&ends);
    let mut diags = Vec::new();
    let mut out_rows = Vec::with_capacity(rows.len());
    for (ri, (a, b)) in rows.iter().copied().enumerate() {
        let mut cells = Vec::with_capacity(b - a);
        for (ci, rc) in raw[a..b].iter().enumerate() {
            let from = (rc.first + 1) as u32;
            let to = (rc.last_text + 1) as u32;
            let mut paras = Vec::new();
            let stop = raw.get(a + ci + 1).map_or(end, |next| next.first);
            for (k, line) in lines.iter().enumerate().take(stop).skip(rc.first) {
                let text = if k == rc.first { &line[1..] } else { line };
                if is_blank(text) {
                    continue;
                }
                let n = (k + 1) as u32;
                let prov = table_prov(n, n, index, Some(ri), Some(ci));
                paras.extend(parse_paras(text, &prov, stats));
            }
            let mut c = cell(ci, paras, table_prov(from, to, index, Some(ri), Some(ci)));
            if b - a == 1 {
                c.col_span = width;
            }
            cells.push(c);
        }
        let from = (raw[a].first + 1) as u32;
        let to = (raw[b - 1].last_text + 1) as u32;
        let n = b - a;
        if n != 1 && n != width {
            diags.push(
                Diagnostic::new(
                    Level::Info,
                    "irregular_row",
                    format!("one-cell-per-line table: row of {n} cells where the table has {width} columns"),
                )
                .at(table_prov(from, to, index, Some(ri), None)),
            );
        }
        out_rows.push(Row {
            cells,
            header: false,
            provenance: table_prov(from, to, index, Some(ri), None),
        });
    }
    let from = (start + 1) as u32;
    let to = raw.last().map_or(from, |c| (c.last_text + 1) as u32);
    (new_table(out_rows, from, to, index), diags)
}

/// Groups cells into rows. `ends[k]` says cell `k` is followed by a blank
/// line, the only place a row can end in this export (a row's last cell is
/// always followed by one; cells inside a row sometimes are too). Rows hold
/// either the table's width `W` of cells or one cell spanning the width (a
/// title like "Посебни циљ 1: …"); anything else is irregular. For each
/// candidate `W` a linear dynamic programme finds the cheapest split
/// (W-row 0, spanning row 1, irregular row 3). Candidate widths are the
/// lengths of runs of cells between blank lines (a header row is one); the
/// cheapest wins, ties going to the most common such length, then the
/// smaller `W`. Returns the width and the rows as `[start, end)` ranges.
pub fn group_rows(ends: &[bool]) -> (usize, Vec<(usize, usize)>) {
    let n = ends.len();
    if n == 0 {
        return (1, Vec::new());
    }
    // valid[p]: a row may start at cell p (p == n: end).
    let mut valid = vec![false; n + 1];
    valid[0] = true;
    for (k, &e) in ends.iter().enumerate() {
        if e {
            valid[k + 1] = true;
        }
    }
    valid[n] = true;
    // next[p]: the first valid boundary after p.
    let mut next = vec![n; n + 1];
    let mut nxt = n;
    for p in (0..n).rev() {
        next[p] = nxt;
        if valid[p] {
            nxt = p;
        }
    }
    // Most common natural segment length (>= 2).
    let mut hist = [0usize; MAX_WIDTH + 1];
    let mut p = 0;
    while p < n {
        let q = next[p];
        if q - p >= 2 && q - p <= MAX_WIDTH {
            hist[q - p] += 1;
        }
        p = q;
    }
    let mode = (2..=MAX_WIDTH)
        .max_by_key(|&w| (hist[w], std::cmp::Reverse(w)))
        .unwrap_or(2);
    type Scored = ((usize, usize, usize), Vec<(usize, usize)>);
    let mut best: Option<Scored> = None;
    // Only widths that occur as a whole segment somewhere are candidates:
    // otherwise one huge "row" could swallow the whole table at no cost.
    for w in (2..=MAX_WIDTH.min(n.max(2))).filter(|&w| hist[w] > 0) {
        let cost_of = |len: usize| -> usize {
            if len == w {
                0
            } else if len == 1 {
                1
            } else {
                3
            }
        };
        let mut dp = vec![usize::MAX; n + 1];
        let mut choice = vec![n; n + 1];
        dp[n] = 0;
        for p in (0..n).rev() {
            if !valid[p] {
                continue;
            }
            let q = next[p];
            let mut best_here = (cost_of(q - p).saturating_add(dp[q]), q);
            // On equal cost a full row now beats an irregular one: a short row
            // is more likely at the end (a truncated last row) than inside.
            let qw = p + w;
            if qw <= n && valid[qw] && dp[qw] != usize::MAX && dp[qw] <= best_here.0 {
                best_here = (dp[qw], qw);
            }
            dp[p] = best_here.0;
            choice[p] = best_here.1;
        }
        let mut rows = Vec::new();
        let mut p = 0;
        while p < n {
            rows.push((p, choice[p]));
            p = choice[p];
        }
        let key = (dp[0], usize::from(w != mode), w);
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, rows));
        }
    }
    match best {
        Some(((_, _, w), rows)) => (w, rows),
        // No width to go by: every blank line ends a row.
        None => {
            let mut rows = Vec::new();
            let mut p = 0;
            while p < n {
                rows.push((p, next[p]));
                p = next[p];
            }
            let w = rows.iter().map(|(a, b)| b - a).max().unwrap_or(1);
            (w, rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_str(s: &str) -> Built {
        let lines = super::super::split_lines(s);
        build(&lines, &mut Stats::default())
    }

    #[test]
    fn blank_lines_keep_a_table_open_and_text_closes_it() {
        let b = build_str("a\tb\n\n\nc\td\nText\ne\tf\n");
        assert_eq!(b.blocks.len(), 3);
        let Block::Table(t) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.provenance.line, Some([1, 4]));
        let Block::Table(t2) = &b.blocks[2] else {
            panic!()
        };
        assert_eq!(t2.provenance.table, Some(1));
    }

    #[test]
    fn separator_rows_are_dropped_and_counted() {
        let b = build_str("h1\th2\n---\t---\na\tb\n|---|:--:|\n---\nc\td\n");
        assert_eq!(b.separator_rows, 2);
        assert_eq!(b.blocks.len(), 1);
        let Block::Table(t) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 3);
    }

    #[test]
    fn rows_stay_as_written() {
        let b = build_str("\tx\t\ny\t\t\n");
        let Block::Table(t) = &b.blocks[0] else {
            panic!()
        };
        let cols: Vec<Vec<(usize, &str)>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.col, c.text.as_str())).collect())
            .collect();
        assert_eq!(
            cols,
            vec![
                vec![(0, ""), (1, "x"), (2, "")],
                vec![(0, "y"), (1, ""), (2, "")]
            ]
        );
    }

    #[test]
    fn cell_per_line_rows_are_rebuilt() {
        let s = "Title\n\tGoal: all\n\n\tA\n\tB\n\tC\n\n\t1\n\tone\n\n\n\t\n\nx\n\n\t2\n\ttwo\n\ty\n\nAfter the table\n";
        let b = build_str(s);
        assert_eq!(b.cell_per_line_tables, 1);
        let Block::Table(t) = &b.blocks[1] else {
            panic!("{:?}", b.blocks)
        };
        let rows: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec!["Goal: all"],
                vec!["A", "B", "C"],
                vec!["1", "one", "x"],
                vec!["2", "two", "y"]
            ]
        );
        assert_eq!(t.rows[0].cells[0].col_span, 3);
        assert_eq!(t.rows[2].cells[2].provenance.line, Some([12, 14]));
        let Block::Paragraph(p) = &b.blocks[2] else {
            panic!()
        };
        assert_eq!(p.text, "After the table");
    }

    #[test]
    fn tab_led_rows_before_tab_rows_are_a_tab_table() {
        let b = build_str("\tA\n\tB\n\tC\n\nx\ty\n");
        assert_eq!(b.cell_per_line_tables, 0);
        let Block::Table(t) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 4);
    }

    #[test]
    fn grouping_prefers_full_rows() {
        // A header of six, then a row with a blank line after its 2nd cell.
        let ends = [
            false, false, false, false, false, true, false, true, false, false, false, true,
        ];
        assert_eq!(group_rows(&ends), (6, vec![(0, 6), (6, 12)]));
        // Title, header, two rows, title, one row.
        let ends = [
            true, false, false, true, false, false, true, false, false, true, true, false, false,
            true,
        ];
        let (w, rows) = group_rows(&ends);
        assert_eq!(w, 3);
        assert_eq!(
            rows,
            vec![(0, 1), (1, 4), (4, 7), (7, 10), (10, 11), (11, 14)]
        );
    }
}
