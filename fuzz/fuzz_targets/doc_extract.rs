//! Reading a `.doc`, then extraction and the plan checks, on arbitrary
//! bytes: what `planrec run` does with a damaged or hostile `.doc` (a
//! mutant that is no longer a compound file goes the way the batch sends
//! it, to the text reader). Seeds are whole `.doc` files (`fuzz/seeds/doc`).
//! Extraction's state space is far larger than the reader's, so this
//! target keeps finding new paths long after `doc_reader` (the reader
//! alone) levels off.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::read_extract_check("fuzz.doc", data));
