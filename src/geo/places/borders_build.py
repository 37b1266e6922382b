"""Build ``borders.geojson``, the map's country outlines, from Natural Earth's TopoJSON in ``world-atlas``."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORLD_ATLAS_VERSION = "2.0.2"
#: SHA-256 of ``world-atlas-2.0.2.tgz`` as ``npm pack`` fetched it when the shipped file was
#: built. A different tarball only earns a warning: the output is what gets reviewed.
WORLD_ATLAS_TGZ_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
SCALE = "50m"

KAZAKHSTAN = "398"

#: ISO 3166-1 numeric code -> (role, Russian name). The English name comes from the source.
#: "neighbour": shares a land border with Kazakhstan. "context": no border, but has land
#: inside the clipping box; left out, it would show as a hole in the land, which looks like
#: sea on a map without a basemap. ``build_collection`` fails if the box holds a unit with
#: at least ``MIN_CONTEXT_AREA`` that is not listed here, so moving the box cannot silently
#: open a hole.
COUNTRIES: dict[str, tuple[str, str]] = {
    "398": ("kazakhstan", "Казахстан"),
    "643": ("neighbour", "Россия"),
    "156": ("neighbour", "Китай"),
    "417": ("neighbour", "Киргизия"),
    "860": ("neighbour", "Узбекистан"),
    "795": ("neighbour", "Туркмения"),
    "496": ("context", "Монголия"),
    "762": ("context", "Таджикистан"),
    "004": ("context", "Афганистан"),
    "364": ("context", "Иран"),
    "031": ("context", "Азербайджан"),
    "268": ("context", "Грузия"),
    "051": ("context", "Армения"),
    "586": ("context", "Пакистан"),
    "368": ("context", "Ирак"),
}

#: (min lon, min lat, max lon, max lat). The box keeps Turkmenistan whole and the Caucasus east
#: of Turkey, and roughly covers what a ~800 x 500 px map centred on Kazakhstan shows at zoom 4;
#: beyond it the map is blank.
DEFAULT_BBOX = (45.0, 35.0, 96.0, 60.0)

#: Units with less land than this (square degrees) inside the box may be left out: at the
#: default box, India's and the Siachen Glacier's corner of Kashmir at the bottom edge, which
#: would otherwise bring in two more units for a notch at the edge.
MIN_CONTEXT_AREA = 0.5

#: ``shapely.coverage_simplify`` tolerance, in degrees. It is not a distance bound like
#: Douglas-Peucker's (roughly, triangles of less than its square in area go), so it was chosen
#: by measuring: the README's "Borders" section has the figures and the command that gives them.
DEFAULT_TOLERANCE = 0.05

#: Decimal places kept in coordinates: 0.01 degree (about 1 km) is a fraction of what the
#: simplification already moves, and every coordinate costs two characters fewer than at 1e-4.
DEFAULT_PRECISION = 2


class BuildError(Exception):
    """The source or the result is not what the map needs; the message says why."""


# --------------------------------------------------------------------------------------
# TopoJSON -> GeoJSON (pure Python: no shapely needed to decode)
# --------------------------------------------------------------------------------------


def decode_arcs(topology: Mapping[str, Any]) -> list[list[list[float]]]:
    """Absolute coordinates of every arc of ``topology``.

    With a ``transform`` the arcs are *quantized* and *delta-encoded*: each arc's first
    position is an integer offset from (0, 0), each further one an offset from the previous
    position; ``x * scale + translate`` turns the running sum into degrees. Without a
    transform, positions are absolute already.
    """
    transform = topology.get("transform")
    arcs = topology.get("arcs", [])
    if not transform:
        return [[[float(p[0]), float(p[1])] for p in arc] for arc in arcs]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in arcs:
        x = y = 0
        points = []
        for p in arc:
            x += p[0]  # sum integers first, scale after: no float drift along long arcs
            y += p[1]
            points.append([x * sx + tx, y * sy + ty])
        decoded.append(points)
    return decoded


def _position(topology: Mapping[str, Any], p: list[float]) -> list[float]:
    """A Point/MultiPoint position: quantized (when there is a transform) but NOT delta-encoded."""
    transform = topology.get("transform")
    if not transform:
        return [float(p[0]), float(p[1])]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    return [p[0] * sx + tx, p[1] * sy + ty]


def _line(arcs: list[list[list[float]]], indices: Iterable[int]) -> list[list[float]]:
    """Stitch arcs into one line. Index ``i < 0`` means arc ``~i`` (= ``-i - 1``) reversed.

    Consecutive arcs share their joining position, so each arc after the first drops its
    first position.
    """
    points: list[list[float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def decode_geometry(
    topology: Mapping[str, Any], geometry: Mapping[str, Any], arcs: list[list[list[float]]]
) -> dict[str, Any] | None:
    """One TopoJSON geometry object -> a GeoJSON geometry (``None`` for a null geometry)."""
    kind = geometry.get("type")
    a = geometry.get("arcs")
    if kind is None:
        return None
    if kind == "Point":
        return {"type": "Point", "coordinates": _position(topology, geometry["coordinates"])}
    if kind == "MultiPoint":
        coords = [_position(topology, p) for p in geometry["coordinates"]]
        return {"type": "MultiPoint", "coordinates": coords}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": _line(arcs, a or [])}
    if kind == "MultiLineString":
        return {"type": "MultiLineString", "coordinates": [_line(arcs, line) for line in a or []]}
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_line(arcs, ring) for ring in a or []]}
    if kind == "MultiPolygon":
        polygons = [[_line(arcs, ring) for ring in polygon] for polygon in a or []]
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind == "GeometryCollection":
        members = [decode_geometry(topology, g, arcs) for g in geometry.get("geometries", [])]
        return {"type": "GeometryCollection", "geometries": [g for g in members if g]}
    raise ValueError(f"unknown TopoJSON geometry type: {kind!r}")


def topology_features(topology: Mapping[str, Any], object_name: str) -> list[dict[str, Any]]:
    """``topology.objects[object_name]`` as a list of GeoJSON Features (like topojson-client's
    ``feature()``). A GeometryCollection gives one Feature per member; ``id`` is kept."""
    if topology.get("type") != "Topology":
        raise ValueError("not a TopoJSON Topology")
    obj = topology["objects"][object_name]
    arcs = decode_arcs(topology)
    members = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    features = []
    for g in members:
        feature: dict[str, Any] = {"type": "Feature"}
        if "id" in g:
            feature["id"] = g["id"]
        feature["properties"] = dict(g.get("properties") or {})
        feature["geometry"] = decode_geometry(topology, g, arcs)
        features.append(feature)
    return features


# --------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------


def load_topology(path: Path) -> tuple[dict[str, Any], str]:
    """Read ``countries-50m.json`` from the npm tarball, or a TopoJSON file as is.

    Returns the topology and the scale label ("50m", ...) for the ``source`` property.
    """
    if path.name.endswith((".tgz", ".tar.gz")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != WORLD_ATLAS_TGZ_SHA256:
            print(
                f"warning: {path.name} sha256 {digest} differs from the one the shipped file "
                f"was built from ({WORLD_ATLAS_TGZ_SHA256})",
                file=sys.stderr,
            )
        with tarfile.open(path, "r:gz") as tar:
            package = tar.extractfile("package/package.json")
            meta = json.load(package) if package else {}
            if meta.get("name") != "world-atlas" or meta.get("version") != WORLD_ATLAS_VERSION:
                raise BuildError(
                    f"{path}: expected world-atlas {WORLD_ATLAS_VERSION}, found "
                    f"{meta.get('name')} {meta.get('version')}"
                )
            member = tar.extractfile(f"package/countries-{SCALE}.json")
            if member is None:
                raise BuildError(f"{path}: no package/countries-{SCALE}.json")
            return json.load(io.TextIOWrapper(member, encoding="utf-8")), SCALE
    m = re.search(r"(\d+m)\b", path.name)
    scale = m.group(1) if m else SCALE
    if scale != SCALE:
        print(f"note: {path.name} looks like 1:{scale}; labelling it so", file=sys.stderr)
    return json.loads(path.read_text(encoding="utf-8")), scale


# --------------------------------------------------------------------------------------
# Selection, clipping, simplification, output (shapely is imported here only)
# --------------------------------------------------------------------------------------


def _polygons(geom: Any) -> list[Any]:
    """The polygons inside any shapely geometry (drops points/lines a clip may leave)."""
    from shapely.geometry import MultiPolygon, Polygon  # noqa: PLC0415 -- the `borders` extra only

    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):  # GeometryCollection
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _round_coords(obj: Any, ndigits: int) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(c), ndigits) + 0.0 for c in obj]  # + 0.0: no "-0.0"
        return [_round_coords(o, ndigits) for o in obj]
    return obj


def _canonical_ring(ring: list[list[float]]) -> list[list[float]]:
    """Start a closed ring at its smallest (lon, lat) vertex, keeping its direction.

    Where GEOS starts a ring after an intersection is an implementation detail; fixing
    the start keeps the output stable across shapely/GEOS versions, not only across runs.
    """
    body = ring[:-1]
    start = min(range(len(body)), key=lambda i: (body[i][0], body[i][1]))
    body = body[start:] + body[:start]
    return body + [body[0]]


@dataclass(frozen=True)
class Stats:
    """What a build did, for the command's summary line and the README's figures."""

    features: int
    clipped_vertices: int
    vertices: int
    #: the largest Hausdorff distance between a country clipped and as written, in degrees
    max_shift: float


def vertex_count(collection: Mapping[str, Any]) -> int:
    """Positions in all rings of a FeatureCollection of (Multi)Polygons, closing ones included."""
    total = 0
    for f in collection["features"]:
        g = f["geometry"]
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        total += sum(len(ring) for polygon in polygons for ring in polygon)
    return total


def build_collection(
    features: list[dict[str, Any]],
    *,
    scale: str = SCALE,
    countries: Mapping[str, tuple[str, str]] = COUNTRIES,
    bbox: tuple[float, float, float, float] = DEFAULT_BBOX,
    tolerance: float = DEFAULT_TOLERANCE,
    precision: int = DEFAULT_PRECISION,
) -> tuple[dict[str, Any], Stats]:
    """Select, clip, simplify as one coverage, round and orient; return the FeatureCollection.

    Simplifying each country on its own would move a shared border differently on its two
    sides (gaps and overlaps); ``coverage_simplify`` simplifies each shared edge once, for
    both. Rounding afterwards is pointwise, so equal vertices stay equal; the result is then
    checked to be valid, and still a coverage, rather than trusted.
    """
    # shapely comes with the `borders` extra only; decoding (above) must work without it.
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415
    from shapely.geometry import MultiPolygon, box, mapping, shape  # noqa: PLC0415
    from shapely.geometry.polygon import orient  # noqa: PLC0415

    if not hasattr(shapely, "coverage_simplify"):
        raise BuildError(f"shapely {shapely.__version__} has no coverage_simplify: the build needs shapely>=2.1")
    by_id = {f.get("id"): f for f in features}
    missing = sorted(set(countries) - set(by_id))
    if missing:
        raise BuildError(f"countries missing from the source: {missing}")

    clip = box(*bbox)
    # Completeness: every unit with real land in the box must be listed (see COUNTRIES).
    for f in features:
        if f.get("id") in countries or not f["geometry"]:
            continue
        geom = shape(f["geometry"])
        if geom.intersects(clip):
            area = shapely.make_valid(geom).intersection(clip).area
            if area >= MIN_CONTEXT_AREA:
                raise BuildError(
                    f"{f.get('id')} {f['properties'].get('name')} has {area:.2f} square "
                    f"degrees inside {bbox} but is not listed: add it, or move the box"
                )

    isos = list(countries)
    clipped = []
    for iso in isos:
        f = by_id[iso]
        geom = shape(f["geometry"])
        if not geom.is_valid:  # Russia is, at 1:50m: a self-intersection near 129E 71N
            geom = shapely.make_valid(geom)
        parts = _polygons(geom.intersection(clip))
        if not parts:
            raise BuildError(f"{iso} {f['properties'].get('name')}: nothing left inside {bbox}")
        clipped.append(MultiPolygon(parts))
    coverage = np.array(clipped, dtype=object)
    if not shapely.coverage_is_valid(coverage):
        raise BuildError("the clipped countries overlap or their shared borders differ: not a coverage")
    clipped_vertices = int(shapely.get_num_coordinates(coverage).sum())

    simplified = shapely.coverage_simplify(coverage, tolerance) if tolerance > 0 else coverage
    rounded = shapely.remove_repeated_points(shapely.set_precision(simplified, 10.0**-precision, mode="pointwise"))
    for iso, geom in zip(isos, rounded):
        if not geom.is_valid:
            raise BuildError(
                f"{iso}: invalid after simplifying (tolerance {tolerance}) and rounding "
                f"({precision} decimals): {shapely.is_valid_reason(geom)}"
            )
    if not shapely.coverage_is_valid(rounded):
        raise BuildError(
            f"tolerance {tolerance}, precision {precision}: the countries overlap or leave gaps "
            "between them once rounded"
        )

    max_shift = float(shapely.hausdorff_distance(coverage, rounded).max())
    source = f"Natural Earth 1:{scale} via world-atlas {WORLD_ATLAS_VERSION}"
    out: list[dict[str, Any]] = []
    for iso, geom in zip(isos, rounded):
        parts = [orient(p, sign=1.0) for p in _polygons(geom)]
        # Parts in a fixed order, independent of GEOS internals: largest first.
        parts.sort(key=lambda p: (-round(p.area, 9), p.bounds))
        role, name_ru = countries[iso]
        out.append(
            {
                "type": "Feature",
                "id": iso,
                "properties": {
                    "iso_n3": iso,
                    "name": by_id[iso]["properties"]["name"],
                    "name_ru": name_ru,
                    "is_kazakhstan": iso == KAZAKHSTAN,
                    "role": role,
                    "source": source,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [_canonical_ring(ring) for ring in polygon]
                        for polygon in _round_coords(mapping(MultiPolygon(parts))["coordinates"], precision)
                    ],
                },
            }
        )
    out.sort(key=lambda f: (f["properties"]["is_kazakhstan"], f["properties"]["iso_n3"]))
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": out}
    return collection, Stats(len(out), clipped_vertices, vertex_count(collection), max_shift)


def dumps(collection: Mapping[str, Any]) -> str:
    """Stable text: compact JSON, one feature per line (readable diffs), UTF-8, final newline."""

    def compact(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    lines = ",\n".join(compact(f) for f in collection["features"])
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


def build(
    source: Path, *, tolerance: float = DEFAULT_TOLERANCE, precision: int = DEFAULT_PRECISION
) -> tuple[bytes, Stats]:
    """The bytes of ``borders.geojson`` built from ``source`` (a tarball or a TopoJSON file)."""
    topology, scale = load_topology(source)
    collection, stats = build_collection(
        topology_features(topology, "countries"), scale=scale, tolerance=tolerance, precision=precision
    )
    return dumps(collection).encode("utf-8"), stats
