"""Pages fetched, reduced to articles, de-duplicated by URL and by text, and ingested into the store."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rasd.errors import FetchError, PageError
from rasd.models import Article
from rasd.newsroom.fetch import Fetched, fetch
from rasd.newsroom.html import article_from_html, canonical_url
from rasd.newsroom.state import DONE, DUPLICATE, INGESTED, NewsroomState
from rasd.store import IngestReport, Store

log = logging.getLogger(__name__)

# Seconds between two requests to the same host: a newsroom polling an outlet should not hammer it.
DEFAULT_DELAY = 1.0
HTML_TYPES = ("text/html", "application/xhtml+xml")

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Failure:
    """A URL that could not be fetched or read, why, and whether it will be tried again."""

    url: str
    reason: str
    retry: bool = False


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A fetched page whose text is already stored, and the article file holding it."""

    url: str
    of: str


@dataclass(frozen=True, slots=True)
class FeedReport:
    """One feed in one poll: 'ok', 'not modified' or 'failed', its item count and any error."""

    url: str
    status: str
    items: int = 0
    error: str = ""


@dataclass(slots=True)
class NewsReport:
    """What a fetch or a poll did: pages fetched, articles stored, duplicates, URLs skipped, failures."""

    fetched: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    feeds: list[FeedReport] = field(default_factory=list)
    ingest: IngestReport | None = None

    @property
    def ok(self) -> bool:
        """True when no page and no feed failed."""
        return not self.failed and all(f.status != "failed" for f in self.feeds)

    @property
    def new(self) -> int:
        """Articles stored for the first time."""
        return self.ingest.added if self.ingest else 0

    def summary(self) -> str:
        """One line for a person: feeds, pages, new articles, duplicates, failures, events."""
        parts = []
        if self.feeds:
            not_modified = sum(f.status == "not modified" for f in self.feeds)
            failed_feeds = sum(f.status == "failed" for f in self.feeds)
            parts.append(f"{len(self.feeds)} feeds ({not_modified} not modified, {failed_feeds} failed)")
        pages = f"{len(self.fetched)} pages fetched: {self.new} new articles"
        if self.ingest and (self.ingest.updated or self.ingest.unchanged):
            pages += f", {self.ingest.updated} updated, {self.ingest.unchanged} unchanged"
        pages += f", {len(self.duplicates)} duplicates"
        if self.feeds:
            pages += f", {self.skipped} already seen"
        pages += f", {len(self.failed)} failed"
        parts.append(pages)
        if self.ingest is not None:
            parts.append(f"{self.ingest.events} events")
        return "; ".join(parts)


class HostPacer:
    """One request at a time per host, at least `delay` seconds apart."""

    def __init__(self, delay: float = DEFAULT_DELAY) -> None:
        self.delay = delay
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Wait for the host's turn, then hold it while the request runs."""
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, float("-inf")) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()


def page_article(fetched: Fetched) -> Article:
    """The article of a fetched page; raise PageError when it is not an HTML page with Arabic text."""
    if fetched.content_type and fetched.content_type not in HTML_TYPES:
        raise PageError(fetched.url, f"not an HTML page ({fetched.content_type})")
    return article_from_html(fetched.text, url=fetched.final_url)


@dataclass(slots=True)
class Session:
    """One fetch or poll: the options, the host pacer, the articles to ingest and the report so far."""

    store: Store
    progress: Progress = print
    delay: float = DEFAULT_DELAY
    timeout: float = 15
    max_bytes: int = 5_000_000
    allow_private: bool | None = None
    report: NewsReport = field(default_factory=NewsReport)
    state: NewsroomState = field(init=False)
    pacer: HostPacer = field(init=False)
    _batch: dict[str, Article] = field(default_factory=dict)
    _hashes: dict[str, str] = field(default_factory=dict)
    _records: list[tuple[list[str], str, str, str, str]] = field(default_factory=list)
    _validators: list[tuple[str, str, str]] = field(default_factory=list)
    # URLs asked for in this session: a page listed by two feeds is fetched once even before it is recorded.
    _taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.state = NewsroomState(self.store.path)
        self.pacer = HostPacer(self.delay)

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """Fetch in the host's turn with this session's limits."""
        with self.pacer.turn(url):
            return fetch(url, timeout=self.timeout, max_bytes=self.max_bytes, allow_private=self.allow_private,
                         etag=etag, last_modified=last_modified)

    def seen(self, url: str) -> bool:
        """True when the URL was fetched and settled on an earlier poll (or given up on)."""
        asked = canonical_url(url)
        return asked in self._taken or self.state.status(asked) in DONE

    def take(self, url: str, *, feed: str = "", again: bool = False) -> None:
        """Fetch one page and queue its article; a failure is reported (and, for a feed item, retried later).

        `again` (explicit `rasd fetch`): a page whose text is stored under its own file is re-ingested there
        (unchanged or updated); without it (feed items) any stored copy of the text makes it a duplicate.
        """
        asked = canonical_url(url)
        if asked in self._taken:
            return
        self._taken.add(asked)
        try:
            fetched = self.get(url)
            article = page_article(fetched)
        except FetchError as e:
            self._fail(url, asked, feed, e.reason)
            return
        self.report.fetched.append(url)
        urls = [asked, canonical_url(fetched.final_url)]
        repeat = self._hashes.get(article.sha256) or self.state.file_with_text(article.sha256)
        if repeat is not None and not (again and repeat == article.file):
            self.report.duplicates.append(Duplicate(url, repeat))
            self._records.append((urls, feed, DUPLICATE, repeat, article.sha256))
            self.progress(f"duplicate {url} (same text as {repeat})")
            return
        self._batch[article.file] = article
        self._hashes[article.sha256] = article.file
        self._records.append((urls, feed, INGESTED, article.file, article.sha256))
        self.progress(f"fetched {url} -> {article.file}")

    def _fail(self, url: str, asked: str, feed: str, reason: str) -> None:
        log.warning("fetch failed: %s: %s", url, reason)
        retry = False
        if feed:
            attempts, gave_up = self.state.record_failure(asked, feed=feed, error=reason)
            retry = not gave_up
            reason += f" (attempt {attempts}; {'retried next poll' if retry else 'given up'})"
        self.report.failed.append(Failure(url, reason, retry))
        self.progress(f"failed {url}: {reason}")

    def fail_feed(self, feed: str, reason: str) -> None:
        """Report a feed that could not be fetched or read (it is asked for in full on the next poll)."""
        log.warning("feed failed: %s: %s", feed, reason)
        self.report.feeds.append(FeedReport(feed, "failed", error=reason))
        self.progress(f"failed feed {feed}: {reason}")

    def keep_validators(self, feed: str, etag: str, last_modified: str) -> None:
        """Save a feed's validators once its items are stored (saved early, a crash would lose the items)."""
        self._validators.append((feed, etag, last_modified))

    def commit(self) -> NewsReport:
        """Ingest the queued articles in one go, then record their URLs and the feeds' validators."""
        if self._batch:
            self.report.ingest = self.store.ingest(list(self._batch.values()))
            self.report.articles = list(self._batch)
        for urls, feed, status, file, sha256 in self._records:
            self.state.record(urls, feed=feed, status=status, file=file, sha256=sha256)
        for feed, etag, last_modified in self._validators:
            self.state.save_validators(feed, etag, last_modified)
        self._batch, self._hashes, self._records, self._validators, self._taken = {}, {}, [], [], set()
        return self.report


def fetch_pages(
    urls: Iterable[str],
    *,
    store: Store,
    progress: Progress = print,
    delay: float = DEFAULT_DELAY,
    timeout: float = 15,
    max_bytes: int = 5_000_000,
    allow_private: bool | None = None,
) -> NewsReport:
    """Fetch each page, store its article (unless its text is already stored under another name), report."""
    session = Session(store, progress=progress, delay=delay, timeout=timeout, max_bytes=max_bytes,
                      allow_private=allow_private)
    for url in dict.fromkeys(urls):
        session.take(url, again=True)
    return session.commit()
