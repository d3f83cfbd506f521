"""Client folders created in the working folder: ``cxtoolkit init`` and the demo clients.

* :func:`init_client` writes ``client_data/<client>/client.yml`` from the packaged template
  (comments kept), copies the client's exports in, and fills ``data:`` with the mapping
  proposed for each file (:func:`cxtoolkit.io.inspect.propose_mapping`; a file it cannot
  map goes under the table its name suggests: ``{table: filename}``);
* :func:`ensure_demo_client` copies a demo client's packaged ``client.yml`` into the
  working folder when it is not there yet (``cxtoolkit demo`` in an empty folder).

>>> guess_table("Export appels mars.csv"), guess_table("enquete_satisfaction.xlsx"), guess_table("x.bin")
('contacts', 'responses', None)
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import yaml

from cxtoolkit import resources
from cxtoolkit.config import TABLES, client_folder, load_config
from cxtoolkit.errors import InputError
from cxtoolkit.io.inspect import propose_mapping

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


def guess_table(filename: str) -> str | None:
    """The canonical table a file name suggests (see :data:`TABLE_WORDS`), None if none."""
    stem = unicodedata.normalize("NFKD", Path(filename).stem.lower()).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", stem) if w]
    for table, keys in TABLE_WORDS.items():
        if any(w.startswith(k) for w in words for k in keys):
            return table
    return None


def propose_data(files: list[Path]) -> tuple[dict, list[str]]:
    """The ``data:`` section for ``files`` (already in the client folder) and notes for the user.

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
            notes.append(f"{f.name}: could not be read to propose a mapping ({exc})")
            proposal = {"data": {}, "missing": {}}
        entries = dict(proposal.get("data") or {})
        for table, cols in (proposal.get("missing") or {}).items():
            notes.append(f"{f.name}: data.{table}: map by hand (or give as constants): {', '.join(cols)}")
        if not entries:
            table = guess_table(f.name)
            if table is None:
                table = "contacts" if "contacts" not in data else None
            if table is None:
                notes.append(f"{f.name}: could not tell which table it holds, add it under data: yourself")
                continue
            notes.append(f"{f.name}: no column mapping found, entered as data.{table} (check with cxtoolkit inspect)")
            entries = {table: f.name}
        for table, entry in entries.items():
            entry = _plain_when_canonical(entry)
            if table in data:
                notes.append(f"{f.name}: data.{table} already comes from another file, not changed")
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


def client_yml_text(slug: str, name: str, data: dict | None) -> str:
    """The packaged client.yml template for ``slug`` (comments kept), ``data:`` replaced when given."""
    lines = resources.template("client.yml").read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("client:"):
            line = _keep_comment(f"client: {slug}", line)
        elif line.startswith("name:"):
            line = _keep_comment("name: " + yaml.safe_dump(name, allow_unicode=True).splitlines()[0], line)
        elif line.startswith("data:") and data is not None:
            out.append(_keep_comment("data:", line))
            dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
            out += ["  " + d for d in dumped.splitlines()]
            i += 1
            while i < len(lines) and lines[i].startswith("  "):
                i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def init_client(slug: str, sources=(), client_data: Path | str | None = None, name: str | None = None,
                force: bool = False) -> tuple[Path, list[str]]:
    """Create ``<client_data>/<slug>/client.yml`` (and copy ``sources`` in); returns its path
    and notes for the user. Refuses to overwrite an existing client.yml unless ``force``."""
    folder = client_folder(slug, client_data)
    yml = folder / "client.yml"
    if yml.exists() and not force:
        raise InputError(f"{yml}: already exists (use --force to overwrite it)")
    srcs = [Path(s) for s in sources]
    for s in srcs:
        if not s.is_file():
            raise InputError(f"{s}: no such file")
    names = [s.name for s in srcs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"--from: several files named {', '.join(dup)}; rename them first")
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for s in srcs:
        dst = folder / s.name
        if s.resolve() != dst.resolve():
            shutil.copy2(s, dst)
        copied.append(dst)
    data, notes = propose_data(copied) if copied else (None, [])
    yml.write_text(client_yml_text(slug, name or slug, data), encoding="utf-8")
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
