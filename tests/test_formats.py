"""The formats package: one module per format behind one small interface, found by
name or file suffix; old import paths keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt import formats
from mt.errors import InputError

KINDS = {"release", "bilingual", "glossary", "memory"}


@pytest.mark.parametrize("name", list(formats.FORMATS))
def test_every_format_module_has_the_interface(name):
    module = formats.get(name)
    assert module.NAME == name and module.KIND in KINDS
    assert module.SUFFIXES and all(s.startswith(".") and s == s.lower() for s in module.SUFFIXES)
    assert callable(getattr(module, "read", None)) and callable(getattr(module, "dumps", None))


def test_suffixes_pick_one_module_each():
    seen = [s for name in formats.FORMATS for s in formats.get(name).SUFFIXES]
    assert len(seen) == len(set(seen))
    assert formats.for_path("a/Release.MD", ("release",)).NAME == "md"
    assert formats.for_path("x.xlf", ("bilingual", "memory")).NAME == "xliff"
    assert formats.for_path("x.tmx", ("bilingual", "memory")).NAME == "tmx"
    assert formats.for_path("x.tbx", ("release",)) is None
    assert formats.for_path("notes.rtf", ("release",), default="txt").NAME == "txt"
    assert formats.names("glossary") == ["tbx", "csv"]


def test_read_release_dispatches_by_suffix(tmp_path: Path):
    (tmp_path / "r.md").write_text("# Тақырып\n\n**Бір** сөз.\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("Тақырып\n**Бір** сөз.\n", encoding="utf-8")
    assert formats.read_release(tmp_path / "r.md").paragraphs == ("Бір сөз.",)
    assert formats.read_release(tmp_path / "r.txt").paragraphs == ("**Бір** сөз.",)
    with pytest.raises(InputError, match="empty"):
        (tmp_path / "e.txt").write_bytes(b"")
        formats.read_release(tmp_path / "e.txt")
