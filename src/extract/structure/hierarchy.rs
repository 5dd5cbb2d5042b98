//! Hierarchy: where a goal, an activity or an indicator belongs — by its
//! number first (1.2.3 under 1.2, 2.1 under II), by layout second (a goal
//! column or row of the same table, the goal a table's caption names), by
//! order last (the goal read last), each fallback reported.

use super::*;

/// A goal number in one form for comparing: no final dot, a Roman first
/// number as Arabic (Prioritet II's measures are 2.1, 2.2).
pub(super) fn canonical_code(code: &str) -> String {
    let c = code.trim().trim_end_matches('.');
    let (first, rest) = c.split_once('.').map_or((c, None), |(a, b)| (a, Some(b)));
    let first = if !first.starts_with(|c: char| c.is_ascii_digit()) && labels::is_roman(first) {
        labels::roman_value(first).map_or_else(|| first.to_string(), |v| v.to_string())
    } else {
        first.to_string()
    };
    match rest {
        Some(r) => format!("{first}.{r}"),
        None => first,
    }
}

pub(super) fn rank(k: ObjectiveKind) -> u8 {
    match k {
        ObjectiveKind::GeneralGoal => 0,
        ObjectiveKind::Priority => 1,
        ObjectiveKind::SpecificGoal | ObjectiveKind::Objective => 2,
        ObjectiveKind::Measure => 3,
    }
}

impl Pass<'_, '_> {
    pub(super) fn open(
        &mut self,
        kind: ObjectiveKind,
        code: Option<String>,
        text: String,
        provenance: Provenance,
        structural: bool,
        paragraph: Option<usize>,
    ) -> usize {
        // The number decides first: 1.2 sits under 1 (or I), whatever was
        // announced last; without a numbered parent, the open goals do.
        let by_code = code
            .as_deref()
            .and_then(|c| self.parent_by_code(c))
            .filter(|&p| rank(self.occs[p].kind) <= rank(kind));
        if let Some(p) = by_code {
            self.stack = self.ancestry(p);
        } else {
            while let Some(&top) = self.stack.last() {
                if rank(self.occs[top].kind) >= rank(kind) {
                    self.stack.pop();
                } else {
                    break;
                }
            }
        }
        let parent = self.stack.last().copied();
        // A goal the table itself states is more specific than its caption.
        self.owner = None;
        self.table_goal = true;
        if let Some(c) = &code {
            self.by_code.insert(canonical_code(c), self.occs.len());
        }
        self.occs.push(Occ {
            kind,
            code,
            parent,
            text,
            provenance,
            structural,
            paragraph,
            group: None,
            fields: BTreeMap::new(),
        });
        let i = self.occs.len() - 1;
        self.stack.push(i);
        i
    }

    /// Opens a goal stated in a table cell (its words tidied).
    pub(super) fn open_cell(
        &mut self,
        kind: ObjectiveKind,
        code: Option<String>,
        text: &str,
        at: &Provenance,
    ) -> usize {
        self.open(
            kind,
            code,
            collapse_whitespace(text),
            at.clone(),
            true,
            None,
        )
    }

    /// A goal cell without a number: the rest of the goal above when it
    /// starts in lower case (a page break split the cell), else a goal of
    /// its own.
    pub(super) fn continue_or_open(&mut self, kind: ObjectiveKind, c: &GCell) {
        match self.stack.last().copied() {
            Some(t) if starts_lowercase(&c.text) => self.append_text(t, &c.text, &c.provenance),
            _ => {
                self.open_cell(kind, None, &c.text, &c.provenance);
            }
        }
    }

    /// A goal and its enclosing goals, outermost first.
    pub(super) fn ancestry(&self, occ: usize) -> Vec<usize> {
        let mut chain = vec![occ];
        let mut at = self.occs[occ].parent;
        while let Some(p) = at {
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            at = self.occs[p].parent;
        }
        chain.reverse();
        chain
    }

    /// The latest goal-like node numbered `code` (canonical form, see
    /// [`canonical_code`]).
    pub(super) fn occ_by_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The node a number belongs under: the longest proper prefix of it
    /// that numbers a node (1.2.3 → 1.2, else 1).
    pub(super) fn parent_by_code(&self, code: &str) -> Option<usize> {
        let c = canonical_code(code);
        let mut parts: Vec<&str> = c.split('.').collect();
        while parts.len() > 1 {
            parts.pop();
            if let Some(o) = self.occ_by_code(&parts.join(".")) {
                return Some(o);
            }
        }
        None
    }

    /// Whether goal `occ` is `of` or lies under it.
    pub(super) fn descends(&self, occ: usize, of: usize) -> bool {
        self.ancestry(occ).contains(&of)
    }

    /// The parent of an activity row: the goal the table's own layout
    /// gives it (a goal column or row of the same table), else the node its
    /// number extends, else the goal in scope ([`Pass::scoped`]); that
    /// last fallback is reported when the number names a parent no goal
    /// has.
    pub(super) fn activity_parent(&mut self, code: Option<&str>, at: &Provenance) -> Option<usize> {
        if !self.table_goal
            && let Some(c) = code
            && c.contains('.')
        {
            match self.parent_by_code(c) {
                Some(p) => {
                    self.occs[p].structural = true;
                    return Some(p);
                }
                None if self.occs.iter().any(|o| o.code.is_some()) => {
                    self.diags.push(
                        Diagnostic::new(
                            Level::Info,
                            "parent_by_order",
                            format!(
                                "activity {c}: no goal is numbered as its parent; placed under the goal read last"
                            ),
                        )
                        .at(at.clone()),
                    );
                }
                None => {}
            }
        }
        self.scoped()
    }

    /// The goal rows of the current table belong to: the innermost open
    /// goal, unless the table's caption names another one that it does
    /// not lie under.
    pub(super) fn scoped(&mut self) -> Option<usize> {
        let top = self.stack.last().copied();
        match self.owner {
            Some(o) if !top.is_some_and(|t| self.descends(t, o)) => {
                self.occs[o].structural = true;
                Some(o)
            }
            _ => self.current(),
        }
    }

    /// The goal an indicator row measures: the one the table's caption
    /// names, else the goal in scope.
    pub(super) fn indicator_parent(&mut self) -> Option<usize> {
        match self.owner {
            Some(o) => {
                self.occs[o].structural = true;
                Some(o)
            }
            None => self.current(),
        }
    }

    /// The goal a table's caption names: a label word, inflected as the
    /// sentence needs ("za Meru 1.1", "Prioritetnu oblast I", "strateškog
    /// pravca 1"), followed by the number of a goal already met.
    pub(super) fn caption_owner(&self, caption: &str) -> Option<usize> {
        static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let r = R.get_or_init(|| {
            regex::Regex::new(r"(\p{L}+)\.?\s+(\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\b")
                .expect("static regex")
        });
        let mut found = None;
        for m in r.captures_iter(caption) {
            let (Some(word), Some(code)) = (m.get(1), m.get(2)) else {
                continue;
            };
            let w = lexicon::ekavian(&self.ctx.fold_key(word.as_str())).into_owned();
            if self.lx.is_label_stem(&w)
                && let Some(o) = self.occ_by_code(&canonical_code(code.as_str()))
            {
                found = Some(o);
            }
        }
        found
    }

    /// The paragraph right before a body table (nothing between them but
    /// maybe one more paragraph), for its caption.
    pub(super) fn caption_of(&self, ti: usize) -> Option<&str> {
        let t = self.ctx.tables.get(ti)?;
        if t.depth > 0 {
            return None;
        }
        // Paragraphs are in block order: a binary search, not a scan back
        // from the end for every table (quadratic on a long document).
        self.ctx.work.add(1);
        let before = self.ctx.paragraphs.partition_point(|p| p.block < t.block);
        let p = self.ctx.paragraphs.get(before.checked_sub(1)?)?;
        (p.block + 2 >= t.block).then_some(p.paragraph.text.as_str())
    }

    /// The innermost open goal; rows placed under it make a paragraph
    /// mention structural.
    pub(super) fn current(&mut self) -> Option<usize> {
        let top = self.stack.last().copied();
        if let Some(t) = top {
            self.occs[t].structural = true;
        }
        top
    }

    /// The goals an activity under `parent` sits under: the goal, or every
    /// goal of the list it belongs to.
    pub(super) fn parents_of(&self, parent: Option<usize>) -> Vec<usize> {
        let Some(p) = parent else { return Vec::new() };
        match self.occs[p].group {
            Some(g) => {
                self.ctx.work.add(self.occs.len());
                (0..self.occs.len())
                    .filter(|&i| self.occs[i].group == Some(g))
                    .collect()
            }
            None => vec![p],
        }
    }

    /// Joins the rest of a goal's text (a cell broken by a page break).
    pub(super) fn append_text(&mut self, occ: usize, more: &str, from: &Provenance) {
        let o = &mut self.occs[occ];
        if !o.text.is_empty() {
            o.text.push(' ');
        }
        o.text.push_str(&collapse_whitespace(more));
        if let (Some([a, _]), Some([_, b])) = (o.provenance.line, from.line) {
            o.provenance.line = Some([a, b]);
        }
    }
}
