//! The structure pass on small hand-made plans (TXT, tab-separated tables)
//! and on the seeds in both forms: every DOCX rendition of a seed gives the
//! same objectives, activities and indicators as its TXT.

mod support;

use planrec::extract::record::TableRole;
use planrec::extract::{PlanRecord, extract};
use planrec::read::{ReadOptions, read_bytes, read_path};
use std::path::{Path, PathBuf};

/// Normalization's tables of the embedded mapping files, built once for
/// this test binary.
fn norm() -> &'static planrec::normalize::Norm {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded).norm()
}

fn rec(txt: &str) -> PlanRecord {
    let d = read_bytes(
        Path::new("case.txt"),
        txt.as_bytes(),
        &ReadOptions::default(),
    )
    .expect("text reads");
    extract(&d, vocab())
}

fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn diag(r: &PlanRecord, code: &str) -> usize {
    r.diagnostics.iter().filter(|d| d.code == code).count()
}

const MATRIX: &str = "Uvod u plan.\n\n\
PRIORITET I\tCILJ\tAKTIVNOST\tUPRAVLJAČ KA INSTITUCIJA\tPOMOĆNA INSTITUCIJA\tBUDŽET\tVREMENSKI PLAN\tIMPLEMENTE R\n\
Podrška porodicama\tCilj 1.1: Usluge za decu\tAkt 1.1.1 Pružanje usluga deci\tCSR\tOpština, NVO\t1.000 €\t2024 - 2025\tUSS\n\
\t\tAkt 1.1.2 Savetovanje roditelja\tCSR\tOpština\t\t2024\tUSS\n\
Cilj 1.2: Rad sa\tAkt 1.2.1 Obuka osoblja\tCSR\tMinistarstvo,\t\t2025\tUSS\t\n\
\n\
starima i porodicama\tAkt 1.2.2 Nova obuka\tCSR\tNVO\t\t2026\tUSS\t\n\
\t\t\t\tDonatori\t\t\t\n\
\t\tPokazatelji\tAktuelni podaci 2023\tCiljani Rezultati -2024\tAktuelni Rezultati -2024\n\
\tBroj dece\t10\t12\t11\n\
Broj roditelja\t5\t6\t\n\
\tCilj 1.3: Kampanje\tAkt 1.1.1 Kampanja\tCSR\tOpština\t\t\tUSS\n";

#[test]
fn matrix_rows_rebuilt() {
    let r = rec(MATRIX);
    let obj: Vec<(Option<&str>, Option<&str>, String)> = r
        .objectives
        .iter()
        .map(|o| (o.code.as_deref(), o.parent.as_deref(), ws(&o.text.original)))
        .collect();
    assert_eq!(
        obj,
        vec![
            (Some("I"), None, "Podrška porodicama".to_string()),
            (Some("1.1"), Some("I"), "Usluge za decu".to_string()),
            // Broken by a page break, joined.
            (
                Some("1.2"),
                Some("I"),
                "Rad sa starima i porodicama".to_string()
            ),
            (Some("1.3"), Some("I"), "Kampanje".to_string()),
        ]
    );
    let acts: Vec<(Option<&str>, Option<&str>, &str)> = r
        .activities
        .iter()
        .map(|a| {
            (
                a.code.as_deref(),
                a.parent.as_deref(),
                a.text.original.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (Some("1.1.1"), Some("1.1"), "Pružanje usluga deci"),
            (Some("1.1.2"), Some("1.1"), "Savetovanje roditelja"),
            (Some("1.2.1"), Some("1.2"), "Obuka osoblja"),
            (Some("1.2.2"), Some("1.2"), "Nova obuka"),
            (Some("1.1.1"), Some("1.3"), "Kampanja"),
        ]
    );
    let a = &r.activities[0];
    // Broken header words still name their columns.
    assert_eq!(a.fields["lead"].raw, "CSR");
    assert_eq!(a.fields["implementer"].raw, "USS");
    assert_eq!(a.fields["support"].institutions, vec!["Opština", "NVO"]);
    let p = a.fields["timeline"].period.expect("period");
    assert_eq!((p.from, p.to), (Some(2024), Some(2025)));
    let m = a.fields["budget"].money.as_ref().expect("money");
    assert_eq!(
        (m.value, m.currency.as_deref()),
        (Some(1000.0), Some("EUR"))
    );
    // The row that lost its leading empty cells is realigned.
    assert_eq!(r.activities[2].fields["lead"].raw, "CSR");
    assert_eq!(r.activities[2].fields["implementer"].raw, "USS");
    // A row without an activity continues the one above.
    assert_eq!(ws(&r.activities[3].fields["support"].raw), "NVO Donatori");
    // The duplicated code is kept and reported.
    assert_eq!(diag(&r, "duplicate_activity_code"), 1);
    // Indicators sit under the enclosing goal, values by header.
    assert_eq!(r.indicators.len(), 2);
    let i = &r.indicators[1];
    assert_eq!(
        (i.parent.as_deref(), i.name.original.as_str()),
        (Some("1.2"), "Broj roditelja")
    );
    let vals: Vec<(Option<i32>, String, Option<f64>)> = i
        .values
        .iter()
        .map(|v| (v.year, format!("{:?}", v.kind), v.value))
        .collect();
    assert_eq!(
        vals,
        vec![
            (Some(2023), "Baseline".into(), Some(5.0)),
            (Some(2024), "Target".into(), Some(6.0))
        ]
    );
    // Header cells and used cells count as placed.
    let t = r
        .tables
        .iter()
        .find(|t| t.role == TableRole::Matrix)
        .expect("matrix table");
    assert!(t.rows.len() > 5);
    assert!(r.coverage.cells_placed * 10 >= r.coverage.cells_in * 9);
}

#[test]
fn unknown_header_reported_and_kept() {
    let r = rec(
        "CILJ\tAKTIVNOST\tUPRAVLJAČKA INSTITUCIJA\tNAPOMENA KOMISIJE\n\
Cilj 1.1: Usluge\tAkt 1.1.1 Rad\tCSR\tprovereno\n\
\tUKUPNO:\t\t\n",
    );
    assert_eq!(diag(&r, "unknown_header"), 1);
    assert_eq!(r.activities.len(), 1);
    let a = &r.activities[0];
    let kept: Vec<&str> = a
        .fields
        .iter()
        .filter(|(k, _)| k.starts_with("unknown:"))
        .map(|(_, f)| f.raw.as_str())
        .collect();
    assert_eq!(kept, vec!["provereno"]);
}

/// Two columns the lexicon reads as money ("Buxheti (€)", and "Financimi",
/// which it takes for "Финансије"): the one whose cells are amounts is the
/// budget, the one of names the finance source; with a source column
/// already headed so, the other is kept as an unknown column.
#[test]
fn two_budget_headers_settled_by_their_cells() {
    let plan = |source: &str| {
        format!(
            "Masa 1.1: Kujdesi në shtëpi\n\n\
Nr.\tAktiviteti\tBartësi\tBuxheti (€)\tFinancimi{source}\n\
1.1.1\tVlerësimi i nevojave të të moshuarve në zonat rurale\tQPS\t4,500.00\tBuxheti komunal{}\n\
1.1.2\tAngazhimi i tetë kujdestarëve shtëpiakë në fshatra\tDSHMS\t96,000.00\tDonatorë{}\n",
            if source.is_empty() { "" } else { "\tKomuna" },
            if source.is_empty() { "" } else { "\tKomuna" },
        )
    };
    let r = rec(&plan(""));
    assert_eq!(r.activities.len(), 2);
    let f = &r.activities[0].fields;
    assert_eq!(f.get("budget").map(|x| x.raw.as_str()), Some("4,500.00"));
    assert_eq!(
        f.get("finance_source").map(|x| x.raw.as_str()),
        Some("Buxheti komunal")
    );
    let r = rec(&plan("\tBurimi i financimit"));
    let f = &r.activities[1].fields;
    assert_eq!(f.get("budget").map(|x| x.raw.as_str()), Some("96,000.00"));
    assert_eq!(
        f.get("finance_source").map(|x| x.raw.as_str()),
        Some("Komuna")
    );
    assert_eq!(
        f.get("unknown:Financimi").map(|x| x.raw.as_str()),
        Some("Donatorë")
    );
}

/// A column of measure numbers beside the activity numbers ("Р.б." and
/// "Шифра мере") gives the activities their parent, never their code.
#[test]
fn measure_code_column_beside_the_activity_code() {
    let r = rec("Циљ 1: Развијене услуге у заједници\n\n\
Мера 1.1: Проширење услуге помоћ у кући\n\n\
Р.б.\tШифра мере\tАктивност\tНосилац\n\
1.1.1\t1.1\tМапирање старијих лица без породичне подршке\tЦентар за социјални рад\n\
1.1.2\t1.1\tАнгажовање осам нових геронтодомаћица\tГрадска управа\n");
    let acts: Vec<(Option<&str>, Option<&str>)> = r
        .activities
        .iter()
        .map(|a| (a.code.as_deref(), a.parent.as_deref()))
        .collect();
    assert_eq!(
        acts,
        vec![(Some("1.1.1"), Some("1.1")), (Some("1.1.2"), Some("1.1"))]
    );
    let codes: Vec<Option<&str>> = r.objectives.iter().map(|o| o.code.as_deref()).collect();
    assert_eq!(codes, vec![Some("1"), Some("1.1")]);
}

#[test]
fn goals_in_paragraphs_linked_to_rows() {
    let r = rec("ПОСЕБАН ЦИЉ 1: Ојачани капацитети\n\n\
Мера 9.9: Мера другог плана без редова\n\n\
ПОСЕБАН ЦИЉ 2: Нове услуге\n\n\
МЕРА 2.1: Унапређење услуга\n\n\
Назив активности\tОрганизациона јединица која спроводи активност\tПартнери у спровођењу активности\tРок за завршетак активности\n\
2.1.1 Унапређење услуге ЛПД\tОпштинска управа\tЦентар за социјални рад\t1. квартал 2027\n\
\t\tУдружење\t\n");
    let obj: Vec<(Option<&str>, Option<&str>)> = r
        .objectives
        .iter()
        .map(|o| (o.code.as_deref(), o.parent.as_deref()))
        .collect();
    // Goal 1 has no rows and no children with rows; measure 9.9 neither.
    assert_eq!(obj, vec![(Some("2"), None), (Some("2.1"), Some("2"))]);
    assert_eq!(r.objectives[1].parent_id.as_deref(), Some("o1"));
    let a = &r.activities[0];
    assert_eq!(
        (a.code.as_deref(), a.parent.as_deref()),
        (Some("2.1.1"), Some("2.1"))
    );
    assert_eq!(a.text.original, "Унапређење услуге ЛПД");
    assert_eq!(
        ws(&a.fields["partners"].raw),
        "Центар за социјални рад Удружење"
    );
    assert_eq!(a.fields["deadline"].period.and_then(|p| p.to), Some(2027));
    assert!(r.paragraphs.iter().filter(|p| p.placed).count() >= 2);
}

#[test]
fn several_indicator_names_in_one_cell() {
    // A cell listing several names (one per line) with the values in the
    // rows below, ending with the next goal's label.
    let d = planrec::model::Document {
        source: planrec::model::Source {
            path: "case".into(),
            format: planrec::model::Format::Docx,
            encoding: "UTF-8".into(),
            encoding_confidence: 1.0,
            sha256: String::new(),
            bytes: 0,
        },
        blocks: vec![planrec::model::Block::Table(table(&[
            &[
                "CILJ",
                "AKTIVNOST",
                "UPRAVLJAČKA INSTITUCIJA",
                "IMPLEMENTER",
            ],
            &["Cilj 4.1: Mladi", "Akt 4.1.1 Podrška", "CSR", "USS"],
            &[
                "Pokazatelji",
                "Aktuelni podaci 2023",
                "Ciljani Rezultati -2024",
                "",
            ],
            &[
                "Broj mladih A\nBroj mladih B\nBroj mladih C\nCilj 4.2: Kampanje",
                "1",
                "2",
                "",
            ],
            &["", "3", "4", ""],
            &["", "5", "6", ""],
            &["", "Akt 4.2.1 Kampanja", "CSR", "USS"],
        ]))],
        headers: vec![],
        footers: vec![],
        notes: vec![],
        diagnostics: vec![],
        counts: Default::default(),
    };
    let r = extract(&d, vocab());
    type Row<'a> = (&'a str, Option<&'a str>, Vec<Option<f64>>);
    let names: Vec<Row> = r
        .indicators
        .iter()
        .map(|i| {
            (
                i.name.original.as_str(),
                i.parent.as_deref(),
                i.values.iter().map(|v| v.value).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("Broj mladih A", Some("4.1"), vec![Some(1.0), Some(2.0)]),
            ("Broj mladih B", Some("4.1"), vec![Some(3.0), Some(4.0)]),
            ("Broj mladih C", Some("4.1"), vec![Some(5.0), Some(6.0)]),
        ]
    );
    let last = r.activities.last().expect("activity");
    assert_eq!(
        (last.code.as_deref(), last.parent.as_deref()),
        (Some("4.2.1"), Some("4.2"))
    );
    // DOCX provenance is the table/row/cell of the cell.
    assert_eq!(r.indicators[0].provenance.row, Some(3));
}

fn doc(t: planrec::model::Table) -> planrec::model::Document {
    doc_blocks(vec![planrec::model::Block::Table(t)])
}

fn doc_blocks(blocks: Vec<planrec::model::Block>) -> planrec::model::Document {
    planrec::model::Document {
        source: planrec::model::Source {
            path: "case".into(),
            format: planrec::model::Format::Docx,
            encoding: "UTF-8".into(),
            encoding_confidence: 1.0,
            sha256: String::new(),
            bytes: 0,
        },
        blocks,
        headers: vec![],
        footers: vec![],
        notes: vec![],
        diagnostics: vec![],
        counts: Default::default(),
    }
}

#[test]
fn matrix_split_into_two_tables_and_nested_indicators() {
    use planrec::model::{Block, Paragraph};
    let header: &[&str] = &[
        "CILJ",
        "AKTIVNOST",
        "UPRAVLJAČKA INSTITUCIJA",
        "IMPLEMENTER",
    ];
    let mut first = table(&[
        header,
        &["Cilj 1.1: Usluge", "Akt 1.1.1 Rad", "CSR", "USS"],
        &["", "", "", ""],
    ]);
    // An indicator table nested in the last row, read where it sits.
    let inner = table(&[
        &[
            "Pokazatelji",
            "Aktuelni podaci 2023",
            "Ciljani Rezultati -2024",
        ],
        &["Broj dece", "3", "4"],
    ]);
    first.rows[2].cells[1].blocks.push(Block::Table(inner));
    let second = table(&[
        &["Cilj 1.2: Podrška", "Akt 1.2.1 Obuka", "CSR", "USS"],
        &["", "Akt 1.2.2 Kampanja", "NVO", "USS"],
    ]);
    let d = doc_blocks(vec![
        Block::Table(first),
        Block::Paragraph(Paragraph {
            text: "Strana 2".into(),
            ..Paragraph::default()
        }),
        Block::Table(second),
    ]);
    let r = extract(&d, vocab());
    let acts: Vec<(Option<&str>, Option<&str>, &str)> = r
        .activities
        .iter()
        .map(|a| {
            (
                a.code.as_deref(),
                a.parent.as_deref(),
                a.fields["lead"].raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (Some("1.1.1"), Some("1.1"), "CSR"),
            (Some("1.2.1"), Some("1.2"), "CSR"),
            (Some("1.2.2"), Some("1.2"), "NVO"),
        ]
    );
    assert_eq!(r.indicators.len(), 1);
    assert_eq!(r.indicators[0].parent.as_deref(), Some("1.1"));
}

#[test]
fn indicator_years_on_a_second_header_line() {
    let r = rec("МЕРА 1.1: Запошљавање\n\n\
Показатељи\tБазна вредност\tЦиљана вредност\tЦиљана вредност\n\
\t2025\t2026\t2027\n\
Број радника\t4\t5\tНије мерено\n");
    let i = &r.indicators[0];
    let v: Vec<(Option<i32>, String, Option<f64>)> = i
        .values
        .iter()
        .map(|v| (v.year, format!("{:?}", v.kind), v.value))
        .collect();
    assert_eq!(
        v,
        vec![
            (Some(2025), "Baseline".into(), Some(4.0)),
            (Some(2026), "Target".into(), Some(5.0)),
            (Some(2027), "Target".into(), None),
        ]
    );
    assert_eq!(i.values[2].raw, "Није мерено");
    assert_eq!(i.parent.as_deref(), Some("1.1"));
}

#[test]
fn bullet_activities_in_a_matrix_cell() {
    use planrec::model::ListItem;
    let mut t = table(&[
        &["CILJ", "AKTIVNOST", "BUDŽET", "IMPLEMENTER"],
        &[
            "1.2 Podrška porodicama",
            "Obuka\nKampanja\nSavetovanje",
            "100 €\n200 €\n300 €",
            "CSR",
        ],
        &["1.3 Stanovanje", "Popis\nAdaptacija", "500 €", "Opština"],
    ]);
    // The activity cells are bullet lists.
    for r in 1..3 {
        for p in &mut t.rows[r].cells[1].paragraphs {
            p.list = Some(ListItem {
                level: 0,
                marker: Some("•".into()),
                ordered: false,
            });
        }
    }
    let r = extract(&doc(t), vocab());
    let acts: Vec<(Option<&str>, &str, &str, &str)> = r
        .activities
        .iter()
        .map(|a| {
            (
                a.parent.as_deref(),
                a.text.original.as_str(),
                a.fields["budget"].raw.as_str(),
                a.fields["implementer"].raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (Some("1.2"), "Obuka", "100 €", "CSR"),
            (Some("1.2"), "Kampanja", "200 €", "CSR"),
            (Some("1.2"), "Savetovanje", "300 €", "CSR"),
            // One amount for two activities: kept whole on both.
            (Some("1.3"), "Popis", "500 €", "Opština"),
            (Some("1.3"), "Adaptacija", "500 €", "Opština"),
        ]
    );
    // Goals numbered without a label.
    let codes: Vec<Option<&str>> = r.objectives.iter().map(|o| o.code.as_deref()).collect();
    assert_eq!(codes, vec![Some("1.2"), Some("1.3")]);
    assert_eq!(r.objectives[0].text.original, "Podrška porodicama");
}

#[test]
fn unknown_indicator_column_reported() {
    let r = rec("Cilj 2.1: Kapaciteti\n\n\
Pokazatelji\tNapomena komisije\tAktuelni podaci 2023\tCiljani Rezultati -2024\n\
Broj obuka\tproveriti\t6\t10\n");
    assert_eq!(diag(&r, "unknown_header"), 1);
    let i = &r.indicators[0];
    assert_eq!(i.parent.as_deref(), Some("2.1"));
    let raws: Vec<&str> = i.values.iter().map(|v| v.raw.as_str()).collect();
    assert_eq!(raws, vec!["6", "10"]);
}

#[test]
fn word_merges_around_indicator_sub_tables() {
    // As Word writes a matrix: the priority and goal cells merged down
    // over their activity and indicator rows, the indicator sub-table in
    // the columns to the right.
    let mut t = table(&[
        &[
            "PRIORITET I",
            "CILJ",
            "AKTIVNOST",
            "UPRAVLJAČKA INSTITUCIJA",
            "IMPLEMENTER",
        ],
        &[
            "Podrška porodicama",
            "Cilj 1.1: Usluge",
            "Akt 1.1.1 Rad",
            "CSR",
            "USS",
        ],
        &[
            "Pokazatelji",
            "Aktuelni podaci 2023",
            "Ciljani Rezultati -2024",
        ],
        &["Broj dece", "3", "4"],
        &["Cilj 1.2: Podrška", "Akt 1.2.1 Obuka", "CSR", "USS"],
    ]);
    t.rows[1].cells[0].row_span = 4;
    t.rows[1].cells[1].row_span = 2;
    for r in 2..4 {
        for (i, c) in t.rows[r].cells.iter_mut().enumerate() {
            c.col = 2 + i;
        }
    }
    for (i, c) in t.rows[4].cells.iter_mut().enumerate() {
        c.col = 1 + i;
    }
    let r = extract(&doc(t), vocab());
    let obj: Vec<(Option<&str>, Option<&str>)> = r
        .objectives
        .iter()
        .map(|o| (o.code.as_deref(), o.parent.as_deref()))
        .collect();
    assert_eq!(
        obj,
        vec![
            (Some("I"), None),
            (Some("1.1"), Some("I")),
            (Some("1.2"), Some("I"))
        ]
    );
    assert_eq!(r.activities.len(), 2);
    assert_eq!(r.activities[1].parent.as_deref(), Some("1.2"));
    assert_eq!(r.indicators.len(), 1);
    let i = &r.indicators[0];
    assert_eq!(
        (i.parent.as_deref(), i.name.original.as_str()),
        (Some("1.1"), "Broj dece")
    );
    assert_eq!(i.values.len(), 2);
}

#[test]
fn merged_cells_inherit() {
    // Goal and lead cells merged down over two activity rows: the second
    // row has no cells of its own there.
    let mut t = table(&[
        &[
            "CILJ",
            "AKTIVNOST",
            "UPRAVLJAČKA INSTITUCIJA",
            "IMPLEMENTER",
        ],
        &[
            "Cilj 2.1: Kapaciteti",
            "Akt 2.1.1 Izgradnja",
            "Opština",
            "USS",
        ],
        &["Akt 2.1.2 Oprema", "CSR"],
    ]);
    t.rows[1].cells[0].row_span = 2;
    t.rows[1].cells[2].row_span = 2;
    t.rows[2].cells[0].col = 1;
    t.rows[2].cells[1].col = 3;
    let r = extract(&doc(t), vocab());
    let acts: Vec<(Option<&str>, Option<&str>, &str, &str)> = r
        .activities
        .iter()
        .map(|a| {
            (
                a.code.as_deref(),
                a.parent.as_deref(),
                a.fields["lead"].raw.as_str(),
                a.fields["implementer"].raw.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (Some("2.1.1"), Some("2.1"), "Opština", "USS"),
            (Some("2.1.2"), Some("2.1"), "Opština", "CSR"),
        ]
    );
    assert_eq!(r.objectives.len(), 1);
}

fn table(rows: &[&[&str]]) -> planrec::model::Table {
    use planrec::model::{Cell, Paragraph, Provenance, Row, Table};
    Table {
        rows: rows
            .iter()
            .enumerate()
            .map(|(ri, r)| Row {
                cells: r
                    .iter()
                    .enumerate()
                    .map(|(ci, t)| {
                        let prov = Provenance {
                            table: Some(0),
                            row: Some(ri),
                            cell: Some(ci),
                            ..Provenance::default()
                        };
                        let paras = t
                            .split('\n')
                            .map(|l| Paragraph {
                                text: l.to_string(),
                                provenance: prov.clone(),
                                ..Paragraph::default()
                            })
                            .collect();
                        Cell::new(ci, paras, prov)
                    })
                    .collect(),
                header: false,
                provenance: Provenance::default(),
            })
            .collect(),
        provenance: Provenance::default(),
    }
}

#[test]
fn goal_lists_and_bullet_tables() {
    let r = rec("Доприноси остварењу циљева\tУнапређење услуга\t\t\n\
\tЈачање система\t\t\n\
Активности\tОчекивани резултати\tРок\tФинансије\n\
Пружање услуга ПУК\tДоступне услуге\tЈануар 2019\t4.000.000,00 динара\n\
\n\
Увод у други план.\n\n\
<p>1. Подршка запошљавању</p>\t<ul> ✓ Едукација младих ✓ Умрежавање актера </ul>\t<p>БУЏЕТ</p> <p>100.000,00 динара 200.000,00 динара</p>\n\
<p>2. Побољшање живота</p>\t<ul> ✓ Подршка НВО </ul>\t<p>50.000,00 динара 60.000,00 динара</p>\n");
    let obj: Vec<(Option<&str>, &str)> = r
        .objectives
        .iter()
        .map(|o| (o.code.as_deref(), o.id.as_str()))
        .collect();
    assert_eq!(
        obj,
        vec![
            (None, "o1"),
            (None, "o2"),
            (Some("1"), "o3"),
            (Some("2"), "o4")
        ]
    );
    assert!(r.objectives.iter().all(|o| o.parent_id.is_none()));
    // The activity under two goals listed together sits under both.
    let a = &r.activities[0];
    assert_eq!(a.parent_ids, vec!["o1", "o2"]);
    assert_eq!(a.fields["result"].raw, "Доступне услуге");
    // Bullet activities under their numbered goal, amounts paired in order.
    let b: Vec<(Option<&str>, &str, &str)> = r.activities[1..]
        .iter()
        .map(|a| {
            (
                a.parent.as_deref(),
                a.text.original.as_str(),
                a.fields.get("budget").map_or("", |f| f.raw.as_str()),
            )
        })
        .collect();
    assert_eq!(b[0], (Some("1"), "Едукација младих", "100.000,00 динара"));
    assert_eq!(b[1].2, "200.000,00 динара");
    // One activity, two amounts: not paired, and said so.
    assert_eq!(b[2], (Some("2"), "Подршка НВО", ""));
    assert_eq!(diag(&r, "bullet_amounts_mismatch"), 1);
}

#[test]
fn deterministic_bytes() {
    let a = serde_json::to_string(&rec(MATRIX)).expect("json");
    let b = serde_json::to_string(&rec(MATRIX)).expect("json");
    assert_eq!(a, b);
}

/// Objectives, activities and indicators without provenance, whitespace
/// collapsed in raw cell texts (the readers keep a cell's spacing as each
/// format has it).
fn structure(r: &PlanRecord) -> String {
    let mut out = String::new();
    for o in &r.objectives {
        out += &format!(
            "O {:?} {:?} {:?} {}\n",
            o.code,
            o.kind,
            o.parent,
            ws(&o.text.original)
        );
        for (k, f) in &o.fields {
            out += &format!("  {k}={}\n", ws(&f.raw));
        }
    }
    for a in &r.activities {
        out += &format!(
            "A {:?} {:?} {:?} {}\n",
            a.code,
            a.parent,
            a.parent_ids,
            ws(&a.text.original)
        );
        for (k, f) in &a.fields {
            out += &format!("  {k}={}\n", ws(&f.raw));
        }
    }
    for i in &r.indicators {
        out += &format!("I {:?} {} {:?}\n", i.parent, ws(&i.name.original), i.unit);
        for v in &i.values {
            out += &format!("  {:?} {:?} {} {:?}\n", v.year, v.kind, ws(&v.raw), v.value);
        }
    }
    out
}

#[test]
fn docx_renditions_match_txt() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = [
        "mitrovica-south_2024-2026_sr-Latn",
        "mitrovica-south_2024-2026_sq-Latn",
        "ljubovija_2026-2028_sr-Cyrl",
        "irig_2022-2027_sr-Cyrl",
        "plandiste_2019_sr-Cyrl",
    ];
    let mut compared = 0;
    for s in seeds {
        let txt: PathBuf = root.join("corpus").join(format!("{s}.txt"));
        let Ok(d) = read_path(&txt, &ReadOptions::default()) else {
            support::shared::skip(
                "docx_renditions_match_txt",
                &format!("{} absent", txt.display()),
            );
            continue;
        };
        let want = structure(&extract(&d, vocab()));
        // Rows of the matrix: activities, or measures with their columns.
        assert!(
            want.contains("\nA ") || want.contains("\n  "),
            "{s}: no matrix rows"
        );
        for w in ["libreoffice", "pandoc"] {
            let p = root
                .join("fixtures/seeds-docx")
                .join(format!("{s}.{w}.docx"));
            let Ok(d) = read_path(&p, &ReadOptions::default()) else {
                support::shared::skip(
                    "docx_renditions_match_txt",
                    &format!("{} absent", p.display()),
                );
                continue;
            };
            let got = structure(&extract(&d, vocab()));
            assert_eq!(got, want, "{s} {w} differs from the TXT");
            compared += 1;
        }
    }
    eprintln!("DOCX renditions compared: {compared}");
}

#[test]
fn translations_share_structure() {
    // The Albanian original and the Serbian translation of one plan give
    // the same codes, kinds, parents and counts.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let shape = |name: &str| -> Option<String> {
        let d = read_path(&root.join(name), &ReadOptions::default()).ok()?;
        let r = extract(&d, vocab());
        let mut s = String::new();
        for o in &r.objectives {
            s += &format!("O {:?} {:?} {:?}\n", o.code, o.kind, o.parent);
        }
        for a in &r.activities {
            s += &format!("A {:?} {:?} {}\n", a.code, a.parent, a.fields.len());
        }
        for i in &r.indicators {
            s += &format!(
                "I {:?} {:?}\n",
                i.parent,
                i.values
                    .iter()
                    .map(|v| (v.year, v.kind, v.value))
                    .collect::<Vec<_>>()
            );
        }
        Some(s)
    };
    let (Some(sr), Some(sq)) = (
        shape("mitrovica-south_2024-2026_sr-Latn.txt"),
        shape("mitrovica-south_2024-2026_sq-Latn.txt"),
    ) else {
        support::shared::skip("translations_share_structure", "Mitrovica seeds absent");
        return;
    };
    assert_eq!(sq, sr);
}

#[test]
fn other_script_same_structure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let shape = |r: &PlanRecord| -> String {
        let mut s = String::new();
        for o in &r.objectives {
            s += &format!("O {:?} {:?} {:?}\n", o.code, o.kind, o.parent);
        }
        for a in &r.activities {
            s += &format!(
                "A {:?} {:?} {:?}\n",
                a.code,
                a.parent,
                a.fields.keys().collect::<Vec<_>>()
            );
        }
        for i in &r.indicators {
            s += &format!(
                "I {:?} {:?}\n",
                i.parent,
                i.values
                    .iter()
                    .map(|v| (v.year, v.kind, v.value))
                    .collect::<Vec<_>>()
            );
        }
        s
    };
    type Convert = fn(&str) -> String;
    let cases: [(&str, Convert); 2] = [
        ("mitrovica-south_2024-2026_sr-Latn.txt", |t| {
            norm().to_cyrillic(t)
        }),
        ("ljubovija_2026-2028_sr-Cyrl.txt", |t| norm().to_latin(t)),
    ];
    for (name, convert) in cases {
        let Ok(text) = std::fs::read_to_string(root.join(name)) else {
            support::shared::skip("other_script_same_structure", &format!("{name} absent"));
            continue;
        };
        let a = rec(&text);
        let b = rec(&convert(&text));
        assert!(!a.activities.is_empty());
        assert_eq!(shape(&b), shape(&a), "{name} in the other script");
    }
}

/// Rows numbered in a "measure number" column: a row with activity rows
/// numbered below it is a measure (its columns become the measure's
/// fields); a row that carries the action fields and has no activities of
/// its own is an activity whatever the column calls it (the leaf-row rule),
/// coded with its measure number, under the goal above.
#[test]
fn measure_number_column_leaf_rows_are_activities() {
    let r = rec("Posebni cilj 1: Razvijati usluge.\n\n\
Broj mere\tMera/aktivnost\tIndikatori\tVremenski period\tNosioci aktivnosti\n\
1.1.\tObezbediti uslugu Lični pratilac.\tBroj korisnika\t2022-2027\tOpština, CSR\n\
1.2.\tRazvoj usluge SOS telefon.\tBroj poziva\t2023\tCSR\n\
1.2.1\tNabavka opreme za SOS telefon\tBroj uređaja\t2023\tOpština\n\
1.3.\tUsluge podrške.\t\t2024\tCSR\n");
    let obj: Vec<(String, Option<&str>, Option<&str>)> = r
        .objectives
        .iter()
        .map(|o| {
            (
                format!("{:?}", o.kind),
                o.code.as_deref(),
                o.parent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        obj,
        vec![
            ("SpecificGoal".into(), Some("1"), None),
            ("Measure".into(), Some("1.2"), Some("1")),
        ]
    );
    let m = &r.objectives[1];
    assert_eq!(ws(&m.text.original), "Razvoj usluge SOS telefon.");
    assert_eq!(m.fields["indicator"].raw, "Broj poziva");
    let acts: Vec<(Option<&str>, Option<&str>, &str)> = r
        .activities
        .iter()
        .map(|a| {
            (
                a.code.as_deref(),
                a.parent.as_deref(),
                a.text.original.as_str(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (Some("1.1"), Some("1"), "Obezbediti uslugu Lični pratilac."),
            (Some("1.2.1"), Some("1.2"), "Nabavka opreme za SOS telefon"),
            (Some("1.3"), Some("1"), "Usluge podrške."),
        ]
    );
    let a = &r.activities[0];
    assert_eq!(a.fields["indicator"].raw, "Broj korisnika");
    assert_eq!(a.fields["implementer"].raw, "Opština, CSR");
    let period = a.fields["timeline"].period.expect("period");
    assert_eq!((period.from, period.to), (Some(2022), Some(2027)));
}

/// What a goal or measure states about itself ("Tip mere: …", the
/// responsible unit, its funding lines) becomes its fields; the amounts
/// stay with the budget pass and no activity is made of them.
#[test]
fn measure_and_goal_fields_captured() {
    let r = rec("POSEBAN CILJ 1: Ojačani kapaciteti.\n\
Organizaciona jedinica odgovorna za sprovođenje (koordinisanje sprovođenja) posebnog cilja: Odeljenje za društvene delatnosti\n\n\
MERA 1.1: Zapošljavanje stručnih radnika\t\t\t\t\n\
Organizaciona jedinica odgovorna za sprovođenje (koordinisanje sprovođenja) mere\tIzvor finansiranja\tVeza sa programskim budžetom (šifra PR/PA/PJ)\tUkupno procenjena finansijska sredstva u hiljadama RSD\t\t\n\
\t\t\t2026.\t2027.\t2028.\n\
Opštinska uprava\tOpštinski budžet\tProgram 11 PA 0005\t50\t650\t2.450\n\
\tRepublički budžet\t\t50\t50\t50\n\
Period sprovođenja mere: od 2026 - do 2028\t\tTip mere: institucionalna\t\t\t\n\
Propisi koje je potrebno izmeniti/usvojiti za sprovođenje mere (ako je potrebno): Pravilnik o sistematizaciji\n");
    assert!(r.activities.is_empty(), "{:?}", r.activities);
    let goal = &r.objectives[0];
    assert_eq!(goal.code.as_deref(), Some("1"));
    assert_eq!(goal.fields["lead"].raw, "Odeljenje za društvene delatnosti");
    let m = &r.objectives[1];
    assert_eq!(
        (m.code.as_deref(), m.parent.as_deref()),
        (Some("1.1"), Some("1"))
    );
    let raw = |k: &str| m.fields.get(k).map(|f| f.raw.as_str());
    assert_eq!(raw("lead"), Some("Opštinska uprava"));
    assert_eq!(
        raw("finance_source"),
        Some("Opštinski budžet\nRepublički budžet")
    );
    assert_eq!(raw("budget_link"), Some("Program 11 PA 0005"));
    assert_eq!(raw("measure_type"), Some("institucionalna"));
    assert_eq!(raw("regulations"), Some("Pravilnik o sistematizaciji"));
    let p = m.fields["timeline"].period.expect("period");
    assert_eq!((p.from, p.to), (Some(2026), Some(2028)));
}

/// Value columns headed by years alone: the first year is the baseline,
/// later ones targets; a column headed as actual stays actual, and a
/// column headed as the baseline makes every bare year a target.
#[test]
fn indicator_headers_with_years_only() {
    let r = rec("Cilj 1.1: Usluge za decu\n\n\
Pokazatelji\tJedinica mere\t2024\t2025. godina\t2026\tOstvareno 2025\n\
Broj dece u uslugama\tbroj\t10\t12\t14\t11\n\n\
Cilj 1.2: Usluge za stare\n\n\
Indikatori\tPolazna vrednost\t2025\t2026\n\
Broj korisnika\t5\t6\t7\n");
    let kinds = |i: usize| -> Vec<(Option<i32>, String, Option<f64>)> {
        r.indicators[i]
            .values
            .iter()
            .map(|v| (v.year, format!("{:?}", v.kind), v.value))
            .collect()
    };
    assert_eq!(r.indicators.len(), 2, "{:?}", r.indicators);
    assert_eq!(r.indicators[0].parent.as_deref(), Some("1.1"));
    assert_eq!(r.indicators[0].unit.as_deref(), Some("broj"));
    assert_eq!(
        kinds(0),
        vec![
            (Some(2024), "Baseline".into(), Some(10.0)),
            (Some(2025), "Target".into(), Some(12.0)),
            (Some(2026), "Target".into(), Some(14.0)),
            (Some(2025), "Actual".into(), Some(11.0)),
        ]
    );
    assert_eq!(r.indicators[1].parent.as_deref(), Some("1.2"));
    assert_eq!(
        kinds(1),
        vec![
            (None, "Baseline".into(), Some(5.0)),
            (Some(2025), "Target".into(), Some(6.0)),
            (Some(2026), "Target".into(), Some(7.0)),
        ]
    );
}

/// A row with one empty cell too many: the empty cell dropped is the one
/// that leaves the amount under the budget and the year under the
/// timeline, not simply the first empty one.
#[test]
fn row_fitted_by_content() {
    let r = rec("Cilj 1.1: Usluge za decu\n\n\
AKTIVNOST\tUPRAVLJAČKA INSTITUCIJA\tPOMOĆNA INSTITUCIJA\tBUDŽET\tVREMENSKI PLAN\n\
Akt 1.1.1 Obuka osoblja\tCSR\t\t1.000 €\t\t2024\n\
Akt 1.1.2 Savetovanje\tCSR\tOpština\t500 €\t2025\n");
    let f = |i: usize, k: &str| r.activities[i].fields[k].raw.clone();
    assert_eq!(r.activities.len(), 2);
    assert_eq!(f(0, "support"), "");
    assert_eq!(f(0, "budget"), "1.000 €");
    assert_eq!(f(0, "timeline"), "2024");
    assert_eq!(f(1, "support"), "Opština");
    assert_eq!(f(1, "timeline"), "2025");
}

/// A template the lexicon does not know word for word: an abbreviated
/// number column told by its codes, inflected and ijekavian headers, an
/// unknown column kept as a named field, goals stated in paragraphs above
/// one table for two goals (parents from the numbers), and indicators whose
/// owner only the table's caption names.
#[test]
fn unseen_template_by_roles_codes_and_captions() {
    let r = rec("Strateški pravac 1: Usluge u zajednici\n\n\
Posebni cilj 1.1: Pomoć u kući\n\n\
Posebni cilj 1.2: Dnevni boravak\n\n\
Tabela 4: Aktivnosti za strateški pravac 1\n\n\
Br.\tAktivnost\tIzvršilac\tVrijeme realizacije\tProcijenjeni troškovi (000 RSD)\tNapomena\n\
1.1.1.\tAnaliza potreba korisnika\tGradska uprava\t2025.\t350\t—\n\
1.2.1.\tAdaptacija prostora za boravak\tCentar za socijalni rad\t2025–2026.\t6.200\tprojekat gotov\n\
\n\
Indikatori za posebni cilj 1.1\n\n\
Indikator\tStanje 2024\tPlan 2026\n\
Broj korisnika\t180\t220\n");
    let obj: Vec<(Option<&str>, Option<&str>)> = r
        .objectives
        .iter()
        .map(|o| (o.code.as_deref(), o.parent.as_deref()))
        .collect();
    assert_eq!(
        obj,
        vec![
            (Some("1"), None),
            (Some("1.1"), Some("1")),
            (Some("1.2"), Some("1"))
        ]
    );
    let acts: Vec<(Option<&str>, Option<&str>)> = r
        .activities
        .iter()
        .map(|a| (a.code.as_deref(), a.parent.as_deref()))
        .collect();
    assert_eq!(
        acts,
        vec![(Some("1.1.1"), Some("1.1")), (Some("1.2.1"), Some("1.2"))]
    );
    let a = &r.activities[1];
    assert_eq!(a.fields["implementer"].raw, "Centar za socijalni rad");
    assert_eq!(a.fields["timeline"].raw, "2025–2026.");
    assert_eq!(a.fields["budget"].raw, "6.200");
    assert_eq!(a.fields["unknown:Napomena"].raw, "projekat gotov");
    assert!(diag(&r, "unknown_header") >= 1);
    let i = &r.indicators[0];
    assert_eq!(i.parent.as_deref(), Some("1.1"));
    let kinds: Vec<(Option<i32>, String)> = i
        .values
        .iter()
        .map(|v| (v.year, format!("{:?}", v.kind)))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Some(2024), "Baseline".into()),
            (Some(2026), "Target".into())
        ]
    );
}

/// Activities written as label–value paragraphs give the same records as
/// a matrix row, each field with the paragraph it came from.
#[test]
fn label_value_blocks_are_activities() {
    let r = rec("Mjera 2.1: Podrška porodici\n\n\
Aktivnost 2.1.1: Savjetovalište za roditelje\n\n\
Izvršilac: Centar za socijalni rad\n\n\
Rok: IV kvartal 2025.\n\n\
Budžet: 4,8 miliona dinara\n\n\
Ostali tekst plana koji nije dio bloka.\n");
    assert_eq!(
        r.objectives[0].kind,
        planrec::extract::record::ObjectiveKind::Measure
    );
    let a = &r.activities[0];
    assert_eq!(
        (a.code.as_deref(), a.parent.as_deref()),
        (Some("2.1.1"), Some("2.1"))
    );
    assert_eq!(a.fields.len(), 3);
    assert_eq!(a.fields["implementer"].raw, "Centar za socijalni rad");
    assert_eq!(a.fields["deadline"].raw, "IV kvartal 2025.");
    assert_eq!(a.fields["budget"].raw, "4,8 miliona dinara");
    assert_ne!(
        a.fields["deadline"].provenance,
        a.fields["budget"].provenance
    );
}

/// A two-row header divides a money column into per-source columns, which
/// are not the activity's budget field; a totals row is no goal and no
/// activity; a goal column's label opens the goal for the rows beside it.
#[test]
fn two_row_money_header_and_totals() {
    let r = rec(
        "Posebni cilj\tRb.\tAktivnost\tNadležna institucija\tDinamika realizacije\tIznos (din.)\t\t\tStatus\n\
\t\t\t\t\tGrad\tPokrajina\tUkupno\t\n\
Posebni cilj 1.1: Dnevni boravak\t1.1.1\tProširenje kapaciteta\tGradska uprava\t2025–2026.\t2.400.000,00\t0,00\t2.400.000,00\tu pripremi\n\
\t1.1.2\tPrevoz korisnika\tCentar za socijalni rad\t2025–2028.\t100,00\t0,00\t100,00\t\n\
Ukupno\t\t\t\t\t2.400.100,00\t0,00\t2.400.100,00\t\n",
    );
    assert_eq!(r.objectives.len(), 1);
    assert_eq!(r.activities.len(), 2);
    let a = &r.activities[0];
    assert_eq!(a.parent.as_deref(), Some("1.1"));
    assert_eq!(a.fields["lead"].raw, "Gradska uprava");
    assert!(!a.fields.contains_key("budget"), "{:?}", a.fields.keys());
    assert_eq!(a.fields["unknown:Status"].raw, "u pripremi");
}

/// No column is headed as the activity, but three others name action
/// fields: the column of sentences is the activity, and the run says so.
#[test]
fn activity_column_told_by_its_cells() {
    let r = rec("Rb.\tOpis\tNosilac\tRok\tIzvor finansiranja\n\
1.\tOrganizovanje obuke za stručne radnike centra\tCentar za socijalni rad\t2025.\tBudžet opštine\n\
2.\tNabavka vozila za terenski rad sa korisnicima\tOpštinska uprava\t2026.\tDonacija\n");
    assert_eq!(r.activities.len(), 2);
    assert_eq!(
        r.activities[0].fields["lead"].raw,
        "Centar za socijalni rad"
    );
    assert_eq!(diag(&r, "activity_column_inferred"), 1);
}

/// Two more templates no fixture was fitted to: Albanian with strategic
/// and specific objectives, 'Nr.', 'Përshkrimi i aktivitetit', 'Institucioni
/// bartës', 'Kostoja e parashikuar (€)'; Cyrillic ijekavian with 'Мјера',
/// 'Р. бр.', 'Назив активности', 'Вријеме реализације', 'Потребна средства
/// (КМ)'. Goals, activities with parents by number and fields, indicators
/// under the goal their caption names.
#[test]
fn albanian_and_ijekavian_templates() {
    let shape = |r: &PlanRecord| -> Vec<String> {
        let mut v: Vec<String> = r
            .objectives
            .iter()
            .map(|o| format!("O {:?} {:?} {:?}", o.code, o.kind, o.parent))
            .collect();
        for a in &r.activities {
            let mut f: Vec<&str> = a.fields.keys().map(String::as_str).collect();
            f.sort_unstable();
            v.push(format!("A {:?} {:?} {}", a.code, a.parent, f.join(",")));
        }
        for i in &r.indicators {
            let k: Vec<String> = i
                .values
                .iter()
                .map(|x| format!("{:?}{:?}", x.kind, x.year))
                .collect();
            v.push(format!("I {:?} {}", i.parent, k.join(",")));
        }
        v
    };
    let a = rec(
        "PLANI LOKAL I VEPRIMIT PËR MBROJTJE SOCIALE I KOMUNËS SË GJAKOVËS 2025–2027\n\
\n\
Objektivi strategjik 1: Zgjerimi i shërbimeve në komunitet\n\
\n\
Objektivi specifik 1.1: Shërbime për të moshuarit\n\
\n\
Objektivi specifik 1.2: Shërbime për fëmijët\n\
\n\
Tabela 2: Aktivitetet për objektivin strategjik 1\n\
\n\
Nr.\tPërshkrimi i aktivitetit\tInstitucioni bartës\tPartnerët\tAfati kohor\tKostoja e parashikuar (€)\tBurimi i financimit\n\
1.1.1\tHapja e qendrës ditore për të moshuarit\tDSHMS\tQPS\t2025–2026\t45,000.00\tBuxheti komunal\n\
1.2.1\tTrajnimi i familjeve kujdestare\tQPS\tOJQ\t2026\t6,500.00\tDonatorë\n\
\n\
Treguesit për objektivin specifik 1.1\n\
\n\
Treguesi\tVlera bazë 2024\tSynimi 2027\n\
Numri i përfituesve\t20\t60\n\
",
    );
    assert_eq!(
        shape(&a),
        vec![
            "O Some(\"1\") SpecificGoal None",
            "O Some(\"1.1\") SpecificGoal Some(\"1\")",
            "O Some(\"1.2\") SpecificGoal Some(\"1\")",
            "A Some(\"1.1.1\") Some(\"1.1\") budget,finance_source,lead,partners,timeline",
            "A Some(\"1.2.1\") Some(\"1.2\") budget,finance_source,lead,partners,timeline",
            "I Some(\"1.1\") BaselineSome(2024),TargetSome(2027)",
        ]
    );
    let b = rec(
        "ЛОКАЛНИ АКЦИОНИ ПЛАН СОЦИЈАЛНЕ ЗАШТИТЕ ОПШТИНЕ ТРЕБИЊЕ 2025–2028\n\
\n\
Општи циљ: Унапријеђена социјална заштита.\n\
\n\
Стратешки циљ 1: Развој услуга у заједници\n\
\n\
Мјера 1.1: Помоћ у кући\n\
\n\
Мјера 1.2: Дневни центар\n\
\n\
Табела 5. Активности за остваривање стратешког циља 1\n\
\n\
Р. бр.\tНазив активности\tНосилац\tСарадници\tВријеме реализације\tПотребна средства (КМ)\n\
1.1.1.\tАнгажовање геронтодомаћица\tЦентар за социјални рад\tМјесне заједнице\t2025–2028.\t40.000\n\
1.2.1.\tАдаптација простора\tОпштина\t—\t2026.\t15.000\n\
\n\
Индикатори за мјеру 1.2\n\
\n\
Индикатор\tПочетна вриједност (2024)\tЦиљна вриједност (2028)\n\
Број корисника дневног центра\t0\t25\n\
",
    );
    assert_eq!(
        shape(&b),
        vec![
            "O None GeneralGoal None",
            "O Some(\"1\") SpecificGoal None",
            "O Some(\"1.1\") Measure Some(\"1\")",
            "O Some(\"1.2\") Measure Some(\"1\")",
            "A Some(\"1.1.1\") Some(\"1.1\") budget,lead,partners,timeline",
            "A Some(\"1.2.1\") Some(\"1.2\") budget,lead,partners,timeline",
            "I Some(\"1.2\") BaselineSome(2024),TargetSome(2028)",
        ]
    );
}

/// A windows-1251 export loses the ✓ bullet glyph to "?": the items it
/// opened are still items, so the plan reads the same.
#[test]
fn bullets_lost_to_an_8bit_export_still_split() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let txt = std::fs::read_to_string(root.join("corpus/plandiste_2019_sr-Cyrl.txt"))
        .expect("corpus plan");
    assert!(txt.contains('✓'));
    let lost_glyph = txt.replace('✓', "?");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&lost_glyph);
    let lost = read_bytes(Path::new("plandiste.txt"), &bytes, &ReadOptions::default())
        .expect("text reads");
    let lost = extract(&lost, vocab());
    let whole = rec(&txt);
    assert_eq!(lost.source.encoding, "windows-1251");
    assert_eq!(lost.activities.len(), whole.activities.len());
    assert!(whole.activities.len() > 40);
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
