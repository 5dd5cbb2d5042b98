//! The text reader (decoding, layout, markup), then extraction, on
//! arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::read::{ReadOptions, read_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = read_bytes(Path::new("fuzz.txt"), data, opts()) {
        let rec = planrec::extract::extract(&doc, vocab());
        let _ = planrec::align::check(&rec, vocab());
    }
});

/// The options and the embedded vocabulary, built once for this binary:
/// `ReadOptions::default()` loads the vocabulary on each call, which cost
/// more than reading most inputs.
fn opts() -> &'static ReadOptions {
    static O: std::sync::OnceLock<ReadOptions> = std::sync::OnceLock::new();
    O.get_or_init(ReadOptions::default)
}

fn vocab() -> &'static planrec::vocab::Vocab {
    &opts().vocab
}
