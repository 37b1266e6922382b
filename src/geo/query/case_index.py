"""Filtering a million verdicts in milliseconds.

:func:`geo.query.filters.filter_convictions` and :func:`geo.query.filters.city_totals` are the reference:
readable pandas that builds a new frame on every call. At a million rows that costs around a
hundred milliseconds per filter change, most of it spent comparing strings and copying columns
nobody looks at. A :class:`CaseIndex` is built once per dataset and keeps only what filters,
map totals and table pages need, as numpy arrays sorted by city (then date): days as integers,
cities and sentence types as small integer codes. A filter is then a few vectorised
comparisons and look-ups; per-city totals are ``reduceat`` over each city's contiguous run;
rows are materialised only for the page a table shows.

People are counted as :func:`geo.query.filters.people_counts` counts them: each person once. Most
people appear in one decision only; their counts are summed per decision in advance
(``own``), so summing them is as cheap as counting decisions. The few who appear in several
decisions (a trial and its appeal) are kept apart (``shared``) and counted once per
selection with ``np.unique`` over that short list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.query.filters import PEOPLE_GROUPS, Filters, people_rows

# Days since 1970 fit in 32 bits (and halve the memory each comparison reads).
NO_DAY_START = np.iinfo(np.int32).max  # undated rows start "never"…
NO_DAY_END = np.iinfo(np.int32).min  # …and end "never", so no bounded range contains them


def days(values: pd.Series, missing: int) -> np.ndarray:
    as_days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = as_days.astype(np.int64)
    out[np.isnat(as_days)] = missing
    return out.astype(np.int32)


def day_number(d) -> int:
    return int(np.datetime64(pd.Timestamp(d).date(), "D").astype(np.int64))


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


#: The groups a map and a description count apart (``other`` is only in the total).
COUNTED = PEOPLE_GROUPS[:3]


@dataclass(frozen=True, eq=False)
class SharedPeople:
    """People who appear in several decisions, one row per (decision, person): the decision's
    sorted position, the person's code and group code, and how many people the row stands for."""

    position: np.ndarray
    person: np.ndarray
    group: np.ndarray
    count: np.ndarray

    def distinct(self, selected: np.ndarray, key: np.ndarray | None = None) -> dict[tuple, int]:
        """For the rows whose decision is selected: people per (key, group) and per (key, "total"),
        each person once (a person's widest row counts); ``key`` (e.g. the city code of each sorted
        decision) splits the counts, else every count is under key 0."""
        rows = np.flatnonzero(selected[self.position])
        out: dict[tuple, int] = {}
        if not len(rows):
            return out
        keys = np.zeros(len(rows), dtype=np.int64) if key is None else key[self.position[rows]].astype(np.int64)
        persons = int(self.person.max()) + 1
        for label, code in (("total", None), *((name, i) for i, name in enumerate(PEOPLE_GROUPS))):
            picked = np.ones(len(rows), dtype=bool) if code is None else self.group[rows] == code
            if not picked.any():
                continue
            combined = keys[picked] * persons + self.person[rows[picked]]
            order = np.argsort(combined, kind="stable")
            combined = combined[order]
            starts = np.flatnonzero(np.r_[True, combined[1:] != combined[:-1]])
            widest = np.maximum.reduceat(self.count[rows[picked]][order], starts)
            per_key = np.bincount(combined[starts] // persons, weights=widest)
            for k in np.flatnonzero(per_key):
                out[(int(k), label)] = int(per_key[k])
        return out


@dataclass(frozen=True, eq=False)
class CaseIndex:
    """The columns filters need, in city-then-date order. ``order[i]`` is the frame position of
    sorted row ``i``; ``by_date`` lists sorted positions oldest first (ties by case_id), the
    order in which tables show decisions."""

    order: np.ndarray
    by_date: np.ndarray
    start: np.ndarray
    end: np.ndarray
    city: np.ndarray  # code + 1; 0 = no city
    cities: tuple[str, ...]
    segments: np.ndarray  # where each city's run starts in the sorted arrays
    sentence: np.ndarray  # code + 1
    sentence_types: tuple[str, ...]
    role: np.ndarray  # code + 1
    roles: tuple[str, ...]
    own: dict[str, np.ndarray]  # per sorted row: its people seen in no other decision, by group and "total"
    shared: SharedPeople
    approximate: np.ndarray
    on_map: np.ndarray  # the row's city has coordinates

    @classmethod
    def build(cls, convictions: pd.DataFrame, locations: pd.DataFrame, defendants: pd.DataFrame) -> CaseIndex:
        city, cities = codes_of(convictions["location_id"])
        sentence, sentence_types = codes_of(convictions["sentence_type"])
        role, roles = codes_of(convictions["defendant_role"])
        start = days(convictions["period_start"], NO_DAY_START)
        order = np.lexsort((start, city))  # by city, then date; rows without a city (-1) first
        case_rank = convictions["case_id"].astype(str).to_numpy()[order]
        by_date = np.lexsort((case_rank, start[order]))  # same order as geo.views.present.by_date
        sorted_city = small_codes(city[order])
        placed = locations.loc[locations["latitude"].notna() & locations["longitude"].notna(), "location_id"]
        own, shared = cls.people_arrays(convictions, defendants, order)
        return cls(
            order=order,
            by_date=by_date,
            start=start[order],
            end=days(convictions["period_end"], NO_DAY_END)[order],
            city=sorted_city,
            cities=cities,
            segments=np.searchsorted(sorted_city, np.arange(1, len(cities) + 1)),
            sentence=small_codes(sentence[order]),
            sentence_types=sentence_types,
            role=small_codes(role[order]),
            roles=roles,
            own=own,
            shared=shared,
            approximate=convictions["approximate"].to_numpy(dtype=bool)[order],
            on_map=lookup(cities, tuple(placed))[sorted_city],
        )

    @staticmethod
    def people_arrays(convictions: pd.DataFrame, defendants: pd.DataFrame,
                      order: np.ndarray) -> tuple[dict[str, np.ndarray], SharedPeople]:
        people = people_rows(convictions, defendants)
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
        return own, SharedPeople(position[repeated], person, group[repeated], count[repeated])

    def __len__(self) -> int:
        return len(self.start)

    def select(self, filters: Filters) -> np.ndarray:
        """The rows :func:`geo.query.filters.filter_convictions` keeps, as a mask in sorted order."""
        mask = np.ones(len(self), dtype=bool)
        if filters.start is not None:
            mask &= self.end >= day_number(filters.start)
        if filters.end is not None:
            mask &= self.start <= day_number(filters.end)
        if filters.cities:
            mask &= lookup(self.cities, filters.cities)[self.city]
        if filters.sentence_types:
            mask &= lookup(self.sentence_types, filters.sentence_types)[self.sentence]
        if filters.roles:
            mask &= lookup(self.roles, filters.roles)[self.role]
        return mask

    def mask(self, filters: Filters) -> np.ndarray:
        """The same selection as a mask over the frame's rows."""
        out = np.zeros(len(self), dtype=bool)
        out[self.order] = self.select(filters)
        return out

    def people(self, selected: np.ndarray) -> dict[str, int]:
        """What :func:`geo.query.filters.people_counts` gives for the selected decisions."""
        shared = self.shared.distinct(selected)
        return {name: int(self.own[name].sum(where=selected)) + shared.get((0, name), 0) for name in ("total", *PEOPLE_GROUPS)}

    def counts(self, selected: np.ndarray) -> tuple[int, int]:
        """Decisions and people among the selected rows."""
        return int(selected.sum()), self.people(selected)["total"]

    def city_totals(self, selected: np.ndarray, locations: pd.DataFrame) -> pd.DataFrame:
        """What :func:`geo.query.filters.city_totals` returns for the selected rows.

        The sums are ``reduceat`` over each city's run; the few resulting rows are assembled
        without merges, which at this size cost more than the arithmetic."""
        runs = self.segments
        n = len(self.cities)
        people = {}
        if len(runs):
            decisions = np.add.reduceat(selected, runs)
            for name in ("total", *COUNTED):
                people[name] = np.add.reduceat(np.where(selected, self.own[name], 0), runs)
            first = np.minimum.reduceat(np.where(selected, self.start, NO_DAY_START), runs)
            last = np.maximum.reduceat(np.where(selected, self.end, NO_DAY_END), runs)
            approximate = np.add.reduceat(selected & self.approximate, runs)
            for (code, name), extra in self.shared.distinct(selected, key=self.city).items():
                if code > 0 and name in people:
                    people[name][code - 1] += extra
        else:
            decisions = first = last = approximate = np.zeros(0, dtype=np.int64)
            people = {name: np.zeros(0, dtype=np.int64) for name in ("total", *COUNTED)}
        places = locations.set_index("location_id").reindex(list(self.cities))
        keep = (decisions > 0) & places["latitude"].notna().to_numpy() & places["longitude"].notna().to_numpy()
        rows = np.flatnonzero(keep[:n])
        names = places["name"].to_numpy()
        total = people["total"]
        order = sorted(rows, key=lambda i: (-total[i], -decisions[i], names[i]))
        rows = np.asarray(order, dtype=np.int64)
        picked = places.iloc[rows]
        return pd.DataFrame({
            "location_id": picked.index.to_numpy(dtype=object),
            "name": picked["name"].to_numpy(), "name_ru": picked["name_ru"].to_numpy(),
            "name_kk": picked["name_kk"].to_numpy(),
            "latitude": picked["latitude"].to_numpy(), "longitude": picked["longitude"].to_numpy(),
            "decisions": decisions[rows].astype(np.int64), "people": total[rows].astype(np.int64),
            **{name: people[name][rows].astype(np.int64) for name in COUNTED},
            "first": first[rows].astype("datetime64[D]").astype("datetime64[us]"),
            "last": last[rows].astype("datetime64[D]").astype("datetime64[us]"),
            "approximate": approximate[rows].astype(np.int64),
        })

    def unplaced(self, selected: np.ndarray) -> tuple[int, int]:
        """Decisions and people among the selected rows that cannot go on the map (no city,
        or a city without coordinates)."""
        return self.counts(selected & ~self.on_map)

    def approximate_count(self, selected: np.ndarray) -> int:
        return int((selected & self.approximate).sum())

    def of_city(self, city: str) -> np.ndarray:
        return lookup(self.cities, (city,))[self.city]

    def page(self, selected: np.ndarray, limit: int, offset: int = 0, city: str | None = None) -> np.ndarray:
        """Frame positions of one page of the selected rows, oldest first."""
        if city is not None:
            selected = selected & self.of_city(city)
        in_date_order = self.by_date[selected[self.by_date]]
        return self.order[in_date_order[offset: offset + limit]]
