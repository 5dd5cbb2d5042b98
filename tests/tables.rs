//! The flat tables (`OUT/tables/*.csv`) over the bundled corpus: the
//! analyst questions of README answered from the CSVs alone, with the
//! numbers the plans themselves state; the same bytes for `-j1` and
//! `-j2`; `extract -o` writes them too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("tables-{tag}"))
}

fn run(out: &Path, jobs: &str) {
    let st = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("run")
        .arg(manifest().join("corpus"))
        .arg("-o")
        .arg(out)
        .args(["-j", jobs, "--quiet"])
        .status()
        .unwrap();
    assert!(st.success(), "planrec run failed: {st}");
}

/// A CSV as rows of column → value.
fn read(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let unique: BTreeSet<&String> = head.iter().collect();
    assert_eq!(
        unique.len(),
        head.len(),
        "{}: a column name repeats",
        path.display()
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn f(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?} is no number", row[col]))
}

/// The corpus run once, shared by the questions. It outlives every test, so
/// it lives in cargo's per-target scratch directory (replaced on each run),
/// not in a guard removed on drop.
fn corpus_tables() -> PathBuf {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tables-corpus");
        let _ = std::fs::remove_dir_all(&out);
        run(&out, "2");
        out.join("tables")
    })
    .clone()
}

#[test]
fn total_planned_budget_per_municipality_and_year() {
    // SELECT municipality_id, year, sum(amount) FROM budgets WHERE counted GROUP BY ALL
    let rows = read(&corpus_tables().join("budgets.csv"));
    let mut sums: BTreeMap<(String, String), f64> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["counted"] == "true") {
        *sums
            .entry((r["municipality_id"].clone(), r["year"].clone()))
            .or_default() += f(r, "amount");
    }
    let get = |m: &str, y: &str| sums.get(&(m.to_string(), y.to_string())).copied();
    // Ljubovija states its plan-wide totals by year in "Процена извора
    // финансирања по годинама": 12.800, 23.525 and 30.350 thousand RSD.
    assert_eq!(get("rs-ljubovija", "2026"), Some(12_800_000.0), "{sums:#?}");
    assert_eq!(get("rs-ljubovija", "2027"), Some(23_525_000.0));
    assert_eq!(get("rs-ljubovija", "2028"), Some(30_350_000.0));
    // Its period total (66.675 thousand) is counted once, all of it by year.
    assert_eq!(
        get("rs-ljubovija", "").unwrap_or(0.0),
        0.0,
        "counted amounts without a year"
    );
    let lj: f64 = sums
        .iter()
        .filter(|(k, _)| k.0 == "rs-ljubovija")
        .map(|(_, v)| v)
        .sum();
    assert_eq!(lj, 66_675_000.0);
    // The plan's own grand totals agree with the counted sums: every
    // total row of the plan-wide table equals its parts, which are counted
    // or sum counted entries.
    let lj_rows: Vec<_> = rows
        .iter()
        .filter(|r| r["municipality_id"] == "rs-ljubovija")
        .collect();
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
        lj_rows.iter().map(|r| (r["id"].as_str(), *r)).collect();
    for r in lj_rows
        .iter()
        .filter(|r| r["is_total"] == "true" || r["is_subtotal"] == "true")
    {
        if r["parts"].is_empty() {
            continue;
        }
        let parts: f64 = r["parts"].split(';').map(|id| f(by_id[id], "amount")).sum();
        assert!(
            (parts - f(r, "amount")).abs() < 0.5,
            "{} does not sum its parts",
            r["id"]
        );
    }
    // Every non-counted entry says why.
    for r in &rows {
        if r["counted"] == "false" && !r["amount"].is_empty() {
            assert!(
                r["is_total"] == "true" || r["is_subtotal"] == "true" || !r["restates"].is_empty(),
                "{} {} not counted without a reason",
                r["document"],
                r["id"]
            );
        }
    }
}

#[test]
fn every_amount_of_a_one_year_plan_has_its_year() {
    // SELECT document, count(*) FILTER (WHERE year IS NULL) FROM budgets GROUP BY document
    let rows = read(&corpus_tables().join("budgets.csv"));
    let pl: Vec<_> = rows
        .iter()
        .filter(|r| r["municipality_id"] == "rs-plandiste")
        .collect();
    assert_eq!(pl.len(), 48);
    assert!(
        pl.iter()
            .all(|r| r["year"] == "2019" && !r["year_from"].is_empty()),
        "from the plan's one-year period, or a caption naming that year"
    );
    // amount = value × scale, already multiplied.
    for r in &rows {
        if !r["value"].is_empty() {
            assert_eq!(f(r, "amount"), f(r, "value") * f(r, "scale"));
        }
    }
}

#[test]
fn activities_whose_implementer_is_the_centre_for_social_work() {
    // SELECT DISTINCT document, parent_id FROM activity_institutions
    //  WHERE name_latn ILIKE '%centar za socijalni rad%'
    //     OR name_latn ILIKE '%qendra për punë sociale%'
    let rows = read(&corpus_tables().join("activity_institutions.csv"));
    let mut hits: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        let n = r["name_latn"].to_lowercase();
        if n.contains("centar za socijalni rad") || n.contains("qendra për punë sociale") {
            hits.entry(r["document"].clone())
                .or_default()
                .insert(r["parent_id"].clone());
        }
    }
    let n = |d: &str| hits.get(d).map_or(0, BTreeSet::len);
    assert!(n("ljubovija_2026-2028_sr-Cyrl.txt") > 0, "{hits:?}");
    // Mitrovica writes only `CSR` / `QPS`: found through its glossary, the
    // same activities in both languages.
    let sq = n("mitrovica-south_2024-2026_sq-Latn.txt");
    let sr = n("mitrovica-south_2024-2026_sr-Latn.txt");
    assert!(sq > 0 && sq == sr, "sq {sq}, sr {sr}");
    assert!(
        rows.iter()
            .any(|r| r["raw"] == "QPS" && r["abbreviations"] == "QPS")
    );
    // Every activity id is one of activities.csv.
    let acts: BTreeSet<(String, String)> = read(&corpus_tables().join("activities.csv"))
        .into_iter()
        .map(|r| (r["document"].clone(), r["id"].clone()))
        .collect();
    for r in &rows {
        assert!(acts.contains(&(r["document"].clone(), r["parent_id"].clone())));
    }
}

#[test]
fn budget_by_source_kind_and_every_table_keyed() {
    // SELECT municipality_id, year, source_kind, sum(amount) FROM budgets
    //  WHERE counted GROUP BY ALL
    let dir = corpus_tables();
    let rows = read(&dir.join("budgets.csv"));
    let local_2026: f64 = rows
        .iter()
        .filter(|r| {
            r["counted"] == "true"
                && r["municipality_id"] == "rs-ljubovija"
                && r["year"] == "2026"
                && r["source_kind"] == "local"
        })
        .map(|r| f(r, "amount"))
        .sum();
    // "Буџетска средства Општине", 2026: 11.150 thousand.
    assert_eq!(local_2026, 11_150_000.0);
    // Every table has the plan key and rows for the corpus.
    let plans = read(&dir.join("plans.csv"));
    assert_eq!(plans.len(), 5);
    // Every table the writer knows but `plans` (checked above).
    for name in planrec::emit::tables::NAMES
        .iter()
        .filter(|n| **n != "plans")
    {
        let rows = read(&dir.join(format!("{name}.csv")));
        assert!(!rows.is_empty(), "{name}.csv is empty");
        for r in &rows {
            assert!(
                !r["document"].is_empty() && !r["id"].is_empty(),
                "{name}: {r:?}"
            );
        }
    }
}

#[test]
fn tables_are_the_same_bytes_for_any_jobs() {
    let (a, b) = (tmp("j1"), tmp("j2"));
    run(&a, "1");
    run(&b, "2");
    // Every table the writer knows, so a new one is covered too.
    for name in planrec::emit::tables::NAMES {
        let file = format!("tables/{name}.csv");
        assert_eq!(
            std::fs::read(a.join(&file)).unwrap(),
            std::fs::read(b.join(&file)).unwrap(),
            "{file} differs between -j1 and -j2"
        );
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn extract_with_an_output_directory_writes_the_tables() {
    let out = tmp("extract");
    let st = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("extract")
        .arg(manifest().join("corpus/plandiste_2019_sr-Cyrl.txt"))
        .arg(manifest().join("corpus/irig_2022-2027_sr-Cyrl.txt"))
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    let plans = read(&out.join("tables/plans.csv"));
    // Input order.
    assert_eq!(plans.len(), 2);
    assert!(plans[0]["document"].contains("plandiste"));
    assert_eq!(read(&out.join("tables/budgets.csv")).len(), 48);
    assert!(read(&out.join("tables/findings.csv")).is_empty());
    let _ = std::fs::remove_dir_all(&out);
}
