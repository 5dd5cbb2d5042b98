//! The plan structure of the gold seeds against ../shared/gold: objectives
//! (code, kind, parent, text), activities (code, parent, text, every field
//! the gold lists) and every indicator value (year, kind, raw, value).
//! Precision and recall are printed per category and must stay high. Skips
//! with a note when ../shared is absent.

mod support;

use planrec::extract::{PlanRecord, extract};
use planrec::read::{ReadOptions, read_path};
use serde_json::Value;
use std::path::PathBuf;

/// Gold entries checked by reading the source and found missing from the
/// gold: (seed file, indicator name). Seed 000 line 614 is a full indicator
/// row ("Razvoj oblika porodičnog stanovanja" with values for every
/// column) inside the Cilj 4.3 indicator table, after the last row the gold
/// lists.
const GOLD_OMITS_INDICATORS: &[(&str, &str)] = &[(
    "000_37fb9119f9f80ce6.txt",
    "Razvoj oblika porodičnog stanovanja",
)];

fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gold writes code "0" for a general goal the document does not number;
/// the record writes null.
fn gold_code(v: &Value) -> Option<String> {
    v.as_str().filter(|s| *s != "0").map(str::to_string)
}

#[derive(Default)]
struct Score {
    correct: usize,
    found: usize,
    expected: usize,
}

impl Score {
    fn p(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        }
    }
    fn r(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }
}

fn check(
    doc: &str,
    gold: &Value,
    rec: &PlanRecord,
    out: &mut [Score; 4],
    misses: &mut Vec<String>,
) {
    // Objectives: matched by (code, kind); correct when parent and text agree.
    let gobj = gold["objectives"].as_array().cloned().unwrap_or_default();
    out[0].expected += gobj.len();
    out[0].found += rec.objectives.len();
    for g in &gobj {
        let code = gold_code(&g["code"]);
        let kind = g["kind"].as_str().unwrap_or("");
        let hit = rec.objectives.iter().find(|o| {
            o.code == code
                && serde_json::to_value(o.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .as_deref()
                    == Some(kind)
        });
        match hit {
            Some(o)
                if o.parent == gold_code(&g["parent"])
                    && ws(&o.text.original) == ws(g["text"].as_str().unwrap_or("")) =>
            {
                out[0].correct += 1
            }
            Some(o) => misses.push(format!(
                "{doc} objective {code:?}: parent {:?} text {:?} (gold parent {} text {})",
                o.parent, o.text.original, g["parent"], g["text"]
            )),
            None => misses.push(format!("{doc} objective {code:?} {kind} missing")),
        }
    }
    // Activities: matched in order by (code, parent); correct when the text
    // and every gold field agree.
    let gact = gold["activities"].as_array().cloned().unwrap_or_default();
    out[1].expected += gact.len();
    out[1].found += rec.activities.len();
    let mut taken = vec![false; rec.activities.len()];
    for g in &gact {
        let code = gold_code(&g["code"]);
        let parent = gold_code(&g["parent"]);
        let Some(i) = (0..rec.activities.len()).find(|&i| {
            !taken[i] && rec.activities[i].code == code && rec.activities[i].parent == parent
        }) else {
            misses.push(format!("{doc} activity {code:?} under {parent:?} missing"));
            continue;
        };
        taken[i] = true;
        let a = &rec.activities[i];
        let mut ok = ws(&a.text.original) == ws(g["text"].as_str().unwrap_or(""));
        if !ok {
            misses.push(format!(
                "{doc} activity {code:?} text {:?} vs gold {}",
                a.text.original, g["text"]
            ));
        }
        if let Some(fields) = g["fields"].as_object() {
            for (name, gv) in fields {
                let got = a.fields.get(name).map(|f| ws(&f.raw)).unwrap_or_default();
                if got != ws(gv.as_str().unwrap_or("")) {
                    ok = false;
                    misses.push(format!(
                        "{doc} activity {code:?} field {name}: {got:?} vs gold {gv}"
                    ));
                }
            }
        }
        if ok {
            out[1].correct += 1;
        }
    }
    // Indicators and their values: indicators matched in order by (parent,
    // name); every gold value must be in the matched indicator.
    let gind = gold["indicators"].as_array().cloned().unwrap_or_default();
    let omitted = |name: &str| {
        GOLD_OMITS_INDICATORS
            .iter()
            .any(|(d, n)| *d == doc && ws(name) == ws(n))
    };
    let rec_inds: Vec<_> = rec
        .indicators
        .iter()
        .filter(|i| !omitted(&i.name.original))
        .collect();
    out[2].expected += gind.len();
    out[2].found += rec_inds.len();
    out[3].found += rec_inds.iter().map(|i| i.values.len()).sum::<usize>();
    let mut taken = vec![false; rec_inds.len()];
    for g in &gind {
        let parent = gold_code(&g["parent"]);
        let name = ws(g["name"].as_str().unwrap_or(""));
        let gvals = g["values"].as_array().cloned().unwrap_or_default();
        out[3].expected += gvals.len();
        let Some(i) = (0..rec_inds.len()).find(|&i| {
            !taken[i] && rec_inds[i].parent == parent && ws(&rec_inds[i].name.original) == name
        }) else {
            misses.push(format!("{doc} indicator {name:?} under {parent:?} missing"));
            continue;
        };
        taken[i] = true;
        out[2].correct += 1;
        for gv in &gvals {
            let year = gv["year"].as_i64().map(|y| y as i32);
            let kind = gv["kind"].as_str().unwrap_or("");
            let raw = gv["raw"].as_str().unwrap_or("");
            let value = gv["value"].as_f64();
            let hit = rec_inds[i].values.iter().any(|v| {
                v.year == year
                    && serde_json::to_value(v.kind)
                        .ok()
                        .and_then(|k| k.as_str().map(str::to_string))
                        .as_deref()
                        == Some(kind)
                    && ws(&v.raw) == ws(raw)
                    && match (v.value, value) {
                        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                        (None, None) => true,
                        _ => false,
                    }
            });
            if hit {
                out[3].correct += 1;
            } else {
                misses.push(format!("{doc} indicator {name:?} value {gv} not found"));
            }
        }
    }
}

#[test]
fn gold_structure() {
    let Some(shared) = support::shared::dir("gold_structure", "", &["gold", "seeds"]) else {
        return;
    };
    let gold_dir = shared.join("gold");
    let entries = std::fs::read_dir(&gold_dir).expect("gold dir readable");
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut scores: [Score; 4] = Default::default();
    let mut misses = Vec::new();
    for f in &files {
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(f).expect("gold file readable"))
                .expect("gold file is JSON");
        let doc = gold["doc"].as_str().unwrap_or("").to_string();
        let src = shared.join("seeds").join(&doc);
        let d = read_path(&src, &ReadOptions::default()).expect("seed readable");
        let rec = extract(&d, vocab());
        check(&doc, &gold, &rec, &mut scores, &mut misses);
    }
    for m in &misses {
        eprintln!("miss: {m}");
    }
    let names = ["objectives", "activities", "indicators", "indicator values"];
    for (n, s) in names.iter().zip(&scores) {
        eprintln!(
            "{n:>17}: precision {:.3} recall {:.3} ({} correct, {} found, {} expected)",
            s.p(),
            s.r(),
            s.correct,
            s.found,
            s.expected
        );
    }
    assert!(
        scores.iter().all(|s| s.expected > 0),
        "gold has every category"
    );
    for s in &scores[..3] {
        assert!(s.p() >= 0.98 && s.r() >= 0.98, "structure below 98%");
    }
    assert!(
        scores[3].p() >= 0.99 && scores[3].r() >= 0.99,
        "indicator values below 99%"
    );
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
