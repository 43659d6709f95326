"""The engine contract, once, for every engine x model family: the target language is
forced by whole marker tokens, batches keep input order and equal one-by-one results,
empty input, unknown or uncovered languages refused, over-long input split (never cut).

Engine-specific behaviour (signatures, loading errors, encode-once, vocabulary
restriction, conversion) is tested in test_engines.py (transformers) and test_ct2.py."""

import importlib.util
import random

import pytest

from mt.engines.base import EngineOptions
from mt.errors import LanguageError
from tinymodels import ENGINE_SENTENCES as SENTENCES

# small budgets, so that these sentences make several batches in both engines
FAST = EngineOptions(beam_size=2, batch_size=3, max_batch_tokens=40, max_length=12)
FAMILIES = {"tiny_nllb": "nllb", "tiny_m2m100": "m2m100", "tiny_marian_multi": "marian",
            "tiny_madlad": "madlad", "tiny_marian": "marian"}
HAS_CT2 = importlib.util.find_spec("ctranslate2") is not None
KINDS = ["hf", "ct2"]
# What each family must see: the marker opening the source row, the marker the decoder
# is forced to start with (None: that side has none), for kk -> de and kk -> ru.
MARKERS = {
    "tiny_nllb": {"de": ("kaz_Cyrl", "deu_Latn"), "ru": ("kaz_Cyrl", "rus_Cyrl")},
    "tiny_m2m100": {"de": ("__kk__", "__de__"), "ru": ("__kk__", "__ru__")},
    "tiny_madlad": {"de": ("<2de>", None), "ru": ("<2ru>", None)},
    "tiny_marian_multi": {"de": (">>deu<<", None), "ru": (">>rus<<", None)},
}
_engines: dict = {}


def make_engine(request, kind: str, fixture: str, options: EngineOptions = FAST):
    if kind == "hf":
        from mt.engines.hf import HFEngine

        return HFEngine(str(request.getfixturevalue(fixture)), options)
    from mt.engines.ct2 import CT2Engine

    return CT2Engine(str(request.getfixturevalue("ct2_model")(fixture)), options)


def cached_engine(request, kind: str, fixture: str):
    """One engine per (engine, family), loaded once per session."""
    if kind == "ct2" and not HAS_CT2:
        pytest.skip("ctranslate2 is not installed (pip install 'mt[ct2]')")
    if (kind, fixture) not in _engines:
        _engines[kind, fixture] = make_engine(request, kind, fixture)
    engine = _engines[kind, fixture]
    engine.fixture = fixture
    return engine


@pytest.fixture(params=[(k, f) for k in KINDS for f in FAMILIES], ids=lambda p: f"{p[0]}-{p[1]}")
def engine(request):
    return cached_engine(request, *request.param)


def target_of(engine) -> str:
    return "en" if engine.fixture == "tiny_marian" else "de"


def test_family_detected(engine):
    assert engine.family == FAMILIES[engine.fixture]
    assert engine.multi_target == (engine.fixture != "tiny_marian")
    assert engine.signature


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fixture", MARKERS)
@pytest.mark.parametrize("tgt", ["de", "ru"])
def test_target_marker_is_a_whole_token_where_the_model_looks(request, kind, fixture, tgt):
    """The first source token (MADLAD, Opus-MT, and NLLB/M2M100's source code) and the
    first forced decoder token (NLLB, M2M100) are the language markers, never split
    pieces of them; the text's own pieces follow unchanged, then </s>."""
    engine = cached_engine(request, kind, fixture)
    source_marker, forced_marker = MARKERS[engine.fixture][tgt]
    rows = engine.source_tokens(SENTENCES[:3], "kk", tgt)
    for row, text in zip(rows, SENTENCES[:3], strict=True):
        assert row[0] == source_marker, row[:3]
        assert row.count(source_marker) == 1
        assert len(row) == 1 + engine.count_tokens(text) + 1  # marker, the text's pieces, </s>
        assert row[-1] == "</s>"
    forced = engine.forced_tokens(SENTENCES[:3], "kk", tgt)
    assert len(forced) == 3
    if forced_marker is not None:
        assert all(row[0] == forced_marker for row in forced), forced
    many = engine.translate_many(SENTENCES[:3], "kk", ["de", "ru"])
    assert many["de"] != many["ru"]  # the marker steers the output
    assert many[tgt] == engine.translate(SENTENCES[:3], "kk", tgt)


@pytest.mark.parametrize("kind", KINDS)
def test_single_pair_model_has_no_marker(request, kind):
    engine = cached_engine(request, kind, "tiny_marian")
    rows = engine.source_tokens(SENTENCES[:2], "kk", "en")
    assert all(not (tok.startswith(">>") and tok.endswith("<<")) for row in rows for tok in row)
    assert all(row[-1] == "</s>" for row in rows)


def test_batch_equals_one_by_one_in_input_order(engine):
    tgt = target_of(engine)
    batched = engine.translate(SENTENCES, "kk", tgt)
    singles = [engine.translate([s], "kk", tgt)[0] for s in SENTENCES]
    assert batched == singles
    assert len(set(batched)) > 1, "outputs must differ by input, or an order bug would not show"
    shuffled = list(range(len(SENTENCES)))
    random.Random(1).shuffle(shuffled)
    assert engine.translate([SENTENCES[i] for i in shuffled], "kk", tgt) == [batched[i] for i in shuffled]


def test_empty_input_and_empty_strings(engine):
    tgt = target_of(engine)
    assert engine.translate([], "kk", tgt) == []
    assert engine.translate_many([], "kk", [tgt]) == {tgt: []}
    out = engine.translate(["", SENTENCES[1], "   "], "kk", tgt)
    assert out[0] == "" and out[2] == ""
    assert out[1] == engine.translate([SENTENCES[1]], "kk", tgt)[0] != ""


@pytest.mark.parametrize("src, tgt, message", [
    ("kk", "xx", "unknown language code 'xx'"),
    ("xx", "de", "unknown language code 'xx'"),
    ("kk", "kk", "both 'kk'"),
])
def test_unknown_code_refused(engine, src, tgt, message):
    with pytest.raises(LanguageError, match=message):
        engine.translate(["Бүгін"], src, tgt)


def test_language_missing_from_model_refused(engine):
    """A code in our table that the loaded model lacks fails loudly (never <unk>)."""
    if engine.family == "m2m100":  # the M2M100 tokenizer has all of its 100 codes
        tgt, message = "ky", "m2m100 models do not cover language 'ky'"
    elif engine.fixture == "tiny_marian":
        tgt, message = "de", "this model translates target language 'en', not 'de'"
    else:  # fr is in our table, but these tiny vocabularies lack it
        tgt, message = "fr", "no token for language 'fr'"
    with pytest.raises(LanguageError, match=message):
        engine.translate(["Бүгін"], "kk", tgt)
    with pytest.raises(LanguageError, match=message):
        engine.source_tokens(["Бүгін"], "kk", tgt)


LONG_CLAUSES = ", ".join(["Тараптар инвестициялық жобаларды талқылады"] * 12) + "."


@pytest.mark.parametrize("text, how, max_length", [
    (LONG_CLAUSES, "clauses", 40),
    (" ".join(["делегациясымен"] * 30), "words", 20),
    ("делегациясымен" * 20, "characters", 20),
])
def test_overlong_sentence_split_not_truncated(request, engine, text, how, max_length):
    key = (engine.name, engine.fixture, max_length)
    if key not in _engines:
        _engines[key] = make_engine(request, engine.name, engine.fixture,
                                    EngineOptions(beam_size=1, max_length=max_length))
    tgt, fixture, engine = target_of(engine), engine.fixture, _engines[key]
    engine.fixture = fixture
    assert engine.count_tokens(text) > engine.max_source_tokens
    pieces, _, notes = engine.plan([text])
    assert len(pieces) > 1
    assert (" " if how != "characters" else "").join(pieces) == text  # nothing dropped
    assert all(engine.count_tokens(p) <= engine.max_source_tokens for p in pieces)
    if how == "clauses":
        assert all(p.endswith(",") for p in pieces[:-1])  # cut at clause boundaries only
    assert notes[0][0].check == "long-sentence-split" and f"{len(pieces)} pieces split at {how}" in notes[0][0].message
    each = engine.translate(pieces, "kk", tgt)
    whole = engine.translate([text, SENTENCES[5]], "kk", tgt)
    # the model receives every piece whole: markers, all of its pieces, </s>
    markers = len(engine.source_markers("kk", tgt))
    assert [len(row) for row in engine.source_tokens(pieces, "kk", tgt)] == \
        [markers + engine.count_tokens(p) + 1 for p in pieces]
    assert whole[0] == " ".join(t for t in each if t)
    assert whole[1] == engine.translate([SENTENCES[5]], "kk", tgt)[0]
