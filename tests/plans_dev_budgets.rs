//! Budget amounts of the development plans (`../shared/plans-dev/`: plans in
//! templates the corpus never showed, with exact gold), in both renditions
//! of each plan, TXT and DOCX, and for the Serbian plans also the text in
//! the other script (codes and amounts do not change with the script). An amount is keyed as the set's scorer keys
//! it: the element it belongs to (the activity code, else the goal or
//! measure), its year, and value × scale to the cent; matching is by
//! multiset. Each file must reach F1 ≥ 0.95, and so must the same keys
//! with the total mark (`is_total`) added. Prints every file's figures.
//! Skips with a note when `../shared/plans-dev` is absent.

mod support;

use planrec::read::{ReadOptions, read_bytes, read_path};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Normalization's tables of the embedded mapping files, built once for
/// this test binary.
fn norm() -> &'static planrec::normalize::Norm {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded).norm()
}

/// `(element, year, amount in cents, is_total)`.
type Key = (Option<String>, Option<i64>, i64, bool);

/// A code as the scorer compares it: no final dot, the gold's "0" (an
/// uncoded general goal) as none.
fn code(c: Option<&str>) -> Option<String> {
    let c = c?.trim().trim_end_matches('.').trim();
    (!c.is_empty() && c != "0").then(|| c.to_string())
}

fn cents(v: f64) -> i64 {
    // Amounts are compared to the cent.
    (v * 100.0).round() as i64
}

fn gold_keys(gold: &Value) -> Vec<Key> {
    gold["budgets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let value = b["value"].as_f64()?;
            let scale = b["scale"].as_f64().unwrap_or(1.0);
            Some((
                code(b["parent"].as_str()),
                b["year"].as_i64(),
                cents(value * scale),
                b["is_total"].as_bool().unwrap_or(false),
            ))
        })
        .collect()
}

fn record_keys(rec: &planrec::extract::PlanRecord) -> Vec<Key> {
    rec.budgets
        .iter()
        .filter_map(|b| {
            let value = b.value?;
            Some((
                code(b.activity.as_deref().or(b.parent.as_deref())),
                b.year.map(i64::from),
                cents(value * f64::from(b.scale)),
                b.is_total,
            ))
        })
        .collect()
}

/// `(expected, found, correct)` of two multisets, with or without the total
/// mark.
fn compare(gold: &[Key], found: &[Key], with_total: bool) -> (usize, usize, usize) {
    let strip = |k: &Key| (k.0.clone(), k.1, k.2, with_total && k.3);
    let mut want: BTreeMap<Key, usize> = BTreeMap::new();
    for k in gold {
        *want.entry(strip(k)).or_insert(0) += 1;
    }
    let mut correct = 0;
    for k in found {
        if let Some(n) = want.get_mut(&strip(k))
            && *n > 0
        {
            *n -= 1;
            correct += 1;
        }
    }
    (gold.len(), found.len(), correct)
}

fn f1((expected, found, correct): (usize, usize, usize)) -> f64 {
    let p = if found == 0 {
        if expected == 0 { 1.0 } else { 0.0 }
    } else {
        correct as f64 / found as f64
    };
    let r = if expected == 0 {
        1.0
    } else {
        correct as f64 / expected as f64
    };
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[test]
fn plans_dev_budget_amounts() {
    let Some(dir) =
        support::shared::dir("plans_dev_budget_amounts", "plans-dev", &["gold", "docs"])
    else {
        return;
    };
    let mut golds: Vec<PathBuf> = std::fs::read_dir(dir.join("gold"))
        .expect("plans-dev gold dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("json"))
        .collect();
    golds.sort();
    assert!(!golds.is_empty(), "no plans-dev gold files");
    let mut failures = Vec::new();
    let mut checked = 0;
    for g in golds {
        let gold: Value = serde_json::from_slice(&std::fs::read(&g).expect("read gold"))
            .unwrap_or_else(|e| panic!("{}: {e}", g.display()));
        let want = gold_keys(&gold);
        let Some(stem) = g.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        for form in ["txt", "docx", "other script"] {
            let ext = if form == "docx" { "docx" } else { "txt" };
            let path = dir.join("docs").join(format!("{stem}.{ext}"));
            if !path.is_file() {
                eprintln!("note: {} absent, skipped", path.display());
                continue;
            }
            let doc = if form == "other script" {
                if !stem.contains("_sr-") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("plans-dev text is UTF-8");
                let other = if stem.contains("_sr-Cyrl") {
                    norm().to_latin(&text)
                } else {
                    norm().to_cyrillic(&text)
                };
                read_bytes(
                    Path::new("other.txt"),
                    other.as_bytes(),
                    &ReadOptions::default(),
                )
                .unwrap_or_else(|e| panic!("{} ({form}): {e}", path.display()))
            } else {
                read_path(&path, &ReadOptions::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            };
            let rec = planrec::extract::extract(&doc, vocab());
            let found = record_keys(&rec);
            let amounts = compare(&want, &found, false);
            let totals = compare(&want, &found, true);
            let (a, t) = (f1(amounts), f1(totals));
            eprintln!(
                "{stem} ({form}): {} gold, {} found, {} correct: F1 {a:.3}; with the total mark F1 {t:.3}",
                amounts.0, amounts.1, amounts.2
            );
            if a < 0.95 || t < 0.95 {
                failures.push(format!("{stem} ({form}): F1 {a:.3}, with totals {t:.3}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no plans-dev document read");
    assert!(failures.is_empty(), "budget F1 below 0.95: {failures:#?}");
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
