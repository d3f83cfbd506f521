"""A contacts CSV read and checked by DuckDB: the reference a ``cxtoolkit validate`` process is
measured against (``benchmarks/bench_cli.py --csv``).

DuckDB's CSV reader (all columns as text, as cxtoolkit reads them), then the cells typed with
``TRY_STRPTIME`` / ``TRY_CAST`` and the rows counted: read, rows with a bad date, wait, yes/no
or channel, or repeating an earlier id (rejected), accepted. A data engineer's script: the same questions,
none of the reject table, blanked cells, or warnings. Run as a whole process::

    python benchmarks/ingest_duckdb.py contacts.csv [--french]       # prints JSON
"""
from __future__ import annotations

import json
import sys

import duckdb


def check(path: str, french: bool = False) -> dict:
    sep, fmt = (";", "%d/%m/%Y %H:%M:%S") if french else (",", "%Y-%m-%d %H:%M:%S")

    def num(c: str) -> str:
        return f"TRY_CAST(replace({c}, ',', '.') AS DOUBLE)" if french else f"TRY_CAST({c} AS DOUBLE)"

    con = duckdb.connect()
    sql = f"""
    WITH raw AS (SELECT *, row_number() OVER () AS line
                 FROM read_csv({path!r}, delim={sep!r}, header=true, all_varchar=true)),
    typed AS (
      SELECT contact_id, row_number() OVER (PARTITION BY contact_id ORDER BY line) AS n_id,
             TRY_STRPTIME(received_at, {fmt!r}) AS received_at,
             lower(answered) IN ('true', 'false', 'oui', 'non', '1', '0', 'yes', 'no') AS answered_ok,
             {num('wait_s')} AS wait_s, wait_s AS wait_txt,
             {num('talk_s')} AS talk_s,
             channel IN ('phone', 'email', 'chat', 'social', 'messaging') AS channel_ok
      FROM raw)
    SELECT count(*) AS read,
           count(*) FILTER (WHERE received_at IS NOT NULL AND answered_ok AND channel_ok AND n_id = 1
                            AND (wait_s >= 0 OR wait_txt IS NULL))
             AS accepted
    FROM typed"""
    read, accepted = con.execute(sql).fetchone()
    return {"read": read, "accepted": accepted, "rejected": read - accepted}


if __name__ == "__main__":
    print(json.dumps(check(sys.argv[1], "--french" in sys.argv[2:])))
