"""Cross-country comparability (cxtoolkit.comparability)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit import stats
from cxtoolkit.comparability import (comment_comparison, country_comparison, load_benchmarks,
                                     normalise_scores)
from cxtoolkit.errors import InputError

BENCH = {"FR": {"nps": 0, "csat": 0.7, "nps_mean": 7.0, "nps_sd": 2.0, "csat_mean": 3.8, "csat_sd": 1.0},
         "GB": {"nps": 40, "csat": 0.85, "nps_mean": 8.5, "nps_sd": 1.0, "csat_mean": 4.2, "csat_sd": 0.8},
         "default": {"nps": 10, "csat": 0.75, "nps_mean": 7.5, "nps_sd": 2.0, "csat_mean": 4.0, "csat_sd": 1.0}}


@pytest.fixture
def resp():
    # FR: nps 9,9,8,6 -> P2 D1 -> 25 ; GB: 10,9,9,9,7 -> P4 D0 -> 80 ; DE (default): 10,5 -> 0
    return pd.DataFrame({
        "country": ["FR"] * 4 + ["GB"] * 5 + ["DE"] * 2,
        "nps": [9, 9, 8, 6, 10, 9, 9, 9, 7, 10, 5.0],
        "csat": [4, 4, 4, 2, 5, 5, 4, 3, 3, 5, 1.0],
        "touchpoint": ["delivery", "invoice"] * 5 + ["delivery"],
    })


def test_known_answers_raw_and_normalised(resp):
    t = country_comparison(resp, BENCH).set_index("country")
    assert t.loc["FR", "nps"] == pytest.approx(25.0)
    assert t.loc["GB", "nps"] == pytest.approx(80.0)
    assert t.loc["DE", "nps"] == pytest.approx(0.0)
    assert t.loc["FR", "nps_gap"] == pytest.approx(25.0)
    assert t.loc["GB", "nps_gap"] == pytest.approx(40.0)
    assert t.loc["DE", "nps_gap"] == pytest.approx(-10.0)
    assert t.loc["DE", "benchmark_source"] == "default"
    assert t.loc["GB", "csat"] == pytest.approx(0.6) and t.loc["GB", "csat_gap"] == pytest.approx(-0.25)
    # z vs benchmark: FR mean of (9,9,8,6 - 7)/2 = 0.5 ; GB mean of (10,9,9,9,7 - 8.5)/1 = 0.3
    assert t.loc["FR", "nps_z"] == pytest.approx(0.5)
    assert t.loc["GB", "nps_z"] == pytest.approx(0.3)
    se = stats.nps_se(2, 1, 4)
    assert t.loc["FR", "nps_gap_significant"] == (25 > 1.96 * se)
    assert (t["ranking_basis"] == "nps_gap_to_benchmark").all()
    assert t["rank"].tolist() == t["rank_normalised"].tolist()


def test_ranking_basis_changes_the_order():
    r = pd.DataFrame({"country": ["FR"] * 4 + ["GB"] * 4, "nps": [9, 9, 7, 7, 10, 9, 9, 9.0]})
    b = {"FR": {"nps": 0}, "GB": {"nps": 70}}
    norm = country_comparison(r, b).set_index("country")
    raw = country_comparison(r, b, basis="raw").set_index("country")
    assert norm.loc["FR", "rank"] == 1 and norm.loc["GB", "rank"] == 2
    assert raw.loc["FR", "rank"] == 2 and raw.loc["GB", "rank"] == 1
    assert (raw["ranking_basis"] == "nps_raw").all()
    # both views are always shown side by side
    assert {"nps", "nps_gap", "rank_raw", "rank_normalised"} <= set(raw.columns)
    txt = comment_comparison(norm.reset_index(), "fr")
    assert any("classement change" in s for s in txt)


def test_csat_metric_and_too_few(resp):
    t = country_comparison(resp, BENCH, metric="csat", min_answers=3).set_index("country")
    assert (t["ranking_basis"] == "csat_gap_to_benchmark").all()
    assert bool(t.loc["DE", "too_few"]) and pd.isna(t.loc["DE", "rank"])
    # FR csat 0.75 gap +0.05 ; GB 0.6 gap -0.25
    assert t.loc["FR", "rank"] == 1 and t.loc["GB", "rank"] == 2


def test_by_stage_within_country_z(resp):
    t = country_comparison(resp, BENCH, by="touchpoint")
    assert set(t.columns) >= {"nps_z_within", "csat_z_within", "touchpoint"}
    fr = t[t["country"] == "FR"].set_index("touchpoint")
    # FR scores 9,9,8,6 mean 8 sd(ddof=1) 1.4142: delivery (9,8) -> mean z 0.3536
    assert fr.loc["delivery", "nps_z_within"] == pytest.approx(((9 - 8) + (8 - 8)) / 2 / np.sqrt(2))
    assert t.groupby("touchpoint")["rank"].min().eq(1).all()


def test_normalise_scores_data_reference_and_no_mutation(resp):
    before = resp.copy()
    z = normalise_scores(resp, BENCH, reference="data")
    pd.testing.assert_frame_equal(resp, before)
    assert z.groupby("country")["nps_z"].mean().abs().max() < 1e-12


def test_template_table_loads_and_errors(tmp_path):
    b = load_benchmarks()
    assert {"FR", "GB", "ES", "default"} <= set(b)
    assert b["GB"]["nps"] > b["FR"]["nps"]
    bad = tmp_path / "b.yml"
    bad.write_text("countries:\n  FR: {nps_sd: 0}\n")
    with pytest.raises(InputError, match="nps_sd must be positive"):
        load_benchmarks(bad)
    bad.write_text("countries:\n  FR: {nope: 1}\n")
    with pytest.raises(InputError, match="unknown field"):
        load_benchmarks(bad)
    with pytest.raises(InputError, match="country"):
        country_comparison(pd.DataFrame({"nps": [1.0]}), BENCH)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["FR", "GB", "ES"]), st.integers(0, 10)), min_size=1, max_size=60),
       st.floats(-50, 50))
def test_gap_is_raw_minus_benchmark(rows, shift):
    r = pd.DataFrame(rows, columns=["country", "nps"]).astype({"nps": float})
    b = {c: {"nps": shift + i} for i, c in enumerate(["FR", "GB", "ES"])}
    t = country_comparison(r, b)
    assert np.allclose(t["nps_gap"], t["nps"] - t["nps_benchmark"])
    assert t["rank"].min() == 1
