"""The Cases table in a real browser at 1400 px: the columns a reader needs first fit without
scrolling sideways, a clicked row opens in full, and Copy link gives the view's link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from geo.dashboard import tables
from geo.views import case_tables

from browser_support import next_frame, screenshot, wait_for_app_idle
from test_dashboard_browser import open_page, wait_for_description

#: The columns a reader needs without scrolling (the issue's list: city, date, people, sentence, outcome).
FIRST_NEEDED = ["Case", "Date", "Precision", "City", "People", "Sentence", "Months", "Outcome"]
SIZES = {"small": 75, "medium": 200, "large": 400}  # Streamlit's named column widths, in pixels


def configured_width(config) -> int:
    width = config["width"] if isinstance(config, dict) else config.get("width")
    return SIZES.get(width, width) if isinstance(width, str) else int(width)


def drawn_grid(page):
    """The first table, once its rows are in (the grid draws them on a canvas after they arrive)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator('[role="row"]').nth(1).wait_for(state="attached")
    wait_for_app_idle(page)
    next_frame(page)
    return grid


def test_the_columns_a_reader_needs_fit_at_1400_px(server, page):
    assert case_tables.CASE_COLUMNS[: len(FIRST_NEEDED)] == FIRST_NEEDED
    open_page(page, f"{server.url}/cases")
    grid = drawn_grid(page)
    shown = grid.bounding_box()
    columns = tables.case_columns()
    needed = sum(configured_width(columns[name]) for name in FIRST_NEEDED) + 40  # + the row selection boxes
    assert needed <= shown["width"], (needed, shown["width"])
    screenshot(page, "cases-table-1400")


def test_a_clicked_row_opens_in_full_and_the_link_holds_the_search(server, page):
    open_page(page, f"{server.url}/cases?who=bektanov")
    wait_for_description(page, starts="All cities, ")
    box = drawn_grid(page).bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the selection box of the first row, under the header
    details = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Sources:").last
    details.wait_for()
    assert details.inner_text().startswith("cv-2023-02-24-bektanov · 24 Feb 2023 · Astana")
    page.get_by_role("button", name="Copy link").click()
    link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    query = parse_qs(urlsplit(link).query)
    assert query.get("who") == ["bektanov"], link
    screenshot(page, "cases-row-in-full")
