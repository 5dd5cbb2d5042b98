//! The DOCX reader, then extraction, on arbitrary bytes. Input starting
//! with `PK` is taken as a whole package; anything else becomes the
//! `word/document.xml` of a stored (uncompressed) package, so the fuzzer
//! mutates XML directly instead of deflate streams.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::read::{Limits, ReadOptions, read_bytes};
use std::io::Write;
use std::path::Path;

fn package(xml: &[u8]) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    if zw.start_file("word/document.xml", opt).is_err() || zw.write_all(xml).is_err() {
        return Vec::new();
    }
    zw.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        package(data)
    };
    if let Ok(doc) = read_bytes(Path::new("fuzz.docx"), &bytes, opts()) {
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
