"""Filters and aggregates: precision-aware date ranges, cities, records without a place."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.dataset import load_dataset
from geo.filters import (
    Filters,
    city_totals,
    defendants,
    describe,
    event_totals,
    filter_convictions,
    filter_events,
    month_unknown,
    monthly_series,
    without_date,
    without_place,
)


@pytest.fixture(scope="module")
def minimal():
    from testdata import MINIMAL

    return load_dataset(MINIMAL)


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["case_id"] if "case_id" in frame else frame["event_id"])


def test_month_precision_verdict_counts_in_any_range_that_overlaps_its_month(minimal):
    # cv-b is dated April 2023 (month precision): any range touching April includes it
    c = minimal.convictions
    assert ids(filter_convictions(c, Filters.of(date(2023, 4, 20), date(2023, 4, 21)))) == ["cv-b"]
    assert ids(filter_convictions(c, Filters.of(date(2023, 3, 1), date(2023, 4, 1)))) == ["cv-b"]
    assert ids(filter_convictions(c, Filters.of(date(2023, 4, 30), date(2023, 6, 1)))) == ["cv-b"]
    assert ids(filter_convictions(c, Filters.of(date(2023, 5, 1), date(2023, 6, 1)))) == []
    assert ids(filter_convictions(c, Filters.of(date(2023, 1, 1), date(2023, 3, 31)))) == []


def test_day_precision_is_inclusive_at_both_ends(minimal):
    c = minimal.convictions
    assert ids(filter_convictions(c, Filters.of(date(2022, 7, 15), date(2022, 7, 15)))) == ["cv-a"]
    assert ids(filter_convictions(c, Filters.of(date(2022, 7, 16), None))) == ["cv-b"]
    assert ids(filter_convictions(c, Filters.of(None, date(2022, 7, 14)))) == []


def test_approximate_flag_follows_precision(minimal):
    flags = dict(zip(minimal.convictions["case_id"], minimal.convictions["approximate"]))
    assert flags == {"cv-a": False, "cv-b": True}


def test_week_and_year_precision_periods(minimal):
    c = minimal.convictions.copy()
    c.loc[c.case_id == "cv-a", ["verdict_date", "date_precision"]] = [pd.Timestamp("2022-07-11"), "week"]
    c.loc[c.case_id == "cv-b", ["verdict_date", "date_precision"]] = [pd.Timestamp("2023-01-01"), "year"]
    from geo.dataset import add_periods

    c = add_periods(c, "verdict_date", None, "date_precision")
    assert ids(filter_convictions(c, Filters.of(date(2022, 7, 17), date(2022, 7, 20)))) == ["cv-a"]
    assert ids(filter_convictions(c, Filters.of(date(2022, 7, 18), date(2022, 7, 20)))) == []
    assert ids(filter_convictions(c, Filters.of(date(2023, 12, 31), date(2024, 1, 5)))) == ["cv-b"]
    # a year-precision verdict has no month: the monthly series leaves it out and says so
    assert month_unknown(c) == 1
    assert monthly_series(c)["count"].sum() == 1


def test_event_spanning_days_overlaps(minimal):
    e = minimal.events  # ev-a runs 2022-01-02..2022-01-10
    assert ids(filter_events(e, Filters.of(date(2022, 1, 10), date(2022, 2, 1)))) == ["ev-a"]
    assert ids(filter_events(e, Filters.of(date(2022, 1, 11), date(2022, 2, 1)))) == []
    assert ids(filter_events(e, Filters.of(event_types=["protest"]))) == []
    assert ids(filter_events(e, Filters.of(event_types=["unrest"]))) == ["ev-a"]


def test_city_filter_excludes_records_without_location(minimal):
    c = minimal.convictions
    assert ids(filter_convictions(c, Filters.of(cities=["shymkent"]))) == ["cv-a"]
    assert ids(filter_convictions(c, Filters.of(cities=["almaty"]))) == []
    assert ids(filter_convictions(c, Filters.of())) == ["cv-a", "cv-b"]


def test_records_without_place_or_date_are_returned_separately_not_dropped(minimal):
    c = minimal.convictions
    assert ids(without_place(c, minimal.locations)) == ["cv-b"]
    undated = c.copy()
    undated.loc[undated.case_id == "cv-b", ["period_start", "period_end"]] = pd.NaT
    assert ids(without_date(undated)) == ["cv-b"]
    # a bounded range cannot contain an undated row; an unbounded one keeps it
    assert ids(filter_convictions(undated, Filters.of(date(2020, 1, 1), date(2030, 1, 1)))) == ["cv-a"]
    assert ids(filter_convictions(undated, Filters.of())) == ["cv-a", "cv-b"]


def test_location_without_coordinates_is_not_placed(minimal):
    locs = minimal.locations.copy()
    locs.loc[locs.location_id == "shymkent", ["latitude", "longitude"]] = float("nan")
    assert ids(without_place(minimal.convictions, locs)) == ["cv-a", "cv-b"]
    assert city_totals(minimal.convictions, locs).empty


def test_sentence_type_filter(minimal):
    c = minimal.convictions
    assert ids(filter_convictions(c, Filters.of(sentence_types=["probation"]))) == []
    assert ids(filter_convictions(c, Filters.of(sentence_types=["imprisonment", "probation"]))) == ["cv-a", "cv-b"]


def test_city_totals_on_shipped_data():
    ds = load_dataset()
    totals = city_totals(ds.convictions, ds.locations).set_index("location_id")
    # counted by hand from data/convictions.csv
    assert totals.loc["shymkent", ["verdicts", "defendants"]].tolist() == [1, 3]
    assert totals.loc["ust-kamenogorsk", ["verdicts", "defendants"]].tolist() == [1, 7]
    assert totals.loc["almaty", ["verdicts", "defendants"]].tolist() == [1, 1]
    assert "zhanaozen" not in totals.index  # no verdict there in the sources
    placed = int(totals["defendants"].sum())
    unplaced = defendants(without_place(ds.convictions, ds.locations))
    assert placed + unplaced == defendants(ds.convictions)


def test_city_totals_date_span_uses_periods():
    ds = load_dataset()
    f = Filters.of(cities=["astana"])
    row = city_totals(filter_convictions(ds.convictions, f), ds.locations).iloc[0]
    assert (row["first"], row["last"]) == (pd.Timestamp("2023-02-24"), pd.Timestamp("2023-02-24"))


def test_event_totals_counts_events_per_city():
    ds = load_dataset()
    totals = event_totals(ds.events, ds.locations).set_index("location_id")
    assert totals.loc["almaty", "events"] == 2
    assert totals.loc["zhanaozen", "types"] == "protest"


def test_monthly_series_is_zero_filled_and_sums_defendants():
    ds = load_dataset()
    series = monthly_series(ds.convictions, "defendants", date(2022, 1, 1), date(2022, 12, 31))
    assert len(series) == 12
    by_month = dict(zip(series["month"].dt.strftime("%Y-%m"), zip(series["count"], series["defendants"])))
    assert by_month["2022-06"] == (1, 1)
    assert by_month["2022-07"] == (4, 14)
    assert by_month["2022-01"] == (0, 0)


def test_describe_states_filter_and_result():
    names = {"almaty": "Almaty", "shymkent": "Shymkent"}
    f = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])
    assert describe(f, names, 2, 4) == "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 verdicts, 4 defendants"
    everything = describe(Filters.of(), names, 1, 1, span=(date(2022, 1, 1), date(2024, 6, 11)))
    assert everything == "All cities, 1 Jan 2022 – 11 Jun 2024: 1 verdict, 1 defendant"
    typed = describe(Filters.of(sentence_types=["imprisonment", "restricted_freedom"]), names, 3, 5)
    assert typed == "All cities, imprisonment or restricted freedom: 3 verdicts, 5 defendants"


def test_describe_matches_filtered_shipped_data():
    ds = load_dataset()
    names = dict(zip(ds.locations.location_id, ds.locations.name))
    f = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])
    rows = filter_convictions(ds.convictions, f)
    assert describe(f, names, len(rows), defendants(rows)) == (
        "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 verdicts, 4 defendants"
    )
