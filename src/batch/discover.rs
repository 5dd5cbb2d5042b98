//! Discovery: the inputs under a directory, and every entry that looks like
//! a document but cannot be one (a PDF, a FIFO, a broken link…), each as a
//! failure with its reason: nothing is skipped without a word.

use super::select::Select;
use super::{Failure, Input, is_input, names};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Document formats that are not plans this tool reads: listed, not read.
const OTHER_FORMATS: [(&str, &str); 7] = [
    (".pdf", "PDF"),
    (".odt", "OpenDocument text"),
    (".rtf", "RTF"),
    (".xls", "Excel workbook"),
    (".xlsx", "Excel workbook"),
    (".ods", "OpenDocument spreadsheet"),
    (".pages", "Pages document"),
];

fn other_format(name: &str) -> Option<&'static str> {
    if name.starts_with("~$") || name.starts_with('.') {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    OTHER_FORMATS
        .iter()
        .find(|(ext, _)| lower.ends_with(ext))
        .map(|(_, what)| *what)
}

/// What kind of file system object a non-regular file is.
fn kind_of(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        return "a directory";
    }
    "not a regular file"
}

/// Finds the inputs under `root`, sorted by relative path, with unique
/// output names. Unreadable subdirectories, entries named like plans that
/// are no regular files (FIFOs, devices, broken links) and documents of
/// other formats (PDF…) are returned as failures; an unreadable `root` is
/// an error. Hidden entries are skipped; symbolic links to files are
/// followed, links to directories are not (no cycles).
pub fn discover(root: &Path) -> Result<(Vec<Input>, Vec<Failure>)> {
    discover_selected(root, &Select::default())
}

/// [`discover`] restricted to `select`: an entry it does not want is
/// neither an input nor a failure, and a directory it excludes whole is not
/// listed.
pub fn discover_selected(root: &Path, select: &Select) -> Result<(Vec<Input>, Vec<Failure>)> {
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut failures = Vec::new();
    let top = std::fs::read_dir(root).map_err(|e| Error::io(root, e))?;
    let mut stack = vec![(top, String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for entry in dir {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = prefix.trim_end_matches('/').to_string();
                    failures.push(Failure {
                        error: format!("{path}: directory listing failed: {e}"),
                        path,
                    });
                    continue;
                }
            };
            let name = names::component(&entry.file_name());
            let rel = format!("{prefix}{name}");
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(e) => {
                    failures.push(Failure {
                        error: format!("{rel}: cannot tell what this entry is: {e}"),
                        path: rel,
                    });
                    continue;
                }
            };
            if ft.is_dir() {
                if name.starts_with('.') || select.prunes(&rel) {
                    continue;
                }
                match std::fs::read_dir(entry.path()) {
                    Ok(rd) => stack.push((rd, format!("{rel}/"))),
                    Err(e) => failures.push(Failure {
                        error: format!("{rel}: directory not readable: {e}"),
                        path: rel,
                    }),
                }
                continue;
            }
            if !select.wants(&rel) {
                continue;
            }
            if let Some(what) = other_format(&name) {
                failures.push(Failure {
                    error: format!(
                        "{rel}: unsupported input: a {what}, not a plan format this tool reads; export it as .docx or .txt"
                    ),
                    path: rel,
                });
                continue;
            }
            if !is_input(&name) {
                continue;
            }
            // What the entry is, following a link.
            match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_file() => found.push((entry.path(), rel)),
                Ok(m) => failures.push(Failure {
                    error: format!(
                        "{rel}: unsupported input: {}{}, not a document",
                        kind_of(&m.file_type()),
                        if ft.is_symlink() {
                            " (through a link)"
                        } else {
                            ""
                        }
                    ),
                    path: rel,
                }),
                Err(e) if ft.is_symlink() && e.kind() == std::io::ErrorKind::NotFound => failures
                    .push(Failure {
                        error: format!("{rel}: broken symbolic link (its target does not exist)"),
                        path: rel,
                    }),
                Err(e) => failures.push(Failure {
                    error: format!("{rel}: {e}"),
                    path: rel,
                }),
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    failures.sort_by(|a, b| a.path.cmp(&b.path));
    let names = names::unique_names(found.iter().map(|(_, r)| r.as_str()));
    let inputs = found
        .into_iter()
        .zip(names)
        .map(|((path, rel), name)| Input { path, rel, name })
        .collect();
    Ok((inputs, failures))
}
