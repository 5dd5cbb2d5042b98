//! The flat tables' rows of a run, made by the workers while a record,
//! its check or an alignment is in memory, instead of by parsing every
//! JSON output again at the end.
//!
//! Each document's (and each pair's) rows go to a small fragment file under
//! `OUT/.planrec-rows/` ([`emit::tables::Rows::to_fragment`]), so memory
//! stays bounded by the thread count whatever the number of documents;
//! [`write_tables`] appends the fragments in path order (documents, then
//! pairs), which gives the same bytes for any `-j` and the same bytes as
//! rows made from the files on disk. With `--workbook` the workers park the
//! workbook's rows beside them ([`emit::workbook::document_rows`]), and
//! [`write_workbook`] streams them into `review.xlsx`. [`remove`] ends the
//! directory once both are written.

use crate::align::{Alignment, Check};
use crate::emit::{
    self,
    tables::{RecordRef, Rows, Tables},
};
use crate::error::{Error, Result};
use crate::extract::PlanRecord;
use std::path::{Path, PathBuf};

/// The fragments' directory under a run's output.
pub const DIR: &str = ".planrec-rows";

fn docs(out: &Path) -> PathBuf {
    out.join(DIR).join("docs")
}

fn pairs(out: &Path) -> PathBuf {
    out.join(DIR).join("pairs")
}

fn wb_docs(out: &Path) -> PathBuf {
    out.join(DIR).join("wb-docs")
}

fn wb_pairs(out: &Path) -> PathBuf {
    out.join(DIR).join("wb-pairs")
}

/// Empties the fragments' directory (an interrupted run may have left
/// fragments behind) and makes it ready for this run's.
pub(super) fn reset(out: &Path) -> Result<()> {
    let dir = out.join(DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::write(&dir, e)),
    }
    for d in [docs(out), pairs(out), wb_docs(out), wb_pairs(out)] {
        std::fs::create_dir_all(&d).map_err(|e| Error::write(&d, e))?;
    }
    Ok(())
}

/// Writes the rows of one document: its record and its check's findings.
pub(super) fn document(
    norm: &crate::normalize::Norm,
    out: &Path,
    name: &str,
    record: &PlanRecord,
    check: &Check,
) -> Result<()> {
    let mut rows = Rows::of_record(norm, &RecordRef::from(record))?;
    rows.add_check(check, &format!("checks/{name}.json"))?;
    emit::write_bytes(&docs(out).join(name), &rows.to_fragment()?, false)
}

/// Writes the rows of one pair's alignment findings.
pub(super) fn pair(out: &Path, name: &str, al: &Alignment) -> Result<()> {
    let rows = Rows::of_alignment(al, &format!("alignments/{name}.json"))?;
    emit::write_bytes(&pairs(out).join(name), &rows.to_fragment()?, false)
}

/// The workbook's rows of one document (`--workbook`).
pub(super) fn workbook_document(
    out: &Path,
    name: &str,
    record: &PlanRecord,
    check: &Check,
) -> Result<()> {
    let rows = emit::workbook::document_rows(record, check);
    emit::write_bytes(&wb_docs(out).join(name), &rows, false)
}

/// The workbook's rows of one pair (`--workbook`).
pub(super) fn workbook_pair(out: &Path, name: &str, al: &Alignment) -> Result<()> {
    emit::write_bytes(
        &wb_pairs(out).join(name),
        &emit::workbook::pair_rows(al),
        false,
    )
}

/// `OUT/review.xlsx` from the workbook fragments of `names` and
/// `pair_names` (in the run's order).
pub(super) fn write_workbook(out: &Path, names: &[&str], pair_names: &[&str]) -> Result<()> {
    use emit::workbook::Fragment;
    let (d, p) = (wb_docs(out), wb_pairs(out));
    let docs: Vec<Fragment<'_>> = names
        .iter()
        .map(|n| Fragment {
            name: n,
            fragment: d.join(n),
        })
        .collect();
    let pairs: Vec<Fragment<'_>> = pair_names
        .iter()
        .map(|n| Fragment {
            name: n,
            fragment: p.join(n),
        })
        .collect();
    let path = out.join(emit::workbook::FILE_NAME);
    emit::workbook::write(&path, &docs, &pairs, &out.join(DIR))?;
    Ok(())
}

/// The fragments' directory goes once the tables and the workbook are
/// written.
pub(super) fn remove(out: &Path) -> Result<()> {
    let dir = out.join(DIR);
    std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))
}

/// `OUT/tables/*.csv` from the fragments of `names` (in path order) and
/// `pair_names`.
pub(super) fn write_tables(out: &Path, names: &[&str], pair_names: &[&str]) -> Result<()> {
    let mut t = Tables::create(&out.join("tables"))?;
    let (d, p) = (docs(out), pairs(out));
    let files = names
        .iter()
        .map(|n| d.join(n))
        .chain(pair_names.iter().map(|n| p.join(n)));
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| Error::io(&f, e))?;
        t.append_fragment(&bytes, &f)?;
    }
    t.finish()
}
