"""Sources: each article with its metadata, data-quality flags, the events found in it and its marked-up text."""

import streamlit as st

from rasd.views.i18n import t
from rasd.ui import data, layout, panels, tables

K_ARTICLE = "sources.article"
K_FOR_EVENT = "sources.article_event"


def main() -> None:
    """Draw the sources page."""
    ctx = layout.begin("sources")
    lang = ctx.lang
    articles = tables.articles_shown(data.articles_frame(), ctx.shown, ctx.view.filters)
    tables.show(tables.articles_table(articles, lang=lang))
    if articles.empty:
        st.info(t("empty.no_events", lang))
        return
    titles = dict(zip(articles["file"], articles["title"]))
    files = list(titles)
    # A newly selected event (a link, a click on the map) opens its report; otherwise the reader's pick stays.
    event = ctx.view.event
    if st.session_state.get(K_ARTICLE) not in files or (event and st.session_state.get(K_FOR_EVENT) != event):
        st.session_state[K_ARTICLE] = tables.first_article(files, data.event(event) if event else None)
    st.session_state[K_FOR_EVENT] = event
    file = st.selectbox(t("event.article", lang), files, key=K_ARTICLE,
                        format_func=lambda f: panels.article_choice(titles[f], f))
    article = data.article(file)
    if article is not None:
        panels.article_details(article, data.article_flags(file), data.events_of_article(file), ctx.events,
                               lang=lang, governorates=ctx.choices.governorates)


layout.run(main)
