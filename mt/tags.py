"""The tag protocol: how inline spans travel through an engine as placeholder tags.

A sentence with inline spans (a bold word, a link, inline code) goes to the engine
with Latin letter+digit tags, the way mt.glossary.enforce masks glossary terms as
ZX1 (NLLB-200 copies such tokens): ZB1 ... ZE1 around span 1, and ZM1 in place of
masked content (inline code, an image, a line break), which is put back as it was.
This module writes the tags into a sentence (tag_sentence) and reads them out of a
translation (strip_tags: the text without tags and where each tag stood), whatever a
model made of them (case, a space inside, Cyrillic look-alikes, a case suffix).
Where the spans go from there is mt.inline.spans; the pipeline step is mt.inline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mt.types import Span

OPEN, CLOSE, MASK = "ZB{n}", "ZE{n}", "ZM{n}"
# What a model may make of a tag: case changes, a space inside, Cyrillic look-alikes
# (З В Е М), a case suffix it attached (ZE1-де).
_TAG_RE = re.compile(r"(?<!\w)[ZzЗз]\s?([BbВвEeЕеMmМм])\s?(\d{1,2})(?:-[^\W\d_]{1,4})?(?!\w)")
_KINDS = {"b": "open", "в": "open", "e": "close", "е": "close", "m": "mask", "м": "mask"}
_NO_SPACE_BEFORE = set(",.;:!?)]}»”’…%")


@dataclass(frozen=True)
class Tagged:
    """One sentence as the engine sees it. `spans` are the sentence's own (offsets
    into `plain`); `numbers[k]` is span k's tag number, 0 when it needs no tag."""

    plain: str
    text: str
    spans: tuple[Span, ...]
    numbers: tuple[int, ...]
    to_plain: tuple[int, ...]  # index in `text` -> index in `plain`, -1 inside a tag


def blank_tags(text: str) -> str:
    """`text` with each tag replaced by as many spaces (offsets unchanged)."""
    return _TAG_RE.sub(lambda m: " " * len(m.group()), text)


def without_tags(text: str) -> str:
    """`text` with tags removed (for display)."""
    if not _TAG_RE.search(text):
        return text
    return re.sub(r" +([,.;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", _TAG_RE.sub("", text))).strip()


# -- source side ---------------------------------------------------------------------

def _whole(plain: str, span: Span) -> bool:
    words = [m.span() for m in re.finditer(r"\w+", plain)]
    return bool(words) and span.start <= words[0][0] and span.end >= words[-1][1]


def tag_sentence(plain: str, spans: Sequence[Span]) -> Tagged:
    """`plain` with tags for `spans` (offsets into `plain`)."""
    spans = tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.mark)))
    numbers, n = [], 0
    for span in spans:
        needs_tag = span.mask or not _whole(plain, span)
        n += needs_tag
        numbers.append(n if needs_tag else 0)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    masked: dict[int, tuple[int, str]] = {}
    for span, number in zip(spans, numbers, strict=True):
        if not number:
            continue
        if span.mask:
            masked[span.start] = (span.end, MASK.format(n=number))
        else:
            opens.setdefault(span.start, []).append(OPEN.format(n=number))
            closes.setdefault(span.end, []).insert(0, CLOSE.format(n=number))  # inner first
    out: list[str] = []
    back: list[int] = []
    pending = False  # a space is owed after a tag

    def token(text: str) -> None:
        nonlocal pending
        if out and not out[-1].isspace():
            out.append(" ")
            back.append(-1)
        out.extend(text)
        back.extend([-1] * len(text))
        pending = True

    def char(i: int) -> None:
        nonlocal pending
        c = plain[i]
        if pending and not c.isspace() and c not in _NO_SPACE_BEFORE:
            out.append(" ")
            back.append(-1)
        if not (c.isspace() and out and out[-1].isspace()):
            out.append(c)
            back.append(i)
        pending = False

    i = 0
    while i <= len(plain):
        for tag in closes.get(i, ()):
            token(tag)
        for tag in opens.get(i, ()):
            token(tag)
        if i in masked:
            end, tag = masked[i]
            token(tag)
            if end > i:  # the content is not sent
                i = end
                continue
        if i < len(plain):
            char(i)
        i += 1
    while out and out[-1].isspace():
        out.pop()
        back.pop()
    return Tagged(plain, "".join(out), spans, tuple(numbers), tuple(back))


# -- target side ---------------------------------------------------------------------

def strip_tags(output: str, tagged: Tagged) -> tuple[str, dict[tuple[str, int], int]]:
    """The output without tags (masks replaced by their content); where each tag
    stood first, as (kind, number) -> offset in the returned text."""
    contents = {number: tagged.plain[s.start:s.end]
                for s, number in zip(tagged.spans, tagged.numbers, strict=True) if number and s.mask}
    built = ""
    where: dict[tuple[str, int], int] = {}
    pos = 0
    for m in _TAG_RE.finditer(output):
        built += output[pos:m.start()]
        pos = m.end()
        kind, number = _KINDS[m.group(1).lower()], int(m.group(2))
        known = number in contents if kind == "mask" else number in tagged.numbers and number > 0
        if (kind, number) in where or not known:
            kind = "junk"
        rest = output[pos:]
        if kind == "mask":
            where[(kind, number)] = len(built)
            built += contents[number]
            continue
        # A removed tag leaves one space at most, none before closing punctuation.
        if built.endswith(" ") and (not rest[:1] or rest[:1].isspace() or rest[:1] in _NO_SPACE_BEFORE):
            built = built.rstrip(" ")
        if kind != "junk":
            where[(kind, number)] = len(built) + (1 if kind == "open" and built and rest[:1].isspace() else 0)
        if not built:
            pos += len(rest) - len(rest.lstrip())
    built += output[pos:]
    text = re.sub(r"[ \t]{2,}", " ", built)
    if text != built:  # collapsing spaces moved offsets: recompute them on the collapsed text
        where = {key: len(re.sub(r"[ \t]{2,}", " ", built[:at])) for key, at in where.items()}
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    return stripped, {key: max(0, min(len(stripped), at - lead)) for key, at in where.items()}


