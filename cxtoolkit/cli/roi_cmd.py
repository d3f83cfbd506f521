"""``cxtoolkit roi``: the satisfaction ROI business case from the command line.

Examples
--------
``cxtoolkit roi --customers-surveyed 12000 --response-rate 0.25 --unhappy-share 0.1
--retention-rate 0.4 --acquisition-cost 300 --json``

With ``--config`` and client data, the ``--json`` carries the loading's ``"meta": {"tables":
{...}, "warnings": [...]}`` (:mod:`cxtoolkit.cli.loadinfo`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cxtoolkit import roi
from cxtoolkit.cli.loadinfo import fail, say_loading, with_meta
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.messages import text


def run_roi(*, config: Optional[str] = None, client_data: Optional[str] = None,
            locale: Optional[str] = None, **edited: Optional[float]) -> tuple[dict, object, roi.RoiCase, object]:
    """Build the case (command-line values > client data > client.yml roi > defaults);
    returns ``(out, cfg, case, data)`` (``data`` None without client data)."""
    from cxtoolkit.apps.data import client_roi_data
    cfg = data = None
    if config:
        cfg, data = client_roi_data(config, client_data)
    if data is not None:
        say_loading(data)
    case = roi.prefill(cfg, getattr(data, "sends", None), getattr(data, "responses", None), edited=edited)
    out = roi.compute(case.inputs)
    return out, cfg, case, data


def register(app: typer.Typer) -> None:
    @app.command("roi")
    def roi_command(
        customers_surveyed: Optional[float] = typer.Option(None, "--customers-surveyed", help="N: customers invited to the survey"),
        response_rate: Optional[float] = typer.Option(None, "--response-rate", help="r: share who answer (0-1)"),
        unhappy_share: Optional[float] = typer.Option(None, "--unhappy-share", help="u: share of very unhappy respondents (0-1)"),
        retention_rate: Optional[float] = typer.Option(None, "--retention-rate", help="k: share of unhappy kept thanks to the follow-up (0-1)"),
        acquisition_cost: Optional[float] = typer.Option(None, "--acquisition-cost", help="C: cost of winning a new customer"),
        annual_margin: Optional[float] = typer.Option(None, "--annual-margin", help="m: yearly margin of a kept customer"),
        fixed_cost: Optional[float] = typer.Option(None, "--fixed-cost", help="F: platform, set-up, analysis"),
        cost_per_invite: Optional[float] = typer.Option(None, "--cost-per-invite", help="s: cost of one invitation"),
        cost_per_recovery: Optional[float] = typer.Option(None, "--cost-per-recovery", help="c: follow-up of one unhappy customer"),
        config: Optional[str] = typer.Option(None, "--config", help="client.yml (or client slug): data and roi assumptions fill the inputs not given"),
        client_data: Optional[str] = typer.Option(None, "--client-data", help="folder of client folders (with a slug in --config)"),
        as_json: bool = typer.Option(False, "--json", help="print a JSON object on stdout"),
        pptx: Optional[Path] = typer.Option(None, "--pptx", help="export the business case as a PowerPoint deck"),
        html: Optional[Path] = typer.Option(None, "--html", help="export the business case as a self-contained HTML page"),
        locale: Optional[str] = typer.Option(None, "--locale", help="fr or en (default: client.yml, else fr)"),
        draws: Optional[int] = typer.Option(None, "--draws", help="Monte Carlo draws for the export (default: client.yml roi.draws, else 100000)"),
        seed: Optional[int] = typer.Option(None, "--seed", help="Monte Carlo seed (default: client.yml roi.seed, else 0)"),
        no_images: bool = typer.Option(False, "--no-images", help="deck with native charts (no headless browser)"),
    ) -> None:
        """Satisfaction ROI: customers kept, avoided acquisition cost, net benefit, ROI, break-even."""
        edited = dict(customers_surveyed=customers_surveyed, response_rate=response_rate,
                      unhappy_share=unhappy_share, retention_rate=retention_rate,
                      acquisition_cost=acquisition_cost, annual_margin=annual_margin,
                      fixed_cost=fixed_cost, cost_per_invite=cost_per_invite,
                      cost_per_recovery=cost_per_recovery)
        try:
            check_locale(locale)
            if config is None:
                missing = [k for k in roi.CORE_INPUTS if edited[k] is None]
                if missing:
                    raise InputError("error.cli.required_without_config",
                                     value=missing[0].replace('_', '-'),
                                     value2=', '.join('--' + m.replace('_', '-') for m in missing))
            out, cfg, case, data = run_roi(config=config, client_data=client_data, **edited)
            currency = getattr(cfg, "currency", "EUR")
            loc = locale or getattr(cfg, "locale", "fr")
            exported = {}
            if pptx or html:
                from cxtoolkit.report import business_case as bcm
                bc = bcm.build_business_case(case, currency, loc, getattr(cfg, "name", "") or "",
                                             draws=draws, seed=seed)
                for path in (pptx, html):
                    if path:
                        exported[path.suffix.lstrip(".")] = str(bcm.export(bc, path, images=not no_images))
        except InputError as exc:
            fail(exc, locale)
        if as_json:
            payload = roi.to_jsonable(out)
            payload["inputs"] = case.inputs.model_dump()
            payload["sources"] = dict(case.sources)
            payload["currency"] = currency
            if exported:
                payload["exported"] = exported
            if data is not None:
                payload = with_meta(payload, data)
            print(json.dumps(payload, ensure_ascii=False, allow_nan=False))
            return
        from rich.console import Console
        from rich.table import Table

        from cxtoolkit.viz.roi import fmt_value
        con = Console()
        t_in = Table(title=text("cli.roi.inputs", loc))
        for col in ("", "value", "source"):
            t_in.add_column(text(f"cli.roi.{col}", loc) if col else "", justify="right" if col == "value" else "left")
        frame = case.inputs_frame(loc)
        for k, r in frame.iterrows():
            t_in.add_row(r.label, fmt_value(k, r.value, currency, loc), r.source_label)
        t_out = Table(title=text("cli.roi.results", loc))
        t_out.add_column("")
        t_out.add_column(text("cli.roi.value", loc), justify="right")
        for k in roi.OUTPUT_KEYS:
            t_out.add_row(roi.label(k, loc), fmt_value(k, out[k], currency, loc))
        con.print(t_in)
        con.print(t_out)
        for kind, path in exported.items():
            con.print(f"{kind}: {path}")
