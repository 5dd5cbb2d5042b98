//! Every cell of a workbook as a spreadsheet reader (`calamine`) sees it,
//! one line per non-empty cell: `sheet<TAB>row<TAB>column<TAB>value`, sheets
//! in the workbook's order. Two workbooks hold the same content exactly
//! when their listings are equal, whatever their bytes:
//!
//! ```sh
//! cargo run --example xlsx_cells -- old/review.xlsx > old.txt
//! cargo run --example xlsx_cells -- new/review.xlsx > new.txt
//! diff old.txt new.txt
//! ```
//!
//! (How `review.xlsx` was checked when its writer moved to streamed,
//! constant-memory sheets with inline strings.)

use calamine::{Reader, Xlsx, open_workbook};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args_os().nth(1) else {
        return Err("usage: xlsx_cells FILE.xlsx".into());
    };
    let mut wb: Xlsx<_> = open_workbook(&path)?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name)?;
        writeln!(out, "== {name} {:?} {:?}", range.start(), range.end())?;
        for (r, c, v) in range.used_cells() {
            // Debug keeps the type: `Float(3.0)` and `String("3")` differ.
            writeln!(out, "{name}\t{r}\t{c}\t{v:?}")?;
        }
    }
    out.flush()?;
    Ok(())
}
