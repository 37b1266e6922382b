"""Picking on a 390 px phone, for every city drawn on the shipped map, crowded south included
(Almaty and Konayev, Taraz and Shymkent): the pointer on a city's centre picks that city (its
tooltip shows), and one tap selects it into ``map_city``, in the box under the map and in the
address, the first tap after the map is drawn included (deck.gl has made its first pick by then:
geo.dashboard.map_picking).

Where each city lies on the canvas comes from ``geo``'s fitted view for the canvas's width (the
browser reports it, the server fits the view), as in test_map_view_browser.py.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_map_view_browser import MAP, TOOLTIP, hover, open_map

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import deck

from browser_support import next_frame, pixel_of, screenshot, wait_for_app_idle, wait_for_page_drawn
from server_support import Server
from testdata import SHIPPED

PHONE = (390, 844)
#: Counts deck.gl's reads of its picking buffer (each pick reads it back), in ``window.__picks``.
PICKS_HOOK = """
window.__picks = 0;
for (const context of [WebGLRenderingContext, WebGL2RenderingContext]) {
  const read = context.prototype.readPixels;
  context.prototype.readPixels = function (...args) { window.__picks += 1; return read.apply(this, args); };
}
"""


@pytest.fixture(scope="module")
def shipped_server(browser):
    srv = Server(SHIPPED)
    yield srv
    srv.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def map_city(page) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get("map_city")
    return values[0] if values else None


def places_on_the_map(ds, index, box):
    view = deck.fitted_view(index.view(Filters()), box["width"])
    cities, events = index.every_place
    where = ds.locations.set_index("location_id")
    for city in sorted(set(cities["location_id"]) | set(events["location_id"])):
        x, y = pixel_of(where.loc[city, "latitude"], where.loc[city, "longitude"], view, box["width"], box["height"])
        yield city, where.loc[city, "name"], x, y


def test_the_pointer_on_each_citys_centre_picks_that_city(shipped_server, page):
    ds = load_dataset(SHIPPED)
    canvas = open_map(page, shipped_server.url, PHONE)
    box = canvas.bounding_box()
    seen = {}
    for city, name, x, y in places_on_the_map(ds, DatasetIndex.build(ds), box):
        assert 0 < x < box["width"] and 0 < y < box["height"], (city, x, y)
        seen[city] = hover(page, canvas, x, y)["first"]
        assert seen[city].startswith(f"{name} · "), (city, seen[city])
    assert {"almaty", "konayev", "taraz", "shymkent", "aktau", "zhanaozen"} <= set(seen)
    screenshot(page, "map-picked-390x844")


def test_the_map_has_picked_once_before_anyone_touches_it(shipped_server, phone):
    """A phone's first tap must not pay for deck.gl's first pick: that pick, made inside the tap,
    can outlast what deck.gl still counts as a tap (docs/map-taps.md)."""
    phone.context.add_init_script(PICKS_HOOK)
    open_map(phone, shipped_server.url, PHONE)
    phone.wait_for_function("() => window.__picks > 0")
    next_frame(phone)
    assert phone.evaluate(TOOLTIP) is None  # the pointer that picked has left: no tooltip stays
    assert phone.js_errors == []


#: Resolves once the deck's canvas has been given one more frame and its GPU has done all it was
#: given (reading a pixel back waits for that): a pick made then is not kept waiting behind drawing.
DECK_DRAWN = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
  const canvas = document.querySelector('[data-testid="stDeckGlJsonChart"] canvas#deckgl-overlay');
  const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  resolve(true);
})))"""


def colour_at(page, x: float, y: float) -> tuple[int, int, int]:
    """The page's colour at (x, y), deck.gl's tooltip hidden (it may lie over the point)."""
    page.add_style_tag(content=".deck-tooltip { visibility: hidden !important; }")
    next_frame(page)
    png = page.screenshot(clip={"x": round(x), "y": round(y), "width": 1, "height": 1})
    red, green, blue, *_ = Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))
    return red, green, blue


def test_one_tap_on_each_city_selects_it(shipped_server, phone):
    ds = load_dataset(SHIPPED)
    index = DatasetIndex.build(ds)
    canvas = open_map(phone, shipped_server.url, PHONE)
    box = canvas.bounding_box()
    view = deck.fitted_view(index.view(Filters()), box["width"])
    cities, events = index.every_place
    places = sorted(set(cities["location_id"]) | set(events["location_id"]))
    assert {"almaty", "konayev", "taraz", "shymkent", "astana", "aktau", "zhanaozen"} <= set(places)
    where = ds.locations.set_index("location_id")
    decided = set(cities["location_id"])
    for city in places:
        x, y = pixel_of(where.loc[city, "latitude"], where.loc[city, "longitude"], view, box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"], (city, x, y)
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        # deck.gl picks inside the touch's pointerdown and takes a touch that lasts over 250 ms for a
        # press, not a tap; a pick waits for the GPU to finish drawing the last selection's page and
        # map, which software GL on a loaded machine may still be doing (docs/map-taps.md): tap once
        # the page is drawn and the deck's GPU work is done.
        wait_for_page_drawn(phone)
        phone.evaluate(DECK_DRAWN)
        phone.touchscreen.tap(box["x"] + x, box["y"] + y)
        try:
            phone.wait_for_function(
                "(c) => new URLSearchParams(location.search).get('map_city') === c", arg=city, timeout=60_000
            )
        except PlaywrightTimeoutError:
            screenshot(phone, f"map-tap-missed-{city}-390x844")
            raise AssertionError(f"one tap on {city} at ({x:.0f}, {y:.0f}) left map_city={map_city(phone)!r}") from None
        wait_for_app_idle(phone)
        assert map_city(phone) == city
        assert phone.locator(MAP).count() == 1
        if city in decided:
            # Streamlit draws a selected object at full alpha: the chosen city's pick area must stay
            # unseen, its circle readable under it (not a white disc over the city).
            wait_for_page_drawn(phone)
            phone.evaluate(DECK_DRAWN)
            red, green, blue = colour_at(phone, box["x"] + x, box["y"] + y)
            assert green < 225, f"{city}'s centre reads {(red, green, blue)} once chosen: something covers its circle"
    screenshot(phone, "map-tapped-390x844")
    assert phone.js_errors == []
