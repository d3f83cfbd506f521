"""``cxtoolkit audit`` and ``cxtoolkit batch``: recurring client audits.

Examples (shell)::

    cxtoolkit audit demo --period 2026-10
    cxtoolkit audit acme --from 2026-07-01 --to 2026-09-30 --out reports --timeout 900
    cxtoolkit batch --clients all --period 2026-10 --workers 2
    cxtoolkit batch --clients acme,demo --period 2026-Q3 --scheduler tcp://10.0.0.5:8786

Exit status: 0 when every audit is ok, 1 when one failed (it is still published, with
its error), 2 for unusable arguments (unknown client, bad period...).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from cxtoolkit._speedups import quick_exit_after_command


def _json(obj) -> str:
    from cxtoolkit.jsonable import to_json

    return to_json(obj)


def _names(value: Optional[str]):
    return [s.strip() for s in value.split(",") if s.strip()] if value else None


def register(app: typer.Typer) -> None:
    @app.command("audit")
    def audit(
        client: str = typer.Argument(...),
        period: Optional[str] = typer.Option(None, "--period"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        client_data: Optional[Path] = typer.Option(None, "--client-data"),
        out: Optional[Path] = typer.Option(None, "--out"),
        timeout: float = typer.Option(600, "--timeout", min=1),
        warehouse: Optional[Path] = typer.Option(None, "--warehouse"),
        notebooks: Optional[str] = typer.Option(None, "--notebooks"),
        notebook_dir: Optional[Path] = typer.Option(None, "--notebook-dir"),
        jobs: Optional[int] = typer.Option(None, "--jobs", min=1),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        from rich.console import Console
        from rich.markup import escape

        from cxtoolkit.audit.runner import run_audit
        from cxtoolkit.cli.progress import said, status_word
        from cxtoolkit.config import load_client
        from cxtoolkit.errors import check_locale
        from cxtoolkit.report.tables import skip_reason
        from cxtoolkit.rules import format_value

        err = Console(stderr=True)
        # the progress lines in the audit's language: --locale, else the client's
        loc = check_locale(locale) or load_client(client, client_data).locale

        def progress(e: dict) -> None:
            if e["event"] == "notebook_start":
                err.print(f"  ▶ {e['notebook']}…")
            elif e["event"] == "notebook_end":
                colour = {"ok": "green", "failed": "red"}.get(e["status"], "yellow")
                why = e.get("said") or e.get("error") or skip_reason(e.get("reason") or "", loc)
                err.print(f"  [{colour}]{status_word(e['status'], loc)}[/{colour}] {e['notebook']}"
                          + (f" — {escape(why)}" if why else ""), highlight=False)

        res = run_audit(client, period=period, start=start, end=end, client_data=client_data, out=out,
                        timeout=timeout, notebooks=_names(notebooks), progress=None if as_json else progress,
                        notebook_dir=notebook_dir, warehouse=warehouse, jobs=jobs, locale=locale or "")
        quick_exit_after_command()   # the audit's tables and libraries are not freed one by one at exit
        if as_json:
            print(_json(res.manifest))
        else:
            colour = "green" if res.status == "ok" else "red"
            err.print(f"[{colour}]{status_word(res.status, loc)}[/{colour}] {res.client} {res.period} "
                      f"({format_value(res.duration_s, 'number', loc)} s) → {res.folder / 'index.html'}")
            if res.error:
                err.print(f"[red]{escape(res.error_said(loc))}[/red]", highlight=False)
            stored = res.manifest.get("steps", {}).get("warehouse")
            if stored:
                why = stored.get("said") or stored["reason"]      # said in the audit's language, as loc
                err.print(f"[yellow]{escape(said('history', loc, reason=why))}[/yellow]", highlight=False)
        if res.status != "ok":
            raise typer.Exit(1)

    @app.command("batch")
    def batch(
        clients: str = typer.Option("all", "--clients"),
        period: Optional[str] = typer.Option(None, "--period"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        workers: Optional[int] = typer.Option(None, "--workers", min=1),
        scheduler: Optional[str] = typer.Option(None, "--scheduler"),
        client_data: Optional[Path] = typer.Option(None, "--client-data"),
        out: Optional[Path] = typer.Option(None, "--out"),
        timeout: float = typer.Option(600, "--timeout", min=1),
        warehouse: Optional[Path] = typer.Option(None, "--warehouse"),
        notebooks: Optional[str] = typer.Option(None, "--notebooks"),
        notebook_dir: Optional[Path] = typer.Option(None, "--notebook-dir"),
        as_json: bool = typer.Option(False, "--json"),
        no_progress: bool = typer.Option(False, "--no-progress"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        from rich.console import Console

        from cxtoolkit.audit.batch import run_batch, summary_table
        from cxtoolkit.errors import check_locale

        res = run_batch(clients, locale=check_locale(locale), period=period, start=start, end=end, client_data=client_data, out=out,
                        workers=workers, scheduler=scheduler, timeout=timeout, notebooks=_names(notebooks),
                        notebook_dir=notebook_dir, warehouse=warehouse,
                        progress=not (no_progress or as_json or not sys.stderr.isatty()))
        if as_json:
            print(_json(res.to_dict()))
        else:
            Console(stderr=False).print(summary_table(res))
        if res.exit_code:
            raise typer.Exit(res.exit_code)
