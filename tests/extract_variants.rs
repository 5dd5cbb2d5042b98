//! Every seed gives the same plan record whatever form it comes in: other
//! encodings (windows-1250 / windows-1251 / UTF-16LE with BOM), CRLF line
//! endings, the other Serbian script, and its DOCX renditions. The
//! variants are generated here from `corpus/*.txt`; nothing is committed.
//!
//! Same means: for re-encodings and CRLF the whole record apart from
//! `source`, `provenance` and the encoding diagnostics; for the other
//! script the codes, kinds, parents, counts, numbers and the `latn` texts
//! (the `original` text is in the other script by design); for DOCX the
//! plan structure (what `extract_records` also checks, here with indicator
//! values and amounts listed one by one).
//!
//! Also: nothing is invented from tables that are not plan matrices (the
//! non-matrix tables of the seeds on their own, and `../shared/docx-wild`).

mod support;

use planrec::extract::{
    extract,
    record::{PlanRecord, TableRole},
};
use planrec::read::{ReadOptions, read_bytes, read_path};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Normalization's tables of the embedded mapping files, built once for
/// this test binary.
fn norm() -> &'static planrec::normalize::Norm {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded).norm()
}

const SEEDS: &[&str] = &[
    "irig_2022-2027_sr-Cyrl",
    "ljubovija_2026-2028_sr-Cyrl",
    "mitrovica-south_2024-2026_sq-Latn",
    "mitrovica-south_2024-2026_sr-Latn",
    "plandiste_2019_sr-Cyrl",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn from_bytes(name: &str, bytes: &[u8]) -> PlanRecord {
    let doc = read_bytes(Path::new(name), bytes, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    extract(&doc, vocab())
}

fn seed_text(seed: &str) -> String {
    let p = root().join(format!("corpus/{seed}.txt"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Drops `provenance` keys, recursively.
fn strip(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("provenance");
            m.values_mut().for_each(strip);
        }
        Value::Array(a) => a.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The whole record but its source, provenance and what the reader says
/// about the encoding it detected.
fn full_view(rec: &PlanRecord) -> Value {
    let mut v = serde_json::to_value(rec).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("source");
        if let Some(Value::Array(d)) = m.get_mut("diagnostics") {
            d.retain(|x| {
                !x.get("code")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains("encoding"))
            });
        }
    }
    strip(&mut v);
    v
}

/// What must not depend on the script: structure, numbers and the Latin
/// forms of the texts.
fn script_view(rec: &PlanRecord) -> Value {
    let objectives: Vec<Value> = rec
        .objectives
        .iter()
        .map(|o| {
            json!([
                o.kind,
                o.code,
                o.parent,
                o.parent_id,
                o.text.latn,
                o.fields.keys().collect::<Vec<_>>()
            ])
        })
        .collect();
    let activities: Vec<Value> = rec
        .activities
        .iter()
        .map(|a| {
            let fields: Vec<Value> = a
                .fields
                .iter()
                .map(|(k, f)| {
                    json!([
                        k,
                        f.period,
                        f.money,
                        f.numbers.iter().map(|n| n.value).collect::<Vec<_>>()
                    ])
                })
                .collect();
            json!([a.code, a.parent, a.parent_ids, a.text.latn, fields])
        })
        .collect();
    let indicators: Vec<Value> = rec
        .indicators
        .iter()
        .map(|i| {
            let values: Vec<Value> = i
                .values
                .iter()
                .map(|x| json!([x.year, x.kind, x.value]))
                .collect();
            json!([i.parent, i.parent_id, i.name.latn, values])
        })
        .collect();
    let budgets: Vec<Value> = rec
        .budgets
        .iter()
        .map(|b| json!([b.parent, b.activity, b.year, b.value, b.scale, b.currency]))
        .collect();
    let tables: Vec<Value> = rec
        .tables
        .iter()
        .map(|t| json!([t.role, t.scale, t.rows.len()]))
        .collect();
    json!({
        "objectives": objectives,
        "activities": activities,
        "indicators": indicators,
        "budgets": budgets,
        "tables": tables,
        "period": rec.document.period,
        "language": rec.document.language,
    })
}

/// The plan structure, as the DOCX renditions must give it.
fn plan_view(rec: &PlanRecord) -> Value {
    let mut v = json!({
        "objectives": rec.objectives,
        "activities": rec.activities,
        "indicators": rec.indicators,
        "budgets": rec.budgets,
        "abbreviations": rec.abbreviations,
    });
    strip(&mut v);
    v
}

/// The first place two JSON values differ, as a path and both sides.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            first_difference(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                &format!("{path}.{k}"),
            )
        }),
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{path}[{i}]")))
            .or_else(|| {
                (x.len() != y.len()).then(|| format!("{path}: {} vs {} items", x.len(), y.len()))
            }),
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

fn check(problems: &mut Vec<String>, what: &str, a: &Value, b: &Value) {
    if let Some(d) = first_difference(a, b, "") {
        problems.push(format!("{what}: {d}"));
    }
}

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn other_encodings_and_line_endings_give_the_same_record() {
    let mut problems = Vec::new();
    for seed in SEEDS {
        let legacy = if seed.ends_with("Cyrl") {
            encoding_rs::WINDOWS_1251
        } else {
            encoding_rs::WINDOWS_1250
        };
        // Characters the code page lacks (superscript footnote marks, check
        // marks) become '?', as a legacy "save as" writes them; every
        // variant is made from that text.
        let text: String = seed_text(seed)
            .chars()
            .map(|c| {
                let mut b = [0u8; 4];
                if legacy.encode(c.encode_utf8(&mut b)).2 {
                    '?'
                } else {
                    c
                }
            })
            .collect();
        let base = full_view(&from_bytes(&format!("{seed}.txt"), text.as_bytes()));
        let (bytes, _, unmappable) = legacy.encode(&text);
        assert!(
            !unmappable,
            "{seed}: not representable in {}",
            legacy.name()
        );
        let variants: Vec<(String, Vec<u8>)> = vec![
            (legacy.name().to_string(), bytes.into_owned()),
            ("UTF-16LE".into(), utf16le_bom(&text)),
            ("CRLF".into(), text.replace('\n', "\r\n").into_bytes()),
            (
                format!("CRLF {}", legacy.name()),
                legacy.encode(&text.replace('\n', "\r\n")).0.into_owned(),
            ),
        ];
        for (name, bytes) in variants {
            let rec = from_bytes(&format!("{seed}.txt"), &bytes);
            check(
                &mut problems,
                &format!("{seed} {name}"),
                &base,
                &full_view(&rec),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_other_serbian_script_gives_the_same_plan() {
    let mut problems = Vec::new();
    for seed in SEEDS.iter().filter(|s| s.contains("_sr-")) {
        let text = seed_text(seed);
        let base = from_bytes(&format!("{seed}.txt"), text.as_bytes());
        let other = if seed.ends_with("Cyrl") {
            norm().to_latin(&text)
        } else {
            norm().to_cyrillic(&text)
        };
        assert_ne!(other, text, "{seed}: transliteration changed nothing");
        let rec = from_bytes(&format!("{seed}.txt"), other.as_bytes());
        check(
            &mut problems,
            &format!("{seed} transliterated"),
            &script_view(&base),
            &script_view(&rec),
        );
        let script = if seed.ends_with("Cyrl") {
            "Latn"
        } else {
            "Cyrl"
        };
        if rec.document.script.map(|s| s.as_str()) != Some(script) {
            problems.push(format!(
                "{seed} transliterated: script {:?}, expected {script}",
                rec.document.script
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn docx_renditions_give_the_same_plan() {
    let mut problems = Vec::new();
    for seed in SEEDS {
        let base = plan_view(&from_bytes(
            &format!("{seed}.txt"),
            seed_text(seed).as_bytes(),
        ));
        for writer in ["libreoffice", "pandoc"] {
            let p = root().join(format!("fixtures/seeds-docx/{seed}.{writer}.docx"));
            if !p.exists() {
                problems.push(format!("missing {}", p.display()));
                continue;
            }
            let doc = read_path(&p, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            check(
                &mut problems,
                &format!("{seed} {writer}"),
                &base,
                &plan_view(&extract(&doc, vocab())),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each table of a seed that the extraction does not read as a matrix (nor
/// as indicator rows), given alone as a document, yields no objectives and
/// no activities.
#[test]
fn tables_that_are_not_matrices_invent_nothing() {
    let mut problems = Vec::new();
    let mut total = 0;
    for seed in SEEDS {
        let p = root().join(format!("corpus/{seed}.txt"));
        let text = seed_text(seed);
        let rec = from_bytes(&format!("{seed}.txt"), text.as_bytes());
        let lines: Vec<&str> = text.lines().collect();
        let mut tried = 0;
        for t in rec.tables.iter().filter(|t| t.role == TableRole::Other) {
            let Some([from, to]) = t.provenance.line else {
                continue;
            };
            // The table's own lines only: no goal paragraph above it.
            let (from, to) = (from as usize, to as usize);
            let body = lines[from.saturating_sub(1)..to.min(lines.len())].join("\n");
            let alone = from_bytes("table.txt", body.as_bytes());
            tried += 1;
            if !alone.objectives.is_empty() || !alone.activities.is_empty() {
                problems.push(format!(
                    "{} lines {from}-{to} (table {}): {} objectives, {} activities from a non-matrix table",
                    p.display(),
                    t.id,
                    alone.objectives.len(),
                    alone.activities.len()
                ));
            }
        }
        eprintln!("{seed}: {tried} non-matrix tables tried alone");
        total += tried;
    }
    assert!(total > 20, "only {total} non-matrix tables in the seeds");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Real-world DOCX files that are not plans: no objectives, no activities.
#[test]
fn documents_that_are_not_plans_invent_no_plan() {
    let Some(dir) = support::shared::dir(
        "documents_that_are_not_plans_invent_no_plan",
        "docx-wild",
        &[],
    ) else {
        return;
    };
    let mut files = Vec::new();
    let mut todo = vec![dir];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "docx") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 100,
        "only {} wild documents found",
        files.len()
    );
    // Debug builds are slow; a stride keeps the sample spread over the set.
    let stride = if cfg!(debug_assertions) { 4 } else { 1 };
    let mut problems = Vec::new();
    let mut n = 0;
    for p in files.iter().step_by(stride) {
        let Ok(doc) = read_path(p, &ReadOptions::default()) else {
            continue;
        };
        n += 1;
        let rec = extract(&doc, vocab());
        if !rec.activities.is_empty() || !rec.objectives.is_empty() {
            problems.push(format!(
                "{}: {} objectives, {} activities, first {:?}",
                p.display(),
                rec.objectives.len(),
                rec.activities.len(),
                rec.objectives
                    .first()
                    .map(|o| &o.text.original)
                    .or(rec.activities.first().map(|a| &a.text.original))
            ));
        }
    }
    eprintln!("{n} of {} wild documents extracted", files.len());
    assert!(n > 50, "only {n} wild documents could be read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
