"""The pages' SQL reads (rasd.views.queries) agree with the events frame and the pandas mask, filter by filter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from rasd.articles import load_articles
from rasd.store import Store
from rasd.views import queries
from rasd.views.filters import Filters
from rasd.views.mapview import MapIndex, event_payload
from rasd.views.timeline import day_counts_of

ROOT = Path(__file__).resolve().parents[1]

# Each filter the sidebar or a link can set, alone and combined; q covers Arabic folding, an outlet name and a
# LIKE wildcard that must stay a letter.
QUERIES = [
    {},
    {"weapon": "rocket"},
    {"weapon": "drone,rocket", "target": "base"},
    {"start": "2024-01-01"},
    {"start": "2020-01-01", "end": "2021-12-31"},
    {"governorate": "anbar"},
    {"place": "ain-al-asad"},
    {"q": "عين الاسد"},
    {"q": "الأسد"},
    {"q": "100%"},
    {"q": "_"},
    {"review": "unreviewed"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    built = Store(tmp_path_factory.mktemp("queries") / "rasd.sqlite")
    built.ingest(load_articles([ROOT / "seeds", ROOT / "tests" / "data" / "realworld"]).articles)
    return built


@pytest.fixture(scope="module")
def frame(store: Store) -> pd.DataFrame:
    return store.events_frame()


def _filters(query: dict[str, str]) -> Filters:
    filters, notices = Filters.from_query(query)
    assert not notices, notices
    return filters


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_sql_reads_agree_with_the_frame(store: Store, frame: pd.DataFrame, query: dict[str, str]) -> None:
    filters = _filters(query)
    kept = frame.loc[filters.mask(frame)]
    assert set(queries.shown_ids(store, filters)) == set(kept["id"])
    assert queries.count(store, filters) == len(kept)
    by_day = queries.day_counts(store, filters).sort_values(["date", "weapon"]).reset_index(drop=True)
    expected = day_counts_of(kept).sort_values(["date", "weapon"]).reset_index(drop=True)
    assert by_day.to_dict("records") == expected.to_dict("records")
    rows = queries.map_rows(store, filters)
    assert set(rows["id"]) == set(kept.loc[kept["lat"].notna(), "id"])
    # The map matches the filter's events.pos numbers against the index of every event's row.
    pos = queries.shown_pos(store, filters)
    assert len(pos) == len(kept)
    index = MapIndex.of(queries.map_rows(store, Filters()))
    assert list(index.ids[index.positions_of_pos(pos)]) == list(index.ids[index.positions(rows["id"])])
    # The payload from the store's rows carries each located event by its events.pos, which names it again.
    from_sql = event_payload(rows)
    ids = [queries.event_id_of_pos(store, r[5]) for r in from_sql.rows]
    assert sorted(ids) == sorted(kept.loc[kept["lat"].notna(), "id"])


def test_the_corpus_exercises_the_filters(store: Store) -> None:
    """The table above is not vacuous: most of its filters keep some events and drop others."""
    total = queries.count(store, Filters())
    kept = [queries.count(store, _filters(q)) for q in QUERIES[1:]]
    assert total > 50
    assert sum(0 < k < total for k in kept) >= 8, kept


def test_span_is_the_first_and_last_public_day(store: Store, frame: pd.DataFrame) -> None:
    days = [d for d in frame["date"] if isinstance(d, date)]
    assert queries.span(store) == queries.Span(min(days), max(days))


def test_names_hold_every_id_in_the_frame(store: Store, frame: pd.DataFrame) -> None:
    names = queries.names(store)
    assert set(names.places) == set(frame["place"])
    assert set(names.claimants) == {c for c in frame["claimant_id"] if c}
    assert {o for row in frame["outlets"] for o in row} <= set(names.outlets)
    assert names.governorates == {g for g in frame["governorate_id"] if g}
    for place, (name_en, name_ar) in names.places.items():
        row = frame.loc[frame["place"] == place].iloc[0]
        assert (name_en, name_ar) == (row["place_name"], row["place_name_ar"])


def test_event_record_is_the_frame_row(store: Store, frame: pd.DataFrame) -> None:
    row = frame.iloc[len(frame) // 2]
    record = queries.event_record(store, row["id"])
    assert record is not None
    for column in queries.RECORD_COLUMNS:
        if column != "pos":
            assert record[column] == row[column] or (pd.isna(record[column]) and pd.isna(row[column])), column
    # Its events.pos is the number the map carries: it leads back to the event.
    assert queries.event_id_of_pos(store, record["pos"]) == row["id"]
    assert queries.event_record(store, "no-such-event") is None
    assert queries.event_id_of_pos(store, -1) is None
