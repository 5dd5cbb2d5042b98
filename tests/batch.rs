//! The batch job (`planrec run`, `--shard`, `planrec merge`): outputs,
//! determinism across thread counts and runs, stale-file removal, shards
//! that cover every document exactly once and merge back to the bytes of a
//! whole run, exit codes.

use planrec::batch::{self, Options, Shard};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("batch-{tag}"))
}

/// Two small plans of the bundled corpus as text, two DOCX renditions in a
/// subdirectory, and (with `pair`) both language versions of the Mitrovica
/// plan. Small on purpose: debug builds extract slowly.
fn input_set(tag: &str, pair: bool) -> Scratch {
    let d = tmp(tag).into_sub("in");
    std::fs::create_dir_all(d.join("docx")).unwrap();
    let mut texts = vec!["irig_2022-2027_sr-Cyrl.txt", "plandiste_2019_sr-Cyrl.txt"];
    if pair {
        texts.push("mitrovica-south_2024-2026_sq-Latn.txt");
        texts.push("mitrovica-south_2024-2026_sr-Latn.txt");
    }
    for name in texts {
        std::fs::copy(manifest().join("corpus").join(name), d.join(name)).unwrap();
    }
    let seeds = manifest().join("fixtures/seeds-docx");
    for name in [
        "plandiste_2019_sr-Cyrl.pandoc.docx",
        "irig_2022-2027_sr-Cyrl.libreoffice.docx",
    ] {
        std::fs::copy(seeds.join(name), d.join("docx").join(name)).unwrap();
    }
    d
}

fn input(tag: &str) -> Scratch {
    input_set(tag, false)
}

/// Every file under `dir` by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn opts(jobs: usize, shard: Option<Shard>) -> Options {
    Options {
        jobs,
        shard,
        ..Options::default()
    }
}

fn quiet(_: batch::Event) {}

#[test]
fn run_writes_every_output_the_same_for_any_thread_count_and_run() {
    let base = tmp("determinism");
    let inp = input("determinism-in");
    let one = base.join("one");
    let two = base.join("two");
    let r1 = batch::run(&inp, &one, &opts(1, None), &quiet).unwrap();
    let r2 = batch::run(&inp, &two, &opts(2, None), &quiet).unwrap();
    assert_eq!(r1.summary, r2.summary);
    let t1 = tree(&one);
    assert_eq!(t1, tree(&two), "-j 1 and -j 2 differ");
    let s = &r1.summary;
    assert_eq!(s.totals.inputs, 4);
    assert_eq!(s.totals.read, 4, "{:?}", s.failures);
    assert!(s.failures.is_empty());
    for d in &s.documents {
        assert!(
            t1.contains_key(&format!("records/{}.json", d.name)),
            "{}",
            d.name
        );
        assert!(
            t1.contains_key(&format!("checks/{}.json", d.name)),
            "{}",
            d.name
        );
        assert!(
            t1.contains_key(&format!("checks/{}.html", d.name)),
            "{}",
            d.name
        );
    }
    for p in &s.pairs {
        assert!(t1.contains_key(&format!("alignments/{}.json", p.name)));
        assert!(t1.contains_key(&format!("alignments/{}.html", p.name)));
    }
    // Documents are listed in path order; records.jsonl follows it, one
    // compact record per line, each the same record as its file.
    let paths: Vec<&str> = s.documents.iter().map(|d| d.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.contains(&"docx/plandiste_2019_sr-Cyrl.pandoc.docx"));
    let jsonl = String::from_utf8(t1["records.jsonl"].clone()).unwrap();
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), s.documents.len());
    for (line, d) in lines.iter().zip(&s.documents) {
        let from_line: serde_json::Value = serde_json::from_str(line).unwrap();
        let from_file: serde_json::Value =
            serde_json::from_slice(&t1[&format!("records/{}.json", d.name)]).unwrap();
        assert_eq!(from_line, from_file, "{}", d.name);
        assert_eq!(from_line["source"]["path"], d.path.as_str());
    }
    // No temporary files are left behind.
    assert!(t1.keys().all(|k| !k.contains(".tmp.")), "{:?}", t1.keys());
    // Outputs name no absolute path: the same corpus elsewhere gives the
    // same bytes.
    let moved = tmp("determinism-moved").into_sub("elsewhere");
    std::fs::rename(&inp, &moved).unwrap();
    let three = base.join("three");
    batch::run(&moved, &three, &opts(2, None), &quiet).unwrap();
    assert_eq!(t1, tree(&three));
}

#[test]
fn rerun_over_the_same_output_removes_stale_files_and_keeps_bytes() {
    let base = tmp("rerun");
    let inp = input("rerun-in");
    let out = base.join("out");
    batch::run(&inp, &out, &opts(2, None), &quiet).unwrap();
    let first = tree(&out);
    // Leftovers of an earlier run over a bigger corpus, and a foreign file
    // in the output root that is not ours to remove.
    std::fs::write(out.join("records/gone.json"), b"{}").unwrap();
    std::fs::write(out.join("checks/gone.json"), b"{}").unwrap();
    std::fs::write(out.join("alignments/gone+old.html"), b"x").unwrap();
    std::fs::write(out.join("records/.x.json.tmp.1.2"), b"partial").unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    batch::run(&inp, &out, &opts(1, None), &quiet).unwrap();
    let mut second = tree(&out);
    assert_eq!(second.remove("notes.txt").as_deref(), Some(&b"mine"[..]));
    assert_eq!(first, second);
    // A document removed from the input loses its outputs on the next run.
    std::fs::remove_file(inp.join("plandiste_2019_sr-Cyrl.txt")).unwrap();
    let r = batch::run(&inp, &out, &opts(2, None), &quiet).unwrap();
    assert_eq!(r.summary.totals.read, 3);
    assert!(!out.join("records/plandiste_2019_sr-Cyrl.json").exists());
    assert!(!out.join("checks/plandiste_2019_sr-Cyrl.json").exists());
}

#[test]
fn shards_cover_every_document_once_and_merge_to_the_whole_run() {
    let base = tmp("shards");
    let inp = input_set("shards-in", true);
    let whole = base.join("whole");
    batch::run(&inp, &whole, &opts(2, None), &quiet).unwrap();
    let n = 3;
    let mut dirs = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for k in 1..=n {
        let d = base.join(format!("shard-{k}"));
        let r = batch::run(
            &inp,
            &d,
            &opts(1, Some(Shard { index: k, count: n })),
            &quiet,
        )
        .unwrap();
        assert_eq!(
            r.summary.shard.as_deref(),
            Some(format!("{k}/{n}").as_str())
        );
        assert_eq!(r.summary.totals.inputs, 6);
        seen.extend(r.summary.documents.iter().map(|d| d.path.clone()));
        // Both language versions of the Mitrovica plan carry the same plan
        // key, so they are in one shard (or, without one, neither here).
        let mitrovica = r
            .summary
            .documents
            .iter()
            .filter(|d| d.path.starts_with("mitrovica-south"))
            .count();
        assert!(mitrovica != 1, "versions of one plan split across shards");
        // The same shard twice gives the same bytes.
        let again = base.join(format!("shard-{k}-again"));
        batch::run(
            &inp,
            &again,
            &opts(2, Some(Shard { index: k, count: n })),
            &quiet,
        )
        .unwrap();
        assert_eq!(tree(&d), tree(&again));
        dirs.push(d);
    }
    seen.sort();
    let mut all: Vec<String> = batch::discover(&inp)
        .unwrap()
        .0
        .into_iter()
        .map(|i| i.rel)
        .collect();
    all.sort();
    assert_eq!(seen, all, "every document in exactly one shard");

    let merged = base.join("merged");
    let r = batch::merge(&dirs, &merged, &opts(2, None), &quiet).unwrap();
    if r.summary.pairs.is_empty() {
        println!("note: pairing found no pair yet");
    }
    assert_eq!(r.summary.shard, None);
    assert_eq!(
        tree(&merged),
        tree(&whole),
        "merge differs from a whole run"
    );

    // An incomplete or doubled set of shards is refused.
    let err = batch::merge(&dirs[..2], &base.join("m2"), &opts(1, None), &quiet).unwrap_err();
    assert!(err.to_string().contains("3/3"), "{err}");
    let twice = vec![dirs[0].clone(), dirs[0].clone(), dirs[1].clone()];
    assert!(batch::merge(&twice, &base.join("m3"), &opts(1, None), &quiet).is_err());
    // Something that is not a run output is a clear error.
    let err = batch::merge(
        &[inp.to_path_buf()],
        &base.join("m4"),
        &opts(1, None),
        &quiet,
    )
    .unwrap_err();
    assert!(err.to_string().contains("summary.json"), "{err}");
}

#[test]
fn versions_of_one_plan_share_a_shard_key() {
    // Two copies of one plan under different names have the same preview,
    // so the same key; the key of a plan with a municipality id comes from
    // the record, not the file name.
    let d = tmp("keys");
    let src = manifest().join("corpus/mitrovica-south_2024-2026_sr-Latn.txt");
    std::fs::copy(&src, d.join("a.txt")).unwrap();
    std::fs::copy(&src, d.join("b.txt")).unwrap();
    let (inputs, _) = batch::discover(&d).unwrap();
    let ro = planrec::read::ReadOptions::default();
    let keys: Vec<String> = inputs.iter().map(|i| batch::shard_key(i, &ro)).collect();
    let full = planrec::extract::extract(&planrec::read::read_path(&src, &ro).unwrap(), vocab());
    match batch::plan_key(&full) {
        Some(k) => {
            assert_eq!(keys[0], k);
            assert_eq!(keys[1], k);
        }
        None => {
            // Without a municipality id each file is its own key (merge
            // pairs across shards).
            println!("note: extraction gives no municipality id yet; keys by path");
            assert_eq!(keys, vec!["path:a.txt", "path:b.txt"]);
        }
    }
}

#[test]
fn docx_preview_is_a_prefix_of_the_full_read() {
    let p = manifest().join("fixtures/seeds-docx/ljubovija_2026-2028_sr-Cyrl.libreoffice.docx");
    let bytes = std::fs::read(&p).unwrap();
    let ro = planrec::read::ReadOptions::default();
    let full = planrec::read::read_bytes(&p, &bytes, &ro).unwrap();
    let pre = planrec::read::preview_bytes(&p, &bytes, &ro, 10).unwrap();
    assert!(full.blocks.len() > 10);
    assert_eq!(pre.blocks.len(), 10);
    assert_eq!(pre.blocks[..], full.blocks[..10]);
    assert_eq!(pre.source, full.source);
}

#[test]
fn names_of_inputs_sharing_a_stem_stay_apart() {
    let d = tmp("stems");
    let inp = d.join("in");
    std::fs::create_dir_all(inp.join("sub")).unwrap();
    let txt = std::fs::read(manifest().join("corpus/irig_2022-2027_sr-Cyrl.txt")).unwrap();
    std::fs::write(inp.join("plan.txt"), &txt).unwrap();
    std::fs::copy(
        manifest().join("fixtures/seeds-docx/irig_2022-2027_sr-Cyrl.pandoc.docx"),
        inp.join("plan.docx"),
    )
    .unwrap();
    std::fs::write(inp.join("sub/plan.txt"), &txt).unwrap();
    // Not inputs: Word's lock file, hidden files, other extensions.
    std::fs::write(inp.join("~$plan.docx"), b"lock").unwrap();
    std::fs::write(inp.join(".hidden.txt"), b"x").unwrap();
    std::fs::write(inp.join("notes.md"), b"x").unwrap();
    let r = batch::run(&inp, &d.join("out"), &opts(2, None), &quiet).unwrap();
    let names: Vec<&str> = r
        .summary
        .documents
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, vec!["plan.docx", "plan.txt", "sub_plan"]);
    assert!(r.summary.failures.is_empty(), "{:?}", r.summary.failures);
}

fn planrec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planrec"))
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap()
}

#[test]
fn cli_exit_codes_and_summary() {
    let base = tmp("cli");
    let inp = input("cli-in");
    let out = base.join("out");
    let o = planrec(&[
        "run",
        inp.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-j",
        "2",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("4 documents read, 0 failed"), "{stdout}");
    assert!(stdout.contains("tables"), "{stdout}");
    // Piped output: no progress bar, nothing on stderr.
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // One broken document: exit 1, named with its reason, the rest written.
    std::fs::write(inp.join("broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    let o = planrec(&["run", inp.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("4 documents read, 1 failed"), "{stdout}");
    assert!(stdout.contains("broken.docx"), "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["failures"][0]["path"], "broken.docx");
    assert!(out.join("records/irig_2022-2027_sr-Cyrl.json").exists());

    // --quiet prints nothing on success.
    std::fs::remove_file(inp.join("broken.docx")).unwrap();
    let o = planrec(&[
        "run",
        inp.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty() && o.stderr.is_empty());

    // Usage and fatal errors: exit 2.
    let o = planrec(&[
        "run",
        base.join("nope").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope"));
    let o = planrec(&["run", inp.to_str().unwrap(), "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));

    // Shards through the CLI, then merge.
    let s1 = base.join("s1");
    let s2 = base.join("s2");
    for (k, d) in [("1/2", &s1), ("2/2", &s2)] {
        let o = planrec(&[
            "run",
            inp.to_str().unwrap(),
            "-o",
            d.to_str().unwrap(),
            "--shard",
            k,
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let m = base.join("merged");
    let o = planrec(&[
        "merge",
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "-o",
        m.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(tree(&m), tree(&out));

    // extract -j over many files.
    let ex = base.join("extract");
    let files: Vec<String> = std::fs::read_dir(&inp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["extract", "-j", "2", "-o", ex.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    let o = planrec(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // One record per file, beside the flat tables (`tables/`).
    let records = std::fs::read_dir(&ex)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(records, files.len());
    assert!(ex.join("tables/budgets.csv").is_file());
}

#[test]
fn merge_pairs_versions_that_were_processed_apart() {
    // The two language versions of one plan, run in two separate batches,
    // are paired and aligned by the merge: the same bytes as one batch over
    // both.
    let base = tmp("cross");
    let names = [
        "mitrovica-south_2024-2026_sq-Latn.txt",
        "mitrovica-south_2024-2026_sr-Latn.txt",
    ];
    let both = base.join("both");
    std::fs::create_dir_all(&both).unwrap();
    let mut outs = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let one = base.join(format!("in{i}"));
        std::fs::create_dir_all(&one).unwrap();
        std::fs::copy(manifest().join("corpus").join(n), one.join(n)).unwrap();
        std::fs::copy(manifest().join("corpus").join(n), both.join(n)).unwrap();
        let out = base.join(format!("out{i}"));
        let r = batch::run(&one, &out, &opts(1, None), &quiet).unwrap();
        assert!(r.summary.pairs.is_empty());
        outs.push(out);
    }
    let whole = base.join("whole");
    let w = batch::run(&both, &whole, &opts(2, None), &quiet).unwrap();
    let merged = base.join("merged");
    let m = batch::merge(&outs, &merged, &opts(2, None), &quiet).unwrap();
    assert_eq!(m.summary, w.summary);
    assert_eq!(tree(&merged), tree(&whole));
    if w.summary.pairs.is_empty() {
        println!("note: pairing found no pair yet; only the merge bytes were compared");
    } else {
        let p = &w.summary.pairs[0];
        assert!(merged.join(format!("alignments/{}.json", p.name)).is_file());
        assert!(merged.join(format!("alignments/{}.html", p.name)).is_file());
    }
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
