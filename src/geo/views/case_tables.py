"""The decisions as tables: the Cases page's and the Map's rows, one decision in full, the orders a
table can be read in and the counts above it. Pure functions; text from the data stays plain text
(see :mod:`geo.views.reader_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
)
from geo.i18n import N_, count_text, translation
from geo.i18n.enums import NC_
from geo.i18n.fields import summary_text
from geo.views.charge_wording import frame_wording, row_wording, worded_charges
from geo.views.file_headers import DATE_AS_STATED, FILE_LIST_SEPARATOR
from geo.views.formats import (
    NOT_STATED,
    _lists,
    article_label,
    dates_of,
    filled_text,
    format_date,
    format_sentence,
    items,
    label,
    per_distinct,
    precision_labels,
    sentence_months,
    text,
    web_link,
    with_marker,
)
from geo.views.person_names import person_label
from geo.views.place_labels import city_labels
from geo.views.reader_text import markdown_text
from geo.views.source_tables import NO_HEADLINE, PUBLISHER_UNKNOWN, source_citations, source_labels

if TYPE_CHECKING:
    pass

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


def by_date(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Oldest first, undated last; ties by id, so the order is stable across filters."""
    return frame.sort_values(["period_start", id_column], na_position="last", kind="stable")


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
