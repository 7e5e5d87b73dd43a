"""Events: the filtered events as a sortable table, with CSV, GeoJSON and citation downloads."""

from datetime import date

import streamlit as st

from rasd.views.exports import acled_csv, citation, events_geojson
from rasd.views.i18n import t
from rasd.ui import layout, tables


def main() -> None:
    """Draw the events page."""
    ctx = layout.begin("events")
    lang = ctx.lang
    tables.show(tables.events_table(tables.sort_by_date(ctx.shown), lang=lang, governorates=ctx.choices.governorates))
    csv_col, geojson_col, cite_col = st.columns(3)
    csv_col.download_button(t("download.csv", lang), acled_csv(ctx.shown), file_name="rasd-events.csv",
                            mime="text/csv", help=t("download.csv_help", lang), key="events.csv")
    geojson_col.download_button(t("download.geojson", lang), events_geojson(ctx.shown),
                                file_name="rasd-events.geojson", mime="application/geo+json", key="events.geojson")
    text = citation(description=ctx.describe(lang="en"), count=len(ctx.shown), sources=tables.outlets(ctx.shown),
                    url=ctx.url(), generated=date.today())
    cite_col.download_button(t("download.citation", lang), text, file_name="rasd-citation.txt",
                             mime="text/plain", key="events.citation")
    st.caption(t("download.cite_as", lang))
    st.code(text, language=None, wrap_lines=True)


layout.run(main)
