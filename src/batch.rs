//! The batch job: a directory of plans in, a directory of canonical outputs
//! out. This is what `planrec run` and `planrec merge` drive.
//!
//! In: an input directory (searched recursively for `.docx` and `.txt`), an
//! output directory and [`Options`] (threads, shard). Out, under the output
//! directory:
//!
//! - `records/<name>.json` — one plan record per document read;
//! - `records.jsonl` — the same records, one per line, in path order;
//! - `checks/<name>.json` and `.html` — each document's own consistency
//!   ([`crate::check::check`]) and its reviewer page ([`crate::check::html`]);
//! - `alignments/<a>+<b>.json` and `.html` — each pair of versions of one
//!   plan ([`align::pair`], [`align::align`], [`align::html`]);
//! - `summary.json` — counts, pairs, and every failure with its reason.
//!
//! `<name>` is the document's path relative to the input directory without
//! its extension, `/` written as `_` (the extension is kept when two inputs
//! would otherwise share a name). Records name their source by the same
//! relative path, so outputs do not depend on where the corpus lives.
//!
//! Guarantees: documents are processed in parallel but every output is
//! written in path order and holds no time or thread-dependent data, so the
//! bytes are the same for any thread count and any run; every file is
//! written atomically (temporary file + rename; only `summary.json`, written
//! last, is synced to disk before its rename); files of an earlier run
//! in `records/`, `checks/` and `alignments/` that this run did not write
//! are removed. A bad document is a failure entry, never an abort.
//!
//! Sharding ([`Shard`]): a document's shard is chosen from its plan key —
//! municipality id and period, the same in every language version — read
//! from a *preview* of the document (the first blocks of the body or the
//! first 64 KiB of text; see [`read::preview_bytes`]), so a shard never
//! reads the full text of another shard's documents. A document whose
//! preview names no municipality is sharded by its own path; [`merge`]
//! pairs again across all shards, so a plan whose versions landed in
//! different shards is still aligned, and merged outputs are byte-identical
//! to a run without shards. (Merged records are read back for pairing;
//! serde_json's `float_roundtrip` makes every number read back exactly, so
//! an alignment made in a merge equals one made from fresh records.)

use crate::align::{self, Alignment, Check};
use crate::error::{Error, Result};
use crate::extract::{self, PlanRecord};
use crate::read::{self, ReadOptions};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The value of `summary.json`'s `schema` field.
pub const SUMMARY_SCHEMA: &str = "plan-batch/1";

/// Top-level blocks read by the shard-key preview of a DOCX.
const PREVIEW_BLOCKS: usize = 80;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// A pair of versions and what their alignment found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A document (or directory) that could not be processed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// Alignment and check findings together, by severity.
    pub by_severity: BTreeMap<String, u64>,
}

/// `summary.json` (schema `plan-batch/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub schema: String,
    /// `K/N` for a shard's output, null for a whole batch or a merge.
    pub shard: Option<String>,
    pub totals: Totals,
    pub documents: Vec<DocumentSummary>,
    pub pairs: Vec<PairSummary>,
    /// Names of documents without a partner.
    pub unpaired: Vec<String>,
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
    pub write: Duration,
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
    write: AtomicU64,
}

impl Clock {
    fn add(slot: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        slot.fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }

    fn into_timings(self, discover: Duration, wall: Duration) -> Timings {
        let d = |a: AtomicU64| Duration::from_nanos(a.into_inner());
        Timings {
            discover,
            read: d(self.read),
            extract: d(self.extract),
            check_align: d(self.check_align),
            write: d(self.write),
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

/// Finds the inputs under `root`, sorted by relative path, with unique
/// output names. Unreadable subdirectories are returned as failures; an
/// unreadable `root` is an error. Hidden entries are skipped; symbolic links
/// to files are followed, links to directories are not (no cycles).
pub fn discover(root: &Path) -> Result<(Vec<Input>, Vec<Failure>)> {
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut failures = Vec::new();
    let top = std::fs::read_dir(root).map_err(|e| Error::io(root, e))?;
    let mut stack = vec![(top, String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for entry in dir {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = prefix.trim_end_matches('/').to_string();
                    failures.push(Failure {
                        error: format!("{path}: directory listing failed: {e}"),
                        path,
                    });
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if name.starts_with('.') {
                    continue;
                }
                match std::fs::read_dir(entry.path()) {
                    Ok(rd) => stack.push((rd, format!("{rel}/"))),
                    Err(e) => failures.push(Failure {
                        error: format!("{rel}: directory not readable: {e}"),
                        path: rel,
                    }),
                }
            } else if is_input(&name) {
                let is_file = ft.is_file() || (ft.is_symlink() && entry.path().is_file());
                if is_file {
                    found.push((entry.path(), rel));
                }
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    let names = unique_names(found.iter().map(|(_, r)| r.as_str()));
    let inputs = found
        .into_iter()
        .zip(names)
        .map(|((path, rel), name)| Input { path, rel, name })
        .collect();
    Ok((inputs, failures))
}

/// Output names for relative paths: the path without extension, `/` as
/// `_`; where that collides, the extension is kept; where that still
/// collides, a hash of the path is added.
pub fn unique_names<'a>(rels: impl Iterator<Item = &'a str>) -> Vec<String> {
    let rels: Vec<&str> = rels.collect();
    let flat = |r: &str| r.replace('/', "_");
    let mut names: Vec<String> = rels
        .iter()
        .map(|r| {
            let f = flat(r);
            match f.rfind('.') {
                Some(i) if i > 0 => f[..i].to_string(),
                _ => f,
            }
        })
        .collect();
    for round in 0..2 {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for n in &names {
            *seen.entry(n.as_str()).or_insert(0) += 1;
        }
        let dup: Vec<bool> = names.iter().map(|n| seen[n.as_str()] > 1).collect();
        if !dup.contains(&true) {
            break;
        }
        for (i, d) in dup.iter().enumerate() {
            if *d {
                names[i] = if round == 0 {
                    flat(rels[i])
                } else {
                    let h = crate::read::sha256_hex(rels[i].as_bytes());
                    format!("{}-{}", flat(rels[i]), &h[..8])
                };
            }
        }
    }
    names
}

/// The plan key of a record: municipality id and period, the same for
/// every language version of one plan; `None` when the record names no
/// municipality id.
pub fn plan_key(rec: &PlanRecord) -> Option<String> {
    let d = &rec.document;
    let m = d.municipality_id.as_deref()?;
    let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    let (from, to) = d.period.map(|p| (p.from, p.to)).unwrap_or((None, None));
    Some(format!("{m}|{}-{}", year(from), year(to)))
}

/// The shard key of one input: its plan key from a preview of the file, or
/// its own relative path when the preview gives none (or fails: the full
/// read will then report the failure in exactly one shard).
pub fn shard_key(input: &Input, opts: &ReadOptions) -> String {
    let rel = Path::new(&input.rel);
    std::fs::read(&input.path)
        .ok()
        .and_then(|bytes| read::preview_bytes(rel, &bytes, opts, PREVIEW_BLOCKS).ok())
        .and_then(|doc| plan_key(&extract::extract(&doc)))
        .unwrap_or_else(|| format!("path:{}", input.rel))
}

/// A document read, extracted and checked.
struct Done {
    input: Input,
    record: PlanRecord,
    check: Check,
    /// Merge: the shard directory its files came from.
    from: Option<PathBuf>,
}

fn pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        // Readers and passes recurse into nested tables; deep nesting is
        // bounded by the reader's depth limit, and this leaves room for it.
        .stack_size(64 << 20)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))
}

const SUBDIRS: [&str; 3] = ["records", "checks", "alignments"];

fn prepare_out(out: &Path) -> Result<()> {
    for sub in SUBDIRS {
        let d = out.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    }
    // Probe now, so an unwritable output is one clear fatal error rather
    // than a failure per document.
    let probe = out.join(".planrec-write-probe");
    crate::emit::write_atomic(&probe, b"")?;
    std::fs::remove_file(&probe).map_err(|e| Error::io(&probe, e))
}

/// Writes `value` as canonical JSON (the bytes of
/// [`crate::emit::canonical_json`]) atomically, streaming rather than
/// building the whole text in memory first.
fn write_json_stream<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    write_stream(path, false, |w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_stream(path, false, |w| w.write_all(bytes))
}

static TMP: AtomicU64 = AtomicU64::new(0);

/// Atomic write through a buffered writer: temporary file, then rename.
/// Only `durable` writes are flushed to disk before the rename: syncing
/// every per-document file cost more than the extraction itself, and an
/// interrupted run is simply run again.
fn write_stream(
    path: &Path,
    durable: bool,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.tmp.{}.{}",
        std::process::id(),
        TMP.fetch_add(1, Ordering::Relaxed)
    ));
    let r = (|| {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?);
        f(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if durable {
            file.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    r.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Reads, extracts, checks and writes one document.
fn process(input: &Input, out: &Path, opts: &ReadOptions, clock: &Clock) -> Result<Done> {
    let t = Instant::now();
    // The file is read once; its bytes serve the reader and the checksum.
    let bytes = std::fs::read(&input.path).map_err(|e| Error::io(&input.rel, e))?;
    let doc = read::read_bytes(Path::new(&input.rel), &bytes, opts)?;
    drop(bytes);
    let t = Clock::add(&clock.read, t);
    let record = extract::extract(&doc);
    drop(doc);
    let t = Clock::add(&clock.extract, t);
    let check = align::check(&record);
    let t = Clock::add(&clock.check_align, t);
    write_json_stream(
        &out.join("records").join(format!("{}.json", input.name)),
        &record,
    )?;
    write_json_stream(
        &out.join("checks").join(format!("{}.json", input.name)),
        &check,
    )?;
    write_check_page(out, &input.name, &check, &record)?;
    Clock::add(&clock.write, t);
    Ok(Done {
        input: input.clone(),
        record,
        check,
        from: None,
    })
}

/// [`process`], with a panic in any stage turned into this document's
/// failure so one bug cannot stop the batch.
fn process_guarded(input: &Input, out: &Path, opts: &ReadOptions, clock: &Clock) -> Result<Done> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process(input, out, opts, clock)
    }))
    .unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::Invalid {
            path: PathBuf::from(&input.rel),
            reason: format!("internal error (panic) while processing: {what}"),
        })
    })
}

/// Runs the batch over `input` into `out`.
pub fn run(
    input: &Path,
    out: &Path,
    opts: &Options,
    on: &(dyn Fn(Event) + Sync),
) -> Result<Report> {
    let start = Instant::now();
    let (mut inputs, mut failures) = discover(input)?;
    let total_inputs = inputs.len() as u64;
    let pool = pool(opts.jobs)?;
    if let Some(shard) = opts.shard {
        on(Event::Phase {
            name: "sharding",
            total: inputs.len(),
        });
        let keys: Vec<String> = pool.install(|| {
            inputs
                .par_iter()
                .map(|i| shard_key(i, &opts.read))
                .collect()
        });
        let mut keep = keys.iter().map(|k| shard.owns(k));
        inputs.retain(|_| keep.next().unwrap_or(false));
        // A directory failure belongs to the first shard only, so a merge
        // reports it once.
        if shard.index != 1 {
            failures.clear();
        }
    }
    let discovered = start.elapsed();
    prepare_out(out)?;
    on(Event::Phase {
        name: "extracting",
        total: inputs.len(),
    });
    let clock = Clock::default();
    let results: Vec<Result<Done>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|i| {
                let r = process_guarded(i, out, &opts.read, &clock);
                let err = r.as_ref().err().map(|e| e.to_string());
                on(Event::Document {
                    path: &i.rel,
                    error: err.as_deref(),
                });
                r
            })
            .collect()
    });
    let mut done = Vec::with_capacity(results.len());
    for (i, r) in inputs.iter().zip(results) {
        match r {
            Ok(d) => done.push(d),
            Err(e) => failures.push(Failure {
                path: i.rel.clone(),
                error: e.to_string(),
            }),
        }
    }
    let summary = finish(
        out,
        done,
        failures,
        opts.shard.map(|s| s.to_string()),
        total_inputs,
        &pool,
        &clock,
        on,
    )?;
    Ok(Report {
        summary,
        timings: clock.into_timings(discovered, start.elapsed()),
    })
}

/// Combines the outputs of several runs (typically the N shards of one
/// batch) into `out`: records and checks are copied, documents are paired
/// again across all inputs and alignments reused where a shard already
/// made them. Merging all shards of a batch gives the bytes of an unsharded
/// run.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    opts: &Options,
    on: &(dyn Fn(Event) + Sync),
) -> Result<Report> {
    let start = Instant::now();
    let mut summaries = Vec::new();
    for d in dirs {
        let p = d.join("summary.json");
        let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
        let s: Summary = serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
            path: p.clone(),
            reason: format!("not a planrec run summary: {e}"),
        })?;
        summaries.push((d.clone(), s));
    }
    // Shards must be one complete set; unsharded outputs merge freely.
    let shards: Vec<Shard> = summaries
        .iter()
        .filter_map(|(_, s)| s.shard.as_deref().and_then(|k| k.parse().ok()))
        .collect();
    let mut total_inputs = 0u64;
    if !shards.is_empty() {
        let n = shards[0].count;
        if shards.len() != summaries.len() || shards.iter().any(|s| s.count != n) {
            return Err(Error::Usage(
                "merge: the outputs mix shards of different batches (or sharded and whole runs)"
                    .to_string(),
            ));
        }
        let have: BTreeSet<usize> = shards.iter().map(|s| s.index).collect();
        if have.len() != shards.len() {
            return Err(Error::Usage("merge: a shard is given twice".to_string()));
        }
        let missing: Vec<String> = (1..=n)
            .filter(|k| !have.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(Error::Usage(format!(
                "merge: shard output missing for {}",
                missing.join(", ")
            )));
        }
        total_inputs = summaries[0].1.totals.inputs;
    } else {
        for (_, s) in &summaries {
            total_inputs += s.totals.inputs;
        }
    }
    let mut entries: Vec<(PathBuf, DocumentSummary)> = Vec::new();
    let mut failures = Vec::new();
    for (d, s) in &summaries {
        for doc in &s.documents {
            entries.push((d.clone(), doc.clone()));
        }
        failures.extend(s.failures.iter().cloned());
    }
    entries.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let mut names = BTreeSet::new();
    for (_, e) in &entries {
        if !names.insert(e.name.as_str()) {
            return Err(Error::Usage(format!(
                "merge: document name `{}` appears in more than one output",
                e.name
            )));
        }
    }
    let discovered = start.elapsed();
    prepare_out(out)?;
    let pool = pool(opts.jobs)?;
    let clock = Clock::default();
    on(Event::Phase {
        name: "merging",
        total: entries.len(),
    });
    let loaded: Vec<Result<Done>> = pool.install(|| {
        entries
            .par_iter()
            .map(|(dir, e)| {
                let r = load_done(dir, e, out, &clock);
                let err = r.as_ref().err().map(|e| e.to_string());
                on(Event::Document {
                    path: &e.path,
                    error: err.as_deref(),
                });
                r
            })
            .collect()
    });
    let done = loaded.into_iter().collect::<Result<Vec<Done>>>()?;
    let summary = finish(out, done, failures, None, total_inputs, &pool, &clock, on)?;
    Ok(Report {
        summary,
        timings: clock.into_timings(discovered, start.elapsed()),
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(Vec<u8>, T)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let v = serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        reason: format!("unreadable output of an earlier run: {e}"),
    })?;
    Ok((bytes, v))
}

/// Merge: loads one document's record and check from a run's output and
/// copies both files, byte for byte, to `out`.
fn load_done(dir: &Path, e: &DocumentSummary, out: &Path, clock: &Clock) -> Result<Done> {
    let t = Instant::now();
    let file = format!("{}.json", e.name);
    let (rbytes, record): (_, PlanRecord) = read_json(&dir.join("records").join(&file))?;
    let (cbytes, check): (_, Check) = read_json(&dir.join("checks").join(&file))?;
    let t = Clock::add(&clock.read, t);
    write_bytes(&out.join("records").join(&file), &rbytes)?;
    write_bytes(&out.join("checks").join(&file), &cbytes)?;
    // The page is a function of the record and the check: made again, it
    // is the shard's page byte for byte.
    write_check_page(out, &e.name, &check, &record)?;
    Clock::add(&clock.write, t);
    Ok(Done {
        input: Input {
            path: PathBuf::from(&e.path),
            rel: e.path.clone(),
            name: e.name.clone(),
        },
        record,
        check,
        from: Some(dir.to_path_buf()),
    })
}

/// The reviewer page of one document's check, `checks/<name>.html`.
fn write_check_page(out: &Path, name: &str, check: &Check, record: &PlanRecord) -> Result<()> {
    let page = crate::check::html(check, record);
    write_bytes(
        &out.join("checks").join(format!("{name}.html")),
        page.as_bytes(),
    )
}

/// Name of a pair's files under `alignments/`; long names are shortened
/// with a hash so they stay within file-name limits.
pub fn pair_name(a: &str, b: &str) -> String {
    let n = format!("{a}+{b}");
    if n.len() <= 200 {
        return n;
    }
    let h = crate::read::sha256_hex(n.as_bytes());
    let mut cut = 180;
    while !n.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &n[..cut], &h[..12])
}

/// What every run ends with: pairing, alignments, `records.jsonl`,
/// `summary.json`, and removal of stale files.
#[allow(clippy::too_many_arguments)]
fn finish(
    out: &Path,
    done: Vec<Done>,
    mut failures: Vec<Failure>,
    shard: Option<String>,
    total_inputs: u64,
    pool: &rayon::ThreadPool,
    clock: &Clock,
    on: &(dyn Fn(Event) + Sync),
) -> Result<Summary> {
    let t = Instant::now();
    let refs: Vec<&PlanRecord> = done.iter().map(|d| &d.record).collect();
    let pairing = pool.install(|| align::pair(&refs));
    // Keep only well-formed pairs, in a canonical order.
    let mut pairs: Vec<&align::Pair> = pairing
        .pairs
        .iter()
        .filter(|p| p.a < done.len() && p.b < done.len() && p.a != p.b)
        .collect();
    pairs.sort_by_key(|p| (p.a, p.b));
    on(Event::Phase {
        name: "aligning",
        total: pairs.len(),
    });
    let aligned: Vec<std::result::Result<PairSummary, (String, Error)>> = pool.install(|| {
        pairs
            .par_iter()
            .map(|p| {
                let (a, b) = (&done[p.a], &done[p.b]);
                let name = pair_name(&a.input.name, &b.input.name);
                let r = write_alignment(out, &name, a, b, clock).map(|al| {
                    let mut by_severity = BTreeMap::new();
                    for f in &al.findings {
                        *by_severity.entry(f.severity.clone()).or_insert(0) += 1;
                    }
                    PairSummary {
                        name: name.clone(),
                        a: a.input.name.clone(),
                        b: b.input.name.clone(),
                        confidence: p.confidence,
                        evidence: p.evidence.clone(),
                        findings: al.findings.len() as u64,
                        by_severity,
                    }
                });
                on(Event::Pair { name: &name });
                r.map_err(|e| (name, e))
            })
            .collect()
    });
    let mut pair_summaries = Vec::new();
    for r in aligned {
        match r {
            Ok(p) => pair_summaries.push(p),
            // An alignment that cannot be written is a failure of the pair,
            // reported like a document's.
            Err((name, e)) => failures.push(Failure {
                path: format!("alignments/{name}"),
                error: e.to_string(),
            }),
        }
    }
    let mut paired = vec![false; done.len()];
    for p in &pairs {
        paired[p.a] = true;
        paired[p.b] = true;
    }
    let unpaired: Vec<String> = done
        .iter()
        .zip(&paired)
        .filter(|(_, p)| !**p)
        .map(|(d, _)| d.input.name.clone())
        .collect();
    let t = Clock::add(&clock.check_align, t);

    // records.jsonl: one compact line per record, in path order. A merged
    // record is compacted from its copied bytes, so no number goes through
    // a parse and print round trip.
    // Lines are made in parallel a chunk at a time (serializing every
    // record again was the largest serial step of a run) and written in
    // order, so memory holds one chunk of lines, not the whole file.
    let line = |d: &Done| -> std::io::Result<Vec<u8>> {
        let mut v = if d.from.is_some() {
            let p = out.join("records").join(format!("{}.json", d.input.name));
            minify_json(&std::fs::read(p)?)
        } else {
            serde_json::to_vec(&d.record).map_err(std::io::Error::other)?
        };
        v.push(b'\n');
        Ok(v)
    };
    write_stream(&out.join("records.jsonl"), false, |w| {
        for chunk in done.chunks(4 * pool.current_num_threads().max(1)) {
            let lines: Vec<std::io::Result<Vec<u8>>> =
                pool.install(|| chunk.par_iter().map(line).collect());
            for l in lines {
                w.write_all(&l?)?;
            }
        }
        Ok(())
    })?;

    let mut totals = Totals {
        inputs: total_inputs,
        ..Totals::default()
    };
    let mut documents = Vec::with_capacity(done.len());
    for d in &done {
        let r = &d.record;
        let s = DocumentSummary {
            name: d.input.name.clone(),
            path: d.input.rel.clone(),
            format: r.source.format.clone(),
            bytes: r.source.bytes,
            language: r.document.language.clone(),
            script: r.document.script.clone(),
            municipality_id: r.document.municipality_id.clone(),
            tables: r.tables.len() as u64,
            objectives: r.objectives.len() as u64,
            activities: r.activities.len() as u64,
            indicators: r.indicators.len() as u64,
            budgets: r.budgets.len() as u64,
            diagnostics: r.diagnostics.len() as u64,
            findings: d.check.findings.len() as u64,
        };
        totals.tables += s.tables;
        totals.objectives += s.objectives;
        totals.activities += s.activities;
        totals.indicators += s.indicators;
        totals.budgets += s.budgets;
        totals.check_findings += s.findings;
        for f in &d.check.findings {
            *totals.by_severity.entry(f.severity.clone()).or_insert(0) += 1;
        }
        documents.push(s);
    }
    for p in &pair_summaries {
        totals.alignment_findings += p.findings;
        for (k, v) in &p.by_severity {
            *totals.by_severity.entry(k.clone()).or_insert(0) += v;
        }
    }
    failures.sort_by(|a, b| a.path.cmp(&b.path).then(a.error.cmp(&b.error)));
    totals.documents = (done.len() + failures.len()) as u64;
    totals.read = done.len() as u64;
    totals.failed = failures.len() as u64;
    totals.pairs = pair_summaries.len() as u64;
    totals.unpaired = unpaired.len() as u64;
    let summary = Summary {
        schema: SUMMARY_SCHEMA.to_string(),
        shard,
        totals,
        documents,
        pairs: pair_summaries,
        unpaired,
        failures,
    };
    // Written last and flushed to disk: its presence marks a finished run.
    write_stream(&out.join("summary.json"), true, |w| {
        serde_json::to_writer_pretty(&mut *w, &summary).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })?;

    // Everything this run wrote; anything else in our subdirectories is
    // left over from an earlier run.
    let mut keep: BTreeSet<PathBuf> = BTreeSet::new();
    for d in &done {
        keep.insert(out.join("records").join(format!("{}.json", d.input.name)));
        keep.insert(out.join("checks").join(format!("{}.json", d.input.name)));
        keep.insert(out.join("checks").join(format!("{}.html", d.input.name)));
    }
    for p in &summary.pairs {
        keep.insert(out.join("alignments").join(format!("{}.json", p.name)));
        keep.insert(out.join("alignments").join(format!("{}.html", p.name)));
    }
    for sub in SUBDIRS {
        let dir = out.join(sub);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_file()) && !keep.contains(&p) {
                std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
            }
        }
    }
    Clock::add(&clock.write, t);
    Ok(summary)
}

/// Aligns one pair and writes its JSON and HTML; in a merge, copies them
/// from the shard that already made them.
fn write_alignment(out: &Path, name: &str, a: &Done, b: &Done, clock: &Clock) -> Result<Alignment> {
    let json = out.join("alignments").join(format!("{name}.json"));
    let html = out.join("alignments").join(format!("{name}.html"));
    if let (Some(da), Some(db)) = (&a.from, &b.from)
        && da == db
    {
        let src = da.join("alignments");
        let sj = src.join(format!("{name}.json"));
        let sh = src.join(format!("{name}.html"));
        if let (Ok((jb, al)), Ok(hb)) = (read_json::<Alignment>(&sj), std::fs::read(&sh)) {
            write_bytes(&json, &jb)?;
            write_bytes(&html, &hb)?;
            return Ok(al);
        }
    }
    let t = Instant::now();
    let al = align::align(&a.record, &b.record);
    let page = align::html(&al, &a.record, &b.record);
    let t = Clock::add(&clock.check_align, t);
    write_json_stream(&json, &al)?;
    write_bytes(&html, page.as_bytes())?;
    Clock::add(&clock.write, t);
    Ok(al)
}

/// Removes insignificant whitespace from JSON text (outside strings).
/// Exposed for tests comparing pretty and compact forms.
pub fn minify_json(pretty: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pretty.len());
    let mut in_str = false;
    let mut esc = false;
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

#[cfg(test)]
mod tests {
    use super::*;

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
