"""What the newsroom remembers between polls, in two tables of the store's database (schema version 3 on).

`feed_state` keeps each feed's validators (ETag, Last-Modified) for conditional requests;
`fetched_urls` keeps every page URL asked for and what became of it, so an item is fetched once
across polls and restarts and a failed one is tried again. The store's migrations create them;
this module writes only them (and reads `articles.sha256` to spot a text already stored under
another name), through the store's engine (SQLite file or PostgreSQL database).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasd.store.engines import Connection

# A page that failed this many times is given up on (logged once more, then no longer retried).
MAX_ATTEMPTS = 5
INGESTED, DUPLICATE, FAILED, ABANDONED = "ingested", "duplicate", "failed", "abandoned"
DONE = (INGESTED, DUPLICATE, ABANDONED)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class NewsroomState:
    """Feed validators and fetched URLs, kept in the database of an existing store."""

    def __init__(self, path: str | Path) -> None:
        from rasd.store import BUSY_TIMEOUT, Store
        from rasd.store.engines import engine_for

        # Opening the store creates it when new (these tables included) and refuses an outdated one.
        self.path = Store(path).path
        self._engine = engine_for(self.path, busy_timeout=BUSY_TIMEOUT)

    def _connect(self) -> AbstractContextManager[Connection]:
        # The store's engine: its connection settings and its errors (StoreError).
        return self._engine.connect()

    def validators(self, feed: str) -> tuple[str, str]:
        """The ETag and Last-Modified the feed last answered with ('' when never fetched)."""
        with self._connect() as conn:
            row = conn.execute("SELECT etag, last_modified FROM feed_state WHERE feed = ?", (feed,)).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def save_validators(self, feed: str, etag: str, last_modified: str) -> None:
        """Remember a feed's validators for the next conditional request."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO feed_state (feed, etag, last_modified, checked_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (feed) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, checked_at = excluded.checked_at",
                (feed, etag, last_modified, _now()),
            )

    def status(self, url: str) -> str | None:
        """What became of a URL: ingested, duplicate, failed, abandoned, or None when never asked for."""
        with self._connect() as conn:
            row = conn.execute("SELECT status FROM fetched_urls WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def retries(self, feed: str) -> list[str]:
        """URLs of the feed's items that failed and are due another try, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT url FROM fetched_urls WHERE feed = ? AND status = ? ORDER BY updated_at, url", (feed, FAILED)
            ).fetchall()
        return [r[0] for r in rows]

    def file_with_text(self, sha256: str) -> str | None:
        """The stored article whose text has this hash, if any."""
        with self._connect() as conn:
            row = conn.execute("SELECT file FROM articles WHERE sha256 = ? ORDER BY file LIMIT 1", (sha256,)).fetchone()
        return row[0] if row else None

    def record(self, urls: list[str], *, feed: str, status: str, file: str = "", sha256: str = "") -> None:
        """Mark URLs (the one asked for and where it led) as ingested or duplicate."""
        now = _now()
        with self._connect() as conn:
            conn.executemany(
                "INSERT INTO fetched_urls (url, feed, status, file, sha256, attempts, error, updated_at)"
                " VALUES (?, ?, ?, ?, ?, 1, '', ?) ON CONFLICT (url) DO UPDATE SET status = excluded.status,"
                " file = excluded.file, sha256 = excluded.sha256, attempts = fetched_urls.attempts + 1, error = '',"
                " updated_at = excluded.updated_at",
                [(url, feed, status, file, sha256, now) for url in dict.fromkeys(urls)],
            )

    def record_failure(self, url: str, *, feed: str, error: str) -> tuple[int, bool]:
        """Count a failed attempt; return the attempts so far and whether the URL is now given up on."""
        first = ABANDONED if MAX_ATTEMPTS <= 1 else FAILED
        with self._connect() as conn:
            # One statement, so two pollers failing on one URL at once both count (no read-then-write race).
            attempts, status = conn.execute(
                "INSERT INTO fetched_urls (url, feed, status, file, sha256, attempts, error, updated_at)"
                " VALUES (?, ?, ?, '', '', 1, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " status = CASE WHEN fetched_urls.attempts + 1 >= ? THEN ? ELSE ? END,"
                " attempts = fetched_urls.attempts + 1, error = excluded.error, updated_at = excluded.updated_at"
                " RETURNING attempts, status",
                (url, feed, first, error, _now(), MAX_ATTEMPTS, ABANDONED, FAILED),
            ).fetchone()
        return attempts, status == ABANDONED
