"""An independent statement of the Kazakh nominal suffix rules, for tests only.

Written apart from mt/glossary/morphology.py (it imports nothing from mt) and
organised differently: one small rule per morpheme that looks at the last letter
of what it attaches to, instead of tables per sound class. The tests compare the
matcher and the morphology module against it, so a rule broken on either side
shows up as a difference.

Rules (standard Kazakh grammar):
- harmony: the last vowel decides (а о ұ ы я ё back; ә е ө ү і э и ю front); у or ү
  right after a vowel is a glide, not a vowel (Сеул, Реул: е decides); a final у
  after a consonant is skipped too (көру: front, су: back); a loan у before a
  consonant is back (Тимур); no vowel at all (ҚҚС): either.
- Russian-style surnames (-ов/-ев/-ёв/-ова/-ева): the Kazakh root decides, the
  suffix vowel is also seen (Тоқаевтың, Назарбаевқа).
- the first consonant of a suffix assimilates to the sound before it:
  after vowels; м н ң; л; р й у и; з ж; voiceless (and loan-final б в г д).
  ж is written both ways in loans (Париж): both rows.
- к қ п after a vowel voice to г ғ б before a vowel-initial suffix (Одағы,
  кітабы); a word without Kazakh-only letters is a loan and may keep them.
"""

from __future__ import annotations

BACK = set("аоұыяё")
FRONT = set("әеөүіэию")
VOWEL = BACK | FRONT | {"у"}
KAZAKH_ONLY = set("әғқңөұүһі")
VOICELESS = set("кқпстфхцчшщбвгдһж")  # what takes т/қ/п; ж also takes the voiced row
SURNAME_ENDS = ("ов", "ев", "ёв", "ова", "ева")
VOICING = {"к": "г", "қ": "ғ", "п": "б"}


def _letters(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalpha() and c not in "ьъ")


def harmony(word: str) -> set[str]:
    w = word.lower()
    if len(w) > 4 and w.endswith(SURNAME_ENDS) and any(c in VOWEL for c in w[:-3]):
        cut = 3 if w.endswith(("ова", "ева")) else 2
        return harmony(w[:-cut]) | harmony(w[-cut:])
    letters = _letters(w)
    for i in range(len(letters) - 1, -1, -1):
        c = letters[i]
        if c in "уү" and i > 0 and letters[i - 1] in VOWEL:
            continue  # glide after a vowel
        if c == "у" and i == len(letters) - 1:
            continue  # final у after a consonant: the vowel before decides
        if c in BACK or c == "у":
            return {"b"}
        if c in FRONT or c == "ү":
            return {"f"}
    return {"b"} if letters.endswith("у") else {"b", "f"}


def _v(h: str, back: str, front: str) -> str:
    return back if h == "b" else front


def _after(last: str) -> set[str]:
    """The sound kinds a last letter stands for."""
    if last in VOWEL - {"у", "и"}:
        return {"vowel"}
    if last in "мнң":
        return {"nasal"}
    if last == "л":
        return {"l"}
    if last in "рйуи":
        return {"sonorant"}
    if last == "з":
        return {"voiced"}
    if last == "ж":
        return {"voiced", "voiceless"}
    return {"voiceless"}


def case_endings(kind: str, h: str) -> set[str]:
    """gen, acc, dat, loc, abl, ins and -дағы after a sound of `kind`."""
    a, y = _v(h, "а", "е"), _v(h, "ы", "і")
    gen = {"vowel": "н", "nasal": "н", "l": "д", "sonorant": "д", "voiced": "д"}.get(kind, "т")
    acc = {"vowel": "н", "nasal": "д", "l": "д", "sonorant": "д", "voiced": "д"}.get(kind, "т")
    dat = _v(h, "қ", "к") if kind == "voiceless" else _v(h, "ғ", "г")
    loc = "т" if kind == "voiceless" else "д"
    abl = {"nasal": "н", "voiceless": "т"}.get(kind, "д")
    ins = {"voiced": "б", "voiceless": "п"}.get(kind, "м")
    return {gen + y + "ң", acc + y, dat + a, loc + a, abl + a + "н", ins + "ен",
            loc + a + _v(h, "ғы", "гі")}


def n_case_endings(h: str) -> set[str]:
    """Cases after a 3rd-person possessive."""
    a, y = _v(h, "а", "е"), _v(h, "ы", "і")
    return {"н" + y + "ң", "н", "н" + a, "нд" + a, "н" + a + "н", "мен", "нд" + a + _v(h, "ғы", "гі")}


def plural(kind: str, h: str) -> str:
    c = {"vowel": "л", "sonorant": "л", "voiceless": "т"}.get(kind, "д")
    return c + _v(h, "ар", "ер")


def possessed(kind: str, h: str) -> set[str]:
    """Possessives with what may follow them, after a sound of `kind`."""
    y, a = _v(h, "ы", "і"), _v(h, "а", "е")
    link = "" if kind == "vowel" else y
    out = {link + "с" + y if kind == "vowel" else y}
    out |= {p + c for p in out for c in n_case_endings(h)}
    for px in ("м", "ң"):  # 1sg, 2sg: dative -а/-е
        out |= {link + px} | {link + px + c for c in case_endings("nasal", h)
                              if not c.startswith(("ғ", "г"))} | {link + px + a}
    for px in ("ң" + y + "з", "м" + y + "з"):  # 2sg polite, 1pl
        out |= {link + px} | {link + px + c for c in case_endings("voiced", h)}
    return out


def endings(kind: str, h: str) -> set[str]:
    """Every chain (PL) (POSS) (CASE | -дағы) after a sound of `kind`, "" included."""
    pl = plural(kind, h)
    out = {""} | case_endings(kind, h) | possessed(kind, h) | {pl}
    out |= {pl + c for c in case_endings("sonorant", h) | possessed("sonorant", h)}
    return out


def forms(word: str) -> dict[str, set[str]]:
    """Written stem (lower case) -> the suffix chains it takes."""
    w = word.lower()
    letters = _letters(w)
    written = w.rstrip("ьъ")
    last = written[-1] if written else "а"
    kinds = _after(last)
    chains = {s for h in harmony(w) for k in kinds for s in endings(k, h)}
    if last in VOICING and len(letters) > 1 and letters[-2] in VOWEL and w.endswith(last):
        vowel_initial = {s for s in chains if s[:1] in VOWEL}
        out = {w[:-1] + VOICING[last]: vowel_initial}
        loan = KAZAKH_ONLY.isdisjoint(w)
        out[w] = chains if loan else chains - vowel_initial
        return out
    return {w: chains}


def possessed_forms(word: str) -> set[str]:
    """A word that ends in a 3rd-person possessive (облысы): n-cases only."""
    return {""} | {s for h in harmony(word) for s in n_case_endings(h)}


def any_chain() -> set[str]:
    out: set[str] = set()
    for kind in ("vowel", "nasal", "l", "sonorant", "voiced", "voiceless"):
        for h in "bf":
            out |= endings(kind, h) | n_case_endings(h)
    return out


def inflected(word: str) -> set[str]:
    """All surface forms (lower case) of a plain word."""
    return {stem + s for stem, chains in forms(word).items() for s in chains}
