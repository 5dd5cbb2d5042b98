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

mod adjacent;
mod lexicon;
mod numerals;
mod parser;
mod tokens;
mod words;

#[cfg(test)]
mod more_tests;
#[cfg(test)]
mod sign_tests;
#[cfg(test)]
mod tests;

use crate::normalize::Norm;
use crate::normalize::fold;
use crate::normalize::lang::Language;
pub use lexicon::Lexicon;
use numerals::{Core, read_core};
use parser::Parser;
use serde::Deserialize;
use serde::Serialize;
use tokens::{T, blank_markup, tokenize};

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

// ---------------------------------------------------------------- API

/// Every quantity in running text, in order of appearance, read with the
/// tables of `norm`.
///
/// Not memoized: extraction keeps each text's numbers in its document's
/// `Ctx` ([`crate::extract::Ctx::numbers_of`]).
pub fn parse_all(norm: &Norm, s: &str, ctx: &Context) -> Vec<Number> {
    Parser::new(norm, s, ctx).run()
}

/// The value of a whole table cell: a quantity, a no-value marker, a month
/// alone, a currency without amount (`€/muaj/klient`), a number word. With
/// several quantities in the cell (`0 raste familje - 5 femije`), or a
/// quantity inside running text (more than two other words), the first is
/// returned flagged ambiguous. None for an empty cell or one without a
/// quantity (text, an identifier such as `Мера 1.1`).
pub fn parse_cell(norm: &Norm, s: &str, ctx: &Context) -> Option<Number> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = s.len() - s.trim_start().len();
    let end = start + trimmed.len();
    let lx = &norm.numbers;
    // No-value markers are short: fold only short cells.
    if trimmed.len() <= 64 {
        let key = norm.key(trimmed);
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
    let p = Parser::new(norm, s, ctx);
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
pub fn scale_marker(norm: &Norm, s: &str) -> Option<u32> {
    scale_marker_in_key(norm, &norm.key(s))
}

/// [`scale_marker`] of a text whose folding key the caller already holds
/// (extraction keeps each text's key per document).
pub fn scale_marker_in_key(norm: &Norm, key: &str) -> Option<u32> {
    // Markers are never empty (the loader refuses such rows).
    norm.numbers
        .scales
        .iter()
        .find(|(pat, _, finder)| fold::has_words(key, pat, finder, false))
        .map(|&(_, f, _)| f)
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn number_inside_a_sentence_is_flagged() {
        let norm = crate::normalize::Norm::new(
            &crate::config::Lexicons::load(&crate::mappings::Mappings::embedded())
                .expect("the embedded mapping files load"),
        );
        let ctx = Context::default();
        let n = parse_cell(&norm, "Обезбедити 5 нових услуга у општини Ириг", &ctx);
        assert_eq!(n.map(|n| (n.value, n.ambiguous)), Some((Some(5.0), true)));
        let n = parse_cell(&norm, "4.000.000,00 динара", &ctx);
        assert_eq!(n.map(|n| n.ambiguous), Some(false));
        let n = parse_cell(&norm, "Буџет ЛС 3.000", &ctx);
        assert_eq!(n.map(|n| n.ambiguous), Some(true)); // no language: 3.000 is open
    }
}
