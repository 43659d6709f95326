"""Is a glossary term's target form present in a translation? Inflection-aware.

Each (target form, entry type, language) is compiled once into a regular expression
that accepts exactly the forms a correct translation may use:

- Russian: every case form (singular; plural too for non-person terms) of the words
  up to and including the head noun, with adjectives agreeing with it; words after
  the head ("Посольство Германии в Казахстане") stay as written. pymorphy3's Russian
  dictionary inflects known words; rules cover surnames in -ов/-ев/-ин (pymorphy
  mistakes Шахаров for the genitive plural of "шахар") and foreign names ending in a
  vowel other than -а/-я, which are indeclinable (Кинне, Актобе). Names in quotes
  (АО «ТНК «Казхром»») are matched as written. е and ё are equivalent.
- German: genitive -s/-es on nouns and names, the declined forms (-e/-en/-er/-es/-em)
  of adjectives leading an organisation or place name (Deutsche Botschaft ->
  der Deutschen Botschaft).
- English: as written, plus the possessive 's; titles, terms and organisations also in
  the plural (senators, Prime Ministers).
- One-word terms of any language besides persons: in German inflected and inside
  compounds, as head or first part (Senatoren, Außenminister, Senatsrechtsausschuss;
  rules over a closed set of endings and linking elements: simplemma lemmatises but does
  not split compounds, compound-split is unmaintained since 2020); a lone adjective (a place's variant: europäisch, европейский) in
  every form, in Russian also as a compound's first part (казахстанско-российские).
- A one-word title in either case of its first letter (the President / the president).
- A region's name in a list sharing one plural head (Zhambyl and Pavlodar regions,
  Gebieten Schambyl und Pawlodar, Жамбылской и Павлодарской областях); render_group
  writes such a list.

All languages: matches lie on word boundaries, whitespace may be any run of spaces,
the quote marks « » “ ” „ " are interchangeable, and the first letter may change case
only at a sentence start; a term written all in lower case (regional akim) may be
capitalised word by word at a sentence start, before a name (Regional Akim Askhat
Shakharov) and in a title-case headline, but not elsewhere mid-sentence. Misspellings (Шахаро, Shakarov) are never accepted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mt.memo import disk_memo
from mt.types import GlossaryEntry

QUOTES = "«»“”„‟\"‹›"
_QUOTE_CLASS = "[" + re.escape(QUOTES) + "]"
_HYPHENS = "-‐‑"
_RU_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_RU_INDECLINABLE_END = "еёиоуыэю"
_PERSON_TYPES = ("person",)
_TITLE_TYPES = ("title",)


# What pymorphy3's results depend on: the memos of its forms name these (mt.memo)
RU_MORPHOLOGY = ("pymorphy3", "pymorphy3_dicts_ru")


@lru_cache(maxsize=1)
def morph():
    """The pymorphy3 analyser with the installed Russian dictionary (built once)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


# -- Russian forms ---------------------------------------------------------------

def _is_fixed_token(word: str) -> bool:
    """Abbreviations, Latin words, numbers and hyphenated compounds are not inflected,
    except hyphenated words the dictionary knows (премьер-министр, вице-министр)."""
    letters = [c for c in word if c.isalpha()]
    return (not letters or word.isupper() and len(letters) > 1
            or any("a" <= c.lower() <= "z" for c in letters)
            or any(h in word for h in _HYPHENS) and not morph().word_is_known(word.lower()))


def _is_indeclinable(word: str) -> bool:
    low = word.lower()
    if low[-1:] not in _RU_INDECLINABLE_END:
        return False
    if not morph().word_is_known(low):
        return True  # foreign name ending in a vowel other than -а/-я
    return not any(p.tag.case == "nomn" and "Fixd" not in p.tag for p in morph().parse(low))


def _surname_forms(word: str) -> dict[str, set[str]] | None:
    """Case forms of a Russian-type surname (-ов/-ев/-ин and feminine -ова/-ева/-ина)."""
    low = word.lower()
    if re.search(r"(ов|ев|ёв|ин|ын)$", low):
        b = low
        table = {"nomn": [b], "gent": [b + "а"], "datv": [b + "у"], "accs": [b + "а"],
                 "ablt": [b + "ым"], "loct": [b + "е"]}
    elif re.search(r"(ова|ева|ёва|ина|ына)$", low):
        s = low[:-1]
        table = {"nomn": [low], "gent": [s + "ой"], "datv": [s + "ой"], "accs": [s + "у"],
                 "ablt": [s + "ой", s + "ою"], "loct": [s + "ой"]}
    else:
        return None
    return {case: set(forms) for case, forms in table.items()}


def _pick_parse(word: str, prefer: tuple[str, ...] = ()):
    parses = [p for p in morph().parse(word.lower()) if p.tag.case == "nomn"]
    for grammeme in prefer:
        for p in parses:
            if grammeme in p.tag:
                return p
    return parses[0] if parses else None


def _lexeme_forms(parse, grammemes: set[str]) -> set[str]:
    form = parse.inflect(grammemes)
    return {form.word} if form else set()


def _word_case_forms(word: str, pos: str, head=None, person: bool = False,
                     index: int = 0, last: bool = False) -> dict[tuple[str, str], set[str]]:
    """(case, number) -> forms of one word; `pos` is "noun" or "adj" (agreeing with `head`)."""
    keys = [(c, n) for n in ("sing", "plur") for c in _RU_CASES]
    if _is_fixed_token(word) or _is_indeclinable(word):
        return {k: {word.lower()} for k in keys}
    if person and last:
        rule = _surname_forms(word)
        if rule:
            return {(c, n): rule[c] for c, n in keys if n == "sing"}
    prefer = ("Name",) if person and index == 0 else ("Surn", "Name", "Patr") if person else ()
    parse = _pick_parse(word, prefer)
    if parse is None:
        return {k: {word.lower()} for k in keys}
    out: dict[tuple[str, str], set[str]] = {}
    for case, number in keys:
        grammemes = {case, number}
        if pos == "adj" and head is not None and number == "sing" and head.tag.gender:
            grammemes.add(head.tag.gender)
        forms = _lexeme_forms(parse, grammemes)
        if (pos == "adj" and case == "accs" and head is not None and head.tag.animacy == "anim"
                and (number == "plur" or head.tag.gender == "masc")):
            forms = _lexeme_forms(parse, grammemes - {"accs"} | {"gent"})
        if forms:
            out[(case, number)] = forms
    out.setdefault(("nomn", "sing"), set()).add(word.lower())
    return out


def _restore_case(form: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


@disk_memo(*RU_MORPHOLOGY)
def ru_case_forms(phrase: str, etype: str = "") -> dict[tuple[str, str], set[str]]:
    """(case, number) -> the forms of a Russian glossary phrase (given in the nominative).
    Kept on disk between runs (mt.memo), so plain strings only: pymorphy3's grammemes
    are str subclasses that do not pickle."""
    return {(str(case), str(number)): {str(f) for f in forms}
            for (case, number), forms in _ru_case_forms(phrase, etype).items()}


def _ru_case_forms(phrase: str, etype: str) -> dict[tuple[str, str], set[str]]:
    words = phrase.split()
    if not words or any(q in phrase for q in QUOTES):
        return {("nomn", "sing"): {phrase}}
    if len(words) == 1 and (adjective := _adjective_forms(phrase)):
        return adjective
    person = etype in _PERSON_TYPES
    if person:
        inflecting = len(words)
        head = None
        pos = ["noun"] * len(words)
    else:
        inflecting, head, pos = _ru_head(words)
    per_word = [
        _word_case_forms(w, pos[i], head=head, person=person, index=i,
                         last=i == len(words) - 1)
        for i, w in enumerate(words[:inflecting])
    ]
    tail = words[inflecting:]
    result: dict[tuple[str, str], set[str]] = {}
    keys = set.intersection(*(set(f) for f in per_word)) if per_word else {("nomn", "sing")}
    for key in keys:
        phrases = [""]
        for i, forms in enumerate(per_word):
            phrases = [f"{p} {_restore_case(f, words[i])}".strip()
                       for p in phrases for f in sorted(forms[key])]
        result[key] = {" ".join([p, *tail]).strip() for p in phrases}
    result.setdefault(("nomn", "sing"), set()).add(phrase)
    return result


def _adjective_forms(word: str) -> dict[tuple[str, str], set[str]] | None:
    """Every form of a lone adjective (европейский: a place's adjective, all genders)."""
    if _is_fixed_token(word):
        return None
    parse = next((p for p in morph().parse(word.lower())
                  if p.tag.POS == "ADJF" and p.tag.case == "nomn" and p.word == word.lower()), None)
    if parse is None or (morph().parse(word.lower())[0].tag.POS != "ADJF"):
        return None
    out: dict[tuple[str, str], set[str]] = {}
    for form in parse.lexeme:
        if form.tag.POS == "ADJF" and form.tag.case in _RU_CASES:
            number = form.tag.number or "sing"
            out.setdefault((form.tag.case, number), set()).add(_restore_case(form.word, word))
    return out or None


@disk_memo(*RU_MORPHOLOGY)
def _ru_compound_first(word: str) -> str | None:
    """The form a lone adjective takes as the first part of a hyphenated compound:
    казахстанский -> казахстанско (казахстанско-российские), российский -> российско."""
    if " " in word or not _adjective_forms(word):
        return None
    for ending in ("ский", "цкий", "ий", "ый", "ой"):
        if word.endswith(ending):
            return word[: len(word) - 2] + "о"
    return None


def _ru_head(words: list[str]):
    """How many leading words inflect (adjectives + head noun), the head's parse, and POS."""
    pos = ["noun"] * len(words)
    for i, word in enumerate(words):
        if _is_fixed_token(word):
            return i, None, pos
        parses = [p for p in morph().parse(word.lower()) if p.tag.case == "nomn"]
        adj = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        if adj is not None and i + 1 < len(words) and (noun is None or adj.score >= noun.score):
            pos[i] = "adj"
            continue
        if noun is not None or _is_indeclinable(word):
            return i + 1, noun, pos
        return i, None, pos
    return len(words), None, pos


def inflect_ru(phrase: str, case: str, etype: str = "") -> str:
    """`phrase` in the Russian `case` (singular); the phrase itself when unknown."""
    forms = ru_case_forms(phrase, etype).get((case, "sing"))
    return min(forms, key=lambda f: (f != phrase, len(f))) if forms else phrase


# -- German and English forms ----------------------------------------------------

def _swap_first(text: str) -> str:
    return text[:1].swapcase() + text[1:]


# Endings of a German noun or adjective (Senatoren, Präsidenten, Ministern, Senatorin,
# Premierministerinnen; europäische, deutschen) and linking elements of a compound's
# first part (Senatsausschuss, Regierungsvertreter).
_DE_NOUN_END = "(?:e|en|n|s|es|er|ern|in|innen|nen)?"
_DE_ADJ_END = "(?:e|en|em|er|es)?"
_DE_LINK = "(?:s|es|n|en|e)"
_COMPOUND_TYPES = ("title", "term", "org", "place")


def _de_word(word: str, initials: bool) -> str:
    """One-word German term (rules, no dictionary): the word inflected, as the head of a
    compound (Außenminister, US-Außenminister, Südeuropäische) or as its first part
    (Senatsrechtsausschuss, Europameisterin: a linking element, or 5+ more letters so
    that Senat does not match Senatorin)."""
    adjective = word.islower()
    stem = word[:-1] if adjective and word.endswith("e") else word
    end = _DE_ADJ_END if adjective else _DE_NOUN_END
    body = _plain(stem, initials=initials or adjective)
    head = "[^\\W\\d_]{2,}" + _plain(stem[:1].lower() + stem[1:])
    if word.endswith(("nder", "neter", "gter", "llter")) and not adjective:  # Vorsitzender, Abgeordneter
        body = _plain(stem[:-2], initials=initials) + "(?:e|en|em|er|es)"
        head = "[^\\W\\d_]{2,}" + _plain(stem[:1].lower() + stem[1:-2]) + "(?:e|en|em|er|es)"
        end = ""
    modifier = f"(?:{_DE_LINK}-?[^\\W\\d_]{{3,}}|-[^\\W\\d_]{{3,}}|[^\\W\\d_]{{5,}})"
    return f"(?:{body}|{head}){end}(?:{modifier})?" if not adjective else f"(?:{body}|{head}){end}"


def _de_patterns(phrase: str, etype: str, swap: bool, initials: bool = False) -> list[str]:
    if any(q in phrase for q in QUOTES):
        return [_plain(_swap_first(phrase) if swap else phrase, initials)]
    words = phrase.split()
    if len(words) == 1 and etype in _COMPOUND_TYPES and phrase.isalpha():
        return [_de_word(_swap_first(phrase) if swap else phrase, initials)]
    run = 0
    while run < len(words) and words[run][:1].isupper():
        run += 1
    parts = []
    for i, word in enumerate(words):
        shown = _swap_first(word) if swap and i == 0 else word
        if i + 1 < run and etype not in _PERSON_TYPES:
            m = re.fullmatch(r"(.+?)(e|en|er|es|em)", shown)
            if m:  # an adjective before a capitalised noun: Deutsche -> Deutschen
                parts.append(_plain(m.group(1)) + "(?:e|en|er|es|em)")
                continue
        esc = _plain(shown, initials)
        if i < run and (etype not in _PERSON_TYPES or i == len(words) - 1):
            esc += "(?:s|es|')?" if word[-1:] in "sxzß" else "(?:s|es)?"
        parts.append(esc)
    return [r"\s+".join(parts)]


def _en_patterns(phrase: str, swap: bool, initials: bool = False, etype: str = "") -> list[str]:
    plural = "(?:s|es)?" if etype in ("title", "term", "org") and phrase[-1:].isalpha() else ""
    return [_plain(_swap_first(phrase) if swap else phrase, initials) + plural + r"(?:['’]s|(?<=s)['’])?"]


def _plain(text: str, initials: bool = False) -> str:
    """Escape text for a pattern: any whitespace run, any quote style, any hyphen;
    with `initials`, each word's first letter in either case."""
    out = []
    for i, ch in enumerate(text):
        if initials and ch.lower() != ch.upper() and (i == 0 or not text[i - 1].isalpha()):
            letters = "её" if ch in "еёЕЁ" else ch.lower()
            out.append("[" + re.escape(letters + letters.upper()) + "]")
        elif ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in QUOTES:
            out.append(_QUOTE_CLASS)
        elif ch in _HYPHENS:
            out.append("[" + _HYPHENS + "]")
        elif ch in "её":
            out.append("[её]")
        elif ch in "ЕЁ":
            out.append("[ЕЁ]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _lower_term(phrase: str) -> bool:
    """A term written all in lower case: a title or common noun, not a name."""
    return phrase == phrase.lower() != phrase.upper()


@lru_cache(maxsize=4096)
def _compiled(phrase: str, etype: str, lang: str, swap: bool = False, initials: bool = False) -> re.Pattern:
    """The pattern of all acceptable forms; `swap` flips the first letter's case,
    `initials` lets each word's first letter be of either case."""
    if lang == "ru":
        forms = set().union(*ru_case_forms(phrase, etype).values())
        patterns = [_plain(_swap_first(f) if swap else f, initials)
                    for f in sorted(forms, key=len, reverse=True)]
        first = _ru_compound_first(phrase)
        if first:  # казахстанско-российские: the adjective as a compound's first part
            patterns.append(_plain(_swap_first(first) if swap else first, initials) + f"(?=[{_HYPHENS}])")
    elif lang == "de":
        patterns = _de_patterns(phrase, etype, swap, initials)
    else:
        patterns = _en_patterns(phrase, swap, initials, etype)
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\n\u00a0" + QUOTES + "([—–-")
    return not before or before[-1] in ".!?:…"


def _before_name(text: str, end: int) -> bool:
    """A capitalised word follows: a title before a name (Regional Akim Askhat Shakharov)."""
    rest = text[end:]
    return rest[:1].isspace() and rest.lstrip()[:1].isupper()


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def is_headline(text: str) -> bool:
    """Title case: nearly every longer word capitalised and no sentence-final mark."""
    words = _LONG_WORD.findall(text)
    return (len(words) >= 2 and not text.rstrip().endswith((".", "!", "?", "…"))
            and sum(w[0].isupper() for w in words) >= 0.75 * len(words))


def find_target(text: str, phrase: str, lang: str, etype: str = "") -> tuple[int, int] | None:
    """Span of the first acceptable form of `phrase` in `text`, or None. Besides the
    form as written: the first letter's case changed at a sentence start; for a term
    written all in lower case, every word capitalised at a sentence start, before a
    name or in a headline."""
    if not phrase:
        return None
    # A one-word title is capitalised before a name or "of ..." and lower-case in running
    # text (the President / the president / Minister of Energy / президента): both are the
    # term. Longer lower-case titles (regional akim) keep the house style below.
    m = _compiled(phrase, etype, lang, initials=etype in _TITLE_TYPES and " " not in phrase).search(text)
    if m:
        return m.start(), m.end()
    if phrase[:1].lower() == phrase[:1].upper():
        return None
    lower = _lower_term(phrase)
    relaxed = _compiled(phrase, etype, lang, initials=True) if lower else _compiled(phrase, etype, lang, swap=True)
    headline = lower and is_headline(text)
    for m in relaxed.finditer(text):
        if headline or at_sentence_start(text, m.start()) or (lower and _before_name(text, m.end())):
            return m.start(), m.end()
    return None


# Heads that a list of names shares in the plural: en "Zhambyl, Kostanay and Pavlodar
# regions", de "in den Gebieten Schambyl, Kostanai und Pawlodar", ru "в Жамбылской,
# Костанайской и Павлодарской областях" (singular adjectives, plural noun).
_EN_GROUP_HEADS = {"Region": "[Rr]egions", "District": "[Dd]istricts"}
_DE_GROUP_HEADS = {"Gebiet": "Gebiete[n]?", "Bezirk": "Bezirke[n]?"}
_RU_GROUP_HEADS = ("область", "район")
_NAME = r"[^\W\d_][\w'’-]*"


@lru_cache(maxsize=1024)
def _group_pattern(phrase: str, lang: str) -> re.Pattern | None:
    """A region's name inside a coordinated list with one plural head, or None when the
    form has no such head."""
    words = phrase.split()
    if len(words) < 2:
        return None
    if lang == "en" and words[-1] in _EN_GROUP_HEADS:
        name = _plain(" ".join(words[:-1]))
        body = rf"{name}(?:,\s*{_NAME}|,?\s+and\s+{_NAME})*\s+{_EN_GROUP_HEADS[words[-1]]}"
    elif lang == "de" and words[0] in _DE_GROUP_HEADS:
        name = _plain(" ".join(words[1:]))
        body = rf"{_DE_GROUP_HEADS[words[0]]}\s+(?:{_NAME}(?:,\s*|\s+und\s+))*{name}"
    elif lang == "ru" and len(words) == 2 and words[1].lower() in _RU_GROUP_HEADS:
        forms = ru_case_forms(phrase, "place")
        adjectives = {f.split()[0] for (case, number), fs in forms.items() if number == "sing" for f in fs}
        heads = {f.split()[-1].lower() for (case, number), fs in forms.items() if number == "plur" for f in fs}
        if not heads:
            return None
        adj = "|".join(_plain(a) for a in sorted(adjectives, key=len, reverse=True))
        head = "|".join(_plain(h) for h in sorted(heads, key=len, reverse=True))
        body = rf"(?:{adj})(?:,\s*{_NAME}|\s+и\s+{_NAME})*\s+(?:{head})"
    else:
        return None
    return re.compile(rf"(?<!\w){body}(?!\w)")


_DE_DATIVE = frozenset("den in aus mit von zu bei nach seit".split())


def render_group(forms: list[str], lang: str, case: str = "nomn", before: str = "") -> str | None:
    """Region names sharing one plural head, written as `lang` writes such a list:
    en "Zhambyl, Kostanay and Pavlodar regions", de "Gebieten Schambyl, Kostanai und
    Pawlodar" (dative after `before` ending in in/den ...), ru "Жамбылской, Костанайской и
    Павлодарской областях" (in `case`). None when a form has no shared head."""
    words = [f.split() for f in forms]
    if len(forms) < 2 or any(len(w) < 2 for w in words):
        return None

    def join(items: list[str], conj: str) -> str:
        return ", ".join(items[:-1]) + f" {conj} " + items[-1]

    if lang == "en" and len({w[-1] for w in words}) == 1 and words[0][-1] in _EN_GROUP_HEADS:
        return f"{join([' '.join(w[:-1]) for w in words], 'and')} {words[0][-1].lower()}s"
    if lang == "de" and len({w[0] for w in words}) == 1 and words[0][0] in _DE_GROUP_HEADS:
        last = before.split()[-1].lower() if before.split() else ""
        head = words[0][0] + ("en" if last in _DE_DATIVE else "e")
        return f"{head} {join([' '.join(w[1:]) for w in words], 'und')}"
    if lang == "ru" and all(len(w) == 2 and w[1].lower() in _RU_GROUP_HEADS for w in words) \
            and len({w[1].lower() for w in words}) == 1:
        adjectives = [inflect_ru(f, case, "place").split()[0] for f in forms]
        plural = ru_case_forms(forms[-1], "place").get((case, "plur"))
        if not plural:
            return None
        return f"{join(adjectives, 'и')} {min(plural, key=len).split()[-1].lower()}"
    return None


def find_group(text: str, phrase: str, lang: str) -> tuple[int, int] | None:
    """Span of a region's name in a coordinated list sharing one plural head."""
    pattern = _group_pattern(phrase, lang)
    m = pattern.search(text) if pattern is not None else None
    return (m.start(), m.end()) if m else None


def required_forms(entry: GlossaryEntry, lang: str) -> tuple[str, ...]:
    """The target form and its allowed variants, in order of preference."""
    forms = (entry.target(lang), *entry.variants(lang))
    return tuple(dict.fromkeys(f for f in forms if f))


def find_form(text: str, entry: GlossaryEntry, lang: str) -> tuple[int, int] | None:
    """Span of the entry's target (or an allowed variant) in `text`, inflection-aware."""
    spans = [s for f in required_forms(entry, lang)
             if (s := find_target(text, f, lang, entry.type)) is not None]
    if not spans and entry.type == "place":
        spans = [s for f in required_forms(entry, lang) if (s := find_group(text, f, lang)) is not None]
    return min(spans) if spans else None


def contains(text: str, entry: GlossaryEntry, lang: str) -> bool:
    """Is the entry's target (or an allowed variant) present in `text`?"""
    return find_form(text, entry, lang) is not None


__all__ = ["QUOTES", "contains", "find_form", "find_group", "find_target", "render_group",
           "at_sentence_start", "inflect_ru", "morph", "RU_MORPHOLOGY",
           "is_headline", "required_forms", "ru_case_forms"]
