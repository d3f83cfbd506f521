"""``cxtoolkit kpis``: contact-centre and survey KPIs of a client, overall and per segment.

Stable contract (other tools rely on it)::

    cxtoolkit kpis --config client_data/<c>/client.yml [--contacts F] [--responses F]
                   [--sends F] [--by COLUMN] [--from D] [--to D] [--locale fr|en] --json

prints ``{"overall": {kpi: value}, "segments": {value: {kpi: value}}, "meta": {...}}`` on
stdout (``segments`` only with ``--by``; undefined values are ``null``; keys are the registry
keys). Without ``--json``: a table with labels in the client's locale and RAG colours.
``--by`` accepts a column or a time slicer (hour, weekday, week, month, date); two-way cuts
as ``--by weekday,hour``.

``--engine duckdb`` computes the contact KPIs out of core (:mod:`cxtoolkit.outofcore`: DuckDB
over a Parquet or CSV file, memory bounded by ``--memory-limit``): for files larger than
memory (100M contacts), the same figures, cuts, rejects and ``meta.tables.contacts`` counts as
the default pandas engine (validated in SQL, rules it cannot do named in ``meta.warnings``);
``--rejects F.csv|F.parquet`` writes the rejects; ``--from/--to`` keep the period as the
default engine does (:func:`cxtoolkit.rules.period_bounds`); survey answers and sends
(``--responses/--sends`` or client.yml) validated in SQL too, their KPIs made of counts done
in SQL by the pandas engine's figures (a cut by a column only the contacts have: the survey
KPIs are left out, one line says so).
"""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from cxtoolkit._speedups import arrow_jemalloc
from cxtoolkit.cli.loadinfo import fail, say_loading, with_meta
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.messages import client_locale, text

TABLES = ("contacts", "responses", "sends", "daily_reports")


def run_kpis(config: str, contacts: Optional[str] = None, responses: Optional[str] = None,
             sends: Optional[str] = None, by: Optional[str] = None, start: Optional[str] = None,
             end: Optional[str] = None, client_data: Optional[str] = None, locale: Optional[str] = None):
    """Load the client's data and compute the KPIs; returns ``(cfg, overall, segments, data)``
    (the loading's warnings and reject reasons in ``locale``, else the client's)."""
    from cxtoolkit import io
    from cxtoolkit.config import load_client
    from cxtoolkit.kpis import compute_many
    from cxtoolkit.kpis.contacts import COLUMNS as CONTACT_COLUMNS

    cfg = load_client(config, client_data)
    paths = {t: p for t, p in (("contacts", contacts), ("responses", responses), ("sends", sends)) if p}
    tables = [t for t in TABLES if t in paths or t in cfg.data]
    if "contacts" in tables and "daily_reports" in tables:
        tables.remove("daily_reports")   # contact-level data wins over the daily aggregates
    if not set(tables) - {"sends"}:
        raise InputError("error.cli.contacts_daily_reports", config=config)
    cut = [b.strip() for b in by.split(",") if b.strip()] if by else None
    # without --by only the columns the KPIs read are needed (a wide Parquet export's segment
    # columns are left unread: same rows accepted and rejected, same figures)
    needed = None if cut else {"contacts": set(CONTACT_COLUMNS)}
    data = io.load(cfg, tables=tables, paths=paths, start=start, end=end, needed=needed, locale=locale)
    cuts = [None, cut] if cut else [None]
    res = compute_many(data.contacts, data.responses, cfg, cuts=cuts, sends=data.sends,
                       daily_reports=data.daily_reports, assumed=data.assumed_by_table(),
                       contacts_after=data.contacts_after)
    frames = list(res.values())
    return cfg, frames[0], (frames[1] if cut else None), data


ENGINES = ("pandas", "duckdb")


def run_outofcore(config: str, contacts: Optional[str], client_data: Optional[str], memory_limit: str,
                  by: Optional[str] = None, rejects: Optional[str] = None, start: Optional[str] = None,
                  end: Optional[str] = None, responses: Optional[str] = None, sends: Optional[str] = None,
                  locale: Optional[str] = None, spill_dir: Optional[str] = None):
    """``--engine duckdb``: ``(cfg, overall one-row frame, segments frame or None, payload meta, results)``
    from the contacts, survey answers and sends files (Parquet or CSV; flags or client.yml) each
    opened by :func:`cxtoolkit.io.duckdb_source.open_contacts`, validated and computed in SQL
    (:func:`cxtoolkit.outofcore.compute`; the survey KPIs made of the SQL counts by
    :func:`cxtoolkit.outofcore.survey_results`), rejects written by
    :func:`cxtoolkit.io.duckdb_source.write_rejects` (``--rejects F``: the contacts' in ``F``,
    the answers' and sends' beside it, ``F.responses.csv``…). ``results``: ``{table: Result}``."""
    import pandas as pd

    from cxtoolkit.config import load_client
    from cxtoolkit.io.duckdb_source import open_contacts, write_rejects
    from cxtoolkit.io.loader import unmeasured_warnings
    from cxtoolkit.io.mapping import assumed_columns, from_source
    from cxtoolkit.kpis.engine import not_measured
    from cxtoolkit.outofcore import KEEP_REJECTS, survey_results
    from cxtoolkit.outofcore import compute as outofcore_compute
    from cxtoolkit.rules import period_bounds

    cfg = load_client(config, client_data)
    loc = locale or cfg.locale
    given = {"contacts": contacts, "responses": responses, "sends": sends}
    files = {}
    for t, flag in given.items():
        if flag:
            files[t] = (flag, str(flag))
        elif t in cfg.data:
            files[t] = (cfg.data_path(t), cfg.data_file(t))
    if "contacts" not in files and "responses" not in files:
        raise InputError("error.cli.engine_duckdb_needs", config=config)
    mappings = {}
    for t, (path, shown) in files.items():
        src = None if given[t] else cfg.data_source(t)
        if src is not None and (src.preset or src.columns or src.values or src.header_rows > 1):
            raise InputError("error.cli.engine_duckdb_reads", shown=shown, t=t)
        mappings[t] = from_source(src, f"data.{t}")   # its constants and assumed, checked as the default engine does
    assumed = {t: cols for t, m in mappings.items() if (cols := assumed_columns(m))}
    cut = [b.strip() for b in by.split(",") if b.strip()] if by else []
    period_bounds(start, end, cfg.time_zone(), loc)       # a wrong date is said before a file is opened
    results = {}
    for t, (path, shown) in files.items():
        def sink(con, relation, frame, t=t):
            out = rejects if t == "contacts" else _beside(rejects, t)
            return write_rejects(con, relation, frame, out, KEEP_REJECTS)

        source = open_contacts(path, shown, memory_limit=memory_limit, temp_dir=spill_dir,
                               constants=mappings[t].constants if mappings[t] else None)
        # a cut by a column of the contacts only: each answer takes its contact's, joined in SQL
        link = results["contacts"].link if t == "responses" and "contacts" in results else None
        try:
            results[t] = outofcore_compute(cfg, source, cut, start=start, end=end, keep_rejects=KEEP_REJECTS,
                                           on_rejects=sink if rejects else None, table=t, link=link,
                                           make_link=t == "contacts" and "responses" in files, locale=loc)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - duckdb's binder/IO errors: one line naming the file
            msg = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise InputError("error.cli.readable_duckdb", shown=shown, t=t, msg=msg) from None
    overall, segments = {}, None
    if "contacts" in results:
        overall, segments = dict(results["contacts"].overall), results["contacts"].segments
    if "responses" in results:
        s_overall, s_segments = survey_results(cfg, results["responses"], results.get("sends"))
        overall.update(s_overall)
        segments = _outer(segments, s_segments, cut) if cut else None
    # the KPIs resting on an assumed constant are not measured, as the default engine's
    frame = not_measured(pd.DataFrame([overall], index=["overall"]), assumed)
    seg_frame = None
    if segments is not None:
        seg_frame = not_measured(pd.DataFrame(list(segments.values()), index=list(segments)), assumed)
    tables = {}
    warnings = []
    for t, res in results.items():
        c = res.counts
        tables[t] = {"file": c["file"], "read": c["read"], "accepted": c["accepted"], "rejected": c["rejected"],
                     "ignored_columns": res.ignored_columns, "blanked": res.blanked, "preset": None,
                     "assumed": assumed.get(t, []), "out_of_period": c["out_of_period"]}
        warnings += res.warnings + unmeasured_warnings(t, tables[t], loc)
    meta = {"engine": "duckdb", "validated": True, "tables": tables, "warnings": warnings}
    written = [res.rejects_file for res in results.values() if res.rejects_file]
    if written:
        meta["rejects_file"] = written[0] if "contacts" in results else None
        meta["rejects_files"] = written
    return cfg, frame, seg_frame, meta, results


def _beside(path: str, table: str) -> str:
    """``rejects.csv`` -> ``rejects.responses.csv``: a survey table's rejects beside the contacts'."""
    from pathlib import Path

    p = Path(path)
    return str(p.with_name(f"{p.stem}.{table}{p.suffix}"))


def _outer(a: dict | None, b: dict | None, keys: list[str]) -> dict | None:
    """The contacts' segments and the surveys' joined on their labels (``"a | b"`` for the
    ``keys`` of a two-way cut) by :func:`cxtoolkit.kpis.engine.merge_frames`, the pandas
    engine's join and order (weekdays in calendar order within each level)."""
    import pandas as pd

    from cxtoolkit.kpis.engine import merge_frames

    if a is None or b is None:
        return a if b is None else b

    def frame(d: dict) -> pd.DataFrame:
        f = pd.DataFrame.from_dict(d, orient="index")
        if len(keys) < 2:
            return f.rename_axis(keys[0] if keys else None)
        return f.set_axis(pd.MultiIndex.from_tuples([tuple(str(i).split(" | ")) for i in f.index], names=keys))

    res = merge_frames([frame(a), frame(b)])
    res.index = [" | ".join(i) if isinstance(i, tuple) else i for i in res.index]
    return res.astype(object).where(res.notna(), None).to_dict(orient="index")


def _say_outofcore(results, warnings: list[str], stream=None, locale: str = "en") -> None:
    """stderr: rejected rows and ``warnings`` (the meta's) of the out-of-core engine (as
    :func:`say_loading`), in ``locale``."""
    from cxtoolkit.rules import format_value

    stream = stream or sys.stderr
    for t, res in results.items():
        c = res.counts
        if c["rejected"]:
            where = res.rejects_file or text("cli.data.give_rejects", locale)
            print(text("cli.data.rejected_where", locale, table=t, n=format_value(c["rejected"], "count", locale),
                       read=format_value(c["read"], "count", locale), file=c["file"], where=where), file=stream)
    for w in warnings:
        print(text("cli.data.warning", locale, text=w), file=stream)


#: Terminal columns of the KPI table: the label's least width, a figure's (with padding).
LABEL_WIDTH, VALUE_WIDTH = 24, 10


def _print_table(cfg, overall, segments, locale: str, data) -> None:
    from rich.console import Console
    from rich.table import Table

    from cxtoolkit.kpis import status_table
    from cxtoolkit.viz.kpis import format_value

    def fmt(key, value, unit):
        return format_value(value, unit, locale, half_width=key.startswith("nps_ci"))

    from cxtoolkit.kpis.registry import with_data

    styles = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}
    st = status_table(overall, cfg, locale)
    # the KPIs this client has (a phone log: no row of "–" for e-mails and chats)
    st = st[st["key"].isin(with_data(st["key"], dict(zip(st["key"], st["value"]))))]
    console = Console()
    table = Table(title=text("cli.kpis.title", locale, client=cfg.name or cfg.client))
    table.add_column("KPI", min_width=LABEL_WIDTH)
    for head in ("overall", "target"):   # a figure is never cut from its unit (88,1 %)
        table.add_column(text(f"cli.kpis.{head}", locale), justify="right", no_wrap=True)
    seg_rows = []
    if segments is not None:
        from cxtoolkit.report.tables import value_label

        names = list(segments.index.names)

        def shown(name, v) -> str:   # weekday and channel codes by their labels (lun, téléphone)
            return value_label(str(name), str(v), locale) or str(v)

        heads = [" | ".join(shown(n, v) for n, v in zip(names, s)) if isinstance(s, tuple) else shown(names[0], s)
                 for s in list(segments.index)[:12]]
        room = console.width - LABEL_WIDTH - 2 * VALUE_WIDTH   # the columns the terminal holds, at least one
        for s, head in zip(segments.index, heads):
            room -= max(len(head) + 3, VALUE_WIDTH)
            if seg_rows and room < 0:
                break
            seg_rows.append(s)
            table.add_column(head, justify="right", no_wrap=True)
    seg_status = {s: status_table(segments.loc[[s]], cfg, locale).set_index("key") for s in seg_rows}
    for r in st.itertuples(index=False):
        cells = [r.label, f"[{styles.get(r.rag, '')}]{fmt(r.key, r.value, r.unit)}[/]"
                 if r.rag else fmt(r.key, r.value, r.unit),
                 format_value(r.target, r.unit, locale) if r.target is not None else ""]
        for s in seg_rows:
            seg_st = seg_status[s]
            v = seg_st.loc[r.key, "value"] if r.key in seg_st.index else None
            colour = seg_st.loc[r.key, "rag"] if r.key in seg_st.index else None
            txt = fmt(r.key, v, r.unit)
            cells.append(f"[{styles[colour]}]{txt}[/]" if colour in styles else txt)
        table.add_row(*cells)
    console.print(table)
    if segments is not None and len(segments) > len(seg_rows):
        console.print(text("cli.kpis.more_segments", locale, n=len(segments) - len(seg_rows)))
    if "service_level" in set(st["key"]):   # how it is computed, when there is one
        from cxtoolkit.pipeline.produce import service_level_said

        formula = service_level_said(cfg, data, locale)
        console.print(text("cli.kpis.sl_formula", locale, formula=formula), markup=False)


def register(app: typer.Typer) -> None:
    @app.command("kpis")
    def kpis_command(
        config: str = typer.Option(..., "--config"),
        contacts: Optional[str] = typer.Option(None, "--contacts"),
        responses: Optional[str] = typer.Option(None, "--responses"),
        sends: Optional[str] = typer.Option(None, "--sends"),
        by: Optional[List[str]] = typer.Option(None, "--by", metavar="COLUMN"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        locale: Optional[str] = typer.Option(None, "--locale"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        as_json: bool = typer.Option(False, "--json"),
        engine: str = typer.Option("pandas", "--engine"),
        memory_limit: str = typer.Option("4GB", "--memory-limit"),
        spill_dir: Optional[str] = typer.Option(None, "--spill-dir"),
        rejects: Optional[str] = typer.Option(None, "--rejects"),
    ) -> None:
        from cxtoolkit.kpis import to_json

        try:
            check_locale(locale)
            if engine not in ENGINES:
                raise InputError("error.cli.one", engine=repr(engine), value=', '.join(ENGINES))
            by = ",".join(by) if by else None
            if engine == "duckdb":
                cfg, overall, segments, meta, res = run_outofcore(config, contacts, client_data, memory_limit,
                                                                  by, rejects, start, end, responses, sends, locale,
                                                                  spill_dir)
                _say_outofcore(res, meta["warnings"], locale=client_locale(locale or cfg.locale))
                if as_json:
                    out = to_json(overall, segments, cfg)
                    print(json.dumps({**out, "meta": {**out.get("meta", {}), **meta}}, ensure_ascii=False,
                                     allow_nan=False))
                else:
                    _print_table(cfg, overall, segments, locale or cfg.locale, None)
                return
            elif rejects or spill_dir:
                raise InputError("error.cli.engine_duckdb_only", option="--rejects" if rejects else "--spill-dir")
            arrow_jemalloc()   # the Parquet read's memory: see cxtoolkit._speedups
            cfg, overall, segments, data = run_kpis(config, contacts, responses, sends, by, start, end,
                                                    client_data, locale)
        except InputError as exc:
            fail(exc, locale)
        say_loading(data)
        if as_json:
            out = with_meta(to_json(overall, segments, cfg), data)
            print(json.dumps(out, ensure_ascii=False, allow_nan=False))
            return
        _print_table(cfg, overall, segments, locale or cfg.locale, data)
