"""Bench-only Streamlit app: Rasd's map of n synthetic events (`?n=`, default 10,000) with a weapon filter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from rasd.mapview import build_map, event_id_from_click
from rasd.offline import install_assets
from rasd.synthetic import fake_events_frame
from rasd.vocab import WEAPONS


@st.cache_resource
def events_frame(n: int) -> pd.DataFrame:
    """The synthetic events, built once per size and shared read-only by every rerun."""
    return fake_events_frame(n)


def main() -> None:
    """Filter by weapon, draw the map, report the clicked event."""
    install_assets(Path(__file__).resolve().parent / "static")
    n = int(st.query_params.get("n", "10000"))
    events = events_frame(n)
    weapons = st.multiselect("Weapons", WEAPONS, default=list(WEAPONS), key="weapons")
    shown = events[events["weapon"].isin(weapons)]
    st.caption(f"{len(shown):,} of {n:,} events")
    clicked = st_folium(
        build_map(shown), key="map", height=600, use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"],
    )
    st.text(f"selected: {event_id_from_click(clicked)}")


if __name__ == "__main__":
    main()
