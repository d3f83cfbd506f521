"""``cxtoolkit demo``: generate the demo client if absent, then run the main job.

The demo client lives in the working folder (``client_data/demo/``): its packaged
``client.yml`` is copied there when missing (:func:`cxtoolkit.io.scaffold.ensure_demo_client`),
then its data is generated.

The main job is the full audit (:func:`cxtoolkit.audit.run_audit`) when it is available,
of the month before the data's last month then of the last month (:func:`demo_periods`), so
the second audit's "what changed since the last audit" (its index page and ``changes.csv``)
shows the demo's short-staffed last month with each change's significance;
otherwise (or with ``--summary``) the data is loaded with :func:`cxtoolkit.io.load` and a
short KPI summary is printed. At the very least the command generates the data and says
where it is.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from cxtoolkit._speedups import quick_exit_after_command
from cxtoolkit.cli.progress import said, status_word
from cxtoolkit.errors import InputError
from cxtoolkit.messages import text
from cxtoolkit.rules import audit_period_text, format_value



def _say(msg: str) -> None:
    typer.echo(msg, err=True)


def _fmt(key: str, value, locale: str) -> str:
    from cxtoolkit.kpis.registry import KPIS

    return format_value(value, KPIS[key].unit if key in KPIS else "", locale)


def demo_periods(end, months: int) -> list[str]:
    """The periods ``make demo`` audits: the month before ``end``'s month, then ``end``'s
    (only that one when the demo spans a single month).

    >>> demo_periods("2026-10-31", 6)
    ['2026-09', '2026-10']
    >>> demo_periods("2026-01-15", 1)
    ['2026-01']
    """
    import pandas as pd

    last = pd.Timestamp(end).to_period("M")
    return [str(p) for p in ([last - 1, last] if months >= 2 else [last])]


def _status(key: str, status: str | None, cfg) -> str:
    """The status word in the client's language; the abandonment rate's "proche" says where it
    ends (jusqu'à 23,5 %: it is judged as the answer rate)."""
    from cxtoolkit.kpis.commentary import close_band
    from cxtoolkit.kpis.registry import target_of
    from cxtoolkit.report.tables import value_label

    word = value_label("rag", status, cfg.locale) or ""
    band = close_band(key, target_of(key, cfg.targets), cfg.locale) if status == "amber" else None
    return f"{word} ({band})" if band else word


def audit_summary(res, cfg) -> list[str]:
    """What ``make demo`` ends with: status, where the reports are, the headline KPIs."""
    from cxtoolkit.kpis.registry import CLI_SUMMARY_KPIS, label

    loc = cfg.locale
    lines = [said("audit_done", loc, status=status_word(res.status, loc),
                  duration=format_value(res.duration_s, "seconds", loc), folder=res.folder)]
    if res.error:
        lines.append(f"  error: {res.error}")
    index = Path(res.folder) / "index.html"
    if index.is_file():
        lines.append(said("reports_open", loc, index=index))
    row = res.kpi_summary or {}
    if row:
        lines.append(said("kpi_summary", loc, client=cfg.name or cfg.client))
    for key in CLI_SUMMARY_KPIS:
        if key in row:   # {"value", "status", "label_fr", "label_en"} per KPI (manifest's kpi_summary)
            entry = row[key]
            lines.append(f"  {label(key, cfg.locale):<45} {_fmt(key, entry.get('value'), cfg.locale):>12}  "
                         f"{_status(key, entry.get('status'), cfg)}")
    return lines


def kpi_summary(cfg) -> list[str]:
    """Lines of a short KPI summary of the client's data (labels in the client's locale)."""
    from cxtoolkit import io
    from cxtoolkit.kpis import compute
    from cxtoolkit.kpis.registry import CLI_SUMMARY_KPIS, label, rag

    data = io.load(cfg)
    lines = []
    for table, c in data.counts.items():
        lines.append(said("counts", cfg.locale, table=text(f"common.table.{table}", cfg.locale),
                          **{k: format_value(c[k], "count", cfg.locale) for k in ("read", "accepted", "rejected")}))
    kpis = compute(contacts=data.contacts, responses=data.responses, cfg=cfg, sends=data.sends,
                   assumed=data.assumed_by_table())
    row = kpis.iloc[0]
    for key in CLI_SUMMARY_KPIS:
        if key in row.index:
            status = _status(key, rag(key, None if row[key] != row[key] else row[key], cfg.targets), cfg)
            lines.append(f"  {label(key, cfg.locale):<45} {_fmt(key, row[key], cfg.locale):>12}  {status}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        client: str = typer.Option("demo", "--client"),
        client_data: Optional[Path] = typer.Option(None, "--client-data"),
        force: bool = typer.Option(False, "--force"),
        summary: bool = typer.Option(False, "--summary"),
        out: Optional[Path] = typer.Option(None, "--out"),
    ) -> None:
        from cxtoolkit.config import load_client
        from cxtoolkit.datasets import demo_settings, generate_client
        from cxtoolkit.io.scaffold import ensure_demo_client

        written = ensure_demo_client(client, client_data)
        cfg = load_client(client, client_data)
        loc = cfg.locale                    # every line below in the demo client's language
        if written is not None:
            _say(said("demo_config", loc, path=written))
        if not cfg.data:
            raise InputError("error.cli.data_section_nothing", value=cfg.folder / 'client.yml')
        s = demo_settings(cfg)
        missing = [t for t in cfg.data if not (cfg.data_path(t) or Path()).exists()]
        t0 = time.perf_counter()
        if force or missing:
            _say(said("demo_generating", loc, client=cfg.client, contacts=format_value(s["contacts"], "count", loc),
                      answers=format_value(s["responses"], "count", loc), months=s["months"], seed=s["seed"]))
        paths = generate_client(cfg.folder, cfg, force=force)
        if force or missing:
            _say(said("done_in", loc, duration=format_value(time.perf_counter() - t0, "number", loc) + " s"))
        _say(said("demo_data", loc, folder=cfg.folder))
        for table, p in paths.items():
            _say(f"  {table:<12} {p.name}")

        run_audit = None
        if not summary:
            try:
                from cxtoolkit.audit import run_audit
            except ImportError:
                run_audit = None
        if run_audit is not None:
            def progress(e: dict) -> None:
                if e.get("event") == "notebook_start":
                    _say(f"  ▶ {e.get('notebook')}…")
                elif e.get("event") == "notebook_end":
                    _say(said("notebook_end", loc, notebook=e.get("notebook"), status=status_word(e.get("status"), loc))
                         + (f" ({e['error']})" if e.get("error") else ""))

            for period in demo_periods(s["end"], s["months"]):
                _say(said("audit_running", loc, client=cfg.client, period=audit_period_text(period, loc)))
                res = run_audit(cfg.client, period=period, client_data=cfg.folder.parent, out=out,
                                progress=progress)
                quick_exit_after_command()   # the audit's tables and libraries are not freed one by one at exit
                for line in audit_summary(res, cfg):
                    typer.echo(line)
                if res.status == "failed":
                    raise typer.Exit(1)
            return
        try:
            lines = kpi_summary(cfg)
        except ImportError as exc:   # io / kpis not available yet
            _say(said("no_summary", loc, reason=exc))
            return
        for line in lines:
            typer.echo(line)
