"""ASGI middleware for the dashboard's server: refuse every upload before its body is read, and
say on every answer which sites may frame the page (:class:`FramingPolicy`, :mod:`geo.framing`).

Streamlit serves ``PUT /_stcore/upload_file/<session>/<file>`` for ``st.file_uploader``, and keeps
what arrives in memory for as long as the session lives. The dashboard has no upload widget,
yet any client could fetch the XSRF cookie from ``/_stcore/health``, open a session, and upload
``server.maxUploadSize`` at a time, again and again (200 uploads of 0.9 MB held 172 MB).
Streamlit has no option to turn the route off, so :class:`RefuseUploads` answers ``403`` to any
request under ``/_stcore/upload_file`` (after a ``server.baseUrlPath`` too, in any letter case)
before Streamlit sees it; ``serve.py`` installs it through Streamlit's own ``st.App(middleware=…)``.
The body is read and dropped a chunk at a time, never kept, up to :data:`MAX_DRAIN` bytes, so an
ordinary client reads the 403 instead of a connection reset; past that the connection is closed.

Streamlit sets no framing header of its own, and ``make run`` has no proxy in front to add one, so
:class:`FramingPolicy` adds the headers of :mod:`geo.framing` to every HTTP answer (behind nginx
the proxy sends the same values and drops these, so each is sent once).

Plain ASGI, no Streamlit or Starlette import: it can be tested alone and wrapped around anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from geo import framing

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

UPLOAD_ROUTE = ("_stcore", "upload_file")
BODY = b"Uploads are not accepted here.\n"
MAX_DRAIN = 2 * 2**20


def is_upload_path(path: str) -> bool:
    """Whether ``path`` (already percent-decoded, as ASGI gives it) reaches the upload route."""
    parts = [p for p in path.casefold().split("/") if p]
    return any(tuple(parts[i : i + 2]) == UPLOAD_ROUTE for i in range(len(parts) - 1))


class RefuseUploads:
    """``403`` for the upload route, whatever the method; everything else passes through."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") == "http" and is_upload_path(scope.get("path", "")):
            self.refused += 1
            drained = 0
            while drained <= MAX_DRAIN:
                message = await receive()
                if message.get("type") != "http.request":
                    return  # the client went away
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(BODY)).encode()),
                        (b"connection", b"close"),
                        (b"cache-control", b"no-store"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": BODY})
            return
        await self.app(scope, receive, send)


class FramingPolicy:
    """Every HTTP answer carries the framing headers of ``allowed`` (see :mod:`geo.framing`), in place
    of any the app set; websockets pass untouched."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], allowed: Sequence[str]) -> None:
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in framing.headers(allowed)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in self.headers}

        async def send_with_policy(message: MutableMapping[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if bytes(k).lower() not in names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, send_with_policy)
