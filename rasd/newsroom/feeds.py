"""RSS and Atom feeds (feedparser) polled conditionally; each new item fetched once and ingested."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import feedparser

from rasd.errors import FeedError, FetchError
from rasd.newsroom.html import canonical_url
from rasd.newsroom.pages import DEFAULT_DELAY, FeedReport, NewsReport, Progress, Session
from rasd.store import Store

# Items taken from one feed per poll: feeds list the newest first, and a feed of thousands is a dump.
MAX_ITEMS = 100

PollReport = NewsReport


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: the page it links to, its title and the day it gives."""

    url: str
    title: str = ""
    published: date | None = None


def parse_feed(body: bytes, *, url: str = "", content_type: str = "") -> list[FeedItem]:
    """The items of an RSS or Atom document, links made absolute, http(s) only, each once; raise FeedError."""
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    # A stream, never bytes or a str: feedparser would open a str that looks like a path or a URL itself.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(url or "feed", "not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    items: dict[str, FeedItem] = {}
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (lk.get("href") for lk in entry.get("links", []) if lk.get("rel", "alternate") == "alternate"), ""
        )
        if not link:
            continue
        absolute = urljoin(url, link.strip())
        if urlsplit(absolute).scheme.lower() not in ("http", "https") or absolute in items:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        day = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        items[absolute] = FeedItem(absolute, (entry.get("title") or "").strip(), day)
    return list(items.values())


def poll(
    feeds: Iterable[str],
    *,
    store: Store,
    progress: Progress = print,
    delay: float = DEFAULT_DELAY,
    timeout: float = 15,
    max_bytes: int = 5_000_000,
    max_items: int = MAX_ITEMS,
    allow_private: bool | None = None,
) -> PollReport:
    """One round: each feed fetched conditionally, its new items and earlier failures fetched, all ingested once."""
    session = Session(store, progress=progress, delay=delay, timeout=timeout, max_bytes=max_bytes,
                      allow_private=allow_private)
    for feed in dict.fromkeys(feeds):
        _poll_feed(session, feed, max_items=max_items)
    return session.commit()


def _poll_feed(session: Session, feed: str, *, max_items: int) -> None:
    etag, last_modified = session.state.validators(feed)
    items: list[FeedItem] = []
    try:
        fetched = session.get(feed, etag=etag, last_modified=last_modified)
        if fetched.not_modified:
            session.report.feeds.append(FeedReport(feed, "not modified"))
            session.progress(f"feed {feed}: not modified")
        else:
            items = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)[:max_items]
            session.report.feeds.append(FeedReport(feed, "ok", len(items)))
            session.progress(f"feed {feed}: {len(items)} items")
            session.keep_validators(feed, fetched.etag, fetched.last_modified)
    except FetchError as e:
        session.fail_feed(feed, e.reason)
    # Earlier failures are tried again even when the feed is unchanged or down: they will not be listed anew.
    fresh = [item.url for item in items if not session.seen(item.url)]
    session.report.skipped += len(items) - len(fresh)
    due: dict[str, str] = {}
    for url in [*fresh, *session.state.retries(feed)]:
        due.setdefault(canonical_url(url), url)
    for url in due.values():
        session.take(url, feed=feed)


def watch(
    feeds: Iterable[str],
    *,
    store: Store,
    every_minutes: float,
    once: bool = False,
    progress: Progress = print,
    on_poll: Callable[[PollReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    delay: float = DEFAULT_DELAY,
    timeout: float = 15,
    max_bytes: int = 5_000_000,
    max_items: int = MAX_ITEMS,
    allow_private: bool | None = None,
) -> PollReport:
    """Poll every `every_minutes` (start to start) until interrupted, or once; each report goes to `on_poll`.

    Without `on_poll` each poll's summary line goes to `progress`. Returns the last poll's report.
    """
    feeds = list(feeds)
    while True:
        started = time.monotonic()
        report = poll(feeds, store=store, progress=progress, delay=delay, timeout=timeout, max_bytes=max_bytes,
                      max_items=max_items, allow_private=allow_private)
        if on_poll is not None:
            on_poll(report)
        else:
            progress(report.summary())
        if once:
            return report
        sleep(max(0.0, started + every_minutes * 60 - time.monotonic()))
