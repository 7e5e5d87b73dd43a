"""The real dashboard in headless Chromium, offline: shared links, marker clicks, navigation, hostile text, RTL.

One `streamlit run app.py` serves a database built by the command line from the seeds plus one hostile
article (HTML in its title, text and outlet); a second serves the seeds plus the hostile corpus of
tests/data/hostile/ (one article per value), for the hostile links, paths and articles at the end. Every
request that leaves localhost is aborted and counted.
Screenshots go to test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page

import hostile
from e2e_support import (
    HOSTILE_FILE,
    HOSTILE_IMG,
    HOSTILE_OUTLET,
    HOSTILE_SCRIPT,
    HOSTILE_SENTENCE,
    HOSTILE_TITLE,
    MAP_IFRAME,
    ROOT,
    OfflineGuard,
    StreamlitServer,
    ids_by_pos,
    ingest,
    injection_report,
    markup_from,
    open_settled,
    pointing_outside,
    probe,
    push_url,
    start_streamlit,
    wait_for_markers,
    wait_for_run,
    wait_for_title,
    watched,
    write_hostile_folder,
)
from rasd.articles import outlet_id
from rasd.views.filters import Filters
from rasd.views.i18n import label, t
from rasd.store import Store
from rasd.ui.text import safe_url
from rasd.views.viewstate import URL_PARAMS, View

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-output" / "screenshots"
VIEWPORT = {"width": 1440, "height": 900}
MAX_FULL_HEIGHT = 4000
SHARED = {"start": "2022-01-01", "end": "2022-01-31", "weapon": "drone"}
BAD = {"start": "2022-02-30", "weapon": "tank", "lat": "999"}
# Several events at one base: the map clusters them, so a click has to go through the cluster.
STACKED = {"weapon": "rocket"}
CLICK_TIMEOUT_MS = 20_000
MAX_CLUSTER_CLICKS = 6
ARABIC = re.compile("[\u0600-\u06ff]")

# The events.pos numbers of the markers in the map's cluster layers (each marker carries its payload row; the number
# is field 5, see rasd.views.mapview.PAYLOAD_ROW): the browser never gets event ids.
DRAWN_NUMBERS = """() => {
    const groups = [];
    for (const key of Object.keys(window)) {
        try { if (window[key] instanceof L.MarkerClusterGroup) { groups.push(window[key]); } } catch (e) {}
    }
    return groups.flatMap(g => g.getLayers().map(m => m.rasdRow ? m.rasdRow[5] : null));
}"""
# Events a person sees: single markers plus the number written on each cluster.
VISIBLE_COUNT = """() => {
    const pane = document.querySelector(".leaflet-marker-pane");
    if (!pane) { return -1; }
    const singles = pane.querySelectorAll(".rasd-icon").length;
    const grouped = [...pane.querySelectorAll(".rasd-cluster span")].reduce((n, s) => n + Number(s.textContent), 0);
    return singles + grouped;
}"""
# Each sidebar multiselect: its label and the values it holds (tags; the <template> copy is not matched).
MULTISELECTS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')]
    .map(w => ({
        label: (w.querySelector('[data-testid="stWidgetLabel"]') || {}).innerText || "",
        tags: [...w.querySelectorAll('[data-tag], [data-baseweb="tag"]')]
            .map(x => (x.getAttribute("aria-label") || x.innerText).trim()),
    }))"""
HAS_TITLE = """title => [...document.querySelectorAll('[data-testid="stMain"] h1')]
    .some(h => h.innerText.trim() === title)"""
DATE_INPUTS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stDateInput"] input')]
    .map(i => i.value.replace(/\\s+/g, ""))"""


@dataclass
class Tab:
    """One browser page on the app, routed offline, recording dialogs."""

    page: Page
    base: str
    guard: OfflineGuard
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str, *, markers: bool = False) -> None:
        """Load a path of the app and wait for the script run (and the map's markers when asked)."""
        self.page.goto(self.base + path, wait_until="domcontentloaded")
        wait_for_run(self.page)
        if markers:
            wait_for_markers(self.page)

    def query(self) -> dict[str, list[str]]:
        """The query parameters of the address bar right now."""
        return parse_qs(self.page.evaluate("location.search").lstrip("?"))

    def main_text(self) -> str:
        """The visible text of the main block."""
        return self.page.locator('[data-testid="stMain"]').inner_text()

    def sidebar_text(self) -> str:
        """The visible text of the sidebar."""
        return self.page.locator('[data-testid="stSidebar"]').inner_text()

    def map(self) -> Frame:
        """The st_folium iframe as a Frame, to run scripts in."""
        handle = self.page.locator(MAP_IFRAME).element_handle(timeout=CLICK_TIMEOUT_MS)
        frame = handle.content_frame() if handle else None
        assert frame is not None, "the st_folium iframe has no document"
        return frame


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A database built by `python -m rasd ingest` from the seeds plus the hostile article folder."""
    root = tmp_path_factory.mktemp("e2e")
    hostile = write_hostile_folder(root / "hostile")
    db = root / "rasd.sqlite"
    ingest([seeds_dir, hostile], db)
    return db


@pytest.fixture(scope="session")
def e2e_events(e2e_db: Path) -> pd.DataFrame:
    """Every event of the test database, as the app reads them."""
    return Store(e2e_db, create=False).events_frame()


@pytest.fixture(scope="session")
def hostile_event(e2e_events: pd.DataFrame) -> pd.Series:
    """The event extracted from the hostile article (the fixture is useless without one)."""
    rows = e2e_events[e2e_events["articles"].map(lambda files: HOSTILE_FILE in files)]
    assert len(rows) >= 1, "the hostile article yielded no event: the XSS checks would test nothing"
    return rows.iloc[0]


def _serve(db: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[StreamlitServer]:
    """`streamlit run app.py` on a free port with RASD_DB set to db; stopped at the end."""
    log = tmp_path_factory.mktemp(name) / "streamlit.log"
    server = start_streamlit(ROOT / "app.py", log=log, env={"RASD_DB": str(db)})
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_server(e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app on the test database."""
    yield from _serve(e2e_db, tmp_path_factory, "e2e-server")


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for the run, so the app's scripts are cached; each page is still its own Streamlit session."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(CLICK_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def _guarded_tab(context: BrowserContext, base: str) -> Iterator[Tab]:
    """A new page (a new Streamlit session) on a server; after the test, nothing left localhost, no dialog."""
    page = context.new_page()
    with watched(page) as (guard, dialogs):
        yield Tab(page=page, base=base, guard=guard, dialogs=dialogs)


@pytest.fixture
def tab(browser_context: BrowserContext, app_server: StreamlitServer) -> Iterator[Tab]:
    """A new page on the app."""
    yield from _guarded_tab(browser_context, app_server.url)


def _expected(params: dict[str, str], events: pd.DataFrame) -> tuple[Filters, pd.DataFrame]:
    filters, notices = Filters.from_query(params)
    assert notices == [], notices
    return filters, filters.apply(events)


def _located(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["lat"].notna() & events["lon"].notna()]


def _visible_count(tab: Tab) -> int:
    """The events the map shows, once the count stopped changing (markers are added in chunks)."""
    frame = tab.map()
    frame.wait_for_function(f"() => ({VISIBLE_COUNT})() > 0", timeout=CLICK_TIMEOUT_MS)
    last = frame.evaluate(VISIBLE_COUNT)
    deadline = time.monotonic() + CLICK_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        tab.page.wait_for_timeout(300)
        now = frame.evaluate(VISIBLE_COUNT)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the number of events on the map kept changing (last {last})")


def _click_a_marker(tab: Tab) -> tuple[str, int]:
    """Click one event marker (clicking clusters first: zoom, then spiderfy); its popup text and the cluster clicks."""
    frame = tab.page.frame_locator(MAP_IFRAME)
    icons = frame.locator(".leaflet-marker-pane .rasd-icon")
    clusters = 0
    while not icons.count():
        assert clusters < MAX_CLUSTER_CLICKS, "no single marker after zooming into the clusters"
        frame.locator(".leaflet-marker-pane .rasd-cluster").first.click()
        clusters += 1
        tab.page.wait_for_timeout(800)
    icons.first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=CLICK_TIMEOUT_MS)
    return popup.inner_text(), clusters


def _screenshot(tab: Tab, name: str) -> list[Path]:
    """The first screen as a reader sees it, and the whole page (main block unrolled)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = SCREENSHOTS / f"{name}.png"
    tab.page.screenshot(path=str(first))
    height = tab.page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight), document.documentElement.scrollHeight)"""
    )
    tab.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(height, VIEWPORT["height"]),
                                                                         MAX_FULL_HEIGHT)})
    tab.page.wait_for_timeout(500)
    full = SCREENSHOTS / f"{name}-full.png"
    tab.page.screenshot(path=str(full), full_page=True)
    tab.page.set_viewport_size(VIEWPORT)
    return [first, full]


def _no_error_box(tab: Tab, lang: str = "en") -> None:
    page = tab.page
    assert page.locator('[data-testid="stException"]').count() == 0, tab.main_text()[:2000]
    text = tab.main_text()
    assert "Traceback" not in text
    assert t("error.title", lang) not in text, text[:2000]


def test_shared_link_draws_exactly_the_matching_events(tab: Tab, e2e_db: Path, e2e_events: pd.DataFrame) -> None:
    """/map?start&end&weapon: the map draws offline, with exactly the filtered events, and says what it shows."""
    filters, shown = _expected(SHARED, e2e_events)
    located = _located(shown)
    assert len(located) >= 2, "the shared link should match several events in the test data"

    tab.open("/map?" + urlencode(SHARED), markers=True)

    frame = tab.map()
    assert frame.evaluate("typeof L === 'object' && typeof L.markerClusterGroup === 'function'")
    ids = ids_by_pos(e2e_db)
    assert sorted(ids[n] for n in frame.evaluate(DRAWN_NUMBERS)) == sorted(located["id"])
    assert _visible_count(tab) == len(located)
    assert tab.guard.aborted == [], "the map needed the internet"
    assert filters.describe(len(shown), lang="en") in tab.main_text()
    assert tab.query() == {k: [v] for k, v in SHARED.items()}
    _no_error_box(tab)


def test_marker_click_shows_the_event_and_puts_it_in_the_url(tab: Tab, e2e_db: Path,
                                                              e2e_events: pd.DataFrame) -> None:
    """A click through a cluster onto a marker opens its popup, puts it in the URL, shows its Arabic evidence RTL."""
    _, shown = _expected(STACKED, e2e_events)
    located = _located(shown)
    assert located.duplicated(["lat", "lon"]).any(), "STACKED should put several events on one spot"
    tab.open("/map?" + urlencode(STACKED), markers=True)

    popup, cluster_clicks = _click_a_marker(tab)
    assert cluster_clicks >= 1, "events on one spot must be clustered"
    # The marker carries the event's number; the server puts the event's id in the URL.
    tab.page.wait_for_function("() => !!new URLSearchParams(location.search).get('event')", timeout=CLICK_TIMEOUT_MS)
    wait_for_run(tab.page)
    (event_id,) = tab.query()["event"]
    assert event_id in set(shown["id"])
    row = shown.loc[shown["id"] == event_id].iloc[0]
    assert label("weapon", row["weapon"], "en") in popup and "#" not in popup, popup
    assert {k: v for k, v in tab.query().items() if k != "event"} == {k: [v] for k, v in STACKED.items()}

    event = Store(e2e_db, create=False).event(event_id)
    assert event is not None
    sentences = {s.evidence.strip() for s in event.sources if s.evidence}
    assert sentences
    blocks = tab.page.locator('[data-testid="stMain"] .rasd-evidence').evaluate_all(
        "els => els.map(e => ({text: e.textContent.trim(), dir: e.dir, css: getComputedStyle(e).direction}))"
    )
    assert {b["text"] for b in blocks} & sentences, blocks
    assert all(b["dir"] == "rtl" and b["css"] == "rtl" for b in blocks), blocks
    wait_for_markers(tab.page)
    assert tab.map().evaluate("() => document.querySelectorAll('.rasd-selected').length") == 1
    _no_error_box(tab)
    _screenshot(tab, "map-selected")


HEAT_CANVASES = "() => document.querySelectorAll('canvas.leaflet-heatmap-layer').length"


def _layer_shown(tab: Tab, choice: str) -> int:
    """Click a choice of the map's layer switch; the heat canvases on the redrawn map."""
    switch = tab.page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]')
    switch.get_by_role("radio", name=label("layer", choice, "en"), exact=True).click()
    wait_for_run(tab.page)
    wait_for_markers(tab.page)
    return tab.map().evaluate(HEAT_CANVASES)


def test_the_layer_switch_shows_a_heat_map_and_keeps_a_choice_clicked_again(tab: Tab,
                                                                          e2e_events: pd.DataFrame) -> None:
    """Heat map draws the shown events as heat; clicking it again keeps it (not none); Markers takes it away."""
    tab.open("/map?" + urlencode(SHARED), markers=True)
    assert tab.map().evaluate(HEAT_CANVASES) == 0
    assert _layer_shown(tab, "heat") == 1
    assert _layer_shown(tab, "heat") == 1
    pressed = tab.page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] [role="radio"][aria-checked="true"]')
    assert pressed.count() == 1 and label("layer", "heat", "en") in pressed.inner_text()
    assert _layer_shown(tab, "markers") == 0
    assert _visible_count(tab) == len(_located(_expected(SHARED, e2e_events)[1]))
    _no_error_box(tab)


def _sidebar_filters(tab: Tab) -> tuple[list[str], dict[str, list[str]]]:
    dates = tab.page.evaluate(DATE_INPUTS)
    tags = {w["label"].strip(): w["tags"] for w in tab.page.evaluate(MULTISELECTS)}
    return dates, tags


def test_filters_survive_switching_pages(tab: Tab, e2e_events: pd.DataFrame) -> None:
    """Map -> Timeline -> Map through the navigation keeps start, end and weapon in the URL and the widgets."""
    filters, shown = _expected(SHARED, e2e_events)
    expected_query = {k: [v] for k, v in SHARED.items()}
    weapon_label = t("filter.weapon", "en")
    drone = label("weapon", "drone", "en")
    tab.open("/map?" + urlencode(SHARED), markers=True)

    for page_key, markers in (("timeline", False), ("map", True)):
        tab.page.locator('[data-testid="stTopNavLink"]', has_text=t(f"page.{page_key}", "en")).first.click()
        tab.page.wait_for_function(HAS_TITLE, arg=t(f"page.{page_key}", "en"), timeout=CLICK_TIMEOUT_MS)
        wait_for_run(tab.page)
        if markers:
            wait_for_markers(tab.page)
            assert _visible_count(tab) == len(_located(shown))
        assert tab.query() == expected_query, page_key
        dates, tags = _sidebar_filters(tab)
        assert dates == [filters.start.isoformat(), filters.end.isoformat()], page_key
        assert tags.get(weapon_label) == [drone], (page_key, tags)
        assert filters.describe(len(shown), lang="en") in tab.main_text()
        _no_error_box(tab)


def test_hostile_article_is_shown_as_text_everywhere(tab: Tab, hostile_event: pd.Series) -> None:
    """HTML in an article's title, text and outlet is shown literally on Sources, Events and the map; none runs."""
    day = hostile_event["date"]
    assert isinstance(day, date)
    narrow = {"start": day.isoformat(), "end": day.isoformat()}
    selected = {**narrow, "event": hostile_event["id"]}

    tab.open("/sources?" + urlencode(selected))
    text = tab.main_text()
    for literal in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_TITLE):
        assert literal in text, f"{literal!r} is not shown as text on Sources"
    marked = tab.page.locator('[data-testid="stMain"] .rasd-article mark').all_inner_texts()
    assert any(HOSTILE_SENTENCE in m for m in marked), marked
    assert all(r["xss"] is None and r["imgs"] == r["scripts"] == r["handlers"] == 0 for r in injection_report(tab.page))

    tab.open("/events?" + urlencode(narrow))
    assert HOSTILE_OUTLET in tab.main_text(), "the outlet's HTML is not shown as text in the citation"
    assert all(r["xss"] is None and r["imgs"] == r["scripts"] == r["handlers"] == 0 for r in injection_report(tab.page))

    tab.open("/map?" + urlencode(selected), markers=True)
    text = tab.main_text()
    for literal in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_OUTLET):
        assert literal in text, f"{literal!r} is not shown as text in the event panel"
    frame = tab.page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-marker-pane .rasd-icon").first.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=CLICK_TIMEOUT_MS)
    assert " \u00b7 " in popup.inner_text()
    reports = injection_report(tab.page)
    assert any("streamlit_folium" in r["frame"] for r in reports), reports
    assert all(r["xss"] is None and r["imgs"] == r["scripts"] == r["handlers"] == 0 for r in reports), reports
    assert tab.dialogs == []


def test_bad_url_values_give_notices_not_tracebacks(tab: Tab) -> None:
    """Impossible date, unknown weapon, latitude off the planet: each is named in a visible notice."""
    _, notices = View.from_query(BAD)
    assert {n.param for n in notices} == set(BAD)

    tab.open("/map?" + urlencode(BAD), markers=True)

    alerts = "\n".join(tab.page.locator('[data-testid="stMain"] .rasd-notice').all_inner_texts())
    for notice in notices:
        assert notice.message in alerts, (notice.message, alerts)
    assert tab.page.locator('[data-testid="stMain"] .rasd-notice[role="alert"]').first.is_visible()
    _no_error_box(tab)
    assert not set(tab.query()) & set(BAD), "bad values should leave the URL once reported"


def test_arabic_interface_is_right_to_left(tab: Tab, e2e_events: pd.DataFrame) -> None:
    """lang=ar: main block and sidebar run right to left, and the labels, the sentence and the legend are Arabic."""
    tab.open("/map?lang=ar", markers=True)

    directions = tab.page.evaluate(
        """() => ["stMain", "stMainBlockContainer", "stSidebarContent"].map(id => {
            const e = document.querySelector(`[data-testid="${id}"]`);
            return e ? getComputedStyle(e).direction : null;
        })"""
    )
    assert directions == ["rtl", "rtl", "rtl"]
    title = tab.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
    assert title == t("page.map", "ar")
    main, sidebar = tab.main_text(), tab.sidebar_text()
    assert Filters().describe(len(e2e_events), lang="ar") in main
    for key in ("filters.title", "filter.weapon", "filter.dates"):
        assert t(key, "ar") in sidebar, key
    nav = tab.page.locator('[data-testid="stTopNavLink"]').all_inner_texts()
    assert any(t("page.timeline", "ar") in n for n in nav), nav
    legend = tab.map().evaluate(
        "() => { const e = document.getElementById('rasd-legend'); return e && [e.dir, e.innerText]; }"
    )
    assert legend and legend[0] == "rtl" and t("map.legend_weapon", "ar") in legend[1], legend
    assert ARABIC.search(title) and len(ARABIC.findall(main)) > 20
    _no_error_box(tab, "ar")
    for shot in _screenshot(tab, "map-ar"):
        assert shot.stat().st_size > 10_000, shot


@pytest.mark.parametrize(
    ("name", "path", "markers", "lang"),
    [
        ("map", "/map", True, "en"),
        ("timeline", "/timeline", False, "en"),
        ("events", "/events", False, "en"),
        ("places", "/places", False, "en"),
        ("sources", "/sources", False, "en"),
    ],
)
def test_screenshot_each_page(tab: Tab, name: str, path: str, markers: bool, lang: str) -> None:
    """Each page settles without an error box; its screenshots are saved under test-output/screenshots/.

    The Arabic map (map-ar.png) is taken by test_arabic_interface_is_right_to_left, the selected event
    (map-selected.png) by test_marker_click_shows_the_event_and_puts_it_in_the_url.
    """
    tab.open(path, markers=markers)
    title = tab.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
    assert title == t(f"page.{name}", lang)
    _no_error_box(tab, lang)
    if name == "timeline":
        tab.page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for(
            state="visible")
    for shot in _screenshot(tab, name):
        assert shot.stat().st_size > 10_000, shot


# Hostile links and articles (tests/data/hostile/, tests/hostile.py): a second server on the seeds plus one
# article per hostile value. Every page in both languages; links opened as a reader opens them (a new page
# load), or, for the broad run, pushed onto the history of one session (Streamlit reruns with that URL).

BROAD_LINKS = 300


@pytest.fixture(scope="session")
def hostile_e2e_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds and the hostile articles, ingested by the command line."""
    root = tmp_path_factory.mktemp("e2e-hostile")
    hostile.write_hostile_articles(root / "articles")
    db = root / "rasd.sqlite"
    ingest([seeds_dir, root / "articles"], db)
    return db


@pytest.fixture(scope="session")
def hostile_events(hostile_e2e_db: Path) -> pd.DataFrame:
    return Store(hostile_e2e_db, create=False).events_frame()


@pytest.fixture(scope="session")
def hostile_server(hostile_e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app on the hostile database."""
    yield from _serve(hostile_e2e_db, tmp_path_factory, "e2e-hostile-server")


@pytest.fixture
def hostile_tab(browser_context: BrowserContext, hostile_server: StreamlitServer) -> Iterator[Tab]:
    """A page on the hostile server."""
    yield from _guarded_tab(browser_context, hostile_server.url)


ARTICLE_URLS = frozenset(a.url for a in hostile.hostile_articles() if safe_url(a.url))


def _check_hostile_page(tab: Tab, *, page: str, lang: str, expect: list[str], values: list[str],
                        where: str) -> None:
    """No blank page, no markup built from a value, nothing pointing or going outside, each value verbatim."""
    wait_for_title(tab.page, t(f"page.{page}", lang))
    report = probe(tab.page)
    context = f"{where}\n{tab.page.url[:200]}"
    assert report["titles"][:1] == [t(f"page.{page}", lang)], f"blank or wrong page: {report['titles']} {context}"
    assert report["xss"] is None, context
    built = markup_from(report, values, allowed_hrefs=ARTICLE_URLS)
    assert not built, f"markup built from data: {built[:5]} {context}"
    outside = pointing_outside(report, allowed_hrefs=ARTICLE_URLS)
    assert not outside, f"elements pointing outside: {outside[:5]} {context}"
    assert tab.guard.aborted == [], f"requests that needed the internet: {tab.guard.aborted} {context}"
    assert tab.dialogs == [], context
    missing = [e for e in expect if not any(e in s for s in report["literals"])]
    assert not missing, f"not shown verbatim as text: {missing[:5]} {context}"
    assert "Traceback" not in report["text"], context


def _open(tab: Tab, path: str, *, reload: bool) -> None:
    if reload:
        open_settled(tab.page, tab.base + path)
    else:
        push_url(tab.page, path)


@pytest.mark.parametrize("lang", hostile.LANGS)
@pytest.mark.parametrize("page", hostile.PAGES)
def test_hostile_links_render_as_text_in_chromium(hostile_tab: Tab, page: str, lang: str) -> None:
    """The whole corpus through the list parameters (repeated), q, the dates, event, lat, lon, zoom and an
    unknown name, in a few links: the first opened as a new page load, the others within that session."""
    links = hostile.packed_links(page, lang, rotation=hostile.PAGES.index(page) + 5 * hostile.LANGS.index(lang))
    carried = {v for link in links for v in link.hostile}
    # Every value is carried whole, or (in a list parameter) as its comma-separated items.
    assert all(h.value in carried or set(hostile.list_items(h.value)) <= carried for h in hostile.values())
    for i, link in enumerate(links):
        _open(hostile_tab, link.url(), reload=i == 0)
        _check_hostile_page(hostile_tab, page=page, lang=lang, expect=link.expect, values=link.hostile,
                            where=f"link {i}")
        assert set(hostile_tab.query()) <= set(URL_PARAMS), hostile_tab.query().keys()


def test_generated_links_render_as_text_in_chromium(hostile_tab: Tab) -> None:
    """The broad run: BROAD_LINKS generated links, each to its page in its language, within one session."""
    links = hostile.generated_links(BROAD_LINKS)
    assert {(link.page, link.lang) for link in links} == {(p, lang) for p in hostile.PAGES for lang in hostile.LANGS}
    _open(hostile_tab, "/map", reload=True)
    for i, link in enumerate(links):
        _open(hostile_tab, link.url(), reload=False)
        _check_hostile_page(hostile_tab, page=link.page, lang=link.lang, expect=link.expect, values=link.hostile,
                            where=f"generated link {i}")


def test_odd_paths_open_a_page_with_a_notice(hostile_tab: Tab) -> None:
    """Unknown paths, malformed percent-encoding, misspelt and 2,000 unknown parameters (tests/data/hostile/
    paths.json), each loaded as a new page: the map or the page named (never a blank page), with its notice."""
    odd_paths = hostile.odd_paths()
    assert len(odd_paths) >= 25
    for odd in odd_paths:
        _open(hostile_tab, odd.path, reload=True)
        _check_hostile_page(hostile_tab, page=odd.page, lang="en", expect=[], values=[], where=odd.why)
        notices = "\n".join(hostile_tab.page.locator('[data-testid="stMain"] .rasd-notice').all_inner_texts())
        query = hostile_tab.query()
        if odd.notice:
            assert odd.notice in notices, (odd.why, notices)
        assert "unknown_path" not in query and "unknown_count" not in query, (odd.why, query)
        assert set(query) <= set(URL_PARAMS), (odd.why, query.keys())
        assert query.get("weapon", []) == list(odd.weapons), (odd.why, query)
        assert notices.count("unknown parameter") <= 1, (odd.why, notices)


def test_hostile_articles_render_as_text_in_chromium(hostile_tab: Tab, hostile_events: pd.DataFrame) -> None:
    """Each hostile article's event on Sources (English) and the map (Arabic), its outlet in the filter on
    every page: title, outlet, URL, note and text stay text; only an http(s) URL is a link, to itself."""
    articles = hostile.hostile_articles()
    _open(hostile_tab, "/sources", reload=True)
    for article in articles:
        rows = hostile_events[hostile_events["articles"].map(lambda files: article.file in files)]
        assert len(rows) >= 1, f"{article.file} yielded no event"
        event = rows.iloc[0]["id"]
        values = [article.value, article.title, article.note]
        _open(hostile_tab, f"/sources?event={event}", reload=False)
        expect = [article.title, article.outlet, article.note, article.value]
        _check_hostile_page(hostile_tab, page="sources", lang="en", expect=expect, values=values,
                            where=article.file)
        _open(hostile_tab, f"/map?event={event}&lang=ar", reload=False)
        _check_hostile_page(hostile_tab, page="map", lang="ar", expect=[article.title, article.outlet, article.value],
                            values=values, where=article.file)
    slugs = sorted({outlet_id(a.outlet) for a in articles} - {""})
    for page in hostile.PAGES:
        for lang in hostile.LANGS:
            for start in range(0, len(slugs), 40):
                query = urlencode({"outlet": ",".join(slugs[start:start + 40]), "lang": lang})
                _open(hostile_tab, f"/{page}?{query}", reload=False)
                _check_hostile_page(hostile_tab, page=page, lang=lang, expect=[],
                                    values=[a.outlet for a in articles], where=f"outlets on {page}")


OPTIONS = """box => [...box.querySelectorAll('[role="option"]:not([data-key="__select_all__"])')].map(o => ({
    text: o.textContent,
    markup: o.querySelectorAll("a, img, em, strong, code, .katex, [role=img], svg, del").length,
}))"""


def _menu_options(tab: Tab, widget) -> list[dict]:
    widget.locator('input[role="combobox"]').first.click()
    tab.page.keyboard.press("ArrowDown")
    listbox = tab.page.locator('[role="listbox"]').first
    listbox.wait_for(state="visible")
    options = listbox.evaluate(OPTIONS)
    tab.page.keyboard.press("Escape")
    return options


def test_hostile_outlets_and_titles_in_menus_are_plain_text(hostile_tab: Tab) -> None:
    """The outlet filter's menu and the Sources article picker list hostile names as they are: no markup."""
    articles = hostile.hostile_articles()
    _open(hostile_tab, "/sources", reload=True)
    outlet_menu = hostile_tab.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]',
                                           has_text=t("filter.outlet", "en")).first
    picker = hostile_tab.page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    for widget, names in ((outlet_menu, {a.outlet for a in articles if outlet_id(a.outlet)}),
                          (picker, {f"\u2068{a.title}\u2069 \u2014 \u2068{a.file}\u2069" for a in articles})):
        options = _menu_options(hostile_tab, widget)
        assert options, "the menu is empty"
        assert all(o["markup"] == 0 for o in options), [o for o in options if o["markup"]][:5]
        # A menu shows its first options only; those it shows are the names as they are.
        assert {o["text"] for o in options} & names, sorted(o["text"] for o in options)[:10]
    assert hostile_tab.guard.aborted == []


# The newsroom: an editor signs in on /review and verifies an event, in Chromium. Its own server and database
# (a copy of the seeds' events), so the public pages' tests above never see a decision.

EDITOR = "alice"
EDITOR_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def newsroom_env(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, str]:
    """A database of the seeds and a users file with one editor, both made by the command line."""
    root = tmp_path_factory.mktemp("e2e-newsroom")
    db, users = root / "rasd.sqlite", root / "users.json"
    ingest([seeds_dir], db)
    subprocess.run([sys.executable, "-m", "rasd", "user", "add", EDITOR, "--password-stdin", "--users", str(users)],
                   input=EDITOR_PASSWORD + "\n", text=True, cwd=ROOT, check=True, capture_output=True, timeout=120)
    return {"RASD_DB": str(db), "RASD_USERS": str(users)}


@pytest.fixture(scope="session")
def newsroom_server(newsroom_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[StreamlitServer]:
    """The app on the newsroom database, with the editors file."""
    server = start_streamlit(ROOT / "app.py", log=tmp_path_factory.mktemp("e2e-newsroom-server") / "streamlit.log",
                             env=newsroom_env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def newsroom_tab(browser_context: BrowserContext, newsroom_server: StreamlitServer) -> Iterator[Tab]:
    """A page on the newsroom server."""
    yield from _guarded_tab(browser_context, newsroom_server.url)


def test_an_editor_signs_in_on_review_and_verifies_an_event(newsroom_tab: Tab, newsroom_env: dict[str, str]) -> None:
    """A reader sees only the sign-in form; alice signs in, verifies the first event, and the store says so."""
    store = Store(newsroom_env["RASD_DB"], create=False)
    queue = store.events_frame()
    assert (queue["review"] == "unreviewed").all() and len(queue) > 1
    tab = newsroom_tab
    tab.open("/review")
    main = tab.page.locator('[data-testid="stMain"]')
    assert main.locator("input").count() == 2, "a reader gets the name and password fields, nothing else"
    # The password field's own show/hide toggle is a button too; no widget but the form's is on the page.
    assert main.locator('[data-testid="stFormSubmitButton"] button').all_inner_texts() == [t("auth.submit", "en")]
    assert main.locator('[data-testid="stButton"], [data-testid="stSelectbox"], [data-testid="stExpander"]').count() == 0
    assert not any(e in tab.main_text() for e in queue["evidence"])
    _no_error_box(tab)

    main.get_by_role("textbox", name=t("auth.name", "en"), exact=True).fill(EDITOR)
    main.get_by_role("textbox", name=t("auth.password", "en"), exact=True).fill(EDITOR_PASSWORD)
    main.get_by_role("button", name=t("auth.submit", "en")).click()
    wait_for_run(tab.page)
    assert f"{t('auth.signed_in_as', 'en')} {EDITOR}" in tab.sidebar_text()
    verify = main.get_by_role("button", name=t("review.verify", "en"), exact=True)
    cards = verify.count()
    assert cards >= 1
    verify.first.click()
    wait_for_run(tab.page)

    (decision,) = store.decisions()
    assert (decision.kind, decision.editor) == ("verify", EDITOR)
    assert store.event(decision.event_id).review == "verified"
    assert t("review.done_verify", "en", id=decision.event_id) in tab.main_text()
    assert main.get_by_role("button", name=t("review.verify", "en"), exact=True).count() == min(
        cards, int((queue["review"] == "unreviewed").sum()) - 1)
    _no_error_box(tab)
    for shot in _screenshot(tab, "review"):
        assert shot.stat().st_size > 10_000, shot
