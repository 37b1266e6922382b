"""Where the map's marks land: one Web Mercator projection and one fitted view, for the page's
deck and the PNG/SVG alike, and the areas a tap or click picks a city by.

Everything here is in deck.gl's terms: Web Mercator pixels (the world is :data:`WORLD_PX` wide at
zoom 0, y grows southwards) and a view state of longitude, latitude and zoom. The picture of
:mod:`geo.views.map_image` is drawn in the pixels of the same view, so a circle and the text
beside it land where they land on the screen of the same width.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

#: Zoom limits of the map: the fit never goes past FIT_MAX_ZOOM, and a reader may zoom out to MIN_ZOOM.
MIN_ZOOM, FIT_MAX_ZOOM, MAX_ZOOM = 1.0, 6.0, 10.0
#: deck.gl's Web Mercator: the world is this many pixels wide at zoom 0.
WORLD_PX = 512.0
#: The least a fitted view shows around its places, in degrees of longitude and latitude: one or
#: two cities never fill the map, and the borders around them stay in sight.
MIN_SPAN_DEGREES = (16.0, 8.0)
#: Room kept beside every circle, in pixels, across and down, for its name and note: the labels
#: (:mod:`geo.views.labels`) then find a side inside the map for the cities at its edges.
LABEL_ROOM_PX = (24.0, 34.0)
#: A tap or click this close to a city's centre (pixels) picks it, if no other city is closer.
PICK_RADIUS_PX = 24.0
#: Corners of the polygon a pick area's disc is drawn as.
PICK_SIDES = 12


class Footprint(NamedTuple):
    """A place on the map and the radius, in screen pixels, of its largest mark (0: a corner of
    the land to show, with no mark and no label)."""

    longitude: float
    latitude: float
    radius: float


#: Kazakhstan's north-west and south-east corners, as places without marks: what the map frames
#: when it has no place to fit, and what it frames with the places when no city is chosen.
KAZAKHSTAN = [Footprint(46.5, 55.4, 0.0), Footprint(87.4, 40.6, 0.0)]


def mercator(longitude: float, latitude: float) -> tuple[float, float]:
    """Web Mercator pixels at zoom 0, as deck.gl projects (y grows southwards)."""
    lat = math.radians(max(-85.0, min(85.0, latitude)))
    return (longitude + 180) / 360 * WORLD_PX, (1 - math.log(math.tan(math.pi / 4 + lat / 2)) / math.pi) / 2 * WORLD_PX


def mercator_many(longitude, latitude) -> tuple[np.ndarray, np.ndarray]:
    """:func:`mercator` over arrays."""
    lat = np.radians(np.clip(np.asarray(latitude, dtype=float), -85.0, 85.0))
    x = (np.asarray(longitude, dtype=float) + 180) / 360 * WORLD_PX
    return x, (1 - np.log(np.tan(np.pi / 4 + lat / 2)) / np.pi) / 2 * WORLD_PX


def longitude_of(x: float) -> float:
    return x / WORLD_PX * 360 - 180


def latitude_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / WORLD_PX))) - math.pi / 2)


class Viewport(NamedTuple):
    """A view state on a map of ``width`` by ``height`` pixels: what projects a place to its pixel."""

    longitude: float
    latitude: float
    zoom: float
    width: float
    height: float

    @classmethod
    def of(cls, view: Mapping[str, float], width: float, height: float) -> Viewport:
        return cls(float(view["longitude"]), float(view["latitude"]), float(view["zoom"]), float(width), float(height))

    @property
    def scale(self) -> float:
        """Screen pixels per zoom-0 pixel."""
        return 2.0**self.zoom

    def project(self, longitude, latitude) -> tuple[np.ndarray, np.ndarray]:
        """Screen pixels (from the map's top-left corner) of places, as deck.gl draws them."""
        cx, cy = mercator(self.longitude, self.latitude)
        x, y = mercator_many(longitude, latitude)
        return self.width / 2 + (x - cx) * self.scale, self.height / 2 + (y - cy) * self.scale

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """The longitude and latitude at a screen pixel."""
        cx, cy = mercator(self.longitude, self.latitude)
        return (
            longitude_of(cx + (x - self.width / 2) / self.scale),
            latitude_of(cy + (y - self.height / 2) / self.scale),
        )


def fit_scale(at: np.ndarray, reach: np.ndarray, room: float) -> float:
    """The largest scale (pixels per zoom-0 pixel) at which every place ``at`` (zoom-0 pixels, one
    axis), its mark reaching ``reach`` pixels to either side, fits in ``room`` pixels: the
    tightest pair decides (two large circles at the ends need more room than one)."""
    apart = at[None, :] - at[:, None]  # [i, j]: how far j lies past i
    left_over = room - reach[:, None] - reach[None, :]
    pairs = apart > 0
    if not pairs.any():
        return math.inf
    return float(np.min(np.where(pairs, left_over, np.inf) / np.where(pairs, apart, 1)))


def least_span(places: Sequence[Footprint]) -> list[Footprint]:
    """Two corners of :data:`MIN_SPAN_DEGREES` around the middle of ``places``: framed with them,
    a view never shows less land than that."""
    lons = [p.longitude for p in places]
    ys = [mercator(p.longitude, p.latitude)[1] for p in places]
    lon, middle = (min(lons) + max(lons)) / 2, (min(ys) + max(ys)) / 2
    half_lon = MIN_SPAN_DEGREES[0] / 2
    # even about the middle in Mercator, as the view's centre is
    north = mercator(lon, latitude_of(middle) + MIN_SPAN_DEGREES[1] / 2)[1]
    south = latitude_of(2 * middle - north)
    return [Footprint(lon - half_lon, latitude_of(north), 0.0), Footprint(lon + half_lon, south, 0.0)]


def view_for(
    places: Sequence[Footprint], width_px: float, height_px: float, top_inset_px: float = 0
) -> dict[str, float]:
    """The view state that shows every place with its circle, and room for its name and note
    (:data:`LABEL_ROOM_PX`), inside a map of ``width_px`` by ``height_px`` (the top
    ``top_inset_px`` kept free), as large as fits, at most :data:`FIT_MAX_ZOOM` and never closer
    than :data:`MIN_SPAN_DEGREES`; no place: :data:`KAZAKHSTAN`.

    Web Mercator at zoom z is 512·2^z pixels around the world, so the zoom is log2 of the
    tightest scale along either axis, and the centre is the middle of the marks' pixel extent.
    The server computes it because deck.gl's ``fitBounds`` is not reachable through pydeck's
    JSON, and the width must come from the browser (see :func:`geo.dashboard.map_frame.map_frame`)."""
    places = list(places) or list(KAZAKHSTAN)
    places += least_span(places)
    xy = np.array([mercator(p.longitude, p.latitude) for p in places])
    radius = np.array([p.radius for p in places], dtype=float)
    marked = radius > 0
    reach_x = np.where(marked, radius + LABEL_ROOM_PX[0], 0.0)
    reach_y = np.where(marked, radius + LABEL_ROOM_PX[1], 0.0)
    scale = min(
        fit_scale(xy[:, 0], reach_x, float(width_px)),
        fit_scale(xy[:, 1], reach_y, float(height_px) - top_inset_px),
    )
    zoom = min(FIT_MAX_ZOOM, math.log2(scale)) if scale > 0 else MIN_ZOOM
    zoom = max(MIN_ZOOM, math.floor(zoom * 100) / 100)  # rounded down: the marks still fit
    s = 2**zoom
    x0, x1 = float(np.min(xy[:, 0] * s - reach_x)), float(np.max(xy[:, 0] * s + reach_x))
    y0, y1 = float(np.min(xy[:, 1] * s - reach_y)), float(np.max(xy[:, 1] * s + reach_y))
    centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2 - top_inset_px / 2  # the free band above the marks
    return {
        "latitude": round(latitude_of(centre_y / s), 4),
        "longitude": round(longitude_of(centre_x / s), 4),
        "zoom": zoom,
        "min_zoom": MIN_ZOOM,
        "max_zoom": MAX_ZOOM,
        "pitch": 0,
        "bearing": 0,
    }


# --- picking ----------------------------------------------------------------------------------


def pick_areas(
    places: Sequence[tuple[str, float, float, float]], view: Mapping[str, float]
) -> dict[str, list[list[float]]]:
    """For each place (key, longitude, latitude, radius in pixels): the ring of longitudes and
    latitudes where a tap or click picks it, drawn as one invisible, pickable layer over the
    marks. It is the part of the place's disc of at least :data:`PICK_RADIUS_PX` (its circle if
    larger) that lies nearer to it than to any other place (its Voronoi cell), so a tap picks the
    nearest city, whichever circle is drawn on top. The areas are sized at ``view``'s zoom; a
    reader's own zoom scales them with the map, and the cells stay the nearest-city cells."""
    if not places:
        return {}
    s = 2.0 ** float(view["zoom"])
    x, y = mercator_many([p[1] for p in places], [p[2] for p in places])
    points = np.column_stack([x * s, y * s])  # screen pixels of the view's zoom, unshifted
    corners = np.linspace(0, 2 * np.pi, PICK_SIDES, endpoint=False)
    # the polygon's sides touch the disc, so the whole disc picks the place
    reach = np.maximum(np.asarray([float(p[3]) for p in places]), PICK_RADIUS_PX) / np.cos(np.pi / PICK_SIDES)
    between = points[None, :, :] - points[:, None, :]  # [i, j]: from place i to place j
    apart = np.hypot(between[..., 0], between[..., 1])
    same = (np.abs(between) <= 1e-8 + 1e-5 * np.abs(points)[:, None, :]).all(axis=2)  # np.allclose's tolerance
    out: dict[str, list[list[float]]] = {}
    for i, (key, *_rest) in enumerate(places):
        area = np.column_stack([points[i, 0] + reach[i] * np.cos(corners), points[i, 1] + reach[i] * np.sin(corners)])
        # a place farther than twice the polygon's reach lies beyond the halfway line: it cuts nothing
        for j in np.flatnonzero(~same[i] & (apart[i] < 2 * reach[i])):
            area = nearer_part(area, points[i], points[j])
        if len(area) < 3:
            continue
        # three decimals: about 100 m, far finer than a finger at any zoom the map allows
        out[key] = [[round(longitude_of(px / s), 3), round(latitude_of(py / s), 3)] for px, py in area.tolist()]
    return out


def nearer_part(polygon: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The part of the convex ``polygon`` (its corners in order) nearer to ``a`` than to ``b``:
    clipped by the line halfway between them (one step of Sutherland-Hodgman; shapely is kept out
    of the dashboard, and a convex polygon cut by a line needs no more)."""
    normal = b - a
    limit = float(normal @ (a + b)) / 2  # points p with normal·p <= limit are on a's side
    side = polygon @ normal - limit
    out = []
    for k in range(len(polygon)):
        p, q = polygon[k], polygon[(k + 1) % len(polygon)]
        sp, sq = side[k], side[(k + 1) % len(polygon)]
        if sp <= 0:
            out.append(p)
        if (sp < 0 < sq) or (sq < 0 < sp):
            out.append(p + (q - p) * (sp / (sp - sq)))
    return np.asarray(out).reshape(-1, 2)
