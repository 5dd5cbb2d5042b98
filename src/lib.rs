//! planrec turns municipal social-protection action plans (DOCX or text, in
//! Albanian, Serbian Latin and Serbian Cyrillic) into canonical plan records.
//!
//! The pipeline, one module per stage, talking through plain data types:
//!
//! ```text
//! read (bytes → model::Document) → normalize (strings → normalized text,
//! numbers) → extract (Document → plan record) → align (records → findings)
//! → emit (records, findings → deterministic JSON)
//! ```
//!
//! See `ARCHITECTURE.md` for the map.

pub mod align;
pub mod batch;
pub mod check;
pub mod cli;
pub mod config;
pub mod emit;
pub mod error;
pub mod extract;
pub mod mappings;
pub mod model;
pub mod normalize;
pub mod read;
pub mod schemas;
pub mod vocab;

pub use error::{Error, Result};
pub use model::Document;
