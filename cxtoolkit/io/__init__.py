"""The only code that reads client files: readers, validation against the schemas, adapters.

``load(cfg)`` returns a :class:`ClientData` with every table of ``cfg.data`` in canonical
dtypes, the rejects (``table, file, row, column, value, reason``) and per-file counts;
``write_rejects`` writes them for the client. Published tables are written through
:mod:`cxtoolkit.io.export` (formula injection neutralised in one place).
"""
from cxtoolkit.io.adapters import anonymous_bank_to_contacts
from cxtoolkit.io.export import neutralise_formulas, write_csv, write_xlsx
from cxtoolkit.io.loader import ClientData, load, load_table, write_rejects
from cxtoolkit.io.readers import RawTable, read_file
from cxtoolkit.io.validate import REJECT_COLUMNS, empty_rejects, validate

__all__ = ["ClientData", "load", "load_table", "write_rejects", "neutralise_formulas", "write_csv", "write_xlsx",
           "read_file", "RawTable", "validate", "REJECT_COLUMNS", "empty_rejects", "anonymous_bank_to_contacts"]
