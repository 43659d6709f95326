"""issue 26: the planted-fault set (eval/qa/planted.tsv) is found 100%, its clean rows raise
nothing, and it really holds five faults per new check in each target language."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parent.parent
NEW_CHECKS = ("consistency", "brackets", "spacing", "nbsp", "acronyms", "forbidden", "invented-name", "omission")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_planted", ROOT / "eval" / "qa" / "score_planted.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_has_five_faults_per_new_check_and_language():
    rows = _scorer().load_rows(ROOT / "eval" / "qa" / "planted.tsv")
    counts = Counter((r["check"], r["lang"]) for r in rows if r["kind"] == "seg" and r["check"])
    for check in NEW_CHECKS:
        for lang in ("de", "en", "ru"):
            assert counts[(check, lang)] >= 5, (check, lang)
    assert sum(1 for r in rows if r["kind"] == "seg" and not r["check"]) >= 60


def test_planted_faults_are_all_found_and_clean_rows_raise_nothing():
    scorer = _scorer()
    result = scorer.score(scorer.load_rows(ROOT / "eval" / "qa" / "planted.tsv"))
    assert result["missed"] == []
    assert result["false_alarms"] == []
    assert result["recall"] == 1.0 and set(NEW_CHECKS) <= set(result["per_check"])


def test_each_new_check_is_what_finds_its_faults(monkeypatch):
    """Broken on purpose: with one check silenced, the set misses exactly that check's faults."""
    import dataclasses

    from mt import qa

    scorer = _scorer()
    rows = scorer.load_rows(ROOT / "eval" / "qa" / "planted.tsv")
    for check in NEW_CHECKS:
        silent = dataclasses.replace(qa.CHECKS[check], func=lambda ctx: (), release_func=(lambda ctx: ())
                                     if qa.CHECKS[check].scope == "release" else None)
        monkeypatch.setitem(qa.CHECKS, check, silent)
        result = scorer.score(rows)
        monkeypatch.undo()
        assert {m["check"] for m in result["missed"]} == {check}
        assert result["per_check"][check]["found"] == 0
