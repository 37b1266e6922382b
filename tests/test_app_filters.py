"""The shared sidebar filters: widgets, the line describing them, and the URL that restores them.

The date range goes in the URL as ``?period=YYYY-MM-DD&period=YYYY-MM-DD`` and the cities as
stable ids, ``?city=almaty,shymkent`` (both written by the app; a link may name a city any way
the data knows, see tests/test_place_links.py); sentence and event types through Streamlit's
binding.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from geo.dashboard.sidebar import to_filters
from geo.data.dataset import load_dataset
from geo.query.filters import Filters
from geo.query.link import period_from_link
from geo.query.window import shift_window
from geo.views.descriptions import describe

from apptest_support import description, open_page, sample_env, switch_page, table  # noqa: F401
from reference import filter_convictions, people_in
from testdata import SAMPLE

pytestmark = pytest.mark.usefixtures("sample_env")

JUNE, JULY_END = date(2022, 6, 1), date(2022, 7, 31)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def bounds(ds):
    return min(ds.span[0], date(2022, 1, 1)), ds.span[1]


def expected_line(ds, f: Filters) -> str:
    rows = filter_convictions(ds.convictions, f)
    names = dict(zip(ds.locations["location_id"], ds.locations["name"]))
    return describe(f, names, len(rows), people_in(ds, rows), span=bounds(ds))


def test_slider_and_cities_set_the_line_and_the_table(ds):
    at = open_page("pages/cases.py")
    at.slider(key="period").set_value((JUNE, JULY_END))
    at.multiselect(key="city").set_value(["almaty", "shymkent"])
    at.run()
    f = Filters.of(JUNE, JULY_END, ["almaty", "shymkent"])
    assert description(at) == expected_line(ds, f)
    assert description(at) == "Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (4 convicted)"
    expected = filter_convictions(ds.convictions, f).sort_values(["period_start", "case_id"])
    assert table(at)["Case"].tolist() == expected["case_id"].tolist()
    assert at.query_params["period"] == ["2022-06-01", "2022-07-31"]


def test_a_month_precision_verdict_counts_in_any_range_touching_its_month(ds):
    at = open_page("pages/cases.py")
    at.slider(key="period").set_value((date(2023, 4, 30), date(2023, 5, 31))).run()
    assert table(at)["Case"].tolist() == ["cv-2023-04-massimov"]


def test_sentence_type_filter(ds):
    at = open_page("pages/cases.py")
    at.multiselect(key="sentence").set_value(["imprisonment"]).run()
    f = Filters.of(sentence_types=["imprisonment"])
    assert description(at) == expected_line(ds, f)
    assert sorted(table(at)["Case"]) == sorted(filter_convictions(ds.convictions, f)["case_id"])


def test_city_options_read_in_english_russian_and_kazakh():
    at = open_page("pages/map.py")
    options = at.multiselect(key="city").options
    assert "Almaty · Алматы" in options
    assert "Ust-Kamenogorsk · Усть-Каменогорск · Өскемен" in options


def test_a_link_restores_the_filters(ds):
    query = {
        "city": ["Almaty · Алматы", "Shymkent · Шымкент"],
        "period": ["2022-06-01", "2022-07-31"],
        "sentence": ["imprisonment", "type not stated"],
    }
    at = open_page("pages/cases.py", query)
    assert at.multiselect(key="city").value == ["almaty", "shymkent"]
    assert at.slider(key="period").value == (JUNE, JULY_END)
    assert at.multiselect(key="sentence").value == ["imprisonment", "unknown"]
    f = Filters.of(JUNE, JULY_END, ["almaty", "shymkent"], ["imprisonment", "unknown"])
    assert description(at) == expected_line(ds, f)


def test_the_filters_survive_a_page_change(ds):
    at = open_page("pages/map.py", {"city": ["Astana · Астана"]})
    at.slider(key="period").set_value((date(2023, 1, 1), date(2023, 12, 31))).run()
    switch_page(at, "pages/timeline.py").run()
    assert description(at) == expected_line(ds, Filters.of(date(2023, 1, 1), date(2023, 12, 31), ["astana"]))
    assert at.query_params["period"] == ["2023-01-01", "2023-12-31"]


def test_bad_or_out_of_range_dates_in_a_link_are_ignored_or_clamped(ds):
    lo, hi = bounds(ds)
    at = open_page("pages/map.py", {"period": ["yesterday", "2022-07-31"]})
    assert at.slider(key="period").value == (lo, hi)
    at = open_page("pages/map.py", {"period": ["2020-01-01", "2030-01-01"]})
    assert at.slider(key="period").value == (lo, hi)
    assert period_from_link(["2022-07-31", "2022-06-01"], (lo, hi))[0] == (JUNE, JULY_END)
    assert period_from_link(["2022-06-01"], (lo, hi))[0] is None


def test_the_full_range_is_no_date_filter_and_no_url_parameter(ds):
    at = open_page("pages/map.py")
    assert "period" not in at.query_params
    lo, hi = bounds(ds)
    assert to_filters((lo, hi), (lo, hi), [], [], []) == Filters()
    assert to_filters((JUNE, hi), (lo, hi), ["almaty"], [], []) == Filters.of(JUNE, hi, ["almaty"])


def test_week_buttons_step_the_window_and_the_link_follows(ds):
    lo, _hi = bounds(ds)
    at = open_page("pages/map.py")
    at.button(key="step_forward").click().run()
    assert at.slider(key="period").value == (lo, lo + timedelta(days=6))
    at.button(key="step_forward").click().run()
    week2 = (lo + timedelta(days=7), lo + timedelta(days=13))
    assert at.slider(key="period").value == week2
    assert at.query_params["period"] == [d.isoformat() for d in week2]
    assert description(at) == expected_line(ds, Filters.of(*week2))
    at.button(key="step_back").click().run()
    assert at.slider(key="period").value == (lo, lo + timedelta(days=6))


def test_shift_window_keeps_the_width_and_stays_in_bounds():
    lo, hi = date(2022, 1, 1), date(2022, 3, 31)
    assert shift_window(lo, hi, lo, hi, 7) == (lo, date(2022, 1, 7))
    assert shift_window(lo, hi, lo, hi, -7) == (date(2022, 3, 25), hi)
    assert shift_window(date(2022, 2, 1), date(2022, 2, 28), lo, hi, 7) == (date(2022, 2, 8), date(2022, 3, 7))
    assert shift_window(date(2022, 3, 1), date(2022, 3, 28), lo, hi, 7) == (date(2022, 3, 4), hi)
    assert shift_window(date(2022, 1, 3), date(2022, 1, 9), lo, hi, -7) == (lo, date(2022, 1, 7))
