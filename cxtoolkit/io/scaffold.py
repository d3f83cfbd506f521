"""Client folders created in the working folder: ``cxtoolkit init`` and the demo clients.

* :func:`init_client` writes ``client_data/<client>/client.yml`` from the packaged template
  (comments kept), copies the client's exports in, and fills ``data:`` with the mapping
  proposed for each file (:func:`cxtoolkit.io.inspect.propose_mapping`; a file it cannot
  map goes under the table its name suggests: ``{table: filename}``); a required column the
  export lacks that has a usual guess (:data:`GUESSED_CONSTANTS`: ``answered: true``) is
  filled with it and listed in ``assumed:`` — the KPIs resting on it are then not measured,
  never a made-up 100 % — with a comment in the client's language saying so;
* :func:`ensure_demo_client` copies a demo client's packaged ``client.yml`` into the
  working folder when it is not there yet (``cxtoolkit demo`` in an empty folder).

>>> guess_table("Export appels mars.csv"), guess_table("enquete_satisfaction.xlsx"), guess_table("x.bin")
('contacts', 'responses', None)
"""
from __future__ import annotations

import re
import shutil
import textwrap
import unicodedata
from pathlib import Path

import yaml

from cxtoolkit import resources
from cxtoolkit.config import TABLES, client_folder, load_config
from cxtoolkit.errors import InputError
from cxtoolkit.io.inspect import propose_mapping
from cxtoolkit.io.presets import get as preset_named
from cxtoolkit.kpis.registry import label, unmeasured
from cxtoolkit.messages import client_locale, locale_of, text

#: words of a file name that tell its table (lower case, accents removed), checked in order
TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "daily_reports": ("daily", "quotidien", "journalier", "report", "rapport"),
    "sends": ("send", "envoi", "invitation", "sollicitation"),
    "responses": ("survey", "enquete", "response", "reponse", "nps", "csat", "ces", "satisf", "verbatim",
                  "avis", "feedback"),
    "evaluations": ("evaluation", "eval", "qa", "quality", "qualite", "grille", "monitoring"),
    "agents": ("agent", "conseiller", "staff", "effectif", "roster"),
    "contacts": ("call", "appel", "contact", "log", "chat", "email", "mail", "ticket", "interaction"),
}


#: required columns an export often lacks, and the constant that fills them: a guess, never a
#: fact of the export, so always written with ``assumed:`` (a file without an answered flag is
#: usually of handled contacts only: tickets, handled calls). Explained in client.yml by the
#: message ``scaffold.assumed.<column>``.
GUESSED_CONSTANTS: dict[str, dict[str, object]] = {"contacts": {"answered": True}}


def guess_table(filename: str) -> str | None:
    """The canonical table a file name suggests (see :data:`TABLE_WORDS`), None if none."""
    stem = unicodedata.normalize("NFKD", Path(filename).stem.lower()).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", stem) if w]
    for table, keys in TABLE_WORDS.items():
        if any(w.startswith(k) for w in words for k in keys):
            return table
    return None


def propose_data(files: list[Path], locale: str = "en") -> tuple[dict, list[str]]:
    """The ``data:`` section for ``files`` (already in the client folder) and notes for the user
    (in ``locale``: ``scaffold.note`` keys of the message catalogue).

    Each file's mapping is the one :func:`cxtoolkit.io.inspect.propose_mapping` proposes (as
    ``cxtoolkit inspect`` prints it); a file it cannot map is entered in the plain form under
    the table its name suggests (:func:`guess_table`).
    """
    data: dict = {}
    notes: list[str] = []
    for f in files:
        try:
            proposal = propose_mapping(f)
        except InputError as exc:
            notes.append(text("scaffold.note.unreadable", locale, file=f.name, error=exc))
            proposal = {"data": {}, "missing": {}}
        entries = dict(proposal.get("data") or {})
        for table, cols in (proposal.get("missing") or {}).items():
            guessed = {c: GUESSED_CONSTANTS[table][c] for c in cols if c in GUESSED_CONSTANTS.get(table, {})}
            if guessed and isinstance(entries.get(table), dict):
                entry = entries[table]
                entries[table] = {**entry, "constants": {**(entry.get("constants") or {}), **guessed},
                                  "assumed": [*(entry.get("assumed") or []), *guessed]}
                notes.append(text("scaffold.note.assumed", locale, file=f.name, table=table, columns=", ".join(guessed),
                                  values=", ".join(f"{c}: {str(v).lower()}" for c, v in guessed.items())))
            cols = [c for c in cols if c not in guessed]
            if cols:
                notes.append(text("scaffold.note.by_hand", locale, file=f.name, table=table, columns=", ".join(cols)))
        if not entries:
            table = guess_table(f.name)
            if table is None:
                table = "contacts" if "contacts" not in data else None
            if table is None:
                notes.append(text("scaffold.note.which_table", locale, file=f.name))
                continue
            notes.append(text("scaffold.note.no_mapping", locale, file=f.name, table=table))
            entries = {table: f.name}
        for table, entry in entries.items():
            entry = _plain_when_canonical(entry)
            if table in data:
                notes.append(text("scaffold.note.taken", locale, file=f.name, table=table))
                continue
            data[table] = entry
    return data, notes


def _plain_when_canonical(entry):
    """``file.csv`` instead of ``{file: file.csv, columns: {x: x, ...}}`` when every header is
    already the canonical column's name (the plain form reads it the same way).

    >>> _plain_when_canonical({"file": "a.csv", "columns": {"contact_id": "contact_id"}})
    'a.csv'
    >>> _plain_when_canonical({"file": "a.csv", "columns": {"contact_id": "Call Id"}})["columns"]
    {'contact_id': 'Call Id'}
    """
    if isinstance(entry, dict) and set(entry) <= {"file", "columns"} and all(
            canon == header for canon, header in (entry.get("columns") or {}).items()):
        return entry["file"]
    return entry


def _keep_comment(text: str, line: str) -> str:
    """``text`` followed by the comment of template ``line``, aligned as in the template."""
    if "#" not in line:
        return text
    col = line.index("#")
    return f"{text.ljust(col - 1)} {line[col:]}"


def assumed_comment(column: str, locale: str | None, indent: str = "    ") -> list[str]:
    """The comment lines, in ``locale``, written above the ``constants:`` of an entry whose
    ``column`` the scaffold filled with an assumed constant (:data:`GUESSED_CONSTANTS`).

    >>> assumed_comment("answered", "en")[0]
    '    # answered: the export has no answered column; every contact is taken as answered (answered:'
    """
    return [f"{indent}# {line}" for line in textwrap.wrap(text(f"scaffold.assumed.{column}", locale), 96)]


def preset_comment(name: str, table: str, locale: str | None, indent: str = "    ") -> list[str]:
    """The comment lines, in ``locale``, written above ``preset: name`` when the preset fills
    columns with assumed constants (its ``assumed:``): which, and the KPIs not measured; none
    otherwise.

    >>> " ".join(preset_comment("comcast_complaints", "contacts", "en")).count("not measured")
    1
    >>> preset_comment("anonymous_bank", "contacts", "en")
    []
    """
    cols = list(preset_named(name, table).get("assumed") or ())
    if not cols:
        return []
    kpis = text("common.list_sep", locale).join(label(k, locale) for k in unmeasured({table: cols}))
    msg = text("scaffold.preset_assumed", locale, name=name, columns=", ".join(cols), kpis=kpis or ", ".join(cols))
    return [f"{indent}# {line}" for line in textwrap.wrap(msg, 96)]


def _entries_text(data: dict, locale: str | None) -> list[str]:
    """The ``data:`` entries as YAML lines (indented under ``data:``), each entry's assumed
    constants explained above its ``constants:`` (:func:`assumed_comment`), a preset's above
    its ``preset:`` (:func:`preset_comment`)."""
    out: list[str] = []
    for table, entry in data.items():
        dumped = yaml.safe_dump({table: entry}, sort_keys=False, allow_unicode=True, default_flow_style=False,
                                width=100).splitlines()
        assumed = (entry.get("assumed") or []) if isinstance(entry, dict) else []
        guessed = [c for c in assumed if c in GUESSED_CONSTANTS.get(table, {})]
        for d in dumped:
            if guessed and d == "  constants:":
                out += [line for c in guessed for line in assumed_comment(c, locale)]
            elif d.startswith("  preset: "):
                out += preset_comment(d.split(":", 1)[1].strip(), table, locale)
            out.append("  " + d)
    return out


def client_yml_text(slug: str, name: str, data: dict | None, locale: str | None = None) -> str:
    """The packaged client.yml template for ``slug`` (comments kept), ``data:`` replaced when
    given; ``locale`` (default: the template's) set and used for the comments written in ``data:``."""
    lines = resources.template("client.yml").read_text(encoding="utf-8").splitlines()
    if locale is None:
        locale = next((ln.split(":", 1)[1].split("#")[0].strip() for ln in lines if ln.startswith("locale:")), None)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("client:"):
            line = _keep_comment(f"client: {slug}", line)
        elif line.startswith("name:"):
            line = _keep_comment("name: " + yaml.safe_dump(name, allow_unicode=True).splitlines()[0], line)
        elif line.startswith("locale:"):
            line = _keep_comment(f"locale: {locale_of(locale)}", line)
        elif line.startswith("data:") and data is not None:
            out.append(_keep_comment("data:", line))
            out += _entries_text(data, locale)
            i += 1
            while i < len(lines) and lines[i].startswith("  "):
                i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def init_client(slug: str, sources=(), client_data: Path | str | None = None, name: str | None = None,
                force: bool = False, locale: str | None = None) -> tuple[Path, list[str]]:
    """Create ``<client_data>/<slug>/client.yml`` (and copy ``sources`` in); returns its path
    and notes for the user. Refuses to overwrite an existing client.yml unless ``force``.
    ``locale``: the client's language (``fr`` / ``en``; default the template's), written in
    client.yml and used for the comments of ``data:`` and the notes."""
    folder = client_folder(slug, client_data)
    yml = folder / "client.yml"
    if yml.exists() and not force:
        raise InputError("error.io.already_exists_use", yml=yml)
    srcs = [Path(s) for s in sources]
    for s in srcs:
        if not s.is_file():
            raise InputError("error.io.such_file", s=s)
    names = [s.name for s in srcs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError("error.io.several_files_named", value=', '.join(dup))
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for s in srcs:
        dst = folder / s.name
        if s.resolve() != dst.resolve():
            shutil.copy2(s, dst)
        copied.append(dst)
    data, notes = propose_data(copied, client_locale(locale)) if copied else (None, [])
    yml.write_text(client_yml_text(slug, name or slug, data, locale), encoding="utf-8")
    load_config(yml)   # what init writes must load: a wrong template or proposal fails here
    return yml, notes


def ensure_demo_client(slug: str, client_data: Path | str | None = None) -> Path | None:
    """Copy demo client ``slug``'s packaged client.yml into the working folder when it is
    missing; returns the path written, None when nothing was written (present, or not a demo)."""
    src = resources.demo_client_yml(slug)
    if src is None:
        return None
    yml = client_folder(slug, client_data) / "client.yml"
    if yml.exists():
        return None
    yml.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, yml)
    return yml
