"""Time in the sidebar: typed dates beside the slider, and steps by week and by calendar month."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from geo.query.window import shift_months

from apptest_support import description, open_page, sample_env  # noqa: F401

LO, HI = date(2022, 1, 1), date(2024, 6, 11)


def test_month_steps_walk_calendar_months():
    assert shift_months(LO, HI, LO, HI, 1) == (date(2022, 1, 1), date(2022, 1, 31))  # from the full range
    assert shift_months(LO, HI, LO, HI, -1) == (date(2024, 6, 1), HI)  # the last, partial month
    assert shift_months(date(2022, 1, 1), date(2022, 1, 31), LO, HI, 1) == (date(2022, 2, 1), date(2022, 2, 28))
    assert shift_months(date(2022, 1, 1), date(2022, 3, 31), LO, HI, 1) == (date(2022, 2, 1), date(2022, 4, 30))
    assert shift_months(date(2022, 1, 1), date(2022, 1, 31), LO, HI, -1) == (date(2022, 1, 1), date(2022, 1, 31))
    assert shift_months(date(2024, 5, 1), date(2024, 5, 31), LO, HI, 1) == (date(2024, 6, 1), HI)
    assert shift_months(date(2022, 1, 10), date(2022, 1, 31), LO, HI, 1) == (date(2022, 2, 10), date(2022, 2, 28))


days = st.integers(0, (HI - LO).days).map(lambda n: LO + timedelta(days=n))


@given(days, days, st.sampled_from([-3, -1, 1, 2]))
def test_a_month_step_stays_inside_the_range(a, b, months):
    start, end = sorted((a, b))
    moved = shift_months(start, end, LO, HI, months)
    assert LO <= moved[0] <= moved[1] <= HI


def test_month_buttons_step_the_view_and_the_link(sample_env):
    at = open_page("pages/map.py")
    at.button(key="month_forward").click().run()
    assert description(at).startswith("All cities, 1 Jan 2022 – 31 Jan 2022: ")
    at.button(key="month_forward").click().run()
    assert at.query_params["period"] == ["2022-02-01", "2022-02-28"]
    at.button(key="month_back").click().run()
    assert at.slider(key="period").value == (date(2022, 1, 1), date(2022, 1, 31))


def test_typed_dates_set_the_slider_and_follow_it(sample_env):
    at = open_page("pages/map.py")
    at.date_input(key="period_from").set_value(date(2022, 6, 1)).run()
    at.date_input(key="period_to").set_value(date(2022, 7, 31)).run()
    assert at.slider(key="period").value == (date(2022, 6, 1), date(2022, 7, 31))
    assert description(at).startswith("All cities, 1 Jun 2022 – 31 Jul 2022: ")
    at.button(key="step_forward").click().run()  # the boxes follow the slider
    assert (at.date_input(key="period_from").value, at.date_input(key="period_to").value) == (
        date(2022, 6, 8),
        date(2022, 8, 7),
    )


def test_dates_typed_the_wrong_way_round_are_put_in_order(sample_env):
    at = open_page("pages/map.py")
    at.date_input(key="period_to").set_value(date(2022, 3, 1)).run()
    at.date_input(key="period_from").set_value(date(2022, 9, 1)).run()
    assert at.slider(key="period").value == (date(2022, 3, 1), date(2022, 9, 1))


def test_cumulative_counts_everything_up_to_the_end_date(sample_env):
    at = open_page("pages/map.py", {"period": ["2022-07-01", "2022-07-31"]})
    in_july = description(at)
    at.toggle(key="cumulative").set_value(True).run()
    up_to_july = description(at)
    assert in_july.startswith("All cities, 1 Jul 2022 – 31 Jul 2022: ")
    assert up_to_july.startswith("All cities, 1 Jan 2022 – 31 Jul 2022: ")
    at.button(key="month_forward").click().run()  # the end moves; the start stays at the first record
    assert description(at).startswith("All cities, 1 Jan 2022 – 31 Aug 2022: ")
    # Streamlit's binding keeps the toggle in the URL (the browser writes it); a link restores it
    linked = open_page("pages/map.py", {"period": ["2022-07-01", "2022-07-31"], "cumulative": ["true"]})
    assert description(linked) == up_to_july
