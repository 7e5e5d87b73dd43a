"""Measure gazetteer load time and find() throughput on the seed articles."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.gazetteer import Gazetteer  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_SENTENCE_END = re.compile(r"(?<=[.!?؟\n])\s+")


def main(rounds: int = 7, repeat: int = 5) -> None:
    """Print load time, then the best of several rounds of find() over every seed sentence (CPU time)."""
    started = time.process_time()
    gazetteer = Gazetteer.load()
    loaded = time.process_time() - started
    sentences = [s for path in sorted(SEEDS.glob("*.txt"))
                 for s in _SENTENCE_END.split(path.read_text(encoding="utf-8")) if s.strip()]
    chars = sum(len(s) for s in sentences)
    mentions = sum(len(gazetteer.find(s)) for s in sentences)
    with_place = sum(1 for s in sentences if gazetteer.find(s))
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(repeat):
            for sentence in sentences:
                gazetteer.find(sentence)
        best = min(best, (time.process_time() - started) / repeat)
    print(f"places: {len(gazetteer.places)}  load: {loaded:.2f} s")
    print(f"seed sentences: {len(sentences)} ({with_place} name a place)  characters: {chars}  mentions: {mentions}")
    print(f"find(), best of {rounds} rounds: {len(sentences) / best:,.0f} sentences/s  "
          f"{mentions / best:,.0f} mentions/s  {chars / best / 1e6:.2f} M chars/s  "
          f"({best / len(sentences) * 1e6:.0f} us/sentence)")


if __name__ == "__main__":
    main()
