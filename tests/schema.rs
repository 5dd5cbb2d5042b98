//! The committed JSON Schemas (`schema/`: record, alignment, check and
//! batch) are exactly what `planrec schema KIND` generates; every record of
//! the corpus (the TXT seeds and their DOCX renditions) validates against
//! plan-record/1, and what a real run writes — `summary.json`, checks,
//! alignments, records — validates against its schema and deserializes.
//!
//! The validator below covers the keywords the generated schema uses
//! (`type`, `required`, `properties`, `additionalProperties`, `items`,
//! `minItems`/`maxItems`, `enum`, `const`, `minimum`/`maximum`, `$ref` into
//! `$defs`, `anyOf`, `oneOf`); a keyword it does not know fails the test, so
//! a schema change cannot slip past unchecked.

use planrec::read::{ReadOptions, read_path};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generated() -> Value {
    serde_json::to_value(schemars::schema_for!(planrec::extract::PlanRecord))
        .expect("the schema serializes")
}

fn committed() -> (String, Value) {
    let path = root().join("schema/plan-record-1.schema.json");
    let text = std::fs::read_to_string(&path).expect("schema/plan-record-1.schema.json exists");
    let value = serde_json::from_str(&text).expect("the committed schema is JSON");
    (text, value)
}

#[test]
fn committed_schema_is_the_generated_one() {
    let (text, value) = committed();
    let fresh = generated();
    assert!(
        value == fresh,
        "schema/plan-record-1.schema.json is stale: regenerate it with \
         `cargo run -- schema > schema/plan-record-1.schema.json`"
    );
    // Byte for byte as the CLI prints it (pretty, one trailing newline).
    let printed = format!(
        "{}\n",
        serde_json::to_string_pretty(&schemars::schema_for!(planrec::extract::PlanRecord))
            .expect("the schema serializes")
    );
    let first_diff = text.lines().zip(printed.lines()).position(|(a, b)| a != b);
    assert!(
        text == printed,
        "schema file differs from `planrec schema` output (first differing line {first_diff:?}); regenerate it"
    );
}

// ------------------------------------------------------------------ validator

struct Validator<'a> {
    root: &'a Value,
}

const KNOWN: &[&str] = &[
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "default",
    "format",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "enum",
    "const",
    "minimum",
    "maximum",
    "anyOf",
    "oneOf",
];

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

impl Validator<'_> {
    /// Errors of `v` against `schema`, each with its JSON path.
    fn check(&self, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{path}: not allowed"));
            }
            return;
        };
        for k in s.keys() {
            if !KNOWN.contains(&k.as_str()) {
                errors.push(format!(
                    "{path}: schema keyword {k:?} not supported by the test"
                ));
            }
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match r
                .strip_prefix("#/$defs/")
                .and_then(|name| self.root.get("$defs").and_then(|d| d.get(name)))
            {
                Some(target) => self.check(target, v, path, errors),
                None => errors.push(format!("{path}: unresolved $ref {r}")),
            }
        }
        if let Some(t) = s.get("type") {
            let ok = match t {
                Value::String(t) => type_ok(t, v),
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)),
                _ => false,
            };
            if !ok {
                errors.push(format!("{path}: expected type {t}, got {v}"));
                return;
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            errors.push(format!("{path}: {v} not in {e:?}"));
        }
        if let Some(c) = s.get("const")
            && c != v
        {
            errors.push(format!("{path}: {v} is not {c}"));
        }
        if let Some(n) = v.as_f64() {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                errors.push(format!("{path}: {n} < minimum {min}"));
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                errors.push(format!("{path}: {n} > maximum {max}"));
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            if let Some(req) = s.get("required").and_then(Value::as_array) {
                for r in req.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(r) {
                        errors.push(format!("{path}: missing required {r:?}"));
                    }
                }
            }
            for (k, val) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => self.check(ps, val, &format!("{path}.{k}"), errors),
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            errors.push(format!("{path}: unexpected property {k:?}"))
                        }
                        Some(extra @ Value::Object(_)) => {
                            self.check(extra, val, &format!("{path}.{k}"), errors)
                        }
                        _ => {
                            // Only maps (no declared properties) may carry
                            // undeclared keys; a struct must declare them all.
                            if props.is_some() {
                                errors.push(format!("{path}: undeclared property {k:?}"));
                            }
                        }
                    },
                }
            }
        }
        if let Some(arr) = v.as_array() {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (arr.len() as u64) < min
            {
                errors.push(format!("{path}: fewer than {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && (arr.len() as u64) > max
            {
                errors.push(format!("{path}: more than {max} items"));
            }
            if let Some(items) = s.get("items") {
                for (i, item) in arr.iter().enumerate() {
                    self.check(items, item, &format!("{path}[{i}]"), errors);
                }
            }
        }
        if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
            let ok = alts.iter().any(|a| {
                let mut e = Vec::new();
                self.check(a, v, path, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{path}: matches none of anyOf"));
            }
        }
        if let Some(alts) = s.get("oneOf").and_then(Value::as_array) {
            let n = alts
                .iter()
                .filter(|a| {
                    let mut e = Vec::new();
                    self.check(a, v, path, &mut e);
                    e.is_empty()
                })
                .count();
            if n != 1 {
                errors.push(format!("{path}: matches {n} of oneOf, not exactly one"));
            }
        }
    }

    fn errors(&self, v: &Value) -> Vec<String> {
        let mut e = Vec::new();
        self.check(self.root, v, "$", &mut e);
        e
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["corpus", "fixtures/seeds-docx"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("txt") | Some("docx")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn record_json(path: &Path) -> Value {
    let doc = read_path(path, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rec = planrec::extract::extract(&doc, vocab());
    serde_json::to_value(&rec).expect("a record serializes")
}

#[test]
fn every_corpus_record_validates() {
    let (_, schema) = committed();
    let v = Validator { root: &schema };
    let files = corpus_files();
    assert!(
        files.len() >= 15,
        "corpus and DOCX renditions present: {files:?}"
    );
    for f in &files {
        let errors = v.errors(&record_json(f));
        assert!(
            errors.is_empty(),
            "{}: {} schema errors, first: {:?}",
            f.display(),
            errors.len(),
            &errors[..errors.len().min(5)]
        );
    }
}

#[test]
fn validator_rejects_broken_records() {
    // The validator must be able to fail: break a real record in the ways a
    // regression would.
    let (_, schema) = committed();
    let v = Validator { root: &schema };
    let good = record_json(&root().join("corpus/plandiste_2019_sr-Cyrl.txt"));
    assert!(v.errors(&good).is_empty());

    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("budgets");
    assert!(!v.errors(&missing).is_empty(), "missing required field");

    let mut wrong_type = good.clone();
    wrong_type["budgets"][0]["scale"] = Value::String("1000".into());
    assert!(!v.errors(&wrong_type).is_empty(), "scale as a string");

    let mut bad_enum = good.clone();
    bad_enum["diagnostics"] =
        serde_json::json!([{ "level": "fatal", "code": "x", "message": "m" }]);
    assert!(!v.errors(&bad_enum).is_empty(), "level outside the enum");

    let mut extra = good.clone();
    extra["document"]["mayor"] = Value::String("x".into());
    assert!(!v.errors(&extra).is_empty(), "undeclared property");

    let mut negative = good.clone();
    negative["coverage"]["cells_in"] = serde_json::json!(-1);
    assert!(!v.errors(&negative).is_empty(), "negative count");
}

// ------------------------------------------- every output kind and its schema

/// Every kind of `planrec schema KIND` is committed under `schema/`
/// exactly as generated (`PLANREC_BLESS=1` rewrites the files).
#[test]
fn every_committed_schema_is_the_generated_one() {
    for kind in planrec::schemas::Kind::ALL {
        let path = root().join(kind.file());
        let fresh = kind.text();
        if std::env::var_os("PLANREC_BLESS").is_some() {
            std::fs::write(&path, &fresh).expect("schema/ writable");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: regenerate it with `cargo run -- schema {kind} > {}` (or PLANREC_BLESS=1)",
            kind.file(),
            kind.file()
        );
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// What a real run writes — `summary.json`, the checks and the
/// alignments — validates against the committed schemas and deserializes
/// into the library's types.
#[test]
fn run_outputs_validate_against_their_schemas() {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("schema-run");
    let _ = std::fs::remove_dir_all(&base);
    let inp = base.join("in");
    std::fs::create_dir_all(&inp).expect("tmp writable");
    for f in [
        "mitrovica-south_2024-2026_sr-Latn.txt",
        "mitrovica-south_2024-2026_sq-Latn.txt",
        "ljubovija_2026-2028_sr-Cyrl.txt",
    ] {
        std::fs::copy(root().join("corpus").join(f), inp.join(f)).expect("corpus file");
    }
    // A refused entry, so `failures` is not empty.
    std::fs::write(inp.join("scan.pdf"), b"%PDF-1.4").expect("write");
    let out = base.join("out");
    let opts = planrec::batch::Options {
        jobs: 2,
        ..Default::default()
    };
    planrec::batch::run(&inp, &out, &opts, &|_| {}).expect("the run completes");

    let load = |p: &Path| -> Value {
        serde_json::from_slice(&std::fs::read(p).expect("output readable")).expect("JSON")
    };
    let schema_of = |kind: planrec::schemas::Kind| -> Value {
        serde_json::from_str(&kind.text()).expect("schema JSON")
    };
    let mut checked = 0;
    let mut validate = |kind: planrec::schemas::Kind, file: &Path| {
        let schema = schema_of(kind);
        let errors = Validator { root: &schema }.errors(&load(file));
        assert!(
            errors.is_empty(),
            "{} against {}: {} errors, first: {:?}",
            file.display(),
            kind.file(),
            errors.len(),
            &errors[..errors.len().min(5)]
        );
        checked += 1;
    };
    use planrec::schemas::Kind;
    let summary = out.join("summary.json");
    validate(Kind::Batch, &summary);
    let checks = json_files(&out.join("checks"));
    let alignments = json_files(&out.join("alignments"));
    let records = json_files(&out.join("records"));
    assert_eq!(checks.len(), 3, "{checks:?}");
    assert_eq!(alignments.len(), 1, "the Mitrovica pair: {alignments:?}");
    for f in &checks {
        validate(Kind::Check, f);
    }
    for f in &alignments {
        validate(Kind::Alignment, f);
    }
    for f in &records {
        validate(Kind::Record, f);
    }
    assert_eq!(checked, 1 + 3 + 1 + 3);

    // And they read back into the types that wrote them.
    let s: planrec::batch::Summary =
        serde_json::from_value(load(&summary)).expect("summary.json deserializes");
    assert_eq!(s.schema, planrec::batch::SUMMARY_SCHEMA);
    assert_eq!(s.documents.len(), 3);
    assert_eq!(s.failures.len(), 1);
    for f in &alignments {
        let _: planrec::align::Alignment =
            serde_json::from_value(load(f)).expect("an alignment deserializes");
    }
    for f in &checks {
        let _: planrec::align::Check =
            serde_json::from_value(load(f)).expect("a check deserializes");
    }
}

#[test]
fn batch_schema_rejects_a_broken_summary() {
    // The batch schema must be able to fail, as the record's above.
    let schema: Value =
        serde_json::from_str(&planrec::schemas::Kind::Batch.text()).expect("schema JSON");
    let v = Validator { root: &schema };
    let good = serde_json::json!({
        "schema": "plan-batch/1", "batch": "x", "shard": null,
        "totals": { "inputs": 0, "documents": 0, "read": 0, "failed": 0, "tables": 0,
            "objectives": 0, "activities": 0, "indicators": 0, "budgets": 0, "pairs": 0,
            "unpaired": 0, "alignment_findings": 0, "check_findings": 0, "by_severity": {} },
        "documents": [], "pairs": [], "unpaired": [], "failures": []
    });
    assert!(v.errors(&good).is_empty(), "{:?}", v.errors(&good));
    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("totals");
    assert!(!v.errors(&missing).is_empty());
    let mut negative = good.clone();
    negative["totals"]["read"] = serde_json::json!(-3);
    assert!(!v.errors(&negative).is_empty());
    let mut wrong = good.clone();
    wrong["failures"] = serde_json::json!([{ "path": "a" }]);
    assert!(!v.errors(&wrong).is_empty(), "a failure without its error");
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
