//! The one writer (issue 13, item 5) and the tables made by the workers
//! (issue 16): a run's `tables/*.csv` are the bytes the rows of its JSON
//! outputs give when read back; no fragment or temporary file outlives a
//! run; the shard key needs the document facts only.

use planrec::align::{Alignment, Check};
use planrec::batch::{self, Options};
use planrec::emit::tables::{NAMES, RecordRef, Rows, Tables};
use std::path::{Path, PathBuf};

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("writer-{tag}"))
}

/// Three corpus plans, two of them the versions of one plan (so there is
/// an alignment and its findings).
fn input(tag: &str) -> Scratch {
    let d = tmp(tag).into_sub("in");
    std::fs::create_dir_all(&d).unwrap();
    for name in [
        "plandiste_2019_sr-Cyrl.txt",
        "mitrovica-south_2024-2026_sq-Latn.txt",
        "mitrovica-south_2024-2026_sr-Latn.txt",
    ] {
        std::fs::copy(manifest().join("corpus").join(name), d.join(name)).unwrap();
    }
    d
}

fn json<T: serde::de::DeserializeOwned>(p: &Path) -> T {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Every file name under `dir`, recursively, hidden ones included.
fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn run_tables_equal_the_rows_of_the_outputs_read_back() {
    let inp = input("readback");
    let out = inp.parent().unwrap().join("out");
    let opts = Options {
        jobs: 2,
        ..Options::default()
    };
    let report = batch::run(&inp, &out, &opts, &|_| {}).unwrap();
    assert!(
        report.summary.failures.is_empty(),
        "{:?}",
        report.summary.failures
    );
    assert_eq!(report.summary.pairs.len(), 1, "the Mitrovica pair");

    // The tables as the end of a run made them before the workers did:
    // from the records, checks and alignments on disk, in path order.
    let want_dir = inp.parent().unwrap().join("want");
    let mut t = Tables::create(&want_dir).unwrap();
    for d in &report.summary.documents {
        let view = planrec::emit::tables::read_record(
            &out.join("records").join(format!("{}.json", d.name)),
        )
        .unwrap();
        let mut rows = Rows::of_record(vocab().norm(), &RecordRef::from(&view)).unwrap();
        let check: Check = json(&out.join("checks").join(format!("{}.json", d.name)));
        rows.add_check(&check, &format!("checks/{}.json", d.name))
            .unwrap();
        t.append(rows).unwrap();
    }
    for p in &report.summary.pairs {
        let al: Alignment = json(&out.join("alignments").join(format!("{}.json", p.name)));
        t.append(Rows::of_alignment(&al, &format!("alignments/{}.json", p.name)).unwrap())
            .unwrap();
    }
    t.finish().unwrap();
    let mut findings = 0;
    for name in NAMES {
        let got = std::fs::read(out.join("tables").join(format!("{name}.csv"))).unwrap();
        let want = std::fs::read(want_dir.join(format!("{name}.csv"))).unwrap();
        assert!(
            got == want,
            "tables/{name}.csv differs from its read-back rows"
        );
        if name == "findings" {
            findings = got.iter().filter(|&&b| b == b'\n').count();
        }
    }
    assert!(findings > 1, "the findings table has rows");

    // Nothing of the workers' fragments or of a temporary file stays.
    let files = all_files(&out);
    assert!(
        files.iter().all(|f| !f.contains(".planrec-rows")
            && !planrec::emit::is_temporary(f.rsplit('/').next().unwrap_or(f))),
        "{files:?}"
    );
    std::fs::remove_dir_all(inp.parent().unwrap()).unwrap();
}

#[test]
fn leftovers_of_an_interrupted_run_are_removed() {
    let inp = input("leftovers");
    let out = inp.parent().unwrap().join("out");
    let opts = Options {
        jobs: 1,
        ..Options::default()
    };
    batch::run(&inp, &out, &opts, &|_| {}).unwrap();
    let first = std::fs::read(out.join("tables/budgets.csv")).unwrap();
    // What a killed run leaves: a fragment, a half-written table.
    let frag = out.join(".planrec-rows/docs");
    std::fs::create_dir_all(&frag).unwrap();
    std::fs::write(frag.join("stale"), b"not a fragment").unwrap();
    let half = out.join("tables/.budgets.csv.tmp.1.2");
    std::fs::write(&half, b"document,").unwrap();
    batch::run(&inp, &out, &opts, &|_| {}).unwrap();
    assert!(!out.join(".planrec-rows").exists());
    assert!(!half.exists());
    assert_eq!(
        std::fs::read(out.join("tables/budgets.csv")).unwrap(),
        first
    );
    std::fs::remove_dir_all(inp.parent().unwrap()).unwrap();
}

#[test]
fn a_fragment_that_is_not_one_is_an_error_naming_it() {
    let d = tmp("fragment");
    let mut t = Tables::create(&d.join("tables")).unwrap();
    let from = Path::new("rows/x");
    for bad in [&b"short"[..], &[0xff; 56][..], &[0u8; 57][..]] {
        let e = t.append_fragment(bad, from).unwrap_err();
        assert!(e.to_string().contains("rows/x"), "{e}");
    }
    // An empty fragment (seven empty tables) is fine.
    t.append_fragment(&[0u8; 56], from).unwrap();
    drop(t);
    // Dropped unfinished: no table and no temporary file.
    assert_eq!(all_files(&d.join("tables")), Vec::<String>::new());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn document_facts_are_what_extraction_records() {
    let ro = planrec::read::ReadOptions::default();
    for e in std::fs::read_dir(manifest().join("corpus"))
        .unwrap()
        .flatten()
    {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let doc = planrec::read::read_path(&p, &ro).unwrap();
        let facts = planrec::extract::facts(&doc, vocab());
        let full = planrec::extract::extract(&doc, vocab());
        assert_eq!(facts, full.document, "{}", p.display());
        assert!(facts.municipality_id.is_some(), "{}", p.display());
    }
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
