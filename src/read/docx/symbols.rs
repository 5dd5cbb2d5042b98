//! Symbol fonts (Symbol, Wingdings) to Unicode, for `w:sym` and list bullets.
//!
//! In: a font name and a character as Word stores it (often in the private
//! use area U+F020–U+F0FF). Out: the Unicode character, from
//! `mappings/docx-symbol-fonts.tsv` ([`SymbolFonts`], part of the
//! [`crate::vocab::Vocab`]), and whether a mapping was found.

use crate::config::Lexicons;
use std::collections::HashMap;

/// The symbol-font table: (font, lowercased; code) → Unicode character.
#[derive(Debug, Default)]
pub struct SymbolFonts {
    table: HashMap<(String, u8), char>,
}

impl SymbolFonts {
    /// The table of checked `docx-symbol-fonts.tsv` rows.
    pub fn new(lx: &Lexicons) -> SymbolFonts {
        let mut table = HashMap::new();
        for r in &lx.symbol_fonts {
            if let Some((code, uni)) = r.row.mapping() {
                table.insert((r.row.font.to_lowercase(), code), uni);
            }
        }
        SymbolFonts { table }
    }

    fn is_symbol_font(&self, font: &str) -> bool {
        self.table.keys().any(|(f, _)| f == font)
    }

    /// Maps `c` written in `font` to Unicode. Returns the character and
    /// `true` when the font is a known symbol font and the code is in its
    /// table (or an ASCII code of the Symbol font, which means itself).
    /// Characters of other fonts come back unchanged with `true`; unmapped
    /// symbol codes come back unchanged with `false`.
    pub(crate) fn map_char(&self, font: Option<&str>, c: char) -> (char, bool) {
        let Some(font) = font.map(|f| f.trim().to_lowercase()) else {
            return (c, !is_pua(c));
        };
        if !self.is_symbol_font(&font) {
            return (c, !is_pua(c));
        }
        let code = c as u32;
        let low = if (0xF000..=0xF0FF).contains(&code) || code <= 0xFF {
            (code & 0xFF) as u8
        } else {
            return (c, true);
        };
        match self.table.get(&(font.clone(), low)) {
            Some(u) => (*u, true),
            None if font == "symbol" && (0x20..0x7F).contains(&low) => (low as char, true),
            None => (c, false),
        }
    }

    /// Text of a run in `font`: symbol-font characters mapped; returns the
    /// text and how many characters had no mapping (kept as written).
    pub(crate) fn map_text(&self, font: Option<&str>, s: &str) -> (String, u64) {
        let Some(f) = font.map(|f| f.trim().to_lowercase()) else {
            return (s.to_string(), 0);
        };
        if !self.is_symbol_font(&f) {
            return (s.to_string(), 0);
        }
        let mut unmapped = 0;
        let out = s
            .chars()
            .map(|c| {
                let (m, ok) = self.map_char(Some(&f), c);
                if !ok {
                    unmapped += 1;
                }
                m
            })
            .collect();
        (out, unmapped)
    }

    /// A `w:sym` element: `w:font` and hex `w:char`.
    pub(crate) fn map_sym(&self, font: Option<&str>, hex: Option<&str>) -> Option<(char, bool)> {
        let code = u32::from_str_radix(hex?.trim(), 16).ok()?;
        let c = char::from_u32(code)?;
        Some(self.map_char(font, c))
    }
}

fn is_pua(c: char) -> bool {
    (0xE000..=0xF8FF).contains(&(c as u32))
}

#[cfg(test)]
mod tests {
    #[test]
    fn symbol_and_wingdings() {
        let v = crate::vocab::Vocab::embedded();
        let t = v.symbol_fonts();
        assert_eq!(t.map_char(Some("Symbol"), '\u{F0B7}'), ('•', true));
        assert_eq!(t.map_char(Some("Symbol"), '\u{F061}'), ('α', true));
        assert_eq!(t.map_char(Some("Wingdings"), '\u{F0A7}'), ('▪', true));
        assert_eq!(t.map_char(Some("Wingdings"), '\u{F0D8}'), ('➢', true));
        assert_eq!(
            t.map_char(Some("Wingdings"), '\u{F001}'),
            ('\u{F001}', false)
        );
        assert_eq!(t.map_char(Some("Arial"), 'x'), ('x', true));
        assert_eq!(t.map_sym(Some("Symbol"), Some("F0B7")), Some(('•', true)));
    }
}
