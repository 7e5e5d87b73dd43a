"""The app's frame: page setup, offline assets, the database on first start, and the page navigation."""

from __future__ import annotations

import streamlit as st

from rasd.views.i18n import t
from rasd.ui import data, layout, state

# Page name (also its URL path) and Material icon, in menu order; the first is also the page at /.
PAGES: tuple[tuple[str, str], ...] = (
    ("map", ":material/map:"),
    ("timeline", ":material/timeline:"),
    ("events", ":material/table_rows:"),
    ("places", ":material/place:"),
    ("sources", ":material/article:"),
    # The newsroom's pages: a reader who opens one sees the sign-in form and nothing else.
    ("add", ":material/add_circle:"),
    ("review", ":material/fact_check:"),
)

HOME_PATH = "home"


def navigation() -> st.Page:
    """Set up the page, make sure the assets and the database exist, and return the page to run."""
    # An emoji icon becomes a data: URL; a :material/...: page icon is fetched from fonts.gstatic.com.
    st.set_page_config(page_title="Rasd · رصد", page_icon="📡", layout="wide")
    layout.mark_entry()
    lang = state.current_lang()
    with layout.guarded():
        data.ensure_assets()
        data.ensure_db(lang=lang)
    pages = [
        st.Page(f"pages/{name}.py", title=t(f"page.{name}", lang), icon=icon, url_path=name)
        for name, icon in PAGES
    ]
    # Streamlit serves its default page only at / (its own url_path reports "page not found"), so the first
    # page is registered twice: visible at /, and hidden at /<name> for links that name it.
    first, icon = PAGES[0]
    home = st.Page(f"pages/{first}.py", title=t(f"page.{first}", lang), icon=icon, url_path=HOME_PATH, default=True)
    pages[0] = st.Page(f"pages/{first}.py", title=t(f"page.{first}", lang), icon=icon, url_path=first,
                       visibility="hidden")
    return st.navigation([home, *pages], position="top")
