//! Money: every amount the plan ties to a goal, measure or activity.
//!
//! In: the context (tables and paragraphs in document order) and the record
//! as the structure pass left it (objectives and activities, for parent
//! codes and links). Out: the record's `budgets`, one entry per amount, per
//! source and per year, wherever the document states it (a figure repeated
//! in a summary table and in a measure's own table is two entries), plus
//! diagnostics; the cells and paragraphs used are marked placed, their
//! tables `budget`.
//!
//! Three shapes are read:
//! - budget tables: a header with year columns ("2026."), funding-source
//!   columns ("Буџетска средства Општине") or total columns ("УКУПНО"), and
//!   rows labelled with a goal, measure or activity ("Мера 1.1",
//!   "1.1.1 Запошљавање…"), a funding source, or a year. Several such
//!   sub-tables may sit in one document table, each opened by its own header
//!   rows. A header may take two rows: a money cell spanning columns (a
//!   merged "Iznos (din.)", or in a text export the label with empty cells
//!   beside it) makes the columns under it amounts, each by the year, source
//!   or total its lower header names; in a header whose other columns are
//!   sources, a column the lexicon does not know ("MFPT") is one more source
//!   when every cell below it is an amount. Rows without a label belong to
//!   the labelled row above, or to the goal or measure announced just before
//!   the table ("МЕРА 2.1:");
//! - amounts in other tables: under a money column ("Буџет", "BUXHETI",
//!   "Procenjeni troškovi (000 RSD)", with the row's funding-source cell as
//!   source) or naming a currency ("4.000.000,00 динара"), paired in order
//!   with a bulleted list of activities in the same row when there is one (a
//!   diagnostic says when the counts differ). These count only when tied to
//!   a plan element, or when they are a total row under a money column; the
//!   others are reported once per table;
//! - label–value blocks: a "Budget-label: amount" paragraph ("Budžet: 4,8
//!   miliona dinara", "Buxheti: 60 mijë €") under an activity label paragraph
//!   ("Aktivnost 3.1.1: …") is that activity's amount, with the paragraph as
//!   provenance.
//!
//! A row names its element by the most specific code among its label cells:
//! a "Br." cell "1.1.1" beside a merged goal cell, a repeated measure column,
//! or a number Word's list numbering gives the cell. Total rows and columns
//! are marked `is_total`. An amount followed by a rate word ("100 € po
//! detetu") is a price, not a budget.
//!
//! Tables of past spending (years outside the plan's period) and indicator
//! tables are never budgets. `value` is the number as written and `scale`
//! the unit: from the column's header, else the table's caption, else the
//! nearest statement before the table ("iskazani u hiljadama dinara"), times
//! a number word written with the amount ("4,8 miliona" is 4.8 × 1 000 000),
//! so value × scale is the amount. A table without any marker takes the unit
//! of the marked table that repeats its figures, else of the nearest marked
//! table above. When two tables state the same figures in different units,
//! the narrative decides ("66,67 милиона динара" confirms thousands) and a
//! diagnostic reports it. `activity_id` links an amount to its activity
//! record (the only link for activities without a code); `source_kind`
//! classifies the source across languages. Words come from
//! `mappings/money_markers.tsv` and `mappings/funding_sources.tsv`; labels
//! are read as the structure pass reads them ([`super::labels`]).

mod headers;
mod lexicon;
mod resolve;
mod walker;

use super::labels::{self, Label, LabelKind};
use super::record::{Budget, ObjectiveKind, Period};
use super::structure::lexicon::{Lexicon as StructureLexicon, Role as HeaderRole};
use super::{Ctx, Placed, PlanRecord};
use crate::config::Lexicons;
use crate::model::{Cell, Diagnostic, Level, Provenance, Row};
use crate::normalize::fast_hash::FastMap;
use crate::normalize::numbers::{self, Kind, Number};
use crate::normalize::{collapse_whitespace, fold};
use headers::*;
use lexicon::*;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::sync::OnceLock;
use walker::*;

/// Reads every amount of the document into `rec.budgets`, with its
/// diagnostics (see the module doc).
pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let period = super::metadata::plan_period(ctx).map(|(p, _)| p);
    let mut act_parents: HashMap<&str, Vec<&Option<String>>> = HashMap::new();
    for a in &rec.activities {
        if let Some(c) = a.code.as_deref() {
            act_parents.entry(c).or_default().push(&a.parent);
        }
    }
    let objective_codes: HashSet<&str> = rec
        .objectives
        .iter()
        .filter_map(|o| o.code.as_deref())
        .collect();
    let mut w = Walker {
        ctx,
        memo: Memo::new(ctx),
        act_parents,
        objective_codes,
        period,
        entries: Vec::new(),
        subs: Vec::new(),
        diagnostics: Vec::new(),
        context: None,
        open: None,
        block: None,
        block_source: None,
        block_entries: Vec::new(),
        unit_reported: BTreeSet::new(),
    };
    // Paragraphs and tables in document order.
    let mut events: Vec<(usize, usize, usize)> = Vec::new();
    for p in &ctx.paragraphs {
        events.push((p.block, 0, p.index));
    }
    for t in &ctx.tables {
        events.push((t.block, 1, t.index));
    }
    events.sort_unstable();
    for (_, kind, i) in events {
        if kind == 0 {
            w.paragraph(i, placed);
        } else {
            w.table(i, placed);
        }
    }
    w.resolve_parents();
    w.resolve_scales();
    w.check_totals();
    // The document's currency, read only when an amount names none.
    let doc_currency = if w.entries.iter().any(|e| e.currency.is_none()) {
        document_currency(&w.memo)
    } else {
        None
    };
    let Walker {
        entries,
        subs,
        mut diagnostics,
        ..
    } = w;
    // Amounts under a money column that name no plan element, by table.
    let mut unplaced: BTreeMap<usize, (usize, Provenance)> = BTreeMap::new();
    let w_memo = Memo::new(ctx);
    let mut out = Vec::with_capacity(entries.len());
    let mut linker = Linker::new(rec);
    for e in entries {
        let sub = &subs[e.sub];
        let activity_id = linker.link(&e);
        if let Some((ti, ri, ci)) = e.loose {
            // An amount outside a budget table counts only when it belongs
            // to a plan element: a code, or an activity the structure knows.
            // Otherwise it stays in `tables`, not placed.
            if e.parent.is_none() && e.activity.is_none() && activity_id.is_none() && !e.total {
                if e.money_col {
                    unplaced.entry(ti).or_insert((0, e.provenance.clone())).0 += 1;
                }
                continue;
            }
            placed.cell(ti, ri, ci);
            if !placed.roles.contains_key(&ti) {
                placed.role(ti, crate::extract::record::TableRole::Budget);
            }
        }
        let (value, scale) = written_scale(&w_memo, &e.number, sub.scale);
        out.push(Budget {
            id: format!("b{}", out.len() + 1),
            parent: e.parent,
            activity: e.activity,
            activity_id,
            label: e.text,
            source_kind: e.source.as_deref().and_then(source_kind),
            source: e.source,
            year: e.year,
            raw: number_token(&e.number.raw),
            value,
            scale,
            currency: e.currency.or_else(|| doc_currency.clone()),
            is_total: e.total || e.total_role,
            provenance: e.provenance,
            // Filled from the whole record by `extract::sums`.
            amount: None,
            year_from: None,
            table_role: None,
            is_subtotal: false,
            parts: Vec::new(),
            restates: None,
            counted: false,
        });
    }
    for (ti, (n, at)) in unplaced {
        diagnostics.push(
            Diagnostic::new(
                Level::Info,
                "budget_unplaced",
                format!(
                    "{n} amount(s) under a money column of table t{} name no goal, measure or activity; kept in the table only",
                    ti + 1
                ),
            )
            .at(at),
        );
    }
    rec.budgets = out;
    rec.diagnostics.extend(diagnostics);
}

/// Links amounts to the activity records of the structure pass: by code
/// (under the same parent when the code repeats), by the words of a listed
/// activity, or by the table row both come from.
struct Linker {
    activities: Vec<ActivityRef>,
    /// Activities (indices, in record order) by code, by words, and by the
    /// table row they come from: every amount is linked, so the record's
    /// activities are indexed once rather than scanned per amount.
    by_code: HashMap<String, Vec<usize>>,
    by_words: HashMap<String, Vec<usize>>,
    by_row: HashMap<(usize, usize), Vec<usize>>,
    /// Activities already given to an amount by their words, so that two
    /// list items with the same words go to two activities.
    used: BTreeSet<usize>,
}

/// What the linker needs of an activity record.
struct ActivityRef {
    id: String,
    parent: Option<String>,
}

impl Linker {
    fn new(rec: &PlanRecord) -> Linker {
        let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_words: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_row: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, a) in rec.activities.iter().enumerate() {
            if let Some(c) = &a.code {
                by_code.entry(c.clone()).or_default().push(i);
            }
            by_words
                .entry(collapse_whitespace(&a.text.original))
                .or_default()
                .push(i);
            if let (Some(t), Some(r)) = (a.provenance.table, a.provenance.row) {
                by_row.entry((t, r)).or_default().push(i);
            }
        }
        Linker {
            activities: rec
                .activities
                .iter()
                .map(|a| ActivityRef {
                    id: a.id.clone(),
                    parent: a.parent.clone(),
                })
                .collect(),
            by_code,
            by_words,
            by_row,
            used: BTreeSet::new(),
        }
    }

    fn link(&mut self, e: &Entry) -> Option<String> {
        let acts = &self.activities;
        if let Some(code) = &e.activity {
            let same = self.by_code.get(code)?;
            let best = same
                .iter()
                .find(|&&i| acts[i].parent == e.parent)
                .or(same.first())?;
            return Some(acts[*best].id.clone());
        }
        if let Some(words) = &e.text {
            let words = collapse_whitespace(words);
            if let Some(i) = self.by_words.get(&words).and_then(|v| {
                v.iter()
                    .copied()
                    .find(|&i| !self.used.contains(&i) && acts[i].parent == e.parent)
            }) {
                self.used.insert(i);
                return Some(acts[i].id.clone());
            }
        }
        let (table, row) = (e.provenance.table?, e.provenance.row?);
        let on_row: &[usize] = self.by_row.get(&(table, row)).map_or(&[], Vec::as_slice);
        // Only an unambiguous row: one activity on it.
        match on_row {
            [a] if e.text.is_some() || e.own.is_none() => Some(acts[*a].id.clone()),
            _ => None,
        }
    }
}

/// The currency most amounts of the document name, if one does.
fn document_currency(memo: &Memo) -> Option<String> {
    let ctx = memo.ctx;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut add = |s: &str| {
        for n in memo.all(s).iter() {
            if let Some(c) = &n.currency {
                *counts.entry(c.clone()).or_insert(0) += 1;
            }
        }
    };
    for p in &ctx.paragraphs {
        add(&p.paragraph.text);
    }
    for t in &ctx.tables {
        for row in &t.table.rows {
            for c in &row.cells {
                add(&c.text);
            }
        }
    }
    let best = counts.values().copied().max()?;
    let mut top = counts.iter().filter(|(_, n)| **n == best);
    let first = top.next()?;
    // A tie names no currency.
    top.next().is_none().then(|| first.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::record::Budget;
    use crate::read::{ReadOptions, read_bytes};

    /// The budgets (and diagnostics codes) of a text document.
    fn budgets(text: &str) -> (Vec<Budget>, Vec<String>) {
        let doc = match read_bytes(
            std::path::Path::new("test.txt"),
            text.as_bytes(),
            &ReadOptions::default(),
        ) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let rec = crate::extract::extract(&doc);
        let codes = rec.diagnostics.iter().map(|d| d.code.clone()).collect();
        (rec.budgets, codes)
    }

    /// `(parent, activity, source, year, raw, scale)`.
    type Row<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<i32>,
        &'a str,
        u32,
    );

    fn row(b: &Budget) -> Row<'_> {
        (
            b.parent.as_deref(),
            b.activity.as_deref(),
            b.source.as_deref(),
            b.year,
            b.raw.as_str(),
            b.scale,
        )
    }

    #[test]
    fn sources_by_year_with_totals() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\nТабела: Буџет плана (у 000 РСД)\n\n\
             Мера\tИзвор финансирања\t2024\t2025\tУкупно\n\
             Мера 1.1\tБуџет општине\t100\t200\t300\n\
             \tДонације\t50\t0\t50\n\
             Укупно за меру 1.1\t\t150\t200\t350\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(rows.len(), 9);
        assert_eq!(
            rows[0],
            (
                Some("1.1"),
                None,
                Some("Буџет општине"),
                Some(2024),
                "100",
                1000
            )
        );
        // Every row has its own total: it keeps the row's source.
        assert_eq!(
            rows[2],
            (Some("1.1"), None, Some("Буџет општине"), None, "300", 1000)
        );
        assert_eq!(
            rows[4],
            (Some("1.1"), None, Some("Донације"), Some(2025), "0", 1000)
        );
        // "Укупно за меру 1.1" totals measure 1.1 over its sources.
        assert_eq!(rows[8], (Some("1.1"), None, None, None, "350", 1000));
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
    }

    /// A document of paragraphs (`Err`) and tables (`Ok`) in order.
    fn document(blocks: &[Result<&[&[&str]], &str>]) -> crate::model::Document {
        use crate::model::{Block, Cell, Document, Format, Paragraph, Row, Source, Table};
        let para = |t: &str| Paragraph {
            text: t.to_string(),
            ..Paragraph::default()
        };
        Document {
            source: Source {
                path: "test.docx".into(),
                format: Format::Docx,
                encoding: "UTF-8".into(),
                encoding_confidence: 1.0,
                sha256: String::new(),
                bytes: 0,
            },
            blocks: blocks
                .iter()
                .enumerate()
                .map(|(bi, b)| match b {
                    Err(t) => Block::Paragraph(para(t)),
                    Ok(rows) => Block::Table(Table {
                        rows: rows
                            .iter()
                            .enumerate()
                            .map(|(ri, r)| Row {
                                cells: r
                                    .iter()
                                    .enumerate()
                                    .map(|(ci, t)| {
                                        let prov = Provenance {
                                            block: Some(bi),
                                            row: Some(ri),
                                            cell: Some(ci),
                                            ..Provenance::default()
                                        };
                                        let ps = if t.is_empty() { vec![] } else { vec![para(t)] };
                                        Cell::new(ci, ps, prov)
                                    })
                                    .collect(),
                                ..Row::default()
                            })
                            .collect(),
                        ..Table::default()
                    }),
                })
                .collect(),
            headers: Vec::new(),
            footers: Vec::new(),
            notes: Vec::new(),
            diagnostics: Vec::new(),
            counts: Default::default(),
        }
    }

    #[test]
    fn a_table_split_below_its_header_continues_it() {
        let head: &[&[&str]] = &[
            &["Мера", "Извор финансирања", "2024", "2025"],
            &["Мера 1.1", "Буџет општине", "100", "200"],
        ];
        let rest: &[&[&str]] = &[&["Мера 1.2", "Донације", "50", "60"]];
        let split = |between: Option<&'static str>| {
            let mut blocks = vec![
                Err("План за период 2024-2026. године"),
                Err("Табела (у 000 РСД)"),
                Ok(head),
            ];
            if let Some(p) = between {
                blocks.push(Err(p));
            }
            blocks.push(Ok(rest));
            crate::extract::extract(&document(&blocks)).budgets
        };
        let b = split(None);
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(
            rows[2],
            (Some("1.2"), None, Some("Донације"), Some(2024), "50", 1000)
        );
        // With text between them, the second table is a table of its own.
        assert_eq!(split(Some("Други текст.")).len(), 2);
    }

    #[test]
    fn past_spending_and_indicators_are_not_budgets() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\n\
             Извор финансирања\t2019\t2020\n\
             Буџет општине\t1.000\t2.000\n\n\
             Текст између табела.\n\n\
             Показатељ\tИзвор финансирања\t2024\t2025\n\
             Износ буџета за услуге\tБуџет општине\t100\t200\n",
        );
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn years_down_the_rows_and_sources_across() {
        let (b, _) = budgets(
            "План за период 2024-2026. године\n\n(у 000 динара)\n\n\
             Година\tБуџет општине\tДонације\tУкупно\n\
             2024\t100\t50\t150\n\
             2025\t120\t0\t120\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows[0],
            (None, None, Some("Буџет општине"), Some(2024), "100", 1000)
        );
        assert_eq!(
            rows[1],
            (None, None, Some("Донације"), Some(2024), "50", 1000)
        );
        assert_eq!(rows[2], (None, None, None, Some(2024), "150", 1000));
        assert_eq!(rows.len(), 6);
    }

    #[test]
    fn albanian_table_in_euro() {
        let (b, _) = budgets(
            "Plani i veprimit 2024-2026\n\nBuxheti në €\n\n\
             Objektivi\tBurimi i financimit\t2024\t2025\tGjithsej\n\
             Objektivi 1.1\tBuxheti komunal\t1,000\t2,000\t3,000\n\
             Objektivi 1.2\tDonatorët\t500\t500\t1,000\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows[0],
            (
                Some("1.1"),
                None,
                Some("Buxheti komunal"),
                Some(2024),
                "1,000",
                1
            )
        );
        assert_eq!(b[0].value, Some(1000.0));
        assert_eq!(rows[5].0, Some("1.2"));
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("EUR")));
    }

    #[test]
    fn matrix_money_column_with_unit() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 1.1: Обука\n\n\
             Активност\tНосилац\tБуџет (у 000 РСД)\n\
             1.1.1 Обука запослених\tЦСР\t500\n\
             1.1.2 Супервизија\tЦСР\t250\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows,
            vec![
                (Some("1.1"), Some("1.1.1"), None, None, "500", 1000),
                (Some("1.1"), Some("1.1.2"), None, None, "250", 1000),
            ]
        );
        assert_eq!(b[0].currency.as_deref(), Some("RSD"));
    }

    #[test]
    fn plain_budget_column_not_the_budget_line() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
             Активност\tБуџетска линија\tБуџет\n\
             2.1.1 Помоћ у кући\tПрограм 11 ПА 0005\t1.200.000\n\
             2.1.2 Лични пратилац\tПрограм 11 ПА 0016\t800.000\n\n\
             Укупно је планирано 2.000.000 динара.\n",
        );
        let rows: Vec<_> = b.iter().map(row).collect();
        assert_eq!(
            rows,
            vec![
                (Some("2.1"), Some("2.1.1"), None, None, "1.200.000", 1),
                (Some("2.1"), Some("2.1.2"), None, None, "800.000", 1),
            ]
        );
        // The currency of the document's own amounts.
        assert_eq!(b[0].currency.as_deref(), Some("RSD"));
    }

    #[test]
    fn units_that_disagree_are_reported() {
        let table = |caption: &str| {
            format!(
                "{caption}\n\nПосебни циљеви\tБуџет општине\tДонације\tУкупно\n\
                 Посебан циљ 1\t3.975\t1.500\t5.475\n\
                 Посебан циљ 2\t45.000\t4.800\t49.800\n\n"
            )
        };
        let doc = |prose: &str| {
            format!(
                "План за период 2024-2026. године\n\n{}Текст.\n\n{}{prose}\n",
                table("(у 000)"),
                table("(у динарима)")
            )
        };
        // The text confirms thousands: the second table follows.
        let (b, codes) = budgets(&doc("За циљ 2 је предвиђено 49,8 милиона динара."));
        assert!(b.iter().all(|x| x.scale == 1000), "{b:?}");
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "budget_scale_conflict")
                .count(),
            1
        );
        // Nothing decides: each table keeps its unit, and it is reported.
        let (b, codes) = budgets(&doc("Без износа у тексту."));
        assert_eq!(b.iter().filter(|x| x.scale == 1).count(), 6);
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "budget_scale_conflict")
                .count(),
            1
        );
    }

    #[test]
    fn uncoded_rows_belong_to_the_measure_above() {
        let (b, _) = budgets(
            "Акциони план 2024-2026\n\nМЕРА 2.1: Услуге\n\n\
             Активност\tНосилац\tБуџет (РСД)\n\
             Помоћ у кући\tЦСР\t1.200.000\n\
             Лични пратилац\tЦСР\t800.000\n",
        );
        let got: Vec<_> = b
            .iter()
            .map(|x| {
                (
                    x.parent.as_deref(),
                    x.activity.as_deref(),
                    x.label.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("2.1"), None, Some("Помоћ у кући")),
                (Some("2.1"), None, Some("Лични пратилац")),
            ]
        );
    }

    #[test]
    fn bullets_typed_as_text_pair_too() {
        let (b, codes) = budgets(
            "Акциони план за 2020 годину\n\n\
             2. Подршка младима\t<p>- Радионице</p><p>- Летњи рад</p>\t\
             <p>150.000 динара</p><p>50.000 динара</p>\n",
        );
        let labels: Vec<_> = b.iter().map(|x| x.label.as_deref()).collect();
        assert_eq!(labels, vec![Some("Радионице"), Some("Летњи рад")]);
        assert!(b.iter().all(|x| x.parent.as_deref() == Some("2")));
        assert!(!codes.iter().any(|c| c == "budget_list_mismatch"));
    }

    #[test]
    fn listed_activities_pair_with_amounts() {
        let (b, codes) = budgets(
            "Акциони план за 2020 годину\n\n\
             1. Подршка старима\t<ul><li>Прва активност</li><li>Друга активност</li></ul>\t\
             <p>БУЏЕТ</p> <p>100.000,00 динара 200.000,00 динара 300.000,00 динара</p>\n",
        );
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].label.as_deref(), Some("Прва активност"));
        assert_eq!(b[1].label.as_deref(), Some("Друга активност"));
        assert_eq!(b[2].label, None);
        assert!(
            b.iter()
                .all(|x| x.parent.as_deref() == Some("1") && x.scale == 1)
        );
        assert_eq!(b[2].value, Some(300_000.0));
        assert!(
            codes.iter().any(|c| c == "budget_list_mismatch"),
            "{codes:?}"
        );
    }

    /// Rows of `(grid column, column span, text)`.
    type GridTable<'a> = &'a [&'a [(usize, usize, &'a str)]];

    /// `(element, source, year, value × scale, is_total)`.
    type Amount = (Option<String>, Option<String>, Option<i32>, f64, bool);

    /// A Word-like document: paragraphs (`Err`) and tables whose cells are
    /// `(grid column, column span, text)`; a text opening with `#n.n.n.#`
    /// is a list item numbered by Word, the number only in its marker.
    fn grid_document(blocks: &[Result<GridTable<'_>, &str>]) -> crate::model::Document {
        use crate::model::{Block, ListItem, Paragraph, Row, Table};
        let mut doc = document(&[]);
        for (bi, b) in blocks.iter().enumerate() {
            doc.blocks.push(match b {
                Err(t) => Block::Paragraph(Paragraph {
                    text: t.to_string(),
                    ..Paragraph::default()
                }),
                Ok(rows) => Block::Table(Table {
                    rows: rows
                        .iter()
                        .enumerate()
                        .map(|(ri, r)| Row {
                            cells: r
                                .iter()
                                .enumerate()
                                .map(|(ci, &(col, span, t))| {
                                    let prov = Provenance {
                                        block: Some(bi),
                                        row: Some(ri),
                                        cell: Some(ci),
                                        ..Provenance::default()
                                    };
                                    let (marker, text) =
                                        match t.strip_prefix('#').and_then(|r| r.split_once('#')) {
                                            Some((m, rest)) => (Some(m.to_string()), rest),
                                            None => (None, t),
                                        };
                                    let p = Paragraph {
                                        text: text.to_string(),
                                        list: marker.map(|m| ListItem {
                                            level: 0,
                                            marker: Some(m),
                                            ordered: true,
                                        }),
                                        ..Paragraph::default()
                                    };
                                    let mut c = Cell::new(col, vec![p], prov);
                                    c.col_span = span;
                                    c
                                })
                                .collect(),
                            ..Row::default()
                        })
                        .collect(),
                    ..Table::default()
                }),
            });
        }
        doc
    }

    /// `(element, source, year, value × scale, is_total)` of each entry.
    fn amounts(b: &[Budget]) -> Vec<Amount> {
        b.iter()
            .map(|x| {
                (
                    x.activity.clone().or_else(|| x.parent.clone()),
                    x.source.clone(),
                    x.year,
                    x.value.unwrap_or(f64::NAN) * f64::from(x.scale),
                    x.is_total,
                )
            })
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn a_money_cell_over_source_columns_in_a_text_export() {
        let (b, _) = budgets(
            "Plan za period 2025-2028. godine\n\nMatrica aktivnosti\n\n\
             Posebni cilj\tRb.\tAktivnost\tIznos (din.)\t\t\tStatus\n\
             \t\t\tGrad\tPokrajina\tUkupno\t\n\
             Posebni cilj 1.1: Usluge\t1.1.1\tObuka\t100.000,00\t50.000,00\t150.000,00\tplanirano\n\
             \t1.1.2\tPrevoz\t0,00\t20.000,00\t20.000,00\t\n\
             Ukupno Prioritetna oblast I\t\t\t100.000,00\t70.000,00\t170.000,00\t\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), s("Grad"), None, 100_000.0, false),
                (s("1.1.1"), s("Pokrajina"), None, 50_000.0, false),
                (s("1.1.1"), None, None, 150_000.0, true),
                (s("1.1.2"), s("Grad"), None, 0.0, false),
                (s("1.1.2"), s("Pokrajina"), None, 20_000.0, false),
                (s("1.1.2"), None, None, 20_000.0, true),
                (s("I"), s("Grad"), None, 100_000.0, true),
                (s("I"), s("Pokrajina"), None, 70_000.0, true),
                (s("I"), None, None, 170_000.0, true),
            ]
        );
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
    }

    #[test]
    fn a_merged_money_cell_over_source_columns_and_list_numbers() {
        let head: &[&[(usize, usize, &str)]] = &[
            &[
                (0, 1, "Активност"),
                (1, 1, "Надлежна установа"),
                (2, 3, "Планирана средства (у хиљадама)"),
            ],
            &[(2, 1, "Град"), (3, 1, "Покрајина"), (4, 1, "Свега")],
            &[
                (0, 1, "#1.1.1.#Повећање броја пратилаца"),
                (1, 1, "Град"),
                (2, 1, "3.600"),
                (3, 1, "0"),
                (4, 1, "3.600"),
            ],
            &[
                (0, 1, "Укупно за Меру 1.1"),
                (1, 1, ""),
                (2, 1, "3.600"),
                (3, 1, "0"),
                (4, 1, "3.600"),
            ],
        ];
        let doc = grid_document(&[
            Err("План за период 2025–2028. године"),
            Err("Табела 3: Мера 1.1, средства у РСД"),
            Ok(head),
        ]);
        let b = crate::extract::extract(&doc).budgets;
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), s("Град"), None, 3_600_000.0, false),
                (s("1.1.1"), s("Покрајина"), None, 0.0, false),
                (s("1.1.1"), None, None, 3_600_000.0, true),
                (s("1.1"), s("Град"), None, 3_600_000.0, true),
                (s("1.1"), s("Покрајина"), None, 0.0, true),
                (s("1.1"), None, None, 3_600_000.0, true),
            ]
        );
        assert!(b.iter().all(|x| x.scale == 1000));
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("RSD")));
    }

    #[test]
    fn an_unknown_source_column_is_read_from_its_cells() {
        let (b, _) = budgets(
            "Plani 2025-2028\n\nTabela 4: Buxheti sipas prioriteteve (€)\n\n\
             Prioriteti\tBuxheti komunal\tMFPT\tGjithsej\n\
             Prioriteti I\t185,500.00\t36,000.00\t221,500.00\n\
             Gjithsej\t185,500.00\t36,000.00\t221,500.00\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("I"), s("Buxheti komunal"), None, 185_500.0, false),
                (s("I"), s("MFPT"), None, 36_000.0, false),
                (s("I"), None, None, 221_500.0, true),
                (None, s("Buxheti komunal"), None, 185_500.0, true),
                (None, s("MFPT"), None, 36_000.0, true),
                (None, None, None, 221_500.0, true),
            ]
        );
        assert!(b.iter().all(|x| x.currency.as_deref() == Some("EUR")));
    }

    #[test]
    fn codes_in_their_own_column_and_totals_under_a_money_column() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\nPosebni cilj 1.2: Dnevni boravak\n\n\
             Tabela 4: Aktivnosti za strateški pravac 1\n\n\
             Br.\tAktivnost\tIzvršilac\tProcenjeni troškovi (000 RSD)\tFinansiranje\tNapomena\n\
             1.1.1.\tAnaliza potreba\tGradska uprava\t350\tBudžet Grada\t—\n\
             1.2.1.\tAdaptacija prostora\tGradska uprava\t6.200\tBudžet Grada, donacije\tgodišnje 3.100\n\
             \tUkupno za strateški pravac 1\t\t6.550\t\t\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), s("Budžet Grada"), None, 350_000.0, false),
                (
                    s("1.2.1"),
                    s("Budžet Grada, donacije"),
                    None,
                    6_200_000.0,
                    false
                ),
                (s("1"), None, None, 6_550_000.0, true),
            ]
        );
    }

    #[test]
    fn amounts_of_label_value_blocks() {
        let (b, codes) = budgets(
            "Akcioni plan 2025-2028\n\nPosebni cilj 3.1: Kapaciteti\n\n\
             Aktivnost 3.1.1: Zapošljavanje dva radnika\n\nIzvršilac: Gradska uprava\n\n\
             Rok: 2025.\n\nBudžet: 4,8 miliona dinara\n\n\
             Aktivnost 3.1.2: Protokol o saradnji\n\nBudžet: bez dodatnih troškova\n\n\
             Aktivnost 3.1.3: Evidencija korisnika\n\nBudžet: 800 hiljada dinara\n\n\
             Ukupan budžet: 5,6 miliona dinara\n\n\
             Posebni cilj 3.2: Saradnja\n\nBudžet: 1.000 dinara\n",
        );
        let got: Vec<_> = b
            .iter()
            .map(|x| {
                (
                    x.activity.as_deref(),
                    x.value,
                    x.scale,
                    x.currency.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("3.1.1"), Some(4.8), 1_000_000, Some("RSD")),
                (Some("3.1.3"), Some(800.0), 1000, Some("RSD")),
            ]
        );
        assert!(b.iter().all(|x| x.provenance.line.is_some()));
        // The amount after a goal label belongs to no activity: reported.
        assert!(codes.iter().any(|c| c == "budget_unplaced"), "{codes:?}");
        let (b, _) = budgets(
            "Plani i veprimit 2025-2028\n\nAktiviteti 2.2.1: Strehimi\n\n\
             Bartësi: DSHMS\n\nBuxheti: 60 mijë €\n",
        );
        assert_eq!(amounts(&b), vec![(s("2.2.1"), None, None, 60_000.0, false)]);
        assert_eq!(b[0].currency.as_deref(), Some("EUR"));
    }

    #[test]
    fn block_units_and_sources_from_their_labels() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Aktivnost 1.1.1: Obuka radnika\n\nBudžet (u 000 din): 350\n\n\
             Izvor finansiranja: Budžet Grada\n\n\
             Aktivnost 1.1.2: Nabavka vozila\n\nIzvor finansiranja: Donacija\n\n\
             Troškovi: 1.200 EUR\n",
        );
        let got: Vec<_> = b
            .iter()
            .map(|x| {
                (
                    x.activity.as_deref(),
                    x.value,
                    x.scale,
                    x.currency.as_deref(),
                    x.source.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("1.1.1"),
                    Some(350.0),
                    1000,
                    Some("RSD"),
                    Some("Budžet Grada")
                ),
                (
                    Some("1.1.2"),
                    Some(1200.0),
                    1,
                    Some("EUR"),
                    Some("Donacija")
                ),
            ]
        );
    }

    #[test]
    fn a_header_naming_a_currency_is_a_money_column() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Aktivnost\tNosilac\tVrednost (RSD)\n\
             1.1.1 Obuka\tCSR\t350.000\n\
             1.1.2 Supervizija\tCSR\t120.000\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), None, None, 350_000.0, false),
                (s("1.1.2"), None, None, 120_000.0, false),
            ]
        );
    }

    #[test]
    fn totals_name_their_element_in_any_case() {
        for (label, code) in [
            ("Ukupno za mjeru 1.1", "1.1"),
            ("Gjithsej për Masën 2.1", "2.1"),
            ("Укупно за Посебни циљ 3", "3"),
            ("Ukupno Prioritetna oblast II", "II"),
        ] {
            let l = total_of(label);
            assert_eq!(l.and_then(|l| l.code).as_deref(), Some(code), "{label}");
        }
        assert_eq!(total_of("Ukupno"), None);
    }

    #[test]
    fn year_columns_with_their_unit_or_money_word() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Šifra\tAktivnost\t2025. (u 000 din)\tBudžet 2026\tUkupno\n\
             1.1.1\tObuka\t100\t200\t300\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), None, Some(2025), 100_000.0, false),
                (s("1.1.1"), None, Some(2026), 200_000.0, false),
                (s("1.1.1"), None, None, 300_000.0, true),
            ]
        );
        assert_eq!(year_header("Godina 2025"), Some(2025));
        assert_eq!(money_year("Sredstva za 2026. (RSD)"), Some(2026));
        assert_eq!(money_year("Plan 2026"), None);
    }

    #[test]
    fn label_value_rows_and_numbered_headings() {
        // A table per activity, one "label | value" row each.
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             1. Uvod\t3\n\
             6. Budžet plana\t15\n\n\
             Sadržaj.\n\n\
             Aktivnost 1.1.1\tObuka radnika\n\
             Nosilac\tCentar za socijalni rad\n\
             Budžet\t250.000\n\n\
             Tekst.\n\n\
             3.1.2. Nabavka vozila za terenski rad\n\n\
             Rok: 2026.\n\n\
             Budžet: 5.600.000 dinara\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), None, None, 250_000.0, false),
                (s("3.1.2"), None, None, 5_600_000.0, false),
            ]
        );
    }

    #[test]
    fn a_table_about_money_whose_columns_no_word_names() {
        let doc = |caption: &str| {
            format!(
                "Plan 2025-2028\n\n{caption}\n\n\
                 Prioritetna oblast\tGrad\tPokrajina\tSvega\n\
                 Prioritetna oblast I\t7.950.000,00\t1.200.000,00\t9.150.000,00\n\
                 Svega\t7.950.000,00\t1.200.000,00\t9.150.000,00\n"
            )
        };
        let (b, _) = budgets(&doc("Tabela 6: Finansijski okvir (u dinarima)"));
        assert_eq!(
            amounts(&b),
            vec![
                (s("I"), s("Grad"), None, 7_950_000.0, false),
                (s("I"), s("Pokrajina"), None, 1_200_000.0, false),
                (s("I"), None, None, 9_150_000.0, true),
                (None, s("Grad"), None, 7_950_000.0, true),
                (None, s("Pokrajina"), None, 1_200_000.0, true),
                (None, None, None, 9_150_000.0, true),
            ]
        );
        // Without a unit or currency stated for it, a table of numbers is
        // not money.
        let (b, _) = budgets(&doc("Tabela 6: Pregled po oblastima"));
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn a_chapter_statement_of_the_unit_covers_its_matrices() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Troškovi su iskazani u hiljadama dinara.\n\n\
             Strateški pravac 1: Usluge\n\n\
             Aktivnost\tNosilac\tTroškovi\n\
             1.1.1 Obuka\tCSR\t350\n\n\
             Indikatori za posebni cilj 1.1\n\n\
             Indikator\tPočetna vrednost 2024\tCiljna 2026\n\
             Broj korisnika\t180\t220\n\n\
             Strateški pravac 2: Porodica\n\n\
             Opis pravca.\n\n\
             Aktivnost\tNosilac\tTroškovi\n\
             2.1.1 Savetovalište\tCSR\t600\n",
        );
        assert_eq!(
            amounts(&b),
            vec![
                (s("1.1.1"), None, None, 350_000.0, false),
                (s("2.1.1"), None, None, 600_000.0, false),
            ]
        );
    }

    #[test]
    fn totals_are_checked_against_their_parts() {
        let table = |goal_total: &str| {
            format!(
                "План за период 2024-2026. године\n\nТабела (у 000 РСД)\n\n\
                 Циљ / мера\tБуџет општине\tДонације\tУкупно\n\
                 Посебни циљ 1\t300\t50\t350\n\
                 Мера 1.1\t100\t50\t150\n\
                 Мера 1.2\t200\t0\t200\n\
                 Укупно\t{goal_total}\t50\t350\n"
            )
        };
        let mismatches = |text: &str| {
            budgets(text)
                .1
                .iter()
                .filter(|c| *c == "budget_total_mismatch")
                .count()
        };
        // The goal's row and its measures' rows: each level adds up.
        assert_eq!(mismatches(&table("300")), 0);
        assert_eq!(mismatches(&table("310")), 1);
    }

    #[test]
    fn rates_are_not_budgets() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Aktivnost\tNosilac\tRok\n\
             1.1.1 Jednokratna pomoć porodicama, 100 € po detetu\tCSR\t2025.\n\n\
             Aktivnost 1.1.2: Užina za decu\n\nBudžet: 50 dinara po obroku\n",
        );
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn unit_from_a_statement_before_the_table() {
        let (b, codes) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Troškovi su iskazani u hiljadama dinara, po aktivnostima.\n\n\
             Aktivnosti su poređane po posebnim ciljevima.\n\n\
             Tabela 4: Aktivnosti\n\n\
             Aktivnost\tNosilac\tTroškovi\n\
             1.1.1 Obuka\tCSR\t350\n",
        );
        assert_eq!(
            amounts(&b),
            vec![(s("1.1.1"), None, None, 350_000.0, false)]
        );
        assert_eq!(b[0].currency.as_deref(), Some("RSD"));
        assert_eq!(
            codes
                .iter()
                .filter(|c| *c == "budget_unit_from_text")
                .count(),
            1,
            "{codes:?}"
        );
        // A budget table without any unit takes the one of the table above,
        // and says so.
        let (b, codes) = budgets(
            "План за период 2024-2026. године\n\n(у 000 динара)\n\n\
             Мера\tБуџет општине\tДонације\tУкупно\n\
             Мера 1.1\t100\t50\t150\n\n\
             Други текст.\n\n\
             Мера\tБуџет општине\tДонације\tУкупно\n\
             Мера 2.1\t70\t20\t90\n",
        );
        assert!(b.iter().all(|x| x.scale == 1000), "{b:?}");
        assert!(
            codes.iter().any(|c| c == "budget_unit_assumed"),
            "{codes:?}"
        );
    }

    #[test]
    fn euros_with_serbian_separators_and_words_in_a_cell() {
        let (b, _) = budgets(
            "Akcioni plan 2025-2028\n\n\
             Aktivnost\tOdgovorni\tIznos (€)\tIzvor\n\
             1.1.2. Angažovanje šest gerontodomaćica\tSekretarijat\t86.400,00\tBudžet Opštine\n\
             1.2.1. Izgradnja dnevnog centra\tDirekcija\t1,2 miliona\tKapitalni budžet\n",
        );
        let got: Vec<_> = b
            .iter()
            .map(|x| {
                (
                    x.activity.as_deref(),
                    x.value,
                    x.scale,
                    x.currency.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("1.1.2"), Some(86_400.0), 1, Some("EUR")),
                (Some("1.2.1"), Some(1.2), 1_000_000, Some("EUR")),
            ]
        );
    }

    #[test]
    fn bare_codes_and_numbering_markers() {
        assert_eq!(bare_code("1.1.1."), Some("1.1.1"));
        assert_eq!(bare_code("2.3"), Some("2.3"));
        assert_eq!(bare_code("1."), None);
        assert_eq!(bare_code("0.00"), None);
        assert_eq!(bare_code("1.250.000"), None);
        assert!(numbering_marker("1.1.1."));
        assert!(numbering_marker("Mjera 1.2:"));
        assert!(numbering_marker("II."));
        assert!(!numbering_marker("•"));
        assert!(!numbering_marker("a)"));
    }

    #[test]
    fn year_headers() {
        assert_eq!(year_header("2026."), Some(2026));
        assert_eq!(year_header("2022*"), Some(2022));
        assert_eq!(year_header("2023. година"), Some(2023));
        assert_eq!(year_header("Циљана вредност у 2026."), None);
        assert_eq!(year_header("12.800"), None);
    }

    #[test]
    fn totals_and_currencies() {
        assert!(is_total("УКУПНО:"));
        assert!(is_total("Укупна средства"));
        assert!(is_total("Gjithsej"));
        assert!(!is_total(
            "Укупно процењена финансијска средства по изворима"
        ));
        assert_eq!(currency_in("у хиљадама РСД").as_deref(), Some("RSD"));
        assert_eq!(currency_in("4.000.000,00 динара").as_deref(), Some("RSD"));
        assert_eq!(currency_in("€/muaj").as_deref(), Some("EUR"));
        assert_eq!(currency_in("Дина Станковић"), None);
    }

    #[test]
    fn kinds_of_source_across_languages() {
        let k = |s: &str| source_kind(s);
        assert_eq!(k("Буџет ЛС").as_deref(), Some("local"));
        assert_eq!(k("Budžetska sredstva Opštine").as_deref(), Some("local"));
        assert_eq!(k("Buxheti komunal").as_deref(), Some("local"));
        assert_eq!(
            k("Наменски трансфер (буџет РС)").as_deref(),
            Some("national")
        );
        assert_eq!(
            k("Донаторска средства (Еу фондови и друго)").as_deref(),
            Some("donor")
        );
        assert_eq!(k("Екстерни извори").as_deref(), Some("external"));
        assert_eq!(
            k("Нису потребна финансијска средства").as_deref(),
            Some("none")
        );
        assert_eq!(k("н/а").as_deref(), Some("none"));
        assert_eq!(
            k("Републички буџет / Донаторска средства").as_deref(),
            Some("mixed")
        );
        assert_eq!(k("Програм 11"), None);
    }

    #[test]
    fn number_as_written_without_its_currency() {
        assert_eq!(number_token("2.000.000,00 динара"), "2.000.000,00");
        assert_eq!(number_token("€ 500"), "500");
        assert_eq!(number_token("1.500 EUR"), "1.500");
        assert_eq!(number_token("3.150"), "3.150");
        assert_eq!(number_token("1,5 милиона динара"), "1,5 милиона динара");
        assert_eq!(number_token("-200 din."), "-200");
    }

    #[test]
    fn sources_split_by_capitals_or_lines() {
        assert_eq!(
            split_sources("Општински буџет Наменски трансфер са републичког нивоа", 2),
            Some(vec![
                "Општински буџет".to_string(),
                "Наменски трансфер са републичког нивоа".to_string()
            ])
        );
        assert_eq!(
            split_sources("Буџет ЛС\nДонација", 2),
            Some(vec!["Буџет ЛС".to_string(), "Донација".to_string()])
        );
        assert_eq!(split_sources("Општински буџет", 2), None);
    }
}
