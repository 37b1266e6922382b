"""Cases: the verdicts in the filter, all cities and one tab per city, with downloads."""

from dataclasses import replace
from functools import partial

import streamlit as st

from geo import export, present
from geo import streamlit_glue as glue
from geo.filters import city_totals, filter_convictions, without_place

v = glue.view()
ds = v.data
convictions = present.by_date(filter_convictions(ds.convictions, v.filters), "case_id")
glue.page_header("Cases", v, convictions)

totals = city_totals(convictions, ds.locations)
st.download_button(
    "GeoJSON: totals per city", key="download_geojson", on_click="ignore", icon=":material/download:",
    data=partial(export.geojson_bytes, totals, v.description(convictions)),
    file_name=export.export_filename("city-totals", v.filters, "geojson", v.bounds),
    mime=export.MEDIA_TYPES["geojson"],
)

# (key, tab label, rows, filter the file name states). Labels carry no counts: the open tab is
# in the URL, and a link must survive a change of filter.
names = present.city_names(ds.locations)
groups = [("all", "All cities", convictions, v.filters)]
for city in sorted(totals["location_id"], key=lambda c: names[c].casefold()):
    rows = convictions[(convictions["location_id"] == city).to_numpy(dtype=bool, na_value=False)]
    groups.append((city, present.escape_markdown(names[city]), rows, replace(v.filters, cities=(city,))))
unplaced = without_place(convictions, ds.locations)
if len(unplaced):
    groups.append(("no-city", "No known city", unplaced, replace(v.filters, cities=("no-known-city",))))

tabs = st.tabs([label for _, label, _, _ in groups], key="tab", bind="query-params", on_change="rerun")
for tab, (key, label, rows, named) in zip(tabs, groups):
    if tab.open is False:
        continue  # only the open tab is computed
    with tab:
        st.caption(f"{present.plural(len(rows), 'verdict')}, {present.plural(int(rows['defendants'].sum()), 'defendant')}")
        st.dataframe(present.cases_table(rows, ds.locations, ds.sources), column_config=glue.case_columns(),
                     hide_index=True, key=f"cases_{key}")
        buttons = st.container(horizontal=True)
        for kind, text in (("csv", "CSV"), ("xlsx", "Excel")):
            buttons.download_button(
                text, key=f"download_{kind}_{key}", on_click="ignore", icon=":material/download:",
                # Built on click: a large Excel file is not made on every rerun.
                data=partial(export.convictions_file, kind, rows),
                file_name=export.export_filename("convictions", named, kind, v.bounds),
                mime=export.MEDIA_TYPES[kind], disabled=not len(rows),
            )
st.caption("Downloads hold exactly the rows of the open tab, in the columns of convictions.csv. "
           "Cells a spreadsheet would run as formulas start with an apostrophe.")
