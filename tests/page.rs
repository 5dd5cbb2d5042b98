//! The reviewer pages as a browser would get them, checked on the HTML of a
//! run over the bundled corpus (no browser in CI): the filter and sort
//! controls with a count per severity and per table, `format_only` rows
//! folded, both panes' anchors for every finding, the languages as column
//! names, the differing characters marked, places numbered as in the JSON,
//! `index.html` linking every page with its counts, and the same bytes for
//! any `-j`.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/scratch.rs"]
mod scratch;
use scratch::Scratch;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(tag: &str, jobs: &str) -> Scratch {
    let out = scratch::scratch(&format!("page-{tag}")).into_sub("out");
    let st = Command::new(env!("CARGO_BIN_EXE_planrec"))
        .arg("run")
        .arg(manifest().join("corpus"))
        .arg("-o")
        .arg(&out)
        .args(["-j", jobs, "--quiet"])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(p: &Path) -> Value {
    serde_json::from_str(&read(p)).unwrap()
}

/// A place in words, written here from the JSON's numbers as they stand
/// (tables, rows, cells and blocks from 0, lines from 1).
fn place(p: &Value) -> String {
    let n = |k: &str| p.get(k).and_then(Value::as_u64);
    let mut parts = Vec::new();
    if let Some(l) = p.get("line").and_then(Value::as_array) {
        let (f, t) = (l[0].as_u64().unwrap(), l[1].as_u64().unwrap());
        parts.push(if f == t {
            format!("line {f}")
        } else {
            format!("lines {f}–{t}")
        });
    }
    if let Some(t) = n("table") {
        let mut s = format!("table {t}");
        if let Some(r) = n("row") {
            s += &format!(" row {r}");
        }
        if let Some(c) = n("cell") {
            s += &format!(" cell {c}");
        }
        parts.push(s);
    } else if let Some(b) = n("block") {
        parts.push(format!("block {b}"));
    }
    parts.join(", ")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text of an HTML fragment, tags removed, entities of `esc` undone.
fn text(html: &str) -> String {
    let mut o = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => o.push(c),
            _ => {}
        }
    }
    o.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// One finding's row of the list.
fn row<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<tr id=\"{id}\" "))
        .unwrap_or_else(|| panic!("{id}: no row"));
    let len = page[start..].find("</tr>").unwrap();
    &page[start..start + len]
}

/// The cell of one side in a row: from its link to the next `</td>`.
fn side_cell<'a>(row: &'a str, side: char, id: &str) -> &'a str {
    let start = row
        .find(&format!("<a href=\"#{side}-{id}\""))
        .unwrap_or_else(|| panic!("{id}: no {side} link in {row}"));
    let len = row[start..].find("</td>").unwrap();
    &row[start..start + len]
}

/// Checks one page against its JSON report; `columns` are the names the
/// two sides must carry in the list's header. Returns how many differing
/// characters were marked.
fn check_page(
    page: &str,
    report: &Value,
    columns: [&str; 2],
    compare: &dyn Fn(&Value) -> bool,
) -> usize {
    assert!(page.starts_with("<!doctype html>"));
    // Self-contained: nothing fetched.
    for bad in ["src=", "<link ", "href=\"http", "url(", "@import"] {
        assert!(!page.contains(bad), "{bad}");
    }
    // The controls.
    for id in ["id=\"where\"", "id=\"sort\"", "id=\"shown\"", "id=\"list\""] {
        assert!(page.contains(id), "{id}");
    }
    assert!(
        page.contains("Places are numbered as in the JSON"),
        "legend"
    );
    let head = format!(
        "<th>kind</th><th>{}</th><th>{}</th>",
        esc(columns[0]),
        esc(columns[1])
    );
    assert!(page.contains(&head), "{head}");
    let findings = report["findings"].as_array().unwrap();
    // Counts per severity, format_only unticked.
    let mut by_sev: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_table: BTreeMap<String, u64> = BTreeMap::new();
    for f in findings {
        *by_sev.entry(f["severity"].as_str().unwrap()).or_insert(0) += 1;
        let p = if f["a"].is_null() { &f["b"] } else { &f["a"] };
        let k = match p["provenance"]["table"].as_u64() {
            Some(t) => format!("table {t}"),
            None => "text".to_string(),
        };
        *by_table.entry(k).or_insert(0) += 1;
    }
    for (sev, n) in &by_sev {
        let tick = if *sev == "format_only" {
            ""
        } else {
            " checked"
        };
        let boxed = format!("data-sev=\"{sev}\"{tick}> {sev} <b>{n}</b>");
        assert!(page.contains(&boxed), "{boxed}");
    }
    if by_sev.contains_key("format_only") {
        assert!(page.contains("id=\"toggle-format-only\" data-sev=\"format_only\">"));
    }
    for (k, n) in &by_table {
        let opt = format!("<option value=\"{k}\">{k} ({n})</option>");
        assert!(page.contains(&opt), "{opt}");
    }
    let (pane_a, pane_b) = {
        let a = page.find("id=\"pane-a\"").unwrap();
        let b = page.find("id=\"pane-b\"").unwrap();
        assert!(a < b);
        (&page[a..b], &page[b..])
    };
    let mut marked = 0;
    for f in findings {
        let id = f["id"].as_str().unwrap();
        let sev = f["severity"].as_str().unwrap();
        let r = row(page, id);
        let folded = if sev == "format_only" { " folded" } else { "" };
        assert!(
            r.starts_with(&format!(
                "<tr id=\"{id}\" class=\"{sev}{folded}\" data-f=\"{id}\""
            )),
            "{r}"
        );
        for (side, pane) in [('a', pane_a), ('b', pane_b)] {
            let p = &f[side.to_string()];
            if p.is_null() {
                continue;
            }
            // Both panes hold this side's place, and the list links it.
            assert!(
                pane.contains(&format!("id=\"{side}-{id}\"")),
                "{id}: no anchor in pane {side}"
            );
            let cell = side_cell(r, side, id);
            // The same numbers as the JSON.
            let at = format!(
                "<small class=\"at\">{}</small>",
                esc(&place(&p["provenance"]))
            );
            assert!(cell.contains(&at), "{id} {side}: {at} not in {cell}");
            // The raw value, whatever is marked inside it.
            let raw_html = cell
                .split("<span class=\"raw\">")
                .nth(1)
                .and_then(|s| s.split("</span>").next())
                .unwrap();
            assert_eq!(text(raw_html), p["raw"].as_str().unwrap(), "{id} {side}");
            if raw_html.contains("<mark class=\"d\">") {
                marked += 1;
                assert_ne!(f["a"]["raw"], f["b"]["raw"], "{id}: equal values marked");
                assert!(compare(f), "{id}: marked where the page does not compare");
            }
        }
    }
    marked
}

#[test]
fn reviewer_pages_index_and_bytes_for_any_j() {
    if !manifest().join("corpus").is_dir() {
        println!("SKIPPED reviewer_pages_index_and_bytes_for_any_j: corpus/ absent");
        return;
    }
    let out = run("j2", "2");
    let summary = json(&out.join("summary.json"));

    // Alignment pages: the languages as column names, differing digits marked.
    let pairs = summary["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    let mut marked = 0;
    let mut saw_dropped_digit = false;
    for p in pairs {
        let name = p["name"].as_str().unwrap();
        let report = json(&out.join(format!("alignments/{name}.json")));
        let page = read(&out.join(format!("alignments/{name}.html")));
        let label = |side: &str| {
            let d = &report[side]["document"];
            let code = format!(
                "{}-{}",
                d["language"].as_str().unwrap(),
                d["script"].as_str().unwrap()
            );
            let lang = match code.as_str() {
                "sq-Latn" => "Albanian",
                "sr-Latn" => "Serbian Latin",
                "sr-Cyrl" => "Serbian Cyrillic",
                other => panic!("no name for {other}"),
            };
            format!("{lang} ({code})")
        };
        let (la, lb) = (label("a"), label("b"));
        assert_ne!(la, lb, "the corpus pair is two languages");
        assert!(!page.contains("<th>a</th>"));
        marked += check_page(&page, &report, [&la, &lb], &|_| true);
        // The example: `6949` against `69497`, the `7` marked.
        for f in report["findings"].as_array().unwrap() {
            if f["a"]["raw"] == "6949" && f["b"]["raw"] == "69497" {
                let r = row(&page, f["id"].as_str().unwrap());
                assert!(r.contains("6949<mark class=\"d\">7</mark>"), "{r}");
                saw_dropped_digit = true;
            }
        }
    }
    assert!(saw_dropped_digit, "the Mitrovica pair's 6949 / 69497");
    assert!(marked > 0);

    // Check pages: `stated` / `against`; characters compared only for a
    // restatement.
    let docs = summary["documents"].as_array().unwrap();
    let mut checked = 0;
    for d in docs {
        let name = d["name"].as_str().unwrap();
        let report = json(&out.join(format!("checks/{name}.json")));
        let page = read(&out.join(format!("checks/{name}.html")));
        check_page(&page, &report, ["stated", "against"], &|f| {
            f["kind"] == "restatement"
        });
        checked += report["findings"].as_array().unwrap().len();
    }
    assert!(checked > 20, "the corpus checks find {checked}");

    // index.html links every page, with its counts.
    let index = read(&out.join("index.html"));
    for p in pairs {
        let name = p["name"].as_str().unwrap();
        let link = format!("<a href=\"alignments/{name}.html\">{name}</a>");
        assert!(index.contains(&link), "{link}");
        let row = &index[index.find(&link).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(&format!("<td class=\"n\">{}</td>", p["findings"])),
            "{row}"
        );
    }
    for d in docs {
        let name = d["name"].as_str().unwrap();
        let link = format!("<a href=\"checks/{name}.html\">{name}</a>");
        assert!(index.contains(&link), "{link}");
        let row = &index[index.find(&link).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(&format!("<td class=\"n\">{}</td>", d["findings"])),
            "{row}"
        );
        assert!(out.join(format!("checks/{name}.html")).is_file());
    }

    // The same bytes on one thread.
    let one = run("j1", "1");
    let mut pages = vec![PathBuf::from("index.html")];
    for dir in ["alignments", "checks"] {
        for e in std::fs::read_dir(out.join(dir)).unwrap() {
            pages.push(Path::new(dir).join(e.unwrap().file_name()));
        }
    }
    for p in &pages {
        assert_eq!(
            std::fs::read(out.join(p)).unwrap(),
            std::fs::read(one.join(p)).unwrap(),
            "{} differs between -j2 and -j1",
            p.display()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&one);
}
