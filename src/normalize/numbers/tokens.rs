//! Tokens of the input: markup blanked to spaces of equal length (offsets
//! stay the input's), then digit runs, words, symbols and spaces.

use crate::normalize::script::is_letter;
use crate::normalize::translit::Translit;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum T {
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
pub(super) struct Tok {
    pub(super) t: T,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Replaces markup with spaces of the same byte length, so offsets stay
/// those of the input: HTML tags, `**`/`*` emphasis. `<sup>2</sup>` after a
/// letter becomes `²` (km<sup>2</sup>); other `<sup>…</sup>` content is a
/// footnote mark and is blanked. `[12]` footnote marks are blanked too.
pub(super) fn blank_markup(s: &str) -> Cow<'_, str> {
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
pub(super) fn char_floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn tokenize(s: &str) -> Vec<Tok> {
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

/// Appends the folding of one char as [`fold::key`](crate::normalize::fold::key) does it (lowercase,
/// Latin, no diacritics), for incremental matching.
pub(super) fn fold_char(tr: &Translit, c: char, out: &mut String) {
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
            '\u{0400}'..='\u{04FF}' => match tr.latin_of(l) {
                Some(lat) => lat.chars().for_each(|x| fold_char(tr, x, out)),
                None => out.push(l),
            },
            l => out.push(l),
        }
    }
}
