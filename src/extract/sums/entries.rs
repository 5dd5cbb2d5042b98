//! The budget entries as small integers, read once: table, scope, year,
//! source kind, amount in cents, scope depth, and the goal and measure
//! codes each entry lies inside. Equal strings get equal ids, so every
//! comparison the reconciliation makes is one of integers.

use super::{Scope, code, scope};
use crate::extract::record::{Budget, SourceKind};
use crate::normalize::fast_hash::FastMap;

/// The id of the plan scope: the root of the code tree, whose children
/// are the first parts of codes.
pub(super) const PLAN: usize = 0;

/// An entry without a source kind.
pub(super) const NO_KIND: usize = usize::MAX;

/// A scope as an id: goal and measure codes (and the plan, [`PLAN`]) are
/// nodes of the code tree, activities have their own ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Sid {
    Code(usize),
    Activity(usize),
}

/// Goal and measure codes as a tree of their dotted parts (`2` → `2.1`):
/// a node per distinct prefix of a scope's code, so the codes an entry
/// lies inside are found by one walk down its code, each part hashed once
/// (a long code costs its length, not its length squared).
struct Codes<'a> {
    child: FastMap<(usize, &'a str), usize>,
    /// Per node: the scope depth (`super::rank`) when some entry's scope is
    /// this code, else `None` (a prefix no entry is scoped to).
    scope_rank: Vec<Option<usize>>,
}

impl<'a> Codes<'a> {
    fn new() -> Self {
        Codes {
            child: FastMap::default(),
            scope_rank: vec![Some(0)],
        }
    }

    /// The node of a scope's code, made with its prefixes if new.
    fn insert(&mut self, code: &'a str, rank: usize) -> usize {
        let mut node = PLAN;
        for part in code.split('.') {
            node = match self.child.get(&(node, part)) {
                Some(&c) => c,
                None => {
                    let c = self.scope_rank.len();
                    self.scope_rank.push(None);
                    self.child.insert((node, part), c);
                    c
                }
            };
        }
        if let Some(r) = self.scope_rank.get_mut(node) {
            *r = Some(rank);
        }
        node
    }

    /// The scope nodes among the prefixes of `code` that end before one of
    /// its dots (those it is numbered below), and the whole `code` too when
    /// `whole`, pushed to `out`.
    fn prefixes(&self, code: &'a str, whole: bool, out: &mut Vec<usize>) {
        let parts = code.split('.').count();
        let mut node = PLAN;
        for (k, part) in code.split('.').enumerate() {
            if k + 1 == parts && !whole {
                break;
            }
            // No scope code goes on past a prefix the tree lacks.
            let Some(&c) = self.child.get(&(node, part)) else {
                break;
            };
            node = c;
            if self.scope_rank.get(node).copied().flatten().is_some() {
                out.push(node);
            }
        }
    }
}

/// What the reconciliation reads of the entries, by index.
pub(super) struct Entries {
    pub n: usize,
    pub table: Vec<usize>,
    pub scope: Vec<Sid>,
    pub rank: Vec<usize>,
    pub year: Vec<Option<i32>>,
    pub kind: Vec<usize>,
    pub cents: Vec<Option<i64>>,
    pub total: Vec<bool>,
    /// Row and cell in the table (provenance).
    pub row: Vec<Option<usize>>,
    pub cell: Vec<Option<usize>>,
    /// The entry's `parent` as written (`None` is its own id).
    pub parent: Vec<usize>,
    /// Whether the entry sits in a table (provenance).
    pub in_table: Vec<bool>,
    /// The scopes the entry lies strictly inside (`oracle::inside`), as
    /// nodes of the code tree, the plan included: entry `j`'s are
    /// `inside[inside_at[j]..inside_at[j + 1]]`, ascending.
    pub inside: Vec<usize>,
    pub inside_at: Vec<usize>,
    /// Per node of the code tree: its scope depth (0 for a prefix no entry
    /// is scoped to, which no entry lists as a scope it lies inside).
    pub node_rank: Vec<usize>,
}

impl Entries {
    /// Reads `budgets`; the cost is their number plus the length of their
    /// codes.
    pub fn new(budgets: &[Budget]) -> Entries {
        let n = budgets.len();
        let mut tables: FastMap<(Option<usize>, &[[usize; 3]]), usize> = FastMap::default();
        let mut kinds: FastMap<SourceKind, usize> = FastMap::default();
        let mut parents: FastMap<Option<&str>, usize> = FastMap::default();
        let mut activities: FastMap<&str, usize> = FastMap::default();
        let mut codes = Codes::new();
        let mut e = Entries {
            n,
            table: Vec::with_capacity(n),
            scope: Vec::with_capacity(n),
            rank: Vec::with_capacity(n),
            year: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            cents: Vec::with_capacity(n),
            total: Vec::with_capacity(n),
            row: Vec::with_capacity(n),
            cell: Vec::with_capacity(n),
            parent: Vec::with_capacity(n),
            in_table: Vec::with_capacity(n),
            inside: Vec::new(),
            inside_at: Vec::with_capacity(n + 1),
            node_rank: Vec::new(),
        };
        for b in budgets {
            let p = &b.provenance;
            let next = tables.len();
            e.table
                .push(*tables.entry((p.table, p.path.as_slice())).or_insert(next));
            let s = scope(b);
            e.rank.push(super::rank(&s));
            e.scope.push(match s {
                Scope::Plan => Sid::Code(PLAN),
                Scope::Code(c) => Sid::Code(codes.insert(c, super::rank(&s))),
                Scope::Activity(a) => {
                    let next = activities.len();
                    Sid::Activity(*activities.entry(a).or_insert(next))
                }
            });
            e.year.push(b.year);
            e.kind.push(match b.source_kind {
                None => NO_KIND,
                Some(k) => {
                    let next = kinds.len();
                    *kinds.entry(k).or_insert(next)
                }
            });
            e.cents.push(b.amount.map(super::cents));
            e.total.push(b.is_total);
            e.row.push(p.row);
            e.cell.push(p.cell);
            let next = parents.len();
            e.parent
                .push(*parents.entry(b.parent.as_deref()).or_insert(next));
            e.in_table.push(p.table.is_some());
        }
        // Every scope is in the tree now: the walks below find each code an
        // entry lies inside.
        let mut found = Vec::new();
        for (b, s) in budgets.iter().zip(&e.scope) {
            e.inside_at.push(e.inside.len());
            found.clear();
            match scope(b) {
                Scope::Plan => {}
                Scope::Code(q) => codes.prefixes(q, false, &mut found),
                Scope::Activity(_) => {
                    // Below its parent's code or at it, or numbered below
                    // a code by its own.
                    if let Some(p) = b.parent.as_deref().map(code) {
                        codes.prefixes(p, true, &mut found);
                    }
                    if let Some(a) = b.activity.as_deref().map(code) {
                        codes.prefixes(a, false, &mut found);
                    }
                }
            }
            if *s != Sid::Code(PLAN) {
                found.push(PLAN);
            }
            found.sort_unstable();
            found.dedup();
            e.inside.extend_from_slice(&found);
        }
        e.inside_at.push(e.inside.len());
        e.node_rank = codes.scope_rank.iter().map(|r| r.unwrap_or(0)).collect();
        e
    }

    /// The scope nodes entry `j` lies strictly inside.
    pub fn inside_of(&self, j: usize) -> &[usize] {
        match (self.inside_at.get(j), self.inside_at.get(j + 1)) {
            (Some(&a), Some(&b)) => self.inside.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }
}
