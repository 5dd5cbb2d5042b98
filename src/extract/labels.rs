//! Labels of plan elements as documents write them: "ПОСЕБАН ЦИЉ 1:",
//! "Мера 1.1.:", "МЕРА1.1:", "Cilj 1.2:", "PRIORITETI I", "Akt 1.1.1", or a
//! bare number opening a label cell ("1.1.1 Запошљавање…", "2. Побољшање…").
//!
//! In: the text of a cell or paragraph. Out: [`Label`] (kind and code), or
//! nothing. The opening words come from `mappings/plan_labels.tsv`; matching
//! goes through the folding key, so one lexicon serves both scripts.

use crate::extract::record::ObjectiveKind;
use crate::mappings::Mappings;
use crate::normalize::fold;
use std::sync::OnceLock;

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
    /// Whether the label opened with a word (`Мера 1.1`) rather than a bare
    /// number (`1.1`).
    pub worded: bool,
}

struct Words {
    /// `(folded words, kind)`, longest first.
    rows: Vec<(String, LabelKind)>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut rows = Vec::new();
        if let Ok(tsv) = Mappings::global().rows("plan_labels.tsv") {
            for r in tsv {
                let kind = match r.get(0) {
                    "general_goal" => LabelKind::Objective(ObjectiveKind::GeneralGoal),
                    "priority" => LabelKind::Objective(ObjectiveKind::Priority),
                    "specific_goal" => LabelKind::Objective(ObjectiveKind::SpecificGoal),
                    "objective" => LabelKind::Objective(ObjectiveKind::Objective),
                    "measure" => LabelKind::Objective(ObjectiveKind::Measure),
                    "activity" => LabelKind::Activity,
                    _ => continue,
                };
                let w = fold::key(r.get(1));
                if !w.is_empty() {
                    rows.push((w, kind));
                }
            }
        }
        rows.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Words { rows }
    })
}

/// Reads a code at the start of `s` (after optional spaces): dotted digits
/// (`1`, `1.1`, `1.1.1.`) or a Roman numeral. Returns the code without a
/// trailing dot and the rest of the text.
fn code_at(s: &str) -> Option<(String, &str)> {
    let t = s.trim_start();
    let bytes = t.as_bytes();
    let mut i = 0;
    let mut code = String::new();
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            break;
        }
        code.push_str(&t[start..i]);
        if i < bytes.len()
            && bytes[i] == b'.'
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_digit()
        {
            code.push('.');
            i += 1;
            continue;
        }
        break;
    }
    if !code.is_empty() {
        // A long number is an amount or a year, not a code.
        let first = code.split('.').next().unwrap_or("");
        if first.len() > 2 {
            return None;
        }
        let mut rest = &t[i..];
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        }
        return Some((code, rest));
    }
    // Roman numerals (priorities): I … XX, followed by a boundary.
    let roman: String = t
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'i' | 'v' | 'x'))
        .collect();
    if !roman.is_empty() && roman.len() <= 5 {
        let rest = &t[roman.len()..];
        if rest.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
            return Some((roman.to_uppercase(), rest.strip_prefix('.').unwrap_or(rest)));
        }
    }
    None
}

/// The label opening `text`, if any. `bare` allows a bare number without an
/// opening word (use it for label cells, not for running text).
pub fn parse(text: &str, bare: bool) -> Option<Label> {
    let first = text.trim_start().lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return None;
    }
    let key = fold::key(first);
    for (w, kind) in &words().rows {
        let Some(rest) = key.strip_prefix(w.as_str()) else {
            continue;
        };
        // The words must end at a word end ("mera" is not "merama").
        if rest.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        let rest = rest.trim_start_matches([' ', '.']);
        if let Some((code, after)) = code_at(rest) {
            // "Мера 1.1.1" under an activity word, or a three-level number
            // anywhere, is an activity.
            // A three-level number is an activity whatever word opens it.
            let kind = if code.split('.').count() >= 3 {
                LabelKind::Activity
            } else {
                *kind
            };
            if after.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            return Some(Label {
                kind,
                code: Some(code),
                worded: true,
            });
        }
        // An unnumbered general goal ("ОПШТИ ЦИЉ:").
        if *kind == LabelKind::Objective(ObjectiveKind::GeneralGoal)
            && (rest.is_empty() || rest.starts_with(':') || rest.starts_with('-'))
        {
            return Some(Label {
                kind: *kind,
                code: None,
                worded: true,
            });
        }
    }
    if bare {
        let (code, after) = code_at(first)?;
        // A bare number must be followed by words ("1.1.1 Запошљавање").
        let after = after.trim_start_matches([' ', ':', ')', '-', '–']);
        if !after.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        if code.chars().all(|c| c.is_ascii_alphabetic()) {
            // A bare Roman numeral is too easily a word ("I", "V").
            return None;
        }
        let kind = if code.split('.').count() >= 3 {
            LabelKind::Activity
        } else {
            LabelKind::Objective(ObjectiveKind::Objective)
        };
        return Some(Label {
            kind,
            code: Some(code),
            worded: false,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str, bare: bool) -> Option<(LabelKind, Option<String>)> {
        parse(s, bare).map(|l| (l.kind, l.code))
    }

    #[test]
    fn labels_in_three_forms() {
        let m = LabelKind::Objective(ObjectiveKind::Measure);
        let sg = LabelKind::Objective(ObjectiveKind::SpecificGoal);
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
            Some((
                LabelKind::Objective(ObjectiveKind::Objective),
                Some("1.2".into())
            ))
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
            Some((
                LabelKind::Objective(ObjectiveKind::Objective),
                Some("2".into())
            ))
        );
        assert_eq!(
            code("ОПШТИ ЦИЉ: Унапредити", false),
            Some((LabelKind::Objective(ObjectiveKind::GeneralGoal), None))
        );
        assert_eq!(code("Мерама се", false), None);
        assert_eq!(code("2026 Запошљавање", true), None);
        assert_eq!(code("1.1.1 Запошљавање", false), None);
        assert_eq!(code("Посебног циља 2 - Развијене", false), None);
    }
}
