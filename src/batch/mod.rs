//! The batch job: a directory of plans in, a directory of canonical outputs
//! out. This is what `planrec run` and `planrec merge` drive.
//!
//! In: an input directory (searched recursively for `.docx` and `.txt`), an
//! output directory and [`Options`] (threads, shard, memory budget). Out,
//! under the output directory:
//!
//! - `records/<name>.json` — one plan record per document read;
//! - `records.jsonl` — the same records, one per line, in path order;
//! - `checks/<name>.json` and `.html` — each document's own consistency
//!   ([`crate::check::check`]) and its reviewer page ([`crate::check::html`]);
//! - `alignments/<a>+<b>.json` and `.html` — each pair of versions of one
//!   plan ([`align::pair`], [`align::align`], [`align::html`]);
//! - `tables/*.csv` — the flat tables ([`crate::emit::tables`]), from rows
//!   the workers made (`batch/rows.rs`);
//! - `summary.json` — counts, pairs, duplicates, warnings, and every failure
//!   (including inputs that are not plans) with its reason.
//!
//! `<name>` is the document's path relative to the input directory without
//! its extension, `/` written as `_` (the extension is kept when two inputs
//! would otherwise share a name); see [`names`] for bytes that are not
//! UTF-8 and for long names. Records name their source by the same relative
//! path, so outputs do not depend on where the corpus lives.
//!
//! Scale: a run streams. Each record and check is written when made and
//! dropped; what pairing, alignment and the summary need is a small key per
//! document ([`align::pairing::PairKey`] and its summary line), and a pair's
//! two records are read back from `records/` when it is aligned, so memory
//! depends on the thread count and the largest document, not on the number
//! of documents. A memory budget across the workers ([`Options::max_memory`])
//! keeps `-jN` from multiplying the worst document by N.
//!
//! Guarantees: documents are processed in parallel but every output is
//! written in path order and holds no time or thread-dependent data, so the
//! bytes are the same for any thread count and any run; every file is
//! written atomically (temporary file + rename). One run at a time writes an
//! output directory (a lock, see [`output`]); a run first removes
//! `summary.json` and the temporary files of any interrupted run, and writes
//! `summary.json` last, synced to disk, after removing the files in
//! `records/`, `checks/` and `alignments/` that it did not write: its
//! presence marks a finished run. A bad document is a failure entry, never
//! an abort; a machine fault (disk full, file size limit, read-only) stops
//! the run with [`Error::Environment`] and no summary.
//!
//! Sharding ([`Shard`]): a document's shard is chosen from its plan key —
//! municipality id and period, the same in every language version — found
//! by the document-facts step alone ([`crate::extract::facts`]) in a
//! *preview* of the document (the first blocks of the body or the
//! first 64 KiB of text; see [`read::preview_bytes`]), so a shard never
//! reads the full text of another shard's documents. A document whose
//! preview names no municipality is sharded by its own path; [`merge`]
//! pairs again across all shards, so a plan whose versions landed in
//! different shards is still aligned, and merged outputs are byte-identical
//! to a run without shards. Every summary carries the batch id (a hash of
//! the input set), which a merge checks. (Records are read back for
//! alignment; serde_json's `float_roundtrip` makes every number read back
//! exactly, so an alignment made from them equals one made from fresh
//! records.)

mod budget;
mod discover;
mod finish;
mod index;
mod merge;
pub mod names;
pub mod output;
mod process;
mod rows;
pub mod select;

use crate::read::ReadOptions;
#[cfg(doc)]
use crate::{align, error::Error, read};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use discover::{discover, discover_selected};
pub use finish::minify_json;
pub use merge::merge;
pub use names::{pair_name, unique_names};
pub use process::{plan_key, run, shard_key};

/// The value of `summary.json`'s `schema` field.
pub const SUMMARY_SCHEMA: &str = "plan-batch/1";

/// One of N deterministic parts of a batch: `index` is 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("shard `{s}`: expected K/N, e.g. 2/8"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("shard `{s}`: K is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("shard `{s}`: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard `{s}`: need 1 ≤ K ≤ N"));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the document with this plan key belongs to this shard.
    pub fn owns(&self, key: &str) -> bool {
        shard_of(key, self.count) + 1 == self.index
    }
}

/// 0-based shard of a key among `count`: the first 8 bytes of its SHA-256,
/// so the choice is the same on every machine and every build.
pub fn shard_of(key: &str, count: usize) -> usize {
    let d = Sha256::digest(key.as_bytes());
    let mut x = [0u8; 8];
    x.copy_from_slice(&d[..8]);
    (u64::from_be_bytes(x) % count.max(1) as u64) as usize
}

/// Options of a batch.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    pub shard: Option<Shard>,
    pub read: ReadOptions,
    /// Memory budget across all workers, in bytes; `None` for half of the
    /// machine's (or the control group's) memory.
    pub max_memory: Option<u64>,
    /// Time budget of one document; when it expires the document is a
    /// failure and the batch goes on. `None`: no limit.
    pub doc_timeout: Option<Duration>,
    /// Which files under the input directory the run takes (`--glob`,
    /// `--exclude`); the default takes every one.
    pub select: select::Select,
    /// Write `review.xlsx` (`--workbook`). Off by default: the workbook is
    /// held in memory whole and costs about a quarter of a large run.
    pub workbook: bool,
}

/// Progress reported while a batch runs (for a progress bar or a log).
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A phase begins, with the number of items it will report.
    Phase { name: &'a str, total: usize },
    /// One document is done; `error` says why it failed.
    Document {
        path: &'a str,
        error: Option<&'a str>,
    },
    /// One pair of versions is aligned.
    Pair { name: &'a str },
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Path relative to the input directory, `/`-separated.
    pub rel: String,
    /// Output name (see the module doc).
    pub name: String,
}

/// Per-document line of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentSummary {
    pub name: String,
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub language: Option<String>,
    pub script: Option<String>,
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

/// Where the time went, summed over threads (so stages may add up to more
/// than the wall time). Never written to an output file.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub discover: Duration,
    pub read: Duration,
    pub extract: Duration,
    pub check_align: Duration,
    /// All writing: the sum of the `write_*` parts below.
    pub write: Duration,
    /// JSON outputs: records, checks, alignments, `records.jsonl`,
    /// `summary.json`, and removing stale files.
    pub write_records: Duration,
    /// Reviewer pages: `checks/*.html` (made and written), `alignments/*.html`.
    pub write_pages: Duration,
    /// The flat tables: rows made by the workers, `tables/*.csv`.
    pub write_tables: Duration,
    /// `index.html`.
    pub write_index: Duration,
    /// `review.xlsx` (zero without `--workbook`).
    pub write_workbook: Duration,
    pub wall: Duration,
}

/// What a batch did.
#[derive(Debug, Clone)]
pub struct Report {
    pub summary: Summary,
    pub timings: Timings,
}

impl Report {
    /// Process exit code: 0 when every document was processed, 1 when some
    /// failed.
    pub fn exit_code(&self) -> u8 {
        if self.summary.failures.is_empty() {
            0
        } else {
            1
        }
    }
}

#[derive(Default)]
struct Clock {
    read: AtomicU64,
    extract: AtomicU64,
    check_align: AtomicU64,
    write_records: AtomicU64,
    write_pages: AtomicU64,
    write_tables: AtomicU64,
    write_index: AtomicU64,
    write_workbook: AtomicU64,
}

impl Clock {
    fn add(slot: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        slot.fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    /// (By reference: a document given up on may still hold the clock.)
    fn timings(&self, discover: Duration, wall: Duration) -> Timings {
        let d = |a: &AtomicU64| Duration::from_nanos(a.load(Ordering::Relaxed));
        let parts = [
            d(&self.write_records),
            d(&self.write_pages),
            d(&self.write_tables),
            d(&self.write_index),
            d(&self.write_workbook),
        ];
        Timings {
            discover,
            read: d(&self.read),
            extract: d(&self.extract),
            check_align: d(&self.check_align),
            write: parts.iter().sum(),
            write_records: parts[0],
            write_pages: parts[1],
            write_tables: parts[2],
            write_index: parts[3],
            write_workbook: parts[4],
            wall,
        }
    }
}

/// Whether a file name is a plan input.
fn is_input(name: &str) -> bool {
    // Word's owner files (`~$plan.docx`) are locks, not documents.
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    [".docx", ".docm", ".txt", ".doc", ".dot"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Top-level blocks read by the shard-key preview of a DOCX.
const PREVIEW_BLOCKS: usize = 80;

/// The batch id of an input set: SHA-256 of its relative paths in order.
pub fn batch_id<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for p in paths {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    let d = h.finalize();
    d[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn shard_parsing_and_bounds() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        // Every key belongs to exactly one shard.
        for key in ["a", "b|2024-2026", "path:x/y.txt", ""] {
            let owners = (1..=5)
                .filter(|&k| Shard { index: k, count: 5 }.owns(key))
                .count();
            assert_eq!(owners, 1, "{key}");
        }
    }

    #[test]
    fn names_are_unique_and_stable() {
        let n = unique_names(["a/b.txt", "a_b.docx", "c.txt", "c.docx", "d.txt"].into_iter());
        assert_eq!(n[4], "d");
        assert_eq!(n[2], "c.txt");
        assert_eq!(n[3], "c.docx");
        let set: BTreeSet<_> = n.iter().collect();
        assert_eq!(set.len(), n.len(), "{n:?}");
        let long = "x".repeat(150);
        assert!(pair_name(&long, &long).len() <= 200);
    }

    #[test]
    fn minify_keeps_strings() {
        let v = serde_json::json!({"a": [1, {"b": " x \n \"y\" "}], "c": []});
        let pretty = serde_json::to_vec_pretty(&v).unwrap();
        assert_eq!(minify_json(&pretty), serde_json::to_vec(&v).unwrap());
    }
}
