//! The configuration as one value, built once and passed explicitly.
//!
//! In: a [`Mappings`] set (the embedded files, or with `--mappings DIR`
//! overrides). Out: [`Vocab`], the checked rows ([`Lexicons`]) and every
//! lexicon the stages build from them, each built once, on first use: structure and
//! label words, money words and funding kinds, document words and towns,
//! the crosswalk, DOCX/DOC symbol fonts and heading styles, and
//! normalization's tables ([`Vocab::norm`]: transliteration, language
//! evidence, the number lexicon). The CLI loads the set once and builds one
//! per process; the library takes a `&Vocab` (extraction holds it in its
//! `Ctx`, readers find it in `ReadOptions`, alignment and checks take it).

use crate::config::Lexicons;
use crate::error::Result;
use crate::mappings::Mappings;
use std::sync::OnceLock;

/// The checked mapping rows and the lexicons built from them.
///
/// The rows are loaded and checked up front (a bad row is an error at
/// start); each lexicon is built from them on first use and kept, so a
/// stage pays only for the words it reads (a `read`-only caller builds the
/// symbol fonts and heading styles, not the extraction's lexicons).
pub struct Vocab {
    /// Every mapping file's rows, as loaded and checked.
    pub rows: Lexicons,
    structure: OnceLock<crate::extract::structure::lexicon::Lexicon>,
    labels: OnceLock<crate::extract::labels::Words>,
    align: OnceLock<crate::align::lexicon::Lexicon>,
    money: OnceLock<crate::extract::budgets::MoneyWords>,
    facts: OnceLock<crate::extract::metadata::FactWords>,
    symbol_fonts: OnceLock<crate::read::docx::symbols::SymbolFonts>,
    heading_styles: OnceLock<crate::read::docx::styles::HeadingNames>,
    norm: OnceLock<crate::normalize::Norm>,
}

impl Vocab {
    /// Reads and checks every file of `m`, then builds the lexicons; the
    /// first bad row is the error.
    pub fn load(m: &Mappings) -> Result<Vocab> {
        Ok(Vocab::build(Lexicons::load(m)?))
    }

    /// The vocabulary of checked rows; its lexicons are built on first use.
    pub fn build(rows: Lexicons) -> Vocab {
        Vocab {
            rows,
            structure: OnceLock::new(),
            labels: OnceLock::new(),
            align: OnceLock::new(),
            money: OnceLock::new(),
            facts: OnceLock::new(),
            symbol_fonts: OnceLock::new(),
            heading_styles: OnceLock::new(),
            norm: OnceLock::new(),
        }
    }

    /// The plan structure's words: headers, labels, indicator kinds.
    pub fn structure(&self) -> &crate::extract::structure::lexicon::Lexicon {
        self.structure.get_or_init(|| {
            crate::extract::structure::lexicon::Lexicon::load(&self.rows, self.norm())
        })
    }

    /// What label reading needs beyond the structure lexicon.
    pub fn labels(&self) -> &crate::extract::labels::Words {
        self.labels
            .get_or_init(|| crate::extract::labels::Words::new(self.structure()))
    }

    /// Alignment's crosswalk and total words.
    pub fn align(&self) -> &crate::align::lexicon::Lexicon {
        self.align
            .get_or_init(|| crate::align::lexicon::Lexicon::new(&self.rows, self.norm()))
    }

    /// Money words (currencies, totals, money and source headers) and the
    /// kinds of funding source, for the budgets pass.
    pub fn money(&self) -> &crate::extract::budgets::MoneyWords {
        self.money
            .get_or_init(|| crate::extract::budgets::MoneyWords::new(&self.rows, self.norm()))
    }

    /// Document words (title, reference, period, glossary) and towns with
    /// their case forms, for the document facts.
    pub fn facts(&self) -> &crate::extract::metadata::FactWords {
        self.facts
            .get_or_init(|| crate::extract::metadata::FactWords::new(&self.rows, self.norm()))
    }

    /// DOCX and DOC symbol fonts (Symbol, Wingdings) to Unicode.
    pub fn symbol_fonts(&self) -> &crate::read::docx::symbols::SymbolFonts {
        self.symbol_fonts
            .get_or_init(|| crate::read::docx::symbols::SymbolFonts::new(&self.rows))
    }

    /// Built-in heading style names in the languages Word writes.
    pub fn heading_styles(&self) -> &crate::read::docx::styles::HeadingNames {
        self.heading_styles
            .get_or_init(|| crate::read::docx::styles::HeadingNames::new(&self.rows))
    }

    /// Normalization's tables: transliteration, language evidence, the
    /// number lexicon (fold keys, numbers and languages are read with them).
    pub fn norm(&self) -> &crate::normalize::Norm {
        self.norm
            .get_or_init(|| crate::normalize::Norm::new(&self.rows))
    }

    /// The vocabulary of the embedded mapping files, built on each call
    /// (callers keep it). The embedded set is checked by the tests
    /// (`config::tests::embedded_set_loads`); were it ever refused, the
    /// lexicons are built from no rows, as the lenient readers did before.
    pub fn embedded() -> Vocab {
        Vocab::build(Lexicons::load(&Mappings::embedded()).unwrap_or_default())
    }
}

/// The embedded vocabulary, built once for the unit tests that call
/// normalization in loops.
#[cfg(test)]
pub(crate) fn test_vocab() -> &'static Vocab {
    static V: std::sync::OnceLock<Vocab> = std::sync::OnceLock::new();
    V.get_or_init(Vocab::embedded)
}

impl Default for Vocab {
    /// [`Vocab::embedded`].
    fn default() -> Vocab {
        Vocab::embedded()
    }
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The tables are large; a debug print names the value only.
        f.write_str("Vocab")
    }
}
