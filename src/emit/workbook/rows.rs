//! The workbook's rows of one document (its activities, indicators, budgets
//! and check findings) or one pair (its alignment findings), made by the
//! worker that has the record, check or alignment in memory.
//!
//! Values are what the JSON outputs say (the record written beside them),
//! so the workbook says what the reports say without reading them again.

use super::frag::{At, Enc, HAS_INSTITUTIONS, HAS_MONEY, HAS_PERIOD, Part, Section, Slot, Val};
use super::names::clip;
use crate::align::report::Place;
use crate::align::{Alignment, Check, Finding};
use crate::extract::PlanRecord;
use crate::extract::record::{DocumentInfo, IndicatorValue, SourceInfo, ValueKind};
use crate::model::Provenance;
use std::collections::{BTreeMap, BTreeSet};

/// The plan key columns every item sheet starts with.
pub(super) const KEY_HEADERS: [(&str, f64); 7] = [
    ("document", 36.0),
    ("municipality", 16.0),
    ("municipality_id", 16.0),
    ("period_from", 11.0),
    ("period_to", 11.0),
    ("language", 9.0),
    ("script", 7.0),
];
/// The provenance columns every item sheet ends with.
pub(super) const PLACE_HEADERS: [(&str, f64); 5] = [
    ("line", 7.0),
    ("table", 7.0),
    ("row", 7.0),
    ("cell", 7.0),
    ("place (lines 1-based; table, row, cell 0-based)", 30.0),
];
/// Activities: the fixed columns between the key and the fields.
pub(super) const ACTIVITY_HEADERS: [(&str, f64); 6] = [
    ("id", 6.0),
    ("parent", 8.0),
    ("parent_ids", 10.0),
    ("code", 8.0),
    ("text", 60.0),
    ("text_latn", 60.0),
];
/// Indicators: the fixed columns between the key and the values.
pub(super) const INDICATOR_HEADERS: [(&str, f64); 7] = [
    ("id", 6.0),
    ("parent", 8.0),
    ("parent_id", 9.0),
    ("name", 50.0),
    ("name_latn", 50.0),
    ("unit", 10.0),
    ("source", 24.0),
];
pub(super) const BUDGET_HEADERS: [(&str, f64); 16] = [
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

const KEY: u16 = KEY_HEADERS.len() as u16;

/// A string cell (clipped to Excel's limit here, so fragments stay small);
/// empty text is no value.
fn s(v: &str) -> Val<'_> {
    if v.is_empty() {
        Val::Blank
    } else {
        Val::Str(clip(v))
    }
}

fn o(v: Option<&str>) -> Val<'_> {
    v.map_or(Val::Blank, s)
}

/// A number cell; what Excel cannot hold is no value.
fn n(v: Option<f64>) -> Val<'static> {
    match v {
        Some(x) if x.is_finite() => Val::Num(x),
        _ => Val::Blank,
    }
}

fn i<T: Into<f64>>(v: Option<T>) -> Val<'static> {
    n(v.map(Into::into))
}

fn u(v: Option<usize>) -> Val<'static> {
    n(v.map(|x| x as f64))
}

/// A row of a plain sheet: an empty cell is not written at all.
struct Plain<'s>(&'s mut Section);

impl Plain<'_> {
    fn put(&mut self, at: At, v: Val<'_>) {
        if v != Val::Blank {
            self.0.put(at, v);
        }
    }
}

/// The slot of an indicator value: its kind, then its year.
pub(super) fn slot(v: &IndicatorValue) -> Slot {
    let k = match v.kind {
        ValueKind::Baseline => 0,
        ValueKind::Target => 1,
        ValueKind::Actual => 2,
    };
    (k, v.year)
}

pub(super) fn kind_name(k: u8) -> &'static str {
    ["baseline", "target", "actual"][usize::from(k.min(2))]
}

fn key_cells(r: &mut Plain<'_>, rec: &PlanRecord) {
    let d = &rec.document;
    let p = d.period.as_ref();
    r.put(At::Col(0), s(&rec.source.path));
    r.put(At::Col(1), o(d.municipality.as_deref()));
    r.put(At::Col(2), o(d.municipality_id.as_deref()));
    r.put(At::Col(3), i(p.and_then(|p| p.from)));
    r.put(At::Col(4), i(p.and_then(|p| p.to)));
    r.put(
        At::Col(5),
        o(d.language.map(crate::normalize::lang::Language::code)),
    );
    r.put(
        At::Col(6),
        o(d.script.map(crate::extract::record::DocScript::as_str)),
    );
}

/// The four place columns and the place in words, from column `at(0)`.
fn place_cells(r: &mut Plain<'_>, p: &Provenance, at: impl Fn(u16) -> At) {
    r.put(at(0), i(p.line.map(|[a, _]| a)));
    r.put(at(1), u(p.table));
    r.put(at(2), u(p.row));
    r.put(at(3), u(p.cell));
    let words = place(p);
    r.put(at(4), s(&words));
}

/// The rows of one document: head (its fields with their typed parts and
/// its indicator slots), then its activities, indicators, budgets and
/// check findings.
pub fn document(rec: &PlanRecord, check: &Check) -> Vec<u8> {
    let (head, index) = document_head(rec);
    let mut out = Enc::default();
    out.u64(head.buf.len() as u64);
    out.buf.extend_from_slice(&head.buf);
    for sec in [
        activity_rows(rec, &index),
        indicator_rows(rec),
        budget_rows(rec),
    ] {
        sec.finish(&mut out);
    }
    findings(&check.findings, true).finish(&mut out);
    out.buf
}

/// A document's head (the fields its activities have, each with the typed
/// parts some activity gives it, then its indicator slots), and each
/// field's index in that list, which the activity rows refer to.
fn document_head(rec: &PlanRecord) -> (Enc, BTreeMap<&str, u32>) {
    let mut fields: BTreeMap<&str, u8> = BTreeMap::new();
    for a in &rec.activities {
        for (k, f) in &a.fields {
            let m = fields.entry(k.as_str()).or_default();
            if !f.institutions.is_empty() {
                *m |= HAS_INSTITUTIONS;
            }
            if f.period.is_some() {
                *m |= HAS_PERIOD;
            }
            if f.money.is_some() {
                *m |= HAS_MONEY;
            }
        }
    }
    let slots: BTreeSet<Slot> = rec
        .indicators
        .iter()
        .flat_map(|i| i.values.iter().map(slot))
        .collect();
    let mut head = Enc::default();
    head.u32(fields.len() as u32);
    for (k, m) in &fields {
        head.str(k);
        head.u8(*m);
    }
    head.u32(slots.len() as u32);
    for s in &slots {
        head.slot(*s);
    }
    let index = fields.keys().zip(0u32..).map(|(k, i)| (*k, i)).collect();
    (head, index)
}

fn activity_rows(rec: &PlanRecord, index: &BTreeMap<&str, u32>) -> Section {
    let mut acts = Section::default();
    for a in &rec.activities {
        acts.row(None);
        let mut r = Plain(&mut acts);
        key_cells(&mut r, rec);
        let parents = a.parent_ids.join(" ");
        let fixed = [
            s(&a.id),
            o(a.parent.as_deref()),
            s(&parents),
            o(a.code.as_deref()),
            s(&a.text.original),
            s(&a.text.latn),
        ];
        for (c, v) in (KEY..).zip(fixed) {
            r.put(At::Col(c), v);
        }
        for (k, f) in &a.fields {
            let Some(&x) = index.get(k.as_str()) else {
                continue;
            };
            r.put(At::Field(x, Part::Raw), s(&f.raw));
            let inst = f.institutions.join("; ");
            r.put(At::Field(x, Part::Institutions), s(&inst));
            if let Some(p) = f.period {
                r.put(At::Field(x, Part::From), i(p.from));
                r.put(At::Field(x, Part::To), i(p.to));
            }
            if let Some(m) = &f.money {
                r.put(At::Field(x, Part::Value), n(m.value));
                r.put(At::Field(x, Part::Scale), i(Some(m.scale)));
                r.put(At::Field(x, Part::Currency), o(m.currency.as_deref()));
                // The amount in currency units, as the budgets sheet states it.
                r.put(
                    At::Field(x, Part::Amount),
                    n(m.value.map(|v| v * f64::from(m.scale))),
                );
            }
        }
        place_cells(&mut r, &a.provenance, At::Tail);
    }
    acts
}

fn indicator_rows(rec: &PlanRecord) -> Section {
    let mut inds = Section::default();
    for ind in &rec.indicators {
        inds.row(None);
        let mut r = Plain(&mut inds);
        key_cells(&mut r, rec);
        let fixed = [
            s(&ind.id),
            o(ind.parent.as_deref()),
            o(ind.parent_id.as_deref()),
            s(&ind.name.original),
            s(&ind.name.latn),
            o(ind.unit.as_deref()),
            o(ind.source.as_deref()),
        ];
        for (c, v) in (KEY..).zip(fixed) {
            r.put(At::Col(c), v);
        }
        // The first value of a slot fills its column; a second one goes to
        // `more values` with its header, so nothing the plan states is lost.
        let mut filled = BTreeSet::new();
        let mut more = Vec::new();
        for val in &ind.values {
            let sl = slot(val);
            if filled.insert(sl) {
                let v = match val.value {
                    Some(x) => n(Some(x)),
                    None => s(&val.raw),
                };
                r.put(At::Slot(sl), v);
            } else {
                more.push(format!("{} ({}): {}", kind_name(sl.0), val.header, val.raw));
            }
        }
        let more = more.join("; ");
        r.put(At::Tail(0), s(&more));
        place_cells(&mut r, &ind.provenance, |c| At::Tail(c + 1));
    }
    inds
}

fn budget_rows(rec: &PlanRecord) -> Section {
    let mut buds = Section::default();
    // A budget's table, by its place among the document's tables.
    type TableKey<'a> = (Option<usize>, &'a [[usize; 3]]);
    let tables: BTreeMap<TableKey<'_>, (&str, &str)> = rec
        .tables
        .iter()
        .map(|t| {
            (
                (t.provenance.table, t.provenance.path.as_slice()),
                (t.id.as_str(), t.role.as_str()),
            )
        })
        .collect();
    let base = KEY + BUDGET_HEADERS.len() as u16;
    for b in &rec.budgets {
        buds.row(None);
        let mut r = Plain(&mut buds);
        key_cells(&mut r, rec);
        let table = b
            .provenance
            .table
            .and_then(|_| tables.get(&(b.provenance.table, b.provenance.path.as_slice())));
        let fixed = [
            s(&b.id),
            o(b.parent.as_deref()),
            o(b.activity.as_deref()),
            o(b.activity_id.as_deref()),
            o(b.label.as_deref()),
            o(b.source.as_deref()),
            o(b.source_kind
                .map(crate::extract::record::SourceKind::as_str)),
            i(b.year),
            s(&b.raw),
            n(b.value),
            i(Some(b.scale)),
            // The amount the entry states, in currency units.
            n(b.value.map(|v| v * f64::from(b.scale))),
            o(b.currency.as_deref()),
            Val::Bool(b.is_total),
            o(table.map(|t| t.0)),
            o(table.map(|t| t.1)),
        ];
        for (c, v) in (KEY..).zip(fixed) {
            r.put(At::Col(c), v);
        }
        place_cells(&mut r, &b.provenance, |c| At::Col(base + c));
    }
    buds
}

/// The rows of one pair: its side labels, then its findings.
pub fn pair(al: &Alignment) -> Vec<u8> {
    let (la, lb) = side_labels(&al.a.document, &al.b.document, &al.a.source, &al.b.source);
    let mut head = Enc::default();
    head.str(&la);
    head.str(&lb);
    let mut out = Enc::default();
    out.u64(head.buf.len() as u64);
    out.buf.extend_from_slice(&head.buf);
    findings(&al.findings, false).finish(&mut out);
    out.buf
}

/// How bad a severity is, for the row colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Band {
    /// A figure differs or is missing: the reviewer must look.
    Error = 0,
    /// Structure, codes, extra items: worth a look.
    Warning,
    /// Only the writing differs (decimal comma against point).
    Format,
    Other,
}

pub(super) const BANDS: [Band; 4] = [Band::Error, Band::Warning, Band::Format, Band::Other];

pub(super) fn band(severity: &str) -> Band {
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

/// Finding rows: every cell written (an empty one blank, in the row's
/// colour).
fn findings(list: &[Finding], check: bool) -> Section {
    let mut sec = Section::default();
    for f in list {
        let sev = f.severity.as_str();
        sec.row(Some((band(sev) as u8, sev)));
        let mut c = 0u16;
        let mut put = |v: Val<'_>| {
            sec.put(At::Col(c), v);
            c += 1;
        };
        put(s(&f.id));
        put(s(sev));
        put(s(f.kind.as_str()));
        if check {
            put(n(f.confidence));
            put(n(f.expected));
            put(n(f.found));
        }
        put(s(&f.context));
        put(s(&f.detail));
        for p in [&f.a, &f.b] {
            put(o(p.as_ref().map(|p| p.raw.as_str())));
            put(n(p.as_ref().and_then(|p| p.value)));
            let words = p.as_ref().map(place_of);
            put(o(words.as_deref()));
            put(o(p.as_ref().map(|p| p.context.as_str())));
        }
    }
    sec
}

fn place_of(p: &Place) -> String {
    place(&p.provenance)
}

/// Column labels of the two sides of a pair: language and script, and the
/// format where those are the same.
fn side_labels(
    a: &DocumentInfo,
    b: &DocumentInfo,
    sa: &SourceInfo,
    sb: &SourceInfo,
) -> (String, String) {
    let lang = |d: &DocumentInfo| match (
        d.language.map(crate::normalize::lang::Language::code),
        d.script.map(crate::extract::record::DocScript::as_str),
    ) {
        (Some(l), Some(s)) => format!("{l}-{s}"),
        (Some(l), None) => l.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => String::new(),
    };
    let (mut la, mut lb) = (lang(a), lang(b));
    if la == lb {
        la = format!("{la} {}", sa.format.as_str()).trim().to_string();
        lb = format!("{lb} {}", sb.format.as_str()).trim().to_string();
    }
    if la == lb {
        // Same language and format: only the side tells them apart.
        la = format!("A {la}").trim().to_string();
        lb = format!("B {lb}").trim().to_string();
    }
    (la, lb)
}

/// A place as the JSON states it: lines 1-based, table, row and cell
/// 0-based (the header of every place column says so).
pub(super) fn place(p: &Provenance) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_fall_in_bands() {
        assert_eq!(band("numeric_mismatch"), Band::Error);
        assert_eq!(band("total_mismatch"), Band::Error);
        assert_eq!(band("code_mismatch"), Band::Warning);
        assert_eq!(band("format_only"), Band::Format);
        assert_eq!(band("something_new"), Band::Other);
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
}
