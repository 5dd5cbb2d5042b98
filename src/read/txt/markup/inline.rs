//! Inline markup of one paragraph: HTML tags, markdown emphasis, autolinks
//! and entities tokenized, then delimiters paired into marks.

use super::*;

#[derive(Debug)]
pub(super) enum Tok {
    Text(String),
    Delim(Delim),
    Open(Kind, Option<String>),
    Close(Kind),
    Break,
}

#[derive(Debug)]
pub(super) struct Delim {
    pub(super) ch: char,
    pub(super) len: usize,
    pub(super) left: usize,
    pub(super) can_open: bool,
    pub(super) can_close: bool,
    /// Marks closed by this run, in order (innermost first).
    pub(super) closes: Vec<usize>,
    /// Marks opened by this run, innermost first.
    pub(super) opens: Vec<usize>,
}

/// Punctuation for the flanking rules. Superscript digits count too: a
/// footnote mark right after closing emphasis (`*Title (ERP)*³`) must not
/// keep the `*` from closing.
pub(super) fn is_punct(c: char) -> bool {
    (!c.is_alphanumeric() && !c.is_whitespace())
        || matches!(c, '¹' | '²' | '³' | '\u{2070}'..='\u{209F}')
}

/// Parses one paragraph's inline markup.
pub fn parse_inline(s: &str, stats: &mut Stats) -> Para {
    let toks = tokenize(s, stats);
    assemble(toks, stats)
}

pub(super) fn tokenize(s: &str, stats: &mut Stats) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut text = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    let mut prev_char = ' ';
    macro_rules! flush_text {
        () => {
            if !text.is_empty() {
                toks.push(Tok::Text(std::mem::take(&mut text)));
            }
        };
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'<' => {
                if let Some((t, mut end)) = parse_tag(s, i) {
                    stats.tags += 1;
                    // An image between two spaces: one space is left, not
                    // two (nothing of the text around it is dropped).
                    if t.kind == Kind::Image && text.ends_with(' ') && b.get(end) == Some(&b' ') {
                        end += 1;
                    }
                    flush_text!();
                    match t.kind {
                        Kind::Break => toks.push(Tok::Break),
                        Kind::Plain
                        | Kind::Image
                        | Kind::Block
                        | Kind::Heading(_)
                        | Kind::List { .. }
                        | Kind::Item => {}
                        k if t.closing => toks.push(Tok::Close(k)),
                        k => toks.push(Tok::Open(k, t.href)),
                    }
                    i = end;
                    prev_char = ' ';
                    continue;
                }
                if let Some((url, end)) = parse_autolink(s, i) {
                    stats.tags += 1;
                    flush_text!();
                    toks.push(Tok::Open(Kind::Link, Some(url.to_string())));
                    toks.push(Tok::Text(url.to_string()));
                    toks.push(Tok::Close(Kind::Link));
                    i = end;
                    prev_char = 'a';
                    continue;
                }
            }
            b'&' => {
                if let Some((ch, end)) = parse_entity(s, i) {
                    stats.entities += 1;
                    text.push(ch);
                    prev_char = ch;
                    i = end;
                    continue;
                }
            }
            b'\\' => {
                if let Some(&n) = b.get(i + 1)
                    && n.is_ascii_punctuation()
                {
                    stats.escapes += 1;
                    text.push(n as char);
                    prev_char = n as char;
                    i += 2;
                    continue;
                }
            }
            b'[' => {
                const BM: &str = "[bookmark: ";
                if s[i..].starts_with(BM)
                    && let Some(close) = s[i..].bytes().take(256).position(|b| b == b']')
                {
                    stats.bookmarks += 1;
                    i += close + 1;
                    continue;
                }
            }
            b'*' | b'_' => {
                let (d, j) = delim_run(s, i, c, prev_char);
                flush_text!();
                toks.push(Tok::Delim(d));
                prev_char = c as char;
                i = j;
                continue;
            }
            _ => {}
        }
        // Plain character (possibly multi-byte).
        let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
        text.push(ch);
        prev_char = ch;
        i += ch.len_utf8().max(1);
    }
    flush_text!();
    toks
}

/// The run of `c` (`*` or `_`) starting at byte `i`, with whether it can
/// open or close emphasis (CommonMark's flanking rules; `_` stricter inside
/// words); also the byte after the run.
fn delim_run(s: &str, i: usize, c: u8, prev_char: char) -> (Delim, usize) {
    let b = s.as_bytes();
    let mut j = i;
    while j < b.len() && b[j] == c {
        j += 1;
    }
    let next_char = s[j..].chars().next().unwrap_or(' ');
    let (pw, pp) = (prev_char.is_whitespace(), is_punct(prev_char));
    let (nw, np) = (next_char.is_whitespace(), is_punct(next_char));
    let left = !nw && (!np || pw || pp);
    let right = !pw && (!pp || nw || np);
    let (can_open, can_close) = if c == b'*' {
        (left, right)
    } else {
        (left && (!right || pp), right && (!left || np))
    };
    let d = Delim {
        ch: c as char,
        len: j - i,
        left: j - i,
        can_open,
        can_close,
        closes: Vec::new(),
        opens: Vec::new(),
    };
    (d, j)
}

/// Matches emphasis delimiters, then writes the text and the marks.
pub(super) fn assemble(mut toks: Vec<Tok>, stats: &mut Stats) -> Para {
    let kinds = match_delims(&mut toks, stats);
    write_marks(toks, &kinds)
}

/// Pairs emphasis delimiters (openers with closers of the same character,
/// the rule of three kept): the kind of each mark, by mark id, the ids
/// recorded on the delimiters.
fn match_delims(toks: &mut [Tok], stats: &mut Stats) -> Vec<Kind> {
    // Pending mark kinds; index = mark id.
    let mut kinds: Vec<Kind> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for idx in 0..toks.len() {
        let Tok::Delim(d) = &toks[idx] else { continue };
        let (ch, can_close, can_open) = (d.ch, d.can_close, d.can_open);
        if can_close {
            while let Tok::Delim(closer) = &toks[idx] {
                if closer.left == 0 {
                    break;
                }
                let found = stack
                    .iter()
                    .rev()
                    .take(MAX_LOOKBACK)
                    .position(|&j| match &toks[j] {
                        Tok::Delim(o) => {
                            o.ch == ch
                                && o.left > 0
                                && !((o.can_close || closer.can_open)
                                    && (o.len + closer.len) % 3 == 0
                                    && !(o.len % 3 == 0 && closer.len % 3 == 0))
                        }
                        _ => false,
                    });
                let Some(back) = found else { break };
                let pos = stack.len() - 1 - back;
                let j = stack[pos];
                let use_n = match (&toks[j], &toks[idx]) {
                    (Tok::Delim(o), Tok::Delim(c)) if o.left >= 2 && c.left >= 2 => 2,
                    _ => 1,
                };
                let id = kinds.len();
                kinds.push(if use_n == 2 { Kind::Bold } else { Kind::Italic });
                stats.emphasis += 1;
                if let Tok::Delim(o) = &mut toks[j] {
                    o.left -= use_n;
                    o.opens.push(id);
                }
                if let Tok::Delim(c) = &mut toks[idx] {
                    c.left -= use_n;
                    c.closes.push(id);
                }
                // Delimiters between opener and closer can no longer match.
                stack.truncate(pos + 1);
                if let Tok::Delim(o) = &toks[j]
                    && o.left == 0
                {
                    stack.pop();
                }
            }
        }
        if let Tok::Delim(d) = &toks[idx]
            && can_open
            && d.left > 0
        {
            stack.push(idx);
        }
    }
    kinds
}

/// The paragraph's text and its marks (emphasis, HTML tags, links), trimmed
/// with the marks shifted.
fn write_marks(toks: Vec<Tok>, kinds: &[Kind]) -> Para {
    let mut text = String::new();
    let mut pos: usize = 0;
    let mut spans: Vec<(Kind, usize, Option<usize>, Option<String>)> =
        kinds.iter().map(|&k| (k, 0, None, None)).collect();
    let mut html_open: Vec<usize> = Vec::new();
    let push = |text: &mut String, pos: &mut usize, s: &str| {
        text.push_str(s);
        *pos += s.chars().count();
    };
    for t in toks {
        match t {
            Tok::Text(s) => push(&mut text, &mut pos, &s),
            Tok::Break => push(&mut text, &mut pos, "\n"),
            Tok::Delim(d) => {
                for id in &d.closes {
                    spans[*id].2 = Some(pos);
                }
                let lit: String = std::iter::repeat_n(d.ch, d.left).collect();
                push(&mut text, &mut pos, &lit);
                for id in d.opens.iter().rev() {
                    spans[*id].1 = pos;
                }
            }
            Tok::Open(k, href) => {
                html_open.push(spans.len());
                spans.push((k, pos, None, href));
            }
            Tok::Close(k) => {
                let found = html_open
                    .iter()
                    .rev()
                    .take(MAX_LOOKBACK)
                    .position(|&id| spans[id].0 == k);
                if let Some(back) = found {
                    let id = html_open.remove(html_open.len() - 1 - back);
                    spans[id].2 = Some(pos);
                }
            }
        }
    }
    // Trim, shifting marks.
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trimmed: String = text.trim().to_string();
    let len = trimmed.chars().count();
    let mut marks = Vec::new();
    for (k, start, end, href) in spans {
        let end = end.unwrap_or(pos);
        let s = start.saturating_sub(lead).min(len);
        let e = end.saturating_sub(lead).min(len);
        if e <= s {
            continue;
        }
        let (start, end) = (s, e);
        marks.push(match k {
            Kind::Bold => Mark::Bold { start, end },
            Kind::Italic => Mark::Italic { start, end },
            Kind::Underline => Mark::Underline { start, end },
            Kind::Sup => Mark::Superscript { start, end },
            Kind::Sub => Mark::Subscript { start, end },
            _ => Mark::Link {
                start,
                end,
                target: href.unwrap_or_default(),
            },
        });
    }
    marks.sort_by_key(Mark::start);
    Para {
        text: trimmed,
        marks,
        list: None,
        heading: None,
    }
}
