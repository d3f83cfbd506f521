"""The staffing what-if of ``notebooks/staffing.ipynb`` under Voila: pick a day, move the
service-level target, the AHT, the patience and the agents per slot, and see the predicted
answer rate, abandonment, ASA and the weekly cost of that day.

Every number comes from :func:`cxtoolkit.staffing.staffing_plan` on the day's arrival
profile; charts are plain Plotly figures shown in ``Output`` widgets as a mime bundle
(not ``go.FigureWidget``, see :mod:`cxtoolkit.apps.roi_app`). A value typed beside a slider
(:func:`cxtoolkit.apps.typed.typed_slider`) is read in the page's language and refused in one
line, the field set back, when it is outside the slider's range (never clipped); any error is
one line, never a traceback.

Examples
--------
>>> import pandas as pd
>>> prof = pd.DataFrame({"weekday": [0, 0], "day": ["mon", "mon"], "interval_start": ["09:00", "10:00"],
...                      "hour": [9, 10], "minute": 0, "interval_min": 60, "arrivals_per_hour": [60.0, 0.0],
...                      "aht_s": [180.0, 180.0], "agents_seen": [2.0, 0.0], "answer_rate_seen": [0.5, None]})
>>> w = StaffingWhatIf(prof, {"service_level": 0.8, "within_s": 20.0, "max_wait_probability": None,
...                           "max_asa_s": None, "max_occupancy": 0.85, "shrinkage": 0.3}, patience_s=60,
...                    hourly_cost=30, locale="en", compute_only=True)
>>> int(w.plan["agents_required"].iloc[0]), int(w.plan["agents_required"].iloc[1])
(5, 0)
>>> w.offset.value = 1
>>> int(w.plan["agents_required"].iloc[0]), int(w.plan["agents_required"].iloc[1])
(6, 0)
>>> w.slot.value, w.slot_offset.value
('09:00', 0)
>>> w.slot_offset.value = -2          # this slot only: 5 + 1 - 2
>>> int(w.plan["agents_required"].iloc[0]), w.slot_offsets
(4, {(0, '09:00'): -2})
"""
from __future__ import annotations

import html
import logging

import ipywidgets as W
import numpy as np
import pandas as pd

from cxtoolkit import staffing as S
from cxtoolkit.apps.typed import typed_slider
from cxtoolkit.errors import InputError
from cxtoolkit.messages import client_locale, text
from cxtoolkit.rules import format_value, weekday_labels

log = logging.getLogger(__name__)

def _t(key: str, loc: str) -> str:
    return text(f"apps.staffing.{key}", loc)


def _finite(x):
    return x if x is not None and np.isfinite(x) else None


def _pct(x, loc: str, decimals: int | None = None) -> str:
    return format_value(_finite(x), "ratio", loc, decimals=decimals)


def _num(x, loc: str, decimals: int) -> str:
    """A number in the page's format (``31,0`` in French), ``–`` when there is none."""
    return format_value(_finite(x), "number", loc, decimals=decimals)


def _day_names(loc: str) -> list[str]:
    """Full weekday names, Monday first (``lundi`` …): what an executive reads in the what-if."""
    return list(weekday_labels(loc, full=True).values())


def _money(x, currency: str, loc: str) -> str:
    return format_value(_finite(x), "money", loc, currency=currency)


class StaffingWhatIf:
    """Widgets and state of the what-if (``.widget`` is what the page shows).

    ``profile``: the arrival profile (every weekday, :func:`cxtoolkit.staffing.arrival_profile`,
    optionally with ``open``); ``targets``: from :func:`cxtoolkit.staffing.targets_from_config`.
    Attributes ``day``, ``target``, ``aht``, ``patience``, ``offset``, ``slot``, ``slot_offset``
    (widgets; ``slot_offsets`` keeps each slot's own change per day), ``plan``
    (the day's plan after the last change), ``summary`` and ``message`` are exposed for tests.
    """

    def __init__(self, profile: pd.DataFrame, targets: dict, patience_s: float | None = None,
                 hourly_cost: float | None = None, currency: str = "EUR", locale: str = "fr",
                 weekday: int | None = None, compute_only: bool = False):
        self.profile = profile
        self.targets = dict(targets)
        self.hourly_cost = hourly_cost
        self.currency = currency
        self.loc = client_locale(locale)
        self.compute_only = compute_only
        days = sorted(int(d) for d in profile["weekday"].unique())
        if weekday is None or weekday not in days:
            load = profile.groupby("weekday")["arrivals_per_hour"].sum()
            weekday = int(load.idxmax()) if len(load) else days[0]
        labels = _day_names(self.loc)
        style = {"description_width": "110px"}
        self.day = W.Dropdown(options=[(labels[d], d) for d in days], value=weekday,
                              description=_t("day", self.loc), style=style)
        sl = self.targets.get("service_level") or 0.8
        # 50 % to 99 %, written as the page writes shares (a FloatSlider's readout says 80% in French too)
        targets = sorted({round(0.5 + 0.01 * i, 2) for i in range(50)} | {float(sl)})
        self.target = W.SelectionSlider(options=[(_pct(v, self.loc, 0 if round(v, 2) == v else 1), v) for v in targets],
                                        value=float(sl), description=_t("target", self.loc), style=style,
                                        continuous_update=False)
        self.aht = W.IntSlider(value=0, min=-180, max=180, step=5, description=_t("aht", self.loc), style=style,
                               continuous_update=False)
        self.patience = W.IntSlider(value=int(round(patience_s or 90)), min=5, max=600, step=5,
                                    description=_t("patience", self.loc), style=style, continuous_update=False)
        # the page's patience, exact, until the slider moves (it shows whole seconds): the what-if
        # starts from the page's numbers
        self._patience_given = (patience_s, self.patience.value) if patience_s else None
        self.offset = W.IntSlider(value=0, min=-10, max=10, step=1, description=_t("offset", self.loc),
                                  style=style, continuous_update=False)
        # per-slot what-if: pick a slot of the day, move its agents; kept per (day, slot)
        self.slot_offsets: dict[tuple[int, str], int] = {}
        self.slot = W.Dropdown(options=self._slots(weekday), description=_t("slot", self.loc), style=style)
        self.slot_offset = W.IntSlider(value=0, min=-10, max=10, step=1, description=_t("slot_offset", self.loc),
                                       style=style, continuous_update=False)
        self.slot.add_class("cx-whatif-slot")
        self.slot_offset.add_class("cx-whatif-input")
        self.message = W.HTML("")
        self.headline = W.Output(layout=W.Layout(width="100%"))
        self.charts = W.Output(layout=W.Layout(width="100%"))
        for w in (self.day, self.target, self.aht, self.patience, self.offset):
            w.add_class("cx-whatif-input")
            w.observe(lambda _c: self.update(), names="value")
        self.day.observe(self._day_changed, names="value")
        self.slot.observe(self._slot_changed, names="value")
        self.slot_offset.observe(self._slot_offset_changed, names="value")
        self.slot_offset.observe(lambda _c: self.update(), names="value")   # after the change is stored
        typed = {key: typed_slider(getattr(self, key), self.loc, self._refused, name=key)
                 for key in ("offset", "aht", "patience", "slot_offset")}
        controls = W.HBox([W.VBox([self.day, self.target, typed["offset"]]), W.VBox([typed["aht"], typed["patience"]]),
                           W.VBox([self.slot, typed["slot_offset"]])],
                          layout=W.Layout(flex_flow="row wrap"))
        self.widget = W.VBox([W.HTML(f"<h3>{html.escape(_t('title', self.loc))}</h3>"), controls, self.message,
                              self.headline, self.charts])
        self.widget.add_class("cx-whatif")
        self.plan = self.summary = None
        self.update()

    def _refused(self, line: str) -> None:
        """A typed value refused (:func:`cxtoolkit.apps.typed.typed_slider`): its line in the page."""
        self.message.value = f'<span class="cx-err" style="color:#b00020">⚠ {html.escape(line)}</span>'

    def _slots(self, day: int) -> list[str]:
        """Interval starts of ``day`` offered for a per-slot change (open slots when known)."""
        prof = self.profile[self.profile["weekday"] == day]
        if "open" in prof.columns and prof["open"].astype(bool).any():
            prof = prof[prof["open"].astype(bool)]
        return [str(v) for v in prof["interval_start"]]

    def _day_changed(self, _change) -> None:
        self.slot.options = self._slots(int(self.day.value))
        self._slot_changed(None)   # the slider shows this day's change for the slot (same name or not)

    def _slot_changed(self, _change) -> None:
        key = (int(self.day.value), str(self.slot.value))
        self.slot_offset.value = self.slot_offsets.get(key, 0)   # shows the slot's own change

    def _slot_offset_changed(self, change) -> None:
        if self.slot.value is None:
            return
        key, value = (int(self.day.value), str(self.slot.value)), int(np.clip(change["new"], -10, 10))
        if value:
            self.slot_offsets[key] = value
        else:
            self.slot_offsets.pop(key, None)

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The day's plan for the widget values: ``(plan, plan_summary)``."""
        day = int(self.day.value)
        prof = self.profile[self.profile["weekday"] == day]
        delta = float(np.clip(self.aht.value, -180, 180))
        prof = prof.assign(aht_s=np.clip(prof["aht_s"].to_numpy(float) + delta, 1.0, None))
        tg = dict(self.targets)
        if tg.get("service_level") is not None or not any(tg.get(k) is not None
                                                          for k in ("max_wait_probability", "max_asa_s")):
            tg["service_level"] = float(np.clip(self.target.value, 0.5, 0.99))
        plan = S.staffing_plan(prof, service_level=tg["service_level"], within_s=tg["within_s"],
                               max_wait_probability=tg["max_wait_probability"], max_asa_s=tg["max_asa_s"],
                               max_occupancy=tg["max_occupancy"], shrinkage=tg["shrinkage"],
                               patience_s=self._patience(),
                               hourly_cost=self.hourly_cost, agents_offset=self._offsets(prof))
        return plan, S.plan_summary(plan)

    def _patience(self) -> float:
        """Mean patience (s) of the what-if: the page's own until the slider moves."""
        if self._patience_given and self.patience.value == self._patience_given[1]:
            return float(self._patience_given[0])
        return float(np.clip(self.patience.value, 5, 600))

    def _offsets(self, prof: pd.DataFrame) -> np.ndarray:
        """Agents ± per row of the day's profile: the whole-day change plus each slot's own."""
        day = int(self.day.value)
        per_slot = np.array([self.slot_offsets.get((day, str(v)), 0) for v in prof["interval_start"]], dtype="int64")
        return int(np.clip(self.offset.value, -10, 10)) + per_slot

    def update(self) -> bool:
        """Recompute and redraw; False (and a one-line message) on error."""
        try:
            self.plan, self.summary = self.compute()
        except InputError as exc:
            self.message.value = f'<span class="cx-err" style="color:#b00020">⚠ {html.escape(exc.render(self.loc))}</span>'
            return False
        except Exception:  # noqa: BLE001 - never a traceback in the page
            log.exception("staffing what-if")
            self.message.value = f'<span class="cx-err" style="color:#b00020">⚠ {_t("failed", self.loc)}</span>'
            return False
        self.message.value = ""
        if not self.compute_only:
            self._draw()
        return True

    def headline_text(self) -> str:
        """The day's predicted KPIs and cost, plan vs staffing seen (Markdown)."""
        loc = self.loc
        s = self.summary.loc["week"] if self.summary is not None and len(self.summary) else None
        if s is None:
            return ""
        sh = float(self.targets.get("shrinkage") or 0.0)
        cost = s.get("plan_cost", np.nan)
        seen_cost = (s.get("agent_hours_seen", np.nan) / (1 - sh) * self.hourly_cost
                     if self.hourly_cost is not None else np.nan)
        h = lambda key: _t(f"headline.{key}", loc)  # noqa: E731
        rows = [(h("answer_rate"), _pct(s.get("answer_rate_plan"), loc), _pct(s.get("answer_rate_pred_seen"), loc)),
                (h("abandon_rate"), _pct(s.get("abandon_rate_plan"), loc), _pct(s.get("abandon_rate_pred_seen"), loc)),
                (h("service_level"), _pct(s.get("service_level_plan"), loc),
                 _pct(s.get("service_level_pred_seen"), loc)),
                (h("asa"), _num(s.get("asa_s_plan"), loc, 0), _num(s.get("asa_s_pred_seen"), loc, 0)),
                (h("agent_hours"), _num(s.get("agent_hours"), loc, 1), _num(s.get("agent_hours_seen"), loc, 1)),
                (h("cost"), _money(cost, self.currency, loc), _money(seen_cost, self.currency, loc))]
        lines = [h("head"), "|---|---:|---:|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
        calls = s.get("calls", np.nan)
        intro = text("apps.staffing.headline.intro", loc, day=_day_names(loc)[int(self.day.value)],
                     calls=format_value(_finite(calls), "count", loc), patience=self.patience.value)
        return intro + "\n\n" + "\n".join(lines)

    def _draw(self) -> None:
        from IPython.display import Markdown

        from cxtoolkit.apps.display import mime_bundle, send_now
        from cxtoolkit.viz import staffing as V

        day = int(self.day.value)
        self.headline.outputs = ({"output_type": "display_data", "data": mime_bundle(Markdown(self.headline_text())),
                                  "metadata": {}},)
        send_now()  # the headline leaves before the charts are computed (see send_now)
        figs = [V.day_chart(self.plan, day, self.loc),
                V.answer_rate_chart(self.plan, day, self.loc, target=None)]
        self.charts.outputs = tuple({"output_type": "display_data", "data": mime_bundle(f), "metadata": {}}
                                    for f in figs)
