//! Normalization: strings in, normalized strings and typed values out.
//!
//! A pure library on `&str`, shared by extraction and alignment:
//!
//! - [`text`]: Unicode NFC, odd spaces and invisible characters, quotes and
//!   dashes unified; [`text::Text`] keeps the original beside the normalized
//!   and Serbian-Latin forms.
//! - [`script`] and [`lang`]: Latin/Cyrillic per token and block; Albanian or
//!   Serbian with a confidence, reliable on one table row.
//! - [`repair`]: Cyrillic letters typed inside Latin words and Latin
//!   look-alikes inside Cyrillic words, each repair recorded.
//! - [`translit`]: Serbian Cyrillic ↔ Latin, driven by `mappings/`.
//! - [`fold`]: one comparison key for the Cyrillic, Latin and ASCII-ized
//!   spellings of a word.
//! - [`dates`]: years and dates as plans write them, the one place that
//!   recognises them for every stage.
//! - [`numbers`]: quantities in running text and table cells (values, kinds,
//!   ranges, dates, scale markers, number words), identifiers excluded.
//!
//! The data (alphabet, exceptions, month names, number words, language
//! evidence) lives in `mappings/*.tsv`, read and checked by
//! [`crate::config::Lexicons`]; [`Norm`] holds the tables built from it
//! (one per configuration, in [`crate::vocab::Vocab`]) and every function
//! that reads them takes it, or one of its tables, explicitly.
//!
//! ```
//! use planrec::normalize::numbers;
//! use planrec::vocab::Vocab;
//!
//! // The tables come from the configuration, built once.
//! let vocab = Vocab::embedded();
//! let n = vocab.norm();
//! assert_eq!(n.to_latin("ЉУБОВИЈА"), "LJUBOVIJA");
//! assert_eq!(n.key("Социјална заштита"), n.key("SOCIJALNA ZASTITA"));
//! let g = n.detect("Ndihmë sociale për familjet");
//! assert_eq!(g.language, planrec::normalize::lang::Language::Sq);
//!
//! // A document's own convention, then its cells.
//! let doc = ["Буџет 4.000.000,00 динара", "раст од 1,7%"];
//! let ctx = numbers::Context {
//!     convention: numbers::infer_convention(doc),
//!     language: Some(planrec::normalize::lang::Language::Sr),
//! };
//! let v = n.parse_cell("3.150", &ctx).unwrap();
//! assert_eq!((v.value, v.ambiguous), (Some(3150.0), false));
//! assert_eq!(n.scale_marker("(у 000)"), Some(1000));
//! ```

pub mod dates;
pub mod fold;
pub mod lang;
mod norm;
pub mod numbers;
pub mod repair;
pub mod script;
pub mod text;
pub mod translit;

pub use norm::Norm;
pub use text::{Text, collapse_whitespace, normalize};

/// The hash maps of the lookup tables built from `mappings/` and of the
/// per-document memos: a maintained fast hasher (`rustc-hash`), deterministic
/// across runs. Nothing iterates these maps, so output never depends on
/// their order; keys from documents may collide by design, which costs time
/// only within a memo's bound.
pub(crate) mod fast_hash {
    pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
    pub(crate) type FastSet<K> = rustc_hash::FxHashSet<K>;
}
