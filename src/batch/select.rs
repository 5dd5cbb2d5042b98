//! Which discovered entries a run takes: `--glob` and `--exclude` patterns
//! over the path relative to the input directory (`/`-separated, as in
//! `summary.json`).
//!
//! The pattern language is the shell's, small enough to match by hand:
//! `?` one character and `*` any run of characters, neither crossing `/`;
//! `**` any run including `/` (`**/` also matches nothing, so `**/*.doc`
//! takes `a.doc` too); `[abc]`, `[a-z]`, `[!a]` (or `[^a]`) one character
//! of a class; `\` makes the next character literal. A pattern without `/`
//! is matched against the file name at any depth, as `.gitignore` does, so
//! `--glob '*.docx'` means every DOCX of the tree.

use std::fmt;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    raw: String,
    toks: Vec<Tok>,
    /// No `/` in the pattern: matched against the last path component.
    name_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**` not followed by `/`: anything, `/` included.
    Any,
    /// `**/`: nothing, or anything that ends with `/`.
    AnyDirs,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// A pattern that cannot be compiled, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pattern `{pattern}`: {reason}")]
pub struct GlobError {
    pub pattern: String,
    pub reason: &'static str,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, GlobError> {
        let err = |reason| GlobError {
            pattern: pattern.to_string(),
            reason,
        };
        if pattern.is_empty() {
            return Err(err("empty pattern"));
        }
        let chars: Vec<char> = pattern.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => {
                    let c = chars.get(i + 1).ok_or_else(|| err("ends with `\\`"))?;
                    toks.push(Tok::Lit(*c));
                    i += 2;
                }
                '?' => {
                    toks.push(Tok::One);
                    i += 1;
                }
                '*' if chars.get(i + 1) == Some(&'*') => {
                    // `***` is `**`.
                    while chars.get(i) == Some(&'*') {
                        i += 1;
                    }
                    if chars.get(i) == Some(&'/') {
                        toks.push(Tok::AnyDirs);
                        i += 1;
                    } else {
                        toks.push(Tok::Any);
                    }
                }
                '*' => {
                    toks.push(Tok::Star);
                    i += 1;
                }
                '[' => {
                    let (tok, next) = class(&chars, i + 1).ok_or_else(|| err("unclosed `[`"))?;
                    toks.push(tok);
                    i = next;
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Ok(Glob {
            raw: pattern.to_string(),
            name_only: !pattern.contains('/'),
            toks,
        })
    }

    /// Whether `rel` (a `/`-separated relative path) matches.
    pub fn matches(&self, rel: &str) -> bool {
        let target = if self.name_only {
            rel.trim_end_matches('/').rsplit('/').next().unwrap_or(rel)
        } else {
            rel
        };
        let s: Vec<char> = target.chars().collect();
        matches(&self.toks, &s)
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl std::str::FromStr for Glob {
    type Err = GlobError;
    fn from_str(s: &str) -> Result<Glob, GlobError> {
        Glob::new(s)
    }
}

/// A class starting after its `[`: the token and the index after its `]`.
/// A `]` first in the class is a member, as in the shell.
fn class(chars: &[char], start: usize) -> Option<(Tok, usize)> {
    let mut i = start;
    let negated = matches!(chars.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let first = i;
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > first {
            return Some((Tok::Class { negated, ranges }, i + 1));
        }
        let c = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let e = *chars.get(i + 2)?;
            ranges.push((c, e));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

/// Dynamic programming over (token, character) positions: linear in
/// pattern × path, whatever the stars (no backtracking blow-up).
fn matches(toks: &[Tok], s: &[char]) -> bool {
    // reach[j]: the tokens so far can consume exactly s[..j].
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    for t in toks {
        let mut next = vec![false; s.len() + 1];
        match t {
            Tok::Star | Tok::Any => {
                let mut on = false;
                for j in 0..=s.len() {
                    // A run continues through characters the token may eat.
                    if j > 0 && matches!(t, Tok::Star) && s[j - 1] == '/' {
                        on = false;
                    }
                    on |= reach[j];
                    next[j] = on;
                }
            }
            Tok::AnyDirs => {
                let mut seen = false;
                for j in 0..=s.len() {
                    seen |= reach[j];
                    next[j] = reach[j] || (seen && j > 0 && s[j - 1] == '/');
                }
            }
            _ => {
                for j in 0..s.len() {
                    if reach[j] && one(t, s[j]) {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach[s.len()]
}

/// Whether a single-character token takes `c`.
fn one(t: &Tok, c: char) -> bool {
    match t {
        Tok::Lit(l) => *l == c,
        Tok::One => c != '/',
        Tok::Class { negated, ranges } => {
            c != '/' && ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negated
        }
        Tok::Star | Tok::Any | Tok::AnyDirs => false,
    }
}

/// The selection of a run: with `globs`, only paths matching one of them;
/// never a path matching one of `excludes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Select {
    pub globs: Vec<Glob>,
    pub excludes: Vec<Glob>,
}

impl Select {
    /// Whether the file (or refused entry) at `rel` belongs to the run.
    pub fn wants(&self, rel: &str) -> bool {
        (self.globs.is_empty() || self.globs.iter().any(|g| g.matches(rel)))
            && !self.excludes.iter().any(|g| g.matches(rel))
    }

    /// Whether the directory at `rel` is excluded whole (`drafts`,
    /// `drafts/**`), so it is not even listed.
    pub fn prunes(&self, rel: &str) -> bool {
        let slash = format!("{rel}/");
        self.excludes
            .iter()
            .any(|g| g.matches(rel) || g.matches(&slash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p).map(|g| g.matches(s)).unwrap_or(false)
    }

    #[test]
    fn stars_and_names() {
        assert!(m("*.docx", "a.docx"));
        assert!(
            m("*.docx", "sr/x/a.docx"),
            "no slash: the name at any depth"
        );
        assert!(!m("*.docx", "a.docx.txt"));
        assert!(m("sr/*.txt", "sr/a.txt"));
        assert!(!m("sr/*.txt", "sr/x/a.txt"), "* never crosses /");
        assert!(m("sr/**", "sr/x/a.txt"));
        assert!(m("**/*.doc", "a.doc"));
        assert!(m("**/*.doc", "x/y/a.doc"));
        assert!(m("x/**/a.doc", "x/a.doc"));
        assert!(m("x/**/a.doc", "x/p/q/a.doc"));
        assert!(!m("x/**/a.doc", "y/x/a.doc"));
        assert!(m("a?c.txt", "abc.txt"));
        assert!(!m("a?c.txt", "a/c.txt"));
    }

    #[test]
    fn classes_and_escapes() {
        assert!(m("plan_[0-9].txt", "plan_7.txt"));
        assert!(!m("plan_[!0-9].txt", "plan_7.txt"));
        assert!(m("plan_[!0-9].txt", "plan_x.txt"));
        assert!(m("[]x]", "]"));
        assert!(m(r"\*.txt", "*.txt"));
        assert!(!m(r"\*.txt", "a.txt"));
        assert!(m("*-sr-Cyrl*", "ljubovija-sr-Cyrl.docx"));
        assert!(Glob::new("a[bc").is_err());
        assert!(Glob::new("a\\").is_err());
        assert!(Glob::new("").is_err());
    }

    #[test]
    fn many_stars_stay_linear() {
        let p = "*a*a*a*a*a*a*a*a*a*a*b";
        let s = "a".repeat(5000);
        assert!(!m(p, &s));
    }

    #[test]
    fn selection() {
        let sel = Select {
            globs: vec![Glob::new("*.docx").unwrap(), Glob::new("*.txt").unwrap()],
            excludes: vec![Glob::new("drafts/**").unwrap(), Glob::new("*old*").unwrap()],
        };
        assert!(sel.wants("a.docx"));
        assert!(sel.wants("sr/b.txt"));
        assert!(!sel.wants("c.doc"));
        assert!(!sel.wants("drafts/a.docx"));
        assert!(!sel.wants("x/plan-old.txt"));
        assert!(sel.prunes("drafts"));
        assert!(!sel.prunes("final"));
        assert!(Select::default().wants("anything"));
        assert!(!Select::default().prunes("anything"));
    }
}
