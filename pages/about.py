"""About: coverage, what the precision values mean, how to add a case, licences."""

import streamlit as st

from geo import present
from geo import streamlit_glue as glue
from geo.filters import official_series

v = glue.view()
ds = v.data
glue.page_header("About", v)
first, last = ds.span
covers = (f"from {present.day_text(first)} to {present.day_text(last)}" if present.text(first)
          else "none of them dated yet")
c = ds.convictions
official = official_series(ds.official_stats, "people_convicted")
# Everything from the data that goes into this Markdown is a number, a date or a declared enum
# value (which the descriptor check confines to the shipped ones), escaped all the same.
latest = (f"Officials reported {present.escape_markdown(present.label(str(official['qualifier'].iloc[-1])).replace('approx', 'about'))} "
          f"{int(official['value'].iloc[-1]):,} people convicted by "
          f"{present.format_date(official['as_of'].iloc[-1], official['as_of_precision'].iloc[-1])}; "
          if len(official) else "")

st.markdown(f"""
### What the data covers
The January 2022 unrest in Kazakhstan (*Qantar*, "Bloody January") and the court verdicts that followed,
as reported in news articles: **{present.plural(len(c), 'verdict')}** against
**{present.plural(int(c['defendants'].sum()), 'defendant')}**, **{present.plural(len(ds.events), 'event')}**,
**{present.plural(len(ds.official_stats), 'official figure')}** and
**{present.plural(len(ds.sources), 'source article')}**, {covers}.
Every row cites its sources (see the Sources page).

The verdicts are those the press reported: a **non-random sample**. {latest}the Timeline page sets the
official figures beside what is documented here.

### Dates and places are as precise as the sources
""")
st.table({"Date precision": list(present.PRECISIONS), "Meaning": list(present.PRECISIONS.values())})
st.markdown("""
A verdict with an approximate date counts in **every date range that touches its period**, so narrow ranges may
include verdicts from the edges of a month. Pages say how many such verdicts a view holds.

**Court city**: *city* means the source names the court's town; *region* means it names only the region, and the
map draws the case at the regional capital. Verdicts whose sources name no court city are counted on every page,
but cannot be on the map.

**Sentences** are written in years and months: `3 y 7 m`; a range `3 y 6 m – 4 y` when the sources give
one; *from …* when only the shortest term is known; *not stated* when the article gives no length.

### How to add a case
1. Add a row to `data/convictions.csv` (one row per verdict). Cite at least one `source_id` from
   `data/sources.csv`, adding the article there first if needed. `data/datapackage.json` describes every column.
2. Write dates as `YYYY-MM-DD` and set `date_precision`; a date known only to the month is the 1st of that month.
3. Run `python -m geo validate`. It lists every problem as `file:line:column: message`; fix them until it reports
   0 errors. The dashboard shows the same list instead of its pages while the data has errors.
4. Reload the dashboard: edited files are read again on the next interaction.

### Licences and attributions
- **Data**: CC BY 4.0 (see `data/datapackage.json`). Summaries paraphrase the cited articles, which belong to
  their publishers.
- **Coordinates**: [GeoNames](https://www.geonames.org/), CC BY 4.0.
- **Borders**: [Natural Earth](https://www.naturalearthdata.com/) (public domain), via the `world-atlas` package
  (ISC licence).
- **Geocoding**: when places are looked up online with Nominatim, results are © OpenStreetMap contributors,
  ODbL.
- **Basemap** (optional, online): © CARTO, © OpenStreetMap contributors.

The map works offline: it draws borders from `data/borders.geojson` and needs no tile server.
""")
