"""Issue 14 items 1 and 5: the artefacts of one audit agree, because they all read the one
results set the audit keeps in ``results/`` (Parquet + JSON).

One audit of the demo client with its own Monte Carlo settings (client.yml ``roi: {draws:
20000, seed: 7}``), a period and ``locale="en"`` (the client's is French): the deck's charts
and tables, the ROI page's P10 / P50 / P90, the workbook's KPI values, the index's headline
figures and the KPI page's CSVs all carry the numbers of the stored results set, and two KPIs
agree with an independent computation from the loaded answers. Before the results set, the
deck and the index followed client.yml's locale while the pages followed the audit's: the
deck's P50 read "-9 548 €" where the ROI page read "-€9,548" (the numbers themselves agreed:
workbook, CSVs, deck and ROI page computed the same values twice).
"""
from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import write_demo_client
from cxtoolkit.rules import week_text

pytest.importorskip("pptx")
pytest.importorskip("openpyxl")

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    from cxtoolkit.audit.runner import run_audit

    root = tmp_path_factory.mktemp("agree")
    folder = write_demo_client(root / "client_data", n_contacts=4_000, n_responses=600, months=2)
    yml = folder / "client.yml"
    cfg = yaml.safe_load(yml.read_text(encoding="utf-8"))
    cfg["roi"] = {**cfg.get("roi", {}), "draws": 20000, "seed": 7}
    yml.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    res = run_audit("demo", period=PERIOD, client_data=root / "client_data", out=root / "reports",
                    warehouse=False, locale="en")
    assert res.status == "ok", res.error
    return res


@pytest.fixture(scope="module")
def results(audit):
    from cxtoolkit.pipeline import store

    return store.load(audit.folder / "results")


def _close(a, b) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else float(a)
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else float(b)
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9,
                                                                                          abs_tol=1e-9))


def _slide(prs, title: str):
    found = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == title]
    assert len(found) == 1, title
    return found[0]


def _charts(slide):
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def _tables(slide):
    return [[[c.text for c in row.cells] for row in sh.table.rows] for sh in slide.shapes if sh.has_table]


def test_the_results_set_is_kept_with_the_audit(audit, results):
    files = {o["path"] for o in audit.manifest["outputs"]}
    assert "results/results.json" in files and any(f.startswith("results/") and f.endswith(".parquet")
                                                   for f in files)
    assert audit.manifest["results"] == "results"
    assert (results.period, results.period_start, results.period_end, results.locale) == \
        (PERIOD, "2026-10-01", "2026-10-31", "en")
    mc = results.business_case.monte_carlo
    assert (mc.draws, mc.seed) == (20000, 7)
    assert {"kpis", "journey", "verbatims", "quality", "roi", "staffing"} <= set(results.pages)


def test_the_deck_shows_the_results(audit, results):
    from pptx import Presentation

    from cxtoolkit.report.audit_deck import TEXT, trend_keys
    from cxtoolkit.viz import roi as vz

    prs = Presentation(str(audit.folder / "audit_deck.pptx"))
    T = TEXT["en"]
    assert prs.slides[0].shapes.title.text == T["title"]             # the audit's locale, not client.yml's
    # ROI risk: the P10 / P50 / P90 chart and table
    bc = results.business_case
    mc = bc.monte_carlo
    risk = _slide(prs, T["roi_risk"])
    series = list(_charts(risk)[0].plots[0].series[0].values)
    assert all(_close(a, b) for a, b in zip(series, (mc.p10, mc.p50, mc.p90)))
    table = {row[0]: row[1] for row in _tables(risk)[0]}
    assert {q: table[f"Net benefit {q}"] for q in ("P10", "P50", "P90")} == \
        {q.upper(): vz.fmt_money(getattr(mc, q), bc.currency, "en") for q in ("p10", "p50", "p90")}
    assert table["Probability of a positive ROI"] == vz.fmt_pct(mc.summary()["prob_roi_positive"], "en", 0)
    # KPIs against targets: the chart carries the status table's values
    status = results.status[results.status["rag"].notna() & (results.status["unit"] == "ratio")]
    chart = _charts(_slide(prs, T["kpis"]))[0]
    shown = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))
    assert set(shown) == set(status["label"]) and len(shown) > 0
    assert all(_close(shown[label], value) for label, value in zip(status["label"], status["value"]))
    # weekly trends: one chart per trend KPI, its first series the week view's values
    week = results.views["week"]
    keys = trend_keys(results)
    charts = _charts(_slide(prs, T["trends"]))
    assert len(charts) == len(keys) > 0
    for chart, k in zip(charts, keys):
        span = (results.period_start or None, results.period_end or None)   # partial weeks say their days
        assert list(chart.plots[0].categories) == [week_text(str(w), "en", *span) for w in week.index]
        assert all(_close(a, None if pd.isna(b) else b) or (a == 0 and pd.isna(b))
                   for a, b in zip(chart.plots[0].series[0].values, week[k]))


def test_the_roi_page_shows_the_deck_figures(audit, results):
    from cxtoolkit.viz import roi as vz

    page = (audit.folder / "roi.html").read_text(encoding="utf-8")
    found = dict(re.findall(r"<td>Net benefit (P\d0)</td><td[^>]*>([^<]+)</td>", page))
    mc, bc = results.business_case.monte_carlo, results.business_case
    assert found == {q.upper(): html.escape(vz.fmt_money(getattr(mc, q), bc.currency, "en"))
                     for q in ("p10", "p50", "p90")}


def test_the_workbook_holds_the_kpi_views(audit, results):
    from openpyxl import load_workbook

    from cxtoolkit.audit.collect import VIEWS
    from cxtoolkit.audit.workbook import SHEET_TITLES, _row_label

    wb = load_workbook(audit.folder / "kpis.xlsx", read_only=True)
    checked = 0
    for view in VIEWS:
        frame = results.views.get(view)
        if frame is None:
            continue
        rows = list(wb[SHEET_TITLES[view][:31]].iter_rows(values_only=True))
        keys = list(rows[2][1:])
        seg = str(frame.index.name or view)     # rows by their labels (téléphone / phone, Espagne / Spain)
        # a monthly audit's week sheet says the days each week covers (write_workbook)
        assert keys == list(frame.columns) + (["days_covered"] if seg == "week" and "days_covered" in keys else [])
        # a week is its Monday, a month its first day (real dates: read back as datetimes)
        assert [r[0].date() if hasattr(r[0], "date") else r[0] for r in rows[3:]] == [_row_label(seg, i) for i in frame.index]
        for r, (_, want) in zip(rows[3:], frame.iterrows()):
            for k, v in zip(keys, r[1:len(frame.columns) + 1]):
                w = want[k]
                if isinstance(w, (int, float, np.integer, np.floating)) and not isinstance(w, bool):
                    assert _close(v, w), (view, k, v, w)
                    checked += 1
    assert checked > 100


def test_every_output_shows_the_rows_read_accepted_and_rejected(audit, results):
    """Rows read = accepted + rejected, per file, and the accepted rows outside the audit's
    month / in it, in the deck's appendix, the workbook's first sheet, the index page and the
    KPI page: the same numbers as the manifest's load counts, the contacts in the period being
    the KPIs' contacts. Before, only the deck showed read / accepted / rejected (the workbook
    and the KPI page had none, the index only the rejected total)."""
    from openpyxl import load_workbook
    from pptx import Presentation

    from cxtoolkit.report.audit_deck import TEXT
    from cxtoolkit.report.tables import cells

    tables = audit.manifest["meta"]["tables"]
    want = [[t["file"], t["read"], t["accepted"], t["rejected"], t["out_of_period"], t["accepted"] - t["out_of_period"]]
            for t in tables.values()]
    assert all(r == a + j for _, r, a, j, *_ in want) and sum(w[3] for w in want) > 0
    assert want[0][0] == "contacts.csv" and want[0][-1] == results.views["overall"]["contacts"].iloc[0] > 0
    num = lambda s: int(re.sub(r"\D", "", s))  # noqa: E731   1,234 / 1 234 -> 1234
    deck = _tables(_slide(Presentation(str(audit.folder / "audit_deck.pptx")), TEXT["en"]["appendix"]))[0]
    assert deck[0] == ["Data", "File", "Rows read", "Accepted", "Rejected", "Out of period", "In the period"]
    assert [[r[1], *map(num, r[2:])] for r in deck[1:]] == want
    about = list(load_workbook(audit.folder / "kpis.xlsx", read_only=True)["Lisez-moi - About"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(about) if r[:3] == ("Données / Data", "Fichier / File", "Lignes lues / Rows read"))
    assert [list(r[1:7]) for r in about[at + 1:at + 1 + len(want)]] == want
    for name, head in (("index.html", "<h2>Data read</h2>"), ("kpis.html", ">Data read<")):
        page = (audit.folder / name).read_text(encoding="utf-8")
        table = page[page.index(head):]
        assert [[r[1], *map(num, r[2:7])] for r in cells(table)[:len(want)]] == want, name


def test_the_index_shows_the_headline_figures(audit, results):
    from cxtoolkit.audit.collect import summary
    from cxtoolkit.config import load_client
    from cxtoolkit.kpis.registry import KPIS
    from cxtoolkit.rules import format_value

    page = (audit.folder / "index.html").read_text(encoding="utf-8")
    tiles = dict(re.findall(r'data-kpi="([^"]+)".*?<div class="val">([^<]*)</div>', page))
    head = summary(results.views, load_client("demo", audit.folder.parents[2] / "client_data"))
    assert head == audit.kpi_summary and len(tiles) >= 5
    for key, shown in tiles.items():
        expected = format_value(head[key]["value"], KPIS[key].unit, "en")
        assert shown == html.escape(expected) or shown.startswith(html.escape(expected) + " "), key


def test_the_kpi_csvs_hold_the_kpi_views(audit, results):
    names = {p.name for p in audit.folder.glob("kpis_*.csv")} - {"kpis_status.csv"}
    assert names == {f"kpis_{k.replace('×', '_x_')}.csv" for k in results.views}
    for cut, frame in results.views.items():
        csv = pd.read_csv(audit.folder / f"kpis_{cut.replace('×', '_x_')}.csv",
                          index_col=list(range(frame.index.nlevels)))
        assert [str(i) for i in csv.index] == [str(i) for i in frame.index]
        num = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
        assert np.allclose(csv[num].to_numpy(dtype="float64"), frame[num].to_numpy(dtype="float64"),
                           equal_nan=True, rtol=1e-9, atol=1e-12), cut
    status = pd.read_csv(audit.folder / "kpis_status.csv", dtype={"value": str}, keep_default_na=False)
    assert status["key"].tolist() == results.status["key"].tolist()
    shown = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in results.status["value"]]
    assert status["value"].tolist() == shown          # counts as counts (1317, not 1317.0), rates in full


def test_survey_kpis_agree_with_an_independent_computation(audit, results):
    from cxtoolkit import io
    from cxtoolkit.config import load_client

    cfg = load_client("demo", audit.folder.parents[2] / "client_data")
    answers = io.load(cfg, tables=["responses"], start="2026-10-01", end="2026-10-31").responses
    csat = answers["csat"].dropna().to_numpy(dtype="float64")
    nps = answers["nps"].dropna().to_numpy(dtype="float64")
    overall = results.views["overall"].iloc[0]
    assert len(csat) > 50 and len(nps) > 50
    assert math.isclose(overall["csat"], float((csat >= 4).mean()), rel_tol=1e-12)
    assert math.isclose(overall["nps"], 100 * float((nps >= 9).mean() - (nps <= 6).mean()), rel_tol=1e-12)


def test_a_notebook_renders_the_stored_results_without_reading_data(audit, results, monkeypatch):
    """The audit's pages read ``results/``: with a results set that answers them, no client
    file is read; without one (or another question), the page computes live."""
    import IPython.display

    from cxtoolkit import io as cxio
    from cxtoolkit.apps import controls

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: None)
    monkeypatch.setattr("cxtoolkit.apps.views.display", lambda *objs, **kw: None)

    def no_load(*a, **k):
        raise AssertionError("the page read the client's data")

    params = {"client": "demo", "client_data": str(audit.folder.parents[2] / "client_data"),
              "period_start": "2026-10-01", "period_end": "2026-10-31", "segment": "", "locale": "en",
              "out_dir": "", "results_dir": str(audit.folder / "results"), "app_mode": False}
    monkeypatch.setattr(cxio, "load", no_load)
    got = controls.show("kpis", params)
    assert set(got["k"]) == set(results.views)
    pd.testing.assert_frame_equal(got["k"]["week"], results.views["week"])
    with pytest.raises(AssertionError, match="read the client's data"):
        controls.show("kpis", {**params, "segment": "country"})      # another question: computed live


def test_the_results_frames_go_through_the_privacy_guard():
    """What the audit keeps in ``results/`` is scrubbed like its CSVs: ids pseudonymised,
    personal data masked in text and in list cells (verbatim examples), numbers untouched."""
    from cxtoolkit.audit.runner import _PrivacyGuard

    g = _PrivacyGuard(frozenset({"K0042"}))
    df = pd.DataFrame({"customer_id": ["K0042"], "theme": ["late"], "n": [3.5],
                       "examples": [["write to a.b@example.org", "K0042 again"]]})
    out = g.frame(df)
    assert out["customer_id"].iloc[0] != "K0042" and out["theme"].iloc[0] == "late" and out["n"].iloc[0] == 3.5
    ex = out["examples"].iloc[0]
    assert isinstance(ex, list) and len(ex) == 2 and "a.b@example.org" not in ex[0] and "K0042" not in ex[1]
    assert g.frame(df[["theme", "n"]]) is not None and df["customer_id"].iloc[0] == "K0042"   # input untouched
