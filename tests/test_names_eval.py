"""The names evaluation set (eval/names, issue 21) stays well-formed: every gold surface
occurs in its release, no gold lemma is a glossary entry, and the set keeps its size and
coverage (releases, rows, countries, the kinds of names the issue asks for)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from mt.glossary import store
from mt.glossary.match import Matcher

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "eval" / "names"
COLUMNS = ["release", "lemma", "type", "surfaces", "en", "de", "ru", "detail"]


HELDOUT = NAMES / "heldout"
SETS = pytest.mark.parametrize("folder", [NAMES, HELDOUT], ids=["eval", "heldout"])


def _gold(folder: Path = NAMES) -> list[dict[str, str]]:
    with (folder / "gold.tsv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _texts(folder: Path = NAMES) -> dict[str, str]:
    return {p.name.removesuffix(".kk.txt"): p.read_text(encoding="utf-8") for p in folder.glob("*.kk.txt")}


@SETS
def test_every_cell_filled_and_types_known(folder: Path) -> None:
    for n, row in enumerate(_gold(folder), start=2):
        assert all((row[c] or "").strip() for c in COLUMNS), f"gold.tsv:{n}: empty cell"
        assert row["type"] in {"person", "place", "org"}, f"gold.tsv:{n}: type {row['type']!r}"
        assert row["detail"].split(";")[0].split(".")[0] == row["type"], f"gold.tsv:{n}: detail"


@SETS
def test_surfaces_occur_in_their_release(folder: Path) -> None:
    texts = _texts(folder)
    assert {r["release"] for r in _gold(folder)} == set(texts)
    for row in _gold(folder):
        text = texts[row["release"]]
        for surface in row["surfaces"].split("|"):
            assert re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", text), (row["release"], surface)


@SETS
def test_one_row_per_release_and_lemma(folder: Path) -> None:
    keys = Counter((r["release"], r["lemma"]) for r in _gold(folder))
    assert [k for k, n in keys.items() if n > 1] == []


@SETS
def test_no_gold_lemma_is_a_glossary_entry(folder: Path) -> None:
    """Unknown names only: no glossary term covers a whole lemma (a longer name that holds a
    known one, Францияның Қазақстандағы Елшілігі, is still unknown)."""
    matcher = Matcher(store.load_glossary([str(ROOT / "glossaries")]).active())
    for row in _gold(folder):
        lemma = row["lemma"]
        covering = [h.id for h in matcher.find(lemma) if h.start == 0 and h.end == len(lemma)]
        assert covering == [], (lemma, covering)


def test_size_and_coverage() -> None:
    gold, texts = _gold(), _texts()
    assert len(texts) >= 8 and {r["release"] for r in gold} == set(texts)
    assert len(gold) >= 120
    for name, text in texts.items():
        sentences = len(re.findall(r"[.!?](?:\s|»|$)", text))
        assert 10 <= sentences <= 25, (name, sentences)
    details = Counter(r["detail"].split(";")[0] for r in gold)
    countries = [r for r in gold if r["detail"].startswith("place.country")]
    assert len({r["en"] for r in countries}) >= 5
    for kind in ("person.kk", "person.foreign", "person.east-asian", "org.ministry", "org.committee",
                 "org.company-legal", "place.city", "place.district", "place.river"):
        assert details[kind] >= 2, kind
    assert sum("Е-initial" in r["detail"] for r in gold) >= 5
    assert sum("plural head" in r["detail"] for r in gold) >= 6


@pytest.mark.parametrize("form", ["ЖШС", "АҚ", "РМК"])
def test_companies_with_legal_forms(form: str) -> None:
    assert any(r["lemma"].split()[-1] == form and r["type"] == "org" for r in _gold())
