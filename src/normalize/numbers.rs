//! Numbers in running text and table cells.
//!
//! In: a string and a [`Context`] (the document's decimal convention and
//! language, when known). Out: [`Number`]s with the raw text, byte span in
//! the input, value, kind and an ambiguity flag.
//!
//! What counts as a quantity: integers and decimals in either convention
//! (`3.150`, `1,7%`, `4.000.000,00 динара`, `674,048.46`), percentages,
//! money, years, ranges (`3.5 – 4 %`, `od 10 do 100`), periods (`2022-2027`,
//! `2024 / 2025`, `2023/24`, spans of days `1.8 – 31.10`), dates
//! (`Јануар 2019`, `26.11.2024`, `26. 11. 2024.`, `28. februara`, with or
//! without the day's dot: `28 shkurt 2025`), negatives (`-45`), quarters
//! (`4 квартал, 2026. година`), counts with their noun (`5 dece`), units
//! (`331 km ²`), numbers written as words (`osamnaest`, `tetëmbëdhjetë`,
//! `dve hiljade`) and explicit no-value markers (`Није мерено`, `н/а`, `///`).
//!
//! What does not: identifiers — section and measure numbers (`1.1.1`,
//! `Akt 2.2.4`, `Мера 1.1`, also after an identifier word in another case:
//! `Objektivin 1`, `u Prilogu 2`; a `1.2.` list mark at the start of a
//! line), legal and file references (`08/L-255`,
//! `02-060/01-0074434-5/24`), numbers glued to letters (`AP19`, footnote
//! marks `zaštite1`, `<sup>1</sup>`, `[1]`), numbers with leading zeros
//! (`0001`).
//!
//! Separators: a separator followed by exactly three digits (`2,314`,
//! `68.238`) can group thousands or mark decimals. When it is the grouping
//! separator of the convention in force ([`Context::convention`], else the
//! locale of [`Context::language`] — Serbian and Albanian both write
//! `3.150,5`) the number is an integer; otherwise the number is flagged
//! `ambiguous`, `value` holds the thousands reading (counts and amounts are
//! far more common in plans than three-decimal figures) and `alt` the
//! decimal one.
//!
//! Data: `mappings/months.tsv`, `number_words.tsv`, `number_context.tsv`,
//! `not_a_number.tsv`, `scale_markers.tsv`.

use super::fast_hash::{FastMap, FastSet};
use super::fold;
use super::lang::Language;
use super::script::is_letter;
use crate::config::Lexicons;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::OnceLock;

/// What a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Integer,
    Decimal,
    Percent,
    Money,
    Year,
    /// `from`–`to` ([`Number::value`], [`Number::to`]); unit or `%` applies to both.
    Range,
    /// A span of time: years (`2022-2027`, `2024 / 2025`; `value`–`to`,
    /// `year`) or days of the year (`1.8 – 31.10`: `day`/`month` to
    /// `to_day`/`to_month`, `value` None).
    Period,
    /// A month with a year, or a day.month.year date; `value` is None.
    Date,
    /// A quarter, maybe with its year; `value` is None.
    Quarter,
    /// An integer counting a noun (`5 dece`).
    Count,
    /// A number written in words (`osamnaest`, `pesëmbëdhjetë`).
    Word,
    /// An explicit no-value marker (`Није мерено`, `н/а`, `///`); `value` None.
    NotANumber,
}

/// Decimal convention of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    #[default]
    Unknown,
    /// `3.150,5`: comma decimals, dot groups.
    CommaDecimal,
    /// `3,150.5`: dot decimals, comma groups.
    DotDecimal,
}

/// What the parser knows about the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    pub convention: Convention,
    pub language: Option<Language>,
}

/// One quantity found in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Number {
    /// The input text of the quantity (markup inside it included).
    pub raw: String,
    /// Byte span in the input.
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    /// Upper end of a range or period.
    pub to: Option<f64>,
    pub kind: Kind,
    /// The reading is uncertain (separator ambiguity, several quantities in
    /// one cell); `alt` holds the other reading when there is one.
    pub ambiguous: bool,
    pub alt: Option<f64>,
    pub unit: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// End of a span of days (`1.8 – 31.10`).
    pub to_day: Option<u8>,
    pub to_month: Option<u8>,
    pub quarter: Option<u8>,
    /// The counted noun as written (`dece`, `корисника`).
    pub noun: Option<String>,
}

impl Number {
    /// The value times a table's scale ([`scale_marker`]): "3.150" under
    /// "(у 000)" is 3 150 000. Percentages and years are not scaled.
    pub fn scaled(&self, factor: Option<u32>) -> Option<f64> {
        let v = self.value?;
        match (self.kind, factor) {
            (Kind::Percent | Kind::Year | Kind::Period | Kind::Date | Kind::Quarter, _)
            | (_, None) => Some(v),
            (_, Some(f)) => Some(v * f64::from(f)),
        }
    }

    fn new(s: &str, start: usize, end: usize, kind: Kind) -> Number {
        Number {
            raw: s.get(start..end).unwrap_or("").to_string(),
            start,
            end,
            value: None,
            to: None,
            kind,
            ambiguous: false,
            alt: None,
            unit: None,
            currency: None,
            year: None,
            month: None,
            day: None,
            to_day: None,
            to_month: None,
            quarter: None,
            noun: None,
        }
    }
}

// ---------------------------------------------------------------- lexicon

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordRole {
    Value,
    One,
    Multiplier,
    MultiplierOne,
    Connector,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ctx {
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

#[derive(Debug, Default)]
struct Lexicon {
    months: FastMap<String, u8>,
    words: FastMap<String, (f64, WordRole)>,
    context: FastMap<String, Vec<Ctx>>,
    nan_text: Vec<String>,
    /// Every prefix of a `nan_text` marker (at char boundaries), and their
    /// first bytes: most windows are ruled out by their first character.
    nan_prefixes: FastSet<String>,
    nan_first: Vec<bool>,
    nan_cell: Vec<String>,
    /// Scale markers (folded), their factor, and a searcher built once.
    scales: Vec<(String, u32, memchr::memmem::Finder<'static>)>,
    /// Case endings (`inflection` rows) with the index of their language in
    /// `ident_stems`, longest first.
    endings: Vec<(String, usize)>,
    /// Per language: the stems of its identifier words, each entry with a
    /// case ending of its language taken off (and the entry itself).
    ident_stems: Vec<FastSet<String>>,
}

/// Fewest letters a stem keeps once its ending is taken off: shorter ones
/// ("br", "pr") are abbreviations, which do not inflect.
const MIN_STEM: usize = 3;

impl Lexicon {
    fn has(&self, w: &str, c: &Ctx) -> bool {
        self.context.get(w).is_some_and(|v| v.contains(c))
    }
    /// An identifier word as listed or in another case of its language:
    /// "Objektivin 1" as "Objektivi 1", "mjerama" as "mjera". Only words
    /// before a number are asked, so the common path is one lookup.
    fn is_ident(&self, w: &str) -> bool {
        if self.has(w, &Ctx::Ident) {
            return true;
        }
        self.endings.iter().any(|(e, l)| {
            w.strip_suffix(e.as_str()).is_some_and(|stem| {
                stem.chars().count() >= MIN_STEM && self.ident_stems[*l].contains(stem)
            })
        })
    }
    fn currency(&self, w: &str) -> Option<&str> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Currency(x) => Some(x.as_str()),
            _ => None,
        })
    }
    fn ordinal(&self, w: &str) -> Option<u8> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Ordinal(x) => Some(*x),
            _ => None,
        })
    }
    fn unit(&self, w: &str) -> Option<&str> {
        self.context.get(w)?.iter().find_map(|c| match c {
            Ctx::Unit(x) => Some(x.as_str()),
            _ => None,
        })
    }
    /// A word that may be the counted noun after a number.
    fn is_noun(&self, w: &str) -> bool {
        !self.context.contains_key(w) && !self.months.contains_key(w) && !self.words.contains_key(w)
    }
}

/// Builds the number lexicon from checked rows (see [`crate::config`]).
fn build(m: &Lexicons) -> Lexicon {
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
        let k = fold::key(&r.form);
        match r.place {
            NanPlace::Text => lx.nan_text.push(k),
            NanPlace::Cell => lx.nan_cell.push(k),
        }
    }
    for r in m.scale_markers.iter().map(|r| &r.row) {
        let k = fold::key(&r.pattern);
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

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| build(Lexicons::global()))
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    /// Digits with inner `.`/`,` separators between digit groups.
    Num,
    /// Letters.
    Word,
    /// One other character.
    Sym(char),
    /// Spaces; `hard` when it holds a tab or line break (a cell or line
    /// boundary that quantities never cross).
    Space { hard: bool },
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

/// Replaces markup with spaces of the same byte length, so offsets stay
/// those of the input: HTML tags, `**`/`*` emphasis. `<sup>2</sup>` after a
/// letter becomes `²` (km<sup>2</sup>); other `<sup>…</sup>` content is a
/// footnote mark and is blanked. `[12]` footnote marks are blanked too.
fn blank_markup(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    // Most text has no markup at all: no copy then.
    if !b.iter().any(|&c| matches!(c, b'<' | b'*' | b'[')) {
        return Cow::Borrowed(s);
    }
    let mut out: Vec<u8> = b.to_vec();
    let mut i = 0;
    let lower_at = |i: usize, pat: &str| {
        b.len() >= i + pat.len() && b[i..i + pat.len()].eq_ignore_ascii_case(pat.as_bytes())
    };
    while i < b.len() {
        match b[i] {
            b'<' if lower_at(i, "<sup>") => {
                // Look for the closing tag nearby only: linear time on any input.
                let window = &s[i..char_floor(s, i + 200)];
                let close = window.find("</sup>").or_else(|| window.find("</SUP>"));
                let Some(rel) = close else {
                    out[i] = b' ';
                    i += 1;
                    continue;
                };
                let end = i + rel + "</sup>".len();
                let inner = s[i + 5..i + rel].trim();
                let after_letter = s[..i]
                    .trim_end()
                    .chars()
                    .last()
                    .is_some_and(char::is_alphabetic);
                for x in &mut out[i..end] {
                    *x = b' ';
                }
                if after_letter && (inner == "2" || inner == "3") {
                    let sup = if inner == "2" { "²" } else { "³" };
                    out[i..i + sup.len()].copy_from_slice(sup.as_bytes());
                }
                i = end;
            }
            b'<' => {
                // A tag: '<' + letter or '/' or '!' … '>' on the same line.
                let is_tag = b
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'!');
                let close = if is_tag {
                    s[i..char_floor(s, i + 400)]
                        .find(['>', '\n'])
                        .map(|r| i + r)
                } else {
                    None
                };
                match close {
                    Some(e) if is_tag && b[e] == b'>' && e - i < 400 => {
                        for x in &mut out[i..=e] {
                            *x = b' ';
                        }
                        i = e + 1;
                    }
                    _ => i += 1,
                }
            }
            b'*' => {
                out[i] = b' ';
                i += 1;
            }
            b'[' => {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() && j - i < 4 {
                    j += 1;
                }
                if j > i + 1 && b.get(j) == Some(&b']') {
                    for x in &mut out[i..=j] {
                        *x = b' ';
                    }
                    i = j + 1;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII, and ² / ³ written over ASCII
    // spaces: the result is valid UTF-8. Fall back to the input otherwise.
    match String::from_utf8(out) {
        Ok(o) => Cow::Owned(o),
        Err(_) => Cow::Borrowed(s),
    }
}

/// The largest char boundary of `s` at or below `i`.
fn char_floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn tokenize(s: &str) -> Vec<Tok> {
    // About one token per three bytes of plan text: few regrowths.
    let mut toks = Vec::with_capacity(s.len() / 3 + 1);
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    it.next();
                } else if d == '.' || d == ',' {
                    // A separator only if a digit follows.
                    let next = s[j + 1..].chars().next();
                    if next.is_some_and(|n| n.is_ascii_digit()) {
                        it.next();
                        end = j + 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            toks.push(Tok {
                t: T::Num,
                start: i,
                end,
            });
        } else if is_letter(c) || c == '²' || c == '³' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_letter(d) || ('\u{0300}'..='\u{036F}').contains(&d) || d == '²' || d == '³'
                {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            toks.push(Tok {
                t: T::Word,
                start: i,
                end,
            });
        } else if c.is_whitespace() {
            let mut hard = c == '\t' || c == '\n' || c == '\r';
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if d.is_whitespace() {
                    hard |= d == '\t' || d == '\n' || d == '\r';
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            toks.push(Tok {
                t: T::Space { hard },
                start: i,
                end,
            });
        } else {
            toks.push(Tok {
                t: T::Sym(c),
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    toks
}

/// Appends the folding of one char as [`fold::key`] does it (lowercase,
/// Latin, no diacritics), for incremental matching.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        match l {
            'č' | 'ć' | 'ç' => out.push('c'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'đ' => out.push_str("dj"),
            'ë' => out.push('e'),
            '\u{0400}'..='\u{04FF}' => match super::translit::latin_of(l) {
                Some(lat) => lat.chars().for_each(|x| fold_char(x, out)),
                None => out.push(l),
            },
            l => out.push(l),
        }
    }
}

// ---------------------------------------------------------------- numerals

/// The reading of one digit group sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Core {
    /// A value; `int` when it has no decimals; `alt` when ambiguous.
    Value { v: f64, int: bool, alt: Option<f64> },
    /// `d.m.yyyy`.
    Date { d: u8, m: u8, y: i32 },
    /// Not a quantity.
    Ident,
}

/// The value of a run of ASCII digits; anything else in it (a token that
/// is not a pure digit run) is skipped rather than trusted.
fn digits_value(g: &str) -> f64 {
    g.bytes()
        .filter(u8::is_ascii_digit)
        .fold(0.0, |a, b| a * 10.0 + f64::from(b - b'0'))
}

fn decimal_value(int: &str, frac: &str) -> f64 {
    // Parse through text to avoid float error accumulation.
    format!("{int}.{frac}")
        .parse()
        .unwrap_or_else(|_| digits_value(int))
}

/// The grouping separator in force, or None when both are open.
fn grouping_sep(ctx: &Context) -> Option<char> {
    match ctx.convention {
        Convention::CommaDecimal => Some('.'),
        Convention::DotDecimal => Some(','),
        Convention::Unknown => ctx.language.map(|_| '.'),
    }
}

fn read_core(raw: &str, ctx: &Context) -> Core {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut last = 0;
    for (i, c) in raw.char_indices() {
        if c == '.' || c == ',' {
            groups.push(&raw[last..i]);
            seps.push(c);
            last = i + 1;
        }
    }
    groups.push(&raw[last..]);
    let lead_zero = |g: &str| g.len() > 1 && g.starts_with('0');
    if lead_zero(groups[0]) {
        return Core::Ident;
    }
    let g0 = groups[0];
    let thousands_ok =
        |gs: &[&str]| !gs.is_empty() && gs[0].len() <= 3 && gs[1..].iter().all(|g| g.len() == 3);
    let join = |gs: &[&str]| gs.iter().fold(0.0, |a, g| a * 1000.0 + digits_value(g));
    match seps.as_slice() {
        [] => Core::Value {
            v: digits_value(g0),
            int: true,
            alt: None,
        },
        [sep] => {
            let frac = groups[1];
            if frac.len() == 3 && g0.len() <= 3 && g0 != "0" {
                let thousand = join(&groups);
                let dec = decimal_value(g0, frac);
                if grouping_sep(ctx) == Some(*sep) {
                    Core::Value {
                        v: thousand,
                        int: true,
                        alt: None,
                    }
                } else {
                    Core::Value {
                        v: thousand,
                        int: true,
                        alt: Some(dec),
                    }
                }
            } else {
                Core::Value {
                    v: decimal_value(g0, frac),
                    int: false,
                    alt: None,
                }
            }
        }
        _ => {
            let all_same = seps.iter().all(|s| *s == seps[0]);
            if all_same {
                if thousands_ok(&groups) {
                    return Core::Value {
                        v: join(&groups),
                        int: true,
                        alt: None,
                    };
                }
                // d.m.yyyy
                if seps.len() == 2 && seps[0] == '.' {
                    let (d, m, y) = (
                        digits_value(groups[0]),
                        digits_value(groups[1]),
                        digits_value(groups[2]),
                    );
                    if groups[0].len() <= 2
                        && groups[1].len() <= 2
                        && groups[2].len() == 4
                        && (1.0..=31.0).contains(&d)
                        && (1.0..=12.0).contains(&m)
                    {
                        return Core::Date {
                            d: d as u8,
                            m: m as u8,
                            y: y as i32,
                        };
                    }
                }
                return Core::Ident;
            }
            // Mixed: the last separator is the decimal mark, all others the
            // same grouping mark with three-digit groups.
            let dec = seps[seps.len() - 1];
            let grp = &seps[..seps.len() - 1];
            let int_groups = &groups[..groups.len() - 1];
            if grp.iter().all(|s| *s != dec && *s == grp[0]) && thousands_ok(int_groups) {
                let int = join(int_groups);
                let frac = groups[groups.len() - 1];
                let v = int + decimal_value("0", frac);
                Core::Value {
                    v,
                    int: false,
                    alt: None,
                }
            } else {
                Core::Ident
            }
        }
    }
}

/// `d.m` with a valid day and month, one or two digits each.
fn day_month(raw: &str) -> Option<(u8, u8)> {
    let (d, m) = raw.split_once('.')?;
    let ok = |g: &str| (1..=2).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit());
    if !ok(d) || !ok(m) {
        return None;
    }
    let (d, m) = (d.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some((d, m))
}

fn is_year(v: f64) -> bool {
    (1900.0..=2100.0).contains(&v) && v.fract() == 0.0
}

// ---------------------------------------------------------------- parser

struct Parser<'a> {
    s: &'a str,
    b: Cow<'a, str>,
    toks: Vec<Tok>,
    /// Lowercase text of each word token, as a span of `lower_text`
    /// (empty for other tokens): one buffer instead of a string per word.
    lowers: Vec<(usize, usize)>,
    lower_text: String,
    ctx: &'a Context,
    lx: &'static Lexicon,
    /// No-value marker spans found by pattern.
    nans: Vec<(usize, usize)>,
    /// End of the last quantity found: tokens before it are used up.
    floor: std::cell::Cell<usize>,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str, ctx: &'a Context) -> Parser<'a> {
        let b = blank_markup(s);
        let toks = tokenize(&b);
        let lx = lexicon();
        // Lowercase words once: the lexicon lookups ask for them often.
        let mut lower_text = String::with_capacity(b.len());
        let lowers = toks
            .iter()
            .map(|t| {
                let start = lower_text.len();
                if t.t == T::Word {
                    let w = b.get(t.start..t.end).unwrap_or("");
                    // Char by char, which is str::to_lowercase but for
                    // its word-final sigma.
                    for c in w.chars() {
                        if c == 'Σ' {
                            lower_text.truncate(start);
                            lower_text.push_str(&w.to_lowercase());
                            break;
                        }
                        super::script::push_lowercase(c, &mut lower_text);
                    }
                }
                (start, lower_text.len())
            })
            .collect();
        let mut p = Parser {
            s,
            b,
            toks,
            lowers,
            lower_text,
            ctx,
            lx,
            nans: Vec::new(),
            floor: std::cell::Cell::new(0),
        };
        p.find_nans();
        p
    }

    fn text(&self, i: usize) -> &str {
        let t = &self.toks[i];
        self.b.get(t.start..t.end).unwrap_or("")
    }

    /// The lowercase word at `i` in its own script (lexicon rows hold both).
    fn word(&self, i: usize) -> Option<&str> {
        (self.toks.get(i)?.t == T::Word).then(|| {
            self.lowers
                .get(i)
                .and_then(|&(a, b)| self.lower_text.get(a..b))
                .unwrap_or("")
        })
    }

    fn glued(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    /// Index of the next token after `i` skipping soft spaces (and, if
    /// `commas`, commas and dots between phrase parts).
    fn next_soft(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        match self.toks.get(j)?.t {
            T::Space { hard: false } => Some(j + 1).filter(|&k| k < self.toks.len()),
            T::Space { hard: true } => None,
            _ => Some(j),
        }
    }

    fn prev_soft(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        match self.toks.get(j)?.t {
            T::Space { hard: false } => j.checked_sub(1),
            T::Space { hard: true } => None,
            _ => Some(j),
        }
    }

    fn find_nans(&mut self) {
        let lx = self.lx;
        let max_len = lx.nan_text.iter().map(String::len).max().unwrap_or(0);
        // An empty marker is a prefix of every window.
        let empty_marker = lx.nan_text.iter().any(String::is_empty);
        let mut folded = String::new();
        // (folded length, input byte end) after each input char.
        let mut ends: Vec<(usize, usize)> = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            let at_boundary = i == 0
                || !matches!(self.toks[i - 1].t, T::Word | T::Num)
                || self.toks[i - 1].end != t.start;
            if !at_boundary || matches!(t.t, T::Space { .. }) {
                continue;
            }
            if self.nans.last().is_some_and(|&(_, e)| t.start < e) {
                continue;
            }
            let rest = self.b.get(t.start..).unwrap_or("");
            // Fold a window as long as the longest marker, char by char.
            folded.clear();
            ends.clear();
            // Some marker is a prefix of the window so far (once true,
            // stays true as the window grows).
            let mut covers = empty_marker;
            for (k, c) in rest.char_indices() {
                if folded.len() >= max_len {
                    break;
                }
                if c.is_whitespace() {
                    if folded.ends_with(' ') {
                        continue;
                    }
                    folded.push(' ');
                } else {
                    fold_char(c, &mut folded);
                }
                ends.push((folded.len(), t.start + k + c.len_utf8()));
                // Stop as soon as no marker can match any more: the window
                // is neither a prefix of a marker nor extends one.
                let open = covers
                    || (folded
                        .as_bytes()
                        .first()
                        .is_some_and(|&b| lx.nan_first[usize::from(b)])
                        && (lx.nan_prefixes.contains(folded.as_str()) || {
                            covers = lx.nan_text.iter().any(|p| folded.starts_with(p.as_str()));
                            covers
                        }));
                if !open {
                    break;
                }
            }
            // A marker can only start the window with its first byte (or
            // be empty): most windows need no look at the list.
            let may_match = empty_marker
                || folded
                    .as_bytes()
                    .first()
                    .is_some_and(|&b| lx.nan_first[usize::from(b)]);
            if !may_match {
                continue;
            }
            for pat in &lx.nan_text {
                if !folded.starts_with(pat.as_str()) {
                    continue;
                }
                let Some(&(_, end)) = ends.iter().find(|&&(len, _)| len == pat.len()) else {
                    continue;
                };
                let next = self.b[end..].chars().next();
                if !next.is_some_and(|c| super::script::is_letter_or_digit(c) || c == '/') {
                    self.nans.push((t.start, end));
                }
                break;
            }
        }
    }

    fn run(&self) -> Vec<Number> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut nan_ix = 0;
        while i < self.toks.len() {
            let t = self.toks[i];
            while nan_ix < self.nans.len() && self.nans[nan_ix].1 <= t.start {
                nan_ix += 1;
            }
            if let Some(&(ns, ne)) = self.nans.get(nan_ix)
                && ns == t.start
            {
                out.push(Number::new(self.s, ns, ne, Kind::NotANumber));
                while i < self.toks.len() && self.toks[i].start < ne {
                    i += 1;
                }
                continue;
            }
            let next = match t.t {
                T::Num => self.number(i, &mut out),
                T::Word => self.word_at(i, &mut out),
                _ => i + 1,
            };
            if let Some(last) = out.last() {
                self.floor.set(last.end);
            }
            i = next.max(i + 1);
        }
        out
    }

    /// Skips a glued chain of letters, digits and `./-_` from `i`.
    fn skip_chain(&self, mut i: usize) -> usize {
        while i + 1 < self.toks.len() && self.glued(i, i + 1) {
            match self.toks[i + 1].t {
                T::Num | T::Word | T::Sym('.' | '/' | '-' | '_' | ',') => i += 1,
                _ => break,
            }
        }
        i + 1
    }

    fn number(&self, i: usize, out: &mut Vec<Number>) -> usize {
        let lx = self.lx;
        let t = self.toks[i];
        // "km 2": a superscript exponent whose markup was lost.
        if matches!(self.text(i), "2" | "3")
            && let Some(p) = self.prev_soft(i)
            && matches!(self.word(p), Some("km" | "m" | "cm"))
        {
            return i + 1;
        }
        // Glued to a letter or an identifier on the left: part of a code.
        if i > 0 && self.glued(i - 1, i) {
            match self.toks[i - 1].t {
                T::Word => {
                    // Q4: a quarter.
                    if self.word(i - 1) == Some("q") {
                        let v = digits_value(self.text(i));
                        if (1.0..=4.0).contains(&v) {
                            let mut n =
                                Number::new(self.s, self.toks[i - 1].start, t.end, Kind::Quarter);
                            n.quarter = Some(v as u8);
                            let end = self.quarter_year(i, &mut n);
                            out.push(n);
                            return end;
                        }
                    }
                    return self.skip_chain(i);
                }
                // "43%³": a footnote mark whose superscript was lost.
                T::Sym('%') => return i + 1,
                T::Sym('/' | '-' | '_' | '.')
                    if i >= 2
                        && self.glued(i - 2, i - 1)
                        && matches!(self.toks[i - 2].t, T::Word | T::Num) =>
                {
                    return self.skip_chain(i);
                }
                _ => {}
            }
        }
        // The glued chain to the right.
        let mut chain = vec![i];
        let mut j = i;
        while j + 1 < self.toks.len() && self.glued(j, j + 1) {
            let nt = self.toks[j + 1].t;
            let continues = match nt {
                T::Num | T::Word => true,
                T::Sym('/' | '-' | '_' | '.') => {
                    self.toks
                        .get(j + 2)
                        .is_some_and(|x| matches!(x.t, T::Num | T::Word))
                        && self.glued(j + 1, j + 2)
                }
                _ => false,
            };
            if !continues {
                break;
            }
            j += 1;
            chain.push(j);
        }
        let core = read_core(self.text(i), self.ctx);
        let mut n = Number::new(self.s, t.start, t.end, Kind::Integer);
        let mut last = i;
        if chain.len() > 1 {
            let mut kinds: Vec<T> = chain.iter().map(|&k| self.toks[k].t).collect();
            // "14vjeç", "5-14vjeç": a lowercase word of three letters or more
            // glued after the number is its noun, not part of a code.
            if kinds.len() >= 2
                && kinds.last() == Some(&T::Word)
                && chain.last().is_some_and(|&k| {
                    let w = self.text(k);
                    w.chars().count() >= 3 && w.chars().all(char::is_lowercase)
                })
            {
                kinds.pop();
                if kinds.last() == Some(&T::Sym('-')) {
                    kinds.pop();
                }
            }
            match kinds.as_slice() {
                [T::Num] => {}
                // 5km, 100EUR, 2.000din
                [T::Num, T::Word] => {
                    let w = self.word(i + 1).unwrap_or_default();
                    if lx.unit(w).is_none() && lx.currency(w).is_none() && !lx.has(w, &Ctx::Percent)
                    {
                        return self.skip_chain(i);
                    }
                }
                // 24-časovna, 25-vjeçare: a number glued by a hyphen to
                // the word it qualifies is still that number.
                [T::Num, T::Sym('-'), T::Word]
                    if matches!(core, Core::Value { alt: None, .. })
                        && self.text(i).chars().all(|c| c.is_ascii_digit()) => {}
                // 2022-2027, 10-15, 2024/2025
                [T::Num, T::Sym(c), T::Num] => {
                    let second = read_core(self.text(i + 2), self.ctx);
                    match (core, second) {
                        (
                            Core::Value {
                                v: a, alt: None, ..
                            },
                            Core::Value {
                                v: b, alt: None, ..
                            },
                        ) => {
                            // School and budget years: 2023/24, 2023-24.
                            let b = if is_year(a)
                                && self.text(i + 2).len() == 2
                                && self.text(i).len() == 4
                            {
                                let full = (a / 100.0).floor() * 100.0 + b;
                                if full > a { full } else { b }
                            } else {
                                b
                            };
                            if is_year(a) && is_year(b) && b >= a && self.text(i).len() == 4 {
                                n = Number::new(
                                    self.s,
                                    t.start,
                                    self.toks[i + 2].end,
                                    Kind::Period,
                                );
                                n.value = Some(a);
                                n.to = Some(b);
                                n.year = Some(a as i32);
                                out.push(n);
                                return i + 3;
                            }
                            if *c == '-' && b > a {
                                n = Number::new(self.s, t.start, self.toks[i + 2].end, Kind::Range);
                                n.value = Some(a);
                                n.to = Some(b);
                                let end = self.suffix(i + 2, &mut n);
                                out.push(n);
                                return end;
                            }
                            return self.skip_chain(i);
                        }
                        _ => return self.skip_chain(i),
                    }
                }
                _ => return self.skip_chain(i),
            }
        }
        let (v, int, alt) = match core {
            Core::Ident => return i + 1,
            Core::Date { d, m, y } => {
                let mut end_tok = i;
                if self.sym_at(i + 1, '.') && self.glued(i, i + 1) {
                    end_tok = i + 1;
                }
                let mut n = Number::new(self.s, t.start, self.toks[end_tok].end, Kind::Date);
                n.day = Some(d);
                n.month = Some(m);
                n.year = Some(y);
                out.push(n);
                return end_tok + 1;
            }
            Core::Value { v, int, alt } => (v, int, alt),
        };
        n.value = Some(v);
        n.alt = alt;
        n.ambiguous = alt.is_some();
        n.kind = if int { Kind::Integer } else { Kind::Decimal };
        let plain = !self.text(i).contains(['.', ',']);
        // Ordinal dot: "2022.", "2.".
        let ordinal = self.sym_at(i + 1, '.')
            && self.glued(i, i + 1)
            && !self.toks.get(i + 2).is_some_and(|x| matches!(x.t, T::Num));
        if ordinal {
            last = i + 1;
        }
        // Span of days: "1.8 – 31.10", "1.8. – 31.10." (a season, not two
        // decimals nor section numbers).
        if let Some(end) = self.day_span(i, last, &mut n) {
            out.push(n);
            return end;
        }
        // Section numbers: "1.2." and "3.1 Naslov" at a line start.
        let section_like = {
            let raw = self.text(i);
            raw.contains('.') && !raw.contains(',') && raw.split('.').all(|g| g.len() <= 2)
        };
        if section_like
            && (ordinal
                || self.line_start(i)
                    && self.next_soft(i).is_some_and(|k| {
                        self.text(k).chars().next().is_some_and(char::is_uppercase)
                    }))
        {
            return self.skip_chain(i);
        }
        // Identifier word before: Мера 1.1, Akt 2, br. 5.
        if let Some(p) = self.prev_soft(i) {
            // "br. 5": the word glued to the abbreviation dot.
            let p = if self.sym_at(p, '.') {
                p.checked_sub(1).filter(|&q| self.glued(q, p))
            } else {
                Some(p)
            };
            if let Some(p) = p
                && let Some(w) = self.word(p)
                && lx.is_ident(w)
            {
                return self.skip_chain(i);
            }
        }
        // Quarter: "4 квартал", "2. kvartal 2026".
        if plain
            && (1.0..=4.0).contains(&v)
            && let Some(q) = self.next_soft(last)
            && self.word(q).is_some_and(|w| lx.has(w, &Ctx::Quarter))
        {
            let mut n = Number::new(self.s, t.start, self.toks[q].end, Kind::Quarter);
            n.quarter = Some(v as u8);
            let end = self.quarter_year(q, &mut n);
            out.push(n);
            return end;
        }
        // Numeric date with spaces: "26. 11. 2024.".
        if plain
            && ordinal
            && (1.0..=31.0).contains(&v)
            && let Some(mi) = self.next_soft(last)
            && self.toks[mi].t == T::Num
            && self.sym_at(mi + 1, '.')
            && self.glued(mi, mi + 1)
            && let Some(yi) = self.next_soft(mi + 1)
            && self.toks[yi].t == T::Num
            && self.text(yi).len() == 4
        {
            let (m, y) = (digits_value(self.text(mi)), digits_value(self.text(yi)));
            if self.text(mi).len() <= 2 && (1.0..=12.0).contains(&m) && is_year(y) {
                let mut end = yi;
                if self.sym_at(yi + 1, '.') && self.glued(yi, yi + 1) {
                    end = yi + 1;
                }
                let mut n = Number::new(self.s, t.start, self.toks[end].end, Kind::Date);
                n.day = Some(v as u8);
                n.month = Some(m as u8);
                n.year = Some(y as i32);
                out.push(n);
                return end + 1;
            }
        }
        // Day and month: "26. novembar 2024", "1. јануара", and without
        // the day's dot as Albanian writes it ("28 shkurt 2025", "31 mars"):
        // a month name does not count things, so a day before it is a day.
        if let Some(mi) = self.day_of_month(i, last)
            && let Some(m) = self.word(mi).and_then(|w| lx.months.get(w).copied())
        {
            let mut n = Number::new(self.s, t.start, self.toks[mi].end, Kind::Date);
            n.day = Some(v as u8);
            n.month = Some(m);
            let end = self.month_year(mi, &mut n);
            out.push(n);
            return end;
        }
        // A list mark at the start of a line or cell: "1." / "3.1" handled
        // as identifier by read_core; "2." here.
        if ordinal && plain && !is_year(v) && self.line_start(i) {
            return last + 1;
        }
        n.end = self.toks[last].end;
        n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        // Currency before: "€ 100", "EUR 100", "$5" — a symbol or an
        // upper-case code not already used by the previous quantity.
        if let Some(p) = self.prev_soft(i)
            && self.toks[p].start >= self.floor.get()
        {
            let w = match self.toks[p].t {
                T::Sym(c) => Some(c.to_string()),
                T::Word if self.is_upper_code(p) => self.word(p).map(str::to_string),
                _ => None,
            };
            if let Some(cur) = w.as_deref().and_then(|w| lx.currency(w)) {
                n.kind = Kind::Money;
                n.currency = Some(cur.to_string());
                n.start = self.toks[p].start;
                n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
            }
        }
        // Range or period: "3.5 – 4 %", "od 10 do 100", "2024 / 2025".
        if (!ordinal || is_year(v))
            && let Some(r) = self.range_end(last, v)
        {
            let (k, b) = r;
            let years = plain && is_year(v) && is_year(b) && b >= v && self.text(k).len() == 4;
            let is_slash = self.between_is_slash(last, k);
            if years || !is_slash {
                n.kind = if years { Kind::Period } else { Kind::Range };
                n.to = Some(b);
                if years {
                    n.year = Some(v as i32);
                }
                n.ambiguous |= matches!(
                    read_core(self.text(k), self.ctx),
                    Core::Value { alt: Some(_), .. }
                );
                n.end = self.toks[k].end;
                let mut end_tok = k;
                if self.sym_at(k + 1, '.') && self.glued(k, k + 1) && years {
                    end_tok = k + 1;
                }
                n.end = self.toks[end_tok].end;
                n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
                let end = if years {
                    end_tok + 1
                } else {
                    self.suffix(end_tok, &mut n)
                };
                out.push(n);
                return end;
            }
        }
        let end = self.suffix(last, &mut n);
        // Years: a bare 4-digit number 1900..2100 not counting a noun.
        if plain
            && is_year(v)
            && self.text(i).len() == 4
            && n.unit.is_none()
            && n.currency.is_none()
            && n.kind == Kind::Integer
        {
            n.kind = Kind::Year;
            n.year = Some(v as i32);
        } else if plain && is_year(v) && n.kind == Kind::Count && (ordinal || self.year_context(i))
        {
            n.kind = Kind::Year;
            n.year = Some(v as i32);
            n.noun = None;
            n.end = self.toks[last].end;
            n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
            out.push(n);
            return last + 1;
        }
        // A minus sign glued before the number, after a space or at the
        // start of a cell, and not after another number (a range "10 -15")
        // nor before a year ("Synuar -2024" is a separator): negative.
        if n.kind != Kind::Year
            && i > 0
            && self.glued(i - 1, i)
            && matches!(self.toks[i - 1].t, T::Sym('-' | '−'))
        {
            let before = i.checked_sub(2).map(|k| self.toks[k].t);
            let lone = match before {
                None => true,
                Some(T::Space { .. }) => self
                    .prev_soft(i - 1)
                    .is_none_or(|k| self.toks[k].t != T::Num),
                Some(T::Sym('(')) => true,
                _ => false,
            };
            if lone {
                n.value = n.value.map(|x| -x);
                n.alt = n.alt.map(|x| -x);
                n.start = self.toks[i - 1].start;
                n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
            }
        }
        out.push(n);
        end
    }

    /// The month word after the day at `i` (ending at token `last`, its
    /// dot included): a plain number of one or two digits, 1 to 31,
    /// followed by a month name on the same line.
    fn day_of_month(&self, i: usize, last: usize) -> Option<usize> {
        let raw = self.text(i);
        if !(1..=2).contains(&raw.len()) || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v = digits_value(raw);
        if !(1.0..=31.0).contains(&v) {
            return None;
        }
        let mi = self.next_soft(last)?;
        self.word(mi)
            .is_some_and(|w| self.lx.months.contains_key(w))
            .then_some(mi)
    }

    /// `d.m – d.m` from the number at `i` (ending at token `last`). Under
    /// a convention where the dot groups thousands these cannot be
    /// decimals; otherwise the span is flagged ambiguous.
    fn day_span(&self, i: usize, last: usize, n: &mut Number) -> Option<usize> {
        let (d1, m1) = day_month(self.text(i))?;
        let sep = self.next_soft(last)?;
        if !matches!(self.toks[sep].t, T::Sym('-' | '–' | '—' | '−')) {
            return None;
        }
        let k2 = self.next_soft(sep)?;
        if self.toks[k2].t != T::Num {
            return None;
        }
        let (d2, m2) = day_month(self.text(k2))?;
        // A unit or percent after the second end makes them decimals.
        if let Some(a) = self.next_soft(k2) {
            match self.toks[a].t {
                T::Sym(c) if c == '%' || self.lx.currency(&c.to_string()).is_some() => return None,
                T::Word => {
                    let w = self.word(a).unwrap_or_default();
                    if self.lx.unit(w).is_some()
                        || self.lx.currency(w).is_some()
                        || self.lx.has(w, &Ctx::Percent)
                    {
                        return None;
                    }
                }
                _ => {}
            }
        }
        let mut end = k2;
        if self.sym_at(k2 + 1, '.') && self.glued(k2, k2 + 1) {
            end = k2 + 1;
        }
        n.kind = Kind::Period;
        n.alt = n.value.take();
        n.ambiguous = grouping_sep(self.ctx) != Some('.');
        n.day = Some(d1);
        n.month = Some(m1);
        n.to_day = Some(d2);
        n.to_month = Some(m2);
        n.end = self.toks[end].end;
        n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        Some(end + 1)
    }

    /// A word before the number that makes it a year: a year word
    /// ("vitin 2021") not itself closing an earlier year ("2022. години
    /// 2000 корисника"), a preposition, a month.
    fn year_context(&self, i: usize) -> bool {
        let Some(p) = self.prev_soft(i) else {
            return false;
        };
        let Some(w) = self.word(p) else {
            return false;
        };
        if self.lx.has(w, &Ctx::Year) {
            let before = self.prev_soft(p).map(|q| self.toks[q].t);
            return !matches!(before, Some(T::Num | T::Sym('.')));
        }
        self.lx.has(w, &Ctx::Stop) || self.lx.months.contains_key(w)
    }

    fn sym_at(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.t == T::Sym(c))
    }

    fn line_start(&self, i: usize) -> bool {
        match i.checked_sub(1).map(|p| self.toks[p].t) {
            None => true,
            Some(T::Space { hard: true }) => true,
            Some(T::Space { hard: false }) => {
                i < 2
                    || matches!(self.toks[i - 2].t, T::Sym('(' | '-' | '•' | '·' | '*'))
                        && self.line_start(i - 2)
            }
            Some(T::Sym('(' | '•' | '·')) => self.line_start(i - 1),
            _ => false,
        }
    }

    fn between_is_slash(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|k| self.sym_at(k, '/'))
    }

    /// After the number ending at token `last`: a dash, `/`, `do`, `deri`
    /// then a plain number. Returns the token of the second number and its
    /// value.
    fn range_end(&self, last: usize, v: f64) -> Option<(usize, f64)> {
        let mut k = last;
        // Percent between ends: "10% - 20%".
        if let Some(p) = self.next_soft(k)
            && self.sym_at(p, '%')
        {
            k = p;
        }
        let sep = self.next_soft(k)?;
        let ok = match self.toks[sep].t {
            T::Sym('-' | '–' | '—' | '−' | '‒' | '/') => true,
            T::Word => self.word(sep).is_some_and(|w| self.lx.has(w, &Ctx::Range)),
            _ => false,
        };
        if !ok {
            return None;
        }
        let k2 = self.next_soft(sep)?;
        if self.toks[k2].t != T::Num {
            return None;
        }
        // The second end must not be an identifier or glued to letters.
        if self
            .toks
            .get(k2 + 1)
            .is_some_and(|x| x.t == T::Word && self.glued(k2, k2 + 1))
        {
            return None;
        }
        // Nor the day of a date ("od 10 do 28. februara", "nga 10 deri 28
        // shkurt"): the first number stands alone, as after "od 10.".
        let k2_last = if self.sym_at(k2 + 1, '.') && self.glued(k2, k2 + 1) {
            k2 + 1
        } else {
            k2
        };
        if self.day_of_month(k2, k2_last).is_some() {
            return None;
        }
        match read_core(self.text(k2), self.ctx) {
            // A range grows; equal ends only for a one-year period.
            Core::Value { v: b, .. } if b > v || (b == v && is_year(v)) => Some((k2, b)),
            _ => None,
        }
    }

    /// Unit, percent, scale, currency and counted noun after token `last`;
    /// returns the index of the first token not used.
    fn suffix(&self, last: usize, n: &mut Number) -> usize {
        let lx = self.lx;
        let mut end = last;
        let mut k = last;
        // Scale word: "4,9 милиона", "10 hiljada", "2 mijë".
        if let Some(p) = self.next_soft(k)
            && let Some(w) = self.word(p)
            && let Some(&(m, WordRole::Multiplier | WordRole::MultiplierOne)) = lx.words.get(w)
            && m >= 1000.0
        {
            n.value = n.value.map(|v| v * m);
            n.to = n.to.map(|v| v * m);
            n.alt = n.alt.map(|v| v * m);
            end = p;
            k = p;
        }
        if let Some(p) = self.next_soft(k) {
            match self.toks[p].t {
                T::Sym('%') => {
                    if n.kind != Kind::Range {
                        n.kind = Kind::Percent;
                    }
                    n.unit = Some("%".into());
                    end = p;
                }
                T::Sym(c) => {
                    if let Some(cur) = lx.currency(&c.to_string()) {
                        n.kind = if n.kind == Kind::Range {
                            Kind::Range
                        } else {
                            Kind::Money
                        };
                        n.currency = Some(cur.to_string());
                        end = p;
                    }
                }
                T::Word => {
                    let w = self.word(p).unwrap_or_default();
                    if lx.has(w, &Ctx::Percent) {
                        if n.kind != Kind::Range {
                            n.kind = Kind::Percent;
                        }
                        n.unit = Some("%".into());
                        end = p;
                    } else if let Some(cur) = lx.currency(w) {
                        if n.kind != Kind::Range {
                            n.kind = Kind::Money;
                        }
                        n.currency = Some(cur.to_string());
                        end = p;
                        if self.sym_at(p + 1, '.') && self.glued(p, p + 1) && w.chars().count() <= 3
                        {
                            end = p + 1; // "дин."
                        }
                    } else if let Some(u) = lx.unit(w) {
                        let mut unit = u.to_string();
                        end = p;
                        // Exponent written apart: "km ²", "km 2" is not
                        // taken (could be a count).
                        if let Some(e) = self.next_soft(p)
                            && matches!(self.toks[e].t, T::Word)
                            && matches!(self.text(e), "²" | "³")
                        {
                            unit = format!("{}{}", unit.trim_end_matches(['²', '³']), self.text(e));
                            end = e;
                        }
                        n.unit = Some(unit);
                    } else if lx.is_noun(w) && !self.is_upper_code(p) {
                        if matches!(n.kind, Kind::Integer) {
                            n.kind = Kind::Count;
                        }
                        if matches!(
                            n.kind,
                            Kind::Integer | Kind::Count | Kind::Decimal | Kind::Range | Kind::Word
                        ) {
                            n.noun = Some(
                                self.s
                                    .get(self.toks[p].start..self.toks[p].end)
                                    .unwrap_or("")
                                    .to_string(),
                            );
                            end = p;
                        }
                    }
                }
                _ => {}
            }
        }
        if end != last {
            n.end = self.toks[end].end;
            n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        }
        // A counted noun is part of the quantity's span: "5 dece".
        end + 1
    }

    /// An all-capitals word (an acronym such as DMS, CSR) is not a noun.
    fn is_upper_code(&self, i: usize) -> bool {
        let t = self.text(i);
        t.chars().count() > 1 && t.chars().all(|c| !c.is_lowercase())
    }

    /// Optional year after a quarter phrase ending at token `q`:
    /// ", 2026. година", " 2026".
    fn quarter_year(&self, q: usize, n: &mut Number) -> usize {
        let mut k = q;
        let mut p = self.next_soft(k);
        if let Some(c) = p
            && self.sym_at(c, ',')
        {
            k = c;
            p = self.next_soft(k);
        }
        if let Some(y) = p
            && self.toks[y].t == T::Num
            && self.text(y).len() == 4
            && self.text(y).bytes().all(|b| b.is_ascii_digit())
        {
            let v = digits_value(self.text(y));
            if is_year(v) {
                n.year = Some(v as i32);
                let mut end = y;
                if self.sym_at(y + 1, '.') && self.glued(y, y + 1) {
                    end = y + 1;
                }
                if let Some(w) = self.next_soft(end)
                    && self.word(w).is_some_and(|w| self.lx.has(w, &Ctx::Year))
                {
                    end = w;
                }
                n.end = self.toks[end].end;
                n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
                return end + 1;
            }
        }
        n.end = self.toks[q].end;
        n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        q + 1
    }

    /// Optional year after a month word at token `mi`.
    fn month_year(&self, mi: usize, n: &mut Number) -> usize {
        let mut k = mi;
        if self.sym_at(k + 1, '.') && self.glued(k, k + 1) {
            k += 1;
        }
        let mut p = self.next_soft(k);
        if let Some(c) = p
            && self.sym_at(c, ',')
        {
            p = self.next_soft(c);
        }
        if let Some(y) = p {
            let glued_word =
                self.toks.get(y + 1).is_some_and(|x| x.t == T::Word) && self.glued(y, y + 1);
            if self.toks[y].t == T::Num && self.text(y).len() == 4 && !glued_word {
                let v = digits_value(self.text(y));
                if is_year(v) {
                    n.year = Some(v as i32);
                    let mut end = y;
                    if self.sym_at(y + 1, '.') && self.glued(y, y + 1) {
                        end = y + 1;
                    }
                    n.end = self.toks[end].end;
                    n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
                    return end + 1;
                }
            }
        }
        n.end = self.toks[mi].end;
        n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        mi + 1
    }

    fn word_at(&self, i: usize, out: &mut Vec<Number>) -> usize {
        let lx = self.lx;
        let Some(w) = self.word(i) else {
            return i + 1;
        };
        // Month + year: "Јануар 2019", "Nëntor 2024".
        if let Some(&m) = lx.months.get(w) {
            let mut n = Number::new(self.s, self.toks[i].start, self.toks[i].end, Kind::Date);
            n.month = Some(m);
            let end = self.month_year(i, &mut n);
            if n.year.is_some() {
                out.push(n);
                return end;
            }
        }
        // Ordinal quarter: "treći kvartal 2026", "tremujori i tretë 2026".
        if let Some(q) = lx.ordinal(w)
            && (1..=4).contains(&q)
            && let Some(k) = self.next_soft(i)
            && self.word(k).is_some_and(|x| lx.has(x, &Ctx::Quarter))
        {
            let mut n = Number::new(self.s, self.toks[i].start, self.toks[k].end, Kind::Quarter);
            n.quarter = Some(q);
            let end = self.quarter_year(k, &mut n);
            out.push(n);
            return end;
        }
        if lx.has(w, &Ctx::Quarter)
            && let Some(a) = self.next_soft(i)
            && matches!(self.word(a), Some("i" | "e"))
            && let Some(k) = self.next_soft(a)
            && let Some(q) = self.word(k).and_then(|x| lx.ordinal(x))
            && (1..=4).contains(&q)
        {
            let mut n = Number::new(self.s, self.toks[i].start, self.toks[k].end, Kind::Quarter);
            n.quarter = Some(q);
            let end = self.quarter_year(k, &mut n);
            out.push(n);
            return end;
        }
        // Roman quarter: "IV kvartal 2026".
        let roman = match self.text(i) {
            "I" => Some(1),
            "II" => Some(2),
            "III" => Some(3),
            "IV" => Some(4),
            _ => None,
        };
        if let Some(q) = roman
            && let Some(k) = self.next_soft(i)
            && self.word(k).is_some_and(|w| lx.has(w, &Ctx::Quarter))
        {
            let mut n = Number::new(self.s, self.toks[i].start, self.toks[k].end, Kind::Quarter);
            n.quarter = Some(q);
            let end = self.quarter_year(k, &mut n);
            out.push(n);
            return end;
        }
        // Number words.
        let glued_left = i > 0
            && self.glued(i - 1, i)
            && matches!(self.toks[i - 1].t, T::Num | T::Word | T::Sym('-' | '/'));
        if lx.words.contains_key(w)
            && !glued_left
            && let Some((n, end)) = self.number_words(i, false)
        {
            out.push(n);
            return end;
        }
        i + 1
    }

    /// A run of number words from token `i`. `cell`: accept a lone "one".
    fn number_words(&self, i: usize, cell: bool) -> Option<(Number, usize)> {
        let lx = self.lx;
        let mut total = 0.0f64;
        let mut cur = 0.0f64;
        let mut limit = f64::INFINITY;
        let mut count = 0;
        let mut only_one = true;
        let mut last = i;
        let mut k = i;
        loop {
            let w = self.word(k)?;
            let &(v, role) = lx.words.get(w)?;
            match role {
                WordRole::Connector => break,
                WordRole::Multiplier | WordRole::MultiplierOne => {
                    // "hiljadu", "milion" alone mean one thousand, one million.
                    if role == WordRole::MultiplierOne {
                        only_one = false;
                    }
                    if v >= 1000.0 {
                        if total > 0.0 && v >= total.max(1000.0) && cur == 0.0 {
                            break;
                        }
                        // A lone multiplier ("milijarde evra", "hiljade
                        // ljudi") is a vague amount, not a number.
                        only_one &= total == 0.0 && cur == 0.0;
                        total += cur.max(1.0) * v;
                        cur = 0.0;
                        limit = v;
                    } else {
                        if cur >= v {
                            break;
                        }
                        only_one &= cur == 0.0;
                        cur = cur.max(1.0) * v;
                        limit = v;
                    }
                }
                WordRole::Value | WordRole::One => {
                    if v >= limit || (count > 0 && cur > 0.0 && cur < 10.0) {
                        break;
                    }
                    cur += v;
                    limit = if v >= 100.0 {
                        100.0
                    } else if v >= 20.0 {
                        10.0
                    } else {
                        0.0
                    };
                    if role == WordRole::Value {
                        only_one = false;
                    }
                }
            }
            count += 1;
            last = k;
            // Next number word, maybe after a connector ("njëzet e pesë").
            let Some(nx) = self.next_soft(k) else { break };
            let Some(nw) = self.word(nx) else { break };
            match lx.words.get(nw) {
                Some(&(_, WordRole::Connector)) => {
                    let Some(after) = self.next_soft(nx) else {
                        break;
                    };
                    match self.word(after).and_then(|x| lx.words.get(x).copied()) {
                        Some((av, WordRole::Value | WordRole::One)) if av < limit => k = after,
                        _ => break,
                    }
                }
                Some(_) => k = nx,
                None => break,
            }
        }
        if count == 0 || (only_one && !cell) {
            return None;
        }
        let mut n = Number::new(self.s, self.toks[i].start, self.toks[last].end, Kind::Word);
        n.value = Some(total + cur);
        let end = self.suffix(last, &mut n);
        if n.kind == Kind::Count {
            n.kind = Kind::Word;
        }
        Some((n, end))
    }
}

// ---------------------------------------------------------------- API

/// Every quantity in running text, in order of appearance.
///
/// Extraction parses the same cells in several passes, so results for
/// inputs up to 1 KB are memoized per thread, as [`fold::key`] does: they
/// depend only on `s`, `ctx` and the process-wide mappings. The memo is
/// cleared when full, so its memory stays bounded.
pub fn parse_all(s: &str, ctx: &Context) -> Vec<Number> {
    const MAX_LEN: usize = 1024;
    const MAX_ENTRIES: usize = 4096;
    type Memo = super::fast_hash::FastMap<String, Vec<(Context, Vec<Number>)>>;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Default::default());
    }
    if s.len() > MAX_LEN {
        return Parser::new(s, ctx).run();
    }
    let hit = MEMO.with(|m| {
        m.borrow()
            .get(s)
            .and_then(|v| v.iter().find(|(c, _)| c == ctx).map(|(_, n)| n.clone()))
    });
    if let Some(n) = hit {
        return n;
    }
    let n = Parser::new(s, ctx).run();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.entry(s.to_string()).or_default().push((*ctx, n.clone()));
    });
    n
}

/// The value of a whole table cell: a quantity, a no-value marker, a month
/// alone, a currency without amount (`€/muaj/klient`), a number word. With
/// several quantities in the cell (`0 raste familje - 5 femije`), or a
/// quantity inside running text (more than two other words), the first is
/// returned flagged ambiguous. None for an empty cell or one without a
/// quantity (text, an identifier such as `Мера 1.1`).
pub fn parse_cell(s: &str, ctx: &Context) -> Option<Number> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = s.len() - s.trim_start().len();
    let end = start + trimmed.len();
    let lx = lexicon();
    // No-value markers are short: fold only short cells.
    if trimmed.len() <= 64 {
        let key = fold::key(trimmed);
        let inner = key.trim_matches(|c: char| {
            c == '*' || c == '(' || c == ')' || c == '.' || c.is_whitespace()
        });
        if lx
            .nan_cell
            .iter()
            .chain(lx.nan_text.iter())
            .any(|k| k == inner)
        {
            return Some(Number::new(s, start, end, Kind::NotANumber));
        }
    }
    let p = Parser::new(s, ctx);
    let nums = p.run();
    if let Some(first) = nums.first() {
        let mut n = first.clone();
        // Several quantities, or a quantity inside a sentence: the cell's
        // value is not just this number.
        let words_outside = p
            .toks
            .iter()
            .filter(|t| {
                t.t == T::Word && !nums.iter().any(|q| q.start <= t.start && t.end <= q.end)
            })
            .count();
        if nums.len() > 1 || words_outside > 2 {
            n.ambiguous = true;
        }
        return Some(n);
    }
    // Lone month, lone "one", currency without amount.
    let words: Vec<usize> = (0..p.toks.len())
        .filter(|&i| p.toks[i].t == T::Word)
        .collect();
    if let [w] = words.as_slice() {
        let lw = p.word(*w).unwrap_or_default();
        if let Some(&m) = lx.months.get(lw) {
            let mut n = Number::new(s, p.toks[*w].start, p.toks[*w].end, Kind::Date);
            n.month = Some(m);
            return Some(n);
        }
        if let Some((n, _)) = p.number_words(*w, true) {
            return Some(n);
        }
    }
    // "€", "€/muaj/klient", "€mesečno": money, no amount.
    for (i, t) in p.toks.iter().enumerate() {
        let cur = match t.t {
            T::Sym(c) => lx.currency(&c.to_string()),
            _ => None,
        };
        if let Some(cur) = cur {
            let mut n = Number::new(s, start, end, Kind::Money);
            n.currency = Some(cur.to_string());
            let rest =
                p.b.get(t.end..end)
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('/')
                    .trim();
            if !rest.is_empty() && i + 1 < p.toks.len() {
                n.unit = Some(rest.to_string());
            }
            return Some(n);
        }
    }
    None
}

/// Infers a document's decimal convention from unambiguous evidence: a
/// number with both separators (`674,048.46`, `4.000.000,00`), repeated
/// three-digit groups (`1.773.971`), a decimal before `%` (`1,7%`,
/// `3.5 %`), a comma with one, two or four+ decimals (`30,5`). Dots with
/// one or two digits are not evidence (section numbers). Conflicting
/// evidence gives Unknown unless one side outweighs the other four to one.
pub fn infer_convention<'a>(samples: impl IntoIterator<Item = &'a str>) -> Convention {
    let mut comma = 0usize;
    let mut dot = 0usize;
    let ctx = Context::default();
    for s in samples {
        // Only a number with a separator between digits ("1.5", "2,314")
        // counts, and blanking markup never creates one: skip the rest
        // without tokenizing.
        let has_grouped = s
            .as_bytes()
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && matches!(w[1], b'.' | b',') && w[2].is_ascii_digit());
        if !has_grouped {
            continue;
        }
        let b = blank_markup(s);
        let toks = tokenize(&b);
        for (i, t) in toks.iter().enumerate() {
            if t.t != T::Num {
                continue;
            }
            // Skip numbers glued to letters or identifiers.
            let glued_left = i > 0
                && toks[i - 1].end == t.start
                && !matches!(toks[i - 1].t, T::Space { .. } | T::Sym('(' | '€' | '$'));
            let glued_right = toks
                .get(i + 1)
                .is_some_and(|n| n.start == t.end && matches!(n.t, T::Word | T::Sym('/' | '-')));
            if glued_left || glued_right {
                continue;
            }
            let raw = &b[t.start..t.end];
            let seps: Vec<char> = raw.chars().filter(|c| *c == '.' || *c == ',').collect();
            let percent = toks.get(i + 1).is_some_and(|n| n.t == T::Sym('%'))
                || (toks
                    .get(i + 1)
                    .is_some_and(|n| matches!(n.t, T::Space { hard: false }))
                    && toks.get(i + 2).is_some_and(|n| n.t == T::Sym('%')));
            match seps.as_slice() {
                [] => {}
                [c] => {
                    let frac = raw.rsplit([',', '.']).next().unwrap_or("");
                    let not_group = frac.len() != 3;
                    if not_group && percent {
                        if *c == ',' { comma += 2 } else { dot += 2 }
                    } else if not_group && *c == ',' {
                        comma += 1;
                    }
                }
                many => {
                    if matches!(read_core(raw, &ctx), Core::Ident | Core::Date { .. }) {
                        continue;
                    }
                    let lastc = many[many.len() - 1];
                    if many.iter().all(|c| *c == lastc) {
                        // Repeated: that is the grouping mark.
                        if lastc == '.' { comma += 2 } else { dot += 2 }
                    } else if lastc == ',' {
                        comma += 3
                    } else {
                        dot += 3
                    }
                }
            }
        }
    }
    match (comma, dot) {
        (0, 0) => Convention::Unknown,
        (c, 0) if c > 0 => Convention::CommaDecimal,
        (0, d) if d > 0 => Convention::DotDecimal,
        (c, d) if c >= 4 * d => Convention::CommaDecimal,
        (c, d) if d >= 4 * c => Convention::DotDecimal,
        _ => Convention::Unknown,
    }
}

/// The scale a caption or header declares for a table's amounts:
/// `(у 000)`, `у хиљадама РСД`, `(in 000 EUR)` → 1000; `(у динарима)` → 1;
/// `u milionima` → 1 000 000. None when the text declares no scale.
pub fn scale_marker(s: &str) -> Option<u32> {
    let key = fold::key(s);
    // Markers are never empty (the loader refuses such rows).
    lexicon()
        .scales
        .iter()
        .find(|(pat, _, finder)| fold::has_words(&key, pat, finder, false))
        .map(|&(_, f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn sr() -> Context {
        Context {
            convention: Convention::Unknown,
            language: Some(Language::Sr),
        }
    }
    pub(super) fn sq() -> Context {
        Context {
            convention: Convention::Unknown,
            language: Some(Language::Sq),
        }
    }
    fn cell(s: &str, c: &Context) -> Number {
        match parse_cell(s, c) {
            Some(n) => n,
            None => panic!("no number in {s:?}"),
        }
    }

    #[test]
    fn plain_values() {
        let n = cell("3.150", &sr());
        assert_eq!(
            (n.value, n.kind, n.ambiguous),
            (Some(3150.0), Kind::Integer, false)
        );
        let n = cell("182", &sr());
        assert_eq!((n.value, n.kind), (Some(182.0), Kind::Integer));
        let n = cell("1,7%", &sr());
        assert_eq!(
            (n.value, n.kind, n.unit.as_deref()),
            (Some(1.7), Kind::Percent, Some("%"))
        );
        let n = cell("9,16%", &sr());
        assert_eq!(n.value, Some(9.16));
        let n = cell("4.000.000,00 динара", &sr());
        assert_eq!(
            (n.value, n.kind, n.currency.as_deref()),
            (Some(4_000_000.0), Kind::Money, Some("RSD"))
        );
        assert_eq!(n.raw, "4.000.000,00 динара");
        let n = cell("674,048.46", &sq());
        assert_eq!(
            (n.value, n.kind, n.ambiguous),
            (Some(674_048.46), Kind::Decimal, false)
        );
        let n = cell("68.238", &sq());
        assert_eq!((n.value, n.ambiguous), (Some(68238.0), false));
    }

    #[test]
    fn ambiguous_comma_thousands() {
        let n = cell("2,314", &sr());
        assert_eq!(
            (n.value, n.alt, n.ambiguous),
            (Some(2314.0), Some(2.314), true)
        );
        let dot = Context {
            convention: Convention::DotDecimal,
            language: Some(Language::Sq),
        };
        let n = cell("<b>2,314</b>", &dot);
        assert_eq!(
            (n.value, n.ambiguous, n.raw.as_str()),
            (Some(2314.0), false, "2,314")
        );
        let comma = Context {
            convention: Convention::CommaDecimal,
            language: None,
        };
        let n = cell("68.238", &comma);
        assert_eq!((n.value, n.ambiguous), (Some(68238.0), false));
        let n = cell("68.238", &Context::default());
        assert!(n.ambiguous);
    }

    #[test]
    fn ranges_units_periods() {
        let v = parse_all(
            "me një rritje mesatare të GDP prej 3.5 – 4 % gjatë 4 viteve",
            &sq(),
        );
        assert_eq!(v[0].kind, Kind::Range);
        assert_eq!(
            (v[0].value, v[0].to, v[0].unit.as_deref()),
            (Some(3.5), Some(4.0), Some("%"))
        );
        assert_eq!(v[0].raw, "3.5 – 4 %");
        let n = cell("331 km ²", &sr());
        assert_eq!(
            (n.value, n.unit.as_deref(), n.kind),
            (Some(331.0), Some("km²"), Kind::Integer)
        );
        let n = cell("331 km <sup>2</sup>", &sq());
        assert_eq!((n.value, n.unit.as_deref()), (Some(331.0), Some("km²")));
        let v = parse_all("përbëhet prej 331 km<sup>2</sup>. Si rezultat", &sq());
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].unit.as_deref(), Some("km²"));
        let v = parse_all("Sipërfaqe 331 km 2 gjithsej", &sq());
        assert_eq!(v.len(), 1, "{v:?}");
        let v = parse_all("neophodna 24-časovna nega", &sr());
        assert_eq!((v.len(), v[0].value), (1, Some(24.0)), "{v:?}");
        let v = parse_all("nën moshën 25-vjeçare", &sq());
        assert_eq!((v.len(), v[0].value), (1, Some(25.0)), "{v:?}");
        let v = parse_all("za oba pola", &sr());
        assert_eq!((v.len(), v[0].value), (1, Some(2.0)), "{v:?}");
        let v = parse_all("rreth 43%3 e tyre", &sq());
        assert_eq!(v.len(), 1, "{v:?}");
        let v = parse_all("5-14vjeç dhe 14vjeç", &sq());
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!((v[0].value, v[0].to), (Some(5.0), Some(14.0)), "{v:?}");
        assert_eq!(v[1].value, Some(14.0), "{v:?}");
        let v = parse_all("COVID-19 i 5G mreža", &sr());
        assert!(v.is_empty(), "{v:?}");
        let v = parse_all("Figura 1: Distanca", &sq());
        assert!(v.is_empty(), "{v:?}");
        let n = cell("2024 / 2025", &sq());
        assert_eq!(
            (n.kind, n.value, n.to),
            (Kind::Period, Some(2024.0), Some(2025.0))
        );
        let n = cell("2022-2027", &sr());
        assert_eq!(
            (n.kind, n.value, n.to),
            (Kind::Period, Some(2022.0), Some(2027.0))
        );
        let v = parse_all("deset naselja od 500 do 1.000 stanovnika po km²", &sr());
        let r = v.iter().find(|n| n.kind == Kind::Range);
        assert_eq!(
            r.map(|n| (n.value, n.to)),
            Some((Some(500.0), Some(1000.0)))
        );
    }

    #[test]
    fn dates_quarters_counts() {
        let n = cell("4 квартал, 2026. година", &sr());
        assert_eq!(
            (n.kind, n.quarter, n.year),
            (Kind::Quarter, Some(4), Some(2026))
        );
        assert_eq!(n.raw, "4 квартал, 2026. година");
        let n = cell("2. квартал 2026", &sr());
        assert_eq!(
            (n.kind, n.quarter, n.year),
            (Kind::Quarter, Some(2), Some(2026))
        );
        let n = cell("Јануар 2019", &sr());
        assert_eq!(
            (n.kind, n.month, n.year, n.value),
            (Kind::Date, Some(1), Some(2019), None)
        );
        let n = cell("март 2019", &sr());
        assert_eq!((n.kind, n.month, n.year), (Kind::Date, Some(3), Some(2019)));
        let n = cell("Nëntor 2024", &sq());
        assert_eq!((n.month, n.year), (Some(11), Some(2024)));
        let n = cell("5 dece", &sr());
        assert_eq!(
            (n.kind, n.value, n.noun.as_deref()),
            (Kind::Count, Some(5.0), Some("dece"))
        );
        let n = cell("0 raste familje - 5 femije", &sq());
        assert_eq!(
            (n.kind, n.value, n.noun.as_deref(), n.ambiguous),
            (Kind::Count, Some(0.0), Some("raste"), true)
        );
        let v = parse_all("0 raste familje - 5 femije", &sq());
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[1].value, v[1].noun.as_deref()),
            (Some(5.0), Some("femije"))
        );
        let n = cell("Br. 02-060/01-0074434-5/24, od 26.11.2024", &sr());
        assert_eq!(
            (n.kind, n.day, n.month, n.year),
            (Kind::Date, Some(26), Some(11), Some(2024))
        );
    }

    #[test]
    fn not_a_number() {
        for s in ["Није мерено", "н/а", "///", "N/A", " nije mereno "] {
            let n = cell(s, &sr());
            assert_eq!((n.kind, n.value), (Kind::NotANumber, None), "{s}");
        }
        let v = parse_all("Задовољство корисника\tНије мерено\t4", &sr());
        assert_eq!(
            v.iter().map(|n| n.kind).collect::<Vec<_>>(),
            vec![Kind::NotANumber, Kind::Integer]
        );
        assert_eq!(v[0].raw, "Није мерено");
    }

    #[test]
    fn money_without_amount() {
        let n = cell("€/muaj/klient", &sq());
        assert_eq!(
            (n.kind, n.value, n.currency.as_deref(), n.unit.as_deref()),
            (Kind::Money, None, Some("EUR"), Some("muaj/klient"))
        );
        let n = cell("€", &sq());
        assert_eq!((n.kind, n.unit), (Kind::Money, None));
    }

    #[test]
    fn identifiers_are_not_quantities() {
        for s in [
            "1.1.1",
            "Akt 2.2.4 Avancimi i komunikimit",
            "LIGJI NR. 08/L-255 PËR SHËRBIME",
            "02-060/01-0074434-5/24",
            "Мера 1.1",
            "1.2. ",
            "zaštite1 i AP19",
            "tekst[3] i <sup>4</sup>",
            "Програм 15 ПР 0001",
        ] {
            assert!(
                parse_all(s, &sr()).is_empty(),
                "{s}: {:?}",
                parse_all(s, &sr())
            );
        }
        let v = parse_all("Мера 1.1\t3.150\t150\t0\t3.300", &sr());
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(3150.0), Some(150.0), Some(0.0), Some(3300.0)]
        );
    }

    #[test]
    fn identifier_words_in_other_cases() {
        // Forms the lexicon does not list, read through a case ending of
        // their language: Albanian, Serbian Latin and Cyrillic, ijekavian.
        for (s, c) in [
            ("Tabela 3: Aktivitetet për Objektivin 1", sq()),
            ("Treguesit për Masën 1.1", sq()),
            ("sipas Treguesve 4", sq()),
            ("u skladu sa mjerama 2.1", sr()),
            ("prema mjerom 1.3", sr()),
            ("табела у Прилогу 2", sr()),
            ("у складу са циљевима 1", sr()),
            ("у складу са мјером 3.2", sr()),
        ] {
            let v = parse_all(s, &c);
            assert!(v.is_empty(), "{s}: {v:?}");
        }
        // A derived word (an adjective, no case ending on the stem) and a
        // word that merely begins like one stay ordinary words.
        for (s, c, want) in [
            ("prioritetnih 5 oblasti", sr(), 5.0),
            ("programski budžet 120 hiljada", sr(), 120_000.0),
            ("masive 12 familje", sq(), 12.0),
        ] {
            let v = parse_all(s, &c);
            assert_eq!(v.first().and_then(|n| n.value), Some(want), "{s}: {v:?}");
        }
    }

    #[test]
    fn day_month_with_or_without_the_days_dot() {
        for (s, c, d, m, y) in [
            ("od 10. do 28. februara 2025.", sr(), 28, 2, Some(2025)),
            ("nga 10 deri më 28 shkurt 2025.", sq(), 28, 2, Some(2025)),
            ("nga 10 deri 28 shkurt 2025", sq(), 28, 2, Some(2025)),
            ("od 10 do 28 februara 2025", sr(), 28, 2, Some(2025)),
            ("do 31. marta naredne godine", sr(), 31, 3, None),
            ("deri më 31 mars të vitit pasues", sq(), 31, 3, None),
            ("до 15 фебруара", sr(), 15, 2, None),
        ] {
            let v = parse_all(s, &c);
            let last = v.last().expect("a date");
            assert_eq!(
                (last.kind, last.day, last.month, last.year, last.value),
                (Kind::Date, Some(d), Some(m), y, None),
                "{s}: {v:?}"
            );
            // The first day of "od 10 do 28 …" is a number of its own, never
            // a range ending in the date's day.
            assert!(v.iter().all(|n| n.kind != Kind::Range), "{s}: {v:?}");
        }
        // A count or a figure before other words stays what it was; a day
        // out of range or a year before a month is no day.
        for (s, c, k) in [
            ("28 shkurt", sq(), Kind::Date),
            ("32 mars 2025", sq(), Kind::Integer),
            ("6 takime gjatë periudhës tetor 2024", sq(), Kind::Count),
            ("2024 mart", sr(), Kind::Year),
        ] {
            let v = parse_all(s, &c);
            assert_eq!(v.first().map(|n| n.kind), Some(k), "{s}: {v:?}");
        }
    }

    #[test]
    fn words() {
        let v = parse_all("zapošljava ukupno osamnaest radnika", &sr());
        assert_eq!(
            (v[0].kind, v[0].value, v[0].noun.as_deref()),
            (Kind::Word, Some(18.0), Some("radnika"))
        );
        let v = parse_all(
            "jedanaest naselja, pet naselja i devet naselja, dvanaest ciljeva",
            &sr(),
        );
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(11.0), Some(5.0), Some(9.0), Some(12.0)]
        );
        let v = parse_all(
            "punëson gjithsej tetëmbëdhjetë punëtorë; nëntë punonjës; pesëmbëdhjetë vendbanime; dymbëdhjetë objektivat",
            &sq(),
        );
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(18.0), Some(9.0), Some(15.0), Some(12.0)]
        );
        let v = parse_all(
            "njëqind e njëzet e pesë; dymijë; dve hiljade petsto; двадесет пет; једно питање",
            &sr(),
        );
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(125.0), Some(2000.0), Some(2500.0), Some(25.0)]
        );
        assert_eq!(cell("jedan", &sr()).value, Some(1.0));
        let v = parse_all("4,9 милиона динара", &sr());
        assert_eq!((v[0].value, v[0].kind), (Some(4_900_000.0), Kind::Money));
    }

    #[test]
    fn years() {
        let v = parse_all("за 2021. била је 68.238 у 46 јединица", &sr());
        assert_eq!(v[0].kind, Kind::Year);
        assert_eq!(v[0].year, Some(2021));
        assert_eq!(v[1].value, Some(68238.0));
        assert_eq!(
            (v[2].kind, v[2].noun.as_deref()),
            (Kind::Count, Some("јединица"))
        );
        let v = parse_all("Novembar 2024", &sr());
        assert_eq!((v[0].kind, v[0].month), (Kind::Date, Some(11)));
    }

    #[test]
    fn convention_inference() {
        assert_eq!(
            infer_convention(["Budžet 674,048.46"]),
            Convention::DotDecimal
        );
        assert_eq!(
            infer_convention(["4.000.000,00 динара", "1,7%"]),
            Convention::CommaDecimal
        );
        assert_eq!(infer_convention(["1.1.1 i 2.2"]), Convention::Unknown);
        assert_eq!(infer_convention(["2,314"]), Convention::Unknown);
    }

    #[test]
    fn scales() {
        assert_eq!(scale_marker("(у 000)"), Some(1000));
        assert_eq!(
            scale_marker("Процена извора финансирања по годинама (у 000.)"),
            Some(1000)
        );
        assert_eq!(
            scale_marker("Потребна финансијска средства по изворима финансирања у хиљадама РСД"),
            Some(1000)
        );
        assert_eq!(scale_marker("(in 000 EUR)"), Some(1000));
        assert_eq!(
            scale_marker("ЗА РЕАЛИЗАЦИЈУ МЕРА У АКЦИОНОМ ПЛАНУ (у динарима)"),
            Some(1)
        );
        assert_eq!(scale_marker("Програм 15 ПР 0001"), None);
        assert_eq!(scale_marker("Укупно"), None);
        let ctx = Context {
            convention: Convention::CommaDecimal,
            language: Some(Language::Sr),
        };
        let n = parse_cell("3.150", &ctx).and_then(|n| n.scaled(scale_marker("(у 000)")));
        assert_eq!(n, Some(3_150_000.0));
        let n = parse_cell("1,7%", &ctx).and_then(|n| n.scaled(Some(1000)));
        assert_eq!(n, Some(1.7));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn all(s: &str) -> Vec<Number> {
        parse_all(
            s,
            &Context {
                convention: Convention::Unknown,
                language: Some(Language::Sr),
            },
        )
    }

    #[test]
    fn money_forms() {
        let v = all("€ 100 i 250 EUR, 1.500 din. i $5");
        let got: Vec<_> = v
            .iter()
            .map(|n| (n.kind, n.value, n.currency.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::Money, Some(100.0), Some("EUR")),
                (Kind::Money, Some(250.0), Some("EUR")),
                (Kind::Money, Some(1500.0), Some("RSD")),
                (Kind::Money, Some(5.0), Some("USD")),
            ]
        );
        assert_eq!(v[2].raw, "1.500 din.");
    }

    #[test]
    fn ranges_and_quarters() {
        let v =
            all("10-15% i od 10 do 100 korisnika; Q4 2026; IV kvartal 2026; 26. novembar 2024.");
        assert_eq!(
            (v[0].kind, v[0].value, v[0].to, v[0].unit.as_deref()),
            (Kind::Range, Some(10.0), Some(15.0), Some("%"))
        );
        assert_eq!(
            (v[1].kind, v[1].value, v[1].to, v[1].noun.as_deref()),
            (Kind::Range, Some(10.0), Some(100.0), Some("korisnika"))
        );
        assert_eq!(
            (v[2].kind, v[2].quarter, v[2].year),
            (Kind::Quarter, Some(4), Some(2026))
        );
        assert_eq!(
            (v[3].kind, v[3].quarter, v[3].year),
            (Kind::Quarter, Some(4), Some(2026))
        );
        assert_eq!(
            (v[4].kind, v[4].day, v[4].month, v[4].year),
            (Kind::Date, Some(26), Some(11), Some(2024))
        );
        assert_eq!(v.len(), 5);
        let v = all("treći kvartal 2026, Четврти квартал 2027. године, tremujori i parë 2025");
        let q: Vec<_> = v.iter().map(|n| (n.kind, n.quarter, n.year)).collect();
        assert_eq!(
            q,
            vec![
                (Kind::Quarter, Some(3), Some(2026)),
                (Kind::Quarter, Some(4), Some(2027)),
                (Kind::Quarter, Some(1), Some(2025)),
            ]
        );
    }

    #[test]
    fn years_and_counts() {
        let v = all("У 2022. години 2000 корисника, u 2021 bilo je");
        assert_eq!((v[0].kind, v[0].year), (Kind::Year, Some(2022)));
        assert_eq!(
            (v[1].kind, v[1].noun.as_deref()),
            (Kind::Count, Some("корисника"))
        );
        assert_eq!((v[2].kind, v[2].year), (Kind::Year, Some(2021)));
        // Lone "one" and vague multipliers are not quantities in text.
        assert!(all("jedno pitanje, një shoqëri, milijarde evra, hiljade ljudi").is_empty());
        let v = all("hiljadu korisnika i milion evra");
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(1000.0), Some(1_000_000.0)]
        );
        assert_eq!(v[1].currency.as_deref(), Some("EUR"));
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn number_inside_a_sentence_is_flagged() {
        let ctx = Context::default();
        let n = parse_cell("Обезбедити 5 нових услуга у општини Ириг", &ctx);
        assert_eq!(n.map(|n| (n.value, n.ambiguous)), Some((Some(5.0), true)));
        let n = parse_cell("4.000.000,00 динара", &ctx);
        assert_eq!(n.map(|n| n.ambiguous), Some(false));
        let n = parse_cell("Буџет ЛС 3.000", &ctx);
        assert_eq!(n.map(|n| n.ambiguous), Some(true)); // no language: 3.000 is open
    }
}

#[cfg(test)]
mod sign_tests {
    use super::*;

    #[test]
    fn negatives() {
        let ctx = Context {
            convention: Convention::Unknown,
            language: Some(Language::Sr),
        };
        let v = parse_all(
            "Стопа природног прираштаја ³\t-7\t(2024); природни прираштај -45, пад −3,2%",
            &ctx,
        );
        let vals: Vec<_> = v.iter().map(|n| (n.raw.as_str(), n.value)).collect();
        assert_eq!(
            vals,
            vec![
                ("-7", Some(-7.0)),
                ("2024", Some(2024.0)),
                ("-45", Some(-45.0)),
                ("−3,2%", Some(-3.2))
            ]
        );
        let n = parse_cell("1.8 – 31.10", &ctx)
            .map(|n| (n.kind, n.day, n.month, n.to_day, n.to_month, n.ambiguous));
        assert_eq!(
            n,
            Some((Kind::Period, Some(1), Some(8), Some(31), Some(10), false))
        );
        let n = parse_cell("1.8. – 31.10.", &ctx).map(|n| (n.kind, n.to_month, n.raw));
        assert_eq!(
            n,
            Some((Kind::Period, Some(10), "1.8. – 31.10.".to_string()))
        );
        let n = parse_cell("од 26. 11. 2024. године", &ctx)
            .map(|n| (n.kind, n.day, n.month, n.year, n.raw));
        assert_eq!(
            n,
            Some((
                Kind::Date,
                Some(26),
                Some(11),
                Some(2024),
                "26. 11. 2024.".to_string()
            ))
        );
        let n = parse_cell("2023/24", &ctx).map(|n| (n.kind, n.value, n.to));
        assert_eq!(n, Some((Kind::Period, Some(2023.0), Some(2024.0))));
        let n = parse_cell("1.5 – 2.5 %", &ctx).map(|n| (n.kind, n.value, n.to));
        assert_eq!(n, Some((Kind::Range, Some(1.5), Some(2.5))));
        let v = parse_all("Rezultati i Synuar -2024\t10 -15 dana\t3 - 5", &ctx);
        assert_eq!(
            v.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![Some(2024.0), Some(10.0), Some(3.0)]
        );
    }

    #[test]
    fn memoized_parses_equal_fresh_ones() {
        let contexts = [
            Context::default(),
            super::tests::sr(),
            super::tests::sq(),
            Context {
                convention: Convention::DotDecimal,
                language: None,
            },
        ];
        let texts = [
            "3.150",
            "Буџет 4.000.000,00 динара",
            "2,314 i 1,7%",
            "Није мерено",
            "od 10 do 100 korisnika",
            "",
        ];
        for _ in 0..2 {
            for ctx in &contexts {
                for t in texts {
                    assert_eq!(parse_all(t, ctx), Parser::new(t, ctx).run(), "{t:?}");
                }
            }
        }
        // The same text reads differently under different conventions.
        assert_ne!(
            parse_all("2,314", &contexts[1]),
            parse_all("2,314", &contexts[3])
        );
        // Past the bound the memo starts over and stays correct.
        for i in 0..5000 {
            let t = format!("{i} dece");
            assert_eq!(
                parse_all(&t, &super::tests::sr()),
                Parser::new(&t, &super::tests::sr()).run()
            );
        }
    }

    #[test]
    fn lowercase_words_keep_the_final_sigma() {
        let ctx = Context::default();
        let p = Parser::new("ΟΔΟΣ Ljubovija ЉУБОВИЈА", &ctx);
        let words: Vec<&str> = (0..p.toks.len()).filter_map(|i| p.word(i)).collect();
        assert_eq!(words, ["οδος", "ljubovija", "љубовија"]);
    }
}
