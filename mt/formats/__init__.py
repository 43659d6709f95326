"""File formats: one format, one module (translate-toolkit's way).

Each module in this package describes itself with three constants and offers a
reader, a writer or both:

    NAME      registry name, e.g. "xliff"
    KIND      what the file holds:
                "release"   a release or a translated draft of one (txt, md, docx, html)
                "bilingual" source and target per sentence (xliff: XLIFF 2.0, xliff12: 1.2;
                            read_bilingual() picks the reader by the file's version)
                "glossary"  terminology (tbx: TBX v3, reads 2008 too; csv). mt.formats.tbx2008,
                            the TBX-Basic 2008 writer, is reached through tbx (the CLI's
                            --tbx-version), not by name or suffix
                "memory"    translation-memory units (tmx)
    SUFFIXES  file name endings it is chosen by, e.g. (".xlf", ".xliff")

    read(path) -> content       release: mt.types.Document; bilingual: xliff.Bilingual;
                                glossary: list[GlossaryEntry]; memory: list[mt.tm.MemoryUnit]
    dumps(content, ...) -> str | bytes
                                release/bilingual: dumps(result, lang, meta), one target
                                language of an mt.types.ReleaseResult;
                                glossary: dumps(entries); memory: dumps(units)

A release format whose files can carry tracked changes (docx) sets ACCEPTS_CHANGES = True
and takes read(path, accept_changes=False): refused in one line, or read as accepted.

Release formats with structure (docx, html, md) also fill Document.markup (inline Spans
per block), .marks, .original (the file's bytes) and .format; the pipeline then carries
the spans through translation (mt.inline) and their writers rebuild the original with
the translated text. Given a release read from another format, they write a simple
document (title, paragraphs). mt.formats._blocks has what these readers share.

Readers raise mt.errors.InputError (GlossaryError for glossaries) naming file and line;
writers return the file's content and leave writing to mt.io.write_files_atomically.
Adding a format means adding one module and one line in FORMATS.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from lxml import etree

from mt.formats import _xml
from mt.types import Document

# name -> module; imported only when used.
FORMATS: dict[str, str] = {
    "txt": "mt.formats.txt",
    "md": "mt.formats.md",
    "docx": "mt.formats.docx",
    "html": "mt.formats.html",
    "xliff": "mt.formats.xliff",
    "xliff12": "mt.formats.xliff12",
    "tmx": "mt.formats.tmx",
    "tbx": "mt.formats.tbx",
    "csv": "mt.formats.csv",
}


def get(name: str) -> ModuleType:
    """The module for format `name` (KeyError for an unknown name)."""
    return importlib.import_module(FORMATS[name])


def names(kind: str) -> list[str]:
    """Registered formats of one KIND, in registry order."""
    return [name for name in FORMATS if get(name).KIND == kind]


def for_path(path: str | Path, kinds: tuple[str, ...], default: str | None = None) -> ModuleType | None:
    """The module whose SUFFIXES end `path`, among formats of `kinds`; else `default`'s."""
    suffix = Path(str(path)).suffix.lower()
    for name in FORMATS:
        module = get(name)
        if module.KIND in kinds and suffix in module.SUFFIXES:
            return module
    return get(default) if default else None


def read_release(path: str | Path, accept_changes: bool = False) -> Document:
    """Read a release into a Document, the format chosen by the file name (.md and
    .markdown are Markdown, anything else plain text; "-" reads stdin as plain text).
    See mt.formats.txt.parse for the paragraph rule and mt.io.decode_bytes for encodings.
    `accept_changes`: a format with tracked changes (ACCEPTS_CHANGES: .docx) reads the
    text as if they were accepted instead of refusing the file."""
    module = get("txt") if str(path) == "-" else for_path(path, ("release",), default="txt")
    assert module is not None  # a default is given
    if getattr(module, "ACCEPTS_CHANGES", False):
        document: Document = module.read(path, accept_changes=accept_changes)
    else:
        document = module.read(path)
    return document


def read_bilingual(path: str | Path) -> Any:
    """A post-edited XLIFF file, 2.0 or 1.2 (chosen by the root's namespace and version,
    whatever the file's name), as mt.formats.xliff.Bilingual (typed Any: naming that class
    here would make the package import its own format modules)."""
    tree = _xml.parse(path, "XLIFF")
    root = tree.getroot()
    is_12 = etree.QName(root).namespace == get("xliff12").NS or root.get("version", "").startswith("1.")
    return get("xliff12" if is_12 else "xliff").read_tree(tree, str(path))


def parse_release(text: str, name: str = "-", markdown: bool = False) -> Document:
    """Text -> Document (see mt.formats.txt.parse and mt.formats.md.parse)."""
    document: Document = get("md" if markdown else "txt").parse(text, name)
    return document
