"""Downloads: CSV and Excel hold the same rows as the data, formulas never run, GeoJSON is valid,
file names say what the file holds."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.views import export

from reference import city_totals_of
from testdata import SAMPLE

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def file_rows() -> list[list[str]]:
    with open(SAMPLE / "convictions.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_csv_of_every_verdict_is_the_data_file_row_for_row(ds):
    data = export.convictions_file("csv", ds.convictions)
    assert list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) == file_rows()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == len(file_rows())  # RFC 4180 line ends


def test_csv_round_trips_through_pandas(ds):
    rows = export.records(ds.convictions.iloc[2:5])
    back = pd.read_csv(io.BytesIO(export.csv_bytes(rows)), dtype=str, keep_default_na=False)
    assert back.to_dict("records") == [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in rows.to_dict("records")
    ]


def test_excel_has_the_same_cells_with_numbers_as_numbers(ds):
    workbook = openpyxl.load_workbook(io.BytesIO(export.convictions_file("xlsx", ds.convictions)))
    sheet = workbook.active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    expected = file_rows()
    assert cells[0] == expected[0]
    for got, want in zip(cells[1:], expected[1:]):
        assert [("" if v is None else str(v)) for v in got] == want
    defendants = expected[0].index("defendants")
    assert all(isinstance(r[defendants], int) for r in cells[1:])


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


def test_excel_bytes_are_deterministic(ds, monkeypatch):
    # Two calls in the same second would agree even if the workbook took the time of day: make
    # them at two different times. The bare workbook shows the clock does reach XlsxWriter.
    made = []
    for moment in (datetime(2031, 5, 6, 7, 8, 9), datetime(2032, 11, 12, 13, 14, 15)):
        clock_at(monkeypatch, moment)
        made.append((export.convictions_file("xlsx", ds.convictions), bare_workbook()))
    (first, bare_first), (second, bare_second) = made
    assert bare_first != bare_second
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as xlsx:
        assert {i.date_time[0] for i in xlsx.infolist()} == {1980}  # no entry carries the time it was written
        core = xlsx.read("docProps/core.xml").decode()
    stamp = export.FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core


def hostile_rows(ds) -> pd.DataFrame:
    rows = export.records(ds.convictions.iloc[: len(FORMULAS)])
    rows["summary"] = FORMULAS
    rows["charges"] = ["plain text"] * len(FORMULAS)
    return rows


def test_formulas_are_neutralised_in_csv(ds):
    read = list(csv.DictReader(io.StringIO(export.csv_bytes(hostile_rows(ds)).decode("utf-8"), newline="")))
    assert [r["summary"] for r in read] == ["'" + f for f in FORMULAS]
    assert {r["charges"] for r in read} == {"plain text"}
    assert read[0]["defendants"] == "1"  # numbers untouched


def test_formulas_are_neutralised_in_excel(ds):
    sheet = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(hostile_rows(ds)))).active
    column = [c.value for c in sheet[1]].index("summary") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, len(FORMULAS) + 2)]
    # (XlsxWriter stores a carriage return as OOXML's escape _x000D_, which Excel reads back as CR
    # and openpyxl leaves as it is; the apostrophe is what matters.)
    assert [c.value for c in cells] == ["'" + f.replace("\r", "_x000D_") for f in FORMULAS]
    assert {c.data_type for c in cells} == {"s"}  # strings, not formulas


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


# --- memory: Excel in constant memory ------------------------------------------------------------

EXCEL_CHILD = """
import io, json, sys, time
import pandas as pd
from geo.views import export
from geo.data.dataset import load_dataset
from geo.bench.memory import peak_mib, rss_mib  # peak: VmHWM, this process's own (see geo.bench.memory)
from pathlib import Path
SAMPLE = Path(sys.argv[3])  # the frozen sample: short rows, so the file itself stays small

def openpyxl_bytes(rows):  # the export as it was: one openpyxl cell object per cell
    from openpyxl import Workbook
    wb = Workbook(); ws = wb.active
    ws.append(list(rows.columns))
    for row in rows.itertuples(index=False):
        ws.append([export.neutralise(v) for v in row])
    out = io.BytesIO(); wb.save(out); return out.getvalue()

n, how = int(sys.argv[1]), sys.argv[2]
ds = load_dataset(SAMPLE, use_cache=False)
frame = pd.concat([ds.convictions] * (n // len(ds.convictions) + 1), ignore_index=True).iloc[:n]
export.convictions_file("xlsx", frame.iloc[:100])  # imports and first-use costs out of the way
before = rss_mib()
started = time.perf_counter()
data = export.convictions_file("xlsx", frame) if how == "xlsxwriter" else openpyxl_bytes(export.records(frame))
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

    small, large = excel_in_child(20_000, "xlsxwriter"), excel_in_child(200_000, "xlsxwriter")
    before = excel_in_child(20_000, "openpyxl")
    # What still grows is the finished file itself (about 50 bytes a row, compressed).
    grows_per_row_kib = (large["peak_above_start_mib"] - small["peak_above_start_mib"]) * 1024 / 180_000
    assert large["peak_above_start_mib"] < 100, large
    assert grows_per_row_kib < 0.5, (small, large)
    record(
        "excel_export",
        xlsxwriter_200k=large,
        xlsxwriter_20k=small,
        openpyxl_20k=before,
        openpyxl_kib_per_row=round(before["peak_above_start_mib"] * 1024 / 20_000, 2),
        xlsxwriter_kib_per_row=round(grows_per_row_kib, 3),
    )


def test_excel_of_many_chunks_equals_excel_of_one(ds):
    rows = pd.concat([ds.convictions] * 3, ignore_index=True)
    whole = openpyxl.load_workbook(io.BytesIO(export.excel_bytes(export.records(rows)))).active
    chunked = openpyxl.load_workbook(io.BytesIO(export.file_bytes("xlsx", export.chunks(rows, size=5)))).active
    assert list(whole.iter_rows(values_only=True)) == list(chunked.iter_rows(values_only=True))
    assert export.file_bytes("csv", export.chunks(rows, size=5)) == export.csv_bytes(export.records(rows))


def test_an_empty_export_still_has_its_header(ds):
    empty = ds.convictions.iloc[:0]
    assert export.convictions_file("csv", empty).decode().strip() == ",".join(export.columns_of())
    sheet = openpyxl.load_workbook(io.BytesIO(export.convictions_file("xlsx", empty))).active
    assert [c.value for c in sheet[1]] == export.columns_of()


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
