//! `review.xlsx`, as a spreadsheet reader sees it: the workbook a run of the
//! bundled corpus writes opens with `calamine`, has its sheets and header
//! rows, holds numbers as numbers, and counts the same findings, items and
//! amounts as the JSON outputs beside it; its bytes are the same for any
//! thread count and any run.

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use planrec::batch::{self, Options};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("workbook-{tag}"))
}

fn run(out: &Path, jobs: usize) -> batch::Summary {
    let opts = Options {
        jobs,
        workbook: true,
        ..Options::default()
    };
    batch::run(&manifest().join("corpus"), out, &opts, &|_| {})
        .unwrap()
        .summary
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// Rows of a sheet as maps from header to cell.
fn rows(range: &Range<Data>) -> Vec<BTreeMap<String, Data>> {
    let mut it = range.rows();
    let header: Vec<String> = it.next().unwrap().iter().map(text).collect();
    it.map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn workbook_has_the_sheets_counts_and_numbers_of_the_json_outputs() {
    let base = tmp("read");
    let out = base.join("one");
    let summary = run(&out, 1);
    // The same bytes for another thread count and another run.
    let two = base.join("two");
    run(&two, 2);
    let bytes = std::fs::read(out.join("review.xlsx")).unwrap();
    assert_eq!(
        bytes,
        std::fs::read(two.join("review.xlsx")).unwrap(),
        "-j1 and -j2 wrote different workbooks"
    );

    let mut wb: Xlsx<_> = open_workbook(out.join("review.xlsx")).unwrap();
    let sheets = wb.sheet_names();
    assert_eq!(
        sheets[..4],
        ["contents", "activities", "indicators", "budgets"]
    );
    // One sheet per pair and one per document, nothing else.
    assert!(!summary.pairs.is_empty(), "the corpus holds a pair");
    assert_eq!(
        sheets.len(),
        4 + summary.pairs.len() + summary.documents.len()
    );
    for s in &sheets {
        assert!(s.encode_utf16().count() <= 31, "{s}");
        assert!(
            !s.contains(['[', ']', ':', '*', '?', '/', '\\', '\'']),
            "{s}"
        );
    }

    // contents: every report once, its sheet, its counts.
    let contents = rows(&wb.worksheet_range("contents").unwrap());
    let mut reports: Vec<String> = summary
        .pairs
        .iter()
        .map(|p| format!("alignments/{}.json", p.name))
        .collect();
    reports.extend(
        summary
            .documents
            .iter()
            .map(|d| format!("checks/{}.json", d.name)),
    );
    let listed: Vec<String> = contents.iter().map(|r| text(&r["report"])).collect();
    assert_eq!(listed, reports);
    let mut total_findings = 0;
    for row in &contents {
        let report = json(&out.join(text(&row["report"])));
        let findings = report["findings"].as_array().unwrap();
        total_findings += findings.len();
        assert_eq!(number(&row["findings"]), Some(findings.len() as f64));
        for (severity, n) in report["summary"].as_object().unwrap() {
            assert_eq!(
                number(&row[severity]),
                n.as_f64(),
                "{severity} in {}",
                text(&row["report"])
            );
        }
        // The finding sheet: a header and one row per finding, in the
        // report's order, with both raw values and numbers as numbers.
        let sheet = text(&row["sheet"]);
        assert!(sheets.contains(&sheet), "{sheet}");
        let range = wb.worksheet_range(&sheet).unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(text).collect();
        assert_eq!(header[..3], ["id", "severity", "kind"]);
        assert!(header.iter().any(|h| h.ends_with(" raw")), "{header:?}");
        assert!(
            header
                .iter()
                .any(|h| h.contains("0-based") || h.ends_with(" place")),
            "{header:?}"
        );
        let got = rows(&range);
        assert_eq!(got.len(), findings.len(), "{sheet}");
        let side = if text(&row["kind"]) == "check" {
            "stated"
        } else {
            // A pair's sides are headed by their languages.
            let a = &report["a"]["document"];
            let lang = format!(
                "{}-{}",
                a["language"].as_str().unwrap_or(""),
                a["script"].as_str().unwrap_or("")
            );
            assert!(
                header.iter().any(|h| h.starts_with(&lang)),
                "{lang} {header:?}"
            );
            header
                .iter()
                .find(|h| h.ends_with(" raw"))
                .and_then(|h| h.strip_suffix(" raw"))
                .unwrap()
        };
        for (f, r) in findings.iter().zip(&got) {
            assert_eq!(text(&r["id"]), f["id"].as_str().unwrap());
            assert_eq!(text(&r["severity"]), f["severity"].as_str().unwrap());
            let a = &f["a"];
            if !a.is_null() {
                assert_eq!(text(&r[&format!("{side} raw")]), a["raw"].as_str().unwrap());
                assert_eq!(number(&r[&format!("{side} value")]), a["value"].as_f64());
            }
        }
    }
    assert_eq!(
        total_findings as u64,
        summary.totals.alignment_findings + summary.totals.check_findings
    );

    // Items of the whole run: one row each, numbers as numbers.
    let records: Vec<Value> = summary
        .documents
        .iter()
        .map(|d| json(&out.join("records").join(format!("{}.json", d.name))))
        .collect();
    let activities = rows(&wb.worksheet_range("activities").unwrap());
    let n_act: usize = records
        .iter()
        .map(|r| r["activities"].as_array().unwrap().len())
        .sum();
    assert!(n_act > 0);
    assert_eq!(activities.len(), n_act);
    for key in [
        "document",
        "municipality",
        "period_from",
        "language",
        "id",
        "parent",
        "code",
        "text",
        "text_latn",
        "line",
        "table",
    ] {
        assert!(activities[0].contains_key(key), "activities lacks {key}");
    }
    // Indicators: one row each, a value under its kind and year.
    let indicators = rows(&wb.worksheet_range("indicators").unwrap());
    let all: Vec<&Value> = records
        .iter()
        .flat_map(|r| r["indicators"].as_array().unwrap())
        .collect();
    assert!(!all.is_empty());
    assert_eq!(indicators.len(), all.len());
    let mut numbers = 0;
    for (i, row) in all.iter().zip(&indicators) {
        assert_eq!(text(&row["id"]), i["id"].as_str().unwrap());
        let mut seen = std::collections::BTreeSet::new();
        for v in i["values"].as_array().unwrap() {
            let kind = v["kind"].as_str().unwrap();
            let col = match v["year"].as_i64() {
                Some(y) => format!("{kind} {y}"),
                None => kind.to_string(),
            };
            if !seen.insert(col.clone()) {
                // A second value for the slot: in `more values`.
                assert!(text(&row["more values"]).contains(v["raw"].as_str().unwrap()));
                continue;
            }
            match v["value"].as_f64() {
                Some(n) => {
                    numbers += 1;
                    assert_eq!(number(&row[&col]), Some(n), "{col} {row:?}");
                }
                None => assert_eq!(text(&row[&col]), v["raw"].as_str().unwrap()),
            }
        }
    }
    assert!(numbers > 0);

    let budgets = rows(&wb.worksheet_range("budgets").unwrap());
    let entries: Vec<(&Value, &Value)> = records
        .iter()
        .flat_map(|r| r["budgets"].as_array().unwrap().iter().map(move |b| (r, b)))
        .collect();
    assert!(!entries.is_empty());
    assert_eq!(budgets.len(), entries.len());
    let mut with_value = 0;
    for ((rec, b), row) in entries.iter().zip(&budgets) {
        assert_eq!(
            text(&row["document"]),
            rec["source"]["path"].as_str().unwrap()
        );
        assert_eq!(text(&row["id"]), b["id"].as_str().unwrap());
        assert_eq!(number(&row["scale"]), b["scale"].as_f64());
        assert_eq!(number(&row["year"]), b["year"].as_f64());
        let is_total = b["is_total"].as_bool().unwrap_or(false);
        assert_eq!(row["is_total"], Data::Bool(is_total));
        match b["value"].as_f64() {
            Some(v) => {
                with_value += 1;
                assert_eq!(number(&row["value"]), Some(v), "{row:?}");
                let scale = b["scale"].as_f64().unwrap();
                assert_eq!(number(&row["amount"]), Some(v * scale), "{row:?}");
            }
            None => assert_eq!(row["value"], Data::Empty),
        }
        if !b["provenance"]["table"].is_null() {
            assert!(!text(&row["table_role"]).is_empty(), "{row:?}");
        }
    }
    assert!(with_value > 0);
}

/// The workbook is written only when asked for (`--workbook`), and a run
/// without it removes one an earlier run left, which would no longer
/// match the reports.
#[test]
fn workbook_only_when_asked_and_no_stale_one_left() {
    let out = tmp("workbook-opt-in");
    run(&out, 2);
    assert!(out.join("review.xlsx").is_file());
    let opts = Options {
        jobs: 2,
        ..Options::default()
    };
    batch::run(&manifest().join("corpus"), &out, &opts, &|_| {}).unwrap();
    assert!(!out.join("review.xlsx").exists());
    assert!(out.join("summary.json").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

/// The workbook's rows are made by the workers of the run, or of the merge
/// that copies the shards' records: merging the shards of the corpus with
/// `--workbook` writes the bytes of the unsharded run's workbook, and the
/// rows' parking directory is gone after both.
#[test]
fn merged_shards_write_the_workbook_of_the_whole_run() {
    let base = tmp("merge");
    let whole = base.join("whole");
    run(&whole, 2);
    let mut dirs = Vec::new();
    for k in 1..=2 {
        let d = base.join(format!("shard-{k}"));
        let opts = Options {
            jobs: 2,
            shard: Some(format!("{k}/2").parse().unwrap()),
            ..Options::default()
        };
        batch::run(&manifest().join("corpus"), &d, &opts, &|_| {}).unwrap();
        assert!(!d.join("review.xlsx").exists());
        dirs.push(d);
    }
    let merged = base.join("merged");
    let opts = Options {
        jobs: 2,
        workbook: true,
        ..Options::default()
    };
    batch::merge(&dirs, &merged, &opts, &|_| {}).unwrap();
    assert_eq!(
        std::fs::read(merged.join("review.xlsx")).unwrap(),
        std::fs::read(whole.join("review.xlsx")).unwrap(),
        "a merge wrote another workbook than the whole run"
    );
    for d in [&whole, &merged] {
        assert!(!d.join(".planrec-rows").exists(), "{}", d.display());
    }
    let _ = std::fs::remove_dir_all(&base);
}
