//! The plan record (schema `plan-record/1`): the extraction stage's output
//! and the contract with every consumer downstream. Field names are part of
//! the contract: fields may be added, none removed or renamed.

use crate::model::{Diagnostic, Format, Provenance};
use crate::normalize::lang::Language;
use crate::normalize::numbers::Kind;
use crate::normalize::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of the record's `schema` field.
pub const SCHEMA: &str = "plan-record/1";

/// One plan, as extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanRecord {
    /// Always [`SCHEMA`].
    pub schema: String,
    pub source: SourceInfo,
    pub document: DocumentInfo,
    pub abbreviations: Vec<Abbreviation>,
    /// Goal-like nodes of the plan (priorities, goals, measures), in
    /// document order.
    pub objectives: Vec<Objective>,
    /// Activity rows of the plan matrix, in document order, duplicates kept.
    pub activities: Vec<Activity>,
    /// Indicator rows with their values per year.
    pub indicators: Vec<Indicator>,
    /// Money amounts tied to a goal, measure or activity.
    pub budgets: Vec<Budget>,
    /// Every table of the document (the matrix included), cell by cell.
    pub tables: Vec<TableRecord>,
    /// Every non-empty body paragraph outside tables, with its numbers.
    pub paragraphs: Vec<ParagraphRecord>,
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: Coverage,
}

/// Where the record came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceInfo {
    pub path: String,
    pub sha256: String,
    /// `docx` or `txt`.
    pub format: Format,
    /// The detected (or declared) encoding, e.g. `UTF-8`, `windows-1251`.
    pub encoding: String,
    pub encoding_confidence: f64,
    pub bytes: u64,
}

/// What the document says about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentInfo {
    /// `sq` or `sr` (Bosnian/Croatian count as `sr`).
    pub language: Option<Language>,
    /// `Latn` or `Cyrl`.
    pub script: Option<DocScript>,
    pub language_confidence: f64,
    pub title: Option<Text>,
    /// The municipality's name as written in the document.
    pub municipality: Option<String>,
    /// A language-independent key for the municipality (from
    /// `mappings/municipalities.tsv`), the same for all versions of a plan.
    #[serde(default)]
    pub municipality_id: Option<String>,
    /// Reference (delovodni) number as written.
    pub reference: Option<String>,
    /// Adoption date as written.
    pub date: Option<String>,
    /// The same date as `YYYY-MM-DD`, when complete.
    #[serde(default)]
    pub date_iso: Option<String>,
    pub period: Option<Period>,
}

// What kind of funding source an amount has, the same in every language,
// in snake_case in the JSON: the kinds of `mappings/funding_sources.tsv`,
// and `mixed` when the source names several. Inlined in the schema, where
// the field keeps its own description.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum SourceKind {
    Local,
    National,
    Donor,
    External,
    Users,
    None,
    Mixed,
}

impl SourceKind {
    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Local => "local",
            SourceKind::National => "national",
            SourceKind::Donor => "donor",
            SourceKind::External => "external",
            SourceKind::Users => "users",
            SourceKind::None => "none",
            SourceKind::Mixed => "mixed",
        }
    }
}

impl From<crate::config::FundingKind> for SourceKind {
    fn from(k: crate::config::FundingKind) -> SourceKind {
        use crate::config::FundingKind as F;
        match k {
            F::Local => SourceKind::Local,
            F::National => SourceKind::National,
            F::Donor => SourceKind::Donor,
            F::External => SourceKind::External,
            F::Users => SourceKind::Users,
            F::None => SourceKind::None,
        }
    }
}

// The script a document is written in, as its ISO 15924 code: what the
// extraction decides for the whole document (never mixed or none, unlike
// `normalize::script::Script` of one text). Inlined in the schemas, where
// the field keeps its own description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub enum DocScript {
    Latn,
    Cyrl,
}

impl DocScript {
    /// The code as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocScript::Latn => "Latn",
            DocScript::Cyrl => "Cyrl",
        }
    }
}

/// A span of years (or a span parsed from a timeline cell).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Abbreviation {
    pub abbr: String,
    pub expansion: String,
    pub provenance: Provenance,
}

/// Kind of a goal-like node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    GeneralGoal,
    Priority,
    SpecificGoal,
    Objective,
    Measure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Objective {
    /// Stable within the record: `o1`, `o2`, … in document order.
    pub id: String,
    /// The number as the document writes it (`I`, `1.1`); null when the
    /// document does not number it.
    pub code: Option<String>,
    pub kind: ObjectiveKind,
    /// Code of the enclosing node, or null.
    pub parent: Option<String>,
    /// Id (`o…`) of the enclosing node, also when it has no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    pub text: Text,
    /// What the document states about the goal or measure itself, by
    /// canonical field name: the unit responsible for it (`lead`), its
    /// funding (`finance_source`, `budget_link`), period (`timeline`), type
    /// (`measure_type`), regulations (`regulations`), and for a measure
    /// read from a matrix row its columns (`indicator`, `result`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Field>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Activity {
    /// `a1`, `a2`, … in document order.
    pub id: String,
    pub code: Option<String>,
    /// Code of the objective or measure it sits under.
    pub parent: Option<String>,
    /// Ids (`o…`) of the objectives it sits under: one, or several when
    /// the table lists goals together above its activities; set also when
    /// those goals have no code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_ids: Vec<String>,
    pub text: Text,
    /// Matrix columns by canonical field name (`lead`, `budget`, …).
    pub fields: BTreeMap<String, Field>,
    pub provenance: Provenance,
}

/// One cell of an activity row, raw and parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Field {
    pub raw: String,
    /// Institutions named in the cell (lead, support, partners…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub institutions: Vec<String>,
    /// A span of years or dates (timeline, deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// A money amount (budget).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
    /// Every quantity in the cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<NumberRecord>,
    pub provenance: Provenance,
    /// `institutions` with the plan's own abbreviations
    /// (`abbreviations[]`) written out, one entry each, the raw text kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub institutions_expanded: Vec<Institution>,
}

/// One institution of a field, with the glossary applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Institution {
    /// As the field writes it.
    pub raw: String,
    /// `raw` with each abbreviation the glossary explains replaced by its
    /// expansion as the plan writes it.
    pub name: String,
    /// Serbian Latin form of `name` (Cyrillic transliterated).
    pub name_latn: String,
    /// The abbreviations expanded, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abbreviations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Money {
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub scale: u32,
}

/// Kind of an indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Baseline,
    Target,
    Actual,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// `i1`, `i2`, … in document order.
    pub id: String,
    /// Code of the enclosing objective or measure.
    pub parent: Option<String>,
    /// Id (`o…`) of the enclosing objective, also when it has no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    pub name: Text,
    pub unit: Option<String>,
    /// Source of verification, when the table has one.
    pub source: Option<String>,
    pub values: Vec<IndicatorValue>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorValue {
    pub year: Option<i32>,
    pub kind: ValueKind,
    /// The column header the value sits under.
    pub header: String,
    /// The cell text exactly.
    pub raw: String,
    /// The number, or null when the cell holds none (`raw` says why).
    pub value: Option<f64>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Budget {
    /// `b1`, `b2`, … in document order.
    pub id: String,
    /// Code of the goal or measure.
    pub parent: Option<String>,
    /// Code of the activity, when the amount belongs to one.
    pub activity: Option<String>,
    /// Id (`a…`) of the activity record the amount belongs to, when the
    /// structure has one: the link for activities without a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// The words of the row or list item the amount belongs to, when no
    /// code names it (an unnumbered activity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Funding source as written.
    pub source: Option<String>,
    /// What kind of source that is, the same in every language: `local`,
    /// `national`, `donor`, `external`, `users`, `none`, or `mixed` (from
    /// `mappings/funding_sources.tsv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_kind: Option<SourceKind>,
    pub year: Option<i32>,
    pub raw: String,
    /// As written; the amount is `value × scale`.
    pub value: Option<f64>,
    /// 1, or 1000 under "у 000" / "у хиљадама".
    pub scale: u32,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// The amount sits in a total row or a total column: it repeats the
    /// sum of other entries and must not be added to them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_total: bool,
    pub provenance: Provenance,
    /// `value × scale`: the amount in units of `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Where `year` came from when no year column gives it: `plan_period`
    /// (the plan covers one year) or `caption` (the table names one year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_from: Option<YearFrom>,
    /// The role of the table the amount sits in (`matrix`, `budget`,
    /// `indicators`, `other`), or `text` for a label–value block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_role: Option<AmountSite>,
    /// The amount equals the sum of finer entries (the activities of its
    /// measure, the measures of its goal, the goals of the plan), in this
    /// table or another: it repeats them, like a total.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_subtotal: bool,
    /// Ids of the entries a total or subtotal sums, where they are known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    /// Id of an entry in another table that states the same money (same
    /// goal, measure or activity, year, source and amount), stated first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restates: Option<String>,
    /// In the canonical set: not a total, not a subtotal, restating
    /// nothing, with an amount. Summing `amount` over the counted entries
    /// counts every amount of the plan once.
    #[serde(default)]
    pub counted: bool,
}

// What the extraction made of a table, spelled in lowercase in the JSON.
// Inlined in the schema, where the field keeps its own description (plain
// comments on the variants, so the schema lists the names as an `enum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum TableRole {
    // The plan matrix: goals, measures, activities and their fields.
    Matrix,
    // Indicators with their values by year.
    Indicators,
    // Money: amounts by year, source or line.
    Budget,
    // Abbreviations and their expansions.
    Glossary,
    // None of these.
    Other,
}

impl TableRole {
    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TableRole::Matrix => "matrix",
            TableRole::Indicators => "indicators",
            TableRole::Budget => "budget",
            TableRole::Glossary => "glossary",
            TableRole::Other => "other",
        }
    }
}

// Where a budget entry's year came from when no year column gives it,
// spelled in snake_case in the JSON. Inlined like `TableRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum YearFrom {
    PlanPeriod,
    Caption,
}

impl YearFrom {
    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            YearFrom::PlanPeriod => "plan_period",
            YearFrom::Caption => "caption",
        }
    }
}

// Where a budget amount sits: in a table of one of the roles, or in a
// label–value block of running text (`text`). Inlined like `TableRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum AmountSite {
    Matrix,
    Indicators,
    Budget,
    Glossary,
    Other,
    Text,
}

impl AmountSite {
    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AmountSite::Text => "text",
            AmountSite::Matrix => TableRole::Matrix.as_str(),
            AmountSite::Indicators => TableRole::Indicators.as_str(),
            AmountSite::Budget => TableRole::Budget.as_str(),
            AmountSite::Glossary => TableRole::Glossary.as_str(),
            AmountSite::Other => TableRole::Other.as_str(),
        }
    }
}

impl From<TableRole> for AmountSite {
    fn from(role: TableRole) -> AmountSite {
        match role {
            TableRole::Matrix => AmountSite::Matrix,
            TableRole::Indicators => AmountSite::Indicators,
            TableRole::Budget => AmountSite::Budget,
            TableRole::Glossary => AmountSite::Glossary,
            TableRole::Other => AmountSite::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableRecord {
    /// `t1`, `t2`, … in document order (nested tables after their parent).
    pub id: String,
    /// The caption or the paragraph just before the table, when there is one.
    pub caption: Option<String>,
    /// What the extraction made of it: `matrix`, `indicators`, `budget`,
    /// `glossary`, or `other`.
    pub role: TableRole,
    /// Scale marker of the table (1000 under "у 000"), when it has one.
    pub scale: Option<u32>,
    pub rows: Vec<Vec<CellRecord>>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CellRecord {
    pub text: String,
    pub col: usize,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub row_span: usize,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub col_span: usize,
    pub numbers: Vec<NumberRecord>,
    pub provenance: Provenance,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A quantity found in a cell or a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NumberRecord {
    pub raw: String,
    pub value: Option<f64>,
    pub kind: Kind,
    /// Upper end of a range or period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The counted noun (`5 dece`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noun: Option<String>,
    /// The reading is uncertain; `alt` is the other one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<f64>,
    /// Byte offset of `raw` in the cell or paragraph text.
    pub start: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParagraphRecord {
    /// `p1`, `p2`, … in document order.
    pub id: String,
    pub text: String,
    /// Heading level, when the paragraph is a heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<u8>,
    /// Whether the extraction placed it (objective, metadata, caption…).
    pub placed: bool,
    pub numbers: Vec<NumberRecord>,
    pub provenance: Provenance,
}

/// How much of the input the plan structure accounts for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    /// Non-empty table cells in the input.
    pub cells_in: u64,
    /// Of those, cells placed in objectives, activities, indicators, budgets
    /// or recognized as headers.
    pub cells_placed: u64,
    pub chars_in: u64,
    pub chars_placed: u64,
    pub paragraphs_in: u64,
    pub paragraphs_placed: u64,
}
