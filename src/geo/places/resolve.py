"""Which place a typed or linked value names: an id, a label, a name in any script, an alias.

A link in an article outlives the labels the dashboard shows: ``?city=shymkent``, ``?city=Alma-Ata``
and an old ``?city=Shymkent · Шымкент`` must all find the same place, and a value that names none
must be said, not dropped. The matching folds case and script the way the geocoder does
(:mod:`geo.places.names`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.places.names import NameIndex, name_key
from geo.text.cells import split_list


@dataclass(frozen=True)
class Resolved:
    """``ids``: the places named, in the order given, each once; ``unknown``: values naming
    none; ``ambiguous``: values naming several (e.g. a name two towns share)."""

    ids: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()


def place_index(locations: pd.DataFrame, labels: Mapping[str, str]) -> NameIndex:
    """Every way the data names a place: id, label, English, Russian and Kazakh names (rank 0),
    aliases (rank 1)."""
    index = NameIndex()
    for row in locations.itertuples(index=False):
        ident = str(row.location_id)
        for name in (ident, labels.get(ident), row.name, row.name_ru, row.name_kk):
            if name is not None and not pd.isna(name):
                index.add(str(name), ident, 0)
        if row.aliases is not None and not pd.isna(row.aliases):
            for alias in split_list(str(row.aliases)):
                index.add(alias, ident, 1)
    return index


def resolve_places(values: Iterable[str], index: NameIndex, labels: Mapping[str, str]) -> Resolved:
    """The places that URL or typed ``values`` name; a value may hold several, comma separated."""
    by_label = {label.casefold(): ident for ident, label in labels.items()}
    ids: list[str] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for value in values:
        for part in (p.strip() for p in str(value).split(",")):
            if not part:
                continue
            if part in labels or part.casefold() in by_label:  # an id, or a label (old links)
                found = {part if part in labels else by_label[part.casefold()]: 0}
            else:
                found = index.get(name_key(part))
            best = min(found.values(), default=None)
            matches = sorted(i for i, rank in found.items() if rank == best)
            if not matches:
                unknown.append(part)
            elif len(matches) > 1:
                ambiguous.append(part)
            elif matches[0] not in ids:
                ids.append(matches[0])
    return Resolved(tuple(ids), tuple(unknown), tuple(ambiguous))
