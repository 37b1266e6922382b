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
        # Points, not a line: nothing is known of the count between two official statements.
        + base.transform_filter(is_official).mark_point(size=70, filled=True)
        + base.transform_filter(alt.datum.label != None).mark_text(dy=-12, fontSize=12).encode(text="label:N"),  # noqa: E711
        height=340,
        key="official_chart",
    )
    gap = present.documented_gap(comparison, official)
    if gap:
        st.markdown(present.escape_markdown(gap))
    st.caption(
        "Official figures are national totals, as the sources report them; they do not follow the city or "
        "sentence filters. The documented line counts each person convicted in the decisions in the filter once, "
        "in the month of the first decision here that convicted them (a trial, or an appeal whose trial is "
        "not in the record), from the first verdict on, at the end of each month."
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

    st.subheader("Every official figure")
    counts = ds.official_stats["metric"].astype(str).value_counts()
    metric = st.selectbox(
        "Official figure",
        options=list(counts.index),
        format_func=present.metric_label,
        key="metric",
        bind="query-params",
        help="What officials counted: deaths, detentions, criminal cases, amnesty, torture cases … "
        "data/METRICS.md defines each one.",
    )
    figures = ds.official_stats[(ds.official_stats["metric"].astype(str) == metric).to_numpy()]
    figures = figures.sort_values(["as_of", "stat_id"], na_position="last")
    unit = str(figures["unit"].dropna().iloc[0]) if figures["unit"].notna().any() else "value"
    dated = figures[figures["as_of"].notna().to_numpy()]
    if len(dated) > 1:
        st.altair_chart(
            alt.Chart(
                dated.assign(label=[present.official_figure(v, q) for v, q in zip(dated["value"], dated["qualifier"])])
            )
            .mark_point(size=70, filled=True, color="#31333f")
            .encode(
                x=alt.X("as_of:T", title=None),
                y=alt.Y("value:Q", title=f"{present.metric_label(metric)} ({unit})"),
                tooltip=[
                    alt.Tooltip("as_of:T", title="As of", format="%d %b %Y"),
                    alt.Tooltip("label:N", title="Figure"),
                    alt.Tooltip("reported_by:N", title="Reported by"),
                ],
            ),
            height=240,
            key="metric_chart",
        )
    st.dataframe(
        present.official_table(figures, value_label=f"Value ({unit})"),
        hide_index=True,
        key="metric_table",
        column_config={
            present.MARKER: glue.MARKER_COLUMN,
            f"Value ({unit})": st.column_config.NumberColumn(format="%d"),
        },
    )
    st.caption(
        "Each figure as its source states it, with its date and who gave it. Where sources disagree, both "
        "figures are listed; none is averaged or dropped."
    )


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
