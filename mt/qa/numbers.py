"""Numbers: every number of the Kazakh source must reappear in the translation,
written the target language's way (2,2 млн -> 2.2 million / 2,2 Mio. / 2,2 млн).

Numbers are compared by value: the source is read leniently (Kazakh writes 2,2 and
15 000, translationese sometimes 2.2), the translation strictly by its language's
rules, so "2,2 million" in English reads as 2 and 2 and is reported. Times, dates and
phone numbers are compared as units; so are codes and phone numbers written in groups
(0800 555 111, 8 800 555 35 35: digits, not thousands) and ranges (3–6 needs both ends,
never 36). Numbers written as words in the translation count (two billion, zwei
Milliarden, двух миллиардах: mt.qa.numwords, through num2words).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from mt.qa.base import Context, check, words
from mt.qa.langdata import EN_ATTACHED, MONTHS, MULTIPLIER_NAMES, MULTIPLIERS, NUMBER_WORDS
from mt.qa.numwords import word_values

_SPACES = " \u00a0\u202f"
PHONE_RE = re.compile(r"\+\d[\d \u00a0()\-]{6,}\d")
# Digits in groups that are no thousands: a leading zero (0800 555 111) or a later group
# that is not three digits (8 800 555 35 35, 555-12-34).
GROUPED_RE = re.compile(r"(?<![\d.,])\d+(?:[ \u00a0\-]\d+){2,}(?![\d,.]\d)")
# A range: 3–6, 10-15 (ASCII hyphen, en or em dash, optional spaces).
RANGE_RE = re.compile(r"(?<![\d.,])(\d+)\s?[–—-]\s?(\d+)(?![\d.,]\d)")
# 22:00, and the FLORES Kazakh quirks "10: 00" and race times "4: 41.30"
TIME_RE = re.compile(r"(?<![\d.,:])(\d{1,2}): ?(\d{2})(?:[.,]\d+)?(?![\d:])")
MILITARY_RE = re.compile(r"(?<!\d)([01]\d|2[0-3])([0-5]\d)\s?(?:GMT|UTC|hours|hrs|h)\b")
ROMAN_RE = re.compile(r"\b[IVXLC]{1,7}\b")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
DATE_RE = re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
CLOCK_RE = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|Uhr|час)", re.I)
# Kazakh source: space-grouped thousands, decimal comma or (translationese) dot.
SOURCE_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:([.,])(\d+))?")
TARGET_RE = {
    "en": re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(\d+))?"),
    "de": re.compile(r"(?<![\d.,])(\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?!\d)|\d+)(?:,(\d+))?"),
    "ru": re.compile(r"(?<![\d.,])(\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+)(?:,(\d+))?"),
}
NEXT_WORD_RE = re.compile(r"\s*([^\W\d_]+\.?)")


@dataclass(frozen=True)
class SourceNumber:
    text: str            # as written in the source, multiplier word included
    values: frozenset[float]
    base: str            # the digits part
    multiplier: float = 1.0
    code_like: bool = False  # written with a dot: may be an identifier (802.11) copied verbatim


def _multiplier(text: str, end: int, lang: str) -> tuple[float, int]:
    """The multiplier word right after a number ending at `end`, and where it ends."""
    if lang == "en":
        attached = re.match(r"(m|bn|k)(?![^\W\d_])", text[end:])
        if attached:
            return EN_ATTACHED[attached.group(1)], end + attached.end()
    match = NEXT_WORD_RE.match(text, end)
    if not match:
        return 1.0, end
    word = match.group(1).lower()
    for key, factor in MULTIPLIERS[lang].items():
        stem = key.rstrip("*")
        if (key.endswith("*") and word.rstrip(".").startswith(stem)) or word == key \
                or word.rstrip(".") == key:
            return factor, match.end()
    return 1.0, end


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _is_code(groups: list[str]) -> bool:
    """Groups of digits that are a phone number or code, not a number with thousands."""
    return groups[0].startswith("0") or any(len(g) != 3 for g in groups[1:])


def _codes(text: str) -> list[re.Match[str]]:
    return [m for m in GROUPED_RE.finditer(text) if _is_code(re.split(r"[ \u00a0\-]", m.group()))]


def _units(text: str) -> tuple[list[str], list[tuple[int, int]], list[tuple[int, int, int]], str]:
    """Phones and codes (digit strings), times (h, m), dates (d, m, y); the text with them blanked."""
    phones = [re.sub(r"\D", "", m.group()) for m in PHONE_RE.finditer(text)]
    text = _blank(text, [m.span() for m in PHONE_RE.finditer(text)])
    codes = _codes(text)
    phones += [re.sub(r"\D", "", m.group()) for m in codes]
    text = _blank(text, [m.span() for m in codes])
    dates = [(int(d), int(mo), int(y)) for d, mo, y in DATE_RE.findall(text)]
    text = _blank(text, [m.span() for m in DATE_RE.finditer(text)])
    times = [(int(h), int(mi)) for h, mi in TIME_RE.findall(text)]
    text = _blank(text, [m.span() for m in TIME_RE.finditer(text)])
    return phones, times, dates, text


def source_numbers(text: str) -> Iterator[SourceNumber]:
    for match in SOURCE_RE.finditer(text):
        whole, mark, frac = match.groups()
        integer = int(re.sub(f"[{_SPACES}]", "", whole))
        values = {float(integer)}
        if frac is not None:
            values = {integer + int(frac) / 10 ** len(frac)}
            if len(frac) == 3 and mark == "." or (mark == "," and len(frac) == 3 and len(whole) <= 3):
                values.add(integer * 1000.0 + int(frac))  # 1.500 / 1,500 may be thousands
        factor, end = _multiplier(text, match.end(), "kk")
        yield SourceNumber(text[match.start():end].strip(), frozenset(v * factor for v in values),
                           match.group(), factor, code_like=mark == ".")


def target_values(text: str, lang: str) -> set[float]:
    found: set[float] = set()
    for match in TARGET_RE[lang].finditer(text):
        whole, frac = match.groups()
        value = float(re.sub(r"[^\d]", "", whole))
        if frac is not None:
            value += int(frac) / 10 ** len(frac)
        factor, _ = _multiplier(text, match.end(), lang)
        found.add(value * factor)
        if factor != 1.0 and lang == "en" and text[match.end():match.end() + 1].isalpha():
            found.add(value)  # "40m" may be metres
    return found


def _close(value: float, pool: set[float]) -> bool:
    return any(math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9) for other in pool)


def _as_word(value: float, target: str, lang: str) -> bool:
    stems = NUMBER_WORDS.get(lang, {}).get(int(value)) if value == int(value) else None
    if not stems:
        return False
    tokens = [w.lower() for w in words(target)]
    if lang == "en":
        return any(token in stems for token in tokens)
    return any(token.startswith(stem) for token in tokens for stem in stems)


def format_number(number: SourceNumber, lang: str) -> str:
    """How `number` is written in `lang`, for messages: CLDR's decimal and grouping
    symbols through babel (2.2 / 2,2; 15,000 / 15.000 / 15 000), no grouping up to four
    digits (2025)."""

    from babel.numbers import format_decimal

    base = re.sub(f"[{_SPACES}]", "", number.base)
    integer, _, frac = base.replace(".", ",").partition(",")
    value = Decimal(f"{integer}.{frac}" if frac else integer)
    text = format_decimal(value, locale=lang, group_separator=len(integer) > 4, decimal_quantization=False)
    if lang == "ru":
        text = text.replace("\u00a0", " ")  # CLDR's no-break space, shown as a space
    name = MULTIPLIER_NAMES[lang].get(number.multiplier)
    return f"{text} {name}" if name else text


def _times(text: str) -> set[tuple[int, int]]:
    times = {(h % 12, m) for h, m in ((int(h), int(m)) for h, m in
                                      re.findall(r"(?<![\d.,:])(\d{1,2})(?:[:.]|: )(\d{2})(?![\d])", text))}
    times |= {(int(h) % 12, int(m or 0)) for h, m, _ in CLOCK_RE.findall(text)}
    times |= {(int(h) % 12, int(m)) for h, m in MILITARY_RE.findall(text)}
    return times


def roman_value(token: str) -> int | None:
    """XVIII -> 18; None for what is not a well-formed Roman numeral."""
    values = [ROMAN[ch] for ch in token]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return total if total > 0 and _to_roman(total) == token else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                            (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + letters, value - number
    return out


def _time_like(base: str, clock: set[tuple[int, int]]) -> bool:
    """15.00 in a source is often a time of day."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{2})", base)
    return match is not None and (int(match.group(1)) % 12, int(match.group(2))) in clock


def _has_month(target: str, month: int, lang: str) -> bool:
    stem = MONTHS[lang][month - 1] if 1 <= month <= 12 else None
    return stem is not None and any(w.lower().startswith(stem) for w in words(target))


@check("numbers", "error", "Number missing or not in the target language's format")
def numbers(ctx: Context) -> Iterator[str]:
    if ctx.tgt_lang not in TARGET_RE or not any(ch.isdigit() for ch in ctx.source):
        return
    phones, times, dates, source_rest = _units(ctx.source)
    target_phones, _, target_dates, target_rest = _units(ctx.target)
    pool = target_values(target_rest, ctx.tgt_lang)
    for d, mo, y in target_dates:
        pool |= {float(d), float(mo), float(y)}
    # Centuries and monarchs: XV век, 18. Jahrhundert is caught above, Henry VIII.
    romans = (roman_value(t) for t in ROMAN_RE.findall(ctx.target) if not (t == "I" and ctx.tgt_lang == "en"))
    pool |= {float(v) for v in romans if v}
    digits_only = re.sub(r"\D", "", ctx.target)
    for phone in phones:
        if phone not in target_phones and phone not in digits_only:
            yield f"phone number {phone} is missing"
    pool |= word_values(target_rest, ctx.tgt_lang)
    target_ranges = {(float(a), float(b)) for a, b in RANGE_RE.findall(target_rest)}
    for match in RANGE_RE.finditer(source_rest):
        low, high = float(match.group(1)), float(match.group(2))
        if low >= high:
            continue  # 2-1 (a score), 2025-2026 written the other way: plain numbers below
        if (low, high) not in target_ranges and not (_close(low, pool) and _close(high, pool)):
            yield f"range '{match.group()}' is missing or written another way"
        source_rest = _blank(source_rest, [match.span()])
    clock = _times(ctx.target)
    for h, m in times:
        if (h % 12, m) not in clock:
            yield f"time {h}:{m:02d} is missing"
    for d, mo, y in dates:
        if not (_close(d, pool) and _close(y, pool) and (_close(mo, pool) or _has_month(ctx.target, mo, ctx.tgt_lang))):
            yield f"date {d:02d}.{mo:02d}.{y} is missing"
    reported: set[str] = set()
    for number in source_numbers(source_rest):
        if any(_close(v, pool) for v in number.values) or number.text in reported:
            continue
        if number.code_like and (number.base in ctx.target or _time_like(number.base, clock)):
            continue
        if number.multiplier == 1.0 and any(_as_word(v, ctx.target, ctx.tgt_lang) for v in number.values):
            continue
        reported.add(number.text)
        yield (f"'{number.text}' is missing or written another way: "
               f"expected {format_number(number, ctx.tgt_lang)}")
