//! Hostile and broken inputs in one batch (issue 7, item 7): a zip bomb, a
//! truncated zip, a non-zip `.docx`, a `.doc`, DOCTYPE/entity tricks,
//! 200-deep nested tables, a 20 MB paragraph, invalid UTF-8, random bytes,
//! empty files, an unreadable file, and an output directory that cannot be
//! written. Each must give a clear per-file error (naming the file) or a
//! correct result — never a panic, a hang or unbounded memory — and the good
//! documents of the same batch must all be written.
//!
//! The inputs are generated here, into a temporary directory.

use planrec::batch::{self, Options};
use planrec::read::{Limits, ReadOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

/// Normalization's tables of the embedded vocabulary.
fn norm() -> &'static planrec::normalize::Norm {
    vocab().norm()
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(tag: &str) -> Scratch {
    scratch::scratch(&format!("robust-{tag}"))
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A minimal package: just `word/document.xml` (the reader falls back to
/// it when there are no relationships).
fn docx(document_xml: &[u8]) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zw.start_file("word/document.xml", opt).unwrap();
    zw.write_all(document_xml).unwrap();
    zw.finish().unwrap().into_inner()
}

fn doc_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    )
}

/// Bits of a raw deflate stream, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, v: u64, len: u32) {
        self.acc |= v << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Huffman codes go most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let mut r = 0u64;
        for i in 0..len {
            r |= (((code >> i) & 1) as u64) << (len - 1 - i);
        }
        self.put(r, len);
    }

    /// A literal in the fixed Huffman code.
    fn lit(&mut self, b: u8) {
        if b < 144 {
            self.code(0x30 + b as u32, 8);
        } else {
            self.code(0x190 + (b as u32 - 144), 9);
        }
    }
}

/// A zip bomb built by hand: `document.xml` is an opening of a document
/// followed by `len` bytes of `a`, deflated as one literal and then
/// length-258/distance-1 copies (13 bits for 258 bytes, ~1:160). The zip
/// entry claims the true size and a made-up CRC: the reader must stop at
/// its inflate limit long before either matters.
fn zip_bomb(len: u64) -> Vec<u8> {
    let head = format!(r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>"#);
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    for &c in head.as_bytes() {
        b.lit(c);
    }
    b.lit(b'a');
    let mut left = len - 1;
    while left >= 258 {
        b.code(0xC5, 8); // length code 285 = 258
        b.code(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        b.lit(b'a');
    }
    b.code(0, 7); // end of block
    b.put(0, 7);
    let data = b.out;
    let size = (head.len() as u64 + len).min(u32::MAX as u64) as u32;
    let name = b"word/document.xml";
    let mut z = Vec::new();
    let local = |z: &mut Vec<u8>| {
        z.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&0xDEADBEEFu32.to_le_bytes());
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&size.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z.extend_from_slice(name);
    };
    local(&mut z);
    z.extend_from_slice(&data);
    let cd = z.len() as u32;
    z.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&0xDEADBEEFu32.to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd;
    z.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

/// One paragraph of `len` bytes or a little more: plan-like words with a
/// number in every sentence.
fn long_paragraph(len: usize) -> String {
    let sentence = "Pružanje usluga dnevnog boravka za decu sa smetnjama u razvoju i podrška \
        porodicama kroz savetovanje, obuke i zajedničke aktivnosti sa školama i udruženjima, \
        za ukupno 1.250 korisnika; ";
    sentence.repeat(len / sentence.len() + 1)
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn is_root() -> bool {
    // Root reads a file whatever its mode; the unreadable-file case then
    // reads normally and only its error path goes unchecked.
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
                .unwrap_or(false)
        })
        .unwrap_or(false)
}

/// Writes every hostile input (and two good documents) into `dir`; returns
/// the names of the files that must fail, each with words its error must
/// contain.
fn hostile_inputs(dir: &Path) -> Vec<(&'static str, Vec<&'static str>)> {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let good =
        std::fs::read(manifest().join("fixtures/seeds-docx/irig_2022-2027_sr-Cyrl.pandoc.docx"))
            .unwrap();
    w("good.docx", &good);
    w(
        "good.txt",
        &std::fs::read(manifest().join("corpus/plandiste_2019_sr-Cyrl.txt")).unwrap(),
    );
    w("bomb.docx", &zip_bomb(256 << 20));
    w("truncated.docx", &good[..good.len() / 2]);
    w(
        "not-a-zip.docx",
        b"This is plain text saved with a .docx name.\n",
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(Rng(7).bytes(4096));
    w("legacy.doc", &ole);
    w("legacy-renamed.docx", &ole);
    // Billion laughs, an external entity and a parameter entity: none may be
    // expanded or fetched.
    let laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "ha ha ha ha ha ha ha ha ha ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&h;</w:t></w:r></w:p></w:body></w:document>"#
    );
    w("laughs.docx", &docx(laughs.as_bytes()));
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>before &x; after</w:t></w:r></w:p></w:body></w:document>"#
    );
    w("xxe.docx", &docx(xxe.as_bytes()));
    let mut nested = String::from("<w:p><w:r><w:t>outer</w:t></w:r></w:p>");
    for _ in 0..200 {
        nested.push_str("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p>");
    }
    for _ in 0..200 {
        nested.push_str("<w:p/></w:tc></w:tr></w:tbl>");
    }
    w("nested.docx", &docx(doc_xml(&nested).as_bytes()));
    // One long paragraph, as DOCX and as text, through the whole pipeline.
    // 2 MB here: the 20 MB case is read in `a_20_mb_paragraph_is_read_whole`
    // and run end to end by `a_20_mb_paragraph_through_the_whole_batch`.
    let big = long_paragraph(2_000_000);
    w(
        "big-paragraph.docx",
        &docx(doc_xml(&format!("<w:p><w:r><w:t>{big}</w:t></w:r></w:p>")).as_bytes()),
    );
    w("big-paragraph.txt", big.as_bytes());
    // A real plan with a few damaged byte sequences in its middle.
    let plan = std::fs::read(manifest().join("corpus/plandiste_2019_sr-Cyrl.txt")).unwrap();
    let mut cut = plan.len() / 2;
    while plan[cut] != b'\n' {
        cut += 1;
    }
    let mut bad = plan[..cut].to_vec();
    bad.extend_from_slice(&[
        0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, 0xFF,
    ]);
    bad.extend_from_slice(&plan[cut..]);
    w("invalid-utf8.txt", &bad);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    w("random.txt", &rng.bytes(64 * 1024));
    w("random.docx", &rng.bytes(64 * 1024));
    let mut pk = b"PK\x03\x04".to_vec();
    pk.extend(rng.bytes(8192));
    w("random-zip.docx", &pk);
    w("empty.txt", b"");
    w("empty.docx", b"");
    w("unreadable.txt", b"Plan 2024\n");
    let p = dir.join("unreadable.txt");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();

    let mut must_fail = vec![
        ("bomb.docx", vec!["limit"]),
        ("truncated.docx", vec![]),
        ("not-a-zip.docx", vec!["not a DOCX"]),
        // An OLE signature followed by noise: the .doc reader's clean error.
        ("legacy.doc", vec![".doc", "OLE"]),
        ("legacy-renamed.docx", vec![".doc"]),
        ("random.docx", vec!["not a DOCX"]),
        ("random-zip.docx", vec![]),
        ("empty.docx", vec!["not a DOCX"]),
        // Neither is a text export: refused, not read as an empty plan.
        ("random.txt", vec!["binary"]),
        ("empty.txt", vec!["empty"]),
    ];
    if !is_root() {
        must_fail.push(("unreadable.txt", vec!["ermission"]));
    }
    must_fail
}

#[test]
fn hostile_inputs_fail_cleanly_and_the_batch_completes() {
    let base = tmp("batch");
    let inp = base.join("in");
    std::fs::create_dir_all(&inp).unwrap();
    let must_fail = hostile_inputs(&inp);
    // Lower inflate limits than the defaults keep the bomb cheap to test;
    // the default limits are checked below.
    let opts = Options {
        jobs: 2,
        shard: None,
        max_memory: None,
        doc_timeout: None,
        select: Default::default(),
        workbook: false,
        read: ReadOptions {
            limits: Limits {
                max_part_bytes: 64 << 20,
                max_total_bytes: 128 << 20,
                ..Limits::default()
            },
            ..ReadOptions::default()
        },
    };
    let t0 = Instant::now();
    let out = base.join("out");
    let report = batch::run(&inp, &out, &opts, &|_| {}).unwrap();
    let elapsed = t0.elapsed();
    let s = &report.summary;
    let failed: Vec<(&str, &str)> = s
        .failures
        .iter()
        .map(|f| (f.path.as_str(), f.error.as_str()))
        .collect();
    for (name, words) in &must_fail {
        let Some((_, err)) = failed.iter().find(|(p, _)| p == name) else {
            panic!("{name} should fail; failures: {failed:?}");
        };
        assert!(err.contains(name), "error does not name the file: {err}");
        for w in words {
            assert!(err.contains(w), "{name}: `{err}` lacks `{w}`");
        }
    }
    for (p, err) in &failed {
        assert!(!err.contains("panic"), "{p}: {err}");
        assert!(
            must_fail.iter().any(|(n, _)| n == p)
                || ["laughs.docx", "xxe.docx", "nested.docx"].contains(p),
            "{p} failed unexpectedly: {err}"
        );
    }
    assert_eq!(
        s.totals.documents as usize,
        s.documents.len() + s.failures.len()
    );
    // Good documents of the same batch are all there.
    let read: Vec<&str> = s.documents.iter().map(|d| d.path.as_str()).collect();
    for must in [
        "good.docx",
        "good.txt",
        "big-paragraph.txt",
        "big-paragraph.docx",
        "invalid-utf8.txt",
    ] {
        assert!(read.contains(&must), "{must} not read: {failed:?}");
    }
    for d in &s.documents {
        assert!(
            out.join("records")
                .join(format!("{}.json", d.name))
                .is_file()
        );
    }
    // Entities are never expanded or fetched.
    for name in ["laughs", "xxe"] {
        if let Ok(rec) = std::fs::read_to_string(out.join("records").join(format!("{name}.json"))) {
            assert!(
                !rec.contains("ha ha ha ha ha ha ha ha ha ha ha"),
                "{name} expanded"
            );
            assert!(!rec.contains("root:"), "{name} read /etc/passwd");
            assert!(rec.len() < 1 << 20, "{name}: {} bytes", rec.len());
        }
    }
    // Damaged UTF-8 is decoded as UTF-8 with the bad bytes replaced (and
    // counted), not taken for another encoding; the text around survives.
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("records/invalid-utf8.json")).unwrap())
            .unwrap();
    assert_eq!(rec["source"]["encoding"], "UTF-8");
    assert!(rec.to_string().contains("Пландиште"));
    assert!(rec.to_string().contains('\u{FFFD}'));
    // The long paragraph is kept whole.
    assert!(longest_paragraph(&out.join("records/big-paragraph.docx.json")) >= 2_000_000);
    assert!(longest_paragraph(&out.join("records/big-paragraph.txt.json")) >= 2_000_000);
    // A guard against a hang, generous for a loaded machine.
    println!("hostile batch: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(600), "took {elapsed:?}");
}

fn longest_paragraph(record: &Path) -> usize {
    let rec: serde_json::Value = serde_json::from_slice(&std::fs::read(record).unwrap()).unwrap();
    rec["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap_or("").len())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_20_mb_paragraph_is_read_whole() {
    let big = long_paragraph(20_000_000);
    let ro = ReadOptions::default();
    let xml = doc_xml(&format!("<w:p><w:r><w:t>{big}</w:t></w:r></w:p>"));
    let doc = planrec::read::read_bytes(Path::new("big.docx"), &docx(xml.as_bytes()), &ro).unwrap();
    assert_eq!(doc.blocks.len(), 1);
    match &doc.blocks[0] {
        planrec::model::Block::Paragraph(p) => assert_eq!(p.text.len(), big.len()),
        other => panic!("{other:?}"),
    }
    let doc = planrec::read::read_bytes(Path::new("big.txt"), big.as_bytes(), &ro).unwrap();
    let text: usize = doc
        .blocks
        .iter()
        .map(|b| match b {
            planrec::model::Block::Paragraph(p) => p.text.len(),
            planrec::model::Block::Table(_) => 0,
        })
        .sum();
    assert!(text >= big.len() - 2, "{text} of {}", big.len());
}

/// The 20 MB paragraph through the whole batch (read, extract, check,
/// pair and align the two versions, write): linear, tens of seconds with
/// the test profile's optimization.
#[test]
fn a_20_mb_paragraph_through_the_whole_batch() {
    let base = tmp("big20");
    let inp = base.join("in");
    std::fs::create_dir_all(&inp).unwrap();
    let big = long_paragraph(20_000_000);
    let xml = doc_xml(&format!("<w:p><w:r><w:t>{big}</w:t></w:r></w:p>"));
    std::fs::write(inp.join("big.docx"), docx(xml.as_bytes())).unwrap();
    std::fs::write(inp.join("big.txt"), big.as_bytes()).unwrap();
    let t0 = Instant::now();
    let out = base.join("out");
    let r = batch::run(&inp, &out, &Options::default(), &|_| {}).unwrap();
    println!("20 MB paragraph, two files: {:?}", t0.elapsed());
    assert!(r.summary.failures.is_empty(), "{:?}", r.summary.failures);
    assert!(longest_paragraph(&out.join("records/big.docx.json")) >= 20_000_000);
    assert!(longest_paragraph(&out.join("records/big.txt.json")) >= 20_000_000);
    // A quarter of a gigabyte: never left behind.
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn default_limits_bound_a_bomb() {
    // Inflated bytes are capped well under a gigabyte per file by default.
    let l = Limits::default();
    assert!(l.max_total_bytes <= 1 << 30);
    assert!(l.max_part_bytes <= l.max_total_bytes);
    // A 64 MiB bomb against an 8 MiB part limit: a limit error, quickly.
    let bytes = zip_bomb(64 << 20);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let opts = ReadOptions {
        limits: Limits {
            max_part_bytes: 8 << 20,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    let err = planrec::read::read_bytes(Path::new("bomb.docx"), &bytes, &opts).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn an_output_directory_that_cannot_be_written_is_one_fatal_error() {
    let base = tmp("out");
    let inp = base.join("in");
    std::fs::create_dir_all(&inp).unwrap();
    std::fs::copy(
        manifest().join("corpus/irig_2022-2027_sr-Cyrl.txt"),
        inp.join("a.txt"),
    )
    .unwrap();
    // A regular file where the output directory should be: not writable as
    // a directory, even for root.
    let blocker = base.join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let err = batch::run(&inp, &blocker.join("out"), &Options::default(), &|_| {}).unwrap_err();
    assert!(err.to_string().contains("blocker"), "{err}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_planrec"))
        .args([
            "run",
            inp.to_str().unwrap(),
            "-o",
            blocker.join("out").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("blocker"));
    // A read-only directory (when not root: root writes anyway).
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let ro = base.join("ro");
        std::fs::create_dir_all(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        assert!(batch::run(&inp, &ro, &Options::default(), &|_| {}).is_err());
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    } else {
        println!("note: running as root; read-only directory case skipped (root can write)");
    }
}

/// Mutations in the style of a fuzzer: flips, inserts, deletions, copies,
/// and splices of tokens that stress the readers and the number parser.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    const TOKENS: &[&str] = &[
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tc>",
        "<w:tc><w:p>",
        "<w:p>",
        "</w:p>",
        "<w:r><w:t>",
        "</w:t></w:r>",
        "<w:vMerge/>",
        "<w:gridSpan w:val=\"99999999\"/>",
        "&#0;",
        "&#x1F600;",
        "&amp;",
        "&bogus;",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE x [",
        "<?pi ?>",
        "<!--",
        "-->",
        "\u{FEFF}",
        "\u{0}",
        "\t",
        "\r\n",
        "|",
        "+---+",
        "1.234,5",
        "3,150.00",
        "2024-2026",
        "50%",
        "€",
        "дин.",
        "000",
        "-",
        "/",
        "//",
        "Cilj 1.1:",
        "Мера 1.1",
        "Akt 1.1.1",
        "Objektivi 2:",
        "I.",
        "½",
        "٣",
    ];
    let mut v = input.to_vec();
    for _ in 0..1 + rng.next() % 4 {
        let len = v.len();
        let at = if len == 0 {
            0
        } else {
            (rng.next() as usize) % len
        };
        match rng.next() % 6 {
            0 if len > 0 => v[at] ^= 1 << (rng.next() % 8),
            1 => v.insert(at, rng.next() as u8),
            2 if len > 0 => {
                let n = ((rng.next() as usize) % 64).min(len - at);
                v.drain(at..at + n);
            }
            3 if len > 0 => {
                let n = ((rng.next() as usize) % 256).min(len - at);
                let chunk = v[at..at + n].to_vec();
                let to = (rng.next() as usize) % (len + 1);
                v.splice(to..to, chunk);
            }
            _ => {
                let t = TOKENS[(rng.next() as usize) % TOKENS.len()].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
        }
    }
    v
}

/// Runs `f` on `input`; a panic saves the input under `target/` and fails
/// the test with where to find it.
fn must_not_panic(kind: &str, i: usize, input: &[u8], f: impl FnOnce(&[u8])) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(input))).is_err() {
        let p = manifest().join(format!("target/fuzz-crash-{kind}-{i}.bin"));
        let _ = std::fs::write(&p, input);
        panic!(
            "{kind} panicked on mutation {i}; input saved to {}",
            p.display()
        );
    }
}

fn document_xml(docx: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).ok()?;
    let mut f = z.by_name("word/document.xml").ok()?;
    let mut v = Vec::new();
    f.read_to_end(&mut v).ok()?;
    Some(v)
}

/// The stable counterpart of the cargo-fuzz targets in `fuzz/`: seeded
/// random mutations of the fixtures through the DOCX reader, the text
/// reader, the number parser and the .doc reader, each followed by extraction. Bounded by
/// time (`PLANREC_FUZZ_SECS`, default 6 s per target) so it stays cheap in
/// CI; a longer run is one environment variable away.
#[test]
fn seeded_mutations_never_panic() {
    let secs: u64 = std::env::var("PLANREC_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let budget = Duration::from_secs(secs);
    let opts = ReadOptions {
        limits: Limits {
            max_part_bytes: 16 << 20,
            max_total_bytes: 32 << 20,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    let mut xml_seeds = Vec::new();
    let mut zip_seeds = Vec::new();
    let mut dir: Vec<PathBuf> = std::fs::read_dir(manifest().join("fixtures/docx"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dir.sort();
    for p in dir {
        let bytes = std::fs::read(&p).unwrap();
        if let Some(x) = document_xml(&bytes) {
            xml_seeds.push(x);
        }
        zip_seeds.push(bytes);
    }
    let mut text_seeds = Vec::new();
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(manifest().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    corpus.sort();
    for p in corpus {
        let t = std::fs::read(&p).unwrap();
        // Pieces of a few KiB keep each iteration fast.
        for start in (0..t.len()).step_by(6000).take(6) {
            text_seeds.push(t[start..(start + 3000).min(t.len())].to_vec());
        }
    }
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut runs = [0usize; 4];

    let t0 = Instant::now();
    let mut i = 0;
    while t0.elapsed() < budget {
        let input = if i % 4 == 3 {
            mutate(&mut rng, &zip_seeds[i % zip_seeds.len()])
        } else {
            let xml = mutate(&mut rng, &xml_seeds[i % xml_seeds.len()]);
            docx(&xml)
        };
        must_not_panic("docx", i, &input, |b| {
            if let Ok(d) = planrec::read::read_bytes(Path::new("m.docx"), b, &opts) {
                let rec = planrec::extract::extract(&d, vocab());
                let _ = planrec::align::check(&rec, vocab());
            }
        });
        i += 1;
    }
    runs[0] = i;

    let t0 = Instant::now();
    let mut i = 0;
    while t0.elapsed() < budget {
        let input = mutate(&mut rng, &text_seeds[i % text_seeds.len()]);
        must_not_panic("txt", i, &input, |b| {
            if let Ok(d) = planrec::read::read_bytes(Path::new("m.txt"), b, &opts) {
                let rec = planrec::extract::extract(&d, vocab());
                let _ = planrec::align::check(&rec, vocab());
            }
        });
        i += 1;
    }
    runs[1] = i;

    // Word 97-2003: the .doc fixtures, mutated in place (the compound
    // file's sectors stay where they are, so most mutations reach the FIB,
    // piece table, FKPs, styles and table definitions) or with the general
    // mutations (which mostly break the container).
    let mut doc_seeds = Vec::new();
    let mut dir: Vec<PathBuf> = std::fs::read_dir(manifest().join("fixtures/doc"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dir.sort();
    for p in dir {
        doc_seeds.push(std::fs::read(&p).unwrap());
    }
    let t0 = Instant::now();
    let mut i = 0;
    while t0.elapsed() < budget {
        let seed = &doc_seeds[i % doc_seeds.len()];
        let input = if i % 4 == 3 {
            mutate(&mut rng, seed)
        } else {
            let mut v = seed.clone();
            for _ in 0..1 + rng.next() % 8 {
                let at = (rng.next() as usize) % v.len();
                match rng.next() % 3 {
                    0 => v[at] ^= 1 << (rng.next() % 8),
                    1 => v[at] = rng.next() as u8,
                    _ => {
                        let n = 4.min(v.len() - at);
                        let x = [0u8, 0xFF, 0x7F, 0x80][(rng.next() % 4) as usize];
                        v[at..at + n].fill(x);
                    }
                }
            }
            v
        };
        must_not_panic("doc", i, &input, |b| {
            if let Ok(d) = planrec::read::read_bytes(Path::new("m.doc"), b, &opts) {
                let rec = planrec::extract::extract(&d, vocab());
                let _ = planrec::align::check(&rec, vocab());
            }
        });
        i += 1;
    }
    runs[3] = i;

    use planrec::normalize::numbers::{Context, Convention};
    let t0 = Instant::now();
    let mut i = 0;
    while t0.elapsed() < budget {
        let seed = &text_seeds[i % text_seeds.len()];
        let line: Vec<u8> = seed
            .split(|&b| b == b'\n')
            .nth((rng.next() % 40) as usize)
            .unwrap_or(seed)
            .to_vec();
        let input = mutate(&mut rng, &line);
        must_not_panic("numbers", i, &input, |b| {
            let s = String::from_utf8_lossy(b);
            for convention in [
                Convention::Unknown,
                Convention::CommaDecimal,
                Convention::DotDecimal,
            ] {
                let ctx = Context {
                    convention,
                    ..Context::default()
                };
                for n in norm().parse_all(&s, &ctx) {
                    assert!(n.start <= s.len() && s.is_char_boundary(n.start));
                }
                let _ = norm().parse_cell(&s, &ctx);
            }
        });
        i += 1;
    }
    runs[2] = i;
    println!(
        "mutations run: docx {}, txt {}, numbers {}, doc {}",
        runs[0], runs[1], runs[2], runs[3]
    );
    assert!(runs.iter().all(|&n| n > 0));
}

/// The embedded vocabulary, built once for this test binary.
fn vocab() -> &'static planrec::vocab::Vocab {
    static V: std::sync::OnceLock<planrec::vocab::Vocab> = std::sync::OnceLock::new();
    V.get_or_init(planrec::vocab::Vocab::embedded)
}
