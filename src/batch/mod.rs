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
mod shard;
mod summary;

use crate::read::ReadOptions;
#[cfg(doc)]
use crate::{align, error::Error, read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use discover::{discover, discover_selected};
pub use finish::minify_json;
pub use merge::merge;
pub use names::{pair_name, unique_names};
pub use process::run;
pub use shard::{Shard, batch_id, plan_key, shard_key, shard_of};
pub use summary::{
    DocumentSummary, Duplicate, Failure, PairSummary, SUMMARY_SCHEMA, Summary, Totals, Warning,
};

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
    /// Write `review.xlsx` (`--workbook`). Off by default: a reviewer's
    /// view, not data, and 6-12% of a run's work (README, under `planrec run`).
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

    /// The span-copying minifier against a byte-at-a-time one, on escapes at
    /// every place (a quote or backslash at a string's end, an unclosed
    /// string) and on the corpus texts as records would hold them.
    #[test]
    fn minify_equals_the_bytewise_reading() {
        fn bytewise(pretty: &[u8]) -> Vec<u8> {
            let (mut out, mut in_str, mut esc) = (Vec::new(), false, false);
            for &c in pretty {
                if in_str {
                    out.push(c);
                    if esc {
                        esc = false;
                    } else if c == b'\\' {
                        esc = true;
                    } else if c == b'"' {
                        in_str = false;
                    }
                } else if c == b'"' {
                    in_str = true;
                    out.push(c);
                } else if !c.is_ascii_whitespace() {
                    out.push(c);
                }
            }
            out
        }
        let mut cases: Vec<Vec<u8>> = [
            r#"{ "a" : "x\\" , "b":"\\\"" }"#,
            r#"[ "\"" , 1 ,  "end\\"]"#,
            r#"{"open": "never closed \"  "#,
            r#""ends with backslash\"#,
            "",
            "  \n\t ",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in std::fs::read_dir(corpus).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let v = serde_json::json!({"lines": text.lines().collect::<Vec<_>>(), "n": [1.5, -2]});
            cases.push(serde_json::to_vec_pretty(&v).unwrap());
        }
        assert!(cases.len() > 6, "the corpus is read");
        for c in &cases {
            assert_eq!(
                minify_json(c),
                bytewise(c),
                "{}",
                String::from_utf8_lossy(c)
            );
        }
    }
}
