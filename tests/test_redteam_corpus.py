"""Red-team report: unseen Arabic reports scored like the seed acceptance test, one test per attack."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.gazetteer import default_gazetteer
from rasd.articles import load_articles
from rasd.extract.extraction import extract_events
from rasd.models import Event
from scoring import Expected, prefix, read_expected

ROOT = Path(__file__).resolve().parent.parent
REDTEAM = ROOT / "tests" / "data" / "redteam"
EXPECTED = REDTEAM / "expected_events.csv"


def _expected() -> list[Expected]:
    return read_expected(EXPECTED, place_ids=lambda row: frozenset(row["place_ids"].split("|")))


def _describe(e: Event) -> tuple[str, str, str, str, str]:
    return (e.place, e.weapon, str(e.date), e.date_precision, ";".join(prefix(a) for a in e.articles))


@pytest.fixture(scope="module")
def redteam_events() -> list[Event]:
    result = load_articles([REDTEAM])
    assert not result.errors
    return extract_events(result.articles)


def test_corpus_loads_with_its_catalogue():
    result = load_articles([REDTEAM])
    assert not result.errors
    assert len(result.articles) >= 25
    assert sum(a.published is not None for a in result.articles) * 2 >= len(result.articles) - 2


@pytest.mark.parametrize("row", _expected(), ids=lambda r: f"event{r.event}")
def test_expectation_quotes_its_article_and_names_a_known_place(row):
    first = min(row.articles)
    (path,) = REDTEAM.glob(f"{first}_*.txt")
    assert row.evidence in path.read_text(encoding="utf-8")
    gaz = default_gazetteer()
    assert any(gaz.has(pid) for pid in row.place_ids), row.place_ids


@pytest.mark.parametrize("row", [r for r in _expected() if r.required], ids=lambda r: f"event{r.event}")
def test_required_attack_found(redteam_events, row):
    found = [e for e in redteam_events if row.matches(e) and row.articles <= {prefix(a) for a in e.articles}]
    near = [_describe(e) for e in redteam_events
            if e.place in row.place_ids or {prefix(a) for a in e.articles} & row.articles]
    assert found, f"event {row.event} ({row.place}, {row.weapon}, {row.earliest}..{row.latest}) not found; near: {near}"
    assert len(found) == 1, f"event {row.event} reported as {len(found)} events: {[_describe(e) for e in found]}"


def test_no_attack_outside_the_list(redteam_events):
    rows = _expected()
    extra = [e for e in redteam_events if not any(r.matches(e) for r in rows)]
    report = "\n".join(f"{' '.join(_describe(e))} | {e.sources[0].evidence[:100]}" for e in extra)
    assert not extra, f"{len(extra)} events outside the list:\n{report}"
