"""`mt translate` end to end with a tiny NLLB model trained on the release's own
sentences: tokenisation, language codes, batching, order and paragraph reassembly
must all be right for these exact files to come out."""

import json
import shutil

from click.testing import CliRunner
from conftest import E2E

from mt.cli import cli

EXPECTED = {
    "de": ("Neue Schule eröffnet\n"
           "Heute wurde in der Stadt eine neue Schule eröffnet. In der Schule lernen fünfhundert Schüler.\n"
           "Die Eltern nahmen an der Feier teil. Sie gratulierten den Lehrern.\n"),
    "en": ("New school opened\n"
           "A new school opened in the city today. Five hundred pupils study at the school.\n"
           "Parents attended the ceremony. They congratulated the teachers.\n"),
    "ru": ("Открылась новая школа\n"
           "Сегодня в городе открылась новая школа. В школе учатся пятьсот учеников.\n"
           "В торжественной церемонии приняли участие родители. Они поздравили учителей.\n"),
}


def run_translate(release, model, out, *extra):
    return CliRunner().invoke(cli, ["translate", str(release), "--to", "de,en,ru", "--model", str(model),
                                    "--out", str(out), "--no-glossary", "--no-tm", *extra])


def test_translate_release_exact_outputs(trained_nllb, tmp_path):
    release = tmp_path / "release.kk.txt"
    shutil.copy(E2E / "release.kk.txt", release)
    out = tmp_path / "out"
    result = run_translate(release, trained_nllb, out)
    assert result.exit_code == 0, result.output
    for lang, text in EXPECTED.items():
        assert (out / f"release.{lang}.txt").read_text(encoding="utf-8") == text

    rows = [json.loads(line) for line in (out / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["segment"], r["paragraph"]) for r in rows] == [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2)]
    assert rows[3]["source"] == "Салтанатты шараға ата-аналар қатысты."
    assert rows[3]["targets"]["en"]["text"] == "Parents attended the ceremony."
    assert rows[0]["targets"]["ru"]["text"] == "Открылась новая школа"


def test_translate_greedy_small_batches_same_files(trained_nllb, tmp_path):
    out = tmp_path / "out"
    result = run_translate(E2E / "release.kk.txt", trained_nllb, out, "--beam", "1", "--batch-size", "1")
    assert result.exit_code == 0, result.output
    assert {lang: (out / f"release.{lang}.txt").read_text(encoding="utf-8") for lang in EXPECTED} == EXPECTED


def test_missing_model_one_line_no_files(tmp_path):
    out = tmp_path / "out"
    result = run_translate(E2E / "release.kk.txt", "/nonexistent", out)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt: error:"), result.output
    assert "/nonexistent does not exist" in lines[0] and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())
