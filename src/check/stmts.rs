//! Indicator statements: every row of an indicator table read as a label
//! with values per year and kind, wherever the table stands.
//!
//! In: the tables of a record. Out: [`Stmt`]s. A header row is a row whose
//! cells name value kinds with years ("Почетна вредност у 2025.", "Ciljani
//! Rezultati -2026", through `mappings/indicator_headers.tsv`); the rows
//! under it up to the first row without a figure under those headers are
//! its statements. Read from the cells, not from the record's indicators,
//! so a statement exists wherever the table does; the record's indicators
//! lend their owner (goal or measure) when the table does not name one.

use crate::align::tokens::TableUnits;
use crate::extract::PlanRecord;
use crate::extract::record::{CellRecord, ValueKind};
use crate::extract::structure::lexicon::{IndRole, Lexicon as IndLexicon};
use crate::model::Provenance;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// One value of a statement.
#[derive(Debug, Clone)]
pub struct Val {
    pub year: i32,
    pub kind: ValueKind,
    pub header: String,
    pub raw: String,
    /// None when the cell states no figure ("Није мерено").
    pub value: Option<f64>,
    pub percent: bool,
    pub provenance: Provenance,
}

/// One indicator row.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub table: usize,
    pub row: usize,
    pub label: String,
    /// Word stems of the label without total words, markers and small
    /// words: what two statements of one indicator share.
    pub key: BTreeSet<String>,
    /// Stems in label order (for "all services" heads).
    pub stems: Vec<String>,
    /// "kumulativno": a running total.
    pub cumulative: bool,
    /// "godišnje": per year.
    pub annual: bool,
    /// Owner code (goal or measure, "2.1") when the row, the caption or the
    /// record names one.
    pub place: Option<String>,
    pub unit: Option<(String, Provenance)>,
    pub values: Vec<Val>,
    pub provenance: Provenance,
}

impl Stmt {
    pub fn value(&self, kind: ValueKind, year: i32) -> Option<&Val> {
        self.values
            .iter()
            .find(|v| v.kind == kind && v.year == year)
    }
}

/// Words that make a label a total, not part of its identity.
const TOTAL_STEMS: &[&str] = &["ukupa", "ukupn", "gjith", "total"];
/// Running totals and per-year figures.
const CUMULATIVE_STEMS: &[&str] = &["kumul", "cumul"];
const ANNUAL_STEMS: &[&str] = &["godis", "vjeto", "annua", "yearl"];
/// Small words that say nothing about which indicator a label names.
const STOP: &[&str] = &[
    "koji", "koja", "koje", "kojih", "kojim", "the", "and", "for", "per", "dhe", "nga", "kao",
    "ili", "nije", "broj",
];

/// Stems of a label: folded words of three letters or more, first five
/// characters.
pub fn stems(norm: &crate::normalize::Norm, label: &str) -> Vec<String> {
    norm.key(label)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

// The years written in a text (ASCII digits around them), recognised in
// `normalize::dates`.
pub use crate::normalize::dates::years_ascii as years;

fn code_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^[0-9]{1,2}(?:\.[0-9]{1,2})+\.?$").expect("valid regex"))
}

fn caption_code_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?:\b(?:mer[aeiu]|mjer[aeiu]|mas[ae]s?|cilj[aeu]?|objektiv[a-z]*|prioritet[a-z]*)\s*([0-9]{1,2}(?:\.[0-9]{1,2})*)\b)|(?:^([0-9]{1,2}(?:\.[0-9]{1,2})*)[.\s]+(?:poseb|specif|opst|strat))",
        )
        .expect("valid regex")
    })
}

/// The goal or measure code a caption names ("Показатељи за Меру 1.1",
/// "1. Посебан циљ: …").
pub fn caption_code(norm: &crate::normalize::Norm, caption: &str) -> Option<String> {
    let k = norm.key(caption);
    let c = caption_code_re().captures(&k)?;
    c.get(1)
        .or_else(|| c.get(2))
        .map(|m| m.as_str().trim_end_matches('.').to_string())
}

fn cell_at(row: &[CellRecord], col: usize) -> Option<&CellRecord> {
    row.iter().find(|c| c.col == col)
}

struct Header {
    values: BTreeMap<usize, (ValueKind, i32, String)>,
    unit: Option<usize>,
    name: Option<usize>,
}

fn header_of(
    norm: &crate::normalize::Norm,
    row: &[CellRecord],
    lex: &IndLexicon,
) -> Option<Header> {
    let mut h = Header {
        values: BTreeMap::new(),
        unit: None,
        name: None,
    };
    for c in row {
        let text = c.text.trim();
        if text.is_empty() {
            continue;
        }
        match lex.indicator_role(norm, text) {
            Some(IndRole::Value(kind)) => {
                if let [y] = years(text)[..] {
                    h.values.insert(c.col, (kind, y, text.to_string()));
                }
            }
            Some(IndRole::Unit) => h.unit = Some(c.col),
            Some(IndRole::Name) => h.name = Some(c.col),
            _ => {}
        }
    }
    // A header states kinds, not figures: a row with a figure besides its
    // years is data.
    let figures = row
        .iter()
        .flat_map(|c| &c.numbers)
        .filter(|n| n.year.is_none() && !matches!(n.kind, crate::normalize::numbers::Kind::Year))
        .count();
    (!h.values.is_empty() && figures == 0).then_some(h)
}

/// Every indicator statement of the record's tables.
pub fn statements(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    lex: &IndLexicon,
) -> Vec<Stmt> {
    // Owners the record gives, by (table, row) of the indicator's label.
    let mut owners: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for i in &rec.indicators {
        if let (Some(t), Some(r), Some(p)) =
            (i.provenance.table, i.provenance.row, i.parent.as_ref())
        {
            owners.insert((t, r), p.trim_end_matches('.').to_string());
        }
    }
    let mut out = Vec::new();
    for (ti, (t, u)) in rec.tables.iter().zip(units).enumerate() {
        if u.toc {
            continue;
        }
        let caption = t.caption.as_deref().and_then(|c| caption_code(norm, c));
        let mut header: Option<Header> = None;
        for (ri, row) in t.rows.iter().enumerate() {
            if let Some(h) = header_of(norm, row, lex) {
                header = Some(h);
                continue;
            }
            let Some(h) = header.as_ref() else { continue };
            let mut values = Vec::new();
            for (&col, (kind, year, head)) in &h.values {
                let Some(c) = cell_at(row, col) else { continue };
                let text = c.text.trim();
                if text.is_empty() || c.numbers.len() > 1 {
                    continue;
                }
                let n = c.numbers.first();
                values.push(Val {
                    year: *year,
                    kind: *kind,
                    header: head.clone(),
                    raw: text.to_string(),
                    value: n.and_then(|n| n.value),
                    percent: text.contains('%')
                        || n.is_some_and(|n| n.kind == crate::normalize::numbers::Kind::Percent),
                    provenance: c.provenance.clone(),
                });
            }
            if !values.iter().any(|v| v.value.is_some()) {
                // A row without figures under the header ends its block.
                header = None;
                continue;
            }
            let label_cell = h
                .name
                .and_then(|col| cell_at(row, col))
                .filter(|c| c.text.chars().any(char::is_alphabetic))
                .or_else(|| {
                    row.iter()
                        .filter(|c| !h.values.contains_key(&c.col) && Some(c.col) != h.unit)
                        .filter(|c| c.text.chars().filter(|ch| ch.is_alphabetic()).count() >= 3)
                        .max_by_key(|c| c.text.chars().count())
                });
            let Some(label_cell) = label_cell else {
                continue;
            };
            let label = label_cell.text.trim().to_string();
            let all = stems(norm, &label);
            let cumulative = all.iter().any(|s| CUMULATIVE_STEMS.contains(&s.as_str()));
            let annual = all.iter().any(|s| ANNUAL_STEMS.contains(&s.as_str()));
            let kept: Vec<String> = all
                .into_iter()
                .filter(|s| {
                    !TOTAL_STEMS.contains(&s.as_str())
                        && !CUMULATIVE_STEMS.contains(&s.as_str())
                        && !ANNUAL_STEMS.contains(&s.as_str())
                        && !STOP.contains(&s.as_str())
                })
                .collect();
            let row_code = row
                .iter()
                .filter(|c| !h.values.contains_key(&c.col))
                .map(|c| c.text.trim())
                .find(|s| code_re().is_match(s))
                .map(|s| s.trim_end_matches('.').to_string());
            let place = row_code
                .or_else(|| caption.clone())
                .or_else(|| owners.get(&(ti, ri)).cloned());
            let unit = h.unit.and_then(|col| cell_at(row, col)).and_then(|c| {
                let s = c.text.trim();
                (!s.is_empty()).then(|| (s.to_string(), c.provenance.clone()))
            });
            out.push(Stmt {
                table: ti,
                row: ri,
                label,
                key: kept.iter().cloned().collect(),
                stems: kept,
                cumulative,
                annual,
                place,
                unit,
                values,
                provenance: label_cell.provenance.clone(),
            });
        }
    }
    out
}

/// Whether two labels name one indicator: nearly the same stems, and not
/// a running total against a per-year figure.
pub fn same_indicator(a: &Stmt, b: &Stmt) -> bool {
    if a.cumulative != b.cumulative || (a.annual && b.cumulative) || (a.cumulative && b.annual) {
        return false;
    }
    if a.key.len() < 2 || b.key.len() < 2 {
        return false;
    }
    let common = a.key.intersection(&b.key).count();
    let union = a.key.union(&b.key).count();
    common * 3 >= union * 2
}

/// For every statement, the statements that name the same indicator
/// ([`same_indicator`]), itself included, in statement order.
///
/// Comparing every pair is quadratic, and a long plan has thousands of
/// indicator rows. Two keys pass only when their Jaccard similarity is at
/// least 2/3, so they must share one of the first `|k| - ⌈2|k|/3⌉ + 1` stems
/// of each key under one global order (the prefix filter of set-similarity
/// joins); ordering stems rarest first keeps the lists behind each stem
/// short. Only statements sharing a prefix stem are compared, exactly.
pub fn same_indicators(statements: &[Stmt]) -> Vec<Vec<usize>> {
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for s in statements {
        for k in &s.key {
            *df.entry(k.as_str()).or_insert(0) += 1;
        }
    }
    let prefixes: Vec<Vec<&str>> = statements
        .iter()
        .map(|s| {
            let mut ks: Vec<&str> = s.key.iter().map(String::as_str).collect();
            ks.sort_by_key(|k| (df.get(k).copied().unwrap_or(0), *k));
            let n = ks.len();
            ks.truncate(n - (2 * n).div_ceil(3) + 1);
            ks
        })
        .collect();
    let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in prefixes.iter().enumerate() {
        if statements[i].key.len() < 2 {
            continue;
        }
        for k in p {
            postings.entry(k).or_default().push(i);
        }
    }
    let mut out = Vec::with_capacity(statements.len());
    let mut cands: Vec<usize> = Vec::new();
    for (i, p) in prefixes.iter().enumerate() {
        cands.clear();
        if statements[i].key.len() >= 2 {
            for k in p {
                cands.extend(postings.get(k).into_iter().flatten().copied());
            }
        }
        cands.sort_unstable();
        cands.dedup();
        out.push(
            cands
                .iter()
                .copied()
                .filter(|&j| same_indicator(&statements[i], &statements[j]))
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefix-filtered relation equals comparing every pair, on every
    /// corpus plan (statements of all plans together, so keys of different
    /// plans and scripts meet too).
    #[test]
    fn same_indicators_equals_every_pair() {
        let norm = crate::vocab::test_vocab().norm();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut all = Vec::new();
        let v = crate::vocab::Vocab::embedded();
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let doc = crate::read::read_path(&path, &Default::default()).unwrap();
            let rec = crate::extract::extract(&doc, &v);
            let units = crate::align::tokens::tables_unlabelled(norm, &rec);
            all.extend(statements(norm, &rec, &units, v.structure()));
        }
        assert!(all.len() > 50, "{}", all.len());
        let brute: Vec<Vec<usize>> = all
            .iter()
            .map(|a| {
                (0..all.len())
                    .filter(|&j| same_indicator(a, &all[j]))
                    .collect()
            })
            .collect();
        assert!(brute.iter().filter(|v| v.len() > 1).count() > 10);
        assert_eq!(same_indicators(&all), brute);
    }

    #[test]
    fn years_and_codes() {
        let norm = crate::vocab::test_vocab().norm();
        assert_eq!(years("Почетна вредност у 2025."), vec![2025]);
        assert_eq!(years("2024-2025"), vec![2024, 2025]);
        assert!(years("12025").is_empty());
        assert_eq!(
            caption_code(norm, "Показатељи за Меру 1.1").as_deref(),
            Some("1.1")
        );
        assert_eq!(
            caption_code(norm, "1. Посебан циљ: Ојачани капацитети").as_deref(),
            Some("1")
        );
        assert_eq!(
            caption_code(norm, "Акциони план за период 2026 – 2028"),
            None
        );
    }
}
