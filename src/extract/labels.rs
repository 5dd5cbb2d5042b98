//! Which plan element a label cell or paragraph names, for the passes after
//! the structure: "ПОСЕБАН ЦИЉ 1", "Мера 1.1.:", "МЕРА1.1:", "Cilj 1.2:",
//! "PRIORITETI I", "Akt 1.1.1", or a bare number opening a label cell
//! ("1.1.1 Запошљавање…", "2. Побољшање…").
//!
//! In: a text. Out: [`Label`] (kind and code), or nothing. The words and
//! their reading are the structure pass's (`structure::labels`, lexicons
//! `objective_labels.tsv` and `activity_labels.tsv`), so every pass agrees
//! on what a label is; this module only folds them into one answer.

use crate::extract::record::ObjectiveKind;
use crate::extract::structure::labels as words;
use crate::extract::structure::lexicon::Lexicon;
use crate::normalize::fold;
use std::collections::HashSet;
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
}

/// The first words of every label, folded: a text opening with anything
/// else (and not with a number) is no label, which spares running text the
/// full reading.
fn first_words() -> &'static HashSet<String> {
    static W: OnceLock<HashSet<String>> = OnceLock::new();
    W.get_or_init(|| {
        let lx = Lexicon::global();
        lx.labels()
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(lx.activity_labels().iter().map(|(k, ())| k.as_str()))
            .filter_map(|k| k.split(|c: char| !c.is_alphanumeric()).next())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    })
}

fn may_be_label(first: &str) -> bool {
    let Some(c) = first.chars().next() else {
        return false;
    };
    if c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'И' | 'В' | 'Х') {
        return true;
    }
    let word: String = first.chars().take_while(|c| c.is_alphabetic()).collect();
    !word.is_empty()
        && first_words()
            .contains(crate::extract::structure::lexicon::ekavian(&fold::key(&word)).as_ref())
}

/// Three or more levels (`1.1.1`) number an activity.
fn activity_depth(code: &str) -> bool {
    code.split('.').count() >= 3
}

/// The label opening `text` (its first line), if any. `bare` also accepts a
/// bare number followed by words (use it for label cells, not for running
/// text).
pub fn parse(text: &str, bare: bool) -> Option<Label> {
    let first = text.trim_start().lines().next().unwrap_or("").trim();
    if !may_be_label(first) {
        return None;
    }
    let lx = Lexicon::global();
    if let Some(l) = words::objective(first, lx) {
        // A three-level number is an activity whatever word opens it.
        let kind = match &l.code {
            Some(c) if activity_depth(c) => LabelKind::Activity,
            _ => LabelKind::Objective(l.kind),
        };
        return Some(Label { kind, code: l.code });
    }
    if let Some((code, labelled, _)) = words::activity(first, lx, bare)
        && (labelled || activity_depth(&code))
    {
        return Some(Label {
            kind: LabelKind::Activity,
            code: Some(code),
        });
    }
    if bare {
        // "1.1 Words" or "2. Words": a numbered goal or measure.
        let (code, rest) = match words::activity(first, lx, true) {
            Some((code, _, rest)) => (code, rest),
            None => words::numbered(first)?,
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

    fn code(s: &str, bare: bool) -> Option<(LabelKind, Option<String>)> {
        parse(s, bare).map(|l| (l.kind, l.code))
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
