"""What a client's leadership reads in the audit's workbook, index page and KPI page: no code
name in sight, the data read counted (rows read = accepted + rejected), days as the reader
writes them."""
from __future__ import annotations

import pandas as pd
import pytest

from cxtoolkit.report.tables import cells, headers

pytest.importorskip("openpyxl")

COUNTS = {"contacts": {"file": "appels.csv", "read": 1234, "accepted": 1200, "rejected": 34},
          "responses": {"file": "enquete.xlsx", "read": 50, "accepted": 50, "rejected": 0}}
VIEWS = {"overall": pd.DataFrame({"answer_rate": [0.9], "aht_s": [300.0]}, index=pd.Index(["overall"], name="overall")),
         "week": pd.DataFrame({"service_level": [0.8]}, index=pd.Index(["2026-W40"], name="week"))}


def test_workbook_keeps_the_kpi_keys_out_of_sight(tmp_path):
    """Row 3 holds the KPI keys (``aht_s``, ``service_level``) for formulas and scripts: hidden,
    so the frozen header a reader sees is the French and English labels only."""
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    wb = load_workbook(write_workbook(VIEWS, tmp_path / "k.xlsx"))
    for name in ("Global - Overall", "Par semaine - By week"):
        ws = wb[name]
        assert ws.row_dimensions[3].hidden and ws["A3"].value == "key"
        assert not any(ws.row_dimensions[r].hidden for r in (1, 2, 4))
    assert wb["Global - Overall"]["C3"].value == "aht_s"       # still there for a formula


def test_workbook_first_sheet_counts_the_rows_read(tmp_path):
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    ws = load_workbook(write_workbook(VIEWS, tmp_path / "k.xlsx", about={"period": "2026-10"},
                                      counts=COUNTS))["Lisez-moi - About"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    at = rows.index(("Données / Data", "Fichier / File", "Lignes lues / Rows read", "Acceptées / Accepted",
                     "Rejetées / Rejected"))
    assert rows[at - 1][0] == "Données lues / Data read"
    assert rows[at + 1:at + 3] == [("Contacts", "appels.csv", 1234, 1200, 34),
                                   ("Réponses d'enquête / Survey answers", "enquete.xlsx", 50, 50, 0)]
    assert ws.cell(row=at + 2, column=3).number_format == "#,##0"      # 1 234 / 1,234 as Excel's locale


def test_workbook_without_counts_has_no_empty_data_block(tmp_path):
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    ws = load_workbook(write_workbook(VIEWS, tmp_path / "k.xlsx", counts={}))["Lisez-moi - About"]
    assert "Données lues / Data read" not in [r[0] for r in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize("loc, head, total", [
    ("fr", ["Données", "Fichier", "Lignes lues", "Acceptées", "Rejetées"], "1\u202f234"),
    ("en", ["Data", "File", "Rows read", "Accepted", "Rejected"], "1,234")])
def test_index_page_counts_the_rows_read(loc, head, total):
    from cxtoolkit.audit.index import render_index

    html = render_index({"client": "acme", "period": "2026-10", "status": "ok", "notebooks": [], "downloads": [],
                         "data": COUNTS}, locale=loc)
    part = html[html.index("<h2>Données lues</h2>" if loc == "fr" else "<h2>Data read</h2>"):]
    assert headers(part)[:5] == head
    assert cells(part)[:2] == [["Contacts", "appels.csv", total, "1\u202f200" if loc == "fr" else "1,200", "34"],
                               ["Réponses d'enquête" if loc == "fr" else "Survey answers", "enquete.xlsx", "50", "50", "0"]]
    assert "Données lues" not in render_index({"client": "acme", "period": "2026-10", "status": "ok",
                                               "notebooks": [], "downloads": []}, locale="fr")


@pytest.mark.parametrize("loc, shown", [("fr", "**Acme** — 01/10/2026 → 31/10/2026"),
                                        ("en", "**Acme** — 2026-10-01 → 2026-10-31")])
def test_page_header_days_as_the_reader_writes_them(loc, shown):
    """The KPI page's first line read "2026-10-01 → 2026-10-31" on a French page, where the
    deck's title and the workbook write 01/10/2026."""
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.report.pages import _period_line

    p = {"loc": loc, "period_start": "2026-10-01", "period_end": "2026-10-31"}
    assert _period_line(ClientConfig(client="acme", name="Acme"), p) == shown
    assert _period_line(ClientConfig(client="acme", name="Acme"), {**p, "period_end": ""}).endswith(" → …")


def test_the_audits_kpi_page_is_the_apps(tmp_path):
    """The audit built its KPI page apart from :func:`~cxtoolkit.pipeline.produce.kpi_page`
    and lost its notes: on a ticket export (``answered`` assumed by the preset) the app said
    the answer rate is not measured, the audit's page said nothing. Same page now, with the
    data read."""
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.io import load
    from cxtoolkit.pipeline.produce import kpi_page
    from cxtoolkit.pipeline.results import compute_results

    cfg = load_config(_client(tmp_path))
    data = load(cfg, now=NOW)
    page = compute_results(cfg, data, "all").pages["kpis"]
    alone = kpi_page(cfg, data, {"loc": "fr", "segment": ""})
    assert page["notes"] == alone["notes"] and len(page["notes"]) == 1 and "Taux de décroché (QS)" in page["notes"][0]
    assert page["counts"] == alone["counts"] == {"contacts": {"file": "tickets.csv", "read": 6, "accepted": 6,
                                                              "rejected": 0, "out_of_period": 0}}
    assert set(page) == set(alone) and page["status"].equals(alone["status"])


def test_a_ticket_exports_deck_shows_its_volumes_and_says_what_it_leaves_out(tmp_path):
    """A ticket export (Comcast layout: the answered flag assumed, no waiting time): its deck
    went from the summary straight to the business case, without the weekly volumes the KPI
    page shows nor a word on the KPI and weekday × hour slides it left out."""
    import io

    from pptx import Presentation
    from test_audit_deck import _layout_defects
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.io import load
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD

    cfg = load_config(_client(tmp_path))
    r = compute_results(cfg, load(cfg, now=NOW), "all")
    assert "kpis" not in AD.sections(r) and "heat" not in AD.sections(r)
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    T = AD.TEXT["fr"]
    (trends,) = [s for s in prs.slides if s.shapes.title.text == T["trends"]]
    (chart,) = [sh.chart for sh in trends.shapes if sh.has_chart]
    week = r.views["week"]
    assert chart.chart_title.text_frame.text == "Contacts reçus (tous canaux)"
    assert list(chart.plots[0].series[0].values) == week["contacts"].astype(float).tolist()
    appendix = "\n".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    assert "Aucun indicateur avec objectif n'est calculable." in appendix
    assert "Taux de décroché (QS) : non mesuré sur ces périodes." in appendix
    assert not _layout_defects(prs)


def test_the_friction_index_is_shown_as_the_commentary_says_it():
    """The journey page's table read "44,20" where its commentary and the deck say "indice 44/100"."""
    from cxtoolkit.report.tables import table_html

    f = pd.DataFrame({"stage_label_fr": ["Livraison"], "stage_label_en": ["Delivery"], "friction_index": [44.2]})
    assert cells(table_html(f, ["stage_label", "friction_index"], "fr")) == [["Livraison", "44"]]
    assert cells(table_html(f, ["stage_label", "friction_index"], "en")) == [["Delivery", "44"]]


def test_the_verbatims_table_says_lift_in_french_throughout():
    """The French verbatims table headed "Surreprésentation (lift)" then "Lift, borne basse"."""
    from cxtoolkit.report.tables import column_label

    assert [column_label(k, "fr") for k in ("lift", "lift_ci_low", "lift_ci_high")] == [
        "Surreprésentation (lift)", "Surreprésentation, borne basse (IC 95 %)", "Surreprésentation, borne haute (IC 95 %)"]


def test_an_interval_half_width_reads_plus_or_minus_everywhere(tmp_path):
    """The NPS's 95 % half-width read "+3,3" in the workbook and in a segment table (signed
    like an NPS), "±3,3" on the index page and the journey tables."""
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.report.tables import table_html

    views = {"overall": pd.DataFrame({"nps": [-5.5], "nps_ci95": [3.27], "nps_ci95_adjusted": [3.26]},
                                     index=pd.Index(["overall"], name="overall"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx"))["Global - Overall"]
    assert [ws[c].number_format for c in ("B4", "C4", "D4")] == ["+0.0;-0.0;0.0", '"±"0.0', '"±"0.0']
    seg = pd.DataFrame({"nps": [-5.5], "nps_ci95": [3.27]}, index=pd.Index(["FR"], name="country"))
    assert cells(table_html(seg, ["nps", "nps_ci95"], "fr", index=False)) == [["-5,5", "±3,3"]]


def test_a_long_period_trends_by_month():
    """An audit of all the data (3.5 years of a daily report) drew ~180 weekly points per small
    multiple under "Tendances par semaine": past half a year of weeks, the slide is by month."""
    import io

    import numpy as np
    from pptx import Presentation

    from cxtoolkit.config import ClientConfig
    from cxtoolkit.io import ClientData
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD

    def deck(days: int):
        at = pd.Timestamp("2026-01-05 10:00") + pd.to_timedelta(np.arange(days * 4) // 4, unit="D")
        calls = pd.DataFrame({"contact_id": [f"c{i}" for i in range(len(at))], "channel": "phone",
                              "received_at": at, "answered": np.arange(len(at)) % 5 > 0, "wait_s": 10.0})
        r = compute_results(ClientConfig(client="acme", name="Acme", locale="fr"), ClientData(contacts=calls), "all")
        return r, Presentation(io.BytesIO(AD.to_pptx(r)))

    r, prs = deck(7 * 30)                           # 30 weeks, January to August
    titles = [s.shapes.title.text for s in prs.slides]
    assert "Tendances par mois" in titles and "Tendances par semaine" not in titles
    (s,) = [s for s in prs.slides if s.shapes.title.text == "Tendances par mois"]
    chart = next(sh.chart for sh in s.shapes if sh.has_chart)
    assert list(r.views["month"].index) == [f"2026-0{m}" for m in range(1, 9)]   # the data keeps the codes
    assert list(chart.plots[0].categories) == ["janv. 2026", "févr. 2026", "mars 2026", "avr. 2026", "mai 2026",
                                               "juin 2026", "juil. 2026", "août 2026"]   # the reader's months
    _, prs = deck(7 * 8)                            # 8 weeks: by week, as before
    assert "Tendances par semaine" in [s.shapes.title.text for s in prs.slides]


@pytest.mark.parametrize("loc, ratio", [("fr", "0.0 %"), ("en", "0.0%")])
def test_workbook_rates_read_as_the_pages_and_the_deck_write_them(tmp_path, loc, ratio):
    """A French workbook showed 78,1% where the pages and the deck's labels say 78,1 %: one
    Excel format rule (rules.excel_format) for the workbook and the deck."""
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.rules import excel_format

    ws = load_workbook(write_workbook(VIEWS, tmp_path / "k.xlsx", locale=loc))["Global - Overall"]
    assert [ws["B4"].number_format, ws["C4"].number_format] == [ratio, '0" s"']
    assert excel_format("ratio", loc) == ratio and excel_format("ratio", loc, 0) == ratio.replace(".0", "")
