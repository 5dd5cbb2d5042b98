//! Streaming XML events for OOXML parts, with the safety rules applied once.
//!
//! In: a `BufRead` over one inflated zip part. Out: a simplified event stream
//! ([`Ev`]) whose elements carry a namespace class ([`Ns`], matched by URI so
//! `w:`, `ns0:` and ISO Strict all read the same) and their attributes by
//! local name.
//!
//! In *filtered* mode (used for story parts: document, notes, headers) the
//! stream also applies the rules that are the same in every context, so the
//! parsers above never see them:
//! * deleted and moved-away content (`w:del`, `w:moveFrom`), formatting-change
//!   records (`w:rPrChange`…) and content-control properties are skipped
//!   as whole subtrees, and counted;
//! * transparent wrappers (`w:ins`, `w:moveTo`, `w:sdt`/`w:sdtContent`,
//!   `w:smartTag`, `w:customXml`, `w:fldSimple`, `w:dir`, `w:bdo`) vanish,
//!   their children stay;
//! * `mc:AlternateContent` yields exactly one branch: the first `mc:Choice`
//!   whose `Requires` namespaces are understood, else `mc:Fallback`.
//!
//! Limits: element nesting depth and element count per part. A DOCTYPE is
//! ignored (never used to define entities); an entity reference other than
//! the five predefined ones and character references is kept literally and
//! reported.

use crate::error::{Error, XmlFault, ZipFault};
use crate::model::{Diagnostic, Level};
use crate::read::Limits;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::{QName, ResolveResult};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Namespace classes the reader cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML main (transitional or strict).
    W,
    /// Markup compatibility.
    Mc,
    /// Office math.
    M,
    /// Anything else (DrawingML, VML, Word 2010+ extensions, unbound).
    Other,
}

const W_URIS: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_URI: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const M_URIS: &[&str] = &[
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/math",
];

/// Namespaces whose `mc:Choice` branches this reader understands: the
/// drawing-shape and Word 2010+ markup that still carries its text in
/// `w:txbxContent` / `w:r`.
const UNDERSTOOD_URIS: &[&str] = &[
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.microsoft.com/office/drawing/2010/main",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
];

fn classify_ns(res: &ResolveResult) -> Ns {
    match res {
        ResolveResult::Bound(ns) => {
            let uri: &str = ns.as_ref();
            if W_URIS.contains(&uri) {
                Ns::W
            } else if uri == MC_URI {
                Ns::Mc
            } else if M_URIS.contains(&uri) {
                Ns::M
            } else {
                Ns::Other
            }
        }
        _ => Ns::Other,
    }
}

/// Local names of the attributes the parsers read (see [`El::attr`]).
const KEPT_ATTRS: &[&str] = &[
    "val",
    "id",
    "type",
    "fldCharType",
    "font",
    "char",
    "styleId",
    "default",
    "abstractNumId",
    "numId",
    "ilvl",
    "anchor",
    "Requires",
    "Id",
    "Type",
    "Target",
    "TargetMode",
    "vMerge",
    "ascii",
    "hAnsi",
    "cs",
];

/// Local names common in story parts, sorted: an element with one of these
/// names borrows it instead of allocating (most elements of a document).
const COMMON_NAMES: &[&str] = &[
    "b",
    "bCs",
    "body",
    "bookmarkEnd",
    "bookmarkStart",
    "bottom",
    "br",
    "color",
    "document",
    "drawing",
    "fldChar",
    "gridCol",
    "gridSpan",
    "hyperlink",
    "i",
    "iCs",
    "ilvl",
    "ind",
    "insideH",
    "insideV",
    "instrText",
    "jc",
    "keepNext",
    "kern",
    "lang",
    "lastRenderedPageBreak",
    "left",
    "noProof",
    "numId",
    "numPr",
    "p",
    "pPr",
    "pStyle",
    "proofErr",
    "r",
    "rFonts",
    "rPr",
    "rStyle",
    "right",
    "sectPr",
    "shd",
    "spacing",
    "sz",
    "szCs",
    "t",
    "tab",
    "tabs",
    "tbl",
    "tblBorders",
    "tblGrid",
    "tblLook",
    "tblPr",
    "tblStyle",
    "tblW",
    "tc",
    "tcBorders",
    "tcPr",
    "tcW",
    "top",
    "tr",
    "trHeight",
    "trPr",
    "u",
    "vAlign",
    "vMerge",
    "vertAlign",
    "widowControl",
];

/// An element's local name: borrowed from [`COMMON_NAMES`] when it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name(std::borrow::Cow<'static, str>);

/// A static word list with an open-addressing index, built once: one hash
/// of three bytes and usually one comparison per lookup. Every element and
/// attribute name goes through one of these, so it is on the hottest path.
struct Lookup {
    words: &'static [&'static str],
    /// Index + 1 into `words`; 0 is an empty slot.
    slots: [u8; LOOKUP_SLOTS],
}

const LOOKUP_SLOTS: usize = 256;

fn lookup_hash(s: &[u8]) -> usize {
    match s {
        [] => 0,
        [first, ..] => {
            let last = s[s.len() - 1] as usize;
            let mid = s[s.len() / 2] as usize;
            ((s.len() * 97) ^ (*first as usize * 31) ^ (last * 7) ^ (mid * 131)) % LOOKUP_SLOTS
        }
    }
}

impl Lookup {
    fn new(words: &'static [&'static str]) -> Lookup {
        // At most half full, so probes stay short.
        debug_assert!(words.len() < LOOKUP_SLOTS / 2);
        let mut slots = [0u8; LOOKUP_SLOTS];
        for (i, w) in words.iter().enumerate() {
            let mut h = lookup_hash(w.as_bytes());
            while slots[h] != 0 {
                h = (h + 1) % LOOKUP_SLOTS;
            }
            slots[h] = (i + 1) as u8;
        }
        Lookup { words, slots }
    }

    fn get(&self, s: &[u8]) -> Option<&'static str> {
        let mut h = lookup_hash(s);
        loop {
            let i = self.slots[h] as usize;
            if i == 0 {
                return None;
            }
            let w = self.words[i - 1];
            if w.as_bytes() == s {
                return Some(w);
            }
            h = (h + 1) % LOOKUP_SLOTS;
        }
    }
}

fn common_names() -> &'static Lookup {
    static L: std::sync::OnceLock<Lookup> = std::sync::OnceLock::new();
    L.get_or_init(|| Lookup::new(COMMON_NAMES))
}

fn kept_attrs() -> &'static Lookup {
    static L: std::sync::OnceLock<Lookup> = std::sync::OnceLock::new();
    L.get_or_init(|| Lookup::new(KEPT_ATTRS))
}

impl Name {
    fn new(s: &str) -> Name {
        match common_names().get(s.as_bytes()) {
            Some(w) => Name(std::borrow::Cow::Borrowed(w)),
            None => Name(std::borrow::Cow::Owned(s.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One element: namespace class, local name, attributes by local name
/// (only those in `KEPT_ATTRS`).
#[derive(Debug, Clone)]
pub(crate) struct El {
    pub ns: Ns,
    pub local: Name,
    pub attrs: Vec<(&'static str, String)>,
}

impl El {
    /// True for the WordprocessingML element `local`.
    pub fn w(&self, local: &str) -> bool {
        self.ns == Ns::W && self.local.as_str() == local
    }

    /// The value of the attribute with this local name.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == local)
            .map(|(_, v)| v.as_str())
    }

    /// `w:val`, the usual carrier of a property value.
    pub fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    /// An OOXML on/off property: present without `w:val`, or with a true
    /// value, means on.
    pub fn on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off" | "none"))
    }
}

/// A simplified event. Text content is in [`XmlStream::text`].
#[derive(Debug)]
pub(crate) enum Ev {
    Start(El),
    Empty(El),
    End,
    /// Character data (already unescaped) is waiting in `XmlStream::text`.
    Text,
    Eof,
}

enum Frame {
    Open,
    Swallowed,
    Alt { taken: bool },
}

/// Shared between the inflating reader and the XML stream: which limit was
/// hit, so the error can say so instead of "I/O error".
pub(crate) type LimitFlag = std::rc::Rc<std::cell::Cell<Option<(String, u64)>>>;

/// The event stream over one part.
pub(crate) struct XmlStream<R: BufRead> {
    reader: NsReader<R>,
    buf: Vec<u8>,
    stack: Vec<Frame>,
    elements: u64,
    limits: Limits,
    path: PathBuf,
    part: String,
    filtered: bool,
    /// Text of the last [`Ev::Text`].
    pub text: String,
    pub counts: BTreeMap<&'static str, u64>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set by the zip layer when the inflated size limit was hit; checked
    /// before reporting an I/O error so the error names the real cause.
    pub limit_hit: Option<LimitFlag>,
}

impl<R: BufRead> XmlStream<R> {
    pub fn new(input: R, path: &Path, part: &str, limits: Limits, filtered: bool) -> Self {
        let mut reader = NsReader::from_reader(input);
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        XmlStream {
            reader,
            buf: Vec::with_capacity(1024),
            stack: Vec::new(),
            elements: 0,
            limits,
            path: path.to_path_buf(),
            part: part.to_string(),
            filtered,
            text: String::new(),
            counts: BTreeMap::new(),
            diagnostics: Vec::new(),
            limit_hit: None,
        }
    }

    pub fn part(&self) -> &str {
        &self.part
    }

    fn bump(&mut self, name: &'static str) {
        *self.counts.entry(name).or_insert(0) += 1;
    }

    /// An error at the current position.
    pub fn error(&self, reason: impl Into<String>) -> Error {
        Error::Xml {
            path: self.path.clone(),
            part: self.part.clone(),
            position: self.reader.buffer_position(),
            source: XmlFault::Structure(reason.into()),
        }
    }

    fn map_err(&self, e: quick_xml::Error) -> Error {
        if let Some(flag) = &self.limit_hit
            && let Some((what, limit)) = flag.take()
        {
            return Error::Limit {
                path: self.path.clone(),
                part: self.part.clone(),
                what,
                limit,
            };
        }
        match e {
            quick_xml::Error::Io(io) => Error::Zip {
                path: self.path.clone(),
                part: Some(self.part.clone()),
                source: ZipFault::Inflate(io),
            },
            other => Error::Xml {
                path: self.path.clone(),
                part: self.part.clone(),
                position: self.reader.error_position(),
                source: XmlFault::Parser(other),
            },
        }
    }

    fn limit(&self, what: &str, limit: u64) -> Error {
        Error::Limit {
            path: self.path.clone(),
            part: self.part.clone(),
            what: format!("{what} at byte {}", self.reader.buffer_position()),
            limit,
        }
    }

    fn count_element(&mut self) -> Result<(), Error> {
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(self.limit("element count", self.limits.max_elements));
        }
        Ok(())
    }

    fn make_el(res: &ResolveResult, e: &quick_xml::events::BytesStart) -> El {
        let local = Name::new(e.local_name().as_ref());
        let mut attrs = Vec::new();
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.local_name();
            let key: &str = key.as_ref();
            // Only attributes some parser reads are kept: real documents
            // carry many revision ids (w:rsid*, w14:paraId) per element.
            let Some(key) = kept_attrs().get(key.as_bytes()) else {
                continue;
            };
            let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.clone().into_owned(),
            };
            attrs.push((key, value));
        }
        El {
            ns: classify_ns(res),
            local,
            attrs,
        }
    }

    /// Whether every prefix in an `mc:Choice Requires` list is bound to a
    /// namespace this reader understands.
    fn understood(&self, requires: &str) -> bool {
        let mut any = false;
        for prefix in requires.split_whitespace() {
            any = true;
            let probe = format!("{prefix}:x");
            let (res, _) = self.reader.resolver().resolve_element(QName(&probe));
            let ok = match res {
                ResolveResult::Bound(ns) => UNDERSTOOD_URIS.contains(&ns.as_ref()),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        any
    }

    /// What the filter does with a start tag.
    fn action(&self, el: &El) -> Action {
        match el.ns {
            Ns::W => match el.local.as_str() {
                "del" => Action::Skip("tracked_deletions"),
                "moveFrom" => Action::Skip("tracked_moves_from"),
                "rPrChange" | "pPrChange" | "sectPrChange" | "tblPrChange" | "trPrChange"
                | "tcPrChange" | "tblGridChange" | "tblPrExChange" | "numberingChange" => {
                    Action::Skip("tracked_format_changes")
                }
                "sdtPr" | "sdtEndPr" | "smartTagPr" | "customXmlPr" | "delText"
                | "delInstrText" => Action::Skip(""),
                "ins" => Action::Transparent("tracked_insertions"),
                "moveTo" => Action::Transparent("tracked_moves_to"),
                "sdt" => Action::Transparent("content_controls"),
                "smartTag" => Action::Transparent("smart_tags"),
                "customXml" => Action::Transparent("custom_xml"),
                "fldSimple" => Action::Transparent("fields"),
                "sdtContent" | "dir" | "bdo" => Action::Transparent(""),
                _ => Action::Pass,
            },
            Ns::Mc => match el.local.as_str() {
                "AlternateContent" => Action::Alt,
                "Choice" => Action::Choice,
                "Fallback" => Action::Fallback,
                _ => Action::Pass,
            },
            _ => Action::Pass,
        }
    }

    /// Skips the rest of the element whose start tag was just read.
    pub fn skip(&mut self) -> Result<(), Error> {
        if let Some(Frame::Open) = self.stack.last() {
            self.stack.pop();
        }
        self.skip_raw()
    }

    fn skip_raw(&mut self) -> Result<(), Error> {
        let mut depth = 1usize;
        loop {
            self.buf.clear();
            let ev = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.map_err(e)),
            };
            match ev {
                Event::Start(_) => {
                    depth += 1;
                    if self.stack.len() + depth > self.limits.max_depth {
                        return Err(self.limit("nesting depth", self.limits.max_depth as u64));
                    }
                    self.count_element()?;
                }
                Event::Empty(_) => self.count_element()?,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.error("unexpected end of part inside an element")),
                _ => {}
            }
        }
    }

    /// Applies the markup-compatibility filter to a start tag: true when the
    /// element was consumed (skipped, swallowed or an alternate-content frame).
    fn filter_start(&mut self, el: &El) -> Result<bool, Error> {
        match self.action(el) {
            Action::Pass => {}
            Action::Skip(name) => {
                if !name.is_empty() {
                    self.bump(name);
                }
                self.skip_raw()?;
                return Ok(true);
            }
            Action::Transparent(name) => {
                if !name.is_empty() {
                    self.bump(name);
                }
                self.stack.push(Frame::Swallowed);
                return Ok(true);
            }
            Action::Alt => {
                self.bump("alternate_content");
                self.stack.push(Frame::Alt { taken: false });
                return Ok(true);
            }
            Action::Choice | Action::Fallback => {
                let take = match self.stack.last() {
                    Some(Frame::Alt { taken: false }) => {
                        matches!(self.action(el), Action::Fallback)
                            || self.understood(el.attr("Requires").unwrap_or(""))
                    }
                    _ => false,
                };
                if take {
                    if let Some(Frame::Alt { taken }) = self.stack.last_mut() {
                        *taken = true;
                    }
                    self.stack.push(Frame::Swallowed);
                } else {
                    self.skip_raw()?;
                }
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Puts a general reference's text in `self.text`: a character or predefined
    /// entity resolved, anything else kept as written.
    fn general_ref(
        &mut self,
        resolved: Result<Option<char>, quick_xml::Error>,
        name: &str,
    ) -> Result<(), Error> {
        self.text.clear();
        match resolved {
            Ok(Some(c)) => self.text.push(c),
            Ok(None) => {
                match quick_xml::escape::resolve_predefined_entity(name) {
                    Some(s) => self.text.push_str(s),
                    None => {
                        // Never resolve custom (possibly external)
                        // entities: keep the reference as written.
                        self.text.push('&');
                        self.text.push_str(name);
                        self.text.push(';');
                        self.bump("unresolved_entities");
                        // One diagnostic per part; the counter has the number.
                        if self.counts.get("unresolved_entities") == Some(&1) {
                            let d = Diagnostic::new(
                                Level::Warning,
                                "unresolved_entity",
                                format!(
                                    "{}: entity reference &{name}; kept as text (entities are never expanded)",
                                    self.part
                                ),
                            );
                            self.diagnostics.push(d);
                        }
                    }
                }
            }
            Err(e) => {
                return Err(Error::Xml {
                    path: self.path.clone(),
                    part: self.part.clone(),
                    position: self.reader.buffer_position(),
                    source: XmlFault::CharRef(e),
                });
            }
        }
        Ok(())
    }

    /// The next event, with the filter applied.
    pub fn next(&mut self) -> Result<Ev, Error> {
        loop {
            self.buf.clear();
            let (res, ev) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok(x) => x,
                Err(e) => return Err(self.map_err(e)),
            };
            match ev {
                Event::Start(e) => {
                    let el = Self::make_el(&res, &e);
                    drop(res);
                    self.count_element()?;
                    if self.stack.len() >= self.limits.max_depth {
                        return Err(self.limit("nesting depth", self.limits.max_depth as u64));
                    }
                    if self.filtered && self.filter_start(&el)? {
                        continue;
                    }
                    self.stack.push(Frame::Open);
                    return Ok(Ev::Start(el));
                }
                Event::Empty(e) => {
                    let el = Self::make_el(&res, &e);
                    drop(res);
                    self.count_element()?;
                    if self.filtered && el.ns == Ns::Mc {
                        continue;
                    }
                    return Ok(Ev::Empty(el));
                }
                Event::End(_) => {
                    drop(res);
                    match self.stack.pop() {
                        Some(Frame::Open) => return Ok(Ev::End),
                        Some(_) => continue,
                        None => return Err(self.error("end tag without a start tag")),
                    }
                }
                Event::Text(t) => {
                    drop(res);
                    self.text.clear();
                    self.text.push_str(&t.xml10_content());
                    return Ok(Ev::Text);
                }
                Event::CData(t) => {
                    drop(res);
                    self.text.clear();
                    self.text.push_str(&t.xml10_content());
                    return Ok(Ev::Text);
                }
                Event::GeneralRef(r) => {
                    drop(res);
                    let (resolved, name) = (r.resolve_char_ref(), r.to_string());
                    let name = name.as_str();
                    self.general_ref(resolved, name)?;
                    return Ok(Ev::Text);
                }
                Event::DocType(_) => {
                    drop(res);
                    self.bump("doctype_ignored");
                    self.diagnostics.push(Diagnostic::new(
                        Level::Warning,
                        "doctype_ignored",
                        format!(
                            "{}: DOCTYPE declaration ignored; no entity is defined from it",
                            self.part
                        ),
                    ));
                }
                Event::Eof => {
                    drop(res);
                    if !self.stack.is_empty() {
                        return Err(self.error("unexpected end of part: elements left open"));
                    }
                    return Ok(Ev::Eof);
                }
                _ => {}
            }
        }
    }
}

enum Action {
    Pass,
    Skip(&'static str),
    Transparent(&'static str),
    Alt,
    Choice,
    Fallback,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_are_sorted_for_binary_search() {
        assert!(COMMON_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(matches!(Name::new("tc").0, std::borrow::Cow::Borrowed(_)));
        assert_eq!(Name::new("txbxContent"), "txbxContent");
        for w in COMMON_NAMES {
            assert_eq!(common_names().get(w.as_bytes()), Some(*w));
        }
        for w in KEPT_ATTRS {
            assert_eq!(kept_attrs().get(w.as_bytes()), Some(*w));
        }
        for miss in ["", "x", "tcc", "rsidR", "paraId", "vMerg", "valx"] {
            assert_eq!(kept_attrs().get(miss.as_bytes()), None, "{miss}");
            if miss != "x" {
                assert_eq!(common_names().get(miss.as_bytes()), None, "{miss}");
            }
        }
    }
}
