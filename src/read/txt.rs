//! TXT reader: decoded text → blocks. (Minimal first version: UTF-8, one
//! paragraph per non-blank line, TAB-separated lines grouped into tables.)

use crate::model::{Block, Cell, Document, Format, Paragraph, Provenance, Row, Source, Table};
use std::path::Path;

/// Reads text bytes into a document. Never fails: undecodable bytes are
/// replaced and counted.
pub fn read(path: &Path, bytes: &[u8]) -> Document {
    let text = String::from_utf8_lossy(bytes);
    let mut blocks = Vec::new();
    let mut table: Option<Table> = None;
    for (i, line) in text.lines().enumerate() {
        let n = (i + 1) as u32;
        let prov = Provenance::lines(n, n);
        if line.contains('\t') {
            let t = table.get_or_insert_with(Table::default);
            let cells = line
                .split('\t')
                .enumerate()
                .map(|(c, s)| {
                    Cell::new(
                        c,
                        vec![Paragraph {
                            text: s.trim().to_string(),
                            provenance: prov.clone(),
                            ..Paragraph::default()
                        }],
                        prov.clone(),
                    )
                })
                .collect();
            t.rows.push(Row {
                cells,
                header: false,
                provenance: prov,
            });
            continue;
        }
        if let Some(t) = table.take() {
            blocks.push(Block::Table(t));
        }
        if !line.trim().is_empty() {
            blocks.push(Block::Paragraph(Paragraph {
                text: line.trim().to_string(),
                provenance: prov,
                ..Paragraph::default()
            }));
        }
    }
    if let Some(t) = table.take() {
        blocks.push(Block::Table(t));
    }
    Document {
        source: Source {
            path: path.display().to_string(),
            format: Format::Txt,
            encoding: "UTF-8".to_string(),
            encoding_confidence: 1.0,
            sha256: super::sha256_hex(bytes),
            bytes: bytes.len() as u64,
        },
        blocks,
        headers: Vec::new(),
        footers: Vec::new(),
        notes: Vec::new(),
        diagnostics: Vec::new(),
        counts: Default::default(),
    }
}
