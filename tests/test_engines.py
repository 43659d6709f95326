"""The transformers engine: batching, threads, loading errors, exact outputs of the
trained model, encode-once decoding, the target vocabulary restriction and the
sentence-splitting helpers. The contract every engine keeps is in test_engine_contract.py."""

import json
import random
import shutil
from pathlib import Path

import pytest

from mt.engines import load_engine
from mt.engines.base import EngineOptions
from mt.engines.hf import HFEngine
from mt.engines.split import CLAUSE, rejoin, split_long
from mt.errors import ModelError
from tinymodels import ENGINE_SENTENCES as SENTENCES

ROOT = Path(__file__).resolve().parent.parent

FAST = EngineOptions(beam_size=2, batch_size=3, max_batch_tokens=60, max_length=12)
FAMILIES = ["tiny_nllb", "tiny_m2m100", "tiny_marian_multi", "tiny_madlad", "tiny_marian"]
_engines: dict = {}


@pytest.fixture(params=FAMILIES)
def engine(request) -> HFEngine:
    """One engine per family, loaded once per session."""
    if request.param not in _engines:
        _engines[request.param] = HFEngine(str(request.getfixturevalue(request.param)), FAST)
    engine = _engines[request.param]
    return engine


def test_signature(tiny_nllb):
    engine = HFEngine(str(tiny_nllb), FAST)
    assert engine.signature.startswith(f"hf:{engine.ref.name}@local-")
    assert engine.signature.endswith(":beam2:maxlen12")


def test_batches_are_length_sorted_and_within_budget(engine):
    lengths = [engine.count_tokens(s) for s in SENTENCES]
    batches = engine.batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(SENTENCES)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat, reverse=True)
    for b in batches:
        assert len(b) <= FAST.batch_size
        assert len(b) == 1 or max(lengths[i] for i in b) * len(b) <= FAST.max_batch_tokens
    assert len(batches) >= 3


LONG_CLAUSES = ", ".join(["Тараптар инвестициялық жобаларды талқылады"] * 12) + "."


def test_decimals_and_times_are_not_clause_boundaries(tiny_nllb):
    from mt.engines.split import CLAUSE as _CLAUSE

    assert _CLAUSE.split("2,5 млн теңге, сағат 10:00 – жиын") == ["2,5 млн теңге,", "сағат 10:00", "– жиын"]


def test_threads_option_sets_torch_threads(tiny_nllb):
    import torch

    before = torch.get_num_threads()
    try:
        HFEngine(str(tiny_nllb), EngineOptions(threads=2))
        assert torch.get_num_threads() == 2
        torch.set_num_threads(1)
        HFEngine(str(tiny_nllb), EngineOptions(threads=0))  # 0: keep torch's (or the caller's) count
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_load_engine_picks_hf_for_transformers_folder(tiny_nllb):
    engine = load_engine(str(tiny_nllb), options=FAST)
    assert isinstance(engine, HFEngine) and engine.family == "nllb"


# -- loading errors: one line, saying what to do ------------------------------------------

def one_line(exc: ModelError) -> str:
    text = str(exc)
    assert "\n" not in text and len(text) < 300, text
    return text


def test_missing_folder(tmp_path):
    with pytest.raises(ModelError) as info:
        HFEngine(str(tmp_path / "nope"), FAST)
    assert "does not exist" in one_line(info.value) and "mt models download" in str(info.value)


def test_uncached_hub_id_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as info:
        load_engine("facebook/nllb-200-distilled-600M", options=FAST)
    text = one_line(info.value)
    assert "not in the Hugging Face cache" in text
    assert "mt models download facebook/nllb-200-distilled-600M" in text


def test_not_a_seq2seq_model(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "vocab_size": 10}))
    with pytest.raises(ModelError) as info:
        HFEngine(str(tmp_path), FAST)
    assert "'bert' model, not a sequence-to-sequence" in one_line(info.value)


def test_corrupt_weights(tiny_nllb, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_nllb, broken)
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(ModelError) as info:
        HFEngine(str(broken), FAST)
    assert "cannot load" in one_line(info.value)


def test_corrupt_config(tiny_nllb, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_nllb, broken)
    (broken / "config.json").write_text("{not json")
    with pytest.raises(ModelError) as info:
        HFEngine(str(broken), FAST)
    assert "cannot read the model config" in one_line(info.value)


def test_unknown_device(tiny_nllb):
    with pytest.raises(ModelError, match="unknown device"):
        HFEngine(str(tiny_nllb), EngineOptions(device="tpu"))


# -- the trained model: exact outputs -------------------------------------------------------

def test_trained_model_exact_in_any_order_and_batch_size(trained_nllb, e2e_pairs):
    sources = [s for s, _ in e2e_pairs]
    order = list(range(len(sources)))
    random.Random(3).shuffle(order)
    for options in (EngineOptions(beam_size=1, batch_size=2), EngineOptions(beam_size=4, batch_size=16)):
        engine = HFEngine(str(trained_nllb), options)
        out = engine.translate_many([sources[i] for i in order], "kk", ["de", "en", "ru"])
        for lang in ("de", "en", "ru"):
            assert out[lang] == [e2e_pairs[i][1][lang] for i in order]


# -- splitting helpers (mt/engines/split.py) ------------------------------------------------

def words(text: str) -> int:
    return len(text.split())


def test_split_long_keeps_a_fitting_sentence_whole():
    assert split_long("  Бүгін кездесу өтті. ", words, 3) == (["Бүгін кездесу өтті."], "whole")
    assert split_long("   ", words, 3) == ([], "whole")


def test_split_long_packs_clauses_greedily():
    text = "a b, c d; e f g: h"
    assert split_long(text, words, 4) == (["a b, c d;", "e f g: h"], "clauses")


def test_split_long_falls_back_to_words_then_characters():
    assert split_long("a b, c d e f g", words, 3) == (["a b,", "c d e", "f g"], "words")
    pieces, how = split_long("abcdefghij", len, 4)
    assert how == "characters" and "".join(pieces) == "abcdefghij" and all(len(p) <= 4 for p in pieces)


def test_clause_regex_keeps_decimals_times_and_hyphens():
    assert CLAUSE.split("2,5 млн, 10:00 – жиын; ата-аналар") == ["2,5 млн,", "10:00", "– жиын;", "ата-аналар"]


def test_rejoin_puts_pieces_back_in_their_sentences():
    assert rejoin(["A", "B", "", "C"], [0, 0, 1, 2], 4) == ["A B", "", "C", ""]


# -- encode once, decode per language ------------------------------------------------------

@pytest.mark.parametrize("beam", [1, 4])
@pytest.mark.parametrize("family", ["tiny_nllb", "tiny_m2m100"])
def test_encode_once_equals_per_language(family, beam, request):
    engine = HFEngine(str(request.getfixturevalue(family)),
                      EngineOptions(beam_size=beam, batch_size=9, max_batch_tokens=150, max_length=20))
    calls = []
    hook = engine.model.get_encoder().register_forward_hook(lambda *_: calls.append(1))
    try:
        many = engine.translate_many(SENTENCES, "kk", ["de", "en", "ru"])
        encoded_once = len(calls)
        calls.clear()
        per_language = {tgt: engine.translate(SENTENCES, "kk", tgt) for tgt in ("de", "en", "ru")}
        encoded_per_language = len(calls)
    finally:
        hook.remove()
    assert many == per_language
    assert len({many["de"][0], many["en"][0], many["ru"][0]}) == 3
    pieces, _ = engine.plan(SENTENCES)
    lengths = [engine.count_tokens(p) for p in pieces]
    assert encoded_once == len(engine.batches(lengths, rows_per_sentence=3))
    assert encoded_per_language == 3 * len(engine.batches(lengths))


def test_batches_for_several_languages_share_the_budget(tiny_nllb):
    engine = HFEngine(str(tiny_nllb), EngineOptions(batch_size=9, max_batch_tokens=150))
    lengths = [engine.count_tokens(s) for s in SENTENCES]
    for batch in engine.batches(lengths, rows_per_sentence=3):
        assert len(batch) <= 3
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 50


# -- target vocabulary restriction ---------------------------------------------------------

def flores_kk(n: int = 20) -> list[str]:
    path = ROOT / "corpora/flores200/dev/kaz_Cyrl.dev"
    if not path.is_file():
        pytest.skip("corpora/flores200 is not there")
    return path.read_text(encoding="utf-8").splitlines()[:n]


def test_restricted_vocabulary_agrees_with_unrestricted(trained_nllb, e2e_pairs):
    """Corpora + glossary + the domain's own target text: identical outputs, greedy on
    in-domain and out-of-domain input, beam 4 on in-domain input, slice and mask."""
    from mt.glossary.store import load_glossary

    engine = HFEngine(str(trained_nllb), EngineOptions(beam_size=1))
    domain = [t[lang] for _, t in e2e_pairs for lang in t]
    allowed = engine.corpus_vocabulary(glossary=load_glossary(), texts=domain)
    assert len(allowed) < len(engine.tokenizer)
    targets = ["de", "en", "ru"]
    in_domain = [s for s, _ in e2e_pairs]
    for beam, sources in ((1, in_domain + flores_kk()), (4, in_domain)):
        engine.options = EngineOptions(beam_size=beam)
        plain = engine.translate_many(sources, "kk", targets)
        for method in ("slice", "mask"):
            engine.restrict_vocabulary(allowed, method)
            assert engine.translate_many(sources, "kk", targets) == plain, (beam, method)
            engine.restrict_vocabulary(None)
    assert {lang: plain[lang] for lang in targets} == {lang: [t[lang] for _, t in e2e_pairs] for lang in targets}


def test_restriction_risk_a_word_the_corpora_lack(trained_nllb, e2e_pairs):
    """The shipped corpora alone lack some pieces the trained model's references need
    (e.g. 'fünfhundert'): those sentences come out differently, the others identical."""
    engine = HFEngine(str(trained_nllb), EngineOptions(beam_size=1))
    allowed = engine.corpus_vocabulary()
    engine.restrict_vocabulary(allowed)
    missing = 0
    for source, targets in e2e_pairs:
        copies = engine._copyable_ids(engine.encode([source], "kk", "de")["input_ids"])
        for lang, reference in targets.items():
            ids = engine.tokenizer(reference, add_special_tokens=False)["input_ids"]
            out = engine.translate([source], "kk", lang)[0]
            if set(ids) <= allowed | copies:
                assert out == reference
            else:
                missing += 1
                assert out != reference
    assert missing > 0


def test_restriction_allows_source_copies_and_nothing_else(tiny_nllb):
    engine = HFEngine(str(tiny_nllb), EngineOptions(beam_size=2, max_length=12))
    source = "Германия 2025 Aktobe делегациясымен кездесу"
    before = engine.generate_ids([source], "kk", "de")[0]
    signature = engine.signature
    base = set(engine.tokenizer("Die Seiten erörterten Bildung.", add_special_tokens=False)["input_ids"])
    engine.restrict_vocabulary(base)
    assert engine.signature.startswith(signature + ":vocab-")
    copies = engine._copyable_ids(engine.encode([source], "kk", "de")["input_ids"])
    digits = engine.tokenizer.convert_ids_to_tokens(sorted(copies))
    assert any("2" in piece for piece in digits) and any("Ak" in piece or "Aktobe" in piece for piece in digits)
    prefix = set(engine.decoder_prefix("de"))
    for method in ("slice", "mask"):
        engine.restrict_vocabulary(base, method)
        row = engine.generate_ids([source], "kk", "de")[0]
        assert set(row) <= base | copies | prefix | engine._special_ids()
    assert not set(before) <= base | copies | prefix | engine._special_ids()  # the restriction bites
    engine.restrict_vocabulary(None)
    assert engine.signature == signature
    assert engine.generate_ids([source], "kk", "de")[0] == before


def test_restriction_refuses_unknown_method(tiny_nllb):
    engine = HFEngine(str(tiny_nllb), FAST)
    with pytest.raises(ModelError, match="unknown restriction method"):
        engine.restrict_vocabulary({5, 6}, "prune")


def test_restrict_vocabulary_option_uses_the_corpus_set(trained_nllb):
    plain = HFEngine(str(trained_nllb), EngineOptions(beam_size=1))
    restricted = HFEngine(str(trained_nllb), EngineOptions(beam_size=1, restrict_vocabulary=True))
    assert ":vocab-" in restricted.signature and ":vocab-" not in plain.signature
    allowed = restricted.corpus_vocabulary()
    assert restricted.tokenizer.convert_tokens_to_ids("deu_Latn") in allowed
    assert len(allowed) < len(restricted.tokenizer.get_vocab())
