//! Numbers written as words (`osamnaest`, `tetëmbëdhjetë`, `dve hiljade`).

use super::lexicon::{Ctx, WordRole};
use super::parser::Parser;
use super::tokens::T;
use super::{Kind, Number};

impl Parser<'_> {
    pub(super) fn word_at(&self, i: usize, out: &mut Vec<Number>) -> usize {
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
    pub(super) fn number_words(&self, i: usize, cell: bool) -> Option<(Number, usize)> {
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
