//! The legacy Word 97–2003 reader: a binary `.doc`/`.dot` → [`Document`].
//!
//! In: the bytes of an OLE compound file (already sniffed) and [`Limits`].
//! Out: the same [`Document`] the DOCX reader gives — body blocks, headers,
//! footers, notes, counters and diagnostics — so extraction works unchanged.
//!
//! Steps, following the format's own pointers ([MS-DOC]):
//! 1. open the compound file (`cfb`); read `WordDocument`, the table stream
//!    the FIB names (`0Table`/`1Table`) and `Data`, each within the limits;
//! 2. the FIB: refuse encrypted files and Word 6/95 (older FIB layout) with
//!    an error saying what they are; take the story lengths (`ccp*`) and
//!    the locations of the structures below;
//! 3. the piece table (CLX): every character position (CP) to its bytes,
//!    8-bit cp1252 or UTF-16, fast-saved (complex) files included;
//! 4. the formatting: PAPX and CHPX FKPs (paragraph and run properties by
//!    file position), the piece's own property modifiers, the style sheet,
//!    fonts and lists;
//! 5. the stories, each from its CP range: the main text, footnotes,
//!    endnotes, headers/footers and text boxes (`story`).
//!
//! Nothing in the file is trusted: every count is capped by the limits,
//! every offset is checked, and a structure that does not fit is reported
//! (or, for the piece table, the file refused) instead of followed.

mod bin;
mod props;
mod story;

use crate::error::{Error, Result};
use crate::model::{Document, Format, Source};
use crate::read::Limits;
use crate::vocab::Vocab;
use bin::{slice, u16_at, u32_at};
use props::{Lists, Styles};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Arc;

/// FIB field indices in FibRgFcLcb97 (pairs of fc/lcb).
mod fcl {
    pub const STSHF: usize = 1;
    pub const PLCFFND_REF: usize = 2;
    pub const PLCFFND_TXT: usize = 3;
    pub const PLCF_SED: usize = 6;
    pub const PLCF_HDD: usize = 11;
    pub const PLCF_BTE_CHPX: usize = 12;
    pub const PLCF_BTE_PAPX: usize = 13;
    pub const STTBF_FFN: usize = 15;
    pub const CLX: usize = 33;
    pub const PLCFEND_REF: usize = 46;
    pub const PLCFEND_TXT: usize = 47;
    pub const PLF_LST: usize = 73;
    pub const PLF_LFO: usize = 74;
}

/// The FIB fields this reader uses.
struct Fib {
    /// ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx.
    ccp: [u32; 8],
    fc_lcb: Vec<(u32, u32)>,
    table_stream: &'static str,
}

impl Fib {
    /// `(fc, lcb)` of structure `i`, when present and non-empty.
    fn at(&self, i: usize) -> Option<(usize, usize)> {
        self.fc_lcb
            .get(i)
            .filter(|(_, l)| *l > 0)
            .map(|&(f, l)| (f as usize, l as usize))
    }
}

/// A piece of the piece table: CPs `[cp, cp_end)` stored at byte `fc`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
    prm: u16,
}

impl Piece {
    fn step(&self) -> u32 {
        if self.compressed { 1 } else { 2 }
    }
    fn fc_of(&self, cp: u32) -> u32 {
        self.fc
            .saturating_add(cp.saturating_sub(self.cp).saturating_mul(self.step()))
    }
}

/// A run of formatting from an FKP: file positions `[fc, fc_end)` and its
/// grpprl at `[off, off + len)` of the WordDocument stream.
#[derive(Debug, Clone, Copy)]
struct FkpRun {
    fc: u32,
    fc_end: u32,
    istd: u16,
    off: u32,
    len: u32,
}

/// A run of characters with one set of direct formatting.
#[derive(Debug, Clone, Copy)]
struct CharRun {
    cp: u32,
    cp_end: u32,
    /// The CHPX grpprl in WordDocument (`len` 0: none).
    off: u32,
    len: u32,
    prm: u16,
}

/// Everything read from the file that the stories draw on.
pub(super) struct Parsed {
    word: Vec<u8>,
    data: Vec<u8>,
    /// The text as UTF-16 code units, indexed by CP.
    units: Vec<u16>,
    pieces: Vec<Piece>,
    papx: Vec<FkpRun>,
    chars: Vec<CharRun>,
    /// The CLX's grpprls, for pieces whose prm points to one.
    prcs: Vec<Vec<u8>>,
    styles: Styles,
    fonts: Vec<String>,
    lists: Lists,
    /// CPs just past each section's end.
    section_ends: Vec<u32>,
    /// Main-text CP of each note reference → note id.
    note_refs: BTreeMap<u32, String>,
    fib: Fib,
    table: Vec<u8>,
    unicode: bool,
}

fn doc_err(path: &Path, place: &str, reason: impl Into<String>) -> Error {
    Error::Doc {
        path: path.to_path_buf(),
        place: place.to_string(),
        reason: reason.into(),
    }
}

fn limit_err(path: &Path, part: &str, what: &str, limit: u64) -> Error {
    Error::Limit {
        path: path.to_path_buf(),
        part: part.to_string(),
        what: what.to_string(),
        limit,
    }
}

/// Reads the whole document.
pub fn read(path: &Path, bytes: &[u8], limits: Limits, vocab: &Arc<Vocab>) -> Result<Document> {
    read_inner(path, bytes, limits, vocab, None)
}

/// The first `blocks` top-level blocks of the body, without notes, headers
/// or footers (see [`crate::read::preview_bytes`]).
pub fn preview(
    path: &Path,
    bytes: &[u8],
    limits: Limits,
    vocab: &Arc<Vocab>,
    blocks: usize,
) -> Result<Document> {
    read_inner(path, bytes, limits, vocab, Some(blocks))
}

fn read_inner(
    path: &Path,
    bytes: &[u8],
    limits: Limits,
    vocab: &Arc<Vocab>,
    preview: Option<usize>,
) -> Result<Document> {
    let mut p = parse(path, bytes, limits, vocab)?;
    let mut doc = Document::new(Source {
        path: path.display().to_string(),
        format: Format::Doc,
        encoding: if p.unicode {
            "UTF-16LE"
        } else {
            "windows-1252"
        }
        .to_string(),
        encoding_confidence: 1.0,
        sha256: crate::read::sha256_hex(bytes),
        bytes: bytes.len() as u64,
    });
    story::read_stories(&mut p, &mut doc, limits, vocab, preview);
    Ok(doc)
}

/// Opens the container, checks the FIB and reads every structure.
fn parse(path: &Path, bytes: &[u8], limits: Limits, vocab: &Vocab) -> Result<Parsed> {
    let padded;
    let cf = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(cf) => cf,
        // A file cut short of the sectors its FAT covers (LibreOffice and
        // Word read these): read it as if the missing sectors were zeros.
        Err(_)
            if fat_span(bytes)
                .is_some_and(|n| n > bytes.len() && n as u64 <= limits.max_total_bytes) =>
        {
            let mut v = bytes.to_vec();
            v.resize(fat_span(bytes).unwrap_or(0), 0);
            padded = v;
            match cfb::CompoundFile::open(Cursor::new(padded.as_slice())) {
                Ok(cf) => {
                    return parse_streams(path, cf, limits, vocab);
                }
                Err(e) => {
                    return Err(Error::Ole {
                        path: path.to_path_buf(),
                        source: e,
                    });
                }
            }
        }
        // A directory too damaged to walk may still name the stream of an
        // encrypted OOXML package; say that rather than "damaged".
        Err(_) if names_encrypted_package(bytes) => {
            return Err(Error::Encrypted {
                path: path.to_path_buf(),
            });
        }
        Err(e) => {
            return Err(Error::Ole {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    parse_streams(path, cf, limits, vocab)
}

/// Bytes a compound file spans by its header's FAT sector count: the
/// header sector plus every sector the FAT can describe.
fn fat_span(bytes: &[u8]) -> Option<usize> {
    let shift = u16_at(bytes, 0x1E)?;
    if !(9..=12).contains(&shift) {
        return None;
    }
    let sector = 1usize << shift;
    let fat_sectors = u32_at(bytes, 0x2C)? as usize;
    let entries = fat_sectors.checked_mul(sector / 4)?;
    entries.checked_add(1)?.checked_mul(sector)
}

/// Reads the streams of an opened compound file and every structure.
fn parse_streams<F: std::io::Read + std::io::Seek>(
    path: &Path,
    mut cf: cfb::CompoundFile<F>,
    limits: Limits,
    vocab: &Vocab,
) -> Result<Parsed> {
    let mut total = 0u64;
    let mut stream = |name: &str, required: bool| -> Result<Vec<u8>> {
        let entry = match cf.entry(name) {
            Ok(e) if e.is_stream() => e,
            _ if required => {
                return Err(doc_err(
                    path,
                    name,
                    "stream missing (not a Word document: the compound file has no such stream)",
                ));
            }
            _ => return Ok(Vec::new()),
        };
        let len = entry.len();
        if len > limits.max_part_bytes {
            return Err(limit_err(path, name, "stream size", limits.max_part_bytes));
        }
        total += len;
        if total > limits.max_total_bytes {
            return Err(limit_err(
                path,
                name,
                "size of all streams",
                limits.max_total_bytes,
            ));
        }
        let mut out = Vec::with_capacity(len as usize);
        let s = cf.open_stream(name).map_err(|e| Error::Ole {
            path: path.to_path_buf(),
            source: e,
        })?;
        s.take(len).read_to_end(&mut out).map_err(|e| Error::Ole {
            path: path.to_path_buf(),
            source: e,
        })?;
        Ok(out)
    };
    // An encrypted OOXML package is also an OLE file.
    let word = match stream("/WordDocument", false)? {
        w if !w.is_empty() => w,
        _ => {
            if stream("/EncryptedPackage", false).is_ok_and(|e| !e.is_empty()) {
                return Err(Error::Encrypted {
                    path: path.to_path_buf(),
                });
            }
            return Err(doc_err(
                path,
                "WordDocument",
                "stream missing or empty (the compound file is not a Word document)",
            ));
        }
    };
    let fib = parse_fib(path, &word)?;
    let table = stream(&format!("/{}", fib.table_stream), true)?;
    let data = stream("/Data", false)?;

    let max = limits.max_elements.min(usize::MAX as u64) as usize;
    let (prcs, pieces) = parse_clx(path, &fib, &table, &word, max)?;
    let (units, unicode) = decode_text(path, &pieces, &word, limits)?;
    let papx = fkp_runs(&fib, &table, &word, fcl::PLCF_BTE_PAPX, true, max);
    let chpx = fkp_runs(&fib, &table, &word, fcl::PLCF_BTE_CHPX, false, max);
    let chars = char_runs(&pieces, &chpx);
    let styles = fib
        .at(fcl::STSHF)
        .and_then(|(f, l)| slice(&table, f, l))
        .map(|b| Styles::parse(b, vocab.heading_styles()))
        .unwrap_or_default();
    let fonts = fib
        .at(fcl::STTBF_FFN)
        .and_then(|(f, l)| slice(&table, f, l))
        .map(props::parse_fonts)
        .unwrap_or_default();
    let lst_at = fib
        .at(fcl::PLF_LST)
        .filter(|&(f, _)| f < table.len())
        .map(|(f, _)| f);
    let lfo = fib
        .at(fcl::PLF_LFO)
        .and_then(|(f, l)| slice(&table, f, l))
        .unwrap_or(&[]);
    let lists = Lists::parse(&table, lst_at, lfo, max);
    let section_ends = plc_cps(&fib, &table, fcl::PLCF_SED, 12, max);
    let mut note_refs = BTreeMap::new();
    for (i, kind) in [
        (fcl::PLCFFND_REF, "footnote"),
        (fcl::PLCFEND_REF, "endnote"),
    ] {
        let cps = plc_cps(&fib, &table, i, 2, max);
        // The last CP of a PLC is its end, not a reference.
        for (n, cp) in cps.iter().take(cps.len().saturating_sub(1)).enumerate() {
            note_refs.insert(*cp, format!("{kind}:{}", n + 1));
        }
    }
    Ok(Parsed {
        word,
        data,
        units,
        pieces,
        papx,
        chars,
        prcs,
        styles,
        fonts,
        lists,
        section_ends,
        note_refs,
        fib,
        table,
        unicode,
    })
}

/// Whether the bytes hold the UTF-16 name `EncryptedPackage` (the stream of
/// an encrypted OOXML document).
fn names_encrypted_package(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The FIB: identity, version, encryption, story lengths and the fc/lcb
/// pairs.
fn parse_fib(path: &Path, w: &[u8]) -> Result<Fib> {
    let place = "FIB";
    let ident =
        u16_at(w, 0).ok_or_else(|| doc_err(path, place, "WordDocument stream too short"))?;
    let nfib = u16_at(w, 2).unwrap_or(0);
    let flags = u16_at(w, 10).unwrap_or(0);
    if flags & 0x0100 != 0 {
        return Err(Error::Encrypted {
            path: path.to_path_buf(),
        });
    }
    // Word 6.0 (nFib 101) and Word 95 (104) use the older FIB and text
    // layout; Word 97 and later have nFib 193 or more (POI uses 106).
    if nfib < 106 && nfib > 0 {
        let what = match nfib {
            101..=105 => "Word 6.0/95 document",
            _ => "Word 2.0 or older document",
        };
        return Err(Error::OldWord {
            path: path.to_path_buf(),
            what: format!("{what} (FIB nFib {nfib})"),
        });
    }
    if ident != 0xA5EC {
        return Err(doc_err(
            path,
            place,
            format!("not a Word 97-2003 FIB (wIdent 0x{ident:04X}, nFib {nfib})"),
        ));
    }
    let table_stream = if flags & 0x0200 != 0 {
        "1Table"
    } else {
        "0Table"
    };
    // FibBase (32 bytes), csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + pairs.
    let csw = u16_at(w, 32).ok_or_else(|| doc_err(path, place, "truncated FIB"))? as usize;
    let lw_at = 34 + csw * 2;
    let cslw = u16_at(w, lw_at).ok_or_else(|| doc_err(path, place, "truncated FIB"))? as usize;
    let lw = lw_at + 2;
    let mut ccp = [0u32; 8];
    for (k, c) in ccp.iter_mut().enumerate() {
        if 3 + k < cslw {
            *c = u32_at(w, lw + 4 * (3 + k)).unwrap_or(0);
        }
    }
    let fl_at = lw + cslw * 4;
    let n = u16_at(w, fl_at).ok_or_else(|| doc_err(path, place, "truncated FIB"))? as usize;
    let fc_lcb = (0..n)
        .map_while(|i| Some((u32_at(w, fl_at + 2 + 8 * i)?, u32_at(w, fl_at + 6 + 8 * i)?)))
        .collect();
    Ok(Fib {
        ccp,
        fc_lcb,
        table_stream,
    })
}

/// The CLX: the Prc grpprls, then the piece table.
fn parse_clx(
    path: &Path,
    fib: &Fib,
    table: &[u8],
    word: &[u8],
    max: usize,
) -> Result<(Vec<Vec<u8>>, Vec<Piece>)> {
    let place = "piece table (CLX)";
    let Some((fc, lcb)) = fib.at(fcl::CLX) else {
        return Err(doc_err(path, place, "missing"));
    };
    let clx = slice(table, fc, lcb).ok_or_else(|| {
        doc_err(
            path,
            place,
            format!("{lcb} bytes at {fc} lie outside the table stream"),
        )
    })?;
    let mut prcs = Vec::new();
    let mut at = 0;
    while clx.get(at) == Some(&1) {
        let cb = bin::i16_at(clx, at + 1).unwrap_or(-1);
        let g = usize::try_from(cb)
            .ok()
            .and_then(|cb| slice(clx, at + 3, cb))
            .ok_or_else(|| doc_err(path, place, format!("Prc at byte {at} runs past the end")))?;
        if prcs.len() >= max {
            return Err(limit_err(path, "CLX", "Prc count", max as u64));
        }
        prcs.push(g.to_vec());
        at += 3 + g.len();
    }
    if clx.get(at) != Some(&2) {
        return Err(doc_err(
            path,
            place,
            format!("expected a Pcdt (0x02) at byte {at}"),
        ));
    }
    let lcb = u32_at(clx, at + 1).unwrap_or(0) as usize;
    let plc =
        slice(clx, at + 5, lcb).ok_or_else(|| doc_err(path, place, "PlcPcd runs past the end"))?;
    if lcb < 4 || !(lcb - 4).is_multiple_of(12) {
        return Err(doc_err(path, place, format!("PlcPcd of {lcb} bytes")));
    }
    let n = (lcb - 4) / 12;
    if n > max {
        return Err(limit_err(path, "CLX", "piece count", max as u64));
    }
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, 4 * i).unwrap_or(0);
        let cp_end = u32_at(plc, 4 * (i + 1)).unwrap_or(0);
        let pcd = 4 * (n + 1) + 8 * i;
        let raw = u32_at(plc, pcd + 2).unwrap_or(0);
        let prm = u16_at(plc, pcd + 6).unwrap_or(0);
        let compressed = raw & 0x4000_0000 != 0;
        let fc = if compressed {
            (raw & !0x4000_0000) / 2
        } else {
            raw
        };
        if cp_end < cp || pieces.last().is_some_and(|p: &Piece| p.cp_end > cp) {
            return Err(doc_err(
                path,
                place,
                format!("piece {i} has CPs {cp}..{cp_end} out of order"),
            ));
        }
        let piece = Piece {
            cp,
            cp_end,
            fc,
            compressed,
            prm,
        };
        let end = piece.fc_of(cp_end) as usize;
        if end > word.len() || piece.fc as usize > word.len() {
            return Err(doc_err(
                path,
                place,
                format!(
                    "piece {i} (CPs {cp}..{cp_end}) lies outside the WordDocument stream ({} bytes)",
                    word.len()
                ),
            ));
        }
        pieces.push(piece);
    }
    Ok((prcs, pieces))
}

/// cp1252 to UTF-16, for compressed pieces.
fn cp1252() -> &'static [u16; 256] {
    static T: std::sync::OnceLock<[u16; 256]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0u16; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let b = [i as u8];
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&b);
            *slot = s.encode_utf16().next().unwrap_or(0xFFFD);
        }
        t
    })
}

/// The whole text, CP by CP. Gaps in the piece table are filled with
/// nothing (they cannot hold text); CPs must start at 0.
fn decode_text(
    path: &Path,
    pieces: &[Piece],
    word: &[u8],
    limits: Limits,
) -> Result<(Vec<u16>, bool)> {
    let total = pieces.last().map_or(0, |p| p.cp_end) as u64;
    // The pieces are checked against the stream one by one; their CPs must
    // also cover the text without large gaps, or a few bytes could claim
    // an enormous text.
    let covered: u64 = pieces.iter().map(|p| u64::from(p.cp_end - p.cp)).sum();
    if total > covered + 4096 {
        return Err(doc_err(
            path,
            "piece table (CLX)",
            format!("the pieces cover {covered} of {total} characters"),
        ));
    }
    if total > limits.max_part_bytes {
        return Err(limit_err(
            path,
            "CLX",
            "characters in the piece table",
            limits.max_part_bytes,
        ));
    }
    let table = cp1252();
    let mut units = vec![0u16; total as usize];
    let mut unicode = false;
    for p in pieces {
        let n = (p.cp_end - p.cp) as usize;
        let at = p.fc as usize;
        let dst = &mut units[p.cp as usize..p.cp_end as usize];
        if p.compressed {
            let src = slice(word, at, n).unwrap_or(&[]);
            for (d, &b) in dst.iter_mut().zip(src) {
                *d = table[b as usize];
            }
        } else {
            unicode = true;
            let src = slice(word, at, 2 * n).unwrap_or(&[]);
            for (d, c) in dst.iter_mut().zip(src.chunks_exact(2)) {
                *d = u16::from_le_bytes([c[0], c[1]]);
            }
        }
    }
    Ok((units, unicode))
}

/// The CPs of a PLC whose data elements are `cb` bytes each.
fn plc_cps(fib: &Fib, table: &[u8], i: usize, cb: usize, max: usize) -> Vec<u32> {
    let Some(b) = fib.at(i).and_then(|(f, l)| slice(table, f, l)) else {
        return Vec::new();
    };
    if b.len() < 4 {
        return Vec::new();
    }
    let n = ((b.len() - 4) / (4 + cb)).min(max);
    (0..=n).map_while(|k| u32_at(b, 4 * k)).collect()
}

/// The runs of every FKP a PlcBte points to, sorted by file position.
fn fkp_runs(
    fib: &Fib,
    table: &[u8],
    word: &[u8],
    which: usize,
    papx: bool,
    max: usize,
) -> Vec<FkpRun> {
    let Some(b) = fib.at(which).and_then(|(f, l)| slice(table, f, l)) else {
        return Vec::new();
    };
    if b.len() < 4 {
        return Vec::new();
    }
    let n = ((b.len() - 4) / 8).min(max / 64 + 1);
    let mut out: Vec<FkpRun> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for k in 0..n {
        let Some(pn) = u32_at(b, 4 * (n + 1) + 4 * k).map(|v| v & 0x3F_FFFF) else {
            break;
        };
        if !seen.insert(pn) {
            continue;
        }
        let base = pn as usize * 512;
        let Some(page) = slice(word, base, 512) else {
            continue;
        };
        let crun = page[511] as usize;
        // rgfc (crun + 1) then crun entries of 13 (PAPX) or 1 (CHPX) bytes.
        let entry = if papx { 13 } else { 1 };
        if 4 * (crun + 1) + entry * crun > 511 {
            continue;
        }
        for i in 0..crun {
            let fc = u32_at(page, 4 * i).unwrap_or(0);
            let fc_end = u32_at(page, 4 * (i + 1)).unwrap_or(0);
            let bx = page[4 * (crun + 1) + entry * i] as usize * 2;
            if fc_end <= fc {
                continue;
            }
            let mut run = FkpRun {
                fc,
                fc_end,
                istd: 0,
                off: 0,
                len: 0,
            };
            if bx != 0 && bx < 511 {
                if papx {
                    // PapxInFkp: cb; 0 means a second byte gives cb words.
                    let cb = page[bx] as usize;
                    let (start, len) = if cb == 0 {
                        (bx + 2, 2 * page.get(bx + 1).copied().unwrap_or(0) as usize)
                    } else {
                        (bx + 1, 2 * cb - 1)
                    };
                    if start + len <= 511 && len >= 2 {
                        run.istd = u16_at(page, start).unwrap_or(0);
                        run.off = (base + start + 2) as u32;
                        run.len = (len - 2) as u32;
                    }
                } else {
                    let cb = page[bx] as usize;
                    if bx + 1 + cb <= 511 {
                        run.off = (base + bx + 1) as u32;
                        run.len = cb as u32;
                    }
                }
            }
            out.push(run);
        }
    }
    out.sort_by_key(|r| r.fc);
    out
}

/// Splits each piece by the CHPX runs covering its bytes.
fn char_runs(pieces: &[Piece], chpx: &[FkpRun]) -> Vec<CharRun> {
    let mut out = Vec::new();
    for p in pieces {
        if p.cp_end == p.cp {
            continue;
        }
        let step = p.step();
        let fc0 = p.fc;
        let fc1 = p.fc_of(p.cp_end);
        let cp_at = |fc: u32| p.cp + (fc.saturating_sub(fc0)).div_ceil(step);
        let mut i = chpx.partition_point(|r| r.fc_end <= fc0);
        let mut cur = fc0;
        while cur < fc1 {
            let (end, off, len) = match chpx.get(i) {
                Some(r) if r.fc <= cur => (r.fc_end.min(fc1), r.off, r.len),
                Some(r) => (r.fc.min(fc1), 0, 0),
                None => (fc1, 0, 0),
            };
            let (a, b) = (cp_at(cur), cp_at(end).min(p.cp_end));
            if b > a {
                out.push(CharRun {
                    cp: a,
                    cp_end: b,
                    off,
                    len,
                    prm: p.prm,
                });
            }
            if chpx.get(i).is_some_and(|r| r.fc <= cur) {
                i += 1;
            }
            cur = end.max(cur + 1);
        }
    }
    out
}

impl Parsed {
    fn piece_at(&self, cp: u32) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        self.pieces.get(i).filter(|p| p.cp <= cp)
    }

    /// The grpprl of a piece's prm, when it points to one of the CLX's.
    fn prm_grpprl(&self, prm: u16) -> &[u8] {
        if prm & 1 == 1 {
            self.prcs
                .get((prm >> 1) as usize)
                .map(Vec::as_slice)
                .unwrap_or(&[])
        } else {
            &[]
        }
    }

    fn word_slice(&self, off: u32, len: u32) -> &[u8] {
        slice(&self.word, off as usize, len as usize).unwrap_or(&[])
    }

    /// The paragraph properties of the paragraph whose mark is at `cp`.
    fn pap_at(&self, cp: u32) -> props::Pap {
        let mut pap = props::Pap::default();
        let Some(piece) = self.piece_at(cp) else {
            return pap;
        };
        let fc = piece.fc_of(cp);
        let i = self.papx.partition_point(|r| r.fc_end <= fc);
        let huge = |off: u32| -> Option<Vec<u8>> {
            let cb = u16_at(&self.data, off as usize)? as usize;
            slice(&self.data, off as usize + 2, cb).map(<[u8]>::to_vec)
        };
        if let Some(r) = self.papx.get(i).filter(|r| r.fc <= fc) {
            pap.istd = r.istd;
            for s in bin::sprms(self.word_slice(r.off, r.len)) {
                pap.apply(&s, Some(&huge));
            }
        }
        for s in bin::sprms(self.prm_grpprl(piece.prm)) {
            pap.apply(&s, Some(&huge));
        }
        pap
    }

    /// Where the text of the story that starts at `start` begins and ends.
    fn story_ranges(&self) -> [(u32, u32); 8] {
        let mut out = [(0, 0); 8];
        let mut at = 0u32;
        for (k, len) in self.fib.ccp.iter().enumerate() {
            let end = at.saturating_add(*len);
            out[k] = (at, end);
            at = end;
        }
        out
    }

    /// CPs of a PLC in the table stream (see [`plc_cps`]).
    fn plc(&self, i: usize, cb: usize, max: usize) -> Vec<u32> {
        plc_cps(&self.fib, &self.table, i, cb, max)
    }
}
