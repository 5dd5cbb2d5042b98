//! Inline markup of text exports → structure.
//!
//! In: the raw text of one line or one table cell. Out: [`Para`]s (text
//! with the markup removed, [`Mark`]s over it, list membership, heading
//! level) and [`Stats`] counting what was removed.
//!
//! Understood: HTML tags (`b strong i em u sup sub a span p div br ul ol li
//! h1–h6` and a few more), entities (`&amp;`, `&#233;`, `&#x…;`), autolinks
//! (`<https://…>`), markdown emphasis (`**`, `*`, `__`, `_`, with the
//! CommonMark flanking rules), headings (`#`), bullets (`-`, `*`, `•`, `·`,
//! `✓` …), horizontal rules, backslash escapes and Word bookmarks as
//! exported (`[bookmark: _GoBack]`). Only well-formed markup is markup: a
//! `<` not starting a known tag, a `*` without a partner or a `&` not
//! ending in a known entity stays text (`a*b`, `3 * 4`, `<5 godina`).
//! Every scan is linear: tags and entities are bounded in length and a
//! closer (emphasis or HTML) looks back at most [`MAX_LOOKBACK`] openers.

use crate::model::{ListItem, Mark};

mod inline;
pub use inline::parse_inline;

/// One paragraph or list item recovered from markup.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub text: String,
    pub marks: Vec<Mark>,
    pub list: Option<ListItem>,
    pub heading: Option<u8>,
}

/// What was removed as markup.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub tags: u64,
    pub entities: u64,
    pub emphasis: u64,
    pub escapes: u64,
    pub bookmarks: u64,
    pub headings: u64,
    pub rules: u64,
}

/// How far an emphasis closer searches back for its opener.
pub const MAX_LOOKBACK: usize = 64;
const MAX_TAG_LEN: usize = 256;
const MAX_URL_LEN: usize = 2048;

/// Glyphs that mark list items in Word exports and markdown.
const BULLETS: &[char] = &[
    '-', '*', '+', '•', '·', '◦', '▪', '■', '●', '○', '✓', '✔', '➢', '►', '–', '→',
];

/// Is this line a horizontal rule (`---`, `***`, `___`, `- - -`)?
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_')
        && t.chars().filter(|&c| c == first).count() >= 3
        && chars.all(|c| c == first)
}

/// Parses one line (or one line of a cell): line-level markdown (heading,
/// bullet) first, then HTML blocks and inline markup. A horizontal rule
/// yields nothing and is counted.
pub fn parse_line(line: &str, stats: &mut Stats) -> Vec<Para> {
    if is_rule(line) {
        stats.rules += 1;
        return Vec::new();
    }
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let body = line.trim();
    if indent <= 3
        && let Some((level, content)) = md_heading(body)
    {
        stats.headings += 1;
        let mut paras = parse_block(content, stats);
        for p in &mut paras {
            p.heading.get_or_insert(level);
        }
        return paras;
    }
    if let Some((marker, content)) = bullet(body) {
        let mut paras = parse_block(content, stats);
        for p in &mut paras {
            if p.list.is_none() {
                p.list = Some(ListItem {
                    level: (indent / 2).min(8) as u8,
                    marker: Some(marker.to_string()),
                    ordered: false,
                });
            }
        }
        return paras;
    }
    parse_block(body, stats)
}

/// `## Title ##` → (2, "Title").
fn md_heading(s: &str) -> Option<(u8, &str)> {
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &s[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let mut content = rest.trim();
    // An optional closing run of `#` preceded by a space.
    let trimmed = content.trim_end_matches('#');
    if trimmed.len() != content.len() && (trimmed.is_empty() || trimmed.ends_with(' ')) {
        content = trimmed.trim_end();
    }
    Some((hashes as u8, content))
}

/// `- item` / `• item` → (marker, content). The marker must be followed
/// by whitespace and some content; `*` must not start a rule.
fn bullet(s: &str) -> Option<(char, &str)> {
    let mut it = s.char_indices();
    let (_, c) = it.next()?;
    if !BULLETS.contains(&c) {
        return None;
    }
    let (i, next) = it.next()?;
    if !next.is_whitespace() {
        return None;
    }
    let content = s[i..].trim_start();
    if content.is_empty() {
        return None;
    }
    Some((c, content))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bold,
    Italic,
    Underline,
    Sup,
    Sub,
    Link,
    /// Stripped without a mark (`span`, `font` …).
    Plain,
    /// `img`: an element without text, removed; the text on both sides
    /// stays, joined by one space where both sides had one.
    Image,
    /// `br`: a line break inside the paragraph.
    Break,
    /// Paragraph boundary (`p`, `div`, table parts …).
    Block,
    Heading(u8),
    List {
        ordered: bool,
    },
    Item,
}

#[derive(Debug, Clone, PartialEq)]
struct Tag {
    kind: Kind,
    closing: bool,
    href: Option<String>,
}

fn tag_kind(name: &str) -> Option<Kind> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "b" | "strong" => Kind::Bold,
        "i" | "em" | "cite" | "dfn" | "var" => Kind::Italic,
        "u" | "ins" => Kind::Underline,
        "sup" => Kind::Sup,
        "sub" => Kind::Sub,
        "a" => Kind::Link,
        "span" | "font" | "s" | "strike" | "del" | "small" | "big" | "mark" | "abbr" | "code"
        | "tt" | "kbd" | "samp" | "q" | "label" | "wbr" | "nobr" | "bdi" | "bdo" | "o:p" => {
            Kind::Plain
        }
        "img" => Kind::Image,
        "br" => Kind::Break,
        "p" | "div" | "blockquote" | "pre" | "center" | "section" | "article" | "header"
        | "footer" | "hr" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
        | "caption" | "dl" | "dt" | "dd" => Kind::Block,
        "h1" => Kind::Heading(1),
        "h2" => Kind::Heading(2),
        "h3" => Kind::Heading(3),
        "h4" => Kind::Heading(4),
        "h5" => Kind::Heading(5),
        "h6" => Kind::Heading(6),
        "ul" => Kind::List { ordered: false },
        "ol" => Kind::List { ordered: true },
        "li" => Kind::Item,
        _ => return None,
    })
}

/// Parses a well-formed tag of a known name starting at byte `at` (a
/// `<`). Returns the tag and the byte offset just after it.
fn parse_tag(s: &str, at: usize) -> Option<(Tag, usize)> {
    let b = s.as_bytes();
    let mut i = at + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b':') && i - name_start < 12 {
        i += 1;
    }
    let kind = tag_kind(&s[name_start..i])?;
    let limit = (at + MAX_TAG_LEN).min(b.len());
    let attrs_start = i;
    match b.get(i)? {
        b'>' => return Some((tag(kind, closing, None), i + 1)),
        b'/' if b.get(i + 1) == Some(&b'>') => return Some((tag(kind, closing, None), i + 2)),
        c if c.is_ascii_whitespace() => {}
        _ => return None,
    }
    // Attributes: anything but `<`, `>` and line breaks, quotes balanced.
    let mut quote: Option<u8> = None;
    while i < limit {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                let href = if kind == Kind::Link {
                    attr(&s[attrs_start..i], "href")
                } else {
                    None
                };
                return Some((tag(kind, closing, href), i + 1));
            }
            None if c == b'<' => return None,
            None => {}
        }
        if c == b'\n' || c == b'\r' {
            return None;
        }
        i += 1;
    }
    None
}

fn tag(kind: Kind, closing: bool, href: Option<String>) -> Tag {
    Tag {
        kind,
        closing,
        href,
    }
}

/// The value of attribute `name` in an attribute string.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let pos = lower.find(&format!("{name}="))?;
    let rest = &attrs[pos + name.len() + 1..];
    let mut chars = rest.chars();
    let q = chars.next()?;
    if q == '"' || q == '\'' {
        let inner = &rest[1..];
        Some(inner[..inner.find(q)?].to_string())
    } else {
        Some(
            rest.split_whitespace()
                .next()?
                .trim_end_matches('/')
                .to_string(),
        )
    }
}

/// `<https://…>` autolink at `at`: (url, end).
fn parse_autolink(s: &str, at: usize) -> Option<(&str, usize)> {
    let rest = &s[at + 1..];
    let lower: String = rest
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    if !(lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:"))
    {
        return None;
    }
    for (i, c) in rest.char_indices() {
        if i > MAX_URL_LEN || c.is_whitespace() || c == '<' {
            return None;
        }
        if c == '>' {
            return Some((&rest[..i], at + 1 + i + 1));
        }
    }
    None
}

/// `&amp;` / `&#233;` / `&#xE9;` at `at`: (char, end).
fn parse_entity(s: &str, at: usize) -> Option<(char, usize)> {
    let rest = &s[at + 1..];
    let end = rest.bytes().take(33).position(|b| b == b';')?;
    let body = &rest[..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()?
        } else {
            if num.is_empty() || num.len() > 7 || !num.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            num.parse().ok()?
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}')
    } else {
        named_entity(body)?
    };
    Some((c, at + 1 + end + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "shy" => '\u{00AD}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "sect" => '§',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "frac12" => '½',
        "ccaron" => 'č',
        "Ccaron" => 'Č',
        "scaron" => 'š',
        "Scaron" => 'Š',
        "zcaron" => 'ž',
        "Zcaron" => 'Ž',
        "cacute" => 'ć',
        "Cacute" => 'Ć',
        "dstrok" => 'đ',
        "Dstrok" => 'Đ',
        "euml" => 'ë',
        "Euml" => 'Ë',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        _ => return None,
    })
}

/// Parses text that may hold HTML block structure (`<p>`, `<ul><li>`,
/// headings) into paragraphs and list items.
pub fn parse_block(s: &str, stats: &mut Stats) -> Vec<Para> {
    let mut b = BlockParser {
        out: Vec::new(),
        cur: String::new(),
        lists: Vec::new(),
        in_item: None,
        heading: None,
    };
    let mut seg_start = 0;
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        let at = i + off;
        match parse_tag(s, at) {
            Some((t, end))
                if matches!(
                    t.kind,
                    Kind::Block | Kind::Heading(_) | Kind::List { .. } | Kind::Item
                ) =>
            {
                b.cur.push_str(&s[seg_start..at]);
                stats.tags += 1;
                b.tag(&t, stats);
                seg_start = end;
                i = end;
            }
            Some((_, end)) => i = end,
            None => i = at + 1,
        }
    }
    b.cur.push_str(&s[seg_start..]);
    b.flush(stats);
    b.out
}

struct ListCtx {
    ordered: bool,
    next: u32,
}

struct BlockParser {
    out: Vec<Para>,
    /// Raw inline content of the paragraph being collected.
    cur: String,
    lists: Vec<ListCtx>,
    /// Inside `<li>`: the item's list membership.
    in_item: Option<ListItem>,
    heading: Option<u8>,
}

impl BlockParser {
    fn tag(&mut self, t: &Tag, stats: &mut Stats) {
        match t.kind {
            Kind::Block => self.flush(stats),
            Kind::Heading(level) => {
                self.flush(stats);
                self.heading = if t.closing { None } else { Some(level) };
            }
            Kind::List { ordered } => {
                self.flush(stats);
                self.in_item = None;
                if t.closing {
                    self.lists.pop();
                } else {
                    self.lists.push(ListCtx { ordered, next: 1 });
                }
            }
            Kind::Item => {
                self.flush(stats);
                self.in_item = None;
                if !t.closing {
                    let level = self.lists.len().saturating_sub(1).min(8) as u8;
                    let (ordered, marker) = match self.lists.last_mut() {
                        Some(l) if l.ordered => {
                            let m = format!("{}.", l.next);
                            l.next += 1;
                            (true, Some(m))
                        }
                        _ => (false, None),
                    };
                    self.in_item = Some(ListItem {
                        level,
                        marker,
                        ordered,
                    });
                }
            }
            _ => {}
        }
    }

    fn flush(&mut self, stats: &mut Stats) {
        let raw = std::mem::take(&mut self.cur);
        if raw.trim().is_empty() {
            return;
        }
        if let Some(item) = &self.in_item {
            let mut p = parse_inline(&raw, stats);
            if !p.text.is_empty() {
                p.list = Some(item.clone());
                self.out.push(p);
            }
        } else if !self.lists.is_empty() {
            // Text right inside `<ul>` without `<li>`: Word exports write the
            // items inline, each led by its bullet glyph.
            let level = (self.lists.len() - 1).min(8) as u8;
            for (marker, piece) in split_bullets(&raw) {
                let mut p = parse_inline(piece, stats);
                if !p.text.is_empty() {
                    p.list = Some(ListItem {
                        level,
                        marker: marker.map(String::from),
                        ordered: false,
                    });
                    self.out.push(p);
                }
            }
        } else {
            for line in raw.split('\n') {
                let mut p = parse_inline(line, stats);
                if !p.text.is_empty() {
                    p.heading = self.heading;
                    self.out.push(p);
                }
            }
        }
    }
}

/// Splits inline list text `• a • b` into items at each bullet that has
/// whitespace (or the start) on both sides. The list's bullet is the first
/// non-space character; without one the whole text is one item.
fn split_bullets(raw: &str) -> Vec<(Option<char>, &str)> {
    let t = raw.trim_start();
    let Some((marker, _)) = bullet(t) else {
        return vec![(None, raw)];
    };
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_ws = true;
    let mut it = raw.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next_ws = it.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if c == marker && prev_ws && next_ws {
            if let Some(s) = start {
                out.push((Some(marker), &raw[s..i]));
            }
            start = Some(i + c.len_utf8());
        }
        prev_ws = c.is_whitespace();
    }
    if let Some(s) = start {
        out.push((Some(marker), &raw[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        parse_inline(s, &mut Stats::default()).text
    }

    fn lines(s: &str) -> Vec<String> {
        parse_line(s, &mut Stats::default())
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn real_text_survives() {
        for s in [
            "a*b",
            "3 * 4",
            "<5 godina",
            ">65 godine",
            "2 < 3",
            "2023**",
            "СЗ*",
            "R&D",
            "a & b",
            "AT&T;",
            "x_y_z",
            "Регистровани запослени* ¹",
            "<ul",
            "<b",
            "&#;",
            "&#xZZ;",
            "a</z>b",
            "\\d",
        ] {
            assert_eq!(text(s), s, "{s}");
        }
    }

    #[test]
    fn html_becomes_marks() {
        let p = parse_inline(
            "<b>Obj 1.2:</b> Razvoj &amp; <i>rast</i> km<sup>2</sup>",
            &mut Stats::default(),
        );
        assert_eq!(p.text, "Obj 1.2: Razvoj & rast km2");
        assert_eq!(
            p.marks,
            vec![
                Mark::Bold { start: 0, end: 8 },
                Mark::Italic { start: 18, end: 22 },
                Mark::Superscript { start: 25, end: 26 }
            ]
        );
    }

    #[test]
    fn markdown_emphasis() {
        let p = parse_inline(
            "**Mera 10.1:** Izgradnja *novog* objekta",
            &mut Stats::default(),
        );
        assert_eq!(p.text, "Mera 10.1: Izgradnja novog objekta");
        assert_eq!(
            p.marks,
            vec![
                Mark::Bold { start: 0, end: 10 },
                Mark::Italic { start: 21, end: 26 }
            ]
        );
        let p = parse_inline("и *Програм (ЕРП)*⁴, који", &mut Stats::default());
        assert_eq!(p.text, "и Програм (ЕРП)⁴, који");
        assert_eq!(p.marks, vec![Mark::Italic { start: 2, end: 15 }]);
        let p = parse_inline(
            "_kurziv_ i __podebljano__, snake_case_ime",
            &mut Stats::default(),
        );
        assert_eq!(p.text, "kurziv i podebljano, snake_case_ime");
        assert_eq!(
            p.marks,
            vec![
                Mark::Italic { start: 0, end: 6 },
                Mark::Bold { start: 9, end: 19 }
            ]
        );
        let p = parse_inline("***x***", &mut Stats::default());
        assert_eq!(p.text, "x");
        assert_eq!(p.marks.len(), 2);
        // A footnote star kept, the rest is italic.
        let p = parse_inline("**Под редним бројем 4.)*", &mut Stats::default());
        assert_eq!(p.text, "*Под редним бројем 4.)");
        assert_eq!(p.marks, vec![Mark::Italic { start: 1, end: 22 }]);
    }

    #[test]
    fn headings_bullets_rules() {
        let p = parse_line("### **Misioni**", &mut Stats::default());
        assert_eq!(p[0].text, "Misioni");
        assert_eq!(p[0].heading, Some(3));
        let p = parse_line("- **Мера 10.1:** Изградња", &mut Stats::default());
        assert_eq!(p[0].text, "Мера 10.1: Изградња");
        assert_eq!(
            p[0].list.as_ref().and_then(|l| l.marker.clone()),
            Some("-".to_string())
        );
        let mut st = Stats::default();
        assert!(parse_line("---", &mut st).is_empty());
        assert_eq!(st.rules, 1);
        assert_eq!(lines("#hashtag"), vec!["#hashtag"]);
        assert_eq!(lines("-45"), vec!["-45"]);
    }

    #[test]
    fn inline_lists_split_on_their_bullet() {
        let p = parse_block(
            "<ul style=\"list-style-type: none\"> ✓ Prvo - sa crticom ✓ Drugo ✓ Treće ",
            &mut Stats::default(),
        );
        let t: Vec<_> = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(t, vec!["Prvo - sa crticom", "Drugo", "Treće"]);
        assert!(p.iter().all(|p| {
            p.list
                .as_ref()
                .is_some_and(|l| l.marker.as_deref() == Some("✓"))
        }));
        let p = parse_block(
            "<ul><li>a</li><li><b>b</b></li></ul><p>c</p>",
            &mut Stats::default(),
        );
        let t: Vec<_> = p
            .iter()
            .map(|p| (p.text.as_str(), p.list.is_some()))
            .collect();
        assert_eq!(t, vec![("a", true), ("b", true), ("c", false)]);
    }

    #[test]
    fn paragraphs_and_breaks() {
        let p = parse_block(
            "<p>БУЏЕТ</p> <p>2.000.000,00 динара</p>",
            &mut Stats::default(),
        );
        let t: Vec<_> = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(t, vec!["БУЏЕТ", "2.000.000,00 динара"]);
        assert_eq!(text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(
            text("a&nbsp;b &lt;5 &#x41;&#66; &euro;"),
            "a\u{a0}b <5 AB €"
        );
        assert_eq!(text("dva razmaka  "), "dva razmaka");
    }

    #[test]
    fn bookmarks_escapes_autolinks() {
        assert_eq!(text("[bookmark: _GoBack]Посебни циљ 3"), "Посебни циљ 3");
        assert_eq!(text("\\*not em\\*"), "*not em*");
        let p = parse_inline(
            "види <https://example.org/a?b=1&c=2>",
            &mut Stats::default(),
        );
        assert_eq!(p.text, "види https://example.org/a?b=1&c=2");
        assert!(matches!(&p.marks[0], Mark::Link { start: 5, .. }));
    }

    #[test]
    fn unterminated_and_hostile_input() {
        for s in [
            "<",
            "<b",
            "<b>",
            "</",
            "<ul style=\"",
            "**",
            "&",
            "&#",
            "[bookmark: x",
            "\\",
            "*_*_*_",
        ] {
            let _ = parse_line(s, &mut Stats::default());
            let _ = parse_block(s, &mut Stats::default());
        }
        let long = "*a ".repeat(100_000) + &"<b>".repeat(10_000);
        let p = parse_inline(&long, &mut Stats::default());
        assert!(!p.text.is_empty());
    }
}
