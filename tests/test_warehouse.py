"""Audit history: DuckDB warehouse round trip, replacement on re-run, and the index page's
'what changed' across two audited periods (known-answer significance)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtoolkit.audit import collect, warehouse as wh
from cxtoolkit.audit.runner import run_audit


def _rows(client, period, start, values):
    return pd.DataFrame({
        "client": client, "period": period, "period_start": start, "period_end": "",
        "segment_by": "overall", "segment": "overall", "kpi": list(values),
        "value": [v[0] for v in values.values()], "n": [v[1] for v in values.values()],
        "se": [v[2] for v in values.values()], "status": None})


def test_append_replaces_same_client_and_period(tmp_path):
    path = tmp_path / "w.duckdb"
    assert wh.read_history(path).empty
    wh.append(path, _rows("a", "2026-09", "2026-09-01", {"nps": (10.0, 100, 5.0)}), audited_at="t1")
    wh.append(path, _rows("a", "2026-10", "2026-10-01", {"nps": (12.0, 100, 5.0), "csat": (0.8, 50, np.nan)}))
    wh.append(path, _rows("b", "2026-10", "2026-10-01", {"nps": (1.0, 10, 9.0)}))
    # re-run of a / 2026-10 replaces its two rows by one
    wh.append(path, _rows("a", "2026-10", "2026-10-01", {"nps": (15.0, 120, 4.0)}), audit_status="failed")
    h = wh.read_history(path, "a")
    assert h[["period", "kpi", "value"]].values.tolist() == [["2026-09", "nps", 10.0], ["2026-10", "nps", 15.0]]
    assert h.loc[h["period"] == "2026-10", "audit_status"].item() == "failed"
    assert h["n"].tolist() == [100.0, 120.0]
    assert len(wh.read_history(path)) == 3
    a = wh.audits(path, "a")
    assert a["period"].tolist() == ["2026-09", "2026-10"] and a["rows"].tolist() == [1, 1]


def test_kpi_rows_long_form_with_denominators():
    views = {"overall": pd.DataFrame({"offered": [200], "answer_rate": [0.8], "nps": [20.0], "nps_n": [300],
                                      "nps_ci95": [9.8], "asa_s": [45.0]},
                                     index=pd.Index(["overall"], name="overall")),
             "channel": pd.DataFrame({"offered": [100, 0], "answer_rate": [0.9, np.nan]},
                                     index=pd.Index(["phone", "chat"], name="channel"))}
    r = collect.kpi_rows(views, "acme", "2026-10").set_index(["segment_by", "segment", "kpi"])
    assert r.loc[("overall", "overall", "answer_rate"), "n"] == 200
    assert r.loc[("overall", "overall", "answer_rate"), "status"] == "amber"    # 0.8 within 10 % of 0.85
    assert r.loc[("overall", "overall", "nps"), "se"] == pytest.approx(5.0)
    assert r.loc[("overall", "overall", "nps"), "n"] == 300
    assert np.isnan(r.loc[("overall", "overall", "asa_s"), "n"])
    assert np.isnan(r.loc[("channel", "chat", "answer_rate"), "value"])
    assert ("overall", "overall", "nps_ci95") not in r.index


def _fake_views(answer_rate, offered, nps, nps_ci):
    def compute_views(cfg, start="", end="", segment="", locale=None):
        frame = pd.DataFrame({"offered": [offered], "answer_rate": [answer_rate], "nps": [nps],
                              "nps_n": [400], "nps_ci95": [nps_ci]},
                             index=pd.Index(["overall"], name="overall"))
        return collect.KpiViews("ok", views={"overall": frame})
    return compute_views


def test_two_audits_history_and_what_changed(tmp_path, monkeypatch, client_folder):
    client_folder("acme", {"name": "Acme", "locale": "en"})
    kw = dict(client_data=tmp_path / "client_data", out=tmp_path / "reports", notebook_dir=tmp_path / "none")
    # September: answer rate 150/200, NPS 20 ± 7.84 (SE 4)
    monkeypatch.setattr(collect, "compute_views", _fake_views(0.75, 200, 20.0, 1.96 * 4))
    r1 = run_audit("acme", period="2026-09", **kw)
    assert r1.status == "ok" and r1.manifest["previous_period"] is None
    # October: answer rate 180/200 (z-test p < 0.001), NPS 28 ± 5.88 (SE 3): |Δ| = 8 < 9.8, not significant
    monkeypatch.setattr(collect, "compute_views", _fake_views(0.90, 200, 28.0, 1.96 * 3))
    r2 = run_audit("acme", period="2026-10", **kw)
    assert r2.manifest["previous_period"] == "2026-09"
    ch = pd.read_csv(r2.folder / "changes.csv").set_index("kpi")
    assert bool(ch.loc["answer_rate", "significant"]) is True
    assert ch.loc["answer_rate", "p_value"] < 0.001
    assert bool(ch.loc["nps", "significant"]) is False
    assert ch.loc["nps", "delta"] == pytest.approx(8.0)
    hist = wh.read_history(tmp_path / "reports" / "warehouse.duckdb", "acme")
    assert sorted(hist["period"].unique()) == ["2026-09", "2026-10"]
    index = (r2.folder / "index.html").read_text(encoding="utf-8")
    assert "What changed since last audit" in index and "September 2026" in index and "+15.0 pts" in index
    assert "<svg" in index                                        # history chart
    # re-running September keeps one set of rows for it
    run_audit("acme", period="2026-09", **kw)
    hist = wh.read_history(tmp_path / "reports" / "warehouse.duckdb", "acme")
    assert (hist["period"] == "2026-09").sum() == (hist["period"] == "2026-10").sum()
