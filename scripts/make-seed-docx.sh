#!/bin/sh
# DOCX renditions of the corpus seeds, made by two independent writers.
#
# For each corpus/*.txt: `planrec dump` (the TXT reader) → HTML of its
# paragraphs and tables (scripts/seed_html.py) → DOCX by pandoc and by
# LibreOffice Writer → fixtures/seeds-docx/NAME.pandoc.docx and
# NAME.libreoffice.docx. tests/docx_seeds.rs checks that the DOCX reader
# finds the same tables and cell texts in them as the TXT reader in the TXT.
#
# Needs: cargo, python3, pandoc, LibreOffice (soffice). Rerunnable; output
# files are replaced. Usage: scripts/make-seed-docx.sh [SEED.txt ...]
set -eu
cd "$(dirname "$0")/.."
out=fixtures/seeds-docx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cargo build --release --quiet
if [ "$#" -eq 0 ]; then set -- corpus/*.txt; fi
export SOURCE_DATE_EPOCH=0
for seed in "$@"; do
    name=$(basename "$seed" .txt)
    ./target/release/planrec dump "$seed" > "$tmp/$name.json"
    python3 scripts/seed_html.py < "$tmp/$name.json" > "$tmp/$name.html"
    pandoc -f html -t docx -o "$out/$name.pandoc.docx" "$tmp/$name.html"
    soffice --headless --norestore "-env:UserInstallation=file://$tmp/lo-profile" \
        --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' \
        --outdir "$tmp" "$tmp/$name.html" > /dev/null 2>&1
    mv "$tmp/$name.docx" "$out/$name.libreoffice.docx"
    echo "$name: $(wc -c < "$out/$name.pandoc.docx") bytes (pandoc), $(wc -c < "$out/$name.libreoffice.docx") bytes (LibreOffice)"
done
