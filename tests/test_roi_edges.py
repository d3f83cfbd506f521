"""Known answers of the ROI model (roi-model.md) where a mutation run showed the other tests
would not catch a wrong number."""
import pytest

from cxtoolkit import roi


def test_ratios_hold_when_cost_and_break_even_denominator_are_below_one():
    # N=1 r=0.5 u=0.5 -> 0.25 unhappy; k=1 -> 0.25 kept; C=2 -> 0.5 avoided; F=0.25
    # net = 0.5 - 0.25 = 0.25; roi = 0.25 / 0.25 = 1; break-even k = 0.25 / (0.25 * 2) = 0.5
    out = roi.compute(roi.make_inputs(customers_surveyed=1, response_rate=0.5, unhappy_share=0.5,
                                      retention_rate=1.0, acquisition_cost=2, fixed_cost=0.25))
    assert out["net_benefit"] == pytest.approx(0.25)
    assert out["roi"] == pytest.approx(1.0)
    assert out["break_even_retention_rate"] == pytest.approx(0.5)
