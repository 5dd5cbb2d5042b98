//! What the `planrec` commands do once their arguments are parsed: each
//! command is one function taking its options and returning an [`Outcome`]
//! or an [`Error`]; [`exit_code`] is the one place that turns either into
//! the process's exit code (0 success, 1 some inputs failed or something was
//! found, 2 usage or unreadable input). `src/main.rs` only parses arguments.

use crate::extract::PlanRecord;
use crate::read::{self, ReadOptions};
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command that ran to its end ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: everything read; `check` found nothing, `align` no mismatch.
    Clean,
    /// Exit 1: some inputs failed (the others were written), `check` found
    /// something, or `align` a numeric mismatch or a missing value.
    Flagged,
}

impl Outcome {
    fn flagged_if(flag: bool) -> Outcome {
        if flag {
            Outcome::Flagged
        } else {
            Outcome::Clean
        }
    }
}

/// The process exit code of a command's result; an error is printed here,
/// once, as `planrec: <error>`.
pub fn exit_code(result: Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Clean) => 0,
        Ok(Outcome::Flagged) => 1,
        Err(e) => {
            warn(&e);
            // Every error is a usage error or unreadable input today.
            u8::try_from(e.exit_code()).unwrap_or(2)
        }
    }
}

/// An error the command reports and goes on after (one failed input of
/// several).
fn warn(e: &Error) {
    eprintln!("planrec: {e}");
}

/// The configuration of this process: the embedded mapping files, with
/// those of `dir` over them, loaded and checked before any document is
/// read (a malformed row is reported with its file, line and column), and
/// the reading options that carry it to every stage.
pub fn configure(dir: Option<&Path>) -> Result<ReadOptions> {
    let m = match dir {
        Some(dir) => crate::mappings::Mappings::with_overrides(dir)?,
        None => crate::mappings::Mappings::embedded(),
    };
    // Loaded and checked once; every lexicon is built from these rows.
    let rows = crate::config::Lexicons::load(&m)?;
    let vocab = crate::vocab::Vocab::build(rows);
    Ok(ReadOptions::new(std::sync::Arc::new(vocab)))
}

/// JSON of a value for standard output, pretty or on one line; `path`
/// names the input in the error should the value not serialize.
fn to_json<T: serde::Serialize>(v: &T, compact: bool, path: &Path) -> Result<String> {
    let r = if compact {
        serde_json::to_string(v)
    } else {
        serde_json::to_string_pretty(v)
    };
    r.map_err(|source| Error::Serialize {
        path: path.to_path_buf(),
        source,
    })
}

fn print_line(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// `planrec schema KIND`: the committed JSON Schema of an output kind.
pub fn schema(kind: &str) -> Result<Outcome> {
    let kind = crate::schemas::Kind::from_name(kind)
        .ok_or_else(|| Error::Usage(format!("unknown schema `{kind}`")))?;
    let _ = std::io::stdout().lock().write_all(kind.text().as_bytes());
    Ok(Outcome::Clean)
}

/// `planrec translit`: Serbian text from `file` (or `-`, standard input)
/// to Cyrillic (`to == "cyrl"`) or Latin, on standard output.
pub fn translit(to: &str, file: &Path, vocab: &crate::vocab::Vocab) -> Result<Outcome> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = if file == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| Error::io(file, e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Invalid {
        path: file.to_path_buf(),
        reason: "not UTF-8 text".to_string(),
    })?;
    let out = if to == "cyrl" {
        vocab.norm().to_cyrillic(&text)
    } else {
        vocab.norm().to_latin(&text)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(Outcome::Clean)
}

/// `planrec dump`: the document model of one file as JSON.
pub fn dump(file: &Path, compact: bool, read: &ReadOptions) -> Result<Outcome> {
    let doc = read::read_path(file, read)?;
    print_line(&to_json(&doc, compact, file)?);
    Ok(Outcome::Clean)
}

/// How standard input is named in errors and in the record's provenance.
const STDIN_NAME: &str = "<stdin>";

fn is_stdin(f: &Path) -> bool {
    f == Path::new("-")
}

/// Reads one input of `extract`: a file, or the bytes of standard input
/// (read once, before the workers start); the format comes from the content.
fn read_input(f: &Path, stdin: Option<&[u8]>, opts: &ReadOptions) -> Result<crate::Document> {
    match stdin {
        Some(bytes) if is_stdin(f) => read::read_bytes(Path::new(STDIN_NAME), bytes, opts),
        _ => read::read_path(f, opts),
    }
}

/// What `planrec extract` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Input files; `-` is standard input.
    pub files: Vec<PathBuf>,
    /// Write `<name>.json` per input (and the flat tables) here instead of
    /// printing.
    pub out: Option<PathBuf>,
    /// One line per record when printing a single record.
    pub compact: bool,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// How to read, and the configuration.
    pub read: ReadOptions,
}

/// `planrec extract`: the plan record of each file, to standard output
/// (several as JSON Lines) or into a directory with the flat tables.
pub fn extract(opts: &ExtractOptions) -> Result<Outcome> {
    use rayon::prelude::*;
    let files = &opts.files;
    let out = opts.out.as_deref();
    let stdin = match files.iter().filter(|f| is_stdin(f)).count() {
        0 => None,
        1 => {
            use std::io::Read;
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(STDIN_NAME, e))?;
            Some(bytes)
        }
        _ => {
            return Err(Error::Usage(
                "`-` (standard input) given more than once".to_string(),
            ));
        }
    };
    // Several records on stdout are JSON Lines: one compact record a line.
    let compact = opts.compact || (out.is_none() && files.len() > 1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|source| Error::Threads { source })?;
    // Each file is read, extracted and written by one worker; messages are
    // printed afterwards in input order.
    let names = record_names(files);
    // With `-o`, a worker also builds the record's table rows while the
    // record is in memory, so nothing is read back from disk.
    let one = |(f, name): (&PathBuf, &String)| -> Result<Made> {
        let doc = read_input(f, stdin.as_deref(), &opts.read)?;
        let rec = crate::extract::extract(&doc, &opts.read.vocab);
        drop(doc);
        match out {
            None => Ok(Made::Json(to_json(&rec, compact, f)?)),
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                crate::emit::write_json(&dir.join(format!("{name}.json")), &rec)?;
                let rows =
                    crate::emit::tables::Rows::of_record(opts.read.vocab.norm(), &(&rec).into())?;
                Ok(Made::Rows(Box::new(rows)))
            }
        }
    };
    let mut results: Vec<_> = pool.install(|| files.par_iter().zip(&names).map(one).collect());
    let mut failed = 0;
    if let Some(dir) = out
        && let Err(e) = write_tables(dir, &names, &mut results)
    {
        warn(&e);
        failed += 1;
    }
    // A single input that could not be read is the command's error (exit
    // 2); of several, each failure is reported and the others still count.
    if failed == 0
        && results.len() == 1
        && results.first().is_some_and(Result::is_err)
        && let Some(Err(e)) = results.pop()
    {
        return Err(e);
    }
    for r in results {
        match r {
            Ok(Made::Json(json)) => print_line(&json),
            Ok(Made::Rows(_)) => {}
            Err(e) => {
                warn(&e);
                failed += 1;
            }
        }
    }
    Ok(Outcome::flagged_if(failed > 0))
}

/// The names of the records `extract -o DIR` writes, one per input, made
/// as `run` makes them: the file's stem; its whole name where two stems
/// meet (`a.txt`, `a.docx`); the path where two files of one name meet;
/// standard input is `stdin`. The same file given twice keeps one name.
fn record_names(files: &[PathBuf]) -> Vec<String> {
    let shown = |f: &PathBuf, whole: bool| -> String {
        if is_stdin(f) {
            "stdin".to_string()
        } else if whole {
            f.to_string_lossy().trim_start_matches("./").to_string()
        } else {
            f.file_name().map_or_else(
                || "document".to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        }
    };
    // Named once per distinct file, then handed to each of its mentions.
    let mut distinct: Vec<&PathBuf> = Vec::new();
    let mut index: std::collections::HashMap<&PathBuf, usize> = std::collections::HashMap::new();
    for f in files {
        index.entry(f).or_insert_with(|| {
            distinct.push(f);
            distinct.len() - 1
        });
    }
    let by_file: Vec<String> = distinct.iter().map(|f| shown(f, false)).collect();
    let mut names = crate::batch::unique_names(by_file.iter().map(String::as_str));
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for n in &names {
        *count.entry(n.clone()).or_insert(0) += 1;
    }
    if count.values().any(|&c| c > 1) {
        let by_path: Vec<String> = distinct.iter().map(|f| shown(f, true)).collect();
        let long = crate::batch::unique_names(by_path.iter().map(String::as_str));
        for (i, n) in names.iter_mut().enumerate() {
            if count.get(n.as_str()).is_some_and(|&c| c > 1)
                && let Some(l) = long.get(i)
            {
                *n = l.clone();
            }
        }
    }
    files
        .iter()
        .map(|f| {
            let i = index.get(f).copied().unwrap_or(0);
            names
                .get(i)
                .cloned()
                .unwrap_or_else(|| "document".to_string())
        })
        .collect()
}

/// What one input of `extract` gives: its JSON for standard output, or
/// (with `-o`, the record written) its rows for the flat tables.
enum Made {
    Json(String),
    Rows(Box<crate::emit::tables::Rows>),
}

/// `extract -o DIR`: the flat tables of the records written, in input
/// order, into `DIR/tables/` (no findings: extraction runs no checks). The
/// same file given twice has one name and one record, so its rows go in
/// once.
fn write_tables(dir: &Path, names: &[String], results: &mut [Result<Made>]) -> Result<()> {
    let mut t = crate::emit::tables::Tables::create(&dir.join("tables"))?;
    let mut seen = std::collections::HashSet::new();
    for (name, r) in names.iter().zip(results.iter_mut()) {
        if let Ok(Made::Rows(rows)) = r
            && seen.insert(name.as_str())
        {
            t.append(std::mem::take(rows.as_mut()))?;
        }
    }
    t.finish()
}

/// The corpus bundled with the project, found next to the manifest when run
/// through cargo, else `./corpus`.
pub fn default_corpus() -> PathBuf {
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// How much a batch command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    pub fn new(quiet: bool, verbose: bool) -> Verbosity {
        if quiet {
            Verbosity::Quiet
        } else if verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

/// Progress display: a bar on an interactive terminal (never when stderr is
/// piped or under CI), a line per document with --verbose, failures always.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    verbosity: Verbosity,
}

impl Progress {
    fn new(verbosity: Verbosity) -> Progress {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = (tty && verbosity != Verbosity::Quiet).then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg:>10} [{bar:40}] {pos}/{len} {elapsed_precise} (eta {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        });
        Progress { bar, verbosity }
    }

    fn event(&self, ev: crate::batch::Event) {
        use crate::batch::Event;
        let line = |s: String| match &self.bar {
            Some(b) => b.println(s),
            None => eprintln!("{s}"),
        };
        match ev {
            Event::Phase { name, total } => {
                if let Some(b) = &self.bar {
                    b.set_position(0);
                    b.set_length(total as u64);
                    b.set_message(name.to_string());
                }
            }
            Event::Document { path, error } => {
                if let Some(b) = &self.bar {
                    b.inc(1);
                }
                match error {
                    Some(e) => line(format!("planrec: {e}")),
                    None if self.verbosity == Verbosity::Verbose => line(format!("ok  {path}")),
                    None => {}
                }
            }
            Event::Pair { name } => {
                if let Some(b) = &self.bar {
                    b.inc(1);
                }
                if self.verbosity == Verbosity::Verbose {
                    line(format!("aligned {name}"));
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// `planrec run`: the main job over `input` (default: the bundled corpus).
pub fn run(
    input: Option<&Path>,
    out: &Path,
    opts: &crate::batch::Options,
    verbosity: Verbosity,
) -> Result<Outcome> {
    let input = input.map_or_else(default_corpus, Path::to_path_buf);
    let progress = Progress::new(verbosity);
    let result = crate::batch::run(&input, out, opts, &|ev| progress.event(ev));
    progress.finish();
    report(result?, out, verbosity)
}

/// `planrec merge`: the outputs of several runs combined into `out`.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    opts: &crate::batch::Options,
    verbosity: Verbosity,
) -> Result<Outcome> {
    let progress = Progress::new(verbosity);
    let result = crate::batch::merge(dirs, out, opts, &|ev| progress.event(ev));
    progress.finish();
    report(result?, out, verbosity)
}

/// The short human summary that ends a batch, and how the batch ended.
fn report(report: crate::batch::Report, out: &Path, verbosity: Verbosity) -> Result<Outcome> {
    let s = &report.summary;
    let t = &s.totals;
    if verbosity != Verbosity::Quiet {
        let mut o = std::io::stdout().lock();
        let shard = s
            .shard
            .as_deref()
            .map(|k| format!(" (shard {k} of {} inputs)", t.inputs))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{} documents read, {} failed{shard}; {} tables, {} objectives, {} activities, {} indicators, {} budget amounts",
            t.read, t.failed, t.tables, t.objectives, t.activities, t.indicators, t.budgets
        );
        let severities: Vec<String> = t
            .by_severity
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let _ = writeln!(
            o,
            "{} pair{} aligned, {} unpaired; findings: {} in alignments, {} in checks{}",
            t.pairs,
            if t.pairs == 1 { "" } else { "s" },
            t.unpaired,
            t.alignment_findings,
            t.check_findings,
            if severities.is_empty() {
                String::new()
            } else {
                format!(" ({})", severities.join(", "))
            }
        );
        for f in &s.failures {
            let _ = writeln!(o, "  failed: {}", f.error);
        }
        if verbosity == Verbosity::Verbose {
            let tm = &report.timings;
            let _ = writeln!(
                o,
                "time: {:.2} s wall; summed over threads: read {:.2} s, extract {:.2} s, check/align {:.2} s, write {:.2} s (discovery {:.2} s)",
                tm.wall.as_secs_f64(),
                tm.read.as_secs_f64(),
                tm.extract.as_secs_f64(),
                tm.check_align.as_secs_f64(),
                tm.write.as_secs_f64(),
                tm.discover.as_secs_f64()
            );
        }
        let _ = writeln!(o, "output in {}", out.display());
    }
    Ok(Outcome::flagged_if(report.exit_code() != 0))
}

/// Reads and extracts one plan.
fn record(path: &Path, opts: &ReadOptions) -> Result<PlanRecord> {
    let doc = read::read_path(path, opts)?;
    Ok(crate::extract::extract(&doc, &opts.vocab))
}

/// Writes a report as JSON to `out`, or prints it pretty.
fn write_or_print<T: serde::Serialize>(v: &T, out: Option<&Path>, input: &Path) -> Result<()> {
    match out {
        Some(p) => crate::emit::write_json(p, v),
        None => {
            print_line(&to_json(v, false, input)?);
            Ok(())
        }
    }
}

/// Where `align` and `check` write their reports: JSON to `out` (else
/// standard output), the reviewer page to `html`.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    pub out: Option<PathBuf>,
    pub html: Option<PathBuf>,
}

/// `planrec align A B`: two versions of one plan aligned and their numbers
/// compared; flagged on a numeric mismatch or a missing value.
pub fn align(a: &Path, b: &Path, to: &Reports, opts: &ReadOptions) -> Result<Outcome> {
    // Both are read before either failure is reported, so both are named.
    let (ra, rb) = match (record(a, opts), record(b, opts)) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(e), Err(f)) => {
            warn(&e);
            return Err(f);
        }
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
    };
    // Aligning a file with itself, or two plans that do not look like
    // versions of one, gives findings that mean nothing: say so.
    if ra.source.sha256 == rb.source.sha256 {
        eprintln!(
            "planrec: warning: {} and {} have the same bytes; aligning a file with itself finds nothing",
            a.display(),
            b.display()
        );
    } else {
        let (c, evidence) = crate::align::pairing::confidence(opts.vocab.norm(), &ra, &rb);
        if c < crate::align::pairing::THRESHOLD {
            eprintln!(
                "planrec: warning: {} and {} do not look like versions of one plan (pairing confidence {c:.2}{}); the findings may mean little",
                a.display(),
                b.display(),
                if evidence.is_empty() {
                    String::new()
                } else {
                    format!(": {}", evidence.join("; "))
                }
            );
        }
    }
    let al = crate::align::align(&ra, &rb, &opts.vocab);
    if let Some(p) = &to.out {
        crate::emit::write_json(p, &al)?;
    }
    if let Some(p) = &to.html {
        let page = crate::align::html(&al, &ra, &rb);
        crate::emit::write_atomic(p, page.as_bytes())?;
    }
    let _ = write!(std::io::stderr().lock(), "{}", crate::align::summary(&al));
    if to.out.is_none() && to.html.is_none() {
        print_line(&to_json(&al, false, a)?);
    }
    Ok(Outcome::flagged_if(al.has_errors()))
}

/// `planrec check FILE`: one plan's consistency with itself; flagged when
/// something is found.
pub fn check(file: &Path, to: &Reports, opts: &ReadOptions) -> Result<Outcome> {
    let rec = record(file, opts)?;
    let c = crate::check::check(&rec, &opts.vocab);
    // Like `align`: the JSON goes to stdout unless it or the page goes to
    // a file.
    if to.out.is_some() || to.html.is_none() {
        write_or_print(&c, to.out.as_deref(), file)?;
    }
    if let Some(p) = &to.html {
        let page = crate::check::html(&c, &rec);
        crate::emit::write_atomic(p, page.as_bytes())?;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}: {} findings", file.display(), c.findings.len());
    for f in &c.findings {
        let _ = writeln!(err, "  {}", crate::align::view::finding_line(f));
    }
    Ok(Outcome::flagged_if(!c.findings.is_empty()))
}

/// `planrec pair FILE...`: which files are versions of one plan, a line
/// per pair (tab-separated: both files, confidence, evidence) and per
/// unpaired file.
pub fn pair(files: &[PathBuf], opts: &ReadOptions) -> Result<Outcome> {
    let recs = files
        .iter()
        .map(|f| record(f, opts))
        .collect::<Result<Vec<_>>>()?;
    let refs: Vec<&PlanRecord> = recs.iter().collect();
    let p = crate::align::pair(&refs, &opts.vocab);
    let name = |i: usize| {
        files
            .get(i)
            .map_or_else(String::new, |f| f.display().to_string())
    };
    let mut o = std::io::stdout().lock();
    for pr in &p.pairs {
        let _ = writeln!(
            o,
            "{}\t{}\t{:.3}\t{}",
            name(pr.a),
            name(pr.b),
            pr.confidence,
            pr.evidence.join("; ")
        );
    }
    for &u in &p.unpaired {
        let _ = writeln!(o, "{}\tunpaired", name(u));
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_the_documented_exit_codes() {
        assert_eq!(exit_code(Ok(Outcome::Clean)), 0);
        assert_eq!(exit_code(Ok(Outcome::Flagged)), 1);
        assert_eq!(exit_code(Err(Error::Usage("test".to_string()))), 2);
    }

    #[test]
    fn record_names_keep_every_input_apart() {
        let files: Vec<PathBuf> = ["d/a.txt", "d/a.docx", "e/a.txt", "d/a.txt"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let names = record_names(&files);
        // The same file keeps its name; three different files, three names.
        assert_eq!(names[0], names[3]);
        let mut distinct = names[..3].to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{names:?}");
    }
}
