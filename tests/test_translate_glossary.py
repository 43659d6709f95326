"""Issue 3 acceptance through `mt translate`: a tiny random model knows no names, yet
the drafts carry the glossary's person and organisation forms in de, en and ru, and the
alignment file's term record says each was found."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mt.cli import cli
from mt.glossary.store import load_glossary
from mt.glossary.verify import contains

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "corpora/press-releases/aktobe-germany-2025/release.kk.txt"
IDS = ["person.shakharov", "person.kinne", "org.german-embassy-kz", "org.kazchrome", "org.kazakhoil-aktobe",
       "org.cnpc-amg"]


def test_random_model_still_outputs_glossary_forms(tiny_nllb, tmp_path):
    lines = RELEASE.read_text(encoding="utf-8").splitlines()
    release = tmp_path / "short.kk.txt"
    release.write_text("\n".join([lines[0], lines[1], lines[-1].split(". Ал ")[0] + "."]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["translate", str(release), "--model", str(tiny_nllb), "--no-tm",
                                      "--beam", "1", "--max-length", "24", "--out", str(out)])
    assert result.exit_code == 0, result.output
    entries = {e.id: e for e in load_glossary([]).entries}
    rows = [json.loads(line) for line in (out / "short.align.jsonl").read_text(encoding="utf-8").splitlines()]
    for lang in ("de", "en", "ru"):
        draft = (out / f"short.{lang}.txt").read_text(encoding="utf-8")
        records = {t["id"]: t for row in rows for t in row["targets"][lang]["terms"]}
        for term_id in IDS:
            assert contains(draft, entries[term_id], lang), (lang, term_id, draft)
            assert records[term_id]["found"] is True, (lang, term_id)
    assert "Askhat Shakharov" in (out / "short.en.txt").read_text(encoding="utf-8")
    assert "Aschat Schacharow" in (out / "short.de.txt").read_text(encoding="utf-8")
    assert "Шахаров" in (out / "short.ru.txt").read_text(encoding="utf-8")
