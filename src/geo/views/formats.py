"""Values in the reader's language: enum labels, sentences, dates with their precision, counts,
lists of names, article references and official figures; and the marker column of the rows the
validator warned about, which every table of the pages shares. Pure functions; text from the data
stays plain text (see :mod:`geo.views.reader_text`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.data.dataset import (
    MARKER,
    WARNINGS_COLUMN,
)
from geo.data.validate import split_list
from geo.i18n import N_, count_text, enum_label, format_day, format_month, translation
from geo.i18n.enums import NC_, NP_

if TYPE_CHECKING:
    pass

NOT_STATED = N_("not stated")

#: What each date precision means, for the About page and column help.
PRECISIONS = {
    "day": N_("The source gives the exact day."),
    "week": N_("Only the week is known; the date is its first day."),
    "month": N_(
        "Only the month is known; the date is written as the 1st. It counts in any date range touching that month."
    ),
    "year": N_(
        "Only the year is known; the date is written as 1 January. It counts in any date range touching that year."
    ),
}


def label(value: str, lang: str = "en", field: str | None = None) -> str:
    """An enum value for people, in ``lang``: ``security_operation`` -> ``security operation``,
    ``спецоперация``. ``field`` (a vocabulary or a column, see :func:`geo.i18n.enum_label`) tells
    apart values such as ``other`` that mean different things in different columns."""
    return enum_label(value, lang, field)


def people_breakdown(convicted: int, acquitted: int, posthumous: int, lang: str = "en", other: int = 0) -> str:
    """``10 convicted, 1 acquitted, 1 convicted posthumously, 1 with another outcome`` (groups with
    nobody left out): each person in one group, so the parts add up to the people counted."""
    groups = (("convicted", convicted), ("acquitted", acquitted), ("posthumous", posthumous), ("other", other))
    parts = [count_text(what, n, lang) for what, n in groups if n]
    return ", ".join(parts)


#: A term's years and months (``3 y 7 m`` in English; Russian and Kazakh write the words in full,
#: with their plural forms: ``3 года 7 месяцев``, ``3 жыл 7 ай``).
TERM_YEARS = NP_("term", "{count} y", "{count} y")

TERM_MONTHS = NP_("term", "{count} m", "{count} m")


def months_text(months: int, lang: str = "en") -> str:
    years, rest = divmod(int(months), 12)
    if lang == "en":  # the common case, without a catalog lookup per cell
        if years and rest:
            return f"{years} y {rest} m"
        return f"{years} y" if years else f"{rest} m"
    tr = translation(lang)
    # Years before months in all three languages: the two counted words are joined by a space.
    parts = [tr.npgettext(*TERM_YEARS, years).format(count=years)] if years else []
    if rest or not years:
        parts.append(tr.npgettext(*TERM_MONTHS, rest).format(count=rest))
    return " ".join(parts)


def format_sentence(low: object, high: object, lang: str = "en") -> str:
    """Sentence length from its bounds in months: ``3 y 7 m``, ``3 y 6 m – 4 y``, ``not stated``."""
    lo: int | None = None if pd.isna(low) else int(low)  # type: ignore[call-overload]  # a pandas scalar
    hi: int | None = None if pd.isna(high) else int(high)  # type: ignore[call-overload]
    tr = translation(lang)
    if lo is None and hi is None:
        return tr.gettext(NOT_STATED)
    if hi is None:
        assert lo is not None
        # Translators: a sentence whose longest term the sources do not state.
        return tr.pgettext("term", "from {term}").format(term=months_text(lo, lang))
    if lo is None:
        return tr.pgettext("term", "up to {term}").format(term=months_text(hi, lang))
    if lo == hi:
        return months_text(lo, lang)
    return f"{months_text(lo, lang)} – {months_text(hi, lang)}"


def day_text(d: date | pd.Timestamp, lang: str = "en") -> str:
    """``11 Jun 2024``, ``11 июня 2024``, ``2024 ж. 11 маусым`` (Babel's month names in every
    language: ``%b`` would follow the server's locale)."""
    return _day_text(date(d.year, d.month, d.day), lang)


@functools.lru_cache(maxsize=4096)
def _day_text(d: date, lang: str) -> str:
    # The tables format the same few hundred days on every rerun; Babel looks the locale up per call.
    return format_day(d, lang)


def format_date(value: object, precision: object = "day", lang: str = "en") -> str:
    """A date as precise as its source: ``24 Feb 2023``, ``Apr 2023 (month)``, ``2023 (year)``."""
    tr = translation(lang)
    if value is None or pd.isna(value):
        return tr.gettext(NOT_STATED)
    d = pd.Timestamp(value)
    p = "day" if precision is None or pd.isna(precision) else str(precision)
    if p == "month":
        month = format_month(d, lang)
        # Translators: a date the sources give only to the month.
        return tr.gettext("{month} (month)").format(month=month)
    if p == "year":
        return tr.gettext("{year} (year)").format(year=f"{d:%Y}")
    if p == "week":
        return tr.gettext("week of {day}").format(day=day_text(d, lang))
    return day_text(d, lang)


def format_span(first: object, last: object, lang: str = "en") -> str:
    """The days a group of records covers: ``11 Jul 2022`` or ``1 Jun 2022 – 31 Jul 2022``."""
    if first is None or pd.isna(first):
        return translation(lang).gettext("dates not stated")
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    return day_text(a, lang) if a.normalize() == b.normalize() else f"{day_text(a, lang)} – {day_text(b, lang)}"


def items(cell: object) -> list[str]:
    """A ``;`` list cell as a list ([] when empty)."""
    return [] if cell is None or pd.isna(cell) else split_list(str(cell))


def text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def per_distinct(fn: Callable[..., Any], *columns: pd.Series) -> np.ndarray:
    """``[fn(*values) for values in zip(*columns)]`` as an object array, with ``fn`` called once per
    distinct combination of values rather than once per row: the columns formatted here repeat a
    few hundred dates, cities and sentences over any number of rows. Missing values reach ``fn`` as
    None."""
    if len(columns) == 1:
        codes, uniques = pd.factorize(columns[0], use_na_sentinel=True)
        results = np.empty(len(uniques) + 1, dtype=object)  # the last for a missing value (code -1)
        results[:-1] = [fn(v) for v in uniques.tolist()]  # tolist: far faster than iterating
        results[-1] = fn(None)
        return results[codes]
    keys = np.zeros(len(columns[0]), dtype=np.int64)
    levels = []
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        missing = len(uniques)  # a missing value gets the code after the last distinct one
        levels.append([*uniques.tolist(), None])
        keys = keys * (missing + 1) + np.where(codes < 0, missing, codes)
    inverse, distinct = pd.factorize(keys)
    results = np.empty(len(distinct), dtype=object)
    for i, key in enumerate(distinct.tolist()):
        values = []
        for level in reversed(levels):
            key, code = divmod(key, len(level))
            values.append(level[code])
        results[i] = fn(*reversed(values))
    return results[inverse]


def filled_text(column: pd.Series, empty: str = "") -> Any:
    """``[text(v) or empty for v in column]``, vectorised for a text column: its cells are mostly
    distinct (summaries, notes), so :func:`per_distinct` would only add the cost of hashing them."""
    if not pd.api.types.is_string_dtype(column) or isinstance(column.dtype, pd.CategoricalDtype):
        return per_distinct(lambda v: text(v) or empty, column)
    values = column.astype("str")  # the dtype a list of str gets (pandas' default string dtype)
    values = values.fillna(empty)
    return values.where(values != "", empty).array


def _lists(values: np.ndarray) -> list[list[str]]:
    """List cells from :func:`per_distinct`, each row its own list (a shared one could be changed for all)."""
    return [list(v) for v in values]


#: A date's precision as a table's short column says it (the Date column holds the first day).
PRECISION_LABELS = {"day": "day", "week": "week", "month": "month only", "year": "year only"}


def dates_of(values: pd.Series) -> list:
    """Dates as date values (a table sorts them by time, a spreadsheet gets date cells); ``None``
    where the source gives none."""
    return per_distinct(lambda v: None if v is None else pd.Timestamp(v).date(), values).tolist()


def precision_labels(precision: pd.Series, lang: str = "en") -> list[str]:
    return per_distinct(lambda p: "" if p is None else label(str(p), lang, "date_precision"), precision).tolist()


def sentence_months(frame: pd.DataFrame) -> pd.Series:
    """The sentence in months as one number to sort by: the longest term of a range (the shortest
    when only that is stated); missing when neither is."""
    return frame["sentence_months_max"].fillna(frame["sentence_months_min"]).astype("Int64").reset_index(drop=True)


#: The last two names of a list, joined: ``Almaty and Shymkent``, ``fine or probation``.
JOINS = {"and": N_("{names} and {last}"), "or": N_("{names} or {last}")}


def join_names(names: list[str], lang: str = "en", word: str = "and") -> str:
    """``Almaty, Aktobe and Shymkent`` (``word="or"``: ``… or …``), in ``lang``."""
    if len(names) <= 1:
        return "".join(names)
    return translation(lang).gettext(JOINS[word]).format(names=", ".join(names[:-1]), last=names[-1])


def web_link(url: object) -> str | None:
    """``url`` when it is an http(s) address (a Markdown link to anything else is not made)."""
    value = text(url)
    return value if re.match(r"https?://[^\s()<>]+$", value) else None


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pandas' ``to_markdown`` needs the tabulate package,
    which nothing else here uses)."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


#: An official figure with how exact it is (``about 1,400``), one message per qualifier.
FIGURES = {
    "approx": N_("about {figure}"),
    "at_least": N_("at least {figure}"),
    "more_than": N_("more than {figure}"),
}


def official_figure(value: Any, qualifier: object, as_of: object = None, lang: str = "en") -> str:
    """``about 1,400 (1 Jun 2024)``, or ``about 1,400`` without ``as_of``; ``not stated`` without a figure."""
    tr = translation(lang)
    if value is None or pd.isna(value):
        return tr.gettext(NOT_STATED)
    number = tr.number(int(value))
    template = FIGURES.get(str(qualifier))
    figure = tr.gettext(template).format(figure=number) if template else number
    return figure if as_of is None or pd.isna(as_of) else f"{figure} ({day_text(pd.Timestamp(as_of), lang)})"


#: A Criminal Code article as the reader's language cites it: ``art. 272 part 2``, ``ст. 272 ч. 2``.
ARTICLE_PART = NC_("article", "art. {article} part {part}")

ARTICLE = NC_("article", "art. {article}")


def article_label(ref: str, lang: str = "en") -> str:
    """``272-2`` -> ``art. 272 part 2``, ``ст. 272 ч. 2``, ``272-бап 2-бөлік``; ``272`` -> ``art. 272``."""
    tr = translation(lang)
    article, _, part = ref.partition("-")
    if part:
        return tr.pgettext(*ARTICLE_PART).format(article=article, part=part)
    return tr.pgettext(*ARTICLE).format(article=article)


def with_marker(table: pd.DataFrame, frame: pd.DataFrame, after: str) -> pd.DataFrame:
    """``table`` with a :data:`MARKER` column after ``after`` when ``frame`` carries warnings."""
    if WARNINGS_COLUMN not in frame:
        return table
    table = table.copy()
    table.insert(table.columns.get_loc(after) + 1, MARKER, frame[WARNINGS_COLUMN].to_list())
    return table
