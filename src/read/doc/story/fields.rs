//! Fields of a story (field begin, separator and end marks): the open field
//! and its kind.

/// An open field.
pub(super) struct Field {
    pub(super) result: bool,
    pub(super) instr: String,
    pub(super) link_start: Option<(u64, usize)>,
    pub(super) kind: FieldKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldKind {
    Other,
    Hyperlink,
    Toc,
}

pub(super) fn field_kind(instr: &str) -> FieldKind {
    let word = instr.split_whitespace().next().unwrap_or("");
    if word.eq_ignore_ascii_case("HYPERLINK") {
        FieldKind::Hyperlink
    } else if word.eq_ignore_ascii_case("TOC") {
        FieldKind::Toc
    } else {
        FieldKind::Other
    }
}
