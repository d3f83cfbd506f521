"""``cxtoolkit app NAME``: serve ``notebooks/<NAME>.ipynb`` as a Voila app on 127.0.0.1.

Generic for every app notebook (roi, kpis, journey, verbatims, quality, ...): the client
is passed to the kernel through the environment, sources are stripped, no tracebacks are
sent to the browser, one kernel is preheated and a busy port is refused.
"""
from __future__ import annotations

import signal
import sys
import time
from typing import Optional

import typer

from cxtoolkit.errors import InputError, error_line
from cxtoolkit.messages import command_locale, text


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_command(
        name: str = typer.Argument(...),
        client: Optional[str] = typer.Option(None, "--client"),
        port: int = typer.Option(8866, "--port"),
        client_data: Optional[str] = typer.Option(None, "--client-data"),
        timeout: float = typer.Option(180, "--timeout"),
        locale: Optional[str] = typer.Option(None, "--locale"),
    ) -> None:
        from cxtoolkit.apps.serve import start_app
        from cxtoolkit.config import default_client_data
        from cxtoolkit.errors import check_locale
        try:
            check_locale(locale)
            data = client_data or (str(default_client_data()) if client else "")
            server = start_app(name, port, client or "", data, timeout=timeout, locale=locale)
        except InputError as exc:
            print(error_line(exc, locale), file=sys.stderr)
            raise typer.Exit(2)
        # this line: --locale, else the client's language when start_app read its client.yml,
        # else the environment's; the page: --locale, else client.yml's, else French
        print(text("cli.app.serving", command_locale(locale), name=name, url=server.url, log=server.log_path), flush=True)

        def _on_term(signum, frame):  # a SIGTERM (service manager, kill) stops Voila too
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _on_term)
        try:
            while server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        if server.process.returncode not in (0, None, -15):
            print(error_line(InputError("error.cli.voila_stopped", app=repr(name), status=server.process.returncode,
                                        log=server.log_path), locale), file=sys.stderr)
            raise typer.Exit(1)
