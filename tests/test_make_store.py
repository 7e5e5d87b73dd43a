"""bench/make_store.py and Store.bulk_load: a synthetic store that opens, reads and reviews like a real one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from rasd.errors import StoreError
from rasd.newsroom.review import Review
from rasd.newsroom.users import UserStore
from rasd.store import SYNTHETIC_KEY, Store
from rasd.store.synthetic import SYNTHETIC_NOTE, fake_events_frame, synthetic_store_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_store import make_store  # noqa: E402

N = 400
SEED = 5


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A store of N synthetic events, made on the command line as the README says."""
    db = tmp_path_factory.mktemp("synthetic") / "rasd.sqlite"
    done = subprocess.run(
        [sys.executable, "bench/make_store.py", "--events", str(N), "--db", str(db), "--seed", str(SEED)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{N:,} synthetic events" in done.stdout
    return db


def test_the_store_opens_and_counts_match(made):
    store = Store(made, create=False)
    expected = fake_events_frame(N, seed=SEED)
    counts = store.counts()
    assert counts.events == N
    assert counts.articles == counts.sources == int(expected["n_sources"].sum())
    firsts = [a or b for a, b in zip(expected["date"], expected["date_earliest"]) if a or b]
    lasts = [a or b for a, b in zip(expected["date"], expected["date_latest"]) if a or b]
    assert (counts.first_date, counts.last_date) == (min(firsts), max(lasts))
    assert not list(Path(made).parent.glob("*.building-*"))


def test_events_frame_is_the_synthetic_frame_in_store_order(made):
    frame = Store(made, create=False).events_frame()
    expected = fake_events_frame(N, seed=SEED)
    assert len(frame) == N
    by_id = frame.sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(by_id, expected.sort_values("id").reset_index(drop=True))
    # The store's reading order: by date (else earliest day), undated last, then id.
    keys = [(d is None, d or date.min, i) for d, i in
            zip((a or b for a, b in zip(frame["date"], frame["date_earliest"])), frame["id"])]
    assert keys == sorted(keys)


def test_meta_says_synthetic(made):
    store = Store(made, create=False)
    meta = store.meta()
    assert store.is_synthetic()
    assert json.loads(meta[SYNTHETIC_KEY])["events"] == N
    assert json.loads(meta[SYNTHETIC_KEY])["seed"] == SEED
    assert meta["schema_version"].isdigit()


def test_a_real_store_is_not_synthetic(tmp_path):
    store = Store(tmp_path / "real.sqlite")
    assert not store.is_synthetic()
    assert SYNTHETIC_KEY not in store.meta()


def test_rows_reference_each_other_and_evidence_is_in_the_article(made):
    with sqlite3.connect(made) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == conn.execute(
            "SELECT count(*) FROM event_mentions").fetchone()[0]
    store = Store(made, create=False)
    frame = store.events_frame()
    event = store.event(frame["id"].iloc[N // 2])
    assert event is not None and len(event.sources) == frame["n_sources"].iloc[N // 2]
    for source in event.sources:
        article = store.article(source.article)
        assert article.text[source.start:source.end] == source.evidence
        assert SYNTHETIC_NOTE in article.text
    assert len(store.sources_frame()) == store.counts().sources
    articles = store.articles_frame()
    assert set(articles["n_events"]) == {1} and set(articles["n_mentions"]) == {1}


def test_review_decisions_work_on_a_synthetic_store(made, tmp_path):
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(made) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    store = Store(copy, create=False)
    users = UserStore(tmp_path / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    users.add("alice", "correct horse battery")
    event_id = store.events_frame()["id"].iloc[3]
    Review(store).verify([event_id], by=users.local_editor("alice"))
    frame = store.events_frame()
    assert frame.loc[frame["id"] == event_id, "review"].item() == "verified"
    assert len(frame) == N


def test_bulk_load_refuses_a_store_with_events(made):
    with pytest.raises(StoreError, match="empty store"):
        Store(made, create=False).bulk_load(synthetic_store_rows(3))


def test_bulk_load_refuses_events_out_of_order_and_keeps_nothing(tmp_path):
    store = Store(tmp_path / "rasd.sqlite")
    batches = list(synthetic_store_rows(50, batch=10))
    batches[0], batches[-1] = batches[-1], batches[0]
    with pytest.raises(StoreError, match="out of date order"):
        store.bulk_load(batches, meta={SYNTHETIC_KEY: "{}"})
    assert store.counts().events == 0 and store.counts().articles == 0
    assert not store.is_synthetic()


def test_bulk_load_never_sets_the_schema_version(tmp_path):
    with pytest.raises(StoreError, match="schema version"):
        Store(tmp_path / "rasd.sqlite").bulk_load([], meta={"schema_version": "1"})


def test_make_store_keeps_an_existing_file_unless_forced(tmp_path):
    db = tmp_path / "rasd.sqlite"
    make_store(db, 5)
    with pytest.raises(StoreError, match="exists already"):
        make_store(db, 7)
    assert Store(db, create=False).counts().events == 5
    assert make_store(db, 7, force=True).counts().events == 7


def test_make_store_writes_into_an_empty_postgresql_database(pg_server):
    """The same command with a PostgreSQL URL: the same events, synthetic in meta; a second run is refused."""
    url = pg_server.create_database()
    command = [sys.executable, "bench/make_store.py", "--events", str(N), "--db", url, "--seed", str(SEED)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    store = Store(url, create=False)
    assert store.engine == "postgresql" and store.is_synthetic()
    expected = fake_events_frame(N, seed=SEED)
    frame = store.events_frame()
    assert sorted(frame["id"]) == sorted(expected["id"])
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1 and "error:" in again.stderr
    assert len(Store(url, create=False).events_frame()) == N
