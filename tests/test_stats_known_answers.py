"""Known answers for the intervals and tests of cxtoolkit.stats (published values and the
formulas of kpi-definitions.md computed by hand), at the edges where a wrong comparison or
constant would change a figure a reader sees."""
import math

import pytest

from cxtoolkit import stats


# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I,
# method 3 (Wilson score, no continuity correction), to 4 decimals.
@pytest.mark.parametrize("k, n, low, high", [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_published_values(k, n, low, high):
    lo, hi = stats.wilson_ci(k, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_wilson_one_answer():
    # n = 1, k = 1: the interval is [1 / (1 + z²), 1]; one answer is a sample, not "undefined"
    lo, hi = stats.wilson_ci(1, 1)
    assert lo == pytest.approx(1 / (1 + stats.Z95 ** 2), rel=1e-12)   # 0.2065
    assert hi == pytest.approx(1.0, rel=1e-12)
    assert all(math.isnan(x) for x in stats.wilson_ci(0, 0))


def test_nps_ci95_adjusted_is_the_formula_with_n_plus_3():
    # kpi-definitions.md: n + 3, promoters and detractors + 3/4 each, then the Wald half-width
    n, p, d = 100 + 3, 50 + 0.75, 20 + 0.75
    pp, pd_ = p / n, d / n
    expected = 1.96 * 100 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / n)   # 15.0754
    assert stats.nps_ci95_adjusted(50, 20, 100) == pytest.approx(expected, rel=1e-9)
    # small sample, where the correction matters most: 3 promoters, 1 detractor of 5
    n, p, d = 8, 3.75, 1.75
    pp, pd_ = p / n, d / n
    assert stats.nps_ci95_adjusted(3, 1, 5) == pytest.approx(
        1.96 * 100 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / n), rel=1e-9)


def test_nps_difference_is_significant_only_strictly_above_the_limit():
    # |ΔNPS| > 1.96 × sqrt(3² + 4²) = 1.96 × 5 = 9.8: a difference of exactly 9.8 is not
    assert 1.96 * 5.0 == 9.8
    assert stats.nps_diff_significant(9.8, 3.0, 0.0, 4.0) is False
    assert stats.nps_diff_significant(9.81, 3.0, 0.0, 4.0) is True
    assert stats.nps_diff_significant(0.0, 3.0, 9.81, 4.0) is True


def test_nps_change_pvalue_with_standard_errors_below_one_point():
    # a large sample gives SEs under 1 point: z = 1 / sqrt(0.3² + 0.4²) = 2, p = 0.0455
    assert stats.nps_diff_pvalue(1.0, 0.3, 0.0, 0.4) == pytest.approx(math.erfc(2 / math.sqrt(2)), rel=1e-9)
    assert math.isnan(stats.nps_diff_pvalue(1.0, 0.0, 0.0, 0.0))


def test_safe_div_with_a_denominator_below_one():
    # shares and hours are denominators too, not only counts
    assert stats.safe_div(1.0, 0.5) == 2.0
    assert stats.safe_div(3.0, 0.25) == 12.0
    assert math.isnan(stats.safe_div(1.0, 0.0)) and math.isnan(stats.safe_div(1.0, float("nan")))
