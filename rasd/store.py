"""The SQLite store: ingested articles, their per-article events (mentions) and the merged events."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from rasd.errors import GazetteerError, StoreError
from rasd.models import Article, Event, Source
from rasd.slug import slugify

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from rasd.extract.dates import Reference

SCHEMA_VERSION = 1
DEFAULT_DB = Path("data") / "rasd.sqlite"

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Every Event field stored in its own column, in the dataclass's order (rows rebuild Events positionally).
EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.name not in ("sources", "id"))
_DATE_FIELDS = ("date", "date_earliest", "date_latest")
_DATE_INDEXES = tuple(EVENT_FIELDS.index(f) for f in _DATE_FIELDS)
_INT_FIELDS = ("projectiles", "killed", "wounded")

EVENTS_FRAME_COLUMNS = (
    "id", "date", "date_earliest", "date_latest", "date_precision", "place", "place_name", "place_name_ar",
    "lat", "lon", "geo_precision", "governorate", "governorate_id", "weapon", "projectiles", "target",
    "outcome", "killed", "wounded", "claimed_by", "claimant_id", "outlets", "outlet_names", "articles",
    "n_sources", "evidence",
)
SOURCES_FRAME_COLUMNS = ("event_id", "article", "outlet", "outlet_id", "url", "evidence")
ARTICLES_FRAME_COLUMNS = (
    "file", "title", "outlet", "outlet_id", "url", "published", "published_note", "reference_date",
    "reference_basis", "flags", "n_mentions", "n_events", "sha256", "ingested_at",
)

_SCHEMA = """
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


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did: articles added, updated and unchanged, and the number of events after it."""

    added: int
    updated: int
    unchanged: int
    events: int


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """Totals for the app's header."""

    articles: int
    events: int
    sources: int
    outlets: int
    first_date: date | None
    last_date: date | None


def default_db_path() -> Path:
    """`$RASD_DB`, else `data/rasd.sqlite` under the working directory; its folder is created."""
    path = Path(os.environ.get("RASD_DB") or DEFAULT_DB)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class Store:
    """One SQLite file holding articles, per-article mentions and merged events."""

    def __init__(self, path: str | Path, *, gazetteer: Gazetteer | None = None, create: bool = True) -> None:
        self.path = Path(path)
        self._gazetteer = gazetteer
        if not self.path.exists() and not create:
            raise StoreError(f"{self.path}: no database here; run 'rasd ingest' first")
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            self._check_schema(conn)

    @classmethod
    def build_from_folder(cls, path: str | Path, folder: str | Path, *, progress: Progress | None = None) -> Store:
        """Open (or create) the store at `path` and ingest the article folder into it."""
        from rasd.articles import load_articles

        loaded = load_articles([folder])
        for error in loaded.errors:
            log.warning("%s", error)
        store = cls(path)
        store.ingest(loaded.articles, progress=progress)
        return store

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer used for extraction and place lookups (the default one unless given)."""
        if self._gazetteer is None:
            from geo.gazetteer import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: the app reads from several threads and sqlite3 connections are not shared.
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open database ({e})") from e
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: database error ({e})") from e
        finally:
            conn.close()

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a Rasd database ({e})") from e
        if not tables:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA)
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("schema_version", str(SCHEMA_VERSION)))
            conn.execute("COMMIT")
            return
        if "meta" not in tables:
            raise StoreError(f"{self.path}: not a Rasd database (no meta table)")
        row = conn.execute("SELECT value FROM meta WHERE key = ?", ("schema_version",)).fetchone()
        found = row[0] if row else "none"
        if found != str(SCHEMA_VERSION):
            raise StoreError(
                f"{self.path}: schema version {found}, this Rasd needs {SCHEMA_VERSION}; "
                "delete the file and ingest the articles again"
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # Writing

    def ingest(
        self, articles: Iterable[Article], *, progress: Progress | None = None, reextract: bool = False
    ) -> IngestReport:
        """Store new and changed articles with their mentions, then rebuild the merged events.

        An article stored with the same text hash and catalogue metadata is left alone unless
        `reextract` is set (after the extractor changed); a changed one replaces only its own mentions.
        """
        from rasd.extract.dates import article_reference
        from rasd.extract.extraction import extract_article

        batch = list({a.file: a for a in articles}.values())
        with self._connect() as conn:
            stored = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT file, sha256, title, outlet, url, published, published_note FROM articles"
                )
            }
        added = updated = unchanged = 0
        work: list[tuple[Article, Reference, list[Event]]] = []
        total = len(batch)
        for done, article in enumerate(batch, start=1):
            old = stored.get(article.file)
            same = old == _fingerprint(article)
            if old is None:
                added += 1
            elif same:
                unchanged += 1
            else:
                updated += 1
            if not same or reextract:
                reference = article_reference(article)
                events = extract_article(article, gazetteer=self.gazetteer, reference=reference)
                work.append((article, reference, events))
            if progress is not None:
                progress(done, total)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction() as conn:
            for article, reference, events in work:
                self._write_article(conn, article, reference, events, now)
            if work:
                self._rebuild_events(conn)
            n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        return IngestReport(added=added, updated=updated, unchanged=unchanged, events=n_events)

    def _write_article(
        self, conn: sqlite3.Connection, article: Article, reference: Reference, events: list[Event], now: str
    ) -> None:
        conn.execute("DELETE FROM mentions WHERE article = ?", (article.file,))
        conn.execute(
            "INSERT INTO articles (file, title, outlet, outlet_id, url, published, published_note, sha256, text,"
            " reference_date, reference_basis, flags, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (file) DO UPDATE SET title = excluded.title, outlet = excluded.outlet,"
            " outlet_id = excluded.outlet_id, url = excluded.url, published = excluded.published,"
            " published_note = excluded.published_note, sha256 = excluded.sha256, text = excluded.text,"
            " reference_date = excluded.reference_date, reference_basis = excluded.reference_basis,"
            " flags = excluded.flags, ingested_at = excluded.ingested_at",
            (
                article.file, article.title, article.outlet, slugify(article.outlet), article.url,
                _iso(article.published), article.published_note, article.sha256, article.text,
                _iso(reference.date), reference.basis, json.dumps(list(reference.flags)),
                now,
            ),
        )
        columns = ", ".join(EVENT_FIELDS)
        marks = ", ".join("?" * (len(EVENT_FIELDS) + 3))
        for seq, event in enumerate(events):
            sources = event.sources or [Source(article=article.file, evidence="")]
            cur = conn.execute(
                f"INSERT INTO mentions (article, seq, {columns}, evidence) VALUES ({marks})",
                (article.file, seq, *_event_values(event), sources[0].evidence),
            )
            conn.executemany(
                "INSERT INTO mention_sources (mention_id, seq, evidence, outlet, url, start_offset, end_offset)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (cur.lastrowid, i, s.evidence, s.outlet or article.outlet, s.url or article.url, s.start, s.end)
                    for i, s in enumerate(sources)
                ],
            )

    def _mentions(self, conn: sqlite3.Connection) -> list[Event]:
        sources: dict[int, list[Source]] = {}
        for mention_id, article, evidence, outlet, url, start, end in conn.execute(
            "SELECT ms.mention_id, m.article, ms.evidence, ms.outlet, ms.url, ms.start_offset, ms.end_offset"
            " FROM mention_sources ms JOIN mentions m ON m.id = ms.mention_id ORDER BY ms.mention_id, ms.seq"
        ):
            sources.setdefault(mention_id, []).append(Source(article, evidence, outlet, url, start, end))
        events = []
        for row in conn.execute(f"SELECT id, {', '.join(EVENT_FIELDS)} FROM mentions ORDER BY article, seq"):
            event = _event_from_row(row[1:])
            event.sources = sources.get(row[0], [])
            events.append(event)
        return events

    def _rebuild_events(self, conn: sqlite3.Connection) -> None:
        from rasd.extract.merging import merge_events

        self._write_events(conn, merge_events(self._mentions(conn)))

    def _write_events(self, conn: sqlite3.Connection, merged: list[Event]) -> None:
        merged = sorted(merged, key=_date_order)
        gazetteer = self.gazetteer
        names_ar = {place: _place_name_ar(gazetteer, place) for place in {e.place for e in merged}}
        governorate_ids = {g: _governorate_id(gazetteer, g) for g in {e.governorate for e in merged}}
        conn.execute("DELETE FROM event_sources")
        conn.execute("DELETE FROM events")
        columns = ", ".join(EVENT_FIELDS)
        marks = ", ".join("?" * (len(EVENT_FIELDS) + 6))
        conn.executemany(
            f"INSERT INTO events (id, {columns}, place_name_ar, governorate_id, claimant_id, n_sources, evidence)"
            f" VALUES ({marks})",
            [
                (
                    e.id, *_event_values(e), names_ar[e.place], governorate_ids[e.governorate],
                    slugify(e.claimed_by), len(e.sources),
                    e.sources[0].evidence if e.sources else "",
                )
                for e in merged
            ],
        )
        conn.executemany(
            "INSERT INTO event_sources (event_id, seq, article, evidence, outlet, url, start_offset, end_offset)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (e.id, i, s.article, s.evidence, s.outlet, s.url, s.start, s.end)
                for e in merged
                for i, s in enumerate(e.sources)
            ],
        )

    # Reading

    def articles(self) -> list[Article]:
        """Every stored article, by file name."""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY file").fetchall()
        return [_article_from_row(r) for r in rows]

    def article(self, file: str) -> Article | None:
        """One stored article, or None."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE file = ?", (file,)).fetchone()
        return _article_from_row(row) if row else None

    def article_flags(self, file: str) -> list[str]:
        """The date flags recorded for an article (empty for an unknown file)."""
        with self._connect() as conn:
            row = conn.execute("SELECT flags FROM articles WHERE file = ?", (file,)).fetchone()
        return list(json.loads(row[0])) if row else []

    def events(self) -> list[Event]:
        """Every merged event with its sources, by date (undated last) then id."""
        return self._load_events(None)

    def event(self, event_id: str) -> Event | None:
        """One merged event, or None."""
        found = self._load_events(event_id)
        return found[0] if found else None

    def _load_events(self, event_id: str | None) -> list[Event]:
        one = event_id is not None
        params = (event_id,) if one else ()
        with self._connect() as conn:
            sources: dict[str, list[Source]] = {}
            for source_event, *fields in conn.execute(
                "SELECT event_id, article, evidence, outlet, url, start_offset, end_offset FROM event_sources"
                f" {'WHERE event_id = ?' if one else ''} ORDER BY rowid",
                params,
            ):
                sources.setdefault(source_event, []).append(Source(*fields))
            rows = conn.execute(
                f"SELECT id, {', '.join(EVENT_FIELDS)} FROM events {'WHERE id = ?' if one else ''} {_EVENT_ORDER}",
                params,
            ).fetchall()
        events = []
        for row in rows:
            event = _event_from_row(row[1:])
            event.id = row[0]
            event.sources = sources.get(row[0], [])
            events.append(event)
        return events

    def events_frame(self) -> pd.DataFrame:
        """One row per event with the columns of docs/ARCHITECTURE.md ("Events frame")."""
        scalar = [c for c in EVENTS_FRAME_COLUMNS if c not in _LIST_COLUMNS]
        with self._connect() as conn:
            by_event: dict[str, tuple[list[str], list[str]]] = {}
            for event_id, article, outlet in conn.execute(
                "SELECT event_id, article, outlet FROM event_sources ORDER BY rowid"
            ):
                entry = by_event.get(event_id)
                if entry is None:
                    entry = by_event[event_id] = ([], [])
                entry[0].append(article)
                entry[1].append(outlet)
            rows = conn.execute(f"SELECT {', '.join(scalar)} FROM events {_EVENT_ORDER}").fetchall()
        columns = _columns(rows, scalar)
        # Few distinct outlet lists recur over many events: work each out once.
        outlet_lists: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        articles, outlets, names = [], [], []
        empty: tuple[list[str], list[str]] = ([], [])
        for event_id in columns["id"]:
            event_articles, event_outlets = by_event.get(event_id, empty)
            articles.append(list(dict.fromkeys(event_articles)) if len(event_articles) > 1 else event_articles)
            key = tuple(event_outlets)
            known = outlet_lists.get(key)
            if known is None:
                mine = [o for o in dict.fromkeys(event_outlets) if o]
                known = outlet_lists[key] = (mine, [slugify(o) for o in mine])
            names.append(list(known[0]))
            outlets.append(list(known[1]))
        columns.update(articles=articles, outlets=outlets, outlet_names=names)
        return _frame(columns, EVENTS_FRAME_COLUMNS, dates=_DATE_FIELDS, ints=_INT_FIELDS,
                      floats=("lat", "lon"), counts=("n_sources",))

    def sources_frame(self) -> pd.DataFrame:
        """One row per (event, reporting article): event_id, article, outlet, outlet_id, url, evidence."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT event_id, article, outlet, url, evidence FROM event_sources ORDER BY rowid"
            ).fetchall()
        columns = _columns(rows, ("event_id", "article", "outlet", "url", "evidence"))
        ids = {name: slugify(name) for name in set(columns["outlet"])}
        columns["outlet_id"] = [ids[name] for name in columns["outlet"]]
        return _frame(columns, SOURCES_FRAME_COLUMNS)

    def articles_frame(self) -> pd.DataFrame:
        """One row per article with its metadata, date flags and how many events it reports (no text)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT a.file, a.title, a.outlet, a.outlet_id, a.url, a.published, a.published_note,"
                " a.reference_date, a.reference_basis, a.flags,"
                " (SELECT count(*) FROM mentions m WHERE m.article = a.file),"
                " (SELECT count(DISTINCT s.event_id) FROM event_sources s WHERE s.article = a.file),"
                " a.sha256, a.ingested_at FROM articles a ORDER BY a.file"
            ).fetchall()
        columns = _columns(rows, ARTICLES_FRAME_COLUMNS)
        columns["flags"] = [json.loads(v) for v in columns["flags"]]
        return _frame(columns, ARTICLES_FRAME_COLUMNS, dates=("published", "reference_date"),
                      counts=("n_mentions", "n_events"))

    def counts(self) -> StoreCounts:
        """Numbers of articles, events, event sources and outlets, and the span of event dates."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
                " (SELECT count(*) FROM event_sources),"
                " (SELECT count(DISTINCT outlet_id) FROM articles WHERE outlet_id != ''),"
                " (SELECT min(coalesce(date, date_earliest)) FROM events),"
                " (SELECT max(coalesce(date, date_latest)) FROM events)"
            ).fetchone()
        return StoreCounts(row[0], row[1], row[2], row[3], _date(row[4]), _date(row[5]))


_LIST_COLUMNS = ("articles", "outlets", "outlet_names")
_ARTICLE_COLUMNS = "file, text, title, outlet, url, published, published_note"
# _write_events writes events in date order and each event's sources together in order, so rowid
# order is the reading order of both tables without a sort.
_EVENT_ORDER = "ORDER BY rowid"


@functools.lru_cache(maxsize=8192)
def _date(value: str | None) -> date | None:
    """ISO text to a date, parsing each distinct day once (tables repeat the same few thousand days)."""
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date_order(event: Event) -> tuple[bool, date, str]:
    """Dated events first, by best date (or earliest bound), then id."""
    day = event.date or event.date_earliest
    return (day is None, day or date.min, event.id)


def _fingerprint(article: Article) -> tuple[Any, ...]:
    """What decides whether a stored article changed: its text hash and the metadata extraction reads."""
    return (article.sha256, article.title, article.outlet, article.url, _iso(article.published),
            article.published_note)


def _event_values(event: Event) -> tuple[Any, ...]:
    return tuple(_iso(getattr(event, f)) if f in _DATE_FIELDS else getattr(event, f) for f in EVENT_FIELDS)


def _event_from_row(row: tuple[Any, ...]) -> Event:
    values = list(row)
    for i in _DATE_INDEXES:
        values[i] = _date(values[i])
    return Event(*values)


def _article_from_row(row: tuple[Any, ...]) -> Article:
    file, text, title, outlet, url, published, note = row
    return Article(file=file, text=text, title=title, outlet=outlet, url=url, published=_date(published),
                   published_note=note)


def _place_name_ar(gazetteer: Gazetteer, place_id: str) -> str:
    try:
        return gazetteer.get(place_id).name_ar
    except GazetteerError:
        return ""


def _governorate_id(gazetteer: Gazetteer, governorate: str) -> str:
    try:
        return gazetteer.governorate_id(governorate)
    except GazetteerError:
        return ""


def _columns(rows: list[tuple[Any, ...]], names: Iterable[str]) -> dict[str, list[Any]]:
    names = list(names)
    values = list(zip(*rows)) if rows else [()] * len(names)
    return {name: list(column) for name, column in zip(names, values)}


def _frame(
    columns: dict[str, list[Any]],
    order: Iterable[str],
    *,
    dates: Iterable[str] = (),
    ints: Iterable[str] = (),
    floats: Iterable[str] = (),
    counts: Iterable[str] = (),
) -> pd.DataFrame:
    """A frame with dates as datetime.date or None (object dtype), nullable Int64 counts and list cells."""
    typed: dict[str, Any] = {}
    for name, values in columns.items():
        if name in dates:
            typed[name] = pd.Series([_date(v) for v in values], dtype=object)
        elif name in ints:
            typed[name] = pd.array(values, dtype="Int64")
        elif name in floats:
            typed[name] = pd.Series(values, dtype="float64")
        elif name in counts:
            typed[name] = pd.Series(values, dtype="int64")
        elif values and isinstance(values[0], list):
            typed[name] = pd.Series(values, dtype=object)
        else:
            typed[name] = values
    return pd.DataFrame(typed, columns=list(order))
