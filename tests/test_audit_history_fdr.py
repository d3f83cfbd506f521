"""What changed since the last audit: many tests corrected together (Benjamini–Hochberg), and
told as findings on the index page and in the deck's executive summary."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxtoolkit import stats
from cxtoolkit.audit import history as hist
from cxtoolkit.findings import render_all
from cxtoolkit.kpis import commentary as C


def _rates(values_prev, values_cur, n=1000.0, kpi="answer_rate"):
    k = len(values_prev)
    base = {"kpi": [kpi] * k, "segment_by": ["country"] * k, "segment": [f"c{i}" for i in range(k)],
            "n": [n] * k, "se": [np.nan] * k}
    return pd.DataFrame({**base, "value": values_prev}), pd.DataFrame({**base, "value": values_cur})


def test_a_chance_change_among_many_tests_is_not_significant():
    # one country moves 0.80 → 0.84 (raw p ≈ 0.019), nine stay put: BH over the 10 tests
    prev, cur = _rates([0.80] * 10, [0.84] + [0.80] * 9)
    ch = hist.what_changed(prev, cur)
    raw = stats.two_proportion_pvalue(840, 1000, 800, 1000)
    assert ch["p_value"].iloc[0] == pytest.approx(raw) and raw < 0.05
    assert ch["p_adjusted"].iloc[0] == pytest.approx(min(1.0, raw * 10))
    assert ch["significant"].iloc[0] is False
    # alone, the same change is significant (one test: adjusted = raw)
    alone = hist.what_changed(prev.head(1), cur.head(1)).iloc[0]
    assert alone["p_adjusted"] == pytest.approx(raw) and alone["significant"] is True


def test_nps_enters_the_correction_with_its_z_test_pvalue():
    prev = pd.DataFrame({"kpi": ["nps", "csat"], "segment_by": "overall", "segment": "overall",
                         "value": [20.0, 0.50], "n": [400.0, 1000.0], "se": [4.0, np.nan]})
    cur = prev.assign(value=[32.0, 0.50], se=[3.0, np.nan])
    ch = hist.what_changed(prev, cur).set_index("kpi")
    assert ch.loc["nps", "p_value"] == pytest.approx(0.016395, abs=1e-6)     # z = 2.4
    # sorted 0.0164 (rank 1), 1.0 (rank 2): 0.0164 × 2 / 1
    assert ch.loc["nps", "p_adjusted"] == pytest.approx(2 * 0.016395, abs=1e-6)
    assert ch.loc["nps", "significant"] is True and ch.loc["csat", "significant"] is False
    # untested rows keep NaN and stay out of the family
    prev2 = pd.concat([prev, prev.head(1).assign(kpi="aht_s", value=300.0)], ignore_index=True)
    cur2 = pd.concat([cur, cur.head(1).assign(kpi="aht_s", value=330.0)], ignore_index=True)
    ch2 = hist.what_changed(prev2, cur2).set_index("kpi")
    assert np.isnan(ch2.loc["aht_s", "p_adjusted"]) and ch2.loc["aht_s", "significant"] is None
    assert ch2.loc["nps", "p_adjusted"] == pytest.approx(ch.loc["nps", "p_adjusted"])


def _changes(**kw):
    rows = {"kpi": ["answer_rate", "abandonment_rate", "csat", "hno_share", "nps"],
            "segment_by": ["overall"] * 5, "segment": ["overall"] * 5,
            "previous": [0.87, 0.127, 0.55, 0.20, -5.0], "current": [0.78, 0.219, 0.60, 0.25, -4.0],
            "significant": [True, True, True, True, False],
            "direction": ["worse", "worse", "better", "changed", "better"],
            "p_adjusted": [0.001, 0.0001, 0.01, 0.02, 0.5]}
    rows.update(kw)
    return pd.DataFrame(rows)


def test_change_findings_worst_first_with_figures():
    fs = C.change_findings(_changes(), "2026-09", "fr")
    assert len(fs) == 3 and [f.severity for f in fs] == ["red", "green", "amber"]
    # the abandonment rise is the answer-rate drop (1 − answer rate, same calls): told once,
    # by the answer rate, although its p-value is the smaller
    assert render_all(fs, "fr") == [
        "Taux de décroché (QS) : 87,0 % → 78,0 % depuis septembre 2026, dégradation significative.",
        "Satisfaction (CSAT, top-2) : 55,0 % → 60,0 % depuis septembre 2026, amélioration significative.",
        "Part des appels HNO : 20,0 % → 25,0 % depuis septembre 2026, écart significatif."]
    assert C.comment_changes(_changes(), "2026-09", "en", limit=1) == \
        "Answer rate: 87.0% → 78.0% since September 2026, significant deterioration."
    # the abandonment rate alone significant: it is the fact, told
    alone = C.change_findings(_changes(significant=[False, True, False, False, False]), "2026-09", "en")
    assert render_all(alone, "en") == ["Abandonment rate: 12.7% → 21.9% since September 2026, significant deterioration."]
    # a segment's change is not a headline finding
    seg = _changes(segment_by=["country"] * 5)
    assert C.change_findings(seg, "2026-09") == []
    # nothing significant: one finding says so; a first audit: none
    none = C.change_findings(_changes(significant=[False] * 5), "2026-09", "en")
    assert render_all(none, "en") == ["No significant change since September 2026 (false-discovery rate 5%)."]
    assert C.change_findings(_changes(), None) == [] and C.change_findings(None, "2026-09") == []


# -- the demo's two-month audit ---------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo client audited for 2026-09 then 2026-10 (as ``cxtoolkit demo``), no notebook."""
    from conftest import write_demo_client

    from cxtoolkit.audit.runner import run_audit

    root = tmp_path_factory.mktemp("fdr")
    folder = write_demo_client(root / "data")
    kw = dict(client_data=folder.parent, out=root / "reports", notebooks=["no-such-notebook"], jobs=1,
              warehouse=root / "wh.duckdb")
    first = run_audit("demo", period="2026-09", **kw)
    second = run_audit("demo", period="2026-10", **kw)
    assert first.status == "ok" and second.status == "ok"
    return Path(first.folder), Path(second.folder)


def test_demo_changes_are_corrected_for_multiple_testing(demo):
    ch = pd.read_csv(demo[1] / "changes.csv")
    assert {"p_value", "p_adjusted"} <= set(ch.columns)
    tested = ch[ch["p_value"].notna()]
    assert len(tested) > 20                                    # many KPI × segment tests
    assert (tested["significant"].astype(bool) == (tested["p_adjusted"] < 0.05)).all()
    assert not ch[ch["significant"].eq(True) & ~(ch["p_adjusted"] < 0.05)].size
    overall = ch[ch["segment_by"] == "overall"].set_index("kpi")
    for kpi in ("abandonment_rate", "service_level"):
        assert bool(overall.loc[kpi, "significant"]) is True, kpi
    # the barometer-only NPS (no channel): raw p < 0.05, adjusted above 0.05 → not significant
    chance = tested[(tested["p_value"] < 0.05) & (tested["p_adjusted"] >= 0.05)]
    assert len(chance) >= 1 and not chance["significant"].astype(bool).any()
    assert "nps" in set(chance["kpi"])


def _index_findings(folder: Path) -> list[str]:
    html = (folder / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<ul class="cx-findings" id="cx-findings">(.*?)</ul>', html, re.S)
    return [unescape(x) for x in re.findall(r"<li>(.*?)</li>", m.group(1))] if m else []


def _deck_summary(folder: Path) -> str:
    from pptx import Presentation

    slide = Presentation(str(folder / "audit_deck.pptx")).slides[1]
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_index_and_deck_tell_what_changed_after_the_first_audit(demo):
    pytest.importorskip("pptx")
    first, second = demo
    ch = pd.read_csv(second / "changes.csv")
    told = render_all(C.change_findings(ch, "2026-09", "fr"), "fr")
    assert told and all("→" in s and "depuis septembre 2026" in s for s in told)
    found = _index_findings(second)
    assert told[0] in found and 3 <= len(found) <= 5
    assert any("Taux de décroché (QS) : 87," in s and "dégradation significative" in s for s in found)
    assert not any(s.startswith("Taux d'abandon") for s in found)     # the same fact, told once
    summary = _deck_summary(second)
    assert told[0] in summary
    assert 3 <= summary.count("•") <= 5
    # a first audit has nothing to compare with
    assert not any("→" in s for s in _index_findings(first))
    assert "→" not in _deck_summary(first)


def test_index_tells_a_complementary_pair_once_in_its_trends_too():
    from cxtoolkit.audit.index import findings

    ch = _changes().assign(delta=lambda d: d["current"] - d["previous"])
    trend = pd.DataFrame({"answer_rate": [0.87, 0.78], "abandonment_rate": [0.127, 0.219]},
                         index=pd.Index(["2026-09", "2026-10"], name="period"))
    told = findings({}, ch, trend, "en", limit=10, previous="2026-09")
    assert [s.split(":")[0].split(" went")[0] for s in told] == [
        "Answer rate", "Satisfaction (CSAT, top-2 box)", "Share of calls outside opening hours", "Answer rate"]
    assert not any("Abandonment" in s for s in told)
