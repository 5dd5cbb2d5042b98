//! One table read row by row against its last header: which rows are
//! headers, goal rows, title rows, activity, indicator or statement rows;
//! header-less goal tables with bulleted activities.

use super::activities::ActRun;
use super::indicators::IndRun;
use super::*;

/// What reading one table carries from row to row.
struct TableRead {
    /// The last matrix header and the last indicator header.
    hdr: Option<Header>,
    ind: Option<IndHeader>,
    mode: Mode,
    act_run: ActRun,
    ind_run: IndRun,
    /// Cells read, as (grid row, grid column).
    used: Vec<(usize, usize)>,
    goal_list: Option<(usize, usize)>,
    bullets: Option<Bullets>,
    stated_cols: Vec<Option<String>>,
    /// Folded texts of title rows met above headers.
    titles: HashSet<String>,
    /// The last non-empty row was a header (its second line may follow).
    after_header: bool,
}

/// A row with some text.
fn nonempty(r: &[GCell]) -> bool {
    r.iter().any(|c| !c.text.is_empty())
}

impl Pass<'_, '_> {
    /// Reads the tables nested in the cells of row `ri`.
    pub(super) fn nested(&mut self, table: &Table, ri: usize, placed: &mut Placed) {
        let Some(row) = table.rows.get(ri) else {
            return;
        };
        for c in &row.cells {
            for b in &c.blocks {
                if let crate::model::Block::Table(nt) = b
                    && let Some(tr) = self.ctx.tables.iter().find(|t| {
                        self.ctx.work.add(1);
                        std::ptr::eq(t.table, nt)
                    })
                {
                    self.table(tr.index, nt, placed);
                }
            }
        }
    }

    pub(super) fn table(&mut self, ti: usize, table: &Table, placed: &mut Placed) {
        self.block = None;
        let saved = (self.owner, self.table_goal);
        self.owner = self.caption_of(ti).and_then(|c| self.caption_owner(c));
        self.table_goal = false;
        self.table_rows(ti, table, placed);
        (self.owner, self.table_goal) = saved;
    }

    /// Reads a table row by row: each row is, in this order of tests, a
    /// goal row, a row of statements, a header, a goal-list or bullet row,
    /// a header's second line, a title row, or a row of the current mode
    /// (statements, indicators, activities).
    pub(super) fn table_rows(&mut self, ti: usize, table: &Table, placed: &mut Placed) {
        let g = grid(table);
        let mut st = self.table_start(&g);
        let acts_before = self.acts.len();
        let inds_before = self.inds.len();
        for ri in 0..g.len() {
            if ri > 0 {
                self.nested(table, ri - 1, placed);
            }
            let row = &g[ri];
            self.ctx.work.add(row.len());
            if !nonempty(row) || is_separator(row) {
                continue;
            }
            self.table_row(&mut st, &g, ri);
        }
        let TableRead {
            hdr,
            mut used,
            mut bullets,
            ..
        } = st;
        if let Some(b) = bullets.take() {
            self.flush_bullets(b, &mut used);
        }
        if !g.is_empty() {
            self.nested(table, g.len() - 1, placed);
        }
        if let Some(h) = hdr {
            self.last_hdr = Some((g.first().map_or(0, Vec::len), h));
        }
        for (ri, k) in used {
            if let Some(ci) = g[ri][k].ci {
                placed.cell(ti, ri, ci);
            }
        }
        if self.acts.len() > acts_before {
            placed.role(ti, crate::extract::record::TableRole::Matrix);
        } else if self.inds.len() > inds_before {
            placed.role(ti, crate::extract::record::TableRole::Indicators);
        }
    }

    /// The state a table starts with: a matrix continued from the table
    /// before (same width, rows with labelled activity numbers, no header
    /// of its own) keeps that table's header.
    fn table_start(&self, g: &[Vec<GCell>]) -> TableRead {
        let mut hdr: Option<Header> = None;
        let mut mode = Mode::None;
        if let Some((w, h)) = self.last_hdr.clone()
            && w == g.first().map_or(0, Vec::len)
            && g.iter()
                .position(|r| r.iter().any(|c| !c.empty()))
                .is_some_and(|ri| self.activity_header(g, ri, None).is_none())
            && g.iter().flatten().any(|c| {
                c.own() && labels::activity(&c.text, self.ctx.labels(), false).is_some_and(|a| a.1)
            })
        {
            hdr = Some(h);
            mode = Mode::Activities;
        }
        TableRead {
            hdr,
            ind: None,
            mode,
            act_run: ActRun::default(),
            ind_run: IndRun::default(),
            used: Vec::new(),
            goal_list: None,
            bullets: None,
            stated_cols: Vec::new(),
            titles: HashSet::new(),
            after_header: false,
        }
    }

    /// One non-empty row of a table: the first step that takes it reads it.
    fn table_row(&mut self, st: &mut TableRead, g: &[Vec<GCell>], ri: usize) {
        let row = &g[ri];
        let owned: Vec<usize> = (0..row.len()).filter(|&k| row[k].own()).collect();
        let header_line_2 = std::mem::take(&mut st.after_header);
        if self.goal_row(st, ri, row, &owned)
            || self.statements_row(st, ri, row, &owned)
            || self.header_row(st, g, ri, &owned)
            || self.goal_list_or_bullets(st, ri, row, &owned)
            || (header_line_2 && self.header_line_2(st, ri, row, &owned))
            || self.title_row(st, g, ri, &owned)
        {
            return;
        }
        self.mode_row(st, g, ri);
    }

    /// A row that only announces a goal.
    fn goal_row(&mut self, st: &mut TableRead, ri: usize, row: &[GCell], owned: &[usize]) -> bool {
        let TableRead {
            hdr,
            mode,
            act_run,
            ind_run,
            used,
            ..
        } = st;
        if owned.len() == 1 && row.iter().filter(|c| !c.empty()).count() == 1 {
            let c = &row[owned[0]];
            if let Some(l) = labels::objective(&c.text, self.ctx.labels()) {
                self.open_cell(l.kind, l.code, &l.text, &c.provenance);
                used.push((ri, owned[0]));
                ind_run.pending.clear();
                act_run.last_act = None;
                if matches!(mode, Mode::Indicators | Mode::Stated) {
                    *mode = if hdr.is_some() {
                        Mode::Activities
                    } else {
                        Mode::None
                    };
                }
                return true;
            }
        }
        false
    }

    /// Statements about the enclosing goal or measure, a row of
    /// "Label: value" cells ("Период спровођења мере: …").
    fn statements_row(
        &mut self,
        st: &mut TableRead,
        ri: usize,
        row: &[GCell],
        owned: &[usize],
    ) -> bool {
        let used = &mut st.used;
        if !owned.is_empty() {
            let stated: Vec<(usize, String, String)> = owned
                .iter()
                .filter_map(|&k| self.stated(&row[k].text).map(|(f, v)| (k, f, v)))
                .collect();
            if stated.len() == owned.len() {
                for (k, f, v) in stated {
                    if self.state(&f, &v, &row[k].provenance) {
                        used.push((ri, k));
                    }
                }
                return true;
            }
        }
        false
    }

    /// A header row: of a measure's own table, of an activity matrix, of
    /// an indicator table, or of a table of other things.
    fn header_row(
        &mut self,
        st: &mut TableRead,
        g: &[Vec<GCell>],
        ri: usize,
        owned: &[usize],
    ) -> bool {
        let row = &g[ri];
        let TableRead {
            hdr,
            ind,
            mode,
            act_run,
            ind_run,
            used,
            goal_list,
            stated_cols,
            after_header,
            ..
        } = st;
        // The header of a measure's own table: its columns are fields
        // of the measure.
        if let Some(cols) = self.stated_header(row) {
            for &k in owned {
                if cols[k].is_some() {
                    used.push((ri, k));
                }
            }
            *stated_cols = cols;
            *mode = Mode::Stated;
            *after_header = true;
            return true;
        }
        if let Some(h) = self.activity_header(g, ri, hdr.as_ref()) {
            for &k in owned {
                used.push((ri, k));
                if h.roles[k] == Some(Role::Priority)
                    && let Some(l) = labels::objective(&row[k].text, self.ctx.labels())
                    && l.code.is_some()
                {
                    act_run.pending_priority = l.code;
                }
            }
            self.report_unknown(row, &h);
            if h.inferred {
                self.diags.push(
                    Diagnostic::new(
                        Level::Info,
                        "activity_column_inferred",
                        format!(
                            "no column is headed as the activity; {:?} holds sentences and is read as it",
                            row[h.activity].text
                        ),
                    )
                    .at(row[h.activity].provenance.clone()),
                );
            }
            *hdr = Some(h);
            *mode = Mode::Activities;
            *after_header = true;
            return true;
        }
        if let Some(h) = self.indicator_header(g, ri) {
            for &k in owned {
                if h.cols
                    .iter()
                    .any(|c| c.col == Some(k) && c.role == IndRole::Other)
                {
                    self.diags.push(
                        Diagnostic::new(
                            Level::Warning,
                            "unknown_header",
                            format!(
                                "indicator column header not in the lexicon: {:?}",
                                row[k].text
                            ),
                        )
                        .at(row[k].provenance.clone()),
                    );
                } else {
                    used.push((ri, k));
                }
            }
            *ind = Some(h);
            *mode = Mode::Indicators;
            ind_run.pending.clear();
            ind_run.block.clear();
            *after_header = true;
            return true;
        }
        if self.other_header(row) {
            *mode = Mode::None;
            *goal_list = None;
            *after_header = true;
            return true;
        }
        false
    }

    /// Goals listed under a row header, or numbered goals with their
    /// activities as a bullet list.
    fn goal_list_or_bullets(
        &mut self,
        st: &mut TableRead,
        ri: usize,
        row: &[GCell],
        owned: &[usize],
    ) -> bool {
        let TableRead {
            mode,
            used,
            goal_list,
            bullets,
            ..
        } = st;
        // Goals listed under a row header ("Доприноси остварењу
        // циљева | goal"), one per row.
        if *mode != Mode::Indicators
            && let Some(g) = self.goal_list_row(row, owned, goal_list)
        {
            for k in g {
                used.push((ri, k));
            }
            return true;
        }
        *goal_list = None;
        // Numbered goals with their activities as a bullet list.
        if *mode == Mode::None && self.bullet_row(ri, row, owned, bullets, used) {
            return true;
        }
        false
    }

    /// The second line of a header (the row right after one).
    fn header_line_2(
        &mut self,
        st: &mut TableRead,
        ri: usize,
        row: &[GCell],
        owned: &[usize],
    ) -> bool {
        let TableRead {
            hdr,
            ind,
            mode,
            used,
            ..
        } = st;
        // Years alone under a header: its second line.
        if !owned.is_empty() && owned.iter().all(|&k| is_year_cell(&row[k].text)) {
            // Years on a second header line give value columns theirs.
            if *mode == Mode::Indicators
                && let Some(h) = ind.as_mut()
            {
                for c in h.cols.iter_mut().filter(|c| c.year.is_none()) {
                    if let Some(k) = c.col
                        && row[k].own()
                    {
                        c.year = fields::years(&row[k].text).first().copied();
                        c.header = format!("{} {}", c.header, row[k].text);
                    }
                }
            }
            // Under a matrix header they head per-year amount columns.
            if *mode == Mode::Activities
                && let Some(h) = hdr.as_mut()
            {
                for &k in owned {
                    if h.roles[k].is_none() {
                        h.roles[k] = Some(Role::Amounts);
                    }
                }
            }
            if *mode != Mode::None {
                for &k in owned {
                    used.push((ri, k));
                }
            }
            return true;
        }
        // The second line of a two-row matrix header: the parts of a
        // money column ("Iznos (din.)" over Grad / Pokrajina / Ukupno,
        // "Budžet (€)" over years and Ukupno), short words or years
        // under the money cell and the empty cells it spans. Each part
        // is a money column of its own, read by the budget pass.
        if *mode == Mode::Activities
            && let Some(h) = hdr.as_mut()
            && let Some(cols) = money_parts(row, owned, h)
        {
            for k in cols {
                h.roles[k] = Some(Role::Amounts);
                used.push((ri, k));
            }
            return true;
        }
        false
    }

    /// A title row repeated above each header of a long matrix: words
    /// only (a row of several cells with numbers right above a header
    /// is data), or one cell alone that numbers no activity ("AKCIONI
    /// PLAN 2024–2026"); once seen, the same title is skipped wherever
    /// the page breaks put it.
    fn title_row(
        &mut self,
        st: &mut TableRead,
        g: &[Vec<GCell>],
        ri: usize,
        owned: &[usize],
    ) -> bool {
        let row = &g[ri];
        let TableRead { hdr, titles, .. } = st;
        let single = owned.len() == 1
            && row.iter().filter(|c| !c.empty()).count() == 1
            && labels::activity(&row[owned[0]].text, self.ctx.labels(), true).is_none()
            && !starts_lowercase(&row[owned[0]].text);
        if single && titles.contains(&*self.ctx.fold_key(&row[owned[0]].text)) {
            return true;
        }
        if (single
            || !owned
                .iter()
                .any(|&k| row[k].text.chars().any(|c| c.is_ascii_digit())))
            && let Some(next) = (ri + 1..g.len()).find(|&n| nonempty(&g[n]) && !is_separator(&g[n]))
            && self.activity_header(g, next, hdr.as_ref()).is_some()
        {
            if single {
                titles.insert(self.ctx.fold_key(&row[owned[0]].text).to_string());
            }
            return true;
        }
        false
    }

    /// A data row, read as the current mode says: statements, an
    /// indicator (a row that is none falls back to the matrix), an
    /// activity.
    fn mode_row(&mut self, st: &mut TableRead, g: &[Vec<GCell>], ri: usize) {
        let row = &g[ri];
        let TableRead {
            hdr,
            ind,
            mode,
            act_run,
            ind_run,
            used,
            stated_cols,
            ..
        } = st;
        if *mode == Mode::Stated {
            self.stated_row(ri, row, stated_cols, used);
            return;
        }
        if *mode == Mode::Indicators
            && let Some(h) = ind.as_mut()
        {
            let done = self.indicator_row(ri, g, h, ind_run, used);
            if done {
                return;
            }
            *mode = if hdr.is_some() {
                Mode::Activities
            } else {
                Mode::None
            };
        }
        if *mode == Mode::Activities
            && let Some(h) = hdr.as_ref()
        {
            self.activity_row(ri, row, h, act_run, used);
        }
    }

    /// A row of a measure's own table: its cells under field columns are
    /// fields of the innermost open goal (amounts are the budget pass's).
    pub(super) fn stated_row(
        &mut self,
        ri: usize,
        row: &[GCell],
        cols: &[Option<String>],
        used: &mut Vec<(usize, usize)>,
    ) {
        for (k, c) in row.iter().enumerate() {
            let Some(Some(f)) = cols.get(k) else {
                continue;
            };
            if c.own() && self.state(f, &c.text, &c.provenance) {
                used.push((ri, k));
            }
        }
    }

    /// A goal listed under a row header: the header cell and one goal text
    /// beside it, or (on the rows below) the next goal alone in the same
    /// column. Returns the grid columns used.
    pub(super) fn goal_list_row(
        &mut self,
        row: &[GCell],
        owned: &[usize],
        list: &mut Option<(usize, usize)>,
    ) -> Option<Vec<usize>> {
        let filled: Vec<usize> = (0..row.len()).filter(|&k| row[k].own()).collect();
        let (col, used, group) = if filled.len() == 2
            && owned.contains(&filled[0])
            && owned.contains(&filled[1])
            && labels::objective(&row[filled[0]].text, self.ctx.labels()).is_none()
            && self.cell_role(&row[filled[0]]) == Some(Role::Goal)
            && self.cell_role(&row[filled[1]]).is_none()
            && row[filled[1]]
                .text
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 3
        {
            (filled[1], filled.clone(), None)
        } else if let Some((col, group)) = *list
            && filled == [col]
            && owned.contains(&col)
        {
            (col, vec![col], Some(group))
        } else {
            return None;
        };
        let c = &row[col];
        let i = self.open_cell(ObjectiveKind::Objective, None, &c.text, &c.provenance);
        let g = group.unwrap_or(i);
        self.occs[i].group = Some(g);
        // Siblings: the list stays open at the same depth.
        *list = Some((col, g));
        Some(used)
    }

    /// A row of a table without header that pairs a numbered goal ("1.
    /// Подршка запошљавању…", or the rest of one broken by a page break)
    /// with a bullet list of activities, and maybe a list of amounts.
    pub(super) fn bullet_row(
        &mut self,
        ri: usize,
        row: &[GCell],
        owned: &[usize],
        bullets: &mut Option<Bullets>,
        used: &mut Vec<(usize, usize)>,
    ) -> bool {
        let Some(&first) = owned.first() else {
            return false;
        };
        let Some(&list) = owned
            .iter()
            .find(|&&k| k > first && row[k].paras().iter().any(|p| p.1))
        else {
            return false;
        };
        let goal = &row[first];
        if let Some((code, words)) = labels::numbered(&goal.text) {
            if let Some(b) = bullets.take() {
                self.flush_bullets(b, used);
            }
            let occ = self.open_cell(
                ObjectiveKind::Objective,
                Some(code),
                &words,
                &goal.provenance,
            );
            *bullets = Some(Bullets {
                occ,
                acts: Vec::new(),
                amounts: Vec::new(),
            });
        } else if starts_lowercase(&goal.text)
            && let Some(b) = bullets.as_ref()
        {
            self.append_text(b.occ, &goal.text, &goal.provenance);
        } else {
            return false;
        }
        used.push((ri, first));
        let Some(b) = bullets.as_mut() else {
            return false;
        };
        let parent = self.current();
        let parents = self.parents_of(parent);
        for (t, is_item) in row[list].paras() {
            if !is_item {
                continue;
            }
            self.acts.push(ActDraft {
                code: None,
                parent,
                parents: parents.clone(),
                text: t.clone(),
                fields: BTreeMap::new(),
                raw_map: HashMap::new(),
                provenance: row[list].provenance.clone(),
                measure: None,
            });
            b.acts.push(self.acts.len() - 1);
        }
        used.push((ri, list));
        for &k in owned.iter().filter(|&&k| k > list) {
            for (t, _) in row[k].paras() {
                for n in self.ctx.numbers_in(t) {
                    if n.kind == crate::normalize::numbers::Kind::Money || n.currency.is_some() {
                        b.amounts
                            .push((n.raw.clone(), row[k].provenance.clone(), ri, k));
                    }
                }
            }
        }
        true
    }

    /// Pairs a numbered goal's activities with its amounts, in order, when
    /// the counts agree; says so when they do not.
    pub(super) fn flush_bullets(&mut self, b: Bullets, used: &mut Vec<(usize, usize)>) {
        if b.amounts.is_empty() {
            return;
        }
        if b.amounts.len() != b.acts.len() {
            let code = self.occs[b.occ].code.clone().unwrap_or_default();
            self.diags.push(
                Diagnostic::new(
                    Level::Warning,
                    "bullet_amounts_mismatch",
                    format!(
                        "goal {code}: {} activities but {} amounts; amounts not paired",
                        b.acts.len(),
                        b.amounts.len()
                    ),
                )
                .at(b.amounts[0].1.clone()),
            );
            return;
        }
        for (&a, (raw, prov, ri, k)) in b.acts.iter().zip(b.amounts) {
            let f = fields::field(self.ctx, "budget", &raw, prov);
            self.acts[a].fields.insert("budget".to_string(), f);
            used.push((ri, k));
        }
    }
}
