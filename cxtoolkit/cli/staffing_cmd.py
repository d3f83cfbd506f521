"""``cxtoolkit staffing``: agents needed for a load (Erlang C / Erlang A), or per weekday ×
interval from a client's data.

Stable contract (other tools rely on it)::

    cxtoolkit staffing --arrivals-per-hour R --aht-s S
                       (--service-level P --within-s T | --max-wait-probability Q | --max-asa-s A)
                       [--max-occupancy O] [--shrinkage H] [--patience-s P] [--agents N] --json

prints ``{"agents", "agents_with_shrinkage", "p_wait", "service_level", "asa_s", "occupancy",
"p_abandon"}``: the fewest agents on the phones meeting every target given (or, with
``--agents N``, the metrics for N agents), agents with shrinkage = ceil(agents / (1 − H)).
With ``--patience-s`` the search and every metric use Erlang A (``p_abandon`` set); without
it Erlang C (``p_abandon`` null). No occupancy cap nor shrinkage unless given. Undefined
values (0/0, an unstable queue's ASA) are null.

::

    cxtoolkit staffing --config client.yml [--client-data D] [--contacts F] [--from D] [--to D]
                       [--weekday mon..sun] [--interval-min 15|30|60] [--aht-s S] [targets as above] --json

prints ``{"plan": [{"weekday", "interval_start", "arrivals_per_hour", "aht_s", "agents",
"agents_seen"}, ...]}``: every interval of the day (zeros included) of each weekday (or of
``--weekday``), arrivals per hour = mean over the weeks observed of every inbound phone
contact (answered or not), ``aht_s`` measured (or ``--aht-s``), ``agents`` needed on the
phones, ``agents_seen`` = distinct agents answering (mean over the same weeks; null
without ``agent_id``), and the loading's ``"meta": {"tables": {...}, "warnings": [...]}``
(:mod:`cxtoolkit.cli.loadinfo`) with ``"not_measured"``: the staffing figures resting on a column
the mapping assumed (``answered``, ``answer_rate_seen``, ``patience_s`` with ``assumed: [answered]``),
said in the client's language at the end of the warnings. Targets, occupancy cap and shrinkage default to client.yml
(``targets.service_level`` within ``kpi.service_level_s``, ``staffing:``) when none is
given. Sizing uses Erlang A only with ``--patience-s``.
Without ``--json``: readable tables, the gap, its weekly cost and a commentary.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Optional

import typer

from cxtoolkit.cli.loadinfo import say_loading, with_meta

from cxtoolkit.errors import InputError, check_locale, error_line
from cxtoolkit.jsonable import json_safe
from cxtoolkit.findings import Msg
from cxtoolkit.messages import command_locale, text

PLAN_KEYS = ("weekday", "interval_start", "arrivals_per_hour", "aht_s", "agents", "agents_seen")
SCALAR_KEYS = ("agents", "agents_with_shrinkage", "p_wait", "service_level", "asa_s", "occupancy", "p_abandon")


def check_options(*, arrivals_per_hour=None, aht_s=None, service_level=None, within_s=None,
                  max_wait_probability=None, max_asa_s=None, max_occupancy=None, shrinkage=None,
                  patience_s=None, agents=None) -> None:
    """One-line :class:`InputError` naming the option for an impossible value."""
    def bad(name, value, why):
        from cxtoolkit.queueing import said_number
        raise InputError("error.staffing_cmd.option_invalid", option=name, value=said_number(value),
                         why=Msg(f"error.staffing_cmd.{why}"))
    if arrivals_per_hour is not None and not arrivals_per_hour >= 0:
        bad("--arrivals-per-hour", arrivals_per_hour, "zero_or_more")
    if aht_s is not None and not aht_s > 0:
        bad("--aht-s", aht_s, "more_than_0_seconds")
    for name, v in (("--service-level", service_level), ("--max-wait-probability", max_wait_probability),
                    ("--max-occupancy", max_occupancy)):
        if v is not None and not 0 < v <= 1:
            bad(name, v, "share_open_closed")
    if within_s is not None and not within_s >= 0:
        bad("--within-s", within_s, "zero_or_more_seconds")
    if max_asa_s is not None and not max_asa_s > 0:
        bad("--max-asa-s", max_asa_s, "more_than_0_seconds")
    if shrinkage is not None and not 0 <= shrinkage < 1:
        bad("--shrinkage", shrinkage, "share_closed_open")
    if patience_s is not None and not patience_s > 0:
        bad("--patience-s", patience_s, "more_than_0_seconds")
    if agents is not None and agents < 0:
        raise InputError("error.staffing_cmd.agents_negative", agents=agents)


def run_scalar(arrivals_per_hour: float, aht_s: float, *, service_level=None, within_s=None,
               max_wait_probability=None, max_asa_s=None, max_occupancy=None, shrinkage=None,
               patience_s=None, agents=None) -> dict[str, Any]:
    """The first form of the contract as a dict (JSON-safe values)."""
    import numpy as np

    from cxtoolkit import queueing as Q

    if aht_s is None:
        raise InputError("error.staffing_cmd.aht_required")
    within = 20.0 if within_s is None else float(within_s)
    if agents is None:
        if service_level is None and max_wait_probability is None and max_asa_s is None:
            raise InputError("error.staffing_cmd.no_target")
        n = int(Q.agents_needed(arrivals_per_hour, aht_s, service_level=service_level, within_s=within,
                                max_wait_probability=max_wait_probability, max_asa_s=max_asa_s,
                                max_occupancy=max_occupancy, patience_s=patience_s))
    else:
        n = int(agents)
    with np.errstate(all="ignore"):
        if patience_s is not None:
            m = Q.erlang_a_metrics(n, arrivals_per_hour, aht_s, patience_s, within_s=within)
        else:
            m = Q.erlang_c_metrics(n, arrivals_per_hour, aht_s, within_s=within)
    out = {"agents": n, "agents_with_shrinkage": int(Q.with_shrinkage(n, shrinkage or 0.0)),
           "p_wait": float(m["p_wait"]), "service_level": float(m["service_level"]),
           "asa_s": float(m["asa_s"]), "occupancy": float(m["occupancy"]),
           "p_abandon": float(m["p_abandon"]) if patience_s is not None else None}
    if arrivals_per_hour == 0 and n == 0:          # no call, no agent: every ratio is 0/0
        out.update(p_wait=None, service_level=None, asa_s=None, occupancy=None, p_abandon=None)
    return {k: json_safe(out[k]) for k in SCALAR_KEYS}


def run_plan(config: str, *, client_data=None, contacts=None, start=None, end=None, weekday=None,
             interval_min=None, aht_s=None, service_level=None, within_s=None, max_wait_probability=None,
             max_asa_s=None, max_occupancy=None, shrinkage=None, patience_s=None, locale=None):
    """Load the client's contacts and plan every weekday × interval (errors about the data in
    ``locale``, default the client's).

    Returns ``(cfg, res, data)``: ``res`` the staffing figures and their notes from the one
    producer (:func:`cxtoolkit.pipeline.produce.staffing_figures`, also the staffing page's and
    the deck's): the plan frame of :func:`cxtoolkit.staffing.staffing_plan` (with the client's
    hourly cost, Erlang A predictions with ``--patience-s``, ``staffing.patience_s`` or the
    patience estimated from the data), the sizing settings used (``targets``), the patience
    used for the predictions, the figures not measured and the note saying so.
    """
    from cxtoolkit import io
    from cxtoolkit import staffing as S
    from cxtoolkit.config import load_client
    from cxtoolkit.pipeline.produce import staffing_figures

    cfg = load_client(config, client_data)
    if weekday is not None:
        S.weekday_index(weekday)                               # fail before loading
    interval = S.check_interval(interval_min if interval_min is not None else cfg.staffing.interval_min)
    if "contacts" not in cfg.data and not contacts:
        raise InputError("error.staffing_cmd.no_contacts", config=config)
    data = io.load(cfg, tables=["contacts"], paths={"contacts": contacts} if contacts else None,
                   start=start, end=end, locale=locale)
    say_loading(data)
    if data.contacts is None or not len(data.contacts):
        raise InputError("error.staffing_cmd.no_contacts_in_period", config=config)
    targets = S.targets_from_config(cfg, service_level=service_level, within_s=within_s,
                                    max_wait_probability=max_wait_probability, max_asa_s=max_asa_s,
                                    max_occupancy=max_occupancy, shrinkage=shrinkage, patience_s=patience_s)
    res = staffing_figures(cfg, data, targets, interval, locale or cfg.locale, weekday=weekday, start=start,
                           end=end, size_with_patience=patience_s is not None, aht_s=aht_s)
    return cfg, res, data


def plan_json(plan) -> dict[str, Any]:
    """``{"plan": [...]}`` with exactly the contract's keys."""
    rows = []
    for r in plan.itertuples(index=False):
        rows.append({"weekday": str(r.day), "interval_start": str(r.interval_start),
                     "arrivals_per_hour": json_safe(float(r.arrivals_per_hour)), "aht_s": json_safe(float(r.aht_s)),
                     "agents": int(r.agents_required), "agents_seen": json_safe(float(r.agents_seen))})
    return {"plan": rows}


def staffing_json(res: dict, data) -> dict[str, Any]:
    """The ``--json`` document of a plan: :func:`plan_json` and the loading's ``meta``, whose
    ``not_measured`` lists the staffing figures resting on a column the mapping assumed and
    whose ``warnings`` end with the note saying so in the client's language (both from the one
    producer, :func:`cxtoolkit.pipeline.produce.staffing_figures`)."""
    doc = with_meta(plan_json(res["plan"]), data)
    meta = doc["meta"]
    meta["not_measured"] = list(res["not_measured"])
    meta["warnings"] = list(meta.get("warnings") or []) + [n for n in res["notes"] if n not in (meta.get("warnings") or [])]
    return doc


def _print_scalar(out: dict, locale: str) -> None:
    """The metrics of one load, labelled and formatted in ``locale`` (``--json`` keeps the keys)."""
    from rich.console import Console
    from rich.table import Table

    from cxtoolkit.rules import format_value

    table = Table(title=text("cli.staffing.scalar.title", locale, model="Erlang A" if out["p_abandon"] is not None
                             else "Erlang C"))
    table.add_column("")
    table.add_column("", justify="right")
    for k, unit in (("agents", "count"), ("agents_with_shrinkage", "count"), ("p_wait", "ratio"),
                    ("service_level", "ratio"), ("asa_s", "number"), ("occupancy", "ratio"), ("p_abandon", "ratio")):
        v = json_safe(out[k])
        table.add_row(text(f"cli.staffing.scalar.{k}", locale), "—" if v is None else format_value(v, unit, locale))
    Console().print(table)


def _print_plan(cfg, res: dict, locale: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from cxtoolkit import staffing as S
    from cxtoolkit.rules import format_value

    plan, targets, patience = res["plan"], res["targets"], res["patience_s"]
    console = Console()
    busy = plan[(plan["arrivals_per_hour"] > 0) | (plan["agents_seen"].fillna(0) > 0)]
    table = Table(title=text("cli.staffing.title", locale, client=cfg.name or cfg.client,
                             target=S.target_text(targets, locale)))
    heads = text("cli.staffing.heads", locale).split("|")
    for h in heads:
        table.add_column(h, justify="left" if h in heads[:2] else "right")
    days = S.day_labels(locale)
    def num(v, unit: str = "number", **options) -> str:   # the client's language: 10,5 and 95 % in French
        v = json_safe(v)
        return "—" if v is None else format_value(v, unit, locale, **options)

    for r in busy.itertuples(index=False):
        gap = json_safe(float(r.gap))
        gap_txt = "—" if gap is None else (f"[bold red]{num(gap, signed=True)}[/]" if gap > 0.5
                                           else num(gap, signed=True))
        table.add_row(days[r.weekday], r.interval_start, num(r.arrivals_per_hour),
                      num(r.aht_s, "count"), str(r.agents_required), str(r.agents_scheduled),
                      num(r.agents_seen), gap_txt,
                      f"{num(r.answer_rate_pred_seen, 'ratio', decimals=0)} → "
                      f"{num(r.answer_rate_plan, 'ratio', decimals=0)}")
    console.print(table)
    hidden = len(plan) - len(busy)
    if hidden:
        console.print(text("cli.staffing.hidden", locale, n=hidden))
    if patience:
        console.print(text("cli.staffing.patience", locale, seconds=f"{patience:.0f}"))
    for note in res["notes"]:    # figures resting on an assumed answered flag: said, never shown as seen
        console.print(note)
    for line in S.comment_plan(plan, locale, target_text=S.target_text(targets, locale), currency=cfg.currency):
        console.print("• " + line)


def register(app: typer.Typer) -> None:
    @app.command("staffing")
    def staffing_command(
        arrivals_per_hour: Optional[float] = typer.Option(None, "--arrivals-per-hour", help="calls offered per hour (one load)"),
        aht_s: Optional[float] = typer.Option(None, "--aht-s", help="average handling time (s); with --config, replaces the measured AHT"),
        service_level: Optional[float] = typer.Option(None, "--service-level", help="service-level target, e.g. 0.8"),
        within_s: Optional[float] = typer.Option(None, "--within-s", help="service-level threshold (s), default 20 (client.yml with --config)"),
        max_wait_probability: Optional[float] = typer.Option(None, "--max-wait-probability", help="maximum share of calls that wait"),
        max_asa_s: Optional[float] = typer.Option(None, "--max-asa-s", help="maximum average speed of answer (s)"),
        max_occupancy: Optional[float] = typer.Option(None, "--max-occupancy", help="occupancy cap, e.g. 0.85"),
        shrinkage: Optional[float] = typer.Option(None, "--shrinkage", help="paid time off the phones, e.g. 0.3"),
        patience_s: Optional[float] = typer.Option(None, "--patience-s", help="mean customer patience (s): Erlang A"),
        agents: Optional[int] = typer.Option(None, "--agents", help="metrics for this many agents instead of the search"),
        config: Optional[str] = typer.Option(None, "--config", help="client.yml path or client slug: plan from its data"),
        client_data: Optional[str] = typer.Option(None, "--client-data", help="folder of client folders (with a slug in --config)"),
        contacts: Optional[str] = typer.Option(None, "--contacts", help="contacts file (overrides client.yml data.contacts)"),
        start: Optional[str] = typer.Option(None, "--from", help="first day (YYYY-MM-DD)"),
        end: Optional[str] = typer.Option(None, "--to", help="last day, included (YYYY-MM-DD)"),
        weekday: Optional[str] = typer.Option(None, "--weekday", help="mon..sun (default: every day)"),
        interval_min: Optional[int] = typer.Option(None, "--interval-min", help="15, 30 or 60 (default: client.yml)"),
        locale: Optional[str] = typer.Option(None, "--locale", help="fr or en (default: client.yml)"),
        as_json: bool = typer.Option(False, "--json", help="print a JSON object on stdout"),
    ) -> None:
        """Agents needed for a service-level target (Erlang C, Erlang A with patience), for one
        load or per weekday × interval from a client's calls, with the gap and its cost."""
        try:
            check_locale(locale)
            check_options(arrivals_per_hour=arrivals_per_hour, aht_s=aht_s, service_level=service_level,
                          within_s=within_s, max_wait_probability=max_wait_probability, max_asa_s=max_asa_s,
                          max_occupancy=max_occupancy, shrinkage=shrinkage, patience_s=patience_s, agents=agents)
            if (config is None) == (arrivals_per_hour is None):
                raise InputError("error.staffing_cmd.load_or_config")
            if config is None:
                for name, v in (("--weekday", weekday), ("--interval-min", interval_min), ("--from", start),
                                ("--to", end), ("--contacts", contacts), ("--client-data", client_data)):
                    if v is not None:
                        raise InputError("error.staffing_cmd.only_with_config", option=name)
                out = run_scalar(arrivals_per_hour, aht_s, service_level=service_level, within_s=within_s,
                                 max_wait_probability=max_wait_probability, max_asa_s=max_asa_s,
                                 max_occupancy=max_occupancy, shrinkage=shrinkage, patience_s=patience_s,
                                 agents=agents)
                if as_json:
                    print(json.dumps(out, ensure_ascii=False, allow_nan=False))
                else:
                    _print_scalar(out, command_locale(locale))
                return
            if agents is not None:
                raise InputError("error.staffing_cmd.agents_only_with_load")
            cfg, res, data = run_plan(
                config, client_data=client_data, contacts=contacts, start=start, end=end, weekday=weekday,
                interval_min=interval_min, aht_s=aht_s, service_level=service_level, within_s=within_s,
                max_wait_probability=max_wait_probability, max_asa_s=max_asa_s, max_occupancy=max_occupancy,
                shrinkage=shrinkage, patience_s=patience_s, locale=locale)
        except InputError as exc:
            print(error_line(exc, locale), file=sys.stderr)
            raise typer.Exit(2)
        if as_json:
            print(json.dumps(staffing_json(res, data), ensure_ascii=False, allow_nan=False))
            return
        _print_plan(cfg, res, locale or cfg.locale)
