"""mt.pipeline.translate_release: the one translation path. What happened to a sentence
(split into pieces, a term put in by the fallback) travels with it, into the memory
and back, so the QA report does not depend on who served the sentence."""

from __future__ import annotations

from mt.engines.base import EngineOptions
from mt.engines.hf import HFEngine
from mt.pipeline import translate_release
from mt.release import dump_report, prepare
from mt.tm import TranslationMemory
from mt.types import GlossaryEntry

LONG = " ".join(["Ақтөбе облысында жаңа мектеп ашылды"] * 8) + "."
ENTRY = GlossaryEntry(id="place.aktobe", type="place", kk="Ақтөбе облысы", en="Aktobe Region",
                      de="Gebiet Aktobe", ru="Актюбинская область")


def _release(tmp_path):
    path = tmp_path / "r.kk.txt"
    path.write_text(f"Тақырып\n\nАқтөбе облысында жиын өтті.\n\n{LONG}\n\nБүгін күн жылы.\n", encoding="utf-8")
    return prepare(path)


def test_the_report_is_the_same_whether_the_engine_or_the_memory_served(tiny_nllb, tmp_path):
    engine = HFEngine(str(tiny_nllb), EngineOptions(beam_size=1, max_length=24))
    loads = []

    def loader():
        loads.append(1)
        return engine

    prepared = _release(tmp_path)
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    first = translate_release(prepared, ["de", "en"], loader, [ENTRY], memory, "key")
    second = translate_release(prepared, ["de", "en"], loader, [ENTRY], memory, "key")
    assert len(loads) == 1  # the second run never touched the model
    assert {t.origin for items in second.translations.values() for t in items} == {"tm"}
    checks = {f.check for f in first.findings}
    assert "long-sentence-split" in checks  # what would be lost if the memory forgot it
    assert any(f.check == "term-enforced" and f.severity == "warning" for f in first.findings)
    assert dump_report(second, {}) == dump_report(first, {})


def test_an_old_memory_unit_without_a_record_still_serves(tiny_nllb, tmp_path):
    """Units stored before the memory kept records (schema 1) have none: they serve
    their text, and the report lacks only what was never recorded."""
    engine = HFEngine(str(tiny_nllb), EngineOptions(beam_size=1, max_length=24))
    prepared = _release(tmp_path)
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    first = translate_release(prepared, ["en"], lambda: engine, [], memory, "key")
    memory._db.execute("UPDATE units SET record = ''")
    second = translate_release(prepared, ["en"], lambda: engine, [], memory, "key")
    assert [t.text for t in second.translations["en"]] == [t.text for t in first.translations["en"]]
    assert not any(f.check == "long-sentence-split" for f in second.findings)
