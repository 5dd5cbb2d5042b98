//! The walk over paragraphs and tables in document order: budget rows,
//! amounts in other tables, label–value blocks, and the plan element each
//! row names.

use super::*;

/// Rows a header may run over (a title line, the names, a second line of
/// years or sources, units).
const MAX_HEADER_ROWS: usize = 4;

/// One amount before parents and units are settled.
pub(super) struct Entry {
    pub(super) sub: usize,
    pub(super) table: usize,
    pub(super) row: usize,
    /// The row's own label, when it has one.
    pub(super) own: Option<Label>,
    pub(super) total: bool,
    /// The row's (or list item's) words when no code names it.
    pub(super) text: Option<String>,
    pub(super) source: Option<String>,
    pub(super) year: Option<i32>,
    /// From a total column of a table whose rows are plan elements.
    pub(super) total_col: bool,
    /// From any total column (also of a table whose rows are sources).
    pub(super) total_role: bool,
    /// An amount outside a budget table that sits under a money column.
    pub(super) money_col: bool,
    /// The cell (table index, row, cell) of an amount found outside a
    /// budget table; it is kept, and placed, only when it is tied to a plan
    /// element.
    pub(super) loose: Option<(usize, usize, usize)>,
    pub(super) number: Number,
    pub(super) currency: Option<String>,
    pub(super) provenance: Provenance,
    /// Resolved later.
    pub(super) parent: Option<String>,
    pub(super) activity: Option<String>,
}

/// A group of amounts read under one header (or one matrix table).
pub(super) struct Sub {
    pub(super) table: usize,
    /// Scale stated by the header or caption.
    pub(super) declared: Option<u32>,
    /// Scale decided in the end.
    pub(super) scale: u32,
    /// The goal or measure in force where the sub-table starts.
    pub(super) context: Option<Label>,
    /// Whether amounts came from a budget header (not from loose cells).
    pub(super) tabular: bool,
}

pub(super) struct Walker<'c, 'a> {
    pub(super) ctx: &'c Ctx<'a>,
    pub(super) memo: Memo<'c, 'a>,
    /// Parents of the structure's activities by code, in record order, and
    /// the codes of its objectives: looked up for every amount, so indexed
    /// once rather than scanned.
    pub(super) act_parents: HashMap<&'c str, Vec<&'c Option<String>>>,
    pub(super) objective_codes: HashSet<&'c str>,
    pub(super) period: Option<Period>,
    pub(super) entries: Vec<Entry>,
    pub(super) subs: Vec<Sub>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The last goal or measure label seen, and how many paragraphs ago.
    pub(super) context: Option<(Label, usize)>,
    /// The budget header still open at the end of the last table, for a
    /// table that continues it right below (a table split by a page break
    /// or a blank line): header, its sub-table, the table's width.
    pub(super) open: Option<(Header, usize, usize)>,
    /// The activity whose label paragraph opened the current label–value
    /// block ("Aktivnost 3.1.1: …" then "Rok: …", "Budžet: …"), and how many
    /// paragraphs ago.
    pub(super) block: Option<(Label, usize)>,
    /// The funding source the current block states ("Izvor finansiranja:
    /// Budžet Grada"), and the entries its amounts gave.
    pub(super) block_source: Option<String>,
    pub(super) block_entries: Vec<usize>,
    /// Tables whose unit was read from the text before them, reported once.
    pub(super) unit_reported: BTreeSet<usize>,
}

/// How many paragraphs a label–value block runs for after its activity
/// label.
pub(super) const BLOCK_REACH: usize = 10;

/// How many rows below a header are looked at to tell a column's content.
pub(super) const CONTENT_ROWS: usize = 200;

/// How many paragraphs a label stays in force for a following table.
pub(super) const CONTEXT_REACH: usize = 3;

impl Walker<'_, '_> {
    pub(super) fn live_context(&self) -> Option<Label> {
        self.context
            .as_ref()
            .filter(|(_, age)| *age <= CONTEXT_REACH)
            .map(|(l, _)| l.clone())
    }

    pub(super) fn paragraph(&mut self, i: usize, placed: &mut Placed) {
        self.ctx.work.add(1);
        let Some(p) = self.ctx.paragraphs.get(i) else {
            return;
        };
        // Text between two tables: the second does not continue the first.
        self.open = None;
        let text = paragraph_label_text(p.paragraph);
        let label = labels::read(&text, false, self.ctx.labels());
        // A heading numbered like an activity ("3.1.1. Zapošljavanje …")
        // opens a block too; it sets no goal context.
        let heading = label
            .is_none()
            .then(|| labels::read(&text, true, self.ctx.labels()))
            .flatten()
            .filter(|l| {
                l.kind == LabelKind::Activity
                    && l.code.as_deref().is_some_and(|c| c.split('.').count() >= 3)
            });
        match label.as_ref().or(heading.as_ref()) {
            Some(l) if l.kind == LabelKind::Activity && l.code.is_some() => {
                self.block = Some((l.clone(), 0));
                self.block_source = None;
                self.block_entries.clear();
            }
            Some(_) => self.block = None,
            // Any other heading ends a block.
            None if p.paragraph.heading.is_some() => self.block = None,
            None => {
                if let Some((_, age)) = &mut self.block {
                    *age += 1;
                }
                self.block_field(i, placed);
            }
        }
        match label {
            Some(l) if matches!(l.kind, LabelKind::Objective(_)) => self.context = Some((l, 0)),
            _ => {
                if let Some((_, age)) = &mut self.context {
                    *age += 1;
                }
            }
        }
    }

    /// A "Budget: amount" paragraph of a label–value block ("Budžet: 4,8
    /// miliona dinara", "Buxheti: 60 mijë €"): the amount of the block's
    /// activity, with the paragraph as provenance. Words without an amount
    /// ("bez dodatnih troškova") give nothing; an amount outside any block
    /// is reported, not placed.
    pub(super) fn block_field(&mut self, i: usize, placed: &mut Placed) {
        let Some(p) = self.ctx.paragraphs.get(i) else {
            return;
        };
        let text = &p.paragraph.text;
        let Some((name, value)) = text.split_once(':') else {
            return;
        };
        if name.split_whitespace().count() > 4 {
            return;
        }
        let live = self
            .block
            .as_ref()
            .is_some_and(|(_, age)| *age <= BLOCK_REACH);
        let key = folded(self.ctx, name);
        if any(&key, &lexicon(self.ctx).source_header) && !any(&key, &lexicon(self.ctx).not_money) {
            // The block's funding source, before or after its amount.
            let source = collapse_whitespace(value);
            if live && !source.is_empty() {
                for &e in &self.block_entries {
                    if let Some(entry) = self.entries.get_mut(e)
                        && entry.source.is_none()
                    {
                        entry.source = Some(source.clone());
                    }
                }
                self.block_source = Some(source);
            }
            return;
        }
        // "Ukupan budžet: …" after the last block sums the plan, it is no
        // activity's amount.
        if !announces_money(self.ctx, name) || any(&key, &lexicon(self.ctx).total_words) {
            return;
        }
        let nums: Vec<Number> = self
            .memo
            .amounts(value)
            .into_iter()
            .filter(|n| !is_rate(self.ctx, value, n))
            .collect();
        if nums.is_empty() {
            return;
        }
        let Some((activity, _)) = self
            .block
            .as_ref()
            .filter(|(_, age)| *age <= BLOCK_REACH)
            .cloned()
        else {
            self.diagnostics.push(
                Diagnostic::new(
                    Level::Info,
                    "budget_unplaced",
                    format!(
                        "an amount stated as {:?} follows no activity label; not a budget entry",
                        collapse_whitespace(text)
                    ),
                )
                .at(p.paragraph.provenance.clone()),
            );
            return;
        };
        // Paragraph amounts sit in no table: an index past the last one
        // keeps their rows apart from every table's.
        let outside = self.ctx.tables.len();
        // "Budžet (u 000 din):" states the unit of the amount.
        let sub = self.new_sub(outside, scale_of(self.ctx, name), false);
        placed.paragraph(i);
        for n in nums {
            let currency = n.currency.clone().or_else(|| currency_in(self.ctx, name));
            self.block_entries.push(self.entries.len());
            self.entries.push(Entry {
                sub,
                table: outside,
                row: i,
                own: Some(activity.clone()),
                total: false,
                text: None,
                source: self.block_source.clone(),
                year: None,
                total_col: false,
                total_role: false,
                money_col: false,
                loose: None,
                number: n,
                currency,
                provenance: p.paragraph.provenance.clone(),
                parent: None,
                activity: None,
            });
        }
    }

    /// Reports a unit read from the text before a table rather than from
    /// the table itself.
    fn unit_from_text(&mut self, ti: usize, scale: u32, table: &crate::model::Table) {
        if scale == 1 || !self.unit_reported.insert(ti) {
            return;
        }
        self.diagnostics.push(
            Diagnostic::new(
                Level::Info,
                "budget_unit_from_text",
                format!(
                    "table t{} states no unit for its amounts; the text before it gives ×{scale}",
                    ti + 1
                ),
            )
            .at(table.provenance.clone()),
        );
    }

    /// The nearest paragraph before a body table that states the unit of
    /// amounts: its scale, the currency it names, and whether it is near
    /// (since the table before, a few paragraphs back) rather than further
    /// back across other tables.
    pub(super) fn unit_statement(&self, table: usize) -> Option<(u32, Option<String>, bool)> {
        // Since the table before, any statement of a unit; further back,
        // across other tables, only one that names the currency with it
        // ("Troškovi su iskazani u hiljadama dinara" at the head of a
        // chapter of several tables).
        const NEAR: usize = 6;
        const FAR: usize = 40;
        let t = self.ctx.tables.get(table).filter(|t| t.depth == 0)?;
        let idx = self.ctx.paragraphs.partition_point(|p| p.block < t.block);
        let mut after = t.block;
        let mut near = true;
        for back in 1..=FAR {
            let p = idx
                .checked_sub(back)
                .and_then(|i| self.ctx.paragraphs.get(i))?;
            let table_between = (p.block + 1..after).any(|b| {
                matches!(
                    self.ctx.doc.blocks.get(b),
                    Some(crate::model::Block::Table(_))
                )
            });
            near &= !table_between && back <= NEAR;
            after = p.block;
            let text = &p.paragraph.text;
            if text.chars().count() > 600 {
                continue;
            }
            if let Some(scale) = scale_of(self.ctx, text) {
                let currency = currency_in(self.ctx, text);
                if near || currency.is_some() {
                    return Some((scale, currency, near));
                }
            }
        }
        None
    }

    /// Short paragraphs right above a table (title, "(у 000)").
    pub(super) fn caption(&self, table: usize) -> Vec<String> {
        let Some(t) = self.ctx.tables.get(table) else {
            return Vec::new();
        };
        if t.depth > 0 {
            return Vec::new();
        }
        let idx = self.ctx.paragraphs.partition_point(|p| p.block < t.block);
        let mut out = Vec::new();
        for back in 1..=2 {
            let Some(p) = idx
                .checked_sub(back)
                .and_then(|i| self.ctx.paragraphs.get(i))
            else {
                break;
            };
            // Only paragraphs between (no other table), and short.
            let between_tables = (p.block + 1..t.block).any(|b| {
                matches!(
                    self.ctx.doc.blocks.get(b),
                    Some(crate::model::Block::Table(_))
                )
            });
            if between_tables
                || t.block - p.block > 2 * back + 1
                || p.paragraph.text.chars().count() > 300
            {
                break;
            }
            out.push(p.paragraph.text.clone());
        }
        out
    }

    pub(super) fn new_sub(&mut self, table: usize, declared: Option<u32>, tabular: bool) -> usize {
        self.subs.push(Sub {
            table,
            declared,
            scale: declared.unwrap_or(1),
            context: self.live_context(),
            tabular,
        });
        self.subs.len() - 1
    }

    pub(super) fn table(&mut self, ti: usize, placed: &mut Placed) {
        let Some(t) = self.ctx.tables.get(ti) else {
            return;
        };
        let table = t.table;
        let caption = self.caption(ti);
        // The unit a statement before the table gives ("Troškovi su
        // iskazani u hiljadama dinara"), used when neither the header nor
        // the caption states one.
        let statement = self.unit_statement(ti);
        // A body table of the same width right after one whose budget
        // header was still open continues it.
        let header: Option<(Header, usize)> = match self.open.take() {
            Some((mut h, sub, width)) if t.depth == 0 && width == table.width() => {
                // Its header rows belong to the table above.
                h.rows.clear();
                Some((h, sub))
            }
            _ => None,
        };
        let mut st = TableWalk {
            caption,
            statement,
            draft: None,
            header,
            loose: Vec::new(),
            money_cols: BTreeMap::new(),
            source_cols: BTreeSet::new(),
            row_activity: None,
            used: false,
        };
        for (ri, row) in table.rows.iter().enumerate() {
            self.table_row(ti, ri, row, table, &mut st, placed);
        }
        if st.loose.iter().any(|r| !r.amounts.is_empty()) {
            let scale = st.money_cols.values().find_map(|(s, _)| *s);
            let sub = self.new_sub(ti, scale, false);
            self.loose_rows(ti, sub, st.loose);
        }
        if t.depth == 0 {
            self.open = st.header.map(|(h, sub)| (h, sub, table.width()));
        }
        if st.used && !placed.roles.contains_key(&ti) {
            placed.role(ti, crate::extract::record::TableRole::Budget);
        }
    }

    /// One row of a table: a goal or measure alone (the context), a header
    /// row, a budget row under a live header, or a loose row.
    fn table_row(
        &mut self,
        ti: usize,
        ri: usize,
        row: &Row,
        table: &crate::model::Table,
        st: &mut TableWalk,
        placed: &mut Placed,
    ) {
        self.ctx.work.add(row.cells.len());
        let filled: Vec<(usize, &Cell)> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.text.trim().is_empty())
            .collect();
        if filled.is_empty() {
            return;
        }
        let numeric = filled.iter().any(|(_, c)| {
            year_header(self.ctx.norm(), &c.text).is_none()
                && !self.memo.amounts(&c.text).is_empty()
        });
        let first_label = labels::read(&cell_label_text(filled[0].1), false, self.ctx.labels());
        // An activity named in a row of its own layout ("Aktivnost 1.1.1 |
        // …"), for the label–value rows below it.
        if let Some(l) = first_label
            .as_ref()
            .filter(|l| l.kind == LabelKind::Activity && l.code.is_some())
        {
            st.row_activity = Some((l.clone(), ri));
        }
        // A row naming a goal or measure and nothing else sets the context.
        if !numeric
            && let Some(l) = &first_label
            && matches!(l.kind, LabelKind::Objective(_))
            && filled.len() == 1
        {
            self.context = Some((l.clone(), 0));
            st.header = None;
            st.draft = None;
            placed.cell(ti, ri, filled[0].0);
            return;
        }
        let money_in_header = st.header.as_ref().is_some_and(|(h, _)| {
            filled.iter().any(|(_, c)| {
                h.cols.get(&c.col).is_some_and(Role::money)
                    && !self.memo.amounts(&c.text).is_empty()
            })
        });
        if !money_in_header
            && filled.len() >= 2
            && !numeric_outside_years(self.ctx.norm(), &self.memo, &filled)
        {
            self.header_row(ti, ri, row, table, &filled, st);
            return;
        }
        st.draft = None;
        if let Some((h, sub)) = &st.header
            && money_in_header
        {
            let (h, sub) = (h.clone(), *sub);
            self.budget_row(ti, ri, row, &h, sub, placed);
            for &hr in &h.rows {
                for (ci, c) in table.rows[hr].cells.iter().enumerate() {
                    if !c.text.trim().is_empty() {
                        placed.cell(ti, hr, ci);
                    }
                }
            }
            st.used = true;
            return;
        }
        // Amounts with a currency anywhere else.
        if let Some(lr) = self.loose_row(ri, row, &st.money_cols, &st.source_cols) {
            st.loose
                .push(with_row_activity(lr, st.row_activity.as_ref()));
        }
    }

    /// A header-like row (words, no amounts outside year cells): merged
    /// with the header rows right above into a draft, which opens a budget
    /// header, or else may name a matrix's money columns.
    fn header_row(
        &mut self,
        ti: usize,
        ri: usize,
        row: &Row,
        table: &crate::model::Table,
        filled: &[(usize, &Cell)],
        st: &mut TableWalk,
    ) {
        // A header is a few lines: a longer run of word rows is
        // text, and a draft kept only that short keeps each row's
        // look at it bounded (linear in the table).
        let d = match st.draft.take() {
            Some(d)
                if d.rows.last().is_some_and(|&r| r + 1 == ri)
                    && d.rows.len() < MAX_HEADER_ROWS =>
            {
                d
            }
            _ => Draft::default(),
        };
        let mut d = d;
        for (k, (_, c)) in filled.iter().enumerate() {
            d.texts.insert(c.col, c.text.clone());
            d.origin.insert(c.col, ri);
            d.all.push(c.text.clone());
            // A merged cell spans its columns; a text export leaves
            // the label alone with empty cells up to the next one.
            let end = if c.col_span > 1 {
                c.col + c.col_span
            } else {
                filled.get(k + 1).map_or(table.width(), |(_, n)| n.col)
            };
            if end > c.col + 1 && announces_money(self.ctx, &c.text) {
                d.spans.push((ri, c.col, end));
            }
        }
        d.rows.push(ri);
        let found = evaluate(self.ctx, &d, &st.caption, self.period)
            .or_else(|| self.header_by_content(&d, &st.caption, table, ri));
        match found {
            Some(mut h) => {
                self.amounts_by_content(&mut h, &d, table, ri);
                // A budget table without a unit of its own takes
                // a statement right before it; a distant one is
                // weaker than the marked table above (see
                // `resolve_scales`).
                if let Some((scale, currency, true)) = &st.statement {
                    if h.scale.is_none() {
                        self.unit_from_text(ti, *scale, table);
                    }
                    h.scale = h.scale.or(Some(*scale));
                    h.currency = h.currency.take().or_else(|| currency.clone());
                }
                let sub = self.new_sub(ti, h.scale, true);
                st.header = Some((h, sub));
                st.money_cols.clear();
            }
            None => {
                // A text row under a live header ends it, unless it
                // is an activity row without amounts.
                let activity_row =
                    labels::read(&cell_label_text(filled[0].1), true, self.ctx.labels())
                        .is_some_and(|l| l.kind == LabelKind::Activity);
                if !activity_row {
                    st.header = None;
                }
            }
        }
        if st.header.is_none() {
            self.matrix_money_header(ti, filled, &d, table, st);
            // A text row may still open a money cell continued below
            // ("БУЏЕТ" above the amounts of a row split by a page
            // break).
            if let Some(lr) = self.loose_row(ri, row, &st.money_cols, &st.source_cols) {
                st.loose
                    .push(with_row_activity(lr, st.row_activity.as_ref()));
            }
        }
        st.draft = Some(d);
    }

    /// A matrix header naming a money column with its unit or currency
    /// ("Буџет (у 000 РСД)"), and the columns naming a row's funding source.
    fn matrix_money_header(
        &mut self,
        ti: usize,
        filled: &[(usize, &Cell)],
        d: &Draft,
        table: &crate::model::Table,
        st: &mut TableWalk,
    ) {
        // Only a row that reads as a header: short cells, no
        // goal or activity label (a text row of the matrix may
        // well say "Буџет општине").
        let header_like = labels::read(&cell_label_text(filled[0].1), true, self.ctx.labels())
            .is_none()
            && filled
                .iter()
                .all(|(_, c)| c.text.split_whitespace().count() <= 12);
        if d.all
            .iter()
            .any(|t| any(&folded(self.ctx, t), &lexicon(self.ctx).not_budget))
        {
            st.money_cols.clear();
        } else if header_like {
            let mut cols = money_columns(self.ctx, filled, d, &st.caption, self.period);
            if !cols.is_empty() {
                st.source_cols = filled
                    .iter()
                    .filter(|(_, c)| {
                        let key = folded(self.ctx, &c.text);
                        any(&key, &lexicon(self.ctx).source_header)
                            && !any(&key, &lexicon(self.ctx).not_money)
                    })
                    .map(|(_, c)| c.col)
                    .collect();
            }
            if let Some((scale, currency, _)) = &st.statement {
                if cols.values().any(|(s, _)| s.is_none()) {
                    self.unit_from_text(ti, *scale, table);
                }
                for (s, c) in cols.values_mut() {
                    *s = s.or(Some(*scale));
                    *c = c.take().or_else(|| currency.clone());
                }
            }
            if !cols.is_empty() {
                st.money_cols = cols;
            }
        }
    }
}

/// What the walk over one table carries from row to row.
struct TableWalk {
    caption: Vec<String>,
    /// The unit a statement before the table gives, if any.
    statement: Option<(u32, Option<String>, bool)>,
    /// Header rows read so far, not yet a header.
    draft: Option<Draft>,
    /// The live budget header and its sub-table.
    header: Option<(Header, usize)>,
    loose: Vec<LooseRow>,
    money_cols: MoneyCols,
    /// Columns naming the funding source of a matrix row ("Finansiranje",
    /// "Izvor"), for the amounts under its money columns.
    source_cols: BTreeSet<usize>,
    /// The last activity a row of this table named, and its row.
    row_activity: Option<(Label, usize)>,
    /// Whether a budget row was read.
    used: bool,
}

/// A paragraph's text with the number Word's list numbering shows before
/// it ("1.1.1.", "Mjera 1.2:"), which the text itself lacks.
pub(super) fn paragraph_label_text(p: &crate::model::Paragraph) -> Cow<'_, str> {
    let marker = p
        .list
        .as_ref()
        .and_then(|l| l.marker.as_deref())
        .map(str::trim)
        .filter(|m| numbering_marker(m) && !p.text.trim_start().starts_with(m));
    match marker {
        Some(m) => Cow::Owned(format!("{m} {}", p.text.trim_start())),
        None => Cow::Borrowed(&p.text),
    }
}

/// A list marker that numbers ("1.1.", "Mjera 1.2:", "II."), not a bullet
/// or a letter.
pub(super) fn numbering_marker(m: &str) -> bool {
    m.chars().any(|c| c.is_ascii_digit())
        || (!m.is_empty()
            && m.trim_end_matches(['.', ')', ':'])
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X')))
}

/// A cell's label text: its first paragraph with its list number.
pub(super) fn cell_label_text(c: &Cell) -> Cow<'_, str> {
    match c.paragraphs.first() {
        Some(p) if p.list.is_some() => {
            let first = paragraph_label_text(p);
            if matches!(first, Cow::Borrowed(_)) {
                return Cow::Borrowed(&c.text);
            }
            // The other paragraphs of the cell follow the first.
            let rest = c
                .text
                .trim_start()
                .strip_prefix(p.text.trim_start())
                .unwrap_or("");
            Cow::Owned(format!("{first}{rest}"))
        }
        _ => Cow::Borrowed(&c.text),
    }
}

/// A cell that holds only a number of two levels or more ("1.1.1.",
/// "2.3"), as in a "Br." or "Мера" column; a single number is a row count.
pub(super) fn bare_code(text: &str) -> Option<&str> {
    let t = text.trim().trim_end_matches('.');
    let parts = t.split('.').count();
    // Codes count from 1: "0.00" is an amount.
    (parts >= 2
        && t.split('.').all(|p| {
            (1..=2).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_digit())
                && !p.starts_with('0')
        }))
    .then_some(t)
}

pub(super) fn code_depth(l: &Label) -> usize {
    l.code.as_deref().map_or(0, |c| c.split('.').count())
}

/// The plan element a row names: the most specific code among its label
/// cells (a "Br." cell "1.1.1" beside a merged goal cell "Posebni cilj 1.1:
/// …" or a repeated "Мера" column), numbers from Word list numbering
/// included. The first cell may be a bare numbered label ("1.1 Развој"); the
/// others count only as bare codes or labelled ("Masa 1.1"), so that a
/// deadline such as "2. kvartal" names nothing.
pub(super) fn row_label(cells: &[&Cell], r: labels::Reader<'_>) -> Option<Label> {
    let mut best: Option<Label> = None;
    for (k, c) in cells.iter().enumerate() {
        let text = cell_label_text(c);
        let found = match bare_code(&text) {
            Some(code) => Some(Label {
                kind: if code.split('.').count() >= 3 {
                    LabelKind::Activity
                } else {
                    LabelKind::Objective(ObjectiveKind::Objective)
                },
                code: Some(code.to_string()),
            }),
            None => labels::read(&text, k == 0, r),
        };
        if let Some(l) = found
            && best.as_ref().is_none_or(|b| code_depth(&l) > code_depth(b))
        {
            best = Some(l);
        }
    }
    best
}

/// Splits a source cell naming `n` sources into them: by lines, else before
/// each capitalized word that follows a lower-case one ("Општински буџет
/// Наменски трансфер са републичког нивоа").
pub(super) fn split_sources(s: &str, n: usize) -> Option<Vec<String>> {
    let lines: Vec<String> = s
        .lines()
        .map(collapse_whitespace)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() == n {
        return Some(lines);
    }
    let flat = collapse_whitespace(s);
    let words: Vec<&str> = flat.split(' ').collect();
    let mut parts: Vec<Vec<&str>> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let prev_lower = i > 0
            && words[i - 1]
                .chars()
                .last()
                .is_some_and(|c| c.is_lowercase());
        if parts.is_empty() || (capital && prev_lower) {
            parts.push(vec![w]);
        } else if let Some(p) = parts.last_mut() {
            p.push(w);
        }
    }
    (parts.len() == n).then(|| parts.into_iter().map(|p| p.join(" ")).collect())
}
