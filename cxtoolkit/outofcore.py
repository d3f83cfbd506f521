"""Contact KPIs out of core: DuckDB SQL over Parquet or CSV, memory bounded (100M contacts on one machine).

``cxtoolkit kpis --engine duckdb``. The same definitions as :mod:`cxtoolkit.kpis.contacts`
(business hours per country and public holidays from the ``holidays`` package, short
abandons, offered, service-level formula, repeat window, censoring…) and the same
validation as :func:`cxtoolkit.io.validate.validate` for the contacts table, written in SQL:
a file too large for pandas is scanned by DuckDB, which spills to disk past ``memory_limit``.

Validation (the rules of :data:`cxtoolkit.schemas.CONTACTS`): headers mapped by their aliases
(:meth:`~cxtoolkit.schemas.Schema.resolve`), required columns, values parsed as the io layer
parses them (ISO and day-first dates, a column showing month-first dates read month-first,
French booleans from :data:`~cxtoolkit.schemas.TRUE_WORDS`, durations in seconds with a
decimal comma or ``hh:mm:ss``, channel synonyms through
:meth:`~cxtoolkit.schemas.Column.canonical_value` on each distinct value), missing values,
minimum / maximum, dates in the future, waits absurd for their channel, answered without a
wait, duplicate ``contact_id``; invalid optional cells are blanked (:func:`~cxtoolkit.io.validate.soft_columns`),
alias-matched columns whose values mostly do not fit are ignored. A bad row gets file, row,
column, value and reason in the rejects table; ``read == accepted + rejected``. The rules not
done in SQL are named in :attr:`Result.warnings` when the file needs them (:data:`NOT_IN_SQL`).
The period (``--from`` / ``--to``) is :func:`cxtoolkit.rules.in_period` given DuckDB expressions
(:func:`period_sql`): the accepted rows outside it are counted, not rejected, as :func:`cxtoolkit.io.load`
does.

No file here: :mod:`cxtoolkit.io.duckdb_source` opens the file (the relation ``src`` handed to
:func:`compute`, or a view for :func:`overall`) and writes the rejects (``on_rejects``); this
module is SQL over relations. Survey answers: :func:`survey_counts` counts them in SQL generated
from :func:`cxtoolkit.kpis.surveys.answer_flags` (the rules of :mod:`cxtoolkit.rules` given DuckDB
expressions, no second definition) and :func:`cxtoolkit.kpis.surveys.survey_figures` makes the
KPIs, as for the pandas engine (:func:`survey_results`, with the sends' counts for the
response rate); the answers and sends are validated by :func:`compute` (``table=``) with their
schema's rules, as the contacts.

Examples
--------
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="x")
>>> "answer_rate" in CHECK and "median(wait_s / 3600)" in agg_sql(cfg)
True
>>> duration_reason(24 * 3600.0), duration_reason(60 * 86400.0, days=True)
('absurd: above 24 h', 'absurd: above 60 days')
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: the KPIs the reference script of the benchmarks compares (registry keys; the engine computes
#: every contact KPI of the pandas engine, :func:`kpi_keys`)
CHECK = ["inbound", "hno_calls", "short_abandons", "offered", "answered", "abandoned", "answer_rate",
         "asa_s", "service_level", "aht_s", "email_received", "email_response_h_mean",
         "email_response_h_median", "email_within_24h", "chat_within_60s", "repeat_rate",
         "repeat_censored", "resolved_rate"]

#: rules of the pandas validation this engine does not do, by the column that needs them (a warning
#: names them when the file has that column or shape)
NOT_IN_SQL = {   # each rule's text: ``outofcore.rule.<value>`` in the message catalogue (:func:`_not_in_sql`)
    "answered_at": "derived_answered",
    "abandoned_at": "derived_answered",
    "received_date": "received_date",
    "handle_s": "handle_s",
    "offsets": "offsets",
    "thousands": "thousands",
    "lines": "lines",
}


def _not_in_sql(what: str, key: str, locale: str, **values) -> str:
    """The warning ``outofcore.warning.<key>`` naming the rule ``NOT_IN_SQL[what]`` in ``locale``."""
    from cxtoolkit.messages import text

    return text(f"outofcore.warning.{key}", locale, rule=text(f"outofcore.rule.{NOT_IN_SQL[what]}", locale), **values)

#: the rejects are kept as a DataFrame (and may be written as CSV) up to this many
KEEP_REJECTS = 1_000_000

MISSING = "(missing)"
#: the canonical columns the contact KPIs read (:data:`cxtoolkit.kpis.contacts.COLUMNS`, without pandas)
KPI_COLUMNS = ("channel", "received_at", "answered", "wait_s", "country", "handled_by", "customer_id", "resolved",
               "talk_s", "hold_s", "wrap_s")


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def duration_reason(limit_s: float, days: bool = False, locale: str = "en") -> str:
    """The reject reason of a duration above ``limit_s`` (the io layer's wording,
    :func:`cxtoolkit.io.validate.reason_text`)."""
    from cxtoolkit.io.validate import reason_text

    return reason_text("above_days", locale, days=limit_s / 86400) if days else \
        reason_text("above_hours", locale, hours=limit_s / 3600)


class _Sql(str):
    """SQL text inlined as it is in :func:`_values` (a ``DATE '…'`` literal)."""


def _values(rows: list[tuple], names: str, types: str) -> str:
    """A SQL ``VALUES`` relation (typed, possibly empty)."""
    if not rows:
        return f"(SELECT {', '.join(f'NULL::{t} AS {n}' for n, t in zip(names.split(','), types.split(',')))} LIMIT 0)"
    body = ", ".join("(" + ", ".join(v if isinstance(v, _Sql) else _lit(v) for v in r) + ")" for r in rows)
    return f"(SELECT * FROM (VALUES {body}) AS t({names}))"


def flags_sql(cfg, countries: list[str], y0: int, y1: int, source: str = "contacts",
              carry: tuple[str, ...] = (), keep: str = "") -> str:
    """``CREATE TEMP TABLE f``: one row per contact with its country, hour, channel and flags
    (and the columns ``carry`` of ``source``, for the cuts). ``keep``: a condition on
    ``received_at`` (a period) — the rows of ``f``; the others of ``source`` (the contacts
    after the period) can still make one a repeat, and the censoring is judged against the
    last of ``source`` (as :func:`cxtoolkit.kpis.contacts.repeat_flags`'s ``later``)."""
    import holidays

    from cxtoolkit.config import DAYS, parse_hhmm

    hours = [(c, DAYS.index(d), round(parse_hhmm(s) * 60), round(parse_hhmm(e) * 60))
             for c in countries for d, (s, e) in cfg.hours_for(c).items()]
    hol = []
    for c in countries if not cfg.open_on_public_holidays else ():
        try:
            cal = holidays.country_holidays(c, years=range(y0, y1 + 1))
        except NotImplementedError:
            continue
        hol += [(c, _Sql(f"DATE '{d.isoformat()}'")) for d in cal]
    from duckdb import ColumnExpression as C

    from cxtoolkit import rules

    k = cfg.kpi
    window_us = rules.repeat_window_us(k.repeat_window_days)
    handle = rules.handle_time(C("talk_s"), C("hold_s"), C("wrap_s"))
    extra = "".join(f", r.{_q(c)}" for c in carry)
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
           {handle} AS handle,
           r.rep, r.customer_id IS NOT NULL AS has_cust,
           epoch_us(r.received_at) + {window_us} > (SELECT max(epoch_us(received_at)) FROM {source}) AS cens,
           (h.start_m IS NOT NULL AND r.tod_m >= h.start_m AND r.tod_m < h.end_m AND hol.d IS NULL) AS inh,
           r.received_at, r.handled_by{extra}
    FROM r LEFT JOIN hours h ON h.cc = r.cc AND h.wd = r.wd
           LEFT JOIN hol ON hol.cc = r.cc AND hol.d = r.d
    {f"WHERE {keep}" if keep else ""}
    """


def contact_rules_sql(short_abandon_s: float, service_level_s: float, answered: str = "answered",
                      wait: str = "wait_s") -> dict[str, str]:
    """The SQL of the contact rules of :mod:`cxtoolkit.rules` (the rules themselves, given
    DuckDB expressions of the columns ``answered`` and ``wait``; never NULL): ``answered``,
    ``has_wait``, ``short_abandon``, ``abandoned``, ``within_sl`` (the service-level threshold),
    ``within_5h``, ``within_24h``, ``within_chat``.

    >>> contact_rules_sql(5, 20)["answered"]
    'COALESCE("answered", FALSE)'
    """
    from duckdb import ColumnExpression, SQLExpression

    from cxtoolkit import rules

    def col(x: str):
        return ColumnExpression(x) if x.isidentifier() else SQLExpression(x)

    a, w = col(answered), col(wait)
    five_h, day = rules.EMAIL_WITHIN_S
    exprs = {"answered": rules.answered(a), "has_wait": rules.present(w),
             "short_abandon": rules.short_abandon(a, w, short_abandon_s),
             "abandoned": rules.abandoned(a, w, short_abandon_s),
             "within_sl": rules.within(w, service_level_s), "within_5h": rules.within(w, five_h),
             "within_24h": rules.within(w, day), "within_chat": rules.within(w, rules.CHAT_WITHIN_S)}
    return {k: str(e) for k, e in exprs.items()}


def agg_sql(cfg, handled_by: bool = False, resolved: bool = True) -> str:
    """The SELECT list of the contact KPIs (the pandas engine's keys, in its order) over table ``f``."""
    k = cfg.kpi
    r = contact_rules_sql(k.short_abandon_s, k.service_level_s)
    A, W = r["answered"], r["has_wait"]

    def n(cond: str) -> str:
        return f"count(*) FILTER ({cond})"

    inb = "ch = 'phone'"
    hno = "ch = 'phone' AND NOT inh"
    ph = "ch = 'phone' AND inh"
    ans = f"{ph} AND {A}"
    off = f"{ph} AND NOT {r['short_abandon']}"
    aband = f"{ph} AND {r['abandoned']}"
    p2, p3, p4 = (f"{ans} AND {r['within_sl']}", f"{ans} AND {W} AND NOT {r['within_sl']}",
                  f"{ans} AND NOT {W}")
    late = f"{aband} AND {W} AND NOT {r['within_sl']}"
    den = {"answered_plus_late_abandons": f"({n(ans)} + {n(late)})", "answered_only": n(ans)}.get(
        k.service_level_formula, n(off))
    em, ema = "ch = 'email'", f"ch = 'email' AND {A}"
    e5, e24, ew = f"{ema} AND {r['within_5h']}", f"{ema} AND {r['within_24h']}", f"{ema} AND {W}"
    no_em_wait = f"({n(ew)} = 0 AND {n(ema + ' AND NOT ' + W)} > 0)"
    rep = f"{n(A + ' AND has_cust AND rep')} / nullif({n(A + ' AND has_cust')}, 0)"
    cols = [
        ("contacts", "count(*)"),
        ("inbound", n(inb)),
        ("hno_calls", n(hno)),
        ("hno_share", f"{n(hno)} / nullif({n(inb)}, 0)"),
        ("short_abandons", n(f"{ph} AND {r['short_abandon']}")),
        ("offered", n(off)),
        ("answered", n(ans)),
        ("abandoned", n(aband)),
        ("answer_rate", f"{n(ans)} / nullif({n(off)}, 0)"),
        ("abandonment_rate", f"{n(aband)} / nullif({n(off)}, 0)"),
        ("asa_s", f"avg(wait_s) FILTER ({ans})"),
        ("service_level", f"CASE WHEN {n(p2)} + {n(p3)} = 0 AND {n(p4)} > 0 THEN NULL "
                          f"ELSE {n(p2)} / nullif({den}, 0) END"),
        ("aht_s", f"avg(handle) FILTER ({ans})"),
        ("email_received", n(em)),
        ("email_response_h_median", f"median(wait_s / 3600) FILTER ({ema})"),
        ("email_response_h_mean", f"avg(wait_s / 3600) FILTER ({ema})"),
        ("email_within_24h", f"CASE WHEN {no_em_wait} THEN NULL ELSE {n(e24)} / nullif({n(em)}, 0) END"),
        ("email_within_5h", f"CASE WHEN {no_em_wait} THEN NULL ELSE {n(e5)} / nullif({n(em)}, 0) END"),
    ]

    def chat(suffix: str, cond: str) -> list[tuple[str, str]]:
        c = "ch = 'chat'" + cond
        return [(f"chat_received{suffix}", n(c)),
                (f"chat_first_response_s_mean{suffix}", f"avg(wait_s) FILTER ({c} AND {A})"),
                (f"chat_within_60s{suffix}", f"{n(f'{c} AND {A} AND ' + r['within_chat'])} / nullif({n(c)}, 0)")]

    cols += chat("", "")
    if handled_by:
        for who in ("agent", "bot"):
            cols += chat(f"_{who}", f" AND handled_by = '{who}'")
    cols += [("repeat_rate", rep), ("repeat_censored", n(A + " AND has_cust AND cens")), ("fcr", f"1 - {rep}")]
    if resolved:
        cols.append(("resolved_rate", f"{n(A + ' AND resolved')} / nullif({n(A + ' AND resolved IS NOT NULL')}, 0)"))
    return ",\n      ".join(f"{expr} AS {name}" for name, expr in cols)


def countries_and_years(con, cfg, source: str = "contacts") -> tuple[list[str], int, int]:
    """The client's country first, then the others found in the data; first and last year."""
    found = {r[0] for r in con.execute(f"SELECT DISTINCT upper(CAST(country AS VARCHAR)) FROM {source} "
                                       "WHERE country IS NOT NULL").fetchall()}
    y0, y1 = con.execute(f"SELECT year(min(received_at)), year(max(received_at)) FROM {source}").fetchone()
    if y0 is None:
        y0 = y1 = 2000
    return [cfg.country] + sorted(found - {cfg.country}), y0, y1


def overall(cfg, con, view: str = "contacts") -> dict[str, float | None]:
    """The KPIs of :data:`CHECK` over ``view`` of ``con``, clean typed contacts, without
    validation: the reference SQL script of the benchmarks (``benchmarks/kpis_duckdb.py``, which
    opens the Parquet file through :func:`cxtoolkit.io.duckdb_source.open_parquet`).

    Undefined values are None (as in ``cxtoolkit kpis --json``).
    """
    source = view
    if "handled_by" not in {r[0] for r in con.execute(f"DESCRIBE {_q(view)}").fetchall()}:
        con.execute(f"CREATE TEMP VIEW contacts_hb AS SELECT *, NULL::VARCHAR AS handled_by FROM {_q(view)}")
        source = "contacts_hb"
    countries, y0, y1 = countries_and_years(con, cfg, source)
    con.execute(flags_sql(cfg, countries, y0, y1, source=source))
    cur = con.execute(f"SELECT {agg_sql(cfg)} FROM f")
    names = [d[0] for d in cur.description]
    vals = dict(zip(names, (None if v is None else float(v) for v in cur.fetchone())))
    return {k: vals[k] for k in CHECK}


# -- validation -----------------------------------------------------------------------------

@dataclass
class Result:
    """What :func:`compute` returns: the KPIs (overall, per segment), the counts and rejects."""

    overall: dict
    segments: dict | None
    counts: dict
    warnings: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    blanked: int = 0
    rejects: object = None          #: a DataFrame (``REJECT_COLUMNS``) when ``keep_rejects`` ≥ rejected
    rejects_file: str | None = None
    #: survey answers: the counts (:func:`survey_counts`) overall and per segment, the KPIs' inputs
    survey_counts: object = None
    survey_segment_counts: object = None
    #: contacts cut by columns: the relation :data:`LINK` of their connection (:class:`Link`)
    link: "Link | None" = None


#: the relation linking each contact (``__lid``) to its cut labels, made by the contacts'
#: :func:`compute` and read by the answers' (copied between connections by :func:`copy_link`)
LINK = "contact_link"


@dataclass
class Link:
    """Each accepted contact of the period and its cut labels: the relation :data:`LINK` of
    ``con`` (the contacts' connection), ``columns`` = ``{key: column}`` of its labels."""

    con: object
    columns: dict


_DUR_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
              "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL")
_TIME_BEFORE = r"\d:\d\d(:\d\d([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
_SHAPED = r"^(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}(\s|$)"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+$"


def _text(col: str) -> str:
    return f"nullif(trim(CAST({_q(col)} AS VARCHAR)), '')"


def _datetime_expr(col: str, typ: str, month_first: bool) -> tuple[str, str]:
    """``(value, bad)`` SQL of a datetime column (the io layer's formats, :mod:`cxtoolkit.io.parse`)."""
    from cxtoolkit.io.parse import DAYFIRST_FORMATS, MONTHFIRST_FORMATS

    if typ.startswith("TIMESTAMP") or typ == "DATE":
        return f"CAST({_q(col)} AS TIMESTAMP)", "false"
    t = _text(col)
    day = f"try_strptime({t}, {_lit_list(DAYFIRST_FORMATS)})"
    if month_first:
        day = (f"CASE WHEN regexp_matches({t}, '{_SHAPED}') THEN try_strptime({t}, {_lit_list(MONTHFIRST_FORMATS)}) "
               f"ELSE {day} END")
    val = f"CASE WHEN regexp_matches({t}, '^\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN try_cast({t} AS TIMESTAMP) ELSE {day} END"
    return val, f"({t} IS NOT NULL AND ({val}) IS NULL)"


def _lit_list(values) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def period_sql(column: str, t0=None, t1=None) -> str:
    """SQL of :func:`cxtoolkit.rules.in_period` on ``column`` (the rule itself, given DuckDB
    expressions): ``true`` without bounds.

    >>> import pandas as pd
    >>> print(period_sql("received_at", pd.Timestamp("2026-05-01"), None))
    ("received_at" >= '2026-05-01 00:00:00'::TIMESTAMP)
    """
    from duckdb import ColumnExpression, ConstantExpression

    from cxtoolkit.rules import in_period

    def const(t):
        return None if t is None else ConstantExpression(t.to_pydatetime())

    expr = in_period(ColumnExpression(column), const(t0), const(t1))
    return "true" if expr is None else str(expr)


def _bool_expr(col: str, typ: str) -> tuple[str, str]:
    """``(value, bad)``: :func:`cxtoolkit.io.parse.parse_bool` (the words of the schema) in SQL."""
    from cxtoolkit.schemas import FALSE_WORDS, TRUE_WORDS

    if typ == "BOOLEAN":
        return _q(col), "false"
    t = _text(col)
    low = f"regexp_replace(lower({t}), '\\.0$', '')"
    val = f"CASE WHEN {low} IN ({', '.join(map(_lit, TRUE_WORDS))}) THEN true " \
          f"WHEN {low} IN ({', '.join(map(_lit, FALSE_WORDS))}) THEN false END"
    return val, f"({t} IS NOT NULL AND ({val}) IS NULL)"


def _duration_expr(col: str, typ: str) -> tuple[str, str]:
    """``(value, bad)``: :func:`cxtoolkit.io.parse.parse_duration` in SQL (seconds with a decimal
    comma or spaces, ``hh:mm:ss``, ``mm:ss``)."""
    if typ.startswith(_DUR_TYPES):
        return f"CAST({_q(col)} AS DOUBLE)", "false"
    if typ == "INTERVAL":
        return f"epoch({_q(col)})", "false"
    if typ == "BOOLEAN":
        return f"CAST({_q(col)} AS DOUBLE)", "false"
    t = _text(col)

    def fin(e: str) -> str:
        return f"(CASE WHEN isfinite({e}) THEN {e} END)"

    n1 = fin(f"try_cast({t} AS DOUBLE)")
    norm = f"regexp_replace(regexp_replace({t}, '[\\s\\x{{00a0}}\\x{{202f}}]', '', 'g'), '^([+-]?\\d*),(\\d+)$', '\\1.\\2')"
    n2 = fin(f"try_cast({norm} AS DOUBLE)")
    hms = r"^(\d+):([0-5]?\d):([0-5]?\d(?:[.,]\d+)?)$"
    ms = r"^(\d+):([0-5]?\d(?:[.,]\d+)?)$"
    clock = (f"try_cast(regexp_extract({t}, '{hms}', 1) AS DOUBLE) * 3600 + try_cast(regexp_extract({t}, '{hms}', 2) AS DOUBLE) * 60"
             f" + try_cast(replace(regexp_extract({t}, '{hms}', 3), ',', '.') AS DOUBLE)")
    clock_ms = (f"try_cast(regexp_extract({t}, '{ms}', 1) AS DOUBLE) * 60"
                f" + try_cast(replace(regexp_extract({t}, '{ms}', 2), ',', '.') AS DOUBLE)")
    val = f"coalesce({n1}, {n2}, {clock}, {clock_ms})"
    return val, f"({t} IS NOT NULL AND ({val}) IS NULL)"


def _number_expr(col: str, typ: str) -> tuple[str, str]:
    """``(value, bad)``: :func:`cxtoolkit.io.parse.parse_number` in SQL (a decimal comma,
    spaces as thousands separators)."""
    if typ.startswith(_DUR_TYPES) or typ == "BOOLEAN":
        return f"CAST({_q(col)} AS DOUBLE)", "false"
    t = _text(col)

    def fin(e: str) -> str:
        return f"(CASE WHEN isfinite({e}) THEN {e} END)"

    norm = f"regexp_replace(regexp_replace({t}, '[\\s\\x{{00a0}}\\x{{202f}}]', '', 'g'), '^([+-]?\\d*),(\\d+)$', '\\1.\\2')"
    val = f"coalesce({fin(f'try_cast({t} AS DOUBLE)')}, {fin(f'try_cast({norm} AS DOUBLE)')})"
    return val, f"({t} IS NOT NULL AND ({val}) IS NULL)"


@dataclass
class _Col:
    """One canonical column of the file: its header, parsed value and bad-cell SQL."""

    name: str
    header: str
    value: str
    bad: str
    raw: str


def _statistics(con, cols: dict, types: dict, name: str, warnings: list[str], schema=None,
                locale: str = "en") -> tuple[dict, dict]:
    """One pass over the file: per column the filled and bad cells (misfits, empty columns), the
    valid durations (default fill), the shapes of text dates (month-first, UTC offsets), and
    the distinct values (with their counts) of the columns with allowed values."""
    from cxtoolkit.io.validate import KIND_REASON
    from cxtoolkit.schemas import CONTACTS

    schema = schema or CONTACTS
    cats = [c for c in cols if schema[c].allowed]
    stats_sel = ["count(*) AS n"]
    for c, spec in cols.items():
        col = schema[c]
        if not (col.allowed or col.kind in KIND_REASON):
            continue   # free text (ids, segments): nothing to count, the column is not even read
        typed = types[spec.header] != "VARCHAR"     # a typed cell is never blank: no text cast (10M: 3 s)
        stats_sel += [f"count({_q(spec.header) if typed else spec.raw}) AS {_q('filled:' + c)}",
                      f"count_if({spec.bad}) AS {_q('bad:' + c)}"]
        if col.kind == "duration":
            lo, hi = col.min, col.max
            ok = f"({spec.value}) IS NOT NULL AND NOT ({spec.value}) < {lo}" + (f" AND NOT ({spec.value}) > {hi}" if hi else "")
            stats_sel.append(f"count_if({ok}) AS {_q('ok:' + c)}")
            if not typed:
                stats_sel.append(f"count_if(regexp_matches({spec.raw}, '{_THOUSANDS}')) AS {_q('thousands:' + c)}")
        if col.kind in ("number", "int") and not typed:
            stats_sel.append(f"count_if(regexp_matches({spec.raw}, '{_THOUSANDS}')) AS {_q('thousands:' + c)}")
        if col.kind == "datetime" and not types[spec.header].startswith("TIMESTAMP") and types[spec.header] != "DATE":
            t = spec.raw
            first = f"try_cast(regexp_extract({t}, '{_SHAPED}', 1) AS INTEGER)"
            second = f"try_cast(regexp_extract({t}, '{_SHAPED}', 2) AS INTEGER)"
            stats_sel += [f"coalesce(max({first}), 0) AS {_q('first:' + c)}",
                          f"count_if({spec.bad} AND {second} > 12) AS {_q('second:' + c)}",
                          f"count_if(regexp_matches({t}, '{_TIME_BEFORE}')) AS {_q('offsets:' + c)}"]
        if types[spec.header].startswith("TIMESTAMP WITH"):
            warnings.append(_not_in_sql("offsets", "session_zone", locale, file=name, header=repr(spec.header)))
    cur = con.execute(f"SELECT {', '.join(stats_sel)} FROM src")
    stats = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    distinct = {}
    for c in cats:
        distinct[c] = con.execute(f"SELECT {cols[c].raw} AS v, count(*) FROM src GROUP BY ALL").fetchall()
    return stats, distinct


def _problems(cols: dict, stats: dict, now, schema=None, ces_scale: int = 7,
              locale: str = "en") -> tuple[list, list, dict, dict]:
    """The checks of :mod:`cxtoolkit.io.validate` as SQL over ``src`` (joined with the category
    maps): ``(hard, blank, value, derived)`` where ``hard`` / ``blank`` are ``(column, condition,
    reason SQL)`` rejecting the row / blanking the cell, ``value`` each column's parsed SQL and
    ``derived`` the row flags the conditions read (``{name: SQL}``, computed once per row).
    ``schema``: :data:`~cxtoolkit.schemas.CONTACTS` (default) or
    :data:`~cxtoolkit.schemas.RESPONSES` (the CES maximum is ``ces_scale``); the reasons in
    ``locale`` (:func:`cxtoolkit.io.validate.reason_text`)."""
    from cxtoolkit.io.validate import KIND_REASON, kind_reason, reason_text, scaled, soft_columns
    from cxtoolkit.schemas import CONTACTS, MAX_ASYNC_WAIT_S, MAX_CALL_S

    schema = schema or CONTACTS
    soft = soft_columns(schema)
    hard: list[tuple[str, str, str]] = []     # (column, condition, reason SQL)
    blank: list[tuple[str, str, str]] = []
    val = {c: f"({s.value})" for c, s in cols.items()}
    for c, spec in cols.items():
        col = scaled(schema[c], ces_scale)
        if col.allowed:
            val[c] = f"nullif({_q('cat_' + c)}, '')"
            bad = f"({spec.raw} IS NOT NULL AND {val[c]} IS NULL)"
            reason = reason_text("unknown_value", locale, allowed=", ".join(col.allowed))
        else:
            bad = spec.bad
            reason = kind_reason(col.kind, locale) if col.kind in KIND_REASON else None
        items = blank if c in soft else hard
        if reason and bad != "false":
            items.append((c, bad, _lit(reason)))
        if col.required:
            items.append((c, f"({val[c]} IS NULL AND NOT {bad})", _lit(reason_text("missing_value", locale))))
        if col.kind == "duration":
            items.append((c, f"coalesce({val[c]} < {col.min}, false)",
                          _lit(reason_text("below_minimum", locale, min=col.min))))
            if col.max is not None:
                items.append((c, f"coalesce({val[c]} > {col.max}, false)", _lit(duration_reason(col.max, locale=locale))))
        if col.kind in ("number", "int"):
            if col.min is not None:
                items.append((c, f"coalesce({val[c]} < {col.min}, false)",
                              _lit(reason_text("below_minimum", locale, min=col.min))))
            if col.max is not None:
                items.append((c, f"coalesce({val[c]} > {col.max}, false)",
                              _lit(reason_text("above_maximum", locale, max=col.max))))
            if col.kind == "int":
                items.append((c, f"coalesce({val[c]} % 1 <> 0, false)", _lit(reason_text("not_whole", locale))))
        if col.not_in_future:
            items.append((c, f"coalesce({val[c]} > TIMESTAMP '{now:%Y-%m-%d %H:%M:%S.%f}', false)",
                          _lit(reason_text("in_future", locale))))
    if schema.table == "responses":
        hard, blank, derived = _score_rules(hard, blank, val, locale)
        return hard, blank, val, derived
    if schema.table != "contacts":
        return hard, blank, val, {}
    # row rules (validate._row_rules): a wait absurd for its channel, answered without a wait
    wait_recorded = stats["filled:wait_s"] > 0
    if wait_recorded:
        sync = f"coalesce({val['channel']} IN ('phone', 'chat'), false)"
        wait_bad = " OR ".join(cond for c, cond, _ in hard if c == "wait_s") or "false"
        answered = contact_rules_sql(0, 0, answered=val["answered"])["answered"]
        hard += [("wait_s", f"({sync} AND {answered} AND {val['wait_s']} IS NULL "
                            f"AND NOT ({wait_bad}))", _lit(reason_text("answered_no_wait", locale))),
                 ("wait_s", f"({sync} AND coalesce({val['wait_s']} > {MAX_CALL_S}, false))",
                  _lit(duration_reason(MAX_CALL_S, locale=locale))),
                 ("wait_s", f"(NOT {sync} AND coalesce({val['wait_s']} > {MAX_ASYNC_WAIT_S}, false))",
                  _lit(duration_reason(MAX_ASYNC_WAIT_S, days=True, locale=locale)))]
    return hard, blank, val, {}


#: the scores of a survey answer (validate._blank_soft, validate._row_rules)
SCORES = ("csat", "nps", "ces")


def _score_rules(hard: list, blank: list, val: dict, locale: str = "en") -> tuple[list, list, dict]:
    """The survey answers' rules (:func:`cxtoolkit.io.validate._blank_soft` and ``_row_rules``):
    an invalid score is blanked when the answer keeps a valid score, else it rejects the row;
    an answer without any score (and no invalid one) is rejected on ``csat``. Returns ``(hard,
    blank, derived)``: the row flags ``__has`` (a valid score) and ``__bad_any`` (an invalid one)."""
    from cxtoolkit.io.validate import reason_text

    scores = [c for c in SCORES if c in val]
    bad = {c: " OR ".join(f"({cond})" for cc, cond, _ in blank if cc == c) or "false" for c in scores}
    derived = {"__has": " OR ".join(f"({val[c]} IS NOT NULL AND NOT ({bad[c]}))" for c in scores) or "false",
               "__bad_any": " OR ".join(f"({bad[c]})" for c in scores) or "false"}
    kept = [b for b in blank if b[0] not in scores]
    for c, cond, reason in blank:
        if c in scores:
            hard.append((c, f"(({cond}) AND NOT __has)", reason))
            kept.append((c, f"(({cond}) AND __has)", reason))
    hard.append(("csat", "(NOT __has AND NOT __bad_any)", _lit(reason_text("no_score", locale))))
    return hard, kept, derived


def compute(cfg, source, by: list[str] | None = None, *, now=None, start=None, end=None,
            keep_rejects: int = KEEP_REJECTS, on_rejects=None, table: str = "contacts",
            link: "Link | None" = None, make_link: bool = False, locale: str | None = None) -> Result:
    """Validate the contacts of ``source`` and compute their KPIs, overall and per cut ``by``
    (columns and/or time slicers ``hour, weekday, week, month, date``: one multi-way cut), on the
    rows of the period ``start`` – ``end``.

    Parameters
    ----------
    cfg : ClientConfig
    source : DuckSource
        The contacts file opened by :func:`cxtoolkit.io.duckdb_source.open_contacts`: its
        connection ``con``, its relation (columns as they came and ``__row``), ``name`` (how
        messages and rejects call it), ``kind`` (``csv`` / ``parquet``) and ``lines`` (a CSV's
        physical lines, for the warning on row numbers).
    by : the keys of one cut (``["channel", "month"]``: segments ``"phone | 2026-05"``).
    now : reference for "date in the future" (default: the current local time).
    start, end : the period (``--from`` / ``--to``, :func:`cxtoolkit.rules.period_bounds`): the
        accepted rows whose ``received_at`` is outside are left out of the KPIs, not rejected,
        and counted in ``counts["out_of_period"]`` (as :func:`cxtoolkit.io.load` does).
    keep_rejects : the rejects are returned as a DataFrame when there are at most this many.
    on_rejects : ``on_rejects(con, "rej", rejects)`` once the rejects are known, before the KPIs
        (the relation ``rej``; ``rejects`` its DataFrame, None past ``keep_rejects``); returns
        the file it wrote (:func:`cxtoolkit.io.duckdb_source.write_rejects`), kept in
        ``rejects_file``.
    link : survey answers cut by columns only the contacts have (``--by reason``): the
        contacts' ``Result.link`` (:class:`Link`), copied into ``source.con`` by
        :func:`copy_link` when a key needs it. Each answer takes the label of the contact its
        ``contact_id`` names (an answer without a known contact: ``(missing)``), as the pandas
        engine (:func:`cxtoolkit.kpis.engine.with_contact_columns`); answers without a
        ``contact_id`` column are not cut (overall only, as the pandas engine).
    make_link : contacts cut by columns: also keep each contact's id and make ``Result.link``
        for the answers (only when answers follow: the id is one more column per row).
    locale : the language of the reject reasons and of the warnings (:func:`cxtoolkit.io.validate.reason_text`):
        the caller's ``--locale``, else the client's (``cfg.locale``), as :func:`cxtoolkit.io.load`.

    Returns
    -------
    Result
        ``overall`` / ``segments`` as in ``cxtoolkit kpis --json``, ``counts`` = ``{file, read,
        accepted, rejected, out_of_period}``, the warnings, blanked cells and rejects; for
        contacts cut by columns, ``link`` (the relation :data:`LINK` made for the answers).
    """
    import datetime as dt

    from cxtoolkit.errors import InputError
    from cxtoolkit.io.presets import detect as detect_preset
    from cxtoolkit.io.presets import title as preset_title
    from cxtoolkit.io.validate import (KIND_REASON, MISFIT_MIN_CELLS, MISFIT_SHARE, blank_warning, kind_reason,
                                       misfit_warning, reason_text)
    from cxtoolkit.kpis.groups import SLICERS
    from cxtoolkit.messages import client_locale
    from cxtoolkit.rules import format_value, period_bounds
    from cxtoolkit.schemas import SCHEMAS, normalise_header

    if table not in ("contacts", "responses", "sends"):
        raise ValueError(f"--engine duckdb computes contacts, responses and sends, not {table}")
    CONTACTS = SCHEMAS[table]     # the schema of the file (named as the contacts' it was written for)
    contacts = table == "contacts"
    ts_col = CONTACTS.main_ts
    t0, t1 = period_bounds(start, end, cfg.time_zone(), cfg.locale)
    locale = client_locale(locale or cfg.locale)
    con, name, kind = source.con, source.name, source.kind
    if getattr(source, "relation", "src") != "src":
        con.execute(f"CREATE TEMP VIEW src AS SELECT * FROM {_q(source.relation)}")
    by = list(by or [])
    now = dt.datetime.now() if now is None else now
    types = {r[0]: r[1] for r in con.execute("DESCRIBE src").fetchall() if r[0] != "__row"}
    preset = detect_preset(list(types), "contacts")
    if preset is not None:   # its mapping and row rules (PHANTOM calls…) are not in SQL: other figures
        raise InputError("error.outofcore.known_export_preset",
                         name=name,
                         value=preset['name'],
                         value2=preset_title(preset))
    resolved = CONTACTS.resolve(list(types))           # header -> canonical (or helper) name
    mapping = {h: c for h, c in resolved.items() if c in CONTACTS}
    helpers = {h: c for h, c in resolved.items() if c not in CONTACTS}
    warnings: list[str] = []

    # --- one pass: parse statistics (misfits, empty columns, month-first, distinct categories)
    def build(month_first: bool) -> dict[str, _Col]:
        cols = {}
        for h, canon in mapping.items():
            col, typ = CONTACTS[canon], types[h]
            if col.kind == "datetime":
                v, b = _datetime_expr(h, typ, month_first)
            elif col.kind == "bool":
                v, b = _bool_expr(h, typ)
            elif col.kind == "duration":
                v, b = _duration_expr(h, typ)
            elif col.kind in ("number", "int"):
                v, b = _number_expr(h, typ)
            else:
                v, b = _text(h), "false"
            cols[canon] = _Col(canon, h, v, b, _text(h))
        return cols

    cols = build(False)
    cats = [c for c in cols if CONTACTS[c].allowed]
    stats, distinct = _statistics(con, cols, types, name, warnings, CONTACTS, locale)

    # categories: the schema's own rule on each distinct value
    for c in cats:
        pairs = [(v, CONTACTS[c].canonical_value(v)) for v, _ in distinct[c] if v is not None]
        con.execute(f"CREATE TEMP TABLE {_q('map_' + c)} AS SELECT * FROM "
                    + _values([(v, m or "") for v, m in pairs], "raw,canon", "VARCHAR,VARCHAR"))
        known = dict(pairs)
        stats["bad:" + c] = sum(k for v, k in distinct[c] if v is not None and not known[v])

    # alias-matched columns whose values mostly do not fit are ignored (validate._misfits)
    ignored = []
    for h, canon in list(mapping.items()):
        col = CONTACTS[canon]
        if normalise_header(h) == normalise_header(canon) or not (col.allowed or col.kind in KIND_REASON):
            continue
        n_bad, n_filled = stats["bad:" + canon], stats["filled:" + canon]
        if n_filled >= MISFIT_MIN_CELLS and n_bad > MISFIT_SHARE * n_filled:
            ignored.append(h)
            del mapping[h]
            cols.pop(canon)
            warnings.append(misfit_warning(name, h, canon, n_bad, n_filled, kind_reason(col.kind, locale),
                                           locale=locale))
    present = set(mapping.values())
    missing = [c for c in CONTACTS.required if c not in present]
    if contacts and "wait_s" not in present:
        missing.append("wait_s")
    if missing:
        derivable = [c for c in missing if any(a in present for a in CONTACTS.derivable.get(c, ()))]
        from cxtoolkit.findings import Msg

        why = Msg("error.outofcore.would_derive", {"columns": ", ".join(derivable),
                  "sources": ", ".join(CONTACTS.derivable[derivable[0]])}) if derivable else ""
        found = ", ".join(list(types)[:15]) + (" …" if len(types) > 15 else "")
        hint = Msg("error.outofcore.header_line_1") if kind == "csv" and not why else ""
        raise InputError("error.outofcore.missing_required_column",
                         name=name,
                         value=', '.join(missing),
                         table=table,
                         found=found,
                         why=why,
                         hint=hint)
    if stats["n"] == 0:
        raise InputError("error.outofcore.header_only_data", name=name)
    if kind == "csv" and source.lines != stats["n"] + 1:
        warnings.append(_not_in_sql("lines", "lines", locale, file=name))
    for h, canon in helpers.items():
        if canon == "handle_s" and "talk_s" not in present:
            warnings.append(_not_in_sql(canon, "ignored", locale, file=name, header=repr(h)))
    for c in ("answered_at", "abandoned_at"):
        if c in cols:
            warnings.append(_not_in_sql(c, "as_they_are", locale, file=name, header=repr(cols[c].header)))
    month_first = False
    for c in cols:
        if stats.get("offsets:" + c):
            warnings.append(_not_in_sql("offsets", "offsets", locale, file=name, header=repr(cols[c].header)))
        if stats.get("second:" + c) and stats.get("first:" + c, 13) <= 12:
            month_first = True
        if stats.get("thousands:" + c):
            warnings.append(_not_in_sql("thousands", "thousands", locale, file=name, header=repr(cols[c].header),
                                        n=format_value(stats["thousands:" + c], "count", locale)))
    if month_first:
        keep = set(cols)
        cols = {k: v for k, v in build(True).items() if k in keep}

    # --- the problems of each row (hard: rejected; soft: cell blanked) ---------------------
    hard, blank, val, derived = _problems(cols, stats, now, CONTACTS, cfg.kpi.ces_scale, locale)
    # unique id (validate._unique): every repeat of an id after its first row
    uid = CONTACTS.unique[0]
    con.execute(f"CREATE TEMP TABLE dups AS SELECT {cols[uid].raw} AS id, min(__row) AS first_row "
                "FROM src GROUP BY 1 HAVING count(*) > 1 AND id IS NOT NULL")
    label, _, end = reason_text("duplicate", locale, keys=uid, row="\0").partition("\0")
    hard.append((uid, "(d.first_row IS NOT NULL AND s.__row > d.first_row)",
                 f"{_lit(label)} || d.first_row || {_lit(end)}"))

    joins = "".join(f" LEFT JOIN {_q('map_' + c)} {_q('m_' + c)} ON {_q('m_' + c)}.raw = {cols[c].raw}" for c in cats)
    cat_cols = "".join(f", {_q('m_' + c)}.canon AS {_q('cat_' + c)}" for c in cats)
    cat_cols += "".join(f", ({expr}) AS {_q(d)}" for d, expr in derived.items())
    dup_join = f" LEFT JOIN dups d ON d.id = {cols[uid].raw}"
    rejected = " OR ".join(f"({cond})" for _, cond, _ in hard)
    blank_of = {c: " OR ".join(f"({cond})" for cc, cond, _ in blank if cc == c) for c in {b[0] for b in blank}}

    # accepted rows in canonical form (validate._assemble): soft cells blanked, durations' default
    out = {}
    for c in cols:
        v, col = val[c], CONTACTS[c]
        if col.kind == "duration" and col.default is not None and stats.get("ok:" + c):
            v = f"coalesce({v}, {float(col.default)})"       # empty cells: the default ...
        if c in blank_of:
            v = f"CASE WHEN {blank_of[c]} THEN NULL ELSE {v} END"   # ... a blanked one stays empty
        if c == "answered":
            v = contact_rules_sql(0, 0, answered=v)["answered"]
        out[c] = v
    everything, out = out, {}
    for c in KPI_COLUMNS if contacts else (ts_col, *SCORES) if table == "responses" else (ts_col,):   # only what the KPIs read is kept (and the cut keys)
        out[c] = everything.get(c, "NULL::DOUBLE" if c.endswith("_s") or c in SCORES
                                else "NULL::BOOLEAN" if c == "resolved" else "NULL::VARCHAR")
    # cut keys: columns of the file by canonical name (or as they came), time slicers from its timestamp
    keys: list | None = []
    linked = ""
    for i, k in enumerate(by):
        if k in SLICERS:
            keys.append((k, None))
            continue
        if k in cols:
            expr = f"CAST({everything[k]} AS VARCHAR)"
        elif k in types and k not in resolved:
            expr = f"nullif(CAST({_q(k)} AS VARCHAR), '')"    # kept as it came (validate._assemble)
        elif table == "sends" or (link is not None and k in link.columns and "contact_id" not in cols):
            keys = None        # cannot be split this way (survey_kpis: response_rate undefined; answers: not cut)
            break
        elif link is not None and k in link.columns:      # the label of the answer's contact
            expr = f"lk.{_q(link.columns[k])}"
            linked = f" LEFT JOIN {LINK} lk ON lk.__lid = CAST({everything['contact_id']} AS VARCHAR)"
        else:
            avail = ", ".join(sorted(set(cols) | {h for h in types if h not in resolved}))
            raise InputError("error.outofcore.such_column_available",
                             k=repr(k),
                             table=table,
                             avail=avail,
                             value=', '.join(SLICERS))
        out[f"__k{i}"] = expr
        keys.append((k, f"__k{i}"))
    if contacts and make_link and any(c for _, c in keys or ()):     # the contact's id, for the answers' cut (LINK)
        out["__cid"] = f"CAST({everything[uid]} AS VARCHAR)"
    if linked:
        copy_link(link.con, con)
    sel = ", ".join(f"{v} AS {_q(c)}" for c, v in out.items())
    sel += "".join(f", ({cond}) AS __b{j}" for j, (_, cond, _) in enumerate(blank))
    con.execute(f"CREATE TEMP TABLE p AS SELECT s.__row, ({rejected}) AS __rejected, {sel} "
                f"FROM (SELECT src.*{cat_cols} FROM src{joins}) s{dup_join}{linked}")
    # the rejects: one line per (row, problem), only the rejected rows are scanned again
    raw_of = {c: cols[c].raw for c in cols}
    raw_of.update({c: "NULL" for c, _, _ in hard if c not in raw_of})    # a rule's column the file lacks
    parts = [f"SELECT {_lit(c)} AS \"column\", s.__row AS row, coalesce({raw_of[c]}, '') AS value, {reason} AS reason, "
             f"{i} AS k FROM bad s{dup_join} WHERE {cond}" for i, (c, cond, reason) in enumerate(hard)]
    con.execute(f"CREATE TEMP TABLE bad AS SELECT src.*{cat_cols} FROM src{joins} "
                f"WHERE src.__row IN (SELECT __row FROM p WHERE __rejected)")
    con.execute(f"CREATE TEMP TABLE rej AS SELECT {_lit(table)} AS \"table\", {_lit(name)} AS file, row, \"column\", value, reason "
                f"FROM ({' UNION ALL '.join(parts)}) ORDER BY row, k")
    # blanked cells (validate._blank_soft): counted and named in a warning per column and reason
    blanked = 0
    if blank:
        bsel = ", ".join(f"count_if(__b{j}), min(__row) FILTER (__b{j})" for j in range(len(blank)))
        got = con.execute(f"SELECT {bsel} FROM p").fetchone()
        for j, (c, _, reason) in enumerate(blank):
            k, first = got[2 * j], got[2 * j + 1]
            if k:
                blanked += k
                warnings.append(blank_warning(name, k, c, reason[1:-1].replace("''", "'"), first, locale))
    # the period: accepted rows outside it are left out, not rejected (io.load's rule)
    inside = period_sql(ts_col, t0, t1)
    n_read = stats["n"]
    n_rej, n_out = con.execute(f"SELECT count_if(__rejected), "
                               f"count_if(NOT __rejected AND NOT coalesce({inside}, false)) FROM p").fetchone()
    counts = {"file": name, "read": n_read, "accepted": n_read - n_rej, "rejected": n_rej, "out_of_period": n_out}
    assert counts["read"] == counts["accepted"] + counts["rejected"]

    rejects, rejects_file = None, None
    n_lines = con.execute("SELECT count(*) FROM rej").fetchone()[0]
    if n_lines <= keep_rejects:
        rejects = con.execute("SELECT * FROM rej").df()
    if on_rejects is not None:
        rejects_file = on_rejects(con, "rej", rejects)

    # --- the KPIs over the accepted rows of the period -------------------------------------
    con.execute(f"CREATE VIEW acc AS SELECT * FROM p WHERE NOT __rejected AND coalesce({inside}, false)")
    result = Result(overall={}, segments=None, counts=counts, warnings=warnings, ignored_columns=ignored,
                    blanked=blanked, rejects=rejects, rejects_file=rejects_file)
    if table == "sends":     # the survey sends, overall and per segment (None: not splittable by ``by``)
        result.overall = {"sent": con.execute("SELECT count(*) FROM acc").fetchone()[0]}
        if keys:
            exprs, order, rel = cut_labels(con, keys, source="acc", ts=ts_col)
            labels = ", ".join(f"{e} AS k{i}" for i, e in enumerate(exprs))
            groups = ", ".join(str(i + 1) for i in range(len(exprs)))
            result.segments = dict(_rows(con, f"SELECT {labels}, count(*) AS sent FROM {rel} GROUP BY {groups} "
                                              f"ORDER BY {', '.join(order)}", n_keys=len(keys)))
        return result
    if not contacts:     # survey answers: counts in SQL, figures by the pandas engine's function
        result.survey_counts = survey_counts(con, "acc", cfg)
        if keys:
            result.survey_segment_counts = survey_counts(con, "acc", cfg, keys)
        result.overall, result.segments = survey_results(cfg, result)
        return result
    countries, y0, y1 = countries_and_years(con, cfg, "acc")
    carry = tuple(c for _, c in keys if c)
    if t1 is None:
        con.execute(flags_sql(cfg, countries, y0, y1, source="acc", carry=carry))
    else:   # the contacts after the period can make one of it a repeat (io.load's contacts_after)
        con.execute(f"CREATE VIEW acc_on AS SELECT * FROM p WHERE NOT __rejected"
                    f"{'' if t0 is None else ' AND ' + period_sql(ts_col, t0, None)}")
        con.execute(flags_sql(cfg, countries, y0, y1, source="acc_on", carry=carry,
                              keep=period_sql(ts_col, t0, t1)))
    agg = agg_sql(cfg, handled_by="handled_by" in cols, resolved="resolved" in cols)
    res_overall = _rows(con, f"SELECT {agg} FROM f")[0][1]
    segments = None
    if keys:
        exprs, order, source = cut_labels(con, keys)
        labels = ", ".join(f"{e} AS k{i}" for i, e in enumerate(exprs))
        groups = ", ".join(str(i + 1) for i in range(len(exprs)))
        segments = dict(_rows(con, f"SELECT {labels}, {agg} FROM {source} GROUP BY {groups} ORDER BY {', '.join(order)}",
                              n_keys=len(keys)))
    link_out = None
    if "__cid" in out:        # each accepted contact of the period (ids unique: duplicates rejected)
        link_out = Link(con, {k: f"__l{i}" for i, (k, c) in enumerate(keys) if c})
        labels = ", ".join(f"{_q(c)} AS __l{i}" for i, (k, c) in enumerate(keys) if c)
        con.execute(f"CREATE VIEW {LINK} AS SELECT __cid AS __lid, {labels} FROM acc WHERE __cid IS NOT NULL")
    return Result(overall=res_overall, segments=segments, counts=counts, warnings=warnings,
                  ignored_columns=ignored, blanked=blanked, rejects=rejects, rejects_file=rejects_file,
                  link=link_out)


def copy_link(src_con, dst_con) -> None:
    """The relation :data:`LINK` of ``src_con`` (the contacts' :func:`compute`) as a table of
    ``dst_con`` (the survey answers' connection): streamed in Arrow batches, held by DuckDB
    under its memory limit (spilling past it), no file written."""
    reader = src_con.sql(f"SELECT * FROM {LINK}").to_arrow_reader()
    dst_con.register("__link_batches", reader)
    try:
        dst_con.execute(f"CREATE TEMP TABLE {LINK} AS SELECT * FROM __link_batches")
    finally:
        dst_con.unregister("__link_batches")


def cut_labels(con, keys: list[tuple[str, str | None]], source: str = "f",
               ts: str = "received_at", ranked: tuple[str, ...] = ("channel",)) -> tuple[list[str], list[str], str]:
    """SQL of each cut key's label over ``source`` (the pandas engine's labels; time slicers
    on its column ``ts``) and the ORDER BY (the keys ``ranked`` in the order of
    :data:`cxtoolkit.schemas.CHANNELS`, as the contacts' categories; others sorted)."""
    import pandas as pd

    from cxtoolkit.config import DAYS
    from cxtoolkit.rules import period_label
    from cxtoolkit.schemas import CHANNELS

    exprs, order, table = [], [], source
    periods = [k for k, c in keys if c is None and k in ("week", "month", "date")]
    if periods:
        days = [r[0] for r in con.execute(f"SELECT DISTINCT CAST({_q(ts)} AS DATE) FROM {table}").fetchall()]
        idx = pd.DatetimeIndex(pd.to_datetime(days))
        labels = {p: list(period_label(idx, p)) if len(idx) else [] for p in periods}   # the one calendar rule
        rows = [(_Sql(f"DATE '{d.isoformat()}'"), *(str(labels[p][i]) for p in periods)) for i, d in enumerate(days)]
        con.execute("CREATE TEMP TABLE cal AS SELECT * FROM "
                    + _values(rows, ",".join(["d"] + [f"l_{p}" for p in periods]),
                              ",".join(["DATE"] + ["VARCHAR"] * len(periods))))
        source = f"{table} LEFT JOIN cal ON cal.d = CAST({table}.{_q(ts)} AS DATE)"
    for i, (k, c) in enumerate(keys):
        if k == "hour":
            exprs.append(f"hour({_q(ts)})")
            order.append(f"k{i}")
        elif k == "weekday":
            exprs.append(f"{_lit_list(DAYS)}[isodow({_q(ts)})]")
            order.append(f"list_position({_lit_list(DAYS)}, k{i})")
        elif c is None:
            exprs.append(f"cal.l_{k}")
            order.append(f"k{i}")
        else:
            exprs.append(f"coalesce({_q(c)}, '{MISSING}')")
            rank = f"list_position({_lit_list(CHANNELS)}, k{i})" if k in ranked else f"k{i}"
            order.append(f"k{i} = '{MISSING}', {rank}")
    return exprs, order, source


# -- survey answers: the counts in SQL, the figures by the pandas engine's own function ------

def survey_counts_sql(cfg) -> str:
    """The SELECT list of the survey counts (:data:`cxtoolkit.kpis.surveys.COUNTS`,
    :data:`~cxtoolkit.kpis.surveys.SUMS`) over a relation with the scores ``csat``, ``nps``,
    ``ces`` (DOUBLE, NULL: no answer): what each count counts is
    :func:`cxtoolkit.kpis.surveys.answer_flags` given DuckDB expressions, i.e. the rules of
    :mod:`cxtoolkit.rules` themselves (thresholds read there, never written here).

    >>> from cxtoolkit.config import ClientConfig
    >>> from cxtoolkit.rules import PROMOTER_MIN
    >>> sql = survey_counts_sql(ClientConfig(client="x"))
    >>> f'("nps" >= {PROMOTER_MIN})' in sql and "AS promoters" in sql
    True
    """
    from duckdb import ColumnExpression

    from cxtoolkit.kpis.surveys import COUNTS, SUMS, answer_flags

    csat, nps, ces = (ColumnExpression(c) for c in ("csat", "nps", "ces"))
    flags = answer_flags(csat, nps, ces, cfg.kpi.ces_scale)
    cols = ["count(*) AS n"] + [f"count(*) FILTER ({flags[k]}) AS {k}" for k in COUNTS[1:]]
    cols += [f"coalesce(sum({_q(c)}), 0)::DOUBLE AS {k}" for k, c in SUMS.items()]
    return ", ".join(cols)


def survey_counts(con, relation: str, cfg, keys: list[tuple[str, str | None]] = ()):
    """The survey counts of :func:`cxtoolkit.kpis.surveys.survey_counts` computed by DuckDB over
    ``relation`` of ``con`` (accepted answers: ``responded_at`` TIMESTAMP, scores ``csat``,
    ``nps``, ``ces`` DOUBLE), overall or per cut ``keys`` (as :func:`cut_labels`; labels joined
    with ``" | "``): a DataFrame for :func:`cxtoolkit.kpis.surveys.survey_figures`, which makes
    the KPIs of both engines."""
    import pandas as pd

    sel = survey_counts_sql(cfg)
    if not keys:
        return con.execute(f"SELECT {sel} FROM {relation}").df().set_axis(["overall"])
    exprs, order, source = cut_labels(con, list(keys), source=relation, ts="responded_at")
    labels = ", ".join(f"{e} AS k{i}" for i, e in enumerate(exprs))
    groups = ", ".join(str(i + 1) for i in range(len(exprs)))
    df = con.execute(f"SELECT {labels}, {sel} FROM {source} GROUP BY {groups} ORDER BY {', '.join(order)}").df()
    names = [f"k{i}" for i in range(len(exprs))]
    index = pd.Index([" | ".join(str(v) for v in r) for r in df[names].itertuples(index=False)])
    return df.drop(columns=names).set_axis(index)


def survey_results(cfg, answers: Result, sends: Result | None = None) -> tuple[dict, dict | None]:
    """The survey KPIs ``(overall, segments)`` (as :func:`compute`'s) from the counts of the
    answers' :func:`compute` and the sends' (``response_rate``; per segment NaN when the sends
    cannot be split by the cut, 0 sends where a segment has none, as
    :func:`cxtoolkit.kpis.surveys.survey_counts`), made by :func:`cxtoolkit.kpis.surveys.survey_figures`."""
    import numpy as np
    import pandas as pd

    from cxtoolkit.kpis.surveys import survey_figures

    counts = answers.survey_counts.copy()
    if sends is not None:
        counts["sent"] = float(sends.overall["sent"])
    overall = _figures(survey_figures(counts, cfg))["overall"]
    seg = answers.survey_segment_counts
    if seg is None:
        return overall, None
    seg = seg.copy()
    if sends is not None:
        sent = pd.Series({k: v["sent"] for k, v in (sends.segments or {}).items()}, dtype="float64")
        seg["sent"] = sent.reindex(seg.index).fillna(0).to_numpy() if sends.segments is not None else np.nan
    return overall, _figures(survey_figures(seg, cfg))


def _figures(frame) -> dict[str, dict]:
    """``{label: {kpi: value}}`` of a figures frame (NaN: None, as the SQL rows)."""
    import math

    def plain(v):
        v = v.item() if hasattr(v, "item") else v
        return None if isinstance(v, float) and math.isnan(v) else v

    return {str(i): {k: plain(v) for k, v in r.items()} for i, r in frame.to_dict(orient="index").items()}


def _rows(con, query: str, n_keys: int = 0) -> list[tuple[str, dict]]:
    """``(label, {kpi: value})`` per result row; labels joined with ``" | "`` (``to_json``'s)."""
    cur = con.execute(query)
    names = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        label = " | ".join(str(v) for v in r[:n_keys]) if n_keys else "overall"
        out.append((label, {k: (None if v is None else v) for k, v in zip(names[n_keys:], r[n_keys:])}))
    return out
