"""Recurring client audits: notebook runner, reports, manifest, history warehouse, batch.

>>> from cxtoolkit.audit import run_audit, run_batch  # doctest: +SKIP
>>> res = run_audit("demo", period="2026-10")          # doctest: +SKIP
>>> res.status, res.folder                               # doctest: +SKIP
('ok', PosixPath('reports/demo/2026-10'))

Modules: :mod:`~cxtoolkit.audit.runner` (one audit), :mod:`~cxtoolkit.audit.batch` (many),
:mod:`~cxtoolkit.audit.export` (HTML), :mod:`~cxtoolkit.audit.workbook` (Excel),
:mod:`~cxtoolkit.audit.manifest`, :mod:`~cxtoolkit.audit.warehouse` (DuckDB history),
:mod:`~cxtoolkit.audit.history` (what changed, pure), :mod:`~cxtoolkit.audit.index`.
Imports are lazy so that ``cxtoolkit --help`` stays quick.
"""
from __future__ import annotations

__all__ = ["AuditResult", "NotebookResult", "Period", "parse_period", "run_audit", "run_batch"]

_WHERE = {"AuditResult": "runner", "NotebookResult": "runner", "run_audit": "runner",
          "Period": "params", "parse_period": "params", "run_batch": "batch"}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"cxtoolkit.audit.{_WHERE[name]}"), name)
    raise AttributeError(name)
