"""Map: one circle per court city, sized by people convicted or by decisions; events; article mentions."""

from dataclasses import replace

import streamlit as st

from geo.dashboard import access, download_buttons, loading, map_frame, map_picking, tables, url_state
from geo.data.dataset import on_map
from geo.query.view import View
from geo.views import case_tables, deck, descriptions, legend, map_table, place_labels, reader_text
from geo.views.marks import (
    DEFAULT_WIDTH_PX,
    EVENT_MAX_RADIUS_PX,
    EVENT_MIN_RADIUS_PX,
    MAX_RADIUS_PX,
    MIN_RADIUS_PX,
    SIZE_BY,
    MapMarks,
    map_height,
    map_marks,
    mark_scale,
    narrow,
)

#: A clicked city lists at most this many decisions here; the Cases page pages through all of them.
CITY_ROWS = 1000


def render(v: View) -> None:
    ds, tr = v.data, v.tr

    mentions = v.index.mentions
    # One wrapping row: on a phone the four controls take two short lines, not four, above the map.
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        size_by = url_state.linked_widget(
            st.radio,
            tr.gettext("Circle size"),
            SIZE_BY,
            "size",
            format_func={"convicted": tr.gettext("People convicted"), "decisions": tr.gettext("Court decisions")}.get,
            horizontal=True,
            width="content",
            help=tr.gettext(
                "Acquittals and posthumous verdicts are never counted in the circles: they are written beside the city."
            ),
        )
        show_events = st.toggle(tr.gettext("Events"), value=True, key="show_events", width="content")
        show_mentions = st.toggle(
            tr.gettext("Article mentions"),
            value=False,
            key="show_mentions",
            disabled=mentions is None,
            width="content",
            help=tr.gettext("Cities named in the source articles.")
            if mentions is not None
            else tr.gettext("Not available: data/mentions.csv has not been built (python -m geo mentions)."),
        )
        basemap = st.toggle(
            tr.gettext("Online basemap"),
            value=False,
            key="basemap",
            width="content",
            help=tr.gettext("Street map tiles from Carto. Needs the internet; off, the map draws its own borders."),
        )

    def show_clicked_city() -> None:
        # Runs before the page: the city box below may still be set from here.
        st.session_state["map_city"] = deck.selected_city(st.session_state["map"]["selection"]) or ""
        map_frame.whole_page_next()

    def draw(width: int | None) -> MapMarks:
        # The map for a frame ``width`` wide: when the browser reports the width, only this reruns.
        view = deck.fitted_view(v, width)
        events = v.event_totals() if show_events else None
        shown_mentions = v.mention_totals if show_mentions else None
        map_width = width or DEFAULT_WIDTH_PX
        totals = v.city_totals()
        marks = map_marks(
            totals,
            events,
            shown_mentions,
            size_by,
            v.index.largest,
            view,
            map_width,
            mark_scale(width),
            v.lang,
        )
        map_deck = deck.deck_for(
            totals,
            events=events,
            mentions=shown_mentions,
            borders=loading.borders(ds),
            size_by=size_by,
            largest=v.index.largest,
            basemap=basemap,
            view=view,
            width_px=map_width,
            circle_scale=mark_scale(width),
            lang=v.lang,
            marks=marks,
        )
        map_picking.warm_picking()
        st.pydeck_chart(
            map_deck,
            on_select=show_clicked_city,
            selection_mode="single-object",
            key="map",
            height=map_height(width),
            alt=map_table.map_name(size_by, v.lang),
        )
        access.label_map(map_table.map_name(size_by, v.lang), f"{v.lang}_{size_by}")
        return marks

    marks = map_frame.fitted_map(descriptions.window_stamp(v.filters, v.bounds, v.lang), draw)
    width = map_frame.map_width()

    # Right under the map: the map in words (every city it draws, as a table: the next stop for a
    # screen reader and the keyboard), then a clicked city's cases, so that a phone shows them. One
    # row, so that the table's button takes no line of its own on a phone.
    every_label = place_labels.city_labels(v.data.locations, v.lang)
    labels = {c: every_label[c] for c in ds.locations["location_id"][on_map(ds.locations)]}
    # In the URL too (?map_city=almaty): a link to the map can open on one city's cases.
    choices = {"": tr.gettext("Click a city on the map, or choose one here")}
    choices.update({c: labels[c] for c in sorted(labels, key=lambda c: labels[c].casefold())})
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        with st.popover(map_table.table_title(v.lang), icon=":material/table:", key="map_table"):
            st.table(
                map_table.city_table(
                    v.city_totals(),
                    v.event_totals() if show_events else None,
                    v.mention_totals if show_mentions else None,
                    ds.locations,
                    v.lang,
                ),
                alt=map_table.table_name(v.lang),
            )
        # On a phone the box goes without its visible label (the placeholder says what it is for),
        # so the clicked city's line follows the map on the first screen.
        city = url_state.place_choice(
            tr.gettext("Cases in"),
            choices,
            "map_city",
            v.index,
            label_visibility="collapsed" if narrow(width) else "visible",
        )
    if city:
        city_cases(v, city)

    entries = legend.legend(size_by, events=show_events, mentions=show_mentions, lang=v.lang)
    st.markdown("  \n".join(descriptions.legend_lines(entries)))
    keys = size_keys(size_by, show_events, v.index.largest, mark_scale(width), v.lang)
    if keys:
        st.html(keys)
    download_buttons.map_downloads(v, size_by, show_events, show_mentions and mentions is not None)
    # Below the map, so that a note coming or going with the filter never moves the map.
    unnamed, without_note = (
        [reader_text.escape_markdown(n) for n in names] for names in (marks.unnamed(), marks.without_note())
    )
    notes = legend.map_notes(v, show_events, unnamed, without_note)
    if notes:
        st.caption("  \n".join(notes))


def size_keys(size_by: str, events: bool, largest: dict[str, float], scale: float, lang: str = "en") -> str:
    """What circle sizes mean: reference circles drawn as the map draws them, at ``scale``."""
    rows = [(size_by, MAX_RADIUS_PX, MIN_RADIUS_PX, "red", False)]
    if events:
        rows.append(("events", EVENT_MAX_RADIUS_PX, EVENT_MIN_RADIUS_PX, "orange", True))
    return "".join(
        legend.size_key(descriptions.size_key_title(measure, lang), keys, colour, ring, lang)
        for measure, max_px, min_px, colour, ring in rows
        if (keys := legend.size_keys(largest.get(measure, 0), max_px * scale, min_px))
    )


def city_cases(v: View, city: str) -> None:
    """One city's decisions in the filter: a line of totals, then the table."""
    in_city = v.selected & v.cases.of_city(city)
    rows = v.rows(in_city, limit=CITY_ROWS)
    total = int(in_city.sum())
    tr = v.tr
    if not len(rows):
        st.caption(tr.gettext("No court decisions in this city for the current filter."))
        return
    names = place_labels.city_names(v.data.locations, v.lang)
    st.text(
        descriptions.describe(
            replace(v.filters, cities=(city,)), names, total, v.cases.people(in_city), v.bounds, v.lang
        )
    )
    if total > len(rows):
        st.caption(
            tr.gettext("The first {shown} of {total} decisions, oldest first; the Cases page lists them all.").format(
                shown=tr.number(len(rows)), total=tr.number(total)
            )
        )
    st.dataframe(
        case_tables.cases_table(rows, v.data.locations, v.data.sources, lang=v.lang),
        column_config=tables.case_columns(v.lang),
        hide_index=True,
        key="map_city_cases",
        placeholder="—",  # an empty cell, not "None"
        column_order=case_tables.CITY_CASE_COLUMNS,
    )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
