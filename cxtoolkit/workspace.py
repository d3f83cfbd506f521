"""The working folder: where client folders, reports and the consultancy's settings live.

The working folder is ``$CXTOOLKIT_HOME`` when set (``cxtoolkit --workdir DIR`` sets it),
else the folder the command runs from. It holds::

    client_data/<client>/   the client's exports as they came + client.yml
    reports/<client>/...    published audits
    cxtoolkit.yml           optional settings of the working folder

``cxtoolkit.yml`` lets a consultancy use its own notebooks (house style)::

    notebooks_dir: house/notebooks   # relative to the working folder, or absolute

A notebook found there replaces the packaged one of the same name; any other notebook
comes from the package (:mod:`cxtoolkit.resources`).

>>> import os, tempfile
>>> d = Path(tempfile.mkdtemp())
>>> os.environ[ENV_HOME] = str(d)
>>> home() == d, find_notebook("kpis") == resources.notebook("kpis")
(True, True)
>>> _ = (d / SETTINGS_FILE).write_text("notebooks_dir: house\\n")
>>> (d / "house").mkdir(); _ = (d / "house" / "kpis.ipynb").write_text("{}")
>>> find_notebook("kpis") == d / "house" / "kpis.ipynb", find_notebook("roi") == resources.notebook("roi")
(True, True)
>>> del os.environ[ENV_HOME]
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from cxtoolkit import resources
from cxtoolkit.config import ENV_HOME, home, read_model
from cxtoolkit.errors import InputError

SETTINGS_FILE = "cxtoolkit.yml"
#: tag of a notebook's cells written for the consultant (what it does, how to serve it), left
#: out of what leadership sees: the audit's HTML pages and the Voila apps
NOTES_TAG = "notebook-notes"


class Settings(BaseModel):
    """Settings of a working folder (``cxtoolkit.yml``)."""

    model_config = ConfigDict(extra="forbid")
    notebooks_dir: str | None = None   # house notebooks, relative to the working folder


def settings(folder: Path | str | None = None) -> Settings:
    """Read ``cxtoolkit.yml`` of the working folder (defaults when there is none)."""
    p = Path(folder or home()) / SETTINGS_FILE
    return read_model(p, Settings) if p.is_file() else Settings()


def reports_dir() -> Path:
    """Default reports folder: ``<working folder>/reports``."""
    return home() / "reports"


def notebook_dirs() -> list[Path]:
    """Where notebooks are looked up, in order: the house folder of ``cxtoolkit.yml``
    (when set; it must exist), then the packaged notebooks."""
    base = home()
    own = settings(base).notebooks_dir
    dirs = []
    if own:
        p = Path(own).expanduser()
        p = p if p.is_absolute() else base / p
        if not p.is_dir():
            raise InputError("error.workspace.notebooks_dir_such",
                             value=base / SETTINGS_FILE,
                             own=repr(own),
                             p=p)
        dirs.append(p)
    return dirs + [resources.notebooks_dir()]


def find_notebook(name: str) -> Path:
    """Path of notebook ``name``: the house one when there is one, else the packaged one
    (which may not exist: the caller reports it)."""
    for d in notebook_dirs():
        p = d / f"{name}.ipynb"
        if p.is_file():
            return p
    return resources.notebook(name)


def available_notebooks() -> list[str]:
    """Names of every notebook found (house and packaged), sorted."""
    return sorted({p.stem for d in notebook_dirs() for p in d.glob("*.ipynb")})
