"""Releases with real drafts for the `mt review` tests: every draft is written by `mt
translate` with one of conftest's tiny models (never faked), into a folder of its own,
with a glossary folder and a translation memory beside it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from conftest import E2E

from mt.cli import cli

# One glossary term the e2e release uses (мектеп, Мектепте ...), and nothing else, so
# that the extra sentence's names have no entry and are proposed.
GLOSSARY = ("id\ttype\tkk\ten\tde\tru\tkk_variants\ten_variants\tde_variants\tru_variants\tavoid\tstrategy\tstatus\tnote\n"
            "term.school\tterm\tмектеп\tschool\tSchule\tшкола\t\t\t\t\t\t\tapproved\t\n")
NAMES_SENTENCE = "Ақтөбе облысының әкімі Асхат Шахаров мектепке келді."

# Script that would run if the page did not escape release text; each sets something the
# browser test looks for.
SCRIPT = "<script>document.title='pwned';window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=2">'
RTL = "\u202eӘкім келді\u202c. مرحبا بكم في المدرسة. עברית."
COMBINING = "Ме\u0301\u0302\u0303\u0304\u0305\u0306ктеп з\u0336\u0337\u0338а\u0489."
WORDS = "жаңа мектеп қалада оқушы ата-аналар мұғалім".split()


def big_sentence(size: int = 1_000_000) -> str:
    """One sentence of at least `size` bytes of UTF-8 (Kazakh words, one full stop)."""
    words, total = [], 0
    while total < size:
        word = WORDS[len(words) % len(WORDS)]
        words.append(word)
        total += len(word.encode("utf-8")) + 1
    return " ".join(words).capitalize() + "."


def big_translation() -> str:
    """The translator's English for big_sentence() (a script tag in front of it too)."""
    return f"{SCRIPT} " + big_sentence().replace("мектеп", "school")


@dataclass(frozen=True)
class Release:
    folder: Path
    release: Path
    glossary: Path
    tm: Path

    def draft(self, lang: str, ext: str = "txt") -> Path:
        return self.folder / f"release.{lang}.{ext}"

    def review_args(self, cwd: Path | None = None) -> list[str]:
        """`mt review` arguments for this release; paths relative to `cwd` when given
        (as a user would type them there)."""
        def shown(path: Path) -> str:
            return str(path.relative_to(cwd)) if cwd else str(path)

        return [shown(self.release), "--glossary", shown(self.glossary), "--tm", shown(self.tm),
                "--translator", "anna"]


def translate(release: Release, model: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["translate", str(release.release), "--model", str(model),
                                      "--max-length", "48", "--glossary", str(release.glossary),
                                      "--tm", str(release.tm), *extra])
    assert result.exit_code == 0, result.output


def _layout(root: Path, text: str) -> Release:
    folder = root / "release"
    folder.mkdir(parents=True)
    glossary = root / "glossary"
    glossary.mkdir()
    (glossary / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    release = folder / "release.kk.txt"
    release.write_text(text, encoding="utf-8")
    return Release(folder, release, glossary, root / "tm.sqlite")


def school_release(root: Path, model: Path, *extra: str) -> Release:
    """The e2e release (five sentences the trained model knows) plus a paragraph with
    names the glossary lacks, translated into de, en and ru."""
    text = (E2E / "release.kk.txt").read_text(encoding="utf-8").rstrip("\n") + f"\n\n{NAMES_SENTENCE}\n"
    release = _layout(root, text)
    translate(release, model, *extra)
    return release


def hostile_release(root: Path, model: Path) -> Release:
    """Script and markup in the title and body, right-to-left and combining characters,
    and a sentence of 1 MB. The long sentence's English comes from the memory (a
    translator's unit imported with `mt tm import`, as a real one would be): a tiny model
    would need minutes for it."""
    from mt.formats import tmx
    from mt.tm import MemoryUnit

    big = big_sentence()
    title = f"Жаңа {SCRIPT} мектеп"
    body = f"Мектеп {IMG} ашылды. {RTL} {COMBINING}\n\n{big}"
    release = _layout(root, f"{title}\n\n{body}\n")
    memory = root / "long.tmx"
    memory.write_bytes(tmx.dumps([MemoryUnit("kk", "en", big, big_translation(), creator="anna", created=1.0)]))
    result = CliRunner().invoke(cli, ["tm", "import", str(memory), "--tm", str(release.tm)])
    assert result.exit_code == 0, result.output
    translate(release, model, "--to", "en", "--no-glossary", "--max-length", "16")
    return release


def snapshot(*folders: Path) -> dict[Path, bytes]:
    """Every file under `folders` with its bytes (the memory's WAL files included)."""
    return {path: path.read_bytes() for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


class Server:
    """`mt review` in a subprocess, as a user starts it; `url` is the address it printed."""

    def __init__(self, args: list[str], cwd: Path | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.log = tempfile.TemporaryFile("w+")  # a file, not a pipe: nobody reads it while serving
        self.process = subprocess.Popen([sys.executable, "-m", "mt", "review", *args], stdout=subprocess.PIPE,
                                        stderr=self.log, text=True, env=env, cwd=cwd)
        line = self.process.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        if not match:
            self.process.kill()
            self.process.wait(10)
            self.log.seek(0)
            output = self.log.read()
            self.stop()
            raise AssertionError(f"mt review printed no address: {line!r} {output}")
        self.url = match.group(1)
        self.base = self.url.split("/?", 1)[0]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process.stdout.close()
        self.log.close()


def copy_release(release: Release, root: Path) -> Release:
    """A copy of a translated release (folder, glossary, memory) to change freely."""
    shutil.copytree(release.folder, root / "release")
    shutil.copytree(release.glossary, root / "glossary")
    for path in release.tm.parent.glob(release.tm.name + "*"):
        shutil.copy(path, root / path.name)
    return Release(root / "release", root / "release" / release.release.name, root / "glossary",
                   root / release.tm.name)
