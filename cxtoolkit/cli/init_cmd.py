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
        client: str = typer.Argument(..., help="Client slug: lowercase letters, digits, - (also the folder name)"),
        sources: Optional[List[Path]] = typer.Option(None, "--from", metavar="FILE",
                                                     help="An export to copy into the client folder (repeatable)"),
        name: Optional[str] = typer.Option(None, "--name", help="Client's name in reports (default: the slug)"),
        client_data: Optional[Path] = typer.Option(None, "--client-data",
                                                   help="Folder of client folders (default: client_data/ of the working folder)"),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing client.yml"),
        locale: Optional[str] = typer.Option(None, "--locale", help="The client's language, fr or en "
                                             "(client.yml's locale and its comments; default fr)"),
    ) -> None:
        """Create client_data/CLIENT/client.yml from the template (and copy the exports in)."""
        from cxtoolkit.io.scaffold import init_client
        from cxtoolkit.messages import client_locale, remember_client_locale, text

        loc = client_locale(locale)   # the language of the client.yml written (--locale, fr by default)
        remember_client_locale(loc)   # its errors too
        yml, notes = init_client(client, sources or (), client_data, name=name, force=force, locale=locale)
        for note in notes:
            typer.echo(text("scaffold.note_line", loc, text=note), err=True)
        typer.echo(text("error.cli.init_written", loc, yml=yml, client=client))
