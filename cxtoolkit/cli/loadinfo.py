"""What every command says about the loading of the client's files.

``--json`` outputs carry ``"meta": {"tables": {name: {file, read, accepted, rejected,
ignored_columns, ...}}, "warnings": [...]}`` (:meth:`cxtoolkit.io.ClientData.meta`); stderr says
how many rows were rejected and the warnings, whatever the output mode.
"""
from __future__ import annotations

import sys

from cxtoolkit.errors import error_line
from cxtoolkit.messages import text


def fail(exc, locale: str | None = None):
    """Print the one-line error of ``exc`` in the command's language
    (:func:`cxtoolkit.errors.error_line`, ``locale`` its ``--locale``) and exit with status 2."""
    import typer

    print(error_line(exc, locale), file=sys.stderr)
    raise typer.Exit(2)


def with_meta(payload: dict, data) -> dict:
    """``payload`` with the loading's meta merged into its ``"meta"`` entry."""
    meta = dict(payload.get("meta") or {})
    meta.update(data.meta())
    return {**payload, "meta": meta}


def say_loading(data, stream=None) -> None:
    """One stderr line per table with rejected rows, then the warnings (nothing when clean), in
    the language of the loading (``data.locale``)."""
    from cxtoolkit.rules import format_value

    stream = stream or sys.stderr
    loc = getattr(data, "locale", "en")
    for table, c in data.counts.items():
        if c.get("rejected"):
            print(text("cli.data.rejected_line", loc, table=table, n=format_value(c["rejected"], "count", loc),
                       read=format_value(c["read"], "count", loc), file=c["file"]), file=stream)
    for w in data.warnings:
        print(text("cli.data.warning", loc, text=w), file=stream)
