//! The abbreviation glossary: a table headed "Скраћеница | Пун назив", or
//! lines "CSR – Центар за социјални рад" under a glossary heading.

use super::*;

pub(super) fn is_glossary_heading(ctx: &Ctx, t: &str) -> bool {
    let t = t.trim().trim_matches('*');
    if t.chars().count() > 200 {
        return false;
    }
    // Through the document's memo: each paragraph is asked twice (as a
    // heading of lines and above a table).
    let key = ctx.fold_key(t);
    words(ctx)
        .glossary
        .iter()
        .any(|g| key.starts_with(g.as_str()))
}

/// "CSR – Centar za socijalni rad", "MF-MinistarstvoFinansija",
/// "**ASK** - Agjencia…" → (abbreviation, expansion).
pub(super) fn abbreviation_line(line: &str) -> Option<(String, String)> {
    let l = line.trim().replace("**", "");
    let l = l.trim();
    let dash = l
        .char_indices()
        .find(|(_, c)| matches!(c, '–' | '—' | '-' | '−'))?;
    let abbr = l[..dash.0].trim();
    let expansion = l[dash.0 + dash.1.len_utf8()..].trim();
    if abbr.is_empty()
        || expansion.is_empty()
        || abbr.chars().count() > 15
        || abbr.contains(char::is_whitespace)
        || abbr.chars().filter(|c| c.is_uppercase()).count() == 0
    {
        return None;
    }
    Some((abbr.to_string(), expansion.to_string()))
}

pub(super) fn glossary(ctx: &Ctx, placed: &mut Placed) -> Vec<Abbreviation> {
    let mut out = Vec::new();
    glossary_tables(ctx, placed, &mut out);
    glossary_lines(ctx, placed, &mut out);
    out
}

/// Abbreviations of glossary tables, in table order.
fn glossary_tables(ctx: &Ctx, placed: &mut Placed, out: &mut Vec<Abbreviation>) {
    // Tables headed "Скраћеница | Пун назив" (other columns, such as a row
    // number, allowed), or tables of abbreviation rows under a heading
    // "СКРАЋЕНИЦЕ".
    let w = words(ctx);
    for t in &ctx.tables {
        ctx.work.add(1);
        let Some(head) = t.table.rows.first() else {
            continue;
        };
        let col_of = |pats: &[String]| {
            head.cells
                .iter()
                .find(|c| {
                    let k = ctx.fold_key(&c.text);
                    !k.is_empty() && pats.iter().any(|g| k.starts_with(g.as_str()))
                })
                .map(|c| c.col)
        };
        let headed = match (col_of(&w.glossary), col_of(&w.meaning)) {
            (Some(a), Some(b)) if a < b => Some((a, b)),
            _ => None,
        };
        let under_heading = headed.is_none()
            && heading_above(ctx, t.block).is_some()
            && abbreviation_rows(t.table) * 10 >= t.table.rows.len() * 6;
        if headed.is_none() && !under_heading {
            continue;
        }
        if let Some(h) = heading_above(ctx, t.block) {
            placed.paragraph(h);
        }
        placed.role(t.index, crate::extract::record::TableRole::Glossary);
        if headed.is_some() {
            for (ci, c) in head.cells.iter().enumerate() {
                if !c.text.trim().is_empty() {
                    placed.cell(t.index, 0, ci);
                }
            }
        }
        for (ri, row) in t
            .table
            .rows
            .iter()
            .enumerate()
            .skip(usize::from(headed.is_some()))
        {
            ctx.work.add(row.cells.len());
            let cells: Vec<(usize, &crate::model::Cell)> = row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.text.trim().is_empty())
                .collect();
            // The abbreviation and expansion cells: by their header's
            // columns, else the two filled cells of the row.
            let pair = match headed {
                Some((a, b)) => {
                    let at = |col: usize| cells.iter().find(|(_, c)| c.col == col).copied();
                    at(a).zip(at(b))
                }
                None => match cells.as_slice() {
                    [x, y] => Some((*x, *y)),
                    _ => None,
                },
            };
            if let Some(((a, ca), (b, cb))) = pair {
                out.push(Abbreviation {
                    abbr: collapse_whitespace(&ca.text),
                    expansion: collapse_whitespace(&cb.text),
                    provenance: ca.provenance.clone(),
                });
                placed.cell(t.index, ri, a);
                placed.cell(t.index, ri, b);
            }
        }
    }
}

/// Abbreviations written as lines under a heading "SKRAĆENICE" (one
/// paragraph per line, or lines of one paragraph).
fn glossary_lines(ctx: &Ctx, placed: &mut Placed, out: &mut Vec<Abbreviation>) {
    let ps = &ctx.paragraphs;
    let mut i = 0;
    while i < ps.len() {
        let p = &ps[i];
        i += 1;
        ctx.work.add(1);
        if p.paragraph.origin.is_some() || !is_glossary_heading(ctx, &p.paragraph.text) {
            continue;
        }
        // A heading followed by a table is the table's caption.
        let mut found = 0;
        let mut j = i;
        while j < ps.len() {
            let q = &ps[j];
            ctx.work.add(1);
            let lines: Vec<Option<(String, String)>> = q
                .paragraph
                .text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(abbreviation_line)
                .collect();
            if lines.is_empty() || lines.iter().any(Option::is_none) {
                break;
            }
            for (k, (abbr, expansion)) in lines.into_iter().flatten().enumerate() {
                let prov = line_provenance(&q.paragraph.provenance, k);
                out.push(Abbreviation {
                    abbr,
                    expansion,
                    provenance: prov,
                });
            }
            placed.paragraph(q.index);
            found += 1;
            j += 1;
        }
        if found > 0 {
            placed.paragraph(p.index);
            i = j;
        }
    }
}

/// The glossary heading right above a table (only paragraphs between).
pub(super) fn heading_above(ctx: &Ctx, block: usize) -> Option<usize> {
    let idx = ctx.paragraphs.partition_point(|p| p.block < block);
    let p = ctx.paragraphs.get(idx.checked_sub(1)?)?;
    let only_paragraphs = (p.block + 1..block)
        .all(|b| !matches!(ctx.doc.blocks.get(b), Some(crate::model::Block::Table(_))));
    (only_paragraphs && block - p.block <= 2 && is_glossary_heading(ctx, &p.paragraph.text))
        .then_some(p.index)
}

/// Rows of two filled cells whose first looks like an abbreviation.
pub(super) fn abbreviation_rows(t: &crate::model::Table) -> usize {
    t.rows
        .iter()
        .filter(|r| {
            let cells: Vec<&str> = r
                .cells
                .iter()
                .map(|c| c.text.trim())
                .filter(|x| !x.is_empty())
                .collect();
            match cells.as_slice() {
                [a, _] => {
                    a.chars().count() <= 15
                        && !a.contains(char::is_whitespace)
                        && a.chars().any(char::is_uppercase)
                }
                _ => false,
            }
        })
        .count()
}

/// The provenance of line `k` of a multi-line paragraph (text input).
pub(super) fn line_provenance(p: &Provenance, k: usize) -> Provenance {
    match p.line {
        Some([from, to]) => {
            let l = (from + k as u32).min(to);
            Provenance {
                line: Some([l, l]),
                ..p.clone()
            }
        }
        None => p.clone(),
    }
}
