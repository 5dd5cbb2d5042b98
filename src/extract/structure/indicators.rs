//! Indicator rows: the name, its values under their year and kind, names
//! listed together in one cell, the header's pattern continued for rows
//! with more values than it names.

use super::*;

/// The cells of one row from grid column `offset` on, fitted to an
/// indicator header: `map[j]` is the index in `cells` under column `j`.
pub(super) struct Fitted<'r, 'g> {
    pub cells: &'r [&'r GCell<'g>],
    pub map: &'r [Option<usize>],
    pub row: usize,
    pub offset: usize,
}

/// An indicator table's state from row to row: names listed together in
/// one cell whose values come on the rows below (`pending`), and the
/// indicators of the current block.
#[derive(Default)]
pub(super) struct IndRun {
    pub pending: Vec<usize>,
    pub block: Vec<usize>,
}

impl Pass<'_, '_> {
    /// One row of an indicator table: a goal or activity row ends the
    /// table (false); else the goal its lead columns name, values of a name
    /// listed before, a name continued over a page break, or the row's
    /// indicators (one per name its cell lists) with their values.
    pub(super) fn indicator_row(
        &mut self,
        ri: usize,
        g: &[Vec<GCell>],
        h: &mut IndHeader,
        run: &mut IndRun,
        used: &mut Vec<(usize, usize)>,
    ) -> bool {
        let IndRun { pending, block } = run;
        let row = &g[ri];
        // A goal or activity row ends the indicator block.
        if self.ends_indicators(row) {
            return false;
        }
        let Some(mut nm) = row.iter().position(GCell::own) else {
            return true;
        };
        // A goal column before the name places the row ("1.1" under "Мера").
        let row_goal = self.row_goal(ri, row, h, &mut nm, used);
        let k = h.cols.len();
        // Values of a name listed earlier in a multi-name cell.
        if !pending.is_empty() && self.is_value(&row[nm].text) {
            let tail: Vec<&GCell> = row[nm..].iter().collect();
            let (map, _) = fit(&tail, k);
            let di = pending.remove(0);
            let fitted = Fitted {
                cells: &tail,
                map: &map,
                row: ri,
                offset: nm,
            };
            self.fill_values(di, h, &fitted, used);
            return true;
        }
        pending.clear();
        let tail: Vec<&GCell> = row[nm + 1..].iter().collect();
        let expect: Vec<Expect> = h.cols.iter().map(|c| expect_of_ind(c.role)).collect();
        let (mut map, mut extra) = fit_by_content(&tail, &expect);
        if map.iter().all(|m| m.is_none_or(|i| tail[i].empty())) && extra.is_empty() {
            // No values: a name broken by a page break continues the last
            // one; anything else is not an indicator row.
            if starts_lowercase(&row[nm].text)
                && let Some(&last) = block.last()
            {
                let d = &mut self.inds[last];
                d.name.push(' ');
                d.name.push_str(row[nm].text.trim());
                used.push((ri, nm));
            }
            return true;
        }
        if !extra.is_empty() && !h.cols.is_empty() {
            // More values than headers: the header lost its last columns;
            // continue its baseline/target/actual pattern.
            self.extend_header(h, k + extra.len(), &row[nm].provenance);
            let expect: Vec<Expect> = h.cols.iter().map(|c| expect_of_ind(c.role)).collect();
            let refit = fit_by_content(&tail, &expect);
            map = refit.0;
            extra = refit.1;
        }
        for &e in &extra {
            self.diags.push(
                Diagnostic::new(
                    Level::Warning,
                    "indicator_cell_unplaced",
                    format!(
                        "indicator row has a cell beyond its header: {:?}",
                        tail[e].text
                    ),
                )
                .at(tail[e].provenance.clone()),
            );
        }
        // The name cell may list several indicators (values in the rows
        // below) and end with the next goal's label.
        let (names, goal_lines) = self.indicator_names(g, ri, nm);
        let parent = match row_goal {
            Some(o) => {
                self.occs[o].structural = true;
                Some(o)
            }
            None => self.indicator_parent(),
        };
        used.push((ri, nm));
        let mut first = None;
        for name in names {
            self.inds.push(IndDraft {
                parent,
                name,
                unit: None,
                source: None,
                values: Vec::new(),
                provenance: row[nm].provenance.clone(),
            });
            let di = self.inds.len() - 1;
            block.push(di);
            if first.is_none() {
                first = Some(di);
            } else {
                pending.push(di);
            }
        }
        if let Some(di) = first {
            let fitted = Fitted {
                cells: &tail,
                map: &map,
                row: ri,
                offset: nm + 1,
            };
            self.fill_values(di, h, &fitted, used);
        }
        for l in goal_lines {
            self.open_cell(l.kind, l.code, &l.text, &row[nm].provenance);
        }
        true
    }

    /// A goal or activity row (by the first line of a cell).
    fn ends_indicators(&self, row: &[GCell]) -> bool {
        for c in row.iter().filter(|c| c.own()) {
            let first = c.text.lines().next().unwrap_or("");
            if labels::objective(first, self.ctx.labels()).is_some()
                || labels::activity(first, self.ctx.labels(), false).is_some_and(|a| a.1)
            {
                return true;
            }
        }
        false
    }

    /// The goal a number column before the name names ("1.1" under
    /// "Мера"); the name column is then the header's (`nm`).
    fn row_goal(
        &mut self,
        ri: usize,
        row: &[GCell],
        h: &IndHeader,
        nm: &mut usize,
        used: &mut Vec<(usize, usize)>,
    ) -> Option<usize> {
        let mut row_goal = None;
        if !h.lead.is_empty() && row[h.name].own() {
            *nm = h.name;
            for (k, r) in &h.lead {
                let c = &row[*k];
                if c.own() && matches!(r, Role::Goal | Role::Priority) {
                    row_goal = labels::bare_code(&c.text)
                        .and_then(|code| self.occ_by_code(&canonical_code(&code)));
                    if row_goal.is_some() {
                        used.push((ri, *k));
                    }
                } else if c.own() {
                    used.push((ri, *k));
                }
            }
        }
        row_goal
    }

    /// A cell that is a number with a value, not ambiguous.
    fn is_value(&self, s: &str) -> bool {
        self.ctx
            .cell_number(s)
            .is_some_and(|n| n.value.is_some() && !n.ambiguous)
    }

    /// Continues the header's year/kind pattern (baseline, target,
    /// actual) up to `want` columns, saying so once per header.
    fn extend_header(&mut self, h: &mut IndHeader, want: usize, prov: &Provenance) {
        let k = h.cols.len();
        while h.cols.len() < want {
            let last = h.cols.last().cloned();
            let (role, year) = match last {
                Some(IndCol {
                    role: IndRole::Value(ValueKind::Target),
                    year,
                    ..
                }) => (IndRole::Value(ValueKind::Actual), year),
                Some(IndCol { year, .. }) => {
                    (IndRole::Value(ValueKind::Target), year.map(|y| y + 1))
                }
                None => break,
            };
            h.cols.push(IndCol {
                col: None,
                role,
                header: String::new(),
                year,
            });
        }
        if !h.extended {
            h.extended = true;
            self.diags.push(
                Diagnostic::new(
                    Level::Info,
                    "indicator_header_extended",
                    format!(
                        "indicator rows have {} more value(s) than the header names; \
                         the header's year/kind pattern is continued",
                        want - k
                    ),
                )
                .at(prov.clone()),
            );
        }
    }

    /// The names the name cell lists (one per following row of values,
    /// else one name of all its lines) and the goal labels it ends with.
    fn indicator_names(
        &self,
        g: &[Vec<GCell>],
        ri: usize,
        nm: usize,
    ) -> (Vec<String>, Vec<labels::GoalLabel>) {
        let row = &g[ri];
        let mut names: Vec<String> = Vec::new();
        let mut goal_lines: Vec<labels::GoalLabel> = Vec::new();
        for line in row[nm]
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match labels::objective(line, self.ctx.labels()) {
                Some(l) => goal_lines.push(l),
                None => names.push(line.to_string()),
            }
        }
        if names.len() > 1 {
            let followers = g[ri + 1..]
                .iter()
                .take_while(|r| {
                    r.iter()
                        .position(GCell::own)
                        .is_some_and(|p| self.is_value(&r[p].text))
                })
                .count();
            if followers + 1 != names.len() {
                names = vec![names.join(" ")];
            }
        }
        (names, goal_lines)
    }

    pub(super) fn fill_values(
        &mut self,
        di: usize,
        h: &IndHeader,
        fitted: &Fitted<'_, '_>,
        used: &mut Vec<(usize, usize)>,
    ) {
        for (col, m) in h.cols.iter().zip(fitted.map) {
            let Some(i) = *m else { continue };
            let c = fitted.cells[i];
            if c.empty() || matches!(col.role, IndRole::Name | IndRole::Other) {
                continue;
            }
            used.push((fitted.row, fitted.offset + i));
            let d = &mut self.inds[di];
            match col.role {
                IndRole::Unit => d.unit = Some(c.text.clone()),
                IndRole::Source => d.source = Some(c.text.clone()),
                IndRole::Name | IndRole::Other => {}
                IndRole::Value(kind) => {
                    let value = self
                        .ctx
                        .cell_number(&c.text)
                        .filter(|n| !n.ambiguous)
                        .and_then(|n| n.value);
                    d.values.push(IndicatorValue {
                        year: col.year,
                        kind,
                        header: col.header.clone(),
                        raw: c.text.clone(),
                        value,
                        provenance: c.provenance.clone(),
                    });
                }
            }
        }
    }
}
