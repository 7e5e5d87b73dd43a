"""Typed records passed between the gazetteer, the extractor, the store and the app."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: one named place with its coordinate and where that coordinate comes from."""

    id: str
    name_en: str
    name_ar: str
    kind: str
    governorate: str
    iso: str
    lat: float
    lon: float
    source: str
    aliases: tuple[str, ...] = ()
    parent: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling of the place: English, Arabic and aliases."""
        return (self.name_en, self.name_ar, *self.aliases)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text, with the character span of the name."""

    place: Place
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DateRange:
    """When something happened: a best date, the interval it surely lies in, and how precise it is."""

    date: date | None
    earliest: date | None
    latest: date | None
    precision: str

    @classmethod
    def unknown(cls) -> "DateRange":
        """A date nothing is known about."""
        return cls(None, None, None, "unknown")

    @classmethod
    def day(cls, d: date) -> "DateRange":
        """A single known day."""
        return cls(d, d, d, "day")

    def overlaps(self, other: "DateRange") -> bool:
        """True when both intervals could hold the same day (unknown bounds overlap anything)."""
        if self.earliest and other.latest and self.earliest > other.latest:
            return False
        if other.earliest and self.latest and other.earliest > self.latest:
            return False
        return True


@dataclass(frozen=True, slots=True)
class Article:
    """One news article and what is known about it."""

    file: str
    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: date | None = None
    published_note: str = ""

    @property
    def sha256(self) -> str:
        """Content hash of the text, used to detect a changed article."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Source:
    """One article reporting an event, with the sentence that states it."""

    article: str
    evidence: str
    outlet: str = ""
    url: str = ""
    start: int = -1
    end: int = -1


@dataclass(slots=True)
class Event:
    """A dated, geolocated attack on US or coalition forces, diplomats or their convoys."""

    date: date | None
    date_earliest: date | None
    date_latest: date | None
    date_precision: str
    place: str
    place_name: str
    lat: float
    lon: float
    geo_precision: str
    governorate: str
    weapon: str = "unknown"
    projectiles: int | None = None
    target: str = "other"
    outcome: str = "unknown"
    killed: int | None = None
    wounded: int | None = None
    claimed_by: str = ""
    sources: list[Source] = field(default_factory=list)
    id: str = ""
    # Set by the store from the newsroom's decisions (rasd.newsroom.review); the extractor leaves the defaults.
    review: str = "unreviewed"
    version: int = 1

    @property
    def articles(self) -> list[str]:
        """File names of the articles that report this event."""
        return [s.article for s in self.sources]

    @property
    def date_range(self) -> DateRange:
        """The event's date as a DateRange."""
        return DateRange(self.date, self.date_earliest, self.date_latest, self.date_precision)

    def assign_id(self) -> str:
        """Set and return a stable id derived from what identifies the attack."""
        key = "|".join(
            str(x) for x in (self.place, self.weapon, self.target, self.date_earliest, self.date_latest, self.date)
        )
        self.id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        return self.id
