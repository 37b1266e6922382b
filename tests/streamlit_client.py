"""A headless Streamlit client: speaks the browser's own protocol to a running server.

The browser and the server exchange protobuf messages over one websocket per tab,
``ws://HOST:PORT/_stcore/stream`` (subprotocol ``streamlit``): the browser sends ``BackMsg``
(``rerun_script`` carries the page, the query string and every widget's value), the server
answers with ``ForwardMsg`` (``new_session``, one ``delta`` per element drawn,
``page_info_changed`` for the query string, ``script_finished``). This client does what a tab
does when someone moves a widget: send every widget's value and wait for the run to finish,
collecting the elements drawn. It is what the load test runs by the dozen; a real chromium is
too heavy for thirty sessions on two cores.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
}
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # st.rerun() or a newer rerun request: not the end


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


class Session:
    """One browser tab's session, driven by hand."""

    def __init__(self, url: str, origin: str | None = None):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = origin
        self.ws = None
        self.query_string = ""
        self.widgets: dict[str, WidgetState] = {}
        self.session_id = ""  # the server's id of this session (from its new_session message)

    async def connect(self) -> Session:
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            origin=self.origin,
            open_timeout=30,
            ping_interval=None,
        )
        return self

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
        await self.ws.send(msg.SerializeToString())
        elements = []
        received = 0
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
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


def run_async(make: Callable[[], Awaitable[Any]]) -> Any:
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
