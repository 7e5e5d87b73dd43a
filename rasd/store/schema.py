"""The store's schema as versioned steps, and the plain runner that applies them on either engine.

Why ordered steps and not Alembic: nothing else in Rasd uses SQLAlchemy, and Alembic would bring it in for a
dozen tables; the schema is small and changes rarely; and every SQLite file already saved must upgrade in
place, with every row and every editor decision, through the same path a new database takes (a new store
is made at version 1 and then migrated, on both engines). So each step is SQL written once, in SQLite's
dialect as it shipped (PostgresEngine.ddl translates the few words that differ), plus an optional Python
fill for values SQL cannot compute, all run in one transaction under the store's write lock. The version
is the `schema_version` row of `meta`. Opening a store never upgrades it: `rasd db upgrade` does
(`upgrade`), so an upgrade is a step someone decides on, after a backup, with the old app stopped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rasd.errors import SchemaOutdatedError, SchemaTooNewError, StoreError
from rasd.store.engines import Connection, Engine
from rasd.store.search import fill_search_columns

SCHEMA_VERSION = 5

# Version 1, as first shipped: a new database is made with it and then brought up to date by MIGRATIONS.
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    file TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT NOT NULL,
    outlet_id TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT,
    published_note TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    reference_date TEXT,
    reference_basis TEXT NOT NULL,
    flags TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article TEXT NOT NULL REFERENCES articles(file) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    date TEXT, date_earliest TEXT, date_latest TEXT, date_precision TEXT NOT NULL,
    place TEXT NOT NULL, place_name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    geo_precision TEXT NOT NULL, governorate TEXT NOT NULL,
    weapon TEXT NOT NULL, projectiles INTEGER, target TEXT NOT NULL, outcome TEXT NOT NULL,
    killed INTEGER, wounded INTEGER, claimed_by TEXT NOT NULL,
    evidence TEXT NOT NULL,
    UNIQUE (article, seq)
);
CREATE TABLE mention_sources (
    mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    outlet TEXT NOT NULL,
    url TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    PRIMARY KEY (mention_id, seq)
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    date TEXT, date_earliest TEXT, date_latest TEXT, date_precision TEXT NOT NULL,
    place TEXT NOT NULL, place_name TEXT NOT NULL, place_name_ar TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, geo_precision TEXT NOT NULL,
    governorate TEXT NOT NULL, governorate_id TEXT NOT NULL,
    weapon TEXT NOT NULL, projectiles INTEGER, target TEXT NOT NULL, outcome TEXT NOT NULL,
    killed INTEGER, wounded INTEGER, claimed_by TEXT NOT NULL, claimant_id TEXT NOT NULL,
    n_sources INTEGER NOT NULL,
    evidence TEXT NOT NULL
);
CREATE TABLE event_sources (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    article TEXT NOT NULL REFERENCES articles(file),
    evidence TEXT NOT NULL,
    outlet TEXT NOT NULL,
    url TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX event_sources_article ON event_sources(article);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_governorate ON events(governorate_id);
"""

Fill = Callable[[Connection, Engine], Any]


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: the version it brings a store to, its SQL and an optional Python fill after it."""

    version: int
    description: str
    sql: str
    # Runs after the SQL, in the same transaction: values only Python can compute (Arabic folding, slugs).
    fill: Fill | None = None


def _fill_search(conn: Connection, engine: Engine) -> None:
    fill_search_columns(conn, source_order=engine.source_order())


# In order; each step takes a store from the version before it. Rows are never dropped.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        2,
        "review decisions (apart from the machine output), event review status and version, event membership",
        """
ALTER TABLE events ADD COLUMN review TEXT NOT NULL DEFAULT 'unreviewed';
ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN edits TEXT NOT NULL DEFAULT '{}';
CREATE INDEX events_review ON events(review);
CREATE INDEX articles_sha256 ON articles(sha256);
CREATE TABLE event_mentions (
    mention_id INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL
);
CREATE INDEX event_mentions_event ON event_mentions(event_id);
-- Which mention each stored event came from, as far as its sources tell (the next rebuild makes it exact).
INSERT INTO event_mentions (mention_id, event_id)
SELECT m.id, es.event_id FROM event_sources es
JOIN mentions m ON m.article = es.article
JOIN mention_sources ms ON ms.mention_id = m.id AND ms.seq = 0
WHERE ms.start_offset = es.start_offset AND ms.end_offset = es.end_offset AND ms.evidence = es.evidence
ON CONFLICT DO NOTHING;
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('verify', 'reject', 'edit', 'merge', 'split')),
    editor TEXT NOT NULL,
    at TEXT NOT NULL,
    event_id TEXT NOT NULL,
    other_id TEXT NOT NULL DEFAULT '',
    article TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '{}',
    before TEXT NOT NULL DEFAULT '{}',
    after TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'orphaned')),
    applied_to TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX decisions_event ON decisions(event_id);
CREATE TABLE decision_anchors (
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('event', 'other', 'split')),
    sha256 TEXT NOT NULL,
    article TEXT NOT NULL,
    mention_seq INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (decision_id, seq)
);
""",
    ),
    Migration(
        3,
        "the newsroom's memory between polls: feed validators and every page URL asked for",
        """
CREATE TABLE IF NOT EXISTS feed_state (
    feed TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fetched_urls (
    url TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    status TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fetched_urls_feed ON fetched_urls(feed, status);
""",
    ),
    Migration(
        4,
        "filtering in SQL: folded search text, outlets per event, indexes on the filtered columns, a change counter",
        """
ALTER TABLE events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE TABLE event_outlets (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    outlet_id TEXT NOT NULL,
    PRIMARY KEY (event_id, outlet_id)
);
CREATE INDEX event_outlets_outlet ON event_outlets(outlet_id);
CREATE INDEX events_weapon ON events(weapon);
CREATE INDEX events_target ON events(target);
CREATE INDEX events_outcome ON events(outcome);
CREATE INDEX events_place ON events(place);
CREATE INDEX events_claimant ON events(claimant_id);
-- One row, raised by every write transaction: readers cache on it (Store.changes()).
CREATE TABLE store_state (id INTEGER PRIMARY KEY CHECK (id = 1), changes BIGINT NOT NULL);
INSERT INTO store_state (id, changes) VALUES (1, 0);
""",
        fill=_fill_search,
    ),
    Migration(
        5,
        "a number per event (events.pos) and filter indexes that hold it, so a filter's events are read from an index",
        """
ALTER TABLE events ADD COLUMN pos INTEGER NOT NULL DEFAULT 0;
UPDATE events SET pos = o.n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events) AS o
WHERE o.id = events.id;
CREATE UNIQUE INDEX events_pos ON events(pos);
-- Each filtered column with the public test and pos after it: a one-column filter's positions and count come from
-- the index alone, without reading a row of the (wide) table.
DROP INDEX events_date;
CREATE INDEX events_date ON events(date, review, pos);
DROP INDEX events_governorate;
CREATE INDEX events_governorate ON events(governorate_id, review, pos);
DROP INDEX events_review;
CREATE INDEX events_review ON events(review, pos);
DROP INDEX events_weapon;
CREATE INDEX events_weapon ON events(weapon, review, pos);
DROP INDEX events_target;
CREATE INDEX events_target ON events(target, review, pos);
DROP INDEX events_outcome;
CREATE INDEX events_outcome ON events(outcome, review, pos);
DROP INDEX events_place;
CREATE INDEX events_place ON events(place, review, pos);
DROP INDEX events_claimant;
CREATE INDEX events_claimant ON events(claimant_id, review, pos);
""",
    ),
)
assert [m.version for m in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1)), "MIGRATIONS must end at SCHEMA_VERSION"


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    """What `upgrade` did: the store's schema version before and after (equal when there was nothing to do)."""

    target: str
    before: int
    after: int


def statements(sql: str) -> Iterator[str]:
    """The statements of an SQL script, one at a time (a script call would commit the open transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        # SQLite's own tokenizer: a ';' outside quotes and comments ends a statement, in both dialects used here.
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise StoreError(f"incomplete SQL statement in a migration: {buffer.strip()[:60]!r}")


def schema_version(conn: Connection) -> int | None:
    """The version in `meta`, or None when it is missing or not a number."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", ("schema_version",)).fetchone()
    if row is None or not str(row[0]).isdigit():
        return None
    return int(row[0])


def _run(conn: Connection, engine: Engine, sql: str) -> None:
    for statement in statements(engine.ddl(sql)):
        conn.execute(statement)


def migrate(conn: Connection, engine: Engine, found: int, *, to: int = SCHEMA_VERSION) -> None:
    """Apply every step after `found` up to `to`, inside the caller's transaction."""
    for step in MIGRATIONS:
        if not found < step.version <= to:
            continue
        _run(conn, engine, step.sql)
        if step.fill is not None:
            step.fill(conn, engine)
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (str(step.version), "schema_version"))


def create(conn: Connection, engine: Engine, *, version: int = SCHEMA_VERSION) -> None:
    """A new store at version 1, then migrated: every store takes the same path (inside the caller's transaction).

    `version` below the current one makes the store an older Rasd made (the upgrade tests start from those).
    """
    _run(conn, engine, SCHEMA_V1)
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("schema_version", "1"))
    migrate(conn, engine, 1, to=version)


def inspect(conn: Connection, engine: Engine) -> int | None:
    """The store's schema version, None for an empty database; StoreError when it is not a Rasd store."""
    tables = engine.tables(conn)
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreError(f"{engine.label}: not a Rasd database (no meta table)")
    found = schema_version(conn)
    if found is None or found < 1:
        raise StoreError(f"{engine.label}: schema version none, this Rasd needs {SCHEMA_VERSION}; "
                         "not a store this Rasd can read")
    return found


def check_current(engine: Engine, found: int) -> None:
    """SchemaOutdatedError for an older store (naming the command that upgrades it), SchemaTooNewError for a newer."""
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{engine.label}: schema version {found} is newer than this Rasd ({SCHEMA_VERSION}); "
            "a newer Rasd wrote it: update this one (git pull; make install)", found=found, wanted=SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        raise SchemaOutdatedError(
            f"{engine.label}: schema version {found}, this Rasd needs {SCHEMA_VERSION}; back it up, then run "
            f"'rasd db upgrade --db {engine.label}' (it keeps every row and every editor decision)",
            found=found, wanted=SCHEMA_VERSION)


def upgrade(conn: Connection, engine: Engine) -> UpgradeReport:
    """Bring a store up to SCHEMA_VERSION in place, in one transaction (a new, empty database is created)."""
    engine.configure(conn)
    with engine.transaction(conn):
        # Read under the write lock: another process may have upgraded it while this one waited.
        found = inspect(conn, engine)
        if found is None:
            create(conn, engine)
            found = 0
        elif found > SCHEMA_VERSION:
            check_current(engine, found)
        else:
            migrate(conn, engine, found)
        if found < SCHEMA_VERSION:
            conn.execute("UPDATE store_state SET changes = changes + 1 WHERE id = 1")
    return UpgradeReport(engine.label, found, SCHEMA_VERSION)
