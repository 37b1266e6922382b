"""Places as readers see them: a city's label in their language (its region when the source names
only that), and every name a link or a search may use for it. Made once per locations table
(:func:`geo.views.per_table.per_table`).
"""

from __future__ import annotations

import pandas as pd

from geo.i18n.fields import place_name
from geo.places.names import NameIndex
from geo.places.resolve import place_index
from geo.views.per_table import per_table


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


@per_table
def place_names(locations: pd.DataFrame) -> tuple[dict[str, str], NameIndex]:
    """The places' English labels and every name they go by (ids, names in every script, aliases,
    labels): what a link's or a search's place names resolve through, whatever the reader's language."""
    labels = city_labels(locations)
    return labels, place_index(locations, labels)
