"""Helpers for driving the real Streamlit app in headless Chromium: servers, offline routing, waits.

Shared by tests/test_e2e_browser.py and bench/bench_browser.py. Never downloads a browser: Debian's
/usr/bin/chromium is launched through Playwright.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Dialog, FrameLocator, Page, Playwright, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
NOT_LOCAL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/?#]|$))[a-z][a-z0-9+.-]*://",
                       re.IGNORECASE)
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
RASD_MARKERS = ".rasd-icon, .rasd-cluster"
SERVER_START_S = 60.0
RUN_TIMEOUT_MS = 45_000
QUIET_MS = 300

HOSTILE_FILE = "900_hostile.txt"
HOSTILE_SCRIPT = "<script>window.__xss=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__xss=2">'
HOSTILE_OUTLET = "Hostile <b>Outlet</b>"
HOSTILE_SENTENCE = "استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم"
HOSTILE_PUBLISHED = "2022-01-20"
HOSTILE_TITLE = f"هجوم {HOSTILE_SCRIPT} على قاعدة حرير {HOSTILE_IMG}"
HOSTILE_TEXT = (
    f"{HOSTILE_TITLE}\n\n"
    f"{HOSTILE_SENTENCE} {HOSTILE_SCRIPT} {HOSTILE_IMG} في محافظة أربيل، بحسب مصادر أمنية عراقية "
    "تحدثت للصحفيين عن الهجوم الجديد على القوات الأمريكية.\n"
)

# What a page may never contain when hostile text is shown as text: run in the page and in every frame.
INJECTION_PROBE = r"""() => ({
    xss: typeof window.__xss === "undefined" ? null : String(window.__xss),
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll("script")].filter(s => /^\s*window\.__xss=/.test(s.textContent || "")).length,
    handlers: document.querySelectorAll("[onerror]").length,
})"""


def write_hostile_folder(folder: Path) -> Path:
    """An article folder with one Arabic attack report whose title, text and outlet carry HTML injections."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HOSTILE_FILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "outlet", "url", "published", "published_note"])
        writer.writerow([HOSTILE_FILE, HOSTILE_TITLE, HOSTILE_OUTLET, "javascript:window.__xss=3",
                         HOSTILE_PUBLISHED, "browser test fixture"])
    return folder


def ingest(paths: list[Path], db: Path, *, timeout: float = 120.0) -> None:
    """Build a database with the command line, as a user would (`python -m rasd ingest ... --db`)."""
    subprocess.run([sys.executable, "-m", "rasd", "ingest", *map(str, paths), "--db", str(db)], cwd=ROOT,
                   check=True, capture_output=True, timeout=timeout)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """A `streamlit run` child process and the URL it serves."""

    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's output, for failure messages."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop the server and its process group (SIGTERM, then SIGKILL)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=timeout)
        except ProcessLookupError:
            pass


def start_streamlit(script: Path, *, log: Path, env: Mapping[str, str] | None = None,
                    timeout: float = SERVER_START_S) -> StreamlitServer:
    """Start `python -m streamlit run script` on a free port (cwd the repo root) and wait until it is healthy."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = StreamlitServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        wait_healthy(server, timeout=timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_healthy(server: StreamlitServer, *, timeout: float) -> None:
    """Poll /_stcore/health until it answers ok; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s:\n{server.log_tail()}")


@contextmanager
def streamlit_server(script: Path, *, log: Path, env: Mapping[str, str] | None = None) -> Iterator[StreamlitServer]:
    """A running Streamlit server, stopped on exit whatever happened."""
    server = start_streamlit(script, log=log, env=env)
    try:
        yield server
    finally:
        server.stop()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing phoning home."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium` (apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


def is_local(url: str) -> bool:
    """True for the app's own URLs (and data:/blob: URLs, which never leave the browser)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class OfflineGuard:
    """Routes a page offline: local requests pass, the rest are aborted (or answered by `substitute`)."""

    aborted: list[str] = field(default_factory=list)
    substituted: list[str] = field(default_factory=list)
    substitute: Callable[[Route], bool] | None = None

    def install(self, page: Page) -> "OfflineGuard":
        """Route every request of the page (and its frames) that leaves localhost through this guard."""
        # Matched inside the browser: the app's own requests never make a round trip through Python.
        page.route(NOT_LOCAL, self._route)
        return self

    def _route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        elif self.substitute is not None and self.substitute(route):
            self.substituted.append(url)
        else:
            self.aborted.append(url)
            route.abort()


def wait_for_run(page: Page, *, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit finished the script run (and any rerun it asked for) and nothing is stale."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    ready = """() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.dataset.testScriptState === "notRunning"
            && app.dataset.testConnectionState === "CONNECTED"
            && !document.querySelector('[data-stale="true"]')
            && !document.querySelector('[data-testid="stSkeleton"]');
    }"""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(ready, timeout=remaining)
        page.wait_for_timeout(QUIET_MS)
        if page.evaluate(ready):
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the Streamlit script kept rerunning")


def map_frame(page: Page) -> FrameLocator:
    """The st_folium iframe."""
    return page.frame_locator(MAP_IFRAME)


def wait_for_markers(page: Page, *, selector: str = RASD_MARKERS, timeout_ms: int = RUN_TIMEOUT_MS) -> FrameLocator:
    """Wait until Leaflet drew the map in the st_folium iframe and at least one marker (or cluster) is visible."""
    frame = map_frame(page)
    frame.locator(".leaflet-container").first.wait_for(state="visible", timeout=timeout_ms)
    frame.locator(selector).first.wait_for(state="visible", timeout=timeout_ms)
    return frame


def injection_report(page: Page) -> list[dict]:
    """INJECTION_PROBE evaluated in the page and in every frame, each with the frame's URL."""
    reports = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        reports.append({"frame": frame.url, **frame.evaluate(INJECTION_PROBE)})
    return reports


# What a page shows of the text a link or an article controls: markup in every element that renders text
# (Markdown, captions, alerts, st.html), the helper's literal spans, the page's text, and every element that
# points somewhere (links, images, frames, CSS url()).
TEXT_CONTAINERS = ('[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], '
                   '[data-testid="stAlert"], [data-testid="stHtml"], [data-testid="stToast"]')
MARKUP = ("a, img, picture, em, strong, b, i, u, code, pre, del, s, sub, sup, kbd, .katex, math, [role='img'], "
          ".stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge, blockquote, h1, h2, h3, h4, "
          "h5, h6, li, ol, ul, table, hr, iframe, svg, video, audio, object, embed, input, button, span[style], "
          "div[style*='url(']")
PAGE_PROBE = """([containers, markup]) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const side = document.querySelector('[data-testid="stSidebar"]');
    const marks = [];
    for (const box of document.querySelectorAll(containers)) {
        for (const e of box.querySelectorAll(markup)) {
            marks.push({
                tag: e.tagName.toLowerCase(),
                cls: typeof e.className === "string" ? e.className : "",
                role: e.getAttribute("role") || "",
                text: e.textContent || "",
                href: e.getAttribute("href") || "",
                src: e.getAttribute("src") || "",
                anchor: !!e.closest('a[href^="#"]'),
            });
        }
    }
    const within = sel => [main, side].filter(Boolean).flatMap(root => [...root.querySelectorAll(sel)]);
    const pointing = within("[href], [src], [style*='url(']").map(e => ({
        tag: e.tagName.toLowerCase(),
        cls: typeof e.className === "string" ? e.className : "",
        href: e.getAttribute("href") || "",
        src: e.getAttribute("src") || "",
        style: e.getAttribute("style") || "",
        text: e.textContent || "",
    }));
    return {
        titles: main ? [...main.querySelectorAll("h1")].map(h => h.textContent.trim()) : [],
        marks,
        literals: [...document.querySelectorAll(".rasd-literal")]
            .filter(e => [...e.querySelectorAll("*")].every(c => c.tagName === "BDI"))
            .map(e => e.textContent),
        text: (main ? main.textContent : "") + "\\n" + (side ? side.textContent : ""),
        pointing,
        xss: typeof window.__xss === "undefined" ? null : String(window.__xss),
        scriptRunning: (document.querySelector('[data-testid="stApp"]') || {dataset: {}}).dataset.testScriptState,
    };
}"""
# Markup Rasd's own interface draws in text elements: never built from data.
_ALWAYS_MARKUP = frozenset({"img", "picture", "iframe", "video", "audio", "object", "embed", "hr", "table",
                            "blockquote", "li", "ol", "ul", "math", "input", "button"})
_MARKUP_CLASSES = ("katex", "stMarkdownColoredText", "stMarkdownColoredBackground", "stMarkdownBadge")


def ids_by_pos(db: Path) -> dict[int, str]:
    """Every event's id (rejected ones too) by its events.pos number, the number the map's markers carry."""
    from rasd.store import Store

    return dict(Store(db, create=False).read("SELECT pos, id FROM events"))


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a SQLite store with its WAL and shared-memory files, for a test to change."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


@contextmanager
def watched(page: Page) -> Iterator[tuple[OfflineGuard, list[str]]]:
    """A page routed offline whose dialogs are dismissed and recorded; on leaving, nothing needed the internet,
    no dialog opened, and the page is closed."""
    guard = OfflineGuard().install(page)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield guard, dialogs
        assert guard.aborted == [], f"requests that needed the internet: {guard.aborted}"
        assert dialogs == [], f"dialogs opened: {dialogs}"
    finally:
        page.close()


def probe(page: Page) -> dict:
    """PAGE_PROBE on the page (the main document, not the map's iframe)."""
    return page.evaluate(PAGE_PROBE, [TEXT_CONTAINERS, MARKUP])


def markup_from(report: dict, hostile: list[str], *, allowed_hrefs: frozenset[str] = frozenset()) -> list[dict]:
    """The markup elements in text that were built from data: links (but heading anchors and the allowed article
    URLs), images, icons, maths, coloured text, lists and the like anywhere in text, and emphasis or code whose
    text is a piece of a hostile value."""
    found = []
    for mark in report["marks"]:
        tag, text = mark["tag"], mark["text"].strip()
        if mark["anchor"] or (tag == "a" and mark["href"].startswith("#")):
            continue
        # The helper's own elements (its boxes and bold labels) carry a rasd- class; Markdown makes no classes.
        if tag != "a" and any(c.startswith("rasd-") for c in mark["cls"].split()):
            continue
        if tag == "a" and mark["href"] in allowed_hrefs and "rasd-url" in mark["cls"]:
            continue
        built = (
            tag in _ALWAYS_MARKUP or tag in ("a", "svg") or mark["role"] == "img"
            or any(c in mark["cls"] for c in _MARKUP_CLASSES)
            or (text and any(text in value for value in hostile))
        )
        if built:
            found.append(mark)
    return found


def pointing_outside(report: dict, *, allowed_hrefs: frozenset[str] = frozenset()) -> list[dict]:
    """Elements whose href, src or CSS url() names a non-local host (the allowed article links excepted)."""
    out = []
    for e in report["pointing"]:
        for attr in ("href", "src", "style"):
            value = e[attr]
            if not value:
                continue
            if attr == "href" and value in allowed_hrefs and "rasd-url" in e["cls"]:
                continue
            lowered = value.lower()
            if "evil.example" in lowered or (attr != "style" and NOT_LOCAL.match(value) and not is_local(value)):
                out.append({attr: value, "tag": e["tag"]})
    return out


# Same-session navigation: Streamlit reruns the page of a URL pushed onto the history with its query, as the
# browser's back button does; much faster than loading the page again.
PUSH_URL = """url => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (window.__rasdObserver) { window.__rasdObserver.disconnect(); }
    window.__rasdRan = false;
    window.__rasdObserver = new MutationObserver(records => {
        if (records.some(r => r.oldValue === "running") || app.dataset.testScriptState === "running") {
            window.__rasdRan = true;
        }
    });
    window.__rasdObserver.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"],
                                        attributeOldValue: true});
    // A run too quick to show "running" still changes the page (or marks it stale first).
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) {
        const changed = new MutationObserver(() => { window.__rasdRan = true; changed.disconnect(); });
        changed.observe(main, {childList: true, subtree: true, characterData: true});
    }
    history.pushState(null, "", url);
    window.dispatchEvent(new PopStateEvent("popstate"));
}"""
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.dataset.testScriptState === "notRunning" && app.dataset.testConnectionState === "CONNECTED"
        && !document.querySelector('[data-stale="true"]') && !document.querySelector('[data-testid="stSkeleton"]');
}"""
TITLED = f"() => ({SETTLED})() && !!document.querySelector('[data-testid=\"stMain\"] h1')"
SETTLE_MS = 120


def push_url(page: Page, path: str, *, title: str | None = None, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Open path (with its query) in the same session, and wait until the rerun it starts has finished (and, when
    the path opens another page, until that page's title is shown)."""
    page.evaluate(PUSH_URL, path)
    page.wait_for_function(f"() => window.__rasdRan && ({SETTLED})()", timeout=timeout_ms)
    page.wait_for_timeout(SETTLE_MS)
    # Every page has a title; a frame between two runs can be settled and still empty (seen once in CI).
    page.wait_for_function(TITLED, timeout=timeout_ms)
    if title is not None:
        wait_for_title(page, title, timeout_ms=timeout_ms)


# The first title of the main area is the one given, and the page settled.
TITLE_IS = f"""title => ({SETTLED})() && (() => {{
    const h = document.querySelector('[data-testid="stMain"] h1');
    return !!h && h.textContent.trim() === title;
}})()"""


def wait_for_title(page: Page, title: str, *, timeout_ms: int = RUN_TIMEOUT_MS) -> bool:
    """Wait until the page settles under the given title; False when it does not (the caller's check says what is shown).

    A run that replaces one page by another can be seen settled for a moment before it starts, with the old
    page's title still on screen (the map page draws its title after the map).
    """
    try:
        page.wait_for_function(TITLE_IS, arg=title, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        return False
    page.wait_for_timeout(SETTLE_MS)
    return True


def open_settled(page: Page, url: str, *, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Load url and wait until the page has a title and its script run settled (quicker than wait_for_run)."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(TITLED, timeout=timeout_ms)
    page.wait_for_timeout(SETTLE_MS)
    page.wait_for_function(TITLED, timeout=timeout_ms)
