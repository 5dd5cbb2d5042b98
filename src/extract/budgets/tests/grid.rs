use super::*;

/// Rows of `(grid column, column span, text)`.
type GridTable<'a> = &'a [&'a [(usize, usize, &'a str)]];

/// `(element, source, year, value × scale, is_total)`.
type Amount = (Option<String>, Option<String>, Option<i32>, f64, bool);

/// A Word-like document: paragraphs (`Err`) and tables whose cells are
/// `(grid column, column span, text)`; a text opening with `#n.n.n.#`
/// is a list item numbered by Word, the number only in its marker.
fn grid_document(blocks: &[Result<GridTable<'_>, &str>]) -> crate::model::Document {
    use crate::model::{Block, ListItem, Paragraph, Row, Table};
    let mut doc = document(&[]);
    for (bi, b) in blocks.iter().enumerate() {
        doc.blocks.push(match b {
            Err(t) => Block::Paragraph(Paragraph {
                text: t.to_string(),
                ..Paragraph::default()
            }),
            Ok(rows) => Block::Table(Table {
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(ri, r)| Row {
                        cells: r
                            .iter()
                            .enumerate()
                            .map(|(ci, &(col, span, t))| {
                                let prov = Provenance {
                                    block: Some(bi),
                                    row: Some(ri),
                                    cell: Some(ci),
                                    ..Provenance::default()
                                };
                                let (marker, text) =
                                    match t.strip_prefix('#').and_then(|r| r.split_once('#')) {
                                        Some((m, rest)) => (Some(m.to_string()), rest),
                                        None => (None, t),
                                    };
                                let p = Paragraph {
                                    text: text.to_string(),
                                    list: marker.map(|m| ListItem {
                                        level: 0,
                                        marker: Some(m),
                                        ordered: true,
                                    }),
                                    ..Paragraph::default()
                                };
                                let mut c = Cell::new(col, vec![p], prov);
                                c.col_span = span;
                                c
                            })
                            .collect(),
                        ..Row::default()
                    })
                    .collect(),
                ..Table::default()
            }),
        });
    }
    doc
}

/// `(element, source, year, value × scale, is_total)` of each entry.
fn amounts(b: &[Budget]) -> Vec<Amount> {
    b.iter()
        .map(|x| {
            (
                x.activity.clone().or_else(|| x.parent.clone()),
                x.source.clone(),
                x.year,
                x.value.unwrap_or(f64::NAN) * f64::from(x.scale),
                x.is_total,
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn a_money_cell_over_source_columns_in_a_text_export() {
    let (b, _) = budgets(
        "Plan za period 2025-2028. godine\n\nMatrica aktivnosti\n\n\
         Posebni cilj\tRb.\tAktivnost\tIznos (din.)\t\t\tStatus\n\
         \t\t\tGrad\tPokrajina\tUkupno\t\n\
         Posebni cilj 1.1: Usluge\t1.1.1\tObuka\t100.000,00\t50.000,00\t150.000,00\tplanirano\n\
         \t1.1.2\tPrevoz\t0,00\t20.000,00\t20.000,00\t\n\
         Ukupno Prioritetna oblast I\t\t\t100.000,00\t70.000,00\t170.000,00\t\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), s("Grad"), None, 100_000.0, false),
            (s("1.1.1"), s("Pokrajina"), None, 50_000.0, false),
            (s("1.1.1"), None, None, 150_000.0, true),
            (s("1.1.2"), s("Grad"), None, 0.0, false),
            (s("1.1.2"), s("Pokrajina"), None, 20_000.0, false),
            (s("1.1.2"), None, None, 20_000.0, true),
            (s("I"), s("Grad"), None, 100_000.0, true),
            (s("I"), s("Pokrajina"), None, 70_000.0, true),
            (s("I"), None, None, 170_000.0, true),
        ]
    );
    assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
}

#[test]
fn a_merged_money_cell_over_source_columns_and_list_numbers() {
    let head: &[&[(usize, usize, &str)]] = &[
        &[
            (0, 1, "Активност"),
            (1, 1, "Надлежна установа"),
            (2, 3, "Планирана средства (у хиљадама)"),
        ],
        &[(2, 1, "Град"), (3, 1, "Покрајина"), (4, 1, "Свега")],
        &[
            (0, 1, "#1.1.1.#Повећање броја пратилаца"),
            (1, 1, "Град"),
            (2, 1, "3.600"),
            (3, 1, "0"),
            (4, 1, "3.600"),
        ],
        &[
            (0, 1, "Укупно за Меру 1.1"),
            (1, 1, ""),
            (2, 1, "3.600"),
            (3, 1, "0"),
            (4, 1, "3.600"),
        ],
    ];
    let doc = grid_document(&[
        Err("План за период 2025–2028. године"),
        Err("Табела 3: Мера 1.1, средства у РСД"),
        Ok(head),
    ]);
    let b = crate::extract::extract(&doc, &crate::vocab::Vocab::embedded()).budgets;
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), s("Град"), None, 3_600_000.0, false),
            (s("1.1.1"), s("Покрајина"), None, 0.0, false),
            (s("1.1.1"), None, None, 3_600_000.0, true),
            (s("1.1"), s("Град"), None, 3_600_000.0, true),
            (s("1.1"), s("Покрајина"), None, 0.0, true),
            (s("1.1"), None, None, 3_600_000.0, true),
        ]
    );
    assert!(b.iter().all(|x| x.scale == 1000));
    assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
}

#[test]
fn an_unknown_source_column_is_read_from_its_cells() {
    let (b, _) = budgets(
        "Plani 2025-2028\n\nTabela 4: Buxheti sipas prioriteteve (€)\n\n\
         Prioriteti\tBuxheti komunal\tMFPT\tGjithsej\n\
         Prioriteti I\t185,500.00\t36,000.00\t221,500.00\n\
         Gjithsej\t185,500.00\t36,000.00\t221,500.00\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("I"), s("Buxheti komunal"), None, 185_500.0, false),
            (s("I"), s("MFPT"), None, 36_000.0, false),
            (s("I"), None, None, 221_500.0, true),
            (None, s("Buxheti komunal"), None, 185_500.0, true),
            (None, s("MFPT"), None, 36_000.0, true),
            (None, None, None, 221_500.0, true),
        ]
    );
    assert!(b.iter().all(|x| x.currency.as_deref() == Some("EUR")));
}

#[test]
fn codes_in_their_own_column_and_totals_under_a_money_column() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\nPosebni cilj 1.2: Dnevni boravak\n\n\
         Tabela 4: Aktivnosti za strateški pravac 1\n\n\
         Br.\tAktivnost\tIzvršilac\tProcenjeni troškovi (000 RSD)\tFinansiranje\tNapomena\n\
         1.1.1.\tAnaliza potreba\tGradska uprava\t350\tBudžet Grada\t—\n\
         1.2.1.\tAdaptacija prostora\tGradska uprava\t6.200\tBudžet Grada, donacije\tgodišnje 3.100\n\
         \tUkupno za strateški pravac 1\t\t6.550\t\t\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), s("Budžet Grada"), None, 350_000.0, false),
            (
                s("1.2.1"),
                s("Budžet Grada, donacije"),
                None,
                6_200_000.0,
                false
            ),
            (s("1"), None, None, 6_550_000.0, true),
        ]
    );
}

#[test]
fn amounts_of_label_value_blocks() {
    let (b, codes) = budgets(
        "Akcioni plan 2025-2028\n\nPosebni cilj 3.1: Kapaciteti\n\n\
         Aktivnost 3.1.1: Zapošljavanje dva radnika\n\nIzvršilac: Gradska uprava\n\n\
         Rok: 2025.\n\nBudžet: 4,8 miliona dinara\n\n\
         Aktivnost 3.1.2: Protokol o saradnji\n\nBudžet: bez dodatnih troškova\n\n\
         Aktivnost 3.1.3: Evidencija korisnika\n\nBudžet: 800 hiljada dinara\n\n\
         Ukupan budžet: 5,6 miliona dinara\n\n\
         Posebni cilj 3.2: Saradnja\n\nBudžet: 1.000 dinara\n",
    );
    let got: Vec<_> = b
        .iter()
        .map(|x| {
            (
                x.activity.as_deref(),
                x.value,
                x.scale,
                x.currency.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("3.1.1"), Some(4.8), 1_000_000, Some("RSD")),
            (Some("3.1.3"), Some(800.0), 1000, Some("RSD")),
        ]
    );
    assert!(b.iter().all(|x| x.provenance.line.is_some()));
    // The amount after a goal label belongs to no activity: reported.
    assert!(codes.iter().any(|c| c == "budget_unplaced"), "{codes:?}");
    let (b, _) = budgets(
        "Plani i veprimit 2025-2028\n\nAktiviteti 2.2.1: Strehimi\n\n\
         Bartësi: DSHMS\n\nBuxheti: 60 mijë €\n",
    );
    assert_eq!(amounts(&b), vec![(s("2.2.1"), None, None, 60_000.0, false)]);
    assert_eq!(b[0].currency.as_deref(), Some("EUR"));
}

#[test]
fn block_units_and_sources_from_their_labels() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Aktivnost 1.1.1: Obuka radnika\n\nBudžet (u 000 din): 350\n\n\
         Izvor finansiranja: Budžet Grada\n\n\
         Aktivnost 1.1.2: Nabavka vozila\n\nIzvor finansiranja: Donacija\n\n\
         Troškovi: 1.200 EUR\n",
    );
    let got: Vec<_> = b
        .iter()
        .map(|x| {
            (
                x.activity.as_deref(),
                x.value,
                x.scale,
                x.currency.as_deref(),
                x.source.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("1.1.1"),
                Some(350.0),
                1000,
                Some("RSD"),
                Some("Budžet Grada")
            ),
            (
                Some("1.1.2"),
                Some(1200.0),
                1,
                Some("EUR"),
                Some("Donacija")
            ),
        ]
    );
}

#[test]
fn a_header_naming_a_currency_is_a_money_column() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Aktivnost\tNosilac\tVrednost (RSD)\n\
         1.1.1 Obuka\tCSR\t350.000\n\
         1.1.2 Supervizija\tCSR\t120.000\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), None, None, 350_000.0, false),
            (s("1.1.2"), None, None, 120_000.0, false),
        ]
    );
}

#[test]
fn totals_name_their_element_in_any_case() {
    with_ctx(|ctx| {
        for (label, code) in [
            ("Ukupno za mjeru 1.1", "1.1"),
            ("Gjithsej për Masën 2.1", "2.1"),
            ("Укупно за Посебни циљ 3", "3"),
            ("Ukupno Prioritetna oblast II", "II"),
        ] {
            let l = total_of(ctx, label);
            assert_eq!(l.and_then(|l| l.code).as_deref(), Some(code), "{label}");
        }
        assert_eq!(total_of(ctx, "Ukupno"), None);
    });
}

#[test]
fn year_columns_with_their_unit_or_money_word() {
    let norm = crate::vocab::test_vocab().norm();
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Šifra\tAktivnost\t2025. (u 000 din)\tBudžet 2026\tUkupno\n\
         1.1.1\tObuka\t100\t200\t300\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), None, Some(2025), 100_000.0, false),
            (s("1.1.1"), None, Some(2026), 200_000.0, false),
            (s("1.1.1"), None, None, 300_000.0, true),
        ]
    );
    assert_eq!(year_header(norm, "Godina 2025"), Some(2025));
    with_ctx(|ctx| {
        assert_eq!(money_year(ctx, "Sredstva za 2026. (RSD)"), Some(2026));
        assert_eq!(money_year(ctx, "Plan 2026"), None);
    });
}

#[test]
fn label_value_rows_and_numbered_headings() {
    // A table per activity, one "label | value" row each.
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         1. Uvod\t3\n\
         6. Budžet plana\t15\n\n\
         Sadržaj.\n\n\
         Aktivnost 1.1.1\tObuka radnika\n\
         Nosilac\tCentar za socijalni rad\n\
         Budžet\t250.000\n\n\
         Tekst.\n\n\
         3.1.2. Nabavka vozila za terenski rad\n\n\
         Rok: 2026.\n\n\
         Budžet: 5.600.000 dinara\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), None, None, 250_000.0, false),
            (s("3.1.2"), None, None, 5_600_000.0, false),
        ]
    );
}

#[test]
fn a_table_about_money_whose_columns_no_word_names() {
    let doc = |caption: &str| {
        format!(
            "Plan 2025-2028\n\n{caption}\n\n\
             Prioritetna oblast\tGrad\tPokrajina\tSvega\n\
             Prioritetna oblast I\t7.950.000,00\t1.200.000,00\t9.150.000,00\n\
             Svega\t7.950.000,00\t1.200.000,00\t9.150.000,00\n"
        )
    };
    let (b, _) = budgets(&doc("Tabela 6: Finansijski okvir (u dinarima)"));
    assert_eq!(
        amounts(&b),
        vec![
            (s("I"), s("Grad"), None, 7_950_000.0, false),
            (s("I"), s("Pokrajina"), None, 1_200_000.0, false),
            (s("I"), None, None, 9_150_000.0, true),
            (None, s("Grad"), None, 7_950_000.0, true),
            (None, s("Pokrajina"), None, 1_200_000.0, true),
            (None, None, None, 9_150_000.0, true),
        ]
    );
    // Without a unit or currency stated for it, a table of numbers is
    // not money.
    let (b, _) = budgets(&doc("Tabela 6: Pregled po oblastima"));
    assert!(b.is_empty(), "{b:?}");
}

#[test]
fn a_chapter_statement_of_the_unit_covers_its_matrices() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Troškovi su iskazani u hiljadama dinara.\n\n\
         Strateški pravac 1: Usluge\n\n\
         Aktivnost\tNosilac\tTroškovi\n\
         1.1.1 Obuka\tCSR\t350\n\n\
         Indikatori za posebni cilj 1.1\n\n\
         Indikator\tPočetna vrednost 2024\tCiljna 2026\n\
         Broj korisnika\t180\t220\n\n\
         Strateški pravac 2: Porodica\n\n\
         Opis pravca.\n\n\
         Aktivnost\tNosilac\tTroškovi\n\
         2.1.1 Savetovalište\tCSR\t600\n",
    );
    assert_eq!(
        amounts(&b),
        vec![
            (s("1.1.1"), None, None, 350_000.0, false),
            (s("2.1.1"), None, None, 600_000.0, false),
        ]
    );
}

#[test]
fn totals_are_checked_against_their_parts() {
    let table = |goal_total: &str| {
        format!(
            "План за период 2024-2026. године\n\nТабела (у 000 РСД)\n\n\
             Циљ / мера\tБуџет општине\tДонације\tУкупно\n\
             Посебни циљ 1\t300\t50\t350\n\
             Мера 1.1\t100\t50\t150\n\
             Мера 1.2\t200\t0\t200\n\
             Укупно\t{goal_total}\t50\t350\n"
        )
    };
    let mismatches = |text: &str| {
        budgets(text)
            .1
            .iter()
            .filter(|c| *c == "budget_total_mismatch")
            .count()
    };
    // The goal's row and its measures' rows: each level adds up.
    assert_eq!(mismatches(&table("300")), 0);
    assert_eq!(mismatches(&table("310")), 1);
}

#[test]
fn rates_are_not_budgets() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Aktivnost\tNosilac\tRok\n\
         1.1.1 Jednokratna pomoć porodicama, 100 € po detetu\tCSR\t2025.\n\n\
         Aktivnost 1.1.2: Užina za decu\n\nBudžet: 50 dinara po obroku\n",
    );
    assert!(b.is_empty(), "{b:?}");
}

#[test]
fn unit_from_a_statement_before_the_table() {
    let (b, codes) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Troškovi su iskazani u hiljadama dinara, po aktivnostima.\n\n\
         Aktivnosti su poređane po posebnim ciljevima.\n\n\
         Tabela 4: Aktivnosti\n\n\
         Aktivnost\tNosilac\tTroškovi\n\
         1.1.1 Obuka\tCSR\t350\n",
    );
    assert_eq!(
        amounts(&b),
        vec![(s("1.1.1"), None, None, 350_000.0, false)]
    );
    assert_eq!(b[0].currency.as_deref(), Some("RSD"));
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "budget_unit_from_text")
            .count(),
        1,
        "{codes:?}"
    );
    // A budget table without any unit takes the one of the table above,
    // and says so.
    let (b, codes) = budgets(
        "План за период 2024-2026. године\n\n(у 000 динара)\n\n\
         Мера\tБуџет општине\tДонације\tУкупно\n\
         Мера 1.1\t100\t50\t150\n\n\
         Други текст.\n\n\
         Мера\tБуџет општине\tДонације\tУкупно\n\
         Мера 2.1\t70\t20\t90\n",
    );
    assert!(b.iter().all(|x| x.scale == 1000), "{b:?}");
    assert!(
        codes.iter().any(|c| c == "budget_unit_assumed"),
        "{codes:?}"
    );
}

#[test]
fn euros_with_serbian_separators_and_words_in_a_cell() {
    let (b, _) = budgets(
        "Akcioni plan 2025-2028\n\n\
         Aktivnost\tOdgovorni\tIznos (€)\tIzvor\n\
         1.1.2. Angažovanje šest gerontodomaćica\tSekretarijat\t86.400,00\tBudžet Opštine\n\
         1.2.1. Izgradnja dnevnog centra\tDirekcija\t1,2 miliona\tKapitalni budžet\n",
    );
    let got: Vec<_> = b
        .iter()
        .map(|x| {
            (
                x.activity.as_deref(),
                x.value,
                x.scale,
                x.currency.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("1.1.2"), Some(86_400.0), 1, Some("EUR")),
            (Some("1.2.1"), Some(1.2), 1_000_000, Some("EUR")),
        ]
    );
}

#[test]
fn bare_codes_and_numbering_markers() {
    assert_eq!(bare_code("1.1.1."), Some("1.1.1"));
    assert_eq!(bare_code("2.3"), Some("2.3"));
    assert_eq!(bare_code("1."), None);
    assert_eq!(bare_code("0.00"), None);
    assert_eq!(bare_code("1.250.000"), None);
    assert!(numbering_marker("1.1.1."));
    assert!(numbering_marker("Mjera 1.2:"));
    assert!(numbering_marker("II."));
    assert!(!numbering_marker("•"));
    assert!(!numbering_marker("a)"));
}

#[test]
fn year_headers() {
    let norm = crate::vocab::test_vocab().norm();
    assert_eq!(year_header(norm, "2026."), Some(2026));
    assert_eq!(year_header(norm, "2022*"), Some(2022));
    assert_eq!(year_header(norm, "2023. година"), Some(2023));
    assert_eq!(year_header(norm, "Циљана вредност у 2026."), None);
    assert_eq!(year_header(norm, "12.800"), None);
}

#[test]
fn totals_and_currencies() {
    with_ctx(|ctx| {
        assert!(is_total(ctx, "УКУПНО:"));
        assert!(is_total(ctx, "Укупна средства"));
        assert!(is_total(ctx, "Gjithsej"));
        assert!(!is_total(
            ctx,
            "Укупно процењена финансијска средства по изворима"
        ));
        assert_eq!(currency_in(ctx, "у хиљадама РСД").as_deref(), Some("RSD"));
        assert_eq!(
            currency_in(ctx, "4.000.000,00 динара").as_deref(),
            Some("RSD")
        );
        assert_eq!(currency_in(ctx, "€/muaj").as_deref(), Some("EUR"));
        assert_eq!(currency_in(ctx, "Дина Станковић"), None);
    });
}

#[test]
fn kinds_of_source_across_languages() {
    with_ctx(|ctx| {
        let k = |s: &str| source_kind(ctx, s).map(crate::extract::record::SourceKind::as_str);
        assert_eq!(k("Буџет ЛС"), Some("local"));
        assert_eq!(k("Budžetska sredstva Opštine"), Some("local"));
        assert_eq!(k("Buxheti komunal"), Some("local"));
        assert_eq!(k("Наменски трансфер (буџет РС)"), Some("national"));
        assert_eq!(k("Донаторска средства (Еу фондови и друго)"), Some("donor"));
        assert_eq!(k("Екстерни извори"), Some("external"));
        assert_eq!(k("Нису потребна финансијска средства"), Some("none"));
        assert_eq!(k("н/а"), Some("none"));
        assert_eq!(k("Републички буџет / Донаторска средства"), Some("mixed"));
        assert_eq!(k("Програм 11"), None);
    });
}

#[test]
fn number_as_written_without_its_currency() {
    with_ctx(|ctx| {
        assert_eq!(number_token(ctx, "2.000.000,00 динара"), "2.000.000,00");
        assert_eq!(number_token(ctx, "€ 500"), "500");
        assert_eq!(number_token(ctx, "1.500 EUR"), "1.500");
        assert_eq!(number_token(ctx, "3.150"), "3.150");
        assert_eq!(
            number_token(ctx, "1,5 милиона динара"),
            "1,5 милиона динара"
        );
        assert_eq!(number_token(ctx, "-200 din."), "-200");
    });
}

#[test]
fn sources_split_by_capitals_or_lines() {
    assert_eq!(
        split_sources("Општински буџет Наменски трансфер са републичког нивоа", 2),
        Some(vec![
            "Општински буџет".to_string(),
            "Наменски трансфер са републичког нивоа".to_string()
        ])
    );
    assert_eq!(
        split_sources("Буџет ЛС\nДонација", 2),
        Some(vec!["Буџет ЛС".to_string(), "Донација".to_string()])
    );
    assert_eq!(split_sources("Општински буџет", 2), None);
}
