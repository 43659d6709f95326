"""TBX 2008 (ISO 30042:2008, TBX-Basic in <martif>): dumps(entries) -> bytes for the tools
that read only that version (translate-toolkit, OmegaT 3.6); read(path) is
mt.formats.tbx.read_tbx, which reads <martif> files as well as TBX v3.

Valid against the TBX-Basic integrated RELAX NG schema of 2008 (TBXBasicRNGV02.rng;
tests/data/tbx-basic-2008). The mapping is mt.formats.tbx's, in 2008 element names:

  id                      termEntry/@id
  type                    descrip[@type="subjectField"]
  note                    the entry's plain <note>
  kk en de ru             the first tig of langSet[@xml:lang]
  status                  termNote[@type="administrativeStatus"] of those main terms
  *_variants              further tigs, administrativeStatus admittedTerm-admn-sts
  avoid, strategy, extra  entry notes "mt:avoid=...", "mt:strategy=...", "mt:extra:COLUMN=..."
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from mt.formats.tbx import STATUS_TO_ADMIN, VARIANT_ADMIN, XML_LANG, entry_notes, read_tbx
from mt.glossary.store import LANGS, sort_key
from mt.types import GlossaryEntry

NAME = "tbx2008"
KIND = "glossary"
# Not in mt.formats.FORMATS: .tbx files are read by mt.formats.tbx, whatever their version;
# this writer is chosen with `mt glossary export --format tbx --tbx-version 2008`.
SUFFIXES = (".tbx",)
XCS = "TBXBasicXCSV02.xcs"  # the TBX-Basic constraint file a 2008 document names


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _tig(lang_set: etree._Element, text: str, admin: str) -> None:
    tig = _el(lang_set, "tig")
    _el(tig, "term", text)
    _el(tig, "termNote", admin, type="administrativeStatus")


def _entry(body: etree._Element, entry: GlossaryEntry) -> None:
    term_entry = _el(body, "termEntry", id=entry.id)
    if entry.type:
        _el(term_entry, "descrip", entry.type, type="subjectField")
    for note in entry_notes(entry):
        _el(term_entry, "note", note)
    for lang in LANGS:
        main, variants = entry.target(lang), entry.variants(lang)
        if not main and not variants:
            continue
        lang_set = _el(term_entry, "langSet", **{XML_LANG: lang})
        _tig(lang_set, main, STATUS_TO_ADMIN.get(entry.status, STATUS_TO_ADMIN["approved"]))
        for variant in variants:
            _tig(lang_set, variant, VARIANT_ADMIN)


def to_tbx2008(entries: Iterable[GlossaryEntry]) -> bytes:
    """TBX-Basic 2008 (<martif type="TBX-Basic">) document for `entries`, ordered by id."""
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "kk"})
    header = _el(root, "martifHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "sourceDesc"), "p", "Exported by `mt glossary export --format tbx --tbx-version 2008` "
                                           "(columns id type kk en de ru, variants, status, note; mt:* notes carry "
                                           "avoid, strategy and extra columns).")
    _el(_el(header, "encodingDesc"), "p", XCS, type="XCSURI")
    body = _el(_el(root, "text"), "body")
    for entry in sorted(entries, key=sort_key):
        _entry(body, entry)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


read = read_tbx
dumps = to_tbx2008
