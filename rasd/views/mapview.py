"""The events map: folium maps that draw offline, with one compact payload instead of a marker object per event.

Clicks and st_folium (streamlit-folium 0.27): its frontend registers one click handler on every layer in
`map._layers` when the map starts. Markers made in JavaScript inside a marker cluster reach that handler
through event propagation to the cluster group, with `e.sourceTarget` set to the marker. It returns
`last_object_clicked` (a lat/lng only) and, when the marker has a tooltip whose content is a string,
`last_object_clicked_tooltip` = the text content of that tooltip (tags stripped); popup text is only
returned for DOM-element content, and never for popups built by a function. With FastMarkerCluster's
default callback there is no tooltip, so a click says where, not which event.

The browser never gets event ids: each payload row carries the event's integer events.pos (shorter than
its 12-character id). Every marker gets, on first hover or click, a tooltip string that ends in a hidden
`#<pos>`, so the number comes back in `last_object_clicked_tooltip`; `event_pos_from_click()` reads it
and the server maps it back to the event's id. Clicking a cluster changes nothing, and clicking a
governorate returns its name, which holds no number. Pass
`returned_objects=["last_object_clicked_tooltip"]` to st_folium so only clicks rerun the page. A map
whose script changed (other events, another `selected`) is mounted afresh and reports no click yet:
read None as "no new click" and keep the current selection.
"""

from __future__ import annotations

import html
import importlib.resources
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.gazetteer import default_gazetteer, read_governorates
from rasd.views import offline
from rasd.views.i18n import direction, is_rtl, label, t
from rasd.views.palette import WEAPON_COLORS, WEAPON_SHAPES
from rasd.vocab import DATE_PRECISIONS, GEO_PRECISIONS, REVIEW_STATUSES, WEAPONS

DEFAULT_CENTER = (33.2, 43.7)
DEFAULT_ZOOM = 6
# Close enough to tell the selected event from its neighbours, far enough to keep towns around it in view.
SELECTED_ZOOM = 8
MIN_ZOOM = 4
MAX_ZOOM = 18
# A map narrower than this starts with its legend folded to a button.
LEGEND_OPEN_FROM_PX = 480
ATTRIBUTION = "Boundaries: Natural Earth (public domain)"
_OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"

_LON_SPAN = 4_000_000
# folium's Layer.render appends one more `.addTo(map)` on every render when show=True, so a map rendered
# twice would grow; these layers are created with show=False and add themselves in their own script.
_ADDED_BY_SCRIPT = False
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")
_CLICK_POS = re.compile(r"#(\d{1,18})\s*$")


@dataclass(frozen=True, slots=True)
class SymbolStyle:
    """How a location precision is drawn: size in pixels, fill opacity and dashed (hollow) outline."""

    size: int
    fill_opacity: float
    dashed: bool


PRECISION_STYLES: dict[str, SymbolStyle] = {
    "site": SymbolStyle(16, 1.0, False),
    "town": SymbolStyle(16, 0.4, False),
    "road": SymbolStyle(18, 0.3, True),
    "district": SymbolStyle(22, 0.2, True),
    "governorate": SymbolStyle(28, 0.14, True),
}
# The national capital's label is placed first, so it is never the one hidden when labels collide.
_NATIONAL_CAPITAL = "baghdad"


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Iraq's outline and its 18 governorates as parsed GeoJSON FeatureCollections."""

    outline: dict[str, Any]
    governorates: dict[str, Any]


# The fields of one payload row, in order (rasd_map.js reads them by these positions).
PAYLOAD_ROW = ("place", "day", "weapon", "geo_precision", "date_precision", "pos", "review")


# A row is [place index, day offset or null, weapon, geo precision, date precision, pos, review] (indexes into
# WEAPONS, GEO_PRECISIONS, DATE_PRECISIONS, REVIEW_STATUSES); a place is [lat, lon, label index]; an event's day
# is day0 + offset days after 1970-01-01; pos is the event's events.pos (its row number in a frame without a pos
# column), which the server maps back to the id. Shared tables keep the bytes per event low: events repeat places.
@dataclass(frozen=True, slots=True)
class MapPayload:
    """What the browser needs to draw the events: place and label tables and one short row per event."""

    places: list[list[Any]]
    labels: list[str]
    day0: int
    rows: list[tuple[Any, ...]]

    def to_js(self) -> str:
        """The payload as a JSON object that is safe inside a <script> element."""
        return script_json({"places": self.places, "labels": self.labels, "day0": self.day0, "rows": self.rows})


def script_json(value: Any) -> str:
    """Compact JSON that stays data inside <script> and inside a template: no '<', '>', '&', '{{', '{%', '{#'."""
    text = (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    # branca renders each macro's output once more as a Jinja template; JSON only makes '{{', '{%' and
    # '{#' inside strings, where an escaped brace means the same.
    return _TEMPLATE_OPENER.sub(r"\\u007b", text)


@lru_cache(maxsize=1)
def load_boundaries() -> Boundaries:
    """The Natural Earth boundaries shipped in the `geo` package (parsed once)."""
    root = importlib.resources.files("geo")
    return Boundaries(
        outline=json.loads(root.joinpath("iraq_outline.geojson").read_text(encoding="utf-8")),
        governorates=json.loads(root.joinpath("iraq_governorates.geojson").read_text(encoding="utf-8")),
    )


def _polyline_number(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_ring(ring: list[list[float]]) -> str:
    """A ring of [lon, lat] positions in the Encoded Polyline format (lat first, 4 decimals, deltas)."""
    out = []
    last_lat = last_lon = 0
    for lon, lat in ring:
        ilat, ilon = round(lat * 1e4), round(lon * 1e4)
        out.append(_polyline_number(ilat - last_lat) + _polyline_number(ilon - last_lon))
        last_lat, last_lon = ilat, ilon
    return "".join(out)


@lru_cache(maxsize=2)
def _boundary_js(which: str) -> str:
    # Polyline-encoded rings are a quarter of the GeoJSON text; this payload is sent on every rerun.
    features = []
    for feature in getattr(load_boundaries(), which)["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        features.append({
            "properties": {k: v for k, v in feature["properties"].items() if k in ("name_en", "name_ar")},
            "polygons": [[encode_ring(ring) for ring in polygon] for polygon in polygons],
        })
    return script_json(features)


def symbol_svg(weapon: str, precision: str) -> str:
    """The inline SVG symbol of a weapon (shape and colour) at a location precision (size, fill, dash)."""
    style = PRECISION_STYLES.get(precision, PRECISION_STYLES["governorate"])
    color = WEAPON_COLORS.get(weapon, WEAPON_COLORS["unknown"])
    shape = WEAPON_SHAPES.get(weapon, WEAPON_SHAPES["unknown"])
    halo = ""
    if style.dashed:
        # A white outline under the dashes keeps them readable over boundaries and other markers.
        halo = f'<g fill="none" stroke="#ffffff" stroke-width="4.2" stroke-opacity="0.9">{shape}</g>'
        paint = (f'fill="{color}" fill-opacity="{style.fill_opacity}" stroke="{color}" stroke-width="2.8" '
                 f'stroke-dasharray="5 2.5"')
    else:
        paint = f'fill="{color}" fill-opacity="{style.fill_opacity}" stroke="{color}" stroke-width="1.6"'
        if style.fill_opacity == 1.0:
            paint = f'fill="{color}" stroke="#1b1b1b" stroke-width="1.2"'
    return (
        f'<svg viewBox="0 0 24 24" width="{style.size}" height="{style.size}" aria-hidden="true">'
        f"{halo}<g {paint}>{shape}</g></svg>"
    )


@dataclass(frozen=True, slots=True)
class PlaceLabel:
    """A place named on the base map: where it is and its name in one language."""

    name: str
    lat: float
    lon: float


@lru_cache(maxsize=4)
def capital_labels(*, lang: str = "en") -> tuple[PlaceLabel, ...]:
    """The governorate capitals (cities of the gazetteer), national capital first, named in lang."""
    gazetteer = default_gazetteer()
    ids = list(dict.fromkeys(g.capital for g in read_governorates()))
    ids.sort(key=lambda i: i != _NATIONAL_CAPITAL)
    places = [gazetteer.get(i) for i in ids if gazetteer.has(i)]
    arabic = is_rtl(lang)
    return tuple(
        PlaceLabel(name=(p.name_ar or p.name_en) if arabic else (p.name_en or p.name_ar), lat=p.lat, lon=p.lon)
        for p in places if p.kind == "city"
    )


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _codes(column: pd.Series, vocabulary: tuple[str, ...], default: str) -> np.ndarray:
    codes = pd.Index(vocabulary).get_indexer(column.astype(object)).astype(np.int64)
    return np.where(codes < 0, vocabulary.index(default), codes)


def _strings(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str)


def event_numbers(events: pd.DataFrame) -> np.ndarray:
    """The number each event has in the map payload: its events.pos, else its row number in the frame."""
    if "pos" in events:
        return events["pos"].to_numpy(dtype=np.int64)
    return np.arange(len(events), dtype=np.int64)


def _located_mask(events: pd.DataFrame) -> np.ndarray:
    return (events["lat"].notna() & events["lon"].notna()).to_numpy(dtype=bool)


def event_payload(events: pd.DataFrame, *, lang: str = "en") -> MapPayload:
    """The compact map payload of an events frame; events without coordinates are left out."""
    mask = _located_mask(events)
    located = events[mask]
    names = _strings(located["place_name"])
    if lang == "ar" and "place_name_ar" in located:
        arabic = _strings(located["place_name_ar"])
        names = arabic.where(arabic != "", names)
    label_codes, labels = pd.factorize(names, sort=False)
    n_labels = max(len(labels), 1)
    # Coordinates in 1e-4 degrees are exact integers, so a place is a pair of integer codes (coordinate, label).
    lat = np.rint(located["lat"].to_numpy(dtype=float) * 1e4).astype(np.int64)
    lon = np.rint(located["lon"].to_numpy(dtype=float) * 1e4).astype(np.int64)
    coord_codes, coords = pd.factorize(lat * _LON_SPAN + (lon + _LON_SPAN // 2), sort=False)
    place_codes, places = pd.factorize(coord_codes.astype(np.int64) * n_labels + label_codes, sort=False)
    place_rows = [
        [(c // _LON_SPAN) / 1e4, (c % _LON_SPAN - _LON_SPAN // 2) / 1e4, n]
        for c, n in zip(coords[places // n_labels].tolist(), (places % n_labels).tolist())
    ]
    stamps = pd.to_datetime(located["date"], errors="coerce").to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(stamps)
    days = stamps.astype(np.int64)
    day0 = int(days[known].min()) if known.any() else 0
    offsets = np.where(known, days - day0, None).tolist()
    rows = list(zip(
        place_codes.tolist(),
        offsets,
        _codes(located["weapon"], WEAPONS, "unknown").tolist(),
        _codes(located["geo_precision"], GEO_PRECISIONS, "governorate").tolist(),
        _codes(located["date_precision"], DATE_PRECISIONS, "unknown").tolist(),
        event_numbers(events)[mask].tolist(),
        _codes(located["review"] if "review" in located else pd.Series("unreviewed", index=located.index),
               REVIEW_STATUSES, "unreviewed").tolist(),
    ))
    return MapPayload(places=place_rows, labels=[str(x) for x in labels], day0=day0, rows=rows)


@dataclass(frozen=True, slots=True)
class MapIndex:
    """Every located event's payload row as JSON text, made once per store version and language: the payload
    of a filter state is the shared place and label tables and the rows at that state's positions, joined."""

    ids: pd.Index
    rows_js: np.ndarray
    head_js: str
    # The rows' events.pos numbers in increasing order and the row of each (None when the frame has no pos).
    sorted_pos: np.ndarray | None = None
    pos_rows: np.ndarray | None = None

    @classmethod
    def of(cls, events: pd.DataFrame, *, lang: str = "en") -> "MapIndex":
        """The index of an events frame (or the store's map rows, rasd.views.queries.MAP_COLUMNS)."""
        located = events[_located_mask(events)]
        sorted_pos = pos_rows = None
        if "pos" in located:
            pos = located["pos"].to_numpy(dtype=np.int64)
            pos_rows = np.argsort(pos, kind="stable")
            sorted_pos = pos[pos_rows]
        payload = event_payload(events, lang=lang)
        # Every field is a number (or null): nothing in a row needs escaping inside <script>.
        rows_js = np.array([
            f"[{p},{'null' if d is None else d},{w},{g},{dp},{n},{r}]" for p, d, w, g, dp, n, r in payload.rows
        ], dtype=object)
        head = script_json({"places": payload.places, "labels": payload.labels, "day0": payload.day0})
        return cls(ids=pd.Index(_strings(located["id"])), rows_js=rows_js, head_js=head, sorted_pos=sorted_pos,
                   pos_rows=pos_rows)

    def positions(self, ids: Iterable[str]) -> np.ndarray:
        """The positions of these event ids in the index, in index order (ids it lacks are left out)."""
        found = self.ids.get_indexer(list(ids))
        return np.sort(found[found >= 0])

    def positions_of_pos(self, pos: np.ndarray) -> np.ndarray:
        """The positions of the events with these events.pos numbers, in index order (numbers it lacks are left out)."""
        # Integers, not ids: a million are matched in milliseconds; looking up a million id strings takes a second.
        if self.sorted_pos is None or self.pos_rows is None:
            raise ValueError("this MapIndex was made from a frame without a pos column")
        wanted = np.asarray(pos, dtype=np.int64)
        at = np.searchsorted(self.sorted_pos, wanted)
        inside = at < len(self.sorted_pos)
        at, wanted = at[inside], wanted[inside]
        return np.sort(self.pos_rows[at[self.sorted_pos[at] == wanted]])

    def payload_js(self, positions: np.ndarray | None = None) -> str:
        """The map payload (as MapPayload.to_js gives it) of the events at positions, or of every event."""
        rows = self.rows_js if positions is None else self.rows_js[positions]
        return f'{self.head_js[:-1]},"rows":[{",".join(rows.tolist())}]}}'



@lru_cache(maxsize=2)
def web_asset(name: str) -> str:
    """A file of rasd/views/js as the page gets it: without indentation, blank lines and whole-line comments."""
    text = importlib.resources.files("rasd.views").joinpath("js").joinpath(name).read_text(encoding="utf-8")
    # Safe because rasd_map.js keeps every string on one line and every comment on lines of its own (// in
    # .js, /* */ in .css); the page carries this text on every rerun, the explanations are for readers.
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(
        line for line in lines
        if line and not line.startswith("//") and not (line.startswith("/*") and line.endswith("*/"))
    )


class _PlainText(Element):
    """Text put into the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text."""
        return self.text


def _compact(text: str) -> str:
    # The indentation of the template is not sent: the script holds no multi-line string literal.
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# branca's MacroElement.render compiles every rendered script as a new Jinja template: for megabytes of
# event data that costs more than all the rest of the map, on every render (st_folium renders twice).
class _PlainScriptLayer(JSCSSMixin, Layer):
    """A layer whose script goes into the page as plain text."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    # Attributes of one-line JSON put into the script after the rest is compacted: going through tens of MB of
    # event payload line by line cost a tenth of a second a render at a million events.
    _verbatim: tuple[str, ...] = ()

    def render(self, **kwargs: Any) -> None:
        """Add the layer's links to the page header and its script, as text, to the page script."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_PlainText(self._script(kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)

    def _script(self, kwargs: dict[str, Any]) -> str:
        held = {name: getattr(self, name) for name in self._verbatim}
        try:
            for name in held:
                setattr(self, name, _slot(name))
            script = _compact(self._template.module.__dict__["script"](self, kwargs))
        finally:
            for name, value in held.items():
                setattr(self, name, value)
        for name, value in held.items():
            script = script.replace(_slot(name), value, 1)
        return script


def _slot(name: str) -> str:
    # NUL never appears in a rendered template, and compaction leaves it alone.
    return f"\x00{name}\x00"


# The functions of rasd/views/js/rasd_map.js go into the map's own script, not into a <script> of the page header:
# st_folium adds the header to its iframe with `head.innerHTML +=`, which never runs a script, and sends
# the script of each element of the map, of which this is the first. One copy per map, before every call.
class _MapSetup(folium.MacroElement):
    """The map's CSS and functions (rasd/views/js), marker image path, boundary attribution and panes."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.functions_js }}
            rasdSetup({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "RasdMapSetup"
        self.css = web_asset("rasd_map.css")
        self.functions_js = web_asset("rasd_map.js")
        self.options_js = script_json({"imagePath": offline.ICON_IMAGE_PATH, "attribution": ATTRIBUTION})

    def render(self, **kwargs: Any) -> None:
        """Add the CSS to the page header and the functions and setup call, as text, to the page script."""
        figure = self.get_root()
        module = self._template.module.__dict__
        # Named: a page rendered twice (st_folium does) or holding two maps gets the styles once.
        figure.header.add_child(_PlainText(_compact(module["header"](self, kwargs))), name="rasd_map_css")
        figure.script.add_child(_PlainText(_compact(module["script"](self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _BoundaryLayer(_PlainScriptLayer):
    """Iraq's outline or governorates from the shipped GeoJSON, with names on hover when interactive."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = rasdBoundaries({{ this._parent.get_name() }},
                {{ this.data_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, which: str, *, name_property: str | None, style: dict[str, Any],
                 hover_style: dict[str, Any] | None = None) -> None:
        super().__init__(name=which, overlay=True, control=False, show=_ADDED_BY_SCRIPT)
        self._name = "RasdBoundaries"
        self.data_js = _boundary_js(which)
        self.options_js = script_json({
            "nameProperty": name_property, "interactive": name_property is not None,
            "style": style, "hoverStyle": hover_style or style,
        })


@dataclass(frozen=True, slots=True)
class _Selected:
    """The highlighted event: its number in the payload (PAYLOAD_ROW "pos") and where it is."""

    pos: int
    lat: float
    lon: float


class _EventLayer(_PlainScriptLayer, folium.plugins.MarkerCluster):
    """All events as one marker cluster built in the browser from a MapPayload."""

    default_js = offline.CLUSTER_JS
    default_css = offline.CLUSTER_CSS
    _verbatim = ("payload_js",)

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = rasdEvents({{ this._parent.get_name() }},
                {{ this.config_js }}, {{ this.payload_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, payload_js: str, *, lang: str, name: str) -> None:
        super().__init__(
            name=name, overlay=True, control=True, show=_ADDED_BY_SCRIPT,
            spiderfyOnMaxZoom=True, showCoverageOnHover=False, zoomToBoundsOnClick=True,
            # Chunks keep the page responsive while a million markers load (about 13 s of work here); chunks of
            # 2 s with no pause between them keep that from costing time: markercluster's default pauses 50 ms
            # after every 200 ms, which made 100,000 markers 1.2x slower than FastMarkerCluster's single pass.
            chunkedLoading=True, chunkInterval=2000, chunkDelay=1,
            maxClusterRadius=50, spiderfyDistanceMultiplier=1.6,
        )
        self._name = "RasdEvents"
        self.payload_js = payload_js
        self.options_js = script_json(self.options)
        self.config_js = script_json({
            "dir": direction(lang),
            "unknownDate": label("date_precision", "unknown", lang),
            "datePrecisions": list(DATE_PRECISIONS),
            "weapons": [label("weapon", w, lang) for w in WEAPONS],
            "precisions": [label("geo_precision", g, lang) for g in GEO_PRECISIONS],
            "sizes": [PRECISION_STYLES[g].size for g in GEO_PRECISIONS],
            "icons": [[symbol_svg(w, g) for g in GEO_PRECISIONS] for w in WEAPONS],
            "reviewCodes": list(REVIEW_STATUSES),
            "reviews": [label("review", r, lang) for r in REVIEW_STATUSES],
        })


class _SelectedLayer(_PlainScriptLayer):
    """The selected event in its own layer above the markers: a ring, and its symbol while a cluster hides it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = rasdSelected({{ this._parent.get_name() }}, {{ this.events.get_name() }},
                {{ this.selected_js }});
        {% endmacro %}
        """
    )

    def __init__(self, events: _EventLayer, selected: _Selected) -> None:
        super().__init__(name="selected", overlay=True, control=False, show=_ADDED_BY_SCRIPT)
        self._name = "RasdSelected"
        self.events = events
        self.selected_js = script_json({"pos": selected.pos, "lat": selected.lat, "lon": selected.lon})


class _PlaceLabelLayer(_PlainScriptLayer):
    """Grey dots and names of major places under the events, with labels that would collide left out."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = rasdPlaces({{ this._parent.get_name() }}, {{ this.events.get_name() }},
                {{ this.data_js }}, {{ this.sides_js }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: tuple[PlaceLabel, ...], events: _EventLayer, *, lang: str) -> None:
        super().__init__(name="places", overlay=True, control=False, show=_ADDED_BY_SCRIPT)
        self._name = "RasdPlaces"
        self.events = events
        # One shared array of [lat, lon, name]: a few hundred bytes for the 18 capitals.
        self.data_js = script_json([[p.lat, p.lon, p.name] for p in labels])
        self.sides_js = script_json(["w", "e", "n", "s"] if is_rtl(lang) else ["e", "w", "n", "s"])


class _HeatLayer(_PlainScriptLayer):
    """A heat map of the event layer's points, computed in the browser from the same payload."""

    default_js = offline.HEAT_JS
    default_css: list[tuple[str, str]] = []

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = rasdHeat({{ this._parent.get_name() }}, {{ this.events.get_name() }},
                {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, events: _EventLayer, *, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=_ADDED_BY_SCRIPT)
        self._name = "RasdHeat"
        self.events = events
        self.options_js = script_json({"minOpacity": 0.35, "maxZoom": 12, "radius": 18, "blur": 16})


class _Legend(folium.MacroElement):
    """The legend: one symbol per weapon and per location precision, in the page language."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="rasd-legend" class="rasd-legend" dir="{{ this.dir }}" hidden>{{ this.body }}</div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            rasdLegend({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: str) -> None:
        super().__init__()
        self._name = "RasdLegend"
        self.dir = direction(lang)
        # Top right, narrow, lies over Iran and Turkey at the default view: it hides no Iraqi event.
        self.options_js = script_json(
            {"position": "topright", "openFromPx": LEGEND_OPEN_FROM_PX, "openMaxZoom": DEFAULT_ZOOM}
        )
        weapons = "".join(
            f'<div class="rasd-legend-row" data-weapon="{w}">{symbol_svg(w, "site")}'
            f"<span>{html.escape(label('weapon', w, lang))}</span></div>"
            for w in WEAPONS
        )
        precisions = "".join(
            f'<div class="rasd-legend-row" data-precision="{g}">{symbol_svg("unknown", g)}'
            f"<span>{html.escape(label('geo_precision', g, lang))}</span></div>"
            for g in GEO_PRECISIONS
        )
        reviews = (
            f'<div class="rasd-legend-row" data-review="checked"><span class="rasd-legend-mark">\u2713</span>'
            f"<span>{html.escape(label('review', 'verified', lang))} / {html.escape(label('review', 'edited', lang))}"
            f"</span></div>"
            f'<div class="rasd-legend-row" data-review="unreviewed"><span class="rasd-legend-mark">\u00b7</span>'
            f"<span>{html.escape(t('map.legend_unreviewed', lang))}</span></div>"
        )
        self.body = (
            f'<button type="button" class="rasd-legend-toggle" aria-expanded="true">'
            f"{html.escape(t('map.legend', lang))}</button>"
            f'<div class="rasd-legend-body"><h4>{html.escape(t("map.legend_weapon", lang))}</h4>{weapons}'
            f'<h4>{html.escape(t("map.legend_precision", lang))}</h4>{precisions}'
            f'<h4>{html.escape(t("map.legend_review", lang))}</h4>{reviews}</div>'
        )


def _selected(events: pd.DataFrame, event_id: str | None) -> _Selected | None:
    if not event_id or events.empty:
        return None
    found = np.flatnonzero((events["id"] == event_id).to_numpy(dtype=bool) & _located_mask(events))
    if not len(found):
        return None
    row = events.iloc[found[0]]
    return _Selected(pos=int(event_numbers(events)[found[0]]), lat=round(float(row["lat"]), 5),
                     lon=round(float(row["lon"]), 5))


def build_map(
    events: pd.DataFrame | None = None,
    *,
    payload_js: str | None = None,
    selected_at: tuple[float, float] | None = None,
    selected_pos: int | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    heat: bool = False,
    selected: str | None = None,
    lang: str = "en",
    boundaries: bool = True,
    tiles: bool = False,
    places: bool = True,
) -> folium.Map:
    """A folium map of the events that loads nothing from the internet unless tiles=True.

    The markers come from the events frame, or from payload_js (MapPayload.to_js(), built once per filter state by
    the caller); with payload_js the selected event is selected_pos (its events.pos) at selected_at (lat, lon), as the
    frame is not read.
    """
    if payload_js is None:
        if events is None:
            raise ValueError("build_map needs an events frame or payload_js")
        payload_js = event_payload(events, lang=lang).to_js()
        chosen = _selected(events, selected)
    else:
        chosen = (_Selected(pos=int(selected_pos), lat=round(selected_at[0], 5), lon=round(selected_at[1], 5))
                  if selected and selected_at and selected_pos is not None else None)
    if center is None and chosen is not None:
        location = (chosen.lat, chosen.lon)
        zoom = SELECTED_ZOOM if zoom is None else zoom
    else:
        location = tuple(center) if center is not None else DEFAULT_CENTER
    m = folium.Map(
        location=list(location), zoom_start=DEFAULT_ZOOM if zoom is None else int(zoom), tiles=None,
        control_scale=True, minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM,
    )
    offline.localize(m)
    _MapSetup().add_to(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", attr=_OSM_ATTRIBUTION, max_zoom=MAX_ZOOM, control=False).add_to(m)
    if boundaries:
        name_property = "name_ar" if lang == "ar" else "name_en"
        _BoundaryLayer(
            "governorates", name_property=name_property,
            style={"color": "#8a8f94", "weight": 1, "fillColor": "#b8c2ca", "fillOpacity": 0.08},
            hover_style={"color": "#5f6368", "weight": 1.5, "fillColor": "#b8c2ca", "fillOpacity": 0.2},
        ).add_to(m)
        _BoundaryLayer(
            "outline", name_property=None, style={"color": "#3c4043", "weight": 2, "fill": False},
        ).add_to(m)
    layer = _EventLayer(payload_js, lang=lang, name=t("map.markers", lang))
    layer.add_to(m)
    if places:
        _PlaceLabelLayer(capital_labels(lang=lang), layer, lang=lang).add_to(m)
    if chosen is not None:
        _SelectedLayer(layer, chosen).add_to(m)
    if heat:
        _HeatLayer(layer, name=t("map.heat", lang)).add_to(m)
        folium.LayerControl(collapsed=False).add_to(m)
    _Legend(lang=lang).add_to(m)
    _stable_ids(m.get_root())
    return m


def _stable_ids(root: Element) -> None:
    """Number the map's elements in tree order instead of folium's random ids.

    The same filters then render the same page for every reader, and Streamlit keeps one copy of a message
    that many sessions sent (its message cache is keyed by content): at a million events the map is megabytes.
    """
    elements = [root]
    for n, element in enumerate(elements):
        element._id = f"{n:04d}"
        elements.extend(element._children.values())


def map_html_bytes(m: folium.Map) -> int:
    """Size in bytes (UTF-8) of the map rendered as a standalone HTML page."""
    return len(m.get_root().render().encode("utf-8"))


def event_pos_from_click(st_folium_return: dict[str, Any] | None) -> int | None:
    """The events.pos number at the end of st_folium's last clicked tooltip text, if a marker was clicked."""
    if not st_folium_return:
        return None
    text = st_folium_return.get("last_object_clicked_tooltip")
    match = _CLICK_POS.search(text) if isinstance(text, str) else None
    return int(match.group(1)) if match else None
