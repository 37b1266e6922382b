"""A new session's first run is its only full run: the map's width, which the browser reports once
the map's frame is on the page, reruns only the map's fragment (geo.dashboard.map_frame).

Counted from what the server tells the tab: each run of the script ends with a ``script_finished``
message over the websocket, whose status says whether the whole script ran or a fragment of it.
"""

from __future__ import annotations

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from browser_support import BROWSER_TIMEOUT_MS

pytestmark = pytest.mark.browser

FULL = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN}
PHONE, WIDE = (390, 844), (1400, 1000)


def runs_of_a_new_session(page, url: str, size: tuple[int, int]) -> list[str]:
    """The ends of the new session's first two runs (the first run and the one the width report
    makes), by status name."""
    finished: list[int] = []
    sockets = []

    def watch(ws) -> None:
        sockets.append(ws)

        def frame(payload) -> None:
            if isinstance(payload, bytes | bytearray):
                msg = ForwardMsg()
                msg.ParseFromString(bytes(payload))
                if msg.WhichOneof("type") == "script_finished":
                    finished.append(msg.script_finished)

        ws.on("framereceived", frame)

    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.on("websocket", watch)
    with page.expect_websocket(timeout=BROWSER_TIMEOUT_MS):
        page.goto(url)
    while len(finished) < 2:  # each wait returns with the socket's next message
        sockets[0].wait_for_event("framereceived", timeout=BROWSER_TIMEOUT_MS)
    return [ForwardMsg.ScriptFinishedStatus.Name(status) for status in finished[:2]]


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["phone", "wide"])
def test_a_new_sessions_first_run_is_its_only_full_run(server, page, size):
    runs = runs_of_a_new_session(page, server.url, size)
    assert runs == ["FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"], runs
