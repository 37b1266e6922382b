"""The sentences that say what a page shows: the filter and its result under the title, the dates in
the map's corner, and the map's key. Pure functions; text from the data stays plain text (see
:mod:`geo.views.reader_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from geo.i18n import N_, count_text, translation
from geo.i18n.enums import COUNTS, NP_
from geo.query.filters import Filters
from geo.views.formats import day_text, join_names, label, people_breakdown
from geo.views.place_labels import city_names
from geo.views.reader_text import plain_text

if TYPE_CHECKING:
    from geo.query.view import View

#: Who the defendants were, as the description line names a group of them.
ROLE_PLURALS = {
    "protester": "protesters",
    "activist": "activists",
    "journalist": "journalists",
    "official": "officials",
    "security_officer": "security officers",
    "military": "military",
    "other": "others",
    "unknown": "defendants of unstated role",
}


def describe(
    filters: Filters,
    city_names: Mapping[str, str],
    decisions: int,
    people: Mapping[str, int],
    span: tuple[date, date] | None = None,
    lang: str = "en",
) -> str:
    """One line stating the filter and its result, e.g.
    ``Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (3 convicted, 1 acquitted)``.
    ``people``: ``CaseIndex.people``; ``span``: the full date range, stated when the filter sets none.
    In ``lang``, with its plural forms (``1 решение суда``, ``2 решения суда``, ``5 решений суда``);
    ``city_names``: :func:`city_names` in that language. The parts are joined by commas and a colon
    in all three languages."""
    tr = translation(lang)
    # Names from the data (or the link) are isolated: none can reorder the line's own words.
    place = join_names([plain_text(city_names.get(c, c)) for c in filters.cities], lang) or tr.gettext("All cities")
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    parts = [place]
    if start and end:
        parts.append(f"{day_text(start, lang)} – {day_text(end, lang)}")
    if filters.sentence_types:
        # English keeps the values' own words here ("suspended"); the others, the labels.
        kinds = [
            t.replace("_", " ") if lang == "en" else label(t, lang, "sentence_type") for t in filters.sentence_types
        ]
        parts.append(join_names(kinds, lang, "or"))
    if filters.roles:
        parts.append(join_names([label(t, lang, "role_group") for t in filters.roles], lang, "or"))
    breakdown = people_breakdown(
        people.get("convicted", 0),
        people.get("acquitted", 0),
        people.get("posthumous", 0),
        lang,
        people.get("other", 0),
    )
    detail = f" ({breakdown})" if breakdown else ""
    counts = f"{count_text('decisions', decisions, lang)}, {count_text('people', people['total'], lang)}"
    return f"{', '.join(parts)}: {counts}{detail}"


def description(view: View) -> str:
    """:func:`describe` of a view, in its language."""
    return describe(
        view.filters,
        city_names(view.data.locations, view.lang),
        int(view.selected.sum()),
        view.people,
        view.bounds,
        view.lang,
    )


def window_stamp(filters: Filters, bounds: tuple[date, date], lang: str = "en") -> str:
    """The dates a map draws, stated on the map: ``1 Jan 2022 – 31 Jul 2022``; in the cumulative
    mode (no start) ``Everything up to 31 Jul 2022``; with no date filter at all ``All dates:
    1 Jan 2022 – 11 Jun 2024`` (undated decisions count then too)."""
    tr = translation(lang)
    if filters.start is None and filters.end is None:
        return tr.gettext("All dates: {start} – {end}").format(
            start=day_text(bounds[0], lang), end=day_text(bounds[1], lang)
        )
    end = filters.end or bounds[1]
    if filters.start is None:
        return tr.gettext("Everything up to {end}").format(end=day_text(end, lang))
    if filters.start == end:
        return day_text(end, lang)
    return f"{day_text(filters.start, lang)} – {day_text(end, lang)}"


SIZE_KEY_TITLES = {
    "convicted": N_("Circle area, people convicted:"),
    "decisions": N_("Circle area, court decisions:"),
    "events": N_("Ring size, events:"),
}


def size_key_title(measure: str, lang: str = "en") -> str:
    """What a row of reference circles under the map stands for."""
    return translation(lang).gettext(SIZE_KEY_TITLES[measure])


def legend_lines(legend: list[Mapping[str, str]]) -> list[str]:
    """One Markdown line per legend entry (colours are Streamlit's ``:color[…]`` names)."""
    return [f":{e['color']}[{e['symbol']}] **{e['label']}** — {e['meaning']}" for e in legend]


#: What a reference circle of the map image's size key stands for, with its plural forms.
SIZE_KEYS = {
    "convicted": NP_("size_key", "{count} person convicted", "{count} people convicted"),
    "decisions": COUNTS["decisions"],
    "events": COUNTS["events"],
    "mentions": NP_("count", "{count} mention", "{count} mentions"),
}


def size_key(measure: str, count: int, lang: str = "en") -> str:
    """``10 people convicted``: the label of a reference circle sized for ``count``, in ``lang``."""
    tr = translation(lang)
    return tr.npgettext(*SIZE_KEYS[measure], count).format(count=tr.number(count))
