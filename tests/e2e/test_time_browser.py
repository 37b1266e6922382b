"""Time in a real browser: the date boxes and month steps, and Play stepping the map month by month."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo.dashboard.player import PLAY_SECONDS

from browser_support import screenshot
from test_dashboard_browser import LINE, description, open_page, wait_for_description

#: Records every text the description line takes, so that a test sees each step of a playing
#: timeline however late it looks.
RECORD_LINES = """(pattern) => {
  window.__lines = [];
  const line = new RegExp(pattern);
  const note = () => {
    const el = [...document.querySelectorAll('[data-testid="stText"]')].find(e => line.test(e.innerText));
    const text = el ? el.innerText : null;
    if (text && window.__lines[window.__lines.length - 1] !== text) window.__lines.push(text);
  };
  note();
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

MONTH = re.compile(r"^All cities, 1 (\w{3}) 2022 – \d{2} \1 2022: ")


def test_play_steps_through_the_months_and_pause_stops(server, page):
    open_page(page, server.url)
    page.evaluate(RECORD_LINES, LINE)
    page.get_by_role("button", name="▶ Play months").click()
    page.wait_for_function("() => window.__lines.some(l => l.startsWith('All cities, 1 Mar 2022 – 31 Mar 2022'))")
    page.get_by_role("button", name="⏸ Pause").click()
    paused = wait_for_description(page, starts="All cities, ")
    seen = [line for line in page.evaluate("window.__lines") if MONTH.match(line)]
    months = [MONTH.match(line).group(1) for line in seen]
    assert months[:3] == ["Jan", "Feb", "Mar"], seen  # one calendar month after another, from the first
    assert re.search(r"[?&]period=2022-\d\d-01&period=2022-\d\d-\d\d", page.url)  # each step is a link too
    # A paused player must not move: a step would add a line within two steps' time, and the wait
    # ends (failing the test) as soon as one does, rather than sleeping a fixed time.
    shown = page.evaluate("window.__lines.length")
    with pytest.raises(PlaywrightTimeoutError):
        page.wait_for_function("(n) => window.__lines.length > n", arg=shown, timeout=2 * PLAY_SECONDS * 1000)
    assert description(page) == paused
    screenshot(page, "map-played-to-a-month")


def type_date(page, label: str, day: str, month: str, year: str) -> None:
    """Type a date into a Streamlit date box, segment by segment, and leave it (the box takes a
    typed date when it loses the focus)."""
    for part, value in (("day", day), ("month", month), ("year", year)):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.locator("h1").first.click()


def test_typed_dates_and_month_steps(server, page):
    open_page(page, server.url)
    page.get_by_role("button", name="Month ▶").click()
    wait_for_description(page, starts="All cities, 1 Jan 2022 – 31 Jan 2022")
    page.get_by_role("button", name="Month ▶").click()
    wait_for_description(page, starts="All cities, 1 Feb 2022 – 28 Feb 2022")
    type_date(page, "To", "15", "06", "2022")
    wait_for_description(page, starts="All cities, 1 Feb 2022 – 15 Jun 2022")
    screenshot(page, "map-typed-dates")
