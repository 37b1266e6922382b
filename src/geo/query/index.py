"""The fast path of the one query API: numpy indexes over decisions and events, built once per dataset.

The readable pandas versions of these filters and aggregates live in ``tests/reference.py``; the
tests check that both give the same answers, on fixed cases and on hundreds of random filters.
A pandas filter builds a new frame on every call: at a million rows that costs around a hundred
milliseconds per filter change, most of it spent comparing strings and copying columns nobody
looks at. An index keeps only what filters, map totals, monthly series and table pages need, as
numpy arrays sorted by city (then date): days and months as integers, cities and types as small
integer codes. A filter is then a few vectorised comparisons and look-ups; per-city totals are
``reduceat`` over each city's contiguous run; rows are materialised only for the page a table shows.

Date ranges are precision-aware: a row counts in a range when the period its date stands for
(``period_start``..``period_end``) overlaps it, so a decision known only to the month counts in
any range touching that month (``approximate`` marks such rows); undated rows count only when
no date range is set.

People are counted each person once. Most people appear in one decision only; their counts are
summed per decision in advance (``own``), so summing them is as cheap as counting decisions. The
few who appear in several decisions (a trial and its appeal) are kept apart (``shared``) and
counted once per selection, in the group of their latest selected decision (:mod:`geo.data.people`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from geo.data.dataset import on_map
from geo.data.people import PEOPLE_GROUPS
from geo.query.filters import Filters

# Days since 1970 fit in 32 bits (and halve the memory each comparison reads).
NO_DAY_START = np.iinfo(np.int32).max  # undated rows start "never"…
NO_DAY_END = np.iinfo(np.int32).min  # …and end "never", so no bounded range contains them
NO_MONTH = -1  # undated, or known only to the year: in no month's bar


def days(values: pd.Series, missing: int) -> np.ndarray:
    as_days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = as_days.astype(np.int64)
    out[np.isnat(as_days)] = missing
    return out.astype(np.int32)


def day_number(d) -> int:
    return int(np.datetime64(pd.Timestamp(d).date(), "D").astype(np.int64))


def month_number(d) -> int:
    """Months since January 1970."""
    d = pd.Timestamp(d)
    return (d.year - 1970) * 12 + d.month - 1


def months(frame: pd.DataFrame) -> np.ndarray:
    """The month of each row's ``period_start``, or :data:`NO_MONTH` when the date does not place
    the row in one calendar month (undated, or year precision)."""
    start = frame["period_start"].to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    out = start.astype(np.int64)
    unknown = np.isnat(start) | (frame["date_precision"].astype("string") == "year").to_numpy(
        dtype=bool, na_value=False
    )
    out[unknown] = NO_MONTH
    return out.astype(np.int32)


def codes_of(column: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (-1 for missing) and the values they stand for."""
    categorical = column.astype("category")
    return categorical.cat.codes.to_numpy(dtype=np.int32), tuple(map(str, categorical.cat.categories))


def small_codes(codes: np.ndarray) -> np.ndarray:
    """Codes + 1 in the narrowest type that holds them: look-ups read less memory."""
    return (codes + 1).astype(np.int16 if codes.max(initial=0) < np.iinfo(np.int16).max else np.int32)


def lookup(names: tuple[str, ...], wanted: tuple[str, ...]) -> np.ndarray:
    """A table indexed by code + 1: slot 0 stands for "missing", which a value filter never selects."""
    table = np.zeros(len(names) + 1, dtype=bool)
    table[1:] = [name in wanted for name in names]
    return table


def placed_ids(locations: pd.DataFrame) -> tuple[str, ...]:
    """The location ids that have coordinates: the one rule for "can go on the map"."""
    return tuple(locations.loc[on_map(locations), "location_id"].astype(str))


def rank_of(permutation: np.ndarray) -> np.ndarray:
    """The inverse of a permutation: each item's place in it."""
    rank = np.empty(len(permutation), dtype=np.int32)
    rank[permutation] = np.arange(len(permutation), dtype=np.int32)
    return rank


def as_dates(day_numbers: np.ndarray) -> np.ndarray:
    return day_numbers.astype("datetime64[D]").astype("datetime64[us]")


#: The groups a map and a description count apart (``other`` is only in the total).
COUNTED = PEOPLE_GROUPS[:3]


@dataclass(frozen=True, eq=False)
class DatedIndex:
    """What every dated table's filters need, in city-then-date order. ``order[i]`` is the frame
    position of sorted row ``i``; ``date_rank[i]`` is sorted row ``i``'s place among all rows
    oldest first (ties by id), the order in which tables show rows."""

    order: np.ndarray
    date_rank: np.ndarray
    start: np.ndarray
    end: np.ndarray
    month: np.ndarray  # months since 1970, or NO_MONTH
    city: np.ndarray  # code + 1; 0 = no city
    cities: tuple[str, ...]
    segments: np.ndarray  # where each city's run starts in the sorted arrays
    approximate: np.ndarray
    on_map: np.ndarray  # the row's city has coordinates

    @staticmethod
    def arrays(frame: pd.DataFrame, locations: pd.DataFrame, id_column: str) -> dict:
        """The :class:`DatedIndex` fields of ``frame`` (and ``order``, to sort the others by)."""
        city, cities = codes_of(frame["location_id"])
        start = days(frame["period_start"], NO_DAY_START)
        order = np.lexsort((start, city))  # by city, then date; rows without a city (-1) first
        ids = frame[id_column].astype(str).to_numpy()[order]
        sorted_city = small_codes(city[order])
        return {
            "order": order,
            "date_rank": rank_of(np.lexsort((ids, start[order]))),  # oldest first, undated last, ties by id
            "start": start[order],
            "end": days(frame["period_end"], NO_DAY_END)[order],
            "month": months(frame)[order],
            "city": sorted_city,
            "cities": cities,
            "segments": np.searchsorted(sorted_city, np.arange(1, len(cities) + 1)),
            "approximate": frame["approximate"].to_numpy(dtype=bool)[order],
            "on_map": lookup(cities, placed_ids(locations))[sorted_city],
        }

    def __len__(self) -> int:
        return len(self.start)

    def dated(self, filters: Filters) -> np.ndarray:
        """Rows in the filter's date range and cities, as a mask in sorted order."""
        first = None if filters.start is None else day_number(filters.start)
        last = None if filters.end is None else day_number(filters.end)
        if not filters.cities:
            mask = np.ones(len(self), dtype=bool)
            if first is not None:
                mask &= self.end >= first
            if last is not None:
                mask &= self.start <= last
            return mask
        # Rows run city by city, each run oldest start first (undated last): a city filter reads
        # only its cities' runs, and the end of the range cuts each run where its starts pass it.
        mask = np.zeros(len(self), dtype=bool)
        bounds = np.r_[self.segments, len(self)]
        for code in np.flatnonzero(lookup(self.cities, filters.cities)[1:]):
            lo, hi = int(bounds[code]), int(bounds[code + 1])
            if last is not None:
                hi = lo + int(np.searchsorted(self.start[lo:hi], last, side="right"))
            mask[lo:hi] = True if first is None else self.end[lo:hi] >= first
        return mask

    def of_city(self, city: str) -> np.ndarray:
        return lookup(self.cities, (city,))[self.city]

    def positions(self, selected: np.ndarray, limit: int | None = None, offset: int = 0) -> np.ndarray:
        """Frame positions of the selected rows (or of one page of them), oldest first."""
        rows = np.flatnonzero(selected)
        ranks = self.date_rank[rows]
        stop = None if limit is None else offset + limit
        if stop is not None and stop < len(rows):  # a page: only its rows need sorting
            first = np.argpartition(ranks, stop - 1)[:stop]
            in_date_order = first[np.argsort(ranks[first])]
        else:
            in_date_order = np.argsort(ranks)
        return self.order[rows[in_date_order[offset:stop]]]

    def unplaced_count(self, selected: np.ndarray) -> int:
        """Selected rows that cannot go on the map (no city, or a city without coordinates)."""
        return int((selected & ~self.on_map).sum())

    def approximate_count(self, selected: np.ndarray) -> int:
        return int((selected & self.approximate).sum())

    def month_unknown(self, selected: np.ndarray) -> int:
        """Selected rows that no month's bar holds (undated, or dated only to the year)."""
        return int((selected & (self.month == NO_MONTH)).sum())

    def monthly(
        self, selected: np.ndarray, start: date | None = None, end: date | None = None, **weights: np.ndarray
    ) -> pd.DataFrame:
        """``month``, ``count`` (selected rows per month of their date) and the sum of each of
        ``weights`` (one value per sorted row), zero-filled from ``start``'s month (else the first
        month of a selected row) to ``end``'s (else the last). Rows without a month are left out:
        :meth:`month_unknown` counts them."""
        rows = selected & (self.month != NO_MONTH)
        known = self.month[rows]
        lo = month_number(start) if start is not None else (int(known.min()) if len(known) else None)
        hi = month_number(end) if end is not None else (int(known.max()) if len(known) else None)
        columns: dict[str, object]
        if lo is None or hi is None or hi < lo:
            columns = {"month": pd.Series([], dtype="datetime64[ns]"), "count": pd.Series([], dtype="int64")}
            columns.update({name: pd.Series([], dtype="int64") for name in weights})
            return pd.DataFrame(columns)
        inside = (known >= lo) & (known <= hi)
        slot = known[inside] - lo
        columns = {
            "month": (np.arange(lo, hi + 1).astype("datetime64[M]")).astype("datetime64[ns]"),
            "count": np.bincount(slot, minlength=hi - lo + 1).astype(np.int64),
        }
        for name, values in weights.items():
            columns[name] = np.bincount(slot, weights=values[rows][inside], minlength=hi - lo + 1).astype(np.int64)
        return pd.DataFrame(columns)

    def runs(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The selected sorted rows, and where each city code's run starts among them (one more
        bound: the end). A filter selects a small share of the rows, so per-city figures read
        these rather than every row."""
        rows = np.flatnonzero(selected)
        return rows, np.searchsorted(self.city[rows], np.arange(1, len(self.cities) + 2))

    @staticmethod
    def run_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """``values`` (one per selected row of :meth:`runs`) summed over each city's run."""
        total = np.r_[0, np.cumsum(values, dtype=np.int64)]
        return total[bounds[1:]] - total[bounds[:-1]]

    def per_city(
        self, selected: np.ndarray, runs: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per city code: selected rows, and the first and last day they cover (``runs``: the
        :meth:`runs` of ``selected``, if the caller has them)."""
        rows, bounds = self.runs(selected) if runs is None else runs
        count = np.diff(bounds)
        first = np.full(len(self.cities), NO_DAY_START, dtype=np.int32)
        last = np.full(len(self.cities), NO_DAY_END, dtype=np.int32)
        held = np.flatnonzero(count)
        if len(held):  # reduceat over the non-empty runs only: an empty one would read its neighbour
            first[held] = np.minimum.reduceat(self.start[rows], bounds[held])
            last[held] = np.maximum.reduceat(self.end[rows], bounds[held])
        return count.astype(np.int64), first, last

    def places(self, locations: pd.DataFrame) -> pd.DataFrame:
        """``locations`` indexed by location id, one row per city code (in code order)."""
        return self._by_code(locations)[0]

    def placed(self, locations: pd.DataFrame) -> np.ndarray:
        """Per city code, whether ``locations`` gives it coordinates."""
        return self._by_code(locations)[1]

    @cached_property
    def _locations_seen(self) -> list:
        return []  # [locations, (places, placed)]: what the last locations table gave

    def _by_code(self, locations: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        # Every rerun asks with the dataset's own locations table, which no filter changes: made
        # once for it. Keyed by the object itself, since a table's id can be reused once it is gone.
        seen = self._locations_seen
        if not seen or seen[0] is not locations:
            places = locations.set_index("location_id").reindex(list(self.cities))
            seen[:] = [locations, (places, lookup(self.cities, placed_ids(locations))[1:])]
        return seen[1]


@dataclass(frozen=True, eq=False)
class SharedPeople:
    """People who appear in several decisions, one row per (decision, person): the decision's
    sorted position, the person's code and group code, how many people the row stands for, and
    the decision's :func:`recency` rank (higher: later)."""

    position: np.ndarray
    person: np.ndarray
    group: np.ndarray
    count: np.ndarray
    recency: np.ndarray

    @cached_property
    def _plans(self) -> list:
        return []  # [(key, plan)]: the rows sorted once per key (see _plan)

    def _plan(self, key: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """The rows sorted by key and person, then oldest decision first, with each row's
        combined (key, person) number, decision, count and group in that order. The sort is the
        costly part of :meth:`distinct` and no filter changes it: a filter only masks rows out,
        which keeps the order of the rest. Keyed by the key array itself (a page asks with the
        index's own city codes every time)."""
        for seen, plan in self._plans:
            if seen is key:
                return plan
        persons = int(self.person.max(initial=0)) + 1
        keys = np.zeros(len(self.position), dtype=np.int64) if key is None else key[self.position].astype(np.int64)
        combined = keys * persons + self.person
        order = np.lexsort((self.recency, combined))
        plan = (combined[order], self.position[order], self.count[order], self.group[order], persons)
        self._plans[:] = [*self._plans[-3:], (key, plan)]  # a caller with a new key each time keeps four
        return plan

    def distinct(self, selected: np.ndarray, key: np.ndarray | None = None) -> dict[tuple, int]:
        """For the rows whose decision is selected: people per (key, "total") and per (key, group),
        each person once, in the group of their latest selected decision (so the groups add up
        to the total) and as many as their widest row stands for; ``key`` (e.g. the city code of
        each sorted decision) splits the counts, else every count is under key 0."""
        out: dict[tuple, int] = {}
        if not len(self.position):
            return out
        combined, position, count, group, persons = self._plan(key)
        rows = np.flatnonzero(selected[position])
        if not len(rows):
            return out
        combined = combined[rows]
        starts = np.flatnonzero(np.r_[True, combined[1:] != combined[:-1]])
        latest = np.r_[starts[1:], len(combined)] - 1
        widest = np.maximum.reduceat(count[rows], starts)
        latest_group = group[rows][latest]
        key_of = combined[starts] // persons
        for label, picked in (
            ("total", np.ones(len(starts), dtype=bool)),
            *((name, latest_group == code) for code, name in enumerate(PEOPLE_GROUPS)),
        ):
            per_key = np.bincount(key_of[picked], weights=widest[picked])
            for k in np.flatnonzero(per_key):
                out[(int(k), label)] = int(per_key[k])
        return out


#: Court levels in the order their decisions follow one another, for :func:`recency`.
INSTANCE_ORDER = {"first": 0, "other": 0, "appeal": 1, "cassation": 2, "supreme": 3}


def recency(convictions: pd.DataFrame) -> np.ndarray:
    """Each decision's rank from oldest to latest (frame order): by date, an undated decision after
    every dated one (it is known to come after what it reviews, not when), then by court level
    (an appeal decided the day of its trial follows it), then by case id."""
    start = days(convictions["period_start"], NO_DAY_START).astype(np.int64)
    level = convictions["instance"].astype(str).map(INSTANCE_ORDER).fillna(0).to_numpy(dtype=np.int64)
    ids = convictions["case_id"].astype(str).to_numpy()
    rank = np.empty(len(convictions), dtype=np.int64)
    rank[np.lexsort((ids, level, start))] = np.arange(len(convictions))
    return rank


@dataclass(frozen=True, eq=False)
class CaseIndex(DatedIndex):
    """The court decisions: dates, cities, sentence types, roles, instances and people."""

    sentence: np.ndarray  # code + 1
    sentence_types: tuple[str, ...]
    role: np.ndarray  # code + 1
    roles: tuple[str, ...]
    first_instance: np.ndarray
    convicted_people: np.ndarray  # per decision, as convictions.convicted_people (an appeal counts them again)
    own: dict[str, np.ndarray]  # per sorted row: its people seen in no other decision, by group and "total"
    shared: SharedPeople

    @classmethod
    def build(cls, convictions: pd.DataFrame, locations: pd.DataFrame, people: pd.DataFrame) -> CaseIndex:
        """``people``: :func:`geo.query.filters.people_rows` of ``convictions``."""
        fields = DatedIndex.arrays(convictions, locations, "case_id")
        order = fields["order"]
        sentence, sentence_types = codes_of(convictions["sentence_type"])
        role, roles = codes_of(convictions["defendant_role"])
        own, shared = cls.people_arrays(convictions, people, order, recency(convictions))
        return cls(
            **fields,
            sentence=small_codes(sentence[order]),
            sentence_types=sentence_types,
            role=small_codes(role[order]),
            roles=roles,
            first_instance=(convictions["instance"] == "first").to_numpy(dtype=bool, na_value=False)[order],
            convicted_people=convictions["convicted_people"].to_numpy(dtype=np.int64)[order],
            own=own,
            shared=shared,
        )

    @staticmethod
    def people_arrays(
        convictions: pd.DataFrame, people: pd.DataFrame, order: np.ndarray, ranks: np.ndarray
    ) -> tuple[dict[str, np.ndarray], SharedPeople]:
        sorted_position = np.empty(len(order), dtype=np.int64)
        sorted_position[order] = np.arange(len(order))
        frame_position = pd.Index(convictions["case_id"].astype(str)).get_indexer(people["case_id"])
        position = sorted_position[frame_position]
        group = pd.Categorical(people["group"], categories=list(PEOPLE_GROUPS)).codes.astype(np.int8)
        count = people["count"].to_numpy(dtype=np.int64)
        repeated = people["person_id"].duplicated(keep=False).to_numpy()
        alone = ~repeated
        own = {"total": np.bincount(position[alone], weights=count[alone], minlength=len(order)).astype(np.int64)}
        for code, name in enumerate(PEOPLE_GROUPS):
            rows = alone & (group == code)
            own[name] = np.bincount(position[rows], weights=count[rows], minlength=len(order)).astype(np.int64)
        person = pd.factorize(people["person_id"][repeated])[0].astype(np.int64)
        shared = SharedPeople(
            position[repeated], person, group[repeated], count[repeated], ranks[frame_position][repeated]
        )
        return own, shared

    def select(self, filters: Filters) -> np.ndarray:
        """The decisions in the filter, as a mask in sorted order."""
        mask = self.dated(filters)
        if filters.sentence_types or filters.roles:  # looked up for the rows still in, not every row
            rows = np.flatnonzero(mask)
            keep = np.ones(len(rows), dtype=bool)
            if filters.sentence_types:
                keep &= lookup(self.sentence_types, filters.sentence_types)[self.sentence[rows]]
            if filters.roles:
                keep &= lookup(self.roles, filters.roles)[self.role[rows]]
            mask[rows[~keep]] = False
        return mask

    def people(self, selected: np.ndarray) -> dict[str, int]:
        """People in the selected decisions: ``total`` (each person once) and one count per group
        of :data:`~geo.data.people.PEOPLE_GROUPS`, each person in the group of their latest
        selected decision, so the groups add up to the total (:mod:`geo.data.people`)."""
        shared = self.shared.distinct(selected)
        rows = np.flatnonzero(selected)
        return {name: int(self.own[name][rows].sum()) + shared.get((0, name), 0) for name in ("total", *PEOPLE_GROUPS)}

    def city_totals(self, selected: np.ndarray, locations: pd.DataFrame) -> pd.DataFrame:
        """Per city with coordinates and selected decisions, most people first: ``decisions``,
        ``people``, ``convicted``, ``acquitted``, ``posthumous``, ``first`` and ``last`` day
        covered, ``approximate`` (decisions with a date less precise than a day).

        The sums are ``reduceat`` over each city's run; the few resulting rows are assembled
        without merges, which at this size cost more than the arithmetic."""
        rows, bounds = self.runs(selected)
        decisions, first, last = self.per_city(selected, (rows, bounds))
        people = {name: self.run_sums(self.own[name][rows], bounds) for name in ("total", *COUNTED)}
        approximate = self.run_sums(self.approximate[rows], bounds)
        for (code, name), extra in self.shared.distinct(selected, key=self.city).items():
            if code > 0 and name in people:
                people[name][code - 1] += extra
        places = self.places(locations)
        keep = (decisions > 0) & self.placed(locations)
        names = places["name"].to_numpy()
        total = people["total"]
        rows = np.asarray(
            sorted(np.flatnonzero(keep), key=lambda i: (-total[i], -decisions[i], names[i])), dtype=np.int64
        )
        picked = places.iloc[rows]
        return pd.DataFrame(
            {
                "location_id": picked.index.to_numpy(dtype=object),
                "name": picked["name"].to_numpy(),
                "name_ru": picked["name_ru"].to_numpy(),
                "name_kk": picked["name_kk"].to_numpy(),
                "latitude": picked["latitude"].to_numpy(),
                "longitude": picked["longitude"].to_numpy(),
                "decisions": decisions[rows].astype(np.int64),
                "people": total[rows].astype(np.int64),
                **{name: people[name][rows].astype(np.int64) for name in COUNTED},
                "first": as_dates(first[rows]),
                "last": as_dates(last[rows]),
                "approximate": approximate[rows].astype(np.int64),
            }
        )

    def unplaced(self, selected: np.ndarray) -> tuple[int, int]:
        """Decisions and people among the selected rows that cannot go on the map."""
        off_map = selected & ~self.on_map
        return int(off_map.sum()), self.people(off_map)["total"]


@dataclass(frozen=True, eq=False)
class EventIndex(DatedIndex):
    """The events: dates, cities and event types."""

    event_type: np.ndarray  # code + 1
    event_types: tuple[str, ...]

    @classmethod
    def build(cls, events: pd.DataFrame, locations: pd.DataFrame) -> EventIndex:
        fields = DatedIndex.arrays(events, locations, "event_id")
        event_type, event_types = codes_of(events["event_type"])
        return cls(**fields, event_type=small_codes(event_type[fields["order"]]), event_types=event_types)

    def select(self, filters: Filters) -> np.ndarray:
        """The events in the filter (its dates, cities and event types), as a mask in sorted order."""
        mask = self.dated(filters)
        if filters.event_types:
            mask &= lookup(self.event_types, filters.event_types)[self.event_type]
        return mask

    def city_totals(self, selected: np.ndarray, locations: pd.DataFrame) -> pd.DataFrame:
        """Per city with coordinates and selected events, in ``locations`` order: ``events``,
        ``types`` (the event types, sorted, comma separated), ``first`` and ``last`` day covered."""
        count, first, last = self.per_city(selected)
        keep = (count > 0) & self.placed(locations)
        code_of = {city: i for i, city in enumerate(self.cities)}
        rows = [code_of[c] for c in locations["location_id"].astype(str) if c in code_of and keep[code_of[c]]]
        types: dict[int, set[str]] = {i: set() for i in rows}
        width = len(self.event_types) + 1
        for pair in np.unique(self.city[selected].astype(np.int64) * width + self.event_type[selected]):
            city, kind = divmod(int(pair), width)
            if city and kind and city - 1 in types:
                types[city - 1].add(self.event_types[kind - 1])
        picked = self.places(locations).iloc[rows]
        return pd.DataFrame(
            {
                "location_id": picked.index.to_numpy(dtype=object),
                "name": picked["name"].to_numpy(),
                "name_ru": picked["name_ru"].to_numpy(),
                "name_kk": picked["name_kk"].to_numpy(),
                "latitude": picked["latitude"].to_numpy(),
                "longitude": picked["longitude"].to_numpy(),
                "events": count[rows].astype(np.int64),
                "types": [", ".join(sorted(types[i])) for i in rows],
                "first": as_dates(first[rows]),
                "last": as_dates(last[rows]),
            }
        )
