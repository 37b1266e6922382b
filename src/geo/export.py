"""Downloads: the verdicts shown, as CSV or Excel, and the per-city totals as GeoJSON.

Rows are exported in the dataset's own columns (those of ``convictions.csv``), so a download
can be re-checked with ``python -m geo validate`` or merged back. Text cells that a spreadsheet
would evaluate (starting with ``= + - @``, tab or CR) get a leading apostrophe, as OWASP
advises against CSV injection; the validator already warns about such cells in the data.

Output is deterministic: the same rows give the same bytes, Excel files included.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime

import pandas as pd

from geo.filters import Filters
from geo.schema import load_tables
from geo.paths import SHIPPED_DATA_DIR
from geo.validate import FORMULA_PREFIXES

#: Zip entries and workbook properties get this timestamp, so that equal rows give equal bytes.
FIXED_TIME = datetime(2022, 1, 1)
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


def neutralise(value: object) -> object:
    """``=SUM(A1)`` -> ``'=SUM(A1)``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
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


def csv_bytes(rows: pd.DataFrame) -> bytes:
    """UTF-8 without a byte-order mark, like the dataset's own files (spreadsheet users get the
    Excel download), and RFC 4180 ``\\r\\n`` line ends: Python's writer quotes a cell only for
    the characters of its line terminator, so with ``\\n`` a cell holding a bare CR broke the row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(rows.columns)
    for row in rows.itertuples(index=False):
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def excel_bytes(rows: pd.DataFrame, sheet: str = "verdicts") -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 -- only when someone downloads Excel
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(rows.columns))
    for row in rows.itertuples(index=False):
        # openpyxl stores a string starting with "=" as a formula: neutralise first.
        ws.append([neutralise(v) for v in row])
    ws.freeze_panes = "A2"
    for i, name in enumerate(rows.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(name)) + 2))
    workbook.properties.creator = "qantar-map"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    workbook.save(raw)
    return repack(raw.getvalue())


def repack(xlsx: bytes) -> bytes:
    """The same zip with fixed entry times (openpyxl stamps each entry with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def geojson_bytes(totals: pd.DataFrame, description: str | None = None) -> bytes:
    """A FeatureCollection with one Point per city of :func:`geo.filters.city_totals`."""
    features = [
        {
            "type": "Feature",
            "id": row.location_id,
            "geometry": {"type": "Point", "coordinates": [float(row.longitude), float(row.latitude)]},
            "properties": {
                "location_id": row.location_id,
                "name": str(row.name),
                "name_ru": None if pd.isna(row.name_ru) else str(row.name_ru),
                "name_kk": None if pd.isna(row.name_kk) else str(row.name_kk),
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
        collection["description"] = description  # a foreign member (RFC 7946, 6.1)
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


def file_bytes(kind: str, rows: pd.DataFrame) -> bytes:
    """Bytes of ``rows`` in one of :data:`MEDIA_TYPES` (``csv`` or ``xlsx``)."""
    if kind == "csv":
        return csv_bytes(rows)
    if kind == "xlsx":
        return excel_bytes(rows)
    raise ValueError(f"unknown export kind {kind!r}")


def convictions_file(kind: str, convictions: pd.DataFrame) -> bytes:
    """The typed verdict rows as a ``csv`` or ``xlsx`` download."""
    return file_bytes(kind, records(convictions))
