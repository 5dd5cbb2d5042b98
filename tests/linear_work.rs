//! Every extraction pass does about twice the work on a document twice as
//! long: each bundled plan is read once, then as two and four copies in one
//! text, and each pass's step count (`extract::work`, counted, not timed)
//! must grow by at most 2.5× per doubling. A pass that scans all the
//! tables or amounts for each table or amount grows by about 4× and fails.
//! Also the TXT markup stripper around `<img>` tags.

use planrec::extract::{extract_counted, work::PASSES};
use planrec::read::{ReadOptions, read_bytes};
use std::path::Path;

fn counts(name: &str, copies: usize) -> Vec<(&'static str, u64)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    let plan = std::fs::read(&path).expect("bundled corpus plan");
    let doc = read_bytes(
        Path::new(name),
        &plan.repeat(copies),
        &ReadOptions::default(),
    )
    .expect("the plan reads");
    extract_counted(&doc, vocab()).1.counts()
}

fn assert_linear(name: &str, budgets: bool) {
    let (one, two, four) = (counts(name, 1), counts(name, 2), counts(name, 4));
    for (k, pass) in PASSES.iter().enumerate() {
        let (a, b, c) = (one[k].1, two[k].1, four[k].1);
        // Every pass, the subtotal search too: copies of a plan share
        // every scope, so a search comparing the amounts of one scope with
        // each other grows 4× per doubling here and fails.
        for (from, to) in [(a, b), (b, c)] {
            assert!(
                to as f64 <= 2.5 * from.max(1) as f64,
                "{name}: pass {pass} took {a} / {b} / {c} steps for 1 / 2 / 4 copies"
            );
        }
    }
    let at = |pass: &str| PASSES.iter().position(|p| *p == pass).expect("known pass");
    // Document facts come from its opening; they are read, not repeated.
    assert!(one[at("facts")].1 > 0, "{name}: facts counted nothing");
    // The glossary pass looks at every table's head and every paragraph
    // (a plan of one long table has few of either).
    assert!(
        one[at("glossary")].1 > 0,
        "{name}: glossary counted nothing"
    );
    // The passes that walk every row, cell and amount see every copy.
    // The reconciliation only where the plan states money.
    let money = if budgets { &["reconcile"][..] } else { &[] };
    for &pass in ["structure", "values", "tables", "sums"]
        .iter()
        .chain(money)
    {
        let k = at(pass);
        assert!(one[k].1 > 0, "{name}: pass {pass} counted nothing");
        assert!(
            four[k].1 >= 3 * one[k].1,
            "{name}: pass {pass} did not see the copies ({} / {})",
            one[k].1,
            four[k].1
        );
    }
}

#[test]
fn ljubovija_passes_grow_linearly() {
    assert_linear("ljubovija_2026-2028_sr-Cyrl.txt", true);
}

#[test]
fn mitrovica_passes_grow_linearly() {
    assert_linear("mitrovica-south_2024-2026_sq-Latn.txt", false);
}

#[test]
fn mitrovica_serbian_passes_grow_linearly() {
    assert_linear("mitrovica-south_2024-2026_sr-Latn.txt", false);
}

fn paragraphs(text: &str) -> Vec<String> {
    let doc = read_bytes(
        Path::new("img.txt"),
        text.as_bytes(),
        &ReadOptions::default(),
    )
    .expect("text reads");
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            planrec::model::Block::Paragraph(p) => Some(p.text.clone()),
            planrec::model::Block::Table(_) => None,
        })
        .collect()
}

#[test]
fn img_tags_go_and_the_text_around_them_stays() {
    let got = paragraphs(
        "Uvod <img src=\"slika.png\" alt=\"Slika 1\"> i dalje.\n\
         <img src=\"a.png\"/>Tekst posle slike\n\
         Tekst pre slike<IMG SRC=x.jpg WIDTH=100>\n\
         <p>Prvi <img src=\"b.png\" alt=\"a > b\"> drugi</p>\n",
    );
    assert_eq!(
        got,
        [
            "Uvod i dalje.",
            "Tekst posle slike",
            "Tekst pre slike",
            "Prvi drugi"
        ]
    );
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
