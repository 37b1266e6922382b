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

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from geo.data.paths import SHIPPED_DATA_DIR
from geo.views.present import city_label, format_span, people_breakdown, plural

#: Fixed, not derived from the data: a filter change must not throw the view back.
INITIAL_VIEW = {
    "latitude": 48.3,
    "longitude": 67.7,
    "zoom": 3.75,
    "min_zoom": 2.5,
    "max_zoom": 10,
    "pitch": 0,
    "bearing": 0,
}

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
    "maxWidth": "320px",
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


def city_tooltip(row) -> str:
    lines = [
        city_label(row.name, row.name_ru, getattr(row, "name_kk", None)),
        f"{plural(int(row.decisions), 'court decision')}, {plural(int(row.people), 'person', 'people')}",
        people_breakdown(int(row.convicted), int(row.acquitted), int(row.posthumous)),
        format_span(row.first, row.last),
    ]
    if int(row.approximate):
        lines.append(f"{plural(int(row.approximate), 'decision')} dated only approximately")
    return "\n".join(line for line in lines if line)


def outcome_badge(row) -> str:
    """The people a city's circle does not count: ``2 acquitted, 1 posthumous`` (ASCII: the
    text layer's font atlas holds no other characters unless told)."""
    parts = [
        f"{int(row.acquitted):,} acquitted" if int(row.acquitted) else "",
        f"{int(row.posthumous):,} posthumous" if int(row.posthumous) else "",
    ]
    return ", ".join(p for p in parts if p)


def event_tooltip(row) -> str:
    return "\n".join(
        [
            city_label(row.name, row.name_ru),
            f"{plural(int(row.events), 'event')}: {row.types}",
            format_span(row.first, row.last),
        ]
    )


def mention_tooltip(row) -> str:
    return "\n".join(
        [
            city_label(row.name, row.name_ru),
            f"{plural(int(row.mentions), 'mention')} in {plural(int(row.articles), 'article')}",
        ]
    )


def position(row) -> list[float]:
    return [round(float(row.longitude), 4), round(float(row.latitude), 4)]


def point_rows(
    totals: pd.DataFrame, column: str, tooltip, max_px: float, min_px: float, largest: float | None = None
) -> list[dict]:
    """One point per city, its circle's area proportional to ``column`` (relative to ``largest``,
    by default the largest value shown)."""
    largest = float(largest if largest is not None else (totals[column].max() if len(totals) else 0))
    return [
        {
            "location_id": row.location_id,
            "name": str(row.name),
            "position": position(row),
            "radius": radius(float(getattr(row, column)), largest, max_px, min_px),
            "tooltip": tooltip(row),
        }
        for row in totals.itertuples(index=False)
    ]


def city_rows(totals: pd.DataFrame, size_by: str = "convicted", largest: float | None = None) -> list[dict]:
    """One row per city of :func:`geo.query.index.CaseIndex.city_totals`, with ``badge``: the acquitted and
    posthumously convicted people, drawn as text beside the circle, never in its size."""
    rows = point_rows(totals, size_by, city_tooltip, MAX_RADIUS_PX, MIN_RADIUS_PX, largest)
    for row, badge in zip(rows, (outcome_badge(r) for r in totals.itertuples(index=False))):
        row["badge"] = badge
    return rows


def event_rows(totals: pd.DataFrame, largest: float | None = None) -> list[dict]:
    """One row per city of :func:`geo.query.index.EventIndex.city_totals`."""
    return point_rows(totals, "events", event_tooltip, EVENT_MAX_RADIUS_PX, EVENT_MIN_RADIUS_PX, largest)


def mention_rows(totals: pd.DataFrame, largest: float | None = None) -> list[dict]:
    """One row per city of :func:`geo.query.aggregates.mention_totals`."""
    return point_rows(totals, "mentions", mention_tooltip, MENTION_MAX_RADIUS_PX, MIN_RADIUS_PX * 2, largest)


def label_rows(*layers: Sequence[dict]) -> list[dict]:
    """One name per city on any layer, set off to the right of its largest circle."""
    widest: dict[str, float] = {}
    first: dict[str, dict] = {}
    for rows in layers:
        for r in rows:
            first.setdefault(r["location_id"], r)
            widest[r["location_id"]] = max(widest.get(r["location_id"], 0.0), r["radius"])
    return [{"name": r["name"], "position": r["position"], "offset": [widest[i] + 4, 0]} for i, r in first.items()]


def badge_rows(city_data: Sequence[dict]) -> list[dict]:
    """The outcome text of :func:`city_rows` that have one, set off to the right of the circle
    and under the city's name."""
    return [
        {"badge": r["badge"], "position": r["position"], "offset": [r["radius"] + 4, 15]}
        for r in city_data
        if r["badge"]
    ]


# --- legend --------------------------------------------------------------------------------


SIZE_MEANING = {
    "convicted": "people convicted (acquittals and posthumous verdicts are not counted in it)",
    "decisions": "court decisions (first instance, appeal and higher courts)",
}


def legend(size_by: str = "convicted", events: bool = True, mentions: bool = False) -> list[dict[str, str]]:
    """What each mark means; ``color`` is a Streamlit Markdown colour name matching :data:`RGB`."""
    entries = [
        {
            "color": "red",
            "symbol": "●",
            "label": "Court decisions",
            "meaning": f"one circle per court city; its area is proportional to the number of {SIZE_MEANING[size_by]}.",
        },
        {
            "color": "green",
            "symbol": "✓",
            "label": "Acquitted, posthumous",
            "meaning": "green text under a city's name: people acquitted there, and people convicted after their death.",
        },
    ]
    if events:
        entries.append(
            {
                "color": "orange",
                "symbol": "◯",
                "label": "Events",
                "meaning": "ring per city with protests, violence, arrests and other events; larger ring, more events.",
            }
        )
    if mentions:
        entries.append(
            {
                "color": "violet",
                "symbol": "●",
                "label": "Article mentions",
                "meaning": "pale disc per city named in the source articles; larger disc, more mentions.",
            }
        )
    entries.append(
        {
            "color": "gray",
            "symbol": "▭",
            "label": "Borders",
            "meaning": "Kazakhstan (shaded) and its neighbours, from Natural Earth.",
        }
    )
    return entries


# --- the deck ------------------------------------------------------------------------------


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation. Streamlit sends ``to_json()`` to the browser as it
    is, and pydeck indents by two spaces, which nearly triples the bytes of the borders."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def rgba(name: str, alpha: int) -> list[int]:
    return [*RGB[name], alpha]


def text_layer(layer_id: str, data: list[dict], text: str, size: int, color: list[int]) -> pdk.Layer:
    """Labels beside the circles (``data`` rows carry ``position`` and ``offset``), in the
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
        get_text_anchor="'start'",
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
) -> pdk.Deck:
    """The map for a filtered view.

    ``cities``: :func:`geo.query.index.CaseIndex.city_totals`; ``events``: :func:`geo.query.index.EventIndex.city_totals`;
    ``mentions``: :func:`geo.query.aggregates.mention_totals` (None: no layer); ``borders``: the output
    of :func:`borders_for_map`. ``largest`` holds the largest value of each measure over the
    whole dataset (keys ``convicted``, ``decisions``, ``events``, ``mentions``), so that a
    circle keeps its size for the same count whatever the filter. ``basemap=True`` adds online
    Carto tiles, which need the internet; the default draws no tiles at all.
    """
    largest = dict(largest or {})
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
    mention_data = mention_rows(mentions, largest.get("mentions")) if mentions is not None else []
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
    city_data = city_rows(cities, size_by, largest.get(size_by))
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
    event_data = event_rows(events, largest.get("events")) if events is not None else []
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
    layers.append(text_layer("labels", label_rows(city_data, event_data, mention_data), "name", 14, [38, 39, 48]))
    badges = badge_rows(city_data)
    if badges:
        layers.append(text_layer("outcomes", badges, "badge", 12, [20, 130, 60]))
    tiles = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    # No basemap: map_provider=None with pydeck's default map_style, which reaches Streamlit as
    # its "no style" sentinel. An explicit map_style=None would make Streamlit fetch Carto tiles.
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**INITIAL_VIEW),
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
