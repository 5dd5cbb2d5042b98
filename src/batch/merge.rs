//! `planrec merge`: the outputs of several runs (the N shards of one batch)
//! combined into one, streaming like a run: each record and check is copied
//! and reduced to its key, one at a time per worker.

use super::finish::{self, DocOut, read_json};
use super::output::OutDir;
use super::process::{each, pool, severities};
use super::{Clock, DocumentSummary, Event, Failure, Options, Report, Shard, Summary};
use crate::align::{self, Check};
use crate::emit;
use crate::error::{Error, Result};
use crate::extract::PlanRecord;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Combines the outputs of several runs (typically the N shards of one
/// batch) into `out`: records and checks are copied, documents are paired
/// again across all inputs and alignments reused where a shard already
/// made them. Merging all shards of a batch gives the bytes of an unsharded
/// run. Refused: an output without `summary.json` (an unfinished run),
/// shards of different batches, an incomplete or doubled set of shards.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    opts: &Options,
    on: &(dyn Fn(Event) + Sync),
) -> Result<Report> {
    let start = Instant::now();
    let norm = opts.read.vocab.norm();
    let summaries = read_summaries(dirs)?;
    let (batch, total_inputs) = batch_of(&summaries)?;
    let (entries, failures) = entries_of(summaries)?;
    let discovered = start.elapsed();
    let dir = OutDir::open(out)?;
    let pool = pool(opts.jobs)?;
    let clock = Clock::default();
    on(Event::Phase {
        name: "merging",
        total: entries.len(),
    });
    let loaded = each(&pool, &entries, |(d, e)| {
        let r = load(norm, d, e, out, &clock, opts.workbook);
        let err = r.as_ref().err().map(|e| e.to_string());
        on(Event::Document {
            path: &e.path,
            error: err.as_deref(),
        });
        r
    })?;
    let done = loaded.into_iter().collect::<Result<Vec<DocOut>>>()?;
    // The merged output is the whole batch, not a shard.
    let run = finish::Run {
        shard: None,
        ..finish::Run::new(&dir, batch, total_inputs, &pool, &clock, on, opts)
    };
    let summary = finish::finish(run, done, failures)?;
    Ok(Report {
        summary,
        timings: clock.timings(discovered, start.elapsed()),
    })
}

/// Each output's `summary.json`; a missing one means an unfinished run.
fn read_summaries(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, Summary)>> {
    let mut summaries = Vec::new();
    for d in dirs {
        let p = d.join("summary.json");
        let bytes = std::fs::read(&p).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Usage(format!(
                    "merge: {} has no summary.json: that run did not finish (run it again)",
                    d.display()
                ))
            } else {
                Error::io(&p, e)
            }
        })?;
        let s: Summary = serde_json::from_slice(&bytes).map_err(|e| Error::JsonInput {
            path: p.clone(),
            what: "not a planrec run summary",
            source: e,
        })?;
        summaries.push((d.clone(), s));
    }
    Ok(summaries)
}

/// The merged batch's id and input count: a complete set of shards of one
/// batch keeps theirs; independent runs make the batch of their union.
fn batch_of(summaries: &[(PathBuf, Summary)]) -> Result<(String, u64)> {
    // Shards must be one complete set of one batch; unsharded outputs
    // merge freely.
    let shards: Vec<Shard> = summaries
        .iter()
        .filter_map(|(_, s)| s.shard.as_deref().and_then(|k| k.parse().ok()))
        .collect();
    let mut total_inputs = 0u64;
    let batch;
    if !shards.is_empty() {
        let n = shards[0].count;
        if shards.len() != summaries.len() || shards.iter().any(|s| s.count != n) {
            return Err(Error::Usage(
                "merge: the outputs mix shards of different batches (or sharded and whole runs)"
                    .to_string(),
            ));
        }
        let ids: BTreeSet<&str> = summaries.iter().map(|(_, s)| s.batch.as_str()).collect();
        if ids.len() != 1 {
            let which: Vec<String> = summaries
                .iter()
                .map(|(d, s)| format!("{} (batch {})", d.display(), s.batch))
                .collect();
            return Err(Error::Usage(format!(
                "merge: the shards come from different batches (input sets): {}",
                which.join(", ")
            )));
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
        batch = summaries[0].1.batch.clone();
    } else {
        // Independent runs: the merged batch is their union.
        let mut all: Vec<&str> = Vec::new();
        for (_, s) in summaries {
            total_inputs += s.totals.inputs;
            all.extend(s.documents.iter().map(|d| d.path.as_str()));
            all.extend(
                s.failures
                    .iter()
                    .filter(|f| !f.path.starts_with("alignments/"))
                    .map(|f| f.path.as_str()),
            );
        }
        all.sort_unstable();
        batch = super::batch_id(all.into_iter());
    }
    Ok((batch, total_inputs))
}

/// A document as one output lists it: that output's directory and its
/// summary line.
type Entry = (PathBuf, DocumentSummary);

/// Every document of every output, by path, with the failures to carry
/// over; a document name found in two outputs is refused.
fn entries_of(summaries: Vec<(PathBuf, Summary)>) -> Result<(Vec<Entry>, Vec<Failure>)> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut failures = Vec::new();
    for (d, s) in summaries {
        for doc in s.documents {
            entries.push((d.clone(), doc));
        }
        // A pair that failed in a shard is paired and aligned again here.
        failures.extend(
            s.failures
                .into_iter()
                .filter(|f| !f.path.starts_with("alignments/")),
        );
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
    Ok((entries, failures))
}

/// Copies one document's record and check, byte for byte, from a run's
/// output to `out`, and keeps its key.
fn load(
    norm: &crate::normalize::Norm,
    dir: &Path,
    e: &DocumentSummary,
    out: &Path,
    clock: &Clock,
    workbook: bool,
) -> Result<DocOut> {
    let t = Instant::now();
    let file = format!("{}.json", e.name);
    let (rbytes, record): (_, PlanRecord) = read_json(&dir.join("records").join(&file))?;
    let (cbytes, check): (_, Check) = read_json(&dir.join("checks").join(&file))?;
    let t = Clock::add(&clock.read, t);
    emit::write_bytes(&out.join("records").join(&file), &rbytes, false)?;
    emit::write_bytes(&out.join("checks").join(&file), &cbytes, false)?;
    let t = Clock::add(&clock.write_records, t);
    super::process::write_check_page(out, &e.name, &check, &record)?;
    let t = Clock::add(&clock.write_pages, t);
    super::rows::document(norm, out, &e.name, &record, &check)?;
    let t = Clock::add(&clock.write_tables, t);
    if workbook {
        super::rows::workbook_document(out, &e.name, &record, &check)?;
        Clock::add(&clock.write_workbook, t);
    }
    let mut summary = e.clone();
    // Summaries of older runs lack the hash; the record has it.
    if summary.sha256.is_empty() {
        summary.sha256 = record.source.sha256.clone();
    }
    Ok(DocOut {
        summary,
        key: align::pairing::key(norm, &record),
        severities: severities(&check),
        from: Some(dir.to_path_buf()),
    })
}
