//! The parser: tokens and their lowercase words, no-value markers, and the
//! walk that reads each quantity from its first token.

use super::lexicon::{Ctx, Lexicon, lexicon};
use super::numerals::{Core, digits_value, is_year, read_core};
use super::tokens::{T, Tok, blank_markup, fold_char, tokenize};
use super::{Context, Kind, Number};
use std::borrow::Cow;

pub(super) struct Parser<'a> {
    pub(super) s: &'a str,
    pub(super) b: Cow<'a, str>,
    pub(super) toks: Vec<Tok>,
    /// Lowercase text of each word token, as a span of `lower_text`
    /// (empty for other tokens): one buffer instead of a string per word.
    pub(super) lowers: Vec<(usize, usize)>,
    pub(super) lower_text: String,
    pub(super) ctx: &'a Context,
    pub(super) lx: &'static Lexicon,
    /// No-value marker spans found by pattern.
    pub(super) nans: Vec<(usize, usize)>,
    /// End of the last quantity found: tokens before it are used up.
    pub(super) floor: std::cell::Cell<usize>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(s: &'a str, ctx: &'a Context) -> Parser<'a> {
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
}
