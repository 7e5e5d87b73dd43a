"""Cached access to the store, the gazetteer and the frames the pages read."""

from __future__ import annotations

from datetime import date

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.gazetteer import Gazetteer, default_gazetteer
from rasd.views.filters import KnownIds
from rasd.views.i18n import t
from rasd.models import Article, Event
from rasd.newsroom.review import Decision, Review
from rasd.newsroom.users import UserStore, default_users_path
from rasd.views.offline import install_assets
from rasd.store import Store, default_db_path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
STATIC = ROOT / "static"

Stamp = tuple[str, int, int]


@st.cache_resource(show_spinner=False)
def ensure_assets() -> Path:
    """Copy Leaflet and its plugins into static/ once per process, so the map works offline."""
    install_assets(STATIC)
    return STATIC


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


def ensure_db(*, lang: str = "en") -> Path:
    """The database path ($RASD_DB or the default); on first start it is built from seeds/ with a progress bar."""
    path = default_db_path()
    if _usable(path):
        return path
    with _build_lock():
        if not _usable(path):
            _build(path, lang=lang)
    return path


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


def stamp(path: Path) -> Stamp:
    """What the cached frames are keyed on: the path and the change times of the database and its WAL."""
    wal = Path(f"{path}-wal")
    try:
        info = wal.stat()
    except FileNotFoundError:
        info = None
    # SQLite creates an empty WAL when a connection opens and deletes it when the last one closes: only a WAL
    # holding writes says the data changed, or every reader coming and going would empty the cache.
    wal_mtime = info.st_mtime_ns if info is not None and info.st_size > 0 else 0
    return str(path), path.stat().st_mtime_ns, wal_mtime


def current_stamp() -> Stamp:
    """The stamp of the app's database, building it first if it is missing."""
    return stamp(ensure_db())


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


@st.cache_data(show_spinner=False, max_entries=4)
def _events_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).events_frame()


@st.cache_data(show_spinner=False, max_entries=4)
def _sources_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).sources_frame()


@st.cache_data(show_spinner=False, max_entries=4)
def _articles_frame(key: Stamp) -> pd.DataFrame:
    return store(key[0]).articles_frame()


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
    """Every event, one row each (Store.events_frame)."""
    return _events_frame(current_stamp())


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
    events = _events_frame(key)
    articles = _articles_frame(key)
    gaz = gazetteer()
    arabic = lang == "ar"
    governorates = {
        gaz.governorate_id(p.governorate): (p.name_ar if arabic else p.governorate) for p in gaz.governorates()
    }
    places: dict[str, str] = {}
    for place, name_en, name_ar in events[["place", "place_name", "place_name_ar"]].itertuples(index=False):
        if place and place not in places:
            places[place] = (name_ar or name_en) if arabic else (name_en or name_ar)
    claimants = {
        cid: name for cid, name in events[["claimant_id", "claimed_by"]].itertuples(index=False) if cid and name
    }
    outlets: dict[str, str] = {}
    for ids, names in events[["outlets", "outlet_names"]].itertuples(index=False):
        outlets.update((i, n) for i, n in zip(ids, names) if i)
    outlets.update((i, n) for i, n in articles[["outlet_id", "outlet"]].itertuples(index=False) if i and n)
    return Choices(
        governorates=governorates,
        places=dict(sorted(places.items(), key=lambda kv: kv[1])),
        claimants=dict(sorted(claimants.items(), key=lambda kv: kv[1])),
        outlets=dict(sorted(outlets.items(), key=lambda kv: kv[1])),
        gazetteer_places={p.id: (p.name_ar if arabic else p.name_en) for p in gaz.places},
    )


def choices(lang: str) -> Choices:
    """The names of governorates, places with events, claimants and outlets in the data."""
    return _choices(current_stamp(), lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _known_ids(key: Stamp) -> KnownIds:
    in_data = KnownIds.from_frame(_events_frame(key))
    gaz = gazetteer()
    outlets = set(in_data.outlets or ()) | {i for i in _articles_frame(key)["outlet_id"] if i}
    return KnownIds(
        governorates=frozenset(in_data.governorates or ()) | {gaz.governorate_id(p.governorate) for p in gaz.governorates()},
        places=frozenset(in_data.places or ()) | {p.id for p in gaz.places},
        claimants=in_data.claimants,
        outlets=frozenset(outlets),
    )


def known_ids() -> KnownIds:
    """The ids a URL may name: every gazetteer governorate and place, and the claimants and outlets in the data."""
    return _known_ids(current_stamp())
