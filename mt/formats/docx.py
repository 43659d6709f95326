"""Word releases (.docx), through python-docx.

Reader: read(path) -> Document. Every paragraph with text is one block, in this order:
the body (paragraphs and tables, cell by cell, nested tables included), then each
section's own headers and footers. Block 0 (the title) is the first one. Inside a
paragraph the runs that look like most of its text are plain; a run formatted
differently (bold, italic, another font ...) and a hyperlink are spans, which
mt.inline carries through translation as placeholder tags.

Writer: dumps(result, lang, meta) -> bytes: the original document with each
paragraph's text replaced by its translation in place, so styles (Title, Heading n,
List ...), numbering, tables, headers and footers stay; each span's run (or
hyperlink) is copied onto the words its tags came back around. Core properties
(language, title, comments, content status) and a final paragraph say that it was
machine translated, with model, revision and licence. Not translated: paragraphs with
fields (page numbers), text boxes, footnotes, comments; they stay as they were.

Before python-docx sees a file it is checked: a zip (not a renamed .doc), no
password (an encrypted Word file is an OLE compound file), and limits on members,
total uncompressed size and compression ratio (zip bombs).
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from mt.errors import InputError
from mt.formats import _blocks, txt
from mt.inline.spans import block_targets, pieces
from mt.io import read_bytes
from mt.types import Document, ReleaseResult

if TYPE_CHECKING:
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

# python-docx (about 50 ms to import) is imported inside the functions that use it: this
# module is loaded whenever a format is looked up by suffix, and most runs read no .docx.

NAME = "docx"
KIND = "release"
SUFFIXES = (".docx",)

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200                        # uncompressed / compressed, per member over 1 MiB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_FIELD_TAGS = ("fldSimple",)  # simple fields hold their runs inside: such paragraphs are left as they are
_KEY_FIELDS = ("bold", "italic", "underline", "strike", "superscript", "subscript", "small_caps", "all_caps",
               "name", "size")


# -- safety ----------------------------------------------------------------------------

def check_container(data: bytes, name: str) -> None:
    """Refuse what python-docx should not open: not a zip, encrypted, a zip bomb."""
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise InputError("the document is password-protected (encrypted)", file=name,
                             hint="remove the password in Word (File > Info > Protect Document > "
                                  "Encrypt with Password, empty it) and save again as .docx")
        raise InputError("a Word 97-2003 .doc file, not .docx", file=name, hint="save it as .docx (Word 2007 or later)")
    if not data.startswith(b"PK"):
        raise InputError("not a Word .docx file (not a zip archive)", file=name,
                         hint="give a .docx saved by Word or LibreOffice")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(f"not a readable .docx (broken zip archive: {exc})", file=name,
                         hint="open and save it again in Word or LibreOffice") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"the archive has {len(members)} members (at most {MAX_MEMBERS})", file=name,
                         hint="this is not an ordinary Word document; save it again in Word")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise InputError(f"the archive unpacks to {total // 2**20} MiB (at most {MAX_UNCOMPRESSED // 2**20} MiB): "
                         "a zip bomb or not a release", file=name, hint="give the release as an ordinary .docx")
    for m in members:
        if m.file_size > 2**20 and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise InputError(f"member {m.filename} is compressed {m.file_size // max(1, m.compress_size)}:1 "
                             f"(at most {MAX_RATIO}:1): a zip bomb", file=name,
                             hint="give the release as an ordinary .docx")
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise InputError("a zip archive but not a Word document (no word/document.xml)", file=name,
                         hint="give a .docx saved by Word or LibreOffice")


def _open(data: bytes, name: str):
    import docx  # heavy: see the note at the imports

    check_container(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ... on damaged parts
        raise InputError(f"python-docx cannot read it ({type(exc).__name__}: {str(exc)[:120]})", file=name,
                         hint="open and save it again in Word or LibreOffice as .docx") from None


# -- walking the document (reader and writer alike) ---------------------------------

def _paragraphs(document) -> Iterator:
    """Every paragraph in reading order: body and tables, then headers and footers."""
    yield from _container(document)
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from _container(part)


def _container(container) -> Iterator:
    from docx.table import Table
    from docx.text.paragraph import Paragraph  # heavy: see the note at the imports

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Table):
            seen = set()
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell appears once per grid column
                        seen.add(id(cell._tc))
                        yield from _container(cell)


def _has_field(paragraph) -> bool:
    return any(el.tag.rsplit("}", 1)[-1] in _FIELD_TAGS for el in paragraph._p.iter())


def _run_key(run) -> tuple:
    """What a run looks like: style and the font properties a reader sees."""
    try:
        font = run.font
        color = font.color.rgb if font.color is not None and font.color.type is not None else None
        return (run.style.name if run.style is not None else None, *(getattr(font, f) for f in _KEY_FIELDS),
                str(color), str(font.highlight_color))
    except (ValueError, KeyError, AttributeError):  # a value python-docx has no name for: compare the XML
        properties = run._r.rPr
        return ("xml", etree.tostring(properties) if properties is not None else b"")


def _describe(key: tuple, base: tuple | None) -> str:
    if key[0] == "xml" or base is None or base[0] == "xml":
        return "formatting"
    names = ["style"] + list(_KEY_FIELDS) + ["color", "highlight"]
    changed = [n.replace("_", " ") if v is True else f"{n} {v}" for n, v, b in zip(names, key, base, strict=True) if v != b]
    return ", ".join(changed) or "formatting"


class _Inline:
    """A paragraph's text-bearing items (runs, hyperlinks, fields) and the marks among
    them. A field (a page number: the runs from its begin to its end mark) is masked:
    copied back as it is."""

    def __init__(self, paragraph, first_mark: int) -> None:
        from docx.text.hyperlink import Hyperlink  # heavy: see the note at the imports
        from docx.text.run import Run

        self.paragraph = paragraph
        self.first_mark = first_mark
        groups = _groups(paragraph)
        self.elements = [el for group in groups for el in _elements(group)]
        runs = [g for g in groups if isinstance(g, Run)]
        sizes: dict[tuple, int] = {}
        for run in runs:
            sizes[_run_key(run)] = sizes.get(_run_key(run), 0) + len(run.text)
        self.base_key = max(sizes, key=lambda key: sizes[key]) if sizes else None
        self.base = next((run for run in runs if _run_key(run) == self.base_key), None)
        self.templates: list = []      # mark - first_mark -> item (run, hyperlink, field runs) to copy
        self.descriptions: list[str] = []
        self.pieces: list[_blocks.Piece] = []
        previous = None
        for item in groups:
            if isinstance(item, list):  # a field
                self.templates.append(item)
                self.descriptions.append("field")
                self.pieces.append(("".join(run.text for run in item), (), first_mark + len(self.templates) - 1))
                previous = None
                continue
            if isinstance(item, Hyperlink):
                key, what = ("link", item.address, item.fragment), f"link {item.address or '#' + item.fragment}"
            else:
                key = _run_key(item)
                what = _describe(key, self.base_key) if key != self.base_key else ""
            if not what:
                marks: tuple[int, ...] = ()
            elif previous is not None and previous[0] == key:
                marks = previous[1]
            else:
                self.templates.append(item)
                self.descriptions.append(what)
                marks = (first_mark + len(self.templates) - 1,)
            previous = (key, marks)
            self.pieces.append((item.text, marks, None))


def _field_char(run) -> str:
    from docx.oxml.ns import qn  # heavy: see the note at the imports

    found = run._r.find(qn("w:fldChar"))
    return found.get(qn("w:fldCharType"), "") if found is not None else ""


def _groups(paragraph) -> list[Run | Hyperlink | list[Run]]:
    """In order: text runs and hyperlinks, and each complex field as the list of its
    runs; runs without text (drawings) are left out."""
    from docx.text.hyperlink import Hyperlink  # heavy: see the note at the imports

    groups: list[Run | Hyperlink | list[Run]] = []
    field: list[Run] | None = None
    depth = 0
    for item in paragraph.iter_inner_content():
        char = "" if isinstance(item, Hyperlink) else _field_char(item)
        if char == "begin":
            depth += 1
            field = field if field is not None else []
        if field is not None:
            field.append(item)
            if char == "end":
                depth -= 1
                if depth == 0:
                    groups.append(field)
                    field = None
            continue
        if item.text:
            groups.append(item)
    return groups  # the runs of a field that does not end in this paragraph stay where they are


def _elements(item: Run | Hyperlink | list[Run]) -> list:
    return [run._element for run in item] if isinstance(item, list) else [item._element]


def _walk(document) -> list[_Inline]:
    found, mark = [], 0
    for paragraph in _paragraphs(document):
        if _has_field(paragraph):
            continue
        inline = _Inline(paragraph, mark)
        mark += len(inline.templates)
        found.append(inline)
    return found


# -- reader --------------------------------------------------------------------------

def read(path: str | Path) -> Document:
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError("the file is empty", file=name, hint="give a .docx release")
    inlines = _walk(_open(data, name))
    blocks = [_blocks.build(inline.pieces, collapse=False) for inline in inlines]
    marks = [d for inline in inlines for d in inline.descriptions]
    return _blocks.document(blocks, marks, name, data, NAME)


# -- writer --------------------------------------------------------------------------

def _fill(inline: _Inline, text: str, spans) -> None:
    """Replace the paragraph's text-bearing items by runs for the translation."""
    if not inline.elements:
        return
    anchor = inline.elements[0]
    new = []
    placed: set[int] = set()
    for piece, marks, mask in pieces(text, spans):
        if mask is not None:
            if mask not in placed:
                placed.add(mask)
                new += [copy.deepcopy(run._element) for run in inline.templates[mask - inline.first_mark]]
            continue
        if not piece:
            continue
        template = inline.templates[marks[-1] - inline.first_mark] if marks else inline.base
        new.append(_copy_with_text(template, piece) if template is not None else _plain_run(inline, piece))
    for element in new:
        anchor.addprevious(element)
    for element in inline.elements:
        element.getparent().remove(element)


def _copy_with_text(item, text: str):
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run  # heavy: see the note at the imports

    if isinstance(item, Hyperlink):
        element = copy.deepcopy(item._element)
        runs = element.r_lst
        for extra in runs[1:]:
            element.remove(extra)
        if runs:
            # python-docx types Hyperlink._parent as ProvidesXmlPart; it is the Paragraph
            # (a ProvidesStoryPart) the hyperlink was made with
            Run(runs[0], item._parent).text = text  # type: ignore[arg-type]
        return element
    element = copy.deepcopy(item._r)
    Run(element, item._parent).text = text
    return element


def _plain_run(inline: _Inline, text: str):
    run = inline.paragraph.add_run(text)  # appended; _fill moves it before the anchor
    element = run._r
    element.getparent().remove(element)
    return element


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    doc = result.document
    if not doc.original or doc.format != NAME:  # read from another format: a simple document
        return _from_plain(result, lang, meta)
    document = _open(doc.original, doc.path)
    targets = iter(block_targets(result, lang))
    title = ""
    for inline in _walk(document):
        if not _blocks.build(inline.pieces, collapse=False)[0]:
            continue
        text, spans = next(targets, ("", ()))
        title = title or text
        _fill(inline, text, spans)
    _stamp(document, lang, title, meta)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _from_plain(result: ReleaseResult, lang: str, meta: dict | None) -> bytes:
    """A .docx for a release read from text: Title, then Normal paragraphs."""
    import docx  # heavy: see the note at the imports

    title, *body = txt.paragraphs(result, lang)
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for paragraph in body:
        document.add_paragraph(paragraph)
    _stamp(document, lang, title, meta)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _stamp(document, lang: str, title: str, meta: dict | None) -> None:
    note = _blocks.machine_note(lang, meta)
    props = document.core_properties
    props.language = lang
    props.title = title[:255]
    props.comments = note
    props.content_status = "machine translation draft"
    props.keywords = "machine translation"
    props.last_modified_by = "mt"
    paragraph = document.add_paragraph()
    paragraph.add_run(note).italic = True
