"""Downloads: CSV and Excel hold the same rows as the data, formulas never run, GeoJSON is valid,
file names say what the file holds."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from testdata import SAMPLE
from geo import export
from geo.dataset import load_dataset
from geo.filters import Filters, city_totals

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
        {k: "" if v is None else str(v) for k, v in r.items()} for r in rows.to_dict("records")]


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


def test_excel_bytes_are_deterministic(ds):
    assert export.convictions_file("xlsx", ds.convictions) == export.convictions_file("xlsx", ds.convictions)


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
    # (XML turns a carriage return into a line feed; the apostrophe is what matters.)
    assert [c.value for c in cells] == ["'" + f.replace("\r", "\n") for f in FORMULAS]
    assert {c.data_type for c in cells} == {"s"}  # strings, not formulas


def test_neutralise_leaves_other_values_alone():
    assert export.neutralise("Almaty") == "Almaty"
    assert export.neutralise(-3) == -3
    assert export.neutralise(None) is None
    assert export.neutralise("a=b") == "a=b"


def test_geojson_has_one_point_feature_per_city(ds):
    totals = ds.city_totals_of(ds.convictions)
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
    assert export.export_filename("convictions", Filters(), "csv", span) == "convictions_all-cities_2022-01-01_2024-06-11.csv"
    two = Filters.of(date(2022, 6, 1), None, ["almaty", "ust-kamenogorsk"], ["imprisonment"])
    assert export.export_filename("convictions", two, "xlsx", span) == (
        "convictions_almaty+ust-kamenogorsk_imprisonment_2022-06-01_2024-06-11.xlsx")
    many = Filters.of(cities=["a", "b", "c", "d", "e"])
    assert export.export_filename("city-totals", many, ".geojson", span) == "city-totals_5-cities_2022-01-01_2024-06-11.geojson"
