//! Writing sheets: formats made once per workbook, rows written in order
//! (into a constant-memory worksheet each goes to the sheet's temporary
//! file as the next one starts), within Excel's row and column limits.

use super::frag::Val;
use super::names::clip;
use super::rows::{BANDS, Band};
use rust_xlsxwriter::{Color, Format, FormatBorder, FormatUnderline, Worksheet, XlsxError};

/// Excel's last row index (1,048,576 rows).
const MAX_ROW: u32 = 1_048_575;
/// Excel's last column index (16,384 columns).
const MAX_COL: u16 = 16_383;

pub(super) struct Styles {
    pub header: Format,
    pub link: Format,
    bands: [Format; 4],
}

impl Styles {
    pub fn new() -> Styles {
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
            bands: [
                fill(0xFFC7CE),
                fill(0xFFEB9C),
                fill(0xEDEDED),
                fill(0xDDEBF7),
            ],
        }
    }

    pub fn band(&self, b: Band) -> &Format {
        &self.bands[b as usize]
    }

    /// The band stored in a fragment's finding row.
    pub fn band_of(&self, code: u8) -> Option<&Format> {
        BANDS.get(usize::from(code)).map(|b| self.band(*b))
    }
}

/// A sheet being filled row by row, within Excel's limits: rows past the
/// last one are counted and named in a closing note instead of failing.
pub(super) struct Sheet<'a> {
    pub ws: Worksheet,
    pub row: u32,
    cols: u16,
    dropped: u64,
    /// The current row's format; `None` for a plain row.
    fmt: Option<&'a Format>,
}

impl<'a> Sheet<'a> {
    /// `ws` (a constant-memory worksheet of the workbook, or an ordinary
    /// one) named `name`, with its header row.
    pub fn new(
        mut ws: Worksheet,
        name: &str,
        headers: &[(&str, f64)],
        st: &'a Styles,
    ) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        let cols = headers.len().min(MAX_COL as usize + 1) as u16;
        for (c, (_, width)) in headers.iter().take(cols as usize).enumerate() {
            ws.set_column_width(c as u16, *width)?;
        }
        for (c, (h, _)) in headers.iter().take(cols as usize).enumerate() {
            ws.write_string_with_format(0, c as u16, clip(h), &st.header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            ws,
            row: 0,
            cols,
            dropped: 0,
            fmt: None,
        })
    }

    /// Starts a row in format `fmt`; false once the sheet is full (the
    /// last row is kept for the note).
    pub fn next(&mut self, fmt: Option<&'a Format>) -> bool {
        if self.row + 1 >= MAX_ROW {
            self.dropped += 1;
            return false;
        }
        self.row += 1;
        self.fmt = fmt;
        true
    }

    pub fn put(&mut self, col: usize, v: Val<'_>) -> Result<(), XlsxError> {
        if col >= self.cols as usize {
            return Ok(());
        }
        let (r, c) = (self.row, col as u16);
        let Some(f) = self.fmt else {
            // Plain rows: no format to look up per cell (the writer hashes
            // each one); fragments hold no empty cells for them.
            match v {
                Val::Str(s) => self.ws.write_string(r, c, s)?,
                Val::Num(n) => self.ws.write_number(r, c, n)?,
                Val::Bool(b) => self.ws.write_boolean(r, c, b)?,
                Val::Blank => &mut self.ws,
            };
            return Ok(());
        };
        match v {
            Val::Str(s) => self.ws.write_string_with_format(r, c, s, f)?,
            Val::Num(n) => self.ws.write_number_with_format(r, c, n, f)?,
            Val::Bool(b) => self.ws.write_boolean_with_format(r, c, b, f)?,
            Val::Blank => self.ws.write_blank(r, c, f)?,
        };
        Ok(())
    }

    pub fn finish(mut self) -> Result<Worksheet, XlsxError> {
        let last = self.cols.saturating_sub(1);
        self.ws.autofilter(0, 0, self.row, last)?;
        if self.dropped > 0 {
            let note = format!(
                "{} more rows not shown (Excel's limit of {} rows); see records.jsonl and the JSON reports",
                self.dropped,
                MAX_ROW + 1
            );
            self.ws.write_string(self.row + 1, 0, note)?;
        }
        Ok(self.ws)
    }
}
