"""The Timeline page's tables: the events, and the official figures by metric. Pure functions; text
from the data stays plain text (see :mod:`geo.views.reader_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geo.i18n import N_, enum_label, translation
from geo.i18n.enums import ENUMS
from geo.i18n.fields import summary_text
from geo.views.formats import NOT_STATED, format_date, items, label, text, with_marker
from geo.views.place_labels import city_labels

if TYPE_CHECKING:
    pass


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
