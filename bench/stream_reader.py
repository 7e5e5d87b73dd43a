"""A reader session at Streamlit's protocol level: what a browser tab asks of the server, without rendering.

bench/bench_cluster.py runs most of its readers this way. On 2 cores, 20 headless Chromium tabs spend more CPU
laying out and painting pages than the replicas spend answering them, so the bench measured Chromium rather than
the cluster. A StreamSession does on the wire what the Streamlit frontend does for one tab:

- opening a link: GET the page through nginx (its sticky cookie kept, as a browser keeps it), then a new
  WebSocket to /_stcore/stream with that cookie, and a `rerun_script` BackMsg with the link's page name and query
  string, as the frontend sends on connecting; a new page load is a new server session, as in a browser;
- changing a filter through the URL: another `rerun_script` on the same WebSocket with the new query string and
  the page's script hash, as the frontend sends on `popstate`, with the hashes of the large messages it already
  holds (the server then sends references to them, as it does to a browser);

and waits for `script_finished`. The page it got is the run's elements (ForwardMsg deltas, references resolved):
it has a title when an h1 heading is in the main area, an error box when an element holds `rasd-error`, and a
traceback when an `exception` element (or the word Traceback) is there: the checks bench_cluster.PROBE makes in
the browser's DOM. A session is a real session of the replica (widget state, caches, the same script run).
The `websockets` client is the one Streamlit itself depends on.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
MAIN = 0  # delta_path[0] of the main area (1 is the sidebar)
ERROR_MARK = "rasd-error"


class ProtocolError(Exception):
    """The server answered something a browser would not render as a page."""


@dataclass
class Shown:
    """What a page run put on the page, as bench_cluster.PROBE reads it from the DOM."""

    title: str = ""
    error: bool = False
    traceback: bool = False


@dataclass
class StreamSession:
    """One tab: its cookies (nginx's sticky one), its WebSocket and the messages it holds by hash."""

    base: str
    user_agent: str = "rasd-bench-cluster stream reader"
    cookies: dict[str, str] = field(default_factory=dict)
    ws: ClientConnection | None = None
    cache: dict[str, ForwardMsg] = field(default_factory=dict)
    page_hash: str = ""
    replica: str = ""

    @property
    def _host_port(self) -> tuple[str, int]:
        parts = urlsplit(self.base)
        return parts.hostname or "127.0.0.1", parts.port or 80

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            try:
                await asyncio.wait_for(ws.close(), 5)
            except (OSError, WebSocketException, asyncio.TimeoutError):
                pass

    async def _get(self, path: str, timeout: float) -> tuple[int, list[tuple[str, str]]]:
        """GET path through nginx (HTTP/1.1, the body read and dropped); keeps the cookies it sets."""
        host, port = self._host_port
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        try:
            cookie = self._cookie_header()
            request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {self.user_agent}\r\n"
                       f"Accept: text/html\r\nConnection: close\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "")
                       + "\r\n")
            writer.write(request.encode("latin-1"))
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), timeout)
        finally:
            writer.close()
        head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if not head or len(head[0].split(" ")) < 2:
            raise ProtocolError(f"no HTTP answer to GET {path}")
        status = int(head[0].split(" ")[1])
        headers = [tuple(s.strip() for s in line.split(":", 1)) for line in head[1:] if ":" in line]
        for name, value in headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                if "=" in pair:
                    k, v = pair.split("=", 1)
                    self.cookies[k.strip()] = v.strip()
        return status, headers  # type: ignore[return-value]

    async def open(self, path: str, timeout: float) -> Shown:
        """Load path as a new page: GET, a new WebSocket (a new server session), the first run."""
        await self.close()
        self.cache.clear()  # a page load starts with an empty message cache, as the frontend's is in memory
        deadline = time.monotonic() + timeout
        status, headers = await self._get(path, timeout)
        self.replica = next((v for k, v in headers if k.lower() == "x-rasd-replica"), "")
        if status != 200:
            raise ProtocolError(f"GET {path}: HTTP {status}")
        host, port = self._host_port
        cookie = self._cookie_header()
        self.ws = await connect(
            f"ws://{host}:{port}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Origin": f"http://{host}:{port}", **({"Cookie": cookie} if cookie else {})},
            user_agent_header=self.user_agent, max_size=None, open_timeout=max(1.0, deadline - time.monotonic()))
        self.page_hash = ""
        return await self.rerun(path, deadline, history=False)

    async def filter(self, path: str, timeout: float) -> Shown:
        """Change the URL in the same tab (history.pushState + popstate): a rerun on the same WebSocket."""
        return await self.rerun(path, time.monotonic() + timeout, history=True)

    async def rerun(self, path: str, deadline: float, *, history: bool) -> Shown:
        """The BackMsg the frontend sends: on connecting, the page's name from the URL's path; on popstate, the
        script hash of the page shown and the hashes of the messages held (seen in Chromium's frames)."""
        if self.ws is None:
            raise ProtocolError("no WebSocket")
        parts = urlsplit(path)
        message = BackMsg()
        state = message.rerun_script
        state.query_string = parts.query
        state.widget_states.SetInParent()
        if history:
            state.page_script_hash = self.page_hash
            state.is_history_navigation = True
        else:
            state.page_name = parts.path.strip("/")
        state.cached_message_hashes.extend(self.cache)
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-US"
        state.context_info.url = self.base.rstrip("/") + parts.path  # the frontend sends it without the query
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        await self.ws.send(message.SerializeToString())
        return await self._until_finished(deadline)

    async def _until_finished(self, deadline: float) -> Shown:
        assert self.ws is not None
        elements: dict[tuple[int, ...], Any] = {}
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise asyncio.TimeoutError
            data = await asyncio.wait_for(self.ws.recv(), remaining)
            if isinstance(data, str):
                raise ProtocolError("a text frame on the stream")
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.WhichOneof("type") == "ref_hash":
                held = self.cache.get(msg.ref_hash)
                if held is None:
                    raise ProtocolError(f"a reference to a message never received ({msg.ref_hash})")
                path = tuple(msg.metadata.delta_path)
                msg = held
            else:
                path = tuple(msg.metadata.delta_path)
                if msg.metadata.cacheable and msg.hash:
                    self.cache[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                elements.clear()  # a new run of the script starts
            elif kind == "navigation" and msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash  # the page st.navigation runs
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elements[path] = msg.delta.new_element
            elif kind == "page_not_found":
                return Shown()
            elif kind == "script_finished" and msg.script_finished in FINISHED:
                return _shown(elements)


def _shown(elements: dict[tuple[int, ...], Any]) -> Shown:
    shown = Shown()
    for path, element in elements.items():
        kind = element.WhichOneof("type")
        if kind == "exception":
            shown.traceback = True
        elif kind == "heading" and element.heading.tag == "h1" and path[:1] == (MAIN,) and not shown.title:
            shown.title = element.heading.body.strip()
        elif kind in ("html", "markdown"):
            body = getattr(element, kind).body
            if ERROR_MARK in body:
                shown.error = True
            if "Traceback" in body:
                shown.traceback = True
    return shown
