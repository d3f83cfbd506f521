"""``cxtoolkit quality``, ``cxtoolkit sample`` and ``cxtoolkit barometer``.

- ``quality --config client.yml --json``: evaluator agreement (Krippendorff's alpha with
  a bootstrap CI, overall and per criterion), evaluators drifting from the panel, QA score
  vs CSAT per agent.
- ``sample --config client.yml --week 2026-W10 --out plan.csv``: interactions to review,
  per agent (CSV or .xlsx).
- ``barometer --config client.yml --waves 4 --out waves.csv``: the customer base split
  into stratified waves, no customer twice.

Every ``--json`` carries the loading's ``"meta": {"tables": {...}, "warnings": [...]}``
(:mod:`cxtoolkit.cli.loadinfo`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import pandas as pd
import typer

from cxtoolkit import quality as q
from cxtoolkit import surveys_ops as so
from cxtoolkit.cli.loadinfo import fail, say_loading, with_meta
from cxtoolkit.cli.progress import said
from cxtoolkit.cli.tables import print_frame
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.jsonable import json_safe
from cxtoolkit.messages import text
from cxtoolkit.rules import format_value, period_bounds


def _client(config: str, client_data: Optional[str], required: list[str]):
    """The client's settings, its ``required`` tables named in client.yml. Read before the
    command's own options are checked (``--week``, ``--start``), so a wrong one is refused in the
    client's language (:func:`cxtoolkit.messages.command_locale`) and before a file is opened."""
    from cxtoolkit.config import load_client

    cfg = load_client(config, client_data)
    for t in required:
        if t not in cfg.data:
            raise InputError("error.cli.data_client_yml", config=config, t=t)
    return cfg


def _data(cfg, tables: list[str], start: Optional[str] = None, end: Optional[str] = None,
          locale: Optional[str] = None):
    """The client's ``tables`` (those client.yml names), the loading's rejects said on stderr."""
    from cxtoolkit import io as cxio

    data = cxio.load(cfg, tables=[t for t in tables if t in cfg.data], start=start, end=end, locale=locale)
    say_loading(data)
    return data


def quality_payload(rep: dict) -> dict:
    """The stable JSON contract of ``cxtoolkit quality --json``."""
    cal = rep["calibration"]
    ev = cal.evaluators
    ag = rep["perceived"]
    return json_safe({
        "agreement": {"overall": cal.overall, "by_criterion": cal.by_criterion},
        "evaluators": [{"evaluator_id": r.evaluator_id, "n": int(r.n), "mean_gap": r.mean_gap,
                        "drifting": bool(r.drifting)} for r in ev.itertuples()],
        "agents": [{"agent_id": r.agent_id, "n": int(r.n), "score": r.score, "csat": r.csat}
                   for r in ag.itertuples()],
    })


def _write_table(df: pd.DataFrame, out: Path, sheet: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    from cxtoolkit.io.export import write_csv, write_xlsx
    if suffix == ".xlsx":
        write_xlsx({sheet: df}, out)
    elif suffix in (".csv", ""):
        write_csv(df, out)
    else:
        raise InputError("error.cli.use_csv_xlsx", out=out)


def register(app: typer.Typer) -> None:
    @app.command("quality")
    def quality_command(
        config: str = typer.Option(..., "--config"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        start: Optional[str] = typer.Option(None, "--from", "--start"),
        end: Optional[str] = typer.Option(None, "--to", "--end"),
        vendor: Optional[str] = typer.Option(None, "--vendor"),
        country: Optional[str] = typer.Option(None, "--country"),
        n_boot: Optional[int] = typer.Option(None, "--bootstrap"),
        seed: Optional[int] = typer.Option(None, "--seed"),
        pack: Optional[Path] = typer.Option(None, "--pack"),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        try:
            cfg = _client(config, client_data, ["evaluations"])
            data = _data(cfg, ["evaluations", "agents", "responses"], start, end, locale)
            settings = q.QualitySettings.from_config(cfg, n_boot=n_boot, seed=seed)
            rep = q.quality_report(data.evaluations, data.agents, data.responses, cfg=cfg,
                                   vendor=vendor, country=country, locale=locale, settings=settings)
            if pack is not None:
                _write_table(rep["calibration"].pack, pack, "calibration")
        except InputError as exc:
            fail(exc, locale)
        if as_json:
            print(json.dumps(with_meta(quality_payload(rep), data), ensure_ascii=False, allow_nan=False))
            return
        loc = locale or cfg.locale
        for w in rep["warnings"]:
            print(text("cli.data.warning", loc, text=w), file=sys.stderr)

        def num(v, decimals=3):
            return format_value(v, "number", loc, decimals=decimals)

        ov, icc = rep["calibration"].overall, rep["calibration"].icc
        print(text("cli.quality.evaluations", loc, n=format_value(len(rep["scored"]), "count", loc),
                   score=num(rep["scored"]["score"].mean(), 1)))
        if ov["alpha"] is None:
            print(text("cli.quality.no_agreement", loc))
        else:
            print(text("cli.quality.agreement", loc, a=num(ov["alpha"]), lo=num(ov["ci95"][0]), hi=num(ov["ci95"][1]),
                       n=format_value(ov["n_units"], "count", loc), icc=num(icc["icc1"])))
        for title, frame, cols in (
                ("evaluators_title", rep["calibration"].evaluators,
                 ["evaluator_id", ("n", "evaluations"), "mean_gap", "p_value", "drifting"]),
                ("perceived_title", rep["perceived"],
                 ["agent_id", ("n", "evaluations"), ("score", "qa_score"), "csat", "csat_mean", "csat_n",
                  ("quadrant", "perceived_quadrant")])):
            print_frame(text(f"cli.quality.{title}", loc), frame,
                        [c for c in cols if (c[0] if isinstance(c, tuple) else c) in frame.columns], loc)
        for line in rep["commentary"]:
            print("- " + line)

    @app.command("sample")
    def sample_command(
        config: str = typer.Option(..., "--config"),
        week: str = typer.Option(..., "--week"),
        out: Path = typer.Option(..., "--out"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        target: Optional[int] = typer.Option(None, "--target"),
        seed: Optional[int] = typer.Option(None, "--seed"),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        try:
            check_locale(locale)
            cfg = _client(config, client_data, ["contacts"])
            q.iso_week_bounds(week)         # an impossible week is said before a file is opened
            data = _data(cfg, ["contacts", "agents", "responses"], locale=locale)
            loc = locale or cfg.locale
            settings = q.QualitySettings.from_config(cfg, reviews_per_agent_week=target, seed=seed)
            plan = q.sampling_plan(data.contacts, week, agents=data.agents, responses=data.responses,
                                   settings=settings)
            if plan.empty:
                raise InputError("error.cli.answered_contact_agent", week=week)
            _write_table(q.with_reason_labels(plan, loc) if out.suffix.lower() == ".xlsx" else plan, out, "plan")
        except InputError as exc:
            fail(exc, locale)
        summary = {"week": week, "file": str(out), "contacts": int(len(plan)),
                   "agents": int(plan["agent_id"].nunique()),
                   "by_reason": {k: int(v) for k, v in plan["reason"].value_counts().sort_index().items()}}
        if as_json:
            print(json.dumps(with_meta(summary, data), ensure_ascii=False, allow_nan=False))
        else:
            count = lambda v: format_value(v, "count", loc)  # noqa: E731
            print(said("sample_written", loc, contacts=count(summary["contacts"]), agents=count(summary["agents"]),
                       out=out, reasons=", ".join(said("reason_count", loc, reason=q.reason_label(k, loc), n=count(v))
                                         for k, v in summary["by_reason"].items())))

    @app.command("barometer")
    def barometer_command(
        config: str = typer.Option(..., "--config"),
        out: Path = typer.Option(..., "--out"),
        waves: int = typer.Option(4, "--waves"),
        per_wave: Optional[int] = typer.Option(None, "--per-wave"),
        by: Optional[str] = typer.Option(None, "--by"),
        start: Optional[str] = typer.Option(None, "--start"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        seed: int = typer.Option(0, "--seed"),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        try:
            check_locale(locale)
            cfg = _client(config, client_data, [])
            # a wrong --start is said before a file is opened
            first = period_bounds(start, tz=cfg.time_zone(), locale=locale)[0] if start else None
            data = _data(cfg, ["contacts", "responses", "sends"], locale=locale)
            # --by given: its column must exist; by default, segment when the tables have it
            base = so.customer_base(data.contacts, data.responses, data.sends, stratum=by or "segment",
                                    required=by is not None)
            by = by or "segment"
            exclude = so.last_year_cold(data.sends, first) if first is not None else None
            plan = so.barometer_waves(base, n_waves=waves, per_wave=per_wave, exclude=exclude, seed=seed)
            _write_table(plan.rename(columns={"stratum": by}), out, "waves")
        except InputError as exc:
            fail(exc, locale)
        summary = {"file": str(out), "customers": int(len(plan)), "waves": waves,
                   "per_wave": {int(k): int(v) for k, v in plan.groupby("wave").size().items()},
                   "excluded_last_year": 0 if exclude is None else int(len(exclude))}
        if as_json:
            print(json.dumps(with_meta(summary, data), ensure_ascii=False, allow_nan=False))
        else:
            loc = locale or cfg.locale
            count = lambda v: format_value(v, "count", loc)  # noqa: E731
            print(said("barometer_written", loc, customers=count(summary["customers"]), waves=waves, out=out,
                       per_wave=", ".join(said("wave", loc, n=k, count=count(v)) for k, v in summary["per_wave"].items())))
            if summary["excluded_last_year"]:
                # customers left out of the waves are said, not dropped silently
                print(said("barometer_excluded", loc, n=count(summary["excluded_last_year"]), start=start))
