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
    /// The columns of the current formatted row written so far, and
    /// whether one of them was a value (not a blank).
    written: Vec<u16>,
    has_value: bool,
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
            written: Vec::new(),
            has_value: false,
        })
    }

    /// Starts a row in format `fmt`; false once the sheet is full (the
    /// last row is kept for the note).
    pub fn next(&mut self, fmt: Option<&'a Format>) -> Result<bool, XlsxError> {
        self.end_row()?;
        self.has_value = false;
        if self.row + 1 >= MAX_ROW {
            self.dropped += 1;
            return Ok(false);
        }
        self.row += 1;
        self.fmt = fmt;
        Ok(true)
    }

    pub fn put(&mut self, col: usize, v: Val<'_>) -> Result<(), XlsxError> {
        if col >= self.cols as usize {
            return Ok(());
        }
        let (r, c) = (self.row, col as u16);
        // No format per cell (the writer hashes each one it is given): a
        // formatted row's format is laid over the columns it wrote when
        // the row ends, one lookup per row (the cells' bytes are the same:
        // each value or blank with the format). Plain rows hold no blanks.
        if self.fmt.is_some() {
            self.written.push(c);
        }
        match v {
            Val::Str(s) => self.ws.write_string(r, c, s)?,
            Val::Num(n) => self.ws.write_number(r, c, n)?,
            Val::Bool(b) => self.ws.write_boolean(r, c, b)?,
            Val::Blank => return Ok(()),
        };
        self.has_value = true;
        Ok(())
    }

    /// Lays the current row's format over the columns it wrote (blanks
    /// become formatted empty cells).
    fn end_row(&mut self) -> Result<(), XlsxError> {
        let (Some(f), Some(&first), Some(&last)) =
            (self.fmt, self.written.first(), self.written.last())
        else {
            return Ok(());
        };
        if !std::mem::take(&mut self.has_value) {
            // A row of blanks only: one written blank counts the row in
            // the sheet's extent, as writing each blank did.
            self.ws.write_blank(self.row, first, f)?;
        }
        // Finding rows write every column in order: one range. Otherwise
        // each written cell alone, so no cell appears that was not written.
        let whole = usize::from(last) + 1 == usize::from(first) + self.written.len()
            && self.written.windows(2).all(|w| w[0] < w[1]);
        if whole {
            self.ws
                .set_range_format(self.row, first, self.row, last, f)?;
        } else {
            for &c in &self.written {
                self.ws.set_cell_format(self.row, c, f)?;
            }
        }
        self.written.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<Worksheet, XlsxError> {
        self.end_row()?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

    /// A workbook of one finding-like sheet, its bytes.
    fn saved(ws: Worksheet) -> Vec<u8> {
        let mut wb = Workbook::new();
        let t = ExcelDateTime::from_ymd(2000, 1, 1).unwrap();
        wb.set_properties(&DocProperties::new().set_creation_datetime(&t));
        wb.push_worksheet(ws);
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn formatted_rows_are_the_bytes_of_a_format_per_cell() {
        let st = Styles::new();
        let headers = [("a", 8.0), ("b", 8.0), ("c", 8.0), ("d", 8.0)];
        let rows: [(Band, [Val<'_>; 4]); 4] = [
            (
                Band::Error,
                [Val::Str("f1"), Val::Num(2.5), Val::Blank, Val::Bool(true)],
            ),
            (
                Band::Format,
                [Val::Blank, Val::Str("x"), Val::Blank, Val::Blank],
            ),
            (Band::Warning, [Val::Blank; 4]),
            (
                Band::Error,
                [Val::Str("f4"), Val::Blank, Val::Num(-1.0), Val::Blank],
            ),
        ];
        // The reference: every cell written with its row's format.
        let mut ws = Worksheet::new();
        ws.set_name("s").unwrap();
        for (c, (h, w)) in headers.iter().enumerate() {
            ws.set_column_width(c as u16, *w).unwrap();
            ws.write_string_with_format(0, c as u16, *h, &st.header)
                .unwrap();
        }
        ws.set_freeze_panes(1, 0).unwrap();
        for (r, (b, cells)) in rows.iter().enumerate() {
            let (r, f) = (r as u32 + 1, st.band(*b));
            for (c, v) in cells.iter().enumerate() {
                let c = c as u16;
                match *v {
                    Val::Str(s) => ws.write_string_with_format(r, c, s, f),
                    Val::Num(n) => ws.write_number_with_format(r, c, n, f),
                    Val::Bool(x) => ws.write_boolean_with_format(r, c, x, f),
                    Val::Blank => ws.write_blank(r, c, f),
                }
                .unwrap();
            }
        }
        ws.autofilter(0, 0, rows.len() as u32, 3).unwrap();
        let mut sh = Sheet::new(Worksheet::new(), "s", &headers, &st).unwrap();
        for (b, cells) in &rows {
            assert!(sh.next(Some(st.band(*b))).unwrap());
            for (c, v) in cells.iter().enumerate() {
                sh.put(c, *v).unwrap();
            }
        }
        let ours = saved(sh.finish().unwrap());
        assert_eq!(ours, saved(ws));
        // A row written with a gap: the gap stays empty (no cell), so
        // the bytes differ from a row whose every column was written.
        let mut gap = Sheet::new(Worksheet::new(), "s", &headers, &st).unwrap();
        assert!(gap.next(Some(st.band(Band::Error))).unwrap());
        gap.put(0, Val::Str("f1")).unwrap();
        gap.put(2, Val::Num(1.0)).unwrap();
        let mut full = Sheet::new(Worksheet::new(), "s", &headers, &st).unwrap();
        assert!(full.next(Some(st.band(Band::Error))).unwrap());
        full.put(0, Val::Str("f1")).unwrap();
        full.put(1, Val::Blank).unwrap();
        full.put(2, Val::Num(1.0)).unwrap();
        assert_ne!(saved(gap.finish().unwrap()), saved(full.finish().unwrap()));
    }
}
