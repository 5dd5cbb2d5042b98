//! The normalization tables as one value: transliteration, language
//! evidence and the number lexicon, built once from the checked mapping
//! rows and held by [`crate::vocab::Vocab`] (`vocab.norm()`).
//!
//! Every function of [`super`] that reads `mappings/` takes it (or one of
//! its tables) explicitly; nothing here is global or memoized, so two
//! configurations can live side by side in one process.

use super::lang::{Evidence, Guess};
use super::numbers::{self, Context, Number};
use super::translit::Translit;
use crate::config::Lexicons;

/// The tables of [`super`] built from one set of mapping rows.
pub struct Norm {
    /// Serbian Cyrillic ↔ Latin ([`super::translit`]).
    pub translit: Translit,
    /// Albanian/Serbian evidence ([`super::lang`]).
    pub lang: Evidence,
    /// Months, number words, context words, no-value and scale markers
    /// ([`super::numbers`]).
    pub numbers: numbers::Lexicon,
}

impl Norm {
    /// Builds every table from checked rows (the number lexicon folds its
    /// markers with the transliteration just built).
    pub fn new(rows: &Lexicons) -> Norm {
        let translit = Translit::new(rows);
        let numbers = numbers::Lexicon::new(rows, &translit);
        Norm {
            lang: Evidence::new(rows),
            translit,
            numbers,
        }
    }

    /// [`super::fold::key`] under these tables.
    pub fn key(&self, s: &str) -> String {
        super::fold::key(&self.translit, s)
    }

    /// [`Translit::to_latin`].
    pub fn to_latin(&self, s: &str) -> String {
        self.translit.to_latin(s)
    }

    /// [`Translit::to_cyrillic`].
    pub fn to_cyrillic(&self, s: &str) -> String {
        self.translit.to_cyrillic(s)
    }

    /// [`Evidence::detect`].
    pub fn detect(&self, s: &str) -> Guess {
        self.lang.detect(s)
    }

    /// [`numbers::parse_all`] under these tables.
    pub fn parse_all(&self, s: &str, ctx: &Context) -> Vec<Number> {
        numbers::parse_all(self, s, ctx)
    }

    /// [`numbers::parse_cell`] under these tables.
    pub fn parse_cell(&self, s: &str, ctx: &Context) -> Option<Number> {
        numbers::parse_cell(self, s, ctx)
    }

    /// [`numbers::scale_marker`] under these tables.
    pub fn scale_marker(&self, s: &str) -> Option<u32> {
        numbers::scale_marker(self, s)
    }
}

/// The tables of the embedded mapping files, for unit tests.
#[cfg(test)]
pub(crate) fn embedded() -> Norm {
    let rows = Lexicons::load(&crate::mappings::Mappings::embedded());
    Norm::new(&rows.expect("the embedded mapping files load"))
}

impl std::fmt::Debug for Norm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The tables are large; a debug print names the value only.
        f.write_str("Norm")
    }
}
