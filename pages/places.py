"""Places: search the gazetteer in Arabic or English; each place with its spellings, source and attacks."""

import streamlit as st

from rasd.views.i18n import t
from rasd.ui import data, layout, tables


def main() -> None:
    """Draw the places page."""
    ctx = layout.begin("places")
    lang = ctx.lang
    query = st.text_input(t("places.search", lang), key="places.q", placeholder="عين الأسد · Ain al-Asad")
    gazetteer = data.gazetteer()
    attacks = tables.attacks_per_place(ctx.shown)
    places = gazetteer.search(query) if query.strip() else tables.by_attacks(list(gazetteer.places), attacks)
    names = {g.governorate: ctx.choices.governorates.get(gazetteer.governorate_id(g.governorate), g.governorate)
             for g in gazetteer.governorates()}
    st.caption(t("count.shown", lang, shown=len(places), total=len(gazetteer.places)))
    tables.show(tables.places_table(places, attacks, lang=lang, governorates=names))


layout.run(main)
