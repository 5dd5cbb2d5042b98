use super::*;

pub(super) fn sr() -> Context {
    Context {
        convention: Convention::Unknown,
        language: Some(Language::Sr),
    }
}
pub(super) fn sq() -> Context {
    Context {
        convention: Convention::Unknown,
        language: Some(Language::Sq),
    }
}
fn cell(s: &str, c: &Context) -> Number {
    match parse_cell(crate::vocab::test_vocab().norm(), s, c) {
        Some(n) => n,
        None => panic!("no number in {s:?}"),
    }
}

#[test]
fn plain_values() {
    let n = cell("3.150", &sr());
    assert_eq!(
        (n.value, n.kind, n.ambiguous),
        (Some(3150.0), Kind::Integer, false)
    );
    let n = cell("182", &sr());
    assert_eq!((n.value, n.kind), (Some(182.0), Kind::Integer));
    let n = cell("1,7%", &sr());
    assert_eq!(
        (n.value, n.kind, n.unit.as_deref()),
        (Some(1.7), Kind::Percent, Some("%"))
    );
    let n = cell("9,16%", &sr());
    assert_eq!(n.value, Some(9.16));
    let n = cell("4.000.000,00 динара", &sr());
    assert_eq!(
        (n.value, n.kind, n.currency.as_deref()),
        (Some(4_000_000.0), Kind::Money, Some("RSD"))
    );
    assert_eq!(n.raw, "4.000.000,00 динара");
    let n = cell("674,048.46", &sq());
    assert_eq!(
        (n.value, n.kind, n.ambiguous),
        (Some(674_048.46), Kind::Decimal, false)
    );
    let n = cell("68.238", &sq());
    assert_eq!((n.value, n.ambiguous), (Some(68238.0), false));
}

#[test]
fn ambiguous_comma_thousands() {
    let n = cell("2,314", &sr());
    assert_eq!(
        (n.value, n.alt, n.ambiguous),
        (Some(2314.0), Some(2.314), true)
    );
    let dot = Context {
        convention: Convention::DotDecimal,
        language: Some(Language::Sq),
    };
    let n = cell("<b>2,314</b>", &dot);
    assert_eq!(
        (n.value, n.ambiguous, n.raw.as_str()),
        (Some(2314.0), false, "2,314")
    );
    let comma = Context {
        convention: Convention::CommaDecimal,
        language: None,
    };
    let n = cell("68.238", &comma);
    assert_eq!((n.value, n.ambiguous), (Some(68238.0), false));
    let n = cell("68.238", &Context::default());
    assert!(n.ambiguous);
}

#[test]
fn ranges_units_periods() {
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "me një rritje mesatare të GDP prej 3.5 – 4 % gjatë 4 viteve",
        &sq(),
    );
    assert_eq!(v[0].kind, Kind::Range);
    assert_eq!(
        (v[0].value, v[0].to, v[0].unit.as_deref()),
        (Some(3.5), Some(4.0), Some("%"))
    );
    assert_eq!(v[0].raw, "3.5 – 4 %");
    let n = cell("331 km ²", &sr());
    assert_eq!(
        (n.value, n.unit.as_deref(), n.kind),
        (Some(331.0), Some("km²"), Kind::Integer)
    );
    let n = cell("331 km <sup>2</sup>", &sq());
    assert_eq!((n.value, n.unit.as_deref()), (Some(331.0), Some("km²")));
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "përbëhet prej 331 km<sup>2</sup>. Si rezultat",
        &sq(),
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].unit.as_deref(), Some("km²"));
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Sipërfaqe 331 km 2 gjithsej",
        &sq(),
    );
    assert_eq!(v.len(), 1, "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "neophodna 24-časovna nega",
        &sr(),
    );
    assert_eq!((v.len(), v[0].value), (1, Some(24.0)), "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "nën moshën 25-vjeçare",
        &sq(),
    );
    assert_eq!((v.len(), v[0].value), (1, Some(25.0)), "{v:?}");
    let v = parse_all(crate::vocab::test_vocab().norm(), "za oba pola", &sr());
    assert_eq!((v.len(), v[0].value), (1, Some(2.0)), "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "rreth 43%3 e tyre",
        &sq(),
    );
    assert_eq!(v.len(), 1, "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "5-14vjeç dhe 14vjeç",
        &sq(),
    );
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!((v[0].value, v[0].to), (Some(5.0), Some(14.0)), "{v:?}");
    assert_eq!(v[1].value, Some(14.0), "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "COVID-19 i 5G mreža",
        &sr(),
    );
    assert!(v.is_empty(), "{v:?}");
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Figura 1: Distanca",
        &sq(),
    );
    assert!(v.is_empty(), "{v:?}");
    let n = cell("2024 / 2025", &sq());
    assert_eq!(
        (n.kind, n.value, n.to),
        (Kind::Period, Some(2024.0), Some(2025.0))
    );
    let n = cell("2022-2027", &sr());
    assert_eq!(
        (n.kind, n.value, n.to),
        (Kind::Period, Some(2022.0), Some(2027.0))
    );
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "deset naselja od 500 do 1.000 stanovnika po km²",
        &sr(),
    );
    let r = v.iter().find(|n| n.kind == Kind::Range);
    assert_eq!(
        r.map(|n| (n.value, n.to)),
        Some((Some(500.0), Some(1000.0)))
    );
}

#[test]
fn dates_quarters_counts() {
    let n = cell("4 квартал, 2026. година", &sr());
    assert_eq!(
        (n.kind, n.quarter, n.year),
        (Kind::Quarter, Some(4), Some(2026))
    );
    assert_eq!(n.raw, "4 квартал, 2026. година");
    let n = cell("2. квартал 2026", &sr());
    assert_eq!(
        (n.kind, n.quarter, n.year),
        (Kind::Quarter, Some(2), Some(2026))
    );
    let n = cell("Јануар 2019", &sr());
    assert_eq!(
        (n.kind, n.month, n.year, n.value),
        (Kind::Date, Some(1), Some(2019), None)
    );
    let n = cell("март 2019", &sr());
    assert_eq!((n.kind, n.month, n.year), (Kind::Date, Some(3), Some(2019)));
    let n = cell("Nëntor 2024", &sq());
    assert_eq!((n.month, n.year), (Some(11), Some(2024)));
    let n = cell("5 dece", &sr());
    assert_eq!(
        (n.kind, n.value, n.noun.as_deref()),
        (Kind::Count, Some(5.0), Some("dece"))
    );
    let n = cell("0 raste familje - 5 femije", &sq());
    assert_eq!(
        (n.kind, n.value, n.noun.as_deref(), n.ambiguous),
        (Kind::Count, Some(0.0), Some("raste"), true)
    );
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "0 raste familje - 5 femije",
        &sq(),
    );
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[1].value, v[1].noun.as_deref()),
        (Some(5.0), Some("femije"))
    );
    let n = cell("Br. 02-060/01-0074434-5/24, od 26.11.2024", &sr());
    assert_eq!(
        (n.kind, n.day, n.month, n.year),
        (Kind::Date, Some(26), Some(11), Some(2024))
    );
}

#[test]
fn not_a_number() {
    for s in ["Није мерено", "н/а", "///", "N/A", " nije mereno "] {
        let n = cell(s, &sr());
        assert_eq!((n.kind, n.value), (Kind::NotANumber, None), "{s}");
    }
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Задовољство корисника\tНије мерено\t4",
        &sr(),
    );
    assert_eq!(
        v.iter().map(|n| n.kind).collect::<Vec<_>>(),
        vec![Kind::NotANumber, Kind::Integer]
    );
    assert_eq!(v[0].raw, "Није мерено");
}

#[test]
fn money_without_amount() {
    let n = cell("€/muaj/klient", &sq());
    assert_eq!(
        (n.kind, n.value, n.currency.as_deref(), n.unit.as_deref()),
        (Kind::Money, None, Some("EUR"), Some("muaj/klient"))
    );
    let n = cell("€", &sq());
    assert_eq!((n.kind, n.unit), (Kind::Money, None));
}

#[test]
fn identifiers_are_not_quantities() {
    for s in [
        "1.1.1",
        "Akt 2.2.4 Avancimi i komunikimit",
        "LIGJI NR. 08/L-255 PËR SHËRBIME",
        "02-060/01-0074434-5/24",
        "Мера 1.1",
        "1.2. ",
        "zaštite1 i AP19",
        "tekst[3] i <sup>4</sup>",
        "Програм 15 ПР 0001",
    ] {
        assert!(
            parse_all(crate::vocab::test_vocab().norm(), s, &sr()).is_empty(),
            "{s}: {:?}",
            parse_all(crate::vocab::test_vocab().norm(), s, &sr())
        );
    }
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Мера 1.1\t3.150\t150\t0\t3.300",
        &sr(),
    );
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(3150.0), Some(150.0), Some(0.0), Some(3300.0)]
    );
}

#[test]
fn identifier_words_in_other_cases() {
    // Forms the lexicon does not list, read through a case ending of
    // their language: Albanian, Serbian Latin and Cyrillic, ijekavian.
    for (s, c) in [
        ("Tabela 3: Aktivitetet për Objektivin 1", sq()),
        ("Treguesit për Masën 1.1", sq()),
        ("sipas Treguesve 4", sq()),
        ("u skladu sa mjerama 2.1", sr()),
        ("prema mjerom 1.3", sr()),
        ("табела у Прилогу 2", sr()),
        ("у складу са циљевима 1", sr()),
        ("у складу са мјером 3.2", sr()),
    ] {
        let v = parse_all(crate::vocab::test_vocab().norm(), s, &c);
        assert!(v.is_empty(), "{s}: {v:?}");
    }
    // A derived word (an adjective, no case ending on the stem) and a
    // word that merely begins like one stay ordinary words.
    for (s, c, want) in [
        ("prioritetnih 5 oblasti", sr(), 5.0),
        ("programski budžet 120 hiljada", sr(), 120_000.0),
        ("masive 12 familje", sq(), 12.0),
    ] {
        let v = parse_all(crate::vocab::test_vocab().norm(), s, &c);
        assert_eq!(v.first().and_then(|n| n.value), Some(want), "{s}: {v:?}");
    }
}

#[test]
fn day_month_with_or_without_the_days_dot() {
    for (s, c, d, m, y) in [
        ("od 10. do 28. februara 2025.", sr(), 28, 2, Some(2025)),
        ("nga 10 deri më 28 shkurt 2025.", sq(), 28, 2, Some(2025)),
        ("nga 10 deri 28 shkurt 2025", sq(), 28, 2, Some(2025)),
        ("od 10 do 28 februara 2025", sr(), 28, 2, Some(2025)),
        ("do 31. marta naredne godine", sr(), 31, 3, None),
        ("deri më 31 mars të vitit pasues", sq(), 31, 3, None),
        ("до 15 фебруара", sr(), 15, 2, None),
    ] {
        let v = parse_all(crate::vocab::test_vocab().norm(), s, &c);
        let last = v.last().expect("a date");
        assert_eq!(
            (last.kind, last.day, last.month, last.year, last.value),
            (Kind::Date, Some(d), Some(m), y, None),
            "{s}: {v:?}"
        );
        // The first day of "od 10 do 28 …" is a number of its own, never
        // a range ending in the date's day.
        assert!(v.iter().all(|n| n.kind != Kind::Range), "{s}: {v:?}");
    }
    // A count or a figure before other words stays what it was; a day
    // out of range or a year before a month is no day.
    for (s, c, k) in [
        ("28 shkurt", sq(), Kind::Date),
        ("32 mars 2025", sq(), Kind::Integer),
        ("6 takime gjatë periudhës tetor 2024", sq(), Kind::Count),
        ("2024 mart", sr(), Kind::Year),
    ] {
        let v = parse_all(crate::vocab::test_vocab().norm(), s, &c);
        assert_eq!(v.first().map(|n| n.kind), Some(k), "{s}: {v:?}");
    }
}

#[test]
fn words() {
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "zapošljava ukupno osamnaest radnika",
        &sr(),
    );
    assert_eq!(
        (v[0].kind, v[0].value, v[0].noun.as_deref()),
        (Kind::Word, Some(18.0), Some("radnika"))
    );
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "jedanaest naselja, pet naselja i devet naselja, dvanaest ciljeva",
        &sr(),
    );
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(11.0), Some(5.0), Some(9.0), Some(12.0)]
    );
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "punëson gjithsej tetëmbëdhjetë punëtorë; nëntë punonjës; pesëmbëdhjetë vendbanime; dymbëdhjetë objektivat",
        &sq(),
    );
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(18.0), Some(9.0), Some(15.0), Some(12.0)]
    );
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "njëqind e njëzet e pesë; dymijë; dve hiljade petsto; двадесет пет; једно питање",
        &sr(),
    );
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(125.0), Some(2000.0), Some(2500.0), Some(25.0)]
    );
    assert_eq!(cell("jedan", &sr()).value, Some(1.0));
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "4,9 милиона динара",
        &sr(),
    );
    assert_eq!((v[0].value, v[0].kind), (Some(4_900_000.0), Kind::Money));
}

#[test]
fn years() {
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "за 2021. била је 68.238 у 46 јединица",
        &sr(),
    );
    assert_eq!(v[0].kind, Kind::Year);
    assert_eq!(v[0].year, Some(2021));
    assert_eq!(v[1].value, Some(68238.0));
    assert_eq!(
        (v[2].kind, v[2].noun.as_deref()),
        (Kind::Count, Some("јединица"))
    );
    let v = parse_all(crate::vocab::test_vocab().norm(), "Novembar 2024", &sr());
    assert_eq!((v[0].kind, v[0].month), (Kind::Date, Some(11)));
}

#[test]
fn convention_inference() {
    assert_eq!(
        infer_convention(["Budžet 674,048.46"]),
        Convention::DotDecimal
    );
    assert_eq!(
        infer_convention(["4.000.000,00 динара", "1,7%"]),
        Convention::CommaDecimal
    );
    assert_eq!(infer_convention(["1.1.1 i 2.2"]), Convention::Unknown);
    assert_eq!(infer_convention(["2,314"]), Convention::Unknown);
}

#[test]
fn scales() {
    assert_eq!(
        scale_marker(crate::vocab::test_vocab().norm(), "(у 000)"),
        Some(1000)
    );
    assert_eq!(
        scale_marker(
            crate::vocab::test_vocab().norm(),
            "Процена извора финансирања по годинама (у 000.)"
        ),
        Some(1000)
    );
    assert_eq!(
        scale_marker(
            crate::vocab::test_vocab().norm(),
            "Потребна финансијска средства по изворима финансирања у хиљадама РСД"
        ),
        Some(1000)
    );
    assert_eq!(
        scale_marker(crate::vocab::test_vocab().norm(), "(in 000 EUR)"),
        Some(1000)
    );
    assert_eq!(
        scale_marker(
            crate::vocab::test_vocab().norm(),
            "ЗА РЕАЛИЗАЦИЈУ МЕРА У АКЦИОНОМ ПЛАНУ (у динарима)"
        ),
        Some(1)
    );
    assert_eq!(
        scale_marker(crate::vocab::test_vocab().norm(), "Програм 15 ПР 0001"),
        None
    );
    assert_eq!(
        scale_marker(crate::vocab::test_vocab().norm(), "Укупно"),
        None
    );
    let ctx = Context {
        convention: Convention::CommaDecimal,
        language: Some(Language::Sr),
    };
    let n = parse_cell(crate::vocab::test_vocab().norm(), "3.150", &ctx)
        .and_then(|n| n.scaled(scale_marker(crate::vocab::test_vocab().norm(), "(у 000)")));
    assert_eq!(n, Some(3_150_000.0));
    let n = parse_cell(crate::vocab::test_vocab().norm(), "1,7%", &ctx)
        .and_then(|n| n.scaled(Some(1000)));
    assert_eq!(n, Some(1.7));
}
