"""Sources: each article, who published it, and the rows that cite it."""

import streamlit as st

from geo.dashboard import glue
from geo.query.aggregates import citations
from geo.query.view import View
from geo.views import present


def render(v: View) -> None:
    ds = v.data
    glue.page_header("Sources", v)

    in_filter = st.toggle(
        "Only sources cited by the decisions and events in the filter", value=False, key="sources_in_filter"
    )
    convictions, events = ds.convictions, ds.events
    if in_filter:
        convictions, events = v.rows(), v.event_rows()
    cited = citations(ds.sources, convictions=convictions, events=events, official_stats=ds.official_stats)
    sources = ds.sources
    if in_filter:
        keep = [any(cited[s][t] for t in ("convictions", "events")) for s in sources["source_id"]]
        sources = sources[keep]

    mentions = glue.mentions(ds)
    mentioned = present.cities_mentioned(mentions, ds.locations) if mentions is not None else None
    st.dataframe(
        present.sources_table(sources, cited, mentioned),
        hide_index=True,
        key="sources_table",
        column_config={
            present.MARKER: glue.MARKER_COLUMN,
            "Link": st.column_config.LinkColumn(display_text="open ↗"),
            "Cities mentioned": st.column_config.ListColumn(help="Cities the article names, with how often."),
            "Decisions citing it": st.column_config.ListColumn(),
            "Events citing it": st.column_config.ListColumn(),
            "Official figures citing it": st.column_config.ListColumn(),
            "Note": st.column_config.TextColumn(width="large"),
        },
    )
    missing = int(sources["url"].isna().sum())
    if missing:
        st.caption(
            f"{present.plural(missing, 'article')} {'has' if missing == 1 else 'have'} no stored link: "
            "the stored copy did not carry its address."
        )
    if mentions is None:
        st.caption(
            "Cities mentioned: not available yet. `python -m geo mentions` builds data/mentions.csv from the "
            "article texts."
        )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
