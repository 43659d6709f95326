"""TMX 1.4b translation memories: read(path) -> list[MemoryUnit], dumps(units) -> bytes.

One <tu> per stored pair, source language kk. The unit's origin travels with it:
- machine units carry <prop type="x-mt"> with the engine signature (also their
  creationid) and <prop type="x-mt-key"> with mt's memory key, so a memory exported
  and imported again reuses them exactly as before, and no CAT tool mistakes them for
  a translator's work;
- human units are those without x-mt: creationid is the translator, changedate the
  date of the last edit;
- approved units (machine output a translator confirmed unchanged) are human-like
  units with <prop type="x-mt-origin">approved</prop>, so they come back as approved,
  not as a translator's own translation.
creationdate, creationid, changedate are kept both ways. Reading accepts any encoding
the XML declaration names (UTF-16 with a byte-order mark, as Trados writes, included).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from mt import __version__
from mt.errors import InputError
from mt.formats import _xml
from mt.tm import MemoryUnit
from mt.types import APPROVED, HUMAN, MACHINE

NAME = "tmx"
KIND = "memory"
SUFFIXES = (".tmx",)

SOURCE = "kk"
TARGETS = ("de", "en", "ru")
MT_PROP, KEY_PROP, ORIGIN_PROP = "x-mt", "x-mt-key", "x-mt-origin"
_DATE = "%Y%m%dT%H%M%SZ"
_CODES = {"bpt", "ept", "ph", "it", "ut", "sub"}  # native codes (and sub-flows): not sentence text


def _date(seconds: float | None) -> str | None:
    return time.strftime(_DATE, time.gmtime(seconds)) if seconds else None


def dumps(units: Iterable[MemoryUnit]) -> bytes:
    """TMX 1.4b document for `units`, in the order given."""
    tmx = etree.Element("tmx", version="1.4")
    etree.SubElement(tmx, "header", creationtool="mt", creationtoolversion=__version__, datatype="plaintext",
                     segtype="sentence", adminlang="en", srclang=SOURCE, **{"o-tmf": "mt-sqlite"})
    body = etree.SubElement(tmx, "body")
    for unit in units:
        attrs = {"creationdate": _date(unit.created), "creationid": unit.creator or None,
                 "changedate": _date(unit.changed)}
        if unit.origin == MACHINE:
            attrs["creationid"] = unit.creator or "mt"
        tu = etree.SubElement(body, "tu", {k: v for k, v in attrs.items() if v})
        if unit.origin == MACHINE:
            etree.SubElement(tu, "prop", type=MT_PROP).text = unit.creator or "mt (engine not recorded)"
            etree.SubElement(tu, "prop", type=KEY_PROP).text = unit.key
        elif unit.origin == APPROVED:
            etree.SubElement(tu, "prop", type=ORIGIN_PROP).text = APPROVED
        for lang, text in ((unit.src_lang, unit.source), (unit.tgt_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {_xml.XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(tmx, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def pair_path(out: str | Path, tgt: str) -> Path:
    """memory.tmx -> memory.kk-de.tmx: the file of one language pair."""
    out = Path(out)
    stem = out.name[: -len(out.suffix)] if out.suffix.lower() == ".tmx" else out.name
    return out.with_name(f"{stem}.{SOURCE}-{tgt}.tmx")


def by_pair(units: Iterable[MemoryUnit], targets: Iterable[str]) -> dict[str, list[MemoryUnit]]:
    """Units split by target language, for one TMX per pair (CAT tools such as OmegaT
    take every <tuv> of a memory as a candidate, whatever the project's target language)."""
    out: dict[str, list[MemoryUnit]] = {lang: [] for lang in targets}
    for unit in units:
        if unit.src_lang == SOURCE and unit.tgt_lang in out:
            out[unit.tgt_lang].append(unit)
    return out


# ---------------------------------------------------------------- reading

def _lang(element) -> str:
    value = element.get(_xml.XML_LANG) or element.get("lang") or ""  # "lang": TMX 1.1
    return value.split("-")[0].split("_")[0].lower()


def _seg_text(seg) -> str:
    parts = [seg.text or ""]
    for child in seg:
        if _xml.local(child) == "hi":
            parts.append(_seg_text(child))
        elif _xml.local(child) not in _CODES and isinstance(child.tag, str):
            parts.append(_xml.text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _parse_date(value: str | None, name: str, line: int) -> float | None:
    if not value:
        return None
    try:
        return float(calendar.timegm(time.strptime(value, _DATE)))
    except ValueError:
        raise InputError(f"date '{value}' is not TMX's YYYYMMDDThhmmssZ", file=name, line=line,
                         hint="fix the creationdate/changedate attribute") from None


def _props(tu) -> dict[str, str]:
    return {p.get("type", ""): _xml.text_of(p) for p in tu if _xml.local(p) == "prop"}


def _units_of(tu, name: str) -> list[MemoryUnit]:
    line = tu.sourceline or 0
    segs: dict[str, str] = {}
    for tuv in (el for el in tu if _xml.local(el) == "tuv"):
        seg = next((el for el in tuv if _xml.local(el) == "seg"), None)
        if seg is not None and _lang(tuv):
            segs.setdefault(_lang(tuv), _seg_text(seg).strip())
    source = segs.get(SOURCE, "")
    if not source:
        return []
    props = _props(tu)
    created = _parse_date(tu.get("creationdate"), name, line)
    changed = _parse_date(tu.get("changedate"), name, line)
    machine = MT_PROP in props
    decided = APPROVED if props.get(ORIGIN_PROP) == APPROVED else HUMAN
    units = []
    for lang in TARGETS:
        if segs.get(lang):
            units.append(MemoryUnit(
                SOURCE, lang, source, segs[lang], MACHINE if machine else decided,
                props[MT_PROP] if machine else (tu.get("creationid") or ""), created or 0.0, changed,
                (props.get(KEY_PROP) or f"tmx:{props[MT_PROP]}") if machine else ""))
    return units


def read(path: str | Path) -> list[MemoryUnit]:
    """kk -> de/en/ru units of a TMX file; other languages are skipped. Raises
    InputError naming file and line for anything that is not a usable TMX."""
    name = str(path)
    root = _xml.parse(path, "TMX").getroot()
    if _xml.local(root) != "tmx":
        raise InputError(f"root element <{_xml.local(root)}> is not <tmx>", file=name, line=root.sourceline,
                         hint="give a TMX 1.4 file")
    header = next((el for el in root if _xml.local(el) == "header"), None)
    srclang = _lang_value(header.get("srclang", "") if header is not None else "")
    if srclang not in (SOURCE, "*all*"):
        declared, line = (header.get("srclang"), header.sourceline) if header is not None else ("none", root.sourceline)
        raise InputError(f"source language is '{declared}', not Kazakh (kk)", file=name,
                         line=line, hint="mt memories translate from Kazakh: export kk -> de/en/ru")
    units = [unit for tu in root.iter("{*}tu", "tu") for unit in _units_of(tu, name)]
    if not units:
        raise InputError("no Kazakh -> German/English/Russian pairs in this TMX", file=name,
                         line=root.sourceline, hint="each <tu> needs a kk <tuv> and a de, en or ru <tuv>")
    return units


def _lang_value(value: str) -> str:
    return value if value == "*all*" else value.split("-")[0].lower()
