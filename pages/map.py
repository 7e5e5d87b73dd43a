"""Map: the filtered events over Iraq; a click on a marker shows the event's full record beside the map."""

import streamlit as st
from streamlit_folium import st_folium

from rasd.views.i18n import t
from rasd.views.mapview import build_map, event_pos_from_click
from rasd.ui import data, interact, layout, panels


def main() -> None:
    """Draw the map page: the map first, then the header above it, the details beside it and the sidebar."""
    ctx, notices = layout.prepare("map")
    view, lang = ctx.view, ctx.lang
    # Streamlit sends each element as the script draws it, and the browser fetches the code of each kind of
    # element the first time one comes: drawn first (into its place under the header), the map's code is asked
    # for before the sidebar widgets'.
    top = st.container()
    left, right = st.columns([3, 2])
    # The layer switch is drawn above the map but after it: its value is the one the last run left in the session.
    heat = interact.shown_layer() == "heat"
    center = (view.lat, view.lon) if view.lat is not None else None
    selected = data.event_record(view.event) if view.event else None
    fmap = build_map(payload_js=data.payload_js(view.filters, lang),
                     selected_at=(selected["lat"], selected["lon"]) if selected is not None else None,
                     selected_pos=int(selected["pos"]) if selected is not None else None,
                     center=center, zoom=view.zoom, heat=heat, selected=view.event or None, lang=lang)
    with left:
        returned = st_folium(fmap, key=interact.map_key(), height=600, use_container_width=True,
                             returned_objects=["last_object_clicked_tooltip"])
    interact.take_click(view, data.event_id_of_pos(event_pos_from_click(returned)))
    with top:
        layout.header(ctx, notices)
        interact.layer_switch(lang)
    with right:
        panels.selection(ctx)
    layout.side(ctx)
    if not ctx.count:
        st.info(f"{t('empty.no_events', lang)} {t('empty.try_reset', lang)}")


layout.run(main)
