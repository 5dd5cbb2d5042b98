//! A test that skips because the shared material is absent says so in the
//! output of a default `cargo test` run (capture on), not only under
//! `--nocapture`: this binary runs its own probe test with
//! `PLANREC_SHARED` pointing at a missing directory and reads what reaches
//! the child's stderr.

mod support;

use std::process::Command;

const PROBE: &str = "probe_skips_when_shared_is_absent";

/// Run only by `skip_note_survives_the_harness_capture`, with the shared
/// material hidden.
#[test]
#[ignore = "run by skip_note_survives_the_harness_capture"]
fn probe_skips_when_shared_is_absent() {
    assert!(
        support::shared::dir(PROBE, "plans-dev", &["gold"]).is_none(),
        "the probe is meant to run with PLANREC_SHARED at a missing directory"
    );
}

#[test]
fn skip_note_survives_the_harness_capture() {
    let me = std::env::current_exe().expect("the test binary knows its path");
    let hidden = tempfile_dir();
    let out = Command::new(me)
        .args(["--ignored", "--exact", PROBE, "--test-threads=1"])
        .env("PLANREC_SHARED", hidden.join("missing"))
        // The harness's defaults, whatever the outer run was given.
        .env_remove("RUST_TEST_NOCAPTURE")
        .env_remove("RUST_TEST_THREADS")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "probe failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "the probe did not run:\n{stdout}"
    );
    let note = stderr
        .lines()
        .find(|l| l.starts_with(&format!("SKIPPED {PROBE}: ")));
    assert!(
        note.is_some_and(|l| l.contains("missing")),
        "no skip note naming the absent directory on stderr:\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// A directory of this run's own, below the target directory, so the
/// hidden path is certainly absent.
fn tempfile_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skip_note");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("target tmp dir writable");
    d
}
