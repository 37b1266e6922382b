"""What the map marks for a view, the same on the page's deck and in the PNG/SVG: one row per
city of each layer (circle, ring, disc) with its radius and tooltip, the map's size on a screen,
and the names and notes placed beside the circles (:mod:`geo.views.labels`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from geo.i18n import count_text, enum_label, translation
from geo.i18n.fields import place_name
from geo.views import labels as placing
from geo.views.formats import format_span, people_breakdown
from geo.views.legend import radius
from geo.views.place_labels import city_label
from geo.views.reader_text import plain_text
from geo.views.viewport import Viewport

#: The map's size before the browser has said how wide it is (the wide layout beside the sidebar),
#: and its height on narrow screens (phones: below Streamlit's 640 px breakpoint) and wide ones.
DEFAULT_WIDTH_PX, NARROW_WIDTH_PX = 940, 640
NARROW_HEIGHT_PX, WIDE_HEIGHT_PX = 300, 560
#: The share of their full size the circles are drawn at on a narrow map.
NARROW_MARK_SCALE = 0.65
#: The band along the map's top edge kept free of marks: the date stamp sits there.
STAMP_INSET_PX = 36

#: What a city's circle can stand for: the column of :func:`geo.query.index.CaseIndex.city_totals` it is sized by.
SIZE_BY = ("convicted", "decisions")
MAX_RADIUS_PX = 38
MIN_RADIUS_PX = 4
EVENT_MAX_RADIUS_PX = 26
EVENT_MIN_RADIUS_PX = 7
MENTION_MAX_RADIUS_PX = 48


def city_tooltip(row, lang: str = "en") -> str:
    """A court city's tooltip in ``lang``: its names, counts, people by outcome and dates."""
    tr = translation(lang)
    lines = [
        plain_text(city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang)),
        f"{count_text('decisions', int(row.decisions), lang)}, {count_text('people', int(row.people), lang)}",
        people_breakdown(
            int(row.convicted),
            int(row.acquitted),
            int(row.posthumous),
            lang,
            int(row.people) - int(row.convicted) - int(row.acquitted) - int(row.posthumous),
        ),
        format_span(row.first, row.last, lang),
    ]
    if int(row.approximate):
        n = int(row.approximate)
        lines.append(
            tr.ngettext(
                "{count} decision dated only approximately", "{count} decisions dated only approximately", n
            ).format(count=tr.number(n))
        )
    return "\n".join(line for line in lines if line)


def outcome_badge(row, lang: str = "en") -> str:
    """The people a city's circle does not count: ``2 acquitted, 1 posthumous``, in ``lang``."""
    tr = translation(lang)
    parts = [
        tr.gettext("{count} acquitted").format(count=tr.number(int(row.acquitted))) if int(row.acquitted) else "",
        tr.gettext("{count} posthumous").format(count=tr.number(int(row.posthumous))) if int(row.posthumous) else "",
    ]
    return ", ".join(p for p in parts if p)


def event_types_text(types: object, lang: str) -> str:
    """``protest, arrest`` (the event types of a city, as :func:`geo.query.index.EventIndex.city_totals`
    joins their values) in ``lang``; English keeps the values as they are."""
    if lang == "en":
        return str(types)
    return ", ".join(enum_label(t.strip(), lang, "event_type") for t in str(types).split(",") if t.strip())


def event_tooltip(row, lang: str = "en") -> str:
    return "\n".join(
        [
            plain_text(city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang)),
            f"{count_text('events', int(row.events), lang)}: {event_types_text(row.types, lang)}",
            format_span(row.first, row.last, lang),
        ]
    )


def mention_tooltip(row, lang: str = "en") -> str:
    tr = translation(lang)
    mentions, articles = int(row.mentions), int(row.articles)
    return "\n".join(
        [
            plain_text(city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang)),
            tr.ngettext("{mentions} in {count} article", "{mentions} in {count} articles", articles).format(
                mentions=tr.npgettext("count", "{count} mention", "{count} mentions", mentions).format(
                    count=tr.number(mentions)
                ),
                count=tr.number(articles),
            ),
        ]
    )


def position(row) -> list[float]:
    return [round(float(row.longitude), 4), round(float(row.latitude), 4)]


def point_rows(
    totals: pd.DataFrame,
    column: str,
    tooltip,
    max_px: float,
    min_px: float,
    largest: float | None = None,
    lang: str = "en",
) -> list[dict]:
    """One point per city, its circle's area proportional to ``column`` (relative to ``largest``,
    by default the largest value shown); ``name`` is the one drawn beside it, in ``lang``."""
    largest = float(largest if largest is not None else (totals[column].max() if len(totals) else 0))
    return [
        {
            "location_id": row.location_id,
            "name": place_name(row.name, getattr(row, "name_ru", None), getattr(row, "name_kk", None), lang),
            "position": position(row),
            "radius": radius(float(getattr(row, column)), largest, max_px, min_px),
            "tooltip": tooltip(row),
        }
        for row in totals.itertuples(index=False)
    ]


def city_rows(
    totals: pd.DataFrame,
    size_by: str = "convicted",
    largest: float | None = None,
    scale: float = 1.0,
    lang: str = "en",
) -> list[dict]:
    """One row per city of :func:`geo.query.index.CaseIndex.city_totals`, with ``badge``: the acquitted and
    posthumously convicted people, drawn as text beside the circle, never in its size. Tooltips in ``lang``."""
    tooltip = functools.partial(city_tooltip, lang=lang)
    rows = point_rows(totals, size_by, tooltip, MAX_RADIUS_PX * scale, MIN_RADIUS_PX, largest, lang)
    for row, badge in zip(rows, (outcome_badge(r, lang) for r in totals.itertuples(index=False))):
        row["badge"] = badge
    return rows


def event_rows(totals: pd.DataFrame, largest: float | None = None, scale: float = 1.0, lang: str = "en") -> list[dict]:
    """One row per city of :func:`geo.query.index.EventIndex.city_totals`."""
    tooltip = functools.partial(event_tooltip, lang=lang)
    return point_rows(totals, "events", tooltip, EVENT_MAX_RADIUS_PX * scale, EVENT_MIN_RADIUS_PX, largest, lang)


def mention_rows(
    totals: pd.DataFrame, largest: float | None = None, scale: float = 1.0, lang: str = "en"
) -> list[dict]:
    """One row per city of :func:`geo.query.aggregates.mention_totals`."""
    tooltip = functools.partial(mention_tooltip, lang=lang)
    return point_rows(totals, "mentions", tooltip, MENTION_MAX_RADIUS_PX * scale, MIN_RADIUS_PX * 2, largest, lang)


# --- the map on a screen ---------------------------------------------------------------------


def narrow(width_px: float | None) -> bool:
    return width_px is not None and width_px < NARROW_WIDTH_PX


def mark_scale(width_px: float | None) -> float:
    """The share of their full size circles are drawn at on a map ``width_px`` wide: smaller on a
    phone, where circles sized for a wide map would cover the country (the legend follows)."""
    return NARROW_MARK_SCALE if narrow(width_px) else 1.0


def map_height(width_px: float | None) -> int:
    """The map's height for its width: lower on a phone, where the country is wider than tall and
    the cases of a clicked city should follow right under the map."""
    return NARROW_HEIGHT_PX if narrow(width_px) else WIDE_HEIGHT_PX


# --- what is drawn --------------------------------------------------------------------------


class MapMarks(NamedTuple):
    """What the map draws of a view, the same on the page and in the image: the rows of each
    layer, the names and notes placed beside the circles, and the areas a tap picks a city by."""

    cities: list[dict]
    events: list[dict]
    mentions: list[dict]
    placement: placing.Placement
    #: The full names of the places, by location_id, in the reader's language.
    names: dict[str, str]

    def unnamed(self) -> list[str]:
        """The cities whose name found no room on the map, by full name."""
        return [self.names[key] for key in self.placement.unnamed]

    def without_note(self) -> list[str]:
        return [self.names[key] for key in self.placement.without_note]


def map_marks(
    cities: pd.DataFrame,
    events: pd.DataFrame | None,
    mentions: pd.DataFrame | None,
    size_by: str,
    largest: Mapping[str, float],
    view: Mapping[str, float],
    width_px: float,
    circle_scale: float = 1.0,
    lang: str = "en",
) -> MapMarks:
    """The rows of :func:`city_rows`, :func:`event_rows` and :func:`mention_rows` and the labels
    placed for them (:func:`geo.views.labels.place`) on a map ``width_px`` wide in ``view``."""
    city_data = city_rows(cities, size_by, largest.get(size_by), circle_scale, lang)
    event_data = event_rows(events, largest.get("events"), circle_scale, lang) if events is not None else []
    mention_data = mention_rows(mentions, largest.get("mentions"), circle_scale, lang) if mentions is not None else []
    first: dict[str, dict] = {}
    widest: dict[str, float] = {}
    for row in (*city_data, *event_data, *mention_data):
        first.setdefault(row["location_id"], row)
        widest[row["location_id"]] = max(widest.get(row["location_id"], 0.0), row["radius"])
    notes = {row["location_id"]: row["badge"] for row in city_data}
    port = Viewport.of(view, width_px, map_height(width_px))
    if first:
        xs, ys = port.project([r["position"][0] for r in first.values()], [r["position"][1] for r in first.values()])
    else:
        xs = ys = np.zeros(0)
    marks = [
        placing.Mark(
            key,
            placing.shortened(row["name"], placing.NAME_PX),
            placing.shortened(notes.get(key, ""), placing.NOTE_PX, placing.MAX_NOTE_PX),
            float(x),
            float(y),
            widest[key],
        )
        for (key, row), x, y in zip(first.items(), xs, ys)
    ]
    placement = placing.place(marks, port.width, port.height, STAMP_INSET_PX)
    names = {key: row["name"] for key, row in first.items()}
    return MapMarks(city_data, event_data, mention_data, placement, names)


def place_tooltips(marks: MapMarks) -> dict[str, str]:
    """One tooltip per place: its court figures, then its events and mentions (without its name again)."""
    tips: dict[str, list[str]] = {}
    for rows in (marks.cities, marks.events, marks.mentions):
        for row in rows:
            lines = row["tooltip"].split("\n")
            known = tips.setdefault(row["location_id"], lines[:1])
            known += lines[1:]
    return {key: "\n".join(lines) for key, lines in tips.items()}
