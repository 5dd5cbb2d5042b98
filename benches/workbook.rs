//! What `review.xlsx` costs within a run: `cargo bench --bench workbook`.
//!
//! Input, generated into `target/bench-workbook/`: the bundled corpus
//! copied `BENCH_WB_COPIES` times (default 40), each copy made distinct by
//! a trailing line so none is a byte-identical duplicate; every copy is
//! read, extracted, checked, paired and aligned, and lands in the
//! workbook's sheets. Timed: the whole `planrec run` (all cores, the
//! workbook included), then the workbook alone (`emit::workbook::build`
//! over that run's outputs, best of 3) and its share of the run.

use planrec::batch;
use std::path::{Path, PathBuf};
use std::time::Instant;

// The binary's allocator, so both shares are those of a real run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus(dir: &Path, copies: usize) -> std::io::Result<usize> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&src)? {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "txt") {
            texts.push(p);
        }
    }
    texts.sort();
    for k in 0..copies {
        let sub = dir.join(format!("c{k:03}"));
        std::fs::create_dir_all(&sub)?;
        for t in &texts {
            let mut bytes = std::fs::read(t)?;
            bytes.extend_from_slice(format!("\n\n{k}\n").as_bytes());
            if let Some(name) = t.file_name() {
                std::fs::write(sub.join(name), bytes)?;
            }
        }
    }
    Ok(texts.len() * copies)
}

/// CPU seconds this process has used (user + system, all threads), from
/// `/proc/self/stat`: on a shared machine wall time measures the others'
/// load as much as ours. None off Linux.
fn cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux the bench runs on.
    Some(ticks / 100.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let copies: usize = std::env::var("BENCH_WB_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-workbook");
    let input = root.join("in");
    let out = root.join("out");
    let n = corpus(&input, copies)?;
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = batch::Options {
        jobs,
        workbook: true,
        ..batch::Options::default()
    };
    let (t, c) = (Instant::now(), cpu());
    let r = batch::run(&input, &out, &opts, &|_| {})?;
    let run = t.elapsed().as_secs_f64();
    let run_cpu = cpu().zip(c).map(|(b, a)| b - a);

    let docs: Vec<String> = r.summary.documents.iter().map(|d| d.name.clone()).collect();
    let pairs: Vec<String> = r.summary.pairs.iter().map(|p| p.name.clone()).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut size = 0;
    let reps: usize = std::env::var("BENCH_WB_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for _ in 0..reps {
        let (t, c) = (Instant::now(), cpu());
        let (bytes, _) = planrec::emit::workbook::build(&out, &docs, &pairs, &pool)?;
        best = best.min(t.elapsed().as_secs_f64());
        if let Some(d) = cpu().zip(c).map(|(b, a)| b - a) {
            best_cpu = best_cpu.min(d);
        }
        size = bytes.len();
    }
    let s = &r.summary.totals;
    println!(
        "workbook: {n} documents, {} pairs, {} activities, {} indicators, {} budgets, {} findings, -j{jobs}",
        s.pairs,
        s.activities,
        s.indicators,
        s.budgets,
        s.alignment_findings + s.check_findings
    );
    println!(
        "  run {run:.3} s (workbook included); workbook {best:.3} s = {:.1}% of the run; review.xlsx {:.1} MB",
        100.0 * best / run,
        size as f64 / 1e6
    );
    if let Some(rc) = run_cpu {
        println!(
            "  cpu: run {rc:.2} s, workbook {best_cpu:.2} s = {:.1}% of the run",
            100.0 * best_cpu / rc
        );
    }
    Ok(())
}
