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
use crate::extract::record::DocScript;
use crate::model::Format;
use crate::normalize::lang::Language;
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

fn stems(norm: &crate::normalize::Norm, s: &str) -> BTreeSet<String> {
    norm.key(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !GENERIC.contains(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// Name stems of the municipality: from the record, else from the words
/// after "Opština"/"Komuna"/"Општина" in the opening paragraphs.
fn municipality_stems(norm: &crate::normalize::Norm, r: &PlanRecord) -> BTreeSet<String> {
    if let Some(m) = &r.document.municipality {
        return stems(norm, m);
    }
    let mut out = BTreeSet::new();
    for p in r.paragraphs.iter().take(25) {
        let k = norm.key(&p.text);
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

fn profile(norm: &crate::normalize::Norm, r: &PlanRecord) -> Profile {
    let values = tokens::fingerprint(r);
    Profile {
        municipality_id: r.document.municipality_id.clone(),
        stems: municipality_stems(norm, r),
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
    let (s, ev) = score_raw(a, b);
    (s.clamp(0.0, 1.0), ev)
}

/// The evidence summed before it is clamped to a confidence: two
/// candidates that both reach 1.0 still differ here (a truncated copy
/// shares fewer figures and tables than the intact plan does).
fn score_raw(a: &Profile, b: &Profile) -> (f64, Vec<String>) {
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
    (s, ev)
}

/// How much of a plan a document holds: table rows and figures. Of two
/// candidates as good as each other, the fuller one is the plan and the
/// other a damaged or partial copy.
fn fullness(p: &Profile) -> usize {
    p.shape.iter().sum::<usize>() + p.values.len()
}

/// What pairing needs of one document: small, so a batch of any size keeps
/// one per document in memory instead of the records.
#[derive(Debug, Clone)]
pub struct PairKey {
    profile: Profile,
    /// Kind of version: language, script, file format.
    kind: (Option<Language>, Option<DocScript>, Format),
}

/// The pairing key of a record.
pub fn key(norm: &crate::normalize::Norm, r: &PlanRecord) -> PairKey {
    PairKey {
        profile: profile(norm, r),
        kind: (r.document.language, r.document.script, r.source.format),
    }
}

/// Confidence (0–1) that two records are versions of one plan, with its
/// evidence, whatever the threshold (for `planrec align` to warn on).
pub fn confidence(
    norm: &crate::normalize::Norm,
    a: &PlanRecord,
    b: &PlanRecord,
) -> (f64, Vec<String>) {
    let (c, ev) = score(&profile(norm, a), &profile(norm, b));
    ((c * 1000.0).round() / 1000.0, ev)
}

pub fn pair(norm: &crate::normalize::Norm, records: &[&PlanRecord]) -> Pairing {
    let keys: Vec<PairKey> = records.par_iter().map(|r| key(norm, r)).collect();
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

fn tag_hash(tag: u8, s: &str) -> (u8, u64) {
    use std::hash::{Hash, Hasher};
    let mut st = std::collections::hash_map::DefaultHasher::new();
    tag.hash(&mut st);
    s.hash(&mut st);
    (tag, st.finish())
}

/// The plan-key block of a profile with a municipality id: id and period
/// when the period is known, else the id alone.
fn plan_block(p: &Profile) -> Option<(u8, u64)> {
    let m = p.municipality_id.as_deref()?;
    Some(match p.period {
        Some((from, to)) => tag_hash(1, &format!("{m}|{from:?}|{to:?}")),
        None => tag_hash(0, m),
    })
}

/// Evidence blocks of one profile besides its plan key: name stems, the
/// reference, and a bottom-k sketch of its figures (two documents sharing
/// many figures share some of their smallest hashes too).
fn evidence_blocks(p: &Profile) -> Vec<(u8, u64)> {
    let mut out: Vec<(u8, u64)> = p.stems.iter().map(|s| tag_hash(2, s)).collect();
    if let Some(r) = p.reference.as_deref().filter(|r| !r.is_empty()) {
        out.push(tag_hash(3, r));
    }
    let mut sketch: Vec<u64> = p.values.iter().map(|&v| mix(v as u64)).collect();
    sketch.sort_unstable();
    sketch.dedup();
    out.extend(sketch.into_iter().take(SKETCH).map(|v| (4, v)));
    out
}

/// Whether two profiles may be versions of one plan at all: not with
/// different municipality ids, nor with one id and different periods.
fn comparable(a: &Profile, b: &Profile) -> bool {
    match (&a.municipality_id, &b.municipality_id) {
        (Some(x), Some(y)) if x != y => false,
        (Some(_), Some(_)) => !matches!((a.period, b.period), (Some(x), Some(y)) if x != y),
        _ => true,
    }
}

type Postings = std::collections::HashMap<(u8, u64), Vec<usize>>;

fn post(index: &mut Postings, key: (u8, u64), i: usize) {
    let v = index.entry(key).or_default();
    // Documents are visited in order, so a posting holds each once.
    if v.last() != Some(&i) {
        v.push(i);
    }
}

/// For each document, the later documents it shares a block with.
fn candidates(profiles: &[&Profile]) -> Vec<Vec<usize>> {
    let n = profiles.len();
    let prof = |i: usize| profiles[i];
    let evidence: Vec<Vec<(u8, u64)>> = profiles.par_iter().map(|p| evidence_blocks(p)).collect();
    // Plan keys; for the ids, every document with the id (for documents
    // of that id without a period) and those without a period.
    let (mut plan, mut by_id, mut by_id_open) = (Postings::new(), Postings::new(), Postings::new());
    // Evidence blocks, of documents without an id and of all documents.
    let (mut ev_open, mut ev_all) = (Postings::new(), Postings::new());
    for (i, ev) in evidence.iter().enumerate() {
        let p = prof(i);
        if let Some(m) = p.municipality_id.as_deref() {
            let id = tag_hash(0, m);
            post(&mut by_id, id, i);
            match plan_block(p) {
                Some(k) if p.period.is_some() => post(&mut plan, k, i),
                _ => post(&mut by_id_open, id, i),
            }
        }
        for &b in ev {
            post(&mut ev_all, b, i);
            if p.municipality_id.is_none() {
                post(&mut ev_open, b, i);
            }
        }
    }
    (0..n)
        .into_par_iter()
        .map(|i| {
            let p = prof(i);
            let mut others: Vec<usize> = Vec::new();
            let mut take = |list: Option<&Vec<usize>>, capped: bool| {
                if let Some(list) = list
                    && !(capped && list.len() > MAX_BLOCK)
                {
                    let from = list.partition_point(|&j| j <= i);
                    others.extend_from_slice(&list[from..]);
                }
            };
            if let Some(m) = p.municipality_id.as_deref() {
                let id = tag_hash(0, m);
                if p.period.is_some() {
                    take(plan_block(p).and_then(|k| plan.get(&k)), false);
                    take(by_id_open.get(&id), false);
                } else {
                    take(by_id.get(&id), false);
                }
                // Documents without an id that share evidence.
                for b in &evidence[i] {
                    take(ev_open.get(b), true);
                }
            } else {
                for b in &evidence[i] {
                    take(ev_all.get(b), true);
                }
            }
            others.sort_unstable();
            others.dedup();
            others
        })
        .collect()
}

/// [`pair`] over keys, in near-linear time: documents are blocked by plan
/// key (municipality id and period) and only documents sharing a block
/// are scored. A document with an id meets the others of its plan key (and
/// those of its id whose period is unknown); a document without an id
/// meets those sharing a name stem, the reference or figures (blocks
/// shared by more than `MAX_BLOCK` documents say nothing and are passed
/// over). Two documents with different ids, or one id and different
/// periods, are never a pair.
pub fn pair_keys(keys: &[&PairKey]) -> Pairing {
    let n = keys.len();
    let prof = |i: usize| &keys[i].profile;
    let profiles: Vec<&Profile> = keys.iter().map(|k| &k.profile).collect();
    let others = candidates(&profiles);
    // Every comparable pair above the threshold within a block.
    let candidates: Vec<(Pair, f64)> = others
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(i, js)| {
            js.into_iter().filter_map(move |j| {
                let (a, b) = (prof(i), prof(j));
                if !comparable(a, b) {
                    return None;
                }
                let (raw, evidence) = score_raw(a, b);
                let c = raw.clamp(0.0, 1.0);
                (c >= THRESHOLD).then(|| {
                    let pair = Pair {
                        a: i,
                        b: j,
                        confidence: (c * 1000.0).round() / 1000.0,
                        evidence,
                    };
                    (pair, raw)
                })
            })
        })
        .collect();
    // A version of a plan has one counterpart per kind of version (language,
    // script, file format): each document keeps, per kind, its best
    // candidate, and a pair stands when each side is the other's best. Many
    // plans of one municipality and period in one batch then stay apart
    // instead of all pairing with all.
    let kind = |i: usize| keys[i].kind;
    // Rank of a candidate: confidence, then the evidence past the clamp,
    // then the fuller document; on a tie the earlier one. A damaged copy of
    // a plan then does not take the intact plan's counterpart.
    type Rank = (f64, f64, usize, std::cmp::Reverse<usize>);
    let better = |x: &Rank, y: &Rank| {
        x.0.total_cmp(&y.0)
            .then(x.1.total_cmp(&y.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
            .is_gt()
    };
    let mut best: std::collections::HashMap<(usize, _), (Rank, usize)> =
        std::collections::HashMap::new();
    for (p, raw) in &candidates {
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            let rank = (
                p.confidence,
                *raw,
                fullness(prof(other)),
                std::cmp::Reverse(other),
            );
            let e = best.entry((me, kind(other))).or_insert((rank, other));
            if better(&rank, &e.0) {
                *e = (rank, other);
            }
        }
    }
    let pairs: Vec<Pair> = candidates
        .into_iter()
        .map(|(p, _)| p)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: Option<usize>, period: u32, values: Vec<i64>) -> Profile {
        Profile {
            municipality_id: id.map(|m| format!("m{m}")),
            stems: BTreeSet::new(),
            reference: None,
            period: Some((Some(2020 + period as i32), Some(2023 + period as i32))),
            date: None,
            values,
            shape: vec![10, 4],
        }
    }

    /// `n` documents: plans of `n / 4` municipalities, two versions each of
    /// two periods, plus every tenth without an id.
    fn batch(n: usize) -> Vec<Profile> {
        (0..n)
            .map(|i| {
                let plan = i / 2;
                let id = (i % 10 != 9).then_some(plan / 2);
                let values = (0..40).map(|k| (plan * 1000 + k) as i64 * 7919).collect();
                profile(id, (plan % 2) as u32, values)
            })
            .collect()
    }

    #[test]
    fn work_grows_linearly_with_the_batch() {
        let work = |n: usize| {
            let b = batch(n);
            let refs: Vec<&Profile> = b.iter().collect();
            candidates(&refs).iter().map(Vec::len).sum::<usize>()
        };
        let (w1, w2) = (work(2000), work(4000));
        assert!(w1 > 0);
        assert!(w2 as f64 <= 2.5 * w1 as f64, "{w1} -> {w2}");
    }

    #[test]
    fn blocks_find_every_pair_a_full_comparison_finds() {
        let b = batch(400);
        let refs: Vec<&Profile> = b.iter().collect();
        let cands = candidates(&refs);
        for i in 0..b.len() {
            for j in i + 1..b.len() {
                if comparable(&b[i], &b[j]) && score(&b[i], &b[j]).0 >= THRESHOLD {
                    assert!(cands[i].contains(&j), "{i} {j} missed");
                }
            }
        }
    }
}
