"""Downloads: the decisions shown, as CSV or Excel, and the per-city totals as GeoJSON.

A CSV or Excel download holds every column of ``convictions.csv`` in the Data Package's order, with
its name and stable values (ids, codes, months, ISO dates), so that a download can be merged back
or, without its readable columns, re-checked with ``python -m geo validate``. After the id columns
that a column of the Cases table explains comes that column, as the table shows it
(:func:`geo.views.case_tables.cases_table` with ``for_file``; headers in
:data:`geo.views.file_headers.FILE_HEADERS`), as :data:`READABLE_AFTER` lays out. A download in Russian
or Kazakh has these readable columns, their headers, the sheet names and the About sheet in that
language (:func:`geo.views.file_headers.file_header`); the id columns keep their names and values in
every language, so that files in any language merge:

============================  ==========================================================
after                         readable column
============================  ==========================================================
``date_precision``            Date (as stated): ``24 Feb 2023``, ``Apr 2023 (month)``
``location_precision``        Court city: names as the page shows them, ``(region only)``
``instance``                  Court instance
``outcome``                   Decision outcome
``defendant_role``            Defendants' role
``defendants``                Names (of the people the sources name)
``code_articles``             Charges by article: ``ст. 272 ч. 2: Участие в массовых беспорядках``
``sentence_type``             Sentence type
``sentence_months_max``       Sentence: ``3 y 6 m – 4 y``; Sentence in months: ``48``
``disputed``                  Disputed values, with the sources that give them
``source_ids``                Sources: ``title (publisher, date) url``
``court_id``                  Court name, in the reader's language (courts.csv)
============================  ==========================================================

List cells hold their items joined by ``; ``. The CSV is UTF-8 without a byte-order mark, like the
dataset's own files (spreadsheet users get the Excel download). The Excel file has three sheets:
Decisions (the same columns; ``verdict_date`` a date cell, counts and months number cells, the
header frozen, an autofilter, set widths), Sources (every source the rows cite) and About (the
filter, the export time, the dataset's title, version and licence, the citation when one is given,
how to read dates and apostrophes).

Text cells that a spreadsheet would evaluate get a leading apostrophe, as OWASP advises against CSV
injection: those starting with ``= + - @`` (or a character Unicode folds into one, such as
``＋ ﹢ ⁺``), also behind spaces or invisible characters, or with a tab or CR
(:data:`geo.data.validate.FORMULA_START`). That holds in every format: CSV, Excel and the text
properties of the GeoJSON. A CSV row whose cell holds a list separator and then a formula start
(``Ruled;=1+1``, :data:`geo.data.validate.FORMULA_AFTER_SEPARATOR`) is written with every text cell
quoted, so a spreadsheet that splits on ``;`` keeps it one cell. The validator warns about both.

Rows are made :data:`CHUNK_ROWS` at a time, so the rows of a download are never all in memory
twice. Excel's rows are written by :mod:`geo.views.xlsx_rows` into a workbook XlsxWriter made with
everything else. Output is deterministic: the same rows (and About values) give the same bytes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.data.paths import SHIPPED_DATA_DIR
from geo.data.provenance import Provenance
from geo.data.schema import load_tables
from geo.people.script import to_latin
from geo.query.filters import Filters
from geo.query.view import SORTS
from geo.text.cells import FORMULA_AFTER_SEPARATOR, FORMULA_START, formula_start
from geo.views import case_tables, citation, descriptions, file_headers, formats, xlsx_rows
from geo.views.formats import per_distinct

if TYPE_CHECKING:
    from geo.query.view import View

#: Workbook properties get this timestamp (XlsxWriter dates zip entries 1980-01-01 by itself),
#: so that equal rows give equal bytes. The About sheet states the real export time.
FIXED_TIME = datetime(2022, 1, 1)
#: Decisions turned into file rows at a time.
CHUNK_ROWS = 10_000
#: Rows whose XML is made and compressed at a time.
XML_ROWS = 1_000
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "png": "image/png",
    "svg": "image/svg+xml",
}

#: The readable columns of a download (:func:`geo.views.case_tables.cases_table` columns, for a file),
#: each group after the last id column it reads.
READABLE_AFTER = {
    "date_precision": [file_headers.DATE_AS_STATED],
    "location_precision": ["City"],
    "instance": ["Instance"],
    "outcome": ["Outcome"],
    "defendant_role": ["Role"],
    "defendants": ["Names"],
    "code_articles": ["Charges"],
    "sentence_type": ["Sentence type"],
    "sentence_months_max": ["Sentence", "Months"],
    "disputed": ["Disputed"],
    "source_ids": ["Sources"],
    "court_id": ["Court"],
}
#: Columns of the Sources sheet: those of sources.csv a citation needs.
SOURCE_COLUMNS = ["source_id", "title", "publisher", "published", "published_precision", "language", "url"]
#: Excel column widths (characters) by header; the others fit their header, 10 to 24 characters.
WIDTHS = {
    "case_id": 30,
    "verdict_date": 12,
    "court": 30,
    "appeal_of": 24,
    "charges": 40,
    "charges_ru": 40,
    "charges_kk": 40,
    "summary": 60,
    "summary_ru": 60,
    "disputed": 30,
    "source_ids": 20,
    "note": 40,
    file_headers.FILE_HEADERS["City"]: 24,
    file_headers.FILE_HEADERS["Names"]: 40,
    file_headers.FILE_HEADERS["Disputed"]: 40,
    file_headers.FILE_HEADERS["Sources"]: 60,
    "source_id": 20,
    "title": 60,
    "publisher": 24,
    "published": 12,
    "url": 60,
}
DATE_FORMAT = "yyyy-mm-dd"
#: Days from Excel's day 0 (its 1900 date system) to the Unix epoch.
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


@dataclass(frozen=True)
class About:
    """What an Excel download states about itself on its About sheet."""

    description: str  # the filter and its result, :func:`geo.views.descriptions.description`
    provenance: Provenance
    exported_at: datetime  # when the reader asked for the file
    rows_note: str | None = None  # what narrows the rows beyond the filter (file_headers.download_rows_note)
    citation: str = ""  # how to cite the dataset; the About sheet leaves the row out when empty
    order: str = ""  # how the rows are sorted (case_tables.SORT_LABELS), left out when empty


def about_for(
    view: View,
    rows_note: str | None = None,
    sort: str = SORTS[0],
    exported_at: datetime | None = None,
) -> About:
    """The About values of a download from ``view`` in the order ``sort`` (:data:`geo.query.view.SORTS`),
    exported now unless ``exported_at`` says when; the citation is the dataset's
    (:func:`geo.views.citation.citation_text`)."""
    provenance = view.index.provenance
    return About(
        description=descriptions.description(view),
        provenance=provenance,
        exported_at=exported_at or datetime.now(UTC),
        rows_note=rows_note,
        citation=citation.citation_text(provenance),
        order=case_tables.sort_label(sort, view.lang),
    )


def dataset_card(view: View) -> dict[str, str]:
    """What a file that has room for it says of the dataset it comes from."""
    p = view.index.provenance
    return {"title": p.title, "version": p.version, "licence": p.licence, "citation": citation.citation_text(p)}


def neutralise(value: object) -> object:
    """``=SUM(A1)`` -> ``'=SUM(A1)`` (also ``\u200b=…``, ``＝…``, `` +…``); anything else unchanged."""
    if isinstance(value, str) and formula_start(value) is not None:
        return "'" + value
    return value


@functools.cache
def _columns(table: str) -> tuple[str, ...]:
    return tuple(f.name for f in load_tables(SHIPPED_DATA_DIR)[table].fields)


def columns_of(table: str = "convictions") -> list[str]:
    """The columns of a table as datapackage.json declares them, in order."""
    return list(_columns(table))


def file_columns(lang: str = "en") -> list[str]:
    """The header of a CSV download and of the Decisions sheet (see the module's table): the id
    columns by name, the readable ones in ``lang``."""
    out = []
    for name in columns_of():
        out.append(name)
        out += [file_headers.file_header(column, lang) for column in READABLE_AFTER.get(name, [])]
    return out


def download_rows(
    convictions: pd.DataFrame, locations: pd.DataFrame, sources: pd.DataFrame, lang: str = "en"
) -> pd.DataFrame:
    """Typed decision rows (``Dataset.convictions``) as a download holds them, in
    :func:`file_columns`: each id column as typed (dates, whole numbers, text), each readable one
    as :func:`geo.views.case_tables.cases_table` (``for_file``) gives it in ``lang``."""
    readable = case_tables.cases_table(convictions, locations, sources, for_file=True, lang=lang)
    out = {}
    for name in columns_of():
        out[name] = convictions[name].array
        for column in READABLE_AFTER.get(name, []):
            out[file_headers.file_header(column, lang)] = readable[column].array
    return pd.DataFrame(out, columns=file_columns(lang))


def chunks(frame: pd.DataFrame, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """``frame`` ``size`` rows at a time (one empty frame when it has none)."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]
    if not len(frame):
        yield frame


def _kind(column: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date"
    if pd.api.types.is_bool_dtype(column):
        return "text"
    if pd.api.types.is_numeric_dtype(column):
        return "number"
    return "text"


def _number(value: object) -> int | float:
    number = float(value)  # type: ignore[arg-type]  # a pandas or numpy scalar
    return int(number) if number.is_integer() else number


def _text(value: object) -> str:
    return str(neutralise(str(value)))


#: Text that needs neither an apostrophe nor XML escapes; most cells are such text.
_NEEDS_CARE = re.compile(f"(?:{FORMULA_START.pattern})|(?:{xlsx_rows.SPECIAL.pattern})")


def _text_tail(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)
    if _NEEDS_CARE.search(text) is None:
        return f' t="inlineStr"><is><t>{text}</t></is></c>'
    return xlsx_rows.text_tail(_text(text))


def file_values(column: pd.Series) -> np.ndarray:
    """A column's cells as a CSV writes them: ISO dates, numbers, neutralised text, None when empty."""
    kind = _kind(column)
    if kind == "number":
        return per_distinct(lambda v: None if v is None else _number(v), column)
    if kind == "date":
        return per_distinct(lambda v: None if v is None else v.strftime("%Y-%m-%d"), column)
    return per_distinct(lambda v: None if v is None else _text(v), column)


def _separated_formula(value: object) -> bool:
    """A text cell holding a list separator and then a formula start (``Ruled;=1+1``): unquoted, a
    spreadsheet that splits on ``;`` (Russian settings do) would make a formula cell of it."""
    return isinstance(value, str) and FORMULA_AFTER_SEPARATOR.search(value) is not None


def csv_bytes(rows: pd.DataFrame | Iterable[pd.DataFrame]) -> bytes:
    """UTF-8 without a byte-order mark, like the dataset's own files, and RFC 4180 ``\r\n`` line
    ends: Python's writer quotes a cell only for the characters of its line terminator, so with
    ``\n`` a cell holding a bare CR broke the row. ``rows``: a frame (:func:`download_rows`), or
    several."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    # The rows with a cell that must be quoted whatever it holds (see _separated_formula).
    quoted = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    header = False
    for part in [rows] if isinstance(rows, pd.DataFrame) else rows:
        if not header:
            writer.writerow(part.columns)
            header = True
        columns = [file_values(part[name]) for name in part.columns]
        flagged = np.zeros(len(part), dtype=bool)
        for values in columns:
            flagged |= per_distinct(_separated_formula, pd.Series(values, dtype=object)).astype(bool)
        if not flagged.any():
            writer.writerows(zip(*columns))
            continue
        for row, flag in zip(zip(*columns), flagged):
            (quoted if flag else writer).writerow(row)
    text.flush()
    data = buffer.getvalue()
    text.detach()
    return data


def cell_tails(column: pd.Series, date_style: int) -> np.ndarray:
    """A column's cells as :func:`geo.views.xlsx_rows.rows_xml` takes them: dates as date cells,
    numbers as number cells, text neutralised, None when empty."""
    kind = _kind(column)
    if kind == "number":
        return per_distinct(lambda v: None if v is None else xlsx_rows.number_tail(_number(v)), column)
    if kind == "date":
        return per_distinct(lambda v: None if v is None else xlsx_rows.number_tail(excel_day(v), date_style), column)
    return per_distinct(_text_tail, column)


def excel_day(value: object) -> int | float:
    """A date or time as Excel's serial day number (1900 date system, days since 1899-12-30)."""
    stamp = pd.Timestamp(value)
    days = (stamp.to_datetime64() - EXCEL_EPOCH) / np.timedelta64(1, "D")
    return _number(days)


def cited_sources(convictions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sources`` that ``convictions`` cite (in ``source_ids`` or ``disputed``), in
    the order of sources.csv; a cited id sources.csv lacks gets a row with only its id."""
    cited: set[str] = set()
    for cell in pd.unique(convictions["source_ids"].dropna()):
        cited.update(formats.items(cell))
    for cell in pd.unique(convictions["disputed"].dropna()):
        cited.update(case_tables.disputed_sources(cell))
    known = sources[sources["source_id"].isin(cited).to_numpy(dtype=bool, na_value=False)]
    missing = sorted(cited - set(known["source_id"].astype(str)))
    rows = known[SOURCE_COLUMNS].reset_index(drop=True)
    if missing:
        rows = pd.concat([rows, pd.DataFrame({"source_id": missing})], ignore_index=True)[SOURCE_COLUMNS]
    return rows


def excel_bytes(
    convictions: pd.DataFrame,
    locations: pd.DataFrame,
    sources: pd.DataFrame,
    about: About,
    size: int = CHUNK_ROWS,
    lang: str = "en",
) -> bytes:
    """The Excel download of typed decision rows: sheets Decisions, Sources and About, in ``lang``
    (sheet names, readable headers and cells, the About sheet's labels)."""
    import xlsxwriter  # noqa: PLC0415 -- only when someone downloads Excel

    raw = io.BytesIO()
    # XlsxWriter writes the headers, the styles and the layout; the data rows of every sheet are
    # xlsx_rows' (XlsxWriter writes a text of the form "<r>…</r>" as raw XML in every mode).
    workbook = xlsxwriter.Workbook(
        raw, {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    workbook.set_properties({"author": "qantar-map", "created": FIXED_TIME})
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": DATE_FORMAT})
    header = file_columns(lang)
    count = len(convictions)

    decisions = workbook.add_worksheet(file_headers.sheet_name("decisions", lang))
    # widths by the English header, so that a column is as wide in every language
    _header(decisions, header, bold, day, {"verdict_date"}, file_columns())
    notes = file_headers.file_header_notes(lang)
    for col, name in enumerate(header):
        if name in notes:
            decisions.write_comment(0, col, notes[name])
    decisions.autofilter(0, 0, count, len(header) - 1)

    cited = cited_sources(convictions, sources)
    sources_sheet = workbook.add_worksheet(file_headers.sheet_name("sources", lang))
    _header(sources_sheet, SOURCE_COLUMNS, bold, day, {"published"})
    sources_sheet.autofilter(0, 0, len(cited), len(SOURCE_COLUMNS) - 1)

    about_sheet = workbook.add_worksheet(file_headers.sheet_name("about", lang))
    about_sheet.set_column(0, 0, 24, bold)
    about_sheet.set_column(1, 1, 100)
    about_rows = _about_rows(about, count, lang)
    workbook.close()

    def decision_rows() -> Iterator[str]:
        row = 1
        for part in chunks(convictions, size):
            if not len(part):
                continue
            rows = download_rows(part, locations, sources, lang)
            tails = [cell_tails(rows[name], day.xf_index) for name in header]
            for start in range(0, len(part), XML_ROWS):  # the XML of long rows is several times their text
                yield xlsx_rows.rows_xml(row + start, [t[start : start + XML_ROWS] for t in tails])
            row += len(part)

    def source_rows() -> Iterator[str]:
        if len(cited):
            yield xlsx_rows.rows_xml(1, [cell_tails(cited[name], day.xf_index) for name in SOURCE_COLUMNS])

    def about_lines() -> Iterator[str]:
        labels = np.asarray([xlsx_rows.text_tail(_text(label), bold.xf_index) for label, _ in about_rows], dtype=object)
        values = np.asarray(
            [
                xlsx_rows.number_tail(value) if isinstance(value, int) else xlsx_rows.text_tail(_text(value))
                for _, value in about_rows
            ],
            dtype=object,
        )
        yield xlsx_rows.rows_xml(0, [labels, values])

    last = len(about_rows)
    return xlsx_rows.with_rows(
        raw.getvalue(),
        {
            "xl/worksheets/sheet1.xml": (decision_rows(), f"{xlsx_rows.column_letter(len(header) - 1)}{count + 1}"),
            "xl/worksheets/sheet2.xml": (
                source_rows(),
                f"{xlsx_rows.column_letter(len(SOURCE_COLUMNS) - 1)}{len(cited) + 1}",
            ),
            "xl/worksheets/sheet3.xml": (about_lines(), f"B{last}"),
        },
    )


def _header(sheet, names: list[str], bold, day, dates: set[str], width_keys: list[str] | None = None) -> None:
    """The header row (frozen) and the column widths (:data:`WIDTHS` by ``width_keys``, the English
    headers, where given); date columns get the date format."""
    for col, name in enumerate(names):
        key = width_keys[col] if width_keys else name
        width = WIDTHS.get(key, min(24, max(10, len(name) + 2)))
        sheet.set_column(col, col, width, day if name in dates else None)
        sheet.write_string(0, col, name, bold)
    sheet.freeze_panes(1, 0)


def _about_rows(about: About, count: int, lang: str = "en") -> list[tuple[str, str | int]]:
    p = about.provenance
    return file_headers.about_rows(
        about.description,
        about.rows_note,
        count,
        about.exported_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        p.title,
        p.version,
        p.licence,
        p.licence_url,
        about.citation,
        about.order,
        lang,
    )


def iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def city_rows(totals: pd.DataFrame) -> list[dict]:
    """Each city of :func:`geo.query.index.CaseIndex.city_totals` as the GeoJSON download's
    properties state it (text neutralised too: GIS tools export them to spreadsheets)."""
    return [
        {
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
        }
        for row in totals.itertuples(index=False)
    ]


def geojson_bytes(
    totals: pd.DataFrame, description: str | None = None, dataset: Mapping[str, str] | None = None
) -> bytes:
    """A FeatureCollection with one Point per city of :func:`geo.query.index.CaseIndex.city_totals`
    (:func:`city_rows`); ``dataset`` (title, version, licence, citation) goes in as a foreign member beside it."""
    features = [
        {
            "type": "Feature",
            "id": row.location_id,
            "geometry": {"type": "Point", "coordinates": [float(row.longitude), float(row.latitude)]},
            "properties": properties,
        }
        for row, properties in zip(totals.itertuples(index=False), city_rows(totals))
    ]
    collection: dict = {"type": "FeatureCollection", "features": features}
    if description:
        collection["description"] = neutralise(description)  # a foreign member (RFC 7946, 6.1)
    if dataset:
        collection["dataset"] = {key: neutralise(str(value)) for key, value in dataset.items() if value}
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def export_filename(
    kind: str,
    filters: Filters,
    ext: str,
    span: tuple[date, date] | None = None,
    version: str = "",
    search: str = "",
) -> str:
    """``convictions_almaty_2022-06-01_2022-07-31_v1.0.0.csv``: what, where, which sentence types,
    which search, when, and from which version of the dataset (a CSV has no other place to say it).

    Cities are the location_ids (``all-cities`` when none is chosen, ``5-cities`` past three);
    a search is written in Latin letters (``search-masimov`` for ``масимов`` too); an open end of
    the date range takes ``span``'s.
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
    if search.strip():
        parts.append("search-" + slug(to_latin(search.strip()))[:40].strip("-"))
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    if start:
        parts.append(start.isoformat())
    if end:
        parts.append(end.isoformat())
    if version:
        parts.append("v" + (re.sub(r"[^A-Za-z0-9.]+", "-", version).strip("-.") or "x"))
    return "_".join(parts) + "." + ext.lstrip(".")


def convictions_file(
    kind: str,
    convictions: pd.DataFrame,
    locations: pd.DataFrame,
    sources: pd.DataFrame,
    about: About | None = None,
    lang: str = "en",
) -> bytes:
    """Typed decision rows (``Dataset.convictions``, sorted as shown) as a ``csv`` or ``xlsx``
    download, made a chunk at a time, readable columns in ``lang``. ``about`` (needed for Excel,
    made by :func:`about_for` in the same language) goes on the About sheet."""
    if kind == "csv":
        return csv_bytes(download_rows(part, locations, sources, lang) for part in chunks(convictions))
    if kind == "xlsx":
        if about is None:
            raise ValueError("an Excel download needs the About values")
        return excel_bytes(convictions, locations, sources, about, lang=lang)
    raise ValueError(f"unknown export kind {kind!r}")
