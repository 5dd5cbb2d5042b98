//! Mixed-script repair.
//!
//! In: text. Out: the text with each mixed word (letters of both scripts)
//! brought into its own script, and a [`Repair`] per changed character.
//!
//! Two kinds of mistakes occur in the plans:
//! - a keyboard switched mid-word (`moгу`, `Pružaoци`): the stray letters are
//!   typed phonetically, so they are transliterated (г → g, у → u);
//! - look-alike letters (Latin `a`, `o`, `p` in a Cyrillic word, or the digit
//!   3 for З): replaced by the letter they look like.
//!
//! A run of stray letters made only of look-alikes is treated as visual
//! (р → p); a run with any other letter as phonetic. The word's script is
//! the one with more letter evidence (distinctive letters weigh double);
//! on a tie the surrounding text decides; if that is unclear too the word
//! is left alone.

use super::script::{self, Script};
use super::translit::Translit;
use serde::{Deserialize, Serialize};

/// One repaired character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// Byte offset of the character in the input.
    pub offset: usize,
    pub from: char,
    pub to: char,
    /// The word as it was in the input.
    pub word: String,
}

impl Repair {
    /// `from` at byte `offset` of `word` (as it was in the input) became `to`.
    fn new(offset: usize, from: char, to: char, word: &str) -> Repair {
        Repair {
            offset,
            from,
            to,
            word: word.to_string(),
        }
    }
}

/// Latin ↔ Cyrillic look-alike pairs (Serbian Cyrillic letters only).
const LOOKALIKES: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('x', 'х'),
    ('y', 'у'),
    ('j', 'ј'),
    ('A', 'А'),
    ('B', 'В'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('J', 'Ј'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('C', 'С'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
];

fn latin_lookalike(c: char) -> Option<char> {
    LOOKALIKES.iter().find(|p| p.1 == c).map(|p| p.0)
}

fn cyrillic_lookalike(c: char) -> Option<char> {
    LOOKALIKES.iter().find(|p| p.0 == c).map(|p| p.1)
}

fn is_lookalike(c: char) -> bool {
    LOOKALIKES.iter().any(|p| p.0 == c || p.1 == c)
}

/// Evidence that a word is written in each script.
fn weigh(word: &[(usize, char)]) -> (usize, usize) {
    let (mut lat, mut cyr) = (0, 0);
    for &(_, c) in word {
        let w = if is_lookalike(c) { 1 } else { 2 };
        match script::of_char(c) {
            Some(Script::Latin) => lat += w,
            Some(Script::Cyrillic) => cyr += w,
            _ => {}
        }
    }
    (lat, cyr)
}

/// Repairs mixed-script words; returns the repaired text and the repairs.
pub fn mixed_script(tr: &Translit, s: &str) -> (String, Vec<Repair>) {
    let context = script::counts(s);
    // Single-script text has no mixed words (only a 3 among Cyrillic
    // letters can need repair then).
    if context.cyrillic == 0 || (context.latin == 0 && !s.contains('3')) || !has_candidate(s) {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len());
    let mut repairs = Vec::new();
    let mut word: Vec<(usize, char)> = Vec::new();
    let mut flush = |word: &mut Vec<(usize, char)>, out: &mut String| {
        repair_word(tr, word, s, context, out, &mut repairs);
        word.clear();
    };
    for (i, c) in s.char_indices() {
        // The digit 3 joins a word only to be checked as a stand-in for З.
        if c.is_alphabetic() || c == '3' {
            word.push((i, c));
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    (out, repairs)
}

/// Whether some word of `s` could be repaired: one with letters of both
/// scripts, or a 3 among Cyrillic letters. [`repair_word`] leaves every
/// other word as it is.
fn has_candidate(s: &str) -> bool {
    let (mut latin, mut cyrillic, mut three) = (false, false, false);
    for c in s.chars() {
        match script::of_char(c) {
            Some(Script::Latin) => latin = true,
            Some(_) => cyrillic = true,
            None if c == '3' => three = true,
            None if c.is_alphabetic() => {}
            None => {
                latin = false;
                cyrillic = false;
                three = false;
            }
        }
        if cyrillic && (latin || three) {
            return true;
        }
    }
    false
}

fn repair_word(
    tr: &Translit,
    word: &[(usize, char)],
    s: &str,
    context: script::Counts,
    out: &mut String,
    repairs: &mut Vec<Repair>,
) {
    let Some(&(start, _)) = word.first() else {
        return;
    };
    let end = word.last().map(|&(i, c)| i + c.len_utf8()).unwrap_or(start);
    let original = &s[start..end];
    let letters: Vec<(usize, char)> = word.iter().copied().filter(|&(_, c)| c != '3').collect();
    let k = script::counts(original);
    let has_three = letters.len() != word.len();
    let target = target_script(&letters, k, has_three, context);
    let Some(target) = target else {
        out.push_str(original);
        return;
    };
    // Split into runs of stray letters (not in the target script) and fix
    // each run as a whole.
    let mut i = 0;
    while i < word.len() {
        let c = word[i].1;
        if c == '3' {
            repair_three(word, i, target, original, out, repairs);
            i += 1;
            continue;
        }
        let stray = |c: char| script::of_char(c).is_some_and(|sc| sc != target);
        if !stray(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < word.len() && stray(word[j].1) {
            j += 1;
        }
        let run = &word[i..j];
        repair_run(tr, run, target, original, out, repairs);
        i = j;
    }
}

/// The script a mixed word is repaired towards: the heavier script in the
/// word, else the clearly dominant one around it; a word of Cyrillic letters
/// with a digit 3 goes to Cyrillic.
fn target_script(
    letters: &[(usize, char)],
    k: script::Counts,
    has_three: bool,
    context: script::Counts,
) -> Option<Script> {
    if k.latin > 0 && k.cyrillic > 0 {
        let (lat, cyr) = weigh(letters);
        if lat > cyr {
            Some(Script::Latin)
        } else if cyr > lat {
            Some(Script::Cyrillic)
        } else if context.latin > 2 * context.cyrillic {
            Some(Script::Latin)
        } else if context.cyrillic > 2 * context.latin {
            Some(Script::Cyrillic)
        } else {
            None
        }
    } else if has_three && k.latin == 0 && k.cyrillic >= 2 {
        Some(Script::Cyrillic)
    } else {
        None
    }
}

/// A digit 3 inside a Cyrillic word, read as the letter З (lower case
/// before a lower-case letter).
fn repair_three(
    word: &[(usize, char)],
    i: usize,
    target: Script,
    original: &str,
    out: &mut String,
    repairs: &mut Vec<Repair>,
) {
    let (off, c) = word[i];
    // З only between or before Cyrillic capitals/letters.
    let next = word.get(i + 1).map(|p| p.1);
    let prev = if i > 0 {
        word.get(i - 1).map(|p| p.1)
    } else {
        None
    };
    let cyr = |x: Option<char>| x.is_some_and(|x| script::of_char(x) == Some(Script::Cyrillic));
    let fix = target == Script::Cyrillic
        && cyr(next)
        && (prev.is_none() || cyr(prev))
        && next.is_some_and(char::is_uppercase)
        || target == Script::Cyrillic && cyr(prev) && cyr(next);
    if fix {
        let to = if next.is_some_and(char::is_lowercase) && prev.is_some() {
            'з'
        } else {
            'З'
        };
        out.push(to);
        repairs.push(Repair::new(off, c, to, original));
    } else {
        out.push(c);
    }
}

/// Fixes one run of stray letters: by look-alike when every letter has one,
/// else by transliteration.
fn repair_run(
    tr: &Translit,
    run: &[(usize, char)],
    target: Script,
    original: &str,
    out: &mut String,
    repairs: &mut Vec<Repair>,
) {
    let visual = run.iter().all(|&(_, c)| is_lookalike(c));
    for &(off, c) in run {
        let to: Option<char> = if visual {
            match target {
                Script::Latin => latin_lookalike(c),
                _ => cyrillic_lookalike(c),
            }
        } else {
            let t = match target {
                Script::Latin => tr.to_latin(&c.to_string()),
                _ => tr.to_cyrillic(&c.to_string()),
            };
            let mut it = t.chars();
            match (it.next(), it.next()) {
                (Some(x), None) if x != c => Some(x),
                _ => None,
            }
        };
        match to {
            Some(to) => {
                out.push(to);
                repairs.push(Repair::new(off, c, to, original));
            }
            None => {
                // Љ/Њ/Џ → two Latin letters: still a repair, recorded per
                // input char with the first output letter.
                let t = match target {
                    Script::Latin => tr.to_latin(&c.to_string()),
                    _ => tr.to_cyrillic(&c.to_string()),
                };
                if t != c.to_string()
                    && let Some(first) = t.chars().next()
                {
                    repairs.push(Repair::new(off, c, first, original));
                }
                out.push_str(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_in_latin_words() {
        let tr = crate::normalize::norm::embedded().translit;
        let s = "institucije ne moгу da prihvate";
        let (out, r) = mixed_script(&tr, s);
        assert_eq!(out, "institucije ne mogu da prihvate");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].offset, s.find('г').unwrap_or(usize::MAX));
        assert_eq!((r[0].from, r[0].to, r[1].to), ('г', 'g', 'u'));
        assert_eq!(r[0].word, "moгу");
        let (out, r) = mixed_script(&tr, "OFAP,Pružaoци smeštaja");
        assert_eq!(out, "OFAP,Pružaoci smeštaja");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn latin_lookalikes_in_cyrillic_words() {
        let tr = crate::normalize::norm::embedded().translit;
        let (out, r) = mixed_script(&tr, "Општинa Ириг и пpoграм");
        assert_eq!(out, "Општина Ириг и програм");
        assert_eq!(r.len(), 3);
        let (out, r) = mixed_script(&tr, "СOЦИЈAЛНА 3АШТИТА");
        assert_eq!(out, "СОЦИЈАЛНА ЗАШТИТА");
        assert_eq!(r.len(), 3);
        // Digits elsewhere are not letters.
        assert_eq!(
            mixed_script(&tr, "3 АШТИТЕ, 3a, n3g7Ti").0,
            "3 АШТИТЕ, 3a, n3g7Ti"
        );
    }

    #[test]
    fn words_without_candidates_are_not_walked() {
        let tr = crate::normalize::norm::embedded().translit;
        // has_candidate only skips work: the result is the same with and
        // without it.
        let pieces = [
            "a", "o", "p", "K", "3", "ш", "а", "о", "р", "Р", "З", "Љ", "č", " ", ",", "-", "\n",
            "7", "ы",
        ];
        for s in crate::normalize::fold::tests::generated(&pieces, 20_000, 8) {
            if !has_candidate(&s) {
                let context = script::counts(&s);
                let mut out = String::new();
                let mut repairs = Vec::new();
                let mut word: Vec<(usize, char)> = Vec::new();
                for (i, c) in s.char_indices() {
                    if c.is_alphabetic() || c == '3' {
                        word.push((i, c));
                    } else {
                        repair_word(&tr, &word, &s, context, &mut out, &mut repairs);
                        word.clear();
                        out.push(c);
                    }
                }
                repair_word(&tr, &word, &s, context, &mut out, &mut repairs);
                assert_eq!(out, s, "{s:?}");
                assert!(repairs.is_empty(), "{s:?}");
            }
        }
    }

    #[test]
    fn unclear_words_left_alone() {
        let tr = crate::normalize::norm::embedded().translit;
        let (out, r) = mixed_script(&tr, "moгу");
        assert_eq!(out, "moгу");
        assert!(r.is_empty());
        assert_eq!(mixed_script(&tr, "čistо").0, "čisto");
    }
}
