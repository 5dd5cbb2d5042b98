//! `review.xlsx`: the run's findings and items as one Excel workbook for
//! reviewers who work in a spreadsheet.
//!
//! In: one fragment per document and per pair, made by the workers while
//! the record, check or alignment was in memory ([`document_rows`],
//! [`pair_rows`]), and the run's names in its order. Out: one workbook with
//! a `contents` sheet (every other sheet, linked, with its counts per
//! severity), the `activities`, `indicators` and `budgets` of the whole
//! run, one sheet per aligned pair (`P …`) and one per checked plan
//! (`C …`) with their findings.
//!
//! [`write`](fn@write) reads every fragment's head (the activity fields and
//! indicator slots it has, which decide the columns), then every fragment
//! once, in the run's order. The item sheets, whose rows grow with every
//! plan, stream into constant-memory worksheets (one row in memory, the
//! rest in a temporary file). So do the finding sheets of at least
//! `STREAM_MIN_ROWS` rows, up to `STREAMED_SHEETS` of them: a
//! constant-memory sheet keeps a file open until the save, and a sheet
//! per plan and pair would run a large batch out of file handles. Smaller
//! finding sheets, those past that number, and `contents` are ordinary
//! worksheets held until the save. Bytes are deterministic:
//! sheet names and columns come from the run's order and sorted sets only,
//! and the document's creation time is fixed.
//!
//! Files: `frag.rs` the fragments' bytes, `rows.rs` the rows of a record,
//! check or alignment, `sheets.rs` formats and the row writer, `names.rs`
//! sheet names and Excel's cell limit.

mod frag;
mod names;
mod rows;
mod sheets;

pub use rows::{document as document_rows, pair as pair_rows};

use crate::emit::AtomicFile;
use crate::error::{Error, Result};
use frag::{At, Dec, HAS_INSTITUTIONS, HAS_MONEY, HAS_PERIOD, PARTS, Part, Slot, Val};
use names::SheetNames;
use rows::{
    ACTIVITY_HEADERS, BUDGET_HEADERS, INDICATOR_HEADERS, KEY_HEADERS, PLACE_HEADERS, kind_name,
};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Url, Workbook, Worksheet, XlsxError};
use sheets::{Sheet, Styles};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file name inside the output directory.
pub const FILE_NAME: &str = "review.xlsx";

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

/// One document's or pair's fragment: its output name and where the
/// worker parked its rows.
pub struct Fragment<'a> {
    pub name: &'a str,
    pub fragment: PathBuf,
}

/// Writes `path` (`OUT/review.xlsx`) from the fragments of `documents` and
/// `pairs`, both in the run's order; the worksheets' temporary files go
/// to `tempdir` (beside the output, not the system's temporary space).
/// Returns the finding sheets it holds.
pub fn write(
    path: &Path,
    documents: &[Fragment<'_>],
    pairs: &[Fragment<'_>],
    tempdir: &Path,
) -> Result<Vec<SheetInfo>> {
    let xlsx = |source: XlsxError| Error::Workbook {
        path: path.to_path_buf(),
        source,
    };
    let cols = Columns::of(documents)?;
    let mut wb = new_workbook(tempdir).map_err(xlsx)?;
    let st = Styles::new();
    let mut names = SheetNames::default();
    for fixed in ["contents", "activities", "indicators", "budgets"] {
        names.claim(fixed);
    }
    // Names in the run's order, pairs first (they must be unique across
    // the workbook, so the order decides the `~2`s).
    let pair_sheets: Vec<String> = pairs.iter().map(|p| names.pair(p.name)).collect();
    let check_sheets: Vec<String> = documents.iter().map(|d| names.check(d.name)).collect();
    let mut items = ItemSheets::new(&mut wb, &cols, &st).map_err(xlsx)?;
    let mut made = FindingSheets {
        wb: &mut wb,
        streamed: 0,
    };

    // Pairs first: the contents list them first, as the sheets stand, and
    // their sheets, the larger ones, get the streamed sheets first.
    let mut infos = Vec::with_capacity(pairs.len() + documents.len());
    let mut pair_ws = Vec::with_capacity(pairs.len());
    for (p, sheet) in pairs.iter().zip(&pair_sheets) {
        let (ws, info) = pair_sheet(path, p, sheet, &mut made, &st)?;
        pair_ws.push(ws);
        infos.push(info);
    }
    let mut check_ws = Vec::with_capacity(documents.len());
    for (d, sheet) in documents.iter().zip(&check_sheets) {
        let (ws, info) = document_sheets(path, d, sheet, &cols, &mut items, &mut made, &st)?;
        check_ws.push(ws);
        infos.push(info);
    }
    let contents = contents_sheet(Worksheet::new(), &infos, &st).map_err(xlsx)?;
    wb.push_worksheet(contents);
    for s in [items.acts, items.inds, items.buds] {
        wb.push_worksheet(s.finish().map_err(xlsx)?);
    }
    for ws in pair_ws.into_iter().chain(check_ws) {
        wb.push_worksheet(ws);
    }
    let mut file = AtomicFile::create(path)?;
    wb.save_to_writer(file.writer()).map_err(xlsx)?;
    file.commit(false)?;
    Ok(infos)
}

/// Finding sheets of at least this many rows stream through a temporary
/// file; smaller ones cost less held in memory than a file costs.
const STREAM_MIN_ROWS: u32 = 8;
/// At most this many finding sheets stream (each holds a file handle
/// until the save; a process may often open only 1,024, on macOS 256);
/// the rest are held in memory.
const STREAMED_SHEETS: usize = 200;

/// Makes each finding sheet, streamed or held (see [`STREAM_MIN_ROWS`]).
struct FindingSheets<'w> {
    wb: &'w mut Workbook,
    streamed: usize,
}

impl FindingSheets<'_> {
    fn sheet(&mut self, rows: u32) -> std::result::Result<Worksheet, XlsxError> {
        if rows < STREAM_MIN_ROWS || self.streamed >= STREAMED_SHEETS {
            return Ok(Worksheet::new());
        }
        self.streamed += 1;
        // Low memory: rows go to the file as they end, strings to the
        // workbook's shared table (the findings repeat kinds, severities
        // and places; inline, each copy was escaped and compressed again,
        // which cost more than the sheets held whole).
        self.wb.new_worksheet_with_low_memory()
    }
}

/// The columns the run decides, from every document's head: the
/// activity fields and their parts, the indicator slots.
struct Columns {
    act: ActivityCols,
    /// An indicator slot's column, and the slots' headers in that order.
    slot_col: BTreeMap<Slot, usize>,
    slot_names: Vec<String>,
    /// The first indicator column after the slots.
    ind_tail: usize,
}

impl Columns {
    fn of(documents: &[Fragment<'_>]) -> Result<Columns> {
        let mut fields: BTreeMap<String, u8> = BTreeMap::new();
        let mut slots: BTreeSet<Slot> = BTreeSet::new();
        for d in documents {
            let head = read_head(&d.fragment)?;
            let mut h = Dec::new(&head, &d.fragment);
            for (k, m) in doc_fields(&mut h)? {
                *fields.entry(k.to_string()).or_default() |= m;
            }
            for _ in 0..h.u32()? {
                slots.insert(h.slot()?);
            }
        }
        let first_slot = KEY_HEADERS.len() + INDICATOR_HEADERS.len();
        Ok(Columns {
            act: ActivityCols::new(&fields),
            slot_col: (slots.iter().enumerate())
                .map(|(i, s)| (*s, first_slot + i))
                .collect(),
            slot_names: slots
                .iter()
                .map(|&(k, y)| match y {
                    Some(y) => format!("{} {y}", kind_name(k)),
                    None => kind_name(k).to_string(),
                })
                .collect(),
            ind_tail: first_slot + slots.len(),
        })
    }
}

/// A workbook whose bytes depend on its content only.
fn new_workbook(tempdir: &Path) -> std::result::Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_tempdir(tempdir)?;
    // A fixed creation time: the same input gives the same bytes (the
    // workbook otherwise stamps the time it was saved).
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("planrec review")
            .set_creation_datetime(&epoch),
    );
    // Level 1: at the default 6, deflating was the largest part of the
    // workbook's cost; the file grows by about a half.
    wb.set_zip_compression_level(1);
    Ok(wb)
}

/// The three sheets of the whole run's items, streamed.
struct ItemSheets<'a> {
    acts: Sheet<'a>,
    inds: Sheet<'a>,
    buds: Sheet<'a>,
}

impl<'a> ItemSheets<'a> {
    fn new(
        wb: &mut Workbook,
        cols: &Columns,
        st: &'a Styles,
    ) -> std::result::Result<ItemSheets<'a>, XlsxError> {
        let mut ind_mid: Vec<(&str, f64)> = INDICATOR_HEADERS.to_vec();
        ind_mid.extend(cols.slot_names.iter().map(|n| (n.as_str(), 12.0)));
        ind_mid.push(("more values", 30.0));
        let act_mid: Vec<(&str, f64)> = ACTIVITY_HEADERS
            .iter()
            .copied()
            .chain(cols.act.names.iter().map(|(s, w)| (s.as_str(), *w)))
            .collect();
        let mut sheet = |name: &str, mid: &[(&str, f64)]| {
            Sheet::new(
                wb.new_worksheet_with_constant_memory()?,
                name,
                &headers(mid),
                st,
            )
        };
        Ok(ItemSheets {
            acts: sheet("activities", &act_mid)?,
            inds: sheet("indicators", &ind_mid)?,
            buds: sheet("budgets", &BUDGET_HEADERS)?,
        })
    }
}

/// One document's fragment: its items onto the item sheets, its check
/// findings into a sheet of their own.
fn document_sheets(
    path: &Path,
    d: &Fragment<'_>,
    sheet: &str,
    cols: &Columns,
    items: &mut ItemSheets<'_>,
    made: &mut FindingSheets<'_>,
    st: &Styles,
) -> Result<(Worksheet, SheetInfo)> {
    let bytes = std::fs::read(&d.fragment).map_err(|e| Error::io(&d.fragment, e))?;
    let mut f = Dec::new(&bytes, &d.fragment);
    let head_len = usize::try_from(f.u64()?).map_err(|_| f.bad())?;
    let mut h = Dec::new(f.take(head_len)?, &d.fragment);
    // This document's field list, mapped to the run's columns.
    let local: Vec<[Option<usize>; 8]> = doc_fields(&mut h)?
        .into_iter()
        .map(|(k, _)| cols.act.cols.get(k).copied().unwrap_or([None; 8]))
        .collect();
    let at_act = |at: At| match at {
        At::Col(c) => Some(usize::from(c)),
        At::Field(i, p) => local.get(i as usize).and_then(|c| c[p as usize]),
        At::Tail(c) => Some(cols.act.tail + usize::from(c)),
        At::Slot(_) => None,
    };
    plain_rows(&mut f, &mut items.acts, at_act).map_err(|e| e.at(path))?;
    let at_ind = |at: At| match at {
        At::Col(c) => Some(usize::from(c)),
        At::Slot(s) => cols.slot_col.get(&s).copied(),
        At::Tail(c) => Some(cols.ind_tail + usize::from(c)),
        At::Field(..) => None,
    };
    plain_rows(&mut f, &mut items.inds, at_ind).map_err(|e| e.at(path))?;
    let at_bud = |at: At| match at {
        At::Col(c) => Some(usize::from(c)),
        _ => None,
    };
    plain_rows(&mut f, &mut items.buds, at_bud).map_err(|e| e.at(path))?;
    let h = finding_headers(true, ["stated", "against"]);
    let (ws, info) = finding_sheet(&mut f, made, sheet, &h, st).map_err(|e| e.at(path))?;
    if !f.is_empty() {
        return Err(f.bad());
    }
    let info = SheetInfo {
        kind: "check",
        report: format!("checks/{}.json", d.name),
        ..info
    };
    Ok((ws, info))
}

/// One pair's fragment: its alignment findings, the sides headed by their
/// labels.
fn pair_sheet(
    path: &Path,
    p: &Fragment<'_>,
    sheet: &str,
    made: &mut FindingSheets<'_>,
    st: &Styles,
) -> Result<(Worksheet, SheetInfo)> {
    let bytes = std::fs::read(&p.fragment).map_err(|e| Error::io(&p.fragment, e))?;
    let mut f = Dec::new(&bytes, &p.fragment);
    let head_len = usize::try_from(f.u64()?).map_err(|_| f.bad())?;
    let mut h = Dec::new(f.take(head_len)?, &p.fragment);
    let sides = [h.str()?, h.str()?];
    let hd = finding_headers(false, sides);
    let (ws, info) = finding_sheet(&mut f, made, sheet, &hd, st).map_err(|e| e.at(path))?;
    if !f.is_empty() {
        return Err(f.bad());
    }
    let info = SheetInfo {
        kind: "alignment",
        report: format!("alignments/{}.json", p.name),
        ..info
    };
    Ok((ws, info))
}

/// A fragment's head alone (its length, then the head), for the columns.
fn read_head(path: &Path) -> Result<Vec<u8>> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut len = [0u8; 8];
    f.read_exact(&mut len).map_err(|e| Error::io(path, e))?;
    let len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| bad(path))?;
    let mut head = Vec::new();
    f.take(len as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    if head.len() != len {
        return Err(bad(path));
    }
    Ok(head)
}

fn bad(path: &Path) -> Error {
    Dec::new(&[], path).bad()
}

fn doc_fields<'a>(h: &mut Dec<'a>) -> Result<Vec<(&'a str, u8)>> {
    let n = h.u32()?;
    let mut v = Vec::new();
    for _ in 0..n {
        v.push((h.str()?, h.u8()?));
    }
    Ok(v)
}

/// A fragment's fault, or the writer's while writing its rows.
enum RowError {
    Frag(Error),
    Xlsx(XlsxError),
}

impl From<Error> for RowError {
    fn from(e: Error) -> RowError {
        RowError::Frag(e)
    }
}

impl From<XlsxError> for RowError {
    fn from(e: XlsxError) -> RowError {
        RowError::Xlsx(e)
    }
}

impl RowError {
    fn at(self, path: &Path) -> Error {
        match self {
            RowError::Frag(e) => e,
            RowError::Xlsx(source) => Error::Workbook {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

/// One section of plain rows into `sh`, each cell placed by `at`.
fn plain_rows(
    f: &mut Dec<'_>,
    sh: &mut Sheet<'_>,
    at: impl Fn(At) -> Option<usize>,
) -> std::result::Result<(), RowError> {
    for _ in 0..f.u32()? {
        let cells = f.u16()?;
        let open = sh.next(None)?;
        for _ in 0..cells {
            let (a, v) = f.cell()?;
            if let (true, Some(c)) = (open, at(a)) {
                sh.put(c, v)?;
            }
        }
    }
    Ok(())
}

/// A finding sheet from one section of finding rows, and its counts.
fn finding_sheet(
    f: &mut Dec<'_>,
    made: &mut FindingSheets<'_>,
    name: &str,
    headers: &[(String, f64)],
    st: &Styles,
) -> std::result::Result<(Worksheet, SheetInfo), RowError> {
    let h: Vec<(&str, f64)> = headers.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    let n = f.u32()?;
    let mut sh = Sheet::new(made.sheet(n)?, name, &h, st)?;
    let mut by_severity: BTreeMap<String, u64> = BTreeMap::new();
    for _ in 0..n {
        let fmt = st.band_of(f.u8()?).ok_or_else(|| f.bad())?;
        let sev = f.str()?;
        match by_severity.get_mut(sev) {
            Some(c) => *c += 1,
            None => {
                by_severity.insert(sev.to_string(), 1);
            }
        }
        let cells = f.u16()?;
        let open = sh.next(Some(fmt))?;
        for _ in 0..cells {
            let (a, v) = f.cell()?;
            if let (true, At::Col(c)) = (open, a) {
                sh.put(usize::from(c), v)?;
            }
        }
    }
    let info = SheetInfo {
        name: name.to_string(),
        kind: "",
        report: String::new(),
        findings: u64::from(n),
        by_severity,
    };
    Ok((sh.finish()?, info))
}

fn finding_headers(check: bool, sides: [&str; 2]) -> Vec<(String, f64)> {
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
    headers
}

fn contents_sheet(ws: Worksheet, infos: &[SheetInfo], st: &Styles) -> Result<Worksheet, XlsxError> {
    let severities: BTreeSet<&str> = infos
        .iter()
        .flat_map(|i| i.by_severity.keys().map(String::as_str))
        .collect();
    let mut h: Vec<(&str, f64)> = vec![
        ("sheet", 32.0),
        ("kind", 10.0),
        ("report", 60.0),
        ("findings", 9.0),
    ];
    h.extend(severities.iter().map(|s| (*s, 12.0)));
    let mut sh = Sheet::new(ws, "contents", &h, st)?;
    for i in infos {
        if !sh.next(None)? {
            continue;
        }
        // Internal links need the sheet name quoted; names never hold an
        // apostrophe (see `SheetNames`), so no escaping is needed.
        let url = Url::new(format!("internal:'{}'!A1", i.name)).set_text(&i.name);
        sh.ws.write_url_with_format(sh.row, 0, url, &st.link)?;
        sh.put(1, Val::Str(i.kind))?;
        sh.put(2, Val::Str(&i.report))?;
        sh.put(3, Val::Num(i.findings as f64))?;
        for (k, s) in severities.iter().enumerate() {
            let n = i.by_severity.get(*s).copied().unwrap_or(0);
            sh.put(4 + k, Val::Num(n as f64))?;
        }
    }
    sh.finish()
}

fn headers<'h>(middle: &[(&'h str, f64)]) -> Vec<(&'h str, f64)> {
    let mut h = KEY_HEADERS.to_vec();
    h.extend_from_slice(middle);
    h.extend_from_slice(&PLACE_HEADERS);
    h
}

/// The activities sheet's columns after the fixed ones: per field found
/// in the run, its raw text and the typed parts some plan has.
struct ActivityCols {
    names: Vec<(String, f64)>,
    /// A field's column per part (`None`: no plan has that part).
    cols: BTreeMap<String, [Option<usize>; 8]>,
    /// The first column after them.
    tail: usize,
}

impl ActivityCols {
    fn new(fields: &BTreeMap<String, u8>) -> ActivityCols {
        let first = KEY_HEADERS.len() + ACTIVITY_HEADERS.len();
        let mut names = Vec::new();
        let mut cols = BTreeMap::new();
        let mut next = first;
        for (k, &m) in fields {
            let mut at = [None; 8];
            for p in PARTS {
                let has = match p {
                    Part::Raw => true,
                    Part::Institutions => m & HAS_INSTITUTIONS != 0,
                    Part::From | Part::To => m & HAS_PERIOD != 0,
                    Part::Value | Part::Scale | Part::Currency | Part::Amount => m & HAS_MONEY != 0,
                };
                if !has {
                    continue;
                }
                let (name, width) = match p {
                    Part::Raw => (k.clone(), 30.0),
                    Part::Institutions => (format!("{k} institutions"), 30.0),
                    Part::From => (format!("{k} from"), 9.0),
                    Part::To => (format!("{k} to"), 9.0),
                    Part::Value => (format!("{k} value"), 14.0),
                    Part::Scale => (format!("{k} scale"), 8.0),
                    Part::Currency => (format!("{k} currency"), 9.0),
                    Part::Amount => (format!("{k} amount"), 16.0),
                };
                names.push((name, width));
                at[p as usize] = Some(next);
                next += 1;
            }
            cols.insert(k.clone(), at);
        }
        ActivityCols {
            names,
            cols,
            tail: next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_sheets_stream_when_large_and_within_the_file_budget() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = new_workbook(dir.path()).unwrap();
        let mut made = FindingSheets {
            wb: &mut wb,
            streamed: 0,
        };
        let mut sheets = vec![made.sheet(STREAM_MIN_ROWS - 1).unwrap()];
        assert_eq!(made.streamed, 0, "a small sheet is held");
        for _ in 0..STREAMED_SHEETS + 3 {
            sheets.push(made.sheet(STREAM_MIN_ROWS).unwrap());
        }
        assert_eq!(made.streamed, STREAMED_SHEETS, "files within the budget");
        // Each streamed sheet holds its temporary file while it lives
        // (until the save): what the budget bounds.
        if let Ok(d) = std::fs::read_dir("/proc/self/fd") {
            let n = d.count();
            assert!(n >= STREAMED_SHEETS, "{n} files open");
        }
        drop(sheets);
    }
}
