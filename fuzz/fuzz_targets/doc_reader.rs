//! The Word 97-2003 reader alone on arbitrary bytes: the whole document
//! and the title-page preview the batch's shard key reads. Seeds are whole
//! `.doc` files (`fuzz/seeds/doc`): most mutations land inside the streams
//! of a still valid compound file, so the FIB, piece table, FKPs, style
//! sheet, lists, table definitions and stories are what gets exercised.
//! `doc_extract` runs extraction and the checks on what it reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::read::{Limits, doc};
use planrec::vocab::Vocab;
use std::path::Path;
use std::sync::{Arc, OnceLock};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.doc");
    let _ = doc::read(path, data, limits(), vocab());
    let _ = doc::preview(path, data, limits(), vocab(), 8);
});

/// Tighter than the defaults, so that a mutant claiming a huge stream is
/// refused quickly instead of spending the fuzzer's time.
fn limits() -> Limits {
    Limits {
        max_part_bytes: 16 << 20,
        max_total_bytes: 32 << 20,
        ..Limits::default()
    }
}

/// The embedded vocabulary, built once for this binary (building it costs
/// more than reading most inputs).
fn vocab() -> &'static Arc<Vocab> {
    static V: OnceLock<Arc<Vocab>> = OnceLock::new();
    V.get_or_init(|| Arc::new(Vocab::embedded()))
}
