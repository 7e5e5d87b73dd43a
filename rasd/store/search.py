"""The events' search columns: `events.search_text` and the `event_outlets` rows, made the same way on every write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rasd.articles import outlet_id


def outlet_names(outlets: Iterable[str]) -> list[str]:
    """An event's outlet names as the events frame lists them: each once, in source order, none empty."""
    return [o for o in dict.fromkeys(outlets) if o]


def search_text(*, place_name: str, place_name_ar: str, evidence: str, claimed_by: str,
                outlets: Sequence[str]) -> str:
    """The folded text a free-text search looks in: place names, evidence, claimant and outlet names, one a line
    (rasd.views.filters.search_text, so a term never runs from one field into the next)."""
    from rasd.views.filters import search_text as folded_fields

    return folded_fields([place_name, place_name_ar, evidence, claimed_by, outlet_names(outlets)])


def outlet_rows(event_id: str, outlets: Iterable[str]) -> list[tuple[str, str]]:
    """The event_outlets rows of one event: (event id, outlet id) for each distinct outlet."""
    ids = dict.fromkeys(outlet_id(name) for name in outlet_names(outlets))
    return [(event_id, oid) for oid in ids if oid]


def fill_search_columns(conn: Any, *, source_order: str) -> int:
    """Fill search_text and event_outlets of every stored event from its row and sources; the events done.

    Migration 4's back-fill, for stores written before the columns existed.
    """
    outlets: dict[str, list[str]] = {}
    for event_id, outlet in conn.execute(f"SELECT event_id, outlet FROM event_sources {source_order}"):
        outlets.setdefault(event_id, []).append(outlet)
    rows = conn.execute("SELECT id, place_name, place_name_ar, evidence, claimed_by FROM events").fetchall()
    updates, links = [], []
    for event_id, place_name, place_name_ar, evidence, claimed_by in rows:
        mine = outlets.get(event_id, [])
        updates.append((search_text(place_name=place_name, place_name_ar=place_name_ar, evidence=evidence,
                                    claimed_by=claimed_by, outlets=mine), event_id))
        links.extend(outlet_rows(event_id, mine))
    conn.executemany("UPDATE events SET search_text = ? WHERE id = ?", updates)
    conn.execute("DELETE FROM event_outlets")
    conn.executemany("INSERT INTO event_outlets (event_id, outlet_id) VALUES (?, ?)", links)
    return len(rows)
