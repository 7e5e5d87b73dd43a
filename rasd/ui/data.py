"""Cached access to the store, the gazetteer and the frames the pages read."""

from __future__ import annotations

from datetime import date

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from geo.gazetteer import Gazetteer, default_gazetteer
from rasd.models import Article, Event
from rasd.newsroom.review import Decision, Review
from rasd.newsroom.users import UserStore, default_users_path
from rasd.store import Store, default_db_path, is_url
from rasd.views import queries
from rasd.views.filters import Filters, KnownIds
from rasd.views.i18n import t
from rasd.views.mapview import MapIndex
from rasd.views.offline import install_assets

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
STATIC = ROOT / "static"

Stamp = tuple[str, int]


@st.cache_resource(show_spinner=False)
def ensure_assets() -> Path:
    """Copy Leaflet and its plugins into static/ once per process, so the map works offline."""
    install_assets(STATIC)
    return STATIC


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


def ensure_db(*, lang: str = "en") -> str:
    """The store ($RASD_DB or the default file); a missing SQLite file is built from seeds/ with a progress bar."""
    target = default_db_path()
    if is_url(target):
        return str(target)
    path = Path(target)
    if not _usable(path):
        with _build_lock():
            if not _usable(path):
                _build(path, lang=lang)
    return str(path)


def _usable(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _build(path: Path, *, lang: str) -> None:
    bar = st.progress(0.0, text=t("app.loading", lang))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{t('app.loading', lang)} {int(done)}/{int(total)}")

    # Built beside the target and renamed into place, so a stopped build never leaves a half database.
    partial = path.with_name(f"{path.name}.building-{os.getpid()}")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    Store.build_from_folder(partial, SEEDS, progress=progress)
    os.replace(partial, path)
    bar.empty()


def current_stamp() -> Stamp:
    """What the cached reads are keyed on: the store and its change counter (one cheap query a rerun)."""
    db = ensure_db()
    return db, store(db).changes()


@st.cache_resource(show_spinner=False)
def store(path: str) -> Store:
    """One Store per database file (it opens a connection per call, so threads may share it)."""
    return Store(path, create=False)


@st.cache_resource(show_spinner=False)
def _users(path: str) -> UserStore:
    return UserStore(path)


def users() -> UserStore:
    """The editors file ($RASD_USERS, else data/users.json); one UserStore per path."""
    return _users(str(default_users_path()))


def review() -> Review:
    """The newsroom's review of the app's database (every write takes an Editor)."""
    return Review(store(str(ensure_db())))


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The default gazetteer."""
    return default_gazetteer()


# The frames are shared by every session of the process and never copied per rerun (st.cache_data would unpickle
# a copy each time: seconds at a million events). Nothing may change them: the pages only read and select.
@st.cache_resource(show_spinner=False, max_entries=2)
def _events_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).events_frame()


@st.cache_resource(show_spinner=False, max_entries=2)
def _event_positions(key: Stamp) -> pd.Index:
    return pd.Index(_events_frame(key)["id"])


@st.cache_resource(show_spinner=False, max_entries=2)
def _sources_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).sources_frame()


@st.cache_resource(show_spinner=False, max_entries=2)
def _articles_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).articles_frame()


@st.cache_resource(show_spinner=False, max_entries=16)
def _shown_ids(key: Stamp, query: str, _filters: Filters) -> tuple[str, ...]:
    # One query per filter state serves the lists (shared by every session).
    return tuple(queries.shown_ids(store(key[0]), _filters))


@st.cache_resource(show_spinner=False, max_entries=16)
def _shown_pos(key: Stamp, query: str, _filters: Filters) -> np.ndarray:
    # One query per filter state serves the count and the map (shared by every session, never written to).
    return queries.shown_pos(store(key[0]), _filters)


@st.cache_data(show_spinner=False, max_entries=4)
def _total(key: Stamp) -> int:
    return queries.count(store(key[0]), Filters())


@st.cache_data(show_spinner=False, max_entries=4)
def _span(key: Stamp) -> queries.Span:
    return queries.span(store(key[0]))


@st.cache_data(show_spinner=False, max_entries=16)
def _day_counts(key: Stamp, query: str, _filters: Filters) -> pd.DataFrame:
    return queries.day_counts(store(key[0]), _filters)


@st.cache_resource(show_spinner=False, max_entries=2)
def _map_rows(key: Stamp) -> pd.DataFrame:
    return queries.map_rows(store(key[0]), Filters())


@st.cache_resource(show_spinner=False, max_entries=2)
def _map_index(key: Stamp, lang: str) -> MapIndex:
    # Every event's payload row made once per store version and language; a filter state only picks rows.
    return MapIndex.of(_map_rows(key), lang=lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _payload_js(key: Stamp, query: str, lang: str, _filters: Filters) -> str:
    # The largest thing a page sends (tens of MB at a million events), kept for every session as the text that
    # goes into the map's script.
    index = _map_index(key, lang)
    if _filters.is_default():
        return index.payload_js()
    return index.payload_js(index.positions_of_pos(_shown_pos(key, query, _filters)))


@st.cache_data(show_spinner=False, max_entries=4)
def _names(key: Stamp) -> queries.Names:
    return queries.names(store(key[0]))


@st.cache_data(show_spinner=False, max_entries=4)
def _synthetic(key: Stamp) -> bool:
    return store(key[0]).is_synthetic()


def is_synthetic() -> bool:
    """True for a store of generated events (bench/make_store.py), which every page says."""
    return _synthetic(current_stamp())


@st.cache_data(show_spinner=False, max_entries=256)
def _event_record(key: Stamp, event_id: str) -> pd.Series | None:
    return queries.event_record(store(key[0]), event_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _event_id_of_pos(key: Stamp, pos: int) -> str | None:
    return queries.event_id_of_pos(store(key[0]), pos)


@st.cache_data(show_spinner=False, max_entries=64)
def _article(key: Stamp, file: str) -> Article | None:
    return store(key[0]).article(file)


@st.cache_data(show_spinner=False, max_entries=64)
def _article_flags(key: Stamp, file: str) -> list[str]:
    return store(key[0]).article_flags(file)


@st.cache_data(show_spinner=False, max_entries=256)
def _event(key: Stamp, event_id: str) -> Event | None:
    # One indexed query: the app never loads every event's full record (100,000 take seconds).
    return store(key[0]).event(event_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _review_frame(key: Stamp) -> pd.DataFrame:
    return Review(store(key[0])).review_list()


@st.cache_data(show_spinner=False, max_entries=256)
def _review_event(key: Stamp, event_id: str) -> Event | None:
    return store(key[0]).event(event_id, include_rejected=True)


@st.cache_data(show_spinner=False, max_entries=4)
def _decisions(key: Stamp) -> list[Decision]:
    return store(key[0]).decisions()


def review_frame() -> pd.DataFrame:
    """Every event, rejected ones too, with its review status and version (the newsroom's list)."""
    return _review_frame(current_stamp())


def review_event(event_id: str) -> Event | None:
    """One event, rejected or not, with its sources, status and version."""
    return _review_event(current_stamp(), event_id)


def decisions() -> list[Decision]:
    """Every review decision, oldest first, with where each applies now."""
    return _decisions(current_stamp())


def events_frame() -> pd.DataFrame:
    """Every public event, one row each (Store.events_frame), shared read-only by every session."""
    return _events_frame(current_stamp())


def _query(filters: Filters) -> str:
    # The cache key of a filter state: its canonical URL query (Filters is passed along unhashed).
    return "&".join(f"{k}={v}" for k, v in sorted(filters.to_query().items()))


def shown(filters: Filters) -> pd.DataFrame:
    """The rows of events_frame() the filters keep (the store picks them), in the frame's order."""
    key = current_stamp()
    frame = _events_frame(key)
    if filters.is_default():
        return frame
    positions = _event_positions(key).get_indexer(list(_shown_ids(key, _query(filters), filters)))
    return frame.iloc[np.sort(positions[positions >= 0])]


def count(filters: Filters) -> int:
    """How many public events the filters keep."""
    key = current_stamp()
    if filters.is_default():
        return _total(key)
    return len(_shown_pos(key, _query(filters), filters))


def span() -> queries.Span:
    """The first and last day of the public events."""
    return _span(current_stamp())


def day_counts(filters: Filters) -> pd.DataFrame:
    """Events the filters keep per (date, weapon, n), for the timeline."""
    return _day_counts(current_stamp(), _query(filters), filters)


def payload_js(filters: Filters, lang: str) -> str:
    """The map payload (MapPayload.to_js) of the events the filters keep, built once per filter state."""
    return _payload_js(current_stamp(), _query(filters), lang, filters)


def event_record(event_id: str) -> pd.Series | None:
    """One public event's row (the columns of events_frame but its lists), or None."""
    return _event_record(current_stamp(), event_id)


def event_id_of_pos(pos: int | None) -> str | None:
    """The id of the public event a map marker stands for (its events.pos number), or None."""
    return None if pos is None else _event_id_of_pos(current_stamp(), pos)


def sources_frame() -> pd.DataFrame:
    """One row per (event, reporting article)."""
    return _sources_frame(current_stamp())


def articles_frame() -> pd.DataFrame:
    """One row per article with its metadata and flags."""
    return _articles_frame(current_stamp())


def article(file: str) -> Article | None:
    """One stored article with its text."""
    return _article(current_stamp(), file)


def article_flags(file: str) -> list[str]:
    """The data-quality flags of one article."""
    return _article_flags(current_stamp(), file)


def event(event_id: str) -> Event | None:
    """One merged event with its sources, or None."""
    return _event(current_stamp(), event_id)


def events_of_article(file: str) -> list[Event]:
    """The merged events one article reports, in date order."""
    sources = sources_frame()
    ids = dict.fromkeys(sources.loc[sources["article"] == file, "event_id"])
    found = [e for e in (event(i) for i in ids) if e is not None]
    return sorted(found, key=lambda e: (e.date is None, e.date or e.date_earliest or date.min))


@dataclass(frozen=True)
class Choices:
    """Display names of the ids the filters offer (in menu order) and of every gazetteer place, in one language."""

    governorates: dict[str, str]
    places: dict[str, str]
    claimants: dict[str, str]
    outlets: dict[str, str]
    gazetteer_places: dict[str, str]

    def names(self) -> dict[str, str]:
        """Every id with its name, for Filters.describe()."""
        return {**self.gazetteer_places, **self.places, **self.governorates, **self.claimants, **self.outlets}


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(key: Stamp, lang: str) -> Choices:
    names = _names(key)
    gaz = gazetteer()
    arabic = lang == "ar"
    governorates = {
        gaz.governorate_id(p.governorate): (p.name_ar if arabic else p.governorate) for p in gaz.governorates()
    }
    places = {
        place: ((name_ar or name_en) if arabic else (name_en or name_ar))
        for place, (name_en, name_ar) in names.places.items()
    }
    return Choices(
        governorates=governorates,
        places=dict(sorted(places.items(), key=lambda kv: kv[1])),
        claimants=dict(sorted(names.claimants.items(), key=lambda kv: kv[1])),
        outlets=dict(sorted(names.outlets.items(), key=lambda kv: kv[1])),
        gazetteer_places={p.id: (p.name_ar if arabic else p.name_en) for p in gaz.places},
    )


def choices(lang: str) -> Choices:
    """The names of governorates, places with events, claimants and outlets in the data."""
    return _choices(current_stamp(), lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _known_ids(key: Stamp) -> KnownIds:
    names = _names(key)
    gaz = gazetteer()
    return KnownIds(
        governorates=names.governorates | {gaz.governorate_id(p.governorate) for p in gaz.governorates()},
        places=frozenset(names.places) | {p.id for p in gaz.places},
        claimants=frozenset(names.claimants),
        outlets=frozenset(names.outlets),
    )


def known_ids() -> KnownIds:
    """The ids a URL may name: every gazetteer governorate and place, and the claimants and outlets in the data."""
    return _known_ids(current_stamp())
