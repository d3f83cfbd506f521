"""The executive ROI simulator (Voila app ``notebooks/roi.ipynb``).

:func:`build_roi_app` returns one ipywidgets container: a field or slider per input (the
client's values prefilled, each with its source), live headline figures (customers kept,
net benefit, ROI, break-even), the waterfall, the tornado, the Monte Carlo distribution,
scenario save / compare, an optional multi-year view and PowerPoint / HTML export.

Widget values are untrusted: every change goes through :func:`cxtoolkit.roi.make_inputs`;
an impossible value shows a one-line message and leaves the figures as they were.

Page load (Voila): the page shows the headline figures and the inputs first; the charts come
after. Drawing a Plotly chart in the browser costs plotly.js's start-up (~0.9 s, the first
time) plus ~0.3 s per chart (the renderer draws, redraws and takes a PNG of each), and the
page stays blank until the browser's first paint — five charts at load meant ~2.5 s more
before anything showed. So, with ``lazy=True`` (what :func:`show_roi` uses under Voila):

- the charts' Output areas start empty (the figures are built, not sent, while the kernel is
  preheated); a ``jsdlink`` between two hidden widgets echoes back when the browser has the
  widget models, and a second time once it has built the page (see ``_on_page_echo``);
  only then, :data:`CHART_DELAY_S` later, the waterfall is sent (each chart is its own
  message, so the browser paints in between);
- the tornado, the Monte Carlo distribution, the scenarios and the multi-year view live in an
  accordion, closed at first: a section's charts are computed and drawn when it is opened
  (and kept up to date while it is open).

Charts are plain ``plotly.graph_objects.Figure`` objects (updated in place from the chart
specs) shown in ``ipywidgets.Output`` areas as a Plotly mime bundle, drawn by the apps'
Plotly renderer Voila loads (:data:`cxtoolkit.apps.serve.PLOTLY_EXTENSION`). Not
``go.FigureWidget``: since plotly 6
each FigureWidget is an anywidget whose state carries the whole plotly.js bundle (~5 MB) —
five charts meant ~25 MB of widget state per page (30 s page loads, "[anywidget] Failed to
initialize model" when the browser gave up, a 25 MB audit HTML) and importing it pulled
``nbformat`` → ``jsonschema`` → ``rfc3987_syntax`` (5 s of grammar compilation) into the
kernel. The mime bundle is built here so ``plotly.io``'s renderers are never imported.

:func:`show_roi` is what the notebook calls: the simulator under Voila, a static report
(:func:`cxtoolkit.report.business_case.display_report`) under papermill / nbconvert, where
widgets do not render.

Examples
--------
>>> app = build_roi_app(locale="en")
>>> sorted(app.simulator.figs)  # eager (tests): every chart (multi-year: none without a margin)
['distribution', 'scenarios', 'tornado', 'waterfall']
>>> lazy = build_roi_app(locale="en", lazy=True).simulator
>>> def sent(): return [n for n, b in lazy.fig_boxes.items() if b.children[0].outputs]
>>> sent(), lazy.page_ready()  # the browser has loaded the page
([], None)
>>> sent(), lazy.open_section("distribution")
(['waterfall'], None)
>>> sent()
['waterfall', 'distribution']
>>> app.simulator.set_input("retention_rate", 0.5)
>>> round(app.simulator.outputs["customers_retained"])
150
>>> app.simulator.set_input("acquisition_cost", -1)
>>> "must be zero or more" in app.simulator.message.value
True
"""
from __future__ import annotations

import asyncio
import base64
import datetime as dt
import html
import logging
import math
import re
import time
from pathlib import Path
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from cxtoolkit import roi
from cxtoolkit.apps.data import client_from_env, client_roi_case
from cxtoolkit.apps.display import PLOTLY_CONFIG, PLOTLY_MIME, plotly_bundle  # noqa: F401 - re-exported
from cxtoolkit.apps.display import send_now
from cxtoolkit.apps.typed import typed_field
from cxtoolkit.config import load_client
from cxtoolkit.errors import InputError
from cxtoolkit.messages import text
from cxtoolkit.rules import format_value, parse_value
from cxtoolkit.viz import roi as vz

log = logging.getLogger(__name__)

MAX_SCENARIOS = 8
CHARTS = ("waterfall", "tornado", "distribution", "scenarios", "multi_year")
#: Accordion sections (closed at first), in order; each holds the chart of the same name.
SECTIONS = ("tornado", "distribution", "scenarios", "multi_year")
#: Seconds between "the browser has built the page" (second echo) and sending the first chart,
#: so the headline and inputs are painted before plotly.js starts (a long task in the browser:
#: the page cannot paint while it runs; 0.3 s covers the view building on a calm machine).
CHART_DELAY_S = 0.3


class RoiSimulator:
    """State and widgets of the simulator (``.widget`` is what the notebook displays)."""

    def __init__(self, case: roi.RoiCase, currency: str = "EUR", locale: str = "fr",
                 client_name: str = "", client: str = "", out_dir: str | Path = "",
                 message: str = "", draws: int | None = None, seed: int | None = None, lazy: bool = False,
                 warm: bool = True):
        self.base_case = case
        self.lazy = bool(lazy)
        self.live = not self.lazy  # lazy: no chart before the browser has the page
        self.section: str | None = None  # the open accordion section (lazy mode)
        self.case = case
        self.currency = currency
        self.locale = locale
        self.client_name = client_name
        self.client = client
        self.out_dir = Path(out_dir) if out_dir else None
        self.draws, self.seed = roi.monte_carlo_settings(case, draws, seed)  # None: client.yml
        self.saved: dict[str, roi.RoiInputs] = {}
        self.outputs = roi.compute(case.inputs)
        self.last_update_ms = float("nan")
        self.images = True  # chart images in the deck (False: native PowerPoint charts)
        self._build(message)
        self.refresh()
        if self.lazy and warm:  # warm-up: figures built (not sent), the JSON encoder used once
            self.draw_charts([n for n in CHARTS if n != "multi_year" or case.inputs.annual_margin > 0],
                             send=False)
            plotly_bundle(self.figs["waterfall"])

    # ------------------------------------------------------------------ helpers
    def t(self, key: str) -> str:
        return text(f"apps.roi.{key}", self.locale)

    def _input_widget(self, key: str, value: float) -> W.Widget:
        """The field of input ``key``: a text field showing the value as the page writes
        numbers (``12 345 €``, ``47,7 %`` in French), read back by
        :func:`cxtoolkit.rules.parse_value` (a browser's number field would read a French
        ``12,5`` as 125), a rate typed in percent between 0 and 100 %
        (:func:`cxtoolkit.apps.typed.typed_field`). The value is held by a rate's slider (no
        readout: it would write ``47.7%`` and read a typed ``85`` as 100 %), else by a number
        widget not displayed; the widget returned is the one showing the label."""
        desc = roi.label(key, self.locale)
        rate = key in roi.RATE_INPUTS
        if rate:
            holder = W.FloatSlider(value=value, min=0.0, max=1.0, step=0.005, readout=False,
                                   description=desc, style={"description_width": "260px"},
                                   layout=W.Layout(width="340px"), continuous_update=False)
        else:
            holder = W.FloatText(value=value, description=desc)
        unit = "ratio" if rate else "money" if key in roi.MONEY_KEYS else "count"
        bounds = {"lo": 0.0, "hi": 1.0} if rate else {}
        entry = typed_field(
            holder, self.locale, self._error,
            lambda v: format_value(v, unit, self.locale, currency=self.currency),
            lambda typed: parse_value(typed, unit, self.locale, currency=self.currency, **bounds),
            width="90px" if rate else "430px", description="" if rate else desc,
            on_read=lambda _: setattr(self.message, "value", ""))   # read: an earlier refusal's line goes
        entry.add_class("cx-entry")
        entry.add_class(f"cx-entry-{key}")
        self.entries[key] = entry
        self.holders[key] = holder
        holder.observe(lambda ch: self._on_input(key, ch), names="value")
        w = holder if rate else entry
        if not rate:
            w.style.description_width = "260px"
        w.add_class(f"cx-in-{key}")
        return w

    def _share_slider(self, value: float, description: str) -> W.SelectionSlider:
        """A slider of 5 % to 50 % by 5 % (and ``value``), its readout in the page's format."""
        values = sorted({round(0.05 * i, 2) for i in range(1, 11)} | {float(value)})
        return W.SelectionSlider(options=[(format_value(v, "ratio", self.locale, decimals=0 if round(v, 2) == v else 1), v)
                                          for v in values], value=float(value), description=description,
                                 continuous_update=False, style={"description_width": "120px"})

    def _show_value(self, key: str) -> None:
        """Put the value in use of ``key`` in its holder, hence its field (no event)."""
        value = getattr(self.case.inputs, key)
        self._quiet = True
        try:
            self.holders[key].value = value
        finally:
            self._quiet = False

    # ------------------------------------------------------------------ layout
    def _build(self, message: str) -> None:
        vals = self.case.inputs.model_dump()
        self.entries: dict[str, W.Text] = {}
        self.holders: dict[str, W.FloatSlider | W.FloatText] = {}
        self.inputs = {k: self._input_widget(k, vals[k]) for k in roi.INPUT_KEYS}
        self.source_labels = {k: W.HTML(layout=W.Layout(width="170px")) for k in roi.INPUT_KEYS}
        rows = {k: W.HBox([self.inputs[k]] + ([self.entries[k]] if k in roi.RATE_INPUTS else [])
                          + [self.source_labels[k]], layout=W.Layout(flex_flow="row wrap"))
                for k in roi.INPUT_KEYS}
        # shares as the page writes them (a slider's readout would say 20% in French too)
        self.share = self._share_slider(self.case.setting("sensitivity_share"), self.t("share"))
        self.spread = self._share_slider(self.case.setting("spread"), self.t("spread"))
        self.share.observe(lambda ch: self.refresh(), names="value")
        self.spread.observe(lambda ch: self.refresh(), names="value")
        self.message = W.HTML(message)
        self.message.add_class("cx-message")
        self.headline = W.HTML()
        self.headline.add_class("cx-headline")
        self.explain = W.HTML()     # what the headline figures mean (roi.explain)
        self.explain.add_class("cx-explain")
        self.risk = W.HTML()
        self.risk.add_class("cx-risk")
        # Figures are built on the first refresh; each is shown in its own Output area
        self.figs: dict[str, go.Figure] = {}
        self.fig_boxes = {n: W.Box([W.Output()], layout=W.Layout(width="50%", min_width="420px"))
                          for n in CHARTS}
        for n, b in self.fig_boxes.items():
            b.add_class(f"cx-fig-{n}")
        self.fig_boxes["waterfall"].layout.width = "60%"
        self.fig_boxes["waterfall"].layout.min_height = "380px"  # no jump when the chart arrives
        self.no_margin = W.HTML(f"<i>{self.t('no_margin')}</i>")
        self.scenario_name = W.Text(placeholder=self.t("name"), layout=W.Layout(width="220px"))
        self.scenario_name.add_class("cx-scenario-name")
        b_save = W.Button(description=self.t("save"), layout=W.Layout(width="220px"))
        b_save.add_class("cx-save")
        b_save.on_click(lambda _: self.save_scenario(self.scenario_name.value))
        b_reset = W.Button(description="↺ " + self.t("reset"), layout=W.Layout(width="260px"))
        b_reset.on_click(lambda _: self.reset())
        self.scenario_table = W.HTML()
        self.scenario_table.add_class("cx-scenarios")
        b_pptx = W.Button(description="⬇ " + self.t("pptx"), button_style="primary",
                          layout=W.Layout(width="240px"))
        b_pptx.add_class("cx-export-pptx")
        b_pptx.on_click(lambda _: self.export("pptx"))
        b_html = W.Button(description="⬇ " + self.t("html"), layout=W.Layout(width="200px"))
        b_html.add_class("cx-export-html")
        b_html.on_click(lambda _: self.export("html"))
        self.download = W.HTML()
        self.download.add_class("cx-download")
        title = self.t("title") + (f" — {html.escape(self.client_name)}" if self.client_name else "")
        style = W.HTML("<style>.cx-tiles{display:flex;gap:12px;flex-wrap:wrap}"
                       ".cx-tile{background:#eceff1;border-radius:8px;padding:8px 16px;min-width:190px}"
                       ".cx-tile b{display:block;font-size:1.7em;color:#1f4e79}"
                       ".cx-err{color:#c62828;font-weight:bold}.cx-ok{color:#2e7d32}"
                       ".cx-src{color:#78909c;font-size:.85em}.cx-explain{max-width:900px;color:#37474f}"
                       ".cx-explain p{line-height:1.45;margin:4px 0}"
                       ".cx-scenarios td,.cx-scenarios th{padding:2px 8px}"
                       # a phone: labels above the fields, fields and charts within the screen
                       "@media (max-width:600px){.cx-roi-app .widget-hbox{flex-wrap:wrap}"
                       ".cx-roi-app .widget-inline-hbox{flex-wrap:wrap;width:100%!important;max-width:100%;height:auto!important}"
                       ".cx-roi-app .widget-inline-hbox>.widget-label{width:100%!important;text-align:left}"
                       ".cx-roi-app .widget-slider{min-width:200px}"
                       ".cx-roi-app .widget-box{min-width:0!important;max-width:100%}"
                       ".cx-roi-app .widget-html,.cx-roi-app .widget-html-content{max-width:100%}"
                       ".cx-scenarios{overflow-x:auto}.cx-scenarios td,.cx-scenarios th{padding:2px 4px}"
                       ".cx-roi-app [class*=cx-fig-]{width:100%!important;min-width:0!important}}</style>")
        core = W.VBox([W.HTML(f"<h3>{self.t('inputs')}</h3>")] + [rows[k] for k in roi.CORE_INPUTS])
        opt = W.VBox([W.HTML(f"<h3>{self.t('costs')}</h3>")] + [rows[k] for k in roi.OPTIONAL_INPUTS]
                     + [W.HTML(f"<h3>{self.t('settings')}</h3>"), self.share, self.spread])
        wide = {k: W.Layout(width="100%", min_width="420px") for k in ("tornado", "distribution", "multi_year")}
        for k, lay in wide.items():
            self.fig_boxes[k].layout = lay
        sections = {
            "tornado": self.fig_boxes["tornado"],
            "distribution": self.fig_boxes["distribution"],
            "scenarios": W.VBox([W.HBox([self.scenario_name, b_save]),
                                 W.HBox([self.scenario_table, self.fig_boxes["scenarios"]],
                                        layout=W.Layout(flex_flow="row wrap"))]),
            "multi_year": W.VBox([self.no_margin, self.fig_boxes["multi_year"]]),
        }
        self.details = W.Accordion([sections[k] for k in SECTIONS],
                                   titles=tuple(self.t(f"sec_{k}") for k in SECTIONS))
        self.details.add_class("cx-details")
        self.details.observe(lambda ch: self.open_section(SECTIONS[ch["new"]] if ch["new"] is not None else None),
                             names="selected_index")
        self.widget = W.VBox([
            style, W.HTML(f"<h2>{title}</h2>"), self.message, self.headline, self.explain,
            W.HBox([core, opt], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([b_reset]),
            self.fig_boxes["waterfall"],
            self.risk,
            self.details,
            W.HBox([b_pptx, b_html, self.download]),
        ])
        self.widget.add_class("cx-roi-app")
        if self.lazy:
            # Fires once the browser has created the widget models (a jsdlink copies the
            # source's value into the target there, and the target syncs back here).
            self._page_src = W.IntText(1)
            self._page_seen = W.IntText(0)
            self._page_link = W.jsdlink((self._page_src, "value"), (self._page_seen, "value"))
            self._page_seen.observe(lambda ch: self._on_page_echo(ch["new"]), names="value")
        self.widget.simulator = self  # handy from the notebook and tests

    # ------------------------------------------------------------------ events
    _quiet = False

    def _on_input(self, key: str, change: dict) -> None:
        """A value set in ``key``'s holder (typed, or the slider moved): applied; refused by
        the model, the holder and its field show the value in use again."""
        if not self._quiet:
            self.set_input(key, change["new"])
            self._show_value(key)

    def set_input(self, key: str, value: Any) -> None:
        """Apply a (possibly invalid) value typed by the user; never raises.

        The value is validated by the model first: an impossible one shows a message and
        changes nothing (a slider never silently clips it)."""
        if key not in roi.INPUT_KEYS:
            self._error(f"unknown input {key!r}")
            return
        try:
            case = self.case.edit(**{key: value})
        except InputError as exc:
            if exc.key == "error.roi.invalid_value":    # the field is on screen: its label and why
                self._error(roi.label(key, self.locale) + self.t("colon") + exc.values["reason"].render(self.locale))
            else:
                self._error(exc.render(self.locale))
            return
        except Exception as exc:  # anything else: a message, not a traceback
            self._error(f"{roi.label(key, self.locale)}: {exc}".splitlines()[0])
            return
        self.case = case
        self._show_value(key)
        self.message.value = ""
        self.refresh()

    def _error(self, text: str) -> None:
        self.message.value = f'<span class="cx-err">⚠ {html.escape(text)}</span>'

    def reset(self) -> None:
        """Back to the client's values (data / assumptions / defaults)."""
        self.case = self.base_case
        for k in self.inputs:
            self._show_value(k)
        self.message.value = ""
        self.refresh()

    def save_scenario(self, name: str) -> None:
        """Keep the current inputs under ``name`` for the side-by-side comparison."""
        name = (name or "").strip()
        if not re.fullmatch(r"[\w \-]{1,40}", name):
            self._error(self.t("bad_name"))
            return
        if name not in self.saved and len(self.saved) >= MAX_SCENARIOS:
            self.saved.pop(next(iter(self.saved)))
        self.saved[name] = self.case.inputs
        self.message.value = f'<span class="cx-ok">{self.t("saved")}{self.t("colon")}{html.escape(name)}</span>'
        self.scenario_name.value = ""
        if "scenarios" in self.shown_charts():
            self._refresh_scenarios()

    # ------------------------------------------------------------------ figures
    def _ranges(self) -> dict:
        return self.case.ranges or roi.default_ranges(self.case.inputs, self.spread.value)

    def scenarios(self) -> dict[str, roi.RoiInputs]:
        named = roi.named_scenarios(self.case.inputs, self._ranges())
        return {**named, **{f"★ {k}": v for k, v in self.saved.items()}}

    def _refresh_scenarios(self, send: bool = True) -> None:
        sc = self.scenarios()
        comp = roi.compare_scenarios(sc, self.locale)
        names = [c for c in comp.columns if c != "label"]
        shown = {n: roi.label(n, self.locale) if n in ("prudent", "central", "ambitious") else n for n in names}
        head = "".join(f"<th>{html.escape(shown[n])}</th>" for n in names)
        body = "".join(
            "<tr><td>" + html.escape(roi.label(k, self.locale)) + "</td>" + "".join(
                f"<td style='text-align:right'>{html.escape(vz.fmt_value(k, comp.loc[k, n], self.currency, self.locale))}</td>"
                for n in names) + "</tr>"
            for k in ("response_rate", "unhappy_share", "retention_rate", "acquisition_cost",
                      "customers_retained", "program_cost", "net_benefit", "roi"))
        self.scenario_table.value = f"<table><tr><th></th>{head}</tr>{body}</table>"
        self._show("scenarios", vz.scenarios_spec(comp, self.currency, self.locale), send)

    def _show(self, name: str, spec: dict, send: bool = True) -> None:
        """Update chart ``name``: the Figure in place (rebuilt when its traces change), then
        (``send``) its Output area's single display (one state update, no flicker)."""
        fig = self.figs.get(name)
        if fig is None or len(fig.data) != len(spec["traces"]):
            fig = self.figs[name] = vz.figure(spec, height=380)
        else:
            vz.apply_spec(fig, spec)
        if not send:
            return
        area = self.fig_boxes[name].children[0]
        area.outputs = ({"output_type": "display_data", "data": plotly_bundle(fig), "metadata": {}},)

    def refresh(self) -> None:
        """Recompute everything from the current inputs and update widgets in place (the
        headline first, then the charts currently shown, see :meth:`shown_charts`)."""
        t0 = time.perf_counter()
        inp, cur, loc = self.case.inputs, self.currency, self.locale
        self.outputs = out = roi.compute(inp)
        tiles = "".join(
            f'<div class="cx-tile" data-key="{k}">{html.escape(roi.label(k, loc))}'
            f'<b id="cx-{k.replace("_", "-")}">{html.escape(vz.fmt_value(k, out[k], cur, loc))}</b></div>'
            for k in ("customers_retained", "net_benefit", "roi", "break_even_retention_rate"))
        self.headline.value = f'<div class="cx-tiles">{tiles}</div>'
        send_now()  # the headline leaves before the charts are computed (see send_now)
        for k, w in self.source_labels.items():
            w.value = f'<span class="cx-src">{html.escape(roi.label(self.case.sources.get(k, "default"), loc))}</span>'
        self.explain.value = "<p>" + " ".join(html.escape(line) for line in roi.explain(self.case, out, cur, loc)) + "</p>"
        show_my = inp.annual_margin > 0
        self.fig_boxes["multi_year"].layout.display = "" if show_my else "none"
        self.no_margin.layout.display = "none" if show_my else ""
        # the waterfall goes out with the headline, before the Monte Carlo (~25 ms) it does not use
        first = [n for n in self.shown_charts() if n == "waterfall"]
        self.draw_charts(first)
        self._mc = mc = roi.case_monte_carlo(self.case, draws=self.draws, seed=self.seed, ranges=self._ranges())
        self.risk.value = html.escape(roi.explain_risk(mc.summary(), cur, loc))   # what P10 / P90 mean
        self.draw_charts([n for n in self.shown_charts() if n not in first])
        self.last_update_ms = (time.perf_counter() - t0) * 1000

    def shown_charts(self) -> list[str]:
        """Charts to draw now: all of them (eager mode); in lazy mode none before the
        browser has the page, then the waterfall and the open section's chart."""
        if not self.live:
            return []
        names = list(CHARTS) if not self.lazy else ["waterfall"] + ([self.section] if self.section else [])
        return [n for n in names if n != "multi_year" or self.case.inputs.annual_margin > 0]

    def draw_charts(self, names: list[str] | None = None, send: bool = True) -> None:
        """Compute and show ``names`` (default: :meth:`shown_charts`), one Output each;
        ``send=False`` only builds the figures (the lazy app's warm-up: the first Figure of
        a kind imports plotly's validators, ~1 s, better spent before the visitor comes)."""
        inp, cur, loc = self.case.inputs, self.currency, self.locale
        for name in self.shown_charts() if names is None else names:
            if name == "waterfall":
                self._show(name, vz.waterfall_spec(self.outputs, cur, loc), send)
            elif name == "tornado":
                sens = roi.sensitivity(inp, self.share.value, locale=loc)
                self._show(name, vz.tornado_spec(sens, cur, loc, self.share.value), send)
            elif name == "distribution":
                self._show(name, vz.distribution_spec(self._mc.histogram(), self._mc.summary(), cur, loc), send)
            elif name == "multi_year":
                my = roi.multi_year(inp, int(self.case.setting("years")), self.case.setting("churn_rate"),
                                    self.case.setting("discount_rate"))
                self._show(name, vz.multi_year_spec(my, cur, loc), send)
            elif name == "scenarios":
                self._refresh_scenarios(send)

    def _on_page_echo(self, n: int) -> None:
        """The browser copied the link's source into its target (``n``): 1 when it created
        the widget models; the kernel then bumps the source to 2, and that second echo comes
        back once the browser has worked through the messages queued before it — building
        the page — so the charts are sent after it."""
        if n == 1:
            self._page_src.value = 2
        elif n >= 2:
            self.page_ready(CHART_DELAY_S)

    def page_ready(self, delay: float = 0.0) -> None:
        """The browser has loaded the page's widgets (lazy mode): draw the charts, after
        ``delay`` seconds when the kernel's event loop runs (so the page is painted first)."""
        if self.live:
            return
        self.live = True
        try:
            loop = asyncio.get_running_loop() if delay > 0 else None
        except RuntimeError:  # no running loop (plain Python, tests): now
            loop = None
        if loop is None:
            self.draw_charts()
        else:
            loop.call_later(delay, self._draw_safely)

    def _draw_safely(self) -> None:
        try:
            self.draw_charts()
        except Exception as exc:  # a callback: never a traceback, a message
            log.exception("chart drawing failed")
            self._error(f"charts: {exc}".splitlines()[0])

    def open_section(self, name: str | None) -> None:
        """The accordion section ``name`` was opened (None: all closed): draw its chart."""
        if name is not None and name not in SECTIONS:
            self._error(f"unknown section {name!r}")
            return
        self.section = name
        if self.details.selected_index != (SECTIONS.index(name) if name else None):
            self.details.selected_index = SECTIONS.index(name) if name else None  # observer re-enters
            return
        self.live = True  # a click proves the page is there
        if name and name in self.shown_charts():
            self.draw_charts([name])

    # ------------------------------------------------------------------ export
    def business_case(self):
        from cxtoolkit.report import business_case as bcm
        return bcm.build_business_case(self.case, self.currency, self.locale, self.client_name,
                                       share=self.share.value, draws=self.draws, seed=self.seed)

    def export(self, kind: str = "pptx") -> bytes | None:
        """Export the current scenario; shows a download link (and writes to ``out_dir``)."""
        from cxtoolkit.report import business_case as bcm
        self.download.value = f"<i>{self.t('exporting')}</i>"
        try:
            bc = self.business_case()
            data = bcm.to_pptx(bc, images=self.images) if kind == "pptx" else bcm.to_html(bc).encode("utf-8")
        except Exception as exc:  # never a traceback in the app
            log.exception("export failed")
            self.download.value = ""
            self._error(f"export: {exc}".splitlines()[0])
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        fname = f"business_case_{self.client or 'roi'}_{stamp}.{kind}"
        if self.out_dir is not None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                (self.out_dir / fname).write_bytes(data)
            except OSError as exc:
                self._error(f"{self.out_dir}: {exc.strerror or exc}")
        mime = ("application/vnd.openxmlformats-officedocument.presentationml.presentation"
                if kind == "pptx" else "text/html")
        b64 = base64.b64encode(data).decode("ascii")
        self.download.value = (f'<a class="cx-download-{kind}" download="{fname}" '
                               f'href="data:{mime};base64,{b64}">⬇ {self.t("download")} {fname}</a>')
        return data


def load_case(client: str = "", client_data: str = "", locale: str = "",
              period_start: str = "", period_end: str = "") -> tuple[Any, roi.RoiCase, str, str]:
    """``(cfg, case, locale, message)`` for ``client``: its configuration (None without a
    client), its ROI case (data > client.yml ``roi`` > defaults), the locale to use and a
    one-line problem to show ("" when none).

    ``client`` / ``client_data`` fall back to ``$CXTOOLKIT_CLIENT`` /
    ``$CXTOOLKIT_CLIENT_DATA`` (set by ``cxtoolkit app``). Problems with the client's
    files become the message; the case then starts from client.yml assumptions or the
    defaults.

    >>> cfg, case, loc, msg = load_case(locale="en")
    >>> cfg is None, case.inputs.customers_surveyed, loc, msg
    (True, 12000.0, 'en', '')
    """
    message = ""
    problem: InputError | None = None
    cfg = None
    case = None
    try:
        client, client_data = client_from_env(client, client_data)
        if client:
            cfg = load_client(client, client_data or None)
            try:
                cfg, case = client_roi_case(cfg, edited=None, start=period_start, end=period_end)
            except InputError as exc:  # unreadable data: keep the assumptions
                problem = exc
                case = roi.prefill(cfg)
    except InputError as exc:
        problem = exc
        cfg = None
    if case is None:
        case = roi.prefill(None)
    loc = locale or getattr(cfg, "locale", None) or "fr"
    if loc not in ("fr", "en"):
        message, loc = f"locale {loc!r} is not fr or en; using fr", "fr"
    if problem is not None:                     # said in the page's language
        message = problem.render(loc)
    return cfg, case, loc, message


def build_roi_app(client: str = "", client_data: str = "", locale: str = "",
                  out_dir: str = "", period_start: str = "", period_end: str = "",
                  draws: int | None = None, seed: int | None = None, lazy: bool = False,
                  warm: bool = True) -> W.VBox:
    """The ROI simulator widget, prefilled for ``client`` when given (see :func:`load_case`;
    a problem with the client's files is shown as a message). ``lazy``: charts drawn once
    the browser has the page and when their section is opened (the Voila app); ``warm``
    (lazy only): build the charts' figures now, unsent (~0.6 s: worth it in a preheated
    kernel, which no visitor waits for; not in a kernel started for a waiting visitor)."""
    cfg, case, loc, message = load_case(client, client_data, locale, period_start, period_end)
    sim = RoiSimulator(case, getattr(cfg, "currency", "EUR"), loc, getattr(cfg, "name", "") or "",
                       getattr(cfg, "client", "") or "", out_dir,
                       message=f'<span class="cx-err">⚠ {html.escape(message)}</span>' if message else "",
                       draws=draws, seed=seed, lazy=lazy, warm=warm)
    return sim.widget


def show_roi(client: str = "", client_data: str = "", locale: str = "", out_dir: str = "",
             period_start: str = "", period_end: str = "", app: bool | None = None,
             draws: int | None = None, seed: int | None = None, results_dir: str = ""):
    """What ``notebooks/roi.ipynb`` displays: the simulator when the kernel runs under
    Voila, else (papermill, the audit, a plain kernel) a static report whose charts are
    regular Plotly figures, so nbconvert's HTML shows them.

    ``app`` forces one or the other (default: :func:`cxtoolkit.apps.context.in_voila`).
    ``results_dir`` (an audit): the report shows the audit's stored business case
    (:mod:`cxtoolkit.pipeline.store`) when it answers the same period and locale.
    Report mode returns the :class:`~cxtoolkit.report.business_case.BusinessCase`; app mode
    displays the widget, tells the launcher the page is ready
    (:func:`cxtoolkit.apps.mark_ready`) and returns the widget (``out_dir`` is where the
    app also writes exported decks).
    """
    from IPython.display import display

    from cxtoolkit.apps import mark_ready
    from cxtoolkit.apps.context import app_locale, in_voila, preheated
    if app is None:
        app = in_voila()
    if app:
        from cxtoolkit.apps.guard import guard_kernel
        guard_kernel()   # errors reach the page as one line, never a traceback
        w = build_roi_app(client, client_data, app_locale(locale), out_dir, period_start, period_end, draws, seed,
                          lazy=True, warm=preheated())
        display(w)
        mark_ready()
        return w
    from IPython.display import Markdown

    from cxtoolkit.report import business_case as bcm
    from cxtoolkit.report.tables import day_range

    def period(loc: str) -> str:   # the period's days as the reader writes them
        return day_range(period_start or None, period_end or None, loc) if (period_start or period_end) else ""

    if results_dir and client and draws is None and seed is None:
        from cxtoolkit.pipeline.store import stored_page

        cfg = load_client(client, client_data or None)
        stored = stored_page(results_dir, "roi", {"loc": locale or cfg.locale, "period_start": period_start,
                                                  "period_end": period_end})
        if stored is not None:
            bcm.display_report(stored["bc"], period(locale or cfg.locale))
            return stored["bc"]
    cfg, case, loc, message = load_case(client, client_data, locale, period_start, period_end)
    if message:
        display(Markdown(f"**⚠ {message}**"))
    bc = bcm.build_business_case(case, getattr(cfg, "currency", "EUR"), loc,
                                 getattr(cfg, "name", "") or getattr(cfg, "client", "") or "",
                                 draws=draws, seed=seed)
    bcm.display_report(bc, period(loc))
    return bc
