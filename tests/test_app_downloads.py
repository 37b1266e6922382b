"""Every download button of the Cases page gives exactly the rows its tab shows.

The expected bytes are built here from ``geo.query.filters`` and ``geo.views.export`` (an Excel file with
the export time its About sheet states); the downloaded files are also read back and compared with the
table on screen.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.provenance import provenance
from geo.i18n import translation
from geo.query.filters import Filters
from geo.views import case_tables, citation, export, file_headers, formats

from apptest_support import description, downloads, open_page, sample_env, table  # noqa: F401
from reference import city_totals_of, filter_convictions
from testdata import SAMPLE

pytestmark = pytest.mark.usefixtures("sample_env")

QUERY = {"city": ["Almaty · Алматы", "Shymkent · Шымкент"], "period": ["2022-06-01", "2022-07-31"]}
FILTERS = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def shown_rows(ds, f: Filters, city: str | None = None):
    rows = filter_convictions(ds.convictions, f)
    if city:
        rows = rows[rows["location_id"] == city]
    return rows.sort_values(["period_start", "case_id"])


def span(ds):
    return date(2022, 1, 1), ds.span[1]


#: The readable columns of a download, by the Cases table's column they repeat (the page's list
#: cells joined as a file writes them). Left out: Sources (by title in a file, by id on the page)
#: and the date as stated (the page shows the date as a date, with its precision beside it).
SAME_AS_TABLE = {
    file_headers.FILE_HEADERS[c]: c
    for columns in export.READABLE_AFTER.values()
    for c in columns
    if c not in ("Sources", file_headers.DATE_AS_STATED)
}


def as_file_text(value) -> str:
    """A cell of the table on screen as a file writes it: list items joined, a number as digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | np.ndarray):
        return "; ".join(value)
    return "" if pd.isna(value) else str(int(value))


def about_sheet(data: bytes) -> dict:
    return dict(openpyxl.load_workbook(io.BytesIO(data))["About"].iter_rows(values_only=True))


def check_tab(at, downloads, ds, rows, named: Filters, rows_note: str | None = None, search: str = ""):
    """Click the tab's CSV and Excel buttons; both hold exactly ``rows``, which the table shows."""
    shown = table(at)
    shown_ids = shown["Case"].tolist()
    assert shown_ids == rows["case_id"].tolist()
    buttons = {b.key: b for b in at.download_button if b.key.startswith(("download_csv_", "download_xlsx_"))}
    assert len(buttons) == 2
    for key, button in buttons.items():
        kind = "csv" if key.startswith("download_csv_") else "xlsx"
        button.click().run()  # what a reader does; the page must survive it
        assert not at.exception
        got = downloads.of(at.download_button(key=key))
        assert got.file_name == export.export_filename("convictions", named, kind, span(ds), "1.0.0", search)
        assert got.mime == export.MEDIA_TYPES[kind]
        if kind == "csv":
            assert got.data == export.convictions_file(kind, rows, ds.locations, ds.sources)
            read = list(csv.DictReader(io.StringIO(got.data.decode("utf-8"))))
            assert [r["case_id"] for r in read] == shown_ids
            for header, column in SAME_AS_TABLE.items():  # the readable columns are the table shown
                want = [as_file_text(v) for v in shown[column]]
                got_cells = [r[header] for r in read]
                if column == "Names":  # a file adds each person's other script: "Name · Имя"
                    got_cells = ["; ".join(n.split(" · ")[0] for n in formats.items(c)) for c in got_cells]
                assert got_cells == want, header
        else:
            stated = about_sheet(got.data)
            exported = datetime.strptime(stated["Exported (UTC)"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            assert abs((datetime.now(UTC) - exported).total_seconds()) < 600  # made on the click, not at start
            cited = provenance(ds.data_dir, len(ds.sources))
            about = export.About(
                description(at),
                cited,
                exported,
                rows_note=rows_note,
                citation=citation.citation_text(cited),
                order=case_tables.SORT_LABELS["oldest"],
            )
            assert got.data == export.convictions_file(kind, rows, ds.locations, ds.sources, about)
            assert stated["Filter"] == description(at) and stated.get("Rows") == rows_note
            assert stated["Citation"] == citation.citation_text(cited) and "(version 1.0.0)" in stated["Citation"]
            assert stated["Order"] == "Date, oldest first"
            sheet = openpyxl.load_workbook(io.BytesIO(got.data))["Decisions"]
            ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
            assert ids == shown_ids


def test_downloads_of_the_all_cities_tab(downloads, ds):
    at = open_page("pages/cases.py", QUERY)
    check_tab(at, downloads, ds, shown_rows(ds, FILTERS), FILTERS)
    names = {b.key: downloads.of(b).file_name for b in at.download_button}
    assert names["download_csv_all"] == "convictions_almaty+shymkent_2022-06-01_2022-07-31_v1.0.0.csv"


@pytest.mark.parametrize("city,tab", [("almaty", "Almaty"), ("shymkent", "Shymkent")])
def test_downloads_of_a_city_tab(downloads, ds, city, tab):
    at = open_page("pages/cases.py", {**QUERY, "tab": [tab]})
    named = replace(FILTERS, cities=(city,))
    check_tab(at, downloads, ds, shown_rows(ds, FILTERS, city), named, f"Only the decisions in {tab}.")
    csv_name = downloads.of(at.download_button(key=f"download_csv_{city}")).file_name
    assert csv_name == f"convictions_{city}_2022-06-01_2022-07-31_v1.0.0.csv"


def test_downloads_without_a_filter_are_named_all_cities(downloads, ds):
    at = open_page("pages/cases.py")
    check_tab(at, downloads, ds, shown_rows(ds, Filters()), Filters())
    name = downloads.of(at.download_button(key="download_csv_all")).file_name
    assert name == f"convictions_all-cities_2022-01-01_{ds.span[1].isoformat()}_v1.0.0.csv"


def test_downloads_of_the_verdicts_without_a_city(downloads, ds):
    at = open_page("pages/cases.py", {"tab": ["Not on the map"]})
    rows = shown_rows(ds, Filters())
    rows = rows[rows["location_id"].isna()]
    check_tab(
        at,
        downloads,
        ds,
        rows,
        Filters.of(cities=["not-on-the-map"]),
        "Only the decisions whose court city is not stated or not geocoded.",
    )


def test_downloads_of_a_name_search_say_so(downloads, ds):
    at = open_page("pages/cases.py", {"who": ["Bektanov"]})
    ids = table(at)["Case"].tolist()
    assert ids == ["cv-2023-02-24-bektanov"]
    rows = shown_rows(ds, Filters())
    rows = rows[rows["case_id"].isin(ids)]
    note = 'Only the decisions that the search "Bektanov" finds.'
    check_tab(at, downloads, ds, rows, Filters(), note, "Bektanov")
    assert "_search-bektanov_" in downloads.of(at.download_button(key="download_csv_all")).file_name


def test_downloads_follow_the_order_of_the_table(downloads, ds):
    at = open_page("pages/cases.py", {"sort": ["newest"]})
    shown = table(at)["Case"].tolist()
    assert shown != sorted(shown)  # not the default order
    for key in ("download_csv_all", "download_xlsx_all"):
        got = downloads.of(at.download_button(key=key))
        if key.startswith("download_csv"):
            ids = [r["case_id"] for r in csv.DictReader(io.StringIO(got.data.decode("utf-8")))]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(got.data))["Decisions"]
            ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
            assert about_sheet(got.data)["Order"] == "Date, newest first"
        assert ids == shown


def test_geojson_download_holds_the_city_totals_of_the_filter(downloads, ds):
    at = open_page("pages/cases.py", QUERY)
    button = at.download_button(key="download_geojson")
    button.click().run()
    got = downloads.of(at.download_button(key="download_geojson"))
    totals = city_totals_of(ds, filter_convictions(ds.convictions, FILTERS))
    collection = json.loads(got.data)
    assert collection["dataset"]["version"] == "1.0.0" and "(version 1.0.0)" in collection["dataset"]["citation"]
    assert got.data == export.geojson_bytes(totals, description(at), collection["dataset"])
    assert got.file_name == "city-totals_almaty+shymkent_2022-06-01_2022-07-31_v1.0.0.geojson"
    assert {f["id"]: f["properties"]["people"] for f in collection["features"]} == {"almaty": 1, "shymkent": 3}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_downloads_of_a_page_in_russian_or_kazakh_are_in_that_language(downloads, ds, lang):
    at = open_page("pages/cases.py", {**QUERY, "lang": [lang]})
    rows = shown_rows(ds, FILTERS)
    tr = translation(lang)
    csv_file = downloads.of(at.download_button(key="download_csv_all"))
    assert csv_file.data == export.convictions_file("csv", rows, ds.locations, ds.sources, lang=lang)
    header = next(csv.reader(io.StringIO(csv_file.data.decode("utf-8"))))
    assert header == export.file_columns(lang) and tr.pgettext("column", "Decision outcome") in header
    english = export.convictions_file("csv", rows, ds.locations, ds.sources)
    ids = export.columns_of()
    local_rows = list(csv.DictReader(io.StringIO(csv_file.data.decode("utf-8"))))
    english_rows = list(csv.DictReader(io.StringIO(english.decode("utf-8"))))
    assert [{k: r[k] for k in ids} for r in local_rows] == [{k: r[k] for k in ids} for r in english_rows]
    assert csv_file.file_name == export.export_filename("convictions", FILTERS, "csv", span(ds), "1.0.0")
    book = openpyxl.load_workbook(io.BytesIO(downloads.of(at.download_button(key="download_xlsx_all")).data))
    about = dict(book[file_headers.sheet_name("about", lang)].iter_rows(values_only=True))
    assert about[tr.pgettext("about_sheet", "Filter")] == description(at)
    assert about[tr.pgettext("about_sheet", "Order")] == case_tables.sort_label("oldest", lang)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_choice_past_the_row_limit_disables_its_files_and_says_why(monkeypatch, ds, lang):
    """Past the rows one request may make, the CSV and Excel buttons are disabled (no file can be
    asked for: Streamlit then keeps no callable for them), and a note in the reader's language says
    how many decisions the choice holds, the limit, and where the full data is."""
    from geo.downloads import limits
    from geo.views import download_notes

    rows = len(shown_rows(ds, Filters()))
    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_rows={"csv": rows - 1, "xlsx": rows - 1}))
    at = open_page("pages/cases.py", {"lang": [lang]})
    for key in ("download_csv_all", "download_xlsx_all"):
        button = at.download_button(key=key)
        assert button.proto.disabled and not button.proto.deferred_file_id, key
    assert not at.download_button(key="download_geojson").proto.disabled  # one row per city: no limit
    said = download_notes.too_many_rows(rows, rows - 1, lang)
    assert [i.value for i in at.info if i.value == said] == [said]
    assert download_notes.full_data_hint(lang) in said

    monkeypatch.setattr(limits, "LIMITS", limits.Limits(max_rows={"csv": rows, "xlsx": rows}))
    at = open_page("pages/cases.py", {"lang": [lang]})
    assert not at.download_button(key="download_csv_all").proto.disabled
    assert not [i for i in at.info if i.value == said]
