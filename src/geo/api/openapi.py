"""The data API described for tools (OpenAPI 3.1), served at ``/api/v1/openapi.json``.

Written for developers, as ``docs/api.md`` is, so in English; the answers' own sentences (the
filter in words, the errors) are in the ``lang`` asked. The parameters and columns are taken from
:mod:`geo.api.params` and :mod:`geo.api.tables`, so the description cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from geo.api import params, tables
from geo.query.view import SORTS

#: JSON Schema of a value of each datapackage.json type.
TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": ["string", "null"]},
    "integer": {"type": ["integer", "null"]},
    "number": {"type": ["number", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "list": {"type": ["array", "null"], "items": {"type": "string"}},
    "boolean": {"type": ["boolean", "null"]},
}

PARAMETERS: dict[str, tuple[str, dict[str, Any]]] = {
    "lang": ("Language of the readable columns and sentences: en (default), ru or kk.", {"enum": ["en", "ru", "kk"]}),
    "period": (
        "Two dates, YYYY-MM-DD, repeated: period=2022-06-01&period=2022-07-31.",
        {"type": "string", "format": "date"},
    ),
    "city": ("Cities by id, name (any language) or alias; repeated or comma-separated.", {"type": "string"}),
    "sentence": ("Sentence types (convictions.sentence_type), repeated.", {"type": "string"}),
    "role": ("Who the defendants were (convictions.defendant_role), repeated.", {"type": "string"}),
    "event": ("Event types (events.event_type), repeated; events only.", {"type": "string"}),
    "cumulative": ("true: from the first record up to the period's end.", {"enum": ["true", "false"]}),
    "tab": (
        "Cases page group: all, a city's id or name, or no-city (not on the map); decisions only.",
        {"type": "string"},
    ),
    "who": (
        "Cases page search: a name in either script, a case id, a court, a word of the summary.",
        {"type": "string"},
    ),
    "sort": ("Order of the decisions.", {"enum": list(SORTS)}),
    "metric": ("Official figures of one metric (official_stats.metric); official only.", {"type": "string"}),
    "page": (
        "The dashboard's table page: checked, and without effect (an answer holds every page).",
        {"type": "integer"},
    ),
    "person": ("The dashboard's followed person: checked, and without effect.", {"type": "string"}),
    "size": ("The map's circle size: checked, and without effect.", {"enum": ["convicted", "decisions"]}),
    "map_city": ("The map's chosen city: checked, and without effect.", {"type": "string"}),
    "embed": ("Streamlit's own: without effect.", {"type": "string"}),
    "embed_options": ("Streamlit's own: without effect.", {"type": "string"}),
    "limit": (
        f"Rows per answer: CSV 1 to {params.MAX_LIMIT}, every row unless given; "
        f"JSON 1 to {params.MAX_JSON_LIMIT}, {params.DEFAULT_LIMIT} unless given.",
        {"type": "integer", "minimum": 1, "maximum": params.MAX_LIMIT},
    ),
    "offset": ("Position of the first row (the next link sets it).", {"type": "integer", "minimum": 0}),
}

SUMMARIES = {
    "decisions": "Court decisions: the Cases page's download of the link's group, search and order.",
    "people": "One row per person per decision: the Cases page's People table (filter and search).",
    "events": "Events in the filter: the Timeline's events table.",
    "official": "Official figures (every metric, or the one named by metric), as the Timeline lists them.",
    "cities": "Totals per court city in the filter: the Cases page's GeoJSON download, with coordinates.",
}


def _parameter(name: str) -> dict[str, Any]:
    text, schema = PARAMETERS[name]
    many = name in params.MANY
    return {
        "name": name,
        "in": "query",
        "description": text,
        "schema": {"type": "array", "items": schema} if many else schema,
        **({"style": "form", "explode": True} if many else {}),
    }


def _columns(endpoint: str) -> dict[str, Any]:
    fields = tables.CITY_FIELDS if endpoint == "cities" else tables.declared(tables.TABLE_OF[endpoint])
    return {
        "type": "object",
        "description": "Typed as data/datapackage.json declares the column"
        + ("; the readable columns (in lang) follow the id columns, as text" if endpoint == "decisions" else "")
        + ".",
        "properties": {name: TYPES.get(kind, TYPES["string"]) for name, kind in fields},
    }


ERROR = {
    "description": "A parameter or value the API does not take: which, in the lang asked.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {
                            "status": {"type": "integer"},
                            "parameter": {"type": ["string", "null"]},
                            "message": {"type": "string"},
                        },
                    }
                },
            }
        },
        "text/plain": {"schema": {"type": "string"}},
    },
}


def _envelope(endpoint: str) -> dict[str, Any]:
    text = {"type": ["string", "null"]}
    return {
        "type": "object",
        "properties": {
            "endpoint": {"const": endpoint},
            "dataset": {
                "type": "object",
                "properties": {k: text for k in ("title", "version", "licence", "licence_url", "citation")},
            },
            "lang": {"enum": ["en", "ru", "kk"]},
            "filter": {"type": "string", "description": "The filter and its result in words, as the page states it."},
            "rows_note": text,
            "order": text,
            "total": {"type": "integer"},
            "offset": {"type": "integer"},
            "limit": {"type": ["integer", "null"]},
            "count": {"type": "integer"},
            "next": {"type": ["string", "null"], "description": "The next page's address; null on the last."},
            "fields": {"type": "array", "items": {"type": "object"}},
            "rows": {"type": "array", "items": _columns(endpoint)},
        },
    }


def document(base: str = "") -> dict[str, Any]:
    """The OpenAPI document of the API served under ``base``."""
    paths: dict[str, Any] = {}
    for endpoint in tables.ENDPOINTS:
        for fmt in ("json", "csv"):
            content = (
                {"application/json": {"schema": _envelope(endpoint)}}
                if fmt == "json"
                else {"text/csv": {"schema": {"type": "string"}}}
            )
            paths[f"/api/v1/{endpoint}.{fmt}"] = {
                "get": {
                    "summary": SUMMARIES[endpoint],
                    "operationId": f"{endpoint}_{fmt}",
                    "parameters": [_parameter(name) for name in params.KNOWN],
                    "responses": {
                        "200": {
                            "description": "The rows, paged by limit and offset (headers X-Total-Count, Link).",
                            "content": content,
                        },
                        "400": ERROR,
                        "405": {"description": "Only GET, HEAD and OPTIONS are answered."},
                        "503": {"description": "No version of the data validated."},
                    },
                }
            }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Qantar map data API",
            "version": "1",
            "description": "The rows behind every view of the dashboard, read-only. The parameters are the "
            "dashboard's link parameters: a link's query string after /api/v1/decisions.csv gives "
            "the rows its Cases page downloads. docs/api.md has examples.",
        },
        "servers": [{"url": base or "/"}],
        "paths": paths,
    }
