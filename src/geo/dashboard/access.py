"""What makes every page usable with a screen reader, a keyboard and weak eyes, beyond what the
pages say themselves: the stylesheet ``access.css`` (caption contrast, target sizes, a visible
focus ring) and the map's name on the element that takes the keyboard's focus (``map_label.js``).
docs/accessibility.md lists what axe-core finds and what Streamlit itself prevents."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

#: The stylesheet drawn on every page.
ACCESS_CSS = Path(__file__).with_name("access.css")
MAP_LABEL = "map_label"

#: deck.gl draws the map on a canvas inside a focusable element (arrow keys pan the map) that has
#: no name: a screen reader landing there on Tab would say nothing. This names it with what the map
#: shows, as an image (its canvas then has no role of its own), and names it again whenever
#: Streamlit draws the map anew. Runs in the page, inside the map's frame; nothing from the data
#: passes through it (the name is fixed wording from the catalogs).
_MAP_LABEL_JS = Path(__file__).with_name("map_label.js").read_text(encoding="utf-8")


def access_styles() -> None:
    """The stylesheet, once per rerun: a style-only element, which takes no room on the page."""
    st.html(ACCESS_CSS)


@functools.cache
def _map_label():
    return st.components.v2.component("qantar_map_label", js=_MAP_LABEL_JS)


def label_map(name: str, variant: str) -> None:
    """Inside the map's frame (``geo.dashboard.map_frame.map_frame``): the map's focusable element is
    named ``name`` (:func:`geo.views.map_table.map_name`). An instance per ``variant`` (language
    and circle size), so a new name mounts a new one that sets it."""
    _map_label()(key=f"{MAP_LABEL}_{variant}", data={"name": name})
