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
import sys
import types

__all__ = ["ClientData", "load", "load_table", "load_table_detailed", "write_rejects", "neutralise_formulas",
           "write_csv", "write_xlsx", "read_file", "RawTable", "validate", "REJECT_COLUMNS", "empty_rejects",
           "anonymous_bank_to_contacts"]

# The public names are imported on first use (PEP 562), as in ``cxtoolkit/__init__``: a module
# of the package that needs only pyarrow (:mod:`cxtoolkit.io.prefetch`, started by
# ``cxtoolkit validate`` before pandas is imported) must not pay for pandas through this file.
_LAZY = {"anonymous_bank_to_contacts": "cxtoolkit.io.adapters", "neutralise_formulas": "cxtoolkit.io.export",
         "write_csv": "cxtoolkit.io.export", "write_xlsx": "cxtoolkit.io.export",
         "ClientData": "cxtoolkit.io.loader", "load": "cxtoolkit.io.loader", "load_table": "cxtoolkit.io.loader",
         "load_table_detailed": "cxtoolkit.io.loader", "write_rejects": "cxtoolkit.io.loader",
         "RawTable": "cxtoolkit.io.readers", "read_file": "cxtoolkit.io.readers",
         "REJECT_COLUMNS": "cxtoolkit.io.validate", "empty_rejects": "cxtoolkit.io.validate",
         "validate": "cxtoolkit.io.validate"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value   # looked up once
        return value
    raise AttributeError(f"module 'cxtoolkit.io' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """``cxtoolkit.io.validate`` is both a module and the function the package exports under
    that name: the name stays the function (as when it was imported here eagerly), also once
    the import system binds the submodule to it."""

    @property
    def validate(self):
        from cxtoolkit.io.validate import validate

        return validate

    @validate.setter
    def validate(self, value) -> None:
        pass


sys.modules[__name__].__class__ = _Package
