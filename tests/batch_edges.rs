//! The edges of the batch contract: one writer per output directory, a
//! `summary.json` that marks a finished run, batch ids checked by merge,
//! faults of the machine kept apart from faults of inputs, lossless and
//! bounded names, and inputs that are not plans (each named with a reason,
//! never skipped or read as a plan).

use planrec::batch::{self, Options, Shard};
use planrec::read::{Limits, ReadOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("edges-{tag}"))
}

/// The smallest corpus plan, as text.
const SMALL: &str = "plandiste_2019_sr-Cyrl.txt";

fn small_input(tag: &str) -> Scratch {
    let d = tmp(tag).into_sub("in");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(manifest().join("corpus").join(SMALL), d.join(SMALL)).unwrap();
    d
}

fn opts(jobs: usize) -> Options {
    Options {
        jobs,
        ..Options::default()
    }
}

fn quiet(_: batch::Event) {}

fn planrec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planrec"))
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap()
}

#[test]
fn a_second_run_into_a_locked_output_is_refused() {
    let inp = small_input("lock");
    let out = inp.parent().unwrap().join("out");
    // This process holds the directory, as a running batch would.
    let held = batch::output::OutDir::open(&out).unwrap();
    let o = planrec(&["run", inp.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another planrec run"), "{err}");
    assert!(!out.join("summary.json").exists());
    let e = batch::run(&inp, &out, &opts(1), &quiet).unwrap_err();
    assert!(e.to_string().contains("another planrec run"), "{e}");
    // Released when its holder ends: the next run goes ahead.
    drop(held);
    let r = batch::run(&inp, &out, &opts(1), &quiet).unwrap();
    assert_eq!(r.summary.totals.read, 1);
}

#[test]
fn summary_marks_a_finished_run_and_orphans_are_removed() {
    let inp = small_input("finished");
    let out = inp.parent().unwrap().join("out");
    batch::run(&inp, &out, &opts(1), &quiet).unwrap();
    assert!(out.join("summary.json").is_file());
    // Temporary files of a killed run, in the directory and below.
    let orphans = [
        out.join(".records.jsonl.tmp.4242.7"),
        out.join("records/.x.json.tmp.4242.8"),
    ];
    for o in &orphans {
        std::fs::write(o, b"half").unwrap();
    }
    batch::run(&inp, &out, &opts(1), &quiet).unwrap();
    for o in &orphans {
        assert!(!o.exists(), "{}", o.display());
    }
    // A run that cannot finish leaves no summary behind, not the old one.
    std::fs::remove_file(out.join("records.jsonl")).unwrap();
    std::fs::create_dir(out.join("records.jsonl")).unwrap();
    assert!(batch::run(&inp, &out, &opts(1), &quiet).is_err());
    assert!(!out.join("summary.json").exists());
    // And a merge refuses that unfinished output.
    let e = batch::merge(
        std::slice::from_ref(&out),
        &inp.parent().unwrap().join("m"),
        &opts(1),
        &quiet,
    )
    .unwrap_err();
    assert!(e.to_string().contains("did not finish"), "{e}");
}

#[test]
fn merge_refuses_a_shard_of_another_batch() {
    let base = tmp("batches");
    let (a, b) = (base.join("a"), base.join("b"));
    for (d, files) in [
        (&a, vec![SMALL, "irig_2022-2027_sr-Cyrl.txt"]),
        (&b, vec![SMALL]),
    ] {
        std::fs::create_dir_all(d).unwrap();
        for f in files {
            std::fs::copy(manifest().join("corpus").join(f), d.join(f)).unwrap();
        }
    }
    let shard = |k| Options {
        jobs: 1,
        shard: Some(Shard { index: k, count: 2 }),
        ..Options::default()
    };
    let s1 = base.join("s1");
    let s2 = base.join("s2");
    let r1 = batch::run(&a, &s1, &shard(1), &quiet).unwrap();
    let r2 = batch::run(&b, &s2, &shard(2), &quiet).unwrap();
    assert_ne!(r1.summary.batch, r2.summary.batch);
    let e = batch::merge(&[s1.clone(), s2], &base.join("m"), &opts(1), &quiet).unwrap_err();
    assert!(e.to_string().contains("different batches"), "{e}");
    // The right shard merges, and carries the batch id of the whole run.
    let s2a = base.join("s2a");
    batch::run(&a, &s2a, &shard(2), &quiet).unwrap();
    let m = batch::merge(&[s1, s2a], &base.join("m"), &opts(1), &quiet).unwrap();
    let whole = batch::run(&a, &base.join("whole"), &opts(1), &quiet).unwrap();
    assert_eq!(m.summary.batch, whole.summary.batch);
    assert_eq!(m.summary.batch, r1.summary.batch);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_size_limit_stops_the_run_as_a_fault_of_the_machine() {
    let inp = small_input("ulimit");
    let out = inp.parent().unwrap().join("out");
    let bin = env!("CARGO_BIN_EXE_planrec");
    // 16 blocks of 512 bytes: smaller than the record.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 16 && exec '{bin}' run '{}' -o '{}'",
            inp.display(),
            out.display()
        ))
        .env_remove("CI")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("not an input, is at fault"), "{err}");
    assert!(!out.join("summary.json").exists());
}

#[test]
fn machine_faults_are_told_apart_from_input_faults() {
    use std::io::{Error as IoError, ErrorKind};
    for kind in [
        ErrorKind::StorageFull,
        ErrorKind::FileTooLarge,
        ErrorKind::ReadOnlyFilesystem,
    ] {
        let e = planrec::Error::write("out/x.json", IoError::from(kind));
        assert!(matches!(e, planrec::Error::Environment { .. }), "{e}");
    }
    let e = planrec::Error::write("out/x.json", IoError::from(ErrorKind::NotFound));
    assert!(matches!(e, planrec::Error::Io { .. }), "{e}");
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_or_too_long_stay_apart_and_lossless() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let inp = small_input("names");
    let plan = std::fs::read(inp.join(SMALL)).unwrap();
    std::fs::remove_file(inp.join(SMALL)).unwrap();
    // cp1250 `č` and `ć`: both lossy-decode to U+FFFD.
    for b in [0xE8u8, 0xE6] {
        let name = [b"plan-".as_slice(), &[b], b".txt"].concat();
        // Different bytes so neither is a duplicate of the other.
        let mut body = plan.clone();
        body.extend_from_slice(format!("\n{b}\n").as_bytes());
        std::fs::write(inp.join(OsStr::from_bytes(&name)), body).unwrap();
    }
    // A path whose flat name is far over 255 bytes.
    let deep = inp.join("д".repeat(60)).join("ж".repeat(60));
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join(format!("{}.txt", "ш".repeat(60))), &plan).unwrap();
    let out = inp.parent().unwrap().join("out");
    let r = batch::run(&inp, &out, &opts(2), &quiet).unwrap();
    assert!(r.summary.failures.is_empty(), "{:?}", r.summary.failures);
    let paths: Vec<&str> = r
        .summary
        .documents
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    assert!(paths.contains(&"plan-%E8.txt"), "{paths:?}");
    assert!(paths.contains(&"plan-%E6.txt"), "{paths:?}");
    for d in &r.summary.documents {
        assert!(d.name.len() <= batch::names::MAX_NAME, "{}", d.name);
        assert!(
            out.join("records")
                .join(format!("{}.json", d.name))
                .is_file()
        );
    }
    // The escaped path gives back the file's bytes.
    assert_eq!(
        batch::names::unescape("plan-%E8.txt"),
        b"plan-\xE8.txt".to_vec()
    );
    // The same names for another thread count.
    let again = batch::run(&inp, &inp.parent().unwrap().join("out1"), &opts(1), &quiet).unwrap();
    assert_eq!(again.summary.documents, r.summary.documents);
}

#[cfg(unix)]
#[test]
fn inputs_that_are_not_plans_are_named_with_a_reason() {
    let inp = small_input("notplans");
    let plan = std::fs::read(inp.join(SMALL)).unwrap();
    std::fs::write(
        inp.join("report.pdf"),
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
    )
    .unwrap();
    std::fs::write(inp.join("misnamed.txt"), b"%PDF-1.4\n1 0 obj\n<<>>\nendobj").unwrap();
    std::fs::write(inp.join("empty.txt"), b"  \r\n\n").unwrap();
    // Deterministic "random" bytes.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..40_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(inp.join("noise.txt"), noise).unwrap();
    std::fs::write(inp.join("copy.txt"), &plan).unwrap();
    std::os::unix::fs::symlink(inp.join("gone.txt"), inp.join("dangling.docx")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", inp.join("zero.txt")).unwrap();
    let fifo = inp.join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let out = inp.parent().unwrap().join("out");
    let r = batch::run(&inp, &out, &opts(2), &quiet).unwrap();
    let s = &r.summary;
    let reason = |p: &str| {
        s.failures
            .iter()
            .find(|f| f.path == p)
            .map(|f| f.error.clone())
            .unwrap_or_else(|| panic!("{p} not among the failures: {:?}", s.failures))
    };
    assert!(reason("report.pdf").contains("PDF"));
    assert!(reason("misnamed.txt").contains("PDF"));
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("noise.txt").contains("binary"));
    assert!(reason("dangling.docx").contains("broken symbolic link"));
    assert!(reason("zero.txt").contains("device"));
    if made {
        assert!(reason("pipe.txt").contains("FIFO"));
    } else {
        eprintln!("note: mkfifo unavailable; the FIFO case was not tried");
    }
    // The byte-identical copy is read, reported, and never paired.
    assert_eq!(s.duplicates.len(), 1, "{:?}", s.duplicates);
    assert_eq!(s.duplicates[0].path, SMALL);
    assert_eq!(s.duplicates[0].of, "copy.txt");
    assert!(s.pairs.is_empty(), "{:?}", s.pairs);
    assert_eq!(s.totals.read, 2);
    // Every input is counted.
    assert_eq!(s.totals.inputs, s.totals.documents);
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn a_document_without_plan_structure_is_a_warning() {
    let inp = small_input("warn");
    std::fs::write(
        inp.join("letter.txt"),
        "Poštovani,\n\nU prilogu dostavljamo zapisnik sa sastanka.\n\nS poštovanjem\n",
    )
    .unwrap();
    let r = batch::run(&inp, &inp.parent().unwrap().join("out"), &opts(1), &quiet).unwrap();
    let w: Vec<&str> = r.summary.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(w, ["letter.txt"]);
    assert!(r.summary.warnings[0].warning.contains("no plan structure"));
}

#[test]
fn a_zip_bomb_is_refused_from_its_declared_sizes_before_inflating() {
    use std::io::Write;
    // 64 MiB of one byte deflates ~1000×; the zip declares it honestly.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", o).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..64 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 1 << 20);
    let e = planrec::read::read_bytes(Path::new("bomb.docx"), &bytes, &ReadOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("declared compression ratio"), "{e}");
    // A declared size over the part limit is refused the same way.
    let small = ReadOptions {
        limits: Limits {
            max_part_bytes: 1 << 20,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    let e = planrec::read::read_bytes(Path::new("bomb.docx"), &bytes, &small).unwrap_err();
    assert!(e.to_string().contains("declared inflated size"), "{e}");
}

#[test]
fn text_over_the_size_limit_is_refused() {
    let plan = std::fs::read(manifest().join("corpus").join(SMALL)).unwrap();
    let limits = Limits {
        max_text_bytes: (plan.len() / 2) as u64,
        ..Limits::default()
    };
    let e = planrec::read::read_bytes(
        Path::new(SMALL),
        &plan,
        &ReadOptions {
            limits,
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, planrec::Error::Limit { .. }), "{e}");
    assert!(planrec::read::read_bytes(Path::new(SMALL), &plan, &ReadOptions::default()).is_ok());
}

#[test]
fn align_warns_on_one_file_twice_and_on_unrelated_plans() {
    let corpus = manifest().join("corpus");
    let a = corpus.join(SMALL);
    let o = planrec(&["align", a.to_str().unwrap(), a.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("same bytes"), "{err}");
    let b = corpus.join("mitrovica-south_2024-2026_sq-Latn.txt");
    let o = planrec(&["align", a.to_str().unwrap(), b.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("do not look like versions"), "{err}");
    // Two versions of one plan: no warning.
    let c = corpus.join("mitrovica-south_2024-2026_sr-Latn.txt");
    let o = planrec(&["align", b.to_str().unwrap(), c.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn zip_errors_name_no_library_types() {
    let docx =
        std::fs::read(manifest().join("fixtures/seeds-docx/plandiste_2019_sr-Cyrl.pandoc.docx"))
            .unwrap();
    for cut in [docx.len() - 10, docx.len() - 30, docx.len() / 2, 30] {
        let mut bytes = docx[..cut].to_vec();
        // A start that still says zip, so the zip reader is the one to fail.
        bytes[..4].copy_from_slice(b"PK\x03\x04");
        if let Err(e) =
            planrec::read::read_bytes(Path::new("cut.docx"), &bytes, &ReadOptions::default())
        {
            let text = e.to_string();
            assert!(!text.contains("::"), "{text}");
            assert!(text.contains("cut.docx"), "{text}");
        }
    }
}

#[test]
fn a_document_over_the_time_budget_is_its_failure_not_a_hung_run() {
    let inp = small_input("timeout");
    // Ljubovija four times over: far longer to extract than the budget.
    let plan = std::fs::read(manifest().join("corpus/ljubovija_2026-2028_sr-Cyrl.txt")).unwrap();
    std::fs::write(inp.join("long.txt"), plan.repeat(4)).unwrap();
    let out = inp.parent().unwrap().join("out");
    let o = Options {
        jobs: 2,
        doc_timeout: Some(std::time::Duration::from_millis(1)),
        ..Options::default()
    };
    let r = batch::run(&inp, &out, &o, &quiet).unwrap();
    let f = r
        .summary
        .failures
        .iter()
        .find(|f| f.path == "long.txt")
        .expect("long.txt given up");
    assert!(f.error.contains("time budget"), "{}", f.error);
    // Nothing of it is left behind: the summary describes the directory.
    assert!(!out.join("records/long.json").exists());
    assert!(r.summary.documents.iter().all(|d| d.path != "long.txt"));
    // Without a budget the same batch reads it.
    let r = batch::run(&inp, &out, &opts(2), &quiet).unwrap();
    assert!(r.summary.documents.iter().any(|d| d.path == "long.txt"));
}

#[cfg(unix)]
#[test]
fn extract_and_check_refuse_a_pdf_and_a_device() {
    let base = tmp("cli-refuse");
    let pdf = base.join("plan.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n",
    )
    .unwrap();
    for cmd in ["extract", "check"] {
        let o = planrec(&[cmd, pdf.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("PDF") && err.contains("plan.pdf"), "{err}");
    }
    let o = planrec(&["extract", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
}
