"""The URL state of the app: the only code that reads or writes st.query_params."""

from __future__ import annotations

import streamlit as st

from rasd.views.filters import KnownIds, Notice, last_value
from rasd.views.i18n import DEFAULT_LANG, LANGS
from rasd.views.viewstate import View

# The last query this session wrote: Streamlit clears the URL on a page switch, so it is written back from here.
_SAVED_QUERY = "rasd.saved_query"


def _url_params() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params.keys()}


def read_view(*, page: str, known: KnownIds | None = None) -> tuple[View, list[Notice]]:
    """The View in the URL (or, after a page switch emptied it, the session's last one) and notices for bad values.

    The validated view is written straight back, so bad values leave the URL once they have been reported.
    """
    params: dict[str, str | list[str]] = dict(_url_params())
    if not params:
        params = dict(st.session_state.get(_SAVED_QUERY, {}))
    view, notices = View.from_query(params, known=known, page=page)
    write_view(view)
    return view, notices


def write_view(view: View) -> None:
    """Make the URL exactly view.to_query(), clearing every other key, and remember it for page switches."""
    query = view.to_query()
    st.session_state[_SAVED_QUERY] = dict(query)
    if _url_params() != {key: [value] for key, value in query.items()}:
        st.query_params.from_dict(query)


def view_url(view: View, *, page: str, browser_url: str | None = None) -> str:
    """The shareable link of a view: the browser's address (st.context.url) with the query, else /page?query."""
    if not browser_url:
        return view.url(page=page)
    base = browser_url.split("?", 1)[0].split("#", 1)[0]
    query = view.query_string()
    return f"{base}?{query}" if query else base


def current_lang() -> str:
    """The language in the URL (or the session's last view), without reporting bad values; for the navigation."""
    params: dict[str, str | list[str]] = dict(_url_params()) or dict(st.session_state.get(_SAVED_QUERY, {}))
    lang = last_value(params.get("lang")).strip().lower()
    return lang if lang in LANGS else DEFAULT_LANG
