"""The audit's KPI workbook (Excel): one sheet per view, bilingual headers, RAG fills.

The first sheet says what the workbook covers (client, period, formulas) and the data it read:
rows read = accepted + rejected per file, as the deck and the index page. Each view of
:func:`cxtoolkit.audit.collect.compute_views` (overall, by channel, by
country, by month, by week) becomes a sheet. Row 1 holds the French labels of the KPI
registry, row 2 the English ones, row 3 the keys (hidden: code names are for formulas and
scripts, not for the reader); each value cell with a target is filled
green / amber / red from :func:`cxtoolkit.kpis.registry.rag` (client targets included).
Text cells are neutralised against formula injection: a cell starting with ``=``, ``+``,
``-``, ``@`` (or a tab / carriage return) gets a leading ``'``.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("Paris"), safe_cell(-3)
('Paris', -3)
"""
from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.audit.index import run_time
from cxtoolkit.io.export import safe_cell
from cxtoolkit.kpis.commentary import band_legend
from cxtoolkit.kpis.registry import HALF_WIDTH_KPIS, KPIS, rag
from cxtoolkit.messages import client_locale, has, pair, text
from cxtoolkit.report.tables import column_label, data_counts, period_label, service_level_words, value_label
from cxtoolkit.rules import days_covered, excel_format, month_first, week_monday

SHEET_TITLES = {
    "overall": "Global - Overall",
    "channel": "Par canal - By channel",
    "country": "Par pays - By country",
    "month": "Par mois - By month",
    "week": "Par semaine - By week",
}
FILLS = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}


#: About items that are days: real Excel dates (sortable, usable in a formula), shown as
#: the reader writes a day (:func:`day_format`)
DAY_ITEMS = ("from", "to")


def day_format(locale: str | None = "fr") -> str:
    """The Excel number format of a day as the reader writes it: the ``common.date`` pattern
    of :func:`cxtoolkit.report.tables.format_date`, in Excel's codes.

    >>> day_format("fr"), day_format("en")
    ('dd/mm/yyyy', 'yyyy-mm-dd')
    """
    fmt = text("common.date", client_locale(locale))
    for code, excel in (("%d", "dd"), ("%m", "mm"), ("%Y", "yyyy")):
        fmt = fmt.replace(code, excel)
    return fmt


def week_format(locale: str | None = "fr") -> str:
    """The Excel number format of a week's row: its Monday, a real date (sorts, filters), read
    as a week (``sem. du 28/09/2026`` / ``wk of 2026-09-28``).

    >>> week_format("fr"), week_format("en")
    ('"sem. du "dd/mm/yyyy', '"wk of "yyyy-mm-dd')
    """
    return f'"{text("common.week_of", client_locale(locale))}"{day_format(locale)}'


def date_format(column: str, locale: str | None = "fr") -> str:
    """The Excel number format of a row's date (:func:`_row_label`): a week's Monday read as
    its week (:func:`week_format`), a month's first day as its name in the workbook's language
    (``octobre 2026`` / ``August 2026``: :func:`cxtoolkit.rules.excel_format`).

    >>> date_format("month", "fr"), date_format("week", "en")
    ('[$-40C]mmmm yyyy', '"wk of "yyyy-mm-dd')
    """
    return excel_format("month", locale) if column == "month" else week_format(locale)


def _day(v) -> date | None:
    """An ISO day (``2026-10-01``) or a date as a date; None for anything else (``—``)."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(v.strip()) if isinstance(v, str) else None
    except ValueError:
        return None


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, str):
        return safe_cell(v)
    if isinstance(v, (bool, np.bool_)):   # oui / yes: an Excel boolean reads FAUX / FALSE
        return " / ".join(pair("common.yes" if v else "common.no"))
    try:
        f = float(v)
    except (TypeError, ValueError):
        return safe_cell(str(v))
    if math.isnan(f) or math.isinf(f):
        return None
    return int(f) if float(f).is_integer() and not isinstance(v, float) else f


def _row_label(column: str, code):
    """A row's segment by its labels, French / English as the headers (``téléphone / phone``,
    ``Espagne / Spain``: :func:`cxtoolkit.report.tables.value_label`), else as is.

    A week is its Monday (a real date, :func:`week_format`), a month its first day (a real
    date shown by its name, :func:`date_format`): they sort by date and serve in a formula.

    >>> _row_label("channel", "phone"), _row_label("country", "ES"), _row_label("week", "2026-W40")
    ('téléphone / phone', 'Espagne / Spain', datetime.date(2026, 9, 28))
    >>> _row_label("month", "2026-08")
    datetime.date(2026, 8, 1)
    >>> _row_label("overall", "overall")
    'Ensemble / Overall'

    """
    if column == "week" and (monday := week_monday(code)) is not None:
        return monday
    if column == "month" and (first := month_first(code)) is not None:
        return first
    if code == column:                  # the overall view's one row: Ensemble / Overall
        fr, en = column_label(column, "fr"), column_label(column, "en")
    else:
        fr, en = value_label(column, code, "fr"), value_label(column, code, "en")
    if fr is None or en is None:
        return _cell_value(code)
    return safe_cell(fr if fr == en else f"{fr} / {en}")


def write_workbook(views: dict[str, pd.DataFrame], path: Path | str, targets: dict | None = None,
                   about: dict | None = None, locale: str = "fr", counts: dict | None = None) -> Path:
    """Write the KPI views to ``path`` (.xlsx) and return it.

    ``about`` (client, period, service-level variant, …) fills a first "Lisez-moi / About" sheet;
    its ``generated`` time is written for people in ``locale`` (:func:`cxtoolkit.audit.index.run_time`).
    ``counts`` (the load's rows read, accepted and rejected per table) is shown under it, as the
    deck's appendix and the index page show it (:func:`cxtoolkit.report.tables.data_counts`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Lisez-moi - About"
    ws.append(["Rubrique / Item", "Valeur / Value"])
    for k, v in (about or {}).items():   # each item by its label, French / English (else its key)
        item = " / ".join(pair(f"report.workbook.about.{k}")) if has(f"report.workbook.about.{k}") else str(k)
        fmt = None                       # a real date's number format (it sorts, serves in a formula)
        if k == "generated" and isinstance(v, str):
            v = run_time(v, locale)
        elif k == "period" and (first := month_first(v)) is not None:
            v, fmt = first, date_format("month", locale)     # a month: shown by its name
        elif k == "period":              # "all": toutes les données / all data (French / English, as the sheet)
            v = " / ".join(dict.fromkeys(period_label(v, loc) for loc in ("fr", "en")))
        elif k == "service_level_formula" and has(f"views.kpis.service_level_variant.{v}"):
            # a formula code in words in the reader's language (its own "/" is a division); words as given
            v = service_level_words(v, (about or {}).get("service_level_s", 20), locale)
        elif k in DAY_ITEMS and (day := _day(v)) is not None:
            v, fmt = day, day_format(locale)                 # shown as the reader writes a day
        ws.append([safe_cell(item), v if fmt else _cell_value(v if not isinstance(v, (list, dict)) else str(v))])
        if fmt:
            ws.cell(row=ws.max_row, column=2).number_format = fmt
    ws.append([])
    legend = [text("report.workbook.colours_legend", loc, complements=band_legend(targets, loc)) for loc in ("fr", "en")]
    ws.append([" / ".join(pair("report.workbook.colours")), " / ".join(legend)])
    bold = Font(bold=True)
    data = {loc: data_counts(counts, loc) for loc in ("fr", "en")}
    if len(data["fr"]):                  # rows read = accepted + rejected, per file
        ws.append([])
        ws.append([" / ".join(pair("report.workbook.data"))])
        ws.cell(row=ws.max_row, column=1).font = bold
        ws.append([safe_cell(" / ".join(dict.fromkeys(column_label(k, loc) for loc in ("fr", "en"))))
                   for k in data["fr"].columns])
        for c in ws[ws.max_row]:
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for fr, en in zip(data["fr"].itertuples(index=False), data["en"].itertuples(index=False)):
            ws.append([safe_cell(fr[0] if fr[0] == en[0] else f"{fr[0]} / {en[0]}"), safe_cell(fr[1])]
                      + [_cell_value(v) for v in fr[2:]])
            for c in ws[ws.max_row][2:]:
                c.number_format = excel_format("count", locale)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    for k in "CDEFG":
        ws.column_dimensions[k].width = 14
    for c in ws[1]:
        c.font = bold

    fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in FILLS.items()}
    for view, frame in views.items():
        if frame is None:
            continue
        ws = wb.create_sheet(SHEET_TITLES.get(view, str(view))[:31])
        seg = str(frame.index.name or view)
        span = [_day((about or {}).get(k)) for k in DAY_ITEMS]   # "—" (no period day): none
        if seg == "week" and any(span):  # a partial week (1–4 October) is not read as a full one
            frame = frame.assign(days_covered=[days_covered(str(w), *span) for w in frame.index])
        cols = list(frame.columns)
        for loc in ("fr", "en"):        # the cut by its label (Semaine / Week), not its code
            ws.append([safe_cell(column_label(seg, loc))] +
                      [safe_cell(KPIS[c].label(loc) if c in KPIS else text(f"report.workbook.{c}", loc)
                                 if c == "days_covered" else c) for c in cols])
        ws.append(["key"] + [safe_cell(c) for c in cols])
        ws.row_dimensions[3].hidden = True   # the keys, for formulas and scripts: not for the reader
        for row in ws.iter_rows(min_row=1, max_row=3):
            for c in row:
                c.font = bold
                c.alignment = Alignment(wrap_text=True, vertical="top")
        # one pass building the rows, RAG computed per cell from the registry
        values = frame.to_numpy(dtype=object)
        status = [[rag(c, v, targets) if c in KPIS else None for c, v in zip(cols, r)] for r in values]
        for label, r, st in zip(frame.index, values, status):
            ws.append([_row_label(seg, label)] + [_cell_value(v) for v in r])
            xl_row = ws.max_row
            if isinstance(ws.cell(row=xl_row, column=1).value, (date, datetime)):
                ws.cell(row=xl_row, column=1).number_format = date_format(seg, locale)
            for j, (c, s) in enumerate(zip(cols, st), start=2):
                cell = ws.cell(row=xl_row, column=j)
                if c in KPIS:
                    # as format_value writes it on the pages and in the deck
                    cell.number_format = excel_format("half_width" if c in HALF_WIDTH_KPIS else KPIS[c].unit, locale)
                if s in fills:
                    cell.fill = fills[s]
        ws.freeze_panes = "B4"
        # as wide as its labels (téléphone / phone), within reason
        shown = [len(str(c.value)) for c in ws["A"][3:] if isinstance(c.value, str)]
        ws.column_dimensions["A"].width = min(max([18, *(n + 2 for n in shown)]), 36)
        for j in range(2, len(cols) + 2):
            ws.column_dimensions[get_column_letter(j)].width = 14
    path = Path(path)
    wb.save(path)
    return path
