//! The output directory of a run: one writer at a time, atomic files, and a
//! `summary.json` that exists only when a run finished.
//!
//! [`OutDir::open`] takes an exclusive lock on `<out>/.planrec.lock` (an
//! advisory file lock the system drops when the process ends, however it
//! ends, so a killed run never leaves the directory locked); a second run
//! into the same directory is refused with a message naming it. The lock
//! file itself stays: removing it would let a third run lock a new file
//! while the second still holds the old one. Then the previous
//! `summary.json` is removed (synced, so a crash cannot bring it back) and
//! the temporary files of any earlier, interrupted run are deleted.
//!
//! Every write goes through emit's one writer ([`crate::emit::write`]): a
//! temporary name, then a rename; an error of the machine rather than of an
//! input (no space, file too large, read-only file system) is
//! [`Error::Environment`], which stops the run.

use crate::emit::write::{is_temporary, sync_dir};
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Subdirectories a run owns (stale files in them are removed).
pub const SUBDIRS: [&str; 3] = ["records", "checks", "alignments"];

/// Name of the lock file in an output directory.
pub const LOCK: &str = ".planrec.lock";

/// An output directory held by this process.
#[derive(Debug)]
pub struct OutDir {
    pub path: PathBuf,
    _lock: std::fs::File,
}

impl OutDir {
    /// Creates and locks `out`, removes the previous `summary.json` and the
    /// temporary files of earlier runs, and checks that it is writable.
    pub fn open(out: &Path) -> Result<OutDir> {
        for sub in SUBDIRS {
            let d = out.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| Error::write(&d, e))?;
        }
        let lp = out.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lp)
            .map_err(|e| Error::write(&lp, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "{}: another planrec run is writing this output directory; wait for it or choose another with -o",
                    out.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::write(&lp, e)),
        }
        let dir = OutDir {
            path: out.to_path_buf(),
            _lock: file,
        };
        let summary = out.join("summary.json");
        match std::fs::remove_file(&summary) {
            Ok(()) => sync_dir(out),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::write(&summary, e)),
        }
        // `tables/` too: its CSV files are written under temporary names.
        let dirs = SUBDIRS.iter().chain(&["tables"]).map(|s| out.join(s));
        for d in std::iter::once(out.to_path_buf()).chain(dirs) {
            remove_temporaries(&d)?;
        }
        super::rows::reset(out)?;
        // Probe now, so an unwritable output is one clear fatal error rather
        // than a failure per document.
        let probe = out.join(".planrec-write-probe");
        crate::emit::write_bytes(&probe, b"", false)?;
        std::fs::remove_file(&probe).map_err(|e| Error::write(&probe, e))?;
        Ok(dir)
    }

    pub fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        self.path.join(p)
    }
}

/// Removes temporary files an interrupted run left in `dir` (the lock is
/// held, so no live run is writing them).
fn remove_temporaries(dir: &Path) -> Result<()> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in rd.flatten() {
        let name = e.file_name();
        if e.file_type().is_ok_and(|t| t.is_file()) && is_temporary(&name.to_string_lossy()) {
            let p = e.path();
            std::fs::remove_file(&p).map_err(|e| Error::write(&p, e))?;
        }
    }
    Ok(())
}

/// Removes what an earlier run left in [`SUBDIRS`] and this run did not
/// write (`keep` holds file names relative to `out`).
pub fn remove_stale(out: &Path, keep: &BTreeSet<PathBuf>) -> Result<()> {
    for sub in SUBDIRS {
        let dir = out.join(sub);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_file())
                && !keep.contains(&PathBuf::from(sub).join(e.file_name()))
            {
                std::fs::remove_file(&p).map_err(|e| Error::write(&p, e))?;
            }
        }
    }
    Ok(())
}
