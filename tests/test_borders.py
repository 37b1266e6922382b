"""The shipped ``data/borders.geojson`` and the TopoJSON decoder of ``scripts/build_borders.py``.

Runs with the ``test`` extra only: no shapely, no npm, no network. Geometry checks (point in
polygon, ring orientation) are done by hand below.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BORDERS = REPO / "data" / "borders.geojson"
SCRIPT = REPO / "scripts" / "build_borders.py"

#: The 1:50m file for this region is ~100 KB; 10m would be several times that.
MAX_BYTES = 250_000

REQUIRED_PROPERTIES = {"iso_n3", "name", "name_ru", "is_kazakhstan", "source"}
KAZAKHSTAN = "398"
NEIGHBOURS = {
    "643": "Russia",
    "156": "China",
    "417": "Kyrgyzstan",
    "860": "Uzbekistan",
    "795": "Turkmenistan",
}

#: (lat, lon), as in data/locations.csv.
CITIES = {
    "Almaty": (43.25249, 76.9115),
    "Astana": (51.1801, 71.44598),
    "Shymkent": (42.30988, 69.60042),
    "Aktobe": (50.27969, 57.20718),
    "Ust-Kamenogorsk": (49.97143, 82.60586),
    "Kostanay": (53.21435, 63.62463),
    "Zhanaozen": (43.34116, 52.86192),
}
#: Cities just across the border: a point-in-polygon that says "inside" to everything fails here.
OUTSIDE_KAZAKHSTAN = {
    "Bishkek": ((42.87, 74.59), "417"),
    "Tashkent": ((41.31, 69.28), "860"),
    "Orenburg": ((51.77, 55.10), "643"),
    "Omsk": ((54.99, 73.37), "643"),
    "Urumqi": ((43.83, 87.62), "156"),
}


# ------------------------------------------------------------------ helpers (pure Python)


def load_script():
    spec = importlib.util.spec_from_file_location("build_borders", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ring_contains(ring: list[list[float]], x: float, y: float) -> bool:
    """Ray casting: count crossings of a ray from (x, y) towards +x with the ring's edges."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def multipolygon_contains(coordinates, lon: float, lat: float) -> bool:
    """Inside some polygon's exterior ring and none of its holes (even-odd over its rings)."""
    return any(
        sum(ring_contains(ring, lon, lat) for ring in polygon) % 2 == 1 for polygon in coordinates
    )


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace; positive for a counter-clockwise ring in lon/lat."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def bbox(coordinates) -> tuple[float, float, float, float]:
    xs = [p[0] for polygon in coordinates for ring in polygon for p in ring]
    ys = [p[1] for polygon in coordinates for ring in polygon for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.fixture(scope="module")
def text() -> str:
    return BORDERS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def collection(text):
    return json.loads(text)


@pytest.fixture(scope="module")
def by_iso(collection):
    return {f["properties"]["iso_n3"]: f for f in collection["features"]}


@pytest.fixture(scope="module")
def kazakhstan(collection):
    matches = [f for f in collection["features"] if f["properties"]["is_kazakhstan"]]
    assert len(matches) == 1
    return matches[0]


# ------------------------------------------------------------------ the shipped file


def test_file_size_is_small():
    assert BORDERS.stat().st_size <= MAX_BYTES


def test_is_a_feature_collection_of_multipolygons(collection):
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) >= 6
    for f in collection["features"]:
        assert f["type"] == "Feature"
        geometry = f["geometry"]
        assert geometry["type"] == "MultiPolygon"
        assert geometry["coordinates"], f["properties"]["name"]
        for polygon in geometry["coordinates"]:
            assert polygon
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1], "ring not closed"
                for position in ring:
                    assert len(position) == 2
                    lon, lat = position
                    assert math.isfinite(lon) and math.isfinite(lat)
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                    assert round(lon, 4) == lon and round(lat, 4) == lat, "more than 4 decimals"


def test_every_feature_has_the_properties(collection):
    for f in collection["features"]:
        p = f["properties"]
        assert p.keys() >= REQUIRED_PROPERTIES, p
        assert isinstance(p["iso_n3"], str) and len(p["iso_n3"]) == 3 and p["iso_n3"].isdigit()
        assert f.get("id") == p["iso_n3"]
        assert isinstance(p["name"], str) and p["name"]
        assert isinstance(p["name_ru"], str) and any("а" <= c.lower() <= "я" for c in p["name_ru"])
        assert isinstance(p["is_kazakhstan"], bool)
        assert p["is_kazakhstan"] == (p["iso_n3"] == KAZAKHSTAN)
        assert p["source"] == "Natural Earth 1:50m via world-atlas 2.0.2"
    isos = [f["properties"]["iso_n3"] for f in collection["features"]]
    assert len(isos) == len(set(isos)), "a country appears twice"


def test_kazakhstan_once_and_neighbours_present(kazakhstan, by_iso):
    assert kazakhstan["properties"]["iso_n3"] == KAZAKHSTAN
    assert kazakhstan["properties"]["name"] == "Kazakhstan"
    assert kazakhstan["properties"]["name_ru"] == "Казахстан"
    for iso, name in NEIGHBOURS.items():
        assert by_iso[iso]["properties"]["name"] == name


def test_kazakhstan_bbox(kazakhstan):
    west, south, east, north = bbox(kazakhstan["geometry"]["coordinates"])
    for got, want in ((west, 46.5), (south, 40.5), (east, 87.4), (north, 55.5)):
        assert abs(got - want) <= 0.5, (west, south, east, north)


@pytest.mark.parametrize("city", sorted(CITIES))
def test_cities_are_inside_kazakhstan(kazakhstan, city):
    lat, lon = CITIES[city]
    assert multipolygon_contains(kazakhstan["geometry"]["coordinates"], lon, lat)


@pytest.mark.parametrize("city", sorted(OUTSIDE_KAZAKHSTAN))
def test_cities_across_the_border_are_not(kazakhstan, by_iso, city):
    (lat, lon), iso = OUTSIDE_KAZAKHSTAN[city]
    assert not multipolygon_contains(kazakhstan["geometry"]["coordinates"], lon, lat)
    assert multipolygon_contains(by_iso[iso]["geometry"]["coordinates"], lon, lat)


def test_rings_follow_the_right_hand_rule(collection):
    """RFC 7946: exterior rings counter-clockwise, holes clockwise."""
    for f in collection["features"]:
        for polygon in f["geometry"]["coordinates"]:
            assert signed_area(polygon[0]) > 0, f["properties"]["name"]
            for hole in polygon[1:]:
                assert signed_area(hole) < 0, f["properties"]["name"]


def test_file_is_in_the_scripts_stable_format(text, collection):
    """Sorted features (Kazakhstan last), one per line, no trailing spaces: what
    build_borders.dumps writes, so a rebuild from the same source is byte-identical."""
    keys = [
        (f["properties"]["is_kazakhstan"], f["properties"]["iso_n3"])
        for f in collection["features"]
    ]
    assert keys == sorted(keys)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert load_script().dumps(collection) == text


# ------------------------------------------------------------------ the decoder

#: Two unit squares side by side, quantized with scale 0.5 and translate (10, 20):
#: quantized x 0..2 is the left square, 2..4 the right one. Arc 0 is their shared edge
#: (2,0)->(2,2); the right square walks it backwards as ~0 == -1. All arcs delta-encoded.
TINY_TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {
        "squares": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "L", "properties": {"name": "left"}, "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "R", "properties": {"name": "right"}, "arcs": [[2, -1]]},
                {"type": "MultiPolygon", "id": "LR", "arcs": [[[0, 1]], [[2, ~0]]]},
                {"type": "Point", "id": "P", "coordinates": [4, 2]},
                {"type": "LineString", "id": "edge", "arcs": [-1]},
                {"type": None, "id": "nothing"},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],  # (2,0) (2,2)
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (2,2) (0,2) (0,0) (2,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (2,0) (4,0) (4,2) (2,2)
    ],
}
LEFT = [[11.0, 20.0], [11.0, 21.0], [10.0, 21.0], [10.0, 20.0], [11.0, 20.0]]
RIGHT = [[11.0, 20.0], [12.0, 20.0], [12.0, 21.0], [11.0, 21.0], [11.0, 20.0]]


@pytest.fixture(scope="module")
def script():
    # The decoder must import without shapely (which only the `borders` extra installs):
    # block it while the script is imported.
    mp = pytest.MonkeyPatch()
    mp.setitem(sys.modules, "shapely", None)
    try:
        module = load_script()
    finally:
        mp.undo()
    return module


def test_decode_arcs_undoes_quantization_and_delta_encoding(script):
    arcs = script.decode_arcs(TINY_TOPOLOGY)
    assert arcs[0] == [[11.0, 20.0], [11.0, 21.0]]
    assert arcs[2] == [[11.0, 20.0], [12.0, 20.0], [12.0, 21.0], [11.0, 21.0]]


def test_features_from_a_tiny_topology(script):
    features = {f["id"]: f for f in script.topology_features(TINY_TOPOLOGY, "squares")}
    assert features["L"]["properties"] == {"name": "left"}
    assert features["L"]["geometry"] == {"type": "Polygon", "coordinates": [LEFT]}
    # reversed shared arc: the right square closes back down the shared edge
    assert features["R"]["geometry"] == {"type": "Polygon", "coordinates": [RIGHT]}
    assert features["LR"]["geometry"] == {"type": "MultiPolygon", "coordinates": [[LEFT], [RIGHT]]}
    assert features["LR"]["properties"] == {}
    # points are quantized but not delta-encoded
    assert features["P"]["geometry"] == {"type": "Point", "coordinates": [12.0, 21.0]}
    assert features["edge"]["geometry"] == {
        "type": "LineString",
        "coordinates": [[11.0, 21.0], [11.0, 20.0]],
    }
    assert features["nothing"]["geometry"] is None
    # both squares are counter-clockwise, as drawn
    assert signed_area(LEFT) > 0 and signed_area(RIGHT) > 0


def test_topology_without_transform_is_read_as_absolute(script):
    topology = {
        "type": "Topology",
        "objects": {"tri": {"type": "Polygon", "arcs": [[0]]}},
        "arcs": [[[0.5, 0.5], [1.5, 0.5], [1.0, 1.5], [0.5, 0.5]]],
    }
    (feature,) = script.topology_features(topology, "tri")
    assert feature["geometry"]["coordinates"] == [[[0.5, 0.5], [1.5, 0.5], [1.0, 1.5], [0.5, 0.5]]]
    assert "id" not in feature


def test_not_a_topology_is_refused(script):
    with pytest.raises(ValueError):
        script.topology_features({"type": "FeatureCollection", "objects": {}}, "x")
