"""The fast path (geo.query.index) gives exactly what the pandas reference (tests/reference.py)
gives: on fixed filters over 20,000 synthetic decisions, and on hundreds of random filters."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from geo.bench.synth import synthesize
from geo.data.dataset import load_dataset
from geo.data.people import PEOPLE_GROUPS
from geo.query.filters import Filters
from geo.query.index import CaseIndex, EventIndex
from geo.query.view import DatasetIndex
from geo.views.case_tables import by_date

from reference import (
    city_totals,
    event_totals,
    filter_convictions,
    filter_events,
    month_unknown,
    monthly_series,
    people_counts,
    without_place,
)
from testdata import SAMPLE


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return load_dataset(synthesize(20_000, tmp_path_factory.mktemp("synth"), seed=7))


@pytest.fixture(scope="module")
def index(synthetic):
    return DatasetIndex.build(synthetic)


def frame_mask(dated, selected: np.ndarray) -> np.ndarray:
    """A mask over the index's sorted rows as a mask over the frame's rows."""
    out = np.zeros(len(dated), dtype=bool)
    out[dated.order] = selected
    return out


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
    Filters.of(date(2022, 5, 1), date(2022, 8, 31), event_types=["protest", "arrest"]),
    # a city filter reads only its cities' runs, cut where their starts pass the end day (inclusive)
    Filters.of(date(2022, 7, 15), date(2022, 7, 15), cities=["almaty", "astana"]),
    Filters.of(None, date(2022, 7, 31), cities=["shymkent"], roles=["protester"]),
    Filters.of(date(2023, 1, 1), None, cities=["almaty", "no-such-city"], event_types=["arrest"]),
]


def same_frame(fast: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Equal values, whatever the dtypes (the index builds numpy columns, pandas may keep
    categoricals); two empty frames need only the same columns (pandas types an empty
    aggregation as it likes)."""
    if len(fast) == len(reference) == 0:
        assert list(fast.columns) == list(reference.columns)
    else:
        pd.testing.assert_frame_equal(fast, reference, check_dtype=False, check_categorical=False)


def check_against_reference(ds, index: DatasetIndex, f: Filters) -> None:
    """Every answer of the query API for ``f`` equals the pandas reference's."""
    cases, events = index.cases, index.events
    view = index.view(f)
    reference = filter_convictions(ds.convictions, f)
    assert list(ds.convictions[frame_mask(cases, view.selected)]["case_id"]) == list(reference["case_id"])
    assert list(view.rows()["case_id"]) == list(by_date(reference, "case_id")["case_id"])
    assert view.people == people_counts(ds.people, reference["case_id"], ds.convictions)
    # the groups partition the people: each person in one group, the parts add up to the total
    assert sum(view.people[group] for group in PEOPLE_GROUPS) == view.people["total"]
    totals = view.city_totals()
    assert (totals[["convicted", "acquitted", "posthumous"]].sum(axis=1) <= totals["people"]).all()
    people = ds.defendants[ds.defendants["case_id"].isin(reference["case_id"])]
    wanted = people.sort_values(["person_id", "period_start", "case_id"], na_position="last", kind="stable")
    assert list(zip(view.defendants()["case_id"], view.defendants()["person_id"])) == list(
        zip(wanted["case_id"], wanted["person_id"])
    )
    same_frame(view.city_totals(), city_totals(reference, ds.locations, ds.people))
    off_map = without_place(reference, ds.locations)
    assert cases.unplaced(view.selected) == (
        len(off_map),
        people_counts(ds.people, off_map["case_id"], ds.convictions)["total"],
    )
    assert cases.approximate_count(view.selected) == int(reference["approximate"].sum())
    assert cases.month_unknown(view.selected) == month_unknown(reference)
    start, end = view.window
    same_frame(view.monthly_decisions(), monthly_series(reference, value="convicted_people", start=start, end=end))
    shown_events = filter_events(ds.events, f)
    assert list(view.event_rows()["event_id"]) == list(by_date(shown_events, "event_id")["event_id"])
    assert events.unplaced_count(view.events_selected) == len(without_place(shown_events, ds.locations))
    same_frame(view.event_totals(), event_totals(shown_events, ds.locations))
    same_frame(view.monthly_events(), monthly_series(shown_events, start=start, end=end))


@pytest.mark.parametrize("f", FILTERS)
def test_every_answer_equals_the_reference(synthetic, index, f):
    check_against_reference(synthetic, index, f)


@pytest.mark.parametrize("f", FILTERS[:3])
def test_pages_follow_the_tables_date_order(synthetic, index, f):
    reference = list(by_date(filter_convictions(synthetic.convictions, f), "case_id")["case_id"])
    view = index.view(f)
    for offset in (0, 100, len(reference) - 5):
        page = view.rows(limit=50, offset=offset)
        assert list(page["case_id"]) == reference[offset : offset + 50]
    in_almaty = Filters.of(f.start, f.end, ["almaty"])
    almaty = list(by_date(filter_convictions(synthetic.convictions, in_almaty), "case_id")["case_id"])
    assert list(view.rows(view.selected & index.cases.of_city("almaty"), limit=30)["case_id"]) == almaty[:30]


def test_synthetic_data_exercises_the_edge_cases(synthetic):
    c = synthetic.convictions
    assert c["location_id"].isna().any()  # rows without a court city
    assert set(c["date_precision"].astype(str)) == {"day", "month", "year"}
    assert set(c["instance"].astype(str)) == {"first", "appeal"}  # people shared by two decisions
    assert {"acquitted", "posthumous"} <= set(c["outcome"].astype(str))
    assert synthetic.defendants["person_id"].duplicated().any()
    assert len(synthetic.events) and synthetic.events["event_type"].nunique() > 1


def test_undated_rows_match_reference_semantics():
    ds = load_dataset(SAMPLE)
    c = ds.convictions.copy()
    c.loc[c.index[:2], ["period_start", "period_end"]] = pd.NaT
    cases = CaseIndex.build(c, ds.locations, ds.people)
    for f in (Filters.of(), Filters.of(date(2022, 1, 1), None), Filters.of(None, date(2030, 1, 1))):
        assert list(c[frame_mask(cases, cases.select(f))]["case_id"]) == list(filter_convictions(c, f)["case_id"])
    e = ds.events.copy()
    e.loc[e.index[:1], ["period_start", "period_end"]] = pd.NaT
    events = EventIndex.build(e, ds.locations)
    for f in (Filters.of(), Filters.of(date(2022, 1, 1), None)):
        assert list(e[frame_mask(events, events.select(f))]["event_id"]) == list(filter_events(e, f)["event_id"])


def test_sample_data_through_the_index():
    ds = load_dataset(SAMPLE)
    index = DatasetIndex.build(ds)
    for f in FILTERS + [Filters.of(date(2022, 6, 1), date(2022, 7, 31), ["almaty", "shymkent"])]:
        check_against_reference(ds, index, f)


# --- random filters -----------------------------------------------------------------------------
# A smaller synthetic set than above: the reference is slow, and hundreds of filters over it must stay quick.

FIRST, LAST = date(2021, 12, 1), date(2024, 9, 30)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    ds = load_dataset(synthesize(1_000, tmp_path_factory.mktemp("small"), seed=11))
    c = ds.convictions  # small, but with every case that matters
    assert c["location_id"].isna().any() and set(c["date_precision"].astype(str)) == {"day", "month", "year"}
    assert (c["instance"] == "appeal").any() and ds.defendants["person_id"].duplicated().any()
    assert {"acquitted", "posthumous"} <= set(c["outcome"].astype(str)) and len(ds.events)
    return ds, DatasetIndex.build(ds)


def some_of(values) -> st.SearchStrategy:
    return st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True)


def filters_of(ds) -> st.SearchStrategy[Filters]:
    days = st.one_of(st.none(), st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n)))
    cities = sorted(set(ds.convictions["location_id"].dropna().astype(str)) | {"no-such-city"})
    return st.builds(
        lambda a, b, *rest: Filters.of(*((a, b) if a is None or b is None else sorted((a, b))), *rest),
        days,
        days,
        some_of(cities),
        some_of(ds.convictions["sentence_type"].cat.categories),
        some_of(ds.events["event_type"].cat.categories),
        some_of(ds.convictions["defendant_role"].cat.categories),
    )


#: Random filters per run: make test draws a few, derandomized (the "ci" profile), beside the fixed
#: ones above; make robustness draws the wide set, and the "nightly" profile draws afresh and wider.
QUICK_EXAMPLES = 40
WIDE_EXAMPLES = 150


def check_random_filters(small, examples: int, part: int) -> None:
    ds, index = small
    seen: list[Filters] = []

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(filters_of(ds))
    def check(f: Filters) -> None:
        seen.append(f)
        check_against_reference(ds, index, f)

    if settings.default.derandomize:  # the "ci" profile: each run its own fixed draws, not the same ones twice
        check = seed(part)(check)
    check()
    # The draws reach the cases that matter: date bounds on one side only, several cities, types.
    assert len(seen) >= examples
    assert any(f.start is not None and f.end is None for f in seen)
    assert any(len(f.cities) > 1 and f.sentence_types and f.roles for f in seen)


def test_random_filters_equal_the_reference(small):
    check_random_filters(small, QUICK_EXAMPLES, part=1)


@pytest.mark.slow
@pytest.mark.parametrize("part", [1, 2])  # 2 × 150 filters, each half on a worker of its own
def test_many_random_filters_equal_the_reference(small, part):
    check_random_filters(small, max(WIDE_EXAMPLES, settings.default.max_examples), part=part)
