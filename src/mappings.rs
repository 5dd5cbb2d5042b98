//! Data that drives the pipeline: lexicons, crosswalks, transliteration
//! exceptions, month names, number words.
//!
//! In: the files of `mappings/` (embedded at build time by `build.rs`) and,
//! optionally, a directory whose files replace the embedded ones by name.
//! Out: [`Mappings`], a name → text map with a TSV view ([`Mappings::rows`]).
//!
//! File format: UTF-8, one record per line, fields separated by TAB, `#`
//! starts a comment line, blank lines ignored. Each file's header comment says
//! what its columns mean.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/mappings_embedded.rs"));
}

/// One data row of a TSV mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsvRow {
    /// 1-based line number in the file, for error messages.
    pub line: usize,
    pub fields: Vec<String>,
}

impl TsvRow {
    /// Field `i`, or "" when the row is shorter.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A set of mapping files by name (e.g. `months.tsv`).
#[derive(Debug, Clone, Default)]
pub struct Mappings {
    files: BTreeMap<String, String>,
    /// Names that came from an override directory.
    overridden: Vec<String>,
}

impl Mappings {
    /// The files embedded in the binary.
    pub fn embedded() -> Mappings {
        Mappings {
            files: embedded::EMBEDDED
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            overridden: Vec::new(),
        }
    }

    /// The embedded files, with every file found in `dir` replacing (or
    /// adding to) the embedded one of the same name.
    pub fn with_overrides(dir: &Path) -> Result<Mappings> {
        let mut m = Mappings::embedded();
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if !p.is_file() {
                continue;
            }
            let Some(name) = p.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                continue;
            };
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            m.files.insert(name.clone(), text);
            m.overridden.push(name);
        }
        Ok(m)
    }

    /// The raw text of a file.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// File names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Names replaced from an override directory.
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }

    /// The data rows of a TSV file (comments and blank lines skipped, fields
    /// trimmed). A missing file is an error naming it.
    pub fn rows(&self, name: &str) -> Result<Vec<TsvRow>> {
        let text = self.text(name).ok_or_else(|| Error::Mapping {
            file: name.to_string(),
            line: 0,
            reason: "no such mapping file".to_string(),
        })?;
        Ok(parse_tsv(text))
    }
}

/// Parses TSV text as described in the module doc.
pub fn parse_tsv(text: &str) -> Vec<TsvRow> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim_end_matches('\r');
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                return None;
            }
            Some(TsvRow {
                line: i + 1,
                fields: l.split('\t').map(|f| f.trim().to_string()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_skips_comments_and_blanks() {
        let rows = parse_tsv("# head\n\na\tb \n  # x\nc\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].fields, vec!["a", "b"]);
        assert_eq!(rows[1].get(1), "");
    }

    #[test]
    fn overrides_replace_by_name() {
        let dir = std::env::temp_dir().join(format!("planrec-map-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("zz-test.tsv"), "x\ty\n").unwrap();
        let m = Mappings::with_overrides(&dir).unwrap();
        assert_eq!(m.rows("zz-test.tsv").unwrap()[0].get(1), "y");
        assert_eq!(m.overridden(), &["zz-test.tsv".to_string()]);
        assert!(m.rows("does-not-exist.tsv").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
