//! `index.html` of a run or a merge: the page a reviewer opens first. It
//! links every pair's alignment page and every plan's check page, each
//! with its findings counted by how serious they are, and lists what was
//! not compared (unpaired, duplicates, warnings, failures).
//!
//! In: the finished summary and each document's check counts. Out: one
//! self-contained HTML page (no script, no external resources), built from
//! the summary alone, so a merge writes the bytes a run without shards
//! writes.

use super::Summary;
use crate::align::view::{NUMBERING, esc, language_name, severity_rank};
use crate::extract::record::DocScript;
use crate::normalize::lang::Language;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const STYLE: &str = "body{font:14px/1.4 sans-serif;margin:16px}h1{font-size:18px}h2{font-size:15px;margin-top:20px}\
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #bbb;padding:2px 6px;vertical-align:top;text-align:left}\
th{background:#ddd}td.n{text-align:right}.s0{background:#f99}.s1{background:#fc6}.s2{background:#cdf}\
small{color:#555}.legend{font-size:12px;color:#444}";

/// A file name as a relative link: every byte outside the unreserved set
/// percent-encoded, so `%`, `#`, `?` and spaces in names lead to the file.
fn href(dir: &str, name: &str, ext: &str) -> String {
    let mut o = format!("{dir}/");
    for b in format!("{name}.{ext}").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~+".contains(&b) {
            o.push(char::from(b));
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// Cells counting findings by rank (figures disagree, worth a look, format
/// only), then the total, then every severity with its count.
fn count_cells(by_severity: &BTreeMap<String, u64>) -> String {
    let mut ranks = [0u64; 3];
    for (k, v) in by_severity {
        ranks[usize::from(severity_rank(k).min(2))] += v;
    }
    let mut h = String::new();
    for (r, n) in ranks.iter().enumerate() {
        let class = if *n > 0 {
            format!(" s{r}")
        } else {
            String::new()
        };
        let _ = write!(h, "<td class=\"n{class}\">{n}</td>");
    }
    let all: Vec<String> = by_severity
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = write!(
        h,
        "<td class=\"n\">{}</td><td><small>{}</small></td>",
        ranks.iter().sum::<u64>(),
        esc(&all.join(", "))
    );
    h
}

const COUNT_HEADS: &str = "<th class=\"s0\">figures disagree</th><th class=\"s1\">worth a look</th>\
<th class=\"s2\">format only</th><th>all</th><th>by severity</th>";

/// The page. `check_counts[i]` are the findings by severity of
/// `summary.documents[i]`'s check.
pub(super) fn html(summary: &Summary, check_counts: &[&BTreeMap<String, u64>]) -> String {
    let t = &summary.totals;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>planrec run: {} documents</title>\
<style>{STYLE}</style></head><body><h1>planrec run: {} documents, {} pairs</h1>\
<p>{} read, {} failed; {} tables, {} objectives, {} activities, {} indicators, {} budget amounts; \
findings: {} in alignments, {} in checks. Batch <code>{}</code>; \
<a href=\"summary.json\">summary.json</a>, <a href=\"records.jsonl\">records.jsonl</a>.</p>\
<p class=\"legend\">Each page lists its findings, most serious first, with both documents side by side. {}</p>",
        t.documents,
        t.documents,
        t.pairs,
        t.read,
        t.failed,
        t.tables,
        t.objectives,
        t.activities,
        t.indicators,
        t.budgets,
        t.alignment_findings,
        t.check_findings,
        esc(&summary.batch),
        esc(NUMBERING)
    );
    pairs_table(&mut h, summary);
    documents_table(&mut h, summary, check_counts);
    lists(&mut h, summary);
    h.push_str("</body></html>\n");
    h
}

/// The language versions compared: one row per pair.
fn pairs_table(h: &mut String, summary: &Summary) {
    let lang: BTreeMap<&str, String> = summary
        .documents
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                language_name(
                    d.language.map(Language::code),
                    d.script.map(DocScript::as_str),
                ),
            )
        })
        .collect();
    let _ = writeln!(
        h,
        "<h2>Language versions compared ({})</h2><table><tr><th>alignment page</th><th>left</th><th>right</th>\
<th>confidence</th>{COUNT_HEADS}</tr>",
        summary.pairs.len()
    );
    for p in &summary.pairs {
        let side = |n: &str| {
            format!(
                "{}<br><small>{}</small>",
                esc(lang.get(n).map(String::as_str).unwrap_or("")),
                esc(n)
            )
        };
        let _ = writeln!(
            *h,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{:.2}</td>{}</tr>",
            href("alignments", &p.name, "html"),
            esc(&p.name),
            side(&p.a),
            side(&p.b),
            p.confidence,
            count_cells(&p.by_severity)
        );
    }
}

/// The plans checked: one row per document, its check's findings by
/// severity from `check_counts`.
fn documents_table(h: &mut String, summary: &Summary, check_counts: &[&BTreeMap<String, u64>]) {
    let _ = writeln!(
        h,
        "</table><h2>Plans checked ({})</h2><table><tr><th>check page</th><th>language</th><th>format</th>\
<th>activities</th><th>budget amounts</th>{COUNT_HEADS}</tr>",
        summary.documents.len()
    );
    let none = BTreeMap::new();
    for (i, d) in summary.documents.iter().enumerate() {
        let counts = check_counts.get(i).copied().unwrap_or(&none);
        let _ = writeln!(
            *h,
            "<tr><td><a href=\"{}\">{}</a><br><small>{}</small></td><td>{}</td><td>{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>",
            href("checks", &d.name, "html"),
            esc(&d.name),
            esc(&d.path),
            esc(&language_name(
                d.language.map(Language::code),
                d.script.map(DocScript::as_str)
            )),
            esc(d.format.as_str()),
            d.activities,
            d.budgets,
            count_cells(counts)
        );
    }
    h.push_str("</table>\n");
}

/// Unpaired documents, duplicates, warnings and failures, each list only
/// when it has items.
fn lists(h: &mut String, summary: &Summary) {
    let list = |h: &mut String, title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        let _ = write!(h, "<h2>{title} ({})</h2><ul>", items.len());
        for i in items {
            let _ = write!(h, "<li>{}</li>", esc(&i));
        }
        h.push_str("</ul>\n");
    };
    list(h, "Without a counterpart", summary.unpaired.clone());
    list(
        h,
        "Byte-identical copies (read, never paired)",
        summary
            .duplicates
            .iter()
            .map(|d| format!("{} = {}", d.path, d.of))
            .collect(),
    );
    list(
        h,
        "Warnings",
        summary
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.path, w.warning))
            .collect(),
    );
    list(
        h,
        "Failures",
        summary
            .failures
            .iter()
            .map(|f| format!("{}: {}", f.path, f.error))
            .collect(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_what_a_url_would_misread() {
        assert_eq!(
            href("checks", "a b#%41?ш", "html"),
            "checks/a%20b%23%2541%3F%D1%88.html"
        );
        assert_eq!(href("alignments", "x+y", "html"), "alignments/x+y.html");
    }
}
