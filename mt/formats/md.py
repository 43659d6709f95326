"""Markdown releases (.md, .markdown): headings, list items and quote marks start their
own paragraph; bullets, heading marks, emphasis, inline code and link syntax are removed
(a link keeps its text and, in brackets, its address); numbered items keep their number.

Reader: read(path) -> Document. Writer: dumps(result, lang, meta) -> str ("# title",
then the paragraphs separated by blank lines).
"""

from __future__ import annotations

import re
from pathlib import Path

from mt.formats import txt
from mt.types import Document, ReleaseResult

NAME = "md"
KIND = "release"
SUFFIXES = (".md", ".markdown")
MARKDOWN_SUFFIXES = SUFFIXES

_SETEXT_OR_RULE = re.compile(r"^\s{0,3}(?:=+|-{2,}|\*{3,}|_{3,}|(?:[-*_]\s*){3,})\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+•]\s+")
_NUMBERED = re.compile(r"^\s{0,3}\d{1,3}[.)]\s+")
_QUOTE_MARK = re.compile(r"^\s{0,3}>\s?")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`([^`]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2).removeprefix("mailto:")
                     else f"{m.group(1)} ({m.group(2).removeprefix('mailto:')})", text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _blocks(lines: list[str]) -> list[list[str]]:
    """Markdown lines -> blocks of lines, with block marks removed: a heading, list item
    or setext underline/rule always ends the block before it."""
    found: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            found.append([])
        elif _SETEXT_OR_RULE.match(line):
            found.append([])
        elif heading := txt.HEADING.match(line):
            found += [[heading.group(1)], []]
        elif _BULLET.match(line) or _NUMBERED.match(line):
            found.append([_BULLET.sub("", line)])
        else:
            found[-1].append(_QUOTE_MARK.sub("", line))
    return [b for b in found if any(line.strip() for line in b)]


def _skip_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return lines[i + 1:]
    return lines


def _drop_title_underline(lines: list[str]) -> list[str]:
    """A setext title ("Title" over "=====") keeps only its text line."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and first + 1 < len(lines):
        under = lines[first + 1]
        if _SETEXT_OR_RULE.match(under) and under.strip()[0] in "=-":
            return lines[:first + 1] + lines[first + 2:]
    return lines


def parse(text: str, name: str = "-") -> Document:
    """Markdown text -> Document; paragraphs as txt.parse, plus the Markdown rules above."""
    lines = _drop_title_underline(_skip_front_matter(txt.split_lines(_HTML_COMMENT.sub("", text))))
    title, body = txt.title_and_body(lines, name)
    found = _blocks(body)
    if not txt.blank_separated(body):
        found = [[line] for block in found for line in block]
    paragraphs = [_inline(" ".join(block)) for block in found]
    return Document(_inline(title).strip(), tuple(p for p in paragraphs if p), name)


def read(path: str | Path) -> Document:
    return parse(txt.release_text(path), str(path))


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    title, *body = txt.paragraphs(result, lang)
    return "\n\n".join([f"# {title}", *body]) + "\n"
