//! Activity rows of a matrix: the activity cell, the goal columns before
//! it, the fields after it, rows that continue the one above, cells that
//! list several activities, measure rows.

use super::*;

/// A matrix's state from row to row: a priority row's code waiting for
/// the activities under it, and the last activity (which a row without
/// its own activity cell continues).
#[derive(Default)]
pub(super) struct ActRun {
    pub pending_priority: Option<String>,
    pub last_act: Option<usize>,
}

/// One matrix row being read: its index in the grid, its cells and the
/// header it is read under (what every step of [`Pass::activity_row`] needs).
#[derive(Clone, Copy)]
struct RowAt<'r> {
    ri: usize,
    row: &'r [GCell<'r>],
    h: &'r Header,
}

/// An activity cell: its grid column, its code when labelled, its text.
type ActCell = (usize, Option<String>, String);

/// The cells after an activity cell fitted to the header's field columns,
/// and the fields read from them.
struct RowFields<'r> {
    tail: Vec<&'r GCell<'r>>,
    field_roles: Vec<&'r Option<Role>>,
    map: Vec<Option<usize>>,
    fields_map: BTreeMap<String, Field>,
    raw_map: HashMap<usize, String>,
}

impl Pass<'_, '_> {
    /// One row of an activity matrix: a totals row is only marked; else the
    /// activity cell, the goal columns before it, then the row is one of: a
    /// continuation of the last activity, several activities listed in one
    /// cell, a measure, or one activity.
    pub(super) fn activity_row(
        &mut self,
        ri: usize,
        row: &[GCell],
        h: &Header,
        run: &mut ActRun,
        used: &mut Vec<(usize, usize)>,
    ) {
        let ActRun {
            pending_priority,
            last_act,
        } = run;
        let at = RowAt { ri, row, h };
        if self.total_row(at, used) {
            return;
        }
        // The activity cell: a labelled number anywhere ("Akt 1.1.1"), else
        // the activity column.
        let mut act = self.labelled_activity(row);
        // Labelled as an activity ("Aktivnost 1.1.1"): never a measure.
        let labelled = act.is_some();
        if act.is_none() {
            let c = &row[h.activity];
            // A totals row sums the activities above; the budget pass reads it.
            if c.own() && self.cell_role(c) == Some(Role::Total) {
                return;
            }
            if c.own() && labels::objective(&c.text, self.ctx.labels()).is_none() {
                act = Some(match labels::activity(&c.text, self.ctx.labels(), true) {
                    Some((code, _, text)) => (h.activity, Some(code), text),
                    None => (h.activity, None, c.text.clone()),
                });
            }
        }
        let a = act.as_ref().map_or(h.activity, |x| x.0);
        let goals_before = self.occs.len();
        let code_cell = self.goal_columns(at, a, pending_priority, used);
        if self.occs.len() > goals_before {
            // A new goal: rows below no longer continue the last activity.
            *last_act = None;
        }
        let Some((a, code, atext)) = act else {
            self.continue_activity(row, h, *last_act, ri, used);
            return;
        };
        // An activity text broken by a page break.
        if code.is_none()
            && code_cell.is_none()
            && starts_lowercase(&atext)
            && let Some(la) = *last_act
        {
            self.join_broken(at, la, a, &atext, used);
            return;
        }
        used.push((ri, a));
        let fields = self.activity_fields(at, a, used);
        let code = code.or(code_cell);
        // One cell listing several activities as bullets: one activity per
        // item, paired in order with cells listing as many entries.
        let items: Vec<String> = row[a]
            .paras()
            .iter()
            .filter(|p| p.1)
            .map(|p| p.0.clone())
            .collect();
        if code.is_none() && items.len() >= 2 {
            self.bullet_activities(row, a, items, fields);
            *last_act = Some(self.acts.len() - 1);
            return;
        }
        let RowFields {
            fields_map,
            raw_map,
            ..
        } = fields;
        if !labelled
            && h.roles.contains(&Some(Role::MeasureCode))
            && self.is_measure_row(code.as_deref())
        {
            let occ = self.open_cell(
                ObjectiveKind::Measure,
                code.clone(),
                &atext,
                &row[a].provenance,
            );
            let parent = self.occs[occ].parent;
            self.acts.push(ActDraft {
                code,
                parent,
                parents: Vec::new(),
                text: atext,
                fields: fields_map,
                raw_map,
                provenance: row[a].provenance.clone(),
                measure: Some(occ),
            });
            *last_act = Some(self.acts.len() - 1);
            return;
        }
        let parent = self.activity_parent(code.as_deref(), &row[a].provenance);
        self.note_duplicate_code(&code, parent, row, a);
        let parents = self.parents_of(parent);
        self.acts.push(ActDraft {
            code,
            parent,
            parents,
            text: atext,
            fields: fields_map,
            raw_map,
            provenance: row[a].provenance.clone(),
            measure: None,
        });
        *last_act = Some(self.acts.len() - 1);
    }

    /// A totals row ("Ukupno za strateški pravac 1", wherever its label
    /// sits) sums the rows above; the budget pass reads it. Marks its total
    /// cells used and says whether the row was one.
    fn total_row(&self, at: RowAt, used: &mut Vec<(usize, usize)>) -> bool {
        let RowAt { ri, row, .. } = at;
        if row
            .iter()
            .find(|c| c.own())
            .is_some_and(|c| self.cell_role(c) == Some(Role::Total))
        {
            used.extend(
                (0..row.len())
                    .filter(|&k| row[k].own() && self.cell_role(&row[k]) == Some(Role::Total))
                    .map(|k| (ri, k)),
            );
            return true;
        }
        false
    }

    /// The first cell of a row labelled as an activity ("Akt 1.1.1").
    fn labelled_activity(&self, row: &[GCell]) -> Option<ActCell> {
        let mut act: Option<(usize, Option<String>, String)> = None;
        for (k, c) in row.iter().enumerate() {
            if c.own()
                && let Some((code, true, text)) =
                    labels::activity(&c.text, self.ctx.labels(), false)
            {
                act = Some((k, Some(code), text));
                break;
            }
        }
        act
    }

    /// The goal columns before the activity cell (at grid column `a`):
    /// labelled goals open, bare numbers refer to goals stated elsewhere,
    /// goal texts open or continue their goal. Returns the number a code
    /// column gives the activity.
    fn goal_columns(
        &mut self,
        at: RowAt,
        a: usize,
        pending_priority: &mut Option<String>,
        used: &mut Vec<(usize, usize)>,
    ) -> Option<String> {
        let RowAt { ri, row, h } = at;
        let pairs = goal_column_roles(h, a);
        let mut code_cell: Option<String> = None;
        for (role, k) in pairs {
            let c = &row[k];
            if !c.own() {
                continue;
            }
            if let Some(l) = labels::objective(&c.text, self.ctx.labels()) {
                self.open_cell(l.kind, l.code, &l.text, &c.provenance);
                used.push((ri, k));
                continue;
            }
            // A goal column that repeats only the goal's number ("1.1"
            // under "Мера") refers to a goal stated elsewhere.
            let bare = || {
                labels::bare_code(&c.text).or_else(|| {
                    labels::is_roman(c.text.trim().trim_end_matches('.'))
                        .then(|| c.text.trim().trim_end_matches('.').to_string())
                })
            };
            if matches!(role, Some(Role::Goal | Role::Priority))
                && let Some(code) = bare()
            {
                match self.occ_by_code(&canonical_code(&code)) {
                    Some(o) => {
                        self.stack = self.ancestry(o);
                        self.occs[o].structural = true;
                        self.table_goal = true;
                        self.owner = None;
                    }
                    None => self.diags.push(
                        Diagnostic::new(
                            Level::Warning,
                            "unknown_goal_reference",
                            format!("goal column names {code:?}, which no goal is numbered"),
                        )
                        .at(c.provenance.clone()),
                    ),
                }
                used.push((ri, k));
                continue;
            }
            match role {
                Some(Role::Goal | Role::Priority) if labels::leading_code(&c.text).is_some() => {
                    if let Some((code, words)) = labels::leading_code(&c.text) {
                        let kind = if role == Some(&Role::Priority) {
                            ObjectiveKind::Priority
                        } else {
                            ObjectiveKind::Objective
                        };
                        self.open_cell(kind, Some(code), &words, &c.provenance);
                        pending_priority.take();
                    }
                    used.push((ri, k));
                }
                Some(r @ (Role::Priority | Role::Goal)) => {
                    let kind = if *r == Role::Priority {
                        ObjectiveKind::Priority
                    } else {
                        ObjectiveKind::Objective
                    };
                    // A priority's number may stand in the header row above.
                    let code = (*r == Role::Priority)
                        .then(|| pending_priority.take())
                        .flatten();
                    match code {
                        Some(code) => {
                            self.open_cell(kind, Some(code), &c.text, &c.provenance);
                        }
                        None => self.continue_or_open(kind, c),
                    }
                    used.push((ri, k));
                }
                // A measure's number beside the activity's own ("Р.б." and
                // "Шифра мере") is the activity's parent, not its code: it
                // stands for the code only in a row without one.
                Some(r @ (Role::Code | Role::MeasureCode)) => {
                    let found = labels::bare_code(&c.text);
                    if found.is_some() {
                        used.push((ri, k));
                        if *r == Role::Code || code_cell.is_none() {
                            code_cell = found;
                        }
                    }
                }
                _ => {}
            }
        }
        code_cell
    }

    /// An activity text broken by a page break: the text joins the last
    /// activity (`la`), the rest of the row continues it.
    fn join_broken(
        &mut self,
        at: RowAt,
        la: usize,
        a: usize,
        atext: &str,
        used: &mut Vec<(usize, usize)>,
    ) {
        let RowAt { ri, row, h } = at;
        let d = &mut self.acts[la];
        d.text.push(' ');
        d.text.push_str(atext.trim());
        used.push((ri, a));
        let rest: Vec<GCell> = row
            .iter()
            .enumerate()
            .map(|(k, c)| if k == a { GCell::default() } else { c.clone() })
            .collect();
        self.continue_activity(&rest, h, Some(la), ri, used);
    }

    /// The cells after the activity cell (at grid column `a`), fitted to
    /// the header's field columns by their content, and the fields read
    /// from them; a cell beyond the header is reported.
    fn activity_fields<'r>(
        &mut self,
        at: RowAt<'r>,
        a: usize,
        used: &mut Vec<(usize, usize)>,
    ) -> RowFields<'r> {
        let RowAt { ri, row, h } = at;
        let tail: Vec<&GCell> = row[a + 1..].iter().collect();
        let mut field_roles: Vec<&Option<Role>> = h.roles[h.activity + 1..].iter().collect();
        // Columns past the last headed one are padding of the table's
        // width: a row's cells are fitted to the headed columns.
        let headed = field_roles
            .iter()
            .rposition(|r| r.is_some())
            .map_or(0, |p| p + 1);
        field_roles.truncate(headed);
        let expect: Vec<Expect> = field_roles
            .iter()
            .map(|r| expect_of_role(r.as_ref()))
            .collect();
        let (map, extra) = fit_by_content(&tail, &expect);
        for &e in &extra {
            self.diags.push(
                Diagnostic::new(
                    Level::Warning,
                    "matrix_cell_unplaced",
                    format!(
                        "activity row has a cell beyond its header: {:?}",
                        tail[e].text
                    ),
                )
                .at(tail[e].provenance.clone()),
            );
        }
        let mut fields_map = BTreeMap::new();
        let mut raw_map = HashMap::new();
        for (role, m) in field_roles.iter().zip(&map) {
            let Some(Role::Field(name)) = role else {
                continue;
            };
            let (raw, prov) = match m {
                Some(i) => {
                    let c = tail[*i];
                    if c.ci.is_some() && !c.empty() {
                        used.push((ri, a + 1 + i));
                    }
                    raw_map.insert(a + 1 + i, name.clone());
                    (c.text.clone(), c.provenance.clone())
                }
                None => (String::new(), row[a].provenance.clone()),
            };
            fields_map.insert(name.clone(), fields::field(self.ctx, name, &raw, prov));
        }
        RowFields {
            tail,
            field_roles,
            map,
            fields_map,
            raw_map,
        }
    }

    /// One activity per bullet `items` of the activity cell, each with the
    /// row's fields and, from a field cell listing as many entries, its own
    /// entry.
    fn bullet_activities(
        &mut self,
        row: &[GCell],
        a: usize,
        items: Vec<String>,
        fields: RowFields,
    ) {
        let RowFields {
            tail,
            field_roles,
            map,
            fields_map,
            raw_map,
        } = fields;
        let n = items.len();
        let mut per: HashMap<String, (Vec<String>, Provenance)> = HashMap::new();
        for (role, m) in field_roles.iter().zip(&map) {
            let (Some(Role::Field(name)), Some(i)) = (role, m) else {
                continue;
            };
            let c = tail[*i];
            match self.split_entries(c, n) {
                Some(v) => {
                    per.insert(name.clone(), (v, c.provenance.clone()));
                }
                None if name == "budget" && c.paras().len() >= 2 => {
                    self.diags.push(
                        Diagnostic::new(
                            Level::Warning,
                            "bullet_amounts_mismatch",
                            format!(
                                "{n} activities listed in one cell but {} entries in the {name} cell; not paired",
                                c.paras().len()
                            ),
                        )
                        .at(c.provenance.clone()),
                    );
                }
                None => {}
            }
        }
        let parent = self.scoped();
        let parents = self.parents_of(parent);
        for (j, item) in items.into_iter().enumerate() {
            let mut f = fields_map.clone();
            for (name, (v, prov)) in &per {
                f.insert(
                    name.clone(),
                    fields::field(self.ctx, name, &v[j], prov.clone()),
                );
            }
            self.acts.push(ActDraft {
                code: None,
                parent,
                parents: parents.clone(),
                text: item,
                fields: f,
                raw_map: raw_map.clone(),
                provenance: row[a].provenance.clone(),
                measure: None,
            });
        }
    }

    /// Records the parent an activity code is met under, and warns when
    /// the same code was met under another parent before.
    fn note_duplicate_code(
        &mut self,
        code: &Option<String>,
        parent: Option<usize>,
        row: &[GCell],
        a: usize,
    ) {
        if let Some(c) = code {
            let pcode = parent.and_then(|p| self.occs[p].code.clone());
            // The parents each code was met under, in order (a scan of all
            // activities per row would be quadratic on long plans).
            let seen = self.code_parents.entry(c.clone()).or_default();
            let prev = seen.iter().copied().find(|&p| p != parent);
            if !seen.contains(&parent) {
                seen.push(parent);
            }
            if let Some(prev) = prev {
                let prev_parent = prev.and_then(|p| self.occs[p].code.clone());
                self.diags.push(
                    Diagnostic::new(
                        Level::Warning,
                        "duplicate_activity_code",
                        format!(
                            "activity code {c} appears under {} and again under {}; kept as written",
                            prev_parent.as_deref().unwrap_or("(no code)"),
                            pcode.as_deref().unwrap_or("(no code)")
                        ),
                    )
                    .at(row[a].provenance.clone()),
                );
            }
        }
    }

    /// In a table whose number column names measures: a row is a measure
    /// unless its number extends the open measure's number (1.1.1 under
    /// 1.1) or, unnumbered, it follows an open measure.
    pub(super) fn is_measure_row(&self, code: Option<&str>) -> bool {
        let open = self
            .stack
            .last()
            .filter(|&&t| self.occs[t].kind == ObjectiveKind::Measure)
            .map(|&t| self.occs[t].code.as_deref());
        match (code, open) {
            (_, None) => true,
            (Some(c), Some(Some(m))) => {
                let m = m.trim_end_matches('.');
                !c.strip_prefix(m)
                    .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
            }
            (Some(_), Some(None)) => true,
            (None, Some(_)) => false,
        }
    }

    /// The entries of a cell that lists `n` things: its paragraphs, or its
    /// money amounts, when there are exactly `n`.
    pub(super) fn split_entries(&self, c: &GCell, n: usize) -> Option<Vec<String>> {
        if c.paras().len() == n {
            return Some(c.paras().iter().map(|p| p.0.clone()).collect());
        }
        let money: Vec<String> = c
            .paras()
            .iter()
            .flat_map(|p| self.ctx.numbers_in(&p.0))
            .filter(|x| x.kind == crate::normalize::numbers::Kind::Money || x.currency.is_some())
            .map(|x| x.raw)
            .collect();
        (money.len() == n).then_some(money)
    }

    /// A row without an activity: the cells continue the fields of the
    /// activity above (a row split by a page break, or a merged cell
    /// written again).
    pub(super) fn continue_activity(
        &mut self,
        row: &[GCell],
        h: &Header,
        last: Option<usize>,
        ri: usize,
        used: &mut Vec<(usize, usize)>,
    ) {
        let Some(la) = last else { return };
        for (k, c) in row.iter().enumerate() {
            if !c.own()
                || k == h.activity && labels::objective(&c.text, self.ctx.labels()).is_some()
            {
                continue;
            }
            // Cells of this row already used sit at the end of `used`.
            if used
                .iter()
                .rev()
                .take_while(|u| u.0 == ri)
                .any(|u| u.1 == k)
            {
                continue;
            }
            let d = &self.acts[la];
            let text = collapse_whitespace(&c.text);
            if d.fields
                .values()
                .any(|f| collapse_whitespace(&f.raw) == text)
            {
                used.push((ri, k));
                continue;
            }
            let by_header = match h.roles.get(k) {
                Some(Some(Role::Field(f))) => Some(f.clone()),
                _ => None,
            };
            let by_row = d.raw_map.get(&k).cloned();
            let unfinished = |f: &Option<String>| {
                f.as_ref()
                    .and_then(|n| d.fields.get(n))
                    .is_some_and(|x| x.raw.trim_end().ends_with([',', ';', '-']))
            };
            let target = if unfinished(&by_header) {
                by_header
            } else if unfinished(&by_row) {
                by_row
            } else {
                by_header.or(by_row)
            };
            let Some(name) = target else { continue };
            let d = &mut self.acts[la];
            if let Some(f) = d.fields.get_mut(&name) {
                // A line of its own, as the cell would have it whole; the
                // institutions on each line stay apart.
                let mut raw = f.raw.clone();
                if !raw.trim().is_empty() {
                    raw.push('\n');
                }
                raw.push_str(c.text.trim());
                let mut prov = f.provenance.clone();
                // The text spans both rows' lines.
                if let (Some([a, _]), Some([_, b])) = (prov.line, c.provenance.line) {
                    prov.line = Some([a, b]);
                }
                *f = fields::field(self.ctx, &name, &raw, prov);
                used.push((ri, k));
            }
        }
    }
}

/// The goal columns before an activity cell at grid column `a`, each with
/// its header role: right-aligned to the header's goal columns (a row with
/// more cells before its activity than the header has roles leaves the
/// extra leading ones without a role).
fn goal_column_roles(h: &Header, a: usize) -> Vec<(Option<&Role>, usize)> {
    let pre_roles = &h.roles[..h.activity];
    let pre: Vec<usize> = (0..a).collect();
    let n = pre_roles.len();
    let mut pairs: Vec<(Option<&Role>, usize)> = Vec::new();
    if pre.len() <= n {
        for (j, &k) in pre.iter().enumerate() {
            pairs.push((pre_roles[n - pre.len() + j].as_ref(), k));
        }
    } else {
        let skip = pre.len() - n;
        for (j, &k) in pre.iter().enumerate() {
            pairs.push((
                if j < skip {
                    None
                } else {
                    pre_roles[j - skip].as_ref()
                },
                k,
            ));
        }
    }
    pairs
}
