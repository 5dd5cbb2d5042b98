//! Complex fields (`w:fldChar` begin … separate … end) and the
//! target of a `HYPERLINK` field's instruction (also read by the DOC reader).

use super::*;

/// An open complex field (`w:fldChar` begin … separate … end).
pub(super) struct Field {
    /// Past `separate`: the result is showing.
    pub(super) result: bool,
    /// The instruction (`w:instrText`), read for HYPERLINK and TOC.
    pub(super) instr: String,
    /// Where a HYPERLINK result began: (paragraph number, char offset).
    pub(super) link_start: Option<(u64, usize)>,
    /// Set at `separate` from the instruction's first word.
    pub(super) kind: FieldKind,
}

/// The target of a `HYPERLINK "url" \l "anchor"` field instruction.
pub(crate) fn hyperlink_target(instr: &str) -> Option<String> {
    let mut tokens = Vec::new();
    let mut chars = instr.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut t = String::new();
        if c == '"' {
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
                t.push(d);
            }
        } else {
            t.push(c);
            while let Some(&d) = chars.peek() {
                if d.is_whitespace() {
                    break;
                }
                t.push(d);
                chars.next();
            }
        }
        tokens.push(t);
    }
    let mut url: Option<String> = None;
    let mut anchor: Option<String> = None;
    let mut i = 1;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.eq_ignore_ascii_case("\\l") {
            anchor = tokens.get(i + 1).cloned();
            i += 2;
        } else if t.starts_with('\\') {
            // Other switches (\o tooltip, \t target frame) take a value.
            i += if matches!(t.as_str(), "\\m" | "\\n") {
                1
            } else {
                2
            };
        } else {
            if url.is_none() {
                url = Some(t.clone());
            }
            i += 1;
        }
    }
    match (url, anchor) {
        (Some(u), Some(a)) => Some(format!("{u}#{a}")),
        (Some(u), None) => Some(u),
        (None, Some(a)) => Some(format!("#{a}")),
        (None, None) => None,
    }
}

impl Story<'_> {
    /// A `w:fldChar`: a field begins, shows its result, or ends (a
    /// HYPERLINK field whose result lies in this paragraph becomes a link).
    pub(super) fn field_char(&mut self, el: &El, pb: &mut Pb) {
        match el.attr("fldCharType") {
            Some("begin") => {
                self.fields.push(Field {
                    result: false,
                    instr: String::new(),
                    link_start: None,
                    kind: FieldKind::Other,
                });
                self.count("fields");
            }
            Some("separate") => {
                if let Some(top) = self.fields.last_mut() {
                    top.result = true;
                    top.link_start = Some((pb.id, pb.chars));
                    top.kind = field_kind(&top.instr);
                }
            }
            Some("end") => match self.fields.pop() {
                None => self.count("unbalanced_field_ends"),
                Some(f) => {
                    // A HYPERLINK field whose result lies in this
                    // paragraph becomes a link mark.
                    if f.kind == FieldKind::Hyperlink
                        && let Some((id, start)) = f.link_start
                        && id == pb.id
                        && pb.chars > start
                        && self.visible_field()
                        && let Some(target) = hyperlink_target(&f.instr)
                    {
                        pb.marks.push(Mark::Link {
                            start,
                            end: pb.chars,
                            target,
                        });
                    }
                }
            },
            _ => {}
        }
    }
}
