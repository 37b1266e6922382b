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
from matplotlib.patches import PathPatch
from matplotlib.text import Annotation
from PIL import Image

from geo.data.dataset import load_dataset
from geo.i18n import translation
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import deck, map_image, present
from geo.views.present import day_text

from apptest_support import downloads, open_page, sample_env  # noqa: F401
from testdata import ROOT, SAMPLE, copy_dataset

ARTIFACTS = ROOT / "artifacts" / "map-images"
SVG = "{http://www.w3.org/2000/svg}"
PRINT_SIZE = (map_image.WIDTH_PX * map_image.PRINT_SCALE, map_image.HEIGHT_PX * map_image.PRINT_SCALE)

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
def test_png_is_twice_the_screen_size(images, name):
    _, png, _ = images[name]
    assert png_size(png) == PRINT_SIZE == (2000, 1900)


@pytest.mark.parametrize("name", list(FILTERS))
def test_svg_states_the_filter_the_source_and_the_cities(images, index, name):
    view, _, svg = images[name]
    texts = svg_texts(svg)
    title = present.description(view)
    # the title is wrapped into lines at spaces: its lines put back together give the filter line
    assert title in " ".join(texts)
    source = present.source_line(index.provenance)
    assert source in texts
    assert re.fullmatch(r"Data: .+ v\d+\.\d+\.\d+, from \d+ news reports; borders: Natural Earth", source)
    assert f"from {len(index.data.sources)} news reports" in source
    cities = deck.city_rows(view.city_totals(), FILTERS[name][1], index.largest.get(FILTERS[name][1]))
    assert cities
    for row in cities:
        assert row["name"] in texts
    assert ET.fromstring(svg).get("width") == f"{map_image.WIDTH_PX * map_image.PT:g}pt"


def test_titles_differ_by_filter_and_state_the_window(images):
    titles = {name: " ".join(svg_texts(svg)) for name, (_, _, svg) in images.items()}
    assert "Almaty, 1 Jul 2022 – 31 Jul 2022: 1 court decision, 1 person (1 convicted)" in titles["almaty-2022-07"]
    assert "All cities, 1 Jan 2022 – 31 Dec 2022:" in titles["to-2022-12-31-no-events"]
    assert "All cities, 1 Jan 2022 – " in titles["all"]


def test_key_states_circle_sizes_of_what_the_circles_count(images, index):
    texts = svg_texts(images["all"][2])
    largest = int(index.largest["convicted"])
    assert present.size_key("convicted", largest) in texts
    assert "Events" in texts and present.size_key("events", int(index.largest["events"])) in texts
    by_decisions = svg_texts(images["to-2022-12-31-no-events"][2])
    assert present.size_key("decisions", int(index.largest["decisions"])) in by_decisions
    assert "Events" not in by_decisions and not any(t.endswith(" events") for t in by_decisions)


def test_key_values_are_round_and_decreasing():
    assert map_image.key_values(71, deck.MAX_RADIUS_PX, deck.MIN_RADIUS_PX) == [71, 10, 2]
    assert map_image.key_values(1, deck.MAX_RADIUS_PX, deck.MIN_RADIUS_PX) == [1]
    assert map_image.key_values(0, deck.MAX_RADIUS_PX, deck.MIN_RADIUS_PX) == []
    assert map_image.nice_below(12.75) == 10 and map_image.nice_below(0.3) == 1 and map_image.nice_below(57) == 50


def test_svg_is_the_same_bytes_twice(images, borders):
    view, _, svg = images["almaty-2022-07"]
    assert map_image.map_svg(view, borders=borders) == svg


def test_circles_are_the_decks_rows_on_their_cities(index, borders):
    """Each circle has the deck's radius and sits at its city, inside Kazakhstan as drawn; every
    name lies whole inside the map."""
    view = index.view()
    fig = map_image.map_figure(view, borders=borders)
    ax = fig.axes[0]
    cities = deck.city_rows(view.city_totals(), "convicted", index.largest["convicted"])
    drawn = [c for c in ax.collections if isinstance(c, PathCollection)]
    circles = drawn[0]  # no mentions: cities first, then events
    # a marker's size is its area in points squared; at 1x a deck pixel is an image pixel
    radius_px = np.sqrt(circles.get_sizes()) / 2 * fig.dpi / 72
    assert fig.dpi == map_image.BASE_DPI
    assert list(radius_px) == pytest.approx([r["radius"] for r in cities])
    x, y = map_image.mercator([r["position"][0] for r in cities], [r["position"][1] for r in cities])
    assert np.allclose(circles.get_offsets(), np.column_stack([x, y]))

    kazakhstan = next(p for p in ax.patches if isinstance(p, PathPatch) and p.get_linewidth() > 1)
    labels = [t for t in ax.texts if isinstance(t, Annotation)]
    names = [r["name"] for r in deck.label_rows(cities, *_rest(view))]
    badges = [r["badge"] for r in deck.badge_rows(cities)]
    assert badges and sorted(t.get_text() for t in labels) == sorted(names + badges)
    fig.canvas.draw()  # places the labels' boxes
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for label in labels:
        point = ax.transData.transform(label.xy)
        assert kazakhstan.contains_point(point), label.get_text()
        box = label.get_bbox_patch().get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, label.get_text()


def _rest(view):
    return deck.event_rows(view.event_totals(), view.index.largest["events"]), []


def test_mentions_are_drawn_and_keyed_when_shown(index, borders):
    from geo.query.aggregates import mention_totals

    view = index.view()
    shown = mention_totals(index.data.mentions, index.data.locations, ())
    assert len(shown)
    texts = svg_texts(map_image.map_svg(view, mentions=shown, borders=borders))
    assert "Article mentions" in texts
    assert present.size_key("mentions", int(shown["mentions"].max())) in texts


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
    assert HOSTILE in texts and "Шымкент-Өскемен $" in texts
    assert present.description(view).startswith(f"{HOSTILE} and Шымкент-Өскемен $")
    assert present.description(view) in " ".join(texts)
    assert not list(ET.fromstring(svg).iter(f"{SVG}script"))
    assert b"<script>" not in svg
    assert png_size(map_image.map_png(view, borders=borders)) == PRINT_SIZE


def test_a_map_without_borders_or_cities_still_draws(index):
    view = index.view(Filters.of(date(2025, 12, 1), date(2025, 12, 31)))
    assert not len(view.city_totals())
    texts = svg_texts(map_image.map_svg(view, events=False))
    assert present.description(view) in " ".join(texts)


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
    assert png_size(out.read_bytes()) == PRINT_SIZE
    assert present.description(images["almaty-2022-07"][0]) in result.stdout


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
    assert png_size(png.data) == PRINT_SIZE
    svg = downloads.of(at.download_button(key="download_map_svg"))
    assert svg.mime == "image/svg+xml"
    assert svg.data == map_image.map_svg(view, borders=borders)

    at.radio(key="size").set_value("decisions").run()
    at.toggle(key="show_events").set_value(False).run()
    svg = downloads.of(at.download_button(key="download_map_svg"))
    assert svg.data == map_image.map_svg(view, size_by="decisions", events=False, borders=borders)


def test_projection_is_web_mercator():
    # EPSG:3857 puts 45° N at 5,621,521.486 m on a sphere of 6,378,137 m
    x, y = map_image.mercator([0.0, 180.0], [45.0, 0.0])
    assert y[0] * 6_378_137 == pytest.approx(5_621_521.486, abs=0.01)
    assert y[1] == pytest.approx(0, abs=1e-12)
    assert x[1] == pytest.approx(np.pi)


# --- in the reader's language --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_image_speaks_the_views_language(index, borders, lang):
    tr = translation(lang)
    view = index.view(Filters.of(date(2022, 7, 1), date(2022, 7, 31), ["almaty"]), lang)
    texts = svg_texts(map_image.map_svg(view, borders=borders))
    english = svg_texts(map_image.map_svg(index.view(view.filters), borders=borders))
    # the title: the filter line in that language, wrapped into the image's first lines
    title = present.description(view)
    lines = map_image.title_lines(title)
    assert " ".join(lines) == title and all(line in texts for line in lines)
    assert not any(line in english for line in lines)
    assert title.startswith("Алматы")  # the city's name in Russian and in Kazakh
    assert day_text(date(2022, 7, 31), lang) in title and "Jul" not in " ".join(texts)
    # the key, the legend and the source line, from the catalog
    assert present.size_key("convicted", int(index.largest["convicted"]), lang) in texts
    assert tr.gettext("Court decisions") in texts and tr.gettext("Borders") in texts
    source = present.source_line(index.provenance, lang)
    assert source in texts and source not in english
    assert source.startswith({"ru": "Данные: ", "kk": "Деректер: "}[lang])
    # city names as the deck draws them in that language
    for row in deck.city_rows(view.city_totals(), "convicted", index.largest.get("convicted"), lang=lang):
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
    assert present.description(view) in result.stdout
    assert run_cli("--lang", "fr", "--out", str(out)).returncode == 2
