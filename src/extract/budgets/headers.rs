//! Budget headers: what each grid column of a header holds (label, source,
//! year, total, amount), from its words, from a money cell spanning it, and
//! the money columns of a matrix header.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Role {
    /// Text: a goal, measure or activity label, or anything else.
    Label,
    /// Names the funding source of the row.
    Source,
    Year(i32),
    Total,
    /// A column of amounts from one funding source (its header), or of
    /// money in general ("Буџет (у 000 РСД)").
    Amount(Option<String>),
    Skip,
}

impl Role {
    pub(super) fn money(&self) -> bool {
        matches!(self, Role::Year(_) | Role::Total | Role::Amount(_))
    }
}

/// A budget sub-table's header: what each grid column holds.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub(super) cols: BTreeMap<usize, Role>,
    /// Label columns whose header names the plan element ("Активност",
    /// "Мера", "Objektivi"), so their words name an uncoded row.
    pub(super) named: BTreeSet<usize>,
    /// The source column is the first one: each row is a funding source.
    pub(super) rows_are_sources: bool,
    pub(super) scale: Option<u32>,
    pub(super) currency: Option<String>,
    pub(super) rows: Vec<usize>,
}

/// Consecutive header-like rows, merged column by column (a later row's
/// text wins: "2026." under "Укупно процењена средства…").
#[derive(Default)]
pub(super) struct Draft {
    pub(super) texts: BTreeMap<usize, String>,
    /// The row each column's text comes from.
    pub(super) origin: BTreeMap<usize, usize>,
    pub(super) all: Vec<String>,
    pub(super) rows: Vec<usize>,
    /// Money cells spanning several columns (`(row, first column, end)`): a
    /// merged top cell "Iznos (din.)" over "Grad | Pokrajina | Ukupno", or in
    /// a text export the label with empty cells beside it.
    pub(super) spans: Vec<(usize, usize, usize)>,
}

pub(super) fn evaluate(
    ctx: &Ctx,
    draft: &Draft,
    caption: &[String],
    period: Option<Period>,
) -> Option<Header> {
    let lx = lexicon(ctx);
    let (mut cols, evidence) = column_roles(ctx, draft)?;
    let years: Vec<i32> = cols
        .values()
        .filter_map(|r| match r {
            Role::Year(y) => Some(*y),
            _ => None,
        })
        .collect();
    // Years anywhere in the header rows outside the plan's period: a table
    // of past spending, even when a lower header row hides them.
    if let Some(p) = period
        && let (Some(from), Some(to)) = (p.from, p.to)
        && draft
            .all
            .iter()
            .filter_map(|t| year_header(ctx.norm(), t).or_else(|| money_year(ctx, t)))
            .any(|y| y < from || y > to)
    {
        return None;
    }
    if !years.is_empty() {
        // With year columns, a funding word elsewhere is a description
        // ("Буџет ЛС" as a label), not a column of amounts.
        for r in cols.values_mut() {
            if matches!(r, Role::Amount(_)) {
                *r = Role::Skip;
            }
        }
    }
    let amount_cols = cols
        .values()
        .filter(|r| matches!(r, Role::Amount(_)))
        .count();
    if !cols.values().any(Role::money) {
        return None;
    }
    if years.is_empty() && amount_cols == 0 {
        return None;
    }
    let scale = draft
        .all
        .iter()
        .chain(caption)
        .find_map(|t| scale_of(ctx, t));
    let currency = draft
        .all
        .iter()
        .chain(caption)
        .find_map(|t| currency_in(ctx, t));
    let caption_money = caption
        .iter()
        .any(|t| any(&folded(ctx, t), &lx.money_header));
    if !(evidence || scale.is_some() || currency.is_some() || caption_money || amount_cols >= 2) {
        return None;
    }
    let rows_are_sources = cols
        .values()
        .find(|r| **r != Role::Skip)
        .is_some_and(|r| *r == Role::Source);
    let named = draft
        .texts
        .iter()
        .filter(|(col, text)| {
            cols.get(*col) == Some(&Role::Label)
                && matches!(
                    ctx.vocab.structure().header_role(ctx.norm(), text),
                    Some(HeaderRole::Activity | HeaderRole::Goal | HeaderRole::Priority)
                )
        })
        .map(|(col, _)| *col)
        .collect();
    Some(Header {
        cols,
        named,
        rows_are_sources,
        scale,
        currency,
        rows: draft.rows.clone(),
    })
}

/// Each column's role from its own header words, then from a money cell
/// spanning it; whether the words show money (`None`: not a budget).
fn column_roles(ctx: &Ctx, draft: &Draft) -> Option<(BTreeMap<usize, Role>, bool)> {
    let lx = lexicon(ctx);
    let mut cols = BTreeMap::new();
    let mut evidence = false;
    // An indicator table (baseline and targets per year) is not a budget,
    // whatever money words its indicators use.
    if draft
        .all
        .iter()
        .any(|t| any(&folded(ctx, t), &lx.not_budget))
    {
        return None;
    }
    for (&col, text) in &draft.texts {
        let key = folded(ctx, text);
        let role = if let Some(y) = year_header(ctx.norm(), text).or_else(|| money_year(ctx, text))
        {
            Role::Year(y)
        } else if any(&key, &lx.not_money) {
            Role::Skip
        } else if any(&key, &lx.source_header) {
            evidence = true;
            Role::Source
        } else if is_total(ctx, text) {
            Role::Total
        } else if key.split(' ').count() <= 8 && any(&key, &lx.funding) {
            // "Буџет (у 000 РСД)" is a money column, not a source.
            let source = (!generic_money(ctx, text)).then(|| collapse_whitespace(text));
            Role::Amount(source)
        } else if key.split(' ').count() <= 15 && any(&key, &lx.money_header) {
            evidence = true;
            Role::Skip
        } else {
            Role::Label
        };
        cols.insert(col, role);
    }
    // Columns under a spanning money cell hold amounts: by year, as a
    // total, or from the source their own header names.
    for &(top, start, end) in &draft.spans {
        for col in start..end {
            let (Some(text), Some(&row)) = (draft.texts.get(&col), draft.origin.get(&col)) else {
                continue;
            };
            if row <= top {
                continue;
            }
            let role = if let Some(y) = year_header(ctx.norm(), text) {
                Role::Year(y)
            } else if is_total(ctx, text) {
                Role::Total
            } else if any(&folded(ctx, text), &lx.not_money) {
                Role::Skip
            } else {
                Role::Amount(Some(collapse_whitespace(text)))
            };
            evidence = true;
            cols.insert(col, role);
        }
    }
    Some((cols, evidence))
}

/// Columns of a matrix header that announce money ("Буџет", "BUXHETI",
/// "Финансије (у 000 РСД)"), with the unit and currency their header or the
/// table's caption states.
pub(super) fn money_columns(
    ctx: &Ctx,
    filled: &[(usize, &Cell)],
    draft: &Draft,
    caption: &[String],
    period: Option<Period>,
) -> MoneyCols {
    // Past spending (years outside the plan's period) is no plan budget.
    if let Some(p) = period
        && let (Some(from), Some(to)) = (p.from, p.to)
        && draft
            .all
            .iter()
            .filter_map(|t| year_header(ctx.norm(), t).or_else(|| money_year(ctx, t)))
            .any(|y| y < from || y > to)
    {
        return BTreeMap::new();
    }
    let caption_scale = caption.iter().find_map(|t| scale_of(ctx, t));
    let caption_currency = caption.iter().find_map(|t| currency_in(ctx, t));
    let mut out = BTreeMap::new();
    for (_, c) in filled {
        let key = folded(ctx, &c.text);
        let words = key.split(' ').count();
        // A money word, or a short header that names a currency
        // ("Vrednost (RSD)", "Iznos u €").
        let money = any(&key, &lexicon(ctx).money_header)
            || (words <= 6 && currency_in(ctx, &c.text).is_some());
        if words > 15 || !money || any(&key, &lexicon(ctx).not_money) {
            continue;
        }
        let scale = scale_of(ctx, &c.text).or(caption_scale);
        let currency = currency_in(ctx, &c.text).or_else(|| caption_currency.clone());
        out.insert(c.col, (scale, currency));
    }
    out
}

/// Whether a row has numbers outside year-only cells (then it is data, not
/// a header).
pub(super) fn numeric_outside_years(
    norm: &crate::normalize::Norm,
    memo: &Memo,
    filled: &[(usize, &Cell)],
) -> bool {
    filled.iter().any(|(_, c)| {
        if year_header(norm, &c.text).is_some() || memo.has_percent(&c.text) {
            return false;
        }
        let nums = memo.amounts(&c.text);
        // A long text cell may mention a number in passing; an amount with
        // a currency is data wherever it stands.
        nums.iter()
            .any(|n| n.kind == Kind::Money && n.currency.is_some())
            || (c.text.trim().chars().count() < 40 && !nums.is_empty())
    })
}
