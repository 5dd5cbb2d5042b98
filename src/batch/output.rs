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
//! Every write goes to a temporary name and is renamed; an error of the
//! machine rather than of an input (no space, file too large, read-only
//! file system) is [`Error::Environment`], which stops the run.

use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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
        for d in std::iter::once(out.to_path_buf()).chain(SUBDIRS.iter().map(|s| out.join(s))) {
            remove_temporaries(&d)?;
        }
        // Probe now, so an unwritable output is one clear fatal error rather
        // than a failure per document.
        let probe = out.join(".planrec-write-probe");
        write_bytes(&probe, b"")?;
        std::fs::remove_file(&probe).map_err(|e| Error::write(&probe, e))?;
        Ok(dir)
    }

    pub fn join(&self, p: impl AsRef<Path>) -> PathBuf {
        self.path.join(p)
    }
}

/// Whether a file name is one of our temporary names (`.<name>.tmp.<pid>.<n>`).
fn is_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some((_, tail)) = rest.rsplit_once(".tmp.") else {
        return false;
    };
    let mut parts = tail.split('.');
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
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

/// Makes a removal or rename in `dir` durable (best effort: not every
/// file system can sync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes `value` as canonical JSON (serde_json's pretty layout and a final
/// newline) atomically, streaming rather than building the text first.
pub fn write_json_stream<T: Serialize>(path: &Path, value: &T, durable: bool) -> Result<()> {
    write_stream(path, durable, |w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_stream(path, false, |w| w.write_all(bytes))
}

static TMP: AtomicU64 = AtomicU64::new(0);

/// Atomic write through a buffered writer: temporary file, then rename.
/// Only `durable` writes are flushed to disk before the rename: syncing
/// every per-document file cost more than the extraction itself, and an
/// interrupted run is simply run again.
pub fn write_stream(
    path: &Path,
    durable: bool,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.tmp.{}.{}",
        std::process::id(),
        TMP.fetch_add(1, Ordering::Relaxed)
    ));
    let r = (|| {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?);
        f(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if durable {
            file.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if durable {
            sync_dir(dir);
        }
        Ok(())
    })();
    r.map_err(|e: std::io::Error| {
        let _ = std::fs::remove_file(&tmp);
        Error::write(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_exactly() {
        assert!(is_temporary(".records.jsonl.tmp.123.4"));
        assert!(is_temporary(".a.json.tmp.1.0"));
        assert!(!is_temporary("records.jsonl"));
        assert!(!is_temporary(".a.tmp.x.1"));
        assert!(!is_temporary(".a.tmp.1"));
        assert!(!is_temporary(".planrec.lock"));
    }
}
