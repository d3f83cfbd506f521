"""Survey operations: response rates, pressure, the survey cap, barometer waves, NPS precision."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit import surveys_ops as so
from cxtoolkit.errors import InputError

T0 = pd.Timestamp("2026-01-01")


def test_response_rates_by_hand_and_undefined_when_no_sends():
    s = pd.DataFrame({"send_id": list("abcdef"), "channel": ["email"] * 4 + ["sms"] * 2,
                      "responded": [True, True, False, False, False, pd.NA]})
    out = so.response_rates(s).set_index("channel")
    assert out.loc["email", "response_rate"] == 0.5 and out.loc["sms", "response_rate"] == 0.0
    assert out.loc["email", "ci95_low"] < 0.5 < out.loc["email", "ci95_high"]
    overall = so.response_rates(s, by=None)
    assert overall["sends"].iloc[0] == 6 and overall["responses"].iloc[0] == 2
    # from responses when no responded flag
    s2 = s.drop(columns="responded")
    r = pd.DataFrame({"response_id": ["r1"], "channel": ["email"]})
    out2 = so.response_rates(s2, r).set_index("channel")
    assert out2.loc["email", "response_rate"] == 0.25 and out2.loc["sms", "responses"] == 0
    empty = so.response_rates(s.iloc[0:0], by=None)
    assert np.isnan(empty["response_rate"].iloc[0])
    with pytest.raises(InputError, match="no 'responded' column"):
        so.response_rates(s2)


def test_survey_pressure_per_quarter():
    s = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "c"],
                      "sent_at": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-03-30", "2026-01-10", "2026-04-02"])})
    out = so.survey_pressure(s, "quarter").set_index("period")
    assert out.loc["2026Q1", "customers"] == 2 and out.loc["2026Q1", "invitations"] == 4
    assert out.loc["2026Q1", "max"] == 3 and out.loc["2026Q1", "share_over_1"] == 0.5
    assert out.loc["2026Q2", "mean"] == 1.0
    with pytest.raises(InputError, match="period"):
        so.survey_pressure(s, "week")


def test_cap_by_hand_with_history():
    inv = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "c", None],
                        "sent_at": pd.to_datetime(["2026-01-01", "2026-01-20", "2026-02-05",
                                                   "2026-01-02", "2026-01-15", "2026-01-15"]),
                        "survey_type": ["hot", "cold", "hot", "hot", "cold", "hot"]})
    hist = pd.DataFrame({"customer_id": ["b", "c"], "sent_at": pd.to_datetime(["2025-12-20", "2025-11-01"])})
    kept, rep = so.apply_survey_cap(inv, hist, window_days=30)
    # a: 01-01 kept, 01-20 suppressed (19 d), 02-05 kept (35 d); b: 13 d after history -> suppressed
    # c: 75 d after history -> kept; no customer id -> kept (cannot be capped)
    assert kept["customer_id"].fillna("?").tolist() == ["a", "a", "c", "?"]
    assert rep == {"requested": 6, "sent": 4, "suppressed": 2, "suppressed_by_history": 1,
                   "suppressed_in_batch": 1, "window_days": 30.0}
    assert list(kept.columns) == list(inv.columns)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 200)), min_size=0, max_size=40),
       st.lists(st.tuples(st.integers(0, 5), st.integers(-60, 200)), max_size=6),
       st.integers(1, 45))
def test_cap_never_exceeded_and_nothing_suppressed_needlessly(inv, hist, window):
    inv_df = pd.DataFrame({"customer_id": [f"c{c}" for c, _ in inv],
                           "sent_at": pd.to_datetime([T0 + pd.Timedelta(days=d, hours=h % 7)
                                                      for h, (_, d) in enumerate(inv)])})
    hist_df = pd.DataFrame({"customer_id": [f"c{c}" for c, _ in hist],
                            "sent_at": pd.to_datetime([T0 + pd.Timedelta(days=d) for _, d in hist])})
    kept, rep = so.apply_survey_cap(inv_df, hist_df, window_days=window)
    win = pd.Timedelta(days=window)
    assert rep["sent"] + rep["suppressed"] == rep["requested"] == len(inv_df)
    assert rep["suppressed_by_history"] + rep["suppressed_in_batch"] == rep["suppressed"]
    allk = pd.concat([kept.assign(src="new"), hist_df.assign(src="hist")])
    for cust, g in allk.groupby("customer_id"):
        new = g.loc[g["src"] == "new", "sent_at"].sort_values()
        # never two kept within the window; no kept survey within the window of a past one
        assert (new.diff().dropna() >= win).all()
        for h in g.loc[g["src"] == "hist", "sent_at"]:
            assert ((new - h).abs() >= win).all()
    # every suppressed invitation had a reason: within the window of a kept or past survey
    sup = inv_df.drop(kept.index)
    for r in sup.itertuples():
        others = allk.loc[allk["customer_id"] == r.customer_id, "sent_at"]
        assert ((others - r.sent_at).abs() < win).any()


def test_customer_base_and_strata():
    contacts = pd.DataFrame({"customer_id": ["a", "a", "b", None], "segment": ["sme", "sme", "consumer", "x"]})
    resp = pd.DataFrame({"customer_id": ["a", "c"], "segment": ["consumer", pd.NA]})
    base = so.customer_base(contacts, resp).set_index("customer_id")
    assert base.loc["a", "stratum"] == "sme" and base.loc["c", "stratum"] == "(unknown)"
    assert len(base) == 3


def test_barometer_12000_into_quarters():
    rng = np.random.default_rng(0)
    base = pd.DataFrame({"customer_id": [f"K{i:05d}" for i in range(20_000)],
                         "stratum": rng.choice(["consumer", "sme", "key_account"], 20_000, p=[0.7, 0.25, 0.05])})
    w = so.barometer_waves(base, n_waves=4, per_wave=3_000, seed=1)
    assert len(w) == 12_000 and w["customer_id"].is_unique
    assert w.groupby("wave").size().tolist() == [3000] * 4
    share = pd.crosstab(w["wave"], w["stratum"], normalize="index")
    base_share = base["stratum"].value_counts(normalize=True)
    for s in base_share.index:
        assert (share[s] - base_share[s]).abs().max() < 0.01  # each wave mirrors the base
    again = so.barometer_waves(base.sample(frac=1, random_state=2), n_waves=4, per_wave=3_000, seed=1)
    pd.testing.assert_frame_equal(w, again)
    with pytest.raises(InputError, match="only 20,000 eligible"):
        so.barometer_waves(base, n_waves=4, per_wave=6_000)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=120), st.integers(1, 6),
       st.integers(0, 1000), st.data())
def test_barometer_no_customer_twice_and_balanced(strata, waves, seed, data):
    base = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(strata))], "stratum": strata})
    excluded = data.draw(st.lists(st.sampled_from(base["customer_id"].tolist()), max_size=10))
    eligible = len(base) - len(set(excluded))
    per = data.draw(st.one_of(st.none(), st.integers(0, eligible // waves)))
    w = so.barometer_waves(base, n_waves=waves, per_wave=per, exclude=excluded, seed=seed)
    assert w["customer_id"].is_unique
    assert not set(excluded) & set(w["customer_id"])
    assert len(w) == (eligible if per is None else per * waves)
    sizes = w.groupby("wave").size().reindex(range(1, waves + 1), fill_value=0)
    assert sizes.max() - sizes.min() <= 1
    if per is None:  # whole base: each stratum spread evenly over the waves
        ct = pd.crosstab(w["stratum"], w["wave"]).reindex(columns=range(1, waves + 1), fill_value=0)
        assert ((ct.max(axis=1) - ct.min(axis=1)) <= 1).all()


def test_last_year_cold_exclusion():
    sends = pd.DataFrame({"customer_id": ["a", "b", "c"], "survey_type": ["cold", "hot", "cold"],
                          "sent_at": pd.to_datetime(["2025-06-01", "2025-12-01", "2024-12-01"])})
    assert so.last_year_cold(sends, "2026-01-01").tolist() == ["a"]


def test_nps_margin_and_sample_size_by_hand():
    # pP 0.5, pD 0.2: var = 0.7 - 0.09 = 0.61; n = 1.96^2 * 0.61 / 0.05^2 = 937.4 -> 938
    assert so.nps_sample_size(0.5, 0.2, margin=5) == 938
    assert so.nps_margin_of_error(0.5, 0.2, 938) <= 5.0 < so.nps_margin_of_error(0.5, 0.2, 930)
    assert so.nps_sample_size(0.5, 0.5, margin=10) == 385  # worst case: var 1
    assert so.nps_sample_size(0.5, 0.2, margin=5, population=1000) < 938
    assert np.isnan(so.nps_margin_of_error(0.5, 0.2, 0))
    with pytest.raises(InputError):
        so.nps_sample_size(0.5, 0.2, margin=0)


def test_nps_precision_plan_per_segment():
    r = pd.DataFrame({"segment": ["sme"] * 10 + ["consumer"] * 4,
                      "nps": [10] * 5 + [7] * 3 + [2] * 2 + [9, 9, 0, 5]})
    out = so.nps_precision_plan(r, margin=10, response_rate=0.25).set_index("segment")
    assert out.loc["sme", "nps"] == pytest.approx(30.0)
    se = 100 * np.sqrt((0.5 + 0.2 - 0.09) / 10)
    assert out.loc["sme", "margin_of_error"] == pytest.approx(1.959963984540054 * se)
    assert out.loc["sme", "needed_n"] == 235 and out.loc["sme", "extra_n"] == 225
    assert out.loc["sme", "invitations_needed"] == 940
    assert out.loc["consumer", "nps"] == 0.0


def test_a_stratum_asked_for_that_no_table_has_is_an_error():
    contacts = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["sme", "consumer"]})
    with pytest.raises(InputError, match="region"):
        so.customer_base(contacts, stratum="region", required=True)
    # not required (the default segment of a client without one): one stratum, all
    assert set(so.customer_base(contacts, stratum="region")["stratum"]) == {"all"}


def test_response_rate_counts_the_sends_answered_never_above_100_percent():
    """Without a responded flag, the responses count the sends they answer: a second answer
    to a send, or an answer to a send not in the file, does not push the rate past 100 %."""
    s = pd.DataFrame({"send_id": ["a", "b", "c", "d"], "channel": ["email", "email", "email", "sms"]})
    r = pd.DataFrame({"response_id": ["r1", "r2", "r3", "r4", "r5"], "send_id": ["a", "a", "b", "zz", None],
                      "channel": ["email"] * 5})
    out = so.response_rates(s, r).set_index("channel")
    assert out.loc["email", ["sends", "responses"]].tolist() == [3, 2]      # a (twice) and b
    assert out.loc["email", "response_rate"] == pytest.approx(2 / 3)
    assert out.loc["sms", "responses"] == 0
    overall = so.response_rates(s, r, by=None)
    assert overall["responses"].iloc[0] == 2 and overall["response_rate"].iloc[0] == 0.5


def test_response_rate_of_answers_whose_send_id_column_is_empty_counts_the_answers():
    """A survey export with a ``send_id`` column nobody filled links no answer to a send: the
    answers are counted as before (grouped like the sends), not read as 0 % answered."""
    s = pd.DataFrame({"send_id": ["a", "b", "c", "d"], "channel": ["email", "email", "email", "sms"]})
    r = pd.DataFrame({"response_id": ["r1", "r2", "r3"], "send_id": pd.array([None, None, None], dtype="string"),
                      "channel": ["email", "email", "sms"]})
    out = so.response_rates(s, r).set_index("channel")
    assert out["responses"].tolist() == [2, 1]
    assert out.loc["email", "response_rate"] == pytest.approx(2 / 3)
