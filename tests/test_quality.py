"""Quality monitoring: grids, scoring, agreement (Krippendorff, ICC), drift, sampling."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtoolkit import resources
from cxtoolkit import quality as q
from cxtoolkit.errors import InputError

GRID_DIR = resources.template("grids")

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", reliability data
# with 4 observers x 12 units and missing values; published alphas below.
N = np.nan
KRIPP = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
])


# ------------------------------------------------------------------------------ grids
def test_all_shipped_grids_validate_and_cover_the_four_sections():
    grids = q.list_grids(GRID_DIR)
    assert {g.country for g in grids} >= {None, "FR", "GB", "ES"}
    ids = None
    for g in grids:
        assert set(g.criteria["section"]) == set(q.SECTIONS)
        assert g.criteria["critical"].any()
        if ids is None:
            ids = set(g.criteria["criterion"])
        assert set(g.criteria["criterion"]) == ids  # same ids: comparable across countries


def test_country_variants_have_local_labels():
    assert q.load_grid("standard", "FR").label("identity_check") == "Vérification d'identité et RGPD"
    assert q.load_grid("standard", "ES").sections["voice_tone"] == "Voz y tono"
    assert q.load_grid("standard", "GB").language == "en"
    assert q.load_grid("standard", "DE").country is None  # falls back to the base grid


@pytest.mark.parametrize("crit,field,msg", [
    ({"weight": -1}, "criteria[0].weight", "number > 0"),
    ({"weight": "heavy"}, "criteria[0].weight", "number > 0"),
    ({"section": "speed"}, "criteria[0].section", "not one of"),
    ({"critical": "yes"}, "criteria[0].critical", "true or false"),
    ({"max_score": 0}, "criteria[0].max_score", "number > 0"),
    ({"label": ""}, "criteria[0].label", "non-empty"),
])
def test_grid_validation_names_file_and_field(tmp_path, crit, field, msg):
    import yaml
    base = {"id": "greeting", "section": "voice_tone", "weight": 1, "max_score": 4,
            "critical": False, "label": "Greeting"}
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump({"grid": "bad", "criteria": [{**base, **crit}]}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        q.load_grid(path)
    text = str(exc.value)
    assert str(path) in text and field in text and msg in text and "\n" not in text


def test_grid_validation_duplicates_and_yaml(tmp_path):
    p = tmp_path / "dup.yml"
    p.write_text("grid: g\ncriteria:\n - {id: a, section: voice_tone, label: A}\n"
                 " - {id: a, section: voice_tone, label: B}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup.yml: criteria\[1\].id: duplicate"):
        q.load_grid(p)
    p.write_text("grid: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        q.load_grid(p)
    with pytest.raises(InputError, match="no nope.yml"):
        q.load_grid("nope", folder=tmp_path)


# ----------------------------------------------------------------------------- scoring
def _full_marks(eval_id, contact="c1", agent="a1", evaluator="q1", country="FR", **changes):
    g = q.load_grid("standard", country)
    rows = []
    for r in g.criteria.itertuples():
        rows.append({"evaluation_id": eval_id, "contact_id": contact, "agent_id": agent,
                     "evaluator_id": evaluator, "evaluated_at": pd.Timestamp("2026-03-02 10:00"),
                     "criterion": r.criterion, "score": changes.get(r.criterion, r.max_score),
                     "max_score": r.max_score, "country": country, "grid": "standard"})
    return rows


def test_weighted_score_and_critical_rule_by_hand():
    # standard grid weights sum to 20.
    ev = pd.DataFrame(
        _full_marks("e1", greeting=2, empathy=3)          # 20 - 1*0.5 - 2*0.25 = 19 -> 95
        + _full_marks("e2", identity_check=0)             # raw 18/20 = 90, critical fail -> 0
        + _full_marks("e3", cultural_practice=np.nan, closing=0))  # 18/19 (n/a excluded)
    grids = [q.load_grid("standard", "FR")]
    s = q.score_evaluations(ev, grids).set_index("evaluation_id")
    assert s.loc["e1", "score"] == pytest.approx(95.0)
    assert s.loc["e2", "raw_score"] == pytest.approx(90.0) and s.loc["e2", "score"] == 0.0
    assert bool(s.loc["e2", "critical_fail"]) and not bool(s.loc["e1", "critical_fail"])
    assert s.loc["e3", "score"] == pytest.approx(100 * 18 / 19)
    assert s.loc["e3", "n_criteria"] == 11
    # input not mutated
    assert list(ev.columns) == ["evaluation_id", "contact_id", "agent_id", "evaluator_id",
                                "evaluated_at", "criterion", "score", "max_score", "country", "grid"]


def test_gb_variant_weights_are_used_for_gb_rows():
    # GB weighs ownership 3 (sum 21); ownership 0/4 -> 18/21
    ev = pd.DataFrame(_full_marks("g1", country="GB", ownership=0) + _full_marks("f1", ownership=0))
    grids = [q.load_grid("standard", "GB"), q.load_grid("standard", "FR")]
    s = q.score_evaluations(ev, grids).set_index("evaluation_id")["score"]
    assert s["g1"] == pytest.approx(100 * 18 / 21) and s["f1"] == pytest.approx(90.0)


def test_unknown_criterion_is_an_input_error():
    ev = pd.DataFrame(_full_marks("e1"))
    ev.loc[0, "criterion"] = "speed"
    with pytest.raises(InputError, match="criterion 'speed' is not in grid .*standard_fr.yml"):
        q.score_evaluations(ev, [q.load_grid("standard", "FR")])


def test_quality_by_levels_trend_and_criteria():
    ev = pd.DataFrame(_full_marks("e1", agent="a1", greeting=0) + _full_marks("e2", contact="c2", agent="a2"))
    ev.loc[ev["evaluation_id"] == "e2", "evaluated_at"] = pd.Timestamp("2026-03-10")
    agents = pd.DataFrame({"agent_id": ["a1", "a2"], "team": ["T1", "T1"], "vendor": ["V", "W"]})
    s = q.score_evaluations(ev, q.load_grid("standard", "FR"))
    assert q.quality_by(s, "team", agents)["score"].tolist() == pytest.approx([97.5])
    assert q.quality_by(s, "vendor", agents)["score"].tolist() == pytest.approx([95.0, 100.0])
    tr = q.quality_trend(s, "week")
    assert tr["week"].tolist() == ["2026-W10", "2026-W11"]
    assert q.quality_trend(s, "month")["month"].tolist() == ["2026-03"]
    cr = q.criterion_scores(ev, q.load_grid("standard", "FR"), locale="fr")
    assert cr.iloc[0]["criterion"] == "greeting" and cr.iloc[0]["attainment"] == 50.0
    assert cr.iloc[0]["label"].startswith("Accueil")


def test_perceived_vs_delivered_quadrants_by_hand():
    scored = pd.DataFrame({
        "evaluation_id": list("123456"), "contact_id": ["c1", "c1", "c2", "c3", "c4", "c5"],
        "agent_id": ["a", "a", "a", "b", "c", "d"], "score": [90, 70, 90, 60, 95, 50.0]})
    resp = pd.DataFrame({"contact_id": ["c1", "c2", "c3", "c4", "c4", "c5", "zz"],
                         "csat": [5, 4, 5, 2, 3, np.nan, 1.0]})
    out = q.perceived_vs_delivered(scored, resp).set_index("agent_id")
    # a: contacts c1 (mean 80) and c2 (90) -> 85; both csat top-2 -> 1.0
    assert out.loc["a", "n"] == 2 and out.loc["a", "score"] == 85.0 and out.loc["a", "csat"] == 1.0
    assert out.loc["a", "quadrant"] == "good"
    assert out.loc["b", "quadrant"] == "not_delivered"
    assert out.loc["c", "csat"] == 0.0 and out.loc["c", "quadrant"] == "not_perceived"
    assert np.isnan(out.loc["d", "csat"]) and pd.isna(out.loc["d", "quadrant"])  # no CSAT: undefined


# -------------------------------------------------------------------------- agreement
def test_krippendorff_published_worked_example():
    assert q.krippendorff_alpha_matrix(KRIPP, "interval") == pytest.approx(0.849, abs=5e-4)
    assert q.krippendorff_alpha_matrix(KRIPP, "nominal") == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_small_cases():
    perfect = pd.DataFrame({"unit": [1, 1, 2, 2], "value": [1.0, 1.0, 4.0, 4.0]})
    assert q.krippendorff_alpha(perfect) == 1.0
    constant = pd.DataFrame({"unit": [1, 1, 2, 2], "value": [3.0] * 4})
    assert np.isnan(q.krippendorff_alpha(constant))  # no variation: undefined, not 0
    single = pd.DataFrame({"unit": [1, 2, 3], "value": [1.0, 2.0, 3.0]})
    assert np.isnan(q.krippendorff_alpha(single))  # nothing pairable
    with pytest.raises(InputError):
        q.krippendorff_alpha(perfect, metric="ratio")


def _brute_alpha(units, values):
    """Textbook definition with explicit pairs (slow, for the property test)."""
    df = pd.DataFrame({"u": units, "v": values})
    df = df[df.groupby("u")["v"].transform("size") >= 2]
    n = len(df)
    do = sum(sum((a - b) ** 2 for a, b in itertools.permutations(g["v"], 2)) / (len(g) - 1)
             for _, g in df.groupby("u")) / n
    vals = df["v"].tolist()
    de = sum((a - b) ** 2 for a, b in itertools.permutations(vals, 2)) / (n * (n - 1))
    return 1 - do / de


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 10)), min_size=4, max_size=30),
       st.floats(0.5, 10), st.floats(-50, 50))
def test_alpha_matches_pairwise_definition_and_is_affine_invariant(pairs, a, b):
    units = np.array([p[0] for p in pairs])
    values = np.array([p[1] for p in pairs], dtype=float)
    df = pd.DataFrame({"unit": units, "value": values})
    got = q.krippendorff_alpha(df)
    m = df.groupby("unit")["value"].transform("size") >= 2
    if m.sum() < 2 or df.loc[m, "value"].nunique() < 2:
        assert np.isnan(got)
        return
    assert got == pytest.approx(_brute_alpha(units, values), abs=1e-9)
    assert q.krippendorff_alpha(df.assign(value=a * values + b)) == pytest.approx(got, abs=1e-9)


def test_bootstrap_ci_is_seeded_and_brackets_alpha():
    rng = np.random.default_rng(1)
    truth = rng.normal(70, 12, 200)
    df = pd.DataFrame({"unit": np.repeat(np.arange(200), 3),
                       "value": np.repeat(truth, 3) + rng.normal(0, 5, 600)})
    a = q.alpha_with_ci(df, n_boot=400, seed=7)
    b = q.alpha_with_ci(df, n_boot=400, seed=7)
    c = q.alpha_with_ci(df, n_boot=400, seed=8)
    assert a == b and a["ci95"] != c["ci95"]
    assert a["n_units"] == 200 and a["ci95"][0] < a["alpha"] < a["ci95"][1]
    assert 0.75 < a["alpha"] < 0.9  # 144 / (144 + 25) = 0.85 expected
    nominal = q.alpha_with_ci(pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "value": [1, 1, 2, 2, 3, 1]}),
                              metric="nominal", n_boot=50)
    assert nominal["alpha"] is not None and len(nominal["ci95"]) == 2


def test_icc_shrout_fleiss_example():
    m = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    d = pd.DataFrame({"unit": np.repeat(range(6), 4), "rater": np.tile(range(4), 6), "value": m.ravel()})
    out = q.icc(d)
    assert out["icc1"] == pytest.approx(0.166, abs=1e-3)
    assert out["icc2_1"] == pytest.approx(0.290, abs=1e-3)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 20)), min_size=1, max_size=25))
def test_leave_one_out_median_matches_brute_force(pairs):
    u = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs], dtype=float)
    got = q.loo_median(u, v)
    for i in range(len(v)):
        others = v[(u == u[i]) & (np.arange(len(v)) != i)]
        if len(others) == 0:
            assert np.isnan(got[i])
        else:
            assert got[i] == pytest.approx(np.median(others))


def _panel(n_calls=60, bias=None, seed=3):
    """Calls scored by 3 evaluators from a common truth; ``bias`` shifts some evaluators."""
    rng = np.random.default_rng(seed)
    bias = bias or {}
    rows = []
    g = q.load_grid("standard", "FR")
    for c in range(n_calls):
        level = rng.uniform(0.3, 1.0)
        for e in ("q1", "q2", "q3", "q4"):
            shift = bias.get(e, 0.0)
            for r in g.criteria.itertuples():
                if r.critical:
                    sc = 1.0
                else:
                    sc = float(np.clip(np.round(r.max_score * (level + shift) + rng.normal(0, 0.3)), 0, r.max_score))
                rows.append({"evaluation_id": f"{c}-{e}", "contact_id": f"c{c}", "agent_id": f"a{c % 5}",
                             "evaluator_id": e, "evaluated_at": pd.Timestamp("2026-03-02") + pd.Timedelta(days=c % 14),
                             "criterion": r.criterion, "score": sc, "max_score": r.max_score,
                             "country": "FR", "grid": "standard"})
    return pd.DataFrame(rows)


def test_calibration_flags_the_drifting_evaluator_and_builds_a_pack():
    ev = _panel(bias={"q3": -0.3})
    cal = q.calibration(ev, q.load_grid("standard", "FR"), n_boot=200, seed=0)
    drift = cal.evaluators.set_index("evaluator_id")
    assert bool(drift.loc["q3", "drifting"]) and drift.loc["q3", "mean_gap"] < -10
    assert not drift.loc["q1", "drifting"] and not drift.loc["q2", "drifting"]
    assert drift.loc["q1", "n"] == 60
    assert cal.overall["n_units"] == 60 and cal.overall["ci95"][0] <= cal.overall["alpha"]
    assert set(cal.by_criterion) == set(q.load_grid("standard").criteria["criterion"])
    # critical criteria all scored 1: no variation, alpha undefined rather than 0
    assert cal.by_criterion["identity_check"]["alpha"] is None
    assert len(cal.pack) == 10 and cal.pack["range"].is_monotonic_decreasing
    assert {"agent_id", "evaluators", "scores", "worst_criterion"} <= set(cal.pack.columns)
    unbiased = q.calibration(_panel(), q.load_grid("standard", "FR"), n_boot=0)
    assert not unbiased.evaluators["drifting"].any()
    assert unbiased.overall["alpha"] > cal.overall["alpha"]


def test_drift_needs_significance_not_just_size():
    # one call only: a large gap but no test possible -> not drifting
    units = pd.DataFrame({"contact_id": ["c1"] * 3, "evaluator_id": ["q1", "q2", "q3"],
                          "score": [90.0, 88.0, 40.0]})
    units = units.assign(consensus=q.loo_median(np.zeros(3, dtype=int), units["score"].to_numpy()))
    units = units.assign(gap=units["score"] - units["consensus"])
    d = q.evaluator_drift(units).set_index("evaluator_id")
    assert d.loc["q3", "mean_gap"] == -49.0 and not d["drifting"].any()


# --------------------------------------------------------------------------- sampling
def _contacts(n_agents=6, per_agent=12, seed=0):
    rng = np.random.default_rng(seed)
    n = n_agents * per_agent
    return pd.DataFrame({
        "contact_id": [f"k{i:04d}" for i in range(n)],
        "agent_id": np.repeat([f"a{j}" for j in range(n_agents)], per_agent),
        "received_at": pd.Timestamp("2026-03-02 09:00") + pd.to_timedelta(rng.integers(0, 5 * 24, n), unit="h"),
        "answered": True, "channel": "phone",
        "queue": rng.choice(["billing", "tech"], n),
        "talk_s": rng.gamma(2, 150, n), "hold_s": 0.0, "wrap_s": 30.0,
        "reason": rng.choice(["invoice", "réclamation", "order"], n, p=[0.5, 0.2, 0.3]),
    })


def test_sampling_plan_meets_target_with_the_reason_mix():
    c = _contacts()
    agents = pd.DataFrame({"agent_id": [f"a{j}" for j in range(6)],
                           "hired_on": pd.to_datetime(["2020-01-01"] * 5 + ["2026-02-01"])})
    plan = q.sampling_plan(c, "2026-W10", agents=agents)
    assert list(plan.columns[:3]) == ["contact_id", "agent_id", "reason"]
    per = plan.groupby("agent_id").size()
    assert (per.drop("a5") == 3).all() and per["a5"] == 6  # new agent oversampled x2
    assert set(plan["reason"]) <= set(q.REASONS)
    assert (plan.loc[plan["agent_id"] == "a5", "reason"] != "random").all()
    assert "new_agent" in set(plan["reason"]) and "complaint" in set(plan["reason"])
    assert plan["contact_id"].is_unique
    cm = c.set_index("contact_id")
    assert cm.loc[plan.loc[plan["reason"] == "complaint", "contact_id"], "reason"].eq("réclamation").all()
    # long ones are above their queue's P90
    ht = cm["talk_s"] + cm["wrap_s"]
    p90 = ht.groupby(cm["queue"]).quantile(0.9)
    longs = plan.loc[plan["reason"] == "long", "contact_id"]
    assert (ht[longs].to_numpy() > p90[cm.loc[longs, "queue"]].to_numpy()).all()


def test_sampling_plan_is_reproducible_and_order_independent():
    c = _contacts()
    a = q.sampling_plan(c, "2026-W10")
    b = q.sampling_plan(c.sample(frac=1, random_state=3), "2026-W10")
    pd.testing.assert_frame_equal(a, b)
    other = q.sampling_plan(c, "2026-W10", settings=q.QualitySettings(seed=99))
    assert set(other["contact_id"]) != set(a["contact_id"])
    assert q.sampling_plan(c, "2026-W20").empty  # nothing that week


def test_complaints_from_low_csat():
    c = _contacts().assign(reason="order", talk_s=100.0)
    resp = pd.DataFrame({"contact_id": ["k0001", "k0002"], "csat": [1.0, 5.0]})
    plan = q.sampling_plan(c, "2026-W10", responses=resp)
    comp = plan.loc[plan["reason"] == "complaint", "contact_id"].tolist()
    assert comp == ["k0001"] and "long" not in set(plan["reason"])  # equal times: none above P90


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 7), min_size=1, max_size=8), st.integers(1, 5), st.integers(0, 10_000))
def test_every_agent_covered_when_possible(sizes, target, seed):
    rows = []
    for j, k in enumerate(sizes):
        for i in range(k):
            rows.append({"contact_id": f"a{j}-{i}", "agent_id": f"a{j}",
                         "received_at": pd.Timestamp("2026-03-03"), "talk_s": float(i * 10 + j),
                         "reason": "complaint" if (i + seed) % 3 == 0 else "other"})
    c = pd.DataFrame(rows, columns=["contact_id", "agent_id", "received_at", "talk_s", "reason"])
    plan = q.sampling_plan(c, "2026-W10", settings=q.QualitySettings(reviews_per_agent_week=target, seed=seed))
    per = plan.groupby("agent_id").size()
    for j, k in enumerate(sizes):
        assert per.get(f"a{j}", 0) == min(k, target)
    assert plan["contact_id"].is_unique


def test_bad_week_is_an_input_error():
    with pytest.raises(InputError, match="YYYY-Www"):
        q.sampling_plan(_contacts(), "2026-10")
    with pytest.raises(InputError, match="no such ISO week"):
        q.iso_week_bounds("2026-W60")


def test_review_coverage_counts_zero_weeks():
    ev = pd.DataFrame({"evaluation_id": list("1234"), "contact_id": ["c1", "c2", "c3", "c4"],
                       "agent_id": ["a1", "a1", "a1", "a2"],
                       "evaluated_at": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-10"])})
    agents = pd.DataFrame({"agent_id": ["a1", "a2", "a3"]})
    cov = q.review_coverage(ev, agents, "2026-03-02", "2026-03-16", target=3)
    assert len(cov) == 6  # 3 agents x 2 weeks
    c = cov.set_index(["agent_id", "week"])
    assert c.loc[("a1", "2026-W10"), "met"] and c.loc[("a1", "2026-W11"), "reviews"] == 0
    assert c.loc[("a3", "2026-W10"), "reviews"] == 0
    summ = q.coverage_summary(cov).set_index("agent_id")
    assert summ.loc["a1", "weeks_met"] == 1 and summ.loc["a2", "reviews"] == 1


def test_settings_from_client_config():
    s = q.QualitySettings.from_config({"quality": {"reviews_per_agent_week": 5, "drift_points": 8}})
    assert s.reviews_per_agent_week == 5 and s.drift_points == 8.0
    with pytest.raises(InputError, match="unknown setting"):
        q.QualitySettings.from_config({"quality": {"reviews": 5}})


def test_report_and_commentary_in_both_languages():
    ev = _panel(bias={"q3": -0.3})
    agents = pd.DataFrame({"agent_id": [f"a{i}" for i in range(5)], "team": ["T1", "T2"] * 2 + ["T1"],
                           "vendor": "V1"})
    resp = pd.DataFrame({"contact_id": [f"c{i}" for i in range(60)], "csat": np.tile([5.0, 4, 2], 20)})
    rep = q.quality_report(ev, agents, resp, settings=q.QualitySettings(n_boot=100), locale="en")
    assert {"scored", "by_agent", "trend", "criteria", "perceived", "calibration", "coverage"} <= set(rep)
    text = " ".join(rep["commentary"])
    assert "q3" in text and "Krippendorff" in text
    fr = q.quality_commentary(rep, "fr")
    assert any("Note qualité moyenne" in line for line in fr)
    with pytest.raises(InputError, match="none left"):
        q.quality_report(ev, agents, resp, vendor="V2")


# ---------------------------------------------------------------------------- package
def test_the_package_namespace_reexports_every_public_function_of_its_modules():
    """``cxtoolkit.quality`` is a package with one module per concern; callers keep writing
    ``q.score_evaluations`` etc. (``frames`` holds the modules' shared helpers, not API)."""
    import importlib
    import pkgutil

    mods = [m.name for m in pkgutil.iter_modules(q.__path__)]
    assert {"grids", "scoring", "calibration", "sampling", "commentary", "report"} <= set(mods)
    for name in mods:
        if name == "frames":
            continue
        mod = importlib.import_module(f"cxtoolkit.quality.{name}")
        own = [k for k, v in vars(mod).items() if not k.startswith("_") and getattr(v, "__module__", "") == mod.__name__]
        assert own, name
        for k in own:
            assert k in q.__all__ and getattr(q, k) is getattr(mod, k), f"quality.{name}.{k}"
    assert all(hasattr(q, k) for k in q.__all__)


def test_drift_finding_says_the_gap_in_points_of_the_score():
    """A drifting evaluator's gap said with its unit ("q3 (−11 points sur 100)"), not "(-11)"."""
    import re
    from types import SimpleNamespace

    from cxtoolkit.quality.commentary import quality_commentary

    ev = pd.DataFrame({"evaluator_id": ["q3"], "n": [60], "mean_gap": [-11.2], "drifting": [True]})
    cal = SimpleNamespace(overall={"alpha": None}, evaluators=ev)
    fr = [s for s in quality_commentary({"calibration": cal}, "fr") if "q3" in s][0]
    en = [s for s in quality_commentary({"calibration": cal}, "en") if "q3" in s][0]
    assert re.search(r"q3 \([−-]11 points sur 100\)", fr), fr
    assert re.search(r"q3 \([−-]11 points out of 100\)", en), en


def test_a_partial_week_is_held_to_its_share_of_the_weekly_target():
    """October 2026 starts on a Thursday: its week 40 has 4 days of the month. Three reviews a
    week pro rata is ceil(3 × 4 / 7) = 2; an agent reviewed twice that week met it (the heatmap
    showed him red against a full week's 3), and the heatmap colours the share of the week's target."""
    from cxtoolkit.viz import quality as vq

    ev = pd.DataFrame({"evaluation_id": list("12345"), "contact_id": ["c1", "c2", "c3", "c4", "c5"],
                       "agent_id": ["a1", "a1", "a1", "a1", "a1"],
                       "evaluated_at": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06",
                                                       "2026-10-31"])})
    cov = q.review_coverage(ev, None, "2026-10-01", "2026-11-01", target=3).set_index("week")
    assert cov.loc["2026-W40", ["days", "target", "reviews"]].tolist() == [4, 2, 2] and cov.loc["2026-W40", "met"]
    assert cov.loc["2026-W41", ["days", "target", "reviews"]].tolist() == [7, 3, 2] and not cov.loc["2026-W41", "met"]
    assert cov.loc["2026-W44", ["days", "target", "reviews"]].tolist() == [6, 3, 1]   # 26–31 Oct: ceil(18/7)
    assert q.coverage_summary(cov.reset_index()).loc[0, "weeks_met"] == 1
    fig = vq.coverage_heatmap(cov.reset_index(), "en")
    z = dict(zip(fig.data[0].x, fig.data[0].z[0]))
    assert z["wk 40 2026"] == 1.0 and z["wk 41 2026"] == pytest.approx(2 / 3)
    assert [c[1] for c in fig.data[0].customdata[0]][:2] == [2, 3]   # the hover's target, per week
