"""Play/pause in the sidebar: the date window steps one calendar month at a time."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.dashboard.url_state import PERIOD
from geo.i18n import translation
from geo.query.window import shift_months

#: Play/pause: whether it plays, seconds per month, and the counters that tell its timer's reruns apart.
PLAYING, PLAY_SECONDS, FULL_RUNS, SEEN_RUNS = "playing", 2.0, "full_runs", "player_seen_runs"

PRESSED = "player_pressed"


def _play(bounds: tuple[date, date]) -> None:
    playing = not st.session_state.get(PLAYING, False)
    st.session_state[PLAYING] = playing
    st.session_state[PRESSED] = True  # the button reruns its fragment only: the timer makes it a full rerun
    if playing:  # start from the first month, or go on from the month shown
        start, end = st.session_state.get(PERIOD, bounds)
        if (start, end) == bounds or end >= bounds[1]:
            st.session_state[PERIOD] = shift_months(bounds[0], bounds[1], bounds[0], bounds[1], 1)


def player(bounds: tuple[date, date], lang: str = "en") -> None:
    """Play/pause: while playing, the date window steps one calendar month every
    :data:`PLAY_SECONDS` and the whole page (map, tables, charts) is drawn for each month.

    The timer is a fragment that reruns on its own; a step must happen only in those reruns
    (in a full rerun the slider above is already drawn, and its value can no longer be set).
    A full rerun counts itself in ``FULL_RUNS``; the fragment steps only when no full rerun has
    happened since it last ran."""
    st.session_state[FULL_RUNS] = st.session_state.get(FULL_RUNS, 0) + 1
    playing = bool(st.session_state.get(PLAYING, False))

    @st.fragment(run_every=PLAY_SECONDS if playing else None)
    def timer() -> None:
        full_runs = st.session_state.get(FULL_RUNS, 0)
        if st.session_state.pop(PRESSED, False):  # Play or Pause pressed: draw the whole page once
            st.rerun(scope="app")
        if st.session_state.get(SEEN_RUNS) != full_runs:  # part of a full rerun: draw only
            st.session_state[SEEN_RUNS] = full_runs
        elif st.session_state.get(PLAYING):  # the timer's own rerun: step, then draw everything
            start, end = st.session_state.get(PERIOD, bounds)
            moved = shift_months(start, end, bounds[0], bounds[1], 1)
            if moved == (start, end) or moved[1] >= bounds[1]:
                st.session_state[PLAYING] = False  # the last month: stop there
            st.session_state[PERIOD] = moved
            st.rerun(scope="app")
        tr = translation(lang)
        st.button(
            tr.gettext("⏸ Pause") if st.session_state.get(PLAYING) else tr.gettext("▶ Play months"),
            key="play",
            on_click=_play,
            args=(bounds,),
            width="stretch",
            help=tr.gettext("Step through the record one calendar month at a time; the map and every table follow."),
        )

    timer()
