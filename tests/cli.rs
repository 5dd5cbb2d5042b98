//! The command line's habits: `extract -` reads standard input, several
//! files without `-o` print JSON Lines, `run --glob/--exclude`, `schema
//! KIND`, `completions SHELL`, and the exit codes under `--help`.

mod support;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planrec"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{tag}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("target tmp dir writable");
    d
}

const TXT: &str = "corpus/plandiste_2019_sr-Cyrl.txt";
const SR: &str = "corpus/mitrovica-south_2024-2026_sr-Latn.txt";
const SQ: &str = "corpus/mitrovica-south_2024-2026_sq-Latn.txt";
const DOCX: &str = "fixtures/seeds-docx/irig_2022-2027_sr-Cyrl.libreoffice.docx";

/// Runs the binary with `input` on its standard input.
fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("planrec starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    stdin.write_all(input).expect("stdin written");
    drop(stdin);
    child.wait_with_output().expect("planrec finishes")
}

fn extract_file(rel: &str) -> Value {
    let out = bin()
        .args(["extract", "--compact", rel])
        .current_dir(root())
        .output()
        .expect("planrec runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON record")
}

/// A record with its source path set aside, for comparing the same bytes
/// read from a file and from stdin.
fn without_path(mut v: Value) -> Value {
    v["source"]["path"] = Value::Null;
    v
}

#[test]
fn extract_dash_reads_stdin_and_tells_formats_by_content() {
    for rel in [TXT, DOCX] {
        let bytes = std::fs::read(root().join(rel)).expect("fixture present");
        let out = with_stdin(&["extract", "--compact", "-"], &bytes);
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rec: Value = serde_json::from_slice(&out.stdout).expect("a JSON record");
        assert_eq!(rec["source"]["path"], "<stdin>", "{rel}");
        let from_file = extract_file(rel);
        assert_eq!(
            rec["source"]["format"], from_file["source"]["format"],
            "{rel}"
        );
        assert!(
            without_path(rec) == without_path(from_file),
            "{rel}: the record read from stdin differs from the file's beyond its path"
        );
    }
}

#[test]
fn extract_dash_names_stdin_in_errors_and_refuses_two_dashes() {
    // A zip signature, then junk: a damaged DOCX.
    let out = with_stdin(&["extract", "-"], b"PK\x03\x04 not a zip at all");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<stdin>"), "{err}");

    let out = with_stdin(&["extract", "-", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than once"));
}

#[test]
fn extract_dash_with_out_dir_writes_stdin_json() {
    let dir = tmp("stdin-out");
    let bytes = std::fs::read(root().join(TXT)).expect("fixture present");
    let out = with_stdin(
        &["extract", "-", "-o", dir.to_str().expect("utf-8 tmp path")],
        &bytes,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: Value =
        serde_json::from_slice(&std::fs::read(dir.join("stdin.json")).expect("stdin.json written"))
            .expect("JSON");
    assert_eq!(rec["source"]["path"], "<stdin>");
}

#[test]
fn several_files_without_out_print_json_lines_in_input_order() {
    let files = [SQ, TXT, SR, DOCX];
    let out = bin()
        .arg("extract")
        .args(files)
        .args(["-j", "3"])
        .current_dir(root())
        .output()
        .expect("planrec runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), files.len(), "one line per file");
    for (line, rel) in lines.iter().zip(files) {
        let rec: Value = serde_json::from_str(line).expect("each line is one record");
        assert_eq!(rec["source"]["path"], rel, "input order");
        assert!(
            rec == extract_file(rel),
            "{rel}: the line is the file's record"
        );
    }
}

#[test]
fn several_files_with_one_failure_exit_1_and_print_the_others() {
    let dir = tmp("jsonl-fail");
    let bad = dir.join("broken.docx");
    std::fs::write(&bad, b"PK\x03\x04 broken").expect("write");
    let out = bin()
        .arg("extract")
        .arg(root().join(TXT))
        .arg(&bad)
        .output()
        .expect("planrec runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.docx"));
}

#[test]
fn schema_prints_each_kind_as_committed() {
    for kind in planrec::schemas::Kind::ALL {
        let out = bin()
            .args(["schema", kind.name()])
            .output()
            .expect("planrec runs");
        assert!(out.status.success());
        let committed = std::fs::read(root().join(kind.file())).expect("schema file committed");
        assert!(
            out.stdout == committed,
            "`planrec schema {kind}` differs from {}: regenerate it with `cargo run -- schema {kind} > {}`",
            kind.file(),
            kind.file()
        );
    }
    // Without a kind: the plan record, as before.
    let out = bin().arg("schema").output().expect("planrec runs");
    assert_eq!(
        out.stdout,
        std::fs::read(root().join("schema/plan-record-1.schema.json")).expect("committed")
    );
    let out = bin()
        .args(["schema", "recipe"])
        .output()
        .expect("planrec runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = bin()
            .args(["completions", shell])
            .output()
            .expect("planrec runs");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).expect("UTF-8");
        for word in ["planrec", "extract", "schema", "completions", "--glob"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let out = bin()
        .args(["completions", "cmd"])
        .output()
        .expect("planrec runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_states_the_exit_codes() {
    for args in [
        &["--help"][..],
        &["run", "--help"],
        &["extract", "--help"],
        &["align", "--help"],
        &["check", "--help"],
    ] {
        let out = bin().args(args).output().expect("planrec runs");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(text.contains("Exit codes:"), "{args:?}: {text}");
        for code in ["  0  ", "  1  ", "  2  "] {
            assert!(text.contains(code), "{args:?} lacks exit code {code:?}");
        }
    }
    // A usage error is the 2 the help promises.
    let out = bin()
        .args(["run", "--no-such-flag"])
        .output()
        .expect("planrec runs");
    assert_eq!(out.status.code(), Some(2));
}

fn copy(rel: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::copy(root().join(rel), to).expect("copy");
}

fn summary_paths(out: &Path) -> (Vec<String>, Vec<String>) {
    let s: Value = serde_json::from_slice(
        &std::fs::read(out.join("summary.json")).expect("summary.json written"),
    )
    .expect("JSON");
    let docs = s["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect();
    let failures = s["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect();
    (docs, failures)
}

#[test]
fn run_glob_and_exclude_select_by_relative_path() {
    let base = tmp("glob");
    let inp = base.join("in");
    copy(SR, &inp.join("sr/mitrovica-south_2024-2026_sr-Latn.txt"));
    copy(SQ, &inp.join("sq/mitrovica-south_2024-2026_sq-Latn.txt"));
    copy(TXT, &inp.join("plandiste_2019_sr-Cyrl.txt"));
    copy(DOCX, &inp.join("drafts/irig.docx"));
    std::fs::write(inp.join("drafts/scan.pdf"), b"%PDF-1.4").expect("write");
    std::fs::write(inp.join("notes.pdf"), b"%PDF-1.4").expect("write");

    let run = |tag: &str, args: &[&str]| {
        let out = base.join(tag);
        let o = bin()
            .arg("run")
            .arg(&inp)
            .arg("-o")
            .arg(&out)
            .arg("-q")
            .args(args)
            .output()
            .expect("planrec runs");
        (o, out)
    };

    // No selection: everything, the PDFs as failures.
    let (o, out) = run("all", &[]);
    assert_eq!(o.status.code(), Some(1), "the PDFs fail");
    let (docs, failures) = summary_paths(&out);
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert_eq!(failures, ["drafts/scan.pdf", "notes.pdf"]);

    // A name pattern applies at any depth; what it leaves out is no failure.
    let (o, out) = run("txt", &["--glob", "*.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let (docs, failures) = summary_paths(&out);
    assert_eq!(
        docs,
        [
            "plandiste_2019_sr-Cyrl.txt",
            "sq/mitrovica-south_2024-2026_sq-Latn.txt",
            "sr/mitrovica-south_2024-2026_sr-Latn.txt"
        ]
    );
    assert!(failures.is_empty(), "{failures:?}");

    // Globs are any-of; an excluded directory is left out whole.
    let (o, out) = run(
        "sel",
        &[
            "--glob",
            "sr/*",
            "--glob",
            "drafts/**",
            "--exclude",
            "drafts",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let (docs, failures) = summary_paths(&out);
    assert_eq!(docs, ["sr/mitrovica-south_2024-2026_sr-Latn.txt"]);
    assert!(failures.is_empty(), "{failures:?}");

    // `*` stops at `/`; `**/` also matches no directory.
    let (_, out) = run("star", &["--glob", "*/*.txt", "--exclude", "**/*sq-*"]);
    assert_eq!(
        summary_paths(&out).0,
        ["sr/mitrovica-south_2024-2026_sr-Latn.txt"]
    );

    // A malformed pattern is a usage error.
    let (o, _) = run("bad", &["--glob", "[a-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unclosed"));
}

/// The bash script loads in bash and completes subcommands and schema
/// kinds (skipped, visibly, where there is no bash).
#[test]
fn bash_completion_completes_in_bash() {
    let script = bin()
        .args(["completions", "bash"])
        .output()
        .expect("planrec runs")
        .stdout;
    let dir = tmp("bash-completion");
    let file = dir.join("planrec.bash");
    std::fs::write(&file, script).expect("write");
    let probe = format!(
        "source '{}' || exit 9
COMP_WORDS=(planrec sch); COMP_CWORD=1; _planrec planrec sch planrec; echo \"1:${{COMPREPLY[*]}}\"
COMP_WORDS=(planrec schema ''); COMP_CWORD=2; _planrec planrec '' schema; echo \"2:${{COMPREPLY[*]}}\"",
        file.display()
    );
    let Ok(out) = Command::new("bash").args(["-c", &probe]).output() else {
        support::shared::skip(
            "bash_completion_completes_in_bash",
            "no bash on this machine",
        );
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1:schema\n"), "{text}");
    let kinds = text
        .lines()
        .find_map(|l| l.strip_prefix("2:"))
        .unwrap_or("");
    for k in ["record", "alignment", "check", "batch"] {
        assert!(kinds.split_whitespace().any(|w| w == k), "{text}");
    }
}
