//! The JSON Schemas of what planrec writes, one per output kind, as
//! `planrec schema KIND` prints them and `schema/` commits them (a test
//! keeps the two equal).

use std::fmt;

/// An output kind with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A plan record (`records/<name>.json`, `extract`): `plan-record/1`.
    Record,
    /// A pair's findings (`alignments/<a>+<b>.json`, `align`): `plan-alignment/1`.
    Alignment,
    /// A plan's own findings (`checks/<name>.json`, `check`): `plan-check/1`.
    Check,
    /// A run's `summary.json`: `plan-batch/1`.
    Batch,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Record, Kind::Alignment, Kind::Check, Kind::Batch];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Alignment => "alignment",
            Kind::Check => "check",
            Kind::Batch => "batch",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The committed file, relative to the repository root.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Record => "schema/plan-record-1.schema.json",
            Kind::Alignment => "schema/plan-alignment-1.schema.json",
            Kind::Check => "schema/plan-check-1.schema.json",
            Kind::Batch => "schema/plan-batch-1.schema.json",
        }
    }

    pub fn schema(self) -> schemars::Schema {
        match self {
            Kind::Record => schemars::schema_for!(crate::extract::PlanRecord),
            Kind::Alignment => schemars::schema_for!(crate::align::Alignment),
            Kind::Check => schemars::schema_for!(crate::align::Check),
            Kind::Batch => schemars::schema_for!(crate::batch::Summary),
        }
    }

    /// The schema as committed: pretty JSON and one final newline.
    pub fn text(self) -> String {
        // A schema is a JSON value already; writing it to a string cannot fail.
        let mut s = serde_json::to_string_pretty(&self.schema()).unwrap_or_default();
        s.push('\n');
        s
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
