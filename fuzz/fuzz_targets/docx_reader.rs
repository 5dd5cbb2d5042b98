//! The DOCX reader, then extraction, on arbitrary bytes. Input starting
//! with `PK` is taken as a whole package; anything else becomes the
//! `word/document.xml` of a stored (uncompressed) package, so the fuzzer
//! mutates XML directly instead of deflate streams.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn package(xml: &[u8]) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
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
    common::read_extract_check("fuzz.docx", &bytes);
});
