"""The quality notebook runs under papermill on a small generated client; the figures build."""
from __future__ import annotations

import json

import nbformat
import numpy as np
import pandas as pd
import pytest

from cxtoolkit import resources
from cxtoolkit import quality as q
from cxtoolkit.viz import quality as V

NB = resources.notebooks_dir() / "quality.ipynb"


def test_notebook_shape_and_no_outputs():
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in ("client", "client_data", "period_start", "period_end", "vendor", "country", "locale"):
        assert f"{name}: str = " in code[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


@pytest.mark.notebook
def test_notebook_runs_on_generated_client(tmp_path):
    papermill = pytest.importorskip("papermill")
    from conftest import write_demo_client
    folder = write_demo_client(tmp_path, n_contacts=6_000, n_responses=1_000, months=2)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NB), str(out), kernel_name="python3", execution_timeout=300,
                               cwd=str(NB.parent), progress_bar=False,
                               parameters={"client": "demo", "client_data": str(tmp_path), "locale": "en",
                                           "out_dir": str(tmp_path / "tables")})
    nb = nbformat.read(out, as_version=4)
    md = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert "Average quality score" in md and "Krippendorff" in md
    figs = [o for c in nb.cells for o in c.get("outputs", []) if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figs) >= 6
    assert (tmp_path / "tables" / "quality_calibration_pack.csv").is_file()


def test_figures_build_from_report_frames():
    pvd = pd.DataFrame({"agent_id": ["a", "b", "c"], "n": [5, 4, 2], "score": [85.0, 60.0, 90.0],
                        "csat": [0.9, 0.5, np.nan], "csat_n": [12, 8, 0], "quadrant": ["good", "to_coach", None]})
    fig = V.perceived_vs_delivered(pvd, locale="fr")
    assert fig.layout.title.text == "Qualité perçue vs délivrée"
    assert {t.name for t in fig.data} == {"Bon et perçu", "À accompagner"}
    cal = {"alpha": 0.7, "ci95": [0.6, 0.8], "n_units": 10}
    fig = V.agreement(cal, {"x": {"alpha": None, "ci95": [None, None], "n_units": 3}, "y": cal}, "en")
    assert list(fig.data[0].y) == ["Overall score", "y"]  # undefined alpha left out
    ev = pd.DataFrame({"evaluator_id": ["q1", "q2"], "n": [5, 5], "mean_gap": [-12.0, 3.0], "drifting": [True, False]})
    assert list(V.evaluator_drift(ev, locale="en").data[0].marker.color) == ["#c62828", "#90a4ae"]
    cov = pd.DataFrame({"agent_id": ["a", "a", "b", "b"], "week": ["2026-W10", "2026-W11"] * 2,
                        "reviews": [3, 1, 0, 4], "target": 3, "met": [True, False, False, True]})
    assert V.coverage_heatmap(cov, "en").data[0].z.shape == (2, 2)
    tr = pd.DataFrame({"week": ["2026-W10", "2026-W11"], "n": [3, 4], "score": [70.0, 75.0]})
    assert len(V.trend(tr, "en").data) == 1
    cr = pd.DataFrame({"criterion": ["a", "b"], "n": [3, 3], "attainment": [40.0, 90.0], "critical": [True, False],
                       "label": ["A", "B"]})
    assert list(V.criteria(cr, "en").data[0].y) == ["B", "A"]
