"""A project's QA configuration, Xbench-checklist style: `[tool.mt.qa]` in pyproject.toml
or `[qa]` in mt.toml (the nearest of either, from the working folder up).

    [tool.mt.qa]
    disable = ["nbsp", "length"]           # checks turned off
    severity = { spacing = "info" }         # severities changed
    [[tool.mt.qa.regex]]                    # checks of your own
    id = "ru-yo"
    title = "ё written as е in a name"
    severity = "warning"                    # default: warning
    langs = ["ru"]                          # default: every target
    target = "Пугачев"                      # a match in the translation is a finding
    # source = "..."                        # only sentences whose source matches
    # expect = "..."                        # with source: the translation must match this
    message = "write Пугачёв"               # default: the title
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.errors import InputError
from mt.qa.base import SEVERITIES, Check, Context

ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
HINT = "see `mt qa --help` for the [tool.mt.qa] keys"


@dataclass(frozen=True)
class RegexRule:
    id: str
    title: str
    severity: str = "warning"
    langs: tuple[str, ...] = ()
    target: re.Pattern[str] | None = None
    source: re.Pattern[str] | None = None
    expect: re.Pattern[str] | None = None
    message: str = ""

    def findings(self, ctx: Context) -> Iterator[str]:
        if self.langs and ctx.tgt_lang not in self.langs:
            return
        if self.source is not None and not self.source.search(ctx.source):
            return
        if self.target is not None:
            found = self.target.search(ctx.target)
            if found:
                yield f"{self.message or self.title}: '{found.group()}'"
        if self.expect is not None and not self.expect.search(ctx.target):
            yield f"{self.message or self.title}: no match for /{self.expect.pattern}/"


@dataclass(frozen=True)
class QaConfig:
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[RegexRule, ...] = ()
    path: str = ""

    def regex_checks(self) -> list[Check]:
        return [Check(rule.id, rule.severity, rule.title, rule.findings) for rule in self.rules]

    def validate(self, available: Mapping[str, Check]) -> None:
        for name in (*self.disable, *self.severity):
            if name not in available:
                raise InputError(f"unknown QA check '{name}' in the QA configuration", file=self.path,
                                 hint=f"choose from {', '.join(available)}")


def _pattern(value: Any, key: str, path: str) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"regex check key '{key}' must be a string", file=path, hint=HINT)
    try:
        return re.compile(value)
    except re.error as exc:
        raise InputError(f"regex check key '{key}': {exc}", file=path, hint="fix the regular expression") from None


def _rule(raw: Any, path: str, builtin: Mapping[str, Check]) -> RegexRule:
    if not isinstance(raw, dict):
        raise InputError("each [[regex]] check must be a table", file=path, hint=HINT)
    unknown = set(raw) - {"id", "title", "severity", "langs", "target", "source", "expect", "message"}
    if unknown:
        raise InputError(f"unknown key '{sorted(unknown)[0]}' in a regex check", file=path, hint=HINT)
    rule_id, title = raw.get("id"), raw.get("title")
    if not isinstance(rule_id, str) or not ID_RE.match(rule_id):
        raise InputError(f"regex check id {rule_id!r} must be lower-case letters, digits and -", file=path, hint=HINT)
    if rule_id in builtin:
        raise InputError(f"regex check id '{rule_id}' is a built-in check", file=path, hint="choose another id")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"regex check '{rule_id}' needs a title", file=path, hint=HINT)
    severity = raw.get("severity", "warning")
    if severity not in SEVERITIES:
        raise InputError(f"regex check '{rule_id}': severity must be one of {', '.join(SEVERITIES)}", file=path, hint=HINT)
    langs = raw.get("langs", [])
    if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
        raise InputError(f"regex check '{rule_id}': langs must be a list of language codes", file=path, hint=HINT)
    rule = RegexRule(rule_id, title.strip(), severity, tuple(langs), _pattern(raw.get("target"), "target", path),
                     _pattern(raw.get("source"), "source", path), _pattern(raw.get("expect"), "expect", path),
                     str(raw.get("message", "")))
    if rule.target is None and rule.expect is None:
        raise InputError(f"regex check '{rule_id}' needs 'target' or 'expect'", file=path, hint=HINT)
    return rule


def parse(table: Any, path: str, builtin: Mapping[str, Check]) -> QaConfig:
    """The QA configuration from its TOML table ([tool.mt.qa] or [qa])."""
    if not isinstance(table, dict):
        raise InputError("the QA configuration must be a table", file=path, hint=HINT)
    unknown = set(table) - {"disable", "severity", "regex"}
    if unknown:
        raise InputError(f"unknown QA configuration key '{sorted(unknown)[0]}'", file=path, hint=HINT)
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise InputError("'disable' must be a list of check ids", file=path, hint=HINT)
    severity = table.get("severity", {})
    if not isinstance(severity, dict) or any(v not in SEVERITIES for v in severity.values()):
        raise InputError(f"'severity' maps check ids to one of {', '.join(SEVERITIES)}", file=path, hint=HINT)
    regex = table.get("regex", [])
    if not isinstance(regex, list):
        raise InputError("'regex' must be an array of tables ([[tool.mt.qa.regex]])", file=path, hint=HINT)
    rules = tuple(_rule(raw, path, builtin) for raw in regex)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise InputError("two regex checks share an id", file=path, hint="give each its own id")
    config = QaConfig(frozenset(disable), dict(severity), rules, path)
    available = {**builtin, **{c.id: c for c in config.regex_checks()}}
    config.validate(available)
    return config


def load(path: Path, builtin: Mapping[str, Check]) -> QaConfig:
    """The configuration in `path`: mt.toml's [qa] or pyproject.toml's [tool.mt.qa]
    (an empty one when the file has no such table)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the QA configuration: {exc.strerror}", file=str(path), hint="check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", file=str(path), hint="fix the file") from None
    table = data.get("qa") if path.name != "pyproject.toml" else data.get("tool", {}).get("mt", {}).get("qa")
    return QaConfig(path=str(path)) if table is None else parse(table, str(path), builtin)


def discover(start: Path, builtin: Mapping[str, Check]) -> QaConfig | None:
    """The nearest mt.toml or pyproject.toml with a QA table, from `start` up."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in ("mt.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                config = load(candidate, builtin)
                if config.disable or config.severity or config.rules or name == "mt.toml":
                    return config
    return None
