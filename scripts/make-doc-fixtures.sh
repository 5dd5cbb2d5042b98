#!/bin/sh
# Makes the Word 97-2003 fixtures from their DOCX twins with LibreOffice
# (7.4.7.2 was used): fixtures/seeds-doc/ from the LibreOffice renditions of
# the corpus plans, fixtures/doc/ from the hand-made feature fixtures.
# tests/doc_reader.rs reads each .doc against the DOCX it was saved from.
set -eu
cd "$(dirname "$0")/.."
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --convert-to doc \
    --outdir fixtures/seeds-doc fixtures/seeds-docx/*.libreoffice.docx
for f in fields headers_footers headings hidden_text hyperlinks lists \
    nested_tables notes tables text_runs tracked_changes; do
    soffice -env:UserInstallation=file://"$profile" --headless --convert-to doc \
        --outdir fixtures/doc "fixtures/docx/$f.docx"
done
