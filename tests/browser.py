"""Headless Chromium for the browser tests (Debian's chromium, driven by Playwright)."""
import os
from contextlib import contextmanager
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


@contextmanager
def chromium():
    """``with chromium() as browser:`` — Playwright started, Chromium launched, both closed
    at the end (skips or fails first like :func:`need_chromium`)."""
    need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()
