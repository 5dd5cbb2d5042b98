//! Institutions with the plan's own glossary applied: each institution a
//! field names (`lead`, `partners`, …) gets its abbreviations written out
//! as the plan's `abbreviations[]` explains them (`ЦСР` → `Центар за
//! социјални рад`, `QPS` → `Qendra për Punë Sociale`), so a search by full
//! name finds the rows that write the short form. The raw text is kept.
//!
//! Only whole words that the glossary lists, as written (case and all),
//! are replaced: the plan's glossary, not a list of ours, decides.

use super::record::{Field, Institution, PlanRecord};
use super::work::Work;
use crate::normalize::script::is_letter_or_digit;
use std::collections::HashMap;

/// Fills `institutions_expanded` of every objective and activity field.
pub fn expand(rec: &mut PlanRecord, norm: &crate::normalize::Norm) {
    expand_counted(rec, norm, &Work::default());
}

/// [`expand`], counting a step per glossary entry and field in `work`.
pub fn expand_counted(rec: &mut PlanRecord, norm: &crate::normalize::Norm, work: &Work) {
    work.add(rec.abbreviations.len());
    let mut glossary: HashMap<&str, &str> = HashMap::new();
    for a in &rec.abbreviations {
        let (abbr, exp) = (a.abbr.trim(), a.expansion.trim());
        if !abbr.is_empty() && !exp.is_empty() {
            // The first explanation of an abbreviation wins.
            glossary.entry(abbr).or_insert(exp);
        }
    }
    let fields = rec
        .activities
        .iter_mut()
        .flat_map(|a| a.fields.values_mut())
        .chain(
            rec.objectives
                .iter_mut()
                .flat_map(|o| o.fields.values_mut()),
        );
    for f in fields {
        work.add(1 + f.institutions.len());
        expand_field(f, norm, &glossary);
    }
}

fn expand_field(f: &mut Field, norm: &crate::normalize::Norm, glossary: &HashMap<&str, &str>) {
    f.institutions_expanded = f
        .institutions
        .iter()
        .map(|raw| {
            let (name, abbreviations) = expand_words(raw, glossary);
            Institution {
                raw: raw.clone(),
                name_latn: norm.to_latin(&name),
                name,
                abbreviations,
            }
        })
        .collect();
}

/// `s` with each whole word the glossary lists replaced by its expansion,
/// and the words replaced.
fn expand_words(s: &str, glossary: &HashMap<&str, &str>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(s.len());
    let mut used = Vec::new();
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut String, w: &str, used: &mut Vec<String>| match glossary.get(w) {
        Some(e) => {
            out.push_str(e);
            used.push(w.to_string());
        }
        None => out.push_str(w),
    };
    for (i, c) in s.char_indices() {
        if is_letter_or_digit(c) {
            word_start.get_or_insert(i);
        } else {
            if let Some(st) = word_start.take() {
                flush(&mut out, &s[st..i], &mut used);
            }
            out.push(c);
        }
    }
    if let Some(st) = word_start {
        flush(&mut out, &s[st..], &mut used);
    }
    (out, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_of_the_glossary_only() {
        let g: HashMap<&str, &str> = [
            ("ЦСР", "Центар за социјални рад"),
            ("MD", "Ministria e Drejtësisë"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            expand_words("ЦСР Љубовија", &g),
            (
                "Центар за социјални рад Љубовија".to_string(),
                vec!["ЦСР".to_string()]
            )
        );
        assert_eq!(
            expand_words("Shërbimi Sprovues - MD", &g).0,
            "Shërbimi Sprovues - Ministria e Drejtësisë"
        );
        // Not inside a word, not in another case.
        assert_eq!(expand_words("MDS, md", &g).0, "MDS, md");
    }
}
