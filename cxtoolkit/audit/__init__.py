"""Recurring client audits: notebook runner, reports, manifest, history warehouse, batch.

>>> from cxtoolkit.audit import run_audit, run_batch  # doctest: +SKIP
>>> res = run_audit("demo", period="2026-10")          # doctest: +SKIP
>>> res.status, res.folder                               # doctest: +SKIP
('ok', PosixPath('reports/demo/2026-10'))
"""
from __future__ import annotations

from cxtoolkit.audit.params import Period, parse_period
from cxtoolkit.audit.runner import AuditResult, NotebookResult, run_audit

__all__ = ["AuditResult", "NotebookResult", "Period", "parse_period", "run_audit", "run_batch"]


def __getattr__(name):  # run_batch imports rich / concurrent machinery lazily
    if name == "run_batch":
        from cxtoolkit.audit.batch import run_batch

        return run_batch
    raise AttributeError(name)
