//! Budgets a sum can trust: fields of the record's budget entries derived
//! from the whole record once every pass has run, so that summing
//! `amount` over the entries with `counted` counts each amount of the plan
//! once.
//!
//! A plan states the same money several times: a total row or column
//! beside its parts, a measure's row above its activities, a goal's table
//! beside the matrix, a plan-wide table by source and year beside both.
//! Nothing here is keyed to a template; it reads only the record:
//!
//! - `amount` is `value × scale`; `table_role` is the role of the entry's
//!   table (`text` outside tables);
//! - `year` is filled, for an entry without one, from the plan's period
//!   when it is a single year, or from the table's caption when it names
//!   exactly one year (inside the period, when there is one);
//! - a total row or column gets `parts`: the other entries of its row, of
//!   the rows its cell spans (merged down over a measure's source rows), of
//!   its column, or of its table, whichever sums to it;
//! - scopes nest by code (`2` ⊃ `2.1` ⊃ activity `2.1.1`); from the
//!   finest scope up, an entry of a goal or measure whose amount is the sum
//!   of the still counted entries inside its scope, for the same year
//!   (source by source, else the group of its row), is a subtotal with
//!   those `parts`, in its own table or another; an entry without a year
//!   may be the sum of yearly entries;
//! - then an entry stating the same non-zero amount as an earlier one of
//!   another table, for the same scope and year and a compatible source,
//!   `restates` it.
//!
//! Equality is tested in cents, so no float rounding decides a match.
//! Sums are kept per scope, year, source and table rather than found by
//! comparing amounts pairwise (`subtotals.rs`, `totals.rs`): the work
//! grows with the entries times the depth of their codes, a sort, and the
//! parts written out, so no record is too large to reconcile.

use super::record::{AmountSite, Budget, PlanRecord, TableRole, YearFrom};
use super::work::Work;
use std::collections::HashMap;

mod entries;
#[cfg(test)]
mod oracle;
mod subtotals;
mod totals;

/// A table's identity in provenance: top-level index and nesting path.
type TableKey = (Option<usize>, Vec<[usize; 3]>);

fn table_key(b: &Budget) -> TableKey {
    (b.provenance.table, b.provenance.path.clone())
}

/// Where an amount belongs, coarse to fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope<'a> {
    Plan,
    /// A goal or measure by its code, trailing dots dropped.
    Code(&'a str),
    /// An activity, by code or by record id.
    Activity(&'a str),
}

fn code(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

fn scope(b: &Budget) -> Scope<'_> {
    if let Some(a) = b.activity.as_deref().map(code).filter(|a| !a.is_empty()) {
        Scope::Activity(a)
    } else if let Some(id) = &b.activity_id {
        Scope::Activity(id)
    } else if let Some(p) = b.parent.as_deref().map(code).filter(|p| !p.is_empty()) {
        Scope::Code(p)
    } else {
        Scope::Plan
    }
}

/// Depth of a scope: 0 the plan, a code's number of parts, activities
/// deepest.
fn rank(s: &Scope) -> usize {
    match s {
        Scope::Plan => 0,
        Scope::Code(c) => c.split('.').filter(|p| !p.is_empty()).count().min(999),
        Scope::Activity(_) => 1000,
    }
}

fn cents(x: f64) -> i64 {
    // Saturating: an absurd amount never panics, it only fails to match.
    (x * 100.0).round() as i64
}

/// The four-digit years a caption names, distinct, in order.
fn caption_years(s: &str) -> Vec<i32> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4
                && let Ok(y) = s[start..i].parse::<i32>()
                && (1990..=2100).contains(&y)
                && !out.contains(&y)
            {
                out.push(y);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Fills the derived budget fields of `rec` (see the module doc).
pub fn derive(rec: &mut PlanRecord) {
    derive_counted(rec, &Work::default());
}

/// [`derive`](fn@derive), counting in `work` a step per table, per amount and per
/// amount compared with another.
pub fn derive_counted(rec: &mut PlanRecord, work: &Work) {
    work.add(rec.tables.len() + rec.budgets.len());
    let period = rec.document.period;
    let single_year = period.and_then(|p| match (p.from, p.to) {
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    });
    let mut tables: HashMap<TableKey, (TableRole, Option<i32>)> = HashMap::new();
    for t in &rec.tables {
        let years = t.caption.as_deref().map(caption_years).unwrap_or_default();
        let year = match years.as_slice() {
            [y] if period.is_none_or(|p| {
                p.from.is_none_or(|f| *y >= f) && p.to.is_none_or(|to| *y <= to)
            }) =>
            {
                Some(*y)
            }
            _ => None,
        };
        tables.insert(
            (t.provenance.table, t.provenance.path.clone()),
            (t.role, year),
        );
    }
    for b in &mut rec.budgets {
        b.amount = b.value.map(|v| v * f64::from(b.scale));
        let key = table_key(b);
        let info = tables.get(&key);
        b.table_role = Some(match (b.provenance.table, info) {
            (None, _) => AmountSite::Text,
            (_, Some((role, _))) => AmountSite::from(*role),
            (_, None) => AmountSite::Other,
        });
        if b.year.is_none() {
            if let Some(y) = info.and_then(|i| i.1) {
                b.year = Some(y);
                b.year_from = Some(YearFrom::Caption);
            } else if let Some(y) = single_year {
                b.year = Some(y);
                b.year_from = Some(YearFrom::PlanPeriod);
            }
        }
    }
    work.enter("reconcile");
    reconcile(&mut rec.budgets, work);
}

/// What the reconciliation has decided so far, by entry.
struct State {
    parts: Vec<Vec<usize>>,
    sub: Vec<bool>,
    restates: Vec<Option<usize>>,
}

impl State {
    /// Entry `i` is still in the counted set.
    fn counted(&self, e: &entries::Entries, i: usize) -> bool {
        !e.total[i] && !self.sub[i] && self.restates[i].is_none() && e.cents[i].is_some()
    }
}

/// Parts of totals, subtotals, restatements, and the counted set.
fn reconcile(budgets: &mut [Budget], work: &Work) {
    let e = entries::Entries::new(budgets);
    let n = e.n;
    work.add(n + e.inside.len());
    let mut st = State {
        parts: vec![Vec::new(); n],
        sub: vec![false; n],
        restates: vec![None; n],
    };
    // The entries of each depth, and each (scope, entry inside it) pair
    // by the scope's depth, in document order.
    let mut at_rank: Vec<Vec<usize>> = vec![Vec::new(); 1001];
    let mut pairs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); 1001];
    for j in 0..n {
        if let Some(v) = at_rank.get_mut(e.rank[j]) {
            v.push(j);
        }
        for &node in e.inside_of(j) {
            if let Some(v) = e.node_rank.get(node).and_then(|&r| pairs.get_mut(r)) {
                v.push((node, j));
            }
        }
    }
    // From the finest scope up: subtotals of goals, measures and the plan,
    // then restatements of that depth.
    for r in (0..at_rank.len()).rev() {
        let Some(here) = at_rank.get(r).filter(|v| !v.is_empty()) else {
            continue;
        };
        if r < 1000 {
            let inside = pairs.get(r).map_or(&[][..], Vec::as_slice);
            subtotals::subtotals(&e, &mut st, r, here, inside, work);
        }
        subtotals::restatements(&e, &mut st, here, work);
    }
    totals::totals(&e, &mut st, work);

    let ids: Vec<String> = budgets.iter().map(|b| b.id.clone()).collect();
    for (i, b) in budgets.iter_mut().enumerate() {
        b.counted = st.counted(&e, i);
        b.is_subtotal = st.sub[i];
        b.parts = st.parts[i].iter().map(|&j| ids[j].clone()).collect();
        b.restates = st.restates[i].map(|j| ids[j].clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::record::SourceKind;
    use crate::model::Provenance;

    fn b(
        id: &str,
        parent: Option<&str>,
        activity: Option<&str>,
        table: usize,
        row: usize,
        year: Option<i32>,
        v: f64,
    ) -> Budget {
        Budget {
            id: id.into(),
            parent: parent.map(Into::into),
            activity: activity.map(Into::into),
            activity_id: None,
            label: None,
            source: None,
            source_kind: Some(SourceKind::Local),
            year,
            raw: v.to_string(),
            value: Some(v),
            scale: 1000,
            currency: Some("RSD".into()),
            is_total: false,
            provenance: Provenance {
                table: Some(table),
                row: Some(row),
                cell: Some(1),
                ..Provenance::default()
            },
            amount: Some(v * 1000.0),
            year_from: None,
            table_role: None,
            is_subtotal: false,
            parts: Vec::new(),
            restates: None,
            counted: false,
        }
    }

    #[test]
    fn measure_rows_goal_tables_and_restatements_count_once() {
        let mut v = vec![
            // A goal table: measure 2.1 in 2026.
            b("b1", Some("2.1"), None, 0, 1, Some(2026), 7.5),
            // Measure 3.1 only stated, in two tables.
            b("b2", Some("3.1"), None, 0, 2, Some(2026), 3.0),
            // The matrix: measure row, then its activities.
            b("b3", Some("2.1"), None, 1, 1, Some(2026), 7.5),
            b("b4", Some("2.1"), Some("2.1.1"), 1, 2, Some(2026), 7.0),
            b("b5", Some("2.1"), Some("2.1.2"), 1, 3, Some(2026), 0.5),
            b("b6", Some("3.1"), None, 2, 1, Some(2026), 3.0),
            // The plan-wide line for 2026.
            b("b7", None, None, 3, 1, Some(2026), 10.5),
        ];
        reconcile(&mut v, &Work::default());
        let total: f64 = v
            .iter()
            .filter(|b| b.counted)
            .filter_map(|b| b.amount)
            .sum();
        assert_eq!(total, 10_500.0);
        assert!(v[0].is_subtotal && v[2].is_subtotal);
        assert_eq!(v[0].parts, ["b4", "b5"]);
        assert_eq!(v[5].restates.as_deref(), Some("b2"));
        assert!(v[6].is_subtotal, "{:?}", v[6]);
    }

    /// A measure's total cell merged down over its two source rows
    /// (Ljubovija's "Укупна средства" 3.300 = 50 + 650 + 2.450 + 3 × 50):
    /// its parts are the entries of both rows, up to the next total in its
    /// column, of its own measure only.
    #[test]
    fn a_total_spanning_rows_sums_the_rows_it_spans() {
        let at = |mut x: Budget, cell: usize, total: bool| {
            x.provenance.cell = Some(cell);
            x.is_total = total;
            x
        };
        let mut v = vec![
            at(b("b1", Some("1.1"), None, 0, 1, Some(2026), 50.0), 2, false),
            at(
                b("b2", Some("1.1"), None, 0, 1, Some(2027), 650.0),
                3,
                false,
            ),
            at(
                b("b3", Some("1.1"), None, 0, 1, Some(2028), 2450.0),
                4,
                false,
            ),
            at(b("b4", Some("1.1"), None, 0, 1, None, 3300.0), 5, true),
            at(b("b5", Some("1.1"), None, 0, 2, Some(2026), 50.0), 2, false),
            at(b("b6", Some("1.1"), None, 0, 2, Some(2027), 50.0), 3, false),
            at(b("b7", Some("1.1"), None, 0, 2, Some(2028), 50.0), 4, false),
            at(
                b("b8", Some("1.2"), None, 0, 3, Some(2026), 150.0),
                2,
                false,
            ),
            at(b("b9", Some("1.2"), None, 0, 3, None, 150.0), 5, true),
        ];
        reconcile(&mut v, &Work::default());
        assert_eq!(v[3].parts, ["b1", "b2", "b3", "b5", "b6", "b7"]);
        assert_eq!(v[8].parts, ["b8"]);
    }

    #[test]
    fn an_entry_not_matching_its_parts_stays_counted() {
        let mut v = vec![
            b("b1", Some("2.1"), None, 0, 1, Some(2026), 8.0),
            b("b2", Some("2.1"), Some("2.1.1"), 0, 2, Some(2026), 7.0),
        ];
        reconcile(&mut v, &Work::default());
        assert!(v.iter().all(|b| b.counted));
    }

    /// Far past the 5,000 amounts the pairwise search stopped at: every
    /// measure row in the goal table sums its two activities in the
    /// matrix, and the plan line sums the measures.
    #[test]
    fn a_large_record_is_reconciled_whole() {
        let m = 4000;
        let mut v = Vec::new();
        for k in 0..m {
            let code = format!("1.{k}");
            v.push(b(
                &format!("g{k}"),
                Some(&code),
                None,
                0,
                k,
                Some(2026),
                3.0,
            ));
            for (a, x) in [(1, 1.0), (2, 2.0)] {
                let act = format!("{code}.{a}");
                v.push(b(
                    &format!("a{k}.{a}"),
                    Some(&code),
                    Some(&act),
                    1,
                    2 * k + a,
                    Some(2026),
                    x,
                ));
            }
        }
        v.push(b("plan", None, None, 2, 0, Some(2026), 3.0 * m as f64));
        reconcile(&mut v, &Work::default());
        let counted: f64 = v
            .iter()
            .filter(|b| b.counted)
            .filter_map(|b| b.amount)
            .sum();
        assert_eq!(counted, 3000.0 * m as f64);
        assert!(
            v.iter()
                .filter(|b| b.id.starts_with('g'))
                .all(|b| b.is_subtotal && b.parts.len() == 2)
        );
        assert!(
            v.last()
                .is_some_and(|b| b.is_subtotal && b.parts.len() == 2 * m)
        );
    }

    /// Amounts far past what an `i64` of cents holds saturate, and their
    /// sums wrap: they fail to match, never panic.
    #[test]
    fn absurd_amounts_do_not_panic() {
        let mut v = vec![
            b("b1", Some("2"), None, 0, 1, Some(2026), 1e300),
            b("b2", Some("2.1"), None, 1, 1, Some(2026), 1e300),
            b("b3", Some("2.1"), None, 1, 2, Some(2026), 1e300),
            b("b4", Some("2.1"), None, 2, 1, None, -1e300),
        ];
        v[3].is_total = true;
        reconcile(&mut v, &Work::default());
        assert!(!v[0].is_subtotal);
    }

    #[test]
    fn caption_years_are_four_digits() {
        assert_eq!(caption_years("Budžet za 2024. (u 000)"), [2024]);
        assert_eq!(caption_years("2026 – 2028"), [2026, 2028]);
        assert!(caption_years("12345 i 100").is_empty());
    }
}
