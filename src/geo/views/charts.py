"""The Timeline's Vega-Lite charts (Altair), their time axes in the reader's language."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.i18n.formats import vega_time_locale


def in_language(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """``chart`` with the month and day names of ``lang`` on its time axes and tooltips
    (Vega's own are English)."""
    return chart.configure(locale={"time": vega_time_locale(lang)})


def monthly_bars(frame: pd.DataFrame, month: str, count: str, colour: str, height: int, lang: str) -> alt.TopLevelMixin:
    """One bar per month of ``frame`` (``month`` the first day of each, ``count`` its height),
    both columns named in the reader's words, which the axes show."""
    chart = (
        alt.Chart(frame, height=height)
        .mark_bar(color=colour)
        .encode(
            x=alt.X(field=month, type="temporal", timeUnit="yearmonth", title=month),
            y=alt.Y(field=count, type="quantitative", title=count),
            tooltip=[
                alt.Tooltip(field=month, type="temporal", timeUnit="yearmonth", title=month, format="%B %Y"),
                alt.Tooltip(field=count, type="quantitative", title=count),
            ],
        )
    )
    return in_language(chart, lang)
