//! Tables: `w:tbl` rows and cells with their properties, merges resolved
//! into grid columns and spans, nested tables kept in their cells.

use super::*;

/// One cell as the XML has it, before merges are resolved.
pub(super) struct RawCell {
    pub(super) span: usize,
    pub(super) vmerge: Option<bool>, // Some(true) = restart, Some(false) = continue
    pub(super) hmerge_continue: bool,
    pub(super) deleted: bool,
    pub(super) blocks: Vec<Block>,
}

pub(super) struct RawRow {
    pub(super) cells: Vec<RawCell>,
    pub(super) header: bool,
    pub(super) deleted: bool,
    pub(super) grid_before: usize,
}

/// Largest column span accepted; larger values are clamped and reported.
pub(super) const MAX_SPAN: usize = 1000;

pub(super) fn parse_count(v: Option<&str>) -> Option<usize> {
    v.and_then(|v| v.trim().parse::<i64>().ok())
        .map(|n| n.clamp(0, MAX_SPAN as i64) as usize)
}

impl Story<'_> {
    /// Reads a `w:tbl` (start tag just read). `None` when every row of it
    /// was a tracked deletion (accepting the deletion removes the table).
    pub(super) fn table<R: BufRead>(&mut self, xs: &mut XmlStream<R>) -> Result<Option<Table>> {
        self.enter(xs)?;
        let r = self.table_inner(xs);
        self.nest -= 1;
        r
    }

    pub(super) fn table_inner<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
    ) -> Result<Option<Table>> {
        let mut rows = Vec::new();
        let mut depth = 0usize;
        loop {
            match xs.next()? {
                Ev::Start(el) => match (el.ns, el.local.as_str()) {
                    (Ns::W, "tr") => rows.push(self.row(xs)?),
                    (Ns::W, "tblPr" | "tblGrid" | "tblPrEx") => xs.skip()?,
                    _ => depth += 1,
                },
                Ev::End => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Ev::Empty(_) | Ev::Text => {}
                Ev::Eof => return Err(xs.error("unexpected end of part in w:tbl")),
            }
        }
        let all_deleted = !rows.is_empty() && rows.iter().all(|r| r.deleted);
        let t = self.build_table(xs, rows);
        Ok((!all_deleted).then_some(t))
    }

    pub(super) fn row<R: BufRead>(&mut self, xs: &mut XmlStream<R>) -> Result<RawRow> {
        let mut row = RawRow {
            cells: Vec::new(),
            header: false,
            deleted: false,
            grid_before: 0,
        };
        let mut depth = 0usize;
        loop {
            match xs.next()? {
                Ev::Start(el) => match (el.ns, el.local.as_str()) {
                    (Ns::W, "trPr") => self.row_props(xs, &mut row)?,
                    (Ns::W, "tc") => row.cells.push(self.cell(xs)?),
                    (Ns::W, "tblPrEx") => xs.skip()?,
                    _ => depth += 1,
                },
                Ev::Empty(el) => {
                    if el.w("tc") {
                        row.cells.push(RawCell {
                            span: 1,
                            vmerge: None,
                            hmerge_continue: false,
                            deleted: false,
                            blocks: Vec::new(),
                        });
                    }
                }
                Ev::End => {
                    if depth == 0 {
                        return Ok(row);
                    }
                    depth -= 1;
                }
                Ev::Text => {}
                Ev::Eof => return Err(xs.error("unexpected end of part in w:tr")),
            }
        }
    }

    pub(super) fn row_props<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        row: &mut RawRow,
    ) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match xs.next()? {
                Ev::Start(_) => depth += 1,
                Ev::Empty(el) if depth == 0 && el.ns == Ns::W => match el.local.as_str() {
                    "tblHeader" => row.header = el.on(),
                    "del" => row.deleted = true,
                    "gridBefore" => match parse_count(el.val()) {
                        Some(n) => row.grid_before = n,
                        None => self.warn(
                            xs,
                            "bad_attribute",
                            format!("w:gridBefore {:?} ignored", el.val()),
                        ),
                    },
                    _ => {}
                },
                Ev::Empty(_) | Ev::Text => {}
                Ev::End => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Ev::Eof => return Err(xs.error("unexpected end of part in w:trPr")),
            }
        }
    }

    pub(super) fn cell<R: BufRead>(&mut self, xs: &mut XmlStream<R>) -> Result<RawCell> {
        let mut cell = RawCell {
            span: 1,
            vmerge: None,
            hmerge_continue: false,
            deleted: false,
            blocks: Vec::new(),
        };
        // The cell's content is block content; its properties come first.
        loop {
            match xs.next()? {
                Ev::Start(el) if el.w("tcPr") => {
                    self.cell_props(xs, &mut cell)?;
                }
                Ev::Start(el) => {
                    // First content element: hand the rest to the block
                    // reader, starting with this element.
                    self.cell_content_from(xs, el, &mut cell.blocks)?;
                    return Ok(cell);
                }
                Ev::Empty(el) => {
                    if el.w("p") {
                        let p = self.finish_paragraph(ParaProps::default(), Pb::default());
                        let mut carry = None;
                        self.place(p, &mut carry, &mut cell.blocks);
                    }
                }
                Ev::End => return Ok(cell),
                Ev::Text => {}
                Ev::Eof => return Err(xs.error("unexpected end of part in w:tc")),
            }
        }
    }

    /// Block content of a cell whose first content element `first` was
    /// already read.
    pub(super) fn cell_content_from<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        first: El,
        out: &mut Vec<Block>,
    ) -> Result<()> {
        let mut carry: Option<Paragraph> = None;
        match (first.ns, first.local.as_str()) {
            (Ns::W, "p") => {
                let p = self.paragraph(xs, false)?;
                self.place(p, &mut carry, out);
            }
            (Ns::W, "tbl") => {
                if let Some(t) = self.table(xs)? {
                    out.push(Block::Table(t));
                }
            }
            _ => {
                // An unknown wrapper: read its content as blocks too.
                let mut inner = Vec::new();
                self.blocks(xs, &mut inner)?;
                out.extend(inner);
            }
        }
        let mut rest = Vec::new();
        self.blocks(xs, &mut rest)?;
        if let Some(p) = carry.take() {
            // A deleted paragraph mark at the end of the first paragraph
            // joins it with the next one.
            match rest.first_mut() {
                Some(Block::Paragraph(next)) => {
                    let shift = p.text.chars().count();
                    let mut marks = p.marks;
                    for mut m in next.marks.drain(..) {
                        m.shift(shift);
                        marks.push(m);
                    }
                    next.text = format!("{}{}", p.text, next.text);
                    next.marks = marks;
                }
                _ => {
                    if !p.text.trim().is_empty() {
                        out.push(Block::Paragraph(p));
                    }
                }
            }
        }
        out.extend(rest);
        Ok(())
    }

    pub(super) fn cell_props<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        cell: &mut RawCell,
    ) -> Result<()> {
        let mut depth = 0usize;
        loop {
            match xs.next()? {
                Ev::Start(el) => {
                    if depth == 0 && el.ns == Ns::W {
                        self.cell_prop(xs, &el, cell);
                    }
                    depth += 1;
                }
                Ev::Empty(el) if depth == 0 && el.ns == Ns::W => self.cell_prop(xs, &el, cell),
                Ev::Empty(_) | Ev::Text => {}
                Ev::End => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Ev::Eof => return Err(xs.error("unexpected end of part in w:tcPr")),
            }
        }
    }

    pub(super) fn cell_prop<R: BufRead>(&mut self, xs: &XmlStream<R>, el: &El, cell: &mut RawCell) {
        match el.local.as_str() {
            "gridSpan" => match parse_count(el.val()) {
                Some(n) => cell.span = n.max(1),
                None => self.warn(
                    xs,
                    "bad_attribute",
                    format!("w:gridSpan {:?} ignored", el.val()),
                ),
            },
            "vMerge" => cell.vmerge = Some(el.val() == Some("restart")),
            "hMerge" => cell.hmerge_continue = el.val() != Some("restart"),
            "cellDel" => cell.deleted = true,
            // A tracked vertical merge: accepting it makes it a real one.
            "cellMerge" => {
                self.count("tracked_cell_merges");
                match el.attr("vMerge") {
                    Some("rest") => cell.vmerge = Some(true),
                    Some("cont") => cell.vmerge = Some(false),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Resolves deletions, horizontal and vertical merges into the model's
    /// cells with grid columns and spans.
    pub(super) fn build_table<R: BufRead>(&mut self, xs: &XmlStream<R>, raw: Vec<RawRow>) -> Table {
        let mut rows: Vec<Row> = Vec::new();
        let had_rows = !raw.is_empty();
        // Vertical merges in progress: grid column → (row, cell index).
        let mut open: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for rr in raw {
            if rr.deleted {
                self.count("tracked_row_deletions");
                continue;
            }
            let ri = rows.len();
            let mut cells: Vec<Cell> = Vec::new();
            let mut col = rr.grid_before;
            let mut covered: Vec<usize> = Vec::new();
            for rc in rr.cells {
                if rc.deleted {
                    self.count("tracked_cell_deletions");
                    continue;
                }
                let (paragraphs, nested) = split_blocks(rc.blocks);
                if rc.hmerge_continue
                    && let Some(prev) = cells.last_mut()
                {
                    prev.col_span += rc.span;
                    col += rc.span;
                    append_paragraphs(prev, paragraphs, nested);
                    self.count("horizontal_merges");
                    continue;
                }
                let this_col = col;
                col = col.saturating_add(rc.span);
                if rc.vmerge == Some(false) {
                    if let Some(&(orow, ocell)) = open.get(&this_col)
                        && let Some(target) =
                            rows.get_mut(orow).and_then(|r| r.cells.get_mut(ocell))
                        && target.col_span == rc.span
                    {
                        target.row_span += 1;
                        covered.push(this_col);
                        if !paragraphs.iter().all(|p| p.text.trim().is_empty())
                            || !nested.is_empty()
                        {
                            append_paragraphs(target, paragraphs, nested);
                            self.warn(
                                xs,
                                "merged_cell_content",
                                "content of a vertically merged (continued) cell appended to the merge's first cell"
                                    .to_string(),
                            );
                        }
                        continue;
                    }
                    self.count("orphan_vmerge_continue");
                }
                let mut cell = Cell::new(this_col, paragraphs, Default::default());
                cell.col_span = rc.span;
                cell.blocks = nested;
                if rc.vmerge.is_some() {
                    open.insert(this_col, (ri, cells.len()));
                    covered.push(this_col);
                }
                cells.push(cell);
            }
            // A column not continued in this row ends its merge.
            open.retain(|c, _| covered.contains(c));
            rows.push(Row {
                cells,
                header: rr.header,
                provenance: Default::default(),
            });
        }
        if had_rows && rows.is_empty() {
            self.count("tracked_table_deletions");
        }
        Table {
            rows,
            provenance: Default::default(),
        }
    }
}
