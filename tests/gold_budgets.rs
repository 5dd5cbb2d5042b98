//! Every budget amount of the hand-checked gold files (`../shared/gold/`)
//! against the records of their seeds, as TXT, as every DOCX rendition of
//! the same text (`fixtures/seeds-docx/`), in the other Serbian script and
//! in windows-1251: parent, source, year, raw,
//! value, scale and currency must all match. Prints precision and recall;
//! the target is at least 99% both ways. Skips with a note when
//! `../shared` is absent.
//!
//! Gold gives one `parent` per amount: the activity code when the amount
//! belongs to an activity, else the goal or measure. The record splits that
//! into `parent` (goal or measure) and `activity`; the activity's own parent
//! is checked against the gold activity list.

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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(parent, source, year, raw, value, scale, currency)`.
type Key = (
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    u64,
    Option<String>,
);

fn num_key(v: Option<f64>) -> Option<String> {
    // Compare numbers by value, not by how JSON spelled them (3150 vs 3150.0).
    v.map(|x| format!("{x:.6}"))
}

fn gold_key(b: &Value) -> Key {
    (
        b["parent"].as_str().map(str::to_string),
        b["source"].as_str().map(str::to_string),
        b["year"].as_i64(),
        b["raw"].as_str().unwrap_or_default().to_string(),
        num_key(b["value"].as_f64()),
        b["scale"].as_u64().unwrap_or(1),
        b["currency"].as_str().map(str::to_string),
    )
}

fn record_key(b: &planrec::extract::record::Budget) -> Key {
    (
        b.activity.clone().or_else(|| b.parent.clone()),
        b.source.clone(),
        b.year.map(i64::from),
        b.raw.clone(),
        num_key(b.value),
        u64::from(b.scale),
        b.currency.clone(),
    )
}

/// The corpus name of a seed: the corpus text with the same bytes.
fn corpus_twin(seed: &Path) -> Option<PathBuf> {
    let bytes = std::fs::read(seed).ok()?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .find(|p| std::fs::read(p).ok().as_deref() == Some(bytes.as_slice()))
}

fn display(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_string()
}

fn renditions(seed: &Path) -> Vec<PathBuf> {
    let mut out = vec![seed.to_path_buf()];
    if let Some(twin) = corpus_twin(seed)
        && let Some(stem) = twin.file_stem().and_then(|s| s.to_str())
        && let Ok(entries) = std::fs::read_dir(root().join("fixtures/seeds-docx"))
    {
        let mut docx: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".docx"))
            })
            .collect();
        docx.sort();
        out.extend(docx);
    }
    out
}

#[test]
fn budgets_match_gold() {
    let Some(shared) = support::shared::dir("budgets_match_gold", "", &["gold", "seeds"]) else {
        return;
    };
    let mut golds: Vec<PathBuf> = std::fs::read_dir(shared.join("gold"))
        .expect("gold dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("json"))
        .collect();
    golds.sort();
    assert!(!golds.is_empty(), "no gold files");
    let mut total_gold = 0usize;
    let mut checked = 0usize;
    for g in golds {
        let gold: Value = serde_json::from_slice(&std::fs::read(&g).expect("read gold"))
            .unwrap_or_else(|e| panic!("{}: {e}", g.display()));
        let Some(budgets) = gold["budgets"].as_array() else {
            continue;
        };
        let Some(doc) = gold["doc"].as_str() else {
            continue;
        };
        let seed = shared.join("seeds").join(doc);
        if !seed.is_file() {
            eprintln!("note: {} absent, skipped", seed.display());
            continue;
        }
        // Gold activity code → its goal or measure.
        let activity_parent: BTreeMap<String, Option<String>> = gold["activities"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| {
                Some((
                    a["code"].as_str()?.to_string(),
                    a["parent"].as_str().map(str::to_string),
                ))
            })
            .collect();
        let mut want: BTreeMap<Key, usize> = BTreeMap::new();
        for b in budgets {
            *want.entry(gold_key(b)).or_insert(0) += 1;
        }
        total_gold += budgets.len();
        // The same plan in the forms it is checked in: the seed, its DOCX
        // renditions, the seed in the other Serbian script, and (Cyrillic
        // seeds) in windows-1251.
        let mut forms: Vec<(String, planrec::Document, bool)> = Vec::new();
        for path in renditions(&seed) {
            let d = read_path(&path, &ReadOptions::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            forms.push((display(&path), d, false));
        }
        let text = std::fs::read_to_string(&seed).expect("seed is UTF-8");
        if gold["language"].as_str() == Some("sr") {
            let cyrillic = gold["script"].as_str() == Some("Cyrl");
            let other = if cyrillic {
                norm().to_latin(&text)
            } else {
                norm().to_cyrillic(&text)
            };
            let name = format!(
                "{} ({})",
                display(&seed),
                if cyrillic { "Latn" } else { "Cyrl" }
            );
            let d = read_bytes(Path::new(&name), other.as_bytes(), &ReadOptions::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            forms.push((name, d, true));
            if cyrillic {
                let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
                let name = format!("{} (windows-1251)", display(&seed));
                let d = read_bytes(Path::new(&name), &bytes, &ReadOptions::default())
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                forms.push((name, d, false));
            }
        }
        for (name, docm, other_script) in forms {
            let rec = planrec::extract::extract(&docm, vocab());
            // In the other script, gold's words are compared transliterated.
            let want: BTreeMap<Key, usize> = if other_script {
                let conv = |s: &str| {
                    if gold["script"].as_str() == Some("Cyrl") {
                        norm().to_latin(s)
                    } else {
                        norm().to_cyrillic(s)
                    }
                };
                want.iter()
                    .map(|(k, n)| {
                        let mut k = k.clone();
                        k.1 = k.1.as_deref().map(conv);
                        (k, *n)
                    })
                    .collect()
            } else {
                want.clone()
            };
            let path = PathBuf::from(&name);
            let mut got: BTreeMap<Key, usize> = BTreeMap::new();
            for b in &rec.budgets {
                *got.entry(record_key(b)).or_insert(0) += 1;
            }
            let matched: usize = want
                .iter()
                .map(|(k, n)| (*n).min(got.get(k).copied().unwrap_or(0)))
                .sum();
            let n_got = rec.budgets.len();
            let n_want = budgets.len();
            let precision = if n_got == 0 {
                if n_want == 0 { 1.0 } else { 0.0 }
            } else {
                matched as f64 / n_got as f64
            };
            let recall = if n_want == 0 {
                1.0
            } else {
                matched as f64 / n_want as f64
            };
            println!(
                "{name}: {matched}/{n_want} gold amounts found, {n_got} extracted; precision {:.1}%, recall {:.1}%",
                precision * 100.0,
                recall * 100.0
            );
            let missing: Vec<&Key> = want
                .iter()
                .filter(|(k, n)| got.get(*k).copied().unwrap_or(0) < **n)
                .map(|(k, _)| k)
                .take(5)
                .collect();
            let extra: Vec<&Key> = got
                .iter()
                .filter(|(k, n)| want.get(*k).copied().unwrap_or(0) < **n)
                .map(|(k, _)| k)
                .take(5)
                .collect();
            assert!(
                precision >= 0.99 && recall >= 0.99,
                "{}: precision {precision:.3}, recall {recall:.3}; missing e.g. {missing:?}; extra e.g. {extra:?}",
                path.display()
            );
            // An activity's amounts sit under the activity's own goal or
            // measure.
            for b in &rec.budgets {
                if let Some(a) = &b.activity
                    && let Some(p) = activity_parent.get(a)
                {
                    assert_eq!(
                        &b.parent,
                        p,
                        "{}: budget {} of activity {a}",
                        path.display(),
                        b.id
                    );
                }
            }
            checked += 1;
        }
    }
    println!("{total_gold} gold amounts, {checked} records checked");
    assert!(checked > 0, "no gold file with budgets was checked");
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
