"""A frame printed on the terminal as the report tables show it: column labels, units and
code values in the client's language (:mod:`cxtoolkit.report.tables`), never code names."""
from __future__ import annotations


def print_frame(title: str, frame, columns: list, locale: str) -> None:
    """Print ``columns`` of ``frame`` (a name, or ``(frame column, label key)``) in a table.

    A column holding one label per language (``stage_label_fr``) is shown under its key
    (``stage_label``); ``unhappy_share`` -> « Clients très insatisfaits », 14,5 %, oui / non.
    """
    from rich.console import Console
    from rich.table import Table

    from cxtoolkit.report.labels import LABEL_COLUMNS
    from cxtoolkit.report.tables import NUMERIC_UNITS, column_label, column_unit, format_cell

    key_of = {col: key for key, cols in LABEL_COLUMNS.items() for col in cols}   # stage_label_fr -> stage_label
    pairs = [c if isinstance(c, tuple) else (c, key_of.get(c, c)) for c in columns]
    t = Table(title=title)
    for _, k in pairs:
        t.add_column(column_label(k, locale), justify="right" if column_unit(k) in NUMERIC_UNITS else "left")
    for row in frame[[c for c, _ in pairs]].itertuples(index=False):
        t.add_row(*(format_cell(v, column_unit(k), locale, label=k) for (_, k), v in zip(pairs, row)))
    Console().print(t)
