//! The end of the pass: one objective per goal however often it is
//! mentioned, measure rows that are activities (the leaf-row rule), ids,
//! parents as codes and ids, diagnostics without repeats.

use super::*;

/// The goals kept (one mention per goal, in document order), the kept
/// mention standing for every mention, and the kept goals' ids.
struct Kept {
    rep_of: HashMap<usize, usize>,
    kept: Vec<usize>,
    ids: HashMap<usize, String>,
}

impl Kept {
    fn code_of(&self, occs: &[Occ], occ: Option<usize>) -> Option<String> {
        occ.and_then(|o| occs[*self.rep_of.get(&o).unwrap_or(&o)].code.clone())
    }

    fn id_of(&self, occ: usize) -> Option<String> {
        self.ids.get(self.rep_of.get(&occ).unwrap_or(&occ)).cloned()
    }
}

impl Pass<'_, '_> {
    pub(super) fn finish(mut self, rec: &mut PlanRecord, placed: &mut Placed) {
        let acts = self.leaf_rows();
        let kept = self.kept_goals();
        self.push_objectives(rec, &kept);
        for (i, o) in self.occs.iter().enumerate() {
            if let Some(p) = o.paragraph
                && kept.rep_of.contains_key(&i)
            {
                placed.paragraph(p);
            }
        }
        for &p in &self.stated_paras {
            placed.paragraph(p);
        }
        self.push_activities(rec, acts, &kept);
        self.push_indicators(rec, &kept);
        let mut seen = HashSet::new();
        for d in self.diags {
            if seen.insert((d.code.clone(), d.message.clone(), d.provenance.clone())) {
                rec.diagnostics.push(d);
            }
        }
    }

    /// The activities, measure rows that are activities among them; the
    /// other measure rows handed to their goals.
    fn leaf_rows(&mut self) -> Vec<ActDraft> {
        // Measure rows give their objective its (possibly joined) text and
        // the row's columns as its fields.
        //
        // The leaf-row rule: a measure row that carries the action fields
        // (who, when, how much, indicator or result) and has no activity
        // rows of its own is the plan's action at that place, an activity
        // whatever its label word; its measure number is its code.
        let parents: HashSet<usize> = self
            .acts
            .iter()
            .filter(|a| a.measure.is_none())
            .filter_map(|a| a.parent)
            .collect();
        let with_children: HashSet<(ObjectiveKind, String)> = parents
            .iter()
            .map(|&p| self.occs[p].key(self.ctx.norm()))
            .collect();
        let mut acts = Vec::with_capacity(self.acts.len());
        for mut d in std::mem::take(&mut self.acts) {
            if let Some(o) = d.measure
                && !with_children.contains(&self.occs[o].key(self.ctx.norm()))
                && d.fields
                    .iter()
                    .any(|(k, f)| ACTION_FIELDS.contains(&k.as_str()) && !f.raw.trim().is_empty())
            {
                self.occs[o].structural = false;
                d.parent = self.occs[o].parent;
                d.parents = self.parents_of(d.parent);
                d.measure = None;
            }
            match d.measure {
                Some(o) => {
                    let occ = &mut self.occs[o];
                    occ.text = d.text;
                    occ.fields.extend(d.fields);
                    occ.provenance = d.provenance;
                }
                None => acts.push(d),
            }
        }
        acts
    }

    fn kept_goals(&self) -> Kept {
        // One objective per goal: the last mention that carries rows gives
        // the text and place; goals only mentioned in passing are kept when
        // another mention of the same goal carries rows.
        let mut groups: HashMap<(ObjectiveKind, String), Vec<usize>> = HashMap::new();
        let mut key_order: Vec<(ObjectiveKind, String)> = Vec::new();
        for (i, o) in self.occs.iter().enumerate() {
            let k = o.key(self.ctx.norm());
            if !groups.contains_key(&k) {
                key_order.push(k.clone());
            }
            groups.entry(k).or_default().push(i);
        }
        let mut rep_of: HashMap<usize, usize> = HashMap::new();
        let mut kept: Vec<usize> = Vec::new();
        for k in &key_order {
            let Some(members) = groups.get(k) else {
                continue;
            };
            if !members.iter().any(|&m| self.occs[m].structural) {
                continue;
            }
            let structural = |m: usize| self.occs[m].structural;
            let worded = |m: usize| !self.occs[m].text.trim().is_empty();
            let rep = members
                .iter()
                .rev()
                .find(|&&m| structural(m) && worded(m))
                .or_else(|| members.iter().rev().find(|&&m| structural(m)))
                .copied()
                .unwrap_or(members[members.len() - 1]);
            for &m in members {
                rep_of.insert(m, rep);
            }
            kept.push(rep);
        }
        // Parents of kept goals are kept too.
        let mut i = 0;
        while i < kept.len() {
            if let Some(p) = self.occs[kept[i]].parent
                && !rep_of.contains_key(&p)
            {
                rep_of.insert(p, p);
                kept.push(p);
            }
            i += 1;
        }
        kept.sort_unstable();
        kept.dedup();
        let ids: HashMap<usize, String> = kept
            .iter()
            .enumerate()
            .map(|(n, &r)| (r, format!("o{}", n + 1)))
            .collect();
        Kept { rep_of, kept, ids }
    }

    fn push_objectives(&self, rec: &mut PlanRecord, kept: &Kept) {
        // Fields stated at any mention of a goal belong to it.
        let mut fields_of: HashMap<usize, BTreeMap<String, Field>> = HashMap::new();
        for (i, o) in self.occs.iter().enumerate() {
            if o.fields.is_empty() {
                continue;
            }
            let rep = *kept.rep_of.get(&i).unwrap_or(&i);
            let f = fields_of.entry(rep).or_default();
            for (k, v) in &o.fields {
                f.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for (n, &r) in kept.kept.iter().enumerate() {
            let o = &self.occs[r];
            rec.objectives.push(Objective {
                id: format!("o{}", n + 1),
                code: o.code.clone(),
                kind: o.kind,
                parent: kept.code_of(&self.occs, o.parent),
                parent_id: o.parent.and_then(|p| kept.id_of(p)),
                text: text::text(self.ctx.norm(), &collapse_whitespace(&o.text)),
                fields: fields_of.remove(&r).unwrap_or_default(),
                provenance: o.provenance.clone(),
            });
        }
    }

    fn push_activities(&self, rec: &mut PlanRecord, acts: Vec<ActDraft>, kept: &Kept) {
        for (n, d) in acts.into_iter().enumerate() {
            rec.activities.push(Activity {
                id: format!("a{}", n + 1),
                code: d.code,
                parent: kept.code_of(&self.occs, d.parent),
                parent_ids: {
                    let mut v: Vec<String> =
                        d.parents.iter().filter_map(|&p| kept.id_of(p)).collect();
                    v.dedup();
                    v
                },
                text: text::text(self.ctx.norm(), &collapse_whitespace(&d.text)),
                fields: d.fields,
                provenance: d.provenance,
            });
        }
    }

    fn push_indicators(&mut self, rec: &mut PlanRecord, kept: &Kept) {
        for (n, d) in std::mem::take(&mut self.inds).into_iter().enumerate() {
            rec.indicators.push(Indicator {
                id: format!("i{}", n + 1),
                parent: kept.code_of(&self.occs, d.parent),
                parent_id: d.parent.and_then(|p| kept.id_of(p)),
                name: text::text(self.ctx.norm(), &collapse_whitespace(&d.name)),
                unit: d.unit,
                source: d.source,
                values: d.values,
                provenance: d.provenance,
            });
        }
    }
}
