"""Contact KPIs out of core: DuckDB SQL over Parquet, memory bounded (100M contacts on one machine).

The same definitions as :mod:`cxtoolkit.kpis.contacts` (business hours per country and public
holidays from the ``holidays`` package, short abandons, offered, repeat window, censoring…)
written in SQL, for the KPIs of :data:`CHECK` only (overall, no cut): a file too large for
pandas is scanned by DuckDB, which spills to disk past ``memory_limit``. No row-level
validation: the input is a typed, clean Parquet export (as ``cxtoolkit`` writes it, or a
data warehouse's); rows DuckDB cannot read as the types below fail the whole run.

Imports only duckdb, holidays and the client's configuration (no pandas), so the benchmark's
reference script (``benchmarks/kpis_duckdb.py``) is this module.

Examples
--------
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="x")
>>> "answer_rate" in CHECK and "median(wait_s / 3600)" in agg_sql(cfg)
True
"""
from __future__ import annotations

from pathlib import Path

#: the KPIs this engine computes, identical to the pandas engine's (registry keys; tests/test_outofcore.py)
CHECK = ["inbound", "hno_calls", "short_abandons", "offered", "answered", "abandoned", "answer_rate",
         "asa_s", "service_level", "aht_s", "email_received", "email_response_h_mean",
         "email_response_h_median", "email_within_24h", "chat_within_60s", "repeat_rate",
         "repeat_censored", "resolved_rate"]


def _values(rows: list[tuple], names: str, types: str) -> str:
    """A SQL ``VALUES`` relation (typed, possibly empty)."""
    if not rows:
        return f"(SELECT {', '.join(f'NULL::{t} AS {n}' for n, t in zip(names.split(','), types.split(',')))} LIMIT 0)"
    body = ", ".join("(" + ", ".join(repr(v) if not isinstance(v, str) or not v.startswith("DATE ") else v
                                     for v in r) + ")" for r in rows)
    return f"(SELECT * FROM (VALUES {body}) AS t({names}))"


def flags_sql(cfg, countries: list[str], y0: int, y1: int, source: str = "contacts") -> str:
    """``CREATE TEMP TABLE f``: one row per contact with its country, hour, channel and flags."""
    import holidays

    from cxtoolkit.config import DAYS, parse_hhmm

    hours = [(c, DAYS.index(d), round(parse_hhmm(s) * 60), round(parse_hhmm(e) * 60))
             for c in countries for d, (s, e) in cfg.hours_for(c).items()]
    hol = []
    for c in countries:
        try:
            cal = holidays.country_holidays(c, years=range(y0, y1 + 1))
        except NotImplementedError:
            continue
        hol += [(c, f"DATE '{d.isoformat()}'") for d in cal]
    k = cfg.kpi
    window_us = int(k.repeat_window_days * 86400 * 1_000_000)
    return f"""
    CREATE TEMP TABLE f AS
    WITH hours AS {_values(hours, 'cc,wd,start_m,end_m', 'VARCHAR,INTEGER,INTEGER,INTEGER')},
    hol AS {_values(hol, 'cc,d', 'VARCHAR,DATE')},
    b AS (
      SELECT c.*, coalesce(upper(CAST(c.country AS VARCHAR)), '{cfg.country}') AS cc,
             isodow(received_at) - 1 AS wd,
             (epoch_us(received_at) - epoch_us(date_trunc('day', received_at))) / 60e6 AS tod_m,
             CAST(received_at AS DATE) AS d,
             CAST(c.channel AS VARCHAR) AS ch, hour(received_at) AS hr
      FROM {source} c),
    r AS (
      SELECT *, min(received_at) OVER (PARTITION BY customer_id ORDER BY received_at
                RANGE BETWEEN INTERVAL 1 MICROSECOND FOLLOWING AND INTERVAL {window_us} MICROSECONDS FOLLOWING)
                IS NOT NULL AND customer_id IS NOT NULL AS rep
      FROM b)
    SELECT r.cc AS country, r.hr AS hour, r.ch, r.answered, r.wait_s, r.resolved,
           CASE WHEN r.talk_s IS NULL AND r.hold_s IS NULL AND r.wrap_s IS NULL THEN NULL
                ELSE coalesce(r.talk_s, 0) + coalesce(r.hold_s, 0) + coalesce(r.wrap_s, 0) END AS handle,
           r.rep, r.customer_id IS NOT NULL AS has_cust,
           epoch_us(r.received_at) + {window_us} > (SELECT max(epoch_us(received_at)) FROM {source}) AS cens,
           (h.start_m IS NOT NULL AND r.tod_m >= h.start_m AND r.tod_m < h.end_m AND hol.d IS NULL) AS inh
    FROM r LEFT JOIN hours h ON h.cc = r.cc AND h.wd = r.wd
           LEFT JOIN hol ON hol.cc = r.cc AND hol.d = r.d
    """


def agg_sql(cfg) -> str:
    """The SELECT list of the KPIs of :data:`CHECK` over table ``f``."""
    k = cfg.kpi
    S, T = k.short_abandon_s, k.service_level_s
    off = f"count(*) FILTER (ch = 'phone' AND inh AND NOT (NOT answered AND coalesce(wait_s < {S}, false)))"
    ans = "count(*) FILTER (ch = 'phone' AND inh AND answered)"
    em = "count(*) FILTER (ch = 'email')"
    return f"""
      count(*) FILTER (ch = 'phone') AS inbound,
      count(*) FILTER (ch = 'phone' AND NOT inh) AS hno_calls,
      count(*) FILTER (ch = 'phone' AND inh AND NOT answered AND wait_s < {S}) AS short_abandons,
      {off} AS offered,
      {ans} AS answered,
      count(*) FILTER (ch = 'phone' AND inh AND NOT answered AND NOT coalesce(wait_s < {S}, false)) AS abandoned,
      {ans} / nullif({off}, 0) AS answer_rate,
      avg(wait_s) FILTER (ch = 'phone' AND inh AND answered) AS asa_s,
      count(*) FILTER (ch = 'phone' AND inh AND answered AND wait_s <= {T}) / nullif({off}, 0) AS service_level,
      avg(handle) FILTER (ch = 'phone' AND inh AND answered) AS aht_s,
      {em} AS email_received,
      avg(wait_s / 3600) FILTER (ch = 'email' AND answered) AS email_response_h_mean,
      median(wait_s / 3600) FILTER (ch = 'email' AND answered) AS email_response_h_median,
      count(*) FILTER (ch = 'email' AND answered AND wait_s <= 86400) / nullif({em}, 0) AS email_within_24h,
      count(*) FILTER (ch = 'chat' AND answered AND wait_s <= 60) / nullif(count(*) FILTER (ch = 'chat'), 0) AS chat_within_60s,
      count(*) FILTER (answered AND has_cust AND rep) / nullif(count(*) FILTER (answered AND has_cust), 0) AS repeat_rate,
      count(*) FILTER (answered AND has_cust AND cens) AS repeat_censored,
      count(*) FILTER (answered AND resolved) / nullif(count(*) FILTER (answered AND resolved IS NOT NULL), 0) AS resolved_rate
    """


def countries_and_years(con, cfg, source: str = "contacts") -> tuple[list[str], int, int]:
    """The client's country first, then the others found in the data; first and last year."""
    found = {r[0] for r in con.execute(f"SELECT DISTINCT upper(CAST(country AS VARCHAR)) FROM {source} "
                                       "WHERE country IS NOT NULL").fetchall()}
    y0, y1 = con.execute(f"SELECT year(min(received_at)), year(max(received_at)) FROM {source}").fetchone()
    return [cfg.country] + sorted(found - {cfg.country}), y0, y1


def overall(cfg, parquet: str | Path, *, memory_limit: str | None = None, threads: int | None = None,
            temp_dir: str | Path | None = None) -> dict[str, float | None]:
    """The KPIs of :data:`CHECK` over the contacts of a Parquet file (or a glob of files).

    ``memory_limit`` (e.g. ``"4GB"``) bounds DuckDB's memory; past it, it spills to
    ``temp_dir``. Undefined values are None (as in ``cxtoolkit kpis --json``).
    """
    import duckdb

    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if temp_dir:
        con.execute(f"SET temp_directory = '{Path(temp_dir).as_posix()}'")
    con.execute("CREATE VIEW contacts AS SELECT * FROM read_parquet(" + repr(str(parquet)) + ")")
    countries, y0, y1 = countries_and_years(con, cfg)
    con.execute(flags_sql(cfg, countries, y0, y1))
    cur = con.execute(f"SELECT {agg_sql(cfg)} FROM f")
    names = [d[0] for d in cur.description]
    return dict(zip(names, (None if v is None else float(v) for v in cur.fetchone())))
