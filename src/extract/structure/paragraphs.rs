//! Paragraphs: goal labels in headings and running text ("Strateški pravac
//! 1:", "Mjera 1.1:"), statements about a goal ("Tip mere: …"), and
//! activities written as label–value blocks.

use super::*;

impl Pass<'_, '_> {
    pub(super) fn paragraph(&mut self, i: usize) {
        let p = &self.ctx.paragraphs[i].paragraph;
        if p.origin.is_some() {
            return;
        }
        let shown = p.shown_text();
        if let Some((f, v)) = self.stated(&p.text)
            && self.state(&f, &v, &p.provenance)
        {
            self.stated_paras.push(i);
            return;
        }
        let first = shown.lines().next().unwrap_or("");
        // A table-of-contents entry ("Cilj 1: …<TAB>12") names a goal the
        // body states; its page number is no goal text.
        if first.rsplit_once('\t').is_some_and(|(_, n)| {
            !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
        }) {
            return;
        }
        if self.block_paragraph(i, first) {
            self.stated_paras.push(i);
            return;
        }
        if let Some(l) = labels::objective(first, self.ctx.labels()) {
            let mut text = l.text;
            for more in shown.lines().skip(1) {
                text.push(' ');
                text.push_str(more.trim());
            }
            self.open(
                l.kind,
                l.code,
                text.trim().to_string(),
                p.provenance.clone(),
                false,
                Some(i),
            );
        }
    }

    /// Activities written as label–value paragraphs, a layout like a table:
    /// "Aktivnost 3.1.1: …" opens an activity (under the node its number
    /// extends, else the open goal), and the "Label: value" paragraphs
    /// right after it whose label names an activity field ("Izvršilac:",
    /// "Rok:", "Budžet:", "Bartësi:") are its fields, each with its own
    /// provenance. Any other paragraph, or a table, ends the block. True
    /// when the paragraph was read so.
    pub(super) fn block_paragraph(&mut self, i: usize, first: &str) -> bool {
        let p = &self.ctx.paragraphs[i].paragraph;
        if let Some((code, true, text)) = labels::activity(first, self.ctx.labels(), false) {
            let mut text = text;
            for more in p.text.lines().skip(1) {
                text.push(' ');
                text.push_str(more.trim());
            }
            let parent = match self.parent_by_code(&code) {
                Some(o) => {
                    self.stack = self.ancestry(o);
                    self.current()
                }
                None => self.current(),
            };
            let parents = self.parents_of(parent);
            self.acts.push(ActDraft {
                code: Some(code),
                parent,
                parents,
                text: collapse_whitespace(&text),
                fields: BTreeMap::new(),
                raw_map: HashMap::new(),
                provenance: p.provenance.clone(),
                measure: None,
            });
            self.block = Some(self.acts.len() - 1);
            return true;
        }
        let Some(a) = self.block else {
            return false;
        };
        let field = p.text.split_once(':').and_then(|(label, value)| {
            let label = label.trim();
            if label.is_empty() || label.chars().count() > 48 || value.trim().is_empty() {
                return None;
            }
            match self
                .lx
                .header_role(self.ctx.norm(), label)
                .or_else(|| self.lx.header_role_words(self.ctx.norm(), label))
            {
                Some(Role::Field(f) | Role::Stated(f)) => Some((f, collapse_whitespace(value))),
                _ => None,
            }
        });
        match field {
            Some((name, value)) => {
                let f = fields::field(self.ctx, &name, &value, p.provenance.clone());
                self.acts[a].fields.insert(name, f);
                true
            }
            None => {
                self.block = None;
                false
            }
        }
    }

    /// A "Label: value" statement about a goal or measure: the field the
    /// label names and the value.
    pub(super) fn stated(&self, text: &str) -> Option<(String, String)> {
        let (label, value) = text.split_once(':')?;
        let value = collapse_whitespace(value);
        if value.is_empty() {
            return None;
        }
        match self.lx.header_role(self.ctx.norm(), label) {
            Some(Role::Stated(f)) => Some((f, value)),
            _ => None,
        }
    }

    /// Records a stated field on the innermost open goal; false when no
    /// goal is open. A field stated again continues on a line of its own.
    pub(super) fn state(&mut self, name: &str, value: &str, prov: &Provenance) -> bool {
        let Some(&top) = self.stack.last() else {
            return false;
        };
        let ctx = self.ctx;
        let fields = &mut self.occs[top].fields;
        let (raw, prov) = match fields.get(name) {
            Some(f) if !f.raw.is_empty() => (format!("{}\n{value}", f.raw), {
                let mut p = f.provenance.clone();
                if let (Some([a, _]), Some([_, b])) = (p.line, prov.line) {
                    p.line = Some([a, b]);
                }
                p
            }),
            _ => (value.to_string(), prov.clone()),
        };
        fields.insert(name.to_string(), fields::field(ctx, name, &raw, prov));
        true
    }
}
