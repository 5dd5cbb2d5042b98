//! The Word 97-2003 reader, then extraction, on arbitrary bytes. Seeds are
//! whole `.doc` files (`fuzz/seeds/doc`): most mutations land inside the
//! streams of a still valid compound file, so the FIB, piece table, FKPs,
//! style sheet, lists and table definitions are what gets exercised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::read::{Limits, ReadOptions, read_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = read_bytes(Path::new("fuzz.doc"), data, opts()) {
        let rec = planrec::extract::extract(&doc, vocab());
        let _ = planrec::align::check(&rec, vocab());
    }
});

/// The options and the embedded vocabulary, built once for this binary:
/// `ReadOptions::default()` loads the vocabulary on each call, which cost
/// more than reading most inputs.
fn opts() -> &'static ReadOptions {
    static O: std::sync::OnceLock<ReadOptions> = std::sync::OnceLock::new();
    O.get_or_init(|| ReadOptions {
        limits: Limits {
            max_part_bytes: 16 << 20,
            max_total_bytes: 32 << 20,
            ..Limits::default()
        },
        ..ReadOptions::default()
    })
}

fn vocab() -> &'static planrec::vocab::Vocab {
    &opts().vocab
}
