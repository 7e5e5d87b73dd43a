"""What the pages ask the store for: the events a filter keeps, their count, the data span, the timeline's
day counts, the map's rows and the names the filters offer, each one parameterised SQL on indexed columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import numpy as np
import pandas as pd

from rasd.articles import outlet_id
from rasd.views.filters import SQL_PUBLIC, Filters

# The columns rasd.views.mapview.event_payload reads, and the number MapIndex matches filters on (pos), in the
# order map_rows() returns them.
MAP_COLUMNS = ("id", "place_name", "place_name_ar", "lat", "lon", "date", "weapon", "geo_precision",
               "date_precision", "review", "pos")
DAY_COUNT_COLUMNS = ("date", "weapon", "n")


class Readable(Protocol):
    """What these queries need of a store: read-only parameterised queries (Store.read, Store.read_integers)."""

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def read_integers(self, sql: str, params: Sequence[Any] = ()) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Span:
    """The first and last event day among the public events (None when no event is dated)."""

    first: date | None
    last: date | None


@dataclass(frozen=True, slots=True)
class Names:
    """Ids the data holds with their display names: places (English, Arabic), claimants and outlets."""

    places: dict[str, tuple[str, str]]
    claimants: dict[str, str]
    outlets: dict[str, str]
    governorates: frozenset[str]


def as_date(value: Any) -> date | None:
    """A stored date (ISO text in SQLite, a date from PostgreSQL) as a date, or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def shown_ids(store: Readable, filters: Filters) -> list[str]:
    """The ids of the public events the filters keep."""
    clause, params = filters.sql()
    return [row[0] for row in store.read(f"SELECT id FROM events WHERE {clause}", params)]


def shown_pos(store: Readable, filters: Filters) -> np.ndarray:
    """The events.pos numbers of the public events the filters keep (a one-column filter reads only its index)."""
    clause, params = filters.sql()
    return store.read_integers(f"SELECT pos AS n FROM events WHERE {clause}", params)


def count(store: Readable, filters: Filters) -> int:
    """How many public events the filters keep."""
    clause, params = filters.sql()
    return int(store.read(f"SELECT COUNT(*) FROM events WHERE {clause}", params)[0][0])


def span(store: Readable) -> Span:
    """The first and last day of the public events (the date index answers both ends)."""
    rows = store.read(f"SELECT MIN(date), MAX(date) FROM events WHERE {SQL_PUBLIC} AND date IS NOT NULL")
    first, last = rows[0] if rows else (None, None)
    return Span(as_date(first), as_date(last))


def day_counts(store: Readable, filters: Filters) -> pd.DataFrame:
    """Events the filters keep per (day, weapon), dated ones only: the timeline bins these by week or month."""
    clause, params = filters.sql()
    rows = store.read(
        f"SELECT date, weapon, COUNT(*) FROM events WHERE ({clause}) AND date IS NOT NULL GROUP BY date, weapon",
        params,
    )
    frame = pd.DataFrame(rows, columns=list(DAY_COUNT_COLUMNS))
    frame["date"] = pd.Series([as_date(d) for d in frame["date"]], dtype=object)
    frame["n"] = frame["n"].astype("int64")
    return frame


def map_rows(store: Readable, filters: Filters) -> pd.DataFrame:
    """The located public events the filters keep, with the columns the map payload reads (MAP_COLUMNS)."""
    clause, params = filters.sql()
    columns = ", ".join(MAP_COLUMNS)
    rows = store.read(
        f"SELECT {columns} FROM events WHERE ({clause}) AND lat IS NOT NULL AND lon IS NOT NULL", params
    )
    return pd.DataFrame(rows, columns=list(MAP_COLUMNS))


def names(store: Readable) -> Names:
    """The places, claimants, outlets and governorates the public events and the articles hold, with names."""
    places = {
        place: (name_en or "", name_ar or "")
        for place, name_en, name_ar in store.read(
            f"SELECT DISTINCT place, place_name, place_name_ar FROM events WHERE {SQL_PUBLIC}"
        )
        if place
    }
    claimants = {
        cid: name
        for cid, name in store.read(
            f"SELECT DISTINCT claimant_id, claimed_by FROM events WHERE {SQL_PUBLIC} AND claimant_id != ''"
        )
        if cid and name
    }
    outlets: dict[str, str] = {}
    for (name,) in [*store.read("SELECT DISTINCT outlet FROM event_sources"),
                    *store.read("SELECT DISTINCT outlet FROM articles")]:
        if name and outlet_id(name):
            outlets.setdefault(outlet_id(name), name)
    governorates = frozenset(
        g for (g,) in store.read(f"SELECT DISTINCT governorate_id FROM events WHERE {SQL_PUBLIC}") if g
    )
    return Names(places=places, claimants=claimants, outlets=outlets, governorates=governorates)


# The events-table columns of one event's record beside the map (rasd.ui.panels.event_details).
RECORD_COLUMNS = ("id", "date", "date_earliest", "date_latest", "date_precision", "place", "place_name",
                  "place_name_ar", "lat", "lon", "geo_precision", "governorate", "governorate_id", "weapon",
                  "projectiles", "target", "outcome", "killed", "wounded", "claimed_by", "claimant_id", "n_sources",
                  "evidence", "review", "version", "pos")
_RECORD_DATES = ("date", "date_earliest", "date_latest")


def event_id_of_pos(store: Readable, pos: int) -> str | None:
    """The id of the public event with this events.pos number (the map's payload carries numbers), or None."""
    rows = store.read(f"SELECT id FROM events WHERE pos = ? AND {SQL_PUBLIC}", [int(pos)])
    return str(rows[0][0]) if rows else None


def event_record(store: Readable, event_id: str) -> pd.Series | None:
    """One public event's row of the events table (dates as dates), by its primary key; None when there is none."""
    rows = store.read(f"SELECT {', '.join(RECORD_COLUMNS)} FROM events WHERE id = ? AND {SQL_PUBLIC}", [event_id])
    if not rows:
        return None
    record = dict(zip(RECORD_COLUMNS, rows[0]))
    for column in _RECORD_DATES:
        record[column] = as_date(record[column])
    return pd.Series(record, dtype=object)
