"""Picking on a 390 px phone, for every city drawn on the shipped map, crowded south included
(Almaty and Konayev, Taraz and Shymkent): the pointer on a city's centre picks that city (its
tooltip shows), and one tap selects it into ``map_city``, in the box under the map and in the
address.

Where each city lies on the canvas comes from ``geo``'s fitted view for the canvas's width (the
browser reports it, the server fits the view), as in test_map_view_browser.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_map_view_browser import MAP, hover, open_map

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import deck

from browser_support import pixel_of, screenshot, wait_for_app_idle
from server_support import Server
from testdata import SHIPPED

PHONE = (390, 844)


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


@pytest.mark.xfail(
    strict=False,
    reason="known, not yet understood: under load the first tap after the deck is drawn sometimes selects "
    "nothing (deck.gl in Streamlit 1.67); it passed on a quiet machine and failed at load ~8",
)
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
    for city in places:
        x, y = pixel_of(where.loc[city, "latitude"], where.loc[city, "longitude"], view, box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"], (city, x, y)
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
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
    screenshot(phone, "map-tapped-390x844")
    assert phone.js_errors == []
