"""Shared fixtures; in CI a skipped test counts as a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Nothing is skipped in CI: report a skip there as a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's seed article folder."""
    return SEEDS


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, one for the whole run: Playwright's sync API cannot start twice in one thread,
    so every browser test module shares this one (each test still opens its own context or page)."""
    from playwright.sync_api import sync_playwright

    from e2e_support import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
