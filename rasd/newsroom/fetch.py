"""One careful HTTP GET: http(s) only, public addresses only, a deadline, a size cap and checked redirects."""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from rasd.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RedirectError,
    TooLargeError,
)

ALLOW_PRIVATE_ENV = "RASD_FETCH_ALLOW_PRIVATE"
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
# Where a page declares its charset in a <meta> tag, browsers look only this far (HTML spec: 1024 bytes).
META_SCAN_BYTES = 2048
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _user_agent() -> str:
    try:
        version = metadata.version("rasd")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"Rasd/{version} (news reader for a map of attacks in Iraq; python http.client)"


USER_AGENT = _user_agent()


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one GET returned after redirects: status, type, validators and the body (empty when not modified)."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False

    @property
    def text(self) -> str:
        """The body decoded: byte-order mark, else the header's charset, else a <meta>/XML declaration, else UTF-8."""
        return decode(self.body, self.charset)


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: where to connect (the vetted addresses) and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def private_allowed(allow_private: bool | None = None) -> bool:
    """Whether non-public addresses may be fetched: the argument, else $RASD_FETCH_ALLOW_PRIVATE=1 (tests only)."""
    if allow_private is not None:
        return allow_private
    return os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (tests replace this to play DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def blocked_reason(address: str) -> str:
    """Why an address must not be fetched ('' for a public one)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Most specific first: Python counts link-local, reserved and 0.0.0.0/8 as private too.
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address"
    if not ip.is_global:
        # Shared address space (100.64.0.0/10) and the like: not private by name, not reachable publicly either.
        return "non-public address"
    return ""


def check_url(url: str, *, allow_private: bool | None = None) -> Target:
    """Parse and vet a URL: http(s), a host, and (unless allowed) only public addresses; raise BlockedAddressError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise FetchError(url, f"not a valid URL ({e})") from e
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise BlockedAddressError(url, f"only http and https URLs are fetched, not {scheme or 'a relative URL'}")
    host = parts.hostname or ""
    if not host:
        raise BlockedAddressError(url, "URL has no host")
    try:
        # An Arabic (IDN) host name goes on the wire in its ASCII form.
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as e:
        raise FetchError(url, f"host name is not valid ({e})") from e
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as e:
        raise FetchError(url, f"cannot resolve {host} ({e})") from e
    if not addresses:
        raise FetchError(url, f"{host} resolves to no address")
    if not private_allowed(allow_private):
        for address in addresses:
            reason = blocked_reason(address)
            if reason:
                raise BlockedAddressError(url, f"{host} resolves to {address}, a {reason}; refused")
    # Arabic slugs in paths are common: percent-encode what is not already, keep what is.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    clean = urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    return Target(clean, scheme, host, port, path, tuple(addresses))


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to an address already vetted, so a second DNS answer cannot swap in another (DNS rebinding)."""

    def __init__(self, target: Target, *, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses
        # Kept past getresponse(), which hands the socket to the response, to shorten its timeout per read.
        self.wire: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.wire = _connect_any(self._addresses, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a vetted address; the certificate is still checked against the host name (SNI)."""

    def __init__(self, target: Target, *, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._addresses = target.addresses
        self.wire: socket.socket | None = None

    def connect(self) -> None:
        sock = _connect_any(self._addresses, self.port, self.timeout)
        self.sock = self.wire = self._tls.wrap_socket(sock, server_hostname=self.host)


def open_connection(address: str, port: int, *, timeout: float | None) -> socket.socket:
    """A TCP connection to one vetted address (tests replace this to route a fake public address locally)."""
    return socket.create_connection((address, port), timeout=timeout)


def _connect_any(addresses: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    error: OSError | None = None
    for address in addresses:
        try:
            return open_connection(address, port, timeout=timeout)
        except OSError as e:
            error = e
    assert error is not None
    raise error


def fetch(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    allow_private: bool | None = None,
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET a URL; each redirect hop is vetted again; 304 to a conditional request gives `not_modified`.

    `timeout` bounds the whole exchange (connect, redirects, body), not just each socket read.
    """
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    current = url
    while True:
        try:
            target = check_url(current, allow_private=allow_private)
        except FetchError as e:
            if current == url:
                raise
            # Name the URL asked for, and the hop that was refused.
            raise type(e)(url, f"redirected to {current}: {e.reason}") from e
        if target.url in seen:
            raise RedirectError(url, f"redirect loop back to {target.url}")
        seen.append(target.url)
        result = _get(url, target, deadline=deadline, max_bytes=max_bytes, etag=etag, last_modified=last_modified)
        if isinstance(result, Fetched):
            return result
        if len(seen) > max_redirects:
            raise RedirectError(url, f"more than {max_redirects} redirects (last to {result})")
        current = result


def _get(
    url: str, target: Target, *, deadline: float, max_bytes: int, etag: str, last_modified: str
) -> Fetched | str:
    """One request: a Fetched, or the next URL when the answer is a redirect."""
    connection_type = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    conn = connection_type(target, timeout=_remaining(url, deadline))
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": ACCEPT,
        "Accept-Language": "ar,en;q=0.5",
        # Compression is undone here with the same size cap (see _read), so it cannot smuggle a huge body.
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        conn.request("GET", target.path, headers=headers)
        response = conn.getresponse()
        status = response.status
        if status in REDIRECTS:
            location = response.getheader("Location", "")
            if not location:
                raise RedirectError(url, f"HTTP {status} from {target.url} without a Location")
            return urljoin(target.url, _header_text(location).strip())
        if status == 304:
            return Fetched(url, target.url, status, etag=response.getheader("ETag", "") or etag,
                           last_modified=response.getheader("Last-Modified", "") or last_modified, not_modified=True)
        if status >= 400:
            raise HTTPStatusError(url, status, response.reason or "")
        if not 200 <= status < 300:
            raise FetchError(url, f"unexpected HTTP {status} from {target.url}")
        body = _read(url, response, conn.wire, deadline=deadline, max_bytes=max_bytes)
        content_type, charset = _content_type(response.getheader("Content-Type", ""))
        return Fetched(
            url, target.url, status, content_type, charset, body,
            etag=response.getheader("ETag", ""), last_modified=response.getheader("Last-Modified", ""),
        )
    except (TimeoutError, socket.timeout) as e:
        raise FetchTimeoutError(url, f"no answer from {target.host} within the time allowed") from e
    except (http.client.HTTPException, OSError, zlib.error) as e:
        raise FetchError(url, f"cannot fetch from {target.host} ({type(e).__name__}: {e})") from e
    finally:
        conn.close()


def _header_text(value: str) -> str:
    """A header as sent: http.client reads headers as Latin-1, servers write non-ASCII Locations in UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _remaining(url: str, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeoutError(url, "took longer than the time allowed")
    return left


def _read(
    url: str, response: http.client.HTTPResponse, wire: socket.socket | None, *, deadline: float, max_bytes: int
) -> bytes:
    """The body, decompressed, never holding more than max_bytes of it; raise TooLargeError past that."""
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(url, f"body of {int(declared):,} bytes is over the {max_bytes:,}-byte cap")
    encoding = (response.getheader("Content-Encoding", "") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding == "identity":
        inflater = None
    else:
        raise FetchError(url, f"unsupported Content-Encoding {encoding}")
    out = bytearray()
    while True:
        # Each read waits at most until the deadline, so a server dripping bytes cannot hold us forever.
        left = _remaining(url, deadline)
        if wire is not None:
            wire.settimeout(left)
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if inflater is not None:
            # max_length bounds each step's output: a compression bomb stops at the cap, not in memory.
            chunk = inflater.decompress(chunk, max_bytes + 1 - len(out))
            if inflater.unconsumed_tail:
                raise TooLargeError(url, f"body is over the {max_bytes:,}-byte cap once decompressed")
        out += chunk
        if len(out) > max_bytes:
            raise TooLargeError(url, f"body is over the {max_bytes:,}-byte cap")
    if inflater is not None:
        out += inflater.flush()
        if len(out) > max_bytes:
            raise TooLargeError(url, f"body is over the {max_bytes:,}-byte cap once decompressed")
    return bytes(out)


def _content_type(header: str) -> tuple[str, str]:
    mime, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime.strip().lower(), charset


def decode(body: bytes, charset: str = "") -> str:
    """Bytes to text: byte-order mark, else the given charset, else a declared one, else UTF-8 (bad bytes replaced)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    head = body[:META_SCAN_BYTES]
    declared = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    for candidate in (charset, declared.group(1).decode("ascii") if declared else "", "utf-8"):
        if not candidate:
            continue
        try:
            return body.decode(candidate, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")
