"""The SQLite engine: one file, WAL, a busy timeout, BEGIN IMMEDIATE as the write lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.errors import StoreError
from rasd.store.engines import SQLITE

# Page cache of the connection that bulk-loads a store, in KiB: random-key index inserts stay in memory.
BULK_CACHE_KIB = 1_048_576


@dataclass
class SQLiteEngine:
    """A store in one SQLite file (stdlib sqlite3)."""

    location: Path
    busy_timeout: float
    name: str = SQLITE
    # Rows are written in reading order and kept so (reorder_events): rowid order needs no sort.
    event_order: str = "ORDER BY rowid"

    @property
    def label(self) -> str:
        return str(self.location)

    def exists(self) -> bool:
        return self.location.exists()

    def prepare(self) -> None:
        if self.location.is_dir():
            raise StoreError(f"{self.location}: is a folder, not a database file")
        self.location.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.location, isolation_level=None, timeout=self.busy_timeout)
        except sqlite3.Error as e:
            raise StoreError(f"{self.location}: cannot open database ({e})") from e
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
            yield conn
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.location}: database error ({e})") from e
        finally:
            conn.close()

    def read_kept(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # Opening a file costs little: a new connection, as every read.
        with self.connect(read_only=True) as conn:
            return [tuple(row) for row in conn.execute(sql, tuple(params)).fetchall()]

    @contextmanager
    def transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock now, so two writers never both read and then both write.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def tables(self, conn: sqlite3.Connection) -> set[str]:
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.location}: not a Rasd database ({e})") from e

    def configure(self, conn: sqlite3.Connection) -> None:
        """Write-ahead logging, so readers never wait for the writer (kept by the file; set outside a transaction)."""
        conn.execute("PRAGMA journal_mode = WAL")

    def ddl(self, sql: str) -> str:
        return sql

    def json_list_holds(self, column: str) -> str:
        return f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value = ?)"

    def joined_integers(self, column: str) -> str:
        return f"group_concat({column})"

    def source_order(self, alias: str = "") -> str:
        # Each event's sources are written together in seq order.
        return f"ORDER BY {alias}rowid"

    def reorder_events(self, conn: sqlite3.Connection) -> None:
        """Renumber the events' rowids into date order (undated last, then id), as the store writes them."""
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS rasd_event_order (id TEXT PRIMARY KEY, pos INTEGER NOT NULL)")
        conn.execute("DELETE FROM rasd_event_order")
        conn.execute(
            "INSERT INTO rasd_event_order (id, pos) SELECT id, row_number() OVER (ORDER BY"
            " coalesce(date, date_earliest) IS NULL, coalesce(date, date_earliest), id) FROM events"
        )
        # Two passes through negative numbers, so no two rows ever hold the same rowid.
        conn.execute("UPDATE events SET rowid = -(SELECT pos FROM rasd_event_order o WHERE o.id = events.id)")
        conn.execute("UPDATE events SET rowid = -rowid")
        conn.execute("DELETE FROM rasd_event_order")

    def insert_rows(self, conn: sqlite3.Connection, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)

    def bulk_session(self, conn: sqlite3.Connection) -> None:
        # The rows reference each other by construction: foreign keys are not checked row by row (a fifth
        # of the time), and the indexes of a million events stay in the page cache.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")

    def after_bulk_load(self, conn: sqlite3.Connection) -> None:
        # INTEGER PRIMARY KEY continues after the largest id by itself.
        return None
