//! The number parser on arbitrary text, under every convention and
//! language: no panic, and every number found points into the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planrec::normalize::lang::Language;
use planrec::normalize::numbers::{Context, Convention, infer_convention};

mod common;

use common::vocab;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let norm = vocab().norm();
    let _ = infer_convention(s.lines());
    for convention in [
        Convention::Unknown,
        Convention::CommaDecimal,
        Convention::DotDecimal,
    ] {
        for language in [None, Some(Language::Sq), Some(Language::Sr)] {
            let ctx = Context {
                convention,
                language,
            };
            for n in norm.parse_all(&s, &ctx) {
                assert!(n.start <= s.len(), "start {} past {}", n.start, s.len());
                assert!(s.is_char_boundary(n.start));
            }
            let _ = norm.parse_cell(&s, &ctx);
        }
    }
});
