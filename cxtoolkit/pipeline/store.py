"""The results set kept with the audit: ``<audit>/results/`` (Parquet per frame, one JSON per
page — ``page.<name>.json``, written as each page is ready by :func:`save_page` — and
``results.json`` for the scalars and metadata).

:func:`save` writes an :class:`~cxtoolkit.pipeline.results.AuditResults` through
:mod:`cxtoolkit.io.results`; :func:`load` reads it back (only the pages asked for: a
notebook reads its own page's frames). Frames become Parquet files; scalars, lists, dicts
and the result objects (verbatim analysis, quality settings and calibration, the business
case, its ROI case, inputs and Monte Carlo draws) become the JSON document, each object
tagged with its type from a fixed list (nothing else is ever built from a file). Row-level
tables (each tagged verbatim, each scored evaluation) are not kept: the pages show
aggregates only.

Examples
--------
>>> import tempfile
>>> from cxtoolkit.config import ClientConfig
>>> from cxtoolkit.pipeline.results import compute_results
>>> r = compute_results(ClientConfig(client="acme", roi={"draws": 2000, "seed": 7}), None, "2026-10")
>>> d = Path(tempfile.mkdtemp())
>>> back = load(save(r, d))
>>> back.business_case.monte_carlo.p50 == r.business_case.monte_carlo.p50, back.missing == r.missing
(True, True)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from cxtoolkit.io.results import read_document, read_frame, wait_for_document, write_results
from cxtoolkit.pipeline.results import AuditResults, answers

FORMAT = 1
#: Fields of result objects not kept (row-level data; the pages show aggregates).
SLIM = {"VerbatimAnalysis": {"tagged"}}
#: Fields of AuditResults derived from its pages (AuditResults.derive_deck_view), not stored.
DERIVED = ("status", "heat", "friction", "drivers", "verbatims", "quality", "business_case", "staffing",
           "staffing_notes")
#: Keys of the quality report not kept (row-level scores, grid objects).
SLIM_QUALITY = ("grids", "scored")


def _types() -> dict[str, Callable]:
    """The only types a results file may name."""
    from cxtoolkit import quality as Q
    from cxtoolkit import roi, verbatims as VB
    from cxtoolkit.findings import Finding, Num
    from cxtoolkit.report.business_case import BusinessCase

    return {"VerbatimAnalysis": VB.VerbatimAnalysis, "Calibration": Q.Calibration,
            "QualitySettings": Q.QualitySettings, "BusinessCase": BusinessCase, "RoiCase": roi.RoiCase,
            "MonteCarloResult": roi.MonteCarloResult, "RoiInputs": roi.RoiInputs,
            "Finding": Finding, "Num": Num}        # the ROI inputs' notes


class _Writer:
    """Encodes results into a JSON document and the frames it names. A frame's reference is
    completed by :meth:`done`, once every frame of the document is known: ``scrub`` (the
    audit's privacy guard) takes and returns the list of all of them, so it scrubs them in
    one pass rather than one by one."""

    def __init__(self, scrub: Callable[[list[pd.DataFrame]], list[pd.DataFrame]] | None = None):
        self.frames: dict[str, pd.DataFrame] = {}
        self.scrub = scrub
        self._pending: list[tuple[str, str, dict]] = []     # (frame name, path, its reference)

    def frame(self, df: pd.DataFrame, path: str) -> dict:
        name = re.sub(r"[^\w.\-×]", "_", path)
        while name in self.frames:
            name += "_"
        self.frames[name] = df           # its place among the files; scrubbed by done()
        ref: dict[str, Any] = {"$frame": name}
        self._pending.append((name, path, ref))
        return ref

    def done(self) -> dict[str, pd.DataFrame]:
        """The frames to write (name -> frame), scrubbed, their references in the document
        completed."""
        while self._pending:
            pending, self._pending = self._pending, []
            frames = [self.frames[name] for name, _, _ in pending]
            clean = self.scrub(frames) if self.scrub is not None else frames
            for (name, path, ref), before, df in zip(pending, frames, clean):
                self._complete(name, path, ref, list(before.columns), df)
        return self.frames

    def _complete(self, name: str, path: str, ref: dict, labels: list, df: pd.DataFrame) -> None:
        # object columns holding more than text (counts and rates in one column, list cells)
        # are kept as values in the document: Parquet would make them all floats or arrays
        mixed = [c for c in df.columns if isinstance(c, str) and df[c].dtype == object
                 and any(not (v is None or isinstance(v, str) or (isinstance(v, float) and math.isnan(v)))
                         for v in df[c])]
        if mixed:
            ref["values"] = {c: self.encode(df[c].tolist(), f"{path}.{c}") for c in mixed}
            ref["order"] = [self.encode(c, path) for c in labels]
            df = df.drop(columns=mixed)
        self.frames[name] = df
        if not all(isinstance(c, str) for c in labels):
            ref["columns"] = [self.encode(c, path) for c in labels]

    def encode(self, obj: Any, path: str) -> Any:
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, (np.bool_,)):
            return bool(obj)
        if isinstance(obj, (int, np.integer)):
            return int(obj)
        if isinstance(obj, (float, np.floating)):
            f = float(obj)
            return f if math.isfinite(f) else {"$float": str(f)}
        if isinstance(obj, pd.DataFrame):
            return self.frame(obj, path)
        if isinstance(obj, np.ndarray):
            return {"$array": self.frame(pd.DataFrame({"value": obj}), path)["$frame"]}
        if isinstance(obj, dt.date):
            return {"$date": obj.isoformat()}
        if isinstance(obj, tuple):
            return {"$tuple": [self.encode(v, f"{path}.{i}") for i, v in enumerate(obj)]}
        if isinstance(obj, list):
            return [self.encode(v, f"{path}.{i}") for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            if not all(isinstance(k, str) for k in obj):
                raise TypeError(f"results {path}: dict keys must be text")
            return {k: self.encode(v, f"{path}.{k}") for k, v in obj.items()}
        kind = type(obj).__name__
        if kind not in _types():
            raise TypeError(f"results {path}: cannot keep a {kind}")
        if dataclasses.is_dataclass(obj):
            fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
            for k in SLIM.get(kind, ()):
                fields[k] = fields[k].iloc[:0]
            return {"$type": kind, "fields": self.encode(fields, f"{path}.{kind}")}
        return {"$type": kind, "model": self.encode(obj.model_dump(), f"{path}.{kind}")}   # pydantic


class _Reader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.types = _types()

    def decode(self, obj: Any) -> Any:
        if isinstance(obj, list):
            return [self.decode(v) for v in obj]
        if not isinstance(obj, dict):
            return obj
        if "$frame" in obj:
            df = read_frame(self.folder, obj["$frame"])
            if "values" in obj:
                for c, values in obj["values"].items():
                    df[c] = pd.Series(self.decode(values), index=df.index, dtype=object)
                df = df[[self.decode(c) for c in obj["order"]]]
            if "columns" in obj:
                df.columns = [self.decode(c) for c in obj["columns"]]
            return df
        if "$array" in obj:
            return read_frame(self.folder, obj["$array"])["value"].to_numpy()
        if "$float" in obj:
            return float(obj["$float"])
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$tuple" in obj:
            return tuple(self.decode(v) for v in obj["$tuple"])
        if "$type" in obj:
            cls = self.types[obj["$type"]]
            if "model" in obj:
                return cls(**self.decode(obj["model"]))
            return cls(**self.decode(obj["fields"]))
        return {k: self.decode(v) for k, v in obj.items()}


def _page_document(name: str) -> str:
    return f"page.{name}.json"


def save_page(results: AuditResults, name: str, folder: Path | str,
              scrub: Callable[[list[pd.DataFrame]], list[pd.DataFrame]] | None = None) -> Path:
    """Write page ``name`` of ``results`` into ``folder``: its frames and ``page.<name>.json``
    (with the period, locale and parameters it answers), so its notebook can render it while
    the other pages are still being computed."""
    w = _Writer(scrub)
    page = results.pages[name]
    if name == "quality" and page.get("rep") is not None:
        page = {**page, "rep": {k: v for k, v in page["rep"].items() if k not in SLIM_QUALITY}}
    doc = {"format": FORMAT, "period_start": results.period_start, "period_end": results.period_end,
           "locale": results.locale, "params": w.encode(results.params.get(name, {}), name),
           "page": w.encode(page, name)}
    write_results(folder, w.done(), doc, _page_document(name))
    return Path(folder)


def save(results: AuditResults, folder: Path | str,
         scrub: Callable[[list[pd.DataFrame]], list[pd.DataFrame]] | None = None, pages: bool = True) -> Path:
    """Write ``results`` into ``folder`` (created); return the folder. ``scrub``: applied to
    the frames before they are written, all of a document at once (it takes and returns a
    list: the audit's privacy guard); ``pages=False``: only the
    document of the set (its pages already written by :func:`save_page`)."""
    for name in results.pages if pages else ():
        save_page(results, name, folder, scrub)
    w = _Writer(scrub)
    doc = {
        "format": FORMAT,
        **{f.name: w.encode(getattr(results, f.name), f.name) for f in dataclasses.fields(results)
           if f.name not in ("pages", "params") and f.name not in DERIVED},
        "pages": list(results.pages),
    }
    write_results(folder, w.done(), doc)
    return Path(folder)


def _check(doc: dict, folder: Path) -> dict:
    if doc.get("format") != FORMAT:
        raise ValueError(f"{folder}: results format {doc.get('format')!r}, expected {FORMAT}")
    return doc


def load(folder: Path | str, pages: tuple[str, ...] | None = None) -> AuditResults:
    """The results set kept in ``folder``; only ``pages`` (default all) are read."""
    folder = Path(folder)
    doc = _check(read_document(folder), folder)
    r = _Reader(folder)
    fields = {f.name: r.decode(doc[f.name]) for f in dataclasses.fields(AuditResults)
              if f.name not in ("pages", "params") and f.name in doc and f.name not in DERIVED}
    fields["pages"], fields["params"] = {}, {}
    for name in doc["pages"]:
        if pages is None or name in pages:
            page = _check(read_document(folder, _page_document(name)), folder)
            fields["pages"][name] = r.decode(page["page"])
            fields["params"][name] = r.decode(page["params"])
    return AuditResults(**fields).derive_deck_view()


def stored_page(results_dir: str | Path, name: str, p: dict) -> dict | None:
    """The stored results of page ``name`` in ``results_dir`` when they answer ``p``
    (:func:`cxtoolkit.pipeline.results.answers`), else None. Waits while the audit is still
    computing them (:func:`cxtoolkit.io.results.wait_for_document`)."""
    if not results_dir or not wait_for_document(results_dir, _page_document(name)):
        return None
    folder = Path(results_dir)
    doc = _check(read_document(folder, _page_document(name)), folder)
    r = _Reader(folder)
    if not answers(name, p, doc["period_start"], doc["period_end"], doc["locale"], r.decode(doc["params"])):
        return None
    return r.decode(doc["page"])
