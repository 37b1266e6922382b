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
from typing import TYPE_CHECKING, Any

import pandas as pd
import pydeck as pdk
import pydeck.bindings.deck as pydeck_deck
from pydeck.bindings.json_tools import default_serialize

from geo.data.paths import SHIPPED_DATA_DIR
from geo.views import labels as placing
from geo.views.legend import LABEL_BOX_ALPHA, NAME_INK, OUTCOME_INK, RGB, radius
from geo.views.marks import (
    DEFAULT_WIDTH_PX,
    EVENT_MAX_RADIUS_PX,
    EVENT_MIN_RADIUS_PX,
    MAX_RADIUS_PX,
    MIN_RADIUS_PX,
    SIZE_BY,
    STAMP_INSET_PX,
    WIDE_HEIGHT_PX,
    MapMarks,
    map_height,
    map_marks,
    mark_scale,
    place_tooltips,
)
from geo.views.per_table import per_table
from geo.views.viewport import (
    KAZAKHSTAN,
    Footprint,
    Viewport,
    pick_areas,
    view_for,
)

if TYPE_CHECKING:
    from geo.query.view import DatasetIndex, View

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
#: deck.gl's tooltip: each pick area's finished text, set as text (see above).
TOOLTIP = {"text": "{tooltip}", "style": TOOLTIP_STYLE}


# --- borders -------------------------------------------------------------------------------


def load_borders(path: str | Path) -> dict | None:
    """The GeoJSON FeatureCollection at ``path``, or None when the file is missing or unusable
    (a device, a pipe, too large, not the outlines :mod:`geo.data.borders_file` accepts; ``geo
    validate`` says why): the map is then drawn without borders."""
    from geo.data.borders_file import read  # noqa: PLC0415
    from geo.data.problems import Report  # noqa: PLC0415

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


#: Fitted views kept per dataset index: readers can ask for many (any set of cities, any width).
FITTED_VIEWS = 512


def fitted_view(v: View, width_px: float | None) -> dict[str, float]:
    """The view of a map ``width_px`` wide (None: not known yet) for the view ``v``: it frames
    every place the filter's cities can show at any date, and Kazakhstan when no city is
    chosen. It follows the cities chosen and the screen, never the dates or other filters, so
    Play and the date steps leave the map where it is (deck.gl keeps a reader's own pan and
    zoom while the view it is given stays the same). Made once per index, cities and width."""
    return dict(_fitted_view(v.index, v.filters.cities, width_px))


def _fit(index: DatasetIndex, chosen: tuple[str, ...], width_px: float | None) -> dict[str, float]:
    cities, events = index.every_place
    if chosen:
        cities = cities[cities["location_id"].isin(chosen)]
        events = events[events["location_id"].isin(chosen)]
    places = footprints(cities, events, index.largest, mark_scale(width_px))
    if not chosen:
        places += KAZAKHSTAN
    width = width_px or DEFAULT_WIDTH_PX
    return view_for(places, width, map_height(width_px), STAMP_INSET_PX)


_fitted_view = per_table(_fit, FITTED_VIEWS)


#: The view a map of the default size, fitted to Kazakhstan, opens on before anything is known.
INITIAL_VIEW = view_for([], DEFAULT_WIDTH_PX, WIDE_HEIGHT_PX, STAMP_INSET_PX)


# --- the deck ------------------------------------------------------------------------------


# pydeck asks five times per Deck whether its Jupyter widget can be made, each time by an import that
# fails again without ipywidgets (a dashboard never has it); the answer holds for the process.
pydeck_deck.has_jupyter_extra = functools.cache(pydeck_deck.has_jupyter_extra)


class BordersSlot(str):
    """A borders layer's data in a :class:`CompactDeck`: its JSON is a marker string, which
    :meth:`CompactDeck.to_json` replaces with the collection's JSON, made once (:func:`borders_json`)."""

    collection: Mapping

    def __new__(cls, collection: Mapping) -> BordersSlot:
        slot = super().__new__(cls, f"\x00borders {id(collection)}\x00")
        slot.collection = collection
        return slot


def compact_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


class _Kept:
    """A collection as a cache key, by identity (a dict cannot be hashed), kept alive while cached
    so that its id is not reused."""

    def __init__(self, value: Mapping):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Kept) and other.value is self.value


@functools.lru_cache(maxsize=4)
def _borders_json(kept: _Kept) -> str:
    return compact_json(kept.value)


def borders_json(borders: Mapping) -> str:
    """``borders`` as JSON, made once per collection: the same outlines go out on every rerun."""
    return _borders_json(_Kept(borders))


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation. Streamlit sends ``to_json()`` to the browser as it
    is, and pydeck indents by two spaces, which nearly triples the bytes of the borders. The
    borders' own JSON is made once (:func:`borders_json`) and put in its place."""

    def to_json(self) -> str:
        text = compact_json(self)
        for layer in self.layers:
            if isinstance(layer.data, BordersSlot):
                text = text.replace(compact_json(str(layer.data)), borders_json(layer.data.collection), 1)
        return text


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
        get_background_color=[255, 255, 255, LABEL_BOX_ALPHA],
        background_padding=[2, 1],
        pickable=False,
    )


def label_layers(marks: MapMarks, view: Mapping[str, float], width_px: float) -> list[pdk.Layer]:
    """The placed names and notes as text layers, and their leader lines."""
    positions = {r["location_id"]: r["position"] for r in (*marks.cities, *marks.events, *marks.mentions)}
    layers = []
    for kind, size, colour in (("name", placing.NAME_PX, list(NAME_INK)), ("note", placing.NOTE_PX, list(OUTCOME_INK))):
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
                data=BordersSlot(borders),
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
                data=drawn(marks.mentions),
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
            data=drawn(marks.cities),
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
                data=drawn(marks.events),
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
            # Drawn (so picked) but not seen. An expression, not a constant: deck.gl then keeps the
            # colour per vertex from the start, as Streamlit's selection highlight makes it, so the
            # first selection does not change how the pick areas are drawn into the picking buffer.
            get_fill_color="[255, 255, 255, 1]",
            # Streamlit draws a selected object at full alpha: the layer's own opacity keeps the
            # chosen city's pick area unseen (at most 1 % of white) instead of a white disc over it.
            opacity=0.01,
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
        tooltip=TOOLTIP,
        **tiles,
    )


def drawn(rows: list[dict]) -> list[dict]:
    """What a layer nobody picks needs of its rows: which place, where, how large. Names and
    tooltips go to the browser once, with the pick areas (:func:`hit_rows`)."""
    return [{"location_id": r["location_id"], "position": r["position"], "radius": r["radius"]} for r in rows]


def selected_city(selection: Mapping | None) -> str | None:
    """The location_id of the place picked on the map, else None."""
    objects = (selection or {}).get("objects") or {}
    for layer in ("places", "cities", "events", "mentions"):
        for obj in objects.get(layer) or []:
            if obj.get("location_id"):
                return str(obj["location_id"])
    return None
