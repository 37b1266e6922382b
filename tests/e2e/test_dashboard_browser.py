"""The dashboard in a real browser: Debian's chromium, `streamlit run`, nothing but 127.0.0.1.

Each check compares what the page shows with what ``geo`` computes for the same filter.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.views.descriptions import describe
from geo.views.place_labels import city_names

from browser_support import (
    BROWSER_TIMEOUT_MS,
    click_until_chosen,
    next_frame,
    pixel_of,
    screenshot,
    shown_view,
    wait_for_app_idle,
    wait_for_page_drawn,
)
from reference import filter_convictions, people_in
from testdata import SAMPLE

DESCRIPTION = re.compile(
    r"^(?P<place>.+?), (?P<start>\d{1,2} \w{3} \d{4}) – (?P<end>\d{1,2} \w{3} \d{4}): "
    r"(?P<decisions>[\d,]+) court decisions?, (?P<people>[\d,]+) (?:person|people)(?: \(.*\))?$"
)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


LINE = r"court decisions?, [\d,]+ (?:person|people)"
#: True once the page's description line (the first text element matching LINE) reads as asked:
#: ``starts`` with, ``differs`` from or ``equals`` a given text. Checked in the page, at each frame.
LINE_READS = """([line, how, value]) => {
  const pattern = new RegExp(line);
  const element = [...document.querySelectorAll('[data-testid="stText"]')].find(e => pattern.test(e.innerText));
  if (!element) return false;
  const text = element.innerText.trim();
  return how === "starts" ? text.startsWith(value) : how === "differs" ? text !== value : text === value;
}"""


def description(page) -> str:
    """The one plain-language line under the page title."""
    locator = page.locator('[data-testid="stText"]').filter(has_text=re.compile(LINE)).first
    locator.wait_for()
    return locator.inner_text().strip()


def wait_for_description(
    page,
    *,
    starts: str | None = None,
    differs: str | None = None,
    equals: str | None = None,
    timeout_ms: float = BROWSER_TIMEOUT_MS,
) -> str:
    """Until the description line reads as asked (Streamlit reruns asynchronously) and the app has
    finished its run; the line."""
    [(how, value)] = [
        (k, v) for k, v in (("starts", starts), ("differs", differs), ("equals", equals)) if v is not None
    ]
    try:
        page.wait_for_function(LINE_READS, arg=[LINE, how, value], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        shown = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stText"]')].map(e => e.innerText)"""
        )
        raise AssertionError(f"the description line never {how} {value!r}; the text elements: {shown!r}") from None
    wait_for_app_idle(page)
    text = description(page)
    assert page.evaluate(LINE_READS, [LINE, how, value]), (how, value, text)
    return text


def expected_description(ds, text: str) -> str:
    """Recompute the line from the dates and cities the page states, with geo alone."""
    m = DESCRIPTION.match(text)
    assert m, text
    start = datetime.strptime(m["start"], "%d %b %Y").date()
    end = datetime.strptime(m["end"], "%d %b %Y").date()
    names = city_names(ds.locations)
    by_name = {v: k for k, v in names.items()}
    place = m["place"]
    cities = [] if place == "All cities" else [by_name[n] for n in re.split(r", | and ", place)]
    first, last = min(ds.span[0], start), ds.span[1]
    f = Filters.of(
        None if (start, end) == (first, last) else start, None if (start, end) == (first, last) else end, cities
    )
    rows = filter_convictions(ds.convictions, f)
    return describe(Filters.of(start, end, cities), names, len(rows), people_in(ds, rows))


def open_page(page, url: str) -> None:
    """Load ``url`` and wait until its first run has finished. (Once, under a loaded machine, a
    click on "Month ▶" made while that run was still going changed nothing: the cause is not
    established, see test_time_browser.)"""
    page.goto(url)
    page.locator('[data-testid="stSidebar"]').wait_for()
    description(page)
    wait_for_app_idle(page)


def deck_canvas(page):
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for()
    return canvas


def distinct_colours(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 24))


def wait_for_map(page, minimum_colours: int = 40, timeout_s: float = 60) -> int:
    """Until the deck canvas shows a drawn map (borders, circles, labels), not a blank box, and two
    shots a frame apart are the same picture (it has finished drawing); its number of colours."""
    wait_for_app_idle(page)
    canvas = deck_canvas(page)
    deadline = time.monotonic() + timeout_s
    colours, previous = 0, b""
    while time.monotonic() < deadline:
        try:
            shot = canvas.screenshot(timeout=10_000)
        except PlaywrightTimeoutError:  # the canvas was still moving (the page laying out): shoot again
            previous = b""
            continue
        colours = distinct_colours(shot)
        if colours >= minimum_colours and shot == previous:
            return colours
        previous = shot
        next_frame(page)
    raise AssertionError(f"the map canvas did not settle into a drawn map; last shot: {colours} distinct colours")


def test_map_page_draws_without_network(server, page, context, ds):
    open_page(page, server.url)
    text = wait_for_description(page, starts="All cities")
    assert text == expected_description(ds, text)
    wait_for_map(page)
    screenshot(page, "map")
    assert page.js_errors == []
    assert context.blocked == []  # nothing was even tried on another host (it would have been aborted)


def drag_thumb(page, which: str, fraction: float) -> None:
    """Drag the slider's ``start`` or ``end`` thumb to ``fraction`` of its track, as a mouse would."""
    slider = page.get_by_role("group", name="Date range")
    track = slider.locator("div[data-orientation]").first.bounding_box()
    thumb = slider.locator(f'input[aria-label="Date range — {which}"]').locator("xpath=../..").bounding_box()
    y = thumb["y"] + thumb["height"] / 2
    page.mouse.move(thumb["x"] + thumb["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * fraction, y, steps=12)
    page.mouse.up()


def test_moving_the_slider_changes_counts_to_what_geo_computes(server, page, ds):
    open_page(page, server.url)
    before = wait_for_description(page, starts="All cities")
    drag_thumb(page, "end", 0.35)  # the end thumb to about a third of the period
    after = wait_for_description(page, differs=before)
    assert after == expected_description(ds, after)
    m = DESCRIPTION.match(after)
    assert datetime.strptime(m["end"], "%d %b %Y").year == 2022
    assert "period" in parse_qs(urlsplit(page.url).query)  # the range is in the address
    wait_for_map(page)  # redrawn for the new range
    screenshot(page, "map-after-slider")


def pick_city(page, typed: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Cities").first
    box.locator("input").click()
    page.keyboard.type(typed)
    page.locator('[role="option"]').filter(has_text=typed).first.click()
    page.keyboard.press("Escape")


def test_picking_a_city_by_its_russian_name_filters_the_view(server, page, ds):
    open_page(page, server.url)
    pick_city(page, "Шымкент")
    text = wait_for_description(page, starts="Shymkent,")
    assert text == expected_description(ds, text)
    assert text.endswith("2 court decisions, 3 people (3 convicted)")  # the trial and its appeal
    # the link names the city by its id, which no relabelling breaks
    expect(page).to_have_url(re.compile(r"[?&]city=shymkent(&|$)"))
    assert parse_qs(urlsplit(page.url).query).get("city") == ["shymkent"]


def test_clicking_a_city_on_the_map_lists_its_cases(server, page, ds):
    open_page(page, server.url)
    wait_for_map(page)
    canvas = deck_canvas(page)
    almaty = ds.locations.set_index("location_id").loc["almaty"]
    chosen = page.get_by_role("combobox", name="Cases in")

    def where() -> tuple[float, float]:
        box = canvas.bounding_box()
        view = shown_view(SAMPLE, box["width"])
        return pixel_of(almaty["latitude"], almaty["longitude"], view, box["width"], box["height"])

    click_until_chosen(page, canvas, where, chosen, "Almaty · Алматы")
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    assert chosen.input_value() == "Almaty · Алматы"
    expected = filter_convictions(ds.convictions, Filters.of(cities=["almaty"]))
    assert len(expected) >= 1
    expect(table.locator('[role="row"]')).to_have_count(1 + len(expected))  # header + a row per verdict
    screenshot(page, "map-city-clicked")


def test_cases_csv_download_holds_exactly_the_rows_shown(server, page, ds):
    query = urlencode([("city", "Almaty · Алматы"), ("city", "Shymkent · Шымкент")])
    open_page(page, f"{server.url}/cases?{query}")
    text = wait_for_description(page, starts="Almaty and Shymkent")
    assert text == expected_description(ds, text)
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").first.click()
    download = info.value
    assert download.suggested_filename == "convictions_almaty+shymkent_2022-01-01_2024-06-11_v1.0.0.csv"
    body = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = filter_convictions(ds.convictions, Filters.of(cities=["almaty", "shymkent"]))
    assert sorted(r["case_id"] for r in rows) == sorted(expected["case_id"])
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator('[role="row"]')).to_have_count(1 + len(expected))  # the rows shown are the rows downloaded
    screenshot(page, "cases")


def test_a_shared_link_restores_the_same_view(server, page, context, ds):
    open_page(page, server.url)
    pick_city(page, "Aktobe")
    first = wait_for_description(page, starts="Aktobe,")
    drag_thumb(page, "start", 0.2)
    filtered = wait_for_description(page, differs=first)
    link = page.url
    colleague = context.new_page()
    open_page(colleague, link)
    wait_for_description(colleague, equals=filtered)  # fails unless the link restores the same line
    colleague.close()


@pytest.mark.parametrize("path, name", [("/timeline", "timeline"), ("/sources", "sources"), ("/about", "about")])
def test_every_other_page_renders(server, page, path, name):
    page.goto(server.url + path)
    page.locator('[data-testid="stSidebar"]').wait_for()
    page.locator("h1").first.wait_for()
    wait_for_page_drawn(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, name)
    assert page.js_errors == []
