"""Cost of date extraction per sentence and per article, against dateparser on the same spans.

    python bench/bench_dates.py [--repeat 20]

Sentences are the seed articles split at sentence punctuation and line breaks. `find_dates` is timed
on every sentence, `article_reference` on every article; dateparser 1.5 (locales=['ar-IQ']) is timed
on the spans find_dates found, which is the most it could be asked to do (it finds no spans itself).
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract.dates import Reference, article_reference, find_dates  # noqa: E402
from rasd.models import Article  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
GOAL_MS_PER_SENTENCE = 1.0


def seed_articles() -> list[Article]:
    """The seed articles with their catalogue dates."""
    with open(ROOT / "seeds" / "articles.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Article(
            file=r["file"],
            text=(ROOT / "seeds" / r["file"]).read_text(encoding="utf-8"),
            published=date.fromisoformat(r["published"]) if r["published"] else None,
        )
        for r in rows
    ]


def per_call_ms(fn, items, repeat: int) -> list[float]:
    """Milliseconds per call for each item, best of `repeat` rounds."""
    out = []
    for item in items:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            fn(item)
            best = min(best, time.perf_counter() - start)
        out.append(best * 1000)
    return out


def summary(label: str, values: list[float]) -> str:
    """One line: count, median, p95 and max in ms."""
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"{label:<34} n={len(values):>4}  median {statistics.median(values):6.3f} ms  "
            f"p95 {p95:6.3f} ms  max {ordered[-1]:6.3f} ms")


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    articles = seed_articles()
    reference = Reference(date(2022, 1, 5), "catalogue")
    start = time.perf_counter()
    find_dates("أمس", reference=reference)
    print(f"first call (table load, regex compile): {(time.perf_counter() - start) * 1000:.1f} ms")

    sentences = [s for a in articles for s in SENTENCE_END.split(a.text) if len(s.strip()) > 20]
    sentence_ms = per_call_ms(lambda s: find_dates(s, reference=reference), sentences, args.repeat)
    print(summary("find_dates per sentence", sentence_ms))
    mean_chars = statistics.mean(len(s) for s in sentences)
    print(f"{'':<34} mean sentence {mean_chars:.0f} chars; "
          f"{'ok' if statistics.median(sentence_ms) <= GOAL_MS_PER_SENTENCE else 'OVER GOAL'} "
          f"(goal median <= {GOAL_MS_PER_SENTENCE} ms)")
    print(summary("find_dates per whole article", per_call_ms(
        lambda a: find_dates(a.text, reference=reference), articles, args.repeat)))
    print(summary("article_reference per article", per_call_ms(article_reference, articles, args.repeat)))
    total_chars = sum(len(a.text) for a in articles)
    whole = sum(per_call_ms(lambda a: find_dates(a.text, reference=reference), articles, args.repeat))
    print(f"find_dates throughput: {total_chars / whole:.0f} chars/ms; "
          f"10,000 articles of the seeds' mean size: {whole / len(articles) * 10:.1f} s")

    import dateparser  # noqa: PLC0415 - only the comparison needs it

    spans = [m.text for s in sentences for m in find_dates(s, reference=reference)]
    settings = {"RELATIVE_BASE": datetime(2022, 1, 5), "PREFER_DATES_FROM": "past"}
    dateparser.parse("05 يناير 2022", locales=["ar-IQ"], settings=settings)
    parsed = sum(dateparser.parse(s, locales=["ar-IQ"], settings=settings) is not None for s in spans)
    dp_ms = per_call_ms(lambda s: dateparser.parse(s, locales=["ar-IQ"], settings=settings), spans, 3)
    print(summary("dateparser.parse per found span", dp_ms))
    print(f"{'':<34} dateparser parsed {parsed} of the {len(spans)} spans find_dates resolved")


if __name__ == "__main__":
    main()
