"""Word packages (.docx) at the zip level, below python-docx: the container checks,
tracked changes (counted, or accepted), and the core properties, written by
rewriting zip members, never by appending a second member of the same name.

- check_container: not a zip, a renamed .doc, a password, a zip bomb -> one line.
- tracked_changes / accept_changes: revisions (w:ins, w:del, w:moveFrom, w:moveTo,
  inserted or deleted paragraph marks and table rows) in the parts that hold text.
  Accepting keeps inserted and moved-to text where it stands, drops deleted and
  moved-from text, joins a paragraph whose mark was deleted with the next one and
  removes deleted rows: what Word's "Accept All Changes" leaves.
- set_core_properties: docProps/core.xml (whatever its relationship is spelt like:
  LibreOffice's "Office Open XML Text" filter writes the type in lower case, which
  python-docx does not recognise, so it used to add a second core.xml).
- rewrite: every member once, some replaced.

Parts are parsed with entities never expanded; a part that declares entities is
refused (Word never writes a DOCTYPE; an entity reference would otherwise sit in a
paragraph as a node that is no element).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from lxml import etree

from mt.errors import InputError
from mt.formats import _xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_CONTENT = "application/vnd.openxmlformats-package.core-properties+xml"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
_CORE_NS = {"cp": CP, "dc": DC, "dcterms": "http://purl.org/dc/terms/",
            "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200                        # uncompressed / compressed, per member over 1 MiB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
# Parts that hold text: the main document, headers, footers, footnotes, endnotes, comments.
_STORY = re.compile(r"(wordprocessingml\.(document|template)\.main|ms-word\.(document|template)\.macroenabled"
                    r"(\.main)?|wordprocessingml\.(header|footer|footnotes|endnotes|comments))\+xml$")
_INSERTED = (W + "ins", W + "moveTo")
_DELETED = (W + "del", W + "moveFrom")
_MAYBE = re.compile(rb"<([\w.-]+:)?(ins|del|moveFrom|moveTo)[\s/>]|<!ENTITY")
_RANGES = (W + "moveFromRangeStart", W + "moveFromRangeEnd", W + "moveToRangeStart", W + "moveToRangeEnd")


# -- the container -------------------------------------------------------------------

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


def _members(data: bytes) -> dict[str, bytes]:
    """Name -> content; of two members with one name the last (what zip readers use)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The package with the members in `replace` replaced (or added at the end):
    each name written once, in the order of first appearance."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        last: dict[str, zipfile.ZipInfo] = {}
        for info in source.infolist():
            last[info.filename] = info  # dict order: first appearance; value: the last one
        for name, info in last.items():
            member = zipfile.ZipInfo(name, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, replace[name] if name in replace else source.read(info))
        for name, content in replace.items():
            if name not in last:
                target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content,
                                compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _parse(content: bytes, part: str, name: str) -> etree._Element:
    try:
        root = etree.fromstring(content, _xml.parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{part} is not well-formed XML ({(exc.msg or str(exc)).splitlines()[0]})", file=name,
                         hint="open and save it again in Word or LibreOffice") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.entities()):
        raise InputError(f"{part} declares XML entities, which mt refuses to read (Word never writes them)",
                         file=name, hint="open and save it again in Word or LibreOffice")
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _story_parts(members: dict[str, bytes], name: str) -> list[str]:
    """The members that hold text, by their content type."""
    types = _parse(members["[Content_Types].xml"], "[Content_Types].xml", name)
    found = [o.get("PartName", "").lstrip("/") for o in types.iter(f"{{{_CT}}}Override")
             if _STORY.search(o.get("ContentType", "").lower())]
    return [part for part in found if part in members] or ["word/document.xml"]


# -- tracked changes -----------------------------------------------------------------

def tracked_changes(data: bytes, name: str) -> int:
    """How many revisions (distinct w:id) the text-holding parts carry. A part is
    parsed only when its bytes hold such an element's name or an entity declaration
    (a quick look: parsing a long document twice costs a second)."""
    members = _members(data)
    ids: set[tuple[str, str]] = set()
    for part in _story_parts(members, name):
        if not _MAYBE.search(members[part]):
            continue
        root = _parse(members[part], part, name)
        for i, element in enumerate(root.iter(*_INSERTED, *_DELETED)):
            ids.add((part, element.get(W + "id") or f"#{i}"))
    return len(ids)


def accept_changes(data: bytes, name: str) -> bytes:
    """The package with every revision in its text-holding parts accepted."""
    members = _members(data)
    replace = {}
    for part in _story_parts(members, name):
        root = _parse(members[part], part, name)
        if _accept(root):
            replace[part] = _serialise(root)
    return rewrite(data, replace) if replace else data


def _accept(root: etree._Element) -> bool:
    changed = False
    for element in list(root.iter(*_DELETED)):
        changed = True
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag == W + "rPr" and _tag(parent.getparent()) == W + "pPr":
            _join_with_next(parent.getparent().getparent())  # the paragraph mark was deleted
            _remove(element)
        elif parent.tag == W + "trPr" and parent.getparent() is not None:
            _remove(parent.getparent())  # a deleted table row
        else:
            _remove(element)
    for element in list(root.iter(*_INSERTED)):
        changed = True
        if _tag(element.getparent()) in (W + "rPr", W + "trPr"):
            _remove(element)  # an inserted paragraph mark or row: just the mark
        else:
            _unwrap(element)
    for element in list(root.iter(*_RANGES)):
        changed = True
        _remove(element)
    return changed


def _tag(element: etree._Element | None) -> str:
    return element.tag if element is not None and isinstance(element.tag, str) else ""


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)  # OOXML keeps no text in tails: nothing to carry over


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its children, in place."""
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def _join_with_next(paragraph: etree._Element | None) -> None:
    """A deleted paragraph mark: the paragraph's content goes to the start of the
    next paragraph (which keeps its own properties); without a next one, nothing."""
    if paragraph is None or paragraph.tag != W + "p":
        return
    following = paragraph.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    if following is None or following.tag != W + "p":
        return
    properties = following.find(W + "pPr")
    at = following.index(properties) + 1 if properties is not None else 0
    content = [child for child in paragraph if child.tag != W + "pPr"]
    for offset, child in enumerate(content):
        following.insert(at + offset, child)
    _remove(paragraph)


# -- core properties -----------------------------------------------------------------

def set_core_properties(data: bytes, values: Iterable[tuple[str, str, str]]) -> bytes:
    """`values`: (namespace, local name, text) set in the core properties part, which
    is made (with its relationship and content type) when the package has none."""
    members = _members(data)
    replace: dict[str, bytes] = {}
    rels = etree.fromstring(members["_rels/.rels"], _xml.parser()) if "_rels/.rels" in members else \
        etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    core = next((r for r in rels if isinstance(r.tag, str)
                 and r.get("Type", "").lower() == _CORE_TYPE.lower()), None)
    if core is not None:
        part = core.get("Target", "").lstrip("/")
    else:
        part = "docProps/core.xml"
        taken = {r.get("Id") for r in rels if isinstance(r.tag, str)}
        etree.SubElement(rels, f"{{{_PKG_RELS}}}Relationship", Id=_free_id(taken), Type=_CORE_TYPE, Target=part)
        replace["_rels/.rels"] = _serialise(rels)
        types = etree.fromstring(members["[Content_Types].xml"], _xml.parser())
        if not any(o.get("PartName", "").lstrip("/") == part for o in types.iter(f"{{{_CT}}}Override")):
            etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + part, ContentType=_CORE_CONTENT)
            replace["[Content_Types].xml"] = _serialise(types)
    root = etree.fromstring(members[part], _xml.parser()) if part in members else \
        etree.Element(f"{{{CP}}}coreProperties", nsmap=_CORE_NS)
    for namespace, local, text in values:
        element = root.find(f"{{{namespace}}}{local}")
        if element is None:
            element = etree.SubElement(root, f"{{{namespace}}}{local}")
        element.text = text
    replace[part] = _serialise(root)
    return rewrite(data, replace)


def _free_id(taken: set[str | None]) -> str:
    n = 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"
