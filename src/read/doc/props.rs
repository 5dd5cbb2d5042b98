//! Character, paragraph and table properties from sprms; the style sheet
//! (STSH), the font table (SttbfFfn) and the list tables (PlfLst, PlfLfo).
//!
//! Only what the model needs is kept: run flags for marks, hidden and
//! tracked-change state, fonts for symbol mapping, table membership and row
//! geometry, list membership and heading levels.

use super::bin::{SPRM_TDEF_TABLE, Sprm, i16_at, i32_at, slice, sprms, u8_at, u16_at, u32_at};
use crate::model::ListItem;
use crate::read::docx::numbering::format_number;
use crate::read::docx::styles::HeadingNames;
use crate::read::docx::symbols::SymbolFonts;
use std::collections::HashMap;

/// Character properties of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Chp {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub sup: bool,
    pub sub: bool,
    pub vanish: bool,
    pub deleted: bool,
    pub inserted: bool,
    /// Special character (fields, note references, pictures).
    pub spec: bool,
    /// Font index for ASCII text (sprmCRgFtc0).
    pub font: Option<u16>,
    /// sprmCSymbol: font index and character.
    pub symbol: Option<(u16, u16)>,
}

/// A toggle operand: 0 off, 1 on, 0x80 as the style, 0x81 the opposite.
fn toggle(v: u8, style: bool) -> bool {
    match v {
        0 => false,
        0x80 => style,
        0x81 => !style,
        _ => true,
    }
}

impl Chp {
    /// Applies one sprm; `style` is the value the toggles refer to.
    pub fn apply(&mut self, s: &Sprm, style: &Chp) {
        match s.op {
            0x0835 => self.bold = toggle(s.byte(), style.bold),
            0x0836 => self.italic = toggle(s.byte(), style.italic),
            0x083C => self.vanish = toggle(s.byte(), style.vanish),
            0x0800 => self.deleted = s.byte() != 0,
            0x0801 => self.inserted = s.byte() != 0,
            0x0855 => self.spec = s.byte() != 0,
            0x2A3E => self.underline = s.byte() != 0,
            0x2A48 => {
                self.sup = s.byte() == 1;
                self.sub = s.byte() == 2;
            }
            0x4A4F => self.font = Some(s.word()),
            0x6A09 => {
                self.symbol = Some((s.word(), u16_at(s.arg, 2).unwrap_or(0)));
            }
            _ => {}
        }
    }
}

/// One cell of a row's table definition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tc {
    pub first_merged: bool,
    pub merged: bool,
    pub vert_merge: bool,
    pub vert_restart: bool,
}

/// A row's table properties (TAP).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Tap {
    /// Cell boundaries in twips, one more than the cells.
    pub centers: Vec<i32>,
    pub cells: Vec<Tc>,
    pub header: bool,
}

impl Tap {
    fn apply(&mut self, s: &Sprm) {
        match s.op {
            SPRM_TDEF_TABLE => {
                let n = s.byte() as usize;
                self.centers = (0..=n)
                    .map_while(|i| i16_at(s.arg, 1 + 2 * i).map(i32::from))
                    .collect();
                // A definition cut short keeps the cells it has.
                let n = self.centers.len().saturating_sub(1);
                let base = 1 + 2 * (n + 1);
                self.cells = (0..n)
                    .map(|i| {
                        let f = u16_at(s.arg, base + 20 * i).unwrap_or(0);
                        Tc {
                            first_merged: f & 1 != 0,
                            merged: f & 2 != 0,
                            vert_merge: f & 0x20 != 0,
                            vert_restart: f & 0x40 != 0,
                        }
                    })
                    .collect();
            }
            0x3404 => self.header = s.byte() != 0,
            // sprmTVertMerge: cell, 0 none, 1 continue, 3 restart.
            0xD62B => {
                if let (Some(i), Some(v)) = (u8_at(s.arg, 0), u8_at(s.arg, 1))
                    && let Some(c) = self.cells.get_mut(i as usize)
                {
                    c.vert_merge = v != 0;
                    c.vert_restart = v == 3;
                }
            }
            // sprmTMerge / sprmTSplit: a horizontal merge over [first, lim).
            0x5624 | 0x5625 => {
                let (a, b) = (s.byte() as usize, u8_at(s.arg, 1).unwrap_or(0) as usize);
                let merge = s.op == 0x5624;
                for i in a..b.min(self.cells.len()) {
                    let c = &mut self.cells[i];
                    c.first_merged = merge && i == a;
                    c.merged = merge && i > a;
                }
            }
            // sprmTDelete: cells [first, lim) removed.
            0x5622 => {
                let (a, b) = (s.byte() as usize, u8_at(s.arg, 1).unwrap_or(0) as usize);
                let b = b.min(self.cells.len());
                if a < b {
                    self.cells.drain(a..b);
                    let keep_from = (b + 1).min(self.centers.len());
                    if a < keep_from {
                        self.centers.drain(a + 1..keep_from);
                    }
                }
            }
            // sprmTInsert: `count` cells of width `dxa` at `at`.
            0x7621 => {
                let at = s.byte() as usize;
                let count = u8_at(s.arg, 1).unwrap_or(0) as usize;
                let dxa = i16_at(s.arg, 2).map(i32::from).unwrap_or(0);
                if at <= self.cells.len() && !self.centers.is_empty() && count <= 64 {
                    let left = self.centers[at.min(self.centers.len() - 1)];
                    for k in 0..count {
                        self.cells.insert(at + k, Tc::default());
                        self.centers.insert(at + k + 1, left + dxa * (k as i32 + 1));
                    }
                    let shift = dxa * count as i32;
                    for c in self.centers.iter_mut().skip(at + count + 1) {
                        *c += shift;
                    }
                }
            }
            // sprmTDxaCol: cells [first, lim) get width `dxa`.
            0x7623 => {
                let (a, b) = (s.byte() as usize, u8_at(s.arg, 1).unwrap_or(0) as usize);
                let dxa = i16_at(s.arg, 2).map(i32::from).unwrap_or(0);
                let b = b.min(self.cells.len());
                for i in a..b {
                    if i + 1 < self.centers.len() {
                        let old = self.centers[i + 1] - self.centers[i];
                        let d = dxa - old;
                        for c in self.centers.iter_mut().skip(i + 1) {
                            *c += d;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Paragraph properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Pap {
    pub istd: u16,
    pub in_table: bool,
    pub ttp: bool,
    pub itap: Option<i32>,
    pub inner_cell: bool,
    pub inner_ttp: bool,
    pub ilvl: Option<u8>,
    pub ilfo: Option<i16>,
    pub outline: Option<u8>,
    pub tap: Option<Tap>,
}

impl Pap {
    /// Table depth: sprmPItap, else 1 inside a table.
    pub fn depth(&self) -> usize {
        match self.itap {
            Some(n) if n > 0 => n as usize,
            Some(_) => 0,
            None => usize::from(self.in_table),
        }
    }

    /// Applies one sprm. `huge` resolves sprmPHugePapx (a grpprl kept in
    /// the Data stream); it is followed once, never from inside itself.
    pub fn apply(&mut self, s: &Sprm, huge: Option<&dyn Fn(u32) -> Option<Vec<u8>>>) {
        match s.op {
            0x4600 => self.istd = s.word(),
            0x2416 => self.in_table = s.byte() != 0,
            0x2417 => self.ttp = s.byte() != 0,
            0x6649 => self.itap = Some(s.long() as i32),
            0x664A => {
                let d = s.long() as i32;
                self.itap = Some(
                    self.itap
                        .unwrap_or(i32::from(self.in_table))
                        .saturating_add(d),
                );
            }
            0x244B => self.inner_cell = s.byte() != 0,
            0x244C => self.inner_ttp = s.byte() != 0,
            0x260A => self.ilvl = Some(s.byte()),
            0x460B => self.ilfo = Some(s.word() as i16),
            0x2640 => self.outline = Some(s.byte()),
            0x6645 | 0x6646 => {
                if let Some(h) = huge
                    && let Some(g) = h(s.long())
                {
                    for t in sprms(&g) {
                        self.apply(&t, None);
                    }
                }
            }
            op if op >> 10 & 7 == 5 => self.tap.get_or_insert_with(Tap::default).apply(s),
            _ => {}
        }
    }
}

/// One style of the style sheet.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    sti: u16,
    base: u16,
    /// 1 paragraph, 2 character.
    sgc: u8,
    papx: Vec<u8>,
    chpx: Vec<u8>,
}

/// What a paragraph style gives its paragraphs, its chain resolved.
#[derive(Debug, Clone, Default)]
pub(super) struct StyleInfo {
    pub name: Option<String>,
    pub heading: Option<u8>,
    pub ilfo: Option<i16>,
    pub ilvl: Option<u8>,
    pub chp: Chp,
}

/// The style sheet with every style's chain resolved once.
#[derive(Debug, Default)]
pub(super) struct Styles {
    infos: Vec<StyleInfo>,
}

const NO_STYLE: u16 = 0x0FFF;

impl Styles {
    /// Parses the STSH at `b` (the bytes of `lcbStshf`).
    /// A heading level also comes from a style's name, in the languages
    /// the DOCX reader knows ("heading 1", "Titre 2", "Überschrift 3":
    /// LibreOffice writes localised names without Word's built-in style
    /// number).
    pub fn parse(b: &[u8], names: &HeadingNames) -> Styles {
        let mut styles: Vec<Option<Style>> = Vec::new();
        let Some(cb_stshi) = u16_at(b, 0).map(usize::from) else {
            return Styles::default();
        };
        let cstd = u16_at(b, 2).unwrap_or(0) as usize;
        let cb_base = u16_at(b, 4).unwrap_or(10) as usize;
        let mut at = 2 + cb_stshi;
        for _ in 0..cstd {
            let Some(cb) = u16_at(b, at).map(usize::from) else {
                break;
            };
            at += 2;
            let std = slice(b, at, cb).unwrap_or(&[]);
            at += cb;
            if cb == 0 || std.len() < 10 {
                styles.push(None);
                continue;
            }
            styles.push(Some(parse_std(std, cb_base)));
        }
        let n = styles.len();
        let mut infos = Vec::with_capacity(n);
        for i in 0..n {
            infos.push(resolve(&styles, i, names));
        }
        Styles { infos }
    }

    pub fn get(&self, istd: u16) -> Option<&StyleInfo> {
        self.infos.get(istd as usize)
    }

    /// Character properties a character style gives, over `base`.
    pub fn char_style(&self, istd: u16) -> Option<&Chp> {
        self.infos.get(istd as usize).map(|s| &s.chp)
    }
}

fn parse_std(std: &[u8], cb_base: usize) -> Style {
    let w0 = u16_at(std, 0).unwrap_or(0);
    let w1 = u16_at(std, 2).unwrap_or(0);
    let sti = w0 & 0x0FFF;
    let sgc = (w1 & 0x000F) as u8;
    let base = w1 >> 4;
    let cupx = u16_at(std, 4).unwrap_or(0) & 0x000F;
    let mut at = cb_base.min(std.len());
    let cch = u16_at(std, at).unwrap_or(0) as usize;
    let name: Vec<u16> = (0..cch)
        .map_while(|i| u16_at(std, at + 2 + 2 * i))
        .collect();
    let name = String::from_utf16_lossy(&name);
    at += 2 + 2 * cch + 2;
    let mut upx: Vec<&[u8]> = Vec::new();
    for _ in 0..cupx {
        if at % 2 == 1 {
            at += 1;
        }
        let Some(len) = u16_at(std, at).map(usize::from) else {
            break;
        };
        let Some(data) = slice(std, at + 2, len) else {
            break;
        };
        upx.push(data);
        at += 2 + len;
    }
    let (papx, chpx) = match sgc {
        // Paragraph style: a papx (istd then grpprl), then a chpx.
        1 => (
            upx.first().and_then(|p| p.get(2..)).unwrap_or(&[]).to_vec(),
            upx.get(1).copied().unwrap_or(&[]).to_vec(),
        ),
        2 => (Vec::new(), upx.first().copied().unwrap_or(&[]).to_vec()),
        _ => (Vec::new(), Vec::new()),
    };
    Style {
        name,
        sti,
        base,
        sgc,
        papx,
        chpx,
    }
}

/// A style's properties with its base chain applied (base first); the chain
/// is followed at most 16 steps, so a cycle ends.
fn resolve(styles: &[Option<Style>], i: usize, names: &HeadingNames) -> StyleInfo {
    let mut chain = Vec::new();
    let mut cur = i;
    while chain.len() < 16 {
        let Some(Some(st)) = styles.get(cur) else {
            break;
        };
        chain.push(st);
        if st.base == NO_STYLE || st.base as usize == cur {
            break;
        }
        cur = st.base as usize;
    }
    let mut info = StyleInfo::default();
    let Some(own) = chain.first() else {
        return info;
    };
    info.name = (!own.name.is_empty()).then(|| own.name.clone());
    let mut pap = Pap::default();
    for st in chain.iter().rev() {
        let before = info.chp;
        for s in sprms(&st.chpx) {
            info.chp.apply(&s, &before);
        }
        if st.sgc == 1 {
            for s in sprms(&st.papx) {
                pap.apply(&s, None);
            }
        }
    }
    info.ilfo = pap.ilfo;
    info.ilvl = pap.ilvl;
    info.heading = match pap.outline {
        Some(o) if o < 9 => Some(o + 1),
        _ => chain.iter().find_map(|st| {
            if (1..=9).contains(&st.sti) {
                Some(st.sti as u8)
            } else {
                names.level(&st.name)
            }
        }),
    };
    info
}

/// Font names by index (SttbfFfn).
pub(super) fn parse_fonts(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(mut count) = u16_at(b, 0).map(usize::from) else {
        return out;
    };
    let mut at = 4;
    if count == 0xFFFF {
        // Extended STTB header: the count follows.
        count = u16_at(b, 2).unwrap_or(0) as usize;
        at = 6;
    }
    for _ in 0..count {
        let Some(len) = u8_at(b, at).map(|v| v as usize + 1) else {
            break;
        };
        let rec = slice(b, at + 1, len - 1).unwrap_or(&[]);
        let name: Vec<u16> = (0..)
            .map_while(|i| u16_at(rec, 39 + 2 * i))
            .take_while(|&c| c != 0)
            .collect();
        out.push(String::from_utf16_lossy(&name));
        at += len;
    }
    out
}

/// One level of a list.
#[derive(Debug, Clone, Default)]
struct Lvl {
    start: i32,
    nfc: u8,
    legal: bool,
    text: Vec<u16>,
    font: Option<u16>,
}

/// The document's lists and the counters of the list items read so far.
#[derive(Debug, Default)]
pub(super) struct Lists {
    lsts: HashMap<i32, Vec<Lvl>>,
    /// lsid of each LFO (1-based ilfo − 1).
    lfos: Vec<i32>,
    counters: HashMap<i32, [Option<i64>; 9]>,
}

fn docx_fmt(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        5 => "ordinal",
        22 => "decimalZero",
        23 => "bullet",
        255 => "none",
        _ => "decimal",
    }
}

impl Lists {
    /// Parses PlfLst (its LVLs follow it directly in the table stream,
    /// outside its own byte count) and PlfLfo. `table` is the whole table
    /// stream; `lst_at` and `lfo` locate the two structures.
    pub fn parse(table: &[u8], lst_at: Option<usize>, lfo: &[u8], max: usize) -> Lists {
        let mut lists = Lists::default();
        if let Some(at) = lst_at {
            let count = (u16_at(table, at).unwrap_or(0) as usize).min(max);
            let mut lvl_at = at + 2 + count * 28;
            for i in 0..count {
                let lstf = at + 2 + i * 28;
                let (Some(lsid), Some(flags)) = (i32_at(table, lstf), u8_at(table, lstf + 26))
                else {
                    break;
                };
                let n = if flags & 1 != 0 { 1 } else { 9 };
                let mut levels = Vec::with_capacity(n);
                for _ in 0..n {
                    match parse_lvl(table, lvl_at) {
                        Some((lvl, next)) => {
                            levels.push(lvl);
                            lvl_at = next;
                        }
                        None => break,
                    }
                }
                lists.lsts.insert(lsid, levels);
            }
        }
        let n = (u32_at(lfo, 0).unwrap_or(0) as usize).min(max);
        lists.lfos = (0..n).map_while(|i| i32_at(lfo, 4 + 16 * i)).collect();
        lists
    }

    /// The list item of a paragraph with `ilfo` (1-based) at `ilvl`,
    /// advancing that list's counters.
    pub fn item(
        &mut self,
        ilfo: i16,
        ilvl: u8,
        fonts: &[String],
        symbols: &SymbolFonts,
    ) -> Option<ListItem> {
        if ilfo <= 0 {
            return None;
        }
        let lsid = *self.lfos.get(ilfo as usize - 1)?;
        let levels = self.lsts.get(&lsid)?;
        if levels.is_empty() {
            return None;
        }
        let i = (ilvl as usize).min(levels.len() - 1).min(8);
        let start = |l: usize| levels.get(l).map_or(1, |v| i64::from(v.start));
        let counters = self.counters.entry(lsid).or_insert([None; 9]);
        counters[i] = Some(match counters[i] {
            Some(c) => c.saturating_add(1),
            None => start(i),
        });
        for c in counters.iter_mut().skip(i + 1) {
            *c = None;
        }
        let lvl = &levels[i];
        let fmt = docx_fmt(lvl.nfc);
        let font = lvl
            .font
            .and_then(|f| fonts.get(f as usize))
            .map(String::as_str);
        let marker = match fmt {
            "none" => None,
            "bullet" => {
                let s: String = char::decode_utf16(lvl.text.iter().copied())
                    .map(|c| c.unwrap_or('\u{FFFD}'))
                    .map(|c| symbols.map_char(font, c).0)
                    .collect();
                (!s.is_empty()).then_some(s)
            }
            _ => {
                let mut out = String::new();
                for &u in &lvl.text {
                    if u < 9 {
                        let l = u as usize;
                        let value = counters[l].unwrap_or_else(|| start(l));
                        let f = if lvl.legal && l < i {
                            "decimal"
                        } else {
                            docx_fmt(levels.get(l).map_or(0, |v| v.nfc))
                        };
                        out.push_str(&format_number(value, f));
                    } else if let Some(c) = char::from_u32(u32::from(u)) {
                        out.push(c);
                    }
                }
                (!out.is_empty()).then_some(out)
            }
        };
        Some(ListItem {
            level: i as u8,
            marker,
            ordered: !matches!(fmt, "bullet" | "none"),
        })
    }
}

/// One LVL at `at`: the level and where the next one starts.
fn parse_lvl(b: &[u8], at: usize) -> Option<(Lvl, usize)> {
    let start = i32_at(b, at)?;
    let nfc = u8_at(b, at + 4)?;
    let flags = u8_at(b, at + 5)?;
    let cb_chpx = u8_at(b, at + 24)? as usize;
    let cb_papx = u8_at(b, at + 25)? as usize;
    let papx_at = at + 28;
    let chpx = slice(b, papx_at + cb_papx, cb_chpx)?;
    let font = sprms(chpx)
        .filter(|s| s.op == 0x4A4F)
        .map(|s| s.word())
        .last();
    let xst = papx_at + cb_papx + cb_chpx;
    let cch = u16_at(b, xst)? as usize;
    let text: Vec<u16> = (0..cch).map_while(|i| u16_at(b, xst + 2 + 2 * i)).collect();
    if text.len() != cch {
        return None;
    }
    Some((
        Lvl {
            start,
            nfc,
            legal: flags & 4 != 0,
            text,
            font,
        },
        xst + 2 + 2 * cch,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localised_heading_style_names() {
        let v = crate::vocab::Vocab::embedded();
        let heading_from_name = |n: &str| v.heading_styles().level(n);
        assert_eq!(heading_from_name("heading 2"), Some(2));
        assert_eq!(heading_from_name("Titre 2"), Some(2));
        assert_eq!(heading_from_name("Überschrift 3"), Some(3));
        assert_eq!(heading_from_name("Body Text 2"), None);
    }

    #[test]
    fn toggles_refer_to_the_style() {
        let style = Chp {
            bold: true,
            ..Chp::default()
        };
        let mut c = style;
        c.apply(
            &Sprm {
                op: 0x0835,
                arg: &[0x81],
            },
            &style,
        );
        assert!(!c.bold);
        c.apply(
            &Sprm {
                op: 0x0835,
                arg: &[0x80],
            },
            &style,
        );
        assert!(c.bold);
        c.apply(
            &Sprm {
                op: 0x0835,
                arg: &[0],
            },
            &style,
        );
        assert!(!c.bold);
    }

    #[test]
    fn table_definition_gives_boundaries_and_merges() {
        // Two cells: the second continues a vertical merge.
        let mut arg = vec![2u8];
        for x in [0i16, 1000, 2500] {
            arg.extend_from_slice(&x.to_le_bytes());
        }
        let mut tc = [0u8; 40];
        tc[20] = 0x20;
        arg.extend_from_slice(&tc);
        let mut tap = Tap::default();
        tap.apply(&Sprm {
            op: SPRM_TDEF_TABLE,
            arg: &arg,
        });
        assert_eq!(tap.centers, vec![0, 1000, 2500]);
        assert!(!tap.cells[0].vert_merge && tap.cells[1].vert_merge);
        tap.apply(&Sprm {
            op: 0x5624,
            arg: &[0, 2],
        });
        assert!(tap.cells[0].first_merged && tap.cells[1].merged);
    }
}
