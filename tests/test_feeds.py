"""rasd.newsroom.feeds and .pages against a local server: RSS and Atom, 304s, dedup, retries, the CLI."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from newsroom_support import NewsServer, Response, article_page, atom, flaky, redirect, rss, seed_paragraphs

from rasd.cli import main
from rasd.errors import FeedError
from rasd.newsroom import state as state_module
from rasd.newsroom.feeds import FeedItem, parse_feed, poll, watch
from rasd.newsroom.fetch import ALLOW_PRIVATE_ENV
from rasd.newsroom.html import article_file_name
from rasd.newsroom.pages import HostPacer, fetch_pages
from rasd.newsroom.state import NewsroomState
from rasd.store import Store

SEEDS = {
    "/news/1.html": ("000_d15af71adb9f6744.txt", "العراق: تصعيد عسكري مضبوط ضد المصالح الأميركية"),
    "/news/2.html": ("001_08a249ebb1b81bb8.txt", "عقب الانسحاب الأمريكي.. هدف جديد لهجمات الميليشيات العراقية"),
    "/news/3.html": ("003_21b86d896e5453d1.txt", "صاروخان على عين الاسد يؤجلان موعد انسحاب القوات الامريكية"),
    "/news/4.html": ("002_80774d3f02e5716a.txt", "هل بدأ العد العكسي لخروج الأميركيين من العراق عبر المقاومة؟"),
}


def page(path: str, *, furniture: str = "") -> Response:
    """The page for one seed article (paragraphs verbatim from seeds/)."""
    seed, title = SEEDS[path]
    return Response(article_page(title, seed_paragraphs(seed), furniture=furniture))


@pytest.fixture()
def server(monkeypatch):
    """The local news server with four article pages; fetching 127.0.0.1 allowed for this test."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    srv = NewsServer().start()
    for path in SEEDS:
        srv.routes[path] = page(path)
    yield srv
    srv.stop()


@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(tmp_path / "rasd.sqlite")


def quiet(message: str) -> None:
    """A progress sink for tests that read the report instead."""


def run_poll(feeds, store, **options):
    return poll(feeds, store=store, progress=quiet, delay=0, **options)


# Parsing


def test_parse_rss_and_atom():
    body = rss([("خبر", "/news/1.html"), ("خبر آخر", "http://other.example/a"), ("مكرر", "/news/1.html"),
                ("ملف", "file:///etc/passwd"), ("بريد", "mailto:x@example.com")]).encode()
    items = parse_feed(body, url="http://site.example/feeds/rss.xml")
    assert [i.url for i in items] == ["http://site.example/news/1.html", "http://other.example/a"]
    assert items[0].title == "خبر" and items[0].published == date(2022, 1, 5)
    entries = parse_feed(atom([("أ", "../news/2.html")]).encode(), url="http://site.example/feeds/atom.xml")
    assert [e.url for e in entries] == ["http://site.example/news/2.html"]


@pytest.mark.parametrize(
    "body",
    [b"", "<html><body><p>ليست خلاصة</p></body></html>".encode(), b"not xml at all", b"/etc/passwd", b"http://127.0.0.1/"],
)
def test_not_a_feed(body):
    # A body that reads like a path or a URL is still only a body: feedparser never opens it.
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(body, url="http://site.example/feed")


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER", encoding="utf-8")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&x;</title><link>http://a.example/1</link>'
            "</item></channel></rss>").encode()
    assert parse_feed(body, url="http://a.example/feed") == [FeedItem("http://a.example/1", "", None)]


def test_parse_honours_the_declared_charset():
    body = rss([("خبر عن عين الأسد", "/a")]).replace("utf-8", "windows-1256").encode("cp1256")
    assert parse_feed(body, url="http://x.example/f", content_type="application/rss+xml")[0].title == "خبر عن عين الأسد"


# Polling


def test_poll_ingests_new_items_then_a_304_fetches_nothing(server, store):
    server.routes["/rss.xml"] = Response(
        rss([("1", "/news/1.html"), ("2", "/news/2.html")]), content_type="application/rss+xml", etag='"v1"'
    )
    first = run_poll([server.url("/rss.xml")], store)
    assert first.ok
    assert [(f.status, f.items) for f in first.feeds] == [("ok", 2)]
    assert first.fetched == [server.url("/news/1.html"), server.url("/news/2.html")]
    assert first.new == 2 and first.ingest.events > 0
    assert sorted(first.articles) == sorted(article_file_name(server.url(p)) for p in ("/news/1.html", "/news/2.html"))
    stored = {a.file: a for a in store.articles()}
    one = stored[article_file_name(server.url("/news/1.html"))]
    assert one.title == SEEDS["/news/1.html"][1] and one.outlet == "العربي الجديد"
    assert one.published == date(2022, 1, 5) and one.url == server.url("/news/1.html")

    before = len(server.requests)
    second = run_poll([server.url("/rss.xml")], store)
    assert [f.status for f in second.feeds] == ["not modified"]
    assert second.fetched == [] and second.new == 0 and second.ingest is None and second.ok
    assert server.paths()[before:] == ["/rss.xml"]
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert "2 pages" not in second.summary() and "1 feeds (1 not modified, 0 failed)" in second.summary()


def test_atom_feed_uses_last_modified(server, store):
    stamp = "Wed, 05 Jan 2022 08:00:00 GMT"
    server.routes["/feeds/atom.xml"] = Response(
        atom([("3", "../news/3.html")]), content_type="application/atom+xml", last_modified=stamp
    )
    first = run_poll([server.url("/feeds/atom.xml")], store)
    assert first.new == 1 and first.fetched == [server.url("/news/3.html")]
    second = run_poll([server.url("/feeds/atom.xml")], store)
    assert [f.status for f in second.feeds] == ["not modified"]
    assert server.requests[-1].headers["if-modified-since"] == stamp
    assert server.count("/news/3.html") == 1


def test_each_item_is_fetched_once_across_polls_restarts_and_feeds(server, tmp_path):
    db = tmp_path / "rasd.sqlite"
    server.routes["/a.xml"] = Response(rss([("1", "/news/1.html"), ("2", "/news/2.html")]), etag='"a1"')
    server.routes["/b.atom"] = Response(atom([("2", "/news/2.html"), ("3", "/news/3.html")]))
    first = run_poll([server.url("/a.xml"), server.url("/b.atom")], Store(db))
    assert first.new == 3 and first.skipped == 1  # /news/2.html listed by both feeds
    # A restart (new Store object) and a changed feed listing old items and one new one.
    server.routes["/a.xml"] = Response(rss([("4", "/news/4.html"), ("1", "/news/1.html"), ("2", "/news/2.html")]),
                                       etag='"a2"')
    second = run_poll([server.url("/a.xml"), server.url("/b.atom")], Store(db))
    assert second.fetched == [server.url("/news/4.html")] and second.new == 1
    assert second.skipped == 4
    assert {p: server.count(p) for p in SEEDS} == dict.fromkeys(SEEDS, 1)


def test_same_text_under_two_urls_is_one_article(server, store):
    # The same report with different page furniture, under another address (and via a redirect).
    server.routes["/mirror/1.html"] = page("/news/1.html", furniture="روابط أخرى")
    server.routes["/short/1"] = redirect("/mirror/1.html")
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html"), ("1b", "/mirror/1.html")]))
    first = run_poll([server.url("/rss.xml")], store)
    original = article_file_name(server.url("/news/1.html"))
    assert first.new == 1 and first.articles == [original]
    assert [(d.url, d.of) for d in first.duplicates] == [(server.url("/mirror/1.html"), original)]
    # Across polls too: a later item with the stored text is a duplicate, not a new article.
    server.routes["/rss.xml"] = Response(rss([("1c", "/short/1")]))
    second = run_poll([server.url("/rss.xml")], store)
    assert [(d.url, d.of) for d in second.duplicates] == [(server.url("/short/1"), original)]
    assert second.new == 0 and len(store.articles()) == 1
    third = run_poll([server.url("/rss.xml")], store)
    assert third.fetched == [] and third.skipped == 1


def test_a_failing_item_does_not_stop_the_others_and_is_retried(server, store):
    server.routes["/flaky.html"] = flaky(page("/news/3.html"), failures=1)
    server.routes["/rss.xml"] = Response(
        rss([("1", "/news/1.html"), ("x", "/flaky.html"), ("gone", "/gone.html"), ("2", "/news/2.html")]),
        etag='"v1"',
    )
    first = run_poll([server.url("/rss.xml")], store)
    assert not first.ok and first.new == 2
    assert {f.url: f.retry for f in first.failed} == {server.url("/flaky.html"): True, server.url("/gone.html"): True}
    assert "HTTP 503" in first.failed[0].reason and "retried next poll" in first.failed[0].reason
    assert "2 failed" in first.summary()

    # The feed answers 304, yet the failures are tried again; the good items are not.
    second = run_poll([server.url("/rss.xml")], store)
    assert [f.status for f in second.feeds] == ["not modified"]
    assert second.fetched == [server.url("/flaky.html")] and second.new == 1
    assert [f.url for f in second.failed] == [server.url("/gone.html")]
    assert server.count("/news/1.html") == server.count("/news/2.html") == 1
    assert server.count("/flaky.html") == 2


def test_a_page_that_keeps_failing_is_given_up(server, store, monkeypatch):
    monkeypatch.setattr(state_module, "MAX_ATTEMPTS", 2)
    server.routes["/rss.xml"] = Response(rss([("gone", "/gone.html")]), etag='"v1"')
    first = run_poll([server.url("/rss.xml")], store)
    second = run_poll([server.url("/rss.xml")], store)
    third = run_poll([server.url("/rss.xml")], store)
    assert [f.retry for f in first.failed] == [True]
    assert [f.retry for f in second.failed] == [False] and "given up" in second.failed[0].reason
    assert third.failed == [] and third.ok
    assert server.count("/gone.html") == 2


def test_a_failing_feed_does_not_stop_the_others_and_is_asked_in_full_again(server, store):
    server.routes["/broken.xml"] = Response("<html><body>ليست خلاصة</body></html>", etag='"b1"')
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]))
    report = run_poll([server.url("/broken.xml"), server.url("/missing.xml"), server.url("/rss.xml")], store)
    assert [(f.status, bool(f.error)) for f in report.feeds] == [("failed", True), ("failed", True), ("ok", False)]
    assert "not an RSS or Atom feed" in report.feeds[0].error and "HTTP 404" in report.feeds[1].error
    assert report.new == 1 and not report.ok
    run_poll([server.url("/broken.xml")], store)
    # No validators were kept for a feed that could not be read.
    assert "if-none-match" not in server.requests[-1].headers


def test_unusable_items_are_failures_with_reasons(server, store):
    server.routes["/english.html"] = Response(article_page("Iraq", ["Rockets struck the base, officials said. " * 6]))
    server.routes["/doc.pdf"] = Response(b"%PDF-1.4", content_type="application/pdf")
    server.routes["/rss.xml"] = Response(rss([("e", "/english.html"), ("p", "/doc.pdf"), ("1", "/news/1.html")]))
    report = run_poll([server.url("/rss.xml")], store)
    reasons = {f.url.rsplit("/", 1)[1]: f.reason for f in report.failed}
    assert "not Arabic" in reasons["english.html"] and "not an HTML page (application/pdf)" in reasons["doc.pdf"]
    assert report.new == 1


def test_items_per_feed_are_capped(server, store):
    server.routes["/rss.xml"] = Response(rss([(p, p) for p in SEEDS]))
    report = run_poll([server.url("/rss.xml")], store, max_items=2)
    assert report.feeds[0].items == 2 and report.new == 2


def test_feed_items_on_private_addresses_are_refused_without_the_override(server, store, monkeypatch):
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]))
    monkeypatch.delenv(ALLOW_PRIVATE_ENV)
    report = poll([server.url("/rss.xml")], store=store, progress=quiet, delay=0)
    assert "loopback" in report.feeds[0].error and server.requests == []


def test_state_is_kept_in_the_store_file(server, store):
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]), etag='"v9"')
    run_poll([server.url("/rss.xml")], store)
    state = NewsroomState(store.path)
    assert state.validators(server.url("/rss.xml")) == ('"v9"', "")
    assert state.status(server.url("/news/1.html")) == "ingested"
    assert state.status(server.url("/never.html")) is None


# Pacing and the loop


def test_one_request_at_a_time_per_host_with_a_delay():
    pacer = HostPacer(0.15)
    spans: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}

    def request(host: str) -> None:
        with pacer.turn(f"http://{host}.example/x"):
            start = time.monotonic()
            time.sleep(0.05)
            spans[host].append((start, time.monotonic()))

    threads = [threading.Thread(target=request, args=(h,)) for h in ("a", "a", "a", "b")]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    a = sorted(spans["a"])
    # Never overlapping on one host, each start at least the delay after the previous end.
    assert all(later[0] - earlier[1] >= 0.14 for earlier, later in zip(a, a[1:]))
    # Another host does not wait for the first.
    assert spans["b"][0][0] - started < 0.1


def test_watch_polls_every_interval_until_interrupted(server, store):
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]), etag='"v1"')
    reports, sleeps = [], []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        watch([server.url("/rss.xml")], store=store, every_minutes=0.5, progress=quiet, on_poll=reports.append,
              sleep=sleep, delay=0)
    assert [r.new for r in reports] == [1, 0]
    assert [r.feeds[0].status for r in reports] == ["ok", "not modified"]
    assert all(0 < s <= 30 for s in sleeps)


def test_watch_once_returns_the_report(server, store):
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]))
    lines: list[str] = []
    report = watch([server.url("/rss.xml")], store=store, every_minutes=10, once=True, progress=lines.append, delay=0)
    assert report.new == 1
    assert lines[-1] == report.summary() and "1 new articles" in lines[-1]


# Explicit pages


def test_fetch_pages_ingests_and_refetches_in_place(server, store):
    server.routes["/copy.html"] = page("/news/1.html", furniture="نسخة")
    urls = [server.url("/news/1.html"), server.url("/copy.html"), server.url("/news/2.html"), server.url("/nope")]
    first = fetch_pages(urls, store=store, progress=quiet, delay=0)
    assert first.new == 2 and [d.url for d in first.duplicates] == [server.url("/copy.html")]
    assert [f.url for f in first.failed] == [server.url("/nope")] and not first.failed[0].retry
    # Asked again explicitly, a page is fetched again and found unchanged (not a duplicate of itself).
    again = fetch_pages([server.url("/news/1.html")], store=store, progress=quiet, delay=0)
    assert again.duplicates == [] and (again.ingest.added, again.ingest.unchanged) == (0, 1)


# Command line


def test_cli_fetch(server, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["fetch", server.url("/news/1.html"), server.url("/news/2.html"), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith(f"in {db}") and "2 pages fetched: 2 new articles" in out
    assert f"rasd: fetched {server.url('/news/1.html')} -> web_127.0.0.1_" in err
    assert len(Store(db).articles()) == 2


def test_cli_fetch_fails_when_a_page_fails(server, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["fetch", "file:///etc/passwd", server.url("/news/3.html"), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "1 new articles" in out and "1 failed" in out
    assert "rasd: failed file:///etc/passwd: only http and https" in err
    assert "Traceback" not in err and err.count("file:///etc/passwd") == 1


def test_cli_watch_once(server, tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    server.routes["/rss.xml"] = Response(rss([("1", "/news/1.html")]), etag='"v1"')
    assert main(["watch", server.url("/rss.xml"), "--once", "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert "1 feeds (0 not modified, 0 failed); 1 pages fetched: 1 new articles" in out
    assert f"rasd: feed {server.url('/rss.xml')}: 1 items" in err
    assert main(["watch", server.url("/rss.xml"), "--once", "--every", "5", "--db", str(db)]) == 0
    assert "1 not modified" in capsys.readouterr().out
    assert main(["watch", server.url("/missing.xml"), "--once", "--db", str(db)]) == 1
    assert "1 failed" in capsys.readouterr().out


@pytest.mark.parametrize("every", ["0", "-1", "soon"])
def test_cli_watch_rejects_a_bad_interval(every, tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["watch", "http://x.example/feed", "--every", every, "--once", "--db", str(tmp_path / "x.sqlite")])
    assert raised.value.code == 2 and "--every" in capsys.readouterr().err
