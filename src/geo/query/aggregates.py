"""Aggregates beside the filter: article mentions per city, official figures, citations, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.data.dataset import Dataset, on_map
from geo.data.people import PEOPLE_GROUPS
from geo.query.index import CaseIndex
from geo.text.cells import split_list


def mention_totals(mentions: pd.DataFrame, locations: pd.DataFrame, cities: tuple[str, ...] = ()) -> pd.DataFrame:
    """Article mentions per city with coordinates: ``mentions`` (sum of ``count``) and
    ``articles`` (distinct articles), from ``mentions.csv`` (``Dataset.mentions``)."""
    rows = mentions[mentions["location_id"].isin(cities).to_numpy(dtype=bool)] if cities else mentions
    grouped = rows.groupby("location_id", observed=True, sort=False).agg(
        mentions=("count", "sum"),
        articles=("file", "nunique"),
    )
    places = locations[["location_id", "name", "name_ru", "name_kk", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    totals = totals[on_map(totals)]
    return totals.sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)


def citations(sources: pd.DataFrame, **tables: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """For each source_id, the ids of the rows citing it in each table, e.g.
    ``citations(sources, convictions=c, events=e)["src-003"] == {"convictions": [...], "events": [...]}``.
    A table's id is its first column; its citations are ``source_ids`` (a list) or ``source_id``."""
    out: dict[str, dict[str, list[str]]] = {sid: {name: [] for name in tables} for sid in sources["source_id"]}
    for name, frame in tables.items():
        id_column = frame.columns[0]
        cited = frame["source_ids"] if "source_ids" in frame else frame["source_id"]
        for row_id, cell in zip(frame[id_column], cited):
            if cell is None or pd.isna(cell):
                continue
            for sid in split_list(str(cell)):
                if sid in out:
                    out[sid][name].append(str(row_id))
    return out


# --- coverage ----------------------------------------------------------------------------------


def coverage_by_year(ds: Dataset, cases: CaseIndex, compared: pd.DataFrame) -> pd.DataFrame:
    """One row per year of decisions (and one ``all`` row): decisions, people (each once, in the
    group of their latest decision that year: the groups add up), court cities, sources cited,
    and the last official count of people convicted stated in that year (the ``all`` row: the
    last one stated) beside what the record documents by its date, as
    :func:`geo.query.comparison.official_comparison` gives it. Undated decisions count only in
    ``all``."""
    convictions = ds.convictions.iloc[cases.order]  # the index's sorted order: its masks line up
    year = convictions["period_start"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    compared = compared[compared["as_of"].notna().to_numpy()]
    known_sources = set(ds.sources["source_id"])
    rows = []
    every = np.ones(len(convictions), dtype=bool)
    groups = [(str(int(y)), year == y) for y in sorted(set(year[~np.isnan(year)]))]
    for label, chosen in [*groups, ("all", every)]:
        decisions = convictions[chosen]
        counted = cases.people(chosen)
        cited = {s for cell in decisions["source_ids"].dropna() for s in split_list(str(cell))}
        stated = compared if label == "all" else compared[(compared["as_of"].dt.year == int(label)).to_numpy()]
        last = stated.iloc[-1] if len(stated) else None
        rows.append(
            {
                "year": label,
                "decisions": len(decisions),
                "first_instance": int((decisions["instance"] == "first").sum()),
                "people": counted["total"],
                **{group: counted[group] for group in PEOPLE_GROUPS},
                "cities": int(decisions["location_id"].nunique()),
                "sources": len(cited & known_sources),
                "stat_id": None if last is None else str(last["stat_id"]),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.merge(compared, on="stat_id", how="left")
