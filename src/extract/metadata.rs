//! Document metadata and the abbreviation glossary.
//!
//! In: the context. Out: the record's `source` and `document` (language,
//! script, title, municipality and its id, reference number, date, period)
//! and `abbreviations`, with the paragraphs and cells used marked placed.
//!
//! - title: the first paragraph near the top that names a plan ("Акциони
//!   план…", "PLANI I VEPRIMIT…", "Програм унапређења…");
//! - municipality: names from `mappings/municipalities.tsv` (all scripts
//!   through the folding key, Serbian case endings included), scored by
//!   how often they occur and whether "општина"/"komuna" precedes them; the
//!   id is language-independent, so parallel versions share it;
//! - reference: "Br. 02-060/01-0074434-5/24", "Број: …" at the start of a
//!   short paragraph; date: the date of that line, else a short dated line
//!   near the top ("Novembar 2024");
//! - period: a span of years in the title, else in a paragraph that speaks
//!   of the period ("za period 2024-2026", "за период од 2026. до 2028.");
//! - glossary: a table headed "Скраћеница | Пун назив", or lines "CSR –
//!   Centar za socijalni rad" under a heading "SKRAĆENICE".
//!
//! Words come from `mappings/document_words.tsv`.

use super::record::{Abbreviation, Coverage, DocumentInfo, Period, PlanRecord, SCHEMA, SourceInfo};
use super::{Ctx, Placed};
use crate::mappings::Mappings;
use crate::model::Provenance;
use crate::normalize::numbers::{self, Kind};
use crate::normalize::{collapse_whitespace, fold, text};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A record with `source` and the document's language and script filled,
/// everything else empty.
pub fn empty_record(ctx: &Ctx) -> PlanRecord {
    let s = &ctx.doc.source;
    PlanRecord {
        schema: SCHEMA.to_string(),
        source: SourceInfo {
            path: s.path.clone(),
            sha256: s.sha256.clone(),
            format: s.format.as_str().to_string(),
            encoding: s.encoding.clone(),
            encoding_confidence: s.encoding_confidence,
            bytes: s.bytes,
        },
        document: DocumentInfo {
            language: Some(ctx.language.code().to_string()),
            script: Some(if ctx.cyrillic { "Cyrl" } else { "Latn" }.to_string()),
            language_confidence: ctx.language_confidence,
            ..DocumentInfo::default()
        },
        abbreviations: Vec::new(),
        objectives: Vec::new(),
        activities: Vec::new(),
        indicators: Vec::new(),
        budgets: Vec::new(),
        tables: Vec::new(),
        paragraphs: Vec::new(),
        diagnostics: ctx.doc.diagnostics.clone(),
        coverage: Coverage::default(),
    }
}

// ------------------------------------------------------------------ words

#[derive(Default)]
struct Words {
    title: Vec<String>,
    reference: Vec<String>,
    period: Vec<String>,
    glossary: Vec<String>,
    meaning: Vec<String>,
    municipality: Vec<String>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut w = Words::default();
        if let Ok(rows) = Mappings::global().rows("document_words.tsv") {
            for r in rows {
                let k = fold::key(r.get(1));
                if k.is_empty() {
                    continue;
                }
                match r.get(0) {
                    "title" => w.title.push(k),
                    "reference" => w.reference.push(k),
                    "period" => w.period.push(k),
                    "glossary" => w.glossary.push(k),
                    "glossary_meaning" => w.meaning.push(k),
                    "municipality" => w.municipality.push(k),
                    _ => {}
                }
            }
        }
        w
    })
}

/// Whether `words` occurs in `key` between word boundaries.
fn contains_words(key: &str, words: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = key.get(from..).and_then(|k| k.find(words)) {
        let at = from + rel;
        let before = key[..at].chars().next_back();
        let after = key[at + words.len()..].chars().next();
        let edge = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
        if edge(before) && (edge(after) || words.ends_with('.')) {
            return true;
        }
        from = at + words.len().max(1);
    }
    false
}

/// How far into the document the front matter reaches (paragraphs).
const FRONT: usize = 60;

/// Paragraphs of the front matter that are ordinary body text (not a table
/// of contents, header or footnote).
fn front<'c, 'a>(ctx: &'c Ctx<'a>) -> impl Iterator<Item = &'c super::ParagraphRef<'a>> {
    ctx.paragraphs
        .iter()
        .filter(|p| p.paragraph.origin.is_none())
        .take(FRONT)
}

// ------------------------------------------------------------------ pass

pub fn extract(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let title = find_title(ctx);
    if let Some(i) = title {
        let parts = title_parts(ctx, i);
        let joined = parts
            .iter()
            .map(|&k| collapse_whitespace(&ctx.paragraphs[k].paragraph.text))
            .collect::<Vec<_>>()
            .join(" ");
        rec.document.title = Some(text::text(&joined));
        for k in parts {
            placed.paragraph(k);
        }
    }
    if let Some((name, id)) = find_municipality(ctx) {
        rec.document.municipality = Some(name);
        rec.document.municipality_id = Some(id);
    }
    let reference = find_reference(ctx);
    if let Some((i, r)) = &reference {
        rec.document.reference = Some(r.clone());
        placed.paragraph(*i);
    }
    if let Some((i, raw, iso)) = find_date(ctx, reference.as_ref().map(|(i, _)| *i)) {
        rec.document.date = Some(raw);
        rec.document.date_iso = iso;
        placed.paragraph(i);
    }
    if let Some((p, i)) = plan_period(ctx) {
        rec.document.period = Some(p);
        if Some(i) != title {
            // A period sentence is running text; only a short line is
            // metadata on its own.
            if ctx.paragraphs[i].paragraph.text.chars().count() <= 120 {
                placed.paragraph(i);
            }
        }
    }
    rec.abbreviations = glossary(ctx, placed);
}

fn find_title(ctx: &Ctx) -> Option<usize> {
    let w = words();
    front(ctx)
        .find(|p| {
            let t = &p.paragraph.text;
            let n = t.chars().count();
            if !(5..=300).contains(&n) || t.contains('\t') {
                return false;
            }
            // A table-of-contents line ends with a page number.
            let trimmed = t.trim_end();
            if trimmed.ends_with(|c: char| c.is_ascii_digit())
                && (t.contains("...") || t.contains('…'))
            {
                return false;
            }
            let key = fold::key(t);
            w.title.iter().any(|k| contains_words(&key, k))
        })
        .map(|p| p.index)
}

/// The title paragraph and the lines that continue it: a title broken over
/// paragraphs by the export ("Програм унапређења … у" / "општини Љубовија
/// за период од 2026 до 2028" / "године") goes on while the next paragraph,
/// right below, starts in lower case.
fn title_parts(ctx: &Ctx, i: usize) -> Vec<usize> {
    let mut out = vec![i];
    let mut k = i;
    while out.len() < 4 {
        let (Some(cur), Some(next)) = (ctx.paragraphs.get(k), ctx.paragraphs.get(k + 1)) else {
            break;
        };
        let t = next.paragraph.text.trim();
        let continues = next.block == cur.block + 1
            && t.chars().next().is_some_and(char::is_lowercase)
            && t.chars().count() <= 200;
        if !continues {
            break;
        }
        out.push(k + 1);
        k += 1;
    }
    out
}

/// The plan's period and the paragraph stating it.
pub fn plan_period(ctx: &Ctx) -> Option<(Period, usize)> {
    let spans = |s: &str| -> Option<Period> {
        let nums = numbers::parse_all(s, &ctx.numbers);
        if let Some(n) = nums.iter().find(|n| {
            n.kind == Kind::Period && n.value.is_some_and(|v| v >= 1990.0) && n.to.is_some()
        }) {
            return Some(Period {
                from: n.value.map(|v| v as i32),
                to: n.to.map(|v| v as i32),
            });
        }
        None
    };
    if let Some(i) = find_title(ctx) {
        let t = title_parts(ctx, i)
            .iter()
            .map(|&k| ctx.paragraphs[k].paragraph.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let t = &t;
        if let Some(p) = spans(t) {
            return Some((p, i));
        }
        // A one-year plan ("АКЦИОНИ ПЛАН за 2019 годину").
        let years: Vec<i32> = numbers::parse_all(t, &ctx.numbers)
            .iter()
            .filter(|n| n.kind == Kind::Year)
            .filter_map(|n| n.year)
            .collect();
        if let [y] = years.as_slice() {
            return Some((
                Period {
                    from: Some(*y),
                    to: Some(*y),
                },
                i,
            ));
        }
    }
    let w = words();
    for p in ctx
        .paragraphs
        .iter()
        .filter(|p| p.paragraph.origin.is_none())
        .take(400)
    {
        let key = fold::key(&p.paragraph.text);
        if !w.period.iter().any(|k| contains_words(&key, k)) {
            continue;
        }
        if let Some(per) = spans(&p.paragraph.text) {
            return Some((per, p.index));
        }
    }
    None
}

fn find_reference(ctx: &Ctx) -> Option<(usize, String)> {
    let w = words();
    for p in front(ctx) {
        let t = p.paragraph.text.trim().trim_start_matches(['*', '_', ' ']);
        if t.chars().count() > 200 {
            continue;
        }
        let key = fold::key(t);
        for label in &w.reference {
            let Some(rest) = key.strip_prefix(label.as_str()) else {
                continue;
            };
            if !label.ends_with('.') && rest.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let rest = rest.trim_start_matches([' ', ':', '.']);
            let token: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '_'))
                .collect();
            let token = token.trim_end_matches(['.', '-', '/']).to_string();
            let digits = token.chars().filter(char::is_ascii_digit).count();
            if digits == 0 || !(token.contains('/') || token.contains('-') || digits >= 3) {
                continue;
            }
            // Take it as written: the key keeps ASCII digits and separators,
            // but letters may be Cyrillic in the original.
            let original = find_token(t, &token).unwrap_or(token);
            return Some((p.index, original));
        }
    }
    None
}

/// The span of `t` whose folding key is `token` (the reference as written).
fn find_token(t: &str, token: &str) -> Option<String> {
    for (start, _) in t.char_indices() {
        let rest = &t[start..];
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '_')))
            .map_or(rest.len(), |(i, _)| i);
        let cand = rest[..end].trim_end_matches(['.', '-', '/']);
        if !cand.is_empty() && fold::key(cand) == token {
            return Some(cand.to_string());
        }
    }
    None
}

/// The adoption date: on the reference line, else a short dated line near
/// the top. Returns the paragraph, the date as written and its ISO form
/// when complete.
fn find_date(ctx: &Ctx, reference: Option<usize>) -> Option<(usize, String, Option<String>)> {
    let date_of = |i: usize| -> Option<(String, Option<String>)> {
        let p = ctx.paragraphs.get(i)?;
        let n = numbers::parse_all(&p.paragraph.text, &ctx.numbers)
            .into_iter()
            .find(|n| n.kind == Kind::Date && n.year.is_some())?;
        let iso = match (n.year, n.month, n.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            _ => None,
        };
        Some((n.raw.clone(), iso))
    };
    if let Some(i) = reference
        && let Some((raw, iso)) = date_of(i)
    {
        return Some((i, raw, iso));
    }
    for p in front(ctx) {
        if p.paragraph.text.chars().count() > 60 {
            continue;
        }
        if let Some((raw, iso)) = date_of(p.index) {
            // The date must be most of the line ("Novembar 2024",
            // "Љубовија, фебруар 2026"), not a figure in a sentence.
            let rest = p.paragraph.text.replace(&raw, "");
            if rest.split_whitespace().count() <= 2 {
                return Some((p.index, raw, iso));
            }
        }
    }
    None
}

// ------------------------------------------------------------------ municipality

struct Town {
    id: String,
    lang: String,
    /// Folded words of the form.
    words: Vec<String>,
    nominative: bool,
}

/// The forms, and their indices by first word.
type Towns = (Vec<Town>, HashMap<String, Vec<usize>>);

fn towns() -> &'static Towns {
    static T: OnceLock<Towns> = OnceLock::new();
    T.get_or_init(|| {
        let mut list = Vec::new();
        if let Ok(rows) = Mappings::global().rows("municipalities.tsv") {
            for r in rows {
                let (id, lang) = (r.get(0), r.get(1));
                if id.is_empty() {
                    continue;
                }
                let mut forms: Vec<(String, bool)> = Vec::new();
                for (k, f) in r
                    .get(2)
                    .split(';')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .enumerate()
                {
                    let key = fold::key(f);
                    forms.push((key.clone(), k == 0));
                    if lang == "sr" && k == 0 && !key.contains(' ') {
                        for g in serbian_cases(&key) {
                            forms.push((g, false));
                        }
                    }
                }
                for (key, nominative) in forms {
                    let words: Vec<String> = key.split(' ').map(str::to_string).collect();
                    list.push(Town {
                        id: id.to_string(),
                        lang: lang.to_string(),
                        words,
                        nominative,
                    });
                }
            }
        }
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in list.iter().enumerate() {
            if let Some(w) = t.words.first() {
                by_first.entry(w.clone()).or_default().push(i);
            }
        }
        (list, by_first)
    })
}

/// Regular case forms of a one-word Serbian name (folded): Ljubovija →
/// ljubovije, ljuboviji, ljuboviju, ljubovijom; Irig → iriga, irigu,
/// irigom; Plandište → plandista, plandistu.
fn serbian_cases(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(stem) = key.strip_suffix('a') {
        for e in ["e", "i", "u", "om"] {
            out.push(format!("{stem}{e}"));
        }
    } else if let Some(stem) = key.strip_suffix('e').or_else(|| key.strip_suffix('o')) {
        for e in ["a", "u", "em", "om"] {
            out.push(format!("{stem}{e}"));
        }
    } else if key.ends_with(|c: char| c.is_alphabetic()) {
        for e in ["a", "u", "om", "e"] {
            out.push(format!("{key}{e}"));
        }
    }
    out
}

/// Words of a text with their byte spans.
fn word_spans(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, t.len()));
    }
    out
}

/// The municipality as written (its most frequent nominative form) and its
/// id.
fn find_municipality(ctx: &Ctx) -> Option<(String, String)> {
    let (list, by_first) = towns();
    let w = words();
    // id → score; (id, written form, nominative) → count and first place.
    let mut score: BTreeMap<&str, usize> = BTreeMap::new();
    let mut written: BTreeMap<(&str, String), (usize, usize, bool)> = BTreeMap::new();
    let mut order = 0usize;
    let lang = ctx.language.code();
    // Body paragraphs, then table cells (a plan may be all table).
    let mut texts: Vec<&str> = ctx
        .paragraphs
        .iter()
        .filter(|p| p.paragraph.origin.as_deref() != Some("toc"))
        .map(|p| p.paragraph.text.as_str())
        .collect();
    for t in &ctx.tables {
        for row in &t.table.rows {
            for c in &row.cells {
                texts.push(c.text.as_str());
            }
        }
    }
    for t in texts {
        let spans = word_spans(t);
        let keys: Vec<String> = spans.iter().map(|&(a, b)| fold::key(&t[a..b])).collect();
        for i in 0..keys.len() {
            let Some(cands) = by_first.get(&keys[i]) else {
                continue;
            };
            for &c in cands {
                let town = &list[c];
                let n = town.words.len();
                if i + n > keys.len() || keys[i..i + n] != town.words[..] {
                    continue;
                }
                let before = (i.saturating_sub(3)..i)
                    .map(|j| keys[j].as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let prefixed = w.municipality.iter().any(|m| before.ends_with(m.as_str()));
                *score.entry(town.id.as_str()).or_insert(0) += if prefixed { 5 } else { 1 };
                let form = t[spans[i].0..spans[i + n - 1].1].to_string();
                order += 1;
                // A nominative form in the document's own language is the
                // name to report.
                let e = written.entry((town.id.as_str(), form)).or_insert((
                    0,
                    order,
                    town.nominative && town.lang == lang,
                ));
                e.0 += 1;
            }
        }
    }
    let best = score
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(id, _)| *id)?;
    // The most frequent nominative form as written; an all-capitals form
    // only when nothing else is written.
    let form = written
        .iter()
        .filter(|((id, _), _)| *id == best)
        .max_by(|a, b| {
            let rank =
                |((_, f), (count, first, nom)): &(&(&str, String), &(usize, usize, bool))| {
                    let caps = f.chars().any(char::is_lowercase);
                    (*nom, caps, *count, std::cmp::Reverse(*first))
                };
            rank(a).cmp(&rank(b))
        })
        .map(|((_, f), _)| f.clone())?;
    Some((form, best.to_string()))
}

// ------------------------------------------------------------------ glossary

fn is_glossary_heading(t: &str) -> bool {
    let key = fold::key(t.trim().trim_matches('*'));
    let w = words();
    key.chars().count() <= 200 && w.glossary.iter().any(|g| key.starts_with(g.as_str()))
}

/// "CSR – Centar za socijalni rad", "MF-MinistarstvoFinansija",
/// "**ASK** - Agjencia…" → (abbreviation, expansion).
fn abbreviation_line(line: &str) -> Option<(String, String)> {
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

fn glossary(ctx: &Ctx, placed: &mut Placed) -> Vec<Abbreviation> {
    let mut out = Vec::new();
    // Tables headed "Скраћеница | Пун назив".
    let w = words();
    for t in &ctx.tables {
        let Some(head) = t.table.rows.first() else {
            continue;
        };
        let filled: Vec<&crate::model::Cell> = head
            .cells
            .iter()
            .filter(|c| !c.text.trim().is_empty())
            .collect();
        if filled.len() != 2 {
            continue;
        }
        let k0 = fold::key(&filled[0].text);
        let k1 = fold::key(&filled[1].text);
        let is_head = w.glossary.iter().any(|g| k0.starts_with(g.as_str()))
            && w.meaning.iter().any(|m| k1.starts_with(m.as_str()));
        if !is_head {
            continue;
        }
        placed.role(t.index, "glossary");
        for (ci, c) in head.cells.iter().enumerate() {
            if !c.text.trim().is_empty() {
                placed.cell(t.index, 0, ci);
            }
        }
        for (ri, row) in t.table.rows.iter().enumerate().skip(1) {
            let cells: Vec<(usize, &crate::model::Cell)> = row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.text.trim().is_empty())
                .collect();
            if let [(a, ca), (b, cb)] = cells.as_slice() {
                out.push(Abbreviation {
                    abbr: collapse_whitespace(&ca.text),
                    expansion: collapse_whitespace(&cb.text),
                    provenance: ca.provenance.clone(),
                });
                placed.cell(t.index, ri, *a);
                placed.cell(t.index, ri, *b);
            }
        }
    }
    // Lines under a heading "SKRAĆENICE" (one paragraph per line, or lines
    // of one paragraph).
    let ps = &ctx.paragraphs;
    let mut i = 0;
    while i < ps.len() {
        let p = &ps[i];
        i += 1;
        if p.paragraph.origin.is_some() || !is_glossary_heading(&p.paragraph.text) {
            continue;
        }
        // A heading followed by a table is the table's caption.
        let mut found = 0;
        let mut j = i;
        while j < ps.len() {
            let q = &ps[j];
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
    out
}

/// The provenance of line `k` of a multi-line paragraph (text input).
fn line_provenance(p: &Provenance, k: usize) -> Provenance {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_lines() {
        assert_eq!(
            abbreviation_line("CSR–Centar za Socijalni Rad"),
            Some(("CSR".into(), "Centar za Socijalni Rad".into()))
        );
        assert_eq!(
            abbreviation_line("**ASK** - Agjencisë së Statistikave të Kosovës"),
            Some(("ASK".into(), "Agjencisë së Statistikave të Kosovës".into()))
        );
        assert_eq!(
            abbreviation_line("MF-MinistarstvoFinansija"),
            Some(("MF".into(), "MinistarstvoFinansija".into()))
        );
        assert_eq!(abbreviation_line("Hvala Vam,"), None);
        assert_eq!(abbreviation_line("socio-ekonomski razvoj"), None);
    }

    #[test]
    fn case_forms() {
        assert!(serbian_cases("ljubovija").contains(&"ljubovije".to_string()));
        assert!(serbian_cases("irig").contains(&"iriga".to_string()));
        assert!(serbian_cases("plandiste").contains(&"plandista".to_string()));
    }
}
