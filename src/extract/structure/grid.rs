//! Layout: a table as a dense grid of rows (merged cells repeated where
//! they cover, Word list numbers read as text exports write them), and the
//! fitting of a row whose empty cells do not line up with its header.

use super::*;

/// Characters of a cell read for its header key: well beyond the longest
/// header of the lexicon.
pub(super) const KEY_CHARS: usize = 240;

/// One grid position of a rebuilt row.
#[derive(Debug, Clone, Default)]
pub(super) struct GCell<'t> {
    pub(super) text: String,
    /// Index of the cell in its source row, when the position has its own
    /// cell (not covered by a merge from above).
    pub(super) ci: Option<usize>,
    pub(super) provenance: Provenance,
    /// The document's cell, read for its paragraphs when they are asked
    /// for (most cells never are).
    pub(super) source: Option<&'t Cell>,
    /// The cell's paragraphs, with whether each is a list item.
    pub(super) paras: std::cell::OnceCell<Vec<(String, bool)>>,
    /// The text's lexicon key ([`lexicon::tight`]), made once: every row is
    /// tried as several kinds of header.
    pub(super) key: std::cell::OnceCell<String>,
    /// The lexicon's role for the text as a header ([`Pass::cell_role`]).
    pub(super) role: std::cell::OnceCell<Option<Role>>,
}

impl GCell<'_> {
    /// The cell's non-empty paragraphs, spacing tidied, with whether each
    /// is a list item.
    pub(super) fn paras(&self) -> &[(String, bool)] {
        self.paras.get_or_init(|| {
            self.source.map_or_else(Vec::new, |c| {
                let mut out = Vec::new();
                for p in &c.paragraphs {
                    // Items written inline ("✓ a ✓ b ✓ c" in one paragraph)
                    // are items as a list's paragraphs are.
                    match text::inline_items(&p.text) {
                        Some(items) => {
                            out.extend(items.into_iter().map(|t| (collapse_whitespace(t), true)))
                        }
                        None => out.push((collapse_whitespace(&p.text), p.list.is_some())),
                    }
                }
                out.retain(|(t, _): &(String, bool)| !t.is_empty());
                out
            })
        })
    }

    /// The key of the cell's opening words: headers are matched by their
    /// start, and a long data cell need not be folded whole to learn it is
    /// no header. Folded through the context, which other passes share.
    pub(super) fn key(&self, ctx: &Ctx) -> &str {
        self.key.get_or_init(|| {
            let end = self
                .text
                .char_indices()
                .nth(KEY_CHARS)
                .map_or(self.text.len(), |(i, _)| i);
            lexicon::tight_of_key(&ctx.fold_key(&self.text[..end]))
        })
    }
    pub(super) fn own(&self) -> bool {
        self.ci.is_some() && !self.text.is_empty()
    }
    pub(super) fn empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Rows of a table on a dense grid of the table's width.
pub(super) fn grid(t: &Table) -> Vec<Vec<GCell<'_>>> {
    let width = t.width();
    let mut carry: Vec<Option<(usize, GCell)>> = vec![None; width];
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut g: Vec<GCell> = (0..width)
            .map(|_| GCell {
                provenance: row.provenance.clone(),
                ..GCell::default()
            })
            .collect();
        let mut covered = vec![false; width];
        for (ci, c) in row.cells.iter().enumerate() {
            if c.col >= width {
                continue;
            }
            // Spacing as the readers differ on it (a trailing space kept by
            // one DOCX writer, doubled spaces by another) is tidied, so every
            // form of a plan gives the same texts.
            // A Word list's number opening the cell ("1.1.1.") is read as
            // a text export writes it.
            let text = match c.paragraphs.first().and_then(|p| p.shown_number()) {
                Some(m) => collapse_whitespace(&format!("{m} {}", c.text)),
                None => collapse_whitespace(&c.text),
            };
            let cell = GCell {
                text,
                ci: Some(ci),
                provenance: c.provenance.clone(),
                source: Some(c),
                paras: std::cell::OnceCell::new(),
                key: std::cell::OnceCell::new(),
                role: std::cell::OnceCell::new(),
            };
            for k in c.col..(c.col + c.col_span.max(1)).min(width) {
                covered[k] = true;
                carry[k] = (c.row_span > 1).then(|| {
                    (
                        c.row_span - 1,
                        // Repeated below without a cell of its own.
                        GCell {
                            ci: None,
                            ..cell.clone()
                        },
                    )
                });
            }
            g[c.col] = cell;
        }
        for k in 0..width {
            if covered[k] {
                continue;
            }
            if let Some((left, c)) = carry[k].take() {
                g[k] = c.clone();
                if left > 1 {
                    carry[k] = Some((left - 1, c));
                }
            }
        }
        out.push(g);
    }
    out
}

/// The non-empty cells of a row, shortest first: header tests look at
/// them in this order and stop as soon as the row cannot be a header.
pub(super) fn by_length(row: &[GCell]) -> Vec<usize> {
    let mut filled: Vec<usize> = (0..row.len()).filter(|&k| !row[k].empty()).collect();
    filled.sort_by_key(|&k| row[k].text.len());
    filled
}

/// Fits `cells` to `k` columns by dropping empty cells: trailing ones
/// first, then a leading one, then one of a run of empties, then any. The
/// result maps each of the `k` columns to an index into `cells` (None when
/// the row is short); indices of non-empty cells that do not fit are
/// returned apart.
pub(super) fn fit(cells: &[&GCell], k: usize) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..cells.len()).collect();
    while idx.len() > k {
        let n = idx.len();
        if cells[idx[n - 1]].empty() {
            idx.pop();
        } else if cells[idx[0]].empty() {
            idx.remove(0);
        } else if let Some(p) =
            (0..n - 1).find(|&p| cells[idx[p]].empty() && cells[idx[p + 1]].empty())
        {
            idx.remove(p);
        } else if let Some(p) = (0..n).find(|&p| cells[idx[p]].empty()) {
            idx.remove(p);
        } else {
            break;
        }
    }
    let extra = if idx.len() > k {
        idx.split_off(k)
    } else {
        Vec::new()
    };
    let mut map: Vec<Option<usize>> = idx.into_iter().map(Some).collect();
    map.resize(k, None);
    (map, extra)
}

/// What a column expects of its cells' content, for choosing among ways
/// to fit a row whose empty cells do not line up with the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Expect {
    /// A year, a period, a quarter (timeline, deadline).
    Time,
    /// A number (amounts, indicator values).
    Number,
    /// Words, not a bare number (institutions, units, sources).
    Words,
    Any,
}

pub(super) fn expect_of_role(r: Option<&Role>) -> Expect {
    match r {
        Some(Role::Field(f)) => match f.as_str() {
            "timeline" | "deadline" => Expect::Time,
            "budget" => Expect::Number,
            "lead" | "support" | "participants" | "partners" | "implementer" => Expect::Words,
            _ => Expect::Any,
        },
        Some(Role::Amounts) => Expect::Number,
        _ => Expect::Any,
    }
}

pub(super) fn expect_of_ind(r: IndRole) -> Expect {
    match r {
        IndRole::Value(_) => Expect::Number,
        IndRole::Unit | IndRole::Source => Expect::Words,
        IndRole::Name | IndRole::Other => Expect::Any,
    }
}

/// +1 when a non-empty cell's content suits what its column expects, -1
/// when it plainly does not, 0 otherwise.
pub(super) fn suits(e: Expect, text: &str) -> i32 {
    if text.is_empty() || e == Expect::Any {
        return 0;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    match e {
        Expect::Time => {
            if !fields::years(text).is_empty() {
                1
            } else if digits == 0 && letters > 20 {
                -1
            } else {
                0
            }
        }
        Expect::Number => {
            if digits > 0 && digits * 2 >= letters {
                1
            } else if digits == 0 && letters > 12 {
                -1
            } else {
                0
            }
        }
        Expect::Words => {
            if digits > 0 && letters == 0 {
                -1
            } else {
                0
            }
        }
        Expect::Any => 0,
    }
}

/// [`fit`], then, when empty cells had to be dropped and few ways exist to
/// drop them, the way whose cells best suit their columns' content (the
/// plain fit wins ties).
pub(super) fn fit_by_content(
    cells: &[&GCell],
    expect: &[Expect],
) -> (Vec<Option<usize>>, Vec<usize>) {
    let k = expect.len();
    let plain = fit(cells, k);
    let n = cells.len();
    if n <= k || !expect.iter().any(|&e| e != Expect::Any) {
        return plain;
    }
    let empties: Vec<usize> = (0..n).filter(|&i| cells[i].empty()).collect();
    let drop = n - k;
    if empties.len() < drop || binomial(empties.len(), drop) > 256 {
        return plain;
    }
    let score = |map: &[Option<usize>]| -> i32 {
        map.iter()
            .zip(expect)
            .map(|(m, &e)| m.map_or(0, |i| suits(e, &cells[i].text)))
            .sum()
    };
    let mut best = (score(&plain.0), plain);
    // Every choice of `drop` empties, as increasing index combinations.
    let mut pick: Vec<usize> = (0..drop).collect();
    loop {
        let dropped: HashSet<usize> = pick.iter().map(|&p| empties[p]).collect();
        let map: Vec<Option<usize>> = (0..n).filter(|i| !dropped.contains(i)).map(Some).collect();
        let sc = score(&map);
        if sc > best.0 {
            best = (sc, (map, Vec::new()));
        }
        // Next combination.
        let mut i = drop;
        loop {
            if i == 0 {
                return best.1;
            }
            i -= 1;
            if pick[i] < empties.len() - drop + i {
                break;
            }
        }
        pick[i] += 1;
        for j in i + 1..drop {
            pick[j] = pick[j - 1] + 1;
        }
    }
}

pub(super) fn binomial(n: usize, r: usize) -> usize {
    let r = r.min(n - r);
    let mut acc: usize = 1;
    for i in 0..r {
        acc = acc.saturating_mul(n - i) / (i + 1);
    }
    acc
}
