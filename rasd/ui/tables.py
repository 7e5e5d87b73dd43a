"""Readable tables for the pages: labelled columns in the interface language, built from the store's frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from rasd.filters import Filters, date_span
from rasd.i18n import label, t
from rasd.models import Event, Place


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


def events_table(events: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """One readable row per event: date, place, what, outcome, casualties, claim and sources."""
    ar = lang == "ar"
    rows = []
    for r in events.itertuples(index=False):
        rows.append({
            t("event.date", lang): r.date if isinstance(r.date, date) else None,
            t("event.date_range", lang): when(r.date, r.date_earliest, r.date_latest, r.date_precision, lang=lang),
            t("event.place", lang): (r.place_name_ar or r.place_name) if ar else (r.place_name or r.place_name_ar),
            t("event.governorate", lang): r.governorate,
            t("event.weapon", lang): label("weapon", r.weapon, lang),
            t("event.projectiles", lang): r.projectiles,
            t("event.target", lang): label("target", r.target, lang),
            t("event.outcome", lang): label("outcome", r.outcome, lang),
            t("event.killed", lang): r.killed,
            t("event.wounded", lang): r.wounded,
            t("event.claimed_by", lang): r.claimed_by,
            t("sources.outlets", lang): ", ".join(r.outlet_names),
            t("event.n_sources", lang): r.n_sources,
            "id": r.id,
        })
    return pd.DataFrame(rows, columns=_event_columns(lang))


def _event_columns(lang: str) -> list[str]:
    keys = ("event.date", "event.date_range", "event.place", "event.governorate", "event.weapon",
            "event.projectiles", "event.target", "event.outcome", "event.killed", "event.wounded",
            "event.claimed_by", "sources.outlets", "event.n_sources")
    return [t(k, lang) for k in keys] + ["id"]


def outlets(events: pd.DataFrame) -> list[str]:
    """The names of the outlets reporting the events, each once, in order of first appearance."""
    return list(dict.fromkeys(name for names in events["outlet_names"] for name in names if name))


def places_table(places: list[Place], attacks: dict[str, int], *, lang: str) -> pd.DataFrame:
    """One row per place: its spellings, kind, governorate, coordinate and its source, and its number of attacks."""
    rows = [
        {
            "id": p.id,
            t("event.place", lang): p.name_ar if lang == "ar" else p.name_en,
            t("places.name_en", lang): p.name_en,
            t("places.name_ar", lang): p.name_ar,
            t("places.kind", lang): label("place_kind", p.kind, lang),
            t("event.governorate", lang): p.governorate,
            t("event.coordinates", lang): f"{p.lat:.4f}, {p.lon:.4f}",
            t("places.coordinate_source", lang): p.source,
            t("places.events", lang): attacks.get(p.id, 0),
            t("places.aliases", lang): " | ".join(p.aliases),
        }
        for p in places
    ]
    return pd.DataFrame(rows)


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


def articles_table(articles: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """One readable row per article: title, outlet, publication date, note, flags and events found."""
    return pd.DataFrame({
        t("sources.title_col", lang): articles["title"],
        t("event.outlet", lang): articles["outlet"],
        t("event.published", lang): articles["published"],
        t("sources.note", lang): articles["published_note"],
        t("sources.flags", lang): ["; ".join(f) for f in articles["flags"]],
        t("sources.events", lang): articles["n_events"],
        "file": articles["file"],
    })
