//! Flat tables for analysts: one CSV per entity, in long format, written by
//! `planrec run` (into `OUT/tables/`) and `planrec extract -o DIR` (into
//! `DIR/tables/`): `plans`, `objectives`, `activities`,
//! `activity_institutions`, `indicator_values`, `budgets`, `findings`.
//!
//! Every row starts with the plan key (document, municipality and its id,
//! period, language, script), then its own id and its parent's, and ends
//! with its provenance (file, lines, 0-based table/row/cell as in the
//! JSON). Numbers are plain (`12800000`, `0.5`), empty when absent; lists
//! are joined with `;`. The column dictionary is in README.md.
//!
//! Rows of one document are made in memory from its record
//! ([`RecordRef`]: the record in memory during a run, or a [`RecordView`]
//! read back by `extract -o`, which skips tables and paragraphs), then
//! appended in path order, so the bytes are the same for any `-j`. A run's
//! workers keep them as a fragment ([`Rows::to_fragment`]) that the end of
//! the run appends ([`Tables::append_fragment`]); see `batch/rows.rs`.

use crate::align::report::{Alignment, Check, Finding, Place};
use crate::emit::write::AtomicFile;
use crate::error::{Error, Result};
use crate::extract::record::{
    Activity, Budget, DocScript, DocumentInfo, Indicator, Objective, PlanRecord, SourceInfo,
    SourceKind,
};
use crate::model::Provenance;
use crate::normalize::lang::Language;
use crate::normalize::text::text;
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The tables, in the order they are written.
pub const NAMES: [&str; 7] = [
    "plans",
    "objectives",
    "activities",
    "activity_institutions",
    "indicator_values",
    "budgets",
    "findings",
];

const KEY: [&str; 8] = [
    "document",
    "municipality",
    "municipality_id",
    "period_from",
    "period_to",
    "language",
    "script",
    "format",
];
const PROV: [&str; 6] = ["file", "line_from", "line_to", "table", "row", "cell"];

fn header(name: &str) -> Vec<&'static str> {
    let own: &[&'static str] = match name {
        "plans" => &[
            "id",
            "title",
            "title_latn",
            "reference",
            "date_iso",
            "objectives",
            "activities",
            "indicators",
            "budgets",
            "budget_counted_total",
            "currency",
        ],
        "objectives" => &[
            "id",
            "parent_id",
            "code",
            "parent_code",
            "kind",
            "text",
            "text_latn",
        ],
        "activities" => &[
            "id",
            "parent_id",
            "code",
            "parent_code",
            "text",
            "text_latn",
            "timeline_from",
            "timeline_to",
            "institutions",
            "institutions_latn",
        ],
        "activity_institutions" => &[
            "id",
            "parent_id",
            "activity_code",
            "field",
            "raw",
            "name",
            "name_latn",
            "abbreviations",
        ],
        "indicator_values" => &[
            "id",
            "parent_id",
            "objective_id",
            "objective_code",
            "indicator",
            "indicator_latn",
            "unit",
            "kind",
            "year",
            "header",
            "raw",
            "value",
        ],
        "budgets" => &[
            "id",
            "parent_id",
            "parent_code",
            "activity_code",
            "label",
            "label_latn",
            "source",
            "source_kind",
            "year",
            "year_from",
            "raw",
            "value",
            "scale",
            "amount",
            "currency",
            "table_role",
            "is_total",
            "is_subtotal",
            "parts",
            "restates",
            "counted",
        ],
        _ => &[
            "id",
            "parent_id",
            "origin",
            "other_document",
            "kind",
            "severity",
            "context",
            "detail",
            "a_raw",
            "a_value",
            "b_raw",
            "b_value",
            "expected",
            "found",
            "confidence",
            "a_file",
            "a_line_from",
            "a_line_to",
            "a_table",
            "a_row",
            "a_cell",
            "b_file",
            "b_line_from",
            "b_line_to",
            "b_table",
            "b_row",
            "b_cell",
        ],
    };
    let mut h: Vec<&'static str> = KEY.to_vec();
    h.extend_from_slice(own);
    if name != "plans" && name != "findings" {
        h.extend_from_slice(&PROV);
    }
    h
}

/// The parts of a record the tables need; serde skips the rest (tables,
/// paragraphs) without building it.
#[derive(Deserialize)]
pub struct RecordView {
    pub source: SourceInfo,
    pub document: DocumentInfo,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub budgets: Vec<Budget>,
}

/// The parts of a record the tables read, borrowed from a [`PlanRecord`]
/// or a [`RecordView`], so a record in memory is never copied for its rows.
#[derive(Clone, Copy)]
pub struct RecordRef<'a> {
    pub source: &'a SourceInfo,
    pub document: &'a DocumentInfo,
    pub objectives: &'a [Objective],
    pub activities: &'a [Activity],
    pub indicators: &'a [Indicator],
    pub budgets: &'a [Budget],
}

impl<'a> From<&'a PlanRecord> for RecordRef<'a> {
    fn from(r: &'a PlanRecord) -> RecordRef<'a> {
        RecordRef {
            source: &r.source,
            document: &r.document,
            objectives: &r.objectives,
            activities: &r.activities,
            indicators: &r.indicators,
            budgets: &r.budgets,
        }
    }
}

impl<'a> From<&'a RecordView> for RecordRef<'a> {
    fn from(r: &'a RecordView) -> RecordRef<'a> {
        RecordRef {
            source: &r.source,
            document: &r.document,
            objectives: &r.objectives,
            activities: &r.activities,
            indicators: &r.indicators,
            budgets: &r.budgets,
        }
    }
}

/// The rows of one document (or one alignment), per table, as CSV bytes
/// without headers.
pub struct Rows {
    tables: [csv::Writer<Vec<u8>>; 7],
}

impl Default for Rows {
    fn default() -> Rows {
        Rows {
            tables: std::array::from_fn(|_| {
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .buffer_capacity(4096)
                    .from_writer(Vec::new())
            }),
        }
    }
}

/// Where a finding's rows come from: the output that holds it, whether a
/// check or an alignment found it, the other document of an alignment, and
/// the files its two sides' places are in.
#[derive(Clone, Copy)]
struct FindingOrigin<'s> {
    output: &'s str,
    origin: &'s str,
    other: &'s str,
    a_file: &'s str,
    b_file: &'s str,
}

fn num(v: Option<f64>) -> String {
    // Rust's shortest round-trip form: `12800000`, `0.5`; never exponent
    // notation for the plans' magnitudes.
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x}"))
        .unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn key(s: &SourceInfo, d: &DocumentInfo) -> Vec<String> {
    vec![
        s.path.clone(),
        d.municipality.clone().unwrap_or_default(),
        d.municipality_id.clone().unwrap_or_default(),
        opt(d.period.and_then(|p| p.from)),
        opt(d.period.and_then(|p| p.to)),
        d.language
            .map(Language::code)
            .unwrap_or_default()
            .to_string(),
        d.script
            .map(DocScript::as_str)
            .unwrap_or_default()
            .to_string(),
        s.format.as_str().to_string(),
    ]
}

fn prov(file: &str, p: &Provenance) -> [String; 6] {
    [
        file.to_string(),
        opt(p.line.map(|l| l[0])),
        opt(p.line.map(|l| l[1])),
        opt(p.table),
        opt(p.row),
        opt(p.cell),
    ]
}

fn latn(norm: &crate::normalize::Norm, s: &str) -> String {
    text(norm, s).latn
}

impl Rows {
    fn push(&mut self, table: usize, fields: Vec<String>) -> Result<()> {
        self.tables[table].write_record(&fields).map_err(csv_err)
    }

    /// The CSV bytes of each table.
    fn into_bytes(self) -> Result<Vec<Vec<u8>>> {
        self.tables
            .into_iter()
            .map(|w| {
                w.into_inner().map_err(|e| Error::CsvBytes {
                    path: PathBuf::from("tables"),
                    what: "CSV rows",
                    source: e.into_error(),
                })
            })
            .collect()
    }

    /// The rows as one byte string: the seven tables' byte lengths (u64,
    /// little-endian), then their bytes; read by [`Tables::append_fragment`].
    pub fn to_fragment(self) -> Result<Vec<u8>> {
        let tables = self.into_bytes()?;
        let body: usize = tables.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(8 * tables.len() + body);
        for t in &tables {
            out.extend_from_slice(&(t.len() as u64).to_le_bytes());
        }
        for t in &tables {
            out.extend_from_slice(t);
        }
        Ok(out)
    }

    /// Rows of one plan record.
    pub fn of_record(norm: &crate::normalize::Norm, r: &RecordRef<'_>) -> Result<Rows> {
        let mut rows = Rows::default();
        let k = key(r.source, r.document);
        let file = r.source.path.as_str();
        let row = |own: Vec<String>, p: Option<&Provenance>| -> Vec<String> {
            let mut v = k.clone();
            v.extend(own);
            if let Some(p) = p {
                v.extend(prov(file, p));
            }
            v
        };
        let counted: f64 = r
            .budgets
            .iter()
            .filter(|b| b.counted)
            .filter_map(|b| b.amount)
            .sum();
        let currencies: std::collections::BTreeSet<&str> = r
            .budgets
            .iter()
            .filter_map(|b| b.currency.as_deref())
            .collect();
        let title = r.document.title.as_ref();
        rows.push(
            0,
            row(
                vec![
                    r.source.sha256.clone(),
                    title.map(|t| t.normalized.clone()).unwrap_or_default(),
                    title.map(|t| t.latn.clone()).unwrap_or_default(),
                    r.document.reference.clone().unwrap_or_default(),
                    r.document.date_iso.clone().unwrap_or_default(),
                    r.objectives.len().to_string(),
                    r.activities.len().to_string(),
                    r.indicators.len().to_string(),
                    r.budgets.len().to_string(),
                    if r.budgets.is_empty() {
                        String::new()
                    } else {
                        num(Some(counted))
                    },
                    currencies.into_iter().collect::<Vec<_>>().join(";"),
                ],
                None,
            ),
        )?;
        for o in r.objectives {
            let kind = serde_json::to_value(o.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            rows.push(
                1,
                row(
                    vec![
                        o.id.clone(),
                        o.parent_id.clone().unwrap_or_default(),
                        o.code.clone().unwrap_or_default(),
                        o.parent.clone().unwrap_or_default(),
                        kind,
                        o.text.normalized.clone(),
                        o.text.latn.clone(),
                    ],
                    Some(&o.provenance),
                ),
            )?;
        }
        for a in r.activities {
            let period = a.fields.values().find_map(|f| f.period);
            let mut names = Vec::new();
            let mut names_latn = Vec::new();
            for (field, f) in &a.fields {
                for (n, inst) in f.institutions_expanded.iter().enumerate() {
                    names.push(inst.name.clone());
                    names_latn.push(inst.name_latn.clone());
                    rows.push(
                        3,
                        row(
                            vec![
                                format!("{}.{field}.{}", a.id, n + 1),
                                a.id.clone(),
                                a.code.clone().unwrap_or_default(),
                                field.clone(),
                                inst.raw.clone(),
                                inst.name.clone(),
                                inst.name_latn.clone(),
                                inst.abbreviations.join(";"),
                            ],
                            Some(&f.provenance),
                        ),
                    )?;
                }
            }
            rows.push(
                2,
                row(
                    vec![
                        a.id.clone(),
                        a.parent_ids.first().cloned().unwrap_or_default(),
                        a.code.clone().unwrap_or_default(),
                        a.parent.clone().unwrap_or_default(),
                        a.text.normalized.clone(),
                        a.text.latn.clone(),
                        opt(period.and_then(|p| p.from)),
                        opt(period.and_then(|p| p.to)),
                        names.join(";"),
                        names_latn.join(";"),
                    ],
                    Some(&a.provenance),
                ),
            )?;
        }
        for i in r.indicators {
            for (n, v) in i.values.iter().enumerate() {
                let kind = serde_json::to_value(v.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                rows.push(
                    4,
                    row(
                        vec![
                            format!("{}.{}", i.id, n + 1),
                            i.id.clone(),
                            i.parent_id.clone().unwrap_or_default(),
                            i.parent.clone().unwrap_or_default(),
                            i.name.normalized.clone(),
                            i.name.latn.clone(),
                            i.unit.clone().unwrap_or_default(),
                            kind,
                            opt(v.year),
                            v.header.clone(),
                            v.raw.clone(),
                            num(v.value),
                        ],
                        Some(&v.provenance),
                    ),
                )?;
            }
        }
        for b in r.budgets {
            let (label, label_latn) = latn_pair(norm, b.label.as_deref().unwrap_or_default());
            rows.push(
                5,
                row(
                    vec![
                        b.id.clone(),
                        b.activity_id.clone().unwrap_or_default(),
                        b.parent.clone().unwrap_or_default(),
                        b.activity.clone().unwrap_or_default(),
                        label,
                        label_latn,
                        b.source.clone().unwrap_or_default(),
                        b.source_kind
                            .map(SourceKind::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        opt(b.year),
                        b.year_from
                            .map(|y| y.as_str().to_string())
                            .unwrap_or_default(),
                        b.raw.clone(),
                        num(b.value),
                        b.scale.to_string(),
                        num(b.amount),
                        b.currency.clone().unwrap_or_default(),
                        b.table_role
                            .map(|r| r.as_str().to_string())
                            .unwrap_or_default(),
                        b.is_total.to_string(),
                        b.is_subtotal.to_string(),
                        b.parts.join(";"),
                        b.restates.clone().unwrap_or_default(),
                        b.counted.to_string(),
                    ],
                    Some(&b.provenance),
                ),
            )?;
        }
        Ok(rows)
    }

    /// Adds the rows of one document's check findings.
    pub fn add_check(&mut self, c: &Check, output: &str) -> Result<()> {
        let k = key(&c.source, &c.document);
        let from = FindingOrigin {
            output,
            origin: "check",
            other: "",
            a_file: &c.source.path,
            b_file: &c.source.path,
        };
        for f in &c.findings {
            self.finding(&k, f, &from)?;
        }
        Ok(())
    }

    /// Rows of one alignment's findings, keyed by its `a` document.
    pub fn of_alignment(al: &Alignment, output: &str) -> Result<Rows> {
        let mut rows = Rows::default();
        let k = key(&al.a.source, &al.a.document);
        let from = FindingOrigin {
            output,
            origin: "alignment",
            other: &al.b.source.path,
            a_file: &al.a.source.path,
            b_file: &al.b.source.path,
        };
        for f in &al.findings {
            rows.finding(&k, f, &from)?;
        }
        Ok(rows)
    }

    fn finding(&mut self, k: &[String], f: &Finding, from: &FindingOrigin<'_>) -> Result<()> {
        let FindingOrigin {
            output,
            origin,
            other,
            a_file,
            b_file,
        } = *from;
        let place = |p: Option<&Place>, file: &str| -> Vec<String> {
            match p {
                Some(p) => prov(file, &p.provenance).to_vec(),
                None => vec![String::new(); 6],
            }
        };
        let mut v = k.to_vec();
        v.extend([
            format!("{output}#{}", f.id),
            output.to_string(),
            origin.to_string(),
            other.to_string(),
            f.kind.to_string(),
            f.severity.to_string(),
            f.context.clone(),
            f.detail.clone(),
            f.a.as_ref().map(|p| p.raw.clone()).unwrap_or_default(),
            num(f.a.as_ref().and_then(|p| p.value)),
            f.b.as_ref().map(|p| p.raw.clone()).unwrap_or_default(),
            num(f.b.as_ref().and_then(|p| p.value)),
            num(f.expected),
            num(f.found),
            num(f.confidence),
        ]);
        v.extend(place(f.a.as_ref(), a_file));
        v.extend(place(f.b.as_ref(), b_file));
        self.push(6, v)
    }
}

fn latn_pair(norm: &crate::normalize::Norm, s: &str) -> (String, String) {
    if s.is_empty() {
        return (String::new(), String::new());
    }
    (s.to_string(), latn(norm, s))
}

fn csv_err(e: csv::Error) -> Error {
    Error::Csv {
        path: PathBuf::from("tables"),
        what: "CSV row",
        source: e,
    }
}

/// The seven CSV files of one output directory, written to temporary names
/// and renamed into place by [`Tables::finish`].
pub struct Tables {
    dir: PathBuf,
    files: Vec<AtomicFile>,
}

impl Tables {
    /// Creates `dir` and the temporary files, each with its header row.
    pub fn create(dir: &Path) -> Result<Tables> {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        let mut files = Vec::with_capacity(NAMES.len());
        for name in NAMES {
            let path = dir.join(format!("{name}.csv"));
            let mut file = AtomicFile::create(&path)?;
            let mut head = csv::WriterBuilder::new().from_writer(Vec::new());
            head.write_record(header(name)).map_err(csv_err)?;
            let bytes = head
                .into_inner()
                .map_err(|e| Error::io(&path, e.into_error()))?;
            file.writer()
                .write_all(&bytes)
                .map_err(|e| Error::write(&path, e))?;
            files.push(file);
        }
        Ok(Tables {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// Appends one document's (or alignment's) rows.
    pub fn append(&mut self, rows: Rows) -> Result<()> {
        for (f, bytes) in self.files.iter_mut().zip(rows.into_bytes()?) {
            let path = f.path().to_path_buf();
            f.writer()
                .write_all(&bytes)
                .map_err(|e| Error::write(path, e))?;
        }
        Ok(())
    }

    /// Appends the rows of one [`Rows::to_fragment`], read from `from`
    /// (named in the error when the bytes are not a fragment).
    pub fn append_fragment(&mut self, fragment: &[u8], from: &Path) -> Result<()> {
        let bad = || Error::Invalid {
            path: from.to_path_buf(),
            reason: "not a fragment of table rows".to_string(),
        };
        let n = self.files.len();
        let (head, mut body) = fragment.split_at_checked(8 * n).ok_or_else(bad)?;
        for (f, len) in self.files.iter_mut().zip(head.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(len);
            let len = usize::try_from(u64::from_le_bytes(b)).map_err(|_| bad())?;
            let (rows, rest) = body.split_at_checked(len).ok_or_else(bad)?;
            let path = f.path().to_path_buf();
            f.writer()
                .write_all(rows)
                .map_err(|e| Error::write(path, e))?;
            body = rest;
        }
        if body.is_empty() { Ok(()) } else { Err(bad()) }
    }

    /// Flushes and renames every file into place.
    pub fn finish(self) -> Result<()> {
        for f in self.files {
            f.commit(false)?;
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Reads a record written by a run or by `extract -o` as a [`RecordView`].
pub fn read_record(path: &Path) -> Result<RecordView> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::JsonInput {
        path: path.to_path_buf(),
        what: "unreadable record",
        source: e,
    })
}
