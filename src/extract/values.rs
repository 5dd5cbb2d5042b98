//! Money: every amount the plan ties to a goal, measure or activity.
//!
//! In: the context (tables and paragraphs in document order) and the record
//! as the structure pass left it (objectives and activities, for parent
//! codes). Out: the record's `budgets`, one entry per amount, per source and
//! per year, wherever the document states it (a figure repeated in a summary
//! table and in a measure's own table is two entries), plus diagnostics.
//!
//! Two shapes are read:
//! - budget tables: a header with year columns ("2026."), funding-source
//!   columns ("Буџетска средства Општине") or total columns ("УКУПНО"), and
//!   rows labelled with a goal, measure or activity ("Мера 1.1",
//!   "1.1.1 Запошљавање…") or a funding source. Several such sub-tables may
//!   sit in one document table, each opened by its own header rows;
//! - amounts with a currency in any other table cell ("4.000.000,00 динара"),
//!   paired in order with a bulleted list of activities in the same row when
//!   there is one (a diagnostic says when the counts differ).
//!
//! `value` is the number as written and `scale` the table's unit (1000 under
//! "у 000" / "у хиљадама"), so value × scale is the amount. A table without
//! its own marker takes the unit of the marked table that repeats its
//! figures, else of the nearest marked table above it. When two tables state
//! the same figures in different units, the narrative decides ("66,67
//! милиона динара" confirms thousands) and a diagnostic reports it. Words
//! come from `mappings/money_markers.tsv` and `mappings/plan_labels.tsv`.

use super::labels::{self, Label, LabelKind};
use super::record::{Budget, Period};
use super::{Ctx, Placed, PlanRecord};
use crate::mappings::Mappings;
use crate::model::{Cell, Diagnostic, Level, Provenance, Row};
use crate::normalize::numbers::{self, Kind, Number};
use crate::normalize::{collapse_whitespace, fold};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

// ------------------------------------------------------------------ lexicon

struct Pattern {
    words: String,
    prefix: bool,
}

#[derive(Default)]
struct Lexicon {
    currency: Vec<(Pattern, String)>,
    total: Vec<Pattern>,
    source_header: Vec<Pattern>,
    money_header: Vec<Pattern>,
    funding: Vec<Pattern>,
    not_money: Vec<Pattern>,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let mut lx = Lexicon::default();
        let Ok(rows) = Mappings::global().rows("money_markers.tsv") else {
            return lx;
        };
        for r in rows {
            let raw = r.get(1);
            let prefix = raw.ends_with('*');
            let words = fold::key(raw.trim_end_matches('*'));
            if words.is_empty() {
                continue;
            }
            let p = Pattern { words, prefix };
            match r.get(0) {
                "total" => lx.total.push(p),
                "source_header" => lx.source_header.push(p),
                "money_header" => lx.money_header.push(p),
                "funding" => lx.funding.push(p),
                "not_money" => lx.not_money.push(p),
                k => {
                    if let Some(code) = k.strip_prefix("currency:") {
                        lx.currency.push((p, code.to_string()));
                    }
                }
            }
        }
        lx
    })
}

/// Whether `pat` occurs in `key` starting at a word start (and ending at a
/// word end unless it is a prefix pattern).
fn has(key: &str, pat: &Pattern) -> bool {
    let w = pat.words.as_str();
    let mut from = 0;
    while let Some(rel) = key.get(from..).and_then(|k| k.find(w)) {
        let at = from + rel;
        let before = key[..at].chars().next_back();
        let after = key[at + w.len()..].chars().next();
        let starts = !before.is_some_and(char::is_alphanumeric);
        let ends = pat.prefix || !after.is_some_and(char::is_alphanumeric);
        if starts && ends {
            return true;
        }
        from = at + w.len().max(1);
    }
    false
}

fn any(key: &str, pats: &[Pattern]) -> bool {
    pats.iter().any(|p| has(key, p))
}

/// A currency named in text ("у хиљадама РСД", "динара", "€").
fn currency_in(text: &str) -> Option<String> {
    let key = fold::key(text);
    lexicon()
        .currency
        .iter()
        .find(|(p, _)| has(&key, p))
        .map(|(_, c)| c.clone())
}

/// A short cell that says "total" ("УКУПНО:", "Gjithsej").
fn is_total(text: &str) -> bool {
    let key = fold::key(text);
    let key = key.trim_matches(|c: char| c == ':' || c == '.' || c.is_whitespace());
    !key.is_empty()
        && key.split(' ').count() <= 3
        && lexicon().total.iter().any(|p| {
            key.starts_with(p.words.as_str())
                && key[p.words.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// A header cell that is only a year ("2026", "2026.", "2022*",
/// "2023. година").
fn year_header(text: &str) -> Option<i32> {
    let key = fold::key(text);
    let mut k = key.trim_matches(|c: char| c == '*' || c == '.' || c == ' ');
    for w in ["godina", "godine", "god", "viti", "vitin"] {
        if let Some(rest) = k.strip_suffix(w) {
            k = rest.trim_matches(|c: char| c == '*' || c == '.' || c == ' ');
        }
    }
    if k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = k.parse().ok()?;
        if (1990..=2100).contains(&y) {
            return Some(y);
        }
    }
    None
}

/// Numbers of a cell that can be money: plain numbers and amounts, not
/// percentages, years, dates or ranges.
fn amounts(ctx: &Ctx, text: &str) -> Vec<Number> {
    numbers::parse_all(text, &ctx.numbers)
        .into_iter()
        .filter(|n| {
            n.value.is_some()
                && matches!(
                    n.kind,
                    Kind::Integer | Kind::Decimal | Kind::Money | Kind::Count
                )
        })
        .collect()
}

/// Whether a cell holds a percentage (then it is a share, not money).
fn has_percent(ctx: &Ctx, text: &str) -> bool {
    numbers::parse_all(text, &ctx.numbers)
        .iter()
        .any(|n| n.kind == Kind::Percent)
}

// ------------------------------------------------------------------ headers

#[derive(Debug, Clone, PartialEq)]
enum Role {
    /// Text: a goal, measure or activity label, or anything else.
    Label,
    /// Names the funding source of the row.
    Source,
    Year(i32),
    Total,
    /// A column of amounts from one funding source (its header).
    Amount(String),
    Skip,
}

impl Role {
    fn money(&self) -> bool {
        matches!(self, Role::Year(_) | Role::Total | Role::Amount(_))
    }
}

/// A budget sub-table's header: what each grid column holds.
#[derive(Debug, Clone)]
struct Header {
    cols: BTreeMap<usize, Role>,
    /// The source column is the first one: each row is a funding source.
    rows_are_sources: bool,
    scale: Option<u32>,
    currency: Option<String>,
    rows: Vec<usize>,
}

/// Consecutive header-like rows, merged column by column (a later row's
/// text wins: "2026." under "Укупно процењена средства…").
#[derive(Default)]
struct Draft {
    texts: BTreeMap<usize, String>,
    all: Vec<String>,
    rows: Vec<usize>,
}

fn evaluate(draft: &Draft, caption: &[String], period: Option<Period>) -> Option<Header> {
    let lx = lexicon();
    let mut cols = BTreeMap::new();
    let mut evidence = false;
    for (&col, text) in &draft.texts {
        let key = fold::key(text);
        let role = if let Some(y) = year_header(text) {
            Role::Year(y)
        } else if any(&key, &lx.not_money) {
            Role::Skip
        } else if any(&key, &lx.source_header) {
            evidence = true;
            Role::Source
        } else if is_total(text) {
            Role::Total
        } else if key.split(' ').count() <= 8 && any(&key, &lx.funding) {
            Role::Amount(collapse_whitespace(text))
        } else if key.split(' ').count() <= 15 && any(&key, &lx.money_header) {
            evidence = true;
            Role::Skip
        } else {
            Role::Label
        };
        cols.insert(col, role);
    }
    let years: Vec<i32> = cols
        .values()
        .filter_map(|r| match r {
            Role::Year(y) => Some(*y),
            _ => None,
        })
        .collect();
    // Years anywhere in the header rows outside the plan's period: a table
    // of past spending, even when a lower header row hides them.
    if let Some(p) = period
        && let (Some(from), Some(to)) = (p.from, p.to)
        && draft
            .all
            .iter()
            .filter_map(|t| year_header(t))
            .any(|y| y < from || y > to)
    {
        return None;
    }
    if !years.is_empty() {
        // With year columns, a funding word elsewhere is a description
        // ("Буџет ЛС" as a label), not a column of amounts.
        for r in cols.values_mut() {
            if matches!(r, Role::Amount(_)) {
                *r = Role::Skip;
            }
        }
    }
    let amount_cols = cols
        .values()
        .filter(|r| matches!(r, Role::Amount(_)))
        .count();
    if !cols.values().any(Role::money) {
        return None;
    }
    if years.is_empty() && amount_cols == 0 {
        return None;
    }
    let scale = draft
        .all
        .iter()
        .chain(caption)
        .find_map(|t| numbers::scale_marker(t));
    let currency = draft.all.iter().chain(caption).find_map(|t| currency_in(t));
    let caption_money = caption.iter().any(|t| any(&fold::key(t), &lx.money_header));
    if !(evidence || scale.is_some() || currency.is_some() || caption_money || amount_cols >= 2) {
        return None;
    }
    let rows_are_sources = cols
        .values()
        .find(|r| **r != Role::Skip)
        .is_some_and(|r| *r == Role::Source);
    Some(Header {
        cols,
        rows_are_sources,
        scale,
        currency,
        rows: draft.rows.clone(),
    })
}

// ------------------------------------------------------------------ entries

/// One amount before parents and units are settled.
struct Entry {
    sub: usize,
    table: usize,
    row: usize,
    /// The row's own label, when it has one.
    own: Option<Label>,
    total: bool,
    /// The row's (or list item's) words when no code names it.
    text: Option<String>,
    source: Option<String>,
    year: Option<i32>,
    number: Number,
    currency: Option<String>,
    provenance: Provenance,
    /// Resolved later.
    parent: Option<String>,
    activity: Option<String>,
}

/// A group of amounts read under one header (or one matrix table).
struct Sub {
    table: usize,
    /// Scale stated by the header or caption.
    declared: Option<u32>,
    /// Scale decided in the end.
    scale: u32,
    /// The goal or measure in force where the sub-table starts.
    context: Option<Label>,
    /// Whether amounts came from a budget header (not from loose cells).
    tabular: bool,
}

struct Walker<'c, 'a> {
    ctx: &'c Ctx<'a>,
    rec: &'c PlanRecord,
    period: Option<Period>,
    entries: Vec<Entry>,
    subs: Vec<Sub>,
    diagnostics: Vec<Diagnostic>,
    /// The last goal or measure label seen, and how many paragraphs ago.
    context: Option<(Label, usize)>,
}

/// How many paragraphs a label stays in force for a following table.
const CONTEXT_REACH: usize = 3;

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let period = super::metadata::plan_period(ctx).map(|(p, _)| p);
    let mut w = Walker {
        ctx,
        rec,
        period,
        entries: Vec::new(),
        subs: Vec::new(),
        diagnostics: Vec::new(),
        context: None,
    };
    // Paragraphs and tables in document order.
    let mut events: Vec<(usize, usize, usize)> = Vec::new();
    for p in &ctx.paragraphs {
        events.push((p.block, 0, p.index));
    }
    for t in &ctx.tables {
        events.push((t.block, 1, t.index));
    }
    events.sort_unstable();
    for (_, kind, i) in events {
        if kind == 0 {
            w.paragraph(i);
        } else {
            w.table(i, placed);
        }
    }
    w.resolve_parents();
    w.resolve_scales();
    let doc_currency = document_currency(ctx);
    let Walker {
        entries,
        subs,
        diagnostics,
        ..
    } = w;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let sub = &subs[e.sub];
        out.push(Budget {
            id: format!("b{}", i + 1),
            parent: e.parent,
            activity: e.activity,
            label: e.text,
            source: e.source,
            year: e.year,
            raw: e.number.raw.clone(),
            value: e.number.value,
            scale: sub.scale,
            currency: e.currency.or_else(|| doc_currency.clone()),
            provenance: e.provenance,
        });
    }
    rec.budgets = out;
    rec.diagnostics.extend(diagnostics);
}

/// The currency most amounts of the document name, if one does.
fn document_currency(ctx: &Ctx) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |s: &str| {
        for n in numbers::parse_all(s, &ctx.numbers) {
            if let Some(c) = n.currency {
                *counts.entry(c).or_insert(0) += 1;
            }
        }
    };
    for p in &ctx.paragraphs {
        add(&p.paragraph.text);
    }
    for t in &ctx.tables {
        for row in &t.table.rows {
            for c in &row.cells {
                add(&c.text);
            }
        }
    }
    let best = counts.values().copied().max()?;
    let mut top = counts.iter().filter(|(_, n)| **n == best);
    let first = top.next()?;
    // A tie names no currency.
    top.next().is_none().then(|| first.0.clone())
}

impl Walker<'_, '_> {
    fn live_context(&self) -> Option<Label> {
        self.context
            .as_ref()
            .filter(|(_, age)| *age <= CONTEXT_REACH)
            .map(|(l, _)| l.clone())
    }

    fn paragraph(&mut self, i: usize) {
        let Some(p) = self.ctx.paragraphs.get(i) else {
            return;
        };
        match labels::parse(&p.paragraph.text, false) {
            Some(l) if matches!(l.kind, LabelKind::Objective(_)) => self.context = Some((l, 0)),
            _ => {
                if let Some((_, age)) = &mut self.context {
                    *age += 1;
                }
            }
        }
    }

    /// Short paragraphs right above a table (title, "(у 000)").
    fn caption(&self, table: usize) -> Vec<String> {
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

    fn new_sub(&mut self, table: usize, declared: Option<u32>, tabular: bool) -> usize {
        self.subs.push(Sub {
            table,
            declared,
            scale: declared.unwrap_or(1),
            context: self.live_context(),
            tabular,
        });
        self.subs.len() - 1
    }

    fn table(&mut self, ti: usize, placed: &mut Placed) {
        let Some(t) = self.ctx.tables.get(ti) else {
            return;
        };
        let table = t.table;
        let caption = self.caption(ti);
        let mut draft: Option<Draft> = None;
        let mut header: Option<(Header, usize)> = None;
        let mut loose: Vec<LooseRow> = Vec::new();
        let mut loose_sub: Option<usize> = None;
        let mut used = false;
        for (ri, row) in table.rows.iter().enumerate() {
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
                year_header(&c.text).is_none() && !amounts(self.ctx, &c.text).is_empty()
            });
            let first_label = labels::parse(&filled[0].1.text, false);
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
                        && !amounts(self.ctx, &c.text).is_empty()
                })
            });
            if !money_in_header && filled.len() >= 2 && !numeric_outside_years(self.ctx, &filled) {
                // Header-like: merge with the header rows right above.
                let d = match draft.take() {
                    Some(d) if d.rows.last().is_some_and(|&r| r + 1 == ri) => d,
                    _ => Draft::default(),
                };
                let mut d = d;
                for (_, c) in &filled {
                    d.texts.insert(c.col, c.text.clone());
                    d.all.push(c.text.clone());
                }
                d.rows.push(ri);
                match evaluate(&d, &caption, self.period) {
                    Some(h) => {
                        let sub = self.new_sub(ti, h.scale, true);
                        header = Some((h, sub));
                    }
                    None => {
                        // A text row under a live header ends it, unless it
                        // is an activity row without amounts.
                        let activity_row = labels::parse(&filled[0].1.text, true)
                            .is_some_and(|l| l.kind == LabelKind::Activity);
                        if !activity_row {
                            header = None;
                        }
                    }
                }
                draft = Some(d);
                // A text row may still open a money cell continued below
                // ("БУЏЕТ" above the amounts of a row split by a page break).
                if header.is_none()
                    && let Some(lr) = self.loose_row(ti, ri, row)
                {
                    loose.push(lr);
                }
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
            if let Some(lr) = self.loose_row(ti, ri, row) {
                loose.push(lr);
            }
        }
        if loose.iter().any(|r| !r.amounts.is_empty()) {
            let sub = *loose_sub.get_or_insert_with(|| self.new_sub(ti, None, false));
            self.loose_rows(ti, sub, loose, placed);
            used = true;
        }
        if used && !placed.roles.contains_key(&ti) {
            placed.role(ti, "budget");
        }
    }

    fn budget_row(
        &mut self,
        ti: usize,
        ri: usize,
        row: &Row,
        h: &Header,
        sub: usize,
        placed: &mut Placed,
    ) {
        let mut label_cell: Option<(usize, &Cell)> = None;
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
                }
                Role::Source => source_cell = Some((ci, c)),
                Role::Skip => {}
                r => money.push((ci, c, r)),
            }
        }
        let own = label_cell.and_then(|(_, c)| labels::parse(&c.text, true));
        let mut total = label_cell.is_some_and(|(_, c)| is_total(&c.text));
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
            if has_percent(self.ctx, &c.text) {
                continue;
            }
            let nums = amounts(self.ctx, &c.text);
            if nums.is_empty() {
                continue;
            }
            placed.cell(ti, ri, ci);
            let (source, year) = match &role {
                Role::Year(y) => (source_text.clone(), Some(*y)),
                Role::Amount(s) => (Some(s.clone()), None),
                // A row total is the total of the row's source when the rows
                // are sources; when they are plan elements with a source
                // breakdown it spans all sources.
                _ if h.rows_are_sources => (source_text.clone(), None),
                _ => (None, None),
            };
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
                self.entries.push(Entry {
                    sub,
                    table: ti,
                    row: ri,
                    own: own.clone(),
                    total,
                    text: None,
                    source: src.filter(|s| !s.is_empty()),
                    year,
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
    fn loose_row(&self, _ti: usize, ri: usize, row: &Row) -> Option<LooseRow> {
        let mut lr = LooseRow {
            row: ri,
            label_text: String::new(),
            label: None,
            bullets: Vec::new(),
            amounts: Vec::new(),
            money_cell: false,
        };
        let first = row.cells.iter().position(|c| !c.text.trim().is_empty())?;
        let mut money_cell_idx = None;
        for (ci, c) in row.cells.iter().enumerate() {
            let nums: Vec<Number> = amounts(self.ctx, &c.text)
                .into_iter()
                .filter(|n| n.kind == Kind::Money && n.currency.is_some())
                .collect();
            let key = fold::key(&c.text);
            let announces =
                any(&key, &lexicon().money_header) && c.text.split_whitespace().count() <= 2;
            if !nums.is_empty() || (announces && ci != first) {
                lr.money_cell = true;
                money_cell_idx = Some(ci);
                // Words before the first amount say where the money comes
                // from ("Финансирање из ЛС …"), unless they only announce a
                // budget ("БУЏЕТ").
                let before = nums
                    .first()
                    .map(|n| c.text[..n.start.min(c.text.len())].trim().to_string())
                    .unwrap_or_default();
                let before_key = fold::key(&before);
                let announces_only = any(&before_key, &lexicon().money_header)
                    && before.split_whitespace().count() <= 2;
                let source =
                    (!before.is_empty() && !announces_only).then(|| collapse_whitespace(&before));
                for n in nums {
                    lr.amounts
                        .push((n, ri, ci, c.provenance.clone(), source.clone()));
                }
            }
        }
        for (ci, c) in row.cells.iter().enumerate() {
            if Some(ci) == money_cell_idx {
                continue;
            }
            if ci == first {
                lr.label_text = collapse_whitespace(&c.text);
                lr.label = labels::parse(&c.text, true);
                continue;
            }
            let items: Vec<&crate::model::Paragraph> = c
                .paragraphs
                .iter()
                .filter(|p| p.list.is_some() && !p.text.trim().is_empty())
                .collect();
            if !items.is_empty() && lr.bullets.is_empty() {
                for p in items {
                    lr.bullets.push(collapse_whitespace(&p.text));
                }
            }
        }
        lr.money_cell.then_some(lr)
    }

    fn loose_rows(&mut self, ti: usize, sub: usize, rows: Vec<LooseRow>, placed: &mut Placed) {
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
            for (k, (n, ri, ci, prov, source)) in r.amounts.into_iter().enumerate() {
                placed.cell(ti, ri, ci);
                let item = if paired {
                    r.bullets.get(k).cloned()
                } else {
                    None
                };
                let own_item = item.as_deref().and_then(|t| labels::parse(t, true));
                let (own, text) = match (own_item, item) {
                    (Some(l), _) => (Some(l), None),
                    (None, Some(t)) => (r.label.clone(), Some(t)),
                    (None, None) => (
                        r.label.clone(),
                        (r.label.is_none() && !r.label_text.is_empty())
                            .then(|| r.label_text.clone()),
                    ),
                };
                let currency = n.currency.clone();
                self.entries.push(Entry {
                    sub,
                    table: ti,
                    row: ri,
                    own,
                    total: false,
                    text,
                    source,
                    year: None,
                    number: n,
                    currency,
                    provenance: prov,
                    parent: None,
                    activity: None,
                });
            }
        }
    }

    /// Parent and activity codes. Within a sub-table a row without a label
    /// belongs to the labelled row above — or below, when the label of a
    /// merged cell landed on its last row: a run of unlabelled rows whose
    /// sources repeat the ones of the group above starts a new group, which
    /// takes the label of the next labelled row if their sources don't clash.
    fn resolve_parents(&mut self) {
        let mut by_sub: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            by_sub.entry(e.sub).or_default().push(i);
        }
        for (sub, idx) in by_sub {
            // Rows in order with their label and sources.
            // (table, row, own label, total row, source keys)
            type RowInfo = (usize, usize, Option<Label>, bool, BTreeSet<String>);
            let mut rows: Vec<RowInfo> = Vec::new();
            for &i in &idx {
                let e = &self.entries[i];
                let key = e.source.as_deref().map(fold::key).unwrap_or_default();
                match rows.last_mut() {
                    Some(r) if r.0 == e.table && r.1 == e.row => {
                        r.4.insert(key);
                    }
                    _ => rows.push((
                        e.table,
                        e.row,
                        e.own.clone(),
                        e.total,
                        BTreeSet::from([key]),
                    )),
                }
            }
            // Groups: (label, rows, sources).
            struct Group {
                label: Option<Label>,
                total: bool,
                rows: Vec<(usize, usize)>,
                sources: BTreeSet<String>,
            }
            let mut groups: Vec<Group> = Vec::new();
            for (t, r, own, total, sources) in rows {
                let start = own.is_some()
                    || total
                    || groups.last().is_none_or(|g| {
                        g.total
                            || sources
                                .iter()
                                .any(|s| !s.is_empty() && g.sources.contains(s))
                    });
                if start {
                    groups.push(Group {
                        label: own,
                        total,
                        rows: vec![(t, r)],
                        sources,
                    });
                } else if let Some(g) = groups.last_mut() {
                    g.rows.push((t, r));
                    g.sources.extend(sources);
                }
            }
            // An unlabelled group takes the label of the next group when
            // their sources don't clash, else of the group above.
            let n = groups.len();
            for gi in 0..n {
                if groups[gi].label.is_some() || groups[gi].total {
                    continue;
                }
                let next = groups.get(gi + 1).filter(|g| {
                    g.label.is_some() && !g.total && g.sources.is_disjoint(&groups[gi].sources)
                });
                let label = match next {
                    Some(g) => g.label.clone(),
                    None if gi > 0 => groups[gi - 1].label.clone(),
                    None => None,
                };
                groups[gi].label = label;
            }
            let context = self.subs[sub].context.clone();
            let mut placement: BTreeMap<(usize, usize), (Option<String>, Option<String>)> =
                BTreeMap::new();
            for g in &groups {
                let p = if g.total {
                    (context.as_ref().and_then(|l| l.code.clone()), None)
                } else {
                    match g.label.as_ref().or(context.as_ref()) {
                        Some(l) => self.place(l, context.as_ref()),
                        None => (None, None),
                    }
                };
                for r in &g.rows {
                    placement.insert(*r, p.clone());
                }
            }
            for &i in &idx {
                let key = (self.entries[i].table, self.entries[i].row);
                if let Some((parent, activity)) = placement.get(&key) {
                    self.entries[i].parent = parent.clone();
                    self.entries[i].activity = activity.clone();
                }
            }
        }
    }

    /// `(parent, activity)` of a label.
    fn place(&self, l: &Label, context: Option<&Label>) -> (Option<String>, Option<String>) {
        match l.kind {
            LabelKind::Objective(_) => (l.code.clone(), None),
            LabelKind::Activity => {
                let Some(code) = l.code.clone() else {
                    return (context.and_then(|c| c.code.clone()), None);
                };
                let ctx_code = context.and_then(|c| c.code.clone());
                let known: Vec<&Option<String>> = self
                    .rec
                    .activities
                    .iter()
                    .filter(|a| a.code.as_deref() == Some(code.as_str()))
                    .map(|a| &a.parent)
                    .collect();
                let parent = if known.iter().any(|p| **p == ctx_code && ctx_code.is_some()) {
                    ctx_code
                } else if let Some(p) = known.first() {
                    (*p).clone()
                } else if let Some(c) = ctx_code.filter(|c| code.starts_with(&format!("{c}."))) {
                    Some(c)
                } else {
                    // The numbering itself: 1.1.2 sits under 1.1 when the
                    // plan has such an objective.
                    code.rsplit_once('.')
                        .map(|(head, _)| head.to_string())
                        .filter(|h| {
                            self.rec
                                .objectives
                                .iter()
                                .any(|o| o.code.as_deref() == Some(h.as_str()))
                        })
                };
                (parent, Some(code))
            }
        }
    }

    /// Units of the sub-tables; see the module doc.
    fn resolve_scales(&mut self) {
        let values: Vec<BTreeSet<u64>> = (0..self.subs.len())
            .map(|s| {
                self.entries
                    .iter()
                    .filter(|e| e.sub == s)
                    .filter_map(|e| e.number.value)
                    .filter(|v| *v > 0.0)
                    .map(f64::to_bits)
                    .collect()
            })
            .collect();
        let shared = |a: usize, b: usize| values[a].intersection(&values[b]).count();
        // Narrative amounts with a currency ("66,67 милиона динара").
        let mut prose: Vec<f64> = Vec::new();
        for p in &self.ctx.paragraphs {
            for n in numbers::parse_all(&p.paragraph.text, &self.ctx.numbers) {
                if n.kind == Kind::Money
                    && n.currency.is_some()
                    && let Some(v) = n.value
                    && v >= 1000.0
                {
                    prose.push(v);
                }
            }
        }
        let support = |subs: &[usize], scale: u32| -> usize {
            let mut seen = BTreeSet::new();
            for &s in subs {
                for &bits in &values[s] {
                    let v = f64::from_bits(bits) * f64::from(scale);
                    if prose
                        .iter()
                        .any(|m| (m - v).abs() <= (m.abs() * 0.006).max(0.5))
                    {
                        seen.insert(bits);
                    }
                }
            }
            seen.len()
        };
        let n = self.subs.len();
        let declared: Vec<usize> = (0..n)
            .filter(|&s| self.subs[s].tabular && self.subs[s].declared.is_some())
            .collect();
        // Conflicts between marked tables that repeat the same figures.
        for &a in &declared {
            let Some(da) = self.subs[a].declared else {
                continue;
            };
            let rivals: Vec<usize> = declared
                .iter()
                .copied()
                .filter(|&b| b != a && self.subs[b].declared != Some(da) && shared(a, b) >= 3)
                .collect();
            if rivals.is_empty() {
                continue;
            }
            let mut group = rivals.clone();
            group.push(a);
            let own = support(&group, da);
            let best = rivals
                .iter()
                .filter_map(|&b| self.subs[b].declared)
                .map(|s| (support(&group, s), s))
                .max();
            if let Some((sup, s)) = best
                && sup > own
            {
                self.subs[a].scale = s;
                let prov = self
                    .entries
                    .iter()
                    .find(|e| e.sub == a)
                    .map(|e| e.provenance.clone());
                let mut d = Diagnostic::new(
                    Level::Warning,
                    "budget_scale_conflict",
                    format!(
                        "table t{} states its amounts in units of {da} but repeats the figures of a table in units of {s}, which the text confirms; units of {s} used",
                        self.subs[a].table + 1
                    ),
                );
                if let Some(p) = prov {
                    d = d.at(p);
                }
                self.diagnostics.push(d);
            }
        }
        // Unmarked budget tables: the marked table repeating their figures,
        // else the nearest marked one above.
        for s in 0..n {
            if !self.subs[s].tabular || self.subs[s].declared.is_some() {
                continue;
            }
            let twin = declared
                .iter()
                .copied()
                .map(|d| (shared(s, d), d))
                .filter(|(k, _)| *k >= 2)
                .max_by_key(|(k, d)| (*k, std::cmp::Reverse(*d)));
            let above = declared.iter().copied().rfind(|&d| d < s);
            if let Some(d) = twin.map(|(_, d)| d).or(above) {
                self.subs[s].scale = self.subs[d].scale;
            }
        }
    }
}

/// Whether a row has numbers outside year-only cells (then it is data, not
/// a header).
fn numeric_outside_years(ctx: &Ctx, filled: &[(usize, &Cell)]) -> bool {
    filled.iter().any(|(_, c)| {
        if year_header(&c.text).is_some() || has_percent(ctx, &c.text) {
            return false;
        }
        let nums = amounts(ctx, &c.text);
        // A long text cell may mention a number in passing; an amount with
        // a currency is data wherever it stands.
        nums.iter()
            .any(|n| n.kind == Kind::Money && n.currency.is_some())
            || (c.text.trim().chars().count() < 40 && !nums.is_empty())
    })
}

struct LooseRow {
    row: usize,
    label_text: String,
    label: Option<Label>,
    bullets: Vec<String>,
    /// `(amount, row index, cell index, provenance, source words)`.
    amounts: Vec<(Number, usize, usize, Provenance, Option<String>)>,
    money_cell: bool,
}

/// Splits a source cell naming `n` sources into them: by lines, else before
/// each capitalized word that follows a lower-case one ("Општински буџет
/// Наменски трансфер са републичког нивоа").
fn split_sources(s: &str, n: usize) -> Option<Vec<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_headers() {
        assert_eq!(year_header("2026."), Some(2026));
        assert_eq!(year_header("2022*"), Some(2022));
        assert_eq!(year_header("2023. година"), Some(2023));
        assert_eq!(year_header("Циљана вредност у 2026."), None);
        assert_eq!(year_header("12.800"), None);
    }

    #[test]
    fn totals_and_currencies() {
        assert!(is_total("УКУПНО:"));
        assert!(is_total("Укупна средства"));
        assert!(is_total("Gjithsej"));
        assert!(!is_total(
            "Укупно процењена финансијска средства по изворима"
        ));
        assert_eq!(currency_in("у хиљадама РСД").as_deref(), Some("RSD"));
        assert_eq!(currency_in("4.000.000,00 динара").as_deref(), Some("RSD"));
        assert_eq!(currency_in("€/muaj").as_deref(), Some("EUR"));
        assert_eq!(currency_in("Дина Станковић"), None);
    }

    #[test]
    fn sources_split_by_capitals_or_lines() {
        assert_eq!(
            split_sources("Општински буџет Наменски трансфер са републичког нивоа", 2),
            Some(vec![
                "Општински буџет".to_string(),
                "Наменски трансфер са републичког нивоа".to_string()
            ])
        );
        assert_eq!(
            split_sources("Буџет ЛС\nДонација", 2),
            Some(vec!["Буџет ЛС".to_string(), "Донација".to_string()])
        );
        assert_eq!(split_sources("Општински буџет", 2), None);
    }
}
