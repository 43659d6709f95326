"""Plain-text releases: the first non-empty line is the title, then paragraphs.

Reader: read(path) -> Document. Writer: dumps(result, lang, meta) -> str, the title line
then one paragraph per line (the release's own layout).
"""

from __future__ import annotations

import re
from pathlib import Path

from mt.errors import InputError
from mt.io import decode_bytes, read_bytes, read_stdin
from mt.types import Document, ReleaseResult

NAME = "txt"
KIND = "release"
SUFFIXES = (".txt",)

_DOCUMENT_MAGIC = ((b"PK\x03\x04", "Word/OpenDocument (zip)"), (b"%PDF", "PDF"),
                   (b"\xd0\xcf\x11\xe0", "Word 97-2003"), (b"{\\rtf", "RTF"))
_LINE_SPLIT = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")  # \x0b: Word's manual line break
HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_EMPTY_HINT = "give a release: a title line, then paragraphs"


def release_text(path: str | Path) -> str:
    """A release file's text ("-" reads stdin): refuses empty files and word-processor
    or PDF files; decoding as mt.io.decode_bytes."""
    name = str(path)
    if name == "-":
        data = read_stdin()
    else:
        data = read_bytes(path)
    if not data.strip():
        raise InputError("the file is empty", file=name, hint=_EMPTY_HINT)
    for magic, kind in _DOCUMENT_MAGIC:
        if data.startswith(magic):
            raise InputError(f"a {kind} file, not plain text", file=name,
                             hint="save it as plain text (.txt, UTF-8) or Markdown (.md)")
    return decode_bytes(data, name)


def split_lines(text: str) -> list[str]:
    return [line.rstrip() for line in _LINE_SPLIT.split(text.removeprefix("\ufeff"))]


def title_and_body(lines: list[str], name: str) -> tuple[str, list[str]]:
    """First non-empty line (a leading "# " removed) and the lines after it, leading
    blank lines dropped."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    if not lines:
        raise InputError("the file has no text", file=name, hint=_EMPTY_HINT)
    title, body = lines[0], lines[1:]
    heading = HEADING.match(title)
    title = heading.group(1) if heading else title
    while body and not body[0].strip():
        body = body[1:]
    return title, body


def blank_separated(body: list[str]) -> bool:
    """Whether a blank line stands between two non-empty lines of the body."""
    last = max((i for i, line in enumerate(body) if line.strip()), default=0)
    return any(not line.strip() for line in body[:last])


def blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    found: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [b for b in found if b]


def parse(text: str, name: str = "-") -> Document:
    """Text -> Document. The rule for paragraphs:

    - the first non-empty line is the title (a leading Markdown "# " is removed);
    - if the body (after the title) has a blank line between two non-empty lines, the file
      is blank-line separated: each run of non-blank lines is one paragraph, its lines
      (wrapped text) joined with a space;
    - otherwise every non-empty line is a paragraph (the usual layout of press releases,
      e.g. corpora/press-releases/aktobe-germany-2025/release.kk.txt).
    The paragraphs' characters are kept as they are.
    """
    title, body = title_and_body(split_lines(text), name)
    if blank_separated(body):
        paragraphs = [" ".join(line.strip() for line in block) for block in blocks(body)]
    else:
        paragraphs = [line.strip() for line in body]
    return Document(title.strip(), tuple(p for p in paragraphs if p), name)


def read(path: str | Path) -> Document:
    return parse(release_text(path), str(path))


def paragraphs(result: ReleaseResult, lang: str) -> list[str]:
    """Rejoin translated sentences into the source's blocks (block 0 is the title)."""
    joined: dict[int, list[str]] = {}
    for segment, translation in zip(result.segments, result.translations[lang], strict=True):
        joined.setdefault(segment.paragraph, []).append(translation.text.strip())
    return [" ".join(part for part in joined.get(i, []) if part)
            for i in range(len(result.document.blocks()))]


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    """Title on the first line, then one paragraph per line."""
    return "\n".join(paragraphs(result, lang)) + "\n"
