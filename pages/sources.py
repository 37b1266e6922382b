"""Sources: each article, who published it, and the rows that cite it."""

import streamlit as st

from geo.dashboard import tables
from geo.query.view import View
from geo.views import case_tables, source_tables


def render(v: View) -> None:
    ds, tr, lang = v.data, v.tr, v.lang

    in_filter = st.toggle(
        tr.gettext("Only sources cited by the decisions and events in the filter"),
        value=False,
        key="sources_in_filter",
    )
    sources, cited = v.cited_sources(in_filter)
    mentions = v.index.mentions
    mentioned = source_tables.cities_mentioned(mentions, ds.locations, lang) if mentions is not None else None
    cc = st.column_config

    st.dataframe(
        source_tables.sources_table(sources, cited, mentioned, lang),
        hide_index=True,
        key="sources_table",
        column_config={
            "Source": cc.TextColumn(tr.pgettext("column", "Source")),
            case_tables.MARKER: tables.marker_column(lang),
            "Title": cc.TextColumn(tr.pgettext("column", "Title")),
            "Publisher": cc.TextColumn(tr.pgettext("column", "Publisher")),
            "Published": cc.TextColumn(tr.pgettext("column", "Published")),
            "Copy of": cc.TextColumn(tr.pgettext("column", "Copy of")),
            "Link": cc.LinkColumn(tr.pgettext("column", "Link"), display_text=tr.gettext("open ↗")),
            "Cities mentioned": cc.ListColumn(
                tr.pgettext("column", "Cities mentioned"), help=tr.gettext("Cities the article names, with how often.")
            ),
            "Decisions citing it": cc.ListColumn(tr.pgettext("column", "Decisions citing it")),
            "Events citing it": cc.ListColumn(tr.pgettext("column", "Events citing it")),
            "Official figures citing it": cc.ListColumn(tr.pgettext("column", "Official figures citing it")),
            "Language": cc.TextColumn(tr.pgettext("column", "Language")),
            "Note": cc.TextColumn(tr.pgettext("column", "Note"), width="large"),
        },
    )
    missing = int(sources["url"].isna().sum())
    if missing:
        st.caption(
            tr.ngettext(
                "{articles} has no stored link: the stored copy did not carry its address.",
                "{articles} have no stored link: the stored copy did not carry its address.",
                missing,
            ).format(
                articles=tr.npgettext("count", "{count} article", "{count} articles", missing).format(
                    count=tr.number(missing)
                )
            )
        )
    if mentions is None:
        st.caption(
            tr.gettext(
                "Cities mentioned: not available yet. `python -m geo mentions` builds data/mentions.csv from the "
                "article texts."
            )
        )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
