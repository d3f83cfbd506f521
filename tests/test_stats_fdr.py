"""Benjamini–Hochberg adjusted p-values and the NPS change's p-value (cxtoolkit.stats)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit import stats

scipy_stats = pytest.importorskip("scipy.stats")


def test_bh_known_answer_by_hand():
    # sorted 0.005 0.01 0.03 0.04 0.2 (m = 5): p·m/i = 0.025 0.025 0.05 0.05 0.2,
    # then the running minimum from the largest: unchanged here
    p = [0.04, 0.005, 0.2, 0.03, 0.01]
    assert stats.fdr_bh(p).tolist() == pytest.approx([0.05, 0.025, 0.2, 0.05, 0.025])
    # a larger p with a smaller scaled value pulls the ones before it down (monotone):
    # 0.01·3/1 = 0.03, 0.04·3/2 = 0.06 → min(0.06, 0.045) = 0.045, 0.045·3/3 = 0.045
    assert stats.fdr_bh([0.045, 0.01, 0.04]).tolist() == pytest.approx([0.045, 0.03, 0.045])
    # capped at 1; one test is its own adjustment
    assert stats.fdr_bh([0.9, 0.8]).tolist() == pytest.approx([0.9, 0.9])
    assert stats.fdr_bh([0.7]).tolist() == pytest.approx([0.7])


def test_bh_leaves_untested_rows_out_of_the_family():
    q = stats.fdr_bh([0.01, float("nan"), 0.04, float("nan")])
    assert math.isnan(q[1]) and math.isnan(q[3])
    assert q[[0, 2]].tolist() == pytest.approx([0.02, 0.04])        # m = 2, not 4
    assert np.isnan(stats.fdr_bh([float("nan")])).all() and stats.fdr_bh([]).size == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40))
def test_bh_equals_scipy_false_discovery_control(p):
    """An independent implementation: scipy.stats.false_discovery_control (method 'bh')."""
    ours = stats.fdr_bh(p)
    assert ours == pytest.approx(scipy_stats.false_discovery_control(p, method="bh"), abs=1e-12)
    # adjusted ≥ raw, ≤ 1, and the order of the p-values is kept
    assert (ours >= np.asarray(p) - 1e-12).all() and (ours <= 1).all()
    order = np.argsort(p, kind="stable")
    assert (np.diff(ours[order]) >= -1e-12).all()


def test_nps_change_pvalue_known_answer_and_the_ci_rule():
    # z = (32 − 20) / sqrt(3² + 4²) = 2.4, p = 2·(1 − Φ(2.4)) = 0.016395
    assert stats.nps_diff_pvalue(32.0, 3.0, 20.0, 4.0) == pytest.approx(0.016395, abs=1e-6)
    assert stats.nps_diff_pvalue(20.0, 4.0, 32.0, 3.0) == pytest.approx(0.016395, abs=1e-6)
    assert math.isnan(stats.nps_diff_pvalue(1.0, float("nan"), 2.0, 1.0))
    # the p-value agrees with the CI rule |Δ| > 1.96·sqrt(SE₁² + SE₂²) away from the boundary
    rng = np.random.default_rng(3)
    n1, n2 = rng.uniform(-50, 50, 500), rng.uniform(-50, 50, 500)
    s1, s2 = rng.uniform(1, 10, 500), rng.uniform(1, 10, 500)
    p = stats.nps_diff_pvalue(n1, s1, n2, s2)
    z = np.abs(n1 - n2) / np.sqrt(s1**2 + s2**2)
    clear = np.abs(z - 1.96) > 1e-3
    assert ((p < 0.05) == stats.nps_diff_significant(n1, s1, n2, s2))[clear].all()
