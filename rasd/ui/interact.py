"""What clicks on the map and selections on the timeline do to the view (and so to the URL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st

from rasd.errors import FilterError
from rasd.ui import state
from rasd.views.viewstate import View

K_LAST_CLICK = "map.last_click"
K_MAP_GENERATION = "map.generation"
K_LAST_SPAN = "timeline.last_span"


def map_key() -> str:
    """The st_folium key; a new one forgets the last click (after the selection is closed)."""
    return f"map.{st.session_state.get(K_MAP_GENERATION, 0)}"


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
