"""The staffing what-if (``cxtoolkit.apps.staffing_app``) and the staffing view: widgets move
the plan, the headline follows, errors are one line, papermill renders a static report."""
from __future__ import annotations

import doctest
from contextlib import contextmanager

import pandas as pd
import pytest

from cxtoolkit import queueing as Q
from cxtoolkit import staffing as S
from cxtoolkit.apps import staffing_app
from cxtoolkit.apps.staffing_app import StaffingWhatIf

TARGETS = {"service_level": 0.8, "within_s": 20.0, "max_wait_probability": None, "max_asa_s": None,
           "max_occupancy": None, "shrinkage": 0.3, "patience_s": None}


def profile() -> pd.DataFrame:
    rows = [{"weekday": wd, "day": S.WEEKDAYS[wd], "interval_start": f"{h:02d}:00", "hour": h, "minute": 0,
             "interval_min": 60, "arrivals_per_hour": lam, "aht_s": 180.0, "agents_seen": seen,
             "answer_rate_seen": 0.7}
            for wd, lam0 in ((0, 200.0), (1, 100.0)) for h, lam, seen in ((9, lam0, 10.0), (10, 0.0, 0.0))]
    return pd.DataFrame(rows)


def test_whatif_follows_the_widgets():
    w = StaffingWhatIf(profile(), TARGETS, patience_s=60, hourly_cost=30, locale="en")
    assert w.day.value == 0                                    # the busiest day first
    need = int(Q.agents_needed(200, 180, service_level=0.8))
    assert w.plan["agents_required"].tolist() == [need, 0]
    assert w.plan["plan_cost"].iloc[0] == pytest.approx(int(Q.with_shrinkage(need, 0.3)) * 30)
    before = w.summary.loc["week", "answer_rate_plan"]
    w.offset.value = -3                                        # fewer agents: worse answer rate
    assert w.plan["agents_required"].tolist() == [need - 3, 0]
    assert w.summary.loc["week", "answer_rate_plan"] < before
    w.offset.value = 0
    w.target.value = 0.95
    assert w.plan["agents_required"].iloc[0] == int(Q.agents_needed(200, 180, service_level=0.95))
    w.aht.value = -60                                          # shorter calls: fewer agents
    assert w.plan["aht_s"].iloc[0] == 120 and w.plan["agents_required"].iloc[0] == int(
        Q.agents_needed(200, 120, service_level=0.95))
    w.patience.value = 30
    assert w.plan["abandon_rate_plan"].iloc[0] == pytest.approx(
        float(Q.erlang_a_metrics(w.plan["agents_required"].iloc[0], 200, 120, 30)["p_abandon"]))
    w.day.value = 1
    assert w.plan["arrivals_per_hour"].iloc[0] == 100
    text = w.headline_text()
    assert "Predicted answer rate" in text and "Tue" in text and "€" in text
    assert any("application/vnd.plotly.v1+json" in o["data"] for o in w.charts.outputs)
    assert w.message.value == ""


def test_whatif_error_is_one_line(monkeypatch):
    w = StaffingWhatIf(profile(), TARGETS, patience_s=60, locale="fr", compute_only=True)

    def boom(*a, **k):
        raise RuntimeError("internal /srv detail")
    monkeypatch.setattr(staffing_app.S, "staffing_plan", boom)
    assert not w.update()
    assert "n'a pas pu" in w.message.value and "srv" not in w.message.value


def test_doctest():
    assert doctest.testmod(staffing_app).failed == 0


def test_view_static_report_and_app_widget(tmp_path):
    """render_staffing on a small generated client: static items under papermill, the what-if
    widget too in app mode."""
    import ipywidgets as W

    from conftest import write_demo_client

    from cxtoolkit import io
    from cxtoolkit.apps.views import render_staffing
    from cxtoolkit.config import load_client

    folder = write_demo_client(tmp_path, n_contacts=1_500, n_responses=50, months=1)
    cfg = load_client(folder / "client.yml")
    data = io.load(cfg, tables=["contacts"])
    items: list = []
    res = render_staffing(cfg, data, {"loc": "fr", "target_sl": 0.0, "shrinkage": -1.0, "weekday": "tue"},
                          emit=items.append)
    plan = res["profile"]
    assert len(plan) == 7 * 48 and {"weekday", "hour", "agents_required", "gap", "extra_cost"} <= set(plan.columns)
    assert not any(isinstance(i, W.Widget) for i in items)
    assert sum(hasattr(i, "to_plotly_json") for i in items) == 4
    assert res["patience_s"] and res["patience_s"] > 0
    items = []
    render_staffing(cfg, data, {"loc": "en", "app_mode": True, "period_start": "", "period_end": ""},
                    emit=items.append)
    widgets = [i for i in items if isinstance(i, W.Widget)]
    assert len(widgets) == 1 and "cx-whatif" in widgets[0]._dom_classes


# The what-if's charts: per chart, its trace types and title, then its data
_CHARTS = ("() => [...document.querySelectorAll('.cx-whatif .js-plotly-plot')].map(g => g.data ? "
           "[JSON.stringify([g.data.map(t => t.type), g.layout.title && g.layout.title.text]),"
           " JSON.stringify(g.data.map(t => t.y))] : null)")
# At every frame until both charts changed: frames with fewer than two charts on screen
_WATCH = ("(before) => { const T = window.__cxCharts = {fewer: 0, done: false}; const now = " + _CHARTS + ";"
          " const poll = () => { const c = now(); if (c.filter(x => x).length < 2) T.fewer += 1;"
          " if (c.length === 2 && c.every((x, i) => x && x[1] !== before[i][1])) { T.done = true; }"
          " else { requestAnimationFrame(poll); } }; requestAnimationFrame(poll); }")


@contextmanager
def _served_whatif(tmp_path):
    """The demo client's staffing what-if served by Voila, open in Chromium once its charts are
    drawn: ``(page, headline locator)``; the server stopped after."""
    from browser import chromium, need_chromium

    need_chromium()
    from cxtoolkit.apps import serve
    from conftest import write_demo_client

    root = tmp_path / "client_data"
    write_demo_client(root, n_contacts=3_000, n_responses=100, months=1)
    server = serve.start_app("staffing", serve.free_port(), client="demo", client_data=str(root), timeout=240,
                             log_path=tmp_path / "staffing.log", pool_size=1)
    try:
        with chromium() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url, timeout=180_000, wait_until="commit")
            page.wait_for_selector(".cx-whatif .js-plotly-plot svg", timeout=180_000)
            yield page, page.locator(".cx-whatif .jp-RenderedMarkdown").first
    finally:
        server.stop()


@pytest.mark.browser
def test_whatif_renders_in_voila(tmp_path):
    """Served by Voila in Chromium: the what-if shows its charts, and moving the agents
    slider redraws the headline, with no error output."""
    with _served_whatif(tmp_path) as (page, headline):
        before = headline.inner_text()
        assert "Simulation" in before and "€" in before
        page.wait_for_function(f"() => ({_CHARTS})().length === 2", timeout=60_000)
        charts = page.evaluate(_CHARTS)
        field = page.locator(".cx-typed-offset input")   # Conseillers ± (offset), typed
        field.fill("3")
        page.evaluate(_WATCH, charts)
        field.press("Enter")
        page.wait_for_function(
            "(b) => document.querySelector('.cx-whatif .jp-RenderedMarkdown').innerText !== b", arg=before,
            timeout=60_000)
        # both charts redrawn, each in its own place, and two charts on screen at every frame
        page.wait_for_function("() => window.__cxCharts.done", timeout=60_000)
        after = page.evaluate(_CHARTS)
        assert [c[0] for c in after] == [c[0] for c in charts] and after != charts, (charts, after)
        assert page.evaluate("window.__cxCharts.fewer") == 0
        assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .cx-err').count() == 0
        assert "Traceback" not in page.inner_text("body")


def test_whatif_moves_agents_in_one_slot_only_and_remembers_it_per_day():
    nine = profile()[lambda d: d["hour"] == 9]
    prof = pd.concat([profile(), nine.assign(interval_start="11:00", hour=11, arrivals_per_hour=150.0)],
                     ignore_index=True).sort_values(["weekday", "hour"], ignore_index=True)
    w = StaffingWhatIf(prof, TARGETS, patience_s=60, hourly_cost=30, locale="en", compute_only=True)
    base = w.plan.set_index("interval_start")["agents_required"]
    assert list(w.slot.options) == ["09:00", "10:00", "11:00"]
    w.slot.value = "11:00"
    w.slot_offset.value = 2
    now = w.plan.set_index("interval_start")["agents_required"]
    assert now["11:00"] == base["11:00"] + 2 and now["09:00"] == base["09:00"] and now["10:00"] == 0
    w.offset.value = -1                                        # whole day, on top of the slot's own
    now = w.plan.set_index("interval_start")["agents_required"]
    assert now["11:00"] == base["11:00"] + 1 and now["09:00"] == base["09:00"] - 1
    w.day.value = 1                                            # another day: its slots start at 0
    assert w.slot_offset.value == 0 and w.slot_offsets == {(0, "11:00"): 2}
    w.day.value = 0
    w.slot.value = "11:00"
    assert w.slot_offset.value == 2                            # remembered


def test_plan_takes_one_offset_per_slot():
    prof = profile()[lambda d: d["weekday"] == 0].assign(arrivals_per_hour=[200.0, 50.0])
    plain = S.staffing_plan(prof, service_level=0.8)["agents_required"].to_numpy()
    moved = S.staffing_plan(prof, service_level=0.8, agents_offset=[1, -100])["agents_required"].to_numpy()
    assert moved.tolist() == [plain[0] + 1, 0]                 # floored at 0


@pytest.mark.parametrize("loc, day, target, hours, intro", [
    ("fr", "lundi", "80 %", "10,0", "**lundi** type — 200 appels sur la journée"),
    ("en", "Monday", "80%", "10.0", "A typical **Monday** — 200 calls in the day"),
])
def test_whatif_says_its_numbers_in_the_page_language(loc, day, target, hours, intro):
    """Agent hours ``10,0`` in French (not ``10.0``), the target slider ``80 %``, full day
    names, the day's calls said as the day's (not "a week"), no "nan" anywhere."""
    prof = profile()
    w = StaffingWhatIf(prof, TARGETS, patience_s=60, hourly_cost=30, locale=loc, compute_only=True)
    assert w.day.label == day and w.target.label == target
    text = w.headline_text()
    assert text.startswith(intro), text
    hours_row = [line for line in text.splitlines() if "|" in line and ("Heures" in line or "hours" in line)][0]
    assert f"| {hours} |" in hours_row, hours_row
    assert "nan" not in text.lower()
    w.target.value = 0.95
    assert w.target.label == ("95 %" if loc == "fr" else "95%")


@pytest.mark.parametrize("loc, total", [
    ("fr", "Au total : 10 heures payées en plus par semaine (non chiffrées : pas de coût horaire)."),
    ("en", "In all: 10 more paid hours a week (not costed: no hourly cost given)."),
])
def test_slots_short_of_agents_without_an_hourly_cost_cost_nothing_said_not_zero(loc, total):
    """A client without ``staffing.hourly_cost`` (the Anonymous Bank export): the page said
    "cost €0 / week" for each slot and "In all: 129 more paid hours a week, €0."."""
    plan = S.staffing_plan(profile(), service_level=0.8, within_s=20, shrinkage=0.3, hourly_cost=None)
    lines = S.comment_plan(plan, loc, target_text="80 %")
    assert lines and not [line for line in lines if "€" in line or "0 / " in line], lines
    assert lines[-1] == total.replace("10", f"{plan['extra_paid_hours'].sum():.0f}"), lines


def test_staffing_page_week_table_names_its_days_and_the_currency_symbol(tmp_path):
    """The page's table per day had no day column (``table(..., index=True)`` with named
    columns dropped the index) and said "(EUR)" where the amounts say "€"."""
    from conftest import write_demo_client

    from cxtoolkit import io
    from cxtoolkit.apps.views import render_staffing
    from cxtoolkit.config import load_client
    from cxtoolkit.report.tables import Table, cells, headers

    folder = write_demo_client(tmp_path, n_contacts=1_500, n_responses=50, months=1)
    cfg = load_client(folder / "client.yml")
    data = io.load(cfg, tables=["contacts"])
    items = []
    render_staffing(cfg, data, {"loc": "fr", "target_sl": 0, "shrinkage": 0, "interval_min": 0, "weekday": ""},
                    emit=items.append)
    week = [t for t in items if isinstance(t, Table) and "Heures en ligne (plan)" in headers(t.html)][0]
    assert headers(week.html)[0] == "Jour" and "Coût de l'écart (€)" in headers(week.html)
    assert [r[0] for r in cells(week.html)][:2] == ["lun", "mar"] and cells(week.html)[-1][0] == "semaine"


@pytest.mark.browser
def test_a_wide_report_table_scrolls_within_a_phone_screen():
    """The staffing page's week table (9 columns) ran off a 390 px phone screen, its last
    columns cut; on a narrow screen it scrolls sideways within the page instead."""
    from browser import chromium

    from cxtoolkit.report.tables import table_html, with_page_assets

    frame = pd.DataFrame({c: [1234.5, 67.8] for c in ("calls", "agent_hours", "agent_hours_seen", "extra_paid_hours",
                                                       "extra_cost", "answer_rate_seen", "answer_rate_pred_seen",
                                                       "answer_rate_plan")},
                         index=pd.Index(["lun", "semaine"], name="day"))
    page_html = with_page_assets(f"<html><body>{table_html(frame, None, 'fr', index=True, currency='EUR')}</body></html>")
    with chromium() as b:
        page = b.new_page(viewport={"width": 390, "height": 844})
        page.set_content(page_html)
        box = page.evaluate("() => { const t = document.querySelector('table.cx-table');"
                            " return [t.getBoundingClientRect().right, t.scrollWidth, t.clientWidth]; }")
        assert box[0] <= 390 and box[1] > box[2], box        # within the screen, scrolls sideways
        wide = b.new_page(viewport={"width": 1366, "height": 768})
        wide.set_content(page_html)
        assert wide.evaluate("() => getComputedStyle(document.querySelector('table.cx-table')).display") == "table"


@pytest.mark.parametrize("loc, one, two", [("fr", "+1 conseiller pour", "+2 conseillers pour"),
                                           ("en", "+1 agent to", "+2 agents to")])
def test_one_agent_short_is_said_in_the_singular(loc, one, two):
    plan = pd.DataFrame({"weekday": [0, 1, 2], "hour": [9, 11, 9], "minute": 0, "interval_min": 60,
                         "interval_start": ["09:00", "11:00", "09:00"], "arrivals_per_hour": [10.0, 10.0, 10.0],
                         "gap": [1.0, 2.0, 0.0], "extra_cost": [30.0, 60.0, 0.0], "extra_paid_hours": [1.4, 2.9, 0.0],
                         "answer_rate_pred_seen": [0.8, 0.7, 0.9], "answer_rate_plan": [0.95, 0.95, 0.95]})
    lines = " ".join(S.comment_plan(plan, loc, target_text="80 %"))
    assert one in lines and two in lines, lines


@pytest.mark.browser
def test_a_typed_value_out_of_range_is_refused_in_the_page_language(tmp_path):
    """Served by Voila in Chromium, a French client: 150 typed for the agents (± 10) is
    refused in one French line naming the field, the field shows the value in use again and
    the what-if does not move (a slider's readout clipped it to 10 without a word)."""
    with _served_whatif(tmp_path) as (page, headline):
        before = headline.inner_text()
        for name, typed, said in (("offset", "150", "Conseillers ± : doit être entre -10 et 10, reçu 150"),
                                  ("aht", "-500", "DMT ± (s) : doit être entre -180 et 180, reçu -500"),
                                  ("patience", "12,5", "Patience (s) : doit être un nombre entier, reçu 12,5")):
            field = page.locator(f".cx-typed-{name} input")
            shown = field.input_value()
            field.fill(typed)
            field.press("Enter")
            page.wait_for_selector(".cx-whatif .cx-err", timeout=30_000)
            assert page.locator(".cx-whatif .cx-err").inner_text().strip() == "⚠ " + said
            page.wait_for_function(f"() => document.querySelector('.cx-typed-{name} input').value === {shown!r}",
                                   timeout=30_000)
            assert headline.inner_text() == before
            page.evaluate("() => document.querySelector('.cx-whatif .cx-err').remove()")
        assert "Traceback" not in page.inner_text("body")
