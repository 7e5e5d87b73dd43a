"""Scoring extracted events against a list of the attacks a careful reader finds (seed_events.csv format)."""

from __future__ import annotations

import csv
import hashlib
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


def _hash(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16)


def splits(rows: list[Expected], files: list[str]) -> dict[str, str]:
    """'holdout' or 'dev' for each article prefix: a third of the articles held back, chosen by hashes.

    Articles that report a common attack stay together (so merging across articles is scored whole).
    Groups of articles linked by expected rows are taken in the order of a hash of their lowest file
    number, and held back while the held-back share stays within a third. Fixed before any tuning and
    independent of the texts, so nobody picks which reports are held back.
    """
    parent = {prefix(f): prefix(f) for f in files}

    def root(p: str) -> str:
        while parent.setdefault(p, p) != p:
            p = parent[p]
        return p

    for row in rows:
        first, *rest = sorted(row.articles)
        for other in rest:
            a, b = sorted((root(first), root(other)))
            parent[b] = a
    groups: dict[str, list[str]] = {}
    for p in list(parent):
        groups.setdefault(root(p), []).append(p)
    # Each collection batch is split on its own, so adding a batch never moves an article of an earlier
    # one between dev and holdout (which would leak tuned-on reports into the held-back third).
    held: set[str] = set()
    for batch in sorted({_batch(key) for key in groups}):
        keys = [key for key in groups if _batch(key) == batch]
        budget = sum(len(groups[key]) for key in keys) // 3
        taken = 0
        for key in sorted(keys, key=_hash):
            if taken + len(groups[key]) <= budget:
                held.update(groups[key])
                taken += len(groups[key])
    return {p: "holdout" if p in held else "dev" for p in parent}


# File numbers where a collection batch starts: 100-399 first, 400-599 second, 600-799 third, 800-899 fourth,
# 900-949 fifth, 950-979 sixth, 980-999 seventh, 1000-1019 eighth, 1020-1039 ninth, 1040-1059 tenth,
# 1060-1079 eleventh, 1080-1099 twelfth, 1100-1119 thirteenth, 1120-1139 fourteenth, 1140 and up fifteenth.
BATCH_STARTS = (0, 400, 600, 800, 900, 950, 980, 1000, 1020, 1040, 1060, 1080, 1100, 1120, 1140)


def _batch(key: str) -> int:
    """The collection batch of an article prefix (a group is keyed by its lowest prefix)."""
    number = int(key) if key.isdigit() else 0
    return sum(number >= start for start in BATCH_STARTS)


@dataclass(frozen=True)
class Score:
    """How a set of extracted events compares with the expected attacks."""

    required: int
    found: int
    events: int
    extra: int
    day_gold: int
    day_exact: int
    missed: tuple[Expected, ...]
    extras: tuple[Event, ...]

    @property
    def precision(self) -> float:
        """Share of emitted events (optional rows aside) that are expected attacks, each counted once."""
        return self.found / (self.found + self.extra) if self.found + self.extra else 1.0

    @property
    def recall(self) -> float:
        """Share of required attacks found."""
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_day(self) -> float:
        """Share of found attacks with a day-precise gold date that carry exactly that day."""
        return self.day_exact / self.day_gold if self.day_gold else 1.0


def score(events: list[Event], rows: list[Expected]) -> Score:
    """Match events to expected attacks one to one; an attack reported twice counts once, the copy is extra.

    An event matches a row when the row accepts its place, weapon and date and the event lists every
    article the row names. Events matching only optional rows are neither found nor extra.
    """
    used: set[int] = set()
    found: list[tuple[Expected, Event]] = []
    missed: list[Expected] = []
    for row in sorted(rows, key=lambda r: not r.required):
        candidates = [
            i for i, e in enumerate(events)
            if i not in used and row.matches(e) and row.articles <= {prefix(a) for a in e.articles}
        ]
        if not candidates:
            if row.required:
                missed.append(row)
            continue
        # The closest date wins when several events could be this attack.
        best = min(candidates, key=lambda i: abs((events[i].date - row.day).days) if events[i].date and row.day else 0)
        used.add(best)
        if row.required:
            found.append((row, events[best]))
    extras = tuple(
        e for i, e in enumerate(events)
        if i not in used and not any(r.matches(e) and not r.required for r in rows)
    )
    day_rows = [(r, e) for r, e in found if r.day is not None and r.earliest == r.latest]
    return Score(
        required=sum(r.required for r in rows), found=len(found), events=len(events), extra=len(extras),
        day_gold=len(day_rows), day_exact=sum(e.date == r.day for r, e in day_rows),
        missed=tuple(missed), extras=extras,
    )


def corpus_rows(folder: Path) -> list[Expected]:
    """The expected attacks of a corpus folder (expected_events.csv with a place_ids column)."""
    return read_expected(folder / "expected_events.csv",
                         place_ids=lambda row: frozenset(row["place_ids"].split("|")))


def score_folder(folder: Path, *, split: str = "all") -> tuple[Score, list[Event]]:
    """Extract a corpus folder's articles of one split and score them against its expected attacks."""
    from rasd.articles import load_articles
    from rasd.extract.extraction import extract_events

    loaded = load_articles([folder])
    if loaded.errors:
        raise SystemExit("\n".join(str(e) for e in loaded.errors))
    all_rows = corpus_rows(folder)
    split_by = splits(all_rows, [a.file for a in loaded.articles])
    articles = [a for a in loaded.articles if split in ("all", split_by[prefix(a.file)])]
    kept = {prefix(a.file) for a in articles}
    rows = [r for r in all_rows if min(r.articles) in kept]
    events = extract_events(articles)
    return score(events, rows), events


def _count_articles(folder: Path, split: str) -> int:
    files = [f.name for f in folder.glob("*.txt")]
    split_by = splits(corpus_rows(folder), files)
    return sum(split in ("all", split_by[prefix(f)]) for f in files)


def _describe(e: Event) -> str:
    arts = ";".join(prefix(a) for a in e.articles)
    return f"{arts} {e.place} {e.weapon} {e.date} ({e.date_precision}) | {e.sources[0].evidence[:90]}"


def main(argv: list[str] | None = None) -> None:
    """Print found, extra, precision, recall, F1 and exact-day accuracy per split of a corpus folder."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--details", action="store_true",
                        help="list the misses and extras of the dev split (the holdout split is never listed)")
    args = parser.parse_args(argv)
    print(f"{'split':<8} | {'articles':>8} | {'required':>8} | {'found':>5} | {'extra':>5} | "
          f"{'P':>5} | {'R':>5} | {'F1':>5} | exact day")
    for split in ("dev", "holdout", "all"):
        result, _ = score_folder(args.folder, split=split)
        n = _count_articles(args.folder, split)
        print(f"{split:<8} | {n:>8} | {result.required:>8} | {result.found:>5} | {result.extra:>5} | "
              f"{result.precision:>5.2f} | {result.recall:>5.2f} | {result.f1:>5.2f} | "
              f"{result.exact_day:.2f} ({result.day_exact}/{result.day_gold})")
        if args.details and split == "dev":
            for row in result.missed:
                print(f"  missed {row.event}: {';'.join(sorted(row.articles))} {row.place} {row.weapon} "
                      f"{row.earliest}..{row.latest} | {row.evidence[:90]}")
            for e in result.extras:
                print(f"  extra: {_describe(e)}")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
