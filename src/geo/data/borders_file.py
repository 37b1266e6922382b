"""``borders.geojson`` as untrusted input: the country outlines the map draws.

A data directory may carry its own ``borders.geojson`` (else the shipped one is drawn). Before
the map uses it, it must be a regular file of at most :data:`geo.data.safe_files.MAX_BORDERS_BYTES`,
UTF-8 JSON that the parser can nest, and a FeatureCollection of at most :data:`MAX_FEATURES`
Features whose geometry is a Polygon or MultiPolygon (what :func:`geo.views.deck.borders_for_map`
draws) of closed rings of at least four positions, each two or three finite numbers with the
longitude in [-180, 180] and the latitude in [-90, 90], at most :data:`MAX_POSITIONS` in all.
``name`` and ``name_ru`` are text (or absent), ``is_kazakhstan`` a boolean. Every problem is a
located :class:`geo.data.validate.Problem`, e.g. ``borders.geojson:1:210: features[0].geometry: is
null; …``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from geo.data import jsonfile, safe_files
from geo.data.problems import Report

BORDERS = "borders.geojson"
MAX_FEATURES = 1_000
MAX_POSITIONS = 2_000_000
MAX_PROBLEMS = 20  # per file: the first ones say what is wrong
MAX_NAME = 200
GEOMETRIES = ("Polygon", "MultiPolygon")
_NUMBER = (int, float)


class _Stop(Exception):
    pass


class _Checker:
    def __init__(self, text: str, report: Report, file: str) -> None:
        self.text, self.report, self.file = text, report, file
        self.problems = 0
        self.positions = 0

    def bad(self, path: list, message: str) -> None:
        self.problems += 1
        if self.problems <= MAX_PROBLEMS:
            jsonfile.add(self.report, self.file, self.text, path, message)
        else:
            raise _Stop

    def collection(self, value: Any) -> None:
        if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
            self.bad([], "is not a GeoJSON FeatureCollection")
            return
        features = value.get("features")
        if not isinstance(features, list):
            self.bad(["features"], "must be a list of Features")
            return
        if len(features) > MAX_FEATURES:
            self.bad(["features"], f"has {len(features):,} features; the limit is {MAX_FEATURES:,}")
            return
        for i, feature in enumerate(features):
            self.feature(feature, ["features", i])

    def feature(self, feature: Any, path: list) -> None:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.bad(path, "is not a GeoJSON Feature")
            return
        props = feature.get("properties")
        if props is not None and not isinstance(props, dict):
            self.bad(path + ["properties"], "must be an object")
        elif props:
            for key in ("name", "name_ru"):
                v = props.get(key)
                if v is not None and (not isinstance(v, str) or len(v) > MAX_NAME):
                    self.bad(path + ["properties", key], f"must be text of at most {MAX_NAME} characters")
            if not isinstance(props.get("is_kazakhstan", False), bool):
                self.bad(path + ["properties", "is_kazakhstan"], "must be true or false")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict):
            self.bad(
                path + ["geometry"],
                f"is {'null' if geometry is None else type(geometry).__name__}; "
                "a country outline needs a Polygon or MultiPolygon",
            )
            return
        kind = geometry.get("type")
        if kind not in GEOMETRIES:
            self.bad(path + ["geometry", "type"], f"{jsonfile.shown(kind)} is not a Polygon or MultiPolygon")
            return
        coordinates = geometry.get("coordinates")
        where = path + ["geometry", "coordinates"]
        if kind == "Polygon":
            self.polygon(coordinates, where)
        elif not isinstance(coordinates, list) or not coordinates:
            self.bad(where, "must be a non-empty list of polygons")
        else:
            for i, polygon in enumerate(coordinates):
                self.polygon(polygon, where + [i])

    def polygon(self, rings: Any, path: list) -> None:
        if not isinstance(rings, list) or not rings:
            self.bad(path, "must be a non-empty list of rings")
            return
        for i, ring in enumerate(rings):
            self.ring(ring, path + [i])

    def ring(self, ring: Any, path: list) -> None:
        if not isinstance(ring, list) or len(ring) < 4:
            self.bad(path, "must be a list of at least 4 positions (a closed ring)")
            return
        self.positions += len(ring)
        if self.positions > MAX_POSITIONS:
            self.bad(path, f"the outlines have more than {MAX_POSITIONS:,} positions")
            raise _Stop
        # The hot loop of a large file: exact types (True is no number), and range checks that
        # NaN and infinities fail too.
        for i, p in enumerate(ring):
            if (
                type(p) is not list
                or not 2 <= len(p) <= 3
                or type(p[0]) not in _NUMBER
                or type(p[1]) not in _NUMBER
                or (len(p) == 3 and (type(p[2]) not in _NUMBER or not math.isfinite(p[2])))
            ):
                self.bad(path + [i], "is not a position ([longitude, latitude] in finite numbers)")
                return
            if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                self.bad(path + [i], f"{p[:2]} is off the globe (longitude -180..180, latitude -90..90)")
                return
        if ring[0][:2] != ring[-1][:2]:
            self.bad(path, "is not closed: its first and last positions differ")


def check(raw: bytes, report: Report, file: str = BORDERS) -> dict | None:
    """The FeatureCollection in ``raw``, or None with its problems in ``report``."""
    parsed = jsonfile.parse(raw, file, report)
    if parsed is None:
        return None
    value, text = parsed
    checker = _Checker(text, report, file)
    try:
        checker.collection(value)
    except _Stop:
        report.add(file, None, None, f"… more problems after the first {MAX_PROBLEMS}")
    return None if checker.problems else value


def read(path: str | Path, report: Report, directory: Path | None = None) -> dict | None:
    """``path`` (``directory/borders.geojson`` when ``directory`` is given), checked."""
    try:
        raw = (
            safe_files.read_inside(directory, BORDERS, safe_files.MAX_BORDERS_BYTES)
            if directory is not None
            else safe_files.read_regular(path, safe_files.MAX_BORDERS_BYTES)
        )
    except FileNotFoundError:
        report.add(BORDERS, None, None, "file is missing")
        return None
    except safe_files.UnsafeFile as exc:
        report.add(BORDERS, None, None, str(exc))
        return None
    except OSError as exc:
        report.add(BORDERS, None, None, f"cannot be read: {exc.strerror or exc}")
        return None
    return check(raw, report)


def present(directory: Path) -> bool:
    path = Path(directory) / BORDERS
    return path.exists() or path.is_symlink()


def check_dir(directory: Path, report: Report) -> None:
    """The data directory's own ``borders.geojson``, when it has one (else the shipped one is drawn)."""
    if present(directory):
        read(directory / BORDERS, report, directory=directory)
