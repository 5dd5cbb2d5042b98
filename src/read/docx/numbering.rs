//! `word/numbering.xml`: list definitions and the running counters.
//!
//! In: the numbering part as an [`XmlStream`]. Out: [`Numbering`], which
//! turns a paragraph's `(numId, ilvl)` into a [`ListItem`] with its level and
//! marker: the bullet character (symbol fonts mapped to Unicode) or the
//! number text computed from `w:lvlText` ("%1.", "%1.%2", "%2)") and
//! `w:numFmt` of each referenced level.
//!
//! Counters follow Word: instances (`w:num`) of one abstract definition
//! share counters, unless the instance overrides a start value
//! (`w:lvlOverride/w:startOverride`), which gives it counters of its own.
//! An item at level L resets the deeper levels.

use super::styles::Styles;
use super::symbols::SymbolFonts;
use super::xml::{Ev, Ns, XmlStream};
use crate::error::Result;
use crate::model::ListItem;
use std::collections::HashMap;
use std::io::BufRead;

#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub start: Option<i64>,
    pub fmt: Option<String>,
    pub text: Option<String>,
    pub is_lgl: bool,
    pub font: Option<String>,
}

impl Level {
    fn over(&self, base: &Level) -> Level {
        Level {
            start: self.start.or(base.start),
            fmt: self.fmt.clone().or_else(|| base.fmt.clone()),
            text: self.text.clone().or_else(|| base.text.clone()),
            is_lgl: self.is_lgl || base.is_lgl,
            font: self.font.clone().or_else(|| base.font.clone()),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: HashMap<u8, Level>,
    num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    overrides: HashMap<u8, Level>,
    start_overrides: HashMap<u8, i64>,
}

/// List definitions plus counter state for one document.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<i64>; 9]>,
}

/// Reads a `w:lvl` element whose start tag was just read.
fn parse_level<R: BufRead>(xs: &mut XmlStream<R>) -> Result<Level> {
    let mut lvl = Level::default();
    let mut path: Vec<String> = Vec::new();
    loop {
        match xs.next()? {
            Ev::Start(el) => {
                apply_level(&mut lvl, &path, &el);
                path.push(el.local.to_string());
            }
            Ev::Empty(el) => apply_level(&mut lvl, &path, &el),
            Ev::End => {
                if path.pop().is_none() {
                    return Ok(lvl);
                }
            }
            Ev::Text => {}
            Ev::Eof => return Err(xs.error("unexpected end of part in w:lvl")),
        }
    }
}

fn apply_level(lvl: &mut Level, path: &[String], el: &super::xml::El) {
    if el.ns != Ns::W {
        return;
    }
    match (path.last().map(String::as_str), el.local.as_str()) {
        (None, "start") => lvl.start = el.val().and_then(|v| v.trim().parse().ok()),
        (None, "numFmt") => lvl.fmt = el.val().map(str::to_string),
        (None, "lvlText") => lvl.text = Some(el.val().unwrap_or("").to_string()),
        (None, "isLgl") => lvl.is_lgl = el.on(),
        (Some("rPr"), "rFonts") => {
            lvl.font = el
                .attr("ascii")
                .or_else(|| el.attr("hAnsi"))
                .map(str::to_string)
        }
        _ => {}
    }
}

impl Numbering {
    pub fn parse<R: BufRead>(xs: &mut XmlStream<R>) -> Result<Numbering> {
        let mut n = Numbering::default();
        let mut path: Vec<String> = Vec::new();
        let mut cur_abs: Option<(String, Abstract)> = None;
        let mut cur_num: Option<(String, Num)> = None;
        let mut cur_override: Option<u8> = None;
        loop {
            match xs.next()? {
                Ev::Start(el) => {
                    if el.ns == Ns::W {
                        match el.local.as_str() {
                            "abstractNum" => {
                                let id = el.attr("abstractNumId").unwrap_or("").to_string();
                                cur_abs = Some((id, Abstract::default()));
                            }
                            "num" => {
                                let id = el.attr("numId").unwrap_or("").to_string();
                                cur_num = Some((id, Num::default()));
                            }
                            "lvlOverride" => {
                                cur_override = el.attr("ilvl").and_then(|v| v.trim().parse().ok());
                            }
                            "lvl" => {
                                let ilvl: u8 = el
                                    .attr("ilvl")
                                    .and_then(|v| v.trim().parse().ok())
                                    .unwrap_or(0);
                                let level = parse_level(xs)?;
                                if let Some((_, num)) = cur_num.as_mut() {
                                    num.overrides.insert(cur_override.unwrap_or(ilvl), level);
                                } else if let Some((_, a)) = cur_abs.as_mut() {
                                    a.levels.entry(ilvl).or_insert(level);
                                }
                                continue;
                            }
                            _ => {}
                        }
                    }
                    path.push(el.local.to_string());
                }
                Ev::Empty(el) => {
                    if el.ns != Ns::W {
                        continue;
                    }
                    match el.local.as_str() {
                        "abstractNumId" => {
                            if let Some((_, num)) = cur_num.as_mut() {
                                num.abstract_id = el.val().unwrap_or("").to_string();
                            }
                        }
                        "startOverride" => {
                            if let (Some((_, num)), Some(l)) = (cur_num.as_mut(), cur_override)
                                && let Some(v) = el.val().and_then(|v| v.trim().parse().ok())
                            {
                                num.start_overrides.insert(l, v);
                            }
                        }
                        "numStyleLink" => {
                            if let Some((_, a)) = cur_abs.as_mut() {
                                a.num_style_link = el.val().map(str::to_string);
                            }
                        }
                        _ => {}
                    }
                }
                Ev::End => match path.pop().as_deref() {
                    Some("abstractNum") => {
                        if let Some((id, a)) = cur_abs.take() {
                            n.abstracts.entry(id).or_insert(a);
                        }
                    }
                    Some("num") => {
                        if let Some((id, num)) = cur_num.take() {
                            n.nums.entry(id).or_insert(num);
                        }
                    }
                    Some("lvlOverride") => cur_override = None,
                    _ => {}
                },
                Ev::Text => {}
                Ev::Eof => return Ok(n),
            }
        }
    }

    /// The abstract definition behind a num, following one `numStyleLink`.
    fn abstract_for<'a>(
        &'a self,
        num: &'a Num,
        styles: &Styles,
    ) -> Option<(&'a str, &'a Abstract)> {
        let a = self.abstracts.get(&num.abstract_id)?;
        if a.levels.is_empty()
            && let Some(link) = &a.num_style_link
            && let (Some(linked), _) = styles.numbering(Some(link))
            && let Some(ln) = self.nums.get(&linked)
            && let Some(la) = self.abstracts.get(&ln.abstract_id)
        {
            return Some((ln.abstract_id.as_str(), la));
        }
        Some((num.abstract_id.as_str(), a))
    }

    fn level(&self, num: &Num, abs: &Abstract, ilvl: u8) -> Level {
        let base = abs.levels.get(&ilvl).cloned().unwrap_or_default();
        match num.overrides.get(&ilvl) {
            Some(o) => o.over(&base),
            None => base,
        }
    }

    /// Advances the counters for a list paragraph and returns its item, or
    /// `None` when `numId` is 0 or unknown (the paragraph is not a list item).
    pub fn item(
        &mut self,
        num_id: &str,
        ilvl: u8,
        styles: &Styles,
        symbols: &SymbolFonts,
    ) -> Option<ListItem> {
        if num_id.trim() == "0" {
            return None;
        }
        let ilvl = ilvl.min(8);
        let num = self.nums.get(num_id)?;
        let (abs_id, abs) = self.abstract_for(num, styles)?;
        let levels: Vec<Level> = (0..9u8).map(|l| self.level(num, abs, l)).collect();
        let starts: Vec<i64> = (0..9u8)
            .map(|l| {
                num.start_overrides
                    .get(&l)
                    .copied()
                    .or(levels[l as usize].start)
                    .unwrap_or(1)
            })
            .collect();
        let key = if num.start_overrides.is_empty() {
            format!("a:{abs_id}")
        } else {
            format!("n:{num_id}")
        };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let i = ilvl as usize;
        counters[i] = Some(match counters[i] {
            Some(c) => c.saturating_add(1),
            None => starts[i],
        });
        for c in counters.iter_mut().skip(i + 1) {
            *c = None;
        }
        let values: Vec<i64> = (0..9).map(|l| counters[l].unwrap_or(starts[l])).collect();
        let lvl = &levels[i];
        let fmt = lvl.fmt.as_deref().unwrap_or("decimal");
        let ordered = !matches!(fmt, "bullet" | "none");
        let marker = match fmt {
            "none" => None,
            "bullet" => {
                let t = lvl.text.clone().unwrap_or_default();
                let mapped: String = t
                    .chars()
                    .map(|c| symbols.map_char(lvl.font.as_deref(), c).0)
                    .collect();
                (!mapped.is_empty()).then_some(mapped)
            }
            _ => {
                let pattern = lvl.text.clone().unwrap_or_else(|| format!("%{}.", i + 1));
                let mut out = String::new();
                let mut chars = pattern.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '%'
                        && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                    {
                        chars.next();
                        let l = (d as usize).saturating_sub(1).min(8);
                        let f = if lvl.is_lgl && l < i {
                            "decimal"
                        } else {
                            levels[l].fmt.as_deref().unwrap_or("decimal")
                        };
                        out.push_str(&format_number(values[l], f));
                        continue;
                    }
                    out.push(c);
                }
                (!out.is_empty()).then_some(out)
            }
        };
        Some(ListItem {
            level: ilvl,
            marker,
            ordered,
        })
    }
}

/// A counter value in a `w:numFmt` format.
pub(crate) fn format_number(n: i64, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letters(n, false),
        "upperLetter" => letters(n, true),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        "none" | "bullet" => String::new(),
        "ordinal" => format!("{n}."),
        _ => n.to_string(),
    }
}

/// Word's letter numbering: a..z, then aa..zz, aaa.. (the letter repeated).
fn letters(n: i64, upper: bool) -> String {
    if n <= 0 {
        return n.to_string();
    }
    let idx = ((n - 1) % 26) as u8;
    let reps = ((n - 1) / 26 + 1).min(64) as usize;
    let base = if upper { b'A' } else { b'a' };
    std::iter::repeat_n((base + idx) as char, reps).collect()
}

fn roman(n: i64) -> String {
    if n <= 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(3, "lowerLetter"), "c");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(12, "decimal"), "12");
    }
}
