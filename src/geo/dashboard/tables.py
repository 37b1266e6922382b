"""How the pages' tables are drawn: Streamlit's column configuration (headers and help in the
reader's language), the decision shown in full under its table, and the official comparison that
two pages share.
"""

from __future__ import annotations

import streamlit as st

from geo.data.dataset import Dataset
from geo.i18n import N_, translation
from geo.i18n.formats import widget_day_format
from geo.query.view import View
from geo.views import case_tables, official

#: The marker column of tables whose rows the validator warned about (see formats.with_marker).
MARKER_HELP = N_(
    "The validator's warning about this row: its text is shown as typed, never run. "
    "`python -m geo validate` lists them all."
)


def marker_column(lang: str = "en"):
    return st.column_config.TextColumn(case_tables.MARKER, width="small", help=translation(lang).gettext(MARKER_HELP))


def shared_columns(lang: str = "en") -> dict:
    """Columns the decisions and people tables share, their help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    return {
        "Date": cc.DateColumn(
            tr.pgettext("column", "Date"),
            format=widget_day_format(lang),
            width=100,
            help=tr.gettext(
                "Day of the decision. Where only the month or year is known (see Precision), the first day of it."
            ),
        ),
        "Precision": cc.TextColumn(
            tr.pgettext("column", "Precision"),
            width="small",
            help=tr.gettext("How precise the date is: the day, or only the month or year the sources give."),
        ),
        "Sentence": cc.TextColumn(
            tr.pgettext("column", "Sentence"),
            width=110,
            help=tr.gettext("Years (y) and months (m); a range when the sources give one."),
        ),
        "Months": cc.NumberColumn(
            tr.pgettext("column", "Months"),
            format="%d",
            width="small",
            help=tr.gettext(
                "The sentence in months, to sort by: the longest term of a range (the shortest when only that "
                "is stated)."
            ),
        ),
    }


def case_columns(lang: str = "en") -> dict:
    """Column configuration of :func:`geo.views.case_tables.cases_table`, headers and help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    shared = shared_columns(lang)
    return {
        # Widths in pixels: the columns a reader needs first (to Outcome) fit the grid at 1400 px.
        "Case": cc.TextColumn(
            tr.pgettext("column", "Case"), help=tr.gettext("Row id in convictions.csv"), pinned=True, width=140
        ),
        case_tables.MARKER: marker_column(lang),
        "Date": shared["Date"],
        "Precision": shared["Precision"],
        "City": cc.TextColumn(
            tr.pgettext("column", "Court city"),
            width=180,
            help=tr.gettext("'(region only)': the source names the region, not the town."),
        ),
        "People": cc.NumberColumn(
            tr.pgettext("column", "People"), format="%d", width=65, help=tr.gettext("People the decision concerns.")
        ),
        "Sentence": shared["Sentence"],
        "Months": shared["Months"],
        "Outcome": cc.TextColumn(
            tr.pgettext("column", "Outcome"),
            width=140,
            help=tr.gettext("For a review: upheld, sentence changed, annulled or sent back for retrial."),
        ),
        "Instance": cc.TextColumn(
            tr.pgettext("column", "Instance"),
            help=tr.gettext("First instance, appeal, cassation or the Supreme Court."),
        ),
        "Names": cc.ListColumn(
            tr.pgettext("column", "Names"),
            help=tr.gettext(
                "The people the sources name, in the reader's script; a name no source writes in that script "
                "is transliterated."
            ),
        ),
        "Sentence type": cc.TextColumn(tr.pgettext("column", "Sentence type")),
        "Role": cc.TextColumn(tr.pgettext("column", "Role"), help=tr.gettext("Who the defendants were.")),
        "Charges": cc.TextColumn(tr.pgettext("column", "Charges"), width="medium"),
        "Articles": cc.ListColumn(
            tr.pgettext("column", "Code articles"), help=tr.gettext("Criminal Code article-part, e.g. 452-3.")
        ),
        "Court": cc.TextColumn(tr.pgettext("column", "Court")),
        "Reviews": cc.TextColumn(
            tr.pgettext("column", "Reviews"), help=tr.gettext("The decision this one reviews (its case id).")
        ),
        "Disputed": cc.ListColumn(
            tr.pgettext("column", "Disputed"),
            help=tr.gettext(
                "Where sources disagree: the other value and who gives it. The row shows one "
                "value; none is averaged or dropped."
            ),
        ),
        "Summary": cc.TextColumn(tr.pgettext("column", "Summary"), width="large"),
        "Sources": cc.ListColumn(tr.pgettext("column", "Sources")),
        "Note": cc.TextColumn(tr.pgettext("column", "Note"), width="medium"),
    }


def people_columns(lang: str = "en") -> dict:
    """Column configuration of :func:`geo.views.people_tables.people_table`, headers and help in ``lang``."""
    cc, tr = st.column_config, translation(lang)
    shared = shared_columns(lang)
    return {
        "Person": cc.TextColumn(
            tr.pgettext("column", "Person"),
            help=tr.gettext("The same id in every decision about this person."),
            pinned=True,
        ),
        case_tables.MARKER: marker_column(lang),
        "Name": cc.TextColumn(
            tr.pgettext("column", "Name"),
            help=tr.gettext(
                "The person's name in the reader's script, then in the other; the same name in every "
                "decision, whichever spelling its sources use."
            ),
        ),
        "Date": shared["Date"],
        "Precision": shared["Precision"],
        "Instance": cc.TextColumn(tr.pgettext("column", "Instance")),
        "City": cc.TextColumn(tr.pgettext("column", "City")),
        "Role": cc.TextColumn(tr.pgettext("column", "Role")),
        "Outcome": cc.TextColumn(tr.pgettext("column", "Outcome")),
        "Sentence type": cc.TextColumn(tr.pgettext("column", "Sentence type")),
        "Sentence": shared["Sentence"],
        "Months": shared["Months"],
        "Case": cc.TextColumn(tr.pgettext("column", "Case"), help=tr.gettext("Row id in convictions.csv")),
        "Disputed": cc.ListColumn(
            tr.pgettext("column", "Disputed"),
            help=tr.gettext("Where sources disagree: the other value and who gives it."),
        ),
        "Note": cc.TextColumn(tr.pgettext("column", "Note"), width="medium"),
        "Sources": cc.ListColumn(tr.pgettext("column", "Sources")),
    }


def official_comparison(v: View, key: str) -> None:
    """Each official count of people convicted beside the record (the table, with its data
    warnings marked) and the latest of them in words: the Timeline and About show the same."""
    compared = v.index.official_comparison
    st.dataframe(
        official.comparison_table(compared, v.lang),
        hide_index=True,
        key=key,
        column_config={case_tables.MARKER: marker_column(v.lang)},
    )
    latest = official.latest_sentence(compared, v.lang)
    if latest:
        st.text(latest)


def decision_details(row, ds: Dataset, lang: str = "en") -> None:
    """One decision in full under its table: the whole summary and the sources' links, in ``lang``."""
    with st.container(border=True):
        st.markdown(case_tables.decision_markdown(row, ds.locations, ds.sources, lang))
