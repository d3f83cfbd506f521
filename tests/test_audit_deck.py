"""The audit deck (issue 15): a slide per section present, native charts carrying the
results' numbers, no pictures, labels in the client's language, partial data, a branded master."""
from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest

pptx = pytest.importorskip("pptx")
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402
from pptx.util import Inches  # noqa: E402

from cxtoolkit.audit import collect, history as hist, runner  # noqa: E402
from cxtoolkit.audit.results import deck_results  # noqa: E402
from cxtoolkit.config import ClientConfig, load_config  # noqa: E402
from cxtoolkit.rules import week_text  # noqa: E402
from cxtoolkit.errors import InputError  # noqa: E402
from cxtoolkit.report import audit_deck as AD  # noqa: E402
from cxtoolkit.viz.kpis import WEEKDAY_LABELS  # noqa: E402

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Path:
    from conftest import write_demo_client

    return write_demo_client(tmp_path_factory.mktemp("deck"), "demo-small", preset="demo-small",
                             n_contacts=3_000, n_responses=400, months=2)


def _results(folder: Path, locale: str, changes=None, previous=None):
    cfg = load_config(folder / "client.yml").model_copy(update={"locale": locale})
    views = collect.compute_views(cfg)
    return cfg, views, deck_results(cfg, views, "2026-Q3", changes, previous)


@pytest.fixture(scope="module", params=["en", "fr"])
def deck(request, client):
    cfg, views, r = _results(client, request.param)
    return r, Presentation(io.BytesIO(AD.to_pptx(r)))


def _title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def _slide(prs, title: str):
    found = [s for s in prs.slides if _title(s) == title]
    assert len(found) == 1, (title, [_title(s) for s in prs.slides])
    return found[0]


def _charts(slide):
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def _values(chart, i: int = 0) -> list:
    return list(chart.plots[0].series[i].values)


def _same(got, expected) -> bool:
    exp = [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in expected]
    return len(got) == len(exp) and all((a is None and b is None) or (a is not None and b is not None and
                                        a == pytest.approx(b, rel=1e-9, abs=1e-9)) for a, b in zip(got, exp))


def _texts(prs):
    """Every piece of text a reader sees: text frames, table cells, chart categories, series
    names and titles."""
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                yield sh.text_frame.text
            if sh.has_table:
                for row in sh.table.rows:
                    for cell in row.cells:
                        yield cell.text
            if sh.has_chart:
                ch = sh.chart
                yield from (str(c) for c in ch.plots[0].categories)
                yield from (s.name for s in ch.plots[0].series)
                if ch.has_title:
                    yield ch.chart_title.text_frame.text


def test_a_slide_per_section_present(deck):
    r, prs = deck
    T = AD.TEXT[AD._loc(r.locale)]
    present = AD.sections(r)
    # the demo-small client has every table: every section but "what changed" (first audit)
    assert present == ["title", "summary", "kpis", "trends", "heat", "friction", "verbatims", "quality",
                       "roi", "staffing", "appendix"]
    titles = [_title(s) for s in prs.slides]
    assert titles[:2] == [T["title"], T["summary"]]
    for key in ("kpis", "trends", "heat", "friction", "verbatims", "quotes", "quality", "roi_waterfall",
                "roi_tornado", "roi_risk", "staffing", "appendix"):
        assert titles.count(T[key]) == 1, key
    assert T["changes"] not in titles
    summary = [sh.text_frame.text for sh in _slide(prs, T["summary"]).shapes
               if sh.has_text_frame and sh != _slide(prs, T["summary"]).shapes.title][0]
    assert 3 <= summary.count("•") <= 5


def test_charts_are_native_and_carry_the_results(deck):
    r, prs = deck
    loc = AD._loc(r.locale)
    T = AD.TEXT[loc]
    for slide in prs.slides:
        assert not any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in slide.shapes), _title(slide)
    # KPIs against targets: value and target of each rate with a status
    st = r.status[r.status["rag"].notna() & (r.status["unit"] == "ratio")]
    (kpi_chart,) = _charts(_slide(prs, T["kpis"]))
    # bars are drawn bottom-up: reversed, they read in the table's order
    assert list(kpi_chart.plots[0].categories)[::-1] == st["label"].tolist()
    assert _same(_values(kpi_chart, 0)[::-1], st["value"]) and _same(_values(kpi_chart, 1)[::-1], st["target"])
    # weekly trends: a chart per headline KPI with a target, its values and its target
    week = r.views["week"]
    trends = _charts(_slide(prs, T["trends"]))
    with_target = r.status[r.status["target"].notna() & r.status["value"].notna()]
    expected = [k for k in with_target["key"] if k in week.columns and week[k].notna().any()]
    assert len(expected) >= 3 and [c.chart_title.text_frame.text for c in trends] == [
        AD.kpi_label(k, loc) for k in expected]
    for key, chart in zip(expected, trends):
        assert list(chart.plots[0].categories) == [week_text(w, loc) for w in week.index.astype(str)]   # sem. 40 2026
        assert _same(_values(chart, 0), week[key])
        target = with_target.set_index("key").loc[key, "target"]
        assert _same(_values(chart, 1), [target] * len(week))
    # weekday x hour: one line per weekday
    (heat,) = _charts(_slide(prs, T["heat"]))
    grid = r.heat["answer_rate"].astype("float64").unstack("hour").dropna(how="all").dropna(axis=1, how="all")
    assert list(heat.plots[0].categories) == [f"{h:02d}h" for h in grid.columns]   # no empty hour
    assert len(heat.plots[0].series) == len(grid)                                   # no closed day
    for s in heat.plots[0].series:
        day = next(k for k, v in WEEKDAY_LABELS[loc].items() if v == s.name)
        assert _same(list(s.values), grid.loc[day].tolist()), day
    # friction map (bars listed bottom-up)
    (fric,) = _charts(_slide(prs, T["friction"]))
    assert _same(_values(fric)[::-1], r.friction["unhappy_share"])
    assert list(fric.plots[0].categories)[::-1] == r.friction[f"stage_label_{loc}"].tolist()
    # quality trend
    (qual,) = _charts(_slide(prs, T["quality"]))
    assert _same(_values(qual), r.quality["trend"]["score"])
    # ROI: waterfall (invisible base + bar), tornado, risk range, scenarios
    bc = r.business_case
    o = bc.outputs
    (wf,) = _charts(_slide(prs, T["roi_waterfall"]))
    _check_waterfall(wf, o)
    (tor,) = _charts(_slide(prs, T["roi_tornado"]))
    assert list(tor.plots[0].categories)[::-1] == bc.sensitivity["label"].tolist()
    _check_spans(tor, [(min(lo, hi), max(lo, hi)) for lo, hi in zip(bc.sensitivity["low"], bc.sensitivity["high"])][::-1])
    risk, scen = _charts(_slide(prs, T["roi_risk"]))
    mc = bc.monte_carlo.summary()
    assert _same(_values(risk), [mc["p10"], mc["p50"], mc["p90"]])
    names = [c for c in bc.scenarios.columns if c != "label"]
    assert _same(_values(scen), bc.scenarios.loc["net_benefit", names])
    # staffing gap
    (staff,) = _charts(_slide(prs, T["staffing"]))
    days = [d for d in r.staffing.index if d != "week"]
    assert _same(_values(staff, 0), r.staffing.loc[days, "agent_hours"])


def test_every_chart_says_what_it_shows(deck):
    """A chart of one measure without a legend (friction, quality trend, P10–P90, scenarios,
    key drivers) is titled by the measure: a bare axis of 73–82 or 0.50–2.20 said nothing.
    The key drivers' impact says its unit, as the journey page does."""
    import dataclasses

    r, prs = deck
    loc = AD._loc(r.locale)
    dr = r.drivers.copy()
    dr["impact"] = [0.5 + 0.1 * i for i in range(len(dr))]
    prs = Presentation(io.BytesIO(AD.to_pptx(dataclasses.replace(r, drivers=dr))))
    single = [(_title(s), c) for s in prs.slides for c in _charts(s) if len(c.plots[0].series) == 1]
    assert len(single) >= 5
    for slide, chart in single:
        assert chart.has_legend or (chart.has_title and chart.chart_title.text_frame.text ==
                                    chart.plots[0].series[0].name), slide
    (drivers,) = _charts(_slide(prs, AD.TEXT[loc]["drivers"]))
    assert drivers.chart_title.text_frame.text == \
        ("Impact sur la note globale (points par point de CSAT)" if loc == "fr"
         else "Impact on the overall score (points per CSAT point)")


def test_the_risk_table_says_its_rows_in_words(deck):
    """The risk slide's table read "P10" and "P(ROI > 0)" where the ROI page says "Gain net P10"
    and the commentary "probabilité d'un ROI positif"."""
    r, prs = deck
    loc = AD._loc(r.locale)
    slide = _slide(prs, AD.TEXT[loc]["roi_risk"])
    first = [row.cells[0].text for sh in slide.shapes if sh.has_table for row in sh.table.rows][:6]
    assert first[1:5] == (["Gain net P10", "Gain net P50", "Gain net P90", "Probabilité d'un ROI positif"] if loc == "fr"
                          else ["Net benefit P10", "Net benefit P50", "Net benefit P90", "Probability of a positive ROI"])


def test_key_drivers_slide_when_impacts_exist(deck):
    import dataclasses

    r, _ = deck
    loc = AD._loc(r.locale)
    dr = r.drivers.copy()
    dr["impact"] = [0.05 * i if i % 3 else float("nan") for i in range(len(dr))]
    dr[f"quadrant_{loc}"] = "Priorité" if loc == "fr" else "Priority"
    prs = Presentation(io.BytesIO(AD.to_pptx(dataclasses.replace(r, drivers=dr))))
    slide = _slide(prs, AD.TEXT[loc]["drivers"])
    (chart,) = _charts(slide)
    shown = dr[dr["impact"].notna()].sort_values("impact", ascending=False, kind="stable")
    assert _same(_values(chart)[::-1], shown["impact"])
    assert list(chart.plots[0].categories)[::-1] == shown[f"stage_label_{loc}"].tolist()
    assert not any(SNAKE.search(t) for t in _texts(prs))


def _check_spans(chart, expected: list[tuple[float, float]]) -> None:
    """The floating bars of a stacked chart (invisible base, part above zero, part below)
    span ``expected``."""
    base, up, down = (_values(chart, i) for i in range(3))
    for i, (lo, hi) in enumerate(expected):
        bottom = base[i] + down[i] if down[i] else base[i]
        top = base[i] + up[i] if up[i] else base[i]
        assert (bottom, top) == (pytest.approx(lo), pytest.approx(hi)), (i, base, up, down)


def _check_waterfall(chart, o: dict) -> None:
    """Each floating bar spans what it shows: from 0 to the avoided cost, then the margin on
    top, the programme cost down, the net benefit from 0."""
    gross = o["avoided_acquisition_cost"] + o["retained_margin"]
    _check_spans(chart, [(0, o["avoided_acquisition_cost"]), (o["avoided_acquisition_cost"], gross),
                         (gross - o["program_cost"], gross), (min(0, o["net_benefit"]), max(0, o["net_benefit"]))])


@pytest.mark.parametrize("fixed_cost", [0, 50_000])
def test_waterfall_known_answer(fixed_cost):
    """The packaged prefill: 36 000 avoided, no margin; with a 50 000 programme the net
    benefit is negative and the cost bar crosses zero."""
    cfg = ClientConfig(client="acme", locale="en", roi={"acquisition_cost": 300, "fixed_cost": fixed_cost})
    r = deck_results(cfg, collect.KpiViews(), "")
    o = r.business_case.outputs
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    (wf,) = _charts(_slide(prs, AD.TEXT["en"]["roi_waterfall"]))
    _check_waterfall(wf, o)
    if fixed_cost == 0:
        assert o["net_benefit"] == 36000.0
        assert [_values(wf, i) for i in range(3)] == [[0, 36000, 36000, 0], [36000, 0, 0, 36000], [0, 0, 0, 0]]
    else:
        cost = o["program_cost"]
        assert cost >= 50_000 and o["net_benefit"] == pytest.approx(36000 - cost)
        assert _values(wf, 0) == [0, 36000, 0, 0]
        assert _values(wf, 1) == [36000, 0, 36000, 0]
        assert _values(wf, 2) == [0, 0, pytest.approx(36000 - cost), pytest.approx(36000 - cost)]


def test_no_code_names_and_the_client_language(deck):
    r, prs = deck
    texts = list(_texts(prs))
    leaks = sorted({m for t in texts for m in SNAKE.findall(t)})
    assert leaks == [], leaks
    joined = "\n".join(texts)
    if AD._loc(r.locale) == "fr":
        assert "Audit de la relation client" in joined and "Taux d'abandon" in joined
        assert re.search(r"\d,\d %", joined) and "Facture" in joined
    else:
        assert "Customer experience audit" in joined and "Abandonment rate" in joined
        assert re.search(r"\d\.\d%", joined) and "Invoice" in joined


def test_quotes_are_masked_and_scrubbed(client):
    """The deck masks every quote it shows (and applies the audit's scrub), whatever the
    analysis handed it."""
    import dataclasses

    _, _, r = _results(client, "en")
    th = r.verbatims.themes.copy()
    top = th[(th["label"] == "irritant") & (th["mentions"] > 0)].sort_values("lift", ascending=False).index[0]
    th.at[top, "examples"] = ["Billing wrong again, write to jane.doe@example.com or call +44 20 7946 0958, "
                              "my id CUST0042."]
    r = dataclasses.replace(r, verbatims=dataclasses.replace(r.verbatims, themes=th))
    prs = Presentation(io.BytesIO(AD.to_pptx(r, scrub=lambda t: t.replace("CUST0042", "C-pseudo"))))
    quotes = "\n".join(sh.text_frame.text for sh in _slide(prs, AD.TEXT["en"]["quotes"]).shapes if sh.has_text_frame)
    assert "Billing wrong again" in quotes and "[EMAIL]" in quotes and "[PHONE]" in quotes
    assert "C-pseudo" in quotes
    texts = "\n".join(_texts(prs))
    assert "jane.doe" not in texts and "7946" not in texts and "CUST0042" not in texts


def test_a_client_with_responses_only(client, tmp_path):
    folder = tmp_path / "answers-only"
    folder.mkdir()
    (folder / "responses.csv").write_bytes((client / "responses.csv").read_bytes())
    yml = (client / "client.yml").read_text(encoding="utf-8")
    yml = re.sub(r"data:\n(  .*\n)+", "data:\n  responses: responses.csv\n", yml).replace("demo-small", "answers-only")
    yml = re.sub(r"\nroi: .*\n", "\n", yml)
    (folder / "client.yml").write_text(yml, encoding="utf-8")
    cfg, views, r = _results(folder, "en")
    present = AD.sections(r)
    assert "heat" not in present and "quality" not in present and "staffing" not in present
    assert {"title", "summary", "friction", "verbatims", "appendix"} <= set(present)
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    titles = [_title(s) for s in prs.slides]
    T = AD.TEXT["en"]
    assert T["heat"] not in titles and T["quality"] not in titles and T["friction"] in titles
    appendix = "\n".join(sh.text_frame.text for sh in _slide(prs, T["appendix"]).shapes if sh.has_text_frame)
    assert "Quality: no evaluations data" in appendix
    assert _layout_defects(prs) == []


def test_what_changed_slide(client):
    cfg, views, _ = _results(client, "en")
    rows = collect.kpi_rows(views.views, cfg.client, "2026-Q3", cfg)
    before = rows.assign(value=rows["value"] * 0.9, period="2026-Q2")
    changes = hist.what_changed(before, rows)
    r = deck_results(cfg, views, "2026-Q3", changes, "2026-Q2")
    assert "changes" in AD.sections(r)
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    slide = _slide(prs, AD.TEXT["en"]["changes"])
    (table,) = [sh.table for sh in slide.shapes if sh.has_table]
    assert table.cell(0, 2).text == "Previous (2026-Q2)"
    labels = [table.cell(i, 0).text for i in range(1, len(table.rows))]
    assert "Answer rate" in labels
    assert _layout_defects(prs) == []
    first = deck_results(cfg, views, "2026-Q3")
    assert "changes" not in AD.sections(first)


def _template(path: Path) -> None:
    from pptx.util import Inches

    import copy

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    sample = prs.slides.add_slide(prs.slide_layouts[6])   # a sample slide, not part of the deck
    box = sample.shapes.add_textbox(Inches(0.2), Inches(5.2), Inches(3), Inches(0.3))
    box.text_frame.text = "Conseil Exemple SAS"
    prs.slide_master.shapes._spTree.append(copy.deepcopy(box._element))   # the brand line, on the master
    prs.save(str(path))


def test_deck_template_brands_the_deck(client, tmp_path):
    folder = tmp_path / "branded"
    folder.mkdir()
    for f in client.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "brand").mkdir()
    _template(folder / "brand" / "master.pptx")
    yml = (folder / "client.yml").read_text(encoding="utf-8") + "deck_template: brand/master.pptx\n"
    (folder / "client.yml").write_text(yml, encoding="utf-8")
    cfg = load_config(folder / "client.yml")
    views = collect.compute_views(cfg)
    out = tmp_path / "out"
    out.mkdir()
    step, name = runner._deck(cfg, deck_results(cfg, views, "2026-10"), out)
    assert step["status"] == "ok", step and name == "audit_deck.pptx"
    prs = Presentation(str(out / name))
    assert (prs.slide_width, prs.slide_height) == (9144000, 5143500)
    assert "Conseil Exemple SAS" in [sh.text_frame.text for sh in prs.slide_master.shapes if sh.has_text_frame]
    assert _title(prs.slides[0]) == AD.TEXT["en"]["title"]           # the sample slide was dropped
    # without a template: python-pptx's default master, 16:9
    plain = Presentation(io.BytesIO(AD.to_pptx(deck_results(cfg, views, ""))))
    assert (plain.slide_width, plain.slide_height) == (Inches(13.333), Inches(7.5))


@pytest.mark.parametrize("value, why", [("../master.pptx", "outside"), ("brand/none.pptx", "not found"),
                                        ("client.yml", ".pptx")])
def test_deck_template_is_validated(client, tmp_path, value, why):
    cfg = ClientConfig(client="acme", deck_template=value, folder=client)
    with pytest.raises(InputError, match="deck_template"):
        cfg.deck_template_path()
    step, name = runner._deck(cfg, deck_results(cfg, collect.KpiViews(), ""), tmp_path)
    assert step["status"] == "failed" and "deck_template" in step["reason"] and why in step["reason"]
    assert name is None


def test_the_audit_publishes_the_deck_with_what_changed(client, tmp_path):
    """Two audits of the runner (no notebook): the second deck says what changed since the first."""
    from cxtoolkit.audit.runner import run_audit

    kw = dict(client_data=client.parent, out=tmp_path / "reports", notebooks=["no-such-notebook"], jobs=1,
              warehouse=tmp_path / "wh.duckdb")
    first = run_audit("demo-small", period="2026-09", **kw)
    second = run_audit("demo-small", period="2026-10", **kw)
    for res in (first, second):
        assert res.manifest["steps"]["deck"]["status"] == "ok", res.manifest["steps"]["deck"]
        assert "audit_deck.pptx" in {o["path"] for o in res.manifest["outputs"]}
    T = AD.TEXT["en"]
    assert T["changes"] not in [_title(s) for s in Presentation(str(first.folder / "audit_deck.pptx")).slides]
    prs = Presentation(str(second.folder / "audit_deck.pptx"))
    (table,) = [sh.table for sh in _slide(prs, T["changes"]).shapes if sh.has_table]
    assert table.cell(0, 2).text == "Previous (September 2026)"
    changes = pd.read_csv(second.folder / "changes.csv")
    row = changes[(changes["kpi"] == "answer_rate") & (changes["segment_by"] == "overall")].iloc[0]
    shown = {table.cell(i, 0).text: table.cell(i, 3).text for i in range(1, len(table.rows))
             if table.cell(i, 1).text == "Overall"}
    from cxtoolkit.viz.kpis import format_value

    assert shown["Answer rate"] == format_value(row["current"], "ratio", "en")


def test_a_bad_deck_template_stops_the_audit_before_it_runs(client, tmp_path):
    from cxtoolkit.audit.runner import run_audit

    data = tmp_path / "data"
    (data / "demo-small").mkdir(parents=True)
    yml = (client / "client.yml").read_text(encoding="utf-8") + "deck_template: ../../elsewhere.pptx\n"
    (data / "demo-small" / "client.yml").write_text(yml, encoding="utf-8")
    with pytest.raises(InputError, match=r"deck_template\): outside"):
        run_audit("demo-small", client_data=data, out=tmp_path / "reports", notebooks=["x"], warehouse=False)
    assert not (tmp_path / "reports" / "demo-small").exists()


# --------------------------------------------------------------------------- layout (without a renderer)
# An independent estimate of the space text takes: every glyph 0.55 em wide (DejaVu Sans,
# LibreOffice's fallback font, is about that; Calibri narrower), lines 1.2 em apart.
EM, LINE = 0.55, 1.2
EMU_PT = 12700


def _lines(text: str, width_pt: float, size: float) -> int:
    per_line = max(int(width_pt // (EM * size)), 1)
    n = 0
    for para in text.split("\n"):
        words, line, count = para.split(), "", 1
        for w in words:
            while len(w) > per_line:            # a word longer than a line is broken
                if line:
                    count, line = count + 1, ""
                w, count = w[per_line:], count + 1
            if not line:
                line = w
            elif len(line) + 1 + len(w) <= per_line:
                line += " " + w
            else:
                count, line = count + 1, w
        n += count
    return n


def _size(paragraph, default: float) -> float:
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
    return max(sizes) if sizes else default


def _text_pt(tf, width_emu: int, default: float, bold: float = 1.0) -> float:
    """Points the text of a text frame takes once wrapped in ``width_emu``, insets included."""
    inner = (width_emu - (tf.margin_left + tf.margin_right)) / EMU_PT
    h = (tf.margin_top + tf.margin_bottom) / EMU_PT
    for p in tf.paragraphs:
        size = _size(p, default)
        h += _lines(p.text, inner, size * bold) * LINE * size + (p.space_after.pt if p.space_after else 0)
    return h


def _extent(sh) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) a shape really covers: a table as tall as its rows, a text
    box as tall as its text."""
    h = sh.height
    if sh.has_table:
        h = sum(row.height for row in sh.table.rows)
    elif sh.has_text_frame and sh.text_frame.text:
        h = max(h, int(_text_pt(sh.text_frame, sh.width, 44 if sh.is_placeholder else 18) * EMU_PT))
    return sh.left, sh.top, sh.left + sh.width, sh.top + h


def _layout_defects(prs) -> list[str]:
    """Shapes outside the slide, overlapping one another, or whose text does not fit."""
    W, H = prs.slide_width, prs.slide_height
    out = []
    for n, slide in enumerate(prs.slides, start=1):
        shapes = [sh for sh in slide.shapes if not (sh.has_text_frame and not sh.text_frame.text)]
        # a master's own shapes (a brand line, a logo) show on every slide too
        fixed = [sh for part in (slide.slide_layout.slide_master, slide.slide_layout) for sh in part.shapes
                 if not sh.is_placeholder]
        boxes = [(_extent(sh), sh) for sh in fixed + shapes]
        for (x0, y0, x1, y1), sh in boxes:
            if x0 < 0 or y0 < 0 or x1 > W or y1 > H:
                out.append(f"slide {n}: {sh.name} leaves the slide")
        for i, ((a0, b0, a1, b1), s1) in enumerate(boxes):
            for (c0, d0, c1, d1), s2 in boxes[i + 1:]:
                if min(a1, c1) - max(a0, c0) > 0 and min(b1, d1) - max(b0, d0) > 0:
                    out.append(f"slide {n}: {s1.name} overlaps {s2.name}")
        for sh in shapes:
            if sh.has_text_frame and sh.text_frame.text:
                need = _text_pt(sh.text_frame, sh.width, 44 if sh.is_placeholder else 18)
                if need > sh.height / EMU_PT + 0.5:
                    out.append(f"slide {n}: text of {sh.name} needs {need:.0f} pt, has {sh.height / EMU_PT:.0f}: "
                               f"{sh.text_frame.text[:40]!r}")
            if sh.has_table:
                tbl = sh.table
                widths = [c.width for c in tbl.columns]
                for i, row in enumerate(tbl.rows):
                    for j, cell in enumerate(row.cells):
                        if not cell.text:
                            continue
                        need = _text_pt(cell.text_frame, widths[j], 18, 1.1 if i == 0 else 1.0) \
                            - (cell.text_frame.margin_top + cell.text_frame.margin_bottom) / EMU_PT \
                            + (cell.margin_top + cell.margin_bottom) / EMU_PT
                        if need > row.height / EMU_PT + 0.5:
                            out.append(f"slide {n}: table cell ({i}, {j}) {cell.text[:30]!r} needs {need:.0f} pt, "
                                       f"row has {row.height / EMU_PT:.0f}")
    return out


def test_the_estimate_of_wrapped_text():
    """Known answers of the layout tests' own estimate (10 pt: 5.5 pt a glyph)."""
    assert _lines("aaaa bbbb", 5.5 * 9, 10) == 1 and _lines("aaaa bbbb", 5.5 * 8, 10) == 2
    assert _lines("a" * 25, 5.5 * 10, 10) == 3 and _lines("x\ny", 100, 10) == 2


def test_nothing_overflows_or_overlaps(deck):
    """Every shape inside the slide, no two overlapping (tables as tall as their rows, text
    boxes as tall as their wrapped text), every text at its font size within its box."""
    r, prs = deck
    assert _layout_defects(prs) == []


def test_the_layout_check_catches_defects(deck):
    """The check above finds a title too long for its box, a box beyond the slide's edge
    and two shapes on top of each other."""
    from pptx.util import Pt

    _, prs = deck
    prs = Presentation(io.BytesIO(_bytes(prs)))
    slide = prs.slides[1]
    slide.shapes.title.text_frame.text = "A title far too long for the title band of the slide, " * 3
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
    box = slide.shapes.add_textbox(prs.slide_width - Inches(1), Inches(3), Inches(2), Inches(1))
    box.text_frame.text = "beyond"
    found = "\n".join(_layout_defects(prs))
    assert "text of" in found and "leaves the slide" in found and "overlaps" in found


def _bytes(prs) -> bytes:
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def test_long_texts_still_fit(client):
    """Findings, labels and quotes three times as long shrink to fit; nothing overflows."""
    import dataclasses

    _, _, r = _results(client, "fr")
    th = r.verbatims.themes.copy()
    th["examples"] = [[("Toujours pas de réponse à ma réclamation, c'est inadmissible. " * 6).strip()]
                      for _ in range(len(th))]
    th["label_fr"] = th["label_fr"] + " et encore un libellé très long"
    st = r.status.assign(label=r.status["label"] + " (libellé du client, long)")
    r = dataclasses.replace(r, verbatims=dataclasses.replace(r.verbatims, themes=th), status=st,
                            client_name="Une société au nom particulièrement long pour un titre SAS")
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    assert _layout_defects(prs) == []
    quotes = "\n".join(sh.text_frame.text for sh in _slide(prs, AD.TEXT["fr"]["quotes"]).shapes if sh.has_text_frame)
    assert "…" in quotes          # a quote longer than QUOTE_CHARS is cut


def test_key_drivers_absent_say_so(deck):
    """Without impacts the friction slide says key drivers were not measured (no empty slide)."""
    import dataclasses

    r, _ = deck
    T = AD.TEXT[AD._loc(r.locale)]
    for drivers in (None, r.drivers.assign(impact=float("nan")) if r.drivers is not None else None):
        prs = Presentation(io.BytesIO(AD.to_pptx(dataclasses.replace(r, drivers=drivers))))
        titles = [_title(s) for s in prs.slides]
        assert T["drivers"] not in titles
        text = "\n".join(sh.text_frame.text for sh in _slide(prs, T["friction"]).shapes if sh.has_text_frame)
        assert T["no_drivers"] in text


def test_trends_without_targets(deck):
    """A client without any target: the trend slide falls back to answer rate and service level."""
    import dataclasses

    r, _ = deck
    st = r.status.assign(target=None, rag=None)
    r2 = dataclasses.replace(r, status=st)
    assert AD.trend_keys(r2) == ["answer_rate", "service_level"]
    prs = Presentation(io.BytesIO(AD.to_pptx(r2)))
    charts = _charts(_slide(prs, AD.TEXT[AD._loc(r.locale)]["trends"]))
    assert len(charts) == 2 and all(len(c.plots[0].series) == 1 for c in charts)
    assert _layout_defects(prs) == []


BRAND_ACCENT = "7A1F5C"     # a consultancy's own accent colour, in its theme


def _master_4_3(path: Path) -> None:
    """A consultancy master: 4:3, a custom theme accent colour, a brand line on the master."""
    import copy

    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()                                     # python-pptx's default master is 4:3
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    start = xml.index("<a:accent1>")
    end = xml.index("</a:accent1>") + len("</a:accent1>")
    theme._blob = (xml[:start] + f'<a:accent1><a:srgbClr val="{BRAND_ACCENT}"/></a:accent1>' + xml[end:]).encode()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(Inches(0.2), Inches(7.1), Inches(4),
                                                                        Inches(0.3))
    box.text_frame.text = "Conseil Exemple SAS"
    prs.slide_master.shapes._spTree.append(copy.deepcopy(box._element))
    prs.save(str(path))


def test_a_4_3_master_with_its_own_theme_gives_a_clean_deck(deck, tmp_path):
    """The deck on a 4:3 consultancy master keeps its size, theme colour and brand line,
    and its slides are as clean as on the default 16:9 one."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    r, _ = deck
    _master_4_3(tmp_path / "master.pptx")
    prs = Presentation(io.BytesIO(AD.to_pptx(r, template=tmp_path / "master.pptx")))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob.decode("utf-8")
    assert f'<a:accent1><a:srgbClr val="{BRAND_ACCENT}"/></a:accent1>' in theme
    assert "Conseil Exemple SAS" in [sh.text_frame.text for sh in prs.slide_master.shapes if sh.has_text_frame]
    assert [_title(s) for s in prs.slides] == [_title(s) for s in Presentation(io.BytesIO(AD.to_pptx(r))).slides]
    assert _layout_defects(prs) == []


def test_what_changed_names_a_missing_segment_in_words(client):
    """Answers without a channel (the barometer) form the "(missing)" segment; the deck says
    "not given", never the code."""
    from cxtoolkit.kpis.groups import MISSING

    cfg, views, _ = _results(client, "en")
    rows = collect.kpi_rows(views.views, cfg.client, "2026-Q3", cfg)
    changes = hist.what_changed(rows.assign(value=rows["value"] * 0.5, period="2026-Q2"), rows)
    changes = changes[changes["segment"].astype(str) == MISSING].assign(significant=True)
    assert len(changes)
    prs = Presentation(io.BytesIO(AD.to_pptx(deck_results(cfg, views, "2026-Q3", changes, "2026-Q2"))))
    (table,) = [sh.table for sh in _slide(prs, AD.TEXT["en"]["changes"]).shapes if sh.has_table]
    segments = [table.cell(i, 1).text for i in range(1, len(table.rows))]
    assert segments and all(s.endswith(" not given") for s in segments), segments
    assert MISSING not in "\n".join(_texts(prs))


def test_french_deck_tells_changes_and_data_as_the_index_does(client):
    """Rate changes in signed points (the index page's rule, report.tables.format_delta),
    segments and data tables by their labels, never their codes."""
    from cxtoolkit.report.tables import format_delta

    cfg, views, _ = _results(client, "fr")
    rows = collect.kpi_rows(views.views, cfg.client, "2026-Q3", cfg)
    before = rows.assign(value=rows["value"] * 0.9, period="2026-Q2")
    changes = hist.what_changed(before, rows)
    prs = Presentation(io.BytesIO(AD.to_pptx(deck_results(cfg, views, "2026-Q3", changes, "2026-Q2"))))
    (table,) = [sh.table for sh in _slide(prs, AD.TEXT["fr"]["changes"]).shapes if sh.has_table]
    cells = [[c.text for c in r.cells] for r in table.rows][1:]
    rate = next(r for r in cells if r[0] == "Taux de décroché (QS)")
    ch = changes.set_index(["kpi", "segment_by"]).loc[("answer_rate", "overall")]
    assert rate[4] == format_delta("answer_rate", ch["delta"], "fr") and rate[4].endswith(" pts")
    assert rate[4][0] in "+-"
    segments = {r[1] for r in cells}
    assert any(s.startswith("Canal ") for s in segments), segments
    assert not [s for s in segments if s.startswith("Canal ") and s.split(" ", 1)[1] in ("phone", "email")]
    (data,) = [sh.table for sh in _slide(prs, AD.TEXT["fr"]["appendix"]).shapes if sh.has_table]
    names = [data.cell(i, 0).text for i in range(1, len(data.rows))]
    assert "Contacts" in names and "Réponses d'enquête" in names and "responses" not in names


def test_summary_leaves_out_a_business_case_on_the_models_defaults(client):
    # a client with daily reports only (no survey data, no roi assumption on its surveys):
    # the summary slide said "Net benefit €36,000" — the model's example, not the client's
    from cxtoolkit.audit.collect import KpiViews

    def summary(r) -> str:
        prs = Presentation(io.BytesIO(AD.to_pptx(r)))
        return _slide(prs, AD.TEXT["en"]["summary"]).shapes[1].text_frame.text.lower()

    bare = deck_results(ClientConfig(client="acme", locale="en", roi={"acquisition_cost": 300}), KpiViews(), "2026-10")
    assert "net benefit" not in summary(bare) and bare.business_case.case.illustrative
    assert "roi" in AD.sections(bare)   # the business-case slides stay, their inputs marked as defaults
    own = deck_results(ClientConfig(client="acme", locale="en", roi={"acquisition_cost": 300, "customers_surveyed": 8000}),
                       KpiViews(), "2026-10")
    assert not own.business_case.case.illustrative and "net benefit" in summary(own)
    _, _, demo = _results(client, "en")   # survey data: the client's own case
    assert not demo.business_case.case.illustrative and "net benefit" in summary(demo)


@pytest.mark.parametrize("loc", ["fr", "en"])
def test_trend_slide_says_the_days_of_partial_weeks(client, loc):
    """A period that starts on a Thursday and ends on a Wednesday: its first and last weeks
    are partial, their labels say their days (sem. 40 2026, 1–4 oct.) on the axis and in
    the commentary; the full weeks keep their plain label."""
    import datetime as dt

    from cxtoolkit.rules import week_monday

    cfg = load_config(client / "client.yml").model_copy(update={"locale": loc})
    views = collect.compute_views(cfg)
    weeks = views.views["week"].index.astype(str).tolist()
    start = week_monday(weeks[0]) + dt.timedelta(days=3)
    end = week_monday(weeks[-1]) + dt.timedelta(days=2)
    r = deck_results(cfg, views, "2026-Q3", start=start.isoformat(), end=end.isoformat())
    prs = Presentation(io.BytesIO(AD.to_pptx(r)))
    slide = next(s for s in prs.slides if any(sh.has_chart and week_text(weeks[1], loc) in list(
        sh.chart.plots[0].categories) for sh in s.shapes))   # the first with weeks: the KPI trends
    cats = list(_charts(slide)[0].plots[0].categories)
    assert cats[0] == week_text(weeks[0], loc, start, end) != week_text(weeks[0], loc)   # … (…–…)
    assert cats[-1] == week_text(weeks[-1], loc, start, end) != week_text(weeks[-1], loc)
    assert cats[1:-1] == [week_text(w, loc) for w in weeks[1:-1]]
    said = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert cats[0] in said   # the commentary names the partial week with its days too
