//! Story parts (document body, notes, headers, footers) → model blocks.
//!
//! In: a filtered [`XmlStream`] over one story part, the document's styles,
//! numbering and the part's relationships. Out: [`Block`]s (paragraphs with
//! headings, list items and marks; tables with spans resolved), notes, and
//! counters/diagnostics for what was dropped or repaired.
//!
//! The parser is recursive descent over the event stream: one function per
//! construct (blocks, paragraph, run, table, row, cell, text box), each
//! reading until the end tag of the element it was called for. Elements a
//! construct does not know are walked through, so text in unknown wrappers
//! is kept. Provenance is filled afterwards by the caller, once rows and
//! cells have their final indices.
//!
//! Decisions (kept faithful; normalization decides how they compare):
//! * `w:noBreakHyphen` → U+2011, `w:softHyphen` → U+00AD (counted as
//!   `soft_hyphens`); `w:tab`/`w:ptab` → TAB; every `w:br` and `w:cr` → `\n`.
//! * Tracked changes are accepted: insertions and moved-to text kept,
//!   deletions and moved-from text dropped, a deleted paragraph mark joins
//!   its paragraph to the next, tracked-deleted rows and cells are dropped
//!   and `w:cellMerge` becomes a real vertical merge. Each is counted.
//! * Hidden text (`w:vanish`, direct or through the character style, the
//!   paragraph style chain or the document defaults) is dropped, counted as
//!   `hidden_runs`.
//! * Paragraphs with no visible text are not emitted (`empty_paragraphs`),
//!   but still advance list counters.
//! * Text boxes become paragraphs of their own (`origin: "textbox"`) right
//!   after the paragraph that anchors them; in a cell, they follow it among
//!   the cell's paragraphs.
//! * A vertically continued cell whose grid column has no open merge is
//!   kept as a plain cell (`orphan_vmerge_continue`).

use super::Rels;
use super::numbering::Numbering;
use super::styles::{ParaProps, RunProps, Styles, Vert};
use super::xml::{El, Ev, Ns, XmlStream};
use crate::error::{Error, Result};
use crate::model::{Block, Cell, Diagnostic, Level, Mark, Note, NoteKind, Paragraph, Row, Table};
use crate::read::word::{BOLD, ITALIC, SUB, SUPER, UNDERLINE};
use crate::read::word::{FieldKind, append_paragraphs, field_kind, split_blocks};
use crate::vocab::Vocab;
use std::collections::BTreeMap;
use std::io::BufRead;

mod table;

mod fields;
pub(crate) use fields::hyperlink_target;
use fields::*;

/// Deepest nesting of tables and text boxes followed; each level costs a
/// few stack frames, so this keeps hostile files from exhausting the stack.
const MAX_NEST: usize = 100;

/// Most diagnostics of one code kept per part.
const MAX_DIAGNOSTICS_PER_CODE: usize = 20;

/// Shared state while reading one story part.
pub(crate) struct Story<'a> {
    pub styles: &'a Styles,
    /// Symbol fonts and heading style names.
    pub vocab: &'a Vocab,
    pub numbering: &'a mut Numbering,
    pub rels: &'a Rels,
    pub counts: BTreeMap<String, u64>,
    pub diagnostics: Vec<Diagnostic>,
    /// Open complex fields, innermost last.
    fields: Vec<Field>,
    /// Numbers paragraphs, so a field result can tell whether it ends in
    /// the paragraph it started in.
    para_seq: u64,
    nest: usize,
    /// Preview mode: stop the body after this many top-level blocks.
    pub block_budget: Option<usize>,
}

/// A paragraph under construction.
#[derive(Default)]
struct Pb {
    /// The paragraph's number in the story (see `Story::para_seq`).
    id: u64,
    /// Some text came from a TOC field's result.
    in_toc: bool,
    text: String,
    chars: usize,
    spans: Vec<(usize, usize, u8)>,
    marks: Vec<Mark>,
    open_links: Vec<(usize, Option<String>)>,
    textboxes: Vec<Block>,
}

impl Pb {
    fn push(&mut self, s: &str, flags: u8) {
        if s.is_empty() {
            return;
        }
        let n = s.chars().count();
        self.text.push_str(s);
        if flags != 0 {
            self.spans.push((self.chars, self.chars + n, flags));
        }
        self.chars += n;
    }

    /// Formatting spans merged into one mark per contiguous range and kind.
    fn finish_marks(&mut self) -> Vec<Mark> {
        crate::read::word::span_marks(&self.spans, &mut self.marks)
    }
}

/// A parsed paragraph before it joins its container.
struct ParaOut {
    para: Paragraph,
    mark_deleted: bool,
    textboxes: Vec<Block>,
}

/// Reads the text content of the element whose start tag was just read.
fn read_text<R: BufRead>(xs: &mut XmlStream<R>, out: &mut String) -> Result<()> {
    loop {
        match xs.next()? {
            Ev::Text => out.push_str(&xs.text),
            Ev::End => return Ok(()),
            Ev::Start(_) => xs.skip()?,
            Ev::Empty(_) => {}
            Ev::Eof => return Err(xs.error("unexpected end of part in text")),
        }
    }
}

fn flags_of(p: &RunProps) -> u8 {
    let mut f = 0;
    if p.bold == Some(true) {
        f |= BOLD;
    }
    if p.italic == Some(true) {
        f |= ITALIC;
    }
    if p.underline == Some(true) {
        f |= UNDERLINE;
    }
    match p.vert {
        Some(Vert::Super) => f |= SUPER,
        Some(Vert::Sub) => f |= SUB,
        _ => {}
    }
    f
}

impl<'a> Story<'a> {
    pub fn new(
        styles: &'a Styles,
        numbering: &'a mut Numbering,
        rels: &'a Rels,
        vocab: &'a Vocab,
    ) -> Self {
        Story {
            styles,
            vocab,
            numbering,
            rels,
            counts: BTreeMap::new(),
            diagnostics: Vec::new(),
            fields: Vec::new(),
            para_seq: 0,
            nest: 0,
            block_budget: None,
        }
    }

    fn count(&mut self, name: &str) {
        *self.counts.entry(name.to_string()).or_insert(0) += 1;
    }

    /// A warning, at most [`MAX_DIAGNOSTICS_PER_CODE`] per code and part
    /// (the counters keep the full number), so a hostile file cannot grow
    /// the diagnostics without bound.
    fn warn<R: BufRead>(&mut self, xs: &XmlStream<R>, code: &str, msg: String) {
        let n = self.diagnostics.iter().filter(|d| d.code == code).count();
        if n >= MAX_DIAGNOSTICS_PER_CODE {
            return;
        }
        self.diagnostics.push(Diagnostic::new(
            Level::Warning,
            code,
            format!("{}: {msg}", xs.part()),
        ));
    }

    fn enter<R: BufRead>(&mut self, xs: &XmlStream<R>) -> Result<()> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return Err(Error::Limit {
                path: std::path::PathBuf::new(),
                part: xs.part().to_string(),
                what: "nesting of tables and text boxes".to_string(),
                limit: MAX_NEST as u64,
            });
        }
        Ok(())
    }

    fn visible_field(&self) -> bool {
        self.fields.iter().all(|f| f.result)
    }

    /// Reads a main document part: its root must be `w:document` (a package
    /// whose main part is something else, e.g. a theme, is not a Word
    /// document).
    pub fn document<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        out: &mut Vec<Block>,
    ) -> Result<()> {
        loop {
            match xs.next()? {
                Ev::Start(el) if el.w("document") => return self.blocks(xs, out),
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(Error::Unsupported {
                        path: std::path::PathBuf::new(),
                        reason: format!(
                            "main part {} is not a WordprocessingML document (root element <{}>)",
                            xs.part(),
                            el.local
                        ),
                    });
                }
                Ev::Eof => return Err(xs.error("the main document part is empty")),
                Ev::End | Ev::Text => {}
            }
        }
    }

    /// Reads block content until the end tag of the current element (or the
    /// end of the part) into `out`.
    pub fn blocks<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        out: &mut Vec<Block>,
    ) -> Result<()> {
        let mut depth = 0usize;
        let mut carry: Option<Paragraph> = None;
        // Taken here so only the outermost call (the body) is cut short.
        let budget = self.block_budget.take().unwrap_or(usize::MAX);
        loop {
            if out.len() >= budget {
                self.flush_carry(&mut carry, out);
                return Ok(());
            }
            match xs.next()? {
                Ev::Start(el) => match (el.ns, el.local.as_str()) {
                    (Ns::W, "p") => {
                        let p = self.paragraph(xs, false)?;
                        self.place(p, &mut carry, out);
                    }
                    (Ns::W, "tbl") => {
                        self.flush_carry(&mut carry, out);
                        if let Some(t) = self.table(xs)? {
                            out.push(Block::Table(t));
                        }
                    }
                    (Ns::W, "sectPr" | "pPr" | "rPr" | "tblPr" | "background") => xs.skip()?,
                    _ => depth += 1,
                },
                Ev::Empty(el)
                    if el.ns == Ns::W && matches!(el.local.as_str(), "altChunk" | "subDoc") =>
                {
                    // Content imported from another part (HTML, RTF, another
                    // document) is not read; say so rather than lose it quietly.
                    self.count("external_content_skipped");
                    self.warn(
                        xs,
                        "external_content_skipped",
                        format!("w:{} (content kept in another part) not read", el.local),
                    );
                }
                Ev::Empty(el) => {
                    if el.w("p") {
                        let p = self.finish_paragraph(ParaProps::default(), Pb::default());
                        self.place(p, &mut carry, out);
                    }
                }
                Ev::End => {
                    if depth == 0 {
                        self.flush_carry(&mut carry, out);
                        return Ok(());
                    }
                    depth -= 1;
                }
                Ev::Text => {}
                Ev::Eof => {
                    self.flush_carry(&mut carry, out);
                    return Ok(());
                }
            }
        }
    }

    fn flush_carry(&mut self, carry: &mut Option<Paragraph>, out: &mut Vec<Block>) {
        if let Some(p) = carry.take()
            && !p.text.trim().is_empty()
        {
            out.push(Block::Paragraph(p));
        }
    }

    /// Adds a paragraph to its container: joins it to a paragraph whose mark
    /// was deleted, drops it when empty, and puts its text boxes after it.
    fn place(&mut self, p: ParaOut, carry: &mut Option<Paragraph>, out: &mut Vec<Block>) {
        let ParaOut {
            mut para,
            mark_deleted,
            textboxes,
        } = p;
        if let Some(mut prev) = carry.take() {
            let shift = prev.text.chars().count();
            prev.text.push_str(&para.text);
            for mut m in para.marks.drain(..) {
                m.shift(shift);
                prev.marks.push(m);
            }
            para.text = prev.text;
            prev.marks.sort_by_key(Mark::start);
            para.marks = prev.marks;
        }
        if mark_deleted {
            self.count("deleted_paragraph_marks");
            *carry = Some(para);
        } else if para.text.trim().is_empty()
            && !para.marks.iter().any(|m| matches!(m, Mark::Note { .. }))
        {
            self.count("empty_paragraphs");
        } else {
            out.push(Block::Paragraph(para));
        }
        out.extend(textboxes);
    }

    /// Reads a `w:p` (start tag just read unless `empty`).
    fn paragraph<R: BufRead>(&mut self, xs: &mut XmlStream<R>, empty: bool) -> Result<ParaOut> {
        let mut pp = ParaProps::default();
        self.para_seq += 1;
        let mut pb = Pb {
            id: self.para_seq,
            ..Pb::default()
        };
        // What each open wrapper is: `Some(())` for a hyperlink.
        let mut wraps: Vec<bool> = Vec::new();
        if !empty {
            loop {
                match xs.next()? {
                    Ev::Start(el) => match (el.ns, el.local.as_str()) {
                        (Ns::W, "pPr") => pp = ParaProps::parse(xs)?,
                        (Ns::W, "r") => self.run(xs, &mut pb, &pp)?,
                        (Ns::W, "hyperlink") => {
                            let target = self.link_target(&el);
                            pb.open_links.push((pb.chars, target));
                            wraps.push(true);
                        }
                        (Ns::M, "t") => {
                            let mut s = String::new();
                            read_text(xs, &mut s)?;
                            if self.visible_field() {
                                pb.push(&s, 0);
                            }
                        }
                        (Ns::W, "txbxContent") => self.textbox(xs, &mut pb)?,
                        _ => wraps.push(false),
                    },
                    Ev::Empty(_) => {}
                    Ev::End => match wraps.pop() {
                        None => break,
                        Some(true) => {
                            if let Some((start, Some(target))) = pb.open_links.pop()
                                && pb.chars > start
                            {
                                pb.marks.push(Mark::Link {
                                    start,
                                    end: pb.chars,
                                    target,
                                });
                            }
                        }
                        Some(false) => {}
                    },
                    Ev::Text => {}
                    Ev::Eof => return Err(xs.error("unexpected end of part in w:p")),
                }
            }
        }
        // A field instruction cannot hold a paragraph mark: a field still
        // in its instruction here is broken, and keeping it open would hide
        // all text up to its (missing) end. Close it and say so.
        while self.fields.last().is_some_and(|f| !f.result) {
            self.fields.pop();
            self.count("unterminated_fields");
            self.warn(
                xs,
                "unterminated_field",
                "a field instruction ran past the end of its paragraph; the field was closed there"
                    .to_string(),
            );
        }
        let mark_deleted = pp.mark.deleted;
        let textboxes = std::mem::take(&mut pb.textboxes);
        let mut out = self.finish_paragraph(pp, pb);
        out.mark_deleted = mark_deleted;
        out.textboxes = textboxes;
        Ok(out)
    }

    fn link_target(&mut self, el: &El) -> Option<String> {
        if let Some(id) = el.attr("id") {
            match self.rels.get(id) {
                Some(rel) => {
                    let mut t = rel.target.clone();
                    if let Some(a) = el.attr("anchor") {
                        t.push('#');
                        t.push_str(a);
                    }
                    return Some(t);
                }
                None => {
                    self.count("unresolved_links");
                }
            }
        }
        el.attr("anchor").map(|a| format!("#{a}"))
    }

    fn finish_paragraph(&mut self, pp: ParaProps, mut pb: Pb) -> ParaOut {
        let style_id = self.styles.para_style(pp.style.as_deref());
        let heading = match pp.outline {
            Some(o) if o < 9 => Some(o + 1),
            Some(_) => None,
            None => self
                .styles
                .heading_level(style_id, self.vocab.heading_styles()),
        };
        let (snum, slvl) = self.styles.numbering(style_id);
        let num_id = pp.num_id.clone().or(snum);
        let list = match num_id {
            Some(n) => {
                let lvl = pp.ilvl.or(slvl).unwrap_or(0);
                let item = self
                    .numbering
                    .item(&n, lvl, self.styles, self.vocab.symbol_fonts());
                if item.is_some() {
                    self.count("list_items");
                }
                item
            }
            None => None,
        };
        let marks = pb.finish_marks();
        let para = Paragraph {
            text: std::mem::take(&mut pb.text),
            heading,
            list,
            style: pp.style.as_deref().map(|s| self.styles.display_name(s)),
            // Table-of-contents entries repeat the headings; say so.
            origin: pb.in_toc.then(|| "toc".to_string()),
            marks,
            provenance: Default::default(),
        };
        ParaOut {
            para,
            mark_deleted: false,
            textboxes: Vec::new(),
        }
    }

    /// Reads a `w:r` (start tag just read).
    fn run<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        pb: &mut Pb,
        pp: &ParaProps,
    ) -> Result<()> {
        let mut direct = RunProps::default();
        let mut eff: Option<RunProps> = None;
        let mut depth = 0usize;
        let mut hidden_counted = false;
        let pstyle = self
            .styles
            .para_style(pp.style.as_deref())
            .map(str::to_string);
        loop {
            let ev = xs.next()?;
            let el = match ev {
                Ev::Start(el) => {
                    if el.w("rPr") && depth == 0 {
                        direct = RunProps::parse(xs)?;
                        eff = None;
                        continue;
                    }
                    if el.w("txbxContent") {
                        self.textbox(xs, pb)?;
                        continue;
                    }
                    if el.w("instrText") {
                        let mut s = String::new();
                        read_text(xs, &mut s)?;
                        if let Some(top) = self.fields.last_mut()
                            && !top.result
                        {
                            top.instr.push_str(&s);
                        }
                        continue;
                    }
                    if (el.ns == Ns::W || el.ns == Ns::M) && el.local == "t" {
                        let mut s = String::new();
                        read_text(xs, &mut s)?;
                        let p = eff
                            .get_or_insert_with(|| {
                                self.styles.effective(pstyle.as_deref(), &direct)
                            })
                            .clone();
                        let (s, unmapped) =
                            self.vocab.symbol_fonts().map_text(p.font.as_deref(), &s);
                        if unmapped > 0 {
                            *self
                                .counts
                                .entry("unmapped_symbols".to_string())
                                .or_insert(0) += unmapped;
                        }
                        self.emit_text(pb, &s, &p, &mut hidden_counted);
                        continue;
                    }
                    if el.ns == Ns::W && is_atom(&el.local) {
                        // Atoms written with children (e.g. w:fldChar with
                        // w:ffData): act on the tag, skip the content.
                        xs.skip()?;
                        el
                    } else {
                        depth += 1;
                        continue;
                    }
                }
                Ev::Empty(el) => el,
                Ev::End => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Ev::Text => continue,
                Ev::Eof => return Err(xs.error("unexpected end of part in w:r")),
            };
            if el.ns != Ns::W {
                continue;
            }
            let p = eff
                .get_or_insert_with(|| self.styles.effective(pstyle.as_deref(), &direct))
                .clone();
            self.run_atom(xs, &el, pb, &p, &mut hidden_counted);
        }
    }

    /// A run's atom (tab, break, hyphen, symbol, note or comment reference,
    /// field character), with the run's properties.
    fn run_atom<R: BufRead>(
        &mut self,
        xs: &XmlStream<R>,
        el: &El,
        pb: &mut Pb,
        p: &RunProps,
        hidden_counted: &mut bool,
    ) {
        match el.local.as_str() {
            "tab" | "ptab" => self.emit_text(pb, "\t", p, hidden_counted),
            "br" | "cr" => self.emit_text(pb, "\n", p, hidden_counted),
            "noBreakHyphen" => self.emit_text(pb, "\u{2011}", p, hidden_counted),
            "softHyphen" => {
                self.count("soft_hyphens");
                self.emit_text(pb, "\u{AD}", p, hidden_counted)
            }
            "sym" => {
                let font = el.attr("font");
                match self.vocab.symbol_fonts().map_sym(font, el.attr("char")) {
                    Some((c, mapped)) => {
                        if !mapped {
                            self.count("unmapped_symbols");
                        }
                        let mut b = [0u8; 4];
                        self.emit_text(pb, c.encode_utf8(&mut b), p, hidden_counted)
                    }
                    None => {
                        self.count("unmapped_symbols");
                        self.warn(
                            xs,
                            "bad_symbol",
                            format!("w:sym with unreadable w:char {:?}", el.attr("char")),
                        );
                    }
                }
            }
            "footnoteReference" | "endnoteReference" => {
                let kind = if el.local == "footnoteReference" {
                    "footnote"
                } else {
                    "endnote"
                };
                if let Some(id) = el.attr("id") {
                    pb.marks.push(Mark::Note {
                        at: pb.chars,
                        id: format!("{kind}:{id}"),
                    });
                    self.count("note_references");
                }
            }
            "commentReference" => self.count("comment_references"),
            "fldChar" => self.field_char(el, pb),
            _ => {}
        }
    }

    fn emit_text(&mut self, pb: &mut Pb, s: &str, p: &RunProps, hidden_counted: &mut bool) {
        if !self.visible_field() {
            return;
        }
        if p.vanish == Some(true) {
            if !*hidden_counted {
                *hidden_counted = true;
                self.count("hidden_runs");
            }
            return;
        }
        if self.fields.iter().any(|f| f.kind == FieldKind::Toc) {
            pb.in_toc = true;
        }
        pb.push(s, flags_of(p));
    }

    /// Reads a `w:txbxContent` into blocks of their own, kept on the
    /// paragraph so they follow it instead of being spliced into its text.
    fn textbox<R: BufRead>(&mut self, xs: &mut XmlStream<R>, pb: &mut Pb) -> Result<()> {
        self.enter(xs)?;
        self.count("textboxes");
        let saved = std::mem::take(&mut self.fields);
        let mut blocks = Vec::new();
        let r = self.blocks(xs, &mut blocks);
        self.fields = saved;
        self.nest -= 1;
        r?;
        for b in &mut blocks {
            if let Block::Paragraph(p) = b
                && p.origin.is_none()
            {
                p.origin = Some("textbox".to_string());
            }
        }
        pb.textboxes.extend(blocks);
        Ok(())
    }

    /// Reads a notes part (`w:footnotes` / `w:endnotes`).
    pub fn notes<R: BufRead>(
        &mut self,
        xs: &mut XmlStream<R>,
        kind: NoteKind,
        out: &mut Vec<Note>,
    ) -> Result<()> {
        loop {
            match xs.next()? {
                Ev::Start(el)
                    if el.ns == Ns::W && (el.local == "footnote" || el.local == "endnote") =>
                {
                    if matches!(
                        el.attr("type"),
                        Some("separator" | "continuationSeparator" | "continuationNotice")
                    ) {
                        xs.skip()?;
                        continue;
                    }
                    let id = el.attr("id").unwrap_or("").to_string();
                    let mut blocks = Vec::new();
                    self.blocks(xs, &mut blocks)?;
                    for b in &mut blocks {
                        if let Block::Paragraph(p) = b {
                            p.origin.get_or_insert_with(|| kind.to_string());
                        }
                    }
                    out.push(Note {
                        id: format!("{kind}:{id}"),
                        kind,
                        blocks,
                    });
                }
                Ev::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

fn is_atom(local: &str) -> bool {
    matches!(
        local,
        "tab"
            | "ptab"
            | "br"
            | "cr"
            | "noBreakHyphen"
            | "softHyphen"
            | "sym"
            | "footnoteReference"
            | "endnoteReference"
            | "fldChar"
    )
}
