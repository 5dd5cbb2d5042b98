//! `--mappings DIR` end to end: an override file changes what the binary
//! extracts, and a malformed row is refused with its file, line and column
//! before any document is read.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn tmp(tag: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mappings-{tag}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("target tmp dir writable");
    d
}

fn planrec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planrec"))
        .args(args)
        .output()
        .expect("planrec runs")
}

fn record(args: &[&str]) -> Value {
    let out = planrec(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON record")
}

/// A plan of a town no mapping file knows.
const PLAN: &str = "Republika Srbija\n\nOpština Zelengrad\n\n\
    LOKALNI AKCIONI PLAN ZA SOCIJALNU ZAŠTITU OPŠTINE ZELENGRAD 2024-2026\n\n\
    Opština Zelengrad pruža usluge socijalne zaštite građanima Zelengrada.\n";

#[test]
fn an_override_file_changes_the_record() {
    let dir = tmp("town");
    let plan = dir.join("zelengrad.txt");
    std::fs::write(&plan, PLAN).expect("plan written");
    let plan = plan.to_string_lossy().into_owned();
    let before = record(&["extract", "--compact", &plan]);
    assert_eq!(before["document"]["municipality_id"], Value::Null);

    // The embedded file plus one row, as a user would extend it.
    let maps = dir.join("maps");
    std::fs::create_dir_all(&maps).expect("dir made");
    let embedded = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mappings/municipalities.tsv"),
    )
    .expect("embedded municipalities readable");
    std::fs::write(
        maps.join("municipalities.tsv"),
        format!("{embedded}rs-zelengrad\tsr\tZelengrad\n"),
    )
    .expect("override written");
    let maps = maps.to_string_lossy().into_owned();
    let after = record(&["--mappings", &maps, "extract", "--compact", &plan]);
    assert_eq!(after["document"]["municipality_id"], "rs-zelengrad");
    assert_eq!(after["document"]["municipality"], "Zelengrad");
}

/// An activity's amount in a currency no mapping file names.
const FRANCS: &str = "Akcioni plan 2025-2028\n\nPosebni cilj 3.1: Kapaciteti\n\n\
    Aktivnost 3.1.1: Obuka stručnih radnika\n\nBudžet (CHF): 4.800\n";

#[test]
fn an_override_of_the_money_words_changes_the_budgets() {
    let dir = tmp("money");
    let plan = dir.join("francs.txt");
    std::fs::write(&plan, FRANCS).expect("plan written");
    let plan = plan.to_string_lossy().into_owned();
    let before = record(&["extract", "--compact", &plan]);
    let budgets = before["budgets"].as_array().expect("budgets");
    assert_eq!(budgets.len(), 1, "{before}");
    assert_eq!(budgets[0]["activity"], "3.1.1");
    assert_eq!(budgets[0]["currency"], Value::Null);

    // The embedded money words plus one currency.
    let maps = dir.join("maps");
    std::fs::create_dir_all(&maps).expect("dir made");
    let embedded = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mappings/money_markers.tsv"),
    )
    .expect("embedded money words readable");
    std::fs::write(
        maps.join("money_markers.tsv"),
        format!("{embedded}currency:CHF\tchf\n"),
    )
    .expect("override written");
    let maps = maps.to_string_lossy().into_owned();
    let after = record(&["--mappings", &maps, "extract", "--compact", &plan]);
    let budgets = after["budgets"].as_array().expect("budgets");
    assert_eq!(budgets.len(), 1, "{after}");
    assert_eq!(budgets[0]["currency"], "CHF");
    assert_eq!(budgets[0]["value"], before["budgets"][0]["value"]);
}

#[test]
fn a_malformed_row_is_refused_with_file_line_and_column() {
    let dir = tmp("bad");
    let plan = dir.join("zelengrad.txt");
    std::fs::write(&plan, PLAN).expect("plan written");
    for (file, text, want) in [
        (
            "months.tsv",
            "# form\tmonth\tlanguage\njanuar\t1\tsr\nfebruar\tdva\tsr\n",
            "months.tsv:3: column 2 (month)",
        ),
        (
            "crosswalk.tsv",
            "csr\tCSR\tsr\ncsr\tCentar\txx\n",
            "crosswalk.tsv:2: column 3 (language)",
        ),
        (
            "docx-symbol-fonts.tsv",
            "symbol\t22\t2200\nsymbol\tF022\t2203\n",
            "docx-symbol-fonts.tsv:2: column 2 (code)",
        ),
        (
            "total_labels.tsv",
            "ukupno\tsr\n\tsq\n",
            "total_labels.tsv:2: column 1 (form)",
        ),
        (
            "docx-heading-styles.tsv",
            "heading\ten\ntitre\tfr\textra\n",
            "docx-heading-styles.tsv:2: column 3",
        ),
    ] {
        let maps = dir.join(file);
        std::fs::create_dir_all(&maps).expect("dir made");
        std::fs::write(maps.join(file), text).expect("override written");
        let out = planrec(&[
            "--mappings",
            &maps.to_string_lossy(),
            "extract",
            "--compact",
            &plan.to_string_lossy(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(want), "{file}: {err}");
        assert!(out.stdout.is_empty(), "{file}: a record was written");
    }
}
