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

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from geo.data.paths import SHIPPED_DATA_DIR
from geo.i18n import count_text, enum_label, translation
from geo.i18n.fields import place_name
from geo.views import labels as placing
from geo.views.legend import RGB, legend, nice, radius, size_key, size_keys  # noqa: F401 -- the page's and tests' names
from geo.views.present import city_label, format_span, people_breakdown
from geo.views.viewport import (  # noqa: F401 -- the page's and tests' names
    FIT_MAX_ZOOM,
    KAZAKHSTAN,
    MAX_ZOOM,
    MIN_ZOOM,
    WORLD_PX,
    Footprint,
    Viewport,
    fit_scale,
    latitude_of,
    longitude_of,
    mercator,
    pick_areas,
    view_for,
)

if TYPE_CHECKING:
    from geo.query.view import DatasetIndex, View

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


def city_tooltip(row, lang: str = "en") -> str:
    """A court city's tooltip in ``lang``: its names, counts, people by outcome and dates."""
    tr = translation(lang)
    lines = [
        city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang),
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
            city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang),
            f"{count_text('events', int(row.events), lang)}: {event_types_text(row.types, lang)}",
            format_span(row.first, row.last, lang),
        ]
    )


def mention_tooltip(row, lang: str = "en") -> str:
    tr = translation(lang)
    mentions, articles = int(row.mentions), int(row.articles)
    return "\n".join(
        [
            city_label(row.name, row.name_ru, getattr(row, "name_kk", None), lang),
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


# --- the view ---------------------------------------------------------------------------


def footprints(
    cities: pd.DataFrame, events: pd.DataFrame | None, largest: Mapping[str, float], scale: float = 1.0
) -> list[Footprint]:
    """One footprint per place that has decisions in ``cities`` or events in ``events`` (their
    per-city totals), its circle or ring at its largest under either size measure, drawn at
    ``scale`` as :func:`deck_for` draws them. Given the totals of every record, the footprints
    hold whatever a filter of dates, sentences or roles can draw, so a view fitted to them does
    not move when such a filter changes (or Play steps a month). The fit keeps room beside
    each for its name and note (:data:`geo.views.viewport.LABEL_ROOM_PX`)."""
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


def label_layers(marks: MapMarks, view: Mapping[str, float], width_px: float) -> list[pdk.Layer]:
    """The placed names and notes as text layers, and their leader lines."""
    positions = {r["location_id"]: r["position"] for r in (*marks.cities, *marks.events, *marks.mentions)}
    layers = []
    for kind, size, colour in (("name", placing.NAME_PX, [38, 39, 48]), ("note", placing.NOTE_PX, [20, 130, 60])):
        rows = [
            {"text": line.text, "position": positions[line.key], "offset": [line.dx, line.dy], "anchor": line.anchor}
            for line in marks.placement.lines
            if line.kind == kind
        ]
        if rows:
            layers.append(text_layer("labels" if kind == "name" else "outcomes", rows, "text", size, colour))
    if marks.placement.leaders:
        # deck.gl has no pixel offsets for lines: the ends are placed where the view puts them
        port = Viewport.of(view, width_px, map_height(width_px))
        rows = []
        for leader in marks.placement.leaders:
            x, y = port.project(*positions[leader.key])
            rows.append(
                {
                    "source": list(port.unproject(float(x) + leader.x0, float(y) + leader.y0)),
                    "target": list(port.unproject(float(x) + leader.x1, float(y) + leader.y1)),
                }
            )
        layers.append(
            pdk.Layer(
                "LineLayer",
                id="leaders",
                data=rows,
                get_source_position="source",
                get_target_position="target",
                get_color=[80, 80, 80, 200],
                get_width=1,
                width_units="'pixels'",
                pickable=False,
            )
        )
    return layers


def place_tooltips(marks: MapMarks) -> dict[str, str]:
    """One tooltip per place: its court figures, then its events and mentions (without its name again)."""
    tips: dict[str, list[str]] = {}
    for rows in (marks.cities, marks.events, marks.mentions):
        for row in rows:
            lines = row["tooltip"].split("\n")
            known = tips.setdefault(row["location_id"], lines[:1])
            known += lines[1:]
    return {key: "\n".join(lines) for key, lines in tips.items()}


def hit_rows(marks: MapMarks, view: Mapping[str, float]) -> list[dict]:
    """The areas a tap or click picks each place by (:func:`geo.views.viewport.pick_areas`), with its tooltip."""
    places: dict[str, tuple[str, float, float, float]] = {}
    for row in (*marks.cities, *marks.events, *marks.mentions):
        key = row["location_id"]
        known = places.get(key)
        places[key] = (key, row["position"][0], row["position"][1], max(row["radius"], known[3] if known else 0.0))
    areas = pick_areas(list(places.values()), view)
    tips = place_tooltips(marks)
    return [{"location_id": key, "polygon": ring, "tooltip": tips[key]} for key, ring in areas.items()]


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
    marks: MapMarks | None = None,
) -> pdk.Deck:
    """The map for a filtered view.

    ``cities``: :func:`geo.query.index.CaseIndex.city_totals`; ``events``: :func:`geo.query.index.EventIndex.city_totals`;
    ``mentions``: :func:`geo.query.aggregates.mention_totals` (None: no layer); ``borders``: the output
    of :func:`borders_for_map`. ``largest`` holds the largest value of each measure over the
    whole dataset (keys ``convicted``, ``decisions``, ``events``, ``mentions``), so that a
    circle keeps its size for the same count whatever the filter. ``basemap=True`` adds online
    Carto tiles, which need the internet; the default draws no tiles at all. ``view``: the view
    state (:func:`view_for`), else :data:`INITIAL_VIEW`; ``width_px``: the map's width, for which
    the names and notes are placed; ``circle_scale``: the share of their full size the largest
    circles are drawn at (:func:`mark_scale`); ``lang``: the language of the tooltips and of the
    names and outcome text drawn on the map (the text layers build their font atlas from the
    characters they draw). ``marks``: :func:`map_marks` of the same, if the caller made them.

    Only the invisible pick areas (:func:`hit_rows`) are pickable: a tap or click, and the
    tooltip, go to the nearest place, whichever circle is drawn on top.
    """
    largest = dict(largest or {})
    view = dict(view or INITIAL_VIEW)
    if marks is None:
        marks = map_marks(cities, events, mentions, size_by, largest, view, width_px, circle_scale, lang)
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
    if mentions is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="mentions",
                data=marks.mentions,
                get_position="position",
                get_radius="radius",
                radius_units="'pixels'",
                get_fill_color=rgba("violet", 60),
                stroked=False,
                pickable=False,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id="cities",
            data=marks.cities,
            get_position="position",
            get_radius="radius",
            radius_units="'pixels'",
            get_fill_color=rgba("red", 190),
            stroked=True,
            get_line_color=[255, 255, 255, 230],
            line_width_units="'pixels'",
            get_line_width=1,
            pickable=False,
        )
    )
    if events is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="events",
                data=marks.events,
                get_position="position",
                get_radius="radius",
                radius_units="'pixels'",
                filled=False,
                stroked=True,
                get_line_color=rgba("orange", 255),
                line_width_units="'pixels'",
                get_line_width=2.5,
                pickable=False,
            )
        )
    layers += label_layers(marks, view, width_px)
    layers.append(
        pdk.Layer(
            "PolygonLayer",
            id="places",
            data=hit_rows(marks, view),
            get_polygon="polygon",
            get_fill_color=[255, 255, 255, 1],  # drawn (so picked) but not seen
            stroked=False,
            pickable=True,
        )
    )
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
    """The location_id of the place picked on the map, else None."""
    objects = (selection or {}).get("objects") or {}
    for layer in ("places", "cities", "events", "mentions"):
        for obj in objects.get(layer) or []:
            if obj.get("location_id"):
                return str(obj["location_id"])
    return None
