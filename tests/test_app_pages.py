"""The Streamlit pages under AppTest: URL state, filters, notices, the map payload, escaping of article text."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.gazetteer import default_gazetteer
from rasd.views.filters import Filters
from rasd.views.i18n import t
from rasd.views.mapview import PAYLOAD_ROW
from rasd.models import Article
from rasd.store import Store
from rasd.ui import text as ui_text
from rasd.views.viewstate import View

from hostile import Node, parse_html

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ("map", "timeline", "events", "places", "sources")
TIMEOUT = 60

HOSTILE_FILE = "zz_hostile.txt"
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE = Article(
    file=HOSTILE_FILE,
    title="<script>alert('title')</script> عنوان",
    outlet="<b>Evil</b> News",
    url="javascript:alert(1)",
    published=date(2023, 3, 2),
    text=(
        f"{HOSTILE_SCRIPT} عنوان الخبر عن الهجمات على القوات الأمريكية في العراق\n"
        "تعرضت قاعدة عين الأسد الجوية التي تضم قوات أميركية في محافظة الأنبار لهجوم بطائرة مسيرة "
        f"{HOSTILE_IMG} فجر اليوم.\n"
    ),
)
# An HTML tag that was not escaped: '<' not written as &lt; (HTML) nor as \< (Markdown).
RAW_TAG = re.compile(r"(?<!\\)<\s*(script|img)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A database built from the seeds plus one article whose text, title, outlet and URL are hostile."""
    path = tmp_path_factory.mktemp("app") / "rasd.sqlite"
    store = Store.build_from_folder(path, seeds_dir)
    store.ingest([HOSTILE])
    return path


@pytest.fixture(scope="module")
def events(app_db: Path) -> pd.DataFrame:
    """The events frame of the test database."""
    return Store(app_db, create=False).events_frame()


@pytest.fixture
def use_db(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the test database."""
    monkeypatch.setenv("RASD_DB", str(app_db))
    return app_db


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the app, then open a page with URL parameters, as a deep link does."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if page == "map":
        at.query_params.update(params or {})
        return at.run()
    at.run()
    at.query_params.clear()
    at.query_params.update(params or {})
    return at.switch_page(f"pages/{page}.py").run()


def assert_clean(at: AppTest) -> None:
    """No exception element and no error message on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not html_boxes(at, "rasd-error"), [b.text() for b in html_boxes(at, "rasd-error")]


def shown(events: pd.DataFrame, params: dict[str, str]) -> pd.DataFrame:
    """The events a URL's filters keep, computed by the core."""
    filters, _ = Filters.from_query(params)
    return filters.apply(events)


def markdown_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def html_boxes(at: AppTest, cls: str) -> list[Node]:
    """The boxes of one class (rasd-summary, rasd-notice, rasd-error, ...) that text.show() drew."""
    found = []
    for element in at.html:
        for node in parse_html(element.value).walk():
            if cls in node.classes():
                found.append(node)
    return found


def summary(at: AppTest) -> str:
    """The sentence saying what is shown (under the title)."""
    (box,) = html_boxes(at, "rasd-summary")
    return box.text()


def notice_lines(at: AppTest) -> list[str]:
    """The sentences of the notice box (after its header)."""
    boxes = html_boxes(at, "rasd-notice")
    return [line.text() for box in boxes for line in box.children[1:] if isinstance(line, Node)]


def html_texts(at: AppTest) -> list[str]:
    """The text content of every st.html element."""
    return [parse_html(h.value).text() for h in at.html]


def map_numbers(at: AppTest) -> list[int]:
    """The events.pos numbers in the map payload st_folium would draw (the browser gets no event ids)."""
    (element,) = at.get("component_instance")
    script = json.loads(element.proto.json_args)["script"]
    at_payload = script.index('{"places":')
    payload, _ = json.JSONDecoder().raw_decode(script, at_payload)
    return [row[PAYLOAD_ROW.index("pos")] for row in payload["rows"]]


def ids_by_pos(db: Path) -> dict[int, str]:
    """Every event's id by its events.pos number."""
    return dict(Store(db, create=False).read("SELECT pos, id FROM events"))


# The pages.


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_seed_data(use_db: Path, events: pd.DataFrame, page: str) -> None:
    at = open_page(page)
    assert_clean(at)
    assert [h.value for h in at.title] == [t(f"page.{page}", "en")]
    expected = Filters().describe(len(events), lang="en")
    assert summary(at) == expected
    assert at.query_params == {}


@pytest.mark.parametrize("page", PAGES)
def test_query_params_initialise_the_widgets_and_the_sentence(use_db: Path, events: pd.DataFrame, page: str) -> None:
    params = {"start": "2022-01-01", "end": "2022-06-30", "weapon": "rocket,drone", "governorate": "anbar"}
    at = open_page(page, params)
    assert_clean(at)
    assert at.multiselect(key="sb.weapon").value == ["drone", "rocket"]
    assert at.multiselect(key="sb.governorate").value == ["anbar"]
    assert at.date_input(key="sb.dates").value == (date(2022, 1, 1), date(2022, 6, 30))
    filters, _ = Filters.from_query(params)
    names = {"anbar": "Anbar"}
    assert summary(at) == filters.describe(len(filters.apply(events)), lang="en", names=names)
    assert at.query_params == Filters.from_query(params)[0].to_query()


def test_a_place_without_attacks_is_a_valid_filter(use_db: Path, events: pd.DataFrame) -> None:
    gazetteer = default_gazetteer()
    place = next(p for p in gazetteer.places if p.id not in set(events["place"]) and p.kind != "governorate")
    at = open_page("events", {"place": place.id, "q": "الأسد", "lang": "ar"})
    assert_clean(at)
    assert not at.warning and not notice_lines(at)
    assert at.multiselect(key="sb.place").value == [place.id]
    assert at.text_input(key="sb.q").value == "الأسد"
    assert at.button_group(key="sb.lang").value == "ar"
    expected = Filters(places=(place.id,), q="الأسد").describe(0, lang="ar", names={place.id: place.name_ar})
    assert summary(at) == expected


def test_deep_link_to_the_timeline_shows_that_view(use_db: Path, events: pd.DataFrame) -> None:
    at = open_page("timeline", {"start": "2022-01-01", "weapon": "drone"})
    assert_clean(at)
    assert at.query_params == {"start": "2022-01-01", "weapon": "drone"}
    expected = shown(events, {"start": "2022-01-01", "weapon": "drone"})
    listed = at.dataframe[0].value
    assert sorted(listed["id"]) == sorted(expected["id"])
    # The date column is text (an em dash when unknown); the rows are in the order of the events' dates.
    days = expected.set_index("id")["date"]
    dated = [days[i] for i in listed["id"] if isinstance(days[i], date)]
    assert dated == sorted(dated)
    assert all(isinstance(days[i], date) for i in list(listed["id"])[: len(dated)]), "undated events come last"


def test_a_span_selected_on_the_timeline_sets_the_date_filter(use_db: Path, events: pd.DataFrame) -> None:
    at = open_page("timeline", {"weapon": "rocket"})
    first, last = date(2022, 1, 3), date(2022, 5, 8)
    brushed = [_epoch_ms(first), _epoch_ms(last)]
    at.session_state["timeline.chart"] = {"selection": {"span": {"period": brushed}}}
    at.run()
    assert_clean(at)
    assert at.query_params == {"start": first.isoformat(), "end": last.isoformat(), "weapon": "rocket"}
    params = dict(at.query_params)
    assert sorted(at.dataframe[0].value["id"]) == sorted(shown(events, params)["id"])
    # Widening the dates in the sidebar wins over the chart's old selection, which stays in the widget state.
    at.button_group(key="sb.preset").set_value("all").run()
    assert at.query_params == {"weapon": "rocket"}


def _epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


@pytest.mark.parametrize(
    ("widget", "action", "param", "value"),
    [
        ("multiselect", lambda w: w.select("rocket"), "weapon", "rocket"),
        ("multiselect", lambda w: w.select("convoy"), "target", "convoy"),
        ("multiselect", lambda w: w.select("anbar"), "governorate", "anbar"),
        ("text_input", lambda w: w.input("عين الأسد"), "q", "عين الأسد"),
        ("date_input", lambda w: w.set_value((date(2022, 1, 4), date(2022, 5, 30))), "start", "2022-01-04"),
        ("button_group", lambda w: w.set_value("ar"), "lang", "ar"),
    ],
)
def test_changing_a_widget_updates_the_url(use_db: Path, widget: str, action, param: str, value: str) -> None:
    keys = {"weapon": "sb.weapon", "target": "sb.target", "governorate": "sb.governorate", "q": "sb.q",
            "start": "sb.dates", "lang": "sb.lang"}
    at = open_page("places")
    action(getattr(at, widget)(key=keys[param])).run()
    assert_clean(at)
    assert at.query_params[param] == value


def test_date_presets_and_reset(use_db: Path, events: pd.DataFrame) -> None:
    last = max(d for d in events["date"] if isinstance(d, date))
    at = open_page("places", {"weapon": "rocket"})
    at.button_group(key="sb.preset").set_value("last30").run()
    assert at.query_params["end"] == last.isoformat()
    assert date.fromisoformat(at.query_params["start"]) == date.fromordinal(last.toordinal() - 29)
    assert at.query_params["weapon"] == "rocket"
    at.button(key="sb.reset").click().run()
    assert_clean(at)
    assert at.query_params == {}
    assert at.multiselect(key="sb.weapon").value == []


@pytest.mark.parametrize("page", PAGES)
def test_filters_survive_a_page_switch(use_db: Path, page: str) -> None:
    at = open_page("map")
    at.multiselect(key="sb.weapon").select("rocket").run()
    at.text_input(key="sb.q").input("الأسد").run()
    # The browser drops the query on a page switch; the app writes it back.
    at.query_params.clear()
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at)
    assert at.query_params == {"weapon": "rocket", "q": "الأسد"}
    assert at.multiselect(key="sb.weapon").value == ["rocket"]
    assert at.text_input(key="sb.q").value == "الأسد"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"weapon": "tank"}, "weapon"),
        ({"start": "2022-02-30"}, "start"),
        ({"lat": "999", "lon": "44"}, "lat"),
        ({"zoom": "99"}, "zoom"),
        ({"event": "<script>"}, "event"),
        ({"governorate": "atlantis"}, "governorate"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_a_bad_url_value_shows_a_notice_not_an_exception(use_db: Path, page: str, params: dict, param: str) -> None:
    at = open_page(page, params)
    assert_clean(at)
    warnings = notice_lines(at)
    assert any(param in w for w in warnings), warnings
    assert param not in at.query_params
    assert summary(at), "the describe sentence is still shown"


def test_free_text_from_the_url_stays_text(use_db: Path) -> None:
    at = open_page("places", {"q": HOSTILE_SCRIPT})
    assert_clean(at)
    (sentence,) = [h.value for h in at.html if "rasd-summary" in h.value]
    assert not RAW_TAG.search(sentence)
    assert HOSTILE_SCRIPT in summary(at)
    assert not any(HOSTILE_SCRIPT in m for m in markdown_texts(at))


# The map.


@pytest.mark.parametrize(
    "params",
    [{}, {"weapon": "drone"}, {"governorate": "anbar", "weapon": "rocket"}, {"start": "2022-01-01", "end": "2022-12-31"},
     {"q": "عين الأسد"}, {"weapon": "mortar"}],
)
def test_the_map_draws_exactly_the_filtered_events(use_db: Path, events: pd.DataFrame, params: dict) -> None:
    at = open_page("map", params)
    assert_clean(at)
    expected = shown(events, params)
    located = expected[expected["lat"].notna() & expected["lon"].notna()]
    ids = ids_by_pos(use_db)
    assert sorted(ids[n] for n in map_numbers(at)) == sorted(located["id"])


def test_a_marker_click_selects_its_event_by_number(use_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """st_folium returns the clicked marker's tooltip text, ending in its number: the URL gets the event's id."""
    import streamlit_folium

    at = open_page("map")
    number = map_numbers(at)[3]
    event_id = ids_by_pos(use_db)[number]
    drawn = streamlit_folium.st_folium
    clicked = {"last_object_clicked_tooltip": f"2022-01-04 · Drone · Somewhere#{number}"}

    def click(*args, **kwargs):
        drawn(*args, **kwargs)
        return clicked

    # What the component would send back after a click (AppTest runs no browser); the page imports it on each run.
    monkeypatch.setattr(streamlit_folium, "st_folium", click)
    at.run()
    assert_clean(at)
    assert at.query_params["event"] == event_id
    assert t("event.details", "en") in [h.value for h in at.subheader]
    # A number no public event has selects nothing.
    clicked = {"last_object_clicked_tooltip": "Somewhere#999999999"}
    at = open_page("map")
    assert_clean(at)
    assert "event" not in at.query_params


def test_a_selected_event_shows_its_record_with_arabic_evidence(use_db: Path, events: pd.DataFrame) -> None:
    row = events.loc[events["articles"].map(lambda a: HOSTILE_FILE in a)].iloc[0]
    at = open_page("map", {"event": row["id"]})
    assert_clean(at)
    assert at.query_params["event"] == row["id"]
    assert any(row["place_name"] in m for m in html_texts(at))
    evidence = [h.value for h in at.html if "rasd-evidence" in h.value]
    assert evidence and all('dir="rtl"' in h for h in evidence)
    assert all(not RAW_TAG.search(h.value) for h in at.html)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in evidence)
    assert all("href=\"javascript" not in h.value.lower() for h in at.html)


def test_an_unknown_event_id_says_so(use_db: Path) -> None:
    at = open_page("map", {"event": "0123456789ab"})
    assert_clean(at)
    assert t("event.not_found", "en") in [i.value for i in at.info]


# The other pages.


def test_events_page_offers_downloads_and_a_citation(use_db: Path, events: pd.DataFrame) -> None:
    params = {"weapon": "rocket"}
    at = open_page("events", params)
    assert_clean(at)
    labels = {b.label for b in at.download_button}
    assert {t("download.csv", "en"), t("download.geojson", "en"), t("download.citation", "en")} <= labels
    expected = shown(events, params)
    assert sorted(at.dataframe[0].value["id"]) == sorted(expected["id"])
    citation = at.main.code[0].value
    english = Filters.from_query(params)[0].describe(len(expected), lang="en")
    assert english.rstrip(".") in citation
    assert f"{len(expected):,} event" in citation
    assert View.from_query(params)[0].url(page="events") in citation
    for outlet in {name for names in expected["outlet_names"] for name in names}:
        assert outlet in citation


def test_the_sources_page_opens_the_selected_events_report(use_db: Path, events: pd.DataFrame) -> None:
    row = events.loc[events["articles"].map(lambda a: HOSTILE_FILE in a)].iloc[0]
    at = open_page("sources", {"event": row["id"]})
    assert_clean(at)
    assert at.selectbox(key="sources.article").value == row["articles"][0]


EVENT_COLUMNS = ("event.date", "event.place", "event.governorate", "event.weapon", "event.target",
                 "event.outcome", "event.killed", "event.wounded", "event.n_sources")


def shown_columns(frame) -> list[str]:
    """The columns a st.dataframe element displays, in order."""
    return list(frame.proto.column_order)


@pytest.mark.parametrize(
    ("page", "lang"), [("events", "en"), ("timeline", "ar"), ("sources", "en"), ("sources", "ar"), ("places", "en")]
)
def test_tables_show_few_columns_and_never_none(use_db: Path, events: pd.DataFrame, page: str, lang: str) -> None:
    at = open_page(page, {"lang": lang})
    assert_clean(at)
    assert at.dataframe
    for frame in at.dataframe:
        columns = shown_columns(frame)
        assert columns and "id" not in columns and "file" not in columns
        assert len(columns) <= 9
        config = json.loads(frame.proto.columns)
        assert all(config.get(c, {}).get("width") for c in columns), config
        values = frame.value[columns]
        assert not values.isna().any().any(), values
        assert not values.astype(str).isin(["None", "nan", "NaT", "<NA>", ""]).any().any(), values
    if page in ("events", "timeline"):
        assert shown_columns(at.dataframe[0]) == [t(k, lang) for k in EVENT_COLUMNS]
    if page == "places":
        assert shown_columns(at.dataframe[0])[:2] == [t("event.place", lang), t("places.events", lang)]
        assert t("places.name_en", lang) not in shown_columns(at.dataframe[0])


def test_unknown_casualties_are_a_dash_and_zero_stays_zero(use_db: Path, events: pd.DataFrame) -> None:
    at = open_page("events")
    table = at.dataframe[0].value.set_index("id")
    for column in ("killed", "wounded"):
        shown = table[t(f"event.{column}", "en")]
        for event_id, value in events.set_index("id")[column].items():
            assert shown[event_id] == ("\u2014" if pd.isna(value) else str(int(value))), (event_id, column)


def test_the_article_picker_shows_isolated_title_then_file(use_db: Path) -> None:
    at = open_page("sources")
    assert_clean(at)
    articles = Store(use_db, create=False).articles_frame().set_index("file")
    picker = at.selectbox(key="sources.article")
    assert picker.options
    for option, file in zip(picker.options, articles.index):
        title = articles.loc[file, "title"]
        assert option == (f"\u2068{title}\u2069 \u2014 \u2068{file}\u2069" if title else f"\u2068{file}\u2069")


def test_search_and_reset_come_right_after_the_language(use_db: Path) -> None:
    at = open_page("events")
    keyed = [node.key for node in at.sidebar if getattr(node, "key", None) in
             ("sb.lang", "sb.q", "sb.reset", "sb.dates", "sb.preset", "sb.weapon")]
    assert keyed == ["sb.lang", "sb.q", "sb.reset", "sb.dates", "sb.preset", "sb.weapon"]


def test_places_search_finds_arabic_and_english_spellings(use_db: Path, events: pd.DataFrame) -> None:
    at = open_page("places")
    for query in ("عين الاسد", "Ain al-Asad"):
        at.text_input(key="places.q").input(query).run()
        assert_clean(at)
        table = at.dataframe[0].value
        row = table.loc[table["id"] == "ain-al-asad"]
        assert len(row) == 1
        assert int(row[t("places.events", "en")].iloc[0]) == int((events["place"] == "ain-al-asad").sum())


def test_a_hostile_article_renders_as_text_on_the_sources_page(use_db: Path) -> None:
    at = open_page("sources")
    at.selectbox(key="sources.article").set_value(HOSTILE_FILE).run()
    assert_clean(at)
    bodies = [h.value for h in at.html if '<div class="rasd-text rasd-article"' in h.value]
    assert len(bodies) == 1
    body = bodies[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert 'dir="rtl"' in body
    assert "<mark>" in body, "the evidence sentence is highlighted"
    for element in at.html:
        assert not RAW_TAG.search(element.value), element.value
        assert "href=\"javascript" not in element.value.lower()
    for value in markdown_texts(at):
        assert not RAW_TAG.search(value), value


def test_the_arabic_interface_runs_right_to_left(use_db: Path) -> None:
    at = open_page("sources", {"lang": "ar"})
    assert_clean(at)
    assert [h.value for h in at.title] == [t("page.sources", "ar")]
    assert any("direction: rtl" in h.value and "stSidebar" in h.value for h in at.html)
    assert at.button_group(key="sb.lang").value == "ar"


def test_copy_link_holds_the_page_and_the_view(use_db: Path) -> None:
    at = open_page("timeline", {"weapon": "drone", "lang": "ar"})
    assert_clean(at)
    codes = [c.value for c in at.sidebar.code]
    assert codes == [View.from_query({"weapon": "drone", "lang": "ar"})[0].url(page="timeline")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    path = tmp_path / "empty.sqlite"
    Store(path)
    monkeypatch.setenv("RASD_DB", str(path))
    at = open_page(page, {"weapon": "drone"})
    assert_clean(at)
    assert summary(at) == Filters(weapons=("drone",)).describe(0, lang="en")


@pytest.mark.parametrize("page", PAGES)
def test_an_unreadable_database_shows_a_short_error_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     page: str) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_text("this is not a database\n" * 100, encoding="utf-8")
    monkeypatch.setenv("RASD_DB", str(path))
    at = open_page(page)
    assert not at.exception
    errors = [box.text() for box in html_boxes(at, "rasd-error")]
    assert errors and all(e.startswith(t("error.title", "en")) and "Traceback" not in e for e in errors)


@pytest.mark.parametrize("page", ["map", "timeline"])
def test_an_older_store_names_the_upgrade_command_and_is_left_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_db: Path, page: str) -> None:
    import shutil
    import sqlite3

    path = tmp_path / "old.sqlite"
    shutil.copy(app_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    before = path.read_bytes()
    monkeypatch.setenv("RASD_DB", str(path))
    at = open_page(page)
    assert not at.exception
    errors = [box.text() for box in html_boxes(at, "rasd-error")]
    assert errors and all(f"rasd db upgrade --db {path}" in e and "Traceback" not in e for e in errors), errors
    assert path.read_bytes() == before


def test_first_start_builds_the_database_from_the_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        seeds_dir: Path) -> None:
    path = tmp_path / "new" / "rasd.sqlite"
    monkeypatch.setenv("RASD_DB", str(path))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert path.is_file()
    n = len(Store(path, create=False).events_frame())
    assert n > 0
    assert summary(at) == Filters().describe(n, lang="en")


# Safe text helpers.


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("/relative/path", ""),
        ("https://exa mple.org", ""),
        ("", ""),
    ],
)
def test_only_http_links_are_linked(url: str, safe: str) -> None:
    assert ui_text.safe_url(url) == safe
    if not safe:
        assert "href" not in ui_text.link(url, "x")


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", "**bold** [x](javascript:alert(1))", "a_b_c # h1 `code` <img src=x>", "٣٠ / ٥",
     ":material/home: :red[x] $$x$$ www.evil.example"],
)
def test_show_puts_a_value_on_the_page_as_text(value: str) -> None:
    for kind in ui_text.KINDS:
        html = ui_text.box(value, kind=kind, lang="ar")
        assert not RAW_TAG.search(html)
        tree = parse_html(html)
        (outer,) = [c for c in tree.children if isinstance(c, Node)]
        (span,) = [n for n in outer.walk() if "rasd-literal" in n.classes()]
        assert span.text() == value and not [c for c in span.children if isinstance(c, Node)]
        assert outer.text() == value


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("a <b> c", [(2, 5)], '<mark>&lt;b&gt;</mark>'),
        ("x & y", [(0, 1), (4, 5)], "<mark>x</mark> &amp; <mark>y</mark>"),
        ("abc", [(0, 2), (1, 3)], "<mark>abc</mark>"),
        ("abc", [(5, 9)], "abc"),
    ],
)
def test_highlighting_escapes_the_text_then_marks_the_spans(text: str, spans: list, expected: str) -> None:
    html = ui_text.highlighted(text, spans)
    assert expected in re.sub(r'</?span[^>]*>', "", html)
    assert parse_html(html).text() == text
    assert html.startswith('<div class="rasd-text rasd-article" dir="rtl"')


def test_evidence_is_found_by_offsets_or_by_its_sentence() -> None:
    text = "مقدمة. جملة الدليل هنا. خاتمة."
    sentence = "جملة الدليل هنا"
    at = text.index(sentence)
    assert ui_text.spans_of(text, [sentence]) == [(at, at + len(sentence))]
    assert ui_text.spans_of(text, [], [(at, at + len(sentence))]) == [(at, at + len(sentence))]
    assert ui_text.spans_of(text, ["غير موجودة"]) == []


@pytest.mark.parametrize(
    ("text", "rtl", "expected"),
    [
        ("date line in the text: 05 يناير 2022", False, "date line in the text: \u206705 يناير 2022\u2069"),
        ("the page states الاثنين 1 يناير 2024, but", False, "the page states \u2067الاثنين 1 يناير 2024\u2069, but"),
        ("outlet from the header كنوز ميديا; no date", False, "outlet from the header \u2067كنوز ميديا\u2069; no date"),
        ("Ain al-Asad Air Base", False, "Ain al-Asad Air Base"),
        ("33.7856, 42.4412 (موقع محدد)", True, "\u206633.7856, 42.4412\u2069 (موقع محدد)"),
        ("قاعدة Ain al-Asad الجوية", True, "قاعدة \u2066Ain al-Asad\u2069 الجوية"),
        ("قاعدة عين الأسد", True, "قاعدة عين الأسد"),
    ],
)
def test_runs_of_the_other_direction_are_isolated(text: str, rtl: bool, expected: str) -> None:
    assert ui_text.isolate_runs(text, rtl=rtl) == expected
    stripped = "".join(c for c in ui_text.isolate_runs(text, rtl=rtl) if c not in "\u2066\u2067\u2068\u2069")
    assert stripped == text


def test_isolate_wraps_text_in_first_strong_isolate() -> None:
    assert ui_text.isolate("العراق") == "\u2068العراق\u2069"
    assert ui_text.isolate("") == ""


def test_the_page_style_leaves_little_space_above_the_title() -> None:
    css = ui_text.rtl_css(rtl=False)
    padding = re.search(r'\[data-testid="stMainBlockContainer"\] \{ padding-top: ([\d.]+)rem; \}', css)
    assert padding and float(padding.group(1)) <= 5
    title = re.search(r'\[data-testid="stMain"\] h1 \{ font-size: ([\d.]+)rem;', css)
    assert title and float(title.group(1)) <= 2.2
    assert '[data-testid="stSidebar"], ' in ui_text.rtl_css(rtl=True) and '[data-testid="stSidebar"], ' not in css


def test_the_cache_key_follows_writes_not_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' reads are keyed on the store's change counter: reading leaves it, every ingest moves it."""
    from rasd.articles import load_articles
    from rasd.ui import data

    db = tmp_path / "s.sqlite"
    Store(db)
    monkeypatch.setenv("RASD_DB", str(db))
    before = data.current_stamp()
    Store(db).events_frame()
    assert data.current_stamp() == before
    Store(db).ingest(load_articles([ROOT / "seeds"]).articles[:1])
    assert data.current_stamp() != before
