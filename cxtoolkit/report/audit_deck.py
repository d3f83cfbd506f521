"""The audit deck: one PowerPoint a consultant hands to leadership, with native charts.

:func:`to_pptx` renders a :class:`~cxtoolkit.audit.results.DeckResults` (computed once by
:func:`cxtoolkit.audit.results.deck_results`) into slides, in the client's language: title;
executive summary; KPIs against targets (RAG) and trends; weekday × hour; friction map and
key drivers; irritants and delighters with masked quotes; quality and calibration; the
ROI business case (waterfall, tornado, risk range, scenarios); staffing gap; what changed
since the last audit; appendix (method, data, rejects). A section whose result is absent
is left out (the appendix says why). Every chart is a native, editable PowerPoint chart
(python-pptx ``add_chart``) carrying the numbers of the result frames — no picture, no
browser (Kaleido stays in the business-case export of the ROI app).

The deck renders; it computes nothing: each number comes from the result frames, each
sentence from the domain's commentary functions. Values are formatted with
:func:`cxtoolkit.viz.kpis.format_value` (KPI units) and :mod:`cxtoolkit.viz.roi` (money):
one formatter per unit, to be swapped for ``cxtoolkit.rules.format_value`` once it exists.

Examples
--------
>>> from cxtoolkit.audit.collect import KpiViews
>>> from cxtoolkit.audit.results import deck_results
>>> from cxtoolkit.config import ClientConfig
>>> r = deck_results(ClientConfig(client="acme", locale="en", roi={"acquisition_cost": 300}), KpiViews(), "2026-10")
>>> [s for s, _ in SECTIONS if s in sections(r)]
['title', 'summary', 'roi', 'appendix']
>>> to_pptx(r)[:2]
b'PK'
"""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from cxtoolkit import pii, roi
from cxtoolkit.errors import InputError
from cxtoolkit.messages import CLIENT_LOCALES, client_locale, is_fr, section, text
from cxtoolkit.kpis.registry import KPIS, label as kpi_label
from cxtoolkit.viz import roi as vz
from cxtoolkit.viz.kpis import RAG_COLOURS, WEEKDAY_LABELS, format_value

if TYPE_CHECKING:   # the results object the audit computes; the report layer only reads it
    from cxtoolkit.audit.results import DeckResults

#: Section keys in deck order, with the result each needs (None: always shown).
SECTIONS: tuple[tuple[str, str | None], ...] = (
    ("title", None), ("summary", None), ("kpis", "status"), ("trends", "views"), ("heat", "heat"),
    ("friction", "friction"), ("verbatims", "verbatims"), ("quality", "quality"), ("roi", "business_case"),
    ("staffing", "staffing"), ("changes", "changes"), ("appendix", None),
)

#: The deck's titles and fixed words by locale (the catalogue's ``report.audit_deck``).
TEXT: dict[str, dict[str, str]] = {loc: section("report.audit_deck", loc) for loc in CLIENT_LOCALES}
#: Names of the results, for the appendix's list of sections left out.
_SECTION_TEXT = {loc: section("report.audit_deck_sections", loc) for loc in CLIENT_LOCALES}
#: The KPIs of the trend chart, and the rate of the weekday × hour chart.
TREND_KEYS = ("answer_rate", "service_level")
HEAT_KEY = "answer_rate"
_NUMBER_FORMATS = {"ratio": '0.0%'}   # chart axes and data of rates


def _loc(locale: str | None) -> str:
    return client_locale(locale)


def _money_format(currency: str, loc: str) -> str:
    sym = vz.fmt_money(0, currency, loc).replace("0", "").strip()
    return f'#,##0 "{sym}"' if is_fr(loc) else f'"{sym}"#,##0;-"{sym}"#,##0'


def _finite(v) -> float | None:
    """A chart value: a float, or None for a gap (NaN, missing)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def sections(r: DeckResults) -> list[str]:
    """Keys of the sections the deck of ``r`` shows (those whose result is present)."""
    present = {
        "status": r.status is not None and bool(r.status["rag"].notna().any()),
        "views": any(k in r.views.get("week", pd.DataFrame()).columns for k in TREND_KEYS)
        and len(r.views.get("week", ())) >= 2,
        "heat": r.heat is not None and HEAT_KEY in r.heat.columns and r.heat[HEAT_KEY].notna().any(),
        "friction": r.friction is not None and len(r.friction) > 0,
        "verbatims": r.verbatims is not None and (r.verbatims.themes["mentions"] > 0).any(),
        "quality": r.quality is not None,
        "business_case": r.business_case is not None,
        "staffing": r.staffing is not None and "week" in r.staffing.index,
        "changes": r.previous_period is not None or r.changes is not None,
    }
    return [key for key, need in SECTIONS if need is None or present.get(need, False)]


# --------------------------------------------------------------------------- slide helpers
class _Deck:
    def __init__(self, template: Path | None):
        from pptx import Presentation
        from pptx.util import Inches

        if template is not None:
            self.prs = Presentation(str(template))
            ids = self.prs.slides._sldIdLst            # a master's sample slides are not the deck's
            for sld in list(ids):
                self.prs.part.drop_rel(sld.rId)
                ids.remove(sld)
        else:
            self.prs = Presentation()
            self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
        layouts = list(self.prs.slide_layouts)
        self.title_layout = layouts[0]
        self.body_layout = next((lay for lay in layouts if lay.name.lower() in ("title only", "titre seul")),
                                layouts[5] if len(layouts) > 5 else layouts[-1])
        self.W, self.H = self.prs.slide_width, self.prs.slide_height

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.body_layout)
        if s.shapes.title is not None:
            s.shapes.title.text = title
        else:
            self.text(s, [title], 0.05, 0.02, 0.9, 0.12, size=28)
        return s

    def box(self, left: float, top: float, width: float, height: float):
        """Emu box from fractions of the slide."""
        from pptx.util import Emu
        return (Emu(int(self.W * left)), Emu(int(self.H * top)), Emu(int(self.W * width)), Emu(int(self.H * height)))

    def text(self, slide, lines: list[str], left=0.05, top=0.2, width=0.9, height=0.7, size=16,
             bullets: bool = False):
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Pt
        tb = slide.shapes.add_textbox(*self.box(left, top, width, height))
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE     # long findings shrink instead of overflowing
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = f"• {line}" if bullets else line
            p.space_after = Pt(8)
            for run in p.runs:
                run.font.size = Pt(size)
        return tb

    def table(self, slide, rows: list[list[str]], left, top, width, height, size=12,
              fills: dict[tuple[int, int], str] | None = None):
        from pptx.dml.color import RGBColor
        from pptx.util import Pt
        shape = slide.shapes.add_table(len(rows), len(rows[0]), *self.box(left, top, width, height))
        tbl = shape.table
        for i, row in enumerate(rows):
            for j, val in enumerate(row):
                cell = tbl.cell(i, j)
                cell.text = str(val)
                if fills and (i, j) in fills:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fills[(i, j)].lstrip("#"))
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(size)
                        run.font.bold = i == 0
        return tbl

    def chart(self, slide, kind: str, categories: list[str], series: dict[str, list], box: tuple,
              number_format: str | None = None, legend: bool | None = None, title: str | None = None):
        """A native chart: ``kind`` is ``column``, ``bar`` (horizontal), ``line``,
        ``stacked_column`` or ``stacked_bar``; ``series`` maps a legend name to its values."""
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Pt

        data = CategoryChartData(number_format=number_format) if number_format else CategoryChartData()
        data.categories = [str(c) for c in categories]
        for name, values in series.items():
            data.add_series(str(name), [_finite(v) for v in values])
        types = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
                 "line": XL_CHART_TYPE.LINE_MARKERS, "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
                 "stacked_bar": XL_CHART_TYPE.BAR_STACKED}
        chart = slide.shapes.add_chart(types[kind], *self.box(*box), data).chart
        chart.has_legend = len(series) > 1 if legend is None else legend
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        if title:
            chart.has_title = True
            chart.chart_title.text_frame.text = title
            for p in chart.chart_title.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(14)
        else:
            chart.has_title = False
        if number_format:
            chart.value_axis.tick_labels.number_format = number_format
            chart.value_axis.tick_labels.number_format_is_linked = False
        return chart


# --------------------------------------------------------------------------- sections
def _summary_findings(r: DeckResults, loc: str) -> list[str]:
    """3–5 findings with their figures, from the domain's commentary."""
    from cxtoolkit import journey as J
    from cxtoolkit import verbatims as VB
    from cxtoolkit.kpis import commentary as C
    from cxtoolkit.report import business_case as BC

    found: list[str] = []
    if r.status is not None and r.status["rag"].notna().any():
        found.append(C.comment_status(r.status, loc))
    if r.friction is not None and len(r.friction):
        found += J.comment_friction(r.friction, loc, top=1, drivers=r.drivers)[:1]
    if r.verbatims is not None:
        found += VB.comment_verbatims(r.verbatims, loc)[:1]
    if r.quality is not None:
        found += list(r.quality["commentary"])[:1]
    if r.business_case is not None:
        found += BC.commentary(r.business_case)[1:2]
    overall = r.views.get("overall")
    if len(found) < 3 and overall is not None and len(overall) and "nps" in overall.columns:
        found.append(C.comment_surveys(overall.iloc[0], loc))
    return [pii.mask_text(f) for f in found if f][:5]


def _kpis(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    st = r.status[r.status["rag"].notna()]
    s = d.slide(T["kpis"])
    rows = [[T["indicator"], T["value"], T["target"], T["status"]]]
    fills = {}
    for i, row in enumerate(st.itertuples(), start=1):
        rows.append([row.label, format_value(row.value, row.unit, loc), format_value(row.target, row.unit, loc),
                     T[row.rag]])
        fills[(i, 3)] = RAG_COLOURS[row.rag]
    d.table(s, rows, 0.04, 0.2, 0.44, min(0.07 * len(rows), 0.75), 12, fills)
    rates = st[st["unit"] == "ratio"]
    if len(rates):
        d.chart(s, "bar", rates["label"].tolist(), {T["value"]: rates["value"].tolist(),
                                                     T["target"]: rates["target"].tolist()},
                (0.52, 0.2, 0.45, 0.72), _NUMBER_FORMATS["ratio"])


def _trends(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.kpis import commentary as C

    week = r.views["week"]
    keys = [k for k in TREND_KEYS if k in week.columns and week[k].notna().any()]
    s = d.slide(T["trends"])
    d.chart(s, "line", [str(i) for i in week.index], {kpi_label(k, loc): week[k].tolist() for k in keys},
            (0.04, 0.18, 0.92, 0.6), _NUMBER_FORMATS["ratio"])
    d.text(s, [C.comment_trend(week, keys[0], loc)] if keys else [], 0.05, 0.8, 0.9, 0.15, 14)


def _heat(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.kpis import commentary as C

    grid = r.heat[HEAT_KEY].astype("float64").unstack("hour")
    grid = grid.reindex([w for w in WEEKDAY_LABELS["en"] if w in grid.index])
    s = d.slide(T["heat"])
    d.chart(s, "line", [f"{int(h):02d}h" for h in grid.columns],
            {WEEKDAY_LABELS[loc][w]: grid.loc[w].tolist() for w in grid.index},
            (0.04, 0.18, 0.92, 0.6), _NUMBER_FORMATS["ratio"])
    d.text(s, [C.comment_heatmap(r.heat, loc, key=HEAT_KEY)], 0.05, 0.8, 0.9, 0.15, 14)


def _friction(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit import journey as J

    fm = r.friction
    lab = f"stage_label_{loc}"
    s = d.slide(T["friction"])
    d.chart(s, "bar", fm[lab].tolist()[::-1], {T["unhappy_share"]: fm["unhappy_share"].tolist()[::-1]},
            (0.04, 0.18, 0.46, 0.74), _NUMBER_FORMATS["ratio"])
    d.text(s, [pii.mask_text(x) for x in J.comment_friction(fm, loc, drivers=r.drivers)], 0.53, 0.18, 0.43,
           0.74, 13, bullets=True)
    dr = r.drivers
    if dr is not None and dr["impact"].notna().any():
        dr = dr[dr["impact"].notna()]
        s = d.slide(T["drivers"])
        d.chart(s, "bar", dr[lab].tolist()[::-1], {T["impact"]: dr["impact"].tolist()[::-1]},
                (0.04, 0.18, 0.6, 0.74), '0.00')
        rows = [[T["stage"], T["quadrant"]]] + [[str(row[lab]), str(row[f"quadrant_{loc}"])]
                                                   for _, row in dr.iterrows()]
        d.table(s, rows, 0.67, 0.18, 0.3, min(0.06 * len(rows), 0.74), 11)


def _verbatims(d: _Deck, r: DeckResults, T: dict, loc: str, scrub: Callable[[str], str]) -> None:
    from cxtoolkit import verbatims as VB

    th = r.verbatims.themes
    th = th[(th["mentions"] > 0) & (th["label"] != "neutral")].sort_values("lift", ascending=False)
    lab = f"label_{loc}"
    s = d.slide(T["verbatims"])
    if len(th):
        d.chart(s, "bar", th[lab].tolist()[::-1], {T["lift"]: th["lift"].tolist()[::-1]},
                (0.04, 0.18, 0.5, 0.74), '0.0"×"')
    d.text(s, [pii.mask_text(x) for x in VB.comment_verbatims(r.verbatims, loc)], 0.56, 0.18, 0.4, 0.74, 13,
           bullets=True)
    quotes = []
    for kind in ("irritant", "delighter"):
        for row in th[th["label"] == kind].head(2).itertuples():
            for q in list(row.examples)[:1]:
                quotes.append(text("report.audit_deck_lines.quote", loc, theme=getattr(row, lab),
                                   text=scrub(pii.mask_text(str(q)))))
    if quotes:
        s = d.slide(T["quotes"])
        d.text(s, quotes, 0.05, 0.18, 0.9, 0.75, 16, bullets=True)


def _quality(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    q = r.quality
    s = d.slide(T["quality"])
    tr = q["trend"]
    if len(tr):
        d.chart(s, "line", tr["week"].astype(str).tolist(), {T["score"]: tr["score"].tolist()},
                (0.04, 0.18, 0.5, 0.45), '0')
    cal = q["calibration"]
    a = cal.overall or {}
    ci = a.get("ci95") or [None, None]
    num = lambda x: format_value(x, "score", loc)  # noqa: E731
    drifting = cal.evaluators.loc[cal.evaluators["drifting"].astype(bool), "evaluator_id"].astype(str).tolist() \
        if len(cal.evaluators) else []
    rows = [[T["measure"], T["value"]], [T["alpha"], num(a.get("alpha"))],
            [T["ci"], f"{num(ci[0])} – {num(ci[1])}"], [T["calls"], format_value(a.get("n_units"), "count", loc)],
            [T["drifting"], ", ".join(drifting) or T["none"]]]
    d.table(s, rows, 0.04, 0.66, 0.5, 0.28, 12)
    d.text(s, [pii.mask_text(x) for x in q["commentary"]], 0.57, 0.18, 0.39, 0.76, 13, bullets=True)


def _roi(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.report import business_case as BC

    bc = r.business_case
    cur, out = bc.currency, bc.outputs
    money = _money_format(cur, loc)
    # waterfall: stacked columns whose first series (the base) is invisible
    steps = [("avoided_acquisition_cost", out["avoided_acquisition_cost"]),
             ("retained_margin", out["retained_margin"]), ("program_cost", -out["program_cost"])]
    spans, level = [], 0.0
    for _, v in steps:
        spans.append((level, level + v))
        level += v
    spans.append((0.0, out["net_benefit"]))
    base, up, down = waterfall_series(spans)
    s = d.slide(T["roi_waterfall"])
    name = roi.label("net_benefit", loc)
    ch = d.chart(s, "stacked_column", [roi.label(k, loc) for k, _ in steps] + [name],
                 {T["base"]: base, name: up, f"{name} (−)": down}, (0.04, 0.18, 0.6, 0.74), money, legend=False)
    ch.plots[0].overlap = 100
    ch.plots[0].series[0].format.fill.background()          # the invisible base
    ch.plots[0].series[0].format.line.fill.background()
    d.text(s, BC.commentary(bc)[:3], 0.66, 0.18, 0.31, 0.74, 13, bullets=True)
    # tornado: a floating bar per input, from the net benefit at its low value to that at its high value
    sens = bc.sensitivity.iloc[::-1]                       # the largest swing on top
    base, up, down = waterfall_series(list(zip(sens["low"], sens["high"])))
    s = d.slide(T["roi_tornado"])
    ch = d.chart(s, "stacked_bar", sens["label"].tolist(), {T["base"]: base, name: up, f"{name} (−)": down},
                 (0.04, 0.18, 0.92, 0.66), money, legend=False)
    ch.plots[0].overlap = 100
    ch.plots[0].series[0].format.fill.background()
    ch.plots[0].series[0].format.line.fill.background()
    share = vz.fmt_pct(bc.share, loc, 0)
    d.text(s, [T["tornado_note"].format(share=share, base=vz.fmt_money(out["net_benefit"], cur, loc))],
           0.05, 0.86, 0.9, 0.1, 13)
    # risk range and scenarios
    mc = bc.monte_carlo.summary()
    s = d.slide(T["roi_risk"])
    d.chart(s, "column", ["P10", "P50", "P90"], {roi.label("net_benefit", loc): [mc["p10"], mc["p50"], mc["p90"]]},
            (0.04, 0.18, 0.44, 0.45), money)
    rows = [[T["measure"], T["value"]]] + [[q.upper(), vz.fmt_money(mc[q], cur, loc)] for q in ("p10", "p50", "p90")]
    rows += [["P(ROI > 0)", vz.fmt_pct(mc["prob_roi_positive"], loc, 0)], [T["draws"], vz.fmt_count(mc["draws"], loc)]]
    d.table(s, rows, 0.04, 0.66, 0.44, 0.28, 12)
    names = [c for c in bc.scenarios.columns if c != "label"]
    d.chart(s, "column", [roi.label(n, loc) for n in names],
            {roi.label("net_benefit", loc): [bc.scenarios.loc["net_benefit", n] for n in names]},
            (0.52, 0.18, 0.44, 0.45), money)
    rows = [[""] + [roi.label(n, loc) for n in names]]
    rows += [[roi.label(k, loc)] + [vz.fmt_value(k, bc.scenarios.loc[k, n], cur, loc) for n in names]
             for k in ("retention_rate", "customers_retained", "net_benefit", "roi")]
    d.table(s, rows, 0.52, 0.66, 0.44, 0.28, 11)


def waterfall_series(spans: list[tuple[float, float]]) -> tuple[list[float], list[float], list[float]]:
    """Stacked-column series drawing each ``(start, end)`` span as a floating bar: an
    invisible ``base``, then the part above zero (``up``) and the part below (``down``,
    negative) — stacked columns pile positive and negative values on either side of zero,
    so a bar crossing zero is split there.

    >>> waterfall_series([(0, 100), (100, 70), (70, -30), (0, -30)])
    ([0, 70, 0, 0], [100, 30, 70, 0], [0, 0, -30, -30])
    """
    base, up, down = [], [], []
    for a, b in spans:
        lo, hi = min(a, b), max(a, b)
        if lo >= 0:
            base.append(lo), up.append(hi - lo), down.append(0)
        elif hi <= 0:
            base.append(hi), up.append(0), down.append(lo - hi)
        else:
            base.append(0), up.append(hi), down.append(lo)
    return base, up, down


def _staffing(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    st = r.staffing
    days = [i for i in st.index if i != "week"]
    s = d.slide(T["staffing"])
    d.chart(s, "column", [WEEKDAY_LABELS[loc].get(str(i), str(i)) for i in days],
            {T["needed"]: st.loc[days, "agent_hours"].tolist(), T["seen"]: st.loc[days, "agent_hours_seen"].tolist()},
            (0.04, 0.18, 0.6, 0.74), '0')
    wk = st.loc["week"]
    rows = [[T["measure"], T["week"]], [T["needed"], format_value(wk["agent_hours"], "hours", loc)],
            [T["seen"], format_value(wk["agent_hours_seen"], "hours", loc)],
            [T["extra_cost"], vz.fmt_money(_finite(wk.get("extra_cost")), r.currency, loc)]]
    d.table(s, rows, 0.67, 0.18, 0.3, 0.3, 12)


def _changes(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    s = d.slide(T["changes"])
    ch = r.changes
    if r.previous_period is None or ch is None:
        d.text(s, [T["first_audit"]], 0.05, 0.2, 0.9, 0.3, 18)
        return
    ch = ch[ch["kpi"].isin(list(KPIS))]
    if ch.empty:
        d.text(s, [T["no_change"]], 0.05, 0.2, 0.9, 0.3, 18)
        return
    ch = ch.assign(_sig=ch["significant"].fillna(False).astype(bool), _seg=ch["segment_by"] != "overall")
    ch = ch.sort_values(["_sig", "_seg"], ascending=[False, True], kind="stable")
    ch = ch.head(12)
    rows = [[T["indicator"], T["segment"], f"{T['previous']} ({r.previous_period})", T["current"], T["change"],
             T["significant"]]]
    for row in ch.itertuples():
        unit = KPIS[row.kpi].unit
        seg = T.get(row.segment_by, row.segment_by)
        seg = seg if row.segment_by == "overall" else f"{seg} {row.segment}"
        rows.append([kpi_label(row.kpi, loc), seg, format_value(row.previous, unit, loc),
                     format_value(row.current, unit, loc), format_value(row.delta, unit, loc),
                     _yes_no(row.significant, T)])
    d.table(s, rows, 0.04, 0.18, 0.92, min(0.06 * len(rows), 0.76), 11)


def _yes_no(flag, T: dict) -> str:
    if flag is None or (isinstance(flag, float) and math.isnan(flag)) or flag is pd.NA:
        return "–"
    return T["yes"] if bool(flag) else T["no"]


def _appendix(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    s = d.slide(T["appendix"])
    d.text(s, [T["method"]], 0.04, 0.16, 0.92, 0.2, 13)
    rows = [[T["table"], T["file"], T["read"], T["accepted"], T["rejected"]]]
    for table, c in r.rows_read.items():
        rows.append([table.replace("_", " "), str(c.get("file", "")), format_value(c.get("read"), "count", loc),
                     format_value(c.get("accepted"), "count", loc), format_value(c.get("rejected"), "count", loc)])
    if len(rows) > 1:
        d.table(s, rows, 0.04, 0.38, 0.6, min(0.06 * len(rows), 0.5), 11)
    names = _SECTION_TEXT[loc]
    left = [text("common.labelled", loc, label=names.get(k, k.replace('_', ' ')), value=why)
            for k, why in r.missing.items() if k in names]
    lines = [text("common.labelled", loc, label=T['rejects_total'], value=format_value(r.rejects, 'count', loc))]
    if left:
        lines += [T["left_out"]] + left
    d.text(s, lines, 0.67, 0.38, 0.3, 0.55, 11)


# --------------------------------------------------------------------------- deck
def to_pptx(r: DeckResults, template: Path | str | None = None, scrub: Callable[[str], str] | None = None,
            created: dt.date | None = None) -> bytes:
    """The audit deck of ``r`` as ``.pptx`` bytes, on ``template``'s masters when given.

    ``scrub`` is applied to every customer quote after PII masking (the audit passes its
    privacy guard, which pseudonymises customer ids).
    """
    loc = _loc(r.locale)
    T = TEXT[loc]
    scrub = scrub or (lambda x: x)
    d = _Deck(Path(template) if template else None)
    present = sections(r)
    s = d.prs.slides.add_slide(d.title_layout)
    if s.shapes.title is not None:
        s.shapes.title.text = T["title"]
    sub = " — ".join(x for x in (r.client_name, r.period, (created or dt.date.today()).isoformat()) if x)
    body = next((p for p in s.placeholders if p.placeholder_format.idx == 1), None)
    if body is not None:
        body.text = sub
    else:
        d.text(s, [sub], 0.1, 0.6, 0.8, 0.2, 20)
    d.text(d.slide(T["summary"]), _summary_findings(r, loc), 0.05, 0.18, 0.9, 0.76, 17, bullets=True)
    render = {"kpis": _kpis, "trends": _trends, "heat": _heat, "friction": _friction, "quality": _quality,
              "roi": _roi, "staffing": _staffing, "changes": _changes, "appendix": _appendix}
    for key in present:
        if key == "verbatims":
            _verbatims(d, r, T, loc, scrub)
        elif key in render:
            render[key](d, r, T, loc)
    buf = io.BytesIO()
    d.prs.save(buf)
    return buf.getvalue()


def export(r: DeckResults, path: str | Path, template: Path | str | None = None,
           scrub: Callable[[str], str] | None = None) -> Path:
    """Write the audit deck of ``r`` to ``path`` (``.pptx``)."""
    p = Path(path)
    if p.suffix.lower() != ".pptx":
        raise InputError(f"{p}: the audit deck is a .pptx file")
    p.write_bytes(to_pptx(r, template, scrub))
    return p
