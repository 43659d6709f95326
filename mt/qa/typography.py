"""Spacing and typography of the target language, each finding with the fix shown:
doubled, leading and trailing spaces, a space before punctuation or inside quotation
marks and brackets, the dash, the percent sign; and (info) no-break spaces between a
number and its unit."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.qa.base import Context, check
from mt.qa.langdata import INNER_SPACE_MARKS, NBSP_UNITS, PERCENT_SPACE

NBSP = "\u00a0"
_SHOW = 12  # characters of context either side of a fix


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - _SHOW):min(len(text), end + _SHOW)].strip(" ")


def _fix(text: str, start: int, end: int, replacement: str) -> str:
    """'before' -> 'after', around the span replaced."""
    fixed = text[:start] + replacement + text[end:]
    left = max(0, start - _SHOW)
    before = text[left:min(len(text), end + _SHOW)]
    after = fixed[left:min(len(fixed), start + len(replacement) + _SHOW)]
    shown = (before.replace(NBSP, "⍽"), after.replace(NBSP, "⍽"))
    return f"'{shown[0]}' -> '{shown[1]}'"


def _first(kind: str, text: str, matches: list[re.Match[str]], replace: str | None = None,
           note: str = "") -> Iterator[str]:
    if not matches:
        return
    m = matches[0]
    more = f" (+{len(matches) - 1} more)" if len(matches) > 1 else ""
    fix = _fix(text, m.start(), m.end(), m.expand(replace) if replace is not None else "")
    yield f"{kind}: {fix}{more}{note}"


# Punctuation that takes no space before it in en, de and ru. Not before a word character
# (.NET, .kz), not an ellipsis or a second mark of a run.
_SPACE_BEFORE = re.compile(r"(?<=[\w\"”“»)\]]) +(?=[,.:;!?](?:\s|$|[\"”“»)\]]))")
_DOUBLE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
# A hyphen with spaces standing for a dash, between words or after a closing quote.
_SPACED_HYPHEN = re.compile(r"(?<=[\w\"”“»),]) - (?=[\w\"„“«(])")
# Russian sets the em dash between words with spaces: слово — слово. An en dash closed up
# is a range (январе–июне, 1941–1945) and stays.
_RU_TIGHT_DASH = re.compile(r"(?<=[^\W\d_])(—)(?=\w)|(?<=\w)(—)(?=[^\W\d_])")
DASH = {"en": "–", "de": "–", "ru": "–"}


def _inner_spaces(text: str, lang: str) -> list[re.Match[str]]:
    openers, closers = INNER_SPACE_MARKS.get(lang, ("([", ")]"))
    pattern = rf"(?:(?:^|(?<=\s))([{re.escape(openers)}]) +(?=\w))|(?:(?<=[\w.!?,]) +([{re.escape(closers)}])(?=\W|$))"
    return list(re.finditer(pattern, text))


@check("spacing", "warning", "Spacing and typography of the target language")
def spacing(ctx: Context) -> Iterator[str]:
    text, lang = ctx.target, ctx.tgt_lang
    if text != text.lstrip():
        yield "leading space: remove it"
    if text != text.rstrip():
        yield "trailing space: remove it"
    yield from _first("double space", text, list(_DOUBLE.finditer(text)), " ")
    yield from _first("space before punctuation", text, list(_SPACE_BEFORE.finditer(text)), "")
    inner = _inner_spaces(text, lang)
    if inner:
        m = inner[0]
        mark = m.group(1) or m.group(2)
        yield from _first("space inside quotation marks or brackets", text, [m], mark,
                          f" (+{len(inner) - 1} more)" if len(inner) > 1 else "")
    if lang in DASH:
        yield from _first("hyphen for a dash", text, list(_SPACED_HYPHEN.finditer(text)), f" {DASH[lang]} ")
    if lang == "ru":
        tight = list(_RU_TIGHT_DASH.finditer(text))
        if tight:
            m = tight[0]
            yield from _first("dash without spaces", text, [m], f" {m.group(1) or m.group(2)} ")
    percent = PERCENT_SPACE.get(lang)
    if percent is False:
        yield from _first("space before %", text, list(re.finditer(r"(?<=\d)[ \u00a0]+(?=%)", text)), "")
    elif percent is True:
        yield from _first("no space before %", text, list(re.finditer(r"(?<=\d)(?=%)", text)), NBSP)


def _unit_pattern(lang: str) -> re.Pattern[str]:
    units = sorted(NBSP_UNITS.get(lang, ()), key=len, reverse=True)
    alternation = "|".join(re.escape(u) for u in units)
    # a number, an ordinary space, a unit that is not the start of a longer word
    return re.compile(rf"(?<![\w.,])(\d+(?:[.,]\d+)?) ((?:{alternation}))(?![^\W\d_])")


_GROUPS = re.compile(r"(?<![\w.,])(\d{1,3})((?: \d{3})+)(?![\d])")


@check("nbsp", "info", "Ordinary space where a no-break space belongs (number and unit)")
def nbsp(ctx: Context) -> Iterator[str]:
    if ctx.tgt_lang not in NBSP_UNITS:
        return
    text = ctx.target
    found = list(_unit_pattern(ctx.tgt_lang).finditer(text))
    yield from _first("number and unit", text, found, rf"\1{NBSP}\2", " (⍽ = no-break space, U+00A0)")
    if ctx.tgt_lang in ("ru", "de"):
        groups = [m for m in _GROUPS.finditer(text) if not _phone_like(ctx.source, m.group())]
        if groups:
            m = groups[0]
            yield from _first("digit groups", text, [m], m.group(1) + m.group(2).replace(" ", NBSP),
                              " (⍽ = no-break space, U+00A0)")


def _phone_like(source: str, digits: str) -> bool:
    """Groups that the source writes the same way with more than one group of 2-3 digits
    after them are a phone number, not thousands (8 800 555 35 35)."""
    return len(digits.split()) > 2 and digits in source and re.search(re.escape(digits) + r" \d{2}\b", source) is not None
