//! DOCX reader throughput, release build: `cargo bench --bench docx`.
//!
//! Two inputs, generated here so the bench needs no files: a corpus of 300
//! plan-like documents (headings, lists, a merged-cell table each) and one
//! document whose `word/document.xml` inflates to about 50 MB. For each,
//! files/s and MB/s of inflated `document.xml` for the full reader
//! (`read_bytes`), next to a bare loop that only inflates `document.xml`
//! and walks all its XML events with quick-xml — the floor any reader on
//! these crates pays.

use planrec::read::{ReadOptions, read_bytes};
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "support/floor.rs"]
mod floor;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn para(style: Option<&str>, num: Option<(u32, u32)>, text: &str) -> String {
    let mut ppr = String::new();
    if let Some(s) = style {
        ppr.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
    }
    if let Some((n, l)) = num {
        ppr.push_str(&format!(
            r#"<w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="{n}"/></w:numPr>"#
        ));
    }
    format!(
        r#"<w:p w14:paraId="1A2B3C4D" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:pPr>{ppr}<w:spacing w:after="120"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t> – 2024.</w:t></w:r></w:p>"#
    )
}

fn cell(props: &str, text: &str) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/>{props}</w:tcPr><w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:tc>"#
    )
}

fn table(rows: usize, seed: usize) -> String {
    let mut t = String::from(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"#,
    );
    for r in 0..rows {
        t.push_str("<w:tr>");
        let merge = if r % 4 == 0 {
            r#"<w:vMerge w:val="restart"/>"#
        } else {
            "<w:vMerge/>"
        };
        t.push_str(&cell(
            merge,
            if r % 4 == 0 {
                "Мера 1.1: Дневни боравак"
            } else {
                ""
            },
        ));
        t.push_str(&cell(
            r#"<w:gridSpan w:val="2"/>"#,
            &format!("Активност {seed}.{r} — Aktiviteti për fëmijë"),
        ));
        for c in 0..3 {
            t.push_str(&cell(
                "",
                &format!("{}", (seed * 31 + r * 7 + c) % 1000 * 100),
            ));
        }
        t.push_str("</w:tr>");
    }
    t.push_str("</w:tbl>");
    t
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

const STYLES: &str = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>"#;
const NUMBERING: &str = r#"<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn package(document_xml: &str) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let drels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/></Relationships>"#
    );
    let parts: [(&str, &str); 5] = [
        ("_rels/.rels", &rels),
        ("word/_rels/document.xml.rels", &drels),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", NUMBERING),
        ("word/document.xml", document_xml),
    ];
    for (name, data) in parts {
        zw.start_file(name, opt).expect("zip");
        zw.write_all(data.as_bytes()).expect("zip");
    }
    zw.finish().expect("zip").into_inner()
}

fn plan(i: usize) -> String {
    let mut body = String::new();
    body.push_str(&para(
        Some("Heading1"),
        None,
        &format!("Локални акциони план {i}"),
    ));
    for k in 0..25 {
        body.push_str(&para(
            None,
            None,
            &format!("Paragraf {k}: Plani lokal i veprimit për mbrojtjen sociale, {i}."),
        ));
    }
    for k in 0..10 {
        body.push_str(&para(None, Some((1, 0)), &format!("Cilj {k}")));
    }
    body.push_str(&table(24 + i % 16, i));
    document(&body)
}

fn inflated(bytes: &[u8]) -> u64 {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut f = zip.by_name("word/document.xml").expect("part");
    let mut sink = Vec::new();
    f.read_to_end(&mut sink).expect("inflate");
    sink.len() as u64
}

fn report(label: &str, files: usize, xml_bytes: u64, dt: Duration) {
    let s = dt.as_secs_f64();
    println!(
        "{label:<44} {:>9.1} files/s {:>8.1} MB/s  ({files} files, {:.1} MB document.xml, {:.2} s)",
        files as f64 / s,
        xml_bytes as f64 / 1e6 / s,
        xml_bytes as f64 / 1e6,
        s
    );
}

fn bench(label: &str, docs: &[Vec<u8>], rounds: usize) {
    let xml: u64 = docs.iter().map(|d| inflated(d)).sum();
    let opts = ReadOptions::default();
    let path = Path::new("bench.docx");
    // Warm up once.
    for d in docs {
        let _ = read_bytes(path, d, &opts);
    }
    let t0 = Instant::now();
    let mut blocks = 0usize;
    for _ in 0..rounds {
        for d in docs {
            blocks += read_bytes(path, d, &opts)
                .map(|doc| doc.blocks.len())
                .unwrap_or(0);
        }
    }
    report(
        &format!("{label}: planrec reader"),
        docs.len() * rounds,
        xml * rounds as u64,
        t0.elapsed(),
    );
    let t0 = Instant::now();
    let mut events = 0u64;
    for _ in 0..rounds {
        for d in docs {
            events += floor::floor(d);
        }
    }
    report(
        &format!("{label}: inflate + walk XML events"),
        docs.len() * rounds,
        xml * rounds as u64,
        t0.elapsed(),
    );
    std::hint::black_box((blocks, events));
}

/// The corpus plans read as DOCX and as .doc (the same content, both
/// saved by LibreOffice): documents per second each, and the ratio.
fn doc_vs_docx(rounds: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut pairs = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(root.join("seeds-doc"))
        .expect("fixtures/seeds-doc")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "doc"))
        .collect();
    names.sort();
    for d in names {
        let stem = d.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let x = root.join("seeds-docx").join(format!("{stem}.docx"));
        pairs.push((
            std::fs::read(&x).expect("docx twin"),
            std::fs::read(&d).expect("doc"),
        ));
    }
    let opts = ReadOptions::default();
    let time = |doc: bool| {
        let path = Path::new(if doc { "bench.doc" } else { "bench.docx" });
        let t0 = Instant::now();
        let mut chars = 0usize;
        for _ in 0..rounds {
            for (x, d) in &pairs {
                let r = read_bytes(path, if doc { d } else { x }, &opts).expect("read");
                chars += r.blocks.len();
            }
        }
        std::hint::black_box(chars);
        t0.elapsed()
    };
    let (tx, td) = (time(false), time(true));
    let n = (pairs.len() * rounds) as f64;
    let bytes = |doc: bool| -> usize {
        pairs
            .iter()
            .map(|(x, d)| if doc { d.len() } else { x.len() })
            .sum()
    };
    println!(
        "corpus plans, same content: DOCX {:>8.1} docs/s ({:.1} MB files/s), DOC {:>8.1} docs/s ({:.1} MB files/s); DOC time / DOCX time = {:.2}",
        n / tx.as_secs_f64(),
        (bytes(false) * rounds) as f64 / 1e6 / tx.as_secs_f64(),
        n / td.as_secs_f64(),
        (bytes(true) * rounds) as f64 / 1e6 / td.as_secs_f64(),
        td.as_secs_f64() / tx.as_secs_f64()
    );
}

fn main() {
    doc_vs_docx(40);
    let corpus: Vec<Vec<u8>> = (0..300).map(|i| package(&plan(i))).collect();
    bench("300 generated plans", &corpus, 3);

    let mb: usize = std::env::var("BENCH_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let mut body = String::new();
    let mut i = 0;
    while body.len() < mb * 1_000_000 {
        body.push_str(&para(Some("Heading1"), None, &format!("Поглавље {i}")));
        for k in 0..5 {
            body.push_str(&para(None, Some((1, 0)), &format!("Stavka {k} plana {i}")));
        }
        body.push_str(&table(40, i));
        i += 1;
    }
    let big = vec![package(&document(&body))];
    if let Ok(out) = std::env::var("BENCH_WRITE_BIG") {
        let _ = std::fs::write(out, &big[0]);
    }
    bench(&format!("one {mb} MB document.xml"), &big, 2);
}
