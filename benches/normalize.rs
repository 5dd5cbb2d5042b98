//! Throughput of transliteration and number parsing on the seeds in
//! corpus/ (MB/s of input text). Run: `cargo bench --bench normalize`.
//! Plain timing loop (no harness): each case runs for about a second.

use planrec::normalize::numbers::{self, Context};
use planrec::normalize::text;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn seeds(filter: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    let mut all = String::new();
    for p in names {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".txt") && name.contains(filter) {
            all.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
    all
}

fn measure(label: &str, input: &str, f: &dyn Fn(&str) -> usize) {
    if input.is_empty() {
        println!("{label:<40} skipped (no seeds in corpus/)");
        return;
    }
    black_box(f(input)); // warm-up: tables, regexes
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < Duration::from_secs(1) {
        black_box(f(black_box(input)));
        runs += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = input.len() as f64 * f64::from(runs) / 1e6;
    println!(
        "{label:<40} {:>8.1} MB/s  ({} KB × {runs} runs)",
        mb / secs,
        input.len() / 1000
    );
}

fn main() {
    let cyr = seeds("Cyrl");
    let lat = seeds("sr-Latn");
    let all = seeds("");
    let vocab = planrec::vocab::Vocab::embedded();
    let norm = vocab.norm();
    let cyr_as_latin = norm.to_latin(&cyr);
    measure("translit::to_latin (Cyrillic seeds)", &cyr, &|s| {
        norm.to_latin(s).len()
    });
    measure("translit::to_cyrillic (sr-Latn seed)", &lat, &|s| {
        norm.to_cyrillic(s).len()
    });
    measure(
        "translit::to_cyrillic (Cyrl→Latn seeds)",
        &cyr_as_latin,
        &|s| norm.to_cyrillic(s).len(),
    );
    let ctx = Context::default();
    measure("numbers::parse_all by line", &all, &|s| {
        s.lines().map(|l| norm.parse_all(l, &ctx).len()).sum()
    });
    measure("numbers::parse_cell by TAB cell (all)", &all, &|s| {
        s.lines()
            .flat_map(|l| l.split('\t'))
            .filter_map(|c| norm.parse_cell(c, &ctx))
            .count()
    });
    measure("numbers::infer_convention (all seeds)", &all, &|s| {
        numbers::infer_convention(s.lines()) as usize
    });
    measure("text::normalize (all seeds)", &all, &|s| {
        text::normalize(s).len()
    });
    measure("fold::key by line", &all, &|s| {
        s.lines().map(|l| norm.key(l).len()).sum()
    });
    measure("fold::key whole seeds", &all, &|s| norm.key(s).len());
    measure("lang::detect (all seeds)", &all, &|s| {
        norm.detect(s).sq as usize
    });
    measure("text::text by line (all seeds)", &all, &|s| {
        s.lines().map(|l| text::text(norm, l).latn.len()).sum()
    });
}
