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
``--rejects F.csv|F.parquet`` writes the rejects; contacts only.
"""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from cxtoolkit._speedups import arrow_jemalloc
from cxtoolkit.cli.loadinfo import say_loading, with_meta
from cxtoolkit.errors import InputError
from cxtoolkit.messages import check_locale, text

TABLES = ("contacts", "responses", "sends", "daily_reports")


def run_kpis(config: str, contacts: Optional[str] = None, responses: Optional[str] = None,
             sends: Optional[str] = None, by: Optional[str] = None, start: Optional[str] = None,
             end: Optional[str] = None, client_data: Optional[str] = None):
    """Load the client's data and compute the KPIs; returns ``(cfg, overall, segments, data)``."""
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
        raise InputError(f"{config}: no contacts, daily reports nor responses "
                         "(give --contacts F or data.contacts in client.yml)")
    cut = [b.strip() for b in by.split(",") if b.strip()] if by else None
    # without --by only the columns the KPIs read are needed (a wide Parquet export's segment
    # columns are left unread: same rows accepted and rejected, same figures)
    needed = None if cut else {"contacts": set(CONTACT_COLUMNS)}
    data = io.load(cfg, tables=tables, paths=paths, start=start, end=end, needed=needed)
    cuts = [None, cut] if cut else [None]
    res = compute_many(data.contacts, data.responses, cfg, cuts=cuts, sends=data.sends,
                       daily_reports=data.daily_reports)
    frames = list(res.values())
    return cfg, frames[0], (frames[1] if cut else None), data


ENGINES = ("pandas", "duckdb")


def run_outofcore(config: str, contacts: Optional[str], client_data: Optional[str], memory_limit: str,
                  by: Optional[str] = None, rejects: Optional[str] = None):
    """``--engine duckdb``: ``(cfg, overall one-row frame, segments frame or None, payload meta, result)``
    from the contacts file (Parquet or CSV), validated in SQL (:func:`cxtoolkit.outofcore.compute`)."""
    from pathlib import Path

    import pandas as pd

    from cxtoolkit.config import load_client
    from cxtoolkit.outofcore import compute as outofcore_compute

    cfg = load_client(config, client_data)
    path = Path(contacts) if contacts else (cfg.data_path("contacts") if "contacts" in cfg.data else None)
    if path is None:
        raise InputError(f"{config}: --engine duckdb needs the contacts (give --contacts F)")
    shown = str(contacts) if contacts else cfg.data_file("contacts")
    if not path.is_file():
        raise InputError(f"{shown}: file not found")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise InputError(f"{shown}: --engine duckdb reads Parquet or CSV (convert the workbook first, "
                         "or use the default engine)")
    cut = [b.strip() for b in by.split(",") if b.strip()] if by else []
    try:
        res = outofcore_compute(cfg, path, cut, name=shown, memory_limit=memory_limit, rejects_to=rejects)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - duckdb's binder/IO errors: one line naming the file
        msg = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{shown}: not readable as contacts by DuckDB ({msg})") from None
    frame = pd.DataFrame([res.overall], index=["overall"])
    segments = None
    if res.segments is not None:
        segments = pd.DataFrame(list(res.segments.values()), index=list(res.segments))
    c = res.counts
    meta = {"engine": "duckdb", "validated": True,
            "tables": {"contacts": {"file": c["file"], "read": c["read"], "accepted": c["accepted"],
                                    "rejected": c["rejected"], "ignored_columns": res.ignored_columns,
                                    "blanked": res.blanked, "preset": None, "out_of_period": 0}},
            "warnings": res.warnings}
    if res.rejects_file:
        meta["rejects_file"] = res.rejects_file
    return cfg, frame, segments, meta, res


def _say_outofcore(res, stream=None) -> None:
    """stderr: rejected rows and warnings of the out-of-core engine (as :func:`say_loading`)."""
    stream = stream or sys.stderr
    c = res.counts
    if c["rejected"]:
        where = res.rejects_file or "give --rejects F.csv to write them"
        print(f"contacts: {c['rejected']:,} of {c['read']:,} row(s) rejected in {c['file']} ({where})", file=stream)
    for w in res.warnings:
        print(f"warning: {w}", file=stream)


def _print_table(cfg, overall, segments, locale: str, data) -> None:
    from rich.console import Console
    from rich.table import Table

    from cxtoolkit.kpis import status_table
    from cxtoolkit.viz.kpis import format_value

    def fmt(key, value, unit):
        return format_value(value, unit, locale, half_width=key.startswith("nps_ci"))

    styles = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}
    st = status_table(overall, cfg, locale)
    table = Table(title=text("cli.kpis.title", locale, client=cfg.name or cfg.client))
    table.add_column("KPI")
    table.add_column(text("cli.kpis.overall", locale), justify="right")
    table.add_column(text("cli.kpis.target", locale), justify="right")
    seg_rows = []
    if segments is not None:
        seg_rows = list(segments.index)[:12]
        for s in seg_rows:
            table.add_column(" | ".join(map(str, s)) if isinstance(s, tuple) else str(s), justify="right")
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
    console = Console()
    console.print(table)
    if segments is not None and len(segments) > len(seg_rows):
        console.print(f"… {len(segments) - len(seg_rows)} more segment(s); use --json for all.")
    formula = cfg.kpi.service_level_formula
    console.print(text("cli.kpis.sl_formula", locale, formula=formula))


def register(app: typer.Typer) -> None:
    @app.command("kpis")
    def kpis_command(
        config: str = typer.Option(..., "--config", help="client.yml path or client slug"),
        contacts: Optional[str] = typer.Option(None, "--contacts", help="contacts file (overrides client.yml data.contacts)"),
        responses: Optional[str] = typer.Option(None, "--responses", help="survey answers file"),
        sends: Optional[str] = typer.Option(None, "--sends", help="survey invitations file (response rate)"),
        by: Optional[List[str]] = typer.Option(None, "--by", help="segment column or time slicer (hour, weekday, week, month, date); a,b or --by a --by b for two-way"),
        start: Optional[str] = typer.Option(None, "--from", help="first day (YYYY-MM-DD)"),
        end: Optional[str] = typer.Option(None, "--to", help="last day, included (YYYY-MM-DD)"),
        locale: Optional[str] = typer.Option(None, "--locale", help="fr or en (default: client.yml)"),
        client_data: Optional[str] = typer.Option(None, "--client-data", help="folder of client folders (with a slug in --config)"),
        as_json: bool = typer.Option(False, "--json", help="print a JSON object on stdout"),
        engine: str = typer.Option("pandas", "--engine", help="pandas (every KPI) or duckdb "
                                   "(out of core: contacts larger than memory, Parquet or CSV, validated in SQL)"),
        memory_limit: str = typer.Option("4GB", "--memory-limit", help="--engine duckdb: memory bound, spills past it"),
        rejects: Optional[str] = typer.Option(None, "--rejects", help="--engine duckdb: write the rejects there "
                                              "(.csv, or .parquet for very many)"),
    ) -> None:
        """Contact-centre and survey KPIs, overall and per segment, with RAG status."""
        from cxtoolkit.kpis import to_json

        try:
            check_locale(locale)
            if engine not in ENGINES:
                raise InputError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
            by = ",".join(by) if by else None
            if engine == "duckdb":
                if responses or sends or start or end:
                    raise InputError("--engine duckdb: contacts only (no --responses, --sends, --from, --to)")
                cfg, overall, segments, meta, res = run_outofcore(config, contacts, client_data, memory_limit,
                                                                  by, rejects)
                _say_outofcore(res)
                if as_json:
                    out = to_json(overall, segments, cfg)
                    print(json.dumps({**out, "meta": {**out.get("meta", {}), **meta}}, ensure_ascii=False,
                                     allow_nan=False))
                else:
                    _print_table(cfg, overall, segments, locale or cfg.locale, None)
                return
            elif rejects:
                raise InputError("--rejects: with --engine duckdb only (the default engine: `cxtoolkit validate`)")
            arrow_jemalloc()   # the Parquet read's memory: see cxtoolkit._speedups
            cfg, overall, segments, data = run_kpis(config, contacts, responses, sends, by, start, end,
                                                    client_data)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(2)
        say_loading(data)
        if as_json:
            out = with_meta(to_json(overall, segments, cfg), data)
            print(json.dumps(out, ensure_ascii=False, allow_nan=False))
            return
        _print_table(cfg, overall, segments, locale or cfg.locale, data)
