"""Kazakh sentence splitting: the hand-built cases, the founding release, `mt segment`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt.cli import cli
from mt.formats import read_release
from mt.normalize import normalize_document
from mt.segment import abbreviations, segment_document, split_sentences
from mt.types import Document

HERE = Path(__file__).parent
CASES = json.loads((HERE / "data" / "kk-nlp-cases" / "segmentation.json").read_text(encoding="utf-8"))
RELEASE_DIR = HERE.parent / "corpora" / "press-releases" / "aktobe-germany-2025"
RELEASE = RELEASE_DIR / "release.kk.txt"
GOLD = (RELEASE_DIR / "segments.kk").read_text(encoding="utf-8").splitlines()


def _gold_paragraphs() -> list[int]:
    """The paragraph of each gold segment, worked out from the release's lines:
    consecutive gold segments joined by a space make up one line (line 0 = title)."""
    lines = [line for line in RELEASE.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs, gold = [], list(GOLD)
    for number, line in enumerate(lines):
        taken: list[str] = []
        while " ".join(taken) != line:
            taken.append(gold.pop(0))
            assert len(" ".join(taken)) <= len(line), f"gold segments do not rebuild line {number}"
        paragraphs += [number] * len(taken)
    assert not gold
    return paragraphs


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["sentences"][0][:30])
def test_segmentation_cases(case):
    text = case["joiner"].join(case["sentences"])
    assert split_sentences(text) == case["sentences"]


def test_release_gives_the_20_gold_segments():
    segments = segment_document(normalize_document(read_release(RELEASE)))
    assert len(GOLD) == 20
    assert [s.text for s in segments] == GOLD
    assert [s.index for s in segments] == list(range(20))
    assert [s.paragraph for s in segments] == _gold_paragraphs()


def test_seed_internal_splits_split_inside_their_paragraph():
    doc = normalize_document(read_release(RELEASE))
    segments = segment_document(doc)
    blocks = doc.blocks()
    for start in CASES["seed_internal_splits"]:
        found = [s for s in segments if s.text.startswith(start)]
        assert len(found) == 1, start
        assert not blocks[found[0].paragraph].startswith(start), f"{start!r} opens its paragraph"
        assert found[0].index > 0 and segments[found[0].index - 1].paragraph == found[0].paragraph


def test_cli_jsonl_gives_the_gold_segments():
    result = CliRunner().invoke(cli, ["segment", str(RELEASE), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == GOLD
    assert [r["index"] for r in records] == list(range(20))
    assert [r["paragraph"] for r in records] == _gold_paragraphs()
    assert set(records[0]) == {"paragraph", "index", "text"}
    assert "Ақтөбе" in result.output  # ensure_ascii=False


def test_cli_text_is_one_segment_per_line():
    result = CliRunner().invoke(cli, ["segment", str(RELEASE)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == GOLD


def test_cli_reads_stdin_and_normalises():
    text = "Тақырып\nҚазaқстан мен Германия кездесті. Екі\u00adжақты байланыс нығайды.\n"
    result = CliRunner().invoke(cli, ["segment", "-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Тақырып", "Қазақстан мен Германия кездесті.",
                                          "Екіжақты байланыс нығайды."]


def test_segments_never_cross_paragraphs_and_title_is_paragraph_0():
    doc = Document("Тақырып бар", ("Бірінші сөйлем. Екінші сөйлем", "Үшінші сөйлем."))
    segments = segment_document(doc)
    assert [(s.paragraph, s.index, s.text) for s in segments] == [
        (0, 0, "Тақырып бар"), (1, 1, "Бірінші сөйлем."), (1, 2, "Екінші сөйлем"), (2, 3, "Үшінші сөйлем.")]


@pytest.mark.parametrize("text, expected", [
    # a dash attribution after a closing quote stays with the quote
    ("«Келесі жылы бастаймыз!» – деп атап өтті министр. Жиын аяқталды.",
     ["«Келесі жылы бастаймыз!» – деп атап өтті министр.", "Жиын аяқталды."]),
    # a dash that opens dialogue starts a sentence
    ("Ол үндемеді. – Біз дайынбыз, – деді сосын.", ["Ол үндемеді.", "– Біз дайынбыз, – деді сосын."]),
    # a nonfinal abbreviation before a capital does not split; a final one before a digit does not
    ("Кездесу сағ. 15.00-де басталды. Оны акад. Сатпаев ашты.",
     ["Кездесу сағ. 15.00-де басталды.", "Оны акад. Сатпаев ашты."]),
    ("Жоба 2025 ж. 1 қыркүйекте аяқталды. Ол 2024 ж. Басталған.",
     ["Жоба 2025 ж. 1 қыркүйекте аяқталды.", "Ол 2024 ж.", "Басталған."]),
    # a capitalised abbreviation at a sentence start is still an abbreviation
    ("Мыс. Ақтөбеде жаңа зауыт ашылды.", ["Мыс. Ақтөбеде жаңа зауыт ашылды."]),
    # initials with and without a space
    ("Жиынды Е.Б. Смайылов пен А. Б. Сейітов жүргізді. Ол ұзаққа созылды.",
     ["Жиынды Е.Б. Смайылов пен А. Б. Сейітов жүргізді.", "Ол ұзаққа созылды."]),
    # an ordinary word before a digit does split; dates and decimals stay whole
    ("Келісім 12.11.2025 күні жасалды. 2026 жылы құны 10.5 млн болады.",
     ["Келісім 12.11.2025 күні жасалды.", "2026 жылы құны 10.5 млн болады."]),
    # ? and ! before a lower-case word do not split
    ("Не істеу керек? деген сұрақ туды. Жауап табылды!", ["Не істеу керек? деген сұрақ туды.", "Жауап табылды!"]),
    # a blank line always splits, a plain line break inside a sentence does not
    ("Бірінші абзац соңы\n\nекінші абзац", ["Бірінші абзац соңы", "екінші абзац"]),
    ("Жол құрылысы\nжалғасуда.", ["Жол құрылысы\nжалғасуда."]),
    # a list item after a colon, and a final abbreviation before the next item
    ("Техника:\n- трактор т.б.\n- комбайн", ["Техника:", "- трактор т.б.", "- комбайн"]),
    ("Сайт: gov.kz/aktobe?id=5. Хат: info@aktobe.kz.", ["Сайт: gov.kz/aktobe?id=5.", "Хат: info@aktobe.kz."]),
    # an amount's scale word before an acronym continues the sentence, before a word it ends it
    ("Тарифтер 60 млрд. АҚШ долларын құрайды. Құны 3 млн. Жоба басталды.",
     ["Тарифтер 60 млрд. АҚШ долларын құрайды.", "Құны 3 млн.", "Жоба басталды."]),
    # from FLORES and newstest: a case name and a two-letter initial
    ("Ол «Roe v. Wade» ісін атады. Мерфи Дж. Поул хабарлады.",
     ["Ол «Roe v. Wade» ісін атады.", "Мерфи Дж. Поул хабарлады."]),
    ("", []),
    ("   ", []),
])
def test_rules(text, expected):
    assert split_sentences(text) == expected


def test_sentences_are_exact_substrings_in_order():
    text = RELEASE.read_text(encoding="utf-8") + "\n\n" + " ".join(
        " ".join(c["sentences"]) for c in CASES["cases"])
    position = 0
    for sentence in split_sentences(text):
        found = text.find(sentence, position)
        assert found >= position and sentence == sentence.strip() and sentence
        assert not text[position:found].strip(), "text was dropped between sentences"
        position = found + len(sentence)
    assert not text[position:].strip()


def test_abbreviations_come_from_the_data_file():
    table = abbreviations()
    assert table["проф"] == "nonfinal" and table["даңғ"] == "nonfinal"
    assert table["т.б"] == "final" and table["АҚШ"] == "final" and table["млн"] == "number"
    data = (Path(__file__).parents[1] / "mt" / "data" / "abbreviations.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in data.splitlines() if line.strip() and not line.startswith("#")][1:]
    assert len(table) == len(rows)


def test_long_text_is_split_in_linear_time():
    # 2 MB of candidates that must not split (abbreviations, list-like numbers) and of real ends
    unit = "Өңірде мыс т.б. қазбалар 5. ж бар, сағ. 10.00-де Е.Б. Смайылов келді. "
    text = unit * (2_000_000 // len(unit.encode("utf-8")))
    started = time.perf_counter()
    sentences = split_sentences(text)
    elapsed = time.perf_counter() - started
    assert len(sentences) == text.count("келді.")
    assert elapsed < 10, f"{elapsed:.1f}s for 2 MB"


# -- quotes as people type them (issue 10) ---------------------------------------------

@pytest.mark.parametrize("opening, closing", [("”", "”"), ("“", "“"), ('"', "“"), ("„", "“"),
                                              ("‹", "›"), ("«", "»"), ("»", "«")])
def test_a_quote_opened_with_any_mark_starts_a_new_sentence(opening, closing):
    first = "Аким өңірдегі жол құрылысы туралы жеткізді."
    second = f"{opening}Әрине, жұмыс жалғасады{closing}, – деді ол."
    assert split_sentences(f"{first} {second}") == [first, second]


def test_a_closing_mark_typed_after_the_space_stays_with_its_sentence():
    text = "«Біз келісімге қол қойдық. » Сосын министр сөзін жалғастырды."
    assert split_sentences(text) == ["«Біз келісімге қол қойдық. »", "Сосын министр сөзін жалғастырды."]


def test_a_sentence_typed_without_its_capital_still_starts_a_segment():
    text = "Кеңес мәлімдеме жасады. өз сайтында ол жоспарды жариялады."
    assert split_sentences(text) == ["Кеңес мәлімдеме жасады.", "өз сайтында ол жоспарды жариялады."]


@pytest.mark.parametrize("text", [
    "2025 ж. қазан айында келісімге қол қойылды.",
    "Кездесуге т.б. мекемелер қатысты.",
    "Көрсеткіш 60 млрд. теңгеге жетті.",
])
def test_lower_case_after_an_abbreviation_does_not_split(text):
    assert split_sentences(text) == [text]


def test_ntrex_documents_rejoined_split_at_every_sentence_end():
    """The shipped NTREX-128 Kazakh documents, their lines joined by a space: every line
    ending in sentence-final punctuation is a boundary found, and every other split is
    itself after sentence-final punctuation (some lines hold two sentences)."""
    folder = HERE.parent / "corpora" / "ntrex128"
    lines = (folder / "newstest2019-ref.kaz.txt").read_text(encoding="utf-8").splitlines()
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split()
    assert len(lines) == len(ids) == 1997
    docs: dict[str, list[str]] = {}
    for doc, line in zip(ids, lines):
        docs.setdefault(doc, []).append(line.strip())
    missed, inner, found = [], [], 0
    for sentences in docs.values():
        text = " ".join(sentences)
        cuts, pos = set(), 0
        for piece in split_sentences(text):
            pos = text.index(piece, pos) + len(piece)
            cuts.add(pos)
        bounds, pos = {}, 0
        for sentence in sentences[:-1]:
            pos += len(sentence)
            bounds[pos] = sentence
            pos += 1
        for pos, sentence in bounds.items():
            if sentence.rstrip("»”“\"')")[-1:] in ".!?…":
                if pos in cuts:
                    found += 1
                else:
                    missed.append(sentence[-40:])
        inner += [text[max(0, c - 30):c] for c in cuts - set(bounds) - {len(text)}
                  if text[:c].rstrip().rstrip("»”“\"')›")[-1:] not in ".!?…"]
    assert found > 1700
    assert missed == []
    assert inner == []
