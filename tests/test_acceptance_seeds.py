"""Acceptance: the attacks a careful reader finds in the seed articles, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.articles import load_articles
from rasd.extract.extraction import extract_events
from rasd.models import Event
from scoring import Expected, prefix, read_expected

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT / "tests" / "data" / "seed_events.csv"

# The acceptance file names places in prose; these are the gazetteer ids each name may come out as.
PLACE_IDS = {
    "Ain al-Asad Air Base": {"ain-al-asad"},
    "Ain al-Asad Air Base (al-Baghdadi)": {"ain-al-asad"},
    "Camp Victory / Baghdad International Airport": {
        "camp-victory", "baghdad-airport", "baghdad-diplomatic-support-center",
    },
    "south of Baghdad": {"baghdad", "baghdad-governorate"},
    "Muthanna governorate": {"muthanna-governorate", "samawah"},
    "Ishaqi district": {"ishaqi"},
    "Musayyib": {"musayyib"},
    "Najaf": {"najaf", "najaf-governorate"},
    "US Embassy Baghdad (Green Zone)": {"us-embassy-baghdad", "green-zone"},
}


def _expected() -> list[Expected]:
    return read_expected(ACCEPTANCE, place_ids=lambda row: frozenset(PLACE_IDS[row["place"]]))


@pytest.fixture(scope="module")
def seed_events(seeds_dir) -> list[Event]:
    result = load_articles([seeds_dir])
    assert not result.errors
    return extract_events(result.articles)



@pytest.mark.parametrize("row", [r for r in _expected() if r.required], ids=lambda r: f"event{r.event}")
def test_required_attack_found(seed_events, row):
    found = [e for e in seed_events if row.matches(e) and row.articles <= {prefix(a) for a in e.articles}]
    assert found, f"event {row.event} ({row.place}, {row.weapon}) not found"
    assert len(found) == 1, f"event {row.event} reported as {len(found)} events"


def test_no_attack_outside_the_list(seed_events):
    rows = _expected()
    extra = [e for e in seed_events if not any(r.matches(e) for r in rows)]
    assert not extra, [(e.place, e.weapon, e.date, e.sources[0].evidence[:60]) for e in extra]


def test_every_event_carries_evidence_from_its_articles(seed_events, seeds_dir):
    for e in seed_events:
        for s in e.sources:
            text = (seeds_dir / s.article).read_text(encoding="utf-8")
            assert s.evidence and s.evidence in text
            assert text[s.start:s.end] == s.evidence


def test_one_attack_reported_twice_is_one_event(seed_events):
    both = [e for e in seed_events if {"000", "001"} <= {prefix(a) for a in e.articles}]
    assert {e.place for e in both} >= {"ain-al-asad"}
    assert len(both) == 2
