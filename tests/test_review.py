"""Review decisions: each kind, replayed on every rebuild, orphans kept, stale edits refused, the public kept clean."""

from __future__ import annotations

import csv
import dataclasses
import io
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher

from rasd.articles import load_articles
from rasd.errors import AuthError, ConflictError, ReviewError, SchemaOutdatedError, StoreError
from rasd.views.exports import acled_csv, write_csv
from rasd.views.filters import Filters
from rasd.models import Article, Source
from rasd.newsroom.review import AUDIT_COLUMNS, Review
from rasd.newsroom.users import UserStore
from rasd.store import MIGRATIONS, SCHEMA_VERSION, Store, upgrade_store

PASSWORD = "correct horse battery staple"
NEUTRAL = "\n\nوقال المتحدث إن الحكومة ستعقد اجتماعا الأسبوع المقبل لبحث الموازنة العامة للدولة.\n"
# The review columns and the columns derived from edited fields; compared between rebuilds.
SNAPSHOT = ["id", "review", "version", "date", "date_earliest", "date_latest", "date_precision", "place",
            "place_name", "place_name_ar", "lat", "lon", "geo_precision", "governorate", "governorate_id", "weapon",
            "projectiles", "target", "outcome", "killed", "wounded", "claimed_by", "claimant_id", "articles",
            "n_sources", "evidence"]

# Schema version 1 exactly as rasd/store/core.py first shipped it (kept here so the upgrade test never drifts).
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    file TEXT PRIMARY KEY, title TEXT NOT NULL, outlet TEXT NOT NULL, outlet_id TEXT NOT NULL, url TEXT NOT NULL,
    published TEXT, published_note TEXT NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL, reference_date TEXT,
    reference_basis TEXT NOT NULL, flags TEXT NOT NULL, ingested_at TEXT NOT NULL
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
    seq INTEGER NOT NULL, evidence TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
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
    evidence TEXT NOT NULL, outlet TEXT NOT NULL, url TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX event_sources_article ON event_sources(article);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_governorate ON events(governorate_id);
"""
V1_TABLES = ("meta", "articles", "mentions", "mention_sources", "events", "event_sources")


@pytest.fixture(scope="module")
def seed_articles(seeds_dir) -> list[Article]:
    loaded = load_articles([seeds_dir])
    assert loaded.errors == []
    return loaded.articles


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, seed_articles) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "rasd.sqlite"
    Store(path).ingest(seed_articles)
    return path


@pytest.fixture()
def store(tmp_path, seeded_file) -> Store:
    path = tmp_path / "rasd.sqlite"
    with sqlite3.connect(seeded_file) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return Store(path)


@pytest.fixture()
def review(store) -> Review:
    return Review(store)


@pytest.fixture()
def users(tmp_path) -> UserStore:
    users = UserStore(tmp_path / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    users.add("alice", PASSWORD)
    users.add("bob", PASSWORD)
    return users


@pytest.fixture()
def alice(users):
    return users.editor(users.sign_in("alice", PASSWORD).token)


@pytest.fixture()
def bob(users):
    return users.local_editor("bob")


def _multi(store: Store):
    """An event reported by two articles or more."""
    return next(e for e in store.events() if len(set(e.articles)) >= 2)


def _single(store: Store, *, exclude: set[str] = frozenset()):
    """An event reported by one article only."""
    return next(e for e in store.events() if len(set(e.articles)) == 1 and e.id not in exclude)


def _single_source_article(store: Store) -> str:
    events = store.events()
    for article in sorted({a for e in events for a in e.articles}):
        mine = [e for e in events if article in e.articles]
        if mine and all(e.articles == [article] for e in mine):
            return article
    raise AssertionError("every seed article shares an event with another")


def _snapshot(store: Store) -> list[dict]:
    frame = store.events_frame(include_rejected=True)[SNAPSHOT]
    return sorted(frame.astype(object).where(frame.notna(), None).to_dict("records"), key=lambda r: r["id"])


def _row(frame: pd.DataFrame, event_id: str) -> dict:
    rows = frame.loc[frame["id"] == event_id]
    assert len(rows) == 1, event_id
    return rows.iloc[0].to_dict()


# ---------------------------------------------------------------- each decision kind

def test_a_fresh_store_is_all_unreviewed_at_version_1(store, review):
    frame = review.review_list()
    assert list(frame["review"].unique()) == ["unreviewed"] and set(frame["version"]) == {1}
    assert review.decisions() == [] and review.orphaned_decisions() == []
    assert all(e.review == "unreviewed" and e.version == 1 for e in store.events())


def test_verify(store, review, alice):
    event = _multi(store)

    [decision] = review.verify(event.id, by=alice, comment="matches the ministry's statement")

    assert (decision.kind, decision.editor, decision.state, decision.events) == ("verify", "alice", "applied",
                                                                                   (event.id,))
    assert decision.before == {"review": "unreviewed", "version": 1}
    assert decision.after == {"review": "verified", "version": 2}
    row = _row(store.events_frame(), event.id)
    assert (row["review"], row["version"]) == ("verified", 2)
    assert store.event(event.id).review == "verified"
    frame = store.events_frame()
    assert set(Filters(reviews=("verified",)).apply(frame)["id"]) == {event.id}
    assert event.id not in set(Filters(reviews=("unreviewed",)).apply(frame)["id"])


def test_verify_several_and_unknown_ids(store, review, alice):
    a, b = _multi(store), _single(store)
    decisions = review.verify([a.id, b.id, a.id], by=alice)
    assert [d.event_id for d in decisions] == [a.id, b.id]
    with pytest.raises(ReviewError, match="no event 'ffffffffffff'; nothing was changed"):
        review.verify([_single(store, exclude={b.id}).id, "ffffffffffff"], by=alice)
    assert len(review.decisions()) == 2


def test_rejected_events_leave_every_public_read(store, review, alice):
    event = _multi(store)
    before = store.counts()

    review.reject([event.id], by=alice, comment="a US strike, not an attack on US forces")

    assert event.id not in set(store.events_frame()["id"])
    assert event.id not in {e.id for e in store.events()}
    assert store.event(event.id) is None
    assert event.id not in set(store.sources_frame()["event_id"])
    assert event.id not in acled_csv(store.events_frame())
    after = store.counts()
    assert after.events == before.events - 1 and after.sources == before.sources - len(event.sources)
    articles = store.articles_frame().set_index("file")
    for article in set(event.articles):
        assert articles.loc[article, "n_events"] == sum(1 for e in store.events() if article in e.articles)
    # The newsroom still sees it.
    assert _row(review.review_list("rejected"), event.id)["review"] == "rejected"
    assert review.event(event.id).review == "rejected"
    assert store.event(event.id, include_rejected=True).version == 2
    # Verifying it again brings it back.
    review.verify(event.id, by=alice)
    assert store.event(event.id).review == "verified"


def test_edit_replaces_machine_values(store, review, alice):
    event = _single(store)

    decision = review.edit(event.id, by=alice, expected_version=1, comment="ministry figures",
                           changes={"weapon": "rocket", "killed": "3", "wounded": 0, "claimant": "Kataib Hezbollah",
                                    "date": "2022-01-02", "projectiles": "٤"})

    assert decision.kind == "edit" and decision.before["weapon"] == event.weapon
    assert decision.after["killed"] == 3 and decision.after["projectiles"] == 4
    row = _row(store.events_frame(), event.id)
    assert (row["weapon"], row["killed"], row["wounded"], row["projectiles"]) == ("rocket", 3, 0, 4)
    assert (row["claimed_by"], row["claimant_id"]) == ("Kataib Hezbollah", "kataib-hezbollah")
    assert (row["date"], row["date_earliest"], row["date_latest"], row["date_precision"]) == (
        date(2022, 1, 2), date(2022, 1, 2), date(2022, 1, 2), "day")
    assert (row["review"], row["version"]) == ("edited", 2)
    # The table stays in date order after a date edit.
    days = [e.date or e.date_earliest for e in store.events() if (e.date or e.date_earliest)]
    assert days == sorted(days)
    # Verifying an edited event keeps it "edited": its values are the editors'.
    review.verify(event.id, by=alice)
    assert store.event(event.id).review == "edited"


def test_edit_place_by_gazetteer_id_or_point(store, review, alice):
    event = next(e for e in store.events() if e.place != "ain-al-asad")
    review.edit(event.id, by=alice, expected_version=1, changes={"place": "ain-al-asad"})
    row = _row(store.events_frame(), event.id)
    place = store.gazetteer.get("ain-al-asad")
    assert (row["place"], row["place_name"], row["place_name_ar"]) == (place.id, place.name_en, place.name_ar)
    assert (row["lat"], row["lon"], row["geo_precision"], row["governorate_id"]) == (place.lat, place.lon, "site",
                                                                                     "anbar")
    review.edit(event.id, by=alice, expected_version=2,
                changes={"lat": "33.81", "lon": "42.44", "geo_precision": "town"})
    row = _row(store.events_frame(), event.id)
    assert (row["lat"], row["lon"], row["geo_precision"], row["place"]) == (33.81, 42.44, "town", "ain-al-asad")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "at least one"),
        ({"colour": "red"}, "cannot edit 'colour'"),
        ({"weapon": "tank"}, "weapon 'tank' is not one of"),
        ({"target": "hospital"}, "target"),
        ({"outcome": "win"}, "outcome"),
        ({"date_precision": "week"}, "date_precision"),
        ({"geo_precision": "planet"}, "geo_precision"),
        ({"killed": "-1"}, "whole number"),
        ({"killed": "many"}, "whole number"),
        ({"wounded": 10**9}, "between 0 and"),
        ({"date": "2022-02-30"}, "a date like"),
        ({"date": "yesterday"}, "a date like"),
        ({"date_earliest": "2030-01-01", "date_latest": "2029-01-01"}, "is after"),
        ({"place": "atlantis"}, "no place 'atlantis'"),
        ({"lat": "33.3"}, "lat and lon go together"),
        ({"lat": "nan", "lon": "44"}, "between"),
        ({"lat": "abc", "lon": "44"}, "must be a number"),
        ({"claimant": "x" * 300}, "at most"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(store, review, alice, changes, message):
    event = _single(store)
    with pytest.raises(ReviewError, match=message):
        review.edit(event.id, by=alice, changes=changes, expected_version=1)
    assert store.event(event.id).version == 1 and review.decisions() == []


def test_an_edit_that_changes_nothing_is_refused(store, review, alice):
    event = _single(store)
    with pytest.raises(ReviewError, match="nothing to change"):
        review.edit(event.id, by=alice, changes={"weapon": event.weapon}, expected_version=1)


def test_a_stale_edit_raises_conflict_and_the_first_change_is_kept(store, review, alice, bob):
    event = _single(store)
    seen = review.event(event.id).version  # both editors open version 1

    review.edit(event.id, by=alice, changes={"killed": 2}, expected_version=seen)
    with pytest.raises(ConflictError) as conflict:
        Review(Store(store.path)).edit(event.id, by=bob, changes={"killed": 7}, expected_version=seen)

    message = str(conflict.value)
    assert f"event {event.id} changed since you loaded it" in message
    assert "your version 1, now 2" in message and "last changed by alice" in message
    now = store.event(event.id)
    assert (now.killed, now.version) == (2, 2)
    assert [d.editor for d in review.audit(event.id)] == ["alice"]


def test_concurrent_editors_of_one_version_get_one_winner(store, alice, bob):
    event = _single(store)
    results: list[str] = []

    def edit(editor, killed: int) -> None:
        try:
            Review(Store(store.path)).edit(event.id, by=editor, changes={"killed": killed}, expected_version=1)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=edit, args=(who, n)) for who, n in ((alice, 2), (bob, 7))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert store.event(event.id).version == 2


def test_merge(store, review, alice):
    a = _single(store)
    b = next(e for e in store.events() if e.id != a.id and set(e.articles).isdisjoint(a.articles))

    decision = review.merge(a.id, b.id, by=alice, comment="same attack, two reports")

    assert decision.other_id == b.id and decision.events == (a.id,)
    assert store.event(b.id, include_rejected=True) is None
    merged = store.event(a.id)
    assert set(merged.articles) == set(a.articles) | set(b.articles)
    assert (merged.review, merged.version) == ("edited", 2)
    assert decision.after == {"event": a.id, "version": 2, "articles": merged.articles}
    assert len(store.events()) == len(set(store.events_frame()["id"]))
    with pytest.raises(ReviewError, match="itself"):
        review.merge(a.id, a.id, by=alice)


def test_split(store, review, alice):
    event = _multi(store)
    article = event.articles[-1]

    decision = review.split(event.id, article, by=alice, comment="a different night")

    rest, new = store.event(event.id), store.event(decision.after["new_event"])
    assert article not in rest.articles and rest.articles
    assert new.articles == [article] and (new.review, new.version) == ("unreviewed", 1)
    assert (rest.review, rest.version) == ("edited", 2)
    assert decision.events == (event.id, new.id)
    with pytest.raises(ReviewError, match="only report"):
        review.split(new.id, article, by=alice)
    with pytest.raises(ReviewError, match="has no report from article"):
        review.split(event.id, "nope.txt", by=alice)


# ---------------------------------------------------------------- identity

def test_writes_need_a_confirmed_editor(store, review, users, alice):
    event = _single(store)
    for anonymous in (None, "alice", object()):
        with pytest.raises(AuthError):
            review.verify(event.id, by=anonymous)
    session = users.sign_in("bob", PASSWORD)
    bob = users.editor(session.token)
    users.sign_out(session.token)
    with pytest.raises(AuthError):
        review.reject(event.id, by=bob)
    local = users.local_editor("alice")
    users.remove("alice")
    for editor in (local, alice):
        with pytest.raises(AuthError):
            review.edit(event.id, by=editor, changes={"killed": 1}, expected_version=1)
    assert review.decisions() == [] and store.event(event.id).version == 1


# ---------------------------------------------------------------- replay on rebuild

def _decide_everything(store: Store, review: Review, editor) -> dict[str, str]:
    multi = _multi(store)
    review.split(multi.id, multi.articles[-1], by=editor)
    edited = _single(store, exclude={multi.id})
    review.edit(edited.id, by=editor, changes={"weapon": "mortar", "killed": 1, "date": "2021-06-01"},
                expected_version=1)
    rejected = _single(store, exclude={multi.id, edited.id})
    review.reject(rejected.id, by=editor)
    a, b = [e for e in store.events() if e.id not in {multi.id, edited.id, rejected.id}
            and e.review == "unreviewed"][:2]
    review.merge(a.id, b.id, by=editor)
    verified = next(e for e in store.events() if e.review == "unreviewed")
    review.verify(verified.id, by=editor)
    return {"split": multi.id, "edited": edited.id, "rejected": rejected.id, "merged": a.id, "gone": b.id,
            "verified": verified.id}


def test_reingest_and_reextract_reapply_every_decision(store, review, alice, seed_articles):
    ids = _decide_everything(store, review, alice)
    before = _snapshot(store)
    audit = [d.audit_row() for d in review.decisions()]

    report = store.ingest(seed_articles, reextract=True)
    assert report.unchanged == len(seed_articles)
    assert _snapshot(store) == before
    # A re-ingest that changes one article rebuilds every event: the decisions on the others hold.
    target = _single_source_article(store)
    untouched = [r for r in before if target not in r["articles"]]
    changed = [dataclasses.replace(a, text=a.text + NEUTRAL) if a.file == target else a for a in seed_articles]
    store.ingest(changed)
    after = {r["id"]: r for r in _snapshot(store)}
    for row in untouched:
        assert after.get(row["id"]) == row, row["id"]
    assert [d.audit_row()[:4] for d in review.decisions()] == [row[:4] for row in audit]
    assert store.event(ids["gone"], include_rejected=True) is None
    assert store.event(ids["rejected"]) is None


def test_a_new_extractor_cutting_sentences_differently_still_finds_the_decisions(store, review, alice, seed_articles,
                                                                                 monkeypatch):
    ids = _decide_everything(store, review, alice)
    before = {r["id"]: r for r in _snapshot(store)}

    from rasd.extract import extraction

    original = extraction.extract_article

    def shifted(article, **kwargs):
        # The next version's sentences start two characters later and come out in reverse order.
        events = original(article, **kwargs)
        for event in events:
            event.sources = [dataclasses.replace(s, start=s.start + 2, evidence=s.evidence[2:])
                             for s in event.sources]
        return list(reversed(events))

    monkeypatch.setattr(extraction, "extract_article", shifted)
    store.ingest(seed_articles, reextract=True)

    assert review.orphaned_decisions() == []
    after = {r["id"]: r for r in _snapshot(store)}
    for key in ("edited", "rejected", "verified", "merged", "split"):
        old, new = before[ids[key]], after[ids[key]]
        assert {k: new[k] for k in ("review", "version", "weapon", "killed", "date", "articles")} == {
            k: old[k] for k in ("review", "version", "weapon", "killed", "date", "articles")}, key
    assert ids["gone"] not in after


def test_a_decision_whose_report_is_gone_is_listed_as_orphaned(store, review, alice, seed_articles):
    target = _single_source_article(store)
    event = next(e for e in store.events() if e.articles == [target])
    review.verify(event.id, by=alice, comment="keep me")
    old = next(a for a in seed_articles if a.file == target)

    store.ingest([dataclasses.replace(old, text=old.text.splitlines()[0] + NEUTRAL)])

    [orphan] = review.orphaned_decisions()
    assert (orphan.kind, orphan.event_id, orphan.comment, orphan.state) == ("verify", event.id, "keep me", "orphaned")
    assert orphan.events == () and orphan.anchors and all(a.article == target for a in orphan.anchors)
    assert [d.id for d in review.audit()] == [orphan.id]
    # The article's text comes back (the outlet restored it): the decision applies again.
    store.ingest([old])
    assert review.orphaned_decisions() == []
    assert store.event(event.id).review == "verified"


# Which event each mention is in, by the mention's article and place in it (re-extraction renumbers mention ids).
MEMBERS = ("SELECT m.article, m.seq, em.event_id FROM event_mentions em JOIN mentions m ON m.id = em.mention_id"
           " ORDER BY m.article, m.seq")


def test_incremental_writes_match_a_full_rebuild(store, review, alice, seed_articles):
    _decide_everything(store, review, alice)
    with sqlite3.connect(store.path) as conn:
        incremental = conn.execute("SELECT * FROM events ORDER BY rowid").fetchall()
        sources = conn.execute("SELECT * FROM event_sources ORDER BY event_id, seq").fetchall()
        members = conn.execute(MEMBERS).fetchall()

    store.ingest(seed_articles, reextract=True)

    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT * FROM events ORDER BY rowid").fetchall() == incremental
        assert conn.execute("SELECT * FROM event_sources ORDER BY event_id, seq").fetchall() == sources
        assert conn.execute(MEMBERS).fetchall() == members


# ---------------------------------------------------------------- audit

def test_audit_rows(store, review, alice, bob):
    event = _single(store)
    review.verify(event.id, by=alice, comment="=HYPERLINK(\"http://evil.example\")")
    review.edit(event.id, by=bob, changes={"killed": 4}, expected_version=2, comment="new toll")
    other = _single(store, exclude={event.id})
    review.reject(other.id, by=bob)

    trail = review.audit(event.id)
    assert [(d.kind, d.editor) for d in trail] == [("verify", "alice"), ("edit", "bob")]
    assert trail[1].before == {"killed": event.killed} and trail[1].after == {"killed": 4}
    assert [d.kind for d in review.audit()] == ["verify", "edit", "reject"]
    text = write_csv(AUDIT_COLUMNS, (d.audit_row() for d in review.audit()))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["action"] for r in rows] == ["verify", "edit", "reject"]
    assert rows[0]["comment"].startswith("'=HYPERLINK")
    assert rows[1]["who"] == "bob" and rows[1]["event"] == event.id and '"killed": 4' in rows[1]["after"]
    assert all(r["when"] and r["state"] == "applied" for r in rows)


def test_review_list_filters_by_status(store, review, alice):
    event = _single(store)
    review.reject(event.id, by=alice)
    assert list(review.review_list("rejected")["id"]) == [event.id]
    assert event.id not in set(review.review_list(["unreviewed", "verified"])["id"])
    assert len(review.review_list("unreviewed,rejected")) == len(review.review_list())
    with pytest.raises(ReviewError, match="unknown review status 'approved'"):
        review.review_list("approved")


# ---------------------------------------------------------------- schema upgrade

def _v1_copy(seeded_file: Path, path: Path) -> None:
    """A schema-1 file holding what the current code stored for the seeds (every v1 column)."""
    with sqlite3.connect(path) as v1, sqlite3.connect(seeded_file) as current:
        v1.executescript(SCHEMA_V1)
        v1.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        for table in V1_TABLES[1:]:
            columns = [r[1] for r in v1.execute(f"PRAGMA table_info({table})")]
            rows = current.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
            v1.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                           rows)


def _v1_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        out = {}
        for table in V1_TABLES:
            columns = [r[1] for r in sqlite3.connect(":memory:").executescript(SCHEMA_V1).execute(
                f"PRAGMA table_info({table})")]
            if table == "meta":
                continue
            out[table] = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        return out


def test_an_old_schema_file_is_upgraded_in_place_keeping_every_row(tmp_path, seeded_file, users, seed_articles):
    path = tmp_path / "old.sqlite"
    _v1_copy(seeded_file, path)
    rows = _v1_rows(path)
    assert all(rows[t] for t in rows)

    # Opening it does not upgrade it behind the editor's back: the message names the command.
    with pytest.raises(SchemaOutdatedError, match="rasd db upgrade"):
        Store(path, create=False)
    assert _v1_rows(path) == rows
    upgrade_store(path, create=False)
    store = Store(path, create=False)

    assert _v1_rows(path) == rows
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert set(conn.execute("SELECT review FROM events")) == {("unreviewed",)}
        assert conn.execute("SELECT count(*) FROM event_mentions").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    assert list(store.events_frame()["id"]) == [r[0] for r in rows["events"]]
    # Opening it again changes nothing more, and editors can work on it at once.
    Store(path)
    assert _v1_rows(path) == rows
    review = Review(store)
    event = _multi(store)
    review.verify(event.id, by=users.local_editor("alice"))
    assert store.event(event.id).review == "verified"
    store.ingest(seed_articles, reextract=True)
    assert store.event(event.id).review == "verified" and review.orphaned_decisions() == []


def test_migrations_end_at_the_schema_version_and_newer_files_are_refused(tmp_path):
    assert [m.version for m in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))
    path = tmp_path / "rasd.sqlite"
    Store(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        Store(path)


def test_the_store_waits_for_a_busy_writer(store):
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store._connect() as conn:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_sources_of_split_events_keep_their_offsets(store, review, alice):
    event = _multi(store)
    article = event.articles[-1]
    wanted = [s for s in event.sources if s.article == article]
    decision = review.split(event.id, article, by=alice)
    new = store.event(decision.after["new_event"])
    assert [(s.article, s.start, s.end) for s in new.sources] == [(s.article, s.start, s.end) for s in wanted]
    assert all(isinstance(s, Source) for s in new.sources)
