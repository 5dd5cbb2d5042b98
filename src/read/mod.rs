//! Stage 1, read: bytes on disk → [`Document`].
//!
//! In: a path (or bytes and the path they came from). Out: a
//! [`crate::model::Document`] with source metadata (format, encoding and its
//! confidence, sha256), blocks with provenance, and reader diagnostics.
//!
//! The format is chosen by content, not by extension: a zip container goes to
//! the DOCX reader, an OLE container to the Word 97-2003 reader (which
//! refuses encrypted documents and Word 6/95 with a clear error), anything
//! else is text — except a file named `.doc`/`.dot` that starts with the
//! signature of Word for Windows 1/2, which is refused by name.

pub mod doc;
pub mod docx;
pub mod txt;
mod word;

use crate::error::{Error, Result};
use crate::model::Document;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Resource limits for readers. Defaults are generous; a batch over hostile
/// input can lower them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one zip part may inflate to.
    pub max_part_bytes: u64,
    /// Most bytes all parts of one file may inflate to together.
    pub max_total_bytes: u64,
    /// Deepest element nesting accepted in XML (tables inside tables count).
    pub max_depth: usize,
    /// Most XML elements in one part.
    pub max_elements: u64,
    /// Highest inflated/compressed ratio accepted for a zip part larger
    /// than [`Limits::ratio_floor`]: a bomb is refused from the sizes the
    /// zip declares, before anything is inflated (and, for a zip that
    /// understates them, as soon as the inflated bytes pass the ratio).
    pub max_ratio: u64,
    /// Parts that inflate to no more than this are never refused for their
    /// ratio (small parts of repeated markup compress very well).
    pub ratio_floor: u64,
    /// Largest text file read (the text reader holds the whole text).
    pub max_text_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_part_bytes: 512 << 20,
            max_total_bytes: 1 << 30,
            max_depth: 512,
            max_elements: 50_000_000,
            // Word's XML deflates 5–30×; a bomb ~1000×.
            max_ratio: 200,
            ratio_floor: 16 << 20,
            max_text_bytes: 128 << 20,
        }
    }
}

/// Options for [`read_path`] and [`read_bytes`].
///
/// `ReadOptions::default()` builds the embedded vocabulary anew on each
/// call (every mapping file loaded and checked, every lexicon built): make
/// one per run and clone it, as the CLI does — clones share the vocabulary
/// through its `Arc`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub limits: Limits,
    /// The configuration, for the readers (DOCX symbol fonts and heading
    /// styles) and for the stages a batch runs after them.
    pub vocab: std::sync::Arc<crate::vocab::Vocab>,
}

impl ReadOptions {
    /// Default limits with `vocab`.
    pub fn new(vocab: std::sync::Arc<crate::vocab::Vocab>) -> ReadOptions {
        ReadOptions {
            limits: Limits::default(),
            vocab,
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Ole,
    Text,
}

/// Sniffs the container kind from the leading bytes.
pub fn sniff(bytes: &[u8]) -> Container {
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        Container::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Container::Ole
    } else {
        Container::Text
    }
}

/// Reads a file from disk.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Document> {
    // A device or a FIFO would be read forever (or block): refused first.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: "not a regular file (a directory, device, FIFO or socket)".to_string(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_bytes(path, &bytes, opts)
}

/// Reads a file's bytes; `path` is used for the source metadata and errors.
pub fn read_bytes(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Document> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match sniff(bytes) {
        Container::Ole => doc::read(path, bytes, opts.limits, &opts.vocab),
        Container::Zip => {
            refuse_foreign_zip(path, bytes)?;
            docx::read(path, bytes, opts.limits, &opts.vocab)
        }
        Container::Text if (ext == "doc" || ext == "dot") && is_word2(bytes) => {
            Err(Error::OldWord {
                path: path.to_path_buf(),
                what: "Word for Windows 1.x/2.0 document (no OLE container)".to_string(),
            })
        }
        Container::Text if ext == "docx" || ext == "docm" => Err(Error::NotZip {
            path: path.to_path_buf(),
            reason: "the file does not start with a zip signature".to_string(),
        }),
        Container::Text => {
            check_text(path, bytes, &opts.limits)?;
            Ok(txt::read(path, bytes))
        }
    }
}

/// Refuses what is not a text export although it is no zip or OLE file:
/// a PDF, a file over the text size limit, an empty file, binary data.
fn check_text(path: &Path, bytes: &[u8], limits: &Limits) -> Result<()> {
    let refuse = |reason: String| {
        Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason,
        })
    };
    if bytes.starts_with(b"%PDF-") {
        return refuse("a PDF file; export the plan as .docx or .txt".to_string());
    }
    if bytes.len() as u64 > limits.max_text_bytes {
        return Err(Error::Limit {
            path: path.to_path_buf(),
            part: "text".to_string(),
            what: format!("text file of {} bytes", bytes.len()),
            limit: limits.max_text_bytes,
        });
    }
    // A sample is enough to tell text from binary data; cut at a line end
    // so the sample decodes as the whole file does.
    const SAMPLE: usize = 64 * 1024;
    let sample = if bytes.len() > SAMPLE {
        let cut = bytes[..SAMPLE]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(SAMPLE, |i| i + 1);
        &bytes[..cut]
    } else {
        bytes
    };
    let text = txt::decode::decode(sample).text;
    let (mut chars, mut control) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            continue;
        }
        chars += 1;
        if (c.is_control() && c != '\u{c}') || c == '\u{fffd}' {
            control += 1;
        }
    }
    if chars == 0 {
        return refuse("an empty text file (no text to read)".to_string());
    }
    // Word's text exports hold no control characters but the odd form
    // feed; random or binary bytes decode to many (1 in 8 in a code page).
    if control * 50 > chars {
        return refuse(format!(
            "binary data, not text ({control} control or undecodable characters among the first {chars})"
        ));
    }
    Ok(())
}

/// A cheap look at the start of a file: the first `blocks` top-level blocks
/// of a DOCX body (the rest is never inflated), or the text of the first
/// 64 KiB of a text file. For metadata that a title page carries (used to
/// shard a batch by plan); never for extraction proper.
pub fn preview_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    blocks: usize,
) -> Result<Document> {
    const TEXT_PREVIEW: usize = 64 * 1024;
    match sniff(bytes) {
        Container::Zip => {
            refuse_foreign_zip(path, bytes)?;
            docx::preview(path, bytes, opts.limits, &opts.vocab, blocks)
        }
        Container::Ole => doc::preview(path, bytes, opts.limits, &opts.vocab, blocks),
        Container::Text if bytes.len() > TEXT_PREVIEW => {
            // Cut at a line end so no line (or UTF-8 sequence) is split.
            let cut = bytes[..TEXT_PREVIEW]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(TEXT_PREVIEW, |i| i + 1);
            read_bytes(path, &bytes[..cut], opts)
        }
        _ => read_bytes(path, bytes, opts),
    }
}

/// Word for Windows 1.x/2.0 files start with their FIB's wIdent (0xA59B or
/// 0xA59C for 1.x, 0xA5DB for 2.0) and nFib (below 45 + a few), not with an
/// OLE signature.
fn is_word2(bytes: &[u8]) -> bool {
    matches!(bytes, [0x9B | 0x9C | 0xDB, 0xA5, n, 0, ..] if *n <= 0x40)
}

/// The media type of an OpenDocument package (`.odt` and kin, sometimes
/// named `.doc`): its first zip entry is `mimetype`, stored uncompressed,
/// so the type stands right after that entry's local header.
fn opendocument(bytes: &[u8]) -> Option<&str> {
    let u16_at = |i: usize| Some(u16::from_le_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]) as usize);
    if !bytes.starts_with(b"PK\x03\x04") || u16_at(8)? != 0 {
        return None;
    }
    let (name_len, extra_len) = (u16_at(26)?, u16_at(28)?);
    if bytes.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    let data = bytes.get(start..start + u16_at(18)?.min(100))?;
    let mime = std::str::from_utf8(data).ok()?;
    mime.starts_with("application/vnd.oasis.opendocument.")
        .then_some(mime)
}

/// A zip package that is not a Word one, refused saying what it is.
fn refuse_foreign_zip(path: &Path, bytes: &[u8]) -> Result<()> {
    match opendocument(bytes) {
        Some(mime) => Err(Error::Unsupported {
            path: path.to_path_buf(),
            reason: format!("an OpenDocument file ({mime}), not a Word document; save it as .docx"),
        }),
        None => Ok(()),
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
