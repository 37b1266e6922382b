"""The official counts of people convicted beside the record, in words and tables.

Every share a reader meets (the Timeline, About, ``python -m geo coverage``, the README) is one
row of :func:`geo.query.comparison.official_comparison` worded by :func:`share_text` and
:func:`comparison_sentence`; nothing here counts.
"""

from __future__ import annotations

import pandas as pd

from geo.i18n import N_, translation
from geo.i18n.formats import format_share
from geo.views.formats import format_date, markdown_table, official_figure, with_marker
from geo.views.reader_text import escape_markdown

DOCUMENTED = N_("Documented here (people convicted, each once)")
STATED = N_("Stated by officials (people convicted)")
REPORTED = N_("Reported in the press, source not named (people convicted)")

#: How one comparison reads, by whether the source names who stated the figure.
SENTENCES = {
    True: N_(
        "{day}: {who} stated that {figure} people had been convicted. The record documents {counted} of them "
        "by that date ({share})."
    ),
    False: N_(
        "{day}: {who} reported that {figure} people had been convicted, without naming its source. The record "
        "documents {counted} of them by that date ({share})."
    ),
}
UNDATED = N_(
    "Undated: {who} stated that {figure} people had been convicted; without a date it cannot be set beside the record."
)
A_NEWS_REPORT = N_("a news report")
#: How people are counted, in two paragraphs a journalist can quote (About, README).
COUNTING_RULES = (
    N_(
        "Decisions and people are counted apart: a trial, an appeal and a cassation are three decisions about "
        "one person. Each person is counted once, under the outcome of their latest decision among those "
        "chosen (by date; a higher court's decision of the same day comes later): someone acquitted at trial "
        "and convicted on appeal counts as convicted, someone whose conviction was sent back for a new trial "
        "counts under another outcome, and their page lists every decision. So convicted, acquitted, convicted "
        "posthumously and other outcomes always add up to the people counted. Unnamed co-defendants count as "
        "many as the source says."
    ),
    N_(
        "Each official count of people convicted is set beside the people this record shows convicted by the "
        "day the count was stated, each person once, leaving out the officials, police officers and soldiers "
        "convicted of torture, abuse of power, inaction or treason, whom those counts do not cover. A figure "
        "that a newspaper reported without naming its source is marked so and never called official. The "
        "share is the documented number divided by the stated one; the record holds the decisions the press "
        "and monitors reported, a non-random sample."
    ),
)
PRESS_SOURCE = N_("reported by {publishers}, source not named")


def share_text(share: float | None, lang: str = "en") -> str:
    """``1.9%``, ``1,9 %``: the one wording of a documented share; empty without one."""
    if share is None or pd.isna(share):
        return ""
    return format_share(float(share), lang)


def stated_by(row, lang: str = "en") -> str:
    """Who stated a figure: the official body or person its source names, or the publishers that
    reported it without naming a source."""
    tr = translation(lang)
    if row["official"]:
        return str(row["stated_by"])
    publishers = str(row["stated_by"] or "") or tr.gettext(A_NEWS_REPORT)
    return tr.gettext(PRESS_SOURCE).format(publishers=publishers)


def comparison_sentence(row, lang: str = "en") -> str:
    """One row of the comparison in words, e.g. ``1 Jun 2024: Le Monde reported that about 1,400
    people had been convicted, without naming its source. The record documents 26 of them by that
    day (1.9%).``"""
    tr = translation(lang)
    figure = official_figure(row["value"], row["qualifier"], lang=lang)
    who = str(row["stated_by"] or "") or tr.gettext(A_NEWS_REPORT)
    if pd.isna(row["as_of"]):
        return tr.gettext(UNDATED).format(who=who, figure=figure)
    return tr.gettext(SENTENCES[bool(row["official"])]).format(
        day=format_date(row["as_of"], row["as_of_precision"], lang),
        who=who,
        figure=figure,
        counted=tr.number(int(row["documented"])),
        share=share_text(row["share"], lang),
    )


def comparison_table(compared: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`geo.query.comparison.official_comparison` as the Timeline and About show it."""
    tr = translation(lang)
    figure = tr.pgettext("column", "Figure")
    table = pd.DataFrame(
        {
            figure: compared["stat_id"].astype(str).to_list(),
            tr.pgettext("column", "As of"): [
                format_date(d, p, lang) if not pd.isna(d) else tr.gettext("not dated")
                for d, p in zip(compared["as_of"], compared["as_of_precision"])
            ],
            tr.pgettext("column", "Count"): [
                official_figure(v, q, lang=lang) for v, q in zip(compared["value"], compared["qualifier"])
            ],
            tr.pgettext("column", "Stated by"): [stated_by(row, lang) for _, row in compared.iterrows()],
            tr.pgettext("column", "Documented by that date"): [
                "" if pd.isna(n) else tr.number(int(n)) for n in compared["documented"]
            ],
            tr.pgettext("column", "Documented share"): [share_text(s, lang) for s in compared["share"]],
        }
    )
    return with_marker(table, compared, after=figure)


def comparison_chart(line: pd.DataFrame, stated: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Long frame (``date``, ``series``, ``people``, ``label``) for the Timeline's chart: the
    documented line (``View.documented_line``) and the counts stated in the window
    (``View.official_in_window``), officials' and the press's apart. ``label`` is the number
    printed beside a point: every stated count, and the line's last value."""
    tr = translation(lang)
    documented = pd.DataFrame(
        {"date": pd.to_datetime(line["date"]), "series": tr.gettext(DOCUMENTED), "people": line["people"]}
    )
    documented["label"] = None
    if len(documented):
        documented.loc[documented.index[-1], "label"] = tr.number(int(documented["people"].iloc[-1]))
    points = pd.DataFrame(
        {
            "date": pd.to_datetime(stated["as_of"]),
            "series": [tr.gettext(STATED if o else REPORTED) for o in stated["official"]],
            "people": stated["value"].astype("int64"),
            "label": [official_figure(v, q, lang=lang) for v, q in zip(stated["value"], stated["qualifier"])],
        }
    )
    return pd.concat([documented, points], ignore_index=True)


def series_names(lang: str = "en") -> list[str]:
    """The chart's series in ``lang``, in the order its key lists them."""
    tr = translation(lang)
    return [tr.gettext(DOCUMENTED), tr.gettext(STATED), tr.gettext(REPORTED)]


def coverage_table(coverage: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`geo.query.aggregates.coverage_by_year` as About, ``geo coverage`` and the README show it."""
    tr = translation(lang)
    c = coverage
    return pd.DataFrame(
        {
            tr.pgettext("coverage", "Year"): [tr.gettext("all years") if y == "all" else y for y in c["year"]],
            tr.pgettext("coverage", "Decisions"): c["decisions"].to_list(),
            tr.pgettext("coverage", "of them first instance"): c["first_instance"].to_list(),
            tr.pgettext("coverage", "People"): c["people"].to_list(),
            tr.pgettext("coverage", "convicted"): c["convicted"].to_list(),
            tr.pgettext("coverage", "acquitted"): c["acquitted"].to_list(),
            tr.pgettext("coverage", "convicted posthumously"): c["posthumous"].to_list(),
            tr.pgettext("coverage", "other outcome"): c["other"].to_list(),
            tr.pgettext("coverage", "Court cities"): c["cities"].to_list(),
            tr.pgettext("coverage", "Sources cited"): c["sources"].to_list(),
            tr.pgettext("coverage", "People convicted, last count stated that year"): [
                "" if pd.isna(s) else official_figure(v, q, lang=lang)
                for s, v, q in zip(c["stat_id"], c["value"], c["qualifier"])
            ],
            tr.pgettext("coverage", "As of"): [
                "" if pd.isna(s) else format_date(d, p, lang)
                for s, d, p in zip(c["stat_id"], c["as_of"], c["as_of_precision"])
            ],
            tr.pgettext("coverage", "Stated by"): [
                "" if pd.isna(row["stat_id"]) else stated_by(row, lang) for _, row in c.iterrows()
            ],
            tr.pgettext("coverage", "Documented by that date"): [
                "" if pd.isna(n) else tr.number(int(n)) for n in c["documented"]
            ],
            tr.pgettext("coverage", "Documented share"): [share_text(s, lang) for s in c["share"]],
        }
    )


def counting_rules(lang: str = "en") -> list[str]:
    """:data:`COUNTING_RULES` in ``lang``."""
    tr = translation(lang)
    return [tr.gettext(paragraph) for paragraph in COUNTING_RULES]


def coverage_markdown(compared: pd.DataFrame, coverage: pd.DataFrame, lang: str = "en") -> str:
    """What ``python -m geo coverage`` prints and the README holds: the counting rules, each
    official count beside the record, and the record by year, as Markdown."""
    tr = translation(lang)
    parts = counting_rules(lang)  # the project's own words: no markup to escape
    parts.append(markdown_table(comparison_table(compared, lang)))
    latest = latest_sentence(compared, lang)
    if latest:
        parts.append(escape_markdown(latest))
    parts.append(markdown_table(coverage_table(coverage, lang)))
    parts.append(tr.gettext("Made by `python -m geo coverage` from the data."))
    return "\n\n".join(parts)


def latest_sentence(compared: pd.DataFrame, lang: str = "en") -> str | None:
    """:func:`comparison_sentence` of the last dated count, or None without one."""
    dated = compared[compared["as_of"].notna().to_numpy()]
    return comparison_sentence(dated.iloc[-1], lang) if len(dated) else None
