"""Aggregates beside the filter: article mentions per city, official figures, citations, coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.data.dataset import on_map
from geo.text.cells import split_list

if TYPE_CHECKING:
    from geo.query.view import DatasetIndex


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


def official_series(official_stats: pd.DataFrame, metric: str = "people_convicted") -> pd.DataFrame:
    """The dated figures officials gave for one metric, oldest first (undated ones are left out:
    they cannot be placed on a timeline)."""
    rows = official_stats[(official_stats["metric"] == metric).to_numpy(dtype=bool, na_value=False)]
    rows = rows[rows["as_of"].notna().to_numpy()]
    return rows.sort_values(["as_of", "stat_id"]).reset_index(drop=True)


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

#: Official figures the coverage table sets beside the documented people, by metric.
CONVICTED_METRIC = "people_convicted"


def coverage_by_year(index: DatasetIndex) -> pd.DataFrame:
    """One row per year of decisions (and one ``all`` row): decisions, people (each once; by
    outcome), people convicted in the decisions up to that year's end, court cities, sources
    cited, and the last official count of people convicted stated in that year (with its
    qualifier and date), so that what is documented here can be read against it. Undated
    decisions count only in ``all``."""
    ds, cases = index.data, index.cases
    convictions = ds.convictions.iloc[cases.order]  # the index's sorted order: its masks line up
    year = convictions["period_start"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    national = official_series(ds.official_stats, CONVICTED_METRIC)  # dated, oldest first
    national = national[national["location_id"].isna().to_numpy()]
    known_sources = set(ds.sources["source_id"])
    rows = []
    every = np.ones(len(convictions), dtype=bool)
    groups = [(str(int(y)), year == y) for y in sorted(set(year[~np.isnan(year)]))]
    for label, chosen in [*groups, ("all", every)]:
        decisions = convictions[chosen]
        counted = cases.people(chosen)
        so_far = every if label == "all" else year <= int(label)
        cited = {s for cell in decisions["source_ids"].dropna() for s in split_list(str(cell))}
        official = national if label == "all" else national[(national["as_of"].dt.year == int(label)).to_numpy()]
        last = official.iloc[-1] if len(official) else None
        rows.append(
            {
                "year": label,
                "decisions": len(decisions),
                "first_instance": int((decisions["instance"] == "first").sum()),
                "people": counted["total"],
                "convicted": counted["convicted"],
                "acquitted": counted["acquitted"],
                "posthumous": counted["posthumous"],
                "convicted_to_date": cases.people(so_far)["convicted"],
                "cities": int(decisions["location_id"].nunique()),
                "sources": len(cited & known_sources),
                "official_convicted": None if last is None else int(last["value"]),
                "official_qualifier": None if last is None else str(last["qualifier"]),
                "official_as_of": None if last is None else last["as_of"].date(),
            }
        )
    return pd.DataFrame(rows)
