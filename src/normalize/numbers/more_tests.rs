use super::*;

fn all(s: &str) -> Vec<Number> {
    parse_all(
        crate::vocab::test_vocab().norm(),
        s,
        &Context {
            convention: Convention::Unknown,
            language: Some(Language::Sr),
        },
    )
}

#[test]
fn money_forms() {
    let v = all("€ 100 i 250 EUR, 1.500 din. i $5");
    let got: Vec<_> = v
        .iter()
        .map(|n| (n.kind, n.value, n.currency.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::Money, Some(100.0), Some("EUR")),
            (Kind::Money, Some(250.0), Some("EUR")),
            (Kind::Money, Some(1500.0), Some("RSD")),
            (Kind::Money, Some(5.0), Some("USD")),
        ]
    );
    assert_eq!(v[2].raw, "1.500 din.");
}

#[test]
fn ranges_and_quarters() {
    let v = all("10-15% i od 10 do 100 korisnika; Q4 2026; IV kvartal 2026; 26. novembar 2024.");
    assert_eq!(
        (v[0].kind, v[0].value, v[0].to, v[0].unit.as_deref()),
        (Kind::Range, Some(10.0), Some(15.0), Some("%"))
    );
    assert_eq!(
        (v[1].kind, v[1].value, v[1].to, v[1].noun.as_deref()),
        (Kind::Range, Some(10.0), Some(100.0), Some("korisnika"))
    );
    assert_eq!(
        (v[2].kind, v[2].quarter, v[2].year),
        (Kind::Quarter, Some(4), Some(2026))
    );
    assert_eq!(
        (v[3].kind, v[3].quarter, v[3].year),
        (Kind::Quarter, Some(4), Some(2026))
    );
    assert_eq!(
        (v[4].kind, v[4].day, v[4].month, v[4].year),
        (Kind::Date, Some(26), Some(11), Some(2024))
    );
    assert_eq!(v.len(), 5);
    let v = all("treći kvartal 2026, Четврти квартал 2027. године, tremujori i parë 2025");
    let q: Vec<_> = v.iter().map(|n| (n.kind, n.quarter, n.year)).collect();
    assert_eq!(
        q,
        vec![
            (Kind::Quarter, Some(3), Some(2026)),
            (Kind::Quarter, Some(4), Some(2027)),
            (Kind::Quarter, Some(1), Some(2025)),
        ]
    );
}

#[test]
fn years_and_counts() {
    let v = all("У 2022. години 2000 корисника, u 2021 bilo je");
    assert_eq!((v[0].kind, v[0].year), (Kind::Year, Some(2022)));
    assert_eq!(
        (v[1].kind, v[1].noun.as_deref()),
        (Kind::Count, Some("корисника"))
    );
    assert_eq!((v[2].kind, v[2].year), (Kind::Year, Some(2021)));
    // Lone "one" and vague multipliers are not quantities in text.
    assert!(all("jedno pitanje, një shoqëri, milijarde evra, hiljade ljudi").is_empty());
    let v = all("hiljadu korisnika i milion evra");
    assert_eq!(
        v.iter().map(|n| n.value).collect::<Vec<_>>(),
        vec![Some(1000.0), Some(1_000_000.0)]
    );
    assert_eq!(v[1].currency.as_deref(), Some("EUR"));
}
