//! Shares: a percentage against its numerator and denominator when the
//! plan states them, and shares that should make 100%.
//!
//! Compares: the percentages of a row labelled with `%`, or of a column
//! headed with `%` (without a total row of its own), with 100 — they are
//! shares of one whole; a `%` column beside a column of figures that has
//! a total row (the total's share near 100) with each figure over that
//! total; in running text, a percentage stated right after a part that the
//! sentence takes out of a whole ("1.240 корисника, од којих су 310,
//! односно 28%") with part over whole; a count given as a share of the
//! population ("1084 корисник …, удео од 11,16% укупног становништва")
//! with the population the plan states for the year the sentence names; a
//! rise or fall from a year ("смањење од 8,2% у односу на 2023") with the
//! table row whose figure for the sentence's year is the sentence's amount.
//!
//! Never compares: a change whose amount matches table rows that disagree
//! with each other, or no row; a population the plan states more than once
//! for that year; percentages per year (a share of something each year,
//! not of one whole); sums far from 100 (not shares of one whole); a
//! percentage whose whole the sentence does not name as the whole of that
//! part; a `%` column none of whose rows matches its figure over the total
//! (then the column is not the figures' share of that total). Rounding:
//! each percentage may be off by half a unit of its last decimal.

use super::grid::{Grid, Reading};
use super::{decimals, fmt, half_unit};
use crate::align::report::{Finding, FindingKind, Place, Severity};
use crate::align::tokens::{self, Tok};
use crate::extract::PlanRecord;
use crate::extract::record::NumberRecord;
use crate::normalize::numbers::Kind;

pub fn check(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[tokens::TableUnits],
    v: &crate::vocab::Vocab,
    out: &mut Vec<Finding>,
) {
    let lex = v.align();
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc {
            continue;
        }
        let grid = Grid::new(norm, t, u, Reading::Left, lex, None);
        table_shares(&grid, out);
        shares_of_total(&grid, out);
    }
    for p in &rec.paragraphs {
        text_shares(norm, &p.text, &p.numbers, &p.provenance, out);
    }
    population_shares(norm, rec, out);
    changes(norm, rec, units, v, out);
}

/// Words of a rise and of a fall, as folded stems.
const RISE: &[&str] = &["povec", "rast", "uvec", "rrit", "increas", "grow"];
const FALL: &[&str] = &["smanj", "pad", "umanj", "ulj", "renie", "decreas", "declin"];
/// "compared with" between a change and the year it is measured from.
const AGAINST: &[&str] = &["odnos", "krahas", "compar", "prema", "u poredj"];

/// A change in running text ("707,8 милиона динара у 2024. години, што
/// представља … смањење од 8,2% у односу на 2023. годину") against the
/// figures of both years in a table row whose figure for the first year is
/// the text's amount (to its rounding, in any power of ten). Only when
/// every such row gives the same change; only a percentage right after a
/// word of rise or fall and right before "compared with" a year.
fn changes(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &[tokens::TableUnits],
    v: &crate::vocab::Vocab,
    out: &mut Vec<Finding>,
) {
    let series = year_figures(norm, rec, units, v);
    if series.is_empty() {
        return;
    }
    for p in &rec.paragraphs {
        let ns = &p.numbers;
        for (i, pct) in ns
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == Kind::Percent)
        {
            let Some(stated) = pct.value else { continue };
            let Some(sign) = change_sign(norm, p, pct) else {
                continue;
            };
            // The year compared with: the next number, a year, close by.
            let Some(base) = ns.get(i + 1).filter(|n| n.kind == Kind::Year) else {
                continue;
            };
            let between = norm.key(
                p.text
                    .get(pct.start + pct.raw.len()..base.start)
                    .unwrap_or(""),
            );
            if between.chars().count() > 25 || !AGAINST.iter().any(|a| between.contains(a)) {
                continue;
            }
            let Some(y0) = base.value.map(|v| v as i32) else {
                continue;
            };
            // The amount changed and its year: the last amount before the
            // percentage in the sentence, and the year written next to it.
            let sentence = tokens::sentence(&p.text, pct.start);
            let same = |n: &NumberRecord| tokens::sentence(&p.text, n.start) == sentence;
            // Sentences are runs of numbers: walk back only through this one.
            let Some((ai, amount)) = ns[..i]
                .iter()
                .enumerate()
                .rev()
                .take_while(|(_, n)| same(n))
                .find(|(_, n)| {
                    matches!(
                        n.kind,
                        Kind::Money | Kind::Decimal | Kind::Integer | Kind::Count
                    )
                })
            else {
                continue;
            };
            let Some(year) = ns
                .get(ai + 1)
                .filter(|n| n.kind == Kind::Year && same(n))
                .and_then(|n| n.value)
                .map(|v| v as i32)
            else {
                continue;
            };
            let Some(a) = amount.value else { continue };
            if year == y0 || a <= 0.0 {
                continue;
            }
            // One unit of the amount's last written digit: texts round and
            // cut ("707,8" for 707,887).
            let unit =
                2.0 * half_unit(&amount.raw) * (a / written(&amount.raw).unwrap_or(a)).max(1.0);
            let rows: Vec<(f64, &Tok, &Tok)> = series
                .iter()
                .filter_map(|s| Some((s.get(&year)?, s.get(&y0)?)))
                .filter(|(now, _)| {
                    let k = (a / now.value).log10().round();
                    (now.value * 10f64.powf(k) - a).abs() <= unit
                })
                .map(|(now, then)| ((now.value / then.value - 1.0) * 100.0, *now, *then))
                .collect();
            let Some(&(change, now, then)) = rows.first() else {
                continue;
            };
            if rows.iter().any(|r| (r.0 - change).abs() > 1e-6) {
                continue;
            }
            if (change - sign * stated).abs() <= half_unit(&pct.raw) + 1e-9 {
                continue;
            }
            out.push(super::finding(
                FindingKind::Share,
                Severity::ShareMismatch,
                super::place(&pct.raw, Some(sign * stated), &p.provenance, &sentence),
                Some(crate::align::compare::place(then)),
                super::Figures {
                    expected: Some(change),
                    found: Some(sign * stated),
                    confidence: 0.75,
                },
                format!(
                    "a change of {}{}% from {y0} to {year}, but `{}` against `{}` is {}%",
                    if sign < 0.0 { "-" } else { "" },
                    pct.raw.trim_end_matches('%'),
                    now.raw,
                    then.raw,
                    fmt((change * 10.0).round() / 10.0)
                ),
            ));
        }
    }
}

/// The figures by year of every row of a table with two or more year
/// columns.
fn year_figures<'a>(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    units: &'a [tokens::TableUnits],
    v: &crate::vocab::Vocab,
) -> Vec<std::collections::BTreeMap<i32, &'a Tok>> {
    let lex = v.align();
    // year → column per table, and the rows with figures, once.
    let mut series: Vec<std::collections::BTreeMap<i32, &Tok>> = Vec::new();
    for (t, u) in rec.tables.iter().zip(units) {
        if u.toc {
            continue;
        }
        let (cols, from) = super::restatements::year_columns(norm, t, lex, v.structure());
        if cols.len() < 2 {
            continue;
        }
        for (ri, row) in t.rows.iter().enumerate().skip(from) {
            let mut by_year = std::collections::BTreeMap::new();
            for (&col, &y) in &cols {
                let Some(cell) = row.iter().find(|c| c.col == col) else {
                    continue;
                };
                let toks: Vec<&Tok> = u.rows[ri]
                    .toks
                    .iter()
                    .filter(|k| k.provenance == cell.provenance)
                    .collect();
                if let [k] = toks[..]
                    && k.class() == 0
                    && k.value > 0.0
                {
                    by_year.insert(y, k);
                }
            }
            if by_year.len() >= 2 {
                series.push(by_year);
            }
        }
    }
    series
}

/// The sign of the change a percentage states: a word of rise or fall
/// just before it (`None`: neither).
fn change_sign(
    norm: &crate::normalize::Norm,
    p: &crate::extract::record::ParagraphRecord,
    pct: &NumberRecord,
) -> Option<f64> {
    let before: String = p
        .text
        .get(..pct.start)
        .unwrap_or("")
        .chars()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let before = norm.key(&before);
    let last_word = |stems: &[&str]| {
        before
            .split(' ')
            .rev()
            .take(3)
            .any(|w| stems.iter().any(|s| w.starts_with(s)))
    };
    if last_word(RISE) {
        Some(1.0)
    } else if last_word(FALL) {
        Some(-1.0)
    } else {
        None
    }
}

/// The number as written at the start of `raw` ("707,8 милиона" → 707.8).
fn written(raw: &str) -> Option<f64> {
    let lead: String = raw
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    let digits: String = lead.chars().filter(char::is_ascii_digit).collect();
    let n: f64 = digits.parse().ok()?;
    Some(n / 10f64.powi(decimals(&lead)))
}

/// Words of the population ("становништва", "stanovnika", "popullsisë",
/// "banorë") as folded stems.
const POPULATION: &[&str] = &["stanovni", "popul", "banor"];

fn is_population(word_key: &str) -> bool {
    POPULATION.iter().any(|p| word_key.starts_with(p))
}

/// A count of people in running text given as a share of the whole
/// population ("1084 корисник …, што чини удео од 11,16% укупног
/// становништва (… 2024. години)") against the population the plan states
/// for that year ("11.834 становника" in 2024). Only a sentence with one
/// count and one percentage followed by a population word; only a
/// population the plan states once for the year the sentence names.
fn population_shares(norm: &crate::normalize::Norm, rec: &PlanRecord, out: &mut Vec<Finding>) {
    // year → population figures stated in running text.
    let mut population: std::collections::BTreeMap<i32, Vec<f64>> = Default::default();
    for p in &rec.paragraphs {
        let stated = |n: &&NumberRecord| {
            n.kind == Kind::Count
                && n.value.is_some_and(|v| v >= 100.0)
                && n.noun
                    .as_deref()
                    .is_some_and(|w| is_population(&norm.key(w)))
        };
        if !p.numbers.iter().any(|n| stated(&n)) {
            continue;
        }
        let sents = super::sentences(&p.text, &p.numbers);
        for (i, n) in p.numbers.iter().enumerate().filter(|(_, n)| stated(n)) {
            let Some(v) = n.value else { continue };
            // Its year: the nearest year before it in the same sentence.
            let year = p.numbers[..i]
                .iter()
                .enumerate()
                .rfind(|(j, y)| y.kind == Kind::Year && sents[*j] == sents[i])
                .and_then(|(_, y)| y.value);
            if let Some(y) = year {
                population.entry(y as i32).or_default().push(v);
            }
        }
    }
    for p in &rec.paragraphs {
        if !p.numbers.iter().any(|n| n.kind == Kind::Percent) {
            continue;
        }
        let sents = super::sentences(&p.text, &p.numbers);
        // Sentences are runs of numbers: the run of each number, once.
        let mut runs: std::collections::BTreeMap<&str, Vec<&NumberRecord>> = Default::default();
        for (j, m) in p.numbers.iter().enumerate() {
            runs.entry(sents[j].as_str()).or_default().push(m);
        }
        for (i, pct) in p
            .numbers
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == Kind::Percent)
        {
            let sentence = &sents[i];
            let in_sentence: Vec<&NumberRecord> =
                runs.get(sentence.as_str()).cloned().unwrap_or_default();
            let counts: Vec<&&NumberRecord> = in_sentence
                .iter()
                .filter(|m| {
                    matches!(m.kind, Kind::Count | Kind::Integer)
                        && m.value.is_some_and(|v| v > 0.0)
                })
                .collect();
            let percents = in_sentence
                .iter()
                .filter(|m| m.kind == Kind::Percent)
                .count();
            let ([count], 1) = (&counts[..], percents) else {
                continue;
            };
            let after = p.text.get(pct.start + pct.raw.len()..).unwrap_or("");
            let after: String = after.chars().take(60).collect();
            let after_key = norm.key(&after);
            if !after_key.split(' ').take(4).any(is_population) {
                continue;
            }
            // The population of the year the sentence names.
            let years: Vec<i32> = in_sentence
                .iter()
                .filter(|m| m.kind == Kind::Year)
                .filter_map(|m| m.value)
                .map(|v| v as i32)
                .collect();
            let whole: Vec<f64> = years
                .iter()
                .filter_map(|y| population.get(y))
                .flatten()
                .copied()
                .collect();
            let [whole] = whole[..] else { continue };
            let (Some(part), Some(stated)) = (count.value, pct.value) else {
                continue;
            };
            if part >= whole {
                continue;
            }
            let expected = part / whole * 100.0;
            if (expected - stated).abs() <= half_unit(&pct.raw) + 1e-9 {
                continue;
            }
            out.push(super::finding(
                FindingKind::Share,
                Severity::ShareMismatch,
                super::place(&pct.raw, Some(stated), &p.provenance, sentence),
                Some(super::place(
                    &format!("{} / {}", count.raw, fmt(whole)),
                    Some(expected),
                    &p.provenance,
                    sentence,
                )),
                super::Figures {
                    expected: Some(expected),
                    found: Some(stated),
                    confidence: 0.75,
                },
                format!(
                    "`{}` of the population, but {} of the {} inhabitants the plan states for that year is {}%",
                    pct.raw,
                    count.raw,
                    fmt(whole),
                    fmt((expected * 100.0).round() / 100.0)
                ),
            ));
        }
    }
}

fn sum_place(parts: &[&Tok], sum: f64) -> Place {
    Place {
        raw: parts
            .iter()
            .map(|t| t.raw.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        value: Some(sum),
        provenance: parts[0].provenance.clone(),
        context: tokens::shorten(&parts[0].context, 240),
    }
}

/// A `%` column next to a column of figures with a total row: each share
/// against its figure over the total. Reported only when some row of the
/// column matches (the anchor that the column is that share).
fn shares_of_total(grid: &Grid, out: &mut Vec<Finding>) {
    for (&pc, h) in &grid.headers {
        if !h.contains('%') || pc == 0 {
            continue;
        }
        let vc = pc - 1;
        let Some(tr) = (0..grid.rows).find(|&r| grid.total[r]) else {
            continue;
        };
        let (Some(total), Some(hundred)) = (grid.cells.get(&(tr, vc)), grid.cells.get(&(tr, pc)))
        else {
            continue;
        };
        if total.value <= 0.0 || (hundred.value - 100.0).abs() > 0.5 {
            continue;
        }
        let mut rows = Vec::new();
        for r in (0..tr).filter(|r| !grid.total[*r]) {
            let (Some(v), Some(p)) = (grid.cells.get(&(r, vc)), grid.cells.get(&(r, pc))) else {
                continue;
            };
            if v.class() != 0 || v.value < 0.0 || v.value > total.value {
                continue;
            }
            let expected = v.value / total.value * 100.0;
            let ok = (expected - p.value).abs() <= half_unit(&p.raw) + 1e-9;
            rows.push((*v, *p, expected, ok));
        }
        if !rows.iter().any(|r| r.3) {
            continue;
        }
        for (v, p, expected, ok) in rows {
            if ok {
                continue;
            }
            let mut f = super::finding(
                FindingKind::Share,
                Severity::ShareMismatch,
                crate::align::compare::place(p),
                Some(crate::align::compare::place(v)),
                super::Figures {
                    expected: Some(expected),
                    found: Some(p.value),
                    confidence: 0.85,
                },
                format!(
                    "{}: share `{}` but `{}` of the total `{}` is {}%",
                    grid.id,
                    p.raw,
                    v.raw,
                    total.raw,
                    fmt(expected)
                ),
            );
            f.context = p.context.clone();
            out.push(f);
        }
    }
}

/// Words that take a part out of the whole just named: "of which".
const PART_OF: &[&str] = &[
    "od kojih",
    "od kojeg",
    "od kojega",
    "od cega",
    "od toga",
    "nga te cilet",
    "nga te cilat",
    "nga keta",
    "of which",
    "of whom",
];

/// A sentence end between two numbers: ". " before a capital letter.
fn ends_sentence(gap: &str) -> bool {
    let b: Vec<char> = gap.chars().collect();
    b.windows(3)
        .any(|w| matches!(w[0], '.' | '!' | '?') && w[1].is_whitespace() && w[2].is_uppercase())
}

fn is_count(n: &NumberRecord) -> bool {
    matches!(
        n.kind,
        Kind::Integer | Kind::Count | Kind::Decimal | Kind::Word
    ) && n.value.is_some_and(|v| v > 0.0)
}

/// In running text: whole, "of which", part, then its percentage.
fn text_shares(
    norm: &crate::normalize::Norm,
    text: &str,
    numbers: &[NumberRecord],
    prov: &crate::model::Provenance,
    out: &mut Vec<Finding>,
) {
    for i in 0..numbers.len().saturating_sub(2) {
        let (w, p, pct) = (&numbers[i], &numbers[i + 1], &numbers[i + 2]);
        if !is_count(w) || !is_count(p) || pct.kind != Kind::Percent {
            continue;
        }
        let (Some(wv), Some(pv), Some(sv)) = (w.value, p.value, pct.value) else {
            continue;
        };
        let gap = |a: &NumberRecord, b: &NumberRecord| {
            text.get(a.start + a.raw.len()..b.start).unwrap_or("")
        };
        let (g1, g2) = (gap(w, p), gap(p, pct));
        // The part right after "of which", its share right after the part.
        let k1 = norm.key(g1);
        if pv >= wv
            || ends_sentence(g1)
            || ends_sentence(g2)
            || g2.chars().count() > 40
            || !PART_OF.iter().any(|c| k1.contains(c))
        {
            continue;
        }
        let expected = pv / wv * 100.0;
        if (expected - sv).abs() <= half_unit(&pct.raw) + 1e-9 {
            continue;
        }
        let sentence = tokens::sentence(text, pct.start);
        out.push(super::finding(
            FindingKind::Share,
            Severity::ShareMismatch,
            super::place(&pct.raw, Some(sv), prov, &sentence),
            Some(super::place(
                &format!("{} / {}", p.raw, w.raw),
                Some(expected),
                prov,
                &sentence,
            )),
            super::Figures {
                expected: Some(expected),
                found: Some(sv),
                confidence: 0.85,
            },
            format!(
                "`{}` stated for `{}` of `{}`, which is {}%",
                pct.raw,
                p.raw,
                w.raw,
                fmt((expected * 100.0).round() / 100.0)
            ),
        ));
    }
}

/// Rows labelled with `%` whose percentages are shares of one whole.
fn table_shares(grid: &Grid, out: &mut Vec<Finding>) {
    for r in 0..grid.rows {
        if !grid.labels[r].contains('%') {
            continue;
        }
        let parts: Vec<&Tok> = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|(_, t)| *t)
            .filter(|t| t.kind == Kind::Percent || t.raw.contains('%'))
            .collect();
        // Percentages per year (a share of something each year) are not
        // shares of one whole.
        let per_year = grid
            .cells
            .range((r, 0)..(r + 1, 0))
            .filter(|((_, c), _)| grid.header_years.contains_key(c))
            .count();
        if per_year * 2 >= parts.len() {
            continue;
        }
        share_finding(grid, &parts, out);
    }
    // Columns headed with `%` ("Udeo (%)"): the rows above a total row, or
    // all rows, are shares of one whole — unless each row's figures make
    // 100 (then each row is a whole split across the columns).
    let rows_whole = (0..grid.rows)
        .filter(|r| !grid.total[*r])
        .map(|r| {
            grid.cells
                .range((r, 0)..(r + 1, 0))
                .map(|(_, t)| *t)
                .filter(|t| t.class() != 2 && t.kind != Kind::Range)
                .collect::<Vec<&Tok>>()
        })
        .filter(|v| v.len() >= 2)
        .collect::<Vec<_>>();
    let split_rows = rows_whole.len() >= 2
        && rows_whole.iter().all(|v| {
            let sum: f64 = v.iter().map(|t| t.value).sum();
            let tol: f64 = v.iter().map(|t| half_unit(&t.raw)).sum();
            (sum - 100.0).abs() <= tol + 1e-9
        });
    if split_rows {
        return;
    }
    for (c, h) in &grid.headers {
        // A column with its own total row is checked against that total.
        let has_total = (0..grid.rows).any(|r| grid.total[r] && grid.cells.contains_key(&(r, *c)));
        if !h.contains('%') || has_total {
            continue;
        }
        let parts: Vec<&Tok> = (0..grid.rows)
            .filter(|&r| !grid.total[r])
            .filter_map(|r| grid.cells.get(&(r, *c)).copied())
            .filter(|t| t.kind == Kind::Percent || t.raw.contains('%') || t.class() == 0)
            .collect();
        share_finding(grid, &parts, out);
    }
}

fn share_finding(grid: &Grid, parts: &[&Tok], out: &mut Vec<Finding>) {
    if parts.len() < 3 {
        return;
    }
    let sum: f64 = parts.iter().map(|t| t.value).sum();
    let d = parts.iter().map(|t| decimals(&t.raw)).max().unwrap_or(0);
    let tol = if d == 0 {
        0.5 * parts.len() as f64
    } else {
        0.5 * 10f64.powi(-d) * parts.len() as f64
    };
    if (50.0..=150.0).contains(&sum) && (sum - 100.0).abs() > tol + 1e-9 {
        let mut f = super::finding(
            FindingKind::Share,
            Severity::ShareMismatch,
            sum_place(parts, sum),
            None,
            super::Figures {
                expected: Some(100.0),
                found: Some(sum),
                confidence: 0.8,
            },
            format!(
                "{}: {} shares add up to {}%, not 100%",
                grid.id,
                parts.len(),
                fmt(sum)
            ),
        );
        f.context = parts[0].context.clone();
        out.push(f);
    }
}
