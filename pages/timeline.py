"""Timeline: court decisions, people convicted and events per month; official figures beside the documented count."""

import altair as alt
import streamlit as st

from geo.dashboard import glue
from geo.query.aggregates import official_series
from geo.query.view import View
from geo.views import present


def render(v: View) -> None:
    ds = v.data
    glue.page_header("Timeline", v)

    st.info(
        "These are the court decisions found in news reports: a non-random sample, weighted towards cases the press "
        "covered. A month or city with few documented decisions may have had many; compare with the official "
        "figures below before drawing conclusions.",
        icon=":material/info:",
    )

    monthly = v.monthly_decisions().rename(
        columns={"month": "Month", "count": "Decisions", "convicted_people": "People convicted"}
    )
    verdicts_col, defendants_col = st.columns(2)
    with verdicts_col:
        st.subheader("Court decisions per month")
        st.bar_chart(monthly, x="Month", y="Decisions", height=260, color="#ff4b4b")
    with defendants_col:
        st.subheader("People convicted per month")
        st.bar_chart(monthly, x="Month", y="People convicted", height=260, color="#a61b1b")
    st.caption(
        "Decisions of every instance (a trial and its appeal are two decisions). People convicted: the people a "
        "decision convicted, by the decision's month; an appeal that upholds a sentence counts them again in its "
        "month, an acquittal or a posthumous verdict never counts."
    )
    unknown = v.cases.month_unknown(v.selected)
    if unknown:
        st.caption(
            f"{present.plural(unknown, 'decision')} without a known month {'is' if unknown == 1 else 'are'} not in this chart."
        )

    st.subheader("Events per month")
    st.bar_chart(
        v.monthly_events().rename(columns={"month": "Month", "count": "Events"}),
        x="Month",
        y="Events",
        height=220,
        color="#ffa421",
    )
    st.dataframe(
        present.events_table(v.event_rows(), ds.locations),
        hide_index=True,
        key="events_table",
        column_config={
            present.MARKER: glue.MARKER_COLUMN,
            "Summary": st.column_config.TextColumn(width="large"),
            "Sources": st.column_config.ListColumn(),
        },
    )

    st.subheader("Official figures and what is documented here")
    official = official_series(ds.official_stats, "people_convicted")
    comparison = present.documented_vs_official(v.documented_monthly(), official)
    colours = alt.Scale(domain=[present.DOCUMENTED, present.OFFICIAL], range=["#ff4b4b", "#31333f"])
    base = alt.Chart(comparison).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("people:Q", title="People convicted (cumulative)"),
        color=alt.Color("series:N", scale=colours, legend=alt.Legend(orient="bottom", title=None, labelLimit=400)),
        tooltip=[
            alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("people:Q", title="People", format=","),
        ],
    )
    is_official = alt.datum.series == present.OFFICIAL
    st.altair_chart(
        base.transform_filter(~is_official).mark_line(interpolate="step-after")
        + base.transform_filter(is_official).mark_line(point=alt.OverlayMarkDef(size=60), strokeDash=[4, 3])
        + base.transform_filter(alt.datum.label != None).mark_text(dy=-12, fontSize=12).encode(text="label:N"),  # noqa: E711
        height=340,
        key="official_chart",
    )
    st.caption(
        "Official figures are national totals, as the sources report them; they do not follow the city or "
        "sentence filters. The documented line adds up the people convicted at first instance in the decisions in "
        "the filter, from the first verdict on, at the end of each month."
    )
    st.dataframe(
        present.official_table(official),
        hide_index=True,
        key="official_table",
        column_config={
            present.MARKER: glue.MARKER_COLUMN,
            "People convicted": st.column_config.NumberColumn(format="%d"),
        },
    )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
