//! What a person reads: the self-contained HTML reviewer pages (an
//! alignment's side-by-side view and a check's page) and the short
//! terminal summary.
//!
//! In: an alignment and both records, or a check and its record. Out: one
//! HTML page (no external resources; a small inline script) with the
//! findings listed on top — filtered and sorted by severity, `format_only`
//! folded away until asked for, counted per severity and per table, the
//! columns named by the documents' languages, the characters that differ
//! between the two raw values marked — and both documents side by side
//! below, every finding's place highlighted in both and linked both ways
//! (`#f3` the finding, `#a-f3` / `#b-f3` its places; one click brings both
//! panes there). Places are numbered as in the JSON ([`NUMBERING`]). And a
//! plain-text summary.

use super::chardiff;
use super::report::{Alignment, Check, Finding, FindingKind, Place, Severity};
use crate::extract::PlanRecord;
use crate::extract::record::{DocScript, DocumentInfo};
use crate::model::Provenance;
use crate::normalize::lang::Language;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// How places are numbered on every page, in the JSON and in the README:
/// the page prints the JSON's own numbers, so a reviewer can look one up.
pub const NUMBERING: &str = "Places are numbered as in the JSON reports' provenance: \
table, row, cell and block count from 0, lines from 1.";

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 16);
    esc_into(&mut o, s);
    o
}

/// Appends `s` escaped to `o`: the runs between special characters are
/// copied whole (a page escapes the whole plan twice; char by char that
/// was a tenth of a run's instructions).
pub fn esc_into(o: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on char boundaries.
        o.push_str(&s[from..i]);
        o.push_str(rep);
        from = i + 1;
    }
    o.push_str(&s[from..]);
}

fn push_esc(o: &mut String, c: char) {
    match c {
        '&' => o.push_str("&amp;"),
        '<' => o.push_str("&lt;"),
        '>' => o.push_str("&gt;"),
        '"' => o.push_str("&quot;"),
        _ => o.push(c),
    }
}

/// A place in words, numbered as in the JSON ([`NUMBERING`]): `line 192,
/// table 3 row 1 cell 1`.
pub fn where_(p: &Provenance) -> String {
    let mut parts = Vec::new();
    if let Some([f, t]) = p.line {
        parts.push(if f == t {
            format!("line {f}")
        } else {
            format!("lines {f}–{t}")
        });
    }
    if let Some(t) = p.table {
        let mut s = format!("table {t}");
        if let Some(r) = p.row {
            let _ = write!(s, " row {r}");
        }
        if let Some(c) = p.cell {
            let _ = write!(s, " cell {c}");
        }
        parts.push(s);
    } else if let Some(b) = p.block {
        parts.push(format!("block {b}"));
    }
    parts.join(", ")
}

/// How serious a severity is, for sorting and colour: 0 figures that
/// disagree (or one missing), 1 labels, codes, structure and places worth a
/// look, 2 the same value written differently. An unknown severity is a 1,
/// so a new check is never hidden.
pub fn severity_rank(sev: &str) -> u8 {
    match sev {
        "format_only" => 2,
        "missing" => 0,
        s if s.contains("label") || s == "code_mismatch" => 1,
        s if s.ends_with("_mismatch") || s.ends_with("_falls") || s.ends_with("_inconsistent") => 0,
        _ => 1,
    }
}

/// A document's language and script as a column name: `Albanian
/// (sq-Latn)`, `Serbian Cyrillic (sr-Cyrl)`.
pub fn language_label(d: &DocumentInfo) -> String {
    language_name(
        d.language.map(Language::code),
        d.script.map(DocScript::as_str),
    )
}

/// [`language_label`] from the codes themselves (as `summary.json` keeps
/// them).
pub fn language_name(language: Option<&str>, script: Option<&str>) -> String {
    let script_name = match script {
        Some("Latn") => "Latin",
        Some("Cyrl") => "Cyrillic",
        _ => "",
    };
    let name = match language {
        Some("sq") => "Albanian".to_string(),
        Some("sr") if !script_name.is_empty() => format!("Serbian {script_name}"),
        Some("sr") => "Serbian".to_string(),
        _ => "language unknown".to_string(),
    };
    let code: Vec<&str> = [language, script].into_iter().flatten().collect();
    if code.is_empty() {
        name
    } else {
        format!("{name} ({})", code.join("-"))
    }
}

/// The two column names of a pair; two versions in one language (a DOCX
/// and its text export) are told apart by their file names.
fn pair_labels(a: &PlanRecord, b: &PlanRecord) -> (String, String) {
    let (la, lb) = (language_label(&a.document), language_label(&b.document));
    if la != lb {
        return (la, lb);
    }
    let file = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
    (
        format!("{la} · {}", file(&a.source.path)),
        format!("{lb} · {}", file(&b.source.path)),
    )
}

/// The characters of `s` flagged in `flags` wrapped in `<mark class="d">`,
/// escaped.
fn diffed(s: &str, flags: Option<&[bool]>) -> String {
    let Some(flags) = flags else {
        return esc(s);
    };
    let mut o = String::with_capacity(s.len() + 16);
    let mut open = false;
    for (c, &d) in s.chars().zip(flags.iter().chain(std::iter::repeat(&false))) {
        if d != open {
            o.push_str(if d { "<mark class=\"d\">" } else { "</mark>" });
            open = d;
        }
        push_esc(&mut o, c);
    }
    if open {
        o.push_str("</mark>");
    }
    o
}

/// Per finding: which characters of its two raw values differ, when both
/// are stated and the page compares them.
type Diffs = Vec<Option<(Vec<bool>, Vec<bool>)>>;

fn diffs(findings: &[Finding], compare: impl Fn(&Finding) -> bool) -> Diffs {
    findings
        .iter()
        .map(|f| match (&f.a, &f.b) {
            (Some(a), Some(b)) if compare(f) => chardiff::differing(&a.raw, &b.raw),
            _ => None,
        })
        .collect()
}

/// One finding's place on one side, to be marked in the document.
struct Mark<'a> {
    id: &'a str,
    raw: &'a str,
    rank: u8,
    flags: Option<&'a [bool]>,
}

/// Marks on one side: provenance → the findings placed there.
type Marks<'a> = HashMap<&'a Provenance, Vec<Mark<'a>>>;

fn marks<'a>(findings: &'a [Finding], diffs: &'a Diffs, side_a: bool) -> Marks<'a> {
    let mut m: Marks = HashMap::new();
    for (f, d) in findings.iter().zip(diffs) {
        let p = if side_a { &f.a } else { &f.b };
        if let Some(p) = p {
            let flags = d
                .as_ref()
                .map(|(x, y)| if side_a { x.as_slice() } else { y.as_slice() });
            m.entry(&p.provenance).or_default().push(Mark {
                id: f.id.as_str(),
                raw: p.raw.as_str(),
                rank: severity_rank(f.severity.as_str()),
                flags,
            });
        }
    }
    m
}

/// The text with each finding's raw value wrapped in a linked mark; marks
/// whose value is not found in the text go on the element itself.
fn marked(text: &str, ms: Option<&Vec<Mark>>, side: char) -> (String, String) {
    let mut out = String::with_capacity(text.len());
    let tags = marked_into(&mut out, text, ms, side);
    (out, tags)
}

/// [`marked`] appending the text to `out`; returns the element's tags.
fn marked_into(out: &mut String, text: &str, ms: Option<&Vec<Mark>>, side: char) -> String {
    let Some(ms) = ms else {
        esc_into(out, text);
        return String::new();
    };
    let mut spans: Vec<(usize, usize, &Mark)> = Vec::new();
    let mut whole = String::new();
    for mk in ms {
        let raw = mk.raw;
        let found = (!raw.is_empty())
            .then(|| text.find(raw))
            .flatten()
            .filter(|&s| !spans.iter().any(|(a, b, ..)| s < *b && s + raw.len() > *a));
        match found {
            Some(s) => spans.push((s, s + raw.len(), mk)),
            None => {
                let _ = write!(
                    whole,
                    " <a class=\"tag s{}\" id=\"{side}-{id}\" href=\"#{id}\" data-f=\"{id}\">{id}</a>",
                    mk.rank,
                    id = mk.id
                );
            }
        }
    }
    spans.sort_by_key(|&(s, e, _)| (s, e));
    let mut at = 0;
    for (s, e, mk) in spans {
        esc_into(out, &text[at..s]);
        let _ = write!(
            out,
            "<a class=\"m s{}\" id=\"{side}-{id}\" href=\"#{id}\" data-f=\"{id}\" title=\"{id}\">{}</a>",
            mk.rank,
            diffed(&text[s..e], mk.flags),
            id = mk.id
        );
        at = e;
    }
    esc_into(out, &text[at..]);
    whole
}

fn order_key(p: &Provenance) -> (u32, usize) {
    (p.line.map(|l| l[0]).unwrap_or(0), p.block.unwrap_or(0))
}

fn side_html(rec: &PlanRecord, findings: &[Finding], diffs: &Diffs, side: char) -> String {
    let ms = marks(findings, diffs, side == 'a');
    let mut items: Vec<((u32, usize), String)> = Vec::new();
    for p in &rec.paragraphs {
        let tag = match p.heading {
            // Level h as h(h+2), at most h6 (the page's own titles are h1, h2).
            Some(h) => ["h2", "h3", "h4", "h5", "h6"][usize::from(h).min(4)],
            None => "p",
        };
        let mut h = String::with_capacity(p.text.len() + 64);
        let _ = write!(h, "<{tag} title=\"");
        esc_into(&mut h, &where_(&p.provenance));
        h.push_str("\">");
        let tags = marked_into(&mut h, &p.text, ms.get(&p.provenance), side);
        let _ = writeln!(h, "{tags}</{tag}>");
        items.push((order_key(&p.provenance), h));
    }
    for t in &rec.tables {
        let mut h = String::new();
        let (_, ttags) = marked("", ms.get(&t.provenance), side);
        let _ = write!(
            h,
            "<table title=\"{} {}\"><caption>{}{ttags}</caption>",
            t.id,
            esc(&where_(&t.provenance)),
            esc(t.caption.as_deref().unwrap_or(""))
        );
        for row in &t.rows {
            let rp = row
                .first()
                .map(|c| Provenance {
                    cell: None,
                    ..c.provenance.clone()
                })
                .unwrap_or_default();
            let (_, rtags) = marked("", ms.get(&rp), side);
            h.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                if c.col_span > 1 {
                    let _ = write!(h, "<td colspan={}>", c.col_span);
                } else {
                    h.push_str("<td>");
                }
                let tags = marked_into(&mut h, &c.text, ms.get(&c.provenance), side);
                let extra = if i == 0 { rtags.as_str() } else { "" };
                let _ = write!(h, "{tags}{extra}</td>");
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
        items.push((order_key(&t.provenance), h));
    }
    items.sort_by_key(|(k, _)| *k);
    items.into_iter().map(|(_, s)| s).collect()
}

const STYLE: &str = "html,body{height:100%;margin:0}\
body{display:flex;flex-direction:column;font:14px/1.4 sans-serif}\
header{flex:none;padding:4px 16px 0;background:#f4f4f4}\
h1{font-size:16px;margin:4px 0}header p{margin:2px 0}.legend{font-size:12px;color:#444}\
#controls{display:flex;flex-wrap:wrap;gap:3px 12px;align-items:center;font-size:13px;padding:4px 0}\
#controls label{white-space:nowrap;padding:0 5px;border-radius:3px}\
body{--list:50vh}body.tall{--list:80vh}\
#list{flex:0 1 auto;min-height:4em;max-height:var(--list);overflow:auto;background:#f4f4f4;border-bottom:2px solid #999;padding:0 16px 4px}\
#findings{border-collapse:collapse;width:100%;margin:0;font-size:12px}\
#findings th{position:sticky;top:0;background:#ddd;text-align:left;z-index:1;padding:2px 4px}\
#findings td{border:0;border-top:1px solid #ddd;padding:2px 4px;vertical-align:top}\
#findings tbody tr{cursor:pointer}#findings tbody tr:hover{background:#fff}#findings tr.folded{display:none}\
.ctx{display:block;color:#555;max-width:70em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\
.cols{flex:1 1 0;display:flex;min-height:35vh}\
.col{flex:1;overflow:auto;padding:0 12px;border-left:1px solid #ccc;position:relative}\
.colhead{position:sticky;top:0;background:#e8e8e8;font-weight:bold;padding:3px 4px;z-index:1}\
table{border-collapse:collapse;margin:8px 0;font-size:12px}td{border:1px solid #bbb;padding:2px 4px;vertical-align:top}\
caption{text-align:left;font-style:italic}\
.m{padding:0 2px;border-radius:3px;color:inherit}.tag{font-size:11px;padding:0 3px;border-radius:3px}\
.s0{background:#f99}.s1{background:#fc6}.s2{background:#cdf}\
mark.d{background:#b00;color:#fff;border-radius:2px;padding:0 1px}\
.cur,:target{outline:3px solid #c00}";

/// Filters, sorting and the two-pane jump; the page reads without it (the
/// links still lead to each place, `format_only` stays folded). A `#f3`
/// in the address is applied again after load, since the browser's own
/// jump to it scrolls one pane only.
const SCRIPT: &str = "(function(){\
var d=document,list=d.getElementById('list'),tb=d.querySelector('#findings tbody');if(!tb)return;\
var rows=[].slice.call(tb.rows),boxes=[].slice.call(d.querySelectorAll('input.sevbox')),\
where=d.getElementById('where'),sort=d.getElementById('sort'),shown=d.getElementById('shown');\
function apply(){var on={};boxes.forEach(function(b){on[b.getAttribute('data-sev')]=b.checked});\
var w=where.value,n=0;rows.forEach(function(r){var h=!on[r.getAttribute('data-sev')]||(w!==''&&r.getAttribute('data-where')!==w);\
r.classList.toggle('folded',h);if(!h)n++});shown.textContent=n}\
function order(){var s=sort.value==='severity';rows.slice().sort(function(x,y){\
if(s){var k=x.getAttribute('data-rank')-y.getAttribute('data-rank');if(k)return k}\
return x.getAttribute('data-i')-y.getAttribute('data-i')}).forEach(function(r){tb.appendChild(r)})}\
function bring(box,el){if(!box||!el)return;var b=box.getBoundingClientRect(),e=el.getBoundingClientRect();\
if(e.top<b.top+30||e.bottom>b.bottom)box.scrollTop+=e.top-b.top-box.clientHeight/3}\
function go(id){[].slice.call(d.querySelectorAll('.cur')).forEach(function(e){e.classList.remove('cur')});\
['a','b'].forEach(function(s){var el=d.getElementById(s+'-'+id);if(el){el.classList.add('cur');bring(d.getElementById('pane-'+s),el)}});\
var r=d.getElementById(id);if(r){r.classList.remove('folded');r.classList.add('cur');bring(list,r)}\
if(history.replaceState)history.replaceState(null,'','#'+id)}\
boxes.forEach(function(b){b.addEventListener('change',apply)});where.addEventListener('change',apply);\
sort.addEventListener('change',order);\
d.getElementById('taller').addEventListener('click',function(){d.body.classList.toggle('tall')});\
d.addEventListener('click',function(e){var t=e.target.closest&&e.target.closest('[data-f]');if(!t)return;\
e.preventDefault();go(t.getAttribute('data-f'))});\
apply();order();\
function hash(){if(/^#f[0-9]+$/.test(location.hash))go(location.hash.slice(1))}\
hash();window.addEventListener('load',function(){setTimeout(hash,0)})})();";

/// What differs between the alignment page and the check page.
struct Page<'a> {
    title: String,
    summary: String,
    /// The two sides' column names in the list.
    cols: [String; 2],
    /// The two panes' headings.
    panes: [String; 2],
    /// More columns after the two sides (their headers), and their cells.
    extra_heads: &'a [&'a str],
    extra: &'a dyn Fn(&Finding) -> String,
}

/// The table a finding is in (its first side's), for the per-table count
/// and filter; `None` for running text.
fn table_of(f: &Finding) -> Option<usize> {
    f.a.as_ref()
        .or(f.b.as_ref())
        .and_then(|p| p.provenance.table)
}

fn where_key(t: Option<usize>) -> String {
    match t {
        Some(t) => format!("table {t}"),
        None => "text".to_string(),
    }
}

/// The counts and filters above the list: a checkbox per severity with its
/// count (`format_only` unchecked, so folded), a place filter with the
/// count per table, the sort order.
fn controls(findings: &[Finding]) -> String {
    let mut by_sev: BTreeMap<(u8, &str), u64> = BTreeMap::new();
    // Tables in number order, running text last.
    let mut by_table: BTreeMap<(bool, usize), u64> = BTreeMap::new();
    for f in findings {
        *by_sev
            .entry((severity_rank(f.severity.as_str()), f.severity.as_str()))
            .or_insert(0) += 1;
        let t = table_of(f);
        *by_table.entry((t.is_none(), t.unwrap_or(0))).or_insert(0) += 1;
    }
    let mut h = String::from("<div id=\"controls\"><span>severity:</span>");
    for ((rank, sev), n) in &by_sev {
        let fold = *sev == "format_only";
        let _ = write!(
            h,
            "<label class=\"s{rank}\"><input type=\"checkbox\" class=\"sevbox\"{} data-sev=\"{}\"{}> {} <b>{n}</b>{}</label>",
            if fold {
                " id=\"toggle-format-only\""
            } else {
                ""
            },
            esc(sev),
            if fold { "" } else { " checked" },
            esc(sev),
            if fold { " (folded by default)" } else { "" }
        );
    }
    if by_sev.is_empty() {
        h.push_str("<span>none</span>");
    }
    let _ = write!(
        h,
        "<label title=\"tables numbered from 0, the left document's\">place <select id=\"where\"><option value=\"\">everywhere ({})</option>",
        findings.len()
    );
    for ((text, t), n) in &by_table {
        let k = where_key((!text).then_some(*t));
        let _ = write!(h, "<option value=\"{k}\">{k} ({n})</option>");
    }
    let shown = findings
        .iter()
        .filter(|f| f.severity != Severity::FormatOnly)
        .count();
    let _ = write!(
        h,
        "</select></label><label>sort <select id=\"sort\"><option value=\"severity\" selected>by severity</option>\
<option value=\"order\">in report order</option></select></label>\
<span>showing <b id=\"shown\">{shown}</b> of {}</span>\
<button type=\"button\" id=\"taller\">taller list</button></div>",
        findings.len()
    );
    h
}

/// The findings' rows, most serious first (report order within a
/// severity rank), `format_only` folded.
fn rows(p: &Page, findings: &[Finding], diffs: &Diffs) -> String {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (severity_rank(findings[i].severity.as_str()), i));
    let mut h = String::new();
    for i in order {
        let f = &findings[i];
        let rank = severity_rank(f.severity.as_str());
        let d = diffs.get(i).and_then(|d| d.as_ref());
        let side = |pl: &Option<Place>, s: char, flags: Option<&[bool]>| match pl {
            Some(pl) => format!(
                "<a href=\"#{s}-{id}\" data-f=\"{id}\"><span class=\"raw\">{}</span></a> <small class=\"at\">{}</small>",
                diffed(&pl.raw, flags),
                esc(&where_(&pl.provenance)),
                id = f.id
            ),
            None => "—".to_string(),
        };
        let sev = esc(f.severity.as_str());
        let _ = writeln!(
            h,
            "<tr id=\"{id}\" class=\"{sev}{}\" data-f=\"{id}\" data-sev=\"{sev}\" data-rank=\"{rank}\" data-i=\"{i}\" data-where=\"{}\">\
<td>{id}</td><td class=\"s{rank}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}<small class=\"ctx\">{}</small></td></tr>",
            if f.severity == Severity::FormatOnly {
                " folded"
            } else {
                ""
            },
            where_key(table_of(f)),
            esc(f.kind.as_str()),
            side(&f.a, 'a', d.map(|d| d.0.as_slice())),
            side(&f.b, 'b', d.map(|d| d.1.as_slice())),
            (p.extra)(f),
            esc(&f.detail),
            esc(&contexts(f, &p.cols)),
            id = esc(&f.id),
        );
    }
    h
}

fn page(p: &Page, findings: &[Finding], diffs: &Diffs, pane_a: &str, pane_b: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head><body><header>\
<h1>{t}</h1><p>{}</p>{}\
<p class=\"legend\">{} Click a finding or a mark to bring both documents to its place; \
characters that differ between the two values are <mark class=\"d\">marked</mark>. \
Colours: <span class=\"s0\">figures disagree</span> <span class=\"s1\">worth a look</span> \
<span class=\"s2\">format only</span>.</p></header>",
        esc(&p.summary),
        controls(findings),
        esc(NUMBERING),
        t = esc(&p.title),
    );
    let _ = write!(
        h,
        "<div id=\"list\"><table id=\"findings\"><thead><tr><th>#</th><th>severity</th><th>kind</th><th>{}</th><th>{}</th>",
        esc(&p.cols[0]),
        esc(&p.cols[1])
    );
    for x in p.extra_heads {
        let _ = write!(h, "<th>{}</th>", esc(x));
    }
    h.push_str("<th>what</th></tr></thead><tbody>\n");
    h.push_str(&rows(p, findings, diffs));
    let _ = write!(
        h,
        "</tbody></table></div><div class=\"cols\"><div class=\"col\" id=\"pane-a\"><div class=\"colhead\">{}</div>\n{pane_a}</div>\
<div class=\"col\" id=\"pane-b\"><div class=\"colhead\">{}</div>\n{pane_b}</div></div><script>{SCRIPT}</script></body></html>\n",
        esc(&p.panes[0]),
        esc(&p.panes[1])
    );
    h
}

pub fn html(al: &Alignment, a: &PlanRecord, b: &PlanRecord) -> String {
    let (la, lb) = pair_labels(a, b);
    let diffs = diffs(&al.findings, |_| true);
    let p = Page {
        title: format!("planrec: {} ↔ {}", a.source.path, b.source.path),
        summary: summary_line(al),
        panes: [
            format!("{la}: {}", a.source.path),
            format!("{lb}: {}", b.source.path),
        ],
        cols: [la, lb],
        extra_heads: &[],
        extra: &|_| String::new(),
    };
    page(
        &p,
        &al.findings,
        &diffs,
        &side_html(a, &al.findings, &diffs, 'a'),
        &side_html(b, &al.findings, &diffs, 'b'),
    )
}

/// The reviewer page of a single-plan check: the findings on top (both
/// statements, expected and found, confidence), the plan below twice —
/// each statement found wrong marked on the left, the statement it
/// disagrees with on the right — linked both ways like the alignment page.
/// Characters are compared only for a restatement, where both sides state
/// the same figure.
pub fn check_html(c: &Check, rec: &PlanRecord) -> String {
    let counts: Vec<String> = c.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let diffs = diffs(&c.findings, |f| f.kind == FindingKind::Restatement);
    // At most four decimals: `expected` is often a quotient (9.160047…).
    let num = |v: Option<f64>| v.map(crate::check::fmt).unwrap_or_else(|| "—".to_string());
    let extra = |f: &Finding| {
        format!(
            "<td>{}</td><td>{}</td><td>{}</td>",
            num(f.expected),
            num(f.found),
            num(f.confidence)
        )
    };
    let lang = language_label(&rec.document);
    let p = Page {
        title: format!("planrec check: {}", rec.source.path),
        summary: format!(
            "{lang}; findings: {}",
            if counts.is_empty() {
                "none".to_string()
            } else {
                counts.join(", ")
            }
        ),
        cols: ["stated".to_string(), "against".to_string()],
        panes: [
            format!("stated (the statement found wrong): {}", rec.source.path),
            format!("against (what it disagrees with): {}", rec.source.path),
        ],
        extra_heads: &["expected", "found", "confidence"],
        extra: &extra,
    };
    page(
        &p,
        &c.findings,
        &diffs,
        &side_html(rec, &c.findings, &diffs, 'a'),
        &side_html(rec, &c.findings, &diffs, 'b'),
    )
}

/// Both sides' rows or sentences, named by their columns, when they differ
/// (a translation), else the finding's one.
fn contexts(f: &Finding, cols: &[String; 2]) -> String {
    let a = f.a.as_ref().map(|p| p.context.as_str()).unwrap_or("");
    let b = f.b.as_ref().map(|p| p.context.as_str()).unwrap_or("");
    if !a.is_empty() && !b.is_empty() && a != b {
        format!("{}: {a} ‖ {}: {b}", cols[0], cols[1])
    } else {
        f.context.clone()
    }
}

fn summary_line(al: &Alignment) -> String {
    let c = &al.aligned;
    let counts: Vec<String> = al.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!(
        "aligned {} tables, {} paragraphs, {} objectives, {} activities, {} indicators; findings: {}",
        c.tables,
        c.paragraphs,
        c.objectives,
        c.activities,
        c.indicators,
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        }
    )
}

/// At most this many findings are listed on the terminal.
const LISTED: usize = 25;

pub fn summary(al: &Alignment) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "a: {}\nb: {}", al.a.source.path, al.b.source.path);
    let _ = writeln!(s, "{}", summary_line(al));
    let serious: Vec<&Finding> = al
        .findings
        .iter()
        .filter(|f| f.severity != Severity::FormatOnly)
        .collect();
    for f in serious.iter().take(LISTED) {
        let _ = writeln!(s, "  {}", finding_line(f));
    }
    if serious.len() > LISTED {
        let _ = writeln!(s, "  … {} more in the report", serious.len() - LISTED);
    }
    s
}

pub fn finding_line(f: &Finding) -> String {
    let side = |p: &Option<super::report::Place>| match p {
        Some(p) => format!("`{}` ({})", p.raw, where_(&p.provenance)),
        None => "—".to_string(),
    };
    format!(
        "{} {} {}: {} | {} — {}",
        f.id,
        f.severity,
        f.kind,
        side(&f.a),
        side(&f.b),
        super::tokens::shorten(&f.context, 90)
    )
}
