"""The `mt` command line: thin click commands over the library. The only place that
prints for the user or exits. Subcommands are imported lazily so `mt --help` and a
translation-memory hit start fast.

Every failure is one line on stderr and a non-zero exit: `mt: error: ...` for a problem
the user can fix (an MtError, a usage error, a failing write to stdout), `mt: internal
error: ...` (exit 70) for a bug. `MT_DEBUG=1` or `mt --debug ...` adds the traceback.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import traceback

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
    "review": "mt.cli.review:review",
}


class UserError(click.ClickException):
    """An MtError shown as one line: `mt: error: file:line: what (what to do)`."""

    def __init__(self, exc: MtError) -> None:
        super().__init__(str(exc))
        self.exit_code = exc.exit_code  # type: ignore[misc]  # click declares it on the class; per error here

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
            if debug_enabled():
                raise  # main() prints it with its traceback
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


EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in mt, not a problem with the input


_debug_flag: list[bool] = [False]  # `mt --debug` of the current run (main() resets it)


def debug_enabled() -> bool:
    """MT_DEBUG=1 (or `mt --debug`): print tracebacks for a bug report."""
    return _debug_flag[0] or os.environ.get("MT_DEBUG", "").strip().lower() not in ("", "0", "no", "false")


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mt")
@click.option("--debug", is_flag=True, help="Show the traceback of an error (same as MT_DEBUG=1).")
def cli(debug: bool) -> None:
    """Translate Kazakh press releases into German, English and Russian."""
    _debug_flag[0] = debug


def _traceback() -> None:
    if debug_enabled():
        traceback.print_exc(file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: every error is one line on stderr and a non-zero exit,
    click's own usage errors included."""
    _debug_flag[0] = False
    try:
        rv = cli.main(args=argv, prog_name="mt", standalone_mode=False)
    except MtError as exc:  # raised outside a command (e.g. while importing one), or with MT_DEBUG
        _traceback()
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
    except OSError as exc:
        _traceback()
        _os_error(exc)
    except Exception as exc:  # a bug: one line, the traceback only on request
        _traceback()
        hint = "" if debug_enabled() else "; run again with MT_DEBUG=1 for the traceback and report it"
        click.echo(f"mt: internal error: {type(exc).__name__}: {exc}{hint}", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(rv if isinstance(rv, int) else 0)


def _os_error(exc: OSError) -> None:
    """An OSError no command turned into an MtError: most often stdout or stderr going
    away (a closed pipe, a full disk behind `> file`)."""
    if exc.errno == errno.EPIPE:
        _silence_stdout()
        sys.exit(1)
    where = exc.filename or "standard output"
    _silence_stdout()  # what is still buffered for stdout cannot be written either
    click.echo(f"mt: error: {where}: {exc.strerror or exc} (check the disk space and the output path)",
               err=True)
    sys.exit(EXIT_INTERNAL if exc.errno is None else 1)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again
    (which would print 'Exception ignored ... BrokenPipeError')."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
