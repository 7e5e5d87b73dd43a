"""The naive baseline: one folium.Marker with an HTML popup per event, as a first version would draw it."""

from __future__ import annotations

import folium
import pandas as pd

from rasd.mapview import DEFAULT_CENTER, DEFAULT_ZOOM


def naive_map(events: pd.DataFrame) -> folium.Map:
    """A folium map with one Marker and one popup (date · weapon · place · id) per located event."""
    m = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM)
    located = events[events["lat"].notna() & events["lon"].notna()]
    for row in located.itertuples(index=False):
        popup = folium.Popup(f"<b>{row.date}</b> · {row.weapon}<br>{row.place_name}<br>#{row.id}", max_width=280)
        folium.Marker([row.lat, row.lon], popup=popup).add_to(m)
    return m


def main() -> None:
    """The same page as bench/rasd_app.py, drawn the naive way."""
    import streamlit as st
    from streamlit_folium import st_folium

    from rasd.synthetic import fake_events_frame
    from rasd.vocab import WEAPONS

    @st.cache_resource
    def events_frame(n: int) -> pd.DataFrame:
        return fake_events_frame(n)

    n = int(st.query_params.get("n", "10000"))
    events = events_frame(n)
    weapons = st.multiselect("Weapons", WEAPONS, default=list(WEAPONS), key="weapons")
    shown = events[events["weapon"].isin(weapons)]
    st.caption(f"{len(shown):,} of {n:,} events")
    st_folium(naive_map(shown), key="map", height=600, use_container_width=True,
              returned_objects=["last_object_clicked_popup"])


if __name__ == "__main__":
    main()
