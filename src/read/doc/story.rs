//! Stories (main text, notes, headers/footers, text boxes) → model blocks.
//!
//! In: the [`Parsed`] file and a story's CP range. Out: [`Block`]s with the
//! same decisions the DOCX reader makes, so both formats extract alike:
//! * paragraphs end at 0x0D, at a cell mark 0x07 and at a section mark
//!   (0x0C at a section's end); a 0x0C inside a paragraph (page break),
//!   0x0B (line break) and 0x0E (column break) are `\n`; 0x1E → U+2011,
//!   0x1F → U+00AD (counted as `soft_hyphens`), TAB stays;
//! * fields (0x13 instruction 0x14 result 0x15): results shown, instructions
//!   hidden; a HYPERLINK result becomes a link mark, TOC results get
//!   `origin: "toc"`;
//! * tracked changes accepted: deleted text dropped (`tracked_deletions`),
//!   a deleted paragraph mark joins its paragraph to the next; hidden text
//!   (`vanish`, direct or from the styles) dropped (`hidden_runs`);
//! * pictures, drawn objects and note numbers (special characters) add no
//!   text; a note reference becomes a [`Mark::Note`];
//! * tables: paragraphs with a table depth go to the current cell; a cell
//!   mark (0x07 at depth 1, `fInnerTableCell` deeper) ends the cell, a row
//!   end (`fTtp` / `fInnerTtp`) ends the row and carries its TAP. Cell
//!   geometry (grid columns and column spans) comes from the union of the
//!   rows' cell boundaries; TAP merge flags become `col_span`/`row_span`
//!   exactly as the DOCX reader resolves `w:hMerge`/`w:vMerge`;
//! * empty paragraphs are not emitted (`empty_paragraphs`).

use super::props::{Chp, Pap, StyleInfo, Tap};
use super::{CharRun, Parsed, bin};
use crate::model::{Block, Cell, Diagnostic, Document, Level, Mark, Paragraph, Row, Table};
use crate::read::docx::body::hyperlink_target;
use crate::read::word::{BOLD, ITALIC, SUB, SUPER, UNDERLINE};
use crate::read::word::{FieldKind, append_paragraphs, field_kind, split_blocks};
use crate::vocab::Vocab;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

mod table;
use table::*;

mod fields;
use fields::*;

mod stories;
pub(super) use stories::read_stories;

/// Deepest table nesting followed (as the DOCX reader's).
const MAX_NEST: usize = 100;
const MAX_DIAGNOSTICS_PER_CODE: usize = 20;
/// Cell boundaries this close (twips, 1/1440 inch) share a grid line: Word
/// rounds the same edge differently from row to row by a twip or two, while
/// real edges 9 twips apart occur (and LibreOffice keeps them apart).
const GRID_SLACK: i32 = 3;

/// Moves a block's provenance `by` blocks down (text boxes after the body).
fn shift_block(b: &mut Block, by: usize) {
    fn fix(p: &mut crate::model::Provenance, by: usize) {
        if let Some(x) = p.block.as_mut() {
            *x += by;
        }
    }
    match b {
        Block::Paragraph(p) => fix(&mut p.provenance, by),
        Block::Table(t) => {
            fix(&mut t.provenance, by);
            for r in &mut t.rows {
                fix(&mut r.provenance, by);
                for c in &mut r.cells {
                    fix(&mut c.provenance, by);
                    for p in &mut c.paragraphs {
                        fix(&mut p.provenance, by);
                    }
                    for nb in &mut c.blocks {
                        shift_block(nb, by);
                    }
                }
            }
        }
    }
}

/// A paragraph under construction.
#[derive(Default)]
struct Pb {
    id: u64,
    in_toc: bool,
    text: String,
    chars: usize,
    spans: Vec<(usize, usize, u8)>,
    marks: Vec<Mark>,
}

impl Pb {
    fn push(&mut self, s: &str, flags: u8) {
        if s.is_empty() {
            return;
        }
        let n = s.chars().count();
        self.text.push_str(s);
        if flags != 0 {
            match self.spans.last_mut() {
                Some(l) if l.1 == self.chars && l.2 == flags => l.1 += n,
                _ => self.spans.push((self.chars, self.chars + n, flags)),
            }
        }
        self.chars += n;
    }

    /// One mark per contiguous range and kind, like the DOCX reader's.
    fn finish_marks(&mut self) -> Vec<Mark> {
        crate::read::word::span_marks(&self.spans, &mut self.marks)
    }
}

/// A paragraph's text while its runs are read: the builder, the segment
/// not yet flushed and a high surrogate waiting for its low half (both
/// carry over from one run to the next).
struct ParaText {
    pb: Pb,
    seg: String,
    pending_high: Option<u16>,
}

/// One character run's formatting, as the text loop needs it.
struct RunFmt {
    chp: Chp,
    font: Option<String>,
    flags: u8,
}

fn flags_of(c: &Chp) -> u8 {
    let mut f = 0;
    if c.bold {
        f |= BOLD;
    }
    if c.italic {
        f |= ITALIC;
    }
    if c.underline {
        f |= UNDERLINE;
    }
    if c.sup {
        f |= SUPER;
    }
    if c.sub {
        f |= SUB;
    }
    f
}

/// State while reading stories.
struct Story {
    /// Symbol fonts, for symbol characters and list bullets.
    vocab: Arc<Vocab>,
    counts: BTreeMap<String, u64>,
    diagnostics: Vec<Diagnostic>,
    per_code: HashMap<String, usize>,
    fields: Vec<Field>,
    para_seq: u64,
    /// Main text: note references become marks.
    note_refs: bool,
    budget: Option<usize>,
    max: usize,
    max_nest: usize,
    paragraphs: usize,
    deleted_chars: u64,
    chp_cache: HashMap<(u16, u32, u32, u16), Chp>,
}

impl Story {
    fn new(max: usize, max_nest: usize, vocab: Arc<Vocab>) -> Story {
        Story {
            vocab,
            counts: BTreeMap::new(),
            diagnostics: Vec::new(),
            per_code: HashMap::new(),
            fields: Vec::new(),
            para_seq: 0,
            note_refs: false,
            budget: None,
            max,
            max_nest,
            paragraphs: 0,
            deleted_chars: 0,
            chp_cache: HashMap::new(),
        }
    }

    fn count(&mut self, name: &str, n: u64) {
        if n > 0 {
            *self.counts.entry(name.to_string()).or_insert(0) += n;
        }
    }

    fn warn(&mut self, code: &str, msg: String) {
        let n = self.per_code.entry(code.to_string()).or_insert(0);
        *n += 1;
        if *n <= MAX_DIAGNOSTICS_PER_CODE {
            self.diagnostics
                .push(Diagnostic::new(Level::Warning, code, msg));
        }
    }

    fn finish(&mut self, doc: &mut Document) {
        for (k, v) in std::mem::take(&mut self.counts) {
            doc.count(&k, v);
        }
        doc.diagnostics.append(&mut self.diagnostics);
    }

    fn visible(&self) -> bool {
        self.fields.iter().all(|f| f.result)
    }

    /// The effective character properties of a run in a paragraph of
    /// style `istd`.
    fn chp(&mut self, p: &Parsed, istd: u16, run: &CharRun) -> Chp {
        let key = (istd, run.off, run.len, run.prm);
        if let Some(c) = self.chp_cache.get(&key) {
            return *c;
        }
        let mut base = p.styles.get(istd).map(|s| s.chp).unwrap_or_default();
        let direct = p.word_slice(run.off, run.len);
        let prm = p.prm_grpprl(run.prm);
        // A character style applies under the direct formatting.
        for s in bin::sprms(direct).chain(bin::sprms(prm)) {
            if s.op == 0x4A30
                && let Some(cs) = p.styles.char_style(s.word())
            {
                let d = Chp::default();
                base.bold |= cs.bold != d.bold;
                base.italic |= cs.italic;
                base.underline |= cs.underline;
                base.vanish |= cs.vanish;
                base.sup |= cs.sup;
                base.sub |= cs.sub;
                if cs.font.is_some() {
                    base.font = cs.font;
                }
            }
        }
        let mut c = base;
        for s in bin::sprms(direct).chain(bin::sprms(prm)) {
            c.apply(&s, &base);
        }
        if self.chp_cache.len() < 4096 {
            self.chp_cache.insert(key, c);
        }
        c
    }

    /// Reads the story text `[s, e)` into blocks.
    fn blocks(&mut self, p: &mut Parsed, s: u32, e: u32) -> Vec<Block> {
        let e = e.min(p.units.len() as u32);
        let mut out: Vec<Block> = Vec::new();
        let mut stack: Vec<TableB> = Vec::new();
        let mut carry: Option<Paragraph> = None;
        self.fields.clear();
        let mut cp = s;
        while cp < e {
            if let Some(b) = self.budget
                && stack.is_empty()
                && out.len() >= b
            {
                break;
            }
            self.paragraphs += 1;
            if self.paragraphs > self.max {
                self.warn(
                    "limit_paragraphs",
                    format!(
                        "more than {} paragraphs; the rest of the text is not read",
                        self.max
                    ),
                );
                break;
            }
            let mut end = cp;
            while end < e && !is_para_end(p, end) {
                end += 1;
            }
            let mark = p.units.get(end as usize).copied().filter(|_| end < e);
            let pap = p.pap_at(end.min(e.saturating_sub(1)));
            let before = self.deleted_chars;
            let (para, mark_deleted) = self.paragraph(p, cp, end, &pap);
            let deleted_here = self.deleted_chars - before;
            cp = end.saturating_add(1);

            let mut depth = pap.depth().min(self.max_nest);
            if pap.depth() > self.max_nest {
                self.warn(
                    "limit_nesting",
                    format!("table depth {} cut to {}", pap.depth(), self.max_nest),
                );
            }
            // A cell mark outside any table is a plain paragraph end.
            if depth == 0 && mark == Some(0x07) && pap.ttp {
                depth = 1;
            }
            while stack.len() > depth {
                close_table(self, &mut stack, &mut out);
            }
            while stack.len() < depth {
                stack.push(TableB::default());
            }
            let row_end = match depth {
                0 => false,
                1 => pap.ttp || (pap.inner_ttp && pap.itap == Some(1)),
                _ => pap.inner_ttp,
            };
            let cell_end = !row_end
                && match depth {
                    0 => false,
                    1 => mark == Some(0x07),
                    _ => pap.inner_cell || mark == Some(0x07),
                };
            let Some(t) = stack.last_mut() else {
                place(self, para, mark_deleted, &mut carry, &mut out);
                continue;
            };
            t.deleted += deleted_here;
            if row_end {
                if !t.cur.is_empty() {
                    t.cells.push(std::mem::take(&mut t.cur));
                }
                let cells = std::mem::take(&mut t.cells);
                // A row whose text is all tracked deletions is a deleted
                // row (the deletion flag may sit on the previous row's end
                // mark): accepting it removes the row.
                let deleted_row =
                    std::mem::take(&mut t.deleted) > 0 && cells.iter().all(|c| c.is_empty());
                if deleted_row {
                    self.count("tracked_row_deletions", 1);
                } else {
                    t.rows.push((cells, pap.tap.clone()));
                }
                continue;
            }
            let mut none = None;
            place(self, para, false, &mut none, &mut t.cur);
            if cell_end {
                let c = std::mem::take(&mut t.cur);
                t.cells.push(c);
            }
        }
        while !stack.is_empty() {
            close_table(self, &mut stack, &mut out);
        }
        if let Some(c) = carry.take()
            && !c.text.trim().is_empty()
        {
            out.push(Block::Paragraph(c));
        }
        out
    }

    /// The paragraph of text `[a, end)`; also whether its mark is a
    /// tracked deletion.
    fn paragraph(&mut self, p: &mut Parsed, a: u32, end: u32, pap: &Pap) -> (Paragraph, bool) {
        self.para_seq += 1;
        let pb = Pb {
            id: self.para_seq,
            ..Pb::default()
        };
        let style = p.styles.get(pap.istd).cloned().unwrap_or_default();
        let mut mark_deleted = false;
        let mut i = p.chars.partition_point(|r| r.cp_end <= a);
        let mut t = ParaText {
            pb,
            seg: String::new(),
            pending_high: None,
        };
        while let Some(run) = p.chars.get(i).copied() {
            if run.cp > end {
                break;
            }
            i += 1;
            let chp = self.chp(p, pap.istd, &run);
            if run.cp <= end && end < run.cp_end && chp.deleted {
                mark_deleted = true;
            }
            let from = run.cp.max(a);
            let to = run.cp_end.min(end);
            if from >= to {
                continue;
            }
            let font = chp.font.and_then(|f| p.fonts.get(f as usize)).cloned();
            let flags = flags_of(&chp);
            let f = RunFmt { chp, font, flags };
            let (deleted, hidden) = self.run_units(p, &mut t, &f, from, to);
            self.flush(&mut t.pb, &mut t.seg, f.font.as_deref(), f.flags);
            if deleted > 0 {
                self.count("tracked_deletions", 1);
                self.deleted_chars += deleted;
            }
            if hidden {
                self.count("hidden_runs", 1);
            }
            if f.chp.inserted && to > from {
                self.count("tracked_insertions", 1);
            }
        }
        let para = self.finish_paragraph(p, pap, &style, t.pb, a, end);
        (para, mark_deleted)
    }

    /// Reads the units `from..to` of one character run into the paragraph's
    /// text; returns the tracked-deleted units and whether hidden text was
    /// dropped.
    fn run_units(
        &mut self,
        p: &Parsed,
        t: &mut ParaText,
        f: &RunFmt,
        from: u32,
        to: u32,
    ) -> (u64, bool) {
        let ParaText {
            pb,
            seg,
            pending_high,
        } = t;
        let (chp, font, flags) = (&f.chp, f.font.as_deref(), f.flags);
        let mut deleted = 0u64;
        let mut hidden = false;
        for cp in from..to {
            let u = p.units[cp as usize];
            if chp.deleted {
                deleted += 1;
                continue;
            }
            if self.note_refs
                && let Some(id) = p.note_refs.get(&cp)
            {
                self.flush(pb, seg, font, flags);
                pb.marks.push(Mark::Note {
                    at: pb.chars,
                    id: id.clone(),
                });
                self.count("note_references", 1);
                if u == 0x02 {
                    continue;
                }
            }
            if matches!(u, 0x13..=0x15) {
                self.flush(pb, seg, font, flags);
                self.field_mark(u, pb);
                continue;
            }
            if !self.visible() {
                if let Some(top) = self.fields.last_mut()
                    && !top.result
                    && let Some(c) = char::from_u32(u32::from(u))
                {
                    top.instr.push(c);
                }
                continue;
            }
            if chp.vanish {
                hidden = true;
                continue;
            }
            let c = match u {
                0x09 => '\t',
                0x0B | 0x0C | 0x0E => '\n',
                0x1E => '\u{2011}',
                0x1F => {
                    self.count("soft_hyphens", 1);
                    '\u{AD}'
                }
                0x05 if chp.spec => {
                    self.count("comment_references", 1);
                    continue;
                }
                0x28 if chp.symbol.is_some() => {
                    let (ftc, xc) = chp.symbol.unwrap_or((0, 0x28));
                    let f = p.fonts.get(ftc as usize).map(String::as_str);
                    let c = char::from_u32(u32::from(xc)).unwrap_or('\u{FFFD}');
                    let (m, ok) = self.vocab.symbol_fonts().map_char(f, c);
                    if !ok {
                        self.count("unmapped_symbols", 1);
                    }
                    self.flush(pb, seg, font, flags);
                    let mut b = [0u8; 4];
                    self.push(pb, m.encode_utf8(&mut b), flags);
                    continue;
                }
                // Pictures, objects, note numbers, separators and
                // other control characters show no text.
                x if x < 0x20 => continue,
                0xD800..=0xDBFF => {
                    *pending_high = Some(u);
                    continue;
                }
                0xDC00..=0xDFFF => {
                    let hi = pending_high.take().unwrap_or(0xD800);
                    char::decode_utf16([hi, u])
                        .next()
                        .and_then(|r| r.ok())
                        .unwrap_or('\u{FFFD}')
                }
                _ => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
            };
            if pending_high.take().is_some() {
                seg.push('\u{FFFD}');
            }
            seg.push(c);
        }
        (deleted, hidden)
    }

    /// The paragraph once its text is read: fields still open closed (and
    /// reported), heading level, list item, marks.
    fn finish_paragraph(
        &mut self,
        p: &mut Parsed,
        pap: &Pap,
        style: &StyleInfo,
        mut pb: Pb,
        a: u32,
        end: u32,
    ) -> Paragraph {
        while self.fields.last().is_some_and(|f| !f.result) {
            self.fields.pop();
            self.count("unterminated_fields", 1);
            self.warn(
                "unterminated_field",
                format!(
                    "a field instruction ran past the end of the paragraph at CP {end}; the field was closed there"
                ),
            );
        }
        let heading = match pap.outline {
            Some(o) if o < 9 => Some(o + 1),
            Some(_) => None,
            None => style.heading,
        };
        let ilfo = pap.ilfo.or(style.ilfo);
        let list = match ilfo {
            Some(n) if n > 0 => {
                let lvl = pap.ilvl.or(style.ilvl).unwrap_or(0);
                let item = p.lists.item(n, lvl, &p.fonts, self.vocab.symbol_fonts());
                if item.is_some() {
                    self.count("list_items", 1);
                }
                item
            }
            _ => None,
        };
        let marks = pb.finish_marks();
        Paragraph {
            text: std::mem::take(&mut pb.text),
            heading,
            list,
            style: style.name.clone(),
            origin: pb.in_toc.then(|| "toc".to_string()),
            marks,
            provenance: crate::model::Provenance {
                char_pos: Some(a),
                ..Default::default()
            },
        }
    }

    /// Maps a run's text through its font (symbol fonts) into the paragraph.
    fn flush(&mut self, pb: &mut Pb, seg: &mut String, font: Option<&str>, flags: u8) {
        if seg.is_empty() {
            return;
        }
        let (s, unmapped) = self.vocab.symbol_fonts().map_text(font, seg);
        self.count("unmapped_symbols", unmapped);
        self.push(pb, &s, flags);
        seg.clear();
    }

    fn push(&mut self, pb: &mut Pb, s: &str, flags: u8) {
        if self.fields.iter().any(|f| f.kind == FieldKind::Toc) {
            pb.in_toc = true;
        }
        pb.push(s, flags);
    }
}

/// Whether the character at `cp` ends a paragraph.
fn is_para_end(p: &Parsed, cp: u32) -> bool {
    match p.units[cp as usize] {
        0x0D | 0x07 => true,
        0x0C => p.section_ends.binary_search(&(cp + 1)).is_ok(),
        _ => false,
    }
}

/// Adds a paragraph to its container: joins it to a paragraph whose mark
/// was deleted, drops it when empty.
fn place(
    st: &mut Story,
    mut para: Paragraph,
    mark_deleted: bool,
    carry: &mut Option<Paragraph>,
    out: &mut Vec<Block>,
) {
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
        st.count("deleted_paragraph_marks", 1);
        *carry = Some(para);
    } else if para.text.trim().is_empty()
        && !para.marks.iter().any(|m| matches!(m, Mark::Note { .. }))
    {
        st.count("empty_paragraphs", 1);
    } else {
        out.push(Block::Paragraph(para));
    }
}
