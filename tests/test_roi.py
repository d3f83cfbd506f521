"""Satisfaction ROI model: known answers, validation, prefill, sensitivity, Monte Carlo."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit import roi
from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError

EXAMPLE = dict(customers_surveyed=12000, response_rate=0.25, unhappy_share=0.10,
               retention_rate=0.40, acquisition_cost=300)


def test_roi_model_md_example():
    out = roi.compute(roi.make_inputs(**EXAMPLE))
    assert out["respondents"] == 3000
    assert out["unhappy_detected"] == pytest.approx(300)
    assert out["customers_retained"] == pytest.approx(120)
    assert out["avoided_acquisition_cost"] == pytest.approx(36000)
    assert out["retained_margin"] == 0 and out["program_cost"] == 0
    assert out["net_benefit"] == pytest.approx(36000)
    assert math.isnan(out["roi"])  # no programme cost: ROI undefined, not 0
    assert math.isnan(out["break_even_retention_rate"]) is False
    assert out["break_even_retention_rate"] == 0  # nothing to pay back
    assert set(out) == set(roi.OUTPUT_KEYS)


def test_hand_computed_with_margin_and_costs():
    # N=2000 r=0.5 u=0.2 -> 1000 respondents, 200 unhappy; k=0.25 -> 50 kept
    # avoided 50*400=20000; margin 50*120=6000; gross 26000
    # cost 5000 + 2000*1.5 + 200*20 = 12000; net 14000; roi 14000/12000
    # break-even k = 12000 / (200*(400+120)) = 0.11538...
    inp = roi.make_inputs(customers_surveyed=2000, response_rate=0.5, unhappy_share=0.2,
                          retention_rate=0.25, acquisition_cost=400, annual_margin=120,
                          fixed_cost=5000, cost_per_invite=1.5, cost_per_recovery=20)
    out = roi.compute(inp)
    assert out["customers_retained"] == pytest.approx(50)
    assert out["avoided_acquisition_cost"] == pytest.approx(20000)
    assert out["retained_margin"] == pytest.approx(6000)
    assert out["gross_benefit"] == pytest.approx(26000)
    assert out["program_cost"] == pytest.approx(12000)
    assert out["net_benefit"] == pytest.approx(14000)
    assert out["roi"] == pytest.approx(14000 / 12000)
    assert out["break_even_retention_rate"] == pytest.approx(12000 / 104000)


def test_break_even_undefined_when_nobody_unhappy():
    out = roi.compute(roi.make_inputs(**{**EXAMPLE, "unhappy_share": 0, "fixed_cost": 100}))
    assert math.isnan(out["break_even_retention_rate"])
    assert out["roi"] == -1.0


@pytest.mark.parametrize("key,value,fragment", [
    ("response_rate", 1.2, "response_rate (Response rate): must be a share between 0 and 1"),
    ("unhappy_share", -0.1, "unhappy_share"),
    ("retention_rate", float("nan"), "retention_rate (Retention rate after follow-up): must be a finite"),
    ("customers_surveyed", -5, "customers_surveyed (Customers surveyed): must be zero or more"),
    ("acquisition_cost", "abc", "acquisition_cost (Customer acquisition cost): must be a number"),
    ("fixed_cost", -1, "fixed_cost"),
    ("cost_per_recovery", float("inf"), "cost_per_recovery"),
    ("annual_margin", True, "must be a number"),
])
def test_impossible_inputs_refused_not_clipped(key, value, fragment):
    with pytest.raises(InputError, match=None) as exc:
        roi.make_inputs(**{**EXAMPLE, key: value})
    msg = str(exc.value)
    assert fragment in msg and "\n" not in msg


def test_missing_and_unknown_inputs():
    with pytest.raises(InputError, match="acquisition_cost .*required"):
        roi.make_inputs(customers_surveyed=1, response_rate=0.1, unhappy_share=0.1, retention_rate=0.1)
    with pytest.raises(InputError, match="not an input"):
        roi.make_inputs(**EXAMPLE, margin=3)


def test_labels_fr_en():
    assert roi.label("customers_retained", "fr") == "Clients conservés"
    assert roi.label("customers_retained", "en") == "Customers kept"
    assert all(k in roi.LABELS for k in roi.INPUT_KEYS + roi.OUTPUT_KEYS)


# ------------------------------------------------------------------ prefill from data
def _frames():
    sends = pd.DataFrame({"send_id": [f"s{i}" for i in range(6)],
                          "customer_id": pd.array(["a", "b", "c", "d", "a", None], dtype="string")})
    responses = pd.DataFrame({
        "response_id": ["r1", "r2", "r3", "r4"],
        "customer_id": pd.array(["a", "b", "zz", "b"], dtype="string"),
        "csat": [1.0, np.nan, 5.0, 4.0],
        "nps": [9.0, 3.0, np.nan, np.nan],
    })
    return sends, responses


def test_inputs_from_data_known_answers():
    sends, responses = _frames()
    before = (sends.copy(), responses.copy())
    vals, notes = roi.inputs_from_data(sends, responses)
    assert vals["customers_surveyed"] == 4          # a b c d
    assert vals["response_rate"] == 2 / 4           # a and b answered (zz was not surveyed)
    # r1 csat 1 -> unhappy; r2 no csat, nps 3 -> unhappy; r3 csat 5; r4 csat 4
    assert vals["unhappy_share"] == 2 / 4
    assert set(notes) == set(vals)
    pd.testing.assert_frame_equal(sends, before[0])
    pd.testing.assert_frame_equal(responses, before[1])


def test_inputs_from_data_without_customer_id():
    sends = pd.DataFrame({"send_id": list("abcde"), "responded": [True, False, True, False, False]})
    vals, _ = roi.inputs_from_data(sends, pd.DataFrame({"nps": [10.0, 6.0, 7.0]}))
    assert vals == {"customers_surveyed": 5, "response_rate": 0.4, "unhappy_share": 1 / 3}
    vals, _ = roi.inputs_from_data(pd.DataFrame({"send_id": list("abcd")}),
                                   pd.DataFrame({"csat": [2.0]}))
    assert vals == {"customers_surveyed": 4, "response_rate": 0.25, "unhappy_share": 1.0}
    assert roi.inputs_from_data(None, None) == ({}, {})


def test_prefill_sources_and_precedence():
    sends, responses = _frames()
    cfg = ClientConfig(client="acme", roi={"acquisition_cost": 250, "response_rate": 0.9,
                                           "ranges": {"retention_rate": [0.2, 0.3, 0.5]},
                                           "years": 4, "churn_rate": 0.1})
    case = roi.prefill(cfg, sends, responses, edited={"retention_rate": 0.3, "fixed_cost": None})
    assert case.sources == {"customers_surveyed": "data", "response_rate": "data",
                            "unhappy_share": "data", "retention_rate": "edited",
                            "acquisition_cost": "assumption", "annual_margin": "default",
                            "fixed_cost": "default", "cost_per_invite": "default",
                            "cost_per_recovery": "default"}
    assert case.inputs.response_rate == 0.5 and case.inputs.acquisition_cost == 250
    assert case.ranges == {"retention_rate": (0.2, 0.3, 0.5)}
    assert case.settings == {"years": 4, "churn_rate": 0.1}
    frame = case.inputs_frame("fr")
    assert frame.loc["acquisition_cost", "source_label"] == "hypothèse client.yml"
    edited = case.edit(acquisition_cost=400, unhappy_share=case.inputs.unhappy_share)
    assert edited.sources["acquisition_cost"] == "edited"
    assert edited.sources["unhappy_share"] == "data"  # unchanged value keeps its source
    assert case.inputs.acquisition_cost == 250  # original untouched


@pytest.mark.parametrize("roi_cfg,fragment", [
    ({"retention_rate": 1.4}, "client.yml roi retention_rate"),
    ({"acquisiton_cost": 3}, "unknown key"),
    ({"ranges": {"retention_rate": [0.5, 0.3, 0.6]}}, "low ≤ likely ≤ high"),
    ({"ranges": {"retention_rate": [0.5, 0.6, 1.6]}}, "ranges.retention_rate"),
    ({"years": 0}, "roi.years"),
    ({"churn_rate": 2}, "roi.churn_rate"),
])
def test_prefill_bad_client_yml(roi_cfg, fragment):
    with pytest.raises(InputError) as exc:
        roi.prefill(ClientConfig(client="acme", roi=roi_cfg))
    assert fragment in str(exc.value)


# ------------------------------------------------------------------ beyond the point estimate
def test_sensitivity_known_answers():
    inp = roi.make_inputs(**{**EXAMPLE, "fixed_cost": 6000})
    t = roi.sensitivity(inp, share=0.5)
    # retention 0.2 / 0.6 -> avoided 18000 / 54000, net 12000 / 48000
    assert t.loc["retention_rate", ["low", "high"]].tolist() == pytest.approx([12000, 48000])
    assert t.loc["fixed_cost", ["low", "high"]].tolist() == pytest.approx([33000, 27000])
    assert t["swing"].is_monotonic_decreasing
    assert "annual_margin" not in t.index  # zero inputs do not move
    # rates stay within [0, 1]
    t2 = roi.sensitivity(roi.make_inputs(**{**EXAMPLE, "retention_rate": 0.9}), share=0.5)
    assert t2.loc["retention_rate", "high_value"] == 1.0
    with pytest.raises(InputError):
        roi.sensitivity(inp, share=1.5)


def test_monte_carlo_seeded_and_consistent():
    inp = roi.make_inputs(**{**EXAMPLE, "fixed_cost": 20000})
    a = roi.monte_carlo(inp, draws=5000, seed=7)
    b = roi.monte_carlo(inp, draws=5000, seed=7)
    c = roi.monte_carlo(inp, draws=5000, seed=8)
    np.testing.assert_array_equal(a.net_benefit, b.net_benefit)
    assert not np.array_equal(a.net_benefit, c.net_benefit)
    assert a.p10 < a.p50 < a.p90
    assert a.prob_roi_positive == pytest.approx(np.mean(a.net_benefit > 0))
    # degenerate ranges give the point estimate
    fixed = roi.monte_carlo(inp, ranges={"retention_rate": (0.4, 0.4, 0.4)}, draws=10)
    assert fixed.p10 == fixed.p90 == pytest.approx(16000)
    # triangular (0, 0.4, 0.8) on k: mean k 0.4 -> mean net 16000
    tri = roi.monte_carlo(inp, ranges={"retention_rate": (0, 0.4, 0.8)}, draws=200_000, seed=1)
    assert tri.mean == pytest.approx(16000, rel=0.01)
    with pytest.raises(InputError, match="retention_rate"):
        roi.monte_carlo(inp, ranges={"retention_rate": (0.1, 0.5, 1.2)})
    assert math.isnan(roi.monte_carlo(roi.make_inputs(**EXAMPLE), draws=10).prob_roi_positive)


def test_scenarios_and_multi_year():
    inp = roi.make_inputs(**{**EXAMPLE, "cost_per_recovery": 10})
    sc = roi.named_scenarios(inp, spread=0.5)
    assert sc["prudent"].cost_per_recovery == 15 and sc["ambitious"].cost_per_recovery == 5
    df = roi.compare_scenarios(sc, locale="fr")
    assert df.loc["net_benefit", "central"] == pytest.approx(36000 - 3000)
    assert df.loc["net_benefit", "prudent"] < df.loc["net_benefit", "central"] < df.loc["net_benefit", "ambitious"]
    assert df.loc["net_benefit", "label"] == "Gain net"
    mv = roi.multi_year(inp.replace(annual_margin=50), years=3, churn_rate=0.5, discount_rate=0.0)
    # 120 kept: y1 36000 + 6000 - 3000 = 39000; y2 60 kept * 50 = 3000; y3 30*50 = 1500
    assert mv["net_benefit"].tolist() == pytest.approx([39000, 3000, 1500])
    assert mv["cumulative_net_benefit"].iloc[-1] == pytest.approx(43500)
    assert mv["net_benefit"].iloc[0] == pytest.approx(roi.compute(inp.replace(annual_margin=50))["net_benefit"])
    with pytest.raises(InputError, match="years"):
        roi.multi_year(inp, years=0)


# ------------------------------------------------------------------ properties
rate = st.floats(0, 1)
money = st.floats(0, 1e5)
count = st.floats(0, 1e6)


@settings(max_examples=60, deadline=None)
@given(N=count, r=rate, u=rate, k1=rate, k2=rate, C1=money, C2=money, m=money, F=money, s=st.floats(0, 10), c=st.floats(0, 100))
def test_benefit_monotone_in_retention_and_acquisition_cost(N, r, u, k1, k2, C1, C2, m, F, s, c):
    base = dict(customers_surveyed=N, response_rate=r, unhappy_share=u, annual_margin=m,
                fixed_cost=F, cost_per_invite=s, cost_per_recovery=c)
    lo_k, hi_k = sorted((k1, k2))
    lo_c, hi_c = sorted((C1, C2))
    a = roi.compute(roi.make_inputs(**base, retention_rate=lo_k, acquisition_cost=lo_c))
    b = roi.compute(roi.make_inputs(**base, retention_rate=hi_k, acquisition_cost=lo_c))
    d = roi.compute(roi.make_inputs(**base, retention_rate=lo_k, acquisition_cost=hi_c))
    for x in (b, d):
        assert x["net_benefit"] >= a["net_benefit"] - 1e-6 * max(1.0, abs(a["net_benefit"]))
        assert x["gross_benefit"] >= a["gross_benefit"] - 1e-9
    out = a
    assert out["net_benefit"] == pytest.approx(out["gross_benefit"] - out["program_cost"])


@settings(max_examples=60, deadline=None)
@given(N=st.floats(1, 1e6), r=st.floats(0.01, 1), u=st.floats(0.01, 1), C=st.floats(1, 1e4),
       m=money, F=st.floats(1, 1e6), s=st.floats(0, 10), c=st.floats(0, 100))
def test_roi_zero_at_break_even(N, r, u, C, m, F, s, c):
    base = dict(customers_surveyed=N, response_rate=r, unhappy_share=u, acquisition_cost=C,
                annual_margin=m, fixed_cost=F, cost_per_invite=s, cost_per_recovery=c)
    be = roi.compute(roi.make_inputs(**base, retention_rate=0.5))["break_even_retention_rate"]
    assert be > 0
    if be <= 1:
        out = roi.compute(roi.make_inputs(**base, retention_rate=be))
        assert out["roi"] == pytest.approx(0, abs=1e-9)
        assert out["net_benefit"] == pytest.approx(0, abs=1e-9 * out["program_cost"])


@settings(max_examples=30, deadline=None)
@given(k=rate, share=st.floats(0, 1))
def test_sensitivity_brackets_base(k, share):
    inp = roi.make_inputs(**{**EXAMPLE, "retention_rate": k, "fixed_cost": 1000})
    t = roi.sensitivity(inp, share=share)
    assert ((t["low_value"] >= 0) & (t["high_value"] >= t["low_value"])).all()
    assert (t.loc[t.index.isin(roi.RATE_INPUTS), "high_value"] <= 1).all()
    lo = np.minimum(t["low"], t["high"])
    hi = np.maximum(t["low"], t["high"])
    assert ((lo <= t["base"] + 1e-6) & (t["base"] <= hi + 1e-6)).all()
