"""Timeline: attacks over time; selecting a span sets the date filter; the matching events listed below."""

import streamlit as st

from rasd.views.timeline import load_milestones, span_from_selection, timeline_chart
from rasd.ui import data, interact, layout, tables


def main() -> None:
    """Draw the timeline page."""
    ctx = layout.begin("timeline")
    filters = ctx.view.filters
    chart = timeline_chart(data.day_counts(filters), milestones=load_milestones(), lang=ctx.lang, start=filters.start, end=filters.end)
    selection = st.altair_chart(chart, on_select="rerun", key="timeline.chart", width="stretch")
    interact.take_span(ctx.view, span_from_selection(selection))
    tables.show(tables.events_table(tables.sort_by_date(ctx.shown), lang=ctx.lang,
                                    governorates=ctx.choices.governorates))


layout.run(main)
