"""The Kazakh named-entity recogniser: the shipped model, its spans, and that its
committed scores are what it gives."""

from __future__ import annotations

import hashlib
import json
import lzma

import pytest

from mt.errors import InputError
from mt.glossary import ner, ner_train


def test_shipped_model_tags_person_place_and_organisation() -> None:
    text = "Кеше Астанада Ерлан Сейітқалиұлы «Қазатомөнеркәсіп» ұлттық компаниясының басшыларымен кездесті."
    found = {(e.text, e.type) for e in ner.entities(text)}
    assert ("Астанада", "GPE") in found
    assert ("Ерлан Сейітқалиұлы", "PERSON") in found
    assert any(t == "ORGANISATION" and "Қазатомөнеркәсіп" in s for s, t in found)
    # a capitalised adverb at the start is no name (KazNERD tags кеше "yesterday" as a date)
    assert not any("Кеше" in s for s, t in found if t in ner_train.MAIN_TYPES)


def test_entities_carry_offsets_and_confidence() -> None:
    text = "Президент Қасым-Жомарт Тоқаев Түркияға сапармен барды."
    ents = ner.entities(text)
    assert ents
    for e in ents:
        assert text[e.start:e.end] == e.text
        assert 0.0 < e.confidence <= 1.0
    assert ner.entities("") == []


def test_tag_gives_one_label_per_token() -> None:
    toks = ["Ақтөбе", "облысының", "әкімі", "кездесу", "өткізді", "."]
    labels = ner.tag(toks)
    assert len(labels) == len(toks)
    assert labels[0] == "B-GPE" and labels[1] == "I-GPE"
    assert ner.tag([]) == []


def test_spans_from_iob2_start_a_name_at_a_stray_inside_tag() -> None:
    labels = ["O", "I-PERSON", "I-PERSON", "B-GPE", "I-ORGANISATION", "O", "B-GPE"]
    assert ner.spans(labels) == [(1, 3, "PERSON"), (3, 4, "GPE"), (4, 5, "ORGANISATION"), (6, 7, "GPE")]


def test_shape_collapses_runs() -> None:
    assert ner.shape("Қасым-Жомарт") == "Xx-Xx"
    assert ner.shape("ҚР") == "X"
    assert ner.shape("2024-жылы") == "d-x"


def test_committed_scores_are_the_shipped_models() -> None:
    """scores.json names the shipped model and its first-500-sentence slice is what that
    model scores now (a stale model or a changed feature function fails here)."""
    pytest.importorskip("seqeval")
    saved = json.loads(ner_train.SCORES.read_text(encoding="utf-8"))
    assert saved["model"]["sha256"] == ner_train.sha256_file(ner.MODEL_FILE)
    n = saved["slice"]["sentences"]
    test = ner_train.load_split(ner_train.TEST_FILE)[:n]
    pred = ner_train.predict(ner.load(), test)
    assert ner_train.score([tags for _, tags in test], pred) == saved["slice"]["scores"]


def test_training_is_deterministic(tmp_path) -> None:
    sents = ner_train.load_split(ner_train.TRAIN_FILE)[:150]
    common = frozenset(ner_train.common_words(sents, 2))
    a, b = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    for path in (a, b):
        ner_train.train(sents, path, common, {"max_iterations": 15})
    assert a.read_bytes() == b.read_bytes()


def test_changed_data_is_refused(tmp_path) -> None:
    bad = tmp_path / "IOB2_valid.txt.xz"
    bad.write_bytes(lzma.compress("Астана B-GPE\n".encode()))
    with pytest.raises(InputError, match="sha256"):
        ner_train.read_text(bad)
    good = lzma.decompress(ner_train.TRAIN_FILE.read_bytes())
    assert hashlib.sha256(good).hexdigest() == ner_train.CHECKSUMS["IOB2_valid.txt.xz"]


def test_conll_errors_name_the_line() -> None:
    with pytest.raises(InputError) as err:
        ner_train.parse_conll("Астана B-GPE\nжәне\n", "x.txt")
    assert err.value.line == 2
    assert ner_train.parse_conll("Астана B-GPE\n\nжәне O\n") == [(["Астана"], ["B-GPE"]), (["және"], ["O"])]
