"""Filters and aggregates over the typed frames: plain arguments in, frames and sentences out.

Like datasette's ``Filters``, this module never sees a web request: the dashboard turns its
widgets into a :class:`Filters` value and calls these functions.

Date ranges are precision-aware: a record counts in a range when the period its date stands
for (``period_start``..``period_end``) overlaps the range, so a verdict known only to the
month counts in any range touching that month; ``approximate`` marks such rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.validate import split_list


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    cities: tuple[str, ...] = ()
    sentence_types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()

    @classmethod
    def of(cls, start=None, end=None, cities: Iterable[str] = (), sentence_types: Iterable[str] = (),
           event_types: Iterable[str] = ()) -> Filters:
        return cls(start, end, tuple(cities), tuple(sentence_types), tuple(event_types))

    @property
    def has_dates(self) -> bool:
        return self.start is not None or self.end is not None


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
    return convictions[mask]


def filter_events(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    mask = overlaps(events, filters.start, filters.end)
    mask &= in_values(events["location_id"], filters.cities)
    mask &= in_values(events["event_type"], filters.event_types)
    return events[mask]


def without_place(frame: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Rows that cannot go on the map: no location, or a location without coordinates."""
    placed = set(locations.loc[locations["latitude"].notna() & locations["longitude"].notna(), "location_id"])
    return frame[~frame["location_id"].isin(placed).to_numpy(dtype=bool)]


def without_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["period_start"].isna().to_numpy()]


def city_totals(convictions: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Verdicts, defendants and date span per city with coordinates; one row per city with cases."""
    placed = convictions[convictions["location_id"].notna().to_numpy()]
    grouped = placed.groupby("location_id", observed=True, sort=False).agg(
        verdicts=("location_id", "size"),
        defendants=("defendants", "sum"),
        first=("period_start", "min"),
        last=("period_end", "max"),
        approximate=("approximate", "sum"),
    )
    places = locations[["location_id", "name", "name_ru", "name_kk", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    totals = totals[totals["latitude"].notna() & totals["longitude"].notna()]
    totals["defendants"] = totals["defendants"].astype("int64")
    totals["approximate"] = totals["approximate"].astype("int64")
    return totals.sort_values(["defendants", "verdicts", "name"], ascending=[False, False, True]).reset_index(drop=True)


def event_totals(events: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Events per city with coordinates: count, types, date span."""
    placed = events[events["location_id"].notna().to_numpy()]
    grouped = placed.groupby("location_id", observed=True, sort=False).agg(
        events=("event_id", "size"),
        types=("event_type", lambda s: ", ".join(sorted(set(map(str, s.dropna()))))),
        first=("period_start", "min"),
        last=("period_end", "max"),
    )
    places = locations[["location_id", "name", "name_ru", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    return totals[totals["latitude"].notna() & totals["longitude"].notna()].reset_index(drop=True)


def month_known(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose date places them in one calendar month (not undated, not year-precision)."""
    precision = frame["date_precision"].astype("string")
    return (frame["period_start"].notna() & (precision != "year")).to_numpy(dtype=bool, na_value=False)


def monthly_series(frame: pd.DataFrame, value: str | None = None, start: date | None = None,
                   end: date | None = None) -> pd.DataFrame:
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


def defendants(frame: pd.DataFrame) -> int:
    return int(frame["defendants"].sum())


def mention_totals(mentions: pd.DataFrame, locations: pd.DataFrame, cities: tuple[str, ...] = ()) -> pd.DataFrame:
    """Article mentions per city with coordinates: ``mentions`` (sum of ``count``) and
    ``articles`` (distinct articles), from ``mentions.csv`` (``Dataset.mentions``)."""
    rows = mentions[in_values(mentions["location_id"], cities)]
    grouped = rows.groupby("location_id", observed=True, sort=False).agg(
        mentions=("count", "sum"),
        articles=("file", "nunique"),
    )
    places = locations[["location_id", "name", "name_ru", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    totals = totals[totals["latitude"].notna() & totals["longitude"].notna()]
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


def shift_window(start: date, end: date, lo: date, hi: date, days: int) -> tuple[date, date]:
    """The date window ``start..end`` moved by ``days`` within ``lo..hi``, keeping its width.

    From the full range ``lo..hi`` a step forward gives the first ``days`` days and a step back
    the last ones, so stepping through the whole period starts where one expects.
    """
    if (start, end) == (lo, hi):
        width = timedelta(days=abs(days) - 1)
        return (lo, min(hi, lo + width)) if days > 0 else (max(lo, hi - width), hi)
    width = end - start
    moved = max(lo, min(start + timedelta(days=days), hi - width))
    return moved, moved + width


# --- plain-language description --------------------------------------------------------------


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def format_day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def describe(filters: Filters, city_names: Mapping[str, str], verdicts: int, defendant_count: int,
             span: tuple[date, date] | None = None) -> str:
    """One line stating the filter and its result, e.g.
    ``Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 verdicts, 4 defendants``."""
    place = join_names([city_names.get(c, c) for c in filters.cities]) or "All cities"
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    parts = [place]
    if start and end:
        parts.append(f"{format_day(start)} – {format_day(end)}")
    if filters.sentence_types:
        parts.append(join_names([t.replace("_", " ") for t in filters.sentence_types]).replace(" and ", " or "))
    return f"{', '.join(parts)}: {plural(verdicts, 'verdict')}, {plural(defendant_count, 'defendant')}"
