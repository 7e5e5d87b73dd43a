"""A local HTTP server for the newsroom tests: Arabic pages built from the seeds, feeds, redirects, misbehaviour."""

from __future__ import annotations

import gzip
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_paragraphs(name: str, count: int = 6) -> list[str]:
    """The first long paragraphs of a seed article, verbatim."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) > 80][:count]


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    site: str = "العربي الجديد",
    published: str | None = "2022-01-05T08:30:00+03:00",
    charset_meta: str | None = "utf-8",
    furniture: str = "",
) -> str:
    """An Arabic news page: head metadata, navigation, the article, related links and a footer."""
    meta = [f'<meta charset="{charset_meta}">'] if charset_meta else []
    if site:
        meta.append(f'<meta property="og:site_name" content="{html.escape(site)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>{''.join(meta)}<title>{html.escape(title)} | {html.escape(site)}</title></head>
<body>
<header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a> <a href="/economy">اقتصاد</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>
{body}
</article>
<aside><h3>اقرأ أيضاً</h3><ul><li><a href="/other">{furniture or 'أخبار أخرى'}</a></li></ul></aside></main>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"""


def rss(items: list[tuple[str, str]], *, title: str = "أخبار العراق") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        f"<pubDate>Wed, 05 Jan 2022 08:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>feed</description>{entries}</channel></rss>")


def atom(items: list[tuple[str, str]], *, title: str = "أخبار") -> str:
    """An Atom feed of (title, link) entries; links may be relative."""
    entries = "".join(
        f'<entry><title>{html.escape(t)}</title><link rel="alternate" href="{html.escape(link)}"/>'
        f"<id>urn:{i}</id><updated>2022-01-05T08:00:00Z</updated></entry>"
        for i, (t, link) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:feed</id><updated>2022-01-05T08:00:00Z</updated>{entries}</feed>")


@dataclass
class Response:
    """What a route answers: status, headers and body, or a handler function for odd behaviour."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""
    last_modified: str = ""


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class NewsServer:
    """A threaded local HTTP server with routes tests set; it records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Response | Handler] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
                return

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                with server._lock:
                    server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                try:
                    if route is None:
                        self._send(Response("لا توجد صفحة", status=404))
                    elif callable(route):
                        route(self)
                    else:
                        self._send(route)
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (a timeout or a size cap test): nothing left to answer.
                    return

            def _send(self, r: Response) -> None:
                body = r.body.encode("utf-8") if isinstance(r.body, str) else r.body
                if r.etag and self.headers.get("If-None-Match") == r.etag:
                    self._head(304, {"ETag": r.etag})
                    return
                if r.last_modified and self.headers.get("If-Modified-Since") == r.last_modified:
                    self._head(304, {"Last-Modified": r.last_modified})
                    return
                headers = {"Content-Type": r.content_type, "Content-Length": str(len(body)), **r.headers}
                if r.etag:
                    headers["ETag"] = r.etag
                if r.last_modified:
                    headers["Last-Modified"] = r.last_modified
                self._head(r.status, headers)
                self.wfile.write(body)

            def _head(self, status: int, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.base + path

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        """How many times a path was requested."""
        return self.paths().count(path)

    def start(self) -> NewsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def redirect(location: str, status: int = 302) -> Response:
    """A redirect to `location`."""
    return Response(b"", status=status, headers={"Location": location})


def slow(seconds: float) -> Handler:
    """Answer only after `seconds`."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    return handle


def drip(*, every: float, total: int) -> Handler:
    """Headers at once, then one byte every `every` seconds."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(total))
        h.end_headers()
        for _ in range(total):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(every)

    return handle


def endless(chunk: int = 64 * 1024) -> Handler:
    """A chunked body with no length that never ends (until the client hangs up)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        block = b"a" * chunk
        for _ in range(10_000):
            h.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")

    return handle


def gzip_bomb(size: int) -> Response:
    """A small gzip body that inflates to `size` bytes."""
    return Response(gzip.compress(b"\0" * size), headers={"Content-Encoding": "gzip"})


def flaky(good: Response, *, failures: int) -> Handler:
    """Answer 503 the first `failures` times, then `good`."""
    calls = {"n": 0}

    def handle(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        response = Response("خطأ مؤقت", status=503) if calls["n"] <= failures else good
        h._send(response)  # type: ignore[attr-defined]

    return handle


def never(release: threading.Event, *, longest: float = 60.0) -> Handler:
    """Take the request and never answer it (until `release` is set, or `longest` seconds, so a test run ends)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        release.wait(longest)
        h.close_connection = True

    return handle


def sized(total: int, *, declared: bool, content_type: str = "text/html; charset=utf-8",
          chunk: int = 256 * 1024) -> Handler:
    """A body of `total` bytes streamed in chunks (never held whole): with its Content-Length, or chunked without."""
    block = b"<p>" + "خبر ".encode("utf-8") * (chunk // 8) + b"</p>\n"

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        if declared:
            h.send_header("Content-Length", str(total))
        else:
            h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        while sent < total:
            piece = block[: total - sent]
            h.wfile.write(piece if declared else f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
        if not declared:
            h.wfile.write(b"0\r\n\r\n")

    return handle


def png_bytes() -> bytes:
    """A real (tiny, 4x1 red) PNG image."""
    import struct
    import zlib

    def part(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"\x00" + b"\xff\x00\x00" * 4
    return (b"\x89PNG\r\n\x1a\n" + part(b"IHDR", struct.pack(">IIBBBBB", 4, 1, 8, 2, 0, 0, 0))
            + part(b"IDAT", zlib.compress(rows)) + part(b"IEND", b""))
