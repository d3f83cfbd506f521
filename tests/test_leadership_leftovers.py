"""What leadership sees, leftovers: no tile without data (index and KPI page, one rule), the
workbook's period days as the reader writes a day, an amber wording true for every KPI."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

#: a ticket client (Comcast-like complaints): no waiting time, no e-mail response time, no survey
TICKET = {"inbound": 1119.0, "answer_rate": None, "abandonment_rate": None, "asa_s": None,
          "service_level": None, "aht_s": float("nan"), "email_within_24h": None, "repeat_rate": 0.21,
          "csat": None, "nps": None, "nps_ci95": None, "nps_n": 0.0}
INFO = {"client": "comcast", "period": "2026-10", "status": "ok", "notebooks": [], "downloads": []}


def test_index_shows_a_tile_only_for_a_kpi_with_data():
    from cxtoolkit.audit.index import render_index
    from cxtoolkit.kpis.registry import rag

    summary = {k: {"value": v, "status": rag(k, v)} for k, v in TICKET.items()}
    for loc in ("fr", "en"):
        page = render_index(INFO, summary, locale=loc)
        head = page.split('id="cx-headline"')[1].split("<h2>")[0]
        assert re.findall(r'data-kpi="([^"]+)"', head) == ["inbound", "repeat_rate"], loc
        assert "–" not in head, head


def test_a_phone_client_keeps_its_phone_tiles_and_loses_the_e_mail_one():
    from cxtoolkit.audit.index import render_index

    values = {"inbound": 5000.0, "answer_rate": 0.0, "asa_s": 31.0, "email_within_24h": float("nan")}
    page = render_index(INFO, {k: {"value": v} for k, v in values.items()}, locale="fr")
    assert re.findall(r'data-kpi="([^"]+)"', page) == ["inbound", "answer_rate", "asa_s"]   # 0 % is data


class _Tiles(Exception):
    pass


def test_kpi_page_tiles_follow_the_same_rule():
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.kpis.engine import status_table
    from cxtoolkit.kpis.registry import label
    from cxtoolkit.report import pages

    status = status_table(pd.Series({"answer_rate": 0.80, "asa_s": None, "service_level": float("nan"),
                                     "email_within_24h": None, "repeat_rate": 0.2, "csat": 0.7}), locale="en")
    shown = []

    def emit(obj):              # stop at the tiles, the page's first chart
        shown.append(obj)
        if hasattr(obj, "to_plotly_json"):
            raise _Tiles

    with pytest.raises(_Tiles):
        pages.render_kpis(ClientConfig(client="x"), {"k": {"overall": pd.DataFrame()}, "status": status,
                                                     "source": "daily"}, {"loc": "en"}, emit)
    titles = [t.title.text.split("</span>")[0].split(">")[-1] for t in shown[-1].data]
    assert titles == [label(k, "en") for k in ("answer_rate", "repeat_rate", "csat")], titles
    assert all(t.value is not None for t in shown[-1].data)


@pytest.mark.parametrize("loc, shown", [("fr", "dd/mm/yyyy"), ("en", "yyyy-mm-dd")])
def test_workbook_period_days_are_dates_written_as_the_reader_writes_a_day(tmp_path, loc, shown):
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    views = {"overall": pd.DataFrame({"inbound": [10]}, index=pd.Index(["overall"], name="overall"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx", locale=loc,
                                      about={"from": "2026-10-01", "to": "2026-10-31"}))["Lisez-moi - About"]
    assert [ws["A2"].value, ws["A3"].value] == ["Du / From", "Au / To"]
    assert [ws["B2"].value, ws["B3"].value] == [dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31)]
    assert ws["B2"].number_format == ws["B3"].number_format == shown
    # an open end stays a dash
    ws = load_workbook(write_workbook(views, tmp_path / "o.xlsx", about={"from": "—"}))["Lisez-moi - About"]
    assert ws["B2"].value == "—"


def test_the_amber_wording_is_true_for_every_kpi(tmp_path):
    """An abandonment rate of 22 % against its 15 % target is amber, judged as an answer rate of
    78 % against 85 %: the status line and the workbook legend must not call that "within 10 %"
    of its target (22 % is 47 % above it)."""
    from openpyxl import load_workbook

    from cxtoolkit.audit.index import findings
    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.kpis.registry import rag

    assert rag("abandonment_rate", 0.22) == "amber" and 0.22 > 0.15 * 1.1
    for loc, close in (("fr", "Proches de l'objectif : Taux d'abandon 22,0 %"),
                       ("en", "Close to target: Abandonment rate 22.0%")):
        (line,) = findings({"abandonment_rate": {"value": 0.22}}, None, None, loc)
        assert line.startswith(close) and "10" not in line.split("(")[0], line
    views = {"overall": pd.DataFrame({"inbound": [10]}, index=pd.Index(["overall"], name="overall"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx", about={}))["Lisez-moi - About"]
    legend = [r for r in ws.iter_rows(values_only=True) if r[0] and r[0].startswith("Couleurs")][0][1]
    assert "abandon" in legend and "abandonment" in legend, legend

