//! A table as a grid of single numbers, the material of the total, share
//! and scale checks.
//!
//! Text exports lose or keep leading and trailing empty cells unevenly, so
//! a table is read three ways: columns as the document places them, counted
//! from each row's first non-empty cell, and counted from its last. A check
//! that holds under any reading holds.

use crate::align::lexicon::Lexicon;
use crate::align::tokens::{self, Tok};
use crate::extract::record::TableRecord;
use crate::normalize::numbers::Kind;
use std::collections::BTreeMap;

/// How the columns of a row are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The grid column the document gives.
    Grid,
    /// From the row's first non-empty cell.
    Left,
    /// From the row's last non-empty cell (columns still grow left to
    /// right).
    Right,
}

/// `(row, column) → token`, only cells holding exactly one comparable
/// number that is the cell's value (not a number inside a label).
pub struct Grid<'a> {
    pub id: &'a str,
    pub cells: BTreeMap<(usize, usize), &'a Tok>,
    /// Text of the row's cells without numbers (its label), per row.
    pub labels: Vec<String>,
    /// Header text per column (first two rows).
    pub headers: BTreeMap<usize, String>,
    /// Columns whose header names a year.
    pub header_years: BTreeMap<usize, bool>,
    pub rows: usize,
    /// Per row: its label names a total ("Ukupno"), and the label's first
    /// word (goal rows against measure rows), each folded once here.
    pub total: Vec<bool>,
    pub first: Vec<String>,
}

impl<'a> Grid<'a> {
    pub fn new(
        norm: &crate::normalize::Norm,
        t: &'a TableRecord,
        u: &'a tokens::TableUnits,
        reading: Reading,
        lex: &Lexicon,
        same_labels: Option<&Grid>,
    ) -> Grid<'a> {
        let mut cells = BTreeMap::new();
        let mut labels = Vec::new();
        let mut headers: BTreeMap<usize, String> = BTreeMap::new();
        let mut header_years: BTreeMap<usize, bool> = BTreeMap::new();
        let width = u.width;
        for (ri, row) in t.rows.iter().enumerate() {
            let mut label = String::new();
            let toks = &u.rows[ri].toks;
            let nonempty = || row.iter().filter(|c| !c.text.trim().is_empty());
            let first = nonempty().map(|c| c.col).next().unwrap_or(0);
            let last = nonempty().map(|c| c.col).next_back().unwrap_or(0);
            for c in row {
                let col = match reading {
                    Reading::Grid => c.col,
                    Reading::Left => c.col.saturating_sub(first),
                    Reading::Right => (width + c.col).saturating_sub(last),
                };
                let mine: Vec<&Tok> = toks
                    .iter()
                    .filter(|k| k.provenance == c.provenance)
                    .collect();
                // A value cell is mostly its number ("1.500", "209 s/km²");
                // "Ukupno 40 naseljenih mesta" is a label with a number.
                let plain = mine.len() == 1
                    && c.numbers.len() == 1
                    && (c.numbers[0].unit.is_some()
                        || c.numbers[0].currency.is_some()
                        || !c
                            .text
                            .replacen(mine[0].raw.as_str(), "", 1)
                            .chars()
                            .any(char::is_alphabetic));
                if plain {
                    cells.insert((ri, col), mine[0]);
                } else if !c.text.trim().is_empty() {
                    label.push_str(c.text.trim());
                    label.push(' ');
                }
                if ri < 2 && !c.text.trim().is_empty() {
                    let h = headers.entry(col).or_default();
                    h.push_str(c.text.trim());
                    h.push(' ');
                    if mine.iter().any(|k| k.class() == 2) {
                        header_years.insert(col, true);
                    }
                }
            }
            labels.push(label);
        }
        let (total, first) = match same_labels {
            Some(g) if g.labels == labels => (g.total.clone(), g.first.clone()),
            _ => {
                // Each label folded once for both tests.
                let keys: Vec<String> = labels.iter().map(|l| norm.key(l)).collect();
                (
                    keys.iter().map(|k| lex.is_total_key(k)).collect(),
                    keys.iter().map(|k| first_word_of_key(k)).collect(),
                )
            }
        };
        Grid {
            id: &t.id,
            cells,
            total,
            first,
            labels,
            headers,
            header_years,
            rows: t.rows.len(),
        }
    }
}

/// The first word of a row label, for telling goal rows from measure rows.
pub fn first_word(norm: &crate::normalize::Norm, label: &str) -> String {
    first_word_of_key(&norm.key(label))
}

/// [`first_word`] of a label whose [`fold::key`](crate::normalize::fold::key) is known.
pub fn first_word_of_key(key: &str) -> String {
    key.split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}

/// A quantity that can be a part of a sum.
pub fn summable(t: &Tok) -> bool {
    matches!(
        t.kind,
        Kind::Integer
            | Kind::Decimal
            | Kind::Money
            | Kind::Count
            | Kind::Percent
            | Kind::Word
            | Kind::Year
    ) && t.value >= 0.0
}
