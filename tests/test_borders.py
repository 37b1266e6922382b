"""``data/borders.geojson`` as shipped, and its build (:mod:`geo.places.borders_build`,
``python -m geo borders``).

The shipped-file checks are pure Python (point in polygon, ring orientation and shared edges by
hand). The build is tested offline on ``tests/fixtures/borders/countries-grid.json``: fifteen
cells, one per country of ``COUNTRIES`` (Kazakhstan in the middle), in a brick layout whose middle
row is offset by half a cell, so that every place where three cells meet lies on the straight
side of one of them. Each shared edge is one TopoJSON arc, a curve with small noise on it.
Simplifying each cell on its own drops those meeting points from the cell they lie flat on, and
leaves gaps and overlaps; simplifying the cells as one coverage must not. A real
``world-atlas-2.0.2.tgz`` is used only when ``$WORLD_ATLAS_TGZ`` names one.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from geo.cli import main as geo_main
from geo.places import borders_build as bb

from testdata import SAMPLE

REPO = Path(__file__).resolve().parents[1]
BORDERS = REPO / "data" / "borders.geojson"
GRID = Path(__file__).parent / "fixtures" / "borders" / "countries-grid.json"

#: The shipped file is simplified for the map, whose JSON has a budget (tests/test_deck.py).
MAX_BYTES = 60_000

REQUIRED_PROPERTIES = {"iso_n3", "name", "name_ru", "is_kazakhstan", "role", "source"}
KAZAKHSTAN = "398"
NEIGHBOURS = {
    "643": "Russia",
    "156": "China",
    "417": "Kyrgyzstan",
    "860": "Uzbekistan",
    "795": "Turkmenistan",
}
#: Kazakhstan's only border that no other country shares is its Caspian coast, all of it in this
#: box (min lon, min lat, max lon, max lat).
CASPIAN = (46.5, 36.5, 54.8, 47.5)

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


def ring_contains(ring: list[list[float]], x: float, y: float) -> bool:
    """Ray casting: count crossings of a ray from (x, y) towards +x with the ring's edges."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def multipolygon_contains(coordinates, lon: float, lat: float) -> bool:
    """Inside some polygon's exterior ring and none of its holes (even-odd over its rings)."""
    return any(sum(ring_contains(ring, lon, lat) for ring in polygon) % 2 == 1 for polygon in coordinates)


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace; positive for a counter-clockwise ring in lon/lat."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def bbox(coordinates) -> tuple[float, float, float, float]:
    xs = [p[0] for polygon in coordinates for ring in polygon for p in ring]
    ys = [p[1] for polygon in coordinates for ring in polygon for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def edges(geometry) -> set[frozenset]:
    """Every edge of a (Multi)Polygon as the unordered pair of its end positions."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return {
        frozenset((tuple(a), tuple(b))) for polygon in polygons for ring in polygon for a, b in itertools.pairwise(ring)
    }


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
                    digits = bb.DEFAULT_PRECISION
                    assert round(lon, digits) == lon and round(lat, digits) == lat, f"more than {digits} decimals"


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
        assert p["role"] == (
            "kazakhstan" if p["is_kazakhstan"] else "neighbour" if p["iso_n3"] in NEIGHBOURS else "context"
        ), p
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


def test_file_is_in_the_builds_stable_format(text, collection):
    """Sorted features (Kazakhstan last), one per line, no trailing spaces: what
    borders_build.dumps writes, so a rebuild from the same source is byte-identical."""
    keys = [(f["properties"]["is_kazakhstan"], f["properties"]["iso_n3"]) for f in collection["features"]]
    assert keys == sorted(keys)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert bb.dumps(collection) == text


def test_shared_borders_are_one_line(collection, kazakhstan):
    """Simplified as one coverage, a border two countries share has the same vertices on both
    sides, so its edges match exactly; simplified country by country, they would not."""
    by_country = {f["properties"]["iso_n3"]: edges(f["geometry"]) for f in collection["features"]}
    owners = Counter(e for es in by_country.values() for e in es)
    assert max(owners.values()) == 2  # no edge claimed by three countries
    kz = by_country[KAZAKHSTAN]
    for iso, name in NEIGHBOURS.items():
        assert kz & by_country[iso], f"no edge of Kazakhstan's border with {name} is also {name}'s"
    others = set().union(*(es for iso, es in by_country.items() if iso != KAZAKHSTAN))
    west, south, east, north = CASPIAN
    unshared = kz - others
    assert unshared  # the coast
    for edge in unshared:
        for lon, lat in edge:
            assert west <= lon <= east and south <= lat <= north, f"gap in Kazakhstan's land border at {lon}, {lat}"


def test_shipped_file_is_a_valid_coverage(collection):
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    geoms = [shape(f["geometry"]) for f in collection["features"]]
    assert all(g.is_valid for g in geoms)
    assert shapely.coverage_is_valid(geoms)


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


def test_decode_arcs_undoes_quantization_and_delta_encoding():
    arcs = bb.decode_arcs(TINY_TOPOLOGY)
    assert arcs[0] == [[11.0, 20.0], [11.0, 21.0]]
    assert arcs[2] == [[11.0, 20.0], [12.0, 20.0], [12.0, 21.0], [11.0, 21.0]]


def test_features_from_a_tiny_topology():
    features = {f["id"]: f for f in bb.topology_features(TINY_TOPOLOGY, "squares")}
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
    # both decoded squares are counter-clockwise, as drawn: the reversed arc kept the ring's turn
    assert all(signed_area(features[k]["geometry"]["coordinates"][0]) > 0 for k in ("L", "R"))


def test_topology_without_transform_is_read_as_absolute():
    topology = {
        "type": "Topology",
        "objects": {"tri": {"type": "Polygon", "arcs": [[0]]}},
        "arcs": [[[0.5, 0.5], [1.5, 0.5], [1.0, 1.5], [0.5, 0.5]]],
    }
    (feature,) = bb.topology_features(topology, "tri")
    assert feature["geometry"]["coordinates"] == [[[0.5, 0.5], [1.5, 0.5], [1.0, 1.5], [0.5, 0.5]]]
    assert "id" not in feature


def test_not_a_topology_is_refused():
    with pytest.raises(ValueError):
        bb.topology_features({"type": "FeatureCollection", "objects": {}}, "x")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)


def test_decoding_needs_no_shapely():
    """shapely comes with the `borders` extra only: the module and its decoder work without it."""
    result = run_python(
        "import sys; sys.modules['shapely'] = None\n"
        "from geo.places import borders_build as bb\n"
        f"topology, scale = bb.load_topology(__import__('pathlib').Path({str(GRID)!r}))\n"
        "print(len(bb.topology_features(topology, 'countries')), scale)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["15", "50m"]


def test_the_dashboard_never_imports_shapely():
    """Borders are simplified at build time: drawing the map, the dashboard's modules included, loads no shapely."""
    result = run_python(
        "import sys\n"
        "from geo.data.dataset import load_dataset\n"
        "from geo.data.paths import SHIPPED_DATA_DIR\n"
        "from geo.dashboard import loading, map_frame, page_chrome, sidebar, tables, url_state\n"
        "from geo.query.view import DatasetIndex\n"
        "from geo.views import deck\n"
        f"view = DatasetIndex.build(load_dataset({str(SAMPLE)!r})).view()\n"
        "borders = deck.borders_for_map(deck.load_borders(SHIPPED_DATA_DIR / 'borders.geojson'))\n"
        "spec = deck.deck_for(view.city_totals(), events=view.event_totals(), borders=borders).to_json()\n"
        "print(len(borders['features']), 'shapely' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["15", "False"]


# ------------------------------------------------------------------ the build, on the fixture


@pytest.fixture(scope="module")
def grid_features():
    topology, scale = bb.load_topology(GRID)
    assert scale == "50m"
    return bb.topology_features(topology, "countries")


def ring_of(feature) -> list[tuple[float, float]]:
    (polygon,) = feature["geometry"]["coordinates"]
    return [tuple(p) for p in polygon[0]]


def shared_run(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> tuple[list, list]:
    """The vertices of ring ``a`` on ring ``b``'s outline (within 1e-9 degree), in ``a``'s order
    from where the run starts, and the same stretch of ``b``'s outline as ``b`` has it, reversed
    (neighbours walk a shared border in opposite directions)."""
    from shapely.geometry import LineString, Point

    outline = LineString(b)
    on = [outline.distance(Point(p)) < 1e-9 for p in a[:-1]]
    assert any(on) and not all(on)
    n = len(on)
    start = next(i for i in range(n) if on[i] and not on[i - 1])
    run = []
    for k in range(n):
        if not on[(start + k) % n]:
            break
        run.append(a[(start + k) % n])
    body = b[:-1]
    if run[0] not in body or run[-1] not in body:  # b lacks the stretch's ends: no match
        return run, []
    i, j = body.index(run[0]), body.index(run[-1])
    stretch = [body[(j + k) % len(body)] for k in range((i - j) % len(body) + 1)]
    return run, stretch[::-1]


@pytest.fixture(scope="module")
def grid_build(grid_features):
    pytest.importorskip("shapely", minversion="2.1")
    return bb.build_collection(grid_features)


def test_fixture_is_a_coverage_that_per_country_simplification_breaks(grid_features):
    """The fixture has teeth: simplifying each cell on its own (shapely.simplify) at the same
    tolerance leaves overlaps and holes between the cells."""
    shapely = pytest.importorskip("shapely", minversion="2.1")
    from shapely.geometry import shape

    cells = [shape(f["geometry"]) for f in grid_features]
    assert shapely.coverage_is_valid(cells)
    apart = shapely.simplify(cells, bb.DEFAULT_TOLERANCE)
    union = shapely.union_all(apart)
    assert not shapely.coverage_is_valid(apart)
    assert sum(g.area for g in apart) - union.area > 1e-3  # overlaps
    assert union.interiors  # and gaps


def test_build_keeps_shared_edges_identical_between_neighbours(grid_build):
    shapely = pytest.importorskip("shapely", minversion="2.1")
    from shapely.geometry import shape

    collection, stats = grid_build
    assert stats.features == 15
    assert stats.vertices < stats.clipped_vertices / 2  # it did simplify
    assert 0 < stats.max_shift < 0.1
    by_iso = {f["id"]: f for f in collection["features"]}
    kz = ring_of(by_iso[KAZAKHSTAN])
    neighbours = [
        iso
        for iso, f in by_iso.items()
        if iso != KAZAKHSTAN and shape(f["geometry"]).intersection(shape(by_iso[KAZAKHSTAN]["geometry"])).length > 0
    ]
    assert len(neighbours) == 6  # two in the row, two above and two below, in the brick layout
    for iso in neighbours:
        run, theirs = shared_run(kz, ring_of(by_iso[iso]))
        assert len(run) >= 3, iso  # the curve kept some of its vertices
        assert run == theirs, iso
    cells = [shape(f["geometry"]) for f in collection["features"]]
    assert shapely.coverage_is_valid(cells)
    union = shapely.union_all(cells)
    assert union.geom_type == "Polygon" and not union.interiors  # no gap
    assert sum(c.area for c in cells) == pytest.approx(union.area, abs=1e-9)  # no overlap


def test_shared_run_sees_a_moved_vertex():
    """The comparison above can fail: one vertex of a shared edge moved on one side only."""
    pytest.importorskip("shapely")
    left = [(0.0, 0.0), (1.0, 0.0), (1.0, 0.5), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    right = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.5), (1.0, 0.0)]
    run, theirs = shared_run(left, right)
    assert run == theirs == [(1.0, 0.0), (1.0, 0.5), (1.0, 1.0)]
    moved = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.6), (1.0, 0.0)]
    run, theirs = shared_run(left, moved)
    assert run != theirs


def test_build_output_keeps_the_format(grid_build):
    collection, _ = grid_build
    text = bb.dumps(collection)
    assert text.count("\n") == len(collection["features"]) + 2
    assert collection["features"][-1]["properties"]["is_kazakhstan"] is True
    for f in collection["features"]:
        assert f.keys() == {"type", "id", "properties", "geometry"}
        assert f["properties"].keys() == REQUIRED_PROPERTIES
        for polygon in f["geometry"]["coordinates"]:
            assert signed_area(polygon[0]) > 0
            assert all(signed_area(hole) < 0 for hole in polygon[1:])
            for ring in polygon:
                assert all(round(c, bb.DEFAULT_PRECISION) == c for p in ring for c in p)


def test_build_refuses_a_country_the_box_would_lose(grid_features):
    """A unit with land in the box that COUNTRIES does not list would show as a hole: refused."""
    pytest.importorskip("shapely", minversion="2.1")
    extra = {
        "type": "Feature",
        "id": "999",
        "properties": {"name": "Elsewhere"},
        "geometry": {"type": "Polygon", "coordinates": [[[70, 50], [72, 50], [72, 52], [70, 52], [70, 50]]]},
    }
    with pytest.raises(bb.BuildError, match="999 Elsewhere"):
        bb.build_collection([*grid_features, extra])
    with pytest.raises(bb.BuildError, match="missing"):
        bb.build_collection(grid_features[1:])


def test_rounding_that_breaks_the_coverage_is_refused(grid_features):
    """Kept at 1e-4 after a tolerance-0 build the fixture is fine; rounded to whole degrees, the
    curves collapse and the build stops rather than write broken outlines."""
    pytest.importorskip("shapely", minversion="2.1")
    _, stats = bb.build_collection(grid_features, tolerance=0, precision=4)
    assert stats.vertices == stats.clipped_vertices
    with pytest.raises(bb.BuildError):
        bb.build_collection(grid_features, tolerance=0, precision=0)


def test_cli_is_deterministic_and_check_sees_a_difference(tmp_path, capsys):
    pytest.importorskip("shapely", minversion="2.1")
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    assert geo_main(["borders", str(GRID), "--out", str(a)]) == 0
    assert geo_main(["borders", str(GRID), "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert "15 features" in capsys.readouterr().out

    assert geo_main(["borders", str(GRID), "--out", str(a), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    changed = a.read_text(encoding="utf-8").replace("Kazakhstan", "Kazakstan", 1)
    a.write_text(changed, encoding="utf-8")
    assert geo_main(["borders", str(GRID), "--out", str(a), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert a.read_text(encoding="utf-8") == changed  # --check writes nothing
    missing = tmp_path / "none.geojson"
    assert geo_main(["borders", str(GRID), "--out", str(missing), "--check"]) == 1
    assert not missing.exists()


def test_cli_names_a_bad_source(tmp_path, capsys):
    bad = tmp_path / "countries-50m.json"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert geo_main(["borders", str(bad), "--out", str(tmp_path / "out.geojson")]) == 2
    assert "not a TopoJSON Topology" in capsys.readouterr().err
    assert not (tmp_path / "out.geojson").exists()


# ------------------------------------------------------------------ the build, on the real source


def test_shipped_file_is_what_the_real_source_builds():
    """Needs world-atlas-2.0.2.tgz (``npm pack world-atlas@2.0.2``) named by $WORLD_ATLAS_TGZ."""
    tarball = Path(os.environ.get("WORLD_ATLAS_TGZ", "")).expanduser()
    if not tarball.name or not tarball.is_file():
        pytest.skip("set WORLD_ATLAS_TGZ to world-atlas-2.0.2.tgz to rebuild from the real source")
    pytest.importorskip("shapely", minversion="2.1")
    assert geo_main(["borders", str(tarball), "--out", str(BORDERS), "--check"]) == 0
