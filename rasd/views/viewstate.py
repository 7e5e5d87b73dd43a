"""The whole URL state of a page: filters plus the selected event, the map position and the language.

URL parameters besides the filters: event (selected event id), lat, lon, zoom, lang (en|ar). The page is the
URL path (/map, /timeline, ...), never a parameter, so the same query string works on every page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from rasd.errors import FilterError
from rasd.views.filters import MAX_VALUE_CHARS, Filters, KnownIds, Notice, display_value, last_value
from rasd.views.filters import PARAMS as FILTER_PARAMS
from rasd.views.i18n import DEFAULT_LANG, LANGS

PAGES = ("map", "timeline", "events", "places", "sources")
# The editors' pages (rasd.ui.shell): real paths, but no view of their own (they show no filters).
NEWSROOM_PAGES = ("add", "review")
DEFAULT_PAGE = "map"
VIEW_PARAMS = ("event", "lat", "lon", "zoom", "lang")
# Every parameter a link may carry (README "Shared links"); any other is dropped with one notice for all.
URL_PARAMS = (*FILTER_PARAMS, *VIEW_PARAMS)
# Set by the server (rasd.ui.routes) when it sends a path it does not know to the map, and when it cuts a query
# too long for Streamlit to the link parameters (with how many unknown names it dropped); never written back.
UNKNOWN_PATH_PARAM = "unknown_path"
UNKNOWN_COUNT_PARAM = "unknown_count"
MAX_UNKNOWN_COUNT = 10_000_000
# How many unknown parameter names the notice about them quotes.
UNKNOWN_LISTED = 10

# Iraq's extent (lon_min, lat_min, lon_max, lat_max), widened by BBOX_MARGIN degrees for a map centre.
IRAQ_BBOX = (38.79, 29.06, 48.57, 37.38)
BBOX_MARGIN = 5.0
LAT_RANGE = (round(IRAQ_BBOX[1] - BBOX_MARGIN, 5), round(IRAQ_BBOX[3] + BBOX_MARGIN, 5))
LON_RANGE = (round(IRAQ_BBOX[0] - BBOX_MARGIN, 5), round(IRAQ_BBOX[2] + BBOX_MARGIN, 5))
ZOOM_RANGE = (3, 18)
COORD_DECIMALS = 5

_EVENT_ID = re.compile(r"[0-9a-f]{6,40}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class View:
    """What a URL shows: filters, the selected event, the map centre and zoom, and the language."""

    filters: Filters = field(default_factory=Filters)
    event: str = ""
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    lang: str = DEFAULT_LANG

    def __post_init__(self) -> None:
        if not isinstance(self.filters, Filters):
            raise FilterError("filters must be a Filters")
        if self.event and not _EVENT_ID.fullmatch(self.event):
            raise FilterError(f"invalid event id {self.event[:60]!r}")
        if (self.lat is None) != (self.lon is None):
            raise FilterError("lat and lon go together")
        if self.lat is not None:
            if not _in_range(self.lat, LAT_RANGE) or not _in_range(self.lon, LON_RANGE):
                raise FilterError(f"map centre {self.lat}, {self.lon} is not near Iraq")
            object.__setattr__(self, "lat", round(float(self.lat), COORD_DECIMALS))
            object.__setattr__(self, "lon", round(float(self.lon), COORD_DECIMALS))
        if self.zoom is not None and (isinstance(self.zoom, bool) or not isinstance(self.zoom, int)
                                      or not ZOOM_RANGE[0] <= self.zoom <= ZOOM_RANGE[1]):
            raise FilterError(f"zoom must be an integer in {ZOOM_RANGE[0]}..{ZOOM_RANGE[1]}")
        if self.lang not in LANGS:
            raise FilterError(f"lang must be one of {', '.join(LANGS)}")

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | Sequence[str]], *, known: KnownIds | None = None, page: str | None = None
    ) -> tuple["View", list[Notice]]:
        """Parse URL parameters; bad values are dropped with a notice, never raised.

        page (the URL path, e.g. 'timeline' or '/timeline') is validated only: every page reads the same
        parameters, so the state survives a page switch.
        """
        name = page_name(page) if page is not None else None
        params, notices = known_params(params, page=name)
        filters, filter_notices = Filters.from_query(params, known=known)
        notices += filter_notices
        event = _parse_event(last_value(params.get("event")), notices)
        lat = _parse_coord("lat", last_value(params.get("lat")), LAT_RANGE, notices)
        lon = _parse_coord("lon", last_value(params.get("lon")), LON_RANGE, notices)
        if (lat is None) != (lon is None):
            param, value = ("lat", lat) if lat is not None else ("lon", lon)
            notices.append(Notice.ignored(param, str(value), "the map centre needs both lat and lon"))
            lat = lon = None
        zoom = _parse_zoom(last_value(params.get("zoom")), notices)
        lang = _parse_lang(last_value(params.get("lang")), notices)
        return cls(filters, event, lat, lon, zoom, lang), notices

    def to_query(self) -> dict[str, str]:
        """URL parameters: the filters, then event, lat, lon, zoom, and lang when it is not English."""
        out = self.filters.to_query()
        if self.event:
            out["event"] = self.event
        if self.lat is not None and self.lon is not None:
            out["lat"] = f"{self.lat:.{COORD_DECIMALS}f}"
            out["lon"] = f"{self.lon:.{COORD_DECIMALS}f}"
        if self.zoom is not None:
            out["zoom"] = str(self.zoom)
        if self.lang != DEFAULT_LANG:
            out["lang"] = self.lang
        return out

    def query_string(self) -> str:
        """The URL query string (without '?'), UTF-8 percent-encoded, commas kept readable."""
        return urlencode(self.to_query(), safe=",")

    def url(self, base: str = "", *, page: str = DEFAULT_PAGE) -> str:
        """A shareable link: base + /page + ?query."""
        query = self.query_string()
        path = f"{base.rstrip('/')}/{page_name(page)}"
        return f"{path}?{query}" if query else path

    def with_filters(self, filters: Filters) -> "View":
        """The same view with other filters (the selected event is kept)."""
        return replace(self, filters=filters)

    def with_event(self, event: str) -> "View":
        """The same view with another selected event ('' clears it)."""
        return replace(self, event=event.strip().lower())

    def with_map(self, lat: float | None, lon: float | None, zoom: int | None) -> "View":
        """The same view with another map centre and zoom."""
        return replace(self, lat=lat, lon=lon, zoom=zoom)

    def with_lang(self, lang: str) -> "View":
        """The same view in another language."""
        return replace(self, lang=lang)

    def reset(self) -> "View":
        """The default view, keeping the language."""
        return View(lang=self.lang)


def page_name(page: str) -> str:
    """The page name of a page or URL path ('/timeline' -> 'timeline', '/' or '' -> 'map')."""
    name = page.strip().strip("/").lower() or DEFAULT_PAGE
    if name not in PAGES:
        raise FilterError(f"unknown page {page[:60]!r}: not one of {', '.join(PAGES)}")
    return name


def known_params(params: Mapping[str, str | Sequence[str]], *, page: str | None = None
                 ) -> tuple[dict[str, list[str]], list[Notice]]:
    """The URL parameters a View reads, and notices for the others.

    A misspelt name that plainly means a parameter (`?weapon` from `/map??weapon=drone`, `amp;weapon` from an
    HTML-escaped link, `Weapon`, `weapon[]`) is read as that parameter, with one notice naming them; every other
    unknown name is dropped, with one notice for all of them. The server's unknown-path marker becomes a notice
    on the map (the page it sends such links to).
    """
    exact: dict[str, list[str]] = {}
    misspelt: dict[str, list[str]] = {}
    repaired: dict[str, str] = {}
    unknown: dict[str, None] = {}
    notices: list[Notice] = []
    dropped = 0
    for key, raw in params.items():
        values = [raw] if isinstance(raw, str) else [v for v in raw if isinstance(v, str)]
        if key in URL_PARAMS:
            exact[key] = values
            continue
        if key == UNKNOWN_PATH_PARAM and page in (None, DEFAULT_PAGE):
            path = display_value(last_value(values)) or "/"
            notices.append(Notice("path", path, f"There is no page '{path}' in Rasd: this is the map.", (path,)))
            continue
        if key == UNKNOWN_COUNT_PARAM and last_value(values).isdigit():
            dropped = min(int(last_value(values)), MAX_UNKNOWN_COUNT)
            continue
        name = repaired_name(key)
        if name in URL_PARAMS:
            repaired.setdefault(key, name)
            misspelt[name] = misspelt.get(name, []) + values
        else:
            unknown.setdefault(key)
    # A list parameter takes both spellings' values; for a single value the exact name's (the last) wins.
    out = {name: misspelt.get(name, []) + exact.get(name, [])
           for name in URL_PARAMS if name in exact or name in misspelt}
    if repaired:
        shown = [display_value(k) for k in repaired]
        pairs = ", ".join(f"'{s}' as {repaired[k]}" for s, k in zip(shown, repaired))
        notices.append(Notice("parameters", "", f"Read {pairs}.", tuple(shown)))
    total = max(len(unknown), dropped)
    if total:
        names = [display_value(k) for k in list(unknown)[:UNKNOWN_LISTED]]
        more = total - len(names)
        listed = ", ".join(f"'{n}'" for n in names) + (f" and {more:,} more" if more and names else "")
        noun = "parameter" if total == 1 else "parameters"
        notices.append(Notice("parameters", "", f"Ignored {total:,} unknown {noun}{': ' + listed if names else ''} "
                              f"(a link may carry {', '.join(URL_PARAMS)}).", tuple(names)))
    return out, notices


def repaired_name(key: str) -> str:
    """The parameter a misspelt name plainly means: trimmed, lower case, without ?, &, amp; or []."""
    name = key.strip().lower()
    while True:
        before = name
        name = name.lstrip("?&;#/ \t").removeprefix("amp;").strip()
        name = name.removesuffix("[]").strip()
        if name == before:
            return name


def _in_range(value: object, bounds: tuple[float, float]) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and bounds[0] <= value <= bounds[1])


def _parse_event(raw: str, notices: list[Notice]) -> str:
    value = raw.strip().lower()
    if not value:
        return ""
    if _EVENT_ID.fullmatch(value):
        return value
    notices.append(Notice.ignored("event", raw, "not an event id"))
    return ""


def _parse_coord(param: str, raw: str, bounds: tuple[float, float], notices: list[Notice]) -> float | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_VALUE_CHARS or not _NUMBER.fullmatch(value):
        notices.append(Notice.ignored(param, value, "not a number"))
        return None
    number = float(value)
    if not bounds[0] <= number <= bounds[1]:
        notices.append(Notice.ignored(param, value, f"outside {bounds[0]:g}–{bounds[1]:g}, too far from Iraq"))
        return None
    return round(number, COORD_DECIMALS)


def _parse_zoom(raw: str, notices: list[Notice]) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_VALUE_CHARS or not _NUMBER.fullmatch(value) or not float(value).is_integer():
        notices.append(Notice.ignored("zoom", value, "not a whole number"))
        return None
    zoom = int(float(value))
    if not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        notices.append(Notice.ignored("zoom", value, f"not between {ZOOM_RANGE[0]} and {ZOOM_RANGE[1]}"))
        return None
    return zoom


def _parse_lang(raw: str, notices: list[Notice]) -> str:
    value = raw.strip().lower()
    if not value:
        return DEFAULT_LANG
    if value in LANGS:
        return value
    notices.append(Notice.ignored("lang", raw, f"not one of {', '.join(LANGS)}"))
    return DEFAULT_LANG
