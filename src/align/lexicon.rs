//! Words alignment compares across languages: the crosswalk of institutions
//! and abbreviations (`mappings/crosswalk.tsv`) and the words that mark a
//! total (`mappings/total_labels.tsv`).
//!
//! In: text. Out: bags of comparison keys where `CSR`, `ЦСР`, `QPS` and
//! `Qendra për Punë Sociale` give the same key, and a similarity of two
//! texts over those bags.

use crate::config::Lexicons;
use crate::normalize::{Norm, script};
use std::collections::{BTreeSet, HashMap};

pub struct Lexicon {
    /// Folded single word → crosswalk id.
    words: HashMap<String, String>,
    /// Folded multi-word forms → id, longest first, with a searcher built
    /// once (every row and paragraph of both versions is tested).
    phrases: Vec<(String, String, memchr::memmem::Finder<'static>)>,
    /// Folded total words.
    totals: BTreeSet<String>,
}

impl Lexicon {
    pub fn new(lx: &Lexicons, norm: &Norm) -> Lexicon {
        let mut words = HashMap::new();
        let mut phrases = Vec::new();
        // Loading checked that every row has an id and a form.
        for row in &lx.crosswalk {
            let (id, form) = (row.row.id.as_str(), row.row.form.as_str());
            let k = norm.key(form);
            if k.contains(' ') {
                phrases.push((k, id.to_string()));
            } else {
                words.insert(k, id.to_string());
            }
        }
        phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        let phrases = phrases
            .into_iter()
            .map(|(k, id)| {
                let f = memchr::memmem::Finder::new(k.as_bytes()).into_owned();
                (k, id, f)
            })
            .collect();
        let totals = lx
            .total_labels
            .iter()
            .map(|r| norm.key(&r.row.form))
            .filter(|k| !k.is_empty())
            .collect();
        Lexicon {
            words,
            phrases,
            totals,
        }
    }

    /// The comparison keys of a text: crosswalk ids for known words and
    /// phrases, folded words of three letters or more otherwise, digits
    /// left out (numbers are compared on their own).
    pub fn keys(&self, norm: &crate::normalize::Norm, s: &str) -> BTreeSet<String> {
        let mut k = norm.key(s);
        let mut out = BTreeSet::new();
        for (p, id, finder) in &self.phrases {
            if finder.find(k.as_bytes()).is_some() {
                out.insert(format!("#{id}"));
                k = k.replace(p.as_str(), " ");
            }
        }
        for w in k.split(|c: char| !script::is_letter_or_digit(c)) {
            if w.is_empty() || w.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if let Some(id) = self.words.get(w) {
                out.insert(format!("#{id}"));
            } else if w.chars().count() >= 3 {
                out.insert(w.to_string());
            }
        }
        out
    }

    /// The crosswalk id (or folded form) of one label word.
    pub fn label(&self, norm: &crate::normalize::Norm, word: &str) -> String {
        let k = norm.key(word);
        match self.words.get(&k) {
            Some(id) => format!("#{id}"),
            None => k,
        }
    }

    /// Whether a text names a total (`Ukupno`, `Gjithsej`, `Укупно`).
    pub fn is_total(&self, norm: &crate::normalize::Norm, s: &str) -> bool {
        self.is_total_key(&norm.key(s))
    }

    /// [`Lexicon::is_total`] of a text whose [`fold::key`](crate::normalize::fold::key) is known.
    pub fn is_total_key(&self, k: &str) -> bool {
        k.split(|c: char| !script::is_letter_or_digit(c))
            .any(|w| self.totals.contains(w))
            || self
                .totals
                .iter()
                .any(|t| t.contains(' ') && k.contains(t.as_str()))
    }
}

/// Key bags of two sides as sorted ids shared by both, for the alignment
/// searches: they score the same pairs of bags many times, and comparing
/// integers is far cheaper than comparing strings. [`similarity_ids`] of
/// two id lists equals [`similarity`] of their bags.
pub fn interned<'a>(
    a: impl IntoIterator<Item = &'a BTreeSet<String>>,
    b: impl IntoIterator<Item = &'a BTreeSet<String>>,
) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
    let mut ids: crate::normalize::fast_hash::FastMap<&'a str, i64> = Default::default();
    let mut side = |bags: &mut dyn Iterator<Item = &'a BTreeSet<String>>| -> Vec<Vec<i64>> {
        bags.map(|bag| {
            let mut v: Vec<i64> = bag
                .iter()
                .map(|k| {
                    let next = ids.len() as i64;
                    *ids.entry(k.as_str()).or_insert(next)
                })
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
    };
    let ia = side(&mut a.into_iter());
    let ib = side(&mut b.into_iter());
    (ia, ib)
}

/// [`similarity`] over bags given as sorted ids (see [`interned`]).
pub fn similarity_ids(a: &[i64], b: &[i64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = super::compare::overlap(a, b);
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Dice similarity of two key bags, 0 to 1.
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count();
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_over_ids_is_similarity_over_bags() {
        let norm = crate::vocab::test_vocab().norm();
        let v = crate::vocab::Vocab::embedded();
        let l = v.align();
        let a: Vec<BTreeSet<String>> = [
            "CSR, NVO, Policija",
            "Broj korisnika",
            "",
            "ukupno korisnika usluga",
        ]
        .iter()
        .map(|t| l.keys(norm, t))
        .collect();
        let b: Vec<BTreeSet<String>> = [
            "QPS, OJQ, Policia",
            "",
            "Numri i përfituesve",
            "korisnika usluga",
        ]
        .iter()
        .map(|t| l.keys(norm, t))
        .collect();
        let (ia, ib) = interned(&a, &b);
        for (x, kx) in a.iter().zip(&ia) {
            for (y, ky) in b.iter().zip(&ib) {
                assert_eq!(similarity(x, y), similarity_ids(kx, ky), "{x:?} {y:?}");
            }
        }
        assert!(similarity_ids(&ia[3], &ib[3]) > 0.5);
    }

    #[test]
    fn crosswalk_joins_languages_and_scripts() {
        let norm = crate::vocab::test_vocab().norm();
        let v = crate::vocab::Vocab::embedded();
        let l = v.align();
        assert_eq!(l.label(norm, "CSR"), l.label(norm, "QPS"));
        assert_eq!(l.label(norm, "ЦСР"), l.label(norm, "QPS"));
        assert_eq!(l.label(norm, "MFRT"), l.label(norm, "MFPT"));
        let a = l.keys(norm, "CSR, NVO, Policija");
        let b = l.keys(norm, "QPS, OJQ, Policia");
        assert!(similarity(&a, &b) > 0.99, "{a:?} {b:?}");
        assert!(l.is_total(norm, "Ukupno 40 naseljenih mesta"));
        assert!(l.is_total(norm, "УКУПНО"));
        assert!(l.is_total(norm, "Gjithsej vendbanime"));
        assert!(!l.is_total(norm, "Broj stanovnika"));
    }
}
