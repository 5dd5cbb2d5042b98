//! A scratch directory for one test, removed when the test ends — also when
//! it fails, since the guard is dropped while unwinding — so test runs do
//! not leave `planrec-*` directories behind in the system's temp directory.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A fresh directory (or a path inside one) that lives as long as this value.
pub struct Scratch {
    _dir: tempfile::TempDir,
    at: PathBuf,
}

/// A new empty directory named after `tag` (for a reader of `/tmp` while a
/// test runs).
pub fn scratch(tag: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("planrec-{tag}-"))
        .tempdir()
        .expect("a scratch directory in the system's temp directory");
    let at = dir.path().to_path_buf();
    Scratch { _dir: dir, at }
}

impl Scratch {
    /// The same guard, pointing at `name` inside it (not created).
    pub fn into_sub(self, name: &str) -> Scratch {
        let at = self.at.join(name);
        Scratch { at, ..self }
    }
}

impl Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.at
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.at
    }
}

impl AsRef<OsStr> for Scratch {
    fn as_ref(&self) -> &OsStr {
        self.at.as_os_str()
    }
}
