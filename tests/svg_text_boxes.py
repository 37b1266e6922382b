"""The box of every text an SVG of :mod:`geo.views.map_image` draws, from the font's metrics
(matplotlib's, for the font and weight the text's style names), and the pairs of them that overlap.

matplotlib writes each drawn line as one ``<text>`` with its baseline's start at ``x``, ``y``
(``svg.fonttype: none``); the box runs from the baseline up by the line's ink height above it and
down by its descent, across the width matplotlib measures for it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NamedTuple

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

SVG = "{http://www.w3.org/2000/svg}"
#: Boxes that meet by less than this (SVG user units) do not count as overlapping: rounding.
TOUCH = 0.25


class TextBox(NamedTuple):
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def style_of(element) -> dict[str, str]:
    return {
        k.strip(): v.strip() for k, v in (p.split(":", 1) for p in (element.get("style") or "").split(";") if ":" in p)
    }


def text_boxes(svg: bytes) -> list[TextBox]:
    boxes = []
    for element in ET.fromstring(svg).iter(f"{SVG}text"):
        text = "".join(element.itertext())
        if not text.strip():
            continue
        style = style_of(element)
        size = float(re.match(r"[\d.]+", style["font-size"])[0])
        font = FontProperties(family="DejaVu Sans", weight=style.get("font-weight", "400"), size=size)
        width, height, descent = text_to_path.get_text_width_height_descent(text, font, ismath=False)
        # a line of several is placed by a translate(), a single line by x and y
        moved = re.search(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", element.get("transform") or "")
        tx, ty = (float(moved[1]), float(moved[2])) if moved else (0.0, 0.0)
        x, y = tx + float(element.get("x", 0)), ty + float(element.get("y", 0))
        anchor = style.get("text-anchor", "start")
        x0 = x - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
        boxes.append(TextBox(text, x0, y - (height - descent), x0 + width, y + descent))
    return boxes


def overlapping(boxes: list[TextBox]) -> list[tuple[str, str]]:
    """Each pair of texts whose boxes overlap by more than :data:`TOUCH` both ways."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > TOUCH and min(a.y1, b.y1) - max(a.y0, b.y0) > TOUCH:
                pairs.append((a.text, b.text))
    return pairs
