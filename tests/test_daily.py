"""Daily outsourcer reports: loader with French headers and weighted KPIs (hand-computed)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxtoolkit.io import load_table
from cxtoolkit.kpis.daily import daily_report_kpis

NOW = pd.Timestamp("2025-01-01")


@pytest.fixture
def daily():
    # Mon 4 and Tue 5 March 2024 (ISO week 10), Mon 11 March (week 11)
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-03-04", "2024-03-04", "2024-03-05", "2024-03-11"]),
        "queue": ["sales", "support", "sales", "sales"],
        "offered": [100.0, 20.0, 50.0, 0.0],
        "answered": [80.0, 20.0, 40.0, 0.0],
        "abandoned": [20.0, 0.0, 10.0, 0.0],
        "asa_s": [90.0, 10.0, 30.0, np.nan],
        "aht_s": [300.0, 200.0, 240.0, np.nan],
    })


def test_overall_weighted_asa_differs_from_mean_of_means(daily):
    k = daily_report_kpis(daily)
    row = k.loc["overall"]
    # ASA = (90*80 + 10*20 + 30*40) / (80+20+40) = 8600 / 140
    assert row["asa_s"] == pytest.approx(8600 / 140)
    assert daily["asa_s"].mean() == pytest.approx(130 / 3)  # mean of means: 43.3 s, not 61.4 s
    assert row["aht_s"] == pytest.approx((300 * 80 + 200 * 20 + 240 * 40) / 140)
    assert row["answer_rate"] == pytest.approx(140 / 170)
    assert row["abandonment_rate"] == pytest.approx(30 / 170)
    assert (row["offered"], row["answered"], row["days"]) == (170, 140, 3)


def test_by_queue_and_week(daily):
    q = daily_report_kpis(daily, by="queue")
    assert q.index.name == "queue" and q.index.tolist() == ["sales", "support"]
    assert q.loc["sales", "asa_s"] == pytest.approx((90 * 80 + 30 * 40) / 120)
    w = daily_report_kpis(daily, by="week")
    assert w.index.tolist() == ["2024-W10", "2024-W11"]
    assert np.isnan(w.loc["2024-W11", "answer_rate"])  # 0 offered: undefined, not 0
    assert np.isnan(w.loc["2024-W11", "asa_s"])
    m = daily_report_kpis(daily, by=["month", "queue"])
    assert m.index.names == ["month", "queue"] and len(m) == 2


def test_input_not_mutated(daily):
    before = daily.copy()
    daily_report_kpis(daily, by="week")
    pd.testing.assert_frame_equal(daily, before)


def test_unknown_grouping(daily):
    with pytest.raises(KeyError):
        daily_report_kpis(daily, by="colour")


def test_load_french_daily_excel_and_recompute(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Reporting quotidien prestataire"])
    ws.append(["Date", "File", "Appels présentés", "Appels décrochés", "Abandons", "DMA", "DMT"])
    ws.append(["04/03/2024", "Ventes", 100, 80, 20, "00:01:30", "00:05:00"])
    ws.append(["05/03/2024", "Ventes", 50, 40, 10, 30, 240])
    ws.append(["05/03/2024", "Ventes", 10, 10, 0, 5, 100])      # duplicate date × queue
    ws.append(["06/03/2024", "Ventes", 10, 12, 0, 5, 100])      # answered > offered
    p = tmp_path / "reporting.xlsx"
    wb.save(p)
    ok, rej, n = load_table(p, "daily_reports", now=NOW)
    assert (n["read"], n["accepted"], n["rejected"]) == (4, 2, 2)
    assert rej[["row", "column", "reason"]].values.tolist() == [
        [5, "date", "duplicate date/queue (first at row 4)"],
        [6, "answered", "answered + abandoned exceed offered"],
    ]
    assert ok["asa_s"].tolist() == [90.0, 30.0]
    k = daily_report_kpis(ok)
    assert k.loc["overall", "asa_s"] == pytest.approx((90 * 80 + 30 * 40) / 120)


def test_weekdays_in_calendar_order():
    # a groupby on the weekday codes sorted them alphabetically (fri, mon, sat, sun, thu…)
    days = pd.date_range("2024-03-04", periods=7)   # Monday 4 to Sunday 10 March
    d = pd.DataFrame({"date": days, "offered": range(10, 17), "answered": range(10, 17)})
    k = daily_report_kpis(d, by="weekday")
    assert k.index.tolist() == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert k["offered"].tolist() == list(range(10, 17))
