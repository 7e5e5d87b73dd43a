"""The store's two engines behind one interface: which one a target names, and what each must provide."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

SQLITE, POSTGRESQL = "sqlite", "postgresql"
# What `postgres://` and `postgresql://` URLs start with; anything else is a file path.
URL_SCHEMES = ("postgresql://", "postgres://")

Target = str | Path


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection taking SQL with `?` placeholders, in autocommit mode (the store opens its own transactions)."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...


class Engine(Protocol):
    """Everything that differs between SQLite and PostgreSQL; core.py writes portable SQL on top of it."""

    name: str
    # Store.path: the file (a Path) or the URL (a str), as given.
    location: Path | str
    # What messages show: the file, or the URL without its password.
    label: str
    # ORDER BY of the events table in reading order (date, else earliest day, undated last, then id).
    event_order: str

    def exists(self) -> bool:
        """Whether there is a database to open (a file; a server database that answers)."""

    def prepare(self) -> None:
        """Before the first connection of a store that may create its database (a file's folder)."""

    def connect(self, *, read_only: bool = False) -> AbstractContextManager[Connection]:
        """A new connection (one per call: the app reads from several threads); errors become StoreError."""

    def read_kept(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one small read-only query, on a connection kept for the next call where opening one costs
        (PostgreSQL); read on every page run (Store.changes)."""

    def transaction(self, conn: Connection) -> AbstractContextManager[Connection]:
        """A write transaction holding the store's write lock until it commits (rolled back on any error)."""

    def configure(self, conn: Connection) -> None:
        """Database-wide settings, made outside any transaction when a store is created or upgraded (SQLite: WAL)."""

    def tables(self, conn: Connection) -> set[str]:
        """The names of the tables of the store's database (schema)."""

    def ddl(self, sql: str) -> str:
        """A migration's SQL (written in SQLite's dialect, as shipped) in this engine's dialect."""

    def json_list_holds(self, column: str) -> str:
        """An SQL condition: the JSON list of strings in `column` holds the value of the next `?`."""

    def joined_integers(self, column: str) -> str:
        """An SQL aggregate: the integers of `column` over the rows, as one comma-separated text (NULL for none)."""

    def source_order(self, alias: str = "") -> str:
        """ORDER BY of event_sources: events in reading order, each event's sources in seq order."""

    def reorder_events(self, conn: Connection) -> None:
        """After rows were added or re-dated in place: keep the events' physical order the reading order."""

    def insert_rows(self, conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Many rows into one table, the fastest way the engine has (a bulk load's batches)."""

    def bulk_session(self, conn: Connection) -> None:
        """Settings for a connection that bulk-loads prepared rows."""

    def after_bulk_load(self, conn: Connection) -> None:
        """Inside the bulk load's transaction, after the rows: make generated ids continue after the loaded ones."""


def is_url(target: Target) -> bool:
    """Whether a --db / $RASD_DB value names a PostgreSQL database rather than a SQLite file."""
    return str(target).startswith(URL_SCHEMES) or _mangled_url(target) is not None


def _mangled_url(target: Target) -> str | None:
    # argparse's type=Path turns "postgresql://u@h/db" into "postgresql:/u@h/db"; give it its slashes back.
    if isinstance(target, Path):
        text = str(target)
        for scheme in URL_SCHEMES:
            single = scheme[:-1]
            if text.startswith(single) and not text.startswith(scheme):
                return scheme + text[len(single):]
    return None


def target_of(value: Target) -> Target:
    """A --db / $RASD_DB value as the store takes it: a postgresql:// URL as text, else a Path."""
    mangled = _mangled_url(value)
    if mangled is not None:
        return mangled
    return str(value) if str(value).startswith(URL_SCHEMES) else Path(value)


def engine_for(target: Target, *, busy_timeout: float) -> Engine:
    """The engine of a target: PostgreSQL for a postgresql:// URL, SQLite for anything else (a file path)."""
    value = target_of(target)
    if isinstance(value, str):
        from rasd.store.postgres import PostgresEngine

        return PostgresEngine(value, busy_timeout=busy_timeout)
    from rasd.store.sqlite import SQLiteEngine

    return SQLiteEngine(value, busy_timeout=busy_timeout)
