//! The number lexicon: months, number words, context words around numbers,
//! no-value markers, scale markers and identifier stems, built once from
//! the checked mapping rows.

use crate::config::Lexicons;
use crate::normalize::fast_hash::FastMap;
use crate::normalize::fast_hash::FastSet;
use crate::normalize::fold;
use crate::normalize::translit::Translit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordRole {
    Value,
    One,
    Multiplier,
    MultiplierOne,
    Connector,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ctx {
    Ident,
    Year,
    Quarter,
    Range,
    Percent,
    Currency(String),
    Unit(String),
    Stop,
    Ordinal(u8),
}

/// The number lexicon, built once from the checked rows (held by
/// [`crate::vocab::Vocab`] inside [`crate::normalize::Norm`]).
#[derive(Debug, Default)]
pub struct Lexicon {
    pub(super) months: FastMap<String, u8>,
    pub(super) words: FastMap<String, (f64, WordRole)>,
    pub(super) context: FastMap<String, Vec<Ctx>>,
    pub(super) nan_text: Vec<String>,
    /// Every prefix of a `nan_text` marker (at char boundaries), and their
    /// first bytes: most windows are ruled out by their first character.
    pub(super) nan_prefixes: FastSet<String>,
    pub(super) nan_first: Vec<bool>,
    pub(super) nan_cell: Vec<String>,
    /// Scale markers (folded), their factor, and a searcher built once.
    pub(super) scales: Vec<(String, u32, memchr::memmem::Finder<'static>)>,
    /// Case endings (`inflection` rows) with the index of their language in
    /// `ident_stems`, longest first.
    pub(super) endings: Vec<(String, usize)>,
    /// Per language: the stems of its identifier words, each entry with a
    /// case ending of its language taken off (and the entry itself).
    pub(super) ident_stems: Vec<FastSet<String>>,
}

/// Fewest letters a stem keeps once its ending is taken off: shorter ones
/// ("br", "pr") are abbreviations, which do not inflect.
pub(super) const MIN_STEM: usize = 3;

impl Lexicon {
    pub(super) fn has(&self, w: &str, c: &Ctx) -> bool {
        self.context.get(w).is_some_and(|v| v.contains(c))
    }
    /// An identifier word as listed or in another case of its language:
    /// "Objektivin 1" as "Objektivi 1", "mjerama" as "mjera". Only words
    /// before a number are asked, so the common path is one lookup.
    pub(super) fn is_ident(&self, w: &str) -> bool {
        if self.has(w, &Ctx::Ident) {
            return true;
        }
        self.endings.iter().any(|(e, l)| {
            w.strip_suffix(e.as_str()).is_some_and(|stem| {
                stem.chars().count() >= MIN_STEM && self.ident_stems[*l].contains(stem)
            })
        })
    }
    pub(super) fn currency(&self, w: &str) -> Option<&str> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Currency(x) => Some(x.as_str()),
            _ => None,
        })
    }
    pub(super) fn ordinal(&self, w: &str) -> Option<u8> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Ordinal(x) => Some(*x),
            _ => None,
        })
    }
    pub(super) fn unit(&self, w: &str) -> Option<&str> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Unit(x) => Some(x.as_str()),
            _ => None,
        })
    }
    /// A word that may be the counted noun after a number.
    pub(super) fn is_noun(&self, w: &str) -> bool {
        !self.context.contains_key(w) && !self.months.contains_key(w) && !self.words.contains_key(w)
    }
}

impl Lexicon {
    /// Builds the number lexicon from checked rows (see [`crate::config`]);
    /// markers are folded with `tr`.
    pub fn new(m: &Lexicons, tr: &Translit) -> Lexicon {
        build(m, tr)
    }
}

fn build(m: &Lexicons, tr: &Translit) -> Lexicon {
    use crate::config::{ContextRole as C, NanPlace, NumberWordRole as W};
    let mut lx = Lexicon::default();
    // Identifier words and the languages of the case endings, for the stems.
    let mut idents: Vec<(String, String)> = Vec::new();
    let mut langs: Vec<String> = Vec::new();
    for r in m.months.iter().map(|r| &r.row) {
        lx.months.insert(r.form.to_lowercase(), r.month);
    }
    for r in m.number_words.iter().map(|r| &r.row) {
        let role = match r.role {
            W::Value => WordRole::Value,
            W::One => WordRole::One,
            W::Multiplier => WordRole::Multiplier,
            W::MultiplierOne => WordRole::MultiplierOne,
            W::Connector => WordRole::Connector,
        };
        let key = r.form.to_lowercase();
        // A connector ("i", "e") never replaces a number word of the same form.
        if role != WordRole::Connector || !lx.words.contains_key(&key) {
            lx.words.insert(key, (r.value, role));
        }
    }
    for r in m.number_context.iter().map(|r| &r.row) {
        let c = match r.role {
            C::Ident => Ctx::Ident,
            C::Year => Ctx::Year,
            C::Quarter => Ctx::Quarter,
            C::Range => Ctx::Range,
            C::Percent => Ctx::Percent,
            C::Currency => Ctx::Currency(r.value.clone()),
            C::Unit => Ctx::Unit(r.value.clone()),
            C::Stop => Ctx::Stop,
            // Loading checked the value; a row that still fails is skipped.
            C::Ordinal => match r.value.parse() {
                Ok(v) => Ctx::Ordinal(v),
                Err(_) => continue,
            },
            C::Inflection => {
                let e = r.form.to_lowercase();
                if e.is_empty() {
                    continue;
                }
                let l = match langs.iter().position(|x| *x == r.language) {
                    Some(l) => l,
                    None => {
                        langs.push(r.language.clone());
                        langs.len() - 1
                    }
                };
                lx.endings.push((e, l));
                continue;
            }
        };
        if c == Ctx::Ident {
            idents.push((r.form.to_lowercase(), r.language.clone()));
        }
        let v = lx.context.entry(r.form.to_lowercase()).or_default();
        if !v.contains(&c) {
            v.push(c);
        }
    }
    for r in m.not_a_number.iter().map(|r| &r.row) {
        let k = fold::key(tr, &r.form);
        match r.place {
            NanPlace::Text => lx.nan_text.push(k),
            NanPlace::Cell => lx.nan_cell.push(k),
        }
    }
    for r in m.scale_markers.iter().map(|r| &r.row) {
        let k = fold::key(tr, &r.pattern);
        // An empty marker would "occur" before any text (loading refuses it).
        if k.is_empty() {
            continue;
        }
        let finder = memchr::memmem::Finder::new(k.as_bytes()).into_owned();
        lx.scales.push((k, r.factor, finder));
    }
    // Stems: an identifier word without each ending of its language it
    // carries, and the word itself (a stem with no ending: "objektiv").
    lx.ident_stems = vec![FastSet::default(); langs.len()];
    for (w, lang) in &idents {
        let Some(l) = langs.iter().position(|x| x == lang) else {
            continue;
        };
        let stems = &mut lx.ident_stems[l];
        if w.chars().count() >= MIN_STEM {
            stems.insert(w.clone());
        }
        for (e, el) in &lx.endings {
            if *el == l
                && let Some(stem) = w.strip_suffix(e.as_str())
                && stem.chars().count() >= MIN_STEM
            {
                stems.insert(stem.to_string());
            }
        }
    }
    lx.endings
        .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
    // Longest markers first so "nije mereno" wins over shorter overlaps.
    lx.nan_text.sort_by_key(|k| std::cmp::Reverse(k.len()));
    lx.nan_first = vec![false; 256];
    for k in &lx.nan_text {
        if let Some(&b) = k.as_bytes().first() {
            lx.nan_first[usize::from(b)] = true;
        }
        for (i, _) in k.char_indices().skip(1) {
            lx.nan_prefixes.insert(k[..i].to_string());
        }
        lx.nan_prefixes.insert(k.clone());
    }
    lx
}
