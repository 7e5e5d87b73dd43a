"""Readable tables for the pages: labelled columns in the interface language, built from the store's frames."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from rasd.views.filters import Filters, date_span
from rasd.views.i18n import label, t
from rasd.models import Event, Place
from rasd.ui.text import isolate_runs

# What an empty cell shows (Streamlit would show "None").
MISSING = "\u2014"
# Column widths in pixels; what is left of the frame's width is shared among the columns.
_NARROW, _SMALL, _MEDIUM, _WIDE = 64, 84, 110, 200


def when(day: object, earliest: object, latest: object, precision: str, *, lang: str) -> str:
    """The date of an event in words: the day, or the interval it lies in with how precise it is."""
    if precision == "day" and isinstance(day, date):
        return date_span(day, day, lang=lang)
    first = earliest if isinstance(earliest, date) else None
    last = latest if isinstance(latest, date) else None
    span = date_span(first, last, lang=lang) if (first or last) else ""
    if not span and isinstance(day, date):
        span = date_span(day, day, lang=lang)
    if not span:
        return t("event.unknown", lang)
    return f"{span} ({label('date_precision', precision, lang)})"


def sort_by_date(events: pd.DataFrame) -> pd.DataFrame:
    """Events oldest first; undated events last."""
    key = events.apply(
        lambda r: next((d for d in (r["date"], r["date_earliest"], r["date_latest"]) if isinstance(d, date)),
                       date.max),
        axis=1,
    ) if len(events) else pd.Series([], dtype=object)
    return events.assign(_key=key).sort_values(["_key", "id"], kind="stable").drop(columns="_key")


@dataclass(frozen=True)
class Table:
    """A frame for st.dataframe: the columns shown, in order, with their widths; the other columns stay in the data."""

    frame: pd.DataFrame
    shown: tuple[str, ...]
    config: dict[str, Any] = field(default_factory=dict)


def show(table: Table) -> None:
    """Draw a Table as a full-width st.dataframe."""
    st.dataframe(table.frame, hide_index=True, width="stretch", column_order=table.shown,
                 column_config=table.config)


def cell(value: object) -> str:
    """A table cell as text: missing values (None, NaN, '') as an em dash, integers without decimals."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or MISSING


def date_cell(day: object, earliest: object, latest: object, precision: str) -> str:
    """An event's date as ISO text that sorts in time order: the day, month or year known, or the interval."""
    day = day if isinstance(day, date) else None
    first = earliest if isinstance(earliest, date) else None
    last = latest if isinstance(latest, date) else None
    if precision == "day" and day:
        return day.isoformat()
    if precision == "month" and (day or first):
        return (day or first).strftime("%Y-%m")
    if precision == "year" and (day or first):
        return str((day or first).year)
    if first and last and first != last:
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.isoformat()}\u2013{last.day:02d}"
        return f"{first.isoformat()} \u2013 {last.isoformat()}"
    known = day or first or last
    return f"{known.isoformat()} \u2248" if known else MISSING


def events_table(events: pd.DataFrame, *, lang: str, governorates: Mapping[str, str] | None = None) -> Table:
    """One row per event: date, place, governorate, weapon, target, outcome, casualties and number of reports.

    governorates maps governorate ids to their names in lang (else the stored English name is shown). The
    frame also holds the id column, not shown; the full record is in the downloads.
    """
    ar = lang == "ar"
    names = governorates or {}
    rows = []
    for r in events.itertuples(index=False):
        rows.append((
            date_cell(r.date, r.date_earliest, r.date_latest, r.date_precision),
            cell((r.place_name_ar or r.place_name) if ar else (r.place_name or r.place_name_ar)),
            cell(names.get(r.governorate_id) or r.governorate),
            label("weapon", r.weapon, lang),
            label("target", r.target, lang),
            label("outcome", r.outcome, lang),
            cell(r.killed),
            cell(r.wounded),
            int(r.n_sources or 0),
            r.id,
        ))
    keys = ("event.date", "event.place", "event.governorate", "event.weapon", "event.target", "event.outcome",
            "event.killed", "event.wounded", "event.n_sources")
    columns = [t(k, lang) for k in keys]
    frame = pd.DataFrame(rows, columns=[*columns, "id"])
    date_col, place, gov, weapon, target, outcome, killed, wounded, reports = columns
    config = {
        date_col: st.column_config.TextColumn(width=_MEDIUM, help=t("table.date_help", lang)),
        place: st.column_config.TextColumn(width=_WIDE),
        gov: st.column_config.TextColumn(width=_MEDIUM),
        weapon: st.column_config.TextColumn(width=_SMALL),
        target: st.column_config.TextColumn(width=_SMALL),
        outcome: st.column_config.TextColumn(width=_MEDIUM),
        killed: st.column_config.TextColumn(width=_NARROW, alignment="right"),
        wounded: st.column_config.TextColumn(width=_NARROW, alignment="right"),
        reports: st.column_config.NumberColumn(width=_NARROW),
    }
    return Table(frame, tuple(columns), config)


def outlets(events: pd.DataFrame) -> list[str]:
    """The names of the outlets reporting the events, each once, in order of first appearance."""
    return list(dict.fromkeys(name for names in events["outlet_names"] for name in names if name))


def places_table(places: list[Place], attacks: dict[str, int], *, lang: str,
                 governorates: Mapping[str, str] | None = None) -> Table:
    """One row per place: name, attacks, name in the other language, kind, governorate, coordinate and source.

    governorates maps English governorate names to their names in lang. The id column is in the frame, not shown.
    """
    ar = lang == "ar"
    names = governorates or {}
    place, events, other, kind, gov, coords, source, aliases = (
        t("event.place", lang), t("places.events", lang), t("places.name_en" if ar else "places.name_ar", lang),
        t("places.kind", lang), t("event.governorate", lang), t("event.coordinates", lang),
        t("places.coordinate_source", lang), t("places.aliases", lang),
    )
    rows = [
        {
            "id": p.id,
            place: cell((p.name_ar or p.name_en) if ar else (p.name_en or p.name_ar)),
            events: attacks.get(p.id, 0),
            other: cell(p.name_en if ar else p.name_ar),
            kind: label("place_kind", p.kind, lang),
            gov: cell(names.get(p.governorate) or p.governorate),
            coords: f"{p.lat:.4f}, {p.lon:.4f}",
            source: cell(p.source),
            aliases: " | ".join(p.aliases) or MISSING,
        }
        for p in places
    ]
    shown = (place, events, other, kind, gov, coords, source, aliases)
    frame = pd.DataFrame(rows, columns=["id", *shown])
    config = {
        place: st.column_config.TextColumn(width=_WIDE),
        events: st.column_config.NumberColumn(width=_SMALL),
        other: st.column_config.TextColumn(width=170),
        kind: st.column_config.TextColumn(width=_SMALL),
        gov: st.column_config.TextColumn(width=130),
        coords: st.column_config.TextColumn(width=130),
        source: st.column_config.TextColumn(width=_WIDE),
        aliases: st.column_config.TextColumn(width=300),
    }
    return Table(frame, shown, config)


def attacks_per_place(events: pd.DataFrame) -> dict[str, int]:
    """How many events each place id has."""
    return {str(k): int(v) for k, v in events["place"].value_counts().items()}


def articles_shown(articles: pd.DataFrame, shown: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The articles behind the shown events (every article when nothing is filtered), plus the filtered outlets'."""
    if filters.is_default():
        return articles
    files = {f for row in shown["articles"] for f in row}
    keep = articles["file"].isin(files)
    if filters.outlets:
        keep |= articles["outlet_id"].isin(filters.outlets)
    return articles.loc[keep]


def first_article(files: list[str], event: Event | None) -> str:
    """The article to open first: the selected event's first report when it is listed, else the first file."""
    reported = [a for a in (event.articles if event else []) if a in files]
    return reported[0] if reported else files[0]


def by_attacks(places: list[Place], attacks: dict[str, int]) -> list[Place]:
    """Places with the most attacks first; the rest keep their order."""
    return sorted(places, key=lambda p: -attacks.get(p.id, 0))


def articles_table(articles: pd.DataFrame, *, lang: str) -> Table:
    """One row per article: title, outlet, publication date, events found, and notes on its metadata with its
    data-quality flags (the file column is in the frame, not shown)."""
    title, outlet, published, events, note = (
        t("sources.title_col", lang), t("event.outlet", lang), t("event.published", lang), t("sources.events", lang),
        t("sources.note", lang),
    )
    notes = [
        "; ".join(isolate_runs(n) for n in (note_text, *flags) if n) or MISSING
        for note_text, flags in zip(articles["published_note"], articles["flags"])
    ]
    frame = pd.DataFrame({
        title: [cell(v) for v in articles["title"]],
        outlet: [cell(v) for v in articles["outlet"]],
        published: [v.isoformat() if isinstance(v, date) else MISSING for v in articles["published"]],
        events: [int(v or 0) for v in articles["n_events"]],
        note: notes,
        "file": list(articles["file"]),
    })
    config = {
        title: st.column_config.TextColumn(width=300),
        outlet: st.column_config.TextColumn(width=140),
        published: st.column_config.TextColumn(width=_SMALL + 10),
        events: st.column_config.NumberColumn(width=_MEDIUM + 10),
        note: st.column_config.TextColumn(width=320),
    }
    return Table(frame, (title, outlet, published, events, note), config)
