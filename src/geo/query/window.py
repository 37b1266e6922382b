"""The date window: the range a slider offers for a dataset, and moving a window through it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

#: The slider starts with the unrest, whatever the data's first date.
FIRST_DAY = date(2022, 1, 1)
#: The slider never reaches further back, even for data whose own descriptor sets no x-minDate:
#: it sends microseconds as JavaScript numbers, which cannot hold a date before about 1685.
EARLIEST_DAY = date(1900, 1, 1)


def period_bounds(span: tuple[date | None, date | None]) -> tuple[date, date]:
    """The slider's range for a dataset whose dated rows cover ``span``: from the unrest (or the
    first date) to the last date; at least a day wide, and the unrest's first month when no row
    has a date (the tables may be empty)."""
    first, last = span
    first = FIRST_DAY if first is None or pd.isna(first) else min(FIRST_DAY, max(first, EARLIEST_DAY))
    last = FIRST_DAY + timedelta(days=30) if last is None or pd.isna(last) else max(last, FIRST_DAY)
    return first, max(last, first + timedelta(days=1))


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
