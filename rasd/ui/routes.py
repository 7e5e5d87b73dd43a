"""Paths the app does not know go to the map with a notice, instead of a page that never renders.

Streamlit answers every unknown path with its page, whose scripts are linked relative to the path: under
`/map/extra` or `/pages/map.py` they resolve to `/map/static/...`, which is the page again, so nothing ever
renders. A path with a NUL byte gets a bare "400 Bad Request", and malformed percent-encoding
(`/%E0%A4%A`) stops Streamlit's frontend with "URI malformed". None of these reach the script.

`UnknownPathRedirect` is ASGI middleware in front of Streamlit (app.py serves the app through `st.App`): a
page navigation (GET or HEAD of a document) to a path that is not a page, nor one of Streamlit's own routes,
is redirected to the map with the same query plus `unknown_path=<the path>`, which the map reports in a
notice (rasd.views.viewstate). A page name in other letter case goes to the page itself. A query of more than
1,000 fields, which Streamlit ignores whole (no filter, no notice, the URL left as it is), is cut to its link
parameters, the first unknown names and `unknown_count=<how many>`, for the one notice about unknown
parameters. A redirect always stays on this server: its target is built from the base URL path and a page
name, never from the request's path.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode

from rasd.views.viewstate import (
    DEFAULT_PAGE, NEWSROOM_PAGES, PAGES, UNKNOWN_COUNT_PARAM, UNKNOWN_LISTED, UNKNOWN_PATH_PARAM, URL_PARAMS,
    repaired_name,
)

# The url paths st.navigation registers (rasd.ui.shell): the pages, '' for the default and its hidden alias.
PAGE_PATHS = frozenset({"", "home", *PAGES, *NEWSROOM_PAGES})
# Streamlit's own routes (first path segment) and files, passed through untouched.
STREAMLIT_SEGMENTS = frozenset({"_stcore", "static", "component", "media", "auth", "oauth2callback"})
STREAMLIT_PREFIXES = ("app/static/",)
STREAMLIT_FILES = frozenset({"favicon.png", "manifest.json"})
MAX_SHOWN_PATH = 200
# Of a query too long for Streamlit, the link parameters kept (lists hold at most 50 values each anyway).
MAX_KEPT_PARAMS = 500
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# What may stay as it is in the query of the redirect: the characters of an already percent-encoded query.
_QUERY_SAFE = "=&+%,;:@!$'()*/?~-._"


def redirect_for(raw_path: bytes, query: bytes = b"", *, base: str = "") -> str | None:
    """Where to send a request for raw_path (as sent, percent-encoded), or None to let Streamlit answer it."""
    prefix = f"/{base.strip('/')}" if base.strip("/") else ""
    if prefix:
        if raw_path != prefix.encode() and not raw_path.startswith(prefix.encode() + b"/"):
            return None
        raw_path = raw_path[len(prefix):] or b"/"
    path = _decoded(raw_path)
    marker = ""
    if path is None:
        page = DEFAULT_PAGE
        marker = _marker(raw_path.decode("latin-1"))
    else:
        rel = path.lstrip("/")
        segments = rel.split("/")
        if segments[0] in STREAMLIT_SEGMENTS or rel.startswith(STREAMLIT_PREFIXES) or rel in STREAMLIT_FILES:
            return None
        # The frontend looks for its server under the page's path first (/map/_stcore/health): Streamlit
        # answers those with 404, which sends it on to the right base.
        if "_stcore" in segments:
            return None
        name = rel.rstrip("/")
        if name in PAGE_PATHS:
            page = None
        elif name.lower() in PAGE_PATHS:
            page = name.lower()
        else:
            page = DEFAULT_PAGE
            marker = _marker(path)
    trimmed = trimmed_query(query)
    if page is None and trimmed is None:
        return None
    if page is None:
        page = name
    return _target(prefix, page, trimmed if trimmed is not None else query.decode("latin-1"), marker)


def trimmed_query(query: bytes) -> str | None:
    """A query Streamlit would ignore whole (more than 1,000 fields): its link parameters, the first unknown
    names (without values) and the number of unknown names, for the one notice; None for a query it reads."""
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
        CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
    )

    text = query.decode("latin-1")
    fields = text.count("&") + 1
    if fields <= CLIENT_STATE_QUERY_STRING_MAX_FIELDS and len(text) <= CLIENT_STATE_QUERY_STRING_MAX_LENGTH:
        return None
    known: list[tuple[str, str]] = []
    unknown: dict[str, None] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key in URL_PARAMS or repaired_name(key) in URL_PARAMS:
            known.append((key, value))
        elif key not in (UNKNOWN_PATH_PARAM, UNKNOWN_COUNT_PARAM):
            unknown.setdefault(key)
    pairs = known[:MAX_KEPT_PARAMS] + [(k, "") for k in list(unknown)[:UNKNOWN_LISTED]]
    if unknown:
        pairs.append((UNKNOWN_COUNT_PARAM, str(len(unknown))))
    return urlencode(pairs, quote_via=quote, safe="")


def _marker(path: str) -> str:
    return f"{UNKNOWN_PATH_PARAM}={quote(path[:MAX_SHOWN_PATH], safe='/')}"


def _decoded(raw_path: bytes) -> str | None:
    """The path percent-decoded as UTF-8, or None when its encoding is malformed or it holds control characters."""
    if _BAD_ESCAPE.search(raw_path):
        return None
    try:
        path = unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return None
    return path


def _target(prefix: str, page: str, query: str, marker: str = "") -> str:
    kept = quote(query, safe=_QUERY_SAFE)
    full = "&".join(part for part in (kept, marker) if part)
    return f"{prefix}/{page}" + (f"?{full}" if full else "")


class UnknownPathRedirect:
    """ASGI middleware: GET and HEAD requests for unknown or malformed paths are redirected (see redirect_for)."""

    def __init__(self, app: Any, *, base: str | None = None) -> None:
        self.app = app
        self.base = base

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        """Redirect, or hand the request on to Streamlit."""
        if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD") and _wants_a_page(scope):
            raw = scope.get("raw_path") or scope.get("path", "/").encode("utf-8")
            target = redirect_for(raw, scope.get("query_string", b""), base=self._base())
            if target is not None:
                await _redirect(target, scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _base(self) -> str:
        if self.base is not None:
            return self.base
        from streamlit import config

        return str(config.get_option("server.baseUrlPath") or "")


def _wants_a_page(scope: dict) -> bool:
    """A navigation to a page (a link opened, an address typed), not a script's fetch of some resource."""
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    dest = headers.get(b"sec-fetch-dest", b"").decode("latin-1").lower()
    if dest:
        return dest in ("document", "iframe", "frame")
    return b"text/html" in headers.get(b"accept", b"").lower()


async def _redirect(target: str, scope: dict, receive: Any, send: Any) -> None:
    from starlette.responses import RedirectResponse

    response = RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
    await response(scope, receive, send)


def middleware() -> list[Any]:
    """The middleware app.py hands to st.App."""
    from starlette.middleware import Middleware

    return [Middleware(UnknownPathRedirect)]
