"""The administrative lexicon (mt/data/admin_lexicon.tsv): the descriptive words and head
nouns of Kazakh organisation names with their en/de/ru forms.

One source for the two readers: mt.glossary.orgs builds whole names from it, and
mt.glossary.names takes its head nouns (`org_heads`) as what makes a capitalised run an
organisation's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

KINDS = frozenset({"head:m", "head:f", "head:n", "adj", "attr", "noun", "member"})


@dataclass(frozen=True)
class LexRow:
    kk: str
    kind: str
    en: str
    de: str
    de_stem: str
    ru: str


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, bool], LexRow]:
    """(kk, is_head) -> row, from mt/data/admin_lexicon.tsv."""
    text = (files("mt") / "data" / "admin_lexicon.tsv").read_text(encoding="utf-8")
    table: dict[tuple[str, bool], LexRow] = {}
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != 6 or cells[1] not in KINDS:
            raise ValueError(f"admin_lexicon.tsv: row {n} ({cells[0]!r}): want 6 cells and a kind in {sorted(KINDS)}")
        row = LexRow(*cells)
        table[(row.kk, row.kind.startswith("head"))] = row
    return table


def bare_head(pattern: str) -> str:
    """A head's English pattern without its slot: Ministry of {} -> Ministry, {} Plant -> Plant."""
    for slot in (" of {}", " for {}", "{} "):
        pattern = pattern.replace(slot, "")
    return pattern.strip()


@lru_cache(maxsize=1)
def org_heads() -> dict[str, tuple[str, str, str]]:
    """Head nouns as they end a name, in the 3rd-person possessive (министрлігі, зауыты,
    бас консулдығы; not the bare министрлік): kk -> (en, de, ru) of the head alone."""
    return {row.kk: (bare_head(row.en), row.de, row.ru) for (kk, is_head), row in lexicon().items()
            if is_head and kk.split()[-1].endswith(("ы", "і"))}


CONNECTORS = frozenset({"және", "мен"})


def covers(words: list[str]) -> bool:
    """Whether the words are descriptive words of the lexicon, longest match first, with
    connectors between (ауыл шаруашылығы; кәсіпкерлік және өнеркәсіп)."""
    table, i = lexicon(), 0
    while i < len(words):
        j = next((j for j in range(len(words), i, -1) if (" ".join(words[i:j]).lower(), False) in table), 0)
        if j:
            i = j
        elif words[i].lower() in CONNECTORS and 0 < i < len(words) - 1:
            i += 1
        else:
            return False
    return bool(words)
