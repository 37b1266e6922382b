"""A link's query values read into the plain values a view starts from, and what they did not name.

Pure: the values come in as the URL gives them (``?period=…&period=…``, lists of strings), the
result is the value to start from and, for anything the link asked for that names nothing, a
:class:`NotUnderstood` saying which parameter and what it said. The dashboard (``geo.dashboard.url_state``) shows those
to the reader (``geo.views.link_notes`` words them) and carries on with the rest of the link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.i18n.languages import normalize

#: Why a value was not used.
UNKNOWN, MALFORMED, OUT_OF_RANGE = "unknown", "malformed", "out of range"
#: A table page: ASCII digits only (``str.isdigit`` takes ``²``, which ``int`` refuses), and few of
#: them (``int`` refuses a string of more than 4,300 digits; no table has a billion pages).
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class NotUnderstood:
    """A link parameter whose value(s) named nothing this page has."""

    key: str
    values: tuple[str, ...]
    reason: str = UNKNOWN
    fallback: Any = None  # what is shown instead, when a sentence states it (a page number)


def period_from_link(
    values: Sequence[str], bounds: tuple[date, date]
) -> tuple[tuple[date, date] | None, NotUnderstood | None]:
    """``?period=2022-06-01&period=2022-07-31`` as dates clamped to ``bounds``. None without a
    ``period``; None and a NotUnderstood when it is not two ISO dates, or none of its range is in
    ``bounds``."""
    if not values:
        return None, None
    try:
        start, end = sorted(date.fromisoformat(v) for v in values)
    except ValueError:  # not two ISO dates
        return None, NotUnderstood("period", tuple(values), MALFORMED)
    start, end = max(start, bounds[0]), min(end, bounds[1])
    if start > end:
        return None, NotUnderstood("period", tuple(values), OUT_OF_RANGE)
    return (start, end), None


def page_from_link(values: Sequence[str], pages: int, key: str = "page") -> tuple[int, NotUnderstood | None]:
    """A table page from ``?page=3`` (the last value), within 1 … ``pages``: 1 without one; the
    nearest page and a NotUnderstood when it is not a page number or there is no such page."""
    if not values:
        return 1, None
    value = values[-1].strip()
    if not PAGE_NUMBER.fullmatch(value) or int(value) < 1:
        return 1, NotUnderstood(key, (values[-1],), MALFORMED, 1)
    number = int(value)
    if number > pages:
        return pages, NotUnderstood(key, (values[-1],), OUT_OF_RANGE, pages)
    return number, None


def choices_from_link(
    key: str, values: Sequence[str], options: Sequence[Any], label_of: Callable[[Any], object] = str
) -> tuple[list[Any], NotUnderstood | None]:
    """The options a link names, by id (an option) or by its label in any case; the values that
    name none in one NotUnderstood."""
    by_label = {str(label_of(o)).casefold(): o for o in options}
    found, unknown = [], []
    for value in values:
        option = value if value in options else by_label.get(value.strip().casefold())
        if option is None:
            unknown.append(value)
        else:
            found.append(option)
    return list(dict.fromkeys(found)), NotUnderstood(key, tuple(unknown)) if unknown else None


def place_from_link(
    key: str, values: Sequence[str], options: Mapping[str, str], resolve: Callable[[str], tuple[str, ...]]
) -> tuple[str | None, NotUnderstood | None]:
    """One place of ``options`` (key -> label) from ``?key=…`` (the last value): by key, label or any
    name ``resolve`` knows (it gives the place ids a name may mean)."""
    if not values:
        return None, None
    value = values[-1].strip()
    found, _ = choices_from_link(key, [value], list(options), options.__getitem__)
    if not found:
        ids = resolve(value)
        found = [ids[0]] if len(ids) == 1 and ids[0] in options else []
    return (found[0], None) if found else (None, NotUnderstood(key, (value,)))


def language_from_link(values: Sequence[str]) -> tuple[str | None, NotUnderstood | None]:
    """``?lang=ru`` (the last value) as one of the interface languages (``RU``, ``ru-RU`` too); None
    without one; None and a NotUnderstood when it names none (``?lang=fr``): the page then falls
    back to the browser's language or English (:func:`geo.i18n.languages.choose_language`)."""
    if not values or not values[-1].strip():
        return None, None
    lang = normalize(values[-1])
    return (lang, None) if lang else (None, NotUnderstood("lang", (values[-1].strip(),)))
