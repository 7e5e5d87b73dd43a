"""The newsroom's acceptance tests: the whole loop in headless Chromium, and hostile input through its doors.

A local HTTP server (tests/newsroom_support.py) serves Arabic news pages whose bodies are seed paragraphs copied
verbatim, an RSS feed made for the test, a page full of script and template syntax, and misbehaving answers (50 MB,
a PDF, a PNG, a redirect loop, a server that never answers). The app runs as `streamlit run app.py` with
RASD_FETCH_ALLOW_PRIVATE=1 (the test switch that lets it fetch from 127.0.0.1), and RASD_DB and RASD_USERS in a
temporary folder, both made by the command line. Every browser request leaving localhost is aborted and counted;
a dialog (alert) fails the test; `window.__pwned` is what every injected script would set.

1. The loop: an editor signs in on /add, adds a page by URL, saves it; on /review verifies one of its events,
   rejects another and moves a third to another place; `rasd watch` polls the feed (the page added in the app is
   not fetched again); the app is stopped, the store re-extracted (`rasd ingest seeds --reextract`), the app started
   again; `rasd review list` still has the three decisions, and a reader's fresh browser sees the verified and the
   edited event on the map (the edited one at its new place), never the rejected one, and only a sign-in form on
   /review and /add.
2. Hostile input: the script page and a sign-in flood in Chromium; the doors where a browser adds nothing (size
   cap, non-HTML, redirect loop, timeout, loopback without the switch, empty forms, bad uploads, the lock running
   out) under AppTest. Each gets its message, no traceback, and the store stays as it was. Last, a check that a
   message going away on the next run moves nothing below it (what closed an open Edit box in Chromium).

The Chromium tests are marked `browser`; the AppTest ones are not. Three app servers in all (the loop's two, one
for the hostile tests) and four page loads.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from e2e_support import (
    MAP_IFRAME,
    ROOT,
    SETTLE_MS,
    SETTLED,
    OfflineGuard,
    StreamlitServer,
    copy_db,
    ids_by_pos,
    ingest,
    markup_from,
    open_settled,
    pointing_outside,
    probe,
    push_url,
    start_streamlit,
    wait_for_markers,
    watched,
)
from newsroom_support import (
    NewsServer,
    Response,
    article_page,
    drip,
    never,
    png_bytes,
    redirect,
    rss,
    seed_paragraphs,
    sized,
)
from rasd.views.filters import Filters
from rasd.views.i18n import label, t
from rasd.views.mapview import PAYLOAD_ROW
from rasd.newsroom import fetch as fetch_module
from rasd.newsroom import users as users_module
from rasd.newsroom.fetch import ALLOW_PRIVATE_ENV, check_url
from rasd.newsroom.html import article_file_name
from rasd.newsroom.review import Review
from rasd.newsroom.users import UserStore
from rasd.store import Store
from rasd.ui import adding as adding_ui
from test_newsroom_pages import FAST_HASHER, assert_escaped, box_texts, fetch_url, open_page, page_text, paste, sign_in

# The Chromium tests carry the browser mark; the AppTest ones below them run without a browser.
browser_test = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 20_000
EDITOR, PASSWORD = "alice", "correct horse battery staple"
FLOODED, FLOODED_PASSWORD = "bob", "another long password"
WRONG = "not the password at all"
FLOOD = 20
CLI_TIMEOUT = 180

# The loop's pages: seed 000's text (four attacks) added in the app, seed 002's brought by the feed, and a mirror of
# the first under another address (the same text: stored once).
LOOP_SEED, FEED_SEED = "000_d15af71adb9f6744.txt", "002_80774d3f02e5716a.txt"
LOOP_TITLE = "العراق: تصعيد عسكري مضبوط ضد المصالح الأميركية"
FEED_TITLE = "هل بدأ العد العكسي لخروج الأميركيين من العراق عبر المقاومة؟"
LOOP_PAGE, MIRROR_PAGE, FEED_PAGE, FEED = ("/news/2022/01/05/escalation.html", "/mirror/escalation.html",
                                           "/news/2022/01/05/resistance.html", "/rss.xml")
NEW_PLACE, NEW_PLACE_QUERY = "harir-air-base", "حرير"

# What the hostile page carries: real tags (which must never run) and text that looks like markup or templates
# (which must be shown as it is).
TEXT_VALUES = (
    "<script>window.__pwned=4</script>", "<img src=x onerror=window.__pwned=5>", "{{7*7}}", "${7*7}", ":red[x]",
    "[رابط](http://evil.example/x)", "**عريض**", "$x^2$", ":material/warning:",
)
HOSTILE_TITLE = "هجوم <script>window.__pwned=6</script> {{7*7}}"
HOSTILE_OUTLET = "<img src=x onerror=window.__pwned=7> :red[x]"
HOSTILE_QUERY = "x=<img src=x onerror=window.__pwned=9>"
HOSTILE_PAGE = "/news/hostile.html"

# Run in the page and in every frame: what any injected script, handler or link would leave behind.
PWNED_PROBE = r"""() => ({
    pwned: typeof window.__pwned === "undefined" ? null : String(window.__pwned),
    handlers: document.querySelectorAll("[onerror], [onload], [onclick], [onmouseover]").length,
    images: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].filter(s => (s.textContent || "").includes("__pwned")).length,
    links: [...document.querySelectorAll("[href], [src], [action], [formaction]")]
        .map(e => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action")
                  || e.getAttribute("formaction") || "")
        .filter(v => /^\s*javascript:/i.test(v) || v.includes("evil.example")),
})"""
# The events.pos number each drawn marker carries (in its payload row, rasd.views.mapview.PAYLOAD_ROW) and where it is.
MARKERS = """() => {
    const out = {};
    for (const key of Object.keys(window)) {
        let group;
        try { group = window[key]; if (!(group instanceof L.MarkerClusterGroup)) { continue; } } catch (e) { continue; }
        for (const m of group.getLayers()) {
            if (m.rasdRow) { const p = m.getLatLng(); out[String(m.rasdRow[__ID__])] = [p.lat, p.lng]; }
        }
    }
    return out;
}""".replace("__ID__", str(PAYLOAD_ROW.index("pos")))


# The local news server, shared by every test of the module.


def hostile_html() -> str:
    """An Arabic news page (seed 001's paragraphs, verbatim) with scripts, handlers, javascript: links and
    template syntax in its head, its title, its outlet and its text."""
    values = " و ".join(v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for v in TEXT_VALUES)
    body = "\n".join(f"<p>{p}</p>" for p in seed_paragraphs("001_08a249ebb1b81bb8.txt", 100))
    escaped_title = HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")
    escaped_outlet = HOSTILE_OUTLET.replace("<", "&lt;").replace(">", "&gt;")
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{escaped_title}</title>
<meta property="og:site_name" content="{escaped_outlet}">
<meta property="article:published_time" content="2022-01-05T08:00:00+03:00">
<meta http-equiv="refresh" content="0;url=javascript:alert(10)">
<base href="javascript:alert(11)//">
<script>window.__pwned=1; alert(1)</script>
</head>
<body onload="window.__pwned=12; alert(12)">
<main><article><h1>{escaped_title}</h1>
<p>وقال مصدر أمني <script>window.__pwned=13; alert(13)</script> إن الهجوم
<img src=x onerror="window.__pwned=2; alert(2)"> استهدف القاعدة
<a href="javascript:window.__pwned=3; alert(3)">رابط</a> <svg onload="alert(14)"></svg>
<iframe src="javascript:alert(15)"></iframe> وكتب في البيان {values}</p>
{body}
</article></main></body></html>"""


def wire_path(url: str) -> str:
    """The request line's path for a URL, as the fetcher sends it (its query percent-encoded)."""
    return check_url(url, allow_private=True).path


@dataclass
class News:
    """The news server and its routes' URLs."""

    server: NewsServer
    release: threading.Event

    def url(self, path: str) -> str:
        return self.server.url(path)

    @property
    def hostile_url(self) -> str:
        return self.url(HOSTILE_PAGE) + "?" + HOSTILE_QUERY


@pytest.fixture(scope="module")
def news() -> Iterator[News]:
    server = NewsServer()
    release = threading.Event()
    loop = Response(article_page(LOOP_TITLE, seed_paragraphs(LOOP_SEED, 100)))
    server.routes.update({
        LOOP_PAGE: loop,
        MIRROR_PAGE: loop,
        FEED_PAGE: Response(article_page(FEED_TITLE, seed_paragraphs(FEED_SEED, 100), site="الميادين")),
        FEED: Response(rss([(LOOP_TITLE, server.url(LOOP_PAGE)), (FEED_TITLE, server.url(FEED_PAGE)),
                            (LOOP_TITLE, server.url(MIRROR_PAGE))]), content_type="application/rss+xml"),
        "/big.html": sized(50_000_000, declared=True),
        "/big-chunked.html": sized(50_000_000, declared=False),
        "/report.pdf": Response(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
                                content_type="application/pdf"),
        "/chart.png": Response(png_bytes(), content_type="image/png"),
        "/lying.html": Response(png_bytes(), content_type="text/html"),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/never.html": never(release),
        "/drip.html": drip(every=0.2, total=200),
    })
    server.routes[wire_path(server.url(HOSTILE_PAGE) + "?" + HOSTILE_QUERY)] = Response(hostile_html())
    server.start()
    try:
        yield News(server, release)
    finally:
        release.set()
        server.stop()


# The command line, as a person runs it.


def cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m rasd ARGS` from the repository root; the test switch only when env sets it."""
    base = {k: v for k, v in os.environ.items() if k not in (ALLOW_PRIVATE_ENV, "RASD_DB", "RASD_USERS")}
    return subprocess.run([sys.executable, "-m", "rasd", *args], cwd=ROOT, env={**base, **(env or {})},
                          input=stdin, text=True, capture_output=True, timeout=CLI_TIMEOUT)


def add_editor(users: Path, name: str, password: str) -> None:
    """`rasd user add NAME --password-stdin` into $RASD_USERS."""
    done = cli("user", "add", name, "--password-stdin", env={"RASD_USERS": str(users)}, stdin=password + "\n")
    assert done.returncode == 0, done.stderr


def snapshot(db: Path) -> dict[str, int]:
    """What saving would change: articles, events (rejected ones too), decisions, URLs the newsroom recorded."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "mentions", "events", "decisions", "fetched_urls")}


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds, ingested by `rasd ingest seeds --db`; each user of it takes a copy."""
    db = tmp_path_factory.mktemp("newsroom-e2e-seeds") / "rasd.sqlite"
    ingest([seeds_dir], db)
    return db


def app_env(db: Path, users: Path) -> dict[str, str]:
    return {"RASD_DB": str(db), "RASD_USERS": str(users), ALLOW_PRIVATE_ENV: "1"}


# The browser.


@dataclass
class Tab:
    """One page on the app (its own Streamlit session), routed offline, recording dialogs."""

    page: Page
    base: str
    guard: OfflineGuard
    dialogs: list[str] = field(default_factory=list)
    # Script runs the server finished for this page (see rerun).
    runs: int = 0

    def main(self):
        return self.page.locator('[data-testid="stMain"]')

    def main_text(self) -> str:
        return self.main().inner_text()

    def sidebar_text(self) -> str:
        side = self.page.locator('[data-testid="stSidebar"]')
        return side.inner_text() if side.count() else ""

    def boxes(self, kind: str) -> list[str]:
        """The text of each box of one kind (error, success, notice, info) show() drew in the main block."""
        return [s.strip() for s in self.main().locator(f".rasd-{kind}").all_text_contents()]

    def key(self, key: str):
        """The element Streamlit drew for a widget or container key."""
        return self.page.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip()))

    def click(self, key: str) -> None:
        """Click a keyed button and wait for the run it starts."""
        rerun(self, self.key(key).locator("button").first.click)


def rerun(tab: Tab, action: Callable[[], object]) -> None:
    """Do something that makes Streamlit run the script again; wait until that run (not the last one) has finished
    and the page shows it. Told by the server's own `script_finished` message: the DOM alone cannot tell a run too
    quick to show "running", or one that redraws the same page (the same sign-in error again), from no run."""
    seen = tab.runs
    action()
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while tab.runs <= seen:
        assert time.monotonic() < deadline, "the action started no script run"
        tab.page.wait_for_timeout(25)
    # The message is in; the page draws what the run sent.
    tab.page.wait_for_timeout(SETTLE_MS)
    tab.page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def _count_runs(tab: Tab) -> None:
    """Count the script runs the server finishes for this page (an early stop for a rerun does not count)."""
    def frame(payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        try:
            message = ForwardMsg.FromString(payload)
        except DecodeError:
            return
        if message.WhichOneof("type") == "script_finished" and (
                message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
            tab.runs += 1

    tab.page.on("websocket", lambda socket: socket.on("framereceived", frame))


@contextmanager
def opened(context: BrowserContext, base: str) -> Iterator[Tab]:
    """A new page on a server; afterwards: nothing left localhost and no dialog opened."""
    page = context.new_page()
    with watched(page) as (guard, dialogs):
        tab = Tab(page=page, base=base, guard=guard, dialogs=dialogs)
        _count_runs(tab)
        yield tab


@contextmanager
def new_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context: no cookies, no storage, no cache (a reader who never signed in)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def assert_clean(tab: Tab) -> None:
    """No exception box, no traceback, no error box of the page's guard, no script run anywhere."""
    text = tab.main_text()
    assert tab.page.locator('[data-testid="stException"]').count() == 0, text[:2000]
    assert "Traceback" not in text and t("error.title", "en") not in text, text[:2000]
    assert_no_script(tab)


def assert_no_script(tab: Tab) -> None:
    for frame in tab.page.frames:
        if frame.is_detached():
            continue
        found = frame.evaluate(PWNED_PROBE)
        assert found == {"pwned": None, "handlers": 0, "images": 0, "scripts": 0, "links": []}, (frame.url, found)
    assert tab.dialogs == [], tab.dialogs


def browser_sign_in(tab: Tab, name: str, password: str) -> None:
    """Fill in the sign-in form and send it."""
    main = tab.main()
    main.get_by_role("textbox", name=t("auth.name", "en"), exact=True).fill(name)
    main.get_by_role("textbox", name=t("auth.password", "en"), exact=True).fill(password)
    rerun(tab, main.get_by_role("button", name=t("auth.submit", "en")).click)


def assert_sign_in_form_only(tab: Tab, hidden: list[str]) -> None:
    """The page shows a reader the name and password fields and the Sign in button, and none of the data."""
    main = tab.main()
    assert main.locator("input").count() == 2, "a reader gets the name and password fields, nothing else"
    assert main.locator('[data-testid="stFormSubmitButton"] button').all_inner_texts() == [t("auth.submit", "en")]
    assert main.locator('[data-testid="stButton"], [data-testid="stSelectbox"], [data-testid="stExpander"], '
                        '[data-testid="stButtonGroup"], [data-testid="stFileUploader"]').count() == 0
    assert t("auth.intro", "en") in tab.boxes("info")
    text = main.text_content() or ""
    leaked = [h for h in hidden if h and h in text]
    assert not leaked, leaked[:3]
    assert t("auth.signed_in_as", "en") not in tab.sidebar_text()
    assert_clean(tab)


def add_by_url(tab: Tab, url: str) -> None:
    """On /add, signed in: pick 'Fetching a URL', type the address, ask for the preview."""
    rerun(tab, tab.key("add.how").locator("button", has_text=t("add.way_url", "en")).click)
    tab.key("add.page_url").locator("input").fill(url)
    tab.click("add.url_preview")


# 1. The loop.


@browser_test
def test_the_newsroom_loop_from_a_page_to_the_public_map(browser: Browser, news: News, seed_db: Path,
                                                         tmp_path: Path) -> None:
    db = copy_db(seed_db, tmp_path / "data" / "rasd.sqlite")
    users = tmp_path / "data" / "users.json"
    add_editor(users, EDITOR, PASSWORD)
    env = app_env(db, users)
    store = Store(db, create=False)
    seed_events = store.events_frame()
    assert (seed_events["review"] == "unreviewed").all() and len(seed_events) >= 4
    page_url = news.url(LOOP_PAGE)
    web_file = article_file_name(page_url)
    server = start_streamlit(ROOT / "app.py", log=tmp_path / "streamlit-1.log", env=env)
    try:
        with new_context(browser) as context, opened(context, server.url) as tab:
            # A reader on /add: the sign-in form only. Alice signs in and adds the page by its URL.
            open_settled(tab.page, server.url + "/add")
            assert_sign_in_form_only(tab, [a.title for a in store.articles()])
            browser_sign_in(tab, EDITOR, PASSWORD)
            assert f"{t('auth.signed_in_as', 'en')} {EDITOR}" in tab.sidebar_text()
            add_by_url(tab, page_url)
            assert_clean(tab)
            assert t("add.preview_title", "en") in tab.main_text()
            previewed = tab.main().locator('[data-testid="stExpander"]').count()
            assert previewed >= 3, "the page should hold at least three attacks to review"
            assert tab.main().locator(".rasd-article mark").count() >= 1, "each event's sentence is marked"
            assert store.article(web_file) is None, "the preview stores nothing"
            assert news.server.count(LOOP_PAGE) == 1
            tab.click("add.save")
            assert_clean(tab)
            (saved,) = tab.boxes("success")
            assert saved.startswith("Saved: 1 new"), saved
            stored = store.article(web_file)
            assert stored is not None and stored.url == page_url and stored.title == LOOP_TITLE

            # /review in the same session: one of the page's events verified, one rejected, one moved to Harir.
            queue = Review(store).review_list()
            mine = queue[queue["articles"].map(lambda files: web_file in files)].sort_values("id")
            assert len(mine) == previewed and set(mine["review"]) == {"unreviewed"}
            candidates = mine[mine["place"] != NEW_PLACE]
            verified, rejected, edited = (str(i) for i in candidates["id"].iloc[:3])
            push_url(tab.page, "/review", title=t("page.review", "en"))
            assert_clean(tab)
            assert tab.page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == t("page.review", "en")
            for event_id in (verified, rejected, edited):
                assert tab.key(f"rv.{event_id}.verify").count() == 1, f"no card for event {event_id}"

            tab.key(f"rv.{verified}.comment").locator("input").fill("the report names the base")
            rerun(tab, lambda: tab.key(f"rv.{verified}.comment").locator("input").press("Enter"))
            tab.click(f"rv.{verified}.verify")
            assert_clean(tab)
            assert tab.boxes("success") == [t("review.done_verify", "en", id=verified)]
            tab.click(f"rv.{rejected}.reject")
            assert_clean(tab)
            assert tab.boxes("success") == [t("review.done_reject", "en", id=rejected)]

            editor_box = tab.main().locator('[data-testid="stExpander"]',
                                            has=tab.key(f"rv.{edited}.e.place_q")).first
            editor_box.locator("summary").first.click()
            search = tab.key(f"rv.{edited}.e.place_q").locator("input")
            search.fill(NEW_PLACE_QUERY)
            rerun(tab, lambda: search.press("Enter"))
            tab.key(f"rv.{edited}.e.place").locator('[role="combobox"], input').first.click()
            rerun(tab, tab.page.locator('[role="listbox"] [role="option"]', has_text=f"({NEW_PLACE})").first.click)
            why = tab.key(f"rv.{edited}.e.comment").locator("input")
            why.fill("the report is about Harir")
            rerun(tab, lambda: why.press("Enter"))
            tab.click(f"rv.{edited}.save")
            assert_clean(tab)
            assert tab.boxes("success") == [t("review.done_edit", "en", id=edited)]

        # What the store says now, as the core reads it.
        assert store.event(verified).review == "verified"
        assert store.event(rejected) is None and store.event(rejected, include_rejected=True).review == "rejected"
        moved = store.event(edited)
        assert (moved.review, moved.place) == ("edited", NEW_PLACE)
        decisions = {(d.kind, d.event_id, d.editor, d.comment) for d in store.decisions()}
        assert decisions == {("verify", verified, EDITOR, "the report names the base"),
                             ("reject", rejected, EDITOR, ""), ("edit", edited, EDITOR, "the report is about Harir")}

        # The feed, polled by the command line while the app runs: the page added in the app is not fetched again,
        # the mirror of it is stored once (the same text), the other item is new.
        before = snapshot(db)
        polled = cli("watch", news.url(FEED), "--once", "--db", str(db), env={ALLOW_PRIVATE_ENV: "1"})
        assert polled.returncode == 0, polled.stderr
        assert "3 items" in polled.stderr and "1 new articles" in polled.stdout, (polled.stdout, polled.stderr)
        assert "1 duplicates" in polled.stdout and "1 already seen" in polled.stdout, polled.stdout
        assert news.server.count(LOOP_PAGE) == 1, "the page added in the app was fetched again"
        assert news.server.count(FEED_PAGE) == 1 and news.server.count(MIRROR_PAGE) == 1
        assert snapshot(db)["articles"] == before["articles"] + 1
    finally:
        server.stop()

    # Stopped; the store re-extracted from the seeds; started again.
    again = cli("ingest", "seeds", "--reextract", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("5 articles: 0 added, 0 updated, 5 unchanged;"), again.stdout
    listed = cli("review", "list", "--format", "jsonl", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    rows = {r["id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows[verified]["status"] == "verified"
    assert rows[rejected]["status"] == "rejected"
    assert (rows[edited]["status"], rows[edited]["place"]) == ("edited", NEW_PLACE)
    untouched = set(rows) - {verified, rejected, edited}
    assert untouched and {rows[i]["status"] for i in untouched} == {"unreviewed"}
    orphaned = cli("review", "orphaned", "--db", str(db))
    assert orphaned.returncode == 0 and orphaned.stdout.strip() == "", orphaned.stdout

    public = Store(db, create=False).events_frame()
    assert rejected not in set(public["id"]) and {verified, edited} <= set(public["id"])
    harir = store.gazetteer.get(NEW_PLACE)
    server = start_streamlit(ROOT / "app.py", log=tmp_path / "streamlit-2.log", env=env)
    try:
        with new_context(browser) as context, opened(context, server.url) as reader:
            open_settled(reader.page, server.url + "/map")
            wait_for_markers(reader.page)
            frame = reader.page.locator(MAP_IFRAME).element_handle().content_frame()
            located = public.dropna(subset=["lat", "lon"])
            # Markers are added in chunks: wait until every located event has one.
            frame.wait_for_function(f"() => Object.keys(({MARKERS})()).length >= {len(located)}")
            ids = ids_by_pos(db)
            drawn = {ids[int(n)]: at for n, at in frame.evaluate(MARKERS).items()}
            assert verified in drawn and edited in drawn and rejected not in drawn, sorted(drawn)
            assert drawn[edited] == pytest.approx([harir.lat, harir.lon], abs=1e-5)
            assert set(drawn) == set(located["id"])
            assert_clean(reader)

            push_url(reader.page, f"/map?event={edited}")
            text = reader.main_text()
            assert f"{t('event.review', 'en')}: {label('review', 'edited', 'en')}" in text
            assert harir.name_en in text
            push_url(reader.page, f"/map?event={verified}")
            assert f"{t('event.review', 'en')}: {label('review', 'verified', 'en')}" in reader.main_text()
            push_url(reader.page, f"/map?event={rejected}")
            assert t("event.not_found", "en") in reader.main_text()
            push_url(reader.page, "/events", title=t("page.events", "en"))
            assert Filters().describe(len(public), lang="en") in reader.main_text()
            assert_clean(reader)

            hidden = [e for e in public["evidence"] if e] + [stored.title, verified, edited, rejected]
            for path in ("/review", "/add"):
                push_url(reader.page, path, title=t(f"page.{path[1:]}", "en"))
                assert reader.page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == t(
                    f"page.{path[1:]}", "en")
                assert_sign_in_form_only(reader, hidden)
    finally:
        server.stop()


# 2. Hostile input through the newsroom's doors: in Chromium, the page full of script and the sign-in flood.


@dataclass
class App:
    """A running app and the files it uses."""

    server: StreamlitServer
    db: Path
    users: Path


@pytest.fixture(scope="module")
def hostile_app(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The app on a copy of the seeds with two editors (alice, and bob whose name is flooded), test switch on."""
    root = tmp_path_factory.mktemp("newsroom-e2e-hostile")
    db = copy_db(seed_db, root / "rasd.sqlite")
    users = root / "users.json"
    add_editor(users, EDITOR, PASSWORD)
    add_editor(users, FLOODED, FLOODED_PASSWORD)
    server = start_streamlit(ROOT / "app.py", log=root / "streamlit.log", env=app_env(db, users))
    try:
        yield App(server, db, users)
    finally:
        server.stop()


@browser_test
def test_a_page_full_of_script_runs_nothing_and_is_shown_as_text(browser: Browser, news: News,
                                                                hostile_app: App) -> None:
    before = snapshot(hostile_app.db)
    with new_context(browser) as context, opened(context, hostile_app.server.url) as tab:
        open_settled(tab.page, tab.base + "/add")
        browser_sign_in(tab, EDITOR, PASSWORD)
        add_by_url(tab, news.hostile_url)
        assert_clean(tab)
        assert news.server.count(wire_path(news.hostile_url)) == 1
        assert tab.boxes("error") == []
        assert tab.main().locator('[data-testid="stExpander"]').count() >= 1, "the page's attacks are previewed"
        shown = tab.main().text_content() or ""
        for value in (*TEXT_VALUES, HOSTILE_TITLE, HOSTILE_OUTLET, news.hostile_url):
            assert value in shown, f"not shown as it is: {value}"
        # The page's own scripts are dropped with the page, not shown.
        assert "__pwned=1" not in shown and "__pwned=13" not in shown and "alert(" not in shown
        article = tab.main().locator(".rasd-article").first.inner_html()
        assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in article and "{{7*7}}" in article
        heading = [h.strip() for h in tab.main().locator(".rasd-heading").all_text_contents()]
        assert HOSTILE_TITLE in heading, heading
        report = probe(tab.page)
        built = markup_from(report, [*TEXT_VALUES, HOSTILE_TITLE, HOSTILE_OUTLET, news.hostile_url])
        assert not built, f"markup built from the page: {built[:5]}"
        assert not pointing_outside(report), pointing_outside(report)[:5]
        # The page's own address is not a link: it holds spaces and angle brackets.
        assert tab.main().locator("a.rasd-url").count() == 0

        tab.click("add.discard")
        assert_clean(tab)
        assert tab.boxes("info") == [t("add.discarded", "en")]
    assert snapshot(hostile_app.db) == before


def _minutes_free(messages: list[list[str]]) -> list[list[str]]:
    return [[re.sub(r"\d+ minutes?", "N minutes", m) for m in box] for box in messages]


@browser_test
def test_a_sign_in_flood_is_locked_out_with_one_message_for_every_name(browser: Browser, hostile_app: App) -> None:
    before = snapshot(hostile_app.db)
    failed = t("auth.failed", "en")
    with new_context(browser) as context, opened(context, hostile_app.server.url) as tab:
        open_settled(tab.page, tab.base + "/review")
        answers = []
        for _ in range(FLOOD):
            browser_sign_in(tab, FLOODED, WRONG)
            answers.append(tab.boxes("error"))
        assert answers[:5] == [[failed]] * 5, answers[:6]
        locked = answers[5]
        assert len(locked) == 1 and locked[0].startswith("too many failed sign-ins: try again in 15 minutes"), locked
        assert _minutes_free(answers[5:]) == _minutes_free([locked]) * (FLOOD - 5)
        # The right password is refused too while the name is locked, with the same message.
        browser_sign_in(tab, FLOODED, FLOODED_PASSWORD)
        assert _minutes_free([tab.boxes("error")]) == _minutes_free([locked])
        assert_sign_in_form_only(tab, [])
        # A name nobody has (itself a script) gets exactly the same answers, in the same order.
        nobody = []
        for _ in range(7):
            browser_sign_in(tab, '<img src=x onerror="window.__pwned=20; alert(20)">', FLOODED_PASSWORD)
            nobody.append(tab.boxes("error"))
        assert _minutes_free(nobody) == _minutes_free(answers[:7])
        assert_sign_in_form_only(tab, [])
        # The lock is the name's: another editor still signs in (10 failures counted, under the overall 50).
        browser_sign_in(tab, EDITOR, PASSWORD)
        assert f"{t('auth.signed_in_as', 'en')} {EDITOR}" in tab.sidebar_text()
        assert_clean(tab)
    kept = json.loads(hostile_app.users.read_text(encoding="utf-8"))
    assert {s["name"] for s in kept["sessions"].values()} <= {EDITOR}, "no session was opened for bob"
    assert snapshot(hostile_app.db) == before


# The doors where a browser adds nothing, under AppTest (the app in this process; its fetches reach the news
# server; the UI's fetch deadline shortened to keep the timeouts quick).


@pytest.fixture
def db(seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seeds as the app's $RASD_DB; the test switch off unless a test sets it."""
    path = copy_db(seed_db, tmp_path / "rasd.sqlite")
    monkeypatch.setenv("RASD_DB", str(path))
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    return path


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """alice as the app's $RASD_USERS (a cheap hash; the app checks it with its own hasher)."""
    path = tmp_path / "users.json"
    UserStore(path, hasher=FAST_HASHER).add(EDITOR, PASSWORD)
    monkeypatch.setenv("RASD_USERS", str(path))
    return path


def editor_on_add() -> AppTest:
    at = sign_in(open_page("add"), EDITOR, PASSWORD)
    assert "auth.token" in at.session_state and not at.exception
    return at


def assert_refused(at: AppTest, key: str, reason: str) -> None:
    """One error box: the page's sentence for the failure, then why; no traceback, nothing waiting to be saved."""
    assert not at.exception, [e.value for e in at.exception]
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith(t(key, "en")) and reason in message, message
    assert "Traceback" not in page_text(at) and not at.error
    assert "add.pending" not in at.session_state


FETCH_DOORS = [
    pytest.param("/big.html", "add.fetch_too_large", "over the 5,000,000-byte cap", id="50MB-with-length"),
    pytest.param("/big-chunked.html", "add.fetch_too_large", "over the 5,000,000-byte cap", id="50MB-chunked"),
    pytest.param("/report.pdf", "add.fetch_no_article", "not an HTML page (application/pdf)", id="pdf"),
    pytest.param("/chart.png", "add.fetch_no_article", "not an HTML page (image/png)", id="png"),
    pytest.param("/lying.html", "add.fetch_no_article", "no article text", id="png-sent-as-html"),
    pytest.param("/loop/a", "add.fetch_redirect", "redirect loop", id="redirect-loop"),
    pytest.param("/never.html", "add.fetch_timeout", "no answer", id="never-answers"),
    pytest.param("/drip.html", "add.fetch_timeout", "time allowed", id="drips-bytes"),
]


@pytest.mark.parametrize(("path", "key", "reason"), FETCH_DOORS)
def test_a_bad_page_gets_its_message_and_changes_nothing(db: Path, users: Path, news: News,
                                                         monkeypatch: pytest.MonkeyPatch, path: str, key: str,
                                                         reason: str) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    monkeypatch.setattr(adding_ui, "FETCH_TIMEOUT", 1.0)
    before = snapshot(db)
    at = fetch_url(editor_on_add(), news.url(path))
    assert_refused(at, key, reason)
    assert snapshot(db) == before


@pytest.mark.parametrize("host", ["localhost", "news.example"])
def test_an_address_on_this_machine_is_refused_without_the_test_switch(db: Path, users: Path, news: News,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       host: str) -> None:
    """localhost, and a public-looking name whose DNS answer is 127.0.0.1: refused before any connection."""
    real = fetch_module.resolve
    monkeypatch.setattr(fetch_module, "resolve",
                        lambda name, port: ["127.0.0.1"] if name == "news.example" else real(name, port))
    asked = news.server.count(LOOP_PAGE)
    before = snapshot(db)
    at = fetch_url(editor_on_add(), f"http://{host}:{news.server.port}{LOOP_PAGE}")
    assert_refused(at, "add.fetch_blocked", "a loopback address; refused")
    assert news.server.count(LOOP_PAGE) == asked, "the fetcher connected anyway"
    assert snapshot(db) == before


def _no_files(at: AppTest) -> AppTest:
    at.button_group(key="add.how").set_value("upload").run()
    return at.button(key="add.upload_preview").click().run()


@pytest.mark.parametrize(("fill", "key"), [
    pytest.param(lambda at: paste(at, ""), "add.need_text", id="empty-paste"),
    pytest.param(lambda at: paste(at, " \n\t\u200f\u200b\ufeff "), "add.need_text", id="invisible-paste"),
    pytest.param(lambda at: fetch_url(at, "   "), "add.need_url", id="empty-url"),
    pytest.param(_no_files, "add.need_files", id="no-files"),
])
def test_an_empty_form_asks_for_what_is_missing(db: Path, users: Path, fill, key: str) -> None:
    before = snapshot(db)
    at = fill(editor_on_add())
    assert not at.exception and not box_texts(at, "rasd-error")
    assert box_texts(at, "rasd-notice") == [t(key, "en")]
    assert "add.pending" not in at.session_state
    assert snapshot(db) == before


def test_the_script_page_uploaded_as_a_file_is_shown_as_text(db: Path, users: Path) -> None:
    before = snapshot(db)
    at = editor_on_add()
    at.button_group(key="add.how").set_value("upload").run()
    at.file_uploader(key="add.files").set_value(("saved page.html", hostile_html().encode("utf-8"), "text/html"))
    at.button(key="add.upload_preview").click().run()
    assert not at.exception and not box_texts(at, "rasd-error")
    assert_escaped(at)
    text = page_text(at)
    for value in (*TEXT_VALUES, HOSTILE_TITLE, HOSTILE_OUTLET):
        assert value in text, value
    assert "__pwned=1" not in text and "alert(" not in text
    at.button(key="add.discard").click().run()
    assert snapshot(db) == before


@pytest.mark.parametrize(("name", "data", "reason"), [
    pytest.param("huge.html", b"<p>" + b"x" * 50_000_000 + b"</p>", "too large (50.0 MB", id="50MB-html"),
    pytest.param("chart.html", png_bytes(), "binary file", id="png-as-html"),
    pytest.param("chart.txt", png_bytes(), "binary file", id="png-as-txt"),
])
def test_a_bad_upload_gets_its_message_and_changes_nothing(db: Path, users: Path, name: str, data: bytes,
                                                           reason: str) -> None:
    before = snapshot(db)
    at = editor_on_add()
    at.button_group(key="add.how").set_value("upload").run()
    at.file_uploader(key="add.files").set_value((name, data, "application/octet-stream"))
    at.button(key="add.upload_preview").click().run()
    assert_refused(at, "add.bad_file", reason)
    assert snapshot(db) == before


def test_a_locked_name_stays_locked_until_the_window_ends(db: Path, users: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """20 wrong passwords for alice and 20 sign-ins as nobody, on a clock the test turns: the same answers for
    both; the right password refused until the 15 minutes after the fifth failure are over, then accepted."""
    now = [datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)]
    monkeypatch.setattr(users_module, "_utcnow", lambda: now[0])
    at = open_page("review")
    answers = {}
    for name, password in ((EDITOR, WRONG), ("nobody", PASSWORD)):
        answers[name] = [box_texts(sign_in(at, name, password), "rasd-error") for _ in range(FLOOD)]
        assert "auth.token" not in at.session_state and not at.exception
    assert answers[EDITOR] == answers["nobody"]
    assert answers[EDITOR][:5] == [[t("auth.failed", "en")]] * 5
    assert answers[EDITOR][5:] == [["too many failed sign-ins: try again in 15 minutes"]] * (FLOOD - 5)
    now[0] += users_module.LOCKOUT_WINDOW - timedelta(seconds=1)
    assert box_texts(sign_in(at, EDITOR, PASSWORD), "rasd-error") == [
        "too many failed sign-ins: try again in 1 minute"]
    assert "auth.token" not in at.session_state
    now[0] += timedelta(seconds=2)
    sign_in(at, EDITOR, PASSWORD)
    assert not at.exception and not box_texts(at, "rasd-error")
    assert "auth.token" in at.session_state


def _top_level(at: AppTest) -> dict[str, int]:
    """Each widget key on the page and the index of the main block's child it is drawn in."""
    where: dict[str, int] = {}

    def walk(node: object, top: int) -> None:
        key = getattr(node, "key", None)
        if isinstance(key, str):
            where[key] = top
        for child in getattr(node, "children", {}).values():
            walk(child, top)

    for index, child in at.main.children.items():
        walk(child, index)
    return where


def test_a_message_that_goes_away_leaves_everything_below_in_its_place(db: Path, users: Path) -> None:
    """After a decision the page says so once; on the next run the message is gone and every card and widget is
    where it was (the browser keeps the state of what it drew by place: an Edit box opened after a decision closed,
    and another card's opened, when the message above it went away; seen in Chromium by the loop test)."""
    at = sign_in(open_page("review"), EDITOR, PASSWORD)
    cards = [b.key.split(".")[1] for b in at.button if b.key and b.key.endswith(".verify")]
    assert len(cards) == 10, "the first page of the eleven seed events"
    at.button(key=f"rv.{cards[0]}.verify").click().run()
    assert box_texts(at, "rasd-success") == [t("review.done_verify", "en", id=cards[0])]
    with_message = _top_level(at)
    at.run()
    assert box_texts(at, "rasd-success") == []
    assert _top_level(at) == with_message
