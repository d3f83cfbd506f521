"""``cxtoolkit inspect FILE``: the first command on a new client's file.

Shows each column with sample values and the type its values look like, then a proposed
``data:`` section for client.yml (from the presets, the headers' aliases and the values'
shapes), ready to paste. ``--json`` prints ``{"file", "columns": [...], "proposal": {...}}``.
The headings, types and comments are said in the command's language (``--locale``, else
LC_ALL/LC_MESSAGES/LANG: no client yet); the proposal's YAML keys stay canonical.

Examples
--------
``cxtoolkit inspect "01 Call-Center-Dataset.xlsx"``
``cxtoolkit inspect export.csv --json``
``cxtoolkit inspect export.csv --locale fr``
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from cxtoolkit.cli.loadinfo import fail
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.messages import command_locale, text


def proposal_yaml(proposal: dict, locale: str | None = "en") -> str:
    """The proposal as client.yml text: the ``data:`` section, required columns still to map
    written as comments under their table (the comments in ``locale``, the keys canonical).

    >>> print(proposal_yaml({"data": {"contacts": {"file": "a.csv"}}, "missing": {"contacts": ["wait_s"]}}, "fr"))
    data:
      contacts:
        file: a.csv
        # À FAIRE wait_s : l'associer sous columns, ou la donner sous constants
    """
    import yaml

    lines = ["data:"]
    for table, entry in proposal["data"].items():
        body = yaml.safe_dump({table: entry}, allow_unicode=True, sort_keys=False, default_flow_style=False)
        lines += ["  " + ln for ln in body.rstrip().splitlines()]
        if table in proposal.get("presets", {}):
            lines.append("    " + text("cli.inspect.preset", locale, preset=proposal["presets"][table]))
        for col in proposal.get("missing", {}).get(table, []):
            lines.append("    " + text("cli.inspect.todo", locale, col=col))
    if len(lines) == 1:
        lines.append("  " + text("cli.inspect.no_table", locale))
    return "\n".join(lines)


def _masked_samples(samples: "pd.Series") -> list[list[str]]:
    """The sample values with the personal data a customer typed masked (phones, e-mails,
    IBANs, cards, names: :func:`cxtoolkit.pii.mask_pii`): an inspection pasted into a mail
    or a ticket quotes no customer's details."""
    from cxtoolkit.pii import mask_pii

    flat = samples.explode().dropna()
    masked = mask_pii(flat.astype("string")).tolist()
    out, k = [], 0
    for values in samples:
        out.append(masked[k:k + len(values)])
        k += len(values)
    return out


def register(app: typer.Typer) -> None:
    @app.command("inspect")
    def inspect_command(
        file: str = typer.Argument(...),
        sheet: Optional[str] = typer.Option(None, "--sheet"),
        as_json: bool = typer.Option(False, "--json"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        from cxtoolkit.io.inspect import describe, propose_mapping
        from cxtoolkit.rules import format_value

        try:
            check_locale(locale)
        except InputError as exc:
            fail(exc)
        loc = command_locale(locale)   # no client yet: --locale, else the environment

        sh: str | int | None = sheet
        if sheet is not None and sheet.isdigit():
            sh = int(sheet) - 1
        try:
            desc = describe(file, sh)
            proposal = propose_mapping(file, sh)
        except InputError as exc:
            fail(exc, locale)
        desc["samples"] = _masked_samples(desc["samples"])
        if sh is not None and isinstance(sh, int):
            for entry in proposal["data"].values():
                entry["sheet"] = sh + 1
        if as_json:
            print(json.dumps({"file": file, "columns": desc.to_dict(orient="records"), "proposal": proposal},
                             ensure_ascii=False, allow_nan=False))
            return
        from rich.console import Console
        from rich.table import Table

        t = Table(title=file)
        for c in ("column", "looks_like", "filled", "distinct", "samples", "alias"):
            t.add_column(text(f"cli.inspect.heading.{c}", loc), justify="right" if c in ("filled", "distinct") else "left")
        for r in desc.itertuples(index=False):
            t.add_row(r.column, text(f"cli.inspect.looks.{r.looks_like}", loc), format_value(r.filled, "count", loc),
                      format_value(r.distinct, "count", loc), " | ".join(s[:30] for s in r.samples), r.alias)
        con = Console()
        con.print(t)
        print("\n" + text("cli.inspect.proposal", loc))
        print(proposal_yaml(proposal, loc))
