"""What an executive types in the ROI simulator and reads next to its figures, in French and
English: numbers typed as the page writes them (decimal comma, spaces, %), refusals said in
the page's language, and the sentences that say what the headline figures mean."""
import html

import pytest

from cxtoolkit import roi
from cxtoolkit.apps.roi_app import build_roi_app
from cxtoolkit.errors import InputError
from cxtoolkit.rules import format_value, parse_value


@pytest.mark.parametrize("typed, unit, loc, expected", [
    ("12,5", "money", "fr", 12.5), ("12.5", "money", "fr", 12.5), ("12 345,6 €", "money", "fr", 12345.6),
    ("12\u202f345,6\u00a0€", "money", "fr", 12345.6), ("1.234.567", "count", "fr", 1234567.0),
    ("−5", "money", "fr", -5.0), ("1e9", "count", "fr", 1e9), ("0", "money", "en", 0.0),
    ("12,345.6", "number", "en", 12345.6), ("€36,000", "money", "en", 36000.0), ("-$12", "money", "en", -12.0),
    ("85 %", "ratio", "fr", 0.85), ("85,5", "ratio", "fr", 0.855), ("85%", "ratio", "en", 0.85),
    ("150", "ratio", "en", 1.5),
])
def test_parse_value_reads_what_people_type(typed, unit, loc, expected):
    assert parse_value(typed, unit, loc, currency="USD" if "$" in typed else "EUR") == pytest.approx(expected)


@pytest.mark.parametrize("typed", ["", "  ", "abc", "12,5", "1,2,3", "inf", "nan", "12 €x", "--5"])
def test_parse_value_refuses_in_the_page_language(typed):
    with pytest.raises(InputError) as exc:
        parse_value(typed, "money", "en")
    fr = exc.value.render("fr")
    assert fr != exc.value.render("en") and ("nombre" in fr or "valeur" in fr)


@pytest.mark.parametrize("value, unit, loc", [(12345.6, "money", "fr"), (0.05, "money", "fr"), (0.477, "ratio", "fr"),
                                              (12345.6, "money", "en"), (2262, "count", "fr"), (-1234.0, "money", "en")])
def test_a_value_shown_can_be_typed_back(value, unit, loc):
    shown = format_value(value, unit, loc)
    assert parse_value(shown, unit, loc) == pytest.approx(value, rel=1e-3)


def _typed(sim, key, text):
    sim.entries[key].value = text          # what the browser sends when Enter is pressed


def test_french_fields_show_and_read_french_numbers():
    sim = build_roi_app(locale="fr").simulator
    assert sim.entries["acquisition_cost"].value == "300\u00a0€"
    assert sim.entries["response_rate"].value == "25,0 %"
    assert sim.entries["customers_surveyed"].value == "12\u202f000"
    assert not sim.inputs["response_rate"].readout   # ipywidgets would write 25.0% and read 85 as 100 %
    _typed(sim, "cost_per_invite", "0,05")            # a number field read this as 5
    assert sim.case.inputs.cost_per_invite == pytest.approx(0.05) and sim.message.value == ""
    assert sim.entries["cost_per_invite"].value == "0,05\u00a0€"
    _typed(sim, "response_rate", "85")                # percent, not clipped to 100 %
    assert sim.case.inputs.response_rate == pytest.approx(0.85) and sim.inputs["response_rate"].value == pytest.approx(0.85)
    assert sim.entries["response_rate"].value == "85,0 %"
    _typed(sim, "acquisition_cost", "1 250,5")
    assert sim.case.inputs.acquisition_cost == pytest.approx(1250.5)


@pytest.mark.parametrize("loc, key, typed, said", [
    ("fr", "response_rate", "150", "Taux de réponse : doit être entre 0 et 100 %, reçu 150"),
    ("en", "response_rate", "150 %", "Response rate: must be between 0 and 100%, got 150 %"),
    ("fr", "acquisition_cost", "abc", "Coût d'acquisition d'un client : « abc » n'est pas un nombre"),
    ("en", "acquisition_cost", "", "Customer acquisition cost: a value is expected"),
    ("en", "fixed_cost", "12,5", "Programme fixed cost: '12,5' is not a number (e.g. 1,234.5)"),
    ("fr", "acquisition_cost", "-5", "Coût d'acquisition d'un client : doit être positif ou nul, reçu -5<"),
    ("fr", "fixed_cost", "-1,5", "Coûts fixes du programme : doit être positif ou nul, reçu -1,5<"),
])
def test_a_refused_value_is_said_in_the_page_language_and_the_field_shows_the_value_in_use(loc, key, typed, said):
    sim = build_roi_app(locale=loc).simulator
    before, shown = dict(sim.outputs), sim.entries[key].value
    _typed(sim, key, typed)
    assert said in html.unescape(sim.message.value) and "cx-err" in sim.message.value
    assert sim.outputs == before and sim.entries[key].value == shown


@pytest.mark.parametrize("key, refused, in_use", [("acquisition_cost", "abc", "300"), ("acquisition_cost", "-5", "300 €"),
                                                    ("response_rate", "150", "25")])
def test_the_value_in_use_typed_after_a_refusal_clears_the_refusal_line(key, refused, in_use):
    """The executive mistyped, then types the value in use: the red line goes (it said the
    field was wrong; it is not any more), as when any other value is accepted."""
    sim = build_roi_app(locale="fr").simulator
    _typed(sim, key, refused)
    assert "cx-err" in sim.message.value
    _typed(sim, key, in_use)
    assert sim.message.value == "" and sim.case.sources.get(key, "default") == "default"


@pytest.mark.parametrize("loc, funnel", [
    ("fr", "Sur 12\u202f000 clients sollicités, 3\u202f000 répondent et 300 sont très mécontents ; en conserver 40,0 %"),
    ("en", "Of 12,000 customers surveyed, 3,000 answer and 300 are very unhappy; keeping 40.0% of them keeps 120"),
])
def test_the_page_says_what_the_headline_figures_mean(loc, funnel):
    sim = build_roi_app(locale=loc).simulator
    said = html.unescape(sim.explain.value)
    assert funnel in said and roi.explain(sim.case, locale=loc)[0] in said   # defaults: said first
    _typed(sim, "fixed_cost", "6000")
    assert "6,7 %" in sim.explain.value if loc == "fr" else "6.7%" in sim.explain.value   # break-even, updated


def test_scenario_saved_line_uses_the_page_language_punctuation():
    sim = build_roi_app(locale="en").simulator
    sim.save_scenario("Plan B")
    assert "Scenario saved: Plan B" in sim.message.value


@pytest.mark.parametrize("loc, shown", [("fr", "20 %"), ("en", "20%")])
def test_uncertainty_sliders_say_their_share_in_the_page_format(loc, shown):
    sim = build_roi_app(locale=loc).simulator
    assert sim.share.value == pytest.approx(0.2) and sim.share.label == shown
    sim.spread.value = 0.5
    assert sim.spread.label == ("50 %" if loc == "fr" else "50%")


# ----------------------------------------------------------------------------- browser

_SEL = (".cx-roi-app .widget-inline-hbox, .cx-roi-app input, .cx-roi-app .noUi-target, .cx-roi-app [class*=cx-fig-],"
        " .cx-tile, .cx-scenarios")
_BOXES = """() => [...document.querySelectorAll('""" + _SEL + """')]
  .filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();
  return [e.className.toString().slice(0, 60), r.left, r.right, r.top, r.bottom, r.width]; })"""


@pytest.mark.browser
def test_phone_and_laptop_visitors_each_their_page_french_numbers_typed(tmp_path):
    """Two executives open the French page at once, one on a phone (390×844), one on a
    laptop (1366×768): on the phone every field, slider, tile and chart fits the screen
    (no field cut at the right, no slider squeezed to its knob); on the laptop « 0,05 »
    typed in a cost field is 0,05 € (a number field read it as 5); the phone's page does not
    move (each visitor has their own kernel)."""
    from browser import chromium, need_chromium
    from conftest import write_demo_client

    from cxtoolkit.apps import serve
    need_chromium()
    write_demo_client(tmp_path / "client_data", n_contacts=3000, n_responses=1000)
    server = serve.start_app("roi", serve.free_port(), client="demo", client_data=str(tmp_path / "client_data"),
                             log_path=tmp_path / "voila.log", timeout=240, pool_size=2, fill_delay=120)
    try:
        with chromium() as b:
            phone = b.new_page(viewport={"width": 390, "height": 844})
            laptop = b.new_page(viewport={"width": 1366, "height": 768})
            for page in (phone, laptop):
                page.goto(server.url, timeout=180_000, wait_until="commit")
            for page in (phone, laptop):
                page.wait_for_selector("#cx-net-benefit", timeout=180_000)
                page.wait_for_selector(".cx-fig-waterfall .js-plotly-plot", timeout=120_000)
            phone.locator(".cx-details .jupyter-widget-Collapse-header").nth(2).click()   # the scenarios' table
            phone.wait_for_selector(".cx-fig-scenarios .js-plotly-plot", timeout=60_000)
            phone.wait_for_timeout(1000)
            boxes = phone.evaluate(_BOXES)
            assert boxes and not [b_ for b_ in boxes if b_[2] > 390 + 1], [b_ for b_ in boxes if b_[2] > 391]
            sliders = [b_ for b_ in boxes if "noUi-target" in b_[0]]
            assert len(sliders) >= 3 and min(b_[5] for b_ in sliders) > 150, sliders
            said = phone.inner_text(".cx-explain")
            assert "clients sollicités" in said and "répondent" in said and "très mécontents" in said

            before_phone = phone.inner_text("#cx-net-benefit")
            before = laptop.inner_text("#cx-net-benefit")
            box = laptop.locator(".cx-in-cost_per_invite input")
            assert box.input_value() == "0,05\u00a0€"
            box.fill("0,10")
            box.press("Enter")
            laptop.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b",
                                     arg=before, timeout=30_000)
            assert box.input_value() == "0,10\u00a0€" and laptop.inner_text(".cx-message").strip() == ""
            rate = laptop.locator(".cx-entry-response_rate input")
            rate.fill("150")
            rate.press("Enter")
            laptop.wait_for_selector(".cx-message .cx-err", timeout=30_000)
            assert "Taux de réponse : doit être entre 0 et 100 %, reçu 150" in laptop.inner_text(".cx-message")
            assert phone.inner_text("#cx-net-benefit") == before_phone and not phone.inner_text(".cx-message").strip()
    finally:
        server.stop()


@pytest.mark.parametrize("loc, amount", [("fr", "36\u202f000\u00a0€"), ("en", "€36,000")])
def test_every_roi_chart_hover_says_its_amount_as_the_page_writes_it(loc, amount):
    """No trace left to plotly's own hover (the waterfall's said "Initial: €0", in English
    on a French page); the amounts hovered are the page's (``36 000 €``)."""
    from cxtoolkit.viz import roi as vz

    sim = build_roi_app(locale=loc).simulator
    sim.set_input("annual_margin", 100)                      # the multi-year chart too
    sim.draw_charts(["multi_year"])
    for name, fig in sim.figs.items():
        for tr in fig.data:
            if tr.type in ("bar", "waterfall") or (tr.type == "scatter" and tr.mode == "lines+markers"):
                assert tr.hovertemplate, (name, tr.name)
    wf = vz.waterfall_spec(roi.compute(roi.prefill().inputs), "EUR", loc)["traces"][0]
    assert "%{text}" in wf["hovertemplate"] and wf["text"][0] == amount


@pytest.mark.parametrize("loc, said, not_said", [
    ("fr", "8 cas sur 10 donnent un gain net entre", ["P(ROI", "A1"]),
    ("en", "8 cases in 10 give a net benefit between", ["P(ROI", " : ", "Y1"]),
])
def test_the_risk_line_and_chart_titles_say_what_they_mean(loc, said, not_said):
    """The range under the waterfall says what P10 / P90 are (was "P10 / P50 / P90 du gain
    net : … — P(ROI > 0) = 99 %", and " : " in English); years are "Année 1" / "Year 1"."""
    sim = build_roi_app(locale=loc).simulator
    sim.set_input("annual_margin", 100)
    sim.set_input("fixed_cost", 20000)                       # a cost: the ROI is defined
    sim.draw_charts(["multi_year", "distribution"])
    risk = html.unescape(sim.risk.value)
    assert said in risk and (("probabilité d'un ROI positif" in risk) if loc == "fr" else ("probability of a positive ROI" in risk))
    shown = risk + " ".join(str(f.layout.title.text) + " " + " ".join(map(str, f.data[0].x or ())) for f in sim.figs.values())
    assert not [w for w in not_said if w in shown], shown
    assert ("Année 1" if loc == "fr" else "Year 1") in list(sim.figs["multi_year"].data[0].x)


# ----------------------------------------------------------------------------- days typed

@pytest.mark.parametrize("typed, loc, expected", [
    ("31/10/2026", "fr", (2026, 10, 31)), ("1/2/2026", "fr", (2026, 2, 1)), (" 29/02/2028 ", "fr", (2028, 2, 29)),
    ("2026-10-31", "fr", (2026, 10, 31)),                     # ISO, as the data and --from write it: a courtesy
    ("2026-10-31", "en", (2026, 10, 31)), ("2028-02-29", "en", (2028, 2, 29)),
])
def test_parse_day_reads_the_day_as_the_page_writes_it(typed, loc, expected):
    import datetime as dt

    from cxtoolkit.rules import parse_day
    assert parse_day(typed, loc) == dt.date(*expected)


@pytest.mark.parametrize("typed, loc, said_fr, said_en", [
    ("31/02/2026", "fr", "« 31/02/2026 » n'est pas une date (exemple : 31/10/2026)",
     "'31/02/2026' is not a date (e.g. 2026-10-31)"),
    ("29/02/2026", "fr", "« 29/02/2026 » n'est pas une date", "'29/02/2026' is not a date"),
    ("2026-02-30", "en", "« 2026-02-30 » n'est pas une date", "'2026-02-30' is not a date"),
    ("10/31/2026", "en", "« 10/31/2026 » n'est pas une date", "'10/31/2026' is not a date"),   # never guessed
    ("31/10/2026", "en", "« 31/10/2026 » n'est pas une date", "'31/10/2026' is not a date"),   # the English page writes ISO
    ("31/10/26", "fr", "« 31/10/26 » n'est pas une date", "'31/10/26' is not a date"),
    ("", "fr", "une valeur est attendue", "a value is expected"),
    ("01/11/2026", "fr", "doit être entre 01/09/2026 et 31/10/2026, reçu 01/11/2026",
     "must be between 2026-09-01 and 2026-10-31, got 2026-11-01"),
    ("2026-08-31", "en", "doit être entre 01/09/2026 et 31/10/2026, reçu 31/08/2026",
     "must be between 2026-09-01 and 2026-10-31, got 2026-08-31"),
])
def test_parse_day_refuses_in_the_page_language(typed, loc, said_fr, said_en):
    import datetime as dt

    from cxtoolkit.rules import parse_day
    with pytest.raises(InputError) as exc:
        parse_day(typed, loc, lo=dt.date(2026, 9, 1), hi=dt.date(2026, 10, 31))
    assert said_fr in exc.value.render("fr") and said_en in exc.value.render("en")


@pytest.mark.parametrize("loc", ["fr", "en"])
def test_a_day_shown_can_be_typed_back(loc):
    import datetime as dt

    from cxtoolkit.report.tables import day_range
    from cxtoolkit.rules import day_text, parse_day
    day = dt.date(2026, 1, 1)
    while day.year < 2029:
        assert parse_day(day_text(day, loc), loc) == day
        day += dt.timedelta(days=1)
    assert day_range("2026-10-01", "2026-10-31", loc).split(" → ")[1] == day_text(dt.date(2026, 10, 31), loc)


@pytest.mark.browser
def test_a_french_page_on_an_english_browser_takes_days_typed_in_french(tmp_path):
    """A French client's KPI page opened in an English Chromium (``--lang=en-US``, a
    ``en-US`` context): the period fields show and take days as the page writes them
    (« 01/10/2026 », not the browser's ``mm/dd/yyyy``: a ``<input type="date">`` refused
    « 31/10/2026 »); the KPI page is filtered to them; a day that does not exist is refused
    in French and the field shows the day in use again."""
    import re

    from browser import ARGS, CHROMIUM, need_chromium
    from conftest import write_demo_client
    from playwright.sync_api import sync_playwright

    from cxtoolkit.apps import serve
    need_chromium()
    write_demo_client(tmp_path / "client_data", n_contacts=3000, n_responses=600, months=2)
    server = serve.start_app("kpis", serve.free_port(), client="demo", client_data=str(tmp_path / "client_data"),
                             log_path=tmp_path / "voila.log", timeout=240, pool_size=1)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, "--lang=en-US"])
            try:
                page = b.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}).new_page()
                assert page.evaluate("navigator.language") == "en-US"
                page.goto(server.url, timeout=180_000, wait_until="commit")
                page.wait_for_function("() => document.querySelector('.cx-app .js-plotly-plot svg') !== null",
                                       timeout=180_000)
                start, end = page.locator(".cx-start input"), page.locator(".cx-end input")
                assert re.fullmatch(r"\d\d/\d\d/2026", end.input_value()), end.input_value()   # as the page writes it
                start.fill("01/10/2026")
                start.press("Enter")
                end.fill("31/10/2026")
                end.press("Enter")
                page.click(".cx-apply button, button.cx-apply")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.cx-app .jp-RenderedMarkdown')]"
                    ".some(e => e.textContent.includes('01/10/2026 → 31/10/2026'))", timeout=120_000)
                assert not page.locator(".cx-err").count()
                start.fill("31/02/2026")
                start.press("Enter")
                page.wait_for_selector(".cx-err", timeout=30_000)
                assert "Du : « 31/02/2026 » n'est pas une date (exemple : 31/10/2026)" in page.inner_text(".cx-err")
                page.wait_for_function("() => document.querySelector('.cx-start input').value === '01/10/2026'",
                                       timeout=30_000)
                assert "Traceback" not in page.inner_text("body")
            finally:
                b.close()
    finally:
        server.stop()
