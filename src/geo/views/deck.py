"""The map as a pydeck ``Deck``: borders, one circle per city, events, article mentions.

Every data layer holds one row per city, never one per case, so the map's JSON stays the same
size whether the filter matches ten verdicts or a million. Country outlines come from the
shipped ``borders.geojson`` (no tile server is needed, or reachable, on the users' machines),
drawn as the file holds them: it is simplified for the screen when it is built.

Tooltips use deck.gl's *text* mode (``{"text": "{tooltip}"}``): the browser sets the text with
``innerText``, so a name like ``<img onerror=…>`` shows as typed and never runs, whatever the
Streamlit version (1.67 escapes values in the HTML mode; older ones did not). Each row carries its
finished ``tooltip`` text, lines separated by ``\n``.
"""

from __future__ import annotations

import base64
import functools
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from geo.data.paths import SHIPPED_DATA_DIR
from geo.i18n import N_, count_text, enum_label, translation
from geo.i18n.fields import place_name
from geo.views.present import city_label, format_span, people_breakdown
from geo.views.reader_text import plain_text

if TYPE_CHECKING:
    from geo.query.view import DatasetIndex, View

#: Zoom limits of the map: the fit never goes past FIT_MAX_ZOOM (one city alone would otherwise
#: fill the map with a street-level view), and a reader may zoom out to MIN_ZOOM.
MIN_ZOOM, FIT_MAX_ZOOM, MAX_ZOOM = 1.0, 6.0, 10.0
#: deck.gl's Web Mercator: the world is this many pixels wide at zoom 0.
WORLD_PX = 512.0
#: The map's size before the browser has said how wide it is (the wide layout beside the sidebar),
#: and its height on narrow screens (phones: below Streamlit's 640 px breakpoint) and wide ones.
DEFAULT_WIDTH_PX, NARROW_WIDTH_PX = 940, 640
NARROW_HEIGHT_PX, WIDE_HEIGHT_PX = 300, 560
#: The share of their full size the circles are drawn at on a narrow map.
NARROW_MARK_SCALE = 0.65
#: The band along the map's top edge kept free of marks: the date stamp sits there.
STAMP_INSET_PX = 36

#: RGB of Streamlit's named Markdown colours, so the legend (``:red[●]``) matches the map.
RGB = {
    "red": (255, 75, 75),
    "orange": (255, 164, 33),
    "violet": (128, 61, 245),
    "gray": (128, 132, 149),
    "green": (33, 195, 84),
    "blue": (28, 131, 225),
}

#: What a city's circle can stand for: the column of :func:`geo.query.index.CaseIndex.city_totals` it is sized by.
SIZE_BY = ("convicted", "decisions")
MAX_RADIUS_PX = 38
MIN_RADIUS_PX = 4
EVENT_MAX_RADIUS_PX = 26
EVENT_MIN_RADIUS_PX = 7
MENTION_MAX_RADIUS_PX = 48
LABEL_PX, BADGE_PX = 14, 12  # font sizes of the city names and of the outcome badges

KAZAKHSTAN_FILL = [246, 238, 217]
OTHER_FILL = [229, 229, 229]
KAZAKHSTAN_LINE = [80, 80, 80]
OTHER_LINE = [160, 160, 160]

TOOLTIP_STYLE = {
    "backgroundColor": "white",
    "color": "#262730",
    "fontSize": "13px",
    "border": "1px solid #d0d0d0",
    "padding": "6px 8px",
    "maxWidth": "min(320px, calc(100% - 16px))",  # of the map: a phone's map is not much wider
    "whiteSpace": "pre-line",
}


# --- borders -------------------------------------------------------------------------------


def load_borders(path: str | Path) -> dict | None:
    """The GeoJSON FeatureCollection at ``path``, or None when the file is missing or unusable
    (a device, a pipe, too large, not the outlines :mod:`geo.places.borders_file` accepts; ``geo
    validate`` says why): the map is then drawn without borders."""
    from geo.data.validate import Report  # noqa: PLC0415
    from geo.places.borders_file import read  # noqa: PLC0415

    path = Path(path)
    if not (path.exists() or path.is_symlink()):
        return None
    return read(path, Report())


def borders_path(data_dir: str | Path) -> Path:
    """The ``borders.geojson`` a data directory is drawn with: its own, else the shipped one."""
    path = Path(data_dir) / "borders.geojson"
    return path if path.exists() or path.is_symlink() else SHIPPED_DATA_DIR / "borders.geojson"


def borders_for_map(collection: Mapping) -> dict:
    """``collection`` with the colours each country is drawn in, Kazakhstan last so that its
    outline is drawn over the borders it shares. Geometry passes through as it is: the shipped
    file is simplified when it is built (``python -m geo borders``), not here."""
    out: list[dict[str, Any]] = []
    for feature in collection.get("features", []):
        props = feature.get("properties") or {}
        is_kz = bool(props.get("is_kazakhstan"))
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "name": props.get("name"),
                    "name_ru": props.get("name_ru"),
                    "fill": KAZAKHSTAN_FILL if is_kz else OTHER_FILL,
                    "line": KAZAKHSTAN_LINE if is_kz else OTHER_LINE,
                    "width": 1.6 if is_kz else 0.8,
                },
                "geometry": feature["geometry"],
            }
        )
    out.sort(key=lambda f: f["properties"]["fill"] == KAZAKHSTAN_FILL)
    return {"type": "FeatureCollection", "features": out}


# --- rows ----------------------------------------------------------------------------------


def radius(value: float, largest: float, max_px: float, min_px: float) -> float:
    """Circle radius in pixels: area proportional to ``value`` (square-root scale)."""
    if largest <= 0 or value <= 0:
        return min_px
    return round(max(min_px, max_px * math.sqrt(value / largest)), 1)


def city_tooltip(row, lang: str = "en") -> str:
    """A court city's tooltip in ``lang``: its names, counts, people by outcome and dates."""
    tr = translation(lang)
    lines = [
        plain_text(city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang)),
        f"{count_text('decisions', int(row.decisions), lang)}, {count_text('people', int(row.people), lang)}",
        people_breakdown(int(row.convicted), int(row.acquitted), int(row.posthumous), lang),
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


def label_rows(*layers: Sequence[dict]) -> list[dict]:
    """One name per city on any layer, set off to the right of its largest circle."""
    widest: dict[str, float] = {}
    first: dict[str, dict] = {}
    for rows in layers:
        for r in rows:
            first.setdefault(r["location_id"], r)
            widest[r["location_id"]] = max(widest.get(r["location_id"], 0.0), r["radius"])
    return [
        {"name": r["name"], "position": r["position"], "offset": [widest[i] + 4, 0], "anchor": "start"}
        for i, r in first.items()
    ]


#: Width of a character of the labels, as a share of the font size: a generous average for the
#: dashboard's semibold sans-serif (the server cannot measure text in the browser's font).
CHAR_EM = 0.58


def turned_inwards(rows: list[dict], text: str, size: float, view: Mapping[str, float], width_px: float) -> list[dict]:
    """``rows`` (text beside a circle, ``offset`` to its right) with the texts that would run past
    the map's right edge in ``view`` set to the circle's left instead, so the eastern cities keep
    their names on a narrow map."""
    scale = 2 ** float(view["zoom"])
    centre = mercator(float(view["longitude"]), float(view["latitude"]))[0]
    out = []
    for row in rows:
        x = width_px / 2 + (mercator(*row["position"])[0] - centre) * scale
        dx, dy = row["offset"]
        if x + dx + len(str(row[text])) * size * CHAR_EM > width_px:
            row = {**row, "offset": [-dx, dy], "anchor": "end"}
        out.append(row)
    return out


# --- the view ---------------------------------------------------------------------------


class Footprint(NamedTuple):
    """A place on the map and the radius, in screen pixels, of its largest mark."""

    longitude: float
    latitude: float
    radius: float


def footprints(
    cities: pd.DataFrame, events: pd.DataFrame | None, largest: Mapping[str, float], scale: float = 1.0
) -> list[Footprint]:
    """One footprint per place that has decisions in ``cities`` or events in ``events`` (their
    per-city totals), its circle or ring at its largest under either size measure, drawn at
    ``scale`` as :func:`deck_for` draws them. Given the totals of every record, the footprints
    hold whatever a filter of dates, sentences or roles can draw, so a view fitted to them does
    not move when such a filter changes (or Play steps a month). Names are not counted:
    :func:`turned_inwards` sets those at the map's right edge to the left of their circle."""
    marks: dict[str, Footprint] = {}
    for row in cities.itertuples(index=False):
        r = max(
            radius(float(getattr(row, column)), float(largest.get(column, 0)), MAX_RADIUS_PX * scale, MIN_RADIUS_PX)
            for column in SIZE_BY
        )
        marks[row.location_id] = Footprint(float(row.longitude), float(row.latitude), r)
    for row in events.itertuples(index=False) if events is not None else ():
        r = radius(float(row.events), float(largest.get("events", 0)), EVENT_MAX_RADIUS_PX * scale, EVENT_MIN_RADIUS_PX)
        known = marks.get(row.location_id)
        marks[row.location_id] = Footprint(
            float(row.longitude), float(row.latitude), max(r, known.radius if known else 0)
        )
    return list(marks.values())


#: Kazakhstan's north-west and south-east corners, as places without marks: what the map frames
#: when it has no place to fit, and what it frames with the places when no city is chosen.
KAZAKHSTAN = [Footprint(46.5, 55.4, 0.0), Footprint(87.4, 40.6, 0.0)]


def mercator(longitude: float, latitude: float) -> tuple[float, float]:
    """Web Mercator pixels at zoom 0, as deck.gl projects (y grows southwards)."""
    lat = math.radians(max(-85.0, min(85.0, latitude)))
    return (longitude + 180) / 360 * WORLD_PX, (1 - math.log(math.tan(math.pi / 4 + lat / 2)) / math.pi) / 2 * WORLD_PX


def longitude_of(x: float) -> float:
    return x / WORLD_PX * 360 - 180


def latitude_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / WORLD_PX))) - math.pi / 2)


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


def view_for(
    places: Sequence[Footprint], width_px: float, height_px: float, top_inset_px: float = 0
) -> dict[str, float]:
    """The view state that shows every place with its circle inside a map of ``width_px`` by
    ``height_px`` (the top ``top_inset_px`` kept free), as large as fits, at most
    :data:`FIT_MAX_ZOOM`; no place: :data:`KAZAKHSTAN`.

    Web Mercator at zoom z is 512·2^z pixels around the world, so the zoom is log2 of the
    tightest scale along either axis, and the centre is the middle of the circles' pixel extent.
    The server computes it because deck.gl's ``fitBounds`` is not reachable through pydeck's
    JSON, and the width must come from the browser (see :func:`geo.dashboard.glue.map_frame`):
    a fixed view crops the east and south-east on a phone, and pydeck's ``compute_view`` takes
    neither the map's size nor the marks' into account."""
    places = list(places) or KAZAKHSTAN
    xy = np.array([mercator(p.longitude, p.latitude) for p in places])
    reach = np.array([p.radius for p in places], dtype=float)
    scale = min(
        fit_scale(xy[:, 0], reach, float(width_px)),
        fit_scale(xy[:, 1], reach, float(height_px) - top_inset_px),
    )
    zoom = min(FIT_MAX_ZOOM, math.log2(scale)) if scale > 0 else MIN_ZOOM
    zoom = max(MIN_ZOOM, math.floor(zoom * 100) / 100)  # rounded down: the marks still fit
    s = 2**zoom
    x0, x1 = float(np.min(xy[:, 0] * s - reach)), float(np.max(xy[:, 0] * s + reach))
    y0, y1 = float(np.min(xy[:, 1] * s - reach)), float(np.max(xy[:, 1] * s + reach))
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


def fitted_view(v: View, width_px: float | None) -> dict[str, float]:
    """The view of a map ``width_px`` wide (None: not known yet) for the view ``v``: it frames
    every place the filter's cities can show at any date, and Kazakhstan when no city is
    chosen. It follows the cities chosen and the screen, never the dates or other filters, so
    Play and the date steps leave the map where it is (deck.gl keeps a reader's own pan and
    zoom while the view it is given stays the same)."""
    key = ("fitted_view", v.filters.cities, width_px)  # all it reads besides the index
    return dict(v.index.remember(key, lambda: _fitted_view(v.index, v.filters.cities, width_px)))


def _fitted_view(index: DatasetIndex, chosen: tuple[str, ...], width_px: float | None) -> dict[str, float]:
    cities, events = index.every_place
    if chosen:
        cities = cities[cities["location_id"].isin(chosen)]
        events = events[events["location_id"].isin(chosen)]
    places = footprints(cities, events, index.largest, mark_scale(width_px))
    if not chosen:
        places += KAZAKHSTAN
    width = width_px or DEFAULT_WIDTH_PX
    return view_for(places, width, map_height(width_px), STAMP_INSET_PX)


#: The view a map of the default size, fitted to Kazakhstan, opens on before anything is known.
INITIAL_VIEW = view_for([], DEFAULT_WIDTH_PX, WIDE_HEIGHT_PX, STAMP_INSET_PX)


def badge_rows(city_data: Sequence[dict]) -> list[dict]:
    """The outcome text of :func:`city_rows` that have one, set off to the right of the circle
    and under the city's name."""
    return [
        {"badge": r["badge"], "position": r["position"], "offset": [r["radius"] + 4, 15], "anchor": "start"}
        for r in city_data
        if r["badge"]
    ]


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


def nice(value: float) -> int:
    """``value`` rounded to the nearest 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda n: abs(math.log(n / value)))


def size_keys(largest: float, max_px: float, min_px: float) -> list[tuple[int, float]]:
    """Reference counts for the legend, largest first, each with the radius :func:`radius` gives
    it on the map: the dataset's largest count (the largest circle any filter draws), then about a
    quarter and a twentieth of it in round numbers (half the radius, and under a quarter)."""
    if largest < 1:
        return []
    values = [int(largest)]
    for share in (0.25, 0.05):
        value = nice(largest * share)
        if value < values[-1]:
            values.append(value)
    return [(v, radius(v, largest, max_px, min_px)) for v in values]


def size_key(title: str, keys: Sequence[tuple[int, float]], colour: str, ring: bool) -> str:
    """One row of the legend's size key as HTML: ``title`` (plain text, escaped here), then
    ``keys`` as an image of an SVG (Streamlit's HTML element strips inline SVG), each circle at
    its map radius in its map colour (``ring``: an outline, as events are drawn) and its count
    beside it with thousands separators. The image's alternative text is the title and counts."""
    from html import escape  # noqa: PLC0415

    height = 2 * max((r for _, r in keys), default=0) + 6
    r_, g, b = RGB[colour]
    paint = (
        f'fill="none" stroke="rgb({r_},{g},{b})" stroke-width="2.5"'
        if ring
        else f'fill="rgb({r_},{g},{b})" fill-opacity="0.75" stroke="white"'
    )
    x, parts = 3.0, []
    for value, r in keys:
        count = f"{value:,}"
        parts.append(f'<circle cx="{x + r:.1f}" cy="{height / 2:.1f}" r="{r:.1f}" {paint}/>')
        parts.append(
            f'<text x="{x + 2 * r + 5:.1f}" y="{height / 2 + 5:.1f}" font-family="sans-serif" '
            f'font-size="{LABEL_PX}" fill="#262730">{count}</text>'
        )
        x += 2 * r + 5 + len(count) * LABEL_PX * CHAR_EM + 14
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {x:.0f} {height:.0f}">{"".join(parts)}</svg>'
    )
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = f"{title} {', '.join(f'{value:,}' for value, _ in keys)}"
    return (
        '<div style="display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;margin-bottom:4px">'
        f'<span>{escape(title)}</span><img alt="{escape(alt)}" width="{x:.0f}" height="{height:.0f}" '
        f'src="data:image/svg+xml;base64,{data}"></div>'
    )


# --- the deck ------------------------------------------------------------------------------


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation. Streamlit sends ``to_json()`` to the browser as it
    is, and pydeck indents by two spaces, which nearly triples the bytes of the borders."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def rgba(name: str, alpha: int) -> list[int]:
    return [*RGB[name], alpha]


def text_layer(layer_id: str, data: list[dict], text: str, size: int, color: list[int]) -> pdk.Layer:
    """Labels beside the circles (``data`` rows carry ``position``, ``offset`` and ``anchor``), in the
    dashboard's font on a light box, so they read over borders and circles alike."""
    return pdk.Layer(
        "TextLayer",
        id=layer_id,
        data=data,
        get_position="position",
        get_text=text,
        get_pixel_offset="offset",
        get_size=size,
        get_color=color,
        font_family='\'"Source Sans", "Source Sans Pro", sans-serif\'',
        font_weight=600,
        get_text_anchor="anchor",
        character_set="'auto'",  # quoted: a literal, not an expression; the characters drawn, Cyrillic too
        get_alignment_baseline="'center'",
        background=True,
        get_background_color=[255, 255, 255, 200],
        background_padding=[2, 1],
        pickable=False,
    )


def deck_for(
    cities: pd.DataFrame,
    events: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    borders: Mapping | None = None,
    size_by: str = "convicted",
    largest: Mapping[str, float] | None = None,
    basemap: bool = False,
    view: Mapping[str, float] | None = None,
    width_px: float = DEFAULT_WIDTH_PX,
    circle_scale: float = 1.0,
    lang: str = "en",
) -> pdk.Deck:
    """The map for a filtered view.

    ``cities``: :func:`geo.query.index.CaseIndex.city_totals`; ``events``: :func:`geo.query.index.EventIndex.city_totals`;
    ``mentions``: :func:`geo.query.aggregates.mention_totals` (None: no layer); ``borders``: the output
    of :func:`borders_for_map`. ``largest`` holds the largest value of each measure over the
    whole dataset (keys ``convicted``, ``decisions``, ``events``, ``mentions``), so that a
    circle keeps its size for the same count whatever the filter. ``basemap=True`` adds online
    Carto tiles, which need the internet; the default draws no tiles at all. ``view``: the view
    state (:func:`view_for`), else :data:`INITIAL_VIEW`; ``width_px``: the map's width, at which
    names and badges that would cross its right edge are set to their circle's left;
    ``circle_scale``: the share of their full size the largest circles are drawn at
    (:func:`mark_scale`); ``lang``: the language of the tooltips and of the names and outcome
    text drawn on the map (the text layers build their font atlas from the characters they draw).
    """
    largest = dict(largest or {})
    view = dict(view or INITIAL_VIEW)
    layers = []
    if borders is not None:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="borders",
                data=borders,
                stroked=True,
                filled=not basemap,
                get_fill_color="properties.fill",
                get_line_color="properties.line",
                get_line_width="properties.width",
                line_width_units="'pixels'",
                pickable=False,
            )
        )
    mention_data = mention_rows(mentions, largest.get("mentions"), circle_scale, lang) if mentions is not None else []
    if mentions is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="mentions",
                data=mention_data,
                get_position="position",
                get_radius="radius",
                radius_units="'pixels'",
                get_fill_color=rgba("violet", 60),
                stroked=False,
                pickable=True,
            )
        )
    city_data = city_rows(cities, size_by, largest.get(size_by), circle_scale, lang)
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id="cities",
            data=city_data,
            get_position="position",
            get_radius="radius",
            radius_units="'pixels'",
            get_fill_color=rgba("red", 190),
            highlight_color=[160, 20, 20, 220],
            stroked=True,
            get_line_color=[255, 255, 255, 230],
            line_width_units="'pixels'",
            get_line_width=1,
            pickable=True,
            auto_highlight=True,
        )
    )
    event_data = event_rows(events, largest.get("events"), circle_scale, lang) if events is not None else []
    if events is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="events",
                data=event_data,
                get_position="position",
                get_radius="radius",
                radius_units="'pixels'",
                filled=False,
                stroked=True,
                get_line_color=rgba("orange", 255),
                line_width_units="'pixels'",
                get_line_width=2.5,
                pickable=True,
                auto_highlight=True,
                highlight_color=[200, 110, 0, 255],
            )
        )
    labels = turned_inwards(label_rows(city_data, event_data, mention_data), "name", LABEL_PX, view, width_px)
    layers.append(text_layer("labels", labels, "name", LABEL_PX, [38, 39, 48]))
    badges = turned_inwards(badge_rows(city_data), "badge", BADGE_PX, view, width_px)
    if badges:
        layers.append(text_layer("outcomes", badges, "badge", BADGE_PX, [20, 130, 60]))
    tiles = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    # No basemap: map_provider=None with pydeck's default map_style, which reaches Streamlit as
    # its "no style" sentinel. An explicit map_style=None would make Streamlit fetch Carto tiles.
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view),
        tooltip={"text": "{tooltip}", "style": TOOLTIP_STYLE},
        **tiles,
    )


def selected_city(selection: Mapping | None) -> str | None:
    """The location_id of the object clicked on the map (any data layer), else None."""
    objects = (selection or {}).get("objects") or {}
    for layer in ("cities", "events", "mentions"):
        for obj in objects.get(layer) or []:
            if obj.get("location_id"):
                return str(obj["location_id"])
    return None
