"""Real Arabic reports (tests/data/realworld): the corpus is well-formed and the extractor holds its scores.

The scores are printed by `python tests/scoring.py tests/data/realworld`; a third of the articles is held
back (scoring.splits) and never tuned on. The floors below guard against regressions, they are not goals.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.gazetteer import default_gazetteer
from rasd.articles import load_articles
from scoring import BATCH_STARTS, corpus_rows, prefix, score_folder, splits

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "realworld"
# (split, F1 floor, exact-day floor): a little under what the extractor scores now.
FLOORS = [("dev", 0.85, 0.95), ("holdout", 0.63, 0.95), ("all", 0.80, 0.95)]


def _catalogue() -> list[dict[str, str]]:
    with (CORPUS / "articles.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_corpus_is_real_reports_from_many_outlets_with_their_addresses():
    rows = _catalogue()
    assert len(rows) >= 60
    assert len({r["outlet"] for r in rows}) >= 25
    assert all(r["url"].startswith(("http://", "https://")) for r in rows)
    assert len({r["url"] for r in rows}) == len(rows)
    assert all(r["published_note"] for r in rows), "every publication date says how it was established"
    years = {int(r["published"][:4]) for r in rows if r["published"]}
    assert years <= set(range(2019, 2025))
    loaded = load_articles([CORPUS])
    assert not loaded.errors
    assert {a.file for a in loaded.articles} == {r["file"] for r in rows}


def test_corpus_has_negatives():
    rows = corpus_rows(CORPUS)
    with_events = {a for r in rows for a in r.articles}
    files = [r["file"] for r in _catalogue()]
    negatives = [f for f in files if prefix(f) not in with_events]
    assert len(negatives) >= 10


@pytest.mark.parametrize("row", corpus_rows(CORPUS), ids=lambda r: r.event)
def test_expectation_quotes_one_of_its_articles_and_names_a_known_place(row):
    texts = [path.read_text(encoding="utf-8") for a in row.articles for path in CORPUS.glob(f"{a}_*.txt")]
    assert len(texts) == len(row.articles)
    assert any(row.evidence in text for text in texts)
    gaz = default_gazetteer()
    assert all(gaz.has(pid) for pid in row.place_ids), [p for p in row.place_ids if not gaz.has(p)]
    # A date is bounded on both sides or not at all, and a day lies within its bounds.
    assert (row.earliest is None) == (row.latest is None)
    assert row.day is None or row.earliest <= row.day <= row.latest


def test_a_third_is_held_back_and_reports_of_one_attack_stay_together():
    rows = corpus_rows(CORPUS)
    split_by = splits(rows, [r["file"] for r in _catalogue()])
    held = sum(s == "holdout" for s in split_by.values())
    # Each batch holds back a third of its own reports, rounded down: up to one short per batch.
    assert len(split_by) // 3 - len(BATCH_STARTS) <= held <= len(split_by) // 3
    for row in rows:
        assert len({split_by[a] for a in row.articles}) == 1, row.event


@pytest.mark.parametrize(("split", "f1", "exact_day"), FLOORS, ids=[f[0] for f in FLOORS])
def test_extractor_holds_its_scores(split, f1, exact_day):
    result, _ = score_folder(CORPUS, split=split)
    assert result.f1 >= f1, f"{split}: F1 {result.f1:.2f} (P {result.precision:.2f}, R {result.recall:.2f})"
    assert result.exact_day >= exact_day
