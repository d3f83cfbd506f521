"""Report tables people read: one function turns a frame and a column spec into the HTML
table every page shows (the audit's notebooks, the index page, the ROI report, the apps).

* headers are labels in the client's language: the KPI registry's
  (:data:`cxtoolkit.kpis.registry.KPIS`) or, for the other columns, the message catalogue's
  ``report.table.column.<key>`` (units in :mod:`cxtoolkit.report.labels`) — never a code
  name, never an index column;
* cells are formatted by unit and locale through :func:`cxtoolkit.rules.format_value`
  (``85,3 %`` / ``85.3%``, ``42 s``, ``1 234``), code values by their catalogue label,
  and every cell is HTML-escaped
  (:func:`cxtoolkit.escape.html_text`): client data is shown, never run;
* tables are sortable by clicking a header: the table carries no script (outputs stay free
  of markup that runs); one small script per page (:data:`PAGE_ASSETS`, no CDN) sorts any
  ``table.cx-sortable`` on the page, added by the nbconvert export, the Voila template and
  the index page. Numeric cells carry their raw value (``data-v``) so they sort as numbers.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"stage_label_fr": ["Livraison"], "stage_label_en": ["Delivery"],
...                   "unhappy_share": [0.2531], "p_value": [0.004], "significant": [True]})
>>> html = table_html(f, ["stage_label", "unhappy_share", "p_value", "significant"], "fr")
>>> headers(html)
['Étape du parcours', 'Clients très insatisfaits', "p (test de l'écart)", 'Écart significatif']
>>> cells(html)
[['Livraison', '25,3 %', '< 0,01', 'oui']]
>>> cells(table_html(f, ["stage_label", "unhappy_share"], "en"))
[['Delivery', '25.3%']]
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd
from babel import Locale

from cxtoolkit.escape import html_text
from cxtoolkit.kpis.registry import HALF_WIDTH_KPIS, KPIS
from cxtoolkit.messages import client_locale, has, is_fr, text
from cxtoolkit.report.labels import COUNTRY_COLUMNS, LABEL_COLUMNS, UNITS, VALUE_LABELS
from cxtoolkit.rules import SYMBOLS, calendar_text, day_range, format_date, format_value, month_first, week_monday  # noqa: F401 (day_range, format_date: re-exported)
from cxtoolkit.rules import audit_period_text as period_label  # noqa: F401 (re-exported: the pages, index, workbook)

__all__ = ["Col", "Table", "change_arrow", "column_label", "column_unit", "delta_is_stable", "format_cell", "format_date", "format_delta", "table_html", "table",
           "headers", "cells", "value_label", "country_name", "skip_reason", "period_label", "service_level_words", "PAGE_ASSETS", "with_page_assets"]

NUMERIC_UNITS = ("count", "ratio", "seconds", "hours", "score", "nps", "number", "multiple", "pvalue", "index", "bool")


@dataclass(frozen=True)
class Col:
    """One shown column: ``key`` the frame's column (or a :data:`LABEL_COLUMNS` key such as
    ``stage_label``, read from ``stage_label_fr`` / ``stage_label_en`` by locale), ``label`` the
    key of its label (default ``key``: the catalogue, then the registry), ``unit`` to
    override the label's unit, ``half_width`` for an interval half-width (``±6,1``),
    ``values`` the labels of its code values (``{criterion id: label}``) when they are data."""

    key: str
    label: str | None = None
    unit: str | None = None
    half_width: bool = False
    values: Mapping[str, str] | None = None


def column_label(key: str, locale: str | None = "fr", currency: str = "") -> str:
    """Label of a column key in ``locale``: the catalogue's ``report.table.column.<key>``,
    then the KPI registry, else the key made readable (never a snake_case code name).

    >>> column_label("lift_ci_low", "en"), column_label("nps_ci95", "fr"), column_label("odd_thing", "en")
    ('Lift, low end (95% CI)', 'NPS ± IC 95 %', 'Odd thing')
    >>> column_label("extra_cost", "fr", "EUR")
    "Coût de l'écart (€)"
    """
    loc = client_locale(locale)
    if has(f"report.table.column.{key}"):     # the currency as amounts show it (€, not EUR)
        symbol = SYMBOLS.get(str(currency).upper(), currency) if currency else ""
        return text(f"report.table.column.{key}", loc, currency=symbol).replace(" ()", "")
    if key in KPIS:
        return KPIS[key].label(loc)
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def column_unit(key: str) -> str:
    """Unit of a column key (the label data's, then the registry's; ``text`` when unknown).

    >>> column_unit("share_happy"), column_unit("asa_s"), column_unit("stage_label")
    ('ratio', 'seconds', 'text')
    """
    if key in UNITS:
        return UNITS[key]
    if key in KPIS:
        return KPIS[key].unit
    return "text"


def value_label(column: str, code, locale: str | None = "fr") -> str | None:
    """The catalogue label of a code value shown in ``column`` (None when it has none).

    >>> value_label("theme_kind", "delighter", "fr"), value_label("signal_reason", "growing", "en")
    ('Enchanteur', 'growing')
    >>> value_label("country", "ES", "fr"), value_label("country", "ES", "en")
    ('Espagne', 'Spain')
    >>> value_label("week", "2026-W40", "fr"), value_label("week", "2026-W40", "en")
    ('sem. 40 2026', 'wk 40 2026')
    >>> value_label("month", "2026-10", "fr"), value_label("month", "2026-08", "en")
    ('octobre 2026', 'August 2026')
    """
    if column in COUNTRY_COLUMNS:
        return country_name(code, locale)
    if column in ("week", "month", "period"):
        shown = calendar_text(code, client_locale(locale))
        return shown if shown != code else None
    key = f"{VALUE_LABELS.get(column, 'report.table.value.' + column)}.{code}"
    return text(key, client_locale(locale)) if has(key) else None


@functools.lru_cache(maxsize=4)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def country_name(code, locale: str | None = "fr") -> str | None:
    """The name of an ISO 3166 country code in the reader's language (CLDR, via ``babel``);
    None when the code is no country (the code is then shown as is).

    >>> country_name("ES", "fr"), country_name("gb", "en"), country_name("XX", "fr")
    ('Espagne', 'United Kingdom', None)
    """
    return _territories(client_locale(locale)).get(str(code).strip().upper())


_SKIP = ((re.compile(r"no (\w+) data \(client\.yml data\.(\w+)\)"), "no_data"),
         (re.compile(r"no (\w+) rows in the period"), "no_rows"),
         (re.compile(r"no ((?:\w+, )*\w+) nor (\w+) data"), "no_any"),
         (re.compile(r"(\S+\.ipynb) not found in (.+)"), "no_notebook"),   # runner.resolve_notebooks
         # why an audit's step was skipped (its manifest's "steps"; audit.collect, audit.runner)
         (re.compile(r"client\.yml declares no data files"), "no_data_files"),
         (re.compile(r"ingestion or KPI engine not available in this version"), "no_engine"),
         (re.compile(r"no contacts, daily reports nor responses"), "no_tables"),
         (re.compile(r"no KPI views"), "no_views"))


def skip_reason(reason: str, locale: str | None) -> str:
    """A skip reason (a report's, or a step's of the audit) in the page's language: the manifest's English reason on an English page,
    the catalogue's on another (reasons of another shape as they are).

    >>> skip_reason("no responses data (client.yml data.responses)", "fr")
    "aucune donnée « réponses d'enquête » (client.yml data.responses)"
    >>> skip_reason("no contacts, daily_reports nor responses data", "fr")
    "aucune donnée : ni contacts, ni rapports quotidiens, ni réponses d'enquête"
    >>> skip_reason("house.ipynb not found in /w/notebooks", "fr")
    'house.ipynb introuvable dans /w/notebooks'
    >>> skip_reason("no KPI views", "fr"), skip_reason("no KPI views", "en")
    ('aucun KPI calculé', 'no KPI views')
    """
    if client_locale(locale) == "en":
        return reason

    def table(t: str) -> str:
        return text(f"common.table.{t}", locale) if has(f"common.table.{t}") else t

    for pattern, key in _SKIP:
        m = pattern.fullmatch(reason or "")
        if m is None:
            continue
        if key == "no_any":
            sep = ", ni " if is_fr(locale) else ", no "
            return text("report.index.skip.no_any", locale,
                        tables=sep.join(table(t) for t in [*m[1].split(", "), m[2]]))
        if not pattern.groups:
            return text(f"report.index.skip.{key}", locale)
        if key == "no_notebook":
            return text("report.index.skip.no_notebook", locale, name=m[1], folder=m[2])
        return text(f"report.index.skip.{key}", locale, table=table(m[1]), key=m[2] if key == "no_data" else m[1])
    return reason


def service_level_words(formula: str, seconds: float, locale: str | None = "fr") -> str:
    """How the service level is computed, in words (client.yml ``kpi.service_level_formula``).

    >>> service_level_words("offered", 20, "fr")
    'décrochés en 20 s ou moins / appels présentés'
    """
    loc = client_locale(locale)
    return text(f"views.kpis.service_level_variant.{formula}", loc, s=format_value(seconds, "seconds", loc))


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


#: The data table of every output (the deck's appendix, the index page, the KPI workbook):
#: per client table, its file and its rows read = accepted + rejected; for an audit of a
#: period, the accepted rows outside it and those in it (what the figures count)
DATA_COLUMNS = ("data_table", "file", "read", "accepted", "rejected")
PERIOD_COLUMNS = ("out_of_period", "in_period")


def data_counts(counts: Mapping[str, Mapping] | None, locale: str | None = "fr") -> pd.DataFrame:
    """Rows read, accepted and rejected per client table (the load's ``counts``), each table
    by its label, in :data:`DATA_COLUMNS`, then :data:`PERIOD_COLUMNS` when rows fell outside
    the period: the one source of the data table of the deck, the index page, the KPI page
    and the workbook (headers: :func:`column_label`).

    >>> data_counts({"contacts": {"file": "c.csv", "read": 10, "accepted": 8, "rejected": 2}}, "fr").values.tolist()
    [['Contacts', 'c.csv', 10, 8, 2]]
    >>> data_counts({"contacts": {"file": "c.csv", "read": 10, "accepted": 8, "rejected": 2, "out_of_period": 5}},
    ...             "en").values.tolist()
    [['Contacts', 'c.csv', 10, 8, 2, 5, 3]]
    >>> len(data_counts(None))
    0
    """
    counts = counts or {}
    rows = [[value_label("data_table", t, locale) or str(t), str(c.get("file") or ""),
             c.get("read"), c.get("accepted"), c.get("rejected")] for t, c in counts.items()]
    if not any(c.get("out_of_period") for c in counts.values()):
        return pd.DataFrame(rows, columns=list(DATA_COLUMNS))
    for row, c in zip(rows, counts.values()):
        out = c.get("out_of_period") or 0
        row += [out, None if c.get("accepted") is None else c["accepted"] - out]
    return pd.DataFrame(rows, columns=[*DATA_COLUMNS, *PERIOD_COLUMNS])


def format_delta(key: str, delta, locale: str | None = "fr") -> str:
    """A KPI's change since the last audit (not escaped), by its registry unit: signed, in
    points for rates (the index page and the deck: one rule).

    A change that reads zero at its precision is said stable (``stable`` / ``unchanged``), never
    ``+0,0 pts`` (:func:`delta_is_stable`).

    >>> format_delta("csat", 0.031, "en"), format_delta("nps", -4.0, "fr"), format_delta("asa_s", 5.2, "fr")
    ('+3.1 pts', '-4,0', '+5 s')
    >>> format_delta("csat", 0.0002, "fr"), format_delta("asa_s", -0.4, "en")
    ('stable', 'unchanged')
    """
    if _missing(delta):
        return "—"
    if delta_is_stable(key, delta):
        return text("common.stable", client_locale(locale))
    unit = KPIS[key].unit if key in KPIS else "count"
    if unit == "ratio":
        return format_value(100 * delta, "nps", locale) + " pts"
    if unit == "nps":
        return format_value(delta, "nps", locale)
    return ("+" if delta >= 0 else "-") + format_value(abs(delta), unit, locale)


def delta_is_stable(key: str, delta) -> bool:
    """Whether a KPI's change reads zero at the precision :func:`format_delta` shows it (a
    rate's 0.02 pt is ``0,0 pts``): the one rule that says a change is stable (no arrow, no sign).

    >>> delta_is_stable("csat", 0.0004), delta_is_stable("csat", 0.0005), delta_is_stable("asa_s", 0.49)
    (True, False, True)
    """
    if _missing(delta):
        return False
    unit = KPIS[key].unit if key in KPIS else "count"
    shown = format_value(100 * delta if unit == "ratio" else delta, "nps" if unit == "ratio" else unit, "en")
    return re.search(r"[1-9]", shown) is None


def change_arrow(key: str, delta, direction) -> str:
    """The arrow before a KPI's change since the last audit: ``▲`` better, ``▼`` worse (the
    history's ``direction``), none for another direction or a stable change (:func:`delta_is_stable`).

    >>> change_arrow("csat", 0.02, "better"), change_arrow("csat", 0.0001, "better"), change_arrow("aht_s", 3.0, "changed")
    ('▲ ', '', '')
    """
    if delta_is_stable(key, delta):
        return ""
    return {"better": "▲ ", "worse": "▼ "}.get(direction, "")


def format_cell(value, unit: str, locale: str | None = "fr", label: str = "", half_width: bool = False) -> str:
    """The text of one cell (not escaped): code values by their catalogue label, ``text`` as is,
    booleans as oui / non (yes / no), numbers by :func:`cxtoolkit.rules.format_value`.

    >>> format_cell("delighter", "text", "fr", "theme_kind"), format_cell(True, "bool", "en")
    ('Enchanteur', 'yes')
    >>> format_cell(0.8531, "ratio", "fr"), format_cell(6.12, "nps", "en", half_width=True)
    ('85,3 %', '±6.1')
    """
    if _missing(value):
        return "–"
    if label and isinstance(value, str) and (shown := value_label(label, value, locale)) is not None:
        return shown
    if unit == "text":
        return str(value)
    if unit == "bool":
        return format_value(bool(value), unit, locale)
    return format_value(value, unit, locale, half_width=half_width)


def _sort_key(value, unit: str) -> str | None:
    """Raw value for sorting numeric columns ("" when missing), None for text."""
    if unit not in NUMERIC_UNITS:
        return None
    if _missing(value):
        return ""
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return None


def _cols(frame: pd.DataFrame, columns: Iterable[str | Col] | None) -> list[Col]:
    specs = [c if isinstance(c, Col) else Col(c) for c in (columns if columns is not None else frame.columns)]
    return [c for c in specs if c.key in frame.columns or c.key in LABEL_COLUMNS]


def _series(frame: pd.DataFrame, col: Col, locale: str | None) -> pd.Series:
    if col.key in frame.columns:
        return frame[col.key]
    by_locale = dict(zip(("fr", "en"), LABEL_COLUMNS[col.key]))
    name = by_locale[client_locale(locale)]
    return frame[name if name in frame.columns else by_locale["en"]]


def table_html(frame: pd.DataFrame, columns: Sequence[str | Col] | None = None, locale: str | None = "fr",
               *, index: bool = False, sortable: bool = True, currency: str = "", caption: str = "",
               rows: Sequence[Sequence[str]] | None = None, num_cols: Sequence[int] = ()) -> str:
    """HTML of a report table.

    Parameters
    ----------
    frame : the rows to show (its index is dropped unless ``index``).
    columns : the column spec, in order: column keys or :class:`Col` (default: every
        column); keys absent from ``frame`` are skipped.
    locale : the client's locale (labels, number formats).
    index : show the index (``weekday``, a segment…) as the first column, under the label of
        its name.
    sortable : headers sort the rows on click (with :data:`PAGE_ASSETS` on the page).
    currency : fills ``{currency}`` in labels.
    caption : a caption above the table (escaped).
    rows : text cells already formatted (then ``columns`` are the header label keys, or
        header texts, and ``frame`` is ignored; every cell is still escaped); a cell may be
        ``(text, raw number)`` to sort by the number; ``num_cols``: the positions of their
        right-aligned (numeric) columns.

    >>> f = pd.DataFrame({"n": [1200, 30]}, index=pd.Index(["phone", "chat"], name="segment"))
    >>> cells(table_html(f, None, "fr", index=True)) == cells(table_html(f, ["n"], "fr", index=True))
    True
    >>> cells(table_html(f, ["n"], "fr", index=True))
    [['phone', '1\\u202f200'], ['chat', '30']]
    >>> headers(table_html(None, ["kpi", "value"], "en", rows=[["A <b>", "1"]]))
    ['Measure', 'Value']
    """
    cls = "cx-table cx-sortable" if sortable else "cx-table"
    parts = [f'<table class="{cls}">']
    if caption:
        parts.append(f"<caption>{html_text(caption)}</caption>")
    if rows is not None:
        specs = [c if isinstance(c, Col) else Col(c) for c in columns or []]
        parts.append("<thead><tr>" + "".join(f"<th>{html_text(column_label(c.label or c.key, locale, currency))}</th>"
                                             for c in specs) + "</tr></thead><tbody>")
        for r in rows:
            parts.append("<tr>" + "".join(_text_cell(v, j in num_cols) for j, v in enumerate(r)) + "</tr>")
        parts.append("</tbody></table>")
        return "".join(parts)
    if index:      # the index first, also when ``columns`` names only the others
        names = [n if n is not None else "index" for n in frame.index.names]
        frame = frame.reset_index()
        if columns is not None:
            columns = [*names, *(c for c in columns if (c.key if isinstance(c, Col) else c) not in names)]
    specs = _cols(frame, columns)
    units = [c.unit or column_unit(c.label or c.key) for c in specs]
    parts.append("<thead><tr>" + "".join(
        f'<th class="num">{html_text(column_label(c.label or c.key, locale, currency))}</th>' if u in NUMERIC_UNITS
        else f"<th>{html_text(column_label(c.label or c.key, locale, currency))}</th>"
        for c, u in zip(specs, units)) + "</tr></thead><tbody>")
    series = [_series(frame, c, locale).tolist() for c in specs]
    for i in range(len(frame)):
        tds = []
        for c, u, s in zip(specs, units, series):
            v = s[i]
            if c.values and not _missing(v):
                v = c.values.get(v, v)
            text = html_text(format_cell(v, u, locale, c.label or c.key, c.half_width or c.key in HALF_WIDTH_KPIS))
            key = _sort_key(v, u)
            if key is None and (day := week_monday(v) or month_first(v)) is not None:   # sem. 1 2027 after sem. 52 2026
                tds.append(f'<td data-v="{day.toordinal()}">{text}</td>')
                continue
            tds.append(f'<td class="num" data-v="{key}">{text}</td>' if key is not None else f"<td>{text}</td>")
        parts.append("<tr>" + "".join(tds) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _text_cell(v, num: bool) -> str:
    if isinstance(v, tuple):
        text, raw = v
        key = _sort_key(raw, "number")
        return f'<td class="num" data-v="{key}">{html_text(text)}</td>'
    return f'<td class="num">{html_text(v)}</td>' if num else f"<td>{html_text(v)}</td>"


class Table:
    """A report table for ``display``: its HTML (``text/html``) and a plain-text form."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "\n".join(" | ".join(r) for r in [headers(self.html), *cells(self.html)])


def table(frame: pd.DataFrame, columns: Sequence[str | Col] | None = None, locale: str | None = "fr",
          **kwargs) -> Table:
    """:func:`table_html` as an object ``display`` shows (notebooks, Voila, the apps)."""
    return Table(table_html(frame, columns, locale, **kwargs))


# -- reading a table back (tests, doctests) ----------------------------------------------

class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._kind = ""

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row: list[str] = []
        if tag in ("th", "td"):
            self._cell, self._kind = [], tag

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            (self.head if self._kind == "th" else self._row).append(text)
            self._cell = None
        if tag == "tr" and getattr(self, "_row", None):
            self.rows.append(self._row)
            self._row = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def headers(html: str) -> list[str]:
    """The header texts of the tables in ``html``."""
    r = _Reader()
    r.feed(html)
    return r.head


def cells(html: str) -> list[list[str]]:
    """The body cells of the tables in ``html``, row by row (text as shown)."""
    r = _Reader()
    r.feed(html)
    return r.rows


# -- the page's sorting script --------------------------------------------------------------

#: Sorts any ``table.cx-sortable`` of the page when a header is clicked (ascending, then
#: descending; missing values last; numbers by their ``data-v``). Delegated from the
#: document, so it also sorts tables an app draws later. No external resource.
SORT_JS = """(function(){if(window.cxSortTables)return;window.cxSortTables=true;
function key(row,i){var c=row.cells[i];if(!c)return null;var v=c.getAttribute('data-v');
if(v===null){var t=c.textContent.trim();return t===''||t==='\\u2013'?null:t;}
if(v==='')return null;var x=parseFloat(v);return isNaN(x)?null:x;}
document.addEventListener('click',function(e){var th=e.target&&e.target.closest?e.target.closest('table.cx-sortable th'):null;
if(!th)return;var table=th.closest('table');var body=table.tBodies[0];if(!body)return;
var i=Array.prototype.indexOf.call(th.parentNode.children,th);
var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
Array.prototype.forEach.call(th.parentNode.children,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir>0?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a,i),y=key(b,i);if(x===null&&y===null)return 0;if(x===null)return 1;if(y===null)return -1;
if(typeof x==='number'&&typeof y==='number')return dir*(x-y);return dir*String(x).localeCompare(String(y),undefined,{numeric:true});});
rows.forEach(function(r){body.appendChild(r);});});})();"""

TABLE_CSS = """table.cx-table.cx-table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.88rem;
table-layout:auto;width:auto;max-width:100%}
table.cx-table.cx-table th,table.cx-table.cx-table td{border:none;border-bottom:1px solid #ddd;padding:.3rem .55rem;
text-align:left;vertical-align:top;white-space:normal}
table.cx-table.cx-table th{background:#f3f5f8;color:#1f3a5f;vertical-align:bottom}
table.cx-table.cx-table .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.cx-table.cx-table th.num{white-space:normal}
table.cx-sortable th{cursor:pointer;user-select:none}
table.cx-sortable th::after{content:" \\2195";color:#aaa;font-size:.8em}
table.cx-sortable th[aria-sort=ascending]::after{content:" \\25B2";color:#1f3a5f}
table.cx-sortable th[aria-sort=descending]::after{content:" \\25BC";color:#1f3a5f}
@media (max-width:600px){table.cx-table.cx-table{display:block;overflow-x:auto}}"""

#: What a page adds once to sort and style its report tables.
PAGE_ASSETS = f'<style id="cx-table-css">{TABLE_CSS}</style>\n<script id="cx-table-sort">{SORT_JS}</script>'


def with_page_assets(html: str) -> str:
    """``html`` with :data:`PAGE_ASSETS` before ``</body>`` (once; unchanged when present).

    >>> out = with_page_assets("<html><body><p>x</p></body></html>")
    >>> out.count("cx-table-sort"), with_page_assets(out) == out
    (1, True)
    """
    if 'id="cx-table-sort"' in html:
        return html
    i = html.lower().rfind("</body>")
    return html + PAGE_ASSETS if i < 0 else html[:i] + PAGE_ASSETS + "\n" + html[i:]
