//! The alignment report (schema `plan-alignment/1`) and the single-plan
//! check report (schema `plan-check/1`).

use crate::extract::PlanRecord;
use crate::extract::record::{DocumentInfo, SourceInfo};
use crate::model::Provenance;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "plan-alignment/1";
pub const CHECK_SCHEMA: &str = "plan-check/1";

/// Versions of one plan found in a batch, by index into the batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pairing {
    pub pairs: Vec<Pair>,
    /// Records without a partner.
    pub unpaired: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    /// 0 to 1.
    pub confidence: f64,
    /// Why: `municipality`, `period`, `reference`, `structure`, `numbers`…
    pub evidence: Vec<String>,
}

/// One side of an alignment: which document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    pub source: SourceInfo,
    pub document: DocumentInfo,
}

/// How many items were aligned, by part of the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    pub objectives: u64,
    pub activities: u64,
    pub indicators: u64,
    pub tables: u64,
    pub paragraphs: u64,
}

/// One side of a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Place {
    pub raw: String,
    pub value: Option<f64>,
    /// Where, as in the record: table, row, cell and block count from 0,
    /// lines from 1. The HTML pages and `detail` print these same numbers.
    pub provenance: Provenance,
    /// This side's row or sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub context: String,
}

// How serious a finding is, spelled in the JSON in snake_case. A closed
// set: a new check adds its severity here (and `view::severity_rank` and
// the workbook's bands rank it by its name). Inlined in the schemas, where
// the field keeps its own description (plain comments on the variants, so
// the schema lists the names as an `enum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum Severity {
    // Alignment: the two versions state different figures.
    NumericMismatch,
    // Alignment: a value of a has no counterpart (or no value) in b.
    Missing,
    // Alignment: a value of b has no counterpart (or no value) in a.
    Extra,
    // Alignment: one value written differently (`2,314` and `2.314`).
    FormatOnly,
    // Alignment: an objective, activity or indicator coded differently.
    CodeMismatch,
    // Alignment: an objective, activity or indicator with no counterpart.
    Structure,
    // Check: a total that is not the sum of its parts.
    TotalMismatch,
    // Check: a count that is not the number of rows it counts.
    CountMismatch,
    // Check: shares of one whole, or a share against its figures.
    ShareMismatch,
    // Check: one figure stated twice, differently.
    RepeatedMismatch,
    // Check: the years of one indicator labelled differently.
    YearLabelMismatch,
    // Check: a caption's span against its table's years.
    PeriodLabelMismatch,
    // Check: a target or year beyond the plan's period.
    OutsidePeriod,
    // Check: a running total that does not add up.
    CumulativeMismatch,
    // Check: a running total that falls.
    CumulativeFalls,
    // Check: an "all" figure against its parts.
    AggregateMismatch,
    // Check: amounts a thousand times off.
    ScaleInconsistent,
    // Check: a table in units holding another's thousands.
    ScaleLabelMismatch,
    // Check: a unit label against what the figures are.
    UnitLabelMismatch,
}

impl Severity {
    /// Every severity, in declaration order.
    pub const ALL: [Severity; 19] = [
        Severity::NumericMismatch,
        Severity::Missing,
        Severity::Extra,
        Severity::FormatOnly,
        Severity::CodeMismatch,
        Severity::Structure,
        Severity::TotalMismatch,
        Severity::CountMismatch,
        Severity::ShareMismatch,
        Severity::RepeatedMismatch,
        Severity::YearLabelMismatch,
        Severity::PeriodLabelMismatch,
        Severity::OutsidePeriod,
        Severity::CumulativeMismatch,
        Severity::CumulativeFalls,
        Severity::AggregateMismatch,
        Severity::ScaleInconsistent,
        Severity::ScaleLabelMismatch,
        Severity::UnitLabelMismatch,
    ];

    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::NumericMismatch => "numeric_mismatch",
            Severity::Missing => "missing",
            Severity::Extra => "extra",
            Severity::FormatOnly => "format_only",
            Severity::CodeMismatch => "code_mismatch",
            Severity::Structure => "structure",
            Severity::TotalMismatch => "total_mismatch",
            Severity::CountMismatch => "count_mismatch",
            Severity::ShareMismatch => "share_mismatch",
            Severity::RepeatedMismatch => "repeated_mismatch",
            Severity::YearLabelMismatch => "year_label_mismatch",
            Severity::PeriodLabelMismatch => "period_label_mismatch",
            Severity::OutsidePeriod => "outside_period",
            Severity::CumulativeMismatch => "cumulative_mismatch",
            Severity::CumulativeFalls => "cumulative_falls",
            Severity::AggregateMismatch => "aggregate_mismatch",
            Severity::ScaleInconsistent => "scale_inconsistent",
            Severity::ScaleLabelMismatch => "scale_label_mismatch",
            Severity::UnitLabelMismatch => "unit_label_mismatch",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// What a finding compares, spelled in the JSON in snake_case. A closed
// set: a new comparison or check adds its kind here. Inlined in the
// schemas, where the field keeps its own description (plain comments on
// the variants, so the schema lists the names as an `enum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum FindingKind {
    // Alignment: a table as a whole (its rows, or its absence).
    Table,
    // Alignment: a table row with no counterpart.
    TableRow,
    // Alignment: a number in aligned table cells.
    TableCell,
    // Alignment: a number found in another cell of the other table.
    MovedCell,
    // Alignment: a paragraph with no counterpart.
    Paragraph,
    // Alignment: a number in running text.
    TextNumber,
    // Alignment: an objective (priority, goal, measure) by its code.
    Objective,
    // Alignment: an activity by its code.
    Activity,
    // Alignment: an indicator with no counterpart.
    Indicator,
    // Alignment: an indicator's value for one year and kind.
    IndicatorValue,
    // Alignment: a budget amount of one goal, measure or activity.
    Budget,
    // Check: a total, subtotal or breakdown against its parts.
    Total,
    // Check: shares of one whole, or a share against its figures.
    Share,
    // Check: one figure or series stated twice.
    Restatement,
    // Check: aggregates, running totals and counts.
    Series,
    // Check: spans and years against the plan's period.
    Period,
    // Check: scale and unit labels.
    Scale,
}

impl FindingKind {
    /// Every kind, in declaration order.
    pub const ALL: [FindingKind; 17] = [
        FindingKind::Table,
        FindingKind::TableRow,
        FindingKind::TableCell,
        FindingKind::MovedCell,
        FindingKind::Paragraph,
        FindingKind::TextNumber,
        FindingKind::Objective,
        FindingKind::Activity,
        FindingKind::Indicator,
        FindingKind::IndicatorValue,
        FindingKind::Budget,
        FindingKind::Total,
        FindingKind::Share,
        FindingKind::Restatement,
        FindingKind::Series,
        FindingKind::Period,
        FindingKind::Scale,
    ];

    /// The name as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Table => "table",
            FindingKind::TableRow => "table_row",
            FindingKind::TableCell => "table_cell",
            FindingKind::MovedCell => "moved_cell",
            FindingKind::Paragraph => "paragraph",
            FindingKind::TextNumber => "text_number",
            FindingKind::Objective => "objective",
            FindingKind::Activity => "activity",
            FindingKind::Indicator => "indicator",
            FindingKind::IndicatorValue => "indicator_value",
            FindingKind::Budget => "budget",
            FindingKind::Total => "total",
            FindingKind::Share => "share",
            FindingKind::Restatement => "restatement",
            FindingKind::Series => "series",
            FindingKind::Period => "period",
            FindingKind::Scale => "scale",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// `f1`, `f2`, … in report order (anchors in the HTML view).
    #[serde(default)]
    pub id: String,
    /// What was compared.
    pub kind: FindingKind,
    /// `numeric_mismatch`, `missing`, `extra`, `format_only`,
    /// `code_mismatch`, `structure` (alignment); check findings use their
    /// own (`total_mismatch`, …).
    pub severity: Severity,
    /// The row or sentence the values belong to.
    pub context: String,
    pub a: Option<Place>,
    pub b: Option<Place>,
    /// One line for a person: what differs and how.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Check findings: the figure the plan's other statements imply (a sum,
    /// the same figure elsewhere, a share computed from its parts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
    /// Check findings: the figure the plan states at `a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<f64>,
    /// Check findings: 0 to 1, how sure the check is that a careful reader
    /// would call this an inconsistency of the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Alignment {
    pub schema: String,
    pub a: Side,
    pub b: Side,
    pub aligned: Counts,
    /// Findings by severity.
    #[serde(default)]
    pub summary: std::collections::BTreeMap<String, u64>,
    /// Aligned tables, `[a table id, b table id]`.
    #[serde(default)]
    pub table_pairs: Vec<[String; 2]>,
    /// Tables left out of the number comparison and why (`toc`: a table of
    /// contents, whose page numbers differ between renditions).
    #[serde(default)]
    pub skipped: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Alignment {
    pub fn new(a: &PlanRecord, b: &PlanRecord) -> Alignment {
        Alignment {
            schema: SCHEMA.to_string(),
            a: side(a),
            b: side(b),
            aligned: Counts::default(),
            summary: Default::default(),
            table_pairs: Vec::new(),
            skipped: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Findings that make `planrec align` exit with 1.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| matches!(f.severity, Severity::NumericMismatch | Severity::Missing))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Check {
    pub schema: String,
    pub source: SourceInfo,
    pub document: DocumentInfo,
    /// Findings by severity.
    #[serde(default)]
    pub summary: std::collections::BTreeMap<String, u64>,
    pub findings: Vec<Finding>,
}

impl Check {
    pub fn new(rec: &PlanRecord) -> Check {
        Check {
            schema: CHECK_SCHEMA.to_string(),
            source: rec.source.clone(),
            document: rec.document.clone(),
            summary: Default::default(),
            findings: Vec::new(),
        }
    }
}

fn side(r: &PlanRecord) -> Side {
    Side {
        source: r.source.clone(),
        document: r.document.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_names_are_the_json_spelling() {
        for s in Severity::ALL {
            let json = serde_json::to_string(&s).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            let back: Severity = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, s);
        }
    }

    #[test]
    fn finding_kind_names_are_the_json_spelling() {
        for k in FindingKind::ALL {
            let json = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            let back: FindingKind = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, k);
        }
    }
}
