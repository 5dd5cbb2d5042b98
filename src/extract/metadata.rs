//! Document metadata and the abbreviation glossary.
//!
//! In: the context. Out: the record's `source` and `document` (language,
//! script, title, municipality, reference, date, period) and
//! `abbreviations`.

use super::record::{Coverage, DocumentInfo, PlanRecord, SCHEMA, SourceInfo};
use super::{Ctx, Placed};

/// A record with `source` and the document's language and script filled,
/// everything else empty.
pub fn empty_record(ctx: &Ctx) -> PlanRecord {
    let s = &ctx.doc.source;
    PlanRecord {
        schema: SCHEMA.to_string(),
        source: SourceInfo {
            path: s.path.clone(),
            sha256: s.sha256.clone(),
            format: s.format.as_str().to_string(),
            encoding: s.encoding.clone(),
            encoding_confidence: s.encoding_confidence,
            bytes: s.bytes,
        },
        document: DocumentInfo {
            language: Some(ctx.language.code().to_string()),
            script: Some(if ctx.cyrillic { "Cyrl" } else { "Latn" }.to_string()),
            language_confidence: ctx.language_confidence,
            ..DocumentInfo::default()
        },
        abbreviations: Vec::new(),
        objectives: Vec::new(),
        activities: Vec::new(),
        indicators: Vec::new(),
        budgets: Vec::new(),
        tables: Vec::new(),
        paragraphs: Vec::new(),
        diagnostics: ctx.doc.diagnostics.clone(),
        coverage: Coverage::default(),
    }
}

pub fn extract(_ctx: &Ctx, _rec: &mut PlanRecord, _placed: &mut Placed) {}
