"""The satisfaction-ROI business case as a PowerPoint deck or a self-contained HTML page.

:func:`build_business_case` gathers everything a leadership deck shows for one scenario
(inputs and their sources, outputs, sensitivity, Monte Carlo range, named scenarios and,
with a yearly margin, the multi-year view); :func:`to_pptx` / :func:`to_html` render it
and :func:`export` writes the file. Chart images come from Plotly + Kaleido (headless
Chromium); when image export fails the deck falls back to native PowerPoint charts and
tables — an export never crashes for lack of a browser.

Examples
--------
>>> from cxtoolkit import roi
>>> bc = build_business_case(roi.prefill(), draws=1000)
>>> bc.outputs["customers_retained"]
120.0
>>> "<html" in to_html(bc)[:200]
True
"""
from __future__ import annotations

import atexit
import datetime as dt
import html
import io
import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from cxtoolkit import roi
from cxtoolkit.errors import InputError
from cxtoolkit.report.tables import format_date, table_html
from cxtoolkit.messages import locale_of, text
from cxtoolkit.viz import roi as vz

log = logging.getLogger(__name__)


@dataclass
class BusinessCase:
    """One scenario and everything derived from it, ready to render."""

    case: roi.RoiCase
    outputs: dict[str, float]
    sensitivity: pd.DataFrame
    monte_carlo: roi.MonteCarloResult
    scenarios: pd.DataFrame
    multi_year: pd.DataFrame | None
    currency: str = "EUR"
    locale: str = "fr"
    client_name: str = ""
    share: float = roi.SETTING_DEFAULTS["sensitivity_share"]
    settings: dict = field(default_factory=dict)
    created: dt.date = field(default_factory=dt.date.today)

    def t(self, key: str, **values) -> str:
        """The catalogue text ``report.business_case.<key>`` in the case's locale."""
        return text(f"report.business_case.{key}", self.locale, **values)

    def figures(self) -> dict[str, go.Figure]:
        figs = {
            "waterfall": vz.waterfall(self.outputs, self.currency, self.locale),
            "tornado": vz.tornado(self.sensitivity, self.currency, self.locale, self.share),
            "distribution": vz.distribution(self.monte_carlo.histogram(), self.monte_carlo.summary(),
                                            self.currency, self.locale),
            "scenarios": vz.scenarios_chart(self.scenarios, self.currency, self.locale),
        }
        if self.multi_year is not None:
            figs["multi_year"] = vz.multi_year_chart(self.multi_year, self.currency, self.locale)
        return figs


def build_business_case(case: roi.RoiCase, currency: str = "EUR", locale: str = "fr",
                        client_name: str = "", share: float | None = None,
                        draws: int | None = None, seed: int | None = None,
                        scenarios: dict[str, roi.RoiInputs] | None = None) -> BusinessCase:
    """Compute every view of the business case for ``case`` (settings default to
    ``case.settings`` from client.yml, then to 20 % sensitivity, 100 000 draws, seed 0;
    the Monte Carlo is :func:`cxtoolkit.roi.case_monte_carlo`)."""
    share = case.setting("sensitivity_share") if share is None else share
    draws, seed = roi.monte_carlo_settings(case, draws, seed)
    ranges = roi.case_ranges(case)
    inp = case.inputs
    scen = scenarios or roi.named_scenarios(inp, ranges)
    my = None
    if inp.annual_margin > 0:
        my = roi.multi_year(inp, int(case.setting("years")), case.setting("churn_rate"),
                            case.setting("discount_rate"))
    return BusinessCase(case, roi.compute(inp), roi.sensitivity(inp, share, locale=locale),
                        roi.case_monte_carlo(case, draws=draws, seed=seed, ranges=ranges),
                        roi.compare_scenarios(scen, locale), my, currency, locale, client_name,
                        share, {"draws": draws, "seed": seed, "ranges": ranges})


# --------------------------------------------------------------------------- chart images
_kaleido_lock = threading.Lock()
_kaleido_server = False


def _stop_kaleido() -> None:
    global _kaleido_server
    if _kaleido_server:
        try:
            import kaleido
            kaleido.stop_sync_server(silence_warnings=True)
        except Exception:  # pragma: no cover - best effort at exit
            pass
        _kaleido_server = False


def figure_images(figs: dict[str, go.Figure], width: int = 1000, height: int = 520) -> dict[str, bytes] | None:
    """PNG bytes of each figure via Kaleido (one Chromium reused across calls), or ``None``
    when image export is unavailable (no Chromium, Kaleido error)."""
    global _kaleido_server
    import warnings

    import plotly.io as pio
    try:
        pio.defaults.mathjax = None
    except Exception:  # older plotly
        try:
            pio.kaleido.scope.mathjax = None
        except Exception:
            pass
    with _kaleido_lock:
        try:
            import kaleido
            if not _kaleido_server:
                kaleido.start_sync_server(silence_warnings=True)
                _kaleido_server = True
                atexit.register(_stop_kaleido)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return {k: pio.to_image(f, format="png", width=width, height=height, scale=1.5)
                        for k, f in figs.items()}
        except Exception as exc:  # no browser, kaleido failure: native charts instead
            log.warning("chart images unavailable (%s); using native charts", exc)
            _stop_kaleido()
            return None


# --------------------------------------------------------------------------- PowerPoint
def _table(slide, rows: list[list[str]], left, top, width, height, font_pt: int = 12):
    from pptx.util import Pt
    shape = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, height)
    tbl = shape.table
    for i, row in enumerate(rows):
        for j, val in enumerate(row):
            cell = tbl.cell(i, j)
            cell.text = str(val)
            for p in cell.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(font_pt)
                    r.font.bold = i == 0
    return tbl


def _title(slide, text: str) -> None:
    slide.shapes.title.text = text


def _native_bar(slide, categories, series: dict[str, list[float]], left, top, width, height,
                horizontal: bool = False):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    data = CategoryChartData()
    data.categories = list(categories)
    for name, vals in series.items():
        data.add_series(name, [0.0 if v is None or not math.isfinite(v) else float(v) for v in vals])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    return chart


def to_pptx(bc: BusinessCase, images: bool = True) -> bytes:
    """The business-case deck as ``.pptx`` bytes: title and headline, inputs with their
    source, waterfall, tornado, risk range (Monte Carlo and scenarios), multi-year view."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    t = bc.t
    cur, loc = bc.currency, bc.locale
    out = bc.outputs
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    W = prs.slide_width
    figs = bc.figures()
    imgs = figure_images(figs) if images else None

    def chart_slide(title: str, key: str, native) -> None:
        s = prs.slides.add_slide(prs.slide_layouts[5])
        _title(s, title)
        left, top = Inches(0.6), Inches(1.4)
        width, height = Emu(W - Inches(1.2)), Inches(5.6)
        if imgs and key in imgs:
            s.shapes.add_picture(io.BytesIO(imgs[key]), left, top, width=width)
        else:
            native(s, left, top, width, height)

    # 1. title + headline
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = t("title")
    mc = bc.monte_carlo.summary()
    def figures(*pairs) -> str:       # "label : value" in the locale's typography
        return "   ·   ".join(text("common.labelled", loc, label=k, value=v) for k, v in pairs)

    s.placeholders[1].text = "\n".join([
        " — ".join(x for x in (bc.client_name, format_date(bc.created, loc)) if x),
        figures((roi.label("customers_retained", loc), vz.fmt_count(out["customers_retained"], loc)),
                (roi.label("net_benefit", loc), vz.fmt_money(out["net_benefit"], cur, loc))),
        figures(("ROI", vz.fmt_pct(out["roi"], loc)),
                (roi.label("break_even_retention_rate", loc), vz.fmt_pct(out["break_even_retention_rate"], loc))),
        t("p10_p90", p10=vz.fmt_money(mc['p10'], cur, loc), p90=vz.fmt_money(mc['p90'], cur, loc)),
    ])
    for p in s.placeholders[1].text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(20)

    # 2. inputs with their source + outputs
    s = prs.slides.add_slide(prs.slide_layouts[5])
    _title(s, t("inputs_and_results"))
    inp = bc.case.inputs_frame(loc)
    rows = [[t("input"), t("value"), t("source")]]
    rows += [[r.label, vz.fmt_value(k, r.value, cur, loc), r.source_label] for k, r in inp.iterrows()]
    _table(s, rows, Inches(0.4), Inches(1.4), Inches(7.4), Inches(4.5), 12)
    rows = [[t("output"), t("value")]]
    rows += [[roi.label(k, loc), vz.fmt_value(k, out[k], cur, loc)] for k in roi.OUTPUT_KEYS]
    _table(s, rows, Inches(8.1), Inches(1.4), Inches(4.8), Inches(4.5), 12)

    # 3. waterfall
    wk = ["avoided_acquisition_cost", "retained_margin", "program_cost", "net_benefit"]
    chart_slide(t("from_avoided_cost_to_net_benefit"), "waterfall",
                lambda s, *box: _native_bar(s, [roi.label(k, loc) for k in wk],
                                            {roi.label("net_benefit", loc): [out[wk[0]], out[wk[1]], -out[wk[2]], out[wk[3]]]},
                                            *box))
    # 4. tornado
    sens = bc.sensitivity
    chart_slide(t("net_benefit_sensitivity"), "tornado",
                lambda s, *box: _native_bar(s, sens["label"].tolist()[::-1],
                                            {"−": sens["low"].tolist()[::-1], "+": sens["high"].tolist()[::-1]},
                                            *box, horizontal=True))
    # 5. risk range
    s = prs.slides.add_slide(prs.slide_layouts[5])
    _title(s, t("risk_range"))
    if imgs and "distribution" in imgs:
        s.shapes.add_picture(io.BytesIO(imgs["distribution"]), Inches(0.4), Inches(1.4), width=Inches(7.6))
    rows = [[t("measure"), t("value")],
            *[[t("net_benefit_q", q=q.upper()), vz.fmt_money(mc[q], cur, loc)] for q in ("p10", "p50", "p90")],
            [t("prob_roi_positive"), vz.fmt_pct(mc["prob_roi_positive"], loc, 0)],
            [t("draws"), vz.fmt_count(mc["draws"], loc)]]
    left = Inches(8.3) if imgs else Inches(0.6)
    _table(s, rows, left, Inches(1.4), Inches(4.4), Inches(2.4), 12)
    names = [c for c in bc.scenarios.columns if c != "label"]
    rows = [[""] + [roi.label(n, loc) for n in names]]
    rows += [[roi.label(k, loc)] + [vz.fmt_value(k, bc.scenarios.loc[k, n], cur, loc) for n in names]
             for k in ("retention_rate", "customers_retained", "net_benefit", "roi")]
    _table(s, rows, left, Inches(4.3), Inches(4.4), Inches(2.2), 11)

    # 6. multi-year
    if bc.multi_year is not None:
        my = bc.multi_year
        chart_slide(t("multi_year_view"), "multi_year",
                    lambda s, *box: _native_bar(s, [f"Y{int(y)}" for y in my["year"]],
                                                {roi.label("net_benefit", loc): my["net_benefit"].tolist(),
                                                 t("cumulative"): my["cumulative_net_benefit"].tolist()},
                                                *box))
        note = prs.slides[-1].shapes.add_textbox(Inches(0.6), Inches(6.9), Emu(W - Inches(1.2)), Inches(0.5))
        note.text_frame.text = t("multi_year_note_deck",
                                 churn=vz.fmt_pct(bc.case.setting('churn_rate'), loc, 0))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- HTML
_CSS = """body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#263238}
h1{color:#1f4e79}table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #cfd8dc;
padding:.3rem .8rem;text-align:left}td.num{text-align:right}.tiles{display:flex;gap:1rem;flex-wrap:wrap}
.tile{background:#eceff1;border-radius:8px;padding:.8rem 1.2rem;min-width:180px}.tile b{display:block;
font-size:1.6rem;color:#1f4e79}.note{color:#607d8b;font-size:.9rem}"""


def to_html(bc: BusinessCase) -> str:
    """A self-contained HTML page (plotly.js inlined, no CDN, no network)."""
    t, cur, loc, out = bc.t, bc.currency, bc.locale, bc.outputs
    e = html.escape
    mc = bc.monte_carlo.summary()
    tiles = "".join(
        f'<div class="tile">{e(roi.label(k, loc))}<b>{e(vz.fmt_value(k, out[k], cur, loc))}</b></div>'
        for k in ("customers_retained", "net_benefit", "roi", "break_even_retention_rate"))
    rows_in, rows_out, names, rows_sc = _rows(bc)
    charts = []
    for i, (k, fig) in enumerate(bc.figures().items()):
        charts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"fig-{k}",
                                  config={"displaylogo": False}))
    title = t("title")
    risk = t("risk", draws=vz.fmt_count(mc['draws'], loc), p10=vz.fmt_money(mc['p10'], cur, loc),
             p50=vz.fmt_money(mc['p50'], cur, loc), p90=vz.fmt_money(mc['p90'], cur, loc),
             prob=vz.fmt_pct(mc['prob_roi_positive'], loc, 0))
    sub = " — ".join(x for x in (bc.client_name, format_date(bc.created, loc)) if x)
    return f"""<!DOCTYPE html>
<html lang="{locale_of(loc)}"><head><meta charset="utf-8">
<title>{e(title)}</title><style>{_CSS}</style></head><body>
<h1>{e(title)}</h1><p class=note>{e(sub)}</p>
<div class=tiles>{tiles}</div>
<h2>{e(t("inputs"))}</h2>{_html_table(["input", "value", "data_source", "note"], rows_in, (1,), loc)}
<h2>{e(t("results"))}</h2>{_html_table(["output", "value"], rows_out, (1,), loc)}
{''.join(charts[:2])}
<h2>{e(t("risk_range"))}</h2><p>{e(risk)}</p>
{''.join(charts[2:])}
<h2>{e(t("scenarios"))}</h2>{_html_table(["kpi"] + names, rows_sc, tuple(range(1, len(names) + 1)), loc)}
</body></html>
"""


def export(bc: BusinessCase, path: str | Path, images: bool = True) -> Path:
    """Write the business case to ``path`` (``.pptx`` or ``.html``)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".pptx", ".html", ".htm"):
        raise InputError("error.report.business_case_suffix", path=p)
    if not p.parent.exists():
        raise InputError("error.report.folder_missing", path=p, folder=p.parent)
    data = to_pptx(bc, images=images) if suffix == ".pptx" else to_html(bc).encode("utf-8")
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- notebook report
def commentary(bc: BusinessCase) -> list[str]:
    """A few sentences (in the case's locale) a consultant can read out: the chain from
    surveyed customers to customers kept, the net benefit and ROI, the break-even
    retention rate, the input that matters most, the risk range and, with a margin, the
    multi-year view.

    A case on the model's defaults (:attr:`cxtoolkit.roi.RoiCase.illustrative`) opens with
    a line saying so.

    >>> from cxtoolkit import roi
    >>> lines = commentary(build_business_case(roi.prefill(), locale="en", draws=1000))
    >>> lines.pop(0)[:44]
    "Illustration: the model's default values for"
    >>> lines[0]
    'Of 12,000 customers surveyed, 3,000 answer and 300 are very unhappy; keeping 40.0% of them keeps 120 customers, or €36,000 of acquisition cost avoided.'
    >>> lines[1]
    'Net benefit €36,000; ROI undefined (no programme cost entered).'
    """
    t, cur, loc, o = bc.t, bc.currency, bc.locale, bc.outputs
    money = lambda x: vz.fmt_money(x, cur, loc)  # noqa: E731
    lines = roi.explain(bc.case, o, cur, loc)
    sens = bc.sensitivity
    if len(sens):
        top = sens.iloc[0]
        lines.append(t("commentary.sensitivity", input=top['label'], share=vz.fmt_pct(bc.share, loc, 0),
                       low=money(min(top['low'], top['high'])), high=money(max(top['low'], top['high']))))
    lines.append(roi.explain_risk(bc.monte_carlo.summary(), cur, loc))
    if bc.multi_year is not None and len(bc.multi_year):
        last = bc.multi_year.iloc[-1]
        lines.append(t("commentary.multi_year", years=int(last['year']), cumulative=money(last['cumulative_net_benefit'])))
    return lines


def _rows(bc: BusinessCase) -> tuple[list, list, list[str], list]:
    """Formatted rows of the inputs, outputs and scenarios tables, and the scenario labels."""
    cur, loc, out = bc.currency, bc.locale, bc.outputs
    rows_in = [[r.label, vz.fmt_value(k, r.value, cur, loc), r.source_label, r.note]
               for k, r in bc.case.inputs_frame(loc).iterrows()]
    rows_out = [[roi.label(k, loc), vz.fmt_value(k, out[k], cur, loc)] for k in roi.OUTPUT_KEYS]
    names = [c for c in bc.scenarios.columns if c != "label"]
    rows_sc = [[roi.label(k, loc)] + [vz.fmt_value(k, bc.scenarios.loc[k, n], cur, loc) for n in names]
               for k in roi.INPUT_KEYS + roi.OUTPUT_KEYS]
    return rows_in, rows_out, [roi.label(n, loc) for n in names], rows_sc


def _html_table(header: list[str], rows: list[list[str]], num_cols: tuple[int, ...] = (), locale: str = "fr") -> str:
    """A short report table of formatted cells (:func:`cxtoolkit.report.tables.table_html`;
    ``header``: label keys of :mod:`cxtoolkit.report.labels` or labels)."""
    return table_html(None, header, locale, rows=rows, num_cols=num_cols, sortable=False)


def report_sections(bc: BusinessCase, period: str = "") -> list[tuple[str, object]]:
    """The static report as ``(kind, content)`` items — ``"md"`` (Markdown text),
    ``"html"`` (a table) or ``"fig"`` (a Plotly figure) — in reading order; what the
    notebook shows outside the Voila app (papermill, the audit's HTML).

    >>> from cxtoolkit import roi
    >>> kinds = [k for k, _ in report_sections(build_business_case(roi.prefill(), draws=1000))]
    >>> kinds.count("fig"), kinds[0]
    (4, 'md')
    """
    t, cur, loc, out = bc.t, bc.currency, bc.locale, bc.outputs
    mc = bc.monte_carlo.summary()
    figs = bc.figures()
    title = t("title")
    sub = " — ".join(x for x in (bc.client_name, period, format_date(bc.created, loc)) if x)
    head = lambda key: ("md", f"## {t(key)}")  # noqa: E731 - a section heading, in the case's locale
    headline = [[roi.label(k, loc), vz.fmt_value(k, out[k], cur, loc)]
                for k in ("customers_retained", "net_benefit", "roi", "break_even_retention_rate")]
    headline += [[t("net_benefit_q", q=q.upper()), vz.fmt_money(mc[q], cur, loc)]
                 for q in ("p10", "p50", "p90")]
    if mc.get("prob_roi_positive") is not None:
        headline.append([t("prob_roi_positive"), vz.fmt_pct(mc["prob_roi_positive"], loc, 0)])
    rows_in, rows_out, names, rows_sc = _rows(bc)
    items: list[tuple[str, object]] = [("md", f"# {title}\n\n{sub}")]
    items += [head("headline_figures"),
              ("html", _html_table(["kpi", "value"], headline, (1,), loc)),
              ("md", "\n".join(f"- {s}" for s in commentary(bc))),
              head("inputs_and_sources"),
              ("html", _html_table(["input", "value", "data_source", "note"], rows_in, (1,), loc)),
              ("html", _html_table(["output", "value"], rows_out, (1,), loc)),
              head("from_avoided_cost_to_net_benefit"), ("fig", figs["waterfall"]),
              head("sensitivity"), ("fig", figs["tornado"]),
              head("risk_range"), ("fig", figs["distribution"]),
              head("scenarios"),
              ("html", _html_table(["kpi"] + names, rows_sc, tuple(range(1, len(names) + 1)), loc)),
              ("fig", figs["scenarios"])]
    if "multi_year" in figs:
        churn = vz.fmt_pct(bc.case.setting("churn_rate"), loc, 0)
        items += [head("multi_year_view"), ("fig", figs["multi_year"]),
                  ("md", t("multi_year_note", churn=churn))]
    return items


def display_report(bc: BusinessCase, period: str = "") -> None:
    """Display :func:`report_sections` in a notebook: Markdown, HTML tables and regular
    Plotly figures (rendered by nbconvert's HTML export, unlike widgets)."""
    from IPython.display import HTML, Markdown, display
    for kind, content in report_sections(bc, period):
        if kind == "md":
            display(Markdown(content))
        elif kind == "html":
            display(HTML(content))
        else:
            display(content)
