"""XLIFF 1.2 (OASIS, strict schema) for CAT tools that do not read XLIFF 2.0 (OmegaT 3.6,
older Trados and memoQ, many TMS exports): dumps(result, lang, meta) -> bytes writes one
target language of a translated release; read(path) -> xliff.Bilingual reads a
post-edited file back, as mt.formats.xliff does for 2.0.

Layout (valid against xliff-core-1.2-strict.xsd; the same ids as the 2.0 file):

    <xliff version="1.2">
      <file original="release.kk.txt" source-language="kk" target-language="de" datatype="plaintext">
        <header>
          <tool tool-id="mt" .../>                  mt and its version
          <note from="mt:engine">...</note>        engine, model, revision, licence, signature, glossary
        <body>
          <group id="p0" restype="x-mt-title">      one group per paragraph (p0 = title)
            <trans-unit id="p0-s0">                 one unit per sentence, ids as `mt segment`
              <source>... <mrk mtype="term" comment="mt-glossary:ID">term</mrk> ...</source>
              <target state="translated">...       translated; signed-off (+ approved="yes") for
                                                    machine output a translator confirmed
              <note from="mt-qa:CHECK" priority="1" annotates="target">   QA findings
              <alt-trans alttranstype="previous-version" origin="mt-draft" extradata="ORIGIN">
                <target>the draft mt wrote</target>   (what edits are detected against)
              <alt-trans match-quality="87" origin="mt translation memory (human)">  fuzzy matches

OmegaT 3.6 translates the text of <target>, not of <source> (its XLIFF filter expects files
prepared with the source copied into the target), so `--format xliff12-omegat` writes that
layout (dumps_for_omegat): the source copied, as plain text, into <target state="new">, mt's
draft only in the <alt-trans>. Reading skips units whose target is still their source (not translated).

Terms are <mrk mtype="term">; 1.2 has no reference attribute, so the glossary id goes in
`comment`. Reading maps 1.2 states onto mt's (2.0) ones: new and needs-* are initial,
translated is translated, signed-off (or approved="yes") is reviewed, final is final.
"""

from __future__ import annotations

from lxml import etree

from mt import __version__
from mt.errors import InputError
from mt.formats import _xml
from mt.formats.xliff import (
    SOURCE,
    TARGETS,
    TERM_REF,
    Bilingual,
    Unit,
    collect_units,
    file_id,
    fill_marked,
    parse_unit_id,
    primary,
    target_marks,
    unit_id,
)
from mt.types import APPROVED, ReleaseResult, Segment, Translation

NAME = "xliff12"
KIND = "bilingual"
SUFFIXES = (".xliff",)  # .xlf stays XLIFF 2.0; `mt translate --format xliff12` writes RELEASE.<lang>.xliff

NS = "urn:oasis:names:tc:xliff:document:1.2"
DRAFT_ORIGIN = "mt-draft"
_PRIORITY = {"error": "1", "warning": "5", "info": "9"}
# XLIFF 1.2 target states -> mt's (XLIFF 2.0) states.
STATE_MAP = {"new": "initial", "needs-translation": "initial", "needs-adaptation": "initial",
             "needs-l10n": "initial", "needs-review-translation": "translated",
             "needs-review-adaptation": "translated", "needs-review-l10n": "translated",
             "translated": "translated", "signed-off": "reviewed", "final": "final"}
_ORDER = ("initial", "translated", "reviewed", "final")
_CODES = {"bpt", "ept", "ph", "it", "sub"}  # native codes: no sentence text
_EMPTY = {"x", "bx", "ex"}                   # placeholders: no text


def _x(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, **attrs: str | None):
    element = etree.SubElement(parent, _x(tag), {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _marked(element, text: str, marks: list[tuple[int, int, str]]) -> None:
    """Fill `element` with `text`, the spans in `marks` (start, end, term id) wrapped in
    <mrk mtype="term">; an overlapping span keeps the first."""
    fill_marked(element, text, marks,
                lambda parent, chunk, term_id: _sub(parent, "mrk", chunk, mtype="term", comment=f"{TERM_REF}{term_id}"))


def _unit(parent, result: ReleaseResult, segment: Segment, translation: Translation, lang: str,
          source_in_target: bool) -> None:
    confirmed = translation.origin == APPROVED and not source_in_target
    unit = _sub(parent, "trans-unit", id=unit_id(segment), approved="yes" if confirmed else None)
    hits = [h for h in result.hits if h.segment == segment.index]
    source_marks = [(h.start, h.end, h.id) for h in hits]
    _marked(_sub(unit, "source"), segment.text, source_marks)
    ids = {hit.id: hit.id for hit in hits}
    if source_in_target:
        # OmegaT 3.6 translates what <target> holds: the source, to be replaced. Plain text:
        # markup there would become tags in OmegaT's segment, and its memories match none.
        _sub(unit, "target", segment.text, state="new")
    else:
        target = _sub(unit, "target", state="signed-off" if confirmed else "translated")
        _marked(target, translation.text, [(start, end, term) for start, end, _, term in
                                           target_marks(translation, lang, ids)])
    for finding in (f for f in result.findings if f.segment == segment.index and f.lang in (lang, "")):
        _sub(unit, "note", f"{finding.severity}: {finding.message}", from_=f"mt-qa:{finding.check}",
             priority=_PRIORITY.get(finding.severity, "5"), annotates="target")
    draft = _sub(unit, "alt-trans", alttranstype="previous-version", origin=DRAFT_ORIGIN,
                 extradata=translation.origin or None)
    _sub(draft, "target", translation.text)
    for match in (m for m in result.matches if m.segment == segment.index and m.lang == lang):
        candidate = _sub(unit, "alt-trans", match_quality=f"{match.score:g}",
                         origin=f"mt translation memory ({match.origin})")
        _sub(candidate, "source", match.source)
        _sub(candidate, "target", match.target)


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None, source_in_target: bool = False) -> bytes:
    """XLIFF 1.2 of `result` into `lang` (see the module's docstring); `meta` as for
    mt.formats.xliff.dumps. `source_in_target`: the layout OmegaT 3.6 needs (its XLIFF
    filter takes the text to translate from <target>, and finds no segment in a unit
    without one): <target state="new"> holds a copy of the source, mt's draft is only the
    <alt-trans origin="mt-draft">."""
    meta = meta or {}
    root = etree.Element(_x("xliff"), version="1.2", nsmap={None: NS})
    file = _sub(root, "file", original=str(meta.get("input") or result.document.path), source_language=SOURCE,
                target_language=lang, datatype="plaintext", tool_id="mt", product_name=file_id(result, meta))
    header = _sub(file, "header")
    _sub(header, "tool", tool_id="mt", tool_name="mt", tool_version=__version__)
    _sub(header, "note", "Machine translation draft. Set sentences you have checked to signed-off or final; "
                         "then `mt tm import` this file so the next release reuses your translations.", from_="mt")
    for key in ("engine", "model", "revision", "licence", "signature", "glossary"):
        if meta.get(key):
            _sub(header, "note", str(meta[key]), from_=f"mt:{key}")
    body = _sub(file, "body")
    groups: dict[int, etree._Element] = {}
    for segment, translation in zip(result.segments, result.translations[lang], strict=True):
        if segment.paragraph not in groups:
            groups[segment.paragraph] = _sub(body, "group", id=f"p{segment.paragraph}",
                                             restype="x-mt-title" if segment.paragraph == 0 else "x-mt-paragraph")
        _unit(groups[segment.paragraph], result, segment, translation, lang, source_in_target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def dumps_for_omegat(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    """dumps() with source_in_target: `mt translate --format xliff12-omegat`."""
    return dumps(result, lang, meta, source_in_target=True)


# ---------------------------------------------------------------- reading

def inline_text(element) -> str:
    """Plain text of a <source>/<target>: <mrk> and <g> keep their text, native codes
    and placeholders none."""
    parts = [element.text or ""]
    for child in element:
        kind = _xml.local(child)
        if kind in ("mrk", "g"):
            parts.append(inline_text(child))
        elif kind not in _CODES and kind not in _EMPTY and kind:
            parts.append(_xml.text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _state(unit, target, name: str) -> str:
    value = target.get("state", "")
    if value and value not in STATE_MAP and not value.startswith("x-"):
        raise InputError(f"unit {unit.get('id')}: unknown state '{value}'", file=name, line=target.sourceline,
                         hint=f"XLIFF 1.2 states are {', '.join(STATE_MAP)}")
    state = STATE_MAP.get(value, "translated" if value else "initial")
    if unit.get("approved") == "yes":
        state = max(state, "reviewed", key=_ORDER.index)
    return state


def _unit_of(element, name: str) -> Unit:
    uid, line = element.get("id", ""), element.sourceline or 0
    paragraph, index = parse_unit_id(uid, name, line)
    source = next((el for el in element if _xml.local(el) == "source"), None)
    target = next((el for el in element if _xml.local(el) == "target"), None)
    if target is None or not inline_text(target).strip():
        raise InputError(f"unit {uid} has no target", file=name, line=(target if target is not None else
                                                                      element).sourceline,
                         hint="translate the sentence (or restore mt's draft) before importing")
    draft = next((alt for alt in element if _xml.local(alt) == "alt-trans" and alt.get("origin") == DRAFT_ORIGIN),
                 None)
    draft_target = next((el for el in draft if _xml.local(el) == "target"), None) if draft is not None else None
    source_text = inline_text(source).strip() if source is not None else ""
    text, state = inline_text(target).strip(), _state(element, target, name)
    if state not in ("reviewed", "final") and " ".join(text.split()) == " ".join(source_text.split()):
        text, state = "", "initial"  # the source still in <target> (OmegaT's layout): not translated
    return Unit(uid, paragraph, index, source_text, text, state,
                inline_text(draft_target) if draft_target is not None else None, line)


def _check_root(root, name: str) -> tuple[str, str, list]:
    if _xml.local(root) != "xliff" or etree.QName(root).namespace != NS:
        raise InputError(f"not an XLIFF 1.2 document (<{_xml.local(root)}> in namespace "
                         f"{etree.QName(root).namespace or 'none'})", file=name, line=root.sourceline,
                         hint=f"the root must be <xliff xmlns=\"{NS}\" version=\"1.2\">")
    files = [el for el in root if _xml.local(el) == "file"]
    if not files:
        raise InputError("no <file> in this XLIFF file", file=name, line=root.sourceline,
                         hint="give the .xliff file `mt translate --format xliff12` wrote")
    src, tgt = files[0].get("source-language"), files[0].get("target-language")
    if primary(src) != SOURCE:
        raise InputError(f"source-language is '{src}', not Kazakh (kk)", file=name, line=files[0].sourceline,
                         hint="mt translates from Kazakh; give the file mt wrote for this release")
    if primary(tgt) not in TARGETS or any(primary(f.get("target-language")) != primary(tgt) for f in files):
        raise InputError(f"target-language is '{tgt}'" if tgt else "no target-language", file=name,
                         line=files[0].sourceline,
                         hint=f"one target language per file, one of {', '.join(TARGETS)}")
    return SOURCE, primary(tgt), files


def read(path) -> Bilingual:
    """A post-edited XLIFF 1.2 file. Raises InputError naming file and line, as
    mt.formats.xliff.read does for 2.0."""
    return read_tree(_xml.parse(path, "XLIFF"), str(path))


def read_tree(tree, name: str) -> Bilingual:
    """read() of a parsed file."""
    root = tree.getroot()
    src, tgt, files = _check_root(root, name)
    units = collect_units((u for file in files for u in file.iter(_x("trans-unit"))), _unit_of, name)
    if not units:
        raise InputError("no trans-units in this XLIFF file", file=name, line=root.sourceline,
                         hint="give the .xliff file `mt translate --format xliff12` wrote")
    return Bilingual(name, src, tgt, tuple(units), files[0].get("original") or "", root.get("version", "1.2"))
