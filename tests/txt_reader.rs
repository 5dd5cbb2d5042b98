//! The TXT reader on the bundled corpus: tables, rows, cells and sample
//! texts of every seed; the same text in every supported encoding giving the
//! same model; no markup left in any text; hostile input.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1251};
use planrec::model::{Block, Cell, Document, Mark, Paragraph, Table};
use planrec::read::txt;
use std::path::{Path, PathBuf};

const SEEDS: [&str; 5] = [
    "irig_2022-2027_sr-Cyrl.txt",
    "ljubovija_2026-2028_sr-Cyrl.txt",
    "mitrovica-south_2024-2026_sq-Latn.txt",
    "mitrovica-south_2024-2026_sr-Latn.txt",
    "plandiste_2019_sr-Cyrl.txt",
];

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

fn read(name: &str) -> Document {
    let path = corpus(name);
    let bytes = std::fs::read(&path).expect("corpus file");
    txt::read(&path, &bytes)
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.tables()
}

/// The table whose provenance starts at `line`.
fn table_at(doc: &Document, line: u32) -> &Table {
    tables(doc)
        .into_iter()
        .find(|t| t.provenance.line.is_some_and(|l| l[0] == line))
        .unwrap_or_else(|| panic!("no table starts at line {line}"))
}

/// Row index and row of the table whose provenance starts at `line`.
fn row_at(t: &Table, line: u32) -> (usize, &[Cell]) {
    let i = t
        .rows
        .iter()
        .position(|r| r.provenance.line.is_some_and(|l| l[0] == line))
        .unwrap_or_else(|| panic!("no row at line {line}"));
    (i, &t.rows[i].cells)
}

fn texts(cells: &[Cell]) -> Vec<&str> {
    cells.iter().map(|c| c.text.as_str()).collect()
}

fn paragraph_at(doc: &Document, line: u32) -> &Paragraph {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Paragraph(p) if p.provenance.line == Some([line, line]) => Some(p),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no paragraph at line {line}"))
}

fn widths(t: &Table) -> Vec<usize> {
    t.rows.iter().map(|r| r.cells.len()).collect()
}

#[test]
fn plandiste_two_matrix_tables_with_list_cells() {
    let doc = read("plandiste_2019_sr-Cyrl.txt");
    assert_eq!(doc.source.encoding, "UTF-8");
    let ts = tables(&doc);
    assert_eq!(ts.len(), 2);
    // The 2019 plan: 11 rows of 5 cells; the blank line 14 does not end it.
    assert_eq!(widths(ts[0]), vec![5; 11]);
    assert_eq!(ts[0].provenance.line, Some([5, 16]));
    let (_, header) = row_at(ts[0], 8);
    assert_eq!(
        texts(header),
        vec![
            "Активности",
            "Очекивани резултати",
            "Рок",
            "Индикатори",
            "Финансије"
        ]
    );
    let (_, r) = row_at(ts[0], 15);
    assert_eq!(r[4].text, "4.000.000,00 динара");
    assert_eq!((r[2].col, r[2].text.as_str()), (2, ""));
    // A title paragraph between the tables ends the first.
    assert_eq!(
        paragraph_at(&doc, 18).text,
        "АКЦИОНИ ПЛАН за период 2020 до 2023 године"
    );
    // 2020–2023: 13 rows of 3 cells; row 10 split by a page break stays two rows.
    let t = ts[1];
    assert_eq!(widths(t), vec![3; 13]);
    let (i, r) = row_at(t, 30);
    assert_eq!(r[0].text, "10. Социјално укључивање");
    let (j, r2) = row_at(t, 32);
    assert_eq!(j, i + 1);
    assert_eq!(r2[0].text, "корисника НСП и ЈНП");
    assert_eq!(
        r2[2].text,
        "50.000,00 динара\n50.000,00 динара\n2.000.000,00 динара"
    );
    // An inline `<ul>` list: items split on their ✓ bullet, marker kept.
    let (_, r) = row_at(t, 20);
    assert_eq!(
        r[0].text,
        "1. Подршка запошљавању и доступности радних места"
    );
    let items = &r[1].paragraphs;
    assert_eq!(items.len(), 5);
    assert_eq!(
        items[0].text,
        "Подршка самоорганизовању тешко запошљивих група у областима пољопривреде, старих заната и предузетништва"
    );
    assert_eq!(
        items[4].text,
        "Успостављање активне мреже правних субјеката у Пландишту и Јужном Банату за радни ангажман лица"
    );
    for it in items {
        let l = it.list.as_ref().expect("list item");
        assert_eq!(
            (l.marker.as_deref(), l.level, l.ordered),
            (Some("✓"), 0, false)
        );
    }
    // `<p>` separates paragraphs inside a cell.
    let p: Vec<&str> = r[2].paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        p,
        vec![
            "БУЏЕТ",
            "2.000.000,00 динара 100.000,00 динара 100.000,00 динара 3.000.000,00 динара 300.000,00 динара"
        ]
    );
    // Provenance of cells and their paragraphs.
    let c = &r[1];
    assert_eq!(c.provenance.line, Some([20, 20]));
    assert_eq!(
        (c.provenance.table, c.provenance.row, c.provenance.cell),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(items[2].provenance.line, Some([20, 20]));
}

#[test]
fn irig_one_cell_per_line_table_is_rebuilt() {
    let doc = read("irig_2022-2027_sr-Cyrl.txt");
    assert_eq!(doc.counts.get("cell_per_line_tables"), Some(&1));
    let ts = tables(&doc);
    assert_eq!(ts.len(), 1);
    let t = ts[0];
    assert_eq!(t.width(), 6);
    // Goal rows span the table; every objective has a header and full rows;
    // the document ends inside measure 5.2, whose row keeps its 4 cells.
    let mut expected = vec![1, 1, 1, 6];
    expected.extend([6; 11]);
    for measures in [4, 4, 4, 2] {
        expected.extend([1, 6]);
        expected.extend(std::iter::repeat_n(6, measures));
    }
    *expected.last_mut().unwrap() = 4;
    assert_eq!(widths(t), expected);
    let goal = &t.rows[0].cells[0];
    assert_eq!((goal.col, goal.col_span), (0, 6));
    assert!(
        goal.text
            .starts_with("Општи циљ: Унапредити систем социјалне заштите")
    );
    assert_eq!(
        texts(&t.rows[3].cells),
        vec![
            "Број мере",
            "Мера/активност",
            "Индикатори",
            "Опис активности у циљу остварења/резултат",
            "Временски период",
            "Носиоци активности"
        ]
    );
    let r = &t.rows[4].cells;
    assert_eq!(r[0].text, "1.1.");
    assert_eq!(
        r[2].text,
        "Временски период доступности услуге током календарске године;\nБрој корисника услуге;\nЗадовољство корисника и чланова породице услугом која им се пружа."
    );
    assert!(r[2].paragraphs.iter().all(|p| {
        p.list
            .as_ref()
            .is_some_and(|l| l.marker.as_deref() == Some("·"))
    }));
    // A cell that starts empty and continues after blank lines.
    assert_eq!(r[4].text, "2022-2027");
    assert_eq!(r[4].provenance.line, Some([21, 24]));
    assert_eq!(r[4].paragraphs[0].provenance.line, Some([24, 24]));
    assert_eq!(
        r[5].text,
        "Општина, Центар за социјални рад, пружаоци услуга социјалне заштите."
    );
    assert_eq!(t.rows[4].provenance.line, Some([15, 27]));
    // A cell continued by a line without TAB (2.1, description).
    let r = &t.rows[17].cells;
    assert_eq!(r[0].text, "2.1.");
    assert!(r[3]
        .text
        .starts_with("Повећање броја водитеља случаја запослених у Центру за социјални рад Ириг.\nПовећање броја запослених остварено је"));
    // The exported Word bookmark is markup, not text.
    assert!(
        t.rows[21].cells[0]
            .text
            .starts_with("Посебни циљ 3: Развијати сарадњу са организацијама цивилног друштва")
    );
    assert_eq!(doc.counts.get("markup_bookmarks"), Some(&1));
    let last = &t.rows[36].cells;
    assert_eq!(last[0].text, "5.2.");
    assert_eq!(t.rows[35].cells[4].text, "2022-2027");
    // The paragraph before the table stays a paragraph.
    assert_eq!(
        paragraph_at(&doc, 1).text,
        "Акциони план Стратегије социјалне заштите општине Ириг"
    );
}

#[test]
fn mitrovica_serbian_matrix_rows_as_written() {
    let doc = read("mitrovica-south_2024-2026_sr-Latn.txt");
    let ts = tables(&doc);
    assert_eq!(ts.len(), 9);
    assert_eq!(
        ts.iter().map(|t| t.rows.len()).collect::<Vec<_>>(),
        vec![18, 5, 3, 3, 3, 41, 12, 4, 142]
    );
    // Table 5 goes on across the blank lines 234–235 of a page break.
    assert_eq!(ts[5].provenance.line, Some([212, 254]));
    let (_, r) = row_at(ts[5], 236);
    assert_eq!(texts(r), vec!["Shipol", "Ruralni", "4733", "1.55", "3054"]);
    // Comparison signs are text.
    let (_, r) = row_at(ts[4], 202);
    assert_eq!(r[5].text, ">65 godine");
    assert_eq!((r[0].col, r[0].text.as_str()), (0, ""));
    let m = ts[8];
    assert_eq!(m.provenance.line, Some([460, 614]));
    let (_, r) = row_at(m, 461);
    assert_eq!(r.len(), 9);
    assert_eq!(r[0].text, "PRIORITET I");
    assert_eq!(r[8].text, "IMPLEMENTE R");
    // A first cell split by a page break: two rows, next to each other.
    let (i, r) = row_at(m, 485);
    assert_eq!(
        r[0].text,
        "Cilj 1.3: Nastavak realizacije aktivnosti postmonitoring"
    );
    let (j, r2) = row_at(m, 487);
    assert_eq!(j, i + 1);
    assert_eq!(
        r2[0].text,
        "usluga, kako bi se osigurao kvalitet i održivost podrške i usluga."
    );
    assert_eq!(
        r2[1].text,
        "Akt 1.1.2 Pružanje usluga za decu koja su u suprotnosti sa zakonom"
    );
    // A row that lost its leading cells stays as written.
    let (_, r) = row_at(m, 514);
    assert_eq!(
        r[0].text,
        "Akt 2.2.2 Integrisani sistem informisanja i upravljanja socijalnim i porodičnim uslugama"
    );
    let (_, r) = row_at(m, 604);
    assert_eq!(
        texts(r),
        vec!["", "", "", "", "Pružaoi smeštaja", "", "", "", ""]
    );
    assert_eq!(r[4].col, 4);
    // The markdown separator row at 569 is markup.
    assert_eq!(doc.counts.get("markup_separator_rows"), Some(&1));
    assert!(m.rows.iter().all(|r| r.provenance.line != Some([569, 569])));
    // A lone asterisk stays text; `<i>` becomes a mark.
    let (_, r) = row_at(m, 534);
    assert!(
        r[2].text
            .contains("socijalne infrastrukture * školske prostore")
    );
    let (_, r) = row_at(m, 545);
    assert_eq!(
        r[0].text,
        "Cilj 3.2: Razvoj kapaciteta i institucionalna izgradnja za naprednu saradnju"
    );
    assert_eq!(
        r[0].paragraphs[0].marks,
        vec![Mark::Italic { start: 10, end: 76 }]
    );
    // The last line has no line break and is still read.
    let last = m.rows.last().unwrap();
    assert_eq!(last.provenance.line, Some([614, 614]));
    assert_eq!(last.cells[0].text, "Razvoj oblika porodičnog stanovanja");
}

#[test]
fn mitrovica_albanian_markdown_and_html() {
    let doc = read("mitrovica-south_2024-2026_sq-Latn.txt");
    let ts = tables(&doc);
    assert_eq!(ts.len(), 9);
    assert_eq!(
        ts.iter().map(|t| t.rows.len()).collect::<Vec<_>>(),
        vec![18, 5, 3, 3, 3, 41, 12, 4, 142]
    );
    let p = paragraph_at(&doc, 5);
    assert_eq!(p.text, "Republika e Kosovës");
    assert_eq!(p.marks, vec![Mark::Bold { start: 0, end: 19 }]);
    let p = paragraph_at(&doc, 410);
    assert_eq!(p.text, "PLANI MATRICOR PËR SHËRBIMET SOCIALE DHE FAMILJARE");
    assert_eq!(p.heading, Some(2));
    assert_eq!(paragraph_at(&doc, 123).heading, Some(3));
    assert_eq!(paragraph_at(&doc, 123).text, "Misioni");
    // `---` on line 13 is a rule: counted, not text.
    assert_eq!(doc.counts.get("markup_rules"), Some(&1));
    let m = ts[8];
    // Entities and bold inside cells.
    let (_, r) = row_at(m, 487);
    assert_eq!(r[0].text, "Shërbimet Sociale dhe Familjare");
    assert_eq!(
        r[4].text,
        "GJITHPËRFSHIRJA JONË – Plan-Veprimi Komunal i Shërbimeve Sociale & Familjare"
    );
    let (i, r) = row_at(m, 471);
    assert_eq!(
        r[0].text,
        "Obj 1.3: Vazhdimi i implementimit të aktiviteteve e"
    );
    assert_eq!(
        r[0].paragraphs[0].marks,
        vec![Mark::Bold { start: 0, end: 8 }]
    );
    let (j, r) = row_at(m, 473);
    assert_eq!(j, i + 1);
    assert_eq!(
        r[0].text,
        "shërbimeve post-monitorim, për të siguruar kualitet dhe qëndrueshmëri të përkrahjes dhe shërbimeve."
    );
    // Five `<p>` paragraphs in one cell.
    let (_, r) = row_at(m, 567);
    assert_eq!(r[0].paragraphs.len(), 5);
    assert_eq!(
        r[0].paragraphs[4].text,
        "Obj 4.2: Zhvillimi dhe implementimi i fushatave vetëdijësuese dhe promovuese për tranzicionin e shëndetshëm të pjekurisë dhe zhvillim të profileve për moshat e rritura."
    );
    assert_eq!(
        texts(&r[1..]),
        vec!["0", "0", "0", "50", "50", "100", "100"]
    );
    // Superscript kept as text, marked.
    let (_, r) = row_at(ts[1], 152);
    assert_eq!(r[1].text, "331 km 2");
    assert_eq!(
        r[1].paragraphs[0].marks,
        vec![Mark::Superscript { start: 7, end: 8 }]
    );
}

#[test]
fn ljubovija_tables_lists_and_literal_stars() {
    let doc = read("ljubovija_2026-2028_sr-Cyrl.txt");
    let ts = tables(&doc);
    assert_eq!(ts.len(), 55);
    assert_eq!(doc.counts.get("markup_separator_rows"), Some(&7));
    // Footnote stars are text, not emphasis.
    let t = table_at(&doc, 1158);
    assert_eq!(
        texts(&t.rows[0].cells),
        vec!["Извор финансирања", "2022*", "2023**", "2024***"]
    );
    let t = table_at(&doc, 295);
    assert_eq!(t.rows[0].cells[0].text, "Регистровани запослени* ¹");
    assert_eq!(t.rows[1].cells[0].text, "према општини рада");
    assert_eq!(
        t.rows[1].cells[0].paragraphs[0].marks,
        vec![Mark::Italic { start: 0, end: 18 }]
    );
    // `**…)*`: one literal star, the rest italic.
    let p = paragraph_at(&doc, 368);
    assert!(p.text.starts_with("*Под редним бројем 4. обухваћене"));
    assert!(matches!(
        p.marks.as_slice(),
        [Mark::Italic { start: 1, .. }]
    ));
    // Italic closed right before a footnote mark.
    let p = paragraph_at(&doc, 87);
    assert!(
        p.text
            .starts_with("године, као и Програм економских реформи (ЕРП)⁴, који")
    );
    assert_eq!(p.marks[0], Mark::Italic { start: 14, end: 46 });
    // Markdown list items with bold labels.
    let p = paragraph_at(&doc, 137);
    assert_eq!(
        p.text,
        "Мера 10.1: Изградња новог објекта за Центар за социјални рад"
    );
    assert_eq!(p.list.as_ref().and_then(|l| l.marker.as_deref()), Some("-"));
    assert_eq!(p.marks, vec![Mark::Bold { start: 0, end: 10 }]);
    // `<ul>` with `•` bullets in a cell; a row that lost its first cell.
    let t = table_at(&doc, 165);
    assert_eq!(widths(t), vec![2, 2, 2, 2, 2]);
    let items: Vec<&str> = t.rows[1].cells[1]
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(items.len(), 7);
    assert_eq!(
        items[0],
        "Развој и проширење услуге Помоћ и нега у кући за старије и особе са инвалидитетом"
    );
    assert_eq!(t.rows[2].cells[0].text, "");
    assert_eq!(t.rows[2].provenance.line, Some([168, 168]));
    // SWOT: `-` bullets, a `<p>` title before the list.
    let t = table_at(&doc, 596);
    let c = &t.rows[3].cells[1];
    assert_eq!(c.paragraphs[0].text, "ПРЕТЊЕ");
    assert!(c.paragraphs[0].list.is_none());
    assert_eq!(
        c.paragraphs[1].text,
        "Константно повећање броја корисника СЗ"
    );
    assert_eq!(
        c.paragraphs[1]
            .list
            .as_ref()
            .and_then(|l| l.marker.as_deref()),
        Some("-")
    );
    // Action plan activity table with a continuation row.
    let t = table_at(&doc, 963);
    let (i, _) = row_at(t, 975);
    let (j, r) = row_at(t, 977);
    assert_eq!(j, i + 1);
    assert_eq!(texts(r)[2], "заштите – пружалац услуге");
    // Budget table: 14 rows of 5.
    let t = table_at(&doc, 766);
    assert_eq!(widths(t), vec![5; 14]);
    assert_eq!(
        texts(&t.rows[2].cells),
        vec!["Мера 1.1", "3.150", "150", "0", "3.300"]
    );
    // Autolinks: the URL stays as text with a link mark.
    let p = paragraph_at(&doc, 81);
    assert!(
        p.text.ends_with(
            "<https://pravno-informacioni-sistem.rs/eli/rep/sgrs/vlada/strategija/2005/108/1>"
                .trim_matches(|c| c == '<' || c == '>')
        )
    );
    assert!(p.marks.iter().any(|m| matches!(m, Mark::Link { .. })));
}

/// Every text of a document: paragraphs, cells, cell paragraphs.
fn all_texts(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(blocks: &[Block], out: &mut Vec<(String, String)>) {
        for b in blocks {
            match b {
                Block::Paragraph(p) => {
                    out.push((format!("{:?}", p.provenance.line), p.text.clone()))
                }
                Block::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            let at = format!("{:?}", c.provenance);
                            out.push((at.clone(), c.text.clone()));
                            for p in &c.paragraphs {
                                out.push((at.clone(), p.text.clone()));
                            }
                            walk(&c.blocks, out);
                        }
                    }
                }
            }
        }
    }
    walk(&doc.blocks, &mut out);
    out
}

#[test]
fn no_markup_in_any_text() {
    let html = regex::Regex::new(
        r"(?i)</?(b|i|u|p|br|sup|sub|ul|ol|li|strong|em|span|div|h[1-6])\b[^>]*>|&(amp|lt|gt|nbsp|quot|#\d+|#x[0-9a-f]+);|\[bookmark:",
    )
    .unwrap();
    // Paired markdown emphasis: `**x**`, `__x__`, `*x*` around a word.
    let md = regex::Regex::new(
        r"\*\*\S[^*]*\S\*\*|__\S[^_]*\S__|(^|\s)\*[^\s*][^*]*[^\s*]\*($|[\s,.;:!?)¹²³⁰-⁹])|^#{1,6} ",
    )
    .unwrap();
    for seed in SEEDS {
        let doc = read(seed);
        let mut n = 0;
        for (at, t) in all_texts(&doc) {
            n += 1;
            assert!(!html.is_match(&t), "{seed} {at}: HTML left in {t:?}");
            assert!(!md.is_match(&t), "{seed} {at}: markdown left in {t:?}");
            assert!(!t.contains("</"), "{seed} {at}: {t:?}");
            assert!(!t.contains('\t'), "{seed} {at}: TAB in {t:?}");
        }
        assert!(n > 30, "{seed}: only {n} texts");
    }
}

#[test]
fn every_block_row_and_cell_has_line_provenance() {
    for seed in SEEDS {
        let doc = read(seed);
        let lines = doc.counts["lines"] as u32;
        let mut last_start = 0;
        for (bi, b) in doc.blocks.iter().enumerate() {
            let l = b.provenance().line.expect("block line");
            assert!(
                l[0] >= 1 && l[0] <= l[1] && l[1] <= lines,
                "{seed} block {bi}"
            );
            assert!(l[0] >= last_start, "{seed}: blocks out of order at {bi}");
            last_start = l[0];
            if let Block::Table(t) = b {
                for (ri, r) in t.rows.iter().enumerate() {
                    assert_eq!(r.provenance.row, Some(ri));
                    assert_eq!(r.provenance.table, t.provenance.table);
                    for (ci, c) in r.cells.iter().enumerate() {
                        let p = &c.provenance;
                        assert_eq!(
                            (p.table, p.row, p.cell),
                            (t.provenance.table, Some(ri), Some(ci))
                        );
                        let cl = p.line.expect("cell line");
                        assert!(
                            cl[0] >= l[0] && cl[1] <= l[1],
                            "{seed}: cell outside its table"
                        );
                        assert_eq!(
                            c.text,
                            c.paragraphs
                                .iter()
                                .map(|p| p.text.as_str())
                                .collect::<Vec<_>>()
                                .join("\n")
                        );
                    }
                }
            }
        }
        let indices: Vec<Option<usize>> = tables(&doc).iter().map(|t| t.provenance.table).collect();
        assert_eq!(
            indices,
            (0..indices.len()).map(Some).collect::<Vec<_>>(),
            "{seed}"
        );
    }
}

/// `text` with every character `enc` cannot encode replaced by `?`, so that
/// the UTF-8 and the legacy version hold the same text.
fn representable(text: &str, enc: &'static Encoding) -> String {
    let mut buf = [0u8; 4];
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            let (_, _, bad) = enc.encode(c.encode_utf8(&mut buf));
            if bad { '?' } else { c }
        })
        .collect()
}

/// The model without what legitimately differs between encodings.
fn comparable(mut d: Document) -> Document {
    d.source.encoding = String::new();
    d.source.encoding_confidence = 0.0;
    d.source.sha256 = String::new();
    d.source.bytes = 0;
    d
}

#[test]
fn every_encoding_gives_the_same_model() {
    for seed in SEEDS {
        let path = corpus(seed);
        let text = std::fs::read_to_string(&path).unwrap();
        let reference = comparable(txt::read(&path, text.as_bytes()));

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let d = txt::read(&path, &bom);
        assert_eq!(
            (d.source.encoding.as_str(), d.source.encoding_confidence),
            ("UTF-8", 1.0)
        );
        assert_eq!(comparable(d), reference, "{seed} UTF-8 with BOM");

        for (enc, bom, label) in [
            (UTF_16LE, [0xFF, 0xFE], "UTF-16LE"),
            (UTF_16BE, [0xFE, 0xFF], "UTF-16BE"),
        ] {
            let mut bytes = bom.to_vec();
            for u in text.encode_utf16() {
                bytes.extend_from_slice(&if enc == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            let d = txt::read(&path, &bytes);
            assert_eq!(d.source.encoding, label);
            assert_eq!(comparable(d), reference, "{seed} {label}");
        }

        let (enc, label) = if seed.contains("Cyrl") {
            (WINDOWS_1251, "windows-1251")
        } else {
            (WINDOWS_1250, "windows-1250")
        };
        let same = representable(&text, enc);
        let reference = comparable(txt::read(&path, same.as_bytes()));
        let (bytes, _, bad) = enc.encode(&same);
        assert!(!bad);
        let d = txt::read(&path, &bytes);
        assert_eq!(d.source.encoding, label, "{seed}");
        assert!(
            d.source.encoding_confidence > 0.9,
            "{seed}: {}",
            d.source.encoding_confidence
        );
        assert_eq!(comparable(d), reference, "{seed} {label}");
    }
}

#[test]
fn line_endings_do_not_matter() {
    for seed in ["plandiste_2019_sr-Cyrl.txt", "irig_2022-2027_sr-Cyrl.txt"] {
        let path = corpus(seed);
        let text = std::fs::read_to_string(&path).unwrap();
        let lf = comparable(txt::read(&path, text.as_bytes()));
        for eol in ["\r\n", "\r"] {
            let other = text.replace('\n', eol);
            assert_eq!(
                comparable(txt::read(&path, other.as_bytes())),
                lf,
                "{seed} {eol:?}"
            );
        }
    }
}

#[test]
fn empty_file() {
    let d = txt::read(Path::new("empty.txt"), b"");
    assert!(d.blocks.is_empty());
    assert!(d.diagnostics.is_empty());
    assert_eq!(d.source.bytes, 0);
    assert_eq!(d.source.encoding, "UTF-8");
    // Blank lines are nothing; a line of TABs is a row of empty cells.
    let d = txt::read(Path::new("blank.txt"), "\n\n \r\n\u{a0}\n".as_bytes());
    assert!(d.blocks.is_empty());
    assert_eq!(d.counts.get("lines"), Some(&4));
    let d = txt::read(Path::new("tabs.txt"), b"\n\t \t\n");
    let Block::Table(t) = &d.blocks[0] else {
        panic!()
    };
    assert_eq!(texts(&t.rows[0].cells), vec!["", "", ""]);
}

#[test]
fn invalid_utf8_is_counted_and_located() {
    let mut bytes = "Општина Љубовија, социјална заштита и услуге у заједници\nДруги ред\t"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(&[0xC0, 0xFF]);
    bytes.extend_from_slice("ћелија\nтрећи ред".as_bytes());
    let d = txt::read(Path::new("bad.txt"), &bytes);
    assert_eq!(d.source.encoding, "UTF-8");
    assert_eq!(d.counts.get("replaced_bytes"), Some(&2));
    let diag = d
        .diagnostics
        .iter()
        .find(|x| x.code == "replaced_bytes")
        .expect("diagnostic");
    assert_eq!(diag.provenance.as_ref().and_then(|p| p.line), Some([2, 2]));
    let Block::Table(t) = &d.blocks[1] else {
        panic!("{:?}", d.blocks)
    };
    assert_eq!(t.rows[0].cells[1].text, "\u{FFFD}\u{FFFD}ћелија");
}

/// A small deterministic generator, so failures can be reproduced.
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn random_bytes_never_panic() {
    let mut seed = 42u64;
    for round in 0..200 {
        let len = (lcg(&mut seed) % 3000) as usize;
        let alphabet: &[u8] = b"<>/&;#*_\\\t\r\n -|[]:abpuli0123";
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = lcg(&mut seed);
                if round % 2 == 0 {
                    r as u8
                } else {
                    alphabet[(r as usize) % alphabet.len()]
                }
            })
            .collect();
        let d = txt::read(Path::new("random.txt"), &bytes);
        let _ = serde_json::to_string(&d).unwrap();
    }
}

#[test]
fn a_huge_single_line_is_read_in_linear_time() {
    let unit = "<b>x</b> *a* **b c 2 < 3 &amp; &bogus; <ul> • i • j\t";
    let line = unit.repeat(4_000_000 / unit.len());
    let start = std::time::Instant::now();
    let d = txt::read(Path::new("huge.txt"), line.as_bytes());
    assert_eq!(d.tables().len(), 1);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    let pathological = "*".repeat(200_000)
        + &" a*".repeat(200_000)
        + &"<".repeat(200_000)
        + &"<b>".repeat(100_000)
        + &"</i>".repeat(100_000)
        + &"<b style=\"".repeat(50_000);
    let start = std::time::Instant::now();
    let _ = txt::read(Path::new("stars.txt"), pathological.as_bytes());
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}

#[test]
fn every_non_blank_line_is_placed_or_is_markup() {
    for seed in SEEDS {
        let doc = read(seed);
        let text = std::fs::read_to_string(corpus(seed)).unwrap();
        let mut covered = std::collections::BTreeSet::new();
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) => {
                    covered.extend(p.provenance.line.map(|l| l[0]..=l[1]).into_iter().flatten())
                }
                Block::Table(t) => {
                    for r in &t.rows {
                        covered
                            .extend(r.provenance.line.map(|l| l[0]..=l[1]).into_iter().flatten());
                    }
                }
            }
        }
        let mut markup = 0u64;
        for (i, line) in text.lines().enumerate() {
            let n = i as u32 + 1;
            if line.trim().is_empty() && !line.contains('\t') || covered.contains(&n) {
                continue;
            }
            // Separator rows and rules are the only lines left out.
            assert!(
                line.chars()
                    .all(|c| matches!(c, '-' | '\t' | '|' | ':' | ' ')),
                "{seed}:{n} not placed: {line:?}"
            );
            markup += 1;
        }
        let counted = doc
            .counts
            .get("markup_separator_rows")
            .copied()
            .unwrap_or(0)
            + doc.counts.get("markup_rules").copied().unwrap_or(0);
        assert_eq!(markup, counted, "{seed}");
    }
}
