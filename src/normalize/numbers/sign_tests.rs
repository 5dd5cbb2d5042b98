use super::*;

#[test]
fn negatives() {
    let ctx = Context {
        convention: Convention::Unknown,
        language: Some(Language::Sr),
    };
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Стопа природног прираштаја ³\t-7\t(2024); природни прираштај -45, пад −3,2%",
        &ctx,
    );
    let vals: Vec<_> = v.iter().map(|n| (n.raw.as_str(), n.value)).collect();
    assert_eq!(
        vals,
        vec![
            ("-7", Some(-7.0)),
            ("2024", Some(2024.0)),
            ("-45", Some(-45.0)),
            ("−3,2%", Some(-3.2))
        ]
    );
    let n = parse_cell(crate::vocab::test_vocab().norm(), "1.8 – 31.10", &ctx)
        .map(|n| (n.kind, n.day, n.month, n.to_day, n.to_month, n.ambiguous));
    assert_eq!(
        n,
        Some((Kind::Period, Some(1), Some(8), Some(31), Some(10), false))
    );
    let n = parse_cell(crate::vocab::test_vocab().norm(), "1.8. – 31.10.", &ctx)
        .map(|n| (n.kind, n.to_month, n.raw));
    assert_eq!(
        n,
        Some((Kind::Period, Some(10), "1.8. – 31.10.".to_string()))
    );
    let n = parse_cell(
        crate::vocab::test_vocab().norm(),
        "од 26. 11. 2024. године",
        &ctx,
    )
    .map(|n| (n.kind, n.day, n.month, n.year, n.raw));
    assert_eq!(
        n,
        Some((
            Kind::Date,
            Some(26),
            Some(11),
            Some(2024),
            "26. 11. 2024.".to_string()
        ))
    );
    let n = parse_cell(crate::vocab::test_vocab().norm(), "2023/24", &ctx)
        .map(|n| (n.kind, n.value, n.to));
    assert_eq!(n, Some((Kind::Period, Some(2023.0), Some(2024.0))));
    let n = parse_cell(crate::vocab::test_vocab().norm(), "1.5 – 2.5 %", &ctx)
        .map(|n| (n.kind, n.value, n.to));
    assert_eq!(n, Some((Kind::Range, Some(1.5), Some(2.5))));
    let v = parse_all(
        crate::vocab::test_vocab().norm(),
        "Rezultati i Synuar -2024\t10 -15 dana\t3 - 5",
        &ctx,
    );
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(2024.0), Some(10.0), Some(3.0)]
    );
}

#[test]
fn memoized_parses_equal_fresh_ones() {
    let contexts = [
        Context::default(),
        super::tests::sr(),
        super::tests::sq(),
        Context {
            convention: Convention::DotDecimal,
            language: None,
        },
    ];
    let texts = [
        "3.150",
        "Буџет 4.000.000,00 динара",
        "2,314 i 1,7%",
        "Није мерено",
        "od 10 do 100 korisnika",
        "",
    ];
    for _ in 0..2 {
        for ctx in &contexts {
            for t in texts {
                assert_eq!(
                    parse_all(crate::vocab::test_vocab().norm(), t, ctx),
                    Parser::new(crate::vocab::test_vocab().norm(), t, ctx).run(),
                    "{t:?}"
                );
            }
        }
    }
    // The same text reads differently under different conventions.
    assert_ne!(
        parse_all(crate::vocab::test_vocab().norm(), "2,314", &contexts[1]),
        parse_all(crate::vocab::test_vocab().norm(), "2,314", &contexts[3])
    );
    // Past the bound the memo starts over and stays correct.
    for i in 0..5000 {
        let t = format!("{i} dece");
        assert_eq!(
            parse_all(crate::vocab::test_vocab().norm(), &t, &super::tests::sr()),
            Parser::new(crate::vocab::test_vocab().norm(), &t, &super::tests::sr()).run()
        );
    }
}

#[test]
fn lowercase_words_keep_the_final_sigma() {
    let ctx = Context::default();
    let p = Parser::new(
        crate::vocab::test_vocab().norm(),
        "ΟΔΟΣ Ljubovija ЉУБОВИЈА",
        &ctx,
    );
    let words: Vec<&str> = (0..p.toks.len()).filter_map(|i| p.word(i)).collect();
    assert_eq!(words, ["οδος", "ljubovija", "љубовија"]);
}
