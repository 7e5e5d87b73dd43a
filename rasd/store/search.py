"""The events' search columns: `events.search_text` and the `event_outlets` rows, made the same way on every write."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from rasd.articles import outlet_id
from rasd.extract.normalize import normalize_arabic

# Joins the items of a list field (outlet names), so a term never runs from one item into the next.
ITEM_SEP = "\x1f"


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A text in the form free-text search compares (Arabic folding, Latin lower-cased): data and terms alike."""
    # Reruns search the same texts again and again; folding is the costly part of a search.
    return normalize_arabic(text)


def fold_field(value: object) -> str:
    """One searchable field folded: a text, or a list's present items joined by ITEM_SEP; "" when absent."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, Iterable):
        return ITEM_SEP.join(fold(str(v)) for v in value if present(v))
    return fold(str(value)) if present(value) else ""


def folded_lines(fields: Iterable[object]) -> str:
    """Searchable fields folded, one a line (a term never runs from one field into the next)."""
    return "\n".join(f for f in map(fold_field, fields) if f)


def present(value: object) -> bool:
    """False for a missing value (None, NA, NaN) or blank text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(str(value).strip())


def outlet_names(outlets: Iterable[str]) -> list[str]:
    """An event's outlet names as the events frame lists them: each once, in source order, none empty."""
    return [o for o in dict.fromkeys(outlets) if o]


def search_text(*, place_name: str, place_name_ar: str, evidence: str, claimed_by: str,
                outlets: Sequence[str]) -> str:
    """An event's `events.search_text`: place names, evidence, claimant and outlet names, folded, one a line."""
    return folded_lines([place_name, place_name_ar, evidence, claimed_by, outlet_names(outlets)])


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
