"""One producer per result: what an audit computes once and every artefact reads.

- :mod:`cxtoolkit.pipeline.produce`: pure producer functions, one per page result (KPI
  views, friction map and key drivers, verbatim themes, quality and calibration, the ROI
  business case with the client's Monte Carlo settings, staffing). The Voila apps call them
  live for a chosen period and segment; an audit calls them once.
- :mod:`cxtoolkit.pipeline.results`: :class:`~cxtoolkit.pipeline.results.AuditResults`, the
  results set of one audit (what the notebooks, workbook, deck and index read), and
  :func:`~cxtoolkit.pipeline.results.compute_results`.
- :mod:`cxtoolkit.pipeline.store`: the results set kept with the audit (``results/``:
  Parquet per frame + one JSON), through :mod:`cxtoolkit.io.results`.

Layer: above ``report`` (the business case is built there) and the domain, below ``apps``
and ``audit``; the report layer only reads the results object.
"""
