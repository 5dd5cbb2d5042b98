//! What every run and merge ends with, from the small per-document keys:
//! duplicates, pairing, alignments (records read back from `records/`),
//! `records.jsonl` (streamed from `records/`), stale-file removal,
//! `review.xlsx`, and `summary.json` last.

use super::output::{self, OutDir};
use super::{
    Clock, DocumentSummary, Duplicate, Event, Failure, PairSummary, SUMMARY_SCHEMA, Summary,
    Totals, Warning, names::pair_name, process::each,
};
use crate::align::{self, Alignment, pairing::PairKey};
use crate::emit;
use crate::error::{Error, Result};
use crate::extract::PlanRecord;
use crate::vocab::Vocab;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What a run keeps of one document once its record and check are written.
pub(super) struct DocOut {
    pub summary: DocumentSummary,
    pub key: PairKey,
    /// The check's findings by severity.
    pub severities: BTreeMap<String, u64>,
    /// Merge: the run directory its files came from.
    pub from: Option<PathBuf>,
}

/// Reads a JSON output of a run (a record, a check, an alignment).
pub(super) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(Vec<u8>, T)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let v = serde_json::from_slice(&bytes).map_err(|e| Error::JsonInput {
        path: path.to_path_buf(),
        what: "unreadable output of a run",
        source: e,
    })?;
    Ok((bytes, v))
}

fn record_path(out: &Path, name: &str) -> PathBuf {
    out.join("records").join(format!("{name}.json"))
}

/// A warning for a document read without any plan structure.
fn structure_warning(s: &DocumentSummary) -> Option<String> {
    (s.objectives == 0 && s.activities == 0 && s.indicators == 0 && s.budgets == 0).then(|| {
        format!(
            "no plan structure found (no objectives, activities, indicators or budgets in {} tables); is it a plan?",
            s.tables
        )
    })
}

/// The run (or merge) being finished, besides its documents: its output
/// directory and identity for `summary.json`, and the means the end of the
/// run works with.
pub(super) struct Run<'r> {
    pub dir: &'r OutDir,
    /// The shard this run was (`--shard`), if any.
    pub shard: Option<String>,
    /// The batch id every shard of the batch shares.
    pub batch: String,
    /// Inputs discovered, before the shard filter.
    pub total_inputs: u64,
    pub pool: &'r rayon::ThreadPool,
    pub clock: &'r Clock,
    /// Where progress events go.
    pub on: &'r (dyn Fn(Event) + Sync),
    /// Whether the reviewer workbook is written.
    pub workbook: bool,
    pub vocab: &'r Vocab,
}

impl<'r> Run<'r> {
    /// A run closing with the options it was given: their shard, workbook
    /// flag and vocabulary.
    pub fn new(
        dir: &'r OutDir,
        batch: String,
        total_inputs: u64,
        pool: &'r rayon::ThreadPool,
        clock: &'r Clock,
        on: &'r (dyn Fn(Event) + Sync),
        opts: &'r super::Options,
    ) -> Run<'r> {
        Run {
            dir,
            shard: opts.shard.map(|s| s.to_string()),
            batch,
            total_inputs,
            pool,
            clock,
            on,
            workbook: opts.workbook,
            vocab: &opts.read.vocab,
        }
    }
}

/// Pairing, alignments, `records.jsonl`, stale-file removal and
/// `summary.json`, in that order. `done` is in path order.
pub(super) fn finish(
    run: Run<'_>,
    done: Vec<DocOut>,
    mut failures: Vec<Failure>,
) -> Result<Summary> {
    let Run {
        dir,
        shard,
        batch,
        total_inputs,
        pool,
        clock,
        on,
        workbook,
        vocab,
    } = run;
    let out = dir.path.as_path();
    let t = Instant::now();
    // Byte-identical copies are reported, not paired as versions.
    let (duplicates, pairable) = duplicates_of(&done);
    let keys: Vec<&PairKey> = pairable.iter().map(|&i| &done[i].key).collect();
    let pairing = pool.install(|| align::pairing::pair_keys(&keys));
    // Keep only well-formed pairs, in a canonical order.
    let mut pairs: Vec<(usize, usize, &align::Pair)> = pairing
        .pairs
        .iter()
        .filter(|p| p.a < keys.len() && p.b < keys.len() && p.a != p.b)
        .map(|p| (pairable[p.a], pairable[p.b], p))
        .collect();
    pairs.sort_by_key(|p| (p.0, p.1));
    on(Event::Phase {
        name: "aligning",
        total: pairs.len(),
    });
    let aligned = each(pool, &pairs, |&(a, b, p)| {
        let (a, b) = (&done[a], &done[b]);
        let name = pair_name(&a.summary.name, &b.summary.name);
        let r = write_alignment(out, &name, a, b, clock, workbook, vocab)
            .map(|al| pair_summary(&name, a, b, p, &al));
        on(Event::Pair { name: &name });
        // An alignment that cannot be made is a failure of the pair,
        // reported like a document's.
        r.map_err(|e| pair_error(&name, e))
    })?;
    let pair_summaries = pair_results(aligned, &mut failures)?;
    let unpaired = unpaired_of(&done, &pairs);
    let t = Clock::add(&clock.check_align, t);

    write_records_jsonl(out, &done, pool)?;

    let t = Clock::add(&clock.write_records, t);

    // The flat tables for analysts (`tables/*.csv`), from the rows the
    // workers made.
    let names: Vec<&str> = done.iter().map(|d| d.summary.name.as_str()).collect();
    let pair_names: Vec<&str> = pair_summaries.iter().map(|p| p.name.as_str()).collect();
    super::rows::write_tables(out, &names, &pair_names)?;
    let t = Clock::add(&clock.write_tables, t);

    failures.sort_by(|a, b| a.path.cmp(&b.path).then(a.error.cmp(&b.error)));
    let (totals, warnings, documents) = totals_of(
        total_inputs,
        &done,
        &pair_summaries,
        &failures,
        unpaired.len(),
        duplicates.len(),
    );
    let summary = Summary {
        schema: SUMMARY_SCHEMA.to_string(),
        batch,
        shard,
        totals,
        documents,
        pairs: pair_summaries,
        unpaired,
        duplicates,
        warnings,
        failures,
    };

    // Everything this run wrote; anything else in our subdirectories is
    // left over from an earlier run. Removed before the summary, which
    // must describe the directory as it is.
    let keep = written_files(&done, &summary);
    output::remove_stale(out, &keep)?;
    let t = Clock::add(&clock.write_records, t);
    // The page to open first; before the summary, which marks the end.
    let counts: Vec<&BTreeMap<String, u64>> = done.iter().map(|d| &d.severities).collect();
    emit::write_bytes(
        &out.join("index.html"),
        super::index::html(&summary, &counts).as_bytes(),
        false,
    )?;
    let t = Clock::add(&clock.write_index, t);
    // The reviewer workbook, from the rows the workers parked, when asked
    // for; one an earlier run left would no longer match the reports.
    write_or_remove_workbook(out, workbook, &names, &summary)?;
    super::rows::remove(out)?;
    let t = Clock::add(&clock.write_workbook, t);
    // Written last and flushed to disk: its presence marks a finished run.
    emit::write_json_to(&out.join("summary.json"), &summary, true)?;
    Clock::add(&clock.write_records, t);
    Ok(summary)
}

/// A pair's line in the summary: its documents, how sure the pairing is
/// and its alignment's findings by severity.
fn pair_summary(
    name: &str,
    a: &DocOut,
    b: &DocOut,
    p: &align::Pair,
    al: &Alignment,
) -> PairSummary {
    let mut by_severity = BTreeMap::new();
    for f in &al.findings {
        *by_severity.entry(f.severity.to_string()).or_insert(0) += 1;
    }
    PairSummary {
        name: name.to_string(),
        a: a.summary.name.clone(),
        b: b.summary.name.clone(),
        confidence: p.confidence,
        evidence: p.evidence.clone(),
        findings: al.findings.len() as u64,
        by_severity,
    }
}

/// An alignment that cannot be made is a failure of the pair (an
/// environment error stays one: it ends the run).
fn pair_error(name: &str, e: Error) -> Error {
    match e {
        e @ Error::Environment { .. } => e,
        e => Error::Pair {
            path: PathBuf::from(format!("alignments/{name}")),
            source: Box::new(e),
        },
    }
}

/// The pairs aligned; a pair that could not be is a failure of the run
/// (any other error ends it).
fn pair_results(
    aligned: Vec<Result<PairSummary>>,
    failures: &mut Vec<Failure>,
) -> Result<Vec<PairSummary>> {
    let mut pair_summaries = Vec::new();
    for r in aligned {
        match r {
            Ok(p) => pair_summaries.push(p),
            Err(Error::Invalid { path, reason }) => failures.push(Failure {
                path: path.to_string_lossy().into_owned(),
                error: reason,
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(pair_summaries)
}

/// Writes `review.xlsx` when asked for, else removes one an earlier run left.
fn write_or_remove_workbook(
    out: &Path,
    workbook: bool,
    names: &[&str],
    summary: &Summary,
) -> Result<()> {
    let xlsx_path = out.join(crate::emit::workbook::FILE_NAME);
    if !workbook && xlsx_path.is_file() {
        std::fs::remove_file(&xlsx_path).map_err(|e| crate::Error::write(&xlsx_path, e))?;
    }
    if workbook {
        let pairs: Vec<&str> = summary.pairs.iter().map(|p| p.name.as_str()).collect();
        super::rows::write_workbook(out, names, &pairs)?;
    }
    Ok(())
}

/// Byte-identical copies (by their hash) are reported against the first
/// copy; the indices of the others, in order, are the documents to pair.
fn duplicates_of(done: &[DocOut]) -> (Vec<Duplicate>, Vec<usize>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    let mut pairable = Vec::with_capacity(done.len());
    for (i, d) in done.iter().enumerate() {
        let h = d.summary.sha256.as_str();
        match first.get(h) {
            Some(&f) if !h.is_empty() => duplicates.push(Duplicate {
                path: d.summary.path.clone(),
                of: done[f].summary.path.clone(),
            }),
            _ => {
                first.insert(h, i);
                pairable.push(i);
            }
        }
    }
    (duplicates, pairable)
}

/// The names of the documents in no pair, in path order.
fn unpaired_of(done: &[DocOut], pairs: &[(usize, usize, &align::Pair)]) -> Vec<String> {
    let mut paired = vec![false; done.len()];
    for p in pairs {
        paired[p.0] = true;
        paired[p.1] = true;
    }
    done.iter()
        .zip(&paired)
        .filter(|(_, p)| !**p)
        .map(|(d, _)| d.summary.name.clone())
        .collect()
}

/// Writes `records.jsonl`: one compact line per record, in path order, compacted
/// from the bytes on disk (so no number goes through a parse and print
/// round trip), a chunk at a time in parallel, so memory holds one
/// chunk of lines, not the whole file.
fn write_records_jsonl(out: &Path, done: &[DocOut], pool: &rayon::ThreadPool) -> Result<()> {
    let line = |d: &DocOut| -> std::io::Result<Vec<u8>> {
        let mut v = minify_json(&std::fs::read(record_path(out, &d.summary.name))?);
        v.push(b'\n');
        Ok(v)
    };
    emit::write_with(&out.join("records.jsonl"), false, |w| {
        for chunk in done.chunks(4 * pool.current_num_threads().max(1)) {
            let lines: Vec<std::io::Result<Vec<u8>>> =
                pool.install(|| chunk.par_iter().map(line).collect());
            for l in lines {
                w.write_all(&l?)?;
            }
        }
        Ok(())
    })
}

/// The run's totals over its documents, pairs and failures, the warnings
/// for documents without plan structure, and the documents' summaries.
fn totals_of(
    total_inputs: u64,
    done: &[DocOut],
    pair_summaries: &[PairSummary],
    failures: &[Failure],
    unpaired: usize,
    duplicates: usize,
) -> (Totals, Vec<Warning>, Vec<DocumentSummary>) {
    let mut totals = Totals {
        inputs: total_inputs,
        ..Totals::default()
    };
    let mut warnings = Vec::new();
    let mut documents = Vec::with_capacity(done.len());
    for d in done {
        let s = &d.summary;
        totals.tables += s.tables;
        totals.objectives += s.objectives;
        totals.activities += s.activities;
        totals.indicators += s.indicators;
        totals.budgets += s.budgets;
        totals.check_findings += s.findings;
        for (k, v) in &d.severities {
            *totals.by_severity.entry(k.clone()).or_insert(0) += v;
        }
        if let Some(w) = structure_warning(s) {
            warnings.push(Warning {
                path: s.path.clone(),
                warning: w,
            });
        }
        documents.push(s.clone());
    }
    for p in pair_summaries {
        totals.alignment_findings += p.findings;
        for (k, v) in &p.by_severity {
            *totals.by_severity.entry(k.clone()).or_insert(0) += v;
        }
    }
    totals.documents = (done.len() + failures.len()) as u64;
    totals.read = done.len() as u64;
    totals.failed = failures.len() as u64;
    totals.pairs = pair_summaries.len() as u64;
    totals.unpaired = unpaired as u64;
    totals.duplicates = duplicates as u64;
    totals.warnings = warnings.len() as u64;
    (totals, warnings, documents)
}

/// Every file under `records/`, `checks/` and `alignments/` this run wrote.
fn written_files(done: &[DocOut], summary: &Summary) -> BTreeSet<PathBuf> {
    let mut keep: BTreeSet<PathBuf> = BTreeSet::new();
    for d in done {
        let file = format!("{}.json", d.summary.name);
        keep.insert(Path::new("records").join(&file));
        keep.insert(Path::new("checks").join(&file));
        keep.insert(Path::new("checks").join(format!("{}.html", d.summary.name)));
    }
    for p in &summary.pairs {
        keep.insert(Path::new("alignments").join(format!("{}.json", p.name)));
        keep.insert(Path::new("alignments").join(format!("{}.html", p.name)));
    }
    keep
}

/// Aligns one pair from its records on disk and writes its JSON and HTML;
/// in a merge, copies them from the run that already made them.
fn write_alignment(
    out: &Path,
    name: &str,
    a: &DocOut,
    b: &DocOut,
    clock: &Clock,
    workbook: bool,
    vocab: &Vocab,
) -> Result<Alignment> {
    let json = out.join("alignments").join(format!("{name}.json"));
    let html = out.join("alignments").join(format!("{name}.html"));
    if let (Some(da), Some(db)) = (&a.from, &b.from)
        && da == db
    {
        let src = da.join("alignments");
        let sj = src.join(format!("{name}.json"));
        let sh = src.join(format!("{name}.html"));
        if let (Ok((jb, al)), Ok(hb)) = (read_json::<Alignment>(&sj), std::fs::read(&sh)) {
            let t = Instant::now();
            emit::write_bytes(&json, &jb, false)?;
            let t = Clock::add(&clock.write_records, t);
            emit::write_bytes(&html, &hb, false)?;
            let t = Clock::add(&clock.write_pages, t);
            super::rows::pair(out, name, &al)?;
            let t = Clock::add(&clock.write_tables, t);
            if workbook {
                super::rows::workbook_pair(out, name, &al)?;
                Clock::add(&clock.write_workbook, t);
            }
            return Ok(al);
        }
    }
    let t = Instant::now();
    let (_, ra): (_, PlanRecord) = read_json(&record_path(out, &a.summary.name))?;
    let (_, rb): (_, PlanRecord) = read_json(&record_path(out, &b.summary.name))?;
    let t = Clock::add(&clock.read, t);
    let al = align::align(&ra, &rb, vocab);
    let page = align::html(&al, &ra, &rb);
    drop((ra, rb));
    let t = Clock::add(&clock.check_align, t);
    emit::write_json_to(&json, &al, false)?;
    let t = Clock::add(&clock.write_records, t);
    emit::write_bytes(&html, page.as_bytes(), false)?;
    let t = Clock::add(&clock.write_pages, t);
    super::rows::pair(out, name, &al)?;
    let t = Clock::add(&clock.write_tables, t);
    if workbook {
        super::rows::workbook_pair(out, name, &al)?;
        Clock::add(&clock.write_workbook, t);
    }
    Ok(al)
}

/// Removes insignificant whitespace from JSON text (outside strings).
/// Exposed for tests comparing pretty and compact forms. Strings are copied
/// whole up to their closing quote, found with `memchr` (most of a record
/// is text); only the bytes between strings are looked at one by one.
pub fn minify_json(pretty: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pretty.len());
    let mut rest = pretty;
    loop {
        // Between strings: structure, numbers, literals and whitespace.
        let quote = memchr::memchr(b'"', rest).unwrap_or(rest.len());
        let (between, tail) = rest.split_at(quote);
        out.extend(between.iter().filter(|b| !b.is_ascii_whitespace()));
        if tail.is_empty() {
            return out;
        }
        let (string, tail) = tail.split_at(string_end(tail));
        out.extend_from_slice(string);
        rest = tail;
    }
}

/// The length of the JSON string at the start of `s` (which starts with
/// its opening quote), through its closing quote; all of `s` when it is
/// not closed.
fn string_end(s: &[u8]) -> usize {
    let mut at = 1;
    while let Some(k) = s.get(at..).and_then(|t| memchr::memchr2(b'"', b'\\', t)) {
        if s[at + k] == b'"' {
            return at + k + 1;
        }
        // A backslash escapes the byte after it.
        at += k + 2;
    }
    s.len()
}
