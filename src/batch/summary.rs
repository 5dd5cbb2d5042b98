//! `summary.json` (schema `plan-batch/1`): what a run or a merge did, per
//! document, per pair, and in total.

use crate::extract::record::DocScript;
use crate::model::Format;
use crate::normalize::lang::Language;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of `summary.json`'s `schema` field.
pub const SUMMARY_SCHEMA: &str = "plan-batch/1";

/// Per-document line of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentSummary {
    pub name: String,
    pub path: String,
    pub format: Format,
    pub bytes: u64,
    pub language: Option<Language>,
    pub script: Option<DocScript>,
    pub municipality_id: Option<String>,
    pub tables: u64,
    pub objectives: u64,
    pub activities: u64,
    pub indicators: u64,
    pub budgets: u64,
    pub diagnostics: u64,
    /// Findings of the document's own check.
    pub findings: u64,
    /// SHA-256 of the file's bytes (duplicates are found by it).
    #[serde(default)]
    pub sha256: String,
}

/// A pair of versions and what their alignment found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairSummary {
    /// File stem under `alignments/`.
    pub name: String,
    pub a: String,
    pub b: String,
    pub confidence: f64,
    pub evidence: Vec<String>,
    pub findings: u64,
    pub by_severity: BTreeMap<String, u64>,
}

/// A document whose bytes equal an earlier one's (in path order): it is
/// read and written like any other, but never paired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Duplicate {
    pub path: String,
    /// Path of the first document with these bytes.
    pub of: String,
}

/// A document that was read but is doubtful as a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    pub path: String,
    pub warning: String,
}

/// A document (or directory) that could not be processed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Totals {
    /// Input files of the whole batch (all shards).
    pub inputs: u64,
    /// Documents this run was responsible for (its shard).
    pub documents: u64,
    pub read: u64,
    pub failed: u64,
    pub tables: u64,
    pub objectives: u64,
    pub activities: u64,
    pub indicators: u64,
    pub budgets: u64,
    pub pairs: u64,
    pub unpaired: u64,
    pub alignment_findings: u64,
    pub check_findings: u64,
    #[serde(default)]
    pub duplicates: u64,
    #[serde(default)]
    pub warnings: u64,
    /// Alignment and check findings together, by severity.
    pub by_severity: BTreeMap<String, u64>,
}

/// `summary.json` (schema `plan-batch/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub schema: String,
    /// The batch: a hash of the input set, the same in every shard of it.
    #[serde(default)]
    pub batch: String,
    /// `K/N` for a shard's output, null for a whole batch or a merge.
    pub shard: Option<String>,
    pub totals: Totals,
    pub documents: Vec<DocumentSummary>,
    pub pairs: Vec<PairSummary>,
    /// Names of documents without a partner.
    pub unpaired: Vec<String>,
    #[serde(default)]
    pub duplicates: Vec<Duplicate>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    pub failures: Vec<Failure>,
}
