"""The map as an image (PNG for print, SVG): drawn from the deck's rows, with a title stating the
filter, a key of circle sizes and a source line; the same from the command line and the Map page.

The images of the three filters below are also written to ``artifacts/map-images/`` to be looked at.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from PIL import Image

from geo.data.dataset import load_dataset
from geo.i18n import translation
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import citation, deck, descriptions, labels, legend, map_image, viewport
from geo.views.formats import day_text
from geo.views.marks import DEFAULT_WIDTH_PX, MAX_RADIUS_PX, MIN_RADIUS_PX, city_rows

from apptest_support import downloads, open_page, sample_env  # noqa: F401
from testdata import ROOT, SAMPLE, copy_dataset

ARTIFACTS = ROOT / "artifacts" / "map-images"
SVG = "{http://www.w3.org/2000/svg}"
#: The image at 1x is the page's map at its default width with margins around it.
PAGE_WIDTH_PX = DEFAULT_WIDTH_PX + 2 * map_image.MARGIN_PX
PRINT_WIDTH = PAGE_WIDTH_PX * map_image.PRINT_SCALE

#: name -> (filter, size_by, events): every decision; one city in one month; everything up to
#: the end of 2022, circles by decisions, without events.
FILTERS = {
    "all": (Filters(), "convicted", True),
    "almaty-2022-07": (Filters.of(date(2022, 7, 1), date(2022, 7, 31), ["almaty"]), "convicted", True),
    "to-2022-12-31-no-events": (Filters(end=date(2022, 12, 31)), "decisions", False),
}


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SAMPLE))


@pytest.fixture(scope="module")
def borders():
    return deck.borders_for_map(deck.load_borders(deck.borders_path(SAMPLE)))


def svg_texts(svg: bytes) -> list[str]:
    """The text of every <text> element (not the <title> or the metadata), one per drawn line."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


@pytest.fixture(scope="module")
def images(index, borders):
    """PNG and SVG of each filter, written to artifacts/map-images/ as well."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, (filters, size_by, events) in FILTERS.items():
        view = index.view(filters)
        png = map_image.map_png(view, size_by=size_by, events=events, borders=borders)
        svg = map_image.map_svg(view, size_by=size_by, events=events, borders=borders)
        (ARTIFACTS / f"{name}.png").write_bytes(png)
        (ARTIFACTS / f"{name}.svg").write_bytes(svg)
        made[name] = (view, png, svg)
    return made


@pytest.mark.parametrize("name", list(FILTERS))
def test_png_is_twice_the_screen_size(images, name, borders):
    view, png, _ = images[name]
    fig = map_image.map_figure(view, *FILTERS[name][1:], borders=borders)
    width, height = fig.get_size_inches() * fig.dpi
    assert png_size(png) == (round(width * 2), round(height * 2)) and png_size(png)[0] == PRINT_WIDTH == 1976


@pytest.mark.parametrize("name", list(FILTERS))
def test_svg_states_the_filter_the_source_and_the_cities(images, index, name):
    view, _, svg = images[name]
    texts = svg_texts(svg)
    title = descriptions.description(view)
    # the title is wrapped into lines at spaces: its lines put back together give the filter line
    assert title in " ".join(texts)
    source = citation.source_line(index.provenance)
    assert source in texts
    assert re.fullmatch(r"Data: .+ v\d+\.\d+\.\d+, from \d+ news reports; borders: Natural Earth", source)
    assert f"from {len(index.data.sources)} news reports" in source
    cities = city_rows(view.city_totals(), FILTERS[name][1], index.largest.get(FILTERS[name][1]))
    assert cities
    for row in cities:
        assert row["name"] in texts
    assert ET.fromstring(svg).get("width") == f"{PAGE_WIDTH_PX * map_image.PT:g}pt"


def test_titles_differ_by_filter_and_state_the_window(images):
    titles = {name: " ".join(svg_texts(svg)) for name, (_, _, svg) in images.items()}
    assert "Almaty, 1 Jul 2022 – 31 Jul 2022: 1 court decision, 1 person (1 convicted)" in titles["almaty-2022-07"]
    assert "All cities, 1 Jan 2022 – 31 Dec 2022:" in titles["to-2022-12-31-no-events"]
    assert "All cities, 1 Jan 2022 – " in titles["all"]


def test_key_states_circle_sizes_of_what_the_circles_count(images, index):
    texts = svg_texts(images["all"][2])
    largest = int(index.largest["convicted"])
    assert descriptions.size_key("convicted", largest) in texts
    assert "Events" in texts and descriptions.size_key("events", int(index.largest["events"])) in texts
    by_decisions = svg_texts(images["to-2022-12-31-no-events"][2])
    assert descriptions.size_key("decisions", int(index.largest["decisions"])) in by_decisions
    assert "Events" not in by_decisions and not any(t.endswith(" events") for t in by_decisions)


def test_key_values_are_round_and_decreasing():
    def values(largest, max_px=MAX_RADIUS_PX):
        return [v for v, _ in legend.size_keys(largest, max_px, MIN_RADIUS_PX)]

    assert values(87) == [87, 20, 5] and values(71) == [71, 20, 5] and values(66) == [66, 20, 5]
    assert values(1) == [1] and values(0) == [] and values(3) == [3, 1]
    # a key circle is kept only if it is visibly smaller than the one before (500 would be 4 px, as 2,000 is 4.5)
    assert values(10_000, max_px=10) == [10_000, 2_000]


def test_svg_is_the_same_bytes_twice(images, borders):
    view, _, svg = images["almaty-2022-07"]
    assert map_image.map_svg(view, borders=borders) == svg


def test_circles_are_the_decks_rows_on_their_cities(index, borders):
    """Each circle has the deck's radius and sits at its city, inside Kazakhstan as drawn; every
    name lies whole inside the map."""
    view = index.view()
    fig = map_image.map_figure(view, borders=borders)
    ax = fig.axes[1]  # the page, then the map
    cities = city_rows(view.city_totals(), "convicted", index.largest["convicted"])
    drawn = [c for c in ax.collections if isinstance(c, PathCollection)]
    circles = drawn[0]  # no mentions: cities first, then events
    # a marker's size is its area in points squared; at 1x a deck pixel is an image pixel
    radius_px = np.sqrt(circles.get_sizes()) / 2 * fig.dpi / 72
    assert fig.dpi == map_image.BASE_DPI
    assert list(radius_px) == pytest.approx([r["radius"] for r in cities])
    # where the page's deck puts them, in the pixels of the map the page draws at that width
    port = viewport.Viewport.of(deck.fitted_view(view, DEFAULT_WIDTH_PX), DEFAULT_WIDTH_PX, 560)
    x, y = port.project([r["position"][0] for r in cities], [r["position"][1] for r in cities])
    assert np.allclose(circles.get_offsets(), np.column_stack([x, y]))

    labels = ax.texts
    marks = map_image.drawn(view, "convicted", True, None, DEFAULT_WIDTH_PX).marks
    assert sorted(t.get_text() for t in labels) == sorted(line.text for line in marks.placement.lines)
    names = {line.text for line in marks.placement.lines if line.kind == "name"}
    assert {r["name"] for r in cities} <= names and any(line.kind == "note" for line in marks.placement.lines)
    fig.canvas.draw()  # places the labels' boxes
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for label in labels:
        box = label.get_bbox_patch().get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, label.get_text()


def test_mentions_are_drawn_and_keyed_when_shown(index, borders):
    from geo.query.aggregates import mention_totals

    view = index.view()
    shown = mention_totals(index.data.mentions, index.data.locations, ())
    assert len(shown)
    texts = svg_texts(map_image.map_svg(view, mentions=shown, borders=borders))
    assert "Article mentions" in texts
    assert descriptions.size_key("mentions", int(shown["mentions"].max())) in texts


HOSTILE = "$x$ $\\undefined$ <script>alert(1)</script>"


def test_hostile_names_are_drawn_as_typed(tmp_path, borders):
    """A name with TeX and HTML in it is text: no mathtext (which would fail on ``\\undefined``),
    no element made of it."""
    directory = copy_dataset(SAMPLE, tmp_path / "data")
    locations = pd.read_csv(directory / "locations.csv", dtype=str, keep_default_na=False)
    locations.loc[locations["location_id"] == "almaty", "name"] = HOSTILE
    locations.loc[locations["location_id"] == "shymkent", "name"] = "Шымкент-Өскемен $"
    locations.to_csv(directory / "locations.csv", index=False)
    index = DatasetIndex.build(load_dataset(directory))
    view = index.view(Filters.of(cities=["almaty", "shymkent"]))
    svg = map_image.map_svg(view, borders=borders)
    texts = svg_texts(svg)
    # cut to the labels' width on the map; whole in the label's <title>
    assert labels.shortened(HOSTILE, labels.NAME_PX) in texts and "Шымкент-Өскемен $" in texts
    assert HOSTILE in ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}title")]
    assert descriptions.description(view).startswith(f"{HOSTILE} and Шымкент-Өскемен $")
    assert descriptions.description(view) in " ".join(texts)
    assert not list(ET.fromstring(svg).iter(f"{SVG}script"))
    assert b"<script>" not in svg
    assert png_size(map_image.map_png(view, borders=borders))[0] == PRINT_WIDTH


def test_a_200_character_name_moves_nothing(tmp_path, borders, index):
    """A valid but very long name is cut with an ellipsis on the map; every circle and border
    stays where it is drawn with the shipped name, and no text covers another."""
    from svg_text_boxes import overlapping, text_boxes

    directory = copy_dataset(SAMPLE, tmp_path / "data")
    long_name = (Path(__file__).parent / "fixtures" / "hostile" / "long_city_name.txt").read_text().strip()
    assert len(long_name) == 200
    locations = pd.read_csv(directory / "locations.csv", dtype=str, keep_default_na=False)
    locations.loc[locations["location_id"] == "shymkent", "name"] = long_name
    locations.to_csv(directory / "locations.csv", index=False)
    long_view = DatasetIndex.build(load_dataset(directory)).view()
    fig_long = map_image.map_figure(long_view, borders=borders)
    fig_plain = map_image.map_figure(index.view(), borders=borders)
    long_map, plain_map = fig_long.axes[1], fig_plain.axes[1]
    for a, b in zip(long_map.collections, plain_map.collections, strict=True):
        assert np.allclose(a.get_offsets(), b.get_offsets())
    for a, b in zip(long_map.patches, plain_map.patches, strict=True):
        assert np.allclose(a.get_path().vertices, b.get_path().vertices)
    svg = map_image.map_svg(long_view, borders=borders)
    drawn = [t for t in svg_texts(svg) if t.endswith(labels.ELLIPSIS) and t[:8] == long_name[:8]]
    assert drawn and labels.text_width(drawn[0], labels.NAME_PX) <= labels.MAX_TEXT_PX
    assert overlapping(text_boxes(svg)) == []


def test_a_map_without_borders_or_cities_still_draws(index):
    view = index.view(Filters.of(date(2025, 12, 1), date(2025, 12, 31)))
    assert not len(view.city_totals())
    texts = svg_texts(map_image.map_svg(view, events=False))
    assert descriptions.description(view) in " ".join(texts)


# --- the command line ----------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "map", "--data-dir", str(SAMPLE), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_writes_the_png_of_a_city_and_month(tmp_path, images):
    out = tmp_path / "x.png"
    result = run_cli("--city", "almaty", "--from", "2022-07-01", "--to", "2022-07-31", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert png_size(out.read_bytes())[0] == PRINT_WIDTH
    assert descriptions.description(images["almaty-2022-07"][0]) in result.stdout


def test_cli_names_a_city_as_links_do_and_writes_svg_by_suffix(tmp_path, images):
    out = tmp_path / "map.svg"
    result = run_cli("--city", "Алма-Ата", "--from", "2022-07-01", "--to", "2022-07-31", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == images["almaty-2022-07"][2]


def test_cli_cumulative_by_decisions_without_events(tmp_path, images):
    out = tmp_path / "map.svg"
    result = run_cli("--to", "2022-12-31", "--size-by", "decisions", "--no-events", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == images["to-2022-12-31-no-events"][2]


def test_cli_refuses_an_unknown_city(tmp_path):
    out = tmp_path / "x.png"
    result = run_cli("--city", "almaty", "--city", "Atlantis", "--out", str(out))
    assert result.returncode == 2
    assert 'no place called "Atlantis"' in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (["--out", "map.jpg"], "--out must end in .png or .svg"),
        (["--from", "2022-08-01", "--to", "2022-07-01", "--out", "map.png"], "is after --to"),
        (["--from", "2022-02-30", "--out", "map.png"], "not a date of the form YYYY-MM-DD"),
    ],
)
def test_cli_refuses_bad_arguments(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "map", "--data-dir", str(SAMPLE), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert not list(Path(tmp_path).iterdir())


# --- the Map page --------------------------------------------------------------------------


@pytest.mark.usefixtures("sample_env")
def test_map_page_downloads_the_map_as_shown(downloads, index, borders):
    at = open_page("pages/map.py", {"city": ["almaty"], "period": ["2022-07-01", "2022-07-31"]})
    view = index.view(FILTERS["almaty-2022-07"][0])
    png = downloads.of(at.download_button(key="download_map_png"))
    assert png.file_name == "map_almaty_2022-07-01_2022-07-31_v1.0.0.png" and png.mime == "image/png"
    assert png_size(png.data)[0] == PRINT_WIDTH
    svg = downloads.of(at.download_button(key="download_map_svg"))
    assert svg.mime == "image/svg+xml"
    assert svg.data == map_image.map_svg(view, borders=borders)

    at.radio(key="size").set_value("decisions").run()
    at.toggle(key="show_events").set_value(False).run()
    svg = downloads.of(at.download_button(key="download_map_svg"))
    assert svg.data == map_image.map_svg(view, size_by="decisions", events=False, borders=borders)


def test_projection_is_web_mercator():
    # EPSG:3857 puts 45° N at 5,621,521.486 m on a sphere of 6,378,137 m
    x, y = viewport.mercator_many([0.0, 180.0], [45.0, 0.0])
    # deck.gl's zoom-0 pixels: the world 512 wide, the equator at 256, y growing southwards
    metres = (256 - y[0]) / 512 * 2 * np.pi * 6_378_137
    assert metres == pytest.approx(5_621_521.486, abs=0.01)
    assert y[1] == pytest.approx(256, abs=1e-9)
    assert x[1] == pytest.approx(512)


# --- in the reader's language --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_image_speaks_the_views_language(index, borders, lang):
    tr = translation(lang)
    view = index.view(Filters.of(date(2022, 7, 1), date(2022, 7, 31), ["almaty"]), lang)
    texts = svg_texts(map_image.map_svg(view, borders=borders))
    english = svg_texts(map_image.map_svg(index.view(view.filters), borders=borders))
    # the title: the filter line in that language, wrapped into the image's first lines
    title = descriptions.description(view)
    lines = map_image.title_lines(title, DEFAULT_WIDTH_PX)
    assert " ".join(lines) == title and all(line in texts for line in lines)
    assert not any(line in english for line in lines)
    assert title.startswith("Алматы")  # the city's name in Russian and in Kazakh
    assert day_text(date(2022, 7, 31), lang) in title and "Jul" not in " ".join(texts)
    # the key, the legend and the source line, from the catalog
    assert descriptions.size_key("convicted", int(index.largest["convicted"]), lang) in texts
    assert tr.gettext("Court decisions") in texts and tr.gettext("Borders") in texts
    source = citation.source_line(index.provenance, lang)
    assert source in texts and source not in english
    assert source.startswith({"ru": "Данные: ", "kk": "Деректер: "}[lang])
    # city names as the deck draws them in that language
    for row in city_rows(view.city_totals(), "convicted", index.largest.get("convicted"), lang=lang):
        assert row["name"] in texts
    assert "Almaty" not in texts


def test_cli_draws_in_the_language_asked(tmp_path, index, borders):
    out = tmp_path / "map.svg"
    result = run_cli(
        "--city", "almaty", "--from", "2022-07-01", "--to", "2022-07-31", "--lang", "kk", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    view = index.view(Filters.of(date(2022, 7, 1), date(2022, 7, 31), ["almaty"]), "kk")
    assert out.read_bytes() == map_image.map_svg(view, borders=borders)
    assert descriptions.description(view) in result.stdout
    assert run_cli("--lang", "fr", "--out", str(out)).returncode == 2


def test_cli_draws_the_map_at_a_phones_width(tmp_path):
    out = tmp_path / "phone.png"
    result = run_cli("--width", "358", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert png_size(out.read_bytes())[0] == (358 + 2 * map_image.MARGIN_PX) * map_image.PRINT_SCALE
    assert run_cli("--width", "20", "--out", str(out)).returncode == 2
