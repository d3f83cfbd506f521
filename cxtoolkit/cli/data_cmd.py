"""``cxtoolkit validate``: load every table of a client, report accepted / rejected rows.

Exit status: 0 every row accepted, 1 some rows rejected (see ``rejects.csv``), 2 unusable
input (missing file or column, empty or binary file…: one line on stderr).

Examples
--------
``cxtoolkit validate --config client_data/demo/client.yml``
``cxtoolkit validate --config client_data/acme/client.yml --contacts export_mars.xlsx --out /tmp/v --json``
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cxtoolkit._speedups import arrow_jemalloc, imports_without_gc, quick_exit_after_command
from cxtoolkit.cli.loadinfo import fail, say_loading, with_meta
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.jsonable import json_safe
from cxtoolkit.messages import text

def run_validate(config: str, out: Optional[str] = None, paths: Optional[dict] = None,
                 start: Optional[str] = None, end: Optional[str] = None, client_data: Optional[str] = None,
                 locale: Optional[str] = None):
    """Load + write rejects (reasons in ``locale``, else the client's); returns ``(cfg, data, rejects_path)``.

    The data files start being read and parsed in a thread before pandas is imported
    (:mod:`cxtoolkit.io.prefetch`): those given on the command line at once, client.yml's once
    it is read (none when a cache of parsed files is set: a cached file is not read).
    """
    import os

    from cxtoolkit.config import load_client
    from cxtoolkit.envvars import ENV_CACHE_DIR
    from cxtoolkit.io import prefetch

    paths = {k: v for k, v in (paths or {}).items() if v}
    early = not os.environ.get(ENV_CACHE_DIR, "").strip()
    try:
        with imports_without_gc():
            arrow_jemalloc()   # the CSV read's memory (see cxtoolkit._speedups): before the first read
            for file in paths.values() if early else ():
                prefetch.start(file)
            cfg = load_client(config, client_data)
            for table in cfg.data if early else ():
                if table not in paths:
                    try:
                        prefetch.start(cfg.data_path(table))
                    except InputError:   # (said by the loading below)
                        pass
            from cxtoolkit.io import load, write_rejects   # pandas, while the files are parsed
            from cxtoolkit.privacy import mask_rejects
            from cxtoolkit.workspace import reports_dir

        if not cfg.data and not paths:
            raise InputError("error.cli.data_files_listed", config=config)
        data = load(cfg, paths=paths, start=start, end=end, locale=locale, frames=False)   # counts, not tables
    finally:
        prefetch.pending()   # reads not taken (a file read another way): wait for them, free them
    out_dir = Path(out) if out else reports_dir() / cfg.client / "validation"
    path = write_rejects(mask_rejects(data.rejects), out_dir)   # masked like every output
    return cfg, data, path


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate_command(
        config: str = typer.Option(..., "--config"),
        out: Optional[str] = typer.Option(None, "--out"),
        contacts: Optional[str] = typer.Option(None, "--contacts"),
        responses: Optional[str] = typer.Option(None, "--responses"),
        sends: Optional[str] = typer.Option(None, "--sends"),
        evaluations: Optional[str] = typer.Option(None, "--evaluations"),
        agents: Optional[str] = typer.Option(None, "--agents"),
        daily_reports: Optional[str] = typer.Option(None, "--daily-reports"),
        start: Optional[str] = typer.Option(None, "--from", "--start"),
        end: Optional[str] = typer.Option(None, "--to", "--end"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        paths = dict(contacts=contacts, responses=responses, sends=sends, evaluations=evaluations,
                     agents=agents, daily_reports=daily_reports)
        try:
            check_locale(locale)
            cfg, data, path = run_validate(config, out, paths, start, end, client_data, locale)
        except InputError as exc:
            fail(exc, locale)
        code = 0 if data.clean else 1
        quick_exit_after_command()   # the tables are not freed one by one at exit (cxtoolkit._speedups)
        if as_json:
            reasons = (data.rejects.groupby(["table", "column", "reason"]).size().sort_values(ascending=False)
                       .head(20).reset_index(name="n").to_dict(orient="records")) if len(data.rejects) else []
            payload = {"client": cfg.client, "counts": data.counts, "rejects_file": str(path),
                       "top_reasons": [{k: (int(v) if k == "n" else v) for k, v in r.items()} for r in reasons],
                       "status": code}
            say_loading(data)
            print(json.dumps(json_safe(with_meta(payload, data)), ensure_ascii=False, allow_nan=False))
            raise typer.Exit(code)
        say_loading(data)
        _print_table(cfg, data, path, locale or cfg.locale)
        raise typer.Exit(code)


def _print_table(cfg, data, path: Path, locale: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from rich.markup import escape

    from cxtoolkit.report.tables import value_label
    from cxtoolkit.rules import format_value

    def n(v) -> str:   # 1 251 in French (1,251 reads as a decimal there)
        return format_value(v, "count", locale)

    lab = {k: text(f"cli.data.{k}", locale) for k in ("title", "table", "file", "read", "accepted", "rejected",
                                                       "out", "rejects", "reasons")}
    t = Table(title=f"{lab['title']} — {cfg.name or cfg.client}")
    for c in ("table", "file", "read", "accepted", "rejected", "out"):   # a file name folded, never cut
        t.add_column(lab[c], justify="right" if c in ("read", "accepted", "rejected", "out") else "left",
                     overflow="fold" if c == "file" else "ellipsis")
    for table, c in data.counts.items():
        rej = f"[red]{n(c['rejected'])}[/red]" if c["rejected"] else "0"
        t.add_row(value_label("data_table", table, locale) or table, escape(str(c["file"])), n(c["read"]),
                  n(c["accepted"]), rej, n(c.get("out_of_period", 0)))
    con = Console()
    con.print(t)
    if len(data.rejects):
        top = data.rejects.groupby(["table", "column", "reason"]).size().sort_values(ascending=False).head(10)
        con.print(lab["reasons"])
        for (table, column, reason), k in top.items():
            where = f"{value_label('data_table', table, locale) or table} · {column}"   # Contacts · outcome
            con.print("  " + text("common.labelled", locale, label=where, value=f"{reason} × {n(k)}"), markup=False)
    con.print(f"{lab['rejects']} {path}", markup=False)
