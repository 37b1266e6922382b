"""The pandas reference: the filters and aggregates of the one query API written as plain, readable
pandas, one new frame per call. ``geo.query.index`` must give the same answers (tests/test_case_index.py
checks it on fixed cases and on hundreds of random filters); the tests of filter semantics read these.

Date ranges are precision-aware: a record counts in a range when the period its date stands for
(``period_start``..``period_end``) overlaps the range, so a verdict known only to the month counts
in any range touching that month; undated rows never overlap a bounded range.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from geo.data.people import PEOPLE_GROUPS, people_rows
from geo.query.filters import Filters


def overlaps(frame: pd.DataFrame, start: date | None, end: date | None) -> np.ndarray:
    """Rows whose period overlaps [start, end]; undated rows never overlap a bounded range."""
    mask = np.ones(len(frame), dtype=bool)
    if start is not None:
        mask &= (frame["period_end"] >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        mask &= (frame["period_start"] <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return mask


def in_values(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    if not values:
        return np.ones(len(column), dtype=bool)
    return column.isin(values).to_numpy(dtype=bool)


def filter_convictions(convictions: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    mask = overlaps(convictions, filters.start, filters.end)
    mask &= in_values(convictions["location_id"], filters.cities)
    mask &= in_values(convictions["sentence_type"], filters.sentence_types)
    mask &= in_values(convictions["defendant_role"], filters.roles)
    return convictions[mask]


def filter_events(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    mask = overlaps(events, filters.start, filters.end)
    mask &= in_values(events["location_id"], filters.cities)
    mask &= in_values(events["event_type"], filters.event_types)
    return events[mask]


def each_person_once(rows: pd.DataFrame, convictions: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """One row per person (per ``by`` too, e.g. a city): ``count``, the widest of their rows, and
    ``group``, the group of their latest decision: by date, undated after dated, then by court
    level, then by case id."""
    by = by or []
    level = {"first": 0, "other": 0, "appeal": 1, "cassation": 2, "supreme": 3}
    when = convictions[["case_id", "period_start", "instance"]].assign(level=convictions["instance"].map(level))
    when = when.drop_duplicates("case_id")  # a made-up table may repeat ids: one date per id
    rows = rows.merge(when, on="case_id").sort_values(
        ["period_start", "level", "case_id"], na_position="last", kind="stable"
    )
    people = rows.groupby([*by, "person_id"], sort=False)
    return pd.DataFrame({"count": people["count"].max(), "group": people["group"].last()}).reset_index()


def people_counts(people: pd.DataFrame, case_ids: Iterable[str], convictions: pd.DataFrame) -> dict[str, int]:
    """People in the given decisions: ``total`` (each person once) and one count per group, each
    person in the group of their latest decision among them, so that the groups add up."""
    rows = people[people["case_id"].isin(list(case_ids)).to_numpy()]
    once = each_person_once(rows, convictions)
    out = {"total": int(once["count"].sum())}
    for group in PEOPLE_GROUPS:
        out[group] = int(once.loc[(once["group"] == group).to_numpy(), "count"].sum())
    return out


def without_place(frame: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Rows that cannot go on the map: no location, or a location without coordinates."""
    placed = set(locations.loc[locations["latitude"].notna() & locations["longitude"].notna(), "location_id"])
    return frame[~frame["location_id"].isin(placed).to_numpy(dtype=bool)]


def without_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["period_start"].isna().to_numpy()]


def city_totals(convictions: pd.DataFrame, locations: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Decisions, people (:func:`people_counts` over ``people``, the :func:`people_rows` of the
    dataset) and date span per city with coordinates; one row per city with decisions, most
    people first."""
    placed = convictions[convictions["location_id"].notna().to_numpy()]
    grouped = placed.groupby("location_id", observed=True, sort=False).agg(
        decisions=("location_id", "size"),
        first=("period_start", "min"),
        last=("period_end", "max"),
        approximate=("approximate", "sum"),
    )
    # people_counts per city, in one pass: each person once per city (their widest row, in the
    # group of their latest decision there).
    rows = people.merge(placed[["case_id", "location_id"]].astype({"location_id": str}), on="case_id")
    once = each_person_once(rows, convictions, by=["location_id"])
    grouped["people"] = (
        once.groupby("location_id")["count"].sum().reindex(grouped.index.astype(str), fill_value=0).to_numpy()
    )
    for group in PEOPLE_GROUPS[:3]:
        per_city = once[(once["group"] == group).to_numpy()].groupby("location_id")["count"].sum()
        grouped[group] = per_city.reindex(grouped.index.astype(str), fill_value=0).to_numpy()
    places = locations[["location_id", "name", "name_ru", "name_kk", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    totals = totals[totals["latitude"].notna() & totals["longitude"].notna()]
    for column in ("people", *PEOPLE_GROUPS[:3], "approximate"):
        totals[column] = totals[column].astype("int64")
    columns = [
        "location_id",
        "name",
        "name_ru",
        "name_kk",
        "latitude",
        "longitude",
        "decisions",
        "people",
        *PEOPLE_GROUPS[:3],
        "first",
        "last",
        "approximate",
    ]
    return totals.sort_values(["people", "decisions", "name"], ascending=[False, False, True])[columns].reset_index(
        drop=True
    )


def event_totals(events: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Events per city with coordinates: count, types, date span."""
    placed = events[events["location_id"].notna().to_numpy()]
    grouped = placed.groupby("location_id", observed=True, sort=False).agg(
        events=("event_id", "size"),
        types=("event_type", lambda s: ", ".join(sorted(set(map(str, s.dropna()))))),
        first=("period_start", "min"),
        last=("period_end", "max"),
    )
    places = locations[["location_id", "name", "name_ru", "name_kk", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    return totals[totals["latitude"].notna() & totals["longitude"].notna()].reset_index(drop=True)


def month_known(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose date places them in one calendar month (not undated, not year-precision)."""
    precision = frame["date_precision"].astype("string")
    return (frame["period_start"].notna() & (precision != "year")).to_numpy(dtype=bool, na_value=False)


def monthly_series(
    frame: pd.DataFrame, value: str | None = None, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Rows (``count``) and the sum of ``value`` per month of ``period_start``, zero-filled
    from ``start`` (or the first month) to ``end`` (or the last). Rows without a known month
    are left out: count them with :func:`month_unknown`."""
    dated = frame[month_known(frame)]
    months = dated["period_start"].dt.to_period("M")
    result = pd.DataFrame({"count": months.value_counts()})
    if value:
        result[value] = dated[value].groupby(months).sum()
    lo = pd.Period(start, "M") if start else (result.index.min() if len(result) else None)
    hi = pd.Period(end, "M") if end else (result.index.max() if len(result) else None)
    if lo is not None and hi is not None:
        result = result.reindex(pd.period_range(lo, hi, freq="M"), fill_value=0)
    result = result.fillna(0).astype("int64").sort_index()
    result.index = result.index.to_timestamp().rename("month")
    return result.reset_index()


def month_unknown(frame: pd.DataFrame) -> int:
    return int((~month_known(frame)).sum())


def people_in(ds, decisions: pd.DataFrame) -> dict[str, int]:
    """People in ``decisions`` (rows of ``ds.convictions``), each person once."""
    return people_counts(people_rows(ds.convictions, ds.defendants), decisions["case_id"], ds.convictions)


def city_totals_of(ds, decisions: pd.DataFrame) -> pd.DataFrame:
    """:func:`city_totals` of ``decisions`` (rows of ``ds.convictions``)."""
    return city_totals(decisions, ds.locations, people_rows(ds.convictions, ds.defendants))


def sorted_cases(convictions: pd.DataFrame, locations: pd.DataFrame, sort: str) -> pd.DataFrame:
    """The decisions in a Cases table order: oldest first (undated last, ties by id), then a stable
    sort by the order's column with missing values last."""
    base = convictions.sort_values(["period_start", "case_id"], na_position="last", kind="stable")
    if sort == "oldest":
        return base
    # by English name; two cities of one name (there are several Aksu) each keep their own run
    names = locations.set_index("location_id")["name"].str.casefold() + "\0" + locations["location_id"].to_numpy()
    keys = {
        "newest": (base["period_start"], False),
        "people": (base["defendants"], False),
        "city": (base["location_id"].map(names), True),
    }
    low = base["sentence_months_min"].fillna(base["sentence_months_max"])
    high = base["sentence_months_max"].fillna(base["sentence_months_min"])
    if sort in ("longest", "shortest"):  # by one bound, ties by the other (docs/data-i18n.md)
        first, then = (high, low) if sort == "longest" else (low, high)
        ascending = sort == "shortest"
        return (
            base.assign(_first=first, _then=then)
            .sort_values(["_first", "_then"], ascending=ascending, na_position="last", kind="stable")
            .drop(columns=["_first", "_then"])
        )
    key, ascending = keys[sort]
    return base.assign(_key=key).sort_values("_key", ascending=ascending, na_position="last", kind="stable")
