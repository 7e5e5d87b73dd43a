"""Synthetic events frames (the columns of Store.events_frame()) for tests and benchmarks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from rasd.models import Place
from rasd.slug import slugify
from rasd.store import EVENTS_FRAME_COLUMNS
from rasd.vocab import OUTCOMES, SITE_KINDS, TARGETS


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A place synthetic events are put at: its id, names, coordinate and governorate."""

    id: str
    name_en: str
    name_ar: str
    lat: float
    lon: float
    governorate: str


@lru_cache(maxsize=1)
def _anchors() -> dict[str, tuple[_Anchor, ...]]:
    """The gazetteer's sites, towns and governorates, so synthetic points fall where real reports put them."""
    from geo.gazetteer import default_gazetteer

    gaz = default_gazetteer()

    def anchors(places: Iterable[Place]) -> tuple[_Anchor, ...]:
        # Rounded to the store's 4 decimals; only places with an Arabic name, as the map shows both.
        return tuple(
            _Anchor(p.id, p.name_en, p.name_ar, round(p.lat, 4), round(p.lon, 4), p.governorate)
            for p in sorted(places, key=lambda p: p.id) if p.governorate and p.name_ar
        )

    return {
        "site": anchors(p for p in gaz.places if p.kind in SITE_KINDS),
        "town": anchors(p for p in gaz.places if p.kind == "city"),
        "governorate": anchors(gaz.governorates()),
    }


_PRECISION_WEIGHTS = (
    ("site", 0.55), ("town", 0.23), ("road", 0.02), ("district", 0.12), ("governorate", 0.08),
)
_WEAPON_WEIGHTS = {
    "drone": 0.30, "rocket": 0.34, "mortar": 0.06, "ied": 0.20, "gunfire": 0.03, "unknown": 0.07,
}
_DATE_PRECISION_WEIGHTS = {"day": 0.72, "approximate": 0.14, "month": 0.09, "year": 0.03, "unknown": 0.02}
_CLAIMANTS = (
    "", "", "", "Islamic Resistance in Iraq", "Kataib Hezbollah", "Ashab al-Kahf", "Saraya Awliya al-Dam",
)
_OUTLETS = ("Al-Araby Al-Jadeed", "Shafaq News", "Alsumaria", "Rudaw", "Asharq Al-Awsat", "Al Mayadeen")
_WEAPON_AR = {
    "drone": "بطائرة مسيّرة", "rocket": "بصواريخ", "mortar": "بقذائف هاون", "ied": "بعبوة ناسفة",
    "gunfire": "بإطلاق نار", "unknown": "",
}
_FIRST_DAY = date(2019, 1, 1)
_LAST_DAY = date(2024, 12, 31)


def _choice(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _month_end(d: date) -> date:
    following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _dates(day: date, precision: str) -> tuple[date | None, date | None, date | None]:
    if precision == "day":
        return day, day, day
    if precision == "approximate":
        return day, day - timedelta(days=1), day + timedelta(days=1)
    if precision == "month":
        first = day.replace(day=1)
        return first.replace(day=15), first, _month_end(first)
    if precision == "year":
        return date(day.year, 7, 1), date(day.year, 1, 1), date(day.year, 12, 31)
    return None, None, None


def fake_events_frame(n: int, *, seed: int = 0) -> pd.DataFrame:
    """n synthetic events over Iraq, 2019-2024, with the columns and dtypes of Store.events_frame()."""
    rng = np.random.default_rng(seed)
    precisions = rng.choice(len(_PRECISION_WEIGHTS), size=n, p=[w for _, w in _PRECISION_WEIGHTS]).tolist()
    weapons = _choice(rng, _WEAPON_WEIGHTS, n).tolist()
    date_precisions = _choice(rng, _DATE_PRECISION_WEIGHTS, n).tolist()
    days = rng.integers(0, (_LAST_DAY - _FIRST_DAY).days + 1, size=n).tolist()
    picks = rng.integers(0, 1 << 30, size=n).tolist()
    jitter = rng.uniform(-0.15, 0.15, size=(n, 2)).tolist()
    targets = rng.choice(len(TARGETS), size=n).tolist()
    outcomes = rng.choice(len(OUTCOMES), size=n).tolist()
    casualties = rng.random(size=n).tolist()
    counts = rng.integers(1, 4, size=n).tolist()
    claimants = rng.integers(0, len(_CLAIMANTS), size=n).tolist()
    n_outlets = rng.integers(1, 4, size=n).tolist()
    outlet_starts = rng.integers(0, len(_OUTLETS), size=n).tolist()

    anchors = _anchors()
    slugs: dict[str, str] = {}

    def slug(text: str) -> str:
        if text not in slugs:
            slugs[text] = slugify(text)
        return slugs[text]

    records = []
    for i in range(n):
        precision = _PRECISION_WEIGHTS[precisions[i]][0]
        pool = anchors["town" if precision in ("district", "road") else precision]
        anchor = pool[picks[i] % len(pool)]
        lat, lon, name_en, name_ar = anchor.lat, anchor.lon, anchor.name_en, anchor.name_ar
        place = anchor.id
        if precision == "district":
            # Spread per event: real reports repeat gazetteer coordinates, so these keep the benchmark
            # honest about payloads whose coordinates do not repeat.
            lat, lon = round(lat + jitter[i][0], 4), round(lon + jitter[i][1], 4)
            place, name_en, name_ar = f"{place}-district", f"{name_en} district", f"قضاء {name_ar}"
        weapon = weapons[i]
        best, earliest, latest = _dates(_FIRST_DAY + timedelta(days=int(days[i])), date_precisions[i])
        claimant = _CLAIMANTS[claimants[i]]
        names = [_OUTLETS[(outlet_starts[i] + k) % len(_OUTLETS)] for k in range(n_outlets[i])]
        articles = [f"synthetic-{i:06d}-{k}.txt" for k in range(len(names))]
        outcome = OUTCOMES[outcomes[i]]
        killed = int(casualties[i] * 4) if outcome == "casualties" else (0 if casualties[i] < 0.5 else None)
        records.append({
            "id": hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:12],
            "date": best, "date_earliest": earliest, "date_latest": latest,
            "date_precision": date_precisions[i],
            "place": place, "place_name": name_en, "place_name_ar": name_ar, "lat": lat, "lon": lon,
            "geo_precision": precision, "governorate": anchor.governorate,
            "governorate_id": slug(anchor.governorate), "weapon": weapon,
            "projectiles": counts[i] if weapon in ("drone", "rocket", "mortar") else None,
            "target": "convoy" if weapon == "ied" else TARGETS[targets[i]], "outcome": outcome,
            "killed": killed, "wounded": None if killed is None else int(casualties[i] * 6),
            "claimed_by": claimant, "claimant_id": slug(claimant) if claimant else "",
            "outlets": [slug(x) for x in names], "outlet_names": names, "articles": articles,
            "n_sources": len(articles),
            "evidence": f"استهدف هجوم {_WEAPON_AR[weapon]} {name_ar}".replace("  ", " "),
            "review": "unreviewed", "version": 1,
        })
    frame = pd.DataFrame.from_records(records, columns=list(EVENTS_FRAME_COLUMNS))
    for column in ("date", "date_earliest", "date_latest"):
        frame[column] = pd.Series(list(frame[column]), index=frame.index, dtype=object)
    for column in ("projectiles", "killed", "wounded"):
        frame[column] = frame[column].astype("Int64")
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    frame["n_sources"] = frame["n_sources"].astype("int64")
    frame["version"] = frame["version"].astype("int64")
    return frame

