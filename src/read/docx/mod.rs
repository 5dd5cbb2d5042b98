//! The DOCX reader: a WordprocessingML package → [`Document`].
//!
//! In: the bytes of a `.docx`/`.docm`/`.dotx` (a zip, already sniffed) and
//! [`Limits`]. Out: a [`Document`] with the body blocks, headers, footers,
//! notes, counters (tracked changes, hidden runs, fields…) and diagnostics.
//!
//! Steps, following the package's own pointers:
//! 1. open the zip; map part names case-insensitively;
//! 2. find the main part through `_rels/.rels` (officeDocument relation),
//!    falling back to `word/document.xml`;
//! 3. read its relationships, then `styles.xml` and `numbering.xml`
//!    (each optional: a broken one becomes a diagnostic, not a failure);
//! 4. stream the body, then footnotes/endnotes, headers and footers.
//!
//! Every part is inflated through `Counting`, which enforces the per-part
//! and total inflated-size limits on the bytes actually produced (the sizes
//! the zip claims are never trusted). Nothing is held but the output model.

pub(crate) mod body;
pub(crate) mod numbering;
mod parts;
pub(crate) mod styles;
pub(crate) mod symbols;
mod xml;

use crate::error::{Error, Result, ZipFault};
use crate::model::{
    Block, Diagnostic, Document, Format, Level, Note, NoteKind, Provenance, Source,
};
use crate::read::Limits;
use crate::vocab::Vocab;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Cursor, Read};
use std::path::Path;
use std::rc::Rc;
use xml::{Ev, XmlStream};

/// One relationship of a part.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub target: String,
    pub kind: String,
    pub external: bool,
}

/// Relationships of a part by id.
pub(crate) type Rels = HashMap<String, Rel>;

use xml::LimitFlag;

/// A `Read` that counts inflated bytes and stops at the limits.
struct Counting<R> {
    inner: R,
    part_bytes: u64,
    /// The part's compressed size, for the ratio limit.
    compressed: u64,
    total: Rc<Cell<u64>>,
    limits: Limits,
    flag: LimitFlag,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.part_bytes += n as u64;
        self.total.set(self.total.get() + n as u64);
        let hit = if self.part_bytes > self.limits.max_part_bytes {
            Some((
                "inflated size of the part".to_string(),
                self.limits.max_part_bytes,
            ))
        } else if self.total.get() > self.limits.max_total_bytes {
            Some((
                "inflated size of all parts".to_string(),
                self.limits.max_total_bytes,
            ))
        } else if over_ratio(self.part_bytes, self.compressed, &self.limits) {
            Some((
                "compression ratio of the part (inflated/compressed)".to_string(),
                self.limits.max_ratio,
            ))
        } else {
            None
        };
        if let Some(h) = hit {
            self.flag.set(Some(h));
            return Err(std::io::Error::other("inflated size limit exceeded"));
        }
        Ok(n)
    }
}

/// The zip package with case-insensitive part lookup.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, usize>,
    path: &'a Path,
    limits: Limits,
    total: Rc<Cell<u64>>,
}

impl<'a> Package<'a> {
    fn open(path: &'a Path, bytes: &'a [u8], limits: Limits) -> Result<Package<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Zip {
            path: path.to_path_buf(),
            part: None,
            source: ZipFault::Archive(e),
        })?;
        let mut names = HashMap::new();
        for (i, raw) in zip.file_names_raw().enumerate() {
            let name = String::from_utf8_lossy(raw).replace('\\', "/");
            names
                .entry(name.trim_start_matches('/').to_lowercase())
                .or_insert(i);
        }
        Ok(Package {
            zip,
            names,
            path,
            limits,
            total: Rc::new(Cell::new(0)),
        })
    }

    fn has(&self, part: &str) -> bool {
        self.names.contains_key(&part.to_lowercase())
    }

    /// Streams `part` through `f`. `Ok(None)` when the part does not exist.
    fn with_part<T>(
        &mut self,
        part: &str,
        filtered: bool,
        f: impl FnOnce(
            &mut XmlStream<BufReader<Counting<zip::read::ZipFile<'_, Cursor<&'a [u8]>>>>>,
        ) -> Result<T>,
    ) -> Result<Option<T>> {
        let Some(&idx) = self.names.get(&part.to_lowercase()) else {
            return Ok(None);
        };
        let path = self.path;
        let file = self.zip.by_index(idx).map_err(|e| Error::Zip {
            path: path.to_path_buf(),
            part: Some(part.to_string()),
            source: ZipFault::Archive(e),
        })?;
        // Refuse from the sizes the zip declares before inflating anything;
        // `Counting` still checks the bytes actually produced, for a zip
        // that understates them.
        let (size, compressed) = (file.size(), file.compressed_size());
        let limits = self.limits;
        let refuse = |what: String, limit: u64| {
            Err(Error::Limit {
                path: path.to_path_buf(),
                part: part.to_string(),
                what,
                limit,
            })
        };
        if size > limits.max_part_bytes {
            return refuse(
                format!("declared inflated size of the part ({size} bytes)"),
                limits.max_part_bytes,
            );
        }
        if self.total.get().saturating_add(size) > limits.max_total_bytes {
            return refuse(
                format!("declared inflated size of all parts (this part {size} bytes)"),
                limits.max_total_bytes,
            );
        }
        if over_ratio(size, compressed, &limits) {
            return refuse(
                format!("declared compression ratio of the part ({size} bytes from {compressed})"),
                limits.max_ratio,
            );
        }
        let flag: LimitFlag = Rc::new(Cell::new(None));
        let counting = Counting {
            inner: file,
            part_bytes: 0,
            compressed,
            total: self.total.clone(),
            limits: self.limits,
            flag: flag.clone(),
        };
        let mut xs = XmlStream::new(
            BufReader::with_capacity(64 * 1024, counting),
            path,
            part,
            self.limits,
            filtered,
        );
        xs.limit_hit = Some(flag);
        f(&mut xs).map(Some).map_err(|e| fill_path(e, path))
    }
}

/// Whether `inflated` bytes from `compressed` pass the ratio limit (only
/// above the floor: small parts of repeated markup compress very well).
fn over_ratio(inflated: u64, compressed: u64, limits: &Limits) -> bool {
    inflated > limits.ratio_floor && inflated / compressed.max(1) > limits.max_ratio
}

/// Sum of the inflated sizes the zip declares for its XML parts (what a
/// read inflates), or `None` when it is no readable zip. For estimating a
/// document's memory before reading it; never trusted as a limit.
pub fn declared_xml_bytes(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut sum = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).ok()?;
        let name = f.name_raw().to_ascii_lowercase();
        if name.ends_with(b".xml") || name.ends_with(b".rels") {
            sum = sum.saturating_add(f.size());
        }
    }
    Some(sum)
}

/// Errors raised deep in the parser do not know the file; add it.
fn fill_path(e: Error, path: &Path) -> Error {
    match e {
        Error::Limit {
            path: p,
            part,
            what,
            limit,
        } if p.as_os_str().is_empty() => Error::Limit {
            path: path.to_path_buf(),
            part,
            what,
            limit,
        },
        Error::Unsupported { path: p, reason } if p.as_os_str().is_empty() => Error::Unsupported {
            path: path.to_path_buf(),
            reason,
        },
        other => other,
    }
}

/// Resolves a relationship target against the directory of its source part.
fn resolve_target(source_part: &str, target: &str) -> String {
    let target = percent_decode(target);
    let mut parts: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        let _ = abs;
        Vec::new()
    } else {
        let mut v: Vec<&str> = source_part.split('/').collect();
        v.pop();
        v
    };
    for seg in target.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The `.rels` part of a part: `word/document.xml` → `word/_rels/document.xml.rels`.
fn rels_part(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn read_rels(pkg: &mut Package, part: &str, diags: &mut Vec<Diagnostic>) -> Rels {
    let rp = rels_part(part);
    let source = part.to_string();
    let r = pkg.with_part(&rp, false, |xs| {
        let mut rels = Rels::new();
        loop {
            match xs.next()? {
                Ev::Start(el) | Ev::Empty(el) if el.local == "Relationship" => {
                    let id = el.attr("Id").unwrap_or("").to_string();
                    let external = el
                        .attr("TargetMode")
                        .is_some_and(|m| m.eq_ignore_ascii_case("external"));
                    let raw = el.attr("Target").unwrap_or("");
                    let target = if external {
                        raw.to_string()
                    } else {
                        resolve_target(&source, raw)
                    };
                    rels.entry(id).or_insert(Rel {
                        target,
                        kind: el.attr("Type").unwrap_or("").to_string(),
                        external,
                    });
                }
                Ev::Eof => return Ok(rels),
                _ => {}
            }
        }
    });
    match r {
        Ok(Some(rels)) => rels,
        Ok(None) => Rels::new(),
        Err(e) => {
            diags.push(Diagnostic::new(
                Level::Warning,
                "broken_rels",
                format!("{rp}: ignored: {e}"),
            ));
            Rels::new()
        }
    }
}

/// Relationship type names end with the kind (`…/relationships/styles`),
/// in transitional and strict alike.
fn rel_kind(rel: &Rel) -> &str {
    rel.kind.rsplit('/').next().unwrap_or("")
}

fn targets_of(rels: &Rels, kind: &str) -> Vec<String> {
    let mut v: Vec<(String, String)> = rels
        .iter()
        .filter(|(_, r)| !r.external && rel_kind(r) == kind)
        .map(|(id, r)| (r.target.clone(), id.clone()))
        .collect();
    // Natural order of part names (header2 before header10), deterministic.
    v.sort_by(|a, b| {
        natural_key(&a.0)
            .cmp(&natural_key(&b.0))
            .then(a.1.cmp(&b.1))
    });
    v.dedup_by(|a, b| a.0 == b.0);
    v.into_iter().map(|(t, _)| t).collect()
}

fn natural_key(s: &str) -> (String, u64) {
    let digits: String = s
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let n: u64 = digits
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    let stem: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    (stem, n)
}

fn merge_counts(doc: &mut Document, counts: BTreeMap<&'static str, u64>) {
    for (k, v) in counts {
        doc.count(k, v);
    }
}

/// Reads a DOCX package.
pub fn read(path: &Path, bytes: &[u8], limits: Limits, vocab: &Vocab) -> Result<Document> {
    read_inner(path, bytes, limits, vocab, None)
}

/// Reads only the first `blocks` top-level blocks of the body (no notes,
/// headers or footers): enough for a title page's metadata, without
/// inflating the rest of the document.
pub fn preview(
    path: &Path,
    bytes: &[u8],
    limits: Limits,
    vocab: &Vocab,
    blocks: usize,
) -> Result<Document> {
    read_inner(path, bytes, limits, vocab, Some(blocks))
}

/// Reads the package's parts in order; with `preview`, the body's first
/// blocks only.
fn read_inner(
    path: &Path,
    bytes: &[u8],
    limits: Limits,
    vocab: &Vocab,
    preview: Option<usize>,
) -> Result<Document> {
    let mut pkg = Package::open(path, bytes, limits)?;
    let mut diags: Vec<Diagnostic> = Vec::new();

    // 1. The main part.
    let main = parts::main_part(path, &mut pkg, &mut diags)?;
    let main_dir = main
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let rels = read_rels(&mut pkg, &main, &mut diags);
    let mut parts = parts::Parts {
        pkg,
        diags,
        main_dir,
        rels,
        vocab,
    };

    // 2. Styles and numbering: optional, a broken one is reported.
    let (styles, mut numbering) = parts.styles_and_numbering()?;
    let mut doc = parts::new_document(path, bytes);

    // 3. The body: its errors are the file's errors.
    parts.body(&main, &styles, &mut numbering, preview, &mut doc)?;
    if preview.is_some() {
        doc.diagnostics = parts.diags;
        return Ok(doc);
    }

    // 4. Notes, headers, footers: each part on its own; a broken one is
    // reported and skipped.
    parts.notes(&styles, &mut numbering, &mut doc)?;
    parts.headers_footers(&styles, &mut numbering, &mut doc)?;
    doc.diagnostics = parts.diags;
    Ok(doc)
}

/// Fills provenance: block index in the part, top-level table ordinal, and
/// row/cell (plus the path for nested tables).
pub(crate) fn assign_blocks(blocks: &mut [Block], part: Option<&str>) {
    let mut table_no = 0;
    for (i, b) in blocks.iter_mut().enumerate() {
        let base = Provenance {
            part: part.map(str::to_string),
            block: Some(i),
            ..Provenance::default()
        };
        match b {
            Block::Paragraph(p) => {
                // A .doc paragraph keeps its character position.
                let char_pos = p.provenance.char_pos;
                p.provenance = Provenance { char_pos, ..base };
            }
            Block::Table(t) => {
                let mut prov = base;
                prov.table = Some(table_no);
                assign_table(t, &prov, table_no);
                table_no += 1;
            }
        }
    }
}

fn assign_table(t: &mut crate::model::Table, base: &Provenance, index_here: usize) {
    t.provenance = base.clone();
    for (ri, row) in t.rows.iter_mut().enumerate() {
        row.provenance = Provenance {
            row: Some(ri),
            ..base.clone()
        };
        for (ci, cell) in row.cells.iter_mut().enumerate() {
            let cp = Provenance {
                row: Some(ri),
                cell: Some(ci),
                ..base.clone()
            };
            for p in &mut cell.paragraphs {
                let char_pos = p.provenance.char_pos;
                p.provenance = Provenance {
                    char_pos,
                    ..cp.clone()
                };
            }
            cell.provenance = cp;
            let mut nested_no = 0;
            for b in &mut cell.blocks {
                if let Block::Table(nt) = b {
                    let mut path = base.path.clone();
                    path.push([index_here, ri, ci]);
                    let nb = Provenance {
                        path,
                        ..base.clone()
                    };
                    assign_table(nt, &nb, nested_no);
                    nested_no += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_part() {
        assert_eq!(
            resolve_target("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "/word/styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "media/a%20b.png"),
            "word/media/a b.png"
        );
        assert_eq!(
            rels_part("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(rels_part(""), "_rels/.rels");
    }
}
