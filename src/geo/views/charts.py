"""The Timeline's Vega-Lite charts (Altair), in the reader's language: their time axes, their
numbers, and what a screen reader says of them.

Vega writes an ARIA description for each mark, axis and legend itself, in English ("X-axis titled
…", "bar", numbers as ``1,400``). The charts here give their own: the chart's description, each
bar's (its month and count, formatted by Babel) and each axis's, from the catalogs; Vega's number
locale is Babel's too, for the axes and tooltips.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Number

import altair as alt
import pandas as pd

from geo.i18n import N_, format_day, format_month, format_number, translation
from geo.i18n.formats import vega_number_locale, vega_time_locale

#: The column of a chart's data that holds each mark's description (never shown or plotted).
DESCRIPTION = "_description"

BARS = N_("Bar chart of {what} per month, {start} to {end}.")
NO_BARS = N_("Bar chart of {what} per month: none in the chosen dates.")
TIME_AXIS = N_("Horizontal axis: {title}.")
VALUE_AXIS = N_("Vertical axis: {title}.")
KEY = N_("Key: {names}.")


def in_language(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """``chart`` with the month and day names and the digit grouping of ``lang`` on its axes and
    tooltips (Vega's own are English)."""
    return chart.configure(locale={"time": vega_time_locale(lang), "number": vega_number_locale(lang)})


def mark_role(lang: str, kind: str) -> str:
    """What a screen reader calls one mark of the chart (Vega says ``bar``, ``line``, ``point``)."""
    tr = translation(lang)
    names = {
        "bar": tr.pgettext("chart mark", "bar"),
        "line": tr.pgettext("chart mark", "line"),
        "point": tr.pgettext("chart mark", "point"),
        "text": tr.pgettext("chart mark", "label"),
    }
    return names[kind]


def axis_descriptions(x_title: str, y_title: str, lang: str) -> tuple[str, str]:
    """The two axes' descriptions (Vega's own are English)."""
    tr = translation(lang)
    return tr.gettext(TIME_AXIS).format(title=x_title), tr.gettext(VALUE_AXIS).format(title=y_title)


def key_description(names: Iterable[str], lang: str) -> str:
    """A chart key's description, its entries named (Vega's own is English)."""
    return translation(lang).gettext(KEY).format(names="; ".join(names))


def bar_descriptions(months: Iterable, counts: Iterable, lang: str) -> list[str]:
    """One description per bar: its month and its count, as Babel writes them (``январь 2022: 1 400``)."""
    # Punctuation only, the same in every language: nothing for the catalogs.
    return [f"{format_month(pd.Timestamp(m), lang)}: {format_number(n, lang)}" for m, n in zip(months, counts)]


def dated_descriptions(days: Iterable, whats: Iterable[str], values: Iterable, lang: str) -> list[str]:
    """One description per dated mark: its day, what it shows and its value (a number, formatted
    by Babel, or a text already written for the reader): ``5 января 2023, официальные данные: 1 200``."""
    return [
        f"{format_day(pd.Timestamp(d), lang)}, {what}: {format_number(v, lang) if isinstance(v, Number) else v}"
        for d, what, v in zip(days, whats, values)
    ]


def monthly_bars(frame: pd.DataFrame, month: str, count: str, colour: str, height: int, lang: str) -> alt.TopLevelMixin:
    """One bar per month of ``frame`` (``month`` the first day of each, ``count`` its height),
    both columns named in the reader's words, which the axes show."""
    tr = translation(lang)
    data = frame.assign(**{DESCRIPTION: bar_descriptions(frame[month], frame[count], lang)})
    if len(frame):
        first, last = (format_month(pd.Timestamp(m), lang) for m in (frame[month].min(), frame[month].max()))
        description = tr.gettext(BARS).format(what=count, start=first, end=last)
    else:
        description = tr.gettext(NO_BARS).format(what=count)
    x_axis, y_axis = axis_descriptions(month, count, lang)
    chart = (
        alt.Chart(data, height=height, description=description)
        .mark_bar(color=colour, ariaRoleDescription=mark_role(lang, "bar"))
        .encode(
            x=alt.X(field=month, type="temporal", timeUnit="yearmonth", title=month, axis=alt.Axis(description=x_axis)),
            y=alt.Y(field=count, type="quantitative", title=count, axis=alt.Axis(description=y_axis)),
            description=alt.Description(field=DESCRIPTION, type="nominal"),
            tooltip=[
                alt.Tooltip(field=month, type="temporal", timeUnit="yearmonth", title=month, format="%B %Y"),
                alt.Tooltip(field=count, type="quantitative", title=count),
            ],
        )
    )
    return in_language(chart, lang)
