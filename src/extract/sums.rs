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
//! Equality is tested in cents, so no float rounding decides a match. The
//! search grows with the square of the entries: past 5000 in one record
//! only total rows and columns leave the counted set (a diagnostic says
//! so).

use super::record::{AmountSite, Budget, PlanRecord, TableRole};
use super::work::Work;
use crate::model::{Diagnostic, Level};
use std::collections::{BTreeSet, HashMap};

/// A table's identity in provenance: top-level index and nesting path.
type TableKey = (Option<usize>, Vec<[usize; 3]>);

fn table_key(b: &Budget) -> TableKey {
    (b.provenance.table, b.provenance.path.clone())
}

/// Where an amount belongs, coarse to fine.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Plan,
    /// A goal or measure by its code, trailing dots dropped.
    Code(String),
    /// An activity, by code or by record id.
    Activity(String),
}

fn code(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

fn scope(b: &Budget) -> Scope {
    if let Some(a) = b.activity.as_deref().filter(|a| !code(a).is_empty()) {
        Scope::Activity(code(a).to_string())
    } else if let Some(id) = &b.activity_id {
        Scope::Activity(id.clone())
    } else if let Some(p) = b.parent.as_deref().filter(|p| !code(p).is_empty()) {
        Scope::Code(code(p).to_string())
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

/// `q` is numbered below `p` (`2.1` below `2`).
fn under(q: &str, p: &str) -> bool {
    q.len() > p.len() && q.starts_with(p) && q[p.len()..].starts_with('.')
}

/// Entry `e` (scope `es`) lies strictly inside scope `c`.
fn inside(e: &Budget, es: &Scope, c: &Scope) -> bool {
    match c {
        Scope::Plan => *es != Scope::Plan,
        Scope::Activity(_) => false,
        Scope::Code(p) => match es {
            Scope::Plan => false,
            Scope::Code(q) => under(q, p),
            Scope::Activity(_) => {
                e.parent
                    .as_deref()
                    .map(code)
                    .is_some_and(|q| q == p || under(q, p))
                    || e.activity.as_deref().map(code).is_some_and(|a| under(a, p))
            }
        },
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

/// [`derive`], counting in `work` a step per table, per amount and per
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
                b.year_from = Some("caption".to_string());
            } else if let Some(y) = single_year {
                b.year = Some(y);
                b.year_from = Some("plan_period".to_string());
            }
        }
    }
    if rec.budgets.len() > MAX_RECONCILED {
        // The comparisons grow with the square of the entries; past this
        // many (no real plan comes near) only total rows and columns are
        // left out of the counted set, and the record says so.
        for b in &mut rec.budgets {
            b.counted = !b.is_total && b.amount.is_some();
        }
        rec.diagnostics.push(Diagnostic::new(
            Level::Info,
            "budget_reconcile_skipped",
            format!(
                "{} budget amounts: subtotals and restatements not searched (limit {MAX_RECONCILED}); counted leaves out only total rows and columns",
                rec.budgets.len()
            ),
        ));
        return;
    }
    work.enter("reconcile");
    reconcile(&mut rec.budgets, work);
}

/// Budget entries of one record above which subtotals and restatements are
/// not searched.
pub const MAX_RECONCILED: usize = 5000;

/// Parts of totals, subtotals, restatements, and the counted set.
fn reconcile(budgets: &mut [Budget], work: &Work) {
    let n = budgets.len();
    let keys: Vec<TableKey> = budgets.iter().map(table_key).collect();
    let scopes: Vec<Scope> = budgets.iter().map(scope).collect();
    let cents: Vec<Option<i64>> = budgets.iter().map(|b| b.amount.map(cents)).collect();
    let sum = |ix: &[usize]| -> i64 { ix.iter().filter_map(|&j| cents[j]).sum() };

    let mut parts: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sub = vec![false; n];
    let mut restates: Vec<Option<usize>> = vec![None; n];
    let totals: Vec<bool> = budgets.iter().map(|b| b.is_total).collect();
    let counted = |i: usize, sub: &[bool], restates: &[Option<usize>]| {
        !totals[i] && !sub[i] && restates[i].is_none() && cents[i].is_some()
    };
    let mut ranks: Vec<usize> = scopes
        .iter()
        .map(rank)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    ranks.reverse();
    for r in ranks {
        if r < 1000 {
            // Groups of one table, scope and year, in document order.
            let mut order: Vec<(TableKey, Scope, Option<i32>)> = Vec::new();
            let mut groups: HashMap<(TableKey, Scope, Option<i32>), Vec<usize>> = HashMap::new();
            work.add(n);
            for i in 0..n {
                if rank(&scopes[i]) != r || !counted(i, &sub, &restates) {
                    continue;
                }
                let k = (keys[i].clone(), scopes[i].clone(), budgets[i].year);
                groups
                    .entry(k.clone())
                    .or_insert_with(|| {
                        order.push(k);
                        Vec::new()
                    })
                    .push(i);
            }
            // Entries without a year last: they may sum yearly entries of
            // their own scope, which must be settled first.
            order.sort_by_key(|k| k.2.is_none());
            for k in order {
                let Some(group) = groups.get(&k) else {
                    continue;
                };
                let Some(&first) = group.first() else {
                    continue;
                };
                work.add(n);
                let cands = candidates(first, budgets, &scopes, &keys, |j| {
                    counted(j, &sub, &restates)
                });
                work.add(group.len() * cands.len());
                if cands.is_empty() {
                    continue;
                }
                let mut used: BTreeSet<usize> = BTreeSet::new();
                let mut failed = Vec::new();
                for &c in group {
                    let kind = budgets[c].source_kind.as_deref();
                    let p: Vec<usize> = cands
                        .iter()
                        .copied()
                        .filter(|&j| {
                            kind.is_some()
                                && budgets[j].source_kind.as_deref() == kind
                                && !used.contains(&j)
                        })
                        .collect();
                    if !p.is_empty() && Some(sum(&p)) == cents[c] {
                        used.extend(&p);
                        sub[c] = true;
                        parts[c] = p;
                    } else {
                        failed.push(c);
                    }
                }
                // Sources named differently in two tables: the rest of
                // the group (its zeros aside: they add nothing) against
                // the rest of the finer entries. Parts are named only when
                // one entry takes them all.
                let failed: Vec<usize> = failed
                    .into_iter()
                    .filter(|&c| cents[c] != Some(0))
                    .collect();
                if !failed.is_empty() {
                    let rest: Vec<usize> = cands
                        .iter()
                        .copied()
                        .filter(|j| !used.contains(j))
                        .collect();
                    if !rest.is_empty() && sum(&rest) == sum(&failed) {
                        for &c in &failed {
                            sub[c] = true;
                            if failed.len() == 1 {
                                parts[c] = rest.clone();
                            }
                        }
                    }
                }
            }
        }
        // The same amount of one scope and year in another table.
        let mut first_of: HashMap<(Scope, Option<i32>, i64), usize> = HashMap::new();
        work.add(n);
        for i in 0..n {
            if rank(&scopes[i]) != r || !counted(i, &sub, &restates) {
                continue;
            }
            let Some(c) = cents[i].filter(|&c| c != 0) else {
                continue;
            };
            let k = (scopes[i].clone(), budgets[i].year, c);
            match first_of.get(&k) {
                None => {
                    first_of.insert(k, i);
                }
                Some(&f) => {
                    let (a, b) = (
                        budgets[f].source_kind.as_deref(),
                        budgets[i].source_kind.as_deref(),
                    );
                    let compatible = a.is_none() || b.is_none() || a == b;
                    if keys[f] != keys[i] && compatible {
                        restates[i] = Some(f);
                    }
                }
            }
        }
    }

    // Total rows and columns (marked by the walker): their parts in the
    // same row, else the same column, else the whole table; first among
    // all other entries, then leaving out subtotals (a goal row above its
    // measure rows in one column).
    let mut by_table: HashMap<&TableKey, Vec<usize>> = HashMap::new();
    for (j, k) in keys.iter().enumerate() {
        by_table.entry(k).or_default().push(j);
    }
    for i in 0..n {
        let t = &budgets[i];
        let Some(c) = cents[i] else { continue };
        let Some(same_table) = by_table.get(&keys[i]) else {
            continue;
        };
        if !t.is_total || t.provenance.table.is_none() {
            continue;
        }
        let same_year = |j: usize| t.year.is_none() || budgets[j].year == t.year;
        work.add(2 * same_table.len());
        for skip_sub in [false, true] {
            let plain =
                |j: usize| j != i && keys[j] == keys[i] && !totals[j] && !(skip_sub && sub[j]);
            let row: Vec<usize> = same_table
                .iter()
                .copied()
                .filter(|&j| plain(j) && budgets[j].provenance.row == t.provenance.row)
                .collect();
            let col: Vec<usize> = same_table
                .iter()
                .copied()
                .filter(|&j| {
                    plain(j)
                        && budgets[j].provenance.cell == t.provenance.cell
                        && budgets[j].provenance.row != t.provenance.row
                        && budgets[j].year == t.year
                })
                .collect();
            // The rows a total cell spans (merged down over a measure's
            // source rows; in text, the rows below with that cell empty):
            // up to the next total in its column, of the same goal or
            // measure.
            let next_total = same_table
                .iter()
                .filter(|&&j| {
                    totals[j]
                        && budgets[j].provenance.cell == t.provenance.cell
                        && budgets[j].provenance.row > t.provenance.row
                })
                .filter_map(|&j| budgets[j].provenance.row)
                .min();
            let spanned: Vec<usize> = same_table
                .iter()
                .copied()
                .filter(|&j| {
                    let r = budgets[j].provenance.row;
                    plain(j)
                        && same_year(j)
                        && budgets[j].parent == t.parent
                        && r >= t.provenance.row
                        && next_total.is_none_or(|n| r < Some(n))
                })
                .collect();
            let all: Vec<usize> = same_table
                .iter()
                .copied()
                .filter(|&j| plain(j) && same_year(j))
                .collect();
            // Each also by its coarsest scope alone: a goal row's total
            // beside its measure rows in one column.
            let coarsest = |p: &[usize]| -> Vec<usize> {
                let top = p.iter().map(|&j| rank(&scopes[j])).min();
                p.iter()
                    .copied()
                    .filter(|&j| Some(rank(&scopes[j])) == top)
                    .collect()
            };
            let tries = [
                coarsest(&row),
                row,
                spanned,
                coarsest(&col),
                col,
                coarsest(&all),
                all,
            ];
            if let Some(p) = tries.into_iter().find(|p| !p.is_empty() && sum(p) == c) {
                parts[i] = p;
                break;
            }
        }
    }

    let ids: Vec<String> = budgets.iter().map(|b| b.id.clone()).collect();
    for i in 0..n {
        let c = counted(i, &sub, &restates);
        let b = &mut budgets[i];
        b.is_subtotal = sub[i];
        b.parts = parts[i].iter().map(|&j| ids[j].clone()).collect();
        b.restates = restates[i].map(|j| ids[j].clone());
        b.counted = c;
    }
}

/// The counted entries a goal's or measure's entry `c` may sum: those
/// strictly inside its scope, for its year; for an entry without a year
/// (a sum over the period), every counted entry inside its scope, and the
/// yearly ones of its own scope in other tables. Counted entries are
/// disjoint money by construction (finer scopes are settled first), so
/// their union is the scope's whole amount.
fn candidates(
    c: usize,
    budgets: &[Budget],
    scopes: &[Scope],
    keys: &[TableKey],
    counted: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let y = budgets[c].year;
    (0..budgets.len())
        .filter(|&j| {
            j != c
                && counted(j)
                && match y {
                    Some(_) => budgets[j].year == y && inside(&budgets[j], &scopes[j], &scopes[c]),
                    None => {
                        inside(&budgets[j], &scopes[j], &scopes[c])
                            || (budgets[j].year.is_some()
                                && scopes[j] == scopes[c]
                                && keys[j] != keys[c])
                    }
                }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
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
            source_kind: Some("local".into()),
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

    #[test]
    fn past_the_limit_only_totals_leave_the_counted_set() {
        let mut rec: PlanRecord = serde_json::from_value(serde_json::json!({
            "schema": "plan-record/1",
            "source": {"path": "x.txt", "sha256": "", "format": "txt", "encoding": "UTF-8", "encoding_confidence": 1.0, "bytes": 0},
            "document": {"language": null, "script": null, "language_confidence": 0.0, "title": null, "municipality": null, "reference": null, "date": null, "period": null},
            "abbreviations": [], "objectives": [], "activities": [], "indicators": [], "budgets": [],
            "tables": [], "paragraphs": [], "diagnostics": [],
            "coverage": {"cells_in": 0, "cells_placed": 0, "chars_in": 0, "chars_placed": 0, "paragraphs_in": 0, "paragraphs_placed": 0}
        }))
        .unwrap();
        for i in 0..=MAX_RECONCILED {
            let mut e = b(&format!("b{i}"), Some("1"), None, 0, i, Some(2026), 1.0);
            e.is_total = i == 0;
            rec.budgets.push(e);
        }
        derive(&mut rec);
        assert!(!rec.budgets[0].counted && rec.budgets[1..].iter().all(|b| b.counted));
        assert!(
            rec.diagnostics
                .iter()
                .any(|d| d.code == "budget_reconcile_skipped")
        );
    }

    #[test]
    fn caption_years_are_four_digits() {
        assert_eq!(caption_years("Budžet za 2024. (u 000)"), [2024]);
        assert_eq!(caption_years("2026 – 2028"), [2026, 2028]);
        assert!(caption_years("12345 i 100").is_empty());
    }
}
