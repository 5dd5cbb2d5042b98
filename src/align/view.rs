//! What a person reads: the self-contained HTML side-by-side view and the
//! short terminal summary.
//!
//! In: an alignment and both records. Out: one HTML page (no external
//! resources) with the findings listed on top, both documents side by side
//! below, every finding's place highlighted in both and linked both ways
//! (`#f3` the finding, `#a-f3` / `#b-f3` its places); and a plain-text
//! summary.

use super::report::{Alignment, Check, Finding};
use crate::extract::PlanRecord;
use crate::model::Provenance;
use std::collections::HashMap;
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

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
        let mut s = format!("table {}", t + 1);
        if let Some(r) = p.row {
            let _ = write!(s, " row {}", r + 1);
        }
        if let Some(c) = p.cell {
            let _ = write!(s, " cell {}", c + 1);
        }
        parts.push(s);
    } else if let Some(b) = p.block {
        parts.push(format!("block {b}"));
    }
    parts.join(", ")
}

/// Marks on one side: provenance → (finding id, raw, severity).
type Marks<'a> = HashMap<&'a Provenance, Vec<(&'a str, &'a str, &'a str)>>;

fn marks(findings: &[Finding], side_a: bool) -> Marks<'_> {
    let mut m: Marks = HashMap::new();
    for f in findings {
        let p = if side_a { &f.a } else { &f.b };
        if let Some(p) = p {
            m.entry(&p.provenance).or_default().push((
                f.id.as_str(),
                p.raw.as_str(),
                f.severity.as_str(),
            ));
        }
    }
    m
}

/// The text with each finding's raw value wrapped in a linked mark; marks
/// whose value is not found in the text go on the element itself.
fn marked(text: &str, ms: Option<&Vec<(&str, &str, &str)>>, side: char) -> (String, String) {
    let Some(ms) = ms else {
        return (esc(text), String::new());
    };
    let mut spans: Vec<(usize, usize, &str, &str)> = Vec::new();
    let mut whole = String::new();
    for (id, raw, sev) in ms {
        let found = (!raw.is_empty())
            .then(|| text.find(raw))
            .flatten()
            .filter(|&s| !spans.iter().any(|(a, b, ..)| s < *b && s + raw.len() > *a));
        match found {
            Some(s) => spans.push((s, s + raw.len(), id, sev)),
            None => {
                let _ = write!(
                    whole,
                    " <a class=\"tag {sev}\" id=\"{side}-{id}\" href=\"#{id}\">{id}</a>"
                );
            }
        }
    }
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (s, e, id, sev) in spans {
        out.push_str(&esc(&text[at..s]));
        let _ = write!(
            out,
            "<a class=\"m {sev}\" id=\"{side}-{id}\" href=\"#{id}\" title=\"{id}\">{}</a>",
            esc(&text[s..e])
        );
        at = e;
    }
    out.push_str(&esc(&text[at..]));
    (out, whole)
}

fn order_key(p: &Provenance) -> (u32, usize) {
    (p.line.map(|l| l[0]).unwrap_or(0), p.block.unwrap_or(0))
}

fn side_html(rec: &PlanRecord, findings: &[Finding], side: char) -> String {
    let ms = marks(findings, side == 'a');
    let mut items: Vec<((u32, usize), String)> = Vec::new();
    for p in &rec.paragraphs {
        let (body, tags) = marked(&p.text, ms.get(&p.provenance), side);
        let tag = match p.heading {
            Some(h) => format!("h{}", (h + 2).min(6)),
            None => "p".to_string(),
        };
        items.push((
            order_key(&p.provenance),
            format!(
                "<{tag} title=\"{}\">{body}{tags}</{tag}>\n",
                esc(&where_(&p.provenance))
            ),
        ));
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
                let (body, tags) = marked(&c.text, ms.get(&c.provenance), side);
                let span = if c.col_span > 1 {
                    format!(" colspan={}", c.col_span)
                } else {
                    String::new()
                };
                let extra = if i == 0 { rtags.as_str() } else { "" };
                let _ = write!(h, "<td{span}>{body}{tags}{extra}</td>");
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
        items.push((order_key(&t.provenance), h));
    }
    items.sort_by_key(|(k, _)| *k);
    items.into_iter().map(|(_, s)| s).collect()
}

const STYLE: &str = "body{font:14px/1.4 sans-serif;margin:0}\
header{padding:8px 16px;background:#f4f4f4;max-height:35vh;overflow:auto}\
.cols{display:flex;height:63vh}.col{flex:1;overflow:auto;padding:0 12px;border-left:1px solid #ccc}\
table{border-collapse:collapse;margin:8px 0;font-size:12px}td{border:1px solid #bbb;padding:2px 4px;vertical-align:top}\
caption{text-align:left;font-style:italic}\
.m{padding:0 2px;border-radius:3px;color:inherit}.tag{font-size:11px;padding:0 3px;border-radius:3px}\
.numeric_mismatch,.total_mismatch,.share_mismatch,.repeated_mismatch{background:#f99}\
.missing,.extra,.scale_inconsistent{background:#fc6}\
.aggregate_mismatch,.cumulative_mismatch,.cumulative_falls{background:#f99}\
.year_label_mismatch,.period_label_mismatch,.outside_period,.scale_label_mismatch,.unit_label_mismatch{background:#fc6}.format_only{background:#cdf}\
.code_mismatch,.structure{background:#dcf}:target{outline:3px solid #c00}\
#findings td{font-size:12px}";

pub fn html(al: &Alignment, a: &PlanRecord, b: &PlanRecord) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>planrec: {} ↔ {}</title><style>{STYLE}</style></head><body><header>",
        esc(&a.source.path),
        esc(&b.source.path)
    );
    let _ = write!(
        h,
        "<h1 style=\"font-size:16px\">{} ↔ {}</h1><p>{}</p>",
        esc(&a.source.path),
        esc(&b.source.path),
        esc(&summary_line(al))
    );
    h.push_str("<table id=\"findings\"><tr><th>#</th><th>severity</th><th>kind</th><th>a</th><th>b</th><th>what</th></tr>\n");
    for f in &al.findings {
        let side = |p: &Option<super::report::Place>, s: char| match p {
            Some(p) => format!(
                "<a href=\"#{s}-{}\">{}</a> <small>{}</small>",
                f.id,
                esc(&p.raw),
                esc(&where_(&p.provenance))
            ),
            None => "—".to_string(),
        };
        let _ = writeln!(
            h,
            "<tr id=\"{}\" class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}<br><small>{}</small></td></tr>",
            f.id,
            f.severity,
            f.id,
            f.severity,
            esc(&f.kind),
            side(&f.a, 'a'),
            side(&f.b, 'b'),
            esc(&f.detail),
            esc(&contexts(f))
        );
    }
    h.push_str("</table></header><div class=\"cols\"><div class=\"col\">");
    h.push_str(&side_html(a, &al.findings, 'a'));
    h.push_str("</div><div class=\"col\">");
    h.push_str(&side_html(b, &al.findings, 'b'));
    h.push_str("</div></div></body></html>\n");
    h
}

/// The reviewer page of a single-plan check: the findings on top (both
/// statements, expected and found, confidence), the plan below twice —
/// each statement found wrong marked on the left, the statement it
/// disagrees with on the right — linked both ways like the alignment page.
pub fn check_html(c: &Check, rec: &PlanRecord) -> String {
    let mut h = String::new();
    let path = esc(&rec.source.path);
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>planrec check: {path}</title><style>{STYLE}</style></head><body><header>"
    );
    let counts: Vec<String> = c.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = write!(
        h,
        "<h1 style=\"font-size:16px\">{path}</h1><p>findings: {}</p>",
        if counts.is_empty() {
            "none".to_string()
        } else {
            esc(&counts.join(", "))
        }
    );
    h.push_str("<table id=\"findings\"><tr><th>#</th><th>severity</th><th>kind</th><th>stated</th><th>against</th><th>expected</th><th>found</th><th>confidence</th><th>what</th></tr>\n");
    let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "—".to_string());
    for f in &c.findings {
        let side = |p: &Option<super::report::Place>, s: char| match p {
            Some(p) => format!(
                "<a href=\"#{s}-{}\">{}</a> <small>{}</small>",
                f.id,
                esc(&p.raw),
                esc(&where_(&p.provenance))
            ),
            None => "—".to_string(),
        };
        let _ = writeln!(
            h,
            "<tr id=\"{}\" class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}<br><small>{}</small></td></tr>",
            f.id,
            f.severity,
            f.id,
            f.severity,
            esc(&f.kind),
            side(&f.a, 'a'),
            side(&f.b, 'b'),
            num(f.expected),
            num(f.found),
            num(f.confidence),
            esc(&f.detail),
            esc(&contexts(f))
        );
    }
    h.push_str("</table></header><div class=\"cols\"><div class=\"col\">");
    h.push_str(&side_html(rec, &c.findings, 'a'));
    h.push_str("</div><div class=\"col\">");
    h.push_str(&side_html(rec, &c.findings, 'b'));
    h.push_str("</div></div></body></html>\n");
    h
}

/// Both sides' rows or sentences when they differ (a translation), else
/// the one.
fn contexts(f: &Finding) -> String {
    let a = f.a.as_ref().map(|p| p.context.as_str()).unwrap_or("");
    let b = f.b.as_ref().map(|p| p.context.as_str()).unwrap_or("");
    match (a.is_empty(), b.is_empty()) {
        (false, false) if a != b => format!("a: {a} ‖ b: {b}"),
        (true, true) => f.context.clone(),
        _ => f.context.clone(),
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
        .filter(|f| f.severity != "format_only")
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
