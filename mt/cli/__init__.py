"""The `mt` command line: thin click commands over the library. The only place that
prints for the user or exits. Subcommands are imported lazily so `mt --help` and a
translation-memory hit start fast."""

from __future__ import annotations

import importlib
import sys

import click

from mt import __version__
from mt.errors import MtError

# command name -> "module:attribute"; each module is owned by one pipeline area.
COMMANDS: dict[str, str] = {
    "translate": "mt.cli.translate:translate",
    "segment": "mt.cli.segment:segment",
    "glossary": "mt.cli.glossary:glossary",
    "score": "mt.cli.quality:score",
    "qa": "mt.cli.quality:qa",
    "eval": "mt.cli.eval:eval_group",
    "models": "mt.cli.models:models",
    "tm": "mt.cli.tm:tm",
}


class UserError(click.ClickException):
    """An MtError shown as one line: `mt: error: file:line: what (what to do)`."""

    def __init__(self, exc: MtError) -> None:
        super().__init__(str(exc))
        self.exit_code = exc.exit_code

    def show(self, file=None) -> None:
        click.echo(f"mt: error: {self.message}", err=True)


class LazyGroup(click.Group):
    def __init__(self, *args, lazy: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MtError as exc:
            raise UserError(exc) from None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module_name, attr = self.lazy[name].split(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                return None
            return getattr(module, attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mt")
def cli() -> None:
    """Translate Kazakh press releases into German, English and Russian."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: every error is one line on stderr and a non-zero exit,
    click's own usage errors included."""
    try:
        rv = cli.main(args=argv, prog_name="mt", standalone_mode=False)
    except MtError as exc:  # raised outside a command (e.g. while importing one)
        click.echo(f"mt: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except UserError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "mt"
        click.echo(f"mt: error: {exc.format_message()} (see '{command} --help')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"mt: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("mt: aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("mt: interrupted", err=True)
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
