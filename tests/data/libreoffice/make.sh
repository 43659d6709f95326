#!/bin/sh
# Rebuild the .docx fixtures from the hand-written flat ODF sources with LibreOffice
# (Debian: apt-get install libreoffice-writer-nogui). See README.md.
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
# "Word 2007-365" in LibreOffice's Save As dialog:
soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$out" release.fodt tracked.fodt
# "Office Open XML Text (Transitional)": writes the core-properties relationship type
# in lower case ("officedocument"), which python-docx does not recognise.
mkdir "$out/ooxml"
soffice --headless --convert-to 'docx:Office Open XML Text' --outdir "$out/ooxml" release.fodt
mv "$out/release.docx" "$out/tracked.docx" .
mv "$out/ooxml/release.docx" release-ooxml.docx
rm -r "$out"
sha256sum release.fodt tracked.fodt release.docx release-ooxml.docx tracked.docx
