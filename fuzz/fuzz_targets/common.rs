//! What the targets share: read options and the embedded vocabulary, built
//! once per fuzzing process (`ReadOptions::default()` builds the vocabulary
//! on each call, which cost more than reading most inputs), and the path a
//! document takes through `planrec run`.
#![allow(dead_code)] // each target uses part of it

use planrec::read::{Limits, ReadOptions, read_bytes};
use planrec::vocab::Vocab;
use std::path::Path;
use std::sync::OnceLock;

/// Part limits tighter than the defaults, so that a mutant claiming a huge
/// part or stream is refused quickly instead of spending the fuzzer's time.
pub fn opts() -> &'static ReadOptions {
    static O: OnceLock<ReadOptions> = OnceLock::new();
    O.get_or_init(|| ReadOptions {
        limits: Limits {
            max_part_bytes: 16 << 20,
            max_total_bytes: 32 << 20,
            ..Limits::default()
        },
        ..ReadOptions::default()
    })
}

pub fn vocab() -> &'static Vocab {
    &opts().vocab
}

/// Read (the format sniffed from the bytes, as the batch does), then
/// extraction and the plan checks on whatever was read.
pub fn read_extract_check(name: &str, bytes: &[u8]) {
    if let Ok(doc) = read_bytes(Path::new(name), bytes, opts()) {
        let rec = planrec::extract::extract(&doc, vocab());
        let _ = planrec::align::check(&rec, vocab());
    }
}
