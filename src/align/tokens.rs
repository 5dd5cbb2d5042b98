//! The comparable numbers of a record: every quantity of every table cell
//! and paragraph with a value, its place and its context.
//!
//! In: a [`PlanRecord`]. Out: [`TableUnits`] (rows of tokens per table) and
//! [`ParaUnit`]s (paragraphs with tokens), the material every comparison
//! works on.

use super::lexicon::Lexicon;
use crate::extract::PlanRecord;
use crate::extract::record::{NumberRecord, TableRecord};
use crate::model::Provenance;
use crate::normalize::numbers::Kind;
use std::collections::BTreeSet;

/// One number with a value.
#[derive(Debug, Clone)]
pub struct Tok {
    pub value: f64,
    /// Upper end of a range or period.
    pub to: Option<f64>,
    /// The other reading of an ambiguous number.
    pub alt: Option<f64>,
    pub raw: String,
    pub kind: Kind,
    pub provenance: Provenance,
    /// Grid column of the cell, relative to the row's first non-empty cell
    /// (a row that lost its leading empty cells in the export keeps it).
    pub rel: usize,
    /// Index of the cell among the row's non-empty cells.
    pub nth: usize,
    /// The label word next to the number, through the crosswalk.
    pub label: String,
    /// The row or sentence it belongs to.
    pub context: String,
}

impl Tok {
    /// Same quantity on both sides (an ambiguous reading may decide).
    pub fn same(&self, o: &Tok) -> bool {
        let to_eq = match (self.to, o.to) {
            (Some(x), Some(y)) => eq(x, y),
            (None, None) => true,
            _ => false,
        };
        to_eq
            && (eq(self.value, o.value)
                || self.alt.is_some_and(|a| eq(a, o.value))
                || o.alt.is_some_and(|a| eq(a, self.value)))
    }

    /// Coarse class: a percentage is never compared with a count, nor a year
    /// with an amount.
    pub fn class(&self) -> u8 {
        Tok::class_of(self.kind)
    }

    fn class_of(kind: Kind) -> u8 {
        match kind {
            Kind::Percent => 1,
            Kind::Year | Kind::Period | Kind::Date | Kind::Quarter => 2,
            _ => 0,
        }
    }

    /// Multiset key of the value.
    pub fn key(&self) -> i64 {
        value_key(self.value)
    }
}

pub fn eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

pub fn value_key(v: f64) -> i64 {
    (v * 1000.0).round() as i64
}

/// One row of a table.
#[derive(Debug, Clone)]
pub struct RowUnit {
    pub index: usize,
    pub toks: Vec<Tok>,
    pub text: String,
    pub keys: BTreeSet<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone)]
pub struct TableUnits {
    pub index: usize,
    pub id: String,
    pub caption: Option<String>,
    /// The number in "Tabela 5", "Табела 5".
    pub caption_number: Option<u32>,
    pub width: usize,
    pub rows: Vec<RowUnit>,
    /// A table of contents: its page numbers are not plan figures.
    pub toc: bool,
    pub provenance: Provenance,
}

impl TableUnits {
    pub fn values(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self
            .rows
            .iter()
            .flat_map(|r| r.toks.iter().map(Tok::key))
            .collect();
        v.sort_unstable();
        v
    }
}

#[derive(Debug, Clone)]
pub struct ParaUnit {
    pub index: usize,
    pub id: String,
    pub toks: Vec<Tok>,
    pub keys: BTreeSet<String>,
    pub provenance: Provenance,
}

/// The value a number compares by, and its kind: a date or quarter
/// compares by its year ("u prvom kvartalu 2023" and "në tremujorin e parë
/// të vitit 2023" both say 2023); a bare marker has none.
fn comparable(n: &NumberRecord) -> Option<(f64, Kind)> {
    match (n.value, n.year) {
        (Some(v), _) => Some((v, n.kind)),
        (None, Some(y)) => Some((f64::from(y), Kind::Year)),
        (None, None) => None,
    }
}

/// Numbers worth comparing: a value, and not a bare marker. Without `lex`
/// the label stays empty (the arithmetic checks never read it).
fn tokens_of(
    norm: &crate::normalize::Norm,
    nums: &[NumberRecord],
    text: &str,
    prov: &Provenance,
    (rel, nth): (usize, usize),
    context: &dyn Fn(usize) -> String,
    lex: Option<&Lexicon>,
) -> Vec<Tok> {
    nums.iter()
        .filter_map(|n| {
            let (value, kind) = comparable(n)?;
            let label = match (lex, &n.noun) {
                (None, _) => String::new(),
                (Some(lex), Some(noun)) => lex.label(norm, noun),
                (Some(lex), None) => label_before(norm, text, n.start, lex),
            };
            Some(Tok {
                value,
                to: if n.value.is_some() { n.to } else { None },
                alt: if n.ambiguous { n.alt } else { None },
                raw: n.raw.clone(),
                kind,
                provenance: prov.clone(),
                rel,
                nth,
                label,
                context: context(n.start),
            })
        })
        .collect()
}

/// The number fingerprint of a record, sorted: the keys of every
/// comparable number outside tables of contents that is neither a year nor
/// a small count — what [`tables`] and [`paragraphs`] would hold, without
/// their labels, contexts and word keys.
pub fn fingerprint(rec: &PlanRecord) -> Vec<i64> {
    let cells = rec
        .tables
        .iter()
        .filter(|t| !is_toc(t))
        .flat_map(|t| t.rows.iter().flatten())
        .filter(|c| !c.text.trim().is_empty())
        .flat_map(|c| c.numbers.iter());
    let paragraphs = rec.paragraphs.iter().flat_map(|p| p.numbers.iter());
    let mut v: Vec<i64> = cells
        .chain(paragraphs)
        .filter_map(comparable)
        .filter(|&(value, kind)| {
            let class = Tok::class_of(kind);
            class != 2 && value.abs() > 12.0
        })
        .map(|(value, _)| value_key(value))
        .collect();
    v.sort_unstable();
    v
}

/// The nearest word of three letters or more before `start` (or after it,
/// when there is none before), as a crosswalk label.
fn label_before(norm: &crate::normalize::Norm, text: &str, start: usize, lex: &Lexicon) -> String {
    let before = text.get(..start).unwrap_or("");
    let word = before
        .split(|c: char| !c.is_alphabetic())
        .rev()
        .find(|w| w.chars().count() >= 3);
    match word {
        Some(w) => lex.label(norm, w),
        None => String::new(),
    }
}

/// The sentence of `text` around byte `at`, at most about 240 characters.
pub fn sentence(text: &str, at: usize) -> String {
    let (from, to) = sentence_span(text, at);
    let s = text.get(from..to).unwrap_or(text).trim();
    shorten(s, 240)
}

/// Byte range of the sentence around `at` (see [`sentence`]), looked for
/// no further than a bounded reach either side.
pub fn sentence_span(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let bytes = text.as_bytes();
    let is_end = |i: usize| -> bool {
        // ". " followed by an upper-case letter or a line break ends a
        // sentence; "2.357" and "br. 5" do not.
        matches!(bytes[i], b'.' | b'!' | b'?' | b'\n')
            && (bytes[i] == b'\n'
                || text
                    .get(i + 1..)
                    .map(|r| {
                        let mut c = r.chars();
                        c.next().is_some_and(char::is_whitespace)
                            && c.next().is_some_and(char::is_uppercase)
                    })
                    .unwrap_or(true))
    };
    // The context is shortened to 240 characters anyway: look no further
    // than this for the sentence ends, so a paragraph without any (a 20 MB
    // run-on export) costs each of its numbers a bounded window, not the
    // whole paragraph.
    const REACH: usize = 1200;
    let mut lo = at.saturating_sub(REACH);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (at + REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let mut from = lo;
    for i in (lo..at).rev() {
        if is_end(i) {
            from = i + 1;
            break;
        }
    }
    let mut to = hi;
    for i in at..hi {
        if is_end(i) {
            to = i + 1;
            break;
        }
    }
    (from, to)
}

pub fn shorten(s: &str, max: usize) -> String {
    let s = crate::normalize::collapse_whitespace(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

fn caption_number(norm: &crate::normalize::Norm, caption: &str) -> Option<u32> {
    let k = norm.key(caption);
    let pos = k.find("tab")?;
    let rest = &k[pos..];
    let digits: String = rest
        .chars()
        .skip_while(|c| c.is_alphabetic() || *c == '.' || *c == ' ')
        .take_while(char::is_ascii_digit)
        .collect();
    // Only "Tabela 5" near the start of a caption, not a reference deep in
    // a sentence.
    (pos < 20).then(|| digits.parse().ok()).flatten()
}

/// A table of contents: most rows end in a small page number that never
/// decreases, and nothing else in them is a number.
fn is_toc(t: &TableRecord) -> bool {
    let mut pages = Vec::new();
    for row in &t.rows {
        let nonempty: Vec<_> = row.iter().filter(|c| !c.text.trim().is_empty()).collect();
        let Some(last) = nonempty.last() else {
            continue;
        };
        let page = last
            .text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|&p| p < 1000 && nonempty.len() >= 2);
        if let Some(p) = page {
            pages.push(p);
        }
    }
    // Mostly non-decreasing: one typo in a page number keeps it a table of
    // contents.
    let rising = pages.windows(2).filter(|w| w[0] <= w[1]).count();
    pages.len() >= 3 && pages.len() * 10 >= t.rows.len() * 8 && rising * 10 >= (pages.len() - 1) * 8
}

/// The tables of a record for alignment, with each table of contents
/// written as paragraphs (`toc_runs`) placed among them as a table of
/// contents too: a text export keeps such a list as a TAB table while the
/// Word document holds tabbed paragraphs, and both must align as one thing.
pub fn tables(norm: &crate::normalize::Norm, rec: &PlanRecord, lex: &Lexicon) -> Vec<TableUnits> {
    let mut ts = tables_with(norm, rec, Some(lex));
    for run in toc_runs(rec) {
        let t = toc_table(norm, rec, run, lex);
        let at = place(&t.provenance);
        let i = ts
            .iter()
            .position(|x| place(&x.provenance) > at)
            .unwrap_or(ts.len());
        ts.insert(i, t);
    }
    ts
}

/// Document order of a block: its body index (DOCX) or first line (text).
fn place(p: &Provenance) -> u64 {
    p.block
        .map(|b| b as u64)
        .or(p.line.map(|[l, _]| u64::from(l)))
        .unwrap_or(0)
}

/// The page number that ends a table-of-contents line ("1. Hyrje<TAB>3"):
/// after its last tab, with text before it.
fn toc_page(text: &str) -> Option<u32> {
    let (head, page) = text.trim_end().rsplit_once('\t')?;
    if !head.chars().any(char::is_alphabetic) {
        return None;
    }
    page.trim().parse::<u32>().ok().filter(|&p| p < 1000)
}

/// Runs of consecutive paragraphs that make a table of contents: three or
/// more, each ending in a tab and a page number, the pages mostly never
/// decreasing (the rule of [`is_toc`] for rows). Indices into
/// `rec.paragraphs`.
fn toc_runs(rec: &PlanRecord) -> Vec<std::ops::Range<usize>> {
    let ps = &rec.paragraphs;
    let mut runs = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let Some(first) = toc_page(&ps[i].text) else {
            i += 1;
            continue;
        };
        let mut pages = vec![first];
        let mut j = i + 1;
        while j < ps.len() {
            // Adjacent in the body, when the reader says where.
            let adjacent = match (ps[j - 1].provenance.block, ps[j].provenance.block) {
                (Some(x), Some(y)) => y == x + 1,
                _ => true,
            };
            match toc_page(&ps[j].text) {
                Some(p) if adjacent => pages.push(p),
                _ => break,
            }
            j += 1;
        }
        let rising = pages.windows(2).filter(|w| w[0] <= w[1]).count();
        if pages.len() >= 3 && rising * 10 >= (pages.len() - 1) * 8 {
            runs.push(i..j);
        }
        i = j;
    }
    runs
}

/// A table of contents written as paragraphs, as a table: a row per
/// paragraph, its numbers in the column their tabs put them in.
fn toc_table(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    run: std::ops::Range<usize>,
    lex: &Lexicon,
) -> TableUnits {
    let ps = &rec.paragraphs[run];
    let rows: Vec<RowUnit> = ps
        .iter()
        .enumerate()
        .map(|(ri, p)| {
            let text = shorten(&p.text.replace('\t', " | "), 240);
            let ctx = |_: usize| text.clone();
            let toks = p
                .numbers
                .iter()
                .flat_map(|n| {
                    let col = p.text.get(..n.start).unwrap_or("").matches('\t').count();
                    tokens_of(
                        norm,
                        std::slice::from_ref(n),
                        &p.text,
                        &p.provenance,
                        (col, col),
                        &ctx,
                        Some(lex),
                    )
                })
                .collect();
            RowUnit {
                index: ri,
                keys: lex.keys(norm, &text),
                toks,
                text,
                provenance: p.provenance.clone(),
            }
        })
        .collect();
    let width = ps
        .iter()
        .map(|p| p.text.trim_end().matches('\t').count() + 1)
        .max()
        .unwrap_or(1);
    let (first, last) = (&ps[0], &ps[ps.len() - 1]);
    let provenance = match (first.provenance.line, last.provenance.line) {
        (Some([a, _]), Some([_, b])) => Provenance {
            line: Some([a, b]),
            ..first.provenance.clone()
        },
        _ => first.provenance.clone(),
    };
    TableUnits {
        index: usize::MAX,
        id: format!("{}..{}", first.id, last.id),
        caption: None,
        caption_number: None,
        width,
        rows,
        toc: true,
        provenance,
    }
}

/// [`tables`] for the arithmetic checks: without the crosswalk labels of
/// numbers and the word keys of rows, which only alignment reads.
pub fn tables_unlabelled(norm: &crate::normalize::Norm, rec: &PlanRecord) -> Vec<TableUnits> {
    tables_with(norm, rec, None)
}

fn tables_with(
    norm: &crate::normalize::Norm,
    rec: &PlanRecord,
    lex: Option<&Lexicon>,
) -> Vec<TableUnits> {
    rec.tables
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            let mut rows = Vec::with_capacity(t.rows.len());
            let width = t
                .rows
                .iter()
                .flat_map(|r| r.iter().map(|c| c.col + c.col_span.max(1)))
                .max()
                .unwrap_or(0);
            for (ri, row) in t.rows.iter().enumerate() {
                let first = row
                    .iter()
                    .find(|c| !c.text.trim().is_empty())
                    .map(|c| c.col)
                    .unwrap_or(0);
                let text = shorten(
                    &row.iter()
                        .map(|c| c.text.trim())
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" | "),
                    240,
                );
                let mut toks = Vec::new();
                let mut nth = 0;
                for c in row {
                    if c.text.trim().is_empty() {
                        continue;
                    }
                    let ctx = |_: usize| text.clone();
                    toks.extend(tokens_of(
                        norm,
                        &c.numbers,
                        &c.text,
                        &c.provenance,
                        (c.col.saturating_sub(first), nth),
                        &ctx,
                        lex,
                    ));
                    nth += 1;
                }
                // Row provenance: the first cell's, without the cell index.
                let provenance = row
                    .first()
                    .map(|c| Provenance {
                        cell: None,
                        ..c.provenance.clone()
                    })
                    .unwrap_or_else(|| t.provenance.clone());
                rows.push(RowUnit {
                    index: ri,
                    keys: lex.map(|l| l.keys(norm, &text)).unwrap_or_default(),
                    toks,
                    text,
                    provenance,
                });
            }
            TableUnits {
                index: ti,
                id: t.id.clone(),
                caption_number: t.caption.as_deref().and_then(|c| caption_number(norm, c)),
                caption: t.caption.clone(),
                width,
                toc: is_toc(t),
                rows,
                provenance: t.provenance.clone(),
            }
        })
        .collect()
}

/// Paragraphs with numbers, but those of a table of contents written as
/// paragraphs, which [`tables`] holds.
pub fn paragraphs(norm: &crate::normalize::Norm, rec: &PlanRecord, lex: &Lexicon) -> Vec<ParaUnit> {
    let toc = toc_runs(rec);
    rec.paragraphs
        .iter()
        .enumerate()
        .filter(|(pi, _)| !toc.iter().any(|r| r.contains(pi)))
        .filter_map(|(pi, p)| {
            let ctx = |at: usize| sentence(&p.text, at);
            let toks = tokens_of(
                norm,
                &p.numbers,
                &p.text,
                &p.provenance,
                (0, 0),
                &ctx,
                Some(lex),
            );
            (!toks.is_empty()).then(|| ParaUnit {
                index: pi,
                id: p.id.clone(),
                toks,
                keys: lex.keys(norm, &p.text),
                provenance: p.provenance.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_sentences() {
        let norm = crate::vocab::test_vocab().norm();
        assert_eq!(caption_number(norm, "Tabela 5: Gustina"), Some(5));
        assert_eq!(caption_number(norm, "Tabela2: Broj porodica"), Some(2));
        assert_eq!(caption_number(norm, "Табела 3. Корисници"), Some(3));
        assert_eq!(caption_number(norm, "SADRŽAJ"), None);
        assert_eq!(toc_page("3.1. Popullsia\t5"), Some(5));
        assert_eq!(toc_page("6. Monitorimi dhe raportimi\t15\n"), Some(15));
        assert_eq!(toc_page("Ukupno\t2.500"), None);
        assert_eq!(toc_page("2024\t15"), None);
        assert_eq!(toc_page("Cilj 1 bez strane"), None);
        let t = "Prva rečenica. Od 2.193 stanovnika većina su Romi. Treća.";
        assert_eq!(
            sentence(t, t.find("2.193").unwrap()),
            "Od 2.193 stanovnika većina su Romi."
        );
    }
}
