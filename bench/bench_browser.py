"""The app users run, in headless Chromium: seconds until its map's markers show, beside folium's own layers.

    python bench/bench_browser.py [--sizes 10000 100000 1000000] [--repeat 2] [--geojson-max 100000] [--json FILE]

For each size (default 10,000 and 100,000) bench/make_store.py makes a synthetic store (kept in
bench/out/stores/ for the next run) and both apps read it through $RASD_DB:
- rasd: `streamlit run app.py`, the app itself, at `/` (the map page, every filter open);
- FastMarkerCluster, FastMarkerCluster + popups, GeoJson + MarkerCluster: bench/baseline_app.py `?layer=`,
  folium's stock layers on the same events, with the same local Leaflet and MarkerCluster files (GeoJson is
  quadratic in MarkerCluster as folium adds it, and skipped above --geojson-max).
A fresh browser context opens the page; the clock runs from the navigation (the page's performance.now()) to
- iframe: the st_folium iframe is in the page (the server ran the script and sent the map);
- first: the first marker or cluster in the map's marker pane has a size;
- all: every event is in the cluster: its count reached the number of located events in the store (and
  for Rasd the cluster has fired `rasdloaded`; a `rasdloaded` that comes before the count is complete is
  reported in a note).
The first rasd load after the server starts is reported as `cold` (it reads the store); one untimed load
warms the baseline server; then --repeat rounds, each loading every map once with both servers up, so a
machine that slows down for a while slows every map alike (the medians are printed, every run in the JSON,
and the median of each round's own rasd/FastMarkerCluster ratio). Then, on a loaded rasd page, the weapon filter is set to drone in the sidebar and timed from the
click: the script run (Streamlit's script state back to not running), the new map iframe, its first marker
and all its markers. Everything is offline: requests leaving localhost are aborted (and reported).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(BENCH))

from e2e_support import (  # noqa: E402
    MAP_IFRAME,
    OfflineGuard,
    StreamlitServer,
    launch_chromium,
    start_streamlit,
)
from make_store import cached_store  # noqa: E402
from playwright.sync_api import Browser, Error as PlaywrightError, Page  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from rasd.views.i18n import label, t  # noqa: E402

RASD = "rasd"
# Baseline layer of bench/baseline_app.py -> the name printed.
BASELINES = {"fast": "FastMarkerCluster", "fast_popups": "FastMarkerCluster+popups", "geojson": "GeoJson+MarkerCluster"}
REFERENCE = "FastMarkerCluster"
FILTER_WEAPON = "drone"
VIEWPORT = {"width": 1440, "height": 900}
# Clicking and finding widgets is quick or broken: never the full load timeout.
UI_TIMEOUT_MS = 30_000
# Baselines at a million events send maps over Streamlit's default 200 MB message limit.
BASELINE_ENV = {"STREAMLIT_SERVER_MAX_MESSAGE_SIZE": "4000"}

# Runs in the page (not in its frames) from the start: every 50 ms it looks into the st_folium iframe (same
# origin) and stamps, in ms of performance.now(), when the iframe is there, when a marker has a size and
# when the cluster holds every event; it also stamps Streamlit's script state changes and an armed click.
PROBE = """(() => {
    if (window.top !== window) { return; }
    const b = window.__bench = {expected: __EXPECTED__, iframe: null, first: null, all: null, count: null,
                                lastCount: null, early: null, rasd: null, armed: false, click: null, states: []};
    let observed = null;
    function cluster(w) {
        const layers = w && w.map && w.map._layers;
        if (!layers) { return null; }
        for (const k in layers) { if (layers[k] && layers[k]._topClusterLevel) { return layers[k]; } }
        return null;
    }
    function tick() {
        const now = performance.now();
        const app = document.querySelector('[data-testid="stApp"]');
        if (app && app !== observed) {
            observed = app;
            new MutationObserver(() => {
                b.states.push([app.dataset.testScriptState, performance.now()]);
            }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
        }
        for (const f of document.querySelectorAll('__IFRAME__')) {
            if (f.__benchOld) { continue; }
            if (b.iframe === null) { b.iframe = now; }
            const doc = f.contentDocument, w = f.contentWindow;
            if (!doc) { continue; }
            if (b.first === null) {
                const m = doc.querySelector(".leaflet-marker-pane .leaflet-marker-icon");
                if (m) { const r = m.getBoundingClientRect(); if (r.width > 0 && r.height > 0) { b.first = now; } }
            }
            if (b.all === null) {
                const c = cluster(w);
                if (!c) { continue; }
                const isRasd = typeof c.rasdLatLngs === "function";
                const count = b.lastCount = c._topClusterLevel.getChildCount();
                // Rasd's cluster says when it is loaded; the count must agree (see `early`).
                if (isRasd && c.rasdLoaded === true && count < b.expected && b.early === null) { b.early = count; }
                if (count >= b.expected && (!isRasd || c.rasdLoaded === true)) {
                    b.all = now; b.count = count; b.rasd = isRasd;
                }
            }
        }
    }
    window.addEventListener("pointerdown", () => {
        if (b.armed) { b.click = performance.now(); b.armed = false; }
    }, true);
    setInterval(tick, 50);
})();"""
ARM = """(expected) => {
    const b = window.__bench;
    document.querySelectorAll('__IFRAME__').forEach(f => { f.__benchOld = true; });
    Object.assign(b, {expected: expected, iframe: null, first: null, all: null, count: null, lastCount: null,
                      early: null, rasd: null, click: null, states: [], armed: true});
}"""
DONE = "() => window.__bench && window.__bench.all !== null"


class BenchError(RuntimeError):
    """A load that failed: a script error in the page, or not every event on the map in time."""


@dataclass(slots=True)
class Timing:
    """One map at one size: seconds of each timed load."""

    n: int
    map: str
    cold: dict[str, float | None] = field(default_factory=dict)
    iframe_s: list[float] = field(default_factory=list)
    first_s: list[float] = field(default_factory=list)
    all_s: list[float] = field(default_factory=list)
    markers: int | None = None
    # Resident memory of the server process and what each extra open session added (rasd only).
    server_mb: float | None = None
    session_mb: float | None = None
    note: str = ""

    @staticmethod
    def median(values: list[float]) -> float | None:
        """The median, or None without runs."""
        return statistics.median(values) if values else None


@dataclass(slots=True)
class FilterTiming:
    """A filter change on a loaded rasd page, seconds from the click."""

    n: int
    shown: int
    script_s: float | None = None
    iframe_s: float | None = None
    first_s: float | None = None
    all_s: float | None = None
    markers: int | None = None
    note: str = ""


def _seconds(stamp: float | None, since: float = 0.0) -> float | None:
    return None if stamp is None else (stamp - since) / 1000


def count_events(db: Path, *, weapon: str | None = None) -> int:
    """Located public events in the store (of one weapon if given): the markers a map must hold."""
    sql = "SELECT count(*) FROM events WHERE review != 'rejected' AND lat IS NOT NULL AND lon IS NOT NULL"
    with sqlite3.connect(db) as conn:
        if weapon is None:
            return conn.execute(sql).fetchone()[0]
        return conn.execute(f"{sql} AND weapon = ?", (weapon,)).fetchone()[0]


def open_map(browser: Browser, url: str, expected: int, *, timeout_s: float) -> tuple[Page, dict, OfflineGuard]:
    """A fresh context on url, waited on until every event is on the map; the page (still open) and its stamps."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE.replace("__EXPECTED__", str(int(expected))).replace("__IFRAME__", MAP_IFRAME))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        guard = OfflineGuard().install(page)
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        wait_done(page, errors, timeout_s=timeout_s)
        return page, page.evaluate("() => window.__bench"), guard
    except BaseException:
        context.close()
        raise


def wait_done(page: Page, errors: list[str], *, timeout_s: float) -> None:
    """Wait until the probe saw every event on the map; BenchError on a script error in the page or its map."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            page.wait_for_function(DONE, timeout=1000, polling=250)
            return
        except PlaywrightTimeoutError:
            pass
        if errors:
            raise BenchError(f"script error in the page: {errors[0][:200]}")
        if time.monotonic() > deadline:
            seen = page.evaluate("() => window.__bench && window.__bench.lastCount")
            raise BenchError(f"not every event was on the map after {timeout_s:.0f} s (the cluster held {seen})")


def _problems(stamps: dict, expected: int) -> str:
    """What a load's stamps say went wrong: a cluster count unlike the store's, a rasdloaded come too early."""
    found = []
    if stamps["count"] != expected:
        found.append(f"the cluster holds {stamps['count']:,} events, the store {expected:,}")
    if stamps["early"] is not None:
        found.append(f"rasdloaded fired with {stamps['early']:,} of {expected:,} events in the cluster")
    return "; ".join(found)


def record(timing: Timing, stamps: dict, expected: int) -> None:
    """Add one load's seconds to timing, and note a cluster that holds the wrong number of events."""
    for values, key in ((timing.iframe_s, "iframe"), (timing.first_s, "first"), (timing.all_s, "all")):
        if stamps[key] is None:
            timing.note = f"a load never stamped {key!r}"
        else:
            values.append(_seconds(stamps[key]))
    timing.markers = stamps["count"]
    timing.note = _problems(stamps, expected) or timing.note


def timed_load(browser: Browser, server: StreamlitServer, path: str, timing: Timing, expected: int, *,
               timeout_s: float) -> bool:
    """One timed load of server.url + path into timing; False (with a note) when it failed."""
    try:
        page, stamps, guard = open_map(browser, f"{server.url}{path}", expected, timeout_s=timeout_s)
    except (PlaywrightError, BenchError) as e:
        timing.note = f"run {len(timing.all_s) + 1} failed: {str(e).splitlines()[0][:120]}"
        return False
    record(timing, stamps, expected)
    if guard.aborted:
        timing.note = f"requests that left localhost were aborted: {guard.aborted[:3]}"
    page.context.close()
    return True


EXTRA_SESSIONS = 3


def rss_mb(pid: int) -> float:
    """Resident memory of a process (the Streamlit server is one process), in MB."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    return total / 1024


def session_memory(browser: Browser, server: StreamlitServer, timing: Timing, expected: int, *,
                   timeout_s: float) -> None:
    """Server memory with one session open, then what each of EXTRA_SESSIONS more sessions (each with its map
    loaded, all left open) added on average."""
    one, _, _ = open_map(browser, f"{server.url}/", expected, timeout_s=timeout_s)
    pages = [one]
    try:
        before = rss_mb(server.process.pid)
        for _ in range(EXTRA_SESSIONS):
            pages.append(open_map(browser, f"{server.url}/", expected, timeout_s=timeout_s)[0])
        after = rss_mb(server.process.pid)
        timing.server_mb, timing.session_mb = before, (after - before) / EXTRA_SESSIONS
    finally:
        for page in pages:
            page.context.close()


def change_filter(page: Page, db: Path, n: int, *, timeout_s: float) -> FilterTiming:
    """Pick the drone weapon in the sidebar of a loaded rasd page; seconds from the click to the new map."""
    expected = count_events(db, weapon=FILTER_WEAPON)
    result = FilterTiming(n=n, shown=expected)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text=t("filter.weapon", "en"))
        box.locator("input").click(timeout=UI_TIMEOUT_MS)
        option = page.locator('[role="option"]').filter(has_text=label("weapon", FILTER_WEAPON, "en")).first
        option.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
        page.evaluate(ARM.replace("__IFRAME__", MAP_IFRAME), expected)
        option.click(timeout=UI_TIMEOUT_MS)
        wait_done(page, errors, timeout_s=timeout_s)
        # The script run that the click started ends soon after the map is sent, if it has not already.
        page.wait_for_function(
            """() => { const s = window.__bench.states; const i = s.findIndex(x => x[0] === "running");
                       return i >= 0 && s.slice(i).some(x => x[0] === "notRunning"); }""",
            timeout=UI_TIMEOUT_MS, polling=100)
        stamps = page.evaluate("() => window.__bench")
    except (PlaywrightError, BenchError) as e:
        result.note = f"failed: {str(e).splitlines()[0][:120]}"
        return result
    click = stamps["click"]
    states = [(s, at) for s, at in stamps["states"] if at >= click]
    started = next((i for i, (s, _) in enumerate(states) if s == "running"), None)
    ended = next((at for s, at in states[started:] if s == "notRunning"), None) if started is not None else None
    result.script_s = _seconds(ended, click)
    result.iframe_s = _seconds(stamps["iframe"], click)
    result.first_s = _seconds(stamps["first"], click)
    result.all_s = _seconds(stamps["all"], click)
    result.markers = stamps["count"]
    result.note = _problems(stamps, expected)
    return result


def bench_size(browser: Browser, db: Path, n: int, *, repeat: int, timeout_s: float, out: Path, layers: list[str],
               geojson_max: int) -> tuple[list[Timing], FilterTiming | None]:
    """Rasd and each stock layer on one store, both servers up at once and their timed loads taken in turns.

    Rasd's cold load comes first and the baseline server gets one untimed load; then each of the `repeat` rounds
    loads every map once, so a machine that slows down for a while slows every map alike. Then a filter change
    on a loaded Rasd page, and the server memory per extra session.
    """
    expected = count_events(db)
    rasd = Timing(n=n, map=RASD)
    timings = [rasd]
    rasd_server = start_streamlit(ROOT / "app.py", log=out / f"browser-rasd-{n}.log", env={"RASD_DB": str(db)})
    try:
        base_server = start_streamlit(BENCH / "baseline_app.py", log=out / f"browser-baseline-{n}.log",
                                      env={"RASD_DB": str(db), **BASELINE_ENV})
    except BaseException:
        rasd_server.stop()
        raise
    try:
        print(f"timing rasd (app.py) and the stock layers at {n:,} events ...", file=sys.stderr, flush=True)
        try:
            page, stamps, _ = open_map(browser, f"{rasd_server.url}/", expected, timeout_s=timeout_s)
            page.context.close()
            rasd.cold = {"iframe": _seconds(stamps["iframe"]), "first": _seconds(stamps["first"]),
                         "all": _seconds(stamps["all"])}
            rasd.note = _problems(stamps, expected)
        except (PlaywrightError, BenchError) as e:
            rasd.note = f"cold load failed: {str(e).splitlines()[0][:120]}"
            return timings, None
        try:
            page, _, _ = open_map(browser, f"{base_server.url}/?layer=fast", expected, timeout_s=timeout_s)
            page.context.close()
        except (PlaywrightError, BenchError) as e:
            print(f"warm-up load failed: {str(e).splitlines()[0][:120]}", file=sys.stderr)
        maps = [(rasd, rasd_server, "/")]
        for layer in layers:
            timing = Timing(n=n, map=BASELINES[layer])
            timings.append(timing)
            if layer == "geojson" and n > geojson_max:
                # markercluster 1.4 checks each marker of a layer group added before the cluster is on the map
                # against every pending one: quadratic, as folium renders it (a million never showed).
                timing.note = f"skipped above --geojson-max {geojson_max:,} (quadratic in markercluster 1.4)"
                continue
            maps.append((timing, base_server, f"/?layer={layer}"))
        for _ in range(repeat):
            # A map that failed once is not loaded again.
            maps = [(tm, server, path) for tm, server, path in maps
                    if timed_load(browser, server, path, tm, expected, timeout_s=timeout_s)]
        if not any(tm is rasd for tm, _, _ in maps):
            return timings, None
        try:
            page, _, _ = open_map(browser, f"{rasd_server.url}/", expected, timeout_s=timeout_s)
        except (PlaywrightError, BenchError) as e:
            rasd.note = f"filter change not measured: {str(e).splitlines()[0][:120]}"
            return timings, None
        try:
            filtered = change_filter(page, db, n, timeout_s=timeout_s)
        finally:
            page.context.close()
        try:
            session_memory(browser, rasd_server, rasd, expected, timeout_s=timeout_s)
        except (PlaywrightError, BenchError) as e:
            rasd.note = f"memory per session not measured: {str(e).splitlines()[0][:120]}"
        return timings, filtered
    finally:
        base_server.stop()
        rasd_server.stop()


def paired_ratio(rasd: list[float], ref: list[float]) -> float | None:
    """The median over rounds of rasd's time over the reference's in the same round."""
    ratios = [a / b for a, b in zip(rasd, ref) if b]
    return statistics.median(ratios) if ratios and len(rasd) == len(ref) else None


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _runs(values: list[float]) -> str:
    median = Timing.median(values)
    if median is None:
        return "-"
    return _fmt(median) if len(values) == 1 else f"{median:.2f} ({', '.join(f'{v:.2f}' for v in values)})"


def print_table(timings: list[Timing], filters: list[FilterTiming]) -> None:
    """Seconds per map and size (median, then every run), the Rasd/FastMarkerCluster ratios, the filter changes."""
    header = ("events", "map", "cold first / all", "iframe s", "first marker s", "all loaded s", "markers")
    lines = [header]
    for tm in timings:
        cold = f"{_fmt(tm.cold.get('first'))} / {_fmt(tm.cold.get('all'))}" if tm.cold else ""
        lines.append((f"{tm.n:,}", tm.map, cold, _runs(tm.iframe_s), _runs(tm.first_s), _runs(tm.all_s),
                      "-" if tm.markers is None else f"{tm.markers:,}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) if i != 1 else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))))
    by = {(tm.n, tm.map): tm for tm in timings}
    for n in sorted({tm.n for tm in timings}):
        rasd, ref = by.get((n, RASD)), by.get((n, REFERENCE))
        if rasd and ref and rasd.first_s and ref.first_s and rasd.all_s and ref.all_s:
            first = Timing.median(rasd.first_s) / Timing.median(ref.first_s)
            every = Timing.median(rasd.all_s) / Timing.median(ref.all_s)
            paired = paired_ratio(rasd.all_s, ref.all_s)
            pairs = "" if paired is None else f"; {paired:.2f}x as the median of each round's own ratio"
            print(f"{n:,} events: rasd/{REFERENCE} = {first:.2f}x to the first marker, {every:.2f}x until all are "
                  f"loaded{pairs} (warm loads taken in turns; rasd is the whole app page, the baseline a map on a "
                  "bare page)")
    for f in filters:
        print(f"{f.n:,} events, filter change in the sidebar (weapon = {FILTER_WEAPON}, {f.shown:,} events shown): "
              f"script run {_fmt(f.script_s)} s, new map iframe {_fmt(f.iframe_s)} s, first marker "
              f"{_fmt(f.first_s)} s, all loaded {_fmt(f.all_s)} s after the click" + (f" ({f.note})" if f.note else ""))
    for tm in timings:
        if tm.session_mb is not None:
            print(f"{tm.n:,} events, rasd server memory: {tm.server_mb:,.0f} MB with one session, "
                  f"{tm.session_mb:+,.1f} MB per extra session ({EXTRA_SESSIONS} more opened, each with its map)")
    for tm in timings:
        if tm.note:
            print(f"note: {tm.n:,} events, {tm.map}: {tm.note}")


def main(argv: list[str] | None = None) -> int:
    """Make or reuse the stores, time the app and the baselines at each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2, help="timed loads per map and size (median shown)")
    parser.add_argument("--baselines", nargs="*", default=list(BASELINES), choices=list(BASELINES),
                        help="folium layers to time beside rasd (default all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic events")
    parser.add_argument("--geojson-max", type=int, default=100_000,
                        help="skip GeoJson+MarkerCluster above this many events (it is quadratic)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per page load")
    parser.add_argument("--json", type=Path, help="also write the timings to this JSON file")
    args = parser.parse_args(argv)

    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    timings: list[Timing] = []
    filters: list[FilterTiming] = []
    started = time.perf_counter()
    failure = ""
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for n in args.sizes:
                    db = cached_store(n, seed=args.seed)
                    measured, changed = bench_size(browser, db, n, repeat=args.repeat, timeout_s=args.timeout,
                                                   out=out, layers=args.baselines, geojson_max=args.geojson_max)
                    timings += measured
                    if changed is not None:
                        filters.append(changed)
            finally:
                browser.close()
    except PlaywrightError as e:
        # The browser or Playwright's driver died (a map too big for it): what was measured is still printed.
        failure = f"the browser stopped: {str(e).splitlines()[0][:160]}"
    print_table(timings, filters)
    if failure:
        print(f"note: {failure}; the last map timed above may be incomplete")
    print(f"({time.perf_counter() - started:.0f} s in all)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        rows = {"loads": [asdict(tm) for tm in timings], "filter_changes": [asdict(f) for f in filters],
                "failure": failure}
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if failure else 0

if __name__ == "__main__":
    sys.exit(main())
