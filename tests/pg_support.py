"""A throwaway PostgreSQL 15 server for the tests: initdb into a temp dir, pg_ctl on a free loopback port."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Debian's PostgreSQL 15 (`make postgres` installs it); $RASD_PG_BIN points elsewhere.
PG_BIN = Path(os.environ.get("RASD_PG_BIN", "/usr/lib/postgresql/15/bin"))
# initdb refuses to run as root: the server then runs as this system user, in a folder it owns.
SERVER_USER = "postgres"
SUPERUSER = "postgres"
START_TIMEOUT = 60


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing or the server would not start (never a reason to skip a test)."""


@dataclass
class PostgresServer:
    """One running server: its folders, port, and the databases made on it."""

    base: Path
    port: int
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        """A postgresql:// URL for a database on this server (trust authentication, no password)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "rasd") -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            # template0 holds nothing a test did to template1; the name is made here, never from input.
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            _run_as_server_user([str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"])
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def _run_as_server_user(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=START_TIMEOUT)
    if done.returncode != 0:
        raise PostgresUnavailable(f"{' '.join(command[:2])} failed ({done.returncode}): {done.stderr or done.stdout}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> PostgresServer:
    """initdb and start a server on 127.0.0.1; PostgresUnavailable when the binaries are missing or it fails."""
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        raise PostgresUnavailable(f"{initdb} is missing: run `make postgres` (apt-get install postgresql)")
    # Not under pytest's tmp folder: that one is private to root, and the server user must reach its files.
    base = Path(tempfile.mkdtemp(prefix="rasd-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, SERVER_USER, SERVER_USER)
    server = PostgresServer(base, _free_port())
    try:
        _run_as_server_user([str(initdb), "-D", str(server.data), "-U", SUPERUSER, "--auth=trust",
                             "--encoding=UTF8", "--no-locale", "--no-sync"])
        # Durability is not under test: fsync off keeps the many small transactions fast.
        options = (f"-c listen_addresses=127.0.0.1 -p {server.port} -k {base} -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        _run_as_server_user([str(PG_BIN / "pg_ctl"), "start", "-D", str(server.data), "-w",
                             "-t", str(START_TIMEOUT), "-l", str(base / "server.log"), "-o", options])
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as e:
        log = base / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise PostgresUnavailable(f"{e}\n{tail}") from e
    return server
