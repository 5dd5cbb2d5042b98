//! The one error type of the crate.
//!
//! Every error names the file it concerns and, where there is one, the place
//! inside it (a line, a zip part, an XML byte offset), so a batch can report
//! it and go on with the next file.

use std::path::PathBuf;

/// Errors from any stage. Stages never panic on input; they return one of these.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The output cannot be written for a reason of the machine, not of
    /// any input (disk full, file size limit, read-only file system): a
    /// batch stops rather than blame its documents.
    #[error(
        "{path}: cannot write the output: {source}; the run was stopped (the environment, not an input, is at fault)"
    )]
    Environment {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A value could not be written as JSON (a non-finite number, a map
    /// whose keys are no strings): the output is refused, never replaced.
    #[error("{path}: cannot serialize the output as JSON: {source}")]
    Serialize {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: not a DOCX file: {reason}")]
    NotZip { path: PathBuf, reason: String },
    #[error(
        "{path}: encrypted or password-protected Office document (OLE container); save it unencrypted as .docx"
    )]
    Encrypted { path: PathBuf },
    #[error("{path}: damaged OLE compound file: {source}")]
    Ole {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {what}; this reader takes Word 97-2003 and later (save it as .doc or .docx)")]
    OldWord { path: PathBuf, what: String },
    #[error("{path}: .doc {place}: {reason}")]
    Doc {
        path: PathBuf,
        place: String,
        reason: String,
    },
    #[error("{path}: zip archive has no {part}")]
    MissingPart { path: PathBuf, part: String },
    /// The zip container is damaged: its directory (`part` is `None`), or
    /// a part that cannot be opened or inflated.
    #[error("{path}: damaged zip archive: {}{source}", in_part(part.as_deref()))]
    Zip {
        path: PathBuf,
        part: Option<String>,
        #[source]
        source: ZipFault,
    },
    #[error("{path}: {part}: malformed XML at byte {position}: {source}")]
    Xml {
        path: PathBuf,
        part: String,
        position: u64,
        #[source]
        source: XmlFault,
    },
    #[error("{path}: {part}: limit exceeded: {what} (limit {limit})")]
    Limit {
        path: PathBuf,
        part: String,
        what: String,
        limit: u64,
    },
    #[error("{path}: unsupported input: {reason}")]
    Unsupported { path: PathBuf, reason: String },
    #[error("mappings: {file}:{line}: {reason}")]
    Mapping {
        file: String,
        line: usize,
        reason: String,
    },
    /// A mapping row that does not fit its file's row type.
    #[error("mappings: {file}:{line}: column {column} ({name}): {reason}")]
    MappingField {
        file: String,
        line: u64,
        /// 1-based column number and its name from the file's header.
        column: usize,
        name: &'static str,
        reason: String,
    },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    /// JSON that does not read as what it should be (a run's output, a
    /// record, a run summary); `what` says what was expected.
    #[error("{path}: {what}: {source}")]
    JsonInput {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// The CSV writer refused a row of the flat tables.
    #[error("{path}: {what}: {source}")]
    Csv {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: csv::Error,
    },
    /// The CSV writer could not hand back its bytes.
    #[error("{path}: {what}: {source}")]
    CsvBytes {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A pair's alignment failed: the pair is reported as failed, with the
    /// error that stopped it.
    #[error("{path}: {source}")]
    Pair {
        path: PathBuf,
        #[source]
        source: Box<Error>,
    },
    /// The thread of one document could not be started.
    #[error("{path}: cannot start a thread for this document: {source}")]
    Spawn {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// The pool of worker threads could not be started.
    #[error("cannot start worker threads: {source}")]
    Threads {
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// The review workbook could not be made (an Excel limit the writer
    /// enforces, or its own fault).
    #[error("{path}: cannot make the workbook: {source}")]
    Workbook {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

/// What is wrong inside a zip archive.
#[derive(Debug, thiserror::Error)]
pub enum ZipFault {
    /// The zip library's error, in words for the user.
    #[error("{}", ZipWords(.0))]
    Archive(#[source] zip::result::ZipError),
    /// Inflating a part failed while its XML was read.
    #[error(transparent)]
    Inflate(std::sync::Arc<std::io::Error>),
}

/// A zip library error as the user reads it: some of its messages name the
/// library's own types (`zip::format::blocks::Zip32CDEBlock`), which say
/// nothing to a reader of the report; those become one plain sentence. The
/// error itself stays the source.
struct ZipWords<'a>(&'a zip::result::ZipError);

impl std::fmt::Display for ZipWords<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!("{}", self.0);
        if text.contains("::") {
            f.write_str(
                "truncated or damaged zip structure (the archive's directory cannot be read)",
            )
        } else {
            f.write_str(&text)
        }
    }
}

/// `part: ` before the reason when the fault is in one part.
fn in_part(part: Option<&str>) -> String {
    part.map(|p| format!("{p}: ")).unwrap_or_default()
}

/// What is wrong with a part's XML.
#[derive(Debug, thiserror::Error)]
pub enum XmlFault {
    /// What the reader found wrong (an element left open, a part that
    /// ends inside an element).
    #[error("{0}")]
    Structure(String),
    /// A character reference that names no character (`&#xFFFFFFFF;`).
    #[error("bad character reference: {0}")]
    CharRef(#[source] quick_xml::Error),
    /// The XML parser's own error.
    #[error(transparent)]
    Parser(quick_xml::Error),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An output error: [`Error::Environment`] when the machine is at fault
    /// (no space, file too large, read-only), else [`Error::Io`].
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        use std::io::ErrorKind::*;
        let path = path.into();
        match source.kind() {
            StorageFull | FileTooLarge | ReadOnlyFilesystem | QuotaExceeded => {
                Error::Environment { path, source }
            }
            _ => Error::Io { path, source },
        }
    }

    /// Process exit code for this error: 2 for unreadable input and usage.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
