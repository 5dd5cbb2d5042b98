//! Embeds every file under `mappings/` into the binary, so the product needs
//! nothing beside the executable; `mappings::Mappings::with_overrides` can
//! still replace any of them from a directory at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut names: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&root) {
        for e in entries.flatten() {
            let p = e.path();
            println!("cargo:rerun-if-changed={}", p.display());
            if let Some(n) = p.file_name().and_then(|n| n.to_str())
                && p.is_file()
                && !n.starts_with('.')
            {
                names.push(n.to_string());
            }
        }
    }
    names.sort();
    let mut out = String::from("pub static EMBEDDED: &[(&str, &str)] = &[\n");
    for n in &names {
        let full = root.join(n);
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            full.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("mappings_embedded.rs");
    std::fs::write(dest, out).expect("write embedded mappings list");
}
