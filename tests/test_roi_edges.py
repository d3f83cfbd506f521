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


def test_sensitivity_swing_is_the_distance_between_low_and_high():
    # EXAMPLE with F = 6000, ±50 %: retention 0.2 / 0.6 -> net 12000 / 48000, swing 36000;
    # fixed cost 3000 / 9000 -> net 33000 / 27000, swing 6000 (the tornado's bar lengths)
    inp = roi.make_inputs(customers_surveyed=12000, response_rate=0.25, unhappy_share=0.10,
                          retention_rate=0.40, acquisition_cost=300, fixed_cost=6000)
    t = roi.sensitivity(inp, share=0.5)
    assert t.loc["retention_rate", "swing"] == pytest.approx(36000)
    assert t.loc["fixed_cost", "swing"] == pytest.approx(6000)


def test_monte_carlo_percentiles_are_the_triangular_quantiles():
    # only the retention rate varies, triangular(0.2, 0.4, 0.6); net = 300 unhappy × k × 300 = 90000 k
    # quantile q <= 0.5: low + sqrt(q (high - low)(mode - low)) = 0.2 + sqrt(0.008) for q = 0.1
    inp = roi.make_inputs(customers_surveyed=12000, response_rate=0.25, unhappy_share=0.10,
                          retention_rate=0.40, acquisition_cost=300)
    mc = roi.monte_carlo(inp, {"retention_rate": (0.2, 0.4, 0.6)}, draws=100_000, seed=0)
    q10 = 0.2 + (0.1 * 0.4 * 0.2) ** 0.5      # 0.28944
    assert mc.p10 == pytest.approx(90000 * q10, rel=0.005)          # 26050 (seeded draws: 25978)
    assert mc.p50 == pytest.approx(90000 * 0.4, rel=0.002)          # 36000 (35981)
    assert mc.p90 == pytest.approx(90000 * (0.8 - q10), rel=0.004)  # 45950 (45909)
    assert mc.mean == pytest.approx(36000, rel=0.001)


def test_probability_of_positive_roi_does_not_count_a_break_even_draw():
    # 1000 × 0.5 × 0.25 = 125 unhappy, × 0.5 = 62.5 kept, × 80 = 5000 avoided = the fixed cost:
    # every draw has ROI exactly 0, which is not "ROI > 0" (roi-model.md)
    inp = roi.make_inputs(customers_surveyed=1000, response_rate=0.5, unhappy_share=0.25,
                          retention_rate=0.5, acquisition_cost=80, fixed_cost=5000)
    assert roi.compute(inp)["roi"] == 0.0
    mc = roi.monte_carlo(inp, {"retention_rate": (0.5, 0.5, 0.5)}, draws=10, seed=0)
    assert mc.prob_roi_positive == 0.0


def test_multi_year_discounts_year_y_by_one_plus_rate_to_the_y_minus_1():
    # 120 kept (roi-model.md example), margin 100, half of those still kept leave each year,
    # 10 % discount: year 1 12000 + 36000 avoided; year 2 60 × 100 / 1.1; year 3 30 × 100 / 1.21
    inp = roi.make_inputs(customers_surveyed=12000, response_rate=0.25, unhappy_share=0.10,
                          retention_rate=0.40, acquisition_cost=300, annual_margin=100)
    mv = roi.multi_year(inp, years=3, churn_rate=0.5, discount_rate=0.1)
    assert mv["customers_still_kept"].tolist() == pytest.approx([120, 60, 30])
    assert mv["retained_margin"].tolist() == pytest.approx([12000, 6000 / 1.1, 3000 / 1.21])
    assert mv["net_benefit"].tolist() == pytest.approx([48000, 6000 / 1.1, 3000 / 1.21])
    assert mv["cumulative_net_benefit"].iloc[-1] == pytest.approx(48000 + 6000 / 1.1 + 3000 / 1.21)  # 55933.88


def test_the_settings_defaults_are_read_from_one_place(monkeypatch):
    """The business case (deck, pages) and the app read client.yml's ``roi`` settings or
    :data:`roi.SETTING_DEFAULTS`: no second copy of 20 % / 3 years / 20 % churn in their code."""
    from cxtoolkit.report.business_case import build_business_case

    case = roi.prefill(edited={"annual_margin": 100.0})
    monkeypatch.setitem(roi.SETTING_DEFAULTS, "churn_rate", 0.5)
    monkeypatch.setitem(roi.SETTING_DEFAULTS, "years", 2)
    monkeypatch.setitem(roi.SETTING_DEFAULTS, "sensitivity_share", 0.1)
    bc = build_business_case(case, draws=1000)
    assert bc.share == 0.1 and list(bc.multi_year["year"]) == [1, 2]
    expected = roi.multi_year(case.inputs, 2, 0.5, 0.0)
    assert bc.multi_year["cumulative_net_benefit"].tolist() == expected["cumulative_net_benefit"].tolist()
    assert case.setting("years") == 2 and roi.RoiCase(case.inputs, {}, settings={"years": 4}).setting("years") == 4


def test_no_function_types_a_settings_default_again():
    """A parameter named like a simulation setting (draws, seed, spread, years…) takes its
    default from :data:`roi.SETTING_DEFAULTS`, not from a literal typed again
    (``monte_carlo(draws=100_000, seed=0)`` was a second copy)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(roi))
    typed = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        args = fn.args.args + fn.args.kwonlyargs
        defaults = [None] * (len(fn.args.args) - len(fn.args.defaults)) + list(fn.args.defaults) + list(fn.args.kw_defaults)
        typed += [f"{fn.name}({a.arg}=…)" for a, d in zip(args, defaults)
                  if a.arg in roi.SETTING_DEFAULTS and isinstance(d, ast.Constant) and d.value is not None]
    assert typed == []
