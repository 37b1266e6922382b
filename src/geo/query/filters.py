"""The filter: plain values a page's widgets give, which every query of ``geo.query`` takes.

Like datasette's ``Filters``, it never sees a web request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    cities: tuple[str, ...] = ()
    sentence_types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # who the defendants were (convictions.defendant_role)

    @classmethod
    def of(
        cls,
        start=None,
        end=None,
        cities: Iterable[str] = (),
        sentence_types: Iterable[str] = (),
        event_types: Iterable[str] = (),
        roles: Iterable[str] = (),
    ) -> Filters:
        return cls(start, end, tuple(cities), tuple(sentence_types), tuple(event_types), tuple(roles))

    @classmethod
    def from_widgets(
        cls,
        period: tuple[date, date] | None,
        bounds: tuple[date, date],
        cities: Iterable[str] = (),
        sentence_types: Iterable[str] = (),
        event_types: Iterable[str] = (),
        roles: Iterable[str] = (),
        cumulative: bool = False,
    ) -> Filters:
        """The filter of the dashboard's widgets (or of a link's values). The full range is no date
        filter at all, so that verdicts without a date still count until someone narrows the range.
        ``cumulative``: from the first record up to the range's end ("everything up to this date")."""
        start: date | None
        end: date | None
        start, end = period or bounds
        if cumulative:
            start = None
        if (start or bounds[0], end) == bounds:
            start = end = None
        return cls.of(start, end, cities or (), sentence_types or (), event_types or (), roles or ())
