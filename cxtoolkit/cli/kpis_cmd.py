"""``cxtoolkit kpis``: contact-centre and survey KPIs of a client, overall and per segment.

Stable contract (other tools rely on it)::

    cxtoolkit kpis --config client_data/<c>/client.yml [--contacts F] [--responses F]
                   [--sends F] [--by COLUMN] [--from D] [--to D] [--locale fr|en] --json

prints ``{"overall": {kpi: value}, "segments": {value: {kpi: value}}, "meta": {...}}`` on
stdout (``segments`` only with ``--by``; undefined values are ``null``; keys are the registry
keys). Without ``--json``: a table with labels in the client's locale and RAG colours.
``--by`` accepts a column or a time slicer (hour, weekday, week, month, date); two-way cuts
as ``--by weekday,hour``.

``--engine duckdb`` computes the contact KPIs of :data:`cxtoolkit.outofcore.CHECK` out of core
(DuckDB over a clean Parquet file, memory bounded by ``--memory-limit``): for files larger
than memory (100M contacts), same figures as the default pandas engine; no row validation,
no ``--by``, contacts only.
"""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer

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


def run_outofcore(config: str, contacts: Optional[str], client_data: Optional[str], memory_limit: str):
    """``--engine duckdb``: ``(cfg, overall one-row frame, meta)`` from the contacts Parquet file."""
    from pathlib import Path

    import pandas as pd

    from cxtoolkit.config import load_client
    from cxtoolkit.outofcore import overall as outofcore_overall

    cfg = load_client(config, client_data)
    path = Path(contacts) if contacts else (cfg.data_path("contacts") if "contacts" in cfg.data else None)
    if path is None:
        raise InputError(f"{config}: --engine duckdb needs the contacts (give --contacts F.parquet)")
    if not path.is_file():
        raise InputError(f"{contacts or path}: file not found")
    with open(path, "rb") as fh:
        parquet = fh.read(4) == b"PAR1"
    if not parquet:
        raise InputError(f"{contacts or path}: --engine duckdb reads a Parquet file (convert the export "
                         "first, or use the default engine)")
    try:
        values = outofcore_overall(cfg, path, memory_limit=memory_limit)
    except Exception as exc:  # noqa: BLE001 - duckdb's binder/IO errors: one line naming the file
        msg = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{contacts or path}: not readable as clean typed contacts by DuckDB ({msg})") from None
    frame = pd.DataFrame([values], index=["overall"])
    meta = {"engine": "duckdb", "file": str(contacts or path), "validated": False, "kpis": list(values)}
    return cfg, frame, meta


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
        by: Optional[str] = typer.Option(None, "--by", help="segment column or time slicer (hour, weekday, week, month, date); a,b for two-way"),
        start: Optional[str] = typer.Option(None, "--from", help="first day (YYYY-MM-DD)"),
        end: Optional[str] = typer.Option(None, "--to", help="last day, included (YYYY-MM-DD)"),
        locale: Optional[str] = typer.Option(None, "--locale", help="fr or en (default: client.yml)"),
        client_data: Optional[str] = typer.Option(None, "--client-data", help="folder of client folders (with a slug in --config)"),
        as_json: bool = typer.Option(False, "--json", help="print a JSON object on stdout"),
        engine: str = typer.Option("pandas", "--engine", help="pandas (validated, every KPI) or duckdb "
                                   "(out of core: a Parquet file larger than memory, contact KPIs overall)"),
        memory_limit: str = typer.Option("4GB", "--memory-limit", help="--engine duckdb: memory bound, spills past it"),
    ) -> None:
        """Contact-centre and survey KPIs, overall and per segment, with RAG status."""
        from cxtoolkit.kpis import to_json

        try:
            check_locale(locale)
            if engine not in ENGINES:
                raise InputError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
            if engine == "duckdb":
                if by or responses or sends or start or end:
                    raise InputError("--engine duckdb: contacts overall only (no --by, --responses, --sends, "
                                     "--from, --to)")
                cfg, overall, meta = run_outofcore(config, contacts, client_data, memory_limit)
                if as_json:
                    out = to_json(overall, None, cfg)
                    print(json.dumps({"overall": out["overall"], "meta": {**out.get("meta", {}), **meta}},
                                     ensure_ascii=False,
                                     allow_nan=False))
                else:
                    _print_table(cfg, overall, None, locale or cfg.locale, None)
                return
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
