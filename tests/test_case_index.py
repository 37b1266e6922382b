"""The fast path (CaseIndex) selects exactly what the pandas reference path selects."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo.case_index import CaseIndex
from geo.dataset import load_dataset
from geo.filters import Filters, city_totals, defendants, filter_convictions
from geo.synth import synthesize


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return load_dataset(synthesize(20_000, tmp_path_factory.mktemp("synth"), seed=7))


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
]


@pytest.mark.parametrize("f", FILTERS)
def test_index_mask_equals_reference_filter(synthetic, f):
    index = CaseIndex.build(synthetic.convictions)
    reference = filter_convictions(synthetic.convictions, f)
    fast = synthetic.convictions[index.mask(f)]
    assert list(fast["case_id"]) == list(reference["case_id"])
    assert index.counts(index.mask(f)) == (len(reference), defendants(reference))


@pytest.mark.parametrize("f", FILTERS)
def test_index_city_counts_equal_reference_city_totals(synthetic, f):
    index = CaseIndex.build(synthetic.convictions)
    reference = city_totals(filter_convictions(synthetic.convictions, f), synthetic.locations)
    fast = index.city_counts(index.mask(f))
    expected = reference[["location_id", "verdicts", "defendants"]].sort_values("location_id").reset_index(drop=True)
    got = fast.sort_values("location_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_synthetic_data_exercises_the_edge_cases(synthetic):
    c = synthetic.convictions
    assert c["location_id"].isna().any()  # rows without a court city
    assert set(c["date_precision"].astype(str)) == {"day", "month", "year"}


def test_undated_rows_match_reference_semantics():
    ds = load_dataset()
    c = ds.convictions.copy()
    c.loc[c.index[:2], ["period_start", "period_end"]] = pd.NaT
    index = CaseIndex.build(c)
    for f in (Filters.of(), Filters.of(date(2022, 1, 1), None), Filters.of(None, date(2030, 1, 1))):
        assert list(c[index.mask(f)]["case_id"]) == list(filter_convictions(c, f)["case_id"])


def test_rows_returns_one_page_of_positions():
    ds = load_dataset()
    index = CaseIndex.build(ds.convictions)
    mask = index.mask(Filters.of())
    assert list(index.rows(mask, limit=3, offset=2)) == [2, 3, 4]
    assert len(index.rows(mask)) == len(ds.convictions)
