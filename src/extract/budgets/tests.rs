use super::*;
use crate::extract::record::Budget;
use crate::read::{ReadOptions, read_bytes};

/// The budgets (and diagnostics codes) of a text document.
fn budgets(text: &str) -> (Vec<Budget>, Vec<String>) {
    let doc = match read_bytes(
        std::path::Path::new("test.txt"),
        text.as_bytes(),
        &ReadOptions::default(),
    ) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let rec = crate::extract::extract(&doc, &crate::vocab::Vocab::embedded());
    let codes = rec.diagnostics.iter().map(|d| d.code.clone()).collect();
    (rec.budgets, codes)
}

/// Runs `f` over the context of an empty document with the embedded
/// vocabulary: the word tests need the money words and the document's
/// memos, not a document.
pub(super) fn with_ctx<R>(f: impl FnOnce(&Ctx) -> R) -> R {
    let doc = document(&[]);
    let v = crate::vocab::Vocab::embedded();
    f(&Ctx::new(&doc, &v))
}

/// `(parent, activity, source, year, raw, scale)`.
type Row<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<i32>,
    &'a str,
    u32,
);

fn row(b: &Budget) -> Row<'_> {
    (
        b.parent.as_deref(),
        b.activity.as_deref(),
        b.source.as_deref(),
        b.year,
        b.raw.as_str(),
        b.scale,
    )
}

#[test]
fn sources_by_year_with_totals() {
    let (b, _) = budgets(
        "План за период 2024-2026. године\n\nТабела: Буџет плана (у 000 РСД)\n\n\
         Мера\tИзвор финансирања\t2024\t2025\tУкупно\n\
         Мера 1.1\tБуџет општине\t100\t200\t300\n\
         \tДонације\t50\t0\t50\n\
         Укупно за меру 1.1\t\t150\t200\t350\n",
    );
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(rows.len(), 9);
    assert_eq!(
        rows[0],
        (
            Some("1.1"),
            None,
            Some("Буџет општине"),
            Some(2024),
            "100",
            1000
        )
    );
    // Every row has its own total: it keeps the row's source.
    assert_eq!(
        rows[2],
        (Some("1.1"), None, Some("Буџет општине"), None, "300", 1000)
    );
    assert_eq!(
        rows[4],
        (Some("1.1"), None, Some("Донације"), Some(2025), "0", 1000)
    );
    // "Укупно за меру 1.1" totals measure 1.1 over its sources.
    assert_eq!(rows[8], (Some("1.1"), None, None, None, "350", 1000));
    assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
}

/// A document of paragraphs (`Err`) and tables (`Ok`) in order.
fn document(blocks: &[Result<&[&[&str]], &str>]) -> crate::model::Document {
    use crate::model::{Block, Cell, Document, Format, Paragraph, Row, Source, Table};
    let para = |t: &str| Paragraph {
        text: t.to_string(),
        ..Paragraph::default()
    };
    Document {
        source: Source {
            path: "test.docx".into(),
            format: Format::Docx,
            encoding: "UTF-8".into(),
            encoding_confidence: 1.0,
            sha256: String::new(),
            bytes: 0,
        },
        blocks: blocks
            .iter()
            .enumerate()
            .map(|(bi, b)| match b {
                Err(t) => Block::Paragraph(para(t)),
                Ok(rows) => Block::Table(Table {
                    rows: rows
                        .iter()
                        .enumerate()
                        .map(|(ri, r)| Row {
                            cells: r
                                .iter()
                                .enumerate()
                                .map(|(ci, t)| {
                                    let prov = Provenance {
                                        block: Some(bi),
                                        row: Some(ri),
                                        cell: Some(ci),
                                        ..Provenance::default()
                                    };
                                    let ps = if t.is_empty() { vec![] } else { vec![para(t)] };
                                    Cell::new(ci, ps, prov)
                                })
                                .collect(),
                            ..Row::default()
                        })
                        .collect(),
                    ..Table::default()
                }),
            })
            .collect(),
        headers: Vec::new(),
        footers: Vec::new(),
        notes: Vec::new(),
        diagnostics: Vec::new(),
        counts: Default::default(),
    }
}

#[test]
fn a_table_split_below_its_header_continues_it() {
    let head: &[&[&str]] = &[
        &["Мера", "Извор финансирања", "2024", "2025"],
        &["Мера 1.1", "Буџет општине", "100", "200"],
    ];
    let rest: &[&[&str]] = &[&["Мера 1.2", "Донације", "50", "60"]];
    let split = |between: Option<&'static str>| {
        let mut blocks = vec![
            Err("План за период 2024-2026. године"),
            Err("Табела (у 000 РСД)"),
            Ok(head),
        ];
        if let Some(p) = between {
            blocks.push(Err(p));
        }
        blocks.push(Ok(rest));
        crate::extract::extract(&document(&blocks), &crate::vocab::Vocab::embedded()).budgets
    };
    let b = split(None);
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[2],
        (Some("1.2"), None, Some("Донације"), Some(2024), "50", 1000)
    );
    // With text between them, the second table is a table of its own.
    assert_eq!(split(Some("Други текст.")).len(), 2);
}

#[test]
fn past_spending_and_indicators_are_not_budgets() {
    let (b, _) = budgets(
        "План за период 2024-2026. године\n\n\
         Извор финансирања\t2019\t2020\n\
         Буџет општине\t1.000\t2.000\n\n\
         Текст између табела.\n\n\
         Показатељ\tИзвор финансирања\t2024\t2025\n\
         Износ буџета за услуге\tБуџет општине\t100\t200\n",
    );
    assert!(b.is_empty(), "{b:?}");
}

#[test]
fn years_down_the_rows_and_sources_across() {
    let (b, _) = budgets(
        "План за период 2024-2026. године\n\n(у 000 динара)\n\n\
         Година\tБуџет општине\tДонације\tУкупно\n\
         2024\t100\t50\t150\n\
         2025\t120\t0\t120\n",
    );
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(
        rows[0],
        (None, None, Some("Буџет општине"), Some(2024), "100", 1000)
    );
    assert_eq!(
        rows[1],
        (None, None, Some("Донације"), Some(2024), "50", 1000)
    );
    assert_eq!(rows[2], (None, None, None, Some(2024), "150", 1000));
    assert_eq!(rows.len(), 6);
}

#[test]
fn albanian_table_in_euro() {
    let (b, _) = budgets(
        "Plani i veprimit 2024-2026\n\nBuxheti në €\n\n\
         Objektivi\tBurimi i financimit\t2024\t2025\tGjithsej\n\
         Objektivi 1.1\tBuxheti komunal\t1,000\t2,000\t3,000\n\
         Objektivi 1.2\tDonatorët\t500\t500\t1,000\n",
    );
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(
        rows[0],
        (
            Some("1.1"),
            None,
            Some("Buxheti komunal"),
            Some(2024),
            "1,000",
            1
        )
    );
    assert_eq!(b[0].value, Some(1000.0));
    assert_eq!(rows[5].0, Some("1.2"));
    assert!(b.iter().all(|x| x.currency.as_deref() == Some("EUR")));
}

#[test]
fn matrix_money_column_with_unit() {
    let (b, _) = budgets(
        "Акциони план 2024-2026\n\nМЕРА 1.1: Обука\n\n\
         Активност\tНосилац\tБуџет (у 000 РСД)\n\
         1.1.1 Обука запослених\tЦСР\t500\n\
         1.1.2 Супервизија\tЦСР\t250\n",
    );
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(
        rows,
        vec![
            (Some("1.1"), Some("1.1.1"), None, None, "500", 1000),
            (Some("1.1"), Some("1.1.2"), None, None, "250", 1000),
        ]
    );
    assert_eq!(b[0].currency.as_deref(), Some("RSD"));
}

#[test]
fn plain_budget_column_not_the_budget_line() {
    let (b, _) = budgets(
        "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
         Активност\tБуџетска линија\tБуџет\n\
         2.1.1 Помоћ у кући\tПрограм 11 ПА 0005\t1.200.000\n\
         2.1.2 Лични пратилац\tПрограм 11 ПА 0016\t800.000\n\n\
         Укупно је планирано 2.000.000 динара.\n",
    );
    let rows: Vec<_> = b.iter().map(row).collect();
    assert_eq!(
        rows,
        vec![
            (Some("2.1"), Some("2.1.1"), None, None, "1.200.000", 1),
            (Some("2.1"), Some("2.1.2"), None, None, "800.000", 1),
        ]
    );
    // The currency of the document's own amounts.
    assert_eq!(b[0].currency.as_deref(), Some("RSD"));
}

#[test]
fn units_that_disagree_are_reported() {
    let table = |caption: &str| {
        format!(
            "{caption}\n\nПосебни циљеви\tБуџет општине\tДонације\tУкупно\n\
             Посебан циљ 1\t3.975\t1.500\t5.475\n\
             Посебан циљ 2\t45.000\t4.800\t49.800\n\n"
        )
    };
    let doc = |prose: &str| {
        format!(
            "План за период 2024-2026. године\n\n{}Текст.\n\n{}{prose}\n",
            table("(у 000)"),
            table("(у динарима)")
        )
    };
    // The text confirms thousands: the second table follows.
    let (b, codes) = budgets(&doc("За циљ 2 је предвиђено 49,8 милиона динара."));
    assert!(b.iter().all(|x| x.scale == 1000), "{b:?}");
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "budget_scale_conflict")
            .count(),
        1
    );
    // Nothing decides: each table keeps its unit, and it is reported.
    let (b, codes) = budgets(&doc("Без износа у тексту."));
    assert_eq!(b.iter().filter(|x| x.scale == 1).count(), 6);
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "budget_scale_conflict")
            .count(),
        1
    );
}

#[test]
fn uncoded_rows_belong_to_the_measure_above() {
    let (b, _) = budgets(
        "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
         Активност\tНосилац\tБуџет (РСД)\n\
         Помоћ у кући\tЦСР\t1.200.000\n\
         Лични пратилац\tЦСР\t800.000\n",
    );
    let got: Vec<_> = b
        .iter()
        .map(|x| {
            (
                x.parent.as_deref(),
                x.activity.as_deref(),
                x.label.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("2.1"), None, Some("Помоћ у кући")),
            (Some("2.1"), None, Some("Лични пратилац")),
        ]
    );
}

#[test]
fn bullets_typed_as_text_pair_too() {
    let (b, codes) = budgets(
        "Акциони план за 2020 годину\n\n\
         2. Подршка младима\t<p>- Радионице</p><p>- Летњи рад</p>\t\
         <p>150.000 динара</p><p>50.000 динара</p>\n",
    );
    let labels: Vec<_> = b.iter().map(|x| x.label.as_deref()).collect();
    assert_eq!(labels, vec![Some("Радионице"), Some("Летњи рад")]);
    assert!(b.iter().all(|x| x.parent.as_deref() == Some("2")));
    assert!(!codes.iter().any(|c| c == "budget_list_mismatch"));
}

#[test]
fn listed_activities_pair_with_amounts() {
    let (b, codes) = budgets(
        "Акциони план за 2020 годину\n\n\
         1. Подршка старима\t<ul><li>Прва активност</li><li>Друга активност</li></ul>\t\
         <p>БУЏЕТ</p> <p>100.000,00 динара 200.000,00 динара 300.000,00 динара</p>\n",
    );
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].label.as_deref(), Some("Прва активност"));
    assert_eq!(b[1].label.as_deref(), Some("Друга активност"));
    assert_eq!(b[2].label, None);
    assert!(
        b.iter()
            .all(|x| x.parent.as_deref() == Some("1") && x.scale == 1)
    );
    assert_eq!(b[2].value, Some(300_000.0));
    assert!(
        codes.iter().any(|c| c == "budget_list_mismatch"),
        "{codes:?}"
    );
}

// Tables given cell by cell with their grid columns, as Word writes them.
mod grid;
