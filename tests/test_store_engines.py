"""The store's public additions on both engines: read, changes, engine, the search columns, one transaction per
ingest, review conflicts, the newsroom's state, bulk loads; and the engine layer's own rules."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from rasd.articles import load_articles, outlet_id
from rasd.errors import ConflictError, StoreError
from rasd.newsroom.review import Review
from rasd.newsroom.state import ABANDONED, MAX_ATTEMPTS, NewsroomState
from rasd.store import POSTGRESQL, SQLITE, Store, default_db_path, target_of
from rasd.store.engines import is_url
from rasd.store.postgres import PostgresEngine, safe_label, to_pyformat
from rasd.store.synthetic import synthetic_store_rows
from rasd.store.search import fold, folded_lines

# Every table an ingest or a review decision writes (compared whole before and after a failed write).
TABLES = ("articles", "mentions", "mention_sources", "events", "event_sources", "event_mentions", "event_outlets",
          "decisions", "decision_anchors", "store_state")


@pytest.fixture(scope="module")
def seed_articles(seeds_dir):
    return load_articles([seeds_dir]).articles


@pytest.fixture()
def seeded(db_target, seed_articles) -> Store:
    store = Store(db_target)
    store.ingest(seed_articles)
    return store


def _snapshot(store: Store) -> dict[str, list[tuple]]:
    return {t: sorted(store.read(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def _search_columns_agree(store: Store) -> None:
    """search_text and event_outlets are what the events frame says, for every event (rejected ones too)."""
    frame = store.events_frame(include_rejected=True)
    stored = dict(store.read("SELECT id, search_text FROM events"))
    assert set(stored) == set(frame["id"])
    for row in frame.itertuples(index=False):
        parts = [row.place_name, row.place_name_ar, row.evidence, row.claimed_by, row.outlet_names]
        assert stored[row.id] == folded_lines(parts)
    links = sorted(store.read("SELECT event_id, outlet_id FROM event_outlets"))
    assert links == sorted((i, o) for i, ids in zip(frame["id"], frame["outlets"]) for o in dict.fromkeys(ids))


def test_engine_names_the_engine(seeded):
    assert seeded.engine in (SQLITE, POSTGRESQL)
    assert seeded.engine == (POSTGRESQL if is_url(seeded.path) else SQLITE)


def test_read_takes_question_marks_and_keeps_literal_percent_signs(seeded):
    place = seeded.events()[0].place_name
    pattern = place[:3].replace("%", "\\%").replace("_", "\\_") + "%"
    rows = seeded.read(
        "SELECT count(*), '100%', 'a?b' FROM events WHERE place_name LIKE ? ESCAPE '\\' AND review != ?",
        (pattern, "rejected"),
    )
    assert rows[0][0] >= 1 and rows[0][1:] == ("100%", "a?b")
    assert seeded.read("SELECT id FROM events WHERE id = ?", ("no-such",)) == []
    assert isinstance(seeded.read("SELECT id, lat FROM events")[0], tuple)


def test_read_integers_gives_one_integer_column_as_an_array(seeded):
    numbers = seeded.read_integers("SELECT pos AS n FROM events WHERE review != ?", ("rejected",))
    rows = seeded.read("SELECT pos FROM events WHERE review != 'rejected'")
    assert sorted(numbers.tolist()) == sorted(n for (n,) in rows)
    assert len(numbers) == seeded.counts().events > 0
    assert seeded.read_integers("SELECT pos AS n FROM events WHERE id = ?", ("no-such",)).tolist() == []


def test_read_refuses_writes(seeded):
    with pytest.raises(StoreError):
        seeded.read("DELETE FROM events")
    assert seeded.counts().events > 0


def test_changes_counts_write_transactions_only(seeded, seed_articles, editors):
    first = seeded.changes()
    seeded.ingest(seed_articles)  # nothing changed: nothing written
    assert seeded.changes() == first
    Review(seeded).verify(seeded.events()[0].id, by=editors[0])
    assert seeded.changes() == first + 1
    seeded.ingest(seed_articles, reextract=True)
    assert seeded.changes() == first + 2
    NewsroomState(seeded.path).save_validators("https://example.org/feed", '"e"', "")
    assert seeded.changes() == first + 2


def test_changes_sees_other_writers_and_outlives_dropped_connections(new_db, seed_articles, editors):
    """The change counter is read on a kept connection (PostgreSQL): it still sees every write committed by
    another store at once, and a kept connection the server dropped (a restart) is replaced, not an error."""
    import psycopg

    url = new_db(POSTGRESQL)
    reader, writer = Store(url), Store(url)
    writer.ingest(seed_articles[:3])
    first = reader.changes()
    assert reader.changes() == first
    Review(writer).verify(writer.events()[0].id, by=editors[0])
    assert reader.changes() == first + 1
    with psycopg.connect(url, autocommit=True) as admin:
        dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert dropped >= 1  # the reader's kept connection
    assert reader.changes() == first + 1


def test_search_columns_follow_every_write(seeded, seed_articles, editors):
    alice, bob = editors
    _search_columns_agree(seeded)
    review = Review(seeded)
    multi = next(e for e in seeded.events() if len(set(e.articles)) >= 2)
    single = [e for e in seeded.events() if len(set(e.articles)) == 1]
    review.edit(single[0].id, by=alice, changes={"place": "balad-air-base", "claimed_by": "كتائب حزب الله"},
                expected_version=1)
    review.merge(single[1].id, single[2].id, by=bob)
    review.split(multi.id, multi.articles[-1], by=alice)
    review.reject(single[3].id, by=bob)
    _search_columns_agree(seeded)
    edited = seeded.event(single[0].id)
    assert fold("كتائب حزب الله") in dict(seeded.read("SELECT id, search_text FROM events"))[edited.id]
    seeded.ingest(seed_articles, reextract=True)
    _search_columns_agree(seeded)
    changed = dataclasses.replace(seed_articles[0], outlet="Another Outlet")
    seeded.ingest([changed])
    _search_columns_agree(seeded)
    assert (outlet_id("Another Outlet"),) in seeded.read("SELECT DISTINCT outlet_id FROM event_outlets")


def test_a_crash_mid_ingest_leaves_the_store_as_it_was(seeded, seed_articles, monkeypatch):
    before = _snapshot(seeded)
    rebuild = Store._rebuild_events

    def crash(self, conn):
        rebuild(self, conn)  # the article rows and the new events are written by now
        raise RuntimeError("power cut")

    monkeypatch.setattr(Store, "_rebuild_events", crash)
    reworded = [dataclasses.replace(a, text=a.text + "\n\nوقال المتحدث إن الاجتماع سيعقد غدا.\n")
                for a in seed_articles[:2]]
    new = dataclasses.replace(seed_articles[0], file="new_article.txt")
    with pytest.raises(RuntimeError, match="power cut"):
        seeded.ingest([*reworded, new])
    assert _snapshot(seeded) == before
    monkeypatch.undo()
    report = seeded.ingest([*reworded, new])
    assert (report.added, report.updated) == (1, 2)


def test_a_stale_edit_is_refused_on_either_engine(seeded, editors):
    alice, bob = editors
    event = next(e for e in seeded.events() if len(set(e.articles)) == 1)
    Review(seeded).edit(event.id, by=alice, changes={"killed": 2}, expected_version=1)
    with pytest.raises(ConflictError, match="your version 1, now 2"):
        Review(Store(seeded.path)).edit(event.id, by=bob, changes={"killed": 7}, expected_version=1)
    assert (seeded.event(event.id).killed, seeded.event(event.id).version) == (2, 2)


def test_concurrent_editors_get_one_winner(seeded, editors):
    event = next(e for e in seeded.events() if len(set(e.articles)) == 1)
    results: list[str] = []
    start = threading.Barrier(4)

    def edit(editor, killed: int) -> None:
        store = Store(seeded.path)
        start.wait()
        try:
            Review(store).edit(event.id, by=editor, changes={"killed": killed}, expected_version=1)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=edit, args=(editors[i % 2], 10 + i)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict"] * 3 + ["ok"]
    assert seeded.event(event.id).version == 2
    assert [d.kind for d in seeded.decisions(event_id=event.id)] == ["edit"]


def test_newsroom_state_on_either_engine(db_target):
    state = NewsroomState(db_target)
    assert state.validators("f") == ("", "")
    state.save_validators("f", '"v1"', "Mon")
    state.save_validators("f", '"v2"', "Tue")
    assert state.validators("f") == ('"v2"', "Tue")
    state.record(["https://a.example/1", "https://a.example/1?x"], feed="f", status="ingested", file="a.txt")
    assert state.status("https://a.example/1") == "ingested" and state.status("https://b.example") is None
    attempts = [state.record_failure("https://b.example/2", feed="f", error="timeout") for _ in range(MAX_ATTEMPTS)]
    assert attempts[-1] == (MAX_ATTEMPTS, True) and attempts[0] == (1, False)
    assert state.status("https://b.example/2") == ABANDONED
    assert state.retries("f") == []
    assert state.file_with_text("0" * 64) is None


def test_bulk_load_then_ingest(db_target, seed_articles):
    store = Store(db_target)
    before = store.changes()
    assert store.bulk_load(synthetic_store_rows(60, seed=3, batch=25), meta={"synthetic": "{}"}) == 60
    assert store.counts().events == 60 and store.is_synthetic() and store.changes() == before + 1
    _search_columns_agree(store)
    assert sorted(n for (n,) in store.read("SELECT pos FROM events")) == list(range(1, 61))
    # Ids the loaded rows brought along do not collide with the ones the store makes next.
    store.ingest(seed_articles)
    assert store.counts().events > 60
    with pytest.raises(StoreError, match="needs an empty store"):
        store.bulk_load(synthetic_store_rows(2, seed=3))


def test_an_empty_postgresql_database_is_no_store_until_created(new_db):
    url = new_db(POSTGRESQL)
    with pytest.raises(StoreError, match="no database here"):
        Store(url, create=False)
    Store(url)
    assert Store(url, create=False).counts().events == 0


def test_an_unreachable_postgresql_server_is_a_store_error(pg_server):
    url = pg_server.url("no_such_database")
    with pytest.raises(StoreError, match="cannot open database"):
        Store(url)


def test_targets_urls_and_paths(tmp_path, monkeypatch):
    url = "postgresql://rasd@db.example:5432/rasd"
    # argparse's type=Path squeezes the URL's slashes; the store gives them back.
    assert target_of(Path(url)) == url and target_of(url) == url
    assert target_of(str(tmp_path / "a.sqlite")) == tmp_path / "a.sqlite"
    assert is_url("postgres://x@y/z") and not is_url(tmp_path / "postgresql.sqlite")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RASD_DB", url)
    assert default_db_path() == url
    assert not list(tmp_path.iterdir())  # no folder made for a URL
    assert safe_label("postgresql://rasd:s3cret@db.example/rasd") == "postgresql://rasd:***@db.example/rasd"
    assert "s3cret" not in PostgresEngine("postgresql://rasd:s3cret@db.example/rasd", busy_timeout=1).label


def test_placeholders_for_psycopg():
    assert to_pyformat("SELECT ? WHERE a LIKE ? ESCAPE '\\'") == "SELECT %s WHERE a LIKE %s ESCAPE '\\'"
    assert to_pyformat("SELECT '?%', \"odd?\" -- why?\n, 5 % 2, ?") == "SELECT '?%%', \"odd?\" -- why?\n, 5 %% 2, %s"
    assert to_pyformat("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"


def test_postgresql_dialect_of_the_migrations():
    ddl = PostgresEngine("postgresql://x@y/z", busy_timeout=1).ddl
    assert ddl("id INTEGER PRIMARY KEY,\n") == "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
    assert ddl("mention_id INTEGER PRIMARY KEY REFERENCES m(id)") == "mention_id INTEGER PRIMARY KEY REFERENCES m(id)"
    assert ddl("lat REAL NOT NULL, note TEXT DEFAULT 'TEXT'") == \
        "lat DOUBLE PRECISION NOT NULL, note TEXT COLLATE \"C\" DEFAULT 'TEXT'"
