"""Filtering a million verdicts in milliseconds.

:func:`geo.filters.filter_convictions` is the reference: readable pandas masks that build a new
frame on every call. At a million rows that costs around a hundred milliseconds per filter
change, most of it spent comparing strings and copying columns nobody looks at. A
:class:`CaseIndex` is built once per dataset and keeps only what filters and map totals need
as plain numpy arrays: days as integers, cities and sentence types as small integer codes.
A filter is then a handful of vectorised comparisons and table look-ups, and per-city totals
are one ``bincount``; rows are only materialised for the slice a table actually shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.filters import Filters

NO_DAY_START = np.iinfo(np.int64).max  # undated rows start "never"…
NO_DAY_END = np.iinfo(np.int64).min  # …and end "never", so no bounded range contains them


def days(values: pd.Series, missing: int) -> np.ndarray:
    as_days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = as_days.astype(np.int64)
    out[np.isnat(as_days)] = missing
    return out


def day_number(d) -> int:
    return int(np.datetime64(pd.Timestamp(d).date(), "D").astype(np.int64))


def codes_of(column: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (-1 for missing) and the values they stand for."""
    categorical = column.astype("category")
    return categorical.cat.codes.to_numpy(dtype=np.int32), tuple(map(str, categorical.cat.categories))


@dataclass(frozen=True, eq=False)
class CaseIndex:
    start: np.ndarray
    end: np.ndarray
    city: np.ndarray
    cities: tuple[str, ...]
    sentence: np.ndarray
    sentence_types: tuple[str, ...]
    defendants: np.ndarray

    @classmethod
    def build(cls, convictions: pd.DataFrame) -> CaseIndex:
        city, cities = codes_of(convictions["location_id"])
        sentence, sentence_types = codes_of(convictions["sentence_type"])
        return cls(
            start=days(convictions["period_start"], NO_DAY_START),
            end=days(convictions["period_end"], NO_DAY_END),
            city=city,
            cities=cities,
            sentence=sentence,
            sentence_types=sentence_types,
            defendants=convictions["defendants"].to_numpy(dtype=np.int64, na_value=0),
        )

    def __len__(self) -> int:
        return len(self.start)

    def _wanted(self, codes: np.ndarray, names: tuple[str, ...], wanted: tuple[str, ...]) -> np.ndarray | None:
        if not wanted:
            return None
        # slot 0 stands for "missing" (code -1), which a value filter never selects
        lookup = np.zeros(len(names) + 1, dtype=bool)
        for i, name in enumerate(names):
            lookup[i + 1] = name in wanted
        return lookup[codes + 1]

    def mask(self, filters: Filters) -> np.ndarray:
        """The same rows as :func:`geo.filters.filter_convictions`, as a boolean array."""
        mask = np.ones(len(self), dtype=bool)
        if filters.start is not None:
            mask &= self.end >= day_number(filters.start)
        if filters.end is not None:
            mask &= self.start <= day_number(filters.end)
        for wanted in (self._wanted(self.city, self.cities, filters.cities),
                       self._wanted(self.sentence, self.sentence_types, filters.sentence_types)):
            if wanted is not None:
                mask &= wanted
        return mask

    def counts(self, mask: np.ndarray) -> tuple[int, int]:
        """Verdicts and defendants among the selected rows."""
        return int(mask.sum()), int(self.defendants[mask].sum())

    def city_counts(self, mask: np.ndarray) -> pd.DataFrame:
        """Verdicts and defendants per location_id among the selected rows that have one."""
        selected = mask & (self.city >= 0)
        codes = self.city[selected]
        n = len(self.cities)
        verdicts = np.bincount(codes, minlength=n)
        defendants = np.bincount(codes, weights=self.defendants[selected], minlength=n).astype(np.int64)
        frame = pd.DataFrame({"location_id": list(self.cities), "verdicts": verdicts, "defendants": defendants})
        return frame[frame["verdicts"] > 0].reset_index(drop=True)

    def rows(self, mask: np.ndarray, limit: int | None = None, offset: int = 0) -> np.ndarray:
        """Positions of the selected rows, optionally one page of them."""
        positions = np.flatnonzero(mask)
        return positions[offset: None if limit is None else offset + limit]
