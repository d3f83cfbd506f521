"""``cxtoolkit init CLIENT [--from FILE ...]``: start a client folder in the working folder.

Writes ``client_data/CLIENT/client.yml`` from the packaged template; with ``--from``, copies
the client's exports into the folder and fills ``data:`` with the proposed mapping.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(
        client: str = typer.Argument(...),
        sources: Optional[List[Path]] = typer.Option(None, "--from", metavar="FILE"),
        name: Optional[str] = typer.Option(None, "--name"),
        client_data: Optional[Path] = typer.Option(None, "--client-data"),
        force: bool = typer.Option(False, "--force"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        from cxtoolkit.io.scaffold import init_client
        from cxtoolkit.messages import client_locale, remember_client_locale, text

        loc = client_locale(locale)   # the language of the client.yml written (--locale, fr by default)
        remember_client_locale(loc)   # its errors too
        yml, notes = init_client(client, sources or (), client_data, name=name, force=force, locale=locale)
        for note in notes:
            typer.echo(text("scaffold.note_line", loc, text=note), err=True)
        typer.echo(text("error.cli.init_written", loc, yml=yml, client=client))
