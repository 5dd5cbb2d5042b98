//! Reading a `.doc`, then extraction and the plan checks, on arbitrary
//! bytes: what `planrec run` does with a damaged or hostile `.doc` (a
//! mutant that is no longer a compound file goes the way the batch sends
//! it, to the text reader). Seeds are whole `.doc` files (`fuzz/seeds/doc`).
//! Extraction's state space is far larger than the reader's, so this
//! target keeps finding new paths long after `doc_reader` (the reader
//! alone) levels off.
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
