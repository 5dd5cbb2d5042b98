//! One small DOCX per reader feature, built from XML strings (see
//! `support/mod.rs`), read through the public API and checked.
//!
//! The same fixtures are committed under `fixtures/docx/NAME.docx` so a
//! person can open them in Word or LibreOffice; regenerate them with
//! `PLANREC_WRITE_FIXTURES=1 cargo test --test docx_fixtures`
//! (`fixture_files_are_current` fails when they are out of date).

mod support;

use planrec::error::Error;
use planrec::model::{Block, Document, Mark, Paragraph, Table};
use planrec::read::{Limits, ReadOptions, read_bytes};
use std::path::Path;
use support::{Docx, NS, p, tc};

fn fixtures() -> Vec<(&'static str, Docx)> {
    vec![
        ("text_runs", text_runs()),
        ("hyperlinks", hyperlinks()),
        ("smart_tags_custom_xml", smart_tags()),
        ("content_controls", content_controls()),
        ("alternate_content_textbox", alternate_content()),
        ("tracked_changes", tracked_changes()),
        ("fields", fields()),
        ("hidden_text", hidden_text()),
        ("headings", headings()),
        ("lists", lists()),
        ("notes", notes()),
        ("headers_footers", headers_footers()),
        ("tables", tables_fixture()),
        ("nested_tables", nested_tables()),
        ("strict_namespaces", strict()),
        ("bom_no_rels", bom_no_rels()),
        ("main_part_via_rels", main_part_via_rels()),
    ]
}

fn fixture(name: &str) -> Docx {
    fixtures()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| d)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

fn read(name: &str) -> Document {
    let bytes = fixture(name).bytes();
    read_bytes(
        Path::new(&format!("{name}.docx")),
        &bytes,
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn paras(doc: &Document) -> Vec<&Paragraph> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn texts(doc: &Document) -> Vec<&str> {
    paras(doc).iter().map(|p| p.text.as_str()).collect()
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn count(doc: &Document, name: &str) -> u64 {
    doc.counts.get(name).copied().unwrap_or(0)
}

// ---------------------------------------------------------------- fixtures

fn text_runs() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">A&amp;B </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t></w:r>"#,
        r#"<w:r><w:tab/><w:t>tab</w:t><w:br/><w:t>line</w:t><w:cr/><w:t>cr</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Wingdings" w:char="F0D8"/><w:sym w:font="Webdings" w:char="F021"/></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>co</w:t><w:noBreakHyphen/><w:t>op re</w:t><w:softHyphen/><w:t>use</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:rPr><w:i/><w:u w:val="single"/></w:rPr><w:t>x</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr><w:t>&#xF061;</w:t></w:r></w:p>"#,
    ))
}

fn hyperlinks() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rIdLink"><w:r><w:t>the site</w:t></w:r></w:hyperlink>"#,
        r#"<w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink w:anchor="sec2"><w:r><w:t>section 2</w:t></w:r></w:hyperlink></w:p>"#,
    ))
    .rel("rIdLink", "hyperlink", "https://example.org/plan", true)
}

fn smart_tags() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Meet in </w:t></w:r><w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place"><w:smartTagPr><w:attr w:name="x" w:val="y"/></w:smartTagPr><w:r><w:t>Mitrovica</w:t></w:r></w:smartTag>"#,
        r#"<w:customXml w:element="date"><w:customXmlPr/><w:r><w:t xml:space="preserve"> on 2024</w:t></w:r></w:customXml></w:p>"#,
    ))
}

fn content_controls() -> Docx {
    Docx::body(concat!(
        r#"<w:sdt><w:sdtPr><w:alias w:val="Block"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr><w:sdtContent>"#,
        r#"<w:p><w:r><w:t>block level</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">run </w:t></w:r><w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>level</w:t></w:r></w:sdtContent></w:sdt></w:p>"#,
        r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"#,
        r#"<w:sdt><w:sdtPr/><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>row sdt</w:t></w:r></w:p></w:tc>"#,
        r#"<w:sdt><w:sdtPr/><w:sdtContent><w:tc><w:p><w:r><w:t>cell sdt</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt>"#,
        r#"</w:tbl>"#,
    ))
}

fn alternate_content() -> Docx {
    // A text box written twice (DrawingML in mc:Choice, VML in mc:Fallback),
    // anchored mid-sentence; then a Choice requiring an unknown namespace.
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Before the box </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"#,
        r#"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#,
        r#"<w:r><w:t>and after.</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><mc:AlternateContent xmlns:x9="urn:example:unknown"><mc:Choice Requires="x9"><w:t>choice</w:t></mc:Choice><mc:Fallback><w:t>fallback</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        // A VML-only text box inside a table cell.
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">Cell anchor </w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Cell box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r><w:r><w:t>end</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    ))
}

fn tracked_changes() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r><w:ins w:id="1" w:author="A"><w:r><w:t xml:space="preserve">inserted </w:t></w:r></w:ins>"#,
        r#"<w:del w:id="2" w:author="A"><w:r><w:delText>deleted </w:delText></w:r></w:del><w:r><w:rPr><w:b/><w:rPrChange w:id="3" w:author="A"><w:rPr/></w:rPrChange></w:rPr><w:t>end</w:t></w:r></w:p>"#,
        r#"<w:p><w:moveFrom w:id="4" w:author="A"><w:r><w:t>moved text</w:t></w:r></w:moveFrom></w:p>"#,
        r#"<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="A"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">First half </w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pPrChange w:id="6" w:author="A"><w:pPr/></w:pPrChange></w:pPr><w:r><w:t>second half</w:t></w:r><w:moveTo w:id="7" w:author="A"><w:r><w:t xml:space="preserve"> moved text</w:t></w:r></w:moveTo></w:p>"#,
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>r1</w:t></w:r></w:p></w:tc></w:tr>"#,
        r#"<w:tr><w:trPr><w:del w:id="8" w:author="A"/></w:trPr><w:tc><w:p><w:del w:id="9" w:author="A"><w:r><w:delText>r2</w:delText></w:r></w:del></w:p></w:tc></w:tr>"#,
        r#"<w:tr><w:tc><w:p><w:r><w:t>r3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    ))
}

fn fields() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">Date: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "d.M.yyyy" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1.2.2024</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>"#,
        // Nested: an IF whose instruction holds a MERGEFIELD with its own result.
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD x </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>inner</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText xml:space="preserve"> = "a" "yes" "no" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>shown</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        // Broken: a field that never reaches `separate` in its paragraph
        // must not swallow the text that follows.
        r#"<w:p><w:r><w:t xml:space="preserve">Broken </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>still here</w:t></w:r></w:p>"#,
        // A HYPERLINK field: its result becomes a link mark.
        r#"<w:p><w:r><w:t xml:space="preserve">Go to </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/a" \l "s1" \o "tip" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the page</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        // A TOC field spanning paragraphs: its entries are marked as such.
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">1. Introduction</w:t></w:r><w:r><w:tab/><w:t>3</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">2. Measures</w:t></w:r><w:r><w:tab/><w:t>5</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>After the TOC</w:t></w:r></w:p>"#,
        // Content of another part (altChunk) is reported, not silently lost.
        r#"<w:altChunk r:id="rIdChunk"/>"#,
    ))
}

fn hidden_text() -> Docx {
    Docx::body("<w:p><w:r><w:t xml:space=\"preserve\">Seen </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"Secret\"/></w:rPr><w:t>styled-hidden </w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"Secret\"/><w:vanish w:val=\"0\"/></w:rPr><w:t>unhidden</w:t></w:r></w:p>")
    .styles(r#"<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>"#)
}

fn headings() -> Docx {
    Docx::body(concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>One</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="Titre2"/></w:pPr><w:r><w:t>Two</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="berschrift3"/></w:pPr><w:r><w:t>Three</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="MyHeading"/></w:pPr><w:r><w:t>Derived</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="Outline"/></w:pPr><w:r><w:t>Outline style</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:outlineLvl w:val="4"/></w:pPr><w:r><w:t>Direct outline</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Body text level</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>Plain</w:t></w:r></w:p>"#,
    ))
    .styles(concat!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="Titre 2"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="berschrift3"><w:name w:val="Überschrift 3"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="Chapter"/><w:basedOn w:val="Titre2"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Outline"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>"#,
    ))
}

fn lists() -> Docx {
    let li = |num: u32, lvl: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        li(1, 0, "first"),
        li(1, 1, "first-a"),
        li(1, 1, "first-b"),
        li(1, 2, "deep"),
        li(1, 0, "second"),
        li(1, 1, "second-a"),
        li(2, 0, "bullet"),
        li(3, 0, "continues"),
        li(4, 0, "restarts"),
        li(0, 0, "not a list"),
        r#"<w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>by style</w:t></w:r></w:p>"#
            .to_string(),
    ]
    .concat();
    Docx::body(&body)
        .numbering(concat!(
            r#"<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>"#,
            r#"<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>"#,
            r#"<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%2.%3"/></w:lvl></w:abstractNum>"#,
            r#"<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr></w:lvl></w:abstractNum>"#,
            r#"<w:abstractNum w:abstractNumId="30"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>"#,
            r#"<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>"#,
            r#"<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>"#,
            r#"<w:num w:numId="3"><w:abstractNumId w:val="10"/></w:num>"#,
            r#"<w:num w:numId="4"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>"#,
            r#"<w:num w:numId="5"><w:abstractNumId w:val="30"/></w:num>"#,
        ))
        .styles(r#"<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#)
}

fn notes() -> Docx {
    Docx::body("<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:t xml:space=\"preserve\"> and more</w:t></w:r><w:r><w:endnoteReference w:id=\"1\"/></w:r></w:p>")
    .part(
        "word/footnotes.xml",
        &format!(
            r#"<?xml version="1.0"?><w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Source: census 2021.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        ),
    )
    .part(
        "word/endnotes.xml",
        &format!(r#"<?xml version="1.0"?><w:endnotes {NS}><w:endnote w:id="1"><w:p><w:r><w:t>An endnote.</w:t></w:r></w:p></w:endnote></w:endnotes>"#),
    )
    .rel("rIdFn", "footnotes", "footnotes.xml", false)
    .rel("rIdEn", "endnotes", "endnotes.xml", false)
}

fn headers_footers() -> Docx {
    Docx::body(&format!(
        r#"{}<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:footerReference w:type="default" r:id="rIdF1"/></w:sectPr>"#,
        p("Body text")
    ))
    .part("word/header1.xml", &format!(r#"<?xml version="1.0"?><w:hdr {NS}>{}</w:hdr>"#, p("Municipality of X")))
    .part(
        "word/footer1.xml",
        &format!(
            r#"<?xml version="1.0"?><w:ftr {NS}><w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"#
        ),
    )
    .rel("rIdH1", "header", "header1.xml", false)
    .rel("rIdF1", "footer", "footer1.xml", false)
}

fn tables_fixture() -> Docx {
    let grid = "<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>";
    Docx::body(&format!(
        "<w:tbl>{grid}\
<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}</w:tr>\
<w:tr>{}{}{}{}</w:tr>\
<w:tr>{}{}</w:tr>\
<w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr>\
<w:tr>{}</w:tr>\
</w:tbl>",
        tc(r#"<w:gridSpan w:val="2"/>"#, &["Measure"]),
        tc("", &["Year"]),
        tc(r#"<w:vMerge w:val="restart"/>"#, &["Budget"]),
        tc("", &["1.1"]),
        tc("", &["Day care"]),
        tc("", &["2024", "2025"]),
        tc(r#"<w:vMerge/>"#, &[]),
        tc(r#"<w:gridSpan w:val="3"/>"#, &["Wide"]),
        tc(r#"<w:vMerge/>"#, &[]),
        tc("", &["shifted"]),
        tc("", &["x"]),
        tc("", &["short row"]),
    ))
    .numbering(r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#)
}

fn nested_tables() -> Docx {
    let inner2 = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", &["deepest"]));
    let inner1 = format!(
        "<w:tbl><w:tr>{}<w:tc><w:p><w:r><w:t>holder</w:t></w:r></w:p>{inner2}<w:p/></w:tc></w:tr></w:tbl>",
        tc("", &["inner a"])
    );
    let list_cell = r#"<w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>item one</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>item two</w:t></w:r></w:p></w:tc>"#;
    Docx::body(&format!(
        "{}<w:tbl><w:tr>{}<w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p>{inner1}<w:p/></w:tc></w:tr><w:tr>{list_cell}{}</w:tr></w:tbl>",
        p("intro"),
        tc("", &["a"]),
        tc("", &[]),
    ))
    .numbering(r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#)
}

fn strict() -> Docx {
    // ISO 29500 Strict namespace, bound to an unusual prefix.
    Docx::document(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ns0:document xmlns:ns0="http://purl.oclc.org/ooxml/wordprocessingml/main"><ns0:body>"#,
        r#"<ns0:p><ns0:r><ns0:t>Strict text</ns0:t></ns0:r></ns0:p>"#,
        r#"<ns0:tbl><ns0:tr><ns0:tc><ns0:tcPr><ns0:gridSpan ns0:val="2"/></ns0:tcPr><ns0:p><ns0:r><ns0:t>cell</ns0:t></ns0:r></ns0:p></ns0:tc></ns0:tr></ns0:tbl>"#,
        r#"<w:p xmlns:w="urn:not-wordprocessingml"><w:r><w:t>foreign</w:t></w:r></w:p>"#,
        r#"</ns0:body></ns0:document>"#,
    ))
}

fn bom_no_rels() -> Docx {
    let mut xml = vec![0xEF, 0xBB, 0xBF];
    xml.extend_from_slice(format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{}</w:body></w:document>"#, p("After a BOM")).as_bytes());
    Docx::body("")
        .part_bytes("word/document.xml", xml)
        .part("docProps/core.xml", "<not-xml")
        .part(
            "word/_rels/document.xml.rels",
            "<Relationships><Relationship Id=",
        )
        .without_root_rels()
}

fn main_part_via_rels() -> Docx {
    let d = Docx::body("");
    Docx {
        parts: vec![(
            "word/main.xml".into(),
            format!(
                r#"<?xml version="1.0"?><w:document {NS}><w:body>{}</w:body></w:document>"#,
                p("Found through _rels/.rels")
            )
            .into_bytes(),
        )],
        ..d
    }
}

// ------------------------------------------------------------------- tests

#[test]
fn text_runs_tabs_breaks_symbols_hyphens() {
    let d = read("text_runs");
    let t = texts(&d);
    assert_eq!(t[0], "A&B bold\ttab\nline\ncr");
    // Symbol bullet and Wingdings arrow mapped; Webdings unknown: kept, counted.
    assert_eq!(t[1], "•➢\u{F021}");
    assert_eq!(count(&d, "unmapped_symbols"), 1);
    // Non-breaking hyphen kept as U+2011, soft hyphen as U+00AD (both
    // faithful; normalization decides what they compare as).
    assert_eq!(t[2], "co\u{2011}op re\u{AD}use");
    // Text typed in the Symbol font is mapped too.
    assert_eq!(t[3], "x2α");
    let marks = &paras(&d)[3].marks;
    assert!(marks.contains(&Mark::Italic { start: 0, end: 1 }));
    assert!(marks.contains(&Mark::Underline { start: 0, end: 1 }));
    assert!(marks.contains(&Mark::Superscript { start: 1, end: 2 }));
    assert!(
        paras(&d)[0]
            .marks
            .contains(&Mark::Bold { start: 4, end: 8 })
    );
}

#[test]
fn hyperlinks_from_rels_and_anchors() {
    let d = read("hyperlinks");
    let p = paras(&d)[0];
    assert_eq!(p.text, "See the site and section 2");
    assert!(p.marks.contains(&Mark::Link {
        start: 4,
        end: 12,
        target: "https://example.org/plan".into()
    }));
    assert!(p.marks.contains(&Mark::Link {
        start: 17,
        end: 26,
        target: "#sec2".into()
    }));
}

#[test]
fn smart_tags_and_custom_xml_are_transparent() {
    let d = read("smart_tags_custom_xml");
    assert_eq!(texts(&d), vec!["Meet in Mitrovica on 2024"]);
    assert_eq!(count(&d, "smart_tags"), 1);
}

#[test]
fn content_controls_at_every_level() {
    let d = read("content_controls");
    assert_eq!(texts(&d), vec!["block level", "run level"]);
    let t = tables(&d)[0];
    assert_eq!(t.rows.len(), 1);
    let cells: Vec<&str> = t.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(cells, vec!["row sdt", "cell sdt"]);
    assert_eq!(t.rows[0].cells[1].col, 1);
    assert_eq!(count(&d, "content_controls"), 4);
}

#[test]
fn alternate_content_takes_one_branch_and_textbox_follows_anchor() {
    let d = read("alternate_content_textbox");
    let ps = paras(&d);
    assert_eq!(ps[0].text, "Before the box and after.");
    assert_eq!(ps[1].text, "Box text");
    assert_eq!(ps[1].origin.as_deref(), Some("textbox"));
    assert_eq!(ps[2].text, "fallback");
    assert_eq!(ps.len(), 3, "text box read once, not from both branches");
    assert_eq!(ps[1].provenance.block, Some(1));
    let cell = &tables(&d)[0].rows[0].cells[0];
    let cps: Vec<(&str, Option<&str>)> = cell
        .paragraphs
        .iter()
        .map(|p| (p.text.as_str(), p.origin.as_deref()))
        .collect();
    assert_eq!(
        cps,
        vec![("Cell anchor end", None), ("Cell box", Some("textbox"))]
    );
    assert_eq!(cell.text, "Cell anchor end\nCell box");
}

#[test]
fn tracked_changes_accepted_and_counted() {
    let d = read("tracked_changes");
    assert_eq!(
        texts(&d),
        vec!["Keep inserted end", "First half second half moved text"]
    );
    let t = tables(&d)[0];
    let rows: Vec<&str> = t.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
    assert_eq!(rows, vec!["r1", "r3"]);
    assert_eq!(count(&d, "tracked_insertions"), 1);
    assert_eq!(count(&d, "tracked_deletions"), 2);
    assert_eq!(count(&d, "tracked_moves_from"), 1);
    assert_eq!(count(&d, "tracked_moves_to"), 1);
    assert_eq!(count(&d, "tracked_format_changes"), 2);
    assert_eq!(count(&d, "deleted_paragraph_marks"), 1);
    assert_eq!(count(&d, "tracked_row_deletions"), 1);
}

#[test]
fn fields_keep_result_drop_instruction() {
    let d = read("fields");
    assert_eq!(
        texts(&d),
        vec![
            "Page 7",
            "Date: 1.2.2024.",
            "shown",
            "Broken ",
            "still here",
            "Go to the page",
            "1. Introduction\t3",
            "2. Measures\t5",
            "After the TOC"
        ]
    );
    assert_eq!(count(&d, "fields"), 7);
    let ps = paras(&d);
    assert_eq!(
        ps[5].marks,
        vec![Mark::Link {
            start: 6,
            end: 14,
            target: "https://example.org/a#s1".into()
        }]
    );
    let origins: Vec<Option<&str>> = ps[6..].iter().map(|p| p.origin.as_deref()).collect();
    assert_eq!(origins, vec![Some("toc"), Some("toc"), None]);
    assert_eq!(count(&d, "unterminated_fields"), 1);
    assert!(d.diagnostics.iter().any(|x| x.code == "unterminated_field"));
    assert_eq!(count(&d, "external_content_skipped"), 1);
}

#[test]
fn hidden_text_direct_and_by_style() {
    let d = read("hidden_text");
    assert_eq!(texts(&d), vec!["Seen unhidden"]);
    assert_eq!(count(&d, "hidden_runs"), 2);
}

#[test]
fn headings_from_styles_names_and_outline_levels() {
    let d = read("headings");
    let h: Vec<(&str, Option<u8>)> = paras(&d)
        .iter()
        .map(|p| (p.text.as_str(), p.heading))
        .collect();
    assert_eq!(
        h,
        vec![
            ("One", Some(1)),
            ("Two", Some(2)),
            ("Three", Some(3)),
            ("Derived", Some(2)),
            ("Outline style", Some(3)),
            ("Direct outline", Some(5)),
            ("Body text level", None),
            ("Plain", None),
        ]
    );
    assert_eq!(paras(&d)[0].style.as_deref(), Some("heading 1"));
}

#[test]
fn lists_levels_and_computed_markers() {
    let d = read("lists");
    type Item<'a> = (&'a str, Option<(u8, Option<&'a str>, bool)>);
    let got: Vec<Item> = paras(&d)
        .iter()
        .map(|p| {
            (
                p.text.as_str(),
                p.list
                    .as_ref()
                    .map(|l| (l.level, l.marker.as_deref(), l.ordered)),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("first", Some((0, Some("1."), true))),
            ("first-a", Some((1, Some("a)"), true))),
            ("first-b", Some((1, Some("b)"), true))),
            ("deep", Some((2, Some("1.b.i"), true))),
            ("second", Some((0, Some("2."), true))),
            ("second-a", Some((1, Some("a)"), true))),
            ("bullet", Some((0, Some("•"), false))),
            ("continues", Some((0, Some("3."), true))),
            ("restarts", Some((0, Some("5."), true))),
            ("not a list", None),
            ("by style", Some((0, Some("I."), true))),
        ]
    );
}

#[test]
fn notes_kept_and_linked() {
    let d = read("notes");
    let p = paras(&d)[0];
    assert_eq!(p.text, "Claim and more");
    assert!(p.marks.contains(&Mark::Note {
        at: 5,
        id: "footnote:1".into()
    }));
    assert!(p.marks.contains(&Mark::Note {
        at: 14,
        id: "endnote:1".into()
    }));
    assert_eq!(d.notes.len(), 2, "separators are not notes");
    let f = d
        .notes
        .iter()
        .find(|n| n.id == "footnote:1")
        .expect("footnote 1");
    match &f.blocks[0] {
        Block::Paragraph(p) => {
            assert_eq!(p.text, " Source: census 2021.");
            assert_eq!(p.origin.as_deref(), Some("footnote"));
            assert_eq!(p.provenance.part.as_deref(), Some("word/footnotes.xml"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(d.notes.iter().any(|n| n.kind.as_str() == "endnote"));
}

/// Every story part counts what it read, as the body does: a soft hyphen
/// in the body, a footnote, the header and the footer is counted four
/// times (the header's and footer's were once dropped).
#[test]
fn every_story_part_counts_what_it_read() {
    let shy = |text: &str| {
        format!(r#"<w:p><w:r><w:t>{text}</w:t><w:softHyphen/><w:t>x</w:t></w:r></w:p>"#)
    };
    let fnote = format!(
        r#"<?xml version="1.0"?><w:footnotes {NS}><w:footnote w:id="1">{}</w:footnote></w:footnotes>"#,
        shy("note")
    );
    let docx = Docx::body(&format!(
        r#"{}<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p><w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:footerReference w:type="default" r:id="rIdF1"/></w:sectPr>"#,
        shy("body")
    ))
    .part("word/footnotes.xml", &fnote)
    .part(
        "word/header1.xml",
        &format!(r#"<?xml version="1.0"?><w:hdr {NS}>{}</w:hdr>"#, shy("head")),
    )
    .part(
        "word/footer1.xml",
        &format!(r#"<?xml version="1.0"?><w:ftr {NS}>{}</w:ftr>"#, shy("foot")),
    )
    .rel("rIdFn", "footnotes", "footnotes.xml", false)
    .rel("rIdH1", "header", "header1.xml", false)
    .rel("rIdF1", "footer", "footer1.xml", false);
    let d = read_bytes(
        Path::new("story_counts.docx"),
        &docx.bytes(),
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.headers.len(), 1);
    assert_eq!(d.footers.len(), 1);
    assert_eq!(d.notes.len(), 1);
    assert_eq!(count(&d, "soft_hyphens"), 4);
}

#[test]
fn headers_and_footers_apart_from_body() {
    let d = read("headers_footers");
    assert_eq!(texts(&d), vec!["Body text"]);
    match (&d.headers[0], &d.footers[0]) {
        (Block::Paragraph(h), Block::Paragraph(f)) => {
            assert_eq!(h.text, "Municipality of X");
            assert_eq!(h.origin.as_deref(), Some("header"));
            assert_eq!(h.provenance.part.as_deref(), Some("word/header1.xml"));
            assert_eq!(f.text, "Page 1");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn tables_spans_merges_grid_shifts_ragged_rows() {
    let d = read("tables");
    let t = tables(&d)[0];
    let g: Vec<Vec<(&str, usize, usize, usize)>> = t
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| (c.text.as_str(), c.col, c.row_span, c.col_span))
                .collect()
        })
        .collect();
    assert_eq!(
        g,
        vec![
            vec![("Measure", 0, 1, 2), ("Year", 2, 1, 1), ("Budget", 3, 3, 1)],
            vec![
                ("1.1", 0, 1, 1),
                ("Day care", 1, 1, 1),
                ("2024\n2025", 2, 1, 1)
            ],
            vec![("Wide", 0, 1, 3)],
            vec![("shifted", 1, 1, 1), ("x", 2, 1, 1)],
            vec![("short row", 0, 1, 1)],
        ]
    );
    assert!(t.rows[0].header && !t.rows[1].header);
    assert_eq!(t.width(), 4);
    assert_eq!(t.rows[1].cells[2].paragraphs.len(), 2);
    let prov = &t.rows[3].cells[1].provenance;
    assert_eq!(
        (prov.block, prov.table, prov.row, prov.cell),
        (Some(0), Some(0), Some(3), Some(1))
    );
}

#[test]
fn nested_tables_any_depth_with_paths_and_cell_lists() {
    let d = read("nested_tables");
    let all = d.tables();
    assert_eq!(all.len(), 3);
    let outer = all[0];
    assert_eq!(outer.provenance.block, Some(1));
    assert_eq!(outer.rows[0].cells[1].text, "outer");
    let inner = all[1];
    assert_eq!(inner.provenance.path, vec![[0, 0, 1]]);
    assert_eq!(inner.rows[0].cells[1].text, "holder");
    let deepest = all[2];
    assert_eq!(deepest.provenance.path, vec![[0, 0, 1], [0, 0, 1]]);
    assert_eq!(deepest.rows[0].cells[0].text, "deepest");
    assert_eq!(
        deepest.rows[0].cells[0].provenance.path,
        vec![[0, 0, 1], [0, 0, 1]]
    );
    let list_cell = &outer.rows[1].cells[0];
    assert_eq!(list_cell.text, "item one\nitem two");
    let markers: Vec<Option<&str>> = list_cell
        .paragraphs
        .iter()
        .map(|p| p.list.as_ref().and_then(|l| l.marker.as_deref()))
        .collect();
    assert_eq!(markers, vec![Some("1."), Some("2.")]);
}

#[test]
fn strict_namespace_and_other_prefixes() {
    let d = read("strict_namespaces");
    assert_eq!(
        texts(&d),
        vec!["Strict text"],
        "elements of a foreign namespace named w: are not WordprocessingML"
    );
    let t = tables(&d)[0];
    assert_eq!(t.rows[0].cells[0].col_span, 2);
}

#[test]
fn bom_missing_or_broken_rels_and_broken_docprops() {
    let d = read("bom_no_rels");
    assert_eq!(texts(&d), vec!["After a BOM"]);
    assert!(
        d.diagnostics.iter().any(|x| x.code == "broken_rels"),
        "{:?}",
        d.diagnostics
    );
}

#[test]
fn main_part_located_through_package_rels() {
    let d = read("main_part_via_rels");
    assert_eq!(texts(&d), vec!["Found through _rels/.rels"]);
}

#[test]
fn docm_and_dotx_extensions_read_alike() {
    let bytes = fixture("text_runs").bytes();
    for name in ["a.docm", "a.dotx", "a.DOCX"] {
        let d = read_bytes(Path::new(name), &bytes, &ReadOptions::default()).expect(name);
        assert_eq!(texts(&d)[0], "A&B bold\ttab\nline\ncr");
    }
}

// ------------------------------------------------------- hostile inputs

fn err(name: &str, bytes: &[u8], limits: Limits) -> Error {
    match read_bytes(
        Path::new(name),
        bytes,
        &ReadOptions {
            limits,
            ..ReadOptions::default()
        },
    ) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => e,
    }
}

fn ole_header(extra: &[u8]) -> Vec<u8> {
    let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    v.extend_from_slice(&[0u8; 504]);
    v.extend_from_slice(extra);
    v
}

#[test]
fn not_a_zip_is_a_clear_error() {
    let e = err("plan.docx", b"just some text, not a zip", Limits::default());
    assert!(matches!(e, Error::NotZip { .. }), "{e}");
    assert!(e.to_string().contains("plan.docx"));
}

#[test]
fn ole_encrypted_and_legacy_doc() {
    let enc: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert!(matches!(
        err("secret.docx", &ole_header(&enc), Limits::default()),
        Error::Encrypted { .. }
    ));
    assert!(matches!(
        err("old.doc", &ole_header(b"WordDocument"), Limits::default()),
        Error::Ole { .. } | Error::Doc { .. }
    ));
}

#[test]
fn zip_without_document_part() {
    let d = Docx {
        parts: vec![("word/styles.xml".into(), b"<x/>".to_vec())],
        rels: vec![],
        root_rels: false,
    };
    let e = err("empty.docx", &d.bytes(), Limits::default());
    assert!(matches!(e, Error::MissingPart { .. }), "{e}");
    assert!(e.to_string().contains("word/document.xml"));
}

#[test]
fn main_part_that_is_not_a_document() {
    // A theme package posing as a DOCX: its officeDocument relation points
    // at a theme part.
    let d = Docx::document(
        "<a:themeManager xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"/>",
    );
    let e = err("theme.docx", &d.bytes(), Limits::default());
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    assert!(
        e.to_string().contains("theme.docx") && e.to_string().contains("themeManager"),
        "{e}"
    );
}

#[test]
fn truncated_archive() {
    let bytes = fixture("tables").bytes();
    for cut in [bytes.len() / 2, bytes.len() - 10, 40] {
        let e = err("cut.docx", &bytes[..cut], Limits::default());
        assert!(matches!(e, Error::Zip { .. }), "{e}");
    }
}

#[test]
fn malformed_xml_names_part_and_position() {
    let d = Docx::document(&format!(
        r#"<?xml version="1.0"?><w:document {NS}><w:body><w:p><w:r><w:t>ok</w:t></w:r></w:p><w:p></w:body></w:document>"#
    ));
    let e = err("bad.docx", &d.bytes(), Limits::default());
    match &e {
        Error::Xml { part, position, .. } => {
            assert_eq!(part, "word/document.xml");
            assert!(*position > 100, "position {position}");
        }
        other => panic!("expected an XML error, got {other}"),
    }
}

#[test]
fn doctype_and_custom_entities_are_not_expanded() {
    let d = Docx::document(&format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY big "BIGBIGBIG">]><w:document {NS}><w:body><w:p><w:r><w:t>a&xxe;b&big;c</w:t></w:r></w:p></w:body></w:document>"#
    ));
    let doc =
        read_bytes(Path::new("xxe.docx"), &d.bytes(), &ReadOptions::default()).expect("reads");
    assert_eq!(texts(&doc), vec!["a&xxe;b&big;c"]);
    assert_eq!(count(&doc, "doctype_ignored"), 1);
    assert_eq!(count(&doc, "unresolved_entities"), 2);
}

#[test]
fn zip_bomb_stops_at_the_inflated_size_limit() {
    // 20 MB of whitespace inside the body compresses to a few KB.
    let filler = " ".repeat(20 << 20);
    let d = Docx::body(&format!("{}{filler}{}", p("a"), p("b")));
    let bytes = d.bytes();
    assert!(bytes.len() < 200_000);
    let limits = Limits {
        max_part_bytes: 1 << 20,
        ..Limits::default()
    };
    let e = err("bomb.docx", &bytes, limits);
    assert!(matches!(e, Error::Limit { .. }), "{e}");
    let limits = Limits {
        max_total_bytes: 2 << 20,
        ..Limits::default()
    };
    assert!(matches!(
        err("bomb.docx", &bytes, limits),
        Error::Limit { .. }
    ));
}

#[test]
fn nesting_and_element_count_limits() {
    let deep = format!(
        "{}{}",
        "<w:customXml>".repeat(300),
        "</w:customXml>".repeat(300)
    );
    let d = Docx::body(&format!("<w:p>{deep}</w:p>"));
    let limits = Limits {
        max_depth: 100,
        ..Limits::default()
    };
    assert!(matches!(
        err("deep.docx", &d.bytes(), limits),
        Error::Limit { .. }
    ));
    // Tables nested far deeper than any real document.
    let n = 150;
    let tables = format!(
        "{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(n),
        "<w:p/></w:tc></w:tr></w:tbl>".repeat(n)
    );
    let d = Docx::body(&tables);
    assert!(matches!(
        err("tables.docx", &d.bytes(), Limits::default()),
        Error::Limit { .. }
    ));
    let many = p("x").repeat(2000);
    let d = Docx::body(&many);
    let limits = Limits {
        max_elements: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        err("many.docx", &d.bytes(), limits),
        Error::Limit { .. }
    ));
}

// ------------------------------------------------------ committed files

#[test]
fn fixture_files_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docx");
    let write = std::env::var("PLANREC_WRITE_FIXTURES").is_ok();
    if write {
        std::fs::create_dir_all(&dir).expect("create fixtures/docx");
    }
    for (name, d) in fixtures() {
        let path = dir.join(format!("{name}.docx"));
        let bytes = d.bytes();
        if write {
            std::fs::write(&path, &bytes).expect("write fixture");
        } else {
            let on_disk = std::fs::read(&path).unwrap_or_else(|_| {
                panic!(
                    "{} missing; run with PLANREC_WRITE_FIXTURES=1",
                    path.display()
                )
            });
            assert!(
                on_disk == bytes,
                "{} is stale; run with PLANREC_WRITE_FIXTURES=1",
                path.display()
            );
        }
    }
}

// ------------------------------------------------------------ mutations

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every fixture with its parts mangled (bytes flipped, deleted, tags
/// duplicated or cut) and its zip bytes mangled: the reader returns a
/// document or an error, never panics.
#[test]
fn mangled_fixtures_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let snippets: [&[u8]; 8] = [
        b"<w:p>",
        b"</w:p>",
        b"<w:tbl>",
        b"<w:tc>",
        b"</w:tr>",
        b"&",
        b"<mc:Choice Requires=\"wps\">",
        b"<w:fldChar w:fldCharType=\"begin\"/>",
    ];
    for (name, d) in fixtures() {
        for round in 0..150 {
            let mut m = d.clone();
            for part in &mut m.parts {
                let data = &mut part.1;
                if data.is_empty() {
                    continue;
                }
                for _ in 0..1 + rng.below(4) {
                    if data.is_empty() {
                        break;
                    }
                    let at = rng.below(data.len());
                    match rng.below(4) {
                        0 => data[at] = rng.next() as u8,
                        1 => {
                            data.remove(at);
                        }
                        2 => {
                            let s = snippets[rng.below(snippets.len())];
                            data.splice(at..at, s.iter().copied());
                        }
                        _ => data.truncate(at),
                    }
                }
            }
            let mut bytes = m.bytes();
            if round % 3 == 0 {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            let r = std::panic::catch_unwind(|| {
                read_bytes(Path::new("m.docx"), &bytes, &ReadOptions::default())
            });
            assert!(r.is_ok(), "{name} round {round}: panic");
        }
    }
}

#[test]
fn a_styles_relationship_outside_the_package_is_named_and_the_usual_part_read() {
    let style = r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>"#;
    let body =
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Goal</w:t></w:r></w:p>"#;
    let mut d = Docx::body(body).styles(style);
    // The relationship now points out of the package; the part stays.
    d.rels.retain(|r| r.1 != "styles");
    let d = d.rel("rIdStyles", "styles", "../../../outside/styles.xml", false);
    let doc = read_bytes(Path::new("out.docx"), &d.bytes(), &ReadOptions::default()).unwrap();
    let diag = doc
        .diagnostics
        .iter()
        .find(|g| g.code == "missing_part")
        .expect("a diagnostic naming the missing part");
    assert!(
        diag.message.contains("outside/styles.xml"),
        "{}",
        diag.message
    );
    assert!(
        diag.message.contains("word/styles.xml read instead"),
        "{}",
        diag.message
    );
    let heading = paras(&doc).iter().find_map(|p| p.heading);
    assert_eq!(heading, Some(1));
}
