//! The plan matrix: goals, activities and indicator rows.
//!
//! In: the context (tables and body paragraphs in document order). Out: the
//! record's `objectives`, `activities` and `indicators`, diagnostics for
//! what looked odd or was decided by a fallback, and the cells and
//! paragraphs used, marked in [`Placed`].
//!
//! The document is read once, in order, the way a person reads it. The
//! steps, one file each:
//!
//! - `grid.rs` — layout: a table as a dense grid (merged cells repeated,
//!   Word list numbers read as text exports write them), rows fitted to
//!   their header;
//! - `paragraphs.rs` — goal labels in headings and running text, statements
//!   about a goal, activities written as label–value blocks;
//! - `roles.rs` — column roles from the lexicon (as written, abbreviated,
//!   inflected, ijekavian; `mappings/headers.tsv`,
//!   `mappings/indicator_headers.tsv`) and from the cells below (codes,
//!   years, sentences); unknown columns kept as named fields; goal and
//!   activity labels are read by [`crate::extract::labels`];
//! - `hierarchy.rs` — where each node belongs: its number first, the
//!   table's layout or caption second, the order of reading last;
//! - `table.rs` — one table row by row against its last header;
//!   `activities.rs` and `indicators.rs` — the rows themselves;
//! - `finish.rs` — one objective per goal, the leaf-row rule (a measure row
//!   carrying action fields and no activities is an activity), ids.
//!
//! A goal announced in a paragraph ("Cilj 1.1:", "МЕРА 2.1:") or in a table
//! row stays the enclosing goal of the rows that follow, across tables,
//! unless a number or a caption says otherwise. A matrix header makes the
//! rows below activity rows, an indicator header makes them indicator rows
//! until a goal or activity row comes back. Rows without an activity
//! continue the one above (a page break split it); repeated header rows and
//! title rows are skipped. A goal mentioned several times (a list in the
//! text, the matrix, a budget summary) becomes one objective. When a row has
//! more cells than the header has columns, the empty cells dropped are
//! chosen so that cells suit their columns (see `grid::fit_by_content`).

mod activities;
pub mod fields;
mod finish;
mod grid;
mod hierarchy;
mod indicators;
pub mod lexicon;
mod paragraphs;
mod roles;
mod table;

use super::labels;
use super::record::{
    Activity, Field, Indicator, IndicatorValue, Objective, ObjectiveKind, ValueKind,
};
use super::{Ctx, Placed, PlanRecord};
use crate::model::{Cell, Diagnostic, Level, Provenance, Table};
use crate::normalize::dates::is_year_cell;
use crate::normalize::{collapse_whitespace, text};
use grid::{Expect, GCell, by_length, expect_of_ind, expect_of_role, fit, fit_by_content, grid};
use hierarchy::canonical_code;
use lexicon::{IndRole, Lexicon, Role};
use roles::money_parts;
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
    fn key(&self, norm: &crate::normalize::Norm) -> (ObjectiveKind, String) {
        (
            self.kind,
            match &self.code {
                Some(c) => format!("#{c}"),
                None => norm.key(&self.text),
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
    lx: &'a Lexicon,
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
    /// The latest goal numbered so, by canonical number
    /// ([`hierarchy::canonical_code`]).
    by_code: HashMap<String, usize>,
    /// Parents (goal occurrences) each activity code was met under.
    code_parents: HashMap<String, Vec<Option<usize>>>,
}

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let lx = ctx.vocab.structure();
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
        by_code: HashMap::new(),
    };
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
