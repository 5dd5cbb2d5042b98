//! `planrec run`: discovery, the shard filter, and each document read,
//! extracted, checked and written by a worker that keeps only its small
//! [`DocOut`].

use super::budget::{self, Budget};
use super::finish::{self, DocOut};
use super::output::OutDir;
use super::{Clock, DocumentSummary, Event, Failure, Input, Options, Report, shard_key};
use crate::align;
use crate::emit;
use crate::error::{Error, Result};
use crate::extract::{self, PlanRecord};
use crate::read::{self, ReadOptions};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub(super) fn pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        // Readers and passes recurse into nested tables; deep nesting is
        // bounded by the reader's depth limit, and this leaves room for it.
        .stack_size(64 << 20)
        .build()
        .map_err(|source| Error::Threads { source })
}

/// The summary line of a record and its check.
pub(super) fn summary_of(
    name: &str,
    rel: &str,
    r: &PlanRecord,
    check: &align::Check,
) -> DocumentSummary {
    DocumentSummary {
        name: name.to_string(),
        path: rel.to_string(),
        format: r.source.format,
        bytes: r.source.bytes,
        language: r.document.language,
        script: r.document.script,
        municipality_id: r.document.municipality_id.clone(),
        tables: r.tables.len() as u64,
        objectives: r.objectives.len() as u64,
        activities: r.activities.len() as u64,
        indicators: r.indicators.len() as u64,
        budgets: r.budgets.len() as u64,
        diagnostics: r.diagnostics.len() as u64,
        findings: check.findings.len() as u64,
        sha256: r.source.sha256.clone(),
    }
}

pub(super) fn severities(check: &align::Check) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for f in &check.findings {
        *m.entry(f.severity.to_string()).or_insert(0) += 1;
    }
    m
}

/// What every document of a run is processed with: where its outputs go,
/// how it is read, the run's memory budget and clock, its time budget per
/// document, and whether the workbook's rows are made. Cloned into a
/// document's own thread when there is a time budget.
#[derive(Clone)]
struct Worker {
    out: PathBuf,
    read: ReadOptions,
    budget: Arc<Budget>,
    clock: Arc<Clock>,
    limit: Option<Duration>,
    workbook: bool,
}

/// Reads, extracts, checks and writes one document; keeps its key. With a
/// `gate`, nothing is written once the gate is closed (`true`: the batch
/// gave up waiting for this document).
fn process(input: &Input, w: &Worker, gate: Option<&Mutex<bool>>) -> Result<DocOut> {
    let (out, opts, budget, clock, workbook) =
        (w.out.as_path(), &w.read, &*w.budget, &*w.clock, w.workbook);
    let t = Instant::now();
    // The file is read once; its bytes serve the reader and the checksum.
    let bytes = std::fs::read(&input.path).map_err(|e| Error::io(&input.rel, e))?;
    let _permit = budget.admit(budget::estimate(&bytes));
    let doc = read::read_bytes(Path::new(&input.rel), &bytes, opts)?;
    drop(bytes);
    let t = Clock::add(&clock.read, t);
    let record = extract::extract(&doc, &opts.vocab);
    drop(doc);
    let t = Clock::add(&clock.extract, t);
    let check = align::check(&record, &opts.vocab);
    let t = Clock::add(&clock.check_align, t);
    let _open = match gate {
        Some(g) => {
            let open = g.lock().unwrap_or_else(|p| p.into_inner());
            if *open {
                return Err(given_up(input));
            }
            Some(open)
        }
        None => None,
    };
    let file = format!("{}.json", input.name);
    emit::write_json_to(&out.join("records").join(&file), &record, false)?;
    emit::write_json_to(&out.join("checks").join(&file), &check, false)?;
    let t = Clock::add(&clock.write_records, t);
    write_check_page(out, &input.name, &check, &record)?;
    let t = Clock::add(&clock.write_pages, t);
    // The table rows while the record is in memory: the end of the run
    // only appends them.
    super::rows::document(opts.vocab.norm(), out, &input.name, &record, &check)?;
    let t = Clock::add(&clock.write_tables, t);
    // The workbook's rows too, so its end of the run reads no JSON.
    if workbook {
        super::rows::workbook_document(out, &input.name, &record, &check)?;
        Clock::add(&clock.write_workbook, t);
    }
    Ok(DocOut {
        summary: summary_of(&input.name, &input.rel, &record, &check),
        key: align::pairing::key(opts.vocab.norm(), &record),
        severities: severities(&check),
        from: None,
    })
}

fn given_up(input: &Input) -> Error {
    Error::Invalid {
        path: PathBuf::from(&input.rel),
        reason: "the batch stopped waiting for this document (time budget)".to_string(),
    }
}

/// [`process`] with a panic turned into the document's failure, and with
/// a time budget: the document runs on a thread of its own, and when the
/// budget expires it is this document's failure (its thread is abandoned
/// and writes nothing), not a hung run.
fn process_guarded(input: &Input, w: &Worker) -> Result<DocOut> {
    fn run(gate: Option<&Mutex<bool>>, input: &Input, w: &Worker) -> Result<DocOut> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(input, w, gate)))
            .unwrap_or_else(|p| Err(panic_error(&input.rel, p)))
    }
    let Some(limit) = w.limit else {
        return run(None, input, w);
    };
    let gate = Arc::new(Mutex::new(false));
    let (tx, rx) = mpsc::channel();
    let spawned = {
        let (input, w, gate) = (input.clone(), w.clone(), gate.clone());
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let r = run(Some(&gate), &input, &w);
                let _ = tx.send(r);
            })
    };
    if let Err(e) = spawned {
        return Err(Error::Spawn {
            path: PathBuf::from(&input.rel),
            source: e,
        });
    }
    match rx.recv_timeout(limit) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::Invalid {
            path: PathBuf::from(&input.rel),
            reason: "internal error: the document's thread ended without a result".to_string(),
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // Close the gate (waiting for writes in progress); a result
            // that arrived meanwhile still counts.
            let mut closed = gate.lock().unwrap_or_else(|p| p.into_inner());
            if let Ok(r) = rx.try_recv() {
                return r;
            }
            *closed = true;
            Err(Error::Invalid {
                path: PathBuf::from(&input.rel),
                reason: format!(
                    "not finished within the time budget of {} s per document (--doc-timeout); given up",
                    limit.as_secs_f64()
                ),
            })
        }
    }
}

/// Turns a caught panic into this document's failure.
pub(super) fn panic_error(rel: &str, p: Box<dyn std::any::Any + Send>) -> Error {
    let what = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Error::Invalid {
        path: PathBuf::from(rel),
        reason: format!("internal error (panic) while processing: {what}"),
    }
}

/// Runs `work` over `items` on the pool, in order of the items; a machine
/// fault ([`Error::Environment`]) stops the remaining items and is
/// returned, any other error stays the item's.
pub(super) fn each<I: Sync, T: Send>(
    pool: &rayon::ThreadPool,
    items: &[I],
    work: impl Fn(&I) -> Result<T> + Sync,
) -> Result<Vec<Result<T>>> {
    let stop = AtomicBool::new(false);
    let fatal: Mutex<Option<Error>> = Mutex::new(None);
    let results: Vec<Option<Result<T>>> = pool.install(|| {
        items
            .par_iter()
            .map(|i| {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                match work(i) {
                    Err(e @ Error::Environment { .. }) => {
                        stop.store(true, Ordering::Relaxed);
                        let mut f = fatal.lock().unwrap_or_else(|p| p.into_inner());
                        f.get_or_insert(e);
                        None
                    }
                    r => Some(r),
                }
            })
            .collect()
    });
    if let Some(e) = fatal.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(results.into_iter().flatten().collect())
}

/// Runs the batch over `input` into `out`.
pub fn run(
    input: &Path,
    out: &Path,
    opts: &Options,
    on: &(dyn Fn(Event) + Sync),
) -> Result<Report> {
    let start = Instant::now();
    let (mut inputs, mut failures) = super::discover_selected(input, &opts.select)?;
    // Every entry of the input set, documents and refusals, names the batch.
    let mut all: Vec<&str> = inputs
        .iter()
        .map(|i| i.rel.as_str())
        .chain(failures.iter().map(|f| f.path.as_str()))
        .collect();
    all.sort_unstable();
    let batch = super::batch_id(all.into_iter());
    let total_inputs = (inputs.len() + failures.len()) as u64;
    let pool = pool(opts.jobs)?;
    let dir = OutDir::open(out)?;
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
        // A discovery failure belongs to the first shard only, so a merge
        // reports it once.
        if shard.index != 1 {
            failures.clear();
        }
    }
    let discovered = start.elapsed();
    on(Event::Phase {
        name: "extracting",
        total: inputs.len(),
    });
    let clock = Arc::new(Clock::default());
    let worker = Worker {
        out: out.to_path_buf(),
        read: opts.read.clone(),
        budget: Arc::new(Budget::new(
            opts.max_memory.unwrap_or_else(budget::default_limit),
        )),
        clock: clock.clone(),
        limit: opts.doc_timeout,
        workbook: opts.workbook,
    };
    let results = each(&pool, &inputs, |i| {
        let r = process_guarded(i, &worker);
        let err = r.as_ref().err().map(|e| e.to_string());
        on(Event::Document {
            path: &i.rel,
            error: err.as_deref(),
        });
        r
    })?;
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
    let run = finish::Run::new(&dir, batch, total_inputs, &pool, &clock, on, opts);
    let summary = finish::finish(run, done, failures)?;
    Ok(Report {
        summary,
        timings: clock.timings(discovered, start.elapsed()),
    })
}

/// The reviewer page of one document's check, `checks/<name>.html`: a
/// function of the record and the check, so a merge makes the shard's page
/// again byte for byte.
pub(super) fn write_check_page(
    out: &Path,
    name: &str,
    check: &crate::align::Check,
    record: &crate::extract::PlanRecord,
) -> Result<()> {
    let page = crate::check::html(check, record);
    emit::write_bytes(
        &out.join("checks").join(format!("{name}.html")),
        page.as_bytes(),
        false,
    )
}
