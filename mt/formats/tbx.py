"""TBX-Basic glossaries (lxml): read(path) -> list[GlossaryEntry], dumps(entries) -> bytes.

Export writes TBX v3 (ISO 30042:2019, TBX-Basic dialect, DCA style) in the namespace
ISO 30042:2019 and the TBX-Basic schemas use, urn:iso:std:iso:30042:ed-2; import reads
that, the urn:iso:std:iso:30042:ed-2.0 namespace mt wrote before, no namespace, and TBX
v2 `martif` files (termEntry/langSet/tig) as other tools write them.

Mapping (export then import gives back every column):
  id                      conceptEntry/@id
  type                    descrip[@type="subjectField"]
  note                    the concept's plain <note>
  kk en de ru             the first termSec of langSec[@xml:lang]
  status                  administrativeStatus of those main terms:
                          approved=preferredTerm, proposed=admittedTerm, deprecated=deprecatedTerm
  *_variants              further termSecs, administrativeStatus admittedTerm
  avoid, strategy, extra  concept notes "mt:avoid=...", "mt:strategy=...", "mt:extra:COLUMN=..."
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from mt.errors import GlossaryError
from mt.formats import _xml
from mt.glossary.store import LANGS, entry_from_row, join_list, sort_key
from mt.io import atomic_write_bytes
from mt.types import GlossaryEntry

NAME = "tbx"
KIND = "glossary"
SUFFIXES = (".tbx",)

NS = "urn:iso:std:iso:30042:ed-2"
OLD_NS = "urn:iso:std:iso:30042:ed-2.0"  # what mt wrote before; still read
XML_LANG = _xml.XML_LANG
SCHEMA_PIS = (
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    'TBX-Basic_DCA.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"',
)
STATUS_TO_ADMIN = {"approved": "preferredTerm-admn-sts", "proposed": "admittedTerm-admn-sts",
                   "deprecated": "deprecatedTerm-admn-sts"}
ADMIN_TO_STATUS = {value: key for key, value in STATUS_TO_ADMIN.items()}
ADMIN_TO_STATUS["supersededTerm-admn-sts"] = "deprecated"
VARIANT_ADMIN = "admittedTerm-admn-sts"
PREFIX = "mt:"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


def _term(lang_sec: etree._Element, text: str, admin: str) -> None:
    term_sec = _el(lang_sec, "termSec")
    _el(term_sec, "term", text)
    _el(term_sec, "termNote", admin, type="administrativeStatus")


def entry_notes(entry: GlossaryEntry) -> list[str]:
    """An entry's notes as both TBX writers store them: its own note, then mt:* notes for
    the columns TBX-Basic has no place for (avoid, strategy, extra columns)."""
    notes = [entry.note] if entry.note else []
    if entry.avoid:
        notes.append(f"{PREFIX}avoid={join_list(entry.avoid)}")
    if entry.strategy:
        notes.append(f"{PREFIX}strategy={entry.strategy}")
    return notes + [f"{PREFIX}extra:{name}={value}" for name, value in entry.extra]


def _concept(body: etree._Element, entry: GlossaryEntry) -> None:
    concept = _el(body, "conceptEntry", id=entry.id)
    if entry.type:
        _el(concept, "descrip", entry.type, type="subjectField")
    for note in entry_notes(entry):
        _el(concept, "note", note)
    for lang in LANGS:
        main, variants = entry.target(lang), entry.variants(lang)
        if not main and not variants:
            continue
        lang_sec = _el(concept, "langSec", **{XML_LANG: lang})
        _term(lang_sec, main, STATUS_TO_ADMIN.get(entry.status, STATUS_TO_ADMIN["approved"]))
        for variant in variants:
            _term(lang_sec, variant, VARIANT_ADMIN)


def to_tbx(entries: Iterable[GlossaryEntry]) -> bytes:
    """TBX-Basic (v3, DCA) document for `entries`, concepts ordered by id."""
    root = etree.Element(f"{{{NS}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "kk"}, nsmap={None: NS})
    header = _el(root, "tbxHeader")
    source = _el(_el(header, "fileDesc"), "sourceDesc")
    _el(source, "p", "Exported by `mt glossary export --format tbx` (columns id type kk en de ru, "
                     "variants, status, note; mt:* notes carry avoid, strategy and extra columns).")
    body = _el(_el(root, "text"), "body")
    for entry in sorted(entries, key=sort_key):
        _concept(body, entry)
    tree = etree.ElementTree(root)
    for pi in SCHEMA_PIS:
        root.addprevious(etree.ProcessingInstruction("xml-model", pi))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- import

_local = _xml.local


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _local(child) in names]


_text = _xml.text_of


def _terms(lang_sec: etree._Element) -> list[tuple[str, str]]:
    """(term, administrativeStatus) per termSec (v3) or tig/ntig (v2), in order."""
    found = []
    for term_sec in _children(lang_sec, "termSec", "tig", "ntig"):
        terms = [el for el in term_sec.iter() if _local(el) == "term"]
        admin = next((_text(el) for el in term_sec.iter()
                      if _local(el) == "termNote" and el.get("type") == "administrativeStatus"), "")
        found.append((_text(terms[0]) if terms else "", admin))
    return found


def _row(concept: etree._Element, name: str) -> dict[str, str]:
    entry_id = concept.get("id", "")
    if not entry_id:
        raise GlossaryError("concept entry without id", file=name, line=concept.sourceline,
                            hint="give every conceptEntry/termEntry an id attribute")
    row = {"id": entry_id, "type": "term"}  # other tools' files often have no subjectField
    notes, extra = [], {}
    for child in concept:
        kind = _local(child)
        if kind == "descrip" and child.get("type") == "subjectField":
            row["type"] = _text(child)
        elif kind == "note" and _text(child).startswith(PREFIX):
            key, _, value = _text(child)[len(PREFIX):].partition("=")
            if key.startswith("extra:"):
                extra[key[len("extra:"):]] = value
            elif key in ("avoid", "strategy"):
                row[key] = value
            else:
                notes.append(_text(child))
        elif kind == "note":
            notes.append(_text(child))
    row["note"] = " ".join(notes)
    for lang_sec in _children(concept, "langSec", "langSet"):
        lang = (lang_sec.get(XML_LANG) or "").split("-")[0].lower()
        if lang not in LANGS:
            continue
        terms = _terms(lang_sec)
        if not terms:
            continue
        row[lang] = terms[0][0]
        row[f"{lang}_variants"] = join_list(term for term, _ in terms[1:])
        if lang == "kk":
            row["status"] = ADMIN_TO_STATUS.get(terms[0][1], "approved")
    row.update(extra)
    return row


def read_tbx(path: str | Path) -> list[GlossaryEntry]:
    """Entries of a TBX file (TBX-Basic v3 or v2/martif)."""
    name = str(path)
    root = _xml.parse(path, "TBX", error=GlossaryError).getroot()
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryError(f"root element <{_local(root)}> is not <tbx> or <martif>", file=name, line=root.sourceline,
                            hint="give a TBX file")
    concepts = [el for el in root.iter() if _local(el) in ("conceptEntry", "termEntry")]
    rows = [(_row(concept, name), concept.sourceline or 0) for concept in concepts]
    if rows and not any(row.get("kk") for row, _ in rows):
        langs = sorted({(sec.get(XML_LANG) or "?") for concept in concepts
                        for sec in _children(concept, "langSec", "langSet")})
        raise GlossaryError(f"no Kazakh terms: none of its {len(rows)} concepts has a langSec xml:lang=\"kk\" "
                            f"(languages found: {', '.join(langs) or 'none'})", file=name, line=rows[0][1],
                            hint="mt glossaries are Kazakh-source; export the TBX with Kazakh (kk) terms")
    return [entry_from_row(row, file=name, line=line) for row, line in rows]


def write_tbx(path: str | Path, entries: Iterable[GlossaryEntry]) -> None:
    atomic_write_bytes(path, to_tbx(entries))


read = read_tbx
dumps = to_tbx
