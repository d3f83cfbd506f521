"""Period + segment bar of the Voila apps, and :func:`show`, the one call an analysis
notebook makes.

Under papermill / Jupyter, :func:`show` loads the client's data for the notebook's
period and renders the notebook's view once (:mod:`cxtoolkit.apps.views`), exactly as the
notebook always did. Under Voila it shows a bar — *Du / From*, *Au / To* (days within
the data's range, typed as the page writes them: ``31/10/2026`` / ``2026-10-31``), *Segment*
(``column = value`` among the segments present in the data) and *Appliquer / Apply* — above
an output area that the view is rendered into again on each Apply. The data is read once; a new selection only filters it in memory.

Widget values come from the browser and are untrusted: :func:`validate_period` and
:func:`validate_segment` check every value before use; a problem is shown as one friendly
line, never a traceback (details go to the server log only).

Examples
--------
>>> import datetime as dt
>>> validate_period(dt.date(2026, 5, 1), dt.date(2026, 5, 31), dt.date(2026, 4, 1), dt.date(2026, 6, 30))
('2026-05-01', '2026-05-31')
>>> validate_segment("channel=phone", ["", "channel=phone"])
('channel', 'phone')
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import traceback
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from cxtoolkit.apps.display import mime_bundle  # noqa: F401 - re-exported
from cxtoolkit.apps.guard import guard_kernel, server_log as _server_log
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.findings import Msg
from cxtoolkit.rules import Day
from cxtoolkit.messages import client_locale, has, text

log = logging.getLogger(__name__)

#: Segments with more distinct values than this are not offered (ids, free text).
MAX_SEGMENT_VALUES = 40

def t(key: str, loc: str, **values) -> str:
    """The catalogue text ``apps.controls.<key>`` in ``loc``."""
    return text(f"apps.controls.{key}", loc, **values)


def segment_label(col: str, loc: str) -> str:
    """The name of a segment column in ``loc`` (the column itself when unknown)."""
    return text(f"apps.segment.{col}", loc) if has(f"apps.segment.{col}") else col


# --------------------------------------------------------------------------- pure helpers
def _main_ts(table: str) -> str | None:
    from cxtoolkit.schemas import SCHEMAS
    schema = SCHEMAS.get(table)
    return getattr(schema, "main_ts", None) if schema is not None else None


def data_period(data, tables: Sequence[str]) -> tuple[dt.date, dt.date] | None:
    """First and last day found in the main timestamp of ``tables`` (None if no dates).

    >>> from types import SimpleNamespace
    >>> c = pd.DataFrame({"received_at": pd.to_datetime(["2026-04-03 10:00", "2026-05-20 09:00"])})
    >>> data_period(SimpleNamespace(contacts=c, responses=None), ["contacts", "responses"])
    (datetime.date(2026, 4, 3), datetime.date(2026, 5, 20))
    """
    lows, highs = [], []
    for table in tables:
        df, col = getattr(data, table, None), _main_ts(table)
        if df is None or col is None or col not in df.columns or not len(df):
            continue
        ts = df[col].dropna()
        if len(ts):
            lows.append(ts.min())
            highs.append(ts.max())
    if not lows:
        return None
    return min(lows).date(), max(highs).date()


def _value(col: str, value: str, loc: str) -> str:
    """A segment value by its catalogue label (``channel=phone``: téléphone), else as it is."""
    from cxtoolkit.report.tables import value_label

    return value_label(col, value, loc) or value


def segment_options(data, view, loc: str = "fr") -> list[tuple[str, str]]:
    """``[(label, "column=value"), ...]`` offered by ``view``'s segment dropdown, starting
    with ``(All, "")``. A column is offered when every loaded filter table has it (or, for
    ``view.segment_params``, any loaded table) and it has 2 to :data:`MAX_SEGMENT_VALUES`
    values.

    >>> from types import SimpleNamespace
    >>> from cxtoolkit.apps.views import VIEWS
    >>> c = pd.DataFrame({"channel": ["phone", "chat", "phone"], "contact_id": ["a", "b", "c"]})
    >>> r = pd.DataFrame({"channel": ["phone"], "country": ["FR"]})
    >>> segment_options(SimpleNamespace(contacts=c, responses=r, sends=None), VIEWS["kpis"], "en")
    [('All', ''), ('Channel = chat', 'channel=chat'), ('Channel = phone', 'channel=phone')]
    """
    out = [(t("all", loc), "")]
    for col in view.segment_columns:
        if col in view.segment_params:
            frames = [getattr(data, tb, None) for tb in view.tables]
            frames = [f for f in frames if f is not None and col in f.columns]
        else:
            frames = [getattr(data, tb, None) for tb in view.filter_tables]
            frames = [f for f in frames if f is not None]
            if not frames or any(col not in f.columns for f in frames):
                continue
        if not frames:
            continue
        values = pd.unique(pd.concat([f[col].astype("string") for f in frames], ignore_index=True).dropna())
        values = sorted(str(v) for v in values if str(v).strip())
        if not 2 <= len(values) <= MAX_SEGMENT_VALUES:
            continue
        name = segment_label(col, loc)
        out += [(f"{name} = {_value(col, v, loc)}", f"{col}={v}") for v in values]
    return out


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def validate_period(start: Any, end: Any, lo: dt.date | None, hi: dt.date | None,
                    loc: str = "en") -> tuple[str, str]:
    """ISO ``(start, end)`` from two widget values, checked against the data's range.

    Raises :class:`InputError` (one friendly line) when a date is missing or not a date,
    start is after end, or the period does not overlap ``[lo, hi]``. A period that only
    partly overlaps is accepted (the data simply has nothing outside).

    >>> validate_period("2026-05-02", "2026-05-01", None, None)
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: period: the start date is after the end date
    >>> validate_period("2020-01-01", "2020-02-01", dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: period: period outside the data (2026-04-01 → 2026-05-01)
    """
    a, b = _as_date(start), _as_date(end)
    if a is None or b is None:
        raise InputError("error.apps.period", reason=Msg("apps.controls.no_date"))
    if a > b:
        raise InputError("error.apps.period", reason=Msg("apps.controls.order"))
    if lo is not None and hi is not None and (b < lo or a > hi):
        raise InputError("error.apps.period",
                         reason=Msg("apps.controls.range", {"lo": Day(lo), "hi": Day(hi)}))
    return a.isoformat(), b.isoformat()


def validate_segment(value: Any, allowed: Sequence[str], loc: str = "en") -> tuple[str, str] | None:
    """``(column, value)`` for a dropdown value from ``allowed`` (``""`` → None).

    >>> validate_segment("", [""]) is None
    True
    >>> validate_segment("agent_id=a1", ["", "channel=phone"])
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: segment: unknown segment
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed or "=" not in value:
        raise InputError("error.apps.segment", reason=Msg("apps.controls.segment_bad"))
    col, _, val = value.partition("=")
    return col, val


def select(data, view, start: str | None, end: str | None, segment: tuple[str, str] | None):
    """A copy of ``data`` restricted to ``[start, end]`` (whole days, as :func:`cxtoolkit.io.load`)
    and, unless the view takes the segment as a parameter, to ``column == value``.

    Filter tables keep their rows of the segment; other tables are filtered when they have
    the column and dropped (None) otherwise; lookup tables are kept whole. Inputs are not
    modified.

    >>> from types import SimpleNamespace
    >>> from cxtoolkit.apps.views import VIEWS
    >>> c = pd.DataFrame({"received_at": pd.to_datetime(["2026-04-01 10:00", "2026-04-02 23:59"]),
    ...                   "channel": ["phone", "chat"]})
    >>> d = SimpleNamespace(contacts=c, responses=None, sends=pd.DataFrame({"x": [1]}))
    >>> out = select(d, VIEWS["kpis"], "2026-04-02", "2026-04-02", None)
    >>> out.contacts["channel"].tolist(), len(out.sends)
    (['chat'], 1)
    >>> select(d, VIEWS["kpis"], None, None, ("channel", "phone")).sends is None
    True
    """
    t0 = pd.Timestamp(start) if start else None
    t1 = pd.Timestamp(end) + pd.Timedelta(days=1) if end else None
    col, val = segment if segment and segment[0] not in view.segment_params else (None, None)
    changes = {}
    for table in view.tables:
        df = getattr(data, table, None)
        if df is None:
            continue
        keep = pd.Series(True, index=df.index)
        ts_col = _main_ts(table)
        if ts_col and ts_col in df.columns:
            if t0 is not None:
                keep &= (df[ts_col] >= t0).fillna(False)
            if t1 is not None:
                keep &= (df[ts_col] < t1).fillna(False)
        if col and table not in view.lookup_tables:
            if col not in df.columns:
                changes[table] = None
                continue
            keep &= df[col].astype("string").eq(val).fillna(False)
        if not bool(keep.all()):
            df = df.loc[keep].reset_index(drop=True)
        changes[table] = df
    if hasattr(data, "__dataclass_fields__"):
        return replace(data, **changes)
    from types import SimpleNamespace
    return SimpleNamespace(**{**vars(data), **changes})


def as_widget(obj):
    """An ``Output`` widget showing ``obj``, its ``outputs`` set directly (no display
    capture: Voila's first run through nbclient stalls when many outputs are captured).

    >>> from IPython.display import Markdown
    >>> as_widget(Markdown("x")).outputs[0]["data"]["text/markdown"]
    'x'
    """
    import ipywidgets as W

    box = W.Output(layout=W.Layout(width="100%"))
    box.outputs = ({"output_type": "display_data", "data": mime_bundle(obj), "metadata": {}},)
    return box


def run_parameters(params: Mapping[str, Any], view, start: str, end: str,
                   segment: tuple[str, str] | None, loc: str) -> dict[str, Any]:
    """The parameters a render call gets for a selection (the notebook's, with the period,
    the segment label and, for ``view.segment_params``, the segment as that parameter)."""
    p = dict(params, period_start=start or "", period_end=end or "", loc=loc, focus="")
    if segment:
        col, val = segment
        p["focus"] = f"{segment_label(col, loc)} = {_value(col, val, loc)}"
        if col in view.segment_params:
            p[view.segment_params[col]] = val
            p["focus"] = ""  # the view shows its own parameter
    return p


# --------------------------------------------------------------------------- loading
def _locale(params: Mapping[str, Any], cfg) -> str:
    return check_locale(params.get("locale") or getattr(cfg, "locale", "fr") or "fr", "locale")


def load_view(view, params: Mapping[str, Any], start: str | None = None, end: str | None = None):
    """``(cfg, data)`` for ``view``: the client of ``params`` and its tables for the period."""
    from cxtoolkit import io as cxio
    from cxtoolkit.config import load_client

    cfg = load_client(params["client"], params.get("client_data") or None)
    tables = [tb for tb in view.tables if tb in cfg.data or tb in view.required]
    data = cxio.load(cfg, tables=tables, start=start or None, end=end or None)
    return cfg, data


def _view(view):
    from cxtoolkit.apps.views import VIEWS
    if isinstance(view, str):
        if view not in VIEWS:
            raise InputError("error.apps.unknown_view", view=repr(view), known=", ".join(sorted(VIEWS)))
        return VIEWS[view]
    return view


def show(view, params: Mapping[str, Any]) -> dict | None:
    """Render notebook ``view`` (a name of :data:`cxtoolkit.apps.views.VIEWS` or a ``View``).

    ``params`` come from :func:`cxtoolkit.apps.context.app_parameters`. Without
    ``app_mode`` the view is rendered once and its result frames are returned (errors
    propagate, as in any notebook): from the audit's stored results when ``results_dir`` is
    set and they answer the page (:func:`cxtoolkit.pipeline.store.stored_page`), else
    computed from the data loaded for ``period_start`` / ``period_end``.
    With ``app_mode`` the app page (bar + output) is displayed and None is returned.
    """
    view = _view(view)
    if not params.get("app_mode"):
        if params.get("results_dir"):          # an audit: render its results set, no data read
            from cxtoolkit.config import load_client
            from cxtoolkit.pipeline.store import stored_page

            cfg = load_client(params["client"], params.get("client_data") or None)
            p = dict(params, loc=_locale(params, cfg), focus="")
            stored = stored_page(params["results_dir"], view.name, p)
            if stored is not None:
                return view.render(cfg, None, p, results=stored)
        cfg, data = load_view(view, params, params.get("period_start"), params.get("period_end"))
        p = dict(params, loc=_locale(params, cfg), focus="")
        return view.render(cfg, data, p)
    from IPython.display import display
    guard_kernel()   # errors reach the page as one line, never a traceback
    page = AppPage(view, params)
    display(page.widget)
    from cxtoolkit.apps import mark_ready
    mark_ready()
    return None


class AppPage:
    """The app page of one view: bar + output, data read once at start.

    Attributes ``start``, ``end`` (``DatePicker``: the period's days, ``datetime.date``, not
    displayed), ``start_text``, ``end_text`` (the fields the days are typed in, as the page
    writes them: :func:`cxtoolkit.apps.typed.typed_day`), ``segment``, ``apply`` (button),
    ``message`` (HTML line) and ``out`` (a ``VBox`` of one ``Output`` per displayed item)
    are exposed for tests. The view renders into a list first: nothing reaches the page if it fails.
    """

    def __init__(self, view, params: Mapping[str, Any]):
        import ipywidgets as W

        from cxtoolkit.apps.typed import typed_day

        self.view = _view(view)
        self.params = dict(params)
        self.loc = client_locale(params.get("locale"))
        self.cfg = self.data = None
        self.bounds = None
        self.allowed: list[str] = [""]
        self.renders = 0
        self.out = W.VBox(layout=W.Layout(width="100%"))
        self.message = W.HTML(value="", layout=W.Layout(margin="0 0 0 12px"))
        self.start = W.DatePicker(description=t("from", self.loc), layout=W.Layout(width="230px"))
        self.end = W.DatePicker(description=t("to", self.loc), layout=W.Layout(width="230px"))
        self.segment = W.Dropdown(description=t("segment", self.loc), options=[(t("all", self.loc), "")],
                                  value="", layout=W.Layout(width="320px"))
        self.apply = W.Button(description=t("apply", self.loc), button_style="primary", icon="refresh")
        self.apply.add_class("cx-apply")
        self.segment.add_class("cx-segment")
        opened = self._open()
        # the days are typed as the page writes them (rules.day_text); the pickers hold them
        # and are not shown: their <input type="date"> follows the browser's language
        self.start_text, self.end_text = (typed_day(w, self.loc, self._error, name=key)
                                          for w, key in ((self.start, "start"), (self.end, "end")))
        self.start_text.add_class("cx-start")
        self.end_text.add_class("cx-end")
        self.bar = W.HBox([self.start_text, self.end_text, self.segment, self.apply, self.message],
                          layout=W.Layout(flex_flow="row wrap", align_items="center"))
        self.bar.add_class("cx-bar")
        self.widget = W.VBox([self.bar, self.out])
        self.widget.add_class("cx-app")
        if opened:
            self.apply.on_click(lambda _b: self.refresh())
            self.refresh(initial=True)
        else:
            self.apply.disabled = True
            self.start_text.disabled = self.end_text.disabled = True

    # -- set-up ----------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.message.value = f'<span class="cx-err" style="color:#b00020">⚠ {html.escape(text)}</span>'

    def _open(self) -> bool:
        """Load the client's data (whole range) and fill the widgets; False on error."""
        try:
            self.cfg, self.data = load_view(self.view, self.params)
            self.loc = _locale(self.params, self.cfg)
        except InputError as exc:
            self._error(exc.render(self.loc))
            return False
        except Exception:  # noqa: BLE001 - never a traceback in the page
            _server_log(traceback.format_exc())
            self._error(t("failed", self.loc))
            return False
        for w, key in ((self.start, "from"), (self.end, "to"), (self.segment, "segment"),
                       (self.apply, "apply")):
            w.description = t(key, self.loc)
        self.bounds = data_period(self.data, self.view.tables)
        options = segment_options(self.data, self.view, self.loc)
        self.allowed = [v for _, v in options]
        self.segment.options = options
        self.segment.value = ""
        lo, hi = self.bounds or (None, None)
        start = self._param_date("period_start") or lo
        end = self._param_date("period_end") or hi
        if lo and hi:
            self.start.min = self.end.min = lo
            self.start.max = self.end.max = hi
            start = min(max(start, lo), hi)
            end = min(max(end, lo), hi)
        self.start.value, self.end.value = start, end
        return True

    def _param_date(self, key: str) -> dt.date | None:
        return _as_date(self.params.get(key))

    # -- apply -----------------------------------------------------------------
    @staticmethod
    def _item(obj):
        """One displayed object as a widget (see :func:`as_widget`)."""
        return as_widget(obj)

    def refresh(self, initial: bool = False) -> bool:
        """Validate the widget values and render the view into the output; True on success."""
        lo, hi = self.bounds or (None, None)
        try:
            if lo is None and initial:
                start, end = "", ""
            else:
                start, end = validate_period(self.start.value, self.end.value, lo, hi, self.loc)
            segment = validate_segment(self.segment.value, self.allowed, self.loc)
        except InputError as exc:
            self._error(exc.render(self.loc))
            return False
        whole = (lo is None) or (start == lo.isoformat() and end == hi.isoformat())
        self.message.value = f"<i>{t('busy', self.loc)}</i>"
        self.apply.disabled = True
        error = ""
        caught: list = []
        items: list = []
        try:
            data = select(self.data, self.view, None if whole else start, None if whole else end, segment)
            p = run_parameters(self.params, self.view, start, end, segment, self.loc)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.view.render(self.cfg, data, p, emit=items.append)
        except InputError as exc:
            error = exc.render(self.loc)
        except Exception:  # noqa: BLE001 - never a traceback in the page
            _server_log(traceback.format_exc())
            error = t("failed", self.loc)
        finally:
            self.apply.disabled = False
        for w in caught:
            _server_log(f"warning: {w.category.__name__}: {w.message}")
        old = self.out.children
        self.out.children = [] if error else [self._item(obj) for obj in items]
        for w in old:
            w.close()
        if error:
            self._error(error)
            return False
        self.renders += 1
        self.message.value = ""
        return True
