"""One event per attack: merging the reports of the same attack, within and across articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from geopy.distance import great_circle

from rasd.errors import GazetteerError
from rasd.models import Event
from rasd.extract.normalize import normalize_arabic
from rasd.vocab import OUTCOMES

_DATE_RANK = {"day": 0, "approximate": 1, "month": 2, "year": 3, "unknown": 4}
_GEO_RANK = {"site": 0, "town": 1, "district": 2, "governorate": 3}
_FAR_FUTURE = date(9999, 12, 31)
_TOWN_SITE_KM = 25.0
# Projectiles in one salvo from which two undated reports at one place are taken to tell the same attack.
_DISTINCT_SALVO = 5


def distance_km(a: Event, b: Event) -> float:
    """Great-circle distance between two events in kilometres."""
    return great_circle((a.lat, a.lon), (b.lat, b.lon)).km


def _default_cluster() -> Callable[[str], str]:
    from geo.gazetteer import default_gazetteer

    gaz = default_gazetteer()

    def cluster(place_id: str) -> str:
        try:
            place = gaz.get(place_id)
        except GazetteerError:
            return place_id
        return place.parent or place.id

    return cluster


def same_place(a: Event, b: Event, *, same_article: bool, cluster: Callable[[str], str] | None = None) -> bool:
    """True when two reports can be at one place: the same site or town, a site by its town, or (in one
    article) a place and its governorate."""
    cluster = cluster or _default_cluster()
    if a.place == b.place or cluster(a.place) == cluster(b.place):
        return True
    # "Erbil" and "Erbil airport" in two reports of one attack: a town and a site just outside it.
    if {a.geo_precision, b.geo_precision} == {"site", "town"} and a.governorate == b.governorate:
        return distance_km(a, b) <= _TOWN_SITE_KM
    if not same_article or a.governorate != b.governorate:
        return False
    # Within one article "in Babil" and "at Musayyib, Babil" are the same report at two scales.
    return "governorate" in (a.geo_precision, b.geo_precision)


def _compatible(a: Event, b: Event, *, same_article: bool, cluster: Callable[[str], str]) -> bool:
    if not same_place(a, b, same_article=same_article, cluster=cluster):
        return False
    if not (same_weapon(a.weapon, b.weapon) if same_article else "unknown" in (a.weapon, b.weapon)
            or a.weapon == b.weapon):
        return False
    if same_article:
        # Airports host bases (Erbil, Baghdad): "قاعدة الاحتلال في أربيل" re-tells the airport attack.
        targets = {a.target, b.target}
        if "other" not in targets and len(targets) > 1 and targets != {"base", "airport"} and a.place != b.place:
            return False
    elif "unknown" in (a.date_precision, b.date_precision):
        # Across articles an undated report could be any attack at that place: keep it apart.
        return False
    if a.date_range.overlaps(b.date_range):
        return True
    # One article telling one attack by the night it began and the day it was announced ("late Monday",
    # "on Tuesday"): the same place and the same named weapon a day apart are one attack.
    return (same_article and a.weapon == b.weapon and a.weapon != "unknown" and a.date and b.date
            and abs((a.date - b.date).days) <= 1)


def precision_key(e: Event) -> tuple[int, int]:
    return (_DATE_RANK.get(e.date_precision, 4), _GEO_RANK.get(e.geo_precision, 3))


def _absorb(primary: Event, other: Event, known: set[str]) -> None:
    """Fold another report of the same attack into the primary one (the most precise report)."""
    if _GEO_RANK.get(other.geo_precision, 3) < _GEO_RANK.get(primary.geo_precision, 3):
        primary.place, primary.place_name = other.place, other.place_name
        primary.lat, primary.lon = other.lat, other.lon
        primary.geo_precision, primary.governorate = other.geo_precision, other.governorate
    if primary.date_precision != "day" and other.date_earliest and other.date_latest:
        lo = max(filter(None, (primary.date_earliest, other.date_earliest)))
        hi = min(filter(None, (primary.date_latest, other.date_latest)))
        if lo <= hi and (primary.date_earliest, primary.date_latest) != (lo, hi):
            primary.date_earliest, primary.date_latest = lo, hi
            if primary.date is None or not lo <= primary.date <= hi:
                primary.date = lo + (hi - lo) / 2
            if primary.date_precision in ("unknown", "year", "month"):
                primary.date_precision = "approximate"
    if primary.weapon == "unknown":
        primary.weapon = other.weapon
    if primary.target == "other" and other.target != "other":
        primary.target = other.target
    if OUTCOMES.index(other.outcome) < OUTCOMES.index(primary.outcome):
        primary.outcome = other.outcome
    primary.projectiles = primary.projectiles or other.projectiles
    for attr in ("killed", "wounded"):
        mine, theirs = getattr(primary, attr), getattr(other, attr)
        if theirs is not None and (mine is None or theirs > mine):
            setattr(primary, attr, theirs)
    primary.claimed_by = primary.claimed_by or other.claimed_by
    for source in other.sources:
        if source.article not in known:
            known.add(source.article)
            primary.sources.append(source)


def absorb(primary: Event, other: Event) -> None:
    """Fold another report of the same attack into an event, which keeps its id."""
    _absorb(primary, other, {s.article for s in primary.sources})


def _lead(event: Event) -> Event:
    """A copy of a report to merge others into, so the caller's events stay as they were."""
    return Event(**{f: getattr(event, f) for f in Event.__slots__ if f != "sources"}, sources=list(event.sources))


def _register(lead: Event, articles: dict[int, set[str]]) -> Event:
    articles[id(lead)] = {s.article for s in lead.sources}
    return lead


def merge_events(
    events: list[Event], *, same_article: bool = False, cluster: Callable[[str], str] | None = None
) -> list[Event]:
    """Merge reports of the same attack; the most precise report leads. Ids are assigned here."""
    return [event for event, _ in merge_groups(events, same_article=same_article, cluster=cluster)]


def merge_groups(
    events: list[Event], *, same_article: bool = False, cluster: Callable[[str], str] | None = None
) -> list[tuple[Event, list[int]]]:
    """As merge_events, each merged event with the indexes (into `events`) of the reports it holds."""
    cluster = cluster or _default_cluster()
    # Every way two reports can be one attack keeps them in one governorate: compare within it only.
    by_governorate: dict[str, list[Event]] = {}
    # Across articles an undated report merges only with a reprint of itself (same place, weapon, sentence).
    reprints: dict[tuple[str, str, str], Event] = {}
    salvos: dict[tuple[str, int], Event] = {}
    # The articles each lead already cites, so adding a source stays constant-time.
    articles: dict[int, set[str]] = {}
    members: dict[int, list[int]] = {}
    out: list[Event] = []
    for index in sorted(range(len(events)), key=lambda i: precision_key(events[i])):
        event = events[index]
        if not same_article and event.date_precision == "unknown":
            key = (cluster(event.place), event.weapon, normalize_arabic(event.sources[0].evidence if event.sources else ""))
            # "8 Katyushas" in one undated report and "8 mortar bombs" in another at the same base: a salvo that
            # large is told of one attack, so the count identifies it as a reprint's sentence would.
            salvo = ((cluster(event.place), event.projectiles)
                     if event.projectiles and event.projectiles >= _DISTINCT_SALVO else None)
            known = reprints.get(key) or (salvos.get(salvo) if salvo else None)
            if known is not None and same_weapon(known.weapon, event.weapon):
                _absorb(known, event, articles[id(known)])
                members[id(known)].append(index)
                continue
            reprints[key] = _register(_lead(event), articles)
            if salvo:
                salvos.setdefault(salvo, reprints[key])
            members[id(reprints[key])] = [index]
            out.append(reprints[key])
            continue
        leads = by_governorate.setdefault(event.governorate, [])
        # The lead carries the narrowed date of everything merged into it, so comparing with it suffices.
        lead = next((m for m in leads if _compatible(m, event, same_article=same_article, cluster=cluster)), None)
        if lead is not None:
            _absorb(lead, event, articles[id(lead)])
            members[id(lead)].append(index)
            continue
        lead = _register(_lead(event), articles)
        members[id(lead)] = [index]
        leads.append(lead)
        out.append(lead)
    if not same_article:
        out = _place_undated(out, by_governorate, articles, members, cluster)
    out.sort(key=lambda e: (e.date or e.date_earliest or _FAR_FUTURE, e.place, e.weapon))
    used: set[str] = set()
    for e in out:
        base = candidate = e.assign_id()
        n = 0
        while candidate in used:
            # Two attacks alike in every identifying field: still hex, still unique.
            n += 1
            candidate = f"{base[:9]}{n:03x}"
        e.id = candidate
        used.add(candidate)
    return [(e, sorted(members[id(e)])) for e in out]


def _place_undated(
    out: list[Event], by_governorate: dict[str, list[Event]], articles: dict[int, set[str]],
    members: dict[int, list[int]], cluster: Callable[[str], str],
) -> list[Event]:
    """An undated report joins the one dated attack it can be, when there is exactly one.

    A report with no date of its own ("سقوط صاروخين قرب قاعدة ... في الموصل" in a page with no date)
    beside exactly one dated report of the same place and weapon is that attack; beside two or more
    it could be any of them and stays apart.
    """
    kept = []
    for event in out:
        if event.date_precision != "unknown":
            kept.append(event)
            continue
        # Only a report placed at a site or a town: "south of Mosul" could be any base around it.
        candidates = [
            lead for lead in by_governorate.get(event.governorate, ())
            if event.geo_precision in ("site", "town") and same_place(lead, event, same_article=False, cluster=cluster)
            and same_weapon(lead.weapon, event.weapon)
        ]
        if len(candidates) != 1 or articles[id(candidates[0])] & articles[id(event)]:
            kept.append(event)
            continue
        lead = candidates[0]
        _absorb(lead, event, articles[id(lead)])
        members[id(lead)].extend(members.pop(id(event)))
    return kept


def same_weapon(a: str, b: str) -> bool:
    """Weapons two reports of one attack can name: the same, one unknown, or rockets and mortar bombs,
    which outlets confuse ("قذائف هاون" in one report, "صواريخ كاتيوشا" in another)."""
    return a == b or "unknown" in (a, b) or {a, b} == {"rocket", "mortar"}


def combine(events: list[Event]) -> Event:
    """One event from reports an editor says are one attack, built as merge_events builds a group (no id)."""
    if not events:
        raise ValueError("combine needs at least one report")
    ordered = sorted(events, key=precision_key)
    lead = _lead(ordered[0])
    known = {s.article for s in lead.sources}
    for event in ordered[1:]:
        _absorb(lead, event, known)
    return lead
