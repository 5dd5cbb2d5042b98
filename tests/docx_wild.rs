//! The third-party DOCX corpus in `../shared/docx-wild`: every file reads
//! without a panic (or fails with a clean error), and the tables agree with
//! the pandoc oracle (`FILE.tables.json`) for at least 95% of the tables it
//! lists. Skips with a note when the corpus is absent.
//!
//! Comparison rules (the oracle's, see its `make_oracle.py`): a cell's text
//! is its paragraphs' lines, each with whitespace runs collapsed (Python
//! `str.split()`: NBSP and tabs too) and stripped, empty lines dropped,
//! joined with `\n`; spans compared as numbers; cells covered by a span
//! absent on both sides. Normalisations applied to both sides because
//! pandoc makes them: trailing empty 1×1 cells of a row are dropped (pandoc
//! pads short rows), text-box paragraphs inside cells are left out (pandoc
//! does not read text boxes). Nested tables: the oracle lists them after
//! their parent, as `Document::tables()` does; the parent cell's text holds
//! no nested text on either side. Tables are matched in document order,
//! each oracle table against the next unmatched table of ours with the same
//! content (so tables pandoc misses, e.g. in text boxes, do not shift the
//! rest).

use planrec::model::{Cell, Document, Table};
use planrec::read::{ReadOptions, read_path};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/docx-wild");
    p.is_dir().then_some(p)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            walk(&p, out);
        } else if let Some(ext) = p.extension().and_then(|e| e.to_str())
            && matches!(ext, "docx" | "docm" | "dotx")
        {
            out.push(p);
        }
    }
}

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The oracle's cell-text normalisation.
pub fn norm_text(s: &str) -> String {
    s.split('\n')
        .map(|l| {
            l.split(is_py_space)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

type Grid = Vec<Vec<(String, usize, usize)>>;

fn strip_padding(mut g: Grid) -> Grid {
    for row in &mut g {
        while row
            .last()
            .is_some_and(|c| c.0.is_empty() && c.1 == 1 && c.2 == 1)
        {
            row.pop();
        }
    }
    g
}

fn cell_text(c: &Cell) -> String {
    let t: Vec<&str> = c
        .paragraphs
        .iter()
        .filter(|p| p.origin.as_deref() != Some("textbox"))
        .map(|p| p.text.as_str())
        .collect();
    norm_text(&t.join("\n"))
}

fn our_grid(t: &Table) -> Grid {
    strip_padding(
        t.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (cell_text(c), c.row_span, c.col_span))
                    .collect()
            })
            .collect(),
    )
}

fn oracle_grid(t: &serde_json::Value) -> Grid {
    let rows = t["rows"].as_array().cloned().unwrap_or_default();
    strip_padding(
        rows.iter()
            .map(|r| {
                r.as_array()
                    .map(|cells| {
                        cells
                            .iter()
                            .map(|c| {
                                (
                                    norm_text(c["text"].as_str().unwrap_or("")),
                                    c["rowspan"].as_u64().unwrap_or(1) as usize,
                                    c["colspan"].as_u64().unwrap_or(1) as usize,
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect(),
    )
}

/// All our tables in the oracle's order: body (depth first), then notes.
fn our_tables(doc: &Document) -> Vec<Grid> {
    let mut v: Vec<Grid> = doc.tables().into_iter().map(our_grid).collect();
    for n in &doc.notes {
        let sub = Document {
            blocks: n.blocks.clone(),
            ..doc.clone()
        };
        v.extend(sub.tables().into_iter().map(our_grid));
    }
    v
}

#[test]
fn wild_corpus_reads_and_agrees_with_oracle() {
    let Some(root) = corpus() else {
        eprintln!("note: ../shared/docx-wild not found; skipping the wild DOCX corpus test");
        return;
    };
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.len() > 800,
        "expected the full corpus, found {} files",
        files.len()
    );
    let verbose = std::env::var("DOCX_WILD_VERBOSE").is_ok();
    let (mut ok, mut errors, mut panics) = (0, 0, Vec::new());
    let (mut oracle_tables, mut agreeing) = (0usize, 0usize);
    let mut slow = Vec::new();
    for f in &files {
        let t0 = std::time::Instant::now();
        let r = std::panic::catch_unwind(|| read_path(f, &ReadOptions::default()));
        let dt = t0.elapsed();
        if dt.as_secs_f64() > 5.0 {
            slow.push((f.clone(), dt));
        }
        let doc = match r {
            Err(_) => {
                panics.push(f.clone());
                continue;
            }
            Ok(Err(e)) => {
                errors += 1;
                let msg = e.to_string();
                assert!(
                    msg.contains(&*f.display().to_string()),
                    "error does not name the file: {msg}"
                );
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
                        let rel = f.strip_prefix(&root).unwrap_or(f);
                        eprintln!(
                            "MISMATCH {} table {ti}\n  oracle: {:?}",
                            rel.display(),
                            want
                        );
                        let cand = ours.get(next.min(ours.len().saturating_sub(1)));
                        eprintln!("  ours:   {:?}", cand);
                    }
                }
            }
        }
    }
    let pct = 100.0 * agreeing as f64 / oracle_tables.max(1) as f64;
    eprintln!(
        "docx-wild: {} files, {ok} read, {errors} clean errors, {} panics; oracle tables {oracle_tables}, agreeing {agreeing} ({pct:.1}%)",
        files.len(),
        panics.len()
    );
    for (f, dt) in &slow {
        eprintln!("slow: {} {:?}", f.display(), dt);
    }
    assert!(panics.is_empty(), "panics on: {panics:?}");
    assert!(pct >= 95.0, "oracle agreement {pct:.1}% < 95%");
}
