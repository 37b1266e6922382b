"""A headless Streamlit client: speaks the browser's own protocol to a running server.

The browser and the server exchange protobuf messages over one websocket per tab,
``ws://HOST:PORT/_stcore/stream`` (subprotocol ``streamlit``): the browser sends ``BackMsg``
(``rerun_script`` carries the page, the query string and every widget's value), the server
answers with ``ForwardMsg`` (``new_session``, one ``delta`` per element drawn,
``page_info_changed`` for the query string, ``script_finished``). This client does what a tab
does when someone moves a widget: send every widget's value and wait for the run to finish,
collecting the elements drawn. It is what the load test runs by the dozen; a real chromium is
too heavy for thirty sessions on two cores.

Behind a proxy it also does what a tab does with cookies (keeps those the proxy and the server set,
sends them with the websocket and every request), can speak from its own loopback address (each
reader its own, as the proxy's per-address limits expect), and downloads as a tab does: a deferred
download button asks the server over the websocket to make the file (``backend_operation_request``),
the answer names a ``/media/…`` URL, and that URL is fetched over HTTP, where it must reach the
process that made the file.
"""

from __future__ import annotations

import asyncio
import http.client
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection
from websockets.typing import Origin, Subprotocol

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
}
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # st.rerun() or a newer rerun request: not the end
#: A date slider's values travel as microseconds since this day.
EPOCH = date(1970, 1, 1)


def day(micros: float) -> date:
    """The date a date slider's value (``min``, ``max``, a sent value) stands for."""
    return EPOCH + timedelta(microseconds=micros)


def micros(d: date) -> float:
    """A date as a date slider's value, for :meth:`Session.set` (``double_array_value``)."""
    return (d - EPOCH) / timedelta(microseconds=1)


@dataclass
class Run:
    """One script run as the client saw it."""

    status: str
    seconds: float
    elements: list = field(default_factory=list)  # Element protos, in the order drawn
    received: int = 0  # bytes the server sent for this run

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    @property
    def exceptions(self) -> list:
        return self.of_type("exception")

    @property
    def texts(self) -> list[str]:
        return [t.body for t in self.of_type("text")]

    def widget(self, kind: str, label: str):
        matches = [w for w in self.of_type(kind) if w.label == label]
        assert len(matches) == 1, f"{len(matches)} {kind} widgets labelled {label!r}"
        return matches[0]


class DownloadRefused(Exception):
    """The server could not make the file (its message)."""


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    path: str = ""  # what was asked for (a download: its /media URL)
    cookies: dict[str, str] = field(default_factory=dict)  # what this answer set


class Session:
    """One browser tab's session, driven by hand. ``source``: the loopback address it speaks from."""

    def __init__(self, url: str, origin: str | None = None, source: str | None = None):
        self.url = url
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = origin
        self.source = source
        self.ws: ClientConnection | None = None
        self.query_string = ""
        self.widgets: dict[str, WidgetState] = {}
        self.session_id = ""  # the server's id of this session (from its new_session message)
        self.cookies: dict[str, str] = {}  # what the proxy and the server set, as a browser keeps them

    def keep_cookies(self, set_cookie: list[str]) -> None:
        for header in set_cookie:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})

    def cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def connect(self, timeout: float = 30) -> Session:
        extra: dict[str, Any] = {"local_addr": (self.source, 0)} if self.source else {}
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
            origin=Origin(self.origin) if self.origin else None,
            open_timeout=timeout,
            ping_interval=None,
            additional_headers=self.cookie_header(),
            **extra,
        )
        if self.ws.response is not None:  # the handshake's answer, with what the proxy set
            self.keep_cookies(self.ws.response.headers.get_all("Set-Cookie"))
        return self

    @property
    def socket(self) -> ClientConnection:
        """The websocket, once :meth:`connect` has opened it."""
        if self.ws is None:
            raise RuntimeError("not connected: call connect() first")
        return self.ws

    def _get(self, path: str, timeout: float) -> Response:
        parts = urlsplit(self.url)
        source = (self.source, 0) if self.source else None
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=timeout, source_address=source
        )
        try:
            connection.request("GET", path, headers=self.cookie_header())
            answer = connection.getresponse()
            body = answer.read()
            before = dict(self.cookies)
            self.cookies.clear()
            self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
            cookies, self.cookies = dict(self.cookies), {**before, **self.cookies}
            return Response(answer.status, body, answer.headers.get("Content-Type", ""), path, cookies)
        finally:
            connection.close()

    async def get(self, path: str, timeout: float = 30) -> Response:
        """``GET path`` over HTTP as the tab would (its address, its cookies), keeping what it sets."""
        return await asyncio.to_thread(self._get, path, timeout)

    async def download(self, file_id: str, timeout: float = 60) -> Response:
        """Click a deferred download button (its ``deferred_file_id``): the server makes the file,
        names its URL, and the URL is fetched. A server that cannot make it answers with an error
        message, returned here as status 0."""
        started = time.perf_counter()
        try:
            url = await self.download_url(file_id, timeout)
        except DownloadRefused as refused:
            return Response(0, str(refused).encode(), "")
        return await self.get(url, timeout=max(1.0, timeout - (time.perf_counter() - started)))

    async def download_url(self, file_id: str, timeout: float = 60) -> str:
        """The first half of a click: the server makes the file and names its ``/media`` URL."""
        msg = BackMsg()
        operation = msg.backend_operation_request
        operation.request_id = str(uuid.uuid4())
        operation.session_id = self.session_id
        operation.deferred_file.file_id = file_id
        await self.socket.send(msg.SerializeToString())
        deadline = time.perf_counter() + timeout
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") != "backend_operation_response":
                continue
            answer = fwd.backend_operation_response
            if answer.request_id != operation.request_id:
                continue
            if answer.error_msg or not answer.deferred_file.url:
                raise DownloadRefused(answer.error_msg)
            return answer.deferred_file.url

    async def ask_files(self, file_ids: list[str], timeout: float = 120) -> list[tuple[str, str]]:
        """Send a deferred download request for each of ``file_ids`` at once, as a client that does
        not wait for one answer before the next click would; then collect every answer, in the
        order asked: ``(url, "")`` for a made file, ``("", message)`` for a refusal."""
        ids = []
        for file_id in file_ids:
            msg = BackMsg()
            operation = msg.backend_operation_request
            operation.request_id = str(uuid.uuid4())
            operation.session_id = self.session_id
            operation.deferred_file.file_id = file_id
            ids.append(operation.request_id)
            await self.socket.send(msg.SerializeToString())
        answers: dict[str, tuple[str, str]] = {}
        deadline = time.perf_counter() + timeout
        while len(answers) < len(ids):
            raw = await asyncio.wait_for(self.socket.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "backend_operation_response":
                answer = fwd.backend_operation_response
                answers[answer.request_id] = (answer.deferred_file.url, answer.error_msg)
        return [answers[i] for i in ids]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def set(self, widget_id: str, **value) -> None:
        """Set a widget's value as the browser would, e.g. ``double_array_value=…``."""
        state = WidgetState(id=widget_id)
        for name, v in value.items():
            target = getattr(state, name)
            if hasattr(target, "data"):
                target.data.extend(v)
            else:
                setattr(state, name, v)
        self.widgets[widget_id] = state

    async def run(self, page_name: str = "", timeout: float = 120) -> Run:
        """Ask for a rerun with the current widget values; wait until it has finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = page_name
        state.widget_states.widgets.extend(self.widgets.values())
        started = time.perf_counter()
        await self.socket.send(msg.SerializeToString())
        elements = []
        received = 0
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            received += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements.append(fwd.delta.new_element)
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                if fwd.script_finished == EARLY:
                    elements = []  # the run starts over
                    continue
                return Run(
                    FINISHED.get(fwd.script_finished, f"status {fwd.script_finished}"),
                    time.perf_counter() - started,
                    elements,
                    received,
                )


def run_async(make: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """``asyncio.run(make())`` in a thread of its own: the sync Playwright of the browser tests
    keeps an event loop running in the main thread for the whole session."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(make())
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target, name="streamlit-client")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
