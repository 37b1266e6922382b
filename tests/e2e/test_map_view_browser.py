"""The Map page on a phone (390 × 844) and on a desktop (1400 × 900), in a real chromium: the
view fitted to the map's width keeps the far cities on it, tooltips stay inside it, notes coming
and going with the dates never move it, and a clicked city's cases follow right under it.

Where a city lies on the canvas comes from ``geo``'s fitted view for the width the canvas has
(the browser reports it, the server fits the view); each is then proved on the page by hovering
there and reading the tooltip deck.gl shows for what is drawn under the pointer.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from geo.views import marks

from browser_support import click_until_chosen, next_frame, pixel_of, screenshot, shown_view, wait_for_app_idle
from test_dashboard_browser import deck_canvas, description, wait_for_description, wait_for_map
from testdata import SAMPLE

PHONE, DESKTOP = (390, 844), (1400, 900)
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
MAP = '[data-testid="stDeckGlJsonChart"]'
#: The tooltip deck.gl shows, if shown: its first line and its box on the page.
TOOLTIP = """() => {
  const tip = document.querySelector('.deck-tooltip');
  if (!tip || tip.style.display === 'none' || !tip.innerText.trim()) return null;
  const r = tip.getBoundingClientRect();
  return {first: tip.innerText.split('\\n')[0], left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""


def open_map(page, url: str, size: tuple[int, int]):
    """The Map page at ``size``, once the browser has reported the map's width and the page has
    been drawn for it (on a phone the map is lower then); the canvas."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    page.locator('[data-testid="stSidebar"]').wait_for(state="attached")  # folded away on a phone
    description(page)
    wait_for_map(page)
    width = page.locator(MAP).bounding_box()["width"]
    page.wait_for_function(
        f"(h) => Math.round(document.querySelector('{MAP}').getBoundingClientRect().height) === h",
        arg=marks.map_height(width),
    )
    wait_for_map(page)
    canvas = deck_canvas(page)
    canvas.scroll_into_view_if_needed()
    return canvas


def hover(page, canvas, x: float, y: float) -> dict:
    """Point at (x, y) of the canvas until deck.gl shows a tooltip there; the tooltip."""
    box = canvas.bounding_box()
    for nudge in (0, 1, -1, 2):  # deck.gl picks on pointer moves: move again if the first went unseen
        page.mouse.move(box["x"] + x + nudge, box["y"] + y)
        try:
            page.wait_for_function(TOOLTIP, timeout=3000)
        except PlaywrightTimeoutError:
            continue
        next_frame(page)
        return page.evaluate(TOOLTIP)
    raise AssertionError(f"no tooltip at ({x:.0f}, {y:.0f}) of the canvas")


def city_pixel(ds, city: str, canvas) -> tuple[float, float]:
    box = canvas.bounding_box()
    place = ds.locations.set_index("location_id").loc[city]
    return pixel_of(
        place["latitude"], place["longitude"], shown_view(SAMPLE, box["width"]), box["width"], box["height"]
    )


@pytest.fixture(scope="module")
def ds():
    from geo.data.dataset import load_dataset

    return load_dataset(SAMPLE)


@SIZES
def test_almaty_and_ust_kamenogorsk_are_on_the_map_at_any_width(server, page, ds, size):
    canvas = open_map(page, server.url, size)
    box = canvas.bounding_box()
    screenshot(page, f"map-fitted-{size[0]}x{size[1]}")
    for city, label in (("almaty", "Almaty · Алматы"), ("ust-kamenogorsk", "Ust-Kamenogorsk · ")):
        x, y = city_pixel(ds, city, canvas)
        assert 0 < x < box["width"] and 0 < y < box["height"], (city, x, y, box)
        assert hover(page, canvas, x, y)["first"].startswith(label)  # its circle is drawn right there
    assert page.js_errors == []


@SIZES
def test_tooltips_stay_inside_the_map(server, page, ds, size):
    canvas = open_map(page, server.url, size)
    frame = page.locator(MAP).bounding_box()
    # Ust-Kamenogorsk is the city nearest the right edge, Shymkent the one nearest the bottom
    for city in ("ust-kamenogorsk", "shymkent"):
        tip = hover(page, canvas, *city_pixel(ds, city, canvas))
        inside = (
            frame["x"] <= tip["left"]
            and tip["right"] <= frame["x"] + frame["width"]
            and frame["y"] <= tip["top"]
            and tip["bottom"] <= frame["y"] + frame["height"]
        )
        assert inside, (city, tip, frame)
    screenshot(page, f"map-tooltip-{size[0]}x{size[1]}")


def map_top(page) -> float:
    """How far the map lies below the top of the page's content (whatever the scroll)."""
    return page.evaluate(
        f"""() => document.querySelector('{MAP}').getBoundingClientRect().top
          - document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect().top"""
    )


def month_forward(page) -> None:
    if page.locator('[data-testid="stSidebar"][data-collapsed="true"]').count():  # a phone: folded away
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "false")
    page.get_by_role("button", name="Month ▶").click()


@SIZES
def test_month_steps_that_drop_a_note_leave_the_map_where_it_is(server, page, size):
    open_map(page, server.url, size)
    tops, lines = [], []
    for month in ("1 Jan 2022 – 31 Jan 2022", "1 Feb 2022 – 28 Feb 2022", "1 Mar 2022 – 31 Mar 2022"):
        month_forward(page)
        wait_for_description(page, starts=f"All cities, {month}")
        wait_for_map(page)
        tops.append(map_top(page))
        lines.append(page.locator('[data-testid="stCaption"], [data-testid="stCaptionContainer"]').all_inner_texts())
    # January and February leave events without a city unplaced; March has nothing to note
    assert any("not on the map" in " ".join(t) for t in lines[:2]) and not any("not on the map" in t for t in lines[2])
    assert tops[0] == tops[1] == tops[2], tops
    if page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count() and size == PHONE:
        page.get_by_role("button", name="Collapse sidebar").click()  # fold it away again to look
    screenshot(page, f"map-stepped-{size[0]}x{size[1]}")


def test_a_clicked_citys_cases_follow_right_under_the_map_on_a_phone(server, page, ds):
    canvas = open_map(page, server.url, PHONE)
    chosen = page.get_by_role("combobox", name="Cases in")
    click_until_chosen(page, canvas, lambda: city_pixel(ds, "almaty", canvas), chosen, "Almaty · Алматы")
    summary = page.locator('[data-testid="stText"]').filter(has_text="Almaty, ")
    summary.wait_for()
    wait_for_app_idle(page)
    map_box, line = page.locator(MAP).bounding_box(), summary.bounding_box()
    # the line of the city's totals is the next thing after the box that names the city
    assert 0 < line["y"] - (map_box["y"] + map_box["height"]) < 80, (map_box, line)
    # scrolled to the map, as a reader is who clicks it: the whole line is on the same screen
    page.locator(MAP).evaluate("e => e.scrollIntoView({block: 'start'})")
    line = summary.bounding_box()
    assert page.locator(MAP).bounding_box()["y"] > -1 and line["y"] + line["height"] <= PHONE[1], line
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    screenshot(page, "map-city-clicked-390x844")
