//! Splitting a goal or activity cell into its number and its words:
//! "Cilj 1.1: Sprovođenje…" → (objective, `1.1`, "Sprovođenje…"),
//! "I PRIORITET: …" → (priority, `I`, …), "Akt 1.1.1 Pružanje…" →
//! (`1.1.1`, "Pružanje…").

use super::lexicon::Lexicon;
use crate::extract::record::ObjectiveKind;
use crate::normalize::fast_hash::FastMap;
use crate::normalize::fold;
use regex::Regex;
use std::cell::RefCell;
use std::sync::OnceLock;

/// A goal label found at the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
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

/// The longest label of `labels` that `t` opens with, and the rest of `t`.
fn match_prefix<'t, T: Copy>(t: &'t str, labels: &[(String, T)]) -> Option<(T, &'t str)> {
    match_index(t, labels).map(|(k, i)| (labels[k].1, &t[i..]))
}

/// Bytes of `t` the matcher reads: every label ends within the first 48.
const LABEL_BYTES: usize = 48;

/// [`match_prefix`] as the index of the label and the end of the match.
/// The labels of the global lexicon are matched through a per-thread memo
/// keyed by the bytes read: goal and activity cells are tested by several
/// passes, and the same openings ("Aktivnost 1.1", "Cilj 2:") recur.
fn match_index<T>(t: &str, labels: &[(String, T)]) -> Option<(usize, usize)> {
    let lx = Lexicon::global();
    let which = if std::ptr::eq(labels.as_ptr().cast::<u8>(), lx.labels().as_ptr().cast()) {
        0u8
    } else if std::ptr::eq(
        labels.as_ptr().cast::<u8>(),
        lx.activity_labels().as_ptr().cast(),
    ) {
        1u8
    } else {
        return match_scan(t, labels);
    };
    // The chars starting at or before byte 48; the key's length tells
    // whether `t` was longer.
    let end = t
        .char_indices()
        .find(|&(i, _)| i > LABEL_BYTES)
        .map_or(t.len(), |(i, _)| i);
    let read = &t[..end];
    // One table per label list, so a lookup borrows `read` instead of
    // building an owned key.
    type Memo = [FastMap<Box<str>, Option<(usize, usize)>>; 2];
    thread_local! {
        static MEMO: RefCell<Memo> = RefCell::new(Default::default());
    }
    let which = usize::from(which);
    if let Some(v) = MEMO.with(|m| m.borrow()[which].get(read).copied()) {
        return v;
    }
    static MAX_WORDS: OnceLock<[usize; 2]> = OnceLock::new();
    let max = MAX_WORDS.get_or_init(|| [max_words(lx.labels()), max_words(lx.activity_labels())]);
    let v = match_scan_words(read, labels, max[which]);
    MEMO.with(|m| {
        let m = &mut m.borrow_mut()[which];
        // Bounded: keys are short, but a long batch must not grow it
        // without end.
        if m.len() >= 50_000 {
            m.clear();
        }
        m.insert(read.into(), v);
    });
    v
}

/// The matcher itself: the fold key of every prefix of `t` that ends a
/// word, within the first 48 bytes, looked up among the labels.
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

fn match_scan<T>(t: &str, labels: &[(String, T)]) -> Option<(usize, usize)> {
    match_scan_words(t, labels, max_words(labels))
}

/// [`match_scan`] knowing the most words of a label: a label's key has as
/// many words as the prefix it matches, and each token of the prefix
/// holding a letter or digit keeps at least one word through folding, so
/// past the longest label no prefix can match.
fn match_scan_words<T>(
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
            let key = super::lexicon::ekavian(&fold::key(&t[..i])).into_owned();
            if let Some(k) = labels.iter().position(|(l, _)| *l == key) {
                best = Some((k, i));
            }
        }
        prev_letter = crate::normalize::script::is_letter(c);
    }
    if prev_letter && t.len() <= LABEL_BYTES {
        let key = super::lexicon::ekavian(&fold::key(t)).into_owned();
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
pub fn objective(s: &str, lx: &Lexicon) -> Option<Label> {
    let t = s.trim_start();
    let first = t.chars().next()?;
    if !first.is_alphanumeric() {
        return None;
    }
    let labels = lx.labels();
    // A number before the label: "I PRIORITET:", "1. Посебан циљ:".
    if let Some(m) = re_lead().captures(t) {
        let code = m.get(1).or(m.get(2)).map(|c| roman_latin(c.as_str()));
        let rest = &t[m.get(0).map_or(0, |x| x.end())..];
        if let Some((kind, after)) = match_prefix(rest, labels) {
            let (text, sep) = strip_sep(after);
            if sep || text.is_empty() {
                return Some(Label {
                    kind,
                    code,
                    text: text.to_string(),
                });
            }
        }
    }
    let (kind, after) = match_prefix(t, labels)?;
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
    Some(Label {
        kind,
        code,
        text: text.to_string(),
    })
}

/// An activity number at the start of `s`: after an activity label
/// ("Akt 1.1.1 …", "Akt. 1.1.6 …"), or bare ("1.1.1 Запошљавање…") when
/// `bare` allows it (the cell sits in the activity column). Returns the
/// code, whether a label was present, and the words.
pub fn activity(s: &str, lx: &Lexicon, bare: bool) -> Option<(String, bool, String)> {
    let t = s.trim_start();
    if let Some(((), after)) = match_prefix(t, lx.activity_labels()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lx() -> &'static Lexicon {
        Lexicon::global()
    }

    #[test]
    fn goal_labels() {
        let l = objective("Cilj 1.1: Sprovođenje usluge", lx()).expect("label");
        assert_eq!(
            (l.kind, l.code.as_deref(), l.text.as_str()),
            (ObjectiveKind::Objective, Some("1.1"), "Sprovođenje usluge")
        );
        let l = objective("МЕРА1.1: Додатно запошљавање", lx()).expect("label");
        assert_eq!(
            (l.kind, l.code.as_deref()),
            (ObjectiveKind::Measure, Some("1.1"))
        );
        let l = objective("I PRIORITET: Pružanje usluga:", lx()).expect("label");
        assert_eq!(
            (l.kind, l.code.as_deref()),
            (ObjectiveKind::Priority, Some("I"))
        );
        let l = objective("1. Посебан циљ: Ојачани", lx()).expect("label");
        assert_eq!(
            (l.kind, l.code.as_deref(), l.text.as_str()),
            (ObjectiveKind::SpecificGoal, Some("1"), "Ојачани")
        );
        let l = objective("ОПШТИ ЦИЉ: Унапредити", lx()).expect("label");
        assert_eq!((l.kind, l.code), (ObjectiveKind::GeneralGoal, None));
        let l = objective("Obj 4.2: Zhvillimi", lx()).expect("label");
        assert_eq!(l.code.as_deref(), Some("4.2"));
        let l = objective("ПРИОРИТЕТ И", lx()).expect("label");
        assert_eq!(l.code.as_deref(), Some("I"));
        let l = objective("ПРИОРИТЕТ ИВ: Обезбеђивање", lx()).expect("label");
        assert_eq!(
            (l.code.as_deref(), l.text.as_str()),
            (Some("IV"), "Обезбеђивање")
        );
        assert!(objective("Приоритет и циљ плана", lx()).is_none());
        let l = objective("PRIORITET II", lx()).expect("label");
        assert_eq!((l.code.as_deref(), l.text.as_str()), (Some("II"), ""));
        assert!(objective("Cilj nam je da stvorimo mrežu", lx()).is_none());
        assert!(objective("Општи циљ овог Програма доприноси", lx()).is_none());
        assert!(objective("Мере за остварење циља:", lx()).is_none());
    }

    #[test]
    fn memoized_matching_agrees_with_the_scan() {
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
                assert_eq!(match_index(t, lx().labels()), match_scan(t, lx().labels()));
                assert_eq!(
                    match_index(t, lx().activity_labels()),
                    match_scan(t, lx().activity_labels())
                );
            }
        }
        // Texts alike in their first 48 bytes share the match, and the words
        // after it are each text's own.
        let a = format!("Akt 1.1.1 {}one", "x".repeat(40));
        let b = format!("Akt 1.1.1 {}two", "x".repeat(40));
        assert!(activity(&a, lx(), false).is_some_and(|r| r.2.ends_with("one")));
        assert!(activity(&b, lx(), false).is_some_and(|r| r.2.ends_with("two")));
    }

    #[test]
    fn activity_codes() {
        assert_eq!(
            activity("Akt 1.1.1 Pružanje usluga", lx(), false),
            Some(("1.1.1".into(), true, "Pružanje usluga".into()))
        );
        assert_eq!(
            activity("Akt. 1.1.6 Pružanje", lx(), false).map(|a| a.0),
            Some("1.1.6".into())
        );
        assert_eq!(
            activity("1.2.1 Доношење одлуке", lx(), true),
            Some(("1.2.1".into(), false, "Доношење одлуке".into()))
        );
        assert_eq!(activity("1.2.1 Доношење", lx(), false), None);
        assert_eq!(activity("Aktuelni podaci 2023", lx(), false), None);
        assert_eq!(bare_code("1.10. "), Some("1.10".into()));
    }
}
