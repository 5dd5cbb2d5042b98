//! The parallel pair of ../shared/plans-dev (the Prizren plan in Serbian
//! Latin and Albanian, rendered from one source with the same numbers), in
//! TXT and in DOCX:
//! - a against the Albanian version with ten injected changes
//!   (`pair/truth.json`): recall and precision of `numeric_mismatch`
//!   findings over the five real changes must both reach 0.95, by the rule
//!   of `score.py --align` — a change is found when a finding's b side sits
//!   on its line (TXT) or its block and row (DOCX);
//! - a against the clean Albanian version: no finding that counts, i.e.
//!   none but `format_only` (the same value written another way), in the
//!   same format and across formats (TXT a with DOCX b and the reverse).
//!
//! Skips with a note (seen in the test run's output) when ../shared is absent.

mod support;

use planrec::align::{self, Alignment, Finding, Severity};
use planrec::extract::{PlanRecord, extract};
use planrec::read::{ReadOptions, read_path};
use serde_json::Value;
use std::path::PathBuf;

fn dev() -> PathBuf {
    support::shared::root().join("plans-dev")
}

fn record(rel: &str) -> PlanRecord {
    let p = dev().join(rel);
    let d = read_path(&p, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{} readable: {e}", p.display()));
    extract(&d, vocab())
}

/// The severities that do not count as a difference between versions.
fn counts(f: &Finding) -> bool {
    f.severity != Severity::FormatOnly
}

/// Does the b side of `f` sit on change `ch` of truth.json?
fn at_change(f: &Finding, ch: &Value) -> bool {
    let Some(b) = &f.b else {
        return false;
    };
    let prov = &b.provenance;
    if let (Some([from, to]), Some(line)) = (prov.line, ch["line"].as_u64()) {
        return (u64::from(from)..=u64::from(to)).contains(&line);
    }
    let d = &ch["docx"];
    match (prov.block, d["block"].as_u64()) {
        (Some(block), Some(want)) if block as u64 == want => match d["row"].as_u64() {
            Some(row) => prov.row.is_some_and(|r| r as u64 == row),
            None => true,
        },
        _ => false,
    }
}

/// (real changes found, real changes, mismatch findings on a real change,
/// mismatch findings).
fn score(al: &Alignment, truth: &Value) -> (usize, usize, usize, usize) {
    let changes = truth["changes"].as_array().expect("truth has changes");
    let mism: Vec<&Finding> = al
        .findings
        .iter()
        .filter(|f| f.severity == Severity::NumericMismatch)
        .collect();
    let real: Vec<&Value> = changes
        .iter()
        .filter(|c| c["real_mismatch"].as_bool() == Some(true))
        .collect();
    let found = real
        .iter()
        .filter(|c| mism.iter().any(|f| at_change(f, c)))
        .count();
    let on_real = mism
        .iter()
        .filter(|f| real.iter().any(|c| at_change(f, c)))
        .count();
    (found, real.len(), on_real, mism.len())
}

fn describe(f: &Finding) -> String {
    let side = |p: &Option<align::report::Place>| {
        p.as_ref()
            .map(|p| format!("`{}` {:?}", p.raw, p.provenance))
            .unwrap_or_else(|| "—".into())
    };
    format!(
        "{} {}: {} | {} — {}",
        f.severity,
        f.kind,
        side(&f.a),
        side(&f.b),
        f.context
    )
}

#[test]
fn plans_dev_parallel_pair() {
    if support::shared::dir("plans_dev_parallel_pair", "plans-dev", &["pair/truth.json"]).is_none()
    {
        return;
    }
    let truth_path = dev().join("pair/truth.json");
    let truth = std::fs::read_to_string(&truth_path).expect("truth.json readable");
    let truth: Value = serde_json::from_str(&truth).expect("truth.json is JSON");
    let a_txt = truth["a"]["file"].as_str().expect("truth names a");
    let b_txt = truth["b"]["file"].as_str().expect("truth names b");
    let clean_txt = truth["b"]["base"].as_str().expect("truth names clean b");
    let docx = |p: &str| format!("{}.docx", p.trim_end_matches(".txt"));
    let mut problems = Vec::new();
    for (a, b, clean) in [
        (a_txt.to_string(), b_txt.to_string(), clean_txt.to_string()),
        (docx(a_txt), docx(b_txt), docx(clean_txt)),
    ] {
        let ra = record(&a);
        // Injected changes.
        let al = align::align(&ra, &record(&b), vocab());
        let (found, real, on_real, mism) = score(&al, &truth);
        assert!(real > 0, "truth.json declares real changes");
        let recall = found as f64 / real as f64;
        let precision = if mism == 0 {
            1.0
        } else {
            on_real as f64 / mism as f64
        };
        eprintln!(
            "{a} vs {b}: recall {recall:.3} ({found}/{real}), precision {precision:.3} \
             ({on_real}/{mism})"
        );
        if recall < 0.95 || precision < 0.95 {
            problems.push(format!("{b}: recall {recall:.3}, precision {precision:.3}"));
            for f in al
                .findings
                .iter()
                .filter(|f| f.severity == Severity::NumericMismatch)
            {
                problems.push(format!("  {}", describe(f)));
            }
        }
        // Clean versions: nothing that counts.
        let al = align::align(&ra, &record(&clean), vocab());
        let bad: Vec<&Finding> = al.findings.iter().filter(|f| counts(f)).collect();
        eprintln!(
            "{a} vs {clean}: {} findings, {} counting",
            al.findings.len(),
            bad.len()
        );
        for f in bad {
            problems.push(format!("{clean}: {}", describe(f)));
        }
    }
    // A batch pairs a version with the other language in the other format
    // too: a text export keeps the table of contents as a TAB table where
    // the Word document has tabbed paragraphs.
    for (a, clean) in [
        (a_txt.to_string(), docx(clean_txt)),
        (docx(a_txt), clean_txt.to_string()),
    ] {
        let al = align::align(&record(&a), &record(&clean), vocab());
        let bad: Vec<&Finding> = al.findings.iter().filter(|f| counts(f)).collect();
        eprintln!(
            "{a} vs {clean}: {} findings, {} counting",
            al.findings.len(),
            bad.len()
        );
        for f in bad {
            problems.push(format!("{a} vs {clean}: {}", describe(f)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
