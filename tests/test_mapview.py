"""The offline events map: local assets only, compact payload, escaped text, legend, heat, selection, clicks."""

from __future__ import annotations

import ast
import inspect
import json
import re
from datetime import date
from pathlib import Path

import folium
import folium.plugins
import numpy as np
import pytest
from streamlit_folium import generate_leaflet_string

from geo.gazetteer import default_gazetteer, read_governorates
from rasd.views import mapview, offline
from rasd.views.i18n import label, t
from rasd.views.mapview import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    MapIndex,
    PRECISION_STYLES,
    SELECTED_ZOOM,
    build_map,
    capital_labels,
    encode_ring,
    event_pos_from_click,
    event_payload,
    load_boundaries,
    map_html_bytes,
    script_json,
    symbol_svg,
    web_asset,
)
from rasd.views.palette import WEAPON_COLORS, WEAPON_SHAPES
from rasd.store import EVENTS_FRAME_COLUMNS
from rasd.store.synthetic import fake_events_frame
from rasd.vocab import DATE_PRECISIONS, GEO_PRECISIONS, WEAPONS

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }} {% if 1 %}x{% endif %}"]
MAP_OPTIONS = [
    {},
    {"heat": True},
    {"lang": "ar"},
    {"heat": True, "lang": "ar", "zoom": 9, "center": (36.2, 44.0)},
    {"boundaries": False},
]


@pytest.fixture(scope="module")
def events():
    """300 synthetic events."""
    return fake_events_frame(300, seed=7)


def render(m: folium.Map) -> str:
    return m.get_root().render()


JS_SOURCE = (Path(mapview.__file__).parent / "js" / "rasd_map.js").read_text(encoding="utf-8")
JS_FUNCTIONS = re.findall(r"^function (\w+)\(", JS_SOURCE, flags=re.M)
_JS_NAME = re.compile(r"[A-Za-z_$][\w$]*(?=\s*[,)])")
_SPACE = re.compile(r"\s*")


def calls(html: str, function: str) -> list[list]:
    """The arguments of each call of a rasd_map.js function in a page: variables by name, JSON parsed."""
    found, decoder = [], json.JSONDecoder()
    for match in re.finditer(rf"(?:^\s*|= ){function}\(", html, flags=re.M):
        args, at = [], _SPACE.match(html, match.end()).end()
        while html[at] != ")":
            name = _JS_NAME.match(html, at)
            if name:
                args.append(name.group(0))
                at = name.end()
            else:
                value, at = decoder.raw_decode(html, at)
                args.append(value)
            at = _SPACE.match(html, at).end()
            if html[at] == ",":
                at = _SPACE.match(html, at + 1).end()
        found.append(args)
    return found


def js_function(name: str) -> str:
    """The source of one top-level function of rasd_map.js."""
    match = re.search(rf"^function {name}\(.*?^\}}$", JS_SOURCE, flags=re.S | re.M)
    assert match, name
    return match.group(0)


def payload_of(html: str) -> dict:
    """The events payload embedded in a rendered map."""
    (call,) = calls(html, "rasdEvents")
    return call[2]


def decode_ring(text: str) -> list[list[float]]:
    """Encoded Polyline back to [lon, lat] positions (independent of the encoder under test)."""
    values, i = [], 0
    while i < len(text):
        shift = result = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    lat = lon = 0
    points = []
    for dlat, dlon in zip(values[::2], values[1::2]):
        lat, lon = lat + dlat, lon + dlon
        points.append([round(lon / 1e4, 4), round(lat / 1e4, 4)])
    return points


@pytest.mark.parametrize("options", MAP_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_rendered_map_loads_nothing_from_the_internet(events, options):
    html = render(build_map(events, **options))
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    urls = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert urls, "the map loads Leaflet from somewhere"
    assert all(url.startswith(offline.ASSET_BASE + "/") for url in urls), urls
    assert "leaflet.js" in " ".join(urls) and "leaflet.markercluster.js" in " ".join(urls)
    assert not any(x in html for x in ("bootstrap", "awesome-markers", "fontawesome"))
    assert "tileLayer" not in html


def test_every_asset_url_is_installed_and_install_is_idempotent(events, tmp_path):
    html = render(build_map(events, heat=True))
    vendor = offline.install_assets(tmp_path)
    assert vendor == tmp_path / "vendor"
    urls = re.findall(r'(?:src|href)="(/app/static/vendor/[^"]+)"', html)
    for url in urls + [offline.ICON_IMAGE_PATH + "marker-icon.png"]:
        assert (vendor / url.removeprefix(offline.ASSET_BASE + "/")).is_file(), url
    stamps = {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()}
    assert len(stamps) == len(offline.ASSETS)
    assert offline.install_assets(tmp_path) == vendor
    assert {p: p.stat().st_mtime_ns for p in vendor.rglob("*") if p.is_file()} == stamps


def test_install_assets_repairs_a_damaged_copy(tmp_path):
    vendor = offline.install_assets(tmp_path)
    leaflet = vendor / "leaflet" / "leaflet.js"
    good = leaflet.read_bytes()
    leaflet.write_bytes(b"truncated")
    offline.install_assets(tmp_path)
    assert leaflet.read_bytes() == good


def test_use_local_assets_points_plain_folium_maps_at_local_files(monkeypatch):
    for cls in (folium.Map, folium.plugins.MarkerCluster, folium.plugins.HeatMap):
        monkeypatch.setattr(cls, "default_js", cls.default_js)
        monkeypatch.setattr(cls, "default_css", cls.default_css)
    offline.use_local_assets()
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    folium.plugins.HeatMap([[33.0, 44.0]]).add_to(m)
    html = render(m)
    assert "https://" not in html
    assert offline.ASSET_BASE + "/leaflet-heat/leaflet_heat.min.js" in html
    assert offline.ASSET_BASE + "/jquery/jquery.min.js" in html


def test_the_events_map_loads_no_jquery(events):
    # Nothing in rasd_map.js uses it, and the map's frame loads its scripts one after another.
    html = render(build_map(events, heat=True))
    assert offline.ASSET_BASE + "/leaflet/leaflet.js" in html
    assert "jquery" not in html.lower() and "jQuery" not in JS_SOURCE and "$(" not in JS_SOURCE


def test_the_same_view_renders_the_same_page_for_every_reader(events):
    # Streamlit keeps one copy of a message many sessions send only when the bytes are equal.
    first, again = render(build_map(events, heat=True)), render(build_map(events, heat=True))
    assert first == again
    assert render(build_map(events, heat=False)) != first
    ids = re.findall(r'id="(map_[^"]+)"', first)
    assert ids and len(set(re.findall(r"\b(\w+_\d{4})\b", first))) >= 4


def test_synthetic_events_have_the_store_columns_filled_in():
    frame = fake_events_frame(500, seed=11)
    assert list(frame.columns) == list(EVENTS_FRAME_COLUMNS)
    for column in ("id", "place", "place_name", "place_name_ar", "lat", "lon", "weapon", "geo_precision", "governorate"):
        assert frame[column].notna().all(), column
    assert frame["id"].is_unique
    assert set(frame["weapon"]) == set(WEAPONS) and set(frame["geo_precision"]) == set(GEO_PRECISIONS)
    dated = [d for d in frame["date"] if d is not None]
    assert min(dated) >= date(2019, 1, 1) and max(dated) <= date(2024, 12, 31)
    assert frame["lat"].between(29, 37.5).all() and frame["lon"].between(38.5, 48.8).all()
    assert frame.equals(fake_events_frame(500, seed=11))


@pytest.mark.parametrize("n", [0, 1, 57, 1000])
def test_payload_has_one_row_per_located_event(n):
    frame = fake_events_frame(n, seed=n)
    data = payload_of(render(build_map(frame)))
    assert len(data["rows"]) == n
    # A frame without events.pos numbers its events by their rows.
    assert [row[5] for row in data["rows"]] == list(range(n))
    for row, (_, event) in zip(data["rows"], frame.iterrows()):
        lat, lon, name = data["places"][row[0]]
        assert (lat, lon) == (round(event["lat"], 4), round(event["lon"], 4))
        assert data["labels"][name] == event["place_name"]
        assert WEAPONS[row[2]] == event["weapon"]
        assert GEO_PRECISIONS[row[3]] == event["geo_precision"]
        assert DATE_PRECISIONS[row[4]] == event["date_precision"]
        if event["date"] is None:
            assert row[1] is None
        else:
            assert data["day0"] + row[1] == (event["date"] - date(1970, 1, 1)).days


def test_events_without_coordinates_are_left_out(events):
    frame = events.copy()
    frame.loc[frame.index[:5], "lat"] = float("nan")
    payload = event_payload(frame)
    assert len(payload.rows) == len(frame) - 5
    assert [r[5] for r in payload.rows] == list(range(5, len(frame)))


def test_payload_rows_carry_the_events_pos_numbers_never_their_ids(events):
    frame = events.copy()
    frame["pos"] = np.arange(len(frame))[::-1] * 3 + 7
    frame.loc[frame.index[:2], "lat"] = float("nan")
    html = render(build_map(frame))
    assert [r[5] for r in payload_of(html)["rows"]] == list(frame["pos"].iloc[2:])
    assert not any(event_id in html for event_id in frame["id"])


def test_unknown_codes_fall_back_to_unknown_weapon_and_widest_precision(events):
    frame = events.head(3).copy()
    frame["weapon"] = ["drone", "catapult", None]
    frame["geo_precision"] = ["site", "", "planet"]
    rows = event_payload(frame).rows
    assert [WEAPONS[r[2]] for r in rows] == ["drone", "unknown", "unknown"]
    assert [GEO_PRECISIONS[r[3]] for r in rows] == ["site", "governorate", "governorate"]


def test_arabic_map_uses_arabic_place_names(events):
    data = payload_of(render(build_map(events, lang="ar")))
    labels = {data["labels"][data["places"][r[0]][2]] for r in data["rows"]}
    assert labels == set(events["place_name_ar"])


def test_map_size_grows_far_less_than_a_marker_per_event():
    small, large = fake_events_frame(1000, seed=1), fake_events_frame(2000, seed=1)
    size_1k, size_2k = map_html_bytes(build_map(small)), map_html_bytes(build_map(large))
    assert size_1k < 150_000
    naive = folium.Map(tiles=None)
    base = map_html_bytes(naive)
    for row in small.head(20).itertuples():
        popup = folium.Popup(f"{row.date} · {row.weapon} · {row.place_name}")
        folium.Marker([row.lat, row.lon], popup=popup).add_to(naive)
    per_marker = (map_html_bytes(naive) - base) / 20
    per_event = (size_2k - size_1k) / 1000
    assert per_event * 10 < per_marker, (per_event, per_marker)
    # Markers are made by loops in rasd_map.js (events, place labels): the calls do not grow with the events.
    made = render(build_map(large)).count("L.marker(")
    assert made == render(build_map(fake_events_frame(1, seed=1))).count("L.marker(") == JS_SOURCE.count("L.marker(")


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_article_text_is_data_never_markup(events, lang, hostile):
    frame = events.head(20).copy()
    frame["place_name"] = hostile
    frame["place_name_ar"] = hostile
    frame["evidence"] = hostile
    html = render(build_map(frame, lang=lang, selected=frame["id"].iloc[0], heat=True))
    for raw in ("<script>alert", "<img src=x", "onerror=alert(1)>", "{{ 7*7", "{% if", "49 x"):
        assert raw not in html
    data = payload_of(html)
    assert data["labels"] == [hostile]


def test_event_ids_never_reach_the_page(events):
    frame = events.head(2).copy()
    frame["id"] = ['"><img src=x onerror=alert(1)>', "</script><script>alert(2)</script>"]
    html = render(build_map(frame, selected=frame["id"].iloc[0]))
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert [r[5] for r in payload_of(html)["rows"]] == [0, 1]
    ((_, _, ring),) = calls(html, "rasdSelected")
    assert ring["pos"] == 0 and "id" not in ring


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<b>", '"\\u003cb\\u003e"'),
        ("a & b", '"a \\u0026 b"'),
        ("{{x}}", '"\\u007b{x}}"'),
        ("{%x%}", '"\\u007b%x%}"'),
        ("{#x#}", '"\\u007b#x#}"'),
        ("\u2028", '"\\u2028"'),
        ({"a": [{}]}, '{"a":[{}]}'),
        ("عين الأسد", '"عين الأسد"'),
    ],
)
def test_script_json_is_inert_in_html_and_templates_and_round_trips(value, expected):
    text = script_json(value)
    assert text == expected
    assert json.loads(text) == value


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_legend_has_one_entry_per_weapon_and_precision(events, lang):
    html = render(build_map(events, lang=lang))
    legend = re.search(r'<div id="rasd-legend".*?</div>\s*$', html, flags=re.S | re.M)
    assert legend
    for weapon in WEAPONS:
        entry = re.search(rf'data-weapon="{weapon}">(.*?)</div>', html)
        assert entry, weapon
        assert WEAPON_COLORS[weapon] in entry.group(1)
        assert WEAPON_SHAPES[weapon] in entry.group(1)
        assert f"<span>{label('weapon', weapon, lang)}</span>" in entry.group(1)
    for precision in GEO_PRECISIONS:
        entry = re.search(rf'data-precision="{precision}">(.*?)</div>', html)
        assert entry, precision
        assert f'width="{PRECISION_STYLES[precision].size}"' in entry.group(1)
        assert f"<span>{label('geo_precision', precision, lang)}</span>" in entry.group(1)
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in legend.group(0)


def test_weapons_have_distinct_colours_and_shapes_and_precisions_look_different():
    assert set(WEAPON_COLORS) == set(WEAPON_SHAPES) == set(WEAPONS)
    assert len(set(WEAPON_COLORS.values())) == len(WEAPONS)
    assert len(set(WEAPON_SHAPES.values())) == len(WEAPONS)
    site, town, road, district, governorate = (PRECISION_STYLES[g] for g in GEO_PRECISIONS)
    assert site.fill_opacity == 1 and not site.dashed
    assert 0 < town.fill_opacity < 1 and not town.dashed
    # Area-level symbols are dashed with a light fill: visible, yet never mistaken for a site or a town.
    assert road.dashed and district.dashed and governorate.dashed
    assert 0 < governorate.fill_opacity <= district.fill_opacity <= road.fill_opacity < town.fill_opacity
    assert site.size <= town.size < road.size < district.size < governorate.size


def test_heat_layer_and_its_toggle_only_when_asked(events):
    plain, heat = render(build_map(events)), render(build_map(events, heat=True))
    for html, wanted in ((plain, False), (heat, True)):
        assert (len(calls(html, "rasdHeat")) == 1) is wanted
        assert ("leaflet_heat.min.js" in html) is wanted
        assert ("L.control.layers(" in html) is wanted
    # The heat layer reuses the events payload instead of a second copy of the points.
    assert len(heat) - len(plain) < 5_000
    ((_, events_layer, _),) = calls(heat, "rasdHeat")
    assert f"var {events_layer} = rasdEvents(" in heat
    assert "rasdLatLngs()" in js_function("rasdHeat")


def test_selected_event_is_ringed_and_centred(events):
    chosen = events.iloc[42]
    html = render(build_map(events, selected=chosen["id"]))
    ((_, events_layer, ring),) = calls(html, "rasdSelected")
    # The ring is drawn by a layer of its own, outside the cluster, in the pane above the markers.
    own_layer = js_function("rasdSelected")
    assert own_layer.count('className: "rasd-selected"') == 1 and "rasd-selected" not in web_asset("rasd_map.css")
    assert 'pane: "rasdSelected"' in own_layer
    assert "L.markerClusterGroup" not in own_layer and f"var {events_layer} = rasdEvents(" in html
    assert f'"zoom": {SELECTED_ZOOM},' in html and DEFAULT_ZOOM < SELECTED_ZOOM <= 8
    assert ring == {"pos": 42, "lat": round(chosen["lat"], 5), "lon": round(chosen["lon"], 5)}
    center = re.search(r"center: \[([\d.]+), ([\d.]+)\]", html)
    assert (float(center.group(1)), float(center.group(2))) == (round(chosen["lat"], 5), round(chosen["lon"], 5))


@pytest.mark.parametrize("selected", [None, "", "not-an-event"])
def test_no_ring_without_a_known_selection(events, selected):
    html = render(build_map(events, selected=selected))
    assert calls(html, "rasdSelected") == []
    center = re.search(r"center: \[([\d.]+), ([\d.]+)\]", html)
    assert (float(center.group(1)), float(center.group(2))) == DEFAULT_CENTER
    assert f'"zoom": {DEFAULT_ZOOM},' in html


def test_url_center_and_zoom_override_the_selection(events):
    html = render(build_map(events, selected=events["id"].iloc[0], center=(35.5, 45.4), zoom=11))
    assert "center: [35.5, 45.4]" in html and '"zoom": 11,' in html
    assert len(calls(html, "rasdSelected")) == 1


def test_boundaries_are_iraq_and_its_18_governorates_with_attribution(events):
    boundaries = load_boundaries()
    assert len(boundaries.governorates["features"]) == 18 and len(boundaries.outline["features"]) == 1
    assert load_boundaries() is boundaries
    html = render(build_map(events))
    assert "Boundaries: Natural Earth (public domain)" in html
    governorates, outline = calls(html, "rasdBoundaries")
    assert (len(governorates[1]), len(outline[1])) == (18, 1)
    assert governorates[2]["nameProperty"] == "name_en" and outline[2]["nameProperty"] is None
    for feature in boundaries.governorates["features"]:
        assert json.dumps(feature["properties"]["name_ar"], ensure_ascii=False) in html
    assert calls(render(build_map(events, boundaries=False)), "rasdBoundaries") == []


def test_boundary_rings_survive_polyline_encoding():
    for collection in (load_boundaries().outline, load_boundaries().governorates):
        for feature in collection["features"]:
            polygons = feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "Polygon":
                polygons = [polygons]
            for ring in (ring for polygon in polygons for ring in polygon):
                assert decode_ring(encode_ring(ring)) == [[round(x, 4), round(y, 4)] for x, y in ring]


TOOLTIP = "last_object_clicked_tooltip"


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ({TOOLTIP: "2022-01-04 · Drone · Ain al-Asad Air Base#4821"}, 4821),
        ({TOOLTIP: "≈ 2022-01 · طائرة مسيّرة · قاعدة عين الأسد#0 "}, 0),
        ({TOOLTIP: "Al Anbar"}, None),
        ({TOOLTIP: "2022-01-04 · Drone · Base #0f1e2d3c4b5a"}, None),
        ({TOOLTIP: None, "last_object_clicked_popup": "2022-01-04 · Drone\nSite#12"}, None),
        ({TOOLTIP: None, "last_object_clicked": {"lat": 33.8, "lng": 42.4}}, None),
        ({}, None),
        (None, None),
    ],
)
def test_event_pos_from_click(returned, expected):
    assert event_pos_from_click(returned) == expected


def test_every_marker_number_is_recoverable_from_its_tooltip_text(events):
    # The tooltip is the summary, then the number in a hidden span; st_folium returns its text content.
    source = js_function("rasdEvents")
    assert """'<span class="rasd-pos" hidden>#' + Number(r[5]) + "</span>\"""" in source
    data = payload_of(render(build_map(events)))
    for row in data["rows"]:
        tooltip = f"{row[1]} · {WEAPONS[row[2]]} · {data['labels'][data['places'][row[0]][2]]}#{row[5]}"
        assert event_pos_from_click({"last_object_clicked_tooltip": tooltip}) == row[5]


def test_map_html_bytes_counts_utf8_bytes_and_is_stable_across_renders(events):
    m = build_map(events, lang="ar", heat=True)
    assert map_html_bytes(m) == len(render(m).encode("utf-8")) > len(render(m))
    assert map_html_bytes(m) == map_html_bytes(m)


def place_labels_of(html: str) -> list[list]:
    """The place-label array embedded in a rendered map."""
    found = calls(html, "rasdPlaces")
    assert found, "no place labels in the map"
    ((_, _, capitals, _),) = found
    return capitals


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_governorate_capitals_are_labelled_in_the_interface_language(events, lang):
    gazetteer = default_gazetteer()
    capitals = [gazetteer.get(g.capital) for g in read_governorates()]
    html = render(build_map(events, lang=lang))
    labels = place_labels_of(html)
    assert len(labels) == len(capitals) == 18
    expected = {(p.lat, p.lon, p.name_ar if lang == "ar" else p.name_en) for p in capitals if p.kind == "city"}
    assert {tuple(x) for x in labels} == expected
    assert labels[0][2] == (gazetteer.get("baghdad").name_ar if lang == "ar" else "Baghdad")
    assert [(x.lat, x.lon, x.name) for x in capital_labels(lang=lang)] == [tuple(x) for x in labels]


def test_place_labels_are_one_small_inert_layer_under_the_events(events):
    html = render(build_map(events))
    with_labels, without = map_html_bytes(build_map(events)), map_html_bytes(build_map(events, places=False))
    assert 0 < with_labels - without < 6_000
    assert calls(render(build_map(events, places=False)), "rasdPlaces") == []
    assert len(calls(html, "rasdPlaces")) == 1
    layer = js_function("rasdPlaces")
    assert layer.count("L.marker(") == 1, "one loop over the shared array, not a marker object each"
    assert 'interactive: false' in layer and 'pane: "rasdPlaces"' in layer
    panes = dict(re.findall(r'getPane\("(\w+)"\)\.style\.zIndex = (\d+);', html))
    assert 400 < int(panes["rasdPlaces"]) < 600 < int(panes["rasdSelected"])
    assert re.search(r'getPane\("rasdPlaces"\)\.style\.pointerEvents = "none"', html)


def test_governorate_names_show_on_hover_and_do_not_stick(events):
    html = render(build_map(events))
    assert "sticky: false" in html and "sticky: true" not in html
    assert "part.closeTooltip()" in html


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_legend_folds_behind_a_toggle_button(events, lang):
    html = render(build_map(events, lang=lang))
    button = re.search(r'<button type="button" class="rasd-legend-toggle" aria-expanded="true">(.*?)</button>', html)
    assert button and button.group(1) == t("map.legend", lang)
    assert ".rasd-legend-closed .rasd-legend-body { display: none; }" in html
    assert '"topright"' in html


def test_area_level_symbols_are_dashed_in_the_weapon_colour_with_a_light_fill():
    for weapon in WEAPONS:
        for precision in ("district", "governorate"):
            svg = symbol_svg(weapon, precision)
            colour = WEAPON_COLORS[weapon]
            assert f'fill="{colour}" fill-opacity="{PRECISION_STYLES[precision].fill_opacity}"' in svg
            assert f'stroke="{colour}"' in svg and "stroke-dasharray" in svg
        assert "stroke-dasharray" not in symbol_svg(weapon, "site") + symbol_svg(weapon, "town")


@pytest.mark.parametrize("options", MAP_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_the_map_functions_are_in_the_page_once(events, options):
    m = build_map(events, selected=events["id"].iloc[0], **options)
    render(m)
    page = render(m)
    m.render()
    # What st_folium runs in its iframe: the script of each element of the map, the page header apart.
    iframe_script = generate_leaflet_string(m)
    assert set(JS_FUNCTIONS) >= {"rasdSetup", "rasdBoundaries", "rasdEvents", "rasdSelected", "rasdPlaces",
                                 "rasdHeat", "rasdLegend", "rasdEsc"}
    for script in (page, iframe_script):
        for name in JS_FUNCTIONS:
            assert script.count(f"function {name}(") == 1, name
        assert web_asset("rasd_map.js") in script
    assert "function rasd" not in page[:page.index("</head>")]
    assert page.count(".rasd-legend-closed .rasd-legend-body") == 1
    assert len(calls(page, "rasdSetup")) == len(calls(iframe_script, "rasdSetup")) == 1


def _templates() -> dict[str, str]:
    """The source of each Jinja template in rasd/views/mapview.py, by class name."""
    found = {}
    for node in ast.walk(ast.parse(inspect.getsource(mapview))):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (isinstance(statement, ast.Assign) and [t.id for t in statement.targets] == ["_template"]
                        and isinstance(statement.value, ast.Call)):
                    found[node.name] = statement.value.args[0].value
    return found


def test_layer_templates_hold_no_javascript_beyond_one_call():
    templates = _templates()
    assert {"_MapSetup", "_BoundaryLayer", "_EventLayer", "_SelectedLayer", "_PlaceLabelLayer", "_HeatLayer",
            "_Legend"} <= set(templates)
    for name, source in templates.items():
        assert not re.search(r"\bfunction\b|=>", source), name
        (script,) = re.findall(r"\{% macro script\(this, kwargs\) %\}(.*?)\{% endmacro %\}", source, flags=re.S)
        # Every value is a Jinja expression: JSON made in Python, a variable name, or rasd_map.js itself.
        code = " ".join(re.sub(r"\{\{.*?\}\}", "X", script).split())
        code = code.removeprefix("X ")
        assert re.fullmatch(r"(?:var X = )?(rasd[A-Z]\w*)\(X(?:, X)*\);", code), (name, code)
        assert re.fullmatch(r"(?:var X = )?(rasd[A-Z]\w*)\(.*", code).group(1) in JS_FUNCTIONS


def test_map_javascript_survives_being_sent_without_indentation_and_comments():
    # web_asset drops indentation and whole-line comments: that is safe only without multi-line strings
    # and block comments; and the text sits inside a <script> element of the page.
    assert "`" not in JS_SOURCE
    assert all(line.lstrip().startswith("//") for line in JS_SOURCE.splitlines() if "/*" in line)
    sent = web_asset("rasd_map.js")
    assert "</script" not in sent.lower() and "<!--" not in sent
    assert not any(line.startswith("//") or line != line.strip() for line in sent.splitlines())
    assert all(f"\nfunction {name}(" in "\n" + sent for name in JS_FUNCTIONS)
    assert "</style" not in web_asset("rasd_map.css").lower() and "/*" not in web_asset("rasd_map.css")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_review_status_travels_to_the_marker_the_popup_and_the_legend(lang):
    events = fake_events_frame(12, seed=3).assign(review=["verified", "edited", "unreviewed"] * 4)
    payload = mapview.event_payload(events, lang=lang)
    assert [row[6] for row in payload.rows] == [1, 2, 0] * 4
    html = build_map(events, lang=lang).get_root().render()
    # The icon class names the status, the popup's meta line shows its label, the legend explains the tick.
    assert '"rasd-icon rasd-review-" + cfg.reviewCodes[s]' in mapview.web_asset("rasd_map.js")
    assert "cfg.reviews[r[6]]" in mapview.web_asset("rasd_map.js")
    assert t("map.legend_review", lang) in html and label("review", "verified", lang) in html


def test_icons_of_every_weapon_and_precision_are_distinct_in_the_cache():
    # The cache key spans every location precision (five since roads were added), so no two symbols collide.
    source = mapview.web_asset("rasd_map.js")
    assert "(w * cfg.sizes.length + g) * cfg.reviews.length + s" in source
    (cfg, _data, _options), = [args[1:] for args in calls(build_map(fake_events_frame(5)).get_root().render(), "rasdEvents")]
    assert len(cfg["sizes"]) == len(cfg["precisions"]) == len(GEO_PRECISIONS) == 5
    assert len(cfg["reviews"]) == len(cfg["reviewCodes"]) == 4


def _decoded(payload_js: str) -> dict[str, tuple]:
    """Each event of a payload as the browser reads it: pos -> (lat, lon, label, day, weapon, precisions, review)."""
    data = json.loads(payload_js)
    out = {}
    for place, offset, weapon, geo, when, pos, review in data["rows"]:
        lat, lon, label_index = data["places"][place]
        day = None if offset is None else data["day0"] + offset
        out[pos] = (lat, lon, data["labels"][label_index], day, weapon, geo, when, review)
    return out


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_map_index_gives_each_filter_state_the_payload_of_its_events(lang):
    """A subset's payload from the shared index decodes to the same events as the subset's own payload."""
    frame = fake_events_frame(400, seed=3)
    frame["pos"] = np.random.default_rng(3).permutation(len(frame)) + 1
    frame.loc[5, "id"] = '</script><b x="1">'
    index = MapIndex.of(frame, lang=lang)
    assert _decoded(index.payload_js()) == _decoded(event_payload(frame, lang=lang).to_js())
    subset = frame[frame["weapon"] == "drone"]
    picked = index.payload_js(index.positions(list(subset["id"])[::-1] + ["missing"]))
    assert _decoded(picked) == _decoded(event_payload(subset, lang=lang).to_js())
    assert "</script>" not in index.payload_js() and "<b" not in index.payload_js()
    assert _decoded(index.payload_js(index.positions([]))) == {}


def test_the_map_index_finds_events_by_their_pos_numbers():
    """A filter's events.pos numbers, in any order and with ones the index lacks, pick the rows of those events."""
    frame = fake_events_frame(400, seed=4)
    frame["pos"] = np.random.default_rng(4).permutation(np.arange(1, 2 * len(frame), 2))[: len(frame)]
    index = MapIndex.of(frame)
    subset = frame[frame["weapon"] == "drone"]
    wanted = np.concatenate([subset["pos"].to_numpy()[::-1], [0, 2, 10**9]])
    assert list(index.ids[index.positions_of_pos(wanted)]) == list(index.ids[index.positions(subset["id"])])
    assert len(index.positions_of_pos(np.array([], dtype=np.int64))) == 0
    with pytest.raises(ValueError, match="without a pos column"):
        MapIndex.of(frame.drop(columns="pos")).positions_of_pos(wanted)
