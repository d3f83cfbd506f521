"""``cxtoolkit friction``, ``cxtoolkit verbatims``, ``cxtoolkit countries``.

Stable contract (other tools rely on it)::

    cxtoolkit friction --config client_data/<c>/client.yml [--by COLUMN] [--from D] [--to D] --json

prints ``{"meta": {...}, "friction": [...]}``: ``friction`` is a list of records, one per
stage (× segment with ``--by``), with at least ``stage``, ``n``, ``unhappy_share``, ``friction_index``, ``p_value``, ``significant`` (bool),
``too_few`` (bool) and ``rank`` (null when too few); see :func:`cxtoolkit.journey.friction_map`.

::

    cxtoolkit verbatims --config ... [--topics K] [--seed S] --json

prints ``{"meta": {...}, "themes": [{"theme", "terms", "mentions", "lift", "label", "examples", ...}],
"weak_signals": [... same shape + "reason"], "severity": [...]}``; ``label`` is irritant,
delighter or neutral; examples are masked (PII never printed).

::

    cxtoolkit countries --config ... [--metric nps|csat] [--basis normalised|raw] --json

prints ``{"meta": {...}, "countries": [...]}``, one record per country: raw and
benchmark-normalised scores and ``ranking_basis``.

``meta`` is the loading's (:mod:`cxtoolkit.cli.loadinfo`): ``tables`` (per table ``file``,
``read``, ``accepted``, ``rejected``, ``ignored_columns``...) and ``warnings``.
Undefined values are ``null``. Without ``--json``: a table and the generated commentary.
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from cxtoolkit.cli.loadinfo import fail, say_loading, with_meta
from cxtoolkit.cli.tables import print_frame
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.messages import localized_column, text


def load_data(config: str, tables: tuple[str, ...], responses: Optional[str] = None,
              contacts: Optional[str] = None, start: Optional[str] = None,
              end: Optional[str] = None, client_data: Optional[str] = None, locale: Optional[str] = None):
    """Load the client and its tables through :func:`cxtoolkit.io.load` (its texts in ``locale``,
    else the client's); returns (cfg, data)."""
    from cxtoolkit import io
    from cxtoolkit.config import load_client

    cfg = load_client(config, client_data)
    paths = {t: p for t, p in (("responses", responses), ("contacts", contacts)) if p}
    wanted = [t for t in tables if t in paths or t in cfg.data]
    if "responses" not in wanted:
        raise InputError("error.cli.survey_responses_give", config=config)
    data = io.load(cfg, tables=wanted, paths=paths, start=start, end=end, locale=locale)
    say_loading(data)
    return cfg, data


def _emit(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, allow_nan=False))


def register(app: typer.Typer) -> None:
    config_opt = typer.Option(..., "--config")

    @app.command("friction")
    def friction_command(
        config: str = config_opt,
        by: Optional[str] = typer.Option(None, "--by"),
        responses: Optional[str] = typer.Option(None, "--responses"),
        contacts: Optional[str] = typer.Option(None, "--contacts"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        locale: Optional[str] = typer.Option(None, "--locale"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        from cxtoolkit.journey import comment_friction, friction_map, to_records

        try:
            check_locale(locale)
            cfg, data = load_data(config, ("responses", "contacts"), responses, contacts, start, end, client_data,
                                  locale)
            if not cfg.journey:
                raise InputError("error.cli.journey_stages_client", config=config)
            fm = friction_map(data.responses, cfg, contacts=data.contacts, by=by)
        except InputError as exc:
            fail(exc, locale)
        if as_json:
            _emit(with_meta({"friction": to_records(fm)}, data))
            return
        loc = locale or cfg.locale
        lab = localized_column("stage_label", loc)
        cols = ([by] if by else []) + [lab, "n", "unhappy_share", "csat", "nps", "contacts",
                                       "friction_index", "p_value", "significant", "rank"]
        print_frame(text("cli.journey.friction_title", loc, client=cfg.name or cfg.client), fm, cols, loc)
        for line in comment_friction(fm if not by else fm[fm[by] == fm[by].iloc[0]], loc):
            print("•", line)

    @app.command("verbatims")
    def verbatims_command(
        config: str = config_opt,
        responses: Optional[str] = typer.Option(None, "--responses"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        topics: int = typer.Option(5, "--topics", min=0, max=30),
        seed: int = typer.Option(0, "--seed"),
        locale: Optional[str] = typer.Option(None, "--locale"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        from cxtoolkit.journey import to_records as frame_records
        from cxtoolkit.verbatims import analyse_verbatims, comment_verbatims, to_records, verbatims_base

        try:
            check_locale(locale)
            cfg, data = load_data(config, ("responses",), responses, None, start, end, client_data, locale)
            res = analyse_verbatims(data.responses, cfg, discover=topics > 0, n_topics=max(topics, 1), seed=seed)
        except InputError as exc:
            fail(exc, locale)
        if as_json:
            _emit(with_meta({"themes": to_records(res.themes), "weak_signals": to_records(res.weak_signals),
                             "severity": frame_records(res.severity)}, data))
            return
        loc = locale or cfg.locale
        lab = localized_column("label", loc)
        # the base of the figures: answers without a comment are counted, not dropped silently
        print(verbatims_base(len(res.tagged), len(data.responses)).render(loc))
        shown = res.themes[res.themes["mentions"] > 0]
        print_frame(text("cli.journey.themes_title", loc), shown,
                    [lab, "mentions", "share_unhappy", "share_happy", "lift", "lift_ci_low", "lift_ci_high",
                     ("label", "theme_kind")], loc)
        for line in comment_verbatims(res, loc):
            print("•", line)

    @app.command("countries")
    def countries_command(
        config: str = config_opt,
        metric: str = typer.Option("nps", "--metric"),
        basis: str = typer.Option("normalised", "--basis"),
        by: Optional[str] = typer.Option(None, "--by"),
        responses: Optional[str] = typer.Option(None, "--responses"),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        locale: Optional[str] = typer.Option(None, "--locale"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        from cxtoolkit.comparability import (benchmarks_path, comment_comparison, country_comparison,
                                             load_benchmarks)
        from cxtoolkit.journey import to_records

        try:
            check_locale(locale)
            cfg, data = load_data(config, ("responses",), responses, None, start, end, client_data, locale)
            table = country_comparison(data.responses, load_benchmarks(benchmarks_path(cfg)), by=by,
                                       metric=metric, basis=basis, min_answers=cfg.kpi.min_answers)
        except InputError as exc:
            fail(exc, locale)
        if as_json:
            _emit(with_meta({"countries": to_records(table)}, data))
            return
        loc = locale or cfg.locale
        print_frame(text("cli.journey.countries_title", loc), table,
                    ["country"] + ([by] if by else []) + ["n", metric, f"{metric}_gap", "rank_raw",
                                                          "rank_normalised", "ranking_basis"], loc)
        for line in comment_comparison(table, loc, metric):
            print("•", line)
