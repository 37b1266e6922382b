"""The browser's print of the Map and Cases pages: the content without the sidebar, the toolbar
and the buttons, the filter line under the title at the top, the map whole on one sheet.

Two views of the same print stylesheet: the PDF chromium prints (read back with pypdf: its text,
and where the map's picture lies on the sheet), and the page laid out in print media at the
sheet's width (measured in the DOM). The PDF, a screenshot in print media and, where poppler's
pdftoppm is installed, the PDF's first sheet as a PNG go to artifacts/print/.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from browser_support import next_frame, wait_for_app_idle, wait_for_page_drawn
from test_dashboard_browser import description, open_page, wait_for_map

PRINTED = Path(__file__).resolve().parents[2] / "artifacts" / "print"
MARGIN = {side: "1cm" for side in ("top", "right", "bottom", "left")}
#: An A4 sheet less those margins, in CSS pixels (96 to the inch): 190 mm × 277 mm.
SHEET = {"width": 718, "height": 1047}
#: What only works on a screen; none of it may be on paper.
SCREEN_ONLY = [
    "Filters",
    "Play months",
    "Date range",
    "Online basemap",
    "Circle size",
    "GeoJSON: totals per city",
    "Copy link",
]

SIDEBAR_DISPLAY = """() => getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display"""
#: In print media: how each part of the page is laid out.
MEASURE = """() => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
    return {display: getComputedStyle(e).display, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            width: r.width, height: r.height}; };
  const one = s => box(document.querySelector(s));
  const all = s => [...document.querySelectorAll(s)].map(box);
  const chart = document.querySelector('[data-testid="stDeckGlJsonChart"]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const shown = [...main.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(e => e.getBoundingClientRect().height > 0).map(e => e.innerText.trim()).filter(Boolean);
  return {
    sidebar: one('[data-testid="stSidebar"]'), header: one('[data-testid="stHeader"]'), main: box(main),
    title: one('h1'), line: box([...main.querySelectorAll('[data-testid="stText"]')][0]),
    canvas: one('[data-testid="stDeckGlJsonChart"] canvas'),
    breakInside: chart ? getComputedStyle(chart).breakInside : null,
    buttons: all('[data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stPopover"]'),
    toggles: all('[data-testid="stCheckbox"], [data-testid="stRadio"]').filter(b => b.height > 0),
    shown: shown.slice(0, 3),
  };
}"""


def multiply(a: tuple, b: tuple) -> tuple:
    """The product of two PDF transformation matrices (a then b)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def pictures(page) -> list[tuple[tuple[int, int], tuple[float, float, float, float]]]:
    """Each image drawn on a PDF page: its size in pixels and where it lies on the sheet, in points
    (left, bottom, right, top), from the transformation in force where it is drawn."""
    xobjects = page["/Resources"].get("/XObject", {})
    matrix, saved, found = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            matrix = multiply(tuple(float(x) for x in operands), matrix)
        elif operator == b"Do":
            image = xobjects[operands[0]].get_object()
            if image.get("/Subtype") == "/Image":
                corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
                xs = [matrix[0] * u + matrix[2] * v + matrix[4] for u, v in corners]
                ys = [matrix[1] * u + matrix[3] * v + matrix[5] for u, v in corners]
                found.append(((int(image["/Width"]), int(image["/Height"])), (min(xs), min(ys), max(xs), max(ys))))
    return found


def print_page(page, name: str) -> PdfReader:
    """What the browser's print gives, as a user would print the page: from the screen as drawn."""
    PRINTED.mkdir(parents=True, exist_ok=True)
    pdf = PRINTED / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", margin=MARGIN)
    if shutil.which("pdftoppm"):  # the first sheet as a picture, to look at
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(PRINTED / f"{name}-pdf"),
            ],
            check=True,
            timeout=60,
        )
    return PdfReader(pdf)


def in_print_media(page, name: str) -> dict:
    """The page in print media at the sheet's width, measured; a screenshot of it."""
    page.emulate_media(media="print")
    page.set_viewport_size(SHEET)
    next_frame(page)
    layout = page.evaluate(MEASURE)
    page.screenshot(path=str(PRINTED / f"{name}-print-media.png"), full_page=True)
    return layout


def check_print_layout(layout: dict, title: str, line: str) -> None:
    assert layout["sidebar"]["display"] == "none"
    assert layout["header"]["display"] == "none"
    assert all(b["display"] == "none" or b["height"] == 0 for b in layout["buttons"]), layout["buttons"]
    # The content takes the sheet's width, from its left edge.
    assert layout["main"]["left"] == 0 and layout["main"]["width"] == SHEET["width"]
    # The title, then the filter line, at the top.
    assert layout["shown"][:2] == [title, line]
    assert layout["title"]["top"] < layout["line"]["top"] < 150


@pytest.mark.parametrize("name,path,title", [("map", "/", "Map"), ("cases", "/cases", "Cases")])
def test_the_print_holds_the_title_and_filter_line_and_nothing_of_the_sidebar(server, page, name, path, title):
    open_page(page, server.url + path)
    wait_for_page_drawn(page)
    line = description(page)
    printed = print_page(page, name)
    first = printed.pages[0].extract_text()
    # The sheet starts with the title and the filter line (wrapped to the sheet's width).
    assert " ".join(first.split()).startswith(" ".join([title, line]))
    text = " ".join(" ".join(p.extract_text().split()) for p in printed.pages)
    assert not [word for word in SCREEN_ONLY if word in text], text[:400]
    assert "Qantar map · data v" in text  # the footer is printed too: which data the sheet shows
    check_print_layout(in_print_media(page, name), title, line)
    # Back on the screen the stylesheet hides nothing (at this width Streamlit may fold the sidebar away, but
    # does not take it out of the layout).
    page.emulate_media(media="screen")
    assert page.evaluate(SIDEBAR_DISPLAY) != "none"


def test_the_printed_map_is_whole_on_one_sheet_and_keeps_its_proportions(server, page):
    open_page(page, server.url)
    wait_for_page_drawn(page)
    wait_for_map(page)  # the deck draws its canvas after the run is over (and again once the width is known)
    wait_for_app_idle(page)
    printed = print_page(page, "map")
    drawn = [(number, size, box) for number, p in enumerate(printed.pages) for size, box in pictures(p)]
    # The map's canvas is the one picture of the page, printed once, on the first sheet.
    assert len(drawn) == 1, drawn
    number, (width, height), (left, bottom, right, top) = drawn[0]
    sheet = printed.pages[number].mediabox
    assert number == 0
    assert left >= 0 and right <= float(sheet.width) and bottom >= 0 and top <= float(sheet.height)
    # As drawn for the screen, not squeezed to the sheet's width.
    assert (right - left) / (top - bottom) == pytest.approx(width / height, rel=0.01)
    layout = in_print_media(page, "map")
    canvas = layout["canvas"]
    assert canvas["left"] >= 0 and canvas["right"] <= SHEET["width"] and canvas["height"] <= SHEET["height"]
    assert layout["breakInside"] == "avoid"
    assert layout["toggles"] == []  # the map's switches mean nothing on paper
