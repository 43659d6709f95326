"""Marks copied or converted, not translated: quotation marks in the target's style,
URLs and e-mail addresses unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.qa.base import Context, check, quote_list
from mt.qa.langdata import QUOTE_MARKS, QUOTE_STYLE, QUOTES_ALLOWED

# Direct speech in Kazakh: a line opening with a quote mark, or «...», – деді (dash
# attribution). Any mark may open or close a quotation as people type them (”Әрине”,
# “...“, "...“, ‹...›): the source's marks tell that there is a quotation, never its style.
OPENING_RE = re.compile(r"(?:^|(?<=[\s(]))“(?=\S)")
_ANY_QUOTE = "«»“”„‟\"‹›"
SPEECH_RE = re.compile(rf"^\s*[{_ANY_QUOTE}]|[{_ANY_QUOTE}]\s*,?\s*[–—-]\s*\w")


@check("quotes", "warning", "Quotation marks not in the target language's style")
def quotes(ctx: Context) -> Iterator[str]:
    allowed = QUOTES_ALLOWED.get(ctx.tgt_lang)
    if allowed is None:
        return
    marks = [ch for ch in ctx.target if ch in QUOTE_MARKS]
    wrong = sorted({ch for ch in marks if ch not in allowed})
    # German closes with “; one in opening position starts an English-style quote.
    if ctx.tgt_lang == "de" and OPENING_RE.search(ctx.target):
        wrong.append("“ as opening mark")
    if wrong:
        yield f"use {QUOTE_STYLE[ctx.tgt_lang]} in {ctx.tgt_lang}, not {' '.join(wrong)}"
    elif not marks and SPEECH_RE.search(ctx.source):
        yield "the source quotes direct speech but the translation has no quotation marks"


URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>«»\"“”„]+", re.I)
DOMAIN_RE = re.compile(r"(?<![@\w.])(?:[a-z0-9-]+\.)+(?:kz|com|org|net|ru|de|gov|edu|info|io|eu|uk)"
                       r"(?:/[^\s<>«»\"“”„]*)?(?![\w.-]*\w)", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?)»”\"'"


def links_in(text: str) -> list[str]:
    emails = [m.group() for m in EMAIL_RE.finditer(text)]
    rest = EMAIL_RE.sub(" ", text)
    urls = [m.group().rstrip(_TRAILING) for m in URL_RE.finditer(rest)]
    rest = URL_RE.sub(" ", rest)
    urls += [m.group().rstrip(_TRAILING) for m in DOMAIN_RE.finditer(rest)]
    return list(dict.fromkeys(emails + urls))


@check("links", "error", "URL or e-mail address changed or missing")
def links(ctx: Context) -> Iterator[str]:
    target = ctx.target.casefold()
    missing = [link for link in links_in(ctx.source) if link.casefold() not in target]
    if missing:
        yield f"not found unchanged in the translation: {quote_list(missing)}"
