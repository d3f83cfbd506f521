"""Issue 15 item 2: report tables people read (labels and units in the client's language,
locale number formats, no index column, escaped cells, sortable) and the index page as an
executive summary (headline tiles with RAG, findings from the commentary, what changed in
words, the history chart from two audits on), in one language."""
import re

import pandas as pd
import pytest

from cxtoolkit.report.tables import Col, cells, headers, table, table_html

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def test_known_answer_french_and_english():
    f = pd.DataFrame({"stage_label_fr": ["Livraison", "Facture"], "stage_label_en": ["Delivery", "Invoice"],
                      "n": [1234, 56], "unhappy_share": [0.25314, float("nan")], "nps": [12.0, -3.25],
                      "nps_ci95": [6.123, 20.0], "asa_s": [42.4, 61.6], "lift": [1.846, 0.5]})
    spec = ["stage_label", "n", "unhappy_share", "nps", Col("nps_ci95", half_width=True), "asa_s", "lift"]
    fr = table_html(f, spec, "fr")
    assert headers(fr) == ["Étape du parcours", "Réponses", "Clients très insatisfaits", "NPS (recommandation)",
                           "NPS ± IC 95 %", "DMA (durée moyenne d'attente)", "Surreprésentation (lift)"]
    assert cells(fr) == [["Livraison", "1\u202f234", "25,3 %", "+12,0", "±6,1", "42 s", "1,85×"],
                         ["Facture", "56", "–", "-3,3", "±20,0", "62 s", "0,50×"]]
    en = table_html(f, spec, "en")
    assert headers(en)[:3] == ["Journey stage", "Answers", "Very unhappy customers"]
    assert cells(en)[0] == ["Delivery", "1,234", "25.3%", "+12.0", "±6.1", "42 s", "1.85×"]


def test_no_index_column_unless_asked_and_then_labelled():
    f = pd.DataFrame({"answer_rate": [0.9, 0.8]}, index=pd.Index(["mon", "tue"], name="weekday"))
    assert headers(table_html(f, None, "en")) == ["Answer rate"]
    assert headers(table_html(f, None, "fr", index=True)) == ["Jour", "Taux de décroché (QS)"]
    assert cells(table_html(f, None, "fr", index=True)) == [["lun", "90,0 %"], ["mar", "80,0 %"]]


def test_every_cell_is_escaped_and_the_table_holds_no_script():
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    f = pd.DataFrame({"label_fr": [payload], "label_en": [payload], "mentions": [3]})
    html = table(f, ["theme_label", "mentions"], "fr")._repr_html_()
    assert "<img" not in html and "<script" not in html and "onerror=\"" not in html
    assert cells(html) == [[payload, "3"]]


def test_numbers_sort_by_their_raw_value():
    f = pd.DataFrame({"asa_s": [5.0, 120.0, float("nan")]})
    html = table_html(f, None, "fr")
    assert re.findall(r'data-v="([^"]*)"', html) == ["5.0", "120.0", ""]
    assert 'class="cx-table cx-sortable"' in html


def test_unknown_column_is_never_shown_as_a_code_name():
    html = table_html(pd.DataFrame({"some_new_col": [1]}), None, "en")
    assert not any(SNAKE.match(h) for h in headers(html))


# -- the index page -------------------------------------------------------------------------

def _index(locale, periods=2):
    from cxtoolkit.audit.history import what_changed
    from cxtoolkit.audit.index import render_index

    summary = {"inbound": {"value": 4079.0, "status": None}, "answer_rate": {"value": 0.791, "status": "amber"},
               "abandonment_rate": {"value": 0.209, "status": "red"}, "asa_s": {"value": 31.0, "status": "green"},
               "csat": {"value": 0.577, "status": None}, "csat_n": {"value": 700.0, "status": None},
               "nps": {"value": 4.6, "status": None}, "nps_ci95": {"value": 6.1, "status": None}}
    prev = pd.DataFrame({"kpi": ["answer_rate", "nps"], "segment_by": "overall", "segment": "overall",
                         "value": [0.847, 2.0], "n": [4000.0, 700.0], "se": [float("nan"), 3.0]})
    cur = prev.assign(value=[0.791, 4.6], se=[float("nan"), 3.1])
    changes = what_changed(prev, cur)
    trend = pd.DataFrame({"answer_rate": [0.86, 0.847, 0.791], "nps": [1.0, 2.0, 4.6]},
                         index=pd.Index(["2026-08", "2026-09", "2026-10"], name="period")).tail(periods)
    info = {"client": "acme", "client_name": "Acme <b>", "period": "2026-10", "status": "ok",
            "previous_period": "2026-09", "notebooks": [{"name": "kpis", "title": "KPIs", "status": "ok",
                                                         "html": "kpis.html", "duration_s": 3.0}],
            "downloads": [("KPI workbook", "kpis.xlsx")]}
    return render_index(info, summary, changes, trend, locale=locale, targets={"answer_rate": 0.9})


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_index_is_an_executive_summary_in_one_language(locale):
    html = _index(locale)
    fr = locale == "fr"
    assert ("Chiffres clés" in html) is fr and ("Headline figures" in html) is not fr
    assert " / " not in re.sub(r"<[^>]+>", "", html.split("</style>", 1)[1]).split("cx-table-sort")[0]
    assert html.count('class="cx-tile"') == 6                          # counts and CI inside tiles
    # RAG words and the client's target (0.9 over the registry's 0.85)
    assert ("objectif manqué" if fr else "target missed") in html
    assert ("objectif 90,0 %" if fr else "target 90.0%") in html
    # findings come from the commentary functions
    from cxtoolkit.kpis import commentary as C
    assert C.comment_trend(pd.DataFrame({"answer_rate": [0.847, 0.791]}, index=["2026-09", "2026-10"]),
                           "answer_rate", locale) in html.replace("&#x27;", "'")
    # what changed, significance in words
    assert ("dégradation significative" if fr else "significant deterioration") in html
    assert ("-5,6 pts" if fr else "-5.6 pts") in html
    assert html.count("<svg") == 2 and 'id="cx-history"' in html         # one small chart per KPI
    assert "Acme &lt;b&gt;" in html and "https://" not in html


def test_no_history_chart_before_the_second_audit():
    html = _index("en", periods=1)
    assert "<svg" not in html and "The history chart appears from the second audit on." in html


def test_the_published_notebook_page_carries_the_sorting_script(tmp_path):
    import nbformat

    from cxtoolkit.audit.export import notebook_to_html

    cell = nbformat.v4.new_code_cell("t")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": table_html(
        pd.DataFrame({"asa_s": [1.0, 2.0]}), None, "en")})]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), str(tmp_path / "x.ipynb"))
    page = notebook_to_html(tmp_path / "x.ipynb", tmp_path / "x.html").read_text(encoding="utf-8")
    assert page.count('id="cx-table-sort"') == 1 and "cx-sortable" in page


def test_the_voila_page_template_carries_the_sorting_script(tmp_path):
    from cxtoolkit.apps.serve import offline_template

    name = offline_template(tmp_path)
    if name is None:
        pytest.skip("Voila's lab template is not installed")
    text = (tmp_path / "voila" / "templates" / name / "index.html.j2").read_text(encoding="utf-8")
    assert 'id="cx-table-sort"' in text and "{% raw %}" in text


def test_code_values_shown_by_their_labels():
    f = pd.DataFrame({"label": ["irritant", "delighter"], "worst_criterion": ["empathy", None]})
    html = table_html(f, [Col("label", "theme_kind"), Col("worst_criterion", values={"empathy": "Empathie"})], "fr")
    assert headers(html) == ["Nature", "Critère le plus discuté"]
    assert cells(html) == [["Irritant", "Empathie"], ["Enchanteur", "–"]]


def test_the_history_chart_draws_a_small_change_small():
    """CSAT 60.7 % → 60.8 % is drawn nearly flat (the axis spans at least 10 points of a rate),
    while 87 % → 78 % still falls across most of the chart."""
    import re

    from cxtoolkit.audit.index import history_chart

    def drop(key, a, b):
        t = pd.DataFrame({key: [a, b]}, index=pd.Index(["2026-09", "2026-10"], name="period"))
        ys = [float(y) for y in re.findall(r'<circle cx="[0-9.]+" cy="([0-9.]+)"', history_chart(t, "en"))]
        return abs(ys[1] - ys[0])

    assert drop("csat", 0.607, 0.608) < 2.0          # pixels (was the whole chart's height)
    assert drop("answer_rate", 0.873, 0.781) > 40.0
    assert drop("nps", -5.3, -5.5) < 4.0


def test_the_notebooks_notes_for_the_consultant_stay_out_of_the_report(tmp_path):
    """The packaged notebooks' opening notes (what the notebook does, how to serve it with
    Voila) are for the consultant: tagged, they are left out of the published page."""
    import nbformat

    from cxtoolkit import resources
    from cxtoolkit.audit.export import NOTES_TAG, notebook_to_html

    for name in ("kpis", "journey", "verbatims", "quality", "staffing"):
        nb = nbformat.read(str(resources.notebook(name)), as_version=4)
        notes = [c for c in nb.cells if c.cell_type == "markdown"]
        assert notes and all(NOTES_TAG in c.metadata.get("tags", []) for c in notes), name
        nb.cells = notes + [nbformat.v4.new_markdown_cell("Kept for leadership")]
        page = notebook_to_html(nb, tmp_path / f"{name}.html").read_text(encoding="utf-8")
        assert "serves this notebook" not in page and "cxtoolkit app" not in page, name
        assert "Kept for leadership" in page


@pytest.mark.parametrize("key, delta, direction, loc, expected", [
    ("csat", 0.0002, "better", "fr", "stable depuis septembre 2026"),     # +0,02 pt: not ▲ +0,0 pts
    ("csat", -0.0004, "worse", "en", "unchanged since September 2026"),
    ("nps", 0.04, "better", "fr", "stable depuis septembre 2026"),
    ("asa_s", 0.3, "worse", "en", "unchanged since September 2026"),
    ("csat", 0.0005, "better", "fr", "▲ +0,1 pts depuis septembre 2026"),  # reads 0,1: an arrow
    ("asa_s", -2.0, "better", "en", "▲ -2 s since September 2026"),
])
def test_index_tile_says_a_change_that_reads_zero_is_stable(key, delta, direction, loc, expected):
    from cxtoolkit.audit.index import _tiles

    changes = pd.DataFrame({"kpi": [key], "segment_by": ["overall"], "segment": ["overall"], "previous": [0.5],
                            "current": [0.5], "delta": [delta], "significant": [None], "direction": [direction],
                            "p_value": [None]})
    html = _tiles({key: {"value": 0.5}}, changes, loc, None, "2026-09")
    assert f'<div class="sub">{expected}</div>' in html


def test_deck_and_index_change_column_say_stable_once():
    from cxtoolkit.report.tables import change_arrow, format_delta

    assert format_delta("csat", 0.0002, "fr") == "stable" and format_delta("csat", -0.0002, "en") == "unchanged"
    assert format_delta("nps", -0.04, "fr") == "stable" and format_delta("aht_s", 0.4, "fr") == "stable"
    assert format_delta("csat", -0.0006, "fr") == "-0,1 pts"
    assert change_arrow("csat", 0.0002, "better") == "" and change_arrow("csat", 0.002, "worse") == "▼ "
