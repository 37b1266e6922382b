"""The people as a table: one row per person and decision, and one person's path through the courts.
Pure functions; text from the data stays plain text (see :mod:`geo.views.reader_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geo.i18n import translation
from geo.i18n.enums import NP_
from geo.views.case_tables import court_city, disputed_items
from geo.views.formats import (
    dates_of,
    format_date,
    format_sentence,
    items,
    label,
    precision_labels,
    sentence_months,
    text,
    with_marker,
)
from geo.views.per_table import per_table
from geo.views.person_names import person_label
from geo.views.place_labels import city_labels
from geo.views.reader_text import plain_text
from geo.views.source_tables import source_labels

if TYPE_CHECKING:
    pass

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
