"""``cxtoolkit inspect FILE``: the first command on a new client's file.

Shows each column with sample values and the type its values look like, then a proposed
``data:`` section for client.yml (from the presets, the headers' aliases and the values'
shapes), ready to paste. ``--json`` prints ``{"file", "columns": [...], "proposal": {...}}``.

Examples
--------
``cxtoolkit inspect "01 Call-Center-Dataset.xlsx"``
``cxtoolkit inspect export.csv --json``
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from cxtoolkit.cli.loadinfo import fail
from cxtoolkit.errors import InputError


def proposal_yaml(proposal: dict) -> str:
    """The proposal as client.yml text: the ``data:`` section, required columns still to map
    written as comments under their table."""
    import yaml

    lines = ["data:"]
    for table, entry in proposal["data"].items():
        body = yaml.safe_dump({table: entry}, allow_unicode=True, sort_keys=False, default_flow_style=False)
        lines += ["  " + ln for ln in body.rstrip().splitlines()]
        if table in proposal.get("presets", {}):
            lines.append(f"    # recognised export: preset {proposal['presets'][table]} (no columns needed)")
        for col in proposal.get("missing", {}).get(table, []):
            lines.append(f"    # TODO {col}: map it under columns, or give it under constants")
    if len(lines) == 1:
        lines.append("  # no table recognised: map the columns by hand (see README, Your client's files)")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("inspect")
    def inspect_command(
        file: str = typer.Argument(..., help="a client's export (CSV, TXT, Excel, Parquet)"),
        sheet: Optional[str] = typer.Option(None, "--sheet", help="Excel sheet (name, or position from 1)"),
        as_json: bool = typer.Option(False, "--json", help="print a JSON object on stdout"),
    ) -> None:
        """Columns of a client's file, with samples and types, and a proposed client.yml mapping."""
        from cxtoolkit.io.inspect import describe, propose_mapping

        sh: str | int | None = sheet
        if sheet is not None and sheet.isdigit():
            sh = int(sheet) - 1
        try:
            desc = describe(file, sh)
            proposal = propose_mapping(file, sh)
        except InputError as exc:
            fail(exc)   # no client yet: the language of the environment
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
        for c in ("column", "looks like", "filled", "distinct", "samples", "alias"):
            t.add_column(c, justify="right" if c in ("filled", "distinct") else "left")
        for r in desc.itertuples(index=False):
            t.add_row(r.column, r.looks_like, f"{r.filled:,}", f"{r.distinct:,}",
                      " | ".join(s[:30] for s in r.samples), r.alias)
        con = Console()
        con.print(t)
        print("\n# Proposed client.yml mapping (check it, then paste it):")
        print(proposal_yaml(proposal))
