//! Money: every amount the plan ties to a goal, measure or activity.
//!
//! In: the context (tables and paragraphs in document order) and the record
//! as the structure pass left it (objectives and activities, for parent
//! codes and links). Out: the record's `budgets`, one entry per amount, per
//! source and per year, wherever the document states it (a figure repeated
//! in a summary table and in a measure's own table is two entries), plus
//! diagnostics; the cells used are marked placed, their tables `budget`.
//!
//! Two shapes are read:
//! - budget tables: a header with year columns ("2026."), funding-source
//!   columns ("Буџетска средства Општине") or total columns ("УКУПНО"), and
//!   rows labelled with a goal, measure or activity ("Мера 1.1",
//!   "1.1.1 Запошљавање…"), a funding source, or a year. Several such
//!   sub-tables may sit in one document table, each opened by its own header
//!   rows. Rows without a label belong to the labelled row above, or to the
//!   goal or measure announced just before the table ("МЕРА 2.1:");
//! - amounts in other tables: under a money column ("Буџет", "BUXHETI") or
//!   naming a currency ("4.000.000,00 динара"), paired in order with a
//!   bulleted list of activities in the same row when there is one (a
//!   diagnostic says when the counts differ). These count only when tied to
//!   a plan element.
//!
//! Tables of past spending (years outside the plan's period) and indicator
//! tables are never budgets. `value` is the number as written and `scale`
//! the table's unit (1000 under "у 000" / "у хиљадама"), so value × scale is
//! the amount. A table without its own marker takes the unit of the marked
//! table that repeats its figures, else of the nearest marked table above.
//! When two tables state the same figures in different units, the narrative
//! decides ("66,67 милиона динара" confirms thousands) and a diagnostic
//! reports it. `activity_id` links an amount to its activity record (the only
//! link for activities without a code); `source_kind` classifies the source
//! across languages. Words come from `mappings/money_markers.tsv` and
//! `mappings/funding_sources.tsv`; labels are read as the structure pass
//! reads them ([`super::labels`]).

use super::labels::{self, Label, LabelKind};
use super::record::{Budget, Period};
use super::structure::lexicon::{Lexicon as StructureLexicon, Role as HeaderRole};
use super::{Ctx, Placed, PlanRecord};
use crate::mappings::Mappings;
use crate::model::{Cell, Diagnostic, Level, Provenance, Row};
use crate::normalize::fast_hash::WordMap;
use crate::normalize::numbers::{self, Kind, Number};
use crate::normalize::{collapse_whitespace, fold};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;

// ------------------------------------------------------------------ lexicon

struct Pattern {
    words: String,
    prefix: bool,
    /// A searcher for `words` built once: patterns are tested against
    /// every header and label cell.
    finder: memchr::memmem::Finder<'static>,
}

impl Pattern {
    fn new(words: String, prefix: bool) -> Pattern {
        let finder = memchr::memmem::Finder::new(words.as_bytes()).into_owned();
        Pattern {
            words,
            prefix,
            finder,
        }
    }
}

#[derive(Default)]
struct Lexicon {
    currency: Vec<(Pattern, String)>,
    total: Vec<Pattern>,
    source_header: Vec<Pattern>,
    money_header: Vec<Pattern>,
    funding: Vec<Pattern>,
    not_money: Vec<Pattern>,
    not_budget: Vec<Pattern>,
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
            let p = Pattern::new(words, prefix);
            match r.get(0) {
                "total" => lx.total.push(p),
                "source_header" => lx.source_header.push(p),
                "money_header" => lx.money_header.push(p),
                "funding" => lx.funding.push(p),
                "not_money" => lx.not_money.push(p),
                "not_budget" => lx.not_budget.push(p),
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

/// The folding key of a text, computed once per text and thread: table
/// cells repeat, and a table is looked at as header and as data.
fn folded(text: &str) -> Rc<str> {
    thread_local! {
        static KEYS: RefCell<WordMap<String, Rc<str>>> = RefCell::default();
    }
    KEYS.with(|k| {
        if let Some(v) = k.borrow().get(text) {
            return Rc::clone(v);
        }
        let v: Rc<str> = Rc::from(fold::key(text));
        let mut map = k.borrow_mut();
        // Bounded: a long batch must not grow it without end.
        if map.len() > 200_000 {
            map.clear();
        }
        map.insert(text.to_string(), Rc::clone(&v));
        v
    })
}

/// [`numbers::scale_marker`], computed once per text and thread.
fn scale_of(text: &str) -> Option<u32> {
    thread_local! {
        static SCALES: RefCell<WordMap<String, Option<u32>>> = RefCell::default();
    }
    SCALES.with(|m| {
        if let Some(v) = m.borrow().get(text) {
            return *v;
        }
        let v = numbers::scale_marker(text);
        let mut map = m.borrow_mut();
        if map.len() > 200_000 {
            map.clear();
        }
        map.insert(text.to_string(), v);
        v
    })
}

/// Whether `pat` occurs in `key` starting at a word start (and ending at a
/// word end unless it is a prefix pattern).
fn has(key: &str, pat: &Pattern) -> bool {
    // Patterns are never empty (see `lexicon`).
    fold::has_words(key, &pat.words, &pat.finder, pat.prefix)
}

fn any(key: &str, pats: &[Pattern]) -> bool {
    pats.iter().any(|p| has(key, p))
}

/// Validates the mapping files this pass reads (`money_markers.tsv`,
/// `funding_sources.tsv`), so a bad override is reported with its file and
/// line instead of being skipped.
pub fn check(m: &Mappings) -> crate::Result<()> {
    const MARKERS: &[&str] = &[
        "total",
        "source_header",
        "money_header",
        "funding",
        "not_money",
        "not_budget",
    ];
    const KINDS: &[&str] = &["local", "national", "donor", "external", "users", "none"];
    for r in m.rows("money_markers.tsv")? {
        let kind = r.get(0);
        let currency = kind
            .strip_prefix("currency:")
            .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()));
        if !(currency || MARKERS.contains(&kind)) {
            return Err(crate::normalize::bad_row(
                "money_markers.tsv",
                r.line,
                format!("unknown kind {kind:?}"),
            ));
        }
        if r.get(1).trim_end_matches('*').is_empty() {
            return Err(crate::normalize::bad_row(
                "money_markers.tsv",
                r.line,
                "no pattern",
            ));
        }
    }
    for r in m.rows("funding_sources.tsv")? {
        if !KINDS.contains(&r.get(0)) {
            return Err(crate::normalize::bad_row(
                "funding_sources.tsv",
                r.line,
                format!("unknown kind {:?}", r.get(0)),
            ));
        }
        if r.get(1).trim_end_matches('*').is_empty() {
            return Err(crate::normalize::bad_row(
                "funding_sources.tsv",
                r.line,
                "no words",
            ));
        }
    }
    Ok(())
}

/// The kind of a funding source (see `mappings/funding_sources.tsv`).
fn source_kind(source: &str) -> Option<String> {
    static KINDS: OnceLock<Vec<(String, Pattern)>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        Mappings::global()
            .rows("funding_sources.tsv")
            .map(|rows| {
                rows.iter()
                    .filter_map(|r| {
                        let raw = r.get(1);
                        let words = fold::key(raw.trim_end_matches('*'));
                        (!words.is_empty()).then(|| {
                            (
                                r.get(0).to_string(),
                                Pattern::new(words, raw.ends_with('*')),
                            )
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let key = folded(source);
    let found: BTreeSet<&str> = kinds
        .iter()
        .filter(|(_, p)| has(&key, p))
        .map(|(k, _)| k.as_str())
        .collect();
    match found.len() {
        0 => None,
        1 => found.into_iter().next().map(str::to_string),
        _ => Some("mixed".to_string()),
    }
}

/// The number as written without the currency that follows or precedes it
/// ("2.000.000,00 динара" → "2.000.000,00", "€ 500" → "500"): the currency
/// has its own field. Anything else around the digits ("1,5 милиона") stays.
fn number_token(raw: &str) -> String {
    let Some(start) = raw.find(|c: char| c.is_ascii_digit()) else {
        return raw.to_string();
    };
    let bytes: Vec<(usize, char)> = raw.char_indices().collect();
    let mut end = start;
    let mut k = bytes.iter().position(|(i, _)| *i == start).unwrap_or(0);
    while k < bytes.len() {
        let (i, c) = bytes[k];
        let next_digit = bytes.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_digit() {
            end = i + c.len_utf8();
        } else if !(matches!(c, '.' | ',' | '\'' | '’' | ' ' | '\u{a0}') && next_digit) {
            break;
        }
        k += 1;
    }
    let start = if raw[..start].ends_with('-') {
        start - 1
    } else {
        start
    };
    let rest = format!("{} {}", &raw[..start], &raw[end..]);
    let only_currency = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '/' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .all(|w| {
            let k = folded(w);
            lexicon()
                .currency
                .iter()
                .any(|(p, _)| *k == *p.words || (p.prefix && k.starts_with(p.words.as_str())))
        });
    if only_currency {
        raw[start..end].to_string()
    } else {
        raw.to_string()
    }
}

/// A currency named in text ("у хиљадама РСД", "динара", "€").
fn currency_in(text: &str) -> Option<String> {
    let key = folded(text);
    lexicon()
        .currency
        .iter()
        .find(|(p, _)| has(&key, p))
        .map(|(_, c)| c.clone())
}

/// A short cell that says "total" ("УКУПНО:", "Gjithsej").
fn is_total(text: &str) -> bool {
    let key = folded(text);
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

/// A header that only says "budget" (with its unit or currency in
/// brackets), naming no source.
fn generic_money(text: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let key = folded(&plain);
    let key = key.trim_matches(|c: char| !c.is_alphanumeric());
    key.split(' ').count() == 1 && any(key, &lexicon().money_header)
}

/// The element a total row names: "Укупно за меру 1.1", "Gjithsej
/// Objektivi 2".
fn total_of(text: &str) -> Option<Label> {
    let key = folded(text);
    let pat = lexicon().total.iter().find(|p| {
        key.starts_with(p.words.as_str())
            && key[p.words.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })?;
    let mut rest = key[pat.words.len()..].trim_start_matches([' ', ':', '-', '.']);
    for w in ["za ", "per ", "for ", "po "] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
        }
    }
    // The element is named in the accusative or genitive after "за".
    let mut named = rest.to_string();
    for (form, base) in [("meru ", "mera "), ("mere ", "mera "), ("cilja ", "cilj ")] {
        if let Some(r) = rest.strip_prefix(form) {
            named = format!("{base}{r}");
        }
    }
    labels::parse(&named, false)
}

/// A header cell that is only a year ("2026", "2026.", "2022*",
/// "2023. година").
fn year_header(text: &str) -> Option<i32> {
    // Cheap test first: a year has four digits in a row.
    let t = text.trim();
    if t.chars().count() > 24
        || !t
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    let key = folded(text);
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

/// The numbers of texts, read once each through the context's memo: a
/// table is looked at several times (header or data, budget or loose) and
/// many cells repeat ("0").
struct Memo<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Memo<'c, 'a> {
    fn new(ctx: &'c Ctx<'a>) -> Memo<'c, 'a> {
        Memo { ctx }
    }

    fn all(&self, text: &str) -> Rc<Vec<Number>> {
        self.ctx.numbers_of(text)
    }

    /// Numbers of a cell that can be money: plain numbers and amounts, not
    /// percentages, years, dates or ranges.
    fn amounts(&self, text: &str) -> Vec<Number> {
        self.all(text)
            .iter()
            .filter(|n| {
                n.value.is_some()
                    && matches!(
                        n.kind,
                        Kind::Integer | Kind::Decimal | Kind::Money | Kind::Count
                    )
            })
            .cloned()
            .collect()
    }

    /// Whether a cell holds a percentage (then it is a share, not money).
    fn has_percent(&self, text: &str) -> bool {
        self.all(text).iter().any(|n| n.kind == Kind::Percent)
    }
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
    /// A column of amounts from one funding source (its header), or of
    /// money in general ("Буџет (у 000 РСД)").
    Amount(Option<String>),
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
    /// Label columns whose header names the plan element ("Активност",
    /// "Мера", "Objektivi"), so their words name an uncoded row.
    named: BTreeSet<usize>,
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
    // An indicator table (baseline and targets per year) is not a budget,
    // whatever money words its indicators use.
    if draft.all.iter().any(|t| any(&folded(t), &lx.not_budget)) {
        return None;
    }
    for (&col, text) in &draft.texts {
        let key = folded(text);
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
            // "Буџет (у 000 РСД)" is a money column, not a source.
            let source = (!generic_money(text)).then(|| collapse_whitespace(text));
            Role::Amount(source)
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
    let scale = draft.all.iter().chain(caption).find_map(|t| scale_of(t));
    let currency = draft.all.iter().chain(caption).find_map(|t| currency_in(t));
    let caption_money = caption.iter().any(|t| any(&folded(t), &lx.money_header));
    if !(evidence || scale.is_some() || currency.is_some() || caption_money || amount_cols >= 2) {
        return None;
    }
    let rows_are_sources = cols
        .values()
        .find(|r| **r != Role::Skip)
        .is_some_and(|r| *r == Role::Source);
    let named = draft
        .texts
        .iter()
        .filter(|(col, text)| {
            cols.get(*col) == Some(&Role::Label)
                && matches!(
                    StructureLexicon::global().header_role(text),
                    Some(HeaderRole::Activity | HeaderRole::Goal | HeaderRole::Priority)
                )
        })
        .map(|(col, _)| *col)
        .collect();
    Some(Header {
        cols,
        named,
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
    /// From a total column of a table whose rows are plan elements.
    total_col: bool,
    /// The cell (table index, row, cell) of an amount found outside a
    /// budget table; it is kept, and placed, only when it is tied to a plan
    /// element.
    loose: Option<(usize, usize, usize)>,
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
    memo: Memo<'c, 'a>,
    /// Parents of the structure's activities by code, in record order, and
    /// the codes of its objectives: looked up for every amount, so indexed
    /// once rather than scanned.
    act_parents: HashMap<&'c str, Vec<&'c Option<String>>>,
    objective_codes: HashSet<&'c str>,
    period: Option<Period>,
    entries: Vec<Entry>,
    subs: Vec<Sub>,
    diagnostics: Vec<Diagnostic>,
    /// The last goal or measure label seen, and how many paragraphs ago.
    context: Option<(Label, usize)>,
    /// The budget header still open at the end of the last table, for a
    /// table that continues it right below (a table split by a page break
    /// or a blank line): header, its sub-table, the table's width.
    open: Option<(Header, usize, usize)>,
}

/// How many paragraphs a label stays in force for a following table.
const CONTEXT_REACH: usize = 3;

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let period = super::metadata::plan_period(ctx).map(|(p, _)| p);
    let mut act_parents: HashMap<&str, Vec<&Option<String>>> = HashMap::new();
    for a in &rec.activities {
        if let Some(c) = a.code.as_deref() {
            act_parents.entry(c).or_default().push(&a.parent);
        }
    }
    let objective_codes: HashSet<&str> = rec
        .objectives
        .iter()
        .filter_map(|o| o.code.as_deref())
        .collect();
    let mut w = Walker {
        ctx,
        memo: Memo::new(ctx),
        act_parents,
        objective_codes,
        period,
        entries: Vec::new(),
        subs: Vec::new(),
        diagnostics: Vec::new(),
        context: None,
        open: None,
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
    // The document's currency, read only when an amount names none.
    let doc_currency = if w.entries.iter().any(|e| e.currency.is_none()) {
        document_currency(&w.memo)
    } else {
        None
    };
    let Walker {
        entries,
        subs,
        diagnostics,
        ..
    } = w;
    let mut out = Vec::with_capacity(entries.len());
    let mut linker = Linker::new(rec);
    for e in entries {
        let sub = &subs[e.sub];
        let activity_id = linker.link(&e);
        if let Some((ti, ri, ci)) = e.loose {
            // An amount outside a budget table counts only when it belongs
            // to a plan element: a code, or an activity the structure knows.
            // Otherwise it stays in `tables`, not placed.
            if e.parent.is_none() && e.activity.is_none() && activity_id.is_none() {
                continue;
            }
            placed.cell(ti, ri, ci);
            if !placed.roles.contains_key(&ti) {
                placed.role(ti, "budget");
            }
        }
        out.push(Budget {
            id: format!("b{}", out.len() + 1),
            parent: e.parent,
            activity: e.activity,
            activity_id,
            label: e.text,
            source_kind: e.source.as_deref().and_then(source_kind),
            source: e.source,
            year: e.year,
            raw: number_token(&e.number.raw),
            value: e.number.value,
            scale: sub.scale,
            currency: e.currency.or_else(|| doc_currency.clone()),
            provenance: e.provenance,
        });
    }
    rec.budgets = out;
    rec.diagnostics.extend(diagnostics);
}

/// Links amounts to the activity records of the structure pass: by code
/// (under the same parent when the code repeats), by the words of a listed
/// activity, or by the table row both come from.
struct Linker {
    activities: Vec<ActivityRef>,
    /// Activities (indices, in record order) by code, by words, and by the
    /// table row they come from: every amount is linked, so the record's
    /// activities are indexed once rather than scanned per amount.
    by_code: HashMap<String, Vec<usize>>,
    by_words: HashMap<String, Vec<usize>>,
    by_row: HashMap<(usize, usize), Vec<usize>>,
    /// Activities already given to an amount by their words, so that two
    /// list items with the same words go to two activities.
    used: BTreeSet<usize>,
}

/// What the linker needs of an activity record.
struct ActivityRef {
    id: String,
    parent: Option<String>,
}

impl Linker {
    fn new(rec: &PlanRecord) -> Linker {
        let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_words: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_row: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, a) in rec.activities.iter().enumerate() {
            if let Some(c) = &a.code {
                by_code.entry(c.clone()).or_default().push(i);
            }
            by_words
                .entry(collapse_whitespace(&a.text.original))
                .or_default()
                .push(i);
            if let (Some(t), Some(r)) = (a.provenance.table, a.provenance.row) {
                by_row.entry((t, r)).or_default().push(i);
            }
        }
        Linker {
            activities: rec
                .activities
                .iter()
                .map(|a| ActivityRef {
                    id: a.id.clone(),
                    parent: a.parent.clone(),
                })
                .collect(),
            by_code,
            by_words,
            by_row,
            used: BTreeSet::new(),
        }
    }

    fn link(&mut self, e: &Entry) -> Option<String> {
        let acts = &self.activities;
        if let Some(code) = &e.activity {
            let same = self.by_code.get(code)?;
            let best = same
                .iter()
                .find(|&&i| acts[i].parent == e.parent)
                .or(same.first())?;
            return Some(acts[*best].id.clone());
        }
        if let Some(words) = &e.text {
            let words = collapse_whitespace(words);
            if let Some(i) = self.by_words.get(&words).and_then(|v| {
                v.iter()
                    .copied()
                    .find(|&i| !self.used.contains(&i) && acts[i].parent == e.parent)
            }) {
                self.used.insert(i);
                return Some(acts[i].id.clone());
            }
        }
        let (table, row) = (e.provenance.table?, e.provenance.row?);
        let on_row: &[usize] = self.by_row.get(&(table, row)).map_or(&[], Vec::as_slice);
        // Only an unambiguous row: one activity on it.
        match on_row {
            [a] if e.text.is_some() || e.own.is_none() => Some(acts[*a].id.clone()),
            _ => None,
        }
    }
}

/// The currency most amounts of the document name, if one does.
fn document_currency(memo: &Memo) -> Option<String> {
    let ctx = memo.ctx;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |s: &str| {
        for n in memo.all(s).iter() {
            if let Some(c) = &n.currency {
                *counts.entry(c.clone()).or_insert(0) += 1;
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
        // Text between two tables: the second does not continue the first.
        self.open = None;
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
                year_header(&c.text).is_none() && !self.memo.amounts(&c.text).is_empty()
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
                        && !self.memo.amounts(&c.text).is_empty()
                })
            });
            if !money_in_header && filled.len() >= 2 && !numeric_outside_years(&self.memo, &filled)
            {
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
                        money_cols.clear();
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
                if header.is_none() {
                    // A matrix header naming a money column with its unit
                    // or currency ("Буџет (у 000 РСД)").
                    // Only a row that reads as a header: short cells, no
                    // goal or activity label (a text row of the matrix may
                    // well say "Буџет општине").
                    let header_like = labels::parse(&filled[0].1.text, true).is_none()
                        && filled
                            .iter()
                            .all(|(_, c)| c.text.split_whitespace().count() <= 12);
                    if d.all.iter().any(|t| any(&folded(t), &lexicon().not_budget)) {
                        money_cols.clear();
                    } else if header_like {
                        let cols = money_columns(&filled, &d, &caption, self.period);
                        if !cols.is_empty() {
                            money_cols = cols;
                        }
                    }
                    // A text row may still open a money cell continued below
                    // ("БУЏЕТ" above the amounts of a row split by a page
                    // break).
                    if let Some(lr) = self.loose_row(ri, row, &money_cols) {
                        loose.push(lr);
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
            if let Some(lr) = self.loose_row(ri, row, &money_cols) {
                loose.push(lr);
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
        // A year as the row label: years run down the rows.
        let row_year = label_cell.and_then(|(_, c)| year_header(&c.text));
        let mut own = label_cell
            .filter(|_| row_year.is_none())
            .and_then(|(_, c)| labels::parse(&c.text, true));
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
    fn loose_row(&self, ri: usize, row: &Row, money_cols: &MoneyCols) -> Option<LooseRow> {
        let mut lr = LooseRow {
            row: ri,
            label_text: String::new(),
            label: None,
            context: self.live_context(),
            bullets: Vec::new(),
            amounts: Vec::new(),
            money_cell: false,
        };
        let first = row.cells.iter().position(|c| !c.text.trim().is_empty())?;
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
                    (column.is_some() && ci != first && n.kind != Kind::Count)
                        || (n.kind == Kind::Money && n.currency.is_some())
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
                        .then(|| collapse_whitespace(&before));
                    let currency = n
                        .currency
                        .clone()
                        .or_else(|| column.and_then(|(_, cur)| cur.clone()));
                    lr.amounts
                        .push((n, ri, ci, c.provenance.clone(), source, currency));
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

    fn loose_rows(&mut self, ti: usize, sub: usize, rows: Vec<LooseRow>) {
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
            for (k, (n, ri, ci, prov, source, currency)) in r.amounts.into_iter().enumerate() {
                let item = if paired {
                    r.bullets.get(k).cloned()
                } else {
                    None
                };
                let own_item = item.as_deref().and_then(|t| labels::parse(t, true));
                let (own, text) = match (own_item, item) {
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
                    total: false,
                    text,
                    source,
                    year: None,
                    total_col: false,
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
                let key = if e.total_col {
                    String::new()
                } else {
                    e.source
                        .as_deref()
                        .map(|t| folded(t).to_string())
                        .unwrap_or_default()
                };
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
            // Adopting the next label joins the two groups into one.
            let mut joined: Vec<Group> = Vec::new();
            let mut pending: Option<Group> = None;
            for mut g in groups {
                if let Some(mut p) = pending.take() {
                    if g.label.is_some() && !g.total && g.sources.is_disjoint(&p.sources) {
                        p.label = g.label.take();
                        p.rows.append(&mut g.rows);
                        p.sources.append(&mut g.sources);
                        joined.push(p);
                        continue;
                    }
                    p.label = joined.last().and_then(|q| q.label.clone());
                    joined.push(p);
                }
                if g.label.is_none() && !g.total {
                    pending = Some(g);
                } else {
                    joined.push(g);
                }
            }
            if let Some(mut p) = pending {
                p.label = joined.last().and_then(|q| q.label.clone());
                joined.push(p);
            }
            let groups = joined;
            let context = self.subs[sub].context.clone();
            let mut placement: BTreeMap<(usize, usize), (Option<String>, Option<String>)> =
                BTreeMap::new();
            for g in &groups {
                let p = if g.total {
                    match &g.label {
                        Some(l) => self.place(l, context.as_ref()),
                        None => (context.as_ref().and_then(|l| l.code.clone()), None),
                    }
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
            // Totals carried by only some rows of a group span the group.
            for g in &groups {
                let with_total = g
                    .rows
                    .iter()
                    .filter(|r| {
                        idx.iter().any(|&i| {
                            let e = &self.entries[i];
                            e.total_col && (e.table, e.row) == **r
                        })
                    })
                    .count();
                if with_total > 0 && with_total < g.rows.len() {
                    for &i in &idx {
                        let e = &mut self.entries[i];
                        if e.total_col && g.rows.contains(&(e.table, e.row)) {
                            e.source = None;
                        }
                    }
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
                let known: &[&Option<String>] = self
                    .act_parents
                    .get(code.as_str())
                    .map_or(&[], Vec::as_slice);
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
                        .filter(|h| self.objective_codes.contains(h.as_str()))
                };
                (parent, Some(code))
            }
        }
    }

    /// Units of the sub-tables; see the module doc.
    fn resolve_scales(&mut self) {
        // Each pass below is linear in the entries, the sub-tables and the
        // shared figures (one pass over the entries, sorted narrative
        // amounts, an index of figures to marked tables), so a document
        // twice as long costs about twice as much.
        let mut values: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); self.subs.len()];
        // The first entry of each sub-table, whose place a diagnostic names.
        let mut first_entry: Vec<Option<usize>> = vec![None; self.subs.len()];
        for (i, e) in self.entries.iter().enumerate() {
            let Some(set) = values.get_mut(e.sub) else {
                continue;
            };
            first_entry[e.sub].get_or_insert(i);
            if let Some(v) = e.number.value.filter(|v| *v > 0.0) {
                set.insert(v.to_bits());
            }
        }
        let shared = |a: usize, b: usize| values[a].intersection(&values[b]).count();
        // Narrative amounts with a currency ("66,67 милиона динара"), read
        // only when marked tables disagree.
        let mut prose: Vec<f64> = Vec::new();
        let units: BTreeSet<u32> = self
            .subs
            .iter()
            .filter(|s| s.tabular)
            .filter_map(|s| s.declared)
            .collect();
        let disagree = units.len() > 1;
        for p in self.ctx.paragraphs.iter().filter(|_| disagree) {
            for n in self.memo.all(&p.paragraph.text).iter() {
                if n.kind == Kind::Money
                    && n.currency.is_some()
                    && let Some(v) = n.value
                    && v >= 1000.0
                {
                    prose.push(v);
                }
            }
        }
        // Sorted, so the amounts near a figure are found by binary search.
        prose.sort_by(f64::total_cmp);
        let near = |v: f64| {
            // Every `m` within tolerance of `v` lies in this window (prose
            // amounts are ≥ 1000, figures positive); checked exactly below.
            let lo = (v - 0.5).min(v / 1.007);
            let hi = (v + 0.5).max(v / 0.993);
            let from = prose.partition_point(|m| *m < lo);
            prose[from..]
                .iter()
                .take_while(|m| **m <= hi)
                .any(|m| (m - v).abs() <= (m.abs() * 0.006).max(0.5))
        };
        let support = |subs: &[usize], scale: u32| -> usize {
            let mut seen = BTreeSet::new();
            for &s in subs {
                for &bits in &values[s] {
                    if near(f64::from_bits(bits) * f64::from(scale)) {
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
        // Marked tables with the same figures and unit decide alike (a long
        // document repeats its tables), so the work is done once per class
        // of them, represented by its first table.
        let mut class_of: HashMap<(&BTreeSet<u64>, u32), usize> = HashMap::new();
        let mut reps: Vec<usize> = Vec::new();
        let mut class: Vec<usize> = vec![usize::MAX; n];
        for &d in &declared {
            let unit = self.subs[d].declared.unwrap_or(1);
            let c = *class_of.entry((&values[d], unit)).or_insert_with(|| {
                reps.push(d);
                reps.len() - 1
            });
            class[d] = c;
        }
        // Per class: its own support and the best rival unit's (support,
        // unit); `None` without rivals.
        type Verdict = Option<(usize, Option<(usize, u32)>)>;
        let verdicts: Vec<Verdict> = reps
            .iter()
            .map(|&a| {
                let da = self.subs[a].declared?;
                let rivals: Vec<usize> = reps
                    .iter()
                    .copied()
                    .filter(|&b| self.subs[b].declared != Some(da) && shared(a, b) >= 3)
                    .collect();
                if rivals.is_empty() {
                    return None;
                }
                let mut group = rivals.clone();
                group.push(a);
                let own = support(&group, da);
                let best = rivals
                    .iter()
                    .filter_map(|&b| self.subs[b].declared)
                    .map(|s| (support(&group, s), s))
                    .max();
                Some((own, best))
            })
            .collect();
        // Conflicts between marked tables that repeat the same figures.
        for &a in &declared {
            let Some(da) = self.subs[a].declared else {
                continue;
            };
            let Some((own, best)) = verdicts[class[a]] else {
                continue;
            };
            let prov = first_entry[a].map(|i| self.entries[i].provenance.clone());
            let message = match best {
                Some((sup, s)) if sup > own => {
                    self.subs[a].scale = s;
                    format!(
                        "table t{} states its amounts in units of {da} but repeats the figures of a table in units of {s}, which the text confirms; units of {s} used",
                        self.subs[a].table + 1
                    )
                }
                // Only the table stating the losing unit reports, once.
                Some((sup, s)) if sup == own && da < s => format!(
                    "table t{} states its amounts in units of {da} but repeats the figures of a table in units of {s}; nothing in the text decides, each kept as stated",
                    self.subs[a].table + 1
                ),
                _ => continue,
            };
            let mut d = Diagnostic::new(Level::Warning, "budget_scale_conflict", message);
            if let Some(p) = prov {
                d = d.at(p);
            }
            self.diagnostics.push(d);
        }
        // Unmarked budget tables: the marked table repeating their figures,
        // else the nearest marked one above.
        // Figures of the marked tables → those tables (a class's first: of
        // tables sharing as many figures, the first is taken), so a table's
        // twins are counted from its own figures, not by comparing every
        // pair.
        let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
        for &d in &reps {
            for &bits in &values[d] {
                holders.entry(bits).or_default().push(d);
            }
        }
        for s in 0..n {
            if !self.subs[s].tabular || self.subs[s].declared.is_some() {
                continue;
            }
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for bits in &values[s] {
                for &d in holders.get(bits).map_or(&[][..], Vec::as_slice) {
                    *counts.entry(d).or_insert(0) += 1;
                }
            }
            let twin = counts
                .into_iter()
                .map(|(d, k)| (k, d))
                .filter(|(k, _)| *k >= 2)
                .max_by_key(|(k, d)| (*k, std::cmp::Reverse(*d)));
            let above = declared[..declared.partition_point(|&d| d < s)]
                .last()
                .copied();
            if let Some(d) = twin.map(|(_, d)| d).or(above) {
                self.subs[s].scale = self.subs[d].scale;
            }
        }
    }
}

/// Columns of a matrix header that announce money ("Буџет", "BUXHETI",
/// "Финансије (у 000 РСД)"), with the unit and currency their header or the
/// table's caption states.
fn money_columns(
    filled: &[(usize, &Cell)],
    draft: &Draft,
    caption: &[String],
    period: Option<Period>,
) -> MoneyCols {
    // Past spending (years outside the plan's period) is no plan budget.
    if let Some(p) = period
        && let (Some(from), Some(to)) = (p.from, p.to)
        && draft
            .all
            .iter()
            .filter_map(|t| year_header(t))
            .any(|y| y < from || y > to)
    {
        return BTreeMap::new();
    }
    let caption_scale = caption.iter().find_map(|t| scale_of(t));
    let caption_currency = caption.iter().find_map(|t| currency_in(t));
    let mut out = BTreeMap::new();
    for (_, c) in filled {
        let key = folded(&c.text);
        if key.split(' ').count() > 15
            || !any(&key, &lexicon().money_header)
            || any(&key, &lexicon().not_money)
        {
            continue;
        }
        let scale = scale_of(&c.text).or(caption_scale);
        let currency = currency_in(&c.text).or_else(|| caption_currency.clone());
        out.insert(c.col, (scale, currency));
    }
    out
}

/// Whether a row has numbers outside year-only cells (then it is data, not
/// a header).
fn numeric_outside_years(memo: &Memo, filled: &[(usize, &Cell)]) -> bool {
    filled.iter().any(|(_, c)| {
        if year_header(&c.text).is_some() || memo.has_percent(&c.text) {
            return false;
        }
        let nums = memo.amounts(&c.text);
        // A long text cell may mention a number in passing; an amount with
        // a currency is data wherever it stands.
        nums.iter()
            .any(|n| n.kind == Kind::Money && n.currency.is_some())
            || (c.text.trim().chars().count() < 40 && !nums.is_empty())
    })
}

type LooseAmount = (
    Number,
    usize,
    usize,
    Provenance,
    Option<String>,
    Option<String>,
);

/// Money columns of a matrix by grid column: scale and currency of their
/// header.
type MoneyCols = BTreeMap<usize, (Option<u32>, Option<String>)>;

struct LooseRow {
    row: usize,
    label_text: String,
    label: Option<Label>,
    /// The goal or measure in force at this row (a label row or paragraph
    /// above), for rows that name none themselves.
    context: Option<Label>,
    bullets: Vec<String>,
    /// `(amount, row index, cell index, provenance, source words, currency)`.
    amounts: Vec<LooseAmount>,
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
    use crate::extract::record::Budget;
    use crate::read::{ReadOptions, read_bytes};

    /// The budgets (and diagnostics codes) of a text document.
    fn budgets(text: &str) -> (Vec<Budget>, Vec<String>) {
        let doc = match read_bytes(
            std::path::Path::new("test.txt"),
            text.as_bytes(),
            &ReadOptions::default(),
        ) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let rec = crate::extract::extract(&doc);
        let codes = rec.diagnostics.iter().map(|d| d.code.clone()).collect();
        (rec.budgets, codes)
    }

    /// `(parent, activity, source, year, raw, scale)`.
    type Row<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<i32>,
        &'a str,
        u32,
    );

    fn row(b: &Budget) -> Row<'_> {
        (
            b.parent.as_deref(),
            b.activity.as_deref(),
            b.source.as_deref(),
            b.year,
            b.raw.as_str(),
            b.scale,
        )
    }

    #[test]
    fn sources_by_year_with_totals() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\nТабела: Буџет плана (у 000 РСД)\n\n\
             Мера\tИзвор финансирања\t2024\t2025\tУкупно\n\
             Мера 1.1\tБуџет општине\t100\t200\t300\n\
             \tДонације\t50\t0\t50\n\
             Укупно за меру 1.1\t\t150\t200\t350\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(rows.len(), 9);
        assert_eq!(
            rows[0],
            (
                Some("1.1"),
                None,
                Some("Буџет општине"),
                Some(2024),
                "100",
                1000
            )
        );
        // Every row has its own total: it keeps the row's source.
        assert_eq!(
            rows[2],
            (Some("1.1"), None, Some("Буџет општине"), None, "300", 1000)
        );
        assert_eq!(
            rows[4],
            (Some("1.1"), None, Some("Донације"), Some(2025), "0", 1000)
        );
        // "Укупно за меру 1.1" totals measure 1.1 over its sources.
        assert_eq!(rows[8], (Some("1.1"), None, None, None, "350", 1000));
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
    }

    /// A document of paragraphs (`Err`) and tables (`Ok`) in order.
    fn document(blocks: &[Result<&[&[&str]], &str>]) -> crate::model::Document {
        use crate::model::{Block, Cell, Document, Format, Paragraph, Row, Source, Table};
        let para = |t: &str| Paragraph {
            text: t.to_string(),
            ..Paragraph::default()
        };
        Document {
            source: Source {
                path: "test.docx".into(),
                format: Format::Docx,
                encoding: "UTF-8".into(),
                encoding_confidence: 1.0,
                sha256: String::new(),
                bytes: 0,
            },
            blocks: blocks
                .iter()
                .enumerate()
                .map(|(bi, b)| match b {
                    Err(t) => Block::Paragraph(para(t)),
                    Ok(rows) => Block::Table(Table {
                        rows: rows
                            .iter()
                            .enumerate()
                            .map(|(ri, r)| Row {
                                cells: r
                                    .iter()
                                    .enumerate()
                                    .map(|(ci, t)| {
                                        let prov = Provenance {
                                            block: Some(bi),
                                            row: Some(ri),
                                            cell: Some(ci),
                                            ..Provenance::default()
                                        };
                                        let ps = if t.is_empty() { vec![] } else { vec![para(t)] };
                                        Cell::new(ci, ps, prov)
                                    })
                                    .collect(),
                                ..Row::default()
                            })
                            .collect(),
                        ..Table::default()
                    }),
                })
                .collect(),
            headers: Vec::new(),
            footers: Vec::new(),
            notes: Vec::new(),
            diagnostics: Vec::new(),
            counts: Default::default(),
        }
    }

    #[test]
    fn a_table_split_below_its_header_continues_it() {
        let head: &[&[&str]] = &[
            &["Мера", "Извор финансирања", "2024", "2025"],
            &["Мера 1.1", "Буџет општине", "100", "200"],
        ];
        let rest: &[&[&str]] = &[&["Мера 1.2", "Донације", "50", "60"]];
        let split = |between: Option<&'static str>| {
            let mut blocks = vec![
                Err("План за период 2024-2026. године"),
                Err("Табела (у 000 РСД)"),
                Ok(head),
            ];
            if let Some(p) = between {
                blocks.push(Err(p));
            }
            blocks.push(Ok(rest));
            crate::extract::extract(&document(&blocks)).budgets
        };
        let b = split(None);
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(
            rows[2],
            (Some("1.2"), None, Some("Донације"), Some(2024), "50", 1000)
        );
        // With text between them, the second table is a table of its own.
        assert_eq!(split(Some("Други текст.")).len(), 2);
    }

    #[test]
    fn past_spending_and_indicators_are_not_budgets() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\n\
             Извор финансирања\t2019\t2020\n\
             Буџет општине\t1.000\t2.000\n\n\
             Текст између табела.\n\n\
             Показатељ\tИзвор финансирања\t2024\t2025\n\
             Износ буџета за услуге\tБуџет општине\t100\t200\n",
        );
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn years_down_the_rows_and_sources_across() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\n(у 000 динара)\n\n\
             Година\tБуџет општине\tДонације\tУкупно\n\
             2024\t100\t50\t150\n\
             2025\t120\t0\t120\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows[0],
            (None, None, Some("Буџет општине"), Some(2024), "100", 1000)
        );
        assert_eq!(
            rows[1],
            (None, None, Some("Донације"), Some(2024), "50", 1000)
        );
        assert_eq!(rows[2], (None, None, None, Some(2024), "150", 1000));
        assert_eq!(rows.len(), 6);
    }

    #[test]
    fn albanian_table_in_euro() {
        let (b, _) = budgets(
            "Plani i veprimit 2024-2026\n\nBuxheti në €\n\n\
             Objektivi\tBurimi i financimit\t2024\t2025\tGjithsej\n\
             Objektivi 1.1\tBuxheti komunal\t1,000\t2,000\t3,000\n\
             Objektivi 1.2\tDonatorët\t500\t500\t1,000\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows[0],
            (
                Some("1.1"),
                None,
                Some("Buxheti komunal"),
                Some(2024),
                "1,000",
                1
            )
        );
        assert_eq!(b[0].value, Some(1000.0));
        assert_eq!(rows[5].0, Some("1.2"));
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("EUR")));
    }

    #[test]
    fn matrix_money_column_with_unit() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 1.1: Обука\n\n\
             Активност\tНосилац\tБуџет (у 000 РСД)\n\
             1.1.1 Обука запослених\tЦСР\t500\n\
             1.1.2 Супервизија\tЦСР\t250\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows,
            vec![
                (Some("1.1"), Some("1.1.1"), None, None, "500", 1000),
                (Some("1.1"), Some("1.1.2"), None, None, "250", 1000),
            ]
        );
        assert_eq!(b[0].currency.as_deref(), Some("RSD"));
    }

    #[test]
    fn plain_budget_column_not_the_budget_line() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
             Активност\tБуџетска линија\tБуџет\n\
             2.1.1 Помоћ у кући\tПрограм 11 ПА 0005\t1.200.000\n\
             2.1.2 Лични пратилац\tПрограм 11 ПА 0016\t800.000\n\n\
             Укупно је планирано 2.000.000 динара.\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows,
            vec![
                (Some("2.1"), Some("2.1.1"), None, None, "1.200.000", 1),
                (Some("2.1"), Some("2.1.2"), None, None, "800.000", 1),
            ]
        );
        // The currency of the document's own amounts.
        assert_eq!(b[0].currency.as_deref(), Some("RSD"));
    }

    #[test]
    fn units_that_disagree_are_reported() {
        let table = |caption: &str| {
            format!(
                "{caption}\n\nПосебни циљеви\tБуџет општине\tДонације\tУкупно\n\
                 Посебан циљ 1\t3.975\t1.500\t5.475\n\
                 Посебан циљ 2\t45.000\t4.800\t49.800\n\n"
            )
        };
        let doc = |prose: &str| {
            format!(
                "План за период 2024-2026. године\n\n{}Текст.\n\n{}{prose}\n",
                table("(у 000)"),
                table("(у динарима)")
            )
        };
        // The text confirms thousands: the second table follows.
        let (b, codes) = budgets(&doc("За циљ 2 је предвиђено 49,8 милиона динара."));
        assert!(b.iter().all(|x| x.scale == 1000), "{b:?}");
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "budget_scale_conflict")
                .count(),
            1
        );
        // Nothing decides: each table keeps its unit, and it is reported.
        let (b, codes) = budgets(&doc("Без износа у тексту."));
        assert_eq!(b.iter().filter(|x| x.scale == 1).count(), 6);
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "budget_scale_conflict")
                .count(),
            1
        );
    }

    #[test]
    fn uncoded_rows_belong_to_the_measure_above() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
             Активност\tНосилац\tБуџет (РСД)\n\
             Помоћ у кући\tЦСР\t1.200.000\n\
             Лични пратилац\tЦСР\t800.000\n",
        );
        let got: Vec<_> = b
            .iter()
            .map(|x| {
                (
                    x.parent.as_deref(),
                    x.activity.as_deref(),
                    x.label.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("2.1"), None, Some("Помоћ у кући")),
                (Some("2.1"), None, Some("Лични пратилац")),
            ]
        );
    }

    #[test]
    fn bullets_typed_as_text_pair_too() {
        let (b, codes) = budgets(
            "Акциони план за 2020 годину\n\n\
             2. Подршка младима\t<p>- Радионице</p><p>- Летњи рад</p>\t\
             <p>150.000 динара</p><p>50.000 динара</p>\n",
        );
        let labels: Vec<_> = b.iter().map(|x| x.label.as_deref()).collect();
        assert_eq!(labels, vec![Some("Радионице"), Some("Летњи рад")]);
        assert!(b.iter().all(|x| x.parent.as_deref() == Some("2")));
        assert!(!codes.iter().any(|c| c == "budget_list_mismatch"));
    }

    #[test]
    fn listed_activities_pair_with_amounts() {
        let (b, codes) = budgets(
            "Акциони план за 2020 годину\n\n\
             1. Подршка старима\t<ul><li>Прва активност</li><li>Друга активност</li></ul>\t\
             <p>БУЏЕТ</p> <p>100.000,00 динара 200.000,00 динара 300.000,00 динара</p>\n",
        );
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].label.as_deref(), Some("Прва активност"));
        assert_eq!(b[1].label.as_deref(), Some("Друга активност"));
        assert_eq!(b[2].label, None);
        assert!(
            b.iter()
                .all(|x| x.parent.as_deref() == Some("1") && x.scale == 1)
        );
        assert_eq!(b[2].value, Some(300_000.0));
        assert!(
            codes.iter().any(|c| c == "budget_list_mismatch"),
            "{codes:?}"
        );
    }

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
    fn kinds_of_source_across_languages() {
        let k = |s: &str| source_kind(s);
        assert_eq!(k("Буџет ЛС").as_deref(), Some("local"));
        assert_eq!(k("Budžetska sredstva Opštine").as_deref(), Some("local"));
        assert_eq!(k("Buxheti komunal").as_deref(), Some("local"));
        assert_eq!(
            k("Наменски трансфер (буџет РС)").as_deref(),
            Some("national")
        );
        assert_eq!(
            k("Донаторска средства (Еу фондови и друго)").as_deref(),
            Some("donor")
        );
        assert_eq!(k("Екстерни извори").as_deref(), Some("external"));
        assert_eq!(
            k("Нису потребна финансијска средства").as_deref(),
            Some("none")
        );
        assert_eq!(k("н/а").as_deref(), Some("none"));
        assert_eq!(
            k("Републички буџет / Донаторска средства").as_deref(),
            Some("mixed")
        );
        assert_eq!(k("Програм 11"), None);
    }

    #[test]
    fn number_as_written_without_its_currency() {
        assert_eq!(number_token("2.000.000,00 динара"), "2.000.000,00");
        assert_eq!(number_token("€ 500"), "500");
        assert_eq!(number_token("1.500 EUR"), "1.500");
        assert_eq!(number_token("3.150"), "3.150");
        assert_eq!(number_token("1,5 милиона динара"), "1,5 милиона динара");
        assert_eq!(number_token("-200 din."), "-200");
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
