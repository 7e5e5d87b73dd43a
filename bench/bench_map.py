"""Map payload and speed: the app's map beside the naive one-Marker-per-event map, in the same run.

For each size (default 10,000 and 100,000 synthetic events over Iraq, 2019-2024, a store made by
bench/make_store.py and kept in bench/out/stores/):
- html: bytes of the map of every event in the store rendered as a standalone page;
- build / render: seconds to build the folium map from the store's events frame, and for
  `m.get_root().render()`;
- first / rerun / filter: full page runs under Streamlit's AppTest with $RASD_DB pointing at the store:
  `app.py` itself (the map page users open) and bench/baseline_app.py `?layer=naive`: the first run
  (includes reading the store), a plain rerun, and a rerun after a weapon filter change (all weapons -> all
  but rockets; Rasd's sidebar filter, the naive page's multiselect).
Goals: at 10k the HTML is at most 1/20 of the naive app's and reruns are at least 10x faster; a filter change
reruns in at most 0.3 s at 100k and 2 s at 1M, and the first page takes at most 3 s at 100k. The naive app takes minutes at 100k and is skipped there
unless --naive-100k is given (the output says so). Time in a browser is bench/bench_browser.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from baseline_app import naive_map  # noqa: E402
from make_store import cached_store  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from rasd.views.mapview import build_map  # noqa: E402
from rasd.store import Store  # noqa: E402
from rasd.vocab import WEAPONS  # noqa: E402

ROOT = BENCH.parent
# The app users run, and the naive baseline; each with the query it opens and the key of its weapon filter.
APPS = {"rasd": (ROOT / "app.py", {}, "sb.weapon"),
        "naive": (BENCH / "baseline_app.py", {"layer": "naive"}, "weapons")}
BUILDERS = {"rasd": build_map, "naive": naive_map}
FILTERED = [w for w in WEAPONS if w != "rocket"]
HTML_GOAL = 20
RERUN_GOAL = 10
# Issue 8's goals for the app users run: a filter change, and the first page, per store size (seconds).
FILTER_GOALS_S = {100_000: 0.3, 1_000_000: 2.0}
FIRST_GOALS_S = {100_000: 3.0}


@dataclass(slots=True)
class Row:
    """One app at one size."""

    n: int
    app: str
    html_bytes: int | None = None
    build_s: float | None = None
    render_s: float | None = None
    first_run_s: float | None = None
    rerun_s: float | None = None
    filter_rerun_s: float | None = None
    note: str = ""


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def measure_server(row: Row, db: Path) -> None:
    """HTML bytes, build and render time of the folium map of the store's events."""
    events = Store(db, create=False).events_frame()
    m, row.build_s = _timed(lambda: BUILDERS[row.app](events))
    html, row.render_s = _timed(lambda: m.get_root().render())
    row.html_bytes = len(html.encode("utf-8"))


def measure_page(row: Row, db: Path, *, timeout: float) -> None:
    """First run, plain rerun and filter-change rerun of the app on the store under AppTest."""
    script, query, weapon_key = APPS[row.app]
    os.environ["RASD_DB"] = str(db)
    at = AppTest.from_file(str(script), default_timeout=timeout)
    at.query_params.update(query)
    _, row.first_run_s = _timed(at.run)
    if at.exception:
        raise RuntimeError(f"{row.app} app failed: {at.exception[0].message}")
    _, row.rerun_s = _timed(at.run)
    _, row.filter_rerun_s = _timed(lambda: at.multiselect(key=weapon_key).set_value(FILTERED).run())
    if at.exception:
        raise RuntimeError(f"{row.app} app failed after the filter change: {at.exception[0].message}")


def _fmt(value: float | int | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.0f} kB"
    return f"{value:.2f} s"


def print_table(rows: list[Row]) -> None:
    """The measurements, one line per app and size."""
    header = ("events", "app", "html", "build", "render", "first run", "rerun", "filter rerun")
    lines = [header] + [
        (f"{r.n:,}", r.app, _fmt(r.html_bytes, "bytes"), _fmt(r.build_s, "s"), _fmt(r.render_s, "s"),
         _fmt(r.first_run_s, "s"), _fmt(r.rerun_s, "s"), _fmt(r.filter_rerun_s, "s"))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths)))
    for r in rows:
        if r.note:
            print(f"note: {r.n:,} events, {r.app}: {r.note}")


def _verdict(ok: bool, n: int, goal_n: int) -> str:
    if n != goal_n:
        return f"goal set at {goal_n:,}"
    return "meets the goal" if ok else "MISSES the goal"


def print_ratios(rows: list[Row]) -> None:
    """Naive/Rasd ratios per size, against the goals."""
    by = {(r.n, r.app): r for r in rows}
    for n in sorted({r.n for r in rows}):
        rasd, naive = by.get((n, "rasd")), by.get((n, "naive"))
        if rasd is None:
            continue
        if naive is not None and naive.html_bytes:
            html = naive.html_bytes / rasd.html_bytes
            render = naive.render_s / rasd.render_s
            print(f"{n:,} events: HTML naive/rasd = {html:.1f}x (goal >= {HTML_GOAL}x: "
                  f"{_verdict(html >= HTML_GOAL, n, 10_000)}); render naive/rasd = {render:.0f}x")
        if naive is not None and naive.rerun_s:
            rerun = naive.rerun_s / rasd.rerun_s
            filtered = naive.filter_rerun_s / rasd.filter_rerun_s
            print(f"{n:,} events: rerun naive/rasd = {rerun:.1f}x, filter rerun naive/rasd = {filtered:.1f}x "
                  f"(goal >= {RERUN_GOAL}x: {_verdict(min(rerun, filtered) >= RERUN_GOAL, n, 10_000)})")
        if rasd.filter_rerun_s is not None and n in FILTER_GOALS_S:
            goal = FILTER_GOALS_S[n]
            print(f"{n:,} events: rasd filter rerun {rasd.filter_rerun_s:.2f} s "
                  f"(goal <= {goal:g} s: {_verdict(rasd.filter_rerun_s <= goal, n, n)})")
        if rasd.first_run_s is not None and n in FIRST_GOALS_S:
            goal = FIRST_GOALS_S[n]
            print(f"{n:,} events: rasd first page {rasd.first_run_s:.2f} s "
                  f"(goal <= {goal:g} s: {_verdict(rasd.first_run_s <= goal, n, n)})")


def main(argv: list[str] | None = None) -> int:
    """Measure both apps at each size, print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--naive-100k", action="store_true", help="also run the naive app at 100k and more")
    parser.add_argument("--no-page", action="store_true", help="skip the AppTest page runs")
    parser.add_argument("--timeout", type=float, default=1800, help="AppTest timeout per run, seconds")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    rows: list[Row] = []
    for n in args.sizes:
        db = cached_store(n)
        for app in ("rasd", "naive"):
            row = Row(n=n, app=app)
            rows.append(row)
            if app == "naive" and n >= 100_000 and not args.naive_100k:
                row.note = ("skipped: one folium.Marker per event takes minutes to render at this size "
                            "(run with --naive-100k to measure it)")
                continue
            print(f"measuring {app} at {n:,} events ...", file=sys.stderr, flush=True)
            measure_server(row, db)
            if not args.no_page:
                measure_page(row, db, timeout=args.timeout)
    print_table(rows)
    print_ratios(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
