"""Exit codes and error lines of the `advocate` command, the same in a terminal, a pipe and CliRunner.

Why a group class rather than a try/except in `main()`: typer's CliRunner (and any embedding of the
app) calls the group's `main`, so the mapping lives there and tests see what users see. Typer's own
handler prints a Rich box with a "Try --help" preamble and exception class names; the contract wants
one plain line on stderr and exit 2 for anything the caller got wrong:

* usage errors (a missing argument, an unknown option or command, a bad option value) -> 2
* AdvocateError (bad input found by the program: a broken workspace, an unknown account) -> 2
* anything else -> 1, one line, the traceback only with `--debug` (anywhere on the command line)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from accounts.errors import AdvocateError

DEBUG_FLAG = "--debug"
PROG = "advocate"


def _usage_error_types() -> tuple[type[BaseException], ...]:
    """Typer >= 0.20 vendors click (its errors are TyperException); older typer raises click's own."""
    types: list[type[BaseException]] = [typer.TyperException]
    try:
        import click

        types.append(click.ClickException)
    except ImportError:  # typer without click: only its own exceptions exist
        pass
    return tuple(types)


def one_line(text: str) -> str:
    """Collapse a message to a single line (stderr is read by scripts line by line)."""
    return " ".join(str(text).split())


def _usage_line(err: BaseException) -> str:
    """`error: <what>` plus where to look, e.g. "(see `advocate ask --help`)"; no exception class names."""
    message = err.format_message() if hasattr(err, "format_message") else str(err)
    ctx = getattr(err, "ctx", None)
    path = str(getattr(ctx, "command_path", "") or "")
    where = f" (see `{path} --help`)" if path else ""
    return f"error: {one_line(message)}{where}"


def _fail(line: str, code: int) -> int:
    typer.echo(line, err=True)
    return code


class AdvocateGroup(TyperGroup):
    """The `advocate` group: runs a command and turns every failure into an exit code and one line."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = DEBUG_FLAG in argv
        argv = [a for a in argv if a != DEBUG_FLAG]
        code = self._run(argv, prog_name or PROG, complete_var, debug, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], prog_name: str, complete_var: str | None, debug: bool, **extra: Any) -> int:
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except AdvocateError as err:
            return _fail(f"error: {one_line(str(err))}", 2)
        except _usage_error_types() as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # bare `advocate`: the help is the message
                text = err.format_message() if hasattr(err, "format_message") else ""
                if text.strip():  # rich help was already printed while the error was built
                    typer.echo(text, err=True)
                return 2
            return _fail(_usage_line(err), 2)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            return _fail("aborted", 1)
        except Exception as err:  # the edge: one line, not a traceback, unless asked
            if debug:
                raise
            return _fail(f"error: {type(err).__name__}: {one_line(str(err))} (run with --debug for details)", 1)
        return result if isinstance(result, int) else 0


def version_callback(value: bool) -> None:
    """`advocate --version`: the installed distribution's version (pyproject.toml's, in a checkout)."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version(PROG)
    except PackageNotFoundError:
        installed = "unknown (not installed)"
    typer.echo(f"{PROG} {installed}")
    raise typer.Exit(0)
