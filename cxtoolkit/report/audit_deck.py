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
:func:`cxtoolkit.rules.format_value` (KPI units) and :mod:`cxtoolkit.viz.roi` (money); chart
axes and data labels carry Excel number formats by unit (:func:`cxtoolkit.rules.excel_format`), which
PowerPoint shows with the reader's decimal and thousands separators.

Layout: every slide has a title band and a content band (:data:`TITLE_BAND`,
:data:`CONTENT_TOP`); boxes are fractions of the slide, so a 4:3 master gets the same
composition; each text box and table picks the largest font size at which its text fits
(:func:`fit_size`, an estimate with wide glyphs), so nothing overflows whatever the
length of a finding, a label or a translation.

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
from cxtoolkit.kpis.groups import MISSING
from cxtoolkit.messages import CLIENT_LOCALES, client_locale, is_fr, section, text
from cxtoolkit.kpis.registry import KPIS, label as kpi_label
from cxtoolkit.report.tables import (DATA_COLUMNS, column_label, column_unit, data_counts, format_cell, format_date, format_delta,
                                     period_label, skip_reason, value_label)
from cxtoolkit.viz import roi as vz
from cxtoolkit.rules import WEEKDAY_LABELS, calendar_text, excel_format, format_value
from cxtoolkit.viz.kpis import RAG_COLOURS

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
TREND_KEYS = ("answer_rate", "service_level")   # the trend of a client without any target
VOLUME_KEY = "contacts"   # ... and of one whose rates are not measured (a ticket export), as the KPI page
HEAT_KEY = "answer_rate"
MAX_TRENDS = 6    # small multiples of the trend slide
MAX_WEEKS = 26    # beyond half a year of weeks, the trend slide is by month (a week's point unreadable)
#: Findings of what changed in the executive summary (the worst significant change first).
SUMMARY_CHANGES = 1


def trend_cut(r: DeckResults) -> str:
    """The periods of the trend slide: ``week``, or ``month`` past :data:`MAX_WEEKS` weeks."""
    week, month = r.views.get("week"), r.views.get("month")
    long = week is not None and len(week) > MAX_WEEKS and month is not None and len(month) >= 2
    return "month" if long else "week"


def trend_keys(r: DeckResults) -> list[str]:
    """KPIs of the trend slide: those with a target (the status table's order) measured in
    at least one period (:func:`trend_cut`), at most :data:`MAX_TRENDS`; :data:`TREND_KEYS`
    when none has a target; the volume (:data:`VOLUME_KEY`) when none of them is measured."""
    week = r.views.get(trend_cut(r))
    if week is None or len(week) < 2:
        return []
    measured = [k for k in week.columns if week[k].notna().any()]
    with_target = []
    if r.status is not None:
        st = r.status[r.status["target"].notna() & r.status["value"].notna()]
        with_target = [k for k in st["key"] if k in measured]
    return (with_target or [k for k in TREND_KEYS if k in measured]
            or [k for k in (VOLUME_KEY,) if k in measured])[:MAX_TRENDS]


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
        "views": bool(trend_keys(r)),
        "heat": r.heat is not None and HEAT_KEY in r.heat.columns and r.heat[HEAT_KEY].notna().any(),
        "friction": r.friction is not None and len(r.friction) > 0,
        "verbatims": r.verbatims is not None and (r.verbatims.themes["mentions"] > 0).any(),
        "quality": r.quality is not None,
        "business_case": r.business_case is not None,
        "staffing": r.staffing is not None and "week" in r.staffing.index,
        "changes": r.previous_period is not None or r.changes is not None,
    }
    return [key for key, need in SECTIONS if need is None or present.get(need, False)]


# --------------------------------------------------------------------------- layout
#: Text metrics of the fit estimate: average glyph width and line height, in ems. 0.55 em
#: is DejaVu Sans (LibreOffice's fallback when the theme font is absent), wider than Calibri.
CHAR_EM, LINE_EM = 0.55, 1.2
BOLD_EM = 1.1     # bold glyphs are about 10 % wider
_EMU_PT = 12700
#: Default insets of a text frame and of a table cell (EMU): 0.1 in left/right, 0.05 in top/bottom.
INSET_X, INSET_Y = 91440, 45720
#: Slide bands, as fractions of the slide height: the title, then the content.
TITLE_BAND = (0.03, 0.12)
CONTENT_TOP, CONTENT_BOTTOM = 0.17, 0.96
_SPACE_AFTER = 6   # points after each paragraph of a text box


def wrapped_lines(text: str, width_pt: float, size_pt: float) -> int:
    """Lines ``text`` takes once word-wrapped in ``width_pt`` points at ``size_pt``
    (an estimate: every glyph :data:`CHAR_EM` wide).

    >>> wrapped_lines("one two three", 10 * 0.55 * 10, 10), wrapped_lines("a\\nb", 100, 10)
    (2, 2)
    """
    per_line = max(int(width_pt // (CHAR_EM * size_pt)), 1)
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0
        for word in para.split():
            n = len(word)
            if used and used + 1 + n <= per_line:
                used += 1 + n
                continue
            if used:
                lines += 1
            lines += (n - 1) // per_line      # a word longer than a line breaks
            used = (n - 1) % per_line + 1
        total += lines
    return total


def text_height_pt(paragraphs: list[str], width_emu: int, size_pt: float, space_after: float = 0) -> float:
    """Height (points) of ``paragraphs`` in a text frame ``width_emu`` wide, insets included."""
    inner = (width_emu - 2 * INSET_X) / _EMU_PT
    lines = sum(wrapped_lines(p, inner, size_pt) for p in paragraphs)
    return lines * LINE_EM * size_pt + space_after * len(paragraphs) + 2 * INSET_Y / _EMU_PT


def fit_size(paragraphs: list[str], width_emu: int, height_emu: int, size: float, smallest: float = 9,
             space_after: float = 0) -> float:
    """The largest font size from ``size`` down to ``smallest`` whose text fits the box."""
    while size > smallest and text_height_pt(paragraphs, width_emu, size, space_after) > height_emu / _EMU_PT:
        size -= 1
    return size


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
        # a master's own shapes low on the slide (a brand line, a logo) shorten the content band
        fixed = [sh for part in (self.prs.slide_master, self.body_layout) for sh in part.shapes
                 if not sh.is_placeholder and sh.top is not None and sh.top > self.H * 0.75]
        self.bottom = min([CONTENT_BOTTOM] + [sh.top / self.H - 0.01 for sh in fixed])

    def _title(self, shape, text: str, box: tuple, size: float, smallest: float = 16) -> None:
        """Put a title placeholder in ``box`` (the master's sizes are for its own slide size:
        python-pptx's default master is 4:3) and size its text to fit there."""
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Pt

        shape.left, shape.top, shape.width, shape.height = self.box(*box)
        tf = shape.text_frame
        tf.text = text
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        fitted = fit_size([text], shape.width, shape.height, size, smallest)
        for p in tf.paragraphs:
            for run in p.runs:
                run.font.size = Pt(fitted)

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.body_layout)
        box = (0.04, TITLE_BAND[0], 0.92, TITLE_BAND[1])
        if s.shapes.title is not None:
            self._title(s.shapes.title, title, box, 30)
        else:
            self.text(s, [title], *box, size=30)
        return s

    def title_slide(self, title: str, subtitle: str):
        s = self.prs.slides.add_slide(self.title_layout)
        if s.shapes.title is not None:
            self._title(s.shapes.title, title, (0.08, 0.28, 0.84, 0.2), 40)
        body = next((p for p in s.placeholders if p.placeholder_format.idx == 1), None)
        if body is not None:
            self._title(body, subtitle, (0.08, 0.52, 0.84, 0.12), 22)
        else:
            self.text(s, [subtitle], 0.08, 0.52, 0.84, 0.12, 22)
        for ph in list(s.placeholders):              # placeholders left empty show "Click to add text"
            if not ph.has_text_frame or not ph.text_frame.text:
                ph._element.getparent().remove(ph._element)
        return s

    def box(self, left: float, top: float, width: float, height: float):
        """Emu box from fractions of the slide; the content band (from :data:`CONTENT_TOP`
        down) is squeezed above a master's footer shapes."""
        from pptx.util import Emu
        if top >= CONTENT_TOP and self.bottom < CONTENT_BOTTOM:
            k = (self.bottom - CONTENT_TOP) / (CONTENT_BOTTOM - CONTENT_TOP)
            top, height = CONTENT_TOP + (top - CONTENT_TOP) * k, height * k
        return (Emu(int(self.W * left)), Emu(int(self.H * top)), Emu(int(self.W * width)), Emu(int(self.H * height)))

    def text(self, slide, lines: list[str], left=0.05, top=CONTENT_TOP, width=0.9, height=0.7, size=16,
             bullets: bool = False, smallest: float = 10):
        """A text box whose font size is the largest up to ``size`` at which ``lines`` fit it."""
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Pt
        tb = slide.shapes.add_textbox(*self.box(left, top, width, height))
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        shown = [f"• {line}" if bullets else line for line in lines]
        size = fit_size(shown, tb.width, tb.height, size, smallest, _SPACE_AFTER)
        for i, line in enumerate(shown):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = line
            p.space_after = Pt(_SPACE_AFTER)
            for run in p.runs:
                run.font.size = Pt(size)
        return tb

    def table(self, slide, rows: list[list[str]], left, top, width, height, size=12,
              fills: dict[tuple[int, int], str] | None = None, smallest: float = 8):
        """A table at most ``height`` tall: columns as wide as their text needs, rows as tall
        as their wrapped text, the font reduced (down to ``smallest``) until it fits."""
        from pptx.dml.color import RGBColor
        from pptx.util import Emu, Pt
        x, y, w, h = self.box(left, top, width, height)
        texts = [[str(v) for v in row] for row in rows]
        ncol = len(texts[0])
        def widths_at(pt):
            """Short columns (no cell over 14 characters) as wide as their longest cell; the
            other columns share the rest by their text length (up to 30 characters)."""
            char = CHAR_EM * BOLD_EM * pt * _EMU_PT
            short = [max(len(row[j]) for row in texts) <= 14 for j in range(ncol)]
            fixed = [int((max(len(row[j]) for row in texts) + 1) * char + 2 * INSET_X) if short[j] else 0
                     for j in range(ncol)]
            weights = [0 if short[j] else min(max(len(row[j]) for row in texts), 30) for j in range(ncol)]
            rest = w - sum(fixed)
            if rest <= 0 or not any(weights):
                total = sum(max(len(row[j]) for row in texts) for j in range(ncol))
                return [int(w * max(len(row[j]) for row in texts) / total) for j in range(ncol)]
            return [fixed[j] or int(rest * weights[j] / sum(weights)) for j in range(ncol)]

        def word_breaks(pt):          # a word wider than its column would be cut
            return any(len(word) * CHAR_EM * BOLD_EM * pt * _EMU_PT > widths[j] - 2 * INSET_X
                       for row in texts for j, c in enumerate(row) for word in c.split())

        widths = widths_at(size)

        def heights(pt):
            # the header is bold: about 10 % wider glyphs
            return [max(text_height_pt([c], widths[j], pt * (BOLD_EM if i == 0 else 1)) for j, c in enumerate(row))
                    * _EMU_PT for i, row in enumerate(texts)]

        def short_cell_wraps(pt):     # a value and its unit, a short label: on one line
            return any(len(c) <= 14 and wrapped_lines(c, (widths[j] - 2 * INSET_X) / _EMU_PT,
                                                      pt * (BOLD_EM if i == 0 else 1)) > 1
                       for i, row in enumerate(texts) for j, c in enumerate(row))

        while size > smallest and (sum(heights(size)) > h or short_cell_wraps(size) or word_breaks(size)):
            size -= 1
            widths = widths_at(size)
        hs = heights(size)
        shape = slide.shapes.add_table(len(rows), ncol, x, y, w, Emu(int(sum(hs))))
        tbl = shape.table
        for j, cw in enumerate(widths):
            tbl.columns[j].width = Emu(cw)
        for i, rh in enumerate(hs):
            tbl.rows[i].height = Emu(int(rh))
        for i, row in enumerate(texts):
            for j, val in enumerate(row):
                cell = tbl.cell(i, j)
                cell.text = val
                if fills and (i, j) in fills:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fills[(i, j)].lstrip("#"))
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(size)
                        run.font.bold = i == 0
        shape.height = Emu(int(sum(hs)))
        return tbl

    def chart(self, slide, kind: str, categories: list[str], series: dict[str, list], box: tuple,
              number_format: str | None = None, legend: bool | None = None, title: str | None = None,
              labels: str | None = None, ratio_axis: bool = False, size: float = 12):
        """A native chart: ``kind`` is ``column``, ``bar`` (horizontal), ``line``,
        ``stacked_column`` or ``stacked_bar``; ``series`` maps a legend name to its values.
        ``labels`` (a number format) shows each value on its bar; ``ratio_axis`` runs the
        value axis from 0 to 100 % when every value is a share. A chart says what it shows:
        one series without a legend nor a ``title`` is titled by its name."""
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
        from pptx.util import Pt

        data = CategoryChartData(number_format=number_format) if number_format else CategoryChartData()
        data.categories = [str(c) for c in categories]
        for name, values in series.items():
            data.add_series(str(name), [_finite(v) for v in values])
        types = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
                 "line": XL_CHART_TYPE.LINE_MARKERS, "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
                 "stacked_bar": XL_CHART_TYPE.BAR_STACKED}
        chart = slide.shapes.add_chart(types[kind], *self.box(*box), data).chart
        chart.font.size = Pt(size)
        chart.has_legend = len(series) > 1 if legend is None else legend
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(size)
        if not title and not chart.has_legend and len(series) == 1:
            title = str(next(iter(series)))
        if title:
            chart.has_title = True
            chart.chart_title.text_frame.text = title
            for p in chart.chart_title.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size + 1)
                    run.font.bold = True
        else:
            chart.has_title = False
        if number_format:
            chart.value_axis.tick_labels.number_format = number_format
            chart.value_axis.tick_labels.number_format_is_linked = False
        values = [v for vs in series.values() for v in map(_finite, vs) if v is not None]
        if ratio_axis and values and min(values) >= 0 and max(values) <= 1:
            chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = 0, 1
        if labels:
            plot = chart.plots[0]
            plot.has_data_labels = True
            dl = plot.data_labels
            dl.number_format, dl.number_format_is_linked = labels, False
            dl.font.size = Pt(size - 2)
            if kind in ("bar", "column"):
                dl.position = XL_LABEL_POSITION.OUTSIDE_END
        return chart


# --------------------------------------------------------------------------- sections
def _summary_findings(r: DeckResults, loc: str) -> list[str]:
    """3–5 findings with their figures, from the domain's commentary: the KPIs against
    targets, what changed since the last audit (when there is one), friction, verbatims,
    quality, the business case, the surveys."""
    from cxtoolkit import journey as J
    from cxtoolkit import verbatims as VB
    from cxtoolkit.kpis import commentary as C
    from cxtoolkit.report import business_case as BC

    found: list[str] = []
    if r.status is not None and r.status["rag"].notna().any():
        found.append(C.comment_status(r.status, loc))
    # what changed since the last audit: its worst significant change (or "none"), second
    found.append(C.comment_changes(r.changes, r.previous_period, loc, limit=SUMMARY_CHANGES))
    if r.friction is not None and len(r.friction):
        found += J.comment_friction(r.friction, loc, top=1, drivers=r.drivers)[:1]
    if r.verbatims is not None:
        found += VB.comment_verbatims(r.verbatims, loc)[:1]
    if r.quality is not None:
        found += list(r.quality["commentary"])[:1]
    if r.business_case is not None and not r.business_case.case.illustrative:   # not on the model's defaults
        found += BC.commentary(r.business_case)[1:2]
    overall = r.views.get("overall")
    if len(found) < 3 and overall is not None and len(overall) and "nps" in overall.columns:
        found.append(C.comment_surveys(overall.iloc[0], loc))
    channels = r.views.get("channel")
    if not [f for f in found if f] and channels is not None and len(channels):   # never an empty slide
        found.append(C.comment_channels(channels, loc))
    return [pii.mask_text(f) for f in found if f][:5]


def _kpis(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.kpis import commentary as C

    st = r.status[r.status["rag"].notna()]
    s = d.slide(T["kpis"])
    rows = [[T["indicator"], T["value"], T["target"], T["status"]]]
    fills = {}
    for i, row in enumerate(st.itertuples(), start=1):
        band = C.close_band(row.key, row.target, loc)   # "proche jusqu'à 23,5 %": how it is judged
        rows.append([row.label, format_value(row.value, row.unit, loc), format_value(row.target, row.unit, loc),
                     f"{T[row.rag]} ({band})" if band and row.rag == "amber" else T[row.rag]])
        fills[(i, 3)] = RAG_COLOURS[row.rag]
    d.table(s, rows, 0.04, CONTENT_TOP, 0.48, 0.79, 16, fills)
    rates = st[st["unit"] == "ratio"].iloc[::-1]     # bars are drawn bottom-up: the table's order
    if len(rates):
        d.chart(s, "bar", rates["label"].tolist(), {T["value"]: rates["value"].tolist(),
                                                     T["target"]: rates["target"].tolist()},
                (0.54, CONTENT_TOP, 0.43, 0.79), excel_format("ratio", loc, 0), labels=excel_format("ratio", loc, 1),
                ratio_axis=True)


def _trends(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    """Small multiples: each headline KPI by week (by month over a long period) against its target."""
    from cxtoolkit.kpis import commentary as C
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.chart import XL_MARKER_STYLE

    cut = trend_cut(r)
    week = r.views[cut]
    keys = trend_keys(r)
    s = d.slide(T["trends"] if cut == "week" else T["trends_month"])
    ncol = min(len(keys), 3)
    nrow = math.ceil(len(keys) / ncol)
    # sem. 40 2026; a month short (oct. 2026): up to three small charts a row
    # a week the period covers in part says its days: sem. 40 2026, 1–4 oct.
    span = dict(start=r.period_start or None, end=r.period_end or None)
    cats = [calendar_text(str(i), loc, short=True, **span) for i in week.index]
    gap, top, height = 0.02, CONTENT_TOP, 0.68
    w, h = (0.92 - gap * (ncol - 1)) / ncol, (height - gap * (nrow - 1)) / nrow
    for n, key in enumerate(keys):
        unit = KPIS[key].unit
        target = _targets(r).get(key)
        series = {T["value"]: week[key].tolist()}
        if target is not None:
            series[T["target"]] = [target] * len(week)
        box = (0.04 + (n % ncol) * (w + gap), top + (n // ncol) * (h + gap), w, h)
        ch = d.chart(s, "line", cats, series, box, excel_format(unit, loc, 0), title=kpi_label(key, loc),
                     ratio_axis=unit == "ratio", size=10 if len(keys) > 3 else 12)
        if target is not None:
            tgt = ch.plots[0].series[1]
            tgt.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            tgt.marker.style = XL_MARKER_STYLE.NONE
    d.text(s, [C.comment_trend(week, keys[0], loc, **span)], 0.05, top + height + 0.01, 0.9, 0.96 - top - height - 0.01, 14)


def _targets(r: DeckResults) -> dict:
    """The client's targets as the status table shows them (key -> target)."""
    if r.status is None:
        return {}
    st = r.status[r.status["target"].notna()]
    return dict(zip(st["key"], st["target"]))


def _heat(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.kpis import commentary as C

    grid = r.heat[HEAT_KEY].astype("float64").unstack("hour")
    grid = grid.reindex([w for w in WEEKDAY_LABELS["en"] if w in grid.index])
    grid = grid.dropna(how="all").dropna(axis=1, how="all")   # closed days and hours are not zeros
    s = d.slide(T["heat"])
    d.chart(s, "line", [f"{int(h):02d}h" for h in grid.columns],
            {WEEKDAY_LABELS[loc][w]: grid.loc[w].tolist() for w in grid.index},
            (0.04, CONTENT_TOP, 0.92, 0.64), excel_format("ratio", loc, 0), ratio_axis=True)
    d.text(s, [C.comment_heatmap(r.heat, loc, key=HEAT_KEY, targets=_targets(r))], 0.05, 0.82, 0.9, 0.14, 14)


def _friction(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit import journey as J

    fm = r.friction
    lab = f"stage_label_{loc}"
    s = d.slide(T["friction"])
    d.chart(s, "bar", fm[lab].tolist()[::-1], {T["unhappy_share"]: fm["unhappy_share"].tolist()[::-1]},
            (0.04, CONTENT_TOP, 0.46, 0.79), excel_format("ratio", loc, 0), labels=excel_format("ratio", loc, 0),
            size=11)
    dr = r.drivers
    has_drivers = dr is not None and dr["impact"].notna().any()
    lines = [pii.mask_text(x) for x in J.comment_friction(fm, loc, drivers=r.drivers)]
    if not has_drivers:
        lines.append(T["no_drivers"])
    d.text(s, lines, 0.53, CONTENT_TOP, 0.43, 0.79, 16, bullets=True)
    if has_drivers:
        dr = dr[dr["impact"].notna()].sort_values("impact", ascending=False, kind="stable")   # strongest on top
        s = d.slide(T["drivers"])
        # the measure with its unit (points per CSAT point), as the journey page's matrix says it
        d.chart(s, "bar", dr[lab].tolist()[::-1], {text("viz.journey.impact", loc): dr["impact"].tolist()[::-1]},
                (0.04, CONTENT_TOP, 0.58, 0.79), '0.00', labels='0.00', size=11)
        rows = [[T["stage"], T["quadrant"]]] + [[str(row[lab]), str(row[f"quadrant_{loc}"])]
                                                   for _, row in dr.iterrows()]
        d.table(s, rows, 0.65, CONTENT_TOP, 0.31, 0.79, 13)


def _verbatims(d: _Deck, r: DeckResults, T: dict, loc: str, scrub: Callable[[str], str]) -> None:
    from cxtoolkit import verbatims as VB

    th = r.verbatims.themes
    th = th[th["mentions"] > 0]
    irritants = th[th["label"] == "irritant"].sort_values("lift", ascending=False).head(5)
    delighters = th[th["label"] == "delighter"].sort_values("lift").head(3)
    shown = pd.concat([irritants, delighters]).iloc[::-1]       # bars are drawn bottom-up
    lab = f"label_{loc}"
    s = d.slide(T["verbatims"])
    if len(shown):
        ch = d.chart(s, "bar", shown[lab].tolist(), {T["share_unhappy"]: shown["share_unhappy"].tolist(),
                                                T["share_happy"]: shown["share_happy"].tolist()},
                (0.04, CONTENT_TOP, 0.5, 0.79), excel_format("ratio", loc, 0), labels=excel_format("ratio", loc, 0),
                size=11)
        _fill(ch.plots[0].series[0].format, _COST)
        _fill(ch.plots[0].series[1].format, _GAIN)
    d.text(s, [pii.mask_text(x) for x in VB.comment_verbatims(r.verbatims, loc)], 0.56, CONTENT_TOP, 0.4, 0.79,
           14, bullets=True)
    quotes = []
    for kind, top in (("irritant", irritants.head(3)), ("delighter", delighters.head(2))):
        for row in top.itertuples():
            for q in list(row.examples)[:1]:
                q = scrub(pii.mask_text(str(q)))
                q = q if len(q) <= QUOTE_CHARS else q[:QUOTE_CHARS - 1].rstrip() + "…"
                quotes.append(text("report.audit_deck_lines.quote", loc, theme=getattr(row, lab), text=q))
    if quotes:
        s = d.slide(T["quotes"])
        d.text(s, quotes, 0.05, CONTENT_TOP, 0.9, 0.79, 20, bullets=True)


#: Longest customer quote the deck shows (characters), cut with an ellipsis beyond.
QUOTE_CHARS = 220


def _quality(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    q = r.quality
    s = d.slide(T["quality"])
    tr = q["trend"]
    if len(tr):
        span = dict(start=r.period_start or None, end=r.period_end or None)   # sem. 40 2026, 1–4 oct.
        d.chart(s, "line", [calendar_text(w, loc, **span) for w in tr["week"].astype(str)], {T["score"]: tr["score"].tolist()},
                (0.04, CONTENT_TOP, 0.5, 0.44), '0', size=11)
    cal = q["calibration"]
    a = cal.overall or {}
    ci = a.get("ci95") or [None, None]
    num = lambda x: format_value(x, "score", loc)  # noqa: E731
    drifting = cal.evaluators.loc[cal.evaluators["drifting"].astype(bool), "evaluator_id"].astype(str).tolist() \
        if len(cal.evaluators) else []
    rows = [[T["measure"], T["value"]], [T["alpha"], num(a.get("alpha"))],
            [T["ci"], f"{num(ci[0])} – {num(ci[1])}"], [T["calls"], format_value(a.get("n_units"), "count", loc)],
            [T["drifting"], ", ".join(drifting) or T["none"]]]
    d.table(s, rows, 0.04, 0.63, 0.5, 0.33, 13)
    d.text(s, [pii.mask_text(x) for x in q["commentary"]], 0.57, CONTENT_TOP, 0.39, 0.79, 15, bullets=True)


#: Bar colours of the business case: a gain, a cost, the net result.
_GAIN, _COST, _NET = "2E7D32", "C62828", "1F4E79"


def _fill(fmt, rgb: str) -> None:
    from pptx.dml.color import RGBColor
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = RGBColor.from_string(rgb)


def _invisible_base(ch) -> None:
    ch.plots[0].overlap = 100
    ch.plots[0].gap_width = 60
    ch.plots[0].series[0].format.fill.background()
    ch.plots[0].series[0].format.line.fill.background()


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
                 {T["base"]: base, name: up, f"{name} (−)": down}, (0.04, CONTENT_TOP, 0.6, 0.79), money,
                 legend=False, size=11)
    _invisible_base(ch)
    for i, colour in enumerate((_GAIN, _GAIN, _COST, _NET)):
        _fill(ch.plots[0].series[1].points[i].format, colour)
        _fill(ch.plots[0].series[2].points[i].format, _COST if i < 3 else _NET)
    d.text(s, BC.commentary(bc)[:3], 0.66, CONTENT_TOP, 0.3, 0.79, 15, bullets=True)
    # tornado: a floating bar per input, from the net benefit at its low value to that at its high value
    sens = bc.sensitivity.iloc[::-1]                       # the largest swing on top
    base, up, down = waterfall_series(list(zip(sens["low"], sens["high"])))
    s = d.slide(T["roi_tornado"])
    ch = d.chart(s, "stacked_bar", sens["label"].tolist(), {T["base"]: base, name: up, f"{name} (−)": down},
                 (0.04, CONTENT_TOP, 0.92, 0.67), money, legend=False, size=11)
    _invisible_base(ch)
    low = min(min(sens["low"]), min(sens["high"]))
    if low > 0:      # every bar far from zero: the axis starts near the bars, not at 0
        step = 10 ** math.floor(math.log10(low))
        ch.value_axis.minimum_scale = math.floor(low / step) * step
    _fill(ch.plots[0].series[1].format, _NET)
    _fill(ch.plots[0].series[2].format, _COST)
    share = vz.fmt_pct(bc.share, loc, 0)
    d.text(s, [T["tornado_note"].format(share=share, base=vz.fmt_money(out["net_benefit"], cur, loc))],
           0.05, 0.85, 0.9, 0.11, 14)
    # risk range and scenarios
    mc = bc.monte_carlo.summary()
    s = d.slide(T["roi_risk"])
    ch = d.chart(s, "column", ["P10", "P50", "P90"], {roi.label("net_benefit", loc): [mc["p10"], mc["p50"], mc["p90"]]},
                 (0.04, CONTENT_TOP, 0.44, 0.42), money, size=11)
    _fill(ch.plots[0].series[0].format, _NET)
    said = lambda key, **v: text(f"report.business_case.{key}", loc, **v)  # noqa: E731 - the ROI report's words
    rows = [[T["measure"], T["value"]]] + [[said("net_benefit_q", q=q.upper()), vz.fmt_money(mc[q], cur, loc)]
                                           for q in ("p10", "p50", "p90")]
    rows += [[said("prob_roi_positive"), vz.fmt_pct(mc["prob_roi_positive"], loc, 0)], [T["draws"], vz.fmt_count(mc["draws"], loc)]]
    d.table(s, rows, 0.04, 0.61, 0.44, 0.35, 12)
    names = [c for c in bc.scenarios.columns if c != "label"]
    ch = d.chart(s, "column", [roi.label(n, loc) for n in names],
                 {roi.label("net_benefit", loc): [bc.scenarios.loc["net_benefit", n] for n in names]},
                 (0.52, CONTENT_TOP, 0.44, 0.42), money, size=11)
    _fill(ch.plots[0].series[0].format, _NET)
    rows = [[""] + [roi.label(n, loc) for n in names]]
    rows += [[roi.label(k, loc)] + [vz.fmt_value(k, bc.scenarios.loc[k, n], cur, loc) for n in names]
             for k in ("retention_rate", "customers_retained", "net_benefit", "roi")]
    d.table(s, rows, 0.52, 0.61, 0.44, 0.35, 12)


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
            (0.04, CONTENT_TOP, 0.6, 0.79), excel_format("hours", loc, 0))
    wk = st.loc["week"]
    rows = [[T["measure"], T["week"]], [T["needed"], format_value(wk["agent_hours"], "hours", loc)],
            [T["seen"], format_value(wk["agent_hours_seen"], "hours", loc)],
            [T["extra_cost"], vz.fmt_money(_finite(wk.get("extra_cost")), r.currency, loc)]]
    d.table(s, rows, 0.67, CONTENT_TOP, 0.29, 0.4, 16)
    if r.staffing_notes:     # figures not measured (an assumed answered flag): said as on the page and the CLI
        d.text(s, list(r.staffing_notes), 0.67, CONTENT_TOP + 0.42, 0.29, 0.35, 12)


def _changes(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    s = d.slide(T["changes"])
    ch = r.changes
    if r.previous_period is None or ch is None:
        d.text(s, [T["first_audit"]], 0.05, CONTENT_TOP, 0.9, 0.3, 20)
        return
    ch = ch[ch["kpi"].isin(list(KPIS))]
    if ch.empty:
        d.text(s, [T["no_change"]], 0.05, CONTENT_TOP, 0.9, 0.3, 20)
        return
    ch = ch.assign(_sig=ch["significant"].fillna(False).astype(bool), _seg=ch["segment_by"] != "overall")
    ch = ch.sort_values(["_sig", "_seg"], ascending=[False, True], kind="stable")
    ch = ch.head(12)
    rows = [[T["indicator"], T["segment"], f"{T['previous']} ({period_label(r.previous_period, loc)})", T["current"], T["change"],
             T["significant"]]]
    for row in ch.itertuples():
        unit = KPIS[row.kpi].unit
        seg = T.get(row.segment_by, row.segment_by)
        name = T["not_given"] if str(row.segment) == MISSING else \
            value_label(row.segment_by, row.segment, loc) or row.segment
        seg = seg if row.segment_by == "overall" else f"{seg} {name}"
        rows.append([kpi_label(row.kpi, loc), seg, format_value(row.previous, unit, loc),
                     format_value(row.current, unit, loc), format_delta(row.kpi, row.delta, loc),
                     _yes_no(row.significant, T)])
    d.table(s, rows, 0.04, CONTENT_TOP, 0.92, 0.79, 16)


def _yes_no(flag, T: dict) -> str:
    if flag is None or (isinstance(flag, float) and math.isnan(flag)) or flag is pd.NA:
        return "–"
    return T["yes"] if bool(flag) else T["no"]


def _not_shown(r: DeckResults, loc: str) -> list[str]:
    """Why a KPI slide is absent though the KPIs were computed (no target measurable, one week,
    the answer rate not measured): said in the appendix as the other sections left out."""
    if not r.views or r.views.get("overall") is None:
        return []                     # no KPI at all: r.missing says why
    shown = set(sections(r))
    why = {"kpis": lambda: text("kpis.commentary.no_target", loc),
           "trends": lambda: text("kpis.commentary.no_trend", loc, name=_SECTION_TEXT[loc]["views"])}
    if r.heat is not None:            # weekday × hour computed (contacts), its rate not measured
        why["heat"] = lambda: text("kpis.commentary.trend_not_measured", loc, name=kpi_label(HEAT_KEY, loc))
    return [say() for key, say in why.items() if key not in shown and dict(SECTIONS)[key] not in r.missing]


def _appendix(d: _Deck, r: DeckResults, T: dict, loc: str) -> None:
    from cxtoolkit.kpis import commentary as C

    s = d.slide(T["appendix"])
    targets = dict(zip(r.status["key"], r.status["target"])) if r.status is not None else None
    method = T["method"].format(complements=C.band_legend(targets, loc))   # the abandonment's band in numbers
    d.text(s, [method], 0.04, CONTENT_TOP, 0.92, 0.17, 15)   # down to the tables at 0.35
    data = data_counts(r.rows_read, loc)   # rows read = accepted + rejected, as the index page and the workbook
    rows = [[column_label(k, loc) for k in data.columns]]
    rows += [[format_cell(v, column_unit(k), loc) for k, v in zip(data.columns, row)] for row in data.itertuples(index=False)]
    if len(rows) > 1:
        d.table(s, rows, 0.04, 0.35, 0.6, 0.61, 14 if len(data.columns) == len(DATA_COLUMNS) else 11)
    names = _SECTION_TEXT[loc]
    left = [text("common.labelled", loc, label=names.get(k, k.replace('_', ' ')), value=skip_reason(why, loc))
            for k, why in r.missing.items() if k in names]
    left += _not_shown(r, loc)
    lines = [text("common.labelled", loc, label=T['rejects_total'], value=format_value(r.rejects, 'count', loc))]
    if left:
        lines += [T["left_out"]] + left
    d.text(s, lines, 0.67, 0.35, 0.29, 0.61, 13)


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
    sub = " — ".join(x for x in (r.client_name, period_label(r.period, r.locale), format_date(created or dt.date.today(), r.locale)) if x)
    d.title_slide(T["title"], sub)
    d.text(d.slide(T["summary"]), _summary_findings(r, loc), 0.05, CONTENT_TOP, 0.9, 0.79, 22, bullets=True)
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
        raise InputError("error.report.deck_pptx", path=p)
    p.write_bytes(to_pptx(r, template, scrub))
    return p
