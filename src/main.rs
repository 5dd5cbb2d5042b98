//! The `planrec` command line: parses arguments, runs pipeline stages, maps
//! errors to exit codes (0 ok, 1 some inputs failed, 2 usage or unreadable
//! input). All the work lives in the library.

use clap::{Parser, Subcommand};
use planrec::mappings::Mappings;
use planrec::read::{self, ReadOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "planrec",
    version,
    about = "Municipal social-protection plans → canonical plan records"
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
    Run {
        /// Input directory, searched recursively for .txt and .docx files.
        input: Option<PathBuf>,
        /// Output directory.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
    },
    /// Extract plan records (schema plan-record/1) from plan files.
    Extract {
        /// Input files (.docx or .txt).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output directory (one `<name>.json` per input); without it, the
        /// record of a single file goes to stdout.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Compact JSON on one line instead of pretty-printed (stdout only).
        #[arg(long)]
        compact: bool,
    },
    /// Print the JSON Schema of the plan record.
    Schema,
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
    /// Check one plan's own arithmetic: totals, shares, repeated figures,
    /// scale (exit 1 when something is found).
    Check {
        file: PathBuf,
        /// Write the JSON report here instead of stdout.
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// Find which of the given plans are versions of one plan.
    Pair {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(dir) = &cli.mappings {
        // Validate overrides up front so a malformed row is reported with its
        // file and line instead of being skipped silently later.
        match Mappings::with_overrides(dir).and_then(|m| {
            planrec::normalize::check_mappings(&m)?;
            Ok(m)
        }) {
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
        Command::Run { input, out } => run(input, &out),
        Command::Translit { to, file } => translit(&to, &file),
        Command::Extract {
            files,
            out,
            compact,
        } => extract(&files, out.as_deref(), compact),
        Command::Align { a, b, out, html } => align(&a, &b, out.as_deref(), html.as_deref()),
        Command::Check { file, out } => check(&file, out.as_deref()),
        Command::Pair { files } => pair(&files),
        Command::Schema => {
            let schema = schemars::schema_for!(planrec::extract::PlanRecord);
            println!("{}", to_json(&schema, false));
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

fn extract(files: &[PathBuf], out: Option<&Path>, compact: bool) -> ExitCode {
    if out.is_none() && files.len() > 1 {
        eprintln!("planrec: several input files need an output directory (-o DIR)");
        return ExitCode::from(2);
    }
    let mut failed = 0;
    for f in files {
        let rec = match read::read_path(f, &ReadOptions::default()) {
            Ok(doc) => planrec::extract::extract(&doc),
            Err(e) => {
                eprintln!("planrec: {e}");
                failed += 1;
                continue;
            }
        };
        match out {
            None => {
                let _ = writeln!(std::io::stdout().lock(), "{}", to_json(&rec, compact));
            }
            Some(dir) => {
                let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("document");
                let target = dir.join(format!("{name}.json"));
                if let Err(e) = std::fs::create_dir_all(dir)
                    .map_err(|e| planrec::Error::Io {
                        path: dir.to_path_buf(),
                        source: e,
                    })
                    .and_then(|()| planrec::emit::write_json(&target, &rec))
                {
                    eprintln!("planrec: {e}");
                    failed += 1;
                }
            }
        }
    }
    match failed {
        0 => ExitCode::SUCCESS,
        n if n == files.len() && files.len() == 1 => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
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

fn collect_inputs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_inputs(&p, out)?;
        } else if matches!(
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("txt") | Some("docx")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

fn run(input: Option<PathBuf>, out: &Path) -> ExitCode {
    let input = input.unwrap_or_else(default_corpus);
    let mut files = Vec::new();
    if let Err(e) = collect_inputs(&input, &mut files) {
        eprintln!("planrec: {}: {e}", input.display());
        return ExitCode::from(2);
    }
    let dir = out.join("documents");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("planrec: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let mut failed = 0;
    for f in &files {
        let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("document");
        match read::read_path(f, &ReadOptions::default()) {
            Ok(doc) => {
                let target = dir.join(format!("{name}.json"));
                if let Err(e) = planrec::emit::write_json(&target, &doc) {
                    eprintln!("planrec: {e}");
                    failed += 1;
                }
            }
            Err(e) => {
                eprintln!("planrec: {e}");
                failed += 1;
            }
        }
    }
    println!(
        "{} documents read, {} failed; output in {}",
        files.len() - failed,
        failed,
        dir.display()
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
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

fn check(file: &Path, out: Option<&Path>) -> ExitCode {
    let Some(rec) = record_of(file) else {
        return ExitCode::from(2);
    };
    let c = planrec::align::check(&rec);
    if !write_or_print(&c, out) {
        return ExitCode::from(2);
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
