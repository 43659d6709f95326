"""HTML pages (.html, .htm), through lxml.html.

Reader: read(path) -> Document. Blocks, in document order: the text of each
block-level element (title, h1-h6, p, li, td ...; text directly inside a div or
around a nested list too), and each alt and title attribute. Inline elements inside
a block (a, b, strong, em, span ...) are spans; inline code, kbd, samp, var, line
breaks, images and comments are masked: kept as they are, the engine sees a
placeholder. Never translated: script, style, pre, code, textarea, template, svg,
math, noscript, and any element marked translate="no" (or class "notranslate"); the
page's scripts are never executed (lxml only parses).

Bytes are decoded per the byte-order mark, else the <meta charset> (or http-equiv
content-type) in the first 4 KiB once the bytes bear it out (see decode), else UTF-8;
text that does not decode, or UTF-8 declared as an 8-bit code page, is a one-line
error naming file, line and encoding. A page beyond libxml2's limits (elements nested
deeper than 256, a text run over 10 MB) is refused, never read shorter.

Writer: dumps(result, lang, meta) -> str: the page with each block's text replaced
in place (inline elements copied onto the words their tags came back around),
<html lang> set to the target, charset declared as UTF-8 (the file is written as
UTF-8), and a <meta name="mt-machine-translation"> with model, revision and licence.
Scripts, styles and all other markup are left as lxml parsed them.
"""

from __future__ import annotations

import codecs
import copy
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

import lxml.html
from lxml import etree

from mt.errors import InputError
from mt.formats import _blocks, txt
from mt.inline.spans import block_targets, pieces
from mt.io import is_utf8, read_bytes, utf16_without_bom
from mt.types import Document, ReleaseResult, Span

NAME = "html"
KIND = "release"
SUFFIXES = (".html", ".htm")

SKIP = {"script", "style", "pre", "code", "textarea", "template", "svg", "math", "noscript", "iframe", "object",
        "canvas", "select"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "font", "i", "ins", "del", "mark", "q",
          "s", "small", "span", "strong", "sub", "sup", "time", "u", "label"}
MASKED = {"code", "kbd", "samp", "var", "br", "img", "wbr", "input", "script", "style", "svg", "math"}
ATTRIBUTES = ("alt", "title")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


# -- decoding ------------------------------------------------------------------------

def decode(data: bytes, name: str) -> str:
    """The page's text: byte-order mark, else <meta charset> once the bytes bear it out,
    else UTF-8. A declaration is believed only after a decode test: one that names an
    encoding the <meta> tag itself could not have been read in (UTF-16, UTF-32: their
    ASCII letters have zero bytes between them) is ignored, as browsers do; one that
    names an 8-bit code page for bytes that are valid UTF-8 with non-ASCII letters is
    refused (the page is UTF-8 and says otherwise: its text would become mojibake)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], codec, name, "its byte-order mark", len(bom))
    utf16 = utf16_without_bom(data)
    if utf16:
        raise InputError(f"UTF-16 without a byte-order mark ({utf16[-2:].upper()})", file=name,
                         hint="save the page as UTF-8 with <meta charset=\"utf-8\">")
    declared = _META_CHARSET.search(data[:4096])
    if not declared:
        return _decode(data, "utf-8", name, "no <meta charset>, so UTF-8", 0)
    label = declared.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise InputError(f"unknown character encoding '{label}' in <meta charset>", file=name,
                         hint="declare a known encoding, best <meta charset=\"utf-8\"> with the file saved as UTF-8"
                         ) from None
    if not _ascii_compatible(codec):
        return _decode(data, "utf-8", name, f"<meta charset={label}> cannot be true of a page whose <meta> reads "
                       "as ASCII, so UTF-8", 0)
    if codec != "utf-8" and not data.isascii() and is_utf8(data):
        line = data[:4096].count(b"\n", 0, declared.start()) + 1
        raise InputError(f"the page declares <meta charset={label}> but its bytes are UTF-8 text", file=name,
                         line=line, hint="correct the declaration to <meta charset=\"utf-8\">")
    return _decode(data, codec, name, f"<meta charset={label}>", 0)


def _ascii_compatible(codec: str) -> bool:
    """Whether `codec` writes ASCII as ASCII (a <meta> tag in it can be found in the bytes)."""
    probe = "<meta charset=x>"
    try:
        return probe.encode(codec) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        return False



def _decode(data: bytes, codec: str, name: str, why: str, offset: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not {codec} text ({why}): byte 0x{data[exc.start]:02X} at byte offset "
                         f"{exc.start + offset} cannot be decoded", file=name, line=line,
                         hint="save the page as UTF-8 with <meta charset=\"utf-8\">, or declare its real encoding"
                         ) from None


def parse(text: str, name: str = "-"):
    """The page as lxml elements. libxml2's limits stay on (elements nested deeper than
    256 levels, a text run over 10,000,000 bytes): a page beyond them is refused in one
    line naming the limit, never read as the shorter page libxml2 stops at."""
    text = _XML_DECLARATION.sub("", text.removeprefix("\ufeff"), count=1)
    if not text.strip():
        raise InputError("the file is empty", file=name, hint="give an HTML page")
    # No network, no entities: lxml.html never fetches anything and does not run scripts.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=False, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not an HTML page ({exc})", file=name, hint="give an .html file") from None
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise _beyond_limit(error, name)
    return root


def _beyond_limit(error, name: str) -> InputError:
    message = " ".join((error.message or "").split())
    depth = re.search(r"depth in document: (\d+)", message)
    if depth:
        return InputError(f"elements nested deeper than {depth.group(1)} levels, the most mt reads "
                          "(the HTML parser's depth limit)", file=name, line=error.line or None,
                          hint="flatten the page's markup (fewer nested <div>s) and try again")
    return InputError(f"the page is beyond a limit of the HTML parser ({message.rstrip('.')}): mt reads only "
                      "pages within it", file=name, line=error.line or None,
                      hint="split the page, or break its longest paragraph into several")


# -- walking the page (reader and writer alike) --------------------------------------

def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else "#comment"


def _skipped(element) -> bool:
    if _tag(element) in SKIP:
        return True
    return element.get("translate", "").lower() == "no" or "notranslate" in element.get("class", "").split()


class _Run:
    """A run of inline content inside a container: text after `anchor` (the
    container's .text when anchor is None, else a block child's .tail) and the inline
    children `nodes` up to the next block child."""

    def __init__(self, container, anchor) -> None:
        self.container = container
        self.anchor = anchor
        self.nodes: list = []


class _RunBlock(NamedTuple):
    """A block of inline content, as pieces."""
    run: _Run
    pieces: list[_blocks.Piece]


class _AttrBlock(NamedTuple):
    """A block that is an attribute's value (alt, title)."""
    element: Any  # an lxml element (lxml is untyped)
    attr: str


class _Walk:
    """Blocks in document order: text runs and attribute values. Marks are numbered
    in the same order (an element before the elements inside it)."""

    def __init__(self, root) -> None:
        self.blocks: list[_RunBlock | _AttrBlock] = []
        self.elements: list = []                      # mark -> element
        self.descriptions: list[str] = []
        self._container(root)

    def _mark(self, element, what: str) -> int:
        self.elements.append(element)
        self.descriptions.append(what)
        return len(self.elements) - 1

    def _attributes(self, element) -> None:
        for attr in ATTRIBUTES:
            if (element.get(attr) or "").strip():
                self.blocks.append(_AttrBlock(element, attr))

    def _container(self, element) -> None:
        self._attributes(element)
        run = _Run(element, None)
        for child in element:
            if _tag(child) == "#comment" or _tag(child) in MASKED or (
                    _tag(child) in INLINE and not _has_block(child)):
                run.nodes.append(child)
                continue
            self._flush(run)
            if not _skipped(child):
                self._container(child)
            run = _Run(element, child)
        self._flush(run)

    def _flush(self, run: _Run) -> None:
        container = run.container
        head = (container.text if run.anchor is None else run.anchor.tail) or ""
        pieces: list[_blocks.Piece] = [(head, (), None)]
        for node in run.nodes:
            pieces += self._inline(node, ())
            pieces.append((node.tail or "", (), None))
        self.blocks.append(_RunBlock(run, pieces))

    def _inline(self, node, marks: tuple[int, ...]) -> list[_blocks.Piece]:
        tag = _tag(node)
        if tag == "#comment" or tag in MASKED or _skipped(node):
            if tag != "#comment":
                self._attributes(node)
            content = " " if tag == "br" else (node.text_content() if tag in ("code", "kbd", "samp", "var") else "")
            return [(content, marks, self._mark(node, "#comment" if tag == "#comment" else f"<{tag}>"))]
        self._attributes(node)
        href = node.get("href")
        mark = self._mark(node, f"link {href}" if tag == "a" and href else f"<{tag}>")
        inner = (*marks, mark)
        pieces: list[_blocks.Piece] = [(node.text or "", inner, None)]
        for child in node:
            pieces += self._inline(child, inner)
            pieces.append((child.tail or "", inner, None))
        return pieces

    def items(self) -> Iterator[tuple[_RunBlock | _AttrBlock, str, tuple[Span, ...]]]:
        """(block, text, spans) per block, empty ones included."""
        for block in self.blocks:
            if isinstance(block, _AttrBlock):
                text, spans = _blocks.build([(block.element.get(block.attr), (), None)])
            else:
                text, spans = _blocks.build(block.pieces)
            yield block, text, spans


def _has_block(element) -> bool:
    return any(isinstance(d.tag, str) and d.tag.lower() not in INLINE | MASKED for d in element.iterdescendants())


# -- reader --------------------------------------------------------------------------

def read(path: str | Path) -> Document:
    name = str(path)
    data = read_bytes(path)
    if not data.strip():
        raise InputError("the file is empty", file=name, hint="give an HTML page")
    walk = _Walk(parse(decode(data, name), name))
    blocks = [(text, spans) for _, text, spans in walk.items()]
    return _blocks.document(blocks, walk.descriptions, name, data, NAME)


# -- writer --------------------------------------------------------------------------

def _fill(walk: _Walk, run: _Run, text: str, spans) -> None:
    """Replace the run's text and inline nodes by the translation's pieces."""
    old_head = (run.container.text if run.anchor is None else run.anchor.tail) or ""
    old_tail = (run.nodes[-1].tail if run.nodes else old_head) or ""
    lead = old_head[:len(old_head) - len(old_head.lstrip())]
    trail = old_tail[len(old_tail.rstrip()):] if text else ""
    top: list = []         # new top-level nodes
    head = [lead]          # text before the first node
    stack: list[tuple[int, Any]] = []  # (mark, new lxml element) open from the outside in
    placed: set[int] = set()

    def append_text(value: str) -> None:
        if not value:
            return
        if stack:
            parent = stack[-1][1]
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + value
            else:
                parent.text = (parent.text or "") + value
        elif top:
            top[-1].tail = (top[-1].tail or "") + value
        else:
            head.append(value)

    def append_node(node) -> None:
        (stack[-1][1].append(node) if stack else top.append(node))

    for value, marks, mask in pieces(text, spans):
        depth = 0
        while depth < len(stack) and depth < len(marks) and stack[depth][0] == marks[depth]:
            depth += 1
        del stack[depth:]
        for mark in marks[depth:]:
            original = walk.elements[mark]
            shell = original.makeelement(original.tag, dict(original.attrib))
            append_node(shell)
            stack.append((mark, shell))
        if mask is not None:
            if mask in placed:
                continue
            placed.add(mask)
            original = walk.elements[mask]
            node = copy.deepcopy(original)
            node.tail = None
            append_node(node)
        else:
            append_text(value)
    # Take the old inline content out, then put the new one in its place.
    parent = run.container
    for node in run.nodes:
        parent.remove(node)
    where = 0 if run.anchor is None else parent.index(run.anchor) + 1
    first = "".join(head)
    if run.anchor is None:
        parent.text = first
    else:
        run.anchor.tail = first
    for offset, node in enumerate(top):
        parent.insert(where + offset, node)
    if top:
        top[-1].tail = (top[-1].tail or "") + trail
    elif run.anchor is None:
        parent.text = (parent.text or "") + trail
    else:
        run.anchor.tail = (run.anchor.tail or "") + trail


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    doc = result.document
    if not doc.original or doc.format != NAME:  # read from another format: a simple document
        return _from_plain(result, lang, meta)
    root = parse(decode(doc.original, doc.path), doc.path)
    walk = _Walk(root)
    targets = iter(block_targets(result, lang))
    for block, text, _ in list(walk.items()):
        if not text:
            continue
        target, spans = next(targets, ("", ()))
        if isinstance(block, _AttrBlock):
            block.element.set(block.attr, target)
        else:
            _fill(walk, block.run, target, spans)
    _stamp(root, lang, meta)
    doctype = root.getroottree().docinfo.doctype
    body = lxml.html.tostring(root, encoding="unicode", method="html")
    return (f"{doctype}\n" if doctype else "") + body + ("\n" if not body.endswith("\n") else "")


def _stamp(root, lang: str, meta: dict | None) -> None:
    root.set("lang", lang)
    for element in root.iterdescendants():
        if isinstance(element.tag, str) and (element.get("lang") or "").lower().split("-")[0] == "kk":
            element.set("lang", lang)  # parts marked as Kazakh are now in the target language
    head = root.find("head")
    if head is None:
        head = root.makeelement("head", {})
        root.insert(0, head)
    for meta_el in head.findall("meta"):
        if meta_el.get("charset") is not None:
            meta_el.set("charset", "utf-8")
        elif (meta_el.get("http-equiv") or "").lower() == "content-type":
            meta_el.set("content", "text/html; charset=utf-8")
    note = head.makeelement("meta", {"name": "mt-machine-translation", "content": _blocks.machine_note(lang, meta)})
    note.tail = "\n"
    head.append(note)


def _from_plain(result: ReleaseResult, lang: str, meta: dict | None) -> str:
    """A page for a release read from text: <h1> title, then <p> paragraphs."""
    title, *body = txt.paragraphs(result, lang)
    note = escape(_blocks.machine_note(lang, meta), quote=True)
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in body)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="mt-machine-translation" content="{note}">\n<title>{escape(title)}</title>\n</head>\n'
            f"<body>\n<h1>{escape(title)}</h1>\n{paragraphs}\n</body>\n</html>\n")
