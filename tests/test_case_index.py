"""The fast path (CaseIndex) gives exactly what the pandas reference path gives."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.bench.synth import synthesize
from geo.data.dataset import load_dataset
from geo.query.case_index import CaseIndex
from geo.query.filters import Filters, city_totals, filter_convictions, people_counts, people_rows, without_place
from geo.views.present import by_date

from testdata import SAMPLE


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return load_dataset(synthesize(20_000, tmp_path_factory.mktemp("synth"), seed=7))


@pytest.fixture(scope="module")
def index(synthetic):
    return CaseIndex.build(synthetic.convictions, synthetic.locations, synthetic.defendants)


@pytest.fixture(scope="module")
def people(synthetic):
    return people_rows(synthetic.convictions, synthetic.defendants)


FILTERS = [
    Filters.of(),
    Filters.of(date(2022, 6, 1), date(2022, 7, 31)),
    Filters.of(date(2022, 7, 15), date(2022, 7, 15)),
    Filters.of(None, date(2022, 3, 31)),
    Filters.of(date(2024, 1, 1), None),
    Filters.of(cities=["almaty", "shymkent"]),
    Filters.of(date(2022, 9, 1), date(2023, 2, 1), cities=["aktobe"], sentence_types=["imprisonment"]),
    Filters.of(sentence_types=["fine", "community_service"]),
    Filters.of(cities=["no-such-city"]),
    Filters.of(roles=["official", "security_officer"]),
    Filters.of(date(2022, 7, 1), date(2022, 12, 31), roles=["protester"], sentence_types=["none"]),
]


@pytest.mark.parametrize("f", FILTERS)
def test_selection_equals_reference_filter(synthetic, index, people, f):
    reference = filter_convictions(synthetic.convictions, f)
    assert list(synthetic.convictions[index.mask(f)]["case_id"]) == list(reference["case_id"])
    assert index.people(index.select(f)) == people_counts(people, reference["case_id"])
    assert index.counts(index.select(f)) == (len(reference), people_counts(people, reference["case_id"])["total"])


@pytest.mark.parametrize("f", FILTERS)
def test_city_totals_equal_reference(synthetic, index, people, f):
    reference = city_totals(filter_convictions(synthetic.convictions, f), synthetic.locations, people)
    fast = index.city_totals(index.select(f), synthetic.locations)
    pd.testing.assert_frame_equal(fast, reference, check_dtype=False)


@pytest.mark.parametrize("f", FILTERS)
def test_unplaced_counts_equal_reference(synthetic, index, people, f):
    reference = without_place(filter_convictions(synthetic.convictions, f), synthetic.locations)
    assert index.unplaced(index.select(f)) == (len(reference), people_counts(people, reference["case_id"])["total"])


@pytest.mark.parametrize("f", FILTERS[:3])
def test_pages_follow_the_tables_date_order(synthetic, index, f):
    reference = list(by_date(filter_convictions(synthetic.convictions, f), "case_id")["case_id"])
    selected = index.select(f)
    for offset in (0, 100, len(reference) - 5):
        page = synthetic.convictions.iloc[index.page(selected, 50, offset)]
        assert list(page["case_id"]) == reference[max(offset, 0): max(offset, 0) + 50]
    almaty = list(by_date(filter_convictions(synthetic.convictions, Filters.of(f.start, f.end, ["almaty"])), "case_id")["case_id"])
    assert list(synthetic.convictions.iloc[index.page(selected, 30, 0, city="almaty")]["case_id"]) == almaty[:30]


def test_synthetic_data_exercises_the_edge_cases(synthetic):
    c = synthetic.convictions
    assert c["location_id"].isna().any()  # rows without a court city
    assert set(c["date_precision"].astype(str)) == {"day", "month", "year"}
    assert set(c["instance"].astype(str)) == {"first", "appeal"}  # people shared by two decisions
    assert {"acquitted", "posthumous"} <= set(c["outcome"].astype(str))
    assert synthetic.defendants["person_id"].duplicated().any()


def test_undated_rows_match_reference_semantics():
    ds = load_dataset(SAMPLE)
    c = ds.convictions.copy()
    c.loc[c.index[:2], ["period_start", "period_end"]] = pd.NaT
    index = CaseIndex.build(c, ds.locations, ds.defendants)
    for f in (Filters.of(), Filters.of(date(2022, 1, 1), None), Filters.of(None, date(2030, 1, 1))):
        assert list(c[index.mask(f)]["case_id"]) == list(filter_convictions(c, f)["case_id"])


def test_shipped_data_through_the_index():
    ds = load_dataset(SAMPLE)
    index = CaseIndex.build(ds.convictions, ds.locations, ds.defendants)
    people = people_rows(ds.convictions, ds.defendants)
    for f in FILTERS + [Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])]:
        reference = filter_convictions(ds.convictions, f)
        assert index.people(index.select(f)) == people_counts(people, reference["case_id"])
        pd.testing.assert_frame_equal(index.city_totals(index.select(f), ds.locations),
                                      city_totals(reference, ds.locations, people), check_dtype=False)
