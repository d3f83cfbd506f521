"""The files of a results set: one Parquet file per frame and one JSON document.

:func:`write_results` writes ``{name: DataFrame}`` as ``<folder>/<name>.parquet`` and the
document (scalars, metadata, references to the frames by name) as
``<folder>/results.json`` (last, atomically: its presence means the set is complete);
:func:`read_document` and :func:`read_frame` read them back. While an audit computes its
results set, a ``<folder>.pending`` file beside it makes :func:`wait_for_document` wait, so
its notebooks can start their kernels meanwhile.
What the document means (which frame is which result) is
:mod:`cxtoolkit.pipeline.store`'s business; this module only reads and writes files.

Frames keep their index (a KPI view's segments, the weekday × hour MultiIndex) and dtypes
(categories, strings, nullable booleans) through pyarrow's pandas metadata. Column labels
that are not text are written as text: the document keeps the real labels.

Examples
--------
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> f = pd.DataFrame({"nps": [12.5]}, index=pd.Index(["FR"], name="country"))
>>> [p.name for p in write_results(d, {"kpis.country": f}, {"period": "2026-10"})]
['kpis.country.parquet', 'results.json']
>>> read_frame(d, "kpis.country").equals(f), read_document(d)["period"]
(True, '2026-10')
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pandas as pd

DOCUMENT = "results.json"
_NAME = re.compile(r"^[\w.\-×]+$")


def _path(folder: Path | str, name: str) -> Path:
    if not _NAME.fullmatch(name) or name.startswith("."):
        raise ValueError(f"results frame name {name!r}: letters, digits, . _ - only")
    return Path(folder) / f"{name}.parquet"


def write_results(folder: Path | str, frames: dict[str, pd.DataFrame], document: dict,
                  name: str = DOCUMENT) -> list[Path]:
    """Write each frame (Parquet) and the document (JSON, UTF-8, file ``name``); return the
    paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for key, frame in frames.items():
        p = _path(folder, key)
        if not all(isinstance(c, str) for c in frame.columns):
            frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
        frame.to_parquet(p, engine="pyarrow")
        out.append(p)
    doc, part = folder / name, folder / f".{name}.part"
    part.write_text(json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8")
    os.replace(part, doc)              # last, and whole: its presence means the set is complete
    return out + [doc]


def pending_marker(folder: Path | str) -> Path:
    """The file that says the results set of ``folder`` is being computed
    (``<folder>.pending``, beside it): readers wait for the document while it exists."""
    folder = Path(folder)
    return folder.with_name(f"{folder.name}.pending")


def wait_for_document(folder: Path | str, name: str = DOCUMENT, poll_s: float = 0.05) -> bool:
    """Whether document ``name`` of the results set of ``folder`` is there, waiting while its
    producer says it is being computed (:func:`pending_marker`); False when there is none
    (never written, or its computation failed)."""
    doc, pending = Path(folder) / name, pending_marker(folder)
    while not doc.is_file():
        if not pending.exists():
            return doc.is_file()
        time.sleep(poll_s)
    return True


def read_document(folder: Path | str, name: str = DOCUMENT) -> dict:
    """JSON document ``name`` of the results set in ``folder``."""
    return json.loads((Path(folder) / name).read_text(encoding="utf-8"))


def read_frame(folder: Path | str, name: str) -> pd.DataFrame:
    """Frame ``name`` of the results set in ``folder``."""
    return pd.read_parquet(_path(folder, name), engine="pyarrow")
