//! The `planrec` command line: parses arguments, runs pipeline stages, maps
//! errors to exit codes (0 ok, 1 some inputs failed, 2 usage or unreadable
//! input). All the work lives in the library.

use clap::{CommandFactory, Parser, Subcommand};
use planrec::mappings::Mappings;
use planrec::read::{self, ReadOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Shown under every `--help`: scripts branch on these.
const EXIT_CODES: &str = "\
Exit codes:
  0  success (check: no findings; align: no numeric mismatch or missing value)
  1  some inputs failed, the others still written (run, merge, extract);
     check: something was found; align: a numeric mismatch or missing value
  2  usage error, unreadable input, or a fault of the machine while writing
     (disk full, file size limit, read-only file system)";

#[derive(Parser)]
#[command(
    name = "planrec",
    version,
    about = "Municipal social-protection plans → canonical plan records",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Directory whose mapping files replace the embedded ones by name.
    #[arg(long, global = true, value_name = "DIR")]
    mappings: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the document model of one file as JSON.
    Dump {
        file: PathBuf,
        /// Compact JSON on one line instead of pretty-printed.
        #[arg(long)]
        compact: bool,
    },
    /// Run the main job over a directory of plans (default: the bundled corpus).
    #[command(after_help = EXIT_CODES)]
    Run {
        /// Input directory, searched recursively for .docx, .doc and .txt files.
        input: Option<PathBuf>,
        /// Take only files whose path below the input directory matches
        /// (repeatable: any of them). `*` and `?` stop at `/`, `**` does
        /// not; a pattern without `/` matches the file name at any depth.
        #[arg(long = "glob", value_name = "PATTERN")]
        globs: Vec<planrec::batch::select::Glob>,
        /// Leave out files (and whole directories) whose path matches
        /// (repeatable; wins over --glob).
        #[arg(long = "exclude", value_name = "PATTERN")]
        excludes: Vec<planrec::batch::select::Glob>,
        /// Output directory.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// Process only the K-th of N shards (versions of one plan stay together).
        #[arg(long, value_name = "K/N")]
        shard: Option<planrec::batch::Shard>,
        /// Memory budget shared by all workers, e.g. 2G or 512M (default:
        /// half of the machine's or the control group's memory).
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        max_memory: Option<u64>,
        /// Seconds one document may take; a document still unfinished then
        /// is a failure and the batch goes on (0: no limit).
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        doc_timeout: u64,
        /// Also write `review.xlsx`, the reviewer workbook (held in memory
        /// whole; about a quarter of a large run's time).
        #[arg(long)]
        workbook: bool,
        /// Print nothing but errors.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Print a line per document and the time spent per stage.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Combine the outputs of shard runs (or other runs) into one output.
    Merge {
        /// Output directories of `planrec run` (e.g. one per shard).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output directory of the merge.
        #[arg(short, long)]
        out: PathBuf,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// Also write `review.xlsx`, the reviewer workbook.
        #[arg(long)]
        workbook: bool,
        /// Print nothing but errors.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Print a line per document and the time spent per stage.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Extract plan records (schema plan-record/1) from plan files.
    #[command(after_help = EXIT_CODES)]
    Extract {
        /// Input files (DOCX, DOC or text, told apart by content); `-`
        /// reads standard input (named `<stdin>` in errors and provenance).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output directory (one `<name>.json` per input); without it, the
        /// record of a single file goes to stdout, and the records of
        /// several files go to stdout as JSON Lines (one compact record per
        /// line, in input order).
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Compact JSON on one line instead of pretty-printed (one file to stdout).
        #[arg(long)]
        compact: bool,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
        jobs: usize,
    },
    /// Print the JSON Schema of an output (committed under schema/).
    Schema {
        /// record (plan-record/1), alignment (plan-alignment/1), check
        /// (plan-check/1) or batch (plan-batch/1, `summary.json`).
        #[arg(default_value = "record", value_parser = ["record", "alignment", "check", "batch"])]
        kind: String,
    },
    /// Print a shell completion script, e.g.
    /// `planrec completions bash > ~/.local/share/bash-completion/completions/planrec`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Transliterate Serbian text between Cyrillic and Latin (stdout).
    Translit {
        /// Target script: latn or cyrl.
        #[arg(long, value_parser = ["latn", "cyrl"])]
        to: String,
        /// Input file, or - (the default) for standard input.
        #[arg(default_value = "-")]
        file: PathBuf,
    },
    /// Align two versions of one plan and cross-check their numbers
    /// (exit 1 when a numeric mismatch or missing value is found).
    #[command(after_help = EXIT_CODES)]
    Align {
        /// First version (`a` in the report).
        a: PathBuf,
        /// Second version (`b`).
        b: PathBuf,
        /// Write the JSON report (plan-alignment/1) here.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Write the side-by-side HTML view here.
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// Check one plan's consistency with itself: restatements, totals,
    /// shares, series, periods, scale and unit labels (exit 1 when
    /// something is found).
    #[command(after_help = EXIT_CODES)]
    Check {
        file: PathBuf,
        /// Write the JSON report here instead of stdout.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Write the reviewer HTML page here.
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// Find which of the given plans are versions of one plan.
    Pair {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

// mimalloc: extraction allocates many small strings per cell; with it the
// 500-document bench extracts ~13% faster than with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A size with an optional K/M/G suffix (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}`: expected a size such as 2G, 512M or 1048576"))
}

/// A write past the file size limit (`ulimit -f`) would otherwise kill the
/// process with SIGXFSZ and no message; ignored, the write fails with
/// EFBIG, which the batch reports as a fault of the environment.
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "x86",
        target_arch = "arm"
    )
))]
fn ignore_sigxfsz() {
    const SIGXFSZ: i32 = 25;
    const SIG_IGN: usize = 1;
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    // SAFETY: installs the "ignore" disposition for one signal before any
    // thread is started; no handler code runs.
    unsafe {
        signal(SIGXFSZ, SIG_IGN);
    }
}

#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "x86",
        target_arch = "arm"
    )
)))]
fn ignore_sigxfsz() {}

fn main() -> ExitCode {
    ignore_sigxfsz();
    let cli = Cli::parse();
    if let Some(dir) = &cli.mappings {
        // Loading is checking: a malformed row is reported with its file,
        // line and column before any document is read.
        match Mappings::with_overrides(dir)
            .and_then(|m| planrec::config::Lexicons::load(&m).map(|_| m))
        {
            Ok(m) => {
                Mappings::install(m);
            }
            Err(e) => {
                eprintln!("planrec: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match cli.command {
        Command::Dump { file, compact } => dump(&file, compact),
        Command::Run {
            input,
            globs,
            excludes,
            out,
            jobs,
            shard,
            max_memory,
            doc_timeout,
            workbook,
            quiet,
            verbose,
        } => run(
            input,
            &out,
            planrec::batch::Options {
                jobs,
                shard,
                max_memory,
                doc_timeout: (doc_timeout > 0).then(|| std::time::Duration::from_secs(doc_timeout)),
                select: planrec::batch::select::Select { globs, excludes },
                workbook,
                ..Default::default()
            },
            Verbosity::new(quiet, verbose),
        ),
        Command::Merge {
            dirs,
            out,
            jobs,
            workbook,
            quiet,
            verbose,
        } => merge(&dirs, &out, jobs, workbook, Verbosity::new(quiet, verbose)),
        Command::Translit { to, file } => translit(&to, &file),
        Command::Extract {
            files,
            out,
            compact,
            jobs,
        } => extract(&files, out.as_deref(), compact, jobs),
        Command::Align { a, b, out, html } => align(&a, &b, out.as_deref(), html.as_deref()),
        Command::Check { file, out, html } => check(&file, out.as_deref(), html.as_deref()),
        Command::Pair { files } => pair(&files),
        Command::Schema { kind } => {
            // The value parser admits only the four names.
            let Some(kind) = planrec::schemas::Kind::from_name(&kind) else {
                eprintln!("planrec: unknown schema `{kind}`");
                return ExitCode::from(2);
            };
            let _ = std::io::stdout().lock().write_all(kind.text().as_bytes());
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "planrec",
                &mut std::io::stdout().lock(),
            );
            ExitCode::SUCCESS
        }
    }
}

fn translit(to: &str, file: &Path) -> ExitCode {
    use planrec::normalize::translit::{to_cyrillic, to_latin};
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = if file == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    if let Err(e) = read {
        eprintln!("planrec: {}: {e}", file.display());
        return ExitCode::from(2);
    }
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("planrec: {}: not UTF-8 text", file.display());
        return ExitCode::from(2);
    };
    let out = if to == "cyrl" {
        to_cyrillic(&text)
    } else {
        to_latin(&text)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

fn to_json<T: serde::Serialize>(v: &T, compact: bool) -> String {
    let r = if compact {
        serde_json::to_string(v)
    } else {
        serde_json::to_string_pretty(v)
    };
    // Serializing plain data types to a string cannot fail.
    r.unwrap_or_default()
}

fn dump(file: &Path, compact: bool) -> ExitCode {
    match read::read_path(file, &ReadOptions::default()) {
        Ok(doc) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", to_json(&doc, compact));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("planrec: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// How standard input is named in errors and in the record's provenance.
const STDIN_NAME: &str = "<stdin>";

fn is_stdin(f: &Path) -> bool {
    f == Path::new("-")
}

/// Reads one input of `extract`: a file, or the bytes of standard input
/// (read once, before the workers start); the format comes from the content.
fn read_input(f: &Path, stdin: Option<&[u8]>) -> Result<planrec::Document, planrec::Error> {
    match stdin {
        Some(bytes) if is_stdin(f) => {
            read::read_bytes(Path::new(STDIN_NAME), bytes, &ReadOptions::default())
        }
        _ => read::read_path(f, &ReadOptions::default()),
    }
}

fn extract(files: &[PathBuf], out: Option<&Path>, compact: bool, jobs: usize) -> ExitCode {
    use rayon::prelude::*;
    let stdin = match files.iter().filter(|f| is_stdin(f)).count() {
        0 => None,
        1 => {
            use std::io::Read;
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
                eprintln!("planrec: {STDIN_NAME}: {e}");
                return ExitCode::from(2);
            }
            Some(bytes)
        }
        _ => {
            eprintln!("planrec: `-` (standard input) given more than once");
            return ExitCode::from(2);
        }
    };
    // Several records on stdout are JSON Lines: one compact record a line.
    let compact = compact || (out.is_none() && files.len() > 1);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("planrec: cannot start worker threads: {e}");
            return ExitCode::from(2);
        }
    };
    // Each file is read, extracted and written by one worker; messages are
    // printed afterwards in input order.
    let names = record_names(files);
    let one = |(f, name): (&PathBuf, &String)| -> Result<Option<String>, planrec::Error> {
        let doc = read_input(f, stdin.as_deref())?;
        let rec = planrec::extract::extract(&doc);
        drop(doc);
        match out {
            None => Ok(Some(to_json(&rec, compact))),
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| planrec::Error::io(dir, e))?;
                planrec::emit::write_json(&dir.join(format!("{name}.json")), &rec)?;
                Ok(None)
            }
        }
    };
    let results: Vec<_> = pool.install(|| files.par_iter().zip(&names).map(one).collect());
    let mut failed = 0;
    if let Some(dir) = out {
        // The flat tables of the records written, in input order.
        let written = written_records(&names, &results, dir);
        if let Err(e) = planrec::emit::tables::write_for_records(dir, &written) {
            eprintln!("planrec: {e}");
            failed += 1;
        }
    }
    for r in results {
        match r {
            Ok(Some(json)) => {
                let _ = writeln!(std::io::stdout().lock(), "{json}");
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("planrec: {e}");
                failed += 1;
            }
        }
    }
    match failed {
        0 => ExitCode::SUCCESS,
        n if n == files.len() && files.len() == 1 => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
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
    let mut names = planrec::batch::unique_names(by_file.iter().map(String::as_str));
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for n in &names {
        *count.entry(n.clone()).or_insert(0) += 1;
    }
    if count.values().any(|&c| c > 1) {
        let by_path: Vec<String> = distinct.iter().map(|f| shown(f, true)).collect();
        let long = planrec::batch::unique_names(by_path.iter().map(String::as_str));
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

/// The record files `extract -o DIR` wrote, in input order, each once.
fn written_records<T, E>(names: &[String], results: &[Result<T, E>], dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for (name, r) in names.iter().zip(results) {
        let p = dir.join(format!("{name}.json"));
        if r.is_ok() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The corpus bundled with the project, found next to the manifest when run
/// through cargo, else `./corpus`.
fn default_corpus() -> PathBuf {
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    fn new(quiet: bool, verbose: bool) -> Verbosity {
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

    fn event(&self, ev: planrec::batch::Event) {
        use planrec::batch::Event;
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

fn run(
    input: Option<PathBuf>,
    out: &Path,
    opts: planrec::batch::Options,
    verbosity: Verbosity,
) -> ExitCode {
    let input = input.unwrap_or_else(default_corpus);
    let progress = Progress::new(verbosity);
    let result = planrec::batch::run(&input, out, &opts, &|ev| progress.event(ev));
    progress.finish();
    report(result, out, verbosity)
}

fn merge(
    dirs: &[PathBuf],
    out: &Path,
    jobs: usize,
    workbook: bool,
    verbosity: Verbosity,
) -> ExitCode {
    let opts = planrec::batch::Options {
        jobs,
        workbook,
        ..Default::default()
    };
    let progress = Progress::new(verbosity);
    let result = planrec::batch::merge(dirs, out, &opts, &|ev| progress.event(ev));
    progress.finish();
    report(result, out, verbosity)
}

/// The short human summary that ends a batch, and its exit code.
fn report(
    result: planrec::Result<planrec::batch::Report>,
    out: &Path,
    verbosity: Verbosity,
) -> ExitCode {
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("planrec: {e}");
            return ExitCode::from(2);
        }
    };
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
    ExitCode::from(report.exit_code())
}

/// Reads and extracts one plan, reporting a failure on stderr.
fn record_of(path: &Path) -> Option<planrec::extract::PlanRecord> {
    match read::read_path(path, &ReadOptions::default()) {
        Ok(doc) => Some(planrec::extract::extract(&doc)),
        Err(e) => {
            eprintln!("planrec: {e}");
            None
        }
    }
}

fn write_or_print<T: serde::Serialize>(v: &T, out: Option<&Path>) -> bool {
    match out {
        Some(p) => match planrec::emit::write_json(p, v) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("planrec: {e}");
                false
            }
        },
        None => {
            let _ = writeln!(std::io::stdout().lock(), "{}", to_json(v, false));
            true
        }
    }
}

fn align(a: &Path, b: &Path, out: Option<&Path>, html: Option<&Path>) -> ExitCode {
    let (Some(ra), Some(rb)) = (record_of(a), record_of(b)) else {
        return ExitCode::from(2);
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
        let (c, evidence) = planrec::align::pairing::confidence(&ra, &rb);
        if c < planrec::align::pairing::THRESHOLD {
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
    let al = planrec::align::align(&ra, &rb);
    if let Some(p) = out
        && !write_or_print(&al, Some(p))
    {
        return ExitCode::from(2);
    }
    if let Some(p) = html {
        let page = planrec::align::html(&al, &ra, &rb);
        if let Err(e) = planrec::emit::write_atomic(p, page.as_bytes()) {
            eprintln!("planrec: {e}");
            return ExitCode::from(2);
        }
    }
    let _ = write!(std::io::stderr().lock(), "{}", planrec::align::summary(&al));
    if out.is_none() && html.is_none() {
        let _ = writeln!(std::io::stdout().lock(), "{}", to_json(&al, false));
    }
    if al.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(file: &Path, out: Option<&Path>, html: Option<&Path>) -> ExitCode {
    let Some(rec) = record_of(file) else {
        return ExitCode::from(2);
    };
    let c = planrec::check::check(&rec);
    // Like `align`: the JSON goes to stdout unless it or the page goes to
    // a file.
    if (out.is_some() || html.is_none()) && !write_or_print(&c, out) {
        return ExitCode::from(2);
    }
    if let Some(p) = html {
        let page = planrec::check::html(&c, &rec);
        if let Err(e) = planrec::emit::write_atomic(p, page.as_bytes()) {
            eprintln!("planrec: {e}");
            return ExitCode::from(2);
        }
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}: {} findings", file.display(), c.findings.len());
    for f in &c.findings {
        let _ = writeln!(err, "  {}", planrec::align::view::finding_line(f));
    }
    if c.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn pair(files: &[PathBuf]) -> ExitCode {
    let mut recs = Vec::new();
    for f in files {
        match record_of(f) {
            Some(r) => recs.push(r),
            None => return ExitCode::from(2),
        }
    }
    let refs: Vec<&planrec::extract::PlanRecord> = recs.iter().collect();
    let p = planrec::align::pair(&refs);
    let mut o = std::io::stdout().lock();
    for pr in &p.pairs {
        let _ = writeln!(
            o,
            "{}\t{}\t{:.3}\t{}",
            files[pr.a].display(),
            files[pr.b].display(),
            pr.confidence,
            pr.evidence.join("; ")
        );
    }
    for &u in &p.unpaired {
        let _ = writeln!(o, "{}\tunpaired", files[u].display());
    }
    ExitCode::SUCCESS
}
