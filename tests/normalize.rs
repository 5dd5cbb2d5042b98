//! Normalization on the seeds in corpus/ and on every example of issue 4.

mod support;

use planrec::normalize::numbers::{self, Context, Convention, Kind};
use planrec::normalize::{lang, repair, script};
use std::path::PathBuf;

/// Normalization's tables of the embedded mapping files, built once for
/// this test binary.
fn norm() -> &'static planrec::normalize::Norm {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded).norm()
}

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
        let back = norm().to_cyrillic(&norm().to_latin(&text));
        if back == text {
            continue;
        }
        let a = words(&text);
        let b = words(&back);
        assert_eq!(a.len(), b.len(), "{name}: word count changed");
        // Put the listed words back: everything else, punctuation and
        // spacing included, must then be the original byte for byte.
        let mut rebuilt = String::with_capacity(back.len());
        let mut last = 0;
        for ((_, x), (at, y)) in a.iter().zip(&b) {
            if x != y {
                if !ROUND_TRIP_EXCEPTIONS
                    .iter()
                    .any(|(f, w, _)| f == name && w == x)
                {
                    unexpected.push(format!("{name}: {x} → {y}"));
                }
                rebuilt.push_str(&back[last..*at]);
                rebuilt.push_str(x);
                last = at + y.len();
            }
        }
        rebuilt.push_str(&back[last..]);
        assert!(
            rebuilt == text,
            "{name}: round trip changed text outside words"
        );
    }
    assert!(
        unexpected.is_empty(),
        "round trip changed {} words: {:#?}",
        unexpected.len(),
        unexpected
    );
}

fn sr() -> Context {
    Context {
        convention: Convention::Unknown,
        language: Some(lang::Language::Sr),
    }
}

fn sq() -> Context {
    Context {
        convention: Convention::Unknown,
        language: Some(lang::Language::Sq),
    }
}

fn cell(s: &str, ctx: &Context) -> numbers::Number {
    match norm().parse_cell(s, ctx) {
        Some(n) => n,
        None => panic!("no number in cell {s:?}"),
    }
}

/// Cell text, context, expected kind, value, upper end, ambiguity.
type Case = (&'static str, Context, Kind, Option<f64>, Option<f64>, bool);

/// Every number example of issue 4, as a cell.
#[test]
fn issue_number_examples() {
    let cases: &[Case] = &[
        ("3.150", sr(), Kind::Integer, Some(3150.0), None, false),
        (
            "4.000.000,00 динара",
            sr(),
            Kind::Money,
            Some(4_000_000.0),
            None,
            false,
        ),
        ("1,7%", sr(), Kind::Percent, Some(1.7), None, false),
        ("9,16%", sr(), Kind::Percent, Some(9.16), None, false),
        ("2,314", sr(), Kind::Integer, Some(2314.0), None, true),
        (
            "674,048.46",
            sq(),
            Kind::Decimal,
            Some(674_048.46),
            None,
            false,
        ),
        ("68.238", sq(), Kind::Integer, Some(68238.0), None, false),
        ("3.5 – 4 %", sq(), Kind::Range, Some(3.5), Some(4.0), false),
        ("331 km ²", sr(), Kind::Integer, Some(331.0), None, false),
        ("€/muaj/klient", sq(), Kind::Money, None, None, false),
        (
            "2024 / 2025",
            sq(),
            Kind::Period,
            Some(2024.0),
            Some(2025.0),
            false,
        ),
        (
            "2022-2027",
            sr(),
            Kind::Period,
            Some(2022.0),
            Some(2027.0),
            false,
        ),
        (
            "4 квартал, 2026. година",
            sr(),
            Kind::Quarter,
            None,
            None,
            false,
        ),
        ("Јануар 2019", sr(), Kind::Date, None, None, false),
        ("март 2019", sr(), Kind::Date, None, None, false),
        ("5 dece", sr(), Kind::Count, Some(5.0), None, false),
        (
            "0 raste familje - 5 femije",
            sq(),
            Kind::Count,
            Some(0.0),
            None,
            true,
        ),
        ("Није мерено", sr(), Kind::NotANumber, None, None, false),
        ("н/а", sr(), Kind::NotANumber, None, None, false),
        ("///", sq(), Kind::NotANumber, None, None, false),
        ("182", sr(), Kind::Integer, Some(182.0), None, false),
        ("pet", sr(), Kind::Word, Some(5.0), None, false),
        ("devet", sr(), Kind::Word, Some(9.0), None, false),
        ("osamnaest", sr(), Kind::Word, Some(18.0), None, false),
        ("jedanaest", sr(), Kind::Word, Some(11.0), None, false),
        ("dvanaest", sr(), Kind::Word, Some(12.0), None, false),
        ("осамнаест", sr(), Kind::Word, Some(18.0), None, false),
        ("двадесет пет", sr(), Kind::Word, Some(25.0), None, false),
        ("dve hiljade", sr(), Kind::Word, Some(2000.0), None, false),
        ("trima", sr(), Kind::Word, Some(3.0), None, false),
        ("pesë", sq(), Kind::Word, Some(5.0), None, false),
        ("nëntë", sq(), Kind::Word, Some(9.0), None, false),
        ("tetëmbëdhjetë", sq(), Kind::Word, Some(18.0), None, false),
        ("pesëmbëdhjetë", sq(), Kind::Word, Some(15.0), None, false),
        ("dymbëdhjetë", sq(), Kind::Word, Some(12.0), None, false),
        ("njëqind", sq(), Kind::Word, Some(100.0), None, false),
        ("dymijë", sq(), Kind::Word, Some(2000.0), None, false),
        ("njëzet e pesë", sq(), Kind::Word, Some(25.0), None, false),
        (
            "tre mijë e pesëqind",
            sq(),
            Kind::Word,
            Some(3500.0),
            None,
            false,
        ),
    ];
    for (s, ctx, kind, value, to, ambiguous) in cases {
        let n = cell(s, ctx);
        assert_eq!(
            (n.kind, n.value, n.to, n.ambiguous),
            (*kind, *value, *to, *ambiguous),
            "{s}: {n:?}"
        );
    }
    let n = cell("4 квартал, 2026. година", &sr());
    assert_eq!((n.quarter, n.year), (Some(4), Some(2026)));
    let n = cell("Јануар 2019", &sr());
    assert_eq!((n.month, n.year), (Some(1), Some(2019)));
    let n = cell("март 2019", &sr());
    assert_eq!((n.month, n.year), (Some(3), Some(2019)));
    let n = cell("331 km ²", &sr());
    assert_eq!(n.unit.as_deref(), Some("km²"));
    let n = cell("€/muaj/klient", &sq());
    assert_eq!(
        (n.currency.as_deref(), n.unit.as_deref()),
        (Some("EUR"), Some("muaj/klient"))
    );
    assert_eq!(cell("5 dece", &sr()).noun.as_deref(), Some("dece"));
    // The document's own convention settles 2,314.
    let dot = Context {
        convention: Convention::DotDecimal,
        language: Some(lang::Language::Sr),
    };
    let n = cell("2,314", &dot);
    assert_eq!((n.value, n.ambiguous), (Some(2314.0), false));
}

#[test]
fn issue_identifiers_and_scales() {
    for s in [
        "1.1.1",
        "Akt 2.2.4",
        "08/L-255",
        "02-060/01-0074434-5/24",
        "socijalne zaštite1",
        "tekst<sup>3</sup>",
    ] {
        assert_eq!(norm().parse_all(s, &sr()), vec![], "{s}");
    }
    assert_eq!(norm().scale_marker("(у 000)"), Some(1000));
    assert_eq!(norm().scale_marker("у хиљадама РСД"), Some(1000));
    assert_eq!(norm().scale_marker("(in 000 EUR)"), Some(1000));
    assert_eq!(norm().scale_marker("(у динарима)"), Some(1));
    assert_eq!(
        numbers::infer_convention(["674,048.46"]),
        Convention::DotDecimal
    );
    assert_eq!(
        numbers::infer_convention(["4.000.000,00"]),
        Convention::CommaDecimal
    );
    assert_eq!(
        numbers::infer_convention(["1,7%"]),
        Convention::CommaDecimal
    );
}

/// Real lines of the seeds, parsed as running text.
#[test]
fn seed_lines() {
    let Some(lj) = corpus("ljubovija_2026-2028_sr-Cyrl.txt") else {
        return;
    };
    let row = lj
        .lines()
        .find(|l| l.starts_with("Мера 1.1\t"))
        .unwrap_or_default();
    let vals: Vec<_> = norm()
        .parse_all(row, &sr())
        .iter()
        .map(|n| n.value)
        .collect();
    assert_eq!(
        vals,
        vec![Some(3150.0), Some(150.0), Some(0.0), Some(3300.0)],
        "{row}"
    );
    let row = lj
        .lines()
        .find(|l| l.contains("4 квартал, 2026. година"))
        .unwrap_or_default();
    let q: Vec<_> = norm()
        .parse_all(row, &sr())
        .into_iter()
        .filter(|n| n.kind == Kind::Quarter)
        .collect();
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].quarter, q[0].year), (Some(4), Some(2026)));
    let row = lj
        .lines()
        .find(|l| l.contains("Није мерено\t300"))
        .unwrap_or_default();
    let kinds: Vec<_> = norm()
        .parse_all(row, &sr())
        .iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(kinds, vec![Kind::NotANumber, Kind::Integer], "{row}");
    // Service periods: spans of days, not decimal ranges.
    let row = lj
        .lines()
        .find(|l| l.contains("1.8 – 31.10"))
        .unwrap_or_default();
    let spans: Vec<_> = norm()
        .parse_all(row, &sr())
        .into_iter()
        .map(|n| (n.kind, n.day, n.month, n.to_day, n.to_month))
        .collect();
    assert_eq!(
        spans,
        vec![(Kind::Period, Some(1), Some(8), Some(31), Some(10)); 3],
        "{row}"
    );
    let comma = numbers::infer_convention(lj.lines());
    let row = lj
        .lines()
        .find(|l| l.contains("милиона динара што представља раст од 31,7%"))
        .unwrap_or_default();
    let ctx = Context {
        convention: comma,
        language: Some(lang::Language::Sr),
    };
    let money: Vec<_> = norm()
        .parse_all(row, &ctx)
        .into_iter()
        .filter(|n| n.kind == Kind::Money)
        .collect();
    assert!(
        money
            .iter()
            .all(|n| n.currency.as_deref() == Some("RSD") && n.value.is_some_and(|v| v >= 1e6)),
        "{money:?}"
    );

    let Some(pl) = corpus("plandiste_2019_sr-Cyrl.txt") else {
        return;
    };
    assert_eq!(
        numbers::infer_convention(pl.lines()),
        Convention::CommaDecimal
    );
    let line = pl.lines().nth(8).unwrap_or_default();
    let v = norm().parse_all(line, &sr());
    assert!(
        v.iter()
            .any(|n| n.kind == Kind::Date && n.month == Some(1) && n.year == Some(2019))
    );
    assert!(v.iter().any(|n| n.kind == Kind::Count
        && n.value == Some(80.0)
        && n.noun.as_deref() == Some("корисника")));
    assert!(
        v.iter()
            .any(|n| n.kind == Kind::Money && n.value == Some(4_000_000.0))
    );
    // Amounts after an amount do not borrow its currency word as a prefix.
    for l in pl.lines() {
        for n in norm().parse_all(l, &sr()) {
            assert!(!n.raw.starts_with("динара"), "{n:?}");
        }
    }

    let Some(sqt) = corpus("mitrovica-south_2024-2026_sq-Latn.txt") else {
        return;
    };
    let conv = numbers::infer_convention(sqt.lines());
    assert_eq!(conv, Convention::DotDecimal);
    let ctx = Context {
        convention: conv,
        language: Some(lang::Language::Sq),
    };
    let row = sqt
        .lines()
        .find(|l| l.contains("<b>2,314</b>"))
        .unwrap_or_default();
    let v = norm().parse_all(row, &ctx);
    assert_eq!(
        v.last().map(|n| (n.value, n.ambiguous)),
        Some((Some(2314.0), false)),
        "{row}"
    );
    let row = sqt
        .lines()
        .find(|l| l.starts_with("Popullsia\t"))
        .unwrap_or_default();
    // 68.238 people: flagged under the document's dot-decimal evidence,
    // with the reading a native reader gives first.
    let n = cell(row.split('\t').nth(1).unwrap_or_default(), &ctx);
    assert_eq!(
        (n.value, n.alt, n.ambiguous),
        (Some(68238.0), Some(68.238), true)
    );
    let row = sqt
        .lines()
        .find(|l| l.contains("tetëmbëdhjetë punëtorë"))
        .unwrap_or_default();
    assert!(
        norm()
            .parse_all(row, &ctx)
            .iter()
            .any(|n| n.kind == Kind::Word && n.value == Some(18.0))
    );
    let row = sqt
        .lines()
        .find(|l| l.starts_with("Sipërfaqe\t"))
        .unwrap_or_default();
    let n = cell(row.split('\t').nth(1).unwrap_or_default(), &ctx);
    assert_eq!((n.value, n.unit.as_deref()), (Some(331.0), Some("km²")));

    let Some(srl) = corpus("mitrovica-south_2024-2026_sr-Latn.txt") else {
        return;
    };
    let conv = numbers::infer_convention(srl.lines());
    let ctx = Context {
        convention: conv,
        language: Some(lang::Language::Sr),
    };
    let row = srl
        .lines()
        .find(|l| l.contains("koristile socijalnu pomoć\t2,314"))
        .unwrap_or_default();
    let n = cell(row.rsplit('\t').next().unwrap_or_default(), &ctx);
    assert_eq!(n.value, Some(2314.0));
    assert!(
        n.ambiguous || conv == Convention::DotDecimal,
        "{conv:?} {n:?}"
    );
    let row = srl
        .lines()
        .find(|l| l.contains("674,048.46"))
        .unwrap_or_default();
    let n = cell(row.rsplit('\t').next().unwrap_or_default(), &ctx);
    assert_eq!((n.value, n.ambiguous), (Some(674_048.46), false));
    let v = norm().parse_all(
        srl.lines()
            .find(|l| l.contains("osamnaest radnika"))
            .unwrap_or_default(),
        &ctx,
    );
    assert!(v.iter().any(|n| n.kind == Kind::Word
        && n.value == Some(18.0)
        && n.noun.as_deref() == Some("radnika")));
    let row = srl
        .lines()
        .find(|l| l.contains("Akt 2.2.4"))
        .unwrap_or_default();
    assert!(
        norm()
            .parse_all(row, &ctx)
            .iter()
            .all(|n| n.raw != "2.2.4" && n.raw != "2.2")
    );
}

#[test]
fn seed_mixed_script_words() {
    let Some(t) = corpus("mitrovica-south_2024-2026_sr-Latn.txt") else {
        return;
    };
    let (fixed, repairs) = repair::mixed_script(&norm().translit, &t);
    assert_eq!(repairs.iter().filter(|r| r.word == "moгу").count(), 2);
    assert_eq!(repairs.iter().filter(|r| r.word == "Pružaoци").count(), 8);
    for r in &repairs {
        assert_eq!(t[r.offset..].chars().next(), Some(r.from), "{r:?}");
    }
    assert!(fixed.contains("ne mogu da prihvate") || fixed.contains("mogu da prihvate"));
    assert!(!fixed.contains("Pružaoци"));
    // Nothing else in the seed is mixed.
    assert!(
        script::tokens(&fixed)
            .iter()
            .all(|t| t.script != script::Script::Mixed)
    );
    // The Albanian and Cyrillic seeds have no mixed words: no repairs.
    for name in [
        "mitrovica-south_2024-2026_sq-Latn.txt",
        "ljubovija_2026-2028_sr-Cyrl.txt",
        "irig_2022-2027_sr-Cyrl.txt",
        "plandiste_2019_sr-Cyrl.txt",
    ] {
        let Some(t) = corpus(name) else { return };
        assert_eq!(
            repair::mixed_script(&norm().translit, &t).1,
            vec![],
            "{name}"
        );
    }
}

#[test]
fn seed_languages_per_row() {
    // Every table row with enough letters in the Albanian and Serbian Latin
    // versions of the same plan is told apart; untranslated Albanian rows
    // in the Serbian version (Akt 2.2.4 …) are Albanian.
    let (Some(sq_text), Some(sr_text)) = (
        corpus("mitrovica-south_2024-2026_sq-Latn.txt"),
        corpus("mitrovica-south_2024-2026_sr-Latn.txt"),
    ) else {
        return;
    };
    let mut wrong = Vec::new();
    let mut total = 0;
    for (text, want) in [
        (&sq_text, lang::Language::Sq),
        (&sr_text, lang::Language::Sr),
    ] {
        for l in text.lines().filter(|l| l.contains('\t')) {
            let g = norm().detect(l);
            if g.confidence < 0.6 {
                continue;
            }
            total += 1;
            if g.language != want {
                wrong.push(l.chars().take(80).collect::<String>());
            }
        }
    }
    // Rows of the other language exist in both versions (names, untranslated
    // activity titles); allow those few, but no more than 5% of rows.
    assert!(total > 300, "{total}");
    assert!(
        wrong.len() * 20 < total,
        "{} of {total} rows: {wrong:#?}",
        wrong.len()
    );
    let g = norm()
        .detect("Akt 2.2.4 Avancimi i komunikimit më publikun, profesionistët dhe institucionet");
    assert_eq!(g.language, lang::Language::Sq);
    for name in CYRILLIC_SEEDS {
        let Some(t) = corpus(name) else { return };
        let g = norm().detect(&t);
        assert_eq!(
            (g.language, g.script),
            (lang::Language::Sr, script::Script::Cyrillic)
        );
    }
}

#[test]
fn fold_keys_across_scripts_on_seeds() {
    let Some(t) = corpus("ljubovija_2026-2028_sr-Cyrl.txt") else {
        return;
    };
    for w in t.split_whitespace().take(3000) {
        let latin = norm().to_latin(w);
        assert_eq!(norm().key(w), norm().key(&latin), "{w}");
        let ascii: String = latin
            .chars()
            .map(|c| match c {
                'č' | 'ć' => 'c',
                'Č' | 'Ć' => 'C',
                'š' => 's',
                'Š' => 'S',
                'ž' => 'z',
                'Ž' => 'Z',
                c => c,
            })
            .collect::<String>()
            .replace('đ', "dj")
            .replace('Đ', "Dj");
        assert_eq!(norm().key(w), norm().key(&ascii), "{w}");
    }
}

/// Deterministic pseudo-random strings from pieces that stress the
/// parsers (separators, scripts, markup, odd spaces, combining marks).
fn fuzz_inputs(n: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "7",
        "2024",
        "000",
        ".",
        ",",
        ".",
        ",",
        "/",
        "-",
        "–",
        " ",
        " ",
        "\t",
        "\n",
        "%",
        "€",
        "$",
        "<sup>",
        "</sup>",
        "<b>",
        "</",
        "<",
        ">",
        "[",
        "]",
        "*",
        "²",
        "km",
        "m",
        "динара",
        "RSD",
        "квартал",
        "kvartal",
        "Q",
        "IV",
        "I",
        "Јануар",
        "nëntor",
        "pet",
        "dvadeset",
        "i",
        "e",
        "njëzet",
        "hiljada",
        "mijë",
        "Није мерено",
        "н/а",
        "///",
        "n/a",
        "Мера",
        "Akt",
        "ë",
        "ç",
        "č",
        "Љ",
        "љ",
        "Џ",
        "dž",
        "lj",
        "nj",
        "ЉУБ",
        "moгу",
        "3",
        "З",
        "a",
        "а",
        "p",
        "р",
        "\u{00A0}",
        "\u{200B}",
        "\u{00AD}",
        "\u{0301}",
        "\u{030C}",
        "„",
        "“",
        "«",
        "—",
        "−",
        "http://x.rs/a",
        "a@b.rs",
        "f.docx",
        "&amp;",
        "[bookmark: x]",
        "ex-post",
        "EULEX",
        "injekcija",
        "nadživeti",
        "😀",
        "\r\n",
        "9999999999999999999999",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[test]
fn no_panics_and_consistent_spans_on_fuzzed_input() {
    let ctxs = [sr(), sq(), Context::default()];
    for (k, s) in fuzz_inputs(2500).iter().enumerate() {
        let ctx = &ctxs[k % 3];
        for n in norm().parse_all(s, ctx) {
            assert!(
                n.start <= n.end && s.is_char_boundary(n.start) && s.is_char_boundary(n.end),
                "{s:?} {n:?}"
            );
            assert_eq!(&s[n.start..n.end], n.raw, "{s:?}");
        }
        if let Some(n) = norm().parse_cell(s, ctx) {
            assert_eq!(s.get(n.start..n.end), Some(n.raw.as_str()), "{s:?} {n:?}");
        }
        let (fixed, repairs) = repair::mixed_script(&norm().translit, s);
        for r in &repairs {
            assert_eq!(s[r.offset..].chars().next(), Some(r.from), "{s:?} {r:?}");
        }
        let _ = fixed;
        let normal = planrec::normalize::normalize(s);
        assert_eq!(
            planrec::normalize::normalize(&normal),
            normal,
            "normalize is idempotent: {s:?}"
        );
        let _ = planrec::normalize::text::text(norm(), s);
        let _ = planrec::normalize::collapse_whitespace(s);
        let _ = norm().to_cyrillic(&norm().to_latin(s));
        let _ = norm().key(s);
        let _ = norm().detect(s);
        let _ = script::tokens(s);
        let _ = norm().scale_marker(s);
        let _ = numbers::infer_convention([s.as_str()]);
    }
}

/// Pathological inputs of a few hundred KB finish quickly: no quadratic
/// scans (a quadratic one would take minutes here).
#[test]
fn linear_time_on_pathological_input() {
    let cases = [
        "<sup>".repeat(40_000),
        "<".repeat(200_000),
        "I ".repeat(100_000),
        "1.1.".repeat(50_000),
        "2024 / ".repeat(30_000),
        "pet ".repeat(50_000),
        "3,".repeat(100_000),
        "Није мерено ".repeat(15_000),
        "[1".repeat(100_000),
    ];
    let start = std::time::Instant::now();
    for s in &cases {
        let _ = norm().parse_all(s, &sr());
        let _ = norm().to_cyrillic(s);
        let _ = norm().to_latin(s);
        let _ = repair::mixed_script(&norm().translit, s);
        let _ = numbers::infer_convention([s.as_str()]);
    }
    // Debug build on a shared CPU: generous, still far below quadratic.
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn latin_seed_round_trip() {
    // Serbian Latin → Cyrillic → Latin gives the text back, except the
    // mixed-script words, which come back repaired.
    let Some(text) = corpus("mitrovica-south_2024-2026_sr-Latn.txt") else {
        return;
    };
    let back = norm().to_latin(&norm().to_cyrillic(&text));
    let a = words(&text);
    let b = words(&back);
    assert_eq!(a.len(), b.len());
    let changed: Vec<_> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, y)| (x.1, y.1))
        .collect();
    assert!(
        changed
            .iter()
            .all(|(x, y)| matches!((*x, *y), ("Pružaoци", "Pružaoci") | ("moгу", "mogu"))),
        "{changed:?}"
    );
    assert_eq!(changed.len(), 5);
}

#[test]
fn mappings_are_valid_and_consistent() {
    use planrec::mappings::Mappings;
    let m = Mappings::embedded();
    if let Err(e) = planrec::config::Lexicons::load(&m) {
        panic!("{e}");
    }
    // Serbian rows listed in both scripts: each Latin form has its Cyrillic
    // twin (as the transliterator spells it) with the same value.
    for file in ["months.tsv", "number_words.tsv"] {
        let rows = m.rows(file).unwrap_or_default();
        let set: std::collections::HashSet<(String, String)> = rows
            .iter()
            .map(|r| (r.get(0).to_string(), r.get(1).to_string()))
            .collect();
        for r in rows
            .iter()
            .filter(|r| r.get(2) == "sr" && script::detect(r.get(0)) == script::Script::Latin)
        {
            let cyr = norm().to_cyrillic(r.get(0));
            assert!(
                set.contains(&(cyr.clone(), r.get(1).to_string())),
                "{file}:{}: no Cyrillic row {cyr}",
                r.line
            );
        }
    }
    // A malformed override is reported with its file and line.
    let dir = std::env::temp_dir().join(format!("planrec-norm-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    std::fs::write(
        dir.join("months.tsv"),
        "# form\tmonth\tlanguage\njanuar\t13\tsr\n",
    )
    .unwrap_or_default();

    let bad = Mappings::with_overrides(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(bad) = bad else {
        panic!("override dir unreadable")
    };
    let err = planrec::config::Lexicons::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("months.tsv:2: column 2 (month)"), "{err}");
    // A scale marker with nothing to search for would match any text.
    let dir = std::env::temp_dir().join(format!("planrec-norm-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    std::fs::write(
        dir.join("scale_markers.tsv"),
        "u 000\t1000\n\u{200B}\t1000\n",
    )
    .unwrap_or_default();
    let bad = Mappings::with_overrides(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(bad) = bad else {
        panic!("override dir unreadable")
    };
    let err = planrec::config::Lexicons::load(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("scale_markers.tsv:2: column 1 (pattern)"),
        "{err}"
    );
}

#[test]
fn cli_translit() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planrec"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn planrec: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        let out = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("planrec: {e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(
        run(&["translit", "--to", "latn"], "ЉУБОВИЈА, Љубовија\n").1,
        "LJUBOVIJA, Ljubovija\n"
    );
    assert_eq!(
        run(&["translit", "--to", "cyrl", "-"], "injekcija i EULEX\n").1,
        "инјекција и EULEX\n"
    );
    let (code, _, err) = run(&["translit", "--to", "cyrl", "/nonexistent/plan.txt"], "");
    assert_eq!(code, Some(2));
    assert!(err.contains("/nonexistent/plan.txt"), "{err}");
    let (code, _, _) = run(&["translit", "--to", "grc"], "");
    assert_eq!(code, Some(2));
}

/// The hand-checked gold values in ../shared/gold: every indicator and
/// budget cell parses to the gold value, or is flagged ambiguous; cells
/// whose gold value is null give no value (or a flagged one).
#[test]
fn gold_cell_values() {
    let Some(shared) = support::shared::dir("gold_cell_values", "", &["gold"]) else {
        return;
    };
    let entries = std::fs::read_dir(shared.join("gold")).expect("gold dir readable");
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut checked = 0;
    let mut flagged = 0;
    let mut wrong = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let lang = match doc["language"].as_str() {
            Some("sq") => lang::Language::Sq,
            _ => lang::Language::Sr,
        };
        let seed = std::fs::read_to_string(
            shared
                .join("seeds")
                .join(doc["doc"].as_str().unwrap_or_default()),
        )
        .unwrap_or_default();
        let ctx = Context {
            convention: numbers::infer_convention(seed.lines()),
            language: Some(lang),
        };
        let mut cells: Vec<(String, Option<f64>)> = Vec::new();
        for ind in doc["indicators"].as_array().into_iter().flatten() {
            for v in ind["values"].as_array().into_iter().flatten() {
                cells.push((
                    v["raw"].as_str().unwrap_or_default().to_string(),
                    v["value"].as_f64(),
                ));
            }
        }
        for b in doc["budgets"].as_array().into_iter().flatten() {
            cells.push((
                b["raw"].as_str().unwrap_or_default().to_string(),
                b["value"].as_f64(),
            ));
        }
        for (raw, gold) in cells {
            checked += 1;
            let got = norm().parse_cell(&raw, &ctx);
            if got.as_ref().is_some_and(|n| n.ambiguous) {
                flagged += 1;
            }
            let ok = match (&got, gold) {
                (Some(n), Some(g)) => n.value == Some(g) || n.ambiguous,
                (None, Some(_)) => false,
                (Some(n), None) => n.value.is_none() || n.ambiguous,
                (None, None) => true,
            };
            if !ok {
                wrong.push(format!("{}: {raw:?} gold {gold:?} got {got:?}", doc["doc"]));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} gold cells: {wrong:#?}",
        wrong.len()
    );
    eprintln!("gold cells checked: {checked}, flagged ambiguous: {flagged}");
    // Flagging is the exception, not the way through.
    assert!(flagged * 20 < checked, "{flagged} of {checked} flagged");
}

/// Language of every gold activity, objective and indicator text: the
/// document's language, except the one activity the gold notes as written
/// in Albanian inside the Serbian plan (Akt 2.2.4), which must be Albanian.
#[test]
fn gold_text_languages() {
    let Some(dir) = support::shared::dir("gold_text_languages", "gold", &[]) else {
        return;
    };
    let entries = std::fs::read_dir(&dir).expect("gold dir readable");
    let mut wrong = Vec::new();
    let mut n = 0;
    for e in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let want = doc["language"].as_str().unwrap_or_default();
        let texts = ["activities", "objectives"]
            .iter()
            .flat_map(|k| {
                doc[*k]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| a["text"].as_str().unwrap_or_default())
            })
            .chain(
                doc["indicators"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| a["name"].as_str().unwrap_or_default()),
            );
        for t in texts {
            n += 1;
            let g = norm().detect(t);
            let albanian_row = t.starts_with("Avancimi i komunikimit");
            let expect = if albanian_row { "sq" } else { want };
            if g.language.code() != expect || g.confidence < 0.6 {
                wrong.push(format!("{t:.60} → {:?} {:.2}", g.language, g.confidence));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {n}: {wrong:#?}", wrong.len());
}
