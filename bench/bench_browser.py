"""Browser timing: seconds until the map's markers are visible in headless Chromium, Rasd beside the naive map.

For each size (default 1,000 and 10,000 synthetic events from rasd.synthetic), `streamlit run` serves
bench/rasd_app.py and bench/naive_app.py (both read `?n=`); a fresh browser context opens `/?n=N` and the
clock runs from the navigation to
- first: the first marker (Rasd: a symbol or a cluster; naive: a Leaflet marker) is visible in the st_folium
  iframe;
- all: every event is on the map (Rasd: single symbols plus the numbers on the clusters add up to n; naive:
  n marker elements).
One untimed load per app and size warms the server (the synthetic frame is cached); the median of --repeat
timed loads is printed. Offline like the tests: Rasd serves its own Leaflet; the naive map's CDN files are
answered with the same local copies (Leaflet, jQuery, marker images), its other CDN scripts and styles with
empty files, and its tiles are aborted, so neither side waits on a network.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))

from e2e_support import (  # noqa: E402
    MAP_IFRAME,
    OfflineGuard,
    StreamlitServer,
    launch_chromium,
    start_streamlit,
)
from playwright.sync_api import Browser, Route, sync_playwright  # noqa: E402

from rasd.offline import VENDOR_DIR, install_assets  # noqa: E402

APPS = {"rasd": BENCH / "rasd_app.py", "naive": BENCH / "naive_app.py"}
FIRST = {"rasd": ".leaflet-marker-pane .rasd-icon, .leaflet-marker-pane .rasd-cluster",
         "naive": ".leaflet-marker-pane .leaflet-marker-icon"}
ON_MAP = {
    "rasd": """() => {
        const pane = document.querySelector(".leaflet-marker-pane");
        if (!pane) { return 0; }
        return pane.querySelectorAll(".rasd-icon").length
            + [...pane.querySelectorAll(".rasd-cluster span")].reduce((n, s) => n + Number(s.textContent), 0);
    }""",
    "naive": """() => document.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon").length""",
}
VIEWPORT = {"width": 1440, "height": 900}
# CDN file names of folium's defaults -> the local copy (relative to bench/static/vendor).
LOCAL_COPIES = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "jquery-3.7.1.min.js": "jquery/jquery.min.js",
    **{name: f"leaflet/images/{name}" for name in
       ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png", "layers.png", "layers-2x.png")},
}
CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}
EMPTY_KINDS = {"script": "application/javascript", "stylesheet": "text/css"}


@dataclass(slots=True)
class Timing:
    """One app at one size: the timed loads in seconds."""

    n: int
    app: str
    first_s: list[float] = field(default_factory=list)
    all_s: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def first(self) -> float | None:
        """Median seconds to the first visible marker."""
        return statistics.median(self.first_s) if self.first_s else None

    @property
    def all(self) -> float | None:
        """Median seconds until every event is on the map."""
        return statistics.median(self.all_s) if self.all_s else None


class CdnStandIn:
    """Answers the naive map's CDN requests from the local copies, so it is timed without a network."""

    def __init__(self, vendor: Path) -> None:
        self.vendor = vendor

    def __call__(self, route: Route) -> bool:
        request = route.request
        name = urlsplit(request.url).path.rsplit("/", 1)[-1]
        local = LOCAL_COPIES.get(name)
        if local is not None:
            path = self.vendor / local
            route.fulfill(status=200, path=str(path), content_type=CONTENT_TYPES.get(path.suffix, "text/plain"))
            return True
        if request.resource_type in EMPTY_KINDS:
            route.fulfill(status=200, body="", content_type=EMPTY_KINDS[request.resource_type])
            return True
        return False


def load_once(browser: Browser, server: StreamlitServer, app: str, n: int, *, timeout_s: float,
              stand_in: CdnStandIn) -> tuple[float, float, OfflineGuard]:
    """Open /?n=N in a fresh context; seconds to the first visible marker and to all n events on the map."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        guard = OfflineGuard(substitute=stand_in if app == "naive" else None).install(page)
        timeout_ms = timeout_s * 1000
        start = time.perf_counter()
        page.goto(f"{server.url}/?n={n}", wait_until="commit", timeout=timeout_ms)
        frame = page.frame_locator(MAP_IFRAME)
        frame.locator(FIRST[app]).first.wait_for(state="visible", timeout=timeout_ms)
        first = time.perf_counter() - start
        handle = page.locator(MAP_IFRAME).element_handle(timeout=timeout_ms)
        content = handle.content_frame() if handle else None
        if content is None:
            raise RuntimeError("the st_folium iframe has no document")
        content.wait_for_function(f"() => ({ON_MAP[app]})() >= {n}", timeout=timeout_ms, polling=100)
        return first, time.perf_counter() - start, guard
    finally:
        context.close()


def measure(browser: Browser, server: StreamlitServer, timing: Timing, *, repeat: int, timeout_s: float,
            stand_in: CdnStandIn) -> None:
    """One warm-up load, then `repeat` timed loads."""
    _, _, guard = load_once(browser, server, timing.app, timing.n, timeout_s=timeout_s, stand_in=stand_in)
    if timing.app == "rasd" and guard.aborted:
        timing.note = f"requests that left localhost: {guard.aborted}"
    for _ in range(repeat):
        first, every, _ = load_once(browser, server, timing.app, timing.n, timeout_s=timeout_s, stand_in=stand_in)
        timing.first_s.append(first)
        timing.all_s.append(every)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_table(timings: list[Timing]) -> None:
    """Median seconds per app and size, then the naive/Rasd ratios."""
    header = ("events", "app", "first marker s", "all on map s", "runs")
    lines = [header] + [(f"{t.n:,}", t.app, _fmt(t.first), _fmt(t.all), str(len(t.all_s))) for t in timings]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths)))
    by = {(t.n, t.app): t for t in timings}
    for n in sorted({t.n for t in timings}):
        rasd, naive = by.get((n, "rasd")), by.get((n, "naive"))
        if rasd and naive and rasd.first and naive.first and rasd.all and naive.all:
            print(f"{n:,} events: naive/rasd = {naive.first / rasd.first:.1f}x to the first marker, "
                  f"{naive.all / rasd.all:.1f}x until all are on the map")
    for t in timings:
        if t.note:
            print(f"note: {t.n:,} events, {t.app}: {t.note}")


def main(argv: list[str] | None = None) -> int:
    """Serve each bench app, time the loads at each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed loads per app and size (median shown)")
    parser.add_argument("--naive-max", type=int, default=10_000,
                        help="skip the naive map above this many events (it takes minutes)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per page load")
    parser.add_argument("--json", type=Path, help="also write the timings to this JSON file")
    args = parser.parse_args(argv)

    vendor = install_assets(BENCH / "static")
    assert vendor.name == VENDOR_DIR
    stand_in = CdnStandIn(vendor)
    timings = [Timing(n=n, app=app) for app in APPS for n in args.sizes]
    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for app in APPS:
                server = start_streamlit(APPS[app], log=out / f"browser-{app}.log")
                try:
                    for timing in (t for t in timings if t.app == app):
                        if app == "naive" and timing.n > args.naive_max:
                            timing.note = f"skipped: above --naive-max {args.naive_max:,}"
                            continue
                        print(f"timing {app} at {timing.n:,} events ...", file=sys.stderr, flush=True)
                        measure(browser, server, timing, repeat=args.repeat, timeout_s=args.timeout,
                                stand_in=stand_in)
                finally:
                    server.stop()
        finally:
            browser.close()
    timings.sort(key=lambda t: (t.n, t.app != "rasd"))
    print_table(timings)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        rows = [{**asdict(t), "first_median_s": t.first, "all_median_s": t.all} for t in timings]
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
