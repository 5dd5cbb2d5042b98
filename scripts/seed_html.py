#!/usr/bin/env python3
"""Render a `planrec dump` JSON document model as plain HTML.

Standard library only. Reads the JSON on stdin, writes HTML on stdout.
Headings become <hN>, runs of list items one <ul>/<ol> of <li>s (the
writers choose the markers), other paragraphs <p> (inner line breaks as
<br>), tables <table> with one <tr> per model row
and one <td> per cell (rowspan/colspan from the model; cells covered by a
span are absent, as in the model). A cell's paragraphs become <p>s; nested
tables follow them inside the cell. The HTML is what the DOCX writers
(pandoc, LibreOffice) are given by scripts/make-seed-docx.sh.
"""
import html
import json
import sys


def esc_lines(text):
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def paragraph(p, out):
    text = p.get("text", "")
    level = p.get("heading")
    if level:
        n = max(1, min(6, int(level)))
        out.append(f"<h{n}>{esc_lines(text)}</h{n}>")
        return
    out.append(f"<p>{esc_lines(text)}</p>")


def blocks(bs, out):
    """Blocks in order; consecutive list items share one list element."""
    open_list = None
    for b in bs:
        lst = b.get("list") if b.get("type") == "paragraph" else None
        kind = ("ol" if lst.get("ordered") else "ul") if lst else None
        if open_list and kind != open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if kind:
            if not open_list:
                out.append(f"<{kind}>")
                open_list = kind
            out.append(f"<li>{esc_lines(b.get('text', ''))}</li>")
        else:
            block(b, out)
    if open_list:
        out.append(f"</{open_list}>")


def table(t, out):
    out.append('<table border="1">')
    for row in t.get("rows", []):
        out.append("<tr>")
        for cell in row.get("cells", []):
            attrs = ""
            if cell.get("row_span", 1) > 1:
                attrs += f' rowspan="{cell["row_span"]}"'
            if cell.get("col_span", 1) > 1:
                attrs += f' colspan="{cell["col_span"]}"'
            out.append(f"<td{attrs}>")
            paras = cell.get("paragraphs")
            if paras is None or (not paras and cell.get("text")):
                paras = [{"text": line} for line in cell.get("text", "").split("\n")]
            blocks([dict(p, type="paragraph") for p in paras], out)
            blocks(cell.get("blocks", []), out)
            out.append("</td>")
        out.append("</tr>")
    out.append("</table>")


def block(b, out):
    if b.get("type") == "table":
        table(b, out)
    else:
        paragraph(b, out)


def main():
    doc = json.load(sys.stdin)
    # No <title>: pandoc would turn it into a Title paragraph.
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"></head><body>']
    blocks(doc.get("blocks", []), out)
    out.append("</body></html>")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
