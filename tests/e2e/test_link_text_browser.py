"""Link values and data text that Markdown would turn into links (``www.``, a scheme, an e-mail,
``=HYPERLINK(…)``) or that would reorder the page's words (U+202E), in a real browser.

For each payload the page's ``<a>`` elements are counted with a harmless value first and with the
payload after: the payload adds none, and no ``<a>`` points at the payload's hosts. The bidi
control arrives inside its own isolate (FSI … PDI) in the DOM: the text after it keeps its order.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from test_hostile_browser import rewrite

from geo.data.validate import validate_dir

from browser_support import screenshot, wait_for_page_drawn
from server_support import Server
from testdata import SAMPLE

FSI, PDI, RLO, WJ = "\u2068", "\u2069", "\u202e", "\u2060"
LINKY = "www.evil.example https://evil.example/a user@evil.example"
CITY = f"Akt{RLO}obe {LINKY}"
SUMMARY = f'=HYPERLINK("http://evil.example","click") {LINKY} {RLO}reversed'
CASE = "cv-2022-07-07-aktobe"
SOURCE_URL = "https://example.org/story"
#: Every anchor on the page: (href, text), the Streamlit chrome's included.
ANCHORS = "() => [...document.querySelectorAll('a')].map(a => [a.getAttribute('href') || '', a.textContent])"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("linky") / "data"
    directory.mkdir()
    for f in SAMPLE.glob("*.csv"):
        (directory / f.name).write_bytes(f.read_bytes())
    rewrite(directory / "locations.csv", "location_id", {"aktobe": {"name": CITY}})
    rewrite(directory / "convictions.csv", "case_id", {CASE: {"summary": SUMMARY}})
    rewrite(directory / "sources.csv", "source_id", {"src-003": {"url": SOURCE_URL}})  # the case's one source
    report = validate_dir(directory)
    assert report.ok and report.warnings, str(report)  # the bidi controls are flagged, the rows still load
    assert {p.file for p in report.warnings} >= {"locations.csv", "convictions.csv"}
    return directory


@pytest.fixture(scope="module")
def linky_server(data_dir, browser):  # browser: no chromium, no server
    with Server(data_dir) as server:
        yield server


def anchors(page) -> list[tuple[str, str]]:
    return [tuple(a) for a in page.evaluate(ANCHORS)]


def evil(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [a for a in found if "evil" in a[0] or a[0].startswith("mailto:")]


def opened(page, url: str, warning: str) -> None:
    page.goto(url)
    expect(page.locator('[data-testid="stAlertContentWarning"]').filter(has_text=warning).first).to_be_visible()
    wait_for_page_drawn(page)


@pytest.mark.parametrize(
    "path, key, value",
    [
        ("", "city", LINKY),
        ("", "map_city", LINKY),
        ("cases", "tab", LINKY),
        ("cases", "tab", f"{RLO}evil"),
        ("cases", "person", f"mailto:x@evil.example {RLO}"),
    ],
    ids=["city", "map_city", "tab", "tab-bidi", "person"],
)
def test_a_link_value_adds_no_anchor_and_stays_isolated(linky_server, page, path, key, value):
    opened(page, f"{linky_server.url}/{path}?{urlencode({key: 'atlantis'})}", "atlantis")
    before = anchors(page)
    opened(page, f"{linky_server.url}/{path}?{urlencode({key: value})}", "evil")
    after = anchors(page)
    assert len(after) == len(before), (before, after)
    assert evil(after) == []
    note = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="evil").first
    text = note.inner_text().replace(WJ, "")
    assert value.strip() in text or (FSI + value.strip()) in text, text
    if RLO in value:  # the override is inside an isolate, closed before the sentence goes on
        assert FSI + value.strip() + PDI in text, text
    screenshot(page, f"link-text-{key}-{'bidi' if RLO in value else 'links'}")


def test_data_text_in_the_details_and_the_description_adds_no_anchor(linky_server, page, data_dir):
    page.goto(f"{linky_server.url}/cases?{urlencode({'who': CASE})}")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator('[role="row"]').nth(1).wait_for(state="attached")
    wait_for_page_drawn(page)
    before = anchors(page)
    box = grid.bounding_box()
    details = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="evil.example").last
    for _ in range(5):  # the selection box of the first row, under the header, until the row opens
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        try:
            details.wait_for(timeout=10_000)
            break
        except Exception:
            continue
    wait_for_page_drawn(page)
    after = anchors(page)
    added = [a for a in after if a not in before]
    assert added == [(SOURCE_URL, added[0][1])] if added else False, (before, after)  # the source's link only
    assert evil(after) == []
    assert details.locator("a").count() == 1
    text = details.inner_text().replace(WJ, "")
    assert FSI + SUMMARY + PDI in text, text  # the summary whole, in its own isolate
    assert FSI + CITY + " · Актобе · Ақтөбе" + PDI in text, text  # the court city's label too
    screenshot(page, "link-text-details")

    page.goto(f"{linky_server.url}/?{urlencode({'city': 'aktobe'})}")
    line = page.locator('[data-testid="stText"]').first
    expect(line).to_contain_text("evil.example")
    wait_for_page_drawn(page)
    assert line.inner_text().startswith(FSI + CITY + PDI + ", ")  # the line's own words stay after it
    assert evil(anchors(page)) == []
