//! The parser: tokens and their lowercase words, no-value markers, and the
//! walk that reads each quantity from its first token.

use super::lexicon::{Ctx, Lexicon};
use super::numerals::{Core, digits_value, read_core};
use super::tokens::{T, Tok, blank_markup, fold_char, tokenize};
use super::{Context, Kind, Number};
use crate::normalize::Norm;
use crate::normalize::dates::is_year;
use std::borrow::Cow;

/// Where the number being read stands: its first token, the last token
/// it has taken so far, its value, whether it is written without separators
/// and whether an ordinal dot follows it.
#[derive(Clone, Copy)]
struct Reading {
    i: usize,
    last: usize,
    v: f64,
    plain: bool,
    ordinal: bool,
}

pub(super) struct Parser<'a> {
    pub(super) s: &'a str,
    pub(super) b: Cow<'a, str>,
    pub(super) toks: Vec<Tok>,
    /// Lowercase text of each word token, as a span of `lower_text`
    /// (empty for other tokens): one buffer instead of a string per word.
    pub(super) lowers: Vec<(usize, usize)>,
    pub(super) lower_text: String,
    pub(super) ctx: &'a Context,
    /// The tables: the number lexicon and the transliteration its folds use.
    pub(super) norm: &'a Norm,
    pub(super) lx: &'a Lexicon,
    /// No-value marker spans found by pattern.
    pub(super) nans: Vec<(usize, usize)>,
    /// End of the last quantity found: tokens before it are used up.
    pub(super) floor: std::cell::Cell<usize>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(norm: &'a Norm, s: &'a str, ctx: &'a Context) -> Parser<'a> {
        let b = blank_markup(s);
        let toks = tokenize(&b);
        let lx = &norm.numbers;
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
                        crate::normalize::script::push_lowercase(c, &mut lower_text);
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
            norm,
            lx,
            nans: Vec::new(),
            floor: std::cell::Cell::new(0),
        };
        p.find_nans();
        p
    }

    pub(super) fn text(&self, i: usize) -> &str {
        let t = &self.toks[i];
        self.b.get(t.start..t.end).unwrap_or("")
    }

    /// The lowercase word at `i` in its own script (lexicon rows hold both).
    pub(super) fn word(&self, i: usize) -> Option<&str> {
        (self.toks.get(i)?.t == T::Word).then(|| {
            self.lowers
                .get(i)
                .and_then(|&(a, b)| self.lower_text.get(a..b))
                .unwrap_or("")
        })
    }

    pub(super) fn glued(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    /// Index of the next token after `i` skipping soft spaces (and, if
    /// `commas`, commas and dots between phrase parts).
    pub(super) fn next_soft(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        match self.toks.get(j)?.t {
            T::Space { hard: false } => Some(j + 1).filter(|&k| k < self.toks.len()),
            T::Space { hard: true } => None,
            _ => Some(j),
        }
    }

    pub(super) fn prev_soft(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        match self.toks.get(j)?.t {
            T::Space { hard: false } => j.checked_sub(1),
            T::Space { hard: true } => None,
            _ => Some(j),
        }
    }

    pub(super) fn find_nans(&mut self) {
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
                    fold_char(&self.norm.translit, c, &mut folded);
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
                if !next
                    .is_some_and(|c| crate::normalize::script::is_letter_or_digit(c) || c == '/')
                {
                    self.nans.push((t.start, end));
                }
                break;
            }
        }
    }

    pub(super) fn run(&self) -> Vec<Number> {
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
    pub(super) fn skip_chain(&self, mut i: usize) -> usize {
        while i + 1 < self.toks.len() && self.glued(i, i + 1) {
            match self.toks[i + 1].t {
                T::Num | T::Word | T::Sym('.' | '/' | '-' | '_' | ',') => i += 1,
                _ => break,
            }
        }
        i + 1
    }

    pub(super) fn number(&self, i: usize, out: &mut Vec<Number>) -> usize {
        if let Some(end) = self.before_number(i, out) {
            return end;
        }
        let t = self.toks[i];
        let chain = self.glued_chain(i);
        let core = read_core(self.text(i), self.ctx);
        if chain.len() > 1
            && let Some(end) = self.chained(i, &chain, core, out)
        {
            return end;
        }
        let mut n = Number::new(self.s, t.start, t.end, Kind::Integer);
        let mut last = i;
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
        if self.section_or_ident(i, ordinal) {
            return self.skip_chain(i);
        }
        let at = Reading {
            i,
            last,
            v,
            plain,
            ordinal,
        };
        if let Some(end) = self.dated(&at, out) {
            return end;
        }
        // A list mark at the start of a line or cell: "1." / "3.1" handled
        // as identifier by read_core; "2." here.
        if ordinal && plain && !is_year(v) && self.line_start(i) {
            return last + 1;
        }
        n.end = self.toks[last].end;
        n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
        self.currency_before(i, &mut n);
        // Range or period: "3.5 – 4 %", "od 10 do 100", "2024 / 2025".
        if (!ordinal || is_year(v))
            && let Some(r) = self.range_end(last, v)
            && let Some(end) = self.range_or_period(&at, r, &mut n)
        {
            out.push(n);
            return end;
        }
        self.finish_number(&at, n, out)
    }

    /// Before reading the number at `i`: a lost superscript exponent
    /// ("km 2"), a number glued to a letter or an identifier on its left
    /// (part of a code, or a quarter "Q4"). Some(end) when that decides.
    fn before_number(&self, i: usize, out: &mut Vec<Number>) -> Option<usize> {
        let t = self.toks[i];
        // "km 2": a superscript exponent whose markup was lost.
        if matches!(self.text(i), "2" | "3")
            && let Some(p) = self.prev_soft(i)
            && matches!(self.word(p), Some("km" | "m" | "cm"))
        {
            return Some(i + 1);
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
                            return Some(end);
                        }
                    }
                    return Some(self.skip_chain(i));
                }
                // "43%³": a footnote mark whose superscript was lost.
                T::Sym('%') => return Some(i + 1),
                T::Sym('/' | '-' | '_' | '.')
                    if i >= 2
                        && self.glued(i - 2, i - 1)
                        && matches!(self.toks[i - 2].t, T::Word | T::Num) =>
                {
                    return Some(self.skip_chain(i));
                }
                _ => {}
            }
        }
        None
    }

    /// The tokens glued to the number at `i` on its right: more digits,
    /// letters, and `/-_.` between them.
    fn glued_chain(&self, i: usize) -> Vec<usize> {
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
        chain
    }

    /// A number glued to more on its right: a unit or currency ("5km",
    /// "100EUR"), a qualified word ("24-časovna"), a period or range
    /// ("2022-2027", "10-15"), else a code. Some(end) when the chain decides,
    /// None when the number is read on as it stands.
    fn chained(
        &self,
        i: usize,
        chain: &[usize],
        core: Core,
        out: &mut Vec<Number>,
    ) -> Option<usize> {
        let lx = self.lx;
        let t = self.toks[i];
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
            [T::Num] => None,
            // 5km, 100EUR, 2.000din
            [T::Num, T::Word] => {
                let w = self.word(i + 1).unwrap_or_default();
                if lx.unit(w).is_none() && lx.currency(w).is_none() && !lx.has(w, &Ctx::Percent) {
                    return Some(self.skip_chain(i));
                }
                None
            }
            // 24-časovna, 25-vjeçare: a number glued by a hyphen to
            // the word it qualifies is still that number.
            [T::Num, T::Sym('-'), T::Word]
                if matches!(core, Core::Value { alt: None, .. })
                    && self.text(i).chars().all(|c| c.is_ascii_digit()) =>
            {
                None
            }
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
                        let b =
                            if is_year(a) && self.text(i + 2).len() == 2 && self.text(i).len() == 4
                            {
                                let full = (a / 100.0).floor() * 100.0 + b;
                                if full > a { full } else { b }
                            } else {
                                b
                            };
                        if is_year(a) && is_year(b) && b >= a && self.text(i).len() == 4 {
                            let mut n =
                                Number::new(self.s, t.start, self.toks[i + 2].end, Kind::Period);
                            n.value = Some(a);
                            n.to = Some(b);
                            n.year = Some(a as i32);
                            out.push(n);
                            return Some(i + 3);
                        }
                        if *c == '-' && b > a {
                            let mut n =
                                Number::new(self.s, t.start, self.toks[i + 2].end, Kind::Range);
                            n.value = Some(a);
                            n.to = Some(b);
                            let end = self.suffix(i + 2, &mut n);
                            out.push(n);
                            return Some(end);
                        }
                        Some(self.skip_chain(i))
                    }
                    _ => Some(self.skip_chain(i)),
                }
            }
            _ => Some(self.skip_chain(i)),
        }
    }

    /// Section numbers ("1.2." and "3.1 Naslov" at a line start) and numbers
    /// after an identifier word ("Мера 1.1", "Akt 2", "br. 5"): not quantities.
    fn section_or_ident(&self, i: usize, ordinal: bool) -> bool {
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
            return true;
        }
        if let Some(p) = self.prev_soft(i) {
            // "br. 5": the word glued to the abbreviation dot.
            let p = if self.sym_at(p, '.') {
                p.checked_sub(1).filter(|&q| self.glued(q, p))
            } else {
                Some(p)
            };
            if let Some(p) = p
                && let Some(w) = self.word(p)
                && self.lx.is_ident(w)
            {
                return true;
            }
        }
        false
    }

    /// A quarter ("4 квартал", "2. kvartal 2026"), a numeric date with
    /// spaces ("26. 11. 2024."), or a day and month ("26. novembar 2024",
    /// "1. јануара", "28 shkurt 2025") starting at the number. Some(end)
    /// when one was read.
    fn dated(&self, at: &Reading, out: &mut Vec<Number>) -> Option<usize> {
        let lx = self.lx;
        let &Reading {
            i,
            last,
            v,
            plain,
            ordinal,
        } = at;
        let t = self.toks[i];
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
            return Some(end);
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
                return Some(end + 1);
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
            return Some(end);
        }
        None
    }

    /// Currency before: "€ 100", "EUR 100", "$5" — a symbol or an
    /// upper-case code not already used by the previous quantity.
    fn currency_before(&self, i: usize, n: &mut Number) {
        if let Some(p) = self.prev_soft(i)
            && self.toks[p].start >= self.floor.get()
        {
            let w = match self.toks[p].t {
                T::Sym(c) => Some(c.to_string()),
                T::Word if self.is_upper_code(p) => self.word(p).map(str::to_string),
                _ => None,
            };
            if let Some(cur) = w.as_deref().and_then(|w| self.lx.currency(w)) {
                n.kind = Kind::Money;
                n.currency = Some(cur.to_string());
                n.start = self.toks[p].start;
                n.raw = self.s.get(n.start..n.end).unwrap_or("").to_string();
            }
        }
    }

    /// The number as a range or period up to `(k, b)`, the end
    /// [`Parser::range_end`] found; `n` is changed only when it is one (a
    /// slash between two numbers that are not years is no range).
    fn range_or_period(&self, at: &Reading, (k, b): (usize, f64), n: &mut Number) -> Option<usize> {
        let &Reading { last, v, plain, .. } = at;
        let years = plain && is_year(v) && is_year(b) && b >= v && self.text(k).len() == 4;
        let is_slash = self.between_is_slash(last, k);
        if !years && is_slash {
            return None;
        }
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
            self.suffix(end_tok, n)
        };
        Some(end)
    }

    /// The number as it stands: its suffix (unit, percent, currency, counted
    /// noun), a year when it reads as one, a glued minus sign; pushed.
    fn finish_number(&self, at: &Reading, mut n: Number, out: &mut Vec<Number>) -> usize {
        let &Reading {
            i,
            last,
            v,
            plain,
            ordinal,
        } = at;
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
}
