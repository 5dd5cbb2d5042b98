//! `review.xlsx`: the run's findings and items as one Excel workbook for
//! reviewers who work in a spreadsheet.
//!
//! In: the output directory of a finished run (`records/`, `checks/`,
//! `alignments/`) and the names of its documents and pairs, in the run's
//! order. Out: one workbook with a `contents` sheet (every other sheet,
//! linked, with its counts per severity), the `activities`, `indicators` and
//! `budgets` of the whole run, one sheet per aligned pair (`P …`) and one
//! per checked plan (`C …`) with their findings.
//!
//! Everything is read back from the JSON the run wrote, so the workbook
//! shows exactly what the reports say. Records are read in a lean form
//! (tables' cells and paragraphs are skipped, not built). Bytes are
//! deterministic: sheet names and columns come from the run's order and
//! sorted sets only, and the document's creation time is fixed.

use crate::align::report::Place;
use crate::align::{Alignment, Check, Finding};
use crate::error::{Error, Result};
use crate::extract::record::{
    Activity, Budget, DocumentInfo, Field, Indicator, IndicatorValue, ValueKind,
};
use crate::model::Provenance;
use rayon::prelude::*;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// The file name inside the output directory.
pub const FILE_NAME: &str = "review.xlsx";

/// Excel's last row index (1,048,576 rows).
const MAX_ROW: u32 = 1_048_575;
/// Excel's last column index (16,384 columns).
const MAX_COL: u16 = 16_383;
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// What a sheet holds, for the contents sheet and for readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub name: String,
    /// `alignment` or `check`.
    pub kind: &'static str,
    /// The report the sheet shows, relative to the output directory.
    pub report: String,
    pub findings: u64,
    pub by_severity: BTreeMap<String, u64>,
}

/// The bytes of `out/review.xlsx` for documents `documents` (output names:
/// `records/<name>.json`, `checks/<name>.json`) and pairs `pairs`
/// (`alignments/<name>.json`), both in the run's order, and the finding
/// sheets it holds. The caller writes them (a batch decides how a fault
/// of the disk is reported).
pub fn build(
    out: &Path,
    documents: &[String],
    pairs: &[String],
    pool: &rayon::ThreadPool,
) -> Result<(Vec<u8>, Vec<SheetInfo>)> {
    let path = out.join(FILE_NAME);
    let xlsx = |source: XlsxError| Error::Workbook {
        path: path.clone(),
        source,
    };
    // Parsing is the costly part and each file stands alone: in parallel,
    // collected in the run's order.
    let records: Vec<Result<Lean>> = pool.install(|| {
        documents
            .par_iter()
            .map(|n| read_json::<Lean>(&out.join("records").join(format!("{n}.json"))))
            .collect()
    });
    let checks: Vec<Result<Check>> = pool.install(|| {
        documents
            .par_iter()
            .map(|n| read_json::<Check>(&out.join("checks").join(format!("{n}.json"))))
            .collect()
    });
    let alignments: Vec<Result<Alignment>> = pool.install(|| {
        pairs
            .par_iter()
            .map(|n| read_json::<Alignment>(&out.join("alignments").join(format!("{n}.json"))))
            .collect()
    });
    let records = records.into_iter().collect::<Result<Vec<_>>>()?;
    let checks = checks.into_iter().collect::<Result<Vec<_>>>()?;
    let alignments = alignments.into_iter().collect::<Result<Vec<_>>>()?;

    let st = Styles::new();
    let mut names = SheetNames::default();
    for fixed in ["contents", "activities", "indicators", "budgets"] {
        names.claim(fixed);
    }
    // Names first, in the run's order (they must be unique across the
    // workbook); then every sheet is built on its own, in parallel.
    let mut jobs: Vec<FindingSheet> = Vec::with_capacity(pairs.len() + documents.len());
    for (name, al) in pairs.iter().zip(&alignments) {
        let (la, lb) = side_labels(&al.a.document, &al.b.document, &al.a.source, &al.b.source);
        jobs.push(FindingSheet {
            sheet: names.pair(name),
            kind: "alignment",
            report: format!("alignments/{name}.json"),
            findings: &al.findings,
            check: false,
            sides: [la, lb],
        });
    }
    for (name, c) in documents.iter().zip(&checks) {
        jobs.push(FindingSheet {
            sheet: names.check(name),
            kind: "check",
            report: format!("checks/{name}.json"),
            findings: &c.findings,
            check: true,
            sides: ["stated".to_string(), "against".to_string()],
        });
    }
    let infos: Vec<SheetInfo> = jobs
        .iter()
        .map(|j| info(&j.sheet, j.kind, j.report.clone(), j.findings))
        .collect();
    type Built = std::result::Result<Worksheet, XlsxError>;
    let ((items, finding_sheets), contents): ((Vec<Built>, Vec<Built>), Built) =
        pool.install(|| {
            rayon::join(
                || {
                    rayon::join(
                        || {
                            let (a, (i, b)) = rayon::join(
                                || activities_sheet(&records, &st),
                                || {
                                    rayon::join(
                                        || indicators_sheet(&records, &st),
                                        || budgets_sheet(&records, &st),
                                    )
                                },
                            );
                            vec![a, i, b]
                        },
                        || {
                            jobs.par_iter()
                                .map(|j| {
                                    let sides = [j.sides[0].as_str(), j.sides[1].as_str()];
                                    findings_sheet(&j.sheet, j.findings, j.check, sides, &st)
                                })
                                .collect()
                        },
                    )
                },
                || contents_sheet(&infos, &st),
            )
        });

    let mut wb = Workbook::new();
    // A fixed creation time: the same input gives the same bytes (the
    // workbook otherwise stamps the time it was saved).
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("planrec review")
            .set_creation_datetime(&epoch),
    );
    // Level 1: at the default 6, deflating was the largest part of the
    // workbook's cost; the file grows by about a half.
    wb.set_zip_compression_level(1);
    wb.push_worksheet(contents.map_err(xlsx)?);
    for ws in items.into_iter().chain(finding_sheets) {
        wb.push_worksheet(ws.map_err(xlsx)?);
    }
    let bytes = wb.save_to_buffer().map_err(xlsx)?;
    Ok((bytes, infos))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        reason: format!("unreadable output of a run: {e}"),
    })
}

fn info(sheet: &str, kind: &'static str, report: String, findings: &[Finding]) -> SheetInfo {
    let mut by_severity = BTreeMap::new();
    for f in findings {
        *by_severity.entry(f.severity.to_string()).or_insert(0) += 1;
    }
    SheetInfo {
        name: sheet.to_string(),
        kind,
        report,
        findings: findings.len() as u64,
        by_severity,
    }
}

/// A finding sheet to build: its name, its report and how to head it.
struct FindingSheet<'a> {
    sheet: String,
    kind: &'static str,
    report: String,
    findings: &'a [Finding],
    check: bool,
    sides: [String; 2],
}

/// A plan record as the workbook needs it: tables without their cells,
/// no paragraphs (serde skips what a type does not name).
#[derive(Deserialize)]
struct Lean {
    source: LeanSource,
    document: DocumentInfo,
    activities: Vec<Activity>,
    indicators: Vec<Indicator>,
    budgets: Vec<Budget>,
    tables: Vec<LeanTable>,
}

#[derive(Deserialize)]
struct LeanSource {
    path: String,
}

#[derive(Deserialize)]
struct LeanTable {
    id: String,
    role: String,
    provenance: Provenance,
}

// ---------------------------------------------------------------- styles

/// How bad a severity is, for the row colour.
#[derive(Clone, Copy)]
enum Band {
    /// A figure differs or is missing: the reviewer must look.
    Error,
    /// Structure, codes, extra items: worth a look.
    Warning,
    /// Only the writing differs (decimal comma against point).
    Format,
    Other,
}

fn band(severity: &str) -> Band {
    match severity {
        "format_only" => Band::Format,
        "code_mismatch" | "structure" | "extra" => Band::Warning,
        "numeric_mismatch" | "missing" => Band::Error,
        // The checks' own severities name what disagrees
        // (`total_mismatch`, `count_mismatch`, …).
        s if s.ends_with("_mismatch") => Band::Error,
        _ => Band::Other,
    }
}

struct Styles {
    header: Format,
    link: Format,
    error: Format,
    warning: Format,
    format: Format,
    other: Format,
}

impl Styles {
    fn new() -> Styles {
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            error: fill(0xFFC7CE),
            warning: fill(0xFFEB9C),
            format: fill(0xEDEDED),
            other: fill(0xDDEBF7),
        }
    }

    fn band(&self, b: Band) -> &Format {
        match b {
            Band::Error => &self.error,
            Band::Warning => &self.warning,
            Band::Format => &self.format,
            Band::Other => &self.other,
        }
    }
}

// ---------------------------------------------------------------- sheets

/// A sheet being filled row by row, within Excel's limits: rows past the
/// last one are counted and named in a closing note instead of failing.
struct Sheet<'a> {
    ws: Worksheet,
    row: u32,
    cols: u16,
    dropped: u64,
    /// The current row's format; `None` for a plain row.
    fmt: Option<&'a Format>,
}

/// One cell's value.
enum V<'a> {
    S(&'a str),
    O(Option<&'a str>),
    N(Option<f64>),
    I(Option<i64>),
    B(bool),
}

impl<'a> Sheet<'a> {
    fn new(name: &str, headers: &[(&str, f64)], st: &'a Styles) -> Result<Sheet<'a>, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        let cols = headers.len().min(MAX_COL as usize + 1) as u16;
        for (c, (h, width)) in headers.iter().take(cols as usize).enumerate() {
            ws.write_string_with_format(0, c as u16, clip(h), &st.header)?;
            ws.set_column_width(c as u16, *width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            ws,
            row: 0,
            cols,
            dropped: 0,
            fmt: None,
        })
    }

    /// Starts a row in format `fmt`; false once the sheet is full (the
    /// last row is kept for the note).
    fn next(&mut self, fmt: Option<&'a Format>) -> bool {
        if self.row + 1 >= MAX_ROW {
            self.dropped += 1;
            return false;
        }
        self.row += 1;
        self.fmt = fmt;
        true
    }

    fn put(&mut self, col: usize, v: V<'_>) -> Result<(), XlsxError> {
        if col >= self.cols as usize {
            return Ok(());
        }
        let (r, c, f) = (self.row, col as u16, self.fmt);
        let Some(f) = f else {
            // Unstyled rows: no format to look up per cell (the writer
            // hashes each one), and no cell at all where there is no value.
            match v {
                V::S(s) | V::O(Some(s)) if !s.is_empty() => {
                    self.ws.write_string(r, c, clip(s))?;
                }
                V::N(Some(n)) if n.is_finite() => {
                    self.ws.write_number(r, c, n)?;
                }
                V::I(Some(n)) => {
                    self.ws.write_number(r, c, n as f64)?;
                }
                V::B(b) => {
                    self.ws.write_boolean(r, c, b)?;
                }
                _ => {}
            }
            return Ok(());
        };
        match v {
            V::S(s) | V::O(Some(s)) if !s.is_empty() => {
                self.ws.write_string_with_format(r, c, clip(s), f)?;
            }
            V::N(Some(n)) if n.is_finite() => {
                self.ws.write_number_with_format(r, c, n, f)?;
            }
            V::I(Some(n)) => {
                self.ws.write_number_with_format(r, c, n as f64, f)?;
            }
            V::B(b) => {
                self.ws.write_boolean_with_format(r, c, b, f)?;
            }
            _ => {
                self.ws.write_blank(r, c, f)?;
            }
        }
        Ok(())
    }

    fn row(&mut self, fmt: Option<&'a Format>, values: Vec<V<'_>>) -> Result<(), XlsxError> {
        if !self.next(fmt) {
            return Ok(());
        }
        for (c, v) in values.into_iter().enumerate() {
            self.put(c, v)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        let last = self.cols.saturating_sub(1);
        self.ws.autofilter(0, 0, self.row, last)?;
        if self.dropped > 0 {
            let note = format!(
                "{} more rows not shown (Excel's limit of {} rows); see records.jsonl and the JSON reports",
                self.dropped,
                MAX_ROW + 1
            );
            self.ws.write_string(self.row + 1, 0, note)?;
        }
        Ok(self.ws)
    }
}

/// Text within Excel's limit on one cell (counted in UTF-16 units, as
/// Excel and the writer count it).
fn clip(s: &str) -> &str {
    // Fewer bytes than the limit: fewer units too (a unit takes at least
    // one byte), so the common case costs nothing.
    if s.len() <= MAX_CELL_CHARS {
        return s;
    }
    cut(s, MAX_CELL_CHARS)
}

fn contents_sheet(infos: &[SheetInfo], st: &Styles) -> Result<Worksheet, XlsxError> {
    let severities: BTreeSet<&str> = infos
        .iter()
        .flat_map(|i| i.by_severity.keys().map(String::as_str))
        .collect();
    let mut headers: Vec<(String, f64)> = vec![
        ("sheet".into(), 32.0),
        ("kind".into(), 10.0),
        ("report".into(), 60.0),
        ("findings".into(), 9.0),
    ];
    headers.extend(severities.iter().map(|s| (s.to_string(), 12.0)));
    let h: Vec<(&str, f64)> = headers.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    let mut sh = Sheet::new("contents", &h, st)?;
    for i in infos {
        if !sh.next(None) {
            continue;
        }
        // Internal links need the sheet name quoted; names never hold an
        // apostrophe (see `SheetNames`), so no escaping is needed.
        let url = Url::new(format!("internal:'{}'!A1", i.name)).set_text(&i.name);
        sh.ws.write_url_with_format(sh.row, 0, url, &st.link)?;
        sh.put(1, V::S(i.kind))?;
        sh.put(2, V::S(&i.report))?;
        sh.put(3, V::I(Some(i.findings as i64)))?;
        for (k, s) in severities.iter().enumerate() {
            let n = i.by_severity.get(*s).copied().unwrap_or(0);
            sh.put(4 + k, V::I(Some(n as i64)))?;
        }
    }
    sh.finish()
}

/// Column labels of the two sides of a pair: language and script, and the
/// format where those are the same.
fn side_labels(
    a: &DocumentInfo,
    b: &DocumentInfo,
    sa: &crate::extract::record::SourceInfo,
    sb: &crate::extract::record::SourceInfo,
) -> (String, String) {
    let lang = |d: &DocumentInfo| match (&d.language, &d.script) {
        (Some(l), Some(s)) => format!("{l}-{s}"),
        (Some(l), None) => l.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => String::new(),
    };
    let (mut la, mut lb) = (lang(a), lang(b));
    if la == lb {
        la = format!("{la} {}", sa.format).trim().to_string();
        lb = format!("{lb} {}", sb.format).trim().to_string();
    }
    if la == lb {
        // Same language and format: only the side tells them apart.
        la = format!("A {la}").trim().to_string();
        lb = format!("B {lb}").trim().to_string();
    }
    (la, lb)
}

fn findings_sheet(
    name: &str,
    findings: &[Finding],
    check: bool,
    sides: [&str; 2],
    st: &Styles,
) -> Result<Worksheet, XlsxError> {
    let mut headers: Vec<(String, f64)> = vec![
        ("id".into(), 6.0),
        ("severity".into(), 18.0),
        ("kind".into(), 14.0),
    ];
    if check {
        headers.push(("confidence".into(), 11.0));
        headers.push(("expected".into(), 14.0));
        headers.push(("found".into(), 14.0));
    }
    headers.push(("context".into(), 50.0));
    headers.push(("detail".into(), 50.0));
    for s in sides {
        headers.push((format!("{s} raw"), 16.0));
        headers.push((format!("{s} value"), 14.0));
        headers.push((format!("{s} place"), 22.0));
        headers.push((format!("{s} context"), 40.0));
    }
    let h: Vec<(&str, f64)> = headers.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    let mut sh = Sheet::new(name, &h, st)?;
    for f in findings {
        let fmt = st.band(band(f.severity.as_str()));
        let mut v = vec![V::S(&f.id), V::S(f.severity.as_str()), V::S(&f.kind)];
        if check {
            v.push(V::N(f.confidence));
            v.push(V::N(f.expected));
            v.push(V::N(f.found));
        }
        v.push(V::S(&f.context));
        v.push(V::S(&f.detail));
        let places = [f.a.as_ref().map(place_of), f.b.as_ref().map(place_of)];
        for (p, text) in [&f.a, &f.b].into_iter().zip(&places) {
            v.push(V::O(p.as_ref().map(|p| p.raw.as_str())));
            v.push(V::N(p.as_ref().and_then(|p| p.value)));
            v.push(V::O(text.as_deref()));
            v.push(V::O(p.as_ref().map(|p| p.context.as_str())));
        }
        sh.row(Some(fmt), v)?;
    }
    sh.finish()
}

fn place_of(p: &Place) -> String {
    place(&p.provenance)
}

/// A place as the JSON states it: lines 1-based, table, row and cell
/// 0-based (the header of every place column says so).
fn place(p: &Provenance) -> String {
    let mut parts = Vec::new();
    if let Some(part) = &p.part {
        parts.push(part.clone());
    }
    if let Some([a, b]) = p.line {
        parts.push(if a == b {
            format!("line {a}")
        } else {
            format!("lines {a}-{b}")
        });
    }
    for [t, r, c] in &p.path {
        parts.push(format!("table {t} row {r} cell {c} >"));
    }
    match (p.table, p.row, p.cell) {
        (Some(t), Some(r), Some(c)) => parts.push(format!("table {t} row {r} cell {c}")),
        (Some(t), Some(r), None) => parts.push(format!("table {t} row {r}")),
        (Some(t), None, _) => parts.push(format!("table {t}")),
        _ => {}
    }
    if p.table.is_none()
        && p.line.is_none()
        && let Some(b) = p.block
    {
        parts.push(format!("block {b}"));
    }
    if let Some(cp) = p.char_pos {
        parts.push(format!("char {cp}"));
    }
    parts.join(", ")
}

/// The plan key and provenance columns every item sheet starts and ends
/// with.
const KEY_HEADERS: [(&str, f64); 7] = [
    ("document", 36.0),
    ("municipality", 16.0),
    ("municipality_id", 16.0),
    ("period_from", 11.0),
    ("period_to", 11.0),
    ("language", 9.0),
    ("script", 7.0),
];
const PLACE_HEADERS: [(&str, f64); 5] = [
    ("line", 7.0),
    ("table", 7.0),
    ("row", 7.0),
    ("cell", 7.0),
    ("place (lines 1-based; table, row, cell 0-based)", 30.0),
];

fn key_values(r: &Lean) -> Vec<V<'_>> {
    let d = &r.document;
    let p = d.period.as_ref();
    vec![
        V::S(&r.source.path),
        V::O(d.municipality.as_deref()),
        V::O(d.municipality_id.as_deref()),
        V::I(p.and_then(|p| p.from).map(i64::from)),
        V::I(p.and_then(|p| p.to).map(i64::from)),
        V::O(d.language.as_deref()),
        V::O(d.script.as_deref()),
    ]
}

fn place_values(p: &Provenance) -> Vec<V<'static>> {
    let n = |x: Option<usize>| V::I(x.map(|x| x as i64));
    vec![
        V::I(p.line.map(|[a, _]| i64::from(a))),
        n(p.table),
        n(p.row),
        n(p.cell),
    ]
}

fn headers<'h>(middle: &[(&'h str, f64)]) -> Vec<(&'h str, f64)> {
    let mut h = KEY_HEADERS.to_vec();
    h.extend_from_slice(middle);
    h.extend_from_slice(&PLACE_HEADERS);
    h
}

/// The typed parts of one activity field found anywhere in the run, so a
/// column exists only where some plan has a value for it.
#[derive(Default, Clone, Copy)]
struct FieldParts {
    institutions: bool,
    period: bool,
    money: bool,
}

/// One column of the activities sheet after the fixed ones.
enum FieldCol {
    Raw(String),
    Institutions(String),
    From(String),
    To(String),
    Value(String),
    Scale(String),
    Currency(String),
    Amount(String),
}

fn activities_sheet(records: &[Lean], st: &Styles) -> Result<Worksheet, XlsxError> {
    let mut fields: BTreeMap<&str, FieldParts> = BTreeMap::new();
    for r in records {
        for a in &r.activities {
            for (k, f) in &a.fields {
                let p = fields.entry(k.as_str()).or_default();
                p.institutions |= !f.institutions.is_empty();
                p.period |= f.period.is_some();
                p.money |= f.money.is_some();
            }
        }
    }
    let mut cols = Vec::new();
    for (k, p) in &fields {
        let k = k.to_string();
        cols.push(FieldCol::Raw(k.clone()));
        if p.institutions {
            cols.push(FieldCol::Institutions(k.clone()));
        }
        if p.period {
            cols.push(FieldCol::From(k.clone()));
            cols.push(FieldCol::To(k.clone()));
        }
        if p.money {
            cols.push(FieldCol::Value(k.clone()));
            cols.push(FieldCol::Scale(k.clone()));
            cols.push(FieldCol::Currency(k.clone()));
            cols.push(FieldCol::Amount(k));
        }
    }
    let names: Vec<(String, f64)> = cols
        .iter()
        .map(|c| match c {
            FieldCol::Raw(k) => (k.clone(), 30.0),
            FieldCol::Institutions(k) => (format!("{k} institutions"), 30.0),
            FieldCol::From(k) => (format!("{k} from"), 9.0),
            FieldCol::To(k) => (format!("{k} to"), 9.0),
            FieldCol::Value(k) => (format!("{k} value"), 14.0),
            FieldCol::Scale(k) => (format!("{k} scale"), 8.0),
            FieldCol::Currency(k) => (format!("{k} currency"), 9.0),
            FieldCol::Amount(k) => (format!("{k} amount"), 16.0),
        })
        .collect();
    let mut middle: Vec<(&str, f64)> = vec![
        ("id", 6.0),
        ("parent", 8.0),
        ("parent_ids", 10.0),
        ("code", 8.0),
        ("text", 60.0),
        ("text_latn", 60.0),
    ];
    middle.extend(names.iter().map(|(s, w)| (s.as_str(), *w)));
    let mut sh = Sheet::new("activities", &headers(&middle), st)?;
    for r in records {
        for a in &r.activities {
            let parents = a.parent_ids.join(" ");
            let texts: Vec<String> = cols
                .iter()
                .map(|c| match c {
                    FieldCol::Institutions(k) => a
                        .fields
                        .get(k)
                        .map(|f| f.institutions.join("; "))
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .collect();
            let mut v = key_values(r);
            v.extend([
                V::S(&a.id),
                V::O(a.parent.as_deref()),
                V::S(&parents),
                V::O(a.code.as_deref()),
                V::S(&a.text.original),
                V::S(&a.text.latn),
            ]);
            for (c, text) in cols.iter().zip(&texts) {
                v.push(field_value(c, &a.fields, text));
            }
            v.extend(place_values(&a.provenance));
            let place = place(&a.provenance);
            v.push(V::S(&place));
            sh.row(None, v)?;
        }
    }
    sh.finish()
}

fn field_value<'a>(c: &FieldCol, fields: &'a BTreeMap<String, Field>, text: &'a str) -> V<'a> {
    let key = match c {
        FieldCol::Raw(k)
        | FieldCol::Institutions(k)
        | FieldCol::From(k)
        | FieldCol::To(k)
        | FieldCol::Value(k)
        | FieldCol::Scale(k)
        | FieldCol::Currency(k)
        | FieldCol::Amount(k) => k,
    };
    let Some(f) = fields.get(key) else {
        return V::O(None);
    };
    let money = f.money.as_ref();
    match c {
        FieldCol::Raw(_) => V::S(&f.raw),
        FieldCol::Institutions(_) => V::S(text),
        FieldCol::From(_) => V::I(f.period.and_then(|p| p.from).map(i64::from)),
        FieldCol::To(_) => V::I(f.period.and_then(|p| p.to).map(i64::from)),
        FieldCol::Value(_) => V::N(money.and_then(|m| m.value)),
        FieldCol::Scale(_) => V::I(money.map(|m| i64::from(m.scale))),
        FieldCol::Currency(_) => V::O(money.and_then(|m| m.currency.as_deref())),
        FieldCol::Amount(_) => V::N(money.and_then(|m| m.value.map(|v| v * f64::from(m.scale)))),
    }
}

/// The slot of an indicator value in the indicators sheet: its kind, then
/// its year (values without a year first).
type Slot = (u8, Option<i32>);

fn slot(v: &IndicatorValue) -> Slot {
    let k = match v.kind {
        ValueKind::Baseline => 0,
        ValueKind::Target => 1,
        ValueKind::Actual => 2,
    };
    (k, v.year)
}

/// One row per indicator, its values across: a column per kind and year
/// found in the run ("baseline 2023", "target 2026"), holding the number,
/// or the cell's text where it states none. A second value for a slot
/// the row already filled goes to `more values`, with its header, so
/// nothing the plan states is lost.
fn indicators_sheet(records: &[Lean], st: &Styles) -> Result<Worksheet, XlsxError> {
    let slots: BTreeSet<Slot> = records
        .iter()
        .flat_map(|r| &r.indicators)
        .flat_map(|i| i.values.iter().map(slot))
        .collect();
    let names: Vec<String> = slots
        .iter()
        .map(|&(k, y)| {
            let kind = ["baseline", "target", "actual"][usize::from(k.min(2))];
            match y {
                Some(y) => format!("{kind} {y}"),
                None => kind.to_string(),
            }
        })
        .collect();
    let mut middle: Vec<(&str, f64)> = vec![
        ("id", 6.0),
        ("parent", 8.0),
        ("parent_id", 9.0),
        ("name", 50.0),
        ("name_latn", 50.0),
        ("unit", 10.0),
        ("source", 24.0),
    ];
    middle.extend(names.iter().map(|n| (n.as_str(), 12.0)));
    middle.push(("more values", 30.0));
    let column: BTreeMap<Slot, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, KEY_HEADERS.len() + 7 + i))
        .collect();
    let more_col = KEY_HEADERS.len() + middle.len() - 1;
    let mut sh = Sheet::new("indicators", &headers(&middle), st)?;
    for r in records {
        for i in &r.indicators {
            let mut v = key_values(r);
            v.extend([
                V::S(&i.id),
                V::O(i.parent.as_deref()),
                V::O(i.parent_id.as_deref()),
                V::S(&i.name.original),
                V::S(&i.name.latn),
                V::O(i.unit.as_deref()),
                V::O(i.source.as_deref()),
            ]);
            if !sh.next(None) {
                continue;
            }
            for (c, x) in v.into_iter().enumerate() {
                sh.put(c, x)?;
            }
            let mut filled = BTreeSet::new();
            let mut more = Vec::new();
            for val in &i.values {
                let s = slot(val);
                match column.get(&s) {
                    Some(&c) if filled.insert(s) => match val.value {
                        Some(n) => sh.put(c, V::N(Some(n)))?,
                        None => sh.put(c, V::S(&val.raw))?,
                    },
                    _ => more.push(format!(
                        "{} ({}): {}",
                        kind_name(val.kind),
                        val.header,
                        val.raw
                    )),
                }
            }
            let more = more.join("; ");
            sh.put(more_col, V::S(&more))?;
            let base = more_col + 1;
            for (k, x) in place_values(&i.provenance).into_iter().enumerate() {
                sh.put(base + k, x)?;
            }
            let place = place(&i.provenance);
            sh.put(base + 4, V::S(&place))?;
        }
    }
    sh.finish()
}

fn kind_name(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Baseline => "baseline",
        ValueKind::Target => "target",
        ValueKind::Actual => "actual",
    }
}

fn budgets_sheet(records: &[Lean], st: &Styles) -> Result<Worksheet, XlsxError> {
    let middle = [
        ("id", 6.0),
        ("parent", 8.0),
        ("activity", 9.0),
        ("activity_id", 10.0),
        ("label", 40.0),
        ("source", 24.0),
        ("source_kind", 11.0),
        ("year", 7.0),
        ("raw", 16.0),
        ("value", 14.0),
        ("scale", 7.0),
        ("amount", 16.0),
        ("currency", 9.0),
        ("is_total", 8.0),
        ("table_id", 8.0),
        ("table_role", 11.0),
    ];
    let mut sh = Sheet::new("budgets", &headers(&middle), st)?;
    for r in records {
        // A budget's table, by its place among the document's tables.
        let tables: BTreeMap<(Option<usize>, &[[usize; 3]]), &LeanTable> = r
            .tables
            .iter()
            .map(|t| ((t.provenance.table, t.provenance.path.as_slice()), t))
            .collect();
        for b in &r.budgets {
            let table = b
                .provenance
                .table
                .and_then(|_| tables.get(&(b.provenance.table, b.provenance.path.as_slice())));
            let mut v = key_values(r);
            v.extend([
                V::S(&b.id),
                V::O(b.parent.as_deref()),
                V::O(b.activity.as_deref()),
                V::O(b.activity_id.as_deref()),
                V::O(b.label.as_deref()),
                V::O(b.source.as_deref()),
                V::O(b.source_kind.as_deref()),
                V::I(b.year.map(i64::from)),
                V::S(&b.raw),
                V::N(b.value),
                V::I(Some(i64::from(b.scale))),
                // Computed here: the amount the entry states, in currency
                // units.
                V::N(b.value.map(|v| v * f64::from(b.scale))),
                V::O(b.currency.as_deref()),
                V::B(b.is_total),
                V::O(table.map(|t| t.id.as_str())),
                V::O(table.map(|t| t.role.as_str())),
            ]);
            v.extend(place_values(&b.provenance));
            let place = place(&b.provenance);
            v.push(V::S(&place));
            sh.row(None, v)?;
        }
    }
    sh.finish()
}

// ---------------------------------------------------------------- names

/// Sheet names: at most 31 UTF-16 units, none of `[]:*?/\` or `'`, unique
/// regardless of case (as Excel compares them), made from the pair or
/// document name in the run's order, so the same run gives the same names.
#[derive(Default)]
struct SheetNames {
    taken: HashSet<String>,
}

impl SheetNames {
    fn claim(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// `P ` and the pair's name, the part both documents' names share
    /// shortened first, so what tells the sides apart stays readable.
    fn pair(&mut self, pair: &str) -> String {
        let (a, b) = pair.split_once('+').unwrap_or((pair, ""));
        let a = clean(a);
        let b = clean(b);
        let shared: usize = a
            .chars()
            .zip(b.chars())
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum();
        // Back to the last separator, so `…_sq` and `…_sr` keep their
        // whole language tags.
        let shared = a[..shared]
            .rfind(['_', '-', ' ', '.', '+'])
            .map_or(0, |i| i + 1);
        let (common, ra, rb) = (&a[..shared], &a[shared..], &b[shared..]);
        let rest = format!("{ra}+{rb}");
        let room = 29usize;
        let body = if utf16(&rest) + 4 <= room {
            format!("{}{rest}", fit(common, room - utf16(&rest)))
        } else {
            let half = (room - 1) / 2;
            format!("{}+{}", fit(&a, half), fit(&b, room - 1 - half))
        };
        self.unique(format!("P {body}"))
    }

    fn check(&mut self, doc: &str) -> String {
        self.unique(format!("C {}", fit(&clean(doc), 29)))
    }

    fn unique(&mut self, name: String) -> String {
        let name = name.trim_end().to_string();
        let mut candidate = name.clone();
        let mut n = 2u64;
        while self.taken.contains(&candidate.to_lowercase()) {
            let suffix = format!("~{n}");
            candidate = format!("{}{suffix}", cut(&name, 31 - suffix.len()));
            n += 1;
        }
        self.claim(&candidate);
        candidate
    }
}

/// A name without the characters Excel forbids in sheet names (and
/// without apostrophes, which would need quoting in links).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The first `max` UTF-16 units' worth of whole characters.
fn cut(s: &str, max: usize) -> &str {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        n += c.len_utf16();
        if n > max {
            return &s[..i];
        }
    }
    s
}

/// `s` in at most `max` UTF-16 units: its start and end around a `~`.
fn fit(s: &str, max: usize) -> String {
    if utf16(s) <= max {
        return s.to_string();
    }
    if max < 3 {
        return cut(s, max).to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let chars: Vec<char> = s.chars().collect();
    let mut end = String::new();
    let mut n = 0;
    for c in chars.iter().rev() {
        if n + c.len_utf16() > tail {
            break;
        }
        n += c.len_utf16();
        end.insert(0, *c);
    }
    format!("{}~{end}", cut(s, head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_unique_and_clean() {
        let mut n = SheetNames::default();
        n.claim("contents");
        let p = n.pair("mitrovica-south_2024-2026_sq-Latn+mitrovica-south_2024-2026_sr-Latn");
        assert!(utf16(&p) <= 31, "{p}");
        assert!(p.ends_with("_sq-Latn+sr-Latn"), "{p}");
        let c1 = n.check("a/b:c*d?[e]'f");
        assert_eq!(c1, "C a_b_c_d__e__f");
        let long = "ljubovija_2026-2028_sr-Cyrl_a_very_long_name_indeed";
        let c2 = n.check(long);
        let c3 = n.check(&long.to_uppercase());
        assert!(utf16(&c2) <= 31 && utf16(&c3) <= 31);
        assert_ne!(c2.to_lowercase(), c3.to_lowercase());
        assert!(c3.ends_with("~2"), "{c3}");
        // Non-BMP characters count two units each, as Excel counts them.
        let e = n.check(&"😀".repeat(40));
        assert!(utf16(&e) <= 31, "{e}");
    }

    #[test]
    fn severities_fall_in_bands() {
        assert!(matches!(band("numeric_mismatch"), Band::Error));
        assert!(matches!(band("total_mismatch"), Band::Error));
        assert!(matches!(band("code_mismatch"), Band::Warning));
        assert!(matches!(band("format_only"), Band::Format));
        assert!(matches!(band("something_new"), Band::Other));
    }

    #[test]
    fn places_say_what_the_json_says() {
        let p = Provenance {
            table: Some(3),
            row: Some(1),
            cell: Some(1),
            ..Provenance::default()
        };
        assert_eq!(place(&p), "table 3 row 1 cell 1");
        assert_eq!(place(&Provenance::lines(4, 6)), "lines 4-6");
    }

    #[test]
    fn long_cells_are_clipped_to_excels_limit() {
        let s = "ж".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(clip(&s).chars().count(), MAX_CELL_CHARS);
        // Characters outside the BMP count two units each.
        let e = "😀".repeat(MAX_CELL_CHARS);
        assert_eq!(utf16(clip(&e)), MAX_CELL_CHARS - 1);
    }
}
