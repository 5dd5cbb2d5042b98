//! Language of a block or document: Albanian or Serbian.
//!
//! In: a string (a document, a paragraph, one table row). Out: a [`Guess`]
//! with the language, the script and a confidence in [0.5, 1] built from
//! letter, letter-pair, function-word and word-ending evidence in
//! `mappings/lang_evidence.tsv`. Cyrillic is Serbian. Bosnian and Croatian
//! Latin count as Serbian Latin. With no evidence at all (digits, acronyms)
//! the guess is Serbian at confidence 0.5: callers should treat anything
//! below ~0.6 as unknown and use the document's language instead.

use super::fast_hash::FastMap;
use super::script::{self, Script};
use crate::config::{EvidenceKind, EvidenceLanguage, Lexicons};
use serde::{Deserialize, Serialize};

// A language of the plans, as its BCP 47 code. Inlined in the record's
// schema, where the field keeps its own description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(inline)]
pub enum Language {
    #[serde(rename = "sq")]
    Sq,
    #[serde(rename = "sr")]
    Sr,
}

impl Language {
    /// BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::Sq => "sq",
            Language::Sr => "sr",
        }
    }
}

/// A language guess with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    pub language: Language,
    /// Dominant script of the text ([`script::dominant`]).
    pub script: Script,
    /// 0.5 (no evidence either way) to 1.0.
    pub confidence: f64,
    /// Evidence points for Albanian and for Serbian.
    pub sq: f64,
    pub sr: f64,
}

/// The language evidence, built once from the checked rows (held by
/// [`crate::vocab::Vocab`] inside [`super::Norm`]).
#[derive(Debug, Default)]
pub struct Evidence {
    letters: FastMap<char, (Language, f64)>,
    bigrams: FastMap<(char, char), (Language, f64)>,
    words: FastMap<String, (Language, f64)>,
    suffixes: Vec<(Vec<char>, Language, f64)>,
    /// Indexes into `suffixes` by last letter, in file order (the order
    /// the evidence is added in, which the float sums depend on).
    suffixes_by_last: FastMap<char, Vec<usize>>,
}

impl Evidence {
    /// Builds the evidence from checked rows (see [`crate::config`]).
    pub fn new(m: &Lexicons) -> Evidence {
        let mut ev = Evidence::default();
        for r in m.lang_evidence.iter().map(|r| &r.row) {
            let lang = match r.language {
                EvidenceLanguage::Sq => Language::Sq,
                EvidenceLanguage::Sr => Language::Sr,
            };
            let w = r.weight;
            let tok = r.token.to_lowercase();
            let chars: Vec<char> = tok.chars().collect();
            // Loading refused tokens that do not fit their kind.
            match (r.kind, chars.as_slice()) {
                (EvidenceKind::Letter, [c]) => {
                    ev.letters.insert(*c, (lang, w));
                }
                (EvidenceKind::Bigram, [a, b]) => {
                    ev.bigrams.insert((*a, *b), (lang, w));
                }
                (EvidenceKind::Word, [_, ..]) => {
                    ev.words.insert(tok, (lang, w));
                }
                (EvidenceKind::Suffix, [_, ..]) => ev.suffixes.push((chars, lang, w)),
                _ => {}
            }
        }
        for (i, (suf, _, _)) in ev.suffixes.iter().enumerate() {
            if let Some(&last) = suf.last() {
                ev.suffixes_by_last.entry(last).or_default().push(i);
            }
        }
        ev
    }
}

/// The evidence one word gives, as the additions to make in order (kept
/// as a list, not a sum, so replaying it adds exactly the same floats).
fn word_evidence(
    ev: &Evidence,
    word: &[char],
    lower: &mut Vec<char>,
    text: &mut String,
    out: &mut Vec<(Language, f64)>,
) {
    if word
        .iter()
        .any(|&c| script::of_char(c) == Some(Script::Cyrillic))
    {
        out.push((Language::Sr, 2.0));
        return;
    }
    // Short all-capital words are acronyms (DMS, CSR, OJQ) and carry no
    // language evidence; longer ones are headings and count.
    let is_acronym = (2..=4).contains(&word.len()) && word.iter().all(|c| !c.is_lowercase());
    if is_acronym {
        return;
    }
    let is_name =
        word.len() > 1 && word[0].is_uppercase() && word[1..].iter().all(|c| c.is_lowercase());
    lower.clear();
    for &c in word {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    // Capitalised words are often names, which keep their own spelling in
    // the other language (Zasellë in a Serbian table): their letters count
    // a quarter.
    let scale = if is_name { 0.25 } else { 1.0 };
    for &c in lower.iter() {
        if let Some(&(l, w)) = ev.letters.get(&c) {
            out.push((l, w * scale));
        }
    }
    for p in lower.windows(2) {
        if let Some(&(l, w)) = ev.bigrams.get(&(p[0], p[1])) {
            out.push((l, w * scale));
        }
    }
    text.clear();
    text.extend(lower.iter());
    if let Some(&(l, w)) = ev.words.get(text) {
        out.push((l, w));
    }
    if lower.len() >= 4
        && let Some(ixs) = lower.last().and_then(|c| ev.suffixes_by_last.get(c))
    {
        for &i in ixs {
            let (suf, l, w) = &ev.suffixes[i];
            if lower.ends_with(suf) {
                out.push((*l, *w));
            }
        }
    }
}

impl Evidence {
    /// Guesses the language of `s`.
    pub fn detect(&self, s: &str) -> Guess {
        // Long texts (a whole document's sample) repeat their words: each
        // distinct word's evidence is worked out once and replayed.
        const MEMO_FROM: usize = 4096;
        self.detect_with(s, s.len() >= MEMO_FROM)
    }

    fn detect_with(&self, s: &str, memoize: bool) -> Guess {
        const MEMO_MAX: usize = 1 << 16;
        let ev = self;
        let mut sq = 0.0;
        let mut sr = 0.0;
        // A document sample has a thousand or so distinct words: start there
        // rather than rehashing on the way up.
        let mut memo: FastMap<&str, Vec<(Language, f64)>> =
            FastMap::with_capacity_and_hasher(if memoize { 1024 } else { 0 }, Default::default());
        // Buffers reused from word to word.
        let mut word: Vec<char> = Vec::new();
        let mut lower: Vec<char> = Vec::new();
        let mut text = String::new();
        let mut adds: Vec<(Language, f64)> = Vec::new();
        // Letter counts for the dominant script, taken in the same pass.
        let mut counts = script::Counts::default();
        let mut apply = |adds: &[(Language, f64)]| {
            for &(l, w) in adds {
                match l {
                    Language::Sq => sq += w,
                    Language::Sr => sr += w,
                }
            }
        };
        // A word is the run of letters s[from..to]; its chars are only
        // collected when its evidence has to be worked out.
        let mut flush = |from: usize, to: usize| {
            let Some(w) = s.get(from..to).filter(|w| !w.is_empty()) else {
                return;
            };
            if memoize && let Some(v) = memo.get(w) {
                apply(v);
                return;
            }
            word.clear();
            word.extend(w.chars());
            adds.clear();
            word_evidence(ev, &word, &mut lower, &mut text, &mut adds);
            apply(&adds);
            // Bounded, so a huge run-on text cannot grow it without end; past
            // the bound new words are simply worked out each time.
            if memoize && memo.len() < MEMO_MAX {
                memo.insert(w, adds.clone());
            }
        };
        let mut word_start: Option<usize> = None;
        for (i, c) in s.char_indices() {
            // A Latin or Cyrillic letter is alphabetic; the table lookup is
            // left for the rest.
            let letter = if c.is_ascii() {
                let l = c.is_ascii_alphabetic();
                counts.latin += usize::from(l);
                l
            } else {
                match script::of_char(c) {
                    Some(Script::Latin) => {
                        counts.latin += 1;
                        true
                    }
                    Some(_) => {
                        counts.cyrillic += 1;
                        true
                    }
                    None => c.is_alphabetic(),
                }
            };
            if letter {
                word_start.get_or_insert(i);
            } else if let Some(from) = word_start.take() {
                flush(from, i);
            }
        }
        if let Some(from) = word_start {
            flush(from, s.len());
        }
        let total = sq + sr;
        let (language, confidence) = if total <= 0.0 {
            (Language::Sr, 0.5)
        } else {
            let margin = (sr - sq).abs() / total;
            let amount = 1.0 - (-total / 3.0f64).exp();
            let lang = if sq > sr { Language::Sq } else { Language::Sr };
            (lang, 0.5 + 0.5 * margin * amount)
        };
        Guess {
            language,
            script: counts.dominant(),
            confidence,
            sq,
            sr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The evidence of the embedded mapping files.
    fn ev() -> Evidence {
        let rows = Lexicons::load(&crate::mappings::Mappings::embedded());
        Evidence::new(&rows.expect("the embedded mapping files load"))
    }

    #[test]
    fn replayed_word_evidence_gives_the_same_floats() {
        let words = [
            "Ndihmë",
            "sociale",
            "për",
            "familjet",
            "CSR",
            "Centar",
            "za",
            "socijalni",
            "rad",
            "ЦЕНТАР",
            "за",
            "социјални",
            "рад",
            "Zasellë",
            "OJQ",
            "opština",
            "Komunës",
            "i",
            "KORISNICI",
            "škole",
            "Ђурђевак",
        ];
        let long: String = (0..3000)
            .map(|i| words[(i * 7 + i / 5) % words.len()])
            .collect::<Vec<_>>()
            .join(" ");
        assert!(long.len() > 8192);
        for text in [long.as_str(), "Ndihmë sociale", "Социјална заштита CSR"] {
            let (a, b) = (ev().detect_with(text, true), ev().detect_with(text, false));
            assert_eq!(a.sq.to_bits(), b.sq.to_bits());
            assert_eq!(a.sr.to_bits(), b.sr.to_bits());
            assert_eq!(a.confidence.to_bits(), b.confidence.to_bits());
            assert_eq!((a.language, a.script), (b.language, b.script));
        }
    }

    fn lang(s: &str) -> (Language, f64) {
        let g = ev().detect(s);
        (g.language, g.confidence)
    }

    #[test]
    fn one_row_is_enough() {
        let (l, c) = lang(
            "Ditor, Qendra e Shëndetit Mendor (Ministria e Shëndetësisë)\t€muaj/klient\t\tDMS",
        );
        assert_eq!(l, Language::Sq);
        assert!(c > 0.9, "{c}");
        let (l, c) = lang("SR\tUJU, MFRT/MP, Pružaoci smeštaja\tOFAP,Pružaoци smeštaja\t€\t\tUSS");
        assert_eq!(l, Language::Sr);
        assert!(c > 0.8, "{c}");
        assert_eq!(lang("Zasellë\t\tRural\t791\t///\t///").0, Language::Sq);
        assert_eq!(lang("Površina\t331 km ²").0, Language::Sr);
        assert_eq!(lang("Sipërfaqe\t331 km <sup>2</sup>").0, Language::Sq);
        assert_eq!(lang("Мера 1.1\t3.150\t150\t0\t3.300").0, Language::Sr);
        assert_eq!(
            lang("Opština Južna Mitrovica – Municipality of Mitrovica South").0,
            Language::Sr
        );
        assert_eq!(lang("Komuna e Mitrovicës së Jugut").0, Language::Sq);
        assert_eq!(lang("Broj korisnika usluge").0, Language::Sr);
        assert_eq!(lang("Numri i përfituesve").0, Language::Sq);
    }

    #[test]
    fn no_evidence_is_half() {
        let g = ev().detect("2024 / 2025\tDMS");
        assert_eq!(g.confidence, 0.5);
        assert_eq!(g.script, Script::Latin);
    }
}
