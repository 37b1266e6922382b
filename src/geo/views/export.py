"""Downloads: the verdicts shown, as CSV or Excel, and the per-city totals as GeoJSON.

Rows are exported in the dataset's own columns (those of ``convictions.csv``), so a download
can be re-checked with ``python -m geo validate`` or merged back. Text cells that a spreadsheet
would evaluate get a leading apostrophe, as OWASP advises against CSV injection: those starting
with ``= + - @`` (or their full-width forms ``＝ ＋ － ＠``), also behind spaces or invisible
characters, or with a tab or CR (:data:`geo.data.validate.FORMULA_START`). That holds in every format:
CSV, Excel and the text properties of the GeoJSON. The validator already warns about such cells.

Excel files are written by XlsxWriter in its constant-memory mode, a row at a time from chunks
of :data:`CHUNK_ROWS` verdicts, so a download of 200,000 rows needs no more memory than one of
2,000 (openpyxl kept every cell as an object: about 5 KB a row).

Output is deterministic: the same rows give the same bytes, Excel files included.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import pandas as pd

from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.schema import load_tables
from geo.data.validate import formula_start
from geo.query.filters import Filters

#: Workbook properties get this timestamp (XlsxWriter dates zip entries 1980-01-01 by itself),
#: so that equal rows give equal bytes.
FIXED_TIME = datetime(2022, 1, 1)
#: Verdicts turned into file rows at a time: the rows of a download are never all in memory twice.
CHUNK_ROWS = 5_000
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def neutralise(value: object) -> object:
    """``=SUM(A1)`` -> ``'=SUM(A1)`` (also ``\u200b=…``, ``＝…``, `` +…``); anything else unchanged."""
    if isinstance(value, str) and formula_start(value) is not None:
        return "'" + value
    return value


def columns_of(table: str = "convictions") -> list[str]:
    return [f.name for f in load_tables(SHIPPED_DATA_DIR)[table].fields]


def records(frame: pd.DataFrame, table: str = "convictions") -> pd.DataFrame:
    """The rows of a typed frame back in the file's columns: dates as ``YYYY-MM-DD``, whole
    numbers as integers, empty cells as None."""
    out = {}
    for name in columns_of(table):
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in col]
        elif pd.api.types.is_integer_dtype(col):
            out[name] = [None if pd.isna(v) else int(v) for v in col]
        elif pd.api.types.is_float_dtype(col):
            out[name] = [None if pd.isna(v) else float(v) for v in col]
        else:
            out[name] = [None if pd.isna(v) else str(v) for v in col]
    return pd.DataFrame(out, columns=columns_of(table), dtype=object)


def chunks(frame: pd.DataFrame, table: str = "convictions", size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """:func:`records` of ``frame``, ``size`` rows at a time."""
    for start in range(0, len(frame), size):
        yield records(frame.iloc[start : start + size], table)
    if not len(frame):
        yield records(frame, table)


def _as_chunks(rows: pd.DataFrame | Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    return iter([rows]) if isinstance(rows, pd.DataFrame) else iter(rows)


def csv_bytes(rows: pd.DataFrame | Iterable[pd.DataFrame]) -> bytes:
    """UTF-8 without a byte-order mark, like the dataset's own files (spreadsheet users get the
    Excel download), and RFC 4180 ``\r\n`` line ends: Python's writer quotes a cell only for
    the characters of its line terminator, so with ``\n`` a cell holding a bare CR broke the row.
    ``rows``: a frame of :func:`records`, or several (:func:`chunks`)."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    header = False
    for part in _as_chunks(rows):
        if not header:
            writer.writerow(part.columns)
            header = True
        for row in part.itertuples(index=False):
            writer.writerow(["" if v is None else neutralise(v) for v in row])
    text.flush()
    data = buffer.getvalue()
    text.detach()
    return data


def excel_bytes(rows: pd.DataFrame | Iterable[pd.DataFrame], sheet: str = "verdicts") -> bytes:
    """An .xlsx of ``rows`` (a frame of :func:`records`, or several), one row in memory at a time."""
    import xlsxwriter  # noqa: PLC0415 -- only when someone downloads Excel

    raw = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        raw,
        {
            "constant_memory": True,  # each row goes to a temporary file once the next one starts
            # Nothing is guessed from the text: a string stays a string (never a formula, URL or number).
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"author": "qantar-map", "created": FIXED_TIME})
    ws = workbook.add_worksheet(sheet)
    r = 0
    widths: list[int] = []
    for part in _as_chunks(rows):
        if r == 0:
            widths = [min(60, max(10, len(str(name)) + 2)) for name in part.columns]
            for c, width in enumerate(widths):
                ws.set_column(c, c, width)
            for c, name in enumerate(part.columns):
                ws.write_string(0, c, str(name))
            r = 1
        for row in part.itertuples(index=False):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, neutralise(str(value)))
            r += 1
    if r == 0:
        ws.write_string(0, 0, "")
    ws.freeze_panes(1, 0)
    workbook.close()
    return raw.getvalue()


def iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def geojson_bytes(totals: pd.DataFrame, description: str | None = None) -> bytes:
    """A FeatureCollection with one Point per city of :func:`geo.query.index.CaseIndex.city_totals`."""
    features = [
        {
            "type": "Feature",
            "id": row.location_id,
            "geometry": {"type": "Point", "coordinates": [float(row.longitude), float(row.latitude)]},
            # Text properties are neutralised too: GIS tools export them to spreadsheets.
            "properties": {
                "location_id": neutralise(str(row.location_id)),
                "name": neutralise(str(row.name)),
                "name_ru": None if pd.isna(row.name_ru) else neutralise(str(row.name_ru)),
                "name_kk": None if pd.isna(row.name_kk) else neutralise(str(row.name_kk)),
                "decisions": int(row.decisions),
                "people": int(row.people),
                "convicted": int(row.convicted),
                "acquitted": int(row.acquitted),
                "posthumous": int(row.posthumous),
                "first": iso(row.first),
                "last": iso(row.last),
                "approximate_dates": int(row.approximate),
            },
        }
        for row in totals.itertuples(index=False)
    ]
    collection: dict = {"type": "FeatureCollection", "features": features}
    if description:
        collection["description"] = neutralise(description)  # a foreign member (RFC 7946, 6.1)
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def export_filename(kind: str, filters: Filters, ext: str, span: tuple[date, date] | None = None) -> str:
    """``convictions_almaty_2022-06-01_2022-07-31.csv``: what, where, which sentence types, when.

    Cities are the location_ids (``all-cities`` when none is chosen, ``5-cities`` past three);
    an open end of the date range takes ``span``'s.
    """
    cities = list(filters.cities)
    if not cities:
        where = "all-cities"
    elif len(cities) <= 3:
        where = "+".join(slug(c) for c in cities)
    else:
        where = f"{len(cities)}-cities"
    parts = [slug(kind), where]
    if filters.sentence_types:
        parts.append("+".join(slug(s) for s in filters.sentence_types))
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    if start:
        parts.append(start.isoformat())
    if end:
        parts.append(end.isoformat())
    return "_".join(parts) + "." + ext.lstrip(".")


def file_bytes(kind: str, rows: pd.DataFrame | Iterable[pd.DataFrame]) -> bytes:
    """Bytes of ``rows`` (frames of :func:`records`) in one of :data:`MEDIA_TYPES` (``csv`` or ``xlsx``)."""
    if kind == "csv":
        return csv_bytes(rows)
    if kind == "xlsx":
        return excel_bytes(rows)
    raise ValueError(f"unknown export kind {kind!r}")


def convictions_file(kind: str, convictions: pd.DataFrame) -> bytes:
    """The typed verdict rows as a ``csv`` or ``xlsx`` download, made a chunk at a time."""
    return file_bytes(kind, chunks(convictions))
