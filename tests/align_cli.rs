//! The command line of alignment and checks: `planrec align A B [-o]
//! [--html]`, `planrec check FILE [-o] [--html]`, `planrec pair FILE...`, their exit
//! codes, the JSON report against its committed schema, and the HTML view.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planrec"))
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

/// `name` in a directory of its own, removed when the value is dropped.
fn tmp(name: &str) -> Scratch {
    scratch::scratch("align-cli").into_sub(name)
}

const SR: &str = "mitrovica-south_2024-2026_sr-Latn.txt";
const SQ: &str = "mitrovica-south_2024-2026_sq-Latn.txt";

#[test]
fn align_writes_json_html_and_summary_and_exits_1_on_mismatch() {
    if !corpus(SR).exists() {
        support::shared::skip(
            "align_writes_json_html_and_summary_and_exits_1_on_mismatch",
            "corpus absent",
        );
        return;
    }
    let json = tmp("mitrovica.json");
    let html = tmp("mitrovica.html");
    let out = bin()
        .args(["align"])
        .arg(corpus(SR))
        .arg(corpus(SQ))
        .arg("-o")
        .arg(&json)
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    // The Albanian version writes 6949 Albanians where the Serbian one
    // writes 69497 (Tabela 3): a numeric mismatch, so exit 1.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("numeric_mismatch"), "{summary}");
    assert!(summary.contains("69497"), "{summary}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["schema"], "plan-alignment/1");
    for k in [
        "objectives",
        "activities",
        "indicators",
        "tables",
        "paragraphs",
    ] {
        assert!(v["aligned"][k].is_u64(), "{k}");
    }
    assert!(v["a"]["source"]["path"].as_str().unwrap().ends_with(SR));
    assert!(v["b"]["document"].is_object());
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(!page.contains("<script src") && !page.contains("<link "));
    for f in findings {
        for k in ["kind", "severity", "context", "a", "b"] {
            assert!(f.get(k).is_some(), "{k} in {f}");
        }
        let id = f["id"].as_str().unwrap();
        assert!(page.contains(&format!("id=\"{id}\"")), "{id} listed");
        // Each side of the finding is highlighted and linked back.
        for side in ["a", "b"] {
            if !f[side].is_null() {
                assert!(
                    page.contains(&format!("id=\"{side}-{id}\"")),
                    "{side}-{id} highlighted"
                );
            }
        }
    }
    let mismatch = findings
        .iter()
        .find(|f| f["a"]["raw"] == "69497")
        .expect("the 69497/6949 mismatch");
    assert_eq!(mismatch["severity"], "numeric_mismatch");
    assert_eq!(mismatch["b"]["raw"], "6949");
    assert_eq!(mismatch["a"]["provenance"]["line"][0], 191);
    assert_eq!(mismatch["b"]["provenance"]["line"][0], 192);
}

#[test]
fn align_same_file_exits_0_and_errors_exit_2() {
    if !corpus(SQ).exists() {
        return;
    }
    let out = bin()
        .arg("align")
        .arg(corpus(SQ))
        .arg(corpus(SQ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    let out = bin()
        .arg("align")
        .arg(corpus(SQ))
        .arg("/nonexistent/plan.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/plan.txt"));
}

#[test]
fn check_reports_a_wrong_total_and_exits_1() {
    if !corpus(SR).exists() {
        return;
    }
    let json = tmp("check.json");
    let out = bin()
        .arg("check")
        .arg(corpus(SR))
        .arg("-o")
        .arg(&json)
        .output()
        .unwrap();
    // Tabela 5 gives 70156 inhabitants in total; its 39 settlements add up
    // to 70056 (in both language versions).
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "total_mismatch");
    assert_eq!(f["a"]["raw"], "70156");
    assert_eq!(f["b"]["value"], 70056.0);
    let out = bin()
        .arg("check")
        .arg(corpus("plandiste_2019_sr-Cyrl.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn check_writes_the_reviewer_page() {
    if !corpus(SR).exists() {
        support::shared::skip("check_writes_the_reviewer_page", "corpus absent");
        return;
    }
    let html = tmp("check.html");
    let out = bin()
        .arg("check")
        .arg(corpus(SR))
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // The page replaces the JSON on stdout, like `align --html`.
    assert!(out.stdout.is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    // The finding listed with both sides, expected and found, and its
    // statements marked in the plan (left: the total, right: its parts).
    assert!(
        page.contains("<tr id=\"f1\" class=\"total_mismatch\" "),
        "{page:.2000}"
    );
    assert!(
        page.contains("<td>70056</td><td>70156</td>"),
        "{page:.3000}"
    );
    assert!(page.contains("id=\"a-f1\""));
    assert!(page.contains("id=\"b-f1\""));
    assert_eq!(page.matches("<div class=\"col\" id=\"pane-").count(), 2);
}

#[test]
fn pair_finds_the_two_mitrovica_versions() {
    if !corpus(SR).exists() {
        return;
    }
    let out = bin()
        .arg("pair")
        .arg(corpus(SR))
        .arg(corpus("ljubovija_2026-2028_sr-Cyrl.txt"))
        .arg(corpus(SQ))
        .arg(corpus("irig_2022-2027_sr-Cyrl.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let pairs: Vec<&&str> = lines.iter().filter(|l| !l.ends_with("unpaired")).collect();
    assert_eq!(pairs.len(), 1, "{text}");
    assert!(pairs[0].contains(SR) && pairs[0].contains(SQ), "{text}");
    assert_eq!(
        lines.iter().filter(|l| l.ends_with("unpaired")).count(),
        2,
        "{text}"
    );
}

#[test]
fn a_document_pairs_once_per_kind_of_version() {
    // Two copies of the Serbian version and the Albanian one: the copies
    // are versions of each other, and the Albanian text pairs with one of
    // them, not with both.
    let copy = tmp("copy-of-sr.txt");
    std::fs::copy(corpus(SR), &copy).unwrap();
    let out = bin()
        .arg("pair")
        .arg(corpus(SR))
        .arg(corpus(SQ))
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let pairs: Vec<&str> = text.lines().filter(|l| !l.ends_with("unpaired")).collect();
    assert_eq!(pairs.len(), 2, "{text}");
    let with_sq: Vec<&&str> = pairs.iter().filter(|l| l.contains(SQ)).collect();
    assert_eq!(with_sq.len(), 1, "{text}");
    assert!(
        pairs
            .iter()
            .any(|l| l.contains(SR) && l.contains("copy-of-sr")),
        "{text}"
    );
}

#[test]
fn check_schema_is_committed() {
    let schema = schemars::schema_for!(planrec::align::Check);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/plan-check-1.schema.json");
    if std::env::var_os("PLANREC_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, text,
        "schema/plan-check-1.schema.json is stale: rerun with PLANREC_BLESS=1"
    );
}

#[test]
fn alignment_schema_is_committed() {
    let schema = schemars::schema_for!(planrec::align::Alignment);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/plan-alignment-1.schema.json");
    if std::env::var_os("PLANREC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, text,
        "schema/plan-alignment-1.schema.json is stale: rerun with PLANREC_BLESS=1"
    );
    // Every report the product writes has the properties the schema
    // requires.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let required: Vec<&str> = v["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for k in ["schema", "a", "b", "aligned", "findings"] {
        assert!(required.contains(&k), "{k}");
    }
}
