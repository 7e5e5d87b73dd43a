"""Scoring extracted events against a list of the attacks a careful reader finds (seed_events.csv format)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rasd.models import Event


@dataclass(frozen=True)
class Expected:
    """One expected attack: where it may be placed, its weapon, and the interval its date lies in."""

    event: str
    articles: frozenset[str]
    day: date | None
    earliest: date | None
    latest: date | None
    place: str
    place_ids: frozenset[str]
    weapon: str
    required: bool
    evidence: str

    def matches(self, e: Event) -> bool:
        """Acceptable place, same weapon (unless unknown), and a date inside the expected interval (if known)."""
        if e.place not in self.place_ids:
            return False
        if self.weapon != "unknown" and e.weapon != self.weapon:
            return False
        if self.earliest is None:
            return True
        if e.date is None:
            # The reader bounded this one with outside knowledge (no date in the text): unknown is honest.
            return self.day is None and e.date_precision == "unknown"
        return self.earliest <= e.date <= self.latest


def _d(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def read_expected(path: Path, *, place_ids: Callable[[dict[str, str]], frozenset[str]]) -> list[Expected]:
    """The rows of an expected-events file; place_ids says which gazetteer ids each row's place may be."""
    with path.open(encoding="utf-8") as f:
        return [
            Expected(
                event=row["event"],
                articles=frozenset(row["articles"].split(";")),
                day=_d(row["date"]), earliest=_d(row["date_earliest"]), latest=_d(row["date_latest"]),
                place=row["place"], place_ids=place_ids(row),
                weapon=row["weapon"], required=row["required"] == "yes", evidence=row["evidence"],
            )
            for row in csv.DictReader(f)
        ]


def prefix(file: str) -> str:
    """The number an article file name starts with (000_x.txt -> 000)."""
    return file.split("_", 1)[0]
