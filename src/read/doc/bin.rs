//! Little-endian field access and the property-modifier (sprm) walk.
//!
//! Every accessor returns `None` past the end of its slice, so a truncated
//! or lying structure ends a walk instead of panicking.

pub(super) fn u8_at(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

pub(super) fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    let s = b.get(i..i.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(super) fn i16_at(b: &[u8], i: usize) -> Option<i16> {
    u16_at(b, i).map(|v| v as i16)
}

pub(super) fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub(super) fn i32_at(b: &[u8], i: usize) -> Option<i32> {
    u32_at(b, i).map(|v| v as i32)
}

/// The slice `[off, off + len)` of `b`, if it lies inside.
pub(super) fn slice(b: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    b.get(off..off.checked_add(len)?)
}

/// One property modifier: its opcode and its operand (without the length
/// prefix of variable-size operands).
#[derive(Debug, Clone, Copy)]
pub(super) struct Sprm<'a> {
    pub op: u16,
    pub arg: &'a [u8],
}

impl Sprm<'_> {
    pub fn byte(&self) -> u8 {
        self.arg.first().copied().unwrap_or(0)
    }
    pub fn word(&self) -> u16 {
        u16_at(self.arg, 0).unwrap_or(0)
    }
    pub fn long(&self) -> u32 {
        u32_at(self.arg, 0).unwrap_or(0)
    }
}

/// `sprmTDefTable`: its operand has a 16-bit length (one more than the bytes
/// that follow it).
pub(super) const SPRM_TDEF_TABLE: u16 = 0xD608;
/// `sprmPChgTabs`: variable, with its own long form when the length byte is 255.
const SPRM_PCHG_TABS: u16 = 0xC615;

/// Iterates over the sprms of a grpprl; stops at the first one whose
/// operand would run past the end.
pub(super) fn sprms(grpprl: &[u8]) -> SprmIter<'_> {
    SprmIter { b: grpprl, i: 0 }
}

pub(super) struct SprmIter<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Iterator for SprmIter<'a> {
    type Item = Sprm<'a>;

    fn next(&mut self) -> Option<Sprm<'a>> {
        let op = u16_at(self.b, self.i)?;
        let at = self.i + 2;
        let (skip, len) = match op >> 13 {
            0 | 1 => (0, 1),
            2 | 4 | 5 => (0, 2),
            3 => (0, 4),
            7 => (0, 3),
            _ => match op {
                SPRM_TDEF_TABLE => (2, (u16_at(self.b, at)? as usize).saturating_sub(1)),
                SPRM_PCHG_TABS if u8_at(self.b, at)? == 255 => {
                    // Long form: deletions (4 bytes each) then additions
                    // (3 bytes each), each list with a count byte.
                    let del = u8_at(self.b, at + 1)? as usize;
                    let add = u8_at(self.b, at + 2 + del * 4)? as usize;
                    (1, 1 + del * 4 + 1 + add * 3)
                }
                _ => (1, u8_at(self.b, at)? as usize),
            },
        };
        let arg = slice(self.b, at + skip, len)?;
        self.i = at + skip + len;
        Some(Sprm { op, arg })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprm_sizes_follow_spra() {
        // sprmPFInTable (1 byte), sprmPItap (4), sprmTVertMerge (variable),
        // sprmTDefTable (16-bit length).
        let g = [
            0x16, 0x24, 1, //
            0x49, 0x66, 2, 0, 0, 0, //
            0x2B, 0xD6, 2, 0, 3, //
            0x08, 0xD6, 3, 0, 9, 8,
        ];
        let v: Vec<(u16, Vec<u8>)> = sprms(&g).map(|s| (s.op, s.arg.to_vec())).collect();
        assert_eq!(
            v,
            vec![
                (0x2416, vec![1]),
                (0x6649, vec![2, 0, 0, 0]),
                (0xD62B, vec![0, 3]),
                (0xD608, vec![9, 8]),
            ]
        );
    }

    #[test]
    fn a_truncated_sprm_ends_the_walk() {
        let g = [0x16, 0x24, 1, 0x49, 0x66, 2];
        assert_eq!(sprms(&g).count(), 1);
        assert_eq!(sprms(&[0x08, 0xD6, 0xFF, 0xFF]).count(), 0);
        assert_eq!(u32_at(&[1, 2, 3], usize::MAX), None);
    }
}
