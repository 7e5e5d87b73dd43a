"""Extraction and ingest throughput on the seed articles replicated to 1,000 and 10,000 articles.

    python bench/bench_extract.py [--sizes 1000 10000] [--read-events 100000]
    python bench/bench_extract.py --sizes --read-events 100000    # baseline and store reads only
    python bench/bench_extract.py --sizes --article-bytes 100000 1000000 5000000   # one huge article only

Copies differ only in their file name. `extract_events` (extraction + merging) and `Store.ingest`
(extraction, SQLite writes, event rebuild) are timed separately for a 100-article baseline and each
size; the time ratio between the largest and the smallest size shows whether the cost grows linearly.
--article-bytes times `extract_article` on one article made of a seed sentence repeated to each size
(the sizes' time growth per 10x of text is printed; linear is 10x).
With --read-events N, a store of N synthetic events (bench/make_store.py) is made and the app's reads are timed.
"""

from __future__ import annotations

import argparse
import math
import dataclasses
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_store import make_store  # noqa: E402

from rasd.articles import load_articles  # noqa: E402
from rasd.extract.merging import merge_events  # noqa: E402
from rasd.extract.extraction import extract_article, extract_events  # noqa: E402
from rasd.models import Article, Event  # noqa: E402
from rasd.store import Store  # noqa: E402

BASELINE = 100
# Linear growth with 10% slack: 10x the articles may take at most 11x the time.
GOAL_SLACK = 1.1


def replicate(articles: list[Article], n: int) -> list[Article]:
    """n copies of the articles in turn, each under its own file name."""
    return [
        dataclasses.replace(articles[i % len(articles)], file=f"{i:06d}_{articles[i % len(articles)].file}")
        for i in range(n)
    ]


def timed(fn):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def replicate_events(per_article: dict[str, list[Event]], copies: list[Article]) -> list[Event]:
    """The per-article events of each copy, without extracting again: what merge_events sees."""
    out = []
    for copy in copies:
        original = copy.file.split("_", 1)[1]
        for event in per_article[original]:
            sources = [dataclasses.replace(s, article=copy.file) for s in event.sources]
            out.append(dataclasses.replace(event, sources=sources))
    return out


def bench_extract(seeds: list[Article], sizes: list[int]) -> None:
    """Print the throughput table and the largest/smallest time ratios."""
    warm, _ = timed(lambda: extract_events(seeds))
    per_article = {a.file: extract_article(a) for a in seeds}
    print(f"warm-up (gazetteer, lexicon, first extraction of {len(seeds)} seeds): {warm:.2f} s")
    print("merge s: merge_events alone on the copies' per-article events (part of both other timings)")
    print()
    header = (f"{'articles':>9} | {'extract s':>9} | {'art/s':>7} | {'events':>6} | {'merge s':>7} | "
              f"{'ingest s':>8} | {'art/s':>7}")
    print(header)
    print("-" * len(header))
    rows = {}
    for n in [BASELINE, *sizes]:
        copies = replicate(seeds, n)
        t_extract, events = timed(lambda: extract_events(copies))
        mentions = replicate_events(per_article, copies)
        t_merge, _ = timed(lambda: merge_events(mentions))
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "bench.sqlite")
            t_ingest, report = timed(lambda: store.ingest(copies))
        rows[n] = (t_extract, t_ingest, t_merge)
        print(f"{n:>9} | {t_extract:>9.2f} | {n / t_extract:>7.0f} | {len(events):>6} | {t_merge:>7.2f} | "
              f"{t_ingest:>8.2f} | {n / t_ingest:>7.0f}", flush=True)
        assert report.events == len(events)
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        goal = GOAL_SLACK * large / small
        print()
        for i, label in enumerate(("extract_events", "Store.ingest", "merge_events")):
            ratio = rows[large][i] / rows[small][i]
            print(f"{label}: {large}/{small} time ratio {ratio:.1f}x (goal <= {goal:.0f}x) "
                  f"{'ok' if ratio <= goal else 'OVER GOAL'}")


def bench_article_size(seeds: list[Article], sizes: list[int]) -> None:
    """Time one article of each size made of one attack sentence repeated, and the growth per 10x."""
    text = next(a.text for a in seeds if "عين الأسد" in a.text)
    sentence = next(s.strip() for s in text.split(".") if "عين الأسد" in s) + ". "
    print()
    print(f"one article of a {len(sentence.encode())}-byte seed sentence repeated")
    print(f"{'bytes':>10} | {'repeats':>8} | {'extract s':>9} | {'MB/s':>6} | events")
    times = {}
    for size in sizes:
        repeats = max(1, size // len(sentence.encode()))
        article = Article(file="huge.txt", text=sentence * repeats, published=date(2022, 1, 5))
        seconds, events = timed(lambda: extract_article(article))
        times[size] = seconds
        print(f"{size:>10} | {repeats:>8} | {seconds:>9.2f} | {size / 1e6 / seconds:>6.2f} | {len(events)}", flush=True)
    ordered = sorted(times)
    for small, large in zip(ordered, ordered[1:]):
        exponent = math.log(times[large] / times[small]) / math.log(large / small)
        print(f"{small} -> {large} bytes: time x{times[large] / times[small]:.1f} for text x{large / small:.0f}, "
              f"i.e. x{10 ** exponent:.1f} per 10x of text (goal <= 12x)")


def bench_reads(n_events: int) -> None:
    """Make a store of n synthetic events (bench/make_store.py) and time every read the app makes."""
    with tempfile.TemporaryDirectory() as tmp:
        t_write, store = timed(lambda: make_store(Path(tmp) / "reads.sqlite", n_events))
        middle = store.events_frame()["id"].iloc[n_events // 2] if n_events else ""
        print()
        print(f"store reads with {n_events} synthetic events (make_store {t_write:.2f} s)")
        for label, fn in [
            ("events_frame()", store.events_frame),
            ("sources_frame()", store.sources_frame),
            ("articles_frame()", store.articles_frame),
            ("counts()", store.counts),
            ("event(id)", lambda: store.event(middle)),
            ("events()", store.events),
        ]:
            seconds, _ = timed(fn)
            print(f"  {label:<18} {seconds:6.3f} s")


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000],
                        help="article counts after the 100-article baseline (none: baseline only)")
    parser.add_argument("--read-events", type=int, default=0, help="also time store reads with this many events")
    parser.add_argument("--article-bytes", type=int, nargs="*", default=[100_000, 1_000_000, 5_000_000],
                        help="sizes of the one-article test (none: skip it)")
    args = parser.parse_args()
    loaded = load_articles([ROOT / "seeds"])
    bench_extract(loaded.articles, sorted(args.sizes))
    if args.article_bytes:
        bench_article_size(loaded.articles, sorted(args.article_bytes))
    if args.read_events:
        bench_reads(args.read_events)


if __name__ == "__main__":
    main()
