//! Settling what the walk left open: the parent and activity of each
//! amount, and the unit of each sub-table.

use super::*;

/// Per class of marked tables: its own support and the best rival unit's
/// (support, unit); `None` without rivals.
type Verdict = Option<(usize, Option<(usize, u32)>)>;

/// One row of a sub-table's amounts: (table, row, own label, total row,
/// source keys).
type RowInfo = (usize, usize, Option<Label>, bool, BTreeSet<String>);

/// Rows under one label: a group starts at a labelled or total row, or
/// where the sources repeat those of the group above.
struct Group {
    label: Option<Label>,
    total: bool,
    rows: Vec<(usize, usize)>,
    sources: BTreeSet<String>,
}

/// The rows of a sub-table grouped under their labels; an unlabelled group
/// takes the label of the next group when their sources don't clash (the
/// two join), else of the group above.
fn label_groups(rows: Vec<RowInfo>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (t, r, own, total, sources) in rows {
        let start = own.is_some()
            || total
            || groups.last().is_none_or(|g| {
                g.total
                    || sources
                        .iter()
                        .any(|s| !s.is_empty() && g.sources.contains(s))
            });
        if start {
            groups.push(Group {
                label: own,
                total,
                rows: vec![(t, r)],
                sources,
            });
        } else if let Some(g) = groups.last_mut() {
            g.rows.push((t, r));
            g.sources.extend(sources);
        }
    }
    // An unlabelled group takes the label of the next group when
    // their sources don't clash, else of the group above.
    // Adopting the next label joins the two groups into one.
    let mut joined: Vec<Group> = Vec::new();
    let mut pending: Option<Group> = None;
    for mut g in groups {
        if let Some(mut p) = pending.take() {
            if g.label.is_some() && !g.total && g.sources.is_disjoint(&p.sources) {
                p.label = g.label.take();
                p.rows.append(&mut g.rows);
                p.sources.append(&mut g.sources);
                joined.push(p);
                continue;
            }
            p.label = joined.last().and_then(|q| q.label.clone());
            joined.push(p);
        }
        if g.label.is_none() && !g.total {
            pending = Some(g);
        } else {
            joined.push(g);
        }
    }
    if let Some(mut p) = pending {
        p.label = joined.last().and_then(|q| q.label.clone());
        joined.push(p);
    }
    joined
}

impl Walker<'_, '_> {
    /// Parent and activity codes. Within a sub-table a row without a label
    /// belongs to the labelled row above — or below, when the label of a
    /// merged cell landed on its last row: a run of unlabelled rows whose
    /// sources repeat the ones of the group above starts a new group, which
    /// takes the label of the next labelled row if their sources don't clash.
    pub(super) fn resolve_parents(&mut self) {
        let mut by_sub: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            by_sub.entry(e.sub).or_default().push(i);
        }
        for (sub, idx) in by_sub {
            // Rows in order with their label and sources.
            let mut rows: Vec<RowInfo> = Vec::new();
            for &i in &idx {
                let e = &self.entries[i];
                let key = if e.total_col {
                    String::new()
                } else {
                    e.source
                        .as_deref()
                        .map(|t| folded(self.ctx, t).to_string())
                        .unwrap_or_default()
                };
                match rows.last_mut() {
                    Some(r) if r.0 == e.table && r.1 == e.row => {
                        r.4.insert(key);
                    }
                    _ => rows.push((
                        e.table,
                        e.row,
                        e.own.clone(),
                        e.total,
                        BTreeSet::from([key]),
                    )),
                }
            }
            let groups = label_groups(rows);
            let context = self.subs[sub].context.clone();
            let mut placement: BTreeMap<(usize, usize), (Option<String>, Option<String>)> =
                BTreeMap::new();
            for g in &groups {
                let p = if g.total {
                    match &g.label {
                        Some(l) => self.place(l, context.as_ref()),
                        None => (context.as_ref().and_then(|l| l.code.clone()), None),
                    }
                } else {
                    match g.label.as_ref().or(context.as_ref()) {
                        Some(l) => self.place(l, context.as_ref()),
                        None => (None, None),
                    }
                };
                for r in &g.rows {
                    placement.insert(*r, p.clone());
                }
            }
            // Totals carried by only some rows of a group span the group.
            for g in &groups {
                let with_total = g
                    .rows
                    .iter()
                    .filter(|r| {
                        idx.iter().any(|&i| {
                            let e = &self.entries[i];
                            e.total_col && (e.table, e.row) == **r
                        })
                    })
                    .count();
                if with_total > 0 && with_total < g.rows.len() {
                    for &i in &idx {
                        let e = &mut self.entries[i];
                        if e.total_col && g.rows.contains(&(e.table, e.row)) {
                            e.source = None;
                        }
                    }
                }
            }
            for &i in &idx {
                let key = (self.entries[i].table, self.entries[i].row);
                if let Some((parent, activity)) = placement.get(&key) {
                    self.entries[i].parent = parent.clone();
                    self.entries[i].activity = activity.clone();
                }
            }
        }
    }

    /// `(parent, activity)` of a label.
    pub(super) fn place(
        &self,
        l: &Label,
        context: Option<&Label>,
    ) -> (Option<String>, Option<String>) {
        match l.kind {
            LabelKind::Objective(_) => (l.code.clone(), None),
            LabelKind::Activity => {
                let Some(code) = l.code.clone() else {
                    return (context.and_then(|c| c.code.clone()), None);
                };
                let ctx_code = context.and_then(|c| c.code.clone());
                let known: &[&Option<String>] = self
                    .act_parents
                    .get(code.as_str())
                    .map_or(&[], Vec::as_slice);
                let parent = if known.iter().any(|p| **p == ctx_code && ctx_code.is_some()) {
                    ctx_code
                } else if let Some(p) = known.first() {
                    (*p).clone()
                } else if let Some(c) = ctx_code.filter(|c| code.starts_with(&format!("{c}."))) {
                    Some(c)
                } else {
                    // The numbering itself: 1.1.2 sits under 1.1 when the
                    // plan has such an objective.
                    code.rsplit_once('.')
                        .map(|(head, _)| head.to_string())
                        .filter(|h| self.objective_codes.contains(h.as_str()))
                };
                (parent, Some(code))
            }
        }
    }

    /// Units of the sub-tables; see the module doc.
    pub(super) fn resolve_scales(&mut self) {
        // Each pass below is linear in the entries, the sub-tables and the
        // shared figures (one pass over the entries, sorted narrative
        // amounts, an index of figures to marked tables), so a document
        // twice as long costs about twice as much.
        let mut values: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); self.subs.len()];
        // The first entry of each sub-table, whose place a diagnostic names.
        let mut first_entry: Vec<Option<usize>> = vec![None; self.subs.len()];
        let work = &self.ctx.work;
        work.add(self.entries.len() + self.subs.len());
        for (i, e) in self.entries.iter().enumerate() {
            let Some(set) = values.get_mut(e.sub) else {
                continue;
            };
            first_entry[e.sub].get_or_insert(i);
            if let Some(v) = e.number.value.filter(|v| *v > 0.0) {
                set.insert(v.to_bits());
            }
        }
        let shared = |a: usize, b: usize| values[a].intersection(&values[b]).count();
        // Narrative amounts with a currency ("66,67 милиона динара"), read
        // only when marked tables disagree.
        let mut prose: Vec<f64> = Vec::new();
        let units: BTreeSet<u32> = self
            .subs
            .iter()
            .filter(|s| s.tabular)
            .filter_map(|s| s.declared)
            .collect();
        let disagree = units.len() > 1;
        for p in self.ctx.paragraphs.iter().filter(|_| disagree) {
            for n in self.memo.all(&p.paragraph.text).iter() {
                if n.kind == Kind::Money
                    && n.currency.is_some()
                    && let Some(v) = n.value
                    && v >= 1000.0
                {
                    prose.push(v);
                }
            }
        }
        // Sorted, so the amounts near a figure are found by binary search.
        prose.sort_by(f64::total_cmp);
        let near = |v: f64| {
            // Every `m` within tolerance of `v` lies in this window (prose
            // amounts are ≥ 1000, figures positive); checked exactly below.
            let lo = (v - 0.5).min(v / 1.007);
            let hi = (v + 0.5).max(v / 0.993);
            let from = prose.partition_point(|m| *m < lo);
            prose[from..]
                .iter()
                .take_while(|m| **m <= hi)
                .any(|m| (m - v).abs() <= (m.abs() * 0.006).max(0.5))
        };
        let support = |subs: &[usize], scale: u32| -> usize {
            let mut seen = BTreeSet::new();
            for &s in subs {
                work.add(values[s].len());
                for &bits in &values[s] {
                    if near(f64::from_bits(bits) * f64::from(scale)) {
                        seen.insert(bits);
                    }
                }
            }
            seen.len()
        };
        let n = self.subs.len();
        let declared: Vec<usize> = (0..n)
            .filter(|&s| self.subs[s].tabular && self.subs[s].declared.is_some())
            .collect();
        // Marked tables with the same figures and unit decide alike (a long
        // document repeats its tables), so the work is done once per class
        // of them, represented by its first table.
        let mut class_of: HashMap<(&BTreeSet<u64>, u32), usize> = HashMap::new();
        let mut reps: Vec<usize> = Vec::new();
        let mut class: Vec<usize> = vec![usize::MAX; n];
        for &d in &declared {
            let unit = self.subs[d].declared.unwrap_or(1);
            let c = *class_of.entry((&values[d], unit)).or_insert_with(|| {
                reps.push(d);
                reps.len() - 1
            });
            class[d] = c;
        }
        let verdicts: Vec<Verdict> = reps
            .iter()
            .map(|&a| {
                let da = self.subs[a].declared?;
                work.add(reps.len());
                let rivals: Vec<usize> = reps
                    .iter()
                    .copied()
                    .filter(|&b| self.subs[b].declared != Some(da) && shared(a, b) >= 3)
                    .collect();
                if rivals.is_empty() {
                    return None;
                }
                let mut group = rivals.clone();
                group.push(a);
                let own = support(&group, da);
                let best = rivals
                    .iter()
                    .filter_map(|&b| self.subs[b].declared)
                    .map(|s| (support(&group, s), s))
                    .max();
                Some((own, best))
            })
            .collect();
        self.scale_conflicts(&declared, &verdicts, &class, &first_entry);
        self.unmarked_scales(&values, &first_entry, &reps, &declared);
    }

    /// Conflicts between marked tables that repeat the same figures: the
    /// unit the text confirms wins, else each is kept as stated.
    fn scale_conflicts(
        &mut self,
        declared: &[usize],
        verdicts: &[Verdict],
        class: &[usize],
        first_entry: &[Option<usize>],
    ) {
        for &a in declared {
            let Some(da) = self.subs[a].declared else {
                continue;
            };
            let Some((own, best)) = verdicts[class[a]] else {
                continue;
            };
            let prov = first_entry[a].map(|i| self.entries[i].provenance.clone());
            let message = match best {
                Some((sup, s)) if sup > own => {
                    self.subs[a].scale = s;
                    format!(
                        "table t{} states its amounts in units of {da} but repeats the figures of a table in units of {s}, which the text confirms; units of {s} used",
                        self.subs[a].table + 1
                    )
                }
                // Only the table stating the losing unit reports, once.
                Some((sup, s)) if sup == own && da < s => format!(
                    "table t{} states its amounts in units of {da} but repeats the figures of a table in units of {s}; nothing in the text decides, each kept as stated",
                    self.subs[a].table + 1
                ),
                _ => continue,
            };
            let mut d = Diagnostic::new(Level::Warning, "budget_scale_conflict", message);
            if let Some(p) = prov {
                d = d.at(p);
            }
            self.diagnostics.push(d);
        }
    }

    /// Unmarked budget tables: the unit of the marked table repeating their
    /// figures, else of the nearest marked one above (reported).
    fn unmarked_scales(
        &mut self,
        values: &[BTreeSet<u64>],
        first_entry: &[Option<usize>],
        reps: &[usize],
        declared: &[usize],
    ) {
        let work = &self.ctx.work;
        let n = self.subs.len();
        // Figures of the marked tables → those tables (a class's first: of
        // tables sharing as many figures, the first is taken), so a table's
        // twins are counted from its own figures, not by comparing every
        // pair.
        let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
        for &d in reps {
            for &bits in &values[d] {
                holders.entry(bits).or_default().push(d);
            }
        }
        for s in 0..n {
            if !self.subs[s].tabular || self.subs[s].declared.is_some() {
                continue;
            }
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for bits in &values[s] {
                work.add(1);
                for &d in holders.get(bits).map_or(&[][..], Vec::as_slice) {
                    work.add(1);
                    *counts.entry(d).or_insert(0) += 1;
                }
            }
            let twin = counts
                .into_iter()
                .map(|(d, k)| (k, d))
                .filter(|(k, _)| *k >= 2)
                .max_by_key(|(k, d)| (*k, std::cmp::Reverse(*d)));
            let above = declared[..declared.partition_point(|&d| d < s)]
                .last()
                .copied();
            if let Some(d) = twin.map(|(_, d)| d).or(above) {
                self.subs[s].scale = self.subs[d].scale;
                // Only the table's place says so: a fallback, reported.
                if twin.is_none() && self.subs[d].scale != 1 {
                    // The first entry, indexed above: a scan of all the
                    // entries per table would be quadratic.
                    let prov = first_entry[s].map(|i| self.entries[i].provenance.clone());
                    let mut diag = Diagnostic::new(
                        Level::Info,
                        "budget_unit_assumed",
                        format!(
                            "table t{} states no unit for its amounts; the unit of table t{} above it (×{}) is used",
                            self.subs[s].table + 1,
                            self.subs[d].table + 1,
                            self.subs[d].scale
                        ),
                    );
                    if let Some(p) = prov {
                        diag = diag.at(p);
                    }
                    self.diagnostics.push(diag);
                }
            }
        }
    }

    /// Total rows checked against their parts: the amounts above them in
    /// their column since the previous total row. A difference is reported
    /// (the figures are kept as the document states them). Rows of several
    /// levels (a goal's row over its measures' rows) are not added twice:
    /// the total may match the parts of any one level. A total with no
    /// parts to add (a goal total over measure totals) is not judged, nor a
    /// total column, whose row may hold amounts in columns not read as money.
    pub(super) fn check_totals(&mut self) {
        let outside = self.ctx.tables.len();
        let col_of = |e: &Entry| -> Option<usize> {
            let ci = e.provenance.cell?;
            let t = self.ctx.tables.get(e.table)?;
            let cell = t.table.rows.get(e.row)?.cells.get(ci)?;
            Some(cell.col)
        };
        let amount = |e: &Entry| -> Option<f64> {
            Some(e.number.value? * f64::from(self.subs[e.sub].scale))
        };
        // Per (sub, table, grid column), the parts since the last total row:
        // (code depth of their row's element, amount).
        let mut running: BTreeMap<(usize, usize, usize), Vec<(usize, f64)>> = BTreeMap::new();
        let mut found: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if e.table >= outside || (e.loose.is_some() && !e.money_col && !e.total) {
                continue;
            }
            let (Some(col), Some(v)) = (col_of(e), amount(e)) else {
                continue;
            };
            let key = (e.sub, e.table, col);
            if e.total {
                found.push((i, running.remove(&key).unwrap_or_default()));
            } else {
                let depth = e.own.as_ref().map_or(0, code_depth);
                running.entry(key).or_default().push((depth, v));
            }
        }
        for (i, parts) in found {
            let e = &self.entries[i];
            let Some(v) = amount(e) else {
                continue;
            };
            if parts.is_empty() {
                continue;
            }
            let all: f64 = parts.iter().map(|(_, x)| x).sum();
            let depths: BTreeSet<usize> = parts.iter().map(|(d, _)| *d).collect();
            // Cents and rounding of the parts are not a difference.
            let close = |x: f64| (v - x).abs() <= (v.abs() * 0.001).max(1.0);
            let by_level = depths
                .iter()
                .any(|d| close(parts.iter().filter(|(pd, _)| pd == d).map(|(_, x)| x).sum()));
            if close(all) || by_level {
                continue;
            }
            let message = format!(
                "the total {} (table t{}) differs from {all}, the sum of the {} amount(s) above it in its column; kept as written",
                collapse_whitespace(&e.number.raw),
                e.table + 1,
                parts.len()
            );
            self.diagnostics.push(
                Diagnostic::new(Level::Warning, "budget_total_mismatch", message)
                    .at(e.provenance.clone()),
            );
        }
    }
}
