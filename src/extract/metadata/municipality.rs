//! The municipality: towns of `mappings/municipalities.tsv` with their Serbian
//! case forms, found in the document's front matter.

use super::*;

pub(super) struct Town {
    pub(super) id: String,
    pub(super) lang: String,
    /// Folded words of the form.
    pub(super) words: Vec<String>,
    pub(super) nominative: bool,
}

/// The forms, and their indices by first word.
pub(super) type Towns = (Vec<Town>, HashMap<String, Vec<usize>>);

/// The towns of `municipalities.tsv`, every form folded (built once, in
/// [`FactWords::new`]).
pub(super) fn towns(lex: &Lexicons, norm: &crate::normalize::Norm) -> Towns {
    let mut list = Vec::new();
    for r in &lex.municipalities {
        let (id, lang) = (r.row.id.as_str(), r.row.language.as_str());
        let mut forms: Vec<(String, bool)> = Vec::new();
        for (k, f) in r
            .row
            .forms
            .split(';')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .enumerate()
        {
            let key = norm.key(f);
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
    let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in list.iter().enumerate() {
        if let Some(w) = t.words.first() {
            by_first.entry(w.clone()).or_default().push(i);
        }
    }
    (list, by_first)
}

/// Regular case forms of a one-word Serbian name (folded): Ljubovija →
/// ljubovije, ljuboviji, ljuboviju, ljubovijom; Irig → iriga, irigu,
/// irigom; Plandište → plandista, plandistu.
pub(super) fn serbian_cases(key: &str) -> Vec<String> {
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

/// The first `max` bytes of `t` (at a character boundary).
pub(super) fn head(t: &str, max: usize) -> &str {
    if t.len() <= max {
        return t;
    }
    let mut end = max;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    &t[..end]
}

/// Words of a text with their byte spans.
pub(super) fn word_spans(t: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        if crate::normalize::script::is_letter_or_digit(c) {
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
pub(super) fn find_municipality(ctx: &Ctx) -> Option<(String, String)> {
    let (list, by_first) = &ctx.vocab.facts().towns;
    let w = words(ctx);
    // id → score; (id, written form, nominative) → count and first place.
    let mut score: BTreeMap<&str, usize> = BTreeMap::new();
    let mut written: BTreeMap<(&str, String), (usize, usize, bool)> = BTreeMap::new();
    let mut order = 0usize;
    let lang = ctx.language.code();
    // The front of the body, else the rest and the table cells (a plan may
    // be all table). The name is on the first pages of any plan.
    let body: Vec<&str> = ctx
        .paragraphs
        .iter()
        .filter(|p| p.paragraph.origin.as_deref() != Some("toc"))
        .map(|p| p.paragraph.text.as_str())
        .collect();
    let front_end = body.len().min(3 * FRONT);
    let mut rest: Vec<&str> = body[front_end..].to_vec();
    for t in &ctx.tables {
        for row in &t.table.rows {
            for c in &row.cells {
                rest.push(c.text.as_str());
            }
        }
    }
    let phases = [body[..front_end].to_vec(), rest];
    for texts in phases {
        // The rest only when the front names no municipality.
        if !score.is_empty() {
            break;
        }
        // A name sits at the start of a long text if anywhere that matters;
        // folding a whole 20 MB paragraph would buy nothing.
        let texts = texts.into_iter().map(|t| head(t, 4000));
        for t in texts {
            if !t.chars().any(char::is_alphabetic) {
                continue;
            }
            // Fold the whole text once; most texts name no municipality.
            let whole = ctx.fold_key(t);
            let whole_words: Vec<&str> = whole
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if !whole_words.iter().any(|w| by_first.contains_key(*w)) {
                continue;
            }
            let spans = word_spans(t);
            // Word for word when folding kept the words apart, else one by one.
            let keys: Vec<String> = if whole_words.len() == spans.len() {
                whole_words.iter().map(|w| w.to_string()).collect()
            } else {
                spans
                    .iter()
                    .map(|&(a, b)| ctx.norm().key(&t[a..b]))
                    .collect()
            };
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
