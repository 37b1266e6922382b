"""The sidebar: the language switch and the shared filters, which give the rerun's one
:class:`~geo.query.view.View`. ``app.py`` draws them before the page runs, so the filters, and
their query parameters (:mod:`geo.dashboard.url_state`), are the same on every page.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from geo.dashboard.player import player
from geo.dashboard.url_state import (
    CITIES,
    CUMULATIVE,
    EVENTS,
    PERIOD,
    ROLES,
    SENTENCES,
    cities_from_url,
    linked_toggle,
    linked_widget,
    not_understood,
    sync_cities,
    sync_period,
)
from geo.i18n import LANGUAGES, QUERY_PARAM, translation
from geo.i18n.formats import widget_day_format
from geo.i18n.languages import LANGUAGE_HELP, LANGUAGE_LABEL
from geo.query.filters import Filters
from geo.query.link import NotUnderstood, period_from_link
from geo.query.view import DatasetIndex, View
from geo.query.window import shift_months, shift_window
from geo.views import formats, link_notes, place_labels

#: The typed dates beside the slider (not in the URL: the slider's range is).
FROM_DAY, TO_DAY = "period_from", "period_to"

STEP_DAYS = 7


def to_filters(
    period: tuple[date, date] | None,
    bounds: tuple[date, date],
    cities,
    sentences,
    events,
    roles=(),
    cumulative: bool = False,
) -> Filters:
    """Widget values to a :class:`Filters` (:meth:`Filters.from_widgets`, which the data API uses too)."""
    return Filters.from_widgets(period, bounds, cities, sentences, events, roles, cumulative)


def _step(days: int, bounds: tuple[date, date]) -> None:
    # A callback runs before the slider is drawn, so it may set the slider's value.
    start, end = st.session_state.get(PERIOD, bounds)
    st.session_state[PERIOD] = shift_window(start, end, bounds[0], bounds[1], days)


def _step_months(months: int, bounds: tuple[date, date]) -> None:
    start, end = st.session_state.get(PERIOD, bounds)
    st.session_state[PERIOD] = shift_months(start, end, bounds[0], bounds[1], months)


def _typed_dates(bounds: tuple[date, date]) -> None:
    """The From and To boxes set the slider (the earlier date first; an empty box: that end)."""
    typed = st.session_state.get(FROM_DAY) or bounds[0], st.session_state.get(TO_DAY) or bounds[1]
    start, end = sorted(max(bounds[0], min(d, bounds[1])) for d in typed)
    st.session_state[PERIOD] = (start, end)


def language_switch(lang: str) -> str:
    """English, Русский, Қазақша at the top of the sidebar, kept in the URL by id (``?lang=ru``;
    English, the default, leaves it out). Each language is named in itself."""
    tr = translation(lang)
    with st.sidebar:
        chosen = linked_widget(
            st.selectbox,
            tr.gettext(LANGUAGE_LABEL),
            list(LANGUAGES),
            QUERY_PARAM,
            format_func=LANGUAGES.__getitem__,
            help=tr.gettext(LANGUAGE_HELP),
        )
    return str(chosen)


def sidebar_filters(index: DatasetIndex, lang: str = "en") -> View:
    """Draw the shared filters in the sidebar; return the rerun's view (in ``lang``)."""
    ds, bounds = index.data, index.bounds
    tr = translation(lang)
    labels = place_labels.city_labels(index.data.locations, lang)
    city_ids = sorted(labels, key=lambda c: labels[c].casefold())
    if PERIOD not in st.session_state:  # a new session: start from the link's range, if any
        from_url, unread = period_from_link(st.query_params.get_all(PERIOD), bounds)
        if from_url:
            st.session_state[PERIOD] = from_url
        not_understood(unread, bounds)
    if CITIES not in st.session_state:  # likewise its cities, whatever names the link used
        linked = cities_from_url(st.query_params.get_all(CITIES), index)
        st.session_state[CITIES] = list(linked.ids)
        if linked.unknown:
            not_understood(NotUnderstood(CITIES, linked.unknown), list(linked.ids))
        if linked.ambiguous:
            not_understood(NotUnderstood(CITIES, linked.ambiguous, link_notes.AMBIGUOUS), list(linked.ids))
    with st.sidebar:
        st.header(tr.gettext("Filters"))
        period = st.slider(
            tr.gettext("Date range"),
            min_value=bounds[0],
            max_value=bounds[1],
            value=bounds,
            step=timedelta(days=1),
            format=widget_day_format(lang),
            key=PERIOD,
            help=tr.gettext(
                "Verdicts and events whose date overlaps this range. A date known only to the month "
                "counts in any range that touches that month."
            ),
        )
        # The boxes show the slider's range; typing in one moves the slider (see _typed_dates).
        st.session_state[FROM_DAY], st.session_state[TO_DAY] = period
        # One box a line: two side by side in the sidebar cut the year off.
        for label, day_key in ((tr.gettext("From"), FROM_DAY), (tr.gettext("To"), TO_DAY)):
            st.date_input(
                label,
                min_value=bounds[0],
                max_value=bounds[1],
                format="DD.MM.YYYY",
                key=day_key,
                on_change=_typed_dates,
                args=(bounds,),
            )
        # Two buttons a row (four cut their labels): months on the first, weeks on the second.
        months_row, weeks_row = st.columns(2), st.columns(2)
        steps = [months_row[0], weeks_row[0], weeks_row[1], months_row[1]]
        for column, text, key, callback, amount, tip in (
            (
                steps[0],
                tr.gettext("◀ Month"),
                "month_back",
                _step_months,
                -1,
                tr.gettext("Move the date window one month back (from the full range: the last month)."),
            ),
            (
                steps[1],
                tr.gettext("◀ Week"),
                "step_back",
                _step,
                -STEP_DAYS,
                tr.gettext("Move the date window one week back (from the full range: the last week)."),
            ),
            (
                steps[2],
                tr.gettext("Week ▶"),
                "step_forward",
                _step,
                STEP_DAYS,
                tr.gettext("Move the date window one week forward (from the full range: the first week)."),
            ),
            (
                steps[3],
                tr.gettext("Month ▶"),
                "month_forward",
                _step_months,
                1,
                tr.gettext("Move the date window one month forward (from the full range: the first month)."),
            ),
        ):
            column.button(
                text,
                key=key,
                on_click=callback,
                args=(amount, bounds),
                width="stretch",
                help=tip,
            )
        player(bounds, lang)
        cumulative = linked_toggle(
            tr.gettext("Everything up to the end date"),
            CUMULATIVE,
            help=tr.gettext(
                "Count from the first record up to the range's end, whatever its start: stepping by month "
                "then adds each month to what came before."
            ),
        )
        cities = st.multiselect(
            tr.gettext("Cities"),
            options=city_ids,
            format_func=lambda c: labels[c],
            key=CITIES,
            placeholder=tr.gettext("All cities"),
            help=tr.gettext("Type the name in English, Russian or Kazakh."),
        )
        sentences = linked_widget(
            st.multiselect,
            tr.gettext("Sentence type"),
            list(ds.convictions["sentence_type"].cat.categories),
            SENTENCES,
            many=True,
            format_func=lambda v: formats.label(v, lang, "sentence_type"),
            placeholder=tr.gettext("All sentence types"),
        )
        roles = linked_widget(
            st.multiselect,
            tr.gettext("Defendants"),
            list(ds.convictions["defendant_role"].cat.categories),
            ROLES,
            many=True,
            format_func=lambda v: formats.label(v, lang, "role"),
            placeholder=tr.gettext("Everyone"),
            help=tr.gettext(
                "Who was tried: protesters, activists, journalists, officials, security officers, the military."
            ),
        )
        events = linked_widget(
            st.multiselect,
            tr.gettext("Event type"),
            list(ds.events["event_type"].cat.categories),
            EVENTS,
            many=True,
            format_func=lambda v: formats.label(v, lang, "event_type"),
            placeholder=tr.gettext("All event types"),
            help=tr.gettext("Applies to events (map, timeline), not to verdicts."),
        )
        st.caption(tr.gettext("The filters are part of the page address: copy it to share this view."))
    sync_period(period, bounds)
    sync_cities(cities)
    return index.view(to_filters(period, bounds, cities, sentences, events, roles, cumulative), lang)
