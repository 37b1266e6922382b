"""Map: one circle per court city, sized by defendants or verdicts; events; article mentions."""

import streamlit as st

from geo import deck, present
from geo import streamlit_glue as glue
from geo.filters import (
    city_totals, defendants, event_totals, filter_convictions, filter_events, mention_totals, without_place,
)

v = glue.view()
ds = v.data
convictions = filter_convictions(ds.convictions, v.filters)
events = filter_events(ds.events, v.filters)
glue.page_header("Map", v, convictions)

mentions = glue.mentions(ds)
size_col, ev_col, mention_col, basemap_col = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
size_by = size_col.radio(
    "Circle size", ["defendants", "verdicts"], format_func=str.capitalize, horizontal=True,
    key="size", bind="query-params",
)
show_events = ev_col.toggle("Events", value=True, key="show_events")
show_mentions = mention_col.toggle(
    "Article mentions", value=False, key="show_mentions", disabled=mentions is None,
    help="Cities named in the source articles." if mentions is not None
    else "Not available: data/mentions.csv has not been built (python -m geo mentions).",
)
basemap = basemap_col.toggle(
    "Online basemap", value=False, key="basemap",
    help="Street map tiles from Carto. Needs the internet; off, the map draws its own borders.",
)

unplaced = without_place(convictions, ds.locations)
notes = [
    present.unmapped_note(len(unplaced), defendants(unplaced)),
    present.approximate_note(int(convictions["approximate"].sum())),
    present.events_unmapped_note(len(without_place(events, ds.locations))) if show_events else None,
]
if any(notes):
    st.caption("  \n".join(filter(None, notes)))

totals = city_totals(convictions, ds.locations)
map_deck = deck.deck_for(
    totals,
    events=event_totals(events, ds.locations) if show_events else None,
    mentions=mention_totals(mentions, ds.locations, v.filters.cities) if show_mentions and mentions is not None else None,
    borders=glue.borders(ds),
    size_by=size_by,
    largest=glue.largest(ds),
    basemap=basemap,
)


def show_clicked_city() -> None:
    # Runs before the page: the city box below may still be set from here.
    st.session_state["map_city"] = deck.selected_city(st.session_state["map"]["selection"])


st.pydeck_chart(
    map_deck, on_select=show_clicked_city, selection_mode="single-object", key="map", height=560,
    alt="Map of Kazakhstan with a circle for each city where verdicts were handed down",
)
st.markdown("  \n".join(present.legend_lines(deck.legend(size_by, events=show_events, mentions=show_mentions))))

placed = ds.locations[ds.locations["latitude"].notna()]
labels = present.city_labels(placed)
city = st.selectbox(
    "Cases in", options=sorted(labels, key=lambda c: labels[c].casefold()), format_func=labels.get, index=None,
    key="map_city", placeholder="Click a city on the map, or choose one here",
)
if city:
    rows = present.by_date(convictions[(convictions["location_id"] == city).to_numpy(dtype=bool, na_value=False)], "case_id")
    if len(rows):
        st.dataframe(
            present.cases_table(rows, ds.locations, ds.sources), column_config=glue.case_columns(), hide_index=True,
            key="map_city_cases",
            column_order=["Case", "Verdict date", "Court", "Defendants", "Names", "Charges", "Sentence type", "Sentence", "Summary", "Sources"],
        )
    else:
        st.caption("No verdicts in this city for the current filter.")
