"""View: the whole URL state round-trips, and bad map/event/lang values are dropped with a notice."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from rasd.errors import FilterError
from rasd.views.filters import Filters, KnownIds
from rasd.views.viewstate import LAT_RANGE, LON_RANGE, PAGES, View, page_name

VIEWS = [
    View(),
    View(lang="ar"),
    View(event="0123456789ab"),
    View(event="abcdef"),
    View(event="a" * 40),
    View(lat=33.3, lon=44.4),
    View(lat=33.123456789, lon=44.987654321, zoom=9),
    View(lat=LAT_RANGE[0], lon=LON_RANGE[1], zoom=3),
    View(lat=-0.0 + LAT_RANGE[1], lon=LON_RANGE[0], zoom=18),
    View(zoom=6),
    View(filters=Filters(weapons=("drone",), start=date(2022, 1, 1)), event="deadbeef", lang="ar"),
    View(
        filters=Filters(start=date(2022, 1, 1), end=date(2022, 1, 31), weapons=("rocket", "drone"),
                        targets=("base",), outcomes=("hit",), governorates=("anbar",), places=("ain-al-asad",),
                        claimants=("kataib-hezbollah",), outlets=("rudaw",), q="عين الأسد"),
        event="abc123", lat=33.8, lon=42.44, zoom=12, lang="ar",
    ),
]


@pytest.mark.parametrize("view", VIEWS)
def test_round_trip(view):
    query = view.to_query()
    again, notices = View.from_query(query)
    assert notices == []
    assert again == view
    assert again.to_query() == query


@pytest.mark.parametrize("view", VIEWS)
def test_round_trip_through_a_url(view):
    url = view.url("http://localhost:8501", page="timeline")
    parts = urlsplit(url)
    assert parts.path == "/timeline"
    params = parse_qs(parts.query)
    assert View.from_query(params, page=parts.path)[0] == view


def test_query_order_and_defaults():
    view = View(filters=Filters(q="x", weapons=("drone",)), event="abcdef", lat=33.0, lon=44.0, zoom=7, lang="ar")
    assert list(view.to_query()) == ["weapon", "q", "event", "lat", "lon", "zoom", "lang"]
    assert view.to_query()["lat"] == "33.00000"
    assert View().to_query() == {}
    assert "lang" not in View(lang="en").to_query()


def test_lists_from_streamlit_and_case():
    view, notices = View.from_query({"lang": ["en", "AR"], "event": " ABCDEF12 ", "zoom": "7.0"})
    assert notices == []
    assert (view.lang, view.event, view.zoom) == ("ar", "abcdef12", 7)


BAD = [
    # A bad lat drops lon too (a centre needs both), with a notice for each.
    ({"lat": "95", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "33", "lon": "-120"}, {"lat", "lon"}),
    ({"lat": "nan", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "inf", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "1e2", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "33,3", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "33.3"}, {"lat"}),
    ({"lon": "44.4"}, {"lon"}),
    ({"lat": "<script>", "lon": "44"}, {"lat", "lon"}),
    ({"lat": "3" * 300, "lon": "44"}, {"lat", "lon"}),
    ({"zoom": "2"}, {"zoom"}),
    ({"zoom": "19"}, {"zoom"}),
    ({"zoom": "7.5"}, {"zoom"}),
    ({"zoom": "seven"}, {"zoom"}),
    ({"zoom": "-3"}, {"zoom"}),
    ({"event": "xyz"}, {"event"}),
    ({"event": "abc"}, {"event"}),
    ({"event": "a" * 41}, {"event"}),
    ({"event": "abcdef' OR 1=1"}, {"event"}),
    ({"event": "abcdef\x00"}, {"event"}),
    ({"lang": "fr"}, {"lang"}),
    ({"lang": "arabic"}, {"lang"}),
    ({"lang": "<b>"}, {"lang"}),
    ({"weapon": "tank", "lang": "ar"}, {"weapon"}),
    ({"start": "2022-02-30", "zoom": "99", "lang": "xx"}, {"start", "zoom", "lang"}),
]


@pytest.mark.parametrize(("query", "params"), BAD)
def test_bad_values_are_dropped_with_a_notice(query, params):
    view, notices = View.from_query(query)
    assert {n.param for n in notices} == params
    for param in params:
        assert param not in view.to_query()
    assert view.lat is None or "lat" not in params
    assert (view.lat is None) == (view.lon is None)
    for notice in notices:
        assert notice.param in notice.message and len(notice.value) <= 60
        assert not any(ord(ch) < 32 for ch in notice.value)


def test_good_values_survive_next_to_bad_ones():
    view, notices = View.from_query({"weapon": "drone,tank", "lat": "33.3", "lon": "44.4", "zoom": "40",
                                     "lang": "ar"})
    assert view == View(filters=Filters(weapons=("drone",)), lat=33.3, lon=44.4, lang="ar")
    assert sorted(n.param for n in notices) == ["weapon", "zoom"]


def test_known_ids_reach_the_filters():
    view, notices = View.from_query({"place": "atlantis"}, known=KnownIds(places=frozenset({"ain-al-asad"})))
    assert view.filters.places == () and [n.param for n in notices] == ["place"]


@pytest.mark.parametrize(
    "kwargs",
    [dict(event="XYZ"), dict(lat=33.0), dict(lat=10.0, lon=44.0), dict(lat=33.0, lon=float("nan")),
     dict(zoom=2), dict(zoom=7.0), dict(zoom=True), dict(lang="fr"), dict(filters={"weapon": "drone"})],
)
def test_direct_construction_rejects_bad_values(kwargs):
    with pytest.raises(FilterError):
        View(**kwargs)


def test_with_helpers_and_reset():
    view = View(filters=Filters(weapons=("drone",)), event="abcdef", lat=33.0, lon=44.0, zoom=7, lang="ar")
    other = Filters(targets=("base",))
    assert view.with_filters(other).filters == other and view.with_filters(other).event == "abcdef"
    assert view.with_event("ABCDEF12").event == "abcdef12"
    assert view.with_event("").event == ""
    assert view.with_map(None, None, None).to_query() == {"weapon": "drone", "event": "abcdef", "lang": "ar"}
    assert view.with_lang("en").lang == "en"
    assert view.reset() == View(lang="ar")
    assert View().reset() == View()
    with pytest.raises(FilterError):
        view.with_event("not-an-id")


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "map"), ("", "map"), ("/map", "map"), ("/timeline", "timeline"), ("events/", "events"),
     ("/Places", "places"), ("sources", "sources")],
)
def test_page_name(path, name):
    assert page_name(path) == name and name in PAGES


def test_unknown_page():
    with pytest.raises(FilterError):
        page_name("/admin")
    with pytest.raises(FilterError):
        View.from_query({}, page="/admin")


def test_url():
    view = View(filters=Filters(weapons=("drone", "rocket"), q="عين الأسد"), lang="ar")
    assert view.url("http://h/", page="map") == (
        "http://h/map?weapon=drone,rocket&q=%D8%B9%D9%8A%D9%86+%D8%A7%D9%84%D8%A3%D8%B3%D8%AF&lang=ar"
    )
    assert View().url("http://h", page="events") == "http://h/events"
