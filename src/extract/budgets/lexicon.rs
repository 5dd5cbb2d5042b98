//! The words and numbers of money: the lexicon of `money_markers.tsv` and
//! `funding_sources.tsv`, currencies, scales, totals, years, rates, and the
//! per-document memo of parsed numbers.

use super::*;

pub(super) struct Pattern {
    pub(super) words: String,
    pub(super) prefix: bool,
    /// A searcher for `words` built once: patterns are tested against
    /// every header and label cell.
    pub(super) finder: memchr::memmem::Finder<'static>,
}

impl Pattern {
    pub(super) fn new(words: String, prefix: bool) -> Pattern {
        let finder = memchr::memmem::Finder::new(words.as_bytes()).into_owned();
        Pattern {
            words,
            prefix,
            finder,
        }
    }
}

/// The patterns of one kind with one automaton over all of them: header and
/// label cells are tested against every kind, and one scan of a key per
/// kind costs far less than one search per pattern.
#[derive(Default)]
pub(super) struct Patterns {
    pats: Vec<Pattern>,
    ac: Option<aho_corasick::AhoCorasick>,
}

impl Patterns {
    pub(super) fn new(pats: Vec<Pattern>) -> Patterns {
        // Patterns are non-empty folded words; an automaton that cannot be
        // built (it never happens at these sizes) leaves the per-pattern
        // search of `first_in` in place.
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(pats.iter().map(|p| p.words.as_bytes()))
            .ok();
        Patterns { pats, ac }
    }

    /// The first pattern (in file order) that occurs in `key` as whole
    /// words (see [`fold::has_words`]).
    pub(super) fn first_in(&self, key: &str) -> Option<usize> {
        let Some(ac) = &self.ac else {
            return self.pats.iter().position(|p| has(key, p));
        };
        let edge = |c: Option<char>| !c.is_some_and(crate::normalize::script::is_letter_or_digit);
        let mut first: Option<usize> = None;
        for m in ac.find_overlapping_iter(key) {
            let i = m.pattern().as_usize();
            if first.is_some_and(|f| f <= i) {
                continue;
            }
            let Some(p) = self.pats.get(i) else { continue };
            // Matches of UTF-8 patterns in UTF-8 lie on char boundaries.
            let ok = edge(key.get(..m.start()).and_then(|k| k.chars().next_back()))
                && (p.prefix || edge(key.get(m.end()..).and_then(|k| k.chars().next())));
            if ok {
                first = Some(i);
                if i == 0 {
                    break;
                }
            }
        }
        first
    }
}

impl std::ops::Deref for Patterns {
    type Target = [Pattern];
    fn deref(&self) -> &[Pattern] {
        &self.pats
    }
}

/// The money words of one configuration, built once with the rest of the
/// [`crate::vocab::Vocab`] and read through the document's `Ctx`.
#[derive(Default)]
pub struct MoneyWords {
    /// Currency patterns, and the code each one names (same order).
    pub(super) currency: Patterns,
    pub(super) currency_codes: Vec<String>,
    pub(super) total: Patterns,
    pub(super) source_header: Patterns,
    pub(super) money_header: Patterns,
    pub(super) funding: Patterns,
    pub(super) not_money: Patterns,
    pub(super) not_budget: Patterns,
    pub(super) rate: Patterns,
    /// Every form of "total" (`total_labels.tsv`: "ukupan", "gjithsejt"), for
    /// words that sum rather than name an amount.
    pub(super) total_words: Patterns,
    /// The kinds of funding source (`funding_sources.tsv`), each with its
    /// words, in file order.
    pub(super) source_kinds: Vec<(SourceKind, Pattern)>,
}

impl MoneyWords {
    /// The words of `money_markers.tsv`, `total_labels.tsv` and
    /// `funding_sources.tsv`, folded.
    pub fn new(lex: &Lexicons, norm: &crate::normalize::Norm) -> MoneyWords {
        let mut kinds: BTreeMap<String, Vec<Pattern>> = BTreeMap::new();
        let (mut currency, mut currency_codes) = (Vec::new(), Vec::new());
        let mut total_words = Vec::new();
        for r in &lex.money_markers {
            let raw = r.row.pattern.as_str();
            let prefix = raw.ends_with('*');
            let words = norm.key(raw.trim_end_matches('*'));
            if words.is_empty() {
                continue;
            }
            let p = Pattern::new(words, prefix);
            match r.row.kind.as_str() {
                k @ ("total" | "source_header" | "money_header" | "funding" | "not_money"
                | "not_budget" | "rate") => kinds.entry(k.to_string()).or_default().push(p),
                k => {
                    if let Some(code) = k.strip_prefix("currency:") {
                        currency.push(p);
                        currency_codes.push(code.to_string());
                    }
                }
            }
        }
        for r in &lex.total_labels {
            let words = norm.key(&r.row.form);
            if !words.is_empty() {
                total_words.push(Pattern::new(words, false));
            }
        }
        let source_kinds = lex
            .funding_sources
            .iter()
            .filter_map(|r| {
                let raw = r.row.words.as_str();
                let words = norm.key(raw.trim_end_matches('*'));
                (!words.is_empty()).then(|| {
                    (
                        SourceKind::from(r.row.kind),
                        Pattern::new(words, raw.ends_with('*')),
                    )
                })
            })
            .collect();
        let mut kind = |k: &str| Patterns::new(kinds.remove(k).unwrap_or_default());
        MoneyWords {
            total: kind("total"),
            source_header: kind("source_header"),
            money_header: kind("money_header"),
            funding: kind("funding"),
            not_money: kind("not_money"),
            not_budget: kind("not_budget"),
            rate: kind("rate"),
            currency: Patterns::new(currency),
            currency_codes,
            total_words: Patterns::new(total_words),
            source_kinds,
        }
    }
}

/// The money words of the document's configuration.
pub(super) fn lexicon<'c>(ctx: &'c Ctx<'_>) -> &'c MoneyWords {
    ctx.vocab.money()
}

/// The folding key of a text, computed once per document (the context's
/// memo): table cells repeat, and a table is looked at as header and as
/// data.
pub(super) fn folded(ctx: &Ctx, text: &str) -> Rc<str> {
    ctx.fold_key(text)
}

/// [`crate::normalize::numbers::scale_marker`], computed once per text of
/// the document.
pub(super) fn scale_of(ctx: &Ctx, text: &str) -> Option<u32> {
    ctx.scale_marker(text)
}

/// Whether `pat` occurs in `key` starting at a word start (and ending at a
/// word end unless it is a prefix pattern).
pub(super) fn has(key: &str, pat: &Pattern) -> bool {
    // Patterns are never empty (see `MoneyWords::new`).
    fold::has_words(key, &pat.words, &pat.finder, pat.prefix)
}

pub(super) fn any(key: &str, pats: &Patterns) -> bool {
    pats.first_in(key).is_some()
}

/// The kind of a funding source (see `mappings/funding_sources.tsv`).
pub(super) fn source_kind(ctx: &Ctx, source: &str) -> Option<SourceKind> {
    let kinds = &lexicon(ctx).source_kinds;
    let key = folded(ctx, source);
    let found: BTreeSet<SourceKind> = kinds
        .iter()
        .filter(|(_, p)| has(&key, p))
        .map(|(k, _)| *k)
        .collect();
    match found.len() {
        0 => None,
        1 => found.into_iter().next(),
        _ => Some(SourceKind::Mixed),
    }
}

/// The number as written without the currency that follows or precedes it
/// ("2.000.000,00 динара" → "2.000.000,00", "€ 500" → "500"): the currency
/// has its own field. Anything else around the digits ("1,5 милиона") stays.
pub(super) fn number_token(ctx: &Ctx, raw: &str) -> String {
    let Some(start) = raw.find(|c: char| c.is_ascii_digit()) else {
        return raw.to_string();
    };
    let bytes: Vec<(usize, char)> = raw.char_indices().collect();
    let mut end = start;
    let mut k = bytes.iter().position(|(i, _)| *i == start).unwrap_or(0);
    while k < bytes.len() {
        let (i, c) = bytes[k];
        let next_digit = bytes.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_digit() {
            end = i + c.len_utf8();
        } else if !(matches!(c, '.' | ',' | '\'' | '’' | ' ' | '\u{a0}') && next_digit) {
            break;
        }
        k += 1;
    }
    let start = if raw[..start].ends_with('-') {
        start - 1
    } else {
        start
    };
    let rest = format!("{} {}", &raw[..start], &raw[end..]);
    let only_currency = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '/' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .all(|w| {
            let k = folded(ctx, w);
            lexicon(ctx)
                .currency
                .iter()
                .any(|p| *k == *p.words || (p.prefix && k.starts_with(p.words.as_str())))
        });
    if only_currency {
        raw[start..end].to_string()
    } else {
        raw.to_string()
    }
}

/// The digits of a number as written with their group and decimal
/// separators ("4,8" of "4,8 miliona dinara").
pub(super) fn digit_run(raw: &str) -> Option<&str> {
    let start = raw.find(|c: char| c.is_ascii_digit())?;
    let mut end = start;
    let mut chars = raw[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_digit() {
            end = start + i + 1;
        } else if !(matches!(c, '.' | ',' | '\'' | '’' | ' ' | '\u{a0}') && next_digit) {
            break;
        }
    }
    Some(&raw[start..end])
}

/// An amount written with a scale word ("4,8 miliona", "800 hiljada",
/// "60 mijë") keeps its digits as the value and moves the word into the
/// scale, as a scale written in a header does: value × scale is the amount.
pub(super) fn written_scale(memo: &Memo, n: &Number, scale: u32) -> (Option<f64>, u32) {
    let Some(v) = n.value else {
        return (None, scale);
    };
    // Only a number followed by words can carry a scale word.
    if !n.raw.chars().any(char::is_alphabetic) {
        return (Some(v), scale);
    }
    let Some(written) = digit_run(&n.raw)
        .and_then(|d| memo.ctx.cell_number(d))
        .and_then(|d| d.value)
        .filter(|w| *w > 0.0)
    else {
        return (Some(v), scale);
    };
    let ratio = v / written;
    for f in [1_000u32, 1_000_000, 1_000_000_000] {
        let ff = f64::from(f);
        if (ratio - ff).abs() <= ff * 1e-9
            && let Some(s) = scale.checked_mul(f)
        {
            return (Some(written), s);
        }
    }
    (Some(v), scale)
}

/// A currency named in text ("у хиљадама РСД", "динара", "€").
pub(super) fn currency_in(ctx: &Ctx, text: &str) -> Option<String> {
    let lx = lexicon(ctx);
    lx.currency
        .first_in(&folded(ctx, text))
        .and_then(|i| lx.currency_codes.get(i))
        .cloned()
}

/// A short cell that says "total" ("УКУПНО:", "Gjithsej").
pub(super) fn is_total(ctx: &Ctx, text: &str) -> bool {
    // Each token holding a letter or digit keeps a word through folding: a
    // cell of more than three is told without folding it.
    if text
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .nth(3)
        .is_some()
    {
        return false;
    }
    is_total_key(ctx, &folded(ctx, text))
}

/// [`is_total`] of a text's folding key.
fn is_total_key(ctx: &Ctx, key: &str) -> bool {
    let key = key.trim_matches(|c: char| c == ':' || c == '.' || c.is_whitespace());
    !key.is_empty()
        && key.split(' ').count() <= 3
        && lexicon(ctx).total.iter().any(|p| {
            key.starts_with(p.words.as_str())
                && key[p.words.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// A header that only says "budget" (with its unit or currency in
/// brackets), naming no source.
pub(super) fn generic_money(ctx: &Ctx, text: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let key = folded(ctx, &plain);
    let key = key.trim_matches(|c: char| !c.is_alphanumeric());
    key.split(' ').count() == 1 && any(key, &lexicon(ctx).money_header)
}

/// The element a total row names: "Укупно за меру 1.1", "Gjithsej
/// Objektivi 2".
pub(super) fn total_of(ctx: &Ctx, text: &str) -> Option<Label> {
    // A total pattern opens the key only if the key's first word is the
    // pattern's first word, and the first token of the text folds to the
    // key's first word: a long label is told without folding it whole.
    let head = text.split_whitespace().next()?;
    if head.len() < text.trim().len() {
        let key = folded(ctx, head);
        let lead = key
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if !lexicon(ctx)
            .total
            .iter()
            .any(|p| p.words.split(|c: char| !c.is_alphanumeric()).next() == Some(lead))
        {
            return None;
        }
    }
    total_of_whole(ctx, text)
}

/// [`total_of`] on the whole text's key.
fn total_of_whole(ctx: &Ctx, text: &str) -> Option<Label> {
    let key = folded(ctx, text);
    let pat = lexicon(ctx).total.iter().find(|p| {
        key.starts_with(p.words.as_str())
            && key[p.words.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })?;
    let mut rest = key[pat.words.len()..].trim_start_matches([' ', ':', '-', '.']);
    for w in ["za ", "per ", "for ", "po "] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
        }
    }
    // The element is named in the accusative or genitive after "за".
    let mut named = rest.to_string();
    for (form, base) in [
        ("meru ", "mera "),
        ("mere ", "mera "),
        ("mjeru ", "mjera "),
        ("mjere ", "mjera "),
        ("cilja ", "cilj "),
        ("masen ", "masa "),
        ("objektivin ", "objektivi "),
        ("prioritetin ", "prioriteti "),
    ] {
        if let Some(r) = rest.strip_prefix(form) {
            named = format!("{base}{r}");
        }
    }
    // Folding lowercased a roman number ("Ukupno Prioritetna oblast I").
    if let Some((head, last)) = named.trim_end().rsplit_once(' ')
        && !last.is_empty()
        && last.len() <= 5
        && last.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
    {
        named = format!("{head} {}", last.to_uppercase());
    }
    labels::read(&named, false, ctx.labels())
}

// Year headers ("2026.", "Godina 2025") are recognised with the other
// years in `normalize::dates`.
pub(super) use crate::normalize::dates::{outside_brackets, year_header};

/// A money header that names a year ("Budžet 2025", "Sredstva za 2026.
/// (RSD)"): the amounts of that year.
pub(super) fn money_year(ctx: &Ctx, text: &str) -> Option<i32> {
    let plain = outside_brackets(text);
    let plain = plain.trim().trim_end_matches(['.', '*', ' ']);
    let (head, last) = plain.rsplit_once(' ')?;
    let y = year_header(ctx.norm(), last)?;
    let key = folded(ctx, head);
    (key.split(' ').count() <= 4
        && any(&key, &lexicon(ctx).money_header)
        && !any(&key, &lexicon(ctx).not_money))
    .then_some(y)
}

/// The numbers of texts, read once each through the context's memo: a
/// table is looked at several times (header or data, budget or loose) and
/// many cells repeat ("0").
pub(super) struct Memo<'c, 'a> {
    pub(super) ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Memo<'c, 'a> {
    pub(super) fn new(ctx: &'c Ctx<'a>) -> Memo<'c, 'a> {
        Memo { ctx }
    }

    pub(super) fn all(&self, text: &str) -> Rc<Vec<Number>> {
        self.ctx.numbers_of(text)
    }

    /// Numbers of a cell that can be money: plain numbers and amounts, not
    /// percentages, years, dates or ranges.
    pub(super) fn amounts(&self, text: &str) -> Vec<Number> {
        self.all(text)
            .iter()
            .filter(|n| {
                n.value.is_some()
                    && matches!(
                        n.kind,
                        Kind::Integer | Kind::Decimal | Kind::Money | Kind::Count
                    )
            })
            .cloned()
            .collect()
    }

    /// Whether a cell holds a percentage (then it is a share, not money).
    pub(super) fn has_percent(&self, text: &str) -> bool {
        self.all(text).iter().any(|n| n.kind == Kind::Percent)
    }
}

/// A header cell that announces money ("Iznos (din.)", "Budžet (€)",
/// "Планирана средства по годинама (у хиљадама)").
pub(super) fn announces_money(ctx: &Ctx, text: &str) -> bool {
    let key = folded(ctx, text);
    key.split(' ').count() <= 15
        && any(&key, &lexicon(ctx).money_header)
        && !any(&key, &lexicon(ctx).not_money)
}

/// An amount that is a rate ("100 € po detetu", "50 €/muaj"): a price per
/// unit inside a text, not what an activity costs.
pub(super) fn is_rate(ctx: &Ctx, text: &str, n: &Number) -> bool {
    let after = text.get(n.end.min(text.len())..).unwrap_or("").trim_start();
    if after.starts_with('/') {
        return true;
    }
    let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    !word.is_empty() && any(&folded(ctx, &word), &lexicon(ctx).rate)
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_ctx;
    use super::*;

    /// Lines of the bundled plans and their opening words: the texts the
    /// money tests meet.
    fn corpus_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let words: Vec<&str> = line.split_whitespace().collect();
                for n in 1..=words.len().min(6) {
                    out.push(words[..n].join(" "));
                }
                out.push(line.to_string());
            }
        }
        out
    }

    #[test]
    fn one_automaton_per_kind_finds_what_each_pattern_finds() {
        let norm = crate::vocab::test_vocab().norm();
        let v = crate::vocab::Vocab::embedded();
        let lx = v.money();
        let texts = corpus_texts();
        assert!(texts.len() > 1000, "the corpus lines are read");
        let kinds = [
            &lx.currency,
            &lx.total,
            &lx.source_header,
            &lx.money_header,
            &lx.funding,
            &lx.not_money,
            &lx.not_budget,
            &lx.rate,
            &lx.total_words,
        ];
        let mut found = 0;
        for t in &texts {
            let key = norm.key(t);
            for kind in kinds {
                let each = kind.iter().position(|p| has(&key, p));
                assert_eq!(kind.first_in(&key), each, "{key:?}");
                found += usize::from(each.is_some());
            }
        }
        assert!(found > 100, "the test meets matches ({found})");
    }

    #[test]
    fn totals_are_told_alike_with_and_without_the_word_count() {
        with_ctx(|ctx| {
            let slow = |text: &str| is_total_key(ctx, &folded(ctx, text));
            let mut totals = 0;
            for t in corpus_texts() {
                assert_eq!(is_total(ctx, &t), slow(&t), "{t:?}");
                totals += usize::from(slow(&t));
            }
            assert!(totals > 0);
        });
    }

    #[test]
    fn total_elements_are_read_alike_from_the_first_word_and_the_whole() {
        let mut named = 0;
        let written = [
            "Укупно за меру 1.1",
            "Gjithsej Objektivi 2",
            "Ukupno Prioritetna oblast I",
            "UKUPNO:",
            "  Ukupno za cilj 3 ",
        ];
        let texts = written.iter().map(|t| t.to_string()).chain(corpus_texts());
        with_ctx(|ctx| {
            for t in texts {
                let whole = total_of_whole(ctx, &t);
                assert_eq!(total_of(ctx, &t), whole, "{t:?}");
                named += usize::from(whole.is_some());
            }
        });
        assert!(named > 0);
    }
}
