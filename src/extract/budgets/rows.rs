//! Rows of the walk: money columns found by their cells, budget-table rows,
//! loose rows of other tables (amounts under a money column or naming a
//! currency, paired with their element) and label–value rows.

use super::*;

impl Walker<'_, '_> {
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
        let lx = lexicon(self.ctx);
        if d.all.iter().any(|t| {
            any(&folded(self.ctx, t), &lx.not_budget) || year_header(self.ctx.norm(), t).is_some()
        }) {
            return None;
        }
        // A unit or currency stated for the table, not a money word in
        // passing ("financed from the Republic's budget" over counts).
        let money =
            |t: &String| currency_in(self.ctx, t).is_some() || scale_of(self.ctx, t).is_some();
        if !(caption.iter().any(money) || d.all.iter().any(money)) {
            return None;
        }
        let first = *d.texts.keys().next()?;
        // A column the words call money ("Финансијска средства (РСД)") is
        // a matrix's money column, read row by row as such.
        if d.texts
            .iter()
            .any(|(col, t)| *col != first && announces_money(self.ctx, t))
        {
            return None;
        }
        let mut cols = BTreeMap::new();
        let (mut amounts, mut totals) = (0usize, 0usize);
        for (&col, text) in &d.texts {
            let role = if col == first {
                Role::Label
            } else if any(&folded(self.ctx, text), &lx.not_money) {
                Role::Skip
            } else if self.column_of_amounts(table, ri, col) {
                if is_total(self.ctx, text) {
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
            scale: d
                .all
                .iter()
                .chain(caption)
                .find_map(|t| scale_of(self.ctx, t)),
            currency: d
                .all
                .iter()
                .chain(caption)
                .find_map(|t| currency_in(self.ctx, t)),
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
            && year_header(self.ctx.norm(), text).is_none()
            && (!text.chars().any(char::is_alphabetic)
                || (text.split_whitespace().count() <= 2 && currency_in(self.ctx, text).is_some()))
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
        let RowCells {
            label_cell,
            mut label_cells,
            skipped,
            source_cell,
            money,
        } = row_cells(row, h);
        // A year as the row label: years run down the rows.
        let row_year = label_cell.and_then(|(_, c)| year_header(self.ctx.norm(), &c.text));
        let mut own = if row_year.is_none() {
            label_cells.extend(skipped);
            row_label(&label_cells, self.ctx.labels())
        } else {
            None
        };
        let mut total = label_cell.is_some_and(|(_, c)| is_total(self.ctx, &c.text));
        // "Укупно за меру 1.1": the total of that element.
        if let Some(inner) = label_cell.and_then(|(_, c)| total_of(self.ctx, &c.text)) {
            total = true;
            own = Some(inner);
        }
        let mut source_text = source_cell.map(|(_, c)| c.text.clone());
        if source_text
            .as_deref()
            .is_some_and(|t| is_total(self.ctx, t))
        {
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
                && announces_money(self.ctx, c.text.trim().trim_end_matches(':'))
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
                        || (n.kind == Kind::Money
                            && n.currency.is_some()
                            && !is_rate(self.ctx, &c.text, n))
                })
                .collect();
            // Folding is the costly test: only a short cell that is not the
            // label may announce a budget.
            let announces = || {
                c.text.split_whitespace().count() <= 2
                    && any(&folded(self.ctx, &c.text), &lexicon(self.ctx).money_header)
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
                        && any(&folded(self.ctx, &before), &lexicon(self.ctx).money_header);
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
        lr.label = row_label(&label_cells, self.ctx.labels());
        if in_column && let Some(c) = row.cells.get(first) {
            if let Some(inner) = total_of(self.ctx, &c.text) {
                lr.total = true;
                lr.label = Some(inner);
            } else if is_total(self.ctx, &c.text) {
                lr.total = true;
                lr.label = None;
            }
        }
        row_bullets(row, first, money_cell_idx, &mut lr);
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
                let own_item = item
                    .as_deref()
                    .and_then(|t| labels::read(t, true, self.ctx.labels()));
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

/// The label text of a loose row (its first cell) and its bulleted list:
/// the list items, or lines opened by a typed bullet sign, of the first
/// other cell that has them.
fn row_bullets(row: &Row, first: usize, money_cell: Option<usize>, lr: &mut LooseRow) {
    for (ci, c) in row.cells.iter().enumerate() {
        if Some(ci) == money_cell {
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
}

/// The non-empty cells of a budget row by the role of their column.
struct RowCells<'r> {
    /// The first label cell, with its index.
    label_cell: Option<(usize, &'r Cell)>,
    label_cells: Vec<&'r Cell>,
    /// Cells of columns no amount comes from (a code column, "Šifra").
    skipped: Vec<&'r Cell>,
    source_cell: Option<(usize, &'r Cell)>,
    money: Vec<(usize, &'r Cell, Role)>,
}

fn row_cells<'r>(row: &'r Row, h: &Header) -> RowCells<'r> {
    let mut cells = RowCells {
        label_cell: None,
        label_cells: Vec::new(),
        skipped: Vec::new(),
        source_cell: None,
        money: Vec::new(),
    };
    for (ci, c) in row.cells.iter().enumerate() {
        if c.text.trim().is_empty() {
            continue;
        }
        match h.cols.get(&c.col).cloned().unwrap_or(Role::Label) {
            Role::Label => {
                if cells.label_cell.is_none() {
                    cells.label_cell = Some((ci, c));
                }
                cells.label_cells.push(c);
            }
            Role::Source => cells.source_cell = Some((ci, c)),
            // A code may stand in a column no amount comes from
            // ("Šifra").
            Role::Skip => cells.skipped.push(c),
            r => cells.money.push((ci, c, r)),
        }
    }
    cells
}

/// How many rows below its label row a label–value row of a table still
/// belongs to that activity.
const ROW_BLOCK_REACH: usize = 12;

/// A label–value row ("Budžet | 4,8 miliona dinara") that names no element
/// belongs to the activity a row above named ("Aktivnost 1.1.1 | …").
pub(super) fn with_row_activity(mut lr: LooseRow, activity: Option<&(Label, usize)>) -> LooseRow {
    if lr.label_value
        && lr.label.is_none()
        && let Some((l, at)) = activity
        && lr.row.saturating_sub(*at) <= ROW_BLOCK_REACH
    {
        lr.label = Some(l.clone());
    }
    lr
}
