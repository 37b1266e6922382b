"""Rows the validator warned about: which are flagged, and what the pages say about them."""

from __future__ import annotations

from geo.data import dataset
from geo.data.dataset import load_dataset
from geo.data.validate import WARNING, Report
from geo.views import case_tables, notes, place_labels, source_tables, timeline

from testdata import HOSTILE, MINIMAL, copy_dataset


def report_of(*problems) -> Report:
    report = Report()
    for file, line, column, message in problems:
        report.add(file, line, column, message, WARNING)
    return report


def test_row_warnings_leave_out_the_header_and_other_files():
    report = report_of(
        ("convictions.csv", 1, "comment", "unknown column 'comment' is ignored"),
        ("convictions.csv", 3, "summary", "contains HTML markup"),
        ("convictions.csv", 3, "note", "starts with '='"),
        ("sources.csv", 2, "title", "contains HTML markup"),
    )
    report.add("convictions.csv", 4, "defendants", "an error is not a warning")
    assert dataset.row_warnings(report, "convictions.csv") == {
        3: ["note: starts with '='", "summary: contains HTML markup"]
    }
    assert dataset.warning_flags(report, "convictions.csv", [2, 3]) == [
        "",
        "⚠ note: starts with '='; summary: contains HTML markup",
    ]


def test_warnings_note_is_fixed_wording_and_the_places_are_plain_text():
    report = report_of(
        ("official_stats.csv", 2, "note", "contains HTML markup"),
        ("official_stats.csv", 5, "note", "contains HTML markup"),
        ("sources.csv", 1, None, "starts with a byte order mark (BOM); it was ignored"),
    )
    note = notes.warnings_note(report)
    assert note.startswith("**The data loaded with 3 warnings.**")
    assert "csv" not in note  # no file name goes through Markdown
    places = notes.warnings_places(report)
    assert places.startswith("In official_stats.csv lines 2, 5; sources.csv line 1.")  # as typed, not escaped
    assert "2 rows are marked ⚠" in places
    assert notes.warnings_note(Report()) is None


def test_warnings_places_shortens_long_lists_of_lines():
    report = report_of(*[("events.csv", n, "summary", "contains HTML markup") for n in range(2, 30)])
    assert "events.csv lines 2, 3, 4, 5, 6, 7, 8, 9, …." in notes.warnings_places(report)


def test_a_clean_dataset_is_returned_as_it_is():
    ds = load_dataset(MINIMAL)
    assert not any("warnings" in getattr(ds, name) for name in dataset.TABLES)
    assert case_tables.MARKER not in case_tables.cases_table(ds.convictions, ds.locations, ds.sources)


def test_flagged_rows_carry_their_warnings_into_every_table(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "data", overlay=HOSTILE / "formula_minus")
    ds = load_dataset(directory)
    assert "warnings" in ds.convictions and "warnings" not in ds.sources
    table = case_tables.cases_table(ds.convictions, ds.locations, ds.sources)
    assert list(table.columns[:2]) == ["Case", case_tables.MARKER]
    assert table[case_tables.MARKER].tolist() == [
        "",
        "⚠ court: starts with '-', which spreadsheets treat as a formula; downloads neutralise it",
    ]
    assert table["Court"].tolist()[1].startswith("-2+3+cmd")  # shown as typed


def test_sources_events_and_official_tables_get_the_marker_too(tmp_path):
    directory = copy_dataset(MINIMAL, tmp_path / "data", overlay=HOSTILE / "img_onerror_in_title")
    for name in ("script_in_summary", "iframe_in_note"):
        copy_dataset(HOSTILE / name, directory)
    ds = load_dataset(directory)
    sources = source_tables.sources_table(ds.sources, {})
    assert sources.columns[1] == case_tables.MARKER and sources[case_tables.MARKER].iloc[0].startswith("⚠ title:")
    events = timeline.events_table(ds.events, ds.locations)
    assert events[case_tables.MARKER].iloc[0].startswith("⚠ summary:")
    official = timeline.official_table(ds.official_stats, place_labels.city_names(ds.locations))
    assert official[case_tables.MARKER].iloc[0].startswith("⚠ note:")
