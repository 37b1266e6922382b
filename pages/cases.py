"""Cases: the court decisions in the filter, for all cities or one (chosen in a box), with downloads;
the people in them, and one person's path through the courts."""

from functools import partial

import streamlit as st

from geo.dashboard import download_buttons, tables, url_state
from geo.downloads import limits
from geo.downloads.store import Recipe
from geo.query.view import SORTS, View
from geo.views import (
    case_tables,
    descriptions,
    download_notes,
    export,
    file_headers,
    formats,
    people_tables,
    person_names,
    place_labels,
)
from geo.views.case_groups import case_groups

#: Rows per table page: beyond a few thousand rows a browser table stalls, so long lists page.
PAGE_ROWS = 1000


def render(v: View) -> None:
    ds, tr, lang = v.data, v.tr, v.lang
    index, selected = v.cases, v.selected

    totals = v.city_totals()
    version = v.index.provenance.version
    geojson_name = export.export_filename("city-totals", v.filters, "geojson", v.bounds, version)
    st.download_button(
        tr.gettext("GeoJSON: totals per city"),
        key="download_geojson",
        on_click="ignore",
        icon=":material/download:",
        data=Recipe(
            partial(export.geojson_bytes, totals, descriptions.description(v), export.dataset_card(v)),
            key=("city-totals", download_buttons.data_key(v), lang, v.filters),
            kind="geojson",
            rows=len(totals),
            file_name=geojson_name,
            mime=export.MEDIA_TYPES["geojson"],
            lang=lang,
        ),
        file_name=geojson_name,
        mime=export.MEDIA_TYPES["geojson"],
    )

    # (key, label, rows as a mask over the index, filter the file name states). A selectbox, not
    # tabs: tab labels are Markdown (a city named "https://…" became a link, ":material/…:" an
    # icon), a selectbox's options are plain text.
    groups = case_groups(v)
    by_key = {group[0]: group for group in groups}

    def tab_file(kind: str, mask, sort: str, rows_note: str | None) -> bytes:
        """The download of a group: every row it holds, all pages, in the table's order; an Excel
        file also says when it was made, from which filter and how to cite the data."""
        about = export.about_for(v, rows_note, sort) if kind == "xlsx" else None
        return export.convictions_file(kind, v.rows(mask, sort=sort), ds.locations, ds.sources, about, lang)

    chosen = url_state.place_choice(
        tr.gettext("Cases in"),
        {k: group[1] for k, group in by_key.items()},
        "tab",
        v.index,
        help=tr.gettext(
            "All cities, one court city, or the decisions not on the map (court city not stated or not geocoded)."
        ),
    )
    key, group_label, rows, named = by_key.get(chosen, groups[0])  # only the chosen group is computed
    search_col, sort_col = st.columns([3, 2], vertical_alignment="bottom")
    with search_col:
        who = url_state.linked_text(
            tr.gettext("Search the decisions"),
            "who",
            placeholder=tr.gettext("A name in Latin or Cyrillic script, a case id, a court, a word of the summary"),
            help=tr.gettext(
                "Keeps the decisions that name a person whose name holds this text, in either script and in "
                "any spelling the sources use, or whose case id, court, charges, code articles or summary do. "
                "Where nothing does, it shows the people whose names are nearest. It searches every row, "
                "not one page, and narrows the People table too."
            ),
        )
    with sort_col:
        sort = url_state.linked_widget(
            st.selectbox,
            tr.gettext("Sort by"),
            SORTS,
            "sort",
            format_func=lambda s: case_tables.sort_label(s, lang),
            help=tr.gettext("Orders every row of the table, not only the page shown.")
            + " "
            + tr.gettext(case_tables.SORT_RULE),
        )
    found = v.search(who)
    rows = rows & found.decisions
    near = found.names(v.index) if found.near else None
    if near:
        st.info(person_names.showing_results_for(who, near, lang), icon=":material/spellcheck:")
    verdicts = int(rows.sum())
    counted = index.people(rows)
    breakdown = formats.people_breakdown(
        counted["convicted"], counted["acquitted"], counted["posthumous"], lang, counted["other"]
    )
    st.caption(case_tables.cases_count(verdicts, counted["total"], breakdown, lang))
    offset = url_state.table_page(verdicts, PAGE_ROWS, scope=(key, who.strip(), sort), lang=lang)
    shown = v.rows(rows, limit=PAGE_ROWS, offset=offset, sort=sort)
    table = case_tables.cases_table(shown, ds.locations, ds.sources, lang=lang)
    picked = st.dataframe(
        table,
        column_config=tables.case_columns(lang),
        hide_index=True,
        key=f"cases_{key}",
        on_select="rerun",
        selection_mode="single-row",
        placeholder="—",
    )
    chosen_rows = picked.selection.rows
    if chosen_rows:
        tables.decision_details(shown.iloc[chosen_rows[0]], ds, lang)
    else:
        st.caption(tr.gettext("Select a row (the box at its left) to read its whole summary and its sources."))
    rows_note = file_headers.download_rows_note(
        None if key in ("all", "no-city") else group_label, key == "no-city", who, lang, near
    )
    csv_col, xlsx_col, _ = st.columns([1, 1, 4])
    over = {kind: limits.LIMITS.row_limit(kind, verdicts) for kind in ("csv", "xlsx")}
    for column, kind, text in ((csv_col, "csv", "CSV"), (xlsx_col, "xlsx", "Excel")):
        tab_name = export.export_filename("convictions", named, kind, v.bounds, version, found.text)
        column.download_button(
            text,
            key=f"download_{kind}_{key}",
            on_click="ignore",
            icon=":material/download:",
            # Built on click, from every row of the group (all pages): no file is made on a rerun.
            data=Recipe(
                partial(tab_file, kind, rows, sort, rows_note),
                key=("convictions", download_buttons.data_key(v), lang, kind, v.filters, key, found.text, sort),
                kind=kind,
                rows=verdicts,
                file_name=tab_name,
                mime=export.MEDIA_TYPES[kind],
                lang=lang,
            ),
            file_name=tab_name,
            mime=export.MEDIA_TYPES[kind],
            disabled=not verdicts or over[kind] is not None,
        )
    limit = next((n for n in over.values() if n is not None), None)
    if limit is not None:  # past the bound one request may make: said, with where the full data is
        st.info(download_notes.too_many_rows(verdicts, limit, lang), icon=":material/block:")
    st.caption(
        tr.gettext(
            "Downloads hold every row chosen (all pages, in the table's order): the columns of convictions.csv, "
            "with the table's readable columns beside them; the Excel file adds the sources the rows cite and "
            "an About sheet with the filter, the export time, the dataset's version, licence and citation. "
            "Cells a spreadsheet would run as formulas start with an apostrophe."
        )
    )

    st.header(tr.gettext("People"))
    st.caption(
        tr.gettext(
            "One row per person per decision, for the decisions in the filter and the search: a trial, its "
            "appeal and any later review each have a row. Unnamed co-defendants are one row with their number."
        )
    )
    st.dataframe(
        people_tables.people_table(v.defendants(selected & found.decisions), ds.locations, ds.sources, lang),
        column_config=tables.people_columns(lang),
        hide_index=True,
        key="people_table",
        placeholder="—",  # an undated decision's empty date, not "None"
    )

    labels = people_tables.person_labels(ds.defendants, lang)
    person = url_state.linked_widget(
        st.selectbox,
        tr.gettext("Follow a person through the courts"),
        list(labels),
        "person",
        format_func=labels.get,
        index=None,
        placeholder=tr.gettext("Type a name in Latin or Cyrillic script"),
    )
    if person:
        path = people_tables.person_path(ds.defendants, person)
        for row in path.itertuples(index=False):
            st.text(people_tables.path_step(row, place_labels.city_labels(ds.locations, lang), lang))
        st.dataframe(
            people_tables.people_table(path, ds.locations, ds.sources, lang),
            column_config=tables.people_columns(lang),
            hide_index=True,
            key="person_path",
            placeholder="—",
        )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
