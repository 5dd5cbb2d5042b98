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
        let label = labels::parse(&text, false);
        // A heading numbered like an activity ("3.1.1. Zapošljavanje …")
        // opens a block too; it sets no goal context.
        let heading = label
            .is_none()
            .then(|| labels::parse(&text, true))
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
        let key = folded(name);
        if any(&key, &lexicon().source_header) && !any(&key, &lexicon().not_money) {
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
        if !announces_money(name) || any(&key, &lexicon().total_words) {
            return;
        }
        let nums: Vec<Number> = self
            .memo
            .amounts(value)
            .into_iter()
            .filter(|n| !is_rate(value, n))
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
        let sub = self.new_sub(outside, scale_of(name), false);
        placed.paragraph(i);
        for n in nums {
            let currency = n.currency.clone().or_else(|| currency_in(name));
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
            if let Some(scale) = scale_of(text) {
                let currency = currency_in(text);
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
        let mut draft: Option<Draft> = None;
        // A body table of the same width right after one whose budget
        // header was still open continues it.
        let mut header: Option<(Header, usize)> = match self.open.take() {
            Some((mut h, sub, width)) if t.depth == 0 && width == table.width() => {
                // Its header rows belong to the table above.
                h.rows.clear();
                Some((h, sub))
            }
            _ => None,
        };
        let mut loose: Vec<LooseRow> = Vec::new();
        let mut money_cols: MoneyCols = BTreeMap::new();
        // Columns naming the funding source of a matrix row ("Finansiranje",
        // "Izvor"), for the amounts under its money columns.
        let mut source_cols: BTreeSet<usize> = BTreeSet::new();
        // The last activity a row of this table named, and its row.
        let mut row_activity: Option<(Label, usize)> = None;
        let mut used = false;
        for (ri, row) in table.rows.iter().enumerate() {
            self.ctx.work.add(row.cells.len());
            let filled: Vec<(usize, &Cell)> = row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.text.trim().is_empty())
                .collect();
            if filled.is_empty() {
                continue;
            }
            let numeric = filled.iter().any(|(_, c)| {
                year_header(&c.text).is_none() && !self.memo.amounts(&c.text).is_empty()
            });
            let first_label = labels::parse(&cell_label_text(filled[0].1), false);
            // An activity named in a row of its own layout ("Aktivnost 1.1.1 |
            // …"), for the label–value rows below it.
            if let Some(l) = first_label
                .as_ref()
                .filter(|l| l.kind == LabelKind::Activity && l.code.is_some())
            {
                row_activity = Some((l.clone(), ri));
            }
            // A row naming a goal or measure and nothing else sets the context.
            if !numeric
                && let Some(l) = &first_label
                && matches!(l.kind, LabelKind::Objective(_))
                && filled.len() == 1
            {
                self.context = Some((l.clone(), 0));
                header = None;
                draft = None;
                placed.cell(ti, ri, filled[0].0);
                continue;
            }
            let money_in_header = header.as_ref().is_some_and(|(h, _)| {
                filled.iter().any(|(_, c)| {
                    h.cols.get(&c.col).is_some_and(Role::money)
                        && !self.memo.amounts(&c.text).is_empty()
                })
            });
            if !money_in_header && filled.len() >= 2 && !numeric_outside_years(&self.memo, &filled)
            {
                // Header-like: merge with the header rows right above.
                // A header is a few lines: a longer run of word rows is
                // text, and a draft kept only that short keeps each row's
                // look at it bounded (linear in the table).
                let d = match draft.take() {
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
                    if end > c.col + 1 && announces_money(&c.text) {
                        d.spans.push((ri, c.col, end));
                    }
                }
                d.rows.push(ri);
                let found = evaluate(&d, &caption, self.period)
                    .or_else(|| self.header_by_content(&d, &caption, table, ri));
                match found {
                    Some(mut h) => {
                        self.amounts_by_content(&mut h, &d, table, ri);
                        // A budget table without a unit of its own takes
                        // a statement right before it; a distant one is
                        // weaker than the marked table above (see
                        // `resolve_scales`).
                        if let Some((scale, currency, true)) = &statement {
                            if h.scale.is_none() {
                                self.unit_from_text(ti, *scale, table);
                            }
                            h.scale = h.scale.or(Some(*scale));
                            h.currency = h.currency.take().or_else(|| currency.clone());
                        }
                        let sub = self.new_sub(ti, h.scale, true);
                        header = Some((h, sub));
                        money_cols.clear();
                    }
                    None => {
                        // A text row under a live header ends it, unless it
                        // is an activity row without amounts.
                        let activity_row = labels::parse(&cell_label_text(filled[0].1), true)
                            .is_some_and(|l| l.kind == LabelKind::Activity);
                        if !activity_row {
                            header = None;
                        }
                    }
                }
                if header.is_none() {
                    // A matrix header naming a money column with its unit
                    // or currency ("Буџет (у 000 РСД)").
                    // Only a row that reads as a header: short cells, no
                    // goal or activity label (a text row of the matrix may
                    // well say "Буџет општине").
                    let header_like = labels::parse(&cell_label_text(filled[0].1), true).is_none()
                        && filled
                            .iter()
                            .all(|(_, c)| c.text.split_whitespace().count() <= 12);
                    if d.all.iter().any(|t| any(&folded(t), &lexicon().not_budget)) {
                        money_cols.clear();
                    } else if header_like {
                        let mut cols = money_columns(&filled, &d, &caption, self.period);
                        if !cols.is_empty() {
                            source_cols = filled
                                .iter()
                                .filter(|(_, c)| {
                                    let key = folded(&c.text);
                                    any(&key, &lexicon().source_header)
                                        && !any(&key, &lexicon().not_money)
                                })
                                .map(|(_, c)| c.col)
                                .collect();
                        }
                        if let Some((scale, currency, _)) = &statement {
                            if cols.values().any(|(s, _)| s.is_none()) {
                                self.unit_from_text(ti, *scale, table);
                            }
                            for (s, c) in cols.values_mut() {
                                *s = s.or(Some(*scale));
                                *c = c.take().or_else(|| currency.clone());
                            }
                        }
                        if !cols.is_empty() {
                            money_cols = cols;
                        }
                    }
                    // A text row may still open a money cell continued below
                    // ("БУЏЕТ" above the amounts of a row split by a page
                    // break).
                    if let Some(lr) = self.loose_row(ri, row, &money_cols, &source_cols) {
                        loose.push(with_row_activity(lr, row_activity.as_ref()));
                    }
                }
                draft = Some(d);
                continue;
            }
            draft = None;
            if let Some((h, sub)) = &header
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
                used = true;
                continue;
            }
            // Amounts with a currency anywhere else.
            if let Some(lr) = self.loose_row(ri, row, &money_cols, &source_cols) {
                loose.push(with_row_activity(lr, row_activity.as_ref()));
            }
        }
        if loose.iter().any(|r| !r.amounts.is_empty()) {
            let scale = money_cols.values().find_map(|(s, _)| *s);
            let sub = self.new_sub(ti, scale, false);
            self.loose_rows(ti, sub, loose);
        }
        if t.depth == 0 {
            self.open = header.map(|(h, sub)| (h, sub, table.width()));
        }
        if used && !placed.roles.contains_key(&ti) {
            placed.role(ti, crate::extract::record::TableRole::Budget);
        }
    }

    /// Columns of funding sources that the lexicon does not know ("MFPT",
    /// "Међународни пројекти", "Grad" beside "Ministarstvo"): in a header
    /// whose other columns are sources, a column whose every cell below is
    /// an amount is one more source. The row-label column stays a label.
    pub(super) fn amounts_by_content(
        &self,
        h: &mut Header,
        d: &Draft,
        table: &crate::model::Table,
        ri: usize,
    ) {
        let sources = h.cols.values().any(|r| matches!(r, Role::Amount(Some(_))));
        let years = h.cols.values().any(|r| matches!(r, Role::Year(_)));
        if !sources || years {
            return;
        }
        let first_label = h
            .cols
            .iter()
            .find(|(_, r)| **r == Role::Label)
            .map(|(c, _)| *c);
        let candidates: Vec<usize> = h
            .cols
            .iter()
            .filter(|(c, r)| **r == Role::Label && Some(**c) != first_label)
            .map(|(c, _)| *c)
            .collect();
        for col in candidates {
            if self.column_of_amounts(table, ri, col)
                && let Some(text) = d.texts.get(&col)
            {
                h.cols
                    .insert(col, Role::Amount(Some(collapse_whitespace(text))));
            }
        }
    }

    /// Whether the cells of a grid column below header row `ri` are
    /// amounts, one each, and there is at least one.
    pub(super) fn column_of_amounts(
        &self,
        table: &crate::model::Table,
        ri: usize,
        col: usize,
    ) -> bool {
        let mut seen = 0usize;
        // A bounded look below: a header repeated down a long table must not
        // make this quadratic.
        let all = table
            .rows
            .iter()
            .skip(ri + 1)
            .take(CONTENT_ROWS)
            .all(|row| {
                row.cells
                    .iter()
                    .filter(|c| c.col == col && !c.text.trim().is_empty())
                    .all(|c| {
                        seen += 1;
                        self.pure_amount(&c.text)
                    })
            });
        all && seen > 0
    }

    /// A header no word marks as a budget, in a table about money (its
    /// caption or header states a currency or a unit), whose columns
    /// hold amounts: "Prioritetna oblast | Grad | Pokrajina | Svega" under
    /// "Finansijski okvir (u dinarima)". The first column labels the rows;
    /// each other column of amounts is a source, or the total.
    pub(super) fn header_by_content(
        &self,
        d: &Draft,
        caption: &[String],
        table: &crate::model::Table,
        ri: usize,
    ) -> Option<Header> {
        let lx = lexicon();
        if d.all
            .iter()
            .any(|t| any(&folded(t), &lx.not_budget) || year_header(t).is_some())
        {
            return None;
        }
        // A unit or currency stated for the table, not a money word in
        // passing ("financed from the Republic's budget" over counts).
        let money = |t: &String| currency_in(t).is_some() || scale_of(t).is_some();
        if !(caption.iter().any(money) || d.all.iter().any(money)) {
            return None;
        }
        let first = *d.texts.keys().next()?;
        // A column the words call money ("Финансијска средства (РСД)") is
        // a matrix's money column, read row by row as such.
        if d.texts
            .iter()
            .any(|(col, t)| *col != first && announces_money(t))
        {
            return None;
        }
        let mut cols = BTreeMap::new();
        let (mut amounts, mut totals) = (0usize, 0usize);
        for (&col, text) in &d.texts {
            let role = if col == first {
                Role::Label
            } else if any(&folded(text), &lx.not_money) {
                Role::Skip
            } else if self.column_of_amounts(table, ri, col) {
                if is_total(text) {
                    totals += 1;
                    Role::Total
                } else {
                    amounts += 1;
                    Role::Amount(Some(collapse_whitespace(text)))
                }
            } else {
                Role::Label
            };
            cols.insert(col, role);
        }
        if amounts == 0 || amounts + totals < 2 {
            return None;
        }
        Some(Header {
            cols,
            named: BTreeSet::new(),
            rows_are_sources: false,
            scale: d.all.iter().chain(caption).find_map(|t| scale_of(t)),
            currency: d.all.iter().chain(caption).find_map(|t| currency_in(t)),
            rows: d.rows.clone(),
        })
    }

    /// A cell that is one amount and nothing else (a currency at most).
    pub(super) fn pure_amount(&self, text: &str) -> bool {
        let nums = self.memo.amounts(text);
        // "1.1" in a measure column is a code.
        bare_code(text).is_none()
            && nums.len() == 1
            && !self.memo.has_percent(text)
            && year_header(text).is_none()
            && (!text.chars().any(char::is_alphabetic)
                || (text.split_whitespace().count() <= 2 && currency_in(text).is_some()))
    }

    pub(super) fn budget_row(
        &mut self,
        ti: usize,
        ri: usize,
        row: &Row,
        h: &Header,
        sub: usize,
        placed: &mut Placed,
    ) {
        let mut label_cell: Option<(usize, &Cell)> = None;
        let mut label_cells: Vec<&Cell> = Vec::new();
        let mut skipped: Vec<&Cell> = Vec::new();
        let mut source_cell: Option<(usize, &Cell)> = None;
        let mut money: Vec<(usize, &Cell, Role)> = Vec::new();
        for (ci, c) in row.cells.iter().enumerate() {
            if c.text.trim().is_empty() {
                continue;
            }
            match h.cols.get(&c.col).cloned().unwrap_or(Role::Label) {
                Role::Label => {
                    if label_cell.is_none() {
                        label_cell = Some((ci, c));
                    }
                    label_cells.push(c);
                }
                Role::Source => source_cell = Some((ci, c)),
                // A code may stand in a column no amount comes from
                // ("Šifra").
                Role::Skip => skipped.push(c),
                r => money.push((ci, c, r)),
            }
        }
        // A year as the row label: years run down the rows.
        let row_year = label_cell.and_then(|(_, c)| year_header(&c.text));
        let mut own = if row_year.is_none() {
            label_cells.extend(skipped);
            row_label(&label_cells)
        } else {
            None
        };
        let mut total = label_cell.is_some_and(|(_, c)| is_total(&c.text));
        // "Укупно за меру 1.1": the total of that element.
        if let Some(inner) = label_cell.and_then(|(_, c)| total_of(&c.text)) {
            total = true;
            own = Some(inner);
        }
        let mut source_text = source_cell.map(|(_, c)| c.text.clone());
        if source_text.as_deref().is_some_and(is_total) {
            total = true;
            source_text = None;
        }
        if let Some((ci, _)) = label_cell
            && (own.is_some() || total)
        {
            placed.cell(ti, ri, ci);
        }
        if let Some((ci, _)) = source_cell {
            placed.cell(ti, ri, ci);
        }
        for (ci, c, role) in money {
            if self.memo.has_percent(&c.text) {
                continue;
            }
            let nums = self.memo.amounts(&c.text);
            if nums.is_empty() {
                continue;
            }
            placed.cell(ti, ri, ci);
            let (source, year) = match &role {
                Role::Year(y) => (source_text.clone(), Some(*y)),
                Role::Amount(s) => (s.clone(), row_year),
                // A total column keeps the row's source: the rows are
                // sources, or each row has its own total. A total that only
                // the first row of a group carries (a merged cell) spans all
                // sources and loses it in `resolve_parents`.
                _ => (source_text.clone(), row_year),
            };
            let total_col = matches!(role, Role::Total) && !h.rows_are_sources;
            // Several amounts in one cell go with as many sources in the
            // source cell, in order ("500 1.600" under "Општински буџет
            // Наменски трансфер…").
            let sources = match (&role, &source) {
                (Role::Year(_), Some(s)) if nums.len() > 1 => {
                    let parts = split_sources(s, nums.len());
                    if parts.is_none() {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Level::Warning,
                                "budget_sources_unsplit",
                                format!(
                                    "{} amounts in one cell but their sources could not be told apart in {:?}; each keeps the whole source",
                                    nums.len(),
                                    collapse_whitespace(s)
                                ),
                            )
                            .at(c.provenance.clone()),
                        );
                    }
                    parts
                }
                _ => None,
            };
            for (k, n) in nums.into_iter().enumerate() {
                let src = match &sources {
                    Some(parts) => parts.get(k).cloned(),
                    None => source.as_deref().map(collapse_whitespace),
                };
                let currency = n.currency.clone().or_else(|| h.currency.clone());
                // An uncoded row under an activity or goal column is named
                // by its words.
                let text = label_cell
                    .filter(|(_, c)| own.is_none() && !total && h.named.contains(&c.col))
                    .map(|(_, c)| collapse_whitespace(&c.text));
                self.entries.push(Entry {
                    sub,
                    table: ti,
                    row: ri,
                    own: own.clone(),
                    total,
                    text,
                    source: src.filter(|s| !s.is_empty()),
                    year,
                    total_col,
                    total_role: matches!(role, Role::Total),
                    money_col: false,
                    loose: None,
                    number: n,
                    currency,
                    provenance: c.provenance.clone(),
                    parent: None,
                    activity: None,
                });
            }
        }
    }

    /// A row of a table without a budget header: its label cell, bulleted
    /// list and amounts that name a currency.
    pub(super) fn loose_row(
        &self,
        ri: usize,
        row: &Row,
        money_cols: &MoneyCols,
        source_cols: &BTreeSet<usize>,
    ) -> Option<LooseRow> {
        // The row's own source cell, for amounts whose words name none.
        let row_source = row
            .cells
            .iter()
            .find(|c| {
                source_cols.contains(&c.col)
                    && !money_cols.contains_key(&c.col)
                    && !c.text.trim().is_empty()
            })
            .map(|c| collapse_whitespace(&c.text));
        let mut lr = LooseRow {
            row: ri,
            label_text: String::new(),
            label: None,
            context: self.live_context(),
            bullets: Vec::new(),
            amounts: Vec::new(),
            money_cell: false,
            total: false,
            label_value: false,
        };
        let first = row.cells.iter().position(|c| !c.text.trim().is_empty())?;
        // "Budžet:" as a row's label: the cells beside it are its amount.
        // Only a label of words: "6. Budžet plana | 15" is a line of a
        // table of contents.
        lr.label_value = row.cells.get(first).is_some_and(|c| {
            c.text.split_whitespace().count() <= 3
                && !c.text.chars().any(|ch| ch.is_ascii_digit())
                && announces_money(c.text.trim().trim_end_matches(':'))
        });
        let mut in_column = false;
        let mut money_cell_idx = None;
        for (ci, c) in row.cells.iter().enumerate() {
            // Under a money column ("Буџет (у 000 РСД)") plain numbers are
            // amounts; elsewhere only amounts that name a currency.
            let column = money_cols.get(&c.col);
            let nums: Vec<Number> = self
                .memo
                .amounts(&c.text)
                .into_iter()
                .filter(|n| {
                    ((column.is_some() || lr.label_value) && ci != first && n.kind != Kind::Count)
                        || (n.kind == Kind::Money && n.currency.is_some() && !is_rate(&c.text, n))
                })
                .collect();
            // Folding is the costly test: only a short cell that is not the
            // label may announce a budget.
            let announces = || {
                c.text.split_whitespace().count() <= 2
                    && any(&folded(&c.text), &lexicon().money_header)
            };
            if !nums.is_empty() || (ci != first && announces()) {
                lr.money_cell = true;
                in_column |= column.is_some() && !nums.is_empty();
                money_cell_idx = Some(ci);
                // Words before an amount say where the money comes from
                // ("Финансирање из ЛС …"), unless they only announce a budget
                // ("БУЏЕТ").
                let mut from = 0;
                for n in nums {
                    let at = n.start.min(c.text.len()).max(from);
                    let before = c
                        .text
                        .get(from..at)
                        .unwrap_or_default()
                        .trim_matches(|ch: char| {
                            ch.is_whitespace() || matches!(ch, ',' | ';' | ':' | '-' | '–' | '+')
                        })
                        .to_string();
                    from = n.end.min(c.text.len()).max(at);
                    let announces_only = before.split_whitespace().count() <= 2
                        && any(&folded(&before), &lexicon().money_header);
                    let source = (!before.is_empty() && !announces_only)
                        .then(|| collapse_whitespace(&before))
                        .or_else(|| column.and(row_source.clone()));
                    let currency = n
                        .currency
                        .clone()
                        .or_else(|| column.and_then(|(_, cur)| cur.clone()));
                    lr.amounts.push((
                        n,
                        ri,
                        ci,
                        c.provenance.clone(),
                        source,
                        currency,
                        column.is_some(),
                    ));
                }
            }
        }
        let label_cells: Vec<&Cell> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(ci, c)| {
                *ci >= first && Some(*ci) != money_cell_idx && !c.text.trim().is_empty()
            })
            .map(|(_, c)| c)
            .collect();
        lr.label = row_label(&label_cells);
        if in_column && let Some(c) = row.cells.get(first) {
            if let Some(inner) = total_of(&c.text) {
                lr.total = true;
                lr.label = Some(inner);
            } else if is_total(&c.text) {
                lr.total = true;
                lr.label = None;
            }
        }
        for (ci, c) in row.cells.iter().enumerate() {
            if Some(ci) == money_cell_idx {
                continue;
            }
            if ci == first {
                lr.label_text = collapse_whitespace(&c.text);
                continue;
            }
            let items: Vec<&crate::model::Paragraph> = c
                .paragraphs
                .iter()
                .filter(|p| p.list.is_some() && !p.text.trim().is_empty())
                .collect();
            if !lr.bullets.is_empty() {
                continue;
            }
            if !items.is_empty() {
                for p in items {
                    lr.bullets.push(collapse_whitespace(&p.text));
                }
            } else {
                // Lines opened by a bullet sign typed as text ("- …", "• …").
                let marked: Vec<String> = c
                    .text
                    .lines()
                    .filter_map(|l| {
                        let t = l.trim_start();
                        let rest = t.strip_prefix(['-', '–', '•', '·', '✓', '*', '▪', '○', '►'])?;
                        let rest = collapse_whitespace(rest);
                        (!rest.is_empty()).then_some(rest)
                    })
                    .collect();
                if marked.len() >= 2 {
                    lr.bullets = marked;
                }
            }
        }
        lr.money_cell.then_some(lr)
    }

    pub(super) fn loose_rows(&mut self, ti: usize, sub: usize, rows: Vec<LooseRow>) {
        // Rows split by a page break: a row whose label starts in lower case
        // continues the one above.
        let mut merged: Vec<LooseRow> = Vec::new();
        for r in rows {
            let continues = r.label_text.chars().next().is_some_and(char::is_lowercase)
                && merged.last().is_some_and(|p| p.row + 1 == r.row);
            match merged.last_mut() {
                Some(prev) if continues => {
                    prev.row = r.row;
                    prev.bullets.extend(r.bullets);
                    prev.amounts.extend(r.amounts);
                }
                _ => merged.push(r),
            }
        }
        for r in merged {
            if r.amounts.is_empty() {
                continue;
            }
            let paired = !r.bullets.is_empty() && (r.bullets.len() > 1 || r.amounts.len() > 1);
            if paired && r.bullets.len() != r.amounts.len() {
                let prov = r.amounts[0].3.clone();
                self.diagnostics.push(
                    Diagnostic::new(
                        Level::Warning,
                        "budget_list_mismatch",
                        format!(
                            "{} listed activities but {} amounts in the row of {:?}; paired in order, the rest kept without an activity",
                            r.bullets.len(),
                            r.amounts.len(),
                            r.label_text
                        ),
                    )
                    .at(prov),
                );
            }
            for (k, (n, ri, ci, prov, source, currency, money_col)) in
                r.amounts.into_iter().enumerate()
            {
                let item = if paired {
                    r.bullets.get(k).cloned()
                } else {
                    None
                };
                let own_item = item.as_deref().and_then(|t| labels::parse(t, true));
                let (own, text) = match (own_item, item) {
                    // A total row names its element or none.
                    _ if r.total => (r.label.clone(), None),
                    // An unlabelled row under "МЕРА 1.2" belongs to it.
                    (None, item) if r.label.is_none() && r.context.is_some() => (
                        r.context.clone(),
                        item.or_else(|| (!r.label_text.is_empty()).then(|| r.label_text.clone())),
                    ),
                    (Some(l), _) => (Some(l), None),
                    (None, Some(t)) => (r.label.clone(), Some(t)),
                    (None, None) => (
                        r.label.clone(),
                        (r.label.is_none() && !r.label_text.is_empty())
                            .then(|| r.label_text.clone()),
                    ),
                };
                self.entries.push(Entry {
                    sub,
                    table: ti,
                    row: ri,
                    own,
                    total: r.total,
                    text,
                    source,
                    year: None,
                    total_col: false,
                    total_role: false,
                    money_col,
                    loose: Some((ti, ri, ci)),
                    number: n,
                    currency,
                    provenance: prov,
                    parent: None,
                    activity: None,
                });
            }
        }
    }
}

pub(super) type LooseAmount = (
    Number,
    usize,
    usize,
    Provenance,
    Option<String>,
    Option<String>,
    bool,
);

/// Money columns of a matrix by grid column: scale and currency of their
/// header.
pub(super) type MoneyCols = BTreeMap<usize, (Option<u32>, Option<String>)>;

pub(super) struct LooseRow {
    pub(super) row: usize,
    pub(super) label_text: String,
    pub(super) label: Option<Label>,
    /// The goal or measure in force at this row (a label row or paragraph
    /// above), for rows that name none themselves.
    pub(super) context: Option<Label>,
    pub(super) bullets: Vec<String>,
    /// `(amount, row index, cell index, provenance, source words, currency)`.
    pub(super) amounts: Vec<LooseAmount>,
    pub(super) money_cell: bool,
    /// A total row ("Ukupno za strateški pravac 1") under a money column:
    /// its amounts are kept, marked, even when they name no element.
    pub(super) total: bool,
    /// A label–value row: its first cell only announces money ("Budžet |
    /// 4,8 miliona dinara").
    pub(super) label_value: bool,
}

/// How many rows below its label row a label–value row of a table still
/// belongs to that activity.
const ROW_BLOCK_REACH: usize = 12;

/// A label–value row ("Budžet | 4,8 miliona dinara") that names no element
/// belongs to the activity a row above named ("Aktivnost 1.1.1 | …").
fn with_row_activity(mut lr: LooseRow, activity: Option<&(Label, usize)>) -> LooseRow {
    if lr.label_value
        && lr.label.is_none()
        && let Some((l, at)) = activity
        && lr.row.saturating_sub(*at) <= ROW_BLOCK_REACH
    {
        lr.label = Some(l.clone());
    }
    lr
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
pub(super) fn row_label(cells: &[&Cell]) -> Option<Label> {
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
            None => labels::parse(&text, k == 0),
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
