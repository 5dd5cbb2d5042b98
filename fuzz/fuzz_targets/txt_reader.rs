//! The text reader (decoding, layout, markup), then extraction, on
//! arbitrary bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::read_extract_check("fuzz.txt", data));
