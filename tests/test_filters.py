"""Filters and aggregates: precision-aware date ranges, cities, records without a place."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.data.dataset import load_dataset
from geo.data.people import people_rows
from geo.query.filters import Filters
from geo.views.descriptions import describe

from reference import (
    city_totals,
    event_totals,
    filter_convictions,
    filter_events,
    month_unknown,
    monthly_series,
    people_counts,
    without_date,
    without_place,
)
from testdata import SAMPLE


def people_of(ds, rows) -> dict[str, int]:
    return people_counts(people_rows(ds.convictions, ds.defendants), rows["case_id"], ds.convictions)


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
    from geo.data.dataset import add_periods

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
    assert city_totals(minimal.convictions, locs, people_rows(minimal.convictions, minimal.defendants)).empty


def test_sentence_type_filter(minimal):
    c = minimal.convictions
    assert ids(filter_convictions(c, Filters.of(sentence_types=["probation"]))) == []
    assert ids(filter_convictions(c, Filters.of(sentence_types=["imprisonment", "probation"]))) == ["cv-a", "cv-b"]


def test_city_totals_count_decisions_and_people_apart():
    ds = load_dataset(SAMPLE)
    totals = city_totals(ds.convictions, ds.locations, people_rows(ds.convictions, ds.defendants)).set_index(
        "location_id"
    )
    # counted by hand from tests/fixtures/sample: the Shymkent trial and its appeal are two decisions
    # about the same three people; Almaty has a conviction, a posthumous verdict (2) and an acquittal.
    columns = ["decisions", "people", "convicted", "acquitted", "posthumous"]
    assert totals.loc["shymkent", columns].tolist() == [2, 3, 3, 0, 0]
    assert totals.loc["ust-kamenogorsk", columns].tolist() == [1, 7, 7, 0, 0]
    assert totals.loc["almaty", columns].tolist() == [3, 4, 1, 1, 2]
    assert "zhanaozen" not in totals.index  # no verdict there in the sources
    everyone = people_of(ds, ds.convictions)
    assert everyone == {"total": 31, "convicted": 28, "acquitted": 1, "posthumous": 2, "other": 0}
    unplaced = people_of(ds, without_place(ds.convictions, ds.locations))["total"]
    assert int(totals["people"].sum()) + unplaced == everyone["total"]


def test_city_totals_date_span_uses_periods():
    ds = load_dataset(SAMPLE)
    f = Filters.of(cities=["astana"])
    row = city_totals(
        filter_convictions(ds.convictions, f), ds.locations, people_rows(ds.convictions, ds.defendants)
    ).iloc[0]
    assert (row["first"], row["last"]) == (pd.Timestamp("2023-02-24"), pd.Timestamp("2023-02-24"))


def test_event_totals_counts_events_per_city():
    ds = load_dataset(SAMPLE)
    totals = event_totals(ds.events, ds.locations).set_index("location_id")
    assert totals.loc["almaty", "events"] == 2
    assert totals.loc["zhanaozen", "types"] == "protest"


def test_monthly_series_is_zero_filled_and_sums_people_convicted():
    ds = load_dataset(SAMPLE)
    series = monthly_series(ds.convictions, "convicted_people", date(2022, 1, 1), date(2023, 12, 31))
    assert len(series) == 24
    by_month = dict(zip(series["month"].dt.strftime("%Y-%m"), zip(series["count"], series["convicted_people"])))
    assert by_month["2022-06"] == (1, 1)
    assert by_month["2022-07"] == (4, 14)
    assert by_month["2022-09"] == (1, 3)  # the appeal upholding three sentences
    assert by_month["2023-06"] == (1, 0)  # a posthumous verdict convicts nobody alive
    assert by_month["2023-11"] == (1, 0)  # an acquittal
    assert by_month["2022-01"] == (0, 0)


def test_describe_states_filter_and_result():
    names = {"almaty": "Almaty", "shymkent": "Shymkent"}
    f = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])
    four = {"total": 4, "convicted": 4}
    assert describe(f, names, 2, four) == (
        "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (4 convicted)"
    )
    one = {"total": 1, "convicted": 0, "acquitted": 1}
    everything = describe(Filters.of(), names, 1, one, span=(date(2022, 1, 1), date(2024, 6, 11)))
    assert everything == "All cities, 1 Jan 2022 – 11 Jun 2024: 1 court decision, 1 person (1 acquitted)"
    mixed = {"total": 5, "convicted": 2, "acquitted": 1, "posthumous": 2}
    typed = describe(Filters.of(sentence_types=["imprisonment", "restricted_freedom"]), names, 3, mixed)
    assert typed == (
        "All cities, imprisonment or restricted freedom: 3 court decisions, 5 people "
        "(2 convicted, 1 acquitted, 2 convicted posthumously)"
    )
    officials = describe(Filters.of(roles=["official", "security_officer"]), names, 1, {"total": 0})
    assert officials == "All cities, officials or security officers: 1 court decision, 0 people"
    army = describe(Filters.of(roles=["military", "unknown"]), names, 2, {"total": 2, "convicted": 2})
    assert army == "All cities, military or defendants of unstated role: 2 court decisions, 2 people (2 convicted)"


def test_describe_matches_filtered_shipped_data():
    ds = load_dataset(SAMPLE)
    names = dict(zip(ds.locations.location_id, ds.locations.name))
    f = Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])
    rows = filter_convictions(ds.convictions, f)
    assert describe(f, names, len(rows), people_of(ds, rows)) == (
        "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (4 convicted)"
    )
