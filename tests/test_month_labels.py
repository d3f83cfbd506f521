"""A month as leadership reads it: « octobre 2026 » / "October 2026" (short on a small chart:
« oct. 2026 » / "Oct 2026"), one rule (``rules.month_text``), in the deck, the pages and the
workbook; the data, CSV and JSON keep the code ``2026-10``."""
from __future__ import annotations

import io
import locale as pylocale

import pandas as pd
import pytest

from cxtoolkit.rules import calendar_text, month_first, month_label, month_parts, month_text

FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
      "novembre", "décembre"]
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"]
FR_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
EN_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_french_and_english(month):
    code = f"2026-{month:02d}"
    assert month_text(code, "fr") == f"{FR[month - 1]} 2026"
    assert month_text(code, "en") == f"{EN[month - 1]} 2026"
    assert month_text(code, "fr", short=True) == f"{FR_SHORT[month - 1]} 2026"
    assert month_text(code, "en", short=True) == f"{EN_SHORT[month - 1]} 2026"
    assert calendar_text(code, "fr") == month_text(code, "fr")
    assert month_first(code).month == month and month_parts(code) == {"year": 2026, "month": month}


def test_french_accents_and_other_values():
    assert [month_text(c, "fr") for c in ("2027-02", "2025-08", "2026-12")] == \
        ["février 2027", "août 2025", "décembre 2026"]
    # not a month: unchanged (a week has its own words; a quarter, a day, a bad month as is)
    assert [month_text(v, "fr") for v in ("2026-W40", "2026-Q1", "2026-10-01", "2026-13", None)] == \
        ["2026-W40", "2026-Q1", "2026-10-01", "2026-13", None]
    assert calendar_text("2026-W40", "fr") == "sem. 40 2026"
    # the data's code is unchanged
    assert month_label(pd.Series(pd.to_datetime(["2026-10-04"]))).tolist() == ["2026-10"]


def test_not_the_machines_locale():
    """The names are the catalogue's: the process's C locale (or any) changes nothing."""
    saved = pylocale.setlocale(pylocale.LC_TIME)
    try:
        pylocale.setlocale(pylocale.LC_TIME, "C")
        assert month_text("2026-10", "fr") == "octobre 2026" and month_text("2026-10", "en") == "October 2026"
    finally:
        pylocale.setlocale(pylocale.LC_TIME, saved)


def _changes():
    return pd.DataFrame({"kpi": ["answer_rate"], "segment_by": "overall", "segment": "overall",
                         "previous": [0.873], "current": [0.781], "delta": [-0.092], "significant": [True],
                         "direction": ["worse"], "p_adjusted": [0.001], "p_value": [0.001]})


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    from conftest import write_demo_client
    from cxtoolkit.audit import collect
    from cxtoolkit.config import load_config

    folder = write_demo_client(tmp_path_factory.mktemp("months"), "demo-small", preset="demo-small",
                               n_contacts=2_000, n_responses=300, months=2)
    cfg = load_config(folder / "client.yml")
    return cfg, collect.compute_views(cfg)


@pytest.mark.parametrize("loc, month, previous, short", [("fr", "octobre 2026", "septembre 2026", "sept. 2026"),
                                                          ("en", "October 2026", "September 2026", "Sep 2026")])
def test_the_deck_says_its_months(views, monkeypatch, loc, month, previous, short):
    from pptx import Presentation

    from cxtoolkit.audit.results import deck_results
    from cxtoolkit.report import audit_deck as AD

    cfg, v = views
    cfg = cfg.model_copy(update={"locale": loc})
    monkeypatch.setattr(AD, "MAX_WEEKS", 2)           # the trend slide by month
    r = deck_results(cfg, v, "2026-10", _changes(), "2026-09")
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    texts = []
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                texts.append(sh.text_frame.text)
            if sh.has_table:
                texts += [c.text for row in sh.table.rows for c in row.cells]
            if sh.has_chart and slide.shapes.title.text in ("Tendances par mois", "Monthly trends"):
                texts += [f"CATEGORY {c}" for c in sh.chart.plots[0].categories]
    everything = "\n".join(texts)
    assert f"— {month} —" in everything                                 # the title slide
    assert f"({previous})" in everything                                # the changes slide's column
    assert (" depuis " if loc == "fr" else " since ") + previous in everything   # the summary
    months = sorted(r.views["month"].index.astype(str))
    assert [t for t in texts if t.startswith("CATEGORY")] and all(
        f"CATEGORY {calendar_text(m, loc, short=True)}" in texts for m in months)
    assert "2026-10" not in everything and "2026-09" not in everything


def test_the_index_page_says_its_months():
    from cxtoolkit.audit.index import render_index

    info = {"client": "demo", "period": "2026-10", "previous_period": "2026-09", "status": "ok",
            "notebooks": [], "downloads": []}
    trend = pd.DataFrame({"answer_rate": [0.873, 0.781]}, index=pd.Index(["2026-09", "2026-10"], name="period"))
    summary = {"answer_rate": {"value": 0.781}}
    for loc, month, previous, short in (("fr", "octobre 2026", "septembre 2026", "sept. 2026"),
                                        ("en", "October 2026", "September 2026", "Sep 2026")):
        page = render_index(info, summary, _changes(), trend, locale=loc)
        assert f"<title>demo — audit {month}</title>" in page.replace("Audit", "audit")
        assert previous in page and short in page
        assert ("Comparé à l&#x27;audit précédent (septembre 2026)" if loc == "fr" else
                "Compared with the previous audit (September 2026)") in page
        assert "2026-09" not in page and "2026-10" not in page, loc


MONTHS = ["2025-12", "2026-02", "2026-04", "2026-08", "2026-10"]   # by name: août, avril, déc., févr., oct.


def _month_workbook(tmp_path, loc):
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    views = {"month": pd.DataFrame({"inbound": [10, 12, 9, 11, 8]}, index=pd.Index(MONTHS, name="month"))}
    return load_workbook(write_workbook(views, tmp_path / f"k.{loc}.xlsx", locale=loc, about={"period": "2026-10"}))


@pytest.mark.parametrize("loc, fmt", [("fr", "[$-40C]mmmm yyyy"), ("en", "[$-809]mmmm yyyy")])
def test_the_workbooks_months_are_dates_shown_by_their_names(tmp_path, loc, fmt):
    """The "By month" rows and the About sheet's period were text (« octobre 2026 / October
    2026 »): re-sorted, août came before avril and décembre before février, and a formula could
    not use them. They are the month's first day, shown by its name in the workbook's language
    (Excel's locale-tagged format, one rule: ``rules.excel_format("month")``)."""
    import datetime as dt

    from cxtoolkit.rules import excel_format

    assert excel_format("month", loc) == fmt
    wb = _month_workbook(tmp_path, loc)
    ws = wb["Par mois - By month"]
    cells = [r[0] for r in ws.iter_rows(min_row=4)]
    assert [c.value for c in cells] == [dt.datetime(int(m[:4]), int(m[5:]), 1) for m in MONTHS]
    assert {c.number_format for c in cells} == {fmt}
    assert sorted(c.value for c in cells) == [c.value for c in cells]     # sorts by date, not by name
    about = {r[0].value: r[1] for r in wb["Lisez-moi - About"].iter_rows()}
    assert about["Période / Period"].value == dt.datetime(2026, 10, 1)
    assert about["Période / Period"].number_format == fmt


def test_libreoffice_shows_the_workbooks_months_by_their_names(tmp_path):
    """What a reader sees: LibreOffice renders the month format in the workbook's language
    (a ``[$-fr-FR]`` tag it does not read would show a bare number)."""
    import csv
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("no LibreOffice")
    shown = {}
    for loc in ("fr", "en"):
        _month_workbook(tmp_path, loc)
        r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2",
                            "--outdir", str(tmp_path / loc), str(tmp_path / f"k.{loc}.xlsx")],
                           capture_output=True, text=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
        out = tmp_path / loc / f"k.{loc}-Par mois - By month.csv"
        if not out.is_file():
            pytest.skip(f"LibreOffice without Calc: {r.stderr.strip()[-200:]}")
        shown[loc] = [row[0] for row in csv.reader(out.open(encoding="utf-8"))][3:]
    assert shown["fr"] == ["décembre 2025", "février 2026", "avril 2026", "août 2026", "octobre 2026"]
    assert shown["en"] == ["December 2025", "February 2026", "April 2026", "August 2026", "October 2026"]
    assert shown["fr"] == [month_text(m, "fr") for m in MONTHS]      # the names of month_text


# -- partial weeks: a monthly audit's first and last weeks (sem. 40 = 1–4 October 2026)

def test_partial_week_label_says_its_days_in_both_languages():
    from cxtoolkit.rules import calendar_text, days_covered, week_text

    assert [days_covered(w, "2026-10-01", "2026-10-31") for w in ("2026-W40", "2026-W41", "2026-W44")] == [4, 7, 6]
    assert week_text("2026-W40", "fr", "2026-10-01", "2026-10-31") == "sem. 40 2026, 1–4 oct."
    assert week_text("2026-W40", "en", "2026-10-01", "2026-10-31") == "wk 40 2026, Oct 1–4"
    assert week_text("2026-W44", "fr", "2026-10-01", "2026-10-31") == "sem. 44 2026, 26–31 oct."
    assert calendar_text("2026-W41", "fr", start="2026-10-01", end="2026-10-31") == "sem. 41 2026"   # full week
    assert week_text("2026-W40", "fr") == "sem. 40 2026"   # no period: as before


def test_one_day_period_says_its_day_once():
    """A one-day period (--from 2026-10-26 --to 2026-10-26) covers one day of its week: '26 oct.',
    not '26–26 oct.'; a period across the year's end says both months (ISO week 53)."""
    from cxtoolkit.rules import week_text

    assert week_text("2026-W44", "fr", "2026-10-26", "2026-10-26") == "sem. 44 2026, 26 oct."
    assert week_text("2026-W44", "en", "2026-10-26", "2026-10-26") == "wk 44 2026, Oct 26"
    assert week_text("2026-W53", "fr", "2026-12-30", "2027-01-02") == "sem. 53 2026, 30 déc.–2 janv."
    assert week_text("2026-W53", "en", "2027-01-01", "2027-01-31") == "wk 53 2026, Jan 1–3"


def _october_weeks():
    import pandas as pd

    idx = pd.Index(["2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"], name="week")
    return pd.DataFrame({"contacts": [3967, 7843, 8175, 7890, 7480],
                         "answer_rate": [0.746, 0.787, 0.760, 0.804, 0.789]}, index=idx)


def test_trend_of_a_volume_compares_full_weeks_only():
    from cxtoolkit.kpis.commentary import comment_trend

    said = comment_trend(_october_weeks(), "contacts", "fr", "2026-10-01", "2026-10-31")
    # the 4-day week 40 (3 967) is not the lowest week: full weeks 41–43 only (7 843, 8 175, 7 890)
    assert "3\u202f967" not in said and "7\u202f480" not in said
    assert said.startswith("Contacts reçus (tous canaux) passe de 7\u202f843 (sem. 41 2026) à 7\u202f890 (sem. 43 2026)")
    assert "plus bas sem. 41 2026 (7\u202f843)" in said and "plus haut sem. 42 2026 (8\u202f175)" in said
    assert "semaines incomplètes hors comparaison (sem. 40 2026, 1–4 oct. ; sem. 44 2026, 26–31 oct.)" in said
    en = comment_trend(_october_weeks(), "contacts", "en", "2026-10-01", "2026-10-31")
    assert "partial weeks left out of the comparison (wk 40 2026, Oct 1–4; wk 44 2026, Oct 26–31)" in en


def test_trend_of_a_rate_keeps_partial_weeks_marked():
    from cxtoolkit.kpis.commentary import comment_trend

    said = comment_trend(_october_weeks(), "answer_rate", "fr", "2026-10-01", "2026-10-31")
    assert said.startswith("Taux de décroché (QS) passe de 74,6 % (sem. 40 2026, 1–4 oct.) à 78,9 % (sem. 44 2026, 26–31 oct.)")


def test_kpi_page_names_a_monthly_audits_partial_weeks_with_their_days(tmp_path):
    """The KPI page of a one-month period: the trend's axis and its sentence say the days of
    the month's first and last weeks when they are partial (sem. 40 2026, 1–4 oct.)."""
    import pandas as pd
    from conftest import write_demo_client

    from cxtoolkit import io
    from cxtoolkit.config import load_client
    from cxtoolkit.pipeline.produce import PRODUCERS
    from cxtoolkit.report import pages
    from cxtoolkit.rules import days_covered, week_text

    folder = write_demo_client(tmp_path, n_contacts=3_000, n_responses=300, months=2)
    cfg = load_client(str(folder / "client.yml"))
    months = sorted(io.load(cfg).contacts["received_at"].dt.strftime("%Y-%m").unique())
    start = f"{months[-1]}-01"
    end = str((pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date())
    p = {"loc": "fr", "period_start": start, "period_end": end}
    shown = []
    results = PRODUCERS["kpis"](cfg, io.load(cfg, start=start, end=end), p)
    pages.render_kpis(cfg, results, p, emit=shown.append)
    weeks = results["k"]["week"].index.astype(str).tolist()
    partial = [w for w in weeks if days_covered(w, start, end) < 7]
    assert partial, "a calendar month always starts or ends inside a week here"
    labels = [week_text(w, "fr", start, end) for w in weeks]
    axes = [list(t.x) for f in shown if hasattr(f, "layout") for t in getattr(f, "data", ())
            if getattr(t, "x", None) is not None and any("sem." in str(x) for x in t.x)]
    assert axes and axes[0] == labels and any("–" in x for x in axes[0])
    said = " ".join(o.data for o in shown if isinstance(getattr(o, "data", None), str))
    assert week_text(weeks[0], "fr", start, end) in said or week_text(weeks[-1], "fr", start, end) in said


def test_workbook_week_sheet_says_the_days_each_week_covers(tmp_path):
    """The week sheet writes each week as its Monday (« sem. du 28/09/2026 »): a last column says
    how many of its days the period covers (4 for 1–4 October), in both languages."""
    import pandas as pd
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    week = pd.DataFrame({"contacts": [3967, 7843, 7480]},
                        index=pd.Index(["2026-W40", "2026-W41", "2026-W44"], name="week"))
    path = write_workbook({"week": week}, tmp_path / "k.xlsx", about={"from": "2026-10-01", "to": "2026-10-31"})
    ws = load_workbook(path)["Par semaine - By week"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "Jours couverts (sur 7)" and rows[1][-1] == "Days covered (of 7)"
    assert [r[-1] for r in rows[3:]] == [4, 7, 6]
    # without a period (all the data) the days are not known: no column
    ws = load_workbook(write_workbook({"week": week}, tmp_path / "all.xlsx", about={"period": "all"}))["Par semaine - By week"]
    assert [c.value for c in ws[1]][-1] != "Jours couverts (sur 7)"


def test_quality_page_trend_names_partial_weeks_as_the_deck_does():
    """The QA score's weekly trend on the quality page says a partial week's days, as the
    deck's QA slide does (the page showed 'sem. 40 2026' where the deck said '…, 1–4 oct.')."""
    import pandas as pd

    from cxtoolkit.viz import quality as QV

    t = pd.DataFrame({"week": ["2026-W40", "2026-W41", "2026-W44"], "n": [3, 5, 4], "score": [80.0, 82.0, 81.0]})
    assert list(QV.trend(t, "fr", "2026-10-01", "2026-10-31").data[0].x) == [
        "sem. 40 2026, 1–4 oct.", "sem. 41 2026", "sem. 44 2026, 26–31 oct."]
    assert list(QV.trend(t, "en").data[0].x) == ["wk 40 2026", "wk 41 2026", "wk 44 2026"]


def test_the_previous_audit_of_a_day_range_is_said_in_days_not_its_code():
    """An audit run with --from/--to is stored as ``2026-07-01_2026-09-30``: the « what changed »
    sentence said « depuis 2026-07-01_2026-09-30 »; it says the days as the index page does."""
    import pandas as pd

    from cxtoolkit.kpis.commentary import comment_changes
    from cxtoolkit.report.tables import period_label

    ch = pd.DataFrame({"kpi": ["answer_rate"], "segment_by": "overall", "segment": "overall", "previous": [0.85],
                       "current": [0.78], "significant": [True], "direction": ["worse"], "p_adjusted": [0.001]})
    fr = comment_changes(ch, "2026-07-01_2026-09-30", "fr")
    en = comment_changes(ch, "2026-07-01_2026-09-30", "en")
    assert "depuis 01/07/2026 → 30/09/2026" in fr and "_" not in fr
    assert "since 2026-07-01 → 2026-09-30" in en
    assert period_label("2026-07-01_2026-09-30", "fr") in fr   # the index page's label, one rule
    assert "depuis toutes les données" not in comment_changes(ch, "2026-09", "fr")
