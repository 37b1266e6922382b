"""Map: one circle per court city, sized by people convicted or by decisions; events; article mentions."""

import streamlit as st

from geo.dashboard import glue
from geo.data.dataset import on_map
from geo.query.aggregates import mention_totals
from geo.query.view import View
from geo.views import deck, present

#: A clicked city lists at most this many decisions here; the Cases page pages through all of them.
CITY_ROWS = 1000


def render(v: View) -> None:
    ds = v.data
    glue.page_header("Map", v)

    mentions = glue.mentions(ds)
    size_col, ev_col, mention_col, basemap_col = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    with size_col:
        size_by = glue.linked_widget(
            st.radio,
            "Circle size",
            deck.SIZE_BY,
            "size",
            format_func={"convicted": "People convicted", "decisions": "Court decisions"}.get,
            horizontal=True,
            help="Acquittals and posthumous verdicts are never counted in the circles: they are written beside the city.",
        )
    show_events = ev_col.toggle("Events", value=True, key="show_events")
    show_mentions = mention_col.toggle(
        "Article mentions",
        value=False,
        key="show_mentions",
        disabled=mentions is None,
        help="Cities named in the source articles."
        if mentions is not None
        else "Not available: data/mentions.csv has not been built (python -m geo mentions).",
    )
    basemap = basemap_col.toggle(
        "Online basemap",
        value=False,
        key="basemap",
        help="Street map tiles from Carto. Needs the internet; off, the map draws its own borders.",
    )

    notes = [
        present.unmapped_note(*v.cases.unplaced(v.selected)),
        present.approximate_note(v.cases.approximate_count(v.selected)),
        present.events_unmapped_note(v.index.events.unplaced_count(v.events_selected)) if show_events else None,
    ]
    if any(notes):
        st.caption("  \n".join(filter(None, notes)))

    totals = v.city_totals()
    map_deck = deck.deck_for(
        totals,
        events=v.event_totals() if show_events else None,
        mentions=mention_totals(mentions, ds.locations, v.filters.cities)
        if show_mentions and mentions is not None
        else None,
        borders=glue.borders(ds),
        size_by=size_by,
        largest=v.index.largest,
        basemap=basemap,
    )

    def show_clicked_city() -> None:
        # Runs before the page: the city box below may still be set from here.
        st.session_state["map_city"] = deck.selected_city(st.session_state["map"]["selection"]) or ""

    st.pydeck_chart(
        map_deck,
        on_select=show_clicked_city,
        selection_mode="single-object",
        key="map",
        height=560,
        alt="Map of Kazakhstan with a circle for each city where court decisions were handed down",
    )
    st.markdown("  \n".join(present.legend_lines(deck.legend(size_by, events=show_events, mentions=show_mentions))))
    glue.map_downloads(v, size_by, show_events, show_mentions and mentions is not None)

    placed = ds.locations[on_map(ds.locations)]
    labels = present.city_labels(placed)
    # In the URL too (?map_city=almaty): a link to the map can open on one city's cases.
    choices = {"": "Click a city on the map, or choose one here"}
    choices.update({c: labels[c] for c in sorted(labels, key=lambda c: labels[c].casefold())})
    city = glue.place_choice("Cases in", choices, "map_city", v.index)
    if city:
        in_city = v.selected & v.cases.of_city(city)
        rows = v.rows(in_city, limit=CITY_ROWS)
        total = int(in_city.sum())
        if total > len(rows):
            st.caption(f"The first {len(rows):,} of {total:,} decisions, oldest first; the Cases page lists them all.")
        if len(rows):
            st.dataframe(
                present.cases_table(rows, ds.locations, ds.sources),
                column_config=glue.case_columns(),
                hide_index=True,
                key="map_city_cases",
                column_order=present.CITY_CASE_COLUMNS,
            )
        else:
            st.caption("No court decisions in this city for the current filter.")


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
