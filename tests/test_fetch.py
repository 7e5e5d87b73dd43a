"""rasd.newsroom.fetch and .html against a local server: pages, charsets, redirects, caps, timeouts, SSRF refusals."""

from __future__ import annotations

import re
import socket
import time
from datetime import date

import pytest
from newsroom_support import (
    NewsServer,
    Response,
    article_page,
    drip,
    endless,
    gzip_bomb,
    redirect,
    seed_paragraphs,
    slow,
)

from rasd.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    PageError,
    RedirectError,
    TooLargeError,
)
from rasd.newsroom import fetch as fetch_module
from rasd.newsroom.fetch import ALLOW_PRIVATE_ENV, blocked_reason, check_url, decode, fetch
from rasd.newsroom.html import article_file_name, article_from_html, canonical_url

PARAGRAPHS = seed_paragraphs("000_d15af71adb9f6744.txt")
TITLE = "العراق: تصعيد عسكري مضبوط ضد المصالح الأميركية"
PAGE = article_page(TITLE, PARAGRAPHS)
# A public address (not private, reserved or documentation space) that the tests route to the local server.
PUBLIC = "93.184.215.14"


@pytest.fixture()
def server():
    """A running local news server."""
    srv = NewsServer().start()
    srv.routes["/a1.html"] = Response(PAGE)
    yield srv
    srv.stop()


@pytest.fixture()
def allow_local(monkeypatch):
    """Let fetch reach 127.0.0.1, as only tests that talk to the local server do."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")


@pytest.fixture()
def no_private(monkeypatch):
    """The production setting: no override in the environment."""
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)


@pytest.fixture()
def fake_dns(monkeypatch, server, no_private):
    """`news.example` resolves to a public address; connections to it reach the local server.

    Returns the log of (host looked up) and (address connected to), to show what was checked and used.
    """
    log: dict[str, list[str]] = {"resolved": [], "connected": []}
    real_resolve = fetch_module.resolve

    def resolve(host: str, port: int) -> list[str]:
        log["resolved"].append(host)
        if host == "news.example":
            return [PUBLIC]
        return real_resolve(host, port)

    def open_connection(address: str, port: int, *, timeout: float | None) -> socket.socket:
        log["connected"].append(address)
        if address == PUBLIC:
            return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        raise AssertionError(f"a test tried to connect to {address}")

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    monkeypatch.setattr(fetch_module, "open_connection", open_connection)
    return log


# Pages


def test_fetches_a_page_naming_rasd(server, allow_local):
    got = fetch(server.url("/a1.html"))
    assert (got.status, got.content_type, got.charset, got.not_modified) == (200, "text/html", "utf-8", False)
    assert got.final_url == got.url == server.url("/a1.html")
    assert PARAGRAPHS[1] in got.text
    assert server.requests[0].headers["user-agent"].startswith("Rasd/")


def test_arabic_path_is_percent_encoded(server, allow_local):
    server.routes["/%D8%AE%D8%A8%D8%B1.html"] = Response(PAGE)
    assert fetch(server.url("/خبر.html")).status == 200


def test_page_becomes_article():
    article = article_from_html(PAGE, url="https://www.alaraby.co.uk/politics/x?utm_source=rss#top")
    assert article.title == TITLE
    assert article.text.startswith(TITLE + "\n\n")
    for paragraph in PARAGRAPHS[1:]:
        assert paragraph in article.text
    # Navigation and footer are page furniture, not the report.
    assert "الرئيسية" not in article.text and "جميع الحقوق محفوظة" not in article.text
    assert article.outlet == "العربي الجديد"
    assert article.url == "https://www.alaraby.co.uk/politics/x"
    assert re.fullmatch(r"web_alaraby\.co\.uk_[0-9a-f]{12}\.txt", article.file)


@pytest.mark.parametrize(
    ("published", "url", "day", "note"),
    [
        ("2022-01-05T08:30:00+03:00", "https://site.example/news/1", date(2022, 1, 5), "page metadata (trafilatura)"),
        ("2022-01-05", "https://site.example/2022/01/05/x", date(2022, 1, 5), "the same day as in the URL"),
        (None, "https://site.example/news/2021/03/14/x", date(2021, 3, 14), "date in the URL"),
        (None, "https://site.example/news/x", None, "no publication date"),
    ],
)
def test_publication_date_and_how_it_was_found(published, url, day, note):
    article = article_from_html(article_page(TITLE, PARAGRAPHS, published=published), url=url)
    assert article.published == day
    assert note in article.published_note


def test_outlet_falls_back_to_the_host():
    article = article_from_html(article_page(TITLE, PARAGRAPHS, site=""), url="https://www.shafaq.com/ar/x")
    assert article.outlet == "shafaq.com"


def test_file_names():
    a = article_file_name("https://www.alaraby.co.uk/a?id=1")
    assert a == article_file_name("HTTPS://WWW.alaraby.co.uk/a?id=1#comments")
    assert a == article_file_name("https://www.alaraby.co.uk/a?id=1&utm_medium=feed")
    assert a != article_file_name("https://www.alaraby.co.uk/a?id=2")
    assert canonical_url("https://x.example/a?b=%20&c=1") == "https://x.example/a?b=%20&c=1"
    assert article_from_html(PAGE, file="upload.html").file == "upload.html"
    assert re.fullmatch(r"page_[0-9a-f]{12}\.txt", article_from_html(PAGE).file)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty page"),
        ("   \n", "empty page"),
        ("<html><body></body></html>", "no article text"),
        ("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>", "too little article text|no article text"),
        (article_page("Iraq", ["Rockets struck the base near the airport this morning, officials said. " * 5]),
         "not Arabic"),
    ],
)
def test_unusable_pages_raise_page_error(html, reason):
    with pytest.raises(PageError, match=reason):
        article_from_html(html, url="https://site.example/x")


# Charsets


ARABIC = "استهداف قاعدة عين الأسد بصاروخين"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html; charset=windows-1256", f"<p>{ARABIC}</p>".encode("cp1256")),
        ("text/html", f'<meta charset="windows-1256"><p>{ARABIC}</p>'.encode("cp1256")),
        ("text/html", f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><p>{ARABIC}</p>'
         .encode("cp1256")),
        ("text/html", f"<p>{ARABIC}</p>".encode()),
        ("text/html; charset=iso-8859-1", b"\xef\xbb\xbf" + f"<p>{ARABIC}</p>".encode()),
        ("text/html; charset=no-such-charset", f"<p>{ARABIC}</p>".encode()),
        ("application/xml", f'<?xml version="1.0" encoding="windows-1256"?><p>{ARABIC}</p>'.encode("cp1256")),
    ],
)
def test_charset_from_header_meta_or_default(server, allow_local, content_type, body):
    server.routes["/cs"] = Response(body, content_type=content_type)
    assert ARABIC in fetch(server.url("/cs")).text


def test_decode_replaces_bad_bytes():
    assert decode(b"\xff\xfe\xfd abc"[2:], "utf-8").endswith("abc")


# Redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_statuses_are_followed(server, allow_local, status):
    server.routes["/moved"] = redirect("/a1.html", status)
    got = fetch(server.url("/moved"))
    assert (got.url, got.final_url) == (server.url("/moved"), server.url("/a1.html"))
    assert PARAGRAPHS[1] in got.text


def test_redirect_chain_up_to_the_limit(server, allow_local):
    for i in range(1, 6):
        server.routes[f"/hop/{i}"] = redirect(f"/hop/{i - 1}")
    server.routes["/hop/0"] = redirect(server.url("/a1.html"))
    assert fetch(server.url("/hop/4"), max_redirects=5).final_url == server.url("/a1.html")
    with pytest.raises(RedirectError, match="more than 5 redirects"):
        fetch(server.url("/hop/5"), max_redirects=5)
    # Six redirects asked for: six hops followed, the seventh refused, the page never requested.
    assert server.count("/a1.html") == 1


def test_redirect_loop_is_refused(server, allow_local):
    server.routes["/loop/a"] = redirect("/loop/b")
    server.routes["/loop/b"] = redirect("/loop/a")
    with pytest.raises(RedirectError, match="loop"):
        fetch(server.url("/loop/a"))
    assert server.paths() == ["/loop/a", "/loop/b"]


def test_redirect_without_location(server, allow_local):
    server.routes["/nowhere"] = Response(b"", status=302)
    with pytest.raises(RedirectError, match="without a Location"):
        fetch(server.url("/nowhere"))


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://127.0.0.1/x"])
def test_redirect_to_another_scheme_is_refused(server, allow_local, location):
    server.routes["/jump"] = redirect(location)
    with pytest.raises(BlockedAddressError, match="redirected to"):
        fetch(server.url("/jump"))


def test_non_ascii_location_is_read_as_utf8(server, allow_local):
    server.routes["/%D8%AE%D8%A8%D8%B1.html"] = Response(PAGE)

    def arabic_location(h) -> None:
        h.wfile.write("HTTP/1.1 302 Found\r\nLocation: /خبر.html\r\nContent-Length: 0\r\n\r\n".encode())

    server.routes["/ar"] = arabic_location
    assert fetch(server.url("/ar")).final_url == server.url("/خبر.html")


# Size caps


def test_declared_length_over_the_cap(server, allow_local):
    server.routes["/big"] = Response(b"x" * 200_000)
    with pytest.raises(TooLargeError, match="200,000 bytes"):
        fetch(server.url("/big"), max_bytes=100_000)
    assert len(fetch(server.url("/big"), max_bytes=200_000).body) == 200_000


def test_endless_stream_stops_at_the_cap(server, allow_local):
    server.routes["/endless"] = endless()
    started = time.monotonic()
    with pytest.raises(TooLargeError, match="1,000,000-byte cap"):
        fetch(server.url("/endless"), max_bytes=1_000_000)
    assert time.monotonic() - started < 10


def test_gzip_bomb_stops_at_the_cap(server, allow_local):
    server.routes["/bomb"] = gzip_bomb(50_000_000)
    with pytest.raises(TooLargeError, match="decompressed"):
        fetch(server.url("/bomb"), max_bytes=1_000_000)


def test_gzip_page_is_decompressed(server, allow_local):
    import gzip

    server.routes["/gz"] = Response(gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    assert PARAGRAPHS[1] in fetch(server.url("/gz")).text


def test_corrupt_gzip_is_a_fetch_error(server, allow_local):
    server.routes["/badgz"] = Response(b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch(server.url("/badgz"))


# Time


def test_slow_server_times_out(server, allow_local):
    server.routes["/slow"] = slow(3)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch(server.url("/slow"), timeout=0.5)
    assert time.monotonic() - started < 2


def test_dripping_body_cannot_outlast_the_deadline(server, allow_local):
    # Every byte arrives well within a read timeout; only a deadline for the whole body stops it.
    server.routes["/drip"] = drip(every=0.1, total=100)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch(server.url("/drip"), timeout=0.6)
    assert time.monotonic() - started < 2


# Statuses and conditional requests


@pytest.mark.parametrize("status", [403, 404, 410, 500, 503])
def test_error_status(server, allow_local, status):
    server.routes["/err"] = Response("خطأ", status=status)
    with pytest.raises(HTTPStatusError) as raised:
        fetch(server.url("/err"))
    assert raised.value.status == status


def test_etag_and_last_modified_make_a_conditional_request(server, allow_local):
    stamp = "Wed, 05 Jan 2022 08:00:00 GMT"
    server.routes["/feed"] = Response("<rss/>", etag='"v1"', last_modified=stamp)
    first = fetch(server.url("/feed"))
    assert (first.etag, first.last_modified, first.not_modified) == ('"v1"', stamp, False)
    again = fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.not_modified, again.body) == (304, True, b"")
    assert again.etag == '"v1"'
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert server.requests[1].headers["if-modified-since"] == stamp
    assert "if-none-match" not in server.requests[0].headers


# Refusals: schemes and addresses


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/file.txt",
        "gopher://example.com:70/_GET",
        "data:text/html,<p>x</p>",
        "javascript:alert(1)",
        "dict://127.0.0.1:11211/stats",
        "//example.com/relative",
        "example.com/no-scheme",
        "http:///no-host",
    ],
)
@pytest.mark.parametrize("allow", [False, True])
def test_only_http_and_https(url, allow):
    # Not even the test override opens other schemes.
    with pytest.raises(BlockedAddressError):
        fetch(url, allow_private=allow)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1.2.3", "10.0.0.5", "172.16.8.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "100.64.0.1", "224.0.0.1", "240.0.0.1", "[::1]", "[::]", "[fe80::1]", "[fc00::1]", "[::ffff:127.0.0.1]",
     "[ff02::1]", "localhost"],
)
def test_non_public_addresses_are_refused(server, no_private, host):
    url = f"http://{host}:{server.port}/a1.html"
    with pytest.raises(BlockedAddressError, match="refused"):
        fetch(url)
    # Refused before any connection: the local server (on 127.0.0.1) never heard of it.
    assert server.requests == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
        ("169.254.1.1", "link-local"), ("fe80::1%eth0", "link-local"), ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"), ("::ffff:10.0.0.1", "private"),
        ("100.64.0.1", "non-public"), ("not-an-ip", "not an IP"),
        ("93.184.215.14", ""), ("8.8.8.8", ""), ("2606:4700:4700::1111", ""),
    ],
)
def test_blocked_reason(address, kind):
    reason = blocked_reason(address)
    assert (kind in reason) if kind else reason == ""


def test_override_is_the_argument_else_exactly_env_1(server, monkeypatch):
    url = server.url("/a1.html")
    for value in ("0", "true", "yes", ""):
        monkeypatch.setenv(ALLOW_PRIVATE_ENV, value)
        with pytest.raises(BlockedAddressError):
            fetch(url)
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    assert fetch(url).status == 200
    with pytest.raises(BlockedAddressError):
        fetch(url, allow_private=False)
    monkeypatch.delenv(ALLOW_PRIVATE_ENV)
    assert fetch(url, allow_private=True).status == 200


def test_a_host_with_any_private_address_is_refused(monkeypatch, no_private):
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [PUBLIC, "10.0.0.7"])
    with pytest.raises(BlockedAddressError, match="10.0.0.7"):
        check_url("https://mixed.example/x")


def test_public_host_is_fetched_from_the_checked_address(fake_dns, server):
    got = fetch("http://news.example/a1.html")
    assert got.status == 200
    assert fake_dns == {"resolved": ["news.example"], "connected": [PUBLIC]}
    # The request still names the host, as a virtual host needs.
    assert server.requests[0].headers["host"] == "news.example"


def test_no_second_lookup_at_connect_time(fake_dns, monkeypatch, server):
    # DNS rebinding: the first answer is public, a later one loopback. Only the first is ever used.
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: next(answers))
    assert fetch("http://rebind.example/a1.html").status == 200
    assert fake_dns["connected"] == [PUBLIC]
    assert next(answers) == ["127.0.0.1"]


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://localhost:{port}/a1.html",
     "http://127.0.0.1:{port}/a1.html"],
)
def test_redirect_to_a_private_address_is_refused(fake_dns, server, target):
    server.routes["/go"] = redirect(target.format(port=server.port))
    with pytest.raises(BlockedAddressError, match="redirected to"):
        fetch("http://news.example/go")
    assert server.paths() == ["/go"]
    assert fake_dns["connected"] == [PUBLIC]


def test_unresolvable_host_is_a_fetch_error(monkeypatch, no_private):
    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_module, "resolve", fail)
    with pytest.raises(FetchError, match="cannot resolve nowhere.example") as raised:
        fetch("http://nowhere.example/")
    assert not isinstance(raised.value, BlockedAddressError)


def test_bad_port_is_a_fetch_error():
    with pytest.raises(FetchError, match="not a valid URL"):
        fetch("http://example.com:99999/")


def test_connection_refused_is_a_fetch_error(allow_local):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch(f"http://127.0.0.1:{port}/", timeout=2)
