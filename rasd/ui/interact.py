"""What clicks on the map and selections on the timeline do to the view (and so to the URL); the map's layer switch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st

from rasd.errors import FilterError
from rasd.ui import state
from rasd.views.i18n import label, t
from rasd.views.viewstate import View

K_LAST_CLICK = "map.last_click"
K_MAP_GENERATION = "map.generation"
K_LAST_SPAN = "timeline.last_span"
K_LAYER = "map.layer"
K_LAYER_SHOWN = "map.layer_shown"
LAYERS = ("markers", "heat")


def map_key() -> str:
    """The st_folium key; a new one forgets the last click (after the selection is closed)."""
    return f"map.{st.session_state.get(K_MAP_GENERATION, 0)}"


def shown_layer() -> str:
    """The way the reader last chose to show the events: 'markers' or 'heat'."""
    return st.session_state.get(K_LAYER_SHOWN, LAYERS[0])


def layer_switch(lang: str) -> None:
    """Markers or heat map, as a segmented control above the map."""
    # Not a toggle: the sidebar loads a segmented control's code anyway, where a toggle's would be one more lazily
    # loaded chunk the map's frame waits for (bench/bench_browser.py measured it at 10,000 events).
    # Clicking the chosen option again clears a segmented control: the last choice is drawn again instead.
    st.session_state[K_LAYER] = shown_layer()
    st.segmented_control(t("map.layer", lang), LAYERS, key=K_LAYER, format_func=lambda c: label("layer", c, lang),
                         on_change=_layer_chosen)


def _layer_chosen() -> None:
    if st.session_state.get(K_LAYER) in LAYERS:
        st.session_state[K_LAYER_SHOWN] = st.session_state[K_LAYER]


def take_click(view: View, clicked: str | None) -> None:
    """Select a newly clicked event (st_folium repeats the last click on every rerun, so only a new one counts)."""
    if not clicked or clicked == st.session_state.get(K_LAST_CLICK):
        return
    st.session_state[K_LAST_CLICK] = clicked
    if clicked == view.event:
        return
    try:
        selected = view.with_event(clicked)
    except FilterError:
        return
    state.write_view(selected)
    st.rerun()


def close_event(view: View) -> None:
    """Clear the selected event and start a fresh map component, so the same marker can be clicked again."""
    st.session_state[K_MAP_GENERATION] = st.session_state.get(K_MAP_GENERATION, 0) + 1
    st.session_state.pop(K_LAST_CLICK, None)
    state.write_view(view.with_event(""))


def take_span(view: View, span: tuple[date, date] | None) -> None:
    """Set the date filter to a newly selected span of the timeline."""
    if span is None:
        return
    key: Any = (span[0].isoformat(), span[1].isoformat())
    if key == st.session_state.get(K_LAST_SPAN):
        return
    st.session_state[K_LAST_SPAN] = key
    start, end = sorted(span)
    if (start, end) == (view.filters.start, view.filters.end):
        return
    try:
        chosen = view.with_filters(replace(view.filters, start=start, end=end))
    except FilterError:
        return
    state.write_view(chosen)
    st.rerun()
