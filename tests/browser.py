"""Debian's Chromium, headless, for the page tests (installed by .ci/setup-browser via make)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as CI runs it: no sandbox (containers), and nothing that reaches the network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A running headless Chromium; an error naming the fix if it is not installed."""
    # No skip: `make test` installs it, and a page test that silently does not run proves nothing.
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make browser` (.ci/setup-browser)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
