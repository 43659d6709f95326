"""Safe parsing of users' XML files (XLIFF, TMX, TBX) with lxml.

Entities are never expanded (resolve_entities=False) and a document that declares any
is refused outright, nothing is fetched from the network, and libxml2's limits on
huge documents stay on (huge_tree=False): a "billion laughs" file costs nothing.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from mt.errors import InputError, MtError
from mt.io import is_utf8, read_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=False)


def parse(path: str | Path, what: str, error: type[MtError] = InputError) -> etree._ElementTree:
    """Parse the file at `path` (`what` names the expected kind in messages, e.g.
    "XLIFF"). Raises `error` naming the file and line for unreadable, malformed or
    wrongly encoded XML and for entity declarations."""
    name = str(path)
    try:
        data = read_bytes(path)
    except InputError as exc:
        raise error(exc.message, file=name, hint=exc.hint) from None
    if not data.strip():
        raise error("the file is empty", file=name, hint=f"give a {what} file")
    _check_declared_encoding(data, name, error)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        if "amplification" in (exc.msg or "") or b"<!ENTITY" in data[:4096]:
            raise _entities(name, data, what, error) from None  # libxml2 stopped an expanding bomb
        raise error(_syntax_message(exc, what), file=name, line=exc.lineno or None,
                    hint=_syntax_hint(exc, what)) from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.entities()):
        raise _entities(name, data, what, error)
    return tree


def _check_declared_encoding(data: bytes, name: str, error: type[MtError]) -> None:
    """The encoding the XML declaration names, checked against the bytes before libxml2
    believes it: a declaration read as ASCII cannot be true of UTF-16/32 without a
    byte-order mark, and valid UTF-8 with non-ASCII letters under an 8-bit code page
    (windows-1251, latin-1 ...) would be read as mojibake and stored as such."""
    declared = _DECLARED.match(data[:512])
    if not declared or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    label = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return  # libxml2 names an unknown encoding itself
    probe = '<?xml version="1.0"?>'
    try:
        ascii_compatible = probe.encode(codec) == probe.encode("ascii")
    except UnicodeError:
        ascii_compatible = False
    if not ascii_compatible:
        contradiction = f"declares encoding=\"{label}\" but its bytes are not {label} (no byte-order mark)"
    elif codec != "utf-8" and not data.isascii() and is_utf8(data):
        contradiction = f"declares encoding=\"{label}\" but its bytes are UTF-8 text"
    else:
        return
    raise error(f"the file {contradiction}", file=name, line=1,
                hint="save it as UTF-8 with <?xml version=\"1.0\" encoding=\"UTF-8\"?>, or declare its real encoding")



def _entities(name: str, data: bytes, what: str, error: type[MtError]) -> MtError:
    return error("the file declares XML entities, which mt refuses to read (an XML bomb or a file "
                 "that reads other files)", file=name, line=_doctype_line(data),
                 hint=f"export the {what} file again without a DOCTYPE entity block")


def _syntax_message(exc: etree.XMLSyntaxError, what: str) -> str:
    message = (exc.msg or str(exc)).splitlines()[0]
    # libxml2 appends "line N and X" noise; keep the first clause.
    return f"not well-formed XML ({message.split(', line ')[0]})"


def _syntax_hint(exc: etree.XMLSyntaxError, what: str) -> str:
    message = (exc.msg or "").lower()
    if "encoding" in message or "utf-8" in message or "bytes:" in message:
        return ("the bytes do not match the encoding the file declares; save it as UTF-8 (or declare "
                "its real encoding in <?xml ... encoding=...?>)")
    return f"is this a {what} file? open it in an XML editor to find the fault"


def _doctype_line(data: bytes) -> int:
    at = data.find(b"<!ENTITY")
    if at < 0:
        at = data.find(b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y")  # UTF-16
    return (data.count(b"\n", 0, at) + 1) if at >= 0 else 1


def local(element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def text_of(element) -> str:
    return "".join(element.itertext())
