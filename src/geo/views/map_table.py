"""The map in words, for a reader who cannot see it: what it shows, as the map's accessible name,
and one table row per city it draws, with the figures its circles, notes and rings stand for."""

from __future__ import annotations

import pandas as pd

from geo.i18n import N_, translation
from geo.views.place_labels import city_names
from geo.views.reader_text import markdown_text

#: The map's accessible name; a screen reader reads it, then comes to the table right after the map.
MAP_NAME = {
    "convicted": N_(
        "Map of Kazakhstan: a circle for each city where courts decided, its area proportional to the "
        "people convicted there. The table right after the map lists every city with its figures."
    ),
    "decisions": N_(
        "Map of Kazakhstan: a circle for each city where courts decided, its area proportional to the "
        "court decisions there. The table right after the map lists every city with its figures."
    ),
}
TABLE_TITLE = N_("Every city, as a table")
TABLE_NAME = N_("Cities on the map with their court decisions, people convicted, acquitted and convicted posthumously")


def map_name(size_by: str, lang: str = "en") -> str:
    """What the map shows, for its ``aria-label``."""
    return translation(lang).gettext(MAP_NAME.get(size_by, MAP_NAME["convicted"]))


def table_title(lang: str = "en") -> str:
    return translation(lang).gettext(TABLE_TITLE)


def table_name(lang: str = "en") -> str:
    return translation(lang).gettext(TABLE_NAME)


def city_table(
    totals: pd.DataFrame,
    events: pd.DataFrame | None,
    mentions: pd.DataFrame | None,
    locations: pd.DataFrame,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per city the map draws (a circle, a ring or a disc), in the map's order (most people
    first, then the cities with only events or mentions, by name), indexed by the city's name in
    ``lang`` (Markdown-escaped); counts written as ``lang`` writes numbers. ``totals``:
    :meth:`geo.query.view.View.city_totals`; ``events`` and ``mentions``: the layers shown, or None."""
    tr = translation(lang)
    names = city_names(locations, lang)
    ids = list(totals["location_id"])
    for extra in (events, mentions):
        if extra is not None:
            more = [c for c in extra["location_id"] if c not in ids]
            ids += sorted(set(more), key=lambda c: str(names.get(c, c)).casefold())

    def count(frame: pd.DataFrame | None, column: str) -> list[str]:
        values = {} if frame is None else dict(zip(frame["location_id"], frame[column]))
        return [tr.number(int(values.get(c, 0))) for c in ids]

    columns = {
        tr.pgettext("map table", "Court decisions"): count(totals, "decisions"),
        tr.pgettext("map table", "People convicted"): count(totals, "convicted"),
        tr.pgettext("map table", "Acquitted"): count(totals, "acquitted"),
        tr.pgettext("map table", "Convicted posthumously"): count(totals, "posthumous"),
    }
    if events is not None:
        columns[tr.pgettext("map table", "Events")] = count(events, "events")
    if mentions is not None:
        columns[tr.pgettext("map table", "Article mentions")] = count(mentions, "mentions")
    # st.table draws each cell as Markdown: the names are data, made inert
    index = pd.Index([markdown_text(names.get(c, c)) for c in ids], name=tr.pgettext("map table", "City"))
    return pd.DataFrame(columns, index=index)
