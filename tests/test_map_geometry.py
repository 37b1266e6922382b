"""One geometry for the page's map and the PNG/SVG: the same key, notes and labels, and no text
over another in any language, filter or width (the shipped data: its south is crowded)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from svg_text_boxes import overlapping, text_boxes

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import deck, labels, legend, map_image
from geo.views.marks import DEFAULT_WIDTH_PX, map_marks, mark_scale

from testdata import ROOT

SHIPPED = ROOT / "data"
FILTERS = {
    "all": (Filters(), "convicted", True),
    "almaty-shymkent": (Filters.of(cities=["almaty", "shymkent"]), "convicted", True),
    "2022-by-decisions": (Filters(end=date(2022, 12, 31)), "decisions", False),
}
WIDTHS = {"desktop": DEFAULT_WIDTH_PX, "phone": 358}  # the map beside the sidebar; on a 390 px phone


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SHIPPED))


@pytest.fixture(scope="module")
def borders():
    return deck.borders_for_map(deck.load_borders(deck.borders_path(SHIPPED)))


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_no_text_of_the_svg_covers_another(index, borders, lang, name, width):
    filters, size_by, events = FILTERS[name]
    svg = map_image.map_svg(
        index.view(filters, lang), size_by=size_by, events=events, borders=borders, width_px=WIDTHS[width]
    )
    boxes = text_boxes(svg)
    assert len(boxes) > 20
    assert overlapping(boxes) == []


@pytest.mark.parametrize("width", list(WIDTHS.values()))
def test_the_deck_and_the_image_give_the_same_key_and_notes(index, borders, width):
    from pages.map import size_keys

    view = index.view(Filters(), "ru")
    svg = map_image.map_svg(view, borders=borders, width_px=width)
    texts = " ".join(t.text for t in text_boxes(svg))
    # the page's key (the counts in its images' alternative text), as the image writes them
    html = size_keys("convicted", True, index.largest, mark_scale(width), "ru")
    alts = re.findall(r'alt="([^"]*)"', html)
    assert len(alts) == 2
    page_counts = [re.findall(r"\d+", alt) for alt in alts]
    image_counts = [
        [str(v) for v, _ in keys]
        for _, _, keys in map_image.key_rows("convicted", True, False, index.largest, 0, mark_scale(width))
    ]
    assert page_counts == image_counts and page_counts[0][0] == str(int(index.largest["convicted"]))
    for measure, counts in zip(("convicted", "events"), image_counts):
        for count in counts:
            assert f"{count} " in texts, (measure, count)
    # the page's notes, from the same marks, are the image's
    marks = map_marks(
        view.city_totals(),
        view.event_totals(),
        None,
        "convicted",
        index.largest,
        deck.fitted_view(view, width),
        width,
        mark_scale(width),
        "ru",
    )
    notes = legend.map_notes(view, True, marks.unnamed(), marks.without_note())
    assert notes
    image_notes = map_image.drawn(view, "convicted", True, None, width).marks
    assert (image_notes.placement, image_notes.names) == (marks.placement, marks.names)
    flat = re.sub(r"\s+", " ", texts)
    for note in notes:
        assert note.split(" ")[0] in flat


def mark(key, x, y, r=10.0, name=None, note=""):
    return labels.Mark(key, name or key.title(), note, x, y, r)


def test_a_name_at_the_right_edge_goes_to_the_left_of_its_circle():
    placed = labels.place([mark("east", 390, 150)], 400, 300)
    (line,) = placed.lines
    assert line.anchor == "end" and line.dx < -10 and placed.unnamed == []


def test_the_larger_city_keeps_its_place_and_a_name_without_room_is_dropped_and_said():
    crowd = [mark("big", 100, 70, r=30, name="Almaty")]
    crowd += [mark(f"small{i}", 100, 70, r=5, name=f"Town {i}") for i in range(30)]
    placed = labels.place(crowd, 200, 140)
    named = {line.key for line in placed.lines}
    assert "big" in named and placed.unnamed and not named & set(placed.unnamed)
    assert len(named) + len(placed.unnamed) == len(crowd)


def test_notes_go_under_names_and_no_two_blocks_meet():
    marks = [mark(f"c{i}", 40 + 18 * i, 120 + (i % 2) * 12, r=6, note="1 acquitted") for i in range(8)]
    placed = labels.place(marks, 360, 300)
    boxes = []
    for line in placed.lines:
        m = next(m for m in marks if m.key == line.key)
        size = labels.NAME_PX if line.kind == "name" else labels.NOTE_PX
        w = labels.text_width(line.text, size)
        x0 = m.x + line.dx - (w if line.anchor == "end" else w / 2 if line.anchor == "middle" else 0)
        boxes.append((x0, m.y + line.dy - size / 2, x0 + w, m.y + line.dy + size / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not labels.overlaps(a, b)
    assert len(placed.lines) + len(placed.unnamed) + len(placed.without_note) >= 8


def test_long_names_are_cut_with_an_ellipsis_at_the_stated_width():
    name = "Ust-Kamenogorsk " * 20
    cut = labels.shortened(name, labels.NAME_PX)
    assert cut.endswith(labels.ELLIPSIS) and labels.text_width(cut, labels.NAME_PX) <= labels.MAX_TEXT_PX
    assert labels.shortened("Almaty", labels.NAME_PX) == "Almaty"


def test_a_tap_picks_the_nearest_city_within_a_finger_of_it():
    from matplotlib.path import Path

    from geo.views import viewport

    # Almaty's large circle and Konayev's small one just north of it, as on the shipped map
    view = {"longitude": 70.0, "latitude": 47.0, "zoom": 4.5}
    places = [("almaty", 76.9115, 43.25249, 38.0), ("konayev", 77.0, 43.87, 10.0)]
    areas = {key: Path(ring) for key, ring in viewport.pick_areas(places, view).items()}

    def picked(lon, lat):
        return [key for key, area in areas.items() if area.contains_point((lon, lat))]

    assert picked(76.9115, 43.25249) == ["almaty"]  # the centre of Almaty's circle
    assert picked(77.0, 43.87) == ["konayev"]
    port = viewport.Viewport.of(view, 800, 600)
    x, y = port.project(76.9115, 43.25249)
    assert picked(*port.unproject(float(x) + 30, float(y))) == ["almaty"]  # inside its circle, to the east
    assert picked(*port.unproject(float(x) + 60, float(y))) == []  # beyond its circle and a finger's reach
