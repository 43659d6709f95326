"""XLIFF 2.0 (OASIS core) for translators' CAT tools: dumps(result, lang, meta) -> bytes
writes one target language of a translated release; read(path) -> Bilingual reads a
post-edited file back.

Layout of what mt writes (valid against xliff_core_2.0.xsd; modules: metadata `mda`,
translation candidates `mtc`):

    <xliff version="2.0" srcLang="kk" trgLang="de">
      <file id="RELEASE" original="release.kk.txt">
        <mda:metadata>  tool, engine, model, revision, licence, glossary version
        <group id="p0" type="mt:title">               one group per paragraph (p0 = title)
          <unit id="p0-s0">                           p<paragraph>-s<sentence index>, as `mt segment`
            <mda:metadata>  the draft mt wrote and where it came from (engine, tm, human)
            <mtc:matches>   fuzzy memory matches (similarity %)
            <notes>         QA findings for this sentence and language
            <segment id="s0" state="translated">
              <source>... <mrk id="t1" type="term" ref="mt-glossary:ID">term</mrk> ...</source>
              <target>... <mrk id="t1" type="term" ref="mt-glossary:ID">term</mrk> ...</target>

Reading takes XLIFF 2.x (mt.formats.xliff12 reads 1.2; mt.formats.read_bilingual picks
the reader by the file's version), checks srcLang/trgLang and unit ids, and needs a
target in every segment. Unit and Bilingual are what both readers give; mt.postedit
decides which units go into the memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from mt import __version__
from mt.errors import InputError
from mt.formats import _xml
from mt.glossary.verify import find_target
from mt.types import APPROVED, ReleaseResult, Segment, Translation

NAME = "xliff"
KIND = "bilingual"
SUFFIXES = (".xlf",)  # .xliff: mt.formats.xliff12 (read_bilingual reads either version from either name)

NS = "urn:oasis:names:tc:xliff:document:2.0"
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
NSMAP = {None: NS, "mda": MDA, "mtc": MTC}
SOURCE = "kk"
TARGETS = ("de", "en", "ru")
STATES = ("initial", "translated", "reviewed", "final")
CONFIRMED = ("reviewed", "final")
TERM_REF = "mt-glossary:"
UNIT_ID = re.compile(r"p(\d+)-s(\d+)\Z")
_PRIORITY = {"error": "1", "warning": "5", "info": "9"}


def unit_id(segment: Segment) -> str:
    return f"p{segment.paragraph}-s{segment.index}"


def _x(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attrs: str):
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _meta(parent, category: str, values: dict[str, str]) -> None:
    values = {k: str(v) for k, v in values.items() if v not in (None, "")}
    if not values:
        return
    group = _sub(_sub(parent, f"{{{MDA}}}metadata"), f"{{{MDA}}}metaGroup", category=category)
    for key, value in values.items():
        _sub(group, f"{{{MDA}}}meta", value, type=key)


def fill_marked(element, text: str, spans: Sequence[tuple[int, int, Any]],
                mark: Callable[[Any, str, Any], Any]) -> None:
    """Fill `element` with `text`, each (start, end, what) span in `spans` made an inline
    element by `mark(element, span text, what)` (each XLIFF version its own <mrk>); an
    overlapping span keeps the first."""
    element.text, last, previous = "", 0, None
    for start, end, what in sorted(spans):
        if start < last:
            continue
        chunk = text[last:start]
        if previous is None:
            element.text = chunk
        else:
            previous.tail = chunk
        previous = mark(element, text[start:end], what)
        last = end
    if previous is None:
        element.text = text
    else:
        previous.tail = text[last:]


def _marked(element, text: str, marks: list[tuple[int, int, str, str]]) -> None:
    """Fill `element` with `text`, the spans in `marks` wrapped in <mrk type="term">."""
    fill_marked(element, text, [(start, end, (mark_id, term_id)) for start, end, mark_id, term_id in marks],
                lambda parent, chunk, ids: _sub(parent, _x("mrk"), chunk, id=ids[0], type="term",
                                                ref=f"{TERM_REF}{ids[1]}"))


def target_marks(translation: Translation, lang: str, ids: dict[str, str]) -> list[tuple[int, int, str, str]]:
    marks = []
    for term in translation.terms:
        span = find_target(translation.text, term.required, lang) if term.found and term.id in ids else None
        if span:
            marks.append((*span, ids[term.id], term.id))
    return marks


def file_id(result: ReleaseResult, meta: dict) -> str:
    """The <file> id: the release's name without .kk and its suffix."""
    name = Path(str(meta.get("input") or result.document.path)).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.removesuffix(".kk") or "release"
    return re.sub(r"[^\w.-]", "_", stem) if stem != "-" else "stdin"


def _unit(parent, result: ReleaseResult, segment: Segment, translation: Translation, lang: str) -> None:
    unit = _sub(parent, _x("unit"), id=unit_id(segment))
    _meta(unit, "mt", {"draft": translation.text, "origin": translation.origin})
    matches = [m for m in result.matches if m.segment == segment.index and m.lang == lang]
    if matches:
        box = _sub(unit, f"{{{MTC}}}matches")
        for match in matches:
            candidate = _sub(box, f"{{{MTC}}}match", ref=f"#s{segment.index}", type="tm",
                             similarity=f"{match.score:g}", origin=f"mt translation memory ({match.origin})")
            _sub(candidate, _x("source"), match.source)
            _sub(candidate, _x("target"), match.target)
    findings = [f for f in result.findings if f.segment == segment.index and f.lang in (lang, "")]
    if findings:
        notes = _sub(unit, _x("notes"))
        for finding in findings:
            _sub(notes, _x("note"), f"{finding.severity}: {finding.message}", category=f"mt-qa:{finding.check}",
                 priority=_PRIORITY.get(finding.severity, "5"), appliesTo="target")
    hits = [h for h in result.hits if h.segment == segment.index]
    ids: dict[str, str] = {}
    for hit in hits:
        ids.setdefault(hit.id, f"t{len(ids) + 1}")
    # Machine output a translator confirmed (`mt review`'s Confirm) is reviewed; the rest translated.
    state = "reviewed" if translation.origin == APPROVED else "translated"
    seg = _sub(unit, _x("segment"), id=f"s{segment.index}", state=state)
    _marked(_sub(seg, _x("source")), segment.text, [(h.start, h.end, ids[h.id], h.id) for h in hits])
    _marked(_sub(seg, _x("target")), translation.text, target_marks(translation, lang, ids))


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    """XLIFF 2.0 of `result` into `lang`; `meta` may name input, engine, model,
    revision, licence, signature and glossary (the file's metadata)."""
    meta = meta or {}
    root = etree.Element(_x("xliff"), version="2.0", srcLang=SOURCE, trgLang=lang, nsmap=NSMAP)
    original = meta.get("input") or result.document.path
    file = _sub(root, _x("file"), id=file_id(result, meta), original=str(original))
    _meta(file, "mt", {"tool": f"mt {__version__}", **{k: str(meta.get(k) or "") for k in
                       ("engine", "model", "revision", "licence", "signature", "glossary")}})
    notes = _sub(file, _x("notes"))
    _sub(notes, _x("note"), "Machine translation draft. Set state to reviewed or final on sentences you have "
                            "checked; then `mt tm import` this file so the next release reuses your translations.",
         category="mt")
    groups: dict[int, etree._Element] = {}
    for segment, translation in zip(result.segments, result.translations[lang], strict=True):
        if segment.paragraph not in groups:
            groups[segment.paragraph] = _sub(file, _x("group"), id=f"p{segment.paragraph}",
                                             type="mt:title" if segment.paragraph == 0 else "mt:paragraph")
        _unit(groups[segment.paragraph], result, segment, translation, lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- reading

@dataclass(frozen=True)
class Unit:
    """One unit of a post-edited file."""

    id: str
    paragraph: int
    index: int
    source: str
    target: str
    state: str
    draft: str | None  # what mt wrote, when the file records it
    line: int


@dataclass(frozen=True)
class Bilingual:
    path: str
    src_lang: str
    tgt_lang: str
    units: tuple[Unit, ...]
    original: str = ""  # the release the file was made from (<file original>), as mt wrote it
    version: str = "2.0"


def _inline_text(element) -> str:
    """Plain text of a <source>/<target>: markers and paired codes keep their text,
    <cp> gives its character, placeholders and isolated codes none."""
    parts = [element.text or ""]
    for child in element:
        kind = _xml.local(child)
        if kind in ("mrk", "pc"):
            parts.append(_inline_text(child))
        elif kind == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        parts.append(child.tail or "")
    return "".join(parts)


def primary(lang: str | None) -> str:
    """'de-DE' -> 'de'."""
    return (lang or "").split("-")[0].split("_")[0].lower()


def _check_root(root, name: str) -> tuple[str, str]:
    namespace = etree.QName(root).namespace
    if _xml.local(root) != "xliff":
        raise InputError(f"root element <{_xml.local(root)}> is not <xliff>", file=name, line=root.sourceline,
                         hint="give an XLIFF 2.0 file written by `mt translate --format xliff`")
    version = root.get("version", "")
    if namespace == NS_12 or version.startswith("1."):
        raise InputError(f"XLIFF {version or '1.2'} file given to the XLIFF 2.0 reader", file=name,
                         line=root.sourceline, hint="read it with mt.formats.read_bilingual (or xliff12.read)")
    if namespace != NS or not version.startswith("2."):
        raise InputError(f"not an XLIFF 2.0 document (namespace {namespace or 'none'}, version '{version}')",
                         file=name, line=root.sourceline, hint=f"the root must be <xliff xmlns=\"{NS}\" version=\"2.0\">")
    src, tgt = root.get("srcLang"), root.get("trgLang")
    if primary(src) != SOURCE:
        raise InputError(f"srcLang is '{src}', not Kazakh (kk)", file=name, line=root.sourceline,
                         hint="mt translates from Kazakh; give the file mt wrote for this release")
    if primary(tgt) not in TARGETS:
        raise InputError(f"trgLang is '{tgt}'" if tgt else "no trgLang", file=name, line=root.sourceline,
                         hint=f"the target language must be one of {', '.join(TARGETS)}")
    return SOURCE, primary(tgt)


def parse_unit_id(uid: str, name: str, line: int) -> tuple[int, int]:
    """(paragraph, sentence index) of a unit id mt wrote; else a one-line error."""
    found = UNIT_ID.match(uid)
    if not found:
        raise InputError(f"unknown unit id '{uid}': mt writes p<paragraph>-s<sentence>", file=name, line=line,
                         hint="was the file split, merged or re-segmented? post-edit the units as mt wrote them")
    return int(found.group(1)), int(found.group(2))


def _unit_of(element, name: str) -> Unit:
    uid, line = element.get("id", ""), element.sourceline or 0
    paragraph, index = parse_unit_id(uid, name, line)
    segments = [el for el in element if _xml.local(el) == "segment"]
    if not segments:
        raise InputError(f"unit {uid} has no <segment>", file=name, line=line, hint="restore the unit mt wrote")
    sources, targets, states = [], [], []
    for seg in segments:
        source = next((el for el in seg if _xml.local(el) == "source"), None)
        target = next((el for el in seg if _xml.local(el) == "target"), None)
        if target is None or not _inline_text(target).strip():
            raise InputError(f"unit {uid} has no target", file=name, line=seg.sourceline,
                             hint="translate the sentence (or restore mt's draft) before importing")
        sources.append(_inline_text(source).strip() if source is not None else "")
        targets.append(_inline_text(target).strip())
        state = seg.get("state", "initial")
        if state not in STATES:
            raise InputError(f"unit {uid}: unknown state '{state}'", file=name, line=seg.sourceline,
                             hint=f"use one of {', '.join(STATES)}")
        states.append(state)
    draft = next((meta.text or "" for meta in element.iter(f"{{{MDA}}}meta")
                  if meta.get("type") == "draft" and meta.getparent().get("category") == "mt"), None)
    return Unit(uid, paragraph, index, " ".join(sources), " ".join(targets), min(states, key=STATES.index),
                draft, line)


def read(path: str | Path) -> Bilingual:
    """A post-edited XLIFF 2.0 file. Raises InputError naming file and line for a
    file that is not XLIFF 2.0 from kk into de/en/ru, a unit id mt did not write
    (or one that repeats), or a segment without a target."""
    return read_tree(_xml.parse(path, "XLIFF"), str(path))


def read_tree(tree, name: str) -> Bilingual:
    """read() of a parsed file."""
    root = tree.getroot()
    src, tgt = _check_root(root, name)
    files = [el for el in root if _xml.local(el) == "file"]
    units = collect_units((unit for file in files for unit in file.iter(_x("unit"))), _unit_of, name)
    if not units:
        raise InputError("no units in this XLIFF file", file=name, line=root.sourceline,
                         hint="give the .xlf file `mt translate --format xliff` wrote")
    original = next((file.get("original") or "" for file in files), "")
    return Bilingual(name, src, tgt, tuple(units), original, root.get("version", "2.0"))


def collect_units(elements, unit_of, name: str) -> list[Unit]:
    """unit_of(element, name) of each unit element; a repeated unit id is an error."""
    units: list[Unit] = []
    seen: dict[str, int] = {}  # unit id -> its line
    for element in elements:
        unit = unit_of(element, name)
        if unit.id in seen:
            raise InputError(f"unit id '{unit.id}' appears twice (first on line {seen[unit.id]})", file=name,
                             line=unit.line, hint="each sentence must stay one unit")
        seen[unit.id] = unit.line
        units.append(unit)
    return units

