"""The ``cxtoolkit`` command. Each concern registers its sub-commands from its own module.

Errors a user can act on (:class:`cxtoolkit.errors.InputError`) are printed as one line
on stderr with exit status 2, never as a traceback.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from cxtoolkit._speedups import skip_slow_optional_imports
from cxtoolkit.config import ENV_HOME
from cxtoolkit.errors import InputError

skip_slow_optional_imports()   # the command's process: before anything imports nbformat

app = typer.Typer(
    name="cxtoolkit",
    help="CX consultant's toolkit: KPIs, journey friction, verbatims, quality, ROI, audits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Sub-command modules; each defines ``register(app)``. A module that does not exist yet
# is skipped so the command keeps working while the toolkit grows.
COMMAND_MODULES = (
    "cxtoolkit.cli.data_cmd",      # validate
    "cxtoolkit.cli.kpis_cmd",      # kpis
    "cxtoolkit.cli.demo_cmd",      # demo
    "cxtoolkit.cli.init_cmd",      # init
    "cxtoolkit.cli.roi_cmd",       # roi
    "cxtoolkit.cli.app_cmd",       # app
    "cxtoolkit.cli.journey_cmd",   # friction, verbatims
    "cxtoolkit.cli.quality_cmd",   # quality, sample, barometer
    "cxtoolkit.cli.audit_cmd",     # audit, batch
    "cxtoolkit.cli.staffing_cmd",  # staffing
    "cxtoolkit.cli.inspect_cmd",   # inspect
)


def _version(value: bool) -> None:
    if value:
        from cxtoolkit import __version__
        typer.echo(f"cxtoolkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    workdir: Optional[Path] = typer.Option(
        None, "--workdir", envvar=ENV_HOME, show_envvar=True,
        help="Working folder holding client_data/, reports/ and cxtoolkit.yml (default: the current folder)"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit"),
) -> None:
    """CX consultant's toolkit."""
    if workdir is not None:
        if not workdir.is_dir():
            raise InputError(f"--workdir {workdir}: no such folder")
        os.environ[ENV_HOME] = str(workdir.resolve())


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    _mod.register(app)


def main() -> None:
    try:
        app()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
