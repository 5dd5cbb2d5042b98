//! The stories of a .doc file in the order the DOCX reader produces them:
//! main text, its text boxes, footnotes and endnotes, headers and footers
//! (with their text boxes); comments are skipped with a warning.

use super::{MAX_NEST, Story, shift_block};
use crate::model::{Block, Document, Note, NoteKind};
use crate::read::Limits;
use crate::read::doc::{Parsed, fcl};
use crate::vocab::Vocab;
use std::sync::Arc;

/// Reads every story of `p` into `doc`.
pub(in crate::read::doc) fn read_stories(
    p: &mut Parsed,
    doc: &mut Document,
    limits: Limits,
    vocab: &Arc<Vocab>,
    preview: Option<usize>,
) {
    let ranges = p.story_ranges();
    let max = limits.max_elements.min(usize::MAX as u64) as usize;
    let max_nest = limits.max_depth.clamp(1, MAX_NEST);
    let mut st = Story::new(max, max_nest, Arc::clone(vocab));

    // Main text.
    st.note_refs = true;
    st.budget = preview;
    let mut blocks = st.blocks(p, ranges[0].0, ranges[0].1);
    st.note_refs = false;
    st.budget = None;
    crate::read::docx::assign_blocks(&mut blocks, None);
    doc.blocks = blocks;
    if preview.is_some() {
        st.finish(doc);
        return;
    }

    main_textboxes(&mut st, p, ranges[6], doc);

    notes(&mut st, p, &ranges, max, doc);

    headers_footers(&mut st, p, ranges[2], max, doc);
    if let Some(mut tb) = textboxes(&mut st, p, ranges[7]) {
        crate::read::docx::assign_blocks(&mut tb, Some("header textboxes"));
        doc.headers.extend(tb);
    }
    let ann = ranges[4];
    if ann.1 > ann.0 {
        st.count("comments_skipped", 1);
        st.warn(
            "comments_skipped",
            "comments (annotations) are not read, as for DOCX".to_string(),
        );
    }
    st.finish(doc);
}

/// Text boxes of the main text: after the body, as the DOCX reader puts
/// a text box after its anchor (the anchor is not followed here).
fn main_textboxes(st: &mut Story, p: &mut Parsed, range: (u32, u32), doc: &mut Document) {
    if let Some(mut tb) = textboxes(st, p, range) {
        let base = doc.blocks.len();
        crate::read::docx::assign_blocks(&mut tb, Some("textboxes"));
        for b in &mut tb {
            shift_block(b, base);
        }
        doc.blocks.extend(tb);
    }
}

/// The text boxes of a text-box story, their paragraphs marked as such
/// and counted; `None` when the story is empty.
fn textboxes(st: &mut Story, p: &mut Parsed, (s, e): (u32, u32)) -> Option<Vec<Block>> {
    if e <= s {
        return None;
    }
    let mut tb = st.blocks(p, s, e);
    for b in &mut tb {
        if let Block::Paragraph(para) = b {
            para.origin.get_or_insert_with(|| "textbox".to_string());
        }
    }
    st.count("textboxes", tb.len() as u64);
    Some(tb)
}

/// Footnotes and endnotes: the text PLC cuts the story into notes, in
/// the order of their references.
fn notes(st: &mut Story, p: &mut Parsed, ranges: &[(u32, u32); 8], max: usize, doc: &mut Document) {
    for (txt, refs, story, kind, part) in [
        (
            fcl::PLCFFND_TXT,
            fcl::PLCFFND_REF,
            1,
            NoteKind::Footnote,
            "footnotes",
        ),
        (
            fcl::PLCFEND_TXT,
            fcl::PLCFEND_REF,
            5,
            NoteKind::Endnote,
            "endnotes",
        ),
    ] {
        let (s, e) = ranges[story];
        if e <= s {
            continue;
        }
        let cps = p.plc(txt, 0, max);
        let nrefs = p.plc(refs, 2, max).len().saturating_sub(1);
        for i in 0..nrefs.min(cps.len().saturating_sub(1)) {
            let a = s.saturating_add(cps[i]).min(e);
            let b = s.saturating_add(cps[i + 1]).min(e);
            let mut blocks = st.blocks(p, a, b);
            for bl in &mut blocks {
                if let Block::Paragraph(para) = bl {
                    para.origin.get_or_insert_with(|| kind.to_string());
                }
            }
            crate::read::docx::assign_blocks(&mut blocks, Some(part));
            doc.notes.push(Note {
                id: format!("{kind}:{}", i + 1),
                kind,
                blocks,
            });
        }
    }
}

/// Headers and footers: six stories per section after six separator
/// stories: even/odd header, even/odd footer, first header/footer.
fn headers_footers(
    st: &mut Story,
    p: &mut Parsed,
    range: (u32, u32),
    max: usize,
    doc: &mut Document,
) {
    let (s, e) = range;
    if e > s {
        let cps = p.plc(fcl::PLCF_HDD, 0, max);
        for i in 6..cps.len().saturating_sub(1) {
            let a = s.saturating_add(cps[i]).min(e);
            let b = s.saturating_add(cps[i + 1]).min(e);
            if b <= a {
                continue;
            }
            let footer = matches!((i - 6) % 6, 2 | 3 | 5);
            let origin = if footer { "footer" } else { "header" };
            let mut blocks = st.blocks(p, a, b);
            for bl in &mut blocks {
                if let Block::Paragraph(para) = bl {
                    para.origin.get_or_insert_with(|| origin.to_string());
                }
            }
            crate::read::docx::assign_blocks(&mut blocks, Some(&format!("{origin}s:{}", i - 6)));
            if footer {
                doc.footers.extend(blocks);
            } else {
                doc.headers.extend(blocks);
            }
        }
    }
}
