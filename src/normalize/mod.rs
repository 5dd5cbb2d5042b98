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
//! - [`numbers`]: quantities in running text and table cells (values, kinds,
//!   ranges, dates, scale markers, number words), identifiers excluded.
//!
//! The data (alphabet, exceptions, month names, number words, language
//! evidence) lives in `mappings/*.tsv`, read and checked by
//! [`crate::config::Lexicons`].
//!
//! ```
//! use planrec::normalize::{fold, lang, numbers, translit};
//!
//! assert_eq!(translit::to_latin("ЉУБОВИЈА"), "LJUBOVIJA");
//! assert_eq!(fold::key("Социјална заштита"), fold::key("SOCIJALNA ZASTITA"));
//! let g = lang::detect("Ndihmë sociale për familjet");
//! assert_eq!(g.language, lang::Language::Sq);
//!
//! // A document's own convention, then its cells.
//! let doc = ["Буџет 4.000.000,00 динара", "раст од 1,7%"];
//! let ctx = numbers::Context {
//!     convention: numbers::infer_convention(doc),
//!     language: Some(lang::Language::Sr),
//! };
//! let n = numbers::parse_cell("3.150", &ctx).unwrap();
//! assert_eq!((n.value, n.ambiguous), (Some(3150.0), false));
//! assert_eq!(numbers::scale_marker("(у 000)"), Some(1000));
//! ```

pub mod fold;
pub mod lang;
pub mod numbers;
pub mod repair;
pub mod script;
pub mod text;
pub mod translit;

pub use text::{Text, collapse_whitespace, normalize};

/// Fast, deterministic hashing (FNV-1a) for the small lookup tables built
/// from `mappings/`: their keys are our own data, so hash flooding is no
/// concern, and the lookups sit on every word of the text.
pub(crate) mod fast_hash {
    use std::hash::{BuildHasherDefault, Hasher};

    pub(crate) struct Fnv(u64);

    impl Default for Fnv {
        fn default() -> Self {
            Fnv(0xcbf2_9ce4_8422_2325)
        }
    }

    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 ^= u64::from(b);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }

    /// For tables keyed by whole cells and paragraphs (the memos): hashes
    /// eight bytes at a time with a multiply-rotate mix. Nothing iterates
    /// over those tables, so the order it gives does not matter.
    #[derive(Default)]
    pub(crate) struct Words(u64);

    impl Words {
        fn add(&mut self, w: u64) {
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    impl Hasher for Words {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            let mut chunks = bytes.chunks_exact(8);
            for c in &mut chunks {
                // Always eight bytes: the conversion cannot fail.
                self.add(c.try_into().map_or(0, u64::from_le_bytes));
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                // The tail as a little-endian word, built in registers: a
                // variable-length copy would be a memcpy call per key.
                let w = rest
                    .iter()
                    .rev()
                    .fold(0u64, |a, &b| (a << 8) | u64::from(b));
                self.add(w ^ ((rest.len() as u64) << 59));
            }
        }
        fn write_u8(&mut self, b: u8) {
            self.add(u64::from(b));
        }
    }

    pub(crate) type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Words>>;

    pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;
    pub(crate) type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fnv>>;
}
