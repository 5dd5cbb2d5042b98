//! Subtotals and restatements, one scope depth at a time from the finest
//! (see the module doc of `sums`), with sums kept per scope, year and
//! source instead of a scan of every amount for every group: the work is
//! the entries times the codes each lies inside, a sort, and the parts
//! written out.
//!
//! What makes running sums exact: a group's candidates lie strictly inside
//! its scope, so they are one depth finer and were settled before this
//! depth began; the yearly entries of its own scope (candidates of a group
//! without a year) are settled by the yearly groups, which all go first.
//! Only codes of 999 parts or more share a depth with codes inside them
//! (`super::rank` stops counting there); for those an entry that becomes a
//! subtotal is taken out of the sums as it happens.

use super::State;
use super::entries::{Entries, NO_KIND, Sid};
use crate::extract::work::Work;
use crate::normalize::fast_hash::{FastMap, FastSet};

/// Which entries of a scope a sum is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Slot {
    /// Those of one year.
    Year(i32),
    /// All, with a year or without.
    AnyYear,
    /// Those of one table (its id).
    Table(usize),
}

/// A wrapping sum of cents and how many entries it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sum {
    cents: i64,
    count: usize,
}

impl Sum {
    fn add(&mut self, c: i64) {
        // Wrapping, as the release build of the scan it replaces summed:
        // absurd amounts only fail to match, in any order.
        self.cents = self.cents.wrapping_add(c);
        self.count += 1;
    }

    fn remove(&mut self, c: i64) {
        self.cents = self.cents.wrapping_sub(c);
        self.count = self.count.saturating_sub(1);
    }

    fn plus(self, o: Sum) -> Sum {
        Sum {
            cents: self.cents.wrapping_add(o.cents),
            count: self.count + o.count,
        }
    }

    fn minus(self, o: Sum) -> Sum {
        Sum {
            cents: self.cents.wrapping_sub(o.cents),
            count: self.count.saturating_sub(o.count),
        }
    }
}

/// Sums of entries by (scope node, slot, kind) and (scope node, slot),
/// and the entries themselves sorted by (node, slot, kind, index), so the
/// entries of one kind are a run in document order.
#[derive(Default)]
struct Pool {
    by_kind: FastMap<(usize, Slot, usize), Sum>,
    all: FastMap<(usize, Slot), Sum>,
    list: Vec<(usize, Slot, usize, usize)>,
}

impl Pool {
    /// Adds entry `j` (kind `kind`, `c` cents) under `(node, slot)`;
    /// listed when its members may be asked for, not only its sums.
    fn add(&mut self, node: usize, slot: Slot, kind: usize, j: usize, c: i64, listed: bool) {
        self.by_kind.entry((node, slot, kind)).or_default().add(c);
        self.all.entry((node, slot)).or_default().add(c);
        if listed {
            self.list.push((node, slot, kind, j));
        }
    }

    fn remove(&mut self, node: usize, slot: Slot, kind: usize, c: i64) {
        if let Some(s) = self.by_kind.get_mut(&(node, slot, kind)) {
            s.remove(c);
        }
        if let Some(s) = self.all.get_mut(&(node, slot)) {
            s.remove(c);
        }
    }

    fn seal(&mut self) {
        self.list.sort_unstable();
    }

    fn sum(&self, node: usize, slot: Slot, kind: usize) -> Sum {
        self.by_kind
            .get(&(node, slot, kind))
            .copied()
            .unwrap_or_default()
    }

    fn total(&self, node: usize, slot: Slot) -> Sum {
        self.all.get(&(node, slot)).copied().unwrap_or_default()
    }

    /// The listed entries under `(node, slot)`, of kind `kind` or of all.
    fn run(&self, node: usize, slot: Slot, kind: Option<usize>) -> &[(usize, Slot, usize, usize)] {
        let key = |x: &(usize, Slot, usize, usize)| match kind {
            Some(k) => (x.0, x.1, x.2) < (node, slot, k),
            None => (x.0, x.1) < (node, slot),
        };
        let upto = |x: &(usize, Slot, usize, usize)| match kind {
            Some(k) => (x.0, x.1, x.2) <= (node, slot, k),
            None => (x.0, x.1) <= (node, slot),
        };
        let a = self.list.partition_point(key);
        let b = self.list.partition_point(upto);
        self.list.get(a..b.max(a)).unwrap_or(&[])
    }
}

/// One group: the entries of one table, scope and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GroupKey {
    table: usize,
    node: usize,
    year: Option<i32>,
}

/// The candidates of a group: counted entries strictly inside its scope
/// (of its year, when it has one), and for a group without a year also
/// the yearly entries of its own scope in other tables.
struct Candidates<'p> {
    inside: &'p Pool,
    same: Option<&'p Pool>,
    g: GroupKey,
}

impl Candidates<'_> {
    fn slot(&self) -> Slot {
        self.g.year.map_or(Slot::AnyYear, Slot::Year)
    }

    fn sum(&self, kind: Option<usize>) -> Sum {
        let (node, slot) = (self.g.node, self.slot());
        let of = |p: &Pool, slot: Slot| match kind {
            Some(k) => p.sum(node, slot, k),
            None => p.total(node, slot),
        };
        let mut s = of(self.inside, slot);
        if let (None, Some(same)) = (self.g.year, self.same) {
            s = s
                .plus(of(same, Slot::AnyYear))
                .minus(of(same, Slot::Table(self.g.table)));
        }
        s
    }

    /// The candidates of kind `kind` (`None`: of every kind but those in
    /// `except`), in document order.
    fn members(
        &self,
        e: &Entries,
        st: &State,
        kind: Option<usize>,
        except: &FastSet<usize>,
    ) -> Vec<usize> {
        let keep = |x: &&(usize, Slot, usize, usize)| !except.contains(&x.2) && st.counted(e, x.3);
        let mut out: Vec<usize> = self
            .inside
            .run(self.g.node, self.slot(), kind)
            .iter()
            .filter(keep)
            .map(|x| x.3)
            .collect();
        if let (None, Some(same)) = (self.g.year, self.same) {
            out.extend(
                same.run(self.g.node, Slot::AnyYear, kind)
                    .iter()
                    .filter(keep)
                    .map(|x| x.3)
                    .filter(|&j| e.table.get(j) != Some(&self.g.table)),
            );
        }
        out.sort_unstable();
        out
    }
}

/// The subtotal search of depth `r` (< 1000: goals, measures, the plan)
/// over `at_rank`, its entries in document order, with `pairs`, the
/// (scope node of depth `r`, entry inside it) pairs in entry order.
pub(super) fn subtotals(
    e: &Entries,
    st: &mut State,
    r: usize,
    at_rank: &[usize],
    pairs: &[(usize, usize)],
    work: &Work,
) {
    work.add(at_rank.len() + pairs.len());
    let (order, groups) = groups_of(e, st, at_rank);

    let mut inside = inside_pool(e, st, pairs);
    let mut same: Option<Pool> = None;

    for g in order {
        let Some(group) = groups.get(&g) else {
            continue;
        };
        if g.year.is_none() && same.is_none() {
            same = Some(same_scope(e, st, at_rank, work));
        }
        let cands = Candidates {
            inside: &inside,
            same: same.as_ref(),
            g,
        };
        let all = cands.sum(None);
        if all.count == 0 {
            continue;
        }
        let subbed = group_sums(e, st, &cands, all, group, work);
        leave_sums(e, r, subbed, &mut inside);
    }
}

/// The groups of one table, scope and year among `at_rank`'s counted
/// entries, in the order they are settled.
fn groups_of(
    e: &Entries,
    st: &State,
    at_rank: &[usize],
) -> (Vec<GroupKey>, FastMap<GroupKey, Vec<usize>>) {
    // Groups of one table, scope and year, in document order.
    let mut order: Vec<GroupKey> = Vec::new();
    let mut groups: FastMap<GroupKey, Vec<usize>> = FastMap::default();
    for &i in at_rank {
        let Sid::Code(node) = e.scope[i] else {
            continue;
        };
        if !st.counted(e, i) {
            continue;
        }
        let k = GroupKey {
            table: e.table[i],
            node,
            year: e.year[i],
        };
        groups
            .entry(k)
            .or_insert_with(|| {
                order.push(k);
                Vec::new()
            })
            .push(i);
    }
    // Entries without a year last: they may sum yearly entries of their
    // own scope, which must be settled first.
    order.sort_by_key(|k| k.year.is_none());
    (order, groups)
}

/// The counted entries inside each scope node of depth `r`, by year and
/// over all years.
fn inside_pool(e: &Entries, st: &State, pairs: &[(usize, usize)]) -> Pool {
    let mut inside = Pool::default();
    for &(node, j) in pairs {
        let Some(c) = e.cents[j].filter(|_| st.counted(e, j)) else {
            continue;
        };
        if let Some(y) = e.year[j] {
            inside.add(node, Slot::Year(y), e.kind[j], j, c, true);
        }
        inside.add(node, Slot::AnyYear, e.kind[j], j, c, true);
    }
    inside.seal();
    inside
}

/// One group's entries that sum candidates (marked, their parts named);
/// returns them.
fn group_sums(
    e: &Entries,
    st: &mut State,
    cands: &Candidates,
    all: Sum,
    group: &[usize],
    work: &Work,
) -> Vec<usize> {
    // Each kind's candidates go to the first entry of that kind they
    // sum to; the rest of the group fails.
    let mut taken: FastMap<usize, Sum> = FastMap::default();
    let mut won: Vec<(usize, usize)> = Vec::new();
    let mut failed: Vec<usize> = Vec::new();
    work.add(group.len());
    for &c in group {
        let k = e.kind[c];
        if k != NO_KIND && !taken.contains_key(&k) {
            let s = cands.sum(Some(k));
            if s.count > 0 && Some(s.cents) == e.cents[c] {
                taken.insert(k, s);
                won.push((c, k));
                continue;
            }
        }
        failed.push(c);
    }
    let none = FastSet::default();
    for &(c, k) in &won {
        let p = cands.members(e, st, Some(k), &none);
        work.add(p.len());
        st.sub[c] = true;
        st.parts[c] = p;
    }
    // Sources named differently in two tables: the rest of the group
    // (its zeros aside: they add nothing) against the rest of the
    // finer entries. Parts are named only when one entry takes them
    // all.
    failed.retain(|&c| e.cents[c] != Some(0));
    let mut subbed: Vec<usize> = won.iter().map(|w| w.0).collect();
    if !failed.is_empty() {
        let rest = taken.values().fold(all, |a, &s| a.minus(s));
        let want = failed.iter().fold(Sum::default(), |mut s, &c| {
            s.add(e.cents[c].unwrap_or(0));
            s
        });
        if rest.count > 0 && rest.cents == want.cents {
            if let [c] = failed[..] {
                let except: FastSet<usize> = taken.keys().copied().collect();
                let p = cands.members(e, st, None, &except);
                work.add(p.len());
                st.parts[c] = p;
            }
            for &c in &failed {
                st.sub[c] = true;
            }
            subbed.extend(&failed);
        }
    }
    subbed
}

fn leave_sums(e: &Entries, r: usize, subbed: Vec<usize>, inside: &mut Pool) {
    // An entry of this depth inside another of this depth (codes of
    // 999 parts and more) leaves that one's sums.
    for c in subbed {
        let Some(cc) = e.cents[c] else { continue };
        for &node in e.inside_of(c) {
            if e.node_rank.get(node) == Some(&r) {
                if let Some(y) = e.year[c] {
                    inside.remove(node, Slot::Year(y), e.kind[c], cc);
                }
                inside.remove(node, Slot::AnyYear, e.kind[c], cc);
            }
        }
    }
}

/// The counted yearly entries of depth `r` by their own scope, overall and
/// per table: what a group without a year takes from other tables.
fn same_scope(e: &Entries, st: &State, at_rank: &[usize], work: &Work) -> Pool {
    let mut p = Pool::default();
    work.add(at_rank.len());
    for &j in at_rank {
        let (Sid::Code(node), Some(_), Some(c)) = (e.scope[j], e.year[j], e.cents[j]) else {
            continue;
        };
        if st.counted(e, j) {
            p.add(node, Slot::AnyYear, e.kind[j], j, c, true);
            p.add(node, Slot::Table(e.table[j]), e.kind[j], j, c, false);
        }
    }
    p.seal();
    p
}

/// The same non-zero amount of one scope and year in another table, with
/// a compatible source, restates the first one stated.
pub(super) fn restatements(e: &Entries, st: &mut State, at_rank: &[usize], work: &Work) {
    let mut first_of: FastMap<(Sid, Option<i32>, i64), usize> = FastMap::default();
    work.add(at_rank.len());
    for &i in at_rank {
        if !st.counted(e, i) {
            continue;
        }
        let Some(c) = e.cents[i].filter(|&c| c != 0) else {
            continue;
        };
        let k = (e.scope[i], e.year[i], c);
        match first_of.get(&k) {
            None => {
                first_of.insert(k, i);
            }
            Some(&f) => {
                let (a, b) = (e.kind[f], e.kind[i]);
                let compatible = a == NO_KIND || b == NO_KIND || a == b;
                if e.table[f] != e.table[i] && compatible {
                    st.restates[i] = Some(f);
                }
            }
        }
    }
}
