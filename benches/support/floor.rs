//! The floor both benchmarks compare against, shared so they measure the
//! same loop.

use std::io::Cursor;

/// The floor: inflate `document.xml` and walk every XML event.
pub fn floor(bytes: &[u8]) -> u64 {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let f = zip.by_name("word/document.xml").expect("part");
    let mut reader =
        quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(64 * 1024, f));
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => n += 1,
        }
    }
    n
}
