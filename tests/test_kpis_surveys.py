"""Known answers, computed by hand, for the survey KPIs.

Survey KPIs are figures from per-group counts: ``survey_counts`` (what is counted, each rule of
cxtoolkit.rules once: ``answer_flags``) then ``survey_figures`` (rates, NPS and its intervals,
means). The pandas engine counts with NumPy, the out-of-core engine counts in SQL generated
from the same ``answer_flags`` given DuckDB expressions; both make the KPIs with the one
``survey_figures``. Known answers by hand, counts additive over groups, SQL counts equal to the
NumPy counts on generated answers with edge scores (6, 6.5, 7, 8.5, 9; csat 2, 2.5, 4; missing).
"""
import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit import rules
from cxtoolkit.datasets import generate_contacts, generate_responses
from cxtoolkit.kpis.surveys import COUNTS, SUMS, answer_flags, survey_counts, survey_figures
from cxtoolkit.outofcore import survey_counts as sql_counts
from cxtoolkit.outofcore import survey_counts_sql
from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import survey_kpis

NAN = float("nan")
R = pd.DataFrame({
    "responded_at": pd.to_datetime(["2026-05-05"] * 5 + ["2026-06-10"] * 2),
    "csat": [5, 4, 3, 2, 1, NAN, NAN],
    "nps": [10, 9, 8, 6, 0, 7, 3],
    "ces": [7, 5, 4, NAN, NAN, NAN, 2],
    "channel": ["phone", "phone", "email", "email", "email", "phone", "chat"],
})


def cfg(**kpi):
    return ClientConfig(client="t", kpi=kpi)


def test_survey_known_answers():
    k = survey_kpis(R, cfg()).loc["overall"]
    assert k["n"] == 7 and k["too_few"]                          # 7 < 30
    assert k["csat_n"] == 5
    assert k["csat"] == pytest.approx(2 / 5)                     # 5, 4 are top-2
    assert k["csat_mean"] == pytest.approx((5 + 4 + 3 + 2 + 1) / 5)
    assert k["nps_n"] == 7
    # promoters 10, 9 -> 2; detractors 6, 0, 3 -> 3: 100 * (2 - 3) / 7
    assert k["nps"] == pytest.approx(-100 / 7)
    # pP = 2/7, pD = 3/7: var = 5/7 - (1/7)^2 = 0.693878; sqrt(var / 7) = 0.314841; * 196
    assert k["nps_ci95"] == pytest.approx(61.7089, abs=1e-3)
    # adjusted: pP = 2.75/10, pD = 3.75/10: var = 0.65 - 0.01 = 0.64; sqrt(0.64/10) = 0.252982; * 196
    assert k["nps_ci95_adjusted"] == pytest.approx(49.5845, abs=1e-3)
    assert k["ces_n"] == 4
    assert k["ces_mean"] == pytest.approx((7 + 5 + 4 + 2) / 4)
    assert k["ces_easy"] == pytest.approx(2 / 4)                 # 7, 5 are >= 5 on 1-7
    # csat <= 2 for rows with a csat: 2, 1; else nps <= 6: row 7 (nps 3); row 6 (nps 7) is not
    assert k["unhappy_share"] == pytest.approx(3 / 7)
    assert "response_rate" not in k.index


def test_ces_scale_5_and_min_answers():
    k = survey_kpis(R, cfg(ces_scale=5, min_answers=5)).loc["overall"]
    assert k["ces_easy"] == pytest.approx(3 / 4)                 # 7, 5, 4 are >= 4
    assert not k["too_few"]


def test_response_rate_overall_and_by_slicer():
    sends = pd.DataFrame({"sent_at": pd.to_datetime(["2026-05-01"] * 10 + ["2026-06-01"] * 4),
                          "channel": ["phone"] * 14})
    assert survey_kpis(R, cfg(), sends=sends).loc["overall", "response_rate"] == pytest.approx(7 / 14)
    m = survey_kpis(R, cfg(), by="month", sends=sends)
    assert m.loc["2026-05", "response_rate"] == pytest.approx(5 / 10)
    assert m.loc["2026-06", "response_rate"] == pytest.approx(2 / 4)
    c = survey_kpis(R, cfg(), by="channel", sends=sends)
    assert c.loc["phone", "response_rate"] == pytest.approx(3 / 14)
    assert math.isnan(c.loc["email", "response_rate"])          # no email sends: undefined


def test_by_channel_and_empty_scores_are_undefined():
    k = survey_kpis(R, cfg(), by="channel")
    assert k.loc["chat", "csat_n"] == 0 and math.isnan(k.loc["chat", "csat"])
    assert k.loc["chat", "nps"] == pytest.approx(-100.0)
    assert k["n"].sum() == 7
    only_csat = R.drop(columns=["nps", "ces"])
    k2 = survey_kpis(only_csat, cfg()).loc["overall"]
    assert math.isnan(k2["nps"]) and math.isnan(k2["nps_ci95"]) and math.isnan(k2["nps_ci95_adjusted"])
    assert k2["unhappy_share"] == pytest.approx(2 / 5)


def test_counts_known_answers():
    c = survey_counts(R, cfg()).loc["overall"]
    assert c[list(COUNTS)].tolist() == [7, 5, 2, 7, 2, 2, 3, 4, 2, 3, 7]
    # n, csat_n, top-2 (5, 4), nps_n, promoters (10, 9), passives (8, 7), detractors (6, 0, 3),
    # ces_n, easy (7, 5), unhappy (csat 2, 1; no csat: nps 3), answers with csat or nps
    assert (c["csat_sum"], c["ces_sum"]) == (15.0, 18.0)
    by = survey_counts(R, cfg(), by="month")
    assert by["promoters"].tolist() == [2, 0] and by["passives"].tolist() == [1, 1]


def test_figures_from_counts_known_answers():
    c = pd.DataFrame({"n": [40, 0], "csat_n": [20, 0], "csat_top2": [15, 0], "csat_sum": [80.0, 0.0],
                      "nps_n": [40, 0], "promoters": [20, 0], "passives": [10, 0], "detractors": [10, 0],
                      "ces_n": [10, 0], "ces_easy": [6, 0], "ces_sum": [52.0, 0.0], "unhappy": [5, 0],
                      "unhappy_n": [40, 0], "sent": [100.0, NAN]}, index=["a", "b"])
    f = survey_figures(c, cfg())
    a = f.loc["a"]
    assert (a["nps"], a["csat"], a["csat_mean"], a["ces_mean"], a["ces_easy"]) == (25.0, 0.75, 4.0, 5.2, 0.6)
    assert (a["unhappy_share"], a["response_rate"], a["too_few"]) == (0.125, 0.4, False)
    # pP = .5, pD = .25: var = .75 - .0625 = .6875; 196 * sqrt(.6875 / 40) = 196 * 0.131101 = 25.6958
    assert a["nps_ci95"] == pytest.approx(25.6958, abs=1e-4)
    assert f.loc["b"].drop(["n", "too_few", "csat_n", "nps_n", "ces_n"]).isna().all()


def test_kpis_are_figures_of_counts_and_counts_add_up():
    """Counts are additive: the overall counts are the sum of any cut's; the KPIs are the
    figures of the counts (survey_kpis is nothing else)."""
    contacts = generate_contacts(3000, cfg(), seed=2)
    r = generate_responses(contacts, cfg(), 1500, seed=2)
    s = pd.DataFrame({"sent_at": r["responded_at"], "channel": r["channel"]})
    for by in ("channel", "week", ["channel", "month"], "weekday"):
        parts = survey_counts(r, cfg(), by=by, sends=s)
        assert (parts.sum().to_numpy() == survey_counts(r, cfg(), sends=s).loc["overall"].to_numpy()).all()
        pd.testing.assert_frame_equal(survey_figures(parts, cfg()), survey_kpis(r, cfg(), by=by, sends=s))


def test_rules_are_the_sql_thresholds_never_retyped(monkeypatch):
    """The SQL counts are the rules of cxtoolkit.rules given DuckDB expressions: moving a
    threshold there moves it in the SQL."""
    sql = survey_counts_sql(cfg())
    assert f'("nps" >= {rules.PROMOTER_MIN})' in sql and f'("csat" <= {rules.CSAT_VERY_UNHAPPY_MAX})' in sql
    monkeypatch.setattr(rules, "PROMOTER_MIN", 10)
    monkeypatch.setattr(rules, "CES_EASY_MIN", {7: 6, 5: 4})
    moved = survey_counts_sql(cfg())
    assert '("nps" >= 10)' in moved and '("ces" >= 6)' in moved and '("nps" >= 9)' not in moved
    assert '("ces" >= 4)' in survey_counts_sql(cfg(ces_scale=5))


def _edge_answers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    contacts = generate_contacts(4000, cfg(), seed=seed)
    r = generate_responses(contacts, cfg(), n, seed=seed).reset_index(drop=True)
    out = pd.DataFrame({"responded_at": r["responded_at"], "channel": r["channel"],
                        "segment": r["segment"].astype("object").where(rng.random(n) > 0.05, None)})
    for col, edges in (("csat", [1, 2, 2.5, 3, 4, 5]), ("nps", [0, 6, 6.5, 7, 8, 8.5, 9, 10]),
                       ("ces", [1, 3, 4, 4.5, 5, 7])):
        v = r[col].to_numpy(dtype="float64", na_value=np.nan).copy()
        pick = rng.random(n) < 0.2
        v[pick] = rng.choice(edges, pick.sum())
        v[rng.random(n) < 0.1] = np.nan
        out[col] = v
    return out


@pytest.mark.parametrize("by", [None, ["channel"], ["month"], ["week"], ["channel", "month"], ["weekday", "hour"],
                                ["segment", "date"]])
@pytest.mark.parametrize("scale", [7, 5])
def test_sql_counts_equal_numpy_counts(by, scale):
    """The out-of-core counts (SQL) equal the pandas engine's (NumPy), group by group, same labels
    and order; the figures, made by the one survey_figures, equal the pandas engine's KPIs."""
    c = cfg(ces_scale=scale)
    r = _edge_answers(2500, seed=5 + scale)
    con = duckdb.connect()
    con.register("answers", r)
    keys = [(k, None if k in ("month", "week", "date", "hour", "weekday") else k) for k in by or []]
    got = sql_counts(con, "answers", c, keys)
    want = survey_counts(r, c, by=by)
    labels = [" | ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in want.index]
    assert list(got.index) == labels
    cols = list(COUNTS) + list(SUMS)
    assert (got[list(COUNTS)].to_numpy() == want[list(COUNTS)].to_numpy()).all()
    np.testing.assert_allclose(got[list(SUMS)].to_numpy(), want[list(SUMS)].to_numpy(), rtol=1e-12)
    figs = survey_figures(got[cols], c).set_axis(want.index)
    np.testing.assert_allclose(figs.to_numpy(dtype="float64"), survey_kpis(r, c, by=by).to_numpy(dtype="float64"),
                               rtol=1e-12, equal_nan=True)


scores = st.lists(st.tuples(*[st.one_of(st.none(), st.sampled_from(v)) for v in
                              ([1, 2, 2.5, 3, 4, 5], [0, 5, 6, 6.5, 7, 8.5, 9, 10], [1, 4, 4.5, 5, 7])]),
                  min_size=0, max_size=30)


@settings(max_examples=60, deadline=None)
@given(scores)
def test_answer_flags_same_in_numpy_and_sql(rows):
    """Each flag, per answer, is the same in NumPy (NaN: no answer) and in DuckDB (NULL)."""
    a = np.array([[NAN if v is None else v for v in r] for r in rows], dtype="float64").reshape(-1, 3)
    np_flags = answer_flags(a[:, 0], a[:, 1], a[:, 2])
    con = duckdb.connect()
    frame = pd.DataFrame(a, columns=["csat", "nps", "ces"])
    con.register("t", frame.assign(i=np.arange(len(frame))))
    from duckdb import ColumnExpression as C
    sql_flags = answer_flags(C("csat"), C("nps"), C("ces"))
    for key, expr in sql_flags.items():
        got = [bool(v) for (v,) in con.execute(f"SELECT coalesce({expr}, false) FROM t ORDER BY i").fetchall()]
        assert got == np_flags[key].tolist(), key
