//! The parts of total rows and columns (marked by the walker): the other
//! entries of the total's row, else the rows its cell spans, else its
//! column, else its whole table, each also by its coarsest scope alone;
//! first among all other entries, then leaving out subtotals (a goal row
//! above its measure rows in one column).
//!
//! Each of those sets is a run of entries sorted by what it is keyed by,
//! with running sums, so a total costs a few binary searches and the parts
//! it names, not a scan of its table.

use super::State;
use super::entries::Entries;
use crate::extract::work::Work;
use std::ops::Range;

/// The years a same-year set is over: one, or all (a total without a
/// year sums entries of any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Years {
    Of(i32),
    Any,
}

impl Years {
    fn of(y: Option<i32>) -> Years {
        y.map_or(Years::Any, Years::Of)
    }
}

/// Entries sorted by a key, then an order within the key, then index,
/// with running sums of their cents (an entry without an amount adds 0
/// and still counts), so the sum of any run is one subtraction.
struct Runs<K, O> {
    items: Vec<(K, O, usize)>,
    pre: Vec<i64>,
}

impl<K: Ord + Copy, O: Ord + Copy> Runs<K, O> {
    fn new(mut items: Vec<(K, O, usize)>, e: &Entries, work: &Work) -> Self {
        work.add(items.len());
        items.sort_unstable();
        let mut pre = Vec::with_capacity(items.len() + 1);
        let mut s = 0i64;
        pre.push(s);
        for x in &items {
            // Wrapping, as the release build of the scan it replaces
            // summed: absurd amounts only fail to match.
            s = s.wrapping_add(e.cents[x.2].unwrap_or(0));
            pre.push(s);
        }
        Runs { items, pre }
    }

    /// The items of key `k`.
    fn range(&self, k: K) -> Range<usize> {
        let a = self.items.partition_point(|x| x.0 < k);
        let b = self.items.partition_point(|x| x.0 <= k);
        a..b.max(a)
    }

    /// Within `r`, the items whose order is at least `lo` and, if `hi` is
    /// given, below it.
    fn between(&self, r: Range<usize>, lo: O, hi: Option<O>) -> Range<usize> {
        let s = self.items.get(r.clone()).unwrap_or(&[]);
        let a = s.partition_point(|x| x.1 < lo);
        let b = hi.map_or(s.len(), |h| s.partition_point(|x| x.1 < h));
        r.start + a..r.start + b.max(a)
    }

    /// Within `r`, the items whose order is `o`.
    fn block(&self, r: Range<usize>, o: O) -> Range<usize> {
        let s = self.items.get(r.clone()).unwrap_or(&[]);
        let a = s.partition_point(|x| x.1 < o);
        let b = s.partition_point(|x| x.1 <= o);
        r.start + a..r.start + b.max(a)
    }

    /// Within `r`, the first order above `o`.
    fn after(&self, r: Range<usize>, o: O) -> Option<O> {
        let s = self.items.get(r).unwrap_or(&[]);
        s.get(s.partition_point(|x| x.1 <= o)).map(|x| x.1)
    }

    /// The first order within `r`.
    fn first(&self, r: Range<usize>) -> Option<O> {
        self.items.get(r).and_then(|s| s.first()).map(|x| x.1)
    }

    fn order_at(&self, i: usize) -> Option<O> {
        self.items.get(i).map(|x| x.1)
    }

    fn sum(&self, r: &Range<usize>) -> i64 {
        match (self.pre.get(r.start), self.pre.get(r.end)) {
            (Some(a), Some(b)) => b.wrapping_sub(*a),
            _ => 0,
        }
    }

    fn entries(&self, r: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        self.items.get(r).unwrap_or(&[]).iter().map(|x| x.2)
    }

    /// The entries of `r` (within the first order, sorted by index; across
    /// orders, not).
    fn sorted(&self, r: Range<usize>) -> Vec<usize> {
        let mut v: Vec<usize> = self.entries(r).collect();
        v.sort_unstable();
        v
    }
}

/// A column's key (table, cell, year) and the same with a row.
type ColKey = (usize, Option<usize>, Option<i32>);
type ColRowKey = (usize, Option<usize>, Option<i32>, Option<usize>);

/// The entries a total may sum (not totals themselves; in the second
/// try, not subtotals either), in every arrangement a try reads.
struct Plain {
    /// By table and row, coarsest scope first.
    row: Runs<(usize, Option<usize>), usize>,
    /// By table, cell and year, coarsest scope first: a column.
    col: Runs<ColKey, usize>,
    /// The same, also by row: the part of a column in one row, which a
    /// total's column leaves out.
    col_row: Runs<ColRowKey, usize>,
    /// By table and years, coarsest scope first.
    all: Runs<(usize, Years), usize>,
    /// By table, parent as written and years, in row order.
    spans: Runs<(usize, usize, Years), Option<usize>>,
}

impl Plain {
    fn new(e: &Entries, keep: impl Fn(usize) -> bool, work: &Work) -> Plain {
        let (mut row, mut col, mut col_row, mut all, mut spans) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for j in (0..e.n).filter(|&j| keep(j)) {
            let (t, r, c, y, k) = (e.table[j], e.row[j], e.cell[j], e.year[j], e.rank[j]);
            row.push(((t, r), k, j));
            col.push(((t, c, y), k, j));
            col_row.push(((t, c, y, r), k, j));
            for years in [Some(Years::Any), y.map(Years::Of)].into_iter().flatten() {
                all.push(((t, years), k, j));
                spans.push(((t, e.parent[j], years), r, j));
            }
        }
        Plain {
            row: Runs::new(row, e, work),
            col: Runs::new(col, e, work),
            col_row: Runs::new(col_row, e, work),
            all: Runs::new(all, e, work),
            spans: Runs::new(spans, e, work),
        }
    }

    /// The parts of total `i` (`c` cents), from the first try whose set
    /// is not empty and sums to it; `next` is the row of the next total
    /// below it in its column, if any.
    fn parts(&self, e: &Entries, i: usize, c: i64, next: Option<usize>) -> Option<Vec<usize>> {
        let (t, r, cell, y) = (e.table[i], e.row[i], e.cell[i], e.year[i]);
        let years = Years::of(y);
        let fits = |len: usize, sum: i64| len > 0 && sum == c;

        // Its row: by the coarsest scope, then whole.
        let row = self.row.range((t, r));
        if let Some(top) = self.row.order_at(row.start).filter(|_| !row.is_empty()) {
            let b = self.row.block(row.clone(), top);
            if fits(b.len(), self.row.sum(&b)) {
                return Some(self.row.entries(b).collect());
            }
        }
        if fits(row.len(), self.row.sum(&row)) {
            return Some(self.row.sorted(row));
        }
        // The rows its cell spans, of its goal or measure, up to the next
        // total in its column.
        let span = self.spans.range((t, e.parent[i], years));
        let span = self.spans.between(span, r, next.map(Some));
        if fits(span.len(), self.spans.sum(&span)) {
            return Some(self.spans.sorted(span));
        }
        // Its column, its own row left out: by the coarsest scope (the
        // first depth with an entry outside its row), then whole.
        let col = self.col.range((t, cell, y));
        let own = self.col_row.range((t, cell, y, r));
        if col.len() > own.len() {
            let mut at = col.start;
            while let Some(k) = self.col.order_at(at).filter(|_| at < col.end) {
                let b = self.col.block(col.clone(), k);
                let ob = self.col_row.block(own.clone(), k);
                if b.len() > ob.len() {
                    let sum = self.col.sum(&b).wrapping_sub(self.col_row.sum(&ob));
                    if sum == c {
                        return Some(self.col.entries(b).filter(|&j| e.row[j] != r).collect());
                    }
                    break;
                }
                at = b.end.max(at + 1);
            }
            let sum = self.col.sum(&col).wrapping_sub(self.col_row.sum(&own));
            if sum == c {
                let mut v: Vec<usize> = self.col.entries(col).filter(|&j| e.row[j] != r).collect();
                v.sort_unstable();
                return Some(v);
            }
        }
        // Its table: by the coarsest scope, then whole.
        let all = self.all.range((t, years));
        if let Some(top) = self.all.order_at(all.start).filter(|_| !all.is_empty()) {
            let b = self.all.block(all.clone(), top);
            if fits(b.len(), self.all.sum(&b)) {
                return Some(self.all.entries(b).collect());
            }
        }
        if fits(all.len(), self.all.sum(&all)) {
            return Some(self.all.sorted(all));
        }
        None
    }
}

/// Sets the parts of every total row and column of a table that has
/// some.
pub(super) fn totals(e: &Entries, st: &mut State, work: &Work) {
    let is_total = |i: usize| e.total[i] && e.in_table[i] && e.cents[i].is_some();
    if !(0..e.n).any(is_total) {
        return;
    }
    // Totals by table and cell, in row order: the next one below a total.
    let below = Runs::new(
        (0..e.n)
            .filter(|&j| e.total[j])
            .filter_map(|j| e.row[j].map(|r| ((e.table[j], e.cell[j]), r, j)))
            .collect(),
        e,
        work,
    );
    let with_sub = Plain::new(e, |j| !e.total[j], work);
    let mut without_sub: Option<Plain> = None;
    for i in (0..e.n).filter(|&i| is_total(i)) {
        let Some(c) = e.cents[i] else { continue };
        let same_cell = below.range((e.table[i], e.cell[i]));
        let next = match e.row[i] {
            Some(r) => below.after(same_cell, r),
            // Any row is below a total without one.
            None => below.first(same_cell),
        };
        work.add(1);
        let mut found = with_sub.parts(e, i, c, next);
        if found.is_none() {
            let p = without_sub
                .get_or_insert_with(|| Plain::new(e, |j| !e.total[j] && !st.sub[j], work));
            found = p.parts(e, i, c, next);
        }
        if let Some(p) = found {
            work.add(p.len());
            st.parts[i] = p;
        }
    }
}
