"""The shipped record in chromium: the map draws a circle for every court city with coordinates,
the Cases page lists every decision and the people in them; screenshots of both are saved."""

from __future__ import annotations

import pytest

from geo.data.dataset import load_dataset

from browser_support import screenshot, wait_for_app_idle, wait_for_page_drawn
from server_support import Server
from test_dashboard_browser import wait_for_description, wait_for_map
from testdata import SHIPPED


@pytest.fixture(scope="module")
def shipped_server(browser):  # browser: no chromium, no server
    with Server(SHIPPED) as server:
        yield server


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SHIPPED)


def test_the_map_draws_the_record(shipped_server, page, ds):
    # which circles the deck holds is checked in tests/test_app_shipped.py; here, that it is drawn
    page.goto(shipped_server.url)
    text = wait_for_description(page, starts="All cities")
    assert f"{len(ds.convictions)} court decisions" in text
    wait_for_map(page)
    screenshot(page, "shipped-map")


def test_the_cases_page_lists_every_decision_and_its_people(shipped_server, page, ds):
    page.goto(f"{shipped_server.url}/cases")
    wait_for_description(page, starts="All cities")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    wait_for_page_drawn(page)
    screenshot(page, "shipped-cases")
    page.locator('[data-testid="stDataFrame"]').nth(1).scroll_into_view_if_needed()
    screenshot(page, "shipped-cases-people")
    box = page.get_by_role("combobox", name="Follow a person through the courts")
    box.click()
    page.keyboard.type("Жуман")
    option = page.locator('[role="option"]').filter(has_text="Zhuman").first
    option.click()
    steps = page.locator('[data-testid="stText"]').filter(has_text="(cv-")
    steps.first.wait_for()
    wait_for_app_idle(page)  # the first step is drawn before the others: read them once the run is over
    lines = steps.all_inner_texts()
    assert [line.rsplit(" · ", 1)[1].split(":")[0] for line in lines] == ["first instance", "appeal", "Supreme Court"]
    screenshot(page, "shipped-person-path")
