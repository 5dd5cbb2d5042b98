//! Column roles: which row is a header and what each column holds — from
//! the lexicon (as written, abbreviated, inflected) and from the cells
//! below (codes, years, sentences); two-row money headers; indicator
//! headers. A column no one knows is kept as a named field and reported.

use super::*;

/// The columns of a second header line that divide a money column: every
/// filled cell is a short label or a year (no code, no amount), the first
/// sits under a money header (budget or per-year amounts), and the others
/// under that header's empty neighbours or other money headers.
pub(super) fn money_parts(row: &[GCell], owned: &[usize], h: &Header) -> Option<Vec<usize>> {
    let &first = owned.first()?;
    let money = |k: usize| match h.roles.get(k) {
        Some(Some(Role::Amounts)) => true,
        Some(Some(Role::Field(f))) => f == "budget",
        _ => false,
    };
    // Cells running down from the first line (a vertical merge) are that
    // line's; only the cells of this row count.
    if !money(first) || row.iter().filter(|c| c.own()).count() != owned.len() {
        return None;
    }
    let label_like = |t: &str| {
        let t = t.trim();
        t.chars().count() <= 40
            && labels::bare_code(t).is_none()
            && (is_year_cell(t) || !t.chars().any(|c| c.is_ascii_digit()))
    };
    if owned.len() < 2 || !owned.iter().all(|&k| label_like(&row[k].text)) {
        return None;
    }
    // Contiguous from the money column: each part heads a column the top
    // line left empty, or another money column.
    let mut prev = first;
    for &k in &owned[1..] {
        if k != prev + 1 || !(money(k) || h.roles.get(k).is_none_or(Option::is_none)) {
            return None;
        }
        prev = k;
    }
    Some(owned.to_vec())
}

impl Pass<'_, '_> {
    /// A matrix header: an activity column and at least three columns
    /// recognized — by the lexicon (as written, abbreviated or inflected,
    /// see [`Lexicon::header_role_words`]) or, for a header the lexicon
    /// does not know, by the cells below it (a column of codes is the code
    /// column, a column of years and quarters the timeline) — and at least
    /// half of the filled cells recognized. A column no one recognizes is
    /// kept as a field named after its header. Empty cells keep the role
    /// the previous header of the table gave their column.
    pub(super) fn activity_header(
        &self,
        g: &[Vec<GCell>],
        ri: usize,
        prev: Option<&Header>,
    ) -> Option<Header> {
        let row = &g[ri];
        let mut roles: Vec<Option<Role>> = vec![None; row.len()];
        // Shortest cells first, and no further than the count of cells not
        // recognized allows: a data row is told from a header without
        // folding its long texts.
        let filled = by_length(row);
        // A row with a sentence in it and no cell the lexicon knows as
        // written is data: the word-by-word reading is spared.
        let sentence = filled
            .iter()
            .any(|&k| row[k].text.split_whitespace().nth(6).is_some());
        if sentence
            && !filled.iter().any(|&k| {
                self.lx.may_open_header(self.ctx.norm(), &row[k].text)
                    && self.lx.header_role_key(row[k].key(self.ctx)).is_some()
            })
        {
            return None;
        }
        let mut unknown: Vec<usize> = Vec::new();
        for &k in &filled {
            match self.cell_role(&row[k]) {
                // A goal's field heading a matrix column is an activity field.
                Some(Role::Stated(f)) => roles[k] = Some(Role::Field(f)),
                Some(r) => roles[k] = Some(r),
                None => {
                    unknown.push(k);
                    // Content may vouch for a code and a timeline column at
                    // most; beyond that the row cannot be a header.
                    if 2 * unknown.len() > filled.len() + 4 {
                        return None;
                    }
                }
            }
        }
        if filled.len() - unknown.len() < 2 {
            return None;
        }
        // No column headed as the activity: in a table whose other headers
        // name action fields, the unnamed column whose cells are sentences
        // is it.
        let mut inferred = false;
        let activity = match roles.iter().position(|r| r == &Some(Role::Activity)) {
            Some(a) => a,
            None => {
                let fields = roles
                    .iter()
                    .filter(|r| matches!(r, Some(Role::Field(_))))
                    .count();
                // A header's cells are all short names, none a year.
                let short = |c: &GCell| {
                    c.text.chars().count() <= 48
                        && c.text.split_whitespace().count() <= 6
                        && fields::years(&c.text).is_empty()
                };
                if fields < 3 || !filled.iter().all(|&k| short(&row[k])) {
                    return None;
                }
                let a = unknown
                    .iter()
                    .copied()
                    .filter(|&k| self.sentences_below(g, ri, k))
                    .min()?;
                unknown.retain(|&k| k != a);
                roles[a] = Some(Role::Activity);
                inferred = true;
                a
            }
        };
        unknown.retain(|&k| match self.content_role(g, ri, k) {
            Some(r) => {
                roles[k] = Some(r);
                false
            }
            None => true,
        });
        if filled.len() - unknown.len() < 3 || 2 * unknown.len() > filled.len() {
            return None;
        }
        // The second line of a header whose cells run down from the first
        // (a Word vertical merge) repeats the activity cell without a cell
        // of its own: it is that header continued, not a new one.
        if !row[activity].own() {
            return None;
        }
        self.settle_budget(g, ri, &mut roles);
        for (k, c) in row.iter().enumerate() {
            let keep_as_field = match &roles[k] {
                None => !c.empty(),
                // Goal-like words right of the activity head a column of
                // the activity itself (its priority, its link to a goal).
                Some(Role::Priority | Role::Goal | Role::MeasureCode) => k > activity,
                _ => false,
            };
            if keep_as_field {
                roles[k] = Some(Role::Field(format!(
                    "unknown:{}",
                    collapse_whitespace(&c.text)
                )));
            } else if roles[k].is_none() {
                roles[k] = prev.and_then(|p| p.roles.get(k).cloned().flatten());
            }
        }
        Some(Header {
            roles,
            activity,
            inferred,
        })
    }

    /// Two columns headed as the budget ("Buxheti (€)" and "Financimi",
    /// which the lexicon reads as money too): the cells decide. A column
    /// whose cells hold no amounts while another's do is not the budget: it
    /// names where the money comes from (the finance source, when no column
    /// is headed so), else it is kept as an unknown column.
    fn settle_budget(&self, g: &[Vec<GCell>], ri: usize, roles: &mut [Option<Role>]) {
        let budget = Some(Role::Field("budget".into()));
        let source = Some(Role::Field("finance_source".into()));
        let cols: Vec<usize> = (0..roles.len()).filter(|&k| roles[k] == budget).collect();
        if cols.len() < 2 {
            return;
        }
        let money: Vec<bool> = cols.iter().map(|&k| self.amounts_below(g, ri, k)).collect();
        if !money.contains(&true) {
            return;
        }
        let mut has_source = roles.contains(&source);
        for (&k, &m) in cols.iter().zip(&money) {
            if !m {
                roles[k] = if has_source { None } else { source.clone() };
                has_source = true;
            }
        }
    }

    /// Whether most filled cells below a header cell (six in ten of the
    /// next rows') are amounts: a whole-cell number.
    fn amounts_below(&self, g: &[Vec<GCell>], ri: usize, k: usize) -> bool {
        let (mut n, mut amounts) = (0, 0);
        for r in g.iter().skip(ri + 1).take(12) {
            let Some(c) = r.get(k).filter(|c| c.own()) else {
                continue;
            };
            n += 1;
            amounts += usize::from(self.ctx.cell_number(c.text.trim()).is_some());
        }
        n > 0 && amounts * 10 >= n * 6
    }

    /// Whether the cells below a header cell read as activity texts: most
    /// of the next rows' filled cells are sentences (three words and
    /// twenty letters or more).
    pub(super) fn sentences_below(&self, g: &[Vec<GCell>], ri: usize, k: usize) -> bool {
        let (mut n, mut long) = (0, 0);
        for r in g.iter().skip(ri + 1).take(12) {
            let Some(c) = r.get(k).filter(|c| c.own()) else {
                continue;
            };
            n += 1;
            let letters = c.text.chars().filter(|c| c.is_alphabetic()).count();
            if letters >= 20 && c.text.split_whitespace().count() >= 3 {
                long += 1;
            }
        }
        n > 0 && long * 10 >= n * 6
    }

    /// The lexicon's reading of a header cell: as written, else word by
    /// word. Made once per cell: every row is tried as several headers.
    pub(super) fn cell_role(&self, c: &GCell) -> Option<Role> {
        c.role
            .get_or_init(|| {
                self.lx.header_role_key(c.key(self.ctx)).or_else(|| {
                    // Headers are short: a long cell is not folded again.
                    (c.text.len() <= 160 && !lexicon::too_many_words_for_header(&c.text))
                        .then(|| self.lx.header_role_words_key(&self.ctx.fold_key(&c.text)))
                        .flatten()
                })
            })
            .clone()
    }

    /// What the cells below an unrecognized header cell say its column is:
    /// codes ("1.1.", "2.3.1", "IV") make the code column, years and
    /// quarters in short cells the timeline. Six in ten of the filled cells
    /// of the next rows must agree.
    pub(super) fn content_role(&self, g: &[Vec<GCell>], ri: usize, k: usize) -> Option<Role> {
        let (mut n, mut codes, mut times) = (0, 0, 0);
        for r in g.iter().skip(ri + 1).take(12) {
            let Some(c) = r.get(k).filter(|c| c.own()) else {
                continue;
            };
            n += 1;
            let t = c.text.trim();
            let code_like = t.starts_with(|c: char| c.is_ascii_digit())
                && t.len() <= 16
                && t.chars().all(|c| c.is_ascii_digit() || c == '.');
            if code_like && labels::bare_code(t).is_some()
                || labels::is_roman(t.trim_end_matches('.'))
            {
                codes += 1;
            } else if t.chars().count() <= 40 && !fields::years(t).is_empty() {
                times += 1;
            }
        }
        if n == 0 {
            None
        } else if codes * 10 >= n * 6 {
            Some(Role::Code)
        } else if times * 10 >= n * 6 {
            Some(Role::Field("timeline".into()))
        } else {
            None
        }
    }

    /// An indicator header: the name column ("Pokazatelji", "Показатељ(и) на
    /// нивоу мере") followed by at least one value column.
    pub(super) fn indicator_header(&self, g: &[Vec<GCell>], ri: usize) -> Option<IndHeader> {
        let row = &g[ri];
        // The name column, after any number or goal columns.
        let mut lead = Vec::new();
        let mut first = None;
        for k in (0..row.len()).filter(|&k| row[k].own()) {
            if self.lx.is_indicator_name_key(row[k].key(self.ctx))
                || self.lx.indicator_role_words(self.ctx.norm(), &row[k].text)
                    == Some(IndRole::Name)
            {
                first = Some(k);
                break;
            }
            match self
                .cell_role(&row[k])
                .or_else(|| self.content_role(g, ri, k))
            {
                Some(r @ (Role::Code | Role::Goal | Role::Priority | Role::MeasureCode)) => {
                    lead.push((k, r));
                }
                _ => return None,
            }
        }
        let first = first?;
        let mut cols = Vec::new();
        for (k, c) in row.iter().enumerate().skip(first + 1) {
            if c.empty() {
                continue;
            }
            let role = self
                .lx
                .indicator_role_key(c.key(self.ctx))
                .or_else(|| self.lx.indicator_role_words(self.ctx.norm(), &c.text))
                .filter(|r| *r != IndRole::Name);
            let year = fields::years(&c.text).first().copied();
            match role {
                Some(r) => cols.push(IndCol {
                    col: Some(k),
                    role: r,
                    header: c.text.clone(),
                    year,
                }),
                None => cols.push(IndCol {
                    col: Some(k),
                    role: IndRole::Other,
                    header: c.text.clone(),
                    year,
                }),
            }
        }
        // Columns headed by a year without a kind word ("2024", "Vrednost
        // u 2024") take their kind from their place: the first year is the
        // baseline unless a column is headed as one, later years are
        // targets.
        let bare: Vec<usize> = (0..cols.len())
            .filter(|&i| {
                cols[i].role == IndRole::Other
                    && cols[i].col.is_some_and(|k| {
                        let t = &row[k].text;
                        self.lx.bare_year_header(self.ctx.norm(), t).is_some()
                            || (fields::years(t).len() == 1 && t.split_whitespace().count() <= 4)
                    })
            })
            .collect();
        if !bare.is_empty() {
            let has_baseline = cols
                .iter()
                .any(|c| c.role == IndRole::Value(ValueKind::Baseline));
            let first = bare.iter().copied().min_by_key(|&i| cols[i].year);
            for &i in &bare {
                let kind = if !has_baseline && Some(i) == first {
                    ValueKind::Baseline
                } else {
                    ValueKind::Target
                };
                cols[i].role = IndRole::Value(kind);
            }
        }
        cols.iter()
            .any(|c| matches!(c.role, IndRole::Value(_)))
            .then_some(IndHeader {
                cols,
                extended: false,
                name: first,
                lead,
            })
    }

    /// A header row of some other table (a measure's budget lines): enough
    /// recognized matrix headers, but no activity column.
    pub(super) fn other_header(&self, row: &[GCell]) -> bool {
        // Cells running down from the row above (a vertical merge) are
        // that row's, not a header of this one.
        let mut filled = by_length(row);
        filled.retain(|&k| row[k].ci.is_some());
        let mut unknown = 0;
        for &k in &filled {
            if self.cell_role(&row[k]).is_none() {
                unknown += 1;
                // Fewer than three, or fewer than half, recognized.
                if filled.len() - unknown < 3 || 2 * unknown > filled.len() {
                    return false;
                }
            }
        }
        filled.len() - unknown >= 3
    }

    /// The header of a measure's own table: it opens with a stated-field
    /// column ("Организациона јединица одговорна за спровођење мере"), has
    /// no activity column, and at least one more recognized column. The
    /// field name of each grid column, when it has one.
    pub(super) fn stated_header(&self, row: &[GCell]) -> Option<Vec<Option<String>>> {
        let first = row.iter().position(GCell::own)?;
        if row[first].text.contains(':') {
            return None;
        }
        // Two recognized columns are needed, and the opening column
        // decides; the others are looked up only then.
        if row.iter().filter(|c| c.own()).count() < 2 {
            return None;
        }
        if !matches!(
            self.lx.header_role_key(row[first].key(self.ctx)),
            Some(Role::Stated(_))
        ) {
            return None;
        }
        let roles: Vec<Option<Role>> = row
            .iter()
            .map(|c| {
                if c.own() {
                    self.lx.header_role_key(c.key(self.ctx))
                } else {
                    None
                }
            })
            .collect();
        if !matches!(roles[first], Some(Role::Stated(_)))
            || roles.iter().any(|r| r == &Some(Role::Activity))
            || roles.iter().flatten().count() < 2
        {
            return None;
        }
        Some(
            roles
                .into_iter()
                .map(|r| match r {
                    Some(Role::Stated(f) | Role::Field(f)) => Some(f),
                    _ => None,
                })
                .collect(),
        )
    }

    /// Unknown matrix headers, reported once per header row.
    pub(super) fn report_unknown(&mut self, row: &[GCell], h: &Header) {
        for (k, r) in h.roles.iter().enumerate() {
            if let Some(Role::Field(f)) = r
                && f.starts_with("unknown:")
                && row[k].own()
            {
                self.diags.push(
                    Diagnostic::new(
                        Level::Warning,
                        "unknown_header",
                        format!("matrix column header not in the lexicon: {:?}", row[k].text),
                    )
                    .at(row[k].provenance.clone()),
                );
            }
        }
    }
}
