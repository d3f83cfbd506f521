"""What every command says about the loading of the client's files.

``--json`` outputs carry ``"meta": {"tables": {name: {file, read, accepted, rejected,
ignored_columns, ...}}, "warnings": [...]}`` (:meth:`cxtoolkit.io.ClientData.meta`); stderr says
how many rows were rejected and the warnings, whatever the output mode.
"""
from __future__ import annotations

import sys


def with_meta(payload: dict, data) -> dict:
    """``payload`` with the loading's meta merged into its ``"meta"`` entry."""
    meta = dict(payload.get("meta") or {})
    meta.update(data.meta())
    return {**payload, "meta": meta}


def say_loading(data, stream=None) -> None:
    """One stderr line per table with rejected rows, then the warnings (nothing when clean)."""
    stream = stream or sys.stderr
    for table, c in data.counts.items():
        if c.get("rejected"):
            print(f"{table}: {c['rejected']:,} of {c['read']:,} row(s) rejected in {c['file']} "
                  "(see `cxtoolkit validate` and rejects.csv)", file=stream)
    for w in data.warnings:
        print(f"warning: {w}", file=stream)
