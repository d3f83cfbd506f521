"""Presets: known exports recognised from their header, mapped with no ``columns:`` at all.

Each preset is one YAML file in ``cxtoolkit/io/presets/`` (adding an export is adding a
file, not code)::

    name: anonymous_bank                 # the file's stem; client.yml may name it (preset: ...)
    title: "Anonymous Bank" call-centre log
    table: contacts                      # the canonical table it feeds
    source: https://...                  # where its columns are documented
    detect: [vru+line, call_id, q_time]  # headers that must all be present (case-insensitive)
    header_rows: 1                       # rows of header (Qualtrics: 3, SurveyMonkey: 2)
    columns: {...}                       # as in client.yml (cxtoolkit.io.mapping)
    constants: {...}
    values: {...}
    reject_rows:                         # rows the export itself marks unusable
      - {column: outcome, values: [PHANTOM], reason: io.preset.anonymous_bank.phantom}
    notes: [io.preset.<name>.<note>]     # said as warnings when the preset is used
    service_level_s: 20                  # the threshold of a service level the export computes itself

A preset's reasons and notes are keys of the message catalogue (``io.preset.<name>.*`` in
``resources/messages/catalogue.yml``, French and English): the rejects and warnings are said
in the client's language (:func:`cxtoolkit.io.mapping.said`).

Examples
--------
>>> detect(["vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
...         "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
...         "ser_exit", "ser_time", "server"], "contacts")["name"]
'anonymous_bank'
>>> detect(["contact_id", "channel"], "contacts") is None
True
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from cxtoolkit.errors import InputError

PRESET_DIR = Path(__file__).with_name("presets")
PRESET_KEYS = {"name", "title", "table", "source", "detect", "header_rows", "columns", "constants",
               "values", "reject_rows", "notes", "assumed", "service_level_s"}


def _key(header: object) -> str:
    return " ".join(str(header).strip().lstrip("\ufeff").split()).casefold()


@lru_cache(maxsize=1)
def _load_all() -> tuple[dict[str, Any], ...]:
    from cxtoolkit.resources import read_yaml

    out = []
    for p in sorted(PRESET_DIR.glob("*.yml")):
        d = read_yaml(p) or {}
        unknown = set(d) - PRESET_KEYS
        if unknown or not d.get("table") or not d.get("detect"):
            raise ValueError(f"preset {p.name}: needs table and detect; unknown keys {sorted(unknown)}")
        d.setdefault("name", p.stem)
        out.append(d)
    return tuple(out)


def presets(table: str | None = None) -> list[dict[str, Any]]:
    """Every preset (of ``table``), as read from its YAML file.

    >>> "anonymous_bank" in [p["name"] for p in presets("contacts")]
    True
    """
    return [p for p in _load_all() if table is None or p["table"] == table]


def get(name: str, table: str | None = None) -> dict[str, Any]:
    """The preset called ``name`` (for ``table``); InputError listing the known ones."""
    for p in presets(table):
        if p["name"] == name:
            return p
    from cxtoolkit.findings import Msg   # only to say the error (findings imports the number rules)

    known = ", ".join(p["name"] for p in presets(table))
    raise InputError("error.io.unknown_preset", name=repr(name),
                     value=Msg("error.io.for_table", {"table": table}) if table else "", known=known)


def title(preset: dict[str, Any]):
    """The title of ``preset`` as a value of a message, said in the line's language
    (catalogue ``presets.title.<name>``; its YAML ``title`` for a preset the catalogue does
    not name).

    >>> title(get("talkdesk_calls")).render("fr"), title({"name": "x", "title": "X export"})
    ("rapport d'appels Talkdesk", 'X export')
    """
    from cxtoolkit.findings import Msg   # only to say a line (findings imports the number rules)
    from cxtoolkit.messages import has

    key = f"presets.title.{preset['name']}"
    return Msg(key) if has(key) else preset["title"]


def detect(headers: list[object], table: str) -> dict[str, Any] | None:
    """The preset of ``table`` whose ``detect`` headers are all among ``headers``, or None.

    When several fit, the one naming the most headers wins."""
    have = {_key(h) for h in headers}
    fits = [p for p in presets(table) if {_key(h) for h in p["detect"]} <= have]
    return max(fits, key=lambda p: len(p["detect"])) if fits else None


def header_names(table: str) -> set[str]:
    """Every header the presets of ``table`` detect or map (helps find the header line)."""
    out: set[str] = set()
    for p in presets(table):
        out.update(str(h) for h in p["detect"])
    return out
