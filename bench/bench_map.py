"""Map payload and speed: Rasd's map beside the naive one-Marker-per-event app, in the same run.

For each size (default 10,000 and 100,000 synthetic events over Iraq, 2019-2024, from rasd.synthetic):
- html: bytes of the map rendered as a standalone page;
- build / render: seconds to build the folium map from the frame, and for `m.get_root().render()`;
- first / rerun / filter: full page runs under Streamlit's AppTest of bench/rasd_app.py and
  bench/naive_app.py (the frame is built once through st.cache_resource, the map drawn with st_folium):
  the first run (includes building the frame), a plain rerun, and a rerun after a weapon filter change
  (all weapons -> all but rockets).
Goals: at 10k the HTML is at most 1/20 of the naive app's and reruns are at least 10x faster; at 100k a
filter change reruns in under a second. The naive app takes minutes at 100k and is skipped there
unless --naive-100k is given (the output says so).

Browser timing (time until markers are visible in headless Chromium, for 1,000 and 10,000 events) is
not measured here. It plugs in as one more function returning `Row`s, called from `main()`: both apps
read `?n=`, so a driver can serve `bench/rasd_app.py` or `bench/naive_app.py` with `streamlit run`, open
`/?n=1000`, and wait inside `iframe[title="streamlit_folium.st_folium"]` for `.rasd-icon, .rasd-cluster`
(Rasd) or `.leaflet-marker-icon` (naive); `Row` has a `browser_s` field for it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from naive_app import naive_map  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from rasd.mapview import build_map  # noqa: E402
from rasd.synthetic import fake_events_frame  # noqa: E402
from rasd.vocab import WEAPONS  # noqa: E402

APPS = {"rasd": BENCH / "rasd_app.py", "naive": BENCH / "naive_app.py"}
BUILDERS = {"rasd": build_map, "naive": naive_map}
FILTERED = [w for w in WEAPONS if w != "rocket"]
HTML_GOAL = 20
RERUN_GOAL = 10
FILTER_GOAL_S = 1.0


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
    browser_s: float | None = None
    note: str = ""


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def measure_server(row: Row) -> None:
    """HTML bytes, build and render time of the folium map for row.n events."""
    events = fake_events_frame(row.n)
    m, row.build_s = _timed(lambda: BUILDERS[row.app](events))
    html, row.render_s = _timed(lambda: m.get_root().render())
    row.html_bytes = len(html.encode("utf-8"))


def measure_page(row: Row, *, timeout: float) -> None:
    """First run, plain rerun and filter-change rerun of the bench app under AppTest."""
    at = AppTest.from_file(str(APPS[row.app]), default_timeout=timeout)
    at.query_params["n"] = str(row.n)
    _, row.first_run_s = _timed(at.run)
    if at.exception:
        raise RuntimeError(f"{row.app} app failed: {at.exception[0].message}")
    _, row.rerun_s = _timed(at.run)
    _, row.filter_rerun_s = _timed(lambda: at.multiselect(key="weapons").set_value(FILTERED).run())
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
    header = ("events", "app", "html", "build", "render", "first run", "rerun", "filter rerun", "browser")
    lines = [header] + [
        (f"{r.n:,}", r.app, _fmt(r.html_bytes, "bytes"), _fmt(r.build_s, "s"), _fmt(r.render_s, "s"),
         _fmt(r.first_run_s, "s"), _fmt(r.rerun_s, "s"), _fmt(r.filter_rerun_s, "s"), _fmt(r.browser_s, "s"))
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
        if rasd.filter_rerun_s is not None:
            ok = rasd.filter_rerun_s < FILTER_GOAL_S
            print(f"{n:,} events: rasd filter rerun {rasd.filter_rerun_s:.2f} s "
                  f"(goal < {FILTER_GOAL_S:.0f} s: {_verdict(ok, n, 100_000)})")


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
        for app in ("rasd", "naive"):
            row = Row(n=n, app=app)
            rows.append(row)
            if app == "naive" and n >= 100_000 and not args.naive_100k:
                row.note = ("skipped: one folium.Marker per event takes minutes to render at this size "
                            "(run with --naive-100k to measure it)")
                continue
            print(f"measuring {app} at {n:,} events ...", file=sys.stderr, flush=True)
            measure_server(row)
            if not args.no_page:
                measure_page(row, timeout=args.timeout)
    print_table(rows)
    print_ratios(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
