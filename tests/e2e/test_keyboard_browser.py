"""The dashboard by keyboard alone: Tab walks the sidebar, every stop there has a name a screen
reader says, the date range moves with the arrow keys and a city is chosen by typing its name;
each change reaches the URL and the page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browser_support import BROWSER_TIMEOUT_MS, wait_for_app_idle, wait_for_page_drawn

#: More than the sidebar's stops (pages, language, dates, buttons, filters): a walk that never
#: reaches the control it looks for fails instead of going round the page for ever.
MAX_TABS = 60
SIDEBAR = '[data-testid="stSidebar"]'


def focused(page) -> tuple[str, str, bool]:
    """(role, accessible name, in the sidebar) of the focused element, as the browser computes
    them for assistive technology (Playwright's ARIA snapshot)."""
    inside = page.evaluate(f"() => !!document.activeElement.closest('{SIDEBAR}')")
    lines = page.locator(":focus").aria_snapshot().splitlines()
    if not lines:  # an element the accessibility tree leaves out: no role, no name
        return "", "", inside
    line = lines[0]
    found = re.match(r"""- '?(\w+)(?: "((?:[^"\\]|\\.)*)")?""", line)
    assert found, line
    return found[1], found[2] or "", inside


def tab_to(page, role: str, name: str, stops: list[tuple[str, str, bool]]) -> None:
    """Press Tab until the focused element is ``role`` named ``name``; every stop on the way is
    added to ``stops``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1][:2] == (role, name):
            return
    raise AssertionError(f"{role} {name!r} not reached by Tab; stops: {stops}")


def until_url_has(page, text: str) -> None:
    page.wait_for_function("t => decodeURIComponent(location.search).includes(t)", arg=text, timeout=BROWSER_TIMEOUT_MS)


def test_tab_walks_the_sidebar_and_keys_change_the_filters(server, page):
    page.goto(server.url)
    wait_for_page_drawn(page)
    description = page.locator('[data-testid="stMain"] [data-testid="stText"]').first
    expect(description).to_contain_text("All cities")
    page.locator("body").focus()

    stops: list[tuple[str, str, bool]] = []
    tab_to(page, "slider", "Date range — start Date range", stops)
    assert ("link", "Cases", True) in stops  # the page links come first
    assert ("combobox", "Language", True) in stops
    page.keyboard.press("ArrowRight")  # one day later
    until_url_has(page, "period=2022-01-02")
    wait_for_app_idle(page)
    expect(description).to_contain_text("2 Jan 2022 –")

    tab_to(page, "combobox", "Cities", stops)
    for role, name, inside in stops:
        if inside:
            assert name.strip(), f"a {role} in the sidebar has no name: {stops}"
    assert {role for role, _, _ in stops} >= {"link", "combobox", "slider", "spinbutton", "button", "switch"}
    page.keyboard.type("Alma")
    page.keyboard.press("Enter")
    until_url_has(page, "city=almaty")
    wait_for_app_idle(page)
    expect(description).to_contain_text("Almaty")
    expect(page.locator(SIDEBAR).get_by_role("combobox", name="Cities")).to_be_focused()


def test_the_map_says_what_it_shows_and_its_table_comes_next(server, page):
    from geo.views import map_table

    page.goto(f"{server.url}/?lang=ru")
    wait_for_page_drawn(page)
    name = map_table.map_name("convicted", "ru")
    expect(page.get_by_role("figure", name=name)).to_be_visible()
    page.locator('[data-testid="stDeckGlJsonChart"] .deck-events-root').focus()
    assert focused(page) == ("img", name, False)  # where Tab stops on the map, a screen reader reads this
    page.keyboard.press("Tab")
    assert focused(page)[:2] == ("button", map_table.table_title("ru"))
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name=map_table.table_name("ru"))
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Алматы")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Осуждённые")).to_be_visible()
