#!/usr/bin/env python3
"""Build ``data/borders.geojson``: Kazakhstan and its surroundings, from Natural Earth.

The dashboard has no tile server to draw on, so it draws its own country outlines. This
script derives them from Natural Earth's Admin-0 countries (public domain), as packaged in
TopoJSON by the npm package ``world-atlas`` (ISC licence), and writes a small GeoJSON
FeatureCollection.

Regenerate (from the repository root; needs npm only to fetch the tarball)::

    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack world-atlas@2.0.2)          # -> $tmp/world-atlas-2.0.2.tgz
    .venv/bin/pip install 'shapely>=2.0,<3'            # the `borders` extra of pyproject.toml
    .venv/bin/python scripts/build_borders.py "$tmp/world-atlas-2.0.2.tgz"

The input may be the ``.tgz`` as downloaded (the ``countries-<scale>.json`` member is read
from it, without unpacking) or an already extracted ``countries-50m.json``. The script itself
never touches the network. ``--check`` rebuilds in memory and exits 1 if the shipped file
differs, without writing anything.

What it does:

1. Decodes the TopoJSON ``countries`` object to GeoJSON with the small pure-Python decoder
   below (``topology_features``).
2. Keeps the countries in ``COUNTRIES`` (Kazakhstan, its five neighbours, and the countries
   that would otherwise leave holes in the land inside the clipping box), clips each to
   ``DEFAULT_BBOX`` with shapely, snaps coordinates to a 1e-4 degree grid (~11 m; the source
   is quantized to ~0.0036 x 0.0017 degrees anyway), and orients rings counter-clockwise
   (exterior) / clockwise (holes) as RFC 7946 asks.
3. Writes one feature per line, Kazakhstan last (so that, drawn in file order, its outline
   lies on top of the shared borders), the others by ISO numeric code. Same input, same
   bytes.

Why one resolution for every country: all countries come from the same topology, so a shared
border is the very same arc on both sides. Mixing 1:50m (Kazakhstan) and 1:110m (the
neighbours) would draw two different lines for one border. No simplification is applied
for the same reason (shapely simplifies each polygon on its own, so shared borders would
drift apart), and because at 1:50m the whole file is already only ~100 KB.

Why our own decoder: PyPI's ``topojson`` package *encodes* GeoJSON to TopoJSON. The two
decoders found there were checked and not used: ``topo2geo`` 0.4.4 (2020) imports
``shapely.geometry.asShape``, which shapely 2 removed; ``pytopojson`` 1.1.2 (2022, no licence
on PyPI) pulls in numpy and installs a top-level package named ``bin``. A decoder is short
enough to write out below, following the specification
(https://github.com/topojson/topojson-specification).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "data" / "borders.geojson"

WORLD_ATLAS_VERSION = "2.0.2"
#: SHA-256 of ``world-atlas-2.0.2.tgz`` as ``npm pack`` fetched it when the shipped file was
#: built. A different tarball only earns a warning: the output is what gets reviewed.
WORLD_ATLAS_TGZ_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"

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

#: (min lon, min lat, max lon, max lat). Kazakhstan is lon 46.6-87.3, lat 40.6-55.4 in the
#: 1:50m data. The box keeps Turkmenistan whole (south to 35.1) and the Caucasus east of
#: Turkey (which ends at 44.8), and roughly covers what a ~800 x 500 px map centred on
#: Kazakhstan shows at zoom 4; beyond it the map is blank.
DEFAULT_BBOX = (45.0, 35.0, 96.0, 60.0)

#: Units with less land than this (square degrees) inside the box may be left out: at the
#: default box, India's and the Siachen Glacier's corner of Kashmir at the bottom edge
#: (~0.3 and ~0.2), which would otherwise bring in two more units for a notch at the edge.
MIN_CONTEXT_AREA = 0.5

#: Decimal places kept in coordinates (1e-4 degree is ~11 m).
DEFAULT_PRECISION = 4


# --------------------------------------------------------------------------------------
# TopoJSON -> GeoJSON (pure Python, no shapely: the tests import this part on its own)
# --------------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """Absolute coordinates of every arc of ``topology``.

    With a ``transform`` the arcs are *quantized* and *delta-encoded*: each arc's first
    position is an integer offset from (0, 0), each further one an offset from the previous
    position; ``x * scale + translate`` turns the running sum into degrees. Without a
    transform, positions are absolute already.
    """
    transform = topology.get("transform")
    arcs = topology.get("arcs", [])
    if not transform:
        return [[list(map(float, p[:2])) for p in arc] for arc in arcs]
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


def _position(topology: dict[str, Any], p: list[float]) -> list[float]:
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
    topology: dict[str, Any], geometry: dict[str, Any], arcs: list[list[list[float]]]
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
        return {"type": "LineString", "coordinates": _line(arcs, a)}
    if kind == "MultiLineString":
        return {"type": "MultiLineString", "coordinates": [_line(arcs, line) for line in a]}
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_line(arcs, ring) for ring in a]}
    if kind == "MultiPolygon":
        coords = [[_line(arcs, ring) for ring in polygon] for polygon in a]
        return {"type": "MultiPolygon", "coordinates": coords}
    if kind == "GeometryCollection":
        members = [decode_geometry(topology, g, arcs) for g in geometry.get("geometries", [])]
        return {"type": "GeometryCollection", "geometries": [g for g in members if g]}
    raise ValueError(f"unknown TopoJSON geometry type: {kind!r}")


def topology_features(topology: dict[str, Any], object_name: str) -> list[dict[str, Any]]:
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


def load_topology(path: Path, scale: str) -> tuple[dict[str, Any], str]:
    """Read ``countries-<scale>.json`` from the npm tarball, or a TopoJSON file as is.

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
            package = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
            if (
                package.get("name") != "world-atlas"
                or package.get("version") != WORLD_ATLAS_VERSION
            ):
                raise SystemExit(
                    f"{path}: expected world-atlas {WORLD_ATLAS_VERSION}, found "
                    f"{package.get('name')} {package.get('version')}"
                )
            member = tar.extractfile(f"package/countries-{scale}.json")
            assert member is not None
            return json.load(io.TextIOWrapper(member, encoding="utf-8")), scale
    m = re.search(r"(\d+m)\b", path.name)
    if m and m.group(1) != scale:
        print(f"note: {path.name} looks like 1:{m.group(1)}; labelling it so", file=sys.stderr)
        scale = m.group(1)
    return json.loads(path.read_text(encoding="utf-8")), scale


# --------------------------------------------------------------------------------------
# Selection, clipping, output (shapely is imported here only)
# --------------------------------------------------------------------------------------


def _polygons(geom: Any) -> list[Any]:
    """The polygons inside any shapely geometry (drops points/lines a clip may leave)."""
    from shapely.geometry import MultiPolygon, Polygon

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


def build_collection(
    features: list[dict[str, Any]],
    *,
    scale: str,
    bbox: tuple[float, float, float, float] = DEFAULT_BBOX,
    precision: int = DEFAULT_PRECISION,
) -> dict[str, Any]:
    """Select, clip, snap and orient; return the output FeatureCollection."""
    import shapely
    from shapely.geometry import MultiPolygon, box, mapping, shape
    from shapely.geometry.polygon import orient

    by_id = {f.get("id"): f for f in features}
    missing = sorted(set(COUNTRIES) - set(by_id))
    if missing:
        raise SystemExit(f"countries missing from the source: {missing}")

    clip = box(*bbox)
    # Completeness: every unit with real land in the box must be listed (see COUNTRIES).
    for f in features:
        if f.get("id") in COUNTRIES or not f["geometry"]:
            continue
        geom = shape(f["geometry"])
        if geom.intersects(clip):
            area = shapely.make_valid(geom).intersection(clip).area
            if area >= MIN_CONTEXT_AREA:
                raise SystemExit(
                    f"{f.get('id')} {f['properties'].get('name')} has {area:.2f} square degrees "
                    f"inside {bbox} but is not in COUNTRIES: add it, or move the box"
                )

    source = f"Natural Earth 1:{scale} via world-atlas {WORLD_ATLAS_VERSION}"
    grid = 10.0**-precision
    out = []
    for iso, (role, name_ru) in COUNTRIES.items():
        f = by_id[iso]
        geom = shape(f["geometry"])
        if not geom.is_valid:  # Russia is, at 1:50m: a self-intersection near 129E 71N
            geom = shapely.make_valid(geom)
        geom = geom.intersection(clip)
        # Snap to the output grid *with* shapely so the result stays valid (rounding the
        # numbers alone could make a ring touch itself); the rounding in _round_coords
        # below then only trims float noise such as 76.91760000000001.
        geom = shapely.set_precision(geom, grid)
        parts = [orient(p, sign=1.0) for p in _polygons(geom)]
        if not parts:
            raise SystemExit(f"{iso} {f['properties'].get('name')}: nothing left inside {bbox}")
        # Parts in a fixed order, independent of GEOS internals: largest first.
        parts.sort(key=lambda p: (-round(p.area, 9), p.bounds))
        multi = MultiPolygon(parts)
        if not multi.is_valid:
            raise SystemExit(
                f"{iso}: invalid geometry after clipping: {shapely.is_valid_reason(multi)}"
            )
        out.append(
            {
                "type": "Feature",
                "id": iso,
                "properties": {
                    "iso_n3": iso,
                    "name": f["properties"]["name"],
                    "name_ru": name_ru,
                    "is_kazakhstan": iso == KAZAKHSTAN,
                    "role": role,
                    "source": source,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [_canonical_ring(ring) for ring in polygon]
                        for polygon in _round_coords(mapping(multi)["coordinates"], precision)
                    ],
                },
            }
        )
    out.sort(key=lambda f: (f["properties"]["is_kazakhstan"], f["properties"]["iso_n3"]))
    return {"type": "FeatureCollection", "features": out}


def dumps(collection: dict[str, Any]) -> str:
    """Stable text: compact JSON, one feature per line (readable diffs), UTF-8, final newline."""

    def compact(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    lines = ",\n".join(compact(f) for f in collection["features"])
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="See the module docstring (or scripts/README.md) for the fetch commands.",
    )
    parser.add_argument(
        "input", type=Path, help="world-atlas-2.0.2.tgz, or an extracted countries-50m.json"
    )
    parser.add_argument(
        "--scale",
        default="50m",
        choices=["10m", "50m", "110m"],
        help="which countries-<scale>.json to read from the tarball (default: 50m)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write (default: {DEFAULT_OUTPUT.relative_to(REPO)})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if --output differs from what would be written",
    )
    args = parser.parse_args(argv)

    topology, scale = load_topology(args.input, args.scale)
    collection = build_collection(topology_features(topology, "countries"), scale=scale)
    text = dumps(collection)
    data = text.encode("utf-8")

    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output} is out of date (rebuilt: {len(data)} bytes)", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({len(data)} bytes)")
        return 0

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    names = ", ".join(f["properties"]["name"] for f in collection["features"])
    print(
        f"wrote {args.output} ({len(data)} bytes, {len(collection['features'])} features: {names})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
