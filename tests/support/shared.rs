//! The workplace's shared material (`../shared`, or the directory named by
//! `PLANREC_SHARED`) and a skip note that is seen.
//!
//! libtest captures what a test prints through `print!`/`eprint!` (the
//! macros consult the harness's capture buffer) and shows it only when the
//! test fails, so a skip announced that way vanishes from a green run. A
//! write to the `std::io::stderr()` handle does not consult that buffer: it
//! goes to the process's stderr, which `cargo test` passes through. The
//! note is therefore written that way, whole in one call so parallel tests
//! do not interleave inside a line. `tests/skip_note.rs` runs a test binary
//! with the material hidden and asserts the note reaches its stderr.

use std::io::Write;
use std::path::PathBuf;

/// The shared material's root: `PLANREC_SHARED` when set (point it at an
/// empty or missing directory to see what a machine without it runs),
/// else `../shared` beside the manifest.
pub fn root() -> PathBuf {
    match std::env::var_os("PLANREC_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// `root()/sub` (`root()` for an empty `sub`) when every one of `needs` (paths below it) exists; else
/// a skip note for `test` and `None`.
pub fn dir(test: &str, sub: &str, needs: &[&str]) -> Option<PathBuf> {
    let d = if sub.is_empty() {
        root()
    } else {
        root().join(sub)
    };
    let missing: Vec<PathBuf> = std::iter::once(d.clone())
        .chain(needs.iter().map(|n| d.join(n)))
        .filter(|p| !p.exists())
        .collect();
    match missing.first() {
        None => Some(d),
        Some(m) => {
            skip(
                test,
                &format!(
                    "{} absent (shared material: ../shared or PLANREC_SHARED)",
                    m.display()
                ),
            );
            None
        }
    }
}

/// Announces on the process's stderr, past the harness's capture, that
/// `test` (or a part of it) checked nothing and why.
pub fn skip(test: &str, why: &str) {
    let line = format!("SKIPPED {test}: {why}\n");
    // Nothing to do if stderr itself is gone; the test still passes as a skip.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
