"""Synthetic events for tests and benchmarks: frames with the columns of Store.events_frame(), and whole stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from rasd.models import Place
from rasd.slug import slugify
from rasd.store import BULK_COLUMNS, EVENTS_FRAME_COLUMNS, BulkRows
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


class _Generator:
    """The random draws for n synthetic events and the record of each, shared by the frame and the store rows."""

    def __init__(self, n: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.seed = seed
        self.precisions = rng.choice(
            len(_PRECISION_WEIGHTS), size=n, p=[w for _, w in _PRECISION_WEIGHTS]).tolist()
        self.weapons = _choice(rng, _WEAPON_WEIGHTS, n).tolist()
        self.date_precisions = _choice(rng, _DATE_PRECISION_WEIGHTS, n).tolist()
        self.days = rng.integers(0, (_LAST_DAY - _FIRST_DAY).days + 1, size=n).tolist()
        self.picks = rng.integers(0, 1 << 30, size=n).tolist()
        self.jitter = rng.uniform(-0.15, 0.15, size=(n, 2)).tolist()
        self.targets = rng.choice(len(TARGETS), size=n).tolist()
        self.outcomes = rng.choice(len(OUTCOMES), size=n).tolist()
        self.casualties = rng.random(size=n).tolist()
        self.counts = rng.integers(1, 4, size=n).tolist()
        self.claimants = rng.integers(0, len(_CLAIMANTS), size=n).tolist()
        self.n_outlets = rng.integers(1, 4, size=n).tolist()
        self.outlet_starts = rng.integers(0, len(_OUTLETS), size=n).tolist()
        self.anchors = _anchors()
        self.slugs: dict[str, str] = {}

    def slug(self, text: str) -> str:
        """slugify(text), worked out once per distinct text."""
        if text not in self.slugs:
            self.slugs[text] = slugify(text)
        return self.slugs[text]

    def event_id(self, i: int) -> str:
        """The id of event i."""
        return hashlib.sha1(f"{self.seed}:{i}".encode()).hexdigest()[:12]

    def dates(self, i: int) -> tuple[date | None, date | None, date | None]:
        """Best date, earliest and latest day of event i."""
        return _dates(_FIRST_DAY + timedelta(days=int(self.days[i])), self.date_precisions[i])

    def store_order(self, i: int) -> tuple[bool, date, str]:
        """Where event i sorts in the store: by best date (else earliest), undated last, then id."""
        best, earliest, _ = self.dates(i)
        day = best or earliest
        return (day is None, day or date.min, self.event_id(i))

    def record(self, i: int) -> dict[str, Any]:
        """Event i with the columns of Store.events_frame()."""
        precision = _PRECISION_WEIGHTS[self.precisions[i]][0]
        pool = self.anchors["town" if precision in ("district", "road") else precision]
        anchor = pool[self.picks[i] % len(pool)]
        lat, lon, name_en, name_ar = anchor.lat, anchor.lon, anchor.name_en, anchor.name_ar
        place = anchor.id
        if precision == "district":
            # Spread per event: real reports repeat gazetteer coordinates, so these keep the benchmark
            # honest about payloads whose coordinates do not repeat.
            lat, lon = round(lat + self.jitter[i][0], 4), round(lon + self.jitter[i][1], 4)
            place, name_en, name_ar = f"{place}-district", f"{name_en} district", f"قضاء {name_ar}"
        weapon = self.weapons[i]
        best, earliest, latest = self.dates(i)
        claimant = _CLAIMANTS[self.claimants[i]]
        names = [_OUTLETS[(self.outlet_starts[i] + k) % len(_OUTLETS)] for k in range(self.n_outlets[i])]
        articles = [f"synthetic-{i:06d}-{k}.txt" for k in range(len(names))]
        outcome = OUTCOMES[self.outcomes[i]]
        casualties = self.casualties[i]
        killed = int(casualties * 4) if outcome == "casualties" else (0 if casualties < 0.5 else None)
        return {
            "id": self.event_id(i),
            "date": best, "date_earliest": earliest, "date_latest": latest,
            "date_precision": self.date_precisions[i],
            "place": place, "place_name": name_en, "place_name_ar": name_ar, "lat": lat, "lon": lon,
            "geo_precision": precision, "governorate": anchor.governorate,
            "governorate_id": self.slug(anchor.governorate), "weapon": weapon,
            "projectiles": self.counts[i] if weapon in ("drone", "rocket", "mortar") else None,
            "target": "convoy" if weapon == "ied" else TARGETS[self.targets[i]], "outcome": outcome,
            "killed": killed, "wounded": None if killed is None else int(casualties * 6),
            "claimed_by": claimant, "claimant_id": self.slug(claimant) if claimant else "",
            "outlets": [self.slug(x) for x in names], "outlet_names": names, "articles": articles,
            "n_sources": len(articles),
            "evidence": f"استهدف هجوم {_WEAPON_AR[weapon]} {name_ar}".replace("  ", " "),
            "review": "unreviewed", "version": 1,
        }


def fake_events_frame(n: int, *, seed: int = 0) -> pd.DataFrame:
    """n synthetic events over Iraq, 2019-2024, with the columns and dtypes of Store.events_frame()."""
    generator = _Generator(n, seed)
    records = [generator.record(i) for i in range(n)]
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



# Every synthetic article says what it is, in both languages the app speaks.
SYNTHETIC_NOTE = "بيانات تجريبية مصطنعة، لا خبر حقيقي (synthetic test data, not a real report)"
# Events per batch handed to Store.bulk_load: bounds memory at a million events.
STORE_BATCH = 20_000


def synthetic_store_rows(
    n: int, *, seed: int = 0, batch: int = STORE_BATCH, ingested_at: str | None = None
) -> Iterator[BulkRows]:
    """The events of fake_events_frame(n, seed=seed) as Store.bulk_load batches, in the store's event order."""
    # Every source of an event is a short synthetic article (the frame's `articles` names) stating the event's
    # evidence sentence, with one mention per article, so the store's reads, the pages and review decisions
    # find what they look for.
    generator = _Generator(n, seed)
    order = sorted(range(n), key=generator.store_order)
    now = ingested_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    event_row = itemgetter(*BULK_COLUMNS["events"])
    mention_row = itemgetter(*BULK_COLUMNS["mentions"])
    article_row = itemgetter(*BULK_COLUMNS["articles"])
    iso: dict[date | None, str | None] = {None: None}
    mention_id = 0
    for start in range(0, n, max(1, batch)):
        rows = BulkRows()
        for i in order[start:start + batch]:
            record = generator.record(i)
            for f in ("date", "date_earliest", "date_latest"):
                day = record[f]
                if day not in iso:
                    iso[day] = day.isoformat()
                record[f] = iso[day]
            record["edited"], record["edits"] = 0, "{}"
            rows.events.append(event_row(record))
            event_id, evidence, published = record["id"], record["evidence"], record["date"] or record["date_latest"]
            title_tail = f"هجوم {_WEAPON_AR[record['weapon']]} على {record['place_name_ar']}".replace("  ", " ")
            article = {"url": "", "published": published, "published_note": "synthetic", "flags": "[]",
                       "reference_date": published, "reference_basis": "catalogue" if published else "none",
                       "ingested_at": now}
            for k, (file, outlet, outlet_id) in enumerate(
                zip(record["articles"], record["outlet_names"], record["outlets"])
            ):
                mention_id += 1
                title = f"تقرير تجريبي {i}-{k}: {title_tail}"
                text = f"{title}\n\n{evidence}، بحسب {outlet}.\n{SYNTHETIC_NOTE}\n"
                begin = len(title) + 2
                end = begin + len(evidence)
                article.update(file=file, title=title, outlet=outlet, outlet_id=outlet_id, text=text,
                               sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
                rows.articles.append(article_row(article))
                record["id"], record["article"], record["seq"] = mention_id, file, 0
                rows.mentions.append(mention_row(record))
                rows.mention_sources.append((mention_id, 0, evidence, outlet, "", begin, end))
                rows.event_sources.append((event_id, k, file, evidence, outlet, "", begin, end))
                rows.event_mentions.append((mention_id, event_id))
        yield rows
