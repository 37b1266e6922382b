"""The dashboard's Streamlit side: the loaded dataset index, the shared sidebar filters (kept in
the URL) that give the rerun's one :class:`~geo.query.view.View`, and the few elements every page
repeats. (The other modules of ``geo.dashboard`` and the benchmarks import streamlit too; nothing
below them does: an import-linter contract in pyproject.toml.)

Widget keys double as URL query parameters: a filtered view is a link. ``app.py`` draws the
filter widgets before the page runs and hands the page their View, so the filters, and their
query parameters, are the same on every page. Only the cumulative toggle uses Streamlit's binding
(``bind="query-params"``); cities are kept by :func:`sync_cities`, sentence, event and role by
:func:`linked_widget` (its docstring says why). The date range is kept in the URL by :func:`sync_period`: with the binding, a value set
by the week buttons reached the URL one step late (Streamlit 1.67), so a copied link would
restore the wrong window.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.logger import get_logger

from geo.dashboard import chrome
from geo.data import cache
from geo.data.background import Latest, stamp_bytes, validate_in_child
from geo.data.dataset import Dataset, load_or_last_good
from geo.data.paths import data_dir
from geo.data.provenance import Provenance
from geo.data.validate import Report
from geo.downloads.store import Recipe
from geo.i18n import LANGUAGES, N_, QUERY_PARAM, choose_language, translation
from geo.i18n.formats import widget_day_format
from geo.i18n.languages import LANGUAGE_HELP, LANGUAGE_LABEL
from geo.places.names import NameIndex
from geo.places.resolve import Resolved, place_index, resolve_places
from geo.query.filters import Filters
from geo.query.link import (
    NotUnderstood,
    choices_from_link,
    language_from_link,
    page_from_link,
    period_from_link,
    place_from_link,
)
from geo.query.view import DatasetIndex, View
from geo.query.window import shift_months, shift_window
from geo.views import deck, export, link_notes, official, present

#: Widget keys, which are also the URL's query parameter names.
PERIOD, CITIES, SENTENCES, EVENTS, ROLES = "period", "city", "sentence", "event", "role"
#: Session key of the link values that named nothing: {(parameter, reason): (NotUnderstood, the
#: value shown instead)}; each is said on the page until the reader changes that value.
LINK_NOTES = "link_notes"
#: Session key of the page shown (its url path), against which an unknown page path's note is kept.
SHOWN_PAGE = "shown_page"
#: The typed dates beside the slider (not in the URL: the slider's range is).
FROM_DAY, TO_DAY = "period_from", "period_to"
CUMULATIVE = "cumulative"
#: Play/pause: whether it plays, seconds per month, and the counters that tell its timer's reruns apart.
PLAYING, PLAY_SECONDS, FULL_RUNS, SEEN_RUNS = "playing", 2.0, "full_runs", "player_seen_runs"
PRESSED = "player_pressed"
STEP_DAYS = 7
#: A table's page (in the URL) and what it pages through (a new group, search or order starts at 1).
PAGE, PAGE_SCOPE = "page", "page_scope"
#: Problems the server's log lists when the data does not validate (``geo validate`` lists them all).
LOGGED_PROBLEMS = 1000
_LOG = get_logger(__name__)
#: The print stylesheet (``@media print`` only): what a page gives on paper.
PRINT_CSS = Path(__file__).with_name("print.css")


def favicon(size: int = 32):
    """A red dot drawn here: Material and emoji page icons are fetched from Google's and
    jsDelivr's CDNs by the browser, which offline machines cannot reach."""
    import numpy as np  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415 -- a dependency of streamlit

    y, x = np.mgrid[:size, :size]
    inside = (x - size / 2 + 0.5) ** 2 + (y - size / 2 + 0.5) ** 2 <= (size / 2 - 2) ** 2
    image = np.zeros((size, size, 4), dtype=np.uint8)
    image[inside] = (*deck.RGB["red"], 255)
    return Image.fromarray(image, "RGBA")


@dataclass(frozen=True, eq=False)
class Current:
    """The data this rerun shows."""

    index: DatasetIndex | None  # None: no version of the data directory has ever validated
    pending: bool = False  # the files on disk do not validate yet; ``index`` is the last version that did
    loading: bool = False  # the files on disk changed and are being read; ``index`` is the version before


#: A data directory of up to this many bytes of files is read on the rerun that sees it change (a
#: moment); a larger one in the background, while readers keep the version served before.
WAIT_BYTES = 4 * 2**20


@st.cache_resource(show_spinner=False)
def _loaders() -> dict[str, Latest[Current]]:
    """This process's served version of each data directory (cleared with the other caches)."""
    return {}


_LOADERS_LOCK = threading.Lock()


def _log_problems(directory: str, report: Report, shown: Dataset | None) -> None:
    problems = report.sorted()
    listed = [str(p) for p in problems[:LOGGED_PROBLEMS]]
    if len(problems) > LOGGED_PROBLEMS:
        listed.append(f"… and {len(problems) - LOGGED_PROBLEMS} more; `python -m geo validate` lists them all")
    if shown is None:
        _LOG.error(
            "data in %s does not validate (%s) and no earlier version of it did: readers are told that the "
            "data cannot be shown. The problems:\n%s",
            directory,
            report.summary(),
            "\n".join(listed),
        )
    else:
        _LOG.warning(
            "data in %s does not validate (%s): readers see the version validated at %s until it does. "
            "The problems:\n%s",
            directory,
            report.summary(),
            shown.validated_at.isoformat(timespec="seconds") if shown.validated_at else "an unknown time",
            "\n".join(listed),
        )


def _freeze_long_lived_objects() -> None:
    """Leave the loaded modules and data out of every later garbage collection.

    Streamlit collects all generations after every script run (``runner.postScriptGC``), which
    keeps a session's temporaries from piling up but walks every live object each time: with the
    libraries and the dataset loaded, that walk was the largest single cost of a rerun. What lives
    now lives as long as the process (or this data version), so it is frozen: the collections
    after each run see only what runs allocate. Unfreezing first lets a replaced data version's
    cycles be collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _load(directory: str, stamp: tuple, served: Current | None) -> Current:
    """The version of ``directory``'s files (``stamp``), run by :class:`geo.data.background.Latest`
    once per change: one immutable index per process and data version. While the files do not
    validate, the last good index (``served``'s, else the copy on disk) with ``pending`` set."""
    started = time.perf_counter()
    kept = served.index if served is not None else None
    if kept is not None and stamp_bytes(stamp) > WAIT_BYTES:
        validated, said = validate_in_child(directory)
        if validated is None:  # the child could not tell: loaded here instead
            _LOG.warning("validating %s in a child process failed; loading it in the server:\n%s", directory, said)
        elif not validated:  # the child listed the problems; the last good index stays
            listed = said.splitlines()
            if len(listed) > LOGGED_PROBLEMS:
                listed = [*listed[:LOGGED_PROBLEMS], "… `python -m geo validate` lists them all"]
            _LOG.warning(
                "data in %s does not validate: readers see the version validated at %s until it does:\n%s",
                directory,
                kept.data.validated_at.isoformat(timespec="seconds") if kept.data.validated_at else "an unknown time",
                "\n".join(listed),
            )
            return Current(kept, pending=True)
    loaded = load_or_last_good(directory, kept=None if kept is None else kept.data)
    if loaded.problems is not None:
        _log_problems(directory, loaded.problems, loaded.dataset)
    if loaded.dataset is None:
        return Current(None)
    if kept is not None and loaded.dataset is kept.data:
        return Current(kept, pending=True)
    index, pending = DatasetIndex.build(loaded.dataset), loaded.pending
    _freeze_long_lived_objects()
    if not pending:  # one line per actual load, for operators and for the load test's count
        _LOG.info(
            "dataset loaded from %s in %.2f s (%s)",
            directory,
            time.perf_counter() - started,
            index.data.report.summary(),
        )
    return Current(index, pending=pending)


def _loader(directory: str) -> Latest[Current]:
    loaders = _loaders()
    with _LOADERS_LOCK:
        if directory not in loaders:
            loaders[directory] = Latest(functools.partial(_load, directory), WAIT_BYTES, name=directory)
        return loaders[directory]


def current_data(lang: str = "en") -> Current:
    """The dataset of ``$GEO_DATA_DIR`` (else ``data/``) and its indexes, built once per process
    and data version; while the files do not validate, the last version that did; while a large
    change is being read (:mod:`geo.data.background`), the version served before it. Both with
    ``pending`` set."""
    directory = data_dir()
    loader, stamp = _loader(str(directory)), cache.stat_stamp(directory)
    if loader.serves(stamp):
        answer = loader.current(stamp)
    else:  # a load may be waited for: said, if it lasts
        with st.spinner(translation(lang).gettext("Loading the data…")):
            answer = loader.current(stamp)
    if answer.value is None or answer.value.index is None:
        return Current(None)
    if answer.stale:  # being read, or its load failed (the log says why)
        return Current(answer.value.index, pending=answer.value.pending or not answer.loading, loading=answer.loading)
    return answer.value


@st.cache_resource(show_spinner=False, max_entries=4)
def _borders(path: str, stamp: tuple) -> dict | None:
    collection = deck.load_borders(path)
    return None if collection is None else deck.borders_for_map(collection)


def borders(ds: Dataset) -> dict | None:
    """Outlines from the data directory's ``borders.geojson``, else the shipped one."""
    path = deck.borders_path(ds.data_dir)
    return _borders(str(path), cache.stat_stamp(path.parent))


def show_data_unavailable(lang: str = "en") -> None:
    """No version of the data validated: fixed wording only (the problems, and the data
    directory's path, are in the server's log)."""
    st.error(translation(lang).gettext(present.DATA_UNAVAILABLE), icon=":material/error:")


def show_pending_notice(current: Current, lang: str = "en") -> None:
    """Above every page while an update does not validate yet: fixed wording and the time the data
    shown validated."""
    if current.index is None:
        return
    if current.loading:
        st.info(present.loading_update_note(current.index.data.validated_at, lang), icon=":material/update:")
    elif current.pending:
        st.info(present.pending_update_note(current.index.data.validated_at, lang), icon=":material/update:")


# --- filters -----------------------------------------------------------------------------------


def to_filters(
    period: tuple[date, date] | None,
    bounds: tuple[date, date],
    cities,
    sentences,
    events,
    roles=(),
    cumulative: bool = False,
) -> Filters:
    """Widget values to a :class:`Filters`. The full range is no date filter at all, so that
    verdicts without a date still count until someone narrows the range. ``cumulative``: from
    the first record up to the range's end ("everything up to this date")."""
    start: date | None
    end: date | None
    start, end = period or bounds
    if cumulative:
        start = None
    if (start or bounds[0], end) == bounds:
        start = end = None
    return Filters.of(start, end, cities or (), sentences or (), events or (), roles or ())


def period_from_url(values: list[str], bounds: tuple[date, date]) -> tuple[date, date] | None:
    """``?period=2022-06-01&period=2022-07-31`` as dates clamped to ``bounds``; None if unusable."""
    return period_from_link(values, bounds)[0]


def sync_period(period: tuple[date, date], bounds: tuple[date, date]) -> None:
    """Write the date range to the URL; the full range is no parameter at all."""
    keep_in_url(PERIOD, [] if tuple(period) == bounds else [period[0].isoformat(), period[1].isoformat()])


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


@functools.lru_cache(maxsize=4)
def city_lookup(index: DatasetIndex) -> tuple[dict[str, str], NameIndex]:
    """The dataset's city labels and every name its places go by, made once per dataset index."""
    labels = present.city_labels(index.data.locations)
    return labels, place_index(index.data.locations, labels)


@functools.lru_cache(maxsize=12)
def city_labels_in(index: DatasetIndex, lang: str) -> dict[str, str]:
    """The city labels a reader of ``lang`` sees (their language's name first); links and searches
    resolve through :func:`city_lookup`, whatever the language."""
    return city_lookup(index)[0] if lang == "en" else present.city_labels(index.data.locations, lang)


def cities_from_url(values: list[str], index: DatasetIndex) -> Resolved:
    """``?city=almaty,shymkent`` (ids; also any name, alias or label the data knows, in any case)."""
    labels, names = city_lookup(index)
    return resolve_places(values, names, labels)


def sync_cities(cities: list[str]) -> None:
    """Write the chosen cities to the URL as stable ids, ``?city=almaty,shymkent``."""
    keep_in_url(CITIES, [",".join(cities)] if cities else [])


def not_understood(item: NotUnderstood | None, shown: object) -> None:
    """Say on the page that a link value named nothing (``shown``: the value the page shows
    instead, the widget's under ``item.key``); said until the reader changes that value."""
    if item is not None:
        st.session_state.setdefault(LINK_NOTES, {})[item.key, item.reason] = (item, shown)


def claim_unknown_page(url_paths: Sequence[str]) -> None:
    """A link to a page path the app does not have (``/nowhere``) opens the default page with a
    sentence in the reader's language, instead of Streamlit's own English "Page not found" dialog:
    the path is taken out of the run's page request before ``st.navigation`` looks for it."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    ctx = get_script_run_ctx()
    pages = getattr(ctx, "pages_manager", None)
    if pages is None or pages.intended_page_script_hash:
        return
    wanted = (pages.intended_page_name or "").strip("/")
    if not wanted or wanted in url_paths[1:]:
        return
    pages.set_script_intent("", "")  # the default page, whose own path Streamlit serves at the root
    if wanted != url_paths[0]:
        not_understood(NotUnderstood(link_notes.PAGE_PATH, (wanted,)), url_paths[0])


#: Where this script run's page header left room for the notes about the link (filled after the
#: page has drawn: its own widgets read the link too).
_NOTES_PLACE = threading.local()


def show_link_notes(shown_page: str, lang: str = "en") -> None:
    """The sentences about the link's values that named nothing, under the page's title."""
    st.session_state[SHOWN_PAGE] = shown_page
    place = getattr(_NOTES_PLACE, "slot", None)
    _NOTES_PLACE.slot = None
    notes = st.session_state.get(LINK_NOTES, {})
    for key, (item, shown) in list(notes.items()):
        now = st.session_state.get(SHOWN_PAGE if item.key == link_notes.PAGE_PATH else item.key, shown)
        if now != shown and not (isinstance(now, list | tuple) and list(now) == list(shown or [])):
            del notes[key]
    if place is None or not notes:
        return
    filtered = bool(st.session_state.get(CITIES))
    place.warning(
        "  \n".join(line for item, _ in notes.values() for line in link_notes.sentences(item, lang, filtered)),
        icon=":material/link_off:",
    )


def place_choice(label: str, options: dict[str, str], key: str, index: DatasetIndex, **widget) -> str:
    """A selectbox of places (``options``: key -> label, the first the default) kept in the URL by
    key (``?tab=almaty``). A link may name the choice by key, label, or any name of the place the
    data knows; a value that names no option is said above the box and the default is shown."""
    keys = list(options)
    if key not in st.session_state:  # a new session: start from the link
        wanted, unknown = place_from_link(
            key, st.query_params.get_all(key), options, lambda name: cities_from_url([name], index).ids
        )
        st.session_state[key] = wanted or keys[0]
        not_understood(unknown, keys[0])
    if st.session_state[key] not in options:  # a filter change took the chosen place away
        st.session_state[key] = keys[0]
    chosen = st.selectbox(label, options=keys, format_func=options.__getitem__, key=key, **widget)
    keep_in_url(key, [] if chosen == keys[0] else [chosen])
    return chosen


def keep_in_url(key: str, values: list[str]) -> None:
    """``?key=value&key=…`` in the URL, or no ``key`` when there are no values (the default)."""
    if st.query_params.get_all(key) != values:
        if values:
            st.query_params[key] = values
        else:
            del st.query_params[key]


def linked_widget(widget, label: str, options: Sequence[str], key: str, many: bool = False, **kw):
    """``widget`` (st.selectbox, st.radio or st.multiselect) over ``options`` kept in the URL by
    id (``?sort=longest``, ``?sentence=imprisonment&sentence=fine``), whatever language its labels
    are in. Streamlit's own binding writes the shown label instead, so a link would break when a
    label changes. A link may still name an option by its label (links made before ids)."""
    label_of = kw.get("format_func", str)
    index = kw.get("index", 0)
    default = [] if many else (None if index is None or not options else options[index])
    if key not in st.session_state:  # a new session: start from the link
        values = st.query_params.get_all(key)
        found, unknown = choices_from_link(key, values if many else values[-1:], options, label_of)
        if found:
            st.session_state[key] = found if many else found[-1]
        not_understood(unknown, found if many else default)
    value = widget(label, options, key=key, **kw)
    keep_in_url(key, [str(v) for v in value] if many else ([] if value in (default, None) else [str(value)]))
    return value


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


def reader_language() -> str:
    """The reader's language for this rerun: the switch's choice; in a new session the link's
    ``?lang=``, else the browser's preferred language (``st.context.locale``), else English. Set
    before the switch is drawn, so that its label, the page names and the page itself are in it."""
    if QUERY_PARAM not in st.session_state or st.session_state[QUERY_PARAM] not in LANGUAGES:
        st.session_state[QUERY_PARAM] = choose_language(st.query_params.get(QUERY_PARAM), st.context.locale)
        not_understood(language_from_link(st.query_params.get_all(QUERY_PARAM))[1], st.session_state[QUERY_PARAM])
    return str(st.session_state[QUERY_PARAM])


DOCUMENT_LANG = "document_lang"

#: Sets ``<html lang>``, which Streamlit's page template fixes to English: screen readers choose
#: their voice by it, and browsers their hyphenation and their offer to translate the page.
#: The same script gives Streamlit's controls their names in that language (geo.dashboard.chrome):
#: one component, so that the page waits for one script, not two.
_DOCUMENT_LANG_JS = (
    """
export default function (component) {
  const lang = component.data && component.data.lang;
  if (typeof lang === 'string' && /^[a-z]{2,3}$/.test(lang)) document.documentElement.lang = lang;
  return renameControls(component.data);
}
"""
    + chrome.NAMES_JS
)

#: The component draws nothing, and its element is kept out of the page's flow.
_DOCUMENT_LANG_CSS = "<style>.st-key-document_lang { display: none; }</style>"


@functools.cache
def _document_language():
    return st.components.v2.component("qantar_document_lang", js=_DOCUMENT_LANG_JS)


def document_language(lang: str) -> None:
    """The page's ``<html lang>`` follows the reader's language (an instance per language, so a
    switch mounts a new one that sets it again), and so do Streamlit's own words."""
    st.html(_DOCUMENT_LANG_CSS + chrome.empty_list_style(lang))
    with st.container(key=DOCUMENT_LANG):
        _document_language()(key=f"{DOCUMENT_LANG}_{lang}", data={"lang": lang, **chrome.control_names(lang)})


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
    labels = city_labels_in(index, lang)
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
        cumulative = st.toggle(
            tr.gettext("Everything up to the end date"),
            key=CUMULATIVE,
            bind="query-params",
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
            format_func=lambda v: present.label(v, lang, "sentence_type"),
            placeholder=tr.gettext("All sentence types"),
        )
        roles = linked_widget(
            st.multiselect,
            tr.gettext("Defendants"),
            list(ds.convictions["defendant_role"].cat.categories),
            ROLES,
            many=True,
            format_func=lambda v: present.label(v, lang, "role"),
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
            format_func=lambda v: present.label(v, lang, "event_type"),
            placeholder=tr.gettext("All event types"),
            help=tr.gettext("Applies to events (map, timeline), not to verdicts."),
        )
        st.caption(tr.gettext("The filters are part of the page address: copy it to share this view."))
    sync_period(period, bounds)
    sync_cities(cities)
    return index.view(to_filters(period, bounds, cities, sentences, events, roles, cumulative), lang)


def table_page(rows: int, per_page: int, scope: tuple, lang: str = "en") -> int:
    """A page number box (in the URL: ``?page=3``) when ``rows`` need more than one page; the
    offset of the page shown. A new ``scope`` (group, search or order) starts again at page 1."""
    pages = max(1, -(-rows // per_page))
    current = st.session_state.get(PAGE)
    if st.session_state.get(PAGE_SCOPE) not in (None, scope):
        wanted = 1
    elif current is None:  # a new session: start from the link
        wanted, unread = page_from_link(st.query_params.get_all(PAGE), pages)
        not_understood(unread, wanted)
    else:
        wanted = int(current)
    st.session_state[PAGE_SCOPE] = scope
    wanted = min(max(wanted, 1), pages)
    if wanted != current:  # only then: a value set on every run would override the box's own
        st.session_state[PAGE] = wanted
    tr = translation(lang)
    if pages > 1:
        st.number_input(
            tr.gettext("Page (of {pages})").format(pages=tr.number(pages)),
            min_value=1,
            max_value=pages,
            step=1,
            key=PAGE,
        )
    page = int(st.session_state[PAGE])
    keep_in_url(PAGE, [str(page)] if page > 1 else [])
    offset = (page - 1) * per_page
    if pages > 1:
        st.caption(
            tr.gettext("Rows {first}–{last} of {rows}.").format(
                first=tr.number(offset + 1), last=tr.number(min(offset + per_page, rows)), rows=tr.number(rows)
            )
        )
    return offset


def decision_details(row, ds: Dataset, lang: str = "en") -> None:
    """One decision in full under its table: the whole summary and the sources' links, in ``lang``."""
    with st.container(border=True):
        st.markdown(present.decision_markdown(row, ds.locations, ds.sources, lang))


def share_link() -> str:
    """This view's address: the page's URL with every filter, choice, sort and table page the
    URL holds (bound widgets write theirs there too)."""
    base = (st.context.url or "").split("?", 1)[0].split("#", 1)[0]
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return f"{base}?{urlencode(pairs)}" if pairs else base


#: Where this script run's page header left room for the Copy link control. Each session's script
#: runs in its own thread, so a thread-local keeps one session's place from another's.
_LINK_PLACE = threading.local()


def share_link_control(lang: str = "en") -> None:
    """Fill the place :func:`page_header` left beside the title, once the page has drawn (its
    widgets write the URL as they run)."""
    place = getattr(_LINK_PLACE, "slot", None)
    if place is None:  # the page drew no header (the data cannot be shown)
        return
    _LINK_PLACE.slot = None
    tr = translation(lang)
    with place.popover(tr.gettext("Copy link"), icon=":material/link:", width="stretch"):
        st.caption(
            tr.gettext(
                "This link opens the same page with the same filters, place, search, sort, table page and language."
            )
        )
        st.code(share_link(), language=None, wrap_lines=True)  # its copy button copies the link


def page_header(title: str, v: View) -> None:
    """Title (a page name of ``app.PAGES``, in the view's language), then the one line stating the
    filter and its result (plain text: it holds names from the data)."""
    title_col, link_col = st.columns([5, 2], vertical_alignment="center")  # room for "Скопировать ссылку"
    title_col.title(v.tr.gettext(title))
    _LINK_PLACE.slot = link_col.empty()
    st.text(present.description(v))
    _NOTES_PLACE.slot = st.container()  # the link's values that named nothing: see show_link_notes
    show_data_warnings(v.data, v.lang)


def print_styles() -> None:
    """The print stylesheet, once per rerun: without the sidebar, the toolbar and the buttons, the
    content full width, the map on one sheet. A style-only element, which takes no room on the page."""
    st.html(PRINT_CSS)


#: How often the empty fragment of :func:`rerun_on_reconnect` reruns by itself (it draws nothing).
RECONNECT_TIMER_SECONDS = 3600


def rerun_on_reconnect() -> None:
    """Makes the tab rerun when its websocket reconnects. Streamlit's browser code reruns after a
    reconnect only if a run was cut off or a fragment reruns on a timer: a tab whose process died
    (one of ``make serve``'s workers, a replica) would otherwise reconnect to another one and keep
    its last page, greyed, over a new session that knows nothing, until the reader reloads. An
    empty fragment on a long timer is that timer: after a reconnect the tab sends its widgets and
    its URL again, and the process it reached draws the same view."""

    @st.fragment(run_every=RECONNECT_TIMER_SECONDS)
    def reconnect_timer() -> None:
        return None

    reconnect_timer()


def page_footer(provenance: Provenance, lang: str = "en") -> None:
    """Under every page: the dataset's version and licence, and a link to how to cite it that
    keeps the page's language and filter."""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    with st.container(key="page_footer"):
        st.divider()
        st.caption(present.footer_text(provenance, lang, urlencode(pairs)))


def show_data_warnings(ds: Dataset, lang: str = "en") -> None:
    """Above a page's content: the data loaded with warnings (fixed wording), where (a text
    element: file names), and each one verbatim (in a code block: the messages quote the data)."""
    note = present.warnings_note(ds.report, lang)
    if note is None:
        return
    st.warning(note, icon=":material/warning:")
    st.text(present.warnings_places(ds.report, lang=lang))
    tr, n = translation(lang), len(ds.report.warnings)
    with st.expander(
        tr.ngettext("The validator's {count} warning", "The validator's {count} warnings", n).format(count=tr.number(n))
    ):
        st.code("\n".join(str(p) for p in ds.report.sorted()[:500]), language=None)


#: The marker column of tables whose rows the validator warned about (see present.with_marker).
MARKER_HELP = N_(
    "The validator's warning about this row: its text is shown as typed, never run. "
    "`python -m geo validate` lists them all."
)
MARKER_COLUMN = st.column_config.TextColumn(present.MARKER, width="small", help=MARKER_HELP)


def official_comparison(v: View, key: str) -> None:
    """Each official count of people convicted beside the record (the table, with its data
    warnings marked) and the latest of them in words: the Timeline and About show the same."""
    compared = v.index.official_comparison
    st.dataframe(
        official.comparison_table(compared, v.lang),
        hide_index=True,
        key=key,
        column_config={present.MARKER: marker_column(v.lang)},
    )
    latest = official.latest_sentence(compared, v.lang)
    if latest:
        st.text(latest)


def marker_column(lang: str = "en"):
    return st.column_config.TextColumn(present.MARKER, width="small", help=translation(lang).gettext(MARKER_HELP))


def shared_columns(lang: str = "en") -> dict:
    """Columns the decisions and people tables share, their help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    return {
        "Date": cc.DateColumn(
            tr.pgettext("column", "Date"),
            format=widget_day_format(lang),
            width=100,
            help=tr.gettext(
                "Day of the decision. Where only the month or year is known (see Precision), the first day of it."
            ),
        ),
        "Precision": cc.TextColumn(
            tr.pgettext("column", "Precision"),
            width="small",
            help=tr.gettext("How precise the date is: the day, or only the month or year the sources give."),
        ),
        "Sentence": cc.TextColumn(
            tr.pgettext("column", "Sentence"),
            width=110,
            help=tr.gettext("Years (y) and months (m); a range when the sources give one."),
        ),
        "Months": cc.NumberColumn(
            tr.pgettext("column", "Months"),
            format="%d",
            width="small",
            help=tr.gettext(
                "The sentence in months, to sort by: the longest term of a range (the shortest when only that "
                "is stated)."
            ),
        ),
    }


def case_columns(lang: str = "en") -> dict:
    """Column configuration of :func:`geo.views.present.cases_table`, headers and help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    shared = shared_columns(lang)
    return {
        # Widths in pixels: the columns a reader needs first (to Outcome) fit the grid at 1400 px.
        "Case": cc.TextColumn(
            tr.pgettext("column", "Case"), help=tr.gettext("Row id in convictions.csv"), pinned=True, width=140
        ),
        present.MARKER: marker_column(lang),
        "Date": shared["Date"],
        "Precision": shared["Precision"],
        "City": cc.TextColumn(
            tr.pgettext("column", "Court city"),
            width=180,
            help=tr.gettext("'(region only)': the source names the region, not the town."),
        ),
        "People": cc.NumberColumn(
            tr.pgettext("column", "People"), format="%d", width=65, help=tr.gettext("People the decision concerns.")
        ),
        "Sentence": shared["Sentence"],
        "Months": shared["Months"],
        "Outcome": cc.TextColumn(
            tr.pgettext("column", "Outcome"),
            width=140,
            help=tr.gettext("For a review: upheld, sentence changed, annulled or sent back for retrial."),
        ),
        "Instance": cc.TextColumn(
            tr.pgettext("column", "Instance"),
            help=tr.gettext("First instance, appeal, cassation or the Supreme Court."),
        ),
        "Names": cc.ListColumn(
            tr.pgettext("column", "Names"),
            help=tr.gettext(
                "The people the sources name, in the reader's script; a name no source writes in that script "
                "is transliterated."
            ),
        ),
        "Sentence type": cc.TextColumn(tr.pgettext("column", "Sentence type")),
        "Role": cc.TextColumn(tr.pgettext("column", "Role"), help=tr.gettext("Who the defendants were.")),
        "Charges": cc.TextColumn(tr.pgettext("column", "Charges"), width="medium"),
        "Articles": cc.ListColumn(
            tr.pgettext("column", "Code articles"), help=tr.gettext("Criminal Code article-part, e.g. 452-3.")
        ),
        "Court": cc.TextColumn(tr.pgettext("column", "Court")),
        "Reviews": cc.TextColumn(
            tr.pgettext("column", "Reviews"), help=tr.gettext("The decision this one reviews (its case id).")
        ),
        "Disputed": cc.ListColumn(
            tr.pgettext("column", "Disputed"),
            help=tr.gettext(
                "Where sources disagree: the other value and who gives it. The row shows one "
                "value; none is averaged or dropped."
            ),
        ),
        "Summary": cc.TextColumn(tr.pgettext("column", "Summary"), width="large"),
        "Sources": cc.ListColumn(tr.pgettext("column", "Sources")),
        "Note": cc.TextColumn(tr.pgettext("column", "Note"), width="medium"),
    }


def people_columns(lang: str = "en") -> dict:
    """Column configuration of :func:`geo.views.present.people_table`, headers and help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    shared = shared_columns(lang)
    return {
        "Person": cc.TextColumn(
            tr.pgettext("column", "Person"),
            help=tr.gettext("The same id in every decision about this person."),
            pinned=True,
        ),
        present.MARKER: marker_column(lang),
        "Name": cc.TextColumn(
            tr.pgettext("column", "Name"),
            help=tr.gettext(
                "The person's name in the reader's script, then in the other; the same name in every "
                "decision, whichever spelling its sources use."
            ),
        ),
        "Date": shared["Date"],
        "Precision": shared["Precision"],
        "Instance": cc.TextColumn(tr.pgettext("column", "Instance")),
        "City": cc.TextColumn(tr.pgettext("column", "City")),
        "Role": cc.TextColumn(tr.pgettext("column", "Role")),
        "Outcome": cc.TextColumn(tr.pgettext("column", "Outcome")),
        "Sentence type": cc.TextColumn(tr.pgettext("column", "Sentence type")),
        "Sentence": shared["Sentence"],
        "Months": shared["Months"],
        "Case": cc.TextColumn(tr.pgettext("column", "Case"), help=tr.gettext("Row id in convictions.csv")),
        "Disputed": cc.ListColumn(
            tr.pgettext("column", "Disputed"),
            help=tr.gettext("Where sources disagree: the other value and who gives it."),
        ),
        "Note": cc.TextColumn(tr.pgettext("column", "Note"), width="medium"),
        "Sources": cc.ListColumn(tr.pgettext("column", "Sources")),
    }


def map_image_bytes(kind: str, v: View, size_by: str, events: bool, with_mentions: bool) -> bytes:
    """The Map page's view as a PNG (twice the screen size, for print) or an SVG, as it is drawn:
    the same circles, rings, mentions and borders. Called on a download click only."""
    from geo.views import map_image as image  # noqa: PLC0415 -- matplotlib loads on the first click

    ds = v.data
    shown = v.mention_totals if with_mentions else None
    draw = image.map_png if kind == "png" else image.map_svg
    return draw(v, size_by=size_by, events=events, mentions=shown, borders=borders(ds))


def map_downloads(v: View, size_by: str, events: bool, with_mentions: bool) -> None:
    """ "Download map": PNG and SVG of the map as shown, each made when its button is clicked."""
    tr = v.tr
    with st.popover(tr.gettext("Download map"), icon=":material/download:"):
        for kind, text, tip in (
            (
                "png",
                tr.gettext("PNG, for print"),
                tr.gettext("Twice the screen size: borders, circles, names, title, key and source."),
            ),
            ("svg", "SVG", tr.gettext("A vector image whose text stays text, for editing and publishing.")),
        ):
            name = export.export_filename("map", v.filters, kind, v.bounds, v.index.provenance.version)
            st.download_button(
                text,
                key=f"download_map_{kind}",
                on_click="ignore",
                icon=":material/download:",
                data=Recipe(
                    functools.partial(map_image_bytes, kind, v, size_by, events, with_mentions),
                    key=("map", data_key(v), v.lang, kind, v.filters, size_by, events, with_mentions),
                    kind=kind,
                    rows=0,
                    file_name=name,
                    mime=export.MEDIA_TYPES[kind],
                    lang=v.lang,
                ),
                file_name=name,
                mime=export.MEDIA_TYPES[kind],
                help=tip,
            )


def data_key(v: View) -> tuple:
    """What tells this data version apart in a made file's key: a file made from an earlier
    version is never handed out for a later one."""
    data = v.index.data
    return (v.index.provenance.version, data.validated_at.isoformat() if data.validated_at else id(v.index))


# --- the map's frame ---------------------------------------------------------------------------

#: Keys of the map's frame (a container), of the date stamp in its corner and of the probe that
#: reports the frame's width (a component whose state is ``{"width": pixels}``).
MAP_FRAME, MAP_STAMP, MAP_WIDTH = "map_frame", "map_stamp", "map_width"

#: Out of the page's flow, so that neither adds a gap above the map: the stamp over the map's
#: top-left corner (in the band :data:`geo.views.deck.STAMP_INSET_PX` keeps free of circles),
#: the probe as a line of no height.
_FRAME_CSS = """<style>
.st-key-map_frame { position: relative; }
.st-key-map_frame > [data-testid="stLayoutWrapper"]:has(> .st-key-map_stamp) {
  position: absolute; top: 6px; left: 6px; z-index: 2; width: auto; max-width: calc(100% - 12px);
  pointer-events: none;
}
.st-key-map_stamp {
  background: rgba(255, 255, 255, 0.9); border: 1px solid #d0d0d0; border-radius: 4px; padding: 2px 8px;
}
.st-key-map_stamp [data-testid="stMarkdownContainer"] { margin: 0; }
.st-key-map_stamp p { margin: 0; font-size: 14px; font-weight: 600; line-height: 1.4; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.st-key-map_width { position: absolute; top: 0; left: 0; width: 100%; height: 0; overflow: hidden; }
</style>"""

#: The probe, in the page (not an iframe): (1) it sends the frame's width to the server whenever
#: it differs from the one the server knew (``data.width``) or was last sent, and the server then
#: fits the map's view to it; (2) it keeps deck.gl's tooltips inside the map. deck.gl puts a tooltip's corner at the
#: pointer with a ``transform``, and the map clips what passes its edge; near the right or bottom
#: edge the probe moves the tooltip to the pointer's other side with the separate ``translate``
#: property, which deck.gl leaves alone. Nothing from the data passes through it.
_FRAME_JS = """
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const host = parentElement.host || parentElement;
  const frame = host.closest('.st-key-map_frame');
  if (!frame) return;
  let timer = null;
  let known = data && data.width;
  const send = () => {
    const width = Math.round(frame.getBoundingClientRect().width);
    if (width > 0 && width !== known) {
      known = width;
      setStateValue('width', width);
    }
  };
  // A ResizeObserver also reports once as soon as it observes: that is the first report.
  const resized = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(send, 150); });
  resized.observe(frame);
  const along = (at, size, room) => {
    if (at + size <= room) return 0;
    return at - size - 8 >= 0 ? -(size + 8) : Math.max(0, room - size) - at;
  };
  const fit = (tip) => {
    const at = /translate\\(\\s*(-?[\\d.]+)px,\\s*(-?[\\d.]+)px\\)/.exec(tip.style.transform);
    const box = tip.offsetParent;
    if (!at || !box || tip.style.display === 'none') return;
    const shift = `${along(+at[1], tip.offsetWidth, box.clientWidth)}px ${along(+at[2], tip.offsetHeight, box.clientHeight)}px`;
    if (tip.dataset.shift !== shift) {
      tip.dataset.shift = shift;
      tip.style.translate = shift;
    }
  };
  const moved = new MutationObserver((records) => {
    for (const r of records) if (r.target.classList && r.target.classList.contains('deck-tooltip')) fit(r.target);
  });
  moved.observe(frame, { attributes: true, attributeFilter: ['style'], subtree: true });
  return () => { clearTimeout(timer); resized.disconnect(); moved.disconnect(); };
}
"""


@functools.cache
def _frame_probe():
    return st.components.v2.component("qantar_map_frame", js=_FRAME_JS)


def map_width() -> int | None:
    """The map frame's width in pixels as the browser last reported it, else None (the first run
    of a session, AppTest, a browser without JavaScript)."""
    width = (st.session_state.get(MAP_WIDTH) or {}).get("width")
    return int(width) if isinstance(width, int | float) and 100 <= width <= 20_000 else None


@contextlib.contextmanager
def map_frame(stamp: str) -> Iterator[None]:
    """The container the map is drawn in: ``stamp`` (the dates it draws, fixed wording) in its
    top-left corner, always in the same place, and the probe that reports the frame's width and
    keeps tooltips inside it (see :data:`_FRAME_JS`)."""
    with st.container(key=MAP_FRAME):
        st.html(_FRAME_CSS)
        with st.container(key=MAP_STAMP):
            st.markdown(present.escape_markdown(stamp))
        _frame_probe()(key=MAP_WIDTH, data={"width": map_width()}, default={"width": None}, on_width_change=_noop)
        yield


def _noop() -> None:
    """The probe's width is read from the session state on the next run; nothing to do on change."""
