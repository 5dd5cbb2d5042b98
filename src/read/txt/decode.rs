//! Text decoding: file bytes → Unicode text, with the encoding chosen and
//! how sure we are.
//!
//! In: raw bytes. Out: [`Decoded`] (text, encoding label, confidence, number
//! of bytes that could not be decoded and the first line where that
//! happened). A BOM decides outright (UTF-8, UTF-16LE/BE). Without one,
//! valid UTF-8 wins; UTF-16 without BOM is recognised by its NUL pattern;
//! otherwise Windows-1250 and Windows-1251 are both decoded and scored by
//! how plausible the letters are for Serbian (Latin or Cyrillic) and
//! Albanian text. Decoding never fails: bad bytes become U+FFFD and are
//! counted.

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1251};

/// The decoded text and what we know about how it was decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// Encoding label (`UTF-8`, `UTF-16LE`, `UTF-16BE`, `windows-1250`,
    /// `windows-1251`).
    pub encoding: &'static str,
    /// 0.0–1.0; 1.0 when a BOM said so or the bytes are valid UTF-8.
    pub confidence: f64,
    /// Number of input bytes replaced by U+FFFD.
    pub replaced: u64,
    /// 1-based line (of the decoded text) of the first replacement.
    pub first_replaced_line: Option<u32>,
}

/// Decodes `bytes`, choosing the encoding as described in the module doc.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_with(UTF_8, rest, 1.0);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_with(UTF_16LE, rest, 1.0);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_with(UTF_16BE, rest, 1.0);
    }
    if let Some((enc, conf)) = sniff_utf16(bytes) {
        return decode_with(enc, bytes, conf);
    }
    let (valid_multibyte, invalid) = utf8_stats(bytes);
    if invalid == 0 {
        return decode_with(UTF_8, bytes, 1.0);
    }
    // Mostly valid UTF-8 with a few damaged bytes: a legacy code page almost
    // never forms valid multi-byte sequences by chance, so many valid ones
    // mean UTF-8 with errors, not a different encoding.
    if valid_multibyte >= 20 * invalid {
        let conf = valid_multibyte as f64 / (valid_multibyte + invalid) as f64;
        return decode_with(UTF_8, bytes, conf);
    }
    let latin = decode_with(WINDOWS_1250, bytes, 0.0);
    let cyrillic = decode_with(WINDOWS_1251, bytes, 0.0);
    let bl = implausibility(&latin.text);
    let bc = implausibility(&cyrillic.text);
    let (mut best, worse, fewer) = if bc < bl {
        (cyrillic, bl, bc)
    } else {
        (latin, bc, bl)
    };
    // Sure when the other reading has many more implausible letters, both
    // relatively and in absolute number (a short text is weak evidence).
    let margin = (worse - fewer) as f64;
    best.confidence = if worse == 0 {
        0.5
    } else {
        0.5 + 0.49 * (margin / worse as f64) * (margin / (margin + 4.0))
    };
    best
}

/// Decodes with one encoding (no BOM handling), replacing malformed
/// sequences with U+FFFD and counting the bytes replaced.
fn decode_with(enc: &'static Encoding, bytes: &[u8], confidence: f64) -> Decoded {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(cap.saturating_add(16));
    let mut src = bytes;
    let mut replaced: u64 = 0;
    let mut first_at: Option<usize> = None;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut text, true);
        src = &src[read.min(src.len())..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(src.len())
                    .unwrap_or(src.len().saturating_mul(3));
                text.reserve(more.max(16));
            }
            DecoderResult::Malformed(bad, _) => {
                first_at.get_or_insert(text.len());
                replaced += u64::from(bad);
                text.push('\u{FFFD}');
            }
        }
    }
    let first_replaced_line = first_at.map(|at| line_of(&text, at));
    Decoded {
        text,
        encoding: label(enc),
        confidence,
        replaced,
        first_replaced_line,
    }
}

fn label(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == WINDOWS_1250 {
        "windows-1250"
    } else if enc == WINDOWS_1251 {
        "windows-1251"
    } else {
        enc.name()
    }
}

/// 1-based line number of byte offset `at`, counting CRLF, CR and LF as
/// one line break each (the same rule the reader splits lines by).
pub fn line_of(text: &str, at: usize) -> u32 {
    let b = text.as_bytes();
    let end = at.min(b.len());
    let mut line: u32 = 1;
    let mut i = 0;
    while i < end {
        match b[i] {
            b'\n' => line = line.saturating_add(1),
            b'\r' => {
                line = line.saturating_add(1);
                if i + 1 < end && b[i + 1] == b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    line
}

/// Counts valid multi-byte UTF-8 sequences and invalid byte runs.
fn utf8_stats(bytes: &[u8]) -> (usize, usize) {
    let mut multibyte = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (multibyte, invalid)
}

/// UTF-16 without BOM: text in Latin or Cyrillic script has a NUL (Latin)
/// or a small high byte (Cyrillic 0x04) in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<(&'static Encoding, f64)> {
    let sample = &bytes[..bytes.len().min(8192) & !1];
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even0, mut odd0) = (0usize, 0usize);
    for p in sample.chunks_exact(2) {
        if p[0] == 0 {
            even0 += 1;
        }
        if p[1] == 0 {
            odd0 += 1;
        }
    }
    // ASCII-heavy text: most high bytes are NUL, almost no low byte is.
    let share = |n: usize| n as f64 / pairs as f64;
    if share(odd0) > 0.3 && share(even0) < 0.05 {
        return Some((UTF_16LE, (0.5 + share(odd0)).min(0.95)));
    }
    if share(even0) > 0.3 && share(odd0) < 0.05 {
        return Some((UTF_16BE, (0.5 + share(even0)).min(0.95)));
    }
    // Cyrillic-heavy text: high bytes are 0x04 (or NUL for spaces, digits).
    let (mut even_hi, mut odd_hi) = (0usize, 0usize);
    for p in sample.chunks_exact(2) {
        if p[0] == 0 || p[0] == 4 {
            even_hi += 1;
        }
        if p[1] == 0 || p[1] == 4 {
            odd_hi += 1;
        }
    }
    if share(odd_hi) > 0.9 && share(odd0) > 0.05 && share(even0) < 0.02 {
        return Some((UTF_16LE, 0.9));
    }
    if share(even_hi) > 0.9 && share(even0) > 0.05 && share(odd0) < 0.02 {
        return Some((UTF_16BE, 0.9));
    }
    None
}

/// Letters expected in the languages we read: Serbian Cyrillic, and the
/// diacritics of Serbian Latin (č ć š ž đ) and Albanian (ë ç).
fn is_expected_cyrillic(c: char) -> bool {
    matches!(c, 'А'..='Ш' | 'а'..='ш' | 'Ђ' | 'ђ' | 'Ј' | 'ј' | 'Љ' | 'љ' | 'Њ' | 'њ' | 'Ћ' | 'ћ' | 'Џ' | 'џ')
        && !matches!(c, 'Щ' | 'щ' | 'Й' | 'й')
}

fn is_expected_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || "čćšžđëçČĆŠŽĐËÇ".contains(c)
}

#[derive(Clone, Copy, PartialEq)]
enum Script {
    Latin,
    Cyrillic,
    Other,
}

fn script(c: char) -> Script {
    if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
        Script::Latin
    } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
        Script::Cyrillic
    } else {
        Script::Other
    }
}

/// Implausible events in a decoding: a letter outside the expected
/// alphabets (2), a control or C1 character (3), a change of script between
/// two letters of one word (3: a Latin word with a Cyrillic letter is the
/// mark of the wrong code page).
fn implausibility(text: &str) -> u64 {
    let mut bad: u64 = 0;
    let mut prev = Script::Other;
    for c in text.chars() {
        if c.is_alphabetic() {
            if !(is_expected_latin(c) || is_expected_cyrillic(c)) {
                bad += 2;
            }
            let s = script(c);
            if prev != Script::Other && s != Script::Other && s != prev {
                bad += 3;
            }
            prev = s;
        } else {
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                bad += 3;
            }
            prev = Script::Other;
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_decides() {
        let d = decode(b"\xEF\xBB\xBFabc");
        assert_eq!(
            (d.text.as_str(), d.encoding, d.confidence),
            ("abc", "UTF-8", 1.0)
        );
        let d = decode(&[0xFF, 0xFE, b'a', 0, 0x30, 0x04]);
        assert_eq!((d.text.as_str(), d.encoding), ("aа", "UTF-16LE"));
        let d = decode(&[0xFE, 0xFF, 0, b'a', 0x04, 0x30]);
        assert_eq!((d.text.as_str(), d.encoding), ("aа", "UTF-16BE"));
    }

    #[test]
    fn legacy_code_pages_are_told_apart() {
        let sr_latn = "Opština Južna Mitrovica, socijalne i porodične usluge, đaci, ćerka, žene";
        let (b, _, _) = WINDOWS_1250.encode(sr_latn);
        let d = decode(&b);
        assert_eq!(d.encoding, "windows-1250");
        assert_eq!(d.text, sr_latn);
        let sq = "Komuna e Mitrovicës së Jugut, shërbime sociale e familjare, çështje";
        let (b, _, _) = WINDOWS_1250.encode(sq);
        assert_eq!(decode(&b).text, sq);
        let sr_cyrl = "Општина Љубовија, социјална заштита, ђаци, ћерка, џамија";
        let (b, _, _) = WINDOWS_1251.encode(sr_cyrl);
        let d = decode(&b);
        assert_eq!(d.encoding, "windows-1251");
        assert_eq!(d.text, sr_cyrl);
        assert!(d.confidence > 0.9, "{}", d.confidence);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        let mut b = "Општина Љубовија социјална заштита услуге центар\nдруга линија "
            .as_bytes()
            .to_vec();
        b.extend_from_slice(&[0xFF, 0xFE, b'x']);
        let d = decode(&b);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 2);
        assert_eq!(d.first_replaced_line, Some(2));
        assert!(d.text.ends_with("\u{FFFD}\u{FFFD}x"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let s = "Opština Južna Mitrovica\r\nAkcioni plan";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le).text, s);
        let cyr = "Општина Љубовија социјална заштита";
        let be: Vec<u8> = cyr.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(&be);
        assert_eq!((d.text.as_str(), d.encoding), (cyr, "UTF-16BE"));
    }

    #[test]
    fn odd_utf16_length_is_replaced_not_lost() {
        let d = decode(&[0xFF, 0xFE, b'a', 0, b'b']);
        assert_eq!(d.text, "a\u{FFFD}");
        assert_eq!(d.replaced, 1);
    }

    #[test]
    fn line_of_counts_all_line_ends() {
        assert_eq!(line_of("a\r\nb\rc\nd", 7), 4);
        assert_eq!(line_of("a\r\nb", 3), 2);
    }
}
