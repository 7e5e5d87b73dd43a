"""What the newsroom remembers between polls, in two tables of the store's SQLite file (schema version 3).

`feed_state` keeps each feed's validators (ETag, Last-Modified) for conditional requests;
`fetched_urls` keeps every page URL asked for and what became of it, so an item is fetched once
across polls and restarts and a failed one is tried again. The store's migrations create them;
this module writes only them (and reads `articles.sha256` to spot a text already stored under
another name).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from rasd.errors import StoreError

# A page that failed this many times is given up on (logged once more, then no longer retried).
MAX_ATTEMPTS = 5
INGESTED, DUPLICATE, FAILED, ABANDONED = "ingested", "duplicate", "failed", "abandoned"
DONE = (INGESTED, DUPLICATE, ABANDONED)



def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class NewsroomState:
    """Feed validators and fetched URLs, kept in the SQLite file of an existing store."""

    def __init__(self, path: str | Path) -> None:
        from rasd.store import Store

        # Opening the store creates the file or brings it up to date, these tables included.
        Store(path)
        self.path = Path(path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open database ({e})") from e
        try:
            yield conn
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: database error ({e})") from e
        finally:
            conn.close()

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
                " file = excluded.file, sha256 = excluded.sha256, attempts = attempts + 1, error = '',"
                " updated_at = excluded.updated_at",
                [(url, feed, status, file, sha256, now) for url in dict.fromkeys(urls)],
            )

    def record_failure(self, url: str, *, feed: str, error: str) -> tuple[int, bool]:
        """Count a failed attempt; return the attempts so far and whether the URL is now given up on."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT attempts FROM fetched_urls WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            status = ABANDONED if attempts >= MAX_ATTEMPTS else FAILED
            conn.execute(
                "INSERT INTO fetched_urls (url, feed, status, file, sha256, attempts, error, updated_at)"
                " VALUES (?, ?, ?, '', '', ?, ?, ?) ON CONFLICT (url) DO UPDATE SET status = excluded.status,"
                " attempts = excluded.attempts, error = excluded.error, updated_at = excluded.updated_at",
                (url, feed, status, attempts, error, _now()),
            )
            conn.execute("COMMIT")
        return attempts, status == ABANDONED
