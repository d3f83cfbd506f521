"""The only code that reads client files: readers, mappings and presets, validation against
the schemas.

``load(cfg)`` returns a :class:`ClientData` with every table of ``cfg.data`` in canonical
dtypes (each read through its client.yml mapping, :mod:`cxtoolkit.io.mapping`, or the preset
its header matches, :mod:`cxtoolkit.io.presets`), the rejects (``table, file, row, column,
value, reason``), the blanked cells, per-file counts and warnings (``ClientData.meta()``);
``write_rejects`` writes the rejects for the client. :mod:`cxtoolkit.io.inspect` describes a
new file and proposes its mapping. Published tables are written through
:mod:`cxtoolkit.io.export` (formula injection neutralised in one place).
:mod:`cxtoolkit.io.duckdb_source` opens a file larger than memory in DuckDB and writes its
rejects (``cxtoolkit kpis --engine duckdb``; imported on demand, not here).
"""
from cxtoolkit.io.adapters import anonymous_bank_to_contacts
from cxtoolkit.io.export import neutralise_formulas, write_csv, write_xlsx
from cxtoolkit.io.loader import ClientData, load, load_table, load_table_detailed, write_rejects
from cxtoolkit.io.readers import RawTable, read_file
from cxtoolkit.io.validate import REJECT_COLUMNS, empty_rejects, validate

__all__ = ["ClientData", "load", "load_table", "load_table_detailed", "write_rejects", "neutralise_formulas",
           "write_csv", "write_xlsx", "read_file", "RawTable", "validate", "REJECT_COLUMNS", "empty_rejects",
           "anonymous_bank_to_contacts"]
