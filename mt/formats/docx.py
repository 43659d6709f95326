"""Word releases (.docx): python-docx for the package, lxml for the text.

Reader: read(path) -> Document. Every paragraph with text is one block, in this order:
the body (paragraphs, tables cell by cell, nested tables and content controls
included), then each section's own headers and footers (a part shared by sections
once). Block 0 (the title) is the first one. Inside a paragraph the runs that look
like most of its text are plain; a run formatted differently (bold, italic, another
style or font ...) and a hyperlink are spans, which mt.inline carries through
translation as placeholder tags; a field (page number) is masked, copied back as it is.

The walk reads the XML itself, element nodes only (a comment, processing instruction
or entity node in a paragraph is no run), and a run's look from its w:rPr: one pass,
linear in the number of runs (asking python-docx for each run's style and font cost
milliseconds per run).

Tracked changes are refused in one line; read(path, accept_changes=True) translates
the text as if they were accepted (mt.formats._ooxml), and the Document's `original`
is then the accepted package, which the writer rebuilds.

Writer: dumps(result, lang, meta) -> bytes: the original document with each
paragraph's text replaced by its translation in place, so styles (Title, Heading n,
List ...), numbering, tables, headers and footers stay; each span's run (or
hyperlink) is copied onto the words its tags came back around. A final paragraph in
its own style ("Machine Translation Note") and the core properties (language, title,
description, content status; rewritten in place, never a second core.xml) say that
it was machine translated, with model, revision and licence. Not translated:
paragraphs with simple fields, text boxes, footnotes, comments; they stay as they were.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from mt.errors import InputError
from mt.formats import _blocks, _ooxml, txt
from mt.formats._ooxml import CP, DC, W, check_container
from mt.inline.spans import block_targets, pieces
from mt.io import read_bytes
from mt.types import Document, ReleaseResult

# python-docx (about 50 ms to import) is imported inside the functions that use it: this
# module is loaded whenever a format is looked up by suffix, and most runs read no .docx.

NAME = "docx"
KIND = "release"
SUFFIXES = (".docx",)
ACCEPTS_CHANGES = True  # read(path, accept_changes=...)
NOTE_STYLE = "Machine Translation Note"

_P, _R, _T, _RPR, _LINK = W + "p", W + "r", W + "t", W + "rPr", W + "hyperlink"
_BLOCKS = {W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml"}  # hold paragraphs
_INLINES = {W + "smartTag", W + "customXml", W + "sdt", W + "sdtContent", W + "dir", W + "bdo"}  # hold runs
_TEXT = {_T, W + "tab", W + "ptab", W + "cr", W + "noBreakHyphen", W + "softHyphen", W + "lastRenderedPageBreak"}
_TOGGLES = (("b", "bold"), ("i", "italic"), ("strike", "strike"), ("dstrike", "double strike"),
            ("vanish", "hidden"), ("smallCaps", "small caps"), ("caps", "all caps"))
_VALUES = (("u", "underline"), ("vertAlign", "position"), ("rFonts", "font"), ("sz", "size"), ("color", "color"),
           ("highlight", "highlight"))
_FIELDS = ("style", *(n for _, n in _TOGGLES), *(n for _, n in _VALUES))
_OFF = {"0", "false", "off"}
_SLOT = {W + local: i for i, local in enumerate(["rStyle", *(t for t, _ in _TOGGLES), *(v for v, _ in _VALUES)])}
_PLAIN = (None,) * len(_FIELDS)

Item = tuple[str, etree._Element | list[etree._Element]]  # ("run" | "link" | "field", element(s))


def _open(data: bytes, name: str):
    import docx  # heavy: see the note at the imports

    check_container(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ... on damaged parts
        raise InputError(f"python-docx cannot read it ({type(exc).__name__}: {str(exc)[:120]})", file=name,
                         hint="open and save it again in Word or LibreOffice as .docx") from None


def prepared(data: bytes, name: str, accept_changes: bool = False) -> bytes:
    """The package as mt translates it: checked, and without tracked changes (refused,
    or accepted when asked)."""
    check_container(data, name)
    changes = _ooxml.tracked_changes(data, name)
    if not changes:
        return data
    if not accept_changes:
        raise InputError(f"{changes} tracked change{'s' if changes != 1 else ''}: accept or reject them first, "
                         "or pass --accept-changes", file=name)
    return _ooxml.accept_changes(data, name)


# -- walking the document (reader and writer alike) ---------------------------------

def _stories(document) -> Iterator[tuple[etree._Element, object]]:
    """(root element, part) of the body, then of each header and footer once."""
    yield document.element.body, document.part
    seen: set[int] = set()
    for section in document.sections:
        for item in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if item.is_linked_to_previous:
                continue
            part = item.part
            if id(part) not in seen:  # two sections may point at one header
                seen.add(id(part))
                yield part.element, part


def _paragraphs(root: etree._Element) -> Iterator[etree._Element]:
    """The w:p under `root` in reading order, through tables and content controls
    (not into text boxes); element nodes only; no recursion (deep nesting is cheap)."""
    stack = [iter(root)]
    while stack:
        for child in stack[-1]:
            if child.tag == _P:
                yield child
            elif child.tag in _BLOCKS:
                stack.append(iter(child))
                break
        else:
            stack.pop()


def _has_field(paragraph: etree._Element) -> bool:
    return next(paragraph.iter(W + "fldSimple"), None) is not None


def _run_text(run: etree._Element) -> str:
    """What python-docx's Run.text gives: text, tabs, line breaks (not page breaks)."""
    out = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append("".join(child.itertext()))
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag == W + "cr" or (tag == W + "br" and child.get(W + "type", "textWrapping") == "textWrapping"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _text(item: Item) -> str:
    kind, element = item
    if isinstance(element, list):
        return "".join(_text(("run" if e.tag == _R else "link", e)) for e in element)
    if kind == "link":
        return "".join(_run_text(run) for run in element.iter(_R))
    return _run_text(element)


def _field_char(run: etree._Element) -> str:
    found = run.find(W + "fldChar")
    return found.get(W + "fldCharType", "") if found is not None else ""


def _items(paragraph: etree._Element) -> tuple[list[Item], list[str]]:
    """In order: text runs, hyperlinks, and each complex field (begin ... end) as the
    list of its elements, with their texts; runs without text (drawings, references)
    are left out, and runs inside smart tags, content controls and bidi wrappers are
    read too."""
    items: list[Item] = []
    texts: list[str] = []
    field: list[etree._Element] | None = None
    depth = 0
    stack = [iter(paragraph)]
    while stack:
        for child in stack[-1]:
            if child.tag in _INLINES:
                stack.append(iter(child))
                break
            if child.tag not in (_R, _LINK):
                continue
            char = _field_char(child) if child.tag == _R else ""
            if char == "begin":
                depth += 1
                field = field if field is not None else []
            if field is not None:
                field.append(child)
                if char == "end":
                    depth -= 1
                    if depth == 0:
                        items.append(("field", field))
                        texts.append(_text(items[-1]))
                        field = None
                continue
            item: Item = ("run" if child.tag == _R else "link", child)
            text = _text(item)
            if text:
                items.append(item)
                texts.append(text)
        else:
            stack.pop()
    return items, texts  # the runs of a field that does not end in this paragraph stay where they are


def _toggle(element: etree._Element | None) -> bool | None:
    return None if element is None else element.get(W + "val", "true").lower() not in _OFF


def _value(local: str, element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if local == "rFonts":
        return element.get(W + "ascii") or element.get(W + "hAnsi")
    if local == "sz":
        value = element.get(W + "val", "")
        return f"{int(value) / 2:g}pt" if value.isdigit() else value
    return element.get(W + "val")


def _run_key(run: etree._Element, styles: dict[str, str]) -> tuple:
    """What a run looks like (style and the properties a reader sees), from its w:rPr:
    one look at each child (a long paragraph has tens of thousands of runs)."""
    properties = run.find(_RPR)
    if properties is None:
        return _PLAIN
    key: list = list(_PLAIN)
    for child in properties:
        at = _SLOT.get(child.tag)
        if at is None:
            continue
        if at == 0:
            style = child.get(W + "val")
            key[0] = styles.get(style, style) if style else None
        elif at <= len(_TOGGLES):
            key[at] = _toggle(child)
        else:
            key[at] = _value(child.tag[len(W):], child)
    return tuple(key)


def _describe(key: tuple, base: tuple | None) -> str:
    if base is None:
        return "formatting"
    changed = []
    for name, value, was in zip(_FIELDS, key, base, strict=True):
        if value == was:
            continue
        if value is True or (name == "underline" and value == "single") or (name == "position" and value):
            changed.append(value if name == "position" else name)
        elif value is None or value is False or value == "none":
            changed.append(f"no {name}")
        else:
            changed.append(f"{name} {value}")
    return ", ".join(changed) or "formatting"


class _Inline:
    """A paragraph's text-bearing items (runs, hyperlinks, fields) and the marks among
    them: `templates[mark - first_mark]` is the item a span copies."""

    def __init__(self, paragraph: etree._Element, part, styles: dict[str, str], first_mark: int,
                 described: dict[tuple, str]) -> None:
        self.paragraph = paragraph
        self.first_mark = first_mark
        self.items, texts = _items(paragraph)
        keys = [_run_key(element, styles) if kind == "run" else None for kind, element in self.items]
        sizes: dict[tuple, int] = {}
        for text, key in zip(texts, keys, strict=True):
            if key is not None:
                sizes[key] = sizes.get(key, 0) + len(text)
        self.base_key = max(sizes, key=lambda key: sizes[key]) if sizes else None
        self.base = next((item[1] for item, key in zip(self.items, keys, strict=True)
                          if key is not None and key == self.base_key), None)
        self.templates: list[Item] = []
        self.descriptions: list[str] = []
        self.pieces: list[_blocks.Piece] = []
        previous: tuple | None = None
        for item, key, text in zip(self.items, keys, texts, strict=True):
            kind, element = item
            if kind == "field":
                self.templates.append(item)
                self.descriptions.append("field")
                self.pieces.append((text, (), first_mark + len(self.templates) - 1))
                previous = None
                continue
            if kind == "link":
                assert not isinstance(element, list)
                address, fragment = _address(element, part), element.get(W + "anchor") or ""
                key, what = ("link", address, fragment), f"link {address or '#' + fragment}"
            else:
                assert key is not None  # a run
                if key == self.base_key:
                    what = ""
                else:
                    what = described.get((key, self.base_key)) or described.setdefault(
                        (key, self.base_key), _describe(key, self.base_key))
            if not what:
                marks: tuple[int, ...] = ()
            elif previous is not None and previous[0] == key:
                marks = previous[1]
            else:
                self.templates.append(item)
                self.descriptions.append(what)
                marks = (first_mark + len(self.templates) - 1,)
            previous = (key, marks)
            self.pieces.append((text, marks, None))


def _address(link: etree._Element, part) -> str:
    r_id = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    relationship = part.rels.get(r_id) if r_id else None
    return relationship.target_ref if relationship is not None else ""


def _styles(document) -> dict[str, str]:
    """Style id -> name (what a QA note shows)."""
    found = {}
    for style in document.styles.element.iter(W + "style"):
        name = style.find(W + "name")
        found[style.get(W + "styleId", "")] = name.get(W + "val") if name is not None else ""
    return found


def _walk(document) -> list[_Inline]:
    styles = _styles(document)
    described: dict[tuple, str] = {}  # (key, base key) -> what the QA report calls it
    found, mark = [], 0
    for root, part in _stories(document):
        for paragraph in _paragraphs(root):
            if _has_field(paragraph):
                continue
            inline = _Inline(paragraph, part, styles, mark, described)
            mark += len(inline.templates)
            found.append(inline)
    return found


# -- reader --------------------------------------------------------------------------

def read(path: str | Path, accept_changes: bool = False) -> Document:
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError("the file is empty", file=name, hint="give a .docx release")
    data = prepared(data, name, accept_changes)
    inlines = _walk(_open(data, name))
    blocks = [_blocks.build(inline.pieces, collapse=False) for inline in inlines]
    marks = [d for inline in inlines for d in inline.descriptions]
    return _blocks.document(blocks, marks, name, data, NAME)


# -- writer --------------------------------------------------------------------------

def _fill(inline: _Inline, text: str, spans) -> None:
    """Replace the paragraph's text-bearing items by runs for the translation."""
    if not inline.items:
        return
    first = inline.items[0][1]
    anchor = first[0] if isinstance(first, list) else first
    new = []
    placed: set[int] = set()
    for piece, marks, mask in pieces(text, spans):
        if mask is not None:
            if mask not in placed:
                placed.add(mask)
                field = inline.templates[mask - inline.first_mark][1]
                new += [copy.deepcopy(element) for element in field]
            continue
        if piece:
            new.append(_made(inline, [inline.templates[m - inline.first_mark] for m in marks], piece))
    for element in new:
        anchor.addprevious(element)
    for kind, element in inline.items:
        for old in element if isinstance(element, list) else [element]:
            if kind != "field" and _keeps_content(old):
                _strip_text(old)  # a run with a drawing or a page break besides its text keeps them
            elif old.getparent() is not None:
                old.getparent().remove(old)


def _made(inline: _Inline, templates: list[Item], text: str) -> etree._Element:
    """A run (or a hyperlink with one run) for `text`, looking like `templates` (the
    spans around it, outermost first): the innermost run's look, inside the link if
    one of them is a link."""
    link = next((element for kind, element in templates if kind == "link" and not isinstance(element, list)), None)
    run = next((element for kind, element in reversed(templates) if kind == "run" and not isinstance(element, list)),
               None)
    if run is None and link is not None:
        run = next(link.iter(_R), None)
    made = _run_with(run if run is not None else inline.base, text)
    if link is None:
        return made
    wrapper = etree.Element(_LINK, attrib=dict(link.attrib), nsmap=link.nsmap)
    wrapper.append(made)
    return wrapper


def _run_with(template: etree._Element | None, text: str) -> etree._Element:
    """A new w:r with `template`'s properties and `text` (tabs and line breaks as
    w:tab and w:br, as python-docx writes them)."""
    run = etree.Element(_R, nsmap={"w": W[1:-1]})
    if template is not None:
        run.attrib.update(template.attrib)
        properties = template.find(_RPR)
        if properties is not None:
            run.append(copy.deepcopy(properties))
    buffer = ""
    for char in text + "\0":
        if char in "\t\n\r\0":
            if buffer:
                t = etree.SubElement(run, _T)
                t.text = buffer
                if buffer != buffer.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                buffer = ""
            if char != "\0":
                etree.SubElement(run, W + "tab" if char == "\t" else W + "br")
        else:
            buffer += char
    return run


def _keeps_content(element: etree._Element) -> bool:
    """Whether a run (or the runs of a link) holds more than text and properties."""
    for run in [element] if element.tag == _R else element.iter(_R):
        for child in run:
            if child.tag == W + "br" and child.get(W + "type", "textWrapping") == "textWrapping":
                continue
            if child.tag != _RPR and child.tag not in _TEXT and isinstance(child.tag, str):
                return True
    return False


def _strip_text(element: etree._Element) -> None:
    for run in [element] if element.tag == _R else list(element.iter(_R)):
        for child in list(run):
            if child.tag in _TEXT or (child.tag == W + "br" and child.get(W + "type", "textWrapping") == "textWrapping"):
                run.remove(child)


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    doc = result.document
    if not doc.original or doc.format != NAME:  # read from another format: a simple document
        return _from_plain(result, lang, meta)
    document = _open(doc.original, doc.path)  # already checked and without tracked changes (see read)
    targets = iter(block_targets(result, lang))
    title = ""
    for inline in _walk(document):
        if not _blocks.build(inline.pieces, collapse=False)[0]:
            continue
        text, spans = next(targets, ("", ()))
        title = title or text
        _fill(inline, text, spans)
    return _stamped(document, lang, title, meta)


def _from_plain(result: ReleaseResult, lang: str, meta: dict | None) -> bytes:
    """A .docx for a release read from text: Title, then Normal paragraphs."""
    import docx  # heavy: see the note at the imports

    title, *body = txt.paragraphs(result, lang)
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for paragraph in body:
        document.add_paragraph(paragraph)
    return _stamped(document, lang, title, meta)


def _stamped(document, lang: str, title: str, meta: dict | None) -> bytes:
    """The document with the machine-translation note as its last paragraph (in its
    own paragraph style), saved; then its core properties set in place."""
    note = _blocks.machine_note(lang, meta)
    document.add_paragraph(note, style=_note_style(document))
    out = io.BytesIO()
    document.save(out)
    return _ooxml.set_core_properties(out.getvalue(), [
        (DC, "language", lang), (DC, "title", title[:255]), (DC, "description", note),
        (CP, "contentStatus", "machine translation draft"), (CP, "keywords", "machine translation"),
        (CP, "lastModifiedBy", "mt")])


def _note_style(document):
    """The paragraph style of the note: the document's default paragraph style, in
    italics and smaller; made once, found again in a document mt wrote before."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt  # heavy: see the note at the imports

    styles = document.styles
    existing = next((s for s in styles if s.name == NOTE_STYLE and s.type == WD_STYLE_TYPE.PARAGRAPH), None)
    if existing is not None:
        return existing
    style = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    style.font.italic = True
    style.font.size = Pt(8)
    style.paragraph_format.space_before = Pt(12)
    style.quick_style = True
    return style
