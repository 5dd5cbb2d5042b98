//! The words the structure pass recognizes, loaded from `mappings/`:
//! matrix column headers (`headers.tsv`), indicator-table headers
//! (`indicator_headers.tsv`), goal labels (`objective_labels.tsv`) and
//! activity labels (`activity_labels.tsv`).
//!
//! Everything is compared on a "tight" key: folded (case, script,
//! diacritics) with spaces and punctuation removed, so words broken by an
//! export (`UPRAVLJAČ KA INSTITUCIJA`) match their whole form.

use crate::extract::record::{ObjectiveKind, ValueKind};
use crate::mappings::Mappings;
use crate::normalize::fold;
use std::sync::OnceLock;

/// What a matrix column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Priority,
    Goal,
    Activity,
    Code,
    /// Per-year money columns, left to the budget pass.
    Amounts,
    /// An activity field by canonical name.
    Field(String),
}

/// What an indicator-table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndRole {
    Name,
    Unit,
    Source,
    Value(ValueKind),
}

pub struct Lexicon {
    headers: Vec<(String, Role)>,
    ind_names: Vec<String>,
    ind_other: Vec<(String, IndRole)>,
    /// Value kinds in match order (baseline, actual, target).
    kinds: Vec<(String, ValueKind)>,
    labels: Vec<(String, ObjectiveKind)>,
    activity_labels: Vec<String>,
    /// Problems met while loading (bad rows), reported once per record.
    pub problems: Vec<String>,
}

/// Folded key without spaces and punctuation.
pub fn tight(s: &str) -> String {
    fold::key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn kind_of(s: &str) -> Option<ObjectiveKind> {
    Some(match s {
        "general_goal" => ObjectiveKind::GeneralGoal,
        "priority" => ObjectiveKind::Priority,
        "specific_goal" => ObjectiveKind::SpecificGoal,
        "objective" => ObjectiveKind::Objective,
        "measure" => ObjectiveKind::Measure,
        _ => return None,
    })
}

const FIELDS: &[&str] = &[
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
    pub fn global() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::load(Mappings::global()))
    }

    pub fn load(m: &Mappings) -> Lexicon {
        let mut lx = Lexicon {
            headers: Vec::new(),
            ind_names: Vec::new(),
            ind_other: Vec::new(),
            kinds: Vec::new(),
            labels: Vec::new(),
            activity_labels: Vec::new(),
            problems: Vec::new(),
        };
        let rows = |name: &str, lx: &mut Lexicon| match m.rows(name) {
            Ok(r) => r,
            Err(e) => {
                lx.problems.push(e.to_string());
                Vec::new()
            }
        };
        for r in rows("headers.tsv", &mut lx) {
            let role = match r.get(0) {
                "priority" => Some(Role::Priority),
                "goal" => Some(Role::Goal),
                "activity" => Some(Role::Activity),
                "code" => Some(Role::Code),
                "amounts" => Some(Role::Amounts),
                f if FIELDS.contains(&f) => Some(Role::Field(f.to_string())),
                _ => None,
            };
            let key = tight(r.get(2));
            match role {
                Some(role) if !key.is_empty() => lx.headers.push((key, role)),
                _ => lx.problems.push(format!(
                    "headers.tsv line {}: unknown role or empty header",
                    r.line
                )),
            }
        }
        let mut kinds: Vec<(u8, String, ValueKind)> = Vec::new();
        for r in rows("indicator_headers.tsv", &mut lx) {
            let key = tight(r.get(2));
            if key.is_empty() {
                continue;
            }
            match r.get(0) {
                "name" => lx.ind_names.push(key),
                "unit" => lx.ind_other.push((key, IndRole::Unit)),
                "source" => lx.ind_other.push((key, IndRole::Source)),
                "baseline" => kinds.push((0, key, ValueKind::Baseline)),
                "actual" => kinds.push((1, key, ValueKind::Actual)),
                "target" => kinds.push((2, key, ValueKind::Target)),
                other => lx.problems.push(format!(
                    "indicator_headers.tsv line {}: unknown role {other:?}",
                    r.line
                )),
            }
        }
        kinds.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())));
        lx.kinds = kinds.into_iter().map(|(_, k, v)| (k, v)).collect();
        for r in rows("objective_labels.tsv", &mut lx) {
            match kind_of(r.get(0)) {
                Some(k) => {
                    let key = fold::key(r.get(2));
                    if !key.is_empty() {
                        lx.labels.push((key, k));
                    }
                }
                None => lx.problems.push(format!(
                    "objective_labels.tsv line {}: unknown kind {:?}",
                    r.line,
                    r.get(0)
                )),
            }
        }
        // Longest label first so "Посебан циљ" wins over "Циљ".
        lx.labels.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        for r in rows("activity_labels.tsv", &mut lx) {
            let key = fold::key(r.get(1));
            if !key.is_empty() {
                lx.activity_labels.push(key);
            }
        }
        lx.activity_labels
            .sort_by_key(|b| std::cmp::Reverse(b.len()));
        lx
    }

    /// The role of a matrix header cell: the longest entry the cell starts
    /// with.
    pub fn header_role(&self, cell: &str) -> Option<Role> {
        let k = tight(cell);
        if k.is_empty() {
            return None;
        }
        self.headers
            .iter()
            .filter(|(p, _)| k.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, r)| r.clone())
    }

    /// Whether the cell opens an indicator table ("Pokazatelji", "Показатељ(и)
    /// на нивоу мере").
    pub fn is_indicator_name_header(&self, cell: &str) -> bool {
        let k = tight(cell);
        !k.is_empty() && self.ind_names.iter().any(|p| k.starts_with(p.as_str()))
    }

    /// The role of an indicator-table header cell after the name column.
    pub fn indicator_role(&self, cell: &str) -> Option<IndRole> {
        let k = tight(cell);
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
        self.kinds
            .iter()
            .find(|(p, _)| k.contains(p.as_str()))
            .map(|(_, v)| IndRole::Value(*v))
    }

    /// Goal labels, longest first, as folded keys.
    pub fn labels(&self) -> &[(String, ObjectiveKind)] {
        &self.labels
    }

    pub fn activity_labels(&self) -> &[String] {
        &self.activity_labels
    }
}
