"""mt.metrics: sacrebleu adapters, paired bootstrap, term success rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt.errors import InputError, LanguageError
from mt.metrics import METRICS, MetricResult, paired_bootstrap, score, term_success_rate

ROOT = Path(__file__).parent.parent
FLORES = ROOT / "corpora" / "flores200" / "devtest"
QA = Path(__file__).parent / "data" / "qa"


def lines(path: Path, n: int | None = None) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1][:n]


@pytest.fixture(scope="module")
def english() -> list[str]:
    return lines(FLORES / "eng_Latn.devtest", 120)


def halved(sentences: list[str]) -> list[str]:
    """Every other sentence cut to its first half: a clearly worse system."""
    return [s if i % 2 else " ".join(s.split()[: len(s.split()) // 2]) for i, s in enumerate(sentences)]


def test_registry_names_the_three_metrics():
    assert set(METRICS) == {"bleu", "chrf", "ter"}


def test_reference_as_hypothesis_scores_perfectly(english):
    results = score(english, [english], "kk-en")
    assert results["bleu"].score == pytest.approx(100.0)
    assert results["chrf"].score == pytest.approx(100.0)
    assert results["ter"].score == pytest.approx(0.0)


def test_signatures_say_how_each_score_was_computed(english):
    results = score(english, [english], "kk-en")
    assert "tok:13a" in results["bleu"].signature
    assert "nw:2" in results["chrf"].signature  # chrF++, not chrF
    assert "tok:tercom" in results["ter"].signature
    assert all("version:" in r.signature for r in results.values())
    assert results["bleu"].to_dict() == {"score": results["bleu"].score,
                                         "signature": results["bleu"].signature}


def test_worse_output_scores_worse(english):
    good = score(english, [english], "kk-en")
    bad = score(halved(english), [english], "kk-en")
    assert bad["bleu"].score < good["bleu"].score - 10
    assert bad["chrf"].score < good["chrf"].score - 5
    assert bad["ter"].score > good["ter"].score + 5


def test_second_reference_set_is_used(english):
    other = halved(english)
    one = score(other, [english], "kk-en", metrics=("bleu",))["bleu"]
    two = score(other, [english, other], "kk-en", metrics=("bleu",))["bleu"]
    assert two.score == pytest.approx(100.0) and one.score < 90
    assert "nrefs:2" in two.signature


def test_metric_options_reach_sacrebleu(english):
    result = score(english[:10], [english[:10]], "kk-en", metrics=("bleu", "chrf"),
                   bleu={"tokenize": "char"}, chrf={"word_order": 0})
    assert "tok:char" in result["bleu"].signature
    assert "nw:0" in result["chrf"].signature


def test_misaligned_input_is_refused(english):
    with pytest.raises(InputError, match="120 vs 119"):
        score(english, [english[:-1]], "kk-en")


def test_unknown_language_or_metric_is_refused(english):
    with pytest.raises(LanguageError):
        score(english, [english], "kk-fr")
    with pytest.raises(InputError, match="meteor"):
        score(english, [english], "kk-en", metrics=("bleu", "meteor"))


def test_metric_result_is_frozen():
    result = MetricResult("bleu", 1.0, "sig")
    with pytest.raises(AttributeError):
        result.score = 2.0  # type: ignore[misc]


def test_paired_bootstrap_separates_a_worse_system(english):
    results = paired_bootstrap(english, halved(english), [english], "kk-en", metrics=("bleu", "chrf"))
    assert results["bleu"].system < results["bleu"].baseline
    assert results["bleu"].p_value < 0.01 and results["chrf"].p_value < 0.01
    assert "bs:1000" in results["bleu"].test_signature and "bs:" not in results["bleu"].signature


def test_paired_bootstrap_finds_no_difference_for_one_changed_line(english):
    base = halved(english)
    nearly = [english[0], *base[1:]]
    result = paired_bootstrap(base, nearly, [english], "kk-en", metrics=("bleu",))["bleu"]
    assert result.p_value > 0.05


@pytest.fixture(scope="module")
def glossary():
    from mt.glossary.store import load_glossary

    return load_glossary([ROOT / "glossaries"]).active()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_term_success_rate_counts_terms_of_the_release(glossary, lang):
    sources = lines(QA / "release.kk")
    clean = term_success_rate(sources, lines(QA / f"release.{lang}"), glossary, lang)
    faulty = term_success_rate(sources, lines(QA / f"faulty.{lang}"), glossary, lang)
    assert clean.total >= 30 and clean.total == faulty.total
    kinne = {(m.segment, m.id) for m in faulty.misses} - {(m.segment, m.id) for m in clean.misses}
    assert any(term_id == "person.kinne" for _, term_id in kinne)  # the planted misspelling
    assert faulty.found < clean.found
    assert clean.score == pytest.approx(100.0 * clean.found / clean.total)
    assert clean.signature.startswith("TSR|") and f"trg:{lang}" in clean.signature


def test_term_success_rate_is_none_without_terms(glossary):
    result = term_success_rate(["Бүгін күн жылы."], ["It is warm today."], glossary, "en")
    assert (result.score, result.found, result.total) == (None, 0, 0)
