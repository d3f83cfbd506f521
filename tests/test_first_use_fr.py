"""A French consultant's first audit with cxtoolkit, as leadership reads it: defects found by
following the README on the demo and on real exports, each pinned by a test that failed before."""
from __future__ import annotations

import pytest
from conftest import write_demo_client

from cxtoolkit import io
from cxtoolkit.config import load_client
from cxtoolkit.pipeline.produce import PRODUCERS
from cxtoolkit.report import pages


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = write_demo_client(tmp_path_factory.mktemp("demo"), n_contacts=3_000, n_responses=1_500, months=2)
    cfg = load_client(str(folder / "client.yml"))
    return cfg, io.load(cfg)


def _said(name, cfg, data, p) -> list[str]:
    shown = []
    getattr(pages, f"render_{name}")(cfg, PRODUCERS[name](cfg, data, p), p, emit=shown.append)
    return [o.data for o in shown if isinstance(getattr(o, "data", None), str)]


@pytest.mark.parametrize("loc, name", [("fr", "Espagne"), ("en", "Spain")])
def test_quality_page_title_names_the_country_not_its_code(demo, loc, name):
    cfg, data = demo
    p = {"loc": loc, "period_start": "", "period_end": "", "country": "ES", "vendor": ""}
    title = _said("quality", cfg, data, p)[0]
    assert title.endswith(f" · {name}"), title
    assert "· ES" not in title


def test_kpi_page_trend_of_an_unmeasured_rate_is_not_called_short_of_periods(tmp_path):
    """A ticket export (``answered`` assumed by its preset): the answer rate is not measured
    over many weeks; the page said "pas assez de périodes" and drew an empty chart. It now
    draws and comments a KPI that is measured (the volume), and the rate alone is said unmeasured."""
    import pandas as pd
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.kpis import commentary as C

    cfg = load_config(_client(tmp_path))
    data = io.load(cfg, now=NOW)
    p = {"loc": "fr", "period_start": "", "period_end": ""}
    shown = []
    pages.render_kpis(cfg, PRODUCERS["kpis"](cfg, data, p), p, emit=shown.append)
    said = [o.data for o in shown if isinstance(getattr(o, "data", None), str)]
    assert not [s for s in said if "pas assez de périodes" in s], said
    assert [s for s in said if s.startswith("Contacts reçus (tous canaux) passe de")], said
    trends = [o for o in shown if hasattr(o, "to_plotly_json") and o.data and o.data[0].type == "scatter"]
    assert trends and all(pd.Series(t.data[0].y, dtype="float64").notna().any() for t in trends)
    # the rule itself: periods without a value are "not measured", not "too few periods"
    weeks = pd.DataFrame({"answer_rate": [float("nan")] * 3}, index=pd.Index(["W1", "W2", "W3"], name="week"))
    assert C.comment_trend(weeks, "answer_rate", "fr") == "Taux de décroché (QS) : non mesuré sur ces périodes."
    assert C.comment_trend(weeks.iloc[:1].fillna(0.8), "answer_rate", "en") == \
        "Answer rate: not enough periods for a trend."


@pytest.mark.parametrize("args", [["validate", "--help"], ["kpis", "--help"], ["audit", "--help"], ["init", "--help"],
                                  ["--help"]])
def test_help_shows_no_type_for_a_flag(args):
    """``--json`` takes no value: typer 0.29 showed ``--json <bool>`` (and ``--help <bool>``)."""
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    out = CliRunner().invoke(app, args, env={"COLUMNS": "120", "NO_COLOR": "1", "LANG": "C.UTF-8", "LC_ALL": None,
                                             "LC_MESSAGES": None})   # English help (French: tests/test_cli_help.py)
    assert out.exit_code == 0, out.output
    assert "<bool>" not in out.output, out.output
    assert "list[" not in out.output, out.output            # --from FILE, --by COLUMN (as the README writes them)
    assert "--help" in out.output and "Show this message and exit." in out.output
    if args[0] != "--help":
        assert "--config" in out.output or "client" in out.output


def test_close_band_of_the_abandonment_rate_is_said_as_it_is_judged(tmp_path):
    """21,9 % of abandonment against a 15 % target is "proche": the rule judges it as the
    answer rate (78,1 % within 10 % of 85 %), so "proche" runs up to 1 − 0,9 × 0,85 = 23,5 %.
    The legends said "à 10 % de l'objectif près" (15 % × 1,1 = 16,5 %): now each place that
    shows the abandonment's status says where its band ends."""
    import pandas as pd
    from openpyxl import load_workbook

    from cxtoolkit.audit.index import _tiles
    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.kpis import commentary as C
    from cxtoolkit.kpis.registry import amber_limit, rag

    assert amber_limit("abandonment_rate") == pytest.approx(1 - 0.9 * 0.85)
    assert amber_limit("answer_rate") == pytest.approx(0.9 * 0.85) and amber_limit("asa_s") == pytest.approx(66)
    assert amber_limit("aht_s") is None
    for v in (0.20, 0.2349, 0.2351, 0.30):      # the limit is where rag turns red
        assert (rag("abandonment_rate", v) == "amber") == (v <= amber_limit("abandonment_rate")), v
    assert C.close_band("abandonment_rate", 0.15, "fr") == "jusqu'à 23,5 %"
    assert C.close_band("abandonment_rate", 0.15, "en") == "up to 23.5%"
    assert C.close_band("answer_rate", 0.85, "fr") is None          # its 10 % band is the legend's
    from cxtoolkit.docs_gen import kpi_glossary_md

    assert "the abandonment rate is amber up to 23.5%" in kpi_glossary_md()      # the glossary page too
    # the workbook's legend and the deck's method give the band in numbers
    ws = load_workbook(write_workbook({"overall": pd.DataFrame({"abandonment_rate": [0.219]})},
                                      tmp_path / "k.xlsx", targets={"abandonment_rate": 0.15}))["Lisez-moi - About"]
    legend = [r[1] for r in ws.iter_rows(values_only=True) if r[0] and r[0].startswith("Couleurs")][0]
    assert "proche jusqu'à 23,5 %" in legend and "close up to 23.5%" in legend, legend
    # the index tile, the deck's status table and the demo's summary say where "proche" ends
    tile = _tiles({"abandonment_rate": {"value": 0.219, "status": "amber"}}, None, "fr", None, None).replace("&#x27;", "'")
    assert "proche de l'objectif (jusqu'à 23,5 %)" in tile, tile
    from cxtoolkit.cli.demo_cmd import _status
    from cxtoolkit.config import ClientConfig

    assert _status("abandonment_rate", "amber", ClientConfig(client="acme", locale="fr")) == \
        "proche de l'objectif (jusqu'à 23,5 %)"
    assert _status("answer_rate", "amber", ClientConfig(client="acme", locale="fr")) == "proche de l'objectif"


def test_validate_table_names_each_table_in_the_client_language_and_shows_the_whole_file_name(tmp_path):
    """``cxtoolkit validate`` for a French client: its table said ``daily_reports`` (a code) and cut
    the file name to ``call_center_d…`` (which export was it?)."""
    import pandas as pd
    from conftest import write_client
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    name = "rapport_quotidien_prestataire_octobre.csv"
    daily = pd.DataFrame({"date": ["2026-10-01", "2026-10-02"], "offered": [100, 120], "answered": [90, 100],
                          "abandoned": [10, 20], "asa_s": [20.0, 30.0], "aht_s": [200.0, 180.0]})
    yml = write_client(tmp_path, "acme", {"locale": "fr", "data": {"daily_reports": name}}, {name: daily})
    out = CliRunner().invoke(app, ["validate", "--config", str(yml)], env={"COLUMNS": "80", "CXTOOLKIT_HOME": str(tmp_path)})
    assert out.exit_code == 0, out.output
    assert "Rapports" in out.output and "quotidiens" in out.output and "daily_reports" not in out.output, out.output
    assert "Données" in out.output
    assert "…" not in out.output and "rapport_quotid" in out.output, out.output   # whole (folded if it must)


def test_kpis_table_of_a_phone_log_in_french(tmp_path):
    """``cxtoolkit kpis --by queue`` on a phone-only log, in French: it listed e-mail and chat KPIs
    as rows of "–" (one with a 90 % target), wrote "formule offered" and split "88,1 %" over
    two lines in an 80-column terminal."""
    import pandas as pd
    from conftest import write_client
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    n = 40
    calls = pd.DataFrame({"contact_id": [f"c{i}" for i in range(n)], "channel": "phone",
                          "received_at": pd.date_range("2026-10-05 09:00", periods=n, freq="37min").astype(str),
                          "answered": [i % 5 != 0 for i in range(n)], "wait_s": [5.0 + i for i in range(n)],
                          "talk_s": 200.0, "queue": [("PS", "NW", "NE", "IN", "TT", "PE", "XX", "YY")[i % 8] for i in range(n)]})
    hours = {d: ["00:00", "24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    yml = write_client(tmp_path, "banque", {"locale": "fr", "business_hours": hours, "data": {"contacts": "calls.csv"}},
                       {"calls.csv": calls})
    out = CliRunner().invoke(app, ["kpis", "--config", str(yml), "--by", "queue"],
                             env={"COLUMNS": "80", "CXTOOLKIT_HOME": str(tmp_path)})
    assert out.exit_code == 0, out.output
    table = out.output
    assert "E-mails traités sous 24 h" not in table and "Chats pris sous 60 s" not in table, table
    assert "Taux de décroché" in table
    assert "offered" not in table and "décrochés en 20 s ou moins / appels présentés" in table, table
    for line in table.splitlines():    # a percentage is never cut from its sign
        cells = [c.strip() for c in line.split("│")[2:]]
        assert not [c for c in cells if c == "%"], line


def test_french_deck_says_why_a_section_is_absent_in_french():
    """A bank's call log alone: the French deck's appendix listed "Frictions : no responses data"."""
    import io as _io

    import pandas as pd
    from pptx import Presentation

    from cxtoolkit.config import ClientConfig
    from cxtoolkit.io import ClientData
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD

    calls = pd.DataFrame({"contact_id": ["c1", "c2", "c3"], "channel": "phone",
                          "received_at": pd.to_datetime(["2026-10-05 10:00", "2026-10-05 11:00", "2026-10-06 10:00"]),
                          "answered": [True, False, True], "wait_s": [10.0, 40.0, 20.0], "talk_s": [200.0, None, 150.0]})
    cfg = ClientConfig(client="banque", name="Banque", locale="fr")
    r = compute_results(cfg, ClientData(contacts=calls), "2026-10")
    prs = Presentation(_io.BytesIO(AD.to_pptx(r)))
    last = "\n".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    assert "Frictions : aucune donnée « réponses d'enquête » (client.yml data.responses)" in last, last
    assert "Qualité : aucune donnée « évaluations qualité » (client.yml data.evaluations)" in last, last
    assert "no responses" not in last and "no evaluations" not in last


def test_a_business_case_on_the_model_defaults_says_it_is_an_illustration():
    """A bank with a call log only: the deck's business case read "Sur 12 000 clients sollicités,
    3 000 répondent…", the model's defaults, as if they were the client's figures."""
    import io as _io

    import pandas as pd
    from pptx import Presentation

    from cxtoolkit import roi
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.io import ClientData
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD
    from cxtoolkit.report import business_case as BC

    calls = pd.DataFrame({"contact_id": ["c1", "c2"], "channel": "phone",
                          "received_at": pd.to_datetime(["2026-10-05 10:00", "2026-10-05 11:00"]),
                          "answered": [True, False], "wait_s": [10.0, 40.0]})
    r = compute_results(ClientConfig(client="banque", locale="fr"), ClientData(contacts=calls), "2026-10")
    assert r.business_case.case.illustrative
    prs = Presentation(_io.BytesIO(AD.to_pptx(r)))
    said = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Illustration : valeurs par défaut du modèle" in said, said
    assert BC.commentary(r.business_case)[0].startswith("Illustration : valeurs par défaut du modèle")
    # a case on the client's own figures has no such line
    own = BC.build_business_case(roi.prefill(edited={"customers_surveyed": 5000}), "EUR", "fr", "Acme", draws=500)
    assert not any(line.startswith("Illustration") for line in BC.commentary(own))


def test_ticket_export_deck_and_page_have_no_empty_summary_heatmap_nor_best_volume(tmp_path):
    """The Comcast-like ticket export (answer rate not measured, no target computable): the deck's
    summary slide was empty, the KPI page drew an empty answer-rate heatmap and called the week with
    the most tickets the "meilleure période"; the appendix showed "InputError: …"."""
    import io as _io

    import pandas as pd
    from pptx import Presentation
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.kpis import commentary as C
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD

    cfg = load_config(_client(tmp_path))
    data = io.load(cfg, now=NOW)
    r = compute_results(cfg, data, "all")
    prs = Presentation(_io.BytesIO(AD.to_pptx(r)))
    summary = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame][1:]
    assert summary and summary[0].strip(), summary
    assert "Répartition : téléphone 50,0 %, e-mail 50,0 % sur 6 contacts." in summary[0], summary
    appendix = "\n".join(sh.text_frame.text for sh in prs.slides[-1].shapes if sh.has_text_frame)
    assert "InputError" not in appendix, appendix
    # the page: only the heatmap of what is measured
    p = {"loc": "fr", "period_start": "", "period_end": ""}
    shown = []
    pages.render_kpis(cfg, PRODUCERS["kpis"](cfg, data, p), p, emit=shown.append)
    heats = [o for o in shown if hasattr(o, "to_plotly_json") and o.data and o.data[0].type == "heatmap"]
    assert heats and all(pd.DataFrame(h.data[0].z).notna().any().any() for h in heats)
    # a volume has no best nor worst period: its highest and lowest
    weeks = pd.DataFrame({"contacts": [18, 657, 9]}, index=pd.Index(["2015-W01", "2015-W26", "2015-W28"], name="week"))
    said = C.comment_trend(weeks, "contacts", "fr")
    assert "meilleure" not in said and "plus haut sem. 26 2015 (657), plus bas sem. 28 2015 (9)" in said, said
    assert "highest wk 26 2015 (657), lowest wk 28 2015 (9)" in C.comment_trend(weeks, "contacts", "en")


def test_an_audit_of_all_the_data_is_not_titled_with_a_code(tmp_path):
    """``cxtoolkit audit comcast`` without --period: the index, deck, pages and workbook said
    "audit all" (and the workbook "Formule du niveau de service : offered")."""
    import io as _io

    import pandas as pd
    from openpyxl import load_workbook
    from pptx import Presentation

    from cxtoolkit.audit.index import render_index
    from cxtoolkit.audit.workbook import write_workbook
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.io import ClientData
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD
    from cxtoolkit.report.tables import period_label

    assert period_label("all", "fr") == "toutes les données" and period_label("all", "en") == "all data"
    assert period_label("2026-01-01_end", "fr") == "01/01/2026 → …" and period_label("2026-10", "fr") == "octobre 2026"
    assert pages._period_line(ClientConfig(client="comcast", name="Comcast"), {"loc": "fr"}) == \
        "**Comcast** — toutes les données"
    html = render_index({"client": "comcast", "client_name": "Comcast", "period": "all", "status": "ok",
                         "notebooks": [], "downloads": []}, locale="fr")
    assert "Comcast — audit toutes les données" in html and "audit all" not in html
    calls = pd.DataFrame({"contact_id": ["c1", "c2"], "channel": "phone",
                          "received_at": pd.to_datetime(["2026-10-05 10:00", "2026-10-05 11:00"]),
                          "answered": [True, False], "wait_s": [10.0, 40.0]})
    r = compute_results(ClientConfig(client="comcast", name="Comcast", locale="fr"), ClientData(contacts=calls), "all")
    sub = Presentation(_io.BytesIO(AD.to_pptx(r))).slides[0].placeholders[1].text
    assert sub.startswith("Comcast — toutes les données — "), sub
    about = {"period": "all", "service_level_formula": "offered", "service_level_s": 20}
    ws = load_workbook(write_workbook({"overall": pd.DataFrame({"answer_rate": [0.5]})}, tmp_path / "k.xlsx",
                                      about=about, locale="fr"))["Lisez-moi - About"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert values["Période / Period"] == "toutes les données / all data", values
    assert values["Formule du niveau de service / Service-level formula"] == \
        "décrochés en 20 s ou moins / appels présentés", values


def test_quality_findings_group_thousands_and_the_chart_legend_is_words():
    """The quality app said "sur 3292 évaluations" (the tables: 3 292) and its chart legend "n < min"."""
    import pandas as pd

    from cxtoolkit.quality.commentary import quality_commentary
    from cxtoolkit.viz import quality as VQ

    rep = {"scored": pd.DataFrame({"score": [80.0] * 3292, "critical_fail": [False] * 3292})}
    assert "sur 3\u202f292 évaluations" in quality_commentary(rep, "fr")[0]
    assert "over 3,292 evaluations" in quality_commentary(rep, "en")[0]
    d = pd.DataFrame({"agent_id": ["A1", "A2"], "n": [40, 2], "csat_n": [40, 2], "csat": [0.8, 0.5],
                      "score": [85.0, 60.0], "quadrant": ["good", None]})
    names = [t.name for t in VQ.perceived_vs_delivered(d, 80, 0.7, "fr").data]
    assert "n < min" not in names and "Trop peu d'évaluations ou de réponses" in names, names


def test_kpis_table_of_tickets_does_not_explain_a_service_level_it_does_not_show(tmp_path):
    from test_unmeasured import _client
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    out = CliRunner().invoke(app, ["kpis", "--config", str(_client(tmp_path))],
                             env={"COLUMNS": "120", "CXTOOLKIT_HOME": str(tmp_path)})
    assert out.exit_code == 0, out.output
    assert "Taux de résolution déclaré" in out.stdout and "Niveau de service" not in out.stdout, out.stdout


def test_french_monthly_trend_keeps_its_month_labels_and_the_page_no_service_level_it_lacks(tmp_path):
    """The French KPI app of the ticket export: plotly read "2015-01" as a date and wrote
    "Jan 2015, Mar 2015" (English) under the monthly trend; the header explained a service level
    the page does not have."""
    import pandas as pd
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.viz import kpis as V

    months = pd.DataFrame({"contacts": [55, 1046, 65]}, index=pd.Index(["2015-01", "2015-06", "2015-12"], name="month"))
    fig = V.trend(months, ["contacts"], "fr")
    assert fig.layout.xaxis.type == "category" and list(fig.data[0].x) == ["janvier 2015", "juin 2015", "décembre 2015"]
    nps = V.nps_ci(pd.DataFrame({"nps": [-5.3, -5.5], "nps_ci95": [3.3, 3.3], "nps_n": [2011, 2022]},
                                index=pd.Index(["2026-09", "2026-10"], name="month")), "fr")
    assert nps.layout.xaxis.type == "category" and list(nps.data[0].text) == ["n=2\u202f011", "n=2\u202f022"]
    cfg = load_config(_client(tmp_path))
    p = {"loc": "fr", "period_start": "", "period_end": ""}
    assert "niveau de service" not in _said("kpis", cfg, io.load(cfg, now=NOW), p)[0]


def test_validate_names_the_table_of_a_reject_reason_by_its_label(tmp_path):
    """The reasons said "contacts.outcome: …" (a code path) to a French consultant."""
    import pandas as pd
    from conftest import write_client
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    calls = pd.DataFrame({"contact_id": ["c1", "c2"], "received_at": ["2026-10-05 10:00", "pas une date"],
                          "channel": "phone", "answered": [True, False], "wait_s": [10, 20]})
    yml = write_client(tmp_path, "acme", {"locale": "fr", "data": {"contacts": "calls.csv"}}, {"calls.csv": calls})
    out = CliRunner().invoke(app, ["validate", "--config", str(yml)], env={"COLUMNS": "120", "CXTOOLKIT_HOME": str(tmp_path)})
    assert out.exit_code == 1, out.output
    assert "  Contacts · received_at : " in out.stdout and "contacts.received_at" not in out.stdout, out.stdout


def test_workbook_says_yes_or_no_not_false(tmp_path):
    """The channel sheet's "Trop peu de réponses (< 30)" showed FALSE / FAUX (an Excel boolean
    under a number format) to leadership."""
    import numpy as np
    import pandas as pd
    from openpyxl import load_workbook

    from cxtoolkit.audit.workbook import write_workbook

    views = {"channel": pd.DataFrame({"n": [669, 12], "too_few": np.array([False, True], dtype=object)},
                                     index=pd.Index(["phone", "email"], name="channel"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx", locale="fr"))["Par canal - By channel"]
    assert [ws["C4"].value, ws["C5"].value] == ["non / no", "oui / yes"]


def test_every_option_shows_what_to_type_not_its_python_type():
    """``--help`` showed ``--from <str>``, ``--seed <int>``, ``--out <path>``: every option that
    takes a value names it (FILE, DATE, COLUMN, fr|en, N…) from the one table of
    :mod:`cxtoolkit.cli.metavars`, never a type's fallback."""
    import re

    import typer
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app
    from cxtoolkit.cli.metavars import BY_TYPE, metavar_of

    group = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="cxtoolkit")
    unnamed = []
    for name in group.list_commands(ctx):
        cmd = group.load(name)
        unnamed += [f"{name} {p.opts[0]}" for p in cmd.params
                    if p.param_type_name == "option" and not p.is_flag and metavar_of(p, name) in BY_TYPE.values()]
    assert not unnamed, unnamed
    for args in (["kpis", "--help"], ["roi", "--help"], ["staffing", "--help"], ["audit", "--help"], ["--help"]):
        out = CliRunner().invoke(app, args, env={"COLUMNS": "160", "NO_COLOR": "1"}).output
        options = out.split("Options")[1]
        assert not re.search(r"<(str|int|float|path|int range|float range)>", options), options
    out = CliRunner().invoke(app, ["kpis", "--help"], env={"COLUMNS": "160", "NO_COLOR": "1"}).output
    assert re.search(r"--from\s+DATE", out) and re.search(r"--locale\s+fr\|en", out) and re.search(r"--contacts\s+FILE", out)
