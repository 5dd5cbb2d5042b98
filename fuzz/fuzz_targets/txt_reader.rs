//! The text reader (decoding, layout, markup), then extraction, on
//! arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::read::{ReadOptions, read_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = read_bytes(Path::new("fuzz.txt"), data, &ReadOptions::default()) {
        let rec = planrec::extract::extract(&doc, vocab());
        let _ = planrec::align::check(&rec, vocab());
    }
});

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
