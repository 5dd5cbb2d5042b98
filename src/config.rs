//! The mapping set as one typed, checked value.
//!
//! In: a [`Mappings`] set (the embedded files, or with `--mappings DIR`
//! overrides). Out: [`Lexicons`], every TSV file read once, each row
//! deserialized by the `csv` crate into its file's own row type. Loading is
//! checking: a row that does not fit its type (an unknown kind, a number
//! that is not one, an empty required column) is an
//! [`Error::MappingField`] naming file, line and column, so a bad override
//! is refused before any document is read instead of being skipped later.
//!
//! Reading rules (the same as `mappings::parse_tsv`): TAB-separated, no
//! quoting (plans' words contain `"`), a line whose first non-blank
//! character is `#` is a comment, blank lines are skipped, fields are
//! trimmed, rows may be shorter than the header comment says (trailing
//! optional columns).

use crate::error::{Error, Result};
use crate::mappings::Mappings;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A row of one mapping file with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<T> {
    pub line: u64,
    pub row: T,
}

/// A problem in one column of a row: its 0-based index and the reason.
type Bad = (usize, String);

/// What a mapping file's rows are: the file they come from, their column
/// names (for errors), and the checks a well-typed row must still pass.
pub trait Row: DeserializeOwned {
    const FILE: &'static str;
    const COLUMNS: &'static [&'static str];
    fn check(&self) -> std::result::Result<(), Bad> {
        Ok(())
    }
}

fn required(col: usize, s: &str) -> std::result::Result<(), Bad> {
    if s.is_empty() {
        Err((col, "empty".to_string()))
    } else {
        Ok(())
    }
}

/// A pattern column: a `*` suffix marks a prefix, so the rest must not be
/// empty.
fn pattern(col: usize, s: &str) -> std::result::Result<(), Bad> {
    if s.trim_end_matches('*').is_empty() {
        Err((col, "no pattern".to_string()))
    } else {
        Ok(())
    }
}

macro_rules! row {
    ($(#[$m:meta])* $name:ident, $file:literal, [$($col:literal),*] { $($body:tt)* } $(check($s:ident) $check:block)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Deserialize)]
        pub struct $name { $($body)* }
        impl Row for $name {
            const FILE: &'static str = $file;
            const COLUMNS: &'static [&'static str] = &[$($col),*];
            $(fn check(&$s) -> std::result::Result<(), Bad> $check)?
        }
    };
}

/// Kinds of `document_words.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentWord {
    Title,
    Reference,
    Period,
    Glossary,
    GlossaryMeaning,
    Municipality,
}

/// Kinds of `funding_sources.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingKind {
    Local,
    National,
    Donor,
    External,
    Users,
    None,
}

impl FundingKind {
    /// The name written in the file and in records.
    pub fn as_str(self) -> &'static str {
        match self {
            FundingKind::Local => "local",
            FundingKind::National => "national",
            FundingKind::Donor => "donor",
            FundingKind::External => "external",
            FundingKind::Users => "users",
            FundingKind::None => "none",
        }
    }
}

/// Roles of `indicator_headers.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorHeader {
    Name,
    Unit,
    Source,
    Baseline,
    Actual,
    Target,
    YearWord,
}

/// Kinds of `lang_evidence.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Letter,
    Bigram,
    Word,
    Suffix,
}

/// The two languages `lang_evidence.tsv` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLanguage {
    Sq,
    Sr,
}

/// Languages of `municipalities.tsv` and `crosswalk.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameLanguage {
    Sr,
    Sq,
    En,
}

impl NameLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            NameLanguage::Sr => "sr",
            NameLanguage::Sq => "sq",
            NameLanguage::En => "en",
        }
    }
}

/// Where a `not_a_number.tsv` form counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NanPlace {
    Text,
    Cell,
}

/// Roles of `number_context.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextRole {
    Ident,
    Year,
    Quarter,
    Range,
    Percent,
    Currency,
    Unit,
    Stop,
    Ordinal,
    Inflection,
}

/// Roles of `number_words.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberWordRole {
    Value,
    One,
    Multiplier,
    MultiplierOne,
    Connector,
}

/// Kinds of `objective_labels.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveLabel {
    GeneralGoal,
    Priority,
    SpecificGoal,
    Objective,
    Measure,
}

/// Kinds of `translit_exceptions.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    Prefix,
    Infix,
    Word,
}

/// Kinds of `translit_keep_latin.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeepKind {
    Acronym,
    Name,
    Unit,
}

/// Column roles of `headers.tsv` besides `stated_*` and the field names
/// (`extract::structure::lexicon::FIELDS`, the one list of those).
const HEADER_ROLES: &[&str] = &[
    "priority",
    "goal",
    "activity",
    "code",
    "measure_code",
    "amounts",
    "total",
];

/// Kinds of `money_markers.tsv` besides `currency:XXX`.
const MONEY_KINDS: &[&str] = &[
    "total",
    "source_header",
    "money_header",
    "funding",
    "not_money",
    "not_budget",
    "rate",
];

/// A column compared through its folding key, which keeps only letters
/// and digits. Told from the text itself: folding needs the
/// transliteration tables, which are built from these rows.
fn keyed(col: usize, s: &str) -> std::result::Result<(), Bad> {
    if s.chars().any(char::is_alphanumeric) {
        Ok(())
    } else {
        Err((col, "no letters or digits".into()))
    }
}

/// A hexadecimal column.
fn hex(col: usize, s: &str, max: u32) -> std::result::Result<u32, Bad> {
    match u32::from_str_radix(s, 16) {
        Ok(v) if v <= max => Ok(v),
        _ => Err((col, format!("{s:?} is not a hex number up to {max:X}"))),
    }
}

row!(
    /// `activity_labels.tsv`: words that precede an activity number.
    ActivityLabelRow, "activity_labels.tsv", ["language", "label"] {
        pub language: String,
        pub label: String,
    } check(self) { required(1, &self.label) }
);

row!(
    /// `crosswalk.tsv`: one form of a thing named across languages.
    CrosswalkRow, "crosswalk.tsv", ["id", "form", "language"] {
        pub id: String,
        pub form: String,
        pub language: NameLanguage,
    } check(self) { required(0, &self.id)?; required(1, &self.form) }
);

row!(
    /// `document_words.tsv`: words that find a plan's own metadata.
    DocumentWordRow, "document_words.tsv", ["kind", "words"] {
        pub kind: DocumentWord,
        pub words: String,
    } check(self) { if self.words.is_empty() { Err((1, "no words".into())) } else { Ok(()) } }
);

row!(
    /// `docx-heading-styles.tsv`: a localized "Heading N" style name.
    HeadingStyleRow, "docx-heading-styles.tsv", ["name", "language"] {
        pub name: String,
        #[serde(default)]
        pub language: String,
    } check(self) { required(0, &self.name) }
);

row!(
    /// `docx-symbol-fonts.tsv`: a symbol-font code and its Unicode character.
    SymbolFontRow, "docx-symbol-fonts.tsv", ["font", "code", "unicode"] {
        pub font: String,
        pub code: String,
        pub unicode: String,
    } check(self) {
        required(0, &self.font)?;
        hex(1, &self.code, 0xFF)?;
        let u = hex(2, &self.unicode, 0x10FFFF)?;
        match char::from_u32(u) {
            Some(_) => Ok(()),
            None => Err((2, format!("{:?} is not a character", self.unicode))),
        }
    }
);

impl SymbolFontRow {
    /// The font code and its character (valid once loaded: see `check`).
    pub fn mapping(&self) -> Option<(u8, char)> {
        let code = u8::from_str_radix(&self.code, 16).ok()?;
        let uni = u32::from_str_radix(&self.unicode, 16)
            .ok()
            .and_then(char::from_u32)?;
        Some((code, uni))
    }
}

row!(
    /// `funding_sources.tsv`: words naming a kind of funding source.
    FundingSourceRow, "funding_sources.tsv", ["kind", "words"] {
        pub kind: FundingKind,
        pub words: String,
    } check(self) { pattern(1, &self.words).map_err(|(c, _)| (c, "no words".into())) }
);

row!(
    /// `headers.tsv`: a plan-matrix column header and its role.
    HeaderRow, "headers.tsv", ["role", "language", "header"] {
        pub role: String,
        pub language: String,
        pub header: String,
    } check(self) {
        let stated = self.role.strip_prefix("stated_").is_some_and(|r| !r.is_empty());
        let role = self.role.as_str();
        let known = HEADER_ROLES.contains(&role)
            || crate::extract::structure::lexicon::FIELDS.contains(&role);
        if !stated && !known {
            return Err((0, format!("unknown role {:?}", self.role)));
        }
        // A header of punctuation alone would have no key to match.
        keyed(2, &self.header)
    }
);

row!(
    /// `indicator_headers.tsv`: an indicator-table header and its role.
    IndicatorHeaderRow, "indicator_headers.tsv", ["role", "language", "header"] {
        pub role: IndicatorHeader,
        pub language: String,
        pub header: String,
    }
);

row!(
    /// `lang_evidence.tsv`: one piece of evidence for Albanian or Serbian.
    LangEvidenceRow, "lang_evidence.tsv", ["kind", "token", "language", "weight"] {
        pub kind: EvidenceKind,
        pub token: String,
        pub language: EvidenceLanguage,
        pub weight: f64,
    } check(self) {
        let n = self.token.to_lowercase().chars().count();
        let fits = match self.kind {
            EvidenceKind::Letter => n == 1,
            EvidenceKind::Bigram => n == 2,
            EvidenceKind::Word | EvidenceKind::Suffix => n >= 1,
        };
        if fits { Ok(()) } else { Err((1, "token does not fit its kind".into())) }
    }
);

row!(
    /// `money_markers.tsv`: words that tell money apart.
    MoneyMarkerRow, "money_markers.tsv", ["kind", "pattern"] {
        pub kind: String,
        pub pattern: String,
    } check(self) {
        let currency = self
            .kind
            .strip_prefix("currency:")
            .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()));
        if !(currency || MONEY_KINDS.contains(&self.kind.as_str())) {
            return Err((0, format!("unknown kind {:?}", self.kind)));
        }
        pattern(1, &self.pattern)
    }
);

row!(
    /// `months.tsv`: a month name.
    MonthRow, "months.tsv", ["form", "month", "language"] {
        pub form: String,
        pub month: u8,
        pub language: String,
    } check(self) {
        required(0, &self.form)?;
        if (1..=12).contains(&self.month) { Ok(()) } else { Err((1, "month out of 1..12".into())) }
    }
);

row!(
    /// `municipalities.tsv`: the names of one municipality in one language.
    MunicipalityRow, "municipalities.tsv", ["id", "language", "forms"] {
        pub id: String,
        pub language: NameLanguage,
        pub forms: String,
    } check(self) {
        if self.id.is_empty() || self.id.contains(char::is_whitespace) {
            return Err((0, "id is empty or has spaces".into()));
        }
        if self.forms.split(';').all(|f| f.trim().is_empty()) {
            return Err((2, "no forms".into()));
        }
        Ok(())
    }
);

row!(
    /// `not_a_number.tsv`: a "no value" marker.
    NotANumberRow, "not_a_number.tsv", ["form", "where"] {
        pub form: String,
        #[serde(rename = "where")]
        pub place: NanPlace,
    } check(self) { required(0, &self.form) }
);

row!(
    /// `number_context.tsv`: a word around numbers.
    NumberContextRow, "number_context.tsv", ["form", "role", "value", "language"] {
        pub form: String,
        pub role: ContextRole,
        #[serde(default)]
        pub value: String,
        #[serde(default)]
        pub language: String,
    } check(self) {
        if self.role == ContextRole::Ordinal && self.value.parse::<u8>().is_err() {
            return Err((2, "ordinal value is not a number".into()));
        }
        if self.role == ContextRole::Inflection && self.form.is_empty() {
            return Err((0, "empty ending".into()));
        }
        Ok(())
    }
);

row!(
    /// `number_words.tsv`: a number written as a word.
    NumberWordRow, "number_words.tsv", ["form", "value", "language", "role"] {
        pub form: String,
        pub value: f64,
        pub language: String,
        pub role: NumberWordRole,
    } check(self) { required(0, &self.form) }
);

row!(
    /// `objective_labels.tsv`: a label announcing a goal-like node.
    ObjectiveLabelRow, "objective_labels.tsv", ["kind", "language", "label"] {
        pub kind: ObjectiveLabel,
        pub language: String,
        pub label: String,
    }
);

row!(
    /// `scale_markers.tsv`: a caption or header naming the unit of amounts.
    ScaleMarkerRow, "scale_markers.tsv", ["pattern", "factor"] {
        pub pattern: String,
        pub factor: u32,
    } check(self) {
        // An empty marker would "occur" before any text.
        keyed(0, &self.pattern)
    }
);

row!(
    /// `total_labels.tsv`: a word marking a total.
    TotalLabelRow, "total_labels.tsv", ["form", "language"] {
        pub form: String,
        #[serde(default)]
        pub language: String,
    } check(self) { required(0, &self.form) }
);

row!(
    /// `translit_exceptions.tsv`: where l+j, n+j, d+ž stay two letters.
    TranslitExceptionRow, "translit_exceptions.tsv", ["kind", "form", "examples"] {
        pub kind: ExceptionKind,
        pub form: String,
        #[serde(default)]
        pub examples: String,
    } check(self) {
        let letters = self.form.chars().any(|c| c != '|');
        if letters && self.form.contains('|') {
            Ok(())
        } else {
            Err((1, "form needs letters and at least one '|'".into()))
        }
    }
);

row!(
    /// `translit_keep_latin.tsv`: a token left in Latin.
    KeepLatinRow, "translit_keep_latin.tsv", ["token", "kind", "note"] {
        pub token: String,
        pub kind: KeepKind,
        #[serde(default)]
        pub note: String,
    } check(self) { required(0, &self.token) }
);

row!(
    /// `translit_sr.tsv`: one Cyrillic letter and its Latin spelling.
    TranslitRow, "translit_sr.tsv", ["cyrillic", "latin"] {
        pub cyrillic: String,
        pub latin: String,
    } check(self) {
        let cyr: Vec<char> = self.cyrillic.chars().collect();
        match cyr.as_slice() {
            [c] if c.is_ascii() => return Err((0, "the Cyrillic letter is ASCII".into())),
            [_] => {}
            _ => return Err((0, "expected one Cyrillic letter".into())),
        }
        match self.latin.chars().count() {
            1 | 2 => Ok(()),
            _ => Err((1, "expected one or two Latin letters".into())),
        }
    }
);

/// Every mapping file, typed and checked.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    pub activity_labels: Vec<Line<ActivityLabelRow>>,
    pub crosswalk: Vec<Line<CrosswalkRow>>,
    pub document_words: Vec<Line<DocumentWordRow>>,
    pub heading_styles: Vec<Line<HeadingStyleRow>>,
    pub symbol_fonts: Vec<Line<SymbolFontRow>>,
    pub funding_sources: Vec<Line<FundingSourceRow>>,
    pub headers: Vec<Line<HeaderRow>>,
    pub indicator_headers: Vec<Line<IndicatorHeaderRow>>,
    pub lang_evidence: Vec<Line<LangEvidenceRow>>,
    pub money_markers: Vec<Line<MoneyMarkerRow>>,
    pub months: Vec<Line<MonthRow>>,
    pub municipalities: Vec<Line<MunicipalityRow>>,
    pub not_a_number: Vec<Line<NotANumberRow>>,
    pub number_context: Vec<Line<NumberContextRow>>,
    pub number_words: Vec<Line<NumberWordRow>>,
    pub objective_labels: Vec<Line<ObjectiveLabelRow>>,
    pub scale_markers: Vec<Line<ScaleMarkerRow>>,
    pub total_labels: Vec<Line<TotalLabelRow>>,
    pub translit_exceptions: Vec<Line<TranslitExceptionRow>>,
    pub keep_latin: Vec<Line<KeepLatinRow>>,
    pub translit: Vec<Line<TranslitRow>>,
}

impl Lexicons {
    /// Reads and checks every file of `m`; the first bad row is the error.
    pub fn load(m: &Mappings) -> Result<Lexicons> {
        Ok(Lexicons {
            activity_labels: read(m)?,
            crosswalk: read(m)?,
            document_words: read(m)?,
            heading_styles: read(m)?,
            symbol_fonts: read(m)?,
            funding_sources: read(m)?,
            headers: read(m)?,
            indicator_headers: read(m)?,
            lang_evidence: read(m)?,
            money_markers: read(m)?,
            months: read(m)?,
            municipalities: read(m)?,
            not_a_number: read(m)?,
            number_context: read(m)?,
            number_words: read(m)?,
            objective_labels: read(m)?,
            scale_markers: read(m)?,
            total_labels: read(m)?,
            translit_exceptions: read(m)?,
            keep_latin: read(m)?,
            translit: read(m)?,
        })
    }
}

/// Reads one file's rows into `T`, checking each.
pub fn read<T: Row>(m: &Mappings) -> Result<Vec<Line<T>>> {
    let text = m.text(T::FILE).ok_or_else(|| Error::Mapping {
        file: T::FILE.to_string(),
        line: 0,
        reason: "no such mapping file".to_string(),
    })?;
    parse(text)
}

/// Reads `text` as the rows of `T`'s file: lines split at TAB as
/// `mappings::parse_tsv` does (csv's reader counts lines without its
/// skipped comments, and errors must name the file's own line), each row
/// deserialized by csv into `T`.
pub fn parse<T: Row>(text: &str) -> Result<Vec<Line<T>>> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let rec: csv::StringRecord = l.split('\t').map(str::trim).collect();
        let bad = |column: usize, reason: String| Error::MappingField {
            file: T::FILE.to_string(),
            line,
            column: column + 1,
            name: T::COLUMNS.get(column).copied().unwrap_or("extra"),
            reason,
        };
        if rec.len() > T::COLUMNS.len() {
            return Err(bad(
                T::COLUMNS.len(),
                format!("{} columns, expected {}", rec.len(), T::COLUMNS.len()),
            ));
        }
        let row: T = rec.deserialize(None).map_err(|e| match e.kind() {
            csv::ErrorKind::Deserialize { err, .. } => {
                // serde's own errors (an unknown kind) carry no field
                // number: the column is the one holding the named value,
                // else the first one missing.
                let col = err.field().map_or_else(
                    || {
                        let msg = err.to_string();
                        rec.iter()
                            .position(|f| msg.contains(&format!("unknown variant `{f}`")))
                            .unwrap_or(rec.len())
                    },
                    |f| f as usize,
                );
                let reason = match err.kind() {
                    csv::DeserializeErrorKind::Message(m) if col >= rec.len() => {
                        format!("missing ({m})")
                    }
                    k => k.to_string(),
                };
                bad(col, reason)
            }
            other => bad(0, format!("{other:?}")),
        })?;
        row.check().map_err(|(c, r)| bad(c, r))?;
        out.push(Line { line, row });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_loads() {
        let l = Lexicons::load(&Mappings::embedded()).unwrap();
        assert!(!l.months.is_empty() && !l.crosswalk.is_empty() && !l.symbol_fonts.is_empty());
    }

    #[test]
    fn rows_keep_their_lines_and_skip_comments() {
        let rows: Vec<Line<MonthRow>> =
            parse("# head\n\n januar \t1\tsr\r\n  # indented\n   \nfebruar\t2\tsr\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].row.form, "januar");
        assert_eq!(rows[1].line, 6);
        assert_eq!(rows[1].row.month, 2);
    }

    #[test]
    fn bad_rows_name_file_line_and_column() {
        let e = parse::<MonthRow>("januar\t1\tsr\nfoo\tx\tsr\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("months.tsv:2"), "{s}");
        assert!(s.contains("column 2 (month)"), "{s}");
        let e = parse::<MonthRow>("foo\t13\tsr\n").unwrap_err().to_string();
        assert!(
            e.contains("months.tsv:1: column 2 (month): month out of"),
            "{e}"
        );
        let e = parse::<NotANumberRow>("x\tsomewhere\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not_a_number.tsv:1: column 2 (where)"), "{e}");
        let e = parse::<MonthRow>("foo\n").unwrap_err().to_string();
        assert!(e.contains("column 2 (month): missing"), "{e}");
        let e = parse::<TotalLabelRow>("a\tsr\tc\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("column 3"), "{e}");
        let e = parse::<SymbolFontRow>("symbol\t1G2\t2200\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("column 2 (code)"), "{e}");
        let e = parse::<HeaderRow>("nonsense\tsr\tX\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("column 1 (role): unknown role"), "{e}");
        assert!(parse::<HeaderRow>("stated_total\tsr\tX\n").is_ok());
    }

    #[test]
    fn quotes_are_plain_text() {
        let rows: Vec<Line<TotalLabelRow>> = parse("\"ukupno\tsr\n").unwrap();
        assert_eq!(rows[0].row.form, "\"ukupno");
    }
}
