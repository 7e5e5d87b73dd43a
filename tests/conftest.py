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


# ---------------------------------------------------------------- the store's engines (rasd.store.engines)

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL 15 server for the whole run (tests/pg_support.py). Without the binaries this errors, never
    skips: `make postgres` installs them."""
    from pg_support import start_server

    server = start_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def new_db(request, tmp_path_factory):
    """new_db(engine) -> where a new, empty store goes: a SQLite file path, or the URL of a new PostgreSQL database."""

    def make(engine: str):
        if engine == "sqlite":
            return tmp_path_factory.mktemp("db") / "rasd.sqlite"
        return request.getfixturevalue("pg_server").create_database()

    return make


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each engine in turn: a test taking it (or db_target) runs once on SQLite and once on PostgreSQL."""
    return request.param


@pytest.fixture()
def db_target(engine, new_db):
    """A new, empty store's target on the engine under test."""
    return new_db(engine)


@pytest.fixture()
def editors(tmp_path):
    """Two editors, alice and bob (a users file with a cheap hash), for review decisions on any store."""
    from argon2 import PasswordHasher

    from rasd.newsroom.users import UserStore

    users = UserStore(tmp_path / "editors.json", hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    for name in ("alice", "bob"):
        users.add(name, "correct horse battery staple")
    return users.local_editor("alice"), users.local_editor("bob")
