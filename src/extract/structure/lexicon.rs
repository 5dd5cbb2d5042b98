//! The words the structure pass recognizes, loaded from `mappings/`:
//! matrix column headers (`headers.tsv`), indicator-table headers
//! (`indicator_headers.tsv`), goal labels (`objective_labels.tsv`) and
//! activity labels (`activity_labels.tsv`).
//!
//! Everything is compared on a "tight" key: folded (case, script,
//! diacritics) with spaces and punctuation removed, so words broken by an
//! export (`UPRAVLJAČ KA INSTITUCIJA`) match their whole form.

use crate::config::{IndicatorHeader, Lexicons, ObjectiveLabel};
use crate::extract::record::{ObjectiveKind, ValueKind};
use crate::normalize::Norm;

/// What a matrix column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Priority,
    Goal,
    Activity,
    Code,
    /// A number column headed as measure numbers ("Број мере"): the rows
    /// it numbers are measures, not activities.
    MeasureCode,
    /// Per-year money columns, left to the budget pass.
    Amounts,
    /// A totals label ("Ukupno"): a row so labelled is a sum, not an
    /// activity.
    Total,
    /// An activity field by canonical name.
    Field(String),
    /// A field of the enclosing goal or measure, stated as "Label: value"
    /// or heading a column of the measure's own table.
    Stated(String),
}

/// What an indicator-table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndRole {
    Name,
    Unit,
    Source,
    Value(ValueKind),
    /// A column the lexicon does not know (kept in `tables`, reported).
    Other,
}

pub struct Lexicon {
    headers: Vec<(String, Role)>,
    /// The same entries as words, for headers that abbreviate or inflect
    /// them (see [`Lexicon::header_role_words`]).
    header_words: Phrases<Role>,
    /// Indicator name and value-kind entries as words, likewise.
    ind_words: Phrases<IndRole>,
    /// Indexes into `headers` by first byte, ascending: every header cell of
    /// every table is tested, and only entries with its first byte can be a
    /// prefix of it (entries are never empty).
    headers_by_first: Vec<Vec<usize>>,
    ind_names: Vec<String>,
    ind_other: Vec<(String, IndRole)>,
    /// Value kinds in match order (baseline, actual, target).
    kinds: Vec<(String, ValueKind)>,
    /// One automaton over the kind entries (pattern ids are their indexes):
    /// every cell of every indicator header is searched for all of them.
    kinds_ac: Option<aho_corasick::AhoCorasick>,
    labels: Vec<(String, ObjectiveKind)>,
    /// Activity labels, longest first, as folded keys (the unit value
    /// lets them share the goal labels' prefix matcher).
    activity_labels: Vec<(String, ())>,
    /// The stems of the goal labels' last words (`cil` of `cilj`, `mer` of
    /// `mera`), for labels inflected in a sentence ("za Meru 1.1").
    label_stems: Vec<String>,
    /// Words that may stand beside a year in a kind-less value header.
    year_words: Vec<String>,
}

/// Folded key without spaces and punctuation.
pub fn tight(norm: &Norm, s: &str) -> String {
    tight_of_key(&norm.key(s))
}

/// [`tight`] of a text whose [`fold::key`](crate::normalize::fold::key) is known.
pub fn tight_of_key(key: &str) -> String {
    ekavian(key)
        .chars()
        .filter(|&c| crate::normalize::script::is_letter_or_digit(c))
        .collect()
}

/// A folded key with the ijekavian reflex of jat written as the ekavian
/// one (`mjera` → `mera`, `vrijednost` → `vrednost`, `djeca` → `deca`), so
/// one lexicon serves both Serbian spellings (and Montenegrin, Bosnian).
/// Applied alike to the lexicon and to the text it is compared with, so a
/// word it changes by accident (`projekat`) still meets itself. `lje`,
/// `nje` (the letters lj, nj) and a word-initial `je` are left alone.
pub fn ekavian(key: &str) -> std::borrow::Cow<'_, str> {
    // Folded keys are Latin: the letters concerned are ASCII, so bytes
    // serve (other bytes are copied whole).
    let b = key.as_bytes();
    let consonant =
        |c: u8| c.is_ascii_lowercase() && !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    // Every reflex holds a `je`: most keys have none, and memmem finds that
    // without looking at each byte. `ije` is a `je` after an `i`.
    let reflex =
        memchr::memmem::find_iter(b, b"je").any(|p| match p.checked_sub(1).map(|q| b[q]) {
            Some(b'i') => p >= 2 && consonant(b[p - 2]),
            Some(c) => consonant(c) && c != b'l' && c != b'n',
            None => false,
        });
    if !reflex {
        return std::borrow::Cow::Borrowed(key);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let prev = i.checked_sub(1).map(|p| b[p]);
        if prev.is_some_and(consonant) && b[i..].starts_with(b"ije") {
            out.push(b'e');
            i += 3;
        } else if prev.is_some_and(|p| consonant(p) && p != b'l' && p != b'n')
            && b[i..].starts_with(b"je")
        {
            out.push(b'e');
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    // Only ASCII letters were replaced by ASCII, so the bytes stay UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| key.to_string()))
}

/// The most words a header phrase is read from.
const MAX_HEADER_WORDS: usize = 8;

/// Whether `key` has more than `n` words as [`key_words`] splits them (the
/// ekavian fold joins no words, so it need not run first).
fn more_words_than(key: &str, n: usize) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for c in key.chars() {
        let letter = crate::normalize::script::is_letter_or_digit(c);
        if letter && !in_word {
            words += 1;
            if words > n {
                return true;
            }
        }
        in_word = letter;
    }
    false
}

/// Whether a text, before folding, certainly has more words than a header
/// phrase is read from: each whitespace-separated token holding a letter
/// or digit keeps at least one word through [`fold::key`](crate::normalize::fold::key), so a cell is
/// told to be no header without folding it.
pub fn too_many_words_for_header(text: &str) -> bool {
    text.split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .nth(MAX_HEADER_WORDS)
        .is_some()
}

/// The words of a folded key, each with whether an abbreviation point
/// followed it (`jed. mere` → `jed`✓, `mere`).
fn key_words(key: &str) -> Vec<(String, bool)> {
    let key = ekavian(key);
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    for c in key.chars() {
        if crate::normalize::script::is_letter_or_digit(c) {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push((std::mem::take(&mut cur), c == '.'));
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, false));
    }
    out
}

/// Whether a header word stands for a lexicon word: the same word, another
/// inflection of it (a long shared beginning: `realizacije` / `realizacija`,
/// `partneret` / `partneri`), or its pointed abbreviation (`jed.` for
/// `jedinica`). Letters picked from inside a word (`nr` for `numri`) are
/// not trusted: `br` would as well stand for `burimi`; a column so headed
/// is recognized by its cells instead.
fn word_matches(h: &str, abbr: bool, e: &str) -> bool {
    if h == e {
        return true;
    }
    let (hn, en) = (h.chars().count(), e.chars().count());
    // A short word in another case ending (`mere`, `meru` for `mera`).
    if hn == en && hn >= 4 && h.chars().zip(e.chars()).take_while(|(a, b)| a == b).count() + 1 == hn
    {
        return true;
    }
    if hn >= 4 && en >= 4 {
        let common = h.chars().zip(e.chars()).take_while(|(a, b)| a == b).count();
        if common >= 4 && common + 2 >= hn.min(en) {
            return true;
        }
    }
    // A pointed abbreviation of two letters or more.
    if abbr && (2..=4).contains(&hn) && hn < en && e.starts_with(h) {
        return true;
    }
    false
}

/// How many words of `entry` the opening words of `header` stand for, when
/// they stand for all of them (see [`word_matches`]); a short word may also
/// stand for the initials of several entry words (`rb` for `redni broj`).
fn phrase_matches(header: &[(String, bool)], entry: &[String]) -> bool {
    let (mut h, mut e) = (0, 0);
    while e < entry.len() {
        let Some((w, abbr)) = header.get(h) else {
            return false;
        };
        let n = w.chars().count();
        if word_matches(w, *abbr, &entry[e]) {
            e += 1;
        } else if (2..=3).contains(&n)
            && e + n <= entry.len()
            && w.chars()
                .zip(&entry[e..e + n])
                .all(|(c, x)| x.starts_with(c))
        {
            e += n;
        } else {
            return false;
        }
        h += 1;
    }
    true
}

/// Lexicon entries as words, indexed by the first letter of their first
/// word: a header word stands for an entry word only when both begin alike
/// (see [`word_matches`]), so only those entries are tried.
struct Phrases<R> {
    entries: Vec<(Vec<String>, R)>,
    by_first: std::collections::HashMap<char, Vec<usize>>,
}

impl<R> Default for Phrases<R> {
    fn default() -> Self {
        Phrases {
            entries: Vec::new(),
            by_first: std::collections::HashMap::new(),
        }
    }
}

impl<R: Clone + TotalLike> Phrases<R> {
    fn add(&mut self, words: Vec<String>, role: R) {
        let Some(c) = words.first().and_then(|w| w.chars().next()) else {
            return;
        };
        self.by_first.entry(c).or_default().push(self.entries.len());
        self.entries.push((words, role));
    }

    /// The entry a header's words stand for: the longest one its opening
    /// words stand for; else, in a short header (four words at most: "Opis
    /// aktivnosti", "Institucioni bartës"), the one standing earliest, then
    /// longest (the last of equals, as the prefix match has it). A totals
    /// word opening the header yields to a later entry ("Ukupan budžet"
    /// heads a budget).
    fn best(&self, words: &[(String, bool)]) -> Option<R> {
        let at = |s: usize| {
            let first = words[s].0.chars().next()?;
            self.by_first
                .get(&first)?
                .iter()
                .map(|&i| &self.entries[i])
                .filter(|(e, _)| phrase_matches(&words[s..], e))
                .max_by_key(|(e, _)| e.len())
                .map(|(_, r)| r.clone())
        };
        // Headers are a few words; a longer text is data, not tried.
        if words.is_empty() || words.len() > MAX_HEADER_WORDS {
            return None;
        }
        let first = at(0);
        if first.as_ref().is_some_and(|r| !r.is_total()) || words.len() > 4 {
            return first;
        }
        (1..words.len()).find_map(at).or(first)
    }
}

/// Roles that merely say "total".
trait TotalLike {
    fn is_total(&self) -> bool;
}

impl TotalLike for Role {
    fn is_total(&self) -> bool {
        *self == Role::Total
    }
}

impl TotalLike for IndRole {
    fn is_total(&self) -> bool {
        false
    }
}

fn kind_of(k: ObjectiveLabel) -> ObjectiveKind {
    match k {
        ObjectiveLabel::GeneralGoal => ObjectiveKind::GeneralGoal,
        ObjectiveLabel::Priority => ObjectiveKind::Priority,
        ObjectiveLabel::SpecificGoal => ObjectiveKind::SpecificGoal,
        ObjectiveLabel::Objective => ObjectiveKind::Objective,
        ObjectiveLabel::Measure => ObjectiveKind::Measure,
    }
}

/// The activity fields a header column may fill (`headers.tsv` roles).
pub(crate) const FIELDS: &[&str] = &[
    "lead",
    "support",
    "participants",
    "partners",
    "budget",
    "finance_source",
    "budget_link",
    "timeline",
    "deadline",
    "implementer",
    "result",
    "indicator",
];

impl Lexicon {
    /// Builds the lexicon from checked rows (see [`crate::config`]).
    pub fn load(m: &Lexicons, norm: &Norm) -> Lexicon {
        let mut lx = Lexicon {
            headers: Vec::new(),
            header_words: Phrases::default(),
            ind_words: Phrases::default(),
            headers_by_first: Vec::new(),
            ind_names: Vec::new(),
            ind_other: Vec::new(),
            kinds: Vec::new(),
            kinds_ac: None,
            labels: Vec::new(),
            activity_labels: Vec::new(),
            label_stems: Vec::new(),
            year_words: Vec::new(),
        };
        for r in m.headers.iter().map(|r| &r.row) {
            let role = match r.role.as_str() {
                "priority" => Some(Role::Priority),
                "goal" => Some(Role::Goal),
                "activity" => Some(Role::Activity),
                "code" => Some(Role::Code),
                "measure_code" => Some(Role::MeasureCode),
                "amounts" => Some(Role::Amounts),
                "total" => Some(Role::Total),
                f if FIELDS.contains(&f) => Some(Role::Field(f.to_string())),
                f if f.starts_with("stated_") && f.len() > 7 => {
                    Some(Role::Stated(f["stated_".len()..].to_string()))
                }
                _ => None,
            };
            let key = tight(norm, &r.header);
            // Loading refused unknown roles; a header of punctuation alone
            // has no key and matches nothing.
            if let Some(role) = role.filter(|_| !key.is_empty()) {
                let words = key_words(&norm.key(&r.header));
                lx.header_words
                    .add(words.into_iter().map(|w| w.0).collect(), role.clone());
                lx.headers.push((key, role));
            }
        }
        let mut kinds: Vec<(u8, String, ValueKind)> = Vec::new();
        for r in m.indicator_headers.iter().map(|r| &r.row) {
            let key = tight(norm, &r.header);
            if key.is_empty() {
                continue;
            }
            let words: Vec<String> = key_words(&norm.key(&r.header))
                .into_iter()
                .map(|w| w.0)
                .collect();
            use IndicatorHeader as H;
            let ind_role = match r.role {
                H::Name => Some(IndRole::Name),
                H::Unit => Some(IndRole::Unit),
                H::Source => Some(IndRole::Source),
                H::Baseline => Some(IndRole::Value(ValueKind::Baseline)),
                H::Actual => Some(IndRole::Value(ValueKind::Actual)),
                H::Target => Some(IndRole::Value(ValueKind::Target)),
                H::YearWord => None,
            };
            if let Some(role) = ind_role {
                lx.ind_words.add(words, role);
            }
            match r.role {
                H::Name => lx.ind_names.push(key),
                H::Unit => lx.ind_other.push((key, IndRole::Unit)),
                H::Source => lx.ind_other.push((key, IndRole::Source)),
                H::Baseline => kinds.push((0, key, ValueKind::Baseline)),
                H::Actual => kinds.push((1, key, ValueKind::Actual)),
                H::Target => kinds.push((2, key, ValueKind::Target)),
                H::YearWord => lx.year_words.push(key),
            }
        }
        kinds.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
        lx.kinds = kinds.into_iter().map(|(_, k, v)| (k, v)).collect();
        lx.kinds_ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(lx.kinds.iter().map(|(k, _)| k.as_bytes()))
            .ok();
        for r in m.objective_labels.iter().map(|r| &r.row) {
            let key = ekavian(&norm.key(&r.label)).into_owned();
            if !key.is_empty() {
                lx.labels.push((key, kind_of(r.kind)));
            }
        }
        for (key, _) in &lx.labels {
            if let Some(last) = key
                .split(|c: char| !c.is_alphanumeric())
                .rfind(|w| !w.is_empty())
            {
                let n = last.chars().count();
                let stem: String = last.chars().take((n.saturating_sub(2)).max(3)).collect();
                if stem.chars().count() >= 3 && !lx.label_stems.contains(&stem) {
                    lx.label_stems.push(stem);
                }
            }
        }
        // Longest label first so "Посебан циљ" wins over "Циљ".
        lx.labels.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        for r in m.activity_labels.iter().map(|r| &r.row) {
            let key = ekavian(&norm.key(&r.label)).into_owned();
            if !key.is_empty() {
                lx.activity_labels.push((key, ()));
            }
        }
        lx.activity_labels
            .sort_by_key(|b| std::cmp::Reverse(b.0.len()));
        lx.headers_by_first = vec![Vec::new(); 256];
        for (i, (p, _)) in lx.headers.iter().enumerate() {
            if let Some(&b) = p.as_bytes().first() {
                lx.headers_by_first[usize::from(b)].push(i);
            }
        }
        lx
    }

    /// The role of a matrix header cell: the longest entry the cell starts
    /// with.
    pub fn header_role(&self, norm: &Norm, cell: &str) -> Option<Role> {
        self.header_role_key(&tight(norm, cell))
    }

    /// [`Lexicon::header_role`] of a cell's [`tight`] key.
    pub fn header_role_key(&self, k: &str) -> Option<Role> {
        if k.is_empty() {
            return None;
        }
        // Same order as a scan of `headers`, so ties between equally long
        // entries resolve as before (the last one).
        let first = usize::from(*k.as_bytes().first()?);
        self.headers_by_first
            .get(first)?
            .iter()
            .filter_map(|&i| self.headers.get(i))
            .filter(|(p, _)| k.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, r)| r.clone())
    }

    /// Whether an entry may open the [`tight`] key of `text` as written,
    /// told from its first token alone: an entry opening the key either
    /// lies within the first token's key or continues it. A cheap
    /// necessary test before a long cell's opening is folded.
    pub fn may_open_header(&self, norm: &Norm, text: &str) -> bool {
        let Some(w) = text.split_whitespace().next() else {
            return false;
        };
        let t = tight(norm, w);
        // A token without letters or digits leaves the key to the next.
        let Some(&first) = t.as_bytes().first() else {
            return true;
        };
        self.headers_by_first
            .get(usize::from(first))
            .is_some_and(|ix| {
                ix.iter()
                    .filter_map(|&i| self.headers.get(i))
                    .any(|(e, _)| e.starts_with(t.as_str()) || t.starts_with(e.as_str()))
            })
    }

    /// The role of a header cell that no entry opens as written: an entry
    /// whose words its opening words abbreviate or inflect ("Ред. бр.",
    /// "Jed. mere", "Rb.", "Odgovorni" for "Odgovorna institucija" is not
    /// enough: every entry word must be stood for). The entry with the most
    /// words wins. Only short cells are tried: headers are short.
    pub fn header_role_words(&self, norm: &Norm, cell: &str) -> Option<Role> {
        if cell.len() > 160 {
            return None;
        }
        self.header_role_words_key(&norm.key(cell))
    }

    /// [`Lexicon::header_role_words`] of a cell's [`fold::key`](crate::normalize::fold::key).
    pub fn header_role_words_key(&self, key: &str) -> Option<Role> {
        // Headers are a few words (see `Phrases::best`): a longer cell is
        // told without splitting and copying its words.
        if more_words_than(key, MAX_HEADER_WORDS) {
            return None;
        }
        let words = key_words(key);
        // A numbered line ("3. Циљеви и мере", a heading or a contents
        // entry) is no column header.
        if words
            .first()
            .is_some_and(|(w, _)| w.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        self.header_words.best(&words)
    }

    /// [`Lexicon::header_role_words`] for indicator headers: the name
    /// column, or a unit, source or value column.
    pub fn indicator_role_words(&self, norm: &Norm, cell: &str) -> Option<IndRole> {
        if cell.len() > 120 {
            return None;
        }
        let key = norm.key(cell);
        if more_words_than(&key, MAX_HEADER_WORDS) {
            return None;
        }
        self.ind_words.best(&key_words(&key))
    }

    pub fn is_indicator_name_key(&self, k: &str) -> bool {
        !k.is_empty() && self.ind_names.iter().any(|p| k.starts_with(p.as_str()))
    }

    /// The role of an indicator-table header cell after the name column.
    pub fn indicator_role(&self, norm: &Norm, cell: &str) -> Option<IndRole> {
        self.indicator_role_key(&tight(norm, cell))
    }

    pub fn indicator_role_key(&self, k: &str) -> Option<IndRole> {
        if k.is_empty() {
            return None;
        }
        if let Some((_, r)) = self
            .ind_other
            .iter()
            .filter(|(p, _)| k.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
        {
            return Some(*r);
        }
        // The kind word that comes first in the header decides ("Ciljno
        // stanje" is a target although "stanje" alone is a baseline); at one
        // place the longest entry, then the entry order.
        // Every occurrence of every entry: the least (place, longest,
        // order) is the same as over each entry's first occurrence.
        let first = match &self.kinds_ac {
            Some(ac) => ac
                .find_overlapping_iter(k)
                .map(|m| {
                    let i = m.pattern().as_usize();
                    (m.start(), std::cmp::Reverse(m.len()), i)
                })
                .min(),
            None => self
                .kinds
                .iter()
                .enumerate()
                .filter_map(|(i, (p, _))| {
                    k.find(p.as_str())
                        .map(|at| (at, std::cmp::Reverse(p.len()), i))
                })
                .min(),
        };
        first.and_then(|(_, _, i)| self.kinds.get(i).map(|(_, v)| IndRole::Value(*v)))
    }

    /// The year of a value header that is a year and nothing else ("2024",
    /// "2025. godina"): no kind word, no other words.
    pub fn bare_year_header(&self, norm: &Norm, cell: &str) -> Option<i32> {
        let years = super::fields::years(cell);
        let [y] = years[..] else { return None };
        let words_ok = norm
            .key(cell)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
            .all(|w| self.year_words.iter().any(|y| y == w));
        words_ok.then_some(y)
    }

    /// Whether a folded word is a goal label's word in some case ending
    /// ("meru", "oblast", "pravca").
    pub fn is_label_stem(&self, word: &str) -> bool {
        self.label_stems
            .iter()
            .any(|s| word.starts_with(s.as_str()))
    }

    /// Goal labels, longest first, as folded keys.
    pub fn labels(&self) -> &[(String, ObjectiveKind)] {
        &self.labels
    }

    pub fn activity_labels(&self) -> &[(String, ())] {
        &self.activity_labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_token_test_never_refuses_a_header_known_as_written() {
        let v = crate::vocab::Vocab::embedded();
        let lx = v.structure();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut texts: Vec<String> = lx.headers.iter().map(|(e, _)| e.clone()).collect();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            for line in text.lines() {
                // Cells of the text exports are separated by tabs or bars.
                texts.extend(line.split(['\t', '|']).map(str::to_string));
            }
        }
        let mut known = 0;
        for t in &texts {
            let full = lx.header_role_key(&tight(v.norm(), t)).is_some();
            assert!(!full || lx.may_open_header(v.norm(), t), "{t:?}");
            known += usize::from(full);
        }
        assert!(known > 20, "headers met: {known}");
        assert!(!lx.may_open_header(v.norm(), "Obezbeđivanje redovnog prevoza dece"));
    }

    /// The `je` search decides as the byte windows it replaced, on every
    /// folded word of the corpus and on the edge cases.
    #[test]
    fn reflex_search_equals_the_windows() {
        let v = crate::vocab::Vocab::embedded();
        let norm = v.norm();
        let windows = |b: &[u8]| {
            let consonant =
                |c: u8| c.is_ascii_lowercase() && !matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
            b.windows(4).any(|w| consonant(w[0]) && &w[1..] == b"ije")
                || b.windows(3)
                    .any(|w| consonant(w[0]) && w[0] != b'l' && w[0] != b'n' && &w[1..] == b"je")
        };
        let mut keys: Vec<String> = ["je", "ije", "nje", "lje", "nije", "mjera", "bije", "aije"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            keys.extend(text.lines().map(|l| norm.key(l)));
        }
        let mut changed = 0;
        for k in &keys {
            let now = matches!(ekavian(k), std::borrow::Cow::Owned(_));
            assert_eq!(now, windows(k.as_bytes()), "{k:?}");
            changed += usize::from(now);
        }
        assert!(changed > 10, "reflexes met: {changed}");
    }

    #[test]
    fn both_spellings_and_abbreviations() {
        assert_eq!(ekavian("mjera"), "mera");
        assert_eq!(ekavian("pocetna vrijednost"), "pocetna vrednost");
        assert_eq!(ekavian("djeca i njega"), "deca i njega");
        assert_eq!(ekavian("je bolje"), "je bolje");
        let v = crate::vocab::Vocab::embedded();
        let lx = v.structure();
        assert_eq!(lx.header_role_words(v.norm(), "Ред. бр."), Some(Role::Code));
        for t in ["Uključeni akteri", "Актери", "Aktorët e përfshirë"] {
            let want = Some(Role::Field("participants".into()));
            assert_eq!(lx.header_role_words(v.norm(), t), want, "{t}");
        }
        assert_eq!(
            lx.header_role_words(v.norm(), "Opis aktivnosti"),
            Some(Role::Activity)
        );
        assert_eq!(
            lx.header_role_words(v.norm(), "Odgovorna"),
            Some(Role::Field("lead".into()))
        );
        assert_eq!(
            lx.header_role_words(v.norm(), "Ukupan budžet"),
            Some(Role::Field("budget".into()))
        );
        // Letters from inside a word are no abbreviation: "Br." is not
        // "Burimi".
        assert_eq!(lx.header_role_words(v.norm(), "Br."), None);
        assert_eq!(lx.header_role_words(v.norm(), "3. Циљеви и мере"), None);
        assert_eq!(
            lx.indicator_role_words(v.norm(), "Jed. mjere"),
            Some(IndRole::Unit)
        );
    }

    #[test]
    fn embedded_mappings_are_valid() {
        assert!(Lexicons::load(&crate::mappings::Mappings::embedded()).is_ok());
        let v = crate::vocab::Vocab::embedded();
        let lx = v.structure();
        let lead = Some(Role::Field("lead".into()));
        assert_eq!(lx.header_role(v.norm(), "UPRAVLJAČ KA INSTITUCIJA"), lead);
        assert_eq!(lx.header_role(v.norm(), "INSTITUCIO NI DREJTUES"), lead);
        assert_eq!(
            lx.header_role(v.norm(), "IMPLEMENTE R"),
            Some(Role::Field("implementer".into()))
        );
        assert_eq!(
            lx.header_role(v.norm(), "Назива ктивности"),
            Some(Role::Activity)
        );
        assert_eq!(
            lx.header_role(v.norm(), "Мера/активност"),
            Some(Role::Activity)
        );
        let kind = |h: &str| lx.indicator_role(v.norm(), h);
        assert_eq!(
            kind("Aktuelni podaci 2023"),
            Some(IndRole::Value(ValueKind::Baseline))
        );
        assert_eq!(
            kind("RRezultati i Aktual -2024"),
            Some(IndRole::Value(ValueKind::Actual))
        );
        assert_eq!(
            kind("Ciljani Rezultat i -2024"),
            Some(IndRole::Value(ValueKind::Target))
        );
        assert_eq!(
            kind("Почетна вредност у 2025."),
            Some(IndRole::Value(ValueKind::Baseline))
        );
        assert_eq!(
            kind("Arritur 2025"),
            Some(IndRole::Value(ValueKind::Actual))
        );
        assert_eq!(lx.bare_year_header(v.norm(), "2025."), Some(2025));
        assert_eq!(lx.bare_year_header(v.norm(), "2025. godina"), Some(2025));
        assert_eq!(lx.bare_year_header(v.norm(), "Viti 2024"), Some(2024));
        assert_eq!(lx.bare_year_header(v.norm(), "Broj 2024"), None);
        assert_eq!(lx.bare_year_header(v.norm(), "2024-2025"), None);
    }
}
