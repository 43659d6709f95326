"""One error family. Each carries where (file, line) and what to do; the CLI prints
it as one line and exits non-zero."""

from __future__ import annotations


class MtError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


class InputError(MtError):
    """An input file that cannot be read or parsed."""


class OutputError(MtError):
    """An output that cannot be written."""


class ModelError(MtError):
    """A model that is missing, cannot be loaded or cannot do what was asked."""


class LanguageError(MtError):
    """A language code that we or the model do not know."""


class GlossaryError(MtError):
    """A glossary file with a fault."""
