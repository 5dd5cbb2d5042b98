//! What stands next to a number: the month after a day, a year word before,
//! the end of a range, units, percent, scale, currency and counted noun after,
//! the year after a quarter or a month.

use super::lexicon::{Ctx, WordRole};
use super::numerals::{Core, day_month, digits_value, grouping_sep, is_year, read_core};
use super::parser::Parser;
use super::tokens::T;
use super::{Kind, Number};

impl Parser<'_> {
    /// The month word after the day at `i` (ending at token `last`, its
    /// dot included): a plain number of one or two digits, 1 to 31,
    /// followed by a month name on the same line.
    pub(super) fn day_of_month(&self, i: usize, last: usize) -> Option<usize> {
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
    pub(super) fn day_span(&self, i: usize, last: usize, n: &mut Number) -> Option<usize> {
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
    pub(super) fn year_context(&self, i: usize) -> bool {
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

    pub(super) fn sym_at(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.t == T::Sym(c))
    }

    pub(super) fn line_start(&self, i: usize) -> bool {
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

    pub(super) fn between_is_slash(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|k| self.sym_at(k, '/'))
    }

    /// After the number ending at token `last`: a dash, `/`, `do`, `deri`
    /// then a plain number. Returns the token of the second number and its
    /// value.
    pub(super) fn range_end(&self, last: usize, v: f64) -> Option<(usize, f64)> {
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
    pub(super) fn suffix(&self, last: usize, n: &mut Number) -> usize {
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
    pub(super) fn is_upper_code(&self, i: usize) -> bool {
        let t = self.text(i);
        t.chars().count() > 1 && t.chars().all(|c| !c.is_lowercase())
    }

    /// Optional year after a quarter phrase ending at token `q`:
    /// ", 2026. година", " 2026".
    pub(super) fn quarter_year(&self, q: usize, n: &mut Number) -> usize {
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
    pub(super) fn month_year(&self, mi: usize, n: &mut Number) -> usize {
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
}
