"""The words of the downloaded files: column headers, sheet names, the notes on the rows a file
holds, and the About sheet's rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.i18n import N_, translation
from geo.i18n.enums import NC_
from geo.views.formats import NOT_STATED
from geo.views.person_names import showing_results_for

if TYPE_CHECKING:
    pass

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
