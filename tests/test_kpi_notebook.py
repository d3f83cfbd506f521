"""notebooks/kpis.ipynb runs end to end with papermill on a small generated client."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import write_client

from cxtoolkit import resources

NB = resources.notebooks_dir() / "kpis.ipynb"

_HOURS_GB = {d: ["08:00", "20:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
CONFIG = {"name": "Notebook Test SA", "country": "FR", "business_hours_by_country": {"GB": _HOURS_GB},
          "data": {"contacts": "contacts.csv", "responses": "responses.csv", "sends": "sends.csv"}}


def make_client(root: Path, locale: str = "fr", n: int = 3000) -> Path:
    """Small canonical client: contacts, responses, sends over ~2 months (seeded)."""
    rng = np.random.default_rng(7)
    t0 = pd.Timestamp("2026-04-01")
    recv = t0 + pd.to_timedelta(rng.integers(0, 60 * 86400, n), unit="s")
    channel = rng.choice(["phone", "phone", "email", "chat"], n)
    answered = rng.random(n) < 0.85
    wait = np.round(rng.exponential(40, n) * np.where(channel == "email", 500, 1), 1)
    contacts = pd.DataFrame({
        "contact_id": [f"c{i}" for i in range(n)],
        "customer_id": [f"k{i}" for i in rng.integers(0, n // 3, n)],
        "channel": channel, "received_at": recv.strftime("%Y-%m-%d %H:%M:%S"),
        "answered": answered, "wait_s": np.where((channel == "email") & ~answered, np.nan, wait),
        "talk_s": np.round(rng.exponential(250, n)), "country": rng.choice(["FR", "GB"], n),
        "team": rng.choice(["t1", "t2", "t3"], n),
        "handled_by": np.where(channel == "chat", rng.choice(["agent", "bot"], n), ""),
    })
    m = 400
    responses = pd.DataFrame({
        "response_id": [f"r{i}" for i in range(m)],
        "responded_at": (t0 + pd.to_timedelta(rng.integers(0, 60 * 86400, m), unit="s")).strftime("%Y-%m-%d %H:%M:%S"),
        "csat": rng.integers(1, 6, m), "nps": rng.integers(0, 11, m), "ces": rng.integers(1, 8, m),
        "country": rng.choice(["FR", "GB"], m),
    })
    sends = pd.DataFrame({
        "send_id": [f"s{i}" for i in range(4 * m)], "customer_id": [f"k{i}" for i in range(4 * m)],
        "sent_at": (t0 + pd.to_timedelta(rng.integers(0, 60 * 86400, 4 * m), unit="s")).strftime("%Y-%m-%d %H:%M:%S"),
        "survey_type": "hot", "channel": "phone",
    })
    return write_client(root, "nbtest", {**CONFIG, "locale": locale},
                        {"contacts.csv": contacts, "responses.csv": responses, "sends.csv": sends}).parent


def test_notebook_is_committed_clean():
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in ("client", "client_data", "period_start", "period_end", "segment", "locale", "out_dir"):
        assert f"{name}: str" in code[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


@pytest.mark.notebook
def test_notebook_runs_with_papermill(tmp_path):
    import papermill as pm

    make_client(tmp_path / "clients", locale="en")
    out_dir = tmp_path / "out"
    out = tmp_path / "kpis_out.ipynb"
    pm.execute_notebook(str(NB), str(out), kernel_name="python3", execution_timeout=300,
                        cwd=str(NB.parent), progress_bar=False,
                        parameters={"client": "nbtest", "client_data": str(tmp_path / "clients"),
                                    "period_start": "2026-04-01", "period_end": "2026-05-15",
                                    "segment": "team", "locale": "en", "out_dir": str(out_dir)})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = json.dumps([o.get("data", {}).get("text/markdown", "") for o in outputs])
    assert "went from" in text and "Weakest slots" in text and "NPS" in text     # English commentary
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) >= 7                    # tiles, 2 trends, 2 heatmaps, channels, NPS
    status = pd.read_csv(out_dir / "kpis_status.csv")
    assert {"answer_rate", "nps", "csat"} <= set(status["key"])
    team = pd.read_csv(out_dir / "kpis_team.csv", index_col=0)
    assert list(team.index) == ["t1", "t2", "t3"]


@pytest.mark.notebook
def test_notebook_nbval_lax(tmp_path):
    """nbval-lax: every cell of the parameterised notebook executes without error."""
    import papermill as pm

    make_client(tmp_path / "clients", locale="fr", n=800)
    prepared = tmp_path / "kpis_params.ipynb"
    pm.execute_notebook(str(NB), str(prepared), prepare_only=True, kernel_name="python3",
                        parameters={"client": "nbtest", "client_data": str(tmp_path / "clients")})
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                          str(prepared)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
