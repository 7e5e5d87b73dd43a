"""Articles an editor adds from the app: pasted text, an uploaded file or a page URL, previewed, then stored.

Each way ends in an Article held to the article-folder rules (UTF-8 Arabic text, at most 2 MB). `preview` runs
the extractor without storing anything; `add_articles` stores the articles through Store.ingest only for a
signed-in editor, never replaces a stored article of the same name with other text (unless it is the same page
fetched again), and leaves out a text already stored under another name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rasd.articles import MAX_ARTICLE_BYTES, article_text, file_article, not_arabic
from rasd.errors import ArticleError, AuthError
from rasd.models import Article, Event
from rasd.newsroom.fetch import decode, fetch
from rasd.newsroom.html import article_from_html, canonical_url
from rasd.newsroom.pages import page_article
from rasd.newsroom.state import INGESTED, NewsroomState
from rasd.store import IngestReport, Store

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from rasd.newsroom.users import Editor

# The file types an editor may upload, by suffix.
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
UPLOAD_TYPES = tuple(s.lstrip(".") for s in (*TEXT_SUFFIXES, *HTML_SUFFIXES))
# A saved page is bigger than its article (scripts, styles, menus): the fetcher's own cap.
MAX_HTML_BYTES = 5_000_000
MAX_TITLE = 500
MAX_OUTLET = 200
MAX_URL = 2000
MAX_FILE_STEM = 80
PASTED = "pasted text"
_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def pasted_article(text: str, *, title: str = "", outlet: str = "", url: str = "",
                   published: date | None = None) -> Article:
    """An article typed or pasted in: its text checked like an article file, named by its content hash."""
    if not isinstance(text, str):
        raise ArticleError(PASTED, "no article text")
    clean = article_text(text.encode("utf-8"), where=PASTED)
    url = _one_line(url, "URL", MAX_URL)
    if url and not _is_web_url(url):
        raise ArticleError(PASTED, "the URL must be a full http:// or https:// address")
    if published is not None and not isinstance(published, date):
        raise ArticleError(PASTED, "the publication date must be a date")
    name = f"paste_{hashlib.sha1(clean.encode('utf-8')).hexdigest()[:12]}.txt"
    article = file_article(name, clean)
    return dataclasses.replace(
        article,
        title=_one_line(title, "title", MAX_TITLE) or article.title,
        outlet=_one_line(outlet, "outlet", MAX_OUTLET),
        url=canonical_url(url) if url else "",
        published=published,
        published_note="entered by an editor" if published else "",
    )


def uploaded_article(name: str, data: bytes) -> Article:
    """An uploaded .txt (title on its first line, like an article folder's files) or .html page."""
    where = PurePath(str(name)).name or "upload"
    suffix = PurePath(where).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return file_article(upload_file_name(where, data), article_text(data, where=where))
    if suffix in HTML_SUFFIXES:
        if len(data) > MAX_HTML_BYTES:
            raise ArticleError(where, f"too large ({len(data) / 1e6:.1f} MB; pages above "
                                      f"{MAX_HTML_BYTES // 1_000_000} MB are not read)")
        if b"\x00" in data:
            raise ArticleError(where, "binary file (contains NUL bytes), expected an HTML page")
        return article_from_html(decode(data), file=upload_file_name(where, data))
    raise ArticleError(where, f"not a {' or '.join(UPLOAD_TYPES)} file")


def upload_file_name(name: str, data: bytes) -> str:
    """The name an uploaded file is stored under: its own stem (safe characters only) as a .txt file."""
    stem = _FILE_CHARS.sub("_", PurePath(str(name)).stem).strip("._-")[:MAX_FILE_STEM]
    return f"{stem}.txt" if stem else f"upload_{hashlib.sha1(data).hexdigest()[:12]}.txt"


def fetched_article(url: str, *, timeout: float = 15, allow_private: bool | None = None) -> Article:
    """The article of one news page, fetched by the server with rasd.newsroom.fetch's limits (FetchError if not)."""
    return page_article(fetch(str(url).strip(), timeout=timeout, allow_private=allow_private))


def preview(article: Article, *, gazetteer: Gazetteer | None = None) -> list[Event]:
    """The events the extractor finds in an article, as they would be stored (nothing is stored)."""
    from rasd.extract.dates import article_reference
    from rasd.extract.extraction import extract_article

    return extract_article(article, gazetteer=gazetteer, reference=article_reference(article))


def stored_copy(store: Store, article: Article) -> str | None:
    """The stored article holding the same text under another name, if any."""
    found = NewsroomState(store.path).file_with_text(article.sha256)
    return found if found and found != article.file else None


def check_name(store: Store, article: Article) -> None:
    """ArticleError when another text is stored under the article's name (a re-fetch of the same page may update)."""
    stored = store.article(article.file)
    if stored is None or stored.text == article.text:
        return
    if article.url and stored.url and canonical_url(stored.url) == canonical_url(article.url):
        return
    raise ArticleError(article.file, "an article of this name is already stored with other text; "
                                     "rename the file to add it as a new article")


def add_articles(store: Store, articles: Iterable[Article], *, by: Editor) -> IngestReport:
    """Store articles for a signed-in editor; their events join the review queue as unreviewed."""
    _confirmed(by)
    batch = list({a.file: a for a in articles}.values())
    for article in batch:
        _check_article(article)
        check_name(store, article)
    # The same report under a second name would count as a second source of each attack.
    fresh = [a for a in batch if stored_copy(store, a) is None]
    report = store.ingest(fresh)
    state = NewsroomState(store.path)
    for article in fresh:
        if article.url:
            # `rasd watch` then knows the page is stored and does not fetch it again.
            state.record([canonical_url(article.url)], feed="", status=INGESTED, file=article.file,
                         sha256=article.sha256)
    return dataclasses.replace(report, unchanged=report.unchanged + len(batch) - len(fresh))


def _confirmed(by: object) -> Editor:
    from rasd.newsroom.users import Editor

    if not isinstance(by, Editor):
        raise AuthError("adding articles needs a signed-in editor (an Editor from UserStore)")
    by.confirm()
    return by


def _check_article(article: Article) -> None:
    """The rules every added article meets, whichever way it came (a caller may build its own Article)."""
    name = getattr(article, "file", "")
    if not isinstance(article, Article) or not name.endswith(".txt") or PurePath(name).name != name:
        raise ArticleError(str(name or "article"), "not an article file name")
    if len(article.text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise ArticleError(article.file, f"article text is over {MAX_ARTICLE_BYTES // 1_000_000} MB")
    reason = not_arabic(article.text)
    if reason:
        raise ArticleError(article.file, reason)


def _one_line(value: object, what: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise ArticleError(PASTED, f"the {what} has at most {limit} characters")
    return text


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
