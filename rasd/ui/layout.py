"""What every page does first: read the URL, draw the sidebar, and say what is shown and what was ignored."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from rasd.errors import RasdError, StoreError
from rasd.views.filters import Notice
from rasd.views.i18n import DEFAULT_LANG, LANGS, is_rtl, t
from rasd.ui import data, sidebar, state
from rasd.ui.data import Choices
from rasd.ui.sidebar import DataSpan
from rasd.ui.text import Markup, div, isolated, isolated_runs, join, show, show_style, strong
from rasd.views.viewstate import View

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 300
# Errors a widget callback met: callbacks run before the page script, outside guarded(), so the next run shows them.
_CALLBACK_ERRORS = "layout.callback_errors"


@dataclass(frozen=True)
class Flash:
    """A message an action leaves for the next run: its box kind (text.KINDS), table key and values, literal detail."""

    kind: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


def say(channel: str, note: Flash) -> None:
    """Keep a message for the next run of the page that shows this channel."""
    st.session_state[channel] = [*st.session_state.get(channel, []), note]


def show_said(channel: str, *, lang: str) -> None:
    """The messages kept on a channel, once each: the sentence in the interface language, then any detail as text.

    They go in one container that is drawn even when there is nothing to say, so what follows keeps its place when
    a message goes away on the next run (an open expander below would otherwise close, or another one open).
    """
    slot = st.container()
    for note in st.session_state.pop(channel, []):
        sentence = t(note.key, lang, **note.values)
        if note.detail:
            show(strong(sentence), " ", isolated_runs(note.detail, rtl=is_rtl(lang)), kind=note.kind, lang=lang,
                 where=slot)
        else:
            show(sentence, kind=note.kind, lang=lang, where=slot)


@dataclass(frozen=True)
class PageContext:
    """One run of one page: its view, how many events the filters keep, the names of ids and the data span.

    The events themselves are read only by the pages that list them (`events`, `shown`): the map asks the store
    for its payload, so a page at a million events never copies the whole frame.
    """

    page: str
    view: View
    count: int
    choices: Choices
    span: DataSpan

    @functools.cached_property
    def events(self) -> pd.DataFrame:
        """Every public event (shared read-only across sessions)."""
        return data.events_frame()

    @functools.cached_property
    def shown(self) -> pd.DataFrame:
        """The events the filters keep."""
        return data.shown(self.view.filters)

    @property
    def lang(self) -> str:
        """The interface language."""
        return self.view.lang

    def url(self) -> str:
        """The shareable link of this view on this page."""
        return state.view_url(self.view, page=self.page, browser_url=_browser_url())

    def describe(self, *, lang: str | None = None) -> str:
        """The one-sentence description of the filters with the number of events shown (in lang, else the view's)."""
        lang = lang or self.lang
        choices = self.choices if lang == self.lang else data.choices(lang)
        return self.view.filters.describe(self.count, lang=lang, names=choices.names())


def _browser_url() -> str | None:
    try:
        return st.context.url
    except (AttributeError, RuntimeError):
        return None


def begin(page: str) -> PageContext:
    """Read the view, style the page for its language, draw the sidebar and the header, and filter the events."""
    ctx, notices = prepare(page)
    side(ctx)
    header(ctx, notices)
    return ctx


def prepare(page: str) -> tuple[PageContext, list[Notice]]:
    """Read the view, style the page for its language and count the events; draws no widget or text.

    With header() and side() it is begin() in pieces, for a page that draws something before them (the map).
    """
    view, notices = state.read_view(page=page, known=data.known_ids())
    show_style(rtl=is_rtl(view.lang))
    stored = data.span()
    span = DataSpan(stored.first, stored.last)
    ctx = PageContext(page=page, view=view, count=data.count(view.filters), choices=data.choices(view.lang),
                      span=span)
    return ctx, notices


def side(ctx: PageContext) -> None:
    """The sidebar: the filters, then the shareable link."""
    sidebar.render(ctx.view, choices=ctx.choices, span=ctx.span)
    _copy_link(ctx)


def header(ctx: PageContext, notices: list[Notice]) -> None:
    """The page title, the synthetic-store notice, the summary of the filters and the URL notices."""
    page, lang = ctx.page, ctx.lang
    st.title(t(f"page.{page}", lang))
    _synthetic_banner(lang)
    show(ctx.describe(), kind="summary", lang=lang)
    show_notices(notices, lang=lang)


def begin_newsroom(page: str) -> str:
    """An editors' page: the session's language (the URL's, else the last view's), the page style and the title.

    No filters and no sidebar: a reader who opens the page sees the sign-in form and nothing else.
    """
    lang = state.current_lang()
    show_style(rtl=is_rtl(lang))
    st.title(t(f"page.{page}", lang))
    _synthetic_banner(lang)
    # In a container that is always there: the page below keeps its place when the errors are gone (show_said).
    with st.container():
        for details in st.session_state.pop(_CALLBACK_ERRORS, []):
            _error(*details)
    return lang


def _synthetic_banner(lang: str) -> None:
    if data.is_synthetic():
        show(t("data.synthetic", lang), kind="notice", lang=lang)


def safe_callback(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose errors become a short error box on the next run instead of a traceback."""
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            callback(*args, **kwargs)
        except StoreError as e:
            log.warning("store error in a callback: %s", e)
            _callback_error(t("error.store", current_lang()), _short(str(e)))
        except RasdError as e:
            log.warning("error in a callback: %s", e)
            _callback_error(_short(str(e)))
        except Exception as e:  # the next run shows a short message, whatever broke in the callback
            log.exception("unexpected error in a callback")
            _callback_error(f"{type(e).__name__}:", _short(str(e)))

    return run


def _callback_error(*details: str) -> None:
    st.session_state[_CALLBACK_ERRORS] = [*st.session_state.get(_CALLBACK_ERRORS, []), details]


def show_notices(notices: list[Notice], *, lang: str) -> None:
    """Every ignored or changed URL value in one box: a header, then one English sentence per notice."""
    if not notices:
        return
    header = div(strong(t("notices.header", lang)), dir="rtl" if is_rtl(lang) else "ltr")
    show(header, *(div(notice_text(n), dir="ltr", lang="en") for n in notices), kind="notice", lang=lang)


def notice_text(notice: Notice) -> Markup:
    """A notice's sentence as literal text, each value it quotes isolated in its own direction."""
    parts: list[object] = []
    rest = notice.message
    for value in notice.quoted:
        before, found, after = rest.partition(f"'{value}'")
        if found:
            parts += [before, "'", isolated(value), "'"]
            rest = after
    parts.append(rest)
    return join(parts)


def _copy_link(ctx: PageContext) -> None:
    # The link (with its copy button) is drawn when the popover opens: a code block's script is 1.5 MB, which the
    # browser would otherwise fetch and run on every first load, beside the map.
    with st.sidebar.popover(t("button.copy_link", ctx.lang), width="stretch"):
        st.code(ctx.url(), language=None, wrap_lines=True)


def current_lang() -> str:
    """The language the sidebar switch last held (English before any run), for messages outside a page."""
    lang = st.session_state.get(sidebar.K_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


@contextmanager
def guarded() -> Iterator[None]:
    """Run a page body; an unexpected error becomes a short st.error instead of a traceback page."""
    try:
        yield
    except StoreError as e:
        log.warning("store error: %s", e)
        _error(t("error.store", current_lang()), _short(str(e)))
    except RasdError as e:
        log.warning("page error: %s", e)
        _error(_short(str(e)))
    except Exception as e:  # the page shows a short message, whatever broke below it
        log.exception("unexpected error while drawing the page")
        _error(f"{type(e).__name__}:", _short(str(e)))


def _error(*details: str) -> None:
    """A short error box: the title in the interface language, then the details (which may quote data) as text."""
    lang = current_lang()
    show(strong(f"{t('error.title', lang)}:"), " ", " ".join(d for d in details if d), kind="error", lang=lang)


def _short(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


# Set while app.py's navigation runs a page. Streamlit runs a pages/ script on its own, without app.py, when a
# session's first request is a page URL such as /timeline and no run has called st.navigation yet.
_ENTRY = threading.local()


def mark_entry() -> None:
    """Record that app.py (not Streamlit's pages/ folder mode) is running this script run."""
    _ENTRY.active = True


def run(page_body: Callable[[], None]) -> None:
    """Run a page's body under guarded(), through app.py's navigation even when Streamlit started the page alone."""
    if not getattr(_ENTRY, "active", False):
        from rasd.ui.shell import navigation

        # st.navigation turns Streamlit's pages/ folder mode off; the rerun then goes through app.py.
        navigation()
        st.rerun()
    try:
        with guarded():
            page_body()
    finally:
        _ENTRY.active = False
