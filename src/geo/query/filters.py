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

from geo.data.validate import split_list
from geo.views.present import people_breakdown


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    cities: tuple[str, ...] = ()
    sentence_types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # who the defendants were (convictions.defendant_role)

    @classmethod
    def of(cls, start=None, end=None, cities: Iterable[str] = (), sentence_types: Iterable[str] = (),
           event_types: Iterable[str] = (), roles: Iterable[str] = ()) -> Filters:
        return cls(start, end, tuple(cities), tuple(sentence_types), tuple(event_types), tuple(roles))

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
    mask &= in_values(convictions["defendant_role"], filters.roles)
    return convictions[mask]


def filter_events(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    mask = overlaps(events, filters.start, filters.end)
    mask &= in_values(events["location_id"], filters.cities)
    mask &= in_values(events["event_type"], filters.event_types)
    return events[mask]


# --- people ------------------------------------------------------------------------------------
# Decisions and people are counted apart. A person tried, appealed and cassated is one person in
# three decisions; an acquittal or a posthumous verdict is never counted among the convicted.

#: What a decision's or a person's outcome means for the count of people.
OUTCOME_GROUPS = {
    "convicted": "convicted", "upheld": "convicted", "changed": "convicted", "mixed": "convicted",
    "acquitted": "acquitted", "posthumous": "posthumous",
    "annulled": "other", "returned": "other", "other": "other",
}
PEOPLE_GROUPS = ("convicted", "acquitted", "posthumous", "other")
#: A defendants table with no rows: every decision then stands for its own ``defendants`` count.
NO_PEOPLE = pd.DataFrame({"case_id": pd.Series(dtype=object), "person_id": pd.Series(dtype=object),
                          "count": pd.Series(dtype="Int64"), "outcome": pd.Series(dtype=object)})


def people_rows(convictions: pd.DataFrame, defendants: pd.DataFrame) -> pd.DataFrame:
    """One row per person (or group of unnamed people) per decision: ``case_id``, ``person_id``,
    ``count``, ``group`` (of :data:`PEOPLE_GROUPS`). A decision that lists nobody in
    ``defendants.csv`` stands for its ``defendants`` count of people seen nowhere else."""
    listed = defendants[defendants["case_id"].isin(convictions["case_id"]).to_numpy()]
    unlisted = convictions[~convictions["case_id"].isin(listed["case_id"]).to_numpy()]
    return pd.concat([
        pd.DataFrame({
            "case_id": listed["case_id"].astype(str).to_numpy(),
            "person_id": listed["person_id"].astype(str).to_numpy(),
            "count": listed["count"].to_numpy(dtype="int64", na_value=1),
            "group": listed["outcome"].astype(str).map(OUTCOME_GROUPS).fillna("other").to_numpy(),
        }),
        pd.DataFrame({
            "case_id": unlisted["case_id"].astype(str).to_numpy(),
            "person_id": ("case:" + unlisted["case_id"].astype(str)).to_numpy(),
            "count": unlisted["defendants"].to_numpy(dtype="int64", na_value=0),
            "group": unlisted["outcome"].astype(str).map(OUTCOME_GROUPS).fillna("other").to_numpy(),
        }),
    ], ignore_index=True)


def people_counts(people: pd.DataFrame, case_ids: Iterable[str]) -> dict[str, int]:
    """People in the given decisions: ``total`` (each person once) and one count per group
    (each person once per group: convicted, then acquitted on appeal, is in both)."""
    rows = people[people["case_id"].isin(list(case_ids)).to_numpy()]
    widest = rows.groupby("person_id", sort=False)["count"].max()
    out = {"total": int(widest.sum())}
    for group in PEOPLE_GROUPS:
        in_group = rows[(rows["group"] == group).to_numpy()]
        out[group] = int(in_group.groupby("person_id", sort=False)["count"].max().sum())
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
    counted = {city: people_counts(people, cases) for city, cases in placed.groupby(
        "location_id", observed=True, sort=False)["case_id"]}
    grouped["people"] = [counted[c]["total"] for c in grouped.index]
    for group in PEOPLE_GROUPS[:3]:
        grouped[group] = [counted[c][group] for c in grouped.index]
    places = locations[["location_id", "name", "name_ru", "name_kk", "latitude", "longitude"]]
    totals = places.merge(grouped.reset_index(), on="location_id", how="inner")
    totals = totals[totals["latitude"].notna() & totals["longitude"].notna()]
    for column in ("people", *PEOPLE_GROUPS[:3], "approximate"):
        totals[column] = totals[column].astype("int64")
    columns = ["location_id", "name", "name_ru", "name_kk", "latitude", "longitude", "decisions", "people",
               *PEOPLE_GROUPS[:3], "first", "last", "approximate"]
    return totals.sort_values(["people", "decisions", "name"], ascending=[False, False, True])[columns].reset_index(drop=True)


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


#: Who the defendants were, as the description line names a group of them.
ROLE_PLURALS = {
    "protester": "protesters", "activist": "activists", "journalist": "journalists", "official": "officials",
    "security_officer": "security officers", "military": "military", "other": "others",
    "unknown": "defendants of unstated role",
}


def describe(filters: Filters, city_names: Mapping[str, str], decisions: int, people: Mapping[str, int],
             span: tuple[date, date] | None = None) -> str:
    """One line stating the filter and its result, e.g.
    ``Almaty and Shymkent, 1 Jun 2022 – 31 Jul 2022: 2 court decisions, 4 people (3 convicted, 1 acquitted)``.
    ``people``: :func:`people_counts` (or ``CaseIndex.people``)."""
    place = join_names([city_names.get(c, c) for c in filters.cities]) or "All cities"
    start = filters.start or (span[0] if span else None)
    end = filters.end or (span[1] if span else None)
    parts = [place]
    if start and end:
        parts.append(f"{format_day(start)} – {format_day(end)}")
    if filters.sentence_types:
        parts.append(join_names([t.replace("_", " ") for t in filters.sentence_types]).replace(" and ", " or "))
    if filters.roles:
        parts.append(join_names([ROLE_PLURALS.get(t, t) for t in filters.roles]).replace(" and ", " or "))
    breakdown = people_breakdown(people.get("convicted", 0), people.get("acquitted", 0), people.get("posthumous", 0))
    detail = f" ({breakdown})" if breakdown else ""
    return (f"{', '.join(parts)}: {plural(decisions, 'court decision')}, "
            f"{plural(people['total'], 'person', 'people')}{detail}")


# --- coverage ----------------------------------------------------------------------------------

#: Official figures the coverage table sets beside the documented people, by metric.
CONVICTED_METRIC = "people_convicted"


def coverage_by_year(convictions: pd.DataFrame, people: pd.DataFrame, official_stats: pd.DataFrame,
                     sources: pd.DataFrame) -> pd.DataFrame:
    """One row per year of decisions (and one ``all`` row): decisions, people (each once; by
    outcome), people convicted in the decisions up to that year's end, court cities, sources
    cited, and the last official count of people convicted stated in that year (with its
    qualifier and date), so that what is documented here can be read against it. Undated
    decisions count only in ``all``."""
    year = convictions["period_start"].dt.year
    national = official_series(official_stats, CONVICTED_METRIC)  # dated, oldest first
    national = national[national["location_id"].isna().to_numpy()]
    rows = []
    groups = [(str(int(y)), convictions[(year == y).to_numpy()]) for y in sorted(year.dropna().unique())]
    for label, decisions in [*groups, ("all", convictions)]:
        counted = people_counts(people, decisions["case_id"])
        so_far = convictions if label == "all" else convictions[(year <= int(label)).to_numpy(dtype=bool, na_value=False)]
        cited = {s for cell in decisions["source_ids"].dropna() for s in split_list(str(cell))}
        official = national if label == "all" else national[(national["as_of"].dt.year == int(label)).to_numpy()]
        last = official.iloc[-1] if len(official) else None
        rows.append({
            "year": label,
            "decisions": len(decisions),
            "first_instance": int((decisions["instance"] == "first").sum()),
            "people": counted["total"],
            "convicted": counted["convicted"],
            "acquitted": counted["acquitted"],
            "posthumous": counted["posthumous"],
            "convicted_to_date": people_counts(people, so_far["case_id"])["convicted"],
            "cities": int(decisions["location_id"].nunique()),
            "sources": len(cited & set(sources["source_id"])),
            "official_convicted": None if last is None else int(last["value"]),
            "official_qualifier": None if last is None else str(last["qualifier"]),
            "official_as_of": None if last is None else last["as_of"].date(),
        })
    return pd.DataFrame(rows)
