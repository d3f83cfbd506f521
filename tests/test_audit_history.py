"""Pure parts of the audit: periods, parameters, significance of changes, trends."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit.audit import history as hist
from cxtoolkit.audit.params import NotebookParams, parse_period, select_params, validate_params
from cxtoolkit.errors import InputError


# -- periods and parameters ------------------------------------------------------------
@pytest.mark.parametrize("spec, label, start, end", [
    ("2026-10", "2026-10", "2026-10-01", "2026-10-31"),
    ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
    ("2026-q2", "2026-Q2", "2026-04-01", "2026-06-30"),
    ("2025", "2025", "2025-01-01", "2025-12-31"),
])
def test_period_known_answers(spec, label, start, end):
    p = parse_period(spec)
    assert (p.label, p.start, p.end) == (label, start, end)


def test_period_from_to_and_errors():
    assert parse_period(start="2026-01-15", end="2026-03-31").label == "2026-01-15_2026-03-31"
    assert parse_period(start="2026-01-15").label == "2026-01-15_end"
    assert parse_period().label == "all"
    for bad in ("2026-13", "26-10", "2026-10; rm -rf /", "../x"):
        with pytest.raises(InputError, match="--period"):
            parse_period(bad)
    with pytest.raises(InputError, match="before"):
        parse_period(start="2026-03-01", end="2026-02-01")
    with pytest.raises(InputError, match="cannot be combined"):
        parse_period("2026-10", start="2026-10-01")
    with pytest.raises(InputError, match="ISO date"):
        parse_period(start="31/10/2026")


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_month_period_covers_the_month(y, m):
    p = parse_period(f"{y:04d}-{m:02d}")
    s, e = pd.Timestamp(p.start), pd.Timestamp(p.end)
    assert s.day == 1 and s.month == m and e.month == m
    assert (e + pd.Timedelta(days=1)).day == 1


def test_params_validated_and_filtered():
    p = validate_params(client="acme", period_start="2026-10-01", segment="FR")
    assert select_params(p, {"client": {}, "segment": {}, "unknown": {}}) == {"client": "acme", "segment": "FR"}
    for bad in ({"client": "Acme"}, {"client": "a", "period_start": "2026-02-30"},
                {"client": "a", "segment": "x\"); import os; os.system(\"id"}, {"client": "a", "locale": "de"}):
        with pytest.raises(InputError, match="audit parameters"):
            validate_params(**bad)
    with pytest.raises(Exception):
        NotebookParams(client="a", extra="x")


# -- what changed -------------------------------------------------------------------------
def _rows(kpi, value, n=np.nan, se=np.nan, segment="overall"):
    return pd.DataFrame({"kpi": [kpi], "segment_by": ["overall"], "segment": [segment],
                         "value": [value], "n": [n], "se": [se]})


def test_nps_change_significance_known_answers():
    prev = _rows("nps", 20.0, 400, 4.0)
    # |Δ| = 12 > 1.96 × sqrt(4² + 3²) = 9.8 → significant
    r = hist.what_changed(prev, _rows("nps", 32.0, 400, 3.0)).iloc[0]
    assert r["test"] == "nps" and r["significant"] is True
    assert r["delta"] == pytest.approx(12.0) and r["z"] == pytest.approx(12 / 5)
    assert r["direction"] == "better"
    # |Δ| = 9 < 9.8 → not significant
    r = hist.what_changed(prev, _rows("nps", 11.0, 400, 3.0)).iloc[0]
    assert r["significant"] is False and r["direction"] == "worse"


def test_rate_change_two_proportion_known_answers():
    # 30/100 vs 15/100: pooled p = 0.225, z = 0.15 / sqrt(.225·.775·.02) = 0.15 / 0.059055 = 2.5400, p = 0.0111
    r = hist.what_changed(_rows("csat", 0.15, 100), _rows("csat", 0.30, 100)).iloc[0]
    assert r["test"] == "two-proportion"
    assert r["z"] == pytest.approx(2.5400, abs=1e-3)
    assert r["p_value"] == pytest.approx(0.0111, abs=1e-4)
    assert r["significant"] is True
    r = hist.what_changed(_rows("answer_rate", 0.85, 100), _rows("answer_rate", 0.86, 100)).iloc[0]
    assert r["significant"] is False
    # lower is better for abandonment
    r = hist.what_changed(_rows("abandonment_rate", 0.20, 1000), _rows("abandonment_rate", 0.10, 1000)).iloc[0]
    assert r["significant"] is True and r["direction"] == "better"


def test_no_test_where_none_applies():
    r = hist.what_changed(_rows("asa_s", 40.0, 100), _rows("asa_s", 55.0, 100)).iloc[0]
    assert r["test"] is None and r["significant"] is None and math.isnan(r["p_value"])
    r = hist.what_changed(_rows("csat", 0.5), _rows("csat", 0.6)).iloc[0]   # no n
    assert r["test"] is None and r["significant"] is None
    # only KPIs present in both audits
    assert hist.what_changed(_rows("csat", 0.5, 10), _rows("nps", 3.0, 10, 2.0)).empty


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(1, 5000), st.integers(1, 5000))
def test_swapping_audits_negates_change(p1, p2, n1, n2):
    a, b = _rows("csat", p1, n1), _rows("csat", p2, n2)
    ab, ba = hist.what_changed(a, b).iloc[0], hist.what_changed(b, a).iloc[0]
    assert ab["delta"] == pytest.approx(-ba["delta"])
    assert ab["significant"] == ba["significant"]
    if not math.isnan(ab["z"]):
        assert ab["z"] == pytest.approx(-ba["z"], abs=1e-9)


def test_previous_period_and_trend():
    h = pd.DataFrame({
        "client": ["a", "a", "a", "b"], "period": ["2026-Q3", "2026-10", "2026-09", "2026-11"],
        "period_start": ["2026-07-01", "2026-10-01", "2026-09-01", "2026-11-01"],
        "segment_by": "overall", "segment": "overall", "kpi": "nps", "value": [5.0, 9.0, 7.0, 1.0]})
    assert hist.previous_period(h, "a", "2026-10") == "2026-09"
    assert hist.previous_period(h, "a", "2026-09") == "2026-Q3"
    assert hist.previous_period(h, "a", "2026-Q3") is None
    assert hist.previous_period(h, "a", "2026-11") == "2026-10"   # not stored yet
    t = hist.trend(h, "a", ["nps", "csat"])
    assert t.index.tolist() == ["2026-Q3", "2026-09", "2026-10"]
    assert t["nps"].tolist() == [5.0, 7.0, 9.0] and "csat" not in t.columns
