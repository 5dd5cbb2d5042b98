//! The seeds read the same from DOCX as from TXT.
//!
//! `fixtures/seeds-docx/NAME.{pandoc,libreoffice}.docx` were made by
//! `scripts/make-seed-docx.sh` from the TXT reader's model of
//! `corpus/NAME.txt` (HTML of its paragraphs and tables → pandoc 2.17 /
//! LibreOffice 7.4 DOCX writers). Here the DOCX reader must find the same
//! tables, with the same cell texts and spans, and the same body paragraphs
//! (text, heading level, list membership), as the TXT reader finds in the
//! TXT. What the writers themselves change is normalised on both sides and
//! named where it is done (`norm`, `grid`, `paragraphs`).

use planrec::model::{Document, Table};
use planrec::read::{ReadOptions, read_path};
use std::path::Path;

type Grid = Vec<Vec<(String, usize, usize)>>;

/// Whitespace as both writers leave it: HTML collapses runs of spaces and
/// tabs to one space and trims each line; empty paragraphs disappear.
fn norm(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cell grid. Trailing empty cells of one row height are dropped on
/// both sides: both writers pad every row to the table's column count (the
/// HTML rows of the seeds are ragged, as the TXT model keeps rows as the
/// text has them); pandoc pads with 1×1 cells, LibreOffice sometimes with
/// one empty cell spanning the leftover grid columns.
fn grid(t: &Table) -> Grid {
    t.rows
        .iter()
        .map(|r| {
            let mut cells: Vec<(String, usize, usize)> = r
                .cells
                .iter()
                .map(|c| (norm(&c.text), c.row_span, c.col_span))
                .collect();
            while cells.last().is_some_and(|c| c.0.is_empty() && c.1 == 1) {
                cells.pop();
            }
            cells
        })
        .collect()
}

fn read(p: &Path) -> Document {
    read_path(p, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Body paragraphs: normalised text, heading level, list membership (the
/// markers are the writers' choice: the HTML gives them `<ul>`/`<ol>`).
fn paragraphs(d: &Document) -> Vec<(String, Option<u8>, bool)> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            planrec::model::Block::Paragraph(p) => {
                Some((norm(&p.text), p.heading, p.list.is_some()))
            }
            _ => None,
        })
        .filter(|p| !p.0.is_empty())
        .collect()
}

fn compare(seed: &str, writer: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let txt = read(&root.join(format!("corpus/{seed}.txt")));
    let docx = read(&root.join(format!("fixtures/seeds-docx/{seed}.{writer}.docx")));
    let a: Vec<Grid> = txt.tables().into_iter().map(grid).collect();
    let b: Vec<Grid> = docx.tables().into_iter().map(grid).collect();
    let mut problems = Vec::new();
    let (pa, pb) = (paragraphs(&txt), paragraphs(&docx));
    if pa.len() != pb.len() {
        problems.push(format!(
            "{seed} {writer}: {} paragraphs in TXT, {} in DOCX",
            pa.len(),
            pb.len()
        ));
    }
    for (i, (x, y)) in pa.iter().zip(&pb).enumerate() {
        if x != y {
            problems.push(format!(
                "{seed} {writer}: paragraph {i}:\n  txt:  {x:?}\n  docx: {y:?}"
            ));
        }
    }
    if a.len() != b.len() {
        problems.push(format!(
            "{seed} {writer}: {} tables in TXT, {} in DOCX",
            a.len(),
            b.len()
        ));
    }
    for (i, (ta, tb)) in a.iter().zip(&b).enumerate() {
        if ta.len() != tb.len() {
            problems.push(format!(
                "{seed} {writer}: table {i}: {} rows in TXT, {} in DOCX",
                ta.len(),
                tb.len()
            ));
            continue;
        }
        for (r, (ra, rb)) in ta.iter().zip(tb).enumerate() {
            if ra != rb {
                problems.push(format!(
                    "{seed} {writer}: table {i} row {r}:\n  txt:  {ra:?}\n  docx: {rb:?}"
                ));
            }
        }
    }
    problems
}

const SEEDS: &[&str] = &[
    "irig_2022-2027_sr-Cyrl",
    "ljubovija_2026-2028_sr-Cyrl",
    "mitrovica-south_2024-2026_sq-Latn",
    "mitrovica-south_2024-2026_sr-Latn",
    "plandiste_2019_sr-Cyrl",
];

#[test]
fn seeds_read_the_same_from_libreoffice_docx() {
    let problems: Vec<String> = SEEDS
        .iter()
        .flat_map(|s| compare(s, "libreoffice"))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn seeds_read_the_same_from_pandoc_docx() {
    let problems: Vec<String> = SEEDS.iter().flat_map(|s| compare(s, "pandoc")).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
