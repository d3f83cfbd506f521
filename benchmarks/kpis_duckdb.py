"""The contact KPIs as one DuckDB SQL script: the reference a ``cxtoolkit kpis`` process is
measured against (``benchmarks/bench_cli.py``, ``benchmarks/bench_kpis.py``).

The SQL is :mod:`cxtoolkit.outofcore` (``cxtoolkit kpis --engine duckdb``): the same
definitions as :mod:`cxtoolkit.kpis.contacts`; no validation (the input is assumed clean).
Run as a whole process::

    python benchmarks/kpis_duckdb.py client.yml contacts.parquet     # prints JSON

Imports only duckdb, holidays and the client's configuration (no pandas), as a script a
data engineer would write.
"""
from __future__ import annotations

import json
import sys

from cxtoolkit.outofcore import CHECK, agg_sql, countries_and_years, flags_sql  # noqa: F401 (re-exported)


def overall(config: str, parquet: str) -> dict:
    import duckdb

    from cxtoolkit.config import load_config
    from cxtoolkit.outofcore import overall as run

    con = duckdb.connect()
    con.execute("CREATE VIEW contacts AS SELECT * FROM read_parquet(" + repr(str(parquet)) + ")")
    return run(load_config(config), con)


if __name__ == "__main__":
    print(json.dumps(overall(sys.argv[1], sys.argv[2])))
