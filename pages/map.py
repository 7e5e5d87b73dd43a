"""Map: the filtered events over Iraq; a click on a marker shows the event's full record beside the map."""

import streamlit as st
from streamlit_folium import st_folium

from rasd.views.i18n import t
from rasd.views.mapview import build_map, event_id_from_click
from rasd.ui import data, interact, layout, panels


def main() -> None:
    """Draw the map page."""
    ctx = layout.begin("map")
    view, lang = ctx.view, ctx.lang
    heat = st.toggle(t("map.heat", lang), key="map.heat")
    center = (view.lat, view.lon) if view.lat is not None else None
    selected = data.event_record(view.event) if view.event else None
    fmap = build_map(payload_js=data.payload_js(view.filters, lang),
                     selected_at=(selected["lat"], selected["lon"]) if selected is not None else None,
                     center=center, zoom=view.zoom, heat=heat, selected=view.event or None, lang=lang)
    left, right = st.columns([3, 2])
    with left:
        returned = st_folium(fmap, key=interact.map_key(), height=600, use_container_width=True,
                             returned_objects=["last_object_clicked_tooltip"])
    interact.take_click(view, event_id_from_click(returned))
    with right:
        panels.selection(ctx)
    if not ctx.count:
        st.info(f"{t('empty.no_events', lang)} {t('empty.try_reset', lang)}")


layout.run(main)
