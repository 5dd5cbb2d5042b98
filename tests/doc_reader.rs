//! The Word 97–2003 reader against its DOCX twins.
//!
//! `fixtures/seeds-doc/*.doc` and `fixtures/doc/*.doc` were saved by
//! LibreOffice from `fixtures/seeds-docx/*.libreoffice.docx` and
//! `fixtures/docx/*.docx` (see `fixtures/README.md`). Reading the `.doc`
//! must give what reading the DOCX it was saved from gives: for the corpus
//! plans, the same plan record (objectives, activities and their fields,
//! indicators with their values, budgets; provenance aside); for the
//! feature fixtures, the same body paragraphs, tables, notes, headers and
//! footers, each compared with whitespace collapsed.

use planrec::model::{Block, Document, Table};
use planrec::read::{ReadOptions, read_path};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(p: &Path) -> Document {
    read_path(p, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn norm(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

type Grid = Vec<Vec<(String, usize, usize)>>;

fn grid(t: &Table) -> Grid {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (norm(&c.text), c.row_span, c.col_span))
                .collect()
        })
        .collect()
}

/// Paragraph text, heading level and list level of a run of blocks.
fn paras(blocks: &[Block]) -> Vec<(String, Option<u8>, Option<u8>)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) if p.origin.as_deref() != Some("textbox") => {
                Some((norm(&p.text), p.heading, p.list.as_ref().map(|l| l.level)))
            }
            _ => None,
        })
        .collect()
}

fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(norm(&p.text)),
            _ => None,
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Removes every `provenance` key (and the source) from a record's JSON.
fn strip(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("provenance");
            for (_, x) in m.iter_mut() {
                strip(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
        _ => {}
    }
}

#[test]
fn corpus_plans_as_doc_give_the_same_plan_records() {
    let dir = root().join("seeds-doc");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fixtures/seeds-doc") {
        let doc_path = e.expect("entry").path();
        if doc_path.extension().and_then(|x| x.to_str()) != Some("doc") {
            continue;
        }
        let name = doc_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let docx_path = root().join("seeds-docx").join(format!("{name}.docx"));
        let a = planrec::extract::extract(&read(&doc_path));
        let b = planrec::extract::extract(&read(&docx_path));
        assert_eq!(a.source.format, "doc");
        let mut ja = serde_json::to_value(&a).expect("json");
        let mut jb = serde_json::to_value(&b).expect("json");
        strip(&mut ja);
        strip(&mut jb);
        for key in [
            "document",
            "objectives",
            "activities",
            "indicators",
            "budgets",
        ] {
            let (x, y) = (&ja[key], &jb[key]);
            if key == "document" {
                for f in ["language", "script", "municipality_id", "period"] {
                    assert_eq!(x[f], y[f], "{name}: document.{f}");
                }
                continue;
            }
            assert!(
                x == y,
                "{name}: {key} differ\n.doc:  {}\n.docx: {}",
                serde_json::to_string(x).unwrap_or_default(),
                serde_json::to_string(y).unwrap_or_default()
            );
        }
        assert!(
            !a.activities.is_empty() || !a.objectives.is_empty(),
            "{name}: empty record"
        );
        n += 1;
    }
    assert_eq!(n, 5, "expected the five corpus plans");
}

#[test]
fn feature_fixtures_read_as_their_docx() {
    let dir = root().join("doc");
    let mut n = 0;
    let mut diffs = Vec::new();
    for e in std::fs::read_dir(&dir).expect("fixtures/doc") {
        let doc_path = e.expect("entry").path();
        if doc_path.extension().and_then(|x| x.to_str()) != Some("doc") {
            continue;
        }
        let stem = doc_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let a = read(&doc_path);
        let b = read(&root().join("docx").join(format!("{stem}.docx")));
        n += 1;
        let checks: Vec<(&str, String, String)> = vec![
            (
                "paragraphs",
                format!("{:?}", paras(&a.blocks)),
                format!("{:?}", paras(&b.blocks)),
            ),
            (
                "tables",
                format!("{:?}", a.tables().into_iter().map(grid).collect::<Vec<_>>()),
                format!("{:?}", b.tables().into_iter().map(grid).collect::<Vec<_>>()),
            ),
            (
                "notes",
                format!(
                    "{:?}",
                    a.notes
                        .iter()
                        .map(|n| (n.kind.clone(), texts(&n.blocks)))
                        .collect::<Vec<_>>()
                ),
                format!(
                    "{:?}",
                    b.notes
                        .iter()
                        .map(|n| (n.kind.clone(), texts(&n.blocks)))
                        .collect::<Vec<_>>()
                ),
            ),
            (
                "headers",
                format!("{:?}", texts(&a.headers)),
                format!("{:?}", texts(&b.headers)),
            ),
            (
                "footers",
                format!("{:?}", texts(&a.footers)),
                format!("{:?}", texts(&b.footers)),
            ),
        ];
        for (what, x, y) in checks {
            if x != y {
                diffs.push(format!("{stem}: {what}\n  .doc:  {x}\n  .docx: {y}"));
            }
        }
    }
    assert!(n >= 10, "only {n} fixtures");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
