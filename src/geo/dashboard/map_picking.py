"""A phone's first tap on the map selects the city under the finger.

deck.gl picks what lies under a pointer by drawing the pickable layers into a picking buffer and
reading it back. It prepares that buffer and the layers' programs on the first pick of a deck, and
a pick on ``pointerdown`` runs before the touch is handed on. On a phone nothing hovers before the
first tap, so the first pick happens inside it: where that first pick takes longer than deck.gl's
gesture recogniser allows a tap to last (250 ms; a slow phone, a busy one), the tap is taken for
a press and no click, so no selection, follows. Later taps are quick, the buffer being ready.

The component here makes that first pick as soon as a deck is drawn: it moves a pointer that is
not the reader's onto the map's top-left corner (the dates stamp covers it, no place lies there)
and off again, as a mouse would, which deck.gl answers with a hover pick in its next frame. A deck
drawn anew (a new page, full screen) is warmed again. Nothing from the data passes through it.
"""

from __future__ import annotations

import functools

import streamlit as st

KEY = "map_picking"

#: The component draws nothing; its element stays out of the page's flow.
_CSS = f"<style>.st-key-{KEY} {{ display: none; }}</style>"

#: deck.gl's tooltip element is added once a deck has its device, layers and event handling, so
#: its arrival says the deck can pick; deck.gl hovers on mouse events (its pointer events are for
#: presses), and handles the move in its next frame, so the pointer leaves two frames later.
_JS = """
export default function (component) {
  const host = component.parentElement.host || component.parentElement;
  const frame = host.closest('.st-key-map_frame');
  if (!frame) return;
  const warmed = new WeakSet();
  const warm = () => {
    for (const tip of frame.querySelectorAll('[data-testid="stDeckGlJsonChart"] .deck-tooltip')) {
      const canvas = tip.closest('[data-testid="stDeckGlJsonChart"]').querySelector('canvas#deckgl-overlay');
      if (!canvas || warmed.has(canvas)) continue;
      warmed.add(canvas);
      const box = canvas.getBoundingClientRect();
      const at = { clientX: box.left + 1, clientY: box.top + 1, bubbles: true, view: window };
      requestAnimationFrame(() => {
        canvas.dispatchEvent(new MouseEvent('mousemove', at));
        requestAnimationFrame(() => requestAnimationFrame(() => canvas.dispatchEvent(new MouseEvent('mouseleave', at))));
      });
    }
  };
  const added = new MutationObserver(warm);
  added.observe(frame, { childList: true, subtree: true });
  warm();
  return () => added.disconnect();
}
"""


@functools.cache
def _component():
    return st.components.v2.component("qantar_map_picking", js=_JS)


def warm_picking() -> None:
    """Inside the map's frame (:func:`geo.dashboard.map_frame.map_frame`): deck.gl's first pick is made
    before the reader's first tap (see the module's docstring)."""
    st.html(_CSS)
    _component()(key=KEY)
