"""Downloads: CSV and Excel hold the rows of the data beside the readable columns the Cases table
shows, dates and numbers are typed in Excel, the sources and an About sheet come along, formulas
never run, GeoJSON is valid, file names say what the file holds."""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.provenance import provenance
from geo.i18n import enum_label, format_month, translation
from geo.query.filters import Filters
from geo.query.view import DatasetIndex
from geo.views import case_tables, descriptions, export, file_headers, formats, source_tables, xlsx_rows

from reference import city_totals_of
from testdata import SAMPLE

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]
EXPORTED = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def about(ds):
    return export.About(
        description="All cities, 1 Jan 2022 – 11 Jun 2024: 11 court decisions",
        provenance=provenance(ds.data_dir, len(ds.sources)),
        exported_at=EXPORTED,
        rows_note="Only the decisions in Almaty.",
        citation="Qantar prosecutions dataset, version 1.0.0.",
        order="Date, newest first",
    )


def shown(ds) -> pd.DataFrame:
    return case_tables.by_date(ds.convictions, "case_id")


def csv_of(ds, rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> list[dict[str, str]]:
    data = export.convictions_file("csv", rows, ds.locations, ds.sources if sources is None else sources)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def workbook_of(ds, rows: pd.DataFrame, about, sources: pd.DataFrame | None = None):
    data = export.convictions_file("xlsx", rows, ds.locations, ds.sources if sources is None else sources, about)
    return openpyxl.load_workbook(io.BytesIO(data))


def file_rows() -> list[list[str]]:
    with open(SAMPLE / "convictions.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def readable_headers() -> dict[str, str]:
    """file header -> cases_table column, for the readable columns of a download."""
    return {file_headers.FILE_HEADERS[c]: c for columns in export.READABLE_AFTER.values() for c in columns}


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_id_columns_are_the_data_file_row_for_row(ds):
    data = export.convictions_file("csv", ds.convictions, ds.locations, ds.sources)
    read = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header, *rows = read
    assert header == export.file_columns()
    ids = [header.index(name) for name in export.columns_of()]
    expected = file_rows()
    assert [header[i] for i in ids] == expected[0]
    assert [[row[i] for i in ids] for row in rows] == expected[1:]
    assert not data.startswith(b"\xef\xbb\xbf")  # like the dataset's own files
    assert data.count(b"\r\n") == len(read)  # RFC 4180 line ends


def test_each_readable_column_follows_the_id_columns_it_explains():
    header = export.file_columns()
    assert [name for name in header if name in export.columns_of()] == export.columns_of()  # the package's order
    for after, columns in export.READABLE_AFTER.items():
        start = header.index(after) + 1
        assert header[start : start + len(columns)] == [file_headers.FILE_HEADERS[c] for c in columns]
    # no readable header is an id column's name in another case (a database may ignore case)
    assert len({name.casefold() for name in header}) == len(header)


def test_csv_readable_columns_are_the_cases_table(ds):
    rows = shown(ds)
    table = case_tables.cases_table(rows, ds.locations, ds.sources)  # what the Cases page shows
    citations = source_tables.source_citations(ds.sources)
    read = csv_of(ds, rows)
    assert [r["case_id"] for r in read] == table["Case"].tolist()
    for header, column in readable_headers().items():
        got = [r[header] for r in read]
        if column == "Sources":  # by title and publisher here, by id on the page
            ids = [formats.items(v) for v in rows["source_ids"]]
            assert got == ["; ".join(citations[s] for s in cell) for cell in ids]
        elif column == file_headers.DATE_AS_STATED:  # the page shows the date as a date, and its precision
            assert got == [formats.format_date(d, p) for d, p in zip(rows["verdict_date"], rows["date_precision"])]
        elif column == "Names":  # the file adds each person's other script beside the page's
            assert [[n.split(" · ")[0] for n in formats.items(v)] for v in got] == list(map(list, table[column]))
        elif column == "Disputed":
            assert got == ["; ".join(v) for v in table[column]], column
        elif column == "Months":
            assert got == ["" if pd.isna(v) else str(int(v)) for v in table[column]]
        else:
            assert got == table[column].tolist(), column
    massimov = next(r for r in read if r["case_id"] == "cv-2023-04-massimov")
    assert massimov["Date (as stated)"] == "Apr 2023 (month)" and massimov["verdict_date"] == "2023-04-01"
    assert massimov["date_precision"] == "month"
    imanbekov = next(r for r in read if r["case_id"] == "cv-2022-07-11-almaty-imanbekov")
    assert (imanbekov["sentence_months_min"], imanbekov["Sentence"]) == ("72", "6 y")
    assert imanbekov["Court city"] == "Almaty · Алматы" and imanbekov["location_id"] == "almaty"
    assert imanbekov["Names"] == "Alibek Imanbekov · Алибек Иманбеков"
    assert imanbekov["Sources"] == "Kazakhstan: Summer of sentences over winter discontent (Eurasianet, 18 Jul 2022)"
    acquittal = next(r for r in read if r["case_id"] == "cv-2023-11-15-almaty-acquittal")
    assert acquittal["Disputed values"].startswith("sentence type: probation — src-004: Le Monde")


def test_sources_are_cited_by_title_publisher_date_and_url(ds):
    sources = ds.sources.copy()
    sources.loc[sources["source_id"] == "src-003", "url"] = "https://eurasianet.org/x"
    read = csv_of(ds, shown(ds), sources)
    bektanov = next(r for r in read if r["case_id"] == "cv-2023-02-24-bektanov")
    assert bektanov["Sources"] == (
        "no headline in the stored copy (publisher unknown, 2023 (year)); "
        "Former Kazakh Defense Minister Gets 12 Years In Prison Over 2022 Deadly Unrest (publisher unknown, Mar 2023 (month))"
    )
    imanbekov = next(r for r in read if r["case_id"] == "cv-2022-07-11-almaty-imanbekov")
    assert imanbekov["Sources"].endswith("(Eurasianet, 18 Jul 2022) https://eurasianet.org/x")


def hostile_rows(ds) -> pd.DataFrame:
    rows = ds.convictions.iloc[: len(FORMULAS)].copy()
    rows["summary"] = pd.array(FORMULAS, dtype="string")
    rows["charges"] = pd.array(["plain text"] * len(FORMULAS), dtype="string")
    return rows


def test_formulas_are_neutralised_in_csv(ds):
    read = csv_of(ds, hostile_rows(ds))
    assert [r["summary"] for r in read] == ["'" + f for f in FORMULAS]
    assert {r["charges"] for r in read} == {"plain text"}
    assert read[0]["defendants"] == "1"  # numbers untouched


#: Cells with a list separator and then a formula start (a spreadsheet splitting on ";" makes a
#: cell of what follows), and starts that Unicode folds into "+".
SEPARATED = ["Ruled;=1+1;done", "Jailed,+cmd|' /C calc'!A0", "x\t-2+3", "a; @SUM(1)", "b;\u200b=1"]
FOLDED = ["\ufe62cmd|' /C calc'!A0", "\u207a1+1", "\u207b2", "\ufe6bSUM(1)"]


def test_a_formula_after_a_list_separator_is_quoted_in_csv(ds):
    rows = ds.convictions.iloc[: len(SEPARATED)].copy()
    rows["summary"] = pd.array(SEPARATED, dtype="string")
    data = export.convictions_file("csv", rows, ds.locations, ds.sources).decode("utf-8")
    for value in SEPARATED:
        assert f'"{value}"' in data, value  # quoted: one cell whatever the separator
    assert [r["summary"] for r in csv_of(ds, rows)] == SEPARATED  # read back as typed, no apostrophe
    # A separator without a formula start after it leaves the cell as the writer makes it.
    plain = ds.convictions.iloc[:1].copy()
    plain["summary"] = pd.array(["a; b"], dtype="string")
    assert ",a; b," in export.convictions_file("csv", plain, ds.locations, ds.sources).decode("utf-8")


def test_starts_that_fold_into_a_formula_character_get_the_apostrophe(ds):
    rows = ds.convictions.iloc[: len(FOLDED)].copy()
    rows["summary"] = pd.array(FOLDED, dtype="string")
    assert [r["summary"] for r in csv_of(ds, rows)] == ["'" + f for f in FOLDED]


def test_readable_columns_are_neutralised_too(ds):
    locations = ds.locations.copy()
    locations.loc[locations["location_id"] == "kostanay", "name"] = "=HYPERLINK(1)"
    rows = ds.convictions[ds.convictions["location_id"] == "kostanay"]
    read = list(
        csv.DictReader(io.StringIO(export.convictions_file("csv", rows, locations, ds.sources).decode("utf-8")))
    )
    assert read[0]["Court city"].startswith("'=HYPERLINK(1)")


# --- Excel ---------------------------------------------------------------------------------------


def test_excel_decisions_sheet_has_date_and_number_cells_a_frozen_header_and_a_filter(ds, about):
    rows = shown(ds)
    workbook = workbook_of(ds, rows, about)
    assert workbook.sheetnames == ["Decisions", "Sources", "About"]
    sheet = workbook["Decisions"]
    header = [c.value for c in sheet[1]]
    assert header == export.file_columns()
    column = {name: i + 1 for i, name in enumerate(header)}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{xlsx_rows.column_letter(len(header) - 1)}{len(rows) + 1}"
    assert sheet.column_dimensions["A"].width > 20  # case ids fit
    cells = list(sheet.iter_rows(min_row=2))
    assert len(cells) == len(rows)
    for row, (_, want) in zip(cells, rows.iterrows()):
        date = row[column["verdict_date"] - 1]
        if pd.isna(want["verdict_date"]):
            assert date.value is None
        else:
            assert date.is_date and date.value == want["verdict_date"].to_pydatetime()
        for name in ("defendants", "sentence_months_min", "sentence_months_max"):
            value = row[column[name] - 1].value
            assert (value is None) if pd.isna(want[name]) else (value == int(want[name]) and isinstance(value, int))
    massimov = next(r for r in cells if r[0].value == "cv-2023-04-massimov")
    assert massimov[column["verdict_date"] - 1].value == datetime(2023, 4, 1)  # the first day of the month …
    assert massimov[column["date_precision"] - 1].value == "month"  # … with its precision …
    assert massimov[column["Date (as stated)"] - 1].value == "Apr 2023 (month)"  # … and as stated
    note = sheet.cell(row=1, column=column["verdict_date"]).comment
    assert note is not None and "first day of that month" in note.text


def test_excel_readable_cells_equal_the_csv(ds, about):
    rows = shown(ds)
    read = csv_of(ds, rows)
    sheet = workbook_of(ds, rows, about)["Decisions"]
    header = [c.value for c in sheet[1]]
    for got, want in zip(sheet.iter_rows(min_row=2, values_only=True), read):
        for name in readable_headers():
            cell = got[header.index(name)]
            assert ("" if cell is None else str(cell)) == want[name], name


def test_the_sources_sheet_lists_exactly_the_sources_the_rows_cite(ds, about):
    rows = ds.convictions[ds.convictions["case_id"].isin(["cv-2023-02-24-bektanov", "cv-2023-11-15-almaty-acquittal"])]
    sheet = workbook_of(ds, rows, about)["Sources"]
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert header == tuple(export.SOURCE_COLUMNS)
    # bektanov cites src-000 and src-001; the acquittal src-003, and src-004 for a disputed value
    assert [r[0] for r in cells] == ["src-000", "src-001", "src-003", "src-004"]  # in the order of sources.csv
    by_id = {r[0]: dict(zip(header, r)) for r in cells}
    assert by_id["src-003"]["title"] == "Kazakhstan: Summer of sentences over winter discontent"
    assert by_id["src-003"]["publisher"] == "Eurasianet"
    assert by_id["src-003"]["published"] == datetime(2022, 7, 18)
    assert sheet.cell(row=2, column=header.index("published") + 1).is_date
    assert sheet.freeze_panes == "A2"


def test_the_about_sheet_states_filter_export_time_version_licence_and_citation(ds, about):
    sheet = workbook_of(ds, shown(ds), about)["About"]
    rows = dict(sheet.iter_rows(values_only=True))
    assert rows["Filter"] == about.description
    assert rows["Rows"] == "Only the decisions in Almaty."
    assert rows["Decisions in this file"] == len(ds.convictions)
    assert rows["Exported (UTC)"] == "2031-05-06T07:08:09Z"
    assert rows["Dataset"] == "Kazakhstan, January 2022 (Qantar): events, verdicts and official figures"
    assert rows["Dataset version"] == "1.0.0"
    assert rows["Licence"] == "CC BY 4.0"
    assert rows["Licence address"] == "https://creativecommons.org/licenses/by/4.0/"
    assert rows["Order"] == "Date, newest first"
    assert rows["Citation"] == "Qantar prosecutions dataset, version 1.0.0."
    assert "first day of that month" in rows["Dates"] and "apostrophe" in rows["Apostrophes"]
    assert sheet["A1"].font.b  # labels in bold


def test_the_about_sheet_leaves_out_a_citation_it_was_not_given(ds, about):
    sheet = workbook_of(ds, shown(ds), replace(about, citation="", rows_note=None, order=""))["About"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Citation" not in labels and "Rows" not in labels and "Order" not in labels
    assert "Dataset version" in labels


def test_the_export_time_is_stated_in_utc(ds, about):
    almaty_time = datetime(2031, 5, 6, 12, 8, 9).astimezone()  # any zone: stated as UTC
    sheet = workbook_of(ds, shown(ds), replace(about, exported_at=almaty_time))["About"]
    expected = almaty_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert dict(sheet.iter_rows(values_only=True))["Exported (UTC)"] == expected


class _StandIn(type):
    def __instancecheck__(cls, obj):  # XlsxWriter asks isinstance(created, datetime)
        return isinstance(obj, datetime)


def clock_at(monkeypatch, moment: datetime) -> None:
    """XlsxWriter's clock (the ``datetime`` of its core module, which dates a workbook made without
    a ``created`` property) reads ``moment``."""
    import xlsxwriter.core

    class Clock(metaclass=_StandIn):
        @staticmethod
        def now(tz=None):
            return moment.replace(tzinfo=tz)

    monkeypatch.setattr(xlsxwriter.core, "datetime", Clock)


def bare_workbook() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    workbook.add_worksheet().write_string(0, 0, "x")
    workbook.close()
    return out.getvalue()


def test_excel_bytes_are_deterministic(ds, about, monkeypatch):
    # Two calls in the same second would agree even if the workbook took the time of day: make
    # them at two different times. The bare workbook shows the clock does reach XlsxWriter.
    made = []
    for moment in (datetime(2031, 5, 6, 7, 8, 9), datetime(2032, 11, 12, 13, 14, 15)):
        clock_at(monkeypatch, moment)
        made.append((export.convictions_file("xlsx", ds.convictions, ds.locations, ds.sources, about), bare_workbook()))
    (first, bare_first), (second, bare_second) = made
    assert bare_first != bare_second
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as xlsx:
        assert {i.date_time[0] for i in xlsx.infolist()} == {1980}  # no entry carries the time it was written
        core = xlsx.read("docProps/core.xml").decode()
    stamp = export.FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core


def formula_cells(workbook) -> list[str]:
    return [f"{s.title}!{c.coordinate}" for s in workbook for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_formulas_are_neutralised_in_excel(ds, about):
    workbook = workbook_of(ds, hostile_rows(ds), about)
    sheet = workbook["Decisions"]
    column = [c.value for c in sheet[1]].index("summary") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, len(FORMULAS) + 2)]
    # (A carriage return is stored as OOXML's escape _x000D_, which Excel reads back as CR and
    # openpyxl leaves as it is; the apostrophe is what matters.)
    assert [c.value for c in cells] == ["'" + f.replace("\r", "_x000D_") for f in FORMULAS]
    assert {c.data_type for c in cells} == {"s"}  # strings, not formulas
    assert formula_cells(workbook) == []


#: A text that closes its own cell and opens one with a formula, in the shape of a rich string
#: (``<r>…</r>``), which XlsxWriter writes unescaped.
RICH_TEXT_ATTACK = (
    '<r><t>a</t></r></is></c><c r="Z2"><f>HYPERLINK("http://evil.example","x")</f></c>'
    '<c r="AA2" t="inlineStr"><is><r><t>b</t></r>'
)


def test_text_shaped_like_xml_stays_text_in_every_sheet(ds, about):
    rows = ds.convictions.iloc[:2].copy()
    rows["summary"] = pd.array([RICH_TEXT_ATTACK, "a & b < c > d"], dtype="string")
    sources = ds.sources.copy()
    sources["title"] = sources["title"].astype(object)
    sources.loc[sources["source_id"] == "src-003", "title"] = RICH_TEXT_ATTACK
    workbook = workbook_of(ds, rows, replace(about, description=RICH_TEXT_ATTACK), sources)
    assert formula_cells(workbook) == []
    sheet = workbook["Decisions"]
    column = [c.value for c in sheet[1]].index("summary") + 1
    assert [sheet.cell(row=r, column=column).value for r in (2, 3)] == [RICH_TEXT_ATTACK, "a & b < c > d"]
    assert workbook["Sources"]["B2"].value == RICH_TEXT_ATTACK
    assert dict(workbook["About"].iter_rows(values_only=True))["Filter"] == RICH_TEXT_ATTACK


@pytest.mark.parametrize(
    "value",
    ["  leading and trailing  ", "tab\tand\nnewline", "bell\x07", "_x0041_ literal", "a & <b>", "é ё ү 🙂"],
)
def test_text_cells_read_back_as_xlsxwriter_writes_them(value, tmp_path):
    """Escapes, control characters and kept whitespace, as XlsxWriter's own cells (in its
    constant-memory mode) read back in openpyxl."""
    import xlsxwriter

    theirs = tmp_path / "theirs.xlsx"
    workbook = xlsxwriter.Workbook(str(theirs), {"constant_memory": True, "strings_to_numbers": False})
    workbook.add_worksheet().write_string(0, 0, value)
    workbook.close()
    ours = tmp_path / "ours.xlsx"
    workbook = xlsxwriter.Workbook(str(ours))
    workbook.add_worksheet().write_string(0, 1, "header")
    workbook.close()
    ours.write_bytes(
        xlsx_rows.with_rows(
            ours.read_bytes(),
            {"xl/worksheets/sheet1.xml": ([xlsx_rows.rows_xml(1, [pd.array([xlsx_rows.text_tail(value)])])], "B2")},
        )
    )
    assert openpyxl.load_workbook(ours).active["A2"].value == openpyxl.load_workbook(theirs).active["A1"].value


def test_excel_of_many_chunks_equals_excel_of_one(ds, about):
    rows = pd.concat([ds.convictions] * 3, ignore_index=True)

    def cells(size):
        data = export.excel_bytes(rows, ds.locations, ds.sources, about, size=size)
        return [list(s.iter_rows(values_only=True)) for s in openpyxl.load_workbook(io.BytesIO(data))]

    assert cells(5) == cells(export.CHUNK_ROWS)


def test_an_empty_export_still_has_its_header(ds, about):
    empty = ds.convictions.iloc[:0]
    assert export.convictions_file("csv", empty, ds.locations, ds.sources).decode().strip() == ",".join(
        export.file_columns()
    )
    workbook = workbook_of(ds, empty, about)
    assert [c.value for c in workbook["Decisions"][1]] == export.file_columns()
    assert workbook["Decisions"].max_row == 1 and workbook["Sources"].max_row == 1
    assert dict(workbook["About"].iter_rows(values_only=True))["Decisions in this file"] == 0


def test_an_excel_download_needs_its_about_values(ds):
    with pytest.raises(ValueError):
        export.convictions_file("xlsx", ds.convictions, ds.locations, ds.sources)


def test_neutralise_leaves_other_values_alone():
    assert export.neutralise("Almaty") == "Almaty"
    assert export.neutralise(-3) == -3
    assert export.neutralise(None) is None
    assert export.neutralise("a=b") == "a=b"


def test_geojson_has_one_point_feature_per_city(ds):
    totals = city_totals_of(ds, ds.convictions)
    collection = json.loads(export.geojson_bytes(totals, "All cities: 11 court decisions"))
    assert collection["type"] == "FeatureCollection"
    assert collection["description"] == "All cities: 11 court decisions"
    assert len(collection["features"]) == len(totals) == totals["location_id"].nunique()
    for feature, row in zip(collection["features"], totals.itertuples()):
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (row.longitude, row.latitude)  # GeoJSON order: longitude first
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        for column in ("decisions", "people", "convicted", "acquitted", "posthumous"):
            assert feature["properties"][column] == getattr(row, column)
    almaty = next(f for f in collection["features"] if f["id"] == "almaty")
    assert almaty["properties"]["name_ru"] == "Алматы"
    assert almaty["properties"]["first"] == "2022-07-11"


def test_file_names_carry_the_filter():
    span = (date(2022, 1, 1), date(2024, 6, 11))
    june = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty"])
    assert export.export_filename("convictions", june, "csv") == "convictions_almaty_2022-06-01_2022-07-31.csv"
    assert (
        export.export_filename("convictions", Filters(), "csv", span)
        == "convictions_all-cities_2022-01-01_2024-06-11.csv"
    )
    two = Filters.of(date(2022, 6, 1), None, ["almaty", "ust-kamenogorsk"], ["imprisonment"])
    assert export.export_filename("convictions", two, "xlsx", span) == (
        "convictions_almaty+ust-kamenogorsk_imprisonment_2022-06-01_2024-06-11.xlsx"
    )
    many = Filters.of(cities=["a", "b", "c", "d", "e"])
    assert (
        export.export_filename("city-totals", many, ".geojson", span)
        == "city-totals_5-cities_2022-01-01_2024-06-11.geojson"
    )
    # the dataset's version last, as it is written; anything a file name should not hold is folded
    assert export.export_filename("map", june, "png", version="1.0.0").endswith("_2022-07-31_v1.0.0.png")
    assert export.export_filename("map", june, "png", version="../2 beta").endswith("_v2-beta.png")


# --- memory: Excel a chunk of rows at a time ------------------------------------------------------------

EXCEL_CHILD = """
import io, json, sys, time
from datetime import UTC, date, datetime
import pandas as pd
from geo.views import export
from geo.data.dataset import load_dataset
from geo.data.provenance import provenance
from geo.bench.memory import peak_mib, rss_mib  # peak: VmHWM, this process's own (see geo.bench.memory)
from pathlib import Path
SAMPLE = Path(sys.argv[3])  # the frozen sample: short rows, so the file itself stays small

def openpyxl_bytes(rows):  # one openpyxl cell object per cell, as the export once was
    from openpyxl import Workbook
    wb = Workbook(); ws = wb.active
    ws.append(list(rows.columns))
    for row in rows.itertuples(index=False):
        ws.append([None if pd.isna(v) else export.neutralise(v) for v in row])
    out = io.BytesIO(); wb.save(out); return out.getvalue()

n, how = int(sys.argv[1]), sys.argv[2]
ds = load_dataset(SAMPLE, use_cache=False)
about = export.About("all", provenance(ds.data_dir, len(ds.sources)), datetime(2031, 1, 1, tzinfo=UTC))
frame = pd.concat([ds.convictions] * (n // len(ds.convictions) + 1), ignore_index=True).iloc[:n]
export.convictions_file("xlsx", frame.iloc[:100], ds.locations, ds.sources, about)  # imports, first-use costs
before = rss_mib()
started = time.perf_counter()
if how == "ours":
    data = export.convictions_file("xlsx", frame, ds.locations, ds.sources, about)
else:
    data = openpyxl_bytes(export.download_rows(frame, ds.locations, ds.sources))
seconds = time.perf_counter() - started
peak = peak_mib()
print(json.dumps({"rows": n, "seconds": seconds, "peak_above_start_mib": peak - before, "bytes": len(data)}))
"""


def excel_in_child(rows: int, how: str) -> dict:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", EXCEL_CHILD, str(rows), how, str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_excel_export_memory_does_not_grow_with_the_rows():
    from robustness_report import record

    small, large = excel_in_child(20_000, "ours"), excel_in_child(200_000, "ours")
    before = excel_in_child(20_000, "openpyxl")
    # What still grows is the finished file itself (about 140 bytes a row of the sample, compressed).
    grows_per_row_kib = (large["peak_above_start_mib"] - small["peak_above_start_mib"]) * 1024 / 180_000
    assert large["peak_above_start_mib"] < 100, large
    assert grows_per_row_kib < 0.5, (small, large)
    record(
        "excel_export",
        ours_200k=large,
        ours_20k=small,
        openpyxl_20k=before,
        openpyxl_kib_per_row=round(before["peak_above_start_mib"] * 1024 / 20_000, 2),
        ours_kib_per_row=round(grows_per_row_kib, 3),
    )


@pytest.mark.parametrize(
    "value",
    ["\u200b=1+1", "\uff1dSUM(A1)", "\uff0bcmd", "  =1", "\u2060@x", "\u200e-2+3", "\U000e0041=1", "\u2212" + "1+1"],
)
def test_formulas_behind_invisible_or_full_width_characters_are_neutralised(value):
    assert export.neutralise(value) == "'" + value


def test_geojson_text_properties_are_neutralised(ds):
    totals = city_totals_of(ds, ds.convictions)
    totals.loc[totals.index[0], "name"] = '=HYPERLINK("http://evil.example","x")'
    collection = json.loads(export.geojson_bytes(totals, "=1+1 description"))
    assert collection["features"][0]["properties"]["name"].startswith("'=HYPERLINK")
    assert collection["description"] == "'=1+1 description"


# --- downloads in the reader's language ----------------------------------------------------------

LANGS = ("ru", "kk")


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("lang", LANGS)
def test_a_csv_in_russian_or_kazakh_translates_its_readable_columns_and_keeps_its_ids(ds, lang):
    rows = shown(ds)
    tr = translation(lang)
    english = read_csv(export.convictions_file("csv", rows, ds.locations, ds.sources))
    local = read_csv(export.convictions_file("csv", rows, ds.locations, ds.sources, lang=lang))
    header = local[0]
    assert len(local) == len(english) == len(rows) + 1  # same rows, in the same order (ids below)
    ids = export.columns_of()
    for name in ids:  # the 22 id columns: same names, same cells
        assert name in header
        assert [r[header.index(name)] for r in local] == [r[english[0].index(name)] for r in english], name
    # each readable header is the catalog's translation of the English one, and no longer English
    readable = [name for name in header if name not in ids]
    expected = [
        tr.pgettext("column", file_headers.FILE_HEADERS[c]) for cs in export.READABLE_AFTER.values() for c in cs
    ]
    assert readable == expected
    assert not set(readable) & set(english[0])
    assert header == export.file_columns(lang) and len(set(header)) == len(header)
    # the cells are the Cases table's in that language
    table = case_tables.cases_table(rows, ds.locations, ds.sources, for_file=True, lang=lang)
    for column in ("Outcome", "Instance", "Role", "Sentence type", "Sentence", file_headers.DATE_AS_STATED, "City"):
        got = [r[header.index(file_headers.file_header(column, lang))] for r in local[1:]]
        assert got == [str(v) for v in table[column]], column
    outcomes = [r[header.index(file_headers.file_header("Outcome", lang))] for r in local[1:]]
    assert outcomes == [enum_label(v, lang, "outcome") for v in rows["outcome"]]
    massimov = dict(zip(header, next(r for r in local if r[0] == "cv-2023-04-massimov")))
    assert massimov[file_headers.file_header(file_headers.DATE_AS_STATED, lang)] == tr.gettext(
        "{month} (month)"
    ).format(month=format_month(date(2023, 4, 1), lang))


@pytest.mark.parametrize("lang", LANGS)
def test_an_excel_file_in_russian_or_kazakh_names_its_sheets_and_about_rows_in_that_language(ds, lang):
    tr = translation(lang)
    view = DatasetIndex.build(ds).view(Filters(), lang)
    note = file_headers.download_rows_note("Алматы", False, "", lang)
    about = export.about_for(view, note, "newest", EXPORTED)
    data = export.convictions_file("xlsx", shown(ds), ds.locations, ds.sources, about, lang)
    book = openpyxl.load_workbook(io.BytesIO(data))
    names = [file_headers.sheet_name(key, lang) for key in ("decisions", "sources", "about")]
    assert book.sheetnames == names and not set(names) & set(file_headers.SHEETS.values())
    decisions = book[names[0]]
    assert [c.value for c in decisions[1]] == export.file_columns(lang)
    assert decisions.max_row == len(ds.convictions) + 1
    english = openpyxl.load_workbook(
        io.BytesIO(export.convictions_file("xlsx", shown(ds), ds.locations, ds.sources, about))
    )
    english_ids = [[c.value for c in row[:3]] for row in english["Decisions"].iter_rows(min_row=2)]
    assert [[c.value for c in row[:3]] for row in decisions.iter_rows(min_row=2)] == english_ids
    stated = export.file_columns(lang).index(file_headers.file_header(file_headers.DATE_AS_STATED, lang))
    assert decisions.cell(1, stated + 1).comment.text.startswith(
        tr.gettext(file_headers.FILE_HEADER_NOTES[file_headers.DATE_AS_STATED])[:20]
    )
    rows = dict(book[names[2]].iter_rows(values_only=True))
    label = functools.partial(tr.pgettext, "about_sheet")
    assert rows[label("Filter")] == descriptions.description(view)
    assert rows[label("Rows")] == note == tr.gettext("Only the decisions in {city}.").format(city="Алматы")
    assert rows[label("Order")] == case_tables.sort_label("newest", lang) != "Date, newest first"
    assert rows[label("Decisions in this file")] == len(ds.convictions)
    assert rows[label("Exported (UTC)")] == "2031-05-06T07:08:09Z"
    assert all(name in rows[label("Sheets")] for name in names)
    assert file_headers.file_header(file_headers.DATE_AS_STATED, lang) in rows[label("Dates")]
    assert not {"Filter", "Rows", "Order", "Sheets", "Dates"} & set(rows)
