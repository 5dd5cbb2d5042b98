//! Plan structure of two versions side by side: objectives and activities
//! by code and order, confirmed by text through the crosswalk; indicators
//! and budget amounts by parent, order and numbers.
//!
//! In: both records. Out: counts of aligned items and findings —
//! `code_mismatch` when the items the order and text pair carry different
//! codes (never trusted blindly), `structure` for an item in one version
//! only, `numeric_mismatch`/`missing`/`extra` for indicator values and
//! amounts.

use super::compare::{Out, finding};
use super::lexicon::{Lexicon, interned, similarity, similarity_ids};
use super::report::{FindingKind, Place, Severity};
use super::seq;
use super::tokens::{eq, shorten};
use crate::extract::PlanRecord;
use crate::extract::record::ValueKind;
use crate::model::Provenance;
use std::collections::BTreeSet;

/// One coded item of the plan (objective or activity).
struct Item {
    code: Option<String>,
    kind: String,
    parent: Option<String>,
    text: String,
    keys: BTreeSet<String>,
    provenance: Provenance,
}

fn items_objectives(norm: &crate::normalize::Norm, r: &PlanRecord, lex: &Lexicon) -> Vec<Item> {
    r.objectives
        .iter()
        .map(|o| Item {
            code: o.code.clone(),
            kind: format!("{:?}", o.kind),
            parent: o.parent.clone(),
            text: o.text.latn.clone(),
            keys: lex.keys(norm, &o.text.latn),
            provenance: o.provenance.clone(),
        })
        .collect()
}

fn items_activities(norm: &crate::normalize::Norm, r: &PlanRecord, lex: &Lexicon) -> Vec<Item> {
    r.activities
        .iter()
        .map(|a| Item {
            code: a.code.clone(),
            kind: "activity".to_string(),
            parent: a.parent.clone(),
            text: a.text.latn.clone(),
            keys: lex.keys(norm, &a.text.latn),
            provenance: a.provenance.clone(),
        })
        .collect()
}

fn code_place(i: &Item) -> Place {
    Place {
        raw: i.code.clone().unwrap_or_default(),
        value: None,
        provenance: i.provenance.clone(),
        context: shorten(&i.text, 240),
    }
}

/// Aligns two lists of coded items; returns how many were aligned.
fn coded(what: FindingKind, a: &[Item], b: &[Item], out: &mut Out) -> u64 {
    let steps = seq::align(
        a.len(),
        b.len(),
        false,
        200,
        &mut |ra, rb| {
            let (x, y) = (&a[ra.start], &b[rb.start]);
            let sim = similarity(&x.keys, &y.keys);
            let mut s = 0.3 * sim + if x.kind == y.kind { 0.2 } else { -0.3 };
            if x.code == y.code {
                s += 1.0;
            } else if sim < 0.15 && x.parent != y.parent {
                return None;
            }
            if x.parent == y.parent {
                s += 0.2;
            }
            Some(s)
        },
        &|_| 0.45,
        &|_| 0.45,
    );
    let mut n = 0;
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                n += 1;
                let (x, y) = (&a[s.a.start], &b[s.b.start]);
                if x.code != y.code {
                    out.findings.push(finding(
                        what,
                        Severity::CodeMismatch,
                        Some(code_place(x)),
                        Some(code_place(y)),
                        format!(
                            "{what} coded `{}` in a and `{}` in b",
                            x.code.as_deref().unwrap_or("—"),
                            y.code.as_deref().unwrap_or("—")
                        ),
                    ));
                }
            }
            (false, true) => {
                let x = &a[s.a.start];
                out.findings.push(finding(
                    what,
                    Severity::Structure,
                    Some(code_place(x)),
                    None,
                    format!(
                        "{what} `{}` has no counterpart in b",
                        x.code.as_deref().unwrap_or("—")
                    ),
                ));
            }
            (true, false) => {
                let y = &b[s.b.start];
                out.findings.push(finding(
                    what,
                    Severity::Structure,
                    None,
                    Some(code_place(y)),
                    format!(
                        "{what} `{}` has no counterpart in a",
                        y.code.as_deref().unwrap_or("—")
                    ),
                ));
            }
            (true, true) => {}
        }
    }
    n
}

/// A value of an indicator or a budget line, keyed for comparison.
struct Val {
    slot: String,
    raw: String,
    value: Option<f64>,
    provenance: Provenance,
}

fn vplace(v: &Val, ctx: &str) -> Place {
    Place {
        raw: v.raw.clone(),
        value: v.value,
        provenance: v.provenance.clone(),
        context: ctx.to_string(),
    }
}

/// Compares the values of two aligned items slot by slot (year and kind).
fn values(what: FindingKind, ctx: &str, a: &[Val], b: &[Val], out: &mut Out) {
    let mut used = vec![false; b.len()];
    for x in a {
        let j = b
            .iter()
            .enumerate()
            .position(|(j, y)| !used[j] && y.slot == x.slot);
        match j {
            Some(j) => {
                used[j] = true;
                let y = &b[j];
                match (x.value, y.value) {
                    (Some(p), Some(q)) if !eq(p, q) => out.findings.push(finding(
                        what,
                        Severity::NumericMismatch,
                        Some(vplace(x, ctx)),
                        Some(vplace(y, ctx)),
                        format!("{} `{}` against `{}`", x.slot, x.raw, y.raw),
                    )),
                    (Some(_), None) => out.findings.push(finding(
                        what,
                        Severity::Missing,
                        Some(vplace(x, ctx)),
                        Some(vplace(y, ctx)),
                        format!("{}: `{}` has no value in b", x.slot, x.raw),
                    )),
                    (None, Some(_)) => out.findings.push(finding(
                        what,
                        Severity::Extra,
                        Some(vplace(x, ctx)),
                        Some(vplace(y, ctx)),
                        format!("{}: `{}` has no value in a", y.slot, y.raw),
                    )),
                    _ => {}
                }
            }
            None if x.value.is_some() => out.findings.push(finding(
                what,
                Severity::Missing,
                Some(vplace(x, ctx)),
                None,
                format!("{} has no counterpart in b", x.slot),
            )),
            None => {}
        }
    }
    for (j, y) in b.iter().enumerate() {
        if !used[j] && y.value.is_some() {
            out.findings.push(finding(
                what,
                Severity::Extra,
                None,
                Some(vplace(y, ctx)),
                format!("{} has no counterpart in a", y.slot),
            ));
        }
    }
}

fn indicator_values(i: &crate::extract::record::Indicator) -> Vec<Val> {
    i.values
        .iter()
        .map(|v| Val {
            slot: format!(
                "{} {}",
                match v.kind {
                    ValueKind::Baseline => "baseline",
                    ValueKind::Target => "target",
                    ValueKind::Actual => "actual",
                },
                v.year.map(|y| y.to_string()).unwrap_or_default()
            ),
            raw: v.raw.clone(),
            value: v.value,
            provenance: v.provenance.clone(),
        })
        .collect()
}

fn vkeys(v: &[Val]) -> Vec<i64> {
    let mut k: Vec<i64> = v
        .iter()
        .filter_map(|v| v.value)
        .map(super::tokens::value_key)
        .collect();
    k.sort_unstable();
    k
}

/// Aligns everything the extraction structured; returns counts
/// (objectives, activities, indicators).
pub fn align(
    norm: &crate::normalize::Norm,
    a: &PlanRecord,
    b: &PlanRecord,
    lex: &Lexicon,
    out: &mut Out,
) -> (u64, u64, u64) {
    let objectives = coded(
        FindingKind::Objective,
        &items_objectives(norm, a, lex),
        &items_objectives(norm, b, lex),
        out,
    );
    let activities = coded(
        FindingKind::Activity,
        &items_activities(norm, a, lex),
        &items_activities(norm, b, lex),
        out,
    );
    let va: Vec<Vec<Val>> = a.indicators.iter().map(indicator_values).collect();
    let vb: Vec<Vec<Val>> = b.indicators.iter().map(indicator_values).collect();
    let ka: Vec<Vec<i64>> = va.iter().map(|v| vkeys(v)).collect();
    let kb: Vec<Vec<i64>> = vb.iter().map(|v| vkeys(v)).collect();
    let keys_a: Vec<BTreeSet<String>> = a
        .indicators
        .iter()
        .map(|i| lex.keys(norm, &i.name.latn))
        .collect();
    let keys_b: Vec<BTreeSet<String>> = b
        .indicators
        .iter()
        .map(|i| lex.keys(norm, &i.name.latn))
        .collect();
    let (wa, wb) = interned(&keys_a, &keys_b);
    let steps = seq::align(
        a.indicators.len(),
        b.indicators.len(),
        false,
        200,
        &mut |ra, rb| {
            let (i, j) = (ra.start, rb.start);
            let (x, y) = (&a.indicators[i], &b.indicators[j]);
            let mut s = super::compare::dice(&ka[i], &kb[j]) + 0.3 * similarity_ids(&wa[i], &wb[j]);
            if x.parent == y.parent {
                s += 0.4;
            }
            if va[i].len() == vb[j].len() {
                s += 0.1;
            }
            Some(s)
        },
        &|_| 0.4,
        &|_| 0.4,
    );
    let mut indicators = 0;
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                indicators += 1;
                let (i, j) = (s.a.start, s.b.start);
                let ctx = shorten(&a.indicators[i].name.latn, 240);
                values(FindingKind::IndicatorValue, &ctx, &va[i], &vb[j], out);
            }
            (false, true) => {
                let x = &a.indicators[s.a.start];
                out.findings.push(finding(
                    FindingKind::Indicator,
                    Severity::Structure,
                    Some(Place {
                        raw: shorten(&x.name.original, 120),
                        value: None,
                        provenance: x.provenance.clone(),
                        context: shorten(&x.name.latn, 240),
                    }),
                    None,
                    "indicator has no counterpart in b".to_string(),
                ));
            }
            (true, false) => {
                let y = &b.indicators[s.b.start];
                out.findings.push(finding(
                    FindingKind::Indicator,
                    Severity::Structure,
                    None,
                    Some(Place {
                        raw: shorten(&y.name.original, 120),
                        value: None,
                        provenance: y.provenance.clone(),
                        context: shorten(&y.name.latn, 240),
                    }),
                    "indicator has no counterpart in a".to_string(),
                ));
            }
            (true, true) => {}
        }
    }
    budgets(a, b, out);
    (objectives, activities, indicators)
}

/// Budget amounts grouped by what they belong to, compared slot by slot.
fn budgets(a: &PlanRecord, b: &PlanRecord, out: &mut Out) {
    let group = |r: &PlanRecord| {
        let mut m: std::collections::BTreeMap<String, Vec<Val>> = Default::default();
        for x in &r.budgets {
            let owner = format!(
                "{}/{}",
                x.parent.as_deref().unwrap_or("-"),
                x.activity.as_deref().unwrap_or("-")
            );
            let slots = m.entry(owner).or_default();
            let n = slots.len();
            slots.push(Val {
                slot: format!(
                    "amount {} #{}",
                    x.year.map(|y| y.to_string()).unwrap_or_default(),
                    n + 1
                ),
                raw: x.raw.clone(),
                value: x.value.map(|v| v * f64::from(x.scale.max(1))),
                provenance: x.provenance.clone(),
            });
        }
        m
    };
    let (ga, gb) = (group(a), group(b));
    for (owner, xa) in &ga {
        match gb.get(owner) {
            Some(xb) => values(FindingKind::Budget, owner, xa, xb, out),
            None => values(FindingKind::Budget, owner, xa, &[], out),
        }
    }
    for (owner, xb) in &gb {
        if !ga.contains_key(owner) {
            values(FindingKind::Budget, owner, &[], xb, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::record::{Indicator, IndicatorValue, Objective, ObjectiveKind};
    use crate::model::{Document, Format, Source};
    use crate::normalize::text::text;

    fn empty() -> PlanRecord {
        crate::extract::extract(
            &Document::new(Source {
                path: "x.txt".into(),
                format: Format::Txt,
                encoding: "UTF-8".into(),
                encoding_confidence: 1.0,
                sha256: String::new(),
                bytes: 0,
            }),
            &crate::vocab::Vocab::embedded(),
        )
    }

    fn objective(code: &str, t: &str, line: u32) -> Objective {
        Objective {
            id: format!("o{line}"),
            code: Some(code.into()),
            kind: ObjectiveKind::SpecificGoal,
            parent: Some("I".into()),
            parent_id: None,
            text: text(crate::vocab::Vocab::embedded().norm(), t),
            fields: Default::default(),
            provenance: Provenance::lines(line, line),
        }
    }

    fn indicator(name: &str, target: f64, line: u32) -> Indicator {
        Indicator {
            id: format!("i{line}"),
            parent: Some("1.1".into()),
            parent_id: None,
            name: text(crate::vocab::Vocab::embedded().norm(), name),
            unit: None,
            source: None,
            values: vec![IndicatorValue {
                year: Some(2024),
                kind: ValueKind::Target,
                header: "2024".into(),
                raw: target.to_string(),
                value: Some(target),
                provenance: Provenance::lines(line, line),
            }],
            provenance: Provenance::lines(line, line),
        }
    }

    #[test]
    fn codes_are_checked_not_trusted_and_values_compared() {
        let norm = crate::vocab::test_vocab().norm();
        let mut a = empty();
        let mut b = empty();
        a.objectives = vec![
            objective("1.1", "Pružanje usluga CSR porodicama", 10),
            objective("1.2", "Razvoj dnevnog boravka za stare", 20),
            objective("1.3", "Nastavak rada NVO sa decom", 30),
        ];
        // The Cyrillic version numbers the second goal 1.4.
        b.objectives = vec![
            objective("1.1", "Пружање услуга ЦСР породицама", 11),
            objective("1.4", "Развој дневног боравка за старе", 21),
            objective("1.3", "Наставак рада НВО са децом", 31),
        ];
        a.indicators = vec![indicator("Broj dece sa invaliditetom", 200.0, 40)];
        b.indicators = vec![indicator("Број деце са инвалидитетом", 210.0, 41)];
        let mut out = Out::default();
        let (o, _, i) = align(
            norm,
            &a,
            &b,
            crate::vocab::Vocab::embedded().align(),
            &mut out,
        );
        assert_eq!((o, i), (3, 1));
        let codes: Vec<_> = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::CodeMismatch)
            .collect();
        assert_eq!(codes.len(), 1, "{:#?}", out.findings);
        assert_eq!(codes[0].a.as_ref().unwrap().raw, "1.2");
        assert_eq!(codes[0].b.as_ref().unwrap().raw, "1.4");
        let values: Vec<_> = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::NumericMismatch)
            .collect();
        assert_eq!(values.len(), 1, "{:#?}", out.findings);
        assert_eq!(
            values[0].b.as_ref().unwrap().provenance.line,
            Some([41, 41])
        );
        assert!(
            !out.findings
                .iter()
                .any(|f| f.severity == Severity::Structure)
        );
    }
}
