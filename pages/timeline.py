"""Timeline: court decisions, people convicted and events per month; official figures beside the documented count."""

import altair as alt
import streamlit as st

from geo import i18n
from geo.dashboard import tables, url_state
from geo.query.view import View
from geo.views import case_tables, charts, formats, official, place_labels, timeline
from geo.views.charts import in_language, monthly_bars


def render(v: View) -> None:
    ds, tr, lang = v.data, v.tr, v.lang

    st.info(
        tr.gettext(
            "These are the court decisions found in news reports: a non-random sample, weighted towards cases the "
            "press covered. A month or city with few documented decisions may have had many; compare with the "
            "official figures below before drawing conclusions."
        ),
        icon=":material/info:",
    )

    # The charts' axes are named by their columns: the columns take the reader's words.
    month, decisions, convicted = (
        tr.pgettext("column", "Month"),
        tr.pgettext("column", "Decisions"),
        tr.pgettext("column", "People convicted"),
    )
    monthly = v.monthly_decisions().rename(columns={"month": month, "count": decisions, "convicted_people": convicted})
    verdicts_col, defendants_col = st.columns(2)
    with verdicts_col:
        st.header(tr.gettext("Court decisions per month"))
        st.altair_chart(monthly_bars(monthly, month, decisions, "#ff4b4b", 260, lang))
    with defendants_col:
        st.header(tr.gettext("People convicted per month"))
        st.altair_chart(monthly_bars(monthly, month, convicted, "#a61b1b", 260, lang))
    st.caption(
        tr.gettext(
            "Decisions of every instance (a trial and its appeal are two decisions). People convicted: the people "
            "a decision convicted, by the decision's month; an appeal that upholds a sentence counts them again in "
            "its month, an acquittal or a posthumous verdict never counts."
        )
    )
    unknown = v.cases.month_unknown(v.selected)
    if unknown:
        st.caption(
            tr.ngettext(
                "{decisions} without a known month is not in this chart.",
                "{decisions} without a known month are not in this chart.",
                unknown,
            ).format(decisions=i18n.count_text("decisions", unknown, lang))
        )

    st.header(tr.gettext("Events per month"))
    events = tr.pgettext("column", "Events")
    st.altair_chart(
        monthly_bars(
            v.monthly_events().rename(columns={"month": month, "count": events}), month, events, "#ffa421", 220, lang
        )
    )
    st.dataframe(
        timeline.events_table(v.event_rows(), ds.locations, lang),
        hide_index=True,
        key="events_table",
        column_config={
            "Event": st.column_config.TextColumn(tr.pgettext("column", "Event")),
            case_tables.MARKER: tables.marker_column(lang),
            "Date": st.column_config.TextColumn(tr.pgettext("column", "Date")),
            "City": st.column_config.TextColumn(tr.pgettext("column", "City")),
            "Type": st.column_config.TextColumn(tr.pgettext("column", "Type")),
            "Summary": st.column_config.TextColumn(tr.pgettext("column", "Summary"), width="large"),
            "Sources": st.column_config.ListColumn(tr.pgettext("column", "Sources")),
        },
    )

    st.header(tr.gettext("Official figures and what is documented here"))
    chart = official.comparison_chart(v.documented_line(), v.official_in_window(), lang)
    chart[charts.DESCRIPTION] = charts.dated_descriptions(chart["date"], chart["series"], chart["people"], lang)
    colours = alt.Scale(domain=official.series_names(lang), range=["#ff4b4b", "#31333f", "#8a6d00"])
    people_title = tr.gettext("People convicted (cumulative)")
    x_axis, y_axis = charts.axis_descriptions(tr.pgettext("column", "Date"), people_title, lang)
    base = alt.Chart(chart, description=tr.gettext("Official figures and what is documented here")).encode(
        x=alt.X(
            "date:T",
            title=None,
            scale=alt.Scale(domain=[d.isoformat() for d in v.window]),
            axis=alt.Axis(description=x_axis),
        ),
        y=alt.Y("people:Q", title=people_title, axis=alt.Axis(description=y_axis)),
        description=alt.Description(field=charts.DESCRIPTION, type="nominal"),
        color=alt.Color(
            "series:N",
            scale=colours,
            legend=alt.Legend(
                orient="bottom",
                title=None,
                labelLimit=400,
                description=charts.key_description(official.series_names(lang), lang),
            ),
        ),
        tooltip=[
            alt.Tooltip(
                "date:T", title=tr.pgettext("column", "Date"), format="%d.%m.%Y" if lang != "en" else "%d %b %Y"
            ),
            alt.Tooltip("series:N", title=tr.pgettext("column", "Series")),
            alt.Tooltip("people:Q", title=tr.pgettext("column", "People"), format=","),
        ],
    )
    is_documented = alt.datum.series == official.series_names(lang)[0]
    st.altair_chart(
        in_language(
            base.transform_filter(is_documented).mark_line(
                interpolate="step-after", ariaRoleDescription=charts.mark_role(lang, "line")
            )
            # Points, not a line: nothing is known of the count between two statements.
            + base.transform_filter(~is_documented).mark_point(
                size=70, filled=True, ariaRoleDescription=charts.mark_role(lang, "point")
            )
            + base.transform_filter(alt.datum.label != None)  # noqa: E711
            .mark_text(dy=-12, fontSize=12, ariaRoleDescription=charts.mark_role(lang, "text"))
            .encode(text="label:N"),
            lang,
        ),
        height=340,
        key="official_chart",
    )
    st.caption(
        tr.gettext(
            "The line counts the people convicted in the decisions of the chosen cities, sentences and roles, each "
            "person once, from the day of the first decision that convicted them, over the chosen dates. Like the "
            "official counts, it leaves out officials, police and soldiers convicted of torture, abuse of power, "
            "inaction or treason. The official counts are national totals and do not follow the city or sentence "
            "filters."
        )
    )
    st.markdown(tr.gettext("Each count beside what the whole record documents by its date:"))
    tables.official_comparison(v, "official_table")

    st.header(tr.gettext("Every official figure"))
    metric = url_state.linked_widget(
        st.selectbox,
        tr.gettext("Official figure"),
        v.index.official_metrics,
        "metric",
        format_func=lambda m: timeline.metric_label(m, lang),
        help=tr.gettext(
            "What officials counted: deaths, detentions, criminal cases, amnesty, torture cases … "
            "data/METRICS.md defines each one."
        ),
    )
    figures = v.index.official_figures(metric)
    unit_value = str(figures["unit"].dropna().iloc[0]) if figures["unit"].notna().any() else ""
    unit = formats.label(unit_value, lang, "unit") if unit_value else tr.gettext("value")
    value_label = tr.gettext("Value ({unit})").format(unit=unit)
    national = v.national_in_window(figures)
    if len(national) > 1:
        labels = [formats.official_figure(n, q, lang=lang) for n, q in zip(national["value"], national["qualifier"])]
        metric_name = timeline.metric_label(metric, lang)
        x_axis, y_axis = charts.axis_descriptions(tr.pgettext("column", "As of"), f"{metric_name} ({unit})", lang)
        st.altair_chart(
            in_language(
                alt.Chart(
                    national.assign(
                        label=labels,
                        **{
                            charts.DESCRIPTION: charts.dated_descriptions(
                                national["as_of"], [metric_name] * len(labels), labels, lang
                            )
                        },
                    ),
                    description=metric_name,
                )
                .mark_point(size=70, filled=True, color="#31333f", ariaRoleDescription=charts.mark_role(lang, "point"))
                .encode(
                    x=alt.X(
                        "as_of:T",
                        title=None,
                        scale=alt.Scale(domain=[d.isoformat() for d in v.window]),
                        axis=alt.Axis(description=x_axis),
                    ),
                    description=alt.Description(field=charts.DESCRIPTION, type="nominal"),
                    # the points set the axis: none may be drawn above its last tick
                    y=alt.Y(
                        "value:Q",
                        title=f"{metric_name} ({unit})",
                        scale=alt.Scale(domain=[0, float(national["value"].max()) * 1.1], nice=True),
                        axis=alt.Axis(description=y_axis),
                    ),
                    tooltip=[
                        alt.Tooltip(
                            "as_of:T",
                            title=tr.pgettext("column", "As of"),
                            format="%d.%m.%Y" if lang != "en" else "%d %b %Y",
                        ),
                        alt.Tooltip("label:N", title=tr.pgettext("column", "Figure")),
                        alt.Tooltip("reported_by:N", title=tr.pgettext("column", "Reported by")),
                    ],
                ),
                lang,
            ),
            height=240,
            key="metric_chart",
        )
        st.caption(
            tr.gettext(
                "The chart shows the national figures dated inside the chosen dates; figures for one city or region, "
                "and undated ones, are in the table."
            )
        )
    st.dataframe(
        timeline.official_table(figures, place_labels.city_names(v.data.locations, lang), value_label, lang),
        hide_index=True,
        key="metric_table",
        column_config={**official_columns(lang), value_label: st.column_config.TextColumn(value_label)},
    )
    st.caption(
        tr.gettext(
            "Each figure as its source states it, with its date and who gave it. Where sources disagree, both "
            "figures are listed; none is averaged or dropped."
        )
    )


def official_columns(lang: str) -> dict:
    """Headers of :func:`geo.views.timeline.official_table` in ``lang``."""
    tr, cc = i18n.translation(lang), st.column_config
    headers = {
        "Figure": tr.pgettext("column", "Figure"),
        "Place": tr.pgettext("column", "Place"),
        "As of": tr.pgettext("column", "As of"),
        "Qualifier": tr.pgettext("column", "Qualifier"),
        "Reported by": tr.pgettext("column", "Reported by"),
        "Note": tr.pgettext("column", "Note"),
    }
    return {
        case_tables.MARKER: tables.marker_column(lang),
        "Sources": cc.ListColumn(tr.pgettext("column", "Sources")),
        **{key: cc.TextColumn(text) for key, text in headers.items()},
    }


if __name__ == "__main__":  # Streamlit ran this file alone (a first request for its URL): run the app
    from app import main

    main()
