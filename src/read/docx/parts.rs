//! The steps of reading a DOCX package, in order: the main part, styles
//! and numbering, the body, notes, headers and footers
//! ([`super::read`] runs them).

use super::*;

/// What the steps after the main part share: the package, the main
/// part's folder and relationships, the vocabulary and the diagnostics
/// so far.
pub(super) struct Parts<'a> {
    pub pkg: Package<'a>,
    pub diags: Vec<Diagnostic>,
    pub main_dir: String,
    pub rels: Rels,
    pub vocab: &'a Vocab,
}

/// The main part: the package's officeDocument relationship, else
/// `word/document.xml` (said in a diagnostic when relationships exist).
pub(super) fn main_part(
    path: &Path,
    pkg: &mut Package,
    diags: &mut Vec<Diagnostic>,
) -> Result<String> {
    let root = read_rels(pkg, "", diags);
    let mut main = root
        .values()
        .find(|r| rel_kind(r) == "officeDocument" && !r.external)
        .map(|r| r.target.clone())
        .filter(|t| pkg.has(t));
    if main.is_none() && pkg.has("word/document.xml") {
        if !root.is_empty() {
            diags.push(Diagnostic::new(
                Level::Info,
                "main_part_fallback",
                "_rels/.rels names no readable officeDocument part; using word/document.xml",
            ));
        }
        main = Some("word/document.xml".to_string());
    }
    let Some(main) = main else {
        return Err(Error::MissingPart {
            path: path.to_path_buf(),
            part: "word/document.xml (no officeDocument part)".to_string(),
        });
    };
    Ok(main)
}

/// The document before its parts are read: the source's facts only.
pub(super) fn new_document(path: &Path, bytes: &[u8]) -> Document {
    Document::new(Source {
        path: path.display().to_string(),
        format: Format::Docx,
        encoding: "UTF-8".to_string(),
        encoding_confidence: 1.0,
        sha256: crate::read::sha256_hex(bytes),
        bytes: bytes.len() as u64,
    })
}

impl Parts<'_> {
    /// A part name in the main part's folder.
    fn in_dir(&self, name: &str) -> String {
        let main_dir = &self.main_dir;
        if main_dir.is_empty() {
            name.to_string()
        } else {
            format!("{main_dir}/{name}")
        }
    }

    /// The part a relationship of `kind` names when the package has it,
    /// else the `usual` one (a relationship to a part the package lacks,
    /// or outside it, is never followed: it is named in a diagnostic).
    fn pick(&mut self, kind: &str, usual: String) -> String {
        let Parts {
            pkg, rels, diags, ..
        } = self;
        let named = targets_of(rels, kind);
        if let Some(t) = named.iter().find(|t| pkg.has(t)) {
            return t.clone();
        }
        let outside: Vec<String> = named
            .into_iter()
            .chain(
                rels.values()
                    .filter(|r| r.external && rel_kind(r) == kind)
                    .map(|r| r.target.clone()),
            )
            .collect();
        if !outside.is_empty() {
            let instead = if pkg.has(&usual) {
                format!("{usual} read instead")
            } else {
                format!("{kind} ignored")
            };
            diags.push(Diagnostic::new(
                Level::Warning,
                "missing_part",
                format!(
                    "the {kind} relationship points to {}, which is not a part of the package; {instead}",
                    outside.join(", ")
                ),
            ));
        }
        usual
    }

    /// Styles and numbering: optional, a broken one is reported (list
    /// numbering and heading levels depend on these parts, so losing them
    /// silently loses structure); only a limit is an error.
    // The closures passed to `with_part` cannot be function paths: the part
    // reader's lifetime is higher-ranked.
    #[allow(clippy::redundant_closure)]
    pub(super) fn styles_and_numbering(
        &mut self,
    ) -> Result<(styles::Styles, numbering::Numbering)> {
        let styles_part = self.pick("styles", self.in_dir("styles.xml"));
        let numbering_part = self.pick("numbering", self.in_dir("numbering.xml"));
        let Parts { pkg, diags, .. } = self;
        let styles = match pkg.with_part(&styles_part, false, |xs| styles::Styles::parse(xs)) {
            Ok(s) => s.unwrap_or_default(),
            Err(e @ Error::Limit { .. }) => return Err(e),
            Err(e) => {
                diags.push(Diagnostic::new(
                    Level::Warning,
                    "broken_styles",
                    format!("styles ignored: {e}"),
                ));
                styles::Styles::default()
            }
        };
        let numbering =
            match pkg.with_part(&numbering_part, false, |xs| numbering::Numbering::parse(xs)) {
                Ok(n) => n.unwrap_or_default(),
                Err(e @ Error::Limit { .. }) => return Err(e),
                Err(e) => {
                    diags.push(Diagnostic::new(
                        Level::Warning,
                        "broken_numbering",
                        format!("numbering ignored: {e}"),
                    ));
                    numbering::Numbering::default()
                }
            };
        Ok((styles, numbering))
    }

    /// The body of the main part into `doc` (up to `preview` top-level
    /// blocks when given): its errors are the file's errors.
    pub(super) fn body(
        &mut self,
        main: &str,
        styles: &styles::Styles,
        numbering: &mut numbering::Numbering,
        preview: Option<usize>,
        doc: &mut Document,
    ) -> Result<()> {
        let Parts {
            pkg,
            diags,
            rels,
            vocab,
            ..
        } = self;
        let mut blocks = Vec::new();
        let mut story = body::Story::new(styles, numbering, rels, vocab);
        story.block_budget = preview;
        let (xcounts, xdiags) = pkg
            .with_part(main, true, |xs| {
                story.document(xs, &mut blocks)?;
                Ok(tally(xs))
            })?
            .unwrap_or_default();
        merge_counts(doc, xcounts);
        diags.extend(xdiags);
        let scounts = std::mem::take(&mut story.counts);
        diags.append(&mut story.diagnostics);
        for (k, v) in scounts {
            doc.count(&k, v);
        }
        assign_blocks(&mut blocks, None);
        doc.blocks = blocks;
        Ok(())
    }

    /// Footnotes and endnotes, each part on its own: a broken one is
    /// reported and skipped; only a limit is an error.
    pub(super) fn notes(
        &mut self,
        styles: &styles::Styles,
        numbering: &mut numbering::Numbering,
        doc: &mut Document,
    ) -> Result<()> {
        for (kind, rel_kind_name, default_name) in [
            (NoteKind::Footnote, "footnotes", "footnotes.xml"),
            (NoteKind::Endnote, "endnotes", "endnotes.xml"),
        ] {
            let part = targets_of(&self.rels, rel_kind_name)
                .into_iter()
                .next()
                .unwrap_or_else(|| self.in_dir(default_name));
            let Parts {
                pkg, diags, vocab, ..
            } = self;
            let part_rels = read_rels(pkg, &part, diags);
            let mut notes: Vec<Note> = Vec::new();
            let mut story = body::Story::new(styles, numbering, &part_rels, vocab);
            let r = pkg.with_part(&part, true, |xs| {
                story.notes(xs, kind, &mut notes)?;
                Ok(tally(xs))
            });
            match settle(r, &mut story, diags, doc) {
                Ok(Some(())) => {
                    for n in &mut notes {
                        assign_blocks(&mut n.blocks, Some(&part));
                    }
                    doc.notes.extend(notes);
                }
                Ok(None) => {}
                Err(e @ Error::Limit { .. }) => return Err(e),
                Err(e) => diags.push(Diagnostic::new(
                    Level::Warning,
                    "broken_part",
                    format!("{kind}s skipped: {e}"),
                )),
            }
        }
        Ok(())
    }

    /// Headers and footers, each part on its own: a broken one is reported
    /// and skipped, a missing one named; only a limit is an error.
    pub(super) fn headers_footers(
        &mut self,
        styles: &styles::Styles,
        numbering: &mut numbering::Numbering,
        doc: &mut Document,
    ) -> Result<()> {
        let Parts {
            pkg,
            diags,
            rels,
            vocab,
            ..
        } = self;
        for (kind, origin) in [("header", "header"), ("footer", "footer")] {
            for part in targets_of(rels, kind) {
                let part_rels = read_rels(pkg, &part, diags);
                let mut blocks = Vec::new();
                let mut story = body::Story::new(styles, numbering, &part_rels, vocab);
                let r = pkg.with_part(&part, true, |xs| {
                    story.blocks(xs, &mut blocks)?;
                    Ok(tally(xs))
                });
                match settle(r, &mut story, diags, doc) {
                    Ok(Some(())) => {
                        for b in &mut blocks {
                            if let Block::Paragraph(p) = b {
                                p.origin.get_or_insert_with(|| origin.to_string());
                            }
                        }
                        assign_blocks(&mut blocks, Some(&part));
                        if kind == "header" {
                            doc.headers.extend(blocks);
                        } else {
                            doc.footers.extend(blocks);
                        }
                    }
                    Ok(None) => diags.push(Diagnostic::new(
                        Level::Warning,
                        "missing_part",
                        format!("{part}: referenced as {kind} but not in the package"),
                    )),
                    Err(e @ Error::Limit { .. }) => return Err(e),
                    Err(e) => diags.push(Diagnostic::new(
                        Level::Warning,
                        "broken_part",
                        format!("{kind} skipped: {e}"),
                    )),
                }
            }
        }
        Ok(())
    }
}

/// What reading a part counted and warned about, taken from its stream.
type Tally = (BTreeMap<&'static str, u64>, Vec<Diagnostic>);

fn tally<R: std::io::BufRead>(xs: &mut XmlStream<R>) -> Tally {
    (
        std::mem::take(&mut xs.counts),
        std::mem::take(&mut xs.diagnostics),
    )
}

/// Settles a note, header or footer part: the story's warnings always
/// (raised before any failure), then, when the part was read, the
/// stream's counts and warnings and the story's counts, so that every
/// story part counts what it read as the body does. `Ok(None)`: the part
/// is not in the package.
fn settle(
    r: Result<Option<Tally>>,
    story: &mut body::Story,
    diags: &mut Vec<Diagnostic>,
    doc: &mut Document,
) -> Result<Option<()>> {
    let scounts = std::mem::take(&mut story.counts);
    diags.append(&mut story.diagnostics);
    let Some((c, d)) = r? else {
        return Ok(None);
    };
    merge_counts(doc, c);
    diags.extend(d);
    for (k, v) in scounts {
        doc.count(&k, v);
    }
    Ok(Some(()))
}
