//! Which documents of a batch are versions of one plan.
//!
//! In: records. Out: pairs with a confidence and the evidence for it, and
//! the records left without a partner. Evidence, strongest first: the
//! municipality (`document.municipality_id` when the extraction found one,
//! else the names compared through folding and transliteration, so that
//! `Južna Mitrovica`, `Јужна Митровица` and `Mitrovicës së Jugut` meet on
//! their common stem), the reference number, the period, the date, the
//! shape of the tables and the fingerprint of the numbers (every figure
//! that is not a year or a small count). A document keeps at most one
//! counterpart per kind of version (language, script, file format): the
//! one it and its counterpart each score best.

use super::report::{Pair, Pairing};
use super::tokens;
use crate::extract::PlanRecord;
use crate::normalize::fold;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Below this a pair is not reported.
const THRESHOLD: f64 = 0.5;

struct Profile {
    municipality_id: Option<String>,
    stems: BTreeSet<String>,
    reference: Option<String>,
    period: Option<(Option<i32>, Option<i32>)>,
    date: Option<String>,
    values: Vec<i64>,
    shape: Vec<usize>,
}

/// Words that name a municipality rather than being its name.
const GENERIC: &[&str] = &[
    "opstina",
    "opstine",
    "opstini",
    "komuna",
    "komunes",
    "komunen",
    "municipality",
    "grad",
    "grada",
    "skupstina",
    "kuvendi",
];

fn stems(s: &str) -> BTreeSet<String> {
    fold::key(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !GENERIC.contains(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// Name stems of the municipality: from the record, else from the words
/// after "Opština"/"Komuna"/"Општина" in the opening paragraphs.
fn municipality_stems(r: &PlanRecord) -> BTreeSet<String> {
    if let Some(m) = &r.document.municipality {
        return stems(m);
    }
    let mut out = BTreeSet::new();
    for p in r.paragraphs.iter().take(25) {
        let k = fold::key(&p.text);
        let words: Vec<&str> = k.split(|c: char| !c.is_alphanumeric()).collect();
        for (i, w) in words.iter().enumerate() {
            if GENERIC.contains(w) {
                for n in words.iter().skip(i + 1).take(4) {
                    if n.chars().count() >= 4 && !GENERIC.contains(n) {
                        out.insert(n.chars().take(5).collect());
                    }
                }
            }
        }
    }
    out
}

fn profile(r: &PlanRecord) -> Profile {
    let values = tokens::fingerprint(r);
    Profile {
        municipality_id: r.document.municipality_id.clone(),
        stems: municipality_stems(r),
        reference: r.document.reference.as_ref().map(|s| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-'))
                .collect()
        }),
        period: r.document.period.map(|p| (p.from, p.to)),
        date: r.document.date_iso.clone(),
        values,
        shape: r.tables.iter().map(|t| t.rows.len()).collect(),
    }
}

fn score(a: &Profile, b: &Profile) -> (f64, Vec<String>) {
    let mut s = 0.0;
    let mut ev = Vec::new();
    match (&a.municipality_id, &b.municipality_id) {
        (Some(x), Some(y)) if x == y => {
            s += 0.3;
            ev.push(format!("municipality {x}"));
        }
        (Some(x), Some(y)) => {
            s -= 0.6;
            ev.push(format!("different municipalities {x} / {y}"));
        }
        _ => {
            let common: Vec<&String> = a.stems.intersection(&b.stems).collect();
            if !common.is_empty() {
                s += 0.25;
                ev.push(format!(
                    "municipality name ({})",
                    common
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if let (Some(x), Some(y)) = (&a.reference, &b.reference)
        && !x.is_empty()
    {
        if x == y {
            s += 0.3;
            ev.push(format!("reference {x}"));
        } else {
            s -= 0.1;
        }
    }
    if let (Some(x), Some(y)) = (a.period, b.period) {
        if x == y {
            s += 0.1;
            ev.push(format!(
                "period {}–{}",
                x.0.map(|v| v.to_string()).unwrap_or_default(),
                x.1.map(|v| v.to_string()).unwrap_or_default()
            ));
        } else {
            s -= 0.3;
            ev.push("different periods".to_string());
        }
    }
    if let (Some(x), Some(y)) = (&a.date, &b.date)
        && x == y
    {
        s += 0.1;
        ev.push(format!("date {x}"));
    }
    let shape = if a.shape.is_empty() && b.shape.is_empty() {
        0.0
    } else {
        let (n, m) = (a.shape.len(), b.shape.len());
        let same = a.shape.iter().zip(&b.shape).filter(|(x, y)| x == y).count();
        same as f64 / n.max(m) as f64
    };
    if shape > 0.0 {
        s += 0.1 * shape;
        ev.push(format!("structure {:.2}", shape));
    }
    let d = super::compare::dice(&a.values, &b.values);
    if d > 0.0 {
        s += 0.5 * d;
        ev.push(format!("numbers {:.2}", d));
    }
    (s.clamp(0.0, 1.0), ev)
}

pub fn pair(records: &[&PlanRecord]) -> Pairing {
    let profiles: Vec<Profile> = records.par_iter().map(|r| profile(r)).collect();
    let n = profiles.len();
    // Every pair above the threshold is a candidate.
    let candidates: Vec<Pair> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let profiles = &profiles;
            (i + 1..n).filter_map(move |j| {
                let (c, evidence) = score(&profiles[i], &profiles[j]);
                (c >= THRESHOLD).then(|| Pair {
                    a: i,
                    b: j,
                    confidence: (c * 1000.0).round() / 1000.0,
                    evidence,
                })
            })
        })
        .collect();
    // A version of a plan has one counterpart per kind of version (language,
    // script, file format): each document keeps, per kind, its best
    // candidate, and a pair stands when each side is the other's best. Many
    // plans of one municipality and period in one batch then stay apart
    // instead of all pairing with all.
    let kind = |i: usize| {
        let r = records[i];
        (
            r.document.language.as_deref(),
            r.document.script.as_deref(),
            r.source.format.as_str(),
        )
    };
    let mut best: std::collections::HashMap<(usize, _), (f64, usize)> =
        std::collections::HashMap::new();
    for p in &candidates {
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            let e = best
                .entry((me, kind(other)))
                .or_insert((p.confidence, other));
            // Higher confidence first; on a tie the earlier document.
            if p.confidence > e.0 || (p.confidence == e.0 && other < e.1) {
                *e = (p.confidence, other);
            }
        }
    }
    let pairs: Vec<Pair> = candidates
        .into_iter()
        .filter(|p| {
            best.get(&(p.a, kind(p.b))).map(|e| e.1) == Some(p.b)
                && best.get(&(p.b, kind(p.a))).map(|e| e.1) == Some(p.a)
        })
        .collect();
    let paired: BTreeSet<usize> = pairs.iter().flat_map(|p| [p.a, p.b]).collect();
    Pairing {
        pairs,
        unpaired: (0..records.len()).filter(|i| !paired.contains(i)).collect(),
    }
}
