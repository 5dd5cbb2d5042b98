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
pub const THRESHOLD: f64 = 0.5;

#[derive(Debug, Clone)]
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

/// What pairing needs of one document: small, so a batch of any size keeps
/// one per document in memory instead of the records.
#[derive(Debug, Clone)]
pub struct PairKey {
    profile: Profile,
    /// Kind of version: language, script, file format.
    kind: (Option<String>, Option<String>, String),
}

/// The pairing key of a record.
pub fn key(r: &PlanRecord) -> PairKey {
    PairKey {
        profile: profile(r),
        kind: (
            r.document.language.clone(),
            r.document.script.clone(),
            r.source.format.clone(),
        ),
    }
}

/// Confidence (0–1) that two records are versions of one plan, with its
/// evidence, whatever the threshold (for `planrec align` to warn on).
pub fn confidence(a: &PlanRecord, b: &PlanRecord) -> (f64, Vec<String>) {
    let (c, ev) = score(&profile(a), &profile(b));
    ((c * 1000.0).round() / 1000.0, ev)
}

pub fn pair(records: &[&PlanRecord]) -> Pairing {
    let keys: Vec<PairKey> = records.par_iter().map(|r| key(r)).collect();
    let refs: Vec<&PairKey> = keys.iter().collect();
    pair_keys(&refs)
}

/// Bottom-k sketch size of a document's numbers for blocking.
const SKETCH: usize = 8;
/// A blocking key shared by more documents than this is too common to be
/// evidence of anything on its own (a round figure, a common stem).
const MAX_BLOCK: usize = 512;

fn mix(x: u64) -> u64 {
    // splitmix64's finalizer: a fixed, well-spread order of the values.
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Blocking keys of one profile: only documents that share one are scored.
/// A pair can reach the threshold only on shared evidence (the same
/// municipality id, a common name stem where an id is missing, the same
/// reference, or shared figures), so each kind of evidence is a block; the
/// figures are blocked by a bottom-k sketch, which two documents sharing
/// many figures share too.
fn blocks(p: &Profile) -> Vec<(u8, u64)> {
    use std::hash::{Hash, Hasher};
    let h = |tag: u8, s: &str| {
        let mut st = std::collections::hash_map::DefaultHasher::new();
        tag.hash(&mut st);
        s.hash(&mut st);
        (tag, st.finish())
    };
    let mut out = Vec::new();
    if let Some(m) = &p.municipality_id {
        out.push(h(0, m));
    }
    // Stems count when one side lacks an id; both kinds index them, and
    // the pair check below drops stem-only pairs of two ids.
    for s in &p.stems {
        out.push(h(1, s));
    }
    if let Some(r) = p.reference.as_deref().filter(|r| !r.is_empty()) {
        out.push(h(2, r));
    }
    let mut sketch: Vec<u64> = p.values.iter().map(|&v| mix(v as u64)).collect();
    sketch.sort_unstable();
    sketch.dedup();
    out.extend(sketch.into_iter().take(SKETCH).map(|v| (3, v)));
    out
}

/// [`pair`] over keys. Candidates come from blocks (see [`blocks`]), so the
/// work grows with the documents and the sizes of their blocks, not with
/// the square of the batch; two documents with different municipality ids
/// are never a pair.
pub fn pair_keys(keys: &[&PairKey]) -> Pairing {
    let n = keys.len();
    let doc_blocks: Vec<Vec<(u8, u64)>> = keys.par_iter().map(|k| blocks(&k.profile)).collect();
    let mut index: std::collections::HashMap<(u8, u64), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, bs) in doc_blocks.iter().enumerate() {
        for b in bs {
            let v = index.entry(*b).or_default();
            // Documents are visited in order, so a posting holds each once.
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    // Every pair above the threshold within a block is a candidate.
    let candidates: Vec<Pair> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut others: Vec<usize> = Vec::new();
            for b in &doc_blocks[i] {
                let Some(list) = index.get(b) else { continue };
                if b.0 != 0 && list.len() > MAX_BLOCK {
                    continue;
                }
                let from = list.partition_point(|&j| j <= i);
                others.extend_from_slice(&list[from..]);
            }
            others.sort_unstable();
            others.dedup();
            others.into_iter().filter_map(move |j| {
                let (a, b) = (&keys[i].profile, &keys[j].profile);
                if let (Some(x), Some(y)) = (&a.municipality_id, &b.municipality_id)
                    && x != y
                {
                    return None;
                }
                let (c, evidence) = score(a, b);
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
        let k = &keys[i].kind;
        (k.0.as_deref(), k.1.as_deref(), k.2.as_str())
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
        unpaired: (0..n).filter(|i| !paired.contains(i)).collect(),
    }
}
