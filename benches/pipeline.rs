//! End-to-end throughput of the batch job, release build:
//! `cargo bench --bench pipeline`.
//!
//! Inputs, generated once into `target/bench-pipeline/`: (a) a corpus of 500
//! plan-like DOCX built from the bundled plans' text (headings, running
//! text, a plan matrix with merged goal cells in Albanian, Serbian Latin or
//! Serbian Cyrillic, an indicator table), and (b) one DOCX whose
//! `word/document.xml` inflates to about 50 MB (`BENCH_BIG_MB` to change).
//!
//! For each input, on 1 thread and on all cores, each case runs in a child
//! process of its own so its peak memory (VmHWM) is its own:
//! - `floor`: inflate `document.xml` and walk every XML event (quick-xml),
//!   nothing else — what any reader on these crates pays;
//! - `read`: the DOCX reader (bytes in memory → document model);
//! - `extract`: file → bytes → model → plan record (what `planrec extract`
//!   does, minus the write);
//! - `run`: the whole batch (`planrec run`): read, extract, check, pair and
//!   align, write every output; with the time split across stages, the
//!   write split into records (JSON), pages, tables, index and workbook
//!   (`PLANREC_BENCH_WORKBOOK=1` adds `--workbook`), and `new_share`: the
//!   share of all stage time that the flat tables, `index.html` and the
//!   workbook take (issue 16: under 10%).
//!
//! Printed: files/s, MB/s of inflated `document.xml`, peak memory, the
//! ratio of each case to the floor measured in the same run (by wall time
//! and by CPU time, which a shared machine disturbs less), and the speedup
//! of all cores over one.
//!
//! Scale (`BENCH_ONLY=scale`, `bombs`, `txt`; not in the default run):
//! - `scale`: `planrec run -j2` over 1k, 5k and 20k small text plans
//!   (`BENCH_SCALE=1000,5000` to change), each in its own process: peak
//!   memory must not grow with the number of documents; then 3 shards of
//!   the 5k set (`BENCH_MERGE_N`, 0 to skip) and their merge;
//! - `bombs`: 8 copies of a 1 MB zip bomb beside the bundled plans, `-j8`:
//!   peak memory, and every good plan written;
//! - `txt`: the Ljubovija plan repeated 1…`BENCH_TXT_MAX` times (default
//!   200, about 50 MB) as one text: extraction time per size, and the time
//!   of the largest over that of its 1/64 slice.

use planrec::batch;
use planrec::read::{ReadOptions, read_bytes};
use rayon::prelude::*;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "support/floor.rs"]
mod floor;
use floor::floor;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn para(style: Option<&str>, text: &str) -> String {
    let ppr = style
        .map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/><w:spacing w:after="120"/></w:pPr>"#))
        .unwrap_or_else(|| {
            r#"<w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/></w:pPr>"#.to_string()
        });
    // Two runs, as Word splits text at formatting and proofing boundaries.
    let cut = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let (a, b) = text.split_at(cut);
    format!(
        r#"<w:p w14:paraId="1A2B3C4D" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">{ppr}<w:r><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="sr-Latn-RS"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r><w:proofErr w:type="spellEnd"/></w:p>"#,
        esc(a),
        esc(b)
    )
}

fn cell(props: &str, text: &str) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/>{props}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>"#,
        esc(text)
    )
}

const HEADERS: [[&str; 7]; 3] = [
    [
        "CILJ",
        "AKTIVNOST",
        "UPRAVLJAČKA INSTITUCIJA",
        "POMOĆNA INSTITUCIJA",
        "BUDŽET",
        "VREMENSKI PLAN",
        "IMPLEMENTER",
    ],
    [
        "OBJEKTIVI",
        "AKTIVITETI",
        "INSTITUCIONI DREJTUES",
        "INSTITUCIONI MBËSHTETËS",
        "BUXHETI",
        "PLANI KOHOR",
        "IMPLEMENTUESI",
    ],
    [
        "Посебан циљ",
        "Активност",
        "Носиоци активности",
        "Партнери у спровођењу активности",
        "Финансије",
        "Временски период",
        "Извор финансирања",
    ],
];

const LEADS: [[&str; 3]; 3] = [
    ["CSR", "Opštinska uprava", "NVO"],
    ["QPS", "DMS", "OJQ"],
    ["ЦСР", "Општинска управа", "Дом здравља"],
];

fn row(cells: &[String]) -> String {
    format!(
        r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>{}</w:tr>"#,
        cells.concat()
    )
}

fn table_start(cols: usize) -> String {
    let mut t = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>"#,
    );
    for _ in 0..cols {
        t.push_str(r#"<w:gridCol w:w="1500"/>"#);
    }
    t.push_str("</w:tblGrid>");
    t
}

/// The body of one plan-like document, from the seeds' lines.
fn plan_body(i: usize, lines: &[String]) -> String {
    let lang = i % 3;
    let line = |k: usize| lines[(i * 131 + k * 17) % lines.len()].as_str();
    let mut body = String::new();
    body.push_str(&para(Some("Title"), line(0)));
    for k in 1..40 {
        if k % 10 == 1 {
            body.push_str(&para(Some("Heading1"), line(k)));
        } else {
            body.push_str(&para(None, line(k)));
        }
    }
    // The plan matrix: goal cells merged down their activities.
    body.push_str(&table_start(7));
    body.push_str(&row(&HEADERS[lang]
        .iter()
        .map(|h| cell(r#"<w:shd w:val="clear" w:fill="D9D9D9"/>"#, h))
        .collect::<Vec<_>>()));
    let rows = 20 + i % 20;
    for r in 0..rows {
        let goal = r / 4 + 1;
        let first = if r % 4 == 0 {
            cell(
                r#"<w:vMerge w:val="restart"/>"#,
                &format!("{goal}.1 {}", line(100 + goal)),
            )
        } else {
            cell("<w:vMerge/>", "")
        };
        let cells = vec![
            first,
            cell("", &format!("{goal}.1.{} {}", r % 4 + 1, line(200 + r))),
            cell("", LEADS[lang][r % 3]),
            cell("", LEADS[lang][(r + 1) % 3]),
            cell(
                "",
                &format!("{}.{:03},00", 100 + (i * 7 + r * 13) % 900, (r * 37) % 1000),
            ),
            cell("", &format!("{}–{}", 2024 + r % 2, 2026 + r % 3)),
            cell("", line(300 + r)),
        ];
        body.push_str(&row(&cells));
    }
    body.push_str("</w:tbl>");
    body.push_str(&para(None, line(400)));
    // An indicator table.
    body.push_str(&table_start(5));
    let head = match lang {
        0 => [
            "Indikator",
            "Polazna vrednost 2023",
            "Ciljna vrednost 2024",
            "2025",
            "2026",
        ],
        1 => [
            "Treguesi",
            "Vlera bazë 2023",
            "Vlera e synuar 2024",
            "2025",
            "2026",
        ],
        _ => [
            "Индикатор",
            "Почетна вредност 2023",
            "Циљана вредност 2024",
            "2025",
            "2026",
        ],
    };
    body.push_str(&row(&head.iter().map(|h| cell("", h)).collect::<Vec<_>>()));
    for r in 0..8 {
        let base = (i + r * 11) % 90 + 5;
        body.push_str(&row(&[
            cell("", line(500 + r)),
            cell("", &base.to_string()),
            cell("", &(base + 5).to_string()),
            cell("", &(base + 10).to_string()),
            cell("", &format!("{}%", (base * 3) % 100)),
        ]));
    }
    body.push_str("</w:tbl>");
    body
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:body></w:document>"#
    )
}

const STYLES: &str = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>"#;

fn package(document_xml: &str) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let drels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/></Relationships>"#
    );
    let parts: [(&str, &str); 4] = [
        ("_rels/.rels", &rels),
        ("word/_rels/document.xml.rels", &drels),
        ("word/styles.xml", STYLES),
        ("word/document.xml", document_xml),
    ];
    for (name, data) in parts {
        zw.start_file(name, opt).expect("zip");
        zw.write_all(data.as_bytes()).expect("zip");
    }
    zw.finish().expect("zip").into_inner()
}

fn seed_lines() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for l in text.lines() {
            let l = l.trim();
            if l.chars().count() >= 12 && !l.contains('|') && !l.starts_with('+') {
                lines.push(l.to_string());
            }
        }
    }
    assert!(!lines.is_empty(), "no seed text in corpus/");
    lines
}

/// Writes the inputs unless they are already there.
fn generate(root: &Path, big_mb: usize) -> (PathBuf, PathBuf) {
    let corpus = root.join("corpus500");
    let big = root.join(format!("big{big_mb}"));
    let lines = seed_lines();
    if std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0) != 500 {
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(&corpus).expect("mkdir");
        (0..500).into_par_iter().for_each(|i| {
            let bytes = package(&document(&plan_body(i, &lines)));
            std::fs::write(corpus.join(format!("plan-{i:03}.docx")), bytes).expect("write");
        });
    }
    let big_file = big.join("big.docx");
    if !big_file.exists() {
        std::fs::create_dir_all(&big).expect("mkdir");
        let mut body = String::new();
        let mut i = 0;
        while body.len() < big_mb * 1_000_000 {
            body.push_str(&plan_body(i, &lines));
            i += 1;
        }
        std::fs::write(&big_file, package(&document(&body))).expect("write");
    }
    (corpus, big)
}

fn docx_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "docx"))
        .collect();
    v.sort();
    v
}

fn inflated_len(bytes: &[u8]) -> u64 {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut f = zip.by_name("word/document.xml").expect("part");
    std::io::copy(&mut f, &mut std::io::sink()).expect("inflate")
}

/// CPU seconds (user + system) this process has used so far: on a shared
/// machine, wall time depends on the neighbours, CPU time much less.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at `)`.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Child process: one case, printed as `key=value` pairs on one line.
fn child(case: &str, dir: &Path, jobs: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("pool");
    let files = docx_files(dir);
    let mut extra = String::new();
    let t0;
    let mut cpu0 = cpu_secs();
    let elapsed = match case {
        "floor" | "read" => {
            // Bytes are loaded first: these cases measure CPU work only.
            let bytes: Vec<Vec<u8>> = files
                .iter()
                .map(|f| std::fs::read(f).expect("read"))
                .collect();
            cpu0 = cpu_secs();
            t0 = Instant::now();
            pool.install(|| {
                bytes.par_iter().for_each(|b| {
                    if case == "floor" {
                        std::hint::black_box(floor(b));
                    } else {
                        let doc = read_bytes(Path::new("bench.docx"), b, read_opts());
                        std::hint::black_box(doc.map(|d| d.blocks.len()).unwrap_or(0));
                    }
                })
            });
            t0.elapsed()
        }
        "extract" => {
            t0 = Instant::now();
            pool.install(|| {
                files.par_iter().for_each(|f| {
                    let doc = planrec::read::read_path(f, read_opts()).expect("read");
                    let rec = planrec::extract::extract(&doc, vocab());
                    std::hint::black_box(rec.tables.len());
                })
            });
            t0.elapsed()
        }
        "extract-one" => {
            // The one text file of `dir`, read and extracted.
            let f = std::fs::read_dir(dir)
                .expect("dir")
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "txt"))
                .expect("a text file");
            t0 = Instant::now();
            let doc = planrec::read::read_path(&f, read_opts()).expect("read");
            let rec = planrec::extract::extract(&doc, vocab());
            std::hint::black_box(rec.tables.len());
            t0.elapsed()
        }
        "run" | "shard" | "merge" => {
            let shard: Option<batch::Shard> = std::env::var("PLANREC_BENCH_SHARD")
                .ok()
                .and_then(|k| k.parse().ok());
            let out = match shard {
                Some(k) => dir.with_extension(format!("shard-{}", k.index)),
                None if case == "merge" => dir.with_extension("merged"),
                None => dir.with_extension(format!("out-{jobs}")),
            };
            let opts = batch::Options {
                jobs,
                shard,
                workbook: std::env::var_os("PLANREC_BENCH_WORKBOOK").is_some(),
                ..batch::Options::default()
            };
            t0 = Instant::now();
            let r = if case == "merge" {
                let n: usize = std::env::var("PLANREC_BENCH_SHARDS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(3);
                let dirs: Vec<PathBuf> = (1..=n)
                    .map(|k| dir.with_extension(format!("shard-{k}")))
                    .collect();
                batch::merge(&dirs, &out, &opts, &|_| {}).expect("merge")
            } else {
                batch::run(dir, &out, &opts, &|_| {}).expect("batch")
            };
            let e = t0.elapsed();
            let t = &r.timings;
            // Stage times are summed over threads: the share is of their
            // sum, which a wall time on N threads would not be.
            let stages = (t.read + t.extract + t.check_align + t.write).as_secs_f64();
            let new = (t.write_tables + t.write_index + t.write_workbook).as_secs_f64();
            extra = format!(
                " stage_read={:.3} stage_extract={:.3} stage_check_align={:.3} stage_write={:.3} stage_write_records={:.3} stage_write_pages={:.3} stage_write_tables={:.3} stage_write_index={:.3} stage_write_workbook={:.3} new_share={:.1}% failed={} read={} pairs={}",
                t.read.as_secs_f64(),
                t.extract.as_secs_f64(),
                t.check_align.as_secs_f64(),
                t.write.as_secs_f64(),
                t.write_records.as_secs_f64(),
                t.write_pages.as_secs_f64(),
                t.write_tables.as_secs_f64(),
                t.write_index.as_secs_f64(),
                t.write_workbook.as_secs_f64(),
                100.0 * new / stages.max(f64::MIN_POSITIVE),
                r.summary.totals.failed,
                r.summary.totals.read,
                r.summary.totals.pairs
            );
            e
        }
        other => panic!("unknown case {other}"),
    };
    println!(
        "secs={:.4} cpu={:.2} peak_mb={:.1}{extra}",
        elapsed.as_secs_f64(),
        cpu_secs() - cpu0,
        peak_mb()
    );
}

struct Row {
    secs: f64,
    cpu: f64,
    peak: f64,
    extra: String,
}

fn spawn(case: &str, dir: &Path, jobs: usize) -> Row {
    spawn_with(case, dir, jobs, &[])
}

fn spawn_with(case: &str, dir: &Path, jobs: usize, env: &[(&str, String)]) -> Row {
    let exe = std::env::current_exe().expect("exe");
    let out = Command::new(exe)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PLANREC_BENCH_CASE", case)
        .env("PLANREC_BENCH_DIR", dir)
        .env("PLANREC_BENCH_JOBS", jobs.to_string())
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default().to_string();
    if !out.status.success() {
        panic!(
            "case {case} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let get = |k: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    let extra: Vec<&str> = line
        .split_whitespace()
        .filter(|kv| {
            kv.starts_with("stage_")
                || kv.starts_with("new_share=")
                || kv.starts_with("failed=")
                || kv.starts_with("read=")
                || kv.starts_with("pairs=")
        })
        .collect();
    Row {
        secs: get("secs"),
        cpu: get("cpu"),
        peak: get("peak_mb"),
        extra: extra.join(" "),
    }
}

fn measure(label: &str, dir: &Path) {
    let files = docx_files(dir);
    let xml: u64 = files
        .iter()
        .map(|f| inflated_len(&std::fs::read(f).expect("read")))
        .sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\n== {label}: {} files, {:.1} MB of document.xml",
        files.len(),
        xml as f64 / 1e6
    );
    let mut by_jobs = Vec::new();
    for jobs in [1, cores] {
        let floor = spawn("floor", dir, jobs);
        for case in ["floor", "read", "extract", "run"] {
            let r = if case == "floor" {
                Row {
                    secs: floor.secs,
                    cpu: floor.cpu,
                    peak: floor.peak,
                    extra: String::new(),
                }
            } else {
                spawn(case, dir, jobs)
            };
            println!(
                "{jobs} thread(s) {case:<8} {:>8.1} files/s {:>7.1} MB/s  {:>6.2}× floor (CPU {:>6.2}×)  peak {:>7.1} MB  {:.2} s wall {:.2} s CPU {}",
                files.len() as f64 / r.secs,
                xml as f64 / 1e6 / r.secs,
                r.secs / floor.secs,
                r.cpu / floor.cpu,
                r.peak,
                r.secs,
                r.cpu,
                r.extra
            );
            by_jobs.push((jobs, case, r.secs));
        }
    }
    if cores > 1 {
        for case in ["floor", "read", "extract", "run"] {
            let t = |j: usize| {
                by_jobs
                    .iter()
                    .find(|(jj, c, _)| *jj == j && *c == case)
                    .map_or(f64::NAN, |x| x.2)
            };
            println!(
                "speedup {cores} threads vs 1, {case:<8} {:.2}×",
                t(1) / t(cores)
            );
        }
    }
}

/// `n` small text plans: the two smallest bundled plans, each copy under
/// another municipality's name (from `mappings/municipalities.tsv`) and
/// with its years shifted, so the set looks like an archive (many plans,
/// few versions of each) rather than one plan many times.
fn scale_corpus(root: &Path, n: usize) -> PathBuf {
    let dir = root.join(format!("scale{n}"));
    if std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) == n {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names: Vec<String> = std::fs::read_to_string(manifest.join("mappings/municipalities.tsv"))
        .expect("municipalities")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 3 && f[1] == "sr").then(|| f[2].split(';').next().unwrap_or("").to_string())
        })
        .filter(|n| !n.is_empty() && !n.contains(' '))
        .collect();
    let seeds = [
        ("irig_2022-2027_sr-Cyrl.txt", "Ириг"),
        ("plandiste_2019_sr-Cyrl.txt", "Пландиш"),
    ];
    let texts: Vec<(String, &str)> = seeds
        .iter()
        .map(|(f, stem)| {
            (
                std::fs::read_to_string(manifest.join("corpus").join(f)).expect("seed"),
                *stem,
            )
        })
        .collect();
    (0..n).into_par_iter().for_each(|i| {
        let (text, stem) = &texts[i % texts.len()];
        let name = &names[(i / texts.len()) % names.len()];
        let shift = (i / (texts.len() * names.len())) as i32 % 8;
        // Every word starting with the stem (its case forms) becomes the name.
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(k) = rest.find(stem) {
            out.push_str(&rest[..k]);
            out.push_str(name);
            let after = &rest[k..];
            let end = after
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(after.len());
            rest = &after[end..];
        }
        out.push_str(rest);
        // Years shifted: another period, another plan.
        let mut shifted = String::with_capacity(out.len());
        let b = out.as_bytes();
        let mut j = 0;
        while j < b.len() {
            if j + 4 <= b.len()
                && b[j..j + 2] == *b"20"
                && b[j + 2..j + 4].iter().all(u8::is_ascii_digit)
                && (j == 0 || !b[j - 1].is_ascii_digit())
                && (j + 4 == b.len() || !b[j + 4].is_ascii_digit())
            {
                let y: i32 = out[j..j + 4].parse().unwrap_or(2020);
                shifted.push_str(&(y + shift).to_string());
                j += 4;
            } else {
                let c = out[j..].chars().next().unwrap_or(' ');
                shifted.push(c);
                j += c.len_utf8();
            }
        }
        shifted.push_str(&format!("\n\nДокумент {i}\n"));
        std::fs::write(dir.join(format!("plan-{i:05}.txt")), shifted).expect("write");
    });
    dir
}

fn measure_scale(root: &Path) {
    let sizes: Vec<usize> = std::env::var("BENCH_SCALE")
        .unwrap_or_else(|_| "1000,5000,20000".to_string())
        .split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    println!("\n== scale: planrec run -j2 over n small text plans, one process each");
    for n in sizes {
        let dir = scale_corpus(root, n);
        let r = spawn("run", &dir, 2);
        println!(
            "n={n:>6}  {:>8.1} files/s  peak {:>7.1} MB  {:.1} s wall {:.1} s CPU  {}",
            n as f64 / r.secs,
            r.peak,
            r.secs,
            r.cpu,
            r.extra
        );
    }
    // Three shards of the middle size, then their merge.
    let n: usize = std::env::var("BENCH_MERGE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    if n > 0 {
        let dir = scale_corpus(root, n);
        for k in 1..=3 {
            let r = spawn_with(
                "shard",
                &dir,
                2,
                &[("PLANREC_BENCH_SHARD", format!("{k}/3"))],
            );
            println!(
                "n={n:>6} shard {k}/3  peak {:>7.1} MB  {:.1} s wall  {}",
                r.peak, r.secs, r.extra
            );
        }
        let r = spawn_with("merge", &dir, 2, &[("PLANREC_BENCH_SHARDS", "3".into())]);
        println!(
            "n={n:>6} merge of 3  peak {:>7.1} MB  {:.1} s wall  {}",
            r.peak, r.secs, r.extra
        );
    }
}

/// A zip whose `word/document.xml` inflates to `mb` MiB of spaces (declared
/// honestly), about 1000× its compressed size.
fn bomb(mb: usize) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zw.start_file("word/document.xml", opt).expect("zip");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..mb {
        zw.write_all(&chunk).expect("zip");
    }
    zw.finish().expect("zip").into_inner()
}

fn measure_bombs(root: &Path) {
    let dir = root.join("bombs");
    if !dir.join("bomb-8.docx").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let b = bomb(1024);
        for k in 1..=8 {
            std::fs::write(dir.join(format!("bomb-{k}.docx")), &b).expect("write");
        }
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in std::fs::read_dir(&corpus).expect("corpus").flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt") {
                std::fs::copy(&p, dir.join(e.file_name())).expect("copy");
            }
        }
    }
    let size = std::fs::metadata(dir.join("bomb-1.docx")).map_or(0, |m| m.len());
    println!(
        "\n== bombs: 8 zip bombs of {:.2} MB (1 GiB inflated each) beside the bundled plans, -j8",
        size as f64 / 1e6
    );
    let r = spawn("run", &dir, 8);
    println!("peak {:.1} MB  {:.2} s wall  {}", r.peak, r.secs, r.extra);
}

fn measure_txt(root: &Path) {
    let max: usize = std::env::var("BENCH_TXT_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let plan = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/ljubovija_2026-2028_sr-Cyrl.txt"),
    )
    .expect("ljubovija");
    println!("\n== txt: Ljubovija repeated k times as one text, read + extract, one process each");
    let slice = (max / 64).max(1);
    let mut ks = vec![slice];
    let mut k = 1;
    while k <= max {
        if k != slice {
            ks.push(k);
        }
        k *= 2;
    }
    if !ks.contains(&max) {
        ks.push(max);
    }
    ks.sort_unstable();
    let mut times = Vec::new();
    for k in ks {
        let dir = root.join(format!("ljubovija-x{k}"));
        let f = dir.join("plan.txt");
        if std::fs::metadata(&f).map_or(true, |m| m.len() != (plan.len() * k) as u64) {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&f, plan.repeat(k)).expect("write");
        }
        let r = spawn("extract-one", &dir, 1);
        let prev = times
            .last()
            .map(|&(pk, pt): &(usize, f64)| (r.secs / pt) / (k as f64 / pk as f64));
        println!(
            "x{k:<4} {:>7.1} MB  {:>7.2} s  peak {:>7.1} MB{}",
            (plan.len() * k) as f64 / 1e6,
            r.secs,
            r.peak,
            prev.map(|x| format!("  time/size growth vs previous {x:.2}"))
                .unwrap_or_default()
        );
        times.push((k, r.secs));
    }
    let t = |k: usize| times.iter().find(|x| x.0 == k).map_or(f64::NAN, |x| x.1);
    println!(
        "x{max} over its 1/64 slice (x{slice}): {:.1}× the time for {:.0}× the text",
        t(max) / t(slice),
        max as f64 / slice as f64
    );
}

// The allocator the `planrec` binary uses, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Ok(case) = std::env::var("PLANREC_BENCH_CASE") {
        let dir = PathBuf::from(std::env::var("PLANREC_BENCH_DIR").expect("dir"));
        let jobs: usize = std::env::var("PLANREC_BENCH_JOBS")
            .ok()
            .and_then(|j| j.parse().ok())
            .unwrap_or(1);
        child(&case, &dir, jobs);
        return;
    }
    let big_mb: usize = std::env::var("BENCH_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-pipeline");
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    // The scale cases are long; only on request.
    match only.as_str() {
        "scale" => return measure_scale(&root),
        "bombs" => return measure_bombs(&root),
        "txt" => return measure_txt(&root),
        _ => {}
    }
    let t = Instant::now();
    let (corpus, big) = generate(&root, big_mb);
    println!(
        "inputs ready in {:.1} s ({})",
        t.elapsed().as_secs_f64(),
        root.display()
    );
    if only.is_empty() || only == "corpus" {
        measure("(a) 500 generated plans", &corpus);
    }
    if only.is_empty() || only == "big" {
        measure(&format!("(b) one {big_mb} MB document.xml"), &big);
    }
    let _ = std::io::stdout().flush();
}

/// The embedded vocabulary, built once for this test binary.
/// The read options of the run, built once as the CLI builds them:
/// `ReadOptions::default()` builds the embedded vocabulary on each call,
/// which per document would measure the vocabulary, not the reader.
fn read_opts() -> &'static ReadOptions {
    static O: std::sync::OnceLock<ReadOptions> = std::sync::OnceLock::new();
    O.get_or_init(|| ReadOptions::new(std::sync::Arc::new(planrec::vocab::Vocab::embedded())))
}

fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
