//! Plan records of the corpus as a whole: the same input gives the same
//! bytes; every seed's TXT and its DOCX renditions (`fixtures/seeds-docx/`,
//! written by LibreOffice and by pandoc) give the same plan apart from
//! provenance and source; coverage counts are consistent; metadata agrees
//! with the gold files; and `planrec extract` works for one file to stdout
//! and for several with `-o`.

use planrec::emit::canonical_json;
use planrec::extract::PlanRecord;
use planrec::extract::record::TableRole;
use planrec::read::{ReadOptions, read_path};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

/// Normalization's tables of the embedded vocabulary.
fn norm() -> &'static planrec::normalize::Norm {
    vocab().norm()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn record(path: &Path) -> PlanRecord {
    let doc = read_path(path, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    planrec::extract::extract(&doc, vocab())
}

fn corpus() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("txt"))
        .collect();
    out.sort();
    out
}

fn docx_of(txt: &Path) -> Vec<PathBuf> {
    let stem = txt.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/seeds-docx"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".docx"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn same_input_same_bytes() {
    for f in corpus() {
        let a = canonical_json(&record(&f)).unwrap();
        let b = canonical_json(&record(&f)).unwrap();
        assert!(a == b, "{}: two runs differ", f.display());
    }
    let docx = root().join("fixtures/seeds-docx/ljubovija_2026-2028_sr-Cyrl.libreoffice.docx");
    assert_eq!(
        canonical_json(&record(&docx)).unwrap(),
        canonical_json(&record(&docx)).unwrap()
    );
}

/// Drops every `provenance` key and collapses whitespace in every string,
/// recursively.
///
/// Writer exception: LibreOffice keeps the space that ends a list item
/// before the line break ("…године; \nБрој…") where the text and pandoc have
/// none, so raw cell texts differ in whitespace only. Strings are compared
/// with whitespace runs collapsed; every other character must match.
fn strip(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("provenance");
            for x in m.values_mut() {
                strip(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip),
        Value::String(s) => *s = s.split_whitespace().collect::<Vec<_>>().join(" "),
        _ => {}
    }
}

/// The parts of a record that must not depend on the file format.
fn plan_view(rec: &PlanRecord) -> Value {
    let mut v = serde_json::json!({
        "objectives": rec.objectives,
        "activities": rec.activities,
        "indicators": rec.indicators,
        "budgets": rec.budgets,
        "abbreviations": rec.abbreviations,
        "document": {
            "language": rec.document.language,
            "script": rec.document.script,
            "title": rec.document.title,
            "municipality": rec.document.municipality,
            "municipality_id": rec.document.municipality_id,
            "reference": rec.document.reference,
            "date": rec.document.date,
            "date_iso": rec.document.date_iso,
            "period": rec.document.period,
        },
    });
    strip(&mut v);
    v
}

/// The first place two JSON values differ, as a path and both sides.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                if let Some(d) = first_difference(l, r, &format!("{path}.{k}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(l, r, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}: {} vs {} items", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

#[test]
fn txt_and_docx_renditions_agree() {
    // Both writers keep the seeds' text, tables and lists; the one change a
    // writer makes (whitespace at the end of list items) is described at
    // `strip`. Any other difference fails with its path.
    let mut compared = 0;
    for txt in corpus() {
        let want = plan_view(&record(&txt));
        let docx = docx_of(&txt);
        assert!(!docx.is_empty(), "{}: no DOCX rendition", txt.display());
        for d in docx {
            let got = plan_view(&record(&d));
            if let Some(diff) = first_difference(&want, &got, "$") {
                panic!("{} vs {}: {diff}", txt.display(), d.display());
            }
            compared += 1;
        }
    }
    assert!(compared >= 10, "{compared} renditions compared");
}

#[test]
fn coverage_is_consistent() {
    let mut files = corpus();
    for t in corpus() {
        files.extend(docx_of(&t));
    }
    for f in files {
        let rec = record(&f);
        let c = &rec.coverage;
        assert!(c.cells_placed <= c.cells_in, "{}: {c:?}", f.display());
        assert!(c.chars_placed <= c.chars_in, "{}: {c:?}", f.display());
        assert!(
            c.paragraphs_placed <= c.paragraphs_in,
            "{}: {c:?}",
            f.display()
        );
        let cells: u64 = rec
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .filter(|c| !c.text.trim().is_empty())
            .count() as u64;
        assert_eq!(
            cells,
            c.cells_in,
            "{}: every non-empty cell counted",
            f.display()
        );
        assert_eq!(
            rec.paragraphs.len() as u64,
            c.paragraphs_in,
            "{}: every paragraph counted",
            f.display()
        );
        // Budget ids run b1, b2, … and every amount keeps its place.
        for (i, b) in rec.budgets.iter().enumerate() {
            assert_eq!(b.id, format!("b{}", i + 1));
            assert!(
                b.provenance.line.is_some() || b.provenance.table.is_some(),
                "{}: budget {} without a place",
                f.display(),
                b.id
            );
            assert!(b.scale == 1 || b.scale == 1000 || b.scale == 1_000_000);
        }
        // Cells that carry budgets are counted as placed.
        if !rec.budgets.is_empty() {
            assert!(c.cells_placed > 0, "{}", f.display());
        }
    }
}

#[test]
fn metadata_of_the_seeds() {
    let m = |name: &str| record(&root().join("corpus").join(name)).document;
    let d = m("mitrovica-south_2024-2026_sr-Latn.txt");
    assert_eq!(d.municipality.as_deref(), Some("Južna Mitrovica"));
    assert_eq!(d.reference.as_deref(), Some("02-060/01-0074434-5/24"));
    assert_eq!(d.date.as_deref(), Some("26.11.2024"));
    assert_eq!(d.date_iso.as_deref(), Some("2024-11-26"));
    let period = d.period.expect("period");
    assert_eq!((period.from, period.to), (Some(2024), Some(2026)));
    let sq = m("mitrovica-south_2024-2026_sq-Latn.txt");
    // The parallel versions name the municipality in their own language but
    // share its id.
    assert_eq!(sq.municipality_id, d.municipality_id);
    assert_eq!(sq.municipality_id.as_deref(), Some("xk-mitrovica-south"));
    assert_eq!(sq.reference, d.reference);
    assert_eq!(sq.date_iso, d.date_iso);
    assert_eq!(
        sq.title.map(|t| t.original).as_deref(),
        Some("PLANI I VEPRIMIT PËR SHËRBIME SOCIALE E FAMILJARE")
    );
    // The same plan in Cyrillic: the same metadata, names in Cyrillic.
    let latin =
        std::fs::read_to_string(root().join("corpus/mitrovica-south_2024-2026_sr-Latn.txt"))
            .expect("seed");
    let cyr = norm().to_cyrillic(&latin);
    let doc = planrec::read::read_bytes(
        Path::new("cyr.txt"),
        cyr.as_bytes(),
        &ReadOptions::default(),
    )
    .expect("reads");
    let c = planrec::extract::extract(&doc, vocab()).document;
    assert_eq!(c.municipality.as_deref(), Some("Јужна Митровица"));
    assert_eq!(
        (&c.municipality_id, &c.reference, &c.date_iso, &c.period),
        (&d.municipality_id, &d.reference, &d.date_iso, &d.period)
    );
    let lj = m("ljubovija_2026-2028_sr-Cyrl.txt");
    assert_eq!(lj.municipality.as_deref(), Some("Љубовија"));
    assert_eq!(lj.municipality_id.as_deref(), Some("rs-ljubovija"));
    let period = lj.period.expect("period");
    assert_eq!((period.from, period.to), (Some(2026), Some(2028)));
    assert_eq!(
        lj.title.map(|t| t.original).as_deref(),
        Some(
            "Програм унапређења социјалне заштите у општини Љубовија за период од 2026 до 2028 године"
        )
    );
    let pl = m("plandiste_2019_sr-Cyrl.txt");
    assert_eq!(pl.municipality_id.as_deref(), Some("rs-plandiste"));
    assert_eq!(
        m("irig_2022-2027_sr-Cyrl.txt").municipality_id.as_deref(),
        Some("rs-irig")
    );
}

#[test]
fn glossaries() {
    let rec = record(&root().join("corpus/mitrovica-south_2024-2026_sr-Latn.txt"));
    let csr = rec
        .abbreviations
        .iter()
        .find(|a| a.abbr == "CSR")
        .expect("CSR");
    assert_eq!(csr.expansion, "Centar za Socijalni Rad");
    assert_eq!(rec.abbreviations.len(), 35);
    let lj = record(&root().join("corpus/ljubovija_2026-2028_sr-Cyrl.txt"));
    let ap = lj
        .abbreviations
        .iter()
        .find(|a| a.abbr == "АП")
        .expect("АП");
    assert_eq!(ap.expansion, "Акциони план");
    assert!(lj.tables.iter().any(|t| t.role == TableRole::Glossary));
    // Plans without a glossary have none.
    let irig = record(&root().join("corpus/irig_2022-2027_sr-Cyrl.txt"));
    assert!(irig.abbreviations.is_empty());
}

#[test]
fn bulleted_activities_pair_with_amounts() {
    let rec = record(&root().join("corpus/plandiste_2019_sr-Cyrl.txt"));
    // Goal 10's row is split by a page break: its one activity above, two
    // more below, three amounts below; all three pair up.
    let ten: Vec<_> = rec
        .budgets
        .iter()
        .filter(|b| b.parent.as_deref() == Some("10"))
        .collect();
    assert_eq!(ten.len(), 3);
    assert!(
        ten[0]
            .label
            .as_deref()
            .is_some_and(|l| l.starts_with("Потписани протоколи"))
    );
    assert_eq!(ten[2].value, Some(2_000_000.0));
    assert!(
        ten.iter()
            .all(|b| b.currency.as_deref() == Some("RSD") && b.scale == 1)
    );
    assert!(
        !rec.diagnostics
            .iter()
            .any(|d| d.code == "budget_list_mismatch"),
        "every row pairs"
    );
    // Every amount is linked to the activity record it pays for (the
    // activities have no codes, so the link is the id).
    for b in &rec.budgets {
        let Some(id) = b.activity_id.as_deref() else {
            panic!("{} unlinked", b.id);
        };
        let a = rec
            .activities
            .iter()
            .find(|a| a.id == id)
            .expect("linked activity exists");
        if let Some(label) = &b.label {
            let words = a
                .text
                .original
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(&words, label);
        }
    }
    // Plans without money amounts give no budgets.
    for name in [
        "irig_2022-2027_sr-Cyrl.txt",
        "mitrovica-south_2024-2026_sr-Latn.txt",
        "mitrovica-south_2024-2026_sq-Latn.txt",
    ] {
        assert!(
            record(&root().join("corpus").join(name)).budgets.is_empty(),
            "{name}"
        );
    }
}

/// A path not yet created, in a directory removed when the value is dropped.
fn tmp(name: &str) -> Scratch {
    scratch::scratch(&format!("extract-{name}")).into_sub("out")
}

#[test]
fn cli_one_file_to_stdout() {
    let f = root().join("corpus/plandiste_2019_sr-Cyrl.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .arg(&f)
        .output()
        .expect("run planrec");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same bytes as the library's canonical JSON.
    assert_eq!(out.stdout, canonical_json(&record(&f)).unwrap());
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["schema"], "plan-record/1");
}

#[test]
fn cli_several_files_with_out_dir() {
    let dir = tmp("several");
    let files = [
        root().join("corpus/plandiste_2019_sr-Cyrl.txt"),
        root().join("fixtures/seeds-docx/plandiste_2019_sr-Cyrl.pandoc.docx"),
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .args(&files)
        .arg("-o")
        .arg(&dir)
        .output()
        .expect("run planrec");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    for (f, name) in files.iter().zip([
        "plandiste_2019_sr-Cyrl.json",
        "plandiste_2019_sr-Cyrl.pandoc.json",
    ]) {
        let written = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(written, canonical_json(&record(f)).unwrap(), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);

    // Several files without -o: JSON Lines, one record a line, in order
    // (tests/cli.rs checks them in depth); a missing file fails and is named.
    let out = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .args(&files)
        .output()
        .expect("run planrec");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        files.len()
    );
    let missing = root().join("corpus/no-such-plan.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .arg(&missing)
        .output()
        .expect("run planrec");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-plan.txt"));
}

/// `extract -o` never drops a record because two inputs share a stem or a
/// file name (it used to write one `a.json` for `a.txt a.docx`); the same
/// file named twice is written once.
#[test]
fn cli_out_dir_keeps_every_record_when_names_meet() {
    let dir = tmp("names-meet");
    let src = tmp("names-meet-src");
    let _ = std::fs::remove_dir_all(&src);
    for d in ["x", "y"] {
        std::fs::create_dir_all(src.join(d)).expect("mkdir");
    }
    let txt = root().join("corpus/plandiste_2019_sr-Cyrl.txt");
    let docx = root().join("fixtures/seeds-docx/plandiste_2019_sr-Cyrl.pandoc.docx");
    let irig = root().join("corpus/irig_2022-2027_sr-Cyrl.txt");
    let copies = [
        (txt.clone(), src.join("x/plan.txt")),
        (docx.clone(), src.join("x/plan.docx")),
        (irig.clone(), src.join("y/plan.txt")),
    ];
    for (from, to) in &copies {
        std::fs::copy(from, to).expect("copy");
    }
    let inputs = [
        src.join("x/plan.txt"),
        src.join("x/plan.docx"),
        src.join("y/plan.txt"),
        src.join("x/plan.txt"),
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .args(&inputs)
        .arg("-o")
        .arg(&dir)
        .output()
        .expect("run planrec");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut written: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("out dir")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| std::fs::read(e.path()).expect("read record"))
        .collect();
    written.sort();
    let mut want: Vec<Vec<u8>> = copies
        .iter()
        .map(|(_, to)| canonical_json(&record(to)).unwrap())
        .collect();
    want.sort();
    assert_eq!(written.len(), 3, "one record per distinct input");
    assert_eq!(written, want);
    // The flat tables hold each distinct input once, in input order (the
    // rows are built from the records in memory, not read back).
    let plans = std::fs::read_to_string(dir.join("tables/plans.csv")).expect("plans.csv");
    let files: Vec<&str> = plans
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(files.len(), 3, "{plans}");
    let activities = std::fs::read_to_string(dir.join("tables/activities.csv")).expect("csv");
    let each: usize = copies
        .iter()
        .map(|(_, to)| record(to).activities.len())
        .sum();
    assert_eq!(
        activities.lines().count() - 1,
        each,
        "activity rows, once per input"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&src);
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
