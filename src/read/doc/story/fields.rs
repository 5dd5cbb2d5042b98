//! Fields of a story (field begin, separator and end marks): the open field
//! and its kind.

use super::*;

/// An open field.
pub(super) struct Field {
    pub(super) result: bool,
    pub(super) instr: String,
    pub(super) link_start: Option<(u64, usize)>,
    pub(super) kind: FieldKind,
}

impl Story {
    /// A field's begin (0x13), separator (0x14) or end (0x15) mark, the
    /// text before it already flushed.
    pub(super) fn field_mark(&mut self, u: u16, pb: &mut Pb) {
        match u {
            0x13 => {
                self.fields.push(Field {
                    result: false,
                    instr: String::new(),
                    link_start: None,
                    kind: FieldKind::Other,
                });
                self.count("fields", 1);
            }
            0x14 => {
                if let Some(top) = self.fields.last_mut() {
                    top.result = true;
                    top.link_start = Some((pb.id, pb.chars));
                    top.kind = field_kind(&top.instr);
                }
            }
            _ => self.end_field(pb),
        }
    }

    /// A field ends: a HYPERLINK field whose result lies in this paragraph
    /// becomes a link mark.
    fn end_field(&mut self, pb: &mut Pb) {
        match self.fields.pop() {
            None => self.count("unbalanced_field_ends", 1),
            Some(f) => {
                if f.kind == FieldKind::Hyperlink
                    && let Some((id, start)) = f.link_start
                    && id == pb.id
                    && pb.chars > start
                    && self.visible()
                    && let Some(target) = hyperlink_target(&f.instr)
                {
                    pb.marks.push(Mark::Link {
                        start,
                        end: pb.chars,
                        target,
                    });
                }
            }
        }
    }
}
