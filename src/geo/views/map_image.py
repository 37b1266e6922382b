"""The map as a picture: PNG (twice the screen size, for print) and SVG of a view, drawn on the server.

The picture is the page's map: the marks of :func:`geo.views.marks.map_marks` (the same circles
with the same pixel radii and colours, the same names and notes at the same places), in the view
:func:`geo.views.deck.fitted_view` gives a map of the same width, projected by
:class:`geo.views.viewport.Viewport`, so one deck pixel is one image pixel at 1x
(:data:`BASE_DPI`). Around the map: the title (:func:`geo.views.legend.title`), the size keys
(:func:`geo.views.legend.size_keys`), what each mark means, the notes the Map page shows
(:func:`geo.views.legend.map_notes`) and a source line. The map is :data:`geo.views.marks.DEFAULT_WIDTH_PX`
wide unless a width is given (a phone's, say), and everything around it flows to that width.

matplotlib draws it with its Agg and SVG canvases, never pyplot or a browser: every call makes
a :class:`~matplotlib.figure.Figure` of its own, so the sessions of one Streamlit process can
draw at once. The few settings matplotlib reads only from its global ``rcParams`` (SVG text kept
as text, fixed ids, no TeX) are set around the drawing, under a lock.

Text is data: names are drawn as typed (no mathtext, so ``$x$`` is not TeX; SVG text is XML
escaped), in DejaVu Sans, which ships with matplotlib and has the Cyrillic and Kazakh letters.
A name cut short on the map keeps its whole text in the SVG, as the ``<title>`` of its label.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from html import escape
from typing import Any, NamedTuple

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
from geo.views import citation, deck, descriptions, labels, legend
from geo.views.marks import (
    DEFAULT_WIDTH_PX,
    EVENT_MAX_RADIUS_PX,
    EVENT_MIN_RADIUS_PX,
    MAX_RADIUS_PX,
    MENTION_MAX_RADIUS_PX,
    MIN_RADIUS_PX,
    MapMarks,
    map_height,
    map_marks,
    mark_scale,
)
from geo.views.viewport import Viewport

#: One deck pixel is one image pixel at this resolution; the PNG is drawn at PRINT_SCALE times it.
BASE_DPI = 100
PRINT_SCALE = 2
#: Points per deck pixel (matplotlib sizes text, lines and markers in points).
PT = 72 / BASE_DPI
MARGIN_PX = 24
TITLE_PT, TITLE_LINES = 13.5, 3
KEY_HEADING_PT, KEY_TEXT_PT, NAME_PT, MEANING_PT, NOTE_PT = 10.5, 8.5, 8.5, 8.0, 8.0
#: A legend column is at least this wide (pixels); the width holds as many as fit, three at most.
COLUMN_PX, MEANING_COLUMNS = 290, 3
#: Room between a size key's counts, down the page (pixels).
KEY_LINE_PX = 14.0

FONT = "DejaVu Sans"
INK = tuple(c / 255 for c in legend.NAME_INK)
GREY_TEXT = (0.35, 0.35, 0.38)
OUTCOME_INK = tuple(c / 255 for c in legend.OUTCOME_INK)
LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": (1, 1, 1, legend.LABEL_BOX_ALPHA / 255), "edgecolor": "none"}

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


@contextmanager
def _matplotlib_settings() -> Iterator[None]:
    with _RC_LOCK, mpl.rc_context(RC):
        yield


# --- text ---------------------------------------------------------------------------------------


def text_width_px(text: str, size_pt: float, bold: bool = False) -> float:
    """How wide ``text`` is drawn in DejaVu Sans at ``size_pt`` points, in pixels at 1x."""
    font = FontProperties(family=FONT, weight="bold" if bold else "normal", size=size_pt)
    width, _, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return width / PT


def line_px(size_pt: float, spacing: float = 1.25) -> float:
    return size_pt / PT * spacing


def wrap_px(text: str, width_px: float, size_pt: float, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width_px`` when drawn at ``size_pt`` points, broken at
    spaces; a word wider than the line is cut with an ellipsis (a 200-character name is one word).
    Measured, not counted in characters: Cyrillic letters are wider than Latin ones."""
    lines: list[str] = []
    for word in text.split():
        if text_width_px(word, size_pt, bold) > width_px:
            word = fitted(word, width_px, size_pt, bold)
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_px(candidate, size_pt, bold) <= width_px:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def fitted(text: str, width_px: float, size_pt: float, bold: bool = False) -> str:
    """The longest start of ``text`` that fits ``width_px`` with an ellipsis after it."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width_px(text[:mid] + labels.ELLIPSIS, size_pt, bold) <= width_px:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + labels.ELLIPSIS


def title_lines(text: str, width_px: float) -> list[str]:
    lines = wrap_px(text, width_px, TITLE_PT, bold=True)
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = fitted(lines[-1].rstrip(" ,.;:") + " ", width_px, TITLE_PT, bold=True)
    return lines


# --- geometry -------------------------------------------------------------------------------


def polygons(geometry: Mapping) -> list[list]:
    """The polygons (lists of rings) of a Polygon or MultiPolygon geometry."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def feature_path(geometry: Mapping, port: Viewport) -> Path | None:
    """One compound path of every ring (holes wind the other way: RFC 7946), in the map's pixels."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in polygons(geometry):
        for ring in polygon:
            if len(ring) < 3:
                continue
            points = np.asarray(ring, dtype=float)[:, :2]
            x, y = port.project(points[:, 0], points[:, 1])
            vertices.append(np.column_stack([x, y]))
            ring_codes = np.full(len(points), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


# --- what is drawn -------------------------------------------------------------------------


class Drawn(NamedTuple):
    """The map of a view as the page draws it at ``width`` pixels."""

    port: Viewport
    marks: MapMarks
    scale: float


def drawn(view: View, size_by: str, events: bool, mentions: pd.DataFrame | None, width_px: float) -> Drawn:
    """The page's map of ``view`` at ``width_px``: its view state, marks and labels."""
    state = deck.fitted_view(view, width_px)
    scale = mark_scale(width_px)
    marks = map_marks(
        view.city_totals(),
        view.event_totals() if events else None,
        mentions,
        size_by,
        view.index.largest,
        state,
        width_px,
        scale,
        view.lang,
    )
    return Drawn(Viewport.of(state, width_px, map_height(width_px)), marks, scale)


def key_rows(
    size_by: str, events: bool, mentions: bool, largest: Mapping[str, float], mentions_largest: float, scale: float
) -> list[tuple[str, str, list[tuple[int, float]]]]:
    """(colour, measure, keys) of each size key, as the page's keys (:func:`geo.views.legend.size_keys`)."""
    rows = [("red", size_by, largest.get(size_by, 0.0), MAX_RADIUS_PX, MIN_RADIUS_PX)]
    if events:
        rows.append(("orange", "events", largest.get("events", 0.0), EVENT_MAX_RADIUS_PX, EVENT_MIN_RADIUS_PX))
    if mentions:
        rows.append(("violet", "mentions", mentions_largest, MENTION_MAX_RADIUS_PX, MIN_RADIUS_PX * 2))
    return [
        (colour, measure, keys)
        for colour, measure, top, max_px, min_px in rows
        if (keys := legend.size_keys(top, max_px * scale, min_px))
    ]


# --- drawing --------------------------------------------------------------------------------


def rgb(values: Sequence[int], alpha: float = 1.0) -> tuple[float, float, float, float]:
    return values[0] / 255, values[1] / 255, values[2] / 255, alpha


def marker_area(radius_px: float) -> float:
    """A scatter marker's area (points squared) for a circle of ``radius_px`` deck pixels."""
    return (2 * radius_px * PT) ** 2


def draw_borders(ax, borders: Mapping | None, port: Viewport) -> None:
    """The countries as deck's borders layer draws them."""
    for feature in (borders or {}).get("features", []):
        path = feature_path(feature.get("geometry") or {}, port)
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


def points_xy(rows: Sequence[dict], port: Viewport) -> tuple[np.ndarray, np.ndarray]:
    if not rows:
        return np.zeros(0), np.zeros(0)
    positions = np.asarray([r["position"] for r in rows], dtype=float)
    return port.project(positions[:, 0], positions[:, 1])


def draw_points(ax, d: Drawn) -> list[tuple[str, str]]:
    """Mentions, cities and events in deck's order and styles, then the placed names and notes
    and their leader lines; the (id, full text) of each label, for its SVG <title>."""
    marks, port = d.marks, d.port
    x, y = points_xy(marks.mentions, port)
    if len(x):
        sizes = [marker_area(r["radius"]) for r in marks.mentions]
        ax.scatter(x, y, s=sizes, color=rgb(legend.RGB["violet"], 60 / 255), linewidths=0, zorder=2)
    x, y = points_xy(marks.cities, port)
    if len(x):
        sizes = [marker_area(r["radius"]) for r in marks.cities]
        ax.scatter(
            x,
            y,
            s=sizes,
            color=rgb(legend.RGB["red"], 190 / 255),
            edgecolors=[(1, 1, 1, 230 / 255)],
            linewidths=PT,
            zorder=3,
        )
    x, y = points_xy(marks.events, port)
    if len(x):
        sizes = [marker_area(r["radius"]) for r in marks.events]
        ax.scatter(
            x, y, s=sizes, facecolors="none", edgecolors=[rgb(legend.RGB["orange"])], linewidths=2.5 * PT, zorder=4
        )
    rows = {r["location_id"]: r for r in (*marks.cities, *marks.events, *marks.mentions)}
    centre = {key: port.project(*row["position"]) for key, row in rows.items()}
    for leader in marks.placement.leaders:
        cx, cy = centre[leader.key]
        ax.plot(
            [cx + leader.x0, cx + leader.x1],
            [cy + leader.y0, cy + leader.y1],
            color=(0.31, 0.31, 0.31),
            lw=PT,
            zorder=5,
        )
    titles = []
    for i, line in enumerate(marks.placement.lines):
        cx, cy = centre[line.key]
        name = line.kind == "name"
        text = ax.text(
            float(cx) + line.dx,
            float(cy) + line.dy,
            line.text,
            ha={"start": "left", "end": "right"}.get(line.anchor, "center"),
            va="center",
            fontsize=(labels.NAME_PX if name else labels.NOTE_PX) * PT,
            fontweight="bold",
            color=INK if name else OUTCOME_INK,
            bbox=LABEL_BOX,
            parse_math=False,
            clip_on=True,
            zorder=6,
        )
        text.set_gid(f"map-label-{i}")
        full = (
            marks.names[line.key]
            if name
            else next(r.get("badge", "") for r in marks.cities if r["location_id"] == line.key)
        )
        titles.append((f"map-label-{i}", full))
    return titles


class KeyBox(NamedTuple):
    colour: str
    measure: str
    keys: list[tuple[int, float]]
    width: float
    height: float


def key_box(colour: str, measure: str, keys: list[tuple[int, float]], heading: str, lang: str) -> KeyBox:
    """A size key's room: its heading, its nested circles, its counts pushed apart down the page."""
    top_r = keys[0][1]
    texts = [descriptions.size_key(measure, value, lang) for value, _ in keys]
    width = max(
        2 * top_r + 17 + max(text_width_px(t, KEY_TEXT_PT) for t in texts), text_width_px(heading, KEY_HEADING_PT, True)
    )
    label_y = key_label_ys(keys)
    height = 22 + max(2 * top_r, label_y[-1] + line_px(KEY_TEXT_PT) / 2) + 10
    return KeyBox(colour, measure, keys, width, height)


def key_label_ys(keys: Sequence[tuple[int, float]]) -> list[float]:
    """Each count's line, down from the top of the largest circle: at its circle's top, or
    :data:`KEY_LINE_PX` under the line before."""
    base = 2 * keys[0][1]
    ys: list[float] = []
    for _, r in keys:
        top = base - 2 * r
        ys.append(max(top, ys[-1] + KEY_LINE_PX) if ys else top)
    return ys


def draw_size_key(ax, x0: float, y0: float, box: KeyBox, heading: str, style: Mapping, lang: str) -> None:
    """Nested circles of round counts, bottom aligned, each with its count (the page's keys)."""
    ax.text(
        x0, y0, heading, ha="left", va="top", fontsize=KEY_HEADING_PT, fontweight="bold", color=INK, parse_math=False
    )
    top_r = box.keys[0][1]
    cx, base = x0 + top_r + 2, y0 + 22 + 2 * top_r
    text_x = cx + top_r + 13
    for (value, r), label_y in zip(box.keys, key_label_ys(box.keys)):
        ax.scatter([cx], [base - r], s=marker_area(r), zorder=3, **style)
        top = base - 2 * r
        ax.plot([cx, text_x - 3, text_x - 3], [top, top, y0 + 22 + label_y], color=GREY_TEXT, linewidth=0.5, zorder=2)
        ax.text(
            text_x,
            y0 + 22 + label_y,
            descriptions.size_key(box.measure, value, lang),
            ha="left",
            va="center",
            fontsize=KEY_TEXT_PT,
            color=INK,
            parse_math=False,
        )


KEY_STYLES = {
    "red": {"color": rgb(legend.RGB["red"], 190 / 255), "edgecolors": [(1, 1, 1, 230 / 255)], "linewidths": PT},
    "orange": {"facecolors": "none", "edgecolors": [rgb(legend.RGB["orange"])], "linewidths": 2.5 * PT},
    "violet": {"color": rgb(legend.RGB["violet"], 60 / 255), "linewidths": 0},
}


def flow(widths: Sequence[float], room: float, gap: float = 24) -> list[list[int]]:
    """Indices of boxes ``widths`` wide in rows no wider than ``room`` (each row one box at least)."""
    rows: list[list[int]] = []
    used = 0.0
    for i, w in enumerate(widths):
        if rows and used + gap + w <= room:
            rows[-1].append(i)
            used += gap + w
        else:
            rows.append([i])
            used = w
    return rows


def map_figure(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    width_px: float = DEFAULT_WIDTH_PX,
) -> Figure:
    """The map of ``view`` as a matplotlib Figure at :data:`BASE_DPI`: the page's map at
    ``width_px`` (its height follows, as on the page) with :data:`MARGIN_PX` around it, and the
    title, keys, legend and notes around it, as tall as they need. ``size_by``: what the circles
    count (:data:`geo.views.marks.SIZE_BY`); ``events``: draw the events' rings; ``mentions``:
    :func:`geo.query.aggregates.mention_totals` to draw (None: none); ``borders``:
    :func:`geo.views.deck.borders_for_map` (None: no borders).

    Save it with :func:`map_png` or :func:`map_svg`, which apply :data:`RC`."""
    with _matplotlib_settings():
        return _map_figure(view, size_by, events, mentions, borders, width_px)[0]


def _map_figure(view, size_by, events, mentions, borders, width_px) -> tuple[Figure, list[tuple[str, str]]]:
    lang = view.lang
    d = drawn(view, size_by, events, mentions, float(width_px))
    room = float(width_px)
    page_w = room + 2 * MARGIN_PX
    # deck sizes the discs by the largest count shown: the index holds no maximum for mentions
    mentions_largest = float(mentions["mentions"].max()) if mentions is not None and len(mentions) else 0.0

    # the blocks down the page, measured before the figure is made
    title = title_lines(legend.title(view), room)
    title_h = len(title) * line_px(TITLE_PT, 1.3)
    map_top = 18 + title_h + 12
    map_bottom = map_top + d.port.height
    entries = legend.legend(size_by, events=events, mentions=mentions is not None, lang=lang)
    label_of = {e["color"]: e["label"] for e in entries}
    keys = [
        key_box(colour, measure, found, label_of[colour], lang)
        for colour, measure, found in key_rows(
            size_by, events, mentions is not None, view.index.largest, mentions_largest, d.scale
        )
    ]
    key_lines = flow([k.width for k in keys], room)
    keys_h = sum(max(keys[i].height for i in row) + 8 for row in key_lines)
    columns = max(1, min(MEANING_COLUMNS, int(room // COLUMN_PX)))
    column_px = room / columns
    names = [wrap_px(e["label"], column_px - 34, NAME_PT, bold=True) for e in entries]
    meanings = [wrap_px(e["meaning"], column_px - 34, MEANING_PT) for e in entries]
    entry_h = [line_px(NAME_PT, 1.15) * len(n) + line_px(MEANING_PT) * len(m) + 10 for n, m in zip(names, meanings)]
    meaning_rows = [list(range(i, min(i + columns, len(entries)))) for i in range(0, len(entries), columns)]
    meanings_h = sum(max(entry_h[i] for i in row) for row in meaning_rows)
    below = [
        *legend.map_notes(view, events, d.marks.unnamed(), d.marks.without_note()),
        citation.source_line(view.index.provenance, lang),
    ]
    note_lines = [line for text in below for line in wrap_px(text, room, NOTE_PT)]
    notes_h = len(note_lines) * line_px(NOTE_PT, 1.3)
    legend_top = map_bottom + 14
    notes_top = legend_top + keys_h + 6 + meanings_h + 6
    page_h = float(math.ceil(notes_top + notes_h + 12))  # whole pixels, at 1x and at print size

    fig = Figure(figsize=(page_w / BASE_DPI, page_h / BASE_DPI), dpi=BASE_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    page = fig.add_axes((0, 0, 1, 1))
    page.set_xlim(0, page_w)
    page.set_ylim(page_h, 0)  # pixels, down the page
    page.set_axis_off()
    page.text(
        MARGIN_PX,
        18,
        "\n".join(title),
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        fontweight="bold",
        color=INK,
        linespacing=1.3,
        parse_math=False,
    )

    ax = fig.add_axes((MARGIN_PX / page_w, 1 - map_bottom / page_h, room / page_w, d.port.height / page_h))
    ax.set_facecolor("white")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor((0.82, 0.82, 0.82))
        spine.set_linewidth(0.6)
    draw_borders(ax, borders, d.port)
    ax.set_xlim(0, room)
    ax.set_ylim(d.port.height, 0)
    ax.set_aspect("equal")
    titles = draw_points(ax, d)

    y = legend_top
    for row in key_lines:
        x = float(MARGIN_PX)
        for i in row:
            draw_size_key(page, x, y, keys[i], label_of[keys[i].colour], KEY_STYLES[keys[i].colour], lang)
            x += keys[i].width + 24
        y += max(keys[i].height for i in row) + 8
    y += 6
    for row in meaning_rows:
        for i in row:
            draw_meaning(page, MARGIN_PX + (i - row[0]) * column_px, y, entries[i], meanings[i], names[i])
        y += max(entry_h[i] for i in row)
    page.text(
        MARGIN_PX,
        notes_top,
        "\n".join(note_lines),
        ha="left",
        va="top",
        fontsize=NOTE_PT,
        color=GREY_TEXT,
        linespacing=1.3,
        parse_math=False,
    )
    return fig, titles


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
        colour = OUTCOME_INK if entry["color"] == "green" else rgb(legend.RGB[entry["color"]])
        ax.text(x + 7, y, entry["symbol"], ha="center", va="top", fontsize=9.5, color=colour)
    ax.text(
        x + 22,
        y,
        "\n".join(name),
        ha="left",
        va="top",
        fontsize=NAME_PT,
        fontweight="bold",
        color=INK,
        linespacing=1.15,
    )
    below = y + line_px(NAME_PT, 1.15) * len(name)
    ax.text(
        x + 22, below, "\n".join(lines), ha="left", va="top", fontsize=MEANING_PT, color=GREY_TEXT, linespacing=1.25
    )


def with_titles(svg: bytes, titles: Sequence[tuple[str, str]]) -> bytes:
    """``svg`` with each label's whole text as the ``<title>`` of its group (a cut name's full name)."""
    text = svg.decode("utf-8")
    for gid, full in titles:
        text = text.replace(f'<g id="{gid}">', f'<g id="{gid}">\n   <title>{escape(full, quote=False)}</title>', 1)
    return text.encode("utf-8")


def map_png(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    scale: int = PRINT_SCALE,
    width_px: float = DEFAULT_WIDTH_PX,
) -> bytes:
    """PNG of :func:`map_figure`, ``scale`` times its pixel size (2: for print)."""
    with _matplotlib_settings():
        fig, _ = _map_figure(view, size_by, events, mentions, borders, width_px)
        out = io.BytesIO()
        metadata = {"Title": legend.title(view), "Source": citation.source_line(view.index.provenance, view.lang)}
        fig.savefig(out, format="png", dpi=BASE_DPI * scale, metadata=metadata)
    return out.getvalue()


def map_svg(
    view: View,
    size_by: str = "convicted",
    events: bool = True,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    width_px: float = DEFAULT_WIDTH_PX,
) -> bytes:
    """SVG of :func:`map_figure`: text as text, the same bytes for the same view."""
    with _matplotlib_settings():
        fig, titles = _map_figure(view, size_by, events, mentions, borders, width_px)
        out = io.BytesIO()
        metadata = {
            "Title": legend.title(view),
            "Source": citation.source_line(view.index.provenance, view.lang),
            "Date": None,
        }
        fig.savefig(out, format="svg", metadata=metadata)
    return with_titles(out.getvalue(), titles)
