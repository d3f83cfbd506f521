"""Journey friction map, key drivers and customer paths (cxtoolkit.journey)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cxtoolkit import stats
from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.journey import (comment_friction, customer_paths, friction_map, friction_trend,
                               key_drivers, to_records)

REASONS = {"order": "ordering", "late": "delivery", "bill": "invoice"}


def cfg(min_answers=3, **kw):
    return ClientConfig(client="t", journey=["ordering", "delivery", "invoice"],
                        journey_reasons=REASONS, kpi={"min_answers": min_answers}, **kw)


@pytest.fixture
def small():
    # ordering: 10 answers, 1 unhappy; delivery: 10 answers, 6 unhappy; invoice: 2 answers, 2 unhappy
    csat = [5, 5, 4, 4, 4, 3, 3, 5, 5, 1] + [1, 2, 1, 2, 1, 1, 5, 4, 3, 5] + [1, 1]
    resp = pd.DataFrame({"touchpoint": ["ordering"] * 10 + ["delivery"] * 10 + ["invoice"] * 2,
                         "csat": np.array(csat, dtype=float),
                         "country": ["FR", "GB"] * 11})
    cont = pd.DataFrame({"reason": ["order"] * 20 + ["late"] * 60 + ["bill"] * 20 + ["other"] * 5,
                         "country": ["FR"] * 105})
    return resp, cont


def test_friction_known_answers(small):
    resp, cont = small
    fm = friction_map(resp, cfg(), contacts=cont).set_index("stage")
    assert fm["n"].tolist() == [10, 10, 2]
    assert fm["unhappy_share"].tolist() == pytest.approx([0.1, 0.6, 1.0])
    # 'other' has no stage: volume over 100 staged contacts
    assert fm["contacts"].tolist() == [20, 60, 20]
    assert fm["volume_share"].tolist() == pytest.approx([0.2, 0.6, 0.2])
    # raw: 0.02, 0.36, 0.2; max over eligible (invoice is too few) = 0.36
    assert fm["friction_raw"].tolist() == pytest.approx([0.02, 0.36, 0.2])
    assert fm.loc["ordering", "friction_index"] == pytest.approx(100 * 0.02 / 0.36)
    assert fm.loc["delivery", "friction_index"] == pytest.approx(100.0)
    assert np.isnan(fm.loc["invoice", "friction_index"])
    assert fm["too_few"].tolist() == [False, False, True]
    assert fm["rank"].tolist()[:2] == [2, 1] and pd.isna(fm.loc["invoice", "rank"])
    assert fm["csat"].tolist() == pytest.approx([0.7, 0.3, 0.0])
    assert (fm["volume_basis"] == "contacts").all()


def test_significance_is_stage_vs_rest_one_sided(small):
    resp, cont = small
    fm = friction_map(resp, cfg(), contacts=cont).set_index("stage")
    # delivery 6/10 vs rest 3/12
    p = stats.two_proportion_pvalue(6, 10, 3, 12, alternative="greater")
    assert fm.loc["delivery", "p_value"] == pytest.approx(p)
    assert fm.loc["delivery", "significant"] == (p < 0.05)
    assert not fm.loc["ordering", "significant"]          # below the rest: one-sided
    assert fm.loc["ordering", "p_value"] > 0.5
    assert not fm.loc["invoice", "significant"]           # too few, never flagged


def test_significant_flag_on_larger_sample():
    resp = pd.DataFrame({"touchpoint": ["ordering"] * 100 + ["delivery"] * 100,
                         "csat": [1.0] * 10 + [5.0] * 90 + [1.0] * 40 + [5.0] * 60})
    fm = friction_map(resp, cfg(min_answers=30)).set_index("stage")
    assert bool(fm.loc["delivery", "significant"]) and not bool(fm.loc["ordering", "significant"])
    assert fm.loc["delivery", "p_value"] < 1e-5
    assert (fm["volume_basis"] == "answers").all()        # no contacts: answers give the volume


def test_nps_fallback_for_unhappy_and_nps_ci():
    resp = pd.DataFrame({"touchpoint": ["ordering"] * 4, "nps": [10.0, 9, 6, 3]})
    fm = friction_map(resp, cfg(min_answers=1)).set_index("stage")
    assert fm.loc["ordering", "unhappy_share"] == pytest.approx(0.5)
    assert fm.loc["ordering", "nps"] == pytest.approx(0.0)
    assert fm.loc["ordering", "nps_ci95"] == pytest.approx(stats.nps_ci95(2, 2, 4))
    assert np.isnan(fm.loc["delivery", "unhappy_share"])   # no answers: undefined, not 0


def test_by_segment_normalises_within_segment(small):
    resp, cont = small
    fm = friction_map(resp, cfg(min_answers=2), contacts=cont, by="country")
    assert set(fm["country"]) == {"FR", "GB"}
    fr = fm[fm["country"] == "FR"].set_index("stage")
    # FR gets the even rows: ordering 5 answers (0 unhappy), delivery 5 (3 unhappy), invoice 1
    assert fr["n"].tolist() == [5, 5, 1]
    assert fr["friction_index"].max() == pytest.approx(100.0) and fr["rank"].min() == 1
    # contacts carry country, but GB has none: volume share and index undefined, never 0
    gb = fm[fm["country"] == "GB"]
    assert gb["contacts"].sum() == 0 and gb["volume_share"].isna().all()
    assert gb["friction_index"].isna().all() and gb["rank"].isna().all()
    # without a country on the contacts, every segment shares the overall stage volumes
    fm2 = friction_map(resp, cfg(min_answers=2), contacts=cont.drop(columns="country"), by="country")
    assert (fm2["volume_basis"] == "contacts (all segments)").all()
    for _, g in fm2.groupby("country"):
        assert g["friction_index"].max() == pytest.approx(100.0)


def test_unknown_by_column_is_an_input_error(small):
    with pytest.raises(InputError, match="nope"):
        friction_map(small[0], cfg(), by="nope")


def test_inputs_not_mutated(small):
    resp, cont = small
    r0, c0 = resp.copy(), cont.copy()
    friction_map(resp, cfg(), contacts=cont, by="country")
    pd.testing.assert_frame_equal(resp, r0)
    pd.testing.assert_frame_equal(cont, c0)


def test_trend_by_month():
    resp = pd.DataFrame({"touchpoint": ["ordering", "delivery"] * 4, "csat": [5.0, 1] * 4,
                         "responded_at": pd.to_datetime(["2026-01-10"] * 4 + ["2026-02-10"] * 4)})
    tr = friction_trend(resp, cfg(min_answers=1))
    assert sorted(tr["month"].unique()) == ["2026-01", "2026-02"]
    assert tr.loc[tr["stage"] == "delivery", "unhappy_share"].tolist() == [1.0, 1.0]


def test_key_drivers_recovers_known_impact():
    rng = np.random.default_rng(1)
    n = 600
    cust = [f"c{i}" for i in range(n)]
    x_del = rng.integers(1, 6, n).astype(float)
    x_ord = rng.integers(1, 6, n).astype(float)
    y = np.clip(1.5 * x_del + 0.0 * x_ord + rng.normal(0, 0.5, n), 0, 10)
    hot_del = pd.DataFrame({"customer_id": cust, "survey_type": "hot", "touchpoint": "delivery", "csat": x_del})
    hot_ord = pd.DataFrame({"customer_id": cust, "survey_type": "hot", "touchpoint": "ordering", "csat": x_ord})
    hot_ord.loc[::3, "csat"] = np.nan                      # missing answers are handled
    cold = pd.DataFrame({"customer_id": cust, "survey_type": "cold", "touchpoint": None, "nps": y})
    resp = pd.concat([hot_del, hot_ord, cold], ignore_index=True)
    kd = key_drivers(resp, cfg(min_answers=30), n_boot=100).set_index("stage")
    assert kd.loc["delivery", "impact"] == pytest.approx(1.5, abs=0.1)
    assert kd.loc["delivery", "impact_ci_low"] < 1.5 < kd.loc["delivery", "impact_ci_high"]
    assert bool(kd.loc["delivery", "significant"])
    assert abs(kd.loc["ordering", "impact"]) < 0.2
    assert bool(kd.loc["invoice", "too_few"]) and np.isnan(kd.loc["invoice", "impact"])
    assert kd.loc["delivery", "quadrant"] in ("priority", "strength")
    assert kd["importance"].sum() == pytest.approx(1.0)


def test_key_drivers_needs_customer_and_survey_type():
    with pytest.raises(InputError, match="customer_id"):
        key_drivers(pd.DataFrame({"nps": [1.0], "survey_type": ["cold"]}), cfg())


def test_customer_paths():
    c = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "c"],
                      "received_at": pd.to_datetime(["2026-01-03", "2026-01-01", "2026-01-05",
                                                     "2026-01-01", "2026-01-02", "2026-01-01"]),
                      "reason": ["late", "order", "bill", "order", "late", "late"]})
    p = customer_paths(c, cfg())
    assert p.values.tolist() == [[0, "ordering", "delivery", 2], [1, "delivery", "invoice", 1]]


def test_records_are_json_ready_and_comments(small):
    import json
    resp, cont = small
    fm = friction_map(resp, cfg(), contacts=cont)
    recs = to_records(fm)
    txt = json.dumps(recs, allow_nan=False)
    assert '"rank": null' in txt
    fr = comment_friction(fm, "fr")
    assert fr[0].startswith("Principal point de friction : Livraison (indice 100/100)")
    assert any("Trop peu de réponses" in s and "Facture" in s for s in fr)
    en = comment_friction(fm, "en")
    assert en[0].startswith("Main friction point: Delivery")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ordering", "delivery", "invoice"]),
                          st.integers(1, 5)), min_size=1, max_size=80),
       st.lists(st.sampled_from(["order", "late", "bill"]), max_size=50))
def test_friction_index_invariants(rows, reasons):
    resp = pd.DataFrame(rows, columns=["touchpoint", "csat"]).astype({"csat": float})
    cont = pd.DataFrame({"reason": reasons}) if reasons else None
    fm = friction_map(resp, cfg(min_answers=3), contacts=cont)
    fi = fm["friction_index"].dropna()
    assert ((fi >= 0) & (fi <= 100 + 1e-9)).all()
    if len(fi) and fm.loc[~fm["too_few"], "friction_raw"].max() > 0:
        assert fi.max() == pytest.approx(100.0)
    assert fm.loc[fm["too_few"], "rank"].isna().all()
    assert fm.loc[fm["too_few"], "significant"].eq(False).all()
    assert fm["n"].sum() == len(resp)


def test_key_drivers_large_sample_uses_robust_interval_close_to_bootstrap():
    rng = np.random.default_rng(3)
    n = 400
    cust = [f"c{i}" for i in range(n)]
    x = rng.integers(1, 6, n).astype(float)
    y = np.clip(2.0 + 1.0 * x + rng.normal(0, 1.0, n), 0, 10)
    resp = pd.concat([pd.DataFrame({"customer_id": cust, "survey_type": "hot", "touchpoint": "delivery", "csat": x}),
                      pd.DataFrame({"customer_id": cust, "survey_type": "cold", "nps": y})], ignore_index=True)
    boot = key_drivers(resp, cfg(min_answers=30), n_boot=300).set_index("stage").loc["delivery"]
    hc = key_drivers(resp, cfg(min_answers=30), max_boot_customers=100).set_index("stage").loc["delivery"]
    assert boot["ci_method"] == "bootstrap" and hc["ci_method"] == "hc1"
    assert hc["impact"] == pytest.approx(boot["impact"])
    width_b = boot["impact_ci_high"] - boot["impact_ci_low"]
    width_h = hc["impact_ci_high"] - hc["impact_ci_low"]
    assert width_h == pytest.approx(width_b, rel=0.25)


def test_friction_commentary_groups_the_thousands_like_the_table():
    """The commentary's answer count is written like the table's (3 404 / 3,404), not 3404."""
    cfg = ClientConfig(client="x", journey=["ordering", "delivery"], kpi={"min_answers": 2})
    r = pd.DataFrame({"touchpoint": ["ordering"] * 1500 + ["delivery"] * 3404,
                      "csat": [5.0] * 1500 + [1.0, 5.0] * 1702})
    fr = comment_friction(friction_map(r, cfg), "fr")[0]
    en = comment_friction(friction_map(r, cfg), "en")[0]
    assert "sur 3\u202f404 réponses" in fr and "3404" not in fr
    assert "out of 3,404 answers" in en


def test_a_stage_no_contact_reason_maps_to_is_not_ranked_as_frictionless():
    """Discovery has no contact reason in journey_reasons: its contact volume is unknown,
    not zero. It used to get friction index 0 and the last rank despite 40 % very unhappy
    customers; now it is not ranked and the commentary says why."""
    cfg = ClientConfig(client="x", journey=["discovery", "ordering", "delivery"],
                       journey_reasons={"order": "ordering", "late": "delivery"}, kpi={"min_answers": 5})
    r = pd.DataFrame({"touchpoint": ["discovery"] * 10 + ["ordering"] * 10 + ["delivery"] * 10,
                      "csat": [1.0] * 4 + [5.0] * 6 + [1.0] * 1 + [5.0] * 9 + [1.0] * 3 + [5.0] * 7})
    contacts = pd.DataFrame({"reason": ["order"] * 60 + ["late"] * 40})
    fm = friction_map(r, cfg, contacts=contacts).set_index("stage")
    assert fm.loc["discovery", "volume_unmeasured"] and not fm.loc["ordering", "volume_unmeasured"]
    assert np.isnan(fm.loc["discovery", "friction_index"]) and pd.isna(fm.loc["discovery", "rank"])
    assert np.isnan(fm.loc["discovery", "contacts"])
    assert fm.loc["discovery", "unhappy_share"] == pytest.approx(0.4)
    # the measured stages keep their figures: delivery 0.3 × 0.4 = 0.12 = 100, ordering 0.1 × 0.6 = 0.06 = 50
    assert fm.loc["delivery", "friction_index"] == pytest.approx(100.0)
    assert fm.loc["ordering", "friction_index"] == pytest.approx(50.0)
    assert fm["rank"].dropna().tolist() == [2, 1]
    fr = " ".join(comment_friction(fm.reset_index(), "fr"))
    assert "Volume de contacts non mesuré" in fr and "Découverte" in fr
    en = " ".join(comment_friction(fm.reset_index(), "en"))
    assert "Contact volume not measured" in en and "Discovery" in en
