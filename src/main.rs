//! The `planrec` command line: parses arguments into one options value per
//! command and calls the library (`planrec::cli`), which does the work and
//! maps its result to the exit code (0 ok, 1 some inputs failed, 2 usage or
//! unreadable input).

use clap::{Args, CommandFactory, Parser, Subcommand};
use planrec::cli::{self, Outcome, Reports, Verbosity};
use std::path::PathBuf;
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

/// `-j`, shared by the commands that work in parallel.
#[derive(Args)]
struct Jobs {
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    jobs: usize,
}

/// `-q` and `-v` of the batch commands.
#[derive(Args)]
struct Chatter {
    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print a line per document and the time spent per stage.
    #[arg(short, long)]
    verbose: bool,
}

impl Chatter {
    fn verbosity(&self) -> Verbosity {
        Verbosity::new(self.quiet, self.verbose)
    }
}

/// `--workbook` of the batch commands.
#[derive(Args)]
struct Workbook {
    /// Also write `review.xlsx`, the reviewer workbook (item sheets and the
    /// larger finding sheets streamed; 6-12% of a run's work: more with
    /// more findings per plan).
    #[arg(long)]
    workbook: bool,
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
        #[command(flatten)]
        jobs: Jobs,
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
        #[command(flatten)]
        workbook: Workbook,
        #[command(flatten)]
        chatter: Chatter,
    },
    /// Combine the outputs of shard runs (or other runs) into one output.
    Merge {
        /// Output directories of `planrec run` (e.g. one per shard).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output directory of the merge.
        #[arg(short, long)]
        out: PathBuf,
        #[command(flatten)]
        jobs: Jobs,
        #[command(flatten)]
        workbook: Workbook,
        #[command(flatten)]
        chatter: Chatter,
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
        #[command(flatten)]
        jobs: Jobs,
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
    let args = Cli::parse();
    // The configuration is loaded (and checked) once, before any command.
    let result =
        cli::configure(args.mappings.as_deref()).and_then(|read| dispatch(args.command, read));
    ExitCode::from(cli::exit_code(result))
}

/// One command's options, handed to the library.
fn dispatch(command: Command, read: planrec::read::ReadOptions) -> planrec::Result<Outcome> {
    match command {
        Command::Dump { file, compact } => cli::dump(&file, compact, &read),
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
            chatter,
        } => {
            let opts = planrec::batch::Options {
                jobs: jobs.jobs,
                shard,
                max_memory,
                doc_timeout: (doc_timeout > 0).then(|| std::time::Duration::from_secs(doc_timeout)),
                select: planrec::batch::select::Select { globs, excludes },
                workbook: workbook.workbook,
                read,
            };
            cli::run(input.as_deref(), &out, &opts, chatter.verbosity())
        }
        Command::Merge {
            dirs,
            out,
            jobs,
            workbook,
            chatter,
        } => {
            let opts = planrec::batch::Options {
                jobs: jobs.jobs,
                workbook: workbook.workbook,
                shard: None,
                max_memory: None,
                doc_timeout: None,
                select: Default::default(),
                read,
            };
            cli::merge(&dirs, &out, &opts, chatter.verbosity())
        }
        Command::Translit { to, file } => cli::translit(&to, &file, &read.vocab),
        Command::Extract {
            files,
            out,
            compact,
            jobs,
        } => cli::extract(&cli::ExtractOptions {
            files,
            out,
            compact,
            jobs: jobs.jobs,
            read,
        }),
        Command::Align { a, b, out, html } => cli::align(&a, &b, &Reports { out, html }, &read),
        Command::Check { file, out, html } => cli::check(&file, &Reports { out, html }, &read),
        Command::Pair { files } => cli::pair(&files, &read),
        Command::Schema { kind } => cli::schema(&kind),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "planrec",
                &mut std::io::stdout().lock(),
            );
            Ok(Outcome::Clean)
        }
    }
}
