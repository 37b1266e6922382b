"""The frame the map is drawn in: the date stamp in its corner, and a probe (a component in the
page) that reports the frame's width and keeps deck.gl's tooltips inside the map. Its script and
style are the files beside this one (``map_frame.js``, ``map_frame.css``).

The map and its frame are a fragment of their own (:func:`fitted_map`): the width the browser
reports reruns that fragment only, which draws the map again for that width. A new session's first
run draws the map at the default width, and is the session's only full run; the rest of the page
reads the width on its next full run (:func:`map_width`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import streamlit as st

from geo.views import reader_text

#: Keys of the map's frame (a container), of the date stamp in its corner and of the probe that
#: reports the frame's width (a component whose state is ``{"width": pixels}``).
MAP_FRAME, MAP_STAMP, MAP_WIDTH = "map_frame", "map_stamp", "map_width"
#: Session key set by a click on the map: the next run of the map's fragment makes it a full run.
CLICKED = "map_clicked"

T = TypeVar("T")

#: ``map_frame.css``: out of the page's flow, so that neither adds a gap above the map: the stamp
#: over the map's top-left corner (in the band :data:`geo.views.marks.STAMP_INSET_PX` keeps free of
#: circles), the probe as a line of no height.
_FRAME_CSS = "<style>" + Path(__file__).with_name("map_frame.css").read_text(encoding="utf-8") + "</style>"

#: ``map_frame.js``, the probe, in the page (not an iframe): (1) it sends the frame's width to the
#: server whenever it differs from the one the server knew (``data.width``) or was last sent, and
#: the map's fragment (:func:`fitted_map`) then fits the map's view to it; (2) it keeps deck.gl's tooltips inside the map.
#: deck.gl puts a tooltip's corner at the pointer with a ``transform``, and the map clips what
#: passes its edge; near the right or bottom edge the probe moves the tooltip to the pointer's
#: other side with the separate ``translate`` property, which deck.gl leaves alone. Nothing from
#: the data passes through it.
_FRAME_JS = Path(__file__).with_name("map_frame.js").read_text(encoding="utf-8")


@functools.cache
def _frame_probe():
    return st.components.v2.component("qantar_map_frame", js=_FRAME_JS)


def map_width() -> int | None:
    """The map frame's width in pixels as the browser last reported it, else None (the first run
    of a session, AppTest, a browser without JavaScript)."""
    width = (st.session_state.get(MAP_WIDTH) or {}).get("width")
    return int(width) if isinstance(width, int | float) and 100 <= width <= 20_000 else None


@contextlib.contextmanager
def map_frame(stamp: str) -> Iterator[None]:
    """The container the map is drawn in: ``stamp`` (the dates it draws, fixed wording) in its
    top-left corner, always in the same place, and the probe that reports the frame's width and
    keeps tooltips inside it (see :data:`_FRAME_JS`)."""
    with st.container(key=MAP_FRAME):
        st.html(_FRAME_CSS)
        with st.container(key=MAP_STAMP):
            st.markdown(reader_text.escape_markdown(stamp))
        _frame_probe()(key=MAP_WIDTH, data={"width": map_width()}, default={"width": None}, on_width_change=_noop)
        yield


def _noop() -> None:
    """The probe's width is read from the session state on the next run; nothing to do on change."""


def fitted_map(stamp: str, draw: Callable[[int | None], T]) -> T:
    """The map, drawn by ``draw(width)`` (None: no width reported yet) inside :func:`map_frame`,
    in a fragment: the probe's width report reruns only this, and ``draw`` draws the map for the
    reported width. ``draw``'s result (the marks) is this run's."""
    return _map_fragment(stamp, draw)


@st.fragment
def _map_fragment(stamp: str, draw: Callable[[int | None], T]) -> T:
    if st.session_state.pop(CLICKED, False):  # a click chose a city: its cases are outside the fragment
        st.rerun(scope="app")
    with map_frame(stamp):
        return draw(map_width())


def whole_page_next() -> None:
    """For the map's ``on_select``: a click reruns the map's fragment, and the page under the map
    (the clicked city's cases) follows it only in a full run, which this asks for."""
    st.session_state[CLICKED] = True
