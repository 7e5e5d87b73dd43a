"""Many writers at once, as real processes, on both engines: three `rasd ingest` of overlapping folders into one
new store add every article once and merge each attack into one event, exactly as a single ingest does; two
editors' edits of one version from two processes give one winner and one refusal."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.articles import load_articles
from rasd.store import Store

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT / "tests" / "data" / "realworld"
# Overlapping thirds of 90 reports: every article is in two of the three folders.
N_ARTICLES = 90
TIMEOUT = 240


def _event_key(event) -> tuple:
    return (event.id, event.date, event.place, event.weapon, event.target, event.outcome, event.killed,
            tuple(sorted(event.articles)))


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[Path]:
    """Three copies of overlapping subsets of the real-world reports, each with its catalogue rows."""
    with open(REALWORLD / "articles.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = sorted(rows, key=lambda r: r["file"])[:N_ARTICLES]
    third = N_ARTICLES // 3
    subsets = [rows[:2 * third], rows[third:], rows[:third] + rows[2 * third:]]
    base = tmp_path_factory.mktemp("overlapping")
    out = []
    for i, subset in enumerate(subsets):
        folder = base / f"part{i}"
        folder.mkdir()
        for row in subset:
            shutil.copy(REALWORLD / row["file"], folder / row["file"])
        with open(folder / "articles.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(subset)
        out.append(folder)
    return out


@pytest.fixture(scope="module")
def single(folders, tmp_path_factory) -> Store:
    """The reference: every article of the three folders ingested once, by one process."""
    loaded = load_articles(folders)
    store = Store(tmp_path_factory.mktemp("single") / "rasd.sqlite")
    store.ingest(loaded.articles)
    return store


def _rasd(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rasd", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    done = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        done.append((process.returncode, out, err))
    return done


def test_overlapping_ingests_at_once_equal_one_ingest(db_target, folders, single, editors, tmp_path):
    # The store does not exist yet: the three also race to create it.
    results = _finish([_rasd("ingest", str(folder), "--db", str(db_target)) for folder in folders])
    assert [rc for rc, _, _ in results] == [0, 0, 0], [err for _, _, err in results]

    store = Store(db_target, create=False)
    assert store.counts() == single.counts()
    assert sorted(a.file for a in store.articles()) == sorted(a.file for a in single.articles())
    assert sorted(map(_event_key, store.events())) == sorted(map(_event_key, single.events()))
    assert store.read("SELECT count(*) FROM mentions") == single.read("SELECT count(*) FROM mentions")
    assert store.read("SELECT count(*) FROM event_outlets") == single.read("SELECT count(*) FROM event_outlets")
    assert sum(int(out.split(" added")[0].rsplit(" ", 1)[1]) for _, out, _ in results) == store.counts().articles

    # Two editors edit the same version of one event from two processes: one wins, the other is told.
    event = next(e for e in store.events() if len(set(e.articles)) == 1)
    users_file = tmp_path / "editors.json"  # the editors fixture's file: alice and bob
    edits = _finish([
        _rasd("review", "edit", event.id, "--by", name, "--set", f"killed={killed}", "--expected-version", "1",
              "--db", str(db_target), "--users", str(users_file))
        for name, killed in (("alice", 4), ("bob", 9))
    ])
    assert sorted(rc for rc, _, _ in edits) == [0, 1], edits
    assert any("changed since you loaded it" in err for _, _, err in edits)
    now = store.event(event.id)
    assert now.version == 2 and now.killed in (4, 9)
    assert len(store.decisions(event_id=event.id)) == 1
