"""Display formatting: sentences, dates with their precision, and the frames the pages show.

Pure functions over the typed frames of :mod:`geo.data.dataset`; the pages only lay them out.
Text from the data stays plain text here: nothing is marked up, so the pages must show it
with elements that do not interpret Markdown or HTML (tables, ``st.text``), through
:mod:`geo.views.reader_text` (which also keeps it from reordering the page's own words).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.data.dataset import (
    ARTICLE_TITLE_ORIGINS,
    ARTICLE_TITLES,
    COURT_NAME_ORIGINS,
    COURT_NAMES,
    MARKER,
    TITLE_SEPARATOR,
    WARNINGS_COLUMN,
    row_warnings,
)
from geo.data.validate import Report, split_list
from geo.i18n import N_, count_text, enum_label, format_day, format_month, translation
from geo.i18n.enums import COUNTS, ENUMS, NC_, NP_
from geo.i18n.fields import place_name, summary_text
from geo.query.filters import Filters
from geo.views.charge_wording import frame_wording, row_wording, worded_charges
from geo.views.per_table import per_table
from geo.views.person_names import person_label, showing_results_for
from geo.views.reader_text import escape_markdown as escape_markdown  # the pages escape fixed pieces with it
from geo.views.reader_text import markdown_text, plain_text

if TYPE_CHECKING:
    from geo.data.provenance import Provenance
    from geo.query.view import View

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


def city_label(name: object, name_ru: object = None, name_kk: object = None, lang: str = "en") -> str:
    """``Almaty · Алматы``; the Kazakh name is added when it differs (``… · Өскемен``). The reader's
    language's name comes first (``Өскемен · Ust-Kamenogorsk · Усть-Каменогорск`` in Kazakh)."""
    order = {"ru": (name_ru, name, name_kk), "kk": (name_kk, name, name_ru)}.get(lang, (name, name_ru, name_kk))
    parts: list[str] = []
    for other in order:
        if other is not None and not pd.isna(other) and str(other).strip() and str(other) not in parts:
            parts.append(str(other))
    return " · ".join(parts)


@per_table
def city_labels(locations: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """location_id -> label in every script, the reader's first, for the cities multiselect (typing
    either script matches). Labels are unique: where two places share one (Kazakhstan has several
    Aksu), each gets its region, else its id, in brackets."""
    base = {
        row.location_id: city_label(row.name, row.name_ru, row.name_kk, lang)
        for row in locations.itertuples(index=False)
    }
    shared = {label for label in base.values() if list(base.values()).count(label) > 1}
    regions = dict(zip(locations["location_id"], locations["region"])) if "region" in locations else {}

    def qualifier(ident: str) -> str:
        region = regions.get(ident)
        return str(region) if region is not None and not pd.isna(region) else ident

    labels = {ident: f"{label} ({qualifier(ident)})" if label in shared else label for ident, label in base.items()}
    still = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    # two places of one name in one region: their ids tell them apart
    return {ident: f"{base[ident]} ({ident})" if label in still else label for ident, label in labels.items()}


@per_table
def city_names(locations: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """location_id -> name in ``lang`` (the English one where the data has none), for :func:`describe`."""
    if lang == "en":
        return dict(zip(locations["location_id"], locations["name"].astype(str)))
    return {
        row.location_id: place_name(row.name, row.name_ru, row.name_kk, lang)
        for row in locations.itertuples(index=False)
    }


def items(cell: object) -> list[str]:
    """A ``;`` list cell as a list ([] when empty)."""
    return [] if cell is None or pd.isna(cell) else split_list(str(cell))


def text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


@per_table
def source_labels(sources: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """source_id -> ``src-3: Eurasianet, 18 Jul 2022`` (``publisher unknown`` where the data has
    none), the words and date in ``lang``."""
    unknown = translation(lang).gettext(PUBLISHER_UNKNOWN)
    out = {}
    for row in sources.itertuples(index=False):
        who = text(row.publisher) or unknown
        out[row.source_id] = f"{row.source_id}: {who}, {format_date(row.published, row.published_precision, lang)}"
    return out


@per_table
def source_citations(sources: pd.DataFrame) -> dict[str, str]:
    """source_id -> ``Kazakhstan: … (Eurasianet, 18 Jul 2022) https://…``, a source as a download cites it:
    by title, publisher, date and address rather than by id."""
    out = {}
    for row in sources.itertuples(index=False):
        values = {
            "title": text(row.title) or "no headline in the stored copy",
            "publisher": text(row.publisher) or "publisher unknown",
            "date": format_date(row.published, row.published_precision) if text(row.published) else "date not stated",
            "url": text(row.url),
        }
        template = "{title} ({publisher}, {date}) {url}" if values["url"] else "{title} ({publisher}, {date})"
        out[row.source_id] = template.format(**values)
    return out


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


#: Columns of :func:`cases_table`, in order (the Cases page configures each one).
CASE_COLUMNS = [
    "Case",
    "Date",
    "Precision",
    "City",
    "People",
    "Sentence",
    "Months",
    "Outcome",
    "Instance",
    "Names",
    "Sentence type",
    "Role",
    "Charges",
    "Articles",
    "Court",
    "Reviews",
    "Disputed",
    "Summary",
    "Sources",
    "Note",
]


#: The columns of a one-city table under the map: the city is the one clicked, so its court takes
#: the city's place; the longer texts stay for the Cases page.
CITY_CASE_COLUMNS = [
    "Case",
    MARKER,
    *(
        "Court" if column == "City" else column
        for column in CASE_COLUMNS[1:]
        if column not in ("Charges", "Articles", "Court", "Reviews", "Note")
    ),
]


#: Headers of the readable columns of a download (CSV and Excel), by their :func:`cases_table`
#: column, with their catalog context: :func:`file_header` gives them in the reader's language.
#: The id columns beside them keep their names from datapackage.json in every language.
#: The column :func:`cases_table` adds for a file: the date in words, as precise as its sources.
DATE_AS_STATED = "Date (as stated)"

FILE_HEADER_MESSAGES = {
    # No header equals an id column's name but for case ("Outcome" beside "outcome"): a file loaded into a
    # database whose column names ignore case (SQLite, for one) would have the same column twice.
    DATE_AS_STATED: NC_("column", "Date (as stated)"),
    "City": NC_("column", "Court city"),
    "Instance": NC_("column", "Court instance"),
    "Outcome": NC_("column", "Decision outcome"),
    "Role": NC_("column", "Defendants' role"),
    "Names": NC_("column", "Names"),
    "Charges": NC_("column", "Charges by article"),
    "Court": NC_("column", "Court name"),
    "Sentence type": NC_("column", "Sentence type"),
    "Sentence": NC_("column", "Sentence"),
    "Months": NC_("column", "Sentence in months"),
    "Disputed": NC_("column", "Disputed values"),
    "Sources": NC_("column", "Sources"),
}
#: The English headers (the msgids), by :func:`cases_table` column.
FILE_HEADERS = {column: message for column, (_, message) in FILE_HEADER_MESSAGES.items()}


def file_header(column: str, lang: str = "en") -> str:
    """The header of a download's readable column (a :func:`cases_table` column) in ``lang``."""
    return translation(lang).pgettext(*FILE_HEADER_MESSAGES[column])


#: Between the items of a list cell in a download (names, disputed values, sources).
FILE_LIST_SEPARATOR = "; "


def court_city(location_id: object, precision: object, cities: Mapping[str, str], lang: str = "en") -> str:
    tr = translation(lang)
    if not text(location_id):
        return tr.gettext("court city not stated")
    city = cities.get(str(location_id), str(location_id))
    if text(precision) == "region":
        # Translators: the sources name the region of the court, not its town.
        return tr.gettext("{city} (region only)").format(city=city)
    return city


def court_name(row: Any, lang: str = "en", say_origin: bool = False) -> str:
    """The court of a decision (a row of ``Dataset.convictions``) in ``lang``: its name from
    courts.csv (:data:`~geo.data.dataset.COURT_NAMES`), else the sources' text in ``court``, else
    ``not stated``. ``say_origin``: a name no source gives says so (``… (translated here, not
    from a source)``)."""
    name = text(getattr(row, COURT_NAMES[lang], None))
    if name and say_origin and text(getattr(row, COURT_NAME_ORIGINS.get(lang, ""), None)) == "translated":
        return f"{name} ({label('translated', lang, 'wording')})"
    return name or text(getattr(row, "court", None)) or translation(lang).gettext(NOT_STATED)


def court_names(frame: pd.DataFrame, lang: str = "en") -> Any:
    """:func:`court_name` of each row of ``frame``."""
    named = COURT_NAMES[lang]
    if named not in frame:
        return filled_text(frame["court"], translation(lang).gettext(NOT_STATED))
    not_stated = translation(lang).gettext(NOT_STATED)
    return per_distinct(lambda n, c: text(n) or text(c) or not_stated, frame[named], frame["court"])


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


def charge_items(
    refs: object,
    titles: object,
    charges: object,
    lang: str = "en",
    origins: object = None,
    worded: tuple[object, object] = (None, None),
    say_origin: bool = False,
) -> list[str]:
    """A decision's charges in ``lang``: each Criminal Code article with its title in that language
    (``titles``: the :data:`~geo.data.dataset.ARTICLE_TITLES` cell, one per article, empty where
    the data has none); without articles, the charges as the row words them in that language
    (``worded``: :func:`geo.views.charge_wording.row_wording`), else in English (``charges``);
    ``[]`` when neither is given. ``origins`` (the :data:`~geo.data.dataset.ARTICLE_TITLE_ORIGINS`
    cell): a title no source gives says so; ``say_origin``: a wording no source gives says so."""
    articles = items(refs)
    if not articles:
        return worded_charges(charges, *worded, lang, say_origin=say_origin)
    named = text(titles).split(TITLE_SEPARATOR) if text(titles) else []
    whence = text(origins).split(TITLE_SEPARATOR) if text(origins) else []
    out = []
    for i, ref in enumerate(articles):
        title = named[i].strip() if i < len(named) else ""
        if title and i < len(whence) and whence[i] == "translated":
            title = f"{title} ({label('translated', lang, 'wording')})"
        cited = article_label(ref, lang)
        # An article and its title are joined by a colon in all three languages.
        out.append(f"{cited}: {title}" if title else cited)
    return out


#: The columns a ``disputed`` value names, as the reader's language calls them.
DISPUTED_FIELDS = {
    "verdict_date": NC_("disputed_field", "date"),
    "date_start": NC_("disputed_field", "date"),
    "date_end": NC_("disputed_field", "end date"),
    "as_of": NC_("disputed_field", "date"),
    "location_id": NC_("disputed_field", "court city"),
    "court": NC_("disputed_field", "court"),
    "court_id": NC_("disputed_field", "court"),
    "instance": NC_("disputed_field", "court instance"),
    "outcome": NC_("disputed_field", "outcome"),
    "defendants": NC_("disputed_field", "number of defendants"),
    "charges": NC_("disputed_field", "charges"),
    "code_articles": NC_("disputed_field", "Criminal Code articles"),
    "sentence_type": NC_("disputed_field", "sentence type"),
    "sentence_months_min": NC_("disputed_field", "shortest term in months"),
    "sentence_months_max": NC_("disputed_field", "longest term in months"),
    "fatalities": NC_("disputed_field", "deaths"),
    "value": NC_("disputed_field", "figure"),
    "name": NC_("disputed_field", "name"),
}


def disputed_field(field: str, lang: str = "en") -> str:
    """A column a ``disputed`` value names, in ``lang``; one not listed in :data:`DISPUTED_FIELDS`
    by its words (``sentence_type`` -> ``sentence type``)."""
    if field in DISPUTED_FIELDS:
        return translation(lang).pgettext(*DISPUTED_FIELDS[field])
    return field.replace("_", " ")


def disputed_sources(cell: object) -> list[str]:
    """The source ids a ``disputed`` cell cites: ``sentence_months_max: 186 (src-1, src-2)`` -> ``[src-1, src-2]``."""
    out = []
    for item in items(cell):
        value, _, sources = item.partition(": ")[2].rpartition(" (")
        if value:
            out += [s.strip() for s in sources.rstrip(")").split(",") if s.strip()]
    return out


def disputed_items(cell: object, cited: Mapping[str, str], lang: str = "en") -> list[str]:
    """``sentence_months_max: 186 (src-1)`` -> ``longest term in months: 186 — src-1: RFE/RL, 5 May 2023``,
    the column named in ``lang`` (``cited``: :func:`source_labels` in that language too); the
    value is the data's, as the sources give it."""
    out = []
    for item in items(cell):
        field, _, rest = item.partition(": ")
        value, _, sources = rest.rpartition(" (")
        names = [cited.get(s.strip(), s.strip()) for s in sources.rstrip(")").split(",")]
        out.append(f"{disputed_field(field, lang)}: {value} — {'; '.join(names)}" if value else item)
    return out


def summaries(frame: pd.DataFrame, lang: str = "en") -> Any:
    """The decisions' summaries a reader of ``lang`` gets: the Russian one for Russian and Kazakh
    readers where the data has it, else the English one (the decision's details say which)."""
    english = filled_text(frame["summary"])
    if lang == "en" or "summary_ru" not in frame:
        return english
    russian = filled_text(frame["summary_ru"])
    return [ru or en for ru, en in zip(russian, english)]


def names_of(frame: pd.DataFrame, lang: str = "en", for_file: bool = False) -> Any:
    """The Names cell of each decision: its named people by :func:`person_label`, in the reader's
    script (a file adds the other script beside, and joins them as text)."""

    def labels(latin: object, cyrillic: object) -> list[str]:
        pairs = zip(items(latin), items(cyrillic) or items(latin))
        return [person_label(a, b, lang, beside=for_file) for a, b in pairs]

    cyrillic = frame["defendant_names_ru"] if "defendant_names_ru" in frame else frame["defendant_names"]
    if for_file:
        return per_distinct(lambda a, b: FILE_LIST_SEPARATOR.join(labels(a, b)), frame["defendant_names"], cyrillic)
    return _lists(per_distinct(labels, frame["defendant_names"], cyrillic))


def cases_table(
    convictions: pd.DataFrame,
    locations: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    for_file: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """The decisions as the Cases page shows them; one row per decision, in the order of the
    rows given (sort first). List cells become Python lists.

    ``for_file``: the same columns as a download holds them: list cells as text (items joined by
    :data:`FILE_LIST_SEPARATOR`), sources cited by title, publisher, date and address
    (:func:`source_citations`) instead of their short labels, no warnings column, and the date as
    the sources state it (:data:`DATE_AS_STATED`, ``Apr 2023 (month)``) after Precision.
    ``lang``: the language of the readable cells (ids and data text stay as they are)."""
    cities = city_labels(locations, lang)
    cited = source_labels(sources, lang)
    frame = convictions
    not_stated = translation(lang).gettext(NOT_STATED)

    def labels(column: str) -> np.ndarray:
        return per_distinct(lambda v: label(text(v), lang, column), frame[column])

    def texts(column: str, empty: str = "") -> Any:
        return filled_text(frame[column], empty)

    if for_file:
        citations = source_citations(sources)
        join = FILE_LIST_SEPARATOR.join

        def listed(column: str, fn: Callable[[object], list[str]]) -> Any:
            return per_distinct(lambda v: join(fn(v)), frame[column])

    else:

        def listed(column: str, fn: Callable[[object], list[str]]) -> Any:
            return _lists(per_distinct(fn, frame[column]))

    shown_sources = citations if for_file else cited
    table = pd.DataFrame(
        {
            "Case": frame["case_id"].astype(str).to_list(),
            "Date": dates_of(frame["verdict_date"]),
            "Precision": precision_labels(frame["date_precision"], lang),
            "City": per_distinct(
                lambda c, p: court_city(c, p, cities, lang), frame["location_id"], frame["location_precision"]
            ),
            "People": frame["defendants"].astype("int64").to_list(),
            "Sentence": per_distinct(
                lambda a, b: format_sentence(a, b, lang), frame["sentence_months_min"], frame["sentence_months_max"]
            ),
            "Months": sentence_months(frame),
            "Outcome": labels("outcome"),
            "Instance": labels("instance"),
            "Names": names_of(frame, lang, for_file),
            "Sentence type": labels("sentence_type"),
            "Role": labels("defendant_role"),
            "Charges": per_distinct(
                lambda r, t, c, w, o: "; ".join(charge_items(r, t, c, lang, worded=(w, o))) or not_stated,
                frame["code_articles"],
                frame.get(ARTICLE_TITLES[lang], pd.Series(pd.NA, index=frame.index, dtype="string")),
                frame["charges"],
                *frame_wording(frame, lang),
            ),
            "Articles": listed("code_articles", items),
            "Court": court_names(frame, lang),
            "Reviews": texts("appeal_of"),
            "Disputed": listed("disputed", lambda v: disputed_items(v, cited, lang)),
            "Summary": summaries(frame, lang),
            "Sources": listed("source_ids", lambda v: [shown_sources.get(s, s) for s in items(v)]),
            "Note": texts("note"),
        },
        columns=CASE_COLUMNS,
    )
    if not for_file:
        return with_marker(table, frame, after="Case")
    stated = per_distinct(lambda d, p: format_date(d, p, lang), frame["verdict_date"], frame["date_precision"])
    table.insert(table.columns.get_loc("Precision") + 1, DATE_AS_STATED, stated)
    return table


# --- downloads: what a file says about itself ------------------------------------------------

#: Sheet names of the Excel download in English (Excel allows 31 characters). A download in
#: Russian or Kazakh names its sheets in that language (:func:`sheet_name`), as it does its About
#: sheet and its readable headers: the sheets are for reading, and a script finds them by their
#: order, which is the same in every language (Decisions, Sources, About).
SHEETS = {"decisions": "Decisions", "sources": "Sources", "about": "About"}
SHEET_MESSAGES = {
    "decisions": NC_("sheet", "Decisions"),
    "sources": NC_("sheet", "Sources"),
    "about": NC_("sheet", "About"),
}


def sheet_name(key: str, lang: str = "en") -> str:
    """The name of an Excel download's sheet (``decisions``, ``sources``, ``about``) in ``lang``."""
    return translation(lang).pgettext(*SHEET_MESSAGES[key])


#: Notes on the Decisions sheet's header cells, by column (an id column, or a cases_table column).
FILE_HEADER_NOTES = {
    "verdict_date": N_(
        "A date cell. Where only the month or the year is known (date_precision month or year), it holds "
        "the first day of that month or year; '{column}' says what the sources give."
    ),
    DATE_AS_STATED: N_("The date as precise as the sources give it: '(month)' means only the month is known."),
}


def file_header_notes(lang: str = "en") -> dict[str, str]:
    """The notes of the Decisions sheet's header cells, by the header they go on, in ``lang``."""
    tr = translation(lang)
    stated = file_header(DATE_AS_STATED, lang)
    return {
        "verdict_date": tr.gettext(FILE_HEADER_NOTES["verdict_date"]).format(column=stated),
        stated: tr.gettext(FILE_HEADER_NOTES[DATE_AS_STATED]),
    }


def download_rows_note(
    city: str | None, unplaced: bool, who: str, lang: str = "en", near: list[tuple[str, str]] | None = None
) -> str | None:
    """What narrows a download's rows beyond the filter: one city of it, the decisions not on the
    map, a search of the decisions (and, where it found nothing as typed, the ``near`` names whose
    decisions it holds instead); None when nothing does. In ``lang``."""
    note = _rows_note(city, unplaced, who.strip(), lang)
    if note and near and who.strip():
        return f"{note} {showing_results_for(who, near, lang)}"
    return note


def _rows_note(city: str | None, unplaced: bool, who: str, lang: str) -> str | None:
    tr = translation(lang)
    if city and who:
        return tr.gettext('Only the decisions in {city} that the search "{who}" finds.').format(city=city, who=who)
    if city:
        return tr.gettext("Only the decisions in {city}.").format(city=city)
    if unplaced and who:
        return tr.gettext(
            'Only the decisions whose court city is not stated or not geocoded and that the search "{who}" finds.'
        ).format(who=who)
    if unplaced:
        return tr.gettext("Only the decisions whose court city is not stated or not geocoded.")
    if who:
        return tr.gettext('Only the decisions that the search "{who}" finds.').format(who=who)
    return None


def about_rows(
    description: str,
    rows_note: str | None,
    decisions: int,
    exported_at: str,
    title: str,
    version: str,
    licence: str,
    licence_url: str,
    citation: str = "",
    order: str = "",
    lang: str = "en",
) -> list[tuple[str, str | int]]:
    """The About sheet of an Excel download, as (label, value) rows: what the file holds, when it was
    made, from which dataset, how to cite it, and how to read its dates and apostrophes. Rows with
    nothing to say (no citation or order given, no licence address) are left out. Labels and
    explanations in ``lang``; the values are given (the description and order in ``lang`` too)."""
    tr = translation(lang)
    not_stated = tr.gettext(NOT_STATED)
    rows: list[tuple[str, str | int]] = [
        (tr.pgettext("about_sheet", "Filter"), description),
        (tr.pgettext("about_sheet", "Rows"), rows_note or ""),
        (tr.pgettext("about_sheet", "Order"), order),
        (tr.pgettext("about_sheet", "Decisions in this file"), decisions),
        (tr.pgettext("about_sheet", "Exported (UTC)"), exported_at),
        (tr.pgettext("about_sheet", "Dataset"), title),
        (tr.pgettext("about_sheet", "Dataset version"), version or not_stated),
        (tr.pgettext("about_sheet", "Citation"), citation),
        (tr.pgettext("about_sheet", "Licence"), licence or not_stated),
        (tr.pgettext("about_sheet", "Licence address"), licence_url),
        (
            tr.pgettext("about_sheet", "Sheets"),
            tr.gettext(
                "{decisions}: one row per court decision. {sources}: every source the decisions cite. "
                "{about}: this sheet."
            ).format(**{key: sheet_name(key, lang) for key in SHEETS}),
        ),
        (
            tr.pgettext("about_sheet", "Columns"),
            tr.gettext(
                "Each column of convictions.csv keeps its name and its stable values (ids, codes, months, "
                "ISO dates); a readable column follows the ones it explains, as the Cases page shows them."
            ),
        ),
        (tr.pgettext("about_sheet", "Dates"), file_header_notes(lang)["verdict_date"]),
        (
            tr.pgettext("about_sheet", "Apostrophes"),
            tr.gettext(
                "Text that a spreadsheet would run as a formula (starting with =, +, - or @, also behind "
                "spaces or invisible characters) starts with an added apostrophe here; the data holds it "
                "without one."
            ),
        ),
    ]
    return [(name, value) for name, value in rows if value != ""]


#: How the Cases table can be sorted (keys: geo.query.view.SORTS).
SORT_LABELS = {
    "oldest": N_("Date, oldest first"),
    "newest": N_("Date, newest first"),
    "longest": N_("Sentence, longest first"),
    "shortest": N_("Sentence, shortest first"),
    "people": N_("People, most first"),
    "city": N_("Court city, A–Z"),
}


#: How the two sentence orders read a range (the About page and the sort box's help say it).
SORT_RULE = N_(
    "Sorting by sentence: shortest first orders by the lower bound of a range, longest first by its upper "
    "bound, so 1 y – 20 y comes early in both; ties go by the other bound, then by date. Decisions with no "
    "term stated come last."
)


def sort_label(sort: str, lang: str = "en") -> str:
    return translation(lang).gettext(SORT_LABELS[sort])


def cases_count(decisions: int, people: int, breakdown: str, lang: str = "en") -> str:
    """``12 court decisions, 15 people: 14 convicted, 1 acquitted``."""
    counts = f"{count_text('decisions', decisions, lang)}, {count_text('people', people, lang)}"
    return f"{counts}: {breakdown}" if breakdown else counts


def web_link(url: object) -> str | None:
    """``url`` when it is an http(s) address (a Markdown link to anything else is not made)."""
    value = text(url)
    return value if re.match(r"https?://[^\s()<>]+$", value) else None


def decision_markdown(row, locations: pd.DataFrame, sources: pd.DataFrame, lang: str = "en") -> str:
    """One decision in full, as Markdown with every data value escaped: what it was, its whole
    summary (Russian for Russian and Kazakh readers where the data has it, with a note saying which
    language it is in when it is not the reader's), and each source with its link."""
    cities = city_labels(locations, lang)
    tr = translation(lang)
    e = markdown_text
    not_stated = tr.gettext(NOT_STATED)
    when = format_date(row.verdict_date, row.date_precision, lang)
    where = court_city(row.location_id, row.location_precision, cities, lang)
    instance, outcome = label(text(row.instance), lang, "instance"), label(text(row.outcome), lang, "outcome")
    head = f"**{e(str(row.case_id))}** · {e(when)} · {e(where)} · {e(instance)}: {e(outcome)}"
    summary, note = summary_text(row.summary, getattr(row, "summary_ru", None), lang)
    lines = [head, "", e(summary or tr.gettext("No summary."))]
    if note:
        lines += ["", f"*{e(note)}*"]
    sentence = format_sentence(row.sentence_months_min, row.sentence_months_max, lang)
    charges = charge_items(
        row.code_articles,
        getattr(row, ARTICLE_TITLES[lang], None),
        row.charges,
        lang,
        getattr(row, ARTICLE_TITLE_ORIGINS[lang], None),
        row_wording(row, lang),
        say_origin=True,
    )
    facts = [
        (tr.pgettext("column", "Court"), court_name(row, lang, say_origin=True)),
        *(
            [(tr.gettext("Court, as the sources describe it"), text(row.court))]
            if text(getattr(row, COURT_NAMES[lang], None)) and text(row.court)
            else []
        ),
        (tr.pgettext("column", "Charges"), "; ".join(charges) or not_stated),
        *(
            [(tr.gettext("Charges, as the sources word them (English)"), text(row.charges))]
            if text(row.charges) and charges != [text(row.charges)]
            else []
        ),
        (tr.pgettext("column", "Sentence"), f"{label(text(row.sentence_type), lang, 'sentence_type')}, {sentence}"),
    ]
    lines += ["", *(f"- {name}: {e(value)}" for name, value in facts)]
    by_id = sources.set_index("source_id")
    lines += ["", f"{tr.pgettext('column', 'Sources')}:"]
    for source in items(row.source_ids):
        if source not in by_id.index:
            lines.append(f"- {e(source)}")
            continue
        s = by_id.loc[source]
        title = e(text(s["title"]) or tr.gettext(NO_HEADLINE))
        url = web_link(s["url"])
        shown = f"[{title}]({url})" if url else title
        lines.append(
            "- {id}: {shown} — {publisher}, {published}".format(
                id=e(source),
                shown=shown,
                publisher=e(text(s["publisher"]) or tr.gettext(PUBLISHER_UNKNOWN)),
                published=e(format_date(s["published"], s["published_precision"], lang)),
            )
        )
    return "\n".join(lines)


#: What a source without a stored headline or a publisher is called.
NO_HEADLINE = N_("no headline in the stored copy")
PUBLISHER_UNKNOWN = N_("publisher unknown")


#: Columns of :func:`people_table`.
PEOPLE_COLUMNS = [
    "Person",
    "Name",
    "Date",
    "Precision",
    "Instance",
    "Case",
    "City",
    "Role",
    "Outcome",
    "Sentence type",
    "Sentence",
    "Months",
    "Disputed",
    "Note",
    "Sources",
]


def people_table(
    people: pd.DataFrame, locations: pd.DataFrame, sources: pd.DataFrame, lang: str = "en"
) -> pd.DataFrame:
    """One row per person per decision (``Dataset.defendants``), in the order given: sorted by
    person then date, a person's path through the courts reads down the table. ``lang``: the
    language of the readable cells."""
    cities = city_labels(locations, lang)
    cited = source_labels(sources, lang)
    frame = people
    tr = translation(lang)

    def unnamed(count: object) -> str:
        n = int(count)  # type: ignore[call-overload]  # a pandas scalar
        return tr.ngettext("{count} person not named", "{count} people not named", n).format(count=tr.number(n))

    table = pd.DataFrame(
        {
            "Person": frame["person_id"].astype(str).to_list(),
            "Name": [person_label(n, r, lang) or unnamed(c) for n, r, c in zip(*names(frame), frame["count"])],
            "Date": dates_of(frame["verdict_date"]),
            "Precision": precision_labels(frame["date_precision"], lang),
            "Instance": [label(text(v), lang, "instance") for v in frame["instance"]],
            "Case": frame["case_id"].astype(str).to_list(),
            "City": [court_city(c, None, cities, lang) for c in frame["location_id"]],
            "Role": [label(text(v), lang, "role") for v in frame["role"]],
            "Outcome": [label(text(v), lang, "outcome") for v in frame["outcome"]],
            "Sentence type": [label(text(v), lang, "sentence_type") for v in frame["sentence_type"]],
            "Sentence": [
                format_sentence(a, b, lang) for a, b in zip(frame["sentence_months_min"], frame["sentence_months_max"])
            ],
            "Months": sentence_months(frame),
            "Disputed": [disputed_items(v, cited, lang) for v in frame["disputed"]],
            "Note": [text(v) for v in frame["note"]],
            "Sources": [[cited.get(s, s) for s in items(v)] for v in frame["source_ids"]],
        },
        columns=PEOPLE_COLUMNS,
    )
    return with_marker(table, frame, after="Person")


def names(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The Latin and Cyrillic names of people rows: the person's (people.csv) where the rows carry
    them, else the row's own."""
    if "person_name" in frame:
        return frame["person_name"], frame["person_name_ru"]
    return frame["name"], frame["name_ru"]


def person_path(people: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """Every decision about one person, oldest first (undated last)."""
    rows = people[(people["person_id"] == person_id).to_numpy(dtype=bool, na_value=False)]
    return rows.sort_values(["period_start", "case_id"], na_position="last", kind="stable")


def path_step(row, cities: Mapping[str, str], lang: str = "en") -> str:
    """One line of a person's path: ``24 Apr 2023 · Astana · first instance: convicted, imprisonment 18 y``."""
    where = plain_text(court_city(row.location_id, None, cities, lang))
    has_term = not (pd.isna(row.sentence_months_min) and pd.isna(row.sentence_months_max))
    sentence = format_sentence(row.sentence_months_min, row.sentence_months_max, lang)
    kind = label(text(row.sentence_type), lang, "sentence_type")
    said = f"{kind} {sentence}" if has_term else kind
    return (
        f"{format_date(row.verdict_date, row.date_precision, lang)} · {where} · "
        f"{label(text(row.instance), lang, 'instance')}: {label(text(row.outcome), lang, 'outcome')}, "
        f"{said} ({row.case_id})"
    )


#: A person's decisions, counted in the box that follows one (``(3 decisions)``).
PERSON_DECISIONS = NP_("count", "{count} decision", "{count} decisions")


@per_table
def person_labels(people: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    """person_id -> ``Karim Masimov · Карим Масимов (3 decisions)`` for the named people, by
    :func:`person_label` (the Cyrillic name first for Russian and Kazakh readers)."""
    latin, cyrillic = names(people)
    named = people.assign(_latin=latin, _cyrillic=cyrillic)[latin.notna().to_numpy()]
    tr = translation(lang)
    out = {}
    for pid, rows in named.groupby("person_id", sort=True):
        first = rows.iloc[0]
        name = person_label(first["_latin"], first["_cyrillic"], lang)
        n = len(rows)
        decisions = tr.npgettext(*PERSON_DECISIONS, n).format(count=tr.number(n))
        out[str(pid)] = f"{name} ({decisions})"
    return out


def by_date(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Oldest first, undated last; ties by id, so the order is stable across filters."""
    return frame.sort_values(["period_start", id_column], na_position="last", kind="stable")


def events_table(events: pd.DataFrame, locations: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    cities = city_labels(locations, lang)
    nationwide = translation(lang).gettext("nationwide or not stated")
    summaries = [
        summary_text(en, ru, lang)[0]
        for en, ru in zip(events["summary"], events["summary_ru"] if "summary_ru" in events else [None] * len(events))
    ]
    table = pd.DataFrame(
        {
            "Event": events["event_id"].astype(str).to_list(),
            "Date": [
                format_date(s, p, lang) + (f" – {format_date(e, p, lang)}" if e is not None and not pd.isna(e) else "")
                for s, e, p in zip(events["date_start"], events["date_end"], events["date_precision"])
            ],
            "City": [cities.get(c, c) if text(c) else nationwide for c in events["location_id"]],
            "Type": [label(text(v), lang, "event_type") for v in events["event_type"]],
            "Summary": summaries,
            "Sources": [items(v) for v in events["source_ids"]],
        }
    )
    return with_marker(table, events, after="Event")


# --- the line under every page's title ---------------------------------------------------------


#: The last two names of a list, joined: ``Almaty and Shymkent``, ``fine or probation``.
JOINS = {"and": N_("{names} and {last}"), "or": N_("{names} or {last}")}


def join_names(names: list[str], lang: str = "en", word: str = "and") -> str:
    """``Almaty, Aktobe and Shymkent`` (``word="or"``: ``… or …``), in ``lang``."""
    if len(names) <= 1:
        return "".join(names)
    return translation(lang).gettext(JOINS[word]).format(names=", ".join(names[:-1]), last=names[-1])


#: Who the defendants were, as the description line names a group of them.
ROLE_PLURALS = {
    "protester": "protesters",
    "activist": "activists",
    "journalist": "journalists",
    "official": "officials",
    "security_officer": "security officers",
    "military": "military",
    "other": "others",
    "unknown": "defendants of unstated role",
}


def describe(
    filters: Filters,
    city_names: Mapping[str, str],
    decisions: int,
    people: Mapping[str, int],
    span: tuple[date, date] | None = None,
    lang: str = "en",
) -> str:
    """One line stating the filter and its result, e.g.
    ``Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (3 convicted, 1 acquitted)``.
    ``people``: ``CaseIndex.people``; ``span``: the full date range, stated when the filter sets none.
    In ``lang``, with its plural forms (``1 решение суда``, ``2 решения суда``, ``5 решений суда``);
    ``city_names``: :func:`city_names` in that language. The parts are joined by commas and a colon
    in all three languages."""
    tr = translation(lang)
    # Names from the data (or the link) are isolated: none can reorder the line's own words.
    place = join_names([plain_text(city_names.get(c, c)) for c in filters.cities], lang) or tr.gettext("All cities")
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    parts = [place]
    if start and end:
        parts.append(f"{day_text(start, lang)} – {day_text(end, lang)}")
    if filters.sentence_types:
        # English keeps the values' own words here ("suspended"); the others, the labels.
        kinds = [
            t.replace("_", " ") if lang == "en" else label(t, lang, "sentence_type") for t in filters.sentence_types
        ]
        parts.append(join_names(kinds, lang, "or"))
    if filters.roles:
        parts.append(join_names([label(t, lang, "role_group") for t in filters.roles], lang, "or"))
    breakdown = people_breakdown(
        people.get("convicted", 0),
        people.get("acquitted", 0),
        people.get("posthumous", 0),
        lang,
        people.get("other", 0),
    )
    detail = f" ({breakdown})" if breakdown else ""
    counts = f"{count_text('decisions', decisions, lang)}, {count_text('people', people['total'], lang)}"
    return f"{', '.join(parts)}: {counts}{detail}"


def description(view: View) -> str:
    """:func:`describe` of a view, in its language."""
    return describe(
        view.filters,
        city_names(view.data.locations, view.lang),
        int(view.selected.sum()),
        view.people,
        view.bounds,
        view.lang,
    )


def window_stamp(filters: Filters, bounds: tuple[date, date], lang: str = "en") -> str:
    """The dates a map draws, stated on the map: ``1 Jan 2022 – 31 Jul 2022``; in the cumulative
    mode (no start) ``Everything up to 31 Jul 2022``; with no date filter at all ``All dates:
    1 Jan 2022 – 11 Jun 2024`` (undated decisions count then too)."""
    tr = translation(lang)
    if filters.start is None and filters.end is None:
        return tr.gettext("All dates: {start} – {end}").format(
            start=day_text(bounds[0], lang), end=day_text(bounds[1], lang)
        )
    end = filters.end or bounds[1]
    if filters.start is None:
        return tr.gettext("Everything up to {end}").format(end=day_text(end, lang))
    if filters.start == end:
        return day_text(end, lang)
    return f"{day_text(filters.start, lang)} – {day_text(end, lang)}"


SIZE_KEY_TITLES = {
    "convicted": N_("Circle area, people convicted:"),
    "decisions": N_("Circle area, court decisions:"),
    "events": N_("Ring size, events:"),
}


def size_key_title(measure: str, lang: str = "en") -> str:
    """What a row of reference circles under the map stands for."""
    return translation(lang).gettext(SIZE_KEY_TITLES[measure])


# --- the notes about rows a view cannot place -------------------------------------------------


def unmapped_note(decisions: int, people: int, lang: str = "en") -> str | None:
    """``2 court decisions (12 people) whose court city is not stated or not geocoded are not on the map.``"""
    if not decisions:
        return None
    return (
        translation(lang)
        .ngettext(
            "{decisions} ({people}) whose court city is not stated or has no coordinates is not on the map; "
            "they are in the counts above and on the Cases page.",
            "{decisions} ({people}) whose court city is not stated or has no coordinates are not on the map; "
            "they are in the counts above and on the Cases page.",
            decisions,
        )
        .format(decisions=count_text("decisions", decisions, lang), people=count_text("people", people, lang))
    )


def approximate_note(decisions: int, lang: str = "en") -> str | None:
    if not decisions:
        return None
    return (
        translation(lang)
        .ngettext(
            "{decisions} is dated only to the week, month or year; each counts in any date range that touches "
            "its period.",
            "{decisions} are dated only to the week, month or year; each counts in any date range that touches "
            "its period.",
            decisions,
        )
        .format(decisions=count_text("decisions", decisions, lang))
    )


def events_unmapped_note(events: int, lang: str = "en") -> str | None:
    if not events:
        return None
    return (
        translation(lang)
        .ngettext(
            "{events} has no city (nationwide or not stated) and is not on the map.",
            "{events} have no city (nationwide or not stated) and are not on the map.",
            events,
        )
        .format(events=count_text("events", events, lang))
    )


def legend_lines(legend: list[Mapping[str, str]]) -> list[str]:
    """One Markdown line per legend entry (colours are Streamlit's ``:color[…]`` names)."""
    return [f":{e['color']}[{e['symbol']}] **{e['label']}** — {e['meaning']}" for e in legend]


# --- timeline ----------------------------------------------------------------------------------


def metric_label(metric: str, lang: str = "en") -> str:
    """``people_in_pretrial_detention`` -> ``People in pretrial detention``, ``Находящиеся под стражей``;
    a metric the catalogs do not know yet: its words, capitalised."""
    if metric in ENUMS["metric"]:
        return enum_label(metric, lang, "metric")
    words = str(metric).replace("_", " ")
    return words[:1].upper() + words[1:]


NATIONAL = N_("Kazakhstan (national)")


def official_table(
    official: pd.DataFrame, places: Mapping[str, str], value_label: str = "Value", lang: str = "en"
) -> pd.DataFrame:
    """Official figures as the Timeline lists them; ``places``: :func:`city_names` in ``lang``."""
    tr = translation(lang)
    not_stated, national = tr.gettext(NOT_STATED), tr.gettext(NATIONAL)
    table = pd.DataFrame(
        {
            "Figure": official["stat_id"].astype(str).to_list(),
            "Place": [national if pd.isna(p) else places.get(str(p), str(p)) for p in official["location_id"]],
            "As of": [format_date(d, p, lang) for d, p in zip(official["as_of"], official["as_of_precision"])],
            value_label: [tr.number(int(v)) for v in official["value"]],
            "Qualifier": [label(text(v), lang, "qualifier") for v in official["qualifier"]],
            "Reported by": [text(v) or not_stated for v in official["reported_by"]],
            "Sources": [items(v) for v in official["source_ids"]],
            "Note": [text(v) for v in official["note"]],
        }
    )
    return with_marker(table, official, after="Figure")


# --- sources -----------------------------------------------------------------------------------


def sources_table(
    sources: pd.DataFrame,
    cited: Mapping[str, Mapping[str, list[str]]],
    mentioned: Mapping[str, list[str]] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """One row per article. ``cited``: :func:`geo.query.aggregates.citations`; ``mentioned``: source_id ->
    city labels the article names (None when ``mentions.csv`` is absent: the column is left out)."""
    tr = translation(lang)
    no_headline, not_stated = tr.gettext(NO_HEADLINE), tr.gettext(NOT_STATED)
    frame = pd.DataFrame(
        {
            "Source": sources["source_id"].astype(str).to_list(),
            "Title": [text(v) or no_headline for v in sources["title"]],
            "Publisher": [text(v) or not_stated for v in sources["publisher"]],
            "Published": [
                format_date(d, p, lang) for d, p in zip(sources["published"], sources["published_precision"])
            ],
            "Copy of": [text(v) for v in sources["via"]],
        }
    )
    if mentioned is not None:
        frame["Cities mentioned"] = [mentioned.get(s, []) for s in frame["Source"]]
    frame["Decisions citing it"] = [cited.get(s, {}).get("convictions", []) for s in frame["Source"]]
    frame["Events citing it"] = [cited.get(s, {}).get("events", []) for s in frame["Source"]]
    frame["Official figures citing it"] = [cited.get(s, {}).get("official_stats", []) for s in frame["Source"]]
    frame["Link"] = [text(v) or None for v in sources["url"]]
    frame["Language"] = [text(v) for v in sources["language"]]
    frame["Note"] = [text(v) for v in sources["note"]]
    return with_marker(frame, sources, after="Source")


def cities_mentioned(mentions: pd.DataFrame, locations: pd.DataFrame, lang: str = "en") -> dict[str, list[str]]:
    """source_id -> labels of the cities the article names, most mentioned first."""
    labels = city_labels(locations, lang)
    rows = mentions[mentions["source_id"].notna().to_numpy(dtype=bool)]
    rows = rows.sort_values(["source_id", "count", "location_id"], ascending=[True, False, True])
    out: dict[str, list[str]] = {}
    for sid, lid, n in zip(rows["source_id"], rows["location_id"], rows["count"]):
        out.setdefault(str(sid), []).append(f"{labels.get(lid, lid)} ({int(n)})")
    return out


# --- rows the validator warned about -----------------------------------------------------------
# A dataset with warnings loads (errors stop it): formula-like or HTML-like text, invisible
# characters, a BOM, an ignored column. The pages say so above their content and mark the rows
# in their tables (geo.data.dataset.flag_warnings), so a researcher sees what to fix and a reader
# knows the text is shown as typed.


def with_marker(table: pd.DataFrame, frame: pd.DataFrame, after: str) -> pd.DataFrame:
    """``table`` with a :data:`MARKER` column after ``after`` when ``frame`` carries warnings."""
    if WARNINGS_COLUMN not in frame:
        return table
    table = table.copy()
    table.insert(table.columns.get_loc(after) + 1, MARKER, frame[WARNINGS_COLUMN].to_list())
    return table


def warnings_note(report: Report, lang: str = "en") -> str | None:
    """One Markdown sentence of fixed wording: the data loaded with N warnings, what that means;
    None without warnings. Where they are is :func:`warnings_places` (plain text)."""
    warnings = report.warnings
    if not warnings:
        return None
    tr, n = translation(lang), len(warnings)
    return tr.ngettext(
        "**The data loaded with {count} warning.** Text that looks like a formula or HTML is shown as typed, "
        "never run, and downloads neutralise formulas. `python -m geo validate` lists the same warnings.",
        "**The data loaded with {count} warnings.** Text that looks like a formula or HTML is shown as typed, "
        "never run, and downloads neutralise formulas. `python -m geo validate` lists the same warnings.",
        n,
    ).format(count=tr.number(n))


#: What every page says when no version of the data has validated (Markdown, fixed wording: no path,
#: no file, no problem from the data reaches a reader).
DATA_UNAVAILABLE = N_(
    "**The data cannot be shown right now.** The data files on this server do not pass validation, and no "
    "earlier version that did is kept here. The problems are in the server's log; `python -m geo validate` "
    "lists them too."
)


def loading_update_note(validated_at: datetime | None, lang: str = "en") -> str:
    """Above every page while a changed version of the data files is being read and validated, off
    the readers' path: the version shown is the one served before (Markdown, fixed wording)."""
    tr = translation(lang)
    if validated_at is None:
        return tr.gettext(
            "**An update to the data is being loaded:** this page shows the version before it until the update "
            "has been checked."
        )
    at = validated_at.astimezone(UTC)
    return tr.gettext(
        "**An update to the data is being loaded:** this page shows the version before it, validated on {day} "
        "at {time} UTC, until the update has been checked."
    ).format(day=day_text(at, lang), time=f"{at:%H:%M}")


def pending_update_note(validated_at: datetime | None, lang: str = "en") -> str:
    """Above every page while the data files on disk do not validate and the last version that did
    is shown (Markdown, fixed wording; the time is the one that version validated, in UTC)."""
    tr = translation(lang)
    if validated_at is None:
        return tr.gettext(
            "**An update to the data is pending:** it does not pass validation yet. This page shows the "
            "last version that passed."
        )
    at = validated_at.astimezone(UTC)
    return tr.gettext(
        "**An update to the data is pending:** it does not pass validation yet. This page shows the last "
        "version that passed, validated on {day} at {time} UTC."
    ).format(day=day_text(at, lang), time=f"{at:%H:%M}")


#: Where the data's warnings are (plain text: file names), one message per piece.
WARNING_LINES = NP_("warnings", "{file} line {lines}", "{file} lines {lines}")
WARNING_ROWS = NP_(
    "warnings", "{count} row is marked {marker} in the tables.", "{count} rows are marked {marker} in the tables."
)


def warnings_places(report: Report, max_lines: int = 8, lang: str = "en") -> str:
    """Where the warnings are, as plain text (it names files: never render it as Markdown), e.g.
    ``In convictions.csv lines 2, 3; sources.csv line 2. 3 rows are marked ⚠ in the tables.``
    Line numbers are written as the files count them, without grouping."""
    tr = translation(lang)
    places: dict[str, list[int]] = {}
    for p in sorted(report.warnings, key=lambda p: (p.file, p.line or 0)):
        lines = places.setdefault(p.file, [])
        if p.line and p.line not in lines:
            lines.append(p.line)
    parts = []
    for file, lines in places.items():
        shown_lines = [str(n) for n in lines[:max_lines]] + (["…"] if len(lines) > max_lines else [])
        parts.append(
            tr.npgettext(*WARNING_LINES, len(lines)).format(file=file, lines=", ".join(shown_lines)) if lines else file
        )
    flagged = sum(len(row_warnings(report, f)) for f in places)
    rows = " " + tr.npgettext(*WARNING_ROWS, flagged).format(count=tr.number(flagged), marker=MARKER) if flagged else ""
    return tr.gettext("In {places}.").format(places="; ".join(parts)) + rows


# --- coverage ----------------------------------------------------------------------------------


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


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pandas' ``to_markdown`` needs the tabulate package,
    which nothing else here uses)."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


# --- the map as an image -----------------------------------------------------------------------

#: What a reference circle of the map image's size key stands for, with its plural forms.
SIZE_KEYS = {
    "convicted": NP_("size_key", "{count} person convicted", "{count} people convicted"),
    "decisions": COUNTS["decisions"],
    "events": COUNTS["events"],
    "mentions": NP_("count", "{count} mention", "{count} mentions"),
}


def source_line(provenance: Provenance, lang: str = "en") -> str:
    """``Data: Kazakhstan, January 2022 (Qantar): … v1.0.0, from 254 news reports; borders: Natural Earth``,
    in ``lang``: one whole sentence with and one without a version (a translation may change any of it)."""
    tr = translation(lang)
    n = provenance.reports
    if provenance.version:
        template = tr.ngettext(
            "Data: {title} v{version}, from {reports} news report; borders: Natural Earth",
            "Data: {title} v{version}, from {reports} news reports; borders: Natural Earth",
            n,
        )
    else:
        template = tr.ngettext(
            "Data: {title}, from {reports} news report; borders: Natural Earth",
            "Data: {title}, from {reports} news reports; borders: Natural Earth",
            n,
        )
    return template.format(title=provenance.title, version=provenance.version, reports=tr.number(n))


def size_key(measure: str, count: int, lang: str = "en") -> str:
    """``10 people convicted``: the label of a reference circle sized for ``count``, in ``lang``."""
    tr = translation(lang)
    return tr.npgettext(*SIZE_KEYS[measure], count).format(count=tr.number(count))


# --- citation and footer -----------------------------------------------------------------------

#: How to cite the dataset, in the form APA gives a data set. One whole sentence per case (with
#: or without authors, with or without a version) for the translation catalogs.
CITATIONS = {
    (True, True): "{authors} ({year}). {title} (version {version}) [Data set]. Licence: {licence}.",
    (True, False): "{authors} ({year}). {title} [Data set]. Licence: {licence}.",
    (False, True): "{title} (version {version}) [Data set]. ({year}). Licence: {licence}.",
    (False, False): "{title} [Data set]. ({year}). Licence: {licence}.",
}
#: APA's "no date".
NO_DATE = "n.d."
LICENCE_NOT_STATED = N_("licence not stated")
#: The footer under every page (Markdown): the dataset's version and licence, and a link to the
#: About page's citation, which opens in a tab of its own.
FOOTER = N_("Qantar map · data v{version} · {licence} · [How to cite]({cite_link})")
FOOTER_NO_VERSION = N_("Qantar map · data version not stated · {licence} · [How to cite]({cite_link})")
#: The About page's section on citing (the anchor of its heading), relative to the page's URL, so
#: that it also works where the dashboard is served under a path prefix.
CITE_ANCHOR = "how-to-cite"
CITE_LINK = f"about#{CITE_ANCHOR}"


def citation_text(provenance: Provenance) -> str:
    """How to cite the dataset, e.g. ``Qantar map contributors (2026). Kazakhstan, January 2022
    (Qantar): events, verdicts and official figures (version 1.0.0) [Data set]. Licence: CC BY 4.0.``
    Plain text: the pages show it in a code block, the downloads write it as it is."""
    template = CITATIONS[bool(provenance.authors), bool(provenance.version)]
    return template.format(
        authors=provenance.authors,
        year=provenance.released[:4] or NO_DATE,
        title=provenance.title,
        version=provenance.version,
        licence=provenance.licence or NOT_STATED,
    )


#: Characters BibTeX (through LaTeX) would read as commands, groups or comments.
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_value(value: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(c, c) for c in value)


def citation_bibtex(provenance: Provenance) -> str:
    """The same citation as a BibTeX ``@misc`` entry (biblatex reads ``version`` too). Each
    author is a group of its own, so that a team's name is not split into given and family
    names. Written here rather than with a BibTeX library: it is one entry of known fields."""
    year = provenance.released[:4]
    key = "_".join(re.findall(r"[a-z0-9]+", (provenance.authors or provenance.title).casefold())[:3] + [year or "nd"])
    authors = " and ".join("{" + bibtex_value(a.strip()) + "}" for a in provenance.authors.split(";") if a.strip())
    fields = [
        ("author", authors),
        ("title", "{" + bibtex_value(provenance.title) + "}"),
        ("year", year),
        ("version", bibtex_value(provenance.version)),
        ("howpublished", "Data set"),
        ("note", bibtex_value(f"Licence: {provenance.licence or NOT_STATED}")),
    ]
    lines = [f"  {name} = {{{value}}}," for name, value in fields if value]
    return "\n".join([f"@misc{{{key},", *lines, "}"])


def footer_text(provenance: Provenance, lang: str = "en", query: str = "") -> str:
    """The footer line (Markdown; the version and licence come from the descriptor, so escaped).
    ``query``: the page's own query string (``lang=ru&city=almaty``), which the link to the
    citation keeps, so that About opens in the reader's language and filter."""
    tr = translation(lang)
    template = tr.gettext(FOOTER if provenance.version else FOOTER_NO_VERSION)
    return template.format(
        version=markdown_text(provenance.version),
        licence=markdown_text(provenance.licence or tr.gettext(LICENCE_NOT_STATED)),
        cite_link=cite_link(query),
    )


def cite_link(query: str = "") -> str:
    """The About page's citation, relative to the page (``about?lang=ru#how-to-cite``). ``query``
    must be URL-encoded (no space, no parenthesis), as ``urllib.parse.urlencode`` gives it."""
    return f"about?{query}#{CITE_ANCHOR}" if query else CITE_LINK
