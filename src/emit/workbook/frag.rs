//! The bytes a worker parks for one document or pair: the workbook's rows,
//! with the places of the columns that only the whole run decides (an
//! activity field's parts, an indicator's kind and year) left symbolic.
//!
//! A fragment starts with a length-prefixed head (the document's field
//! names and indicator slots, or a pair's side labels), so the end of the
//! run reads every head first to make the columns, then every body once,
//! in the run's order. Numbers are little-endian; strings are a length and
//! UTF-8 bytes. A fragment that does not decode is an error naming its file,
//! never a panic.

use crate::error::{Error, Result};
use std::path::Path;

/// An indicator value's column: its kind (0 baseline, 1 target, 2 actual),
/// then its year (values without a year first).
pub(super) type Slot = (u8, Option<i32>);

/// A part of an activity field, one column each where the run has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Raw = 0,
    Institutions,
    From,
    To,
    Value,
    Scale,
    Currency,
    Amount,
}

pub(super) const PARTS: [Part; 8] = [
    Part::Raw,
    Part::Institutions,
    Part::From,
    Part::To,
    Part::Value,
    Part::Scale,
    Part::Currency,
    Part::Amount,
];

/// Which typed parts a field has somewhere (bits of a mask).
pub(super) const HAS_INSTITUTIONS: u8 = 1;
pub(super) const HAS_PERIOD: u8 = 2;
pub(super) const HAS_MONEY: u8 = 4;

/// Where a cell goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum At {
    /// A column every run has.
    Col(u16),
    /// A part of the activity field with this index in the fragment's list.
    Field(u32, Part),
    /// An indicator value's kind and year.
    Slot(Slot),
    /// After the columns the run decides: this many columns past them.
    Tail(u16),
}

/// One cell's value; `Blank` only in rows with a format (a coloured empty
/// cell), never stored for a plain row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Val<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
    Blank,
}

/// Fragment bytes being built.
#[derive(Default)]
pub(super) struct Enc {
    pub buf: Vec<u8>,
}

impl Enc {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn slot(&mut self, (kind, year): Slot) {
        self.u8(kind);
        match year {
            Some(y) => {
                self.u8(1);
                self.buf.extend_from_slice(&y.to_le_bytes());
            }
            None => self.u8(0),
        }
    }

    /// One cell: the place's kind and the value's kind share a byte.
    pub fn cell(&mut self, at: At, v: Val<'_>) {
        let vt = match v {
            Val::Str(_) => 0,
            Val::Num(_) => 1,
            Val::Bool(_) => 2,
            Val::Blank => 3,
        };
        match at {
            At::Col(c) => {
                self.u8(vt);
                self.u16(c);
            }
            At::Field(i, p) => {
                self.u8(4 | vt);
                self.u32(i);
                self.u8(p as u8);
            }
            At::Slot(s) => {
                self.u8(8 | vt);
                self.slot(s);
            }
            At::Tail(c) => {
                self.u8(12 | vt);
                self.u16(c);
            }
        }
        match v {
            Val::Str(s) => self.str(s),
            Val::Num(n) => self.buf.extend_from_slice(&n.to_le_bytes()),
            Val::Bool(b) => self.u8(u8::from(b)),
            Val::Blank => {}
        }
    }
}

/// Rows of one section being built: a count, then each row's cell count
/// and cells (counts patched in when the row ends).
#[derive(Default)]
pub(super) struct Section {
    pub enc: Enc,
    pub rows: u32,
    start: usize,
    cells: u16,
}

impl Section {
    /// Starts a row; a finding row carries its colour band and severity.
    pub fn row(&mut self, band: Option<(u8, &str)>) {
        if let Some((b, sev)) = band {
            self.enc.u8(b);
            self.enc.str(sev);
        }
        self.start = self.enc.buf.len();
        self.enc.u16(0);
        self.cells = 0;
        self.rows += 1;
    }

    pub fn put(&mut self, at: At, v: Val<'_>) {
        // Past 65,535 cells a row is beyond Excel's 16,384 columns anyway.
        if self.cells == u16::MAX {
            return;
        }
        self.enc.cell(at, v);
        self.cells += 1;
        let n = self.cells.to_le_bytes();
        if let Some(b) = self.enc.buf.get_mut(self.start..self.start + 2) {
            b.copy_from_slice(&n);
        }
    }

    pub fn finish(self, out: &mut Enc) {
        out.u32(self.rows);
        out.buf.extend_from_slice(&self.enc.buf);
    }
}

/// Reads a fragment back.
pub(super) struct Dec<'a> {
    b: &'a [u8],
    path: &'a Path,
}

impl<'a> Dec<'a> {
    pub fn new(b: &'a [u8], path: &'a Path) -> Dec<'a> {
        Dec { b, path }
    }

    pub fn bad(&self) -> Error {
        Error::Invalid {
            path: self.path.to_path_buf(),
            reason: "not a fragment of workbook rows".to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.b.is_empty()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let (h, t) = self.b.split_at_checked(n).ok_or_else(|| self.bad())?;
        self.b = t;
        Ok(h)
    }

    fn arr<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.arr::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.arr()?))
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub fn str(&mut self) -> Result<&'a str> {
        let n = usize::try_from(self.u64()?).map_err(|_| self.bad())?;
        let b = self.take(n)?;
        // The workbook's strings are most of a fragment; core's check
        // cost a fifth of reading one back (Cyrillic text especially).
        simdutf8::basic::from_utf8(b).map_err(|_| self.bad())
    }
    pub fn slot(&mut self) -> Result<Slot> {
        let kind = self.u8()?;
        let year = match self.u8()? {
            0 => None,
            1 => Some(i32::from_le_bytes(self.arr()?)),
            _ => return Err(self.bad()),
        };
        Ok((kind, year))
    }

    pub fn cell(&mut self) -> Result<(At, Val<'a>)> {
        let t = self.u8()?;
        let at = match t >> 2 {
            0 => At::Col(self.u16()?),
            1 => {
                let i = self.u32()?;
                let p = *PARTS
                    .get(usize::from(self.u8()?))
                    .ok_or_else(|| self.bad())?;
                At::Field(i, p)
            }
            2 => At::Slot(self.slot()?),
            3 => At::Tail(self.u16()?),
            _ => return Err(self.bad()),
        };
        let v = match t & 3 {
            0 => Val::Str(self.str()?),
            1 => Val::Num(f64::from_le_bytes(self.arr()?)),
            2 => Val::Bool(self.u8()? != 0),
            _ => Val::Blank,
        };
        Ok((at, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_back_as_written_and_damage_is_an_error() {
        let mut s = Section::default();
        s.row(Some((2, "numeric_mismatch")));
        s.put(At::Col(3), Val::Str("ђ 30,5%"));
        s.put(At::Field(7, Part::Amount), Val::Num(-1.5e9));
        s.put(At::Slot((1, Some(2026))), Val::Bool(true));
        s.put(At::Tail(4), Val::Blank);
        let mut e = Enc::default();
        s.finish(&mut e);
        let p = Path::new("f");
        let mut d = Dec::new(&e.buf, p);
        assert_eq!(d.u32().unwrap(), 1);
        assert_eq!(d.u8().unwrap(), 2);
        assert_eq!(d.str().unwrap(), "numeric_mismatch");
        assert_eq!(d.u16().unwrap(), 4);
        assert_eq!(d.cell().unwrap(), (At::Col(3), Val::Str("ђ 30,5%")));
        assert_eq!(
            d.cell().unwrap(),
            (At::Field(7, Part::Amount), Val::Num(-1.5e9))
        );
        assert_eq!(
            d.cell().unwrap(),
            (At::Slot((1, Some(2026))), Val::Bool(true))
        );
        assert_eq!(d.cell().unwrap(), (At::Tail(4), Val::Blank));
        assert!(d.is_empty());
        // Cut short anywhere: an error, not a panic.
        for n in 0..e.buf.len() {
            let mut d = Dec::new(&e.buf[..n], p);
            let r = (|| -> Result<()> {
                d.u32()?;
                d.u8()?;
                d.str()?;
                let k = d.u16()?;
                for _ in 0..k {
                    d.cell()?;
                }
                Ok(())
            })();
            assert!(r.is_err(), "{n}");
        }
    }
}
