//! The comparison with a third-party reader's tables (`FILE.tables.json`:
//! pandoc over the DOCX, or over LibreOffice's conversion of a .doc), shared
//! by `docx_wild.rs` and `doc_wild.rs`: the oracle's text normalisation, the
//! padding pandoc adds, our tables in the oracle's order.
#![allow(dead_code)]

use planrec::model::{Cell, Document, Table};
use std::path::{Path, PathBuf};

/// Files below `dir` whose extension (any case) is one of `exts`, sorted.
pub fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            walk(&p, exts, out);
        } else if let Some(ext) = p.extension().and_then(|e| e.to_str())
            && exts.contains(&ext.to_ascii_lowercase().as_str())
        {
            out.push(p);
        }
    }
}

pub fn is_py_space(c: char) -> bool {
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

pub type Grid = Vec<Vec<(String, usize, usize)>>;

pub fn strip_padding(mut g: Grid) -> Grid {
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

pub fn cell_text(c: &Cell) -> String {
    let t: Vec<&str> = c
        .paragraphs
        .iter()
        .filter(|p| p.origin.as_deref() != Some("textbox"))
        .map(|p| p.text.as_str())
        .collect();
    norm_text(&t.join("\n"))
}

pub fn our_grid(t: &Table) -> Grid {
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

pub fn oracle_grid(t: &serde_json::Value) -> Grid {
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
pub fn our_tables(doc: &Document) -> Vec<Grid> {
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
