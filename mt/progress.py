"""Progress bars: one tqdm implementation of mt.types.Progress, on standard error and
only on a terminal (a log file or CI output gets none)."""

from __future__ import annotations

import sys

from mt.types import Progress, ProgressFactory


class Bar:
    """A tqdm bar counting sentences x languages."""

    def __init__(self, total: int, desc: str) -> None:
        from tqdm import tqdm  # imported only where a bar is shown (25 ms of every start)

        self._bar = tqdm(total=total, desc=desc, unit="sent", file=sys.stderr, leave=False)

    def update(self, n: int = 1) -> None:
        self._bar.update(n)

    def set_description(self, desc: str) -> None:
        self._bar.set_description(desc)

    def close(self) -> None:
        self._bar.close()


class Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def enabled() -> bool:
    """Bars only when standard error is a terminal."""
    return sys.stderr.isatty()


def bar(total: int, desc: str) -> Progress:
    """A Bar on a terminal, else a Silent one: the ProgressFactory callers pass along."""
    return Bar(total, desc) if enabled() else Silent()


def silent(total: int, desc: str) -> Progress:
    return Silent()


def factory(show: bool) -> ProgressFactory:
    return bar if show else silent
