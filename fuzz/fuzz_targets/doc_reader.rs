//! The Word 97-2003 reader alone on arbitrary bytes: the whole document
//! and the title-page preview the batch's shard key reads. Seeds are whole
//! `.doc` files (`fuzz/seeds/doc`): most mutations land inside the streams
//! of a still valid compound file, so the FIB, piece table, FKPs, style
//! sheet, lists, table definitions and stories are what gets exercised.
//! `doc_extract` runs extraction and the checks on what it reads.
#![no_main]

mod common;

use common::opts;
use libfuzzer_sys::fuzz_target;
use planrec::read::doc;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.doc");
    let _ = doc::read(path, data, opts().limits, &opts().vocab);
    let _ = doc::preview(path, data, opts().limits, &opts().vocab, 8);
});
