//! `planrec check` against the inconsistencies a person found by reading
//! every corpus plan line by line (`fixtures/consistency/<plan>.json`), and
//! against the planted ones of `../shared/plans-dev/` (skipped with a note
//! when that folder is absent).
//!
//! A fixture item is found when a finding of its class (`kind`) has a side
//! on one of its anchor lines. A finding that touches no anchor line of any
//! item is a false alarm: there must be none, on any plan. Recall over the
//! corpus must stay at least [`RECALL`]; the per-class counts are printed.

mod support;

use planrec::align::report::Finding;
use planrec::read::{ReadOptions, read_path};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Share of the annotated corpus inconsistencies the checks must find.
const RECALL: f64 = 0.8;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check_file(path: &Path) -> Vec<Finding> {
    let doc = read_path(path, &ReadOptions::default()).expect("the plan reads");
    let rec = planrec::extract::extract(&doc, vocab());
    planrec::check::check(&rec, vocab()).findings
}

fn lines(f: &Finding) -> BTreeSet<u32> {
    [&f.a, &f.b]
        .into_iter()
        .flatten()
        .filter_map(|p| p.provenance.line)
        .flat_map(|[x, y]| x..=y)
        .collect()
}

fn numbers(v: &Value) -> BTreeSet<u32> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_u64())
                .map(|x| x as u32)
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Default)]
struct Tally {
    found: u32,
    missed: u32,
    false_alarms: u32,
}

#[test]
fn corpus_inconsistencies_are_found_without_false_alarms() {
    let dir = root().join("fixtures/consistency");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/consistency exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    // Every corpus plan has its reading.
    for e in std::fs::read_dir(root().join("corpus")).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "txt") {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            assert!(
                files
                    .iter()
                    .any(|f| f.file_stem().unwrap().to_string_lossy() == stem),
                "no fixtures/consistency/{stem}.json"
            );
        }
    }
    let mut by_class: BTreeMap<String, Tally> = BTreeMap::new();
    let mut alarms = Vec::new();
    let mut missed = Vec::new();
    for file in &files {
        let fx: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .expect("the fixture is JSON");
        let doc = root().join(fx["doc"].as_str().expect("doc"));
        let findings = check_file(&doc);
        let items = fx["inconsistencies"].as_array().expect("inconsistencies");
        let mut anchors = BTreeSet::new();
        for item in items {
            let class = item["class"].as_str().expect("class").to_string();
            let at = numbers(&item["anchor_lines"]);
            anchors.extend(at.iter().copied());
            let hit = findings
                .iter()
                .any(|f| f.kind.as_str() == class && !lines(f).is_disjoint(&at));
            let t = by_class.entry(class).or_default();
            if hit {
                t.found += 1;
            } else {
                t.missed += 1;
                missed.push(format!("{} {}", item["id"], item["description"]));
            }
        }
        for f in &findings {
            if lines(f).is_disjoint(&anchors) {
                by_class.entry(f.kind.to_string()).or_default().false_alarms += 1;
                alarms.push(format!(
                    "{}: {}",
                    doc.display(),
                    planrec::align::view::finding_line(f)
                ));
            }
        }
    }
    let (mut found, mut total) = (0, 0);
    for (class, t) in &by_class {
        eprintln!(
            "{class:12} found {:2}  missed {:2}  false alarms {}",
            t.found, t.missed, t.false_alarms
        );
        found += t.found;
        total += t.found + t.missed;
    }
    for m in &missed {
        eprintln!("missed: {m}");
    }
    assert!(alarms.is_empty(), "false alarms:\n{}", alarms.join("\n"));
    let recall = f64::from(found) / f64::from(total.max(1));
    eprintln!("recall {found}/{total} = {recall:.3}");
    assert!(recall >= RECALL, "recall {recall:.3} below {RECALL}");
}

#[test]
fn plans_dev_planted_inconsistencies_are_found_and_clean_plans_have_none() {
    let Some(dir) = support::shared::dir(
        "plans_dev_planted_inconsistencies_are_found_and_clean_plans_have_none",
        "plans-dev",
        &["consistency"],
    ) else {
        return;
    };
    let cons: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("consistency/vranje_2025-2028_sr-Cyrl.consistency.json"))
            .unwrap(),
    )
    .unwrap();
    for ext in ["txt", "docx"] {
        let findings = check_file(&dir.join(format!("docs/vranje_2025-2028_sr-Cyrl.{ext}")));
        let mut explained = BTreeSet::new();
        for p in cons["planted"].as_array().unwrap() {
            let at = numbers(&p["anchor_lines"]);
            let docx: Vec<(u64, Option<u64>)> = p["anchor_docx"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|d| (d["block"].as_u64().unwrap_or(0), d["row"].as_u64()))
                        .collect()
                })
                .unwrap_or_default();
            let hits: Vec<usize> = findings
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    !lines(f).is_disjoint(&at)
                        || [&f.a, &f.b].into_iter().flatten().any(|s| {
                            let pr = &s.provenance;
                            pr.line.is_none()
                                && docx.iter().any(|(b, r)| {
                                    pr.block == Some(*b as usize)
                                        && r.is_none_or(|r| pr.row == Some(r as usize))
                                })
                        })
                })
                .map(|(i, _)| i)
                .collect();
            assert!(
                !hits.is_empty(),
                "{ext}: {} not found: {findings:#?}",
                p["id"]
            );
            explained.extend(hits);
        }
        let other: Vec<&Finding> = findings
            .iter()
            .enumerate()
            .filter(|(i, _)| !explained.contains(i))
            .map(|(_, f)| f)
            .collect();
        assert!(
            other.is_empty(),
            "{ext}: findings not about a planted error: {other:#?}"
        );
    }
    // The other plans are internally consistent.
    let mut docs: Vec<PathBuf> = std::fs::read_dir(dir.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().contains("vranje"))
        .collect();
    docs.sort();
    for d in docs {
        let f = check_file(&d);
        assert!(f.is_empty(), "{}: {f:#?}", d.display());
    }
}

/// Findings of a plan text given in memory (as a `.txt` named `name`).
fn check_text(name: &str, text: &str) -> Vec<Finding> {
    let doc = planrec::read::read_bytes(Path::new(name), text.as_bytes(), &ReadOptions::default())
        .expect("the plan reads");
    planrec::check::check(&planrec::extract::extract(&doc, vocab()), vocab()).findings
}

/// The `total` findings whose stated side is running text (no table).
fn text_totals(findings: &[Finding]) -> Vec<(u32, f64, f64)> {
    findings
        .iter()
        .filter(|f| f.kind.as_str() == "total")
        .filter_map(|f| {
            let a = f.a.as_ref()?;
            let b = f.b.as_ref()?;
            (a.provenance.table.is_none() && b.provenance.table.is_some()).then(|| {
                (
                    a.provenance.line.map_or(0, |l| l[0]),
                    f.found.unwrap_or(f64::NAN),
                    f.expected.unwrap_or(f64::NAN),
                )
            })
        })
        .collect()
}

/// A total in running text against the tables' total: Ljubovija states
/// its whole-plan and per-year totals in words ("66,67 милиона",
/// "у 2028. … укупно 30,3 милиона"), rounded, and they agree with its
/// tables; changed by a million, each is found against the table's total
/// of the same scope (whole plan, or that year), and the sentences without
/// a total word before their amount ("у првој години … 12,8 милиона") are
/// not compared.
#[test]
fn running_text_totals_against_table_totals() {
    let name = "ljubovija_2026-2028_sr-Cyrl.txt";
    let text = std::fs::read_to_string(root().join("corpus").join(name)).unwrap();
    assert_eq!(text_totals(&check_text(name, &text)), vec![]);
    let changed = text
        .replace("(66,67 милиона", "(68,67 милиона")
        .replace("укупно 30,3 милиона", "укупно 31,3 милиона")
        .replace("потребно 12,8 милиона", "потребно 14,8 милиона");
    assert_ne!(changed, text);
    let found = text_totals(&check_text(name, &changed));
    assert_eq!(
        found,
        vec![
            (735, 68_670_000.0, 66_675_000.0),
            (739, 31_300_000.0, 30_350_000.0)
        ]
    );
}

/// The same class on unseen templates (plans-dev): each plan's sentence
/// "ukupna … sredstva … iznose X" agrees with its tables; changed, it is
/// found.
#[test]
fn running_text_totals_on_plans_dev() {
    let Some(dir) =
        support::shared::dir("running_text_totals_on_plans_dev", "plans-dev", &["docs"])
    else {
        return;
    };
    for (name, from, to) in [
        (
            "kikinda_2025-2028_sr-Latn.txt",
            "iznose 37,98 miliona",
            "iznose 39,98 miliona",
        ),
        (
            "pljevlja_2025-2028_sr-Latn-ije.txt",
            "iznosi 1.501.900,00 €",
            "iznosi 1.511.900,00 €",
        ),
        (
            "vranje_2025-2028_sr-Cyrl.txt",
            "износе 38,4 милиона",
            "износе 39,4 милиона",
        ),
    ] {
        let text = std::fs::read_to_string(dir.join("docs").join(name)).unwrap();
        assert_eq!(text_totals(&check_text(name, &text)), vec![], "{name}");
        assert!(text.contains(from), "{name}");
        let found = text_totals(&check_text(name, &text.replace(from, to)));
        assert_eq!(found.len(), 1, "{name}: {found:?}");
    }
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
