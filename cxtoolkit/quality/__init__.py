"""Quality monitoring: evaluation grids, scoring, calibration and review sampling.

A consultant audits the quality a contact centre *delivers* (in-house or outsourced) by
listening to interactions and scoring them on an evaluation grid (grille d'évaluation).
This package turns the long-form ``evaluations`` table of the data contract into:

- a score per evaluation on 0–100 (weighted by the grid; a failed critical criterion
  zeroes the evaluation), then by agent, team, site, vendor, country, criterion and week
  or month;
- **perceived vs delivered** quality per agent or team: QA score against the CSAT of the
  same contacts (joined on ``contact_id``);
- **calibration** on interactions scored by several evaluators: Krippendorff's alpha
  (interval, with a seeded bootstrap CI over units), ICC, evaluators drifting from the
  panel and a pack of the interactions with the widest disagreement;
- a **review sampling plan** per agent (random, new agents, complaints, long
  conversations) and the coverage of last period against the target;
- a short generated commentary in French or English.

Grids live as YAML in ``templates/grids/`` (one file per grid and country variant).

One module per concern, imported one way (each imports only the ones above it):

- :mod:`~cxtoolkit.quality.settings` (``QualitySettings``), :mod:`~cxtoolkit.quality.frames`
  (text columns, week/month labels, agents' attributes);
- :mod:`~cxtoolkit.quality.grids` (grid files, validation, points grids);
- :mod:`~cxtoolkit.quality.scoring` (a score per evaluation);
- :mod:`~cxtoolkit.quality.levels` (by agent, team, ..., week or month, criterion),
  :mod:`~cxtoolkit.quality.perceived` (QA score vs CSAT);
- :mod:`~cxtoolkit.quality.drift` (evaluators against the panel) and
  :mod:`~cxtoolkit.quality.calibration` (agreement, pack);
- :mod:`~cxtoolkit.quality.sampling` (review plan), :mod:`~cxtoolkit.quality.coverage`;
- :mod:`~cxtoolkit.quality.commentary` (sentences, numbers by :func:`cxtoolkit.rules.format_value`);
- :mod:`~cxtoolkit.quality.report` (``quality_report``: everything the notebook and CLI show).

This package's namespace re-exports their public names (``from cxtoolkit import quality as
q; q.score_evaluations(...)``).

Examples
--------
>>> import pandas as pd
>>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1"], "contact_id": ["c1", "c1"],
...     "agent_id": ["a1", "a1"], "evaluator_id": ["q1", "q1"],
...     "criterion": ["greeting", "empathy"], "score": [4.0, 2.0], "max_score": [4.0, 4.0]})
>>> float(score_evaluations(ev)["score"].iloc[0])
75.0
>>> round(krippendorff_alpha(pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3],
...     "value": [1.0, 1.0, 2.0, 2.0, 3.0, 4.0]})), 3)
0.878
"""
from __future__ import annotations

from cxtoolkit.agreement import alpha_with_ci, icc, krippendorff_alpha, krippendorff_alpha_matrix
from cxtoolkit.quality.calibration import Calibration, calibration, calibration_pack
from cxtoolkit.quality.commentary import quality_commentary
from cxtoolkit.quality.coverage import coverage_summary, review_coverage
from cxtoolkit.quality.drift import calibration_units, evaluator_drift, loo_median
from cxtoolkit.quality.grids import (GRIDS_DIR, SECTIONS, Grid, grid_from_data, list_grids, load_grid,
                                     resolve_grids, validate_grid)
from cxtoolkit.quality.levels import LEVELS, criterion_scores, quality_by, quality_trend
from cxtoolkit.quality.perceived import perceived_vs_delivered
from cxtoolkit.quality.report import quality_report
from cxtoolkit.quality.sampling import (COMPLAINT_PATTERN, REASONS, iso_week_bounds, reason_label, sampling_plan,
                                        with_reason_labels)
from cxtoolkit.quality.scoring import criterion_rows, score_evaluations
from cxtoolkit.quality.settings import QualitySettings

__all__ = [
    "COMPLAINT_PATTERN", "GRIDS_DIR", "LEVELS", "REASONS", "SECTIONS",
    "Calibration", "Grid", "QualitySettings",
    "alpha_with_ci", "calibration", "calibration_pack", "calibration_units", "coverage_summary",
    "criterion_rows", "criterion_scores", "evaluator_drift", "grid_from_data", "icc", "iso_week_bounds",
    "krippendorff_alpha", "krippendorff_alpha_matrix", "list_grids", "load_grid", "loo_median",
    "perceived_vs_delivered", "quality_by", "quality_commentary", "quality_report", "quality_trend", "reason_label",
    "resolve_grids", "review_coverage", "sampling_plan", "score_evaluations", "validate_grid", "with_reason_labels",
]
