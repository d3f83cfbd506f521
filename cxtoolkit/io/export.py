"""The one way a published table is written (CSV or Excel): formulas neutralised.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage
return) as a formula, so a customer's text (a country typed ``=HYPERLINK(...)``, a comment)
would run on the consultant's machine. Every CSV / XLSX the toolkit publishes goes
through :func:`write_csv` / :func:`write_xlsx` (and the KPI workbook's cells through
:func:`safe_cell`), which prefix such text with ``'``. Numbers are never touched: numeric
columns are written as they are, and a text cell holding a plain number (``-3``,
``-0.25``, ``+1e3``) is not a formula either.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2+3"), safe_cell("@SUM(A1)")
('\\'=HYPERLINK("http://x")', "'-2+3", "'@SUM(A1)")
>>> safe_cell("Paris"), safe_cell(-3), safe_cell("-3"), safe_cell("-0.25"), safe_cell(None)
('Paris', -3, '-3', '-0.25', None)
>>> df = pd.DataFrame({"country": ["=1+1", "FR"], "nps": [-12.5, 30.0], "n": ["-3", "+cmd|x"]})
>>> out = neutralise_formulas(df)
>>> out["country"].tolist(), out["nps"].tolist(), out["n"].tolist()
(["'=1+1", 'FR'], [-12.5, 30.0], ['-3', "'+cmd|x"])
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula;
    anything else (numbers, dates, plain numeric text, None) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_text(s: pd.Series) -> pd.Series:
    """:func:`safe_cell` applied to the text cells of ``s`` (same index and dtype family)."""
    if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
        return s                                         # numbers, booleans, dates: untouched
    cells = s.tolist()
    safe = [safe_cell(v) for v in cells]
    if all(a is b for a, b in zip(cells, safe)):
        return s
    return pd.Series(safe, index=s.index, dtype=s.dtype, name=s.name)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` whose text cells (columns and index) pass through :func:`safe_cell`;
    numeric columns are returned as they are."""
    out = df.copy()
    for i, c in enumerate(out.columns):
        out.isetitem(i, neutralise_text(out.iloc[:, i]))
    if not isinstance(out.index, pd.MultiIndex) and (out.index.dtype == object
                                                     or isinstance(out.index.dtype, pd.StringDtype)):
        out.index = pd.Index([safe_cell(v) for v in out.index], name=out.index.name, dtype=out.index.dtype)
    return out


def write_csv(df: pd.DataFrame, path: Path | str, *, index: bool = False, encoding: str = "utf-8",
              **kwargs) -> Path:
    """Write ``df`` as CSV with formulas neutralised (see the module docstring)."""
    path = Path(path)
    neutralise_formulas(df).to_csv(path, index=index, encoding=encoding, **kwargs)
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path | str, *, index: bool = False) -> Path:
    """Write ``{sheet name: frame}`` as one Excel workbook with formulas neutralised."""
    path = Path(path)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            neutralise_formulas(df).to_excel(xw, sheet_name=str(name)[:31], index=index)
    return path
