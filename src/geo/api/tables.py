"""The rows each data API endpoint answers with, from the same View and download code the pages use.

- ``decisions``: the Cases page's CSV download of the link's group (``tab``), search (``who``) and
  order (``sort``): :func:`geo.views.export.download_rows`, the id columns of ``convictions.csv``
  with the readable ones beside them; the CSV is :func:`geo.views.export.convictions_file`'s, byte
  for byte.
- ``people``: the rows of the Cases page's People table (the filter and the search, every group):
  the columns of ``defendants.csv``.
- ``events``: the Timeline's events table: the columns of ``events.csv``.
- ``official``: the Timeline's official figures of ``metric`` (every metric without one): the
  columns of ``official_stats.csv``.
- ``cities``: the totals per court city of the GeoJSON download (:func:`geo.views.export.city_rows`),
  with each city's coordinates.

A JSON answer types each value as ``datapackage.json`` declares its column (a ``list`` as an array,
a ``date`` as ``YYYY-MM-DD``); the readable columns are text. A CSV answer is written as the
downloads are (:func:`geo.views.export.csv_bytes`: cells a spreadsheet would run start with an
apostrophe); JSON values are the data's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from geo.api.params import Query
from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.schema import load_tables
from geo.query.view import View
from geo.text.cells import split_list
from geo.views import case_tables, descriptions, export, file_headers
from geo.views.case_groups import ALL, NO_CITY, case_groups

ENDPOINTS = ("decisions", "people", "events", "official", "cities")
#: The data table whose columns (and types) each endpoint answers with.
TABLE_OF = {"decisions": "convictions", "people": "defendants", "events": "events", "official": "official_stats"}
#: The columns of ``cities`` (those of the GeoJSON download's properties, then its coordinates).
CITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("location_id", "string"),
    ("name", "string"),
    ("name_ru", "string"),
    ("name_kk", "string"),
    ("decisions", "integer"),
    ("people", "integer"),
    ("convicted", "integer"),
    ("acquitted", "integer"),
    ("posthumous", "integer"),
    ("first", "date"),
    ("last", "date"),
    ("approximate_dates", "integer"),
    ("longitude", "number"),
    ("latitude", "number"),
)


@dataclass(frozen=True)
class Rows:
    """What one endpoint holds for a query, before paging."""

    frame: pd.DataFrame  # every row, in the page's order
    fields: tuple[tuple[str, str], ...]  # (column, datapackage type) of the answer
    description: str  # the filter and its result, as the page's header line states it
    rows_note: str | None = None  # what narrows the rows beyond the filter (the download's note)
    order: str | None = None  # how the rows are sorted, in words
    page: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # rows of one page as the answer holds them


@functools.cache
def declared(table: str) -> tuple[tuple[str, str], ...]:
    """(column, type) of a table as the shipped ``datapackage.json`` declares them, in order."""
    return tuple((f.name, f.type) for f in load_tables(SHIPPED_DATA_DIR)[table].fields)


def rows(endpoint: str, v: View, q: Query) -> Rows:
    """The rows of ``endpoint`` for the query ``q`` over the view ``v`` (its filter and language)."""
    if endpoint == "decisions":
        return decisions(v, q)
    description = descriptions.description(v)
    if endpoint == "people":
        found = v.search(q.who)
        near = found.names(v.index) if found.near else None
        frame = v.defendants(v.selected & found.decisions)
        note = file_headers.download_rows_note(None, False, q.who, v.lang, near)
        return Rows(_columns(frame, "defendants"), declared("defendants"), description, note)
    if endpoint == "events":
        return Rows(_columns(v.event_rows(), "events"), declared("events"), description)
    if endpoint == "official":
        metrics = [q.metric] if q.metric else v.index.official_metrics
        parts = [v.index.official_figures(m) for m in metrics]
        frame = pd.concat(parts) if parts else v.data.official_stats.iloc[:0]
        return Rows(_columns(frame, "official_stats"), declared("official_stats"), description)
    if endpoint == "cities":
        totals = v.city_totals()
        table = pd.DataFrame(export.city_rows(totals), columns=[name for name, _ in CITY_FIELDS[:-2]])
        table["longitude"] = totals["longitude"].to_numpy(dtype=float)
        table["latitude"] = totals["latitude"].to_numpy(dtype=float)
        return Rows(table, CITY_FIELDS, description)
    raise ValueError(f"unknown endpoint {endpoint!r}; one of {', '.join(ENDPOINTS)}")


def _columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame[[name for name, _ in declared(table)]]


def decisions(v: View, q: Query) -> Rows:
    """The Cases page's download of the group ``q.tab``, searched by ``q.who``, in ``q.sort``'s order."""
    ds = v.data
    group = {g.key: g for g in case_groups(v)}[q.tab]
    found = v.search(q.who)
    near = found.names(v.index) if found.near else None
    label = None if q.tab in (ALL, NO_CITY) else group.label
    note = file_headers.download_rows_note(label, q.tab == NO_CITY, q.who, v.lang, near)
    frame = v.rows(group.rows & found.decisions, sort=q.sort)
    # the id columns typed as declared, the readable ones text but the sentence in months
    typed, months = dict(declared("convictions")), file_headers.file_header("Months", v.lang)
    fields = [(n, typed.get(n) or ("integer" if n == months else "string")) for n in export.file_columns(v.lang)]

    def page(part: pd.DataFrame) -> pd.DataFrame:
        return export.download_rows(part, ds.locations, ds.sources, v.lang)

    return Rows(frame, tuple(fields), descriptions.description(v), note, case_tables.sort_label(q.sort, v.lang), page)


def csv_bytes(endpoint: str, v: View, found: Rows, part: pd.DataFrame) -> bytes:
    """One page of rows as CSV, as the page's downloads write it."""
    if endpoint == "decisions":
        return export.convictions_file("csv", part, v.data.locations, v.data.sources, None, v.lang)
    return export.csv_bytes(part)


def json_value(value: object, kind: str) -> object:
    """A cell typed as ``datapackage.json`` declares its column; None when empty."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "integer":
        return int(value)  # type: ignore[call-overload]
    if kind == "number":
        number = float(value)  # type: ignore[arg-type]
        return int(number) if number.is_integer() else number
    if kind == "list":
        return split_list(str(value))
    if kind == "boolean":
        return bool(value)
    return str(value)


def json_rows(found: Rows, part: pd.DataFrame) -> list[dict]:
    """One page of rows as JSON objects, each value typed by its column."""
    table = found.page(part) if found.page else part
    columns = [(name, kind, table[name].tolist()) for name, kind in found.fields]
    return [{name: json_value(values[i], kind) for name, kind, values in columns} for i in range(len(table))]
