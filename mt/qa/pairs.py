"""Brackets and paired quotation marks: every opening mark closed in the translation, and
as many brackets as the source has."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.qa.base import Context, check

BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))
# Quotation marks that open and close differently, per target language. German closes
# with “, which opens in English; « » pair in every language.
QUOTE_PAIRS = {"en": (("“", "”"), ("«", "»")), "de": (("„", "“"), ("«", "»")),
               "ru": (("«", "»"), ("„", "“"))}


def unpaired(text: str, opening: str, closing: str) -> tuple[int, int]:
    """(closing marks with no opening before them, opening marks never closed)."""
    depth = stray = 0
    for ch in text:
        if ch == opening:
            depth += 1
        elif ch == closing:
            if depth:
                depth -= 1
            else:
                stray += 1
    return stray, depth


def _anchors_lost(inner: str, target: str) -> bool:
    anchors = re.findall(r"\d+|[A-Za-z][A-Za-z.&-]+", inner)
    digits = re.sub(r"\D", "", target)
    return bool(anchors) and any((a.isdigit() and a not in digits) or (not a.isdigit() and a not in target)
                                 for a in anchors)


_SOURCE_QUOTATION = re.compile(r"«[^«»]*»|“[^“”]*”|„[^„“”]*[“”]|\"[^\"]*\"")
# A quoted name (an agency, a club, a hurricane) is often written without quotation marks
# in English, German or Russian; quoted speech, titles and phrases of three words or more
# are not.
MIN_QUOTED_WORDS = 3


def _quotations(text: str) -> int:
    """Quotations of three words or more in the Kazakh source, as people type them."""
    return sum(1 for m in _SOURCE_QUOTATION.finditer(text) if len(re.findall(r"\w+", m.group())) >= MIN_QUOTED_WORDS)


def _target_quotations(text: str, lang: str) -> int:
    count = sum(min(text.count(o), text.count(c)) for o, c in QUOTE_PAIRS.get(lang, ())) + text.count('"') // 2
    if lang == "en":  # a quotation inside a quotation: ‘...’ or '...'
        count += min(text.count("‘"), text.count("’")) + len(re.findall(r"(?:^|\s)'\w[^']*\w[,.!?]?'", text))
    return count


SOURCE_QUOTES = (("«", "»"), ("“", "”"), ("„", "“"))
# Russian closes a name quoted inside a quoted name once: АО «ТНК «Казхром».
_RU_NESTED = re.compile(r"«([^«»]*)«([^«»]*)»(?!\s*»)")


def _source_quote_imbalance(source: str) -> tuple[bool, bool]:
    """Does the source leave a quotation open, or close one opened in an earlier sentence?"""
    found = [unpaired(source, o, c) for o, c in SOURCE_QUOTES]
    return any(s for s, _ in found), any(u for _, u in found)


@check("brackets", "warning", "Unpaired brackets or quotation marks, or brackets missing")
def brackets(ctx: Context) -> Iterator[str]:
    stray_quote, open_quote = _source_quote_imbalance(ctx.source)
    for opening, closing in [*BRACKETS, *QUOTE_PAIRS.get(ctx.tgt_lang, ())]:
        text = ctx.target
        if opening == "«" and ctx.tgt_lang == "ru":
            text = _RU_NESTED.sub(r"\1\2", text)
        stray, unclosed = unpaired(text, opening, closing)
        # The source's own imbalance (a list item "1)", a quotation over two sentences)
        # is carried over, not made.
        if (stray, unclosed) == unpaired(ctx.source, opening, closing):
            continue
        if (opening, closing) not in BRACKETS:
            stray, unclosed = (0 if stray_quote else stray), (0 if open_quote else unclosed)
        if stray:
            yield f"{closing} without {opening} in the translation"
        if unclosed:
            yield f"{opening} never closed with {closing} in the translation"
    for opening, closing in BRACKETS:
        in_source = min(ctx.source.count(opening), ctx.source.count(closing))
        in_target = min(ctx.target.count(opening), ctx.target.count(closing))
        if in_source == in_target or unpaired(ctx.target, opening, closing) != (0, 0):
            continue
        if in_target > in_source:
            yield f"the source has {in_source} {opening}{closing}, the translation {in_target}"
            continue
        # Fewer brackets: a translation may rightly rephrase "(Мэриленд)" as ", Maryland";
        # reported when what the source's brackets hold (a number, a Latin word) is gone too.
        lost = [inner for inner in re.findall(rf"{re.escape(opening)}([^{re.escape(opening + closing)}]*){re.escape(closing)}", ctx.source)
                if _anchors_lost(inner, ctx.target)]
        if lost:
            yield (f"the source has {in_source} {opening}{closing}, the translation {in_target}; "
                   f"missing: {opening}{lost[0]}{closing}")
    source_quotes, target_quotes = _quotations(ctx.source), _target_quotations(ctx.target, ctx.tgt_lang)
    # A translation without any quotation marks is the quotes check's to report.
    if target_quotes and source_quotes > target_quotes:
        yield f"the source has {source_quotes} quotations, the translation {target_quotes}"
