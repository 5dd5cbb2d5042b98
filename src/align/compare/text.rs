//! Running text: paragraphs that hold numbers paired, then their numbers
//! paired by nearest equal value.

use super::*;

/// Pairs the paragraphs that hold numbers and compares their numbers.
pub fn paragraphs(a: &[ParaUnit], b: &[ParaUnit], out: &mut Out) {
    let ka: Vec<Vec<i64>> = a.iter().map(|p| sorted_keys(p.toks.iter())).collect();
    let kb: Vec<Vec<i64>> = b.iter().map(|p| sorted_keys(p.toks.iter())).collect();
    let (wa, wb) = interned(a.iter().map(|p| &p.keys), b.iter().map(|p| &p.keys));
    let steps = seq::align(
        a.len(),
        b.len(),
        true,
        80,
        &mut |ra, rb| {
            let grouped = ra.len() > 1 || rb.len() > 1;
            let (va, vb) = (merged_keys(&ka[ra.clone()]), merged_keys(&kb[rb.clone()]));
            let ov = overlap(&va, &vb);
            // A group is as similar as its best-matching member pair (the
            // union of key sets would cost too much inside the search).
            let sim = similarity_ids(&wa[ra.start], &wb[rb.start])
                .max(similarity_ids(&wa[ra.end - 1], &wb[rb.end - 1]));
            if grouped && ov * 10 < va.len().max(vb.len()) * 8 {
                return None;
            }
            if ov == 0 && sim < 0.25 && va.len() != vb.len() {
                return None;
            }
            let mut s = 2.0 * ov as f64 / (va.len() + vb.len()) as f64 + 0.4 * sim;
            if va.len() == vb.len() {
                s += 0.15;
            }
            if grouped {
                s -= 0.25;
            }
            Some(s)
        },
        &|_| 0.5,
        &|_| 0.5,
    );
    for s in steps {
        match (s.a.is_empty(), s.b.is_empty()) {
            (false, false) => {
                out.paragraphs += 1;
                let ta: Vec<&Tok> = a[s.a.clone()].iter().flat_map(|p| p.toks.iter()).collect();
                let tb: Vec<&Tok> = b[s.b.clone()].iter().flat_map(|p| p.toks.iter()).collect();
                text_numbers(&ta, &tb, out);
            }
            (false, true) => lone_para(&a[s.a.start], true, out),
            (true, false) => lone_para(&b[s.b.start], false, out),
            (true, true) => {}
        }
    }
}

/// Numbers of aligned running text: equal values pair in any order
/// (nearest place first), the rest through [`leftovers`].
pub(super) fn text_numbers(ta: &[&Tok], tb: &[&Tok], out: &mut Out) {
    let mut used_a = vec![false; ta.len()];
    let mut used_b = vec![false; tb.len()];
    let core_a: Vec<String> = ta.iter().map(|x| core(&x.raw)).collect();
    let core_b: Vec<String> = tb.iter().map(|y| core(&y.raw)).collect();
    // Closest pairs first: the same value written alike with the same
    // label, then with the same label, then any same value — so that
    // "deset naselja" changed to "devet" does not take the "10 stanovnika"
    // that stands unchanged further on.
    for pass in 0..3u8 {
        // The unused numbers of b by value (and pass key), in order, so the
        // nearest one is a lookup, not a scan: a run-on paragraph holds
        // tens of thousands of numbers.
        let key = |t: &Tok, core: &str| -> (String, String) {
            match pass {
                0 => (t.label.clone(), core.to_string()),
                1 => (t.label.clone(), String::new()),
                _ => (String::new(), String::new()),
            }
        };
        let mut groups = ValueGroups::default();
        for (j, y) in tb.iter().enumerate() {
            if !used_b[j] {
                groups.insert(y, key(y, &core_b[j]), j);
            }
        }
        for (i, x) in ta.iter().enumerate() {
            if used_a[i] {
                continue;
            }
            let best = groups.nearest(x, &key(x, &core_a[i]), i, ta.len(), tb.len(), |j| {
                x.same(tb[j])
            });
            if let Some(j) = best {
                used_a[i] = true;
                used_b[j] = true;
                groups.remove(tb[j], &key(tb[j], &core_b[j]), j);
                same_value(FindingKind::TextNumber, x, tb[j], out);
            }
        }
    }
    let (la, lb) = (keep(ta.to_vec(), &used_a), keep(tb.to_vec(), &used_b));
    // Equal values were paired above in any order (a reordered list is
    // translation, not a move), so no leftover pairs up as a moved value.
    leftovers(FindingKind::TextNumber, la, lb, out);
}

/// Positions of numbers grouped by value (and a pass key), each group in
/// order. A number sits under its value and, when ambiguous, under its
/// other reading, so that [`Tok::same`]'s candidates are a few groups.
#[derive(Default)]
pub(super) struct ValueGroups<K> {
    pub(super) groups: HashMap<(bool, i64, Option<i64>, K), BTreeSet<usize>>,
}

impl<K: std::hash::Hash + Eq + Clone> ValueGroups<K> {
    pub(super) fn keys(t: &Tok, k: &K) -> Vec<(bool, i64, Option<i64>, K)> {
        let to = t.to.map(value_key);
        let mut v = vec![(false, value_key(t.value), to, k.clone())];
        if let Some(alt) = t.alt {
            v.push((true, value_key(alt), to, k.clone()));
        }
        v
    }

    pub(super) fn insert(&mut self, t: &Tok, k: K, j: usize) {
        for g in Self::keys(t, &k) {
            self.groups.entry(g).or_default().insert(j);
        }
    }

    pub(super) fn remove(&mut self, t: &Tok, k: &K, j: usize) {
        for g in Self::keys(t, k) {
            if let Some(set) = self.groups.get_mut(&g) {
                set.remove(&j);
            }
        }
    }

    /// The groups that may hold a number equal to `x`: same value, `x`'s
    /// other reading, or an other reading equal to `x`.
    pub(super) fn candidates<'s>(
        &'s self,
        x: &Tok,
        k: &K,
    ) -> impl Iterator<Item = &'s BTreeSet<usize>> {
        let to = x.to.map(value_key);
        let mut wanted = vec![(false, value_key(x.value), to, k.clone())];
        wanted.push((true, value_key(x.value), to, k.clone()));
        if let Some(alt) = x.alt {
            wanted.push((false, value_key(alt), to, k.clone()));
        }
        wanted.into_iter().filter_map(|g| self.groups.get(&g))
    }

    /// The accepted position nearest to `i`'s relative place (`i` of `na`
    /// against `j` of `nb`); on a tie the earlier one.
    pub(super) fn nearest(
        &self,
        x: &Tok,
        k: &K,
        i: usize,
        na: usize,
        nb: usize,
        ok: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let rel = |p: usize, n: usize| p as f64 / n.max(1) as f64;
        let target = rel(i, na);
        let dist = |j: usize| (target - rel(j, nb)).abs();
        // First position at or past the target.
        let mut pivot = (target * nb.max(1) as f64).floor() as usize;
        while pivot > 0 && rel(pivot - 1, nb) >= target {
            pivot -= 1;
        }
        while rel(pivot, nb) < target {
            pivot += 1;
        }
        let mut best: Option<usize> = None;
        for set in self.candidates(x, k) {
            let below = set.range(..pivot).rev().copied().find(|&j| ok(j));
            let above = set.range(pivot..).copied().find(|&j| ok(j));
            for j in below.into_iter().chain(above) {
                best = match best {
                    Some(b) if (dist(b), b) <= (dist(j), j) => Some(b),
                    _ => Some(j),
                };
            }
        }
        best
    }

    /// The first accepted position in any candidate group.
    pub(super) fn first(&self, x: &Tok, k: &K, ok: impl Fn(usize) -> bool) -> Option<usize> {
        self.candidates(x, k)
            .filter_map(|set| set.iter().copied().find(|&j| ok(j)))
            .min()
    }
}

pub(super) fn lone_para(p: &ParaUnit, in_a: bool, out: &mut Out) {
    let first = &p.toks[0];
    let pl = Place {
        raw: p
            .toks
            .iter()
            .map(|t| t.raw.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        value: None,
        provenance: p.provenance.clone(),
        context: first.context.clone(),
    };
    let (sev, a, b) = if in_a {
        (Severity::Missing, Some(pl), None)
    } else {
        (Severity::Extra, None, Some(pl))
    };
    out.findings.push(finding(
        FindingKind::Paragraph,
        sev,
        a,
        b,
        format!(
            "paragraph {} ({} numbers) has no counterpart in {}",
            p.id,
            p.toks.len(),
            if in_a { "b" } else { "a" }
        ),
    ));
}
