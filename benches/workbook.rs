//! What `review.xlsx` costs within a run: `cargo bench --bench workbook`.
//!
//! Input, generated into `target/bench-workbook/`: the bundled corpus
//! copied `BENCH_WB_COPIES` times (default 40), each copy made distinct by
//! a trailing line so none is a byte-identical duplicate; every copy is
//! read, extracted, checked, paired and aligned, and lands in the
//! workbook's sheets. Timed: `planrec run` without and with `--workbook`
//! (all cores, best of `BENCH_WB_REPS`, default 2), and the workbook's
//! share of the run's stage time (its rows made by the workers and its
//! sheets streamed at the end) and of the run's CPU time.

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
    let reps: usize = std::env::var("BENCH_WB_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-workbook");
    let input = root.join("in");
    let n = corpus(&input, copies)?;
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Best of `reps` runs without and with the workbook, alternating, so a
    // burst of load on the machine hits both alike.
    let mut best = [f64::INFINITY; 2];
    let mut best_cpu = [f64::INFINITY; 2];
    let mut last = None;
    for _ in 0..reps {
        for (k, workbook) in [false, true].into_iter().enumerate() {
            let opts = batch::Options {
                jobs,
                workbook,
                ..batch::Options::default()
            };
            let out = root.join(if workbook { "out-wb" } else { "out" });
            let (t, c) = (Instant::now(), cpu());
            let r = batch::run(&input, &out, &opts, &|_| {})?;
            best[k] = best[k].min(t.elapsed().as_secs_f64());
            if let Some(d) = cpu().zip(c).map(|(b, a)| b - a) {
                best_cpu[k] = best_cpu[k].min(d);
            }
            if workbook {
                let size = std::fs::metadata(out.join(planrec::emit::workbook::FILE_NAME))?.len();
                last = Some((r, size));
            }
        }
    }
    let Some((r, size)) = last else {
        return Err("BENCH_WB_REPS must be at least 1".into());
    };
    let s = &r.summary.totals;
    let t = &r.timings;
    println!(
        "workbook: {n} documents, {} pairs, {} activities, {} indicators, {} budgets, {} findings, -j{jobs}",
        s.pairs,
        s.activities,
        s.indicators,
        s.budgets,
        s.alignment_findings + s.check_findings
    );
    // Stage times are summed over threads, as the pipeline bench's
    // `new_share`: the workbook's part is its rows made by the workers and
    // the sheets streamed at the end.
    let stages = (t.read + t.extract + t.check_align + t.write).as_secs_f64();
    let wb = t.write_workbook.as_secs_f64();
    let new = (t.write_tables + t.write_index + t.write_workbook).as_secs_f64();
    println!(
        "  stages {stages:.3} s: workbook {wb:.3} s = {:.1}%; tables, index and workbook = {:.1}%; review.xlsx {:.1} MB",
        100.0 * wb / stages.max(f64::MIN_POSITIVE),
        100.0 * new / stages.max(f64::MIN_POSITIVE),
        size as f64 / 1e6
    );
    println!(
        "  run without {:.3} s, with {:.3} s: +{:.1}% wall",
        best[0],
        best[1],
        100.0 * (best[1] - best[0]) / best[1]
    );
    if best_cpu.iter().all(|c| c.is_finite()) {
        println!(
            "  cpu without {:.2} s, with {:.2} s: the workbook {:.1}% of the run",
            best_cpu[0],
            best_cpu[1],
            100.0 * (best_cpu[1] - best_cpu[0]) / best_cpu[1]
        );
    }
    Ok(())
}
