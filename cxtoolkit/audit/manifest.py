"""The audit manifest: what went in, what came out, how it ran.

``manifest.json`` sits at the root of every published audit
(``reports/<client>/<period>/manifest.json``). It records the inputs with their sha256
checksums and sizes, the parameters, the package and Python versions, start / end times,
each notebook's status and duration, every output path (relative to the audit folder)
and the overall status, so an audit can be checked and reproduced months later.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_bytes(b"abc")
>>> file_entry(d / "a.txt", d)["sha256"][:12]
'ba7816bf8f01'
>>> file_entry(d / "a.txt", d)["size"]
3
"""
from __future__ import annotations

import json
import platform
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path

from cxtoolkit.jsonable import json_safe

MANIFEST = "manifest.json"
_VERSIONS_OF = ("pandas", "numpy", "plotly", "papermill", "nbconvert", "duckdb", "openpyxl")


def sha256_file(path) -> str:
    """Hex sha256 of a file, read in chunks (:func:`cxtoolkit.io.cache.file_digest`, the one
    implementation; imported here on use so that a notebook worker, which only stamps times,
    does not import pandas)."""
    from cxtoolkit.io.cache import file_digest

    return file_digest(path)


def file_entry(path: Path | str, base: Path | str | None = None, **extra) -> dict:
    """``{"path", "size", "sha256"}`` of ``path`` (relative to ``base`` when given)."""
    p = Path(path)
    rel = p.relative_to(base).as_posix() if base is not None else str(p)
    if not p.is_file():
        return {"path": rel, "missing": True, **extra}
    return {"path": rel, "size": p.stat().st_size, "sha256": sha256_file(p), **extra}


def output_entries(folder: Path | str, exclude: tuple[str, ...] = (MANIFEST,)) -> list[dict]:
    """Every file under ``folder`` (sorted, relative paths), except ``exclude``."""
    folder = Path(folder)
    return [file_entry(p, folder) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() not in exclude]


def environment() -> dict:
    """Package, Python and key library versions."""
    from cxtoolkit import __version__

    versions = {}
    for name in _VERSIONS_OF:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "package": "cxtoolkit",
        "package_version": __version__,
        "python_version": platform.python_version(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": versions,
    }


def now_iso(timespec: str = "seconds") -> str:
    """Local time, ISO 8601 with offset, to the second (or ``timespec``, e.g. milliseconds)."""
    return datetime.now().astimezone().isoformat(timespec=timespec)


def write_manifest(folder: Path | str, manifest: dict) -> Path:
    """Write ``manifest.json`` into ``folder`` (indented, strict JSON)."""
    p = Path(folder) / MANIFEST
    p.write_text(json.dumps(json_safe(manifest), ensure_ascii=False, allow_nan=False, indent=2) + "\n",
                 encoding="utf-8")
    return p


def read_manifest(folder: Path | str) -> dict:
    """Read a published audit's manifest."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
