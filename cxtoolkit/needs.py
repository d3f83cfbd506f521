"""What data each standard page needs: the one declaration the audit (which notebooks to
skip) and the apps (which tables to load) both read.

A page is skipped with a reason, never failed, when its data is missing: partial data is
normal (an audit of a client with only daily reports runs the KPI and ROI pages).
This module imports nothing from the package: the audit layer and the apps layer import it,
neither imports the other for it.

>>> PAGE_NEEDS["journey"].missing_data({"responses": None})
'no responses data (client.yml data.responses)'
>>> PAGE_NEEDS["kpis"].missing_data({"daily_reports": 12}), PAGE_NEEDS["quality"].missing_data({"evaluations": 0})
('', 'no evaluations rows in the period')
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataNeeds", "PAGE_NEEDS"]


@dataclass(frozen=True)
class DataNeeds:
    """``tables``: tables the page loads when the client has them; ``required``: tables that
    must hold rows; ``needs_any``: at least one of these must hold rows."""

    tables: tuple[str, ...]
    required: tuple[str, ...] = ()
    needs_any: tuple[str, ...] = ()

    def missing_data(self, rows: dict[str, int | None]) -> str:
        """Why the page has nothing to show, "" when its data is there.

        ``rows``: rows per table, None when the client has no such table.
        """
        def why(table: str) -> str:
            n = rows.get(table)
            return (f"no {table} data (client.yml data.{table})" if n is None
                    else f"no {table} rows in the period" if n == 0 else "")

        for table in self.required:
            if why(table):
                return why(table)
        if self.needs_any and all(why(t) for t in self.needs_any):
            return "no " + ", ".join(self.needs_any[:-1]) + f" nor {self.needs_any[-1]} data"
        return ""


PAGE_NEEDS: dict[str, DataNeeds] = {
    "kpis": DataNeeds(("contacts", "responses", "sends", "daily_reports"),
                      needs_any=("contacts", "daily_reports", "responses")),
    "journey": DataNeeds(("responses", "contacts"), required=("responses",)),
    "verbatims": DataNeeds(("responses",), required=("responses",)),
    "quality": DataNeeds(("evaluations", "agents", "responses"), required=("evaluations",)),
    "staffing": DataNeeds(("contacts",), required=("contacts",)),
}
