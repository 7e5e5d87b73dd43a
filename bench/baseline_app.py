"""Bench-only Streamlit app: the events of the store at $RASD_DB drawn with folium's stock layers, as baselines.

`?layer=` picks the map: `fast` (FastMarkerCluster, one plain L.marker per event: folium's default callback
needs Leaflet.awesome-markers, which is not served offline), `fast_popups` (the same with an HTML popup per
event), `geojson` (one GeoJson layer of points with a GeoJsonPopup, inside a MarkerCluster, as folium renders
it) or `naive` (one folium.Marker with a popup per event). The page has a weapon filter and the map in a
column as wide as Rasd's; Leaflet and MarkerCluster are the same local copies Rasd serves.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
from folium.template import Template

from rasd.views import offline
from rasd.views.mapview import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM
from rasd.store import Store

BENCH = Path(__file__).resolve().parent
PLAIN_MARKER = "function (row) { return L.marker(new L.LatLng(row[0], row[1])); }"
POPUP_MARKER = ("function (row) { var marker = L.marker(new L.LatLng(row[0], row[1]));"
                " marker.bindPopup(row[2], {maxWidth: 280}); return marker; }")


class _IconPath(folium.MacroElement):
    """Where Leaflet's default marker images are (the local copies)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self.path = offline.ICON_IMAGE_PATH


def _located(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["lat"].notna() & events["lon"].notna()]


def _popup(row) -> str:
    """date · weapon, place, #id: what the naive app shows on a click."""
    return (f"<b>{html.escape(str(row.date))}</b> · {html.escape(row.weapon)}<br>"
            f"{html.escape(row.place_name)}<br>#{html.escape(row.id)}")


def _base_map() -> folium.Map:
    offline.use_local_assets()
    # Rasd's view and zoom range (MarkerCluster needs a maxZoom, which a map without tiles lacks).
    m = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM, tiles=None, minZoom=MIN_ZOOM,
                   maxZoom=MAX_ZOOM)
    _IconPath().add_to(m)
    return m


def fast_map(events: pd.DataFrame) -> folium.Map:
    """folium's FastMarkerCluster: the coordinates only, one plain marker each."""
    m = _base_map()
    located = _located(events)
    folium.plugins.FastMarkerCluster(located[["lat", "lon"]].to_numpy().tolist(), callback=PLAIN_MARKER).add_to(m)
    return m


def fast_popup_map(events: pd.DataFrame) -> folium.Map:
    """FastMarkerCluster with an HTML popup per event in its data rows."""
    m = _base_map()
    rows = [[r.lat, r.lon, _popup(r)] for r in _located(events).itertuples(index=False)]
    folium.plugins.FastMarkerCluster(rows, callback=POPUP_MARKER).add_to(m)
    return m


def geojson_map(events: pd.DataFrame) -> folium.Map:
    """A GeoJson FeatureCollection of points (id, date, weapon, place) with a GeoJsonPopup, in a MarkerCluster."""
    m = _base_map()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
         "properties": {"id": r.id, "date": str(r.date), "weapon": r.weapon, "place": r.place_name}}
        for r in _located(events).itertuples(index=False)
    ]
    cluster = folium.plugins.MarkerCluster().add_to(m)
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   popup=folium.GeoJsonPopup(fields=["date", "weapon", "place", "id"])).add_to(cluster)
    return m


def naive_map(events: pd.DataFrame) -> folium.Map:
    """One folium.Marker and one popup (date · weapon · place · id) per located event."""
    m = _base_map()
    for row in _located(events).itertuples(index=False):
        folium.Marker([row.lat, row.lon], popup=folium.Popup(_popup(row), max_width=280)).add_to(m)
    return m


LAYERS: dict[str, Callable[[pd.DataFrame], folium.Map]] = {
    "fast": fast_map, "fast_popups": fast_popup_map, "geojson": geojson_map, "naive": naive_map,
}


def main() -> None:
    """Read the store once, filter by weapon, draw the chosen layer."""
    import streamlit as st
    from streamlit_folium import st_folium

    from rasd.vocab import WEAPONS

    @st.cache_resource
    def events_frame(path: str) -> pd.DataFrame:
        return Store(path, create=False).events_frame()

    st.set_page_config(page_title="Rasd bench baseline", layout="wide")
    offline.install_assets(BENCH / "static")
    layer = st.query_params.get("layer", "fast")
    events = events_frame(os.environ["RASD_DB"])
    weapons = st.sidebar.multiselect("Weapons", WEAPONS, default=list(WEAPONS), key="weapons")
    shown = events[events["weapon"].isin(weapons)]
    st.title(f"Baseline: {layer}")
    st.caption(f"{len(shown):,} of {len(events):,} events")
    left, _ = st.columns([3, 2])
    with left:
        st_folium(LAYERS[layer](shown), key="map", height=600, use_container_width=True,
                  returned_objects=["last_object_clicked_popup"])


if __name__ == "__main__":
    main()
