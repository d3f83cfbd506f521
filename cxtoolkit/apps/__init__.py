"""Widget builders behind the Voila apps (``notebooks/<name>.ipynb``) and their launcher.

- :mod:`cxtoolkit.apps.roi_app`: the executive ROI simulator (``build_roi_app``);
- :mod:`cxtoolkit.apps.serve`: serve any app notebook with Voila on 127.0.0.1;
- :mod:`cxtoolkit.apps.data`: load a client's configuration and data for an app.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_READY_FILE = "CXTOOLKIT_APP_READY_FILE"


def mark_ready() -> None:
    """Tell :func:`cxtoolkit.apps.serve.start_app` that the app's kernel has finished
    building the page (touches ``$CXTOOLKIT_APP_READY_FILE`` when set; no-op otherwise).
    App builders call it last so a preheated kernel is known to be warm."""
    path = os.environ.get(ENV_READY_FILE)
    if path:
        try:
            Path(path).touch()
        except OSError:
            pass
