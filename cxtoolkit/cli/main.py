"""The ``cxtoolkit`` command. Each concern registers its sub-commands from its own module.

Sub-commands are imported lazily
--------------------------------
:data:`COMMANDS` maps each sub-command name to the module that defines it. A process imports
only the module of the command it runs (``cxtoolkit kpis`` never imports scipy, plotly or
nbformat); ``cxtoolkit --help`` imports none of them and lists every command with the first
paragraph of its help, from the message catalogue (:mod:`cxtoolkit.cli.helptext`).

To add a command: write ``cxtoolkit/cli/<concern>_cmd.py`` with a ``register(app)`` function
that declares it with ``@app.command("name")``, write its help texts in the catalogue
(``cli.help.name``, ``cli.help.name.<option>``: French and English, no ``help=`` in the code),
then add **one line** to :data:`COMMANDS`::

    "inspect": "cxtoolkit.cli.inspect_cmd",

A module that registers several commands gets one line per command. A module that does not
exist yet is left out of the list, so the command keeps working while the toolkit grows.
``tests/test_cli_startup.py`` checks that the table and the modules agree.

Errors a user can act on (:class:`cxtoolkit.errors.InputError`) are printed as one line
on stderr with exit status 2, never as a traceback; the command line's own errors (a missing
argument, an unknown option) too, in the command's language (:mod:`cxtoolkit.cli.usage`).
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Optional

from cxtoolkit.cli.early import one_blas_thread, start_reads

if __name__ == "__main__" or os.path.basename(sys.argv[0] if sys.argv else "") == "cxtoolkit":
    # the command's own process (``python -m cxtoolkit.cli.main``, the console script), before
    # NumPy is imported: OpenBLAS with one thread for a command without linear algebra, and its
    # data files start being read before typer and the rest of this module are imported (cli.early)
    one_blas_thread(sys.argv[1:])
    start_reads(sys.argv[1:])

import click
import typer
from typer.core import TyperGroup

from cxtoolkit._speedups import (end_process, imports_without_gc, own_process, quick_exit_after_command,
                                 skip_slow_optional_imports)
from cxtoolkit.cli import helptext, usage
from cxtoolkit.cli.metavars import named_values
from cxtoolkit.envvars import ENV_HOME
from cxtoolkit.errors import InputError, error_line
from cxtoolkit.messages import forget_client_locale

skip_slow_optional_imports()   # the command's process: before anything imports nbformat

#: sub-command name -> module defining it with ``register(app)`` (listed in this order)
COMMANDS = {
    "validate": "cxtoolkit.cli.data_cmd",
    "kpis": "cxtoolkit.cli.kpis_cmd",
    "demo": "cxtoolkit.cli.demo_cmd",
    "init": "cxtoolkit.cli.init_cmd",
    "roi": "cxtoolkit.cli.roi_cmd",
    "app": "cxtoolkit.cli.app_cmd",
    "friction": "cxtoolkit.cli.journey_cmd",
    "verbatims": "cxtoolkit.cli.journey_cmd",
    "countries": "cxtoolkit.cli.journey_cmd",
    "quality": "cxtoolkit.cli.quality_cmd",
    "sample": "cxtoolkit.cli.quality_cmd",
    "barometer": "cxtoolkit.cli.quality_cmd",
    "audit": "cxtoolkit.cli.audit_cmd",
    "batch": "cxtoolkit.cli.audit_cmd",
    "staffing": "cxtoolkit.cli.staffing_cmd",
    "inspect": "cxtoolkit.cli.inspect_cmd",
}


@functools.cache
def _module_file(module: str) -> str | None:
    spec = importlib.util.find_spec(module)
    return spec.origin if spec is not None else None


class _Listed(click.Command):
    """Stand-in for a command not imported yet: its name, for ``--help`` (its one-line help
    is set when the help is rendered: :func:`cxtoolkit.cli.helptext.localize`)."""

    def __init__(self, name: str, module: str):
        super().__init__(name)
        self.module = module

    def invoke(self, ctx):      # never reached: resolve_command loads the real one first
        raise RuntimeError(f"command {self.name!r} was not loaded from {self.module}")


def untyped_flags(params: list[click.Parameter], command: str = "") -> list[click.Parameter]:
    """What to type after each option in ``--help`` (``--from DATE``, ``--locale fr|en``), none
    after a flag (typer writes ``--json <bool>``, ``--from <str>``): the one table of
    :mod:`cxtoolkit.cli.metavars`. Sets the metavars of ``params`` (a command's, ``--help``
    included) and returns them.
    """
    return named_values(params, command)


class LazyGroup(TyperGroup):
    """A Typer group whose commands are imported from :data:`COMMANDS` when run, their help
    in the command line's language (:mod:`cxtoolkit.cli.helptext`)."""

    context_class = helptext.HelpContext

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, module in COMMANDS.items():
            if _module_file(module) is not None:
                self.commands.setdefault(name, _Listed(name, module))

    def load(self, name: str) -> click.Command | None:
        """The real command ``name`` (importing its module), or None if unknown."""
        cmd = self.commands.get(name)
        if isinstance(cmd, _Listed):
            sub = typer.Typer(rich_markup_mode=self.rich_markup_mode)
            with imports_without_gc():   # the command's module, and pydantic through typer
                importlib.import_module(cmd.module).register(sub)
                loaded = typer.main.get_group(sub).commands
            for n, c in loaded.items():
                if isinstance(self.commands.get(n), _Listed) or n not in self.commands:
                    c.context_class = helptext.HelpContext
                    self.commands[n] = c
            if isinstance(self.commands.get(name), _Listed):
                raise RuntimeError(f"{cmd.module}.register() did not declare command {name!r}")
        return self.commands.get(name)

    def parse_args(self, ctx, args):
        forget_client_locale()   # a command starts without a client (several commands in one process: tests)
        helptext.remember_locale(ctx, args)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args):
        if args:
            self.load(args[0])
        name, cmd, rest = super().resolve_command(ctx, args)
        if cmd is not None:
            untyped_flags(cmd.get_params(ctx), name)
        return name, cmd, rest

    def get_params(self, ctx):
        return untyped_flags(super().get_params(ctx))   # the group's own --version and --help


app = typer.Typer(
    name="cxtoolkit",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        from cxtoolkit import __version__
        typer.echo(f"cxtoolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    workdir: Optional[Path] = typer.Option(
        None, "--workdir", envvar=ENV_HOME, show_envvar=True),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    # the toolkit's options (its help: cli.help.cxtoolkit in the catalogue)
    if workdir is not None:
        if not workdir.is_dir():
            raise InputError("error.cli.such_folder", workdir=workdir)
        os.environ[ENV_HOME] = str(workdir.resolve())


def main() -> None:
    quick_exit_after_command(False)   # only the command run here may ask for it
    own_process()                     # (objects alive after the imports are frozen: _speedups)
    args = sys.argv[1:]
    start_reads(args)                 # the command's data files, read while it imports (cli.early)
    try:
        try:
            # not typer's standalone mode: a usage error is said here, in the command's language
            rv = app(args=args, standalone_mode=False)
        except InputError as exc:
            print(error_line(exc, usage.locale_option(args)), file=sys.stderr)
            sys.exit(2)
        except typer.Abort:
            from typer import rich_utils

            rich_utils.rich_abort_error()
            sys.exit(1)
        except Exception as exc:
            if not usage.is_usage_error(exc):
                raise
            sys.exit(usage.show(exc, usage.argv_locale(args)))
        sys.exit(rv if isinstance(rv, int) else 0)   # typer.Exit(n) returns n here
    except SystemExit as done:
        end_process(done.code)   # returns unless the command asked for a quick exit
        raise


if __name__ == "__main__":
    main()
