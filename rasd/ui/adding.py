"""The add page's parts: three ways in (paste, upload, URL), the preview of what the extractor finds, Save/Discard.

Every write happens in a button callback through rasd.newsroom.adding, which confirms the editor; what it said
is kept in the session state and shown on the next run. Article text is data: it reaches the page only
through rasd.ui.text.show().
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date

import streamlit as st

from rasd.errors import (
    ArticleError, AuthError, BlockedAddressError, FetchError, FetchTimeoutError, HTTPStatusError, PageError,
    RasdError, RedirectError, TooLargeError,
)
from rasd.views.filters import date_span
from rasd.views.i18n import is_rtl, label, t
from rasd.models import Article, Event
from rasd.newsroom import adding
from rasd.newsroom.users import Editor
from rasd.ui import data, layout
from rasd.ui.layout import Flash
from rasd.ui.tables import when
from rasd.ui.text import div, field as field_line, highlighted, isolated, isolated_runs, link, show, spans_of, strong

log = logging.getLogger(__name__)

WAYS = ("paste", "upload", "url")
K_HOW = "add.how"
K_TEXT, K_TITLE, K_OUTLET, K_URL, K_PUBLISHED = "add.text", "add.title", "add.outlet", "add.url", "add.published"
K_FILES = "add.files"
K_PAGE_URL = "add.page_url"
K_PENDING = "add.pending"
K_FLASH = "add.flash"
# The earliest publication date offered: the first attacks Rasd maps are in 2019, older reports are background.
FIRST_DAY = date(2000, 1, 1)
# A fetch started from the page gives up sooner than the command line's: someone is waiting for it.
FETCH_TIMEOUT = 10


@dataclass(frozen=True)
class Pending:
    """An article waiting for Save or Discard: its events as the extractor finds them, and any stored copy."""

    article: Article
    events: tuple[Event, ...]
    copy_of: str = ""


def ways(lang: str) -> str:
    """The way-in picker; returns the chosen way."""
    return st.segmented_control(t("add.how", lang), WAYS, key=K_HOW, default="paste", required=True,
                                format_func=lambda w: t(f"add.way_{w}", lang)) or "paste"


def paste_form(lang: str) -> None:
    """Text, title, outlet, URL and publication date; Preview extracts without storing."""
    with st.form("add.paste_form"):
        st.text_area(t("add.text", lang), key=K_TEXT, height=260)
        left, right = st.columns(2)
        left.text_input(t("add.title", lang), key=K_TITLE)
        right.text_input(t("add.outlet", lang), key=K_OUTLET)
        left.text_input(t("add.url", lang), key=K_URL, placeholder="https://")
        right.date_input(t("add.published", lang), value=None, min_value=FIRST_DAY, max_value=date.today(),
                         key=K_PUBLISHED, format="YYYY-MM-DD")
        st.form_submit_button(t("add.preview", lang), key="add.paste_preview", on_click=_preview_paste)


def upload_form(lang: str) -> None:
    """.txt files (the title on the first line) and saved .html pages; Preview extracts without storing."""
    with st.form("add.upload_form"):
        st.file_uploader(t("add.files", lang), type=list(adding.UPLOAD_TYPES), accept_multiple_files=True,
                         key=K_FILES)
        st.form_submit_button(t("add.preview", lang), key="add.upload_preview", on_click=_preview_upload)


def url_form(lang: str) -> None:
    """A page URL the server fetches (public http(s) addresses only); Preview extracts without storing."""
    with st.form("add.url_form"):
        st.text_input(t("add.page_url", lang), key=K_PAGE_URL, placeholder="https://")
        st.form_submit_button(t("add.fetch", lang), key="add.url_preview", on_click=_preview_url)


def flash(lang: str) -> None:
    """The messages the last action left, once."""
    layout.show_said(K_FLASH, lang=lang)


def pending(editor: Editor, lang: str) -> None:
    """The preview of the articles waiting, each event with its evidence marked in the text; Save and Discard."""
    waiting: list[Pending] = st.session_state.get(K_PENDING) or []
    if not waiting:
        return
    show(t("add.preview_title", lang), kind="heading", lang=lang)
    for item in waiting:
        _article_preview(item, lang)
    row = st.container(horizontal=True)
    row.button(t("add.save", lang), key="add.save", type="primary", on_click=_save, args=(editor,))
    row.button(t("add.discard", lang), key="add.discard", on_click=_discard)


def _article_preview(item: Pending, lang: str) -> None:
    article, events = item.article, item.events
    rtl = is_rtl(lang)
    unknown = t("event.unknown", lang)
    show(isolated(article.title or article.file), kind="heading", lang="ar")
    published = date_span(article.published, article.published, lang=lang) if article.published else unknown
    lines = [
        div(field_line(t("add.stored_as", lang), article.file, rtl=rtl)),
        div(field_line(t("event.outlet", lang), article.outlet or unknown, rtl=rtl)),
        div(field_line(t("event.published", lang), published, rtl=rtl)),
    ]
    if article.url:
        lines.append(div(strong(f"{t('sources.url', lang)}:"), " ", link(article.url, article.url)))
    show(*lines, lang=lang)
    if article.published_note:
        show(isolated_runs(article.published_note), kind="caption")
    if item.copy_of:
        show(strong(t("add.duplicate", lang)), " ", isolated(item.copy_of), kind="notice", lang=lang)
    show(strong(t("add.found", lang)), f" ({len(events)})", lang=lang)
    if not events:
        show(t("add.no_events", lang), kind="info", lang=lang)
        show(highlighted(article.text, [], lang="ar"))
        return
    gazetteer = data.gazetteer()
    for number, event in enumerate(events, start=1):
        with st.expander(t("add.event_n", lang) + f" {number:d}", expanded=number == 1):
            place = event.place_name
            if lang == "ar" and gazetteer.has(event.place):
                place = gazetteer.get(event.place).name_ar or place
            show(
                div(field_line(t("event.date", lang), when(event.date, event.date_earliest, event.date_latest,
                                                           event.date_precision, lang=lang), rtl=rtl)),
                div(field_line(t("event.place", lang), place or unknown, rtl=rtl)),
                div(field_line(t("event.weapon", lang), label("weapon", event.weapon, lang), rtl=rtl)),
                div(field_line(t("event.target", lang), label("target", event.target, lang), rtl=rtl)),
                lang=lang,
            )
            mine = [s for s in event.sources if s.article == article.file]
            spans = spans_of(article.text, [s.evidence for s in mine], [(s.start, s.end) for s in mine])
            show(highlighted(article.text, spans, lang="ar"))


# Callbacks: they run before the page script, so the next run already shows what they did.

@layout.safe_callback
def _preview_paste() -> None:
    # A new preview replaces the one waiting, whether or not it succeeds.
    st.session_state.pop(K_PENDING, None)
    ss = st.session_state
    if not _has_visible_text(ss.get(K_TEXT)):
        _say(Flash("notice", "add.need_text"))
        return
    try:
        article = adding.pasted_article(ss.get(K_TEXT) or "", title=ss.get(K_TITLE) or "",
                                        outlet=ss.get(K_OUTLET) or "", url=ss.get(K_URL) or "",
                                        published=ss.get(K_PUBLISHED))
    except ArticleError as e:
        _say(Flash("error", "add.bad_article", detail=e.reason))
        return
    _hold([article])


@layout.safe_callback
def _preview_upload() -> None:
    st.session_state.pop(K_PENDING, None)
    files = st.session_state.get(K_FILES) or []
    if not files:
        _say(Flash("notice", "add.need_files"))
        return
    articles = []
    for upload in files:
        try:
            articles.append(adding.uploaded_article(upload.name, upload.getvalue()))
        except FetchError as e:
            # A page with no Arabic article in it (PageError): named by the uploaded file, not a URL.
            _say(Flash("error", "add.bad_file", detail=f"{upload.name}: {e.reason}"))
        except ArticleError as e:
            _say(Flash("error", "add.bad_file", detail=str(e)))
    if articles:
        _hold(articles)


@layout.safe_callback
def _preview_url() -> None:
    st.session_state.pop(K_PENDING, None)
    url = str(st.session_state.get(K_PAGE_URL) or "").strip()
    if not url:
        _say(Flash("notice", "add.need_url"))
        return
    try:
        article = adding.fetched_article(url, timeout=FETCH_TIMEOUT)
    except FetchError as e:
        log.info("add by URL failed: %s", e)
        _say(Flash("error", fetch_message(e), detail=e.reason))
        return
    _hold([article])


def fetch_message(error: FetchError) -> str:
    """The table key saying, in a person's terms, why a page was not fetched."""
    for kind, key in ((BlockedAddressError, "add.fetch_blocked"), (TooLargeError, "add.fetch_too_large"),
                      (FetchTimeoutError, "add.fetch_timeout"), (HTTPStatusError, "add.fetch_status"),
                      (RedirectError, "add.fetch_redirect"), (PageError, "add.fetch_no_article")):
        if isinstance(error, kind):
            return key
    return "add.fetch_failed"


def _hold(articles: list[Article]) -> None:
    """Extract the articles' events for the preview (nothing stored) and keep them until Save or Discard."""
    store = data.store(str(data.ensure_db()))
    gazetteer = data.gazetteer()
    waiting = []
    for article in articles:
        try:
            adding.check_name(store, article)
        except ArticleError as e:
            _say(Flash("error", "add.bad_file", detail=str(e)))
            continue
        events = tuple(adding.preview(article, gazetteer=gazetteer))
        waiting.append(Pending(article, events, adding.stored_copy(store, article) or ""))
    st.session_state[K_PENDING] = waiting


@layout.safe_callback
def _save(editor: Editor) -> None:
    waiting: list[Pending] = st.session_state.get(K_PENDING) or []
    try:
        report = adding.add_articles(data.store(str(data.ensure_db())), [p.article for p in waiting], by=editor)
    except AuthError:
        _say(Flash("error", "auth.expired"))
        return
    except RasdError as e:
        log.warning("add failed: %s", e)
        _say(Flash("error", "add.not_saved", detail=str(e)))
        return
    st.session_state.pop(K_PENDING, None)
    _say(Flash("success", "add.saved", {"added": report.added, "updated": report.updated,
                                        "unchanged": report.unchanged, "events": sum(len(p.events) for p in waiting)}))


@layout.safe_callback
def _discard() -> None:
    st.session_state.pop(K_PENDING, None)
    _say(Flash("info", "add.discarded"))


def _say(note: Flash) -> None:
    layout.say(K_FLASH, note)


def _has_visible_text(value: object) -> bool:
    """False for nothing, spaces, or only invisible marks (RLM, LRM, zero-width, BOM: what a copy from an RTL page
    often carries), which are an empty paste too, not a text in another language."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in str(value or ""))
