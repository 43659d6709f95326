"""Markdown releases (.md, .markdown), through markdown-it-py (CommonMark + tables).

Reader: read(path) -> Document. Each paragraph, heading, list item and table cell is
a block (block 0, the first, is the title); when the body has no blank line between
paragraphs (the way releases are often typed), every line is a block of its own.
Emphasis, strong, strikethrough and links are spans; inline code, images, inline
HTML, autolinks and hard line breaks are masked (kept as they are, the engine sees a
placeholder). Fenced and indented code blocks, HTML blocks, front matter and table
delimiter rows are not text to translate. Block quotes and lists nested deeper than
MAX_NESTING levels are refused (markdown-it would drop what lies deeper).

Writer: dumps(result, lang, meta) -> str. For a release read from Markdown, the
source with each block's lines replaced by its translation: heading marks, list
markers and numbers, quote marks and table pipes as they were, code blocks and
everything else untouched, links written inline; an HTML comment at the end says it
was machine translated (model, revision, licence). For a release read from text,
"# title" then the paragraphs separated by blank lines.

parse(text) (mt.formats.parse_release(..., markdown=True), e.g. stdin) keeps the
older plain reading: marks removed, a link's address in brackets after its text.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mt.errors import InputError
from mt.formats import _blocks as structure
from mt.formats import txt
from mt.inline.spans import block_targets, pieces
from mt.types import Document, ReleaseResult, Span

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
    text = txt.release_text(path)
    blocks = _Walk(text, str(path))
    return structure.document([(b.text, b.spans) for b in blocks.blocks], blocks.descriptions, str(path),
                            text.encode("utf-8"), NAME)


def dumps(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    if not result.document.original or result.document.format != NAME:
        title, *body = txt.paragraphs(result, lang)
        return "\n\n".join([f"# {title}", *body]) + "\n"
    walk = _Walk(result.document.original.decode("utf-8"), result.document.path)
    lines = list(walk.lines)
    targets = iter(block_targets(result, lang))
    rows: dict[int, dict[int, str]] = {}
    dropped: set[int] = set()
    for block in walk.blocks:
        if not block.text:
            continue
        text, spans = next(targets, ("", ()))
        rendered = walk.render(text, spans, block)
        if block.cell is not None:
            rows.setdefault(block.line, {})[block.cell] = rendered
            continue
        lines[block.line] = block.prefix + rendered
        dropped.update(block.continuation)
    for line, cells in rows.items():
        lines[line] = _table_row(lines[line], cells)
    out = [line for i, line in enumerate(lines) if i not in dropped]
    note = structure.machine_note(lang, meta).replace("--", "- -")
    return walk.newline.join(out).rstrip("\n") + f"{walk.newline}{walk.newline}<!-- {note} -->{walk.newline}"


# -- the structured reader and writer ------------------------------------------------

# Levels of block nesting markdown-it parses (a list item counts two: list and item);
# deeper content is refused (see _refuse_too_deep). The commonmark preset's 20 would
# refuse a list nested ten deep.
MAX_NESTING = 100
_WRAPS = {"strong_open": "strong", "em_open": "em", "s_open": "s", "link_open": "link"}
_CLOSES = {"strong_close", "em_close", "s_close", "link_close"}
_ESCAPE_TEXT = re.compile(r"([\\`*\[\]<])|(?<![^\W_])_|_(?![^\W_])")
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|>|[-+*]\s|\d{1,9}[.)]\s|=+\s*$|-+\s*$)")


class _Block:
    """One block: its text, spans, where it is (line, prefix, continuation lines or
    table cell) and the inline tokens it came from."""

    def __init__(self, line: int, prefix: str, continuation: tuple[int, ...], cell: int | None,
                 text: str, spans: tuple[Span, ...]) -> None:
        self.line, self.prefix, self.continuation, self.cell = line, prefix, continuation, cell
        self.text, self.spans = text, spans


class _Walk:
    """The Markdown source parsed once; reader and writer both walk it this way."""

    def __init__(self, source: str, name: str = "-") -> None:
        self.newline = "\r\n" if "\r\n" in source else "\n"
        self.lines = source.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
        parsed = list(self.lines)
        front = _front_matter_end(parsed)
        for i in range(front):
            parsed[i] = ""  # front matter is not Markdown; keep line numbers
        first = next((i for i, line in enumerate(parsed) if line.strip()), 0)
        body = parsed[first + 1:]
        self.split_lines = not txt.blank_separated(body[next((i for i, line in enumerate(body) if line.strip()), 0):])
        md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
        self.tokens = md.parse("\n".join(parsed))
        _refuse_too_deep(self.tokens, name)
        self.elements: list = []        # mark -> token (its opening token, or the masked token)
        self.descriptions: list[str] = []
        self.blocks: list[_Block] = []
        self._walk()

    def _mark(self, token, what: str) -> int:
        self.elements.append(token)
        self.descriptions.append(what)
        return len(self.elements) - 1

    def _walk(self) -> None:
        row_line: int | None = None
        cell = 0
        container: Token | str | None = None  # "cell", or the token that opens a paragraph
        for token in self.tokens:
            if token.type == "tr_open":
                assert token.map is not None  # block tokens carry their source lines
                row_line, cell = token.map[0], 0
            elif token.type in ("th_open", "td_open"):
                container = "cell"
            elif token.type in ("paragraph_open", "heading_open"):
                container = token
            elif token.type == "inline" and container is not None:
                if container == "cell":
                    assert row_line is not None  # a cell comes after its row's tr_open
                    self._cell(token, row_line, cell)
                    cell += 1
                else:
                    self._paragraph(token, container)
                container = None

    def _cell(self, token, line: int, cell: int) -> None:
        text, spans = structure.build(self._pieces(token.children or []))
        self.blocks.append(_Block(line, "", (), cell, text, spans))

    def _paragraph(self, token, opener) -> None:
        start, end = opener.map
        setext = opener.type == "heading_open" and opener.markup in ("=", "-")
        content = token.content.split("\n")
        first_block = not any(b.text for b in self.blocks)
        groups: list[tuple[int, list]] = [(0, [])]  # (first content line, tokens)
        line = 0
        for child in token.children or []:
            if child.type == "softbreak":
                line += 1
                # every line its own block; the title line always stands alone
                if self.split_lines or (first_block and len(groups) == 1):
                    groups.append((line, []))
                    continue
            groups[-1][1].append(child)
        last = (end - 1 if setext else end) - start  # content lines of this paragraph
        for k, (first, children) in enumerate(groups):
            upto = groups[k + 1][0] if k + 1 < len(groups) else last
            text, spans = structure.build(self._pieces(children))
            self.blocks.append(_Block(start + first, self._prefix(start + first, content[min(first, len(content) - 1)]),
                                      tuple(range(start + first + 1, start + upto)), None, text, spans))

    def _prefix(self, line: int, content: str) -> str:
        source = self.lines[line]
        at = source.find(content.strip()[:40]) if content.strip() else -1
        return source[:at] if at >= 0 else source[:len(source) - len(source.lstrip())]

    def _pieces(self, children) -> list[structure.Piece]:
        pieces: list[structure.Piece] = []
        stack: list[int] = []
        skip_until_close = False
        for child in children:
            kind = child.type
            if skip_until_close:
                skip_until_close = kind != "link_close"
                continue
            if kind == "link_open" and child.markup == "autolink":
                pieces.append(("<" + child.attrs.get("href", "") + ">", tuple(stack),
                               self._mark(child, "autolink")))
                skip_until_close = True
            elif kind in _WRAPS:
                what = f"link {child.attrs.get('href', '')}" if kind == "link_open" else _WRAPS[kind]
                stack.append(self._mark(child, what))
            elif kind in _CLOSES:
                if stack:
                    stack.pop()
            elif kind == "text":
                pieces.append((child.content, tuple(stack), None))
            elif kind == "softbreak":
                pieces.append((" ", tuple(stack), None))
            elif kind == "code_inline":
                pieces.append((child.content, tuple(stack), self._mark(child, "inline code")))
            elif kind == "hardbreak":
                pieces.append((" ", tuple(stack), self._mark(child, "line break")))
            elif kind in ("image", "html_inline"):
                pieces.append(("", tuple(stack), self._mark(child, "image" if kind == "image" else "inline HTML")))
        return pieces

    # -- writing ---------------------------------------------------------------

    def render(self, text: str, spans, block: _Block) -> str:
        """Translated text and spans -> Markdown for one block."""
        out: list[str] = []
        open_marks: list[int] = []
        placed: set[int] = set()
        for value, marks, mask in pieces(text, spans):
            depth = 0
            while depth < len(open_marks) and depth < len(marks) and open_marks[depth] == marks[depth]:
                depth += 1
            for mark in reversed(open_marks[depth:]):
                _close(out, self.elements[mark])
            del open_marks[depth:]
            if mask is None and not value.strip() and len(marks) > depth:
                out.append(value)  # spaces go outside a new mark
                continue
            lead = value[:len(value) - len(value.lstrip())] if mask is None and len(marks) > depth else ""
            if lead:
                out.append(lead)
            for mark in marks[depth:]:
                out.append(_opener(self.elements[mark]))
                open_marks.append(mark)
            if mask is not None:
                if mask not in placed:
                    placed.add(mask)
                    out.append(self._masked(self.elements[mask], block))
            else:
                escaped = _escape(value[len(lead):])
                out.append(escaped.replace("|", "\\|") if block.cell is not None else escaped)
        for mark in reversed(open_marks):
            _close(out, self.elements[mark])
        rendered = "".join(out)
        if not block.prefix.strip() and block.cell is None and _BLOCK_START.match(rendered):
            rendered = "\\" + rendered  # would start a heading or list of its own
        return rendered

    def _masked(self, token, block: _Block) -> str:
        kind = token.type
        if kind == "code_inline":
            fence = token.markup or "`"
            pad = " " if token.content.startswith(("`", " ")) or token.content.endswith(("`", " ")) else ""
            return f"{fence}{pad}{token.content}{pad}{fence}"
        if kind == "image":
            title = token.attrs.get("title")
            return f"![{token.content}]({token.attrs.get('src', '')}" + (f' "{title}"' if title else "") + ")"
        if kind == "hardbreak":
            return "\\" + self.newline + re.sub(r"[^>\s]", " ", block.prefix)
        if kind == "link_open":
            return "<" + token.attrs.get("href", "") + ">"
        return token.content


def _refuse_too_deep(tokens: list[Token], name: str) -> None:
    """markdown-it stops at MAX_NESTING levels and drops whatever lies deeper without a
    word: a document that reaches the limit is refused, never read shorter."""
    deepest = max((t for t in tokens if t.nesting == 1), key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = deepest.map[0] + 1 if deepest.map else None
        raise InputError(f"block quotes and lists nested deeper than {MAX_NESTING} levels (a list counts two), "
                         "the most mt reads",
                         file=name, line=line, hint="flatten the nesting (fewer levels of > or indented lists)")


def _opener(token) -> str:
    return "[" if token.type == "link_open" else token.markup


def _close(out: list[str], token) -> None:
    """Close a mark; spaces before the closer move after it (CommonMark needs that)."""
    trailing = ""
    while out and out[-1] and not out[-1].strip():
        trailing = out.pop() + trailing
    if out and out[-1] != out[-1].rstrip():
        value = out.pop()
        trailing = value[len(value.rstrip()):] + trailing
        out.append(value.rstrip())
    if token.type == "link_open":
        title = token.attrs.get("title")
        out.append(f"]({token.attrs.get('href', '')}" + (f' "{title}"' if title else "") + ")")
    else:
        out.append(token.markup)
    if trailing:
        out.append(trailing)


def _escape(text: str) -> str:
    return _ESCAPE_TEXT.sub(lambda m: "\\" + m.group(0), text)


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def _table_row(line: str, cells: dict[int, str]) -> str:
    """A table row with the translated cells put in; empty cells as they were."""
    indent = line[:len(line) - len(line.lstrip())]
    body = line.strip()
    lead, trail = body.startswith("|"), body.endswith("|") and not body.endswith("\\|")
    inner = body[1 if lead else 0:len(body) - 1 if trail else len(body)]
    parts = re.split(r"(?<!\\)\|", inner)
    new = [f" {cells[i]} " if i in cells else part for i, part in enumerate(parts)]
    return indent + ("|" if lead else "") + "|".join(new) + ("|" if trail else "")
