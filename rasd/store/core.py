"""The store: ingested articles, their per-article events (mentions), the merged events and the newsroom's
review decisions (written through rasd.newsroom.review), in SQLite or PostgreSQL (rasd.store.engines)."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
import contextlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rasd.errors import ConflictError, GazetteerError, StoreError
from rasd.models import Article, Event, Source
from rasd.slug import slugify
from rasd.store import schema
from rasd.store.engines import Connection, Target, engine_for, target_of
from rasd.store.schema import UpgradeReport
from rasd.store.search import outlet_rows, search_text

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from rasd.extract.dates import Reference
    from rasd.newsroom.review import Anchor, Decision, Ledger, MentionRef, Working

# Seconds a connection waits for another writer (the app, an ingest, an editor) before giving up.
BUSY_TIMEOUT = 30.0
DEFAULT_DB = Path("data") / "rasd.sqlite"

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Every machine Event field stored in its own column, in the dataclass's order (rows rebuild Events positionally).
EVENT_FIELDS = tuple(
    f.name for f in dataclasses.fields(Event) if f.name not in ("sources", "id", "review", "version")
)
_DATE_FIELDS = ("date", "date_earliest", "date_latest")
_DATE_INDEXES = tuple(EVENT_FIELDS.index(f) for f in _DATE_FIELDS)
_INT_FIELDS = ("projectiles", "killed", "wounded")

EVENTS_FRAME_COLUMNS = (
    "id", "date", "date_earliest", "date_latest", "date_precision", "place", "place_name", "place_name_ar",
    "lat", "lon", "geo_precision", "governorate", "governorate_id", "weapon", "projectiles", "target",
    "outcome", "killed", "wounded", "claimed_by", "claimant_id", "outlets", "outlet_names", "articles",
    "n_sources", "evidence", "review", "version",
)
# Columns of the events table as prepared rows hold them (BulkRows), in the order the store writes them.
_EVENT_COLUMNS = (
    "id", *EVENT_FIELDS, "place_name_ar", "governorate_id", "claimant_id", "n_sources", "evidence",
    "review", "version", "edited", "edits",
)
# ... and with the column the store derives from them on every write (rasd.store.search).
_EVENT_WRITE_COLUMNS = (*_EVENT_COLUMNS, "search_text")
# ... and with the event's number, given when its row is first inserted and kept by updates and rebuilds.
_EVENT_INSERT_COLUMNS = (*_EVENT_WRITE_COLUMNS, "pos")
# Public reads leave rejected events out.
_PUBLIC = "review != 'rejected'"
SOURCES_FRAME_COLUMNS = ("event_id", "article", "outlet", "outlet_id", "url", "evidence")
ARTICLES_FRAME_COLUMNS = (
    "file", "title", "outlet", "outlet_id", "url", "published", "published_note", "reference_date",
    "reference_basis", "flags", "n_mentions", "n_events", "sha256", "ingested_at",
)
# Every write transaction raises the change counter; readers cache on it (Store.changes()).
_COUNT_CHANGE = "UPDATE store_state SET changes = changes + 1 WHERE id = 1"


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did: articles added, updated and unchanged, and the number of events after it."""

    added: int
    updated: int
    unchanged: int
    events: int


# The meta row that marks a store of synthetic events (bench/make_store.py); its value says what made it.
SYNTHETIC_KEY = "synthetic"

# Columns of each table Store.bulk_load writes, in the order it fills the tables (parents before children).
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("file", "title", "outlet", "outlet_id", "url", "published", "published_note", "sha256", "text",
                 "reference_date", "reference_basis", "flags", "ingested_at"),
    "mentions": ("id", "article", "seq", *EVENT_FIELDS, "evidence"),
    "mention_sources": ("mention_id", "seq", "evidence", "outlet", "url", "start_offset", "end_offset"),
    "events": _EVENT_COLUMNS,
    "event_sources": ("event_id", "seq", "article", "evidence", "outlet", "url", "start_offset", "end_offset"),
    "event_mentions": ("mention_id", "event_id"),
}


@dataclass(slots=True)
class BulkRows:
    """One batch for Store.bulk_load: per table, row tuples in the column order of BULK_COLUMNS."""

    articles: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    mention_sources: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    event_sources: list[tuple[Any, ...]] = field(default_factory=list)
    event_mentions: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """Totals for the app's header."""

    articles: int
    events: int
    sources: int
    outlets: int
    first_date: date | None
    last_date: date | None


def default_db_path() -> Target:
    """`$RASD_DB` (a file, or a postgresql:// URL), else `data/rasd.sqlite` under the working directory; a file's
    folder is created."""
    target = target_of(os.environ.get("RASD_DB") or DEFAULT_DB)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


def upgrade_store(target: Target, *, create: bool = True) -> UpgradeReport:
    """Bring the store at `target` up to the current schema in place (`rasd db upgrade`, one transaction).

    An empty database is made at the current version unless `create` is False (then StoreError, as for a
    missing file). SchemaTooNewError for a store a newer Rasd wrote.
    """
    engine = engine_for(target, busy_timeout=BUSY_TIMEOUT)
    if not create and not engine.exists():
        raise StoreError(f"{engine.label}: no database here; run 'rasd ingest' first")
    engine.prepare()
    with engine.connect() as conn:
        report = schema.upgrade(conn, engine)
    if report.before != report.after:
        log.info("%s: upgraded from schema version %s to %s", engine.label, report.before, report.after)
    return report


class Store:
    """One database (a SQLite file or a PostgreSQL database) holding articles, mentions, events and decisions."""

    def __init__(self, path: Target, *, gazetteer: Gazetteer | None = None, create: bool = True) -> None:
        self._engine = engine_for(path, busy_timeout=BUSY_TIMEOUT)
        # The file (a Path) or the URL (a str): what NewsroomState and messages take.
        self.path = self._engine.location
        self._gazetteer = gazetteer
        if not create and not self._engine.exists():
            raise StoreError(f"{self._engine.label}: no database here; run 'rasd ingest' first")
        self._engine.prepare()
        with self._connect() as conn:
            found = schema.inspect(conn, self._engine)
            if found is None:
                # Empty: made at the current version (under the write lock, so two first writers make it once).
                found = schema.upgrade(conn, self._engine).after
            # Older or newer: never upgraded silently (SchemaOutdatedError names the command).
            schema.check_current(self._engine, found)

    @classmethod
    def build_from_folder(cls, path: Target, folder: str | Path, *, progress: Progress | None = None) -> Store:
        """Open (or create) the store at `path` and ingest the article folder into it."""
        from rasd.articles import load_articles

        loaded = load_articles([folder])
        for error in loaded.errors:
            log.warning("%s", error)
        store = cls(path)
        store.ingest(loaded.articles, progress=progress)
        return store

    @property
    def engine(self) -> str:
        """Which engine holds the store: "sqlite" or "postgresql"."""
        return self._engine.name

    @property
    def label(self) -> str:
        """The store's file, or its URL without the password: for messages."""
        return self._engine.label

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer used for extraction and place lookups (the default one unless given)."""
        if self._gazetteer is None:
            from geo.gazetteer import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def _connect(self, *, read_only: bool = False) -> contextlib.AbstractContextManager[Connection]:
        # A connection per call: the app reads from several threads and connections are not shared.
        return self._engine.connect(read_only=read_only)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A write transaction under the store's write lock that raises the change counter (all or nothing)."""
        with self._connect() as conn, self._engine.transaction(conn):
            conn.execute(_COUNT_CHANGE)
            yield conn

    def changes(self) -> int:
        """The change counter: raised by every write transaction (ingest, rebuild, bulk load, review decision)."""
        # Read on every page run, several times (rasd.ui.data.current_stamp): on a kept connection.
        return int(self._engine.read_kept("SELECT changes FROM store_state WHERE id = 1")[0][0])

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only query written with `?` placeholders (on either engine); writes are refused."""
        with self._connect(read_only=True) as conn:
            return [tuple(row) for row in conn.execute(sql, tuple(params)).fetchall()]

    def read_integers(self, sql: str, params: Sequence[Any] = ()) -> np.ndarray:
        """The values of a read-only query of one integer column named `n` (written with `?` placeholders)."""
        # Joined into one text by the database and parsed by numpy: a row object per value costs ten times more
        # at a million rows.
        joined = self.read(f"SELECT {self._engine.joined_integers('q.n')} FROM ({sql}) AS q", params)[0][0]
        return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, dtype=np.int64)

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
            stored = self._fingerprints(conn)
        # Extraction, the slow part, runs outside the write lock: other writers go on meanwhile.
        work: list[tuple[Article, Reference, list[Event]]] = []
        total = len(batch)
        for done, article in enumerate(batch, start=1):
            if reextract or stored.get(article.file) != _fingerprint(article):
                reference = article_reference(article)
                events = extract_article(article, gazetteer=self.gazetteer, reference=reference)
                work.append((article, reference, events))
            if progress is not None:
                progress(done, total)
        if not work:
            with self._connect() as conn:
                n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            return IngestReport(added=0, updated=0, unchanged=total, events=n_events)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        # One transaction: the articles, their mentions and the rebuilt events are all written, or none is.
        with self._transaction() as conn:
            # Read again under the lock: another ingest may have stored some of these articles meanwhile, and
            # one it stored as this batch holds it is not written twice.
            current = self._fingerprints(conn, files=[a.file for a, _, _ in work])
            added = sum(a.file not in current for a, _, _ in work)
            updated = sum(a.file in current and current[a.file] != _fingerprint(a) for a, _, _ in work)
            todo = [item for item in work if reextract or current.get(item[0].file) != _fingerprint(item[0])]
            for article, reference, events in todo:
                self._write_article(conn, article, reference, events, now)
            if todo:
                self._rebuild_events(conn)
            n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        return IngestReport(added=added, updated=updated, unchanged=total - added - updated, events=n_events)

    @staticmethod
    def _fingerprints(conn: Connection, *, files: list[str] | None = None) -> dict[str, tuple[Any, ...]]:
        """The stored articles' fingerprints (_fingerprint), all or those of some files."""
        select = "SELECT file, sha256, title, outlet, url, published, published_note FROM articles"
        if files is None:
            return {row[0]: tuple(row[1:]) for row in conn.execute(select)}
        found: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(sorted(set(files))):
            found.update((row[0], tuple(row[1:])) for row in conn.execute(
                f"{select} WHERE file IN ({_marks(chunk)})", chunk))
        return found

    def _write_article(
        self, conn: Connection, article: Article, reference: Reference, events: list[Event], now: str
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
            mention_id = conn.execute(
                f"INSERT INTO mentions (article, seq, {columns}, evidence) VALUES ({marks}) RETURNING id",
                (article.file, seq, *_event_values(event), sources[0].evidence),
            ).fetchone()[0]
            conn.executemany(
                "INSERT INTO mention_sources (mention_id, seq, evidence, outlet, url, start_offset, end_offset)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (mention_id, i, s.evidence, s.outlet or article.outlet, s.url or article.url, s.start, s.end)
                    for i, s in enumerate(sources)
                ],
            )

    def _mention_records(
        self,
        conn: Connection,
        *,
        members: Iterable[int] | None = None,
        shas: Iterable[str] | None = None,
    ) -> list[tuple[MentionRef, Event]]:
        """Stored mentions (all, or those with these ids or article hashes) by article then seq."""
        from rasd.newsroom.review import MentionRef

        where, params = "", []
        if members is not None:
            params = sorted(set(members))
            where = f"WHERE m.id IN ({_marks(params)})"
        elif shas is not None:
            params = sorted(set(shas))
            where = f"WHERE a.sha256 IN ({_marks(params)})"
        if where and not params:
            return []
        sources: dict[int, list[Source]] = {}
        for mention_id, article, evidence, outlet, url, start, end in conn.execute(
            "SELECT ms.mention_id, m.article, ms.evidence, ms.outlet, ms.url, ms.start_offset, ms.end_offset"
            " FROM mention_sources ms JOIN mentions m ON m.id = ms.mention_id"
            f" JOIN articles a ON a.file = m.article {where} ORDER BY ms.mention_id, ms.seq",
            params,
        ):
            sources.setdefault(mention_id, []).append(Source(article, evidence, outlet, url, start, end))
        records = []
        fields = ", ".join(f"m.{f}" for f in EVENT_FIELDS)
        for row in conn.execute(
            f"SELECT m.id, m.article, a.sha256, m.seq, {fields} FROM mentions m JOIN articles a ON a.file = m.article"
            f" {where} ORDER BY m.article, m.seq",
            params,
        ):
            event = _event_from_row(row[4:])
            event.sources = sources.get(row[0], [])
            first = event.sources[0] if event.sources else Source(row[1], "")
            records.append((MentionRef(row[0], row[1], row[2], row[3], first.start, first.end, first.evidence), event))
        return records

    def _mention_refs(
        self, conn: Connection, *, members: Iterable[int] | None = None, shas: Iterable[str] | None = None
    ) -> dict[int, tuple[MentionRef, Event]]:
        """As _mention_records, keyed by mention id."""
        return {ref.id: (ref, event) for ref, event in self._mention_records(conn, members=members, shas=shas)}

    def _rebuild_events(self, conn: Connection) -> None:
        """Merge the mentions into events, then replay every review decision in the order it was made."""
        from rasd.extract.merging import merge_groups
        from rasd.newsroom.review import Ledger, Working

        records = self._mention_records(conn)
        groups = merge_groups([event for _, event in records])
        working = [Working(e.id, [records[i][0].id for i in members], e) for e, members in groups]
        ledger = Ledger(working, {ref.id: (ref, event) for ref, event in records})
        outcomes = [(ledger.apply(d), d.id) for d in self._load_decisions(conn)]
        self._write_events(conn, list(ledger.events.values()))
        conn.executemany(
            "UPDATE decisions SET state = ?, applied_to = ? WHERE id = ?",
            [(o.state, json.dumps(list(o.events)), decision_id) for o, decision_id in outcomes],
        )

    def _write_events(self, conn: Connection, working: list[Working]) -> None:
        """Replace every event with these; an event already stored keeps its pos number."""
        numbers = {event_id: pos for event_id, pos in conn.execute("SELECT id, pos FROM events").fetchall()}
        conn.execute("DELETE FROM event_mentions")
        conn.execute("DELETE FROM event_outlets")
        conn.execute("DELETE FROM event_sources")
        conn.execute("DELETE FROM events")
        self._insert_events(conn, working, numbers)

    def _insert_events(self, conn: Connection, working: list[Working], numbers: dict[str, int]) -> None:
        pairs = sorted(((w, w.effective()) for w in working), key=lambda pair: _date_order(pair[1]))
        gazetteer = self.gazetteer
        names_ar = {place: _place_name_ar(gazetteer, place) for place in {e.place for _, e in pairs}}
        governorate_ids = {g: _governorate_id(gazetteer, g) for g in {e.governorate for _, e in pairs}}
        # The numbers were unique in the rows just deleted; new events count on after the largest of them.
        fresh = itertools.count(max(numbers.values(), default=0) + 1)
        conn.executemany(
            f"INSERT INTO events ({', '.join(_EVENT_INSERT_COLUMNS)}) VALUES ({_marks(_EVENT_INSERT_COLUMNS)})",
            [(*_event_row(w, e, names_ar, governorate_ids), numbers.get(w.id) or next(fresh)) for w, e in pairs],
        )
        self._insert_children(conn, pairs)

    @staticmethod
    def _insert_children(conn: Connection, pairs: list[tuple[Working, Event]]) -> None:
        conn.executemany(
            "INSERT INTO event_sources (event_id, seq, article, evidence, outlet, url, start_offset, end_offset)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (e.id, i, s.article, s.evidence, s.outlet, s.url, s.start, s.end)
                for _, e in pairs
                for i, s in enumerate(e.sources)
            ],
        )
        # Kept in step with event_sources: the outlets the events frame lists, as ids.
        conn.executemany(
            "INSERT INTO event_outlets (event_id, outlet_id) VALUES (?, ?)",
            [row for _, e in pairs for row in outlet_rows(e.id, [s.outlet for s in e.sources])],
        )
        conn.executemany(
            "INSERT INTO event_mentions (mention_id, event_id) VALUES (?, ?)"
            " ON CONFLICT (mention_id) DO UPDATE SET event_id = excluded.event_id",
            [(m, w.id) for w, _ in pairs for m in w.members],
        )

    def bulk_load(self, batches: Iterable[BulkRows], *, meta: Mapping[str, str] | None = None) -> int:
        """Write prepared rows (synthetic stores) into this empty store in one transaction; the events written."""
        # No extraction, no merging: the rows are the tables. Events come in the order the store reads them (by
        # date, else earliest day, undated last, then id), each event's sources in seq order. StoreError when the
        # store holds articles or events already, an event is out of order, meta names the schema version, or a
        # row breaks a constraint (the transaction is rolled back). The search columns are made here.
        extra = dict(meta or {})
        if "schema_version" in extra:
            raise StoreError("bulk_load cannot set the schema version")
        columns = {**BULK_COLUMNS, "events": _EVENT_INSERT_COLUMNS}
        day_at, earliest_at, id_at = (_EVENT_COLUMNS.index(c) for c in ("date", "date_earliest", "id"))
        last: tuple[bool, str, str] | None = None
        written = 0
        with self._connect() as conn:
            self._engine.bulk_session(conn)
            with self._engine.transaction(conn):
                held = conn.execute("SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM events)")
                if held.fetchone()[0]:
                    raise StoreError(f"{self.label}: bulk_load needs an empty store")
                for batch in batches:
                    for row in batch.events:
                        day = row[day_at] or row[earliest_at]
                        key = (day is None, day or "", row[id_at])
                        if last is not None and key < last:
                            raise StoreError(f"{self.label}: bulk_load got event {row[id_at]} out of date order")
                        last = key
                    events, links = _bulk_search_rows(batch, first_pos=written + 1)
                    for table in BULK_COLUMNS:
                        rows = events if table == "events" else getattr(batch, table)
                        self._engine.insert_rows(conn, table, columns[table], rows)
                    self._engine.insert_rows(conn, "event_outlets", ("event_id", "outlet_id"), links)
                    written += len(batch.events)
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", list(extra.items()))
                self._engine.after_bulk_load(conn)
                conn.execute(_COUNT_CHANGE)
        return written

    def meta(self) -> dict[str, str]:
        """The meta table: schema_version, and SYNTHETIC_KEY in a store of synthetic events."""
        with self._connect() as conn:
            return dict(conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    def is_synthetic(self) -> bool:
        """True when the store holds synthetic events (made by bench/make_store.py), as its meta table says."""
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM meta WHERE key = ?", (SYNTHETIC_KEY,)).fetchone() is not None

    # Review decisions (written through rasd.newsroom.review.Review only)

    def _working(self, conn: Connection, event_ids: Iterable[str]) -> list[Working]:
        """Stored events as the review ledger holds them: mentions, machine values, edits, status, version."""
        from rasd.extract.merging import combine
        from rasd.newsroom.review import Working

        ids = sorted(set(event_ids))
        if not ids:
            return []
        rows = conn.execute(
            f"SELECT id, review, version, edited, edits, {', '.join(EVENT_FIELDS)} FROM events"
            f" WHERE id IN ({_marks(ids)}) {self._engine.event_order}",
            ids,
        ).fetchall()
        members: dict[str, list[int]] = {}
        for event_id, mention_id in conn.execute(
            f"SELECT event_id, mention_id FROM event_mentions WHERE event_id IN ({_marks(ids)})", ids
        ):
            members.setdefault(event_id, []).append(mention_id)
        refs = self._mention_refs(conn, members=[m for ms in members.values() for m in ms])
        stored_sources: dict[str, list[Source]] = {}
        out = []
        for event_id, review, version, edited, edits, *fields in rows:
            mine = sorted((m for m in members.get(event_id, []) if m in refs),
                          key=lambda m: (refs[m][0].article, refs[m][0].seq, m))
            if mine:
                base = combine([refs[m][1] for m in mine])
            else:
                # A file upgraded from schema 1 whose event's mentions could not be told: its stored values.
                if not stored_sources:
                    stored_sources = self._event_sources(conn, ids)
                base = _event_from_row(tuple(fields))
                base.sources = stored_sources.get(event_id, [])
            out.append(Working(event_id, mine, base, json.loads(edits), review, version, bool(edited)))
        return out

    def _event_sources(self, conn: Connection, ids: list[str]) -> dict[str, list[Source]]:
        sources: dict[str, list[Source]] = {}
        for event_id, *fields in conn.execute(
            "SELECT event_id, article, evidence, outlet, url, start_offset, end_offset FROM event_sources"
            f" WHERE event_id IN ({_marks(ids)}) {self._engine.source_order()}",
            ids,
        ):
            sources.setdefault(event_id, []).append(Source(*fields))
        return sources

    def _ledger_for(self, conn: Connection, anchors: Iterable[Anchor]) -> Ledger:
        """A ledger holding every stored event a decision's anchors may point at, with all their mentions."""
        from rasd.newsroom.review import Ledger

        candidates = self._mention_refs(conn, shas={a.sha256 for a in anchors})
        owners = self._owners(conn, list(candidates))
        working = self._working(conn, owners)
        mentions = {**candidates, **self._mention_refs(conn, members=[m for w in working for m in w.members])}

        def taken(event_id: str) -> bool:
            return conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None

        return Ledger(working, mentions, taken=taken)

    @staticmethod
    def _owners(conn: Connection, mention_ids: list[int]) -> set[str]:
        owners: set[str] = set()
        for chunk in _chunks(mention_ids):
            owners.update(r[0] for r in conn.execute(
                f"SELECT event_id FROM event_mentions WHERE mention_id IN ({_marks(chunk)})", chunk))
        return owners

    def _save_ledger(self, conn: Connection, ledger: Ledger) -> None:
        """Write back the events a decision changed or removed; the table stays in date order."""
        for event_id in ledger.removed:
            conn.execute("DELETE FROM event_mentions WHERE event_id = ?", (event_id,))
            conn.execute("DELETE FROM event_outlets WHERE event_id = ?", (event_id,))
            conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        changed = [ledger.events[i] for i in sorted(ledger.changed) if i in ledger.events]
        if not changed:
            return
        pairs = [(w, w.effective()) for w in changed]
        ids = [w.id for w in changed]
        stored = {
            row[0]: row[1:]
            for row in conn.execute(
                f"SELECT id, date, date_earliest, version FROM events WHERE id IN ({_marks(ids)})", ids)
        }
        gazetteer = self.gazetteer
        names_ar = {e.place: _place_name_ar(gazetteer, e.place) for _, e in pairs}
        governorate_ids = {e.governorate: _governorate_id(gazetteer, e.governorate) for _, e in pairs}
        for table in ("event_sources", "event_mentions", "event_outlets"):
            conn.execute(f"DELETE FROM {table} WHERE event_id IN ({_marks(ids)})", ids)
        reorder = bool(ledger.removed)
        assignments = ", ".join(f"{c} = ?" for c in _EVENT_WRITE_COLUMNS[1:])
        for w, e in pairs:
            row = _event_row(w, e, names_ar, governorate_ids)
            if w.id in stored:
                day, earliest, version = stored[w.id]
                # Updated in place keeps the row's position; only a new date moves it. The version read in this
                # transaction must still be there: the database, not only the write lock, refuses a lost update.
                done = conn.execute(f"UPDATE events SET {assignments} WHERE id = ? AND version = ?",
                                    (*row[1:], w.id, version))
                if done.rowcount != 1:
                    raise ConflictError(f"event {w.id} was changed by another editor meanwhile; reload it")
                reorder = reorder or (day, earliest) != (_iso(e.date), _iso(e.date_earliest))
            else:
                row = (*row, _next_pos(conn))
                conn.execute(f"INSERT INTO events ({', '.join(_EVENT_INSERT_COLUMNS)}) VALUES ({_marks(row)})", row)
                reorder = True
        self._insert_children(conn, pairs)
        if reorder:
            self._engine.reorder_events(conn)

    def _insert_decision(self, conn: Connection, decision: Decision) -> int:
        decision_id = conn.execute(
            "INSERT INTO decisions (kind, editor, at, event_id, other_id, article, comment, changes, before, after,"
            " state, applied_to) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (decision.kind, decision.editor, decision.at, decision.event_id, decision.other_id, decision.article,
             decision.comment, _json(decision.changes), _json(decision.before), _json(decision.after),
             decision.state, _json(list(decision.events))),
        ).fetchone()[0]
        conn.executemany(
            "INSERT INTO decision_anchors (decision_id, seq, role, sha256, article, mention_seq, start_offset,"
            " end_offset, evidence) VALUES (?,?,?,?,?,?,?,?,?)",
            [(decision_id, i, a.role, a.sha256, a.article, a.seq, a.start, a.end, a.evidence)
             for i, a in enumerate(decision.anchors)],
        )
        return int(decision_id)

    @staticmethod
    def _update_decision(conn: Connection, decision: Decision) -> None:
        conn.execute(
            "UPDATE decisions SET after = ?, state = ?, applied_to = ? WHERE id = ?",
            (_json(decision.after), decision.state, _json(list(decision.events)), decision.id),
        )

    def _load_decisions(self, conn: Connection, *, event_id: str | None = None) -> list[Decision]:
        from rasd.newsroom.review import Anchor, Decision

        where, params = "", []
        if event_id is not None:
            where = f"WHERE d.event_id = ? OR d.other_id = ? OR {self._engine.json_list_holds('d.applied_to')}"
            params = [event_id] * 3
        anchors: dict[int, list[Anchor]] = {}
        for decision_id, *fields in conn.execute(
            "SELECT a.decision_id, a.role, a.sha256, a.article, a.mention_seq, a.start_offset, a.end_offset,"
            f" a.evidence FROM decision_anchors a JOIN decisions d ON d.id = a.decision_id {where}"
            " ORDER BY a.decision_id, a.seq",
            params,
        ):
            anchors.setdefault(decision_id, []).append(Anchor(*fields))
        decisions = []
        for row in conn.execute(
            "SELECT d.id, d.kind, d.editor, d.at, d.event_id, d.other_id, d.article, d.comment, d.changes,"
            f" d.before, d.after, d.state, d.applied_to FROM decisions d {where} ORDER BY d.id",
            params,
        ):
            (decision_id, kind, editor, at, event, other, article, comment, changes, before, after, state,
             applied) = row
            decisions.append(Decision(
                decision_id, kind, editor, at, event, other, article, comment, json.loads(changes),
                json.loads(before), json.loads(after), tuple(anchors.get(decision_id, ())), state,
                tuple(json.loads(applied)),
            ))
        return decisions

    def decisions(self, *, event_id: str | None = None) -> list[Decision]:
        """Every review decision (or those about one event), oldest first, with where each applies now."""
        with self._connect() as conn:
            return self._load_decisions(conn, event_id=event_id)

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

    def events(self, *, include_rejected: bool = False) -> list[Event]:
        """Every merged event with its sources, by date (undated last) then id; rejected ones only if asked."""
        return self._load_events(None, include_rejected=include_rejected)

    def event(self, event_id: str, *, include_rejected: bool = False) -> Event | None:
        """One merged event, or None (also for a rejected one, unless asked)."""
        found = self._load_events(event_id, include_rejected=include_rejected)
        return found[0] if found else None

    def _load_events(self, event_id: str | None, *, include_rejected: bool) -> list[Event]:
        clauses = (["id = ?"] if event_id is not None else []) + ([] if include_rejected else [_PUBLIC])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        params = (event_id,) if event_id is not None else ()
        with self._connect() as conn:
            sources: dict[str, list[Source]] = {}
            for source_event, *fields in conn.execute(
                "SELECT event_id, article, evidence, outlet, url, start_offset, end_offset FROM event_sources"
                f" {'WHERE event_id = ?' if event_id is not None else ''} {self._engine.source_order()}",
                params,
            ):
                sources.setdefault(source_event, []).append(Source(*fields))
            rows = conn.execute(
                f"SELECT id, review, version, {', '.join(EVENT_FIELDS)} FROM events {where} {self._engine.event_order}",
                params,
            ).fetchall()
        events = []
        for row in rows:
            event = _event_from_row(row[3:])
            event.id, event.review, event.version = row[0], row[1], row[2]
            event.sources = sources.get(row[0], [])
            events.append(event)
        return events

    def events_frame(self, *, include_rejected: bool = False) -> pd.DataFrame:
        """One row per event, columns of docs/ARCHITECTURE.md ("Events frame"); rejected ones only if asked."""
        scalar = [c for c in EVENTS_FRAME_COLUMNS if c not in _LIST_COLUMNS]
        where = "" if include_rejected else f"WHERE {_PUBLIC}"
        with self._connect() as conn:
            by_event: dict[str, tuple[list[str], list[str]]] = {}
            for event_id, article, outlet in conn.execute(
                f"SELECT event_id, article, outlet FROM event_sources {self._engine.source_order()}"
            ):
                entry = by_event.get(event_id)
                if entry is None:
                    entry = by_event[event_id] = ([], [])
                entry[0].append(article)
                entry[1].append(outlet)
            rows = conn.execute(
                f"SELECT {', '.join(scalar)} FROM events {where} {self._engine.event_order}").fetchall()
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
                      floats=("lat", "lon"), counts=("n_sources", "version"))

    def sources_frame(self, *, include_rejected: bool = False) -> pd.DataFrame:
        """One row per (event, reporting article): event_id, article, outlet, outlet_id, url, evidence."""
        where = "" if include_rejected else f"WHERE s.event_id IN (SELECT id FROM events WHERE {_PUBLIC})"
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT s.event_id, s.article, s.outlet, s.url, s.evidence FROM event_sources s {where}"
                f" {self._engine.source_order('s.')}"
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
                " (SELECT count(DISTINCT s.event_id) FROM event_sources s JOIN events e ON e.id = s.event_id"
                f" WHERE s.article = a.file AND e.{_PUBLIC}),"
                " a.sha256, a.ingested_at FROM articles a ORDER BY a.file"
            ).fetchall()
        columns = _columns(rows, ARTICLES_FRAME_COLUMNS)
        columns["flags"] = [json.loads(v) for v in columns["flags"]]
        return _frame(columns, ARTICLES_FRAME_COLUMNS, dates=("published", "reference_date"),
                      counts=("n_mentions", "n_events"))

    def counts(self) -> StoreCounts:
        """Numbers of articles, public events, their sources and outlets, and the span of event dates."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events WHERE {_PUBLIC}),"
                f" (SELECT count(*) FROM event_sources WHERE event_id IN (SELECT id FROM events WHERE {_PUBLIC})),"
                " (SELECT count(DISTINCT outlet_id) FROM articles WHERE outlet_id != ''),"
                f" (SELECT min(coalesce(date, date_earliest)) FROM events WHERE {_PUBLIC}),"
                f" (SELECT max(coalesce(date, date_latest)) FROM events WHERE {_PUBLIC})"
            ).fetchone()
        return StoreCounts(row[0], row[1], row[2], row[3], _date(row[4]), _date(row[5]))


_LIST_COLUMNS = ("articles", "outlets", "outlet_names")
_ARTICLE_COLUMNS = "file, text, title, outlet, url, published, published_note"


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


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """Slices of a list short enough for one IN (...) list of placeholders."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def _next_pos(conn: Connection) -> int:
    # Never a number a stored event holds: the map's index and a filter's events are matched on it (events_pos).
    return int(conn.execute("SELECT COALESCE(MAX(pos), 0) + 1 FROM events").fetchone()[0])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _event_row(w: Working, e: Event, names_ar: dict[str, str], governorate_ids: dict[str, str]) -> tuple[Any, ...]:
    """An events table row (_EVENT_WRITE_COLUMNS) for an event and its review state."""
    evidence = e.sources[0].evidence if e.sources else ""
    found = search_text(place_name=e.place_name, place_name_ar=names_ar[e.place], evidence=evidence,
                        claimed_by=e.claimed_by, outlets=[s.outlet for s in e.sources])
    return (
        e.id, *_event_values(e), names_ar[e.place], governorate_ids[e.governorate], slugify(e.claimed_by),
        len(e.sources), evidence, w.review, w.version, int(w.edited), _json(w.edits), found,
    )


_BULK_SEARCH_AT = tuple(_EVENT_COLUMNS.index(c) for c in ("place_name", "place_name_ar", "evidence", "claimed_by"))
_BULK_SOURCE_OUTLET = BULK_COLUMNS["event_sources"].index("outlet")


def _bulk_search_rows(batch: BulkRows, *, first_pos: int) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """A bulk batch's event rows with their search_text and pos (from first_pos on), and its event_outlets rows."""
    outlets: dict[str, list[str]] = {}
    for row in batch.event_sources:
        outlets.setdefault(row[0], []).append(row[_BULK_SOURCE_OUTLET])
    events, links = [], []
    place_at, name_ar_at, evidence_at, claimed_at = _BULK_SEARCH_AT
    for pos, row in enumerate(batch.events, first_pos):
        mine = outlets.get(row[0], [])
        events.append((*row, search_text(place_name=row[place_at], place_name_ar=row[name_ar_at],
                                         evidence=row[evidence_at], claimed_by=row[claimed_at], outlets=mine), pos))
        links.extend(outlet_rows(row[0], mine))
    return events, links


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
