"""Versioned migrations on both engines: older stores are refused until `rasd db upgrade`, which keeps every row
and every editor decision and fills migration 4's search columns as a fresh write would."""

from __future__ import annotations

import pytest

from rasd.articles import load_articles
from rasd.cli import main
from rasd.errors import SchemaOutdatedError, SchemaTooNewError, StoreError
from rasd.newsroom.review import Review
from rasd.store import MIGRATIONS, SCHEMA_VERSION, Store, upgrade_store
from rasd.store.engines import engine_for
from rasd.store.postgres import PostgresEngine
from rasd.store.schema import create

# Tables each version holds, with a key that orders their rows (the comparison of before and after).
KEYS = {
    "articles": "file", "mentions": "id", "mention_sources": "mention_id, seq", "events": "id",
    "event_sources": "event_id, seq", "event_mentions": "mention_id", "decisions": "id",
    "decision_anchors": "decision_id, seq", "feed_state": "feed", "fetched_urls": "url", "event_outlets":
    "event_id, outlet_id",
}


@pytest.fixture(scope="module")
def seed_articles(seeds_dir):
    return load_articles([seeds_dir]).articles


@pytest.fixture()
def decided(tmp_path, seed_articles, editors) -> Store:
    """A current SQLite store of the seeds with decisions of every kind but split."""
    alice, bob = editors
    store = Store(tmp_path / "source.sqlite")
    store.ingest(seed_articles)
    review = Review(store)
    single = [e for e in store.events() if len(set(e.articles)) == 1]
    review.verify(single[0].id, by=alice, comment="checked")
    review.edit(single[1].id, by=bob, changes={"killed": 3}, expected_version=1)
    review.reject(single[2].id, by=alice)
    review.merge(single[3].id, single[4].id, by=bob)
    return store


def _columns(conn, table: str) -> list[str]:
    cur = conn.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    return [d[0] for d in cur.description]


def _rows(conn, tables) -> dict[str, list[tuple]]:
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY {KEYS[t]}").fetchall()] for t in tables}


def _older_copy(source: Store, target, version: int) -> None:
    """The store at `target` as the Rasd of schema `version` would hold the source's rows (its columns only)."""
    engine = engine_for(target, busy_timeout=30)
    engine.prepare()
    with engine.connect() as conn, source._connect() as old:
        engine.configure(conn)
        with engine.transaction(conn):
            create(conn, engine, version=version)
            for table in (t for t in KEYS if t in engine.tables(conn)):
                columns = ", ".join(_columns(conn, table))
                # In rowid order, so a SQLite copy keeps the physical order the store reads in.
                rows = old.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            if isinstance(engine, PostgresEngine):
                # The copied rows carry their ids: the identity sequences continue after them.
                for table in ("mentions", "decisions"):
                    if table in engine.tables(conn):
                        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                     f" coalesce(max(id), 0) + 1, false) FROM {table}")


@pytest.mark.parametrize("version", [1, 3, 4])
def test_db_upgrade_keeps_every_row_and_decision(engine, new_db, decided, seed_articles, editors, capsys, version):
    target = new_db(engine)
    _older_copy(decided, target, version)
    with engine_for(target, busy_timeout=30).connect() as conn:
        tables = engine_for(target, busy_timeout=30).tables(conn) & set(KEYS)
        before = _rows(conn, tables)
        old_columns = {t: _columns(conn, t) for t in tables}
    assert before["articles"] and before["events"]

    with pytest.raises(SchemaOutdatedError, match=f"schema version {version}, this Rasd needs {SCHEMA_VERSION}") as e:
        Store(target)
    assert f"rasd db upgrade --db {target}" in str(e.value)
    assert (e.value.found, e.value.wanted) == (version, SCHEMA_VERSION)

    assert main(["db", "upgrade", "--db", str(target)]) == 0
    assert f"upgraded from schema version {version} to {SCHEMA_VERSION}" in capsys.readouterr().out

    store = Store(target, create=False)
    with store._connect() as conn:
        after = _rows(conn, tables)
        # Every column an older Rasd wrote is there, unchanged, row by row.
        for table in tables:
            kept = [i for i, c in enumerate(_columns(conn, table)) if c in old_columns[table]]
            assert [tuple(r[i] for i in kept) for r in after[table]] == before[table], table
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    if version >= 2:
        # The decisions apply as they did, and the search columns are what the current code writes.
        assert [(d.id, d.kind, d.state, d.events) for d in store.decisions()] == \
            [(d.id, d.kind, d.state, d.events) for d in decided.decisions()]
        assert store.events_frame(include_rejected=True).equals(decided.events_frame(include_rejected=True))
    search = "SELECT id, search_text FROM events ORDER BY id"
    outlets = "SELECT event_id, outlet_id FROM event_outlets ORDER BY event_id, outlet_id"
    assert store.read(search) == decided.read(search)
    assert store.read(outlets) == decided.read(outlets) != []
    # Every event gets its own number (migration 5): the map matches a filter's events on it.
    numbers = [n for (n,) in store.read("SELECT pos FROM events")]
    assert len(set(numbers)) == len(numbers) == len(after["events"]) and min(numbers) >= 1
    # Upgrading again does nothing; the store takes new decisions and rebuilds keep the old ones.
    assert main(["db", "upgrade", "--db", str(target)]) == 0
    assert "already up to date" in capsys.readouterr().out
    event = next(e for e in store.events() if e.review == "unreviewed")
    Review(store).verify(event.id, by=editors[0])
    store.ingest(seed_articles, reextract=True)
    assert store.event(event.id).review == "verified"
    assert Review(store).orphaned_decisions() == []
    frame = store.events_frame(include_rejected=True)
    assert store.read(outlets) == sorted((i, o) for i, ids in zip(frame["id"], frame["outlets"]) for o in ids)


def test_a_new_store_is_made_at_the_current_version(db_target):
    store = Store(db_target)
    assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
    assert store.changes() == 1  # the transaction that made it
    assert upgrade_store(db_target).before == SCHEMA_VERSION
    assert [m.version for m in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))


def test_a_newer_store_is_refused_everywhere(db_target, capsys):
    store = Store(db_target)
    with store._connect() as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(SchemaTooNewError, match=f"schema version {SCHEMA_VERSION + 1} is newer than this Rasd"):
        Store(db_target)
    assert main(["db", "upgrade", "--db", str(db_target)]) == 1
    assert f"schema version {SCHEMA_VERSION + 1} is newer" in capsys.readouterr().err


def test_db_upgrade_needs_a_store(tmp_path, capsys):
    assert main(["db", "upgrade", "--db", str(tmp_path / "missing.sqlite")]) == 1
    assert "no database here" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite").exists()


def test_an_outdated_store_is_refused_by_the_other_commands(tmp_path, decided, capsys):
    target = tmp_path / "old.sqlite"
    _older_copy(decided, target, 3)
    assert main(["export", "--db", str(target)]) == 1
    assert f"run 'rasd db upgrade --db {target}'" in capsys.readouterr().err
    with pytest.raises(StoreError, match="rasd db upgrade"):
        Store(target).ingest([])
