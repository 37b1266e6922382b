"""The map as a picture: PNG (twice the screen size, for print) and SVG of a view, drawn on the server.

The picture is drawn from the rows the dashboard's deck is built from (:mod:`geo.views.deck`):
the same circles with the same pixel radii and colours, the same names and outcome text beside
them, the same borders, projected in Web Mercator as deck.gl projects them. One deck pixel is one
image pixel at 1x (:data:`BASE_DPI`), so a circle is as large against its label as on the screen.
Around the map: a title stating the filter and its result, a key of circle sizes computed with
:func:`geo.views.deck.radius`, the notes the Map page shows, and a source line.

matplotlib draws it with its Agg and SVG canvases, never pyplot or a browser: every call makes
a :class:`~matplotlib.figure.Figure` of its own, so the sessions of one Streamlit process can
draw at once. The few settings matplotlib reads only from its global ``rcParams`` (SVG text kept
as text, fixed ids, no TeX) are set around the drawing, under a lock.

Text is data: names are drawn as typed (no mathtext, so ``$x$`` is not TeX; SVG text is XML
escaped), in DejaVu Sans, which ships with matplotlib and has the Cyrillic and Kazakh letters.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import text_to_path

from geo.query.view import View
from geo.views import deck, present

#: One deck pixel is one image pixel at this resolution; the PNG is drawn at PRINT_SCALE times it.
BASE_DPI = 100
PRINT_SCALE = 2
#: The picture at 1x, in pixels: the map is about as wide as the dashboard draws it.
WIDTH_PX, HEIGHT_PX = 1000, 950
#: Points per deck pixel (matplotlib sizes text, lines and markers in points).
PT = 72 / BASE_DPI
MARGIN_PX = 24
#: Where each block sits, in pixels from the top at 1x.
TITLE_TOP, MAP_TOP, MAP_BOTTOM, LEGEND_TOP, LEGEND_BOTTOM = 18, 96, 616, 628, 880
TITLE_LINES, TITLE_CHARS = 3, 82
#: The legend: a row of size keys (the largest disc is 96 px across), then the marks' meanings.
KEY_ROW_PX, MEANING_COLUMNS = 132, 3

FONT = "DejaVu Sans"
INK = (38 / 255, 39 / 255, 48 / 255)
GREY_TEXT = (0.35, 0.35, 0.38)
OUTCOME_INK = (20 / 255, 130 / 255, 60 / 255)
#: deck's text sizes, in pixels: city names and the outcome text under them.
LABEL_PX, BADGE_PX = 14, 12
LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": (1, 1, 1, 200 / 255), "edgecolor": "none"}

#: Settings matplotlib reads from rcParams only. ``svg.hashsalt`` and no date make two exports of
#: one view byte-identical; ``svg.fonttype: none`` keeps text as text (searchable, selectable).
RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "qantar-map",
    "text.usetex": False,
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "axes.unicode_minus": False,
}
_RC_LOCK = threading.RLock()

#: Web Mercator's latitude limit (deck.gl's too): the projection runs to infinity at the poles.
MAX_LATITUDE = 85.051129
#: Kazakhstan's extent in degrees (lon, lon, lat, lat), for a map drawn without borders.
KAZAKHSTAN_EXTENT = (46.4, 87.4, 40.5, 55.5)
#: Space left around what the map must show, as a share of its width and height.
PAD = 0.04


@contextmanager
def _matplotlib_settings() -> Iterator[None]:
    with _RC_LOCK, mpl.rc_context(RC):
        yield


# --- geometry -------------------------------------------------------------------------------


def mercator(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator (EPSG:3857 up to the sphere's radius), as deck.gl draws the map: x is the
    longitude in radians, y the Mercator ordinate of the latitude."""
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LATITUDE, MAX_LATITUDE)
    return np.radians(np.asarray(lon, dtype=float)), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def polygons(geometry: Mapping) -> list[list]:
    """The polygons (lists of rings) of a Polygon or MultiPolygon geometry."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def feature_path(geometry: Mapping) -> Path | None:
    """One compound path of every ring (holes wind the other way: RFC 7946), projected."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in polygons(geometry):
        for ring in polygon:
            if len(ring) < 3:
                continue
            points = np.asarray(ring, dtype=float)[:, :2]
            x, y = mercator(points[:, 0], points[:, 1])
            vertices.append(np.column_stack([x, y]))
            ring_codes = np.full(len(points), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def is_kazakhstan(feature: Mapping) -> bool:
    # borders_for_map marks Kazakhstan by its fill (and draws it last)
    return list((feature.get("properties") or {}).get("fill") or []) == list(deck.KAZAKHSTAN_FILL)


def bounds_of(paths: Sequence[Path]) -> tuple[float, float, float, float] | None:
    if not paths:
        return None
    vertices = np.concatenate([p.vertices for p in paths])
    return (
        float(vertices[:, 0].min()),
        float(vertices[:, 0].max()),
        float(vertices[:, 1].min()),
        float(vertices[:, 1].max()),
    )


def union(a: tuple[float, float, float, float], b: tuple[float, float, float, float] | None):
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])


def fit(
    extent: tuple[float, float, float, float],
    aspect: float,
    within: tuple[float, float, float, float] | None = None,
) -> tuple[float, float, float, float]:
    """The view around ``extent`` (x0, x1, y0, y1) with :data:`PAD` on each side, widened to
    ``aspect`` (width / height), and moved inside ``within`` (the borders' box) where it fits, so
    that the neighbours' straight clipped edges stay out of the picture."""
    x0, x1, y0, y1 = extent
    width, height = max(x1 - x0, 1e-3), max(y1 - y0, 1e-3)
    width, height = width * (1 + 2 * PAD), height * (1 + 2 * PAD)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    view = [cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2]
    if within is not None:
        for lo, hi in ((0, 1), (2, 3)):
            span = view[hi] - view[lo]
            if span <= within[hi] - within[lo]:
                shift = max(0.0, within[lo] - view[lo]) - max(0.0, view[hi] - within[hi])
                view[lo] += shift
                view[hi] += shift
    return view[0], view[1], view[2], view[3]


def text_width_px(text: str, size_px: float, bold: bool = True) -> float:
    """How wide ``text`` is drawn in the labels' font (bold unless ``bold`` is false, ``size_px`` deck pixels)."""
    font = FontProperties(family=FONT, weight="bold" if bold else "normal", size=size_px * PT)
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return width / PT


def wrap_px(text: str, width_px: float, size_pt: float, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width_px`` when drawn at ``size_pt`` points, broken at
    spaces (a word wider than the line gets a line of its own). Measured, not counted in
    characters: Cyrillic letters are wider than the Latin ones a count would assume."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_px(candidate, size_pt / PT, bold) <= width_px:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def reaches(layers: Mapping[str, list[dict]]) -> list[tuple[float, float, float, float, float, float]]:
    """What each circle and text needs around its point: (x, y, then pixels to the left, right,
    below and above), so that the view can make room for it."""
    out = []
    for name in ("cities", "events", "mentions"):
        x, y = points_xy(layers[name])
        out += [(px, py, r["radius"], r["radius"], r["radius"], r["radius"]) for r, px, py in zip(layers[name], x, y)]
    for name, key, size in (("labels", "name", LABEL_PX), ("badges", "badge", BADGE_PX)):
        x, y = points_xy(layers[name])
        for row, px, py in zip(layers[name], x, y):
            dx, dy = row["offset"]
            half = size * 0.75
            out.append((px, py, 0.0, dx + text_width_px(str(row[key]), size) + 4, dy + half, half - dy))
    return out


def fit_to(
    base: tuple[float, float, float, float] | None,
    needs: Sequence[tuple[float, float, float, float, float, float]],
    size_px: tuple[float, float],
    within: tuple[float, float, float, float] | None,
) -> tuple[float, float, float, float]:
    """The view that shows ``base`` (Kazakhstan) and every circle and text of ``needs`` whole.
    Their room is in pixels, whose size in map units depends on the view: a few rounds settle it."""
    aspect = size_px[0] / size_px[1]
    extent = base
    for x, y, *_ in needs:
        extent = union((x, x, y, y), extent)
    if extent is None:
        lon0, lon1, lat0, lat1 = KAZAKHSTAN_EXTENT
        (x0, x1), (y0, y1) = mercator([lon0, lon1], [lat0, lat1])
        extent = (float(x0), float(x1), float(y0), float(y1))
    view = fit(extent, aspect, within)
    for _ in range(4):
        per_px = (view[1] - view[0]) / size_px[0]
        grown = extent
        for x, y, left, right, down, up in needs:
            grown = union((x - left * per_px, x + right * per_px, y - down * per_px, y + up * per_px), grown)
        view = fit(grown, aspect, within)
    return view


# --- what is drawn -------------------------------------------------------------------------


def layer_rows(
    view: View, size_by: str = "convicted", events: bool = True, mentions: pd.DataFrame | None = None
) -> dict[str, list[dict]]:
    """The deck's rows for ``view``, built as :func:`geo.views.deck.deck_for` builds them: names and
    outcome text in the view's language."""
    largest, lang = view.index.largest, view.lang
    cities = deck.city_rows(view.city_totals(), size_by, largest.get(size_by), lang=lang)
    event_data = deck.event_rows(view.event_totals(), largest.get("events"), lang=lang) if events else []
    mention_data = deck.mention_rows(mentions, largest.get("mentions"), lang=lang) if mentions is not None else []
    return {
        "cities": cities,
        "events": event_data,
        "mentions": mention_data,
        "labels": deck.label_rows(cities, event_data, mention_data),
        "badges": deck.badge_rows(cities),
    }


def nice_below(value: float) -> int:
    """The largest of 1, 2, 5, 10, 20, 50 … not above ``value`` (1 at least)."""
    if value < 1:
        return 1
    magnitude = 10 ** int(np.floor(np.log10(value)))
    return max(step * magnitude for step in (1, 2, 5) if step * magnitude <= value)


def key_values(largest: float, max_px: float, min_px: float) -> list[int]:
    """Counts for a size key, largest first: the largest count any city has (it has the largest
    circle) and round counts near a quarter and a twenty-fifth of it, each circle at least a few
    pixels smaller than the one before."""
    top = int(largest)
    if top < 1:
        return []
    values = [top]
    for share in (4, 25):
        candidate = nice_below(largest / share)
        if candidate < values[-1] and deck.radius(values[-1], largest, max_px, min_px) - deck.radius(
            candidate, largest, max_px, min_px
        ) >= min(6.0, max_px / 5):
            values.append(candidate)
    return values


def title_lines(text: str) -> list[str]:
    lines = textwrap.wrap(text, TITLE_CHARS, break_on_hyphens=False) or [""]
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = lines[-1].rstrip(" ,.;:") + " …"
    return lines


def notes(view: View, events: bool) -> list[str]:
    """What the map does not show, as the Map page says it, in the view's language."""
    lang = view.lang
    found = [
        present.unmapped_note(*view.cases.unplaced(view.selected), lang=lang),
        present.approximate_note(view.cases.approximate_count(view.selected), lang),
        present.events_unmapped_note(view.index.events.unplaced_count(view.events_selected), lang) if events else None,
    ]
    return [n for n in found if n]


# --- drawing --------------------------------------------------------------------------------


def rgb(values: Sequence[int], alpha: float = 1.0) -> tuple[float, float, float, float]:
    return values[0] / 255, values[1] / 255, values[2] / 255, alpha


def marker_area(radius_px: float) -> float:
    """A scatter marker's area (points squared) for a circle of ``radius_px`` deck pixels."""
    return (2 * radius_px * PT) ** 2


def axes_box(top: float, bottom: float, left: float = MARGIN_PX, right: float = WIDTH_PX - MARGIN_PX):
    """Figure fractions [left, bottom, width, height] of a block given in pixels from the top."""
    return [left / WIDTH_PX, 1 - bottom / HEIGHT_PX, (right - left) / WIDTH_PX, (bottom - top) / HEIGHT_PX]


def draw_borders(ax, borders: Mapping | None) -> tuple[tuple | None, tuple | None]:
    """The countries as deck's borders layer draws them; returns (Kazakhstan's extent, the box
    all borders fill), projected."""
    kazakhstan: list[Path] = []
    every: list[Path] = []
    for feature in (borders or {}).get("features", []):
        path = feature_path(feature.get("geometry") or {})
        if path is None:
            continue
        props = feature.get("properties") or {}
        ax.add_patch(
            PathPatch(
                path,
                facecolor=rgb(props.get("fill") or deck.OTHER_FILL),
                edgecolor=rgb(props.get("line") or deck.OTHER_LINE),
                linewidth=float(props.get("width") or 0.8) * PT,
                joinstyle="round",
                zorder=1,
            )
        )
        every.append(path)
        if is_kazakhstan(feature):
            kazakhstan.append(path)
    return bounds_of(kazakhstan), bounds_of(every)


def points_xy(rows: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    if not rows:
        return np.zeros(0), np.zeros(0)
    positions = np.asarray([r["position"] for r in rows], dtype=float)
    return mercator(positions[:, 0], positions[:, 1])


def draw_points(ax, layers: Mapping[str, list[dict]]) -> None:
    """Mentions, cities and events in deck's order and styles, then names and outcome text."""
    x, y = points_xy(layers["mentions"])
    if len(x):
        sizes = [marker_area(r["radius"]) for r in layers["mentions"]]
        ax.scatter(x, y, s=sizes, color=rgb(deck.RGB["violet"], 60 / 255), linewidths=0, zorder=2)
    x, y = points_xy(layers["cities"])
    if len(x):
        sizes = [marker_area(r["radius"]) for r in layers["cities"]]
        ax.scatter(
            x,
            y,
            s=sizes,
            color=rgb(deck.RGB["red"], 190 / 255),
            edgecolors=[(1, 1, 1, 230 / 255)],
            linewidths=1 * PT,
            zorder=3,
        )
    x, y = points_xy(layers["events"])
    if len(x):
        sizes = [marker_area(r["radius"]) for r in layers["events"]]
        ax.scatter(
            x,
            y,
            s=sizes,
            facecolors="none",
            edgecolors=[rgb(deck.RGB["orange"])],
            linewidths=2.5 * PT,
            zorder=4,
        )
    for rows, key, size, color in (
        (layers["labels"], "name", LABEL_PX, INK),
        (layers["badges"], "badge", BADGE_PX, OUTCOME_INK),
    ):
        x, y = points_xy(rows)
        for row, px, py in zip(rows, x, y):
            dx, dy = row["offset"]
            ax.annotate(
                str(row[key]),
                xy=(px, py),
                xytext=(dx * PT, -dy * PT),  # deck's offsets point down the screen
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=size * PT,
                fontweight="bold",
                color=color,
                bbox=LABEL_BOX,
                parse_math=False,
                annotation_clip=False,
                clip_on=True,
                zorder=5,
            )


def draw_size_key(
    ax,
    x0: float,
    heading: str,
    measure: str,
    style: Mapping,
    largest: float,
    max_px: float,
    min_px: float,
    lang: str = "en",
):
    """Nested circles of round counts, bottom aligned, each with its count: the sizes the map
    gives those counts (:func:`geo.views.deck.radius`)."""
    ax.text(x0, 4, heading, ha="left", va="top", fontsize=10.5, fontweight="bold", color=INK, parse_math=False)
    base = 26 + 2 * max_px
    cx = x0 + max_px + 2
    for value in key_values(largest, max_px, min_px):
        r = deck.radius(value, largest, max_px, min_px)
        ax.scatter([cx], [base - r], s=marker_area(r), zorder=3, **style)
        top = base - 2 * r
        ax.plot([cx, cx + max_px + 10], [top, top], color=GREY_TEXT, linewidth=0.5, zorder=2)
        ax.text(
            cx + max_px + 13,
            top,
            present.size_key(measure, value, lang),
            ha="left",
            va="center",
            fontsize=8.5,
            color=INK,
            parse_math=False,
        )


def draw_legend(
    ax,
    size_by: str,
    events: bool,
    mentions: bool,
    largest: Mapping[str, float],
    mentions_largest: float,
    lang: str = "en",
) -> None:
    """Size keys for the circles (and rings, and discs), then what each mark means, in the
    words of the dashboard's legend, in ``lang``."""
    entries = deck.legend(size_by, events=events, mentions=mentions, lang=lang)
    label_of = {e["color"]: e["label"] for e in entries}
    keys: list[tuple[str, str, dict, float, float, float, float]] = [
        (
            "red",
            size_by,
            {"color": rgb(deck.RGB["red"], 190 / 255), "edgecolors": [(1, 1, 1, 230 / 255)], "linewidths": PT},
            largest.get(size_by, 0.0),
            deck.MAX_RADIUS_PX,
            deck.MIN_RADIUS_PX,
            240,
        )
    ]
    if events:
        style = {"facecolors": "none", "edgecolors": [rgb(deck.RGB["orange"])], "linewidths": 2.5 * PT}
        keys.append(
            (
                "orange",
                "events",
                style,
                largest.get("events", 0.0),
                deck.EVENT_MAX_RADIUS_PX,
                deck.EVENT_MIN_RADIUS_PX,
                190,
            )
        )
    if mentions:
        style = {"color": rgb(deck.RGB["violet"], 60 / 255), "linewidths": 0}
        keys.append(
            ("violet", "mentions", style, mentions_largest, deck.MENTION_MAX_RADIUS_PX, deck.MIN_RADIUS_PX * 2, 220)
        )
    x = 0.0
    for colour, measure, style, top, max_px, min_px, width in keys:
        draw_size_key(ax, x, label_of[colour], measure, style, top, max_px, min_px, lang)
        x += width
    # what each mark means, under the keys in columns, each text wrapped to its column
    column_px = (WIDTH_PX - 2 * MARGIN_PX) / MEANING_COLUMNS
    text_px = column_px - 34
    names = [wrap_px(e["label"], text_px, 8.5, bold=True) for e in entries]
    wrapped = [wrap_px(e["meaning"], text_px, 8) for e in entries]
    y = float(KEY_ROW_PX)
    for first in range(0, len(entries), MEANING_COLUMNS):
        row = range(first, min(first + MEANING_COLUMNS, len(entries)))
        for i in row:
            draw_meaning(ax, (i - first) * column_px, y, entries[i], wrapped[i], names[i])
        y += 22 + 13.5 * max(len(wrapped[i]) + len(names[i]) - 1 for i in row)


def draw_meaning(
    ax, x: float, y: float, entry: Mapping[str, str], lines: list[str], name: list[str] | None = None
) -> None:
    """One legend entry: its mark, its name in bold (``name``: its lines), what it means."""
    name = name or [entry["label"]]
    if entry["color"] == "gray":
        ax.add_patch(
            Rectangle(
                (x, y + 2),
                14,
                9,
                facecolor=rgb(deck.KAZAKHSTAN_FILL),
                edgecolor=rgb(deck.KAZAKHSTAN_LINE),
                linewidth=1.6 * PT,
            )
        )
    else:
        colour = OUTCOME_INK if entry["color"] == "green" else rgb(deck.RGB[entry["color"]])
        ax.text(x + 7, y, entry["symbol"], ha="center", va="top", fontsize=9.5, color=colour)
    ax.text(
        x + 22, y, "\n".join(name), ha="left", va="top", fontsize=8.5, fontweight="bold", color=INK, linespacing=1.15
    )
    below = y + 13 + 13.5 * (len(name) - 1)
    ax.text(x + 22, below, "\n".join(lines), ha="left", va="top", fontsize=8, color=GREY_TEXT, linespacing=1.25)


def map_figure(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
) -> Figure:
    """The map of ``view`` as a matplotlib Figure of :data:`WIDTH_PX` × :data:`HEIGHT_PX` at
    :data:`BASE_DPI`. ``size_by``: what the circles count (:data:`geo.views.deck.SIZE_BY`);
    ``events``: draw the events' rings; ``mentions``: :func:`geo.query.aggregates.mention_totals`
    to draw (None: none); ``borders``: :func:`geo.views.deck.borders_for_map` (None: no borders).

    Save it with :func:`map_png` or :func:`map_svg`, which apply :data:`RC`."""
    with _matplotlib_settings():
        return _map_figure(view, size_by, events, mentions, borders)


def _map_figure(view, size_by, events, mentions, borders) -> Figure:
    fig = Figure(figsize=(WIDTH_PX / BASE_DPI, HEIGHT_PX / BASE_DPI), dpi=BASE_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    layers = layer_rows(view, size_by, events, mentions)
    # deck sizes the discs by the largest count shown: the index holds no maximum for mentions
    mentions_largest = float(mentions["mentions"].max()) if mentions is not None and len(mentions) else 0.0

    title = present.description(view)
    fig.text(
        MARGIN_PX / WIDTH_PX,
        1 - TITLE_TOP / HEIGHT_PX,
        "\n".join(title_lines(title)),
        ha="left",
        va="top",
        fontsize=13.5,
        fontweight="bold",
        color=INK,
        linespacing=1.3,
        parse_math=False,
    )

    ax = fig.add_axes(axes_box(MAP_TOP, MAP_BOTTOM))
    ax.set_facecolor("white")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor((0.82, 0.82, 0.82))
        spine.set_linewidth(0.6)
    kazakhstan, box = draw_borders(ax, borders)
    x0, x1, y0, y1 = fit_to(kazakhstan, reaches(layers), (WIDTH_PX - 2 * MARGIN_PX, MAP_BOTTOM - MAP_TOP), box)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    draw_points(ax, layers)

    legend_ax = fig.add_axes(axes_box(LEGEND_TOP, LEGEND_BOTTOM))
    legend_ax.set_xlim(0, WIDTH_PX - 2 * MARGIN_PX)
    legend_ax.set_ylim(LEGEND_BOTTOM - LEGEND_TOP, 0)  # pixels, down the page
    legend_ax.set_axis_off()
    draw_legend(legend_ax, size_by, events, mentions is not None, view.index.largest, mentions_largest, view.lang)

    below = [*notes(view, events), present.source_line(view.index.provenance, view.lang)]
    lines = [line for text in below for line in wrap_px(text, WIDTH_PX - 2 * MARGIN_PX, 8)]
    fig.text(
        MARGIN_PX / WIDTH_PX,
        12 / HEIGHT_PX,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=8,
        color=GREY_TEXT,
        linespacing=1.3,
        parse_math=False,
    )
    return fig


def map_png(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    scale: int = PRINT_SCALE,
) -> bytes:
    """PNG of :func:`map_figure`, ``scale`` times its pixel size (2: for print)."""
    with _matplotlib_settings():
        fig = _map_figure(view, size_by, events, mentions, borders)
        out = io.BytesIO()
        metadata = {"Title": present.description(view), "Source": present.source_line(view.index.provenance, view.lang)}
        fig.savefig(out, format="png", dpi=BASE_DPI * scale, metadata=metadata)
    return out.getvalue()


def map_svg(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
) -> bytes:
    """SVG of :func:`map_figure`: text as text, the same bytes for the same view."""
    with _matplotlib_settings():
        fig = _map_figure(view, size_by, events, mentions, borders)
        out = io.BytesIO()
        metadata = {
            "Title": present.description(view),
            "Source": present.source_line(view.index.provenance, view.lang),
            "Date": None,
        }
        fig.savefig(out, format="svg", metadata=metadata)
    return out.getvalue()
