"""Acronyms and codes: an all-capitals word or an alphanumeric code of the source (ЕҚДБ,
BASF, A321LR, COVID-19) is in the translation unchanged, or in a form the glossary, CLDR
or the table of Kazakh acronyms gives it (ҚР -> RK, РК; АҚШ -> USA, США)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.glossary.translit import to_russian
from mt.glossary.verify import contains
from mt.qa.base import Context, check, quote_list
from mt.qa.lexicon import is_acronym, names
from mt.qa.numbers import roman_value
from mt.types import GlossaryEntry

# Whole words of capitals (a Kazakh suffix after a hyphen or apostrophe is not part of
# it: ЕҚДБ-ның, АҚШ-тың), with a number joined by a hyphen (COVID-19).
_WORD = re.compile(r"(?<![\w-])([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,8}(?:-\d+)?)(?![\w])")
# Codes: letters and digits in one token (A321LR, Су-30СМ, KZ-001), not a number with a
# Kazakh suffix (2025-жылы, 300-ден) nor an ordinal (15-ші).
_CODE = re.compile(r"(?<![\w-])((?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w]+(?:[-/][\w]+)*)(?![\w])")
_LATIN = re.compile(r"^[A-Za-z0-9/-]+$")


def _source_codes(source: str) -> list[str]:
    found = []
    for m in _CODE.finditer(source):
        token = m.group(1)
        head = re.match(r"\d+", token)
        if head and not re.search(r"\d", token[head.end():]) and token[head.end():head.end() + 1] in "-'’":
            continue  # 300-ден, 2025-жылы: a number with a suffix
        letters = [c for c in token if c.isalpha()]
        if head and all(c.islower() for c in letters):
            continue  # 15мың, 5км: a number and a word written together
        found.append(token)
    return found


def _acronyms(source: str) -> list[str]:
    tokens = _WORD.findall(source)
    # A headline in capitals is not a row of acronyms.
    letters = [w for w in re.findall(r"[^\W\d_]{2,}", source)]
    if letters and len(tokens) > 0.5 * len(letters):
        return []
    return [t for t in tokens if not (set(t) <= set("IVXLC") and roman_value(t) is not None)]


# Cyrillic letters that look like Latin ones: М16 typed for M16 is the code unchanged.
_LOOKALIKE = str.maketrans("АВЕКМНОРСТХаеорсух", "ABEKMHOPCTXaeopcyx")


def _present(form: str, target: str, lang: str) -> bool:
    target = target.translate(_LOOKALIKE) if _LATIN.match(form) else target
    if is_acronym(form.replace(".", "")) or _LATIN.match(form):
        # also at the start of a longer acronym: US in USGS, ЕС in ЕСПЧ
        tail = r"[A-ZА-ЯЁ]*" if form.isupper() else ""
        return re.search(rf"(?<![^\W\d_]){re.escape(form)}{tail}(?![^\W\d_])", target) is not None \
            or (form.isupper() and re.search(rf"(?<![^\W\d_]){re.escape(form)}-", target) is not None)
    if lang == "ru" and re.search(r"[сц]кий$", form):  # американский: американских, американо-
        return re.search(rf"(?<!\w){re.escape(form[:-4])}\w*", target, re.I) is not None
    # a word form as a glossary variant: every case, and a compound's first part
    entry = GlossaryEntry("acronym", "term", form, form, form, form,
                          en_variants=(form,), de_variants=(form,), ru_variants=(form,))
    return contains(target, entry, lang)


def _cyrillic_forms(token: str) -> set[str]:
    return {token, to_russian(token)}


@check("acronyms", "warning", "Acronym or code of the source changed or missing")
def acronyms(ctx: Context) -> Iterator[str]:
    known = names(ctx.entries.values()).acronyms
    missing: list[str] = []
    for token in dict.fromkeys([*_acronyms(ctx.source), *_source_codes(ctx.source)]):
        base = token.split("-")[0] if "-" in token and token.split("-")[0] in known else token
        forms = known.get(base, {}).get(ctx.tgt_lang, ())
        if forms:
            if not any(_present(form, ctx.target, ctx.tgt_lang) for form in forms) and \
                    not _present(base, ctx.target, ctx.tgt_lang) and not (_LATIN.match(base) and _ru_rendering(base, ctx)):
                missing.append(f"{token} (as {' / '.join(forms[:3])})")
        elif _LATIN.match(token):
            if not _present(token, ctx.target, ctx.tgt_lang) and not _ru_rendering(token, ctx):
                missing.append(token)
        elif any(ch.isdigit() for ch in token):
            # A Cyrillic code (Су-30СМ) is transliterated: its numbers stay.
            if not all(n in ctx.target for n in re.findall(r"\d+", token)):
                missing.append(token)
        elif ctx.tgt_lang == "ru" and is_acronym(token):
            # An acronym with no known form: a Russian text keeps it (ҚМГ -> КМГ) or spells it out;
            # only a near miss (another acronym in its place) is reported.
            if not any(_present(f, ctx.target, "ru") for f in _cyrillic_forms(token)) and _near_miss(token, ctx.target):
                missing.append(token)
    if missing:
        yield f"not in the translation as in the source or the glossary: {quote_list(missing)}"


def _ru_rendering(token: str, ctx: Context) -> bool:
    """A Latin acronym a Russian text writes in Cyrillic (NASA -> НАСА): an acronym of the
    same length there that the source does not have."""
    if ctx.tgt_lang != "ru" or not token.isalpha() or not token.isupper():
        return False
    return any(len(w) in (len(token), len(token) + 1) and w not in ctx.source
               for w in re.findall(r"\b[А-ЯЁ]{2,}\b", ctx.target))


def _near_miss(token: str, target: str) -> bool:
    folded = to_russian(token)
    return any(sorted(w) == sorted(folded) and w != folded for w in re.findall(r"\b[А-ЯЁ]{2,}\b", target))
