//! The flat tables' rows of a run, made by the workers while a record,
//! its check or an alignment is in memory, instead of by parsing every
//! JSON output again at the end.
//!
//! Each document's (and each pair's) rows go to a small fragment file under
//! `OUT/.planrec-rows/` ([`emit::tables::Rows::to_fragment`]), so memory
//! stays bounded by the thread count whatever the number of documents;
//! [`write_tables`] appends the fragments in path order (documents, then
//! pairs), which gives the same bytes for any `-j` and the same bytes as
//! rows made from the files on disk, and removes the directory.

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

/// Empties the fragments' directory (an interrupted run may have left
/// fragments behind) and makes it ready for this run's.
pub(super) fn reset(out: &Path) -> Result<()> {
    let dir = out.join(DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::write(&dir, e)),
    }
    for d in [docs(out), pairs(out)] {
        std::fs::create_dir_all(&d).map_err(|e| Error::write(&d, e))?;
    }
    Ok(())
}

/// Writes the rows of one document: its record and its check's findings.
pub(super) fn document(out: &Path, name: &str, record: &PlanRecord, check: &Check) -> Result<()> {
    let mut rows = Rows::of_record(&RecordRef::from(record))?;
    rows.add_check(check, &format!("checks/{name}.json"))?;
    emit::write_bytes(&docs(out).join(name), &rows.to_fragment()?, false)
}

/// Writes the rows of one pair's alignment findings.
pub(super) fn pair(out: &Path, name: &str, al: &Alignment) -> Result<()> {
    let rows = Rows::of_alignment(al, &format!("alignments/{name}.json"))?;
    emit::write_bytes(&pairs(out).join(name), &rows.to_fragment()?, false)
}

/// `OUT/tables/*.csv` from the fragments of `names` (in path order) and
/// `pair_names`, then the fragments' directory goes.
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
    t.finish()?;
    let dir = out.join(DIR);
    std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))
}
