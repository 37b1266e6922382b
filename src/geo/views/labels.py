"""Where each city's name and note go on the map: placed once, for the page's deck and the
PNG/SVG alike, so that no text ever covers another.

Each city's block (its name in bold, the green note of acquitted and posthumous people under it)
is tried at candidate positions around its circle: right, left, above, below and the diagonals,
then the same farther out with a leader line back to the circle. Cities are placed in order of
their largest circle (the larger count first); each takes the first position that stays inside
the map, off every text placed before and off the other cities' centres, preferring one off their
circles too. A block that finds no room tries its name alone; a name that finds none is not drawn,
and the map says which cities are not named (their tooltip and the tables still name them).

Text is measured in both fonts it is drawn in, and the wider width counts, so one placement
holds for both: DejaVu Sans Bold (the image, through matplotlib's metrics) and the font the
deck's TextLayer asks the browser for, Source Sans at weight 600. That one is measured in the
variable font file Streamlit serves as "Source Sans" (through Pillow), as the sum of each
character's advance, which is how deck.gl lays out a line from its font atlas; the assumption is
that the browser draws the labels in that web font (Streamlit loads it for the page).
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: Font sizes (pixels) of a city's name and of its note.
NAME_PX, NOTE_PX = 14, 12
#: Height of each line's box (the text and the deck's background padding), pixels.
NAME_LINE_PX, NOTE_LINE_PX = 18.0, 16.0
#: The white box each text is drawn on reaches this far beyond its measured width, each side.
PAD_PX = 2.0
#: A name wider than this (pixels, at :data:`NAME_PX`) is cut, with an ellipsis, to fit it; its
#: note likewise. The whole name stays in the tooltip, the tables and the SVG's <title>.
MAX_TEXT_PX = 170.0
#: Notes are made of counts, not typed names: they are cut only past this, to keep their figures.
MAX_NOTE_PX = 400.0
ELLIPSIS = "…"
#: How far from its circle a block sits (pixels): close, then far with a leader line.
NEAR_GAP_PX, FAR_GAP_PX = 4.0, 22.0
#: Sides tried, in order: (across, down) of the block's side facing the circle.
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


class Mark(NamedTuple):
    """A city to label: its key, its name and note as they would be drawn, where its centre lies
    on the map (pixels) and the radius of its largest circle."""

    key: str
    name: str
    note: str
    x: float
    y: float
    radius: float


class Line(NamedTuple):
    """One text to draw: ``dx``, ``dy`` from the city's centre to the text's anchor (the middle
    of its line's height), ``anchor`` ``start``, ``end`` or ``middle`` as deck.gl names them."""

    key: str
    kind: str  # "name" or "note"
    text: str
    dx: float
    dy: float
    anchor: str


class Leader(NamedTuple):
    """A line from a city's circle to its block, in pixels from the city's centre."""

    key: str
    x0: float
    y0: float
    x1: float
    y1: float


class Placement(NamedTuple):
    lines: list[Line]
    leaders: list[Leader]
    #: The keys of cities whose name is not drawn, then those whose note is not, in priority order.
    unnamed: list[str]
    without_note: list[str]


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


# --- measuring --------------------------------------------------------------------------------


@functools.cache
def _deck_font_file() -> Path | None:
    """The variable Source Sans that Streamlit serves the page, if this Streamlit ships it. Found
    by the package's location only: the views read a file it ships and never import it."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return None
    media = Path(spec.origin).parent / "static" / "static" / "media"
    return next(iter(sorted(media.glob("SourceSansVF-Upright*.woff2"))), None)


@functools.cache
def _deck_font(size: int):
    from PIL import ImageFont  # noqa: PLC0415

    path = _deck_font_file()
    if path is None:
        return None
    font = ImageFont.truetype(str(path), size)
    font.set_variation_by_axes([600])
    return font


def text_width(text: str, size: int) -> float:
    """The wider of ``text``'s widths in the image's and the deck's fonts, in pixels at ``size``.

    Both fonts give the ten digits one advance and no kerning, so a text is as wide as itself with
    every digit a zero: a note whose counts change with the dates ("12 acquitted") is measured once
    per length, not once per count (tests/test_map_reruns.py checks the fonts still do)."""
    return measured_width(ASCII_DIGIT.sub("0", text), size)


ASCII_DIGIT = re.compile("[0-9]")


#: Distinct (text, size) pairs :func:`measured_width` keeps: the notes and labels of a few data
#: versions and languages (digits are zeros by then), never every text a long-running server met.
MEASURED_TEXTS = 8192


@functools.lru_cache(maxsize=MEASURED_TEXTS)
def measured_width(text: str, size: int) -> float:
    """:func:`text_width`, measured."""
    from matplotlib.font_manager import FontProperties  # noqa: PLC0415
    from matplotlib.textpath import text_to_path  # noqa: PLC0415

    # the image draws at 100 dpi: 72/100 points per pixel
    font = FontProperties(family="DejaVu Sans", weight="bold", size=size * 0.72)
    width = text_to_path.get_text_width_height_descent(text, font, ismath=False)[0] / 0.72
    deck_font = _deck_font(size)
    if deck_font is not None:
        width = max(width, sum(deck_font.getlength(c) for c in text))
    return float(width)


def shortened(text: str, size: int, max_px: float = MAX_TEXT_PX) -> str:
    """``text`` as drawn on the map: on one line, cut with an ellipsis to fit ``max_px``."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= max_px:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, size) <= max_px:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


# --- placing ----------------------------------------------------------------------------------


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, bounds: Box) -> bool:
    return bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]


def block_box(mark: Mark, width: float, height: float, direction: tuple[int, int], gap: float) -> Box:
    """The box of a block ``width`` by ``height`` set ``gap`` off the circle on ``direction``'s side."""
    ux, uy = direction
    slant = math.sqrt(0.5) if ux and uy else 1.0  # a diagonal block touches the circle at 45°
    reach = mark.radius * slant + gap
    cx = mark.x + ux * (reach + width / 2)
    cy = mark.y + uy * (reach + height / 2)
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def block_lines(mark: Mark, texts: Sequence[tuple[str, str, int, float]], box: Box, ux: int) -> list[Line]:
    """The lines of a block in ``box``: set against the circle's side (left-aligned to its right,
    right-aligned to its left, centred above and below)."""
    anchor = "start" if ux > 0 else "end" if ux < 0 else "middle"
    x = box[0] + PAD_PX if ux > 0 else box[2] - PAD_PX if ux < 0 else (box[0] + box[2]) / 2
    out, top = [], box[1]
    for kind, text, _size, line_px in texts:
        out.append(Line(mark.key, kind, text, round(x - mark.x, 1), round(top + line_px / 2 - mark.y, 1), anchor))
        top += line_px
    return out


def leader_for(mark: Mark, box: Box) -> Leader:
    """From the circle's edge towards the block's nearest point."""
    nx, ny = min(max(mark.x, box[0]), box[2]), min(max(mark.y, box[1]), box[3])
    dx, dy = nx - mark.x, ny - mark.y
    d = math.hypot(dx, dy) or 1.0
    return Leader(mark.key, round(dx / d * mark.radius, 1), round(dy / d * mark.radius, 1), round(dx, 1), round(dy, 1))


def candidates(mark: Mark, width: float, height: float):
    for gap in (NEAR_GAP_PX, FAR_GAP_PX):
        for direction in DIRECTIONS:
            yield direction, gap, block_box(mark, width, height, direction, gap)


def place(marks: Sequence[Mark], width: float, height: float, top_inset: float = 0.0) -> Placement:
    """Names and notes of ``marks`` on a map of ``width`` by ``height`` pixels (the top
    ``top_inset`` kept free), none over another (see the module's description)."""
    bounds = (0.0, float(top_inset), float(width), float(height))
    order = sorted(marks, key=lambda m: (-m.radius, m.name, m.key))
    circles = {m.key: (m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius) for m in marks}
    centres = {m.key: (m.x - 1, m.y - 1, m.x + 1, m.y + 1) for m in marks}
    taken: list[Box] = []
    lines: list[Line] = []
    leaders: list[Leader] = []
    unnamed: list[str] = []
    without_note: list[str] = []
    for mark in order:
        name = [("name", mark.name, NAME_PX, NAME_LINE_PX)]
        note = [("note", mark.note, NOTE_PX, NOTE_LINE_PX)] if mark.note else []
        found = None
        for texts in ([*name, *note], name) if note else (name,):
            width_px = max(text_width(t, size) for _, t, size, _ in texts) + 2 * PAD_PX
            height_px = sum(line for *_, line in texts)
            found = best_spot(mark, width_px, height_px, bounds, taken, circles, centres)
            if found is not None:
                direction, gap, box = found
                taken.append(box)
                lines += block_lines(mark, texts, box, direction[0])
                if gap > NEAR_GAP_PX:
                    leaders.append(leader_for(mark, box))
                if note and len(texts) == 1:
                    without_note.append(mark.key)
                break
        if found is None:
            unnamed.append(mark.key)
            if note:
                without_note.append(mark.key)
    return Placement(lines, leaders, unnamed, without_note)


def best_spot(mark: Mark, width: float, height: float, bounds: Box, taken, circles, centres):
    """The first candidate inside ``bounds`` and off every taken box and other centre, preferring
    one off the other circles too; None if there is none."""
    others = [box for key, box in circles.items() if key != mark.key]
    centre_boxes = [box for key, box in centres.items() if key != mark.key]
    fallback = None
    for direction, gap, box in candidates(mark, width, height):
        if not inside(box, bounds) or any(overlaps(box, t) for t in taken):
            continue
        if any(overlaps(box, c) for c in centre_boxes):
            continue
        if not any(overlaps(box, c) for c in others):
            return direction, gap, box
        if fallback is None:
            fallback = direction, gap, box
    return fallback
