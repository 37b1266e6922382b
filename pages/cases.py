"""Cases: the verdicts in the filter, all cities and one tab per city, with downloads."""

from dataclasses import replace
from functools import partial

import streamlit as st

from geo import export, present
from geo import streamlit_glue as glue

#: Rows per table page: beyond a few thousand rows a browser table stalls, so long lists page.
PAGE_ROWS = 1000

v = glue.view()
ds = v.data
index, selected = v.index, v.selected
glue.page_header("Cases", v)

totals = index.city_totals(selected, ds.locations)
st.download_button(
    "GeoJSON: totals per city", key="download_geojson", on_click="ignore", icon=":material/download:",
    data=partial(export.geojson_bytes, totals, v.description()),
    file_name=export.export_filename("city-totals", v.filters, "geojson", v.bounds),
    mime=export.MEDIA_TYPES["geojson"],
)

# (key, label, rows as a mask over the index, filter the file name states). Labels carry no
# counts: the chosen group is in the URL, and a link must survive a change of filter. A
# selectbox, not tabs: tab labels are Markdown (a city named "https://…" became a link,
# ":material/…:" an icon), a selectbox's options are plain text.
names = present.city_names(ds.locations)
groups = [("all", "All cities", selected, v.filters)]
for city in sorted(totals["location_id"], key=lambda c: names[c].casefold()):
    groups.append((city, names[city], selected & index.of_city(city), replace(v.filters, cities=(city,))))
unplaced = selected & ~index.on_map
if unplaced.any():
    groups.append(("no-city", "No known city", unplaced, replace(v.filters, cities=("no-known-city",))))
by_key = {group[0]: group for group in groups}


def tab_file(kind: str, mask) -> bytes:
    """The download of a group: every row it holds, all pages."""
    return export.convictions_file(kind, v.rows(mask))


chosen = st.selectbox(
    "Cases in", options=list(by_key), format_func=lambda k: by_key[k][1], key="tab", bind="query-params",
    help="All cities, one court city, or the verdicts whose court city no source names.",
)
key, label, rows, named = by_key.get(chosen, groups[0])  # only the chosen group is computed
verdicts, defendant_count = index.counts(rows)
st.caption(f"{present.plural(verdicts, 'verdict')}, {present.plural(defendant_count, 'defendant')}")
offset = 0
if verdicts > PAGE_ROWS:
    pages = -(-verdicts // PAGE_ROWS)
    number = st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, step=1,
                             key=f"page_{key}")
    offset = (int(number) - 1) * PAGE_ROWS
    st.caption(f"Rows {offset + 1:,}–{min(offset + PAGE_ROWS, verdicts):,} of {verdicts:,}, oldest first.")
shown = v.rows(rows, limit=PAGE_ROWS, offset=offset)
st.dataframe(present.cases_table(shown, ds.locations, ds.sources), column_config=glue.case_columns(),
             hide_index=True, key=f"cases_{key}")
csv_col, xlsx_col, _ = st.columns([1, 1, 4])
for column, kind, text in ((csv_col, "csv", "CSV"), (xlsx_col, "xlsx", "Excel")):
    column.download_button(
        text, key=f"download_{kind}_{key}", on_click="ignore", icon=":material/download:",
        # Built on click, from every row of the group (all pages): no file is made on a rerun.
        data=partial(tab_file, kind, rows),
        file_name=export.export_filename("convictions", named, kind, v.bounds),
        mime=export.MEDIA_TYPES[kind], disabled=not verdicts,
    )
st.caption("Downloads hold every row of the chosen cities (all pages), in the columns of convictions.csv. "
           "Cells a spreadsheet would run as formulas start with an apostrophe.")
