//! A tiny DOCX builder for tests: a package from XML strings, so each
//! fixture shows exactly the markup it tests.
#![allow(dead_code)]

pub mod shared;

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;
pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A package under construction.
#[derive(Clone)]
pub struct Docx {
    pub parts: Vec<(String, Vec<u8>)>,
    pub rels: Vec<(String, String, String, bool)>,
    pub root_rels: bool,
}

impl Docx {
    /// A document whose `w:body` holds `body`.
    pub fn body(body: &str) -> Docx {
        Docx::document(&format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
        ))
    }

    /// A document part given whole.
    pub fn document(xml: &str) -> Docx {
        Docx {
            parts: vec![("word/document.xml".into(), xml.as_bytes().to_vec())],
            rels: Vec::new(),
            root_rels: true,
        }
    }

    /// Adds (or replaces) a part.
    pub fn part(mut self, name: &str, xml: &str) -> Docx {
        self.parts.retain(|(n, _)| n != name);
        self.parts.push((name.into(), xml.as_bytes().to_vec()));
        self
    }

    pub fn part_bytes(mut self, name: &str, bytes: Vec<u8>) -> Docx {
        self.parts.retain(|(n, _)| n != name);
        self.parts.push((name.into(), bytes));
        self
    }

    /// A relationship of the main part (`kind` is the last segment of the type).
    pub fn rel(mut self, id: &str, kind: &str, target: &str, external: bool) -> Docx {
        self.rels
            .push((id.into(), kind.into(), target.into(), external));
        self
    }

    /// `word/styles.xml` with these `w:style` elements, related to the document.
    pub fn styles(self, styles: &str) -> Docx {
        self.part(
            "word/styles.xml",
            &format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {NS}>{styles}</w:styles>"#),
        )
        .rel("rIdStyles", "styles", "styles.xml", false)
    }

    /// `word/numbering.xml` with this content, related to the document.
    pub fn numbering(self, content: &str) -> Docx {
        self.part(
            "word/numbering.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}>{content}</w:numbering>"#
            ),
        )
        .rel("rIdNumbering", "numbering", "numbering.xml", false)
    }

    pub fn without_root_rels(mut self) -> Docx {
        self.root_rels = false;
        self
    }

    /// The zip bytes. Deterministic: fixed order, default timestamps.
    pub fn bytes(&self) -> Vec<u8> {
        let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opt = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        files.push((
            "[Content_Types].xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_vec(),
        ));
        if self.root_rels {
            let main = self
                .parts
                .iter()
                .map(|(n, _)| n.as_str())
                .find(|n| {
                    n.starts_with("word/")
                        && !n.contains("_rels")
                        && (n.ends_with("document.xml") || n.ends_with("main.xml"))
                })
                .unwrap_or("word/document.xml")
                .to_string();
            files.push((
                "_rels/.rels".into(),
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="{main}"/></Relationships>"#).into_bytes(),
            ));
        }
        if !self.rels.is_empty() {
            let mut x = String::from(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            );
            for (id, kind, target, ext) in &self.rels {
                let mode = if *ext {
                    r#" TargetMode="External""#
                } else {
                    ""
                };
                x.push_str(&format!(
                    r#"<Relationship Id="{id}" Type="{REL}/{kind}" Target="{target}"{mode}/>"#
                ));
            }
            x.push_str("</Relationships>");
            files.push(("word/_rels/document.xml.rels".into(), x.into_bytes()));
        }
        files.extend(self.parts.iter().cloned());
        for (name, data) in files {
            zw.start_file(name, opt).expect("zip entry");
            zw.write_all(&data).expect("zip write");
        }
        zw.finish().expect("zip finish").into_inner()
    }
}

/// A paragraph with one plain run.
pub fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A table cell holding paragraphs of these texts.
pub fn tc(props: &str, texts: &[&str]) -> String {
    let ps: String = texts.iter().map(|t| p(t)).collect();
    let ps = if ps.is_empty() {
        "<w:p/>".to_string()
    } else {
        ps
    };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
}
