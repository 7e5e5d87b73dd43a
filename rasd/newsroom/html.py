"""An HTML news page reduced to an Article (title, body text, outlet, URL, publication date) by trafilatura."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import trafilatura

from rasd.articles import MAX_ARTICLE_BYTES, not_arabic
from rasd.errors import PageError
from rasd.extract.dates import url_date
from rasd.models import Article

# Query parameters that only say how a reader arrived: the same article under any of them is one URL.
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|at_\w+)$", re.IGNORECASE)
_HOST_CHARS = re.compile(r"[^a-z0-9.-]+")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
MAX_HOST_IN_NAME = 60
# Less than this is a menu or a caption, not a report (the shortest news brief runs to a few sentences).
MIN_TEXT_CHARS = 50


def canonical_url(url: str) -> str:
    """The URL articles are known by: scheme and host lower-cased, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    # Re-encode the query only when something was dropped: otherwise keep it byte for byte.
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def article_file_name(url: str) -> str:
    """The file name a fetched article is stored under, the same for the same URL: `web_<host>_<sha1[:12]>.txt`."""
    canonical = canonical_url(url)
    host = (urlsplit(canonical).hostname or "page").removeprefix("www.")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = "page"
    host = _HOST_CHARS.sub("-", host)[:MAX_HOST_IN_NAME].strip(".-") or "page"
    return f"web_{host}_{hashlib.sha1(canonical.encode('utf-8')).hexdigest()[:12]}.txt"


def article_from_html(html: str, *, url: str = "", file: str | None = None) -> Article:
    """The article in an HTML page; raise PageError when there is no usable Arabic text in it."""
    where = url or file or "page"
    if not html.strip():
        raise PageError(where, "empty page")
    today = date.today().isoformat()
    document = trafilatura.bare_extraction(
        html,
        # No URL: htmldate would take a date from it first and call it the page's; the URL is our fallback.
        url=None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Only dates the page states as metadata (meta tags, JSON-LD, <time>, the URL), never a guess from
        # any date in the text: reports quote old dates, and the extractor reads the text's own dates itself.
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": today},
    )
    body = (document.text or "") if document is not None else ""
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if not paragraphs:
        raise PageError(where, "no article text could be extracted")
    title = (document.title or "").strip() or paragraphs[0]
    # Stored articles open with their headline (the seed layout): headlines often name the attack.
    if paragraphs[0] != title:
        paragraphs.insert(0, title)
    text = "\n\n".join(paragraphs)
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise PageError(where, f"article text is over {MAX_ARTICLE_BYTES // 1_000_000} MB")
    if len(text) < MIN_TEXT_CHARS:
        raise PageError(where, f"too little article text ({len(text)} characters)")
    reason = not_arabic(text)
    if reason:
        raise PageError(where, reason)
    published, note = _publication(document.date, url)
    name = file if file is not None else article_file_name(url) if url else _text_file_name(text)
    outlet = (document.sitename or "").strip() or (urlsplit(url).hostname or "").removeprefix("www.")
    return Article(
        file=name, text=text, title=title, outlet=outlet, url=canonical_url(url) if url else "",
        published=published, published_note=note,
    )


def _publication(found: str | None, url: str) -> tuple[date | None, str]:
    """The publication day and how it was established: page metadata first, else the URL's path."""
    from_url = url_date(url) if url else None
    if found and _ISO_DAY.match(found):
        try:
            day = date.fromisoformat(found[:10])
        except ValueError:
            day = None
        if day is not None:
            also = ", the same day as in the URL" if from_url == day else ""
            return day, f"page metadata (trafilatura): {day.isoformat()}{also}"
    if from_url is not None:
        return from_url, f"date in the URL: {from_url.isoformat()}"
    return None, "no publication date in the page metadata or the URL"


def _text_file_name(text: str) -> str:
    return f"page_{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}.txt"
