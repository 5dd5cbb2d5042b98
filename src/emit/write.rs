//! The one atomic writer. Every file planrec writes — a run's records,
//! checks, pages, tables, workbook and summary, and the CLI's outputs —
//! goes to a temporary name in its target directory
//! (`.<name>.tmp.<pid>.<n>`, see [`is_temporary`]) and is renamed into
//! place, so a reader never sees half a file and an interrupted run leaves
//! only names the next run knows to remove.

use super::Indented;
use crate::error::{Error, Result};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TMP: AtomicU64 = AtomicU64::new(0);

/// A file being written under a temporary name; [`AtomicFile::commit`]
/// renames it into place, dropping it uncommitted removes it.
pub struct AtomicFile {
    path: PathBuf,
    w: BufWriter<File>,
    tmp: TempName,
}

/// Removes the temporary file unless it was renamed.
struct TempName {
    path: PathBuf,
    live: bool,
}

impl Drop for TempName {
    fn drop(&mut self) {
        if self.live {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

impl AtomicFile {
    /// Starts writing `path` (its directory must exist).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Unique per process and call, so parallel writers never share one.
        let tmp = dir_of(path).join(format!(
            ".{name}.tmp.{}.{}",
            std::process::id(),
            TMP.fetch_add(1, Ordering::Relaxed)
        ));
        let f = File::create(&tmp).map_err(|e| Error::write(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            // Large enough that a typical record is one system call.
            w: BufWriter::with_capacity(256 * 1024, f),
            tmp: TempName {
                path: tmp,
                live: true,
            },
        })
    }

    /// The target path (for error messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The buffered writer of the temporary file.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.w
    }

    /// Flushes and renames the file into place. Only `durable` writes are
    /// synced to disk first (with their directory): syncing every
    /// per-document file of a run cost more than the extraction itself,
    /// and an interrupted run is simply run again.
    pub fn commit(self, durable: bool) -> Result<()> {
        let AtomicFile { path, w, mut tmp } = self;
        let r = (|| {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            if durable {
                file.sync_all()?;
            }
            drop(file);
            std::fs::rename(&tmp.path, &path)
        })();
        r.map_err(|e| Error::write(&path, e))?;
        tmp.live = false;
        if durable {
            sync_dir(dir_of(&path));
        }
        Ok(())
    }
}

/// Makes a removal or rename in `dir` durable (best effort: not every
/// file system can sync a directory).
pub fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Whether a file name is one of [`AtomicFile`]'s temporary names
/// (`.<name>.tmp.<pid>.<n>`).
pub fn is_temporary(name: &str) -> bool {
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

/// Writes `path` atomically with what `f` writes.
pub fn write_with(
    path: &Path,
    durable: bool,
    f: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    f(file.writer()).map_err(|e| Error::write(path, e))?;
    file.commit(durable)
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    write_with(path, durable, |w| w.write_all(bytes))
}

/// Writes `value` as canonical JSON ([`super::canonical_json`]'s bytes)
/// atomically, streaming rather than building the text first. A value
/// JSON cannot hold is [`Error::Serialize`] and leaves no file.
pub fn write_json_to<T: Serialize + ?Sized>(path: &Path, value: &T, durable: bool) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    let mut ser = serde_json::Serializer::with_formatter(file.writer(), Indented::default());
    if let Err(e) = value.serialize(&mut ser) {
        return Err(if e.is_io() {
            Error::write(path, e.into())
        } else {
            Error::Serialize {
                path: path.to_path_buf(),
                source: e,
            }
        });
    }
    file.writer()
        .write_all(b"\n")
        .map_err(|e| Error::write(path, e))?;
    file.commit(durable)
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

    #[test]
    fn our_temporary_names_are_recognised() {
        let d = std::env::temp_dir().join(format!("planrec-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let f = AtomicFile::create(&d.join("x.csv")).unwrap();
        let names: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(is_temporary(&names[0]), "{names:?}");
        // Dropped uncommitted: nothing stays.
        drop(f);
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn streamed_json_is_the_canonical_bytes() {
        let d = std::env::temp_dir().join(format!("planrec-write-json-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let v = serde_json::json!({"a": [1, 2.5, {"b": []}], "c": "x\"y"});
        let p = d.join("v.json");
        write_json_to(&p, &v, false).unwrap();
        assert_eq!(
            std::fs::read(&p).unwrap(),
            super::super::canonical_json(&v).unwrap()
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
