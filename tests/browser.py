"""Headless Chromium for the browser tests (Debian's chromium, driven by Playwright)."""
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def need_chromium() -> None:
    """Skip when Chromium is not installed; in CI (``CI=true``) that is a failure instead."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing in CI")
        pytest.skip("/usr/bin/chromium not installed")


def launch(playwright):
    """A headless Chromium browser with this machine's flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
