"""What ``--help`` shows after an option that takes a value: one table for every command.

Typer writes the value's Python type (``--from <str>``, ``--seed <int>``); a consultant reads
what to type: ``--from DATE``, ``--locale fr|en``, ``--contacts FILE``. A flag takes no value
and shows none. An option missing from :data:`METAVARS` falls back to its type's word
(:data:`BY_TYPE`); the test of the help pages lists every option, so a new one is named here.

>>> import click
>>> metavar_of(click.Option(["--from", "--start"], type=str))
'DATE'
>>> metavar_of(click.Option(["--agents"], type=int)), metavar_of(click.Option(["--agents"], type=str))
('N', 'FILE')
>>> metavar_of(click.Option(["--json"], is_flag=True)), metavar_of(click.Option(["--out"]), "sample")
('', 'FILE')

"""
from __future__ import annotations

#: Option name -> the value to type; ``"--name:int"`` when the same name
#: takes a number elsewhere (``staffing --agents N`` vs ``validate --agents FILE``),
#: ``"command --name"`` when one command's option differs (``sample --out FILE``).
METAVARS: dict[str, str] = {
    # files and folders
    "--config": "CLIENT", "--client": "CLIENT", "--clients": "CLIENTS|all", "--client-data": "FOLDER",
    "--workdir": "FOLDER", "--out": "FOLDER", "--spill-dir": "FOLDER", "--notebook-dir": "FOLDER",
    "--contacts": "FILE", "--responses": "FILE", "--sends": "FILE", "--evaluations": "FILE",
    "--agents": "FILE", "--daily-reports": "FILE", "--rejects": "FILE", "--pptx": "FILE", "--html": "FILE",
    "--pack": "FILE", "--warehouse": "FILE", "sample --out": "FILE", "barometer --out": "FILE",
    # periods
    "--from": "DATE", "--to": "DATE", "--start": "DATE", "--period": "PERIOD", "--week": "WEEK",
    "--weekday": "mon..sun",
    # choices and names
    "--locale": "fr|en", "--engine": "pandas|duckdb", "--metric": "nps|csat", "--basis": "normalised|raw",
    "--by": "COLUMN", "--name": "NAME", "--vendor": "VENDOR", "--country": "CC", "--sheet": "SHEET",
    "--notebooks": "NAMES", "--scheduler": "ADDRESS", "--memory-limit": "SIZE",
    # numbers
    "--seed": "N", "--draws": "N", "--topics": "N", "--bootstrap": "N", "--target": "N", "--waves": "N",
    "--per-wave": "N", "--jobs": "N", "--workers": "N", "--agents:int": "N", "--port": "PORT",
    "--customers-surveyed": "N", "--arrivals-per-hour": "CALLS",
    "--timeout": "SECONDS", "--aht-s": "SECONDS", "--within-s": "SECONDS", "--max-asa-s": "SECONDS",
    "--patience-s": "SECONDS", "--interval-min": "MINUTES",
    "--response-rate": "SHARE", "--unhappy-share": "SHARE", "--retention-rate": "SHARE",
    "--service-level": "SHARE", "--max-wait-probability": "SHARE", "--max-occupancy": "SHARE",
    "--shrinkage": "SHARE",
    "--acquisition-cost": "AMOUNT", "--annual-margin": "AMOUNT", "--fixed-cost": "AMOUNT",
    "--cost-per-invite": "AMOUNT", "--cost-per-recovery": "AMOUNT",
}
#: An option not in :data:`METAVARS`: its type's word (never ``<str>``).
BY_TYPE = {"int": "INTEGER", "float": "NUMBER", "path": "PATH", "text": "TEXT"}


def _type_name(param) -> str:
    """``int``, ``float``, ``path`` or ``text``: a typer option's annotation (typer 0.29 vendors
    its own click: duck-typed), a click option's type."""
    bare = param.bare_type() if callable(getattr(param, "bare_type", None)) else \
        getattr(getattr(param, "type", None), "name", "")
    return {"int": "int", "integer": "int", "float": "float", "Path": "path", "path": "path"}.get(str(bare), "text")


def metavar_of(param, command: str = "") -> str:
    """The metavar ``--help`` shows for ``param`` of ``command`` ("" for a flag)."""
    if getattr(param, "is_flag", False):
        return ""
    kind = _type_name(param)
    for name in param.opts:
        for key in (f"{command} {name}", f"{name}:{kind}", name):
            if key in METAVARS:
                return METAVARS[key]
    return BY_TYPE[kind]


def named_values(params: list, command: str = "") -> list:
    """Sets the metavar of each option among ``params`` (of ``command``) that has none
    (:func:`metavar_of`) and returns them; an argument keeps its name (``CLIENT``)."""
    for param in params:
        if param.param_type_name == "option" and param.metavar is None:
            param.metavar = metavar_of(param, command)
    return params
