//! Plan labels: which element a label cell or paragraph names, and its
//! number and words.
//!
//! - [`objective`], [`activity`]: split a goal or activity cell into its
//!   number and its words: "Cilj 1.1: Sprovođenje…" → (objective, `1.1`,
//!   "Sprovođenje…"), "I PRIORITET: …" → (priority, `I`, …), "Akt 1.1.1
//!   Pružanje…" → (`1.1.1`, "Pružanje…"); the structure pass reads cells
//!   with these.
//! - [`read`]: the one answer for the passes after the structure — "ПОСЕБАН
//!   ЦИЉ 1", "Мера 1.1.:", "МЕРА1.1:", "Cilj 1.2:", "PRIORITETI I", "Akt
//!   1.1.1", or a bare number opening a label cell ("1.1.1 Запошљавање…",
//!   "2. Побољшање…") → [`Label`] (kind and code), built on the two above so
//!   every pass agrees on what a label is.
//!
//! The words are the structure lexicon's (`objective_labels.tsv`,
//! `activity_labels.tsv`).

use crate::extract::memo::Memo;
use crate::extract::record::ObjectiveKind;
use crate::extract::structure::lexicon::{self, Lexicon};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A goal label found at the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalLabel {
    pub kind: ObjectiveKind,
    pub code: Option<String>,
    /// The words after the label and number.
    pub text: String,
}

fn re_lead() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:(\d{1,2}(?:\.\d{1,2})*)\.?|([IVX]{1,5}|[ИВХ]{1,5}))[ \t]+")
            .expect("static regex")
    })
}

fn re_trail() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^[ \t]*(?:(\d{1,2}(?:\.\d{1,2})*)\.?|([IVX]{1,5})\b|([ИВХ]{1,5})(?:$|[ \t]*[:.]))",
        )
        .expect("static regex")
    })
}

fn re_act_code() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^[ \t]*(\d{1,2}(?:\.\d{1,2})*)\.?").expect("static regex"))
}

fn re_bare_act() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+\S").expect("static regex"))
}

/// What label reading needs, built once from the structure lexicon.
#[derive(Debug, Default)]
pub struct Words {
    /// The first words of every label, folded: a text opening with anything
    /// else (and not with a number) is no label, which spares running text
    /// the full reading.
    first: HashSet<String>,
    /// The most words of a goal label and of an activity label.
    max_words: [usize; 2],
}

impl Words {
    pub fn new(lx: &Lexicon) -> Words {
        let first = lx
            .labels()
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(lx.activity_labels().iter().map(|(k, ())| k.as_str()))
            .filter_map(|k| k.split(|c: char| !c.is_alphanumeric()).next())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Words {
            first,
            max_words: [max_words(lx.labels()), max_words(lx.activity_labels())],
        }
    }
}

/// The label matches of one document, by the bytes read (one memo per
/// label list): goal and activity cells are tested by several passes, and
/// the same openings ("Aktivnost 1.1", "Cilj 2:") recur.
pub struct Seen([Memo<Option<(usize, usize)>>; 2]);

impl Default for Seen {
    fn default() -> Seen {
        // Keys are short, but a long document must not grow it without end.
        const CAP: usize = 50_000;
        Seen([Memo::new(CAP), Memo::new(CAP)])
    }
}

/// A label reader: the lexicon's label lists, their [`Words`], and the
/// document's [`Seen`] matches (see `Ctx::labels`).
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    /// Normalization's tables: labels are matched on fold keys.
    pub norm: &'a crate::normalize::Norm,
    pub lx: &'a Lexicon,
    pub words: &'a Words,
    pub seen: &'a Seen,
}

/// Which label list of the lexicon a match reads.
#[derive(Clone, Copy)]
enum List {
    Goals = 0,
    Activities = 1,
}

/// The longest label of `list` that `t` opens with, and the rest of `t`.
fn match_prefix<'t, T: Copy>(
    t: &'t str,
    labels: &[(String, T)],
    list: List,
    r: Reader<'_>,
) -> Option<(T, &'t str)> {
    match_index(t, labels, list, r).map(|(k, i)| (labels[k].1, &t[i..]))
}

/// Bytes of `t` the matcher reads: every label ends within the first 48.
const LABEL_BYTES: usize = 48;

/// [`match_prefix`] as the index of the label and the end of the match,
/// through the document's memo keyed by the bytes read.
fn match_index<T>(
    t: &str,
    labels: &[(String, T)],
    list: List,
    r: Reader<'_>,
) -> Option<(usize, usize)> {
    // The chars starting at or before byte 48; the key's length tells
    // whether `t` was longer.
    let end = t
        .char_indices()
        .find(|&(i, _)| i > LABEL_BYTES)
        .map_or(t.len(), |(i, _)| i);
    let which = list as usize;
    r.seen.0[which].get_or(&t[..end], |read| {
        match_scan_words(r.norm, read, labels, r.words.max_words[which])
    })
}

/// The most words of a label in `labels`.
fn max_words<T>(labels: &[(String, T)]) -> usize {
    labels
        .iter()
        .map(|(l, _)| {
            l.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// The matcher itself: the fold key of every prefix of `t` that ends a
/// word, within the first 48 bytes, looked up among the labels.
#[cfg(test)]
fn match_scan<T>(
    norm: &crate::normalize::Norm,
    t: &str,
    labels: &[(String, T)],
) -> Option<(usize, usize)> {
    match_scan_words(norm, t, labels, max_words(labels))
}

/// [`match_scan`] knowing the most words of a label: a label's key has as
/// many words as the prefix it matches, and each token of the prefix
/// holding a letter or digit keeps at least one word through folding, so
/// past the longest label no prefix can match.
fn match_scan_words<T>(
    norm: &crate::normalize::Norm,
    t: &str,
    labels: &[(String, T)],
    max_words: usize,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut prev_letter = false;
    let (mut tokens, mut in_token, mut token_alnum) = (0usize, false, false);
    for (i, c) in t.char_indices() {
        if i > LABEL_BYTES {
            break;
        }
        if c.is_whitespace() {
            if in_token && token_alnum {
                tokens += 1;
            }
            in_token = false;
            token_alnum = false;
        } else {
            in_token = true;
            token_alnum |= crate::normalize::script::is_letter_or_digit(c);
        }
        if tokens > max_words {
            break;
        }
        let boundary = c.is_whitespace() || c == ':' || c == '.' || c.is_ascii_digit();
        if boundary && prev_letter {
            let key = lexicon::ekavian(&norm.key(&t[..i])).into_owned();
            if let Some(k) = labels.iter().position(|(l, _)| *l == key) {
                best = Some((k, i));
            }
        }
        prev_letter = crate::normalize::script::is_letter(c);
    }
    if prev_letter && t.len() <= LABEL_BYTES {
        let key = lexicon::ekavian(&norm.key(t)).into_owned();
        if let Some(k) = labels.iter().position(|(l, _)| *l == key) {
            best = Some((k, t.len()));
        }
    }
    best
}

fn strip_sep(s: &str) -> (&str, bool) {
    let t = s.trim_start();
    let sep = t.starts_with([':', '-', '–', '—']);
    let t = t.trim_start_matches([':', '-', '–', '—', '.', ' ', '\t']);
    (t.trim_start(), sep)
}

/// A Roman numeral as Latin letters: Serbian Latin→Cyrillic conversion
/// turns a lone "I" or "IV" into "И", "ИВ".
fn roman_latin(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            'И' => 'I',
            'В' => 'V',
            'Х' => 'X',
            c => c,
        })
        .collect()
}

/// A goal label at the start of `s` ("Cilj 1.1:", "МЕРА1.1:", "Општи
/// циљ:", "I PRIORITET:", "1. Посебан циљ:"). A label needs a number or a
/// colon, so running text that merely starts with "Cilj" is not one.
pub fn objective(s: &str, r: Reader<'_>) -> Option<GoalLabel> {
    let t = s.trim_start();
    let first = t.chars().next()?;
    if !first.is_alphanumeric() {
        return None;
    }
    let labels = r.lx.labels();
    // A number before the label: "I PRIORITET:", "1. Посебан циљ:".
    if let Some(m) = re_lead().captures(t) {
        let code = m.get(1).or(m.get(2)).map(|c| roman_latin(c.as_str()));
        let rest = &t[m.get(0).map_or(0, |x| x.end())..];
        if let Some((kind, after)) = match_prefix(rest, labels, List::Goals, r) {
            let (text, sep) = strip_sep(after);
            if sep || text.is_empty() {
                return Some(GoalLabel {
                    kind,
                    code,
                    text: text.to_string(),
                });
            }
        }
    }
    let (kind, after) = match_prefix(t, labels, List::Goals, r)?;
    let (code, after) = match re_trail().captures(after) {
        Some(m) => {
            let end = m.get(0).map_or(0, |x| x.end());
            // A Cyrillic look-alike numeral took its colon with it.
            let colon = m.get(3).is_some() && after[..end].ends_with([':', '.']);
            let rest = &after[end..];
            (
                m.get(1)
                    .or(m.get(2))
                    .or(m.get(3))
                    .map(|c| roman_latin(c.as_str())),
                if colon {
                    after[end - 1..].trim_start_matches('.')
                } else {
                    rest
                },
            )
        }
        None => (None, after),
    };
    let (text, sep) = strip_sep(after);
    if code.is_none() && !sep {
        return None;
    }
    Some(GoalLabel {
        kind,
        code,
        text: text.to_string(),
    })
}

/// An activity number at the start of `s`: after an activity label
/// ("Akt 1.1.1 …", "Akt. 1.1.6 …"), or bare ("1.1.1 Запошљавање…") when
/// `bare` allows it (the cell sits in the activity column). Returns the
/// code, whether a label was present, and the words.
pub fn activity(s: &str, r: Reader<'_>, bare: bool) -> Option<(String, bool, String)> {
    let t = s.trim_start();
    if let Some(((), after)) = match_prefix(t, r.lx.activity_labels(), List::Activities, r) {
        let after = after.trim_start_matches(['.', ' ', '\t']);
        if let Some(m) = re_act_code().captures(after)
            && let Some(code) = m.get(1)
        {
            let rest = &after[m.get(0).map_or(0, |x| x.end())..];
            let (text, _) = strip_sep(rest);
            return Some((code.as_str().to_string(), true, text.to_string()));
        }
    }
    if bare
        && let Some(m) = re_bare_act().captures(t)
        && let Some(code) = m.get(1)
    {
        let rest = &t[code.end()..];
        let (text, _) = strip_sep(rest.trim_start_matches('.'));
        return Some((code.as_str().to_string(), false, text.to_string()));
    }
    None
}

/// A numbered line without a label ("1. Подршка запошљавању…"): the
/// number and the words.
pub fn numbered(s: &str) -> Option<(String, String)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"^(\d{1,2})\.\s+(\S.*)$").expect("static regex"));
    let m = r.captures(s.trim())?;
    Some((
        m.get(1)?.as_str().to_string(),
        m.get(2)?.as_str().to_string(),
    ))
}

/// A number opening a goal cell that has no label ("1.1 Sprovođenje…",
/// "2. Podrška…", "II Unapređenje…"): the code and the words.
pub fn leading_code(s: &str) -> Option<(String, String)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"^(?:(\d{1,2}(?:\.\d{1,2})*)\.?|([IVX]{1,5})[.:]?)\s+(\p{Lu}.*)$")
            .expect("static regex")
    });
    let m = r.captures(s.trim())?;
    let code = m.get(1).or(m.get(2))?.as_str().to_string();
    Some((code, m.get(3)?.as_str().to_string()))
}

/// A Roman numeral of the plans' sizes (I to XXXIX), in Latin letters or
/// their Cyrillic look-alikes.
pub fn is_roman(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 7 || !s.chars().all(|c| "IVXИВХ".contains(c)) {
        return false;
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"^X{0,3}(?:IX|IV|V?I{0,3})$").expect("static regex"));
    let t = roman_latin(s.trim());
    !t.is_empty() && r.is_match(&t)
}

/// The value of a Roman numeral ([`is_roman`] ones).
pub fn roman_value(s: &str) -> Option<u32> {
    if !is_roman(s) {
        return None;
    }
    let digits: Vec<u32> = roman_latin(s.trim())
        .chars()
        .map(|c| match c {
            'I' => 1,
            'V' => 5,
            _ => 10,
        })
        .collect();
    let mut v = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&n| n > d) {
            v -= d as i64;
        } else {
            v += d as i64;
        }
    }
    u32::try_from(v).ok()
}

/// A cell that holds only a number ("1.1.", "2.3"), as in a "Број мере"
/// column.
pub fn bare_code(s: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"^(\d{1,2}(?:\.\d{1,2})*)\.?$").expect("static regex"));
    r.captures(s.trim())
        .and_then(|m| m.get(1))
        .map(|c| c.as_str().to_string())
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Objective(ObjectiveKind),
    Activity,
}

/// A recognized label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub kind: LabelKind,
    /// The number as written, without trailing dots (`1.1`, `I`); None for an
    /// unnumbered general goal.
    pub code: Option<String>,
}

fn may_be_label(norm: &crate::normalize::Norm, first: &str, words: &Words) -> bool {
    let Some(c) = first.chars().next() else {
        return false;
    };
    if c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'И' | 'В' | 'Х') {
        return true;
    }
    let word: String = first.chars().take_while(|c| c.is_alphabetic()).collect();
    !word.is_empty()
        && words
            .first
            .contains(lexicon::ekavian(&norm.key(&word)).as_ref())
}

/// Three or more levels (`1.1.1`) number an activity.
fn activity_depth(code: &str) -> bool {
    code.split('.').count() >= 3
}

/// The label opening `text` (its first line), if any. `bare` also accepts a
/// bare number followed by words (use it for label cells, not for running
/// text).
pub fn read(text: &str, bare: bool, r: Reader<'_>) -> Option<Label> {
    let first = text.trim_start().lines().next().unwrap_or("").trim();
    if !may_be_label(r.norm, first, r.words) {
        return None;
    }
    if let Some(l) = objective(first, r) {
        // A three-level number is an activity whatever word opens it.
        let kind = match &l.code {
            Some(c) if activity_depth(c) => LabelKind::Activity,
            _ => LabelKind::Objective(l.kind),
        };
        return Some(Label { kind, code: l.code });
    }
    if let Some((code, labelled, _)) = activity(first, r, bare)
        && (labelled || activity_depth(&code))
    {
        return Some(Label {
            kind: LabelKind::Activity,
            code: Some(code),
        });
    }
    if bare {
        // "1.1 Words" or "2. Words": a numbered goal or measure.
        let (code, rest) = match activity(first, r, true) {
            Some((code, _, rest)) => (code, rest),
            None => numbered(first)?,
        };
        if rest.chars().next().is_some_and(char::is_alphabetic) {
            return Some(Label {
                kind: LabelKind::Objective(ObjectiveKind::Objective),
                code: Some(code),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded vocabulary and a fresh memo for one test.
    fn with<R>(f: impl FnOnce(Reader<'_>) -> R) -> R {
        let v = crate::vocab::Vocab::embedded();
        let seen = Seen::default();
        f(Reader {
            norm: v.norm(),
            lx: v.structure(),
            words: v.labels(),
            seen: &seen,
        })
    }

    #[test]
    fn goal_labels() {
        with(|r| {
            let l = objective("Cilj 1.1: Sprovođenje usluge", r).expect("label");
            assert_eq!(
                (l.kind, l.code.as_deref(), l.text.as_str()),
                (ObjectiveKind::Objective, Some("1.1"), "Sprovođenje usluge")
            );
            let l = objective("МЕРА1.1: Додатно запошљавање", r).expect("label");
            assert_eq!(
                (l.kind, l.code.as_deref()),
                (ObjectiveKind::Measure, Some("1.1"))
            );
            let l = objective("I PRIORITET: Pružanje usluga:", r).expect("label");
            assert_eq!(
                (l.kind, l.code.as_deref()),
                (ObjectiveKind::Priority, Some("I"))
            );
            let l = objective("1. Посебан циљ: Ојачани", r).expect("label");
            assert_eq!(
                (l.kind, l.code.as_deref(), l.text.as_str()),
                (ObjectiveKind::SpecificGoal, Some("1"), "Ојачани")
            );
            let l = objective("ОПШТИ ЦИЉ: Унапредити", r).expect("label");
            assert_eq!((l.kind, l.code), (ObjectiveKind::GeneralGoal, None));
            let l = objective("Obj 4.2: Zhvillimi", r).expect("label");
            assert_eq!(l.code.as_deref(), Some("4.2"));
            let l = objective("ПРИОРИТЕТ И", r).expect("label");
            assert_eq!(l.code.as_deref(), Some("I"));
            let l = objective("ПРИОРИТЕТ ИВ: Обезбеђивање", r).expect("label");
            assert_eq!(
                (l.code.as_deref(), l.text.as_str()),
                (Some("IV"), "Обезбеђивање")
            );
            assert!(objective("Приоритет и циљ плана", r).is_none());
            let l = objective("PRIORITET II", r).expect("label");
            assert_eq!((l.code.as_deref(), l.text.as_str()), (Some("II"), ""));
            assert!(objective("Cilj nam je da stvorimo mrežu", r).is_none());
            assert!(objective("Општи циљ овог Програма доприноси", r).is_none());
            assert!(objective("Мере за остварење циља:", r).is_none());
        });
    }

    #[test]
    fn memoized_matching_agrees_with_the_scan() {
        with(|r| {
            let long = format!("Aktivnost 1.1.1 {}", "Pružanje usluga ".repeat(8));
            let texts = [
                "Cilj 1.1: Sprovođenje usluge",
                "ПОСЕБАН ЦИЉ 2: Ојачани",
                "Akt 1.1.1 Pružanje",
                "Aktuelni podaci 2023",
                "Cilj",
                long.as_str(),
            ];
            // Twice each: the second answer comes from the memo.
            for _ in 0..2 {
                for t in texts {
                    assert_eq!(
                        match_index(t, r.lx.labels(), List::Goals, r),
                        match_scan(r.norm, t, r.lx.labels())
                    );
                    assert_eq!(
                        match_index(t, r.lx.activity_labels(), List::Activities, r),
                        match_scan(r.norm, t, r.lx.activity_labels())
                    );
                }
            }
            // Texts alike in their first 48 bytes share the match, and the words
            // after it are each text's own.
            let a = format!("Akt 1.1.1 {}one", "x".repeat(40));
            let b = format!("Akt 1.1.1 {}two", "x".repeat(40));
            assert!(activity(&a, r, false).is_some_and(|r| r.2.ends_with("one")));
            assert!(activity(&b, r, false).is_some_and(|r| r.2.ends_with("two")));
        });
    }

    #[test]
    fn activity_codes() {
        with(|r| {
            assert_eq!(
                activity("Akt 1.1.1 Pružanje usluga", r, false),
                Some(("1.1.1".into(), true, "Pružanje usluga".into()))
            );
            assert_eq!(
                activity("Akt. 1.1.6 Pružanje", r, false).map(|a| a.0),
                Some("1.1.6".into())
            );
            assert_eq!(
                activity("1.2.1 Доношење одлуке", r, true),
                Some(("1.2.1".into(), false, "Доношење одлуке".into()))
            );
            assert_eq!(activity("1.2.1 Доношење", r, false), None);
            assert_eq!(activity("Aktuelni podaci 2023", r, false), None);
            assert_eq!(bare_code("1.10. "), Some("1.10".into()));
        });
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    fn code(s: &str, bare: bool) -> Option<(LabelKind, Option<String>)> {
        let v = crate::vocab::Vocab::embedded();
        let seen = Seen::default();
        let r = Reader {
            norm: v.norm(),
            lx: v.structure(),
            words: v.labels(),
            seen: &seen,
        };
        read(s, bare, r).map(|l| (l.kind, l.code))
    }

    #[test]
    fn labels_in_three_forms() {
        let m = LabelKind::Objective(ObjectiveKind::Measure);
        let sg = LabelKind::Objective(ObjectiveKind::SpecificGoal);
        let obj = LabelKind::Objective(ObjectiveKind::Objective);
        assert_eq!(
            code("МЕРА1.1: Додатно", false),
            Some((m, Some("1.1".into())))
        );
        assert_eq!(
            code("Мера 1.1.: Додатно", false),
            Some((m, Some("1.1".into())))
        );
        assert_eq!(code("Мера 1.4", false), Some((m, Some("1.4".into()))));
        assert_eq!(code("ПОСЕБАН ЦИЉ 1", false), Some((sg, Some("1".into()))));
        assert_eq!(code("Посебан циљ 1.", false), Some((sg, Some("1".into()))));
        assert_eq!(
            code("Cilj 1.2: Razvoj", false),
            Some((obj, Some("1.2".into())))
        );
        assert_eq!(
            code("PRIORITETI II", false),
            Some((
                LabelKind::Objective(ObjectiveKind::Priority),
                Some("II".into())
            ))
        );
        assert_eq!(
            code("Akt 1.1.1 Ofrimi", false),
            Some((LabelKind::Activity, Some("1.1.1".into())))
        );
        assert_eq!(
            code("1.1.1 Запошљавање нових", true),
            Some((LabelKind::Activity, Some("1.1.1".into())))
        );
        assert_eq!(
            code("2. Побољшање квалитета", true),
            Some((obj, Some("2".into())))
        );
        assert_eq!(
            code("1.2 Развој услуга", true),
            Some((obj, Some("1.2".into())))
        );
        assert_eq!(
            code("ОПШТИ ЦИЉ: Унапредити", false),
            Some((LabelKind::Objective(ObjectiveKind::GeneralGoal), None))
        );
        assert_eq!(code("Мерама се", false), None);
        assert_eq!(code("2026 Запошљавање", true), None);
        assert_eq!(code("1.1.1 Запошљавање", false), None);
        assert_eq!(code("Посебног циља 2 - Развијене", false), None);
        assert_eq!(code("3 квартал 2027", false), None);
    }
}
