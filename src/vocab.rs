//! The configuration as one value, built once and passed explicitly.
//!
//! In: a [`Mappings`] set (the embedded files, or with `--mappings DIR`
//! overrides). Out: [`Vocab`], the checked rows ([`Lexicons`]) and every
//! lexicon the stages build from them, each built once here: structure and
//! label words, money words and funding kinds, document words and towns,
//! the crosswalk, DOCX/DOC symbol fonts and heading styles, and
//! normalization's tables ([`Vocab::norm`]: transliteration, language
//! evidence, the number lexicon). The CLI loads the set once and builds one
//! per process; the library takes a `&Vocab` (extraction holds it in its
//! `Ctx`, readers find it in `ReadOptions`, alignment and checks take it).

use crate::config::Lexicons;
use crate::error::Result;
use crate::mappings::Mappings;

/// The checked mapping rows and the lexicons built from them.
pub struct Vocab {
    /// Every mapping file's rows, as loaded and checked.
    pub rows: Lexicons,
    /// The plan structure's words: headers, labels, indicator kinds.
    pub structure: crate::extract::structure::lexicon::Lexicon,
    /// What label reading needs beyond the structure lexicon.
    pub labels: crate::extract::labels::Words,
    /// Alignment's crosswalk and total words.
    pub align: crate::align::lexicon::Lexicon,
    /// Money words (currencies, totals, money and source headers) and the
    /// kinds of funding source, for the budgets pass.
    pub money: crate::extract::budgets::MoneyWords,
    /// Document words (title, reference, period, glossary) and towns with
    /// their case forms, for the document facts.
    pub facts: crate::extract::metadata::FactWords,
    /// DOCX and DOC symbol fonts (Symbol, Wingdings) to Unicode.
    pub symbol_fonts: crate::read::docx::symbols::SymbolFonts,
    /// Built-in heading style names in the languages Word writes.
    pub heading_styles: crate::read::docx::styles::HeadingNames,
    /// Normalization's tables: transliteration, language evidence, the
    /// number lexicon (fold keys, numbers and languages are read with them).
    pub norm: crate::normalize::Norm,
}

impl Vocab {
    /// Reads and checks every file of `m`, then builds the lexicons; the
    /// first bad row is the error.
    pub fn load(m: &Mappings) -> Result<Vocab> {
        Ok(Vocab::build(Lexicons::load(m)?))
    }

    /// The lexicons of checked rows.
    pub fn build(rows: Lexicons) -> Vocab {
        let norm = crate::normalize::Norm::new(&rows);
        let structure = crate::extract::structure::lexicon::Lexicon::load(&rows, &norm);
        Vocab {
            labels: crate::extract::labels::Words::new(&structure),
            structure,
            align: crate::align::lexicon::Lexicon::new(&rows, &norm),
            money: crate::extract::budgets::MoneyWords::new(&rows, &norm),
            facts: crate::extract::metadata::FactWords::new(&rows, &norm),
            symbol_fonts: crate::read::docx::symbols::SymbolFonts::new(&rows),
            heading_styles: crate::read::docx::styles::HeadingNames::new(&rows),
            norm,
            rows,
        }
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
