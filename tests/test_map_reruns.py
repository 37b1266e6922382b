"""What a Map page rerun after a date change does not make again, and that what it makes instead is
the same: the borders' JSON (made once per collection), the places' pick areas (clipped only by the
places near enough to cut them), the notes' widths (measured once per length of their counts)."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import deck, labels, marks, viewport

from testdata import SAMPLE

WINDOWS = [Filters(start=date(2022, 1, 1), end=date(2022, 3, 31)), Filters(start=date(2022, 4, 1))]


@pytest.fixture(scope="module")
def index():
    return DatasetIndex.build(load_dataset(SAMPLE))


@pytest.fixture(scope="module")
def borders():
    return deck.borders_for_map(deck.load_borders(deck.borders_path(SAMPLE)))


def every_cut(places, view) -> dict[str, list[list[float]]]:
    """Pick areas clipped by every other place, as they were before the pruning."""
    s = 2.0 ** float(view["zoom"])
    x, y = viewport.mercator_many([p[1] for p in places], [p[2] for p in places])
    points = np.column_stack([x * s, y * s])
    corners = np.linspace(0, 2 * np.pi, viewport.PICK_SIDES, endpoint=False)
    out = {}
    for i, (key, *_rest, r) in enumerate(places):
        reach = max(float(r), viewport.PICK_RADIUS_PX) / np.cos(np.pi / viewport.PICK_SIDES)
        area = np.column_stack([points[i, 0] + reach * np.cos(corners), points[i, 1] + reach * np.sin(corners)])
        for j in range(len(places)):
            if j != i and not np.allclose(points[j], points[i]):
                area = viewport.nearer_part(area, points[i], points[j])
        if len(area) >= 3:
            out[key] = [
                [round(viewport.longitude_of(px / s), 3), round(viewport.latitude_of(py / s), 3)]
                for px, py in area.tolist()
            ]
    return out


@pytest.mark.parametrize("zoom", [3.0, 4.5, 7.0])
@pytest.mark.parametrize("seed", range(4))
def test_pick_areas_are_those_clipped_by_every_place(seed, zoom):
    rng = np.random.default_rng(seed)
    n = 60  # crowded in the south, sparse in the north, as the court cities are; two on one spot
    lon = np.concatenate([rng.uniform(66, 80, n // 2), rng.uniform(50, 87, n // 2)])
    lat = np.concatenate([rng.uniform(41, 44, n // 2), rng.uniform(44, 55, n // 2)])
    lon[1], lat[1] = lon[0], lat[0]
    places = [(f"p{i}", float(lon[i]), float(lat[i]), float(rng.uniform(4, 38))) for i in range(n)]
    view = {"longitude": 67.0, "latitude": 48.0, "zoom": zoom}
    assert viewport.pick_areas(places, view) == every_cut(places, view)


def test_the_borders_go_out_whole_and_their_json_is_made_once(index, borders):
    view = index.view()
    first = deck.deck_for(view.city_totals(), events=view.event_totals(), borders=borders, largest=index.largest)
    spec = json.loads(first.to_json())
    [layer] = [layer for layer in spec["layers"] if layer["id"] == "borders"]
    assert layer["data"] == json.loads(json.dumps(borders))
    before = deck._borders_json.cache_info()
    for window in WINDOWS:
        moved = index.view(window)
        text = deck.deck_for(
            moved.city_totals(), events=moved.event_totals(), borders=borders, largest=index.largest
        ).to_json()
        assert json.loads(text)["layers"][0]["data"] == layer["data"]
    after = deck._borders_json.cache_info()
    assert (after.misses, after.hits) == (before.misses, before.hits + len(WINDOWS))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_digits_are_as_wide_as_zeros_in_both_fonts(lang):
    rng = np.random.default_rng(7)
    for _ in range(40):
        acquitted, posthumous = (int(x) for x in rng.integers(0, 10 ** int(rng.integers(1, 7)), 2))
        note = marks.outcome_badge(SimpleNamespace(acquitted=acquitted + 1, posthumous=posthumous), lang)
        for size in (labels.NOTE_PX, labels.NAME_PX):
            zeros = "".join("0" if c.isdigit() else c for c in note)
            assert labels.measured_width(note, size) == labels.measured_width(zeros, size), note


def test_a_note_whose_counts_change_is_not_measured_again():
    labels.text_width("12 acquitted, 3 posthumous", labels.NOTE_PX)
    before = labels.measured_width.cache_info().misses
    for note in ("47 acquitted, 9 posthumous", "80 acquitted, 1 posthumous"):
        labels.text_width(note, labels.NOTE_PX)
    assert labels.measured_width.cache_info().misses == before
