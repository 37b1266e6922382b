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
