//! Names of inputs and outputs: lossless and bounded.
//!
//! A relative path is written as UTF-8; a byte of a file name that is not
//! UTF-8 (a cp1250 `č` on an old share) is written `%XX`, and a `%` that
//! is followed by two hex digits is itself written `%25`, so two different
//! names never meet and the original bytes can always be recovered. Output
//! names derived from such paths are unique for the whole input set (they
//! depend only on the sorted set of paths, never on threads) and bounded in
//! length: a long one keeps its start and ends with a hash of the path.

use std::ffi::OsStr;

/// Longest output name (bytes) before `.json`/`.html` and pair joining.
pub const MAX_NAME: usize = 160;

/// One path component, written losslessly (see the module doc).
pub fn component(name: &OsStr) -> String {
    #[cfg(unix)]
    let bytes: &[u8] = std::os::unix::ffi::OsStrExt::as_bytes(name);
    #[cfg(not(unix))]
    let owned = name.to_string_lossy().into_owned().into_bytes();
    #[cfg(not(unix))]
    let bytes: &[u8] = &owned;
    escape(bytes)
}

/// Bytes as text: valid UTF-8 kept, other bytes and ambiguous `%` escaped.
pub fn escape(bytes: &[u8]) -> String {
    // Only a `%` before two hex digits needs escaping: invalid bytes that
    // follow a chunk are written as `%XX`, which starts with no hex digit.
    let hex = |b: u8| b.is_ascii_hexdigit();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        for (i, c) in valid.char_indices() {
            let rest = &valid.as_bytes()[i + 1..];
            if c == '%' && rest.len() >= 2 && hex(rest[0]) && hex(rest[1]) {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The original bytes of an [`escape`]d text.
pub fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hexval(b[i + 1]), hexval(b[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn hexval(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A hash of `s`, `len` hex digits.
fn hash(s: &str, len: usize) -> String {
    let h = crate::read::sha256_hex(s.as_bytes());
    h[..len].to_string()
}

/// `name` cut to `max` bytes: its start, then `-` and a hash of `key`.
fn bounded(name: String, key: &str, max: usize) -> String {
    if name.len() <= max {
        return name;
    }
    let mut cut = max - 13;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &name[..cut], hash(key, 12))
}

/// Output names for relative paths: the path without extension, `/` as
/// `_`; where that collides, the extension is kept; where that still
/// collides, a hash of the path is added. Every name is at most
/// [`MAX_NAME`] bytes (a longer one is cut and ends with a hash of its
/// path). The result depends only on the list, so it is the same for any
/// thread count.
pub fn unique_names<'a>(rels: impl Iterator<Item = &'a str>) -> Vec<String> {
    let rels: Vec<&str> = rels.collect();
    let flat = |r: &str| r.replace('/', "_");
    let mut names: Vec<String> = rels
        .iter()
        .map(|r| {
            let f = flat(r);
            let stem = match f.rfind('.') {
                Some(i) if i > 0 => f[..i].to_string(),
                _ => f,
            };
            bounded(stem, r, MAX_NAME)
        })
        .collect();
    for round in 0..2 {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for n in &names {
            *seen.entry(n.as_str()).or_insert(0) += 1;
        }
        let dup: Vec<bool> = names.iter().map(|n| seen[n.as_str()] > 1).collect();
        if !dup.contains(&true) {
            break;
        }
        for (i, d) in dup.iter().enumerate() {
            if *d {
                names[i] = if round == 0 {
                    bounded(flat(rels[i]), rels[i], MAX_NAME)
                } else {
                    let h = hash(rels[i], 8);
                    bounded(format!("{}-{h}", flat(rels[i])), rels[i], MAX_NAME)
                };
            }
        }
    }
    names
}

/// Name of a pair's files under `alignments/`; long names are shortened
/// with a hash so they stay within file-name limits.
pub fn pair_name(a: &str, b: &str) -> String {
    let n = format!("{a}+{b}");
    if n.len() <= 200 {
        return n;
    }
    let h = crate::read::sha256_hex(n.as_bytes());
    let mut cut = 180;
    while !n.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &n[..cut], &h[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_lossless_and_injective() {
        let cases: Vec<&[u8]> = vec![
            b"plan.txt",
            b"50%.txt",
            b"a%E8.txt",
            b"a\xE8.txt",
            b"a%25.txt",
            b"a%\xE8",
            b"\xE8\xE6",
            "Јужна.txt".as_bytes(),
            b"%",
            b"%4",
        ];
        let mut seen = std::collections::BTreeSet::new();
        for c in &cases {
            let e = escape(c);
            assert_eq!(unescape(&e), c.to_vec(), "{e}");
            assert!(seen.insert(e.clone()), "collision on {e}");
        }
        assert_eq!(escape(b"a\xE8.txt"), "a%E8.txt");
        assert_eq!(escape(b"a%E8.txt"), "a%25E8.txt");
        assert_eq!(escape(b"50%.txt"), "50%.txt");
    }

    #[test]
    fn long_names_are_bounded_unique_and_stable() {
        let a = format!("{}/a.txt", "x".repeat(300));
        let b = format!("{}/b.txt", "x".repeat(300));
        let n = unique_names([a.as_str(), b.as_str()].into_iter());
        assert!(n.iter().all(|n| n.len() <= MAX_NAME), "{n:?}");
        assert_ne!(n[0], n[1]);
        assert_eq!(n, unique_names([a.as_str(), b.as_str()].into_iter()));
        // Multi-byte text is cut on a character boundary.
        let c = format!("{}.txt", "ћ".repeat(200));
        let n = unique_names([c.as_str()].into_iter());
        assert!(n[0].len() <= MAX_NAME);
    }
}
