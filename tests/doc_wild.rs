//! The third-party Word 97–2003 corpus in `../shared/doc-wild`: every file
//! reads or fails with a clean error naming it (never a panic, never a
//! hang); encrypted files and Word 6/95 files fail saying what they are;
//! and the tables agree with LibreOffice's reading (`FILE.tables.json`,
//! pandoc over LibreOffice's DOCX conversion) for at least 95% of the
//! tables it lists in the files where the comparison means something: not
//! the ones its README marks `suspect` (LibreOffice visibly misreads the
//! table) and not the ones this reader refuses by design (Word 6/95,
//! encrypted, not a Word binary). The scoring is that of
//! `tests/docx_wild.rs`. Text agreement (word multiset of the body against
//! `FILE.text.txt`) is reported, not asserted. Skips with a note when the
//! corpus is absent.

mod oracle;
mod support;

use oracle::{is_py_space, oracle_grid, our_tables, walk};
use planrec::model::{Block, Document};
use planrec::read::{ReadOptions, read_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn corpus(test: &str) -> Option<PathBuf> {
    support::shared::dir(test, "doc-wild", &[])
}

/// Words of the body text (paragraphs and table cells, in order), for the
/// text agreement with LibreOffice's export.
fn words(doc: &Document) -> HashMap<String, usize> {
    fn walk(blocks: &[Block], out: &mut HashMap<String, usize>) {
        for b in blocks {
            match b {
                Block::Paragraph(p) => add(&p.text, out),
                Block::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            for p in &c.paragraphs {
                                add(&p.text, out);
                            }
                            walk(&c.blocks, out);
                        }
                    }
                }
            }
        }
    }
    fn add(s: &str, out: &mut HashMap<String, usize>) {
        for w in s.split(is_py_space).filter(|w| !w.is_empty()) {
            *out.entry(w.to_string()).or_insert(0) += 1;
        }
    }
    let mut m = HashMap::new();
    walk(
        &doc.blocks
            .iter()
            .filter(|b| !matches!(b, Block::Paragraph(p) if p.origin.is_some()))
            .cloned()
            .collect::<Vec<_>>(),
        &mut m,
    );
    m
}

fn text_words(s: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in s.split(is_py_space).filter(|w| !w.is_empty()) {
        *m.entry(w.to_string()).or_insert(0) += 1;
    }
    m
}

/// Share of `a`'s words (with multiplicity) found in `b`.
fn share(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> Option<f64> {
    let total: usize = a.values().sum();
    if total == 0 {
        return None;
    }
    let found: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    Some(found as f64 / total as f64)
}

/// The oracle summary's flags and suspect marks of each file.
fn summary(root: &Path) -> serde_json::Value {
    std::fs::read_to_string(root.join("oracle_summary.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null)
}

#[test]
fn wild_doc_corpus_reads_and_agrees_with_libreoffice() {
    let Some(root) = corpus("wild_doc_corpus_reads_and_agrees_with_libreoffice") else {
        return;
    };
    let mut files = Vec::new();
    walk(&root, &["doc", "dot"], &mut files);
    assert!(
        files.len() >= 270,
        "expected the full corpus, found {} files",
        files.len()
    );
    let summary = summary(&root);
    let verbose = std::env::var("DOC_WILD_VERBOSE").is_ok();
    let (mut ok, mut errors, mut panics) = (0, 0, Vec::new());
    let (mut oracle_tables, mut agreeing, mut skipped_tables) = (0usize, 0usize, 0usize);
    let mut text_shares = Vec::new();
    let mut slow = Vec::new();
    let mut wrong_errors = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .to_string();
        let info = &summary["files"][&rel];
        let flags: Vec<&str> = info["flags"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let t0 = std::time::Instant::now();
        let r = std::panic::catch_unwind(|| {
            read_path(f, &ReadOptions::default()).inspect(|d| {
                let _ = planrec::extract::extract(d, vocab());
            })
        });
        let dt = t0.elapsed();
        if dt.as_secs_f64() > 5.0 {
            slow.push((rel.clone(), dt));
        }
        let doc = match r {
            Err(_) => {
                panics.push(rel.clone());
                continue;
            }
            Ok(Err(e)) => {
                errors += 1;
                let msg = e.to_string();
                assert!(
                    msg.contains(&*f.display().to_string()),
                    "error does not name the file: {msg}"
                );
                // Encrypted and Word 6/95 files say what they are.
                let said = if flags.contains(&"ENC") {
                    msg.contains("encrypted")
                } else if flags.contains(&"W6") {
                    msg.contains("Word 6.0/95")
                } else {
                    true
                };
                if !said {
                    wrong_errors.push(msg.clone());
                }
                if verbose {
                    eprintln!("error: {msg}");
                }
                None
            }
            Ok(Ok(d)) => {
                ok += 1;
                Some(d)
            }
        };
        if let Some(d) = &doc
            && let Ok(t) = std::fs::read_to_string(format!("{}.text.txt", f.display()))
            && let Some(s) = share(&words(d), &text_words(&t))
        {
            text_shares.push((s, rel.clone()));
        }
        let oracle_path = PathBuf::from(format!("{}.tables.json", f.display()));
        let Ok(text) = std::fs::read_to_string(&oracle_path) else {
            continue;
        };
        let Ok(serde_json::Value::Array(tables)) = serde_json::from_str::<serde_json::Value>(&text)
        else {
            continue;
        };
        if tables.is_empty() {
            continue;
        }
        // Not comparable: LibreOffice visibly misreads the tables (README
        // "suspect"), or the file is one this reader refuses by design.
        let refused_by_design = ["ENC", "W6", "W2", "NOT-OLE", "NOT-WORD", "BADFIB"]
            .iter()
            .any(|x| flags.contains(x));
        if info.get("suspect").is_some_and(|v| !v.is_null()) || refused_by_design {
            skipped_tables += tables.len();
            continue;
        }
        let ours = doc.as_ref().map(our_tables).unwrap_or_default();
        let mut used = vec![false; ours.len()];
        let mut next = 0;
        for (ti, t) in tables.iter().enumerate() {
            oracle_tables += 1;
            let want = oracle_grid(t);
            let found = (next..ours.len())
                .chain(0..next.min(ours.len()))
                .find(|&i| !used[i] && ours[i] == want);
            match found {
                Some(i) => {
                    used[i] = true;
                    next = i + 1;
                    agreeing += 1;
                }
                None => {
                    if verbose {
                        eprintln!("MISMATCH {rel} table {ti}\n  oracle: {want:?}");
                        let cand = ours.get(next.min(ours.len().saturating_sub(1)));
                        eprintln!("  ours:   {cand:?}");
                    }
                }
            }
        }
    }
    let pct = 100.0 * agreeing as f64 / oracle_tables.max(1) as f64;
    text_shares.sort_by(|a, b| a.0.total_cmp(&b.0));
    let good = text_shares.iter().filter(|(s, _)| *s >= 0.95).count();
    let mean = text_shares.iter().map(|(s, _)| s).sum::<f64>() / text_shares.len().max(1) as f64;
    eprintln!(
        "doc-wild: {} files, {ok} read, {errors} clean errors, {} panics; oracle tables {oracle_tables} \
         (+{skipped_tables} not comparable), agreeing {agreeing} ({pct:.1}%); text: {} files, \
         {good} with >= 95% of our words in LibreOffice's text, mean {:.1}%",
        files.len(),
        panics.len(),
        text_shares.len(),
        100.0 * mean
    );
    if verbose {
        for (s, f) in text_shares.iter().take(30) {
            eprintln!("text {:.1}% {f}", 100.0 * s);
        }
    }
    for (f, dt) in &slow {
        eprintln!("slow: {f} {dt:?}");
    }
    assert!(panics.is_empty(), "panics on: {panics:?}");
    assert!(
        wrong_errors.is_empty(),
        "errors that do not say what the file is: {wrong_errors:?}"
    );
    assert!(pct >= 95.0, "oracle agreement {pct:.1}% < 95%");
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
