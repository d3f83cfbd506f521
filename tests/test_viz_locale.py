"""Issue 15: the charts write numbers like :func:`cxtoolkit.rules.format_value` — ``35 %``,
``1 234,5``, ``36 000 €`` in French, ``35%``, ``1,234.5``, ``€36,000`` in English — in the
figure JSON (separators, tick suffixes/prefixes, hover templates) and in a real browser."""
import re

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.journey import friction_map, friction_trend, key_drivers
from cxtoolkit.viz import journey as vj
from cxtoolkit.viz import kpis as vk
from cxtoolkit.viz import quality as vq
from cxtoolkit.viz import roi as vr
from cxtoolkit.viz import staffing as vs
from cxtoolkit.viz import verbatims as vv

SEP = {"fr": ",\u202f", "en": ".,"}
PCT = {"fr": " %", "en": "%"}

CFG = ClientConfig(client="t", journey=["ordering", "delivery", "invoice"], kpi={"min_answers": 5})
RESP = pd.DataFrame({"touchpoint": ["ordering"] * 50 + ["delivery"] * 50 + ["invoice"] * 2,
                     "csat": [5.0] * 45 + [1.0] * 5 + [1.0] * 30 + [5.0] * 20 + [1.0, 1.0],
                     "responded_at": pd.date_range("2026-01-01", periods=102, freq="D")})
KPI = pd.DataFrame({"answer_rate": [0.35, 0.5]}, index=pd.Index(["2026-W01", "2026-W02"], name="week"))
PLAN = pd.DataFrame({"weekday": [0, 0], "interval_start": ["09:00", "10:00"], "hour": [9, 10], "minute": 0,
                     "arrivals_per_hour": [30.0, 40], "agents_required": [6, 8], "agents_seen": [4.0, 8],
                     "gap": [2.0, 0], "answer_rate_plan": [0.95, 0.96], "answer_rate_pred_seen": [0.35, 0.96]})
PVD = pd.DataFrame({"agent_id": ["a", "b"], "n": [5, 4], "score": [85.0, 60.0],
                    "csat": [0.9, 0.35], "csat_n": [12, 8], "quadrant": ["good", "to_coach"]})
OUTPUTS = {"avoided_acquisition_cost": 36000, "retained_margin": 0, "program_cost": 6000, "net_benefit": 30000}
DRIVERS = pd.DataFrame({"customer_id": [f"c{i % 40}" for i in range(120)],
                        "survey_type": ["hot"] * 80 + ["cold"] * 40,
                        "touchpoint": ["ordering"] * 40 + ["delivery"] * 40 + [None] * 40,
                        "csat": [float(1 + i % 5) for i in range(80)] + [None] * 40,
                        "nps": [None] * 80 + [float(i % 11) for i in range(40)]})
HIST = pd.DataFrame({"left": [0.0, 1000], "right": [1000.0, 2000], "mid": [500.0, 1500], "share": [0.35, 0.65]})


def _percent_axes(fig):
    """(ticksuffix, tickformat) of every axis or colorbar carrying percent ticks."""
    lay = fig.to_plotly_json()["layout"]
    axes = [v for k, v in lay.items() if k.startswith(("xaxis", "yaxis")) and "%" in str(v.get("ticksuffix", ""))]
    axes += [t["colorbar"] for t in fig.to_plotly_json()["data"] if "%" in str(t.get("colorbar", {}).get("ticksuffix", ""))]
    return [(a["ticksuffix"], a.get("tickformat")) for a in axes]


PERCENT_CHARTS = {
    "kpis.trend": lambda loc: vk.trend(KPI, ["answer_rate"], loc),
    "kpis.heatmap": lambda loc: vk.heatmap(pd.DataFrame(
        {"answer_rate": [0.35]}, index=pd.MultiIndex.from_tuples([("mon", 9)], names=["weekday", "hour"])),
        "answer_rate", loc),
    "journey.journey_line": lambda loc: vj.journey_line(friction_map(RESP, CFG), loc),
    "journey.friction_trend": lambda loc: vj.friction_trend_chart(friction_trend(RESP, CFG), locale=loc),
    "quality.perceived_vs_delivered": lambda loc: vq.perceived_vs_delivered(PVD, locale=loc),
    "staffing.answer_rate_chart": lambda loc: vs.answer_rate_chart(PLAN, 0, loc, target=0.8),
}


@pytest.mark.parametrize("loc", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(PERCENT_CHARTS))
def test_percent_axes_follow_the_locale(name, loc):
    fig = PERCENT_CHARTS[name](loc)
    assert fig.layout.separators == SEP[loc]
    axes = _percent_axes(fig)
    assert axes and all(suffix == PCT[loc] for suffix, _ in axes), axes
    assert all(fmt is None or not fmt.endswith("%") for _, fmt in axes)  # d3 '%' cannot write ' %'


@pytest.mark.parametrize("loc", ["fr", "en"])
def test_shares_are_plotted_in_percent_points_with_their_target(loc):
    fig = vs.answer_rate_chart(PLAN, 0, loc, target=0.8, whatif=[0.5, None])
    assert list(fig.data[1].y) == pytest.approx([35.0, 96.0]) and fig.layout.shapes[0].y0 == pytest.approx(80)
    assert list(fig.data[2].y)[0] == pytest.approx(50.0)
    q = vq.perceived_vs_delivered(PVD, csat_target=0.8, locale=loc)
    assert sorted(x for t in q.data for x in t.x) == pytest.approx([35.0, 90.0]) and q.layout.shapes[0].x0 == 80


@pytest.mark.parametrize("loc", ["fr", "en"])
def test_hover_templates_write_percent_like_format_value(loc):
    q = vq.perceived_vs_delivered(PVD, locale=loc)
    assert f"CSAT %{{x:,.0f}}{PCT[loc]}<br>" in q.data[0].hovertemplate
    c = vq.criteria(pd.DataFrame({"criterion": ["c1"], "attainment": [35.0], "n": [3]}), loc)
    assert f"%{{x:.0f}}{PCT[loc]} (n=" in c.data[0].hovertemplate and c.layout.separators == SEP[loc]


def test_kpi_tiles_percent_suffix_follows_the_locale():
    st = pd.DataFrame({"key": ["answer_rate"], "label": ["x"], "value": [0.35], "unit": ["ratio"],
                       "target": [0.85], "rag": ["red"]})
    assert [vk.kpi_tiles(st, loc).data[0].number.suffix for loc in ("fr", "en")] == [" %", "%"]
    assert vk.kpi_tiles(st, "fr").layout.separators == SEP["fr"]


@pytest.mark.parametrize("loc, prefix, suffix", [("fr", "", "\u00a0€"), ("en", "€", "")])
def test_money_axes_write_the_currency_like_format_value(loc, prefix, suffix):
    w = vr.waterfall(OUTPUTS, "EUR", loc)
    assert (w.layout.yaxis.tickprefix or "", w.layout.yaxis.ticksuffix or "") == (prefix, suffix)
    assert w.layout.yaxis.tickformat == ",.0f" and w.layout.separators == SEP[loc]
    d = vr.distribution(HIST, {"p50": 1000.0, "prob_roi_positive": 0.9}, "EUR", loc)
    assert d.data[0].hovertemplate.startswith(f"{prefix}%{{x:,.0f}}{suffix}: %{{y:.1f}}{PCT[loc]}")
    assert (d.layout.xaxis.tickprefix or "", d.layout.xaxis.ticksuffix or "") == (prefix, suffix)
    assert d.layout.yaxis.ticksuffix == PCT[loc]


def test_every_builder_sets_the_locale_separators():
    fm = friction_map(RESP, CFG)
    figs = [vk.channel_split(pd.DataFrame({"contacts": [3, 1]}, index=["a", "b"]), "fr"),
            vj.stage_heatmap(friction_map(RESP.assign(c=["x", "y"] * 51), CFG, by="c"), "c", locale="fr"),
            vj.priority_matrix(key_drivers(DRIVERS, CFG, n_boot=20), "fr"),
            vs.gap_heatmap(PLAN, "fr"), vs.day_chart(PLAN, 0, "fr"), vj.journey_line(fm, "fr")]
    assert {f.layout.separators for f in figs} == {SEP["fr"]}
    assert vv.severity_chart(pd.DataFrame({"severity": [1], "verbatims": [2], "label_fr": ["a"], "label_en": ["a"]}),
                             "en").layout.separators == SEP["en"]


def test_browser_ticks_read_like_format_value():
    """plotly.js (from the venv's plotly package, inlined) draws ``35 %`` and a decimal comma
    in French, ``35%`` and a decimal point in English."""
    from browser import chromium

    def ticks(fig, page):
        page.set_content(fig.to_html(include_plotlyjs=True, full_html=True))
        page.wait_for_selector(".ytick text")
        return [t.text_content() for t in page.query_selector_all(".xtick text, .ytick text")]

    pct = pd.DataFrame({"answer_rate": [0.35, 0.36]}, index=pd.Index(["a", "b"], name="week"))
    dec = pd.DataFrame({"aht_s": [1234.5, 1234.6]}, index=pd.Index(["a", "b"], name="week"))
    with chromium() as browser:
        page = browser.new_page()
        fr, en = (ticks(vk.trend(pct, ["answer_rate"], loc), page) for loc in ("fr", "en"))
        fr_dec, en_dec = (ticks(vk.trend(dec, ["aht_s"], loc), page) for loc in ("fr", "en"))
        money = ticks(vr.waterfall(OUTPUTS, "EUR", "fr"), page)
    fr_pct, en_pct = ([t for t in ticks if "%" in t] for ticks in (fr, en))
    assert "40 %" in fr_pct and all(re.fullmatch(r"\d+ %", t) for t in fr_pct), fr
    assert "40%" in en_pct and all(re.fullmatch(r"\d+%", t) for t in en_pct), en
    assert all(re.fullmatch(r"1\u202f234(,\d+)? s", t) for t in fr_dec[2:]) and "1\u202f234,5 s" in fr_dec, fr_dec
    assert all(re.fullmatch(r"1,234(\.\d+)? s", t) for t in en_dec[2:]) and "1,234.5 s" in en_dec, en_dec
    assert any(re.fullmatch(r"\d+\u202f000\u00a0€", t) for t in money), money


@pytest.mark.parametrize("loc", ["fr", "en"])
def test_default_hovers_of_percent_charts_carry_the_suffix(loc):
    """Values plotted in percent points hover with the locale's percent sign, not bare."""
    hovers = [t.hovertemplate for name in ("kpis.trend", "kpis.heatmap", "journey.friction_trend",
                                           "staffing.answer_rate_chart")
              for t in PERCENT_CHARTS[name](loc).data]
    hovers.append(vj.priority_matrix(key_drivers(DRIVERS, CFG, n_boot=20), loc).data[0].hovertemplate)
    assert hovers and all(f":,.1f}}{PCT[loc]}" in h for h in hovers), hovers


@pytest.mark.parametrize("loc, shares", [("fr", ["75,0 %", "25,0 %"]), ("en", ["75.0%", "25.0%"])])
def test_channel_split_writes_shares_like_format_value(loc, shares):
    pie = vk.channel_split(pd.DataFrame({"contacts": [3, 1]}, index=["a", "b"]), loc).data[0]
    assert list(pie.text) == shares and "percent" not in pie.textinfo


def test_english_money_axis_with_negative_amounts_leaves_the_prefix_to_the_title():
    """Plotly would write ``€−5,000`` (prefix before the sign) where format_value writes ``-€5,000``."""
    years = pd.DataFrame({"year": [1, 2], "net_benefit": [-6000.0, 12000.0], "cumulative_net_benefit": [-6000.0, 6000.0]})
    en = vr.multi_year_chart(years, "EUR", "en").layout.yaxis
    assert (en.tickprefix, en.title.text) == ("", "€")
    assert vr.multi_year_chart(years.abs(), "EUR", "en").layout.yaxis.tickprefix == "€"
    assert vr.multi_year_chart(years, "EUR", "fr").layout.yaxis.ticksuffix == "\u00a0€"
    assert vr.waterfall(OUTPUTS, "EUR", "en").layout.yaxis.tickprefix == "€"  # the cost bar ends above 0


def test_journey_hover_p_value_written_like_format_value():
    fm = friction_map(RESP, CFG)
    fr, en = (vj.journey_line(fm, loc).data[0].hovertext[1] for loc in ("fr", "en"))
    assert fr.endswith("p < 0,01") and en.endswith("p < 0.01"), (fr, en)


def test_a_week_reads_as_a_week_in_the_readers_language(tmp_path):
    """``2026-W40`` was shown as is in French text, tables, axes, workbook and deck: one rule
    (:func:`cxtoolkit.rules.week_text`) says "sem. 40 2026" / "wk 40 2026"; the workbook
    keeps it sortable (the week's Monday, a real date read "sem. du 28/09/2026")."""
    import datetime

    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.report.tables import cells, table_html

    assert list(vk.trend(KPI, ["answer_rate"], "fr").data[0].x) == ["sem. 1 2026", "sem. 2 2026"]
    assert list(vk.trend(KPI, ["answer_rate"], "en").data[0].x) == ["wk 1 2026", "wk 2 2026"]
    cov = pd.DataFrame({"agent_id": ["a", "a"], "week": ["2026-W10", "2026-W11"], "reviews": [1, 3], "target": 3})
    assert list(vq.coverage_heatmap(cov, "fr").data[0].x) == ["sem. 10 2026", "sem. 11 2026"]
    views = {"week": pd.DataFrame({"inbound": [10, 12]}, index=pd.Index(["2025-W52", "2026-W40"], name="week"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx", locale="fr"))["Par semaine - By week"]
    assert [ws["A4"].value.date(), ws["A5"].value.date()] == [datetime.date(2025, 12, 22), datetime.date(2026, 9, 28)]
    assert ws["A5"].number_format == '"sem. du "dd/mm/yyyy'
    html = table_html(pd.DataFrame({"week": ["2025-W52", "2026-W01"]}), ["week"], "fr")
    assert cells(html) == [["sem. 52 2025"], ["sem. 1 2026"]]
    assert 'data-v="739607"' in html          # sorts by its Monday (2025-12-22), not as text
    from cxtoolkit.kpis.commentary import comment_trend

    assert comment_trend(KPI, "answer_rate", "fr") == ("Taux de décroché (QS) passe de 35,0 % (sem. 1 2026) "
                                                       "à 50,0 % (sem. 2 2026) ; meilleure période sem. 2 2026 (50,0 %), "
                                                       "la moins bonne sem. 1 2026 (35,0 %).")
