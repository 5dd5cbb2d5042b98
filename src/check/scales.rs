//! Scale and unit labels: figures whose stated scale or unit contradicts
//! the figures themselves.
//!
//! Compares:
//! - an amount with the median of its money column (an amount about a
//!   thousand times off: a figure in dinars among figures in thousands);
//! - a table whose caption states plain units (dinars) with a table whose
//!   caption states thousands, when most of the first's amounts are the
//!   second's exactly (the same figures cannot be both);
//! - an indicator's unit with its values: a unit that is not a percentage
//!   ("Број", "Просечна оцена") over values written with `%`;
//! - a row of counts with the row of their shares under it: a count off the
//!   whole that most columns' counts and shares agree on (a digit dropped);
//! - one figure of running text stated in two units of area ("356 м²",
//!   "356 km²").
//!
//! Never compares: columns of fewer than four amounts, or not of money;
//! count and share rows where fewer than three quarters of the columns
//! agree on one whole;
//! tables without an explicit scale on both sides; small figures (below
//! 100, which any table may share); a unit cell that is empty.

use super::fmt;
use super::grid::{Grid, Reading};
use super::stmts::Stmt;
use crate::align::lexicon::Lexicon;
use crate::align::report::{Finding, FindingKind, Severity};
use crate::align::tokens::{TableUnits, Tok};
use crate::extract::PlanRecord;
use crate::normalize::numbers::Kind;
use std::collections::BTreeMap;

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[TableUnits],
    statements: &[Stmt],
    lex: &Lexicon,
    out: &mut Vec<Finding>,
) {
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc {
            continue;
        }
        let grid = Grid::new(norm, t, u, Reading::Left, lex, None);
        column_scale(norm, &grid, t.scale.is_some(), lex, out);
    }
    scale_labels(rec, units, out);
    unit_labels(norm, statements, out);
    for (t, u) in rec.tables.iter().zip(units) {
        if !u.toc {
            counts_under_shares(t, u, out);
        }
    }
    area_units(norm, rec, out);
}

/// A row of counts above a row of their shares ("Br. stanovnika" over "%
/// stanovnika"): each column's count over its share gives the whole; a
/// count far from its share of the whole most columns agree on is off by
/// a dropped or added digit. At least four columns, three quarters of them
/// agreeing within the rounding of their shares.
fn counts_under_shares(
    t: &crate::extract::record::TableRecord,
    u: &TableUnits,
    out: &mut Vec<Finding>,
) {
    for r in 1..t.rows.len() {
        let cell_tok = |ri: usize, col: usize| -> Option<&Tok> {
            let cell = t.rows[ri].iter().find(|c| c.col == col)?;
            let toks: Vec<&Tok> = u.rows[ri]
                .toks
                .iter()
                .filter(|k| k.provenance == cell.provenance)
                .collect();
            match toks[..] {
                [k] => Some(k),
                _ => None,
            }
        };
        let mut cols = Vec::new();
        for c in &t.rows[r] {
            let Some(p) = cell_tok(r, c.col) else {
                continue;
            };
            if !p.raw.contains('%') || p.value <= 0.0 {
                continue;
            }
            let Some(n) = cell_tok(r - 1, c.col) else {
                continue;
            };
            if n.class() != 0 || n.raw.contains('%') || n.value <= 0.0 {
                continue;
            }
            cols.push((n, p));
        }
        if cols.len() < 4 {
            continue;
        }
        // Each column bounds the whole by the rounding of its share and its
        // count; the whole is where most of those bounds meet.
        let bounds: Vec<(f64, f64)> = cols
            .iter()
            .map(|(n, p)| {
                let h = super::half_unit(&p.raw);
                let lo = (n.value - 0.5).max(0.0) * 100.0 / (p.value + h);
                let hi = if p.value > h {
                    (n.value + 0.5) * 100.0 / (p.value - h)
                } else {
                    f64::INFINITY
                };
                (lo, hi)
            })
            .collect();
        let Some(whole) = bounds
            .iter()
            .flat_map(|(lo, hi)| [*lo, *hi])
            .filter(|w| w.is_finite())
            .max_by_key(|w| bounds.iter().filter(|(lo, hi)| lo <= w && w <= hi).count())
        else {
            continue;
        };
        let fits = |n: &Tok, p: &Tok| {
            let h = super::half_unit(&p.raw);
            let lo = (n.value - 0.5).max(0.0) * 100.0 / (p.value + h);
            let hi = if p.value > h {
                (n.value + 0.5) * 100.0 / (p.value - h)
            } else {
                f64::INFINITY
            };
            lo <= whole + 1e-6 && whole <= hi + 1e-6
        };
        let agree = cols.iter().filter(|(n, p)| fits(n, p)).count();
        if agree * 4 < cols.len() * 3 {
            continue;
        }
        for (n, p) in cols.iter().filter(|(n, p)| !fits(n, p)) {
            let expected = p.value * whole / 100.0;
            out.push(super::finding(
                FindingKind::Scale,
                Severity::ScaleInconsistent,
                crate::align::compare::place(n),
                Some(crate::align::compare::place(p)),
                super::Figures {
                    expected: Some(expected.round()),
                    found: Some(n.value),
                    confidence: 0.75,
                },
                format!(
                    "{}: `{}` under a share of `{}`, which of the whole of about {} the other columns give is about {}",
                    t.id,
                    n.raw,
                    p.raw,
                    fmt(whole.round()),
                    fmt(expected.round())
                ),
            ));
        }
    }
}

/// Units of area, by how many square metres they are.
const AREA: &[(&str, f64)] = &[
    ("m²", 1.0),
    ("m2", 1.0),
    ("ha", 1e4),
    ("km²", 1e6),
    ("km2", 1e6),
];

fn area_of(norm: &crate::normalize::Norm, unit: &str) -> Option<f64> {
    let k = norm.key(unit).replace(' ', "");
    AREA.iter().find(|(u, _)| k == *u).map(|(_, f)| *f)
}

/// One figure stated with two units of area ("356 м²" here, "356 km²"
/// there): the same number cannot measure the same thing in both. Figures
/// of 10 or more in running text only.
fn area_units(norm: &crate::normalize::Norm, rec: &PlanRecord, out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<
        i64,
        (
            f64,
            &crate::extract::record::NumberRecord,
            &crate::extract::record::ParagraphRecord,
        ),
    > = BTreeMap::new();
    for p in &rec.paragraphs {
        for n in &p.numbers {
            let (Some(v), Some(f)) = (n.value, n.unit.as_deref().and_then(|u| area_of(norm, u)))
            else {
                continue;
            };
            if v < 10.0 {
                continue;
            }
            let key = crate::align::tokens::value_key(v);
            match seen.get(&key) {
                Some((g, first, fp)) if *g != f => {
                    out.push(super::finding(
                        FindingKind::Scale,
                        Severity::UnitLabelMismatch,
                        super::place(
                            &first.raw,
                            first.value,
                            &fp.provenance,
                            &crate::align::tokens::sentence(&fp.text, first.start),
                        ),
                        Some(super::place(
                            &n.raw,
                            Some(v),
                            &p.provenance,
                            &crate::align::tokens::sentence(&p.text, n.start),
                        )),
                        super::Figures {
                            expected: None,
                            found: Some(v),
                            confidence: 0.6,
                        },
                        format!(
                            "`{}` here but `{}` elsewhere: one figure in two units of area",
                            first.raw, n.raw
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (f, n, p));
                }
            }
        }
    }
}

/// The amounts of a table (not years, not percentages), at least 100.
fn amounts(u: &TableUnits) -> Vec<&Tok> {
    u.rows
        .iter()
        .flat_map(|r| &r.toks)
        .filter(|t| {
            matches!(
                t.kind,
                Kind::Integer | Kind::Decimal | Kind::Money | Kind::Count
            ) && t.value >= 100.0
        })
        .collect()
}

/// A table in units and a table in thousands with the same figures.
fn scale_labels(rec: &PlanRecord, units: &[TableUnits], out: &mut Vec<Finding>) {
    let plain: Vec<usize> = (0..rec.tables.len())
        .filter(|&i| rec.tables[i].scale == Some(1) && !units[i].toc)
        .collect();
    let thousands: Vec<usize> = (0..rec.tables.len())
        .filter(|&i| rec.tables[i].scale.is_some_and(|s| s >= 1000) && !units[i].toc)
        .collect();
    for &p in &plain {
        let mine = amounts(&units[p]);
        if mine.len() < 4 {
            continue;
        }
        for &k in &thousands {
            let theirs = amounts(&units[k]);
            let mut pool: BTreeMap<i64, usize> = BTreeMap::new();
            for t in &theirs {
                *pool.entry(t.key()).or_default() += 1;
            }
            let mut same = Vec::new();
            for t in &mine {
                if let Some(n) = pool.get_mut(&t.key()).filter(|n| **n > 0) {
                    *n -= 1;
                    same.push(*t);
                }
            }
            if same.len() < 4 || same.len() * 2 < mine.len().min(theirs.len()) {
                continue;
            }
            let (tp, tk) = (&rec.tables[p], &rec.tables[k]);
            let first = theirs.iter().find(|t| t.key() == same[0].key());
            out.push(super::finding(
                FindingKind::Scale,
                Severity::ScaleLabelMismatch,
                super::place(
                    tp.caption.as_deref().unwrap_or(&same[0].raw),
                    Some(same[0].value),
                    &same[0].provenance,
                    tp.caption.as_deref().unwrap_or(""),
                ),
                first.map(|f| {
                    super::place(
                        tk.caption.as_deref().unwrap_or(&f.raw),
                        Some(f.value),
                        &f.provenance,
                        tk.caption.as_deref().unwrap_or(""),
                    )
                }),
                super::Figures {
                    expected: Some(same[0].value * f64::from(tk.scale.unwrap_or(1000))),
                    found: Some(same[0].value),
                    confidence: 0.85,
                },
                format!(
                    "{} is labelled in units but {} of its {} amounts are those of {}, labelled ×{}",
                    tp.id,
                    same.len(),
                    mine.len(),
                    tk.id,
                    tk.scale.unwrap_or(1000)
                ),
            ));
            break;
        }
    }
}

/// Unit words that mean a percentage or a share.
const PERCENT_WORDS: &[&str] = &[
    "procen", "postot", "percent", "perqind", "udeo", "udio", "ucesc",
];

/// Whether a header or unit names a percentage ("%", "Percent", "Udeo").
pub(super) fn names_percent(norm: &crate::normalize::Norm, text: &str) -> bool {
    let k = norm.key(text);
    text.contains('%') || PERCENT_WORDS.iter().any(|w| k.contains(w))
}

/// A unit that is not a percentage over values written as percentages.
fn unit_labels(norm: &crate::normalize::Norm, statements: &[Stmt], out: &mut Vec<Finding>) {
    for s in statements {
        let Some((unit, prov)) = &s.unit else {
            continue;
        };
        let k = norm.key(unit);
        if unit.contains('%')
            || PERCENT_WORDS.iter().any(|w| k.contains(w))
            || unit.chars().filter(|c| c.is_alphabetic()).count() < 2
        {
            continue;
        }
        let Some(v) = s.values.iter().find(|v| v.percent) else {
            continue;
        };
        let mut f = super::finding(
            FindingKind::Scale,
            Severity::UnitLabelMismatch,
            super::place(&v.raw, v.value, &v.provenance, &s.label),
            Some(super::place(unit, None, prov, &s.label)),
            super::Figures {
                expected: None,
                found: v.value,
                confidence: 0.75,
            },
            format!("unit `{unit}` but the value `{}` is a percentage", v.raw),
        );
        f.context = s.label.clone();
        out.push(f);
    }
}

/// Amounts about a thousand times off the median of their column (a
/// figure in dinars among figures in thousands). Columns of money only:
/// amounts by kind, or a money header in a table that states its scale.
fn column_scale(
    norm: &crate::normalize::Norm,
    grid: &Grid,
    scaled: bool,
    lex: &Lexicon,
    out: &mut Vec<Finding>,
) {
    let mut cols: BTreeMap<usize, Vec<&Tok>> = BTreeMap::new();
    for ((_, c), t) in &grid.cells {
        if matches!(t.kind, Kind::Money | Kind::Integer | Kind::Decimal) {
            cols.entry(*c).or_default().push(t);
        }
    }
    for (c, toks) in &cols {
        let money = toks.iter().filter(|t| t.kind == Kind::Money).count();
        let money_header = grid
            .headers
            .get(c)
            .is_some_and(|h| lex.keys(norm, h).contains("#money"));
        if toks.len() < 4 || !(money * 2 >= toks.len() || scaled && money_header) {
            continue;
        }
        let mut v: Vec<f64> = toks.iter().map(|t| t.value).filter(|v| *v > 0.0).collect();
        if v.len() < 4 {
            continue;
        }
        v.sort_by(f64::total_cmp);
        let median = v[v.len() / 2];
        for t in toks {
            if t.value <= 0.0 {
                continue;
            }
            let r = t.value / median;
            if !(1.0 / 300.0..=300.0).contains(&r) {
                let mut f = super::finding(
                    FindingKind::Scale,
                    Severity::ScaleInconsistent,
                    crate::align::compare::place(t),
                    None,
                    super::Figures {
                        expected: Some(median),
                        found: Some(t.value),
                        confidence: 0.6,
                    },
                    format!(
                        "{}: `{}` is {}× the median amount of its column ({})",
                        grid.id,
                        t.raw,
                        fmt(r),
                        fmt(median)
                    ),
                );
                f.context = t.context.clone();
                out.push(f);
            }
        }
    }
}
