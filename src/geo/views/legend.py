"""What goes around the map, the same under the page's deck and in the PNG/SVG: the size key's
round numbers, the notes on what the map leaves out, and the title.

The page draws the key as HTML (:func:`geo.views.legend.size_key`) and the image with matplotlib,
each from :func:`size_keys`; both write :func:`map_notes` under it.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from babel.lists import format_list

from geo.i18n import N_, translation
from geo.views import descriptions, notes

if TYPE_CHECKING:
    from geo.query.view import View

#: RGB of Streamlit's named Markdown colours, so the legend (``:red[●]``) matches the map.
RGB = {
    "red": (255, 75, 75),
    "orange": (255, 164, 33),
    "violet": (128, 61, 245),
    "gray": (128, 132, 149),
    "green": (33, 195, 84),
    "blue": (28, 131, 225),
}

#: Text on the map and in its image: the cities' names, and the green notes of acquittals and
#: posthumous verdicts, each on a light box (opacity out of 255) that keeps them readable over
#: borders and circles: at least 4.5:1 over anything the box can lie on (tests/test_contrast.py).
NAME_INK = (38, 39, 48)
OUTCOME_INK = (15, 110, 50)
LABEL_BOX_ALPHA = 200

#: Font size (pixels) of the key's counts.
KEY_TEXT_PX = 14
#: The key shows the largest count, then round counts near these shares of it.
KEY_SHARES = (0.25, 0.05)
#: A smaller key circle is shown only when its radius is this much smaller than the one before
#: (pixels; or a fifth of the largest radius, if less), so no two key circles look the same.
KEY_STEP_PX = 6.0


def radius(value: float, largest: float, max_px: float, min_px: float) -> float:
    """Circle radius in pixels: area proportional to ``value`` (square-root scale)."""
    if largest <= 0 or value <= 0:
        return min_px
    return round(max(min_px, max_px * math.sqrt(value / largest)), 1)


def nice(value: float) -> int:
    """``value`` rounded to the nearest 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda n: abs(math.log(n / value)))


def size_keys(largest: float, max_px: float, min_px: float) -> list[tuple[int, float]]:
    """Reference counts for a size key, largest first, each with the radius :func:`radius` gives
    it on the map: the dataset's largest count (the largest circle any filter draws), then round
    numbers near a quarter and a twentieth of it, each kept only if its circle is visibly smaller
    than the one before (:data:`KEY_STEP_PX`)."""
    if largest < 1:
        return []
    values = [int(largest)]
    step = min(KEY_STEP_PX, max_px / 5)
    for share in KEY_SHARES:
        value = nice(largest * share)
        if value < values[-1] and (
            radius(values[-1], largest, max_px, min_px) - radius(value, largest, max_px, min_px) >= step
        ):
            values.append(value)
    return [(v, radius(v, largest, max_px, min_px)) for v in values]


def title(view: View) -> str:
    """The map's title: the filter and its result, as the page's description line states them."""
    return descriptions.description(view)


def unnamed_note(names: Sequence[str], lang: str = "en") -> str | None:
    """``Not named on the map for lack of room: Konayev, Shu (their tooltips and the tables name them).``"""
    if not names:
        return None
    tr = translation(lang)
    return tr.ngettext(
        "Not named on the map for lack of room: {names} (its tooltip and the tables name it).",
        "Not named on the map for lack of room: {names} (their tooltips and the tables name them).",
        len(names),
    ).format(names=format_list(list(names), locale=lang))


def unnoted_note(names: Sequence[str], lang: str = "en") -> str | None:
    """The cities whose green note of acquitted and posthumous people found no room."""
    if not names:
        return None
    tr = translation(lang)
    return tr.ngettext(
        "No room on the map for the acquitted and posthumous people of {names} (its tooltip and the tables give them).",
        "No room on the map for the acquitted and posthumous people of {names} (their tooltips and the tables "
        "give them).",
        len(names),
    ).format(names=format_list(list(names), locale=lang))


def map_notes(view: View, events: bool, unnamed: Sequence[str] = (), without_note: Sequence[str] = ()) -> list[str]:
    """What the map does not show, in the view's language: rows it cannot place, dates it
    cannot pin down, and the names and notes the labels found no room for (``unnamed``,
    ``without_note``: the cities' names as the map would draw them)."""
    lang = view.lang
    found = [
        notes.unmapped_note(*view.cases.unplaced(view.selected), lang=lang),
        notes.approximate_note(view.cases.approximate_count(view.selected), lang),
        notes.events_unmapped_note(view.index.events.unplaced_count(view.events_selected), lang) if events else None,
        unnamed_note(unnamed, lang),
        unnoted_note([n for n in without_note if n not in unnamed], lang),
    ]
    return [n for n in found if n]


# --- legend --------------------------------------------------------------------------------


#: What a court city's circle means, by what sizes it (one whole sentence each, for the catalogs).
SIZE_MEANING = {
    "convicted": N_(
        "one circle per court city; its area is proportional to the number of people convicted "
        "(acquittals and posthumous verdicts are not counted in it)."
    ),
    "decisions": N_(
        "one circle per court city; its area is proportional to the number of court decisions "
        "(first instance, appeal and higher courts)."
    ),
}


def legend(
    size_by: str = "convicted", events: bool = True, mentions: bool = False, lang: str = "en"
) -> list[dict[str, str]]:
    """What each mark means, in ``lang``; ``color`` is a Streamlit Markdown colour name matching :data:`RGB`."""
    entries = [
        {
            "color": "red",
            "symbol": "●",
            "label": N_("Court decisions"),
            "meaning": SIZE_MEANING[size_by],
        },
        {
            "color": "green",
            "symbol": "✓",
            "label": N_("Acquitted, posthumous"),
            "meaning": N_(
                "green text under a city's name: people acquitted there, and people convicted after their death."
            ),
        },
    ]
    if events:
        entries.append(
            {
                "color": "orange",
                "symbol": "◯",
                "label": N_("Events"),
                "meaning": N_(
                    "ring per city with protests, violence, arrests and other events; larger ring, more events."
                ),
            }
        )
    if mentions:
        entries.append(
            {
                "color": "violet",
                "symbol": "●",
                "label": N_("Article mentions"),
                "meaning": N_("pale disc per city named in the source articles; larger disc, more mentions."),
            }
        )
    entries.append(
        {
            "color": "gray",
            "symbol": "▭",
            "label": N_("Borders"),
            "meaning": N_("Kazakhstan (shaded) and its neighbours, from Natural Earth."),
        }
    )
    tr = translation(lang)
    return [{**e, "label": tr.gettext(e["label"]), "meaning": tr.gettext(e["meaning"])} for e in entries]


def size_key(title: str, keys: Sequence[tuple[int, float]], colour: str, ring: bool, lang: str = "en") -> str:
    """One row of the legend's size key as HTML: ``title`` (plain text, escaped here), then
    ``keys`` as an image of an SVG (Streamlit's HTML element strips inline SVG), each circle at
    its map radius in its map colour (``ring``: an outline, as events are drawn) and its count
    beside it, written as ``lang`` writes numbers. The image's alternative text is the title and counts."""
    from html import escape  # noqa: PLC0415

    from geo.views.labels import text_width  # noqa: PLC0415

    tr = translation(lang)
    height = 2 * max((r for _, r in keys), default=0) + 6
    r_, g, b = RGB[colour]
    paint = (
        f'fill="none" stroke="rgb({r_},{g},{b})" stroke-width="2.5"'
        if ring
        else f'fill="rgb({r_},{g},{b})" fill-opacity="0.75" stroke="white"'
    )
    x, parts = 3.0, []
    for value, r in keys:
        count = tr.number(value)
        parts.append(f'<circle cx="{x + r:.1f}" cy="{height / 2:.1f}" r="{r:.1f}" {paint}/>')
        parts.append(
            f'<text x="{x + 2 * r + 5:.1f}" y="{height / 2 + 5:.1f}" font-family="sans-serif" '
            f'font-size="{KEY_TEXT_PX}" fill="#262730">{count}</text>'
        )
        x += 2 * r + 5 + text_width(count, KEY_TEXT_PX) + 14
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {x:.0f} {height:.0f}">{"".join(parts)}</svg>'
    )
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = f"{title} {', '.join(tr.number(value) for value, _ in keys)}"
    return (
        '<div style="display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;margin-bottom:4px">'
        f'<span>{escape(title)}</span><img alt="{escape(alt)}" width="{x:.0f}" height="{height:.0f}" '
        f'src="data:image/svg+xml;base64,{data}"></div>'
    )
