//! Serbian transliteration, Cyrillic ↔ Latin.
//!
//! In: any text. Out: the same text with Serbian letters in the other
//! script; everything else (digits, punctuation, other scripts) untouched.
//!
//! Data-driven from `mappings/`:
//! - `translit_sr.tsv`: the alphabet (30 letters, three Latin digraphs);
//! - `translit_exceptions.tsv`: prefixes, infixes and words where l+j, n+j,
//!   d+ž are two letters (injekcija → инјекција, podžupan → поджупан);
//! - `translit_keep_latin.tsv`: acronyms, foreign names and units that stay
//!   Latin in Cyrillic text (EULEX, UNHCR, TdH, km, m²).
//!
//! Cyrillic → Latin is exact: Љ becomes `LJ` inside an all-capitals word and
//! `Lj` otherwise. Latin → Cyrillic also leaves in Latin, by rule, URLs,
//! e-mail addresses, file names, HTML markup, Roman numerals, words with
//! letters outside the Serbian Latin alphabet (q, w, x, y, ë, ç, …) with
//! the rest of their hyphenated compound (ex-post), and a lone I or V
//! opening a line before a capitalised word (a chapter number).

use super::fast_hash::{FastMap, FastSet};
use crate::config::{ExceptionKind, KeepKind, Lexicons};
use regex::Regex;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExKind {
    Prefix,
    Infix,
    Word,
}

/// One exception: the lowercase form (without `|`) and the char indexes in
/// it where a digraph must not be joined (index of the second letter).
#[derive(Debug)]
struct Exception {
    kind: ExKind,
    form: Vec<char>,
    splits: Vec<usize>,
}

/// The transliteration tables, built once from the checked rows (held by
/// [`crate::vocab::Vocab`] inside [`super::Norm`]).
#[derive(Debug, Default)]
pub struct Translit {
    /// Lowercase Cyrillic letter → lowercase Latin (1 or 2 chars).
    to_lat: FastMap<char, String>,
    /// Lowercase Latin single letter → lowercase Cyrillic.
    to_cyr: FastMap<char, char>,
    /// The same for ASCII letters, by code (the hot path).
    to_cyr_ascii: Vec<Option<char>>,
    /// Lowercase Latin digraph → lowercase Cyrillic.
    digraphs: FastMap<(char, char), char>,
    exceptions: Vec<Exception>,
    keep_exact: FastSet<String>,
    keep_nocase: FastSet<String>,
    /// Longest listed token, in bytes.
    keep_max_len: usize,
    /// Every Latin spelling in `to_lat` lowercases the same whether or not
    /// [`to_latin`] capitalised it first, so a lowercased transliteration
    /// does not depend on the case decisions (true for the Serbian table).
    case_stable: bool,
    /// `to_lat` by the char as written (either case), for U+0080..U+04FF:
    /// the Latin and Cyrillic letters of the plans, without hashing.
    lat_block: Vec<Option<Box<str>>>,
    /// `to_lat` itself over the same block.
    lat_exact: Vec<Option<Box<str>>>,
}

const BLOCK_START: u32 = 0x80;
const BLOCK_END: u32 = 0x500;

impl Translit {
    /// Builds the tables from checked rows (see [`crate::config`]).
    pub fn new(m: &Lexicons) -> Translit {
        let mut t = Translit::default();
        for r in m.translit.iter().map(|r| &r.row) {
            let cyr: Vec<char> = r.cyrillic.chars().collect();
            let lat: Vec<char> = r.latin.chars().collect();
            // Loading refused other shapes (an ASCII "Cyrillic" letter,
            // none or three Latin letters).
            match (cyr.as_slice(), lat.as_slice()) {
                ([c], _) if c.is_ascii() => {}
                ([c], [l]) => {
                    t.to_lat.insert(*c, l.to_string());
                    t.to_cyr.insert(*l, *c);
                    if l.is_ascii() {
                        if t.to_cyr_ascii.is_empty() {
                            t.to_cyr_ascii = vec![None; 128];
                        }
                        t.to_cyr_ascii[*l as usize] = Some(*c);
                    }
                }
                ([c], [a, b]) => {
                    t.to_lat.insert(*c, format!("{a}{b}"));
                    t.digraphs.insert((*a, *b), *c);
                }
                _ => {}
            }
        }
        t.case_stable = t.to_lat.values().flat_map(|l| l.chars()).all(|x| {
            !x.is_whitespace()
                && x.to_uppercase()
                    .flat_map(char::to_lowercase)
                    .eq(x.to_lowercase())
        });
        t.lat_block = (BLOCK_START..BLOCK_END)
            .map(|u| {
                char::from_u32(u)
                    .and_then(|c| t.to_lat.get(&lower1(c)))
                    .map(|l| l.clone().into_boxed_str())
            })
            .collect();
        t.lat_exact = (BLOCK_START..BLOCK_END)
            .map(|u| {
                char::from_u32(u)
                    .and_then(|c| t.to_lat.get(&c))
                    .map(|l| l.clone().into_boxed_str())
            })
            .collect();
        for r in m.translit_exceptions.iter().map(|r| &r.row) {
            let kind = match r.kind {
                ExceptionKind::Prefix => ExKind::Prefix,
                ExceptionKind::Infix => ExKind::Infix,
                ExceptionKind::Word => ExKind::Word,
            };
            let mut form = Vec::new();
            let mut splits = Vec::new();
            for c in r.form.chars() {
                if c == '|' {
                    splits.push(form.len());
                } else {
                    form.extend(c.to_lowercase());
                }
            }
            // Loading refused a form without letters or a split.
            if form.is_empty() || splits.is_empty() {
                continue;
            }
            t.exceptions.push(Exception { kind, form, splits });
        }
        for r in m.keep_latin.iter().map(|r| &r.row) {
            let tok = r.token.as_str();
            t.keep_max_len = t.keep_max_len.max(tok.len() + 4);
            match r.kind {
                KeepKind::Acronym | KeepKind::Unit => {
                    t.keep_exact.insert(tok.to_string());
                }
                KeepKind::Name => {
                    t.keep_nocase.insert(tok.to_lowercase());
                }
            }
        }
        t
    }
}

fn is_upper(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_uppercase())
}

impl Translit {
    /// The Latin spelling of one lowercase Serbian Cyrillic letter.
    pub(crate) fn latin_of(&self, c: char) -> Option<&'_ str> {
        let t = self;
        let u = u32::from(c);
        if (BLOCK_START..BLOCK_END).contains(&u) {
            t.lat_exact.get((u - BLOCK_START) as usize)?.as_deref()
        } else {
            t.to_lat.get(&c).map(String::as_str)
        }
    }
}

impl Translit {
    /// What [`to_latin`] turns `c` into, as far as a lowercased result can
    /// tell: `None` when `c` passes through unchanged, `Some(Some(latin))` when
    /// the lowercase of its output is the lowercase of `latin` whatever the
    /// letters around `c`, `Some(None)` when that depends on its neighbours.
    pub(crate) fn lowered_latin_of(&self, c: char) -> Option<Option<&'_ str>> {
        // Table keys are never ASCII (see `build`).
        if c.is_ascii() {
            return None;
        }
        let t = self;
        let u = u32::from(c);
        let lat: &str = if (BLOCK_START..BLOCK_END).contains(&u) {
            t.lat_block.get((u - BLOCK_START) as usize)?.as_deref()?
        } else {
            t.to_lat.get(&lower1(c))?
        };
        Some(t.case_stable.then_some(lat))
    }
}

impl Translit {
    /// Whether [`to_latin`] would change `s`: some char of it has a Latin
    /// spelling in the table. When none has, `to_latin(s) == s`.
    #[cfg(test)]
    fn has_mapped_chars(&self, s: &str) -> bool {
        s.chars().any(|c| self.is_mapped(c))
    }
}

impl Translit {
    /// Whether the table gives `c` a Latin spelling ([`to_latin`] passes every
    /// other char through unchanged).
    pub(crate) fn is_mapped(&self, c: char) -> bool {
        if c.is_ascii() {
            return false;
        }
        let t = self;
        let u = u32::from(c);
        if (BLOCK_START..BLOCK_END).contains(&u) {
            t.lat_block
                .get((u - BLOCK_START) as usize)
                .is_some_and(Option::is_some)
        } else {
            t.to_lat.contains_key(&lower1(c))
        }
    }
}

impl Translit {
    /// Serbian Cyrillic → Serbian Latin. Exact and reversible for Serbian words;
    /// non-Serbian characters pass through.
    pub fn to_latin(&self, s: &str) -> String {
        let t = self;
        let mut out = String::with_capacity(s.len() + s.len() / 8);
        let mut prev: Option<char> = None;
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            let u = u32::from(c);
            // Table keys are never ASCII; the block holds the rest of the plans'
            // letters by code (see `build`).
            let lat: Option<&str> = if c.is_ascii() {
                None
            } else if (BLOCK_START..BLOCK_END).contains(&u) {
                t.lat_block
                    .get((u - BLOCK_START) as usize)
                    .and_then(|l| l.as_deref())
            } else {
                t.to_lat.get(&lower1(c)).map(String::as_str)
            };
            match lat {
                None => out.push(c),
                Some(lat) if c == lower1(c) => out.push_str(lat),
                Some(lat) => {
                    let mut chars = lat.chars();
                    let first = chars.next();
                    let rest: String = chars.collect();
                    if let Some(f) = first {
                        out.extend(f.to_uppercase());
                    }
                    if !rest.is_empty() {
                        // Digraph capital: all capitals inside an upper-case word
                        // (ЉУБОВИЈА → LJUBOVIJA), title case otherwise (Љубовија →
                        // Ljubovija, a lone Љ → Lj).
                        let next = it.peek().copied();
                        let next_is_letter = next.is_some_and(char::is_alphabetic);
                        let all_caps = is_upper(next) || (!next_is_letter && is_upper(prev));
                        if all_caps {
                            out.push_str(&rest.to_uppercase());
                        } else {
                            out.push_str(&rest);
                        }
                    }
                }
            }
            prev = Some(c);
        }
        out
    }
}

/// Lowercase of a single char (Serbian letters lowercase to one char).
fn lower1(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Spans of text that are not Serbian words: HTML tags and entities, URLs,
/// e-mail addresses, file names, bare domain names.
fn protected_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"</?[A-Za-z!][^<>\n]{0,400}>",
            r"|\[bookmark: [^\]\n]{0,200}\]",
            r"|&(?:[A-Za-z]{2,8}|#[0-9]{1,6});",
            r"|(?i:(?:https?|ftp)://|www\.)[^\s<>]+",
            r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}",
            r"|[\p{L}\p{N}_\-]+\.(?i:pdf|docx?|xlsx?|pptx?|txt|html?|jpe?g|png|zip|csv|odt|ods|xml|json)(?-u:\b)",
            r"|(?-u:\b)[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:rs|com|org|net|gov|eu|int|info|ba|me)(?-u:\b)(?:/[^\s<>]*)?",
        ))
        .expect("constant regex is valid")
    })
}

fn is_roman(w: &str) -> bool {
    // Only I, V, X: chapter numbers. L, C, D, M would catch Cyrillic
    // capitals transliterated (МИ, ЛИ, ЦД).
    w.len() >= 2 && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) && {
        static R: OnceLock<Regex> = OnceLock::new();
        let r = R.get_or_init(|| {
            Regex::new(r"^X{0,3}(?:IX|IV|V?I{0,3})$").expect("constant regex is valid")
        });
        r.is_match(w)
    }
}

impl Translit {
    /// Whether a Latin word stays Latin in Cyrillic output. `next` is the char
    /// after the word (units: `m²`, `km2`).
    pub fn keeps_latin(&self, word: &str, next: Option<char>) -> bool {
        let t = self;
        if has_foreign_letter(word) {
            return true;
        }
        // Listed tokens are short; skip the lookups for longer words.
        if word.len() <= t.keep_max_len
            && (t.keep_exact.contains(word) || t.keep_nocase.contains(&word.to_lowercase()))
        {
            return true;
        }
        if is_roman(word) {
            return true;
        }
        // A unit with an exponent: m², km2 (listed with the exponent).
        if let Some(n) = next
            && (n.is_ascii_digit() || n == '²' || n == '³')
            && t.keep_exact.contains(&format!("{word}{n}"))
        {
            return true;
        }
        if matches!(next, Some('²' | '³'))
            && word.chars().count() <= 2
            && word.chars().all(|c| c.is_ascii_lowercase())
        {
            return true;
        }
        false
    }
}

impl Translit {
    /// Serbian Latin → Serbian Cyrillic, leaving non-Serbian tokens in Latin
    /// (see the module doc). Input is NFC-composed first so `dž` written with a
    /// combining caron is one digraph.
    pub fn to_cyrillic(&self, s: &str) -> String {
        let composed;
        let s = if unicode_normalization::is_nfc(s) {
            s
        } else {
            composed = s.nfc().collect::<String>();
            composed.as_str()
        };
        let mut out = String::with_capacity(s.len() + s.len() / 2);
        let mut last = 0;
        for m in protected_re().find_iter(s) {
            self.words_to_cyrillic(&s[last..m.start()], &mut out);
            out.push_str(m.as_str());
            last = m.end();
        }
        self.words_to_cyrillic(&s[last..], &mut out);
        out
    }
}

impl Translit {
    fn words_to_cyrillic(&self, s: &str, out: &mut String) {
        let mut rest = s;
        // Whether the current hyphenated compound holds a foreign part.
        let mut foreign_compound = false;
        while !rest.is_empty() {
            let start = rest.find(|c: char| c.is_alphabetic()).unwrap_or(rest.len());
            let gap = &rest[..start];
            out.push_str(gap);
            rest = &rest[start..];
            let before = &s[..s.len() - rest.len()];
            let end = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            if word.is_empty() {
                continue;
            }
            if gap != "-" {
                foreign_compound = false;
            }
            // A compound part joined by a hyphen to a foreign word stays Latin
            // with it (ex-post): look ahead to the next part too.
            let next_part_foreign = rest.strip_prefix('-').is_some_and(|r| {
                let w: &str = &r[..r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len())];
                !w.is_empty() && has_foreign_letter(w)
            });
            if has_foreign_letter(word) {
                foreign_compound = true;
            }
            let chapter = matches!(word, "I" | "V")
                && (line_opening(before) && capital_follows(rest) || numbered_by(before));
            if foreign_compound
                || next_part_foreign
                || chapter
                || self.keeps_latin(word, rest.chars().next())
            {
                out.push_str(word);
            } else {
                self.word_to_cyrillic(word, out);
            }
        }
    }
}

/// A letter that is neither Serbian Latin nor Cyrillic (Cyrillic letters
/// typed inside a Latin word, `moгу`, pass through as they are).
fn has_foreign_letter(w: &str) -> bool {
    w.chars().any(|c| match c {
        'q' | 'w' | 'x' | 'y' | 'Q' | 'W' | 'X' | 'Y' => true,
        '\0'..='\u{7F}' => false,
        'č' | 'ć' | 'đ' | 'š' | 'ž' | 'Č' | 'Ć' | 'Đ' | 'Š' | 'Ž' => false,
        '\u{0400}'..='\u{04FF}' => false,
        c => {
            c.is_alphabetic() && super::script::of_char(c) != Some(super::script::Script::Cyrillic)
        }
    })
}

/// The word before is one that takes a Roman number ("PRIORITET I",
/// "Deo V"), so a lone `I` after it is a numeral, not the conjunction.
fn numbered_by(before: &str) -> bool {
    let t = before.trim_end_matches([' ', '\t']);
    if t.len() == before.len() {
        return false;
    }
    let w: String = t
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    matches!(
        w.to_lowercase().as_str(),
        "prioritet" | "prioriteti" | "deo" | "dio" | "poglavlje" | "glava" | "faza" | "odeljak"
    )
}

/// Only spaces, tabs or markup emphasis since the start of the line.
fn line_opening(before: &str) -> bool {
    // Walk back to the line start; stops at the first other character.
    before
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .all(|c| c.is_whitespace() || c == '*' || c == '#')
}

/// A space then a capital letter.
fn capital_follows(rest: &str) -> bool {
    let mut it = rest.chars();
    it.next().is_some_and(|c| c == ' ' || c == '\t') && it.next().is_some_and(char::is_uppercase)
}

impl Translit {
    fn word_to_cyrillic(&self, word: &str, out: &mut String) {
        let t = self;
        let chars: Vec<char> = word.chars().collect();
        let lower: Vec<char> = chars.iter().map(|&c| lower1(c)).collect();
        let mut no_join: Vec<usize> = Vec::new();
        for ex in &t.exceptions {
            let n = ex.form.len();
            let mut mark = |at: usize| no_join.extend(ex.splits.iter().map(|s| at + s));
            match ex.kind {
                ExKind::Prefix => {
                    if lower.starts_with(&ex.form) {
                        mark(0);
                    }
                }
                ExKind::Word => {
                    if lower == ex.form {
                        mark(0);
                    }
                }
                ExKind::Infix => {
                    if lower.len() >= n {
                        for i in 0..=lower.len() - n {
                            if lower[i..i + n] == ex.form[..] {
                                mark(i);
                            }
                        }
                    }
                }
            }
        }
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if i + 1 < chars.len()
                && !no_join.contains(&(i + 1))
                && let Some(&d) = t.digraphs.get(&(lower[i], lower[i + 1]))
            {
                push_case(out, d, c.is_uppercase());
                i += 2;
                continue;
            }
            match t.to_cyr.get(&lower[i]) {
                Some(&d) => push_case(out, d, c.is_uppercase()),
                None => out.push(c),
            }
            i += 1;
        }
    }
}

fn push_case(out: &mut String, c: char, upper: bool) {
    if upper {
        out.extend(c.to_uppercase());
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables of the embedded mapping files.
    pub(crate) fn tr() -> Translit {
        let rows = Lexicons::load(&crate::mappings::Mappings::embedded());
        Translit::new(&rows.expect("the embedded mapping files load"))
    }

    #[test]
    fn text_without_mapped_chars_is_its_own_latin_form() {
        let t = tr();
        for c in (0..=0x2FFFu32).filter_map(char::from_u32) {
            let s = format!("a{c}Б{c}b");
            let only = c.to_string();
            if !t.has_mapped_chars(&only) {
                assert_eq!(t.to_latin(&only), only, "{c:?}");
            }
            assert!(t.has_mapped_chars(&s));
        }
        assert!(!t.has_mapped_chars("Ndihmë sociale, čšžćđ 2024"));
        assert!(t.has_mapped_chars("Социјална"));
    }

    #[test]
    fn cyrillic_to_latin_digraph_case() {
        let t = tr();
        assert_eq!(t.to_latin("Љубовија"), "Ljubovija");
        assert_eq!(t.to_latin("ЉУБОВИЈА"), "LJUBOVIJA");
        assert_eq!(t.to_latin("Љ"), "Lj");
        assert_eq!(t.to_latin("ПОЉЕ ЏЕП Џ"), "POLJE DŽEP Dž");
        assert_eq!(t.to_latin("Њ."), "Nj.");
        assert_eq!(t.to_latin("ОПШТИНА ЉУБОВИЈА"), "OPŠTINA LJUBOVIJA");
        assert_eq!(t.to_latin("Џеп, џак, ђак, ћерка"), "Džep, džak, đak, ćerka");
    }

    #[test]
    fn lone_roman_one_after_a_numbering_word() {
        let t = tr();
        assert_eq!(t.to_cyrillic("PRIORITET I"), "ПРИОРИТЕТ I");
        assert_eq!(
            t.to_cyrillic("Prioritet I: porodica"),
            "Приоритет I: породица"
        );
        assert_eq!(
            t.to_cyrillic("SOCIJALNE I PORODIČNE"),
            "СОЦИЈАЛНЕ И ПОРОДИЧНЕ"
        );
        assert_eq!(t.to_cyrillic("rad i porodica"), "рад и породица");
    }

    #[test]
    fn latin_to_cyrillic_digraphs_and_exceptions() {
        let t = tr();
        assert_eq!(t.to_cyrillic("Ljubovija LJUBOVIJA"), "Љубовија ЉУБОВИЈА");
        assert_eq!(t.to_cyrillic("džep Džep"), "џеп Џеп");
        assert_eq!(t.to_cyrillic("injekcija"), "инјекција");
        assert_eq!(t.to_cyrillic("konjunkcija konj"), "конјункција коњ");
        assert_eq!(
            t.to_cyrillic("nadživeti podžupan odžaliti"),
            "надживети поджупан оджалити"
        );
        assert_eq!(t.to_cyrillic("NADŽIVETI"), "НАДЖИВЕТИ");
        // Plain dž after "od" stays one letter.
        assert_eq!(t.to_cyrillic("Odžaci, odžak"), "Оџаци, оџак");
        assert_eq!(
            t.to_cyrillic("konjunktura, konjugacija, injektor"),
            "конјунктура, конјугација, инјектор"
        );
        assert_eq!(
            t.to_cyrillic("izvanjezički vanjezički"),
            "изванјезички ванјезички"
        );
        assert_eq!(t.to_cyrillic("Podžupan"), "Поджупан");
    }

    #[test]
    fn latin_kept() {
        let t = tr();
        assert_eq!(
            t.to_cyrillic("EULEX i UNHCR, IOM, SOS, GDP, TdH"),
            "EULEX и UNHCR, IOM, SOS, GDP, TdH"
        );
        assert_eq!(
            t.to_cyrillic("vidi https://www.mfin.gov.rs/upload i mail@opstina.rs"),
            "види https://www.mfin.gov.rs/upload и mail@opstina.rs"
        );
        assert_eq!(
            t.to_cyrillic("plan.docx poglavlje IV i XII"),
            "plan.docx поглавље IV и XII"
        );
        assert_eq!(
            t.to_cyrillic("331 km² i 5 m2, 10 €, 7 %"),
            "331 km² и 5 m2, 10 €, 7 %"
        );
        assert_eq!(
            t.to_cyrillic("<p style=\"x\">Zasellë</p>"),
            "<p style=\"x\">Zasellë</p>"
        );
        assert_eq!(t.to_cyrillic("SWOT analiza"), "SWOT анализа");
        assert_eq!(t.to_cyrillic("ne moгу, Pružaoци"), "не могу, Пружаоци");
        assert_eq!(t.to_cyrillic("ex-post analiza"), "ex-post анализа");
        assert_eq!(
            t.to_cyrillic("I Opšte odredbe\nII Usluge\nI ovo"),
            "I Опште одредбе\nII Услуге\nИ ово"
        );
        assert_eq!(
            t.to_cyrillic("[bookmark: _GoBack]Poseban cilj"),
            "[bookmark: _GoBack]Посебан циљ"
        );
    }

    #[test]
    fn lowered_latin_agrees_with_to_latin() {
        let t = tr();
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            let one = c.to_string();
            match t.lowered_latin_of(c) {
                None => assert_eq!(t.to_latin(&one), one, "{c:?}"),
                Some(Some(l)) => assert_eq!(t.to_latin(&one).to_lowercase(), l.to_lowercase()),
                Some(None) => panic!("the Serbian table is case-stable ({c:?})"),
            }
        }
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            assert_eq!(t.latin_of(c), t.to_lat.get(&c).map(String::as_str));
        }
        // Each char alone, against the table itself.
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            let want = match t.to_lat.get(&lower1(c)) {
                None => c.to_string(),
                Some(l) if lower1(c) == c => l.clone(),
                Some(l) => {
                    let mut ch = l.chars();
                    let first: String = ch
                        .next()
                        .map(|f| f.to_uppercase().collect())
                        .unwrap_or_default();
                    first + ch.as_str()
                }
            };
            assert_eq!(t.to_latin(&c.to_string()), want, "{c:?}");
        }
        assert_eq!(t.lowered_latin_of('Љ'), Some(Some("lj")));
        assert_eq!(t.lowered_latin_of('ш'), Some(Some("š")));
        assert_eq!(t.lowered_latin_of('ы'), None);
        assert_eq!(t.lowered_latin_of('q'), None);
    }
}
