"""The store on both engines: ingest, idempotent re-ingest, per-article replacement, schema checks and frames."""

from __future__ import annotations

import csv
import dataclasses
import re
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from rasd.articles import load_articles
from rasd.errors import StoreError
from rasd.extract.extraction import extract_events
from rasd.models import Article
from rasd.slug import slugify
from rasd.store import SCHEMA_VERSION, Store, default_db_path

from conftest import ENGINES

ROOT = Path(__file__).resolve().parent.parent
NEUTRAL = "\n\nوقال المتحدث إن الحكومة ستعقد اجتماعا الأسبوع المقبل لبحث الموازنة العامة للدولة.\n"
DATE_COLUMNS = ("date", "date_earliest", "date_latest")


def _documented_columns() -> list[str]:
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = doc.split("## Events frame", 1)[1]
    listed = re.search(r"columns:\s*`([^`]*)`", section).group(1)
    return [c.strip() for c in re.sub(r"\([^)]*\)", "", listed).split(",")]


def _mention_rows(store: Store, *, exclude: str) -> list[tuple]:
    return store.read("SELECT * FROM mentions WHERE article != ? ORDER BY id", (exclude,))


def _mention_ids(store: Store, article: str) -> list[int]:
    return [r[0] for r in store.read("SELECT id FROM mentions WHERE article = ? ORDER BY id", (article,))]


def _event_key(event) -> tuple:
    return (event.id, *(getattr(event, f.name) for f in dataclasses.fields(event) if f.name != "id"))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir) -> list[Article]:
    loaded = load_articles([seeds_dir])
    assert loaded.errors == []
    return loaded.articles


@pytest.fixture()
def fresh(db_target, seed_articles) -> tuple[Store, Store]:
    store = Store(db_target)
    store.ingest(seed_articles)
    return store, store


@pytest.fixture(scope="module", params=ENGINES)
def seeded(request, new_db, seed_articles) -> Store:
    store = Store(new_db(request.param))
    store.ingest(seed_articles)
    return store


def test_first_ingest_stores_what_the_extractor_finds(db_target, seed_articles):
    calls: list[tuple[int, int]] = []
    store = Store(db_target)

    report = store.ingest(seed_articles, progress=lambda done, total: calls.append((done, total)))

    expected = extract_events(seed_articles)
    assert (report.added, report.updated, report.unchanged) == (len(seed_articles), 0, 0)
    assert report.events == len(expected) > 0
    assert calls == [(i, len(seed_articles)) for i in range(1, len(seed_articles) + 1)]
    assert sorted(map(_event_key, store.events())) == sorted(map(_event_key, expected))


def test_reingest_adds_nothing(fresh, seed_articles):
    store, _ = fresh
    before_ids = [e.id for e in store.events()]
    before_counts = store.counts()
    before_mentions = _mention_rows(store, exclude="")

    report = store.ingest(seed_articles)

    assert (report.added, report.updated, report.unchanged) == (0, 0, len(seed_articles))
    assert report.events == len(before_ids)
    assert [e.id for e in store.events()] == before_ids
    assert store.counts() == before_counts
    assert _mention_rows(store, exclude="") == before_mentions


def _single_source_article(store: Store) -> str:
    """An article all of whose events are reported by it alone."""
    events = store.events()
    for article in sorted({a for e in events for a in e.articles}):
        mine = [e for e in events if article in e.articles]
        if mine and all(e.articles == [article] for e in mine):
            return article
    raise AssertionError("every seed article shares an event with another")


def test_changed_article_replaces_only_its_own_mentions(fresh, seed_articles):
    store, _ = fresh
    target = _single_source_article(store)
    others_mentions = _mention_rows(store, exclude=target)
    others_events = [_event_key(e) for e in store.events() if target not in e.articles]
    old = next(a for a in seed_articles if a.file == target)
    neutral = dataclasses.replace(old, text=old.text.splitlines()[0] + NEUTRAL)

    report = store.ingest([neutral, *[a for a in seed_articles if a.file != target]])

    assert (report.added, report.updated, report.unchanged) == (0, 1, len(seed_articles) - 1)
    assert _mention_ids(store, target) == []
    assert _mention_rows(store, exclude=target) == others_mentions
    after = store.events()
    assert all(target not in e.articles for e in after)
    assert [_event_key(e) for e in after] == others_events
    assert store.article(target).text == neutral.text


def test_reworded_article_gets_new_mentions_and_keeps_its_event_ids(fresh, seed_articles):
    store, _ = fresh
    target = seed_articles[0].file
    old_mention_ids = _mention_ids(store, target)
    others_mentions = _mention_rows(store, exclude=target)
    ids = [e.id for e in store.events()]
    changed = dataclasses.replace(seed_articles[0], text=seed_articles[0].text + NEUTRAL)

    report = store.ingest([changed])

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    new_mention_ids = _mention_ids(store, target)
    assert len(new_mention_ids) == len(old_mention_ids) > 0
    assert not set(new_mention_ids) & set(old_mention_ids)
    assert _mention_rows(store, exclude=target) == others_mentions
    assert [e.id for e in store.events()] == ids


def test_changed_catalogue_metadata_counts_as_an_update(fresh, seed_articles):
    store, _ = fresh
    dated = dataclasses.replace(seed_articles[1], published=date(2021, 12, 30), outlet="Another Outlet")

    report = store.ingest([dated])

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    stored = store.article(dated.file)
    assert (stored.published, stored.outlet) == (date(2021, 12, 30), "Another Outlet")
    assert store.articles_frame().set_index("file").loc[dated.file, "outlet_id"] == "another-outlet"


def test_reextract_runs_the_extractor_again_without_changing_anything(fresh, seed_articles):
    store, _ = fresh
    ids = [e.id for e in store.events()]

    report = store.ingest(seed_articles, reextract=True)

    assert (report.added, report.updated, report.unchanged) == (0, 0, len(seed_articles))
    assert [e.id for e in store.events()] == ids


def test_schema_version_mismatch_raises(db_target):
    store = Store(db_target)
    with store._connect() as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))

    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        Store(db_target)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_text("not a database at all, just text\n" * 50), "not a Rasd database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "no meta table"),
        (lambda p: p.mkdir(), "folder"),
    ],
    ids=["text-file", "foreign-sqlite", "folder"],
)
def test_unusable_database_raises_store_error(tmp_path, setup, message):
    path = tmp_path / "rasd.sqlite"
    setup(path)

    with pytest.raises(StoreError, match=message):
        Store(path)


def test_missing_database_is_not_created_when_asked_not_to(tmp_path):
    path = tmp_path / "missing.sqlite"

    with pytest.raises(StoreError, match="no database"):
        Store(path, create=False)
    assert not path.exists()


def test_new_database_uses_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "sub" / "rasd.sqlite"
    Store(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
            SCHEMA_VERSION
        )


def test_default_db_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RASD_DB", str(tmp_path / "x" / "y.sqlite"))
    assert default_db_path() == tmp_path / "x" / "y.sqlite"
    assert (tmp_path / "x").is_dir()
    monkeypatch.delenv("RASD_DB")
    monkeypatch.chdir(tmp_path)
    assert default_db_path() == Path("data") / "rasd.sqlite"
    assert (tmp_path / "data").is_dir()


def test_events_frame_has_the_documented_columns_and_types(seeded):
    frame = seeded.events_frame()
    events = {e.id: e for e in seeded.events()}

    assert list(frame.columns) == _documented_columns()
    assert len(frame) == len(events) > 0
    for column in DATE_COLUMNS:
        assert frame[column].dtype == object
        assert all(v is None or type(v) is date for v in frame[column])
    for row in frame.itertuples(index=False):
        event = events[row.id]
        assert row.articles == list(dict.fromkeys(event.articles))
        assert row.n_sources == len(event.sources)
        assert row.outlet_names == list(dict.fromkeys(s.outlet for s in event.sources if s.outlet))
        assert row.outlets == [slugify(o) for o in row.outlet_names]
        assert row.claimant_id == slugify(event.claimed_by)
        assert row.evidence == event.sources[0].evidence
        assert (row.lat, row.lon, row.date) == (event.lat, event.lon, event.date)
        assert (row.governorate_id == "") == (event.governorate == "")
        assert pd.isna(row.killed) if event.killed is None else row.killed == event.killed
    assert frame["lat"].dtype == "float64" and frame["n_sources"].dtype == "int64"


def test_events_frame_uses_gazetteer_ids_and_names(seeded):
    from geo.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    frame = seeded.events_frame()
    with open(ROOT / "geo" / "governorates.csv", encoding="utf-8") as f:
        governorate_ids = {row["id"] for row in csv.DictReader(f)}

    assert set(frame["governorate_id"]) <= governorate_ids
    for name, gov_id in zip(frame["governorate"], frame["governorate_id"]):
        assert gov_id == gazetteer.governorate_id(name)
    for place, name_ar in zip(frame["place"], frame["place_name_ar"]):
        assert name_ar == gazetteer.get(place).name_ar


def test_sources_and_articles_frames(seeded, seed_articles):
    sources = seeded.sources_frame()
    articles = seeded.articles_frame()
    events = seeded.events()

    assert list(sources.columns) == ["event_id", "article", "outlet", "outlet_id", "url", "evidence"]
    assert len(sources) == sum(len(e.sources) for e in events)
    assert list(sources["outlet_id"]) == [slugify(o) for o in sources["outlet"]]
    assert list(articles["file"]) == sorted(a.file for a in seed_articles)
    assert "text" not in articles.columns
    per_article = sources.groupby("article")["event_id"].nunique()
    for row in articles.itertuples(index=False):
        assert row.n_events == per_article.get(row.file, 0)
        assert isinstance(row.flags, list)
        assert row.flags == seeded.article_flags(row.file)
        assert row.outlet_id == slugify(row.outlet)


def test_articles_and_events_read_back(seeded, seed_articles):
    assert seeded.articles() == sorted(seed_articles, key=lambda a: a.file)
    for article in seed_articles:
        assert seeded.article(article.file) == article
    assert seeded.article("nope.txt") is None
    assert seeded.article_flags("nope.txt") == []
    for event in seeded.events():
        assert _event_key(seeded.event(event.id)) == _event_key(event)
    assert seeded.event("no-such-id") is None


def test_counts(seeded, seed_articles):
    counts = seeded.counts()
    frame = seeded.events_frame()
    events = seeded.events()

    assert counts.articles == len(seed_articles)
    assert counts.events == len(frame)
    assert counts.sources == int(frame["n_sources"].sum())
    assert counts.outlets == len({slugify(a.outlet) for a in seed_articles if a.outlet})
    assert counts.first_date == min(e.date or e.date_earliest for e in events if e.date or e.date_earliest)
    assert counts.last_date == max(e.date or e.date_latest for e in events if e.date or e.date_latest)


def test_build_from_folder(new_db, seeds_dir, seeded):
    store = Store.build_from_folder(new_db(seeded.engine), seeds_dir)

    assert [e.id for e in store.events()] == [e.id for e in seeded.events()]
