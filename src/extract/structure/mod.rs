//! The plan matrix: goals, activities and indicator rows.
//!
//! In: the context (tables and body paragraphs in document order). Out: the
//! record's `objectives`, `activities` and `indicators`, diagnostics for
//! what looked odd, and the cells and paragraphs used, marked in
//! [`Placed`].
//!
//! The document is read once, in order, the way a person reads it: a goal
//! announced in a paragraph ("Cilj 1.1:", "МЕРА 2.1:") or in a table row
//! stays the enclosing goal of the rows that follow, across tables. Each
//! table is read row by row against its last header row: a matrix header
//! (recognized from `mappings/headers.tsv`) makes the rows below activity
//! rows, an indicator header (`mappings/indicator_headers.tsv`) makes them
//! indicator rows until a goal or activity row comes back. Rows are rebuilt
//! before they are read: cells merged vertically inherit from above, rows
//! that lost or gained empty cells are fitted to the header by dropping
//! empties (see [`fit`]), rows without an activity continue the one above
//! (a page break split it), repeated header rows and title rows are
//! skipped. A goal mentioned several times (a list in the text, the matrix,
//! a budget summary) becomes one objective: the mention that carries rows
//! gives the text.
//!
//! Rows numbered in a column headed as measure numbers ("Број мере") are
//! measures (objectives of kind `measure`, the row's columns as their
//! `fields`), rows numbered under a measure's number its activities. What a
//! goal or measure states about itself ("Тип мере: …", the unit responsible
//! for it, the funding lines of its own small table) becomes its `fields`.
//! When a row has more cells than the header has columns, the empty cells
//! dropped are chosen so that cells suit their columns (amounts under money,
//! years under timelines), see [`fit_by_content`].

pub mod fields;
pub mod labels;
pub mod lexicon;

use super::record::{
    Activity, Field, Indicator, IndicatorValue, Objective, ObjectiveKind, ValueKind,
};
use super::{Ctx, Placed, PlanRecord};
use crate::model::{Cell, Diagnostic, Level, Provenance, Table};
use crate::normalize::{collapse_whitespace, fold, text};
use lexicon::{IndRole, Lexicon, Role};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The fields that make a matrix row an action rather than a heading.
const ACTION_FIELDS: &[&str] = &[
    "lead",
    "support",
    "participants",
    "partners",
    "implementer",
    "timeline",
    "deadline",
    "budget",
    "finance_source",
    "indicator",
    "result",
];

/// Characters of a cell read for its header key: well beyond the longest
/// header of the lexicon.
const KEY_CHARS: usize = 240;

/// One grid position of a rebuilt row.
#[derive(Debug, Clone, Default)]
struct GCell<'t> {
    text: String,
    /// Index of the cell in its source row, when the position has its own
    /// cell (not covered by a merge from above).
    ci: Option<usize>,
    provenance: Provenance,
    /// The document's cell, read for its paragraphs when they are asked
    /// for (most cells never are).
    source: Option<&'t Cell>,
    /// The cell's paragraphs, with whether each is a list item.
    paras: std::cell::OnceCell<Vec<(String, bool)>>,
    /// The text's lexicon key ([`lexicon::tight`]), made once: every row is
    /// tried as several kinds of header.
    key: std::cell::OnceCell<String>,
    /// The lexicon's role for the text as a header ([`Pass::cell_role`]).
    role: std::cell::OnceCell<Option<Role>>,
}

impl GCell<'_> {
    /// The cell's non-empty paragraphs, spacing tidied, with whether each
    /// is a list item.
    fn paras(&self) -> &[(String, bool)] {
        self.paras.get_or_init(|| {
            self.source.map_or_else(Vec::new, |c| {
                let mut out = Vec::new();
                for p in &c.paragraphs {
                    // Items written inline ("✓ a ✓ b ✓ c" in one paragraph)
                    // are items as a list's paragraphs are.
                    match text::inline_items(&p.text) {
                        Some(items) => {
                            out.extend(items.into_iter().map(|t| (collapse_whitespace(t), true)))
                        }
                        None => out.push((collapse_whitespace(&p.text), p.list.is_some())),
                    }
                }
                out.retain(|(t, _): &(String, bool)| !t.is_empty());
                out
            })
        })
    }

    /// The key of the cell's opening words: headers are matched by their
    /// start, and a long data cell need not be folded whole to learn it is
    /// no header. Folded through the context, which other passes share.
    fn key(&self, ctx: &Ctx) -> &str {
        self.key.get_or_init(|| {
            let end = self
                .text
                .char_indices()
                .nth(KEY_CHARS)
                .map_or(self.text.len(), |(i, _)| i);
            lexicon::tight_of_key(&ctx.fold_key(&self.text[..end]))
        })
    }
    fn own(&self) -> bool {
        self.ci.is_some() && !self.text.is_empty()
    }
    fn empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Rows of a table on a dense grid of the table's width.
fn grid(t: &Table) -> Vec<Vec<GCell<'_>>> {
    let width = t.width();
    let mut carry: Vec<Option<(usize, GCell)>> = vec![None; width];
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut g: Vec<GCell> = (0..width)
            .map(|_| GCell {
                provenance: row.provenance.clone(),
                ..GCell::default()
            })
            .collect();
        let mut covered = vec![false; width];
        for (ci, c) in row.cells.iter().enumerate() {
            if c.col >= width {
                continue;
            }
            // Spacing as the readers differ on it (a trailing space kept by
            // one DOCX writer, doubled spaces by another) is tidied, so every
            // form of a plan gives the same texts.
            // A Word list's number opening the cell ("1.1.1.") is read as
            // a text export writes it.
            let text = match c.paragraphs.first().and_then(|p| p.shown_number()) {
                Some(m) => collapse_whitespace(&format!("{m} {}", c.text)),
                None => collapse_whitespace(&c.text),
            };
            let cell = GCell {
                text,
                ci: Some(ci),
                provenance: c.provenance.clone(),
                source: Some(c),
                paras: std::cell::OnceCell::new(),
                key: std::cell::OnceCell::new(),
                role: std::cell::OnceCell::new(),
            };
            for k in c.col..(c.col + c.col_span.max(1)).min(width) {
                covered[k] = true;
                carry[k] = (c.row_span > 1).then(|| {
                    (
                        c.row_span - 1,
                        // Repeated below without a cell of its own.
                        GCell {
                            ci: None,
                            ..cell.clone()
                        },
                    )
                });
            }
            g[c.col] = cell;
        }
        for k in 0..width {
            if covered[k] {
                continue;
            }
            if let Some((left, c)) = carry[k].take() {
                g[k] = c.clone();
                if left > 1 {
                    carry[k] = Some((left - 1, c));
                }
            }
        }
        out.push(g);
    }
    out
}

/// The non-empty cells of a row, shortest first: header tests look at
/// them in this order and stop as soon as the row cannot be a header.
fn by_length(row: &[GCell]) -> Vec<usize> {
    let mut filled: Vec<usize> = (0..row.len()).filter(|&k| !row[k].empty()).collect();
    filled.sort_by_key(|&k| row[k].text.len());
    filled
}

/// Fits `cells` to `k` columns by dropping empty cells: trailing ones
/// first, then a leading one, then one of a run of empties, then any. The
/// result maps each of the `k` columns to an index into `cells` (None when
/// the row is short); indices of non-empty cells that do not fit are
/// returned apart.
fn fit(cells: &[&GCell], k: usize) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..cells.len()).collect();
    while idx.len() > k {
        let n = idx.len();
        if cells[idx[n - 1]].empty() {
            idx.pop();
        } else if cells[idx[0]].empty() {
            idx.remove(0);
        } else if let Some(p) =
            (0..n - 1).find(|&p| cells[idx[p]].empty() && cells[idx[p + 1]].empty())
        {
            idx.remove(p);
        } else if let Some(p) = (0..n).find(|&p| cells[idx[p]].empty()) {
            idx.remove(p);
        } else {
            break;
        }
    }
    let extra = if idx.len() > k {
        idx.split_off(k)
    } else {
        Vec::new()
    };
    let mut map: Vec<Option<usize>> = idx.into_iter().map(Some).collect();
    map.resize(k, None);
    (map, extra)
}

/// What a column expects of its cells' content, for choosing among ways
/// to fit a row whose empty cells do not line up with the header.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A year, a period, a quarter (timeline, deadline).
    Time,
    /// A number (amounts, indicator values).
    Number,
    /// Words, not a bare number (institutions, units, sources).
    Words,
    Any,
}

fn expect_of_role(r: Option<&Role>) -> Expect {
    match r {
        Some(Role::Field(f)) => match f.as_str() {
            "timeline" | "deadline" => Expect::Time,
            "budget" => Expect::Number,
            "lead" | "support" | "participants" | "partners" | "implementer" => Expect::Words,
            _ => Expect::Any,
        },
        Some(Role::Amounts) => Expect::Number,
        _ => Expect::Any,
    }
}

fn expect_of_ind(r: IndRole) -> Expect {
    match r {
        IndRole::Value(_) => Expect::Number,
        IndRole::Unit | IndRole::Source => Expect::Words,
        IndRole::Name | IndRole::Other => Expect::Any,
    }
}

/// +1 when a non-empty cell's content suits what its column expects, -1
/// when it plainly does not, 0 otherwise.
fn suits(e: Expect, text: &str) -> i32 {
    if text.is_empty() || e == Expect::Any {
        return 0;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    match e {
        Expect::Time => {
            if !fields::years(text).is_empty() {
                1
            } else if digits == 0 && letters > 20 {
                -1
            } else {
                0
            }
        }
        Expect::Number => {
            if digits > 0 && digits * 2 >= letters {
                1
            } else if digits == 0 && letters > 12 {
                -1
            } else {
                0
            }
        }
        Expect::Words => {
            if digits > 0 && letters == 0 {
                -1
            } else {
                0
            }
        }
        Expect::Any => 0,
    }
}

/// [`fit`], then, when empty cells had to be dropped and few ways exist to
/// drop them, the way whose cells best suit their columns' content (the
/// plain fit wins ties).
fn fit_by_content(cells: &[&GCell], expect: &[Expect]) -> (Vec<Option<usize>>, Vec<usize>) {
    let k = expect.len();
    let plain = fit(cells, k);
    let n = cells.len();
    if n <= k || !expect.iter().any(|&e| e != Expect::Any) {
        return plain;
    }
    let empties: Vec<usize> = (0..n).filter(|&i| cells[i].empty()).collect();
    let drop = n - k;
    if empties.len() < drop || binomial(empties.len(), drop) > 256 {
        return plain;
    }
    let score = |map: &[Option<usize>]| -> i32 {
        map.iter()
            .zip(expect)
            .map(|(m, &e)| m.map_or(0, |i| suits(e, &cells[i].text)))
            .sum()
    };
    let mut best = (score(&plain.0), plain);
    // Every choice of `drop` empties, as increasing index combinations.
    let mut pick: Vec<usize> = (0..drop).collect();
    loop {
        let dropped: HashSet<usize> = pick.iter().map(|&p| empties[p]).collect();
        let map: Vec<Option<usize>> = (0..n).filter(|i| !dropped.contains(i)).map(Some).collect();
        let sc = score(&map);
        if sc > best.0 {
            best = (sc, (map, Vec::new()));
        }
        // Next combination.
        let mut i = drop;
        loop {
            if i == 0 {
                return best.1;
            }
            i -= 1;
            if pick[i] < empties.len() - drop + i {
                break;
            }
        }
        pick[i] += 1;
        for j in i + 1..drop {
            pick[j] = pick[j - 1] + 1;
        }
    }
}

fn binomial(n: usize, r: usize) -> usize {
    let r = r.min(n - r);
    let mut acc: usize = 1;
    for i in 0..r {
        acc = acc.saturating_mul(n - i) / (i + 1);
    }
    acc
}

/// The columns of a second header line that divide a money column: every
/// filled cell is a short label or a year (no code, no amount), the first
/// sits under a money header (budget or per-year amounts), and the others
/// under that header's empty neighbours or other money headers.
fn money_parts(row: &[GCell], owned: &[usize], h: &Header) -> Option<Vec<usize>> {
    let &first = owned.first()?;
    let money = |k: usize| match h.roles.get(k) {
        Some(Some(Role::Amounts)) => true,
        Some(Some(Role::Field(f))) => f == "budget",
        _ => false,
    };
    if !money(first) || row.iter().filter(|c| !c.empty()).count() != owned.len() {
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

/// A goal number in one form for comparing: no final dot, a Roman first
/// number as Arabic (Prioritet II's measures are 2.1, 2.2).
fn canonical_code(code: &str) -> String {
    let c = code.trim().trim_end_matches('.');
    let (first, rest) = c.split_once('.').map_or((c, None), |(a, b)| (a, Some(b)));
    let first = if labels::is_roman(first) {
        labels::roman_value(first).map_or_else(|| first.to_string(), |v| v.to_string())
    } else {
        first.to_string()
    };
    match rest {
        Some(r) => format!("{first}.{r}"),
        None => first,
    }
}

fn rank(k: ObjectiveKind) -> u8 {
    match k {
        ObjectiveKind::GeneralGoal => 0,
        ObjectiveKind::Priority => 1,
        ObjectiveKind::SpecificGoal | ObjectiveKind::Objective => 2,
        ObjectiveKind::Measure => 3,
    }
}

fn starts_lowercase(s: &str) -> bool {
    s.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_lowercase())
}

fn is_separator(row: &[GCell]) -> bool {
    row.iter().all(|c| {
        c.text.is_empty()
            || c.text
                .chars()
                .all(|ch| ch == '-' || ch == '—' || ch == '–' || ch == '=' || ch == '_')
    })
}

/// A year written alone in a header cell ("2026", "2027.").
fn is_year_cell(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    t.len() == 4 && t.starts_with(['1', '2']) && t.chars().all(|c| c.is_ascii_digit())
}

/// One mention of a goal-like node.
#[derive(Debug, Clone)]
struct Occ {
    kind: ObjectiveKind,
    code: Option<String>,
    parent: Option<usize>,
    text: String,
    provenance: Provenance,
    /// From a table, or a paragraph followed by activity or indicator rows.
    structural: bool,
    paragraph: Option<usize>,
    /// Goals listed together above one set of rows share a group.
    group: Option<usize>,
    /// What the document states about the goal itself (see
    /// [`Objective::fields`]).
    fields: BTreeMap<String, Field>,
}

impl Occ {
    fn key(&self) -> (ObjectiveKind, String) {
        (
            self.kind,
            match &self.code {
                Some(c) => format!("#{c}"),
                None => fold::key(&self.text),
            },
        )
    }
}

#[derive(Debug)]
struct ActDraft {
    code: Option<String>,
    parent: Option<usize>,
    parents: Vec<usize>,
    text: String,
    fields: BTreeMap<String, Field>,
    /// Field name by raw grid column of the row that opened the activity,
    /// for rows that continue it.
    raw_map: HashMap<usize, String>,
    provenance: Provenance,
    /// The row is a measure (numbered in a measure-number column): the
    /// objective it opened takes the text and fields at the end.
    measure: Option<usize>,
}

#[derive(Debug)]
struct IndDraft {
    parent: Option<usize>,
    name: String,
    unit: Option<String>,
    source: Option<String>,
    values: Vec<IndicatorValue>,
    provenance: Provenance,
}

/// The last matrix header of a table: a role per grid column.
#[derive(Debug, Clone)]
struct Header {
    roles: Vec<Option<Role>>,
    activity: usize,
    /// The activity column was told by its cells, not its header.
    inferred: bool,
}

/// One column of an indicator header after the name column.
#[derive(Debug, Clone)]
struct IndCol {
    /// Grid column of the header cell (none for a column the header lost).
    col: Option<usize>,
    role: IndRole,
    header: String,
    year: Option<i32>,
}

#[derive(Debug, Clone)]
struct IndHeader {
    cols: Vec<IndCol>,
    extended: bool,
    /// The name column, and the number or goal columns before it ("Бр.",
    /// "Мера"), whose cells place each row.
    name: usize,
    lead: Vec<(usize, Role)>,
}

/// The numbered goal of a header-less bullet table being read, its
/// activities and the amounts met so far.
struct Bullets {
    occ: usize,
    acts: Vec<usize>,
    amounts: Vec<(String, Provenance, usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    None,
    Activities,
    Indicators,
    /// Rows of a measure's own table (responsible unit, funding lines):
    /// fields of the enclosing goal or measure.
    Stated,
}

struct Pass<'c, 'a> {
    ctx: &'c Ctx<'a>,
    lx: &'static Lexicon,
    occs: Vec<Occ>,
    stack: Vec<usize>,
    acts: Vec<ActDraft>,
    inds: Vec<IndDraft>,
    diags: Vec<Diagnostic>,
    /// The last matrix header and the width of its table, for a matrix
    /// continued in a table of its own (split by a page or section break).
    last_hdr: Option<(usize, Header)>,
    /// The goal the table being read belongs to, as its caption names it
    /// ("Indikatori za posebni cilj 1.1", "Активности Мере 1.1").
    owner: Option<usize>,
    /// A goal was opened by a row of the table being read (a goal column,
    /// a goal row): the table's own layout then places its activities.
    table_goal: bool,
    /// The activity a label–value block is filling ([`Pass::block_paragraph`]).
    block: Option<usize>,
    /// Paragraphs read as statements about a goal ("Тип мере: …").
    stated_paras: Vec<usize>,
    /// Parents (goal occurrences) each activity code was met under.
    code_parents: HashMap<String, Vec<Option<usize>>>,
}

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let lx = Lexicon::global();
    let mut pass = Pass {
        ctx,
        lx,
        occs: Vec::new(),
        stack: Vec::new(),
        acts: Vec::new(),
        inds: Vec::new(),
        diags: Vec::new(),
        last_hdr: None,
        owner: None,
        table_goal: false,
        block: None,
        stated_paras: Vec::new(),
        code_parents: HashMap::new(),
    };
    for (file, line, reason) in &lx.problems {
        pass.diags.push(Diagnostic::new(
            Level::Warning,
            "mapping_problem",
            format!("{file} line {line}: {reason}"),
        ));
    }
    // Paragraphs and tables in document order.
    let mut pi = 0;
    // Nested tables are read where they sit, after the row holding them.
    for t in ctx.tables.iter().filter(|t| t.depth == 0) {
        while pi < ctx.paragraphs.len() && ctx.paragraphs[pi].block < t.block {
            pass.paragraph(pi);
            pi += 1;
        }
        pass.table(t.index, t.table, placed);
    }
    while pi < ctx.paragraphs.len() {
        pass.paragraph(pi);
        pi += 1;
    }
    pass.finish(rec, placed);
}

impl Pass<'_, '_> {
    fn open(
        &mut self,
        kind: ObjectiveKind,
        code: Option<String>,
        text: String,
        provenance: Provenance,
        structural: bool,
        paragraph: Option<usize>,
    ) -> usize {
        // The number decides first: 1.2 sits under 1 (or I), whatever was
        // announced last; without a numbered parent, the open goals do.
        let by_code = code
            .as_deref()
            .and_then(|c| self.parent_by_code(c))
            .filter(|&p| rank(self.occs[p].kind) <= rank(kind));
        if let Some(p) = by_code {
            self.stack = self.ancestry(p);
        } else {
            while let Some(&top) = self.stack.last() {
                if rank(self.occs[top].kind) >= rank(kind) {
                    self.stack.pop();
                } else {
                    break;
                }
            }
        }
        let parent = self.stack.last().copied();
        // A goal the table itself states is more specific than its caption.
        self.owner = None;
        self.table_goal = true;
        self.occs.push(Occ {
            kind,
            code,
            parent,
            text,
            provenance,
            structural,
            paragraph,
            group: None,
            fields: BTreeMap::new(),
        });
        let i = self.occs.len() - 1;
        self.stack.push(i);
        i
    }

    /// A goal and its enclosing goals, outermost first.
    fn ancestry(&self, occ: usize) -> Vec<usize> {
        let mut chain = vec![occ];
        let mut at = self.occs[occ].parent;
        while let Some(p) = at {
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            at = self.occs[p].parent;
        }
        chain.reverse();
        chain
    }

    /// The latest goal-like node numbered `code` (canonical form, see
    /// [`canonical_code`]).
    fn occ_by_code(&self, code: &str) -> Option<usize> {
        (0..self.occs.len()).rev().find(|&i| {
            self.occs[i]
                .code
                .as_deref()
                .is_some_and(|c| canonical_code(c) == code)
        })
    }

    /// The node a number belongs under: the longest proper prefix of it
    /// that numbers a node (1.2.3 → 1.2, else 1).
    fn parent_by_code(&self, code: &str) -> Option<usize> {
        let c = canonical_code(code);
        let mut parts: Vec<&str> = c.split('.').collect();
        while parts.len() > 1 {
            parts.pop();
            if let Some(o) = self.occ_by_code(&parts.join(".")) {
                return Some(o);
            }
        }
        None
    }

    /// Whether goal `occ` is `of` or lies under it.
    fn descends(&self, occ: usize, of: usize) -> bool {
        self.ancestry(occ).contains(&of)
    }

    /// The parent of an activity row: the goal the table's own layout
    /// gives it (a goal column or row of the same table), else the node its
    /// number extends, else the goal in scope ([`Pass::scoped`]); that
    /// last fallback is reported when the number names a parent no goal
    /// has.
    fn activity_parent(&mut self, code: Option<&str>, at: &Provenance) -> Option<usize> {
        if !self.table_goal
            && let Some(c) = code
            && c.contains('.')
        {
            match self.parent_by_code(c) {
                Some(p) => {
                    self.occs[p].structural = true;
                    return Some(p);
                }
                None if self.occs.iter().any(|o| o.code.is_some()) => {
                    self.diags.push(
                        Diagnostic::new(
                            Level::Info,
                            "parent_by_order",
                            format!(
                                "activity {c}: no goal is numbered as its parent; placed under the goal read last"
                            ),
                        )
                        .at(at.clone()),
                    );
                }
                None => {}
            }
        }
        self.scoped()
    }

    /// The goal rows of the current table belong to: the innermost open
    /// goal, unless the table's caption names another one that it does
    /// not lie under.
    fn scoped(&mut self) -> Option<usize> {
        let top = self.stack.last().copied();
        match self.owner {
            Some(o) if !top.is_some_and(|t| self.descends(t, o)) => {
                self.occs[o].structural = true;
                Some(o)
            }
            _ => self.current(),
        }
    }

    /// The goal an indicator row measures: the one the table's caption
    /// names, else the goal in scope.
    fn indicator_parent(&mut self) -> Option<usize> {
        match self.owner {
            Some(o) => {
                self.occs[o].structural = true;
                Some(o)
            }
            None => self.current(),
        }
    }

    /// The goal a table's caption names: a label word, inflected as the
    /// sentence needs ("za Meru 1.1", "Prioritetnu oblast I", "strateškog
    /// pravca 1"), followed by the number of a goal already met.
    fn caption_owner(&self, caption: &str) -> Option<usize> {
        static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let r = R.get_or_init(|| {
            regex::Regex::new(r"(\p{L}+)\.?\s+(\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\b")
                .expect("static regex")
        });
        let mut found = None;
        for m in r.captures_iter(caption) {
            let (Some(word), Some(code)) = (m.get(1), m.get(2)) else {
                continue;
            };
            let w = lexicon::ekavian(&fold::key(word.as_str())).into_owned();
            if self.lx.is_label_stem(&w)
                && let Some(o) = self.occ_by_code(&canonical_code(code.as_str()))
            {
                found = Some(o);
            }
        }
        found
    }

    /// The innermost open goal; rows placed under it make a paragraph
    /// mention structural.
    fn current(&mut self) -> Option<usize> {
        let top = self.stack.last().copied();
        if let Some(t) = top {
            self.occs[t].structural = true;
        }
        top
    }

    fn paragraph(&mut self, i: usize) {
        let p = &self.ctx.paragraphs[i].paragraph;
        if p.origin.is_some() {
            return;
        }
        let shown = p.shown_text();
        if let Some((f, v)) = self.stated(&p.text)
            && self.state(&f, &v, &p.provenance)
        {
            self.stated_paras.push(i);
            return;
        }
        let first = shown.lines().next().unwrap_or("");
        // A table-of-contents entry ("Cilj 1: …<TAB>12") names a goal the
        // body states; its page number is no goal text.
        if first.rsplit_once('\t').is_some_and(|(_, n)| {
            !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
        }) {
            return;
        }
        if self.block_paragraph(i, first) {
            self.stated_paras.push(i);
            return;
        }
        if let Some(l) = labels::objective(first, self.lx) {
            let mut text = l.text;
            for more in shown.lines().skip(1) {
                text.push(' ');
                text.push_str(more.trim());
            }
            self.open(
                l.kind,
                l.code,
                text.trim().to_string(),
                p.provenance.clone(),
                false,
                Some(i),
            );
        }
    }

    /// Activities written as label–value paragraphs, a layout like a table:
    /// "Aktivnost 3.1.1: …" opens an activity (under the node its number
    /// extends, else the open goal), and the "Label: value" paragraphs
    /// right after it whose label names an activity field ("Izvršilac:",
    /// "Rok:", "Budžet:", "Bartësi:") are its fields, each with its own
    /// provenance. Any other paragraph, or a table, ends the block. True
    /// when the paragraph was read so.
    fn block_paragraph(&mut self, i: usize, first: &str) -> bool {
        let p = &self.ctx.paragraphs[i].paragraph;
        if let Some((code, true, text)) = labels::activity(first, self.lx, false) {
            let mut text = text;
            for more in p.text.lines().skip(1) {
                text.push(' ');
                text.push_str(more.trim());
            }
            let parent = match self.parent_by_code(&code) {
                Some(o) => {
                    self.stack = self.ancestry(o);
                    self.current()
                }
                None => self.current(),
            };
            let parents = self.parents_of(parent);
            self.acts.push(ActDraft {
                code: Some(code),
                parent,
                parents,
                text: collapse_whitespace(&text),
                fields: BTreeMap::new(),
                raw_map: HashMap::new(),
                provenance: p.provenance.clone(),
                measure: None,
            });
            self.block = Some(self.acts.len() - 1);
            return true;
        }
        let Some(a) = self.block else {
            return false;
        };
        let field = p.text.split_once(':').and_then(|(label, value)| {
            let label = label.trim();
            if label.is_empty() || label.chars().count() > 48 || value.trim().is_empty() {
                return None;
            }
            match self
                .lx
                .header_role(label)
                .or_else(|| self.lx.header_role_words(label))
            {
                Some(Role::Field(f) | Role::Stated(f)) => Some((f, collapse_whitespace(value))),
                _ => None,
            }
        });
        match field {
            Some((name, value)) => {
                let f = fields::field(self.ctx, &name, &value, p.provenance.clone());
                self.acts[a].fields.insert(name, f);
                true
            }
            None => {
                self.block = None;
                false
            }
        }
    }

    /// Reads the tables nested in the cells of row `ri`.
    fn nested(&mut self, table: &Table, ri: usize, placed: &mut Placed) {
        let Some(row) = table.rows.get(ri) else {
            return;
        };
        for c in &row.cells {
            for b in &c.blocks {
                if let crate::model::Block::Table(nt) = b
                    && let Some(tr) = self.ctx.tables.iter().find(|t| std::ptr::eq(t.table, nt))
                {
                    self.table(tr.index, nt, placed);
                }
            }
        }
    }

    fn table(&mut self, ti: usize, table: &Table, placed: &mut Placed) {
        self.block = None;
        let saved = (self.owner, self.table_goal);
        self.owner = self.caption_of(ti).and_then(|c| self.caption_owner(c));
        self.table_goal = false;
        self.table_rows(ti, table, placed);
        (self.owner, self.table_goal) = saved;
    }

    /// The paragraph right before a body table (nothing between them but
    /// maybe one more paragraph), for its caption.
    fn caption_of(&self, ti: usize) -> Option<&str> {
        let t = self.ctx.tables.get(ti)?;
        if t.depth > 0 {
            return None;
        }
        let p = self
            .ctx
            .paragraphs
            .iter()
            .rev()
            .find(|p| p.block < t.block)?;
        (p.block + 2 >= t.block).then_some(p.paragraph.text.as_str())
    }

    fn table_rows(&mut self, ti: usize, table: &Table, placed: &mut Placed) {
        let g = grid(table);
        let mut hdr: Option<Header> = None;
        let mut ind: Option<IndHeader> = None;
        let mut mode = Mode::None;
        // A matrix continued from the table before: same width, rows with
        // labelled activity numbers, no header of its own.
        if let Some((w, h)) = self.last_hdr.clone()
            && w == g.first().map_or(0, Vec::len)
            && g.iter()
                .position(|r| r.iter().any(|c| !c.empty()))
                .is_some_and(|ri| self.activity_header(&g, ri, None).is_none())
            && g.iter()
                .flatten()
                .any(|c| c.own() && labels::activity(&c.text, self.lx, false).is_some_and(|a| a.1))
        {
            hdr = Some(h);
            mode = Mode::Activities;
        }
        let mut pending_priority: Option<String> = None;
        let mut pending_names: Vec<usize> = Vec::new();
        let mut last_act: Option<usize> = None;
        let mut block_inds: Vec<usize> = Vec::new();
        let acts_before = self.acts.len();
        let inds_before = self.inds.len();
        let mut used: Vec<(usize, usize)> = Vec::new();
        let mut goal_list: Option<(usize, usize)> = None;
        let mut bullets: Option<Bullets> = None;
        let mut stated_cols: Vec<Option<String>> = Vec::new();
        // Folded texts of title rows met above headers.
        let mut titles: HashSet<String> = HashSet::new();
        let nonempty = |r: &Vec<GCell>| r.iter().any(|c| !c.text.is_empty());
        // The last non-empty row was a header (its second line may follow).
        let mut after_header = false;
        for ri in 0..g.len() {
            if ri > 0 {
                self.nested(table, ri - 1, placed);
            }
            let row = &g[ri];
            if !nonempty(row) || is_separator(row) {
                continue;
            }
            let owned: Vec<usize> = (0..row.len()).filter(|&k| row[k].own()).collect();
            let header_line_2 = std::mem::take(&mut after_header);
            // A row that only announces a goal.
            if owned.len() == 1 && row.iter().filter(|c| !c.empty()).count() == 1 {
                let c = &row[owned[0]];
                if let Some(l) = labels::objective(&c.text, self.lx) {
                    self.open(
                        l.kind,
                        l.code,
                        collapse_whitespace(&l.text),
                        c.provenance.clone(),
                        true,
                        None,
                    );
                    used.push((ri, owned[0]));
                    pending_names.clear();
                    last_act = None;
                    if matches!(mode, Mode::Indicators | Mode::Stated) {
                        mode = if hdr.is_some() {
                            Mode::Activities
                        } else {
                            Mode::None
                        };
                    }
                    continue;
                }
            }
            // Statements about the enclosing goal or measure, a row of
            // "Label: value" cells ("Период спровођења мере: …").
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
                    continue;
                }
            }
            // The header of a measure's own table: its columns are fields
            // of the measure.
            if let Some(cols) = self.stated_header(row) {
                for &k in &owned {
                    if cols[k].is_some() {
                        used.push((ri, k));
                    }
                }
                stated_cols = cols;
                mode = Mode::Stated;
                after_header = true;
                continue;
            }
            if let Some(h) = self.activity_header(&g, ri, hdr.as_ref()) {
                for &k in &owned {
                    used.push((ri, k));
                    if h.roles[k] == Some(Role::Priority)
                        && let Some(l) = labels::objective(&row[k].text, self.lx)
                        && l.code.is_some()
                    {
                        pending_priority = l.code;
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
                hdr = Some(h);
                mode = Mode::Activities;
                after_header = true;
                continue;
            }
            if let Some(h) = self.indicator_header(&g, ri) {
                for &k in &owned {
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
                ind = Some(h);
                mode = Mode::Indicators;
                pending_names.clear();
                block_inds.clear();
                after_header = true;
                continue;
            }
            if self.other_header(row) {
                mode = Mode::None;
                goal_list = None;
                after_header = true;
                continue;
            }
            // Goals listed under a row header ("Доприноси остварењу
            // циљева | goal"), one per row.
            if mode != Mode::Indicators
                && let Some(g) = self.goal_list_row(row, &owned, &mut goal_list)
            {
                for k in g {
                    used.push((ri, k));
                }
                continue;
            }
            goal_list = None;
            // Numbered goals with their activities as a bullet list.
            if mode == Mode::None && self.bullet_row(ri, row, &owned, &mut bullets, &mut used) {
                continue;
            }
            // Years alone under a header: its second line.
            if header_line_2
                && !owned.is_empty()
                && owned.iter().all(|&k| is_year_cell(&row[k].text))
            {
                // Years on a second header line give value columns theirs.
                if mode == Mode::Indicators
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
                if mode == Mode::Activities
                    && let Some(h) = hdr.as_mut()
                {
                    for &k in &owned {
                        if h.roles[k].is_none() {
                            h.roles[k] = Some(Role::Amounts);
                        }
                    }
                }
                if mode != Mode::None {
                    for &k in &owned {
                        used.push((ri, k));
                    }
                }
                continue;
            }
            // The second line of a two-row matrix header: the parts of a
            // money column ("Iznos (din.)" over Grad / Pokrajina / Ukupno,
            // "Budžet (€)" over years and Ukupno), short words or years
            // under the money cell and the empty cells it spans. Each part
            // is a money column of its own, read by the budget pass.
            if header_line_2
                && mode == Mode::Activities
                && let Some(h) = hdr.as_mut()
                && let Some(cols) = money_parts(row, &owned, h)
            {
                for k in cols {
                    h.roles[k] = Some(Role::Amounts);
                    used.push((ri, k));
                }
                continue;
            }
            // A title row repeated above each header of a long matrix: words
            // only (a row of several cells with numbers right above a header
            // is data), or one cell alone that numbers no activity ("AKCIONI
            // PLAN 2024–2026"); once seen, the same title is skipped wherever
            // the page breaks put it.
            let single = owned.len() == 1
                && row.iter().filter(|c| !c.empty()).count() == 1
                && labels::activity(&row[owned[0]].text, self.lx, true).is_none()
                && !starts_lowercase(&row[owned[0]].text);
            if single && titles.contains(&*self.ctx.fold_key(&row[owned[0]].text)) {
                continue;
            }
            if (single
                || !owned
                    .iter()
                    .any(|&k| row[k].text.chars().any(|c| c.is_ascii_digit())))
                && let Some(next) =
                    (ri + 1..g.len()).find(|&n| nonempty(&g[n]) && !is_separator(&g[n]))
                && self.activity_header(&g, next, hdr.as_ref()).is_some()
            {
                if single {
                    titles.insert(self.ctx.fold_key(&row[owned[0]].text).to_string());
                }
                continue;
            }
            if mode == Mode::Stated {
                self.stated_row(ri, row, &stated_cols, &mut used);
                continue;
            }
            if mode == Mode::Indicators
                && let Some(h) = ind.as_mut()
            {
                let done =
                    self.indicator_row(ri, &g, h, &mut pending_names, &mut block_inds, &mut used);
                if done {
                    continue;
                }
                mode = if hdr.is_some() {
                    Mode::Activities
                } else {
                    Mode::None
                };
            }
            if mode == Mode::Activities
                && let Some(h) = hdr.as_ref()
            {
                self.activity_row(ri, row, h, &mut pending_priority, &mut last_act, &mut used);
            }
        }
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
            placed.role(ti, "matrix");
        } else if self.inds.len() > inds_before {
            placed.role(ti, "indicators");
        }
    }

    /// A "Label: value" statement about a goal or measure: the field the
    /// label names and the value.
    fn stated(&self, text: &str) -> Option<(String, String)> {
        let (label, value) = text.split_once(':')?;
        let value = collapse_whitespace(value);
        if value.is_empty() {
            return None;
        }
        match self.lx.header_role(label) {
            Some(Role::Stated(f)) => Some((f, value)),
            _ => None,
        }
    }

    /// Records a stated field on the innermost open goal; false when no
    /// goal is open. A field stated again continues on a line of its own.
    fn state(&mut self, name: &str, value: &str, prov: &Provenance) -> bool {
        let Some(&top) = self.stack.last() else {
            return false;
        };
        let ctx = self.ctx;
        let fields = &mut self.occs[top].fields;
        let (raw, prov) = match fields.get(name) {
            Some(f) if !f.raw.is_empty() => (format!("{}\n{value}", f.raw), {
                let mut p = f.provenance.clone();
                if let (Some([a, _]), Some([_, b])) = (p.line, prov.line) {
                    p.line = Some([a, b]);
                }
                p
            }),
            _ => (value.to_string(), prov.clone()),
        };
        fields.insert(name.to_string(), fields::field(ctx, name, &raw, prov));
        true
    }

    /// The header of a measure's own table: it opens with a stated-field
    /// column ("Организациона јединица одговорна за спровођење мере"), has
    /// no activity column, and at least one more recognized column. The
    /// field name of each grid column, when it has one.
    fn stated_header(&self, row: &[GCell]) -> Option<Vec<Option<String>>> {
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

    /// A row of a measure's own table: its cells under field columns are
    /// fields of the innermost open goal (amounts are the budget pass's).
    fn stated_row(
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

    /// A matrix header: an activity column and at least three columns
    /// recognized — by the lexicon (as written, abbreviated or inflected,
    /// see [`Lexicon::header_role_words`]) or, for a header the lexicon
    /// does not know, by the cells below it (a column of codes is the code
    /// column, a column of years and quarters the timeline) — and at least
    /// half of the filled cells recognized. A column no one recognizes is
    /// kept as a field named after its header. Empty cells keep the role
    /// the previous header of the table gave their column.
    fn activity_header(
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

    /// Whether the cells below a header cell read as activity texts: most
    /// of the next rows' filled cells are sentences (three words and
    /// twenty letters or more).
    fn sentences_below(&self, g: &[Vec<GCell>], ri: usize, k: usize) -> bool {
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
    fn cell_role(&self, c: &GCell) -> Option<Role> {
        c.role
            .get_or_init(|| {
                self.lx
                    .header_role_key(c.key(self.ctx))
                    .or_else(|| self.lx.header_role_words(&c.text))
            })
            .clone()
    }

    /// What the cells below an unrecognized header cell say its column is:
    /// codes ("1.1.", "2.3.1", "IV") make the code column, years and
    /// quarters in short cells the timeline. Six in ten of the filled cells
    /// of the next rows must agree.
    fn content_role(&self, g: &[Vec<GCell>], ri: usize, k: usize) -> Option<Role> {
        let (mut n, mut codes, mut times) = (0, 0, 0);
        for r in g.iter().skip(ri + 1).take(12) {
            let Some(c) = r.get(k).filter(|c| c.own()) else {
                continue;
            };
            n += 1;
            let t = c.text.trim();
            if labels::bare_code(t).is_some() || labels::is_roman(t.trim_end_matches('.')) {
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

    /// A goal listed under a row header: the header cell and one goal text
    /// beside it, or (on the rows below) the next goal alone in the same
    /// column. Returns the grid columns used.
    fn goal_list_row(
        &mut self,
        row: &[GCell],
        owned: &[usize],
        list: &mut Option<(usize, usize)>,
    ) -> Option<Vec<usize>> {
        let filled: Vec<usize> = (0..row.len()).filter(|&k| row[k].own()).collect();
        let (col, used, group) = if filled.len() == 2
            && owned.contains(&filled[0])
            && owned.contains(&filled[1])
            && labels::objective(&row[filled[0]].text, self.lx).is_none()
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
        let i = self.open(
            ObjectiveKind::Objective,
            None,
            collapse_whitespace(&c.text),
            c.provenance.clone(),
            true,
            None,
        );
        let g = group.unwrap_or(i);
        self.occs[i].group = Some(g);
        // Siblings: the list stays open at the same depth.
        *list = Some((col, g));
        Some(used)
    }

    /// A row of a table without header that pairs a numbered goal ("1.
    /// Подршка запошљавању…", or the rest of one broken by a page break)
    /// with a bullet list of activities, and maybe a list of amounts.
    fn bullet_row(
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
            let occ = self.open(
                ObjectiveKind::Objective,
                Some(code),
                collapse_whitespace(&words),
                goal.provenance.clone(),
                true,
                None,
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
    fn flush_bullets(&mut self, b: Bullets, used: &mut Vec<(usize, usize)>) {
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

    /// Unknown matrix headers, reported once per header row.
    fn report_unknown(&mut self, row: &[GCell], h: &Header) {
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

    /// An indicator header: the name column ("Pokazatelji", "Показатељ(и) на
    /// нивоу мере") followed by at least one value column.
    fn indicator_header(&self, g: &[Vec<GCell>], ri: usize) -> Option<IndHeader> {
        let row = &g[ri];
        // The name column, after any number or goal columns.
        let mut lead = Vec::new();
        let mut first = None;
        for k in (0..row.len()).filter(|&k| row[k].own()) {
            if self.lx.is_indicator_name_key(row[k].key(self.ctx))
                || self.lx.indicator_role_words(&row[k].text) == Some(IndRole::Name)
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
                .or_else(|| self.lx.indicator_role_words(&c.text))
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
                        self.lx.bare_year_header(t).is_some()
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
    fn other_header(&self, row: &[GCell]) -> bool {
        let filled = by_length(row);
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

    #[allow(clippy::too_many_arguments)]
    fn indicator_row(
        &mut self,
        ri: usize,
        g: &[Vec<GCell>],
        h: &mut IndHeader,
        pending: &mut Vec<usize>,
        block: &mut Vec<usize>,
        used: &mut Vec<(usize, usize)>,
    ) -> bool {
        let row = &g[ri];
        // A goal or activity row ends the indicator block.
        for c in row.iter().filter(|c| c.own()) {
            let first = c.text.lines().next().unwrap_or("");
            if labels::objective(first, self.lx).is_some()
                || labels::activity(first, self.lx, false).is_some_and(|a| a.1)
            {
                return false;
            }
        }
        let Some(mut nm) = row.iter().position(GCell::own) else {
            return true;
        };
        // A goal column before the name places the row ("1.1" under "Мера").
        let mut row_goal = None;
        if !h.lead.is_empty() && row[h.name].own() {
            nm = h.name;
            for (k, r) in &h.lead {
                let c = &row[*k];
                if c.own() && matches!(r, Role::Goal | Role::Priority) {
                    row_goal = labels::bare_code(&c.text)
                        .and_then(|code| self.occ_by_code(&canonical_code(&code)));
                    if row_goal.is_some() {
                        used.push((ri, *k));
                    }
                } else if c.own() {
                    used.push((ri, *k));
                }
            }
        }
        let is_value = |s: &str| {
            self.ctx
                .cell_number(s)
                .is_some_and(|n| n.value.is_some() && !n.ambiguous)
        };
        let k = h.cols.len();
        // Values of a name listed earlier in a multi-name cell.
        if !pending.is_empty() && is_value(&row[nm].text) {
            let tail: Vec<&GCell> = row[nm..].iter().collect();
            let (map, _) = fit(&tail, k);
            let di = pending.remove(0);
            self.fill_values(di, h, &tail, &map, ri, nm, used);
            return true;
        }
        pending.clear();
        let tail: Vec<&GCell> = row[nm + 1..].iter().collect();
        let expect: Vec<Expect> = h.cols.iter().map(|c| expect_of_ind(c.role)).collect();
        let (mut map, mut extra) = fit_by_content(&tail, &expect);
        if map.iter().all(|m| m.is_none_or(|i| tail[i].empty())) && extra.is_empty() {
            // No values: a name broken by a page break continues the last
            // one; anything else is not an indicator row.
            if starts_lowercase(&row[nm].text)
                && let Some(&last) = block.last()
            {
                let d = &mut self.inds[last];
                d.name.push(' ');
                d.name.push_str(row[nm].text.trim());
                used.push((ri, nm));
            }
            return true;
        }
        if !extra.is_empty() && !h.cols.is_empty() {
            // More values than headers: the header lost its last columns;
            // continue its baseline/target/actual pattern.
            while h.cols.len() < k + extra.len() {
                let last = h.cols.last().cloned();
                let (role, year) = match last {
                    Some(IndCol {
                        role: IndRole::Value(ValueKind::Target),
                        year,
                        ..
                    }) => (IndRole::Value(ValueKind::Actual), year),
                    Some(IndCol { year, .. }) => {
                        (IndRole::Value(ValueKind::Target), year.map(|y| y + 1))
                    }
                    None => break,
                };
                h.cols.push(IndCol {
                    col: None,
                    role,
                    header: String::new(),
                    year,
                });
            }
            if !h.extended {
                h.extended = true;
                self.diags.push(
                    Diagnostic::new(
                        Level::Info,
                        "indicator_header_extended",
                        format!(
                            "indicator rows have {} more value(s) than the header names; \
                             the header's year/kind pattern is continued",
                            extra.len()
                        ),
                    )
                    .at(row[nm].provenance.clone()),
                );
            }
            let expect: Vec<Expect> = h.cols.iter().map(|c| expect_of_ind(c.role)).collect();
            let refit = fit_by_content(&tail, &expect);
            map = refit.0;
            extra = refit.1;
        }
        for &e in &extra {
            self.diags.push(
                Diagnostic::new(
                    Level::Warning,
                    "indicator_cell_unplaced",
                    format!(
                        "indicator row has a cell beyond its header: {:?}",
                        tail[e].text
                    ),
                )
                .at(tail[e].provenance.clone()),
            );
        }
        // The name cell may list several indicators (values in the rows
        // below) and end with the next goal's label.
        let mut names: Vec<String> = Vec::new();
        let mut goal_lines: Vec<labels::Label> = Vec::new();
        for line in row[nm]
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match labels::objective(line, self.lx) {
                Some(l) => goal_lines.push(l),
                None => names.push(line.to_string()),
            }
        }
        if names.len() > 1 {
            let followers = g[ri + 1..]
                .iter()
                .take_while(|r| {
                    r.iter()
                        .position(GCell::own)
                        .is_some_and(|p| is_value(&r[p].text))
                })
                .count();
            if followers + 1 != names.len() {
                names = vec![names.join(" ")];
            }
        }
        let parent = match row_goal {
            Some(o) => {
                self.occs[o].structural = true;
                Some(o)
            }
            None => self.indicator_parent(),
        };
        used.push((ri, nm));
        let mut first = None;
        for name in names {
            self.inds.push(IndDraft {
                parent,
                name,
                unit: None,
                source: None,
                values: Vec::new(),
                provenance: row[nm].provenance.clone(),
            });
            let di = self.inds.len() - 1;
            block.push(di);
            if first.is_none() {
                first = Some(di);
            } else {
                pending.push(di);
            }
        }
        if let Some(di) = first {
            self.fill_values(di, h, &tail, &map, ri, nm + 1, used);
        }
        for l in goal_lines {
            self.open(
                l.kind,
                l.code,
                collapse_whitespace(&l.text),
                row[nm].provenance.clone(),
                true,
                None,
            );
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn fill_values(
        &mut self,
        di: usize,
        h: &IndHeader,
        tail: &[&GCell],
        map: &[Option<usize>],
        ri: usize,
        offset: usize,
        used: &mut Vec<(usize, usize)>,
    ) {
        for (col, m) in h.cols.iter().zip(map) {
            let Some(i) = *m else { continue };
            let c = tail[i];
            if c.empty() || matches!(col.role, IndRole::Name | IndRole::Other) {
                continue;
            }
            used.push((ri, offset + i));
            let d = &mut self.inds[di];
            match col.role {
                IndRole::Unit => d.unit = Some(c.text.clone()),
                IndRole::Source => d.source = Some(c.text.clone()),
                IndRole::Name | IndRole::Other => {}
                IndRole::Value(kind) => {
                    let value = self
                        .ctx
                        .cell_number(&c.text)
                        .filter(|n| !n.ambiguous)
                        .and_then(|n| n.value);
                    d.values.push(IndicatorValue {
                        year: col.year,
                        kind,
                        header: col.header.clone(),
                        raw: c.text.clone(),
                        value,
                        provenance: c.provenance.clone(),
                    });
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn activity_row(
        &mut self,
        ri: usize,
        row: &[GCell],
        h: &Header,
        pending_priority: &mut Option<String>,
        last_act: &mut Option<usize>,
        used: &mut Vec<(usize, usize)>,
    ) {
        // A totals row ("Ukupno za strateški pravac 1", wherever its label
        // sits) sums the rows above; the budget pass reads it.
        if row
            .iter()
            .find(|c| c.own())
            .is_some_and(|c| self.cell_role(c) == Some(Role::Total))
        {
            used.extend(
                (0..row.len())
                    .filter(|&k| row[k].own() && self.cell_role(&row[k]) == Some(Role::Total))
                    .map(|k| (ri, k)),
            );
            return;
        }
        // The activity cell: a labelled number anywhere ("Akt 1.1.1"), else
        // the activity column.
        let mut act: Option<(usize, Option<String>, String)> = None;
        for (k, c) in row.iter().enumerate() {
            if c.own()
                && let Some((code, true, text)) = labels::activity(&c.text, self.lx, false)
            {
                act = Some((k, Some(code), text));
                break;
            }
        }
        // Labelled as an activity ("Aktivnost 1.1.1"): never a measure.
        let labelled = act.is_some();
        if act.is_none() {
            let c = &row[h.activity];
            // A totals row sums the activities above; the budget pass reads it.
            if c.own() && self.cell_role(c) == Some(Role::Total) {
                return;
            }
            if c.own() && labels::objective(&c.text, self.lx).is_none() {
                act = Some(match labels::activity(&c.text, self.lx, true) {
                    Some((code, _, text)) => (h.activity, Some(code), text),
                    None => (h.activity, None, c.text.clone()),
                });
            }
        }
        // Goal columns before the activity, right-aligned to the header's.
        let a = act.as_ref().map_or(h.activity, |x| x.0);
        let pre_roles = &h.roles[..h.activity];
        let pre: Vec<usize> = (0..a).collect();
        let n = pre_roles.len();
        let mut pairs: Vec<(Option<&Role>, usize)> = Vec::new();
        if pre.len() <= n {
            for (j, &k) in pre.iter().enumerate() {
                pairs.push((pre_roles[n - pre.len() + j].as_ref(), k));
            }
        } else {
            let skip = pre.len() - n;
            for (j, &k) in pre.iter().enumerate() {
                pairs.push((
                    if j < skip {
                        None
                    } else {
                        pre_roles[j - skip].as_ref()
                    },
                    k,
                ));
            }
        }
        let mut code_cell: Option<String> = None;
        let goals_before = self.occs.len();
        for (role, k) in pairs {
            let c = &row[k];
            if !c.own() {
                continue;
            }
            if let Some(l) = labels::objective(&c.text, self.lx) {
                self.open(
                    l.kind,
                    l.code,
                    collapse_whitespace(&l.text),
                    c.provenance.clone(),
                    true,
                    None,
                );
                used.push((ri, k));
                continue;
            }
            // A goal column that repeats only the goal's number ("1.1"
            // under "Мера") refers to a goal stated elsewhere.
            let bare = labels::bare_code(&c.text).or_else(|| {
                labels::is_roman(c.text.trim().trim_end_matches('.'))
                    .then(|| c.text.trim().trim_end_matches('.').to_string())
            });
            if matches!(role, Some(Role::Goal | Role::Priority))
                && let Some(code) = bare
            {
                match self.occ_by_code(&canonical_code(&code)) {
                    Some(o) => {
                        self.stack = self.ancestry(o);
                        self.occs[o].structural = true;
                        self.table_goal = true;
                        self.owner = None;
                    }
                    None => self.diags.push(
                        Diagnostic::new(
                            Level::Warning,
                            "unknown_goal_reference",
                            format!("goal column names {code:?}, which no goal is numbered"),
                        )
                        .at(c.provenance.clone()),
                    ),
                }
                used.push((ri, k));
                continue;
            }
            match role {
                Some(Role::Goal | Role::Priority) if labels::leading_code(&c.text).is_some() => {
                    if let Some((code, words)) = labels::leading_code(&c.text) {
                        let kind = if role == Some(&Role::Priority) {
                            ObjectiveKind::Priority
                        } else {
                            ObjectiveKind::Objective
                        };
                        self.open(
                            kind,
                            Some(code),
                            collapse_whitespace(&words),
                            c.provenance.clone(),
                            true,
                            None,
                        );
                        pending_priority.take();
                    }
                    used.push((ri, k));
                }
                Some(Role::Priority) => {
                    let top = self.stack.last().copied();
                    if let Some(code) = pending_priority.take() {
                        self.open(
                            ObjectiveKind::Priority,
                            Some(code),
                            collapse_whitespace(&c.text),
                            c.provenance.clone(),
                            true,
                            None,
                        );
                    } else if starts_lowercase(&c.text)
                        && let Some(t) = top
                    {
                        self.append_text(t, &c.text, &c.provenance);
                    } else {
                        self.open(
                            ObjectiveKind::Priority,
                            None,
                            collapse_whitespace(&c.text),
                            c.provenance.clone(),
                            true,
                            None,
                        );
                    }
                    used.push((ri, k));
                }
                Some(Role::Goal) => {
                    if starts_lowercase(&c.text)
                        && let Some(t) = self.stack.last().copied()
                    {
                        self.append_text(t, &c.text, &c.provenance);
                    } else {
                        self.open(
                            ObjectiveKind::Objective,
                            None,
                            collapse_whitespace(&c.text),
                            c.provenance.clone(),
                            true,
                            None,
                        );
                    }
                    used.push((ri, k));
                }
                Some(Role::Code | Role::MeasureCode) => {
                    code_cell = labels::bare_code(&c.text);
                    if code_cell.is_some() {
                        used.push((ri, k));
                    }
                }
                _ => {}
            }
        }
        if self.occs.len() > goals_before {
            // A new goal: rows below no longer continue the last activity.
            *last_act = None;
        }
        let Some((a, code, atext)) = act else {
            self.continue_activity(row, h, *last_act, ri, used);
            return;
        };
        // An activity text broken by a page break.
        if code.is_none()
            && code_cell.is_none()
            && starts_lowercase(&atext)
            && let Some(la) = *last_act
        {
            let d = &mut self.acts[la];
            d.text.push(' ');
            d.text.push_str(atext.trim());
            used.push((ri, a));
            let rest: Vec<GCell> = row
                .iter()
                .enumerate()
                .map(|(k, c)| if k == a { GCell::default() } else { c.clone() })
                .collect();
            self.continue_activity(&rest, h, *last_act, ri, used);
            return;
        }
        used.push((ri, a));
        let tail: Vec<&GCell> = row[a + 1..].iter().collect();
        let mut field_roles: Vec<&Option<Role>> = h.roles[h.activity + 1..].iter().collect();
        // Columns past the last headed one are padding of the table's
        // width: a row's cells are fitted to the headed columns.
        let headed = field_roles
            .iter()
            .rposition(|r| r.is_some())
            .map_or(0, |p| p + 1);
        field_roles.truncate(headed);
        let expect: Vec<Expect> = field_roles
            .iter()
            .map(|r| expect_of_role(r.as_ref()))
            .collect();
        let (map, extra) = fit_by_content(&tail, &expect);
        for &e in &extra {
            self.diags.push(
                Diagnostic::new(
                    Level::Warning,
                    "matrix_cell_unplaced",
                    format!(
                        "activity row has a cell beyond its header: {:?}",
                        tail[e].text
                    ),
                )
                .at(tail[e].provenance.clone()),
            );
        }
        let mut fields_map = BTreeMap::new();
        let mut raw_map = HashMap::new();
        for (role, m) in field_roles.iter().zip(&map) {
            let Some(Role::Field(name)) = role else {
                continue;
            };
            let (raw, prov) = match m {
                Some(i) => {
                    let c = tail[*i];
                    if c.ci.is_some() && !c.empty() {
                        used.push((ri, a + 1 + i));
                    }
                    raw_map.insert(a + 1 + i, name.clone());
                    (c.text.clone(), c.provenance.clone())
                }
                None => (String::new(), row[a].provenance.clone()),
            };
            fields_map.insert(name.clone(), fields::field(self.ctx, name, &raw, prov));
        }
        let code = code.or(code_cell);
        // One cell listing several activities as bullets: one activity per
        // item, paired in order with cells listing as many entries.
        let items: Vec<String> = row[a]
            .paras()
            .iter()
            .filter(|p| p.1)
            .map(|p| p.0.clone())
            .collect();
        if code.is_none() && items.len() >= 2 {
            let n = items.len();
            let mut per: HashMap<String, (Vec<String>, Provenance)> = HashMap::new();
            for (role, m) in field_roles.iter().zip(&map) {
                let (Some(Role::Field(name)), Some(i)) = (role, m) else {
                    continue;
                };
                let c = tail[*i];
                match self.split_entries(c, n) {
                    Some(v) => {
                        per.insert(name.clone(), (v, c.provenance.clone()));
                    }
                    None if name == "budget" && c.paras().len() >= 2 => {
                        self.diags.push(
                            Diagnostic::new(
                                Level::Warning,
                                "bullet_amounts_mismatch",
                                format!(
                                    "{n} activities listed in one cell but {} entries in the {name} cell; not paired",
                                    c.paras().len()
                                ),
                            )
                            .at(c.provenance.clone()),
                        );
                    }
                    None => {}
                }
            }
            let parent = self.scoped();
            let parents = self.parents_of(parent);
            for (j, item) in items.into_iter().enumerate() {
                let mut f = fields_map.clone();
                for (name, (v, prov)) in &per {
                    f.insert(
                        name.clone(),
                        fields::field(self.ctx, name, &v[j], prov.clone()),
                    );
                }
                self.acts.push(ActDraft {
                    code: None,
                    parent,
                    parents: parents.clone(),
                    text: item,
                    fields: f,
                    raw_map: raw_map.clone(),
                    provenance: row[a].provenance.clone(),
                    measure: None,
                });
            }
            *last_act = Some(self.acts.len() - 1);
            return;
        }
        if !labelled
            && h.roles.contains(&Some(Role::MeasureCode))
            && self.is_measure_row(code.as_deref())
        {
            let occ = self.open(
                ObjectiveKind::Measure,
                code.clone(),
                collapse_whitespace(&atext),
                row[a].provenance.clone(),
                true,
                None,
            );
            let parent = self.occs[occ].parent;
            self.acts.push(ActDraft {
                code,
                parent,
                parents: Vec::new(),
                text: atext,
                fields: fields_map,
                raw_map,
                provenance: row[a].provenance.clone(),
                measure: Some(occ),
            });
            *last_act = Some(self.acts.len() - 1);
            return;
        }
        let parent = self.activity_parent(code.as_deref(), &row[a].provenance);
        if let Some(c) = &code {
            let pcode = parent.and_then(|p| self.occs[p].code.clone());
            // The parents each code was met under, in order (a scan of all
            // activities per row would be quadratic on long plans).
            let seen = self.code_parents.entry(c.clone()).or_default();
            let prev = seen.iter().copied().find(|&p| p != parent);
            if !seen.contains(&parent) {
                seen.push(parent);
            }
            if let Some(prev) = prev {
                let prev_parent = prev.and_then(|p| self.occs[p].code.clone());
                self.diags.push(
                    Diagnostic::new(
                        Level::Warning,
                        "duplicate_activity_code",
                        format!(
                            "activity code {c} appears under {} and again under {}; kept as written",
                            prev_parent.as_deref().unwrap_or("(no code)"),
                            pcode.as_deref().unwrap_or("(no code)")
                        ),
                    )
                    .at(row[a].provenance.clone()),
                );
            }
        }
        let parents = self.parents_of(parent);
        self.acts.push(ActDraft {
            code,
            parent,
            parents,
            text: atext,
            fields: fields_map,
            raw_map,
            provenance: row[a].provenance.clone(),
            measure: None,
        });
        *last_act = Some(self.acts.len() - 1);
    }

    /// In a table whose number column names measures: a row is a measure
    /// unless its number extends the open measure's number (1.1.1 under
    /// 1.1) or, unnumbered, it follows an open measure.
    fn is_measure_row(&self, code: Option<&str>) -> bool {
        let open = self
            .stack
            .last()
            .filter(|&&t| self.occs[t].kind == ObjectiveKind::Measure)
            .map(|&t| self.occs[t].code.as_deref());
        match (code, open) {
            (_, None) => true,
            (Some(c), Some(Some(m))) => {
                let m = m.trim_end_matches('.');
                !c.strip_prefix(m)
                    .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
            }
            (Some(_), Some(None)) => true,
            (None, Some(_)) => false,
        }
    }

    /// The entries of a cell that lists `n` things: its paragraphs, or its
    /// money amounts, when there are exactly `n`.
    fn split_entries(&self, c: &GCell, n: usize) -> Option<Vec<String>> {
        if c.paras().len() == n {
            return Some(c.paras().iter().map(|p| p.0.clone()).collect());
        }
        let money: Vec<String> = c
            .paras()
            .iter()
            .flat_map(|p| self.ctx.numbers_in(&p.0))
            .filter(|x| x.kind == crate::normalize::numbers::Kind::Money || x.currency.is_some())
            .map(|x| x.raw)
            .collect();
        (money.len() == n).then_some(money)
    }

    /// The goals an activity under `parent` sits under: the goal, or every
    /// goal of the list it belongs to.
    fn parents_of(&self, parent: Option<usize>) -> Vec<usize> {
        let Some(p) = parent else { return Vec::new() };
        match self.occs[p].group {
            Some(g) => (0..self.occs.len())
                .filter(|&i| self.occs[i].group == Some(g))
                .collect(),
            None => vec![p],
        }
    }

    /// Joins the rest of a goal's text (a cell broken by a page break).
    fn append_text(&mut self, occ: usize, more: &str, from: &Provenance) {
        let o = &mut self.occs[occ];
        if !o.text.is_empty() {
            o.text.push(' ');
        }
        o.text.push_str(&collapse_whitespace(more));
        if let (Some([a, _]), Some([_, b])) = (o.provenance.line, from.line) {
            o.provenance.line = Some([a, b]);
        }
    }

    /// A row without an activity: the cells continue the fields of the
    /// activity above (a row split by a page break, or a merged cell
    /// written again).
    fn continue_activity(
        &mut self,
        row: &[GCell],
        h: &Header,
        last: Option<usize>,
        ri: usize,
        used: &mut Vec<(usize, usize)>,
    ) {
        let Some(la) = last else { return };
        for (k, c) in row.iter().enumerate() {
            if !c.own() || k == h.activity && labels::objective(&c.text, self.lx).is_some() {
                continue;
            }
            // Cells of this row already used sit at the end of `used`.
            if used
                .iter()
                .rev()
                .take_while(|u| u.0 == ri)
                .any(|u| u.1 == k)
            {
                continue;
            }
            let d = &self.acts[la];
            let text = collapse_whitespace(&c.text);
            if d.fields
                .values()
                .any(|f| collapse_whitespace(&f.raw) == text)
            {
                used.push((ri, k));
                continue;
            }
            let by_header = match h.roles.get(k) {
                Some(Some(Role::Field(f))) => Some(f.clone()),
                _ => None,
            };
            let by_row = d.raw_map.get(&k).cloned();
            let unfinished = |f: &Option<String>| {
                f.as_ref()
                    .and_then(|n| d.fields.get(n))
                    .is_some_and(|x| x.raw.trim_end().ends_with([',', ';', '-']))
            };
            let target = if unfinished(&by_header) {
                by_header
            } else if unfinished(&by_row) {
                by_row
            } else {
                by_header.or(by_row)
            };
            let Some(name) = target else { continue };
            let d = &mut self.acts[la];
            if let Some(f) = d.fields.get_mut(&name) {
                // A line of its own, as the cell would have it whole; the
                // institutions on each line stay apart.
                let mut raw = f.raw.clone();
                if !raw.trim().is_empty() {
                    raw.push('\n');
                }
                raw.push_str(c.text.trim());
                let mut prov = f.provenance.clone();
                // The text spans both rows' lines.
                if let (Some([a, _]), Some([_, b])) = (prov.line, c.provenance.line) {
                    prov.line = Some([a, b]);
                }
                *f = fields::field(self.ctx, &name, &raw, prov);
                used.push((ri, k));
            }
        }
    }

    fn finish(mut self, rec: &mut PlanRecord, placed: &mut Placed) {
        // Measure rows give their objective its (possibly joined) text and
        // the row's columns as its fields.
        //
        // The leaf-row rule: a measure row that carries the action fields
        // (who, when, how much, indicator or result) and has no activity
        // rows of its own is the plan's action at that place, an activity
        // whatever its label word; its measure number is its code.
        let with_children: HashSet<(ObjectiveKind, String)> = self
            .acts
            .iter()
            .filter(|a| a.measure.is_none())
            .filter_map(|a| a.parent.map(|p| self.occs[p].key()))
            .collect();
        let mut acts = Vec::with_capacity(self.acts.len());
        for mut d in std::mem::take(&mut self.acts) {
            if let Some(o) = d.measure
                && !with_children.contains(&self.occs[o].key())
                && d.fields
                    .iter()
                    .any(|(k, f)| ACTION_FIELDS.contains(&k.as_str()) && !f.raw.trim().is_empty())
            {
                self.occs[o].structural = false;
                d.parent = self.occs[o].parent;
                d.parents = self.parents_of(d.parent);
                d.measure = None;
            }
            match d.measure {
                Some(o) => {
                    let occ = &mut self.occs[o];
                    occ.text = d.text;
                    occ.fields.extend(d.fields);
                    occ.provenance = d.provenance;
                }
                None => acts.push(d),
            }
        }
        // One objective per goal: the last mention that carries rows gives
        // the text and place; goals only mentioned in passing are kept when
        // another mention of the same goal carries rows.
        let mut groups: HashMap<(ObjectiveKind, String), Vec<usize>> = HashMap::new();
        let mut key_order: Vec<(ObjectiveKind, String)> = Vec::new();
        for (i, o) in self.occs.iter().enumerate() {
            let k = o.key();
            if !groups.contains_key(&k) {
                key_order.push(k.clone());
            }
            groups.entry(k).or_default().push(i);
        }
        let mut rep_of: HashMap<usize, usize> = HashMap::new();
        let mut kept: Vec<usize> = Vec::new();
        for k in &key_order {
            let Some(members) = groups.get(k) else {
                continue;
            };
            if !members.iter().any(|&m| self.occs[m].structural) {
                continue;
            }
            let structural = |m: usize| self.occs[m].structural;
            let worded = |m: usize| !self.occs[m].text.trim().is_empty();
            let rep = members
                .iter()
                .rev()
                .find(|&&m| structural(m) && worded(m))
                .or_else(|| members.iter().rev().find(|&&m| structural(m)))
                .copied()
                .unwrap_or(members[members.len() - 1]);
            for &m in members {
                rep_of.insert(m, rep);
            }
            kept.push(rep);
        }
        // Parents of kept goals are kept too.
        let mut i = 0;
        while i < kept.len() {
            if let Some(p) = self.occs[kept[i]].parent
                && !rep_of.contains_key(&p)
            {
                rep_of.insert(p, p);
                kept.push(p);
            }
            i += 1;
        }
        kept.sort_unstable();
        kept.dedup();
        let code_of = |occ: Option<usize>| -> Option<String> {
            occ.and_then(|o| self.occs[*rep_of.get(&o).unwrap_or(&o)].code.clone())
        };
        let ids: HashMap<usize, String> = kept
            .iter()
            .enumerate()
            .map(|(n, &r)| (r, format!("o{}", n + 1)))
            .collect();
        let id_of =
            |occ: usize| -> Option<String> { ids.get(rep_of.get(&occ).unwrap_or(&occ)).cloned() };
        // Fields stated at any mention of a goal belong to it.
        let mut fields_of: HashMap<usize, BTreeMap<String, Field>> = HashMap::new();
        for (i, o) in self.occs.iter().enumerate() {
            if o.fields.is_empty() {
                continue;
            }
            let rep = *rep_of.get(&i).unwrap_or(&i);
            let f = fields_of.entry(rep).or_default();
            for (k, v) in &o.fields {
                f.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for (n, &r) in kept.iter().enumerate() {
            let o = &self.occs[r];
            rec.objectives.push(Objective {
                id: format!("o{}", n + 1),
                code: o.code.clone(),
                kind: o.kind,
                parent: code_of(o.parent),
                parent_id: o.parent.and_then(id_of),
                text: text::text(&collapse_whitespace(&o.text)),
                fields: fields_of.remove(&r).unwrap_or_default(),
                provenance: o.provenance.clone(),
            });
        }
        for (i, o) in self.occs.iter().enumerate() {
            if let Some(p) = o.paragraph
                && rep_of.contains_key(&i)
            {
                placed.paragraph(p);
            }
        }
        for &p in &self.stated_paras {
            placed.paragraph(p);
        }
        for (n, d) in acts.into_iter().enumerate() {
            rec.activities.push(Activity {
                id: format!("a{}", n + 1),
                code: d.code,
                parent: code_of(d.parent),
                parent_ids: {
                    let mut v: Vec<String> = d.parents.iter().filter_map(|&p| id_of(p)).collect();
                    v.dedup();
                    v
                },
                text: text::text(&collapse_whitespace(&d.text)),
                fields: d.fields,
                provenance: d.provenance,
            });
        }
        for (n, d) in self.inds.into_iter().enumerate() {
            rec.indicators.push(Indicator {
                id: format!("i{}", n + 1),
                parent: code_of(d.parent),
                parent_id: d.parent.and_then(id_of),
                name: text::text(&collapse_whitespace(&d.name)),
                unit: d.unit,
                source: d.source,
                values: d.values,
                provenance: d.provenance,
            });
        }
        let mut seen = HashSet::new();
        for d in self.diags {
            if seen.insert((d.code.clone(), d.message.clone(), d.provenance.clone())) {
                rec.diagnostics.push(d);
            }
        }
    }
}
