"""The page address: what of a view the URL keeps (the language, the filters, a page's choices,
the table page), what a link's values named that the data does not know (said under the page's
title), and the address that shares the view.

One mechanism for every value the URL holds: a new session starts each widget from the link
(read once, the first time its key is missing from the session state), and every run writes the
value shown back with :func:`keep_in_url` (by stable id, never by a translated label; the default
is no parameter at all). Streamlit's own binding (``bind="query-params"``) is not used: it writes
labels, and a value set by a callback reached the URL one run late (Streamlit 1.67).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.i18n import LANGUAGES, QUERY_PARAM, choose_language, translation
from geo.places.resolve import Resolved, resolve_places
from geo.query.link import (
    NotUnderstood,
    choices_from_link,
    language_from_link,
    page_from_link,
    place_from_link,
)
from geo.query.view import DatasetIndex
from geo.views import link_notes, place_labels

#: Widget keys, which are also the URL's query parameter names.
PERIOD, CITIES, SENTENCES, EVENTS, ROLES = "period", "city", "sentence", "event", "role"

#: Session key of the link values that named nothing: {(parameter, reason): (NotUnderstood, the
#: value shown instead)}; each is said on the page until the reader changes that value.
LINK_NOTES = "link_notes"

#: Session key of the page shown (its url path), against which an unknown page path's note is kept.
SHOWN_PAGE = "shown_page"

#: A table's page (in the URL) and what it pages through (a new group, search or order starts at 1).
PAGE, PAGE_SCOPE = "page", "page_scope"

#: The sidebar's "everything up to the end date" toggle (``?cumulative=true``).
CUMULATIVE = "cumulative"


def keep_in_url(key: str, values: list[str]) -> None:
    """``?key=value&key=…`` in the URL, or no ``key`` when there are no values (the default)."""
    if st.query_params.get_all(key) != values:
        if values:
            st.query_params[key] = values
        else:
            del st.query_params[key]


def not_understood(item: NotUnderstood | None, shown: object) -> None:
    """Say on the page that a link value named nothing (``shown``: the value the page shows
    instead, the widget's under ``item.key``); said until the reader changes that value."""
    if item is not None:
        st.session_state.setdefault(LINK_NOTES, {})[item.key, item.reason] = (item, shown)


def reader_language() -> str:
    """The reader's language for this rerun: the switch's choice; in a new session the link's
    ``?lang=``, else the browser's preferred language (``st.context.locale``), else English. Set
    before the switch is drawn, so that its label, the page names and the page itself are in it."""
    if QUERY_PARAM not in st.session_state or st.session_state[QUERY_PARAM] not in LANGUAGES:
        st.session_state[QUERY_PARAM] = choose_language(st.query_params.get(QUERY_PARAM), st.context.locale)
        not_understood(language_from_link(st.query_params.get_all(QUERY_PARAM))[1], st.session_state[QUERY_PARAM])
    return str(st.session_state[QUERY_PARAM])


def sync_period(period: tuple[date, date], bounds: tuple[date, date]) -> None:
    """Write the date range to the URL; the full range is no parameter at all."""
    keep_in_url(PERIOD, [] if tuple(period) == bounds else [period[0].isoformat(), period[1].isoformat()])


def cities_from_url(values: list[str], index: DatasetIndex) -> Resolved:
    """``?city=almaty,shymkent`` (ids; also any name, alias or label the data knows, in any case)."""
    labels, names = place_labels.place_names(index.data.locations)
    return resolve_places(values, names, labels)


def sync_cities(cities: list[str]) -> None:
    """Write the chosen cities to the URL as stable ids, ``?city=almaty,shymkent``."""
    keep_in_url(CITIES, [",".join(cities)] if cities else [])


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


def linked_toggle(label: str, key: str, **kw) -> bool:
    """``st.toggle`` kept in the URL as ``?key=true`` (off, the default, leaves it out)."""
    if key not in st.session_state:  # a new session: start from the link
        said = [v.lower() for v in st.query_params.get_all(key)[-1:]]
        if said in (["true"], ["false"]):
            st.session_state[key] = said == ["true"]
        elif said:
            not_understood(NotUnderstood(key, tuple(said)), False)
    value = bool(st.toggle(label, key=key, **kw))
    keep_in_url(key, ["true"] if value else [])
    return value


def linked_text(label: str, key: str, **kw) -> str:
    """``st.text_input`` kept in the URL as ``?key=text`` (empty, the default, leaves it out)."""
    if key not in st.session_state:  # a new session: start from the link
        st.session_state[key] = (st.query_params.get_all(key) or [""])[-1]
    value = str(st.text_input(label, key=key, **kw))
    keep_in_url(key, [value] if value else [])
    return value


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


def show_link_notes(place: DeltaGenerator, shown_page: str, lang: str = "en") -> None:
    """The sentences about the link's values that named nothing, in ``place`` (under the page's
    title; filled after the page has drawn: its own widgets read the link too)."""
    st.session_state[SHOWN_PAGE] = shown_page
    notes = st.session_state.get(LINK_NOTES, {})
    for key, (item, shown) in list(notes.items()):
        now = st.session_state.get(SHOWN_PAGE if item.key == link_notes.PAGE_PATH else item.key, shown)
        if now != shown and not (isinstance(now, list | tuple) and list(now) == list(shown or [])):
            del notes[key]
    if not notes:
        return
    filtered = bool(st.session_state.get(CITIES))
    place.warning(
        "  \n".join(line for item, _ in notes.values() for line in link_notes.sentences(item, lang, filtered)),
        icon=":material/link_off:",
    )


def share_link() -> str:
    """This view's address: the page's URL with every filter, choice, sort and table page the
    URL holds (bound widgets write theirs there too)."""
    base = (st.context.url or "").split("?", 1)[0].split("#", 1)[0]
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return f"{base}?{urlencode(pairs)}" if pairs else base
