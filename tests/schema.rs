//! The committed JSON Schema of plan-record/1 (`schema/plan-record-1.schema.json`)
//! is exactly what `planrec schema` prints, and every record of the corpus
//! (the TXT seeds and their DOCX renditions) validates against it.
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
    let rec = planrec::extract::extract(&doc);
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
