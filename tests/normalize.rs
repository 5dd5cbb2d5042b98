//! Normalization on the seeds in corpus/ and on every example of issue 4.

use planrec::normalize::numbers::{self, Context, Convention, Kind};
use planrec::normalize::translit::{to_cyrillic, to_latin};
use planrec::normalize::{fold, lang, repair, script};
use std::path::PathBuf;

fn corpus(name: &str) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("skipping: {}: {e}", p.display());
            None
        }
    }
}

const CYRILLIC_SEEDS: &[&str] = &[
    "irig_2022-2027_sr-Cyrl.txt",
    "ljubovija_2026-2028_sr-Cyrl.txt",
    "plandiste_2019_sr-Cyrl.txt",
];

/// Words of the Cyrillic seeds that the round trip Cyrillic → Latin →
/// Cyrillic changes, with the reason. Everything else must come back
/// unchanged.
const ROUND_TRIP_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "irig_2022-2027_sr-Cyrl.txt",
        "СОС",
        "SOS is a foreign acronym issue 4 keeps Latin in Cyrillic output; the seed spells it in Cyrillic",
    ),
    (
        "plandiste_2019_sr-Cyrl.txt",
        "СОС",
        "SOS is a foreign acronym issue 4 keeps Latin in Cyrillic output; the seed spells it in Cyrillic",
    ),
    (
        "ljubovija_2026-2028_sr-Cyrl.txt",
        "СОС",
        "SOS is a foreign acronym issue 4 keeps Latin in Cyrillic output; the seed spells it in Cyrillic",
    ),
    (
        "ljubovija_2026-2028_sr-Cyrl.txt",
        "м²",
        "units stay Latin in Cyrillic output (issue 4: km, m²); the seed writes м² in Cyrillic",
    ),
    (
        "ljubovija_2026-2028_sr-Cyrl.txt",
        "м2",
        "units stay Latin in Cyrillic output (issue 4: km, m²); the seed writes м2 in Cyrillic",
    ),
];

fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(b) = start.take() {
            out.push((b, &s[b..i]));
        }
    }
    if let Some(b) = start {
        out.push((b, &s[b..]));
    }
    out
}

#[test]
fn cyrillic_seeds_round_trip() {
    let mut unexpected = Vec::new();
    for name in CYRILLIC_SEEDS {
        let Some(text) = corpus(name) else { return };
        let back = to_cyrillic(&to_latin(&text));
        if back == text {
            continue;
        }
        let a = words(&text);
        let b = words(&back);
        assert_eq!(a.len(), b.len(), "{name}: word count changed");
        for ((_, x), (_, y)) in a.iter().zip(&b) {
            if x != y
                && !ROUND_TRIP_EXCEPTIONS
                    .iter()
                    .any(|(f, w, _)| f == name && w == x)
            {
                unexpected.push(format!("{name}: {x} → {y}"));
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "round trip changed {} words: {:#?}",
        unexpected.len(),
        unexpected
    );
}
