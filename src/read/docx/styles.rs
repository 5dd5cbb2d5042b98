//! `word/styles.xml`: paragraph and character styles with `w:basedOn`
//! inheritance.
//!
//! In: the styles part as an [`XmlStream`]. Out: [`Styles`], which answers
//! the questions the body parser asks: a paragraph style's heading level
//! (`w:outlineLvl` in the chain, else a built-in heading name in any of the
//! languages of `mappings/docx-heading-styles.tsv`), its list numbering
//! (`w:numPr`), and the effective run properties (bold, italic, underline,
//! vertical alignment, hidden) from document defaults, paragraph style,
//! character style and direct formatting, in that order.

use super::xml::{Ev, XmlStream};
use crate::config::Lexicons;
use crate::error::Result;
use std::collections::HashMap;
use std::io::BufRead;

/// Vertical alignment of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vert {
    Baseline,
    Super,
    Sub,
}

/// Run properties the reader keeps; `None` means "not set here".
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RunProps {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub vanish: Option<bool>,
    pub vert: Option<Vert>,
    pub style: Option<String>,
    /// `w:rFonts w:ascii` (or `w:hAnsi`), for symbol-font bullets.
    pub font: Option<String>,
    /// Paragraph-mark only: the mark is a tracked deletion.
    pub deleted: bool,
}

impl RunProps {
    /// `self` over `base`: every property set here wins.
    pub fn over(&self, base: &RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
            underline: self.underline.or(base.underline),
            vanish: self.vanish.or(base.vanish),
            vert: self.vert.or(base.vert),
            style: self.style.clone().or_else(|| base.style.clone()),
            font: self.font.clone().or_else(|| base.font.clone()),
            deleted: self.deleted,
        }
    }

    /// Reads the children of a `w:rPr` whose start tag was just read.
    pub fn parse<R: BufRead>(xs: &mut XmlStream<R>) -> Result<RunProps> {
        let mut p = RunProps::default();
        let mut depth = 0usize;
        loop {
            match xs.next()? {
                Ev::Start(el) => {
                    // Only direct children are properties.
                    if depth == 0 {
                        p.apply(&el);
                    }
                    depth += 1;
                }
                Ev::Empty(el) => {
                    if depth == 0 {
                        p.apply(&el);
                    }
                }
                Ev::End => {
                    if depth == 0 {
                        return Ok(p);
                    }
                    depth -= 1;
                }
                Ev::Text => {}
                Ev::Eof => return Err(xs.error("unexpected end of part in w:rPr")),
            }
        }
    }

    fn apply(&mut self, el: &super::xml::El) {
        if el.ns != super::xml::Ns::W {
            return;
        }
        match el.local.as_str() {
            "b" => self.bold = Some(el.on()),
            "i" => self.italic = Some(el.on()),
            "u" => {
                self.underline = Some(!matches!(
                    el.val(),
                    Some("none") | Some("0") | Some("false")
                ))
            }
            "vanish" | "specVanish" => self.vanish = Some(el.on()),
            "vertAlign" => {
                self.vert = match el.val() {
                    Some("superscript") => Some(Vert::Super),
                    Some("subscript") => Some(Vert::Sub),
                    _ => Some(Vert::Baseline),
                }
            }
            "rStyle" => self.style = el.val().map(str::to_string),
            "rFonts" => {
                self.font = el
                    .attr("ascii")
                    .or_else(|| el.attr("hAnsi"))
                    .or_else(|| el.attr("cs"))
                    .map(str::to_string)
            }
            // Empty w:del / w:ins here mark the paragraph mark (or run) as
            // a tracked deletion / insertion.
            "del" | "moveFrom" => self.deleted = true,
            _ => {}
        }
    }
}

/// Paragraph properties the reader keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParaProps {
    pub style: Option<String>,
    pub num_id: Option<String>,
    pub ilvl: Option<u8>,
    pub outline: Option<u8>,
    /// Properties of the paragraph mark.
    pub mark: RunProps,
}

impl ParaProps {
    /// Reads the children of a `w:pPr` whose start tag was just read.
    pub fn parse<R: BufRead>(xs: &mut XmlStream<R>) -> Result<ParaProps> {
        let mut p = ParaProps::default();
        let mut path: Vec<String> = Vec::new();
        loop {
            match xs.next()? {
                Ev::Start(el) => {
                    if path.is_empty() && el.w("rPr") {
                        p.mark = RunProps::parse(xs)?;
                        continue;
                    }
                    p.apply(&path, &el);
                    path.push(el.local.to_string());
                }
                Ev::Empty(el) => p.apply(&path, &el),
                Ev::End => {
                    if path.pop().is_none() {
                        return Ok(p);
                    }
                }
                Ev::Text => {}
                Ev::Eof => return Err(xs.error("unexpected end of part in w:pPr")),
            }
        }
    }

    fn apply(&mut self, path: &[String], el: &super::xml::El) {
        if el.ns != super::xml::Ns::W {
            return;
        }
        let parent = path.last().map(String::as_str);
        match (parent, el.local.as_str()) {
            (None, "pStyle") => self.style = el.val().map(str::to_string),
            (None, "outlineLvl") => self.outline = el.val().and_then(|v| v.trim().parse().ok()),
            (Some("numPr"), "numId") => self.num_id = el.val().map(str::to_string),
            (Some("numPr"), "ilvl") => self.ilvl = el.val().and_then(|v| v.trim().parse().ok()),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    pub name: Option<String>,
    pub kind: String,
    pub based_on: Option<String>,
    pub ppr: ParaProps,
    pub rpr: RunProps,
    /// Numbering styles: `w:pPr/w:numPr/w:numId`.
    pub default: bool,
}

/// All styles of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Styles {
    pub by_id: HashMap<String, Style>,
    pub defaults: RunProps,
    pub default_para: Option<String>,
}

/// Longest `basedOn` chain followed; protects against cycles.
const MAX_CHAIN: usize = 32;

/// The names of built-in heading styles, lowercased, without their number
/// (`mappings/docx-heading-styles.tsv`: "heading", "titre", "überschrift").
#[derive(Debug, Default)]
pub struct HeadingNames(Vec<String>);

impl HeadingNames {
    /// The names of checked rows.
    pub fn new(lx: &Lexicons) -> HeadingNames {
        HeadingNames(
            lx.heading_styles
                .iter()
                .map(|r| r.row.name.to_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
        )
    }

    /// Level 1–9 when `name` is a built-in heading style name ("heading
    /// 1", "Titre 2", "Überschrift 3", styleId "Heading1").
    pub(crate) fn level(&self, name: &str) -> Option<u8> {
        let lower = name.trim().to_lowercase();
        let digit = lower.chars().last()?.to_digit(10)?;
        if !(1..=9).contains(&digit) {
            return None;
        }
        let stem = lower[..lower.len() - 1].trim_end();
        if self.0.iter().any(|p| p == stem) {
            Some(digit as u8)
        } else {
            None
        }
    }
}

impl Styles {
    pub fn parse<R: BufRead>(xs: &mut XmlStream<R>) -> Result<Styles> {
        let mut styles = Styles::default();
        let mut path: Vec<String> = Vec::new();
        let mut cur: Option<(String, Style)> = None;
        loop {
            match xs.next()? {
                Ev::Start(el) => {
                    let parent = path.last().map(String::as_str);
                    if el.w("style") {
                        let id = el.attr("styleId").unwrap_or("").to_string();
                        let st = Style {
                            kind: el.attr("type").unwrap_or("paragraph").to_string(),
                            default: el.on_attr("default"),
                            ..Style::default()
                        };
                        cur = Some((id, st));
                    } else if el.w("pPr") && parent == Some("style") {
                        if let Some((_, st)) = cur.as_mut() {
                            st.ppr = ParaProps::parse(xs)?;
                            continue;
                        }
                    } else if el.w("rPr") && parent == Some("style") {
                        if let Some((_, st)) = cur.as_mut() {
                            st.rpr = RunProps::parse(xs)?;
                            continue;
                        }
                    } else if el.w("rPr") && parent == Some("rPrDefault") {
                        styles.defaults = RunProps::parse(xs)?;
                        continue;
                    }
                    path.push(el.local.to_string());
                }
                Ev::Empty(el) => {
                    if let Some((_, st)) = cur.as_mut() {
                        match (el.ns == super::xml::Ns::W, el.local.as_str()) {
                            (true, "name") => st.name = el.val().map(str::to_string),
                            (true, "basedOn") => st.based_on = el.val().map(str::to_string),
                            _ => {}
                        }
                    }
                }
                Ev::End => {
                    if path.pop().as_deref() == Some("style")
                        && let Some((id, st)) = cur.take()
                    {
                        if st.default && st.kind == "paragraph" {
                            styles.default_para = Some(id.clone());
                        }
                        styles.by_id.entry(id).or_insert(st);
                    }
                }
                Ev::Text => {}
                Ev::Eof => return Ok(styles),
            }
        }
    }

    /// The chain of styles from `id` up through `basedOn`.
    fn chain<'a>(&'a self, id: Option<&'a str>) -> impl Iterator<Item = (&'a str, &'a Style)> + 'a {
        let mut next = id;
        let mut n = 0;
        std::iter::from_fn(move || {
            let id = next?;
            n += 1;
            if n > MAX_CHAIN {
                return None;
            }
            let st = self.by_id.get(id)?;
            next = st.based_on.as_deref();
            Some((id, st))
        })
    }

    /// The paragraph style to use: the named one, else the default.
    pub fn para_style<'a>(&'a self, id: Option<&'a str>) -> Option<&'a str> {
        id.or(self.default_para.as_deref())
    }

    pub fn display_name(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Heading level 1–9 of a paragraph style, if it is a heading.
    pub fn heading_level(&self, id: Option<&str>, names: &HeadingNames) -> Option<u8> {
        for (sid, st) in self.chain(id) {
            if let Some(o) = st.ppr.outline {
                return if o < 9 { Some(o + 1) } else { None };
            }
            if let Some(l) = st.name.as_deref().and_then(|n| names.level(n)) {
                return Some(l);
            }
            if let Some(l) = names.level(sid) {
                return Some(l);
            }
        }
        None
    }

    /// `(numId, ilvl)` a paragraph style gives its paragraphs.
    pub fn numbering(&self, id: Option<&str>) -> (Option<String>, Option<u8>) {
        let mut num = None;
        let mut lvl = None;
        for (_, st) in self.chain(id) {
            if num.is_none() {
                num = st.ppr.num_id.clone();
            }
            if lvl.is_none() {
                lvl = st.ppr.ilvl;
            }
        }
        (num, lvl)
    }

    /// Run properties a style chain gives.
    pub fn run_props(&self, id: Option<&str>) -> RunProps {
        let mut acc = RunProps::default();
        for (_, st) in self.chain(id) {
            acc = acc.over(&st.rpr);
        }
        acc.style = None;
        acc
    }

    /// Effective run properties: direct over character style over
    /// paragraph style over document defaults.
    pub fn effective(&self, pstyle: Option<&str>, direct: &RunProps) -> RunProps {
        let base = self.run_props(pstyle).over(&self.defaults);
        let chr = self.run_props(direct.style.as_deref());
        direct.over(&chr.over(&base))
    }
}

impl super::xml::El {
    /// An on/off attribute (`w:default="1"`).
    pub fn on_attr(&self, local: &str) -> bool {
        matches!(self.attr(local), Some("1" | "true" | "on"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heading_names_across_locales() {
        let v = crate::vocab::Vocab::embedded();
        let heading_from_name = |n: &str| v.heading_styles().level(n);
        assert_eq!(heading_from_name("heading 1"), Some(1));
        assert_eq!(heading_from_name("Heading 2"), Some(2));
        assert_eq!(heading_from_name("Titre 3"), Some(3));
        assert_eq!(heading_from_name("Überschrift 1"), Some(1));
        assert_eq!(heading_from_name("Heading1"), Some(1));
        assert_eq!(heading_from_name("Naslov 4"), Some(4));
        assert_eq!(heading_from_name("Normal"), None);
        assert_eq!(heading_from_name("heading 0"), None);
        assert_eq!(heading_from_name("List Number 2"), None);
    }
}
