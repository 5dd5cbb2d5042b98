//! Stage 5, emit: plain data → deterministic bytes on disk.
//!
//! In: any `Serialize` value (a document model, a plan record, an alignment
//! report) and a target path. Out: canonical JSON bytes (pretty-printed with
//! two-space indent, object keys in the order the types declare them, maps
//! sorted, one trailing newline), written atomically: a temporary file in
//! the target directory, then a rename, so a reader never sees half a file
//! and re-running over the same output is safe.
//!
//! This is the only writer: the batch, the CLI and the tables all write
//! through [`write`](mod@write) ([`AtomicFile`]), and JSON is always [`canonical_json`]'s
//! layout, streamed or built.

pub mod tables;
pub mod workbook;
pub mod write;

pub use write::{AtomicFile, is_temporary, write_bytes, write_json_to, write_with};

use crate::error::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Canonical JSON bytes of `value`. Determinism comes from the data types:
/// they use `Vec` and `BTreeMap`, never hash maps.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    // A plan record runs to hundreds of kilobytes: start with room for a
    // typical one rather than growing from nothing by doubling.
    let mut out = Vec::with_capacity(64 * 1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Indented::default());
    value.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

/// The layout of `serde_json::to_writer_pretty` (two-space indent, `": "`
/// after keys), written with one call per line break instead of one per
/// indent step: records nest deeply, and the indent was a quarter of the
/// time spent writing them.
#[derive(Default)]
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    /// A line break and the indent of the current level.
    fn newline<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        // ",\n" then 128 spaces: a break with or without its comma, and
        // up to 64 levels of indent per write.
        const SPACES: [u8; 130] = {
            let mut b = [b' '; 130];
            b[0] = b',';
            b[1] = b'\n';
            b
        };
        let (from, mut left) = if comma { (0, 2) } else { (1, 1) };
        left += 2 * self.level;
        let mut chunk = &SPACES[from..SPACES.len().min(from + left)];
        loop {
            w.write_all(chunk)?;
            left -= chunk.len();
            if left == 0 {
                return Ok(());
            }
            chunk = &SPACES[2..SPACES.len().min(2 + left)];
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own unless the container was empty.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `bytes` to `path` atomically and durably, creating parent
/// directories (the CLI's single files).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    write::write_bytes(path, bytes, true)
}

/// [`canonical_json`] of `value` written like [`write_atomic`], streamed;
/// a value JSON cannot hold is [`Error::Serialize`] and leaves no file.
pub fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    create_parent(path)?;
    write::write_json_to(path, value, true)
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => {
            std::fs::create_dir_all(d).map_err(|e| Error::write(d, e))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn tmpdir(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("planrec-emit-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn canonical_layout_is_serde_json_pretty() {
        // Empty and nested containers, deep enough to pass the indent
        // buffer's width, keys and strings that need escaping.
        let mut deep = serde_json::json!({"leaf": [1, 2.5, null, "x\"y\n"]});
        for i in 0..90 {
            deep = if i % 2 == 0 {
                serde_json::json!([deep, [], {}, true])
            } else {
                serde_json::json!({"k\u{e9}": deep, "e": {}, "a": []})
            };
        }
        for v in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!(7),
            deep,
        ] {
            let mut want = match serde_json::to_vec_pretty(&v) {
                Ok(b) => b,
                Err(e) => panic!("{e}"),
            };
            want.push(b'\n');
            assert_eq!(canonical_json(&v).unwrap(), want);
        }
    }

    #[test]
    fn a_value_json_cannot_hold_is_an_error_and_no_file() {
        let mut m = BTreeMap::new();
        m.insert((1, 2), "keys that are no strings");
        let dir = std::env::temp_dir().join(format!("planrec-emit-{}", std::process::id()));
        let path = dir.join("out.json");
        let _ = std::fs::create_dir_all(&dir);
        assert!(canonical_json(&m).is_err());
        let e = write_json(&path, &m).expect_err("refused");
        assert!(matches!(e, Error::Serialize { .. }), "{e}");
        assert!(e.to_string().contains("out.json"));
        assert!(!path.exists(), "nothing written in its place");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn canonical_json_is_stable_and_ends_with_newline() {
        let mut m = BTreeMap::new();
        m.insert("b", 2.5);
        m.insert("a", 1.0);
        let a = canonical_json(&m).unwrap();
        assert_eq!(a, canonical_json(&m).unwrap());
        assert_eq!(
            String::from_utf8(a).unwrap(),
            "{\n  \"a\": 1.0,\n  \"b\": 2.5\n}\n"
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let d = tmpdir("atomic");
        let p = d.join("sub").join("x.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn unwritable_target_is_an_error_naming_the_path() {
        let d = tmpdir("unwritable");
        std::fs::create_dir_all(&d).unwrap();
        // A regular file where a directory is needed cannot be written below.
        let blocker = d.join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let err = write_atomic(&blocker.join("x.json"), b"y").unwrap_err();
        assert!(err.to_string().contains("file"), "{err}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
