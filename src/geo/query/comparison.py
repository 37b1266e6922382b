"""What the record documents beside the official counts of people convicted.

An official count ("about 1,400 convicted") counts the people convicted for taking part in the
unrest, up to the day it was stated. The record is set beside it on the same terms:

- the same population: people convicted in decisions whose defendants are not on the state's
  side (:data:`STATE_ROLES`: officials, police and soldiers convicted of torture, abuse of power,
  inaction or treason are in the record but in no official count of rioters convicted);
- the same day: a person counts from the last day of the period their first convicting decision
  is dated to (a verdict known only to the month counts from that month's end), so a figure of
  1 June 2024 is compared with what the record documents by 1 June 2024;
- each person once, however many decisions convicted them.

Every surface that states a share (the Timeline, About, ``python -m geo coverage``, the README's
table) reads it from :func:`official_comparison`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from geo.data.dataset import WARNINGS_COLUMN, Dataset
from geo.query.filters import Filters
from geo.query.index import CaseIndex
from geo.text.cells import split_list

#: Defendant roles of the state's side, whose convictions no official count of people convicted
#: over the unrest includes.
STATE_ROLES = ("official", "security_officer", "military")
#: The metric of official counts of people convicted (data/METRICS.md).
CONVICTED_METRIC = "people_convicted"
#: ``reported_by`` of a figure that its source gives without naming who stated it.
NOT_STATED = "Not stated"


def documented_convictions(ds: Dataset, cases: CaseIndex, filters: Filters = Filters()) -> pd.DataFrame:  # noqa: B008
    """One row per person convicted in the record (``person_id``, ``count``: people the row
    stands for, ``known``: the first day by which a decision convicting them had been given, NaT
    when every such decision is undated), among the decisions in ``filters``' cities, sentence
    types and roles, whatever its dates, and of the population official counts cover."""
    in_filter = np.zeros(len(ds.convictions), dtype=bool)
    in_filter[cases.order] = cases.select(replace(filters, start=None, end=None))
    population = ~ds.convictions["defendant_role"].astype(str).isin(STATE_ROLES).to_numpy()
    eligible = in_filter & population
    people = ds.people[(ds.people["group"] == "convicted").to_numpy()]
    position = pd.Index(ds.convictions["case_id"].astype(str)).get_indexer(people["case_id"].astype(str))
    people = people[eligible[position]]
    known = ds.convictions["period_end"].to_numpy(dtype="datetime64[ns]")[position[eligible[position]]]
    rows = pd.DataFrame(
        {"person_id": people["person_id"].to_numpy(), "count": people["count"].to_numpy(np.int64), "known": known}
    )
    once = rows.groupby("person_id", sort=True).agg(count=("count", "max"), known=("known", "min"))
    return once.reset_index()


def documented_by(convictions: pd.DataFrame, day: object) -> int:
    """People of :func:`documented_convictions` documented as convicted by ``day``."""
    if day is None or pd.isna(day):
        return 0
    return int(convictions.loc[(convictions["known"] <= pd.Timestamp(day)).to_numpy(), "count"].sum())


def documented_series(convictions: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """``date``, ``people``: people documented as convicted by each day the count changes between
    ``start`` and ``end``, and on both ends (a step line bounded by the filter's dates)."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    known = convictions["known"]
    steps = sorted({lo, hi, *known[(known > lo) & (known <= hi)]})
    return pd.DataFrame({"date": steps, "people": [documented_by(convictions, d) for d in steps]})


def official_counts(official_stats: pd.DataFrame) -> pd.DataFrame:
    """The national official counts of people convicted, oldest first, undated last."""
    stats = official_stats
    rows = stats[((stats["metric"] == CONVICTED_METRIC) & stats["location_id"].isna()).to_numpy(dtype=bool)]
    return rows.sort_values(["as_of", "stat_id"], na_position="last").reset_index(drop=True)


def publishers(cell: object, sources: pd.DataFrame) -> list[str]:
    """The publishers of the sources a ``source_ids`` cell names (those that name one)."""
    named = sources.set_index("source_id")["publisher"]
    ids = split_list(str(cell)) if cell is not None and not pd.isna(cell) else []
    return [str(named[i]) for i in ids if i in named.index and not pd.isna(named[i])]


def official_comparison(ds: Dataset, cases: CaseIndex) -> pd.DataFrame:
    """Each national count of people convicted beside what the record documents by its date:
    ``stat_id``, ``as_of``, ``as_of_precision``, ``value``, ``qualifier``, ``official`` (True when
    the source names who stated it), ``stated_by`` (that body or person, or the publishers that
    reported a figure whose source they do not name), ``documented`` (people, same population,
    by ``as_of``; None when the figure is undated) and ``share`` (``documented / value``)."""
    convictions = documented_convictions(ds, cases)
    counts = official_counts(ds.official_stats)
    rows = []
    for row in counts.itertuples(index=False):
        reported = "" if pd.isna(row.reported_by) else str(row.reported_by).strip()
        official = bool(reported) and reported != NOT_STATED
        dated = not pd.isna(row.as_of)
        documented = documented_by(convictions, row.as_of) if dated else None
        value = int(row.value)
        rows.append(
            {
                "stat_id": row.stat_id,
                "as_of": row.as_of,
                "as_of_precision": row.as_of_precision,
                "value": value,
                "qualifier": row.qualifier,
                "official": official,
                "stated_by": reported if official else "; ".join(publishers(row.source_ids, ds.sources)),
                "documented": documented,
                "share": documented / value if documented is not None and value else None,
            }
        )
    columns = ["stat_id", "as_of", "as_of_precision", "value", "qualifier", "official", "stated_by"]
    frame = pd.DataFrame(rows, columns=[*columns, "documented", "share"])
    if WARNINGS_COLUMN in counts:  # the figures' own warnings go where the figures are shown
        frame[WARNINGS_COLUMN] = counts[WARNINGS_COLUMN].to_list()
    frame["documented"] = frame["documented"].astype("Int64")
    frame["share"] = frame["share"].astype("Float64")
    return frame
