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

use super::record::{
    Abbreviation, Coverage, DocScript, DocumentInfo, Period, PlanRecord, SCHEMA, SourceInfo,
};
use super::{Ctx, Placed};
use crate::config::{DocumentWord, Lexicons};
use crate::model::Provenance;
use crate::normalize::dates::{dotted_date, two_years};
use crate::normalize::numbers::Kind;
use crate::normalize::{collapse_whitespace, text};
use std::collections::{BTreeMap, HashMap};

mod municipality;
use municipality::*;

mod glossary;
use glossary::*;

/// A record with `source` and the document's language and script filled,
/// everything else empty.
pub fn empty_record(ctx: &Ctx) -> PlanRecord {
    let s = &ctx.doc.source;
    PlanRecord {
        schema: SCHEMA.to_string(),
        source: SourceInfo {
            path: s.path.clone(),
            sha256: s.sha256.clone(),
            format: s.format,
            encoding: s.encoding.clone(),
            encoding_confidence: s.encoding_confidence,
            bytes: s.bytes,
        },
        document: DocumentInfo {
            language: Some(ctx.language),
            script: Some(if ctx.cyrillic {
                DocScript::Cyrl
            } else {
                DocScript::Latn
            }),
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

/// The words the document facts look for, and the towns, built once with
/// the rest of the [`crate::vocab::Vocab`] and read through the document's
/// `Ctx`.
pub struct FactWords {
    words: Words,
    towns: Towns,
}

impl FactWords {
    /// The words of `document_words.tsv` and the towns of
    /// `municipalities.tsv`, folded.
    pub fn new(lex: &Lexicons, norm: &crate::normalize::Norm) -> FactWords {
        FactWords {
            words: Words::new(lex, norm),
            towns: municipality::towns(lex, norm),
        }
    }
}

#[derive(Default)]
struct Words {
    title: Vec<String>,
    reference: Vec<String>,
    period: Vec<String>,
    glossary: Vec<String>,
    meaning: Vec<String>,
    municipality: Vec<String>,
}

impl Words {
    fn new(lex: &Lexicons, norm: &crate::normalize::Norm) -> Words {
        let mut w = Words::default();
        for r in &lex.document_words {
            let k = norm.key(&r.row.words);
            if k.is_empty() {
                continue;
            }
            match r.row.kind {
                DocumentWord::Title => w.title.push(k),
                DocumentWord::Reference => w.reference.push(k),
                DocumentWord::Period => w.period.push(k),
                DocumentWord::Glossary => w.glossary.push(k),
                DocumentWord::GlossaryMeaning => w.meaning.push(k),
                DocumentWord::Municipality => w.municipality.push(k),
            }
        }
        w
    }
}

/// The document words of the context's configuration.
fn words<'c>(ctx: &'c Ctx<'_>) -> &'c Words {
    &ctx.vocab.facts().words
}

/// Whether `words` occurs in `key` between word boundaries.
fn contains_words(key: &str, words: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = key.get(from..).and_then(|k| k.find(words)) {
        let at = from + rel;
        let before = key[..at].chars().next_back();
        let after = key[at + words.len()..].chars().next();
        let edge = |c: Option<char>| !c.is_some_and(crate::normalize::script::is_letter_or_digit);
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

/// The document's facts: title, municipality, reference, date and period
/// (language, script and number convention are the context's). Read before
/// the plan itself, so every later pass may rely on them.
pub fn facts(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    let title = find_title(ctx);
    if let Some(i) = title {
        let parts = title_parts(ctx, i);
        let joined = parts
            .iter()
            .map(|&k| collapse_whitespace(&ctx.paragraphs[k].paragraph.text))
            .collect::<Vec<_>>()
            .join(" ");
        rec.document.title = Some(text::text(ctx.norm(), &joined));
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
}

/// The abbreviation glossary (a table of abbreviations and their
/// meanings). Read after the plan: a table the glossary takes is its, whatever
/// the passes before made of it.
pub fn abbreviations(ctx: &Ctx, rec: &mut PlanRecord, placed: &mut Placed) {
    rec.abbreviations = glossary(ctx, placed);
}

fn find_title(ctx: &Ctx) -> Option<usize> {
    *ctx.title.get_or_init(|| title_search(ctx))
}

fn title_search(ctx: &Ctx) -> Option<usize> {
    let w = words(ctx);
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
            let key = ctx.fold_key(t);
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

/// The plan's period and the paragraph stating it. Read once, by
/// [`facts`]; later passes take it from `rec.document.period`.
fn plan_period(ctx: &Ctx) -> Option<(Period, usize)> {
    let spans = |s: &str| -> Option<Period> {
        let nums = ctx.numbers_of(s);
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
        let years: Vec<i32> = ctx
            .numbers_of(t)
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
    let w = words(ctx);
    for p in ctx
        .paragraphs
        .iter()
        .filter(|p| p.paragraph.origin.is_none())
        .take(400)
    {
        if !two_years(&p.paragraph.text) {
            continue;
        }
        let key = ctx.fold_key(&p.paragraph.text);
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
    let w = words(ctx);
    for p in front(ctx) {
        let t = p.paragraph.text.trim().trim_start_matches(['*', '_', ' ']);
        if t.chars().count() > 200 {
            continue;
        }
        let key = ctx.norm().key(t);
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
            let original = find_token(ctx.norm(), t, &token).unwrap_or(token);
            return Some((p.index, original));
        }
    }
    None
}

/// The span of `t` whose folding key is `token` (the reference as written).
fn find_token(norm: &crate::normalize::Norm, t: &str, token: &str) -> Option<String> {
    for (start, _) in t.char_indices() {
        let rest = &t[start..];
        let end = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '_')))
            .map_or(rest.len(), |(i, _)| i);
        let cand = rest[..end].trim_end_matches(['.', '-', '/']);
        if !cand.is_empty() && norm.key(cand) == token {
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
        let Some(n) = ctx
            .numbers_of(&p.paragraph.text)
            .iter()
            .find(|n| n.kind == Kind::Date && n.year.is_some())
            .cloned()
        else {
            return dotted_date(&p.paragraph.text);
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{ReadOptions, read_bytes};

    fn record(text: &str) -> PlanRecord {
        match read_bytes(
            std::path::Path::new("test.txt"),
            text.as_bytes(),
            &ReadOptions::default(),
        ) {
            Ok(d) => crate::extract::extract(&d, &crate::vocab::Vocab::embedded()),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn serbian_front_matter() {
        let rec = record(
            "РЕПУБЛИКА СРБИЈА\nОПШТИНА ИРИГ\nСкупштина општине\nБрој: 011-25/2022-I\n\
             Датум: 15.03.2022. године\n\nЛОКАЛНИ АКЦИОНИ ПЛАН\nсоцијалне заштите општине Ириг\n\n\
             Овај план се доноси за период од 2022. до 2027. године.\n\nСКРАЋЕНИЦЕ\n\n\
             ЦСР\tЦентар за социјални рад\nОСИ\tОсобе са инвалидитетом\n\nУвод\n",
        );
        let d = &rec.document;
        assert_eq!(d.municipality.as_deref(), Some("Ириг"));
        assert_eq!(d.municipality_id.as_deref(), Some("rs-irig"));
        assert_eq!(d.reference.as_deref(), Some("011-25/2022-I"));
        assert_eq!(d.date_iso.as_deref(), Some("2022-03-15"));
        assert_eq!(
            d.period.map(|p| (p.from, p.to)),
            Some((Some(2022), Some(2027)))
        );
        assert_eq!(
            d.title.as_ref().map(|t| t.original.as_str()),
            Some("ЛОКАЛНИ АКЦИОНИ ПЛАН социјалне заштите општине Ириг")
        );
        let abbr: Vec<(&str, &str)> = rec
            .abbreviations
            .iter()
            .map(|a| (a.abbr.as_str(), a.expansion.as_str()))
            .collect();
        assert_eq!(
            abbr,
            vec![
                ("ЦСР", "Центар за социјални рад"),
                ("ОСИ", "Особе са инвалидитетом")
            ]
        );
        assert_eq!(
            rec.tables[0].role,
            crate::extract::record::TableRole::Glossary
        );
    }

    #[test]
    fn albanian_front_matter() {
        let rec = record(
            "Republika e Kosovës\n\nKomuna e Prizrenit\n\nNr. 016-45/2024, dt. 05.06.2024\n\n\
             PLANI LOKAL I VEPRIMIT PËR SHËRBIME SOCIALE 2024-2026\n\nQershor 2024\n\n\
             SHKURTESAT\n\nQPS – Qendra për Punë Sociale\nOJQ - Organizata Jo-Qeveritare\n\n\
             Hyrje\n\nKomuna e Prizrenit ofron shërbime sociale për qytetarët e Prizrenit.\n",
        );
        let d = &rec.document;
        assert_eq!(
            d.language.map(crate::normalize::lang::Language::code),
            Some("sq")
        );
        assert_eq!(d.municipality_id.as_deref(), Some("xk-prizren"));
        assert_eq!(d.reference.as_deref(), Some("016-45/2024"));
        assert_eq!(d.date.as_deref(), Some("05.06.2024"));
        assert_eq!(
            d.period.map(|p| (p.from, p.to)),
            Some((Some(2024), Some(2026)))
        );
        assert_eq!(rec.abbreviations.len(), 2);
        assert_eq!(rec.abbreviations[0].abbr, "QPS");
    }

    #[test]
    fn glossary_table_with_a_number_column() {
        let rec = record(
            "Акциони план 2024\n\nР.бр.\tСкраћеница\tЗначење\n\
             1.\tЦСР\tЦентар за социјални рад\n2.\tДЗ\tДом здравља\n",
        );
        let abbr: Vec<(&str, &str)> = rec
            .abbreviations
            .iter()
            .map(|a| (a.abbr.as_str(), a.expansion.as_str()))
            .collect();
        assert_eq!(
            abbr,
            vec![("ЦСР", "Центар за социјални рад"), ("ДЗ", "Дом здравља")]
        );
    }

    #[test]
    fn nothing_invented() {
        let rec = record("Izveštaj o radu\n\nTekst bez datuma i bez broja.\n");
        let d = &rec.document;
        assert_eq!(d.municipality, None);
        assert_eq!(d.reference, None);
        assert_eq!(d.date, None);
        assert_eq!(d.period, None);
        assert_eq!(d.title, None);
        assert!(rec.abbreviations.is_empty());
    }

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
    fn embedded_mappings_are_valid_and_bad_rows_named() {
        let m = crate::mappings::Mappings::embedded();
        assert!(Lexicons::load(&m).is_ok());
        // An override with a row in an unknown language is named with its
        // line.
        let dir = std::env::temp_dir().join(format!("planrec-meta-check-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("municipalities.tsv"), "# ok\nrs-x\tde\tStadt\n");
        let m = match crate::mappings::Mappings::with_overrides(&dir) {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        match Lexicons::load(&m) {
            Err(e) => assert!(
                e.to_string()
                    .contains("municipalities.tsv:2: column 2 (language)"),
                "{e}"
            ),
            Ok(_) => panic!("bad row accepted"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn case_forms() {
        assert!(serbian_cases("ljubovija").contains(&"ljubovije".to_string()));
        assert!(serbian_cases("irig").contains(&"iriga".to_string()));
        assert!(serbian_cases("plandiste").contains(&"plandista".to_string()));
    }
}
